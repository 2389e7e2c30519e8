/* test-run-controls.c: what you see is what runs (issue 12, items 5 and 9)
 *
 * Run and Stop in two places, so that a Stop that lands after the run ended starts nothing;
 * Escape and Ctrl+. stop; a run the user stopped is shown as stopped, not failed; toasts
 * never cover the command; the values and the tab survive a crash; the application takes
 * --schemas and reads a project's settings again when it is opened again.
 *
 * Runs under xvfb-run. Keys are typed through the X server with xdotool (XTEST), as a user
 * types them; the test is skipped without xdotool.
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

#include "cb-application.h"
#include "cb-banner.h"
#include "cb-command-view.h"
#include "cb-config-view.h"
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
  char                *copy;
  CbProject           *project;
  CbConfigCache       *cache;
  CbCheckpointScanner *scanner;
  GSettingsBackend    *backend;
  GSettings           *settings;
  CbWindow            *window;
  CbTerminalPane      *pane;
  guint                n_started;
  guint                n_finished;
  gboolean             window_kept;  /* by GTK, after a popover: do not insist on finalizing */
} Fixture;

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

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

static gboolean
only_reference (gpointer object)
{
  return g_atomic_int_get ((int *) &G_OBJECT (object)->ref_count) == 1;
}

static char *
copy_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("test-run-controls-XXXXXX", &error);
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

static void
started_cb (CbTerminalPane *pane,
            Fixture        *f)
{
  f->n_started++;
}

static void
finished_cb (CbTerminalPane *pane,
             int             exit_status,
             int             exit_signal,
             double          seconds,
             Fixture        *f)
{
  f->n_finished++;
}

static CbWindow *
new_window (Fixture *f)
{
  return g_object_new (CB_TYPE_WINDOW,
                       "project", f->project,
                       "config-cache", f->cache,
                       "checkpoint-scanner", f->scanner,
                       "settings", f->settings,
                       NULL);
}

/* A window of 600×500 at the top left, away from the pointer (see test-window.c), on a fresh copy of the demo project. */
static void
fixture_open (Fixture *f)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autofree char *configs = NULL;
  g_autofree char *state = NULL;

  f->copy = copy_demo ();
  f->project = cb_project_load (f->copy, problems);
  g_assert_nonnull (f->project);
  state = cb_state_store_path_for_project (f->project->root);
  g_unlink (state);

  configs = cb_project_get_path (f->project, f->project->configs_dir);
  f->cache = cb_config_cache_new (configs);
  cb_config_cache_load_async (f->cache, NULL, NULL, NULL);
  f->scanner = cb_checkpoint_scanner_new (f->project->root, f->project->outputs_dir);
  cb_checkpoint_scanner_rescan (f->scanner);

  f->backend = g_memory_settings_backend_new ();
  f->settings = g_settings_new_with_backend (APP_ID, f->backend);
  g_settings_set_int (f->settings, "window-width", 600);
  g_settings_set_int (f->settings, "window-height", 500);

  f->window = new_window (f);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (cb_test_spin_until (cache_loaded, f->cache, TIMEOUT_MS));
  g_assert_true (cb_test_spin_until (scanner_loaded, f->scanner, TIMEOUT_MS));
  g_assert_true (cb_test_spin_until (cb_test_all_pages_built, f->window, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));

  f->pane = cb_window_get_terminal_pane (f->window);
  g_signal_connect (f->pane, "started", G_CALLBACK (started_cb), f);
  g_signal_connect (f->pane, "finished", G_CALLBACK (finished_cb), f);
}

static void
destroy_window (CbWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  cb_test_spin_pending ();
  g_assert_finalize_object (window);
}

static void
fixture_close (Fixture *f)
{
  if (f->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (f->pane, f);
      destroy_window (g_steal_pointer (&f->window));
    }
  f->pane = NULL;

  if (f->window_kept)
    {
      g_clear_object (&f->scanner);
      g_clear_object (&f->cache);
      g_clear_object (&f->settings);
    }
  else
    {
      g_assert_true (cb_test_spin_until (only_reference, f->scanner, TIMEOUT_MS));
      g_assert_true (cb_test_spin_until (only_reference, f->cache, TIMEOUT_MS));
      g_assert_finalize_object (g_steal_pointer (&f->scanner));
      g_assert_finalize_object (g_steal_pointer (&f->cache));
      g_assert_finalize_object (g_steal_pointer (&f->settings));
    }
  g_clear_object (&f->backend);
  g_clear_pointer (&f->project, cb_project_unref);
  remove_copy (f->copy);
  g_clear_pointer (&f->copy, g_free);
}

static gboolean
finished_n (gpointer data)
{
  Fixture *f = data;

  return f->n_finished >= f->n_started && f->n_started > 0 &&
         !cb_terminal_pane_get_running (f->pane);
}

/* Until the @n-th run of the test has started (a run starts in a worker, after the key that
 * asked for it) and every run has finished. */
typedef struct
{
  Fixture *f;
  guint    n;
} RunsWait;

static gboolean
runs_finished (gpointer data)
{
  RunsWait *wait = data;

  return wait->f->n_started >= wait->n && finished_n (wait->f);
}

static void
wait_for_runs (Fixture *f,
               guint    n)
{
  RunsWait wait = { f, n };

  g_assert_true (cb_test_spin_until (runs_finished, &wait, TIMEOUT_MS));
  g_assert_cmpuint (f->n_started, ==, n);
}

static gboolean
has_pid (gpointer data)
{
  return cb_terminal_pane_get_pid (data) > 0;
}

static gboolean
not_running (gpointer data)
{
  return !cb_terminal_pane_get_running (data);
}

/* Types @keys into @window, and lets what they started settle a while. */
static void
type_keys (GtkWidget  *window,
           const char *keys)
{
  cb_test_type_keys (window, keys);
  cb_test_spin_for (100);
}

static gboolean
window_focused (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (data));
}

static void
focus_window (GtkWidget *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *command = NULL;
  int status = 0;

  command = g_strdup_printf ("xdotool windowfocus --sync %lu",
                             (unsigned long) gdk_x11_surface_get_xid (surface));
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  g_assert_true (cb_test_spin_until (window_focused, window, TIMEOUT_MS));
}

/* The visible, mapped button that stops the run (wherever the window put it). */
static GtkWidget *
find_stop_button (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child))
        {
          const char *action = gtk_actionable_get_action_name (GTK_ACTIONABLE (child));

          if (g_strcmp0 (action, "win.stop") == 0 || g_strcmp0 (action, "term.stop") == 0)
            return child;
        }
      if ((found = find_stop_button (child)) != NULL)
        return found;
    }

  return NULL;
}

/* A click at @point of @window, as the pointer would make it: on the button found there,
 * if it takes clicks (insensitive ones do not). TRUE if a button took it. */
static gboolean
click_at (GtkWidget              *window,
          const graphene_point_t *point)
{
  GtkWidget *picked = gtk_widget_pick (window, point->x, point->y, GTK_PICK_DEFAULT);
  GtkWidget *button;

  if (picked == NULL)
    return FALSE;

  button = GTK_IS_BUTTON (picked) ? picked : gtk_widget_get_ancestor (picked, GTK_TYPE_BUTTON);
  if (button == NULL || !gtk_widget_is_sensitive (button))
    return FALSE;

  g_signal_emit_by_name (button, "clicked");
  return TRUE;
}

static gboolean
has_class (GtkWidget  *widget,
           const char *name)
{
  return gtk_widget_has_css_class (widget, name);
}

/* ------------------------------------------------------------------------------------ */
/* Item 5: Stop that starts a run                                                       */

/* A Stop pressed just after the run ended (the click where Stop was, Escape, Ctrl+.)
 * starts nothing; Run is where it was, beside Copy. */
static void
test_stop_after_end (void)
{
  Fixture f = { 0 };
  GtkWidget *stop;
  GtkWidget *run;
  graphene_point_t center;
  graphene_rect_t bounds;
  CbRunHistory *history;

  g_setenv ("CB_DEMO_FAST", "1", TRUE);
  fixture_open (&f);
  run = cb_command_view_get_run_button (cb_window_get_command_view (f.window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  g_assert_true (cb_test_spin_until (has_pid, f.pane, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));

  /* While it runs: Stop is on screen, in the terminal pane, and Run is not in its place.
   * Run stays sensitive: another run goes to a terminal tab of its own. */
  stop = find_stop_button (GTK_WIDGET (f.window));
  g_assert_nonnull (stop);
  g_assert_true (gtk_widget_is_ancestor (stop, GTK_WIDGET (f.pane)));
  g_assert_true (gtk_widget_get_mapped (run));
  g_assert_true (gtk_widget_is_sensitive (run));
  g_assert_true (gtk_widget_compute_bounds (stop, GTK_WIDGET (f.window), &bounds));
  graphene_rect_get_center (&bounds, &center);
  g_assert_true (gtk_widget_pick (GTK_WIDGET (f.window), center.x, center.y,
                                  GTK_PICK_DEFAULT) != NULL);

  g_assert_true (cb_test_spin_until (finished_n, &f, TIMEOUT_MS));
  g_assert_cmpuint (f.n_started, ==, 1);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));

  /* The run has ended: a click where Stop was finds Stop, insensitive, and nothing runs. */
  g_assert_true (gtk_widget_get_mapped (stop));
  g_assert_false (gtk_widget_is_sensitive (stop));
  click_at (GTK_WIDGET (f.window), &center);
  cb_test_spin_for (200);
  g_assert_false (cb_terminal_pane_get_running (f.pane));
  g_assert_cmpuint (f.n_started, ==, 1);

  /* Nor do the keys. */
  focus_window (GTK_WIDGET (f.window));
  type_keys (GTK_WIDGET (f.window), "Escape");
  type_keys (GTK_WIDGET (f.window), "ctrl+period");
  g_assert_false (cb_terminal_pane_get_running (f.pane));
  g_assert_cmpuint (f.n_started, ==, 1);

  history = cb_terminal_pane_get_history (f.pane);
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (history)), ==, 1);

  /* Run is beside Copy, where it was, and can again. */
  g_assert_true (gtk_widget_is_sensitive (run));

  fixture_close (&f);
  g_unsetenv ("CB_DEMO_FAST");
}

/* Escape stops the run; with a popover open it closes the popover first. Ctrl+. stops it
 * even from the terminal. */
static void
test_stop_keys (void)
{
  Fixture f = { 0 };
  GtkWidget *history_button;
  GtkPopover *popover;

  g_setenv ("CB_DEMO_SECONDS", "60", TRUE);
  fixture_open (&f);
  cb_terminal_pane_set_stop_timeouts (f.pane, 2000, 2000);
  focus_window (GTK_WIDGET (f.window));

  /* Nothing runs: Escape is not taken, and starts nothing. */
  type_keys (GTK_WIDGET (f.window), "Escape");
  g_assert_cmpuint (f.n_started, ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  g_assert_true (cb_test_spin_until (has_pid, f.pane, TIMEOUT_MS));

  /* A popover open: Escape closes it, the run goes on. */
  history_button = cb_widget_find_descendant (GTK_WIDGET (f.pane), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (history_button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (history_button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (history_button));
  cb_test_spin_for (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  type_keys (GTK_WIDGET (f.window), "Escape");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_true (cb_terminal_pane_get_running (f.pane));
  g_assert_cmpint (cb_terminal_pane_get_stop_step (f.pane), ==, CB_STOP_STEP_NONE);

  /* Escape again, with the focus on the page: the run stops. */
  gtk_widget_grab_focus (cb_page_get_control (cb_window_get_page (f.window, "train"),
                                              "exp_name"));
  type_keys (GTK_WIDGET (f.window), "Escape");
  g_assert_cmpint (cb_terminal_pane_get_stop_step (f.pane), !=, CB_STOP_STEP_NONE);
  g_assert_true (cb_test_spin_until (not_running, f.pane, TIMEOUT_MS));

  /* Ctrl+. with the focus in the terminal, which would otherwise take the key. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  g_assert_true (cb_test_spin_until (has_pid, f.pane, TIMEOUT_MS));
  gtk_widget_grab_focus (GTK_WIDGET (cb_terminal_pane_get_terminal (f.pane)));
  type_keys (GTK_WIDGET (f.window), "ctrl+period");
  g_assert_cmpint (cb_terminal_pane_get_stop_step (f.pane), !=, CB_STOP_STEP_NONE);
  g_assert_true (cb_test_spin_until (not_running, f.pane, TIMEOUT_MS));
  g_assert_cmpuint (f.n_started, ==, 2);

  /* A popover that was popped up and closed with a key leaves GTK 4.8 holding the window
   * for a while (not ours to prove here: test-window proves the window does not leak). */
  g_signal_handlers_disconnect_by_data (f.pane, &f);
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f.window)));
  cb_test_spin_pending ();
  f.window_kept = TRUE;
  fixture_close (&f);
  g_unsetenv ("CB_DEMO_SECONDS");
}

/* ------------------------------------------------------------------------------------ */
/* Item 9e: a run the user stopped is not a failure                                     */

static void
test_stopped_neutral (void)
{
  Fixture f = { 0 };
  GtkWidget *status_label;
  GtkWidget *history_list;
  GtkWidget *icon;
  g_autoptr(CbRunRecord) record = NULL;
  CbRunHistory *history;

  g_setenv ("CB_DEMO_SECONDS", "60", TRUE);
  fixture_open (&f);
  cb_terminal_pane_set_stop_timeouts (f.pane, 2000, 2000);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  g_assert_true (cb_test_spin_until (has_pid, f.pane, TIMEOUT_MS));
  cb_test_spin_for (500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.pane), "term.stop", NULL));
  g_assert_true (cb_test_spin_until (not_running, f.pane, TIMEOUT_MS));

  /* The status strip: "Stopped…", in no warning or error colour. */
  g_assert_true (g_str_has_prefix (cb_terminal_pane_get_status_text (f.pane), "Stopped"));
  status_label = cb_widget_find_descendant (GTK_WIDGET (f.pane), GTK_TYPE_LABEL);
  while (status_label != NULL &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (status_label)),
                    cb_terminal_pane_get_status_text (f.pane)) != 0)
    status_label = gtk_widget_get_next_sibling (status_label);
  g_assert_nonnull (status_label);
  g_assert_false (has_class (status_label, "error"));
  g_assert_false (has_class (status_label, "warning"));

  /* The history: stopped, and its row neutral too. */
  history = cb_terminal_pane_get_history (f.pane);
  record = g_list_model_get_item (cb_run_history_get_entries (history), 0);
  g_assert_true (cb_run_record_get_stopped (record));
  g_assert_cmpint (cb_run_record_get_outcome (record), ==, CB_RUN_OUTCOME_STOPPED);
  history_list = cb_widget_find_descendant (
    GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (
      cb_widget_find_descendant (GTK_WIDGET (f.pane), GTK_TYPE_MENU_BUTTON)))),
    GTK_TYPE_LIST_BOX);
  g_assert_nonnull (history_list);
  icon = cb_widget_find_descendant (
    GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (history_list), 0)), GTK_TYPE_IMAGE);
  g_assert_nonnull (icon);
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), !=, "dialog-error-symbolic");
  g_assert_false (has_class (icon, "error"));

  /* Read back from the file, it is still a stopped run. */
  {
    g_autoptr(CbRunHistory) reloaded = cb_run_history_new (cb_run_history_get_path (history));
    g_autoptr(CbRunRecord) again = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (cb_run_history_load (reloaded, &error));
    again = g_list_model_get_item (cb_run_history_get_entries (reloaded), 0);
    g_assert_cmpint (cb_run_record_get_outcome (again), ==, CB_RUN_OUTCOME_STOPPED);
  }

  fixture_close (&f);
  g_unsetenv ("CB_DEMO_SECONDS");
}

/* ------------------------------------------------------------------------------------ */
/* Item 9d: toasts never cover the command                                              */

static gboolean
toast_shown (gpointer data)
{
  GtkWidget *toast = cb_test_find_by_css_name (data, "toast");
  graphene_rect_t bounds;

  return toast != NULL && gtk_widget_compute_bounds (toast, GTK_WIDGET (data), &bounds) &&
         bounds.size.height > 0;
}

static void
assert_toast_clear_of_command (CbWindow *window)
{
  GtkWidget *toast;
  graphene_rect_t toast_bounds, view_bounds, pane_bounds, overlap;
  CbTerminalPane *pane = cb_window_get_terminal_pane (window);

  g_assert_true (cb_test_spin_until (toast_shown, window, TIMEOUT_MS));
  /* Let it finish sliding in. */
  cb_test_spin_for (600);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  toast = cb_test_find_by_css_name (GTK_WIDGET (window), "toast");
  g_assert_nonnull (toast);
  g_assert_true (gtk_widget_compute_bounds (toast, GTK_WIDGET (window), &toast_bounds));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (cb_window_get_command_view (window)),
                                            GTK_WIDGET (window), &view_bounds));
  g_assert_false (graphene_rect_intersection (&toast_bounds, &view_bounds, &overlap));
  if (gtk_widget_get_mapped (GTK_WIDGET (pane)))
    {
      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (pane), GTK_WIDGET (window),
                                                &pane_bounds));
      g_assert_false (graphene_rect_intersection (&toast_bounds, &pane_bounds, &overlap));
    }
}

static void
test_toast_placement (void)
{
  Fixture f = { 0 };

  g_setenv ("CB_DEMO_FAST", "1", TRUE);
  fixture_open (&f);

  /* Copy's toast, the terminal hidden: the command is the bottom of the window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.copy-command", NULL));
  assert_toast_clear_of_command (f.window);

  /* With the terminal shown, neither it nor the command is covered. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  g_assert_true (cb_test_spin_until (finished_n, &f, TIMEOUT_MS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.copy-command", NULL));
  assert_toast_clear_of_command (f.window);

  fixture_close (&f);
  g_unsetenv ("CB_DEMO_FAST");
}

/* ------------------------------------------------------------------------------------ */
/* Item 9c: an edit and the tab survive a crash                                         */

static gboolean
state_file_has (const char *path,
                const char *group,
                const char *key,
                const char *value)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *found = NULL;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  found = g_key_file_get_string (key_file, group, key, NULL);
  return g_strcmp0 (found, value) == 0;
}

static gboolean
state_saved (gpointer data)
{
  Fixture *f = data;

  return !cb_state_store_get_save_pending (cb_window_get_state_store (f->window));
}

static void
test_state_survives_crash (void)
{
  Fixture f = { 0 };
  gint64 start;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  CbWindow *restarted;
  CbPage *train;

  fixture_open (&f);
  path = g_strdup (cb_state_store_get_path (cb_window_get_state_store (f.window)));
  train = cb_window_get_page (f.window, "train");

  /* An edit, then the tab; then the save delay and the worker's write, with nothing flushed,
   * and the process dies. The write is waited for rather than a fixed time: under ASan on a
   * busy machine the timer and the worker can take longer than the 100 ms delay. */
  gtk_editable_set_text (GTK_EDITABLE (cb_page_get_control (train, "exp_name")), "crash_test");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.switch-page", "s",
                                             "test"));
  g_assert_true (cb_state_store_get_save_pending (cb_window_get_state_store (f.window)));
  start = g_get_monotonic_time ();
  g_assert_true (cb_test_spin_until (state_saved, &f, TIMEOUT_MS));
  g_test_message ("written %.0f ms after the tab switch, unflushed",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (cb_state_store_get_n_background_writes (cb_window_get_state_store (f.window)),
                    >, 0);

  /* What is on disk now is what a restart would find. */
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (state_file_has (path, "window", "page", "test"));

  /* The restart: a new window on the same project reads the file, the old one still open
   * and not saved since, as if it had been killed. */
  restarted = new_window (&f);
  gtk_window_present (GTK_WINDOW (restarted));
  g_assert_true (cb_test_spin_until (cb_test_all_pages_built, restarted, TIMEOUT_MS));
  g_assert_true (cb_window_get_visible_page (restarted) == cb_window_get_page (restarted, "test"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cb_page_get_control (
                     cb_window_get_page (restarted, "train"), "exp_name"))), ==, "crash_test");
  destroy_window (restarted);

  fixture_close (&f);
}

/* ------------------------------------------------------------------------------------ */
/* Items 9a and 9b: the application                                                     */

typedef struct
{
  CbApplication *app;
  char          *project;
  char          *schemas;
  char          *settings_file;
  gboolean       done;
  gboolean       checked_schemas;
  gboolean       checked_reopen;
} AppTest;

static CbWindow *
app_window (AppTest *test)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (test->app));

  return window != NULL && CB_IS_WINDOW (window) ? CB_WINDOW (window) : NULL;
}

static gboolean
app_window_built (gpointer data)
{
  CbWindow *window = app_window (data);

  return window != NULL && cb_test_all_pages_built (window);
}

static gboolean
app_scenario_cb (gpointer data)
{
  AppTest *test = data;
  CbWindow *window;
  CbProject *project;
  CbPage *train;

  g_assert_true (cb_test_spin_until (app_window_built, test, TIMEOUT_MS));
  window = app_window (test);

  /* --schemas DIR: the pages are the fixture's, not the demo's. */
  train = cb_window_get_page (window, "train");
  g_assert_nonnull (cb_page_get_control (train, "turbo"));
  g_assert_null (cb_page_get_control (train, "exp_name"));
  test->checked_schemas = TRUE;

  /* The settings file changed; opening the same folder again reads it. */
  project = cb_window_get_project (window);
  g_assert_cmpstr (project->launcher[0], ==, "python3");
  replace_in_file (test->settings_file, "launcher: [python3]", "launcher: [python3, -u]");
  g_action_group_activate_action (G_ACTION_GROUP (test->app), "open-project",
                                  g_variant_new_string (test->project));
  g_assert_true (cb_test_spin_until (app_window_built, test, TIMEOUT_MS));
  window = app_window (test);
  project = cb_window_get_project (window);
  g_assert_cmpstr (project->launcher[0], ==, "python3");
  g_assert_cmpstr (project->launcher[1], ==, "-u");
  g_assert_true (cb_application_get_project (test->app) == project);
  /* ...and keeps the schemas the command line gave. */
  g_assert_nonnull (cb_page_get_control (cb_window_get_page (window, "train"), "turbo"));
  test->checked_reopen = TRUE;

  g_action_group_activate_action (G_ACTION_GROUP (test->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
app_startup_cb (GApplication *app,
                AppTest      *test)
{
  g_idle_add (app_scenario_cb, test);
}

static void
test_app_schemas_and_reopen (void)
{
  AppTest test = { 0 };
  g_autofree char *copy = copy_demo ();
  int status;

  test.project = copy;
  test.schemas = g_test_build_filename (G_TEST_DIST, "gui-fixtures", "schemas", NULL);
  test.settings_file = g_build_filename (copy, CB_PROJECT_SETTINGS_FILE, NULL);

  test.app = cb_application_new ();
  g_application_set_flags (G_APPLICATION (test.app),
                           g_application_get_flags (G_APPLICATION (test.app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (test.app, "startup", G_CALLBACK (app_startup_cb), &test);
  {
    char *argv[] = { (char *) "command-builder", (char *) "--project", copy,
                     (char *) "--schemas", test.schemas, NULL };

    status = g_application_run (G_APPLICATION (test.app), 5, argv);
  }

  g_assert_cmpint (status, ==, 0);
  g_assert_true (test.checked_schemas);
  g_assert_true (test.checked_reopen);

  g_object_unref (test.app);
  g_free (test.schemas);
  g_free (test.settings_file);
  remove_copy (copy);
}

/* ------------------------------------------------------------------------------------ */
/* What is shown is what runs (typed numbers, ranges, mismatches)                       */

static GtkSpinButton *
spin_of (CbPage     *page,
         const char *key)
{
  GtkWidget *spin = cb_widget_find_descendant (cb_page_get_row (page, key),
                                               GTK_TYPE_SPIN_BUTTON);

  g_assert_nonnull (spin);
  return GTK_SPIN_BUTTON (spin);
}

static const char * const *
last_run_argv (Fixture *f)
{
  GListModel *entries = cb_run_history_get_entries (cb_terminal_pane_get_history (f->pane));
  g_autoptr(CbRunRecord) record = g_list_model_get_item (entries, 0);

  g_assert_nonnull (record);
  /* The history holds the record: the argv stays valid. */
  return cb_run_record_get_argv (record);
}

static void type_until_focused (Fixture *f, GtkWidget *widget);

static void
type_into (Fixture    *f,
           GtkWidget  *widget,
           const char *keys)
{
  type_until_focused (f, widget);
  type_keys (GTK_WIDGET (f->window), keys);
}

static gboolean
max_epochs_is_300 (gpointer data)
{
  GVariant *value = cb_form_get_value (data, "max_epochs");

  return value != NULL && g_variant_get_int64 (value) == 300;
}

static gboolean
form_is_invalid (gpointer data)
{
  return !cb_form_is_valid (data);
}

static void
type_until_focused (Fixture    *f,
                    GtkWidget  *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  focus_window (GTK_WIDGET (f->window));
  gtk_widget_grab_focus (widget);
  cb_test_spin_pending ();
  g_assert_true (gtk_root_get_focus (root) == widget ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (root), widget));
}

static void
test_typed_number_runs (void)
{
  Fixture f = { 0 };
  CbPage *page;
  CbForm *form;
  const char * const *argv;

  if (g_find_program_in_path ("xdotool") == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }

  g_setenv ("CB_DEMO_FAST", "1", TRUE);
  fixture_open (&f);
  focus_window (GTK_WIDGET (f.window));
  cb_window_set_visible_page (f.window, "train");
  page = cb_window_get_page (f.window, "train");
  form = cb_page_get_form (page);

  /* Type 40 into Batch Size and press Ctrl+Return without leaving the field. */
  type_into (&f, GTK_WIDGET (spin_of (page, "batch_size")), "ctrl+a 4 0 ctrl+Return");
  wait_for_runs (&f, 1);
  argv = last_run_argv (&f);
  g_assert_true (g_strv_contains (argv, "dataloaders.train_dataloader.batch_size=40"));
  g_assert_true (g_strv_contains (argv, "dataloaders.val_dataloader.batch_size=40"));

  /* Past the slider's end: kept as typed after Tab, with a warning on the row. */
  type_into (&f, GTK_WIDGET (spin_of (page, "max_epochs")), "ctrl+a 3 0 0 Tab");
  g_assert_true (cb_test_spin_until (max_epochs_is_300, form, TIMEOUT_MS));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin_of (page, "max_epochs"))), ==,
                   "300");
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "max_epochs")), ==, 300);
  g_assert_true (gtk_widget_has_css_class (cb_page_get_row (page, "max_epochs"), "cb-warning"));

  /* A learning rate off the step grid and below the slider: exactly as typed. */
  type_into (&f, GTK_WIDGET (spin_of (page, "learning_rate")), "ctrl+a 3 e minus 6 Tab");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin_of (page, "learning_rate"))), ==,
                   "3e-6");
  type_into (&f, GTK_WIDGET (spin_of (page, "learning_rate")),
             "ctrl+a 1 period 2 3 4 e minus 4 ctrl+Return");
  wait_for_runs (&f, 2);
  argv = last_run_argv (&f);
  g_assert_true (g_strv_contains (argv, "model.optimizer.lr=0.0001234"));
  g_assert_true (g_strv_contains (argv, "trainer.max_epochs=300"));

  /* Half-typed text is an error, not the last number: Run is off. */
  type_into (&f, GTK_WIDGET (spin_of (page, "batch_size")), "ctrl+a 4 x");
  /* GTK reads the typed keys in its own time: a loaded machine may need more than 300 ms. */
  g_assert_true (cb_test_spin_until (form_is_invalid, form, TIMEOUT_MS));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin_of (page, "batch_size"))), ==,
                   "4x");
  g_assert_false (gtk_widget_is_sensitive (
                    cb_command_view_get_run_button (cb_window_get_command_view (f.window))));
  type_keys (GTK_WIDGET (f.window), "ctrl+Return");
  g_assert_cmpuint (f.n_started, ==, 2);

  /* Keys typed through the X server leave GTK 4.8 holding the window for a while, as in
   * stop-keys (test-window proves the window does not leak). */
  g_signal_handlers_disconnect_by_data (f.pane, &f);
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f.window)));
  cb_test_spin_pending ();
  f.window_kept = TRUE;
  fixture_close (&f);
  g_unsetenv ("CB_DEMO_FAST");
}

static GtkWidget *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

static void
test_mismatch_asks (void)
{
  Fixture f = { 0 };
  CbPage *page;
  CbForm *form;
  GtkWidget *dialog;
  const char * const *argv;

  g_setenv ("CB_DEMO_FAST", "1", TRUE);
  fixture_open (&f);
  cb_window_set_visible_page (f.window, "test");
  page = cb_window_get_page (f.window, "test");
  form = cb_page_get_form (page);

  cb_form_set_value (form, "checkpoint_path",
                     g_variant_new_string ("outputs/3/checkpoints/last.ckpt"));
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "encoder"), NULL), ==,
                   "resnet50");
  cb_form_set_value (form, "encoder", g_variant_new_string ("vgg16_bn"));
  cb_test_spin_pending ();

  /* Run asks first; nothing starts until the answer. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  cb_test_spin_pending ();
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (f.n_started, ==, 0);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cb_test_spin_pending ();
  g_assert_cmpuint (f.n_started, ==, 0);

  /* The one-click fix on the page's summary, then Run goes without a question. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.use-checkpoint-settings",
                                             NULL));
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "encoder"), NULL), ==,
                   "resnet50");
  cb_form_set_value (form, "encoder", g_variant_new_string ("vgg16_bn"));

  /* Or from the question: put the checkpoint's settings back, and run. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  cb_test_spin_pending ();
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "use");
  g_assert_true (cb_test_spin_until (finished_n, &f, TIMEOUT_MS));
  g_assert_cmpuint (f.n_started, ==, 1);
  argv = last_run_argv (&f);
  g_assert_true (g_strv_contains (argv, "model.encoder.model_name=resnet50"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  fixture_close (&f);
  g_unsetenv ("CB_DEMO_FAST");
}

/* ------------------------------------------------------------------------------------ */
/* The project's Hydra config checks every command (issue: compose natively)            */

static gboolean
hydra_refuses (gpointer data)
{
  return cb_form_get_hydra_error (data) != NULL;
}

static gboolean
hydra_accepts (gpointer data)
{
  return cb_form_get_hydra_error (data) == NULL && cb_form_get_composition (data) != NULL;
}

static gboolean
banner_says (GtkWidget  *root,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (CB_IS_BANNER (child) && cb_banner_get_revealed (CB_BANNER (child)) &&
          cb_banner_get_details (CB_BANNER (child)) != NULL &&
          strstr (cb_banner_get_details (CB_BANNER (child)), text) != NULL)
        return TRUE;
      if (banner_says (child, text))
        return TRUE;
    }
  return FALSE;
}

static gboolean
check_reported (gpointer data)
{
  return banner_says (data, "'model/optimizers' is not a config group of the train config");
}

static CbConfigView *
find_config_view (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (CB_IS_CONFIG_VIEW (window))
        return CB_CONFIG_VIEW (window);
    }
  return NULL;
}

static void
test_hydra_refuses (void)
{
  Fixture f = { 0 };
  CbPage *page;
  CbForm *form;
  CbBanner *banner;
  CbConfigView *view;
  GtkWidget *dialog;
  g_autofree char *group = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *model = NULL;
  g_autofree char *model_text = NULL;

  g_setenv ("CB_DEMO_FAST", "1", TRUE);
  fixture_open (&f);
  cb_config_cache_watch (f.cache);
  cb_window_set_visible_page (f.window, "train");
  page = cb_window_get_page (f.window, "train");
  form = cb_page_get_form (page);
  g_assert_true (hydra_accepts (form));

  /* The Config view shows the composed job config, the command's own values marked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-config", NULL));
  view = find_config_view ();
  g_assert_nonnull (view);
  g_assert_nonnull (strstr (cb_config_view_get_text (view), "  lr: 0.001  # command line\n"));
  g_assert_nonnull (strstr (cb_config_view_get_text (view),
                            "  _target_: torch.optim.Adam  # configs/model/optimizers/adam.yaml:"));
  cb_config_view_set_filter (view, "weight_decay");
  g_assert_null (strstr (cb_config_view_get_text (view), "max_epochs"));
  g_assert_nonnull (strstr (cb_config_view_get_text (view), "weight_decay: 0.0001"));
  cb_config_view_set_filter (view, NULL);

  /* The project moves its optimizer group while the window is open (and its defaults list
   * with it), as the OCR project once did: the page's model/optimizers= can only fail. */
  group = g_build_filename (f.copy, "configs", "model", "optimizers", NULL);
  moved = g_build_filename (f.copy, "configs", "model", "opts", NULL);
  model = g_build_filename (f.copy, "configs", "model", "default.yaml", NULL);
  g_assert_true (g_file_get_contents (model, &model_text, NULL, NULL));
  replace_in_file (model, "  - optimizers: adam\n", "  - opts: adam\n");
  g_assert_cmpint (g_rename (group, moved), ==, 0);
  g_assert_true (cb_test_spin_until (hydra_refuses, form, TIMEOUT_MS));
  g_assert_nonnull (strstr (cb_form_get_hydra_error (form), "model/optimizers"));

  /* Said on the page and on the field at fault, and in the Config view. */
  banner = cb_test_find_banner (GTK_WIDGET (page), "Hydra would refuse this command");
  g_assert_nonnull (banner);
  g_assert_true (cb_banner_get_revealed (banner));
  g_assert_true (gtk_widget_has_css_class (cb_page_get_row (page, "optimizer"), "cb-warning") ||
                 gtk_widget_has_css_class (cb_page_get_row (page, "optimizer"), "cb-invalid"));
  g_assert_null (cb_config_view_get_text (view));

  /* What check says of the schema against the configs is in the window's problems. */
  g_assert_true (cb_test_spin_until (check_reported, f.window, TIMEOUT_MS));

  /* Run asks first; Cancel starts nothing, Run Anyway runs as asked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  cb_test_spin_pending ();
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (f.n_started, ==, 0);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cb_test_spin_pending ();
  g_assert_cmpuint (f.n_started, ==, 0);

  /* Put back: the page and the view follow. */
  g_assert_cmpint (g_rename (moved, group), ==, 0);
  g_assert_true (g_file_set_contents (model, model_text, -1, NULL));
  g_assert_true (cb_test_spin_until (hydra_accepts, form, TIMEOUT_MS));
  cb_test_spin_pending ();
  g_assert_false (cb_banner_get_revealed (banner));
  g_assert_nonnull (cb_config_view_get_text (view));
  cb_test_spin_for (500);
  g_assert_false (check_reported (f.window));

  gtk_window_destroy (GTK_WINDOW (view));
  fixture_close (&f);
  g_unsetenv ("CB_DEMO_FAST");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = NULL;
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  int ret;

  g_setenv ("GTK_A11Y", "test", FALSE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  /* The app's own renderer (see src/main.c). */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  /* Saved values and run histories go to folders of our own. */
  state_dir = g_dir_make_tmp ("test-run-controls-state-XXXXXX", NULL);
  g_assert_nonnull (state_dir);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  cb_test_load_app_style ();

  if (xdotool == NULL || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs xdotool and an X display");
      return 77;
    }

  g_test_add_func ("/run-controls/stop-after-end", test_stop_after_end);
  g_test_add_func ("/run-controls/stop-keys", test_stop_keys);
  g_test_add_func ("/run-controls/stopped-neutral", test_stopped_neutral);
  g_test_add_func ("/run-controls/toast-placement", test_toast_placement);
  g_test_add_func ("/run-controls/state-survives-crash", test_state_survives_crash);
  g_test_add_func ("/run-controls/app-schemas-and-reopen", test_app_schemas_and_reopen);
  g_test_add_func ("/run-controls/typed-number-runs", test_typed_number_runs);
  g_test_add_func ("/run-controls/mismatch-asks", test_mismatch_asks);
  g_test_add_func ("/run-controls/hydra-refuses", test_hydra_refuses);

  ret = g_test_run ();

  cb_test_remove_tree (state_dir);
  return ret;
}
