/* cb-schema.c: page schemas loaded with libcyaml, checked for meaning
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How a schema file is read:
 *
 *  1. libyaml (cb-yaml.c) parses the text into a tree with positions. A syntax error stops
 *     here with libyaml's own line and column, which libcyaml 1.3.1 would lose.
 *  2. libcyaml loads the same text into typed structs (RawSchema below). Unknown, repeated
 *     and missing keys are first checked on the tree against libcyaml's field tables, since
 *     libcyaml 1.3.1 would place them at the last value it read. Its strict checking then
 *     rejects wrong shapes; its log backtrace gives the line and column, which we capture.
 *     Scalars whose type depends on the field (numbers, booleans)
 *     are loaded as strings and converted strictly by us, because libcyaml 1.3.1 accepts
 *     "10abc" as the integer 10.
 *  3. The polymorphic keys that libcyaml 1.3.1 cannot type (no unions): `default` (any
 *     scalar), `options` (strings or label/value mappings), `hydra_override` (a string or a
 *     list) and `validation.range` are declared CYAML_IGNORE and read from the tree of step 1.
 *  4. Meaning: field types, options sources, duplicate keys, number formats, expressions
 *     (parsed once here) and the fields they name must exist and come earlier.
 *
 * Every problem is reported as file:line:column: message, and a schema with any error is
 * not returned at all (never half-loaded).
 */

#define G_LOG_DOMAIN "cb-schema"

#include "config.h"

#include "cb/cb-schema.h"
#include "cb/cb-file-read.h"
#include "cb/cb-problem.h"
#include "cb/cb-yaml.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct _CbSchema
{
  gatomicrefcount   ref_count;
  char             *path;
  char             *title;
  char            **constant_overrides;
  GArray           *fields;  /* CbField */
  GHashTable       *index;   /* key -> index + 1 */
};

G_DEFINE_QUARK (cb-schema-error-quark, cb_schema_error)

/* ---- libcyaml description ------------------------------------------------------------ */

typedef struct
{
  char *required;
  char *required_if;
  char *min_length;
  char *file_name;
  char *min;
  char *max;
} RawValidation;

typedef struct
{
  char          *key;
  char          *type;
  char          *label;
  char          *help;
  char          *options_source;
  char          *visible_if;
  char          *architecture_key;
  char          *architecture_fallback;
  char          *options_metadata_key;
  char          *filter_by_architecture_key;
  char          *metadata_default_key;
  char          *metadata_help_key;
  char          *metadata_info_key;
  char          *info_template;
  char          *info_fallback;
  char          *optimizer_key;
  char          *optimizer_fallback;
  char          *optimizer_metadata_key;
  char          *optimizer_help_key;
  char          *min_value;
  char          *max_value;
  char          *step;
  char          *format;
  RawValidation *validation;
} RawElement;

typedef struct
{
  char        *title;
  char       **constant_overrides;
  unsigned     constant_overrides_count;
  RawElement  *ui_elements;
  unsigned     ui_elements_count;
} RawSchema;

#define OPT (CYAML_FLAG_OPTIONAL)
#define STR(name, structure) \
  CYAML_FIELD_STRING_PTR (#name, OPT, structure, name, 0, CYAML_UNLIMITED)

static const cyaml_schema_field_t validation_fields[] = {
  STR (required, RawValidation),
  STR (required_if, RawValidation),
  STR (min_length, RawValidation),
  STR (file_name, RawValidation),
  STR (min, RawValidation),
  STR (max, RawValidation),
  CYAML_FIELD_IGNORE ("range", OPT),
  CYAML_FIELD_END
};

static const cyaml_schema_field_t element_fields[] = {
  CYAML_FIELD_STRING_PTR ("key", CYAML_FLAG_DEFAULT, RawElement, key, 0, CYAML_UNLIMITED),
  CYAML_FIELD_STRING_PTR ("type", CYAML_FLAG_DEFAULT, RawElement, type, 0, CYAML_UNLIMITED),
  STR (label, RawElement),
  STR (help, RawElement),
  STR (options_source, RawElement),
  STR (visible_if, RawElement),
  STR (architecture_key, RawElement),
  STR (architecture_fallback, RawElement),
  STR (options_metadata_key, RawElement),
  STR (filter_by_architecture_key, RawElement),
  STR (metadata_default_key, RawElement),
  STR (metadata_help_key, RawElement),
  STR (metadata_info_key, RawElement),
  STR (info_template, RawElement),
  STR (info_fallback, RawElement),
  STR (optimizer_key, RawElement),
  STR (optimizer_fallback, RawElement),
  STR (optimizer_metadata_key, RawElement),
  STR (optimizer_help_key, RawElement),
  STR (min_value, RawElement),
  STR (max_value, RawElement),
  STR (step, RawElement),
  STR (format, RawElement),
  CYAML_FIELD_MAPPING_PTR ("validation", OPT, RawElement, validation, validation_fields),
  CYAML_FIELD_IGNORE ("default", OPT),
  CYAML_FIELD_IGNORE ("options", OPT),
  CYAML_FIELD_IGNORE ("hydra_override", OPT),
  CYAML_FIELD_END
};

static const cyaml_schema_value_t element_value = {
  CYAML_VALUE_MAPPING (CYAML_FLAG_DEFAULT, RawElement, element_fields),
};

static const cyaml_schema_value_t string_entry = {
  CYAML_VALUE_STRING (CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t schema_fields[] = {
  STR (title, RawSchema),
  CYAML_FIELD_SEQUENCE ("constant_overrides", OPT | CYAML_FLAG_POINTER, RawSchema, constant_overrides,
                        &string_entry, 0, CYAML_UNLIMITED),
  CYAML_FIELD_SEQUENCE ("ui_elements", CYAML_FLAG_POINTER, RawSchema, ui_elements,
                        &element_value, 0, CYAML_UNLIMITED),
  CYAML_FIELD_END
};

static const cyaml_schema_value_t schema_top = {
  CYAML_VALUE_MAPPING (CYAML_FLAG_POINTER, RawSchema, schema_fields),
};

#undef STR
#undef OPT

static void
cyaml_log_cb (cyaml_log_t  level,
              void        *ctx,
              const char  *fmt,
              va_list      args)
{
  GString *log = ctx;

  if (level >= CYAML_LOG_ERROR)
    g_string_append_vprintf (log, fmt, args);
}

/* libcyaml's "Expecting SEQUENCE, got event: SCALAR" in the README's words, or NULL. */
static char *
shape_message (const char *message)
{
  static const char * const shapes[][2] = {
    { "SEQUENCE", "a list" }, { "MAPPING", "a mapping" }, { "SCALAR", "a single value" },
    { "STRING", "a text" },
  };
  const char *words[2] = { NULL, NULL };
  char names[2][32];

  if (sscanf (message, "Expecting %31[A-Z_], got event: %31[A-Z_]", names[0], names[1]) != 2)
    return NULL;
  for (guint k = 0; k < 2; k++)
    for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
      if (g_str_has_prefix (names[k], shapes[i][0]))
        words[k] = shapes[i][1];
  if (words[0] == NULL || words[1] == NULL)
    return NULL;
  return g_strdup_printf ("expected %s here, not %s", words[0], words[1]);
}

/* Turns libcyaml's log ("Load: Unexpected key: foo\nLoad: Backtrace:\n  in mapping field
 * 'x' (line: 5, column: 10)\n...") into one message at the innermost position. */
static void
add_cyaml_problem (GPtrArray   *problems,
                   const char  *filename,
                   const char  *log,
                   cyaml_err_t  err)
{
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  g_autofree char *message = NULL;
  guint line = 0, column = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *text = g_strstrip (lines[i]);
      const char *pos;

      if (g_str_has_prefix (text, "Load: "))
        text += strlen ("Load: ");
      if (*text == '\0' || g_str_equal (text, "Backtrace:"))
        continue;

      pos = strstr (text, "(line: ");
      if (pos != NULL)
        {
          if (line == 0 && sscanf (pos, "(line: %u, column: %u)", &line, &column) == 2)
            {
              if (message == NULL)
                message = g_strndup (text, pos - text);
            }
          continue;
        }

      if (message == NULL && !g_str_has_prefix (text, "in "))
        message = g_strdup (text);
    }

  if (message == NULL)
    message = g_strdup (cyaml_strerror (err));

  g_strstrip (message);
  if (g_str_has_prefix (message, "Unexpected key:"))
    {
      g_autofree char *key = g_strstrip (g_strdup (message + strlen ("Unexpected key:")));

      g_free (message);
      message = g_strdup_printf ("unknown key '%s'", key);
    }
  else
    {
      char *shape = shape_message (message);

      if (shape != NULL)
        {
          g_free (message);
          message = shape;
        }
    }

  g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, filename, line, column,
                                             "%s", message));
}

/* ---- helpers ------------------------------------------------------------------------- */

typedef struct
{
  const char *filename;
  GPtrArray  *problems;
} Ctx;

G_GNUC_PRINTF (3, 4)
static void
error_at (Ctx          *ctx,
          const CbNode *node,
          const char   *format,
          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (ctx->problems,
                   cb_problem_new (CB_PROBLEM_ERROR, ctx->filename,
                                   node ? cb_node_get_line (node) : 0,
                                   node ? cb_node_get_column (node) : 0,
                                   "%s", message));
}

static gboolean
parse_number (const char *text,
              double     *out,
              gboolean   *is_int)
{
  char *end = NULL;
  gint64 i;

  if (text == NULL || *text == '\0')
    return FALSE;

  errno = 0;
  i = g_ascii_strtoll (text, &end, 10);
  if (errno == 0 && end != text && *end == '\0')
    {
      *out = (double) i;
      *is_int = TRUE;
      return TRUE;
    }

  errno = 0;
  *out = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0' || g_ascii_isalpha (text[0]) || !isfinite (*out))
    return FALSE;

  *is_int = FALSE;
  return TRUE;
}

static gboolean
parse_bool (const char *text,
            gboolean   *out)
{
  static const char * const yes[] = { "true", "True", "TRUE", "yes", "Yes", "on", NULL };
  static const char * const no[] = { "false", "False", "FALSE", "no", "No", "off", NULL };

  if (text == NULL)
    return FALSE;
  if (g_strv_contains (yes, text))
    return (*out = TRUE), TRUE;
  if (g_strv_contains (no, text))
    return (*out = FALSE), TRUE;
  return FALSE;
}

/* A run of digits of at most CB_NUMBER_FORMAT_MAX_WIDTH; FALSE when larger. */
static gboolean
skip_small_number (const char **p)
{
  guint value = 0;

  for (; g_ascii_isdigit (**p); (*p)++)
    {
      value = value * 10 + (guint) (**p - '0');
      if (value > CB_NUMBER_FORMAT_MAX_WIDTH)
        return FALSE;
    }
  return TRUE;
}

static char *
unescape_percent (const char *text,
                  gsize       length)
{
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '%' && i + 1 < length && text[i + 1] == '%')
        i++;
      g_string_append_c (out, text[i]);
    }

  return g_string_free (out, FALSE);
}

/**
 * cb_number_format_split:
 * @format: a schema's `format`, such as "%.4f", "%.1e ms" or "Rate %d%%"
 * @prefix: (out) (optional): the text before the conversion, "%%" made "%"
 * @conversion: (out) (optional): the conversion for g_ascii_formatd(); "%d" becomes "%.0f",
 *   to be given a rounded value
 * @suffix: (out) (optional): the text after the conversion, "%%" made "%"
 * @rounds: (out) (optional): whether the conversion was "%d", whose value is to be rounded
 *   (half away from zero) before it is formatted
 * @problem: (out) (optional): why @format is refused
 *
 * A schema's number format is used for display only. It must hold exactly one conversion
 * of e, E, f, F, g, G or d, with flags among "-+ 0#" (no '#' for d), and a width and a
 * precision of at most CB_NUMBER_FORMAT_MAX_WIDTH (none for d); a literal percent sign is
 * "%%". Anything else would hand printf an argument it does not expect, or ask it for a
 * gigabyte of padding.
 *
 * Returns: %TRUE when @format is acceptable and the outputs were set
 */
gboolean
cb_number_format_split (const char  *format,
                        char       **prefix,
                        char       **conversion,
                        char       **suffix,
                        gboolean    *rounds,
                        const char **problem)
{
  const char *start = NULL;
  const char *end = NULL;
  const char *why = NULL;

  g_return_val_if_fail (format != NULL, FALSE);

  for (const char *p = format; *p != '\0'; p++)
    {
      gboolean alternate = FALSE;
      gboolean precision = FALSE;

      if (*p != '%')
        continue;
      if (p[1] == '%')
        {
          p++;
          continue;
        }
      if (start != NULL)
        {
          why = "more than one conversion (write a literal percent sign as %%)";
          break;
        }

      start = p++;
      for (; *p != '\0' && strchr ("-+ 0#", *p) != NULL; p++)
        alternate |= *p == '#';
      if (!skip_small_number (&p))
        why = "a width larger than 32";
      else if (*p == '.')
        {
          p++;
          precision = TRUE;
          if (!skip_small_number (&p))
            why = "a precision larger than 32";
        }
      if (why != NULL)
        break;
      if (*p == '\0' || strchr ("eEfFgGd", *p) == NULL)
        why = "a conversion other than e, E, f, F, g, G or d";
      else if (*p == 'd' && (precision || alternate))
        why = "a precision or '#' with d";
      if (why != NULL)
        break;
      end = p + 1;
    }

  if (why == NULL && start == NULL)
    why = "no conversion";
  if (why != NULL)
    {
      if (problem != NULL)
        *problem = why;
      return FALSE;
    }

  if (prefix != NULL)
    *prefix = unescape_percent (format, start - format);
  if (suffix != NULL)
    *suffix = unescape_percent (end, strlen (end));
  if (rounds != NULL)
    *rounds = end[-1] == 'd';
  if (conversion != NULL)
    {
      if (end[-1] == 'd')
        *conversion = g_strdup_printf ("%.*s.0f", (int) (end - 1 - start), start);
      else
        *conversion = g_strndup (start, end - start);
    }
  return TRUE;
}

static void
number_attr (Ctx          *ctx,
             const CbNode *element,
             const char   *name,
             const char   *text,
             gboolean     *has,
             double       *value,
             gboolean     *all_int)
{
  gboolean is_int = FALSE;

  if (text == NULL)
    return;

  if (!parse_number (text, value, &is_int))
    {
      const CbNode *node = cb_node_lookup (element, name);

      error_at (ctx, node ? node : element, "'%s' is not a number (in '%s')", text, name);
      return;
    }

  *has = TRUE;
  if (!is_int)
    *all_int = FALSE;
}

/* libcyaml 1.3.1 reports an unknown, repeated or missing key at the last value it read, not
 * at the key, so keys are checked on the tree first, against libcyaml's own field tables. */
static void
check_keys (Ctx                        *ctx,
            const CbNode               *mapping,
            const cyaml_schema_field_t *fields)
{
  for (guint i = 0; i < cb_node_get_n_children (mapping); i++)
    {
      const CbNode *key = cb_node_get_key (mapping, i);
      const char *name = cb_node_get_scalar (key);
      const cyaml_schema_field_t *f = fields;

      while (f->key != NULL && !g_str_equal (f->key, name))
        f++;
      if (f->key == NULL)
        {
          error_at (ctx, key, "unknown key '%s'", name);
          continue;
        }
      for (guint j = 0; j < i; j++)
        {
          if (g_str_equal (cb_node_get_scalar (cb_node_get_key (mapping, j)), name))
            {
              error_at (ctx, key, "duplicate key '%s'", name);
              break;
            }
        }
    }

  for (const cyaml_schema_field_t *f = fields; f->key != NULL; f++)
    {
      if (!(f->value.flags & CYAML_FLAG_OPTIONAL) && cb_node_lookup (mapping, f->key) == NULL)
        error_at (ctx, mapping, "missing key '%s'", f->key);
    }
}

static void
check_schema_keys (Ctx          *ctx,
                   const CbNode *root)
{
  const CbNode *elements = cb_node_lookup (root, "ui_elements");

  check_keys (ctx, root, schema_fields);
  if (elements == NULL || cb_node_get_node_type (elements) != CB_NODE_SEQUENCE)
    return;

  for (guint i = 0; i < cb_node_get_n_children (elements); i++)
    {
      const CbNode *element = cb_node_get_child (elements, i);
      const CbNode *validation = cb_node_lookup (element, "validation");

      if (cb_node_get_node_type (element) != CB_NODE_MAPPING)
        continue;
      check_keys (ctx, element, element_fields);
      if (validation != NULL && cb_node_get_node_type (validation) == CB_NODE_MAPPING)
        check_keys (ctx, validation, validation_fields);
    }
}

/* libcyaml 1.3.1 loads a YAML null (~, null, an empty value) as that text; a null attribute
 * is an absent one, as in the original. Clears them in a copy of a raw struct. */
static void
drop_null_strings (void                       *copy,
                   const cyaml_schema_field_t *fields,
                   const CbNode               *mapping)
{
  for (const cyaml_schema_field_t *f = fields; f->key != NULL; f++)
    {
      if (f->value.type == CYAML_STRING && cb_node_is_null (cb_node_lookup (mapping, f->key)))
        *(char **) ((char *) copy + f->data_offset) = NULL;
    }
}

/* Converts a byte offset inside a scalar to a column in the file (same line assumed). */
static guint
expr_column (const CbNode *node,
             const char   *text,
             guint         offset)
{
  return cb_node_get_column (node) + (cb_node_is_quoted (node) ? 1 : 0) +
         (guint) g_utf8_strlen (text, MIN (offset, strlen (text)));
}

typedef struct
{
  Ctx            *ctx;
  const CbNode   *node;
  const char     *text;
  const char     *attr;
  const CbSchema *schema;
  const char     *self_key;
  const CbNode   *elements;
  guint           self_index;
} NameCheck;

static void
check_name_cb (const char *name,
               guint       offset,
               gpointer    user_data)
{
  NameCheck *check = user_data;
  guint n = cb_node_get_n_children (check->elements);

  if (g_hash_table_contains (check->schema->index, name))
    return;

  for (guint i = 0; i < n; i++)
    {
      const char *key = cb_node_lookup_string (cb_node_get_child (check->elements, i), "key");

      /* An earlier field that is not in the index had problems of its own, reported there. */
      if (g_strcmp0 (key, name) == 0 && i < check->self_index)
        return;
      if (g_strcmp0 (key, name) == 0)
        {
          g_ptr_array_add (check->ctx->problems,
                           cb_problem_new (CB_PROBLEM_ERROR, check->ctx->filename,
                                           cb_node_get_line (check->node),
                                           expr_column (check->node, check->text, offset),
                                           i == check->self_index
                                             ? "%s names '%s', the field itself"
                                             : "%s names '%s', which comes after this field",
                                           check->attr, name));
          return;
        }
    }

  g_ptr_array_add (check->ctx->problems,
                   cb_problem_new (CB_PROBLEM_ERROR, check->ctx->filename,
                                   cb_node_get_line (check->node),
                                   expr_column (check->node, check->text, offset),
                                   "%s names '%s', which is not a field of this schema",
                                   check->attr, name));
}

static CbExpr *
parse_expression (Ctx            *ctx,
                  const CbSchema *schema,
                  const CbNode   *elements,
                  guint           self_index,
                  const CbNode   *parent,
                  const char     *attr,
                  const char     *text)
{
  const CbNode *node = cb_node_lookup (parent, attr);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = NULL;
  guint offset = 0;
  guint n_before = ctx->problems->len;
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));
  NameCheck check;

  if (*stripped == '\0')
    {
      /* An empty expression means always (visible_if) or never (required_if). */
      return NULL;
    }

  if (node == NULL)
    node = parent;

  expr = cb_expr_parse (text, &offset, &error);
  if (expr == NULL)
    {
      g_ptr_array_add (ctx->problems,
                       cb_problem_new (CB_PROBLEM_ERROR, ctx->filename, cb_node_get_line (node),
                                       expr_column (node, text, offset), "%s: %s", attr,
                                       error->message));
      return NULL;
    }

  check.ctx = ctx;
  check.node = node;
  check.text = text;
  check.attr = attr;
  check.schema = schema;
  check.elements = elements;
  check.self_index = self_index;
  check.self_key = NULL;
  cb_expr_foreach_name (expr, check_name_cb, &check);

  if (ctx->problems->len != n_before)
    return NULL;

  return g_steal_pointer (&expr);
}

static void
field_clear (CbField *field)
{
  g_free (field->key);
  g_free (field->label);
  g_free (field->help);
  g_clear_pointer (&field->default_value, g_variant_unref);
  for (guint i = 0; i < field->n_options; i++)
    {
      g_free (field->options[i].label);
      g_free (field->options[i].value);
    }
  g_free (field->options);
  g_free (field->options_source);
  g_strfreev (field->hydra_override);
  g_free (field->visible_if_text);
  g_clear_pointer (&field->visible_if, cb_expr_free);
  g_free (field->required_if_text);
  g_clear_pointer (&field->required_if, cb_expr_free);
  g_free (field->architecture_key);
  g_free (field->architecture_fallback);
  g_free (field->options_metadata_key);
  g_free (field->filter_by_architecture_key);
  g_free (field->metadata_default_key);
  g_free (field->metadata_help_key);
  g_free (field->metadata_info_key);
  g_free (field->info_template);
  g_free (field->info_fallback);
  g_free (field->optimizer_key);
  g_free (field->optimizer_fallback);
  g_free (field->optimizer_metadata_key);
  g_free (field->optimizer_help_key);
  g_free (field->format);
}

static const char * const field_type_names[] = {
  [CB_FIELD_TEXT_INPUT] = "text_input",
  [CB_FIELD_NUMBER_INPUT] = "number_input",
  [CB_FIELD_CHECKBOX] = "checkbox",
  [CB_FIELD_SLIDER] = "slider",
  [CB_FIELD_SELECTBOX] = "selectbox",
  [CB_FIELD_INFO] = "info",
};

const char *
cb_field_type_to_string (CbFieldType type)
{
  g_return_val_if_fail (type <= CB_FIELD_INFO, NULL);
  return field_type_names[type];
}

static const char * const known_sources[] = {
  "models.architectures",
  "models.backbones",
  "models.encoders",
  "models.decoders",
  "models.heads",
  "models.losses",
  "models.optimizers",
  "checkpoints",
  "datasets",
  "preprocessing_profiles",
  NULL
};

/**
 * cb_schema_text:
 * @text: (nullable): a label, help text or option label written in a schema
 *
 * The text in the user's language: the bundled schemas' strings are extracted into
 * po/schema-strings.c and translated with the rest of the app; any other text stays as it is.
 */
const char *
cb_schema_text (const char *text)
{
  /* g_dgettext ("") would return the catalogue's header. */
  if (text == NULL || *text == '\0')
    return text;
  return g_dgettext (GETTEXT_PACKAGE, text);
}

gboolean
cb_options_source_is_known (const char *source)
{
  return source != NULL && g_strv_contains (known_sources, source);
}

static void
read_options (Ctx          *ctx,
              CbField      *field,
              const CbNode *element)
{
  const CbNode *options = cb_node_lookup (element, "options");
  guint n;

  if (options == NULL || cb_node_is_null (options))
    return;

  if (cb_node_get_node_type (options) != CB_NODE_SEQUENCE)
    {
      error_at (ctx, options, "'options' must be a list of values or of label/value mappings");
      return;
    }

  n = cb_node_get_n_children (options);
  field->options = g_new0 (CbOption, n);
  for (guint i = 0; i < n; i++)
    {
      const CbNode *item = cb_node_get_child (options, i);
      CbOption *option = &field->options[field->n_options];

      if (cb_node_get_node_type (item) == CB_NODE_SCALAR)
        {
          if (i > 0 && field->options_labelled)
            {
              error_at (ctx, item, "'options' mixes plain values and label/value mappings");
              return;
            }
          option->value = g_strdup (cb_node_get_scalar (item));
          option->label = g_strdup (option->value);
        }
      else if (cb_node_get_node_type (item) == CB_NODE_MAPPING)
        {
          const CbNode *value = cb_node_lookup (item, "value");
          const CbNode *label = cb_node_lookup (item, "label");

          if (i > 0 && !field->options_labelled)
            {
              error_at (ctx, item, "'options' mixes plain values and label/value mappings");
              return;
            }
          field->options_labelled = TRUE;
          for (guint k = 0; k < cb_node_get_n_children (item); k++)
            {
              const char *name = cb_node_get_scalar (cb_node_get_key (item, k));

              if (!g_str_equal (name, "value") && !g_str_equal (name, "label"))
                {
                  error_at (ctx, cb_node_get_key (item, k),
                            "unknown key '%s' in an option (expected 'label' and 'value')", name);
                  return;
                }
            }
          if (value == NULL || cb_node_get_node_type (value) != CB_NODE_SCALAR)
            {
              error_at (ctx, item, "an option mapping needs a 'value'");
              return;
            }
          option->value = g_strdup (cb_node_get_scalar (value));
          option->label = g_strdup (label && cb_node_get_scalar (label)
                                      ? cb_node_get_scalar (label) : option->value);
        }
      else
        {
          error_at (ctx, item, "an option must be a value or a label/value mapping");
          return;
        }
      field->n_options++;
    }
}

static void
read_hydra_override (Ctx          *ctx,
                     CbField      *field,
                     const CbNode *element)
{
  const CbNode *node = cb_node_lookup (element, "hydra_override");
  g_auto(GStrv) keys = NULL;

  if (node == NULL || cb_node_is_null (node))
    return;

  if (cb_node_get_node_type (node) == CB_NODE_MAPPING)
    {
      error_at (ctx, node, "'hydra_override' must be a key or a list of keys");
      return;
    }
  if (cb_node_get_node_type (node) == CB_NODE_SCALAR && *cb_node_get_scalar (node) == '\0')
    {
      error_at (ctx, node, "'hydra_override' must be a non-empty key");
      return;
    }
  if (cb_node_get_node_type (node) == CB_NODE_SEQUENCE)
    {
      for (guint i = 0; i < cb_node_get_n_children (node); i++)
        {
          const CbNode *item = cb_node_get_child (node, i);

          if (cb_node_get_node_type (item) != CB_NODE_SCALAR || cb_node_is_null (item) ||
              *cb_node_get_scalar (item) == '\0')
            {
              error_at (ctx, item, "each 'hydra_override' entry must be a non-empty key");
              return;
            }
        }
    }

  keys = cb_node_to_strv (node);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      if (strchr (keys[i], '=') != NULL || strchr (keys[i], ' ') != NULL)
        {
          error_at (ctx, node, "'hydra_override' key '%s' must not contain '=' or spaces", keys[i]);
          return;
        }
    }

  if (keys[0] != NULL)
    field->hydra_override = g_steal_pointer (&keys);
}

static void
read_default (Ctx          *ctx,
              CbField      *field,
              const CbNode *element)
{
  const CbNode *node = cb_node_lookup (element, "default");
  g_autoptr(GVariant) typed = NULL;

  if (node == NULL || cb_node_is_null (node))
    return;

  if (cb_node_get_node_type (node) != CB_NODE_SCALAR)
    {
      error_at (ctx, node, "'default' must be a single value");
      return;
    }

  typed = cb_node_to_variant (node);

  switch (field->type)
    {
    case CB_FIELD_CHECKBOX:
      if (g_variant_is_of_type (typed, G_VARIANT_TYPE_BOOLEAN))
        field->default_value = g_variant_ref (typed);
      else
        error_at (ctx, node, "the default of a checkbox must be true or false, not '%s'",
                  cb_node_get_scalar (node));
      break;

    case CB_FIELD_SLIDER:
    case CB_FIELD_NUMBER_INPUT:
      if (g_variant_is_of_type (typed, G_VARIANT_TYPE_INT64))
        field->default_value = g_variant_ref (typed);
      else if (g_variant_is_of_type (typed, G_VARIANT_TYPE_DOUBLE) &&
               !isfinite (g_variant_get_double (typed)))
        error_at (ctx, node, "the default of '%s' must be a finite number, not '%s'", field->key,
                  cb_node_get_scalar (node));
      else if (g_variant_is_of_type (typed, G_VARIANT_TYPE_DOUBLE))
        {
          field->default_value = g_variant_ref (typed);
          field->integral = FALSE;
        }
      else
        error_at (ctx, node, "the default of '%s' must be a number, not '%s'", field->key,
                  cb_node_get_scalar (node));
      break;

    case CB_FIELD_TEXT_INPUT:
    case CB_FIELD_SELECTBOX:
    case CB_FIELD_INFO:
    default:
      field->default_value = g_variant_ref_sink (g_variant_new_string (cb_node_get_scalar (node)));
      break;
    }
}

static void
read_validation (Ctx                 *ctx,
                 CbSchema            *schema,
                 CbField             *field,
                 const RawValidation *raw,
                 const CbNode        *elements,
                 guint                index,
                 const CbNode        *element)
{
  const CbNode *vnode = cb_node_lookup (element, "validation");
  const CbNode *range;
  gboolean all_int = TRUE;

  field->min_length = -1;
  if (raw == NULL)
    return;

  if (raw->required != NULL && !parse_bool (raw->required, &field->required))
    error_at (ctx, cb_node_lookup (vnode, "required"), "'required' must be true or false, not '%s'",
              raw->required);

  if (raw->file_name != NULL && !parse_bool (raw->file_name, &field->file_name))
    error_at (ctx, cb_node_lookup (vnode, "file_name"),
              "'file_name' must be true or false, not '%s'", raw->file_name);

  if (raw->min_length != NULL)
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (raw->min_length, 10, 0, G_MAXINT, &n, NULL))
        error_at (ctx, cb_node_lookup (vnode, "min_length"),
                  "'min_length' must be a whole number, not '%s'", raw->min_length);
      else
        field->min_length = (gint64) n;
    }

  number_attr (ctx, vnode, "min", raw->min, &field->has_min, &field->min, &all_int);
  number_attr (ctx, vnode, "max", raw->max, &field->has_max, &field->max, &all_int);

  range = cb_node_lookup (vnode, "range");
  if (range != NULL && !cb_node_is_null (range))
    {
      gboolean ok = cb_node_get_node_type (range) == CB_NODE_SEQUENCE &&
                    cb_node_get_n_children (range) == 2;

      for (guint i = 0; ok && i < 2; i++)
        {
          gboolean is_int;

          ok = parse_number (cb_node_get_scalar (cb_node_get_child (range, i)), &field->range[i],
                             &is_int);
        }
      if (!ok)
        error_at (ctx, range, "'range' must be a list of two numbers");
      else if (field->range[0] > field->range[1])
        error_at (ctx, range, "'range' goes from %g down to %g: the smaller number comes first",
                  field->range[0], field->range[1]);
      else
        field->has_range = TRUE;
    }

  if (field->has_min && field->has_max && field->min > field->max)
    error_at (ctx, cb_node_lookup (vnode, "min"), "'min' is larger than 'max'");

  if (raw->required_if != NULL)
    {
      field->required_if_text = g_strdup (raw->required_if);
      field->required_if = parse_expression (ctx, schema, elements, index, vnode, "required_if",
                                             raw->required_if);
    }
}

static gboolean
build_field (Ctx              *ctx,
             CbSchema         *schema,
             const RawElement *raw,
             const CbNode     *elements,
             guint             index)
{
  const CbNode *element = cb_node_get_child (elements, index);
  guint n_before = ctx->problems->len;
  CbField field = { 0 };
  gboolean all_int = TRUE;
  gboolean found = FALSE;

  field.line = cb_node_get_line (element);
  field.column = cb_node_get_column (element);
  field.key = g_strdup (raw->key);

  if (raw->key == NULL || *raw->key == '\0')
    error_at (ctx, element, "a field needs a non-empty 'key'");
  else if (g_hash_table_contains (schema->index, raw->key))
    error_at (ctx, cb_node_lookup (element, "key"), "duplicate field key '%s'", raw->key);

  for (guint t = 0; t < G_N_ELEMENTS (field_type_names); t++)
    {
      if (g_strcmp0 (raw->type, field_type_names[t]) == 0)
        {
          field.type = t;
          found = TRUE;
        }
    }
  if (!found)
    error_at (ctx, cb_node_lookup (element, "type"),
              "unknown field type '%s' (expected text_input, number_input, checkbox, slider, "
              "selectbox or info)", raw->type);

  field.label = g_strdup (raw->label && *raw->label ? raw->label : raw->key);
  field.help = g_strdup (raw->help && *raw->help ? raw->help : NULL);

  if (raw->options_source != NULL)
    {
      if (!cb_options_source_is_known (raw->options_source))
        error_at (ctx, cb_node_lookup (element, "options_source"),
                  "unknown options_source '%s'", raw->options_source);
      field.options_source = g_strdup (raw->options_source);
    }

  field.architecture_key = g_strdup (raw->architecture_key ? raw->architecture_key : "architecture");
  field.architecture_fallback = g_strdup (raw->architecture_fallback);
  field.options_metadata_key = g_strdup (raw->options_metadata_key);
  field.filter_by_architecture_key = g_strdup (raw->filter_by_architecture_key);
  field.metadata_default_key = g_strdup (raw->metadata_default_key);
  field.metadata_help_key = g_strdup (raw->metadata_help_key);
  field.metadata_info_key = g_strdup (raw->metadata_info_key);
  field.info_template = g_strdup (raw->info_template ? raw->info_template : "{value}");
  field.info_fallback = g_strdup (raw->info_fallback ? raw->info_fallback
                                                     : "No metadata available.");
  field.optimizer_key = g_strdup (raw->optimizer_key ? raw->optimizer_key : "optimizer");
  field.optimizer_fallback = g_strdup (raw->optimizer_fallback);
  field.optimizer_metadata_key = g_strdup (raw->optimizer_metadata_key);
  field.optimizer_help_key = g_strdup (raw->optimizer_help_key);

  number_attr (ctx, element, "min_value", raw->min_value, &field.has_min_value, &field.min_value,
               &all_int);
  number_attr (ctx, element, "max_value", raw->max_value, &field.has_max_value, &field.max_value,
               &all_int);
  number_attr (ctx, element, "step", raw->step, &field.has_step, &field.step, &all_int);
  field.integral = all_int;

  if (raw->format != NULL)
    {
      const char *why = NULL;

      if (!cb_number_format_split (raw->format, NULL, NULL, NULL, NULL, &why))
        error_at (ctx, cb_node_lookup (element, "format"),
                  "'format' must hold exactly one number conversion such as %%.4f or %%.1e, "
                  "not '%s' (%s)", raw->format, why);
      field.format = g_strdup (raw->format);
    }

  if (found && field.type == CB_FIELD_SLIDER && (raw->min_value == NULL || raw->max_value == NULL))
    error_at (ctx, element, "slider '%s' needs both 'min_value' and 'max_value'", field.key);
  if (field.has_min_value && field.has_max_value && field.min_value > field.max_value)
    error_at (ctx, cb_node_lookup (element, "min_value"),
              "'min_value' is larger than 'max_value'");
  if (field.has_step && field.step <= 0)
    error_at (ctx, cb_node_lookup (element, "step"), "'step' must be larger than 0");

  read_default (ctx, &field, element);
  if (field.type == CB_FIELD_SLIDER && field.default_value != NULL && field.has_min_value &&
      field.has_max_value && field.min_value <= field.max_value)
    {
      double d = g_variant_is_of_type (field.default_value, G_VARIANT_TYPE_INT64)
                   ? (double) g_variant_get_int64 (field.default_value)
                   : g_variant_get_double (field.default_value);

      if (d < field.min_value || d > field.max_value)
        error_at (ctx, cb_node_lookup (element, "default"),
                  "the default of slider '%s' (%g) is outside its range, %g to %g", field.key, d,
                  field.min_value, field.max_value);
    }
  read_options (ctx, &field, element);
  read_hydra_override (ctx, &field, element);

  if (raw->visible_if != NULL)
    {
      field.visible_if_text = g_strdup (raw->visible_if);
      field.visible_if = parse_expression (ctx, schema, elements, index, element, "visible_if",
                                           raw->visible_if);
    }

  read_validation (ctx, schema, &field, raw->validation, elements, index, element);

  if (ctx->problems->len != n_before || field.key == NULL)
    {
      field_clear (&field);
      return FALSE;
    }

  g_array_append_val (schema->fields, field);
  g_hash_table_insert (schema->index, g_strdup (field.key),
                       GUINT_TO_POINTER (schema->fields->len));
  return TRUE;
}

static void
schema_free (CbSchema *schema)
{
  g_free (schema->path);
  g_free (schema->title);
  g_strfreev (schema->constant_overrides);
  for (guint i = 0; i < schema->fields->len; i++)
    field_clear (&g_array_index (schema->fields, CbField, i));
  g_array_unref (schema->fields);
  g_hash_table_unref (schema->index);
  g_free (schema);
}

CbSchema *
cb_schema_ref (CbSchema *schema)
{
  g_return_val_if_fail (schema != NULL, NULL);

  g_atomic_ref_count_inc (&schema->ref_count);
  return schema;
}

void
cb_schema_unref (CbSchema *schema)
{
  if (schema != NULL && g_atomic_ref_count_dec (&schema->ref_count))
    schema_free (schema);
}

static void
set_error_from_problems (GError    **error,
                         GPtrArray  *problems,
                         guint       first)
{
  GString *str = g_string_new (NULL);

  for (guint i = first; i < problems->len; i++)
    {
      g_autofree char *line = cb_problem_to_string (g_ptr_array_index (problems, i));

      if (str->len > 0)
        g_string_append_c (str, '\n');
      g_string_append (str, line);
    }

  g_set_error_literal (error, CB_SCHEMA_ERROR, CB_SCHEMA_ERROR_INVALID, str->str);
  g_string_free (str, TRUE);
}

CbSchema *
cb_schema_load_data (const char  *data,
                     gsize        length,
                     const char  *filename,
                     GPtrArray   *problems,
                     GError     **error)
{
  g_autoptr(GPtrArray) own_problems = NULL;
  g_autoptr(GError) yaml_error = NULL;
  g_autoptr(CbNode) root = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  RawSchema *raw = NULL;
  CbSchema *schema = NULL;
  const CbNode *elements;
  cyaml_config_t config = { 0 };
  cyaml_err_t err;
  guint first;
  Ctx ctx;

  g_return_val_if_fail (data != NULL, NULL);

  if (filename == NULL)
    filename = "<schema>";
  if (problems == NULL)
    problems = own_problems = cb_problem_list_new ();
  first = problems->len;
  ctx.filename = filename;
  ctx.problems = problems;

  /* 1. Syntax, with libyaml's own positions. */
  root = cb_yaml_load_data (data, length, filename, &yaml_error);
  if (root == NULL)
    {
      const char *msg = yaml_error->message;
      guint line = 0, column = 0;
      const char *rest = msg;

      /* "file:L:C: message" -> a problem */
      if (g_str_has_prefix (msg, filename) &&
          sscanf (msg + strlen (filename), ":%u:%u:", &line, &column) == 2)
        {
          rest = strchr (msg + strlen (filename) + 1, ':');
          rest = rest ? strchr (rest + 1, ':') : NULL;
          rest = rest ? rest + 2 : msg;
        }
      g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, filename, line, column,
                                                 "%s", rest));
      set_error_from_problems (error, problems, first);
      return NULL;
    }

  if (cb_node_get_node_type (root) != CB_NODE_MAPPING)
    {
      error_at (&ctx, root, "a schema must be a mapping with 'title', 'constant_overrides' and "
                "'ui_elements'");
      set_error_from_problems (error, problems, first);
      return NULL;
    }

  /* 2. Keys, on the tree; then shapes, with libcyaml. */
  check_schema_keys (&ctx, root);
  if (problems->len != first)
    {
      set_error_from_problems (error, problems, first);
      return NULL;
    }

  config.log_fn = cyaml_log_cb;
  config.log_ctx = log;
  config.mem_fn = cyaml_mem;
  config.log_level = CYAML_LOG_ERROR;
  config.flags = CYAML_CFG_DEFAULT;

  err = cyaml_load_data ((const uint8_t *) data, length, &config, &schema_top,
                         (cyaml_data_t **) &raw, NULL);
  if (err != CYAML_OK)
    {
      add_cyaml_problem (problems, filename, log->str, err);
      set_error_from_problems (error, problems, first);
      return NULL;
    }

  /* 3 and 4. Polymorphic keys and meaning. */
  schema = g_new0 (CbSchema, 1);
  g_atomic_ref_count_init (&schema->ref_count);
  schema->path = g_strdup (filename);
  schema->title = cb_node_is_null (cb_node_lookup (root, "title")) ? NULL : g_strdup (raw->title);
  schema->fields = g_array_new (FALSE, TRUE, sizeof (CbField));
  schema->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  {
    GPtrArray *constants = g_ptr_array_new ();

    for (guint i = 0; i < raw->constant_overrides_count; i++)
      {
        if (raw->constant_overrides[i] == NULL || *raw->constant_overrides[i] == '\0')
          continue;
        g_ptr_array_add (constants, g_strdup (raw->constant_overrides[i]));
      }
    g_ptr_array_add (constants, NULL);
    schema->constant_overrides = (char **) g_ptr_array_free (constants, FALSE);
  }

  elements = cb_node_lookup (root, "ui_elements");
  if (raw->ui_elements_count != cb_node_get_n_children (elements))
    error_at (&ctx, elements, "could not read 'ui_elements'");
  else if (raw->ui_elements_count == 0)
    error_at (&ctx, elements, "'ui_elements' is empty");
  else
    for (guint i = 0; i < raw->ui_elements_count; i++)
      {
        const CbNode *node = cb_node_get_child (elements, i);
        RawElement element = raw->ui_elements[i];
        RawValidation validation;

        drop_null_strings (&element, element_fields, node);
        if (element.validation != NULL)
          {
            validation = *element.validation;
            drop_null_strings (&validation, validation_fields, cb_node_lookup (node, "validation"));
            element.validation = &validation;
          }
        build_field (&ctx, schema, &element, elements, i);
      }

  cyaml_free (&config, &schema_top, raw, 0);

  if (problems->len != first)
    {
      set_error_from_problems (error, problems, first);
      g_clear_pointer (&schema, cb_schema_unref);
    }

  return schema;
}

CbSchema *
cb_schema_load_file (const char  *path,
                     GPtrArray   *problems,
                     GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!cb_file_read_regular (path, CB_FILE_KIND_SCHEMA, &contents, &length, &local_error))
    {
      /* The message is "PATH: what is wrong". */
      if (problems != NULL)
        g_ptr_array_add (problems, cb_problem_new_located (CB_PROBLEM_ERROR, path,
                                                           local_error->message));
      g_set_error_literal (error, CB_SCHEMA_ERROR, CB_SCHEMA_ERROR_INVALID, local_error->message);
      return NULL;
    }

  return cb_schema_load_data (contents, length, path, problems, error);
}

const char *
cb_schema_get_path (const CbSchema *schema)
{
  g_return_val_if_fail (schema != NULL, NULL);
  return schema->path;
}

const char *
cb_schema_get_title (const CbSchema *schema)
{
  g_return_val_if_fail (schema != NULL, NULL);
  return schema->title;
}

const char * const *
cb_schema_get_constant_overrides (const CbSchema *schema)
{
  g_return_val_if_fail (schema != NULL, NULL);
  return (const char * const *) schema->constant_overrides;
}

guint
cb_schema_get_n_fields (const CbSchema *schema)
{
  g_return_val_if_fail (schema != NULL, 0);
  return schema->fields->len;
}

const CbField *
cb_schema_get_field (const CbSchema *schema,
                     guint           index)
{
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (index < schema->fields->len, NULL);

  return &g_array_index (schema->fields, CbField, index);
}

int
cb_schema_find_field (const CbSchema *schema,
                      const char     *key)
{
  g_return_val_if_fail (schema != NULL, -1);
  g_return_val_if_fail (key != NULL, -1);

  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (schema->index, key)) - 1;
}
