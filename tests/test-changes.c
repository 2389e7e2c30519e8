/* test-changes.c: rows marked as changed, and the Changes view (issue 14, item 6)
 *
 * An edit marks its row (accent title, a reset button whose tooltip says the default); the
 * button resets the field and the mark goes. win.show-changes lists the page's changes,
 * with the count in its title, follows edits, says when there are none, and compares with a
 * run history entry or a run folder (its .hydra/overrides.yaml) of the page when one is
 * chosen.
 *
 * Runs under xvfb-run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cb-changes-view.h"
#include "cb-page.h"
#include "cb-state-store.h"
#include "cb-terminal-pane.h"
#include "cb-window.h"
#include "cb/cb-problem.h"
#include "cb/cb-run-history.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"
#include "cb-widget-util.h"

#define TIMEOUT_MS 30000

typedef struct
{
  CbTestProject        p;
  CbWindow            *window;
  CbPage              *page;
  CbForm              *form;
} Fixture;

static gboolean
page_built (gpointer data)
{
  return cb_page_is_built (cb_window_get_page (data, "train"));
}

static void
fixture_open (Fixture *f)
{
  cb_test_project_open (&f->p, "test-changes", 700, 600);
  f->window = cb_test_project_new_window (&f->p);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (cb_test_spin_until (cb_test_cache_loaded, f->p.cache, TIMEOUT_MS));
  cb_window_set_visible_page (f->window, "train");
  g_assert_true (cb_test_spin_until (page_built, f->window, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  f->page = cb_window_get_page (f->window, "train");
  f->form = cb_page_get_form (f->page);
}

static void
fixture_close (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f->window)));
  cb_test_spin_pending ();
  cb_test_project_close (&f->p);
}

static GtkWidget *
mark_of (Fixture    *f,
         const char *key)
{
  GtkWidget *mark = cb_test_find_by_class (cb_page_get_row (f->page, key), "cb-changed-mark");

  g_assert_nonnull (mark);
  return mark;
}

/* The row's class and its mark agree. A row builds its mark the first time it changes
 * (cb-field-row-status.c), so a row never changed has none. */
static gboolean
is_marked (Fixture    *f,
           const char *key)
{
  GtkWidget *row = cb_page_get_row (f->page, key);
  GtkWidget *mark = cb_test_find_by_class (row, "cb-changed-mark");
  gboolean marked = gtk_widget_has_css_class (row, "cb-changed");

  g_assert_cmpint (marked, ==, mark != NULL && gtk_widget_get_visible (mark));
  return marked;
}

static CbChangesView *
show_changes (Fixture *f)
{
  CbChangesView *view = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-changes", NULL));
  cb_test_spin_pending ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (CB_IS_CHANGES_VIEW (item))
        view = CB_CHANGES_VIEW (item);
    }
  g_assert_nonnull (view);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (view)));
  return view;
}

static const char *
view_title (CbChangesView *view)
{
  GtkWidget *title = cb_widget_find_descendant (GTK_WIDGET (view), ADW_TYPE_WINDOW_TITLE);

  return adw_window_title_get_title (ADW_WINDOW_TITLE (title));
}

static guint
n_rows (CbChangesView *view)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (cb_changes_view_get_list_box (view)));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* The subtitle of the view's row for @key, or NULL. */
static const char *
row_subtitle (CbChangesView *view,
              const char    *key)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (cb_changes_view_get_list_box (view)));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_name (child), key) == 0)
      return adw_action_row_get_subtitle (ADW_ACTION_ROW (child));
  return NULL;
}

static const char *
empty_title (CbChangesView *view)
{
  GtkWidget *status = cb_widget_find_descendant (GTK_WIDGET (view), ADW_TYPE_STATUS_PAGE);
  GtkWidget *stack = gtk_widget_get_ancestor (status, GTK_TYPE_STACK);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "empty") != 0)
    return NULL;
  return adw_status_page_get_title (ADW_STATUS_PAGE (status));
}

static const char *
empty_description (CbChangesView *view)
{
  GtkWidget *status = cb_widget_find_descendant (GTK_WIDGET (view), ADW_TYPE_STATUS_PAGE);

  return adw_status_page_get_description (ADW_STATUS_PAGE (status));
}

static gboolean
view_idle (gpointer data)
{
  return !cb_changes_view_get_busy (data);
}

/* Waits for the run folders (or the chosen run's overrides) to be read. */
static void
wait_idle (CbChangesView *view)
{
  g_assert_true (cb_test_spin_until (view_idle, view, TIMEOUT_MS));
  cb_test_spin_pending ();
}

/* The drop-down position of the entry whose label starts with @prefix. */
static guint
baseline_position (CbChangesView *view,
                   const char    *prefix)
{
  GtkWidget *drop_down = cb_widget_find_descendant (GTK_WIDGET (view), GTK_TYPE_DROP_DOWN);
  GListModel *labels = gtk_drop_down_get_model (GTK_DROP_DOWN (drop_down));

  for (guint i = 0; i < g_list_model_get_n_items (labels); i++)
    if (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (labels), i), prefix))
      return i;
  g_assert_not_reached ();
}

/* An edit in the row's own control marks the row; its reset button unmarks it. */
static void
test_row_mark (void)
{
  Fixture f = { 0 };
  GtkWidget *spin;
  GtkWidget *mark;
  g_autofree char *tooltip = NULL;

  fixture_open (&f);
  g_assert_false (is_marked (&f, "batch_size"));
  g_assert_false (is_marked (&f, "exp_name"));
  g_assert_false (is_marked (&f, "wandb"));
  /* Nothing changed yet: no mark built (a page of rows carries no hidden ones). */
  g_assert_null (cb_test_find_by_class (cb_page_get_row (f.page, "batch_size"), "cb-changed-mark"));

  spin = cb_widget_find_descendant (cb_page_get_row (f.page, "batch_size"),
                                    GTK_TYPE_SPIN_BUTTON);
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 8);
  cb_test_spin_pending ();
  g_assert_true (is_marked (&f, "batch_size"));
  g_assert_false (is_marked (&f, "max_epochs"));
  mark = mark_of (&f, "batch_size");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (mark), ==,
                   "Changed from the default: 4\nClick to reset");

  gtk_editable_set_text (GTK_EDITABLE (cb_page_get_row (f.page, "exp_name")), "it's “실험”");
  cb_test_spin_pending ();
  g_assert_true (is_marked (&f, "exp_name"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (mark_of (&f, "exp_name")), ==,
                   "Changed from the default: ocr_training\nClick to reset");

  /* Set back by hand to the default value: not a change. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 4);
  cb_test_spin_pending ();
  g_assert_false (is_marked (&f, "batch_size"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 12);
  cb_test_spin_pending ();
  g_assert_true (is_marked (&f, "batch_size"));

  /* The reset button: the default again, the mark gone, the other edit kept. */
  g_signal_emit_by_name (mark_of (&f, "batch_size"), "clicked");
  cb_test_spin_pending ();
  g_assert_false (is_marked (&f, "batch_size"));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 4);
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (f.form, "batch_size")), ==, 4);
  g_assert_true (is_marked (&f, "exp_name"));

  fixture_close (&f);
}

static void
test_view (void)
{
  Fixture f = { 0 };
  CbChangesView *view;

  fixture_open (&f);
  view = show_changes (&f);
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 0);
  g_assert_cmpstr (view_title (view), ==, "0 Changes");
  g_assert_cmpstr (empty_title (view), ==, "No Changes from the Defaults");

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (cb_widget_find_descendant (cb_page_get_row (f.page, "batch_size"),
                                                                         GTK_TYPE_SPIN_BUTTON)),
                             8);
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 1);
  g_assert_cmpstr (view_title (view), ==, "1 Change");
  g_assert_null (empty_title (view));
  g_assert_cmpuint (n_rows (view), ==, 1);
  g_assert_cmpstr (row_subtitle (view, "batch_size"), ==, "4 → 8");

  gtk_switch_set_active (GTK_SWITCH (cb_page_get_control (f.page, "wandb")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (cb_page_get_row (f.page, "exp_name")), "<b>a&b</b>");
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 3);
  g_assert_cmpstr (view_title (view), ==, "3 Changes");
  g_assert_cmpuint (n_rows (view), ==, 3);
  g_assert_cmpstr (row_subtitle (view, "wandb"), ==, "false → true");
  g_assert_cmpstr (row_subtitle (view, "exp_name"), ==, "ocr_training → <b>a&b</b>");

  /* The page's Reset: no changes left. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page), "page.reset", NULL));
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 0);
  g_assert_cmpstr (empty_title (view), ==, "No Changes from the Defaults");

  fixture_close (&f);
}

/* A run of the page in the history as the baseline; another page's run is not offered. */
static void
test_history_baseline (void)
{
  Fixture f = { 0 };
  CbRunHistory *history;
  CbChangesView *view;
  g_autoptr(CbRunRecord) record = NULL;
  g_autoptr(CbRunRecord) other = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  const char * const test_argv[] = { "python3", "runners/test.py", NULL };
  CbCommand *command;

  fixture_open (&f);
  history = cb_terminal_pane_get_history (cb_window_get_terminal_pane (f.window));
  g_assert_nonnull (history);

  g_assert_true (cb_form_set_value_from_string (f.form, "batch_size", "16", NULL));
  command = cb_form_get_command (f.form);
  record = cb_run_record_new (cb_command_get_display (command), cb_command_get_argv (command),
                              "train", now, 12.0, 0, 0);
  other = cb_run_record_new ("python3 runners/test.py", test_argv, "test", now, 1.0, 0, 0);
  g_assert_true (cb_run_history_add (history, other, &error));
  g_assert_true (cb_run_history_add (history, record, &error));
  g_assert_no_error (error);

  g_assert_true (cb_form_set_value_from_string (f.form, "batch_size", "32", NULL));
  view = show_changes (&f);
  wait_idle (view);
  /* Defaults, the Train entry, then the three training run folders. */
  g_assert_cmpuint (cb_changes_view_get_n_runs (view), ==, 3);
  g_assert_cmpuint (cb_changes_view_get_n_baselines (view), ==, 2 + 3);
  g_assert_cmpstr (row_subtitle (view, "batch_size"), ==, "4 → 32");

  cb_changes_view_set_baseline (view, 1);
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 1);
  g_assert_cmpstr (row_subtitle (view, "batch_size"), ==, "16 → 32");

  g_assert_true (cb_form_set_value_from_string (f.form, "batch_size", "16", NULL));
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 0);
  g_assert_cmpstr (empty_title (view), ==, "No Changes from This Run");

  cb_changes_view_set_baseline (view, 0);
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 1);
  g_assert_cmpstr (row_subtitle (view, "batch_size"), ==, "4 → 16");

  fixture_close (&f);
}

/* A run folder of the page as the baseline: its overrides.yaml, read in a worker, loaded as
 * a paste would load it; a missing or broken file is named in the view instead of a list. */
static void
test_run_baseline (void)
{
  Fixture f = { 0 };
  CbChangesView *view;
  g_autofree char *overrides = NULL;
  g_autofree char *description = NULL;
  guint position;

  fixture_open (&f);
  view = show_changes (&f);
  wait_idle (view);
  /* The training runs (a checkpoint each, hydra.yaml's job "train"); not ocr_prediction. */
  g_assert_cmpuint (cb_changes_view_get_n_runs (view), ==, 3);
  g_assert_cmpuint (cb_changes_view_get_n_baselines (view), ==, 1 + 3);

  position = baseline_position (view, "Run folder: demo_training · ");
  g_assert_cmpuint (position, >, 0);
  cb_changes_view_set_baseline (view, position);
  wait_idle (view);
  /* exp_name (no Train name suffix in the run), max_epochs, batch_size, and its four extra
   * overrides; its encoder and decoder are dbnet's defaults. */
  g_assert_null (empty_title (view));
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 8);
  g_assert_cmpuint (n_rows (view), ==, 8);
  g_assert_cmpstr (view_title (view), ==, "8 Changes");
  g_assert_cmpstr (row_subtitle (view, "exp_name"), ==, "demo_training → ocr_training");
  g_assert_cmpstr (row_subtitle (view, "batch_size"), ==, "16 → 4");
  g_assert_cmpstr (row_subtitle (view, "max_epochs"), ==, "20 → 10");
  g_assert_cmpstr (row_subtitle (view, "append-suffix"), ==, "Off → On");
  g_assert_cmpstr (row_subtitle (view, "trainer.limit_train_batches"), ==,
                   "Removed: +trainer.limit_train_batches=50");

  /* The page follows the run on one field: one change less. */
  g_assert_true (cb_form_set_value_from_string (f.form, "batch_size", "16", NULL));
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 7);
  g_assert_null (row_subtitle (view, "batch_size"));

  /* Broken YAML: the file and line:column instead of a list; then no file at all. */
  overrides = g_build_filename (f.p.copy, "outputs", "demo_training", ".hydra", "overrides.yaml",
                                NULL);
  g_assert_true (g_file_set_contents (overrides, "- trainer.max_epochs=3\n- b: [\n", -1, NULL));
  cb_changes_view_set_baseline (view, 0);
  cb_changes_view_set_baseline (view, position);
  wait_idle (view);
  g_assert_cmpstr (empty_title (view), ==, "This Run’s Overrides Cannot Be Read");
  g_assert_true (g_str_has_prefix (empty_description (view),
                                   "outputs/demo_training/.hydra/overrides.yaml:3:1: "));
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 0);

  g_assert_cmpint (g_unlink (overrides), ==, 0);
  cb_changes_view_set_baseline (view, 0);
  cb_changes_view_set_baseline (view, position);
  wait_idle (view);
  g_assert_cmpstr (empty_title (view), ==, "This Run’s Overrides Cannot Be Read");
  description = g_strdup (empty_description (view));
  g_assert_true (g_str_has_prefix (description, "outputs/demo_training/.hydra/overrides.yaml"));
  g_assert_nonnull (strstr (description, "No such file"));

  /* Still alive: the defaults again. */
  cb_changes_view_set_baseline (view, 0);
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_changes_view_get_n_changes (view), ==, 1);
  g_assert_cmpstr (row_subtitle (view, "batch_size"), ==, "4 → 16");

  fixture_close (&f);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = NULL;
  int ret;

  g_setenv ("GTK_A11Y", "test", FALSE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("LANGUAGE", "C", TRUE);

  state_dir = g_dir_make_tmp ("test-changes-state-XXXXXX", NULL);
  g_assert_nonnull (state_dir);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs an X display");
      return 77;
    }

  g_test_add_func ("/changes/row-mark", test_row_mark);
  g_test_add_func ("/changes/view", test_view);
  g_test_add_func ("/changes/history-baseline", test_history_baseline);
  g_test_add_func ("/changes/run-baseline", test_run_baseline);

  ret = g_test_run ();

  cb_test_remove_tree (state_dir);
  return ret;
}
