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

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#define JOB_GROUP    "job"
#define TARGET_GROUP "target"
#define JOB_VERSION  1
#define MAX_ID       64

struct _CbJob
{
  GObject     parent_instance;

  char       *id;
  char       *project_root;
  char       *page;
  char      **argv;
  char       *display;
  char       *experiment;
  CbTarget   *target;
  CbJobState  state;
  gint64      start_time;
  gint64      end_time;
  int         exit_status;
  int         signal;
  gboolean    stopped;
  gint64      pgid;
  char       *message;
  char       *session;
  char       *log_path;

  /* Slurm */
  char       *slurm_id;
  char       *slurm_script;   /* what is submitted; not kept in the job's file */
  GPtrArray  *slurm_tasks;    /* CbSlurmTask*, as last seen */
  guint       n_runs;         /* a sweep's runs; 0 or 1: one run */
};

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
static char *
find_experiment (char **argv)
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

static gboolean
id_is_valid (const char *id)
{
  gsize length = id != NULL ? strlen (id) : 0;

  if (length == 0 || length > MAX_ID)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
set_paths (CbJob *self)
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
  self->experiment = find_experiment (self->argv);
  self->target = target != NULL ? cb_target_copy (target) : cb_target_new_local ();
  self->start_time = g_get_real_time ();
  set_paths (self);
  return self;
}

static void
copy_tasks (GPtrArray *to,
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
  copy_tasks (copy->slurm_tasks, self->slurm_tasks);
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
    copy_tasks (self->slurm_tasks, tasks);
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

static CbJobState
state_from_string (const char *text)
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
  copy_tasks (self->slurm_tasks, newer->slurm_tasks);

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

/* ---- on disk ------------------------------------------------------------------------ */

/**
 * cb_job_dir_for_project:
 *
 * Returns: `$XDG_STATE_HOME/command-builder/jobs/<digest>`, the digest being the run
 *   history's for the same project.
 */
char *
cb_job_dir_for_project (const char *project_root)
{
  g_autofree char *history = cb_run_history_path_for_project (project_root);
  g_autofree char *base = g_path_get_basename (history);
  char *dot = strrchr (base, '.');

  if (dot != NULL)
    *dot = '\0';
  return g_build_filename (g_get_user_state_dir (), "command-builder", "jobs", base, NULL);
}

/* Each task as "index|state|reason|node|elapsed|exit|signal". */
static void
tasks_to_key_file (GPtrArray *tasks,
                   GKeyFile  *key_file)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  if (tasks->len == 0)
    return;
  for (guint i = 0; i < tasks->len; i++)
    {
      const CbSlurmTask *t = g_ptr_array_index (tasks, i);
      char *line = g_strdup_printf ("%d|%s|%s|%s|%s|%d|%d", t->task, t->state ? t->state : "",
                                    t->reason ? t->reason : "", t->node ? t->node : "",
                                    t->elapsed ? t->elapsed : "", t->exit_status, t->signal);

      g_strv_builder_add (lines, line);
      g_free (line);
    }
  strv = g_strv_builder_end (lines);
  g_key_file_set_string_list (key_file, JOB_GROUP, "slurm-tasks", (const char * const *) strv,
                              g_strv_length (strv));
}

static void
tasks_from_key_file (GPtrArray *tasks,
                     GKeyFile  *key_file)
{
  g_auto(GStrv) lines = g_key_file_get_string_list (key_file, JOB_GROUP, "slurm-tasks", NULL,
                                                    NULL);

  for (guint i = 0; lines != NULL && lines[i] != NULL && i < 4096; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "|", 8);
      CbSlurmTask *t;

      if (g_strv_length (f) != 7)
        continue;
      t = g_new0 (CbSlurmTask, 1);
      t->task = (int) CLAMP (g_ascii_strtoll (f[0], NULL, 10), -1, G_MAXINT);
      t->state = *f[1] ? g_strdup (f[1]) : NULL;
      t->reason = *f[2] ? g_strdup (f[2]) : NULL;
      t->node = *f[3] ? g_strdup (f[3]) : NULL;
      t->elapsed = *f[4] ? g_strdup (f[4]) : NULL;
      t->exit_status = (int) CLAMP (g_ascii_strtoll (f[5], NULL, 10), -1, 255);
      t->signal = (int) CLAMP (g_ascii_strtoll (f[6], NULL, 10), 0, 127);
      g_ptr_array_add (tasks, t);
    }
}

static char **
replace_strv (char **old,
              char **new)
{
  g_strfreev (old);
  return new != NULL ? new : g_new0 (char *, 1);
}

static void
slurm_to_key_file (const CbSlurmOptions *o,
                   GKeyFile             *key_file)
{
  const struct { const char *key; const char *value; } words[] = {
    { "partition", o->partition }, { "time", o->time }, { "mem", o->mem },
    { "account", o->account }, { "qos", o->qos },
  };

  g_key_file_set_string (key_file, TARGET_GROUP, "kind", "slurm");
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (words[i].value != NULL)
      g_key_file_set_string (key_file, TARGET_GROUP, words[i].key, words[i].value);
  g_key_file_set_integer (key_file, TARGET_GROUP, "gpus", o->gpus);
  g_key_file_set_integer (key_file, TARGET_GROUP, "cpus-per-task", o->cpus_per_task);
  g_key_file_set_integer (key_file, TARGET_GROUP, "array-limit", o->array_limit);
  g_key_file_set_string_list (key_file, TARGET_GROUP, "sbatch",
                              (const char * const *) o->sbatch, g_strv_length (o->sbatch));
}

static void
slurm_from_key_file (CbSlurmOptions *o,
                     GKeyFile       *key_file)
{
  o->partition = g_key_file_get_string (key_file, TARGET_GROUP, "partition", NULL);
  o->time = g_key_file_get_string (key_file, TARGET_GROUP, "time", NULL);
  o->mem = g_key_file_get_string (key_file, TARGET_GROUP, "mem", NULL);
  o->account = g_key_file_get_string (key_file, TARGET_GROUP, "account", NULL);
  o->qos = g_key_file_get_string (key_file, TARGET_GROUP, "qos", NULL);
  o->gpus = g_key_file_get_integer (key_file, TARGET_GROUP, "gpus", NULL);
  o->cpus_per_task = g_key_file_get_integer (key_file, TARGET_GROUP, "cpus-per-task", NULL);
  o->array_limit = g_key_file_get_integer (key_file, TARGET_GROUP, "array-limit", NULL);
  o->sbatch = replace_strv (o->sbatch, g_key_file_get_string_list (key_file, TARGET_GROUP,
                                                                   "sbatch", NULL, NULL));
}

static void
target_to_key_file (const CbTarget *target,
                    GKeyFile       *key_file)
{
  g_key_file_set_string (key_file, TARGET_GROUP, "name", target->name);
  if (cb_target_is_local (target))
    return;
  if (target->slurm != NULL)
    slurm_to_key_file (target->slurm, key_file);
  if (target->host == NULL)
    {
      g_key_file_set_string_list (key_file, TARGET_GROUP, "setup",
                                  (const char * const *) target->setup,
                                  g_strv_length (target->setup));
      return;
    }
  g_key_file_set_string (key_file, TARGET_GROUP, "host", target->host);
  if (target->user != NULL)
    g_key_file_set_string (key_file, TARGET_GROUP, "user", target->user);
  if (target->port > 0)
    g_key_file_set_integer (key_file, TARGET_GROUP, "port", target->port);
  if (target->identity_file != NULL)
    g_key_file_set_string (key_file, TARGET_GROUP, "identity-file", target->identity_file);
  g_key_file_set_string (key_file, TARGET_GROUP, "project-dir", target->project_dir);
  g_key_file_set_string_list (key_file, TARGET_GROUP, "setup",
                              (const char * const *) target->setup,
                              g_strv_length (target->setup));
  g_key_file_set_string_list (key_file, TARGET_GROUP, "ssh-options",
                              (const char * const *) target->ssh_options,
                              g_strv_length (target->ssh_options));
}

static CbTarget *
target_from_key_file (GKeyFile *key_file)
{
  g_autofree char *name = g_key_file_get_string (key_file, TARGET_GROUP, "name", NULL);
  g_autofree char *host = g_key_file_get_string (key_file, TARGET_GROUP, "host", NULL);
  CbTarget *target;

  g_autofree char *kind = g_key_file_get_string (key_file, TARGET_GROUP, "kind", NULL);

  if (g_strcmp0 (kind, "slurm") == 0)
    {
      target = cb_target_new_slurm (name);
      slurm_from_key_file (target->slurm, key_file);
      if (host == NULL)
        {
          target->setup = replace_strv (target->setup,
                                        g_key_file_get_string_list (key_file, TARGET_GROUP,
                                                                    "setup", NULL, NULL));
          if (!cb_target_check (target, NULL))
            g_clear_pointer (&target, cb_target_free);
          return target;
        }
      target->host = g_strdup (host);
    }
  else if (host == NULL)
    return cb_target_new_local ();
  else
    target = cb_target_new_ssh (name, host);
  target->user = g_key_file_get_string (key_file, TARGET_GROUP, "user", NULL);
  target->port = g_key_file_get_integer (key_file, TARGET_GROUP, "port", NULL);
  target->identity_file = g_key_file_get_string (key_file, TARGET_GROUP, "identity-file", NULL);
  target->project_dir = g_key_file_get_string (key_file, TARGET_GROUP, "project-dir", NULL);
  g_strfreev (target->setup);
  target->setup = g_key_file_get_string_list (key_file, TARGET_GROUP, "setup", NULL, NULL);
  if (target->setup == NULL)
    target->setup = g_new0 (char *, 1);
  g_strfreev (target->ssh_options);
  target->ssh_options = g_key_file_get_string_list (key_file, TARGET_GROUP, "ssh-options", NULL,
                                                    NULL);
  if (target->ssh_options == NULL)
    target->ssh_options = g_new0 (char *, 1);
  if (!cb_target_check (target, NULL))
    {
      cb_target_free (target);
      return NULL;
    }
  return target;
}

static char *
job_path (const char *project_root,
          const char *id)
{
  g_autofree char *dir = cb_job_dir_for_project (project_root);
  g_autofree char *name = g_strconcat (id, ".ini", NULL);

  return g_build_filename (dir, name, NULL);
}

/**
 * cb_job_save:
 *
 * Writes the job's file, atomically, making its folder first.
 */
gboolean
cb_job_save (CbJob   *self,
             GError **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *dir = cb_job_dir_for_project (self->project_root);
  g_autofree char *path = job_path (self->project_root, self->id);
  g_autofree char *data = NULL;
  gsize length = 0;

  /* Stop is asked once, by whichever process: a worker that looked at the job before the
   * ask and saves after it does not take the ask back. */
  if (!self->stopped)
    {
      g_autoptr(GKeyFile) on_disk = g_key_file_new ();

      if (g_key_file_load_from_file (on_disk, path, G_KEY_FILE_NONE, NULL) &&
          g_key_file_get_boolean (on_disk, JOB_GROUP, "stopped", NULL))
        {
          self->stopped = TRUE;
          if (self->state == CB_JOB_RUNNING)
            self->state = CB_JOB_STOPPING;
        }
    }

  g_key_file_set_integer (key_file, JOB_GROUP, "version", JOB_VERSION);
  g_key_file_set_string (key_file, JOB_GROUP, "id", self->id);
  g_key_file_set_string (key_file, JOB_GROUP, "project", self->project_root);
  if (self->page != NULL)
    g_key_file_set_string (key_file, JOB_GROUP, "page", self->page);
  g_key_file_set_string_list (key_file, JOB_GROUP, "argv", (const char * const *) self->argv,
                              g_strv_length (self->argv));
  g_key_file_set_string (key_file, JOB_GROUP, "display", self->display);
  g_key_file_set_string (key_file, JOB_GROUP, "state", cb_job_state_to_string (self->state));
  g_key_file_set_int64 (key_file, JOB_GROUP, "start", self->start_time);
  g_key_file_set_int64 (key_file, JOB_GROUP, "end", self->end_time);
  g_key_file_set_integer (key_file, JOB_GROUP, "exit-status", self->exit_status);
  g_key_file_set_integer (key_file, JOB_GROUP, "signal", self->signal);
  g_key_file_set_boolean (key_file, JOB_GROUP, "stopped", self->stopped);
  g_key_file_set_int64 (key_file, JOB_GROUP, "pgid", self->pgid);
  if (self->message != NULL)
    g_key_file_set_string (key_file, JOB_GROUP, "message", self->message);
  if (self->n_runs > 1)
    g_key_file_set_integer (key_file, JOB_GROUP, "runs", (int) self->n_runs);
  if (self->slurm_id != NULL)
    g_key_file_set_string (key_file, JOB_GROUP, "slurm-id", self->slurm_id);
  tasks_to_key_file (self->slurm_tasks, key_file);
  target_to_key_file (self->target, key_file);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (key_file, &length, NULL);
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

/**
 * cb_job_load_file:
 *
 * Reads one job file. A file that is not one (unknown version, no id or argv, an id that is
 * not its name's) is %CB_JOB_ERROR_CORRUPT.
 */
CbJob *
cb_job_load_file (const char  *path,
                  GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!cb_file_read_regular (path, CB_FILE_KIND_RUN_RECORD, &data, &length, error))
    return NULL;
  return cb_job_load_data (data, length, path, error);
}

/**
 * cb_job_load_data:
 * @path: the file @data was read from: its name must be the job's id and ".ini"
 *
 * Reads one job file's text; see cb_job_load_file().
 */
CbJob *
cb_job_load_data (const char  *data,
                  gsize        length,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(CbJob) self = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *state = NULL;
  GError *local_error = NULL;

  if (!g_key_file_load_from_data (key_file, data, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_CORRUPT, "%s: %s", path,
                   local_error->message);
      g_error_free (local_error);
      return NULL;
    }

  self = g_object_new (CB_TYPE_JOB, NULL);
  self->id = g_key_file_get_string (key_file, JOB_GROUP, "id", NULL);
  self->project_root = g_key_file_get_string (key_file, JOB_GROUP, "project", NULL);
  self->argv = g_key_file_get_string_list (key_file, JOB_GROUP, "argv", NULL, NULL);
  self->target = target_from_key_file (key_file);
  if (g_key_file_get_integer (key_file, JOB_GROUP, "version", NULL) != JOB_VERSION ||
      !id_is_valid (self->id) || !g_str_has_prefix (base, self->id) ||
      !g_str_equal (base + strlen (self->id), ".ini") || self->project_root == NULL ||
      self->argv == NULL || self->argv[0] == NULL || self->target == NULL)
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_CORRUPT, _("%s is not a job’s file"), path);
      return NULL;
    }
  self->page = g_key_file_get_string (key_file, JOB_GROUP, "page", NULL);
  self->display = g_key_file_get_string (key_file, JOB_GROUP, "display", NULL);
  if (self->display == NULL)
    self->display = g_strjoinv (" ", self->argv);
  self->experiment = find_experiment (self->argv);
  state = g_key_file_get_string (key_file, JOB_GROUP, "state", NULL);
  self->state = state_from_string (state);
  self->start_time = g_key_file_get_int64 (key_file, JOB_GROUP, "start", NULL);
  self->end_time = g_key_file_get_int64 (key_file, JOB_GROUP, "end", NULL);
  self->exit_status = g_key_file_get_integer (key_file, JOB_GROUP, "exit-status", NULL);
  self->signal = CLAMP (g_key_file_get_integer (key_file, JOB_GROUP, "signal", NULL), 0, 64);
  if (self->exit_status < -1 || self->exit_status > 255)
    self->exit_status = -1;
  self->stopped = g_key_file_get_boolean (key_file, JOB_GROUP, "stopped", NULL);
  self->pgid = MAX (g_key_file_get_int64 (key_file, JOB_GROUP, "pgid", NULL), 0);
  if (self->pgid > G_MAXINT)
    self->pgid = 0;
  self->message = g_key_file_get_string (key_file, JOB_GROUP, "message", NULL);
  self->n_runs = (guint) CLAMP (g_key_file_get_integer (key_file, JOB_GROUP, "runs", NULL), 0,
                                100000);
  self->slurm_id = g_key_file_get_string (key_file, JOB_GROUP, "slurm-id", NULL);
  /* It goes into shell lines: digits only, as sbatch gave it. */
  if (self->slurm_id != NULL &&
      (*self->slurm_id == '\0' || strlen (self->slurm_id) > 20 ||
       strspn (self->slurm_id, "0123456789") != strlen (self->slurm_id)))
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_CORRUPT, _("%s is not a job’s file"), path);
      return NULL;
    }
  tasks_from_key_file (self->slurm_tasks, key_file);
  set_paths (self);
  return g_steal_pointer (&self);
}

CbJob *
cb_job_load (const char  *project_root,
             const char  *id,
             GError     **error)
{
  g_autofree char *path = NULL;

  if (!id_is_valid (id))
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND, _("There is no job “%s”"), id);
      return NULL;
    }
  path = job_path (project_root, id);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND, _("There is no job “%s”"), id);
      return NULL;
    }
  return cb_job_load_file (path, error);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  CbJob *ja = *(CbJob **) a;
  CbJob *jb = *(CbJob **) b;

  if (ja->start_time != jb->start_time)
    return ja->start_time > jb->start_time ? -1 : 1;
  return g_strcmp0 (jb->id, ja->id);
}

/**
 * cb_job_list:
 * @problems: (nullable): job files that cannot be read
 *
 * Returns: (transfer container) (element-type CbJob): the project's jobs, newest first.
 */
GPtrArray *
cb_job_list (const char *project_root,
             GPtrArray  *problems)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir_path = cb_job_dir_for_project (project_root);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      CbJob *job;

      if (!g_str_has_suffix (name, ".ini") || name[0] == '.')
        continue;
      path = g_build_filename (dir_path, name, NULL);
      job = cb_job_load_file (path, &error);
      if (job == NULL)
        {
          if (problems != NULL)
            g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_WARNING, path, 0, 0, "%s",
                                                       error->message));
          continue;
        }
      g_ptr_array_add (jobs, job);
    }
  g_ptr_array_sort (jobs, compare_newest_first);
  return jobs;
}

/**
 * cb_job_find:
 * @id_or_prefix: a job's id, or the start of one that only one job has
 *
 * Returns: (transfer none): the job, or %NULL with @error saying why
 */
CbJob *
cb_job_find (GPtrArray   *jobs,
             const char  *id_or_prefix,
             GError     **error)
{
  CbJob *found = NULL;
  guint n_found = 0;

  for (guint i = 0; i < jobs->len && id_or_prefix != NULL && *id_or_prefix != '\0'; i++)
    {
      CbJob *job = g_ptr_array_index (jobs, i);

      if (g_str_equal (job->id, id_or_prefix))
        return job;
      if (g_str_has_prefix (job->id, id_or_prefix))
        {
          found = job;
          n_found++;
        }
    }
  if (n_found == 1)
    return found;
  if (n_found > 1)
    g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND,
                 _("“%s” is the start of %u jobs’ ids; give more of it"), id_or_prefix, n_found);
  else
    g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND, _("There is no job “%s”"),
                 id_or_prefix != NULL ? id_or_prefix : "");
  return NULL;
}

/**
 * cb_job_forget_old:
 * @keep: how many finished jobs stay
 *
 * Removes the files of the oldest finished jobs beyond @keep (the run history keeps them).
 */
void
cb_job_forget_old (const char *project_root,
                   guint       keep)
{
  g_autoptr(GPtrArray) jobs = cb_job_list (project_root, NULL);
  g_autofree char *dir = cb_job_dir_for_project (project_root);
  guint n_finished = 0;

  for (guint i = 0; i < jobs->len; i++)
    {
      CbJob *job = g_ptr_array_index (jobs, i);
      static const char * const suffixes[] = { ".ini", ".status", ".log", ".sh" };

      if (job->state != CB_JOB_FINISHED || ++n_finished <= keep)
        continue;
      for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
        {
          g_autofree char *name = g_strconcat (job->id, suffixes[s], NULL);
          g_autofree char *path = g_build_filename (dir, name, NULL);

          g_unlink (path);
        }
    }
}
