/* cb-form-state.c: what the user chose, saved and restored
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-form"

#include "config.h"

#include "cb/cb-form.h"
#include "cb-form-private.h"

#include <string.h>

#define SUFFIX_KEY "append-suffix"
#define FILLED_KEY "filled-from-checkpoint"
#define EXTRA_KEY "extra-overrides"
#define SWEEP_PREFIX "sweep."

void
cb_form_save_state (CbForm   *self,
                    GKeyFile *key_file)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (CB_IS_FORM (self));
  g_return_if_fail (key_file != NULL);

  g_key_file_remove_group (key_file, self->page, NULL);
  g_key_file_set_boolean (key_file, self->page, SUFFIX_KEY, self->append_suffix);
  if (self->filled_for != NULL)
    g_key_file_set_string (key_file, self->page, FILLED_KEY, self->filled_for);
  if (self->extra != NULL)
    g_key_file_set_string_list (key_file, self->page, EXTRA_KEY,
                                (const char * const *) self->extra,
                                g_strv_length (self->extra));

  g_hash_table_iter_init (&iter, self->user_values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *text = g_variant_print (value, TRUE);
      g_autofree char *name = g_strdup_printf ("value.%s", (const char *) key);

      g_key_file_set_string (key_file, self->page, name, text);
    }

  /* Sweeps, as typed (an invalid one too: nothing typed is lost). */
  g_hash_table_iter_init (&iter, self->sweeps);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *name = g_strconcat (SWEEP_PREFIX, (const char *) key, NULL);

      g_key_file_set_string (key_file, self->page, name, ((CbFormSweep *) value)->text);
    }
}

void
cb_form_load_state (CbForm   *self,
                    GKeyFile *key_file)
{
  g_auto(GStrv) keys = NULL;

  g_return_if_fail (CB_IS_FORM (self));
  g_return_if_fail (key_file != NULL);

  keys = g_key_file_get_keys (key_file, self->page, NULL, NULL);
  if (keys == NULL)
    return;

  cb_form_freeze (self);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GVariant) value = NULL;

      if (g_str_equal (keys[i], SUFFIX_KEY))
        {
          cb_form_set_append_suffix (self, g_key_file_get_boolean (key_file, self->page,
                                                                   SUFFIX_KEY, NULL));
          continue;
        }
      if (g_str_equal (keys[i], EXTRA_KEY))
        {
          g_auto(GStrv) extra = g_key_file_get_string_list (key_file, self->page, EXTRA_KEY,
                                                            NULL, NULL);

          cb_form_set_extra_overrides (self, (const char * const *) extra);
          continue;
        }
      if (g_str_equal (keys[i], FILLED_KEY))
        {
          g_free (self->filled_for);
          self->filled_for = g_key_file_get_string (key_file, self->page, FILLED_KEY, NULL);
          continue;
        }
      if (g_str_has_prefix (keys[i], SWEEP_PREFIX))
        {
          text = g_key_file_get_string (key_file, self->page, keys[i], NULL);
          if (text != NULL)
            cb_form_set_sweep (self, keys[i] + strlen (SWEEP_PREFIX), text, NULL);
          continue;
        }
      if (!g_str_has_prefix (keys[i], "value."))
        continue;

      text = g_key_file_get_string (key_file, self->page, keys[i], NULL);
      value = text ? g_variant_parse (NULL, text, NULL, NULL, NULL) : NULL;
      if (value != NULL)
        cb_form_set_value (self, keys[i] + strlen ("value."), value);
    }
  cb_form_thaw (self);
}
