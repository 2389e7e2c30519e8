/* test-config-cache.c: the process-wide cache loads off the UI thread and follows changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "cb/cb-config-cache.h"
#include "cb/cb-form.h"
#include "cb/cb-problem.h"
#include "cb-test-util.h"

typedef struct
{
  char *root;
  char *configs;
} Fixture;

static void
write_file (const char *root,
            const char *relative,
            const char *contents)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("cb-cache-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->configs = g_build_filename (fixture->root, "configs", NULL);

  write_file (fixture->configs, "model/architectures/dbnet.yaml", "architectures: dbnet\n");
  write_file (fixture->configs, "ui_meta/architectures/dbnet.yaml",
              "ui_metadata:\n"
              "  default_decoder: unet\n"
              "  compatible_decoders: [unet, fpn_decoder]\n");
  write_file (fixture->configs, "preset/models/decoder/unet.yaml", "_target_: x.Unet\n");
  write_file (fixture->configs, "data/default.yaml", "batch_size: 4\n");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  cb_test_remove_tree (fixture->root);
  g_free (fixture->root);
  g_free (fixture->configs);
}

/* How long a change on disk may take to reach the cache before the test fails. The watch
 * debounces a burst of changes for a fraction of a second; the cap only guards against a
 * change never seen, so a loaded machine (AddressSanitizer, CI) does not fail the test. */
#define FOLLOW_TIMEOUT_MS 20000

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main context until the cache has installed more than @loads snapshots. */
static void
wait_for_loads (CbConfigCache *cache,
                guint          loads,
                guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (cb_config_cache_get_n_loads (cache) <= loads && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

static gboolean
strv_has (const char * const *strv,
          const char         *value)
{
  return g_strv_contains (strv, value);
}

static void
snapshot_notify_cb (CbConfigCache *cache,
                    GParamSpec    *pspec,
                    CbForm        *form)
{
  cb_form_set_snapshot (form, cb_config_cache_get_snapshot (cache));
}

static const char schema_text[] =
  "title: t\n"
  "ui_elements:\n"
  "  - key: architecture\n"
  "    type: selectbox\n"
  "    default: dbnet\n"
  "    options_source: models.architectures\n"
  "  - key: decoder\n"
  "    type: selectbox\n"
  "    default: unet\n"
  "    options_source: models.decoders\n"
  "    hydra_override: model.decoder\n";

static void
test_loads_on_worker_thread (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(CbConfigCache) cache = cb_config_cache_new (fixture->configs);

  g_assert_false (cb_config_cache_get_loaded (cache));
  /* Before the first load the snapshot is empty, never NULL. */
  g_assert_nonnull (cb_config_cache_get_snapshot (cache));
  g_assert_null (cb_config_snapshot_get_options (cb_config_cache_get_snapshot (cache),
                                                 "models.architectures")[0]);

  cb_config_cache_load_async (cache, NULL, NULL, NULL);
  wait_for_loads (cache, 0, 5000);

  g_assert_true (cb_config_cache_get_loaded (cache));
  g_assert_nonnull (cb_config_cache_get_last_loader_thread (cache));
  g_assert_true (cb_config_cache_get_last_loader_thread (cache) != (gpointer) g_thread_self ());
  g_assert_true (strv_has (cb_config_snapshot_get_options (cb_config_cache_get_snapshot (cache),
                                                           "models.architectures"), "dbnet"));
}

static void
test_follows_changes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CbConfigCache) cache = cb_config_cache_new (fixture->configs);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = cb_schema_load_data (schema_text, sizeof schema_text - 1,
                                                    "t.yaml", NULL, &error);
  g_autoptr(CbForm) form = NULL;
  CbConfigSnapshot *snapshot;
  const char * const *decoders;
  guint loads;
  gint64 start;

  g_assert_no_error (error);
  form = cb_form_new (schema, "train");
  g_signal_connect_object (cache, "notify::snapshot", G_CALLBACK (snapshot_notify_cb), form, 0);

  cb_config_cache_watch (cache);
  cb_config_cache_load_async (cache, NULL, NULL, NULL);
  wait_for_loads (cache, 0, 5000);

  /* fpn_decoder comes from the metadata, unet from the file stems. */
  decoders = cb_config_snapshot_get_options (cb_config_cache_get_snapshot (cache),
                                             "models.decoders");
  g_assert_true (strv_has (decoders, "unet"));
  g_assert_true (strv_has (decoders, "fpn_decoder"));
  g_assert_false (strv_has (decoders, "pan"));

  g_assert_true (cb_form_set_value (form, "decoder", g_variant_new_string ("fpn_decoder")));
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "decoder"), NULL), ==,
                   "fpn_decoder");

  /* A file added while running: the list follows (in well under a second; the time is
   * reported, the wait is capped at FOLLOW_TIMEOUT_MS), the choice is kept. */
  loads = cb_config_cache_get_n_loads (cache);
  start = g_get_monotonic_time ();
  write_file (fixture->configs, "preset/models/decoder/pan.yaml", "_target_: x.Pan\n");
  wait_for_loads (cache, loads, FOLLOW_TIMEOUT_MS);
  g_test_message ("added file seen after %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);

  snapshot = cb_config_cache_get_snapshot (cache);
  g_assert_true (strv_has (cb_config_snapshot_get_options (snapshot, "models.decoders"), "pan"));
  /* Only the new file needed parsing? No: stems are listed, not parsed; the metadata and
   * architecture files did not change, so nothing was parsed again. */
  g_assert_cmpuint (cb_config_snapshot_get_n_files_parsed (snapshot), ==, 0);
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "decoder"), NULL), ==,
                   "fpn_decoder");

  /* A metadata file changed: exactly that file is parsed again. */
  loads = cb_config_cache_get_n_loads (cache);
  write_file (fixture->configs, "ui_meta/architectures/dbnet.yaml",
              "ui_metadata:\n"
              "  default_decoder: unet\n"
              "  compatible_decoders: [unet, fpn_decoder, pan_decoder]\n");
  wait_for_loads (cache, loads, FOLLOW_TIMEOUT_MS);
  snapshot = cb_config_cache_get_snapshot (cache);
  g_assert_cmpuint (cb_config_snapshot_get_n_files_parsed (snapshot), ==, 1);
  g_assert_true (strv_has (cb_config_snapshot_get_options (snapshot, "models.decoders"),
                           "pan_decoder"));

  /* The metadata no longer names fpn_decoder: the form falls back to the default. */
  loads = cb_config_cache_get_n_loads (cache);
  write_file (fixture->configs, "ui_meta/architectures/dbnet.yaml",
              "ui_metadata:\n"
              "  default_decoder: unet\n"
              "  compatible_decoders: [unet]\n");
  wait_for_loads (cache, loads, FOLLOW_TIMEOUT_MS);
  snapshot = cb_config_cache_get_snapshot (cache);
  g_assert_false (strv_has (cb_config_snapshot_get_options (snapshot, "models.decoders"),
                            "fpn_decoder"));
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "decoder"), NULL), ==, "unet");

  /* A file removed. */
  loads = cb_config_cache_get_n_loads (cache);
  {
    g_autofree char *path = g_build_filename (fixture->configs, "preset/models/decoder/pan.yaml",
                                              NULL);

    g_assert_cmpint (g_unlink (path), ==, 0);
  }
  wait_for_loads (cache, loads, FOLLOW_TIMEOUT_MS);
  g_assert_false (strv_has (cb_config_snapshot_get_options (cb_config_cache_get_snapshot (cache),
                                                            "models.decoders"), "pan"));

  /* A broken file: reported with its position; the rest still loads. */
  loads = cb_config_cache_get_n_loads (cache);
  write_file (fixture->configs, "ui_meta/architectures/dbnet.yaml",
              "ui_metadata:\n  default_decoder: [unet\n");
  wait_for_loads (cache, loads, FOLLOW_TIMEOUT_MS);
  {
    g_autofree char *text = cb_problem_list_to_string (cb_config_cache_get_problems (cache));

    g_assert_nonnull (strstr (text, "ui_meta/architectures/dbnet.yaml:3:1:"));
    g_assert_true (strv_has (cb_config_snapshot_get_options (cb_config_cache_get_snapshot (cache),
                                                             "models.architectures"), "dbnet"));
  }
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  int *status = user_data;
  g_autoptr(GError) error = NULL;

  *status = cb_config_cache_load_finish (CB_CONFIG_CACHE (object), result, &error) ? 1 : 2;
  if (*status == 2)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
status_set (gpointer data)
{
  return *(int *) data != 0;
}

/* Spins the main context until @done, failing after @timeout_ms. */
static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  g_assert_true (cb_test_spin_until (done, data, timeout_ms));
}

/* A finished load is installed on demand, before its callback reaches the main context;
 * the callback then notifies nothing more. */
static void
test_install_finished (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CbConfigCache) cache = cb_config_cache_new (fixture->configs);
  guint n_snapshots = 0, n_loaded = 0;
  int status = 0;

  g_signal_connect (cache, "notify::snapshot", G_CALLBACK (count_cb), &n_snapshots);
  g_signal_connect (cache, "notify::loaded", G_CALLBACK (count_cb), &n_loaded);

  /* Nothing started: nothing to install. */
  g_assert_false (cb_config_cache_install_finished (cache, 0));

  cb_config_cache_load_async (cache, NULL, load_done_cb, &status);
  /* No main-context iteration: the worker's result is taken here (waiting for it). */
  g_assert_true (cb_config_cache_install_finished (cache, 10 * G_USEC_PER_SEC));
  g_assert_true (cb_config_cache_get_loaded (cache));
  g_assert_cmpuint (cb_config_cache_get_n_loads (cache), ==, 1);
  g_assert_cmpuint (n_snapshots, ==, 1);
  g_assert_cmpuint (n_loaded, ==, 1);
  g_assert_true (cb_config_cache_get_last_loader_thread (cache) != (gpointer) g_thread_self ());
  g_assert_true (strv_has (cb_config_snapshot_get_options (cb_config_cache_get_snapshot (cache),
                                                           "models.architectures"), "dbnet"));
  g_assert_cmpint (status, ==, 0);

  /* Taken once only; the callback finds nothing left to do. */
  g_assert_true (cb_config_cache_install_finished (cache, 0));
  spin_until (status_set, &status, 5000);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpuint (cb_config_cache_get_n_loads (cache), ==, 1);
  g_assert_cmpuint (n_snapshots, ==, 1);
  g_assert_cmpuint (n_loaded, ==, 1);
}

/* A cancelled load is never installed, on demand or by its callback. */
static void
test_install_cancelled (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CbConfigCache) cache = cb_config_cache_new (fixture->configs);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  int status = 0;

  cb_config_cache_load_async (cache, cancellable, load_done_cb, &status);
  g_cancellable_cancel (cancellable);
  g_assert_false (cb_config_cache_install_finished (cache, 10 * G_USEC_PER_SEC));
  spin_until (status_set, &status, 5000);
  g_assert_cmpint (status, ==, 2);
  g_assert_false (cb_config_cache_get_loaded (cache));
  g_assert_cmpuint (cb_config_cache_get_n_loads (cache), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/config-cache/worker-thread", Fixture, NULL, fixture_setup,
              test_loads_on_worker_thread, fixture_teardown);
  g_test_add ("/config-cache/follows-changes", Fixture, NULL, fixture_setup,
              test_follows_changes, fixture_teardown);
  g_test_add ("/config-cache/install-finished", Fixture, NULL, fixture_setup,
              test_install_finished, fixture_teardown);
  g_test_add ("/config-cache/install-cancelled", Fixture, NULL, fixture_setup,
              test_install_cancelled, fixture_teardown);

  return g_test_run ();
}
