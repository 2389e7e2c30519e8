/* test-slurm-window.c: the demo training on a Slurm cluster, from the window
 *
 * Needs the private one-node cluster of tests/slurm/with-slurm; without it the cases skip,
 * except under CI=true, where they fail.
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
#include "cb/cb-job.h"

#define TIMEOUT_MS 90000

typedef struct
{
  CbTestProject  p;
  CbWindow      *window;
} Fixture;

static gboolean
have_cluster (void)
{
  if (g_getenv ("CB_TEST_SLURM_DIR") != NULL)
    return TRUE;
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_test_fail_printf ("CI=true and no Slurm cluster (run under tests/slurm/with-slurm)");
  else
    g_test_skip ("no Slurm cluster (run under tests/slurm/with-slurm)");
  return FALSE;
}

static void
fixture_open (Fixture *f)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  cb_test_project_open (&f->p, "test-slurm-window", 1000, 760);
  dir = g_build_filename (f->p.copy, ".command-builder", NULL);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, "targets.yaml", NULL);
  g_assert_true (g_file_set_contents (path,
                                      "targets:\n"
                                      "  - name: loop\n"
                                      "    type: slurm\n"
                                      "    time: \"00:10:00\"\n"
                                      "    cpus_per_task: 1\n"
                                      "    setup:\n"
                                      "      - export CB_DEMO_SECONDS=6\n", -1, NULL));
  f->window = cb_test_project_new_window (&f->p);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (cb_test_spin_until (cb_test_cache_loaded, f->p.cache, TIMEOUT_MS));
}

static void
fixture_close (Fixture *f)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  cb_test_spin_pending ();
  cb_test_project_close (&f->p);
}

typedef struct { CbTerminalPane *pane; const char *text; } TextWait;

static gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;
  g_autofree char *all = cb_terminal_pane_dup_text (wait->pane);

  return strstr (all, wait->text) != NULL;
}

static void
wait_text (CbTerminalPane *pane,
           const char     *text)
{
  TextWait wait = { pane, text };

  if (!cb_test_spin_until (text_shown, &wait, TIMEOUT_MS))
    g_error ("No “%s” in the terminal: %s", text, cb_terminal_pane_dup_text (pane));
}

static void
choose_cluster (Fixture *f)
{
  GtkDropDown *dropdown = cb_window_get_target_dropdown (f->window);

  /* This Computer, loop (Slurm), Edit Targets… */
  while (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) < 3)
    g_main_context_iteration (NULL, TRUE);
  gtk_drop_down_set_selected (dropdown, 1);
  cb_test_spin_pending ();
}

static gboolean
picker_has (gpointer data)
{
  Fixture *f = data;
  CbForm *form = cb_page_get_form (cb_window_get_page (f->window, "test"));
  int index = cb_schema_find_field (cb_form_get_schema (form), "checkpoint_path");
  const CbFieldState *state = cb_form_get_field_state (form, (guint) index);

  for (guint i = 0; i < state->n_options; i++)
    if (strstr (state->options[i], "on-the-cluster") != NULL)
      return TRUE;
  return FALSE;
}

/* The demo training submitted: the preview is its job script, its output is followed live
 * while it runs, it ends COMPLETED, and its checkpoint reaches Test's picker. */
static void
test_train (void)
{
  Fixture f = { 0 };
  CbForm *form;
  CbTerminalPane *pane;
  CbJob *job;
  const char *preview;
  g_autofree char *summary = NULL;

  if (!have_cluster ())
    return;
  fixture_open (&f);
  choose_cluster (&f);
  form = cb_page_get_form (cb_window_get_page (f.window, "train"));
  g_assert_true (cb_form_set_value_from_string (form, "exp_name", "on-the-cluster", NULL));
  g_assert_true (cb_form_set_value_from_string (form, "max_epochs", "2", NULL));
  cb_test_spin_pending ();

  preview = cb_command_view_get_text (cb_window_get_command_view (f.window));
  g_assert_true (g_str_has_prefix (preview, "#!/bin/bash\n"));
  g_assert_nonnull (strstr (preview, "#SBATCH --job-name=on-the-cluster-"));
  g_assert_nonnull (strstr (preview, "\nsrun python3 runners/train.py "));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  pane = cb_window_get_terminal_pane (f.window);
  job = cb_terminal_pane_get_job (pane);
  g_assert_nonnull (job);
  g_assert_true (cb_job_is_slurm (job));
  wait_text (pane, "Submitted as Slurm job");
  /* Live: the first epoch shows while the job still runs. */
  wait_text (pane, "Epoch 0");
  g_assert_true (cb_job_is_active (job) || cb_terminal_pane_get_running (pane));
  g_assert_true (cb_test_spin_until (cb_test_pane_idle, pane, TIMEOUT_MS));
  g_assert_cmpint (cb_job_get_exit_status (job), ==, 0);
  summary = cb_job_dup_slurm_summary (job);
  g_assert_cmpstr (summary, ==, "COMPLETED");
  g_assert_nonnull (strstr (cb_terminal_pane_get_status_text (pane), "Exited with status 0"));
  /* The whole output, from its start. */
  wait_text (pane, "Run directory:");

  g_assert_true (cb_test_spin_until (picker_has, &f, TIMEOUT_MS));
  fixture_close (&f);
}

/* A long job stopped from the window: Ctrl+C reaches the training, which ends; nothing is
 * left running on the cluster. */
static void
test_stop (void)
{
  Fixture f = { 0 };
  CbForm *form;
  CbTerminalPane *pane;
  CbJob *job;

  if (!have_cluster ())
    return;
  fixture_open (&f);
  choose_cluster (&f);
  form = cb_page_get_form (cb_window_get_page (f.window, "train"));
  g_assert_true (cb_form_set_value_from_string (form, "exp_name", "long-on-the-cluster", NULL));
  g_assert_true (cb_form_set_value_from_string (form, "max_epochs", "50", NULL));
  cb_test_spin_pending ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  pane = cb_window_get_terminal_pane (f.window);
  job = cb_terminal_pane_get_job (pane);
  wait_text (pane, "Epoch 0");

  cb_terminal_pane_stop (pane);
  g_assert_true (cb_test_spin_until (cb_test_pane_idle, pane, TIMEOUT_MS));
  g_assert_nonnull (strstr (cb_terminal_pane_get_status_text (pane), "Stopped"));
  g_assert_false (cb_job_is_active (job));
  g_assert_true (cb_job_get_stopped (job));
  fixture_close (&f);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state = NULL;
  int status;

  state = cb_test_gui_init (&argc, &argv, "test-slurm-window");
  g_test_add_func ("/slurm-window/train", test_train);
  g_test_add_func ("/slurm-window/stop", test_stop);
  status = g_test_run ();
  cb_test_remove_tree (state);
  return status;
}
