/* cb-cfg.c: a composed Hydra config: a mutable tree whose values know where they came from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What CbCompose builds: YAML files turned into trees (cb_cfg_from_node), merged as OmegaConf
 * merges (mappings key by key, later wins, lists and scalars replaced), then edited by the
 * command's overrides. Every node carries the file and line that set it last, so that the
 * Config view and the checks can say where a value comes from. Nesting is bounded by what the
 * YAML reader and the override parser accept.
 */

#define G_LOG_DOMAIN "cb-cfg"

#include "config.h"

#include "cb/cb-cfg.h"

#include <math.h>
#include <string.h>

#define RESOLVE_DEPTH 16

static CbCfg *
cfg_new (CbCfgKind kind)
{
  CbCfg *cfg = g_new0 (CbCfg, 1);

  cfg->kind = kind;
  if (kind == CB_CFG_MAP)
    {
      cfg->keys = g_ptr_array_new_with_free_func (g_free);
      cfg->items = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_cfg_free);
    }
  else if (kind == CB_CFG_LIST)
    cfg->items = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_cfg_free);
  return cfg;
}

CbCfg *
cb_cfg_new_map (void)
{
  return cfg_new (CB_CFG_MAP);
}

CbCfg *
cb_cfg_new_list (void)
{
  return cfg_new (CB_CFG_LIST);
}

CbCfg *
cb_cfg_new_null (void)
{
  return cfg_new (CB_CFG_NULL);
}

CbCfg *
cb_cfg_new_scalar (const char *text,
                   gboolean    quoted)
{
  CbCfg *cfg = cfg_new (CB_CFG_SCALAR);

  cfg->text = g_strdup (text);
  cfg->quoted = quoted;
  return cfg;
}

void
cb_cfg_free (CbCfg *cfg)
{
  if (cfg == NULL)
    return;
  g_free (cfg->text);
  g_clear_pointer (&cfg->keys, g_ptr_array_unref);
  g_clear_pointer (&cfg->items, g_ptr_array_unref);
  g_free (cfg);
}

void
cb_cfg_set_origin (CbCfg      *cfg,
                   const char *file,
                   guint       line,
                   guint       column)
{
  g_return_if_fail (cfg != NULL);

  cfg->file = file ? g_intern_string (file) : NULL;
  cfg->line = line;
  cfg->column = column;
}

/**
 * cb_cfg_from_node:
 * @node: (nullable): a YAML node; %NULL gives a null
 * @file: the file it was read from, for provenance
 */
CbCfg *
cb_cfg_from_node (const CbNode *node,
                  const char   *file)
{
  CbCfg *cfg;

  if (node == NULL)
    return cb_cfg_new_null ();

  switch (cb_node_get_node_type (node))
    {
    case CB_NODE_MAPPING:
      cfg = cb_cfg_new_map ();
      for (guint i = 0; i < cb_node_get_n_children (node); i++)
        {
          const char *key = cb_node_get_scalar (cb_node_get_key (node, i));

          cb_cfg_map_set (cfg, key ? key : "",
                          cb_cfg_from_node (cb_node_get_child (node, i), file));
        }
      break;

    case CB_NODE_SEQUENCE:
      cfg = cb_cfg_new_list ();
      for (guint i = 0; i < cb_node_get_n_children (node); i++)
        cb_cfg_list_append (cfg, cb_cfg_from_node (cb_node_get_child (node, i), file));
      break;

    case CB_NODE_SCALAR:
    default:
      if (cb_node_is_null (node))
        cfg = cb_cfg_new_null ();
      else
        cfg = cb_cfg_new_scalar (cb_node_get_scalar (node), cb_node_is_quoted (node));
      break;
    }

  cb_cfg_set_origin (cfg, file, cb_node_get_line (node), cb_node_get_column (node));
  return cfg;
}

CbCfg *
cb_cfg_copy (const CbCfg *cfg)
{
  CbCfg *copy;

  g_return_val_if_fail (cfg != NULL, NULL);

  copy = cfg_new (cfg->kind);
  copy->text = g_strdup (cfg->text);
  copy->quoted = cfg->quoted;
  copy->file = cfg->file;
  copy->line = cfg->line;
  copy->column = cfg->column;
  if (cfg->kind == CB_CFG_MAP)
    for (guint i = 0; i < cfg->keys->len; i++)
      {
        g_ptr_array_add (copy->keys, g_strdup (g_ptr_array_index (cfg->keys, i)));
        g_ptr_array_add (copy->items, cb_cfg_copy (g_ptr_array_index (cfg->items, i)));
      }
  else if (cfg->kind == CB_CFG_LIST)
    for (guint i = 0; i < cfg->items->len; i++)
      g_ptr_array_add (copy->items, cb_cfg_copy (g_ptr_array_index (cfg->items, i)));

  return copy;
}

static int
map_index (const CbCfg *map,
           const char  *key)
{
  for (guint i = 0; i < map->keys->len; i++)
    if (g_str_equal (g_ptr_array_index (map->keys, i), key))
      return (int) i;
  return -1;
}

/* A key of a map, or an index of a list. */
CbCfg *
cb_cfg_lookup (const CbCfg *cfg,
               const char  *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  if (cfg == NULL)
    return NULL;
  if (cfg->kind == CB_CFG_MAP)
    {
      int index = map_index (cfg, key);

      return index >= 0 ? g_ptr_array_index (cfg->items, index) : NULL;
    }
  if (cfg->kind == CB_CFG_LIST)
    {
      guint64 n;

      if (g_ascii_string_to_unsigned (key, 10, 0, G_MAXUINT, &n, NULL) && n < cfg->items->len)
        return g_ptr_array_index (cfg->items, n);
    }
  return NULL;
}

CbCfg *
cb_cfg_lookup_path (const CbCfg *cfg,
                    const char  *dotted)
{
  g_auto(GStrv) parts = NULL;
  const CbCfg *node = cfg;

  g_return_val_if_fail (dotted != NULL, NULL);

  if (*dotted == '\0')
    return (CbCfg *) cfg;
  parts = g_strsplit (dotted, ".", -1);
  for (guint i = 0; node != NULL && parts[i] != NULL; i++)
    node = cb_cfg_lookup (node, parts[i]);
  return (CbCfg *) node;
}

/* Sets @key of @map to @value (takes it), in place when the key exists. */
void
cb_cfg_map_set (CbCfg      *map,
                const char *key,
                CbCfg      *value)
{
  int index;

  g_return_if_fail (map != NULL && map->kind == CB_CFG_MAP);
  g_return_if_fail (key != NULL && value != NULL);

  index = map_index (map, key);
  if (index >= 0)
    {
      cb_cfg_free (g_ptr_array_index (map->items, index));
      g_ptr_array_index (map->items, index) = value;
      return;
    }
  g_ptr_array_add (map->keys, g_strdup (key));
  g_ptr_array_add (map->items, value);
}

gboolean
cb_cfg_map_remove (CbCfg      *map,
                   const char *key)
{
  int index;

  g_return_val_if_fail (map != NULL && map->kind == CB_CFG_MAP, FALSE);

  index = map_index (map, key);
  if (index < 0)
    return FALSE;
  g_ptr_array_remove_index (map->keys, index);
  g_ptr_array_remove_index (map->items, index);
  return TRUE;
}

void
cb_cfg_list_append (CbCfg *list,
                    CbCfg *item)
{
  g_return_if_fail (list != NULL && list->kind == CB_CFG_LIST);
  g_ptr_array_add (list->items, item);
}

/* The map at @package (dotted) under @root, made where missing or not a map. */
CbCfg *
cb_cfg_ensure_map_at (CbCfg      *root,
                      const char *package)
{
  g_auto(GStrv) parts = NULL;
  CbCfg *node = root;

  g_return_val_if_fail (root != NULL && root->kind == CB_CFG_MAP, NULL);

  if (package == NULL || *package == '\0')
    return root;
  parts = g_strsplit (package, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      CbCfg *child = cb_cfg_lookup (node, parts[i]);

      if (child == NULL || child->kind != CB_CFG_MAP)
        {
          child = cb_cfg_new_map ();
          cb_cfg_map_set (node, parts[i], child);
        }
      node = child;
    }
  return node;
}

/* OmegaConf's merge: mappings key by key, anything else replaced by a copy of @src. */
void
cb_cfg_merge (CbCfg       *dst,
              const CbCfg *src)
{
  g_return_if_fail (dst != NULL && src != NULL);

  if (dst->kind == CB_CFG_MAP && src->kind == CB_CFG_MAP)
    {
      for (guint i = 0; i < src->keys->len; i++)
        {
          const char *key = g_ptr_array_index (src->keys, i);
          const CbCfg *value = g_ptr_array_index (src->items, i);
          CbCfg *existing = cb_cfg_lookup (dst, key);

          if (existing != NULL && existing->kind == CB_CFG_MAP && value->kind == CB_CFG_MAP)
            cb_cfg_merge (existing, value);
          else
            cb_cfg_map_set (dst, key, cb_cfg_copy (value));
        }
      if (src->file != NULL)
        cb_cfg_set_origin (dst, src->file, src->line, src->column);
      return;
    }

  {
    CbCfg *copy = cb_cfg_copy (src);

    /* Replace in place: swap the contents. */
    g_free (dst->text);
    g_clear_pointer (&dst->keys, g_ptr_array_unref);
    g_clear_pointer (&dst->items, g_ptr_array_unref);
    *dst = *copy;
    g_free (copy);
  }
}

gboolean
cb_cfg_equal (const CbCfg *a,
              const CbCfg *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->kind != b->kind)
    return FALSE;
  switch (a->kind)
    {
    case CB_CFG_NULL:
      return TRUE;
    case CB_CFG_SCALAR:
      return g_strcmp0 (a->text, b->text) == 0;
    case CB_CFG_MAP:
      if (a->keys->len != b->keys->len)
        return FALSE;
      for (guint i = 0; i < a->keys->len; i++)
        if (!g_str_equal (g_ptr_array_index (a->keys, i), g_ptr_array_index (b->keys, i)) ||
            !cb_cfg_equal (g_ptr_array_index (a->items, i), g_ptr_array_index (b->items, i)))
          return FALSE;
      return TRUE;
    case CB_CFG_LIST:
    default:
      if (a->items->len != b->items->len)
        return FALSE;
      for (guint i = 0; i < a->items->len; i++)
        if (!cb_cfg_equal (g_ptr_array_index (a->items, i), g_ptr_array_index (b->items, i)))
          return FALSE;
      return TRUE;
    }
}

/* ---- writing ------------------------------------------------------------------------- */

/* What YAML (and OmegaConf) would read as something other than a string. */
static gboolean
looks_typed (const char *text)
{
  static const char * const words[] = {
    "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN", NULL
  };
  const char *p = text;
  char *end = NULL;

  if (g_strv_contains (words, text))
    return TRUE;
  /* YAML 1.1 integers may hold '_' (1_000), which strtod stops at. */
  if (*p == '+' || *p == '-')
    p++;
  if (g_ascii_isdigit (*p) && strspn (p, "0123456789_") == strlen (p))
    return TRUE;
  g_ascii_strtod (text, &end);
  return end != text && *end == '\0';
}

/* Characters a YAML reader folds or drops inside quotes, or refuses to read written as they
 * are (YAML's printable set leaves out U+FFFE and U+FFFF): written as escapes. */
static gboolean
is_special_char (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0xfeff
         || c == 0xfffe || c == 0xffff;
}

static gboolean
plain_safe (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1]))
    return FALSE;
  if (strchr ("-?:,[]{}#&*!|>'\"%@`", text[0]) != NULL &&
      !(text[0] == '-' && len > 1 && text[1] != ' '))
    return FALSE;
  if (strstr (text, ": ") != NULL || strstr (text, " #") != NULL || text[len - 1] == ':')
    return FALSE;
  /* A document marker ("---", "...") at the start of a line ends the document. */
  if ((g_str_has_prefix (text, "---") || g_str_has_prefix (text, "...")) &&
      (len == 3 || g_ascii_isspace (text[3])))
    return FALSE;
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (is_special_char (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* "…" with \" \\ \n \t, and other control characters as YAML's \xNN or JSON's \uNNNN. */

/* Characters a YAML reader folds or drops inside quotes: written as escapes. */
static void
append_double_quoted (GString    *out,
                      const char *text,
                      gboolean    json)
{
  /* The trees hold UTF-8 (the YAML reader and the override parser check it); anything else
   * is written byte by byte. */
  gboolean utf8 = g_utf8_validate (text, -1, NULL);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p = utf8 ? g_utf8_next_char (p) : p + 1)
    {
      gunichar c = utf8 ? g_utf8_get_char (p) : (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (is_special_char (c) || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else if (utf8)
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_quoted (GString    *out,
               const char *text)
{
  gboolean needs_double = FALSE;

  if (g_utf8_validate (text, -1, NULL))
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
      if (is_special_char (g_utf8_get_char (p)))
        needs_double = TRUE;

  if (!needs_double)
    {
      g_string_append_c (out, '\'');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '\'')
            g_string_append_c (out, '\'');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '\'');
      return;
    }

  append_double_quoted (out, text, FALSE);
}

/* Inside [...] or {...}, a plain scalar is kept to the plainest text: no flow indicators
 * and none of the characters whose meaning there depends on what follows them. */
static gboolean
flow_safe (const char *text)
{
  return strpbrk (text, ",[]{}:#\"'&*!|>%@`?") == NULL;
}

static void
append_scalar_in (GString     *out,
                  const CbCfg *cfg,
                  gboolean     in_flow)
{
  gboolean plain = plain_safe (cfg->text ? cfg->text : "") &&
                   (!in_flow || flow_safe (cfg->text));

  if (cfg->kind == CB_CFG_NULL)
    g_string_append (out, "null");
  else if (cfg->quoted ? (!looks_typed (cfg->text) && plain) : plain)
    g_string_append (out, cfg->text);
  else
    append_quoted (out, cfg->text);
}

static void
append_scalar (GString     *out,
               const CbCfg *cfg)
{
  append_scalar_in (out, cfg, FALSE);
}

/* The text of a scalar as YAML writes it (quotes where needed). */
char *
cb_cfg_scalar_display (const CbCfg *cfg)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (cfg != NULL, NULL);

  if (cfg->kind == CB_CFG_MAP)
    g_string_append (out, cfg->keys->len ? "{…}" : "{}");
  else if (cfg->kind == CB_CFG_LIST)
    g_string_append (out, cfg->items->len ? "[…]" : "[]");
  else
    append_scalar (out, cfg);
  return g_string_free (out, FALSE);
}

/* YAML's simple keys end within 1024 characters of the reader's text (escapes counted as
 * written); a longer key is written as an explicit one: "? key", then the ':' on the next
 * line at @indent, or in a flow collection (@indent < 0) after a space. */
#define SIMPLE_KEY_MAX 1000

static void
append_key (GString    *out,
            const char *key,
            int         indent)
{
  g_autoptr(GString) written = g_string_new (NULL);

  if (plain_safe (key) && flow_safe (key) && !looks_typed (key))
    g_string_append (written, key);
  else
    append_quoted (written, key);

  if (written->len <= SIMPLE_KEY_MAX)
    {
      g_string_append_len (out, written->str, written->len);
      return;
    }
  g_string_append (out, "? ");
  g_string_append_len (out, written->str, written->len);
  if (indent < 0)
    g_string_append_c (out, ' ');
  else
    g_string_append_printf (out, "\n%*s", indent, "");
}

static void
append_flow_in (GString     *out,
                const CbCfg *cfg,
                gboolean     in_flow)
{
  if (cfg->kind == CB_CFG_MAP)
    {
      g_string_append_c (out, '{');
      for (guint i = 0; i < cfg->keys->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_key (out, g_ptr_array_index (cfg->keys, i), -1);
          g_string_append (out, ": ");
          append_flow_in (out, g_ptr_array_index (cfg->items, i), TRUE);
        }
      g_string_append_c (out, '}');
    }
  else if (cfg->kind == CB_CFG_LIST)
    {
      g_string_append_c (out, '[');
      for (guint i = 0; i < cfg->items->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_flow_in (out, g_ptr_array_index (cfg->items, i), TRUE);
        }
      g_string_append_c (out, ']');
    }
  else
    append_scalar_in (out, cfg, in_flow);
}

static void
append_flow (GString     *out,
             const CbCfg *cfg)
{
  append_flow_in (out, cfg, FALSE);
}

static gboolean
is_flat_list (const CbCfg *cfg)
{
  if (cfg->kind != CB_CFG_LIST)
    return FALSE;
  for (guint i = 0; i < cfg->items->len; i++)
    if (((CbCfg *) g_ptr_array_index (cfg->items, i))->kind == CB_CFG_MAP ||
        ((CbCfg *) g_ptr_array_index (cfg->items, i))->kind == CB_CFG_LIST)
      return FALSE;
  return TRUE;
}

static void
append_block (GString     *out,
              const CbCfg *cfg,
              guint        indent)
{
  if (cfg->kind == CB_CFG_MAP)
    {
      for (guint i = 0; i < cfg->keys->len; i++)
        {
          const CbCfg *value = g_ptr_array_index (cfg->items, i);

          g_string_append_printf (out, "%*s", (int) indent, "");
          append_key (out, g_ptr_array_index (cfg->keys, i), (int) indent);
          g_string_append_c (out, ':');
          if ((value->kind == CB_CFG_MAP && value->keys->len > 0) ||
              (value->kind == CB_CFG_LIST && !is_flat_list (value)))
            {
              g_string_append_c (out, '\n');
              append_block (out, value, indent + 2);
            }
          else
            {
              g_string_append_c (out, ' ');
              append_flow (out, value);
              g_string_append_c (out, '\n');
            }
        }
    }
  else if (cfg->kind == CB_CFG_LIST)
    {
      for (guint i = 0; i < cfg->items->len; i++)
        {
          const CbCfg *item = g_ptr_array_index (cfg->items, i);

          g_string_append_printf (out, "%*s- ", (int) indent, "");
          if (item->kind == CB_CFG_MAP && item->keys->len > 0)
            {
              g_autoptr(GString) inner = g_string_new (NULL);

              append_block (inner, item, indent + 2);
              /* The first key goes on the dash's line. */
              g_string_append (out, inner->str + indent + 2);
            }
          else
            {
              append_flow (out, item);
              g_string_append_c (out, '\n');
            }
        }
    }
  else
    {
      g_string_append_printf (out, "%*s", (int) indent, "");
      append_scalar (out, cfg);
      g_string_append_c (out, '\n');
    }
}

/* Block YAML, keys in order, as `OmegaConf.to_yaml` lays it out. */
char *
cb_cfg_to_yaml (const CbCfg *cfg)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (cfg != NULL, NULL);

  if (cfg->kind == CB_CFG_MAP && cfg->keys->len == 0)
    g_string_append (out, "{}\n");
  else
    append_block (out, cfg, 0);
  return g_string_free (out, FALSE);
}

typedef struct
{
  GString    *out;
  const char *filter;     /* casefolded, or NULL */
  GArray     *marked;     /* guint: 0-based lines set by the command line */
  guint       line;
} Annotated;

static gboolean
matches (const char *text,
         const char *filter)
{
  g_autofree char *folded = NULL;

  if (filter == NULL || text == NULL)
    return filter == NULL;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, filter) != NULL;
}

/* Whether @cfg, reached by @path, or anything under it matches the filter. */
static gboolean
subtree_matches (const CbCfg *cfg,
                 const char  *path,
                 const char  *filter)
{
  if (filter == NULL || matches (path, filter))
    return TRUE;
  if (cfg->kind == CB_CFG_SCALAR)
    return matches (cfg->text, filter);
  if (cfg->kind == CB_CFG_MAP)
    for (guint i = 0; i < cfg->keys->len; i++)
      {
        g_autofree char *child = g_strconcat (path, ".", (char *) g_ptr_array_index (cfg->keys, i),
                                              NULL);

        if (subtree_matches (g_ptr_array_index (cfg->items, i), child, filter))
          return TRUE;
      }
  return FALSE;
}

static void
annotate_line_end (Annotated   *a,
                   const CbCfg *cfg)
{
  if (cfg->file != NULL && g_str_equal (cfg->file, "command line"))
    {
      g_string_append (a->out, "  # command line");
      if (a->marked != NULL)
        g_array_append_val (a->marked, a->line);
    }
  else if (cfg->file != NULL)
    g_string_append_printf (a->out, "  # %s:%u", cfg->file, cfg->line);
  g_string_append_c (a->out, '\n');
  a->line++;
}

static void
append_annotated (Annotated   *a,
                  const CbCfg *cfg,
                  const char  *path,
                  guint        indent)
{
  for (guint i = 0; i < cfg->keys->len; i++)
    {
      const char *key = g_ptr_array_index (cfg->keys, i);
      const CbCfg *value = g_ptr_array_index (cfg->items, i);
      g_autofree char *child = *path ? g_strconcat (path, ".", key, NULL) : g_strdup (key);
      /* Under a matching key, everything is shown. */
      const char *filter = a->filter != NULL && matches (child, a->filter) ? NULL : a->filter;

      if (!subtree_matches (value, child, filter))
        continue;
      g_string_append_printf (a->out, "%*s", (int) indent, "");
      append_key (a->out, key, (int) indent);
      g_string_append_c (a->out, ':');
      if (value->kind == CB_CFG_MAP && value->keys->len > 0)
        {
          g_string_append_c (a->out, '\n');
          a->line++;
          {
            const char *saved = a->filter;

            a->filter = filter;
            append_annotated (a, value, child, indent + 2);
            a->filter = saved;
          }
        }
      else
        {
          g_string_append_c (a->out, ' ');
          append_flow (a->out, value);
          annotate_line_end (a, value);
        }
    }
}

/**
 * cb_cfg_to_yaml_with_origins:
 * @filter: (nullable): show only keys whose dotted path or value contains it (any case),
 *   with their parents; everything under a matching key
 * @marked: (nullable) (element-type guint): receives the 0-based lines of values the
 *   command line set
 *
 * Block YAML of a map where each value line ends with a comment saying where it was set
 * last (`# configs/trainer/default.yaml:2`, `# command line`). Lists are written inline.
 */
char *
cb_cfg_to_yaml_with_origins (const CbCfg *cfg,
                             const char  *filter,
                             GArray      *marked)
{
  g_autofree char *folded = filter && *filter ? g_utf8_casefold (filter, -1) : NULL;
  Annotated a = { g_string_new (NULL), folded, marked, 0 };

  g_return_val_if_fail (cfg != NULL && cfg->kind == CB_CFG_MAP, NULL);

  append_annotated (&a, cfg, "", 0);
  return g_string_free (a.out, FALSE);
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  append_double_quoted (out, text, TRUE);
}

static void
append_json (GString     *out,
             const CbCfg *cfg)
{
  switch (cfg->kind)
    {
    case CB_CFG_NULL:
      g_string_append (out, "null");
      break;
    case CB_CFG_MAP:
      g_string_append_c (out, '{');
      for (guint i = 0; i < cfg->keys->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_json_string (out, g_ptr_array_index (cfg->keys, i));
          g_string_append_c (out, ':');
          append_json (out, g_ptr_array_index (cfg->items, i));
        }
      g_string_append_c (out, '}');
      break;
    case CB_CFG_LIST:
      g_string_append_c (out, '[');
      for (guint i = 0; i < cfg->items->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_json (out, g_ptr_array_index (cfg->items, i));
        }
      g_string_append_c (out, ']');
      break;
    case CB_CFG_SCALAR:
    default:
      {
        const char *t = cfg->text;
        gint64 i;
        double d;
        char *end = NULL;

        if (!cfg->quoted && (g_str_equal (t, "true") || g_str_equal (t, "True")))
          g_string_append (out, "true");
        else if (!cfg->quoted && (g_str_equal (t, "false") || g_str_equal (t, "False")))
          g_string_append (out, "false");
        else if (!cfg->quoted && g_ascii_string_to_signed (t, 10, G_MININT64, G_MAXINT64, &i, NULL))
          g_string_append_printf (out, "%" G_GINT64_FORMAT, i);
        else if (!cfg->quoted && (d = g_ascii_strtod (t, &end), end != t && *end == '\0') &&
                 isfinite (d))
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append (out, g_ascii_dtostr (buf, sizeof buf, d));
          }
        else
          append_json_string (out, t);
      }
      break;
    }
}

char *
cb_cfg_to_json (const CbCfg *cfg)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (cfg != NULL, NULL);
  append_json (out, cfg);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

/* ---- interpolations ------------------------------------------------------------------ */

static void
resolve_into (GString     *out,
              const CbCfg *root,
              const char  *text,
              guint        depth)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start = strstr (p, "${");
      const char *close;
      g_autofree char *inner = NULL;
      const CbCfg *target;

      if (start == NULL || depth >= RESOLVE_DEPTH)
        {
          g_string_append (out, p);
          return;
        }
      g_string_append_len (out, p, start - p);
      close = strchr (start, '}');
      if (close == NULL)
        {
          g_string_append (out, start);
          return;
        }
      inner = g_strndup (start + 2, close - start - 2);
      /* Resolvers (oc.env:, hydra:, now:) and nested ones are shown as written. */
      target = strchr (inner, ':') == NULL && strstr (inner, "${") == NULL
                 ? cb_cfg_lookup_path (root, inner) : NULL;
      if (target != NULL && target->kind == CB_CFG_SCALAR)
        resolve_into (out, root, target->text, depth + 1);
      else
        g_string_append_len (out, start, close - start + 1);
      p = close + 1;
    }
}

/**
 * cb_cfg_resolve_text:
 * @root: the whole config
 * @text: a scalar's text
 *
 * Returns: (transfer full): @text with every `${a.b}` that names a scalar of @root replaced
 *   by it (for display); resolvers such as `${oc.env:X}` and `${hydra:…}` stay as written.
 */
char *
cb_cfg_resolve_text (const CbCfg *root,
                     const char  *text)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);
  resolve_into (out, root, text, 0);
  return g_string_free (out, FALSE);
}

static void
collect_keys (const CbCfg *cfg,
              const char  *prefix,
              GPtrArray   *out)
{
  if (cfg->kind != CB_CFG_MAP)
    return;
  for (guint i = 0; i < cfg->keys->len; i++)
    {
      const char *key = g_ptr_array_index (cfg->keys, i);
      char *path = *prefix ? g_strconcat (prefix, ".", key, NULL) : g_strdup (key);

      g_ptr_array_add (out, path);
      collect_keys (g_ptr_array_index (cfg->items, i), path, out);
    }
}

/* Adds the dotted path of every key under @cfg (maps only) to @out (char *, owned). */
void
cb_cfg_collect_keys (const CbCfg *cfg,
                     GPtrArray   *out)
{
  g_return_if_fail (cfg != NULL && out != NULL);
  collect_keys (cfg, "", out);
}
