/* test-jobs.c: jobs in tmux sessions here and over SSH, targets.yaml, ssh's failures
 *
 * The SSH cases need a private sshd (tests/ssh/with-sshd starts one and names its folder in
 * CB_TEST_SSHD_DIR); without it they skip, except under CI=true, where they fail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cb/cb-job.h"
#include "cb/cb-problem.h"
#include "cb/cb-target.h"
#include "cb-test-util.h"

static char *tmp_root;     /* everything the test writes */
static char *project;      /* a project folder ("here") */

/* Words that break any naive quoting on the way to the program. */
static const char * const hostile[] = {
  "plain", "with space", "it's", "\"double\"", "$HOME", "`date`", "$(id)", "a=b=c",
  "back\\slash\\", "new\nline", "tab\there", "한국어 텍스트", "", "!!", "*", "~", ";",
  "--flag", "'", NULL
};

/* ---- helpers ------------------------------------------------------------------------ */

static void
wait_finished_recorded (CbJob        *job,
                        CbRunHistory *history,
                        guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      cb_job_probe (job, history, NULL);
      if (cb_job_get_state (job) == CB_JOB_FINISHED)
        break;
      g_usleep (50 * 1000);
    }
  g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_FINISHED);
}

static void
wait_finished (CbJob *job,
               guint  timeout_ms)
{
  wait_finished_recorded (job, NULL, timeout_ms);
  g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_FINISHED);
}

/* Waits until a line of the job's terminal is @line. */
static void
wait_output_line (CbJob      *job,
                  const char *line,
                  guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  g_autofree char *output = NULL;

  for (;;)
    {
      g_auto(GStrv) lines = NULL;

      g_clear_pointer (&output, g_free);
      output = cb_job_read_output (job, FALSE, NULL);
      lines = g_strsplit (output != NULL ? output : "", "\n", -1);
      if (g_strv_contains ((const char * const *) lines, line))
        return;
      if (g_get_monotonic_time () >= deadline)
        break;
      g_usleep (50 * 1000);
    }
  g_error ("no line “%s” from job %s after %u ms: %s", line, cb_job_get_id (job), timeout_ms,
           output);
}

/* Waits until the file @path holds @text, at most @timeout_ms; returns whether it does. */
static gboolean
wait_file_holds (const char *path,
                 const char *text,
                 guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL) && g_str_equal (contents, text))
        return TRUE;
      if (g_get_monotonic_time () >= deadline)
        {
          g_test_message ("%s holds “%s”, not “%s”", path, contents, text);
          return FALSE;
        }
      g_usleep (50 * 1000);
    }
}

/* A python3 program that writes its arguments as JSON to OUT. */
static char **
argv_writer (const char *out)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, "python3");
  g_strv_builder_add (builder, "-c");
  g_strv_builder_add (builder, "import json, sys\n"
                               "open(sys.argv[1], 'w', encoding='utf-8').write("
                               "json.dumps(sys.argv[2:], ensure_ascii=False))\n"
                               "print('wrote', len(sys.argv) - 2, 'words')");
  g_strv_builder_add (builder, out);
  g_strv_builder_addv (builder, (const char **) hostile);
  return g_strv_builder_end (builder);
}

static char *
expected_json (void)
{
  g_autofree char *script = g_strdup ("import json, sys; print(json.dumps(sys.argv[1:], "
                                      "ensure_ascii=False), end='')");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  char *out = NULL;

  g_strv_builder_add (builder, "python3");
  g_strv_builder_add (builder, "-c");
  g_strv_builder_add (builder, script);
  g_strv_builder_addv (builder, (const char **) hostile);
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                               NULL, NULL));
  return out;
}

static CbTarget *
ssh_target (const char *remote_dir)
{
  const char *dir = g_getenv ("CB_TEST_SSHD_DIR");
  g_autofree char *port = NULL;
  g_autofree char *port_file = NULL;
  CbTarget *target;

  if (dir == NULL)
    return NULL;
  port_file = g_build_filename (dir, "port", NULL);
  g_assert_true (g_file_get_contents (port_file, &port, NULL, NULL));
  target = cb_target_new_ssh ("loop", "127.0.0.1");
  target->port = atoi (port);
  target->user = g_strdup (g_get_user_name ());
  target->identity_file = g_build_filename (dir, "id_ed25519", NULL);
  target->project_dir = g_strdup (remote_dir);
  g_strfreev (target->ssh_options);
  target->ssh_options = g_new0 (char *, 4);
  target->ssh_options[0] = g_strdup_printf ("UserKnownHostsFile=%s/known_hosts", dir);
  target->ssh_options[1] = g_strdup ("StrictHostKeyChecking=yes");
  /* The host's jobs in the test's own tmux server and state folder. */
  target->ssh_options[2] = g_strdup_printf ("SetEnv=TMUX_TMPDIR=%s XDG_STATE_HOME=%s",
                                            g_getenv ("TMUX_TMPDIR"), g_getenv ("XDG_STATE_HOME"));
  return target;
}

static gboolean
need_sshd (void)
{
  if (g_getenv ("CB_TEST_SSHD_DIR") != NULL)
    return TRUE;
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_test_fail_printf ("CI=true and no sshd (run under tests/ssh/with-sshd)");
  else
    g_test_skip ("no sshd (run under tests/ssh/with-sshd)");
  return FALSE;
}

/* ---- targets.yaml ------------------------------------------------------------------- */

static void
test_targets_parse (void)
{
  static const char yaml[] =
    "targets:\n"
    "  - name: gpu1\n"
    "    host: gpu1.example.org\n"
    "    user: me\n"
    "    port: 2222\n"
    "    identity_file: ~/.ssh/id_ed25519\n"
    "    project_dir: ~/ocr project\n"
    "    setup:\n"
    "      - . .venv/bin/activate\n"
    "      - export A='b c'\n"
    "    ssh_options: [ConnectTimeout=5]\n"
    "  - name: gpu1\n"
    "    host: other\n"
    "    project_dir: /x\n"
    "  - name: bad\n"
    "    host: h\n"
    "    port: 70000\n"
    "    project_dir: /x\n"
    "  - name: nodir\n"
    "    host: h\n"
    "  - name: opt\n"
    "    host: -oProxyCommand=evil\n"
    "    project_dir: /x\n"
    "  - name: cluster\n"
    "    type: pbs\n"
    "  - name: typo\n"
    "    host: h\n"
    "    projectdir: /x\n"
    "    project_dir: /x\n";
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GPtrArray) targets = cb_targets_parse (yaml, strlen (yaml), "targets.yaml", problems);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) problems2 = cb_problem_list_new ();
  g_autofree char *text = NULL;
  g_autofree char *joined = cb_problem_list_to_string (problems);
  CbTarget *gpu1;

  /* local, gpu1, typo (the unknown key is said, the target kept) */
  g_assert_cmpuint (targets->len, ==, 3);
  g_assert_true (cb_target_is_local (g_ptr_array_index (targets, 0)));
  gpu1 = cb_targets_find (targets, "gpu1");
  g_assert_nonnull (gpu1);
  g_assert_cmpstr (gpu1->host, ==, "gpu1.example.org");
  g_assert_cmpint (gpu1->port, ==, 2222);
  g_assert_cmpstr (gpu1->setup[1], ==, "export A='b c'");
  g_assert_cmpstr (gpu1->ssh_options[0], ==, "ConnectTimeout=5");
  g_assert_nonnull (cb_targets_find (targets, NULL));  /* local */

  g_assert_nonnull (strstr (joined, "targets.yaml:12:5: There is already a target named “gpu1”"));
  g_assert_nonnull (strstr (joined, "targets.yaml:17:11: The port must be"));
  g_assert_nonnull (strstr (joined, "needs the project’s folder"));
  g_assert_nonnull (strstr (joined, "Target “opt” needs a host name"));
  g_assert_nonnull (strstr (joined, "Unknown target type “pbs”"));
  g_assert_nonnull (strstr (joined, "Unknown key “projectdir”"));

  /* Written and read back: the same targets. */
  text = cb_targets_to_yaml (targets);
  again = cb_targets_parse (text, strlen (text), "again.yaml", problems2);
  g_assert_cmpuint (problems2->len, ==, 0);
  g_assert_cmpuint (again->len, ==, 3);
  gpu1 = cb_targets_find (again, "gpu1");
  g_assert_cmpstr (gpu1->project_dir, ==, "~/ocr project");
  g_assert_cmpstr (gpu1->setup[0], ==, ". .venv/bin/activate");
  g_assert_cmpstr (gpu1->identity_file, ==, "~/.ssh/id_ed25519");
}

static void
test_targets_files (void)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GPtrArray) targets = cb_targets_load (project, problems);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cb_targets_path_for_project (project);
  CbTarget *target;

  /* No file: only this computer. */
  g_assert_cmpuint (targets->len, ==, 1);
  g_assert_cmpuint (problems->len, ==, 0);

  target = cb_target_new_ssh ("lab", "lab.example.org");
  target->project_dir = g_strdup ("/srv/ocr");
  g_ptr_array_add (targets, target);
  g_assert_true (cb_targets_save (project, targets, &error));
  g_assert_no_error (error);
  loaded = cb_targets_load (project, problems);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_assert_cmpstr (((CbTarget *) g_ptr_array_index (loaded, 1))->host, ==, "lab.example.org");

  /* A target that cannot be one is refused, and the file is left as it was. */
  target = cb_target_new_ssh ("local", "x");
  target->project_dir = g_strdup ("/x");
  g_ptr_array_add (targets, target);
  g_assert_false (cb_targets_save (project, targets, &error));
  g_assert_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = cb_targets_load (project, problems);
  g_assert_cmpuint (loaded->len, ==, 2);

  /* Broken YAML: file, line and column. */
  g_assert_true (g_file_set_contents (path, "targets:\n  - name: [x\n", -1, NULL));
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = cb_targets_load (project, problems);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpuint (problems->len, ==, 1);
  {
    g_autofree char *line = cb_problem_to_string (g_ptr_array_index (problems, 0));

    g_assert_true (g_str_has_prefix (line, path));
    g_assert_nonnull (strstr (line, ":3:"));
  }
  g_unlink (path);
}

static void
test_ssh_argv (void)
{
  g_autoptr(CbTarget) target = cb_target_new_ssh ("gpu", "gpu.example.org");
  g_auto(GStrv) argv = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *remote = cb_target_remote_script ("echo 'a b'\n");
  g_autofree char *decoded = NULL;
  gsize length = 0;

  target->user = g_strdup ("me");
  target->port = 2222;
  target->identity_file = g_strdup ("~/.ssh/key");
  target->project_dir = g_strdup ("/srv");
  g_strfreev (target->ssh_options);
  target->ssh_options = g_strsplit ("BatchMode=no", ",", -1);
  argv = cb_target_ssh_argv (target, TRUE, "true");
  joined = g_strjoinv (" ", argv);
  /* The user's options first: ssh keeps the first value given. */
  g_assert_true (g_str_has_prefix (joined, "ssh -o BatchMode=no -o BatchMode=yes"));
  g_assert_nonnull (strstr (joined, " -p 2222 -l me -i "));
  g_assert_nonnull (strstr (joined, "/.ssh/key -o IdentitiesOnly=yes -tt -- gpu.example.org true"));

  /* The remote script is one shell-safe word, the script in base64. */
  g_assert_true (g_str_has_prefix (remote, "echo "));
  g_assert_true (g_str_has_suffix (remote, " | base64 -d | /bin/sh"));
  {
    g_autofree char *word = g_strndup (remote + 5, strlen (remote) - 5 - strlen (" | base64 -d | /bin/sh"));

    decoded = (char *) g_base64_decode (word, &length);
  }
  g_assert_nonnull (strstr (decoded, "echo 'a b'"));
  g_assert_true (g_str_has_suffix (decoded, "} </dev/null\n"));
}

static void
test_ssh_errors (void)
{
  static const struct { const char *said; int code; } cases[] = {
    { "root@127.0.0.1: Permission denied (publickey).\r\n", CB_TARGET_ERROR_AUTH },
    { "Host key verification failed.\r\n", CB_TARGET_ERROR_HOST_KEY },
    { "No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict "
      "checking.\nHost key verification failed.\n", CB_TARGET_ERROR_HOST_KEY },
    { "ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n", CB_TARGET_ERROR_UNREACHABLE },
    { "ssh: Could not resolve hostname nowhere.invalid: Name or service not known\n",
      CB_TARGET_ERROR_UNREACHABLE },
    { "Connection to 127.0.0.1 closed by remote host.\r\n", CB_TARGET_ERROR_CONNECTION },
    { "kex_exchange_identification: something odd\n", CB_TARGET_ERROR_FAILED },
  };
  g_autoptr(CbTarget) target = cb_target_new_ssh ("gpu", "gpu.example.org");

  target->project_dir = g_strdup ("/x");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (cb_target_error_from_ssh (target, 255, cases[i].said, &error));
      g_assert_error (error, CB_TARGET_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, "gpu.example.org"));
    }
  /* Not ssh's: the remote command's own status, or a signal with nothing said. */
  g_assert_true (cb_target_error_from_ssh (target, 3, "Permission denied", NULL));
  g_assert_true (cb_target_error_from_ssh (target, 255, "", NULL));
}

/* ---- the store ---------------------------------------------------------------------- */

static void
test_store (void)
{
  const char * const argv[] = { "python3", "runners/train.py", "exp_name='my run'", NULL };
  g_autoptr(CbJob) job = cb_job_new (project, "train", argv, NULL, NULL);
  g_autoptr(CbJob) other = cb_job_new (project, "test", argv, NULL, NULL);
  g_autoptr(CbJob) loaded = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cb_job_dir_for_project (project);
  g_autofree char *bad = g_build_filename (dir, "zzz.ini", NULL);

  g_assert_cmpstr (cb_job_get_experiment (job), ==, "my run");
  g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_STARTING);
  cb_job_set_running (job, 4242);
  g_assert_true (cb_job_save (job, &error));
  cb_job_set_finished (other, 3, 0, NULL);
  g_assert_true (cb_job_save (other, &error));
  g_assert_true (g_file_set_contents (bad, "[job]\nversion=1\nid=../x\n", -1, NULL));

  loaded = cb_job_load (project, cb_job_get_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_job_get_state (loaded), ==, CB_JOB_RUNNING);
  g_assert_cmpint (cb_job_get_pgid (loaded), ==, 4242);
  g_assert_cmpstr (cb_job_get_argv (loaded)[2], ==, "exp_name='my run'");
  g_assert_cmpstr (cb_job_get_target_name (loaded), ==, "local");

  jobs = cb_job_list (project, problems);
  g_assert_cmpuint (problems->len, ==, 1);  /* zzz.ini said, not listed */
  g_assert_cmpuint (jobs->len, ==, 2);
  g_assert_nonnull (cb_job_find (jobs, cb_job_get_id (other), NULL));
  /* Two ids of the same second share their start. */
  g_assert_null (cb_job_find (jobs, "2", &error));
  g_assert_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cb_job_find (jobs, "nothing", &error));
  g_assert_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (cb_job_load (project, "../../etc/passwd", &error));
  g_assert_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND);

  /* Keep 0 finished: the finished one goes, the running one stays. */
  cb_job_forget_old (project, 0);
  g_clear_pointer (&jobs, g_ptr_array_unref);
  jobs = cb_job_list (project, NULL);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpstr (cb_job_get_id (g_ptr_array_index (jobs, 0)), ==, cb_job_get_id (job));

  g_unlink (bad);
  cb_test_remove_tree (dir);
}

/* ---- here --------------------------------------------------------------------------- */

static void
test_local_run (void)
{
  const char * const argv[] = { "sh", "-c", "echo out:$1; echo err >&2; exit 3", "sh", "a b", NULL };
  g_autofree char *history_path = g_build_filename (tmp_root, "history.ini", NULL);
  g_autoptr(CbRunHistory) history = cb_run_history_new (history_path);
  g_autoptr(CbJob) job = cb_job_new (project, "train", argv, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autoptr(CbRunRecord) record = NULL;

  g_assert_true (cb_job_launch (job, history, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_RUNNING);
  g_assert_cmpint (cb_job_get_pgid (job), >, 1);
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (history)), ==, 1);

  wait_finished_recorded (job, history, 10000);
  g_assert_cmpint (cb_job_get_exit_status (job), ==, 3);
  g_assert_cmpint (cb_job_get_signal (job), ==, 0);

  output = cb_job_read_output (job, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (output, "out:a b\n"));
  g_assert_nonnull (strstr (output, "err\n"));

  /* The history has its end, under the job's id. */
  cb_run_history_load (history, NULL);
  record = g_list_model_get_item (cb_run_history_get_entries (history), 0);
  g_assert_cmpstr (cb_run_record_get_id (record), ==, cb_job_get_id (job));
  g_assert_cmpint (cb_run_record_get_outcome (record), ==, CB_RUN_OUTCOME_FAILED);
  g_assert_cmpint (cb_run_record_get_exit_status (record), ==, 3);
}

static void
test_local_hostile_argv (void)
{
  g_autofree char *out = g_build_filename (tmp_root, "argv-local.json", NULL);
  g_auto(GStrv) argv = argv_writer (out);
  g_autoptr(CbJob) job = cb_job_new (project, "train", (const char * const *) argv, NULL, NULL);
  g_autofree char *expected = expected_json ();
  g_autofree char *got = NULL;

  g_assert_true (cb_job_launch (job, NULL, NULL));
  wait_finished (job, 20000);
  g_assert_cmpint (cb_job_get_exit_status (job), ==, 0);
  g_assert_true (g_file_get_contents (out, &got, NULL, NULL));
  g_assert_cmpstr (got, ==, expected);
}

static void
test_local_two_at_once (void)
{
  const char * const a[] = { "sh", "-c", "for i in 1 2 3 4 5; do echo A$i; sleep 0.2; done", NULL };
  const char * const b[] = { "sh", "-c", "for i in 1 2 3; do echo B$i; sleep 0.2; done; exit 4", NULL };
  g_autoptr(CbJob) ja = cb_job_new (project, "train", a, NULL, NULL);
  g_autoptr(CbJob) jb = cb_job_new (project, "test", b, NULL, NULL);
  g_autofree char *oa = NULL;
  g_autofree char *ob = NULL;

  g_assert_true (cb_job_launch (ja, NULL, NULL));
  g_assert_true (cb_job_launch (jb, NULL, NULL));
  g_assert_cmpint (cb_job_get_pgid (ja), !=, cb_job_get_pgid (jb));
  g_assert_true (cb_job_group_alive (ja, NULL));
  g_assert_true (cb_job_group_alive (jb, NULL));
  wait_finished (ja, 20000);
  wait_finished (jb, 20000);
  g_assert_cmpint (cb_job_get_exit_status (ja), ==, 0);
  g_assert_cmpint (cb_job_get_exit_status (jb), ==, 4);
  oa = cb_job_read_output (ja, FALSE, NULL);
  ob = cb_job_read_output (jb, FALSE, NULL);
  g_assert_nonnull (strstr (oa, "A5"));
  g_assert_null (strstr (oa, "B1"));
  g_assert_nonnull (strstr (ob, "B3"));
  g_assert_null (strstr (ob, "A1"));
}

/* A group leader in its own session, running python3 under the command line ARGV0 ... */
static GPid
spawn_leader (const char *argv0)
{
  g_autofree char *code = g_strdup_printf ("import os, sys\n"
                                           "os.setsid()\n"
                                           "os.execv(sys.executable, ['%s', '-c', "
                                           "'import time; time.sleep(60)', '-L', '"
                                           CB_JOB_TMUX_SOCKET "', '-f', '/dev/null'])",
                                           argv0);
  const char * const argv[] = { "python3", "-c", code, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  /* Until it leads its group under its new command line. */
  for (int i = 0; i < 200; i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", pid);
      g_autofree char *contents = NULL;

      if (getpgid (pid) == pid && g_file_get_contents (path, &contents, NULL, NULL) &&
          g_str_equal (contents, argv0))
        break;
      g_usleep (20 * 1000);
    }
  g_assert_cmpint (getpgid (pid), ==, pid);
  return pid;
}

static void
end_leader (GPid pid)
{
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
}

/* A job's group number led by a process that is not the job's (a number reused after a
 * restart) is not the job: it is found ended and never signalled. Just after the start the
 * leader may still be our tmux server's child before its exec: that one is the job's. */
static void
test_local_leader (void)
{
  const char * const argv[] = { "python3", "runners/train.py", NULL };
  g_autoptr(CbJob) stranger_job = cb_job_new (project, "train", argv, NULL, NULL);
  g_autoptr(CbJob) stopped_job = cb_job_new (project, "train", argv, NULL, NULL);
  g_autoptr(CbJob) early_job = cb_job_new (project, "train", argv, NULL, NULL);
  g_autoptr(CbJob) late_job = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cb_job_dir_for_project (project);
  g_autofree char *ini = NULL;
  GPid stranger = spawn_leader ("python3");
  GPid early = spawn_leader ("tmux");

  cb_job_set_running (stranger_job, stranger);
  g_assert_true (cb_job_probe (stranger_job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_job_get_state (stranger_job), ==, CB_JOB_FINISHED);
  cb_job_set_running (stopped_job, stranger);
  g_assert_true (cb_job_stop (stopped_job, NULL, 100, 100, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kill (stranger, 0), ==, 0);
  g_assert_cmpint (waitpid (stranger, NULL, WNOHANG), ==, 0);

  cb_job_set_running (early_job, early);
  g_assert_true (cb_job_probe (early_job, NULL, &error));
  g_assert_cmpint (cb_job_get_state (early_job), ==, CB_JOB_RUNNING);

  /* The same a minute and more after its start: not ours any more. */
  g_assert_true (cb_job_save (early_job, &error));
  g_assert_no_error (error);
  ini = g_strconcat (dir, G_DIR_SEPARATOR_S, cb_job_get_id (early_job), ".ini", NULL);
  g_assert_true (g_key_file_load_from_file (key_file, ini, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_key_file_set_int64 (key_file, "job", "start",
                        g_get_real_time () - 90 * G_USEC_PER_SEC);
  g_assert_true (g_key_file_save_to_file (key_file, ini, &error));
  g_assert_no_error (error);
  late_job = cb_job_load (project, cb_job_get_id (early_job), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_job_get_state (late_job), ==, CB_JOB_RUNNING);
  g_assert_true (cb_job_probe (late_job, NULL, &error));
  g_assert_cmpint (cb_job_get_state (late_job), ==, CB_JOB_FINISHED);
  g_assert_cmpint (waitpid (early, NULL, WNOHANG), ==, 0);

  end_leader (stranger);
  end_leader (early);
  g_unlink (ini);
}

static void
test_local_stop_ladder (void)
{
  /* Ignores Ctrl+C and leaves a child in its group that ignores it too: TERM ends both. */
  const char * const argv[] = {
    "sh", "-c", "trap '' INT; sleep 300 & echo started; while :; do sleep 0.1; done", NULL
  };
  g_autoptr(CbJob) job = cb_job_new (project, "train", argv, NULL, NULL);
  g_autoptr(GError) error = NULL;
  gint64 start;

  g_assert_true (cb_job_launch (job, NULL, NULL));
  /* Until its trap is set (a fixed 300 ms could end first on a loaded machine: Ctrl+C would
   * then end it at once, well before the SIGINT wait). */
  wait_output_line (job, "started", 20000);
  start = g_get_monotonic_time ();
  g_assert_true (cb_job_stop (job, NULL, 500, 2000, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_FINISHED);
  g_assert_true (cb_job_get_stopped (job));
  g_assert_false (cb_job_group_alive (job, NULL));
  /* Nothing but, perhaps, a zombie that tmux has yet to reap. */
  g_assert_false (cb_process_group_alive (cb_job_get_pgid (job)));
  /* Past the SIGINT wait, well before SIGKILL's. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 500 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * 1000);
}

static void
test_local_no_program (void)
{
  const char * const argv[] = { "no-such-program-here", "x=1", NULL };
  g_autoptr(CbJob) job = cb_job_new (project, "train", argv, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbJob) loaded = NULL;

  g_assert_false (cb_job_launch (job, NULL, &error));
  g_assert_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NO_PROGRAM);
  g_assert_nonnull (strstr (error->message, "Could not start “no-such-program-here”"));
  g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_FINISHED);
  loaded = cb_job_load (project, cb_job_get_id (job), NULL);
  g_assert_cmpstr (cb_job_get_message (loaded), ==, error->message);
}

static void
test_local_survives_launcher (void)
{
  /* The job belongs to tmux, not to whoever started it: killing the starter does nothing. */
  g_autofree char *marker = g_build_filename (tmp_root, "survived", NULL);
  g_autofree char *started = g_build_filename (tmp_root, "survivor-started", NULL);
  g_autofree char *script = g_strdup_printf ("echo started > '%s'; sleep 1; echo yes > '%s'",
                                             started, marker);
  const char * const argv[] = { "sh", "-c", script, NULL };
  g_autoptr(CbJob) job = cb_job_new (project, "train", argv, NULL, NULL);
  gboolean running;
  GPid child;

  child = fork ();
  if (child == 0)
    {
      cb_job_launch (job, NULL, NULL);
      pause ();
      _exit (0);
    }
  /* The starter is killed once the job runs (waited for: a loaded machine can take longer
   * than a fixed 600 ms to start it), and the job goes on to write its marker a second
   * later (waited for, not a fixed 1.5 s). */
  running = wait_file_holds (started, "started\n", 20000);
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);
  g_assert_true (running);
  g_assert_true (wait_file_holds (marker, "yes\n", 20000));
}

/* ---- over SSH ----------------------------------------------------------------------- */

static void
test_ssh_hostile_argv (void)
{
  g_autofree char *remote = g_build_filename (tmp_root, "원격 project $x", NULL);
  g_autofree char *out = g_build_filename (tmp_root, "argv-ssh.json", NULL);
  g_autoptr(CbTarget) target = NULL;
  g_autoptr(CbJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) argv = NULL;

  if (!need_sshd ())
    return;
  g_mkdir_with_parents (remote, 0755);
  target = ssh_target (remote);
  g_strfreev (target->setup);
  target->setup = g_strsplit ("export CB_SETUP=ran;echo setup-$CB_SETUP", ";", -1);
  argv = argv_writer (out);
  job = cb_job_new (project, "train", (const char * const *) argv, NULL, target);
  cb_job_launch (job, NULL, &error);
  g_assert_no_error (error);
  wait_finished (job, 30000);
  g_assert_cmpint (cb_job_get_exit_status (job), ==, 0);
  expected = expected_json ();
  g_assert_true (g_file_get_contents (out, &got, NULL, NULL));
  g_assert_cmpstr (got, ==, expected);
  output = cb_job_read_output (job, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (output, "setup-ran"));
  g_assert_nonnull (strstr (output, "wrote 19 words"));
}

static void
test_ssh_stop (void)
{
  g_autoptr(CbTarget) target = NULL;
  g_autoptr(CbJob) job = NULL;
  g_autoptr(GError) error = NULL;
  const char * const argv[] = {
    "sh", "-c", "trap '' INT; sleep 300 & while :; do echo tick; sleep 0.2; done", NULL
  };

  if (!need_sshd ())
    return;
  target = ssh_target (tmp_root);
  job = cb_job_new (project, "train", argv, NULL, target);
  g_assert_true (cb_job_launch (job, NULL, &error));
  g_assert_no_error (error);
  g_usleep (500 * 1000);
  if (!cb_job_group_alive (job, &error))
    g_error ("not running: %s", cb_job_read_output (job, FALSE, NULL));
  g_assert_true (cb_job_probe (job, NULL, &error));
  g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_RUNNING);
  cb_job_stop (job, NULL, 500, 2000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_FINISHED);
  g_assert_true (cb_job_get_stopped (job));
  /* Nothing of the group on the host (here, the same machine). */
  g_assert_false (cb_job_group_alive (job, &error));
  g_assert_no_error (error);
  /* Nothing but, perhaps, a zombie that tmux has yet to reap. */
  g_assert_false (cb_process_group_alive (cb_job_get_pgid (job)));
}

static void
test_ssh_faults (void)
{
  const char * const argv[] = { "true", NULL };
  g_autoptr(CbTarget) target = NULL;
  g_autofree char *missing = g_build_filename (tmp_root, "not-there", NULL);

  if (!need_sshd ())
    return;

  {
    /* The remote folder missing. */
    g_autoptr(CbTarget) t = ssh_target (missing);
    g_autoptr(CbJob) job = cb_job_new (project, "train", argv, NULL, t);
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_job_launch (job, NULL, &error));
    g_assert_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NO_FOLDER);
    g_assert_nonnull (strstr (error->message, "not-there"));
  }
  {
    /* Nobody listens on the port. */
    g_autoptr(CbTarget) t = ssh_target (tmp_root);
    g_autoptr(CbJob) job = NULL;
    g_autoptr(GError) error = NULL;

    t->port = 1;
    job = cb_job_new (project, "train", argv, NULL, t);
    g_assert_false (cb_job_launch (job, NULL, &error));
    g_assert_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_UNREACHABLE);
  }
  {
    /* A key the host does not know. */
    g_autoptr(CbTarget) t = ssh_target (tmp_root);
    g_autoptr(CbJob) job = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *key = g_build_filename (tmp_root, "other_key", NULL);
    const char * const keygen[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) keygen, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, NULL, NULL));
    g_free (t->identity_file);
    t->identity_file = g_strdup (key);
    /* Its own connection: a shared one is already logged in. */
    g_free (t->ssh_options[1]);
    t->ssh_options[1] = g_strdup ("ControlPath=none");
    job = cb_job_new (project, "train", argv, NULL, t);
    g_assert_false (cb_job_launch (job, NULL, &error));
    g_assert_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_AUTH);
  }
  {
    /* A host key not in known_hosts. */
    g_autoptr(CbTarget) t = ssh_target (tmp_root);
    g_autoptr(CbJob) job = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *empty = g_build_filename (tmp_root, "empty_known_hosts", NULL);

    g_file_set_contents (empty, "", 0, NULL);
    g_free (t->ssh_options[0]);
    t->ssh_options[0] = g_strdup_printf ("UserKnownHostsFile=%s", empty);
    /* Its own connection: the shared one would not ask for the key again. */
    g_free (t->ssh_options[2]);
    t->ssh_options[2] = g_strdup ("ControlPath=none");
    job = cb_job_new (project, "train", argv, NULL, t);
    g_assert_false (cb_job_launch (job, NULL, &error));
    g_assert_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_HOST_KEY);
  }
  {
    /* ssh is not installed. */
    g_autoptr(CbTarget) t = ssh_target (tmp_root);
    g_autoptr(CbJob) job = cb_job_new (project, "train", argv, NULL, t);
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_strdup (g_getenv ("PATH"));

    g_setenv ("PATH", tmp_root, TRUE);
    g_assert_false (cb_job_launch (job, NULL, &error));
    g_setenv ("PATH", path, TRUE);
    g_assert_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_NO_PROGRAM);
    g_assert_nonnull (strstr (error->message, "ssh"));
  }
  (void) target;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmux_dir = NULL;
  int status;

  tmp_root = g_dir_make_tmp ("cb-test-jobs-XXXXXX", NULL);
  project = g_build_filename (tmp_root, "project", NULL);
  g_mkdir_with_parents (project, 0755);
  tmux_dir = g_build_filename (tmp_root, "tmux", NULL);
  g_mkdir_with_parents (tmux_dir, 0700);
  /* A state folder and a tmux server of the test's own. */
  g_setenv ("XDG_STATE_HOME", tmp_root, TRUE);
  g_setenv ("TMUX_TMPDIR", tmux_dir, TRUE);
  g_unsetenv ("TMUX");

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/jobs/targets/parse", test_targets_parse);
  g_test_add_func ("/jobs/targets/files", test_targets_files);
  g_test_add_func ("/jobs/ssh/argv", test_ssh_argv);
  g_test_add_func ("/jobs/ssh/errors", test_ssh_errors);
  g_test_add_func ("/jobs/store", test_store);
  g_test_add_func ("/jobs/local/run", test_local_run);
  g_test_add_func ("/jobs/local/hostile-argv", test_local_hostile_argv);
  g_test_add_func ("/jobs/local/two-at-once", test_local_two_at_once);
  g_test_add_func ("/jobs/local/leader", test_local_leader);
  g_test_add_func ("/jobs/local/stop-ladder", test_local_stop_ladder);
  g_test_add_func ("/jobs/local/no-program", test_local_no_program);
  g_test_add_func ("/jobs/local/survives-launcher", test_local_survives_launcher);
  g_test_add_func ("/jobs/ssh/hostile-argv", test_ssh_hostile_argv);
  g_test_add_func ("/jobs/ssh/stop", test_ssh_stop);
  g_test_add_func ("/jobs/ssh/faults", test_ssh_faults);
  status = g_test_run ();

  {
    const char * const kill_server[] = { "tmux", "-L", CB_JOB_TMUX_SOCKET, "kill-server", NULL };

    g_spawn_sync (NULL, (char **) kill_server, NULL,
                  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL);
  }
  cb_test_remove_tree (tmp_root);
  return status;
}
