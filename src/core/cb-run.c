/* cb-run.c: one run folder under outputs/, as the Runs view and `runs` show it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run folder is a folder that holds Hydra's `.hydra/`. What a run says about itself comes
 * from there (its page from hydra.yaml's job name, its overrides, its model from the
 * composed config), from its checkpoints (their names carry the monitored metric) and from
 * its metrics files. Whether it is running, or how it ended, is known only for runs this app
 * started: their history record is matched to the folder by page, overrides and time.
 */

#include "config.h"

#include "cb/cb-run.h"

#include "cb/cb-file-read.h"
#include "cb/cb-json-write.h"
#include "cb/cb-metrics.h"
#include "cb/cb-run-overrides.h"

#include <glib/gi18n-lib.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A metrics file is read for a run's best value only when it is this small; a bigger one
 * is read when the run is opened. */
#define BEST_FROM_METRICS_MAX_SIZE (8 * 1024 * 1024)

struct _CbRun
{
  GObject       parent_instance;

  char         *path;
  char         *name;            /* the folder below outputs/ */
  char         *page;            /* NULL when the run does not say */
  CbRunInfo    *info;            /* never NULL */
  char        **overrides;       /* never NULL */
  gint64        time;            /* when it started: its .hydra record's mtime */
  GListStore   *checkpoints;     /* CbCheckpoint, newest first */
  CbCheckpoint *best;
  CbCheckpoint *last;
  char        **metrics_files;   /* never NULL */
  char         *best_metric;     /* NULL when none is known */
  double        best_value;
  CbRunRecord  *record;
};

G_DEFINE_FINAL_TYPE (CbRun, cb_run, G_TYPE_OBJECT)

static void
cb_run_finalize (GObject *object)
{
  CbRun *self = CB_RUN (object);

  g_free (self->path);
  g_free (self->name);
  g_free (self->page);
  cb_run_info_free (self->info);
  g_strfreev (self->overrides);
  g_clear_object (&self->checkpoints);
  g_clear_object (&self->best);
  g_clear_object (&self->last);
  g_strfreev (self->metrics_files);
  g_free (self->best_metric);
  g_clear_object (&self->record);

  G_OBJECT_CLASS (cb_run_parent_class)->finalize (object);
}

static void
cb_run_class_init (CbRunClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_run_finalize;
}

static void
cb_run_init (CbRun *self)
{
  self->best_value = NAN;
}

static char *
relative_to (const char *path,
             const char *root)
{
  gsize n;

  if (root == NULL)
    return g_strdup (path);
  n = strlen (root);
  while (n > 1 && root[n - 1] == '/')
    n--;
  if (strncmp (path, root, n) == 0 && path[n] == '/')
    return g_strdup (path + n + 1);
  return g_strdup (path);
}

static int
compare_checkpoints (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  CbCheckpoint *ca = (CbCheckpoint *) a;
  CbCheckpoint *cb = (CbCheckpoint *) b;
  gint64 ma = cb_checkpoint_get_mtime (ca);
  gint64 mb = cb_checkpoint_get_mtime (cb);

  if (ma != mb)
    return ma > mb ? -1 : 1;
  return g_strcmp0 (cb_checkpoint_get_basename (ca), cb_checkpoint_get_basename (cb));
}

static void
read_checkpoints (CbRun      *self,
                  const char *project_root)
{
  g_autofree char *dir = g_build_filename (self->path, "checkpoints", NULL);
  DIR *d = opendir (dir);
  struct dirent *entry;
  guint n = 0;

  if (d == NULL)
    return;
  while ((entry = readdir (d)) != NULL && n < 10000)
    {
      g_autofree char *path = NULL;
      g_autofree char *shown = NULL;
      g_autoptr(CbCheckpoint) item = NULL;
      struct stat st;

      n++;
      if (!g_str_has_suffix (entry->d_name, ".ckpt"))
        continue;
      path = g_build_filename (dir, entry->d_name, NULL);
      if (stat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      shown = relative_to (path, project_root);
      item = cb_checkpoint_new (shown, self->name, st.st_size, st.st_mtime, self->info);
      g_list_store_append (self->checkpoints, item);
    }
  closedir (d);
  g_list_store_sort (self->checkpoints, compare_checkpoints, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->checkpoints)); i++)
    {
      g_autoptr(CbCheckpoint) item = g_list_model_get_item (G_LIST_MODEL (self->checkpoints), i);
      const CbCheckpointName *name = cb_checkpoint_get_name_info (item);

      if (name->kind == CB_CHECKPOINT_KIND_LAST && self->last == NULL)
        self->last = g_object_ref (item);
      if (name->metric_name != NULL && isfinite (name->metric_value)
          && (self->best == NULL || name->metric_value > self->best_value))
        {
          /* The demo and the OCR project monitor hmean (higher is better); a loss in a
           * name would need the callback's mode, which the name does not carry. */
          if (g_str_has_suffix (name->metric_name, "loss"))
            continue;
          g_set_object (&self->best, item);
          g_free (self->best_metric);
          self->best_metric = g_strdup (name->metric_name);
          self->best_value = name->metric_value;
        }
    }
  /* Without a metric in any name, the newest checkpoint stands in for the last. */
  if (self->last == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->checkpoints)) > 0)
    self->last = g_list_model_get_item (G_LIST_MODEL (self->checkpoints), 0);
}

static void
best_from_metrics (CbRun *self)
{
  static const char * const candidates[] = { "val/hmean", "val_hmean", "hmean", NULL };
  gsize total = 0;

  for (guint i = 0; self->metrics_files[i] != NULL; i++)
    {
      struct stat st;

      if (stat (self->metrics_files[i], &st) != 0)
        return;
      total += (gsize) st.st_size;
    }
  if (total == 0 || total > BEST_FROM_METRICS_MAX_SIZE)
    return;

  {
    g_autoptr(CbMetrics) metrics = cb_metrics_read_run (self->path, NULL);

    for (guint i = 0; candidates[i] != NULL; i++)
      {
        CbMetricPoint best;

        if (cb_metrics_get_best (metrics, candidates[i], TRUE, &best))
          {
            const char *slash = strrchr (candidates[i], '/');

            self->best_metric = g_strdup (slash != NULL ? slash + 1 : candidates[i]);
            self->best_value = best.value;
            return;
          }
      }
  }
}

/**
 * cb_run_read:
 * @run_dir: a folder holding `.hydra/`
 * @outputs_dir: (nullable): the outputs folder, for the run's name
 * @project_root: (nullable): checkpoint paths are given relative to it, as the forms take them
 *
 * Reads what the run folder says about itself. Blocks: run it in a worker.
 *
 * Returns: (transfer full): the run
 */
CbRun *
cb_run_read (const char *run_dir,
             const char *outputs_dir,
             const char *project_root)
{
  CbRun *self;
  g_autofree char *overrides_path = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  struct stat st;

  g_return_val_if_fail (run_dir != NULL, NULL);

  self = g_object_new (CB_TYPE_RUN, NULL);
  self->path = g_strdup (run_dir);
  self->name = relative_to (run_dir, outputs_dir);
  self->page = cb_run_read_job_name (run_dir);
  self->info = cb_run_info_read (run_dir);
  if (self->info == NULL)
    self->info = g_new0 (CbRunInfo, 1);

  overrides_path = g_build_filename (run_dir, ".hydra", "overrides.yaml", NULL);
  if (cb_file_read_regular_at (AT_FDCWD, overrides_path, NULL, CB_FILE_KIND_RUN_RECORD, &st,
                               &data, &length, NULL))
    {
      self->overrides = cb_run_overrides_parse (data, length, overrides_path, NULL);
      self->time = st.st_mtime;
    }
  if (self->overrides == NULL)
    self->overrides = g_new0 (char *, 1);
  if (self->time == 0 && stat (run_dir, &st) == 0)
    self->time = st.st_mtime;

  self->checkpoints = g_list_store_new (CB_TYPE_CHECKPOINT);
  read_checkpoints (self, project_root);
  self->metrics_files = cb_metrics_find_files (run_dir);
  if (self->best_metric == NULL)
    best_from_metrics (self);

  /* A run that does not say its page: one with checkpoints trained. */
  if (self->page == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->checkpoints)) > 0)
    self->page = g_strdup ("train");

  return self;
}

const char *
cb_run_get_path (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return self->path;
}

const char *
cb_run_get_name (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return self->name;
}

/* Its experiment name, else its folder. */
const char *
cb_run_get_title (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);

  if (self->info->exp_name != NULL && *self->info->exp_name != '\0')
    return self->info->exp_name;
  return self->name;
}

const char *
cb_run_get_page (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return self->page;
}

const CbRunInfo *
cb_run_get_info (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return self->info;
}

const char * const *
cb_run_get_overrides (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return (const char * const *) self->overrides;
}

gint64
cb_run_get_time (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), 0);
  return self->time;
}

GListModel *
cb_run_get_checkpoints (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return G_LIST_MODEL (self->checkpoints);
}

CbCheckpoint *
cb_run_get_best_checkpoint (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return self->best;
}

CbCheckpoint *
cb_run_get_last_checkpoint (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return self->last;
}

const char * const *
cb_run_get_metrics_files (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return (const char * const *) self->metrics_files;
}

const char *
cb_run_get_best_metric_name (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return self->best_metric;
}

double
cb_run_get_best_metric_value (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NAN);
  return self->best_value;
}

CbRunRecord *
cb_run_get_record (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);
  return self->record;
}

void
cb_run_set_record (CbRun       *self,
                   CbRunRecord *record)
{
  g_return_if_fail (CB_IS_RUN (self));

  g_set_object (&self->record, record);
}

/**
 * cb_run_describe_state:
 *
 * Returns: "Running", how it ended ("Finished", "Failed with exit code 1", …), or
 *   "Started elsewhere" for a run this app has no record of
 */
char *
cb_run_describe_state (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);

  if (self->record == NULL)
    return g_strdup (_("Started elsewhere"));
  /* A run whose app ended before it (killed, crashed) says so, not "Running". */
  if (cb_run_record_get_outcome (self->record) == CB_RUN_OUTCOME_RUNNING)
    return g_strdup (_("Running"));
  return cb_run_record_describe_outcome (self->record);
}

/* "hmean 0.8920", or NULL */
char *
cb_run_describe_best (CbRun *self)
{
  g_return_val_if_fail (CB_IS_RUN (self), NULL);

  if (self->best_metric == NULL || !isfinite (self->best_value))
    return NULL;
  return g_strdup_printf ("%s %.4f", self->best_metric, self->best_value);
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  return strstr (h, needle) != NULL;
}

/**
 * cb_run_matches:
 * @search: (nullable): words the run's name, experiment or model must hold, casefolded
 * @page: (nullable): its page, or %NULL for any
 * @architecture: (nullable): its architecture, or %NULL for any
 */
gboolean
cb_run_matches (CbRun      *self,
                const char *search,
                const char *page,
                const char *architecture)
{
  g_return_val_if_fail (CB_IS_RUN (self), FALSE);

  if (page != NULL && g_strcmp0 (self->page, page) != 0)
    return FALSE;
  if (architecture != NULL && g_strcmp0 (self->info->architecture, architecture) != 0)
    return FALSE;
  if (search != NULL && *search != '\0')
    {
      g_auto(GStrv) words = g_strsplit_set (search, " \t", -1);

      for (guint i = 0; words[i] != NULL; i++)
        {
          if (*words[i] == '\0')
            continue;
          if (!contains_casefold (self->name, words[i])
              && !contains_casefold (self->info->exp_name, words[i])
              && !contains_casefold (self->info->architecture, words[i])
              && !contains_casefold (self->info->encoder, words[i])
              && !contains_casefold (self->info->decoder, words[i]))
            return FALSE;
        }
    }
  return TRUE;
}

/* ---- discovery ----------------------------------------------------------------------- */

typedef struct
{
  const char   *project_root;
  const char   *outputs_dir;
  GCancellable *cancellable;
  GHashTable   *visited;   /* "dev:ino" of folders seen, against symlink loops */
  GPtrArray    *runs;
  guint         n_entries;
  guint         n_skipped;
} Walk;

static gboolean
is_directory (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

static void
walk_dir (Walk       *walk,
          const char *dir,
          guint       depth)
{
  g_autoptr(GPtrArray) subdirs = NULL;
  g_autofree char *hydra = NULL;
  struct dirent *entry;
  struct stat st;
  DIR *d;

  if (g_cancellable_is_cancelled (walk->cancellable))
    return;
  if (stat (dir, &st) != 0)
    {
      walk->n_skipped++;
      return;
    }
  {
    char *key = g_strdup_printf ("%lu:%lu", (gulong) st.st_dev, (gulong) st.st_ino);

    if (!g_hash_table_add (walk->visited, key))
      {
        walk->n_skipped++;
        return;
      }
  }

  hydra = g_build_filename (dir, ".hydra", NULL);
  if (depth > 0 && is_directory (hydra))
    {
      g_ptr_array_add (walk->runs, cb_run_read (dir, walk->outputs_dir, walk->project_root));
      return;
    }
  if (depth >= CB_RUNS_MAX_DEPTH)
    return;

  d = opendir (dir);
  if (d == NULL)
    {
      walk->n_skipped++;
      return;
    }
  subdirs = g_ptr_array_new_with_free_func (g_free);
  while ((entry = readdir (d)) != NULL)
    {
      if (++walk->n_entries > CB_RUNS_MAX_ENTRIES)
        {
          walk->n_skipped++;
          break;
        }
      if (entry->d_name[0] == '.')
        continue;
      if (entry->d_type != DT_DIR && entry->d_type != DT_LNK && entry->d_type != DT_UNKNOWN)
        continue;
      g_ptr_array_add (subdirs, g_build_filename (dir, entry->d_name, NULL));
    }
  closedir (d);

  for (guint i = 0; i < subdirs->len; i++)
    if (is_directory (g_ptr_array_index (subdirs, i)))
      walk_dir (walk, g_ptr_array_index (subdirs, i), depth + 1);
}

static int
compare_runs (gconstpointer a,
              gconstpointer b)
{
  CbRun *ra = *(CbRun * const *) a;
  CbRun *rb = *(CbRun * const *) b;

  if (ra->time != rb->time)
    return ra->time > rb->time ? -1 : 1;
  return g_strcmp0 (ra->name, rb->name);
}

/**
 * cb_runs_discover:
 * @n_skipped: (out) (optional): folders that could not be read, loops, and entries past
 *   %CB_RUNS_MAX_ENTRIES
 *
 * Finds the run folders below @outputs_dir (up to %CB_RUNS_MAX_DEPTH deep) and reads each.
 * Blocks: run it in a worker (cb_runs_discover_async()).
 *
 * Returns: (transfer container) (element-type CbRun): the runs, newest first
 */
GPtrArray *
cb_runs_discover (const char   *project_root,
                  const char   *outputs_dir,
                  GCancellable *cancellable,
                  guint        *n_skipped)
{
  Walk walk = { project_root, outputs_dir, cancellable, NULL, NULL, 0, 0 };

  g_return_val_if_fail (outputs_dir != NULL, NULL);

  walk.visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  walk.runs = g_ptr_array_new_with_free_func (g_object_unref);
  walk_dir (&walk, outputs_dir, 0);
  g_hash_table_unref (walk.visited);
  g_ptr_array_sort (walk.runs, compare_runs);
  if (n_skipped != NULL)
    *n_skipped = walk.n_skipped;
  return walk.runs;
}

typedef struct
{
  char *project_root;
  char *outputs_dir;
} DiscoverData;

static void
discover_data_free (DiscoverData *data)
{
  g_free (data->project_root);
  g_free (data->outputs_dir);
  g_free (data);
}

static void
discover_worker (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  DiscoverData *data = task_data;
  GPtrArray *runs = cb_runs_discover (data->project_root, data->outputs_dir, cancellable,
                                      NULL);

  if (g_task_return_error_if_cancelled (task))
    g_ptr_array_unref (runs);
  else
    g_task_return_pointer (task, runs, (GDestroyNotify) g_ptr_array_unref);
}

void
cb_runs_discover_async (const char          *project_root,
                        const char          *outputs_dir,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  DiscoverData *data = g_new0 (DiscoverData, 1);

  data->project_root = g_strdup (project_root);
  data->outputs_dir = g_strdup (outputs_dir);
  g_task_set_source_tag (task, cb_runs_discover_async);
  g_task_set_task_data (task, data, (GDestroyNotify) discover_data_free);
  g_task_run_in_thread (task, discover_worker);
}

GPtrArray *
cb_runs_discover_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Whether the record's command ends with exactly the run's overrides. */
static gboolean
record_has_overrides (CbRunRecord        *record,
                      const char * const *overrides)
{
  const char * const *argv = cb_run_record_get_argv (record);
  guint n_argv = argv != NULL ? g_strv_length ((char **) argv) : 0;
  guint n = g_strv_length ((char **) overrides);

  if (argv == NULL || n > n_argv)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (argv[n_argv - n + i], overrides[i]) != 0)
      return FALSE;
  /* No override at all: the word before them must be the runner itself. */
  return n > 0 || (n_argv > 0 && g_str_has_suffix (argv[n_argv - 1], ".py"));
}

/**
 * cb_runs_match_history:
 * @records: (element-type CbRunRecord): the project's run history
 *
 * Gives each run the record of the app's run that made it: same page, same overrides, and
 * started at most a few seconds before the run folder's record was written (and, when it
 * ended, not before). The newest such record wins; a folder used again keeps the newest.
 */
void
cb_runs_match_history (GPtrArray  *runs,
                       GListModel *records)
{
  guint n_records;

  g_return_if_fail (runs != NULL);
  g_return_if_fail (G_IS_LIST_MODEL (records));

  n_records = g_list_model_get_n_items (records);
  for (guint i = 0; i < runs->len; i++)
    {
      CbRun *run = g_ptr_array_index (runs, i);
      g_autoptr(CbRunRecord) match = NULL;
      gint64 match_start = G_MININT64;

      for (guint j = 0; j < n_records; j++)
        {
          g_autoptr(CbRunRecord) record = g_list_model_get_item (records, j);
          GDateTime *start = cb_run_record_get_start_time (record);
          gint64 started = start != NULL ? g_date_time_to_unix (start) : 0;
          double duration = cb_run_record_get_duration (record);

          if (run->page != NULL && g_strcmp0 (cb_run_record_get_page (record), run->page) != 0)
            continue;
          if (started > run->time + 2)
            continue;
          if (!cb_run_record_get_running (record) && duration >= 0
              && started + (gint64) MIN (duration, 1e12) + 2 < run->time)
            continue;
          if (!record_has_overrides (record, (const char * const *) run->overrides))
            continue;
          if (started > match_start)
            {
              g_set_object (&match, record);
              match_start = started;
            }
        }
      cb_run_set_record (run, match);
    }
}

static void
append_json_member (GString    *out,
                    const char *key,
                    const char *value)
{
  g_string_append (out, ", ");
  cb_json_append_string (out, key);
  g_string_append (out, ": ");
  if (value == NULL)
    g_string_append (out, "null");
  else
    cb_json_append_string (out, value);
}

static const char *
state_word (CbRun *run)
{
  if (run->record == NULL)
    return "unknown";
  switch (cb_run_record_get_outcome (run->record))
    {
    case CB_RUN_OUTCOME_SUCCESS:
      return "finished";
    case CB_RUN_OUTCOME_FAILED:
      return "failed";
    case CB_RUN_OUTCOME_SIGNALED:
      return "crashed";
    case CB_RUN_OUTCOME_NOT_STARTED:
      return "not-started";
    case CB_RUN_OUTCOME_STOPPED:
      return "stopped";
    case CB_RUN_OUTCOME_INTERRUPTED:
      return "interrupted";
    case CB_RUN_OUTCOME_RUNNING:
    default:
      return "running";
    }
}

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (time);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

/**
 * cb_runs_to_json:
 *
 * Returns: a JSON list of the runs: path, name, page, state, exit status, experiment name,
 *   model, time, best metric, checkpoints and metrics files
 */
char *
cb_runs_to_json (GPtrArray *runs)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < runs->len; i++)
    {
      CbRun *run = g_ptr_array_index (runs, i);
      g_autofree char *time = format_time (run->time);
      GListModel *checkpoints = G_LIST_MODEL (run->checkpoints);

      g_string_append (out, i > 0 ? ",\n  {" : "\n  {");
      cb_json_append_string (out, "path");
      g_string_append (out, ": ");
      cb_json_append_string (out, run->path);
      append_json_member (out, "name", run->name);
      append_json_member (out, "page", run->page);
      append_json_member (out, "state", state_word (run));
      g_string_append (out, ", \"exit_status\": ");
      if (run->record != NULL && !cb_run_record_get_running (run->record)
          && cb_run_record_get_exit_status (run->record) >= 0)
        g_string_append_printf (out, "%d", cb_run_record_get_exit_status (run->record));
      else
        g_string_append (out, "null");
      append_json_member (out, "exp_name", run->info->exp_name);
      append_json_member (out, "architecture", run->info->architecture);
      append_json_member (out, "encoder", run->info->encoder);
      append_json_member (out, "decoder", run->info->decoder);
      append_json_member (out, "time", time);
      append_json_member (out, "best_metric", run->best_metric);
      g_string_append (out, ", \"best_value\": ");
      cb_json_append_number (out, run->best_value);
      append_json_member (out, "best_checkpoint",
                          run->best != NULL ? cb_checkpoint_get_path (run->best) : NULL);
      append_json_member (out, "last_checkpoint",
                          run->last != NULL ? cb_checkpoint_get_path (run->last) : NULL);
      g_string_append_printf (out, ", \"checkpoints\": %u, \"metrics_files\": [",
                              g_list_model_get_n_items (checkpoints));
      for (guint j = 0; run->metrics_files[j] != NULL; j++)
        {
          if (j > 0)
            g_string_append (out, ", ");
          cb_json_append_string (out, run->metrics_files[j]);
        }
      g_string_append (out, "]}");
    }
  g_string_append (out, runs->len > 0 ? "\n]\n" : "]\n");
  return g_string_free (out, FALSE);
}

static void
append_cell (GString    *out,
             const char *text)
{
  if (text == NULL || *text == '\0')
    {
      g_string_append_c (out, '-');
      return;
    }
  for (const char *p = text; *p != '\0'; p++)
    g_string_append_c (out, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

/**
 * cb_runs_to_text:
 *
 * Returns: one tab-separated line per run (time, page, state, exit status, experiment
 *   name, architecture, best metric, folder) under a header; "-" for what is unknown
 */
char *
cb_runs_to_text (GPtrArray *runs)
{
  GString *out = g_string_new ("time\tpage\tstate\texit\tname\tarchitecture\tbest\tfolder\n");

  for (guint i = 0; i < runs->len; i++)
    {
      CbRun *run = g_ptr_array_index (runs, i);
      g_autofree char *time = format_time (run->time);
      g_autofree char *best = cb_run_describe_best (run);
      g_autofree char *exit_status = NULL;

      if (run->record != NULL && !cb_run_record_get_running (run->record)
          && cb_run_record_get_exit_status (run->record) >= 0)
        exit_status = g_strdup_printf ("%d", cb_run_record_get_exit_status (run->record));

      append_cell (out, time);
      g_string_append_c (out, '\t');
      append_cell (out, run->page);
      g_string_append_c (out, '\t');
      append_cell (out, state_word (run));
      g_string_append_c (out, '\t');
      append_cell (out, exit_status);
      g_string_append_c (out, '\t');
      append_cell (out, cb_run_get_title (run));
      g_string_append_c (out, '\t');
      append_cell (out, run->info->architecture);
      g_string_append_c (out, '\t');
      append_cell (out, best);
      g_string_append_c (out, '\t');
      append_cell (out, run->name);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
