/* cb-job-control.c: stopping a job, its output, attaching to it, and the steps in a worker
 *
 * The stop ladder (SIGINT, SIGTERM, SIGKILL to the job's process group, here or on its host,
 * each when the one before did not end it, then the session closed and the group checked
 * gone); the job's terminal text (its session while it runs, its log after); the command
 * line that attaches a terminal; and the async forms the window uses, which work on a copy
 * of the job in a worker and change the run history only on the caller's thread.
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

/* Keeps the terminal's text before the last step, which leaves the wrapper no time to. */
static void
save_output (CbJob *self)
{
  g_autoptr(GString) script = g_string_new (NULL);
  g_autofree char *session = _cb_job_q (cb_job_get_session (self));
  int status = 0;

  _cb_job_append_state_dir (script, self);
  g_string_append_printf (script, TMUX " capture-pane -p -e -J -S - -E - -t =%s: "
                                  ">\"$D/%s.log.tmp\" 2>/dev/null && "
                                  "mv -f \"$D/%s.log.tmp\" \"$D/%s.log\"\n",
                          session, cb_job_get_id (self), cb_job_get_id (self),
                          cb_job_get_id (self));
  _cb_job_run_script (self, script->str, NULL, NULL, &status, NULL);
}

static void
kill_session (CbJob *self)
{
  g_autofree char *session = _cb_job_q (cb_job_get_session (self));
  g_autofree char *script = g_strdup_printf (TMUX " kill-session -t =%s 2>/dev/null; exit 0\n",
                                             session);
  int status = 0;

  _cb_job_run_script (self, script, NULL, NULL, &status, NULL);
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
  if (cb_job_is_slurm (self))
    return _cb_job_slurm_stop (self, history, interrupt_ms, terminate_ms, cancellable, error);

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
      g_autofree char *place = _cb_job_where (self);
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
  g_autofree char *session = _cb_job_q (cb_job_get_session (self));
  g_autofree char *out = NULL;
  int status = 0;

  if (cb_job_is_slurm (self))
    return _cb_job_slurm_read_output (self, history_only, error);
  if (cb_job_is_local (self) && cb_job_get_state (self) == CB_JOB_FINISHED)
    {
      g_autofree char *path = _cb_job_local_file (self, ".log");
      char *data = NULL;

      if (!cb_file_read_regular (path, CB_FILE_KIND_METRICS, &data, NULL, NULL))
        return g_strdup ("");
      return trim_output (data);
    }

  _cb_job_append_state_dir (script, self);
  g_string_append_printf (script,
                          "if " TMUX " has-session -t =%s 2>/dev/null; then\n"
                          "  exec " TMUX " capture-pane -p -e -J -S - -E %s -t =%s:\n"
                          "fi\n"
                          "cat \"$D/%s.log\" 2>/dev/null; exit 0\n",
                          session, history_only ? "-1" : "-", session, cb_job_get_id (self));
  if (!_cb_job_run_script (self, script->str, &out, NULL, &status, error))
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

  if (cb_job_is_slurm (self))
    return _cb_job_slurm_attach_argv (self);
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
      g_autoptr(CbRunRecord) record = _cb_job_started_record (self);

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
