/* cb-form-command.c: the command the form's values make
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One pass over the computed fields, in schema order: the schema's constant overrides, one
 * override per hydra_override key of each visible field with a value (the experiment name
 * with its suffix, a preprocessing profile's overrides instead of data=...), then the extra
 * overrides as the user wrote them. A field that sweeps writes its values instead
 * (cb-form-sweep.c), and the command becomes a Hydra multirun.
 */

#define G_LOG_DOMAIN "cb-form"

#include "config.h"

#include "cb/cb-form.h"
#include "cb-form-private.h"
#include "cb/cb-quote.h"

static CbValueKind
kind_of (const CbField *field)
{
  return field->type == CB_FIELD_TEXT_INPUT ? CB_VALUE_KIND_FREE_TEXT : CB_VALUE_KIND_OPTION;
}

char *
_cb_form_suffixed_exp_name (CbForm     *self,
                   const char *base)
{
  GVariant *resume = _cb_form_value_of (self, "resume_training");
  const char *parts[] = { "architecture", "decoder", "encoder" };
  GString *name;

  if (!g_str_equal (self->page, "train") || !self->append_suffix ||
      _cb_variant_is_missing (_cb_form_value_of (self, "encoder")) || _cb_variant_truthy (resume))
    return NULL;

  name = g_string_new (base);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      GVariant *value = _cb_form_value_of (self, parts[i]);

      if (!_cb_variant_is_missing (value) && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        g_string_append_printf (name, "-%s", g_variant_get_string (value, NULL));
    }

  return g_string_free (name, FALSE);
}

void
_cb_form_build_command (CbForm *self)
{
  g_autoptr(GPtrArray) overrides = g_ptr_array_new_with_free_func (g_free);
  const char * const *constants = cb_schema_get_constant_overrides (self->schema);
  const CbProfile *profile = NULL;
  GVariant *profile_value = _cb_form_value_of (self, "preprocessing_profile");
  g_autofree char *script = NULL;
  gboolean have_exp_name = FALSE;
  static const char * const default_launcher[] = { "uv", "run", "python", NULL };
  int none = -1;

  if (!_cb_variant_is_missing (profile_value) &&
      g_variant_is_of_type (profile_value, G_VARIANT_TYPE_STRING) &&
      !g_str_equal (g_variant_get_string (profile_value, NULL), "none"))
    profile = cb_config_snapshot_get_profile (self->snapshot,
                                              g_variant_get_string (profile_value, NULL));

  g_array_set_size (self->override_fields, 0);
  for (guint i = 0; constants != NULL && constants[i] != NULL; i++)
    {
      g_ptr_array_add (overrides, g_strdup (constants[i]));
      g_array_append_val (self->override_fields, none);
    }

  for (guint i = 0; i < self->n_fields; i++)
    {
      const CbField *field = cb_schema_get_field (self->schema, i);
      GVariant *value = self->computed[i].state.value;
      g_autofree char *text = NULL;
      gboolean sweeps = _cb_form_sweep_is_active (self, i);

      if (field->hydra_override == NULL || field->type == CB_FIELD_INFO ||
          (_cb_variant_is_missing (value) && !sweeps))
        continue;

      /* A preprocessing profile replaces data=... with its own overrides. */
      if (profile != NULL && g_str_equal (field->key, "dataset"))
        continue;

      if (sweeps)
        {
          have_exp_name = have_exp_name || g_str_equal (field->key, "exp_name");
          _cb_form_sweep_add_overrides (self, i, overrides);
          continue;
        }

      text = _cb_variant_to_text (value);
      if (g_str_equal (field->key, "exp_name"))
        {
          g_autofree char *suffixed = _cb_form_suffixed_exp_name (self, text);

          have_exp_name = TRUE;
          if (suffixed != NULL)
            {
              g_free (text);
              text = g_steal_pointer (&suffixed);
            }
        }

      for (guint k = 0; field->hydra_override[k] != NULL; k++)
        {
          int index = (int) i;

          g_array_append_val (self->override_fields, index);
          if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
            g_ptr_array_add (overrides, cb_hydra_override (field->hydra_override[k], text,
                                                           kind_of (field)));
          else
            g_ptr_array_add (overrides, g_strdup_printf ("%s=%s", field->hydra_override[k], text));
        }
    }

  if (!have_exp_name)
    {
      g_autofree char *suffixed = _cb_form_suffixed_exp_name (self, "ocr_training");

      if (suffixed != NULL)
        {
          g_ptr_array_add (overrides, cb_hydra_override ("exp_name", suffixed,
                                                         CB_VALUE_KIND_FREE_TEXT));
          g_array_append_val (self->override_fields, none);
        }
    }

  for (guint i = 0; profile != NULL && profile->overrides[i] != NULL; i++)
    {
      int index = cb_schema_find_field (self->schema, "preprocessing_profile");

      g_ptr_array_add (overrides, g_strdup (profile->overrides[i]));
      g_array_append_val (self->override_fields, index);
    }

  /* Overrides no field covers, as the user wrote them, last. */
  for (guint i = 0; self->extra != NULL && self->extra[i] != NULL; i++)
    {
      g_ptr_array_add (overrides, g_strdup (self->extra[i]));
      g_array_append_val (self->override_fields, none);
    }

  g_ptr_array_add (overrides, NULL);

  script = g_strdup_printf ("%s/%s.py", self->project ? self->project->runners_dir : "runners",
                            self->page);
  g_clear_pointer (&self->command, cb_command_unref);
  self->command = cb_command_new (self->project ? (const char * const *) self->project->launcher
                                                : default_launcher,
                                  script, (const char * const *) overrides->pdata);
  /* With sweeps: the multirun command, and the plan of its runs. */
  _cb_form_sweep_finish (self);
}
