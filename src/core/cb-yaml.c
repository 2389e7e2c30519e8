/* cb-yaml.c: a small read-only YAML tree built from libyaml events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Free-form YAML (Hydra configs, ui_meta files, a run's .hydra/config.yaml) is read with
 * libyaml's event parser into this tree. Every node keeps its 1-based line and column, so
 * any message about it can point at the file. Anchors and aliases share nodes (refcounted);
 * ${...} interpolations stay text. A syntax error gives "file:line:column: problem".
 *
 * Files come from other people, so the tree is bounded where it is built: collections nest
 * at most CB_YAML_MAX_DEPTH deep (so that no walk of the tree, here or in its users, can
 * recurse deeper), and a document is refused once its aliases would make more than
 * CB_YAML_MAX_NODES nodes to walk ("billion laughs": each walk expands the aliases).
 */

#define G_LOG_DOMAIN "cb-yaml"

#include "config.h"

#include "cb/cb-yaml.h"
#include "cb/cb-file-read.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <yaml.h>

struct _CbNode
{
  gatomicrefcount  ref_count;
  CbNodeType       type;
  guint            line;
  guint            column;
  char            *scalar;   /* CB_NODE_SCALAR */
  gboolean         quoted;
  GPtrArray       *keys;     /* CB_NODE_MAPPING: CbNode scalars */
  GPtrArray       *children; /* values (mapping) or items (sequence) */
  gsize            weight;   /* nodes a walk visits, aliases expanded; 0 while being read */
};

G_DEFINE_QUARK (cb-yaml-error-quark, cb_yaml_error)

static CbNode *
node_new (CbNodeType        type,
          const yaml_mark_t *mark)
{
  CbNode *node = g_new0 (CbNode, 1);

  g_atomic_ref_count_init (&node->ref_count);
  node->type = type;
  node->line = mark->line + 1;
  node->column = mark->column + 1;
  node->weight = 1;
  if (type != CB_NODE_SCALAR)
    node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_node_unref);
  if (type == CB_NODE_MAPPING)
    node->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_node_unref);

  return node;
}

CbNode *
cb_node_ref (CbNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  g_atomic_ref_count_inc (&node->ref_count);
  return node;
}

void
cb_node_unref (CbNode *node)
{
  if (node == NULL)
    return;

  if (g_atomic_ref_count_dec (&node->ref_count))
    {
      g_free (node->scalar);
      g_clear_pointer (&node->keys, g_ptr_array_unref);
      g_clear_pointer (&node->children, g_ptr_array_unref);
      g_free (node);
    }
}

typedef struct
{
  yaml_parser_t  parser;
  const char    *filename;
  const char    *data;
  gsize          length;
  GHashTable    *anchors;
  GError       **error;
  guint          depth;      /* collections open */
  gsize          n_nodes;    /* nodes of the current document, aliases expanded */
} Loader;

static void
set_parser_error (Loader *loader)
{
  yaml_parser_t *parser = &loader->parser;
  const yaml_mark_t *mark = &parser->problem_mark;
  const char *problem = parser->problem ? parser->problem : "invalid YAML";

  if (parser->error == YAML_READER_ERROR)
    {
      /* Bad UTF-8 or a control character: the reader gives a byte offset only. */
      const char *end = loader->data + MIN (parser->problem_offset, loader->length);
      const char *line_start = loader->data;
      guint line = 1;

      for (const char *p = loader->data; p < end; p++)
        {
          if (*p == '\n')
            {
              line++;
              line_start = p + 1;
            }
        }
      g_set_error (loader->error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX, "%s:%u:%ld: %s",
                   loader->filename, line, g_utf8_strlen (line_start, end - line_start) + 1,
                   problem);
      return;
    }

  if (parser->context != NULL)
    g_set_error (loader->error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX,
                 "%s:%zu:%zu: %s (%s at line %zu)", loader->filename,
                 (size_t) mark->line + 1, (size_t) mark->column + 1, problem,
                 parser->context, (size_t) parser->context_mark.line + 1);
  else
    g_set_error (loader->error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX,
                 "%s:%zu:%zu: %s", loader->filename,
                 (size_t) mark->line + 1, (size_t) mark->column + 1, problem);
}

static void
remember_anchor (Loader        *loader,
                 const yaml_char_t *anchor,
                 CbNode        *node)
{
  if (anchor != NULL)
    g_hash_table_replace (loader->anchors, g_strdup ((const char *) anchor), cb_node_ref (node));
}

/* The key of @map that is the same text as @key, or NULL. Past a few keys through @index
 * (made here, freed by the caller), so that a mapping of n keys costs n lookups. */
static const CbNode *
find_key (const CbNode  *map,
          GHashTable   **index,
          const CbNode  *key)
{
  if (*index == NULL && map->keys->len < 16)
    {
      for (guint i = 0; i < map->keys->len; i++)
        {
          const CbNode *other = g_ptr_array_index (map->keys, i);

          if (g_str_equal (other->scalar, key->scalar))
            return other;
        }
      return NULL;
    }

  if (*index == NULL)
    {
      *index = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < map->keys->len; i++)
        {
          CbNode *other = g_ptr_array_index (map->keys, i);

          g_hash_table_insert (*index, other->scalar, other);
        }
    }
  return g_hash_table_lookup (*index, key->scalar);
}

/* Parses the node that starts with @event (consumed by the caller). */
static CbNode *
parse_node (Loader       *loader,
            yaml_event_t *event)
{
  CbNode *node = NULL;

  switch (event->type)
    {
    case YAML_SCALAR_EVENT:
      loader->n_nodes++;
      node = node_new (CB_NODE_SCALAR, &event->start_mark);
      node->scalar = g_strndup ((const char *) event->data.scalar.value, event->data.scalar.length);
      node->quoted = event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
      remember_anchor (loader, event->data.scalar.anchor, node);
      return node;

    case YAML_ALIAS_EVENT:
      node = g_hash_table_lookup (loader->anchors, event->data.alias.anchor);
      if (node == NULL)
        {
          g_set_error (loader->error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX,
                       "%s:%zu:%zu: unknown alias '%s'", loader->filename,
                       (size_t) event->start_mark.line + 1, (size_t) event->start_mark.column + 1,
                       (const char *) event->data.alias.anchor);
          return NULL;
        }
      if (node->weight == 0)
        {
          /* "&a [*a]": a collection inside itself would make every walk endless. */
          g_set_error (loader->error, CB_YAML_ERROR, CB_YAML_ERROR_LIMIT,
                       "%s:%zu:%zu: alias '%s' refers to a collection that contains it",
                       loader->filename, (size_t) event->start_mark.line + 1,
                       (size_t) event->start_mark.column + 1,
                       (const char *) event->data.alias.anchor);
          return NULL;
        }
      if (loader->n_nodes + node->weight > CB_YAML_MAX_NODES)
        {
          g_set_error (loader->error, CB_YAML_ERROR, CB_YAML_ERROR_LIMIT,
                       "%s:%zu:%zu: aliases expand to too many nodes (more than %u)",
                       loader->filename, (size_t) event->start_mark.line + 1,
                       (size_t) event->start_mark.column + 1, CB_YAML_MAX_NODES);
          return NULL;
        }
      loader->n_nodes += node->weight;
      return cb_node_ref (node);

    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      {
        gboolean is_map = event->type == YAML_MAPPING_START_EVENT;
        const yaml_char_t *anchor = is_map ? event->data.mapping_start.anchor
                                           : event->data.sequence_start.anchor;
        gsize n_before = loader->n_nodes;
        g_autoptr(GHashTable) index = NULL;

        if (loader->depth >= CB_YAML_MAX_DEPTH)
          {
            g_set_error (loader->error, CB_YAML_ERROR, CB_YAML_ERROR_LIMIT,
                         "%s:%zu:%zu: nested too deeply (more than %u levels)",
                         loader->filename, (size_t) event->start_mark.line + 1,
                         (size_t) event->start_mark.column + 1, CB_YAML_MAX_DEPTH);
            return NULL;
          }
        loader->depth++;
        loader->n_nodes++;

        node = node_new (is_map ? CB_NODE_MAPPING : CB_NODE_SEQUENCE, &event->start_mark);
        node->weight = 0;   /* not complete yet */
        remember_anchor (loader, anchor, node);

        for (;;)
          {
            yaml_event_t child_event;
            const CbNode *first;
            CbNode *child;

            if (!yaml_parser_parse (&loader->parser, &child_event))
              {
                set_parser_error (loader);
                loader->depth--;
                cb_node_unref (node);
                return NULL;
              }

            if (child_event.type == YAML_SEQUENCE_END_EVENT ||
                child_event.type == YAML_MAPPING_END_EVENT)
              {
                yaml_event_delete (&child_event);
                break;
              }

            child = parse_node (loader, &child_event);
            yaml_event_delete (&child_event);
            if (child == NULL)
              {
                loader->depth--;
                cb_node_unref (node);
                return NULL;
              }

            if (is_map && node->keys->len == node->children->len)
              {
                if (child->type != CB_NODE_SCALAR)
                  {
                    g_set_error (loader->error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX,
                                 "%s:%u:%u: a mapping key must be a plain value",
                                 loader->filename, child->line, child->column);
                    cb_node_unref (child);
                    loader->depth--;
                    cb_node_unref (node);
                    return NULL;
                  }
                /* Hydra's YAML loader (OmegaConf) refuses a repeated key: so do all readers,
                 * rather than take one of the two values without a word. */
                if ((first = find_key (node, &index, child)) != NULL)
                  {
                    g_set_error (loader->error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX,
                                 "%s:%u:%u: duplicate key '%s' (first at line %u)",
                                 loader->filename, child->line, child->column, child->scalar,
                                 first->line);
                    cb_node_unref (child);
                    loader->depth--;
                    cb_node_unref (node);
                    return NULL;
                  }
                if (index != NULL)
                  g_hash_table_insert (index, child->scalar, child);
                g_ptr_array_add (node->keys, child);
              }
            else
              {
                g_ptr_array_add (node->children, child);
              }
          }

        loader->depth--;
        node->weight = loader->n_nodes - n_before;
        return node;
      }

    case YAML_NO_EVENT:
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_START_EVENT:
    case YAML_DOCUMENT_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
    default:
      g_set_error (loader->error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX,
                   "%s:%zu:%zu: unexpected YAML event", loader->filename,
                   (size_t) event->start_mark.line + 1, (size_t) event->start_mark.column + 1);
      return NULL;
    }
}

CbNode *
cb_yaml_load_data (const char  *data,
                   gsize        length,
                   const char  *filename,
                   GError     **error)
{
  Loader loader = { 0 };
  GError *local_error = NULL;
  CbNode *root = NULL;
  gboolean done = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  loader.filename = filename ? filename : "<data>";
  loader.data = data ? data : "";
  loader.length = data ? length : 0;
  loader.error = &local_error;
  loader.anchors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) cb_node_unref);

  yaml_parser_initialize (&loader.parser);
  yaml_parser_set_input_string (&loader.parser, (const unsigned char *) (data ? data : ""), length);

  while (!done)
    {
      yaml_event_t event;

      if (!yaml_parser_parse (&loader.parser, &event))
        {
          set_parser_error (&loader);
          g_clear_pointer (&root, cb_node_unref);
          break;
        }

      switch (event.type)
        {
        case YAML_STREAM_END_EVENT:
          done = TRUE;
          break;

        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
          break;

        case YAML_SCALAR_EVENT:
        case YAML_ALIAS_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
          /* Each document has its own count. */
          loader.n_nodes = 0;
          if (root != NULL)
            {
              /* A second document: only the first one counts, as in Hydra. */
              CbNode *extra = parse_node (&loader, &event);

              if (extra == NULL)
                {
                  g_clear_pointer (&root, cb_node_unref);
                  done = TRUE;
                }
              g_clear_pointer (&extra, cb_node_unref);
            }
          else
            {
              root = parse_node (&loader, &event);
              if (root == NULL)
                done = TRUE;
            }
          break;

        case YAML_NO_EVENT:
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
        default:
          break;
        }

      yaml_event_delete (&event);
    }

  yaml_parser_delete (&loader.parser);
  g_hash_table_unref (loader.anchors);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      g_clear_pointer (&root, cb_node_unref);
      return NULL;
    }

  if (root == NULL)
    {
      /* An empty document is an empty mapping. */
      yaml_mark_t mark = { 0 };

      root = node_new (CB_NODE_MAPPING, &mark);
    }

  return root;
}

/**
 * cb_yaml_load_file_kind:
 * @kind: what the file is for (its size limit)
 *
 * Reads @path, which must be a regular file (see cb_file_read_regular()), as YAML.
 */
CbNode *
cb_yaml_load_file_kind (const char  *path,
                        CbFileKind   kind,
                        GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  GError *local_error = NULL;
  CbNode *node;

  g_return_val_if_fail (path != NULL, NULL);

  if (!cb_file_read_regular (path, kind, &contents, &length, &local_error))
    {
      /* The message already names the file. */
      g_set_error_literal (error, CB_YAML_ERROR, CB_YAML_ERROR_IO, local_error->message);
      g_error_free (local_error);
      return NULL;
    }

  node = cb_yaml_load_data (contents, length, path, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      g_clear_pointer (&node, cb_node_unref);
    }

  return node;
}

/* A Hydra config or ui_meta file. */
CbNode *
cb_yaml_load_file (const char  *path,
                   GError     **error)
{
  return cb_yaml_load_file_kind (path, CB_FILE_KIND_CONFIG, error);
}

CbNodeType
cb_node_get_node_type (const CbNode *node)
{
  g_return_val_if_fail (node != NULL, CB_NODE_SCALAR);
  return node->type;
}

guint
cb_node_get_line (const CbNode *node)
{
  g_return_val_if_fail (node != NULL, 0);
  return node->line;
}

guint
cb_node_get_column (const CbNode *node)
{
  g_return_val_if_fail (node != NULL, 0);
  return node->column;
}

const char *
cb_node_get_scalar (const CbNode *node)
{
  if (node == NULL || node->type != CB_NODE_SCALAR)
    return NULL;
  return node->scalar;
}

gboolean
cb_node_is_quoted (const CbNode *node)
{
  return node != NULL && node->type == CB_NODE_SCALAR && node->quoted;
}

gboolean
cb_node_is_null (const CbNode *node)
{
  if (node == NULL)
    return TRUE;
  if (node->type != CB_NODE_SCALAR || node->quoted)
    return FALSE;

  return node->scalar[0] == '\0' ||
         g_str_equal (node->scalar, "~") ||
         g_str_equal (node->scalar, "null") ||
         g_str_equal (node->scalar, "Null") ||
         g_str_equal (node->scalar, "NULL");
}

guint
cb_node_get_n_children (const CbNode *node)
{
  if (node == NULL || node->children == NULL)
    return 0;
  return node->children->len;
}

CbNode *
cb_node_get_child (const CbNode *node,
                   guint         index)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (node->children != NULL && index < node->children->len, NULL);

  return g_ptr_array_index (node->children, index);
}

CbNode *
cb_node_get_key (const CbNode *node,
                 guint         index)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (node->keys != NULL && index < node->keys->len, NULL);

  return g_ptr_array_index (node->keys, index);
}

CbNode *
cb_node_lookup (const CbNode *node,
                const char   *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  if (node == NULL || node->type != CB_NODE_MAPPING)
    return NULL;

  /* The last occurrence wins, as in PyYAML. */
  for (guint i = node->keys->len; i > 0; i--)
    {
      const CbNode *k = g_ptr_array_index (node->keys, i - 1);

      if (g_str_equal (k->scalar, key))
        return g_ptr_array_index (node->children, i - 1);
    }

  return NULL;
}

CbNode *
cb_node_lookup_path (const CbNode *node,
                     const char   *dotted_path)
{
  g_auto(GStrv) parts = NULL;
  const CbNode *cur = node;

  g_return_val_if_fail (dotted_path != NULL, NULL);

  parts = g_strsplit (dotted_path, ".", -1);
  for (guint i = 0; parts[i] != NULL && cur != NULL; i++)
    cur = cb_node_lookup (cur, parts[i]);

  return (CbNode *) cur;
}

const char *
cb_node_lookup_string (const CbNode *node,
                       const char   *key)
{
  CbNode *child = cb_node_lookup (node, key);

  if (child == NULL || cb_node_is_null (child))
    return NULL;
  return cb_node_get_scalar (child);
}

static gboolean
parse_yaml_int (const char *text,
                gint64     *out)
{
  g_autofree char *clean = NULL;
  const char *p = text;
  char *end = NULL;
  gint64 value;

  if (*p == '+' || *p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '_')
      return FALSE;

  clean = g_strdup (text);
  {
    char *w = clean;

    for (const char *r = text; *r; r++)
      if (*r != '_')
        *w++ = *r;
    *w = '\0';
  }

  errno = 0;
  value = g_ascii_strtoll (clean, &end, 10);
  if (errno != 0 || end == clean || *end != '\0')
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
parse_yaml_float (const char *text,
                  double     *out)
{
  char *end = NULL;
  const char *p = text;
  gboolean digits = FALSE;

  if (g_ascii_strcasecmp (text, ".inf") == 0 || g_ascii_strcasecmp (text, "+.inf") == 0)
    {
      *out = INFINITY;
      return TRUE;
    }
  if (g_ascii_strcasecmp (text, "-.inf") == 0)
    {
      *out = -INFINITY;
      return TRUE;
    }
  if (g_ascii_strcasecmp (text, ".nan") == 0)
    {
      *out = NAN;
      return TRUE;
    }

  /* Only decimal notation: no hex, no "inf"/"nan" words, no leading/trailing spaces. */
  for (; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits = TRUE;
      else if (!strchr ("+-.eE", *p))
        return FALSE;
    }
  if (!digits)
    return FALSE;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0';
}

GVariant *
cb_node_to_variant (const CbNode *node)
{
  const char *s;
  gint64 i;
  double d;

  if (node == NULL || cb_node_is_null (node))
    return NULL;
  if (node->type != CB_NODE_SCALAR)
    return NULL;

  s = node->scalar;
  if (node->quoted)
    return g_variant_ref_sink (g_variant_new_string (s));

  if (g_str_equal (s, "true") || g_str_equal (s, "True") || g_str_equal (s, "TRUE"))
    return g_variant_ref_sink (g_variant_new_boolean (TRUE));
  if (g_str_equal (s, "false") || g_str_equal (s, "False") || g_str_equal (s, "FALSE"))
    return g_variant_ref_sink (g_variant_new_boolean (FALSE));
  if (parse_yaml_int (s, &i))
    return g_variant_ref_sink (g_variant_new_int64 (i));
  if (parse_yaml_float (s, &d))
    return g_variant_ref_sink (g_variant_new_double (d));

  return g_variant_ref_sink (g_variant_new_string (s));
}

char **
cb_node_to_strv (const CbNode *node)
{
  GPtrArray *items = g_ptr_array_new ();

  if (node != NULL && node->type == CB_NODE_SCALAR && !cb_node_is_null (node))
    {
      g_ptr_array_add (items, g_strdup (node->scalar));
    }
  else if (node != NULL && node->type == CB_NODE_SEQUENCE)
    {
      for (guint i = 0; i < node->children->len; i++)
        {
          const CbNode *child = g_ptr_array_index (node->children, i);

          if (child->type == CB_NODE_SCALAR && !cb_node_is_null (child))
            g_ptr_array_add (items, g_strdup (child->scalar));
        }
    }
  else if (node != NULL && node->type == CB_NODE_MAPPING)
    {
      for (guint i = 0; i < node->keys->len; i++)
        g_ptr_array_add (items, g_strdup (((CbNode *) g_ptr_array_index (node->keys, i))->scalar));
    }

  g_ptr_array_add (items, NULL);
  return (char **) g_ptr_array_free (items, FALSE);
}

static void
append_display (GString      *out,
                const CbNode *node,
                guint         indent)
{
  switch (node->type)
    {
    case CB_NODE_SCALAR:
      g_string_append (out, node->scalar);
      break;

    case CB_NODE_SEQUENCE:
      for (guint i = 0; i < node->children->len; i++)
        {
          const CbNode *child = g_ptr_array_index (node->children, i);

          if (i > 0)
            g_string_append (out, ", ");
          if (child->type == CB_NODE_SCALAR)
            g_string_append (out, child->scalar);
          else
            append_display (out, child, indent);
        }
      break;

    case CB_NODE_MAPPING:
      for (guint i = 0; i < node->keys->len; i++)
        {
          const CbNode *key = g_ptr_array_index (node->keys, i);
          const CbNode *value = g_ptr_array_index (node->children, i);

          if (out->len > 0 && out->str[out->len - 1] != '\n')
            g_string_append_c (out, '\n');
          for (guint j = 0; j < indent; j++)
            g_string_append (out, "  ");
          g_string_append_printf (out, "%s:", key->scalar);
          if (value->type == CB_NODE_MAPPING)
            {
              g_string_append_c (out, '\n');
              append_display (out, value, indent + 1);
            }
          else
            {
              g_string_append_c (out, ' ');
              append_display (out, value, indent);
            }
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

char *
cb_node_to_display (const CbNode *node)
{
  GString *out = g_string_new (NULL);

  if (node != NULL && !cb_node_is_null (node))
    append_display (out, node, 0);

  return g_string_free (out, FALSE);
}
