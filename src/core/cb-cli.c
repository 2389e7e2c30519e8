/* cb-cli.c: the headless interface of the same binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   command-builder [--project DIR] [--schemas DIR] print PAGE [--argv|--multiline|--script]
 *                   [--preset NAME] [KEY=VALUE ...]
 *   command-builder [--project DIR] [--schemas DIR] compose PAGE [--json] [KEY=VALUE ...]
 *   command-builder [--project DIR] [--schemas DIR] parse [--page PAGE] [--json] [TEXT]
 *   command-builder [--project DIR] [--schemas DIR] check
 *   command-builder [--project DIR] list-options [SOURCE]
 *   command-builder [--project DIR] list-checkpoints
 *
 * It goes through the same core calls as the window, so the two never disagree.
 * Exit codes: 0 success, 1 broken input (schemas, settings, configs), 2 invalid values or usage.
 */

#define G_LOG_DOMAIN "cb-cli"

#include "config.h"

#include "cb/cb-cli.h"
#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-command-parse.h"
#include "cb/cb-compose.h"
#include "cb/cb-compose-check.h"
#include "cb/cb-config.h"
#include "cb/cb-form.h"
#include "cb/cb-preset.h"
#include "cb/cb-problem.h"
#include "cb-cli-export.h"
#include "cb-cli-jobs.h"
#include "cb-cli-checkpoints.h"
#include "cb-cli-runs.h"
#include "cb/cb-quote.h"
#include "cb/cb-project.h"
#include "cb/cb-schema.h"
#include "cb/cb-script.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char * const commands[] = {
  "print", "compose", "parse", "check", "list-options", "list-checkpoints", "runs", "metrics",
  "export-csv", "run", "submit", "script", "jobs", "stop", NULL
};

static const char * const pages[] = { "train", "test", "predict", NULL };

typedef struct
{
  char     *project;
  char     *schemas;
  gboolean  argv;
  gboolean  multiline;
  gboolean  script;
  gboolean  json;
  char    **extra;
  char     *page;
  char     *preset;
  char     *output;
  gboolean  include_confidence;
  gboolean  force;
  char     *target;
} Options;

/* The first word that is not an option (or an option's value), or NULL. */
const char *
cb_cli_first_word (int    argc,
                   char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        return i + 1 < argc ? argv[i + 1] : NULL;
      if (g_str_equal (arg, "--project") || g_str_equal (arg, "-p") ||
          g_str_equal (arg, "--schemas") || g_str_equal (arg, "--preset"))
        {
          i++;
          continue;
        }
      if (arg[0] != '-')
        return arg;
    }

  return NULL;
}

/* The first word that is not an option (or an option's value) names the sub-command. */
const char *
cb_cli_find_command (int    argc,
                     char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        return NULL;
      if (g_str_equal (arg, "--project") || g_str_equal (arg, "-p") ||
          g_str_equal (arg, "--schemas"))
        {
          i++;
          continue;
        }
      if (arg[0] == '-')
        continue;

      return g_strv_contains (commands, arg) ? arg : NULL;
    }

  return NULL;
}

static void
print_problems (GPtrArray *problems)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *line = cb_problem_to_string (g_ptr_array_index (problems, i));

      g_printerr ("%s\n", line);
    }
}

static CbProject *
open_project (const Options  *options,
              GPtrArray      *problems)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = cb_find_project_root (options->project, &error);

  if (root == NULL)
    {
      g_printerr ("command-builder: %s\n", error->message);
      return NULL;
    }

  return cb_project_load (root, problems);
}

static CbCheckpointScanner *
scan_checkpoints (CbProject *project)
{
  CbCheckpointScanner *scanner = cb_checkpoint_scanner_new (project->root, project->outputs_dir);

  cb_checkpoint_scanner_scan_sync (scanner, NULL, NULL);
  return scanner;
}

static CbConfigSnapshot *
load_snapshot (CbProject *project,
               GPtrArray *problems)
{
  g_autofree char *configs = cb_project_get_path (project, project->configs_dir);

  return cb_config_snapshot_load (configs, problems);
}

static gboolean
arg_sets_checkpoint (CbSchema   *schema,
                     const char *arg)
{
  const char *eq = strchr (arg, '=');
  g_autofree char *key = eq ? g_strndup (arg, eq - arg) : NULL;
  int index = key ? cb_schema_find_field (schema, key) : -1;

  return index >= 0 &&
         g_strcmp0 (cb_schema_get_field (schema, index)->options_source, "checkpoints") == 0;
}

/* Stable: KEY=VALUE arguments that choose a checkpoint first, the rest in order. */
static void
qsort_checkpoint_first (CbSchema  *schema,
                        int        argc,
                        char     **argv)
{
  g_autoptr(GPtrArray) first = g_ptr_array_new ();
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();

  for (int i = 0; i < argc; i++)
    g_ptr_array_add (arg_sets_checkpoint (schema, argv[i]) ? first : rest, argv[i]);
  for (guint i = 0; i < first->len; i++)
    argv[i] = g_ptr_array_index (first, i);
  for (guint i = 0; i < rest->len; i++)
    argv[first->len + i] = g_ptr_array_index (rest, i);
}

/* A checkpoint the user named that the scan did not list (outside outputs/, or absolute):
 * it must be a file. Relative paths are relative to the project, as the run's are. */
static gboolean
check_outside_checkpoint (CbProject          *project,
                          const CbField      *field,
                          const CbFieldState *state)
{
  const char *path;
  g_autofree char *full = NULL;

  if (state->value == NULL || !state->visible)
    return TRUE;
  for (guint i = 0; i < state->n_options; i++)
    if (g_str_equal (state->options[i], g_variant_get_string (state->value, NULL)))
      return TRUE;

  path = g_variant_get_string (state->value, NULL);
  full = g_path_is_absolute (path) ? g_strdup (path) : cb_project_get_path (project, path);
  if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("command-builder: %s: %s is not a file\n", cb_schema_text (field->label), full);
      return FALSE;
    }
  return TRUE;
}

/* The empty form of @page, everything that is wrong with the project said on stderr.
 * Returns the exit status (0, or 1 / 2 with nothing in @form_out). */
static int
open_page_form (const Options  *options,
                const char     *page,
                CbProject     **project_out,
                CbForm        **form_out)
{
  g_autoptr(GPtrArray) settings_problems = cb_problem_list_new ();
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbProject) project = NULL;
  g_autoptr(CbSchema) schema = NULL;
  g_autoptr(CbConfigSnapshot) snapshot = NULL;
  g_autoptr(CbCheckpointScanner) checkpoints = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbForm) form = NULL;
  g_autofree char *schema_path = NULL;

  project = open_project (options, settings_problems);
  if (project == NULL)
    return 1;

  /* A broken settings file would change the launcher or the folders behind the user's
   * back: it is an error, with its position. */
  if (cb_problem_list_has_errors (settings_problems))
    {
      print_problems (settings_problems);
      return 2;
    }
  if (options->schemas != NULL && !g_file_test (options->schemas, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("command-builder: --schemas: there is no folder %s\n", options->schemas);
      return 2;
    }

  schema_path = cb_project_find_schema (project, options->schemas, page);
  if (schema_path == NULL)
    {
      g_printerr ("command-builder: no schema for the page '%s'%s\n", page,
                  g_strv_contains (pages, page) ? "" : " (pages are train, test and predict)");
      return 2;
    }
  schema = cb_schema_load_file (schema_path, problems, &error);
  if (schema == NULL)
    {
      print_problems (problems);
      return 1;
    }

  snapshot = load_snapshot (project, problems);
  cb_project_check_page (project, page, CB_PROBLEM_WARNING, problems);
  checkpoints = scan_checkpoints (project);

  /* What is wrong with the project is said; the command is still printed when it is what
   * the user asked for. */
  for (guint i = 0; i < problems->len; i++)
    {
      CbProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *line = NULL;

      if (problem->severity == CB_PROBLEM_ERROR)
        problem->severity = CB_PROBLEM_WARNING;
      line = cb_problem_to_string (problem);
      g_printerr ("%s\n", line);
    }

  form = cb_form_new (schema, page);
  cb_form_freeze (form);
  cb_form_set_project (form, project);
  cb_form_set_snapshot (form, snapshot);
  cb_form_set_checkpoint_model (form, cb_checkpoint_scanner_get_model (checkpoints));
  cb_form_thaw (form);

  *project_out = g_steal_pointer (&project);
  *form_out = g_steal_pointer (&form);
  return 0;
}

/* --preset NAME: the project's preset of that name, else the built-in (suggested setup). */
static gboolean
apply_preset (const char *name,
              CbProject  *project,
              const char *page,
              CbForm     *form)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GPtrArray) presets = cb_preset_list (project, page, problems);
  g_autoptr(GPtrArray) built_in = cb_preset_list_built_in (cb_form_get_snapshot (form),
                                                           cb_form_get_schema (form), page);
  const CbPreset *preset = cb_preset_find (presets, name);
  g_auto(GStrv) ignored = NULL;

  if (preset == NULL)
    preset = cb_preset_find (built_in, name);
  if (preset == NULL)
    {
      g_autoptr(GString) known = g_string_new (NULL);

      print_problems (problems);
      for (guint i = 0; i < presets->len + built_in->len; i++)
        {
          const CbPreset *p = i < presets->len ? g_ptr_array_index (presets, i)
                                               : g_ptr_array_index (built_in, i - presets->len);

          g_string_append_printf (known, "%s%s", known->len ? ", " : "", p->name);
        }
      g_printerr ("command-builder: no preset '%s' for the %s page (%s%s)\n", name, page,
                  known->len ? "presets: " : "there are none", known->str);
      return FALSE;
    }

  cb_preset_apply (preset, form, &ignored);
  for (guint i = 0; ignored[i] != NULL; i++)
    g_printerr ("command-builder: warning: preset '%s': %s\n", name, ignored[i]);
  return TRUE;
}

/* The form of argv[0]'s page with argv[1..] applied, everything that is wrong said on
 * stderr. Returns the exit status (0, or 1 / 2 with nothing in @form_out). */
static int
build_page_form (const Options  *options,
                 int             argc,
                 char          **argv,
                 CbProject     **project_out,
                 CbForm        **form_out)
{
  g_autoptr(CbProject) project = NULL;
  g_autoptr(CbForm) form = NULL;
  g_auto(GStrv) mismatches = NULL;
  CbSchema *schema;
  gboolean bad = FALSE;
  gboolean frozen = FALSE;
  int status;

  if (argc < 1)
    {
      g_printerr ("command-builder: a page is needed (train, test or predict)\n");
      return 2;
    }
  status = open_page_form (options, argv[0], &project, &form);
  if (status != 0)
    return status;
  schema = cb_form_get_schema (form);

  if (options->preset != NULL && !apply_preset (options->preset, project, argv[0], form))
    return 2;
  if (options->extra != NULL)
    {
      g_autoptr(GStrvBuilder) extra = g_strv_builder_new ();
      g_auto(GStrv) all = NULL;

      g_strv_builder_addv (extra, (const char **) cb_form_get_extra_overrides (form));
      g_strv_builder_addv (extra, (const char **) options->extra);
      all = g_strv_builder_end (extra);
      cb_form_set_extra_overrides (form, (const char * const *) all);
    }

  /* A chosen checkpoint fills in the components its run was trained with: apply it first,
   * so that components given on the command line win. */
  qsort_checkpoint_first (schema, argc - 1, argv + 1);
  for (int i = 1; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');
      g_autofree char *key = NULL;
      g_autoptr(GError) value_error = NULL;

      /* The checkpoint's fill-in happens as it is set; everything after it is applied
       * with one recompute at the end (work linear in the arguments). */
      if (!frozen && !arg_sets_checkpoint (schema, argv[i]))
        {
          cb_form_freeze (form);
          frozen = TRUE;
        }

      if (eq == NULL || eq == argv[i])
        {
          g_printerr ("command-builder: '%s' is not KEY=VALUE\n", argv[i]);
          bad = TRUE;
          continue;
        }
      key = g_strndup (argv[i], eq - argv[i]);
      if (g_str_equal (key, "append_suffix"))
        {
          cb_form_set_append_suffix (form, g_str_equal (eq + 1, "true") ||
                                           g_str_equal (eq + 1, "1"));
          continue;
        }
      if (!cb_form_set_value_from_string (form, key, eq + 1, &value_error))
        {
          g_printerr ("command-builder: %s\n", value_error->message);
          bad = TRUE;
        }
    }
  if (frozen)
    {
      /* Showing the checkpoint (a switch in the batch) fills in its run's components at the
       * thaw: the values given win again, applied once more with one recompute. */
      cb_form_thaw (form);
      cb_form_freeze (form);
      for (int i = 1; i < argc; i++)
        {
          const char *eq = strchr (argv[i], '=');
          g_autofree char *key = NULL;

          if (eq == NULL || eq == argv[i] || arg_sets_checkpoint (schema, argv[i]))
            continue;
          key = g_strndup (argv[i], eq - argv[i]);
          if (!g_str_equal (key, "append_suffix"))
            cb_form_set_value_from_string (form, key, eq + 1, NULL);
        }
      cb_form_thaw (form);
    }

  if (!cb_form_is_valid (form))
    {
      const char * const *errors = cb_form_get_errors (form);

      for (guint i = 0; errors[i] != NULL; i++)
        g_printerr ("command-builder: %s\n", errors[i]);
      bad = TRUE;
    }

  for (guint i = 0; i < cb_schema_get_n_fields (schema); i++)
    {
      const CbField *field = cb_schema_get_field (schema, i);
      const CbFieldState *state = cb_form_get_field_state (form, i);

      if (state->visible && state->warning != NULL && state->error == NULL)
        g_printerr ("command-builder: warning: %s: %s\n", cb_schema_text (field->label),
                    state->warning);
      if (g_strcmp0 (field->options_source, "checkpoints") == 0 &&
          !check_outside_checkpoint (project, field, state))
        bad = TRUE;
    }

  /* Loading a checkpoint into another model can only fail: say so (the window asks). */
  mismatches = cb_form_get_mismatches (form);
  for (guint i = 0; mismatches[i] != NULL; i++)
    g_printerr ("command-builder: warning: %s\n", mismatches[i]);

  /* What the project's Hydra config would say (the command is still printed as asked). */
  if (!bad && cb_form_get_hydra_error (form) != NULL)
    g_printerr ("command-builder: warning: Hydra would refuse this command: %s\n",
                cb_form_get_hydra_error (form));
  if (!bad && cb_form_get_hydra_warnings (form) != NULL)
    for (guint i = 0; i < cb_form_get_hydra_warnings (form)->len; i++)
      g_printerr ("command-builder: warning: %s\n",
                  (char *) g_ptr_array_index (cb_form_get_hydra_warnings (form), i));

  if (bad)
    return 2;

  *project_out = g_steal_pointer (&project);
  *form_out = g_steal_pointer (&form);
  return 0;
}

static int
cmd_print (const Options *options,
           int            argc,
           char         **argv)
{
  g_autoptr(CbProject) project = NULL;
  g_autoptr(CbForm) form = NULL;
  CbCommand *command;
  int status = build_page_form (options, argc, argv, &project, &form);

  if (status != 0)
    return status;

  command = cb_form_get_command (form);
  if (options->argv)
    {
      const char * const *words = cb_command_get_argv (command);

      for (guint i = 0; words[i] != NULL; i++)
        g_print ("%s\n", words[i]);
    }
  else if (options->script)
    {
      g_autofree char *script = cb_script_new (command, project->root);

      g_print ("%s", script);
    }
  else if (options->multiline)
    g_print ("%s\n", cb_command_get_display_multiline (command));
  else
    g_print ("%s\n", cb_command_get_display (command));

  return 0;
}

/* The page's command composed as Hydra would: the job config as YAML (or JSON), or why
 * Hydra would refuse it (exit 1). */
static int
cmd_compose (const Options *options,
             int            argc,
             char         **argv)
{
  g_autoptr(CbProject) project = NULL;
  g_autoptr(CbForm) form = NULL;
  g_autoptr(CbComposer) composer = NULL;
  g_autoptr(CbComposition) composition = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *configs = NULL;
  g_autofree char *text = NULL;
  int status = build_page_form (options, argc, argv, &project, &form);

  if (status != 0)
    return status;

  configs = cb_project_get_path (project, project->configs_dir);
  composer = cb_composer_new (configs);
  composition = cb_composer_compose (composer, cb_project_get_config_name (project, argv[0]),
                                     cb_command_get_overrides (cb_form_get_command (form)),
                                     &error);
  if (composition == NULL)
    {
      g_printerr ("command-builder: Hydra would refuse this command: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < composition->warnings->len; i++)
    g_printerr ("command-builder: warning: %s\n",
                (char *) g_ptr_array_index (composition->warnings, i));

  text = options->json ? cb_cfg_to_json (composition->config)
                       : cb_cfg_to_yaml (composition->config);
  g_print ("%s", text);
  return 0;
}

static char *
read_stdin (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[4096];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (text, buffer, n);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A pasted command (TEXT or standard input) → the words that make print build it again. */
static int
cmd_parse (const Options *options,
           int            argc,
           char         **argv)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbProject) project = NULL;
  g_autoptr(CbParseResult) result = NULL;
  g_autoptr(CbProject) form_project = NULL;
  g_autoptr(CbForm) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int status;

  if (argc > 1)
    {
      g_printerr ("command-builder: parse takes one command (quote it, or use standard input)\n");
      return 2;
    }
  text = argc == 1 ? g_strdup (argv[0]) : read_stdin ();

  project = open_project (options, problems);
  if (project == NULL)
    return 1;
  result = cb_command_parse_text (text, options->page, project, &error);
  if (result == NULL)
    {
      g_printerr ("command-builder: %s\n", error->message);
      return 2;
    }

  /* The page's form as print builds it, empty: then the command goes in. */
  status = open_page_form (options, result->page, &form_project, &form);
  if (status != 0)
    return status;

  if (!cb_parse_result_load (result, form, &error))
    {
      g_printerr ("command-builder: %s\n", error->message);
      return 2;
    }
  for (guint i = 0; i < result->ignored->len; i++)
    {
      const CbIgnoredWord *ignored = g_ptr_array_index (result->ignored, i);

      g_printerr ("command-builder: ignored: %s (%s)\n", ignored->word, ignored->reason);
    }

  if (options->json)
    {
      g_autofree char *json = cb_parse_result_to_json (result, form);

      g_print ("%s", json);
    }
  else
    {
      g_auto(GStrv) words = cb_parse_result_to_words (result, form);

      for (guint i = 0; words[i] != NULL; i++)
        g_print ("%s\n", words[i]);
    }
  return 0;
}

static int
cmd_check (const Options *options)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbProject) project = NULL;
  g_autoptr(CbConfigSnapshot) snapshot = NULL;
  g_autoptr(GPtrArray) schemas = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_schema_unref);
  g_autofree char *configs = NULL;
  gboolean any_error;

  project = open_project (options, problems);
  if (project == NULL)
    return 1;

  for (guint i = 0; pages[i] != NULL; i++)
    {
      g_autofree char *path = cb_project_find_schema (project, options->schemas, pages[i]);
      g_autoptr(CbSchema) schema = NULL;

      if (path == NULL)
        {
          g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, NULL, 0, 0,
                                                     "no schema for the page '%s'", pages[i]));
          continue;
        }
      schema = cb_schema_load_file (path, problems, NULL);
      cb_project_check_page (project, pages[i], CB_PROBLEM_ERROR, problems);
      if (schema != NULL)
        g_ptr_array_add (schemas, g_steal_pointer (&schema));
      else
        g_ptr_array_add (schemas, NULL);
    }

  configs = cb_project_get_path (project, project->configs_dir);
  cb_config_check_tree (configs, problems);
  snapshot = cb_config_snapshot_load (configs, problems);

  /* What the schemas ask of the configs, composed as Hydra would. */
  for (guint i = 0; pages[i] != NULL; i++)
    if (g_ptr_array_index (schemas, i) != NULL)
      cb_compose_check_page (g_ptr_array_index (schemas, i), pages[i], project, snapshot,
                             problems);

  /* Each broken file is reported once, whichever pass found it. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < problems->len; i++)
      {
        char *line = cb_problem_to_string (g_ptr_array_index (problems, i));

        if (g_hash_table_add (seen, line))
          g_printerr ("%s\n", line);
      }
  }

  any_error = cb_problem_list_has_errors (problems);
  if (!any_error)
    g_print ("%s: schemas, settings and configs are fine\n", project->root);

  return any_error ? 1 : 0;
}

static int
cmd_list_options (const Options *options,
                  int            argc,
                  char         **argv)
{
  static const char * const sources[] = {
    "models.architectures", "models.backbones", "models.encoders", "models.decoders",
    "models.heads", "models.losses", "models.optimizers", "datasets",
    "preprocessing_profiles", "checkpoints", NULL
  };
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbProject) project = NULL;
  g_autoptr(CbConfigSnapshot) snapshot = NULL;
  const char *only = argc > 0 ? argv[0] : NULL;

  if (only != NULL && !cb_options_source_is_known (only))
    {
      g_printerr ("command-builder: unknown options source '%s'\n", only);
      return 2;
    }

  project = open_project (options, problems);
  if (project == NULL)
    return 1;
  snapshot = load_snapshot (project, problems);
  print_problems (problems);

  for (guint i = 0; sources[i] != NULL; i++)
    {
      if (only != NULL && !g_str_equal (only, sources[i]))
        continue;

      if (g_str_equal (sources[i], "checkpoints"))
        {
          g_autoptr(CbCheckpointScanner) scanner = scan_checkpoints (project);
          g_auto(GStrv) paths = cb_checkpoint_scanner_get_paths (scanner);

          for (guint k = 0; paths[k] != NULL; k++)
            g_print ("checkpoints\t%s\n", paths[k]);
        }
      else
        {
          const char * const *names = cb_config_snapshot_get_options (snapshot, sources[i]);

          for (guint k = 0; names[k] != NULL; k++)
            g_print ("%s\t%s\n", sources[i], names[k]);
        }
    }

  return 0;
}

/* ---- list-checkpoints (cb-cli-checkpoints.c) ------------------------------------------ */

static int
cmd_list_checkpoints (const Options *options)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbProject) project = open_project (options, problems);

  if (project == NULL)
    return 1;
  /* A broken settings file may name another outputs folder: the list says so first. */
  print_problems (problems);
  return cb_cli_list_checkpoints (project);
}

/* run / submit PAGE [KEY=VALUE…]: the page's command, exactly as `print` builds it, as a
 * job; script PAGE: the job script a Slurm target would submit. */
static int
cmd_run (const Options *options,
         const char    *what,
         int            argc,
         char         **argv)
{
  g_autoptr(CbProject) project = NULL;
  g_autoptr(CbForm) form = NULL;
  int status = build_page_form (options, argc, argv, &project, &form);

  if (status != 0)
    return status;
  if (g_str_equal (what, "script"))
    return cb_cli_print_script (project, form, options->target);
  return cb_cli_start_job (project, form, options->target, g_str_equal (what, "submit"));
}

/* runs, jobs, stop ID: commands on the project's folders and state, no form. */
static int
cmd_project (const Options *options,
             const char    *command,
             int            argc,
             char         **argv)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbProject) project = open_project (options, problems);

  if (project == NULL)
    return 1;
  print_problems (problems);
  if (g_str_equal (command, "stop"))
    return cb_cli_stop (project, argc > 0 ? argv[0] : NULL);
  if (g_str_equal (command, "jobs"))
    return cb_cli_jobs (project, options->json);
  return cb_cli_runs (project, options->json);
}


int
cb_cli_run (int    argc,
            char **argv)
{
  Options options = { 0 };
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_FILENAME, &options.project,
      N_("The project folder (holding configs/ and runners/)"), N_("DIR") },
    { "schemas", 0, 0, G_OPTION_ARG_FILENAME, &options.schemas,
      N_("A folder of page schemas that replaces the bundled ones"), N_("DIR") },
    { "argv", 0, 0, G_OPTION_ARG_NONE, &options.argv,
      N_("print: one argv element per line instead of the shell text"), NULL },
    { "multiline", 0, 0, G_OPTION_ARG_NONE, &options.multiline,
      N_("print: one override per line with backslash continuations"), NULL },
    { "script", 0, 0, G_OPTION_ARG_NONE, &options.script,
      N_("print: a shell script that runs the command in the project root"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json,
      N_("compose, parse, runs, metrics, jobs: JSON instead of YAML, words or columns"), NULL },
    { "page", 0, 0, G_OPTION_ARG_STRING, &options.page,
      N_("parse: the page the command is for (when it names no runner script)"), N_("PAGE") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &options.preset,
      N_("print, compose: start from the page's preset NAME (KEY=VALUE after it win)"),
      N_("NAME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options.output,
      N_("export-csv: the CSV to write (submission.csv by default)"), N_("FILE") },
    { "include-confidence", 0, 0, G_OPTION_ARG_NONE, &options.include_confidence,
      N_("export-csv: add each image's average confidence (not for the competition)"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &options.force,
      N_("export-csv: replace the CSV when it is there"), NULL },
    { "target", 't', 0, G_OPTION_ARG_STRING, &options.target,
      N_("run, submit, script: where the job runs, a target of "
         ".command-builder/targets.yaml (local by default)"), N_("NAME") },
    { "extra", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.extra,
      N_("print, compose: an override added after the page's own (repeatable)"),
      N_("OVERRIDE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  const char *command;
  int n_args;
  int status;

  context = g_option_context_new (_("COMMAND [ARGS…] — build OCR training commands"));
  g_option_context_set_summary (context,
                                _("Commands:\n"
                                  "  print PAGE [KEY=VALUE…]   print the command of a page\n"
                                  "  compose PAGE [KEY=VALUE…] print the config Hydra composes for it\n"
                                  "  parse [TEXT]              print the print words of a pasted command\n"
                                  "  check                     validate schemas, settings and configs\n"
                                  "  list-options [SOURCE]     print the options of each source\n"
                                  "  list-checkpoints          print the checkpoints, newest first\n"
                                  "  runs                      print the run folders, newest first\n"
                                  "  metrics RUN_FOLDER        print the metrics a run logged\n"
                                  "  export-csv JSON           write a submission's competition CSV\n"
                                  "  run PAGE [KEY=VALUE…]     start the page's command as a job, print its id\n"
                                  "  submit PAGE -t NAME […]   the same, to a Slurm target\n"
                                  "  script PAGE -t NAME […]   print the job script a Slurm target submits\n"
                                  "  jobs                      print the project's jobs and their states\n"
                                  "  stop ID                   stop a job and everything it started\n"
                                  "\nWithout a command, the window opens."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("command-builder: %s\n", error->message);
      return 2;
    }

  command = cb_cli_find_command ((int) g_strv_length (args), args);
  if (command == NULL)
    {
      g_printerr ("command-builder: unknown command\n");
      return 2;
    }

  /* args[0] is the program, args[1] the command. */
  n_args = (int) g_strv_length (args) - 2;

  if (g_str_equal (command, "print"))
    status = cmd_print (&options, n_args, args + 2);
  else if (g_str_equal (command, "compose"))
    status = cmd_compose (&options, n_args, args + 2);
  else if (g_str_equal (command, "parse"))
    status = cmd_parse (&options, n_args, args + 2);
  else if (g_str_equal (command, "check"))
    status = cmd_check (&options);
  else if (g_str_equal (command, "list-options"))
    status = cmd_list_options (&options, n_args, args + 2);
  else if (g_str_equal (command, "run") || g_str_equal (command, "submit") ||
           g_str_equal (command, "script"))
    status = cmd_run (&options, command, n_args, args + 2);
  else if (g_str_equal (command, "runs") || g_str_equal (command, "jobs") ||
           g_str_equal (command, "stop"))
    status = cmd_project (&options, command, n_args, args + 2);
  else if (g_str_equal (command, "export-csv"))
    status = cb_cli_export_csv (n_args > 0 ? args[2] : NULL, options.output,
                                options.include_confidence, options.force);
  else if (g_str_equal (command, "metrics"))
    status = cb_cli_metrics (n_args > 0 ? args[2] : NULL, options.json);
  else
    status = cmd_list_checkpoints (&options);

  g_free (options.project);
  g_free (options.schemas);
  g_free (options.page);
  g_free (options.preset);
  g_free (options.output);
  g_free (options.target);
  g_strfreev (options.extra);
  return status;
}
