/* cb-compose-overrides.c: the command line applied as Hydra applies it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Group choices go into the defaults tree (cb-compose.c); key=value overrides are merged
 * into the composed config afterwards, in struct mode, as OmegaConf.update does.
 */

#define G_LOG_DOMAIN "cb-compose"

#include "config.h"

#include "cb/cb-compose.h"
#include "cb-compose-private.h"

#include <string.h>

/* ---- the command line ---------------------------------------------------------------- */

static const char *
value_type_name (const CbCfg *value)
{
  switch (value->kind)
    {
    case CB_CFG_NULL:
      return "null";
    case CB_CFG_MAP:
      return "a dict";
    case CB_CFG_LIST:
      return "a list";
    case CB_CFG_SCALAR:
    default:
      return value->quoted ? "a string" : "a number or boolean";
    }
}

/* The options of Hydra 1.3's own config groups (hydra/conf in its package). */
static const char * const *
hydra_group_options (const char *group)
{
  static const char * const job_logging[] = { "default", "disabled", "none", "stdout", NULL };
  static const char * const hydra_logging[] = { "default", "disabled", "hydra_debug", "none",
                                                NULL };
  static const char * const basic[] = { "basic", NULL };
  static const char * const plain[] = { "default", NULL };

  if (g_str_equal (group, "hydra/job_logging"))
    return job_logging;
  if (g_str_equal (group, "hydra/hydra_logging"))
    return hydra_logging;
  if (g_str_equal (group, "hydra/launcher") || g_str_equal (group, "hydra/sweeper"))
    return basic;
  if (g_str_equal (group, "hydra/output") || g_str_equal (group, "hydra/help") ||
      g_str_equal (group, "hydra/hydra_help") || g_str_equal (group, "hydra/env"))
    return plain;
  return NULL;
}

static gboolean
check_hydra_group (const CbOverride  *o,
                   GError           **error)
{
  const char * const *options = hydra_group_options (o->key);
  GPtrArray *names = o->value->kind == CB_CFG_LIST ? o->value->items : NULL;
  guint n = names ? names->len : 1;

  for (guint i = 0; i < n; i++)
    {
      const CbCfg *item = names ? g_ptr_array_index (names, i) : o->value;
      const char *name = item->kind == CB_CFG_SCALAR ? item->text : "";

      if (options == NULL || !g_strv_contains (options, name))
        {
          g_autofree char *known = options ? g_strjoinv (", ", (char **) options) : NULL;

          if (options == NULL)
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                         "'%s' is not one of Hydra's config groups", o->key);
          else
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                         "'%s' has no option '%s' (options: %s); it is chosen on the command "
                         "line", o->key, name, known);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
_cb_compose_classify_overrides (Ctx              *ctx,
                    GPtrArray        *parsed,
                    GError          **error)
{
  for (guint i = 0; i < parsed->len; i++)
    {
      CbOverride *o = g_ptr_array_index (parsed, i);
      gboolean group = cb_composer_is_group (ctx->composer, o->key);
      gboolean config = !group && _cb_compose_is_config (ctx->composer, o->key);
      g_autofree char *key = o->package ? g_strconcat (o->key, "@", o->package, NULL)
                                        : g_strdup (o->key);

      ctx->culprit = i + 1;

      /* Hydra's own groups (hydra/launcher, hydra/job_logging, …) live in Hydra's package,
       * not in the project: they only shape the hydra node, which the task never sees. */
      if (g_str_has_prefix (o->key, "hydra/") && !group && o->value != NULL &&
          (o->value->kind == CB_CFG_SCALAR || o->value->kind == CB_CFG_LIST))
        {
          if (!check_hydra_group (o, error))
            return FALSE;
          continue;
        }

      if (o->kind == CB_OVERRIDE_DELETE && (group || config))
        {
          Choice *c = g_new0 (Choice, 1);

          if (o->value != NULL && (o->value->kind != CB_CFG_SCALAR || !group))
            {
              _cb_compose_choice_free (c);
              g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE,
                           "'%s': a config group deletion takes at most an option name",
                           o->text);
              return FALSE;
            }
          c->value = o->value ? g_strdup (o->value->text) : NULL;
          c->text = g_strdup (o->text);
          c->culprit = i + 1;
          g_hash_table_replace (ctx->deletions, g_steal_pointer (&key), c);
        }
      else if ((o->value != NULL && o->value->kind == CB_CFG_MAP) || !group)
        g_ptr_array_add (ctx->config_overrides, o);
      else if (o->kind == CB_OVERRIDE_FORCE_ADD)
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE,
                       "'%s': ++ does not apply to config groups (use %s or +%s)", o->text,
                       o->text + 2, o->text + 1);
          return FALSE;
        }
      else if (o->value == NULL ||
               !(o->value->kind == CB_CFG_SCALAR || o->value->kind == CB_CFG_LIST))
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE,
                       "'%s': the option of a config group must be a name or a list of names, "
                       "not %s", o->text, o->value ? value_type_name (o->value) : "nothing");
          return FALSE;
        }
      else
        {
          Choice *c = g_new0 (Choice, 1);

          if (o->value->kind == CB_CFG_LIST)
            {
              c->values = g_ptr_array_new_with_free_func (g_free);
              for (guint k = 0; k < o->value->items->len; k++)
                {
                  CbCfg *item = g_ptr_array_index (o->value->items, k);

                  g_ptr_array_add (c->values, g_strdup (item->text ? item->text : "null"));
                }
            }
          else
            c->value = g_strdup (o->value->text);
          c->external = TRUE;
          c->text = g_strdup (o->text);
          c->culprit = i + 1;

          if (o->kind == CB_OVERRIDE_ADD)
            {
              Element *e = g_new0 (Element, 1);

              e->is_group = TRUE;
              e->external_append = TRUE;
              e->group = g_strdup (o->key);
              e->name = g_strdup (c->value);
              e->options = c->values ? g_ptr_array_ref (c->values) : NULL;
              e->package = g_strdup (o->package);
              e->culprit = i + 1;
              g_ptr_array_add (ctx->appends, e);
              _cb_compose_choice_free (c);
            }
          else
            g_hash_table_replace (ctx->choices, g_steal_pointer (&key), c);
        }
    }
  ctx->culprit = 0;
  return TRUE;
}

gboolean
_cb_compose_check_used (Ctx     *ctx,
            GError **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, ctx->choices);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Choice *c = value;

      if (c->used)
        continue;
      ctx->culprit = c->culprit;
      if (!c->external)
        g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                     "%s: 'override %s' has no earlier entry for '%s' to override", c->where,
                     c->text, (char *) key);
      else
        {
          g_autofree char *group = g_strdup (key);
          g_autoptr(GString) similar = g_string_new (NULL);
          GHashTableIter known;
          gpointer known_key;
          char *at = strchr (group, '@');

          if (at != NULL)
            *at = '\0';
          g_hash_table_iter_init (&known, ctx->known);
          while (g_hash_table_iter_next (&known, &known_key, NULL))
            {
              g_autofree char *known_group = g_strdup (known_key);
              char *known_at = strchr (known_group, '@');

              if (known_at != NULL)
                *known_at = '\0';
              if (g_str_equal (known_group, group))
                g_string_append_printf (similar, "%s%s", similar->len ? ", " : "",
                                        (char *) known_key);
            }
          if (similar->len > 0)
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                         "Could not override '%s': did you mean to override %s? To add it, "
                         "use +%s", (char *) key, similar->str, c->text);
          else
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                         "Could not override '%s': no entry in the defaults list chooses it. "
                         "To add it, use +%s", (char *) key, c->text);
        }
      return FALSE;
    }

  g_hash_table_iter_init (&iter, ctx->deletions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Choice *c = value;

      if (!c->used)
        {
          ctx->culprit = c->culprit;
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                       "Could not delete '%s%s%s': no match in the defaults list",
                       (char *) key, c->value ? "=" : "", c->value ? c->value : "");
          return FALSE;
        }
    }
  return TRUE;
}

/* The parent of @key's last part (made with maps where @create), and that part. */
static CbCfg *
parent_of (CbCfg       *root,
           const char  *key,
           gboolean     create,
           char       **last,
           char       **missing)
{
  g_auto(GStrv) parts = g_strsplit (key, ".", -1);
  guint n = g_strv_length (parts);
  CbCfg *node = root;
  g_autoptr(GString) walked = g_string_new (NULL);

  for (guint i = 0; i + 1 < n; i++)
    {
      CbCfg *child = cb_cfg_lookup (node, parts[i]);

      if (walked->len)
        g_string_append_c (walked, '.');
      g_string_append (walked, parts[i]);
      if (child == NULL || (child->kind != CB_CFG_MAP && child->kind != CB_CFG_LIST))
        {
          if (!create || node->kind != CB_CFG_MAP)
            {
              *missing = g_strdup (walked->str);
              return NULL;
            }
          child = cb_cfg_new_map ();
          cb_cfg_map_set (node, parts[i], child);
        }
      node = child;
    }
  *last = g_strdup (parts[n - 1]);
  return node;
}

static void
set_child (CbCfg       *parent,
           const char  *last,
           CbCfg       *value)
{
  if (parent->kind == CB_CFG_MAP)
    {
      CbCfg *existing = cb_cfg_lookup (parent, last);

      if (existing != NULL && existing->kind == CB_CFG_MAP && value->kind == CB_CFG_MAP)
        {
          cb_cfg_merge (existing, value);
          cb_cfg_free (value);
        }
      else
        cb_cfg_map_set (parent, last, value);
      return;
    }
  /* A list item by index (checked to exist by the caller). */
  {
    guint64 n = 0;

    g_ascii_string_to_unsigned (last, 10, 0, G_MAXUINT, &n, NULL);
    cb_cfg_free (g_ptr_array_index (parent->items, n));
    g_ptr_array_index (parent->items, n) = value;
  }
}

static void
mark_origin (CbCfg *cfg,
             guint  position)
{
  cb_cfg_set_origin (cfg, "command line", position, 0);
  if (cfg->kind == CB_CFG_MAP || cfg->kind == CB_CFG_LIST)
    for (guint i = 0; i < cfg->items->len; i++)
      mark_origin (g_ptr_array_index (cfg->items, i), position);
}

/* OmegaConf's grammar for ${…}, as far as a merge checks it: every ${ closed, not empty, a
 * key path or resolver name without blanks before its ':'. \${ is an escaped dollar. */
static gboolean
valid_interpolations (const char *text,
                      guint       depth)
{
  const char *p = text;

  if (depth > 8)
    return FALSE;
  while ((p = strstr (p, "${")) != NULL)
    {
      const char *q;
      guint open = 1;
      g_autofree char *inner = NULL;
      const char *colon;
      gsize head;

      if (p > text && p[-1] == '\\')
        {
          p += 2;
          continue;
        }
      for (q = p + 2; *q != '\0' && open > 0; q++)
        {
          if (q[0] == '$' && q[1] == '{')
            {
              open++;
              q++;
            }
          else if (*q == '}')
            open--;
        }
      if (open > 0)
        return FALSE;
      inner = g_strndup (p + 2, q - p - 3);
      colon = strchr (inner, ':');
      head = colon ? (gsize) (colon - inner) : strlen (inner);
      if (head == 0 && colon == NULL)
        return FALSE;
      for (gsize i = 0; i < head; i++)
        if (g_ascii_isspace (inner[i]))
          return FALSE;
      if (!valid_interpolations (inner, depth + 1))
        return FALSE;
      p = q;
    }
  return TRUE;
}

static gboolean
value_interpolations_ok (const CbCfg *value)
{
  if (value->kind == CB_CFG_SCALAR)
    return valid_interpolations (value->text, 0);
  if (value->kind == CB_CFG_MAP || value->kind == CB_CFG_LIST)
    for (guint i = 0; i < value->items->len; i++)
      if (!value_interpolations_ok (g_ptr_array_index (value->items, i)))
        return FALSE;
  return TRUE;
}

/* Python's == on two numbers: 10 == 10.0. */
static gboolean
numbers_equal (const CbCfg *a,
               const CbCfg *b)
{
  char *end_a = NULL;
  char *end_b = NULL;
  double x, y;

  if (a->kind != CB_CFG_SCALAR || b->kind != CB_CFG_SCALAR || a->quoted || b->quoted)
    return FALSE;
  x = g_ascii_strtod (a->text, &end_a);
  y = g_ascii_strtod (b->text, &end_b);
  return end_a != a->text && *end_a == '\0' && end_b != b->text && *end_b == '\0' && x == y;
}

/* Struct mode for a dict merged by a plain override: every key it names must exist. */
static const char *
missing_key (const CbCfg *existing,
             const CbCfg *value)
{
  if (existing == NULL || existing->kind != CB_CFG_MAP || value->kind != CB_CFG_MAP)
    return NULL;
  for (guint i = 0; i < value->keys->len; i++)
    {
      const char *key = g_ptr_array_index (value->keys, i);
      const CbCfg *child = cb_cfg_lookup (existing, key);
      const char *deeper;

      if (child == NULL)
        return key;
      if ((deeper = missing_key (child, g_ptr_array_index (value->items, i))) != NULL)
        return deeper;
    }
  return NULL;
}

gboolean
_cb_compose_apply_config_override (CbCfg       *root,
                       CbOverride  *o,
                       guint        position,
                       GError     **error)
{
  g_autofree char *last = NULL;
  g_autofree char *missing = NULL;
  CbCfg *parent;
  CbCfg *existing;

  if (o->package != NULL)
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE,
                   "'%s' looks like a config group override, but there is no config group "
                   "'%s'", o->text, o->key);
      return FALSE;
    }

  if (o->value != NULL && !value_interpolations_ok (o->value))
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE,
                   "Could not merge '%s': a ${…} in it is not a valid interpolation (write "
                   "${key.path} or ${resolver:args}, or \\${ for a plain $)", o->text);
      return FALSE;
    }
  if (strchr (o->key, '/') != NULL)
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                   "'%s' is not a config group (there is no folder %s in the configs)",
                   o->key, o->key);
      return FALSE;
    }

  parent = parent_of (root, o->key, o->kind == CB_OVERRIDE_ADD || o->kind == CB_OVERRIDE_FORCE_ADD,
                      &last, &missing);
  existing = parent != NULL ? cb_cfg_lookup (parent, last) : NULL;

  switch (o->kind)
    {
    case CB_OVERRIDE_DELETE:
      /* OmegaConf.select gives None for a null value: Hydra says it does not exist. */
      if (existing == NULL || existing->kind == CB_CFG_NULL)
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                       "Could not delete '%s': there is no such key in the config", o->key);
          return FALSE;
        }
      if (o->value != NULL && !cb_cfg_equal (existing, o->value) &&
          !numbers_equal (existing, o->value))
        {
          g_autofree char *shown = cb_cfg_scalar_display (existing);

          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                       "Could not delete '%s': its value is %s, not the one given", o->key,
                       shown);
          return FALSE;
        }
      if (parent->kind == CB_CFG_MAP)
        cb_cfg_map_remove (parent, last);
      else
        {
          guint64 n = 0;

          g_ascii_string_to_unsigned (last, 10, 0, G_MAXUINT, &n, NULL);
          g_ptr_array_remove_index (parent->items, n);
        }
      return TRUE;

    case CB_OVERRIDE_ADD:
      if (existing != NULL && existing->kind != CB_CFG_NULL &&
          o->value->kind != CB_CFG_MAP && o->value->kind != CB_CFG_LIST)
        {
          g_autofree char *by = g_strcmp0 (existing->file, "command line") == 0
                                  ? g_strdup ("by the command line")
                                  : g_strdup_printf ("by %s:%u", existing->file, existing->line);

          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                       "Could not add '%s': it is already set (%s). Use %s to change it, or "
                       "+%s to add or change it", o->key, by, o->text + 1, o->text);
          return FALSE;
        }
      G_GNUC_FALLTHROUGH;
    case CB_OVERRIDE_FORCE_ADD:
      if (parent == NULL || (parent->kind == CB_CFG_LIST && existing == NULL))
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                       "Could not add '%s': '%s' is not a mapping", o->key,
                       missing ? missing : o->key);
          return FALSE;
        }
      break;

    case CB_OVERRIDE_CHANGE:
    default:
      if (existing == NULL)
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                       "Could not override '%s': no such key in the config (add it with +%s)",
                       o->key, o->text);
          return FALSE;
        }
      {
        const char *missing_child = missing_key (existing, o->value);

        if (missing_child != NULL)
          {
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                         "Could not override '%s': its key '%s' is not in the config (merge "
                         "it in with ++%s)", o->key, missing_child, o->text);
            return FALSE;
          }
      }
      break;
    }

  {
    CbCfg *value = cb_cfg_copy (o->value);

    mark_origin (value, position);
    set_child (parent, last, value);
  }
  return TRUE;
}
