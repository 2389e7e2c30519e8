/* test-form-diff.c: rows marked as changed, and the field-by-field difference between a
 * page and its defaults, a command from the run history or a run folder's overrides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-form-diff.h"
#include "cb/cb-run-overrides.h"
#include "cb-test-demo.h"

static CbTestDemo env;

#define HOSTILE "it's a \"quoted\" run — 실험 $HOME `x` \\ ; |"

static void
set (CbForm     *form,
     const char *key,
     const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_form_set_value_from_string (form, key, text, &error));
  g_assert_no_error (error);
}

static const CbFieldState *
state_of (CbForm     *form,
          const char *key)
{
  int index = cb_schema_find_field (cb_form_get_schema (form), key);

  g_assert_cmpint (index, >=, 0);
  return cb_form_get_field_state (form, (guint) index);
}

static const CbChange *
find_change (GPtrArray  *changes,
             const char *key)
{
  for (guint i = 0; i < changes->len; i++)
    {
      const CbChange *change = g_ptr_array_index (changes, i);

      if (g_str_equal (change->key, key))
        return change;
    }
  return NULL;
}

static void
assert_change (GPtrArray    *changes,
               const char   *key,
               CbChangeKind  kind,
               const char   *old_text,
               const char   *new_text)
{
  const CbChange *change = find_change (changes, key);

  g_assert_nonnull (change);
  g_assert_cmpint (change->kind, ==, kind);
  g_assert_cmpstr (change->old_text, ==, old_text);
  g_assert_cmpstr (change->new_text, ==, new_text);
}

/* The first option of @key that is not its current value. */
static const char *
other_option (CbForm     *form,
              const char *key)
{
  const CbFieldState *state = state_of (form, key);
  const char *now = g_variant_get_string (state->value, NULL);

  for (guint i = 0; i < state->n_options; i++)
    if (!g_str_equal (state->options[i], now))
      return state->options[i];
  g_assert_not_reached ();
  return NULL;
}

static void
test_defaults_unchanged (void)
{
  const char *pages[] = { "train", "test", "predict" };

  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_autoptr(CbForm) form = cb_test_demo_make_form (&env, pages[p]);
      g_autoptr(GPtrArray) changes = cb_form_diff_defaults (form);
      CbSchema *schema = cb_form_get_schema (form);

      g_assert_cmpuint (changes->len, ==, 0);
      g_assert_cmpuint (cb_form_count_changed (form), ==, 0);
      for (guint i = 0; i < cb_schema_get_n_fields (schema); i++)
        g_assert_false (cb_form_get_field_state (form, i)->changed);
    }
}

/* Every field kind: text, checkbox, selectbox, slider, number. */
static void
test_every_kind (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&env, "train");
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *optimizer = g_strdup (other_option (form, "optimizer"));

  set (form, "exp_name", HOSTILE);
  set (form, "wandb", "true");
  set (form, "optimizer", optimizer);
  set (form, "batch_size", "8");
  set (form, "seed", "7");

  g_assert_true (state_of (form, "exp_name")->changed);
  g_assert_true (state_of (form, "wandb")->changed);
  g_assert_true (state_of (form, "optimizer")->changed);
  g_assert_true (state_of (form, "batch_size")->changed);
  g_assert_true (state_of (form, "seed")->changed);
  g_assert_false (state_of (form, "max_epochs")->changed);
  g_assert_cmpuint (cb_form_count_changed (form), ==, 5);

  changes = cb_form_diff_defaults (form);
  g_assert_cmpuint (changes->len, ==, 5);
  assert_change (changes, "exp_name", CB_CHANGE_CHANGED, "ocr_training", HOSTILE);
  assert_change (changes, "wandb", CB_CHANGE_CHANGED, "false", "true");
  assert_change (changes, "optimizer", CB_CHANGE_CHANGED, "adam", optimizer);
  assert_change (changes, "batch_size", CB_CHANGE_CHANGED, "4", "8");
  assert_change (changes, "seed", CB_CHANGE_CHANGED, "42", "7");
  g_assert_cmpstr (find_change (changes, "batch_size")->label, ==, "Batch Size");
  /* Schema order. */
  g_assert_cmpstr (((CbChange *) g_ptr_array_index (changes, 0))->key, ==, "exp_name");

  /* A choice is shown with its label. */
  set (form, "preprocessing_profile", "lens_style");
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = cb_form_diff_defaults (form);
  assert_change (changes, "preprocessing_profile", CB_CHANGE_CHANGED,
                 "None (standard transforms)", "Lens-style (balanced)");
  cb_form_unset_value (form, "preprocessing_profile");

  /* Set back to the default value by hand: no longer marked, though the user set it. */
  set (form, "batch_size", "4");
  set (form, "seed", "42.0");
  g_assert_true (state_of (form, "batch_size")->user_set);
  g_assert_false (state_of (form, "batch_size")->changed);
  g_assert_false (state_of (form, "seed")->changed);
  g_assert_cmpuint (cb_form_count_changed (form), ==, 3);

  /* Half-typed number: still changed, and the diff shows the text. */
  cb_form_set_value (form, "max_epochs", g_variant_new_string ("1e"));
  g_assert_true (state_of (form, "max_epochs")->changed);
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = cb_form_diff_defaults (form);
  assert_change (changes, "max_epochs", CB_CHANGE_CHANGED, "10", "1e");

  cb_form_reset (form);
  g_assert_cmpuint (cb_form_count_changed (form), ==, 0);
}

/* A hidden field is neither marked nor listed, whatever value it keeps. */
static void
test_hidden (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&env, "train");
  g_autoptr(GPtrArray) changes = NULL;

  set (form, "resume_training", "true");
  cb_form_set_value (form, "checkpoint_path",
                     g_variant_new_string ("outputs/x/checkpoints/last.ckpt"));
  g_assert_true (state_of (form, "checkpoint_path")->changed);
  g_assert_cmpuint (cb_form_count_changed (form), ==, 2);

  set (form, "resume_training", "false");
  g_assert_false (state_of (form, "checkpoint_path")->visible);
  g_assert_false (state_of (form, "checkpoint_path")->changed);
  changes = cb_form_diff_defaults (form);
  g_assert_cmpuint (changes->len, ==, 0);
}

/* The default of the learning rate follows the architecture: a value is changed against
 * the default of the architecture chosen now. */
static void
test_architecture_defaults (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&env, "train");
  g_autoptr(GPtrArray) changes = NULL;

  set (form, "architecture", "craft");
  g_assert_true (state_of (form, "architecture")->changed);
  g_assert_false (state_of (form, "learning_rate")->changed);
  g_assert_cmpfloat (g_variant_get_double (state_of (form, "learning_rate")->reset_value), ==,
                     0.0005);

  set (form, "learning_rate", "0.0005");
  g_assert_false (state_of (form, "learning_rate")->changed);

  set (form, "learning_rate", "0.001");
  g_assert_true (state_of (form, "learning_rate")->changed);
  changes = cb_form_diff_defaults (form);
  assert_change (changes, "architecture", CB_CHANGE_CHANGED, "dbnet", "craft");
  g_assert_cmpstr (find_change (changes, "learning_rate")->old_text, !=,
                   find_change (changes, "learning_rate")->new_text);

  /* Back to dbnet, whose default is 0.001: the same value is no longer a change. */
  set (form, "architecture", "dbnet");
  g_assert_false (state_of (form, "learning_rate")->changed);
}

static void
test_extra_overrides (void)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&env, "train");
  g_autoptr(CbForm) other = cb_test_demo_make_form (&env, "train");
  g_autoptr(GPtrArray) changes = NULL;
  const char *extra[] = { "trainer.limit_val_batches=0.25", "+trainer.fast_dev_run=true",
                          "++note='" HOSTILE "'", NULL };
  const char *before[] = { "trainer.limit_val_batches=0.5", "~callbacks.early_stop", NULL };

  cb_form_set_extra_overrides (form, extra);
  g_assert_cmpuint (cb_form_count_changed (form), ==, 0);
  changes = cb_form_diff_defaults (form);
  g_assert_cmpuint (changes->len, ==, 3);
  assert_change (changes, "trainer.limit_val_batches", CB_CHANGE_ADDED, NULL,
                 "trainer.limit_val_batches=0.25");
  assert_change (changes, "trainer.fast_dev_run", CB_CHANGE_ADDED, NULL,
                 "+trainer.fast_dev_run=true");
  assert_change (changes, "note", CB_CHANGE_ADDED, NULL, "++note='" HOSTILE "'");
  g_assert_true (find_change (changes, "note")->extra);

  cb_form_set_extra_overrides (other, before);
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = cb_form_diff (form, other);
  g_assert_cmpuint (changes->len, ==, 4);
  assert_change (changes, "trainer.limit_val_batches", CB_CHANGE_CHANGED,
                 "trainer.limit_val_batches=0.5", "trainer.limit_val_batches=0.25");
  assert_change (changes, "trainer.fast_dev_run", CB_CHANGE_ADDED, NULL,
                 "+trainer.fast_dev_run=true");
  assert_change (changes, "~callbacks.early_stop", CB_CHANGE_REMOVED,
                 "~callbacks.early_stop", NULL);
}

/* A run history entry keeps the argv: loaded as the baseline, it lists what differs. */
static void
test_history_baseline (void)
{
  g_autoptr(CbForm) ran = cb_test_demo_make_form (&env, "train");
  g_autoptr(CbForm) form = cb_test_demo_make_form (&env, "train");
  g_autoptr(CbForm) baseline = NULL;
  g_autoptr(CbForm) same = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  const char *extra[] = { "trainer.limit_val_batches=0.25", NULL };
  const char *bad[] = { "uv", "run", "python", "runners/test.py", NULL };

  set (ran, "exp_name", HOSTILE);
  set (ran, "batch_size", "16");
  set (ran, "resume_training", "true");
  cb_form_set_value (ran, "checkpoint_path",
                     g_variant_new_string ("outputs/run a/checkpoints/époque=3.ckpt"));
  cb_form_set_extra_overrides (ran, extra);
  cb_form_set_append_suffix (ran, FALSE);

  /* The same command as its own baseline: nothing differs. */
  same = cb_form_new_baseline (form, cb_command_get_argv (cb_form_get_command (ran)), &error);
  g_assert_no_error (error);
  changes = cb_form_diff (ran, same);
  g_assert_cmpuint (changes->len, ==, 0);
  g_clear_pointer (&changes, g_ptr_array_unref);

  baseline = cb_form_new_baseline (form, cb_command_get_argv (cb_form_get_command (ran)), &error);
  g_assert_no_error (error);
  g_assert_nonnull (baseline);

  set (form, "batch_size", "32");
  set (form, "wandb", "true");
  changes = cb_form_diff (form, baseline);
  assert_change (changes, "exp_name", CB_CHANGE_CHANGED, HOSTILE, "ocr_training");
  assert_change (changes, "batch_size", CB_CHANGE_CHANGED, "16", "32");
  assert_change (changes, "wandb", CB_CHANGE_CHANGED, "false", "true");
  assert_change (changes, "resume_training", CB_CHANGE_CHANGED, "true", "false");
  assert_change (changes, "checkpoint_path", CB_CHANGE_REMOVED,
                 "outputs/run a/checkpoints/époque=3.ckpt", NULL);
  assert_change (changes, "trainer.limit_val_batches", CB_CHANGE_REMOVED,
                 "trainer.limit_val_batches=0.25", NULL);
  assert_change (changes, "append-suffix", CB_CHANGE_CHANGED, "Off", "On");
  g_assert_null (find_change (changes, "max_epochs"));
  g_assert_cmpuint (changes->len, ==, 7);

  /* And the other way round: what the page lacks comes back as added. */
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = cb_form_diff (baseline, form);
  assert_change (changes, "checkpoint_path", CB_CHANGE_ADDED, NULL,
                 "outputs/run a/checkpoints/époque=3.ckpt");

  /* Another page's command is no baseline of this page. */
  g_clear_object (&baseline);
  g_clear_error (&error);
  baseline = cb_form_new_baseline (form, bad, &error);
  g_assert_null (baseline);
  g_assert_nonnull (error);
}

static CbRunFolder *
run_folder_new (const char *run_dir,
                const char *title,
                gint64      mtime)
{
  CbRunFolder *folder = g_new0 (CbRunFolder, 1);

  folder->run_dir = g_strdup (run_dir);
  folder->title = g_strdup (title);
  folder->mtime = mtime;
  return folder;
}

/* The scanner's runs, one per run folder, newest first, with the page their hydra.yaml
 * names; one of them, its overrides.yaml loaded as the baseline, lists what differs. */
static void
test_run_baseline (void)
{
  g_autofree char *outputs = cb_project_get_path (env.project, env.project->outputs_dir);
  g_autofree char *demo_training = g_build_filename (outputs, "demo_training", NULL);
  g_autofree char *nested = g_build_filename (demo_training, "checkpoints", NULL);
  g_autofree char *prediction = g_build_filename (outputs, "ocr_prediction", NULL);
  g_autofree char *nowhere = g_build_filename (outputs, "no-such-run", NULL);
  g_autoptr(GPtrArray) collected = NULL;
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_run_folder_free);
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(CbRunSettings) settings = NULL;
  g_autoptr(CbForm) form = cb_test_demo_make_form (&env, "train");
  g_autoptr(CbForm) baseline = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  collected = cb_run_folders_collect (cb_checkpoint_scanner_get_model (env.scanner), outputs);
  g_assert_cmpuint (collected->len, ==, 3);
  for (guint i = 0; i < collected->len; i++)
    {
      const CbRunFolder *folder = g_ptr_array_index (collected, i);

      g_assert_null (folder->page);
      if (i > 0)
        g_assert_cmpint (folder->mtime, <=,
                         ((const CbRunFolder *) g_ptr_array_index (collected, i - 1))->mtime);
      if (g_str_equal (folder->run_dir, demo_training))
        g_assert_cmpstr (folder->title, ==, "demo_training");
    }
  resolved = cb_run_folders_resolve (collected, "train");
  g_assert_cmpuint (resolved->len, ==, 3);
  for (guint i = 0; i < resolved->len; i++)
    g_assert_cmpstr (((const CbRunFolder *) g_ptr_array_index (resolved, i))->page, ==,
                     "train");
  g_clear_pointer (&resolved, g_ptr_array_unref);

  /* A folder inside a run is that run (kept once, the newest); no run folder, no entry;
   * hydra.yaml's job name wins over the fallback. */
  g_ptr_array_add (folders, run_folder_new (nested, "newer", 30));
  g_ptr_array_add (folders, run_folder_new (nowhere, "nowhere", 20));
  g_ptr_array_add (folders, run_folder_new (demo_training, "older", 10));
  g_ptr_array_add (folders, run_folder_new (prediction, "ocr_prediction", 5));
  resolved = cb_run_folders_resolve (folders, "train");
  g_assert_cmpuint (resolved->len, ==, 2);
  g_assert_cmpstr (((CbRunFolder *) resolved->pdata[0])->run_dir, ==, demo_training);
  g_assert_cmpstr (((CbRunFolder *) resolved->pdata[0])->title, ==, "newer");
  g_assert_cmpstr (((CbRunFolder *) resolved->pdata[0])->page, ==, "train");
  g_assert_cmpstr (((CbRunFolder *) resolved->pdata[1])->page, ==, "predict");

  /* Its overrides as the page's command: the runner script, then each override. */
  settings = cb_run_settings_read (demo_training, "train", env.root, &error);
  g_assert_no_error (error);
  argv = cb_run_settings_dup_argv (settings);
  g_assert_cmpstr (argv[0], ==, "train.py");
  g_assert_cmpstr (argv[1], ==, "exp_name=demo_training");
  g_assert_cmpuint (g_strv_length (argv), ==, 1 + g_strv_length (settings->overrides));
  baseline = cb_form_new_baseline (form, (const char * const *) argv, &error);
  g_assert_no_error (error);
  set (form, "batch_size", "16");
  changes = cb_form_diff (form, baseline);
  assert_change (changes, "exp_name", CB_CHANGE_CHANGED, "demo_training", "ocr_training");
  assert_change (changes, "max_epochs", CB_CHANGE_CHANGED, "20", "10");
  assert_change (changes, "trainer.limit_train_batches", CB_CHANGE_REMOVED,
                 "+trainer.limit_train_batches=50", NULL);
  g_assert_null (find_change (changes, "batch_size"));
  g_assert_cmpuint (changes->len, ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cb_test_demo_open (&env);

  g_test_add_func ("/form-diff/defaults-unchanged", test_defaults_unchanged);
  g_test_add_func ("/form-diff/every-kind", test_every_kind);
  g_test_add_func ("/form-diff/hidden", test_hidden);
  g_test_add_func ("/form-diff/architecture-defaults", test_architecture_defaults);
  g_test_add_func ("/form-diff/extra-overrides", test_extra_overrides);
  g_test_add_func ("/form-diff/history-baseline", test_history_baseline);
  g_test_add_func ("/form-diff/run-baseline", test_run_baseline);

  status = g_test_run ();
  cb_test_demo_close (&env);
  return status;
}
