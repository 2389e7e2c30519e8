/* cb-compose.c: a project's Hydra config composed natively, as Hydra 1.3 composes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hydra builds a tree from the primary config's defaults list, walks it depth first (each
 * config's children in reverse, so that `override group: option` entries are seen before
 * the entries they change; the last one in depth-first order wins, the command line wins
 * over all), and merges the configs of the leaves into one tree in depth-first order, each
 * at its package. Then it applies the command's key=value overrides in struct mode. This
 * file does the same on the parsed YAML files, in memory:
 *
 *  - defaults lists: `_self_` (appended when absent), config paths (`a/b`, `/a/b`), group
 *    defaults (`group: option`, `/group: option`, `group@pkg: option`, `optional group:`,
 *    `override group: option`, `null`, `???`, a list of options), duplicates refused;
 *  - packages: the `# @package` header (absolute: `_global_`, `_group_`, a dotted path), an
 *    explicit `@pkg` (relative to the parent's package), else the group path relative to
 *    the parent's package; everything up to the last `_global_` is dropped;
 *  - command line: `group=option`, `+group=option`, `~group[=option]`, `key=value` (the key
 *    must exist), `+key=value` (must not), `++key=value`, `~key[=value]`, lists and dicts.
 *
 * Parsed files are cached for the composer's life (a composer belongs to one snapshot of the
 * configs); the cache is locked, so compositions may run in worker threads.
 */

#define G_LOG_DOMAIN "cb-compose"

#include "config.h"

#include "cb/cb-compose.h"
#include "cb-compose-private.h"
#include "cb/cb-override.h"
#include "cb/cb-yaml.h"

#include <string.h>

#define MAX_DEFAULTS_DEPTH 64

G_DEFINE_QUARK (cb-compose-error-quark, cb_compose_error)

/* ---- elements ------------------------------------------------------------------------ */

void
_cb_compose_element_free (Element *e)
{
  if (e == NULL)
    return;
  g_free (e->path);
  g_free (e->group);
  g_free (e->name);
  g_clear_pointer (&e->options, g_ptr_array_unref);
  g_free (e->package);
  g_free (e->parent_base_dir);
  g_free (e->parent_package);
  g_free (e->header);
  g_free (e);
}

static void
result_free (Result *r)
{
  g_free (r->choice);
  g_free (r->config_path);
  g_free (r->package);
  g_free (r->override_key);
  g_free (r);
}

void
_cb_compose_choice_free (Choice *c)
{
  g_free (c->value);
  g_clear_pointer (&c->values, g_ptr_array_unref);
  g_free (c->where);
  g_free (c->text);
  g_free (c);
}

static const char *
strip_slash (const char *s)
{
  return *s == '/' ? s + 1 : s;
}

static char *
join_path (const char *a,
           const char *b)
{
  if (*a == '\0')
    return g_strdup (b);
  if (*b == '\0')
    return g_strdup (a);
  return g_strconcat (a, "/", b, NULL);
}

static char *
dir_of (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash ? g_strndup (path, slash - path) : g_strdup ("");
}

static char *
group_path (const Element *e)
{
  if (e->is_group)
    {
      if (e->group[0] == '/' || e->external_append)
        return g_strdup (strip_slash (e->group));
      return join_path (e->parent_base_dir, e->group);
    }
  {
    g_autofree char *dir = dir_of (strip_slash (e->path));

    if (e->path[0] == '/')
      return g_steal_pointer (&dir);
    return join_path (e->parent_base_dir, dir);
  }
}

static char *
config_path (const Element *e)
{
  if (e->is_group)
    {
      g_autofree char *group = group_path (e);

      return join_path (group, e->name ? e->name : "");
    }
  if (e->path[0] == '/')
    return g_strdup (e->path + 1);
  return join_path (e->parent_base_dir, e->path);
}

static char *
relative_group_path (const Element *e)
{
  if (e->is_group)
    return g_strdup (strip_slash (e->group));
  return dir_of (strip_slash (e->path));
}

static char *
dots (const char *path)
{
  return g_strdelimit (g_strdup (path), "/", '.');
}

static char *
final_package (const Element *e,
               gboolean       use_header)
{
  const char *parent = e->external_append ? "" : (e->parent_package ? e->parent_package : "");
  g_autofree char *package = NULL;
  g_autofree char *joined = NULL;
  const char *global;

  if (e->package != NULL)
    package = g_strdup (e->package);
  else if (use_header && e->header != NULL)
    package = g_strdup (e->header);
  else
    {
      g_autofree char *rel = relative_group_path (e);

      package = dots (rel);
    }

  if (*parent == '\0')
    joined = g_strdup (package);
  else if (*package == '\0')
    joined = g_strdup (parent);
  else
    joined = g_strconcat (parent, ".", package, NULL);

  global = g_strrstr (joined, "_global_");
  if (global == NULL)
    return g_steal_pointer (&joined);
  global += strlen ("_global_");
  return g_strdup (*global == '.' ? global + 1 : global);
}

char *
_cb_compose_override_key (const Element *e)
{
  g_autofree char *group = group_path (e);
  g_autofree char *default_package = dots (group);
  g_autofree char *package = final_package (e, FALSE);

  /* As Hydra's get_override_key: an empty final package is written _global_. */
  if (g_strcmp0 (default_package, package) != 0)
    return g_strconcat (group, "@", *package ? package : "_global_", NULL);
  return g_steal_pointer (&group);
}

static void
set_header (Element *e,
            Loaded  *loaded)
{
  const char *header;

  g_clear_pointer (&e->header, g_free);
  if (loaded == NULL || loaded->header == NULL)
    return;
  header = loaded->header;
  if (g_str_equal (header, "_group_"))
    {
      g_autofree char *group = group_path (e);
      g_autofree char *d = dots (group);

      e->header = *d ? g_strconcat ("_global_.", d, NULL) : g_strdup ("_global_");
    }
  else if (g_str_equal (header, "_global_") || g_str_has_prefix (header, "_global_."))
    e->header = g_strdup (header);
  else if (*header == '\0')
    e->header = g_strdup ("_global_");
  else
    e->header = g_strconcat ("_global_.", header, NULL);
}

/* ---- errors -------------------------------------------------------------------------- */

static char *
where_of (const Element *e)
{
  if (e->in_file == NULL)
    return g_strdup ("on the command line");
  if (e->line > 0)
    return g_strdup_printf ("in %s:%u", e->in_file, e->line);
  return g_strdup_printf ("in %s", e->in_file);
}

static char *
options_text (CbComposer *self,
              const char *group)
{
  g_auto(GStrv) options = cb_composer_list_options (self, group);

  if (options[0] == NULL)
    return g_strdup ("none");
  return g_strjoinv (", ", options);
}

/* ---- defaults lists ------------------------------------------------------------------ */

static gboolean
parse_entry (const Loaded  *loaded,
             const CbNode  *node,
             Element      **out,
             GError       **error)
{
  Element *e = g_new0 (Element, 1);

  e->in_file = loaded->file;
  e->line = cb_node_get_line (node);

  if (cb_node_get_node_type (node) == CB_NODE_SCALAR && !cb_node_is_null (node))
    {
      const char *text = cb_node_get_scalar (node);
      const char *at = strchr (text, '@');

      if (g_str_equal (text, "_self_"))
        e->is_self = TRUE;
      e->path = at ? g_strndup (text, at - text) : g_strdup (text);
      if (at != NULL)
        e->package = g_strdup (g_str_equal (at + 1, "_here_") ? "" : at + 1);
      *out = e;
      return TRUE;
    }

  if (cb_node_get_node_type (node) == CB_NODE_MAPPING && cb_node_get_n_children (node) == 1)
    {
      g_autofree char *key = g_strdup (cb_node_get_scalar (cb_node_get_key (node, 0)));
      const CbNode *value = cb_node_get_child (node, 0);
      char *k = key;
      char *at;

      for (;;)
        {
          if (g_str_has_prefix (k, "override "))
            {
              e->override = TRUE;
              k += strlen ("override ");
            }
          else if (g_str_has_prefix (k, "optional "))
            {
              e->optional = TRUE;
              k += strlen ("optional ");
            }
          else
            break;
          while (*k == ' ')
            k++;
        }
      at = strchr (k, '@');
      if (at != NULL)
        {
          *at = '\0';
          e->package = g_strdup (g_str_equal (at + 1, "_here_") ? "" : at + 1);
        }
      e->is_group = TRUE;
      e->group = g_strdup (k);
      if (*e->group == '\0')
        {
          _cb_compose_element_free (e);
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                       "%s:%u:%u: a defaults list entry names no group", loaded->file,
                       cb_node_get_line (node), cb_node_get_column (node));
          return FALSE;
        }
      if (cb_node_is_null (value))
        e->name = NULL;
      else if (cb_node_get_node_type (value) == CB_NODE_SEQUENCE)
        {
          e->options = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < cb_node_get_n_children (value); i++)
            g_ptr_array_add (e->options,
                             g_strdup (cb_node_get_scalar (cb_node_get_child (value, i))
                                         ? cb_node_get_scalar (cb_node_get_child (value, i))
                                         : ""));
        }
      else if (cb_node_get_node_type (value) == CB_NODE_SCALAR)
        e->name = g_strdup (cb_node_get_scalar (value));
      else
        {
          _cb_compose_element_free (e);
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                       "%s:%u:%u: the option of '%s' must be a name, a list of names or null",
                       loaded->file, cb_node_get_line (value), cb_node_get_column (value), key);
          return FALSE;
        }
      *out = e;
      return TRUE;
    }

  _cb_compose_element_free (e);
  g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
               "%s:%u:%u: a defaults list entry must be a config path or 'group: option'",
               loaded->file, cb_node_get_line (node), cb_node_get_column (node));
  return FALSE;
}

static GPtrArray *
read_defaults (const Loaded *loaded,
               GError      **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) _cb_compose_element_free);

  if (loaded->defaults == NULL || cb_node_is_null (loaded->defaults))
    return g_steal_pointer (&entries);
  if (cb_node_get_node_type (loaded->defaults) != CB_NODE_SEQUENCE)
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                   "%s:%u:%u: the defaults list must be a list", loaded->file,
                   cb_node_get_line (loaded->defaults), cb_node_get_column (loaded->defaults));
      return NULL;
    }
  for (guint i = 0; i < cb_node_get_n_children (loaded->defaults); i++)
    {
      Element *e = NULL;

      if (!parse_entry (loaded, cb_node_get_child (loaded->defaults, i), &e, error))
        return NULL;
      g_ptr_array_add (entries, e);
    }
  return g_steal_pointer (&entries);
}

static gboolean
set_known_choice (Ctx      *ctx,
                  Element  *e,
                  GError  **error)
{
  g_autofree char *key = NULL;
  const char *prev;

  if (!e->is_group)
    return TRUE;
  key = _cb_compose_override_key (e);
  if (!g_hash_table_lookup_extended (ctx->known, key, NULL, (gpointer *) &prev))
    {
      g_hash_table_insert (ctx->known, g_strdup (key), g_strdup (e->name));
      return TRUE;
    }
  if (g_strcmp0 (prev, e->name) != 0)
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                   "Multiple values for %s. To override a value use 'override %s: %s'",
                   key, key, prev ? prev : "null");
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_deleted (Ctx     *ctx,
            Element *e)
{
  g_autofree char *key = e->is_group ? _cb_compose_override_key (e) : config_path (e);
  Choice *deletion = g_hash_table_lookup (ctx->deletions, key);

  if (deletion == NULL)
    return FALSE;
  if (e->is_group && deletion->value != NULL && g_strcmp0 (deletion->value, e->name) != 0)
    return FALSE;
  deletion->used = TRUE;
  return TRUE;
}

static void
add_result (GPtrArray     *results,
            const Element *e,
            Loaded        *loaded,
            gboolean       is_self)
{
  Result *r = g_new0 (Result, 1);

  r->config_path = config_path (e);
  r->package = final_package (e, TRUE);
  r->override_key = e->is_group && !is_self ? _cb_compose_override_key (e) : NULL;
  if (e->is_group)
    {
      g_autofree char *key = _cb_compose_override_key (e);

      r->choice = g_strdup_printf ("%s=%s", key, e->name);
    }
  r->loaded = loaded;
  r->is_self = is_self;
  g_ptr_array_add (results, r);
}

static gboolean expand (Ctx *ctx, Element *e, gboolean is_root, GPtrArray *results,
                        GError **error);

/* An `override group: option` entry: met in reverse order, so the first registered (the
 * last in depth-first order) wins; the command line's choices are there before any. */
static void
register_override (Ctx          *ctx,
                   const Element *d,
                   const Loaded  *loaded)
{
  g_autofree char *key = _cb_compose_override_key (d);
  Choice *c;

  if (g_hash_table_contains (ctx->choices, key))
    return;
  c = g_new0 (Choice, 1);
  c->value = g_strdup (d->name);
  c->values = d->options ? g_ptr_array_ref (d->options) : NULL;
  c->where = g_strdup_printf ("%s:%u", loaded->file, d->line);
  c->text = g_strdup_printf ("%s: %s", d->group, d->name ? d->name : "null");
  g_hash_table_insert (ctx->choices, g_steal_pointer (&key), c);
}

static gboolean
expand (Ctx        *ctx,
        Element    *e,
        gboolean    is_root,
        GPtrArray  *results,
        GError    **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) parts = NULL;   /* GPtrArray of Result, one per child, reversed */
  Loaded *loaded = NULL;
  gboolean has_self = FALSE;
  gboolean has_non_override = FALSE;
  gboolean seen_override = FALSE;

  if (++ctx->depth > MAX_DEFAULTS_DEPTH)
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                   "The defaults lists nest more than %d deep (a config includes itself?)",
                   MAX_DEFAULTS_DEPTH);
      return FALSE;
    }

  path = config_path (e);
  if (e->name != NULL || !e->is_group)
    loaded = _cb_compose_get_loaded (ctx->composer, path);
  set_header (e, loaded);

  if (is_deleted (ctx, e))
    goto done;
  if (!set_known_choice (ctx, e, error))
    return FALSE;
  if (e->is_group && e->name == NULL)
    goto done;
  if (ctx->culprit == 0)
    ctx->culprit = e->culprit;
  if (e->is_group && g_str_equal (e->name, "???"))
    {
      g_autofree char *group = group_path (e);
      g_autofree char *options = options_text (ctx->composer, group);

      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                   "You must choose an option of '%s', e.g. %s=<OPTION> (options: %s)",
                   group, group, options);
      return FALSE;
    }

  if (loaded == NULL)
    {
      g_autofree char *where = where_of (e);

      if (e->optional)
        goto done;
      if (is_root)
        g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                     "Cannot find the primary config '%s' in %s", path, ctx->composer->dir);
      else if (e->is_group)
        {
          g_autofree char *group = group_path (e);
          g_autofree char *options = options_text (ctx->composer, group);

          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                       "'%s' has no option '%s' (options: %s); it is chosen %s", group, e->name,
                       options, where);
        }
      else
        g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                     "a defaults list names '%s', which does not exist (%s)", path, where);
      return FALSE;
    }
  if (loaded->error != NULL)
    {
      ctx->culprit = 0;
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_FILE, "%s", loaded->error->message);
      return FALSE;
    }

  entries = read_defaults (loaded, error);
  if (entries == NULL)
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      Element *d = g_ptr_array_index (entries, i);

      if (!d->override)
        has_non_override = TRUE;
      if (d->is_self)
        {
          if (has_self)
            {
              g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                           "%s: _self_ is in the defaults list twice", loaded->file);
              return FALSE;
            }
          has_self = TRUE;
        }
    }
  if ((entries->len > 0 || (is_root && ctx->appends->len > 0)) && !has_self &&
      (has_non_override || entries->len == 0))
    {
      Element *self_entry = g_new0 (Element, 1);

      self_entry->is_self = TRUE;
      self_entry->path = g_strdup ("_self_");
      g_ptr_array_add (entries, self_entry);
    }
  if (is_root)
    for (guint i = 0; i < ctx->appends->len; i++)
      {
        Element *a = g_ptr_array_index (ctx->appends, i);
        Element *copy = g_new0 (Element, 1);

        *copy = *a;
        copy->group = g_strdup (a->group);
        copy->name = g_strdup (a->name);
        copy->package = g_strdup (a->package);
        copy->options = a->options ? g_ptr_array_ref (a->options) : NULL;
        copy->culprit = a->culprit;
        copy->path = NULL;
        copy->parent_base_dir = NULL;
        copy->parent_package = NULL;
        copy->header = NULL;
        g_ptr_array_add (entries, copy);
      }

  /* Overrides come last in a defaults list. */
  for (guint i = 0; i < entries->len; i++)
    {
      Element *d = g_ptr_array_index (entries, i);

      if (d->is_self)
        continue;
      if (seen_override && !(d->override || d->external_append))
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                       "%s:%u: an override must come after the other entries of the defaults "
                       "list", loaded->file, d->line);
          return FALSE;
        }
      if (d->override)
        seen_override = TRUE;
    }

  /* No children (no defaults list, or only overrides in it): the config is a leaf. */
  {
    gboolean any_child = FALSE;

    for (guint i = 0; i < entries->len && !any_child; i++)
      any_child = !((Element *) g_ptr_array_index (entries, i))->override;
    if (!any_child)
      {
        /* The overrides still count. */
        for (guint i = 0; i < entries->len; i++)
          {
            Element *d = g_ptr_array_index (entries, i);

            g_free (d->parent_base_dir);
            d->parent_base_dir = group_path (e);
            g_free (d->parent_package);
            d->parent_package = final_package (e, TRUE);
            register_override (ctx, d, loaded);
          }
        add_result (results, e, loaded, FALSE);
        goto done;
      }
  }

  parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint n = entries->len; n > 0; n--)
    {
      Element *d = g_ptr_array_index (entries, n - 1);
      GPtrArray *part = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);

      g_ptr_array_add (parts, part);
      if (d->is_self)
        {
          add_result (part, e, loaded, TRUE);
          continue;
        }

      g_free (d->parent_base_dir);
      d->parent_base_dir = group_path (e);
      g_free (d->parent_package);
      d->parent_package = final_package (e, TRUE);

      if (d->override)
        {
          register_override (ctx, d, loaded);
          continue;
        }

      if (d->is_group)
        {
          g_autofree char *key = _cb_compose_override_key (d);
          Choice *c = g_hash_table_lookup (ctx->choices, key);

          if (c != NULL)
            {
              /* Messages about the option name where it was chosen. */
              if (c->external)
                {
                  d->in_file = NULL;
                  d->culprit = c->culprit;
                }
              g_free (d->name);
              d->name = g_strdup (c->value);
              g_clear_pointer (&d->options, g_ptr_array_unref);
              d->options = c->values ? g_ptr_array_ref (c->values) : NULL;
              c->used = TRUE;
            }
        }

      if (d->is_group && d->options != NULL)
        {
          for (guint k = d->options->len; k > 0; k--)
            {
              Element *item = g_new0 (Element, 1);
              gboolean ok;

              item->path = d->external_append
                             ? g_strconcat ("/", strip_slash (d->group), "/",
                                            (char *) g_ptr_array_index (d->options, k - 1), NULL)
                             : g_strconcat (d->group, "/",
                                            (char *) g_ptr_array_index (d->options, k - 1), NULL);
              item->package = g_strdup (d->package);
              item->optional = d->optional;
              item->in_file = d->in_file;
              item->line = d->line;
              item->culprit = d->culprit;
              item->parent_base_dir = g_strdup (d->external_append ? "" : d->parent_base_dir);
              item->parent_package = g_strdup (d->external_append ? "" : d->parent_package);
              /* One part per option, still in reverse: prepend by inserting before. */
              {
                GPtrArray *sub = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);

                ok = expand (ctx, item, FALSE, sub, error);
                _cb_compose_element_free (item);
                if (!ok)
                  {
                    g_ptr_array_unref (sub);
                    return FALSE;
                  }
                /* In front of the options after it: the loop runs backwards. */
                for (guint s = 0; s < sub->len; s++)
                  g_ptr_array_insert (part, s, g_ptr_array_index (sub, s));
                g_ptr_array_set_free_func (sub, NULL);
                g_ptr_array_unref (sub);
              }
            }
          continue;
        }

      if (!expand (ctx, d, FALSE, part, error))
        return FALSE;
    }

  for (guint n = parts->len; n > 0; n--)
    {
      GPtrArray *part = g_ptr_array_index (parts, n - 1);

      for (guint i = 0; i < part->len; i++)
        g_ptr_array_add (results, g_ptr_array_index (part, i));
      g_ptr_array_set_free_func (part, NULL);
      g_ptr_array_set_size (part, 0);
    }

done:
  if (ctx->culprit == e->culprit)
    ctx->culprit = 0;
  ctx->depth--;
  return TRUE;
}

/* ---- warnings ------------------------------------------------------------------------ */

static void
collect_leaves (const CbCfg *cfg,
                const char  *prefix,
                GPtrArray   *out)
{
  if (cfg->kind != CB_CFG_MAP || cfg->keys->len == 0)
    {
      g_ptr_array_add (out, g_strdup (prefix));
      return;
    }
  for (guint i = 0; i < cfg->keys->len; i++)
    {
      g_autofree char *path = *prefix ? g_strconcat (prefix, ".", (char *) g_ptr_array_index (cfg->keys, i), NULL)
                                      : g_strdup (g_ptr_array_index (cfg->keys, i));

      collect_leaves (g_ptr_array_index (cfg->items, i), path, out);
    }
}

/* A group the command chose whose own values are all set again later in the defaults list:
 * the choice has no effect there (Hydra composes it, and then overwrites it). */
static void
warn_shadowed (Ctx           *ctx,
               GPtrArray     *results,
               const CbCfg   *config,
               CbComposition *composition)
{
  for (guint i = 0; i < results->len; i++)
    {
      Result *r = g_ptr_array_index (results, i);
      Choice *c = r->override_key ? g_hash_table_lookup (ctx->choices, r->override_key) : NULL;
      g_autoptr(GPtrArray) leaves = NULL;
      guint n_shadowed = 0;
      const char *example = NULL;
      const char *by = NULL;
      guint by_line = 0;

      if (c == NULL || !c->external || r->loaded == NULL || r->loaded->content == NULL)
        continue;

      leaves = g_ptr_array_new_with_free_func (g_free);
      collect_leaves (r->loaded->content, r->package, leaves);
      for (guint k = 0; k < leaves->len; k++)
        {
          const char *leaf = g_ptr_array_index (leaves, k);
          const CbCfg *now = *leaf ? cb_cfg_lookup_path (config, leaf) : NULL;

          if (now != NULL && now->file != NULL && g_strcmp0 (now->file, r->loaded->file) != 0 &&
              g_strcmp0 (now->file, "command line") != 0)
            {
              n_shadowed++;
              if (example == NULL)
                {
                  example = leaf;
                  by = now->file;
                  by_line = now->line;
                }
            }
        }
      if (n_shadowed > 0)
        g_ptr_array_add (composition->warnings,
                         g_strdup_printf ("%s: '%s' (and %u more of what it sets) is set again "
                                          "later by %s:%u, so this choice does not reach it",
                                          c->text, example, n_shadowed - 1, by, by_line));
    }
}

/**
 * cb_composer_compose:
 * @primary: the primary config ("train", the runner's config_name)
 * @overrides: (nullable): the command's overrides, as Hydra receives them
 *
 * Returns: (transfer full): the job config and what went into it, or %NULL with @error set
 *   to what Hydra would say (with the file and line at fault where one is)
 */
CbComposition *
cb_composer_compose (CbComposer          *self,
                     const char          *primary,
                     const char * const  *overrides,
                     GError             **error)
{
  return cb_composer_compose_full (self, primary, overrides, NULL, error);
}

/**
 * cb_composer_compose_full:
 * @culprit: (out) (optional): the index in @overrides of the override Hydra would refuse
 *   (or that chose what is refused), or -1 when the fault is in the configs
 *
 * As cb_composer_compose(), saying which override is at fault.
 */
CbComposition *
cb_composer_compose_full (CbComposer          *self,
                          const char          *primary,
                          const char * const  *overrides,
                          int                 *culprit,
                          GError             **error)
{
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_override_free);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);
  g_autoptr(CbComposition) composition = NULL;
  Element root = { 0 };
  Ctx ctx = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (primary != NULL, NULL);

  for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
    {
      g_autoptr(GError) parse_error = NULL;
      CbOverride *o = cb_override_parse (overrides[i], &parse_error);

      if (o == NULL)
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE, "%s: %s",
                       overrides[i], parse_error->message);
          if (culprit != NULL)
            *culprit = (int) i;
          return NULL;
        }
      g_ptr_array_add (parsed, o);
    }

  ctx.composer = self;
  ctx.choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) _cb_compose_choice_free);
  ctx.deletions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) _cb_compose_choice_free);
  ctx.appends = g_ptr_array_new_with_free_func ((GDestroyNotify) _cb_compose_element_free);
  ctx.config_overrides = g_ptr_array_new ();
  ctx.known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  root.path = g_strdup (primary);
  root.primary = TRUE;
  root.parent_base_dir = g_strdup ("");
  root.parent_package = g_strdup ("");

  if (!_cb_compose_classify_overrides (&ctx, parsed, error))
    goto out;
  if (!expand (&ctx, &root, TRUE, results, error))
    goto out;
  if (!_cb_compose_check_used (&ctx, error))
    goto out;

  /* Every group once. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < results->len; i++)
      {
        Result *r = g_ptr_array_index (results, i);

        if (r->override_key != NULL && !g_hash_table_add (seen, r->override_key))
          {
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                         "%s appears more than once in the final defaults list",
                         r->override_key);
            goto out;
          }
      }
  }

  composition = g_new0 (CbComposition, 1);
  composition->config = cb_cfg_new_map ();
  composition->choices = g_ptr_array_new_with_free_func (g_free);
  composition->defaults = g_ptr_array_new_with_free_func (g_free);
  composition->warnings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < results->len; i++)
    {
      Result *r = g_ptr_array_index (results, i);
      CbCfg *at;

      if (r->choice != NULL)
        g_ptr_array_add (composition->choices, g_strdup (r->choice));
      if (r->loaded == NULL || r->loaded->content == NULL)
        continue;
      g_ptr_array_add (composition->defaults,
                       g_strdup_printf ("%s (%s)", r->config_path,
                                        *r->package ? r->package : "_global_"));
      at = cb_cfg_ensure_map_at (composition->config, r->package);
      cb_cfg_merge (at, r->loaded->content);
    }

  warn_shadowed (&ctx, results, composition->config, composition);

  for (guint i = 0; i < ctx.config_overrides->len; i++)
    {
      CbOverride *o = g_ptr_array_index (ctx.config_overrides, i);
      guint position = 0;

      g_ptr_array_find (parsed, o, &position);
      if (!_cb_compose_apply_config_override (composition->config, o, position + 1, error))
        {
          ctx.culprit = position + 1;
          goto out;
        }
    }

  /* The task gets the job config; Hydra keeps its own node apart (`--cfg job`). */
  {
    CbCfg *hydra = cb_cfg_lookup (composition->config, "hydra");

    if (hydra != NULL)
      {
        composition->hydra = cb_cfg_copy (hydra);
        cb_cfg_map_remove (composition->config, "hydra");
      }
  }

  ok = TRUE;

out:
  g_clear_pointer (&ctx.choices, g_hash_table_unref);
  g_clear_pointer (&ctx.deletions, g_hash_table_unref);
  g_clear_pointer (&ctx.appends, g_ptr_array_unref);
  g_clear_pointer (&ctx.config_overrides, g_ptr_array_unref);
  g_clear_pointer (&ctx.known, g_hash_table_unref);
  if (culprit != NULL)
    *culprit = ok ? -1 : (int) ctx.culprit - 1;
  g_free (root.path);
  g_free (root.parent_base_dir);
  g_free (root.parent_package);
  g_free (root.header);
  return ok ? g_steal_pointer (&composition) : NULL;
}

void
cb_composition_free (CbComposition *composition)
{
  if (composition == NULL)
    return;
  g_clear_pointer (&composition->config, cb_cfg_free);
  g_clear_pointer (&composition->hydra, cb_cfg_free);
  g_clear_pointer (&composition->choices, g_ptr_array_unref);
  g_clear_pointer (&composition->defaults, g_ptr_array_unref);
  g_clear_pointer (&composition->warnings, g_ptr_array_unref);
  g_free (composition);
}
