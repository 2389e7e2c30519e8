/* cb-form-sweep.c: one form, many runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A field may sweep over several values (cb-sweep.c reads the text the user typed). Its text
 * is parsed once, when it is set: the pass over the fields only looks the result up. While
 * any visible field sweeps, the form's command is a Hydra multirun:
 *
 *   launcher runners/train.py -m ... model.optimizer.lr=0.0001,0.0003,0.001 ...
 *
 * with each swept field's override in its usual place. A field that writes several
 * overrides (batch size: the train and val loaders) sweeps its first key and points the
 * others at it (`dataloaders.val_dataloader.batch_size=${dataloaders.train_dataloader.batch_size}`),
 * since Hydra's basic sweeper would run every combination of two axes.
 *
 * The Hydra composition check (cb-form-compose.c) composes the first run (every axis at its
 * first value), then, for a select's axis, each of its other values with the rest at their
 * first: an option changes the config tree, a number or a text of the same field does not.
 */

#define G_LOG_DOMAIN "cb-form"

#include "config.h"

#include "cb/cb-form.h"
#include "cb-form-private.h"
#include "cb/cb-quote.h"

#include <glib/gi18n.h>

#include <string.h>

static void
form_sweep_free (CbFormSweep *sweep)
{
  g_free (sweep->text);
  g_strfreev (sweep->values);
  g_free (sweep->error);
  g_free (sweep);
}

void
_cb_form_sweep_init (CbForm *self)
{
  self->sweeps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) form_sweep_free);
  self->sweep_axes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sweep_axis_free);
  self->sweep_at = g_array_new (FALSE, FALSE, sizeof (guint));
}

void
_cb_form_sweep_clear (CbForm *self)
{
  g_clear_pointer (&self->sweeps, g_hash_table_unref);
  g_clear_pointer (&self->sweep_plan, cb_sweep_plan_free);
  g_clear_pointer (&self->sweep_axes, g_ptr_array_unref);
  g_clear_pointer (&self->sweep_at, g_array_unref);
}

static CbFormSweep *
sweep_of (CbForm *self,
          guint   index)
{
  if (g_hash_table_size (self->sweeps) == 0)
    return NULL;
  return g_hash_table_lookup (self->sweeps, cb_schema_get_field (self->schema, index)->key);
}

static void
field_error (CbForm   *self,
             Computed *c,
             char     *message)
{
  if (c->error == NULL)
    c->error = g_strdup (message);
  c->state.error = c->error;
  g_ptr_array_add (self->errors, message);
}

/* Called at the end of the field's pass: a visible field that sweeps is judged on its
 * sweep, not on the single value it would otherwise have. */
void
_cb_form_sweep_check (CbForm   *self,
                      guint     index,
                      Computed *c,
                      guint     first_error)
{
  const CbField *field = cb_schema_get_field (self->schema, index);
  const char *label = cb_schema_text (field->label);
  CbFormSweep *sweep = sweep_of (self, index);

  if (sweep == NULL || !c->state.visible)
    return;

  g_ptr_array_set_size (self->errors, first_error);
  g_clear_pointer (&c->error, g_free);
  g_clear_pointer (&c->warning, g_free);

  if (sweep->error != NULL)
    {
      field_error (self, c, g_strdup_printf ("%s: %s", label, sweep->error));
      return;
    }

  /* A select's values must be options, once the options are known. */
  if (field->type == CB_FIELD_SELECTBOX && c->options->len > 0 &&
      g_strcmp0 (field->options_source, "checkpoints") != 0)
    for (guint i = 0; sweep->values[i] != NULL; i++)
      {
        gboolean found = FALSE;

        for (guint k = 0; k < c->options->len && !found; k++)
          found = g_strcmp0 (g_ptr_array_index (c->options, k), sweep->values[i]) == 0;
        if (!found)
          {
            field_error (self, c, g_strdup_printf (_("'%s' is not an option of '%s'."),
                                                   sweep->values[i], label));
            return;
          }
      }
}

gboolean
_cb_form_sweep_is_active (CbForm *self,
                          guint   index)
{
  CbFormSweep *sweep = sweep_of (self, index);

  return sweep != NULL && sweep->values != NULL && self->computed[index].state.visible;
}

/* Writes field @index's sweep into @overrides (and notes where, for the plan). */
void
_cb_form_sweep_add_overrides (CbForm    *self,
                              guint      index,
                              GPtrArray *overrides)
{
  const CbField *field = cb_schema_get_field (self->schema, index);
  CbFormSweep *sweep = sweep_of (self, index);
  g_autoptr(GPtrArray) quoted = g_ptr_array_new_with_free_func (g_free);
  const char *first_key = field->hydra_override[0];
  CbSweepAxis *axis;
  guint at = overrides->len;
  int field_index = (int) index;

  g_assert (sweep != NULL && sweep->values != NULL);

  /* The first axis of a new command. */
  if (self->sweep_axes->len == 0)
    g_array_set_size (self->sweep_at, 0);

  for (guint i = 0; sweep->values[i] != NULL; i++)
    {
      g_autofree char *suffixed = g_str_equal (field->key, "exp_name")
                                    ? _cb_form_suffixed_exp_name (self, sweep->values[i])
                                    : NULL;

      g_ptr_array_add (quoted, cb_sweep_quote_value (field, suffixed ? suffixed
                                                                     : sweep->values[i]));
    }
  g_ptr_array_add (quoted, NULL);

  axis = cb_sweep_axis_new (first_key, field_index, (const char * const *) quoted->pdata);
  g_ptr_array_add (overrides, cb_sweep_axis_to_override (axis));
  g_array_append_val (self->override_fields, field_index);
  g_ptr_array_add (self->sweep_axes, axis);
  g_array_append_val (self->sweep_at, at);

  /* The field's other keys follow its first: one axis, not a product. */
  for (guint k = 1; field->hydra_override[k] != NULL; k++)
    {
      g_ptr_array_add (overrides, g_strdup_printf ("%s=${%s}", field->hydra_override[k],
                                                   first_key + strspn (first_key, "+~")));
      g_array_append_val (self->override_fields, field_index);
    }
}

static gboolean
is_sweep_position (CbForm *self,
                   guint   position)
{
  for (guint i = 0; i < self->sweep_at->len; i++)
    if (g_array_index (self->sweep_at, guint, i) == position)
      return TRUE;
  return FALSE;
}

/* After the command is built: with sweeps, it becomes the multirun command and the plan
 * holds its runs. */
void
_cb_form_sweep_finish (CbForm *self)
{
  static const char * const multirun[] = { "-m", NULL };
  const char * const *argv;
  const char * const *overrides;
  g_autoptr(GPtrArray) launcher = NULL;
  g_autoptr(GPtrArray) base = NULL;
  g_autoptr(CbCommand) base_command = NULL;
  guint n_argv, n_overrides;
  const char *script;

  g_clear_pointer (&self->sweep_plan, cb_sweep_plan_free);
  if (self->sweep_axes->len == 0)
    return;

  argv = cb_command_get_argv (self->command);
  overrides = cb_command_get_overrides (self->command);
  n_argv = g_strv_length ((char **) argv);
  n_overrides = g_strv_length ((char **) overrides);
  script = argv[n_argv - n_overrides - 1];

  launcher = g_ptr_array_new ();
  for (guint i = 0; i + 1 < n_argv - n_overrides; i++)
    g_ptr_array_add (launcher, (gpointer) argv[i]);
  g_ptr_array_add (launcher, NULL);

  base = g_ptr_array_new ();
  for (guint i = 0; i < n_overrides; i++)
    if (!is_sweep_position (self, i))
      g_ptr_array_add (base, (gpointer) overrides[i]);
  g_ptr_array_add (base, NULL);

  base_command = cb_command_new ((const char * const *) launcher->pdata, script,
                                 (const char * const *) base->pdata);
  self->sweep_plan = cb_sweep_plan_new (base_command);
  while (self->sweep_axes->len > 0)
    cb_sweep_plan_add_axis (self->sweep_plan, g_ptr_array_steal_index (self->sweep_axes, 0));

  {
    CbCommand *command = cb_command_new_full ((const char * const *) launcher->pdata, script,
                                              multirun, overrides);

    cb_command_unref (self->command);
    self->command = command;
  }

  if (self->sweep_plan->n_runs > CB_SWEEP_MAX_RUNS)
    {
      const CbSweepAxis *last = g_ptr_array_index (self->sweep_plan->axes,
                                                   self->sweep_plan->axes->len - 1);

      field_error (self, &self->computed[last->field],
                   g_strdup_printf (_("The sweep makes %u runs; at most %d are allowed."),
                                    self->sweep_plan->n_runs, CB_SWEEP_MAX_RUNS));
    }
}

/* The override lists the composition check composes (see the top of this file), each as
 * long as the command's overrides; %NULL without sweeps. */
GPtrArray *
_cb_form_sweep_compose_variants (CbForm *self)
{
  const char * const *overrides;
  GPtrArray *variants;
  guint n;

  if (self->sweep_plan == NULL)
    return NULL;

  overrides = cb_command_get_overrides (self->command);
  n = g_strv_length ((char **) overrides);
  variants = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (variants, g_strdupv ((char **) overrides));
  for (guint a = 0; a < self->sweep_plan->axes->len; a++)
    {
      const CbSweepAxis *axis = g_ptr_array_index (self->sweep_plan->axes, a);
      guint at = g_array_index (self->sweep_at, guint, a);
      char **first = g_ptr_array_index (variants, 0);

      g_assert (at < n);
      g_free (first[at]);
      first[at] = g_strconcat (axis->key, "=", axis->values[0], NULL);
    }

  for (guint a = 0; a < self->sweep_plan->axes->len; a++)
    {
      const CbSweepAxis *axis = g_ptr_array_index (self->sweep_plan->axes, a);
      guint at = g_array_index (self->sweep_at, guint, a);

      if (cb_schema_get_field (self->schema, axis->field)->type != CB_FIELD_SELECTBOX)
        continue;
      for (guint v = 1; axis->values[v] != NULL; v++)
        {
          char **variant = g_strdupv (g_ptr_array_index (variants, 0));

          g_free (variant[at]);
          variant[at] = g_strconcat (axis->key, "=", axis->values[v], NULL);
          g_ptr_array_add (variants, variant);
        }
    }

  return variants;
}

/**
 * cb_form_set_sweep:
 * @key: a field's key
 * @text: (nullable): the values to sweep over ("1e-4, 3e-4" or "0.001:0.01:0.003", see
 *   cb_sweep_parse()); %NULL or "" stops the sweep
 *
 * Sets what field @key sweeps over. Text that does not parse is kept (nothing typed is
 * lost) and is that field's error until it is fixed.
 *
 * Returns: %TRUE when the text gives values; %FALSE with @error set otherwise
 */
gboolean
cb_form_set_sweep (CbForm      *self,
                   const char  *key,
                   const char  *text,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const CbField *field;
  CbFormSweep *sweep;
  int index;

  g_return_val_if_fail (CB_IS_FORM (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  index = cb_schema_find_field (self->schema, key);
  if (index < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "'%s' is not a field of the %s page", key, self->page);
      return FALSE;
    }
  field = cb_schema_get_field (self->schema, index);

  if (text == NULL || *text == '\0')
    {
      if (g_hash_table_remove (self->sweeps, key))
        _cb_form_recompute (self);
      return TRUE;
    }
  if (!cb_sweep_field_can_sweep (field) || field->hydra_override == NULL)
    {
      g_set_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID,
                   _("'%s' cannot sweep over values"), cb_schema_text (field->label));
      return FALSE;
    }

  sweep = g_hash_table_lookup (self->sweeps, key);
  if (sweep != NULL && g_str_equal (sweep->text, text))
    {
      if (sweep->error != NULL)
        g_set_error_literal (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID, sweep->error);
      return sweep->error == NULL;
    }

  sweep = g_new0 (CbFormSweep, 1);
  sweep->text = g_strdup (text);
  sweep->values = cb_sweep_parse (field, text, &local_error);
  if (sweep->values == NULL)
    sweep->error = g_strdup (local_error->message);
  g_hash_table_replace (self->sweeps, g_strdup (field->key), sweep);
  _cb_form_recompute (self);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * cb_form_get_sweep:
 *
 * Returns: (nullable): the sweep text of field @key as it was set, or %NULL when it does
 *   not sweep
 */
const char *
cb_form_get_sweep (CbForm     *self,
                   const char *key)
{
  CbFormSweep *sweep;

  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  sweep = g_hash_table_lookup (self->sweeps, key);
  return sweep != NULL ? sweep->text : NULL;
}

/**
 * cb_form_get_sweep_error:
 *
 * Returns: (nullable): why the sweep text of @key gives no values, or %NULL
 */
const char *
cb_form_get_sweep_error (CbForm     *self,
                         const char *key)
{
  CbFormSweep *sweep;

  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  sweep = g_hash_table_lookup (self->sweeps, key);
  return sweep != NULL ? sweep->error : NULL;
}

/**
 * cb_form_get_sweep_values:
 *
 * Returns: (transfer full) (nullable): the values field @key sweeps over, before Hydra
 *   quoting; %NULL when it does not sweep or its text is invalid
 */
char **
cb_form_get_sweep_values (CbForm     *self,
                          const char *key)
{
  CbFormSweep *sweep;

  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  sweep = g_hash_table_lookup (self->sweeps, key);
  return sweep != NULL && sweep->values != NULL ? g_strdupv (sweep->values) : NULL;
}

/**
 * cb_form_get_n_runs:
 *
 * Returns: how many runs the command makes: 1 without sweeps
 */
guint
cb_form_get_n_runs (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), 0);
  return self->sweep_plan != NULL ? self->sweep_plan->n_runs : 1;
}

/**
 * cb_form_get_sweep_plan:
 *
 * Returns: (transfer full) (nullable): the runs of the form's multirun command (a copy:
 *   it outlives the next change), or %NULL when no field sweeps
 */
CbSweepPlan *
cb_form_get_sweep_plan (CbForm *self)
{
  CbSweepPlan *plan;

  g_return_val_if_fail (CB_IS_FORM (self), NULL);

  if (self->sweep_plan == NULL)
    return NULL;
  plan = cb_sweep_plan_new (self->sweep_plan->base);
  for (guint i = 0; i < self->sweep_plan->axes->len; i++)
    {
      const CbSweepAxis *axis = g_ptr_array_index (self->sweep_plan->axes, i);

      cb_sweep_plan_add_axis (plan, cb_sweep_axis_new (axis->key, axis->field,
                                                       (const char * const *) axis->values));
    }
  return plan;
}

/**
 * cb_form_describe_sweep:
 *
 * Returns: (transfer full) (nullable): "6 runs (Learning Rate × 3, Batch Size × 2)", or
 *   %NULL when no field sweeps
 */
char *
cb_form_describe_sweep (CbForm *self)
{
  GString *text;

  g_return_val_if_fail (CB_IS_FORM (self), NULL);

  if (self->sweep_plan == NULL)
    return NULL;

  text = g_string_new (NULL);
  g_string_append_printf (text, ngettext ("%u run", "%u runs", self->sweep_plan->n_runs),
                          self->sweep_plan->n_runs);
  g_string_append (text, " (");
  for (guint i = 0; i < self->sweep_plan->axes->len; i++)
    {
      const CbSweepAxis *axis = g_ptr_array_index (self->sweep_plan->axes, i);
      const CbField *field = cb_schema_get_field (self->schema, axis->field);

      if (i > 0)
        g_string_append (text, ", ");
      /* TRANSLATORS: a field swept over N values, e.g. "Learning Rate × 3" */
      g_string_append_printf (text, _("%s × %u"), cb_schema_text (field->label),
                              g_strv_length (axis->values));
    }
  g_string_append_c (text, ')');
  return g_string_free (text, FALSE);
}
