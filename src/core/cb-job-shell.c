/* cb-job-shell.c: the scripts a job’s steps are, and where they run
 *
 * Every step of a job (start, look, signal, stop) is a small POSIX shell script, run by /bin/sh
 * here or sent to the host's /bin/sh through ssh (cb_target_remote_script()); these helpers
 * quote for it, name the job's state folder, and run a script and read what it said.
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
#include <sys/wait.h>

/* Whether the job's steps run here (this computer's jobs, and Slurm submitted from here),
 * not through ssh. */
gboolean
_cb_job_here (CbJob *self)
{
  return !cb_target_via_ssh (cb_job_get_target (self));
}

char *
_cb_job_q (const char *word)
{
  return cb_shell_quote_word (word);
}

/* Where the status and log go: the project's job folder here, the host's state folder there. */
void
_cb_job_append_state_dir (GString *script,
                  CbJob   *self)
{
  if (_cb_job_here (self))
    {
      g_autofree char *dir = cb_job_dir_for_project (cb_job_get_project_root (self));
      g_autofree char *quoted = _cb_job_q (dir);

      g_string_append_printf (script, "D=%s\n", quoted);
    }
  else
    g_string_append (script, "D=\"${XDG_STATE_HOME:-$HOME/.local/state}/command-builder/jobs\"\n");
}

char *
_cb_job_project_dir (CbJob *self)
{
  const CbTarget *target = cb_job_get_target (self);

  return _cb_job_here (self) ? _cb_job_q (cb_job_get_project_root (self)) : cb_shell_quote_home_path (target->project_dir);
}

char *
_cb_job_setup_text (CbJob *self)
{
  const CbTarget *target = cb_job_get_target (self);

  /* Each line must work for the next to run, as the preview's `&&` says. */
  if (target->setup == NULL || target->setup[0] == NULL)
    return g_strdup (":");
  return g_strjoinv (" &&\n", target->setup);
}

/* Runs @script with /bin/sh here, or on the job's host, with @input (nullable) on its
 * standard input. FALSE with @error when it could not be run at all (sh or ssh missing,
 * ssh's own failures); otherwise the script's exit status and output. */
gboolean
_cb_job_run_script_input (CbJob       *self,
                          const char  *script,
                          const char  *input,
                          char       **out,
                          char       **err,
                          int         *exit_status,
                          GError     **error)
{
  const CbTarget *target = cb_job_get_target (self);
  g_auto(GStrv) argv = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autoptr(GError) local_error = NULL;
  int wait_status = 0;

  if (_cb_job_here (self))
    {
      argv = g_new0 (char *, 4);
      argv[0] = g_strdup ("/bin/sh");
      argv[1] = g_strdup ("-c");
      argv[2] = g_strdup (script);
    }
  else
    {
      g_autofree char *remote = input != NULL ? cb_target_remote_script_reading (script)
                                              : cb_target_remote_script (script);

      cb_target_start_master (target);
      argv = cb_target_ssh_argv (target, FALSE, remote);
    }

  /* Standard input from /dev/null unless there is input: ssh would read the app's. */
  process = g_subprocess_newv ((const char * const *) argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE
                                              : G_SUBPROCESS_FLAGS_NONE),
                               &local_error);
  if (process == NULL)
    {
      if (g_error_matches (local_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT) ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_NO_PROGRAM,
                     _("“%s” is not installed: %s"), argv[0], local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!g_subprocess_communicate_utf8 (process, input, NULL, &stdout_text, &stderr_text,
                                      &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  wait_status = g_subprocess_get_status (process);

  if (WIFEXITED (wait_status))
    *exit_status = WEXITSTATUS (wait_status);
  else
    *exit_status = 128 + (WIFSIGNALED (wait_status) ? WTERMSIG (wait_status) : 0);

  if (!_cb_job_here (self) &&
      !cb_target_error_from_ssh (target, *exit_status, stderr_text, error))
    return FALSE;

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return TRUE;
}

gboolean
_cb_job_run_script (CbJob       *self,
                    const char  *script,
                    char       **out,
                    char       **err,
                    int         *exit_status,
                    GError     **error)
{
  return _cb_job_run_script_input (self, script, NULL, out, err, exit_status, error);
}

char *
_cb_job_where (CbJob *self)
{
  if (_cb_job_here (self))
    return g_strdup (_("this computer"));
  return cb_target_dup_address (cb_job_get_target (self));
}

/* The error of one of our scripts' own exit statuses. */
gboolean
_cb_job_script_error (CbJob       *self,
              int          status,
              const char  *err,
              GError     **error)
{
  g_autofree char *place = _cb_job_where (self);
  g_autofree char *said = g_strstrip (g_strdup (err != NULL ? err : ""));

  switch (status)
    {
    case EXIT_NO_FOLDER:
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NO_FOLDER,
                   _("The project folder “%s” is not on %s"),
                   _cb_job_here (self) ? cb_job_get_project_root (self)
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

char *
_cb_job_local_file (CbJob      *self,
            const char *suffix)
{
  g_autofree char *dir = cb_job_dir_for_project (cb_job_get_project_root (self));
  g_autofree char *name = g_strconcat (cb_job_get_id (self), suffix, NULL);

  return g_build_filename (dir, name, NULL);
}

/* The started record in the history, with the job's id; a running job has it while it runs. */
CbRunRecord *
_cb_job_started_record (CbJob *self)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (cb_job_get_start_time (self) /
                                                              G_USEC_PER_SEC);

  return cb_run_record_new_started_job (cb_job_get_display (self), cb_job_get_argv (self),
                                        cb_job_get_page (self), start, cb_job_get_id (self),
                                        cb_job_is_local (self) ? cb_job_get_pgid (self) : 0);
}
