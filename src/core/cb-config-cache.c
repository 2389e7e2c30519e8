/* cb-config-cache.c: one per process; loads snapshots off the UI thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The UI thread only ever reads the current snapshot (immutable, refcounted). Loads run in
 * a GTask worker thread that gets a copy of its inputs (the folder and the previous
 * snapshot, so unchanged files are not parsed again) and returns a new snapshot plus its
 * problems; the main thread then swaps it in and notifies "snapshot".
 */

#define G_LOG_DOMAIN "cb-config-cache"

#include "config.h"

#include "cb/cb-config-cache.h"
#include "cb/cb-problem.h"

struct _CbConfigCache
{
  GObject           parent_instance;
  char             *configs_dir;
  CbConfigSnapshot *snapshot;
  GPtrArray        *problems;
  GCancellable     *cancellable;
  gboolean          loaded;
};

enum {
  PROP_0,
  PROP_CONFIGS_DIR,
  PROP_SNAPSHOT,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CbConfigCache, cb_config_cache, G_TYPE_OBJECT)

typedef struct
{
  char             *configs_dir;
  CbConfigSnapshot *previous;
  CbConfigSnapshot *result;
  GPtrArray        *problems;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->configs_dir);
  g_clear_pointer (&data->previous, cb_config_snapshot_unref);
  g_clear_pointer (&data->result, cb_config_snapshot_unref);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_free (data);
}

static void
install_result (CbConfigCache *self,
                LoadData      *data)
{
  g_clear_pointer (&self->snapshot, cb_config_snapshot_unref);
  self->snapshot = g_steal_pointer (&data->result);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = g_steal_pointer (&data->problems);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAPSHOT]);
}

static void
cb_config_cache_finalize (GObject *object)
{
  CbConfigCache *self = CB_CONFIG_CACHE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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

  data->problems = cb_problem_list_new ();
  data->result = cb_config_snapshot_reload (data->configs_dir, data->previous, data->problems);
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

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      install_result (self, data);
      g_task_return_boolean (outer, TRUE);
    }
  else
    g_task_return_error (outer, g_steal_pointer (&error));

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
  data->configs_dir = g_strdup (self->configs_dir);
  data->previous = self->loaded ? cb_config_snapshot_ref (self->snapshot) : NULL;

  task = g_task_new (self, cancellable, load_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, load_worker);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_worker);
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
