/* cb-form-checkpoint.c: the chosen checkpoint and the run it came from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Choosing a checkpoint fills in the components its run was trained with (once per
 * checkpoint, so the user can still change them afterwards). A component that differs
 * later is a mismatch: loading the checkpoint into another model can only fail, so the
 * form lists each one and can put the checkpoint's settings back in one call.
 */

#define G_LOG_DOMAIN "cb-form"

#include "config.h"

#include "cb/cb-form.h"
#include "cb-form-private.h"
#include "cb/cb-checkpoint.h"

#include <glib/gi18n.h>

/* The index of the field that picks a checkpoint whose run is known, or -1. */
int
_cb_form_checkpoint_field (CbForm *self)
{
  for (guint i = 0; i < self->n_fields; i++)
    {
      const CbField *field = cb_schema_get_field (self->schema, i);

      if (g_strcmp0 (field->options_source, "checkpoints") == 0)
        return (int) i;
    }
  return -1;
}

/* What the run of the checkpoint chosen before field @upto was trained with. */
const CbRunInfo *
_cb_form_current_run_info (CbForm *self,
                  guint   upto)
{
  int index = _cb_form_checkpoint_field (self);
  GVariant *value;
  CbCheckpoint *checkpoint;

  if (index < 0 || (guint) index >= upto || self->checkpoint_runs == NULL)
    return NULL;
  value = self->computed[index].state.value;
  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return NULL;
  checkpoint = g_hash_table_lookup (self->checkpoint_runs, g_variant_get_string (value, NULL));
  return checkpoint ? cb_checkpoint_get_run_info (checkpoint) : NULL;
}

gboolean
_cb_form_fill_from_checkpoint (CbForm *self)
{
  static const char * const components[] = {
    "architecture", "encoder", "decoder", "head", "loss", "preprocessing_profile", NULL
  };
  int index = _cb_form_checkpoint_field (self);
  g_autoptr(GString) note = NULL;
  const CbRunInfo *run;
  GVariant *value;
  const char *path;
  gboolean changed = FALSE;

  if (index < 0 || self->checkpoint_runs == NULL)
    return FALSE;
  value = self->computed[index].state.value;
  if (value == NULL || !self->computed[index].state.visible)
    return FALSE;
  path = g_variant_get_string (value, NULL);
  if (g_strcmp0 (path, self->filled_for) == 0)
    return FALSE;

  g_free (self->filled_for);
  self->filled_for = g_strdup (path);
  g_clear_pointer (&self->checkpoint_note, g_free);

  run = _cb_form_current_run_info (self, self->n_fields);
  if (run == NULL)
    return FALSE;

  note = g_string_new (NULL);
  for (guint i = 0; components[i] != NULL; i++)
    {
      const char *trained = cb_run_info_get (run, components[i]);
      int field_index = cb_schema_find_field (self->schema, components[i]);

      /* Only fields that come after the checkpoint field, as visible_if does. */
      if (trained == NULL || field_index <= index || !self->computed[field_index].state.visible)
        continue;
      _cb_form_store_user_value (self, field_index,
                                 g_variant_ref_sink (g_variant_new_string (trained)));
      g_string_append_printf (note, "%s%s %s", note->len ? ", " : "",
                              cb_schema_get_field (self->schema, field_index)->label, trained);
      changed = TRUE;
    }

  if (changed)
    self->checkpoint_note = g_strdup_printf (_("Filled in from the run “%s”: %s"),
                                             run->exp_name ? run->exp_name : path, note->str);
  return changed;
}

void
cb_form_set_checkpoints (CbForm             *self,
                         const char * const *paths)
{
  g_return_if_fail (CB_IS_FORM (self));

  if (self->checkpoints != NULL && paths != NULL &&
      g_strv_equal ((const char * const *) self->checkpoints, paths))
    return;
  g_clear_pointer (&self->checkpoints, g_strfreev);
  self->checkpoints = g_strdupv ((char **) paths);
  _cb_form_recompute (self);
}

static void
checkpoint_items_changed_cb (GListModel *model,
                             guint       position,
                             guint       removed,
                             guint       added,
                             CbForm     *self)
{
  guint n = g_list_model_get_n_items (model);
  g_auto(GStrv) paths = g_new0 (char *, n + 1);

  g_clear_pointer (&self->checkpoint_runs, g_hash_table_unref);
  self->checkpoint_runs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      CbCheckpoint *item = g_list_model_get_item (model, i);

      paths[i] = g_strdup (cb_checkpoint_get_path (item));
      g_hash_table_insert (self->checkpoint_runs, (gpointer) cb_checkpoint_get_path (item), item);
    }

  /* Recomputes (cb_form_set_checkpoints does nothing if the list did not change). */
  if (self->checkpoints != NULL && g_strv_equal ((const char * const *) self->checkpoints,
                                                 (const char * const *) paths))
    _cb_form_recompute (self);
  else
    cb_form_set_checkpoints (self, (const char * const *) paths);
}

/**
 * cb_form_set_checkpoint_model:
 * @model: a #GListModel of #CbCheckpoint, usually the scanner's shared one
 *
 * The checkpoint options follow the model; choosing a checkpoint fills in the components
 * its run was trained with, and a later difference is flagged on the field.
 */
void
cb_form_set_checkpoint_model (CbForm     *self,
                              GListModel *model)
{
  g_return_if_fail (CB_IS_FORM (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->checkpoint_model != NULL)
    g_signal_handlers_disconnect_by_func (self->checkpoint_model, checkpoint_items_changed_cb, self);
  g_set_object (&self->checkpoint_model, model);
  if (model == NULL)
    {
      g_clear_pointer (&self->checkpoint_runs, g_hash_table_unref);
      return;
    }

  g_signal_connect_object (model, "items-changed", G_CALLBACK (checkpoint_items_changed_cb),
                           self, 0);
  checkpoint_items_changed_cb (model, 0, 0, 0, self);
}

const char *
cb_form_get_checkpoint_note (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  return self->checkpoint_note;
}


/**
 * cb_form_get_mismatches:
 *
 * Returns: (transfer full): one sentence for each visible field whose value differs from
 *   what the chosen checkpoint's run was trained with, empty when there is none.
 */
char **
cb_form_get_mismatches (CbForm *self)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  const CbRunInfo *run;

  g_return_val_if_fail (CB_IS_FORM (self), NULL);

  run = _cb_form_current_run_info (self, self->n_fields);
  for (guint i = 0; run != NULL && i < self->n_fields; i++)
    {
      const CbField *field = cb_schema_get_field (self->schema, i);
      const CbFieldState *state = &self->computed[i].state;

      if (state->mismatch == NULL || state->value == NULL)
        continue;
      g_ptr_array_add (out, g_strdup_printf (_("%s is “%s”, but the checkpoint was trained "
                                               "with “%s”."),
                                             cb_schema_text (field->label),
                                             g_variant_get_string (state->value, NULL),
                                             cb_run_info_get (run, field->key)));
    }

  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/**
 * cb_form_use_checkpoint_settings:
 *
 * Sets every field that differs from the chosen checkpoint's run to what the run was
 * trained with, in one recompute.
 *
 * Returns: %TRUE if a value changed
 */
gboolean
cb_form_use_checkpoint_settings (CbForm *self)
{
  const CbRunInfo *run;
  gboolean changed = FALSE;

  g_return_val_if_fail (CB_IS_FORM (self), FALSE);

  run = _cb_form_current_run_info (self, self->n_fields);
  if (run == NULL)
    return FALSE;

  for (guint i = 0; i < self->n_fields; i++)
    {
      const CbField *field = cb_schema_get_field (self->schema, i);

      if (self->computed[i].state.mismatch == NULL)
        continue;
      _cb_form_store_user_value (self, i,
                                 g_variant_ref_sink (g_variant_new_string (cb_run_info_get (run,
                                                                                            field->key))));
      changed = TRUE;
    }

  if (changed)
    _cb_form_recompute (self);
  return changed;
}
