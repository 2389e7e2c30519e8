/* cb-job-tmux.c: starting a job in a tmux session, on this computer or on an SSH host, and looking at it
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

#include "cb-job-private.h"
#include "cb/cb-file-read.h"
#include "cb/cb-quote.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

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

/* ---- starting ----------------------------------------------------------------------- */


/* What the session runs, kept in a file of the job's (`<id>.sh`, mode 0600) that the session's
 * /bin/sh reads: tmux takes an argument that ends in ";" for the end of a command (it would
 * cut the argv there), expands formats (#{…}) in some arguments and refuses a command line
 * over about 16 KiB (a large environment). The file goes to the project folder, then runs the
 * wrapper with the setup lines and the argv, each word quoted for /bin/sh. */
static char *
session_command (CbJob *self)
{
  g_autoptr(GString) command = g_string_new (NULL);
  g_autofree char *wrap = _cb_job_q (wrapper);
  g_autofree char *setup = _cb_job_setup_text (self);
  g_autofree char *setup_q = _cb_job_q (setup);
  g_autofree char *dir = _cb_job_project_dir (self);
  const char * const *argv = cb_job_get_argv (self);
  const char *id = cb_job_get_id (self);

  _cb_job_append_state_dir (command, self);
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
          quoted = _cb_job_q (env[i]);
          g_string_append_printf (command, " %s", quoted);
        }
      g_string_append_c (command, ' ');
    }

  g_string_append_printf (command, "\"$SH\" -c %s cb-job \"$D/%s.status\" \"$D/%s.log\" %s",
                          wrap, id, id, setup_q);
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = _cb_job_q (argv[i]);

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
  g_autofree char *dir = _cb_job_project_dir (self);
  g_autofree char *session = _cb_job_q (cb_job_get_session (self));
  const char *id = cb_job_get_id (self);

  _cb_job_append_state_dir (script, self);
  g_string_append_printf (script, "mkdir -p \"$D\" 2>&1 || exit %d\n", EXIT_NO_STATE);
  g_string_append_printf (script, "cd %s 2>/dev/null || exit %d\n", dir, EXIT_NO_FOLDER);
  g_string_append_printf (script, "command -v tmux >/dev/null 2>&1 || exit %d\n", EXIT_NO_TMUX);
  g_string_append_printf (script, "rm -f \"$D/%s.status\"\n", id);
  /* On a host the session's file is written here; this computer's is written by the app. */
  if (!cb_job_is_local (self))
    {
      g_autofree char *command = session_command (self);
      g_autofree char *command_q = _cb_job_q (command);

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
  started = _cb_job_started_record (self);
  finished = cb_run_record_new_finished (started, cb_job_get_elapsed (self, g_get_real_time ()),
                                         cb_job_get_exit_status (self), cb_job_get_signal (self),
                                         cb_job_get_stopped (self));
  if (!cb_run_history_add (history, finished, &error))
    g_warning ("Could not record the end of job %s: %s", cb_job_get_id (self), error->message);
}

gboolean
_cb_job_fail_launch (CbJob   *self,
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

  if (cb_job_is_slurm (self))
    return _cb_job_slurm_launch (self, history, error);
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
        return _cb_job_fail_launch (self,
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
      g_autofree char *path = _cb_job_local_file (self, ".sh");
      g_autofree char *command = session_command (self);
      g_autofree char *dir = cb_job_dir_for_project (cb_job_get_project_root (self));

      g_mkdir_with_parents (dir, 0700);
      if (!g_file_set_contents_full (path, command, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                     &local_error))
        return _cb_job_fail_launch (self, local_error, error);
    }

  script = launch_script (self);
  /* A session that ends as the next one starts may take the server with it (tmux exits
   * when it has no session left): then tmux says so, and the start is tried again. */
  for (guint attempt = 0; attempt < 4; attempt++)
    {
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      if (!_cb_job_run_script (self, script, &out, &err, &status, &local_error))
        return _cb_job_fail_launch (self, local_error, error);
      if (status == 0 || err == NULL ||
          (strstr (err, "server exited unexpectedly") == NULL &&
           strstr (err, "lost server") == NULL && strstr (err, "no server running") == NULL))
        break;
      g_usleep (20 * 1000 * (attempt + 1));
    }
  if (_cb_job_script_error (self, status, err, &local_error))
    return _cb_job_fail_launch (self, local_error, error);

  pgid_line = out != NULL ? strstr (out, "PGID=") : NULL;
  if (status != 0 || pgid_line == NULL)
    {
      g_autofree char *said = g_strstrip (g_strdup (err != NULL && *err ? err : out ? out : ""));
      g_autofree char *place = _cb_job_where (self);

      return _cb_job_fail_launch (self,
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
      g_autoptr(CbRunRecord) record = _cb_job_started_record (self);

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
  /* A process in the middle of an exec (the wrapper's steps are execs) shows an empty
   * command line for a moment: read it again. */
  for (guint attempt = 0; length == 0 && attempt < 50; attempt++)
    {
      g_clear_pointer (&contents, g_free);
      g_usleep (2 * 1000);
      if (!g_file_get_contents (path, &contents, &length, NULL))
        return FALSE;
    }
  for (gsize i = 0; i < length; i++)
    if (contents[i] == '\0')
      contents[i] = ' ';
  if (strstr (contents, needle) != NULL || strstr (contents, script) != NULL)
    return TRUE;
  /* Earlier still, just after the start: our tmux server's child before it runs the session's
   * sh (its command line is still the server's). Only then: a number reused after a restart
   * of the computer is not taken for the job by it. */
  return g_get_real_time () - cb_job_get_start_time (self) < PRE_EXEC_LIMIT_US &&
         g_str_has_prefix (contents, "tmux ") &&
         strstr (contents, " -L " CB_JOB_TMUX_SOCKET " ") != NULL;
}


static char *
read_local_status (CbJob *self)
{
  g_autofree char *path = _cb_job_local_file (self, ".status");
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

  if (cb_job_is_slurm (self))
    return _cb_job_slurm_probe (self, history, error);
  if (cb_job_is_local (self))
    {
      status = read_local_status (self);
      /* The leader alive and ours is the job going (its group may not be made yet: tmux's
       * child calls setsid() after the number is known). */
      if (status == NULL && local_leader_is_ours (self))
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
      g_autofree char *session = _cb_job_q (cb_job_get_session (self));
      g_autofree char *out = NULL;
      GError *local_error = NULL;
      const char *id = cb_job_get_id (self);
      int exit_status = 0;

      _cb_job_append_state_dir (script, self);
      g_string_append_printf (script,
                              "f=\"$D/%s.status\"\n"
                              "if [ -f \"$f\" ]; then echo \"STATUS=$(cat \"$f\")\"; exit 0; fi\n"
                              "if " TMUX " has-session -t =%s 2>/dev/null; then echo RUNNING; exit 0; fi\n"
                              "if [ -f \"$f\" ]; then echo \"STATUS=$(cat \"$f\")\"; exit 0; fi\n"
                              "echo GONE\n", id, session);
      if (!_cb_job_run_script (self, script->str, &out, NULL, &exit_status, &local_error))
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

      return _cb_job_run_script (self, script, NULL, NULL, &status, error);
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
  if (!_cb_job_run_script (self, script, &out, NULL, &status, error))
    return FALSE;
  return out != NULL && g_str_has_prefix (out, "ALIVE");
}
