/* test-window.c: the window and its pages, on the demo project and on a second schema set
 *
 * Runs under xvfb-run (see tests/meson.build). Each test builds its own window with its own
 * config cache, checkpoint scanner and in-memory settings, waits for the asynchronous loads
 * by spinning the main context (bounded), and proves with g_assert_finalize_object() that the
 * window and what it owned are gone at the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "cb-banner.h"
#include "cb-command-view.h"
#include "cb-page.h"
#include "cb-state-store.h"
#include "cb-terminal-pane.h"
#include "cb-window.h"
#include "cb/cb-problem.h"
#include "cb-test-gui.h"
#include "cb-test-hostile.h"
#include "cb-test-util.h"
#include "cb-widget-util.h"

/* Seconds any wait may take; raise it for slow runs (valgrind): CB_TEST_TIMEOUT=600. */
static guint timeout_s = 20;

typedef struct
{
  CbProject           *project;
  CbConfigCache       *cache;
  CbCheckpointScanner *scanner;
  GSettingsBackend    *backend;
  GSettings           *settings;
  CbWindow            *window;
} Fixture;

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

/* Spins the default main context until @done returns TRUE, failing after timeout_s. */
static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  g_assert_true (cb_test_spin_until (done, data, timeout_s * 1000));
}

static gboolean
cache_loaded (gpointer data)
{
  return cb_config_cache_get_loaded (data);
}

static gboolean
scanner_loaded (gpointer data)
{
  return cb_checkpoint_scanner_get_loaded (data);
}

static char *
demo_project_dir (void)
{
  return g_build_filename (cb_data_dir (), "demo-project", NULL);
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "gui-fixtures", name, NULL);
}

/* Each test starts from the defaults: no values saved by an earlier test. */
static void
forget_saved_values (const char *project_root)
{
  g_autofree char *path = cb_state_store_path_for_project (project_root);

  g_unlink (path);
}

/* Windows of 600×500 at the top left, away from the pointer, which Xvfb puts in the middle
 * of the screen: GTK 4.8 keeps the widget under the pointer (and through its action muxer
 * the window's action group) until the next crossing event, which would make a finalized
 * window look as if it leaked its GSettings action. */
static GSettings *
new_settings (GSettingsBackend *backend)
{
  GSettings *settings = g_settings_new_with_backend (APP_ID, backend);

  g_settings_set_int (settings, "window-width", 600);
  g_settings_set_int (settings, "window-height", 500);
  return settings;
}

static CbWindow *
new_window (Fixture    *fixture,
            const char *schemas_dir)
{
  return g_object_new (CB_TYPE_WINDOW,
                       "project", fixture->project,
                       "config-cache", fixture->cache,
                       "checkpoint-scanner", fixture->scanner,
                       "settings", fixture->settings,
                       "schemas-dir", schemas_dir,
                       NULL);
}

static void
fixture_open (Fixture    *fixture,
              const char *project_dir,
              const char *schemas_dir,
              gboolean    wait_for_pages)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autofree char *configs = NULL;

  fixture->project = cb_project_load (project_dir, problems);
  g_assert_nonnull (fixture->project);
  forget_saved_values (fixture->project->root);

  configs = cb_project_get_path (fixture->project, fixture->project->configs_dir);
  fixture->cache = cb_config_cache_new (configs);
  cb_config_cache_load_async (fixture->cache, NULL, NULL, NULL);
  fixture->scanner = cb_checkpoint_scanner_new (fixture->project->root,
                                                fixture->project->outputs_dir);
  cb_checkpoint_scanner_rescan (fixture->scanner);

  fixture->backend = g_memory_settings_backend_new ();
  fixture->settings = new_settings (fixture->backend);

  fixture->window = g_object_new (CB_TYPE_WINDOW,
                                  "project", fixture->project,
                                  "config-cache", fixture->cache,
                                  "checkpoint-scanner", fixture->scanner,
                                  "settings", fixture->settings,
                                  "schemas-dir", schemas_dir,
                                  "problems", problems,
                                  NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));

  spin_until (cache_loaded, fixture->cache);
  spin_until (scanner_loaded, fixture->scanner);
  if (wait_for_pages)
    spin_until (cb_test_all_pages_built, fixture->window);
  cb_test_spin_pending ();
}

static void
destroy_window (CbWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  cb_test_spin_pending ();
  g_assert_finalize_object (window);
}

/* A GTask run in a thread holds its source object until the worker thread lets go of the
 * task, which can be just after the callback ran on the main thread. */
static gboolean
only_reference (gpointer object)
{
  return g_atomic_int_get ((int *) &G_OBJECT (object)->ref_count) == 1;
}

static void
fixture_close (Fixture *fixture)
{
  if (fixture->window != NULL)
    destroy_window (g_steal_pointer (&fixture->window));

  spin_until (only_reference, fixture->scanner);
  spin_until (only_reference, fixture->cache);
  g_assert_finalize_object (g_steal_pointer (&fixture->scanner));
  g_assert_finalize_object (g_steal_pointer (&fixture->cache));
  if (fixture->settings != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->settings));
  g_clear_object (&fixture->backend);
  g_clear_pointer (&fixture->project, cb_project_unref);
}

static CbForm *
page_form (CbWindow   *window,
           const char *page)
{
  CbForm *form = cb_page_get_form (cb_window_get_page (window, page));

  g_assert_true (CB_IS_FORM (form));
  return form;
}

static const char *
form_string (CbForm     *form,
             const char *key)
{
  GVariant *value = cb_form_get_value (form, key);

  g_assert_nonnull (value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  return g_variant_get_string (value, NULL);
}

static guint
find_string (GListModel *model,
             const char *text)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), text) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static char **
model_strings (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);
  char **strings = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      strings[i] = g_strdup (gtk_string_object_get_string (item));
    }

  return strings;
}

static const char *
shown_command (CbWindow *window)
{
  return cb_command_view_get_text (cb_window_get_command_view (window));
}

/* ------------------------------------------------------------------------------------ */
/* Tests                                                                                */

static void
test_demo_build (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  const char * const pages[] = { "train", "test", "predict" };

  fixture_open (&f, demo, NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      CbPage *page = cb_window_get_page (f.window, pages[i]);
      CbForm *form = page_form (f.window, pages[i]);

      g_assert_null (cb_page_get_error (page));
      g_assert_cmpuint (cb_page_get_n_rows_built (page), ==,
                        cb_schema_get_n_fields (cb_form_get_schema (form)));
      g_assert_cmpuint (cb_page_get_n_groups (page), >, 1);
    }

  /* Sections from the key table. */
  g_assert_true (cb_page_get_group (cb_window_get_page (f.window, "train"), "exp_name") !=
                 cb_page_get_group (cb_window_get_page (f.window, "train"), "encoder"));
  g_assert_true (cb_page_get_group (cb_window_get_page (f.window, "train"), "encoder") ==
                 cb_page_get_group (cb_window_get_page (f.window, "train"), "decoder"));

  /* The preview shows the visible page's command, the moment it is built. */
  g_assert_cmpstr (shown_command (f.window), ==,
                   cb_command_get_display (cb_form_get_command (page_form (f.window, "train"))));
  g_assert_nonnull (strstr (shown_command (f.window), " runners/train.py "));

  /* Test's checkpoint list came from the scanner. */
  {
    GtkWidget *control = cb_page_get_control (cb_window_get_page (f.window, "test"),
                                              "checkpoint_path");

    g_assert_true (GTK_IS_DROP_DOWN (control));
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (control))),
                      >, 0);
  }

  fixture_close (&f);
}

static void
test_lazy_build (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  CbPage *train, *test, *predict;
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autofree char *configs = NULL;

  f.project = cb_project_load (demo, problems);
  forget_saved_values (f.project->root);
  configs = cb_project_get_path (f.project, f.project->configs_dir);
  f.cache = cb_config_cache_new (configs);
  f.scanner = cb_checkpoint_scanner_new (f.project->root, f.project->outputs_dir);
  f.backend = g_memory_settings_backend_new ();
  f.settings = new_settings (f.backend);
  g_settings_set_string (f.settings, "last-page", "test");

  f.window = new_window (&f, NULL);
  train = cb_window_get_page (f.window, "train");
  test = cb_window_get_page (f.window, "test");
  predict = cb_window_get_page (f.window, "predict");

  /* Only the page that will be shown (the last one used) is built before the first frame. */
  g_assert_true (cb_window_get_visible_page (f.window) == test);
  g_assert_true (cb_page_is_built (test));
  g_assert_false (cb_page_is_built (train));
  g_assert_false (cb_page_is_built (predict));

  /* The cache was not loaded yet: the page was built anyway, and fills in later. */
  cb_config_cache_load_async (f.cache, NULL, NULL, NULL);
  cb_checkpoint_scanner_rescan (f.scanner);
  gtk_window_present (GTK_WINDOW (f.window));

  /* The others are built after the first frame, without a visit. */
  spin_until (cb_test_all_pages_built, f.window);
  g_assert_true (cb_window_get_visible_page (f.window) == test);
  spin_until (cache_loaded, f.cache);
  spin_until (scanner_loaded, f.scanner);
  cb_test_spin_pending ();

  /* The pickers are full, but no checkpoint is chosen for the user: Test says so. */
  {
    CbForm *form = page_form (f.window, "test");

    g_assert_null (cb_form_get_value (form, "checkpoint_path"));
    g_assert_false (cb_form_is_valid (form));
    g_assert_null (strstr (shown_command (f.window), "checkpoint_path="));
  }
  g_assert_cmpstr (shown_command (f.window), ==,
                   cb_command_get_display (cb_form_get_command (page_form (f.window, "test"))));

  fixture_close (&f);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        guint      *count)
{
  (*count)++;
}

/* The application starts the config load before GTK initialises; the window takes the
 * finished snapshot when it is built, so that its first page has its option lists before
 * the first frame, and nothing arrives later to make it lay them out again. */
static void
test_snapshot_before_first_frame (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autofree char *configs = NULL;
  GtkWidget *arch;
  guint n_snapshots = 0;
  guint n_checkpoints, n_model_changes = 0;

  f.project = cb_project_load (demo, problems);
  forget_saved_values (f.project->root);
  configs = cb_project_get_path (f.project, f.project->configs_dir);
  f.cache = cb_config_cache_new (configs);
  f.scanner = cb_checkpoint_scanner_new (f.project->root, f.project->outputs_dir);
  f.backend = g_memory_settings_backend_new ();
  f.settings = new_settings (f.backend);

  /* Started, not yet delivered: no main-context iteration until the window is built. */
  cb_config_cache_load_async (f.cache, NULL, NULL, NULL);
  cb_checkpoint_scanner_rescan (f.scanner);
  g_assert_false (cb_config_cache_get_loaded (f.cache));

  f.window = new_window (&f, NULL);
  g_assert_true (cb_config_cache_get_loaded (f.cache));
  g_assert_cmpuint (cb_config_cache_get_n_loads (f.cache), ==, 1);
  /* The checkpoint scan too: its list is full before the window's first frame. */
  g_assert_true (cb_checkpoint_scanner_get_loaded (f.scanner));
  n_checkpoints = g_list_model_get_n_items (cb_checkpoint_scanner_get_model (f.scanner));
  g_assert_cmpuint (n_checkpoints, >, 0);
  g_signal_connect (cb_checkpoint_scanner_get_model (f.scanner), "items-changed",
                    G_CALLBACK (count_items_changed_cb), &n_model_changes);
  arch = cb_page_get_control (cb_window_get_page (f.window, "train"), "architecture");
  g_assert_true (ADW_IS_COMBO_ROW (arch));
  g_assert_cmpuint (find_string (adw_combo_row_get_model (ADW_COMBO_ROW (arch)), "craft"), !=,
                    GTK_INVALID_LIST_POSITION);
  g_assert_cmpstr (form_string (page_form (f.window, "train"), "architecture"), ==, "dbnet");

  /* The load's callback, when it runs, changes nothing. */
  g_signal_connect (f.cache, "notify::snapshot", G_CALLBACK (count_notify_cb), &n_snapshots);
  gtk_window_present (GTK_WINDOW (f.window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));
  spin_until (scanner_loaded, f.scanner);
  spin_until (cb_test_all_pages_built, f.window);
  cb_test_spin_pending ();
  g_assert_cmpuint (n_snapshots, ==, 0);
  g_assert_cmpuint (cb_config_cache_get_n_loads (f.cache), ==, 1);
  g_signal_handlers_disconnect_by_func (f.cache, count_notify_cb, &n_snapshots);
  /* The scan's callback, when it ran, changed nothing either. */
  g_assert_cmpuint (n_model_changes, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cb_checkpoint_scanner_get_model (f.scanner)), ==,
                    n_checkpoints);
  g_signal_handlers_disconnect_by_func (cb_checkpoint_scanner_get_model (f.scanner),
                                        count_items_changed_cb, &n_model_changes);

  fixture_close (&f);
}

static void
test_visible_if (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  CbPage *page;
  GtkWidget *resume;

  fixture_open (&f, demo, NULL, TRUE);
  page = cb_window_get_page (f.window, "train");

  g_assert_false (gtk_widget_get_visible (cb_page_get_row (page, "checkpoint_path")));
  g_assert_true (gtk_widget_get_visible (cb_page_get_row (page, "architecture")));
  g_assert_true (gtk_widget_get_visible (cb_page_get_group (page, "encoder")));

  resume = cb_page_get_control (page, "resume_training");
  g_assert_true (GTK_IS_SWITCH (resume));
  gtk_switch_set_active (GTK_SWITCH (resume), TRUE);

  g_assert_true (gtk_widget_get_visible (cb_page_get_row (page, "checkpoint_path")));
  /* Resuming keeps the model's rows: the checkpoint's run fills them in. */
  g_assert_true (gtk_widget_get_visible (cb_page_get_row (page, "architecture")));
  g_assert_true (gtk_widget_get_visible (cb_page_get_row (page, "encoder")));
  /* Same frame: no checkpoint is taken for the user, the model overrides stay. */
  g_assert_null (strstr (shown_command (f.window), "resume="));
  g_assert_nonnull (strstr (shown_command (f.window), "model/architectures="));

  gtk_switch_set_active (GTK_SWITCH (resume), FALSE);
  g_assert_false (gtk_widget_get_visible (cb_page_get_row (page, "checkpoint_path")));
  g_assert_true (gtk_widget_get_visible (cb_page_get_row (page, "architecture")));
  g_assert_true (gtk_widget_get_visible (cb_page_get_group (page, "encoder")));

  fixture_close (&f);
}

static void
test_architecture (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  CbPage *page;
  CbForm *form;
  GtkWidget *arch, *decoder;
  GListModel *decoders;
  g_auto(GStrv) decoder_items = NULL;
  guint craft;

  fixture_open (&f, demo, NULL, TRUE);
  page = cb_window_get_page (f.window, "train");
  form = page_form (f.window, "train");

  arch = cb_page_get_control (page, "architecture");
  g_assert_true (ADW_IS_COMBO_ROW (arch));
  craft = find_string (adw_combo_row_get_model (ADW_COMBO_ROW (arch)), "craft");
  g_assert_cmpuint (craft, !=, GTK_INVALID_LIST_POSITION);

  adw_combo_row_set_selected (ADW_COMBO_ROW (arch), craft);

  g_assert_cmpstr (form_string (form, "architecture"), ==, "craft");
  g_assert_cmpstr (form_string (form, "decoder"), ==, "craft_decoder");

  decoder = cb_page_get_control (page, "decoder");
  decoders = adw_combo_row_get_model (ADW_COMBO_ROW (decoder));
  decoder_items = model_strings (decoders);
  g_assert_cmpstrv (decoder_items, ((const char * const[]) { "craft_decoder", NULL }));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (decoder)), ==, 0);
  g_assert_nonnull (strstr (shown_command (f.window), "model/architectures=craft"));
  g_assert_nonnull (strstr (shown_command (f.window),
                            "model.component_overrides.decoder.name=craft_decoder"));

  /* The learning-rate slider follows the optimizer's metadata: range, step and default. */
  {
    GtkWidget *optimizer;
    GtkAdjustment *lr;
    guint adamw;

    adw_combo_row_set_selected (ADW_COMBO_ROW (arch),
                                find_string (adw_combo_row_get_model (ADW_COMBO_ROW (arch)),
                                             "dbnet"));
    optimizer = cb_page_get_control (page, "optimizer");
    adamw = find_string (adw_combo_row_get_model (ADW_COMBO_ROW (optimizer)), "adamw");
    g_assert_cmpuint (adamw, !=, GTK_INVALID_LIST_POSITION);
    adw_combo_row_set_selected (ADW_COMBO_ROW (optimizer), adamw);

    /* A scale in powers of ten over adamw's range (three orders of magnitude). */
    lr = gtk_range_get_adjustment (GTK_RANGE (cb_page_get_control (page, "learning_rate")));
    g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_lower (lr), log10 (5e-6), 1e-12);
    g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (lr), log10 (5e-3), 1e-12);
    g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (lr),
                                    log10 (g_variant_get_double (cb_form_get_value (form,
                                                                                    "learning_rate"))),
                                    1e-12);
    g_assert_nonnull (strstr (shown_command (f.window), "model/optimizers=adamw"));

    /* Moving the scale gives two significant digits, without binary noise. */
    gtk_range_set_value (GTK_RANGE (cb_page_get_control (page, "learning_rate")),
                         log10 (0.0012345));
    g_assert_nonnull (strstr (shown_command (f.window), "model.optimizer.lr=0.00123 "));
    /* The weight decay's scale is linear and on its step grid. */
    gtk_range_set_value (GTK_RANGE (cb_page_get_control (page, "weight_decay")), 0.00123);
    g_assert_nonnull (strstr (shown_command (f.window), "model.optimizer.weight_decay=0.0012 "));
  }

  fixture_close (&f);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
widget_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

/* A combo row's popup builds its items the first time it opens (cb_popup_list_defer); then
 * it lists every option by its label, and the focus is inside it, as before. */
static void
test_combo_popup (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  GtkWidget *arch, *popover, *list, *focus;
  GListModel *model;
  guint n_items, n_shown = 0;

  fixture_open (&f, demo, NULL, TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));
  arch = cb_page_get_control (cb_window_get_page (f.window, "train"), "architecture");
  g_assert_true (ADW_IS_COMBO_ROW (arch));
  model = adw_combo_row_get_model (ADW_COMBO_ROW (arch));
  n_items = g_list_model_get_n_items (model);
  g_assert_cmpuint (n_items, >, 1);
  popover = cb_widget_find_descendant (arch, GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  list = cb_widget_find_descendant (popover, GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (list);
  g_assert_null (cb_widget_find_descendant (list, GTK_TYPE_LABEL));

  adw_action_row_activate (ADW_ACTION_ROW (arch));
  spin_until (widget_mapped, popover);
  gtk_test_widget_wait_for_draw (popover);

  for (GtkWidget *item = gtk_widget_get_first_child (list); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *label = cb_widget_find_descendant (item, GTK_TYPE_LABEL);

      if (label != NULL && gtk_widget_get_mapped (label) &&
          find_string (model, gtk_label_get_label (GTK_LABEL (label))) != GTK_INVALID_LIST_POSITION)
        n_shown++;
    }
  g_assert_cmpuint (n_shown, ==, n_items);
  focus = gtk_root_get_focus (GTK_ROOT (f.window));
  g_assert_nonnull (focus);
  g_assert_true (focus == popover || gtk_widget_is_ancestor (focus, popover));

  gtk_popover_popdown (GTK_POPOVER (popover));
  spin_until (widget_unmapped, popover);
  fixture_close (&f);
}

static gboolean
variant_matches (GVariant *expected,
                 GVariant *actual)
{
  if (actual == NULL)
    return FALSE;
  if (g_variant_equal (expected, actual))
    return TRUE;

  /* Numbers may differ in type (a use case's 4 for a float slider). */
  if ((g_variant_is_of_type (expected, G_VARIANT_TYPE_INT64) ||
       g_variant_is_of_type (expected, G_VARIANT_TYPE_DOUBLE)) &&
      (g_variant_is_of_type (actual, G_VARIANT_TYPE_INT64) ||
       g_variant_is_of_type (actual, G_VARIANT_TYPE_DOUBLE)))
    {
      double a = g_variant_is_of_type (expected, G_VARIANT_TYPE_INT64)
                   ? (double) g_variant_get_int64 (expected) : g_variant_get_double (expected);
      double b = g_variant_is_of_type (actual, G_VARIANT_TYPE_INT64)
                   ? (double) g_variant_get_int64 (actual) : g_variant_get_double (actual);

      return G_APPROX_VALUE (a, b, 1e-12);
    }

  return FALSE;
}

static void
test_use_case (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  g_autoptr(GPtrArray) use_cases = NULL;
  const CbUseCase *use_case = NULL;
  g_autofree char *id = NULL;
  CbPage *page;
  CbForm *form;
  GtkWidget *row;

  fixture_open (&f, demo, NULL, TRUE);
  page = cb_window_get_page (f.window, "train");
  form = page_form (f.window, "train");

  use_cases = cb_form_get_use_cases (form);
  g_assert_cmpuint (use_cases->len, >, 0);

  /* The one that changes the most. */
  for (guint i = 0; i < use_cases->len; i++)
    {
      const CbUseCase *candidate = g_ptr_array_index (use_cases, i);

      if (use_case == NULL || candidate->n_params > use_case->n_params)
        use_case = candidate;
    }
  id = g_strdup (use_case->id);
  g_assert_nonnull (cb_page_get_use_case_row (page, id));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.apply-use-case", "s", id));

  /* use_case may be gone with the old list if the architecture changed: look it up again. */
  g_clear_pointer (&use_cases, g_ptr_array_unref);
  use_cases = cb_form_get_use_cases (form);
  use_case = NULL;
  for (guint i = 0; i < use_cases->len; i++)
    if (g_strcmp0 (((const CbUseCase *) g_ptr_array_index (use_cases, i))->id, id) == 0)
      use_case = g_ptr_array_index (use_cases, i);
  g_assert_nonnull (use_case);

  for (guint i = 0; i < use_case->n_params; i++)
    {
      GVariant *actual;

      if (cb_schema_find_field (cb_form_get_schema (form), use_case->param_names[i]) < 0)
        continue;
      actual = cb_form_get_value (form, use_case->param_names[i]);
      if (!variant_matches (use_case->param_values[i], actual))
        {
          g_autofree char *e = g_variant_print (use_case->param_values[i], TRUE);
          g_autofree char *a = actual ? g_variant_print (actual, TRUE) : g_strdup ("NULL");

          g_error ("%s: expected %s, got %s", use_case->param_names[i], e, a);
        }
    }

  /* The applied setup is marked and lists what it changed. */
  row = cb_page_get_use_case_row (page, id);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "→"));

  /* Reset brings the defaults back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.reset", NULL));
  g_assert_cmpstr (form_string (form, "architecture"), ==, "dbnet");
  g_assert_cmpstr (form_string (form, "encoder"), ==, "resnet18");

  fixture_close (&f);
}

typedef struct
{
  char     *text;
  gboolean  done;
} ReadData;

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  data->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((ReadData *) data)->done;
}

static char *
read_clipboard (GtkWidget *widget)
{
  ReadData data = { 0 };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, &data);
  spin_until (read_done, &data);
  return data.text;
}

static void
test_copy (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  g_autofree char *copied = NULL;
  g_autofree char *copied_test = NULL;
  g_autofree char *multiline = NULL;

  fixture_open (&f, demo, NULL, TRUE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.copy-command", NULL));
  copied = read_clipboard (GTK_WIDGET (f.window));
  g_assert_cmpstr (copied, ==,
                   cb_command_get_display (cb_form_get_command (page_form (f.window, "train"))));

  /* Another page, another command. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page", "s",
                                             "test"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.copy-command", NULL));
  copied_test = read_clipboard (GTK_WIDGET (f.window));
  g_assert_cmpstr (copied_test, ==,
                   cb_command_get_display (cb_form_get_command (page_form (f.window, "test"))));

  /* The multi-line preview copies what it shows. */
  g_settings_set_boolean (f.settings, "multiline-preview", TRUE);
  g_assert_cmpstr (shown_command (f.window), ==,
                   cb_command_get_display_multiline (cb_form_get_command (page_form (f.window,
                                                                                     "test"))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.copy-command", NULL));
  multiline = read_clipboard (GTK_WIDGET (f.window));
  g_assert_cmpstr (multiline, ==, shown_command (f.window));

  fixture_close (&f);
}

static void
test_switch_pages (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  const char * const pages[] = { "train", "test", "predict" };
  guint built[3];
  guint updates;

  fixture_open (&f, demo, NULL, TRUE);

  for (guint i = 0; i < 3; i++)
    built[i] = cb_page_get_n_rows_built (cb_window_get_page (f.window, pages[i]));

  updates = cb_command_view_get_n_updates (cb_window_get_command_view (f.window));
  for (guint n = 0; n < 100; n++)
    {
      const char *name = pages[n % 3];

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page",
                                                 "s", name));
      g_assert_true (cb_window_get_visible_page (f.window) ==
                     cb_window_get_page (f.window, name));
      g_assert_cmpstr (shown_command (f.window), ==,
                       cb_command_get_display (cb_form_get_command (page_form (f.window, name))));
      cb_test_spin_pending ();
    }

  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (cb_page_get_n_rows_built (cb_window_get_page (f.window, pages[i])), ==,
                      built[i]);
  /* One preview update per switch, nothing else. */
  g_assert_cmpuint (cb_command_view_get_n_updates (cb_window_get_command_view (f.window)), <=,
                    updates + 100);

  fixture_close (&f);
}

/* The preview's height after the window drew its next frame. */
static int
drawn_preview_height (CbWindow *window)
{
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  cb_test_spin_pending ();
  return gtk_widget_get_height (GTK_WIDGET (cb_window_get_command_view (window)));
}

/* The preview keeps its height whatever command it shows, so that a tab switch or an edit
 * never lays the whole window out again; the multi-line view is taller, and as steady. */
static void
test_preview_height (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  const char * const pages[] = { "train", "test", "predict" };
  CbCommandView *view;
  GtkWidget *stack;
  int height, stack_height, multiline_height;
  guint n_lines[3];

  fixture_open (&f, demo, NULL, TRUE);
  view = cb_window_get_command_view (f.window);
  stack = gtk_widget_get_parent (GTK_WIDGET (cb_window_get_page (f.window, "train")));

  height = drawn_preview_height (f.window);
  stack_height = gtk_widget_get_height (stack);
  g_assert_cmpint (height, >, 0);
  g_assert_false (cb_command_view_get_multiline (view));

  for (guint n = 0; n < 6; n++)
    {
      const char *name = pages[n % 3];

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page",
                                                 "s", name));
      g_assert_cmpint (drawn_preview_height (f.window), ==, height);
      g_assert_cmpint (gtk_widget_get_height (stack), ==, stack_height);
    }

  /* The pages' commands take different numbers of lines at this width (a preview sized to
   * its text would have changed its height above). */
  for (guint i = 0; i < 3; i++)
    {
      GtkWidget *text_view;
      GtkTextIter iter;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page",
                                                 "s", pages[i]));
      drawn_preview_height (f.window);
      text_view = gtk_scrolled_window_get_child (
        GTK_SCROLLED_WINDOW (gtk_widget_get_last_child (GTK_WIDGET (view))));
      g_assert_true (GTK_IS_TEXT_VIEW (text_view));
      gtk_text_buffer_get_start_iter (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view)),
                                      &iter);
      for (n_lines[i] = 1; gtk_text_view_forward_display_line (GTK_TEXT_VIEW (text_view), &iter);)
        n_lines[i]++;
    }
  g_test_message ("lines of the commands: %u, %u, %u", n_lines[0], n_lines[1], n_lines[2]);
  g_assert_true (n_lines[0] != n_lines[2]);

  /* An edit that makes the command much longer scrolls it instead. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page", "s",
                                             "train"));
  cb_form_set_value (page_form (f.window, "train"), "exp_name",
                     g_variant_new_string ("a_much_longer_experiment_name_that_wraps_the_"
                                           "command_onto_more_lines_than_it_had_before_"
                                           "and_then_some_more_of_it_to_be_sure"));
  g_assert_nonnull (strstr (shown_command (f.window), "a_much_longer_experiment_name"));
  g_assert_cmpint (drawn_preview_height (f.window), ==, height);
  g_assert_cmpint (gtk_widget_get_height (stack), ==, stack_height);

  /* The multi-line view holds more lines, and keeps its own height across pages. */
  g_settings_set_boolean (f.settings, "multiline-preview", TRUE);
  g_assert_true (cb_command_view_get_multiline (view));
  multiline_height = drawn_preview_height (f.window);
  g_assert_cmpint (multiline_height, >, height);
  for (guint n = 0; n < 3; n++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page",
                                                 "s", pages[n]));
      g_assert_cmpint (drawn_preview_height (f.window), ==, multiline_height);
    }

  g_settings_set_boolean (f.settings, "multiline-preview", FALSE);
  g_assert_cmpint (drawn_preview_height (f.window), ==, height);

  fixture_close (&f);
}

static gboolean
save_settled (gpointer data)
{
  return !cb_state_store_get_save_pending (data);
}

static void
test_state (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  CbStateStore *store;
  CbPage *train;
  GtkWidget *entry;
  g_autofree char *path = NULL;
  guint writes;

  fixture_open (&f, demo, NULL, TRUE);
  store = cb_window_get_state_store (f.window);
  path = g_strdup (cb_state_store_get_path (store));
  g_assert_true (g_str_has_prefix (path, g_get_user_state_dir ()));

  /* Typing: no write per keystroke, one write after the pause. What the window saved as it
   * opened (the pages built after the first frame) is written first. */
  spin_until (save_settled, store);
  writes = cb_state_store_get_n_writes (store);
  entry = cb_page_get_control (cb_window_get_page (f.window, "train"), "exp_name");
  g_assert_true (ADW_IS_ENTRY_ROW (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "r");
  gtk_editable_set_text (GTK_EDITABLE (entry), "re");
  gtk_editable_set_text (GTK_EDITABLE (entry), "rec");
  gtk_editable_set_text (GTK_EDITABLE (entry), "receipts_v2");
  g_assert_cmpuint (cb_state_store_get_n_writes (store), ==, writes);
  g_assert_true (cb_state_store_get_save_pending (store));
  spin_until (save_settled, store);
  g_assert_cmpuint (cb_state_store_get_n_writes (store), ==, writes + 1);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* More values, on two pages; written when the window goes. */
  gtk_switch_set_active (GTK_SWITCH (cb_page_get_control (cb_window_get_page (f.window, "train"),
                                                          "wandb")), TRUE);
  gtk_switch_set_active (GTK_SWITCH (cb_page_get_control (cb_window_get_page (f.window, "train"),
                                                          "append-suffix")), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (cb_page_get_control (cb_window_get_page (f.window, "test"),
                                                            "exp_name")), "eval_night");
  cb_form_set_extra_overrides (page_form (f.window, "train"),
                               (const char * const[]) { "+trainer.fast_dev_run=true",
                                                        "+note='a b; $x'", NULL });
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page", "s",
                                             "predict"));

  /* Closing saves the values at once, and the window's size and page in the settings. */
  writes = cb_state_store_get_n_writes (store);
  g_settings_set_int (f.settings, "window-width", 1);
  g_settings_set_string (f.settings, "last-page", "train");
  g_object_ref (f.window);
  gtk_window_close (GTK_WINDOW (f.window));
  g_assert_cmpuint (cb_state_store_get_n_writes (store), ==, writes + 1);
  g_assert_cmpint (g_settings_get_int (f.settings, "window-width"), ==, 600);
  g_assert_cmpint (g_settings_get_int (f.settings, "window-height"), ==, 500);
  g_assert_false (g_settings_get_boolean (f.settings, "window-maximized"));
  {
    g_autofree char *last_page = g_settings_get_string (f.settings, "last-page");

    g_assert_cmpstr (last_page, ==, "predict");
  }
  cb_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&f.window));

  /* A new window on the same project gets them back. */
  f.window = new_window (&f, NULL);
  gtk_window_present (GTK_WINDOW (f.window));
  spin_until (cb_test_all_pages_built, f.window);

  train = cb_window_get_page (f.window, "train");
  g_assert_cmpstr (form_string (page_form (f.window, "train"), "exp_name"), ==, "receipts_v2");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cb_page_get_control (train, "exp_name"))),
                   ==, "receipts_v2");
  g_assert_true (g_variant_get_boolean (cb_form_get_value (page_form (f.window, "train"),
                                                           "wandb")));
  g_assert_false (cb_form_get_append_suffix (page_form (f.window, "train")));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (cb_page_get_control (train,
                                                                          "append-suffix"))));
  g_assert_cmpstr (form_string (page_form (f.window, "test"), "exp_name"), ==, "eval_night");
  g_assert_true (g_strv_equal (cb_form_get_extra_overrides (page_form (f.window, "train")),
                               (const char * const[]) { "+trainer.fast_dev_run=true",
                                                        "+note='a b; $x'", NULL }));
  /* ...and opens on the page it was closed on. */
  g_assert_true (cb_window_get_visible_page (f.window) == cb_window_get_page (f.window, "predict"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page", "s",
                                             "train"));
  g_assert_nonnull (strstr (shown_command (f.window), "exp_name=receipts_v2 "));

  fixture_close (&f);
}

/* A write that fails is shown, with its reason, until one succeeds (issue 15). */
static void
test_state_save_error (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  CbStateStore *store;
  CbBanner *banner;
  GtkWidget *entry;

  fixture_open (&f, demo, NULL, TRUE);
  store = cb_window_get_state_store (f.window);
  path = g_strdup (cb_state_store_get_path (store));
  banner = cb_test_find_banner (GTK_WIDGET (f.window), "Your edits are not being saved");
  g_assert_nonnull (banner);
  g_assert_false (cb_banner_get_revealed (banner));

  /* A folder where the file goes: every write fails, even as root. */
  g_remove (path);
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  entry = cb_page_get_control (cb_window_get_page (f.window, "train"), "exp_name");
  gtk_editable_set_text (GTK_EDITABLE (entry), "kept_edit");
  spin_until (save_settled, store);
  g_assert_nonnull (cb_state_store_get_save_error (store));
  g_assert_true (cb_banner_get_revealed (banner));
  g_assert_nonnull (strstr (cb_banner_get_details (banner),
                            cb_state_store_get_save_error (store)));

  /* Another edit tries again, and fails again: the banner stays. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "kept_edit_2");
  g_assert_true (cb_state_store_get_save_pending (store));
  spin_until (save_settled, store);
  g_assert_true (cb_banner_get_revealed (banner));

  /* Fixed, Try Again writes the values and the banner goes. */
  g_assert_cmpint (g_rmdir (path), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.retry-save", NULL));
  g_assert_null (cb_state_store_get_save_error (store));
  g_assert_false (cb_banner_get_revealed (banner));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "kept_edit_2"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  fixture_close (&f);
}

static void
assert_file_has (const char *path,
                 const char *text)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  if (strstr (contents, text) == NULL)
    g_error ("%s does not hold %s:\n%s", path, text, contents);
}

/* The file is written in a worker thread, not on the UI thread (its fsync can take long);
 * a flush, as on closing, writes at once and is never undone by an older write that was
 * still in the worker. */
static void
test_state_save_background (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  g_autofree char *path = NULL;
  CbStateStore *store;
  GtkWidget *entry;
  guint writes, background;

  fixture_open (&f, demo, NULL, TRUE);
  store = cb_window_get_state_store (f.window);
  path = g_strdup (cb_state_store_get_path (store));
  spin_until (save_settled, store);
  writes = cb_state_store_get_n_writes (store);
  background = cb_state_store_get_n_background_writes (store);

  entry = cb_page_get_control (cb_window_get_page (f.window, "train"), "exp_name");
  gtk_editable_set_text (GTK_EDITABLE (entry), "in_the_worker");
  g_assert_true (cb_state_store_get_save_pending (store));
  spin_until (save_settled, store);
  g_assert_cmpuint (cb_state_store_get_n_writes (store), ==, writes + 1);
  g_assert_cmpuint (cb_state_store_get_n_background_writes (store), ==, background + 1);
  assert_file_has (path, "in_the_worker");

  /* The timer hands a value to the worker, which is slow to write it (made so here); a newer
   * value is flushed meanwhile: the file ends with the newer one, written once. */
  g_setenv ("CB_STATE_WRITE_DELAY_MS", "1000", TRUE);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *first = g_strdup_printf ("first_%u", i);
      g_autofree char *last = g_strdup_printf ("last_%u", i);
      g_autoptr(GError) error = NULL;

      writes = cb_state_store_get_n_writes (store);
      gtk_editable_set_text (GTK_EDITABLE (entry), first);
      cb_test_spin_for (CB_STATE_STORE_SAVE_DELAY_MS + 100);
      g_assert_true (cb_state_store_get_save_pending (store));
      gtk_editable_set_text (GTK_EDITABLE (entry), last);
      g_assert_true (cb_state_store_flush (store, &error));
      g_assert_no_error (error);
      assert_file_has (path, last);
      spin_until (save_settled, store);
      assert_file_has (path, last);
      g_assert_null (cb_state_store_get_save_error (store));
      g_assert_cmpuint (cb_state_store_get_n_writes (store), ==, writes + 1);
    }
  g_unsetenv ("CB_STATE_WRITE_DELAY_MS");

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  fixture_close (&f);
}

static void
test_custom_schemas (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  g_autofree char *schemas = fixture_path ("schemas");
  CbPage *train, *test, *predict;
  CbForm *form;
  CbBanner *banner;
  GtkWidget *turbo, *flavour, *city, *ratio;
  guint chocolate;

  fixture_open (&f, demo, schemas, TRUE);
  train = cb_window_get_page (f.window, "train");
  test = cb_window_get_page (f.window, "test");
  predict = cb_window_get_page (f.window, "predict");
  form = page_form (f.window, "train");

  /* Keys the section table does not know: one group, every field a row. */
  g_assert_cmpuint (cb_page_get_n_groups (train), ==, 1);
  g_assert_cmpuint (cb_page_get_n_rows_built (train), ==, 5);
  g_assert_null (cb_page_get_row (train, "append-suffix"));
  g_assert_false (gtk_widget_get_visible (cb_page_get_row (train, "speed")));

  turbo = cb_page_get_control (train, "turbo");
  gtk_switch_set_active (GTK_SWITCH (turbo), TRUE);
  g_assert_true (gtk_widget_get_visible (cb_page_get_row (train, "speed")));
  g_assert_nonnull (strstr (shown_command (f.window), "run.speed=2"));

  flavour = cb_page_get_control (train, "flavour");
  g_assert_true (ADW_IS_COMBO_ROW (flavour));
  chocolate = find_string (adw_combo_row_get_model (ADW_COMBO_ROW (flavour)), "chocolate");
  adw_combo_row_set_selected (ADW_COMBO_ROW (flavour), chocolate);
  g_assert_cmpstr (form_string (form, "flavour"), ==, "chocolate");
  g_assert_nonnull (strstr (shown_command (f.window), "run.flavour=chocolate"));

  /* A slider with a printf format: the spin button shows it, the scale feeds the form. */
  ratio = cb_page_get_control (train, "ratio");
  g_assert_true (GTK_IS_SCALE (ratio));
  gtk_range_set_value (GTK_RANGE (ratio), 0.5);
  g_assert_cmpfloat_with_epsilon (g_variant_get_double (cb_form_get_value (form, "ratio")),
                                  0.5, 1e-12);
  g_assert_nonnull (strstr (shown_command (f.window), "run.ratio=0.5"));
  {
    GtkWidget *row = cb_page_get_row (train, "ratio");
    GtkWidget *spin = NULL;

    for (GtkWidget *w = gtk_widget_get_first_child (row); w != NULL && spin == NULL;
         w = gtk_widget_get_next_sibling (w))
      {
        /* the spin button is somewhere below the row */
        GtkWidget *stack[64];
        guint n = 0;

        stack[n++] = w;
        while (n > 0 && spin == NULL)
          {
            GtkWidget *cur = stack[--n];

            if (GTK_IS_SPIN_BUTTON (cur))
              spin = cur;
            for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL && n < 64;
                 c = gtk_widget_get_next_sibling (c))
              stack[n++] = c;
          }
      }
    g_assert_nonnull (spin);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.50");
  }

  /* A broken schema: a status page with the file, line and column, not a crash. */
  g_assert_nonnull (cb_page_get_error (test));
  g_assert_nonnull (strstr (cb_page_get_error (test), "test.yaml:"));
  g_assert_null (cb_page_get_form (test));
  banner = CB_BANNER (cb_window_get_problems_banner (f.window));
  g_assert_true (cb_banner_get_revealed (banner));
  g_assert_nonnull (strstr (cb_banner_get_details (banner), "test.yaml:"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page", "s",
                                             "test"));
  g_assert_cmpstr (shown_command (f.window), ==, "");
  g_assert_nonnull (cb_command_view_get_problem (cb_window_get_command_view (f.window)));

  /* A long list gets the searchable drop-down. */
  city = cb_page_get_control (predict, "city");
  g_assert_true (GTK_IS_DROP_DOWN (city));
  g_assert_true (gtk_drop_down_get_enable_search (GTK_DROP_DOWN (city)));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (city)), ==,
                    find_string (gtk_drop_down_get_model (GTK_DROP_DOWN (city)), "oslo"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (city),
                              find_string (gtk_drop_down_get_model (GTK_DROP_DOWN (city)),
                                           "kyoto"));
  g_assert_cmpstr (form_string (page_form (f.window, "predict"), "city"), ==, "kyoto");

  fixture_close (&f);
}

static void
test_broken_configs (void)
{
  Fixture f = { 0 };
  g_autofree char *broken = fixture_path ("broken-project");
  CbBanner *banner;

  fixture_open (&f, broken, NULL, TRUE);
  banner = CB_BANNER (cb_window_get_problems_banner (f.window));

  /* The pages open with what could be loaded. */
  g_assert_cmpuint (cb_page_get_n_rows_built (cb_window_get_page (f.window, "train")), >, 0);
  g_assert_cmpstr (form_string (page_form (f.window, "train"), "architecture"), ==, "dbnet");

  /* The banner names the file, line and column. */
  g_assert_true (cb_banner_get_revealed (banner));
  g_assert_nonnull (strstr (cb_banner_get_details (banner), "dbnet.yaml:4:"));

  /* Dismissed, it stays closed for the same problems. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (banner), "banner.dismiss", NULL));
  g_assert_false (cb_banner_get_revealed (banner));
  g_object_notify (G_OBJECT (f.cache), "snapshot");
  g_assert_false (cb_banner_get_revealed (banner));

  fixture_close (&f);
}

static void
test_no_configs (void)
{
  Fixture f = { 0 };
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autofree char *empty = fixture_path ("no-configs-project");
  g_autofree char *configs = NULL;
  CbBanner *banner;

  f.project = cb_project_load (empty, problems);
  forget_saved_values (f.project->root);
  configs = cb_project_get_path (f.project, f.project->configs_dir);
  f.cache = cb_config_cache_new (configs);
  cb_config_cache_load_async (f.cache, NULL, NULL, NULL);
  f.scanner = cb_checkpoint_scanner_new (f.project->root, f.project->outputs_dir);
  cb_checkpoint_scanner_rescan (f.scanner);
  f.backend = g_memory_settings_backend_new ();
  f.settings = new_settings (f.backend);
  f.window = g_object_new (CB_TYPE_WINDOW,
                           "project", f.project,
                           "config-cache", f.cache,
                           "checkpoint-scanner", f.scanner,
                           "settings", f.settings,
                           "problems", problems,
                           NULL);
  gtk_window_present (GTK_WINDOW (f.window));
  spin_until (cache_loaded, f.cache);
  spin_until (cb_test_all_pages_built, f.window);

  banner = CB_BANNER (cb_window_get_problems_banner (f.window));
  g_assert_true (cb_banner_get_revealed (banner));
  g_assert_nonnull (strstr (cb_banner_get_details (banner), "configs"));
  g_assert_cmpuint (cb_page_get_n_rows_built (cb_window_get_page (f.window, "train")), >, 0);
  g_assert_nonnull (strstr (shown_command (f.window), " runners/train.py "));

  fixture_close (&f);
}

static gboolean
banner_revealed (gpointer data)
{
  return cb_banner_get_revealed (data);
}

/* Issue 15: the worst of the hostile catalogue (test-hostile-catalogue) at once. The window
 * must come up within the bound of spin_until() and name each broken file in the problems
 * banner, instead of hanging on the FIFOs or crashing on the nesting. */
static void
test_hostile_project (void)
{
  Fixture f = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *settings = g_build_filename (project, "command-builder.yaml", NULL);
  g_autofree char *fifo = g_build_filename (project, "configs", "trainer", "x.yaml", NULL);
  g_autofree char *record = g_build_filename (project, "outputs", "demo_training", ".hydra",
                                              "config.yaml", NULL);
  g_autofree char *deep_path = g_build_filename (project, "configs", "logger", "wandb.yaml", NULL);
  g_autofree char *schemas = g_build_filename (tmp, "schemas", NULL);
  g_autofree char *schema = g_build_filename (schemas, "test.yaml", NULL);
  g_autofree char *loop = g_build_filename (project, "outputs", "loop", NULL);
  g_autofree char *up = g_build_filename (project, "outputs", "demo_training", "checkpoints", "up",
                                          NULL);
  g_autofree char *deep = hostile_repeat ("[", 60000);
  g_autofree char *deep_text = g_strconcat ("wandb: ", deep, "\n", NULL);
  g_autofree char *laughs = hostile_billion_laughs ();
  g_autofree char *schema_text = g_strconcat ("title: Laughs\nui_elements:\n  - key: a\n"
                                              "    type: selectbox\n    options: ", laughs,
                                              "\n", NULL);
  gint64 start;
  CbBanner *banner;
  const char *details;

  hostile_make_fifo (settings);
  hostile_make_fifo (fifo);
  hostile_make_fifo (record);
  hostile_write_file (deep_path, deep_text, -1);
  hostile_write_file (schema, schema_text, -1);
  hostile_make_symlink (".", loop);
  hostile_make_symlink ("..", up);

  start = g_get_monotonic_time ();
  fixture_open (&f, project, schemas, FALSE);
  banner = CB_BANNER (cb_window_get_problems_banner (f.window));
  spin_until (banner_revealed, banner);
  g_test_message ("window up, banner shown in %.2f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  details = cb_banner_get_details (banner);
  g_test_message ("%s", details);
  hostile_assert_contains (details, "command-builder.yaml: is a FIFO, not a regular file");
  hostile_assert_contains (details, "wandb.yaml:1:");
  hostile_assert_contains (details, "nested too deeply");
  hostile_assert_contains (details, "test.yaml:5:");
  hostile_assert_contains (details, "aliases expand to too many nodes");

  /* The pages that could be read work. */
  spin_until (cb_test_all_pages_built, f.window);
  g_assert_nonnull (strstr (shown_command (f.window), " runners/train.py "));

  fixture_close (&f);
  cb_test_remove_tree (tmp);
}

/* ------------------------------------------------------------------------------------ */
/* Following the configs, checkpoint pickers, running                                   */

/* A copy of the demo project in a new temporary folder: runs may write to it. */
static char *
copy_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("test-window-demo-XXXXXX", &error);
  char *dest;

  g_assert_no_error (error);
  dest = g_build_filename (tmp, "demo", NULL);
  g_assert_true (cb_copy_demo_project (dest, &error));
  g_assert_no_error (error);
  return dest;
}

static void
remove_copy (const char *dest)
{
  g_autofree char *tmp = g_path_get_dirname (dest);

  cb_test_remove_tree (dest);
  g_rmdir (tmp);
}

static void
replace_in_file (const char *path,
                 const char *old,
                 const char *new)
{
  g_autofree char *contents = NULL;
  g_autoptr(GString) edited = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, old));
  edited = g_string_new (contents);
  g_string_replace (edited, old, new, 1);
  g_assert_true (g_file_set_contents (path, edited->str, -1, &error));
  g_assert_no_error (error);
}

typedef struct
{
  GtkWidget  *combo;
  const char *text;
  gboolean    present;
} ComboWait;

static gboolean
combo_has (gpointer data)
{
  ComboWait *wait = data;
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (wait->combo));

  return (find_string (model, wait->text) != GTK_INVALID_LIST_POSITION) == wait->present;
}

static const char *
combo_selected (GtkWidget *combo)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (combo));

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

/* The page's lists follow the configs folder: a new decoder file is offered within a
 * second, a removed one goes, and a choice still offered is kept. */
static void
test_config_follows (void)
{
  Fixture f = { 0 };
  g_autofree char *copy = copy_demo ();
  g_autofree char *meta = g_build_filename (copy, "configs", "ui_meta", "architectures",
                                            "dbnet.yaml", NULL);
  g_autofree char *decoder_file = g_build_filename (copy, "configs", "preset", "models",
                                                    "decoder", "zz_test_decoder.yaml", NULL);
  g_autoptr(GError) error = NULL;
  CbPage *page;
  CbForm *form;
  GtkWidget *decoder;
  ComboWait wait = { 0 };

  /* DBNet lists its compatible decoders; without that list it offers every decoder the
   * configs have, new ones included. */
  replace_in_file (meta, "compatible_decoders: [unet, fpn_decoder, pan_decoder]",
                   "# compatible_decoders: any");

  fixture_open (&f, copy, NULL, TRUE);
  cb_config_cache_watch (f.cache);
  page = cb_window_get_page (f.window, "train");
  form = page_form (f.window, "train");
  decoder = cb_page_get_control (page, "decoder");
  g_assert_true (ADW_IS_COMBO_ROW (decoder));

  wait.combo = decoder;
  wait.text = "zz_test_decoder";
  wait.present = FALSE;
  g_assert_true (combo_has (&wait));

  /* The user's choice, which the reloads must keep. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (decoder),
                              find_string (adw_combo_row_get_model (ADW_COMBO_ROW (decoder)),
                                           "pan"));
  g_assert_cmpstr (form_string (form, "decoder"), ==, "pan");

  g_assert_true (g_file_set_contents (decoder_file,
                                      "# @package model.decoder\n"
                                      "_target_: ocr.models.decoder.zz.ZzDecoder\n",
                                      -1, &error));
  g_assert_no_error (error);
  wait.present = TRUE;
  g_assert_true (cb_test_spin_until (combo_has, &wait, 1000));
  g_assert_cmpstr (form_string (form, "decoder"), ==, "pan");
  g_assert_cmpstr (combo_selected (decoder), ==, "pan");
  g_assert_nonnull (strstr (shown_command (f.window), "decoder.name=pan "));

  /* Chosen, then removed: gone from the list, and the page is back on the default. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (decoder),
                              find_string (adw_combo_row_get_model (ADW_COMBO_ROW (decoder)),
                                           "zz_test_decoder"));
  g_assert_cmpstr (form_string (form, "decoder"), ==, "zz_test_decoder");
  g_assert_cmpint (g_unlink (decoder_file), ==, 0);
  wait.present = FALSE;
  g_assert_true (cb_test_spin_until (combo_has, &wait, 1000));
  g_assert_cmpstr (form_string (form, "decoder"), ==, "unet");
  g_assert_cmpstr (combo_selected (decoder), ==, "unet");

  fixture_close (&f);
  remove_copy (copy);
}

static guint
find_checkpoint (GListModel *model,
                 const char *path)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbCheckpoint) item = g_list_model_get_item (model, i);

      if (g_str_equal (cb_checkpoint_get_path (item), path))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* How many checkpoints the picker's popup lists for @text. */
static guint
search_checkpoints (GtkWidget  *dropdown,
                    const char *text)
{
  GtkWidget *entry = cb_widget_find_descendant (dropdown, GTK_TYPE_SEARCH_ENTRY);
  GtkWidget *list = cb_widget_find_descendant (dropdown, GTK_TYPE_LIST_VIEW);

  g_assert_nonnull (entry);
  g_assert_nonnull (list);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "search-changed");
  cb_test_spin_pending ();

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list))));
}

#define RECEIPTS_LAST "outputs/receipts-dbnet-fpn_decoder-resnet34/checkpoints/last.ckpt"
#define CRAFT_LAST    "outputs/3/checkpoints/last.ckpt"

static void
check_checkpoint_page (Fixture    *f,
                       const char *page_name)
{
  CbPage *page = cb_window_get_page (f->window, page_name);
  CbForm *form = page_form (f->window, page_name);
  GListModel *shared = cb_checkpoint_scanner_get_model (f->scanner);
  GtkWidget *picker = cb_page_get_control (page, "checkpoint_path");
  GtkWidget *row = cb_page_get_row (page, "checkpoint_path");
  GtkWidget *encoder = cb_page_get_control (page, "encoder");
  GtkWidget *encoder_row = cb_page_get_row (page, "encoder");
  const char *subtitle;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.switch-page", "s",
                                             page_name));

  /* The picker shows the scanner's model itself. */
  g_assert_true (GTK_IS_DROP_DOWN (picker));
  g_assert_true (gtk_drop_down_get_model (GTK_DROP_DOWN (picker)) == shared);
  g_assert_true (gtk_drop_down_get_enable_search (GTK_DROP_DOWN (picker)));

  /* Choosing a checkpoint fills in what its run was trained with. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (picker), find_checkpoint (shared, CRAFT_LAST));
  g_assert_cmpstr (form_string (form, "checkpoint_path"), ==, CRAFT_LAST);
  g_assert_cmpstr (form_string (form, "architecture"), ==, "craft");

  gtk_drop_down_set_selected (GTK_DROP_DOWN (picker), find_checkpoint (shared, RECEIPTS_LAST));
  g_assert_cmpstr (form_string (form, "checkpoint_path"), ==, RECEIPTS_LAST);
  g_assert_cmpstr (form_string (form, "architecture"), ==, "dbnet");
  g_assert_cmpstr (form_string (form, "encoder"), ==, "resnet34");
  g_assert_cmpstr (form_string (form, "decoder"), ==, "fpn_decoder");
  g_assert_cmpstr (form_string (form, "preprocessing_profile"), ==, "lens_style");
  g_assert_nonnull (cb_form_get_checkpoint_note (form));
  g_assert_nonnull (strstr (shown_command (f->window), "checkpoint_path=" RECEIPTS_LAST));

  /* The row tells what the chosen checkpoint's run was trained with. */
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (subtitle, "resnet34"));
  g_assert_nonnull (strstr (subtitle, "lens_style"));
  g_assert_false (gtk_widget_has_css_class (encoder_row, "cb-warning"));

  /* Another encoder than the run's: allowed, with a warning on its row. */
  g_assert_true (ADW_IS_COMBO_ROW (encoder));
  adw_combo_row_set_selected (ADW_COMBO_ROW (encoder),
                              find_string (adw_combo_row_get_model (ADW_COMBO_ROW (encoder)),
                                           "resnet18"));
  g_assert_cmpstr (form_string (form, "encoder"), ==, "resnet18");
  g_assert_true (cb_form_is_valid (form));
  g_assert_true (gtk_widget_has_css_class (encoder_row, "cb-warning"));
  g_assert_false (gtk_widget_has_css_class (encoder_row, "cb-invalid"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (encoder_row)),
                            "resnet34"));

  /* And back: the warning goes. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (encoder),
                              find_string (adw_combo_row_get_model (ADW_COMBO_ROW (encoder)),
                                           "resnet34"));
  g_assert_false (gtk_widget_has_css_class (encoder_row, "cb-warning"));

  /* The search matches anywhere in the run, the name, the components and the path. */
  g_assert_cmpuint (search_checkpoints (picker, "resnet34"), ==, 3);
  g_assert_cmpuint (search_checkpoints (picker, "hmean"), ==, 2);
  g_assert_cmpuint (search_checkpoints (picker, "no such checkpoint"), ==, 0);
  g_assert_cmpuint (search_checkpoints (picker, ""), ==, g_list_model_get_n_items (shared));
  g_assert_cmpstr (form_string (form, "checkpoint_path"), ==, RECEIPTS_LAST);
}

static void
test_checkpoint_pickers (void)
{
  Fixture f = { 0 };
  g_autofree char *demo = demo_project_dir ();
  GtkWidget *resume_picker;

  fixture_open (&f, demo, NULL, TRUE);

  check_checkpoint_page (&f, "test");
  check_checkpoint_page (&f, "predict");

  /* Train's resume picker shows the same model. */
  resume_picker = cb_page_get_control (cb_window_get_page (f.window, "train"),
                                       "checkpoint_path");
  g_assert_true (gtk_drop_down_get_model (GTK_DROP_DOWN (resume_picker)) ==
                 cb_checkpoint_scanner_get_model (f.scanner));

  fixture_close (&f);
}

typedef struct
{
  guint  n_finished;
  int    exit_status;
  int    exit_signal;
} RunWatch;

static void
finished_cb (CbTerminalPane *pane,
             int             exit_status,
             int             exit_signal,
             double          seconds,
             RunWatch       *watch)
{
  watch->n_finished++;
  watch->exit_status = exit_status;
  watch->exit_signal = exit_signal;
}

typedef struct
{
  RunWatch *watch;
  guint     n;
} FinishedWait;

static gboolean
finished_n (gpointer data)
{
  FinishedWait *wait = data;

  return wait->watch->n_finished >= wait->n;
}

static void
wait_finished (RunWatch *watch,
               guint     n)
{
  FinishedWait wait = { watch, n };

  g_assert_true (cb_test_spin_until (finished_n, &wait, 30000));
}

static gboolean
run_enabled (CbWindow *window)
{
  CbCommandView *view = cb_window_get_command_view (window);

  return gtk_widget_is_sensitive (cb_command_view_get_run_button (view));
}

typedef struct
{
  GListModel *model;
  const char *prefix;
} PrefixWait;

static gboolean
has_checkpoint_under (gpointer data)
{
  PrefixWait *wait = data;
  guint n = g_list_model_get_n_items (wait->model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbCheckpoint) item = g_list_model_get_item (wait->model, i);

      if (g_str_has_prefix (cb_checkpoint_get_path (item), wait->prefix))
        return TRUE;
    }

  return FALSE;
}

static const char *
argv_value (const char * const *argv,
            const char         *key)
{
  g_autofree char *prefix = g_strconcat (key, "=", NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    if (g_str_has_prefix (argv[i], prefix))
      return argv[i] + strlen (prefix);
  return NULL;
}

static gboolean
terminal_has (CbTerminalPane *pane,
              const char     *text)
{
  g_autofree char *all = cb_terminal_pane_dup_text (pane);

  return strstr (all, text) != NULL;
}

typedef struct
{
  CbTerminalPane *pane;
  const char     *text;
} TextWait;

static gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;

  return terminal_has (wait->pane, wait->text);
}

static gboolean
wait_terminal_text (CbTerminalPane *pane,
                    const char     *text)
{
  TextWait wait = { pane, text };

  return cb_test_spin_until (text_shown, &wait, 5000);
}

/* The demo loop: train from the window, and the new checkpoint is offered on Test. */
static void
test_run_demo_loop (void)
{
  Fixture f = { 0 };
  g_autofree char *copy = copy_demo ();
  g_autofree char *exp_name = g_strdup_printf ("loop%d_%" G_GINT64_FORMAT, (int) getpid (),
                                               g_get_real_time () % 1000000);
  g_autofree char *run_name = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *display = NULL;
  g_autofree char *copied = NULL;
  CbTerminalPane *pane;
  CbPage *train;
  CbForm *form;
  RunWatch watch = { 0 };
  PrefixWait wait;
  CbRunHistory *history;
  g_autoptr(CbRunRecord) record = NULL;
  GtkWidget *test_picker;
  GtkWidget *area;
  int height;

  g_setenv ("CB_DEMO_FAST", "1", TRUE);
  fixture_open (&f, copy, NULL, TRUE);
  pane = cb_window_get_terminal_pane (f.window);
  train = cb_window_get_page (f.window, "train");
  form = page_form (f.window, "train");
  g_signal_connect (pane, "finished", G_CALLBACK (finished_cb), &watch);

  /* A checkpoint chosen on Test, which the new ones must not displace. */
  test_picker = cb_page_get_control (cb_window_get_page (f.window, "test"), "checkpoint_path");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (test_picker),
                              find_checkpoint (cb_checkpoint_scanner_get_model (f.scanner),
                                               RECEIPTS_LAST));
  g_assert_cmpstr (form_string (page_form (f.window, "test"), "checkpoint_path"), ==,
                   RECEIPTS_LAST);

  /* Nothing spawned at start-up, and no terminal until the first run. */
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (pane)));
  g_assert_false (cb_terminal_pane_get_running (pane));

  gtk_editable_set_text (GTK_EDITABLE (cb_page_get_control (train, "exp_name")), exp_name);
  gtk_range_set_value (GTK_RANGE (cb_page_get_control (train, "max_epochs")), 2);
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "max_epochs")), ==, 2);
  g_assert_true (run_enabled (f.window));
  display = g_strdup (cb_command_get_display (cb_form_get_command (form)));
  run_name = g_strdup (argv_value (cb_command_get_argv (cb_form_get_command (form)),
                                   "exp_name"));
  g_assert_nonnull (run_name);
  g_assert_true (g_str_has_prefix (run_name, exp_name));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (pane)));
  g_assert_true (cb_terminal_pane_get_running (pane));
  g_assert_true (run_enabled (f.window));  /* another run takes a tab of its own */
  g_assert_true (cb_command_view_get_running (cb_window_get_command_view (f.window)));
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (f.window)), "Running"));

  wait_finished (&watch, 1);
  g_assert_cmpint (watch.exit_status, ==, 0);
  g_assert_cmpint (watch.exit_signal, ==, 0);
  g_assert_true (wait_terminal_text (pane, "max_epochs=2"));
  g_assert_true (terminal_has (pane, "Epoch 1"));
  g_assert_true (run_enabled (f.window));
  g_assert_false (cb_command_view_get_running (cb_window_get_command_view (f.window)));
  g_assert_null (strstr (gtk_window_get_title (GTK_WINDOW (f.window)), "Running"));

  /* The scanner looked again: Test offers the new run's checkpoints. */
  prefix = g_strdup_printf ("outputs/%s/checkpoints/", run_name);
  wait.model = gtk_drop_down_get_model (GTK_DROP_DOWN (cb_page_get_control (
    cb_window_get_page (f.window, "test"), "checkpoint_path")));
  wait.prefix = prefix;
  g_assert_true (cb_test_spin_until (has_checkpoint_under, &wait, 10000));
  g_assert_cmpstr (form_string (page_form (f.window, "test"), "checkpoint_path"), ==,
                   RECEIPTS_LAST);
  g_assert_cmpstr (cb_checkpoint_get_path (gtk_drop_down_get_selected_item (
                     GTK_DROP_DOWN (test_picker))), ==, RECEIPTS_LAST);

  /* The history has the run; loaded back, copied, run again. */
  history = cb_terminal_pane_get_history (pane);
  g_assert_nonnull (history);
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (history)), ==, 1);
  record = g_list_model_get_item (cb_run_history_get_entries (history), 0);
  g_assert_cmpstr (cb_run_record_get_page (record), ==, "train");
  g_assert_cmpstr (cb_run_record_get_command (record), ==, display);

  gtk_editable_set_text (GTK_EDITABLE (cb_page_get_control (train, "exp_name")), "something_else");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page", "s",
                                             "test"));
  g_signal_emit_by_name (pane, "load-requested", record);
  g_assert_true (cb_window_get_visible_page (f.window) == train);
  g_assert_cmpstr (form_string (form, "exp_name"), ==, exp_name);
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "max_epochs")), ==, 2);
  g_assert_cmpstr (shown_command (f.window), ==, display);

  g_signal_emit_by_name (pane, "copy-requested", record);
  copied = read_clipboard (GTK_WIDGET (f.window));
  g_assert_cmpstr (copied, ==, display);

  g_signal_emit_by_name (pane, "rerun-requested", record);
  g_assert_true (cb_terminal_pane_get_running (pane));
  wait_finished (&watch, 2);
  g_assert_cmpint (watch.exit_status, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (history)), ==, 2);

  /* Ctrl+Shift+F: the terminal's search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.find-in-output", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (
    GTK_SEARCH_BAR (cb_widget_find_descendant (GTK_WIDGET (pane), GTK_TYPE_SEARCH_BAR))));

  /* Hidden and shown again, with the height it had, which the settings keep: the height of
   * the terminal tabs (each tab's pane and the tab bar). */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));
  area = gtk_widget_get_ancestor (GTK_WIDGET (pane), g_type_from_name ("CbJobsPane"));
  g_assert_nonnull (area);
  height = gtk_widget_get_height (area);
  g_assert_cmpint (height, >=, 120);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-terminal", NULL));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (pane)));
  g_assert_cmpint (g_settings_get_int (f.settings, "terminal-height"), ==, height);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-terminal", NULL));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (pane)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));
  g_assert_cmpint (gtk_widget_get_height (area), ==, height);

  g_signal_handlers_disconnect_by_data (pane, &watch);
  fixture_close (&f);
  g_unsetenv ("CB_DEMO_FAST");
  remove_copy (copy);
}

/* A page with errors does not run. */
static void
test_run_invalid (void)
{
  Fixture f = { 0 };
  g_autofree char *copy = copy_demo ();
  CbTerminalPane *pane;
  GtkWidget *run_button;
  const char *tooltip;

  fixture_open (&f, copy, NULL, TRUE);
  pane = cb_window_get_terminal_pane (f.window);
  run_button = cb_command_view_get_run_button (cb_window_get_command_view (f.window));
  g_assert_true (run_enabled (f.window));

  gtk_editable_set_text (GTK_EDITABLE (cb_page_get_control (cb_window_get_page (f.window, "train"),
                                                            "exp_name")), "ab");
  g_assert_false (cb_form_is_valid (page_form (f.window, "train")));
  g_assert_false (run_enabled (f.window));
  tooltip = cb_widget_get_list_tooltip (run_button);
  g_assert_true (g_str_has_prefix (tooltip, "Not runnable: "));
  g_assert_nonnull (strstr (tooltip, cb_form_get_errors (page_form (f.window, "train"))[0]));

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL);
  g_assert_false (cb_terminal_pane_get_running (pane));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (pane)));

  gtk_editable_set_text (GTK_EDITABLE (cb_page_get_control (cb_window_get_page (f.window, "train"),
                                                            "exp_name")), "abc");
  g_assert_true (run_enabled (f.window));

  fixture_close (&f);
  remove_copy (copy);
}

/* A launcher that is not installed: the pane says so, clearly. */
static void
test_run_missing_launcher (void)
{
  Fixture f = { 0 };
  g_autofree char *copy = copy_demo ();
  g_autofree char *settings = g_build_filename (copy, CB_PROJECT_SETTINGS_FILE, NULL);
  CbTerminalPane *pane;
  RunWatch watch = { 0 };

  replace_in_file (settings, "launcher: [python3]", "launcher: [no-such-launcher-xyz]");
  fixture_open (&f, copy, NULL, TRUE);
  pane = cb_window_get_terminal_pane (f.window);
  g_signal_connect (pane, "finished", G_CALLBACK (finished_cb), &watch);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  wait_finished (&watch, 1);
  g_assert_cmpint (watch.exit_status, ==, -1);
  /* VTE takes in what is fed in its own time. */
  g_assert_true (wait_terminal_text (pane, "Could not start “no-such-launcher-xyz”"));
  g_assert_true (terminal_has (pane, "Is it installed and on your PATH?"));
  g_assert_nonnull (strstr (cb_terminal_pane_get_status_text (pane), "no-such-launcher-xyz"));
  g_assert_true (run_enabled (f.window));

  g_signal_handlers_disconnect_by_data (pane, &watch);
  fixture_close (&f);
  remove_copy (copy);
}

static AdwMessageDialog *
find_message_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* Clicks the button of @dialog labelled @label, as the user would. */
static void
click_response (AdwMessageDialog *dialog,
                const char       *label)
{
  GtkWidget *stack[256];
  guint n = 0;

  stack[n++] = GTK_WIDGET (dialog);
  while (n > 0)
    {
      GtkWidget *widget = stack[--n];

      if (GTK_IS_BUTTON (widget) &&
          g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
        {
          /* "clicked" itself: activating a button clicks it a moment later. */
          g_signal_emit_by_name (widget, "clicked");
          return;
        }
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && n < 256;
           child = gtk_widget_get_next_sibling (child))
        stack[n++] = child;
    }

  g_error ("No button “%s” in the dialog", label);
}

static gboolean
started (gpointer data)
{
  return cb_terminal_pane_get_pid (data) > 0;
}

/* Closed: gone from the toplevels (our reference keeps the object). */
static gboolean
window_closed (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window == data)
        return FALSE;
    }

  return TRUE;
}

/* Closing while a run goes asks first; Cancel keeps the window; "Stop and Close" stops the
 * run, then closes. */
static void
test_close_while_running (void)
{
  Fixture f = { 0 };
  g_autofree char *copy = copy_demo ();
  CbTerminalPane *pane;
  AdwMessageDialog *dialog;
  CbWindow *window;

  g_setenv ("CB_DEMO_SECONDS", "60", TRUE);
  fixture_open (&f, copy, NULL, TRUE);
  pane = cb_window_get_terminal_pane (f.window);
  cb_terminal_pane_set_stop_timeouts (pane, 2000, 2000);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  spin_until (started, pane);

  /* Cancel: nothing happens. The run is a job: it could also go on in the background (the
   * default answer, test-jobs-window). */
  gtk_window_close (GTK_WINDOW (f.window));
  dialog = find_message_dialog (GTK_WINDOW (f.window));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Keep the runs going?");
  g_assert_true (adw_message_dialog_has_response (dialog, "background"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "background");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "stop"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  click_response (dialog, "_Cancel");
  cb_test_spin_pending ();
  g_assert_null (find_message_dialog (GTK_WINDOW (f.window)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f.window)));
  g_assert_true (cb_terminal_pane_get_running (pane));

  /* Stop and Close: the run is stopped, and the window goes once it has ended. */
  window = g_object_ref (g_steal_pointer (&f.window));
  gtk_window_close (GTK_WINDOW (window));
  dialog = find_message_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  click_response (dialog, "_Stop and Close");
  g_assert_false (window_closed (window));
  spin_until (window_closed, window);
  g_assert_false (cb_terminal_pane_get_running (pane));
  cb_test_spin_pending ();
  g_assert_finalize_object (window);

  g_unsetenv ("CB_DEMO_SECONDS");
  fixture_close (&f);
  remove_copy (copy);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = NULL;
  int ret;

  /* GTK 4's AT-SPI backend needs a session bus, which a test under xvfb-run does not have
   * (NO_AT_BRIDGE only concerns GTK 3). The "test" backend keeps the accessible state. */
  g_setenv ("GTK_A11Y", "test", FALSE);

  /* Saved form values go to a folder of our own. Not G_TEST_OPTION_ISOLATE_DIRS: it also
   * hides XDG_DATA_DIRS, and with it the icon theme and the shared-mime-info database that
   * gdk-pixbuf needs to recognise a symbolic icon's SVG. */
  state_dir = g_dir_make_tmp ("test-window-XXXXXX", NULL);
  g_assert_nonnull (state_dir);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("CB_TEST_TIMEOUT") != NULL)
    timeout_s = MAX (1, (guint) g_ascii_strtoull (g_getenv ("CB_TEST_TIMEOUT"), NULL, 10));
  gtk_init ();
  adw_init ();

  /* The windows are measured with the app's own style. */
  cb_test_load_app_style ();

  g_test_add_func ("/window/demo/build", test_demo_build);
  g_test_add_func ("/window/demo/lazy-build", test_lazy_build);
  g_test_add_func ("/window/demo/snapshot-before-first-frame", test_snapshot_before_first_frame);
  g_test_add_func ("/window/demo/visible-if", test_visible_if);
  g_test_add_func ("/window/demo/architecture", test_architecture);
  g_test_add_func ("/window/demo/combo-popup", test_combo_popup);
  g_test_add_func ("/window/demo/use-case", test_use_case);
  g_test_add_func ("/window/demo/copy", test_copy);
  g_test_add_func ("/window/demo/switch-pages", test_switch_pages);
  g_test_add_func ("/window/demo/preview-height", test_preview_height);
  g_test_add_func ("/window/demo/state", test_state);
  g_test_add_func ("/window/demo/state-save-error", test_state_save_error);
  g_test_add_func ("/window/demo/state-save-background", test_state_save_background);
  g_test_add_func ("/window/demo/config-follows", test_config_follows);
  g_test_add_func ("/window/demo/checkpoint-pickers", test_checkpoint_pickers);
  g_test_add_func ("/window/run/demo-loop", test_run_demo_loop);
  g_test_add_func ("/window/run/invalid", test_run_invalid);
  g_test_add_func ("/window/run/missing-launcher", test_run_missing_launcher);
  g_test_add_func ("/window/run/close-while-running", test_close_while_running);
  g_test_add_func ("/window/custom-schemas", test_custom_schemas);
  g_test_add_func ("/window/broken-configs", test_broken_configs);
  g_test_add_func ("/window/no-configs", test_no_configs);
  g_test_add_func ("/window/hostile-project", test_hostile_project);

  ret = g_test_run ();

  cb_test_remove_tree (state_dir);
  return ret;
}
