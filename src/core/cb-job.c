/* cb-job.c: one run of one command on one target, kept in the project's state
 *
 * A job is what Run (or `command-builder run`) starts: its page, argv and target, its
 * state, its start and end, and where its output and exit status go. Jobs run detached from
 * the app, each in a tmux session (cb-job-tmux.c), so they outlive the window, a crash of it
 * or `kill -9`; the state on disk is how the next start finds them again.
 *
 * Each job is one key file, `$XDG_STATE_HOME/command-builder/jobs/<project>/<id>.ini`
 * (<project> is the run history's digest of the project root), written whole with
 * g_file_set_contents() (a temporary file renamed over the old one). One file per job is
 * what makes several app processes safe together: two of them only ever write the same file
 * for the same job, and the last word about a job is its newest state, whoever wrote it.
 * Beside it, the job's tmux session writes `<id>.status` (its exit status, at the very end)
 * and `<id>.log` (its terminal's text); on an SSH host they are under the same folder of the
 * host's own state. The run history (cb-run-history.c) keeps the finished jobs.
 *
 *   [job]
 *   version=1
 *   id=261203-071603-a1b2
 *   page=train
 *   argv=python3;runners/train.py;exp_name=a b;
 *   display=python3 runners/train.py 'exp_name=a b'
 *   state=running
 *   start=1764746163000000         (µs since the epoch)
 *   end=0
 *   exit-status=-1
 *   signal=0
 *   stopped=false
 *   pgid=16279
 *   message=
 *   [target]
 *   name=gpu1 … (the target as it was when the job started: the job can be reached again
 *   even when targets.yaml has changed since)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-job"

#include "config.h"

#include "cb/cb-job.h"
#include "cb/cb-file-read.h"
#include "cb/cb-problem.h"
#include "cb-job-object.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>



enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void changed (CbJob *self);

G_DEFINE_FINAL_TYPE (CbJob, cb_job, G_TYPE_OBJECT)
G_DEFINE_QUARK (cb-job-error-quark, cb_job_error)

static void
cb_job_finalize (GObject *object)
{
  CbJob *self = CB_JOB (object);

  g_free (self->id);
  g_free (self->project_root);
  g_free (self->page);
  g_strfreev (self->argv);
  g_free (self->display);
  g_free (self->experiment);
  cb_target_free (self->target);
  g_free (self->message);
  g_free (self->session);
  g_free (self->log_path);
  g_free (self->slurm_id);
  g_free (self->slurm_script);
  g_ptr_array_unref (self->slurm_tasks);

  G_OBJECT_CLASS (cb_job_parent_class)->finalize (object);
}

static void
cb_job_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  CbJob *self = CB_JOB (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_job_class_init (CbJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_job_finalize;
  object_class->get_property = cb_job_get_property;

  /* Notified on every change of the job, not only of its state. */
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, CB_JOB_STARTING, CB_JOB_LOST,
                                             CB_JOB_STARTING,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                             G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_job_init (CbJob *self)
{
  self->exit_status = -1;
  self->slurm_tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_slurm_task_free);
}

/* The value of the first `exp_name=` override, without its quotes. */
char *
_cb_job_find_experiment (char **argv)
{
  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    {
      const char *value;
      gsize length;

      if (!g_str_has_prefix (argv[i], "exp_name=") && !g_str_has_prefix (argv[i], "+exp_name="))
        continue;
      value = strchr (argv[i], '=') + 1;
      length = strlen (value);
      if (length >= 2 && (value[0] == '\'' || value[0] == '"') && value[length - 1] == value[0])
        return g_strndup (value + 1, length - 2);
      return g_strdup (value);
    }
  return NULL;
}

static char *
make_id (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%y%m%d-%H%M%S");

  return g_strdup_printf ("%s-%04x", stamp, g_random_int_range (0, 0x10000));
}

gboolean
_cb_job_id_is_valid (const char *id)
{
  gsize length = id != NULL ? strlen (id) : 0;

  if (length == 0 || length > MAX_ID)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

void
_cb_job_set_paths (CbJob *self)
{
  g_autofree char *dir = NULL;

  g_free (self->session);
  self->session = g_strconcat ("cb-", self->id, NULL);
  g_free (self->log_path);
  if (cb_target_is_local (self->target))
    {
      dir = cb_job_dir_for_project (self->project_root);
      self->log_path = g_strdup_printf ("%s/%s.log", dir, self->id);
    }
  else
    /* On the host, under its own state folder (cb-job-tmux.c). */
    self->log_path = g_strdup_printf ("~/.local/state/command-builder/jobs/%s.log", self->id);
}

/**
 * cb_job_new:
 * @project_root: the project's root here (for a host, its folder is the target's)
 * @display: (nullable): the command as the preview shows it
 * @target: (nullable): where it runs; %NULL is this computer
 *
 * A job not started yet (%CB_JOB_STARTING), with a new id.
 */
CbJob *
cb_job_new (const char         *project_root,
            const char         *page,
            const char * const *argv,
            const char         *display,
            const CbTarget     *target)
{
  CbJob *self;

  g_return_val_if_fail (project_root != NULL, NULL);
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  self = g_object_new (CB_TYPE_JOB, NULL);
  self->id = make_id ();
  self->project_root = g_strdup (project_root);
  self->page = g_strdup (page);
  self->argv = g_strdupv ((char **) argv);
  self->display = display != NULL ? g_strdup (display) : g_strjoinv (" ", self->argv);
  self->experiment = _cb_job_find_experiment (self->argv);
  self->target = target != NULL ? cb_target_copy (target) : cb_target_new_local ();
  self->start_time = g_get_real_time ();
  _cb_job_set_paths (self);
  return self;
}

void
_cb_job_copy_tasks (GPtrArray *to,
            GPtrArray *from)
{
  g_ptr_array_set_size (to, 0);
  for (guint i = 0; from != NULL && i < from->len; i++)
    g_ptr_array_add (to, cb_slurm_task_copy (g_ptr_array_index (from, i)));
}

/* What Slurm said, told apart from what it says next; the time a task has run (which
 * changes every second) is not a change. */
static gboolean
tasks_equal (GPtrArray *a,
             GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const CbSlurmTask *x = g_ptr_array_index (a, i);
      const CbSlurmTask *y = g_ptr_array_index (b, i);

      if (x->task != y->task || x->exit_status != y->exit_status || x->signal != y->signal ||
          g_strcmp0 (x->state, y->state) != 0 || g_strcmp0 (x->reason, y->reason) != 0 ||
          g_strcmp0 (x->node, y->node) != 0)
        return FALSE;
    }
  return TRUE;
}

/* A copy for a worker to change; cb_job_update_from() brings the change back. */
CbJob *
cb_job_copy (CbJob *self)
{
  CbJob *copy = g_object_new (CB_TYPE_JOB, NULL);

  copy->id = g_strdup (self->id);
  copy->project_root = g_strdup (self->project_root);
  copy->page = g_strdup (self->page);
  copy->argv = g_strdupv (self->argv);
  copy->display = g_strdup (self->display);
  copy->experiment = g_strdup (self->experiment);
  copy->target = cb_target_copy (self->target);
  copy->state = self->state;
  copy->start_time = self->start_time;
  copy->end_time = self->end_time;
  copy->exit_status = self->exit_status;
  copy->signal = self->signal;
  copy->stopped = self->stopped;
  copy->pgid = self->pgid;
  copy->message = g_strdup (self->message);
  copy->session = g_strdup (self->session);
  copy->log_path = g_strdup (self->log_path);
  copy->slurm_id = g_strdup (self->slurm_id);
  copy->slurm_script = g_strdup (self->slurm_script);
  _cb_job_copy_tasks (copy->slurm_tasks, self->slurm_tasks);
  copy->n_runs = self->n_runs;
  return copy;
}

const char *cb_job_get_id (CbJob *self) { return self->id; }
const char *cb_job_get_project_root (CbJob *self) { return self->project_root; }
const char *cb_job_get_page (CbJob *self) { return self->page; }
const char * const *cb_job_get_argv (CbJob *self) { return (const char * const *) self->argv; }
const char *cb_job_get_display (CbJob *self) { return self->display; }
const char *cb_job_get_experiment (CbJob *self) { return self->experiment; }
const CbTarget *cb_job_get_target (CbJob *self) { return self->target; }
const char *cb_job_get_target_name (CbJob *self) { return self->target->name; }
gboolean cb_job_is_local (CbJob *self) { return cb_target_is_local (self->target); }
CbJobState cb_job_get_state (CbJob *self) { return self->state; }
int cb_job_get_exit_status (CbJob *self) { return self->exit_status; }
int cb_job_get_signal (CbJob *self) { return self->signal; }
gboolean cb_job_get_stopped (CbJob *self) { return self->stopped; }
gint64 cb_job_get_pgid (CbJob *self) { return self->pgid; }
gint64 cb_job_get_start_time (CbJob *self) { return self->start_time; }
gint64 cb_job_get_end_time (CbJob *self) { return self->end_time; }
const char *cb_job_get_message (CbJob *self) { return self->message; }
const char *cb_job_get_session (CbJob *self) { return self->session; }
const char *cb_job_get_log_path (CbJob *self) { return self->log_path; }
gboolean cb_job_is_slurm (CbJob *self) { return cb_target_is_slurm (self->target); }
const char *cb_job_get_slurm_script (CbJob *self) { return self->slurm_script; }
const char *cb_job_get_slurm_id (CbJob *self) { return self->slurm_id; }
GPtrArray *cb_job_get_slurm_tasks (CbJob *self) { return self->slurm_tasks; }
guint cb_job_get_n_runs (CbJob *self) { return MAX (self->n_runs, 1); }

void
cb_job_set_n_runs (CbJob *self,
                   guint  n_runs)
{
  self->n_runs = n_runs;
}

/* The script cb_job_launch() submits (made by cb_slurm_script_new()). */
void
cb_job_set_slurm_script (CbJob      *self,
                         const char *script)
{
  g_free (self->slurm_script);
  self->slurm_script = g_strdup (script);
}

/**
 * cb_job_set_slurm_tasks:
 * @tasks: (element-type CbSlurmTask): copied
 *
 * What Slurm last said of the job (its id, and each task's state). Notifies.
 */
void
cb_job_set_slurm_tasks (CbJob      *self,
                        const char *slurm_id,
                        GPtrArray  *tasks)
{
  if (slurm_id != self->slurm_id)
    {
      g_free (self->slurm_id);
      self->slurm_id = g_strdup (slurm_id);
    }
  if (tasks != self->slurm_tasks)
    _cb_job_copy_tasks (self->slurm_tasks, tasks);
  changed (self);
}

/* Starting, running, stopping, or lost (which may come back). */
gboolean
cb_job_is_active (CbJob *self)
{
  return self->state != CB_JOB_FINISHED;
}

/* Seconds from start to end, or to @now (µs since the epoch) while it runs. */
double
cb_job_get_elapsed (CbJob  *self,
                    gint64  now)
{
  gint64 end = self->end_time > 0 ? self->end_time : now;

  return MAX (end - self->start_time, 0) / (double) G_USEC_PER_SEC;
}

const char *
cb_job_state_to_string (CbJobState state)
{
  switch (state)
    {
    case CB_JOB_STARTING: return "starting";
    case CB_JOB_RUNNING: return "running";
    case CB_JOB_STOPPING: return "stopping";
    case CB_JOB_FINISHED: return "finished";
    case CB_JOB_LOST: default: return "lost";
    }
}

CbJobState
_cb_job_state_from_string (const char *text)
{
  static const CbJobState states[] = {
    CB_JOB_STARTING, CB_JOB_RUNNING, CB_JOB_STOPPING, CB_JOB_FINISHED, CB_JOB_LOST
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (g_strcmp0 (text, cb_job_state_to_string (states[i])) == 0)
      return states[i];
  return CB_JOB_LOST;
}

/* What the Jobs list and `jobs` say about the state: "Running", "Finished (exit status 3)",
 * "Stopped", "Connection lost: …". */
char *
cb_job_describe_state (CbJob *self)
{
  switch (self->state)
    {
    case CB_JOB_STARTING:
      return g_strdup (_("Starting"));
    case CB_JOB_RUNNING:
      return g_strdup (_("Running"));
    case CB_JOB_STOPPING:
      return g_strdup (_("Stopping"));
    case CB_JOB_LOST:
      return g_strdup (self->message != NULL ? self->message : _("Lost"));
    case CB_JOB_FINISHED:
    default:
      if (self->exit_status == -1 && self->signal == 0 && self->message != NULL)
        return g_strdup (self->message);
      return cb_describe_run_outcome (self->exit_status, self->signal, self->stopped,
                                      cb_job_get_elapsed (self, g_get_real_time ()));
    }
}

static void
changed (CbJob *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
cb_job_set_running (CbJob  *self,
                    gint64  pgid)
{
  self->state = self->stopped ? CB_JOB_STOPPING : CB_JOB_RUNNING;
  if (pgid > 0)
    self->pgid = pgid;
  g_clear_pointer (&self->message, g_free);
  changed (self);
}

void
cb_job_set_stopping (CbJob *self)
{
  self->stopped = TRUE;
  if (self->state != CB_JOB_FINISHED)
    self->state = CB_JOB_STOPPING;
  changed (self);
}

/**
 * cb_job_set_finished:
 * @exit_status: its exit status, or -1 (killed by @signal, or never started)
 * @message: (nullable): why it never started, or how it was found ended
 */
void
cb_job_set_finished (CbJob      *self,
                     int         exit_status,
                     int         signal,
                     const char *message)
{
  self->state = CB_JOB_FINISHED;
  self->exit_status = signal > 0 ? -1 : exit_status;
  self->signal = MAX (signal, 0);
  if (self->end_time == 0)
    self->end_time = g_get_real_time ();
  g_free (self->message);
  self->message = g_strdup (message);
  changed (self);
}

void
cb_job_set_lost (CbJob      *self,
                 const char *message)
{
  self->state = CB_JOB_LOST;
  g_free (self->message);
  self->message = g_strdup (message);
  changed (self);
}

/**
 * cb_job_update_from:
 * @newer: the same job (same id), as a worker or another process found it
 *
 * Takes @newer's state; notifies only when something changed. Returns whether it did.
 */
gboolean
cb_job_update_from (CbJob *self,
                    CbJob *newer)
{
  g_return_val_if_fail (g_strcmp0 (self->id, newer->id) == 0, FALSE);

  if (self->state == newer->state && self->exit_status == newer->exit_status &&
      self->signal == newer->signal && self->stopped == newer->stopped &&
      self->pgid == newer->pgid && self->end_time == newer->end_time &&
      g_strcmp0 (self->message, newer->message) == 0 &&
      g_strcmp0 (self->slurm_id, newer->slurm_id) == 0 &&
      tasks_equal (self->slurm_tasks, newer->slurm_tasks))
    return FALSE;

  if (g_strcmp0 (self->slurm_id, newer->slurm_id) != 0)
    {
      g_free (self->slurm_id);
      self->slurm_id = g_strdup (newer->slurm_id);
    }
  _cb_job_copy_tasks (self->slurm_tasks, newer->slurm_tasks);

  self->state = newer->state;
  self->exit_status = newer->exit_status;
  self->signal = newer->signal;
  self->stopped = newer->stopped;
  self->pgid = newer->pgid;
  self->end_time = newer->end_time;
  g_free (self->message);
  self->message = g_strdup (newer->message);
  changed (self);
  return TRUE;
}
