/* cb-run-list.c: the run folders under outputs/ found, matched with the app's run history,
 * and written out for `runs`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-run.h"
#include "cb-run-private.h"

#include "cb/cb-json-write.h"

#include <glib/gi18n-lib.h>
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

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
