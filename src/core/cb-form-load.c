/* cb-form-load.c: a command read back into the form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-form"

#include "config.h"

#include "cb/cb-form.h"
#include "cb/cb-quote.h"
#include "cb-form-private.h"
#include "cb/cb-override.h"

#include <string.h>

/* The text Hydra gives for an override value, as cb_hydra_quote_value wrote it. */
static char *
hydra_unquote (const char *value,
               gboolean    free_text)
{
  gsize len = strlen (value);
  GString *out;

  if (len < 2 || (value[0] != '"' && value[0] != '\'') || value[len - 1] != value[0])
    return g_strdup (value);

  out = g_string_new (NULL);
  for (gsize i = 1; i < len - 1; i++)
    {
      if (value[i] == '\\')
        {
          gsize run = 0;

          while (i + run < len - 1 && value[i + run] == '\\')
            run++;
          /* A run before the closing quote or an escaped quote was doubled. */
          if (i + run == len - 1)
            {
              for (gsize k = 0; k < run / 2; k++)
                g_string_append_c (out, '\\');
              i += run - 1;
              continue;
            }
          if (value[i + run] == value[0])
            {
              for (gsize k = 0; k < run / 2; k++)
                g_string_append_c (out, '\\');
              g_string_append_c (out, value[0]);
              i += run;
              continue;
            }
          /* OmegaConf: an odd run before ${ escapes it. */
          if (free_text && value[i + run] == '$' && value[i + run + 1] == '{')
            {
              for (gsize k = 0; k < run / 2; k++)
                g_string_append_c (out, '\\');
              if (run % 2 == 0)
                g_string_append_c (out, '\\');
              i += run - 1;
              continue;
            }
          for (gsize k = 0; k < run; k++)
            g_string_append_c (out, '\\');
          i += run - 1;
          continue;
        }
      g_string_append_c (out, value[i]);
    }

  return g_string_free (out, FALSE);
}

/* Under --multirun, `key=a,b,c` of a field that can sweep: the field sweeps over them.
 * %FALSE when @item is no such sweep (or the field refuses it). */
static gboolean
load_sweep (CbForm        *self,
            const CbField *field,
            const char    *item)
{
  g_autoptr(GPtrArray) choices = NULL;
  g_autoptr(CbOverride) override = cb_override_parse_sweep (item, &choices, NULL);
  g_autoptr(GPtrArray) values = NULL;
  g_autofree char *text = NULL;

  if (override == NULL || choices->len < 2 || !cb_sweep_field_can_sweep (field))
    return FALSE;

  values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < choices->len; i++)
    {
      const CbCfg *choice = g_ptr_array_index (choices, i);

      if (choice->kind != CB_CFG_SCALAR)
        return FALSE;
      g_ptr_array_add (values, field->type == CB_FIELD_TEXT_INPUT
                                 ? cb_omegaconf_text (choice->text) : g_strdup (choice->text));
    }
  g_ptr_array_add (values, NULL);
  text = cb_sweep_text_from_values ((const char * const *) values->pdata);
  return cb_form_set_sweep (self, field->key, text, NULL);
}

/* `other=${first}`: a field's second key following its first, as a sweep writes it. */
static gboolean
is_sweep_link (const CbField *field,
               const char    *key,
               const char    *value)
{
  const char *first = field->hydra_override[0];
  g_autofree char *link = g_strdup_printf ("${%s}", first + strspn (first, "+~"));

  return !g_str_equal (key, first) && g_str_equal (value, link);
}

/* Sets the fields the overrides name: in pass 0 the checkpoint, in pass 1 the rest. What no
 * field takes is added to @left (in pass 1; %NULL: not collected). */
static void
load_pass (CbForm     *self,
           GPtrArray  *overrides,
           guint       pass,
           gboolean    multirun,
           GHashTable *used,
           GHashTable *loaded,
           GPtrArray  *left)
{
  const char * const *constants = cb_schema_get_constant_overrides (self->schema);

  /* The checkpoint fills in its run's components as it is set; the rest of the command is
   * applied with one recompute at the end (a long paste costs linear time). */
  if (pass == 1)
    cb_form_freeze (self);
  for (guint o = 0; o < overrides->len; o++)
    {
      const char *item = g_ptr_array_index (overrides, o);
      const char *eq = strchr (item, '=');
      g_autofree char *key = NULL;
      g_autofree char *text = NULL;
      const CbField *field = NULL;

      if (g_hash_table_contains (used, item) ||
          (constants != NULL && g_strv_contains (constants, item)))
        continue;
      if (eq == NULL)
        {
          if (pass == 1 && left != NULL)
            g_ptr_array_add (left, g_strdup (item));
          continue;
        }

      key = g_strndup (item, eq - item);
      for (guint i = 0; i < self->n_fields && field == NULL; i++)
        {
          const CbField *f = cb_schema_get_field (self->schema, i);

          if (f->hydra_override != NULL &&
              g_strv_contains ((const char * const *) f->hydra_override, key))
            field = f;
        }

      if (field == NULL)
        {
          if (pass == 1 && left != NULL)
            g_ptr_array_add (left, g_strdup (item));
          continue;
        }
      if ((pass == 0) != (g_strcmp0 (field->options_source, "checkpoints") == 0))
        continue;

      if (multirun && is_sweep_link (field, key, eq + 1))
        continue;
      if (multirun && load_sweep (self, field, item))
        {
          g_hash_table_add (loaded, field->key);
          continue;
        }

      text = hydra_unquote (eq + 1, field->type == CB_FIELD_TEXT_INPUT);
      if (!cb_form_set_value_from_string (self, field->key, text, NULL))
        {
          if (left != NULL)
            g_ptr_array_add (left, g_strdup (item));
        }
      else
        g_hash_table_add (loaded, field->key);
    }
  if (pass == 1)
    cb_form_thaw (self);
}

/* A command without a profile's overrides has none, whatever a checkpoint's run had. */
static void
set_no_profile (CbForm *self)
{
  GVariant *value = _cb_form_value_of (self, "preprocessing_profile");

  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
      !g_str_equal (g_variant_get_string (value, NULL), "none"))
    cb_form_set_value (self, "preprocessing_profile", g_variant_new_string ("none"));
}

static guint
count_hidden (CbForm     *self,
              GHashTable *loaded)
{
  guint hidden = 0;

  for (guint i = 0; i < self->n_fields; i++)
    if (g_hash_table_contains (loaded, cb_schema_get_field (self->schema, i)->key) &&
        !self->computed[i].state.visible)
      hidden++;

  return hidden;
}

/**
 * cb_form_load_command:
 * @argv: a command this page built (launcher, script, overrides)
 * @unplaced: (out) (optional): the overrides no field could take, or %NULL when all did
 *
 * The inverse of the command: resets the form and sets every value the overrides name, so
 * that the form builds the same argv again. Recognises the preprocessing profile's
 * overrides, the experiment-name suffix, and switches without an override of their own
 * (such as "Resume Training") that the loaded fields need in order to be shown.
 */
gboolean
cb_form_load_command (CbForm              *self,
                      const char * const  *argv,
                      char              ***unplaced,
                      GError             **error)
{
  g_autoptr(GPtrArray) overrides = g_ptr_array_new ();
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) loaded = g_hash_table_new (g_str_hash, g_str_equal);
  const CbProfile *best_profile = NULL;
  const char * const *profile_keys;
  int script = -1;
  guint best_count = 0;
  gboolean flipped = FALSE;
  gboolean multirun = FALSE;

  g_return_val_if_fail (CB_IS_FORM (self), FALSE);
  g_return_val_if_fail (argv != NULL, FALSE);

  for (guint i = 0; argv[i] != NULL; i++)
    if (g_str_has_suffix (argv[i], ".py"))
      {
        script = (int) i;
        break;
      }
  if (script < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "This is not a command of a runner script (no .py file in it)");
      return FALSE;
    }
  for (guint i = script + 1; argv[i] != NULL; i++)
    {
      /* Hydra's multirun flag: `key=a,b` sweeps. */
      if (g_str_equal (argv[i], "-m") || g_str_equal (argv[i], "--multirun"))
        multirun = TRUE;
      else
        g_ptr_array_add (overrides, (gpointer) argv[i]);
    }

  /* The profile whose overrides are all there (the one with most of them wins). */
  profile_keys = cb_config_snapshot_get_profile_keys (self->snapshot);
  for (guint p = 0; profile_keys != NULL && profile_keys[p] != NULL; p++)
    {
      const CbProfile *profile = cb_config_snapshot_get_profile (self->snapshot, profile_keys[p]);
      guint n = profile ? g_strv_length (profile->overrides) : 0;
      gboolean all = n > 0;

      for (guint k = 0; all && k < n; k++)
        {
          gboolean found = FALSE;

          for (guint o = 0; o < overrides->len && !found; o++)
            found = g_str_equal (g_ptr_array_index (overrides, o), profile->overrides[k]);
          all = found;
        }
      if (all && n > best_count)
        {
          best_profile = profile;
          best_count = n;
        }
    }

  cb_form_reset (self);

  /* Two passes: a checkpoint first (it fills in components), then everything else, so that
   * components written in the command win. */
  load_pass (self, overrides, 0, multirun, used, loaded, left);
  /* After the checkpoint, which fills in its run's profile. */
  if (best_profile != NULL && cb_schema_find_field (self->schema, "preprocessing_profile") >= 0)
    {
      for (guint k = 0; best_profile->overrides[k] != NULL; k++)
        g_hash_table_add (used, best_profile->overrides[k]);
      cb_form_set_value (self, "preprocessing_profile", g_variant_new_string (best_profile->key));
      g_hash_table_add (loaded, (gpointer) "preprocessing_profile");
    }
  else
    set_no_profile (self);

  load_pass (self, overrides, 1, multirun, used, loaded, left);

  /* Switches with no override of their own: flip one when that shows loaded fields. */
  for (guint i = 0; i < self->n_fields; i++)
    {
      const CbField *field = cb_schema_get_field (self->schema, i);
      guint before;
      GVariant *value;

      if (field->type != CB_FIELD_CHECKBOX || field->hydra_override != NULL)
        continue;
      before = count_hidden (self, loaded);
      if (before == 0)
        break;
      value = self->computed[i].state.value;
      cb_form_set_value (self, field->key,
                         g_variant_new_boolean (!(value && g_variant_get_boolean (value))));
      if (count_hidden (self, loaded) >= before)
        cb_form_unset_value (self, field->key);
      else
        flipped = TRUE;
    }
  /* A field a switch showed may have filled in others (a checkpoint its components): the
   * command's own values win again. */
  if (flipped)
    {
      if (g_hash_table_contains (loaded, "preprocessing_profile"))
        cb_form_set_value (self, "preprocessing_profile",
                           g_variant_new_string (best_profile->key));
      else
        set_no_profile (self);
      load_pass (self, overrides, 1, multirun, used, loaded, NULL);
    }

  /* The experiment-name suffix: strip it if the command carries the one we would add. */
  if (g_str_equal (self->page, "train") && g_hash_table_contains (loaded, "exp_name"))
    {
      GVariant *name = _cb_form_value_of (self, "exp_name");
      g_autofree char *suffix = _cb_form_suffixed_exp_name (self, "");

      if (suffix != NULL && *suffix != '\0' && name != NULL &&
          g_str_has_suffix (g_variant_get_string (name, NULL), suffix) &&
          strlen (g_variant_get_string (name, NULL)) > strlen (suffix))
        {
          const char *full = g_variant_get_string (name, NULL);
          g_autofree char *base = g_strndup (full, strlen (full) - strlen (suffix));

          cb_form_set_value (self, "exp_name", g_variant_new_string (base));
          cb_form_set_append_suffix (self, TRUE);
        }
      else
        cb_form_set_append_suffix (self, FALSE);
    }

  if (unplaced != NULL)
    {
      if (left->len > 0)
        {
          g_ptr_array_add (left, NULL);
          *unplaced = (char **) g_ptr_array_free (g_steal_pointer (&left), FALSE);
        }
      else
        *unplaced = NULL;
    }

  return TRUE;
}
