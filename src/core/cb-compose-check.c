/* cb-compose-check.c: what a page's schema asks of the project's Hydra config, checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A schema names override targets (`model.encoder.model_name`, `model/architectures`) and
 * the configs offer presets; when the project moves a group or drops a key, every command
 * breaks at once. `check` composes the page's default command and reports, at the schema's
 * line and column: each key target the composed config lacks, each group target that is
 * not a config group, each offered option that is not an option of its group; and each
 * preprocessing profile and suggested setup whose overrides Hydra would refuse.
 */

#define G_LOG_DOMAIN "cb-compose-check"

#include "config.h"

#include "cb/cb-compose-check.h"
#include "cb/cb-form.h"
#include "cb/cb-problem.h"

#include <string.h>

static CbForm *
new_form (CbSchema         *schema,
          const char       *page,
          CbProject        *project,
          CbConfigSnapshot *snapshot)
{
  CbForm *form = cb_form_new (schema, page);

  cb_form_freeze (form);
  cb_form_set_project (form, project);
  cb_form_set_snapshot (form, snapshot);
  cb_form_thaw (form);
  return form;
}

static gboolean
is_group_target (CbComposer *composer,
                 const char *target)
{
  return strchr (target, '/') != NULL || cb_composer_is_group (composer, target);
}

/* The page's group choices alone: the tree the key targets must be in. */
static CbComposition *
compose_choices (CbComposer  *composer,
                 const char  *primary,
                 CbForm      *form,
                 GError     **error)
{
  const char * const *overrides = cb_command_get_overrides (cb_form_get_command (form));
  g_autoptr(GPtrArray) choices = g_ptr_array_new ();

  for (guint i = 0; overrides[i] != NULL; i++)
    {
      const char *eq = strchr (overrides[i], '=');
      g_autofree char *key = eq ? g_strndup (overrides[i], eq - overrides[i]) : NULL;
      const char *bare = key ? key + strspn (key, "+~") : NULL;

      /* Only real groups: a moved group is reported on its field, not here. */
      if (bare != NULL && cb_composer_is_group (composer, bare))
        g_ptr_array_add (choices, (gpointer) overrides[i]);
    }
  g_ptr_array_add (choices, NULL);
  return cb_composer_compose (composer, primary, (const char * const *) choices->pdata, error);
}

static void
add_field_problem (GPtrArray      *problems,
                   CbSchema       *schema,
                   const CbField  *field,
                   const char     *format,
                   ...) G_GNUC_PRINTF (4, 5);

static void
add_field_problem (GPtrArray      *problems,
                   CbSchema       *schema,
                   const CbField  *field,
                   const char     *format,
                   ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, cb_schema_get_path (schema),
                                             field->line, field->column, "%s", message));
}

static void
check_targets (CbSchema      *schema,
               const char    *page,
               const char    *primary,
               CbComposer    *composer,
               CbForm        *form,
               CbComposition *tree,
               GPtrArray     *problems)
{
  for (guint i = 0; i < cb_schema_get_n_fields (schema); i++)
    {
      const CbField *field = cb_schema_get_field (schema, i);
      const CbFieldState *state = cb_form_get_field_state (form, i);

      for (guint k = 0; field->hydra_override != NULL && field->hydra_override[k] != NULL; k++)
        {
          const char *target = field->hydra_override[k];
          const char *bare = target + strspn (target, "+~");

          if (is_group_target (composer, bare))
            {
              g_autofree char *group = g_strdup (bare);
              char *at = strchr (group, '@');

              if (at != NULL)
                *at = '\0';
              if (!cb_composer_is_group (composer, group))
                {
                  g_autofree char *dir = g_path_get_basename (cb_composer_get_dir (composer));

                  add_field_problem (problems, schema, field,
                                     "'%s' is not a config group of the %s config (no folder "
                                     "%s/%s)", group, primary, dir, group);
                  continue;
                }
              /* Every option the page offers must be an option of the group. */
              {
                g_auto(GStrv) options = cb_composer_list_options (composer, group);

                for (guint o = 0; o < state->n_options; o++)
                  if (!g_strv_contains ((const char * const *) options, state->options[o]) &&
                      !g_str_equal (state->options[o], "null"))
                    add_field_problem (problems, schema, field,
                                       "'%s', an option of '%s', is not an option of the "
                                       "config group '%s'", state->options[o],
                                       cb_schema_text (field->label), group);
              }
              continue;
            }

          /* A key: it must be in the config the page's choices compose (`+key` adds). */
          if (target[0] != '+' && tree != NULL && cb_cfg_lookup_path (tree->config, bare) == NULL &&
              !(g_str_has_prefix (bare, "hydra.") && tree->hydra != NULL &&
                cb_cfg_lookup_path (tree->hydra, bare + strlen ("hydra.")) != NULL))
            add_field_problem (problems, schema, field, "'%s' is not in the %s config", bare,
                               primary);
        }
    }
  (void) page;
}

/**
 * cb_compose_check_page:
 * @problems: (element-type CbProblem): where the findings go
 *
 * Composes @page's default command against @snapshot's configs and reports what the schema
 * asks that the configs do not have, and the presets (profiles, suggested setups) Hydra
 * would refuse. Does nothing without configs.
 */
void
cb_compose_check_page (CbSchema         *schema,
                       const char       *page,
                       CbProject        *project,
                       CbConfigSnapshot *snapshot,
                       GPtrArray        *problems)
{
  CbComposer *composer;
  g_autoptr(CbForm) form = NULL;
  g_autoptr(CbComposition) tree = NULL;
  g_autoptr(GError) error = NULL;
  const char *primary;

  g_return_if_fail (schema != NULL && page != NULL && snapshot != NULL && problems != NULL);

  composer = cb_config_snapshot_get_composer (snapshot);
  if (composer == NULL)
    return;
  primary = project != NULL ? cb_project_get_config_name (project, page) : page;

  form = new_form (schema, page, project, snapshot);
  tree = compose_choices (composer, primary, form, &error);
  if (tree == NULL)
    {
      g_ptr_array_add (problems,
                       cb_problem_new (CB_PROBLEM_ERROR, cb_schema_get_path (schema), 0, 0,
                                       "the %s page's default choices: Hydra would refuse "
                                       "them: %s", page, error->message));
      return;
    }
  check_targets (schema, page, primary, composer, form, tree, problems);

  /* The default command as a whole (values included). */
  if (cb_form_get_hydra_error (form) != NULL && !cb_problem_list_has_errors (problems))
    g_ptr_array_add (problems,
                     cb_problem_new (CB_PROBLEM_ERROR, cb_schema_get_path (schema), 0, 0,
                                     "the %s page's default command: Hydra would refuse it: %s",
                                     page, cb_form_get_hydra_error (form)));

  /* Each preprocessing profile the page offers. */
  if (cb_schema_find_field (schema, "preprocessing_profile") >= 0)
    {
      const char * const *keys = cb_config_snapshot_get_profile_keys (snapshot);

      for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
        {
          g_autoptr(CbForm) with = new_form (schema, page, project, snapshot);

          if (g_str_equal (keys[i], "none"))
            continue;
          cb_form_set_value (with, "preprocessing_profile", g_variant_new_string (keys[i]));
          /* Only what the profile itself adds (the default command's fault is said once). */
          if (cb_form_get_hydra_error (with) != NULL &&
              g_strcmp0 (cb_form_get_hydra_error (with), cb_form_get_hydra_error (form)) != 0)
            g_ptr_array_add (problems,
                             cb_problem_new (CB_PROBLEM_ERROR, cb_config_snapshot_get_dir (snapshot),
                                             0, 0, "the preprocessing profile '%s' on the %s "
                                             "page: Hydra would refuse it: %s", keys[i], page,
                                             cb_form_get_hydra_error (with)));
        }
    }

  /* Each suggested setup (Train applies them). */
  for (guint i = 0; cb_schema_find_field (schema, "architecture") >= 0 &&
                    i < cb_config_snapshot_get_n_use_cases (snapshot); i++)
    {
      const CbUseCase *use_case = cb_config_snapshot_get_use_case (snapshot, i);
      g_autoptr(CbForm) with = new_form (schema, page, project, snapshot);
      g_auto(GStrv) changes = NULL;

      if (!g_str_equal (page, "train"))
        break;
      cb_form_set_value (with, "architecture", g_variant_new_string (use_case->architecture));
      changes = cb_form_apply_use_case (with, use_case);
      if (cb_form_get_hydra_error (with) != NULL &&
          g_strcmp0 (cb_form_get_hydra_error (with), cb_form_get_hydra_error (form)) != 0)
        g_ptr_array_add (problems,
                         cb_problem_new (CB_PROBLEM_ERROR, cb_config_snapshot_get_dir (snapshot),
                                         0, 0, "the suggested setup '%s': Hydra would refuse "
                                         "it: %s", use_case->title,
                                         cb_form_get_hydra_error (with)));
    }
}
