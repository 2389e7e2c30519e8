/* cb-form-compose.c: the form's command composed as Hydra would compose it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After every change the form's command is composed against the config snapshot's tree
 * (preloaded in the config cache's worker, so this never touches the disk: about 70 µs for
 * the demo's train command). What Hydra would refuse is said on the field whose override is
 * at fault and for the page; it does not make the form invalid: the user may know better
 * (a structured config from Python the app cannot see), so running asks first.
 */

#define G_LOG_DOMAIN "cb-form"

#include "config.h"

#include "cb/cb-form.h"
#include "cb-form-private.h"

#include <glib/gi18n.h>

void
_cb_form_compose (CbForm *self)
{
  CbComposer *composer = cb_config_snapshot_get_composer (self->snapshot);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) variants = NULL;
  const char *primary;
  int culprit = -1;

  g_clear_pointer (&self->composition, cb_composition_free);
  g_clear_pointer (&self->hydra_error, g_free);
  if (composer == NULL || self->command == NULL)
    return;

  primary = self->project != NULL ? cb_project_get_config_name (self->project, self->page)
                                  : self->page;
  /* A multirun: its first run, and each other option a select sweeps over
   * (cb-form-sweep.c). The composition shown is the first run's. */
  variants = _cb_form_sweep_compose_variants (self);
  if (variants == NULL)
    self->composition = cb_composer_compose_full (composer, primary,
                                                  cb_command_get_overrides (self->command),
                                                  &culprit, &error);
  for (guint i = 0; variants != NULL && i < variants->len && error == NULL; i++)
    {
      CbComposition *composition =
        cb_composer_compose_full (composer, primary,
                                  (const char * const *) g_ptr_array_index (variants, i),
                                  &culprit, &error);

      if (i == 0)
        self->composition = composition;
      else
        g_clear_pointer (&composition, cb_composition_free);
    }
  if (error == NULL)
    return;
  g_clear_pointer (&self->composition, cb_composition_free);

  self->hydra_error = g_strdup (error->message);
  if (culprit >= 0 && (guint) culprit < self->override_fields->len)
    {
      int field = g_array_index (self->override_fields, int, culprit);

      if (field >= 0 && (guint) field < self->n_fields)
        {
          Computed *c = &self->computed[field];

          g_free (c->hydra);
          c->hydra = g_strdup (error->message);
          c->state.hydra = c->hydra;
        }
    }
}

/**
 * cb_form_get_hydra_error:
 *
 * Returns: (nullable): why Hydra would refuse the form's command (the first reason, as
 *   Hydra stops at the first), or %NULL when it would accept it or there are no configs
 */
const char *
cb_form_get_hydra_error (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  return self->hydra_error;
}

/**
 * cb_form_get_hydra_warnings:
 *
 * Returns: (transfer none) (nullable): char *: what Hydra would accept but not as the
 *   command means it (a choice overwritten later in the defaults list), or %NULL
 */
GPtrArray *
cb_form_get_hydra_warnings (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  return self->composition != NULL && self->composition->warnings->len > 0
           ? self->composition->warnings : NULL;
}

/**
 * cb_form_get_composition:
 *
 * Returns: (transfer none) (nullable): the job config the command gives, with the file and
 *   line of every value; %NULL when Hydra would refuse the command or there are no configs
 */
CbComposition *
cb_form_get_composition (CbForm *self)
{
  g_return_val_if_fail (CB_IS_FORM (self), NULL);
  return self->composition;
}
