/* cb-job-monitor.c: the project's jobs as a list model, looked at in a worker
 *
 * The Jobs list and the window's re-attaching read this model. A refresh reads the job
 * files and looks at every active job where it runs (cb_job_probe(): a status file and a
 * kill(0) here, one ssh round trip for a host) in a worker; the UI thread only merges what
 * came back into the model by id (cb_job_update_from() notifies only what changed). While
 * jobs are active it refreshes every 2 s, otherwise every 15 s; hosts are asked at most
 * every 10 s.
 *
 * Signals: "loaded" after the first refresh, with the jobs that were running when the app
 * last saw them and had ended since (the window shows how they ended).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-job"

#include "config.h"

#include "cb/cb-job-monitor.h"

#define ACTIVE_POLL_MS   2000
#define IDLE_POLL_MS     15000
#define REMOTE_PROBE_US  (10 * G_USEC_PER_SEC)

/* How often a Slurm job is asked about: often while it changes, less and less while it
 * waits or runs unchanged (squeue asks the cluster's controller, shared by everyone). */
static gint64
slurm_interval (gint64 unchanged_us)
{
  if (unchanged_us < 30 * G_USEC_PER_SEC)
    return 2 * G_USEC_PER_SEC;
  if (unchanged_us < 5 * 60 * G_USEC_PER_SEC)
    return 5 * G_USEC_PER_SEC;
  if (unchanged_us < 30 * 60 * G_USEC_PER_SEC)
    return 15 * G_USEC_PER_SEC;
  return 30 * G_USEC_PER_SEC;
}

/* When a Slurm job was last asked about, and when what it said last changed. */
typedef struct
{
  gint64  probed;
  gint64  changed;
  char   *said;
} SlurmTimes;

static void
slurm_times_free (SlurmTimes *times)
{
  g_free (times->said);
  g_free (times);
}

struct _CbJobMonitor
{
  GObject       parent_instance;

  char         *project_root;
  CbRunHistory *history;
  GListStore   *jobs;
  GCancellable *cancellable;
  guint         poll_source;
  gint64        last_remote_probe;
  gboolean      refreshing;
  gboolean      loaded;
  GHashTable   *slurm_times;  /* id → SlurmTimes */
};

enum {
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CbJobMonitor, cb_job_monitor, G_TYPE_OBJECT)

static void schedule (CbJobMonitor *self);

static void
cb_job_monitor_dispose (GObject *object)
{
  CbJobMonitor *self = CB_JOB_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_object (&self->jobs);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (cb_job_monitor_parent_class)->dispose (object);
}

static void
cb_job_monitor_finalize (GObject *object)
{
  CbJobMonitor *self = CB_JOB_MONITOR (object);

  g_free (self->project_root);
  g_hash_table_unref (self->slurm_times);

  G_OBJECT_CLASS (cb_job_monitor_parent_class)->finalize (object);
}

static void
cb_job_monitor_class_init (CbJobMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cb_job_monitor_dispose;
  object_class->finalize = cb_job_monitor_finalize;

  /**
   * CbJobMonitor::loaded:
   * @ended: (element-type CbJob): jobs that ended while no one looked
   */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
cb_job_monitor_init (CbJobMonitor *self)
{
  self->jobs = g_list_store_new (CB_TYPE_JOB);
  self->cancellable = g_cancellable_new ();
  self->slurm_times = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) slurm_times_free);
}

/**
 * cb_job_monitor_new:
 * @history: (nullable): gets the end of jobs found ended
 *
 * Returns: a monitor that has not looked yet: call cb_job_monitor_refresh()
 */
CbJobMonitor *
cb_job_monitor_new (const char   *project_root,
                    CbRunHistory *history)
{
  CbJobMonitor *self = g_object_new (CB_TYPE_JOB_MONITOR, NULL);

  self->project_root = g_strdup (project_root);
  self->history = history != NULL ? g_object_ref (history) : NULL;
  return self;
}

GListModel *
cb_job_monitor_get_model (CbJobMonitor *self)
{
  return G_LIST_MODEL (self->jobs);
}

gboolean
cb_job_monitor_get_loaded (CbJobMonitor *self)
{
  return self->loaded;
}

CbJob *
cb_job_monitor_find (CbJobMonitor *self,
                     const char   *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));

  for (guint i = 0; i < n; i++)
    {
      CbJob *job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      g_object_unref (job);  /* the store holds it */
      if (g_str_equal (cb_job_get_id (job), id))
        return job;
    }
  return NULL;
}

guint
cb_job_monitor_get_n_active (CbJobMonitor *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  guint active = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      active += cb_job_is_active (job);
    }
  return active;
}

/**
 * cb_job_monitor_add:
 *
 * A job this app started: listed at once, newest first. The same object is kept (the
 * terminal pane that runs it changes it).
 */
void
cb_job_monitor_add (CbJobMonitor *self,
                    CbJob        *job)
{
  if (cb_job_monitor_find (self, cb_job_get_id (job)) != NULL)
    return;
  g_list_store_insert (self->jobs, 0, job);
  schedule (self);
}

/* How far along a job is: a state never goes back (a file read before the last change
 * does not undo it). Running and lost come and go. */
static int
state_rank (CbJobState state)
{
  switch (state)
    {
    case CB_JOB_STARTING: return 0;
    case CB_JOB_RUNNING:
    case CB_JOB_LOST: return 1;
    case CB_JOB_STOPPING: return 2;
    case CB_JOB_FINISHED: default: return 3;
    }
}

/**
 * cb_job_monitor_merge:
 * @found: (element-type CbJob): the jobs as a refresh found them, newest first
 *
 * Brings the model to @found: a known job takes the new state (notified only when it
 * changed); new ones are added; jobs whose files went are removed. The UI thread's whole
 * share of a refresh.
 */
void
cb_job_monitor_merge (CbJobMonitor *self,
                      GPtrArray    *found)
{
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  gboolean order_changed = FALSE;

  for (guint i = 0; i < n; i++)
    {
      CbJob *job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      g_hash_table_insert (known, (gpointer) cb_job_get_id (job), job);
      g_object_unref (job);
    }

  for (guint i = 0; i < found->len; i++)
    {
      CbJob *newer = g_ptr_array_index (found, i);
      CbJob *job = g_hash_table_lookup (known, cb_job_get_id (newer));

      g_hash_table_add (seen, (gpointer) cb_job_get_id (newer));
      if (job != NULL)
        {
          /* A job a pane runs is changed by that pane first: a file that says less (an
           * earlier state, written by the worker before the pane's) does not win. */
          if (state_rank (cb_job_get_state (newer)) >= state_rank (cb_job_get_state (job)) &&
              !(cb_job_get_pgid (job) > 0 && cb_job_get_pgid (newer) == 0) &&
              !(cb_job_get_stopped (job) && !cb_job_get_stopped (newer)))
            cb_job_update_from (job, newer);
        }
      else
        order_changed = TRUE;
    }

  /* Removals and additions are rare: rebuild the order then, in one splice. */
  for (guint i = 0; i < n && !order_changed; i++)
    {
      g_autoptr(CbJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (!g_hash_table_contains (seen, cb_job_get_id (job)) && !cb_job_is_active (job))
        order_changed = TRUE;
    }
  if (order_changed)
    {
      /* Held here: the splice drops the removed items before it takes the new ones. */
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < found->len; i++)
        {
          CbJob *newer = g_ptr_array_index (found, i);
          CbJob *job = g_hash_table_lookup (known, cb_job_get_id (newer));

          g_ptr_array_add (items, g_object_ref (job != NULL ? job : newer));
        }
      /* Jobs started here whose files are not written yet stay. */
      for (guint i = 0; i < n; i++)
        {
          CbJob *job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

          if (!g_hash_table_contains (seen, cb_job_get_id (job)) && cb_job_is_active (job))
            g_ptr_array_insert (items, 0, g_object_ref (job));
          g_object_unref (job);
        }
      g_list_store_splice (self->jobs, 0, n, items->pdata, items->len);
    }
}

typedef struct
{
  char         *project_root;
  CbRunHistory *history;
  gboolean      probe_remote;
  gboolean      forget;
  GPtrArray    *found;
  GPtrArray    *ended;
  GHashTable   *slurm_due;     /* id → when it is asked about again (monotonic, gint64*) */
  GHashTable   *slurm_said;    /* id → what it said when asked now */
} RefreshData;

static void
refresh_data_free (RefreshData *data)
{
  g_free (data->project_root);
  g_clear_object (&data->history);
  g_clear_pointer (&data->found, g_ptr_array_unref);
  g_clear_pointer (&data->ended, g_ptr_array_unref);
  g_clear_pointer (&data->slurm_due, g_hash_table_unref);
  g_clear_pointer (&data->slurm_said, g_hash_table_unref);
  g_free (data);
}

static void
refresh_worker (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RefreshData *data = task_data;

  if (data->forget)
    cb_job_forget_old (data->project_root, CB_JOB_KEEP);
  data->found = cb_job_list (data->project_root, NULL);
  data->ended = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < data->found->len; i++)
    {
      CbJob *job = g_ptr_array_index (data->found, i);

      gint64 *due = g_hash_table_lookup (data->slurm_due, cb_job_get_id (job));

      if (!cb_job_is_active (job))
        continue;
      if (cb_job_is_slurm (job) ? (due != NULL && g_get_monotonic_time () < *due)
                                : (!cb_job_is_local (job) && !data->probe_remote))
        continue;
      if (g_cancellable_is_cancelled (cancellable))
        break;
      /* The history is changed on the UI thread (it is a model the UI shows). */
      cb_job_probe (job, NULL, NULL);
      if (cb_job_is_slurm (job))
        {
          g_autofree char *said = cb_job_dup_slurm_summary (job);

          g_hash_table_insert (data->slurm_said, g_strdup (cb_job_get_id (job)),
                               g_strdup_printf ("%d %s", cb_job_get_state (job),
                                                said != NULL ? said : ""));
        }
      if (!cb_job_is_active (job))
        g_ptr_array_add (data->ended, g_object_ref (job));
    }
  g_task_return_boolean (task, TRUE);
}

static void
take_slurm_times (CbJobMonitor *self,
                  GHashTable   *said)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, said);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SlurmTimes *times = g_hash_table_lookup (self->slurm_times, key);

      if (times == NULL)
        {
          times = g_new0 (SlurmTimes, 1);
          times->changed = now;
          g_hash_table_insert (self->slurm_times, g_strdup (key), times);
        }
      times->probed = now;
      if (g_strcmp0 (times->said, value) != 0)
        {
          g_free (times->said);
          times->said = g_strdup (value);
          times->changed = now;
        }
    }
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RefreshData *data = g_task_get_task_data (G_TASK (result));
  CbJobMonitor *self;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || g_cancellable_is_cancelled (
        g_task_get_cancellable (G_TASK (result))))
    return;
  self = CB_JOB_MONITOR (source);
  self->refreshing = FALSE;
  take_slurm_times (self, data->slurm_said);
  cb_job_monitor_merge (self, data->found);
  for (guint i = 0; i < data->ended->len; i++)
    cb_job_record_end (g_ptr_array_index (data->ended, i), self->history);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_signal_emit (self, signals[LOADED], 0, data->ended);
    }
  schedule (self);
}

/**
 * cb_job_monitor_refresh:
 *
 * Looks again, in a worker, now (unless a look is under way).
 */
void
cb_job_monitor_refresh (CbJobMonitor *self)
{
  g_autoptr(GTask) task = NULL;
  RefreshData *data;
  gint64 now = g_get_monotonic_time ();

  if (self->refreshing)
    return;
  self->refreshing = TRUE;
  g_clear_handle_id (&self->poll_source, g_source_remove);

  data = g_new0 (RefreshData, 1);
  data->project_root = g_strdup (self->project_root);
  data->history = self->history != NULL ? g_object_ref (self->history) : NULL;
  data->probe_remote = !self->loaded || now - self->last_remote_probe >= REMOTE_PROBE_US;
  data->forget = !self->loaded;
  data->slurm_said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  data->slurm_due = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  {
    GHashTableIter iter;
    gpointer key;
    gpointer value;

    g_hash_table_iter_init (&iter, self->slurm_times);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        SlurmTimes *times = value;

        g_hash_table_insert (data->slurm_due, g_strdup (key),
                             g_memdup2 (&(gint64) { times->probed +
                                                    slurm_interval (now - times->changed) },
                                        sizeof (gint64)));
      }
  }
  if (data->probe_remote)
    self->last_remote_probe = now;
  task = g_task_new (self, self->cancellable, refreshed_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);
  g_task_run_in_thread (task, refresh_worker);
}

static gboolean
poll_cb (gpointer user_data)
{
  CbJobMonitor *self = CB_JOB_MONITOR (user_data);

  self->poll_source = 0;
  cb_job_monitor_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (CbJobMonitor *self)
{
  if (self->refreshing || self->cancellable == NULL)
    return;
  g_clear_handle_id (&self->poll_source, g_source_remove);
  self->poll_source = g_timeout_add (cb_job_monitor_get_n_active (self) > 0 ? ACTIVE_POLL_MS
                                                                             : IDLE_POLL_MS,
                                     poll_cb, self);
}
