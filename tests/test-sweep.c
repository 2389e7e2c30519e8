/* test-sweep.c: sweeps: one form, many runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The sweep parser (cb-sweep.c), the form's multirun command, plan, state and load
 * (cb-form-sweep.c), and the multirun run through the demo project's runner: each run must
 * get exactly the value it was given, however hostile (shared/reference/hydra-quoting.md). */

#define G_LOG_DOMAIN "test-sweep"

#include "config.h"

#include "cb/cb-command-parse.h"
#include "cb/cb-form.h"
#include "cb/cb-override.h"
#include "cb/cb-quote.h"
#include "cb/cb-sweep.h"
#include "cb/cb-yaml.h"
#include "cb-test-demo.h"
#include "cb-test-util.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

static CbTestDemo demo;

/* Values that Hydra would split, retype, trim or refuse if they were written bare. */
static const char * const hostile[] = {
  "my run",
  "it's",
  "say \"hi\"",
  "$HOME",
  "x=y",
  "a,b",
  "한국어 실험",
  "${oops",
  "back\\slash",
  "007",
  "true",
  NULL
};

static const CbField *
field_of (CbForm     *form,
          const char *key)
{
  CbSchema *schema = cb_form_get_schema (form);
  int index = cb_schema_find_field (schema, key);

  g_assert_cmpint (index, >=, 0);
  return cb_schema_get_field (schema, index);
}

static void
assert_values (char               **values,
               const char * const  *expected)
{
  g_assert_nonnull (values);
  g_assert_cmpstrv (values, expected);
  g_strfreev (values);
}

static void
assert_refused (const CbField *field,
                const char    *text,
                int            code,
                const char    *in_message)
{
  g_autoptr(GError) error = NULL;
  char **values = cb_sweep_parse (field, text, &error);

  g_assert_null (values);
  g_assert_error (error, CB_SWEEP_ERROR, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s”: the message “%s” does not name “%s”", text, error->message, in_message);
}

static int
index_of (const char * const *argv,
          const char         *word)
{
  for (int i = 0; argv[i] != NULL; i++)
    if (g_str_equal (argv[i], word))
      return i;
  return -1;
}

static gboolean
has_prefix_word (const char * const *argv,
                 const char         *prefix)
{
  for (guint i = 0; argv[i] != NULL; i++)
    if (g_str_has_prefix (argv[i], prefix))
      return TRUE;
  return FALSE;
}

/* Parsing ------------------------------------------------------------------------------------ */

static void
test_parse_lists (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&demo, "train");

  /* Floats are written as the field writes them: Python's repr. */
  assert_values (cb_sweep_parse (field_of (form, "learning_rate"), " 1e-4, 3e-4 ,1e-3 ", NULL),
                 (const char *[]) { "0.0001", "0.0003", "0.001", NULL });
  assert_values (cb_sweep_parse (field_of (form, "learning_rate"), "1", NULL),
                 (const char *[]) { "1.0", NULL });
  /* Whole-number fields. */
  assert_values (cb_sweep_parse (field_of (form, "batch_size"), "2,4, 8", NULL),
                 (const char *[]) { "2", "4", "8", NULL });
  assert_values (cb_sweep_parse (field_of (form, "seed"), "1, 2.0", NULL),
                 (const char *[]) { "1", "2", NULL });
  /* Text: trimmed, "\," is a comma, "\\" a backslash, other backslashes stay. */
  assert_values (cb_sweep_parse (field_of (form, "exp_name"), "a\\, b , c\\\\d, e\\f", NULL),
                 (const char *[]) { "a, b", "c\\d", "e\\f", NULL });
  /* Text does not know ranges. */
  assert_values (cb_sweep_parse (field_of (form, "exp_name"), "run:1:2", NULL),
                 (const char *[]) { "run:1:2", NULL });
  /* Options: the form checks them against the list it knows. */
  assert_values (cb_sweep_parse (field_of (form, "architecture"), "dbnet, craft", NULL),
                 (const char *[]) { "dbnet", "craft", NULL });

  /* Written back and read again. */
  {
    g_autofree char *text = cb_sweep_text_from_values (hostile);

    assert_values (cb_sweep_parse (field_of (form, "exp_name"), text, NULL), hostile);
  }
}

static void
test_parse_ranges (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&demo, "train");
  const CbField *lr = field_of (form, "learning_rate");
  const CbField *batch = field_of (form, "batch_size");

  /* Float steps: STOP included, no rounding noise. */
  assert_values (cb_sweep_parse (lr, "0.1:0.3:0.1", NULL),
                 (const char *[]) { "0.1", "0.2", "0.3", NULL });
  assert_values (cb_sweep_parse (lr, "0.001:0.01:0.003", NULL),
                 (const char *[]) { "0.001", "0.004", "0.007", "0.01", NULL });
  assert_values (cb_sweep_parse (lr, "0.0001:0.0007:0.0003", NULL),
                 (const char *[]) { "0.0001", "0.0004", "0.0007", NULL });
  /* A step that does not land on STOP stops before it. */
  assert_values (cb_sweep_parse (batch, "2:9:3", NULL),
                 (const char *[]) { "2", "5", "8", NULL });
  assert_values (cb_sweep_parse (batch, "4:4:1", NULL), (const char *[]) { "4", NULL });
  /* Ranges and values mix. */
  assert_values (cb_sweep_parse (batch, "1, 2:6:2, 16", NULL),
                 (const char *[]) { "1", "2", "4", "6", "16", NULL });

  assert_refused (lr, "0.3:0.1:0.1", CB_SWEEP_ERROR_INVALID, "ends before it starts");
  assert_refused (lr, "0.1:0.3:0", CB_SWEEP_ERROR_INVALID, "greater than zero");
  assert_refused (lr, "0.1:0.3:-0.1", CB_SWEEP_ERROR_INVALID, "greater than zero");
  assert_refused (lr, "0.1:0.3", CB_SWEEP_ERROR_INVALID, "START:STOP:STEP");
  assert_refused (lr, "0.1:x:0.1", CB_SWEEP_ERROR_INVALID, "“x”");
  assert_refused (batch, "1:8:0.5", CB_SWEEP_ERROR_INVALID, "whole numbers");
  assert_refused (lr, "0:1:0.0001", CB_SWEEP_ERROR_TOO_MANY, "1000");
  assert_refused (lr, "0:1e300:1e-300", CB_SWEEP_ERROR_TOO_MANY, NULL);
}

static void
test_parse_errors (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&demo, "train");
  g_autoptr(GString) many = g_string_new ("0");

  assert_refused (field_of (form, "learning_rate"), "abc", CB_SWEEP_ERROR_INVALID, "“abc”");
  assert_refused (field_of (form, "learning_rate"), "1e-4,,1e-3", CB_SWEEP_ERROR_INVALID, "2");
  assert_refused (field_of (form, "learning_rate"), "1e-4, 1e-3,", CB_SWEEP_ERROR_INVALID, "3");
  assert_refused (field_of (form, "learning_rate"), "  ", CB_SWEEP_ERROR_INVALID, NULL);
  assert_refused (field_of (form, "learning_rate"), "0.001, 1e-3", CB_SWEEP_ERROR_INVALID,
                  "twice");
  assert_refused (field_of (form, "batch_size"), "1.5", CB_SWEEP_ERROR_INVALID, "whole");
  /* The field's own validation, named by the value. */
  assert_refused (field_of (form, "batch_size"), "4, 0", CB_SWEEP_ERROR_INVALID, "0");
  assert_refused (field_of (form, "exp_name"), "okay, a/b", CB_SWEEP_ERROR_INVALID, "a/b");
  assert_refused (field_of (form, "wandb"), "true, false", CB_SWEEP_ERROR_INVALID, NULL);
  g_assert_false (cb_sweep_field_can_sweep (field_of (form, "wandb")));

  for (guint i = 1; i <= CB_SWEEP_MAX_RUNS; i++)
    g_string_append_printf (many, ",%u", i);
  assert_refused (field_of (form, "seed"), many->str, CB_SWEEP_ERROR_TOO_MANY, NULL);
}

/* Quoting: each value, written in the choice list, reads back as itself ------------------------ */

static void
test_quoting (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&demo, "train");
  const CbField *name = field_of (form, "exp_name");
  g_autoptr(GPtrArray) quoted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CbSweepAxis) axis = NULL;
  g_autoptr(CbOverride) override = NULL;
  g_autoptr(GPtrArray) choices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; hostile[i] != NULL; i++)
    g_ptr_array_add (quoted, cb_sweep_quote_value (name, hostile[i]));
  g_ptr_array_add (quoted, NULL);
  axis = cb_sweep_axis_new ("exp_name", -1, (const char * const *) quoted->pdata);
  text = cb_sweep_axis_to_override (axis);

  /* One sweep of as many values (Hydra's grammar, as cb-override reads it). */
  override = cb_override_parse_sweep (text, &choices, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (choices->len, ==, g_strv_length ((char **) hostile));
  for (guint i = 0; hostile[i] != NULL; i++)
    {
      const CbCfg *choice = g_ptr_array_index (choices, i);
      g_autofree char *seen = cb_omegaconf_text (choice->text);

      g_assert_cmpint (choice->kind, ==, CB_CFG_SCALAR);
      g_assert_cmpstr (seen, ==, hostile[i]);
      /* "007" and "true" stay strings. */
      g_assert_true (choice->quoted);
    }

  /* A single run refuses the sweep; numbers stay bare. */
  g_clear_pointer (&override, cb_override_free);
  g_clear_error (&error);
  override = cb_override_parse (text, &error);
  g_assert_error (error, CB_OVERRIDE_ERROR, CB_OVERRIDE_ERROR_SWEEP);
  g_assert_null (override);
  {
    g_autofree char *number = cb_sweep_quote_value (field_of (form, "learning_rate"), "0.0001");
    g_autofree char *option = cb_sweep_quote_value (field_of (form, "architecture"), "dbnet");

    g_assert_cmpstr (number, ==, "0.0001");
    g_assert_cmpstr (option, ==, "dbnet");
  }
}

/* The plan: itertools.product order ----------------------------------------------------------- */

static void
test_plan_order (void)
{
  const char *launcher[] = { "python3", NULL };
  const char *base_overrides[] = { "exp_name=x", NULL };
  g_autoptr(CbCommand) base = cb_command_new (launcher, "runners/train.py", base_overrides);
  g_autoptr(CbSweepPlan) plan = cb_sweep_plan_new (base);
  const char * const expected[][2] = {
    { "a=1", "b=x" }, { "a=1", "b=y" }, { "a=1", "b=z" },
    { "a=2", "b=x" }, { "a=2", "b=y" }, { "a=2", "b=z" },
  };

  g_assert_cmpuint (plan->n_runs, ==, 1);
  cb_sweep_plan_add_axis (plan, cb_sweep_axis_new ("a", -1, (const char *[]) { "1", "2", NULL }));
  cb_sweep_plan_add_axis (plan, cb_sweep_axis_new ("b", -1,
                                                   (const char *[]) { "x", "y", "z", NULL }));
  g_assert_cmpuint (plan->n_runs, ==, 6);
  for (guint i = 0; i < plan->n_runs; i++)
    {
      g_auto(GStrv) run = cb_sweep_plan_run_overrides (plan, i);

      g_assert_cmpuint (g_strv_length (run), ==, 2);
      g_assert_cmpstr (run[0], ==, expected[i][0]);
      g_assert_cmpstr (run[1], ==, expected[i][1]);
    }
}

/* The form ------------------------------------------------------------------------------------ */

static void
test_form_multirun (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&demo, "train");
  g_autoptr(CbSweepPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  const char * const *argv;
  int script;

  g_assert_cmpuint (cb_form_get_n_runs (form), ==, 1);
  g_assert_null (cb_form_get_sweep_plan (form));
  g_assert_null (cb_form_describe_sweep (form));

  g_assert_true (cb_form_set_sweep (form, "learning_rate", "1e-4, 3e-4, 1e-3", &error));
  g_assert_no_error (error);
  g_assert_true (cb_form_is_valid (form));
  g_assert_cmpuint (cb_form_get_n_runs (form), ==, 3);
  g_assert_cmpstr (cb_form_get_sweep (form, "learning_rate"), ==, "1e-4, 3e-4, 1e-3");

  argv = cb_command_get_argv (cb_form_get_command (form));
  script = index_of (argv, "runners/train.py");
  g_assert_cmpint (script, >=, 0);
  g_assert_cmpstr (argv[script + 1], ==, "-m");
  g_assert_cmpint (index_of (argv, "model.optimizer.lr=0.0001,0.0003,0.001"), >, script);
  /* -m is a flag, not an override. */
  g_assert_cmpint (index_of (cb_command_get_overrides (cb_form_get_command (form)), "-m"), <, 0);
  /* Hydra would compose each run. */
  g_assert_null (cb_form_get_hydra_error (form));
  g_assert_nonnull (cb_form_get_composition (form));

  /* Batch size writes two overrides: one axis, the val loader follows the train loader. */
  g_assert_true (cb_form_set_sweep (form, "batch_size", "2, 4", NULL));
  g_assert_cmpuint (cb_form_get_n_runs (form), ==, 6);
  argv = cb_command_get_argv (cb_form_get_command (form));
  g_assert_cmpint (index_of (argv, "dataloaders.train_dataloader.batch_size=2,4"), >, 0);
  g_assert_cmpint (index_of (argv, "dataloaders.val_dataloader.batch_size="
                                   "${dataloaders.train_dataloader.batch_size}"), >, 0);
  g_assert_null (cb_form_get_hydra_error (form));
  described = cb_form_describe_sweep (form);
  g_assert_cmpstr (described, ==, "6 runs (Learning Rate × 3, Batch Size × 2)");

  plan = cb_form_get_sweep_plan (form);
  g_assert_nonnull (plan);
  g_assert_cmpuint (plan->n_runs, ==, 6);
  g_assert_cmpuint (plan->axes->len, ==, 2);
  g_assert_cmpint (index_of (cb_command_get_argv (plan->base), "-m"), <, 0);
  g_assert_false (has_prefix_word (cb_command_get_argv (plan->base), "model.optimizer.lr="));
  g_assert_false (has_prefix_word (cb_command_get_argv (plan->base),
                                   "dataloaders.train_dataloader.batch_size="));
  g_assert_true (has_prefix_word (cb_command_get_argv (plan->base),
                                  "dataloaders.val_dataloader.batch_size=${"));
  {
    g_auto(GStrv) run = cb_sweep_plan_run_overrides (plan, 1);

    g_assert_cmpstrv (run, ((const char *[]) { "model.optimizer.lr=0.0001",
                                               "dataloaders.train_dataloader.batch_size=4",
                                               NULL }));
  }

  /* What is typed is kept, and is the field's error. */
  g_assert_false (cb_form_set_sweep (form, "batch_size", "2, x", &error));
  g_assert_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cb_form_is_valid (form));
  g_assert_cmpstr (cb_form_get_sweep (form, "batch_size"), ==, "2, x");
  {
    int index = cb_schema_find_field (cb_form_get_schema (form), "batch_size");
    const CbFieldState *state = cb_form_get_field_state (form, index);

    g_assert_nonnull (state->error);
    g_assert_nonnull (strstr (state->error, "“x”"));
  }
  /* Fixed; then off. */
  g_assert_true (cb_form_set_sweep (form, "batch_size", "2, 4, 8", NULL));
  g_assert_true (cb_form_is_valid (form));
  g_assert_cmpuint (cb_form_get_n_runs (form), ==, 9);
  g_assert_true (cb_form_set_sweep (form, "batch_size", NULL, NULL));
  g_assert_true (cb_form_set_sweep (form, "learning_rate", "", NULL));
  g_assert_cmpuint (cb_form_get_n_runs (form), ==, 1);
  g_assert_cmpint (index_of (cb_command_get_argv (cb_form_get_command (form)), "-m"), <, 0);

  /* Options: each must be offered; Hydra composes every architecture. */
  g_assert_true (cb_form_set_sweep (form, "architecture", "dbnet, craft", NULL));
  g_assert_true (cb_form_is_valid (form));
  g_assert_cmpuint (cb_form_get_n_runs (form), ==, 2);
  g_assert_null (cb_form_get_hydra_error (form));
  g_assert_true (cb_form_set_sweep (form, "architecture", "dbnet, nosuch", NULL));
  g_assert_false (cb_form_is_valid (form));

  /* A switch does not sweep. */
  g_assert_false (cb_form_set_sweep (form, "wandb", "true, false", &error));
  g_assert_error (error, CB_SWEEP_ERROR, CB_SWEEP_ERROR_INVALID);
  g_assert_null (cb_form_get_sweep (form, "wandb"));

  /* Too many runs, from two axes within their own limits. */
  g_clear_error (&error);
  cb_form_reset (form);
  g_assert_true (cb_form_set_sweep (form, "seed", "1:40:1", NULL));
  g_assert_true (cb_form_set_sweep (form, "max_epochs", "1:30:1", NULL));
  g_assert_cmpuint (cb_form_get_n_runs (form), ==, 1200);
  g_assert_false (cb_form_is_valid (form));
}

static void
test_form_exp_name_suffix (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&demo, "train");
  const char * const *argv;

  g_assert_true (cb_form_set_sweep (form, "exp_name", "run, try", NULL));
  argv = cb_command_get_argv (cb_form_get_command (form));
  g_assert_cmpint (index_of (argv, "exp_name=run-dbnet-unet-resnet18,try-dbnet-unet-resnet18"), >, 0);
  /* No default name beside the swept one. */
  g_assert_false (has_prefix_word (argv, "exp_name=ocr_training"));
  cb_form_set_append_suffix (form, FALSE);
  argv = cb_command_get_argv (cb_form_get_command (form));
  g_assert_cmpint (index_of (argv, "exp_name=run,try"), >, 0);
}

static void
test_form_state (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&demo, "train");
  g_autoptr(CbForm) again = cb_test_demo_make_form (&demo, "train");
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) read = g_key_file_new ();

  g_assert_true (cb_form_set_sweep (form, "learning_rate", "1e-4, 1e-3", NULL));
  g_assert_false (cb_form_set_sweep (form, "seed", "1, oops", NULL));
  cb_form_save_state (form, key_file);
  data = g_key_file_to_data (key_file, NULL, NULL);
  g_assert_true (g_key_file_load_from_data (read, data, -1, G_KEY_FILE_KEEP_COMMENTS, NULL));

  cb_form_load_state (again, read);
  g_assert_cmpstr (cb_form_get_sweep (again, "learning_rate"), ==, "1e-4, 1e-3");
  /* The invalid one too: nothing typed is lost. */
  g_assert_cmpstr (cb_form_get_sweep (again, "seed"), ==, "1, oops");
  g_assert_nonnull (cb_form_get_sweep_error (again, "seed"));
  g_assert_true (cb_form_set_sweep (again, "seed", "1, 2", NULL));
  g_assert_true (cb_form_set_sweep (form, "seed", "1, 2", NULL));
  g_assert_true (cb_command_equal (cb_form_get_command (form), cb_form_get_command (again)));
  g_assert_cmpuint (cb_form_get_n_runs (again), ==, 4);
}

static void
test_load_round_trip (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&demo, "train");
  g_autoptr(CbForm) loaded = cb_test_demo_make_form (&demo, "train");
  g_autoptr(CbForm) pasted = cb_test_demo_make_form (&demo, "train");
  g_autoptr(CbParseResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hostile_text = cb_sweep_text_from_values (hostile);
  g_auto(GStrv) unplaced = NULL;
  g_auto(GStrv) values = NULL;

  cb_form_set_append_suffix (form, FALSE);
  g_assert_true (cb_form_set_sweep (form, "learning_rate", "0.1:0.3:0.1", NULL));
  g_assert_true (cb_form_set_sweep (form, "batch_size", "2, 8", NULL));
  g_assert_true (cb_form_set_sweep (form, "exp_name", hostile_text, NULL));
  g_assert_true (cb_form_is_valid (form));

  /* The argv read back. */
  g_assert_true (cb_form_load_command (loaded, cb_command_get_argv (cb_form_get_command (form)),
                                       &unplaced, &error));
  g_assert_no_error (error);
  g_assert_null (unplaced);
  g_assert_true (cb_command_equal (cb_form_get_command (form), cb_form_get_command (loaded)));
  values = cb_form_get_sweep_values (loaded, "exp_name");
  g_assert_cmpstrv (values, hostile);

  /* The text shown, pasted. */
  result = cb_command_parse_text (cb_command_get_display (cb_form_get_command (form)), NULL,
                                  demo.project, &error);
  g_assert_no_error (error);
  g_assert_true (result->multirun);
  g_assert_cmpuint (result->ignored->len, ==, 0);
  g_assert_true (cb_parse_result_load (result, pasted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->extra->len, ==, 0);
  g_assert_true (cb_command_equal (cb_form_get_command (form), cb_form_get_command (pasted)));
  g_assert_cmpuint (cb_form_get_n_runs (pasted), ==, 3 * 2 * g_strv_length ((char **) hostile));

  /* Without -m a sweep is no command the page can keep. */
  g_clear_pointer (&result, cb_parse_result_free);
  result = cb_command_parse_text ("python3 runners/train.py seed=1,2", NULL, NULL, &error);
  g_assert_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_WORD);
  g_assert_null (result);
}

/* End to end: the multirun command through the demo runner ------------------------------------ */

static char *
copy_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("cb-sweep-XXXXXX", &error);
  char *copy;
  const char *cp[] = { "cp", "-r", NULL, NULL, NULL };
  int status = -1;

  g_assert_no_error (error);
  copy = g_build_filename (tmp, "demo", NULL);
  cp[2] = demo.root;
  cp[3] = copy;
  g_assert_true (g_spawn_sync (NULL, (char **) cp, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  /* The demo's own example runs are not this test's. */
  {
    g_autofree char *outputs = g_build_filename (copy, "outputs", NULL);

    cb_test_remove_tree (outputs);
  }
  return copy;
}

/* Runs @argv in @root as the terminal pane would (argv, no shell), quickly. */
static char *
run_in (const char         *root,
        const char * const *argv)
{
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  env = g_environ_setenv (env, "CB_DEMO_FAST", "1", TRUE);
  env = g_environ_setenv (env, "NO_COLOR", "1", TRUE);
  g_assert_true (g_spawn_sync (root, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed:\n%s\n%s", argv[1], out, err);
  return out;
}

static CbNode *
run_config (const char *root,
            const char *run_dir)
{
  g_autofree char *path = g_build_filename (root, run_dir, ".hydra", "config.yaml", NULL);
  g_autoptr(GError) error = NULL;
  CbNode *node = cb_yaml_load_file (path, &error);

  g_assert_no_error (error);
  return node;
}

static guint
count_runs (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_run_three (void)
{
  g_autofree char *root = copy_demo ();
  g_autoptr(CbForm) form = cb_test_demo_make_form (&demo, "train");
  g_autofree char *out = NULL;
  g_autofree char *sweep_dir = NULL;
  const char * const lrs[] = { "0.0001", "0.0003", "0.001" };

  cb_test_demo_set (form, "exp_name", "sweep3");
  cb_test_demo_set (form, "max_epochs", "1");
  cb_form_set_append_suffix (form, FALSE);
  g_assert_true (cb_form_set_sweep (form, "learning_rate", "1e-4, 3e-4, 1e-3", NULL));
  g_assert_true (cb_form_is_valid (form));

  out = run_in (root, cb_command_get_argv (cb_form_get_command (form)));
  g_assert_nonnull (strstr (out, "[HYDRA] Launching 3 jobs locally"));

  sweep_dir = g_build_filename (root, "outputs", "multirun", "sweep3", NULL);
  g_assert_cmpuint (count_runs (sweep_dir), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *run_dir = g_strdup_printf ("outputs/multirun/sweep3/%u", i);
      g_autoptr(CbNode) config = run_config (root, run_dir);
      g_autofree char *ckpt = g_build_filename (root, run_dir, "checkpoints", "last.ckpt", NULL);

      g_assert_cmpstr (cb_node_get_scalar (cb_node_lookup_path (config, "model.optimizer.lr")),
                       ==, lrs[i]);
      g_assert_cmpstr (cb_node_get_scalar (cb_node_lookup_path (config, "exp_name")), ==,
                       "sweep3");
      g_assert_true (g_file_test (ckpt, G_FILE_TEST_IS_REGULAR));
    }

  cb_test_remove_tree (root);
}

static void
test_run_hostile (void)
{
  g_autofree char *root = copy_demo ();
  g_autoptr(CbForm) form = cb_test_demo_make_form (&demo, "train");
  g_autofree char *text = cb_sweep_text_from_values (hostile);
  g_autofree char *out = NULL;
  g_autofree char *sweep_dir = NULL;
  guint n = g_strv_length ((char **) hostile);

  cb_test_demo_set (form, "max_epochs", "1");
  cb_form_set_append_suffix (form, FALSE);
  g_assert_true (cb_form_set_sweep (form, "exp_name", text, NULL));
  g_assert_true (cb_form_is_valid (form));
  g_assert_cmpuint (cb_form_get_n_runs (form), ==, n);

  out = run_in (root, cb_command_get_argv (cb_form_get_command (form)));
  /* The sweep folder is named after the name without the sweep: the config's own. */
  sweep_dir = g_build_filename (root, "outputs", "multirun", "ocr_training_b", NULL);
  g_assert_cmpuint (count_runs (sweep_dir), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *run_dir = g_strdup_printf ("outputs/multirun/ocr_training_b/%u", i);
      g_autoptr(CbNode) config = run_config (root, run_dir);
      CbNode *name = cb_node_lookup_path (config, "exp_name");
      g_autofree char *seen = cb_omegaconf_text (cb_node_get_scalar (name));

      g_assert_cmpstr (seen, ==, hostile[i]);
    }

  cb_test_remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  cb_test_demo_open (&demo);

  g_test_add_func ("/sweep/parse/lists", test_parse_lists);
  g_test_add_func ("/sweep/parse/ranges", test_parse_ranges);
  g_test_add_func ("/sweep/parse/errors", test_parse_errors);
  g_test_add_func ("/sweep/quoting", test_quoting);
  g_test_add_func ("/sweep/plan/order", test_plan_order);
  g_test_add_func ("/sweep/form/multirun", test_form_multirun);
  g_test_add_func ("/sweep/form/exp-name-suffix", test_form_exp_name_suffix);
  g_test_add_func ("/sweep/form/state", test_form_state);
  g_test_add_func ("/sweep/form/load-round-trip", test_load_round_trip);
  g_test_add_func ("/sweep/run/three", test_run_three);
  g_test_add_func ("/sweep/run/hostile", test_run_hostile);

  status = g_test_run ();
  cb_test_demo_close (&demo);
  return status;
}
