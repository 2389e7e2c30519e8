/* test-jobs-window.c: runs as jobs in the window: several at once, runs that outlive the
 * window, and a run over SSH
 *
 * The SSH case needs a private sshd (tests/ssh/with-sshd starts one and names its folder in
 * CB_TEST_SSHD_DIR); without it, it skips, except under CI=true, where it fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cb-command-view.h"
#include "cb-jobs-pane.h"
#include "cb-terminal-pane.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"
#include "cb-window.h"
#include "cb/cb-form.h"

#define TIMEOUT_MS 30000

typedef struct
{
  CbTestProject  p;
  CbWindow      *window;
} Fixture;

static void
fixture_window (Fixture *f)
{
  f->window = cb_test_project_new_window (&f->p);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (cb_test_spin_until (cb_test_cache_loaded, f->p.cache, TIMEOUT_MS));
}

static void
fixture_open (Fixture *f)
{
  cb_test_project_open (&f->p, "test-jobs-window", 1000, 760);
  fixture_window (f);
}

static void
fixture_close (Fixture *f)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  cb_test_spin_pending ();
  cb_test_project_close (&f->p);
}

static CbJobsPane *
jobs_pane (Fixture *f)
{
  return CB_JOBS_PANE (cb_window_get_jobs_pane (f->window));
}

static void
set_exp_name (Fixture    *f,
              const char *name)
{
  CbForm *form = cb_page_get_form (cb_window_get_page (f->window, "train"));

  g_assert_true (cb_form_set_value_from_string (form, "exp_name", name, NULL));
  g_assert_true (cb_form_set_value_from_string (form, "max_epochs", "2", NULL));
}

static gboolean
text_has (CbTerminalPane *pane,
          const char     *text)
{
  g_autofree char *all = cb_terminal_pane_dup_text (pane);

  return strstr (all, text) != NULL;
}

typedef struct { CbTerminalPane *pane; const char *text; } TextWait;

static gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;

  return text_has (wait->pane, wait->text);
}

static void
wait_text (CbTerminalPane *pane,
           const char     *text)
{
  TextWait wait = { pane, text };

  if (!cb_test_spin_until (text_shown, &wait, TIMEOUT_MS))
    g_error ("No “%s” in the terminal: %s", text, cb_terminal_pane_dup_text (pane));
}

static CbTerminalPane *
run_train (Fixture *f)
{
  CbTerminalPane *pane;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.run", NULL));
  pane = cb_window_get_terminal_pane (f->window);
  g_assert_nonnull (cb_terminal_pane_get_job (pane));
  g_assert_true (cb_test_spin_until (cb_test_pane_started, pane, TIMEOUT_MS));
  return pane;
}

/* Two runs at once, each in its tab with its own output; Stop of one leaves the other. */
static void
test_two_at_once (void)
{
  Fixture f = { 0 };
  CbTerminalPane *first;
  CbTerminalPane *second;
  gint64 first_group;

  fixture_open (&f);
  g_setenv ("CB_DEMO_SECONDS", "60", TRUE);
  set_exp_name (&f, "long-one");
  first = run_train (&f);
  g_unsetenv ("CB_DEMO_SECONDS");
  g_setenv ("CB_DEMO_FAST", "1", TRUE);
  set_exp_name (&f, "short-one");
  second = run_train (&f);
  g_unsetenv ("CB_DEMO_FAST");

  g_assert_true (first != second);
  g_assert_cmpuint (cb_jobs_pane_get_n_panes (jobs_pane (&f)), ==, 2);
  g_assert_cmpuint (cb_jobs_pane_get_n_running (jobs_pane (&f)), >=, 1);
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (f.window)), "Running"));

  /* The short one ends by itself, with its own output; the long one goes on. */
  g_assert_true (cb_test_spin_until (cb_test_pane_idle, second, TIMEOUT_MS));
  g_assert_nonnull (strstr (cb_terminal_pane_get_status_text (second), "Exited with status 0"));
  wait_text (second, "short-one");
  wait_text (second, "Epoch 1");
  g_assert_false (text_has (second, "long-one"));
  g_assert_true (cb_terminal_pane_get_running (first));
  wait_text (first, "long-one");
  g_assert_false (text_has (first, "short-one"));

  /* Stop: that run only, and nothing of it is left. */
  first_group = cb_job_get_pgid (cb_terminal_pane_get_job (first));
  g_assert_cmpint (first_group, >, 1);
  cb_terminal_pane_stop (first);
  g_assert_true (cb_test_spin_until (cb_test_pane_idle, first, TIMEOUT_MS));
  g_assert_nonnull (strstr (cb_terminal_pane_get_status_text (first), "Stopped"));
  g_assert_false (cb_process_group_alive (first_group));
  wait_text (first, "Nothing of the run is left on this computer");
  g_assert_cmpint (cb_job_get_state (cb_terminal_pane_get_job (first)), ==, CB_JOB_FINISHED);

  /* Both in the Jobs list. */
  g_assert_cmpuint (g_list_model_get_n_items (
    cb_job_monitor_get_model (cb_jobs_pane_get_monitor (jobs_pane (&f)))), ==, 2);

  fixture_close (&f);
}

static gboolean
window_gone (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window == data)
        return FALSE;
    }
  return TRUE;
}

static AdwMessageDialog *
find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

typedef struct { Fixture *f; guint n; } PanesWait;

static gboolean
panes_with_jobs (gpointer data)
{
  PanesWait *wait = data;
  CbJobsPane *pane = jobs_pane (wait->f);
  guint n = 0;

  for (guint i = 0; i < cb_jobs_pane_get_n_panes (pane); i++)
    n += cb_terminal_pane_get_job (cb_jobs_pane_get_pane (pane, i)) != NULL;
  return n >= wait->n;
}

/* Closed with "Keep Running in the Background": the runs go on; the next window shows them,
 * with their output, and how they ended. */
static void
test_keep_running (void)
{
  Fixture f = { 0 };
  PanesWait wait = { &f, 2 };
  AdwMessageDialog *dialog;
  CbWindow *window;
  gint64 groups[2];
  char *ids[2];

  fixture_open (&f);
  g_setenv ("CB_DEMO_SECONDS", "6", TRUE);
  set_exp_name (&f, "background-a");
  groups[0] = cb_job_get_pgid (cb_terminal_pane_get_job (run_train (&f)));
  ids[0] = g_strdup (cb_job_get_id (cb_terminal_pane_get_job (cb_window_get_terminal_pane (f.window))));
  set_exp_name (&f, "background-b");
  groups[1] = cb_job_get_pgid (cb_terminal_pane_get_job (run_train (&f)));
  ids[1] = g_strdup (cb_job_get_id (cb_terminal_pane_get_job (cb_window_get_terminal_pane (f.window))));
  g_unsetenv ("CB_DEMO_SECONDS");

  window = g_steal_pointer (&f.window);
  gtk_window_close (GTK_WINDOW (window));
  dialog = find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "background");
  adw_message_dialog_response (dialog, "background");
  g_assert_true (cb_test_spin_until (window_gone, window, TIMEOUT_MS));

  /* The window is gone; the runs are not. */
  cb_test_spin_for (300);
  g_assert_true (cb_process_group_alive (groups[0]));
  g_assert_true (cb_process_group_alive (groups[1]));

  /* A new window (the app started again) follows both. */
  fixture_window (&f);
  g_assert_true (cb_test_spin_until (panes_with_jobs, &wait, TIMEOUT_MS));
  for (guint i = 0; i < cb_jobs_pane_get_n_panes (jobs_pane (&f)); i++)
    {
      CbTerminalPane *pane = cb_jobs_pane_get_pane (jobs_pane (&f), i);
      CbJob *job = cb_terminal_pane_get_job (pane);

      if (job == NULL)
        continue;
      g_assert_true (g_str_equal (cb_job_get_id (job), ids[0]) ||
                     g_str_equal (cb_job_get_id (job), ids[1]));
      g_assert_true (cb_test_spin_until (cb_test_pane_idle, pane, TIMEOUT_MS));
      g_assert_nonnull (strstr (cb_terminal_pane_get_status_text (pane), "Exited with status 0"));
      wait_text (pane, cb_job_get_experiment (job));
      wait_text (pane, "Epoch 1");
      wait_text (pane, "Best checkpoint");
    }
  g_free (ids[0]);
  g_free (ids[1]);
  fixture_close (&f);
}

/* The demo training over SSH: its progress shows; Stop leaves nothing of it on the host. */
static void
test_ssh (void)
{
  const char *sshd = g_getenv ("CB_TEST_SSHD_DIR");
  Fixture f = { 0 };
  g_autofree char *port = NULL;
  g_autofree char *port_file = NULL;
  g_autofree char *yaml = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  GtkDropDown *dropdown;
  CbTerminalPane *pane;
  CbJob *job;
  const char *preview;

  if (sshd == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_test_fail_printf ("CI=true and no sshd (run under tests/ssh/with-sshd)");
      else
        g_test_skip ("no sshd (run under tests/ssh/with-sshd)");
      return;
    }

  cb_test_project_open (&f.p, "test-jobs-window", 1000, 760);
  port_file = g_build_filename (sshd, "port", NULL);
  g_assert_true (g_file_get_contents (port_file, &port, NULL, NULL));
  g_strstrip (port);
  /* The host is this machine: the project's folder there is the same folder. */
  yaml = g_strdup_printf ("targets:\n"
                          "  - name: loop\n"
                          "    host: 127.0.0.1\n"
                          "    port: %s\n"
                          "    user: %s\n"
                          "    identity_file: %s/id_ed25519\n"
                          "    project_dir: %s\n"
                          "    setup:\n"
                          "      - export CB_DEMO_SECONDS=60\n"
                          "    ssh_options:\n"
                          "      - UserKnownHostsFile=%s/known_hosts\n"
                          "      - StrictHostKeyChecking=yes\n"
                          "      - SetEnv=TMUX_TMPDIR=%s XDG_STATE_HOME=%s\n",
                          port, g_get_user_name (), sshd, f.p.copy, sshd,
                          g_getenv ("TMUX_TMPDIR"), g_getenv ("XDG_STATE_HOME"));
  dir = g_build_filename (f.p.copy, ".command-builder", NULL);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, "targets.yaml", NULL);
  g_assert_true (g_file_set_contents (path, yaml, -1, NULL));
  fixture_window (&f);

  /* This Computer, loop, Edit Targets… */
  dropdown = cb_window_get_target_dropdown (f.window);
  while (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) < 3)
    g_main_context_iteration (NULL, TRUE);
  gtk_drop_down_set_selected (dropdown, 1);
  set_exp_name (&f, "over-ssh");
  cb_test_spin_pending ();
  preview = cb_command_view_get_text (cb_window_get_command_view (f.window));
  g_assert_true (g_str_has_prefix (preview, "ssh -p "));
  g_assert_nonnull (strstr (preview, "exec python3 runners/train.py"));

  pane = run_train (&f);
  job = cb_terminal_pane_get_job (pane);
  g_assert_false (cb_job_is_local (job));
  g_assert_cmpstr (cb_job_get_target_name (job), ==, "loop");
  wait_text (pane, "on root@127.0.0.1");
  wait_text (pane, "Epoch 0");  /* progress, as the host's terminal shows it */

  cb_terminal_pane_stop (pane);
  g_assert_true (cb_test_spin_until (cb_test_pane_idle, pane, TIMEOUT_MS));
  g_assert_nonnull (strstr (cb_terminal_pane_get_status_text (pane), "Stopped"));
  wait_text (pane, "Nothing of the run is left on");
  /* The host is this machine: look for yourself. */
  g_assert_false (cb_process_group_alive (cb_job_get_pgid (job)));

  fixture_close (&f);
}

/* Each page keeps its own target. A tab switch only selects the page's target: the list is
 * made when the targets change, not at every switch (it cost about 0.5 ms a switch). */

static void
write_targets (Fixture    *f,
               const char *yaml)
{
  g_autofree char *dir = g_build_filename (f->p.copy, ".command-builder", NULL);
  g_autofree char *path = g_build_filename (dir, "targets.yaml", NULL);

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (g_file_set_contents (path, yaml, -1, NULL));
}

static gboolean
dropdown_has_items (gpointer data)
{
  GtkDropDown *dropdown = ((gpointer *) data)[0];
  guint n = GPOINTER_TO_UINT (((gpointer *) data)[1]);

  return g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) == n;
}

static const char *
selected_title (GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

static void
test_target_per_page (void)
{
  Fixture f = { 0 };
  GtkDropDown *dropdown;
  GListModel *model;
  gpointer wait[2];

  cb_test_project_open (&f.p, "test-jobs-window", 1000, 760);
  write_targets (&f, "targets:\n"
                     "  - name: gpu\n"
                     "    host: gpu.invalid\n"
                     "    project_dir: /srv/ocr\n");
  fixture_window (&f);

  /* This Computer, gpu, Edit Targets… */
  dropdown = cb_window_get_target_dropdown (f.window);
  wait[0] = dropdown;
  wait[1] = GUINT_TO_POINTER (3);
  g_assert_true (cb_test_spin_until (dropdown_has_items, wait, TIMEOUT_MS));
  model = gtk_drop_down_get_model (dropdown);
  cb_window_set_visible_page (f.window, "train");
  gtk_drop_down_set_selected (dropdown, 1);
  g_assert_cmpstr (selected_title (dropdown), ==, "gpu");
  g_assert_true (g_str_has_prefix (cb_command_view_get_text (cb_window_get_command_view (f.window)),
                                   "ssh "));

  for (guint round = 0; round < 3; round++)
    {
      cb_window_set_visible_page (f.window, "test");
      g_assert_cmpstr (selected_title (dropdown), ==, "This Computer");
      g_assert_false (g_str_has_prefix (cb_command_view_get_text (cb_window_get_command_view (f.window)),
                                        "ssh "));
      cb_window_set_visible_page (f.window, "predict");
      g_assert_cmpstr (selected_title (dropdown), ==, "This Computer");
      cb_window_set_visible_page (f.window, "train");
      g_assert_cmpstr (selected_title (dropdown), ==, "gpu");
      /* The same list: a switch made nothing. */
      g_assert_true (gtk_drop_down_get_model (dropdown) == model);
    }

  /* A new target in the file: a new list, and the page keeps its target. */
  write_targets (&f, "targets:\n"
                     "  - name: cpu\n"
                     "    host: cpu.invalid\n"
                     "    project_dir: /srv/ocr\n"
                     "  - name: gpu\n"
                     "    host: gpu.invalid\n"
                     "    project_dir: /srv/ocr\n");
  wait[1] = GUINT_TO_POINTER (4);
  g_assert_true (cb_test_spin_until (dropdown_has_items, wait, TIMEOUT_MS));
  g_assert_true (gtk_drop_down_get_model (dropdown) != model);
  g_assert_cmpstr (selected_title (dropdown), ==, "gpu");
  cb_window_set_visible_page (f.window, "test");
  g_assert_cmpstr (selected_title (dropdown), ==, "This Computer");

  fixture_close (&f);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmux_dir = NULL;
  g_autofree char *state = NULL;
  int status;

  state = cb_test_gui_init (&argc, &argv, "test-jobs-window");
  /* A tmux server of the test's own. */
  tmux_dir = g_build_filename (state, "tmux", NULL);
  g_mkdir_with_parents (tmux_dir, 0700);
  g_setenv ("TMUX_TMPDIR", tmux_dir, TRUE);
  g_unsetenv ("TMUX");

  g_test_add_func ("/jobs-window/two-at-once", test_two_at_once);
  g_test_add_func ("/jobs-window/keep-running", test_keep_running);
  g_test_add_func ("/jobs-window/ssh", test_ssh);
  g_test_add_func ("/jobs-window/target-per-page", test_target_per_page);
  status = g_test_run ();

  {
    const char * const kill_server[] = { "tmux", "-L", CB_JOB_TMUX_SOCKET, "kill-server", NULL };

    g_spawn_sync (NULL, (char **) kill_server, NULL,
                  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL);
  }
  cb_test_remove_tree (state);
  return status;
}
