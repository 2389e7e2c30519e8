/* cb-form.c: one page's values and everything that follows from them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After every change the form makes one pass over the schema's fields, in order, as the
 * original tool did on each rerun: options (static, or from the config snapshot), the
 * architecture metadata (option filter, default, help, info summary), the optimizer
 * metadata (slider range, step, default, help), visibility (`visible_if` over the values
 * of earlier fields), the value (the user's choice if it is still valid, else the default),
 * validation, and finally the overrides and the command. It is all in memory: no I/O,
 * no parsing.
 *
 * Deliberate differences from the original:
 *  - the architecture's default_learning_rate wins over the optimizer's generic default;
 *  - a hidden field keeps what the user chose, so toggling a switch loses nothing;
 *  - a selection is only reconciled against a non-empty option list (an option list that
 *    has not arrived yet does not erase a restored choice);
 *  - the exp_name suffix is added before quoting, so names with spaces survive;
 *  - the preprocessing profile expands into its overrides on every page that has it.
 */

#define G_LOG_DOMAIN "cb-form"

#include "config.h"

#include "cb/cb-form.h"
#include "cb-form-private.h"
#include "cb/cb-checkpoint.h"
#include "cb/cb-file-name.h"
#include "cb/cb-quote.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CbForm, cb_form, G_TYPE_OBJECT)


/* ---- small helpers ------------------------------------------------------------------- */

static void
computed_clear (Computed *c)
{
  g_clear_pointer (&c->options, g_ptr_array_unref);
  g_clear_pointer (&c->labels, g_ptr_array_unref);
  g_clear_pointer (&c->help, g_free);
  g_clear_pointer (&c->info_text, g_free);
  g_clear_pointer (&c->error, g_free);
  g_clear_pointer (&c->warning, g_free);
  g_clear_pointer (&c->mismatch, g_free);
  g_clear_pointer (&c->hydra, g_free);
  g_clear_pointer (&c->state.value, g_variant_unref);
  g_clear_pointer (&c->state.default_value, g_variant_unref);
  g_clear_pointer (&c->state.reset_value, g_variant_unref);
}

gboolean
_cb_variant_is_missing (GVariant *value)
{
  return value == NULL ||
         (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
          *g_variant_get_string (value, NULL) == '\0');
}

gboolean
_cb_variant_truthy (GVariant *value)
{
  if (value == NULL)
    return FALSE;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (value) != 0;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (value) != 0.0;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return *g_variant_get_string (value, NULL) != '\0';
  return FALSE;
}

static gboolean
variant_to_double (GVariant *value,
                   double   *out)
{
  if (value == NULL)
    return FALSE;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    *out = (double) g_variant_get_int64 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    *out = g_variant_get_double (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    *out = g_variant_get_boolean (value) ? 1.0 : 0.0;
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      const char *s = g_variant_get_string (value, NULL);
      char *end = NULL;

      *out = g_ascii_strtod (s, &end);
      return *s != '\0' && end != s && *end == '\0';
    }
  else
    return FALSE;

  return TRUE;
}

/* Whether two values are the same value: 40 and 40.0 are. */
static gboolean
variant_same (GVariant *a,
              GVariant *b)
{
  double da, db;

  if (a == NULL || b == NULL)
    return a == b;
  if (!g_variant_is_of_type (a, G_VARIANT_TYPE_STRING) &&
      !g_variant_is_of_type (b, G_VARIANT_TYPE_STRING) &&
      variant_to_double (a, &da) && variant_to_double (b, &db))
    return da == db;
  return g_variant_equal (a, b);
}

/* Plain text of a value for overrides and messages: Python's str() of it. */
char *
_cb_variant_to_text (GVariant *value)
{
  if (value == NULL)
    return g_strdup ("");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "true" : "false");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return cb_format_number_repr (g_variant_get_double (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_strdup (g_variant_get_string (value, NULL));

  return g_variant_print (value, FALSE);
}

static char *
number_text (double value)
{
  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);
  return cb_format_number_repr (value);
}

/* Coerces @value (borrowed) to what @field holds. Returns a new, owned reference or NULL. */
static GVariant *
coerce (const CbField *field,
        GVariant      *value,
        gboolean       integral)
{
  double d;

  if (value == NULL)
    return NULL;

  switch (field->type)
    {
    case CB_FIELD_CHECKBOX:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        return g_variant_ref (value);
      return g_variant_ref_sink (g_variant_new_boolean (_cb_variant_truthy (value)));

    case CB_FIELD_SLIDER:
    case CB_FIELD_NUMBER_INPUT:
      if (!variant_to_double (value, &d) || !isfinite (d))
        return NULL;
      if (integral)
        return g_variant_ref_sink (g_variant_new_int64 ((gint64) llround (d)));
      return g_variant_ref_sink (g_variant_new_double (d));

    case CB_FIELD_TEXT_INPUT:
    case CB_FIELD_SELECTBOX:
    case CB_FIELD_INFO:
    default:
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        return g_variant_ref (value);
      {
        g_autofree char *text = _cb_variant_to_text (value);

        return g_variant_ref_sink (g_variant_new_string (text));
      }
    }
}

static gboolean
field_is_integral (const CbField *field)
{
  if (field->type == CB_FIELD_NUMBER_INPUT)
    return field->default_value == NULL ||
           g_variant_is_of_type (field->default_value, G_VARIANT_TYPE_INT64);
  if (field->type == CB_FIELD_SLIDER)
    return field->integral &&
           (field->default_value == NULL ||
            g_variant_is_of_type (field->default_value, G_VARIANT_TYPE_INT64));
  return FALSE;
}

/* ---- the pass ------------------------------------------------------------------------ */

typedef struct
{
  CbForm *self;
  guint   upto;  /* fields before this index have values */
} Lookup;

static gboolean
lookup_cb (const char  *name,
           GVariant   **value,
           gpointer     user_data)
{
  Lookup *lookup = user_data;
  int index = cb_schema_find_field (lookup->self->schema, name);

  if (index < 0 || (guint) index >= lookup->upto)
    return FALSE;

  *value = lookup->self->computed[index].state.value;
  return TRUE;
}

static const char *
value_string_of (CbForm *self,
                 guint   upto,
                 const char *key)
{
  int index;
  GVariant *value;

  if (key == NULL)
    return NULL;
  index = cb_schema_find_field (self->schema, key);
  if (index < 0 || (guint) index >= upto)
    return NULL;
  value = self->computed[index].state.value;
  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return NULL;

  return *g_variant_get_string (value, NULL) ? g_variant_get_string (value, NULL) : NULL;
}

static void
resolve_options (CbForm        *self,
                 const CbField *field,
                 Computed      *c)
{
  c->options = g_ptr_array_new_with_free_func (g_free);
  c->labels = g_ptr_array_new_with_free_func (g_free);

  if (field->n_options > 0)
    {
      for (guint i = 0; i < field->n_options; i++)
        {
          g_ptr_array_add (c->options, g_strdup (field->options[i].value));
          g_ptr_array_add (c->labels, g_strdup (cb_schema_text (field->options[i].label)));
        }
    }
  else if (g_strcmp0 (field->options_source, "checkpoints") == 0)
    {
      for (guint i = 0; self->checkpoints != NULL && self->checkpoints[i] != NULL; i++)
        {
          g_ptr_array_add (c->options, g_strdup (self->checkpoints[i]));
          g_ptr_array_add (c->labels, g_strdup (self->checkpoints[i]));
        }
    }
  else if (g_strcmp0 (field->options_source, "preprocessing_profiles") == 0)
    {
      const char * const *keys = cb_config_snapshot_get_profile_keys (self->snapshot);

      for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
        {
          const CbProfile *profile = cb_config_snapshot_get_profile (self->snapshot, keys[i]);

          g_ptr_array_add (c->options, g_strdup (keys[i]));
          g_ptr_array_add (c->labels, g_strdup (profile ? profile->label : keys[i]));
        }
    }
  else if (field->options_source != NULL)
    {
      const char * const *names = cb_config_snapshot_get_options (self->snapshot,
                                                                  field->options_source);

      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        {
          g_ptr_array_add (c->options, g_strdup (names[i]));
          g_ptr_array_add (c->labels, g_strdup (names[i]));
        }
    }
}

static void
apply_options_metadata (const CbField *field,
                        Computed      *c,
                        CbNode        *meta)
{
  CbNode *node;

  if (field->options_metadata_key != NULL &&
      (node = cb_node_lookup_path (meta, field->options_metadata_key)) != NULL &&
      !cb_node_is_null (node))
    {
      g_auto(GStrv) names = cb_node_to_strv (node);

      g_ptr_array_set_size (c->options, 0);
      g_ptr_array_set_size (c->labels, 0);
      for (guint i = 0; names[i] != NULL; i++)
        {
          g_ptr_array_add (c->options, g_strdup (names[i]));
          g_ptr_array_add (c->labels, g_strdup (names[i]));
        }
    }

  if (field->filter_by_architecture_key != NULL &&
      (node = cb_node_lookup_path (meta, field->filter_by_architecture_key)) != NULL)
    {
      g_auto(GStrv) allowed = cb_node_to_strv (node);
      g_autoptr(GPtrArray) options = NULL;
      g_autoptr(GPtrArray) labels = NULL;

      if (allowed[0] == NULL)
        return;

      options = g_ptr_array_new_with_free_func (g_free);
      labels = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < c->options->len; i++)
        {
          if (g_strv_contains ((const char * const *) allowed, g_ptr_array_index (c->options, i)))
            {
              g_ptr_array_add (options, g_strdup (g_ptr_array_index (c->options, i)));
              g_ptr_array_add (labels, g_strdup (g_ptr_array_index (c->labels, i)));
            }
        }

      /* If nothing is left, the original keeps the unfiltered list. */
      if (options->len > 0)
        {
          g_ptr_array_unref (c->options);
          g_ptr_array_unref (c->labels);
          c->options = g_steal_pointer (&options);
          c->labels = g_steal_pointer (&labels);
        }
    }
}

static gboolean
options_contain (Computed   *c,
                 const char *value)
{
  for (guint i = 0; i < c->options->len; i++)
    if (g_strcmp0 (g_ptr_array_index (c->options, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
append_help (GString    *help,
             const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (help->len > 0)
    g_string_append_c (help, '\n');
  g_string_append (help, text);
}

/* info_template with {name} placeholders from a mapping, or {value}. */
static char *
format_info (const CbField *field,
             CbNode        *value)
{
  const char *template = cb_schema_text (field->info_template);
  GString *out;

  if (value == NULL || cb_node_is_null (value))
    return g_strdup (cb_schema_text (field->info_fallback));

  if (cb_node_get_node_type (value) == CB_NODE_MAPPING)
    {
      gboolean ok = TRUE;

      out = g_string_new (NULL);
      for (const char *p = template; *p && ok; p++)
        {
          const char *close;

          if (*p == '{' && (close = strchr (p, '}')) != NULL)
            {
              g_autofree char *name = g_strndup (p + 1, close - p - 1);
              CbNode *item = cb_node_lookup (value, name);

              if (item == NULL)
                ok = FALSE;
              else
                {
                  g_autofree char *text = cb_node_to_display (item);

                  g_string_append (out, text);
                }
              p = close;
            }
          else
            g_string_append_c (out, *p);
        }

      if (ok)
        return g_string_free (out, FALSE);
      g_string_free (out, TRUE);
    }

  {
    g_autofree char *text = cb_node_to_display (value);
    g_auto(GStrv) parts = g_strsplit (template, "{value}", -1);

    if (g_strv_length (parts) < 2)
      return g_steal_pointer (&text);
    return g_strjoinv (text, parts);
  }
}

static void
set_error (Computed   *c,
           GPtrArray  *errors,
           char       *message)
{
  if (c->error == NULL)
    c->error = g_strdup (message);
  g_ptr_array_add (errors, message);
}

static void
set_warning (Computed *c,
             char     *message)
{
  if (c->warning == NULL)
    c->warning = message;
  else
    g_free (message);
}

static void
validate_field (CbForm        *self,
                const CbField *field,
                Computed      *c,
                guint          index,
                CbNode        *arch_meta,
                const char    *arch_name,
                const char    *optimizer_name,
                CbNode        *opt_meta)
{
  GVariant *value = c->state.value;
  const char *label = cb_schema_text (field->label);
  gboolean missing = _cb_variant_is_missing (value);
  double d;

  if (field->required_if != NULL && missing)
    {
      Lookup lookup = { self, index };
      gboolean result = FALSE;

      if (cb_expr_evaluate (field->required_if, lookup_cb, &lookup, &result, NULL) && result)
        set_error (c, self->errors, g_strdup_printf (_("'%s' is required."), label));
    }

  if (field->required && missing)
    {
      set_error (c, self->errors, g_strdup_printf (_("'%s' is required."), label));
      return;
    }
  if (missing)
    return;

  if (field->min_length >= 0 && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
      g_utf8_strlen (g_variant_get_string (value, NULL), -1) < field->min_length)
    set_error (c, self->errors,
               g_strdup_printf (_("'%s' must be at least %d characters long."),
                                label, (int) field->min_length));

  if ((g_variant_is_of_type (value, G_VARIANT_TYPE_INT64) ||
       g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE)) && variant_to_double (value, &d))
    {
      if (field->has_min && d < field->min)
        {
          g_autofree char *n = number_text (field->min);

          set_error (c, self->errors, g_strdup_printf (_("'%s' must be >= %s."), label, n));
        }
      if (field->has_max && d > field->max)
        {
          g_autofree char *n = number_text (field->max);

          set_error (c, self->errors, g_strdup_printf (_("'%s' must be <= %s."), label, n));
        }
      if (field->has_range && (d < field->range[0] || d > field->range[1]))
        {
          g_autofree char *a = number_text (field->range[0]);
          g_autofree char *b = number_text (field->range[1]);

          set_error (c, self->errors, g_strdup_printf (_("'%s' must be between %s and %s."),
                                                       label, a, b));
        }

      /* The slider's range (from the schema or the optimizer metadata) is a guide, not a
       * cage: a value outside it is allowed, with a warning. */
      if (c->state.has_min && d < c->state.min - 1e-12 * fabs (c->state.min))
        {
          g_autofree char *lo = number_text (c->state.min);

          if (opt_meta != NULL && field->optimizer_metadata_key != NULL)
            set_warning (c, g_strdup_printf (_("Below %s, the lowest value suggested for "
                                               "optimizer “%s”."), lo, optimizer_name));
          else
            set_warning (c, g_strdup_printf (_("Below %s, the lowest value suggested."), lo));
        }
      else if (c->state.has_max && d > c->state.max + 1e-12 * fabs (c->state.max))
        {
          g_autofree char *hi = number_text (c->state.max);

          if (opt_meta != NULL && field->optimizer_metadata_key != NULL)
            set_warning (c, g_strdup_printf (_("Above %s, the highest value suggested for "
                                               "optimizer “%s”."), hi, optimizer_name));
          else
            set_warning (c, g_strdup_printf (_("Above %s, the highest value suggested."), hi));
        }
    }

  if (field->file_name && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      g_autofree char *problem = cb_file_name_problem (g_variant_get_string (value, NULL));

      if (problem != NULL)
        set_error (c, self->errors, g_strdup_printf ("%s: %s", label, problem));
    }

  /* Compatibility with the architecture (only possible when the filter kept everything). */
  if (field->filter_by_architecture_key != NULL && arch_meta != NULL &&
      g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      g_auto(GStrv) allowed = cb_node_to_strv (cb_node_lookup_path (arch_meta,
                                                                    field->filter_by_architecture_key));
      const char *v = g_variant_get_string (value, NULL);

      if (allowed[0] != NULL && !g_strv_contains ((const char * const *) allowed, v))
        {
          g_autofree char *list = g_strjoinv (", ", allowed);

          set_error (c, self->errors,
                     g_strdup_printf (_("%s '%s' is not compatible with the '%s' architecture. "
                                        "Compatible: %s"), label, v, arch_name, list));
          return;
        }
    }

  /* A choice that is not offered (typed, loaded, from the command line) is kept and
   * flagged. Checkpoints outside the list are files the user chose elsewhere. */
  if (field->type == CB_FIELD_SELECTBOX && c->options->len > 0 &&
      g_strcmp0 (field->options_source, "checkpoints") != 0 &&
      g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
      !options_contain (c, g_variant_get_string (value, NULL)))
    {
      g_autofree char *choices = NULL;

      if (c->options->len <= 12)
        {
          g_ptr_array_add (c->options, NULL);
          choices = g_strjoinv (", ", (char **) c->options->pdata);
          g_ptr_array_set_size (c->options, c->options->len - 1);
          set_error (c, self->errors,
                     g_strdup_printf (_("'%s' is not an option of '%s' (choose from: %s)."),
                                      g_variant_get_string (value, NULL), label, choices));
        }
      else
        set_error (c, self->errors,
                   g_strdup_printf (_("'%s' is not an option of '%s'."),
                                    g_variant_get_string (value, NULL), label));
    }
}

static GVariant *
metadata_number (CbNode     *meta,
                 const char *path)
{
  CbNode *node = cb_node_lookup_path (meta, path);
  GVariant *value = cb_node_to_variant (node);

  if (value != NULL && !g_variant_is_of_type (value, G_VARIANT_TYPE_INT64) &&
      !g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    g_clear_pointer (&value, g_variant_unref);

  return value;
}

static void
compute_field (CbForm *self,
               guint   index)
{
  const CbField *field = cb_schema_get_field (self->schema, index);
  Computed *c = &self->computed[index];
  g_autoptr(GVariant) default_value = NULL;
  g_autoptr(GString) help = g_string_new (cb_schema_text (field->help));
  const char *arch_name;
  const char *optimizer_name;
  CbNode *arch_meta;
  CbNode *opt_meta;
  GVariant *user;
  gboolean integral = field_is_integral (field);
  gboolean arch_default_lr = FALSE;
  guint first_error = self->errors->len;

  computed_clear (c);
  memset (&c->state, 0, sizeof c->state);

  /* 1. Options. */
  resolve_options (self, field, c);

  /* 2-3. Architecture metadata: options, filter, default. */
  arch_name = value_string_of (self, index, field->architecture_key);
  if (arch_name == NULL)
    arch_name = field->architecture_fallback;
  arch_meta = cb_config_snapshot_get_architecture_metadata (self->snapshot, arch_name);

  if (field->default_value != NULL)
    default_value = g_variant_ref (field->default_value);

  if (arch_meta != NULL)
    {
      apply_options_metadata (field, c, arch_meta);

      if (field->metadata_default_key != NULL)
        {
          GVariant *meta_default = cb_node_to_variant (cb_node_lookup_path (arch_meta,
                                                                            field->metadata_default_key));

          if (meta_default != NULL)
            {
              g_clear_pointer (&default_value, g_variant_unref);
              default_value = coerce (field, meta_default, integral);
              g_variant_unref (meta_default);
              arch_default_lr = TRUE;
            }
        }
    }

  /* 4. Optimizer metadata. */
  optimizer_name = value_string_of (self, index, field->optimizer_key);
  if (optimizer_name == NULL)
    optimizer_name = field->optimizer_fallback;
  opt_meta = cb_config_snapshot_get_optimizer_metadata (self->snapshot, optimizer_name);

  /* Slider / number ranges from the schema, then from the optimizer metadata. */
  c->state.has_min = field->has_min_value;
  c->state.min = field->min_value;
  c->state.has_max = field->has_max_value;
  c->state.max = field->max_value;
  c->state.step = field->has_step ? field->step : (integral ? 1.0 : 0.0);

  if (opt_meta != NULL && field->optimizer_metadata_key != NULL &&
      cb_node_lookup_path (opt_meta, field->optimizer_metadata_key) != NULL &&
      cb_node_get_node_type (cb_node_lookup_path (opt_meta, field->optimizer_metadata_key))
        == CB_NODE_MAPPING)
    {
      g_autofree char *min_path = g_strconcat (field->optimizer_metadata_key, ".min", NULL);
      g_autofree char *max_path = g_strconcat (field->optimizer_metadata_key, ".max", NULL);
      g_autofree char *step_path = g_strconcat (field->optimizer_metadata_key, ".step", NULL);
      g_autofree char *default_path = g_strconcat (field->optimizer_metadata_key, ".default", NULL);
      g_autoptr(GVariant) min = metadata_number (opt_meta, min_path);
      g_autoptr(GVariant) max = metadata_number (opt_meta, max_path);
      g_autoptr(GVariant) step = metadata_number (opt_meta, step_path);
      g_autoptr(GVariant) def = metadata_number (opt_meta, default_path);

      if (min != NULL)
        c->state.has_min = variant_to_double (min, &c->state.min);
      if (max != NULL)
        c->state.has_max = variant_to_double (max, &c->state.max);
      if (step != NULL)
        variant_to_double (step, &c->state.step);
      if ((min && g_variant_is_of_type (min, G_VARIANT_TYPE_DOUBLE)) ||
          (max && g_variant_is_of_type (max, G_VARIANT_TYPE_DOUBLE)) ||
          (step && g_variant_is_of_type (step, G_VARIANT_TYPE_DOUBLE)))
        integral = FALSE;

      /* The architecture's own default wins over the optimizer's generic one. */
      if (def != NULL && !arch_default_lr)
        {
          g_clear_pointer (&default_value, g_variant_unref);
          default_value = coerce (field, def, integral);
        }
    }

  if (default_value != NULL && (field->type == CB_FIELD_SLIDER ||
                                field->type == CB_FIELD_NUMBER_INPUT))
    {
      GVariant *typed = coerce (field, default_value, integral);

      g_variant_unref (default_value);
      default_value = typed;
    }

  /* 5. Visibility. */
  c->state.visible = TRUE;
  if (field->visible_if != NULL)
    {
      Lookup lookup = { self, index };
      gboolean result = TRUE;

      if (cb_expr_evaluate (field->visible_if, lookup_cb, &lookup, &result, NULL))
        c->state.visible = result;
    }

  /* 6. Help (built after the value, see below). */
  if (field->type == CB_FIELD_INFO)
    c->info_text = format_info (field, arch_meta && field->metadata_info_key
                                         ? cb_node_lookup_path (arch_meta, field->metadata_info_key)
                                         : NULL);

  /* 7-8. The value. */
  user = g_hash_table_lookup (self->user_values, field->key);
  c->state.user_set = FALSE;

  switch (field->type)
    {
    case CB_FIELD_SELECTBOX:
      {
        g_autofree char *default_text = default_value ? _cb_variant_to_text (default_value) : NULL;
        gboolean is_checkpoint = g_strcmp0 (field->options_source, "checkpoints") == 0;
        const char *chosen = NULL;

        if (user != NULL && options_contain (c, g_variant_get_string (user, NULL)))
          {
            chosen = g_variant_get_string (user, NULL);
            c->state.user_set = TRUE;
          }
        else if (user != NULL && !is_checkpoint && c->state.visible && c->options->len > 0 &&
                 !g_hash_table_contains (self->pinned, field->key))
          {
            /* Reconciliation: a choice made from the list is no longer offered because of
             * another choice (an architecture's filter, a reloaded config): the default. */
            g_hash_table_remove (self->user_values, field->key);
            user = NULL;
          }
        else if (user != NULL)
          {
            /* A value given as it is (typed, loaded, a checkpoint outside the list, options
             * not known yet) is kept; validation flags it when it is not offered. */
            chosen = g_variant_get_string (user, NULL);
            c->state.user_set = TRUE;
          }

        /* A checkpoint is only ever the one the user chose. */
        if (chosen == NULL && !is_checkpoint && default_text != NULL &&
            (options_contain (c, default_text) || (c->options->len == 0 && *default_text)))
          chosen = default_text;
        if (chosen == NULL && !is_checkpoint && c->options->len > 0)
          chosen = g_ptr_array_index (c->options, 0);

        /* Without the user's choice: the default when it is offered, else the first. */
        if (!is_checkpoint && default_text != NULL &&
            (options_contain (c, default_text) || (c->options->len == 0 && *default_text)))
          c->state.reset_value = g_variant_ref_sink (g_variant_new_string (default_text));
        else if (!is_checkpoint && c->options->len > 0)
          c->state.reset_value = g_variant_ref_sink (g_variant_new_string (g_ptr_array_index (c->options, 0)));

        if (chosen != NULL)
          c->state.value = g_variant_ref_sink (g_variant_new_string (chosen));
        c->state.default_value = default_text
          ? g_variant_ref_sink (g_variant_new_string (default_text)) : NULL;
      }
      break;

    case CB_FIELD_SLIDER:
    case CB_FIELD_NUMBER_INPUT:
      {
        double d;

        if (default_value != NULL)
          c->state.reset_value = coerce (field, default_value, integral);
        if (c->state.reset_value == NULL && c->state.has_min)
          c->state.reset_value = integral
            ? g_variant_ref_sink (g_variant_new_int64 ((gint64) c->state.min))
            : g_variant_ref_sink (g_variant_new_double (c->state.min));

        /* What the user gave is kept whatever the slider's range: validation says whether
         * it is allowed (schema validation) or only unusual (outside the slider). Text that
         * is not a number yet (typed half-way) is kept too, and is an error. */
        if (user != NULL && g_variant_is_of_type (user, G_VARIANT_TYPE_STRING))
          {
            c->state.user_set = TRUE;
            if (c->state.visible)
              set_error (c, self->errors,
                         g_strdup_printf (integral && variant_to_double (user, &d)
                                            ? _("'%s' must be a whole number, not “%s”.")
                                            : _("'%s' must be a number, not “%s”."),
                                          cb_schema_text (field->label),
                                          g_variant_get_string (user, NULL)));
            break;
          }
        if (user != NULL && variant_to_double (user, &d))
          {
            c->state.value = coerce (field, user, integral);
            c->state.user_set = c->state.value != NULL;
          }

        if (c->state.value == NULL && c->state.reset_value != NULL)
          c->state.value = g_variant_ref (c->state.reset_value);
        c->state.default_value = default_value ? g_variant_ref (default_value) : NULL;
      }
      break;

    case CB_FIELD_CHECKBOX:
      c->state.default_value = g_variant_ref_sink (g_variant_new_boolean (_cb_variant_truthy (default_value)));
      c->state.reset_value = g_variant_ref (c->state.default_value);
      c->state.value = g_variant_ref (user ? user : c->state.reset_value);
      c->state.user_set = user != NULL;
      break;

    case CB_FIELD_TEXT_INPUT:
      c->state.reset_value = g_variant_ref_sink (g_variant_new_string (default_value
                                                                         ? g_variant_get_string (default_value, NULL)
                                                                         : ""));
      c->state.value = g_variant_ref (user ? user : c->state.reset_value);
      c->state.user_set = user != NULL;
      c->state.default_value = default_value ? g_variant_ref (default_value) : NULL;
      break;

    case CB_FIELD_INFO:
    default:
      break;
    }

  /* The architecture field's own help follows its own choice (the original always showed
   * the fallback's notes, because the field had no value yet when its help was built). */
  if (g_strcmp0 (field->key, field->architecture_key) == 0 && c->state.value != NULL &&
      g_variant_is_of_type (c->state.value, G_VARIANT_TYPE_STRING))
    {
      CbNode *own = cb_config_snapshot_get_architecture_metadata (self->snapshot,
                                                                  g_variant_get_string (c->state.value,
                                                                                        NULL));
      if (own != NULL)
        arch_meta = own;
    }
  if (arch_meta != NULL && field->metadata_help_key != NULL)
    {
      g_autofree char *text = cb_node_to_display (cb_node_lookup_path (arch_meta,
                                                                       field->metadata_help_key));

      append_help (help, text);
    }
  if (opt_meta != NULL && field->optimizer_help_key != NULL)
    {
      g_autofree char *text = cb_node_to_display (cb_node_lookup_path (opt_meta,
                                                                       field->optimizer_help_key));

      append_help (help, text);
    }
  c->help = help->len > 0 ? g_strdup (help->str) : NULL;

  if (!c->state.visible)
    g_clear_pointer (&c->state.value, g_variant_unref);
  /* Marked as changed: one comparison, here, rather than a pass over the rows later. */
  c->state.changed = c->state.visible && c->state.user_set &&
                     !variant_same (c->state.value, c->state.reset_value);

  /* Validation of what is visible. */
  if (c->state.visible && field->type != CB_FIELD_INFO && c->error == NULL)
    validate_field (self, field, c, index, arch_meta, arch_name, optimizer_name, opt_meta);
  /* An error says it all: no "unusual" note beside it. */
  if (c->error != NULL)
    g_clear_pointer (&c->warning, g_free);

  /* A component that differs from what the chosen checkpoint was trained with. */
  if (c->state.visible && c->state.value != NULL &&
      g_variant_is_of_type (c->state.value, G_VARIANT_TYPE_STRING))
    {
      const CbRunInfo *run = _cb_form_current_run_info (self, index);
      const char *trained = cb_run_info_get (run, field->key);

      if (trained != NULL && !g_str_equal (trained, g_variant_get_string (c->state.value, NULL)))
        c->mismatch = g_strdup_printf (_("The checkpoint was trained with “%s”"), trained);
    }

  /* A field that sweeps is checked on its sweep's values instead. */
  _cb_form_sweep_check (self, index, c, first_error);

  g_ptr_array_add (c->options, NULL);
  g_ptr_array_add (c->labels, NULL);
  c->state.options = (const char * const *) c->options->pdata;
  c->state.option_labels = (const char * const *) c->labels->pdata;
  c->state.n_options = c->options->len - 1;
  c->state.help = c->help;
  c->state.info_text = c->info_text;
  c->state.error = c->error;
  c->state.warning = c->warning;
  c->state.mismatch = c->mismatch;
  c->state.hydra = NULL;
}

GVariant *
_cb_form_value_of (CbForm     *self,
          const char *key)
{
  int index = cb_schema_find_field (self->schema, key);

  return index >= 0 ? self->computed[index].state.value : NULL;
}

/* The run folder is named after the experiment name with its suffix: that whole name must
 * fit in one folder name. */
static void
check_suffixed_name (CbForm *self)
{
  int index = cb_schema_find_field (self->schema, "exp_name");
  Computed *c;
  g_autofree char *suffixed = NULL;

  if (index < 0 || !cb_schema_get_field (self->schema, index)->file_name)
    return;
  c = &self->computed[index];
  if (c->error != NULL || c->state.value == NULL ||
      !g_variant_is_of_type (c->state.value, G_VARIANT_TYPE_STRING))
    return;

  suffixed = _cb_form_suffixed_exp_name (self, g_variant_get_string (c->state.value, NULL));
  if (suffixed != NULL && strlen (suffixed) > CB_FILE_NAME_MAX)
    {
      set_error (c, self->errors,
                 g_strdup_printf (_("%s: with its suffix the run folder's name is %zu bytes "
                                    "long; a folder name can have at most %d."),
                                  cb_schema_text (cb_schema_get_field (self->schema, index)->label),
                                  strlen (suffixed), CB_FILE_NAME_MAX));
      c->state.error = c->error;
    }
}

void
_cb_form_recompute (CbForm *self)
{
  if (self->freeze_count > 0)
    {
      self->dirty = TRUE;
      return;
    }

  g_ptr_array_set_size (self->errors, 0);
  for (guint i = 0; i < self->n_fields; i++)
    compute_field (self, i);

  /* A newly chosen checkpoint fills in the components its run was trained with (once per
   * checkpoint, so the user can still change them afterwards), then the pass runs again. */
  if (_cb_form_fill_from_checkpoint (self))
    {
      g_ptr_array_set_size (self->errors, 0);
      for (guint i = 0; i < self->n_fields; i++)
        compute_field (self, i);
    }

  check_suffixed_name (self);
  _cb_form_build_command (self);
  _cb_form_compose (self);
  self->dirty = FALSE;

  g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
cb_form_finalize (GObject *object)
{
  CbForm *self = CB_FORM (object);

  for (guint i = 0; i < self->n_fields; i++)
    computed_clear (&self->computed[i]);
  g_free (self->computed);
  g_clear_pointer (&self->schema, cb_schema_unref);
  g_clear_pointer (&self->project, cb_project_unref);
  g_clear_pointer (&self->snapshot, cb_config_snapshot_unref);
  g_clear_pointer (&self->checkpoints, g_strfreev);
  g_clear_object (&self->checkpoint_model);
  g_clear_pointer (&self->checkpoint_runs, g_hash_table_unref);
  g_clear_pointer (&self->filled_for, g_free);
  g_clear_pointer (&self->checkpoint_note, g_free);
  g_clear_pointer (&self->user_values, g_hash_table_unref);
  g_clear_pointer (&self->pinned, g_hash_table_unref);
  g_clear_pointer (&self->extra, g_strfreev);
  g_clear_pointer (&self->override_fields, g_array_unref);
  g_clear_pointer (&self->composition, cb_composition_free);
  g_clear_pointer (&self->hydra_error, g_free);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_clear_pointer (&self->command, cb_command_unref);
  _cb_form_sweep_clear (self);
  g_free (self->page);

  G_OBJECT_CLASS (cb_form_parent_class)->finalize (object);
}

static void
cb_form_class_init (CbFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_form_finalize;

  /**
   * CbForm::changed:
   *
   * Emitted after every recompute: values, options, visibility, errors or the command may
   * have changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cb_form_init (CbForm *self)
{
  self->pinned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->override_fields = g_array_new (FALSE, FALSE, sizeof (int));
  self->user_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_variant_unref);
  self->errors = g_ptr_array_new_with_free_func (g_free);
  self->append_suffix = TRUE;
  self->snapshot = cb_config_snapshot_new_empty ();
  _cb_form_sweep_init (self);
}

CbForm *
cb_form_new (CbSchema   *schema,
             const char *page)
{
  CbForm *self;

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (page != NULL, NULL);

  self = g_object_new (CB_TYPE_FORM, NULL);
  self->schema = cb_schema_ref (schema);
  self->page = g_strdup (page);
  self->n_fields = cb_schema_get_n_fields (schema);
  self->computed = g_new0 (Computed, self->n_fields);
  _cb_form_recompute (self);

  return self;
}

CbSchema *
cb_form_get_schema (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  return self->schema;
}

const char *
cb_form_get_page (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  return self->page;
}

void
cb_form_set_project (CbForm    *self,
                     CbProject *project)
{
  g_return_if_fail (CB_IS_FORM (self));

  if (project == self->project)
    return;
  g_clear_pointer (&self->project, cb_project_unref);
  self->project = project ? cb_project_ref (project) : NULL;
  _cb_form_recompute (self);
}

void
cb_form_set_snapshot (CbForm           *self,
                      CbConfigSnapshot *snapshot)
{
  g_return_if_fail (CB_IS_FORM (self));

  if (snapshot == self->snapshot)
    return;
  g_clear_pointer (&self->snapshot, cb_config_snapshot_unref);
  self->snapshot = snapshot ? cb_config_snapshot_ref (snapshot) : cb_config_snapshot_new_empty ();
  _cb_form_recompute (self);
}

CbConfigSnapshot *
cb_form_get_snapshot (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  return self->snapshot;
}

/* Text typed into a number field: a whole number, a number, or (not a number yet, or a
 * fraction where a whole number is needed) the text itself, which the pass flags. */
static GVariant *
parse_number_text (const char *text,
                   gboolean    integral)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  gint64 i;
  double d;
  char *end = NULL;

  if (g_ascii_string_to_signed (copy, 10, G_MININT64, G_MAXINT64, &i, NULL))
    return g_variant_ref_sink (g_variant_new_int64 (i));
  d = g_ascii_strtod (copy, &end);
  if (*copy != '\0' && end != copy && *end == '\0' && isfinite (d))
    {
      if (!integral)
        return g_variant_ref_sink (g_variant_new_double (d));
      if (d == floor (d) && fabs (d) < 9e15)
        return g_variant_ref_sink (g_variant_new_int64 ((gint64) d));
    }
  return g_variant_ref_sink (g_variant_new_string (text));
}

/* Stores what the user chose for field @index (takes @value). A choice not offered right
 * now was typed or loaded: it is pinned, kept whatever comes and flagged; a choice from the
 * list may later give way to the default when another choice stops offering it. */
void
_cb_form_store_user_value (CbForm   *self,
                           guint     index,
                           GVariant *value)
{
  const CbField *field = cb_schema_get_field (self->schema, index);
  Computed *c = &self->computed[index];

  if (field->type == CB_FIELD_SELECTBOX && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
      !(c->options != NULL && options_contain (c, g_variant_get_string (value, NULL))))
    g_hash_table_add (self->pinned, g_strdup (field->key));
  else
    g_hash_table_remove (self->pinned, field->key);
  g_hash_table_replace (self->user_values, g_strdup (field->key), value);
}

gboolean
cb_form_set_value (CbForm     *self,
                   const char *key,
                   GVariant   *value)
{
  g_autoptr(GVariant) owned = NULL;
  const CbField *field;
  GVariant *current;
  GVariant *typed;
  GVariant *old;
  gboolean integral;
  int index;

  g_return_val_if_fail (CB_IS_FORM (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value != NULL)
    owned = g_variant_ref_sink (value);

  index = cb_schema_find_field (self->schema, key);
  if (index < 0)
    return FALSE;
  field = cb_schema_get_field (self->schema, index);
  if (owned == NULL)
    {
      cb_form_unset_value (self, key);
      return TRUE;
    }

  /* A slider whose range comes from the optimizer metadata may hold floats even though
   * its schema parameters are integers: keep the type the form computed. */
  current = self->computed[index].state.value;
  integral = current != NULL && (field->type == CB_FIELD_SLIDER ||
                                 field->type == CB_FIELD_NUMBER_INPUT)
               ? g_variant_is_of_type (current, G_VARIANT_TYPE_INT64)
               : field_is_integral (field);
  if ((field->type == CB_FIELD_SLIDER || field->type == CB_FIELD_NUMBER_INPUT) &&
      g_variant_is_of_type (owned, G_VARIANT_TYPE_STRING))
    typed = parse_number_text (g_variant_get_string (owned, NULL), field_is_integral (field));
  else
    typed = coerce (field, owned, integral);
  if (typed == NULL)
    return FALSE;

  old = g_hash_table_lookup (self->user_values, key);
  if (old != NULL && g_variant_equal (old, typed))
    {
      g_variant_unref (typed);
      return TRUE;
    }

  _cb_form_store_user_value (self, index, typed);
  _cb_form_recompute (self);
  return TRUE;
}

gboolean
cb_form_set_value_from_string (CbForm      *self,
                               const char  *key,
                               const char  *text,
                               GError     **error)
{
  const CbField *field;
  int index;

  g_return_val_if_fail (CB_IS_FORM (self), FALSE);
  g_return_val_if_fail (key != NULL && text != NULL, FALSE);

  index = cb_schema_find_field (self->schema, key);
  if (index < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "'%s' is not a field of the %s page", key, self->page);
      return FALSE;
    }
  field = cb_schema_get_field (self->schema, index);

  /* Never replaced by a default behind the user's back. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "'%s' is not valid UTF-8 text", cb_schema_text (field->label));
      return FALSE;
    }

  switch (field->type)
    {
    case CB_FIELD_CHECKBOX:
      {
        static const char * const yes[] = { "true", "True", "1", "yes", "on", NULL };
        static const char * const no[] = { "false", "False", "0", "no", "off", NULL };

        if (g_strv_contains (yes, text))
          return cb_form_set_value (self, key, g_variant_new_boolean (TRUE));
        if (g_strv_contains (no, text))
          return cb_form_set_value (self, key, g_variant_new_boolean (FALSE));
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "'%s' must be true or false, not '%s'", field->label, text);
        return FALSE;
      }

    case CB_FIELD_SLIDER:
    case CB_FIELD_NUMBER_INPUT:
      {
        gint64 i;
        double d;
        char *end = NULL;

        if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &i, NULL))
          return cb_form_set_value (self, key, g_variant_new_int64 (i));
        d = g_ascii_strtod (text, &end);
        if (*text != '\0' && end != text && *end == '\0' && isfinite (d))
          {
            if (field_is_integral (field) && d != floor (d))
              {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             "'%s' must be a whole number, not '%s'", field->label, text);
                return FALSE;
              }
            return cb_form_set_value (self, key, g_variant_new_double (d));
          }
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "'%s' must be a number, not '%s'", field->label, text);
        return FALSE;
      }

    case CB_FIELD_SELECTBOX:
      {
        const Computed *c = &self->computed[index];

        /* A label is accepted for a value. */
        for (guint i = 0; i < c->state.n_options; i++)
          if (g_str_equal (c->state.option_labels[i], text) &&
              !g_str_equal (c->state.options[i], text))
            return cb_form_set_value (self, key, g_variant_new_string (c->state.options[i]));
        return cb_form_set_value (self, key, g_variant_new_string (text));
      }

    case CB_FIELD_INFO:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "'%s' is shown for information and cannot be set", field->label);
      return FALSE;

    case CB_FIELD_TEXT_INPUT:
    default:
      return cb_form_set_value (self, key, g_variant_new_string (text));
    }
}

void
cb_form_unset_value (CbForm     *self,
                     const char *key)
{
  g_return_if_fail (CB_IS_FORM (self));

  g_hash_table_remove (self->pinned, key);
  if (g_hash_table_remove (self->user_values, key))
    _cb_form_recompute (self);
}

GVariant *
cb_form_get_value (CbForm     *self,
                   const char *key)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  return _cb_form_value_of (self, key);
}

/**
 * cb_form_get_user_value:
 *
 * Returns: (nullable) (transfer none): the value the user chose for @key (typed, loaded,
 *   restored), hidden or not; %NULL when the field shows its default
 */
GVariant *
cb_form_get_user_value (CbForm     *self,
                        const char *key)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->user_values, key);
}

const CbFieldState *
cb_form_get_field_state (CbForm *self,
                         guint   index)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  g_return_val_if_fail (index < self->n_fields, NULL);

  return &self->computed[index].state;
}

/**
 * cb_form_set_extra_overrides:
 * @extra: (nullable): overrides no field covers (`trainer.limit_val_batches=0.25`,
 *   `+trainer.fast_dev_run=true`), put after the fields' own as they are
 */
void
cb_form_set_extra_overrides (CbForm             *self,
                             const char * const *extra)
{
  g_return_if_fail (CB_IS_FORM (self));

  if ((self->extra == NULL && (extra == NULL || extra[0] == NULL)) ||
      (self->extra != NULL && extra != NULL &&
       g_strv_equal ((const char * const *) self->extra, extra)))
    return;
  g_clear_pointer (&self->extra, g_strfreev);
  if (extra != NULL && extra[0] != NULL)
    self->extra = g_strdupv ((char **) extra);
  _cb_form_recompute (self);
}

const char * const *
cb_form_get_extra_overrides (CbForm *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  return self->extra != NULL ? (const char * const *) self->extra : none;
}

gboolean
cb_form_get_append_suffix (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), FALSE);
  return self->append_suffix;
}

void
cb_form_set_append_suffix (CbForm   *self,
                           gboolean  append_suffix)
{
  g_return_if_fail (CB_IS_FORM (self));

  append_suffix = !!append_suffix;
  if (append_suffix == self->append_suffix)
    return;
  self->append_suffix = append_suffix;
  _cb_form_recompute (self);
}

void
cb_form_reset (CbForm *self)
{
  g_return_if_fail (CB_IS_FORM (self));

  g_hash_table_remove_all (self->user_values);
  g_hash_table_remove_all (self->pinned);
  g_hash_table_remove_all (self->sweeps);
  g_clear_pointer (&self->extra, g_strfreev);
  self->append_suffix = TRUE;
  _cb_form_recompute (self);
}

const char * const *
cb_form_get_errors (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);

  g_ptr_array_add (self->errors, NULL);
  g_ptr_array_set_size (self->errors, self->errors->len - 1);
  return (const char * const *) self->errors->pdata;
}

gboolean
cb_form_is_valid (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), FALSE);
  return self->errors->len == 0;
}

CbCommand *
cb_form_get_command (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  return self->command;
}

GPtrArray *
cb_form_get_use_cases (CbForm *self)
{
  GVariant *arch;

  g_return_val_if_fail (CB_IS_FORM (self), NULL);

  arch = _cb_form_value_of (self, "architecture");
  return cb_config_snapshot_use_cases_for (self->snapshot,
                                           arch && g_variant_is_of_type (arch, G_VARIANT_TYPE_STRING)
                                             ? g_variant_get_string (arch, NULL) : NULL);
}

char *
cb_format_value (const CbField *field,
                 GVariant      *value)
{
  double d;

  g_return_val_if_fail (field != NULL, NULL);

  if (value == NULL)
    return g_strdup ("");

  if (field->format != NULL && variant_to_double (value, &d) &&
      !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      g_autofree char *prefix = NULL;
      g_autofree char *conversion = NULL;
      g_autofree char *suffix = NULL;
      gboolean rounds = FALSE;
      /* Width and precision are at most 32; the largest double has 309 digits. */
      char buf[512];

      /* The schema check refused any other format; a format that is not checked shows the
       * plain value rather than anything printf would make of it. */
      if (cb_number_format_split (field->format, &prefix, &conversion, &suffix, &rounds, NULL) &&
          isfinite (d))
        {
          /* "%d" became "%.0f": rounded half away from zero, as llround() did. */
          if (rounds)
            d = round (d) + 0.0;   /* + 0.0: never "-0" */
          if (g_ascii_formatd (buf, sizeof buf, conversion, d) != NULL)
            return g_strconcat (prefix, buf, suffix, NULL);
        }
    }

  return _cb_variant_to_text (value);
}

char **
cb_form_apply_use_case (CbForm          *self,
                        const CbUseCase *use_case)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  g_return_val_if_fail (use_case != NULL, NULL);

  for (guint i = 0; i < use_case->n_params; i++)
    {
      int index = cb_schema_find_field (self->schema, use_case->param_names[i]);

      g_ptr_array_add (before, index >= 0
                         ? cb_format_value (cb_schema_get_field (self->schema, index),
                                            self->computed[index].state.value)
                         : NULL);
    }

  cb_form_freeze (self);
  for (guint i = 0; i < use_case->n_params; i++)
    {
      int index = cb_schema_find_field (self->schema, use_case->param_names[i]);

      if (index >= 0)
        {
          const CbField *field = cb_schema_get_field (self->schema, index);
          g_autoptr(GVariant) value = coerce (field, use_case->param_values[i],
                                              field_is_integral (field) &&
                                              !g_variant_is_of_type (use_case->param_values[i],
                                                                     G_VARIANT_TYPE_DOUBLE));

          if (value != NULL)
            g_hash_table_replace (self->user_values, g_strdup (field->key), g_variant_ref (value));
        }
    }
  /* Applying a setup for training from scratch: make sure the fields are visible. */
  if (cb_schema_find_field (self->schema, "resume_training") >= 0)
    g_hash_table_replace (self->user_values, g_strdup ("resume_training"),
                          g_variant_ref_sink (g_variant_new_boolean (FALSE)));
  /* The values went straight into the table: make the thaw recompute. */
  self->dirty = TRUE;
  cb_form_thaw (self);

  for (guint i = 0; i < use_case->n_params; i++)
    {
      int index = cb_schema_find_field (self->schema, use_case->param_names[i]);
      const CbField *field;
      g_autofree char *after = NULL;

      if (index < 0)
        continue;
      field = cb_schema_get_field (self->schema, index);
      after = cb_format_value (field, self->computed[index].state.value);
      if (g_strcmp0 (g_ptr_array_index (before, i), after) != 0)
        g_ptr_array_add (changes, g_strdup_printf ("%s: %s → %s", cb_schema_text (field->label),
                                                   (char *) g_ptr_array_index (before, i), after));
    }

  g_ptr_array_add (changes, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&changes), FALSE);
}

void
cb_form_freeze (CbForm *self)
{
  g_return_if_fail (CB_IS_FORM (self));
  self->freeze_count++;
}

void
cb_form_thaw (CbForm *self)
{
  g_return_if_fail (CB_IS_FORM (self));
  g_return_if_fail (self->freeze_count > 0);

  if (--self->freeze_count == 0 && self->dirty)
    _cb_form_recompute (self);
}
