/* cb-sweep.c: one form, many runs: the values a field sweeps over, and the runs they make
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sweep text is what the user types in a field's Sweep entry:
 *
 *   text  := item (',' item)*           items are trimmed; "\," is a comma inside a value,
 *                                       "\\" a backslash, any other backslash is kept
 *   item  := value | START:STOP:STEP    a range, for numbers and sliders only; STOP included
 *
 * Numbers come back written as the field writes its own value (a whole number, or Python's
 * repr of a float), so a range of float steps (0.1:0.3:0.1) gives 0.1, 0.2, 0.3 and not
 * 0.30000000000000004. Each value is then quoted for Hydra's choice sweep "key=a,b,c":
 * whatever Hydra would split, retype or refuse (a comma, blanks at either end, quotes, '=',
 * non-ASCII text) is written inside "...", as cb_hydra_quote_value() does for one value.
 *
 * Runs follow Hydra's basic sweeper: itertools.product over the axes in the command's
 * order, the last axis changing fastest.
 */

#define G_LOG_DOMAIN "cb-sweep"

#include "config.h"

#include "cb/cb-sweep.h"
#include "cb/cb-file-name.h"
#include "cb/cb-quote.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (cb-sweep-error-quark, cb_sweep_error)

gboolean
cb_sweep_field_can_sweep (const CbField *field)
{
  g_return_val_if_fail (field != NULL, FALSE);

  switch (field->type)
    {
    case CB_FIELD_TEXT_INPUT:
    case CB_FIELD_NUMBER_INPUT:
    case CB_FIELD_SLIDER:
    case CB_FIELD_SELECTBOX:
      return TRUE;
    case CB_FIELD_CHECKBOX:
    case CB_FIELD_INFO:
    default:
      return FALSE;
    }
}

/* As the form decides it (cb-form.c, field_is_integral). */
static gboolean
field_is_integral (const CbField *field)
{
  gboolean int_default = field->default_value == NULL ||
                         g_variant_is_of_type (field->default_value, G_VARIANT_TYPE_INT64);

  if (field->type == CB_FIELD_NUMBER_INPUT)
    return int_default;
  if (field->type == CB_FIELD_SLIDER)
    return field->integral && int_default;
  return FALSE;
}

static gboolean
is_number_field (const CbField *field)
{
  return field->type == CB_FIELD_NUMBER_INPUT || field->type == CB_FIELD_SLIDER;
}

/* The items of @text: split on unescaped commas, unescaped and trimmed. */
static GPtrArray *
split_items (const char *text)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  GString *item = g_string_new (NULL);

  for (const char *p = text;; p++)
    {
      if (*p == '\\' && (p[1] == ',' || p[1] == '\\'))
        {
          g_string_append_c (item, *++p);
          continue;
        }
      if (*p == ',' || *p == '\0')
        {
          g_ptr_array_add (items, g_strstrip (g_string_free (item, FALSE)));
          if (*p == '\0')
            break;
          item = g_string_new (NULL);
          continue;
        }
      g_string_append_c (item, *p);
    }

  return items;
}

static gboolean
parse_double (const char *text,
              double     *out)
{
  char *end = NULL;

  if (*text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

/* A number as the field writes it: "3" for a whole-number field, Python's repr of the float
 * otherwise. NULL with @error set when it is not a number of that kind. */
static char *
number_value (const CbField  *field,
              const char     *text,
              double          d,
              GError        **error)
{
  if (field_is_integral (field))
    {
      if (d != floor (d) || fabs (d) >= 9e15)
        {
          g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                       _("“%s” is not a whole number"), text);
          return NULL;
        }
      return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) d);
    }
  return cb_format_number_repr (d);
}

static gboolean
add_value (GPtrArray   *values,
           char        *value,
           GError     **error)
{
  if (g_ptr_array_find_with_equal_func (values, value, g_str_equal, NULL))
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                   _("“%s” is given twice"), value);
      g_free (value);
      return FALSE;
    }
  if (values->len >= CB_SWEEP_MAX_RUNS)
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_TOO_MANY,
                   _("A sweep can make at most %d runs"), CB_SWEEP_MAX_RUNS);
      g_free (value);
      return FALSE;
    }
  g_ptr_array_add (values, value);
  return TRUE;
}

/* START:STOP:STEP, STOP included, robust to float steps. */
static gboolean
parse_range (const CbField  *field,
             const char     *item,
             GPtrArray      *values,
             GError        **error)
{
  g_auto(GStrv) parts = g_strsplit (item, ":", -1);
  double start, stop, step, span;
  guint n;

  if (g_strv_length (parts) != 3)
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                   _("“%s”: a range is written START:STOP:STEP"), item);
      return FALSE;
    }
  for (guint i = 0; i < 3; i++)
    {
      double *out = i == 0 ? &start : i == 1 ? &stop : &step;

      g_strstrip (parts[i]);
      if (!parse_double (parts[i], out))
        {
          g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                       _("“%s” in the range “%s” is not a number"), parts[i], item);
          return FALSE;
        }
    }
  if (step <= 0)
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                   _("The step of the range “%s” must be greater than zero"), item);
      return FALSE;
    }
  if (stop < start)
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                   _("The range “%s” ends before it starts"), item);
      return FALSE;
    }
  if (field_is_integral (field) && (start != floor (start) || step != floor (step)))
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                   _("The range “%s” must start and step by whole numbers"), item);
      return FALSE;
    }

  /* A step that lands on STOP within rounding (0.2 / 0.1 = 1.9999999999999998) counts. */
  span = (stop - start) / step;
  if (!isfinite (span) || span + values->len >= CB_SWEEP_MAX_RUNS)
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_TOO_MANY,
                   _("The range “%s” makes more than %d runs"), item, CB_SWEEP_MAX_RUNS);
      return FALSE;
    }
  n = (guint) floor (span + 1e-9) + 1;

  for (guint i = 0; i < n; i++)
    {
      double d = start + i * step;
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      char *value;

      /* Rounding noise off: 12 significant digits, and a zero that is a zero. */
      if (fabs (d) < fabs (step) * 1e-9)
        d = 0.0;
      d = g_ascii_strtod (g_ascii_formatd (buf, sizeof buf, "%.12g", d), NULL);
      value = number_value (field, item, d, error);
      if (value == NULL || !add_value (values, value, error))
        return FALSE;
    }

  return TRUE;
}

static char *
number_text (double d)
{
  if (d == floor (d) && fabs (d) < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) d);
  return cb_format_number_repr (d);
}

/* The checks the form makes on one value of the field (validation:), named by the value. */
static gboolean
check_value (const CbField  *field,
             const char     *value,
             GError        **error)
{
  const char *label = cb_schema_text (field->label);
  double d;

  if (is_number_field (field) && parse_double (value, &d))
    {
      if ((field->has_min && d < field->min) ||
          (field->has_range && d < field->range[0]))
        {
          g_autofree char *lo = number_text (field->has_range && (!field->has_min ||
                                                                  field->range[0] > field->min)
                                             ? field->range[0] : field->min);

          g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                       _("%s is below %s, the lowest value '%s' allows"), value, lo, label);
          return FALSE;
        }
      if ((field->has_max && d > field->max) ||
          (field->has_range && d > field->range[1]))
        {
          g_autofree char *hi = number_text (field->has_range && (!field->has_max ||
                                                                  field->range[1] < field->max)
                                             ? field->range[1] : field->max);

          g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                       _("%s is above %s, the highest value '%s' allows"), value, hi, label);
          return FALSE;
        }
      return TRUE;
    }

  if (field->type == CB_FIELD_TEXT_INPUT)
    {
      if (field->min_length >= 0 && g_utf8_strlen (value, -1) < field->min_length)
        {
          g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                       _("“%s” is shorter than %d characters"), value, (int) field->min_length);
          return FALSE;
        }
      if (field->file_name)
        {
          g_autofree char *problem = cb_file_name_problem (value);

          if (problem != NULL)
            {
              g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID, "“%s”: %s", value,
                           problem);
              return FALSE;
            }
        }
    }

  return TRUE;
}

/**
 * cb_sweep_parse:
 * @field: the field the values are for
 * @text: what the user typed: a list and/or ranges (see the top of this file)
 *
 * Returns: (transfer full): the values, in order, as the field would write each after
 *   "key=" before Hydra quoting; %NULL with @error set (CB_SWEEP_ERROR) naming the problem
 */
char **
cb_sweep_parse (const CbField  *field,
                const char     *text,
                GError        **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) values = NULL;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!cb_sweep_field_can_sweep (field))
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                   _("'%s' cannot sweep over values"), cb_schema_text (field->label));
      return NULL;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                   _("The values are not valid UTF-8 text"));
      return NULL;
    }

  items = split_items (text);
  values = g_ptr_array_new_with_free_func (g_free);
  if (items->len == 1 && *(char *) items->pdata[0] == '\0')
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                   _("Give the values to sweep over, separated by commas"));
      return NULL;
    }

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      double d;

      if (*item == '\0')
        {
          g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                       _("Value %u is empty"), i + 1);
          return NULL;
        }

      if (is_number_field (field) && strchr (item, ':') != NULL)
        {
          if (!parse_range (field, item, values, error))
            return NULL;
        }
      else if (is_number_field (field))
        {
          char *value;

          if (!parse_double (item, &d))
            {
              g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                           _("“%s” is not a number"), item);
              return NULL;
            }
          value = number_value (field, item, d, error);
          if (value == NULL || !add_value (values, value, error))
            return NULL;
        }
      else if (!add_value (values, g_strdup (item), error))
        return NULL;
    }

  for (guint i = 0; i < values->len; i++)
    if (!check_value (field, g_ptr_array_index (values, i), error))
      return NULL;

  g_ptr_array_add (values, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
}

/**
 * cb_sweep_quote_value:
 *
 * Returns: (transfer full): @value as one element of a Hydra choice sweep. A number stays
 *   bare (Hydra types it as the field's number); text is quoted as free text would be (so
 *   "32" stays a string), an option only where Hydra needs it.
 */
char *
cb_sweep_quote_value (const CbField *field,
                      const char    *value)
{
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (is_number_field (field))
    {
      double d;

      if (parse_double (value, &d))
        return g_strdup (value);
      return cb_hydra_quote_value (value, CB_VALUE_KIND_FREE_TEXT);
    }
  return cb_hydra_quote_value (value, field->type == CB_FIELD_TEXT_INPUT
                                        ? CB_VALUE_KIND_FREE_TEXT
                                        : CB_VALUE_KIND_OPTION);
}

/**
 * cb_sweep_text_from_values:
 *
 * Returns: (transfer full): "a, b, c", a comma inside a value written "\,", a backslash
 *   "\\": the text cb_sweep_parse() reads back as @values (for values without blanks at
 *   either end, which a sweep text trims)
 */
char *
cb_sweep_text_from_values (const char * const *values)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (values != NULL, NULL);

  for (guint i = 0; values[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      for (const char *p = values[i]; *p != '\0'; p++)
        {
          if (*p == ',' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

CbSweepAxis *
cb_sweep_axis_new (const char         *key,
                   int                 field,
                   const char * const *quoted_values)
{
  CbSweepAxis *axis;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (quoted_values != NULL && quoted_values[0] != NULL, NULL);

  axis = g_new0 (CbSweepAxis, 1);
  axis->key = g_strdup (key);
  axis->field = field;
  axis->values = g_strdupv ((char **) quoted_values);
  return axis;
}

char *
cb_sweep_axis_to_override (const CbSweepAxis *axis)
{
  g_autofree char *joined = NULL;

  g_return_val_if_fail (axis != NULL, NULL);

  joined = g_strjoinv (",", axis->values);
  return g_strconcat (axis->key, "=", joined, NULL);
}

void
cb_sweep_axis_free (CbSweepAxis *axis)
{
  if (axis == NULL)
    return;
  g_free (axis->key);
  g_strfreev (axis->values);
  g_free (axis);
}

CbSweepPlan *
cb_sweep_plan_new (CbCommand *base)
{
  CbSweepPlan *plan;

  g_return_val_if_fail (base != NULL, NULL);

  plan = g_new0 (CbSweepPlan, 1);
  plan->base = cb_command_ref (base);
  plan->axes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sweep_axis_free);
  plan->n_runs = 1;
  return plan;
}

void
cb_sweep_plan_add_axis (CbSweepPlan *plan,
                        CbSweepAxis *axis)
{
  g_return_if_fail (plan != NULL);
  g_return_if_fail (axis != NULL);

  g_ptr_array_add (plan->axes, axis);
  /* Saturates rather than wraps: the caller checks against CB_SWEEP_MAX_RUNS. */
  plan->n_runs = (guint) MIN ((guint64) plan->n_runs * g_strv_length (axis->values),
                              (guint64) G_MAXUINT);
}

void
cb_sweep_plan_free (CbSweepPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->base, cb_command_unref);
  g_clear_pointer (&plan->axes, g_ptr_array_unref);
  g_free (plan);
}

/**
 * cb_sweep_plan_run_overrides:
 * @index: the run, 0 ≤ @index < n_runs, as Hydra's basic sweeper numbers its jobs
 *
 * Returns: (transfer full): "key=value" per axis, in the axes' order
 */
char **
cb_sweep_plan_run_overrides (const CbSweepPlan *plan,
                             guint              index)
{
  char **out;

  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (index < plan->n_runs, NULL);

  out = g_new0 (char *, plan->axes->len + 1);
  for (guint k = plan->axes->len; k-- > 0;)
    {
      const CbSweepAxis *axis = g_ptr_array_index (plan->axes, k);
      guint n = g_strv_length (axis->values);

      out[k] = g_strconcat (axis->key, "=", axis->values[index % n], NULL);
      index /= n;
    }
  return out;
}
