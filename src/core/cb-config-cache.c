/* cb-config-cache.c: one per process; loads snapshots off the UI thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The UI thread only ever reads the current snapshot (immutable, refcounted). Loads run in
 * a GTask worker thread that gets a copy of its inputs (the folder and the previous
 * snapshot, so unchanged files are not parsed again) and returns a new snapshot plus its
 * problems; the main thread then swaps it in and notifies "snapshot".
 *
 * The main thread can also take a finished load's result before the task's callback runs
 * (cb_config_cache_install_finished): a window built at start-up gets the snapshot the
 * worker made while GTK initialised, instead of getting it with the callback, which would
 * land between the window's map and its first frame and make it lay out its rows again.
 */

#define G_LOG_DOMAIN "cb-config-cache"

#include "config.h"

#include "cb/cb-config-cache.h"
#include "cb/cb-compose.h"
#include "cb-done-latch.h"
#include "cb/cb-problem.h"

struct _CbConfigCache
{
  GObject           parent_instance;
  char             *configs_dir;
  CbConfigSnapshot *snapshot;
  GPtrArray        *problems;
  GCancellable     *cancellable;   /* the running reload, replaced by a newer one */
  struct _LoadData *latest;        /* the load started last, until it is installed */
  GHashTable       *monitors;      /* folder -> GFileMonitor */
  guint             reload_id;
  guint             n_loads;
  GThread          *last_loader_thread;
  gboolean          loaded;
  gboolean          watch;
};

/* The folders whose files make up a snapshot. */
static const char * const watched_folders[] = {
  "",
  "model",
  "model/architectures",
  "model/optimizers",
  "ui_meta",
  "ui_meta/architectures",
  "ui_meta/optimizers",
  "preset",
  "preset/models",
  "preset/models/encoder",
  "preset/models/decoder",
  "preset/models/head",
  "preset/models/loss",
  "data",
};

/* Long enough to coalesce an editor's write-rename-chmod burst or a git checkout. */
#define RELOAD_DELAY_MS 150

static void arm_monitors (CbConfigCache *self);

enum {
  PROP_0,
  PROP_CONFIGS_DIR,
  PROP_SNAPSHOT,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CbConfigCache, cb_config_cache, G_TYPE_OBJECT)

/* Shared by the task and, for the load started last, the cache. The worker sets result,
 * problems and loader_thread, then opens the latch; the main thread takes them once it has
 * seen the latch open. */
typedef struct _LoadData
{
  gatomicrefcount   ref_count;
  CbDoneLatch       done;         /* the worker has finished */
  char             *configs_dir;
  GCancellable     *cancellable;
  CbConfigSnapshot *previous;
  CbConfigSnapshot *result;
  GPtrArray        *problems;
  GThread          *loader_thread;
  gboolean          installed;    /* the main thread took the result (main thread only) */
} LoadData;

static LoadData *
load_data_ref (LoadData *data)
{
  g_atomic_ref_count_inc (&data->ref_count);
  return data;
}

static void
load_data_unref (LoadData *data)
{
  if (!g_atomic_ref_count_dec (&data->ref_count))
    return;

  g_free (data->configs_dir);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->previous, cb_config_snapshot_unref);
  g_clear_pointer (&data->result, cb_config_snapshot_unref);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  cb_done_latch_clear (&data->done);
  g_free (data);
}

static void
install_result (CbConfigCache *self,
                LoadData      *data)
{
  if (data == self->latest)
    g_clear_pointer (&self->latest, load_data_unref);

  g_clear_pointer (&self->snapshot, cb_config_snapshot_unref);
  self->snapshot = g_steal_pointer (&data->result);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = g_steal_pointer (&data->problems);

  self->n_loads++;

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAPSHOT]);

  if (self->watch)
    arm_monitors (self);
}

static void
reload_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cb_config_cache_load_finish (CB_CONFIG_CACHE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Reloading the configs failed: %s", error->message);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  CbConfigCache *self = user_data;

  self->reload_id = 0;

  /* Cancel and replace: only the newest reload installs its snapshot. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  cb_config_cache_load_async (self, self->cancellable, reload_done_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
monitor_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  CbConfigCache *self = user_data;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
      g_clear_handle_id (&self->reload_id, g_source_remove);
      self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
      break;

    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }
}

/* Watches every folder that exists now; folders that appear later are picked up after the
 * reload their creation triggers (their parent is watched). */
#define MAX_WATCHED_GROUPS 512

static void
arm_monitors (CbConfigCache *self)
{
  CbComposer *composer = self->snapshot ? cb_config_snapshot_get_composer (self->snapshot) : NULL;
  g_auto(GStrv) groups = composer ? cb_composer_list_groups (composer) : NULL;
  g_autoptr(GPtrArray) folders = g_ptr_array_new ();

  /* The folders the lists are read from, and every group the composer read (a command
   * composes from the whole tree), up to a bound. */
  for (guint i = 0; i < G_N_ELEMENTS (watched_folders); i++)
    g_ptr_array_add (folders, (gpointer) watched_folders[i]);
  for (guint i = 0; groups != NULL && groups[i] != NULL && i < MAX_WATCHED_GROUPS; i++)
    g_ptr_array_add (folders, groups[i]);

  for (guint i = 0; i < folders->len; i++)
    {
      g_autofree char *path = g_build_filename (self->configs_dir,
                                                (char *) g_ptr_array_index (folders, i), NULL);
      g_autoptr(GFile) file = NULL;
      GFileMonitor *monitor;

      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_hash_table_remove (self->monitors, path);
          continue;
        }
      if (g_hash_table_contains (self->monitors, path))
        continue;

      file = g_file_new_for_path (path);
      monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
      if (monitor == NULL)
        continue;
      g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed_cb), self, 0);
      g_hash_table_insert (self->monitors, g_steal_pointer (&path), monitor);
    }

  /* The configs folder itself may not exist yet: watch its parent for it. */
  if (!g_file_test (self->configs_dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *parent = g_path_get_dirname (self->configs_dir);

      if (!g_hash_table_contains (self->monitors, parent))
        {
          g_autoptr(GFile) file = g_file_new_for_path (parent);
          GFileMonitor *monitor = g_file_monitor_directory (file, G_FILE_MONITOR_NONE, NULL, NULL);

          if (monitor != NULL)
            {
              g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed_cb), self, 0);
              g_hash_table_insert (self->monitors, g_steal_pointer (&parent), monitor);
            }
        }
    }
}

/**
 * cb_config_cache_watch:
 *
 * Follows changes: file monitors on the folders a snapshot is made of trigger a debounced
 * reload in a worker thread; only files that changed are parsed again.
 */
void
cb_config_cache_watch (CbConfigCache *self)
{
  g_return_if_fail (CB_IS_CONFIG_CACHE (self));

  if (self->watch)
    return;
  self->watch = TRUE;
  if (self->loaded)
    arm_monitors (self);
}

/* For tests: the thread the last installed snapshot was read on. */
gpointer
cb_config_cache_get_last_loader_thread (CbConfigCache *self)
{
  g_return_val_if_fail (CB_IS_CONFIG_CACHE (self), NULL);
  return self->last_loader_thread;
}

guint
cb_config_cache_get_n_loads (CbConfigCache *self)
{
  g_return_val_if_fail (CB_IS_CONFIG_CACHE (self), 0);
  return self->n_loads;
}

static void
cb_config_cache_finalize (GObject *object)
{
  CbConfigCache *self = CB_CONFIG_CACHE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->latest, load_data_unref);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_pointer (&self->monitors, g_hash_table_unref);
  g_clear_pointer (&self->configs_dir, g_free);
  g_clear_pointer (&self->snapshot, cb_config_snapshot_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (cb_config_cache_parent_class)->finalize (object);
}

static void
cb_config_cache_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CbConfigCache *self = CB_CONFIG_CACHE (object);

  switch (prop_id)
    {
    case PROP_CONFIGS_DIR:
      g_value_set_string (value, self->configs_dir);
      break;

    case PROP_SNAPSHOT:
      g_value_set_pointer (value, self->snapshot);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_config_cache_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CbConfigCache *self = CB_CONFIG_CACHE (object);

  switch (prop_id)
    {
    case PROP_CONFIGS_DIR:
      self->configs_dir = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_config_cache_class_init (CbConfigCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_config_cache_finalize;
  object_class->get_property = cb_config_cache_get_property;
  object_class->set_property = cb_config_cache_set_property;

  properties[PROP_CONFIGS_DIR] =
    g_param_spec_string ("configs-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SNAPSHOT] =
    g_param_spec_pointer ("snapshot", NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_config_cache_init (CbConfigCache *self)
{
  self->snapshot = cb_config_snapshot_new_empty ();
  self->problems = cb_problem_list_new ();
  self->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

CbConfigCache *
cb_config_cache_new (const char *configs_dir)
{
  g_return_val_if_fail (configs_dir != NULL, NULL);

  return g_object_new (CB_TYPE_CONFIG_CACHE, "configs-dir", configs_dir, NULL);
}

const char *
cb_config_cache_get_configs_dir (CbConfigCache *self)
{
  g_return_val_if_fail (CB_IS_CONFIG_CACHE (self), NULL);
  return self->configs_dir;
}

CbConfigSnapshot *
cb_config_cache_get_snapshot (CbConfigCache *self)
{
  g_return_val_if_fail (CB_IS_CONFIG_CACHE (self), NULL);
  return self->snapshot;
}

gboolean
cb_config_cache_get_loaded (CbConfigCache *self)
{
  g_return_val_if_fail (CB_IS_CONFIG_CACHE (self), FALSE);
  return self->loaded;
}

GPtrArray *
cb_config_cache_get_problems (CbConfigCache *self)
{
  g_return_val_if_fail (CB_IS_CONFIG_CACHE (self), NULL);
  return self->problems;
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(CbConfigSnapshot) result = NULL;

  if (!g_cancellable_is_cancelled (cancellable))
    {
      problems = cb_problem_list_new ();
      result = cb_config_snapshot_reload (data->configs_dir, data->previous, problems);
    }

  data->loader_thread = g_thread_self ();
  data->problems = g_steal_pointer (&problems);
  data->result = g_steal_pointer (&result);
  cb_done_latch_open (&data->done);

  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_boolean (task, TRUE);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbConfigCache *self = CB_CONFIG_CACHE (object);
  GTask *outer = user_data;
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (outer)))
    {
      /* Unless cb_config_cache_install_finished() took it already. */
      if (!data->installed)
        {
          data->installed = TRUE;
          self->last_loader_thread = data->loader_thread;
          install_result (self, data);
        }
      g_task_return_boolean (outer, TRUE);
    }
  else if (error != NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");

  g_object_unref (outer);
}

void
cb_config_cache_load_async (CbConfigCache       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (CB_IS_CONFIG_CACHE (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cb_config_cache_load_async);

  data = g_new0 (LoadData, 1);
  g_atomic_ref_count_init (&data->ref_count);
  cb_done_latch_init (&data->done);
  data->configs_dir = g_strdup (self->configs_dir);
  data->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  data->previous = self->loaded ? cb_config_snapshot_ref (self->snapshot) : NULL;

  g_clear_pointer (&self->latest, load_data_unref);
  self->latest = load_data_ref (data);

  task = g_task_new (self, cancellable, load_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, load_worker);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_unref);
  g_task_run_in_thread (task, load_worker);
}

/**
 * cb_config_cache_install_finished:
 * @wait_us: how long to wait for a load still running in its worker, in µs (0: not at all)
 *
 * Installs the result of the load started last if its worker has finished (waiting at most
 * @wait_us for it), now, without waiting for the task's callback to reach the main
 * context; the callback then finds nothing left to do, and notifies nothing. For a window
 * built at start-up, so that it is built with its option lists rather than measured and
 * painted again when they arrive. Main thread only.
 *
 * Returns: whether the cache is loaded now
 */
gboolean
cb_config_cache_install_finished (CbConfigCache *self,
                                  gint64         wait_us)
{
  LoadData *data;

  g_return_val_if_fail (CB_IS_CONFIG_CACHE (self), FALSE);

  data = self->latest;
  if (data == NULL || data->installed)
    return self->loaded;

  /* After done the worker no longer touches data: no lock needed to take its result. */
  if (cb_done_latch_wait (&data->done, wait_us) && data->result != NULL &&
      (data->cancellable == NULL || !g_cancellable_is_cancelled (data->cancellable)))
    {
      load_data_ref (data);
      data->installed = TRUE;
      self->last_loader_thread = data->loader_thread;
      install_result (self, data);
      load_data_unref (data);
    }

  return self->loaded;
}

gboolean
cb_config_cache_load_finish (CbConfigCache  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (CB_IS_CONFIG_CACHE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cb_config_cache_load_sync (CbConfigCache *self)
{
  LoadData data = { 0 };

  g_return_if_fail (CB_IS_CONFIG_CACHE (self));

  data.problems = cb_problem_list_new ();
  data.result = cb_config_snapshot_reload (self->configs_dir,
                                           self->loaded ? self->snapshot : NULL, data.problems);
  install_result (self, &data);
}
