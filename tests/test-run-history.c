/* test-run-history.c: the per-project run history round-trips, is capped, and is written safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>

#include "cb/cb-run-history.h"
#include "cb-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cb-history-XXXXXX", &error);
  g_assert_no_error (error);
  /* A directory that does not exist yet: saving creates it. */
  fixture->path = g_build_filename (fixture->dir, "history", "project.ini", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  cb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static CbRunRecord *
make_record (const char *command,
             int         exit_status,
             int         signo,
             gint64      unix_time)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (unix_time);
  g_auto(GStrv) argv = NULL;

  argv = g_strsplit (command, " ", -1);

  return cb_run_record_new (command, (const char * const *) argv, "train", start, 4.25,
                            exit_status, signo);
}

static void
test_record_basics (void)
{
  g_autoptr(CbRunRecord) record = make_record ("uv run python runners/train.py", 0, 0,
                                               1714566896);
  g_autoptr(CbRunRecord) stopped = make_record ("sleep 10", 3, SIGTERM, 1714566896);
  g_autoptr(CbRunRecord) failed = make_record ("false", 1, 0, 1714566896);
  g_autoptr(CbRunRecord) not_started = make_record ("nope", -1, 0, 1714566896);
  g_autofree char *iso = cb_run_record_dup_start_time_iso8601 (record);
  g_autofree char *outcome = cb_run_record_describe_outcome (record);
  g_autofree char *stopped_outcome = cb_run_record_describe_outcome (stopped);

  g_assert_cmpstr (iso, ==, "2024-05-01T12:34:56Z");
  g_assert_cmpstr (cb_run_record_get_command (record), ==, "uv run python runners/train.py");
  g_assert_cmpstr (cb_run_record_get_argv (record)[3], ==, "runners/train.py");
  g_assert_cmpstr (cb_run_record_get_page (record), ==, "train");
  g_assert_cmpfloat (cb_run_record_get_duration (record), ==, 4.25);
  g_assert_cmpint (cb_run_record_get_outcome (record), ==, CB_RUN_OUTCOME_SUCCESS);
  g_assert_cmpstr (outcome, ==, "Exited with status 0 after 4.2 s");

  /* A signal wins over an exit status. */
  g_assert_cmpint (cb_run_record_get_exit_status (stopped), ==, -1);
  g_assert_cmpint (cb_run_record_get_signal (stopped), ==, SIGTERM);
  g_assert_cmpint (cb_run_record_get_outcome (stopped), ==, CB_RUN_OUTCOME_SIGNALED);
  g_assert_cmpstr (stopped_outcome, ==, "Stopped by signal 15 (SIGTERM) after 4.2 s");

  g_assert_cmpint (cb_run_record_get_outcome (failed), ==, CB_RUN_OUTCOME_FAILED);
  g_assert_cmpint (cb_run_record_get_outcome (not_started), ==, CB_RUN_OUTCOME_NOT_STARTED);
}

static void
test_wording (void)
{
  struct { double seconds; const char *text; } durations[] = {
    { 0.0, "0.0 s" },
    { 4.24, "4.2 s" },
    { 59.9, "59.9 s" },
    { 60.0, "1 min 0 s" },
    { 725.4, "12 min 5 s" },
    { 3725.0, "1 h 02 min" },
    { -1.0, "0.0 s" },
  };
  struct { gint64 seconds; const char *text; } clocks[] = {
    { 0, "0:00" },
    { 12, "0:12" },
    { 725, "12:05" },
    { 3723, "1:02:03" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    {
      g_autofree char *text = cb_format_duration (durations[i].seconds);

      g_assert_cmpstr (text, ==, durations[i].text);
    }

  for (guint i = 0; i < G_N_ELEMENTS (clocks); i++)
    {
      g_autofree char *text = cb_format_elapsed (clocks[i].seconds);

      g_assert_cmpstr (text, ==, clocks[i].text);
    }

  g_assert_cmpstr (cb_signal_name (SIGKILL), ==, "SIGKILL");
  g_assert_cmpstr (cb_signal_name (SIGINT), ==, "SIGINT");
  g_assert_null (cb_signal_name (0));

  {
    g_autofree char *text = cb_describe_outcome (-1, 0, 0.1);

    g_assert_cmpstr (text, ==, "Could not start");
  }
  {
    g_autofree char *text = cb_describe_outcome (3, 0, 1.0);

    g_assert_cmpstr (text, ==, "Exited with status 3 after 1.0 s");
  }
}

static void
test_path_for_project (void)
{
  g_autofree char *a = cb_run_history_path_for_project ("/home/me/ocr");
  g_autofree char *b = cb_run_history_path_for_project ("/home/me/ocr/");
  g_autofree char *c = cb_run_history_path_for_project ("/home/me/other");
  g_autofree char *base = g_path_get_basename (a);
  g_autofree char *expected_dir = g_build_filename (g_get_user_state_dir (), "command-builder",
                                                    "history", NULL);
  g_autofree char *dir = g_path_get_dirname (a);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (dir, ==, expected_dir);
  g_assert_cmpuint (strlen (base), ==, 64 + strlen (".ini"));
  g_assert_true (g_str_has_suffix (base, ".ini"));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CbRunHistory) history = cb_run_history_new (fixture->path);
  g_autoptr(CbRunHistory) loaded = cb_run_history_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbRunRecord) first = NULL;
  g_autoptr(CbRunRecord) tricky = NULL;
  g_autoptr(CbRunRecord) entry = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (1714566896);
  const char * const tricky_argv[] = {
    "uv", "run", "python", "runners/train.py",
    "exp_name=a;b", "note='two words'", "path=C:\\data", "multi\nline", " lead", "", "한국어",
    NULL
  };
  GListModel *entries;

  /* No file yet: an empty history, no error. */
  g_assert_true (cb_run_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (history)), ==, 0);

  first = make_record ("uv run python runners/train.py", 0, 0, 1714566896);
  g_assert_true (cb_run_history_add (history, first, &error));
  g_assert_no_error (error);

  tricky = cb_run_record_new ("display text", tricky_argv, NULL, start, 0.5, -1, SIGINT);
  g_assert_true (cb_run_history_add (history, tricky, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  g_assert_true (cb_run_history_load (loaded, &error));
  g_assert_no_error (error);

  entries = cb_run_history_get_entries (loaded);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);

  /* Newest first. */
  entry = g_list_model_get_item (entries, 0);
  g_assert_cmpstr (cb_run_record_get_command (entry), ==, "display text");
  g_assert_cmpstrv ((char **) cb_run_record_get_argv (entry), (char **) tricky_argv);
  g_assert_null (cb_run_record_get_page (entry));
  g_assert_cmpint (cb_run_record_get_signal (entry), ==, SIGINT);
  g_assert_cmpint (cb_run_record_get_exit_status (entry), ==, -1);
  g_assert_cmpfloat (cb_run_record_get_duration (entry), ==, 0.5);
  g_clear_object (&entry);

  entry = g_list_model_get_item (entries, 1);
  g_assert_cmpstr (cb_run_record_get_command (entry), ==, "uv run python runners/train.py");
  g_assert_cmpstr (cb_run_record_get_page (entry), ==, "train");
  g_assert_cmpint (cb_run_record_get_exit_status (entry), ==, 0);
  g_assert_cmpint (cb_run_record_get_signal (entry), ==, 0);
  g_assert_cmpfloat (cb_run_record_get_duration (entry), ==, 4.25);
  g_assert_cmpint (g_date_time_to_unix (cb_run_record_get_start_time (entry)), ==, 1714566896);

  g_assert_finalize_object (g_steal_pointer (&loaded));
  g_assert_finalize_object (g_steal_pointer (&entry));
  g_assert_finalize_object (g_steal_pointer (&history));
}

static void
test_cap (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(CbRunHistory) history = cb_run_history_new (fixture->path);
  g_autoptr(CbRunHistory) loaded = cb_run_history_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbRunRecord) newest = NULL;
  g_autoptr(CbRunRecord) oldest = NULL;
  GListModel *entries;

  g_assert_cmpuint (cb_run_history_get_cap (history), ==, CB_RUN_HISTORY_DEFAULT_CAP);

  for (int i = 0; i < CB_RUN_HISTORY_DEFAULT_CAP + 25; i++)
    {
      g_autofree char *command = g_strdup_printf ("run %d", i);
      g_autoptr(CbRunRecord) record = make_record (command, 0, 0, 1714566896 + i);

      g_assert_true (cb_run_history_add (history, record, &error));
      g_assert_no_error (error);
    }

  entries = cb_run_history_get_entries (history);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, CB_RUN_HISTORY_DEFAULT_CAP);

  g_assert_true (cb_run_history_load (loaded, &error));
  g_assert_no_error (error);
  entries = cb_run_history_get_entries (loaded);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, CB_RUN_HISTORY_DEFAULT_CAP);

  newest = g_list_model_get_item (entries, 0);
  oldest = g_list_model_get_item (entries, CB_RUN_HISTORY_DEFAULT_CAP - 1);
  g_assert_cmpstr (cb_run_record_get_command (newest), ==, "run 224");
  g_assert_cmpstr (cb_run_record_get_command (oldest), ==, "run 25");

  /* A smaller cap drops the oldest at once. */
  cb_run_history_set_cap (loaded, 3);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 3);
  g_clear_object (&oldest);
  oldest = g_list_model_get_item (entries, 2);
  g_assert_cmpstr (cb_run_record_get_command (oldest), ==, "run 222");
}

static void
test_atomic_write (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CbRunHistory) history = cb_run_history_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(GDir) listing = NULL;
  const char *name;
  guint n_files = 0;
  GStatBuf buf;

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(CbRunRecord) record = make_record ("python train.py", i, 0, 1714566896 + i);

      g_assert_true (cb_run_history_add (history, record, &error));
      g_assert_no_error (error);
    }

  /* Only the history file itself and its lock: no temporary file left behind. */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_assert_true (g_str_equal (name, "project.ini") || g_str_equal (name, "project.ini.lock"));
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 2);

  /* Commands may hold secrets: only the user reads them. */
  g_assert_cmpint (g_stat (fixture->path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
}

static void
test_corrupt_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CbRunHistory) history = cb_run_history_new (fixture->path);
  g_autoptr(CbRunRecord) record = make_record ("python train.py", 0, 0, 1714566896);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *aside = g_strconcat (fixture->path, ".corrupt", NULL);
  g_autofree char *contents = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (fixture->path, "this is [not a key file\n\x01\x02", -1, &error);
  g_assert_no_error (error);

  g_assert_false (cb_run_history_load (history, &error));
  g_assert_error (error, CB_RUN_HISTORY_ERROR, CB_RUN_HISTORY_ERROR_CORRUPT);
  g_test_message ("Expected: %s", error->message);
  g_clear_error (&error);

  /* Empty and usable; the bad file is kept aside, not destroyed. */
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (history)), ==, 0);
  g_assert_true (g_file_get_contents (aside, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "this is [not"));

  g_assert_true (cb_run_history_add (history, record, &error));
  g_assert_no_error (error);
  g_assert_true (cb_run_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (history)), ==, 1);
}

static void
test_bad_entries_skipped (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(CbRunHistory) history = cb_run_history_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(CbRunRecord) entry = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (fixture->path,
                       "[history]\nversion=1\n\n"
                       "[run 0]\ncommand=no argv\nstart=2024-05-01T12:34:56Z\n"
                       "duration=1\nexit-status=0\nsignal=0\n\n"
                       "[run 1]\ncommand=bad time\nargv=a;\nstart=yesterday\n"
                       "duration=1\nexit-status=0\nsignal=0\n\n"
                       "[run 2]\ncommand=good\nargv=echo;hi;\nstart=2024-05-01T12:34:56Z\n"
                       "duration=2.5\nexit-status=1\nsignal=0\n",
                       -1, &error);
  g_assert_no_error (error);

  g_assert_true (cb_run_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (history)), ==, 1);
  entry = g_list_model_get_item (cb_run_history_get_entries (history), 0);
  g_assert_cmpstr (cb_run_record_get_command (entry), ==, "good");
  g_assert_cmpint (cb_run_record_get_exit_status (entry), ==, 1);
}

static void
test_unknown_version (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CbRunHistory) history = cb_run_history_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (fixture->path, "[history]\nversion=99\n", -1, &error);
  g_assert_no_error (error);

  g_assert_false (cb_run_history_load (history, &error));
  g_assert_error (error, CB_RUN_HISTORY_ERROR, CB_RUN_HISTORY_ERROR_CORRUPT);
}

/* Two processes on one project: neither loses the other's runs (issue 15). */
static void
test_two_processes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CbRunHistory) first = cb_run_history_new (fixture->path);
  g_autoptr(CbRunHistory) second = cb_run_history_new (fixture->path);
  g_autoptr(CbRunHistory) reader = cb_run_history_new (fixture->path);
  g_autoptr(GError) error = NULL;
  pid_t children[4];

  /* Interleaved in one process: each loaded before the other wrote. */
  g_assert_true (cb_run_history_load (first, &error));
  g_assert_true (cb_run_history_load (second, &error));
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(CbRunRecord) a = make_record ("python a.py", 0, 0, 1714566896 + 2 * i);
      g_autoptr(CbRunRecord) b = make_record ("python b.py", 0, 0, 1714566897 + 2 * i);

      g_assert_true (cb_run_history_add (first, a, &error));
      g_assert_true (cb_run_history_add (second, b, &error));
      g_assert_no_error (error);
    }
  g_assert_true (cb_run_history_load (reader, &error));
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (reader)), ==, 6);
  /* Each process's list has the other's runs too (as of its last write), newest first. */
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (first)), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (second)), ==, 6);
  {
    g_autoptr(CbRunRecord) newest = g_list_model_get_item (cb_run_history_get_entries (second),
                                                           0);
    g_autoptr(CbRunRecord) next = g_list_model_get_item (cb_run_history_get_entries (second), 1);

    g_assert_cmpstr (cb_run_record_get_command (newest), ==, "python b.py");
    g_assert_cmpstr (cb_run_record_get_command (next), ==, "python a.py");
  }

  /* Four real processes at once, 25 runs each. */
  for (int c = 0; c < 4; c++)
    {
      children[c] = fork ();
      g_assert_cmpint (children[c], >=, 0);
      if (children[c] == 0)
        {
          CbRunHistory *mine = cb_run_history_new (fixture->path);

          /* Forked: the random ids would repeat the parent's sequence (apps do not fork). */
          g_random_set_seed ((guint32) getpid ());

          for (int i = 0; i < 25; i++)
            {
              g_autofree char *command = g_strdup_printf ("python child%d.py %d", c, i);
              CbRunRecord *record = make_record (command, 0, 0, 1714600000 + 100 * c + i);

              if (!cb_run_history_add (mine, record, NULL))
                _exit (1);
              g_object_unref (record);
            }
          _exit (0);
        }
    }
  for (int c = 0; c < 4; c++)
    {
      int status = 0;

      g_assert_cmpint (waitpid (children[c], &status, 0), ==, children[c]);
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
  g_assert_true (cb_run_history_load (reader, &error));
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (reader)), ==, 106);
}

/* A run is recorded when it starts and completed, in place, when it ends; a run whose app
 * died reads as interrupted. */
static void
test_started_and_finished (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CbRunHistory) history = cb_run_history_new (fixture->path);
  g_autoptr(CbRunHistory) reader = cb_run_history_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (1714566896);
  const char * const argv[] = { "python", "runners/train.py", "exp_name=a b", NULL };
  g_autoptr(CbRunRecord) started = cb_run_record_new_started (NULL, argv, "train", start);
  g_autoptr(CbRunRecord) finished = NULL;
  g_autoptr(CbRunRecord) read = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *outcome = NULL;
  pid_t gone;
  int status;

  g_assert_true (cb_run_history_add (history, started, &error));
  g_assert_true (cb_run_history_load (reader, &error));
  g_assert_no_error (error);
  read = g_list_model_get_item (cb_run_history_get_entries (reader), 0);
  g_assert_true (cb_run_record_get_running (read));
  g_assert_cmpstr (cb_run_record_get_id (read), ==, cb_run_record_get_id (started));
  g_assert_cmpint (cb_run_record_get_outcome (read), ==, CB_RUN_OUTCOME_RUNNING);
  g_clear_object (&read);

  finished = cb_run_record_new_finished (started, 12.5, 0, 0, FALSE);
  g_assert_true (cb_run_history_add (history, finished, &error));
  g_assert_true (cb_run_history_load (reader, &error));
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (reader)), ==, 1);
  read = g_list_model_get_item (cb_run_history_get_entries (reader), 0);
  g_assert_false (cb_run_record_get_running (read));
  g_assert_cmpint (cb_run_record_get_outcome (read), ==, CB_RUN_OUTCOME_SUCCESS);
  g_assert_cmpfloat (cb_run_record_get_duration (read), ==, 12.5);
  g_clear_object (&read);

  /* The app that started a run is gone (a pid that has exited): interrupted. */
  gone = fork ();
  if (gone == 0)
    _exit (0);
  g_assert_cmpint (waitpid (gone, &status, 0), ==, gone);
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  g_clear_pointer (&contents, g_free);
  {
    g_autofree char *text = g_strdup_printf ("[history]\nversion=1\n\n[run 0]\n"
                                             "argv=python;x.py;\nstart=2024-05-01T12:34:56Z\n"
                                             "duration=0\nexit-status=-1\nsignal=0\n"
                                             "running=true\npid=%d\nhost=%s\n",
                                             (int) gone, g_get_host_name ());

    g_assert_true (g_file_set_contents (fixture->path, text, -1, NULL));
  }
  g_assert_true (cb_run_history_load (reader, &error));
  read = g_list_model_get_item (cb_run_history_get_entries (reader), 0);
  g_assert_cmpint (cb_run_record_get_outcome (read), ==, CB_RUN_OUTCOME_INTERRUPTED);
  outcome = cb_run_record_describe_outcome (read);
  g_assert_cmpstr (outcome, ==, "Interrupted: Command Builder ended before the run did");
  /* Written before ids: it gets one, the same on every read. */
  {
    g_autoptr(CbRunRecord) again = NULL;
    g_autofree char *id = g_strdup (cb_run_record_get_id (read));

    g_assert_true (cb_run_history_load (reader, &error));
    again = g_list_model_get_item (cb_run_history_get_entries (reader), 0);
    g_assert_cmpstr (cb_run_record_get_id (again), ==, id);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/run-history/record", test_record_basics);
  g_test_add_func ("/run-history/wording", test_wording);
  g_test_add_func ("/run-history/path-for-project", test_path_for_project);
  g_test_add ("/run-history/round-trip", Fixture, NULL,
              fixture_setup, test_round_trip, fixture_teardown);
  g_test_add ("/run-history/cap", Fixture, NULL, fixture_setup, test_cap, fixture_teardown);
  g_test_add ("/run-history/two-processes", Fixture, NULL, fixture_setup, test_two_processes,
              fixture_teardown);
  g_test_add ("/run-history/started-and-finished", Fixture, NULL, fixture_setup,
              test_started_and_finished, fixture_teardown);
  g_test_add ("/run-history/atomic-write", Fixture, NULL,
              fixture_setup, test_atomic_write, fixture_teardown);
  g_test_add ("/run-history/corrupt-file", Fixture, NULL,
              fixture_setup, test_corrupt_file, fixture_teardown);
  g_test_add ("/run-history/bad-entries-skipped", Fixture, NULL,
              fixture_setup, test_bad_entries_skipped, fixture_teardown);
  g_test_add ("/run-history/unknown-version", Fixture, NULL,
              fixture_setup, test_unknown_version, fixture_teardown);

  return g_test_run ();
}
