/* cb-terminal-pane-job.c: the terminal pane following a job
 *
 * A job (cb-job.c) runs in a tmux session, here or on an SSH host; the pane's terminal is a
 * tmux client attached to that session (`ssh -tt` for a host), so that closing the window,
 * a crash of the app or a dropped connection ends only the view. What the pane says comes
 * from the job, not from the client:
 *
 *   - Run: the job is launched in a worker (making the session takes a few milliseconds
 *     here, a round trip to a host), then the terminal attaches.
 *   - Following a job found running (a restart of the app): what it wrote so far is shown,
 *     then the terminal attaches. A finished job shows its log and how it ended.
 *   - Stop: the job's ladder (Ctrl+C, SIGTERM, SIGKILL to its whole process group, here or
 *     on the host) runs in a worker; the run ends once nothing of the group is left.
 *   - The client ended: the job is looked at (in a worker). Finished: the run ends with the
 *     job's exit status. Still running (the connection dropped, the client was killed): the
 *     pane says so and attaches again, every few seconds, until it can.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-terminal-pane"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "cb-terminal-pane-private.h"

#define REATTACH_MS 3000

typedef struct
{
  GWeakRef  self;
  CbJob    *job;
} Call;

static Call *
call_new (CbTerminalPane *self)
{
  Call *call = g_new0 (Call, 1);

  g_weak_ref_init (&call->self, self);
  call->job = g_object_ref (self->job);
  return call;
}

/* The pane, if it still follows the call's job; NULL otherwise. */
static CbTerminalPane *
call_end (Call *call)
{
  CbTerminalPane *self = g_weak_ref_get (&call->self);

  g_weak_ref_clear (&call->self);
  g_clear_object (&call->job);
  g_free (call);
  return self;
}

static gboolean
clock_tick_cb (gpointer user_data)
{
  _cb_terminal_pane_update_status (CB_TERMINAL_PANE (user_data));
  return G_SOURCE_CONTINUE;
}

static gboolean
same_job (CbTerminalPane *self,
          CbJob          *job)
{
  return self != NULL && self->job == job && self->running;
}

static char *
where (CbJob *job)
{
  if (cb_job_is_local (job))
    return g_strdup (_("this computer"));
  if (cb_job_is_slurm (job))
    /* Translators: where a Slurm job runs: "the cluster “hpc”" */
    return g_strdup_printf (_("the cluster “%s”"), cb_job_get_target_name (job));
  return cb_target_dup_address (cb_job_get_target (job));
}

/* A line in bold red: what went wrong. */
static void
feed_error (CbTerminalPane *self,
            const char     *text)
{
  _cb_terminal_pane_feed_line_start (self);
  vte_terminal_feed (self->terminal, "\033[1;31m", -1);
  _cb_terminal_pane_feed_text (self, text);
  vte_terminal_feed (self->terminal, "\033[0m\r\n", -1);
}

/* The run is over: how it ended is the job's. */
static void
conclude (CbTerminalPane *self)
{
  CbJob *job = self->job;

  if (!self->running)
    return;
  g_clear_object (&self->job_cancellable);
  self->exit_status = cb_job_get_exit_status (job);
  self->exit_signal = cb_job_get_signal (job);
  self->user_stopped = cb_job_get_stopped (job);
  self->seconds = cb_job_get_elapsed (job, g_get_real_time ());
  if (cb_job_get_state (job) != CB_JOB_FINISHED)
    {
      g_free (self->failure);
      self->failure = g_strdup (cb_job_get_message (job) != NULL ? cb_job_get_message (job)
                                                                    : _("Lost"));
    }
  else if (self->exit_status == -1 && self->exit_signal == 0 && cb_job_get_message (job) != NULL)
    {
      g_free (self->failure);
      self->failure = g_strdup (cb_job_get_message (job));
      feed_error (self, self->failure);
    }
  self->job_stopping = FALSE;
  _cb_terminal_pane_finish_run (self);
}

/* ---- attaching ---------------------------------------------------------------------- */

static gboolean
reattach_cb (gpointer user_data)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (user_data);

  self->ladder_source = 0;
  if (self->running && self->job != NULL && !self->job_stopping)
    _cb_terminal_pane_job_attach (self);
  return G_SOURCE_REMOVE;
}

static void
attach_spawned_cb (VteTerminal *terminal,
                   GPid         pid,
                   GError      *error,
                   gpointer     user_data)
{
  Call *call = user_data;
  CbJob *job = call->job ? g_object_ref (call->job) : NULL;
  g_autoptr(CbTerminalPane) self = call_end (call);
  g_autoptr(CbJob) held = job;

  if (!same_job (self, held))
    return;
  if (error == NULL && pid > 0)
    self->job_client_attached = TRUE;
  if (error == NULL && self->pid == 0 && pid > 0)
    {
      /* A Slurm job has no process group here: the view's own process stands for it. */
      self->pid = pid;
      _cb_terminal_pane_notify (self, CB_TERMINAL_PANE_PROP_PID);
      _cb_terminal_pane_emit_started (self);
      _cb_terminal_pane_update_status (self);
      _cb_terminal_pane_update_actions (self);
      if (self->stop_pending && !self->job_stopping)
        _cb_terminal_pane_job_stop (self);
    }
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT) ||
          strstr (error->message, g_strerror (ENOENT)) != NULL)
        message = g_strdup_printf (_("Could not show the run: %s is not installed"),
                                   cb_job_is_local (held) ? "tmux" : "ssh");
      else
        message = g_strdup_printf (_("Could not show the run: %s"), error->message);
      _cb_terminal_pane_feed_line_start (self);
      _cb_terminal_pane_feed_text (self, message);
      vte_terminal_feed (self->terminal, "\r\n", 2);
      _cb_terminal_pane_job_client_exited (self);
    }
}

/* Attaches the terminal to the job's session. */
void
_cb_terminal_pane_job_attach (CbTerminalPane *self)
{
  g_auto(GStrv) argv = cb_job_attach_argv (self->job);
  g_auto(GStrv) envv = g_get_environ ();
  gint64 pgid = cb_job_get_pgid (self->job);
  gboolean first = self->pid == 0 && pgid > 0;

  if (pgid > 0)
    self->pid = (GPid) pgid;
  /* A Slurm job's follower shows its output files from their start: again, from a clean
   * terminal. */
  if (cb_job_is_slurm (self->job) && self->job_attach_tries > 0)
    {
      vte_terminal_reset (self->terminal, TRUE, TRUE);
      _cb_terminal_pane_feed_note (self, "$ ", self->display_text);
    }
  self->job_attach_tries++;

  envv = g_environ_setenv (envv, "TERM", "xterm-256color", TRUE);
  envv = g_environ_setenv (envv, "COLORTERM", "truecolor", TRUE);
  envv = g_environ_unsetenv (envv, "TMUX");
  vte_terminal_spawn_async (self->terminal, VTE_PTY_DEFAULT, NULL, argv, envv,
                            G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, -1, self->job_cancellable,
                            attach_spawned_cb, call_new (self));

  _cb_terminal_pane_update_status (self);
  _cb_terminal_pane_update_actions (self);
  if (first)
    {
      _cb_terminal_pane_notify (self, CB_TERMINAL_PANE_PROP_PID);
      _cb_terminal_pane_emit_started (self);
    }

  if (self->stop_pending && !self->job_stopping && self->pid != 0)
    _cb_terminal_pane_job_stop (self);
}

static void
launched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CbJob *job = CB_JOB (source);
  g_autoptr(CbTerminalPane) self = call_end (user_data);
  g_autoptr(GError) error = NULL;
  gboolean launched = cb_job_launch_finish (job, result, &error);

  if (!same_job (self, job))
    return;
  if (!launched)
    {
      _cb_terminal_pane_fail_to_start (self, g_strdup (error->message));
      return;
    }
  if (cb_job_is_slurm (job))
    {
      /* Translators: "Submitted as Slurm job 42." */
      g_autofree char *note = g_strdup_printf (_("Submitted as Slurm job %s."),
                                               cb_job_get_slurm_id (job));

      _cb_terminal_pane_feed_note (self, "", note);
    }
  _cb_terminal_pane_job_attach (self);
}

static void
begin_job (CbTerminalPane *self,
           CbJob          *job)
{
  g_autofree char *place = NULL;
  gint64 age = g_get_real_time () - cb_job_get_start_time (job);

  _cb_terminal_pane_begin_run (self, cb_job_get_argv (job), cb_job_get_project_root (job),
                               cb_job_get_display (job), cb_job_get_page (job));
  /* The clock counts from the job's start, also for a job found running. */
  self->start_usec -= MAX (age, 0);
  g_set_object (&self->job, job);
  g_clear_object (&self->job_cancellable);
  self->job_cancellable = g_cancellable_new ();
  self->job_stopping = FALSE;
  self->job_attach_tries = 0;

  if (self->has_run)
    vte_terminal_feed (self->terminal, "\r\n", 2);
  _cb_terminal_pane_feed_note (self, "$ ", self->display_text);
  if (!cb_job_is_local (job))
    {
      g_autofree char *note = NULL;

      const CbTarget *target = cb_job_get_target (job);

      place = where (job);
      /* Translators: "on me@gpu1:22, in /home/me/ocr" */
      note = g_strdup_printf (_("on %s, in %s"), place,
                              target->project_dir != NULL && cb_target_via_ssh (target)
                              ? target->project_dir : cb_job_get_project_root (job));
      _cb_terminal_pane_feed_note (self, "  ", note);
    }
  self->has_run = TRUE;
}

/**
 * cb_terminal_pane_run_job:
 * @job: a job not started yet (%CB_JOB_STARTING)
 *
 * Launches @job (in a worker) and attaches the terminal to it. Returns at once; the outcome
 * comes as #CbTerminalPane::started and #CbTerminalPane::finished, also when the job cannot
 * start.
 *
 * Returns: %FALSE with @error when something runs in this pane already
 */
gboolean
cb_terminal_pane_run_job (CbTerminalPane  *self,
                          CbJob           *job,
                          GError         **error)
{
  g_return_val_if_fail (CB_IS_TERMINAL_PANE (self), FALSE);
  g_return_val_if_fail (CB_IS_JOB (job), FALSE);

  if (self->running)
    {
      g_set_error_literal (error, CB_TERMINAL_PANE_ERROR, CB_TERMINAL_PANE_ERROR_BUSY,
                           _("A command is already running. Stop it before starting another."));
      return FALSE;
    }

  begin_job (self, job);
  cb_job_launch_async (job, self->history, self->job_cancellable, launched_cb, call_new (self));

  self->clock_source = g_timeout_add (1000, clock_tick_cb, self);
  _cb_terminal_pane_update_status (self);
  _cb_terminal_pane_update_actions (self);
  _cb_terminal_pane_notify (self, CB_TERMINAL_PANE_PROP_RUNNING);
  return TRUE;
}

/* ---- a job found again ------------------------------------------------------------------ */

typedef struct
{
  CbJob    *copy;
  CbRunHistory *history;
  char     *output;
  int       want_output;
} ReadData;

enum { WANT_NO_OUTPUT, WANT_OUTPUT, WANT_OUTPUT_IF_ENDED };

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->copy);
  g_clear_object (&data->history);
  g_free (data->output);
  g_free (data);
}

static void
read_worker (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadData *data = task_data;

  gboolean active;

  cb_job_probe (data->copy, NULL, NULL);  /* the history is changed on the UI thread */
  active = cb_job_is_active (data->copy);
  /* While it runs, only what scrolled off: the attached terminal draws the screen. */
  if (data->want_output == WANT_OUTPUT || (data->want_output == WANT_OUTPUT_IF_ENDED && !active))
    data->output = cb_job_read_output (data->copy, active, NULL);
  g_task_return_boolean (task, TRUE);
}

/* The job's output, fed whole: the log's lines end in "\n", the terminal wants "\r\n". */
static void
feed_output (CbTerminalPane *self,
             const char     *output)
{
  g_auto(GStrv) lines = g_strsplit (output != NULL ? output : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break;
      vte_terminal_feed (self->terminal, lines[i], -1);
      vte_terminal_feed (self->terminal, "\r\n", 2);
    }
}

/* The run ended while attached: tmux's client leaves its last screen, not the run's whole
 * output. The terminal gets the output from the start, as the job's log kept it. */
static void
show_whole_output (CbTerminalPane *self,
                   const char     *output)
{
  if (output == NULL || *output == '\0')
    return;
  vte_terminal_reset (self->terminal, TRUE, TRUE);
  _cb_terminal_pane_feed_note (self, "$ ", self->display_text);
  feed_output (self, output);
}

/* A look at the job (read_worker) is back: the job takes what it found, its end goes into
 * the history (on this thread, the history's), and the pane is returned if it still follows
 * the job. */
static CbTerminalPane *
take_look (CbJob         *job,
           GAsyncResult  *result,
           gpointer       user_data,
           ReadData     **data_out)
{
  CbTerminalPane *self = call_end (user_data);
  ReadData *data = g_task_get_task_data (G_TASK (result));

  cb_job_update_from (job, data->copy);
  cb_job_record_end (job, data->history);
  *data_out = data;
  if (!same_job (self, job))
    {
      g_clear_object (&self);
      return NULL;
    }
  return self;
}

static void
output_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CbJob *job = CB_JOB (source);
  ReadData *data;
  g_autoptr(CbTerminalPane) self = take_look (job, result, user_data, &data);

  if (self == NULL)
    return;
  feed_output (self, data->output);

  if (cb_job_get_state (job) == CB_JOB_FINISHED)
    conclude (self);
  else
    _cb_terminal_pane_job_attach (self);
}

/**
 * cb_terminal_pane_follow_job:
 * @job: a job of an earlier session, or of another window
 *
 * Shows @job: what it wrote so far, then, while it runs, its terminal (attached); once it
 * ended, how.
 */
void
cb_terminal_pane_follow_job (CbTerminalPane *self,
                             CbJob          *job)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;

  g_return_if_fail (CB_IS_TERMINAL_PANE (self));
  g_return_if_fail (!self->running);

  begin_job (self, job);
  data = g_new0 (ReadData, 1);
  data->copy = cb_job_copy (job);
  data->history = self->history != NULL ? g_object_ref (self->history) : NULL;
  data->want_output = WANT_OUTPUT;
  task = g_task_new (job, self->job_cancellable, output_read_cb, call_new (self));
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  g_task_run_in_thread (task, read_worker);

  self->clock_source = g_timeout_add (1000, clock_tick_cb, self);
  _cb_terminal_pane_update_status (self);
  _cb_terminal_pane_update_actions (self);
  _cb_terminal_pane_notify (self, CB_TERMINAL_PANE_PROP_RUNNING);
}

CbJob *
cb_terminal_pane_get_job (CbTerminalPane *self)
{
  g_return_val_if_fail (CB_IS_TERMINAL_PANE (self), NULL);

  return self->job;
}

/* ---- stopping ----------------------------------------------------------------------- */

/* The stop's last word, then the run's end. */
static void
end_stop (CbTerminalPane *self)
{
  g_autofree char *text = g_steal_pointer (&self->job_stop_note);

  g_clear_handle_id (&self->job_stop_source, g_source_remove);
  if (text != NULL && self->job_stop_note_red)
    {
      feed_error (self, text);
    }
  else if (text != NULL)
    {
      _cb_terminal_pane_feed_note (self, "", text);
    }
  conclude (self);
}

static gboolean
stop_client_timeout_cb (gpointer user_data)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (user_data);

  self->job_stop_source = 0;
  end_stop (self);
  return G_SOURCE_REMOVE;
}

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CbJob *job = CB_JOB (source);
  g_autoptr(CbTerminalPane) self = call_end (user_data);
  g_autoptr(GError) error = NULL;

  cb_job_stop_finish (job, result, &error);
  if (!same_job (self, job))
    return;
  if (error != NULL && cb_job_get_state (job) != CB_JOB_FINISHED)
    {
      feed_error (self, error->message);
      /* Not ended, or not known: Stop may be asked again; the view looks again (its
       * client may have ended meanwhile) and attaches when it can. */
      self->job_stopping = FALSE;
      self->stop_step = CB_STOP_STEP_NONE;
      _cb_terminal_pane_update_status (self);
      _cb_terminal_pane_update_actions (self);
      if (cb_job_get_state (job) == CB_JOB_LOST)
        _cb_terminal_pane_job_client_exited (self);
      return;
    }

  g_free (self->job_stop_note);
  self->job_stop_note_red = error != NULL;
  if (error != NULL)
    {
      self->job_stop_note = g_strdup (error->message);
    }
  else
    {
      g_autofree char *place = where (job);

      /* Translators: "Nothing of the run is left on me@gpu1:22." */
      self->job_stop_note = g_strdup_printf (_("Nothing of the run is left on %s."), place);
    }
  /* The session is gone, but its client may still have a last screen to draw, which
   * would land over anything written now: the end is told once the client has exited
   * (it does so by itself when its session ends), or after a while without it. */
  if (self->job_client_attached)
    self->job_stop_source = g_timeout_add (3000, stop_client_timeout_cb, self);
  else
    end_stop (self);
}

/* Stop: the job's ladder, in a worker. Asked again, it does not start over. */
void
_cb_terminal_pane_job_stop (CbTerminalPane *self)
{
  if (self->job_stopping || !self->running)
    return;
  if (self->pid == 0)
    {
      self->stop_pending = TRUE;  /* launched, not attached yet: stop when it is */
      _cb_terminal_pane_update_status (self);
      return;
    }
  self->job_stopping = TRUE;
  self->user_stopped = TRUE;
  self->stop_step = CB_STOP_STEP_INTERRUPT;
  g_clear_handle_id (&self->ladder_source, g_source_remove);
  /* Not cancelled with the tab: once asked, the stop goes to its end. */
  cb_job_stop_async (self->job, self->history, self->interrupt_ms, self->terminate_ms,
                     NULL, stopped_cb, call_new (self));
  _cb_terminal_pane_update_status (self);
}

/* ---- the client ended ------------------------------------------------------------------ */

static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CbJob *job = CB_JOB (source);
  ReadData *data;
  g_autoptr(CbTerminalPane) self = take_look (job, result, user_data, &data);

  if (self == NULL)
    return;
  self->job_probing = FALSE;
  if (self->job_stopping)
    return;  /* the stop's own end concludes */

  if (cb_job_get_state (job) == CB_JOB_FINISHED)
    {
      show_whole_output (self, data->output);
      conclude (self);
      return;
    }

  /* Still there, or not reachable: say so, and attach again in a while. */
  {
    g_autofree char *place = where (job);
    g_autofree char *note = NULL;

    if (cb_job_get_state (job) == CB_JOB_LOST)
      /* Translators: "Lost the connection (…); trying again in 3 s. The run goes on on gpu1." */
      note = g_strdup_printf (_("%s; trying again in %d s. The run goes on on %s."),
                              cb_job_get_message (job), REATTACH_MS / 1000, place);
    else
      note = g_strdup_printf (_("The view of the run was closed; the run goes on on %s. "
                                "Attaching again…"), place);
    _cb_terminal_pane_feed_note (self, "", note);
  }
  g_clear_handle_id (&self->ladder_source, g_source_remove);
  self->ladder_source = g_timeout_add (self->job_attach_tries < 2 ? 300 : REATTACH_MS,
                                       reattach_cb, self);
}

/* The terminal's client ended: learn what became of the job. */
void
_cb_terminal_pane_job_client_exited (CbTerminalPane *self)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;

  self->job_client_attached = FALSE;  /* ended, or never started */
  if (self->job_stop_note != NULL && self->running)
    {
      end_stop (self);  /* the stop ended first; now the client has too */
      return;
    }
  if (!self->running || self->job_stopping || self->job_probing)
    return;
  self->job_probing = TRUE;
  data = g_new0 (ReadData, 1);
  data->copy = cb_job_copy (self->job);
  data->history = self->history != NULL ? g_object_ref (self->history) : NULL;
  data->want_output = WANT_OUTPUT_IF_ENDED;
  task = g_task_new (self->job, self->job_cancellable, probed_cb, call_new (self));
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  g_task_run_in_thread (task, (GTaskThreadFunc) read_worker);
}

/* The window goes: the job does not. */
void
_cb_terminal_pane_job_dispose (CbTerminalPane *self)
{
  g_clear_handle_id (&self->job_stop_source, g_source_remove);
  g_clear_pointer (&self->job_stop_note, g_free);
  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
}
