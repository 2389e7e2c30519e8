/* test-scanner.c: checkpoint names, run facts and the walk of outputs/ off the UI thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every tree is generated here in a g_dir_make_tmp folder. Folder times are set an hour back
 * once a tree is built, so that a file added later always changes its folder's time, whatever
 * the file system's time granularity.
 */

#include "config.h"

#include <glib/gstdio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-checkpoint.h"
#include "cb-test-util.h"

#define T0 G_GINT64_CONSTANT (1700000000)
#define SCAN_TIMEOUT_MS 120000

typedef struct
{
  char *root;       /* the project root */
  char *outputs;    /* <root>/outputs */
  char *elsewhere;  /* a second temporary folder, for symlink targets; may be NULL */
} Fixture;

/* ---- trees ------------------------------------------------------------------------------ */

static void
make_dirs (const char *path)
{
  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
}

static void
set_mtime (const char *path,
           gint64      mtime)
{
  struct timespec times[2] = { { 0, UTIME_OMIT }, { (time_t) mtime, 0 } };

  g_assert_cmpint (utimensat (AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), ==, 0);
}

/* Writes <root>/<relative> (and its folders); sets its modification time when @mtime > 0. */
static void
write_file (const char *root,
            const char *relative,
            const char *contents,
            gint64      mtime)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  make_dirs (dir);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  if (mtime > 0)
    set_mtime (path, mtime);
}

/* A checkpoint created in place (open, write, close), as a trainer does: no rename. */
static void
create_in_place (const char *path,
                 gint64      mtime)
{
  int fd = open (path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "ckpt", 4), ==, 4);
  g_assert_cmpint (close (fd), ==, 0);
  if (mtime > 0)
    set_mtime (path, mtime);
}

/* Rewrites an existing file as Hydra does (open "w", write, close): no new entry, so the
 * folder's time stays; the file's time is moved a second on, as a later write would. */
static void
rewrite_in_place (const char *path,
                  const char *contents)
{
  struct stat st;
  int fd;

  g_assert_cmpint (stat (path, &st), ==, 0);
  fd = open (path, O_WRONLY | O_TRUNC | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, contents, strlen (contents)), ==, (gssize) strlen (contents));
  g_assert_cmpint (close (fd), ==, 0);
  set_mtime (path, (gint64) st.st_mtim.tv_sec + 1);
}

/* Sets the time of every folder under @path (symlinks not followed) an hour back. */
static void
age_folders (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  struct stat st;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
        age_folders (child);
    }
  set_mtime (path, (gint64) time (NULL) - 3600);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("cb-scanner-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->outputs = g_build_filename (fixture->root, "outputs", NULL);
  make_dirs (fixture->outputs);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  cb_test_remove_tree (fixture->root);
  if (fixture->elsewhere != NULL)
    cb_test_remove_tree (fixture->elsewhere);
  g_free (fixture->root);
  g_free (fixture->outputs);
  g_free (fixture->elsewhere);
}

/* A checkpoint at outputs/<relative>, with a time T0 + @age_offset. */
static void
add_ckpt (Fixture    *fixture,
          const char *relative,
          gint64      offset)
{
  g_autofree char *path = g_build_filename (fixture->outputs, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  make_dirs (dir);
  create_in_place (path, T0 + offset);
}

/* ---- scanning --------------------------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} ScanResult;

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ScanResult *res = user_data;

  res->ok = cb_checkpoint_scanner_scan_finish (CB_CHECKPOINT_SCANNER (object), result,
                                               &res->error);
  res->done = TRUE;
}

static gboolean
flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the default main context until *@done, failing after @timeout_ms. */
static void
spin_until (const gboolean *done,
            guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, flag_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

static void
scan (CbCheckpointScanner *scanner)
{
  ScanResult res = { 0 };

  cb_checkpoint_scanner_scan_async (scanner, NULL, scan_done_cb, &res);
  spin_until (&res.done, SCAN_TIMEOUT_MS);
  g_assert_no_error (res.error);
  g_assert_true (res.ok);
}

static CbCheckpointScanner *
scanner_new (Fixture *fixture)
{
  return cb_checkpoint_scanner_new (fixture->root, "outputs");
}

/* Drops the last reference and proves the scanner goes away (its threads may hold a task
 * reference for a moment after the result is in). */
static void
finalize_scanner (CbCheckpointScanner *scanner)
{
  gpointer weak = scanner;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (scanner), &weak);
  g_object_unref (scanner);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (weak != NULL)
        g_usleep (1000);
    }
  g_assert_null (weak);
}

static guint
n_items (CbCheckpointScanner *scanner)
{
  return g_list_model_get_n_items (cb_checkpoint_scanner_get_model (scanner));
}

static CbCheckpoint *
item_at (CbCheckpointScanner *scanner,
         guint                position)
{
  g_autoptr(CbCheckpoint) item = g_list_model_get_item (cb_checkpoint_scanner_get_model (scanner),
                                                        position);

  /* The store keeps its reference. */
  return item;
}

static void
assert_paths (CbCheckpointScanner *scanner,
              const char * const  *expected)
{
  g_auto(GStrv) paths = cb_checkpoint_scanner_get_paths (scanner);
  g_autofree char *got = g_strjoinv ("\n", paths);
  g_autofree char *want = g_strjoinv ("\n", (char **) expected);

  g_assert_cmpstr (got, ==, want);
}

static gboolean
has_path (CbCheckpointScanner *scanner,
          const char          *path)
{
  return cb_checkpoint_scanner_find (scanner, path) != NULL;
}

/* items-changed, recorded */
typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

/* Connected swapped: the counter comes first, the signal's own arguments are ignored. */
static void
count_cb (guint *count)
{
  (*count)++;
}

static void
wait_count (const guint *count,
            guint        target,
            guint        timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, flag_cb, &timed_out);

  while (*count < target && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

/* ---- names ------------------------------------------------------------------------------ */

typedef struct
{
  const char       *basename;
  CbCheckpointKind  kind;
  gint64            epoch;
  gint64            step;
  const char       *metric_name;
  double            metric_value;
} NameCase;

static const NameCase name_cases[] = {
  { "epoch=19-step=1000.ckpt", CB_CHECKPOINT_KIND_EPOCH, 19, 1000, NULL, NAN },
  { "epoch=10.ckpt", CB_CHECKPOINT_KIND_EPOCH, 10, -1, NULL, NAN },
  { "epoch=3-step=40-val_loss=0.123.ckpt", CB_CHECKPOINT_KIND_EPOCH, 3, 40, "val_loss", 0.123 },
  { "epoch-03_step-000103.ckpt", CB_CHECKPOINT_KIND_EPOCH, 3, 103, NULL, NAN },
  { "epoch-18_step-003895_hmean-0.8512.ckpt", CB_CHECKPOINT_KIND_EPOCH, 18, 3895, "hmean", 0.8512 },
  { "epoch_28_step_023722.ckpt", CB_CHECKPOINT_KIND_EPOCH, 28, 23722, NULL, NAN },
  { "best-hmean-0.8920.ckpt", CB_CHECKPOINT_KIND_BEST, -1, -1, "hmean", 0.8920 },
  { "best.ckpt", CB_CHECKPOINT_KIND_BEST, -1, -1, NULL, NAN },
  { "last.ckpt", CB_CHECKPOINT_KIND_LAST, -1, -1, NULL, NAN },
  { "latest.ckpt", CB_CHECKPOINT_KIND_LAST, -1, -1, NULL, NAN },
  { "last_20251011_004442.ckpt", CB_CHECKPOINT_KIND_LAST, -1, -1, NULL, NAN },
  { "last-v1.ckpt", CB_CHECKPOINT_KIND_LAST, -1, -1, NULL, NAN },
  { "myprefix_epoch-03_step-000103_v2.ckpt", CB_CHECKPOINT_KIND_EPOCH, 3, 103, NULL, NAN },
};

static void
test_name_pattern (gconstpointer data)
{
  const NameCase *c = data;
  CbCheckpointName name;

  g_assert_true (cb_checkpoint_name_parse (c->basename, &name));
  g_assert_cmpint (name.kind, ==, c->kind);
  g_assert_cmpint (name.epoch, ==, c->epoch);
  g_assert_cmpint (name.step, ==, c->step);
  g_assert_cmpstr (name.metric_name, ==, c->metric_name);
  if (c->metric_name != NULL)
    g_assert_cmpfloat_with_epsilon (name.metric_value, c->metric_value, 1e-9);
  else
    g_assert_true (isnan (name.metric_value));
  cb_checkpoint_name_clear (&name);
  g_assert_null (name.metric_name);
}

static void
test_name_not_checkpoint (void)
{
  CbCheckpointName name;

  g_assert_false (cb_checkpoint_name_parse ("epoch-03_step-000103.metadata.json", &name));
  g_assert_false (cb_checkpoint_name_parse ("last.ckpt.tmp", &name));
  g_assert_false (cb_checkpoint_name_parse ("events.out.tfevents.1700000000.host", &name));
  /* Even a refused name leaves @out cleared. */
  g_assert_cmpint (name.epoch, ==, -1);
  g_assert_cmpint (name.step, ==, -1);
  g_assert_null (name.metric_name);
}

/* ---- run facts -------------------------------------------------------------------------- */

static const char overrides_text[] =
  "- exp_name=\"my run\"\n"
  "- model/architectures=dbnet\n"
  "- model.encoder.model_name=resnet18\n"
  "- model.component_overrides.decoder.name=pan_decoder\n"
  "- trainer.max_epochs=10\n";

static const char config_text[] =
  "exp_name: from_config\n"
  "seed: 42\n"
  "model:\n"
  "  architecture_name: craft\n"
  "  encoder:\n"
  "    model_name: resnet50\n"
  "  component_overrides:\n"
  "    decoder:\n"
  "      name: fpn_decoder\n"
  "    head:\n"
  "      name: db_head\n"
  "    loss:\n"
  "      name: db_loss\n"
  "trainer:\n"
  "  max_epochs: 10\n";

static void
test_run_info_both (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *run = g_build_filename (fixture->outputs, "run", NULL);
  g_autoptr(CbRunInfo) info = NULL;

  write_file (run, ".hydra/overrides.yaml", overrides_text, 0);
  write_file (run, ".hydra/config.yaml", config_text, 0);
  info = cb_run_info_read (run);

  g_assert_nonnull (info);
  /* What was asked for on the command line wins over what it resolved to... */
  g_assert_cmpstr (info->exp_name, ==, "my run");
  g_assert_cmpstr (info->architecture, ==, "dbnet");
  g_assert_cmpstr (info->encoder, ==, "resnet18");
  g_assert_cmpstr (info->decoder, ==, "pan_decoder");
  /* ...and the config fills in the rest, from nested keys. */
  g_assert_cmpstr (info->head, ==, "db_head");
  g_assert_cmpstr (info->loss, ==, "db_loss");
  /* Overrides without a dataset preset: no preprocessing. */
  g_assert_cmpstr (info->preprocessing_profile, ==, "none");
  g_assert_cmpstr (cb_run_info_get (info, "encoder"), ==, "resnet18");
  g_assert_cmpstr (cb_run_info_get (info, "preprocessing_profile"), ==, "none");
  g_assert_null (cb_run_info_get (info, "exp_name"));
}

static void
test_run_info_overrides_only (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *run = g_build_filename (fixture->outputs, "run", NULL);
  g_autoptr(CbRunInfo) info = NULL;
  g_autoptr(CbRunInfo) copy = NULL;

  write_file (run, ".hydra/overrides.yaml", overrides_text, 0);
  info = cb_run_info_read (run);

  g_assert_nonnull (info);
  g_assert_cmpstr (info->exp_name, ==, "my run");
  g_assert_cmpstr (info->architecture, ==, "dbnet");
  g_assert_cmpstr (info->encoder, ==, "resnet18");
  g_assert_cmpstr (info->decoder, ==, "pan_decoder");
  g_assert_null (info->head);
  g_assert_null (info->loss);

  copy = cb_run_info_copy (info);
  g_assert_true (copy != info);
  g_assert_cmpstr (copy->exp_name, ==, "my run");
  g_assert_true (copy->exp_name != info->exp_name);
}

static void
test_run_info_config_only (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *run = g_build_filename (fixture->outputs, "run", NULL);
  g_autoptr(CbRunInfo) info = NULL;

  write_file (run, ".hydra/config.yaml", config_text, 0);
  info = cb_run_info_read (run);

  g_assert_nonnull (info);
  g_assert_cmpstr (info->exp_name, ==, "from_config");
  g_assert_cmpstr (info->architecture, ==, "craft");
  g_assert_cmpstr (info->encoder, ==, "resnet50");
  g_assert_cmpstr (info->decoder, ==, "fpn_decoder");
  g_assert_cmpstr (info->head, ==, "db_head");
  g_assert_cmpstr (info->loss, ==, "db_loss");
  /* No overrides: nothing to infer a profile from. */
  g_assert_null (info->preprocessing_profile);
}

static void
test_run_info_neither (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *run = g_build_filename (fixture->outputs, "run", NULL);
  g_autofree char *missing = g_build_filename (fixture->outputs, "no-such-run", NULL);

  /* A run folder with a .hydra folder but no config in it. */
  write_file (run, ".hydra/hydra.yaml", "hydra: {}\n", 0);
  g_assert_null (cb_run_info_read (run));
  g_assert_null (cb_run_info_read (missing));
  g_assert_null (cb_run_info_copy (NULL));
  cb_run_info_free (NULL);
}

typedef struct
{
  const char *overrides;
  const char *config;   /* may be NULL */
  const char *profile;
} ProfileCase;

static void
test_run_info_profiles (Fixture       *fixture,
                        gconstpointer  data)
{
  static const ProfileCase cases[] = {
    { "- +preset/datasets=preprocessing\n", NULL, "lens_style" },
    { "- +preset/datasets=preprocessing\n- preprocessing.enhancement_method=office_lens\n",
      NULL, "lens_style_office" },
    { "- +preset/datasets=preprocessing\n"
      "- preprocessing.document_detection_use_camscanner=true\n", NULL, "camscanner" },
    { "- +preset/datasets=preprocessing_docTR_demo\n", NULL, "doctr_demo" },
    { "- exp_name=plain\n", NULL, "none" },
    /* An explicit profile in the config beats the inference. */
    { "- +preset/datasets=preprocessing\n", "preprocessing_profile: doctr_demo\n", "doctr_demo" },
    /* So does one given as an override. */
    { "- preprocessing_profile=camscanner\n- +preset/datasets=preprocessing\n", NULL,
      "camscanner" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("run%u", i);
      g_autofree char *run = g_build_filename (fixture->outputs, name, NULL);
      g_autoptr(CbRunInfo) info = NULL;

      write_file (run, ".hydra/overrides.yaml", cases[i].overrides, 0);
      if (cases[i].config != NULL)
        write_file (run, ".hydra/config.yaml", cases[i].config, 0);
      info = cb_run_info_read (run);
      g_assert_nonnull (info);
      g_test_message ("case %u", i);
      g_assert_cmpstr (info->preprocessing_profile, ==, cases[i].profile);
    }
}

/* ---- the walk --------------------------------------------------------------------------- */

/* outputs/
 *   run_new/checkpoints/{best-hmean-0.8920.ckpt 3000, last.ckpt 2500, notes.txt, sidecar}
 *   2024-01-01/12-00-00/checkpoints/x.ckpt 2000      (the old timestamp layout)
 *   direct_run/y.ckpt 1500                           (a checkpoint right in a run folder)
 *   run_old/checkpoints/{last.ckpt 1000, epoch-01_step-000010.ckpt 900}, .hydra/overrides
 *   run_old/logs/train.log
 *   .trash/checkpoints/a.ckpt 5000                   (hidden: not walked)
 * 9 folders are walked: outputs, run_new, its checkpoints, 2024-01-01, 12-00-00, its
 * checkpoints, direct_run, run_old, its checkpoints, its logs -> 10. */
#define LAYOUT_N_FOLDERS 10

static const char * const layout_paths[] = {
  "outputs/run_new/checkpoints/best-hmean-0.8920.ckpt",
  "outputs/run_new/checkpoints/last.ckpt",
  "outputs/2024-01-01/12-00-00/checkpoints/x.ckpt",
  "outputs/direct_run/y.ckpt",
  "outputs/run_old/checkpoints/last.ckpt",
  "outputs/run_old/checkpoints/epoch-01_step-000010.ckpt",
  NULL
};

static void
make_layout (Fixture *fixture)
{
  g_autofree char *run_old = g_build_filename (fixture->outputs, "run_old", NULL);

  add_ckpt (fixture, "run_new/checkpoints/best-hmean-0.8920.ckpt", 3000);
  add_ckpt (fixture, "run_new/checkpoints/last.ckpt", 2500);
  write_file (fixture->outputs, "run_new/checkpoints/notes.txt", "n", 0);
  write_file (fixture->outputs, "run_new/checkpoints/best-hmean-0.8920.metadata.json", "{}", 0);
  add_ckpt (fixture, "2024-01-01/12-00-00/checkpoints/x.ckpt", 2000);
  add_ckpt (fixture, "direct_run/y.ckpt", 1500);
  add_ckpt (fixture, "run_old/checkpoints/last.ckpt", 1000);
  add_ckpt (fixture, "run_old/checkpoints/epoch-01_step-000010.ckpt", 900);
  write_file (run_old, ".hydra/overrides.yaml", overrides_text, 0);
  write_file (run_old, "logs/train.log", "log", 0);
  add_ckpt (fixture, ".trash/checkpoints/a.ckpt", 5000);
  age_folders (fixture->root);
}

static void
test_walk_layouts (Fixture       *fixture,
                   gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  const CbScanStats *stats;
  CbCheckpoint *item;
  guint loaded_notifies = 0;

  make_layout (fixture);
  g_signal_connect_swapped (scanner, "notify::loaded", G_CALLBACK (count_cb), &loaded_notifies);
  g_assert_false (cb_checkpoint_scanner_get_loaded (scanner));
  scan (scanner);
  g_assert_true (cb_checkpoint_scanner_get_loaded (scanner));
  g_assert_cmpuint (loaded_notifies, ==, 1);

  /* Relative to the project root, hidden folders left out, newest run first. */
  assert_paths (scanner, layout_paths);

  stats = cb_checkpoint_scanner_get_stats (scanner);
  g_assert_cmpuint (stats->n_checkpoints, ==, 6);
  g_assert_cmpuint (stats->n_dirs_read, ==, LAYOUT_N_FOLDERS);
  g_assert_cmpuint (stats->n_dirs_reused, ==, 0);
  g_assert_cmpuint (stats->n_unreadable, ==, 0);
  g_assert_cmpuint (stats->n_loops, ==, 0);
  g_assert_cmpuint (stats->n_too_deep, ==, 0);

  /* Runs: <run>/checkpoints belongs to <run>; otherwise the folder holding the file. */
  g_assert_cmpstr (cb_checkpoint_get_run (item_at (scanner, 0)), ==, "run_new");
  g_assert_cmpstr (cb_checkpoint_get_run (item_at (scanner, 2)), ==, "2024-01-01/12-00-00");
  g_assert_cmpstr (cb_checkpoint_get_run (item_at (scanner, 3)), ==, "direct_run");
  g_assert_cmpstr (cb_checkpoint_get_run (item_at (scanner, 4)), ==, "run_old");

  /* File facts and name facts. */
  item = item_at (scanner, 0);
  g_assert_cmpstr (cb_checkpoint_get_basename (item), ==, "best-hmean-0.8920.ckpt");
  g_assert_cmpint (cb_checkpoint_get_size (item), ==, 4);
  g_assert_cmpint (cb_checkpoint_get_mtime (item), ==, T0 + 3000);
  g_assert_cmpint (cb_checkpoint_get_name_info (item)->kind, ==, CB_CHECKPOINT_KIND_BEST);
  g_assert_null (cb_checkpoint_get_run_info (item));

  /* The run's Hydra record reaches its checkpoints. */
  item = item_at (scanner, 5);
  g_assert_cmpint (cb_checkpoint_get_name_info (item)->epoch, ==, 1);
  g_assert_nonnull (cb_checkpoint_get_run_info (item));
  g_assert_cmpstr (cb_checkpoint_get_run_info (item)->exp_name, ==, "my run");
  g_assert_cmpuint (stats->n_runs_read, ==, 1);

  g_assert_true (cb_checkpoint_scanner_find (scanner, "outputs/direct_run/y.ckpt") ==
                 item_at (scanner, 3));
  g_assert_null (cb_checkpoint_scanner_find (scanner, "outputs/.trash/checkpoints/a.ckpt"));
  g_assert_null (cb_checkpoint_scanner_find (scanner, NULL));

  finalize_scanner (scanner);
}

static void
test_walk_order (Fixture       *fixture,
                 gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  static const char * const before[] = {
    "outputs/b/checkpoints/b2.ckpt",   /* run b: newest 300 */
    "outputs/b/checkpoints/b1.ckpt",
    "outputs/a/checkpoints/a3.ckpt",   /* run a: newest 200, then 200 (path order), 100 */
    "outputs/a/checkpoints/a4.ckpt",
    "outputs/a/checkpoints/a1.ckpt",
    "outputs/c/checkpoints/c1.ckpt",   /* run c: newest 150 */
    NULL
  };
  static const char * const after[] = {
    "outputs/c/checkpoints/c2.ckpt",   /* run c now has the newest checkpoint: first */
    "outputs/c/checkpoints/c1.ckpt",
    "outputs/b/checkpoints/b2.ckpt",
    "outputs/b/checkpoints/b1.ckpt",
    "outputs/a/checkpoints/a3.ckpt",
    "outputs/a/checkpoints/a4.ckpt",
    "outputs/a/checkpoints/a1.ckpt",
    NULL
  };

  add_ckpt (fixture, "a/checkpoints/a1.ckpt", 100);
  add_ckpt (fixture, "a/checkpoints/a3.ckpt", 200);
  add_ckpt (fixture, "a/checkpoints/a4.ckpt", 200);
  add_ckpt (fixture, "b/checkpoints/b1.ckpt", 50);
  add_ckpt (fixture, "b/checkpoints/b2.ckpt", 300);
  add_ckpt (fixture, "c/checkpoints/c1.ckpt", 150);
  age_folders (fixture->root);

  scan (scanner);
  assert_paths (scanner, before);

  add_ckpt (fixture, "c/checkpoints/c2.ckpt", 400);
  scan (scanner);
  assert_paths (scanner, after);

  finalize_scanner (scanner);
}

static void
test_walk_worker_thread (Fixture       *fixture,
                         gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  const CbScanStats *stats;

  make_layout (fixture);
  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);
  g_assert_nonnull (stats->thread);
  g_assert_true (stats->thread != (gpointer) g_thread_self ());

  /* The synchronous variant, for the CLI and benchmarks, runs where it is called. */
  g_assert_true (cb_checkpoint_scanner_scan_sync (scanner, NULL, NULL));
  g_assert_true (cb_checkpoint_scanner_get_stats (scanner)->thread == (gpointer) g_thread_self ());
  assert_paths (scanner, layout_paths);

  finalize_scanner (scanner);
}

static void
test_walk_no_outputs (Fixture       *fixture,
                      gconstpointer  data)
{
  CbCheckpointScanner *scanner = cb_checkpoint_scanner_new (fixture->root, "no-outputs-here");

  scan (scanner);
  g_assert_true (cb_checkpoint_scanner_get_loaded (scanner));
  g_assert_cmpuint (n_items (scanner), ==, 0);
  g_assert_cmpuint (cb_checkpoint_scanner_get_stats (scanner)->n_unreadable, ==, 0);
  finalize_scanner (scanner);
}

static void
test_walk_symlink_loop (Fixture       *fixture,
                        gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  g_autofree char *back = g_build_filename (fixture->outputs, "loop", "back", NULL);
  g_autofree char *self_link = g_build_filename (fixture->outputs, "run", "checkpoints", "again",
                                                 NULL);
  static const char * const expected[] = { "outputs/run/checkpoints/a.ckpt", NULL };
  const CbScanStats *stats;

  add_ckpt (fixture, "run/checkpoints/a.ckpt", 10);
  make_dirs (fixture->outputs);
  {
    g_autofree char *loop = g_build_filename (fixture->outputs, "loop", NULL);

    make_dirs (loop);
  }
  /* outputs/loop/back -> outputs, and a folder linking to itself. */
  g_assert_cmpint (symlink ("..", back), ==, 0);
  g_assert_cmpint (symlink (".", self_link), ==, 0);
  age_folders (fixture->root);

  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);
  assert_paths (scanner, expected);
  g_assert_cmpuint (stats->n_loops, ==, 2);
  g_assert_cmpuint (stats->n_too_deep, ==, 0);

  finalize_scanner (scanner);
}

static void
test_walk_symlink_elsewhere (Fixture       *fixture,
                             gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *link = g_build_filename (fixture->outputs, "linked", NULL);
  g_autofree char *ckpt_link = NULL;
  g_autofree char *dangling = g_build_filename (fixture->outputs, "gone", NULL);
  static const char * const expected[] = {
    "outputs/linked/checkpoints/e.ckpt",
    "outputs/run/checkpoints/file-link.ckpt",
    "outputs/run/checkpoints/a.ckpt",
    NULL
  };
  CbCheckpoint *item;

  fixture->elsewhere = g_dir_make_tmp ("cb-scanner-elsewhere-XXXXXX", &error);
  g_assert_no_error (error);
  target = g_build_filename (fixture->elsewhere, "runX", NULL);
  write_file (target, "checkpoints/e.ckpt", "ckpt", T0 + 500);
  write_file (target, ".hydra/overrides.yaml", "- exp_name=elsewhere\n", 0);
  g_assert_cmpint (symlink (target, link), ==, 0);

  /* A symlinked checkpoint file, and a dangling link (skipped). */
  add_ckpt (fixture, "run/checkpoints/a.ckpt", 10);
  ckpt_link = g_build_filename (fixture->outputs, "run", "checkpoints", "file-link.ckpt", NULL);
  g_assert_cmpint (symlink ("../../linked/checkpoints/e.ckpt", ckpt_link), ==, 0);
  g_assert_cmpint (symlink ("/nonexistent/cb-scanner-test", dangling), ==, 0);
  age_folders (fixture->root);
  age_folders (fixture->elsewhere);

  scan (scanner);
  assert_paths (scanner, expected);
  item = item_at (scanner, 0);
  g_assert_cmpstr (cb_checkpoint_get_run (item), ==, "linked");
  g_assert_cmpint (cb_checkpoint_get_mtime (item), ==, T0 + 500);
  g_assert_nonnull (cb_checkpoint_get_run_info (item));
  g_assert_cmpstr (cb_checkpoint_get_run_info (item)->exp_name, ==, "elsewhere");
  g_assert_cmpuint (cb_checkpoint_scanner_get_stats (scanner)->n_unreadable, ==, 0);

  /* The target goes away: no folder under outputs/ changes, yet its checkpoint goes. */
  cb_test_remove_tree (target);
  scan (scanner);
  g_assert_cmpuint (cb_checkpoint_scanner_get_stats (scanner)->n_dirs_read, ==, 0);
  g_assert_false (has_path (scanner, "outputs/linked/checkpoints/e.ckpt"));
  g_assert_true (has_path (scanner, "outputs/run/checkpoints/a.ckpt"));
  /* (run/checkpoints/file-link.ckpt, now dangling, stays listed: its folder did not change,
   * and the listing of an unchanged folder is reused as it is.) */
  g_assert_cmpuint (n_items (scanner), ==, 2);

  finalize_scanner (scanner);
}

static void
test_walk_depth_bound (Fixture       *fixture,
                       gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  static const char * const shallow[] = { "outputs/a/b/x.ckpt", NULL };
  static const char * const all[] = {
    "outputs/a/b/c/d/checkpoints/deep.ckpt",
    "outputs/a/b/x.ckpt",
    NULL
  };
  const CbScanStats *stats;

  /* Depths: outputs 0, a 1, b 2, c 3, d 4, checkpoints 5. */
  add_ckpt (fixture, "a/b/c/d/checkpoints/deep.ckpt", 20);
  add_ckpt (fixture, "a/b/x.ckpt", 10);
  add_ckpt (fixture, "a/b/e/other.ckpt", 5);
  age_folders (fixture->root);

  cb_checkpoint_scanner_set_max_depth (scanner, 2);
  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);
  assert_paths (scanner, shallow);
  g_assert_cmpuint (stats->n_too_deep, ==, 2);   /* c and e */

  cb_checkpoint_scanner_set_max_depth (scanner, 8);
  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);
  g_assert_cmpuint (stats->n_too_deep, ==, 0);
  g_assert_cmpuint (n_items (scanner), ==, 3);
  g_assert_true (has_path (scanner, all[0]));
  g_assert_true (has_path (scanner, all[1]));

  /* Back to 2: nothing to read, but fewer folders, and the deep checkpoints go. */
  cb_checkpoint_scanner_set_max_depth (scanner, 2);
  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);
  g_assert_cmpuint (stats->n_dirs_read, ==, 0);
  assert_paths (scanner, shallow);

  finalize_scanner (scanner);
}

static void
test_walk_unreadable (Fixture       *fixture,
                      gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  g_autofree char *locked = g_build_filename (fixture->outputs, "locked", NULL);
  g_autofree char *locked_ckpts = g_build_filename (locked, "checkpoints", NULL);
  const CbScanStats *stats;
  DIR *probe;

  add_ckpt (fixture, "open/checkpoints/a.ckpt", 20);
  add_ckpt (fixture, "locked/checkpoints/b.ckpt", 10);
  age_folders (fixture->root);
  g_assert_cmpint (g_chmod (locked_ckpts, 0), ==, 0);

  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);

  /* Whatever the permissions do, the rest of the tree is listed and nothing fails. */
  g_assert_true (has_path (scanner, "outputs/open/checkpoints/a.ckpt"));
  g_assert_cmpuint (stats->n_loops, ==, 0);

  probe = opendir (locked_ckpts);
  if (geteuid () == 0 && probe != NULL)
    {
      closedir (probe);
      /* root bypasses file permissions: the locked folder is readable after all. */
      g_assert_cmpuint (stats->n_unreadable, ==, 0);
      g_assert_true (has_path (scanner, "outputs/locked/checkpoints/b.ckpt"));
      g_chmod (locked_ckpts, 0755);
      g_test_skip ("running as root: a chmod 000 folder is still readable, so skipping the "
                   "unreadable-folder assertions (n_unreadable == 1, its checkpoint absent)");
      finalize_scanner (scanner);
      return;
    }
  if (probe != NULL)
    closedir (probe);

  g_assert_cmpuint (stats->n_unreadable, ==, 1);
  g_assert_false (has_path (scanner, "outputs/locked/checkpoints/b.ckpt"));
  g_assert_cmpuint (n_items (scanner), ==, 1);

  /* Readable again: the next scan lists it. */
  g_assert_cmpint (g_chmod (locked_ckpts, 0755), ==, 0);
  scan (scanner);
  g_assert_cmpuint (cb_checkpoint_scanner_get_stats (scanner)->n_unreadable, ==, 0);
  g_assert_true (has_path (scanner, "outputs/locked/checkpoints/b.ckpt"));

  finalize_scanner (scanner);
}

static void
test_walk_deleted_between_scans (Fixture       *fixture,
                                 gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  g_autofree char *run_new = g_build_filename (fixture->outputs, "run_new", NULL);
  g_autofree char *ckpts = g_build_filename (fixture->outputs, "2024-01-01", "12-00-00",
                                             "checkpoints", NULL);
  const CbScanStats *stats;

  make_layout (fixture);
  scan (scanner);
  g_assert_cmpuint (n_items (scanner), ==, 6);

  /* A run folder and a checkpoints/ folder disappear; both were cached. */
  cb_test_remove_tree (run_new);
  cb_test_remove_tree (ckpts);
  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);
  g_assert_cmpuint (n_items (scanner), ==, 3);
  g_assert_false (has_path (scanner, "outputs/run_new/checkpoints/last.ckpt"));
  g_assert_false (has_path (scanner, "outputs/2024-01-01/12-00-00/checkpoints/x.ckpt"));
  g_assert_true (has_path (scanner, "outputs/direct_run/y.ckpt"));
  g_assert_cmpuint (stats->n_unreadable, ==, 0);

  /* The whole outputs folder goes: an empty list, no error. */
  cb_test_remove_tree (fixture->outputs);
  scan (scanner);
  g_assert_cmpuint (n_items (scanner), ==, 0);
  g_assert_cmpuint (cb_checkpoint_scanner_get_stats (scanner)->n_unreadable, ==, 0);

  finalize_scanner (scanner);
}

/* A tree of @n_runs runs of @n_ckpts checkpoints each, plus @n_other other files per run
 * (.hydra configs, logs, submissions, tensorboard events). Checkpoints are made with
 * open/close; the other files are hard links to the run's overrides.yaml, because creating
 * an inode costs ten times a link on some file systems, and the walk only sees names. */
static guint
make_big_tree (const char *outputs,
               guint       n_runs,
               guint       n_ckpts,
               guint       n_other)
{
  static const char * const subdirs[] = { "checkpoints", "logs", "submissions", "tb", ".hydra" };
  guint n_dirs = 1;

  g_assert_cmpuint (n_other, >=, 1);
  for (guint r = 0; r < n_runs; r++)
    {
      g_autofree char *run = g_strdup_printf ("%s/run%04u", outputs, r);
      g_autofree char *overrides = g_strdup_printf ("%s/.hydra/overrides.yaml", run);
      int fd;

      g_assert_cmpint (g_mkdir (run, 0755), ==, 0);
      n_dirs++;
      for (guint s = 0; s < G_N_ELEMENTS (subdirs); s++)
        {
          g_autofree char *dir = g_build_filename (run, subdirs[s], NULL);

          g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
          n_dirs += subdirs[s][0] != '.';
        }
      for (guint c = 0; c < n_ckpts; c++)
        {
          g_autofree char *path = g_strdup_printf ("%s/checkpoints/epoch-%02u_step-%06u.ckpt",
                                                   run, c, c * 100);

          fd = open (path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
          g_assert_cmpint (fd, >=, 0);
          close (fd);
        }

      fd = open (overrides, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (write (fd, "- exp_name=big\n", 15), ==, 15);
      close (fd);
      for (guint o = 1; o < n_other; o++)
        {
          g_autofree char *path = NULL;

          if (o < 3)
            path = g_strdup_printf ("%s/.hydra/other%u.yaml", run, o);
          else
            path = g_strdup_printf ("%s/%s/file%u.%s", run, subdirs[1 + o % 3], o,
                                    o % 3 == 0 ? "log" : o % 3 == 1 ? "json" : "tfevents");
          g_assert_cmpint (link (overrides, path), ==, 0);
        }
    }

  return n_dirs;
}

static gboolean
tick_cb (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static void
test_walk_big_tree (Fixture       *fixture,
                    gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  const guint n_runs = 2000, n_ckpts = 5, n_other = 45;
  ScanResult res = { 0 };
  const CbScanStats *stats;
  guint n_dirs, ticks = 0, tick_id;
  gint64 start, elapsed_us;

  n_dirs = make_big_tree (fixture->outputs, n_runs, n_ckpts, n_other);
  age_folders (fixture->root);

  /* While the worker walks, the main loop keeps dispatching a 16 ms timeout. */
  tick_id = g_timeout_add (16, tick_cb, &ticks);
  start = g_get_monotonic_time ();
  cb_checkpoint_scanner_scan_async (scanner, NULL, scan_done_cb, &res);
  spin_until (&res.done, SCAN_TIMEOUT_MS);
  elapsed_us = g_get_monotonic_time () - start;
  g_source_remove (tick_id);
  g_assert_no_error (res.error);
  g_assert_true (res.ok);

  stats = cb_checkpoint_scanner_get_stats (scanner);
  g_test_message ("100k files: %.1f ms to the result (walk %.1f ms), %u ticks of 16 ms",
                  elapsed_us / 1000.0, stats->seconds * 1000, ticks);
  if (elapsed_us > 50000)
    g_assert_cmpuint (ticks, >=, 1);
  g_assert_cmpuint (stats->n_checkpoints, ==, n_runs * n_ckpts);
  g_assert_cmpuint (n_items (scanner), ==, n_runs * n_ckpts);
  g_assert_cmpuint (stats->n_dirs_read, ==, n_dirs);
  g_assert_cmpuint (stats->n_runs_read, ==, n_runs);
  g_assert_cmpuint (stats->n_unreadable, ==, 0);
  g_assert_cmpstr (cb_checkpoint_get_run_info (item_at (scanner, 0))->exp_name, ==, "big");

  /* Unchanged: no folder read, no config parsed. */
  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);
  g_test_message ("unchanged rescan: walk %.1f ms", stats->seconds * 1000);
  g_assert_cmpuint (stats->n_dirs_read, ==, 0);
  g_assert_cmpuint (stats->n_dirs_reused, ==, n_dirs);
  g_assert_cmpuint (stats->n_runs_read, ==, 0);
  g_assert_cmpuint (n_items (scanner), ==, n_runs * n_ckpts);

  finalize_scanner (scanner);
}

/* Deleting while the worker walks: the walk ends (or is cancelled) cleanly, and the next scan
 * agrees with the disk. */
static void
test_walk_deleted_concurrently (Fixture       *fixture,
                                gconstpointer  data)
{
  const guint n_runs = 600;

  /* A scanner per round: the regenerated tree has the same names and (aged) folder times as
   * the previous one, which a cache keyed on times cannot tell apart. */
  for (guint round = 0; round < 4; round++)
    {
      CbCheckpointScanner *scanner = scanner_new (fixture);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      ScanResult res = { 0 };
      guint remaining;

      cb_test_remove_tree (fixture->outputs);
      make_dirs (fixture->outputs);
      make_big_tree (fixture->outputs, n_runs, 5, 6);
      age_folders (fixture->root);
      /* In the odd rounds the tree is known from a first scan: reused listings then name
       * folders that are gone. */
      if (round % 2 == 1)
        scan (scanner);

      cb_checkpoint_scanner_scan_async (scanner, cancellable, scan_done_cb, &res);
      /* Runs go, from both ends of the name order, while the walk runs. */
      for (guint r = 0; r < n_runs / 2; r++)
        {
          g_autofree char *run = g_strdup_printf ("%s/run%04u", fixture->outputs,
                                                  r % 2 ? r : n_runs - 1 - r);

          cb_test_remove_tree (run);
          if (round >= 2 && r == n_runs / 4)
            g_cancellable_cancel (cancellable);
        }
      spin_until (&res.done, SCAN_TIMEOUT_MS);
      if (res.ok)
        {
          g_assert_no_error (res.error);
          g_assert_cmpuint (n_items (scanner), <=, n_runs * 5);
        }
      else
        g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_test_message ("round %u: %s, %u items", round, res.ok ? "finished" : "cancelled",
                      n_items (scanner));
      g_clear_error (&res.error);

      scan (scanner);
      remaining = n_runs - n_runs / 2;
      g_assert_cmpuint (n_items (scanner), ==, remaining * 5);
      g_assert_cmpuint (cb_checkpoint_scanner_get_stats (scanner)->n_unreadable, ==, 0);
      finalize_scanner (scanner);
    }
}

static void
test_walk_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  ScanResult res = { 0 };
  CbCheckpoint *first;
  guint scanned = 0;

  make_layout (fixture);
  scan (scanner);
  first = item_at (scanner, 0);
  g_signal_connect (cb_checkpoint_scanner_get_model (scanner), "items-changed",
                    G_CALLBACK (items_changed_cb), changes);
  g_signal_connect_swapped (scanner, "scanned", G_CALLBACK (count_cb), &scanned);

  /* Something to find, so that a result that got through would change the model. */
  add_ckpt (fixture, "run_new/checkpoints/newest.ckpt", 9000);
  cb_checkpoint_scanner_scan_async (scanner, cancellable, scan_done_cb, &res);
  g_cancellable_cancel (cancellable);
  spin_until (&res.done, SCAN_TIMEOUT_MS);

  g_assert_false (res.ok);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&res.error);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (scanned, ==, 0);
  assert_paths (scanner, layout_paths);
  g_assert_true (item_at (scanner, 0) == first);

  /* An already cancelled cancellable: the synchronous variant refuses too. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_checkpoint_scanner_scan_sync (scanner, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    assert_paths (scanner, layout_paths);
  }

  /* A scan that is not cancelled then finds it. */
  scan (scanner);
  g_assert_true (has_path (scanner, "outputs/run_new/checkpoints/newest.ckpt"));
  g_assert_cmpuint (scanned, ==, 1);

  g_signal_handlers_disconnect_by_data (cb_checkpoint_scanner_get_model (scanner), changes);
  finalize_scanner (scanner);
}

/* ---- rescans ---------------------------------------------------------------------------- */

/* A tree big enough to be shared out between threads, with the symlinks that make parts
 * meet: one run linking into a later run (whose folder the earlier part then owns), a link
 * back to outputs/, a folder linking to itself, nested layouts and runs with and without
 * .hydra. */
static void
make_shared_tree (Fixture *fixture)
{
  for (guint i = 0; i < 80; i++)
    {
      g_autofree char *ckpt = NULL;
      g_autofree char *run = g_strdup_printf ("run%02u", i);

      ckpt = g_strdup_printf ("%s/checkpoints/epoch-%02u_step-%04u.ckpt", run, i, i * 10);
      add_ckpt (fixture, ckpt, 100 + i);
      g_free (ckpt);
      ckpt = g_strdup_printf ("%s/checkpoints/last.ckpt", run);
      add_ckpt (fixture, ckpt, 100 + i);
      if (i % 3 == 0)
        {
          g_autofree char *dir = g_build_filename (fixture->outputs, run, NULL);
          g_autofree char *text = g_strdup_printf ("- exp_name=run %u\n", i);

          write_file (dir, ".hydra/overrides.yaml", text, 0);
        }
      if (i % 7 == 0)
        {
          g_free (ckpt);
          ckpt = g_strdup_printf ("%s/sweep/%u/checkpoints/best-hmean-0.%u.ckpt", run, i, i);
          add_ckpt (fixture, ckpt, 50 + i);
        }
      if (i % 11 == 0)
        {
          g_free (ckpt);
          ckpt = g_strdup_printf ("%s/direct.ckpt", run);
          add_ckpt (fixture, ckpt, 20 + i);
        }
    }
  {
    g_autofree char *into_later = g_build_filename (fixture->outputs, "run10", "later", NULL);
    g_autofree char *back = g_build_filename (fixture->outputs, "run70", "back", NULL);
    g_autofree char *again = g_build_filename (fixture->outputs, "run05", "checkpoints", "again",
                                               NULL);

    g_assert_cmpint (symlink ("../run50", into_later), ==, 0);
    g_assert_cmpint (symlink ("..", back), ==, 0);
    g_assert_cmpint (symlink (".", again), ==, 0);
  }
  age_folders (fixture->root);
}

/* Everything a walk says, for comparing two. */
static char *
describe_scan (CbCheckpointScanner *scanner)
{
  const CbScanStats *stats = cb_checkpoint_scanner_get_stats (scanner);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "read %u reused %u loops %u deep %u unreadable %u ckpts %u "
                          "runs %u\n", stats->n_dirs_read, stats->n_dirs_reused, stats->n_loops,
                          stats->n_too_deep, stats->n_unreadable, stats->n_checkpoints,
                          stats->n_runs_read);
  for (guint i = 0; i < n_items (scanner); i++)
    {
      CbCheckpoint *item = item_at (scanner, i);
      const CbRunInfo *info = cb_checkpoint_get_run_info (item);

      g_string_append_printf (out, "%s\t%s\t%s\n", cb_checkpoint_get_path (item),
                              cb_checkpoint_get_run (item),
                              info && info->exp_name ? info->exp_name : "-");
    }
  return g_string_free (out, FALSE);
}

static void
test_walk_threads_same_result (Fixture       *fixture,
                               gconstpointer  data)
{
  CbCheckpointScanner *one = scanner_new (fixture);
  CbCheckpointScanner *four = scanner_new (fixture);
  g_autofree char *by_one = NULL;
  g_autofree char *by_four = NULL;
  const CbScanStats *stats;

  make_shared_tree (fixture);
  cb_checkpoint_scanner_set_max_threads (one, 1);
  cb_checkpoint_scanner_set_max_threads (four, 4);

  scan (one);
  scan (four);
  by_one = describe_scan (one);
  by_four = describe_scan (four);
  g_assert_cmpstr (by_four, ==, by_one);

  /* What one thread finds: run50 is walked as run10/later (first in order), so outputs/run50
   * itself is a loop, and so are run70/back and run05/checkpoints/again. */
  stats = cb_checkpoint_scanner_get_stats (four);
  g_assert_cmpuint (stats->n_loops, ==, 3);
  g_assert_cmpuint (stats->n_checkpoints, ==, 80 * 2 + 12 + 8);
  g_assert_true (has_path (four, "outputs/run10/later/checkpoints/last.ckpt"));
  g_assert_false (has_path (four, "outputs/run50/checkpoints/last.ckpt"));
  g_assert_true (has_path (four, "outputs/run77/sweep/77/checkpoints/best-hmean-0.77.ckpt"));

  /* Unchanged: nothing read, on either. */
  scan (one);
  scan (four);
  g_assert_cmpuint (cb_checkpoint_scanner_get_stats (four)->n_dirs_read, ==, 0);
  g_clear_pointer (&by_one, g_free);
  g_clear_pointer (&by_four, g_free);
  by_one = describe_scan (one);
  by_four = describe_scan (four);
  g_assert_cmpstr (by_four, ==, by_one);

  /* One checkpoint more, in a run one thread or another walks: one folder read by each. */
  add_ckpt (fixture, "run63/checkpoints/epoch-99_step-9999.ckpt", 5000);
  scan (one);
  scan (four);
  g_assert_cmpuint (cb_checkpoint_scanner_get_stats (one)->n_dirs_read, ==, 1);
  g_assert_cmpuint (cb_checkpoint_scanner_get_stats (four)->n_dirs_read, ==, 1);
  g_clear_pointer (&by_one, g_free);
  g_clear_pointer (&by_four, g_free);
  by_one = describe_scan (one);
  by_four = describe_scan (four);
  g_assert_cmpstr (by_four, ==, by_one);
  g_assert_cmpstr (cb_checkpoint_get_path (item_at (four, 0)), ==,
                   "outputs/run63/checkpoints/epoch-99_step-9999.ckpt");

  finalize_scanner (one);
  finalize_scanner (four);
}

/* The window's start-up path: the result applied as soon as the worker is done, before its
 * callback; the callback then changes nothing. */
static void
test_install_finished (Fixture       *fixture,
                       gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  GListModel *model = cb_checkpoint_scanner_get_model (scanner);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  ScanResult res = { 0 };
  guint scanned = 0;

  make_layout (fixture);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_signal_connect_swapped (scanner, "scanned", G_CALLBACK (count_cb), &scanned);

  /* Nothing started: nothing to install. */
  g_assert_false (cb_checkpoint_scanner_install_finished (scanner, 0));

  cb_checkpoint_scanner_scan_async (scanner, NULL, scan_done_cb, &res);
  /* No main loop iteration: the callback cannot have run. */
  g_assert_true (cb_checkpoint_scanner_install_finished (scanner, 10 * G_USEC_PER_SEC));
  g_assert_false (res.done);
  g_assert_true (cb_checkpoint_scanner_get_loaded (scanner));
  g_assert_cmpuint (n_items (scanner), ==, 6);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (scanned, ==, 1);
  assert_paths (scanner, layout_paths);
  /* Again: nothing more to do. */
  g_assert_true (cb_checkpoint_scanner_install_finished (scanner, 0));
  g_assert_cmpuint (scanned, ==, 1);

  /* The callback finds it done: no second update, no second signal, a normal result. */
  spin_until (&res.done, SCAN_TIMEOUT_MS);
  g_assert_no_error (res.error);
  g_assert_true (res.ok);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (scanned, ==, 1);

  /* The next scan installs through its callback as before: it is unchanged, so quiet. */
  scan (scanner);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (scanned, ==, 2);
  g_assert_cmpuint (cb_checkpoint_scanner_get_stats (scanner)->n_dirs_read, ==, 0);

  finalize_scanner (scanner);
}

/* Symlinks from runs into other runs at several depths, under a depth bound: the threads'
 * parts meet in every way, and the walk still gives what one thread gives. */
static void
test_walk_threads_links_and_depth (Fixture       *fixture,
                                   gconstpointer  data)
{
  static const char * const levels[] = { "", "/a", "/a/b", "/a/b/c", "/a/b/c/d", "/a/b/c/d/e" };

  for (guint seed = 1; seed <= 4; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autofree char *name = g_strdup_printf ("outputs%u", seed);
      g_autofree char *outputs = g_build_filename (fixture->root, name, NULL);

      for (guint i = 0; i < 64; i++)
        for (guint l = 0; l < G_N_ELEMENTS (levels); l++)
          {
            g_autofree char *path = g_strdup_printf ("%s/r%02u%s/x.ckpt", outputs, i, levels[l]);
            g_autofree char *dir = g_path_get_dirname (path);

            make_dirs (dir);
            create_in_place (path, T0 + i * 10 + l);
          }
      for (guint k = 0; k < 24; k++)
        {
          guint from = g_rand_int_range (rand, 0, 64), to = g_rand_int_range (rand, 0, 64);
          guint from_level = g_rand_int_range (rand, 0, 4), to_level = g_rand_int_range (rand, 1, 4);
          g_autofree char *target = g_strdup_printf ("%s/r%02u%s", outputs, to, levels[to_level]);
          g_autofree char *link = g_strdup_printf ("%s/r%02u%s/l%u", outputs, from,
                                                   levels[from_level], k);

          g_assert_cmpint (symlink (target, link), ==, 0);
        }
      age_folders (outputs);

      for (guint depth = 2; depth <= 5; depth++)
        {
          CbCheckpointScanner *one = cb_checkpoint_scanner_new (fixture->root, name);
          g_autofree char *by_one = NULL;

          cb_checkpoint_scanner_set_max_threads (one, 1);
          cb_checkpoint_scanner_set_max_depth (one, depth);
          scan (one);
          by_one = describe_scan (one);

          for (guint rep = 0; rep < 3; rep++)
            {
              CbCheckpointScanner *four = cb_checkpoint_scanner_new (fixture->root, name);
              g_autofree char *by_four = NULL;

              cb_checkpoint_scanner_set_max_threads (four, 4);
              cb_checkpoint_scanner_set_max_depth (four, depth);
              scan (four);
              g_assert_cmpuint (cb_checkpoint_scanner_get_stats (four)->n_threads, >, 1);
              by_four = describe_scan (four);
              g_assert_cmpstr (by_four, ==, by_one);
              finalize_scanner (four);
            }
          finalize_scanner (one);
        }
    }
}

/* What the run-facts reader takes from YAML, and what it leaves: values inside sequences and
 * complex keys have no path; the last of a duplicated key wins; only the first document. */
static void
test_run_info_yaml_shapes (void)
{
  static const struct
  {
    const char *config;
    const char *exp_name;
    const char *loss;
  } cases[] = {
    { "model:\n  loss: [ {name: ctc} ]\n", NULL, NULL },
    { "- exp_name: foo\n", NULL, NULL },
    { "? {exp_name: k}\n: v\n", NULL, NULL },
    { "exp_name: a\nexp_name: b\n", "b", NULL },
    { "exp_name: a\n---\nexp_name: z\n", "a", NULL },
    { "stages:\n  - {exp_name: no}\n  - x\nexp_name: yes\nmodel: {loss: {name: db_loss}}\n",
      "yes", "db_loss" },
    { "model:\n  component_overrides:\n    loss:\n      name: dice\n  loss:\n    name: other\n",
      NULL, "dice" },
    { "exp_name: ~\n", NULL, NULL },
    { "exp_name: \"quoted: yes\"\n", "quoted: yes", NULL },
    { "exp_name: [unclosed\n", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbRunInfo) info = cb_run_info_parse (NULL, 0, cases[i].config,
                                                     strlen (cases[i].config));

      g_test_message ("case %u: %s", i, cases[i].config);
      g_assert_nonnull (info);
      g_assert_cmpstr (info->exp_name, ==, cases[i].exp_name);
      g_assert_cmpstr (info->loss, ==, cases[i].loss);
    }

  /* Hydra keeps ${…} in config.yaml: a key path is looked up in the same file; what cannot
   * be resolved there says nothing, and a less preferred path may say it. */
  {
    const char *config = "exp_version: v1\nexp_name: ${exp_version}-x\n"
                         "model:\n  architecture_name: ${model.architectures}\n"
                         "  architectures: dbnet\n  encoder:\n    model_name: ${oc.env:ENC}\n"
                         "  loss:\n    name: \\${literal}\n";
    const char *overrides = "- exp_name=${exp_version}-x\n";
    g_autoptr(CbRunInfo) info = cb_run_info_parse (overrides, strlen (overrides), config,
                                                   strlen (config));

    g_assert_cmpstr (info->exp_name, ==, "v1-x");
    g_assert_cmpstr (info->architecture, ==, "dbnet");
    g_assert_null (info->encoder);
    g_assert_cmpstr (info->loss, ==, "${literal}");
  }
  {
    const char *config = "model:\n  architecture_name: ${now:%Y}\n  architecture: craft\n"
                         "exp_name: ${a}\na: ${b}\nb: ${a}\n";
    g_autoptr(CbRunInfo) info = cb_run_info_parse (NULL, 0, config, strlen (config));

    g_assert_cmpstr (info->architecture, ==, "craft");
    g_assert_null (info->exp_name);
  }

  /* overrides.yaml: its strings, around an item that is not one. */
  {
    const char *overrides = "- exp_name=x\n- {a: b}\n- model/architectures=craft\n";
    g_autoptr(CbRunInfo) info = cb_run_info_parse (overrides, strlen (overrides), NULL, 0);

    g_assert_cmpstr (info->exp_name, ==, "x");
    g_assert_cmpstr (info->architecture, ==, "craft");
    g_assert_cmpstr (info->preprocessing_profile, ==, "none");
  }
}

static void
test_rescan_unchanged (Fixture       *fixture,
                       gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  const CbScanStats *stats;

  make_layout (fixture);
  scan (scanner);
  g_assert_cmpuint (cb_checkpoint_scanner_get_stats (scanner)->n_runs_read, ==, 1);

  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);
  g_assert_cmpuint (stats->n_dirs_read, ==, 0);
  g_assert_cmpuint (stats->n_dirs_reused, ==, LAYOUT_N_FOLDERS);
  g_assert_cmpuint (stats->n_runs_read, ==, 0);
  assert_paths (scanner, layout_paths);
  /* The run facts survive the reuse. */
  g_assert_cmpstr (cb_checkpoint_get_run_info (item_at (scanner, 5))->exp_name, ==, "my run");

  /* The run starts again in the same folder: Hydra rewrites .hydra/overrides.yaml in place
   * (no folder's time changes), and the trainer writes a new checkpoint. The checkpoint
   * folder is read again, and with it the run's files: only that run is parsed again. */
  {
    g_autofree char *run_old = g_build_filename (fixture->outputs, "run_old", NULL);
    g_autofree char *overrides = g_build_filename (run_old, ".hydra", "overrides.yaml", NULL);
    g_autofree char *hydra = g_build_filename (run_old, ".hydra", NULL);
    struct stat before, after;

    g_assert_cmpint (stat (hydra, &before), ==, 0);
    rewrite_in_place (overrides, "- exp_name=renamed\n");
    g_assert_cmpint (stat (hydra, &after), ==, 0);
    g_assert_true (before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
                   before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);

    /* Nothing else changed yet: the facts are what they were, no file was read. */
    scan (scanner);
    stats = cb_checkpoint_scanner_get_stats (scanner);
    g_assert_cmpuint (stats->n_dirs_read, ==, 0);
    g_assert_cmpuint (stats->n_runs_read, ==, 0);
    g_assert_cmpstr (cb_checkpoint_get_run_info (item_at (scanner, 5))->exp_name, ==, "my run");

    add_ckpt (fixture, "run_old/checkpoints/epoch-02_step-000020.ckpt", 950);
    scan (scanner);
    stats = cb_checkpoint_scanner_get_stats (scanner);
    g_assert_cmpuint (stats->n_dirs_read, ==, 1);
    g_assert_cmpuint (stats->n_runs_read, ==, 1);
    for (guint i = 0; i < n_items (scanner); i++)
      {
        CbCheckpoint *item = item_at (scanner, i);

        if (g_str_equal (cb_checkpoint_get_run (item), "run_old"))
          g_assert_cmpstr (cb_checkpoint_get_run_info (item)->exp_name, ==, "renamed");
      }

    /* Read again with the same contents and time: not parsed again. */
    add_ckpt (fixture, "run_old/checkpoints/epoch-03_step-000030.ckpt", 960);
    scan (scanner);
    stats = cb_checkpoint_scanner_get_stats (scanner);
    g_assert_cmpuint (stats->n_dirs_read, ==, 1);
    g_assert_cmpuint (stats->n_runs_read, ==, 0);
  }

  finalize_scanner (scanner);
}

static void
test_rescan_added_reads_changed_folder (Fixture       *fixture,
                                        gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  const CbScanStats *stats;

  make_layout (fixture);
  scan (scanner);

  add_ckpt (fixture, "run_old/checkpoints/epoch-02_step-000020.ckpt", 950);
  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);
  g_assert_cmpuint (stats->n_dirs_read, ==, 1);
  g_assert_cmpuint (stats->n_dirs_reused, ==, LAYOUT_N_FOLDERS - 1);
  g_assert_cmpuint (stats->n_runs_read, ==, 0);
  g_assert_cmpuint (stats->n_checkpoints, ==, 7);
  g_assert_true (has_path (scanner, "outputs/run_old/checkpoints/epoch-02_step-000020.ckpt"));

  /* A new run folder: outputs/ and the two new folders are read, the rest reused. */
  add_ckpt (fixture, "run_newer/checkpoints/last.ckpt", 7000);
  scan (scanner);
  stats = cb_checkpoint_scanner_get_stats (scanner);
  g_assert_cmpuint (stats->n_dirs_read, ==, 3);
  g_assert_cmpuint (stats->n_dirs_reused, ==, LAYOUT_N_FOLDERS - 1);
  g_assert_cmpstr (cb_checkpoint_get_path (item_at (scanner, 0)), ==,
                   "outputs/run_newer/checkpoints/last.ckpt");

  finalize_scanner (scanner);
}

static void
test_model_updated_in_place (Fixture       *fixture,
                             gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  GListModel *model = cb_checkpoint_scanner_get_model (scanner);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GPtrArray) before = g_ptr_array_new ();
  Change *change;

  make_layout (fixture);
  scan (scanner);
  for (guint i = 0; i < n_items (scanner); i++)
    g_ptr_array_add (before, item_at (scanner, i));
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), changes);

  /* Unchanged: not a single signal, the same objects. */
  scan (scanner);
  g_assert_cmpuint (changes->len, ==, 0);
  for (guint i = 0; i < before->len; i++)
    g_assert_true (item_at (scanner, i) == g_ptr_array_index (before, i));

  /* One checkpoint added to run_new, between its two: one insertion of one item at 1. */
  add_ckpt (fixture, "run_new/checkpoints/epoch-05_step-000500.ckpt", 2700);
  scan (scanner);
  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, 1);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);
  g_assert_cmpstr (cb_checkpoint_get_path (item_at (scanner, 1)), ==,
                   "outputs/run_new/checkpoints/epoch-05_step-000500.ckpt");
  g_assert_true (item_at (scanner, 0) == g_ptr_array_index (before, 0));
  for (guint i = 1; i < before->len; i++)
    g_assert_true (item_at (scanner, i + 1) == g_ptr_array_index (before, i));

  /* One removed (run_old's last.ckpt, at 5 now): one removal of one item. */
  g_array_set_size (changes, 0);
  {
    g_autofree char *path = g_build_filename (fixture->outputs, "run_old", "checkpoints",
                                              "last.ckpt", NULL);

    g_assert_cmpint (g_unlink (path), ==, 0);
  }
  scan (scanner);
  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, 5);
  g_assert_cmpuint (change->removed, ==, 1);
  g_assert_cmpuint (change->added, ==, 0);
  g_assert_cmpuint (n_items (scanner), ==, 6);
  g_assert_true (item_at (scanner, 5) == g_ptr_array_index (before, 5));
  for (guint i = 0; i < 4; i++)
    g_assert_true (item_at (scanner, i == 0 ? 0 : i + 1) == g_ptr_array_index (before, i));

  /* A file replaced (new size): its item is replaced, the others stay. */
  g_array_set_size (changes, 0);
  {
    g_autofree char *path = g_build_filename (fixture->outputs, "direct_run", "y.ckpt", NULL);
    CbCheckpoint *old = item_at (scanner, 4);

    g_assert_cmpstr (cb_checkpoint_get_path (old), ==, "outputs/direct_run/y.ckpt");
    g_assert_cmpint (g_unlink (path), ==, 0);
    write_file (fixture->outputs, "direct_run/y.ckpt", "a bigger checkpoint", T0 + 1500);
    scan (scanner);
    g_assert_cmpuint (n_items (scanner), ==, 6);
    g_assert_true (item_at (scanner, 4) != old);
    g_assert_cmpint (cb_checkpoint_get_size (item_at (scanner, 4)), ==, 19);
    g_assert_true (item_at (scanner, 3) == g_ptr_array_index (before, 2));
    g_assert_true (item_at (scanner, 5) == g_ptr_array_index (before, 5));
  }

  g_signal_handlers_disconnect_by_data (model, changes);
  finalize_scanner (scanner);
}

static void
test_rescan_twice_quickly (Fixture       *fixture,
                           gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  guint scanned = 0;

  make_big_tree (fixture->outputs, 300, 5, 3);
  age_folders (fixture->root);
  g_signal_connect_swapped (scanner, "scanned", G_CALLBACK (count_cb), &scanned);

  /* The first walk is cancelled by the second: only the second result is applied, and the
   * cancelled one is no warning (fatal here). */
  cb_checkpoint_scanner_rescan (scanner);
  add_ckpt (fixture, "run0000/checkpoints/late.ckpt", (gint64) time (NULL) + 3600 - T0);
  cb_checkpoint_scanner_rescan (scanner);
  wait_count (&scanned, 1, SCAN_TIMEOUT_MS);
  cb_test_spin_for (300);

  g_assert_cmpuint (scanned, ==, 1);
  g_assert_cmpuint (n_items (scanner), ==, 300 * 5 + 1);
  g_assert_cmpstr (cb_checkpoint_get_path (item_at (scanner, 0)), ==,
                   "outputs/run0000/checkpoints/late.ckpt");

  /* Three in a row, then the scanner goes away with nothing pending. */
  cb_checkpoint_scanner_rescan (scanner);
  cb_checkpoint_scanner_rescan (scanner);
  cb_checkpoint_scanner_rescan (scanner);
  wait_count (&scanned, 2, SCAN_TIMEOUT_MS);
  cb_test_spin_for (300);
  g_assert_cmpuint (scanned, ==, 2);

  finalize_scanner (scanner);
}

/* ---- watching --------------------------------------------------------------------------- */

/* Monitors for the most recently changed runs only, and they follow what changes. */
static void
test_watch_bounded (Fixture       *fixture,
                    gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  g_autofree char *outputs = g_strdup (fixture->outputs);
  gint64 now = (gint64) time (NULL);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *ckpt = g_strdup_printf ("run%03u/checkpoints/last.ckpt", i);

      add_ckpt (fixture, ckpt, i);
    }
  make_dirs (fixture->outputs);
  {
    g_autofree char *fresh = g_build_filename (fixture->outputs, "fresh", NULL);

    make_dirs (fresh);
  }
  age_folders (fixture->root);
  /* run000..run299 changed in that order, one second apart, the fresh run last of all. */
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/run%03u/checkpoints", outputs, i);

      set_mtime (dir, now - 1000 + i);
    }
  {
    g_autofree char *fresh = g_build_filename (fixture->outputs, "fresh", NULL);

    set_mtime (fresh, now - 10);
  }

  cb_checkpoint_scanner_watch (scanner);
  scan (scanner);
  /* outputs/, the fresh run and the 255 most recent checkpoint folders. */
  g_assert_cmpuint (cb_checkpoint_scanner_get_n_watched (scanner), ==, 1 + 256);
  g_assert_true (cb_checkpoint_scanner_is_watching (scanner, outputs));
  {
    g_autofree char *fresh = g_build_filename (outputs, "fresh", NULL);
    g_autofree char *newest = g_strdup_printf ("%s/run299/checkpoints", outputs);
    g_autofree char *last_in = g_strdup_printf ("%s/run045/checkpoints", outputs);
    g_autofree char *first_out = g_strdup_printf ("%s/run044/checkpoints", outputs);

    g_assert_true (cb_checkpoint_scanner_is_watching (scanner, fresh));
    g_assert_true (cb_checkpoint_scanner_is_watching (scanner, newest));
    g_assert_true (cb_checkpoint_scanner_is_watching (scanner, last_in));
    g_assert_false (cb_checkpoint_scanner_is_watching (scanner, first_out));
  }

  /* An old run gets a new checkpoint (seen by a rescan, as after a run in the app): it is
   * watched now, the least recent of the others no longer, and the count stays. */
  add_ckpt (fixture, "run000/checkpoints/epoch-01_step-000001.ckpt", 5000);
  scan (scanner);
  g_assert_cmpuint (cb_checkpoint_scanner_get_n_watched (scanner), ==, 1 + 256);
  {
    g_autofree char *revived = g_strdup_printf ("%s/run000/checkpoints", outputs);
    g_autofree char *dropped = g_strdup_printf ("%s/run045/checkpoints", outputs);

    g_assert_true (cb_checkpoint_scanner_is_watching (scanner, revived));
    g_assert_false (cb_checkpoint_scanner_is_watching (scanner, dropped));
  }

  finalize_scanner (scanner);
}

static void
test_watch (Fixture       *fixture,
            gconstpointer  data)
{
  CbCheckpointScanner *scanner = scanner_new (fixture);
  g_autofree char *path = g_build_filename (fixture->outputs, "run_old", "checkpoints",
                                            "epoch-09_step-000900.ckpt", NULL);
  g_autofree char *fresh = g_build_filename (fixture->outputs, "fresh_run", NULL);
  gint64 start;
  guint scanned = 0;
  gboolean seen = FALSE;

  make_layout (fixture);
  cb_checkpoint_scanner_watch (scanner);
  scan (scanner);
  g_signal_connect_swapped (scanner, "scanned", G_CALLBACK (count_cb), &scanned);

  /* A trainer writes a checkpoint: the model gains it without a rescan call. */
  start = g_get_monotonic_time ();
  create_in_place (path, 0);
  {
    gboolean timed_out = FALSE;
    guint id = g_timeout_add (SCAN_TIMEOUT_MS, flag_cb, &timed_out);

    while (!(seen = has_path (scanner, "outputs/run_old/checkpoints/epoch-09_step-000900.ckpt"))
           && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    if (!timed_out)
      g_source_remove (id);
  }
  g_assert_true (seen);
  g_test_message ("new checkpoint listed after %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (scanned, >=, 1);
  /* It is the newest file: its run comes first. */
  g_assert_cmpstr (cb_checkpoint_get_path (item_at (scanner, 0)), ==,
                   "outputs/run_old/checkpoints/epoch-09_step-000900.ckpt");

  /* A new run folder, then its checkpoints/ folder and a checkpoint in it. */
  make_dirs (fresh);
  cb_test_spin_for (100);
  {
    g_autofree char *ckpts = g_build_filename (fresh, "checkpoints", NULL);
    g_autofree char *ckpt = g_build_filename (ckpts, "last.ckpt", NULL);
    gboolean timed_out = FALSE;
    guint id;

    make_dirs (ckpts);
    create_in_place (ckpt, 0);
    id = g_timeout_add (SCAN_TIMEOUT_MS, flag_cb, &timed_out);
    while (!(seen = has_path (scanner, "outputs/fresh_run/checkpoints/last.ckpt")) && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    if (!timed_out)
      g_source_remove (id);
    g_assert_true (seen);
  }

  finalize_scanner (scanner);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/checkpoint/name/%s", name_cases[i].basename);

      g_test_add_data_func (path, &name_cases[i], test_name_pattern);
    }
  g_test_add_func ("/checkpoint/name/not-a-checkpoint", test_name_not_checkpoint);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/checkpoint/run-info/both", test_run_info_both);
  ADD ("/checkpoint/run-info/overrides-only", test_run_info_overrides_only);
  ADD ("/checkpoint/run-info/config-only", test_run_info_config_only);
  ADD ("/checkpoint/run-info/neither", test_run_info_neither);
  ADD ("/checkpoint/run-info/profiles", test_run_info_profiles);
  g_test_add_func ("/checkpoint/run-info/yaml-shapes", test_run_info_yaml_shapes);

  ADD ("/scanner/walk/layouts", test_walk_layouts);
  ADD ("/scanner/walk/order", test_walk_order);
  ADD ("/scanner/walk/worker-thread", test_walk_worker_thread);
  ADD ("/scanner/walk/no-outputs", test_walk_no_outputs);
  ADD ("/scanner/walk/symlink-loop", test_walk_symlink_loop);
  ADD ("/scanner/walk/symlink-elsewhere", test_walk_symlink_elsewhere);
  ADD ("/scanner/walk/depth-bound", test_walk_depth_bound);
  ADD ("/scanner/walk/unreadable", test_walk_unreadable);
  ADD ("/scanner/walk/deleted-between-scans", test_walk_deleted_between_scans);
  ADD ("/scanner/walk/deleted-concurrently", test_walk_deleted_concurrently);
  ADD ("/scanner/walk/cancel", test_walk_cancel);
  ADD ("/scanner/walk/big-tree", test_walk_big_tree);
  ADD ("/scanner/walk/threads-same-result", test_walk_threads_same_result);
  ADD ("/scanner/walk/threads-links-and-depth", test_walk_threads_links_and_depth);

  ADD ("/scanner/rescan/unchanged", test_rescan_unchanged);
  ADD ("/scanner/install-finished", test_install_finished);
  ADD ("/scanner/rescan/added-reads-changed-folder", test_rescan_added_reads_changed_folder);
  ADD ("/scanner/rescan/model-in-place", test_model_updated_in_place);
  ADD ("/scanner/rescan/twice-quickly", test_rescan_twice_quickly);

  ADD ("/scanner/watch/new-checkpoint", test_watch);
  ADD ("/scanner/watch/bounded", test_watch_bounded);
#undef ADD

  return g_test_run ();
}
