/* cb-runs-view-reading.c: the Runs window reading the shown runs' metrics as they grow
 *
 * Each run's metrics files are read in a worker, a file at a time from where the last read
 * stopped (cb_metrics_reader_read()), and what was appended is merged on the UI thread in one
 * step. While runs are shown they are read again every second (the first read waits for the
 * selection to be painted); a run whose checkpoints/ changed is read again for its marks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-runs-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sys/stat.h>

#include "cb-runs-view-private.h"
#include "cb/cb-metrics.h"
#include "cb/cb-run-history.h"

#define DEFAULT_POLL_MS 1000

typedef struct
{
  CbRunCurves base;
  GPtrArray  *paths;   /* char *, the file of each segment */
} Curves;

void
_cb_runs_view_curves_free (gpointer data)
{
  Curves *curves = data;

  g_clear_object (&curves->base.run);
  g_clear_pointer (&curves->base.readers, g_ptr_array_unref);
  g_clear_pointer (&curves->base.segments, g_ptr_array_unref);
  g_clear_pointer (&curves->paths, g_ptr_array_unref);
  g_free (curves->base.error);
  g_free (curves);
}

static gint64
checkpoints_mtime (const char *run_dir)
{
  g_autofree char *dir = g_build_filename (run_dir, "checkpoints", NULL);
  struct stat st;

  if (stat (dir, &st) != 0)
    return 0;
  return (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
}

/* ---- reading --------------------------------------------------------------------------- */

typedef struct
{
  char       *run_dir;
  char       *project_root;
  char       *outputs_dir;
  GPtrArray  *readers;      /* in: the run's readers; out: one per file, in order */
  GPtrArray  *deltas;       /* out: CbMetrics per file */
  GArray     *restarted;    /* out: gboolean per file */
  char       *error;        /* out: the first file that could not be read */
  gint64      ckpt_mtime;   /* in and out */
  CbRun      *run;          /* out: the run read again, when its checkpoints changed */
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  g_free (job->run_dir);
  g_free (job->project_root);
  g_free (job->outputs_dir);
  g_clear_pointer (&job->readers, g_ptr_array_unref);
  g_clear_pointer (&job->deltas, g_ptr_array_unref);
  g_clear_pointer (&job->restarted, g_array_unref);
  g_free (job->error);
  g_clear_object (&job->run);
  g_free (job);
}

static void
read_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadJob *job = task_data;
  g_auto(GStrv) files = cb_metrics_find_files (job->run_dir);
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_metrics_reader_free);
  gint64 mtime;

  job->deltas = g_ptr_array_new_with_free_func (g_object_unref);
  job->restarted = g_array_new (FALSE, TRUE, sizeof (gboolean));

  for (guint i = 0; files[i] != NULL; i++)
    {
      CbMetricsReader *reader = NULL;
      g_autoptr(GError) error = NULL;
      gboolean restarted = FALSE;
      CbMetrics *delta;

      for (guint j = 0; j < job->readers->len && reader == NULL; j++)
        if (g_str_equal (cb_metrics_reader_get_path (g_ptr_array_index (job->readers, j)),
                         files[i]))
          reader = g_ptr_array_steal_index (job->readers, j);
      if (reader == NULL)
        reader = cb_metrics_reader_new (files[i]);

      delta = cb_metrics_reader_read (reader, FALSE, &restarted, &error);
      if (delta == NULL)
        {
          if (job->error == NULL)
            job->error = g_strdup (error->message);
          delta = cb_metrics_new ();
        }
      g_ptr_array_add (readers, reader);
      g_ptr_array_add (job->deltas, delta);
      g_array_append_val (job->restarted, restarted);
    }
  g_ptr_array_unref (job->readers);
  job->readers = g_steal_pointer (&readers);

  mtime = checkpoints_mtime (job->run_dir);
  if (mtime != job->ckpt_mtime)
    {
      job->ckpt_mtime = mtime;
      job->run = cb_run_read (job->run_dir, job->outputs_dir, job->project_root);
    }
  g_task_return_boolean (task, TRUE);
}

static void read_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
start_read (CbRunsView *self,
            Curves     *curves)
{
  g_autoptr(GTask) task = NULL;
  ReadJob *job;

  if (curves->base.busy)
    return;
  curves->base.busy = TRUE;

  job = g_new0 (ReadJob, 1);
  job->run_dir = g_strdup (cb_run_get_path (curves->base.run));
  job->project_root = g_strdup (self->project_root);
  job->outputs_dir = g_strdup (self->outputs_dir);
  job->readers = g_steal_pointer (&curves->base.readers);
  job->ckpt_mtime = curves->base.ckpt_mtime;

  task = g_task_new (self, self->cancellable, read_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  g_task_run_in_thread (task, read_worker);
}

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbRunsView *self = CB_RUNS_VIEW (source);
  ReadJob *job = g_task_get_task_data (G_TASK (result));
  gboolean changed = FALSE;
  Curves *curves;

  if (g_cancellable_is_cancelled (self->cancellable) || self->curves == NULL)
    return;
  curves = g_hash_table_lookup (self->curves, job->run_dir);
  if (curves == NULL)
    return;

  {
    g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < job->readers->len; i++)
      {
        const char *path = cb_metrics_reader_get_path (g_ptr_array_index (job->readers, i));
        CbMetrics *delta = g_ptr_array_index (job->deltas, i);
        CbMetrics *old = NULL;

        for (guint j = 0; j < curves->paths->len && old == NULL; j++)
          if (g_str_equal (g_ptr_array_index (curves->paths, j), path))
            old = g_ptr_array_index (curves->base.segments, j);

        if (old != NULL && !g_array_index (job->restarted, gboolean, i))
          {
            if (cb_metrics_get_n_rows (delta) > 0
                || cb_metrics_get_n_series (delta) > cb_metrics_get_n_series (old))
              {
                cb_metrics_append (old, delta);
                changed = TRUE;
              }
            g_ptr_array_add (segments, g_object_ref (old));
          }
        else
          {
            g_ptr_array_add (segments, g_object_ref (delta));
            changed = TRUE;
          }
        g_ptr_array_add (paths, g_strdup (path));
      }
    if (paths->len != curves->paths->len)
      changed = TRUE;

    /* In place: the plots hold this array. */
    g_ptr_array_set_size (curves->base.segments, 0);
    for (guint i = 0; i < segments->len; i++)
      g_ptr_array_add (curves->base.segments, g_object_ref (g_ptr_array_index (segments, i)));
    g_ptr_array_unref (curves->paths);
    curves->paths = g_steal_pointer (&paths);
  }

  curves->base.readers = g_steal_pointer (&job->readers);
  if (g_strcmp0 (curves->base.error, job->error) != 0)
    {
      g_free (curves->base.error);
      curves->base.error = g_strdup (job->error);
      changed = TRUE;
    }
  curves->base.ckpt_mtime = job->ckpt_mtime;
  if (job->run != NULL)
    {
      if (self->records != NULL)
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, job->run);
          cb_runs_match_history (one, self->records);
        }
      g_set_object (&curves->base.run, job->run);
      if (self->shown->len == 1
          && g_str_equal (cb_run_get_path (g_ptr_array_index (self->shown, 0)), job->run_dir))
        _cb_runs_view_fill_checkpoints (self, curves->base.run);
      changed = TRUE;
    }
  if (!curves->base.loaded)
    changed = TRUE;
  curves->base.loaded = TRUE;
  curves->base.busy = FALSE;
  if (changed)
    {
      curves->base.updated = g_get_real_time ();
      _cb_runs_view_update_plots (self);
    }
}

CbRunCurves *
_cb_runs_view_get_curves (CbRunsView *self,
                          CbRun      *run)
{
  Curves *curves = g_hash_table_lookup (self->curves, cb_run_get_path (run));

  if (curves == NULL)
    {
      curves = g_new0 (Curves, 1);
      curves->base.run = g_object_ref (run);
      curves->base.readers = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_metrics_reader_free);
      curves->base.segments = g_ptr_array_new_with_free_func (g_object_unref);
      curves->base.ckpt_mtime = -1;
      curves->paths = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->curves, g_strdup (cb_run_get_path (run)), curves);
      /* Read once the selection is painted: the first frame does not wait for a processor
       * the parse has taken (_cb_runs_view_show_selection()). */
    }
  else if (curves->base.run != run)
    cb_run_set_record (curves->base.run, cb_run_get_record (run));  /* its state, as listed */
  return &curves->base;
}

gboolean
_cb_runs_view_poll_cb (gpointer user_data)
{
  CbRunsView *self = user_data;

  _cb_runs_view_poll (self);
  return G_SOURCE_CONTINUE;
}

/* Reads the shown runs' files again (only what was appended). */
void
_cb_runs_view_poll (CbRunsView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  for (guint i = 0; i < self->shown->len; i++)
    {
      CbRun *run = g_ptr_array_index (self->shown, i);
      Curves *curves = g_hash_table_lookup (self->curves, cb_run_get_path (run));

      if (curves != NULL)
        start_read (self, curves);
    }
}

void
_cb_runs_view_after_paint_cb (GdkFrameClock *clock,
                CbRunsView    *self)
{
  g_signal_handlers_disconnect_by_func (clock, _cb_runs_view_after_paint_cb, self);
  self->read_after_paint = FALSE;
  _cb_runs_view_poll (self);
}

/* Reads the shown runs once the next frame is painted (at once when nothing paints). */
void
_cb_runs_view_read_after_paint (CbRunsView *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      for (guint i = 0; i < self->shown->len; i++)
        {
          CbRun *run = g_ptr_array_index (self->shown, i);
          Curves *curves = g_hash_table_lookup (self->curves, cb_run_get_path (run));

          if (curves != NULL && !curves->base.loaded)
            start_read (self, curves);
        }
      return;
    }
  if (self->read_after_paint)
    return;
  self->read_after_paint = TRUE;
  g_signal_connect (clock, "after-paint", G_CALLBACK (_cb_runs_view_after_paint_cb), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

void
cb_runs_view_set_poll_interval (CbRunsView *self,
                                guint       ms)
{
  g_return_if_fail (CB_IS_RUNS_VIEW (self));

  self->poll_interval = MAX (ms, 10);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (self->shown->len > 0)
    self->poll_source = g_timeout_add (self->poll_interval, _cb_runs_view_poll_cb, self);
}

