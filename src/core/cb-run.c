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
#include "cb-run-private.h"

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

