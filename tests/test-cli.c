/* test-cli.c: tests for the headless sub-commands of the command-builder binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs the program named by $CB_BINARY (set by tests/meson.build to the built binary) and
 * checks its output and exit status: 0 success, 1 broken input, 2 invalid values or usage.
 * The expected commands are the reference's default Train command (section 4.1 of
 * shared/reference/original-command-builder.md) with the demo project's python3 launcher. */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-quote.h"
#include "cb-test-hostile.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char * const train_overrides[] = {
  "exp_name=ocr_training-dbnet-unet-resnet18",
  "logger.wandb.enabled=false",
  "model/architectures=dbnet",
  "model.encoder.model_name=resnet18",
  "model.component_overrides.decoder.name=unet",
  "model.component_overrides.head.name=db_head",
  "model.component_overrides.loss.name=db_loss",
  "model/optimizers=adam",
  "model.optimizer.lr=0.001",
  "model.optimizer.weight_decay=0.0001",
  "dataloaders.train_dataloader.batch_size=4",
  "dataloaders.val_dataloader.batch_size=4",
  "trainer.max_epochs=10",
  "trainer.accumulate_grad_batches=1",
  "trainer.gradient_clip_val=5.0",
  "trainer.precision=32",
  "seed=42",
  "data=default",
  NULL
};

static const char *
binary (void)
{
  const char *path = g_getenv ("CB_BINARY");

  if (path == NULL || *path == '\0')
    {
      g_test_skip ("CB_BINARY is not set (the binary is not built)");
      return NULL;
    }
  return path;
}

static char *
demo_root (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo-project", NULL);
}

/* Runs the binary with the NULL-terminated arguments that follow. */
static void
run (Result     *result,
     const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;
  va_list args;

  g_ptr_array_add (argv, (gpointer) binary ());
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  result->status = WEXITSTATUS (wait_status);
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* print ------------------------------------------------------------------------------------- */

static void
test_print_train (void)
{
  g_autofree char *root = demo_root ();
  g_auto(Result) result = { 0 };
  g_autofree char *overrides = NULL;
  g_autofree char *expected = NULL;

  if (binary () == NULL)
    return;

  run (&result, "--project", root, "print", "train", NULL);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);

  overrides = g_strjoinv (" ", (char **) train_overrides);
  expected = g_strdup_printf ("python3 runners/train.py %s\n", overrides);
  g_assert_cmpstr (result.out, ==, expected);
}

static void
test_print_argv (void)
{
  g_autofree char *root = demo_root ();
  g_auto(Result) result = { 0 };
  g_auto(Result) spaced = { 0 };
  g_autoptr(GString) expected = g_string_new ("python3\nrunners/train.py\n");

  if (binary () == NULL)
    return;

  run (&result, "--project", root, "print", "train", "--argv", NULL);
  g_assert_cmpint (result.status, ==, 0);
  for (guint i = 0; train_overrides[i] != NULL; i++)
    g_string_append_printf (expected, "%s\n", train_overrides[i]);
  g_assert_cmpstr (result.out, ==, expected->str);

  /* One element per line, exactly as it reaches the program: Hydra quotes, no shell ones. */
  run (&spaced, "--project", root, "print", "train", "--argv", "exp_name=my run",
       "batch_size=8", NULL);
  g_assert_cmpint (spaced.status, ==, 0);
  g_assert_true (strstr (spaced.out, "\nexp_name=\"my run-dbnet-unet-resnet18\"\n") != NULL);
  g_assert_true (strstr (spaced.out, "\ndataloaders.val_dataloader.batch_size=8\n") != NULL);
}

static void
test_print_values (void)
{
  g_autofree char *root = demo_root ();
  g_auto(Result) result = { 0 };
  g_auto(Result) multiline = { 0 };

  if (binary () == NULL)
    return;

  run (&result, "--project", root, "print", "train", "exp_name=my run", "architecture=craft",
       NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "python3 runners/train.py "
                                   "'exp_name=\"my run-craft-craft_decoder-resnet18\"' "
                                   "logger.wandb.enabled=false model/architectures=craft "));
  g_assert_true (g_str_has_suffix (result.out, " data=craft\n"));

  run (&multiline, "--project", root, "print", "test", "--multiline",
       "checkpoint_path=outputs/3/checkpoints/last.ckpt", NULL);
  g_assert_cmpint (multiline.status, ==, 0);
  g_assert_true (g_str_has_prefix (multiline.out, "python3 runners/test.py \\\n"
                                   "  exp_name=ocr_testing \\\n  checkpoint_path="));

  /* --script: the same command after a shebang, set -e and a cd to the project. */
  {
    g_auto(Result) script = { 0 };

    run (&script, "--project", root, "print", "test", "--script",
         "checkpoint_path=outputs/3/checkpoints/last.ckpt", NULL);
    g_assert_cmpint (script.status, ==, 0);
    g_assert_true (g_str_has_prefix (script.out, "#!/usr/bin/env bash\n"));
    g_assert_nonnull (strstr (script.out, "\nset -e\ncd -- "));
    g_assert_true (g_str_has_suffix (script.out, multiline.out));
  }
}

static void
test_print_invalid (void)
{
  g_autofree char *root = demo_root ();
  g_auto(Result) short_name = { 0 };
  g_auto(Result) bad_choice = { 0 };
  g_auto(Result) bad_page = { 0 };
  g_auto(Result) bad_number = { 0 };
  g_auto(Result) not_pair = { 0 };
  g_auto(Result) no_page = { 0 };

  if (binary () == NULL)
    return;

  run (&short_name, "--project", root, "print", "train", "exp_name=ab", NULL);
  g_assert_cmpint (short_name.status, ==, 2);
  g_assert_cmpstr (short_name.out, ==, "");
  g_assert_true (strstr (short_name.err,
                         "'Experiment Name' must be at least 3 characters long.") != NULL);

  run (&bad_choice, "--project", root, "print", "train", "encoder=nonexistent", NULL);
  g_assert_cmpint (bad_choice.status, ==, 2);
  g_assert_cmpstr (bad_choice.out, ==, "");
  g_assert_true (strstr (bad_choice.err, "nonexistent") != NULL);
  g_assert_true (strstr (bad_choice.err, "resnet18, resnet34, resnet50, mobilenetv3_small_050, "
                                         "efficientnet_b0") != NULL);

  run (&bad_page, "--project", root, "print", "nosuchpage", NULL);
  g_assert_cmpint (bad_page.status, ==, 2);
  g_assert_cmpstr (bad_page.out, ==, "");
  g_assert_true (strstr (bad_page.err, "nosuchpage") != NULL);

  {
    g_auto(Result) typo = { 0 };

    /* A misspelt command must not open the window. */
    run (&typo, "--project", root, "frobnicate", NULL);
    g_assert_cmpint (typo.status, ==, 2);
    g_assert_true (strstr (typo.err, "unknown command 'frobnicate'") != NULL);
  }

  run (&bad_number, "--project", root, "print", "train", "batch_size=lots", NULL);
  g_assert_cmpint (bad_number.status, ==, 2);
  g_assert_cmpstr (bad_number.out, ==, "");

  run (&not_pair, "--project", root, "print", "train", "exp_name", NULL);
  g_assert_cmpint (not_pair.status, ==, 2);

  run (&no_page, "--project", root, "print", NULL);
  g_assert_cmpint (no_page.status, ==, 2);
  g_assert_cmpstr (no_page.out, ==, "");
}

/* check ------------------------------------------------------------------------------------- */

static void
test_check_demo (void)
{
  g_autofree char *root = demo_root ();
  g_auto(Result) result = { 0 };

  if (binary () == NULL)
    return;

  run (&result, "--project", root, "check", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
}

static void
test_check_broken_schema (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *schemas = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *location = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) result = { 0 };
  g_auto(Result) print = { 0 };

  if (binary () == NULL)
    return;

  tmp = hostile_copy_demo (&project);
  schemas = g_build_filename (tmp, "schemas", NULL);
  g_assert_cmpint (g_mkdir (schemas, 0755), ==, 0);
  broken = g_build_filename (schemas, "train.yaml", NULL);
  /* The second ':' of line 3 (column 11) is not allowed there. */
  g_file_set_contents (broken, "title: Broken\nui_elements:\n  - key: a: b\n", -1, &error);
  g_assert_no_error (error);
  location = g_strdup_printf ("%s:3:11:", broken);

  run (&result, "--project", project, "--schemas", schemas, "check", NULL);
  g_assert_cmpint (result.status, ==, 1);
  if (strstr (result.err, location) == NULL)
    g_error ("no %s in:\n%s", location, result.err);

  /* print stops on the same schema, as broken input. */
  run (&print, "--project", project, "--schemas", schemas, "print", "train", NULL);
  g_assert_cmpint (print.status, ==, 1);
  g_assert_cmpstr (print.out, ==, "");
  g_assert_true (strstr (print.err, location) != NULL);

  remove_tree (tmp);
}

/* list-options and list-checkpoints -------------------------------------------------------- */

static void
test_list_options (void)
{
  g_autofree char *root = demo_root ();
  g_auto(Result) decoders = { 0 };
  g_auto(Result) all = { 0 };
  g_auto(Result) unknown = { 0 };

  if (binary () == NULL)
    return;

  run (&decoders, "--project", root, "list-options", "models.decoders", NULL);
  g_assert_cmpint (decoders.status, ==, 0);
  g_assert_cmpstr (decoders.out, ==,
                   "models.decoders\tcraft_decoder\n"
                   "models.decoders\tdbpp_decoder\n"
                   "models.decoders\tfpn\n"
                   "models.decoders\tpan\n"
                   "models.decoders\tunet\n"
                   "models.decoders\tdbnetpp_decoder\n"
                   "models.decoders\tfpn_decoder\n"
                   "models.decoders\tpan_decoder\n");

  run (&all, "--project", root, "list-options", NULL);
  g_assert_cmpint (all.status, ==, 0);
  g_assert_true (strstr (all.out, "models.architectures\tcraft\nmodels.architectures\tdbnet\n"
                                  "models.architectures\tdbnetpp\n") != NULL);
  g_assert_true (strstr (all.out, "datasets\tpreprocessing\n") != NULL);
  g_assert_true (strstr (all.out, "datasets\tfast\n") == NULL);

  run (&unknown, "--project", root, "list-options", "models.nothing", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
}

static int
compare_desc (gconstpointer a,
              gconstpointer b)
{
  return -g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_asc (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
test_list_checkpoints (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *outputs = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(Result) result = { 0 };
  const char *name;
  time_t mtime = 1700000000;
  gboolean legacy_seen = FALSE;

  if (binary () == NULL)
    return;

  tmp = hostile_copy_demo (&project);
  outputs = g_build_filename (project, "outputs", NULL);

  /* The order the test wants: runs in reverse name order, the files of each run in name
   * order; neither is what sorting by name would give. Each file gets an older time than
   * the one before it, so newest first is this order. */
  dir = g_dir_open (outputs, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (runs, g_strdup (name));
  g_ptr_array_sort (runs, compare_desc);

  for (guint i = 0; i < runs->len; i++)
    {
      const char *run_name = g_ptr_array_index (runs, i);
      g_autofree char *ckpt_dir = g_build_filename (outputs, run_name, "checkpoints", NULL);
      g_autoptr(GDir) ckpts = g_dir_open (ckpt_dir, 0, NULL);
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

      while (ckpts != NULL && (name = g_dir_read_name (ckpts)) != NULL)
        if (g_str_has_suffix (name, ".ckpt"))
          g_ptr_array_add (files, g_strdup (name));
      g_ptr_array_sort (files, compare_asc);

      for (guint k = 0; k < files->len; k++)
        {
          const char *file = g_ptr_array_index (files, k);
          g_autofree char *path = g_build_filename (ckpt_dir, file, NULL);
          struct timespec times[2] = { { mtime, 0 }, { mtime, 0 } };

          g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
          mtime -= 100;
          g_ptr_array_add (expected, g_strdup_printf ("outputs/%s/checkpoints/%s", run_name, file));
          legacy_seen |= g_str_equal (file, "epoch=19-step=1000.ckpt");
        }
    }

  /* The demo has example runs, including the legacy Lightning names. */
  g_assert_cmpuint (expected->len, >=, 3);
  g_assert_true (legacy_seen);

  run (&result, "--project", project, "list-checkpoints", NULL);
  g_assert_cmpint (result.status, ==, 0);

  /* One line per checkpoint, the relative path first. */
  lines = g_strsplit (result.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, expected->len + 1);
  g_assert_cmpstr (lines[expected->len], ==, "");
  for (guint i = 0; i < expected->len; i++)
    {
      g_autofree char *prefix = g_strconcat (g_ptr_array_index (expected, i), "\t", NULL);

      if (!g_str_has_prefix (lines[i], prefix))
        g_error ("line %u is <%s>, expected %s first", i, lines[i],
                 (const char *) g_ptr_array_index (expected, i));
    }

  remove_tree (tmp);
}

/* list-checkpoints as it was written before it was made fast: a GDateTime per line, the
 * facts through printf. The output must not have changed by a byte. */
static char *
expected_checkpoint_list (const char *project)
{
  g_autoptr(CbCheckpointScanner) scanner = cb_checkpoint_scanner_new (project, "outputs");
  g_autoptr(GString) out = g_string_new (NULL);
  GListModel *model;

  g_assert_true (cb_checkpoint_scanner_scan_sync (scanner, NULL, NULL));
  model = cb_checkpoint_scanner_get_model (scanner);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CbCheckpoint) item = g_list_model_get_item (model, i);
      const CbCheckpointName *name = cb_checkpoint_get_name_info (item);
      const CbRunInfo *run = cb_checkpoint_get_run_info (item);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (cb_checkpoint_get_mtime (item));
      g_autofree char *stamp = g_date_time_format_iso8601 (when);
      static const char * const kinds[] = { "other", "last", "best", "epoch" };
      const char *facts[7] = { NULL };
      static const char * const fact_names[7] = {
        "exp_name", "architecture", "encoder", "decoder", "head", "loss", "preprocessing_profile"
      };

      g_string_append (out, cb_checkpoint_get_path (item));
      if (*cb_checkpoint_get_run (item) != '\0')
        g_string_append_printf (out, "\trun=%s", cb_checkpoint_get_run (item));
      g_string_append_printf (out, "\tkind=%s", kinds[name->kind]);
      if (name->epoch >= 0)
        g_string_append_printf (out, "\tepoch=%" G_GINT64_FORMAT, name->epoch);
      if (name->step >= 0)
        g_string_append_printf (out, "\tstep=%" G_GINT64_FORMAT, name->step);
      if (name->metric_name != NULL)
        {
          g_autofree char *value = cb_format_number_repr (name->metric_value);

          g_string_append_printf (out, "\t%s=%s", name->metric_name, value);
        }
      g_string_append_printf (out, "\tsize=%" G_GINT64_FORMAT "\tmodified=%s",
                              cb_checkpoint_get_size (item), stamp);
      if (run != NULL)
        {
          facts[0] = run->exp_name;
          facts[1] = run->architecture;
          facts[2] = run->encoder;
          facts[3] = run->decoder;
          facts[4] = run->head;
          facts[5] = run->loss;
          facts[6] = run->preprocessing_profile;
        }
      for (guint k = 0; k < G_N_ELEMENTS (facts); k++)
        if (facts[k] != NULL && *facts[k] != '\0')
          g_string_append_printf (out, "\t%s=%s", fact_names[k], facts[k]);
      g_string_append_c (out, '\n');
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Every byte as before, in time zones with odd offsets, across summer-time changes, before
 * 1970 and at the end of 32-bit time; sizes too. */
static void
test_list_checkpoints_exact (void)
{
  static const gint64 times[] = {
    1700000000, 0, -1, -86399, 1, 1679792399, 1679792400, 1698541199, 1698541200,
    1711846800, 951782400, 2147483647, 1262304000,
  };
  static const char * const zones[] = {
    "UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham",
    "Asia/Kathmandu", "America/Los_Angeles", "EST5EDT", "<+0330>-3:30",
  };
  g_autofree char *project = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *run_dir = NULL;
  g_autofree char *saved_tz = g_strdup (g_getenv ("TZ"));

  if (binary () == NULL)
    return;

  tmp = hostile_copy_demo (&project);
  run_dir = g_build_filename (project, "outputs", "zones", "checkpoints", NULL);
  g_assert_cmpint (g_mkdir_with_parents (run_dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *base = g_strdup_printf ("epoch-%02u_step-%06u.ckpt", i, i * 7);
      g_autofree char *path = g_build_filename (run_dir, base, NULL);
      g_autofree char *contents = g_strnfill (i * 3, 'x');
      struct timespec when[2] = { { (time_t) times[i], 0 }, { (time_t) times[i], 0 } };

      g_assert_true (g_file_set_contents (path, contents, -1, NULL));
      /* A file system that cannot hold a time keeps another one: both sides read it back. */
      utimensat (AT_FDCWD, path, when, 0);
    }

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      g_auto(Result) result = { 0 };
      g_autofree char *expected = NULL;
      g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "TZ", zones[z], TRUE);
      const char *argv[] = { binary (), "--project", project, "list-checkpoints", NULL };
      g_autoptr(GError) error = NULL;
      int wait_status = 0;

      g_setenv ("TZ", zones[z], TRUE);
      expected = expected_checkpoint_list (project);
      g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                    &result.out, &result.err, &wait_status, &error);
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
      g_test_message ("TZ=%s", zones[z]);
      g_assert_cmpstr (result.out, ==, expected);
    }

  if (saved_tz != NULL)
    g_setenv ("TZ", saved_tz, TRUE);
  else
    g_unsetenv ("TZ");
  remove_tree (tmp);
}

/* The CLI never exits 0 having changed a value it was given. */
static void
test_print_exact (void)
{
  g_autofree char *root = demo_root ();
  g_auto(Result) epochs = { 0 };
  g_auto(Result) zero = { 0 };
  g_auto(Result) big = { 0 };
  g_auto(Result) rate = { 0 };
  g_auto(Result) arch = { 0 };

  if (binary () == NULL)
    return;

  run (&epochs, "--project", root, "print", "train", "--argv", "max_epochs=201", NULL);
  g_assert_cmpint (epochs.status, ==, 0);
  g_assert_nonnull (strstr (epochs.out, "\ntrainer.max_epochs=201\n"));
  g_assert_nonnull (strstr (epochs.err, "warning: Max Epochs: Above 200"));

  run (&zero, "--project", root, "print", "train", "batch_size=0", NULL);
  g_assert_cmpint (zero.status, ==, 2);
  g_assert_cmpstr (zero.out, ==, "");
  g_assert_nonnull (strstr (zero.err, "'Batch Size' must be >= 1."));

  run (&big, "--project", root, "print", "train", "--argv", "batch_size=65", NULL);
  g_assert_cmpint (big.status, ==, 0);
  g_assert_nonnull (strstr (big.out, "\ndataloaders.train_dataloader.batch_size=65\n"));

  run (&rate, "--project", root, "print", "train", "--argv", "learning_rate=0.02", NULL);
  g_assert_cmpint (rate.status, ==, 0);
  g_assert_nonnull (strstr (rate.out, "\nmodel.optimizer.lr=0.02\n"));

  run (&arch, "--project", root, "print", "train", "architecture=nonexistent", NULL);
  g_assert_cmpint (arch.status, ==, 2);
  g_assert_nonnull (strstr (arch.err, "'nonexistent' is not an option of 'Architecture'"));
}

static void
test_print_checkpoint_chosen (void)
{
  g_autofree char *root = demo_root ();
  g_autofree char *outside = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("cb-test-ckpt-XXXXXX", NULL);
  g_autofree char *arg = NULL;
  g_autofree char *missing_arg = NULL;
  g_auto(Result) none = { 0 };
  g_auto(Result) chosen = { 0 };
  g_auto(Result) missing = { 0 };
  g_auto(Result) resume = { 0 };
  g_auto(Result) mismatch = { 0 };

  if (binary () == NULL)
    return;

  /* No checkpoint given: exit 2 naming the field, never the newest one silently. */
  run (&none, "--project", root, "print", "test", NULL);
  g_assert_cmpint (none.status, ==, 2);
  g_assert_nonnull (strstr (none.err, "'Checkpoint Path' is required."));

  /* An absolute path outside outputs/ is taken when it is a file. */
  outside = g_build_filename (tmp, "model.ckpt", NULL);
  g_assert_true (g_file_set_contents (outside, "x", 1, NULL));
  arg = g_strconcat ("checkpoint_path=", outside, NULL);
  run (&chosen, "--project", root, "print", "test", "--argv", arg, NULL);
  g_assert_cmpint (chosen.status, ==, 0);
  g_assert_nonnull (strstr (chosen.out, arg));

  missing_arg = g_strconcat ("checkpoint_path=", tmp, "/nothing.ckpt", NULL);
  run (&missing, "--project", root, "print", "test", missing_arg, NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "nothing.ckpt is not a file"));

  /* Resuming takes the model from the checkpoint's run. */
  run (&resume, "--project", root, "print", "train", "--argv", "resume_training=true",
       "checkpoint_path=outputs/3/checkpoints/last.ckpt", NULL);
  g_assert_cmpint (resume.status, ==, 0);
  g_assert_nonnull (strstr (resume.out, "\nresume=outputs/3/checkpoints/last.ckpt\n"));
  g_assert_nonnull (strstr (resume.out, "\nmodel/architectures=craft\n"));
  g_assert_nonnull (strstr (resume.out, "\nmodel.encoder.model_name=resnet50\n"));

  /* A component that differs from the checkpoint's run: a warning, the command as asked. */
  run (&mismatch, "--project", root, "print", "test", "--argv",
       "checkpoint_path=outputs/3/checkpoints/last.ckpt", "encoder=vgg16_bn", NULL);
  g_assert_cmpint (mismatch.status, ==, 0);
  g_assert_nonnull (strstr (mismatch.out, "\nmodel.encoder.model_name=vgg16_bn\n"));
  g_assert_nonnull (strstr (mismatch.err, "warning: Backbone (Encoder) is “vgg16_bn”, but the "
                                          "checkpoint was trained with “resnet50”."));

  remove_tree (tmp);
}

/* A project that cannot give the command the user asked for says so. */
static void
test_print_project_problems (void)
{
  g_autofree char *empty = g_dir_make_tmp ("cb-test-empty-XXXXXX", NULL);
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *settings = g_build_filename (project, "command-builder.yaml", NULL);
  g_auto(Result) bare = { 0 };
  g_auto(Result) broken = { 0 };
  g_auto(Result) schemas = { 0 };
  g_auto(Result) utf8 = { 0 };
  g_auto(Result) check = { 0 };
  g_autofree char *runner = g_build_filename (project, "runners", "test.py", NULL);

  if (binary () == NULL)
    return;

  /* No configs: a warning, and the command still has every model override. */
  run (&bare, "--project", empty, "print", "train", "--argv", NULL);
  g_assert_cmpint (bare.status, ==, 0);
  g_assert_nonnull (strstr (bare.err, "no configs folder"));
  g_assert_nonnull (strstr (bare.out, "\nmodel/architectures=dbnet\n"));
  g_assert_nonnull (strstr (bare.out, "\nmodel.encoder.model_name=resnet18\n"));

  /* A settings file with a YAML error: an error naming the file, not the default launcher. */
  g_assert_true (g_file_set_contents (settings, "launcher: [python3\n", -1, NULL));
  run (&broken, "--project", project, "print", "train", NULL);
  g_assert_cmpint (broken.status, ==, 2);
  g_assert_cmpstr (broken.out, ==, "");
  g_assert_nonnull (strstr (broken.err, "command-builder.yaml"));

  /* A schemas_dir that does not exist: an error, not the bundled schemas. */
  g_assert_true (g_file_set_contents (settings, "launcher: [python3]\nschemas_dir: myschemas\n",
                                      -1, NULL));
  run (&schemas, "--project", project, "print", "train", NULL);
  g_assert_cmpint (schemas.status, ==, 2);
  g_assert_nonnull (strstr (schemas.err, "command-builder.yaml:2:"));
  g_assert_nonnull (strstr (schemas.err, "myschemas"));

  /* Invalid UTF-8 in a value: an error naming the field, not the default name. */
  g_assert_true (g_file_set_contents (settings, "launcher: [python3]\n", -1, NULL));
  run (&utf8, "--project", project, "print", "train", "exp_name=caf\xe9", NULL);
  g_assert_cmpint (utf8.status, ==, 2);
  g_assert_nonnull (strstr (utf8.err, "'Experiment Name' is not valid UTF-8 text"));

  /* check: a missing runner script is an error. */
  g_assert_cmpint (g_unlink (runner), ==, 0);
  run (&check, "--project", project, "check", NULL);
  g_assert_cmpint (check.status, ==, 1);
  g_assert_nonnull (strstr (check.err, "runners/test.py: the runner script of the test page "
                                       "does not exist"));

  remove_tree (tmp);
  remove_tree (empty);
}

/* print --preset NAME: the project's preset, or a built-in (suggested setup); KEY=VALUE after
 * it wins; an unknown preset is a usage error naming the presets there are. */
static void
test_print_preset (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *dir = g_build_filename (project, ".command-builder", "presets", "train", NULL);
  g_autofree char *quick = g_build_filename (dir, "빠른 실행.yaml", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.yaml", NULL);
  g_auto(Result) plain = { 0 };
  g_auto(Result) override = { 0 };
  g_auto(Result) built_in = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(Result) other_page = { 0 };

  if (binary () == NULL)
    return;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (quick,
                                      "note: quick\n"
                                      "values:\n"
                                      "  exp_name: 'a \"run\" $HOME=1'\n"
                                      "  batch_size: 6\n"
                                      "  append_suffix_ignored: true\n"
                                      "extra_overrides: ['+trainer.fast_dev_run=true']\n",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (broken, "values: [\n", -1, NULL));

  run (&plain, "--project", project, "print", "train", "--argv", "--preset", "빠른 실행", NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_nonnull (strstr (plain.out,
                            "\nexp_name=\"a \\\"run\\\" $HOME=1-dbnet-unet-resnet18\"\n"));
  g_assert_nonnull (strstr (plain.out, "\ndataloaders.train_dataloader.batch_size=6\n"));
  g_assert_true (g_str_has_suffix (plain.out, "\n+trainer.fast_dev_run=true\n"));
  g_assert_nonnull (strstr (plain.err, "append_suffix_ignored"));

  /* KEY=VALUE and --extra after the preset win / come after its own. */
  run (&override, "--project", project, "print", "train", "--argv", "--preset", "빠른 실행",
       "--extra=~logger", "batch_size=8", NULL);
  g_assert_cmpint (override.status, ==, 0);
  g_assert_nonnull (strstr (override.out, "\ndataloaders.train_dataloader.batch_size=8\n"));
  g_assert_true (g_str_has_suffix (override.out, "\n+trainer.fast_dev_run=true\n~logger\n"));

  run (&built_in, "--project", project, "print", "train", "--argv",
       "--preset", "documents_high_resolution", NULL);
  g_assert_cmpint (built_in.status, ==, 0);
  g_assert_nonnull (strstr (built_in.out, "\nmodel/architectures=craft\n"));
  g_assert_nonnull (strstr (built_in.out, "\nmodel.encoder.model_name=resnet50\n"));

  run (&unknown, "--project", project, "print", "train", "--preset", "nope", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_cmpstr (unknown.out, ==, "");
  g_assert_nonnull (strstr (unknown.err, "no preset 'nope' for the train page"));
  g_assert_nonnull (strstr (unknown.err, "빠른 실행"));
  g_assert_nonnull (strstr (unknown.err, "broken.yaml:2:1: "));

  /* Presets belong to their page. */
  run (&other_page, "--project", project, "print", "test", "--preset", "빠른 실행", NULL);
  g_assert_cmpint (other_page.status, ==, 2);
  g_assert_nonnull (strstr (other_page.err, "no preset"));

  remove_tree (tmp);
}

/* compose: the job config Hydra would compose, or why it would refuse (exit 1). */
static void
test_compose (void)
{
  g_autofree char *root = demo_root ();
  g_auto(Result) yaml = { 0 };
  g_auto(Result) json = { 0 };
  g_auto(Result) refused = { 0 };
  g_auto(Result) added = { 0 };

  if (binary () == NULL)
    return;

  run (&yaml, "--project", root, "compose", "train", "max_epochs=3", "architecture=craft", NULL);
  g_assert_cmpint (yaml.status, ==, 0);
  g_assert_nonnull (strstr (yaml.out, "\ntrainer:\n  max_epochs: 3\n"));
  g_assert_nonnull (strstr (yaml.out, "  architectures: craft\n"));
  g_assert_null (strstr (yaml.out, "\nhydra:"));

  run (&json, "--project", root, "compose", "train", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_true (g_str_has_prefix (json.out, "{\"paths\":{"));
  g_assert_nonnull (strstr (json.out, "\"max_epochs\":10,"));

  run (&refused, "--project", root, "compose", "train", "--extra=trainer.foo=1", NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_cmpstr (refused.out, ==, "");
  g_assert_nonnull (strstr (refused.err, "Hydra would refuse this command: Could not override "
                                         "'trainer.foo': no such key in the config (add it with "
                                         "+trainer.foo=1)"));

  run (&added, "--project", root, "compose", "train", "--extra=+trainer.foo=1", NULL);
  g_assert_cmpint (added.status, ==, 0);
  g_assert_nonnull (strstr (added.out, "\n  foo: 1\n"));
}

/* check composes each page's default command against the configs. */
static void
test_check_compose (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *group = g_build_filename (project, "configs", "model", "optimizers", NULL);
  g_autofree char *moved = g_build_filename (project, "configs", "train", NULL);
  g_autofree char *model = g_build_filename (project, "configs", "model", "default.yaml", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) edited = NULL;
  g_auto(Result) result = { 0 };
  g_auto(Result) print = { 0 };

  if (binary () == NULL)
    return;

  /* The project moves model/optimizers to train/optimizer, as the OCR project once did. */
  g_assert_cmpint (g_mkdir_with_parents (moved, 0755), ==, 0);
  {
    g_autofree char *target = g_build_filename (moved, "optimizer", NULL);

    g_assert_cmpint (g_rename (group, target), ==, 0);
  }
  g_assert_true (g_file_get_contents (model, &text, NULL, NULL));
  edited = g_string_new (text);
  g_string_replace (edited, "  - optimizers: adam\n", "", 1);
  g_assert_true (g_file_set_contents (model, edited->str, -1, NULL));

  run (&result, "--project", project, "check", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "train.yaml:102:5: 'model/optimizers' is not a config "
                                        "group of the train config"));
  g_assert_nonnull (strstr (result.err, "train.yaml:113:5: 'model.optimizer.lr' is not in the "
                                        "train config"));

  /* print still prints what was asked, and says Hydra would refuse it. */
  run (&print, "--project", project, "print", "train", NULL);
  g_assert_cmpint (print.status, ==, 0);
  g_assert_nonnull (strstr (print.err, "warning: Hydra would refuse this command: "
                                       "'model/optimizers' is not a config group"));

  remove_tree (tmp);
}

/* runs, metrics ----------------------------------------------------------------------------- */

static void
test_runs_and_metrics (void)
{
  g_autofree char *root = demo_root ();
  g_autofree char *run_dir = g_build_filename (root, "outputs",
                                               "receipts-dbnet-fpn_decoder-resnet34", NULL);
  g_autofree char *no_metrics = g_build_filename (root, "outputs", "ocr_prediction", NULL);
  g_auto(Result) runs = { 0 };
  g_auto(Result) json = { 0 };
  g_auto(Result) metrics = { 0 };
  g_auto(Result) metrics_json = { 0 };
  g_auto(Result) none = { 0 };
  g_auto(Result) missing = { 0 };

  if (binary () == NULL)
    return;

  run (&runs, "--project", root, "runs", NULL);
  g_assert_cmpint (runs.status, ==, 0);
  g_assert_true (g_str_has_prefix (runs.out, "time\tpage\tstate\texit\tname\tarchitecture\tbest\tfolder\n"));
  g_assert_nonnull (strstr (runs.out, "\ttrain\tunknown\t-\treceipts-dbnet-fpn_decoder-resnet34\tdbnet\thmean 0.8920\t"));
  g_assert_nonnull (strstr (runs.out, "\tpredict\tunknown\t-\tocr_prediction\t"));

  run (&json, "--project", root, "runs", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_nonnull (strstr (json.out, "\"page\": \"predict\""));
  g_assert_nonnull (strstr (json.out, "\"best_checkpoint\": \"outputs/receipts-dbnet-fpn_decoder-resnet34/checkpoints/best-hmean-0.8920.ckpt\""));

  run (&metrics, "metrics", run_dir, NULL);
  g_assert_cmpint (metrics.status, ==, 0);
  g_assert_true (g_str_has_prefix (metrics.out, "metric\tstep\tepoch\tvalue\n"));
  g_assert_nonnull (strstr (metrics.out, "\nval/hmean\t"));

  run (&metrics_json, "metrics", "--json", run_dir, NULL);
  g_assert_cmpint (metrics_json.status, ==, 0);
  g_assert_true (g_str_has_prefix (metrics_json.out, "{\n  \"lr-Adam\": [["));
  g_assert_nonnull (strstr (metrics_json.out, "\"val/hmean\": [["));

  run (&none, "metrics", no_metrics, NULL);
  g_assert_cmpint (none.status, ==, 1);
  g_assert_nonnull (strstr (none.err, "no metrics.csv in this run"));
  g_assert_cmpstr (none.out, ==, "");

  run (&missing, "metrics", "/nonexistent/run", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "/nonexistent/run: No such file or directory"));
}

/* export-csv --------------------------------------------------------------------------------- */

static void
test_export_csv (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cb-cli-export-XXXXXX", &error);
  g_autofree char *json = g_build_filename (dir, "sub.json", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *csv = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *never = g_build_filename (dir, "never.csv", NULL);
  g_autofree char *expected_out = NULL;
  g_autofree char *text = NULL;
  g_auto(Result) first = { 0 };
  g_auto(Result) again = { 0 };
  g_auto(Result) forced = { 0 };
  g_auto(Result) broken = { 0 };

  if (binary () == NULL)
    return;

  g_assert_true (g_file_set_contents (json, "{\"images\": {\"a b.jpg\": {\"words\": {\"1\": "
                                      "{\"points\": [[1, 2], [3, 4], [5, 6]], "
                                      "\"confidence\": 0.5}}}}}", -1, NULL));
  run (&first, "export-csv", json, "--output", csv, NULL);
  g_assert_cmpint (first.status, ==, 0);
  expected_out = g_strdup_printf ("Wrote %s: 1 row, 38 bytes\n", csv);
  g_assert_cmpstr (first.out, ==, expected_out);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "filename,polygons\na b.jpg,1 2 3 4 5 6\n");

  /* There already: left alone without --force. */
  run (&again, "export-csv", json, "--output", csv, "--include-confidence", NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "is already there; nothing was written"));
  g_assert_nonnull (strstr (again.err, "--force replaces it"));
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "filename,polygons\na b.jpg,1 2 3 4 5 6\n");

  run (&forced, "export-csv", json, "--output", csv, "--include-confidence", "--force", NULL);
  g_assert_cmpint (forced.status, ==, 0);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "filename,polygons,avg_confidence\na b.jpg,1 2 3 4 5 6,0.5\n");

  /* Not JSON: where, and nothing written. */
  g_assert_true (g_file_set_contents (bad, "{\"images\": {\n  \"a.jpg\": {\"words\": {]}}}",
                                      -1, NULL));
  run (&broken, "export-csv", bad, "--output", never, NULL);
  g_assert_cmpint (broken.status, ==, 1);
  g_assert_true (g_str_has_prefix (broken.err, "command-builder: "));
  g_assert_nonnull (strstr (broken.err, "bad.json:2:"));
  g_assert_false (g_file_test (never, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/print/train", test_print_train);
  g_test_add_func ("/cli/print/argv", test_print_argv);
  g_test_add_func ("/cli/print/values", test_print_values);
  g_test_add_func ("/cli/print/invalid", test_print_invalid);
  g_test_add_func ("/cli/print/exact", test_print_exact);
  g_test_add_func ("/cli/print/checkpoint-chosen", test_print_checkpoint_chosen);
  g_test_add_func ("/cli/print/project-problems", test_print_project_problems);
  g_test_add_func ("/cli/print/preset", test_print_preset);
  g_test_add_func ("/cli/compose", test_compose);
  g_test_add_func ("/cli/check/compose", test_check_compose);
  g_test_add_func ("/cli/check/demo", test_check_demo);
  g_test_add_func ("/cli/check/broken-schema", test_check_broken_schema);
  g_test_add_func ("/cli/list-options", test_list_options);
  g_test_add_func ("/cli/list-checkpoints", test_list_checkpoints);
  g_test_add_func ("/cli/list-checkpoints/exact", test_list_checkpoints_exact);
  g_test_add_func ("/cli/runs-and-metrics", test_runs_and_metrics);
  g_test_add_func ("/cli/export-csv", test_export_csv);

  return g_test_run ();
}
