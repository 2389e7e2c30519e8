/* test-terminal.c: the terminal pane runs commands, reports how they end, and stops them
 *
 * Runs under Xvfb (xvfb-run -a dbus-run-session --). The stand-in for the trainer is
 * tests/helpers/cb-test-child, found through $CB_TEST_CHILD.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cb-terminal-pane.h"

#include "cb/cb-run-history.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"

#define TIMEOUT_MS 15000

typedef struct
{
  GtkWidget      *window;
  CbTerminalPane *pane;
  char           *child;
  char           *tmpdir;

  guint           n_started;
  guint           n_finished;
  int             exit_status;
  int             exit_signal;
  double          seconds;
  GPtrArray      *statuses;
  CbRunRecord    *requested;
  guint           n_requests;
  const char     *wanted_line;
  guint           n_ready;
} Fixture;

typedef gboolean (*Condition) (Fixture *fixture);

/* Helpers */

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_for (Fixture   *fixture,
          Condition  condition,
          guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  guint wake = g_timeout_add (10, wake_cb, NULL);

  while (!condition (fixture) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);

  return condition (fixture);
}

static void
spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint wake = g_timeout_add (10, wake_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);
}

static gboolean
finished (Fixture *fixture)
{
  return fixture->n_finished > 0;
}

static gboolean
started (Fixture *fixture)
{
  return fixture->n_started > 0;
}

static guint
count_lines (Fixture    *fixture,
             const char *line)
{
  g_autofree char *text = cb_terminal_pane_dup_text (fixture->pane);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_strcmp0 (g_strchomp (lines[i]), line) == 0)
        n++;
    }

  return n;
}

static gboolean
has_line (Fixture    *fixture,
          const char *line)
{
  return count_lines (fixture, line) > 0;
}

/* One more "ready" than before the run: the pane keeps the output of earlier runs. */
static gboolean
ready (Fixture *fixture)
{
  return count_lines (fixture, "ready") > fixture->n_ready;
}

static gboolean
wanted_line (Fixture *fixture)
{
  return has_line (fixture, fixture->wanted_line);
}

static gboolean
wait_for_line (Fixture    *fixture,
               const char *line)
{
  fixture->wanted_line = line;
  return wait_for (fixture, wanted_line, TIMEOUT_MS);
}

static gboolean
saw_status (Fixture    *fixture,
            const char *needle)
{
  for (guint i = 0; i < fixture->statuses->len; i++)
    {
      if (strstr (g_ptr_array_index (fixture->statuses, i), needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* Live (non-zombie) processes in group @pgid, from /proc: an independent check of the pane. */
static guint
count_group_members (GPid pgid)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      const char *end;
      char state;
      int ppid;
      int pgrp;

      if (!g_ascii_isdigit (name[0]))
        continue;

      path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (path, &contents, NULL, NULL))
        continue;

      end = strrchr (contents, ')');
      if (end != NULL && sscanf (end + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 &&
          pgrp == pgid && state != 'Z' && state != 'X')
        n++;
    }

  return n;
}

static gboolean
process_alive (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  const char *end;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  end = strrchr (contents, ')');
  return end != NULL && end[1] == ' ' && end[2] != 'Z' && end[2] != 'X';
}

static void
run_child (Fixture    *fixture,
           const char *mode,
           const char *arg)
{
  const char *argv[] = { fixture->child, mode, arg, NULL };
  g_autoptr(GError) error = NULL;

  fixture->n_ready = count_lines (fixture, "ready");
  g_assert_true (cb_terminal_pane_run_full (fixture->pane, argv, fixture->tmpdir, NULL, "train",
                                            &error));
  g_assert_no_error (error);
  g_assert_true (cb_terminal_pane_get_running (fixture->pane));
}

static void
run_and_wait_ready (Fixture    *fixture,
                    const char *mode)
{
  run_child (fixture, mode, NULL);
  g_assert_true (wait_for (fixture, ready, TIMEOUT_MS));
  g_assert_cmpint (cb_terminal_pane_get_pid (fixture->pane), >, 0);
  g_assert_cmpuint (count_group_members (cb_terminal_pane_get_pid (fixture->pane)), >=, 1);
}

/* Fixture */

static void
started_cb (CbTerminalPane *pane,
            Fixture        *fixture)
{
  g_assert_cmpint (cb_terminal_pane_get_pid (pane), >, 0);
  fixture->n_started++;
}

static void
finished_cb (CbTerminalPane *pane,
             int             exit_status,
             int             exit_signal,
             double          seconds,
             Fixture        *fixture)
{
  g_assert_false (cb_terminal_pane_get_running (pane));
  fixture->n_finished++;
  fixture->exit_status = exit_status;
  fixture->exit_signal = exit_signal;
  fixture->seconds = seconds;
}

static void
status_cb (CbTerminalPane *pane,
           GParamSpec     *pspec,
           Fixture        *fixture)
{
  g_ptr_array_add (fixture->statuses, g_strdup (cb_terminal_pane_get_status_text (pane)));
}

static void
requested_cb (CbTerminalPane *pane,
              CbRunRecord    *record,
              Fixture        *fixture)
{
  g_set_object (&fixture->requested, record);
  fixture->n_requests++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *child = g_getenv ("CB_TEST_CHILD");

  if (child != NULL)
    fixture->child = g_strdup (child);
  else
    fixture->child = g_test_build_filename (G_TEST_BUILT, "helpers", "cb-test-child", NULL);
  g_assert_true (g_file_test (fixture->child, G_FILE_TEST_IS_EXECUTABLE));

  fixture->tmpdir = g_dir_make_tmp ("cb-terminal-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->statuses = g_ptr_array_new_with_free_func (g_free);
  fixture->exit_status = G_MININT;
  fixture->exit_signal = G_MININT;

  fixture->window = g_object_ref (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 500);
  fixture->pane = CB_TERMINAL_PANE (cb_terminal_pane_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->pane));
  cb_terminal_pane_set_stop_timeouts (fixture->pane, 300, 300);

  g_signal_connect (fixture->pane, "started", G_CALLBACK (started_cb), fixture);
  g_signal_connect (fixture->pane, "finished", G_CALLBACK (finished_cb), fixture);
  g_signal_connect (fixture->pane, "notify::status-text", G_CALLBACK (status_cb), fixture);
  g_signal_connect (fixture->pane, "copy-requested", G_CALLBACK (requested_cb), fixture);
  g_signal_connect (fixture->pane, "rerun-requested", G_CALLBACK (requested_cb), fixture);
  g_signal_connect (fixture->pane, "load-requested", G_CALLBACK (requested_cb), fixture);

  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gpointer pane = fixture->pane;

  g_assert_false (cb_terminal_pane_get_running (fixture->pane));

  g_object_add_weak_pointer (G_OBJECT (pane), &pane);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  g_assert_null (pane);

  g_clear_object (&fixture->requested);
  g_clear_pointer (&fixture->statuses, g_ptr_array_unref);
  cb_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->child);
}

/* Tests */

static void
test_exit_zero (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *header = NULL;

  run_child (fixture, "exit", "0");
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpuint (fixture->n_started, ==, 1);
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_cmpint (fixture->exit_signal, ==, 0);
  g_assert_cmpfloat (fixture->seconds, >=, 0.0);
  g_assert_cmpint (cb_terminal_pane_get_pid (fixture->pane), ==, 0);

  /* The dim "$ command" line, the output, and how it ended. */
  header = g_strdup_printf ("$ %s exit 0", fixture->child);
  g_assert_true (has_line (fixture, header));
  g_assert_true (has_line (fixture, "hello from child"));
  g_assert_true (g_str_has_prefix (cb_terminal_pane_get_status_text (fixture->pane),
                                   "Exited with status 0 after "));
  g_assert_true (saw_status (fixture, "Running: "));
}

static void
test_exit_status (Fixture       *fixture,
                  gconstpointer  data)
{
  run_child (fixture, "exit", "3");
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpint (fixture->exit_status, ==, 3);
  g_assert_cmpint (fixture->exit_signal, ==, 0);
  g_assert_true (has_line (fixture, "hello from child"));
  g_assert_true (g_str_has_prefix (cb_terminal_pane_get_status_text (fixture->pane),
                                   "Exited with status 3 after "));

  /* The pane runs again once the first run is over; output accumulates. */
  fixture->n_finished = 0;
  run_child (fixture, "exit", "0");
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));
  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_cmpuint (fixture->n_started, ==, 2);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *text = NULL;

  run_child (fixture, "progress", NULL);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_true (has_line (fixture, "done"));

  /* Carriage returns redraw the same line: only the final bar is left. */
  text = cb_terminal_pane_dup_text (fixture->pane);
  g_assert_nonnull (strstr (text, "[====================] 100%"));
  g_assert_null (strstr (text, " 50%"));
}

static void
test_environment (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *argv[] = { "sh", "-c", "echo \"term=$TERM colorterm=$COLORTERM\"; pwd", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *cwd_line = NULL;
  g_autofree char *canonical = NULL;

  /* argv[0] without a slash is looked up in PATH; the directory is the one given. */
  g_assert_true (cb_terminal_pane_run (fixture->pane, argv, fixture->tmpdir,
                                       "show env\033]0;title\007", &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpint (fixture->exit_status, ==, 0);
  /* Control characters of the display text are shown, not obeyed. */
  g_assert_true (has_line (fixture, "$ show env^[]0;title^G"));
  g_assert_true (has_line (fixture, "term=xterm-256color colorterm=truecolor"));
  canonical = realpath (fixture->tmpdir, NULL);
  g_assert_true (has_line (fixture, canonical));
}

static void
test_stop_interrupt (Fixture       *fixture,
                     gconstpointer  data)
{
  GPid pgid;

  /* Long timeouts: only Ctrl+C may stop it. */
  cb_terminal_pane_set_stop_timeouts (fixture->pane, 60000, 60000);
  run_and_wait_ready (fixture, "sleep");
  pgid = cb_terminal_pane_get_pid (fixture->pane);

  cb_terminal_pane_stop (fixture->pane);
  g_assert_cmpint (cb_terminal_pane_get_stop_step (fixture->pane), ==, CB_STOP_STEP_INTERRUPT);
  g_assert_cmpstr (cb_terminal_pane_get_status_text (fixture->pane), ==,
                   "Stopping: sent Ctrl+C…");
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpint (fixture->exit_status, ==, -1);
  g_assert_cmpint (fixture->exit_signal, ==, SIGINT);
  g_assert_true (g_str_has_prefix (cb_terminal_pane_get_status_text (fixture->pane),
                                   "Stopped by signal 2 (SIGINT) after "));
  g_assert_cmpuint (count_group_members (pgid), ==, 0);
}

static void
test_stop_terminate (Fixture       *fixture,
                     gconstpointer  data)
{
  GPid pgid;

  run_and_wait_ready (fixture, "ignore-int");
  pgid = cb_terminal_pane_get_pid (fixture->pane);

  cb_terminal_pane_stop (fixture->pane);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpint (fixture->exit_status, ==, -1);
  g_assert_cmpint (fixture->exit_signal, ==, SIGTERM);
  g_assert_true (saw_status (fixture, "Stopping: sent Ctrl+C…"));
  g_assert_true (saw_status (fixture, "Stopping: sent SIGTERM…"));
  g_assert_false (saw_status (fixture, "SIGKILL"));
  g_assert_true (g_str_has_prefix (cb_terminal_pane_get_status_text (fixture->pane),
                                   "Stopped by signal 15 (SIGTERM) after "));
  g_assert_cmpuint (count_group_members (pgid), ==, 0);
}

static void
test_stop_kill (Fixture       *fixture,
                gconstpointer  data)
{
  GPid pgid;

  run_and_wait_ready (fixture, "ignore-term");
  pgid = cb_terminal_pane_get_pid (fixture->pane);

  cb_terminal_pane_stop (fixture->pane);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpint (fixture->exit_status, ==, -1);
  g_assert_cmpint (fixture->exit_signal, ==, SIGKILL);
  g_assert_true (saw_status (fixture, "Stopping: sent Ctrl+C…"));
  g_assert_true (saw_status (fixture, "Stopping: sent SIGTERM…"));
  g_assert_true (saw_status (fixture, "Stopping: sent SIGKILL…"));
  g_assert_true (g_str_has_prefix (cb_terminal_pane_get_status_text (fixture->pane),
                                   "Stopped by signal 9 (SIGKILL) after "));
  g_assert_cmpuint (count_group_members (pgid), ==, 0);
}

static void
test_stop_skip (Fixture       *fixture,
                gconstpointer  data)
{
  /* Timeouts far beyond the test's: each click must move to the next step by itself. */
  cb_terminal_pane_set_stop_timeouts (fixture->pane, 600000, 600000);
  run_and_wait_ready (fixture, "ignore-term");

  cb_terminal_pane_stop (fixture->pane);
  g_assert_cmpint (cb_terminal_pane_get_stop_step (fixture->pane), ==, CB_STOP_STEP_INTERRUPT);
  spin (100);
  g_assert_true (cb_terminal_pane_get_running (fixture->pane));

  cb_terminal_pane_stop (fixture->pane);
  g_assert_cmpint (cb_terminal_pane_get_stop_step (fixture->pane), ==, CB_STOP_STEP_TERMINATE);
  g_assert_cmpstr (cb_terminal_pane_get_status_text (fixture->pane), ==,
                   "Stopping: sent SIGTERM…");
  spin (100);
  g_assert_true (cb_terminal_pane_get_running (fixture->pane));

  cb_terminal_pane_stop (fixture->pane);
  g_assert_cmpint (cb_terminal_pane_get_stop_step (fixture->pane), ==, CB_STOP_STEP_KILL);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));
  g_assert_cmpint (fixture->exit_signal, ==, SIGKILL);

  /* Stop with nothing running does nothing. */
  cb_terminal_pane_stop (fixture->pane);
  g_assert_false (cb_terminal_pane_get_running (fixture->pane));
  g_assert_cmpuint (fixture->n_finished, ==, 1);
}

static GArray *
worker_pids (Fixture *fixture)
{
  g_autofree char *text = cb_terminal_pane_dup_text (fixture->pane);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 pid;

      if (g_str_has_prefix (lines[i], "worker ") &&
          g_ascii_string_to_unsigned (g_strchomp (lines[i] + strlen ("worker ")), 10, 1,
                                      G_MAXINT, &pid, NULL))
        {
          GPid value = (GPid) pid;

          g_array_append_val (pids, value);
        }
    }

  return pids;
}

static void
test_stop_children (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GArray) workers = NULL;
  GPid pgid;

  run_and_wait_ready (fixture, "children");
  pgid = cb_terminal_pane_get_pid (fixture->pane);
  workers = worker_pids (fixture);
  g_assert_cmpuint (workers->len, ==, 3);
  g_assert_cmpuint (count_group_members (pgid), ==, 4);

  /* Ctrl+C ends the parent; its workers ignore SIGINT and SIGHUP and must be hunted down. */
  cb_terminal_pane_stop (fixture->pane);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpint (fixture->exit_signal, ==, SIGINT);
  g_assert_cmpuint (count_group_members (pgid), ==, 0);
  for (guint i = 0; i < workers->len; i++)
    g_assert_false (process_alive (g_array_index (workers, GPid, i)));
}

static void
test_leftovers_after_exit (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GArray) workers = NULL;
  GPid pgid = 0;

  /* The command exits 0 by itself, leaving workers behind that ignore SIGHUP. */
  run_child (fixture, "orphans", NULL);
  g_assert_true (wait_for (fixture, started, TIMEOUT_MS));
  pgid = cb_terminal_pane_get_pid (fixture->pane);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  workers = worker_pids (fixture);
  g_assert_cmpuint (workers->len, ==, 3);
  g_assert_cmpint (fixture->exit_status, ==, 0);
  g_assert_cmpint (fixture->exit_signal, ==, 0);
  g_assert_true (saw_status (fixture, "stopping leftover processes: sent SIGTERM…"));
  g_assert_cmpuint (count_group_members (pgid), ==, 0);
  for (guint i = 0; i < workers->len; i++)
    g_assert_false (process_alive (g_array_index (workers, GPid, i)));
  g_assert_true (g_str_has_prefix (cb_terminal_pane_get_status_text (fixture->pane),
                                   "Exited with status 0 after "));
}

static void
test_stop_while_starting (Fixture       *fixture,
                          gconstpointer  data)
{
  run_child (fixture, "sleep", NULL);
  g_assert_cmpint (cb_terminal_pane_get_pid (fixture->pane), ==, 0);

  /* No pid yet: the stop waits for one, then goes up the ladder as usual. */
  cb_terminal_pane_stop (fixture->pane);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpuint (fixture->n_started, ==, 1);
  g_assert_cmpint (fixture->exit_status, ==, -1);
  g_assert_cmpint (fixture->exit_signal, >, 0);
}

static void
test_double_launch (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *argv[] = { fixture->child, "exit", "0", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  run_child (fixture, "sleep", NULL);

  /* While starting. */
  g_assert_false (cb_terminal_pane_run (fixture->pane, argv, NULL, NULL, &error));
  g_assert_error (error, CB_TERMINAL_PANE_ERROR, CB_TERMINAL_PANE_ERROR_BUSY);
  g_clear_error (&error);

  g_assert_true (wait_for (fixture, ready, TIMEOUT_MS));
  pid = cb_terminal_pane_get_pid (fixture->pane);

  /* While running. */
  g_assert_false (cb_terminal_pane_run (fixture->pane, argv, NULL, NULL, &error));
  g_assert_error (error, CB_TERMINAL_PANE_ERROR, CB_TERMINAL_PANE_ERROR_BUSY);
  g_clear_error (&error);

  spin (200);
  g_assert_cmpuint (fixture->n_started, ==, 1);
  g_assert_cmpint (cb_terminal_pane_get_pid (fixture->pane), ==, pid);
  g_assert_false (has_line (fixture, "hello from child"));
  g_assert_true (cb_terminal_pane_get_running (fixture->pane));

  cb_terminal_pane_stop (fixture->pane);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_false (has_line (fixture, "hello from child"));
}

static void
test_missing_launcher (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *argv[] = { "cb-no-such-launcher", "run", "python", "train.py", NULL };
  g_autoptr(GError) error = NULL;
  const char *expected =
    "Could not start “cb-no-such-launcher”: No such file or directory. "
    "Is it installed and on your PATH?";

  g_assert_true (cb_terminal_pane_run (fixture->pane, argv, fixture->tmpdir, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpuint (fixture->n_started, ==, 0);
  g_assert_cmpint (fixture->exit_status, ==, -1);
  g_assert_cmpint (fixture->exit_signal, ==, 0);
  g_assert_cmpstr (cb_terminal_pane_get_status_text (fixture->pane), ==, expected);
  /* The terminal shows what it is fed on its next update. */
  g_assert_true (wait_for_line (fixture, expected));
  g_assert_false (cb_terminal_pane_get_running (fixture->pane));
}

static void
test_not_executable (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *script = g_build_filename (fixture->tmpdir, "train.sh", NULL);
  const char *argv[] = { script, NULL };
  g_autoptr(GError) error = NULL;

  g_file_set_contents (script, "#!/bin/sh\necho hi\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0644), ==, 0);

  g_assert_true (cb_terminal_pane_run (fixture->pane, argv, fixture->tmpdir, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  g_assert_cmpint (fixture->exit_status, ==, -1);
  g_assert_true (g_str_has_prefix (cb_terminal_pane_get_status_text (fixture->pane),
                                   "Could not start “"));
  g_assert_nonnull (strstr (cb_terminal_pane_get_status_text (fixture->pane),
                            "Permission denied"));
}

static void
test_missing_directory (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *gone = g_build_filename (fixture->tmpdir, "gone", NULL);
  const char *argv[] = { fixture->child, "exit", "0", NULL };
  g_autoptr(GError) error = NULL;
  const char *status;

  g_assert_true (cb_terminal_pane_run (fixture->pane, argv, gone, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  /* VTE itself would run the command in another directory instead. */
  status = cb_terminal_pane_get_status_text (fixture->pane);
  g_assert_cmpuint (fixture->n_started, ==, 0);
  g_assert_cmpint (fixture->exit_status, ==, -1);
  g_assert_true (g_str_has_prefix (status, "Could not start “"));
  g_assert_nonnull (strstr (status, "there is no such folder"));
  g_assert_false (has_line (fixture, "hello from child"));
}

static void
test_empty_argv (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *empty[] = { NULL };
  const char *blank[] = { "", "x", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_terminal_pane_run (fixture->pane, empty, NULL, NULL, &error));
  g_assert_error (error, CB_TERMINAL_PANE_ERROR, CB_TERMINAL_PANE_ERROR_INVALID_ARGV);
  g_clear_error (&error);

  g_assert_false (cb_terminal_pane_run (fixture->pane, blank, NULL, NULL, &error));
  g_assert_error (error, CB_TERMINAL_PANE_ERROR, CB_TERMINAL_PANE_ERROR_INVALID_ARGV);

  g_assert_false (cb_terminal_pane_get_running (fixture->pane));
  g_assert_cmpstr (cb_terminal_pane_get_status_text (fixture->pane), ==, "Nothing has run yet");
}

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "state", "history.ini", NULL);
  g_autoptr(CbRunHistory) history = cb_run_history_new (path);
  g_autoptr(CbRunHistory) reloaded = cb_run_history_new (path);
  g_autoptr(CbRunRecord) newest = NULL;
  g_autoptr(CbRunRecord) oldest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  GtkMenuButton *menu_button;
  GtkPopover *popover;
  GtkWidget *list;
  GtkWidget *row;
  GtkWidget *button;
  GListModel *entries;

  cb_terminal_pane_set_history (fixture->pane, history);
  g_assert_true (cb_terminal_pane_get_history (fixture->pane) == history);

  run_child (fixture, "exit", "3");
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));
  fixture->n_finished = 0;
  run_and_wait_ready (fixture, "ignore-int");
  cb_terminal_pane_stop (fixture->pane);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  /* Saved as each run ended: a fresh history reads both back, newest first. */
  g_assert_true (cb_run_history_load (reloaded, &error));
  g_assert_no_error (error);
  entries = cb_run_history_get_entries (reloaded);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);

  newest = g_list_model_get_item (entries, 0);
  display = g_strdup_printf ("%s ignore-int", fixture->child);
  g_assert_cmpstr (cb_run_record_get_command (newest), ==, display);
  g_assert_cmpstr (cb_run_record_get_argv (newest)[1], ==, "ignore-int");
  g_assert_cmpstr (cb_run_record_get_page (newest), ==, "train");
  g_assert_cmpint (cb_run_record_get_exit_status (newest), ==, -1);
  g_assert_cmpint (cb_run_record_get_signal (newest), ==, SIGTERM);
  g_assert_cmpfloat (cb_run_record_get_duration (newest), >, 0.0);

  oldest = g_list_model_get_item (entries, 1);
  g_assert_cmpint (cb_run_record_get_exit_status (oldest), ==, 3);
  g_assert_cmpint (cb_run_record_get_signal (oldest), ==, 0);

  /* The Recent Runs popover lists them, and its buttons ask the window to act. */
  menu_button = GTK_MENU_BUTTON (cb_test_find_of_type (GTK_WIDGET (fixture->pane),
                                               GTK_TYPE_MENU_BUTTON));
  g_assert_nonnull (menu_button);
  popover = gtk_menu_button_get_popover (menu_button);
  gtk_menu_button_popup (menu_button);
  spin (50);

  list = cb_test_find_of_type (GTK_WIDGET (popover), GTK_TYPE_LIST_BOX);
  g_assert_nonnull (list);
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_nonnull (row);
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 2));

  button = cb_test_find_named (row, "rerun-button");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (fixture->n_requests, ==, 1);
  g_assert_cmpstr (cb_run_record_get_command (fixture->requested), ==, display);

  button = cb_test_find_named (row, "copy-button");
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (fixture->n_requests, ==, 2);

  button = cb_test_find_named (row, "load-button");
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (fixture->n_requests, ==, 3);

  /* Run Again is off while something runs. */
  button = cb_test_find_named (row, "rerun-button");
  fixture->n_finished = 0;
  run_and_wait_ready (fixture, "sleep");
  g_assert_false (gtk_widget_get_sensitive (button));
  cb_terminal_pane_stop (fixture->pane);
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (history)), ==, 3);

  gtk_popover_popdown (popover);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  VteTerminal *terminal = cb_terminal_pane_get_terminal (fixture->pane);
  GtkWidget *search_bar;
  GtkWidget *entry;
  g_autofree char *selected = NULL;

  run_child (fixture, "exit", "0");
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));

  search_bar = cb_test_find_of_type (GTK_WIDGET (fixture->pane), GTK_TYPE_SEARCH_BAR);
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->pane), "term.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));

  entry = cb_test_find_of_type (search_bar, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);

  /* Case is ignored, and the text is literal (the dot is not "any character"). */
  g_signal_emit_by_name (entry, "search-changed");
  gtk_editable_set_text (GTK_EDITABLE (entry), "HELLO FROM");
  g_signal_emit_by_name (entry, "search-changed");
  g_assert_nonnull (vte_terminal_search_get_regex (terminal));
  g_assert_true (vte_terminal_get_has_selection (terminal));
  selected = vte_terminal_get_text_selected (terminal, VTE_FORMAT_TEXT);
  g_assert_cmpstr (selected, ==, "hello from");

  gtk_editable_set_text (GTK_EDITABLE (entry), "hello.from");
  g_signal_emit_by_name (entry, "search-changed");
  g_assert_false (vte_terminal_get_has_selection (terminal));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (entry, "search-changed");
  g_assert_null (vte_terminal_search_get_regex (terminal));
}

/* The pane's Stop button is always there, and can only while a run goes. */
static void
test_stop_button (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *stop_button = NULL;
  GtkWidget *stack[256];
  guint n = 0;

  stack[n++] = GTK_WIDGET (fixture->pane);
  while (n > 0 && stop_button == NULL)
    {
      GtkWidget *widget = stack[--n];

      if (GTK_IS_BUTTON (widget) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "term.stop") == 0)
        stop_button = widget;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && n < 256;
           child = gtk_widget_get_next_sibling (child))
        stack[n++] = child;
    }
  g_assert_nonnull (stop_button);
  g_assert_true (gtk_widget_get_visible (stop_button));
  g_assert_false (gtk_widget_is_sensitive (stop_button));

  run_and_wait_ready (fixture, "sleep");
  g_assert_true (gtk_widget_get_visible (stop_button));
  g_assert_true (gtk_widget_is_sensitive (stop_button));
  g_signal_emit_by_name (stop_button, "clicked");
  g_assert_true (wait_for (fixture, finished, TIMEOUT_MS));
  g_assert_cmpint (fixture->exit_signal, ==, SIGINT);
  g_assert_true (gtk_widget_get_visible (stop_button));
  g_assert_false (gtk_widget_is_sensitive (stop_button));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/terminal/exit-zero", test_exit_zero);
  ADD ("/terminal/exit-status", test_exit_status);
  ADD ("/terminal/progress", test_progress);
  ADD ("/terminal/environment", test_environment);
  ADD ("/terminal/stop/interrupt", test_stop_interrupt);
  ADD ("/terminal/stop/terminate", test_stop_terminate);
  ADD ("/terminal/stop/kill", test_stop_kill);
  ADD ("/terminal/stop/skip", test_stop_skip);
  ADD ("/terminal/stop/children", test_stop_children);
  ADD ("/terminal/stop/while-starting", test_stop_while_starting);
  ADD ("/terminal/leftovers-after-exit", test_leftovers_after_exit);
  ADD ("/terminal/double-launch", test_double_launch);
  ADD ("/terminal/missing-launcher", test_missing_launcher);
  ADD ("/terminal/not-executable", test_not_executable);
  ADD ("/terminal/missing-directory", test_missing_directory);
  ADD ("/terminal/empty-argv", test_empty_argv);
  ADD ("/terminal/history", test_history);
  ADD ("/terminal/search", test_search);
  ADD ("/terminal/stop-button", test_stop_button);

#undef ADD

  return g_test_run ();
}
