/* cb-form-diff.c: what differs, field by field, between a page and a baseline
 *
 * The baseline is the page's defaults, or another form of the same page (a run history
 * entry's command loaded with cb_form_new_baseline()). Against the defaults the list is the
 * rows the form marked as changed (CbFieldState.changed, decided in the form's recompute),
 * plus the extra overrides; against another form each visible field is compared with the
 * same field there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-form"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb/cb-form-diff.h"
#include "cb/cb-command-parse.h"
#include "cb-form-private.h"

void
cb_change_free (CbChange *change)
{
  if (change == NULL)
    return;
  g_free (change->key);
  g_free (change->label);
  g_free (change->old_text);
  g_free (change->new_text);
  g_free (change);
}

static CbChange *
change_new (CbChangeKind  kind,
            const char   *key,
            const char   *label,
            char         *old_text,
            char         *new_text,
            gboolean      extra)
{
  CbChange *change = g_new0 (CbChange, 1);

  change->kind = kind;
  change->key = g_strdup (key);
  change->label = g_strdup (label);
  change->old_text = old_text;
  change->new_text = new_text;
  change->extra = extra;
  return change;
}

/* What a field shows: its value, or the text typed that is not a value yet. */
static char *
field_text (CbForm             *form,
            const CbField      *field,
            const CbFieldState *state)
{
  GVariant *user;

  if (state->value != NULL)
    return cb_format_value (field, state->value);
  user = g_hash_table_lookup (form->user_values, field->key);
  if (state->visible && user != NULL && g_variant_is_of_type (user, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (user, NULL);
  return g_strdup ("");
}

/* @text as the field's list shows it: an option's label. Takes @text. */
static char *
shown (const CbFieldState *state,
       char               *text)
{
  for (guint i = 0; text != NULL && i < state->n_options; i++)
    if (g_str_equal (state->options[i], text) && state->option_labels[i] != NULL)
      {
        g_free (text);
        return g_strdup (state->option_labels[i]);
      }
  return text;
}

/* The key of an extra override: "trainer.x" of "+trainer.x=1"; "~trainer.x" stays apart
 * from "trainer.x", as Hydra treats them apart. */
static char *
extra_key (const char *override)
{
  const char *eq = strchr (override, '=');
  const char *start = override;

  while (*start == '+')
    start++;
  return eq != NULL && eq >= start ? g_strndup (start, (gsize) (eq - start)) : g_strdup (start);
}

static GHashTable *
extras_by_key (const char * const *extra)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; extra[i] != NULL; i++)
    g_hash_table_insert (table, extra_key (extra[i]), (gpointer) extra[i]);
  return table;
}

static void
diff_extras (GPtrArray          *changes,
             const char * const *now,
             const char * const *before)
{
  g_autoptr(GHashTable) old_by_key = extras_by_key (before);
  g_autoptr(GHashTable) new_by_key = extras_by_key (now);

  for (guint i = 0; now[i] != NULL; i++)
    {
      g_autofree char *key = extra_key (now[i]);
      const char *old = g_hash_table_lookup (old_by_key, key);

      if (old == NULL)
        g_ptr_array_add (changes, change_new (CB_CHANGE_ADDED, key, key, NULL,
                                              g_strdup (now[i]), TRUE));
      else if (!g_str_equal (old, now[i]))
        g_ptr_array_add (changes, change_new (CB_CHANGE_CHANGED, key, key, g_strdup (old),
                                              g_strdup (now[i]), TRUE));
    }
  for (guint i = 0; before[i] != NULL; i++)
    {
      g_autofree char *key = extra_key (before[i]);

      if (!g_hash_table_contains (new_by_key, key))
        g_ptr_array_add (changes, change_new (CB_CHANGE_REMOVED, key, key, g_strdup (before[i]),
                                              NULL, TRUE));
    }
}

static const char *
bool_text (gboolean value)
{
  return value ? _("On") : _("Off");
}

static void
diff_suffix (GPtrArray *changes,
             CbForm    *form,
             gboolean   before)
{
  if (!g_str_equal (form->page, "train") || form->append_suffix == before)
    return;
  g_ptr_array_add (changes, change_new (CB_CHANGE_CHANGED, "append-suffix",
                                        _("Append Architecture and Encoder to the Name"),
                                        g_strdup (bool_text (before)),
                                        g_strdup (bool_text (form->append_suffix)), FALSE));
}

/**
 * cb_form_diff_defaults:
 *
 * The rows @form marks as changed, from their default to their value, then the name
 * suffix when it is off, then every extra override as added. Costs one pass over the
 * fields' states: nothing is recomputed.
 *
 * Returns: (transfer full) (element-type CbChange): the changes, in schema order
 */
GPtrArray *
cb_form_diff_defaults (CbForm *form)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_change_free);
  static const char * const none[] = { NULL };

  g_return_val_if_fail (CB_IS_FORM (form), NULL);

  for (guint i = 0; i < form->n_fields; i++)
    {
      const CbFieldState *state = &form->computed[i].state;
      const CbField *field = cb_schema_get_field (form->schema, i);

      if (!state->changed)
        continue;
      g_ptr_array_add (changes,
                       change_new (CB_CHANGE_CHANGED, field->key, cb_schema_text (field->label),
                                   shown (state, cb_format_value (field, state->reset_value)),
                                   shown (state, field_text (form, field, state)), FALSE));
    }
  diff_suffix (changes, form, TRUE);
  diff_extras (changes, cb_form_get_extra_overrides (form), none);
  return changes;
}

/**
 * cb_form_diff:
 * @baseline: a form of the same page, with the same schema
 *
 * Compares every field @form shows with the same field in @baseline: a field only one of
 * them shows is added or removed. Then the name suffix and the extra overrides.
 *
 * Returns: (transfer full) (element-type CbChange): the changes, in schema order
 */
GPtrArray *
cb_form_diff (CbForm *form,
              CbForm *baseline)
{
  GPtrArray *changes;

  g_return_val_if_fail (CB_IS_FORM (form), NULL);
  g_return_val_if_fail (CB_IS_FORM (baseline), NULL);
  g_return_val_if_fail (g_str_equal (baseline->page, form->page), NULL);
  g_return_val_if_fail (baseline->n_fields == form->n_fields, NULL);

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_change_free);
  for (guint i = 0; i < form->n_fields; i++)
    {
      const CbField *field = cb_schema_get_field (form->schema, i);
      const CbFieldState *now = &form->computed[i].state;
      const CbFieldState *before = &baseline->computed[i].state;
      const char *label = cb_schema_text (field->label);
      g_autofree char *now_text = NULL;
      g_autofree char *before_text = NULL;

      if (field->type == CB_FIELD_INFO || (!now->visible && !before->visible))
        continue;
      now_text = now->visible ? field_text (form, field, now) : NULL;
      before_text = before->visible ? field_text (baseline, field, before) : NULL;
      /* Values are compared; labels are shown. */
      if (before_text == NULL)
        g_ptr_array_add (changes, change_new (CB_CHANGE_ADDED, field->key, label, NULL,
                                              shown (now, g_steal_pointer (&now_text)), FALSE));
      else if (now_text == NULL)
        g_ptr_array_add (changes, change_new (CB_CHANGE_REMOVED, field->key, label,
                                              shown (before, g_steal_pointer (&before_text)),
                                              NULL, FALSE));
      else if (!g_str_equal (now_text, before_text))
        g_ptr_array_add (changes, change_new (CB_CHANGE_CHANGED, field->key, label,
                                              shown (before, g_steal_pointer (&before_text)),
                                              shown (now, g_steal_pointer (&now_text)), FALSE));
    }
  diff_suffix (changes, form, baseline->append_suffix);
  diff_extras (changes, cb_form_get_extra_overrides (form),
               cb_form_get_extra_overrides (baseline));
  return changes;
}

/**
 * cb_form_new_baseline:
 * @like: the form to compare with the baseline later
 * @argv: a command of @like's page, as the run history keeps it
 *
 * A new form of @like's page, with its project, config snapshot and checkpoints, holding
 * @argv as a paste would load it.
 *
 * Returns: (transfer full): the form, or %NULL with @error set when @argv does not parse
 */
CbForm *
cb_form_new_baseline (CbForm              *like,
                      const char * const  *argv,
                      GError             **error)
{
  g_autoptr(CbForm) form = NULL;
  g_autoptr(CbParseResult) result = NULL;

  g_return_val_if_fail (CB_IS_FORM (like), NULL);
  g_return_val_if_fail (argv != NULL, NULL);

  result = cb_command_parse_argv (argv, like->page, like->project, error);
  if (result == NULL)
    return NULL;

  form = cb_form_new (like->schema, like->page);
  cb_form_freeze (form);
  if (like->project != NULL)
    cb_form_set_project (form, like->project);
  if (like->snapshot != NULL)
    cb_form_set_snapshot (form, like->snapshot);
  if (like->checkpoint_model != NULL)
    cb_form_set_checkpoint_model (form, like->checkpoint_model);
  else if (like->checkpoints != NULL)
    cb_form_set_checkpoints (form, (const char * const *) like->checkpoints);
  cb_form_thaw (form);

  if (!cb_parse_result_load (result, form, error))
    return NULL;
  return g_steal_pointer (&form);
}

/**
 * cb_form_count_changed:
 *
 * Returns: how many rows @form marks as changed
 */
guint
cb_form_count_changed (CbForm *form)
{
  guint n = 0;

  g_return_val_if_fail (CB_IS_FORM (form), 0);

  for (guint i = 0; i < form->n_fields; i++)
    n += form->computed[i].state.changed ? 1 : 0;
  return n;
}
