/* cb-job-tmux.c: a job's life in a tmux session, on this computer or on an SSH host
 *
 * Every job runs in its own session of one tmux server, `tmux -L command-builder` (Debian's
 * tmux; the user's own server and configuration are never touched): the session holds the
 * terminal, so the job lives on when the app closes, crashes or is killed, and any number
 * of clients can attach to it (the terminal pane attaches one). On an SSH host the same
 * happens on the host: every step below is one shell script, run by /bin/sh here or sent to
 * the host's /bin/sh through ssh (cb_target_remote_script()), so that a dropped connection
 * costs nothing but the view.
 *
 * In the session a small POSIX shell wrapper runs the setup lines, then the command's argv
 * exactly as given ("$@": no word is re-split or expanded), and when the command ends writes
 * the terminal's text to <id>.log and the exit status to <id>.status (each written to a
 * temporary file and renamed). It traps INT, TERM and HUP (a trap, not an ignore: the
 * command gets them as usual) so that Stop and a closed terminal still leave the status.
 * The wrapper is the session's first process, so its pid is the job's process group: Stop
 * signals the group, as the terminal pane always did (Ctrl+C, TERM, KILL), and checks that
 * nothing of the group is left.
 *
 * An exit status above 128 from the shell is a signal (128 + N), as shells report it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-job"

#include "config.h"

#include "cb/cb-job.h"
#include "cb/cb-file-read.h"
#include "cb/cb-quote.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* Exit statuses of our own scripts, above what a shell uses. */
#define EXIT_NO_FOLDER 210
#define EXIT_NO_TMUX   211
#define EXIT_NO_STATE  212

/* A job still starting after this long never will. */
#define STARTING_LIMIT_US (120 * G_USEC_PER_SEC)

#define TMUX "tmux -L " CB_JOB_TMUX_SOCKET

/* The wrapper: $1 the status file, $2 the log file, $3 the setup lines, then the argv. */
static const char wrapper[] =
  "trap : INT TERM HUP\n"
  "status=$1; log=$2; setup=$3; shift 3\n"
  "if eval \"$setup\"; then \"$@\"; s=$?; else s=$?\n"
  "  printf 'command-builder: the setup lines failed (exit status %s)\\n' \"$s\" >&2; fi\n"
  TMUX " capture-pane -p -e -J -S - -E - -t \"$TMUX_PANE\" >\"$log.tmp\" 2>/dev/null &&\n"
  "  mv -f \"$log.tmp\" \"$log\"\n"
  "printf '%s\\n' \"$s\" >\"$status.tmp\" && mv -f \"$status.tmp\" \"$status\"\n";

/* tmux's settings for the server: no status line, no prefix key (every key goes to the
 * command), a long history, and no alternate screen so the attached terminal scrolls. */
static const char * const server_options[] = {
  "history-limit 100000", "status off", "prefix None", "prefix2 None", "escape-time 0",
  "terminal-overrides '*:smcup@:rmcup@'", "remain-on-exit off", "window-size latest",
  "default-shell /bin/sh", NULL
};

static char *
q (const char *word)
{
  return cb_shell_quote_word (word);
}

/* "$HOME"/'rest' for ~/rest, so that the host's home is used; the word quoted otherwise. */
static char *
q_dir (const char *dir)
{
  g_autofree char *rest = NULL;

  if (g_str_equal (dir, "~"))
    return g_strdup ("\"$HOME\"");
  if (!g_str_has_prefix (dir, "~/"))
    return q (dir);
  rest = q (dir + 2);
  return g_strconcat ("\"$HOME\"/", rest, NULL);
}

/* Where the status and log go: the project's job folder here, the host's state folder there. */
static void
append_state_dir (GString *script,
                  CbJob   *self)
{
  if (cb_job_is_local (self))
    {
      g_autofree char *dir = cb_job_dir_for_project (cb_job_get_project_root (self));
      g_autofree char *quoted = q (dir);

      g_string_append_printf (script, "D=%s\n", quoted);
    }
  else
    g_string_append (script, "D=\"${XDG_STATE_HOME:-$HOME/.local/state}/command-builder/jobs\"\n");
}

static char *
project_dir (CbJob *self)
{
  const CbTarget *target = cb_job_get_target (self);

  return cb_job_is_local (self) ? q (cb_job_get_project_root (self)) : q_dir (target->project_dir);
}

static char *
setup_text (CbJob *self)
{
  const CbTarget *target = cb_job_get_target (self);

  /* Each line must work for the next to run, as the preview's `&&` says. */
  if (target->setup == NULL || target->setup[0] == NULL)
    return g_strdup (":");
  return g_strjoinv (" &&\n", target->setup);
}

/* Runs @script with /bin/sh here, or on the job's host. FALSE with @error when it could not
 * be run at all (sh or ssh missing, ssh's own failures); otherwise the script's exit status
 * and output. */
static gboolean
run_script (CbJob       *self,
            const char  *script,
            char       **out,
            char       **err,
            int         *exit_status,
            GError     **error)
{
  const CbTarget *target = cb_job_get_target (self);
  g_auto(GStrv) argv = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autoptr(GError) local_error = NULL;
  int wait_status = 0;

  if (cb_job_is_local (self))
    {
      argv = g_new0 (char *, 4);
      argv[0] = g_strdup ("/bin/sh");
      argv[1] = g_strdup ("-c");
      argv[2] = g_strdup (script);
    }
  else
    {
      g_autofree char *remote = cb_target_remote_script (script);

      cb_target_start_master (target);
      argv = cb_target_ssh_argv (target, FALSE, remote);
    }

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL,
                     NULL, NULL, &stdout_text, &stderr_text, &wait_status, &local_error))
    {
      if (g_error_matches (local_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_NO_PROGRAM,
                     _("“%s” is not installed: %s"), argv[0], local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (WIFEXITED (wait_status))
    *exit_status = WEXITSTATUS (wait_status);
  else
    *exit_status = 128 + (WIFSIGNALED (wait_status) ? WTERMSIG (wait_status) : 0);

  if (!cb_job_is_local (self) &&
      !cb_target_error_from_ssh (target, *exit_status, stderr_text, error))
    return FALSE;

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return TRUE;
}

static char *
where (CbJob *self)
{
  if (cb_job_is_local (self))
    return g_strdup (_("this computer"));
  return cb_target_dup_address (cb_job_get_target (self));
}

/* The error of one of our scripts' own exit statuses. */
static gboolean
script_error (CbJob       *self,
              int          status,
              const char  *err,
              GError     **error)
{
  g_autofree char *place = where (self);
  g_autofree char *said = g_strstrip (g_strdup (err != NULL ? err : ""));

  switch (status)
    {
    case EXIT_NO_FOLDER:
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NO_FOLDER,
                   _("The project folder “%s” is not on %s"),
                   cb_job_is_local (self) ? cb_job_get_project_root (self)
                                          : cb_job_get_target (self)->project_dir,
                   place);
      return TRUE;
    case EXIT_NO_TMUX:
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NO_TMUX,
                   _("tmux is not installed on %s; runs are kept in tmux sessions so that they "
                     "outlive the window (on Debian and Ubuntu: sudo apt install tmux)"), place);
      return TRUE;
    case EXIT_NO_STATE:
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_FAILED,
                   _("Could not make the folder for the runs’ state on %s: %s"), place, said);
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- starting ----------------------------------------------------------------------- */

static char *local_file (CbJob      *self,
                         const char *suffix);

/* What the session runs, kept in a file of the job's (`<id>.sh`, mode 0600) that the session's
 * /bin/sh reads: tmux takes an argument that ends in ";" for the end of a command (it would
 * cut the argv there), expands formats (#{…}) in some arguments and refuses a command line
 * over about 16 KiB (a large environment). The file goes to the project folder, then runs the
 * wrapper with the setup lines and the argv, each word quoted for /bin/sh. */
static char *
session_command (CbJob *self)
{
  g_autoptr(GString) command = g_string_new (NULL);
  g_autofree char *wrap = q (wrapper);
  g_autofree char *setup = setup_text (self);
  g_autofree char *setup_q = q (setup);
  g_autofree char *dir = project_dir (self);
  const char * const *argv = cb_job_get_argv (self);
  const char *id = cb_job_get_id (self);

  append_state_dir (command, self);
  g_string_append_printf (command, "cd %s || exit %d\n", dir, EXIT_NO_FOLDER);
  g_string_append (command, "SH=$(command -v bash 2>/dev/null || echo /bin/sh)\nexec ");

  /* Here, this computer's environment goes with the command, as with a direct run, and
   * only it (a server started earlier has its own), with the session's own TMUX and
   * TMUX_PANE, which the wrapper needs to capture its terminal. */
  if (cb_job_is_local (self))
    {
      g_auto(GStrv) env = g_get_environ ();

      g_string_append (command, "env -i \"TMUX=$TMUX\" \"TMUX_PANE=$TMUX_PANE\"");
      for (guint i = 0; env[i] != NULL; i++)
        {
          g_autofree char *quoted = NULL;

          if (g_str_has_prefix (env[i], "TMUX=") || g_str_has_prefix (env[i], "TMUX_PANE="))
            continue;
          quoted = q (env[i]);
          g_string_append_printf (command, " %s", quoted);
        }
      g_string_append_c (command, ' ');
    }

  g_string_append_printf (command, "\"$SH\" -c %s cb-job \"$D/%s.status\" \"$D/%s.log\" %s",
                          wrap, id, id, setup_q);
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = q (argv[i]);

      g_string_append_c (command, ' ');
      g_string_append (command, quoted);
    }
  g_string_append_c (command, '\n');
  return g_string_free (g_steal_pointer (&command), FALSE);
}

static char *
launch_script (CbJob *self)
{
  g_autoptr(GString) script = g_string_new (NULL);
  g_autofree char *dir = project_dir (self);
  g_autofree char *session = q (cb_job_get_session (self));
  const char *id = cb_job_get_id (self);

  append_state_dir (script, self);
  g_string_append_printf (script, "mkdir -p \"$D\" 2>&1 || exit %d\n", EXIT_NO_STATE);
  g_string_append_printf (script, "cd %s 2>/dev/null || exit %d\n", dir, EXIT_NO_FOLDER);
  g_string_append_printf (script, "command -v tmux >/dev/null 2>&1 || exit %d\n", EXIT_NO_TMUX);
  g_string_append_printf (script, "rm -f \"$D/%s.status\"\n", id);
  /* On a host the session's file is written here; this computer's is written by the app. */
  if (!cb_job_is_local (self))
    {
      g_autofree char *command = session_command (self);
      g_autofree char *command_q = q (command);

      g_string_append_printf (script, "(umask 077 && printf '%%s' %s >\"$D/%s.sh\") || exit %d\n",
                              command_q, id, EXIT_NO_STATE);
    }
  /* From the state folder, so that the session's command names its file without a path. */
  g_string_append (script, "cd \"$D\" || exit 212\n");
  g_string_append (script, "exec " TMUX " -f /dev/null start-server");
  for (guint i = 0; server_options[i] != NULL; i++)
    g_string_append_printf (script, " \\; set-option -g %s", server_options[i]);
  g_string_append_printf (script, " \\; new-session -d -P -F 'PGID=#{pane_pid}' -s %s "
                                  "-x 160 -y 48 'exec /bin/sh ./%s.sh'\n", session, id);
  return g_string_free (g_steal_pointer (&script), FALSE);
}

/* The started record in the history, with the job's id; a running job has it while it runs. */
static CbRunRecord *
started_record (CbJob *self)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (cb_job_get_start_time (self) /
                                                              G_USEC_PER_SEC);

  return cb_run_record_new_started_job (cb_job_get_display (self), cb_job_get_argv (self),
                                        cb_job_get_page (self), start, cb_job_get_id (self),
                                        cb_job_is_local (self) ? cb_job_get_pgid (self) : 0);
}

/**
 * cb_job_record_end:
 * @history: (nullable): the project's run history
 *
 * Puts the end of a finished job in @history (replacing its started record).
 */
void
cb_job_record_end (CbJob        *self,
                   CbRunHistory *history)
{
  g_autoptr(CbRunRecord) started = NULL;
  g_autoptr(CbRunRecord) finished = NULL;
  g_autoptr(GError) error = NULL;

  if (history == NULL || cb_job_get_state (self) != CB_JOB_FINISHED)
    return;
  started = started_record (self);
  finished = cb_run_record_new_finished (started, cb_job_get_elapsed (self, g_get_real_time ()),
                                         cb_job_get_exit_status (self), cb_job_get_signal (self),
                                         cb_job_get_stopped (self));
  if (!cb_run_history_add (history, finished, &error))
    g_warning ("Could not record the end of job %s: %s", cb_job_get_id (self), error->message);
}

static gboolean
fail_launch (CbJob   *self,
             GError  *error,
             GError **out)
{
  cb_job_set_finished (self, -1, 0, error->message);
  cb_job_save (self, NULL);
  g_propagate_error (out, error);
  return FALSE;
}

/**
 * cb_job_launch:
 * @history: (nullable): the project's run history, which gets the job as running
 *
 * Records the job (%CB_JOB_STARTING), then makes its tmux session, here or on the host, and
 * records it running with its process group. When it cannot start, the job is recorded
 * finished with the reason as its message, and @error says it.
 */
gboolean
cb_job_launch (CbJob         *self,
               CbRunHistory  *history,
               GError       **error)
{
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GError *local_error = NULL;
  const char *program = cb_job_get_argv (self)[0];
  const char *pgid_line;
  int status = 0;
  const CbTarget *target = cb_job_get_target (self);

  if (!cb_job_save (self, error))
    return FALSE;

  /* A program that is not there, said as a direct run said it (setup lines may bring it). */
  if (cb_job_is_local (self) && (target->setup == NULL || target->setup[0] == NULL))
    {
      g_autofree char *found = NULL;

      if (strchr (program, '/') != NULL)
        {
          g_autofree char *full = g_path_is_absolute (program)
            ? g_strdup (program) : g_build_filename (cb_job_get_project_root (self), program, NULL);

          if (g_file_test (full, G_FILE_TEST_IS_EXECUTABLE))
            found = g_steal_pointer (&full);
        }
      else
        found = g_find_program_in_path (program);
      if (found == NULL && g_file_test (cb_job_get_project_root (self), G_FILE_TEST_IS_DIR))
        return fail_launch (self,
                            g_error_new (CB_JOB_ERROR, CB_JOB_ERROR_NO_PROGRAM,
                                         strchr (program, '/') != NULL
                                         ? _("Could not start “%s”: %s. Check that the file "
                                             "exists and is executable.")
                                         : _("Could not start “%s”: %s. Is it installed and on "
                                             "your PATH?"),
                                         program, g_strerror (ENOENT)),
                            error);
    }

  if (cb_job_is_local (self))
    {
      g_autofree char *path = local_file (self, ".sh");
      g_autofree char *command = session_command (self);
      g_autofree char *dir = cb_job_dir_for_project (cb_job_get_project_root (self));

      g_mkdir_with_parents (dir, 0700);
      if (!g_file_set_contents_full (path, command, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                     &local_error))
        return fail_launch (self, local_error, error);
    }

  script = launch_script (self);
  /* A session that ends as the next one starts may take the server with it (tmux exits
   * when it has no session left): then tmux says so, and the start is tried again. */
  for (guint attempt = 0; attempt < 4; attempt++)
    {
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      if (!run_script (self, script, &out, &err, &status, &local_error))
        return fail_launch (self, local_error, error);
      if (status == 0 || err == NULL ||
          (strstr (err, "server exited unexpectedly") == NULL &&
           strstr (err, "lost server") == NULL && strstr (err, "no server running") == NULL))
        break;
      g_usleep (20 * 1000 * (attempt + 1));
    }
  if (script_error (self, status, err, &local_error))
    return fail_launch (self, local_error, error);

  pgid_line = out != NULL ? strstr (out, "PGID=") : NULL;
  if (status != 0 || pgid_line == NULL)
    {
      g_autofree char *said = g_strstrip (g_strdup (err != NULL && *err ? err : out ? out : ""));
      g_autofree char *place = where (self);

      return fail_launch (self,
                          g_error_new (CB_JOB_ERROR, CB_JOB_ERROR_FAILED,
                                       _("tmux could not start the run on %s (exit status %d): "
                                         "%s"), place, status, said),
                          error);
    }

  cb_job_set_running (self, g_ascii_strtoll (pgid_line + 5, NULL, 10));
  if (!cb_job_save (self, error))
    return FALSE;
  if (history != NULL)
    {
      g_autoptr(CbRunRecord) record = started_record (self);

      cb_run_history_add (history, record, NULL);
    }
  g_debug ("Job %s started as process group %" G_GINT64_FORMAT, cb_job_get_id (self),
           cb_job_get_pgid (self));
  return TRUE;
}

/* ---- following ---------------------------------------------------------------------- */

/* An exit status as the shell gave it: above 128 a signal. */
static void
finish_with_status (CbJob      *self,
                    const char *text)
{
  gint64 value = g_ascii_strtoll (text, NULL, 10);

  if (value > 128 && value <= 128 + 64)
    cb_job_set_finished (self, -1, (int) (value - 128), NULL);
  else
    cb_job_set_finished (self, (int) CLAMP (value, 0, 255), 0, NULL);
}

/**
 * cb_process_group_alive:
 *
 * Whether a live process (not a zombie its parent has not reaped yet) is in group @pgid on
 * this computer.
 */
gboolean
cb_process_group_alive (gint64 pgid)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (pgid <= 1 || pgid > G_MAXINT)
    return FALSE;
  if (kill (-(pid_t) pgid, 0) != 0)
    return FALSE;  /* ESRCH: gone; EPERM: nothing we could do about it anyway */

  dir = g_dir_open ("/proc", 0, NULL);
  if (dir == NULL)
    return TRUE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      const char *after_name;
      char state;
      int ppid;
      int pgrp;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      /* "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses. */
      after_name = strrchr (contents, ')');
      if (after_name == NULL || sscanf (after_name + 1, " %c %d %d", &state, &ppid, &pgrp) != 3)
        continue;
      if (pgrp == pgid && state != 'Z' && state != 'X')
        return TRUE;
    }
  return FALSE;
}

static gboolean
local_group_alive (gint64 pgid)
{
  return cb_process_group_alive (pgid);
}

/* Whether the job's process group is still its own: its leader is the job's wrapper (its
 * command line names the job's status file), not a process that took the number after a
 * restart of the computer. */
static gboolean
local_leader_is_ours (CbJob *self)
{
  g_autofree char *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/cmdline",
                                           cb_job_get_pgid (self));
  g_autofree char *needle = g_strconcat ("/", cb_job_get_id (self), ".status", NULL);
  /* Before the wrapper: the session's sh reading the job's script. */
  g_autofree char *script = g_strconcat ("./", cb_job_get_id (self), ".sh", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (cb_job_get_pgid (self) <= 1 || !g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (contents[i] == '\0')
      contents[i] = ' ';
  return strstr (contents, needle) != NULL || strstr (contents, script) != NULL;
}

static char *
local_file (CbJob      *self,
            const char *suffix)
{
  g_autofree char *dir = cb_job_dir_for_project (cb_job_get_project_root (self));
  g_autofree char *name = g_strconcat (cb_job_get_id (self), suffix, NULL);

  return g_build_filename (dir, name, NULL);
}

static char *
read_local_status (CbJob *self)
{
  g_autofree char *path = local_file (self, ".status");
  char *data = NULL;

  if (!cb_file_read_regular (path, CB_FILE_KIND_STATE, &data, NULL, NULL))
    return NULL;
  return data;
}

/* The job ended without a status: stopped with SIGKILL, or gone (a reboot, a killed session). */
static void
finish_without_status (CbJob *self)
{
  if (cb_job_get_stopped (self))
    cb_job_set_finished (self, -1, SIGKILL, NULL);
  else
    cb_job_set_finished (self, -1, 0,
                         _("Ended without an exit status (its session was closed, or the "
                           "computer restarted)"));
}

/**
 * cb_job_probe:
 * @history: (nullable): gets the end of a job found finished
 *
 * Looks at an active job where it runs: its status file, else its process group (here) or
 * session (on a host). A host that cannot be reached makes the job %CB_JOB_LOST with the
 * reason (it may come back); a job found ended is finished and saved. Returns %FALSE only
 * when nothing could be learnt.
 */
gboolean
cb_job_probe (CbJob         *self,
              CbRunHistory  *history,
              GError       **error)
{
  CbJobState before = cb_job_get_state (self);
  g_autofree char *status = NULL;

  if (!cb_job_is_active (self))
    return TRUE;
  if (before == CB_JOB_STARTING)
    {
      /* Recorded, and its session never made (the app went while it connected): after a
       * while it never will be. */
      if (g_get_real_time () - cb_job_get_start_time (self) < STARTING_LIMIT_US)
        return TRUE;
      cb_job_set_finished (self, -1, 0, _("Never started: the app ended before the run’s "
                                          "session was made"));
      cb_job_save (self, NULL);
      cb_job_record_end (self, history);
      return TRUE;
    }

  if (cb_job_is_local (self))
    {
      status = read_local_status (self);
      if (status == NULL && local_leader_is_ours (self) &&
          local_group_alive (cb_job_get_pgid (self)))
        {
          if (before == CB_JOB_LOST)
            cb_job_set_running (self, 0);
        }
      else
        {
          if (status == NULL)
            status = read_local_status (self);  /* it may have ended just now */
          if (status != NULL)
            finish_with_status (self, status);
          else
            finish_without_status (self);
        }
    }
  else
    {
      g_autoptr(GString) script = g_string_new (NULL);
      g_autofree char *session = q (cb_job_get_session (self));
      g_autofree char *out = NULL;
      GError *local_error = NULL;
      const char *id = cb_job_get_id (self);
      int exit_status = 0;

      append_state_dir (script, self);
      g_string_append_printf (script,
                              "f=\"$D/%s.status\"\n"
                              "if [ -f \"$f\" ]; then echo \"STATUS=$(cat \"$f\")\"; exit 0; fi\n"
                              "if " TMUX " has-session -t =%s 2>/dev/null; then echo RUNNING; exit 0; fi\n"
                              "if [ -f \"$f\" ]; then echo \"STATUS=$(cat \"$f\")\"; exit 0; fi\n"
                              "echo GONE\n", id, session);
      if (!run_script (self, script->str, &out, NULL, &exit_status, &local_error))
        {
          if (local_error->domain == CB_TARGET_ERROR)
            {
              cb_job_set_lost (self, local_error->message);
              cb_job_save (self, NULL);
            }
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (out != NULL && g_str_has_prefix (out, "STATUS="))
        finish_with_status (self, out + 7);
      else if (out != NULL && g_str_has_prefix (out, "RUNNING"))
        {
          if (before == CB_JOB_LOST)
            cb_job_set_running (self, 0);
        }
      else
        finish_without_status (self);
    }

  if (cb_job_get_state (self) != before || before == CB_JOB_FINISHED)
    {
      cb_job_save (self, NULL);
      cb_job_record_end (self, history);
    }
  return TRUE;
}

/**
 * cb_job_send_signal:
 *
 * Sends @signo to the job's whole process group, here or on its host.
 */
gboolean
cb_job_send_signal (CbJob   *self,
                    int      signo,
                    GError **error)
{
  gint64 pgid = cb_job_get_pgid (self);

  if (pgid <= 1)
    return TRUE;
  if (cb_job_is_local (self))
    {
      if (kill (-(pid_t) pgid, signo) != 0 && errno != ESRCH)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s",
                       g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  else
    {
      g_autofree char *script = g_strdup_printf ("kill -%d -%" G_GINT64_FORMAT " 2>/dev/null; "
                                                 "exit 0\n", signo, pgid);
      int status = 0;

      return run_script (self, script, NULL, NULL, &status, error);
    }
}

/**
 * cb_job_group_alive:
 *
 * Whether any process of the job's group is left, here or on its host. %FALSE with @error
 * when the host cannot be asked.
 */
gboolean
cb_job_group_alive (CbJob   *self,
                    GError **error)
{
  gint64 pgid = cb_job_get_pgid (self);
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  if (pgid <= 1)
    return FALSE;
  if (cb_job_is_local (self))
    return local_group_alive (pgid);

  /* Zombies left for their parent (tmux) to reap do not count. */
  script = g_strdup_printf ("if command -v ps >/dev/null 2>&1; then\n"
                            "  ps -eo pgid=,stat= | awk -v g=%" G_GINT64_FORMAT " '$1 == g && "
                            "$2 !~ /^[ZX]/ { f = 1 } END { exit !f }' && echo ALIVE || echo NONE\n"
                            "elif kill -0 -%" G_GINT64_FORMAT " 2>/dev/null; then echo ALIVE; "
                            "else echo NONE; fi\n", pgid, pgid);
  if (!run_script (self, script, &out, NULL, &status, error))
    return FALSE;
  return out != NULL && g_str_has_prefix (out, "ALIVE");
}

/* Keeps the terminal's text before the last step, which leaves the wrapper no time to. */
static void
save_output (CbJob *self)
{
  g_autoptr(GString) script = g_string_new (NULL);
  g_autofree char *session = q (cb_job_get_session (self));
  int status = 0;

  append_state_dir (script, self);
  g_string_append_printf (script, TMUX " capture-pane -p -e -J -S - -E - -t =%s: "
                                  ">\"$D/%s.log.tmp\" 2>/dev/null && "
                                  "mv -f \"$D/%s.log.tmp\" \"$D/%s.log\"\n",
                          session, cb_job_get_id (self), cb_job_get_id (self),
                          cb_job_get_id (self));
  run_script (self, script->str, NULL, NULL, &status, NULL);
}

static void
kill_session (CbJob *self)
{
  g_autofree char *session = q (cb_job_get_session (self));
  g_autofree char *script = g_strdup_printf (TMUX " kill-session -t =%s 2>/dev/null; exit 0\n",
                                             session);
  int status = 0;

  run_script (self, script, NULL, NULL, &status, NULL);
}

/* Waits up to @ms for the group to go; TRUE when it went. */
static gboolean
wait_gone (CbJob        *self,
           guint         ms,
           GCancellable *cancellable,
           GError      **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  guint poll_ms = cb_job_is_local (self) ? 50 : 300;

  do
    {
      GError *local_error = NULL;

      if (!cb_job_group_alive (self, &local_error))
        {
          if (local_error == NULL)
            return TRUE;
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      g_usleep (poll_ms * 1000);
    }
  while (g_get_monotonic_time () < deadline);

  return FALSE;
}

/**
 * cb_job_stop:
 * @interrupt_ms: how long SIGINT (Ctrl+C) has before SIGTERM
 * @terminate_ms: how long SIGTERM has before SIGKILL
 *
 * The stop ladder, to the job's whole process group, here or on its host: SIGINT, SIGTERM,
 * SIGKILL, each when the one before did not end it; then the session is closed and the job
 * is checked gone. The job is saved as stopping first, and finished (stopped) at the end.
 * Returns %FALSE when something of it is left or the host cannot be reached.
 */
gboolean
cb_job_stop (CbJob         *self,
             CbRunHistory  *history,
             guint          interrupt_ms,
             guint          terminate_ms,
             GCancellable  *cancellable,
             GError       **error)
{
  static const int ladder[] = { SIGINT, SIGTERM, SIGKILL };
  const guint waits[] = { interrupt_ms, terminate_ms, 2000 };
  GError *local_error = NULL;
  gboolean gone = FALSE;

  if (!cb_job_is_active (self))
    return TRUE;

  /* What is there to stop: a job that ended, or whose group is no longer its own, is only
   * recorded (no signal goes to a group that is not the job's). */
  if (!cb_job_probe (self, history, &local_error))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (!cb_job_is_active (self))
    return TRUE;

  cb_job_set_stopping (self);
  cb_job_save (self, NULL);

  for (guint step = 0; step < G_N_ELEMENTS (ladder) && !gone; step++)
    {
      if (ladder[step] == SIGKILL)
        save_output (self);
      g_debug ("Job %s: %s", cb_job_get_id (self), cb_signal_name (ladder[step]));
      if (!cb_job_send_signal (self, ladder[step], &local_error))
        break;
      gone = wait_gone (self, waits[step], cancellable, &local_error);
      if (local_error != NULL || g_cancellable_is_cancelled (cancellable))
        break;
    }

  if (local_error != NULL)
    {
      if (local_error->domain == CB_TARGET_ERROR)
        {
          cb_job_set_lost (self, local_error->message);
          cb_job_save (self, NULL);
        }
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (!gone)
    {
      g_autofree char *place = where (self);
      g_autofree char *group = g_strdup_printf ("%" G_GINT64_FORMAT, cb_job_get_pgid (self));

      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_FAILED,
                   _("Processes of the run are still there on %s after SIGKILL (process group "
                     "%s)"), place, group);
      return FALSE;
    }

  /* The wrapper may have had the time to write the status; a session left (a process that
   * left the group) is closed. */
  kill_session (self);
  if (!cb_job_probe (self, history, &local_error))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* ---- seeing it ---------------------------------------------------------------------- */

/* Trailing empty lines of a captured screen out; lines end with "\n". */
static char *
trim_output (char *text)
{
  gsize length = text != NULL ? strlen (text) : 0;

  while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == ' '))
    length--;
  if (text == NULL)
    return g_strdup ("");
  text[length] = '\0';
  if (length > 0)
    {
      char *with_newline = g_strconcat (text, "\n", NULL);

      g_free (text);
      return with_newline;
    }
  return text;
}

/**
 * cb_job_read_output:
 * @history_only: for a running job, only what scrolled off its screen (an attached terminal
 *   draws the screen itself)
 *
 * Returns: the job's terminal text (with its colours), from its session while it runs, from
 *   its log once it ended; "" when there is none.
 */
char *
cb_job_read_output (CbJob     *self,
                    gboolean   history_only,
                    GError   **error)
{
  g_autoptr(GString) script = g_string_new (NULL);
  g_autofree char *session = q (cb_job_get_session (self));
  g_autofree char *out = NULL;
  int status = 0;

  if (cb_job_is_local (self) && cb_job_get_state (self) == CB_JOB_FINISHED)
    {
      g_autofree char *path = local_file (self, ".log");
      char *data = NULL;

      if (!cb_file_read_regular (path, CB_FILE_KIND_METRICS, &data, NULL, NULL))
        return g_strdup ("");
      return trim_output (data);
    }

  append_state_dir (script, self);
  g_string_append_printf (script,
                          "if " TMUX " has-session -t =%s 2>/dev/null; then\n"
                          "  exec " TMUX " capture-pane -p -e -J -S - -E %s -t =%s:\n"
                          "fi\n"
                          "cat \"$D/%s.log\" 2>/dev/null; exit 0\n",
                          session, history_only ? "-1" : "-", session, cb_job_get_id (self));
  if (!run_script (self, script->str, &out, NULL, &status, error))
    return NULL;
  return trim_output (g_steal_pointer (&out));
}

/**
 * cb_job_attach_argv:
 *
 * Returns: (transfer full): the command line that attaches a terminal to the job's session
 *   (through `ssh -tt` for a host); it ends when the job does or the session is left.
 */
char **
cb_job_attach_argv (CbJob *self)
{
  /* -u: the session is UTF-8 whatever the locale says (Korean stays Korean). */
  g_autofree char *attach = g_strdup_printf ("tmux -u -L " CB_JOB_TMUX_SOCKET " attach-session -t =%s",
                                             cb_job_get_session (self));

  if (cb_job_is_local (self))
    {
      char **argv = g_new0 (char *, 7);

      argv[0] = g_strdup ("tmux");
      argv[1] = g_strdup ("-u");
      argv[2] = g_strdup ("-L");
      argv[3] = g_strdup (CB_JOB_TMUX_SOCKET);
      argv[4] = g_strdup ("attach-session");
      argv[5] = g_strdup_printf ("-t=%s", cb_job_get_session (self));
      return argv;
    }
  return cb_target_ssh_argv (cb_job_get_target (self), TRUE, attach);
}

/**
 * cb_job_dup_target_command:
 *
 * Returns: the command as the job's target runs it (cb_target_dup_command()).
 */
char *
cb_job_dup_target_command (CbJob *self)
{
  return cb_target_dup_command (cb_job_get_target (self), cb_job_get_argv (self),
                                cb_job_get_display (self));
}

/* ---- in a worker -------------------------------------------------------------------- */

typedef struct
{
  CbJob        *copy;
  CbRunHistory *history;
  guint         interrupt_ms;
  guint         terminate_ms;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_clear_object (&data->copy);
  g_clear_object (&data->history);
  g_free (data);
}

static TaskData *
task_data_new (CbJob        *self,
               CbRunHistory *history)
{
  TaskData *data = g_new0 (TaskData, 1);

  data->copy = cb_job_copy (self);
  data->history = history != NULL ? g_object_ref (history) : NULL;
  return data;
}

static void
launch_worker (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  /* The history is a list model the UI shows: it is changed in _finish, on its thread. */
  if (cb_job_launch (data->copy, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * cb_job_launch_async:
 *
 * cb_job_launch() in a worker; the job takes what the worker found in
 * cb_job_launch_finish(), on the caller's thread.
 */
void
cb_job_launch_async (CbJob               *self,
                     CbRunHistory        *history,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, cb_job_launch_async);
  g_task_set_task_data (task, task_data_new (self, history), (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, launch_worker);
}

gboolean
cb_job_launch_finish (CbJob         *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  TaskData *data = g_task_get_task_data (G_TASK (result));

  cb_job_update_from (self, data->copy);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (data->history != NULL)
    {
      g_autoptr(CbRunRecord) record = started_record (self);

      cb_run_history_add (data->history, record, NULL);
    }
  return TRUE;
}

static void
stop_worker (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (cb_job_stop (data->copy, NULL, data->interrupt_ms, data->terminate_ms, cancellable,
                   &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cb_job_stop_async (CbJob               *self,
                   CbRunHistory        *history,
                   guint                interrupt_ms,
                   guint                terminate_ms,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  TaskData *data = task_data_new (self, history);

  data->interrupt_ms = interrupt_ms;
  data->terminate_ms = terminate_ms;
  cb_job_set_stopping (self);
  g_task_set_source_tag (task, cb_job_stop_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, stop_worker);
}

gboolean
cb_job_stop_finish (CbJob         *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  TaskData *data = g_task_get_task_data (G_TASK (result));

  cb_job_update_from (self, data->copy);
  cb_job_record_end (self, data->history);
  return g_task_propagate_boolean (G_TASK (result), error);
}
