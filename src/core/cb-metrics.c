/* cb-metrics.c: a run's logged metrics (Lightning's CSV logger), read as the file grows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lightning's CSVLogger writes `<save_dir>/<name>/version_N/metrics.csv`: a header of every
 * key logged so far (`epoch`, `step`, then the metrics, e.g. `train/loss`, `val/hmean`,
 * `lr-Adam`), then one row per logging call with the cells of the other keys left empty.
 * When a key appears that the header lacks, Lightning rewrites the whole file with a wider
 * header; otherwise it appends. A reader therefore keeps its place, reads only what was
 * appended, and starts over when the file was rewritten (its first line changed, it shrank,
 * or it was replaced).
 *
 * The reader hands each read's rows over as a new CbMetrics, so that a thread can parse
 * while the UI thread draws what it already has, and merges the new rows in one step.
 */

#include "config.h"

#include "cb/cb-metrics.h"
#include "cb-metrics-private.h"

#include "cb/cb-file-read.h"
#include "cb/cb-json-write.h"
#include "cb/cb-problem.h"

#include <glib/gi18n.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_FINAL_TYPE (CbMetrics, cb_metrics, G_TYPE_OBJECT)

static gsize next_serial = 1;

static void
cb_metrics_finalize (GObject *object)
{
  CbMetrics *self = CB_METRICS (object);

  g_ptr_array_unref (self->names);
  g_ptr_array_unref (self->series);
  g_ptr_array_unref (self->overviews);
  g_hash_table_unref (self->index);

  G_OBJECT_CLASS (cb_metrics_parent_class)->finalize (object);
}

static void
cb_metrics_class_init (CbMetricsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_metrics_finalize;
}

static void
cb_metrics_init (CbMetrics *self)
{
  self->serial = (guint64) g_atomic_pointer_add (&next_serial, 1);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->overviews = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_metrics_overview_free);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  self->has_step = TRUE;
}

CbMetrics *
cb_metrics_new (void)
{
  return g_object_new (CB_TYPE_METRICS, NULL);
}

guint
cb_metrics_get_n_series (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), 0);

  return self->names->len;
}

const char *
cb_metrics_get_name (CbMetrics *self,
                     guint      series)
{
  g_return_val_if_fail (CB_IS_METRICS (self), NULL);
  g_return_val_if_fail (series < self->names->len, NULL);

  return g_ptr_array_index (self->names, series);
}

const CbMetricPoint *
cb_metrics_get_points (CbMetrics *self,
                       guint      series,
                       gsize     *n_points)
{
  GArray *points;

  g_return_val_if_fail (CB_IS_METRICS (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);

  points = g_ptr_array_index (self->series, series);
  if (n_points != NULL)
    *n_points = points->len;
  return (const CbMetricPoint *) (gpointer) points->data;
}

/**
 * cb_metrics_get_buckets:
 *
 * The series summed up in at most CB_METRICS_MAX_BUCKETS buckets of consecutive points, kept
 * as points are added: a plot draws these instead of a million points.
 */
const CbMetricBucket *
cb_metrics_get_buckets (CbMetrics *self,
                        guint      series,
                        gsize     *n_buckets)
{
  CbMetricsOverview *overview;

  g_return_val_if_fail (CB_IS_METRICS (self), NULL);
  g_return_val_if_fail (series < self->overviews->len, NULL);

  overview = g_ptr_array_index (self->overviews, series);
  if (n_buckets != NULL)
    *n_buckets = overview->buckets->len;
  return (const CbMetricBucket *) (gpointer) overview->buckets->data;
}

/**
 * cb_metrics_get_range:
 *
 * The lowest and highest step and value of the series, without a pass over it.
 *
 * Returns: %FALSE when it has no points
 */
gboolean
cb_metrics_get_range (CbMetrics *self,
                      guint      series,
                      double    *step_min,
                      double    *step_max,
                      double    *value_min,
                      double    *value_max)
{
  CbMetricsOverview *overview;

  g_return_val_if_fail (CB_IS_METRICS (self), FALSE);
  g_return_val_if_fail (series < self->overviews->len, FALSE);

  overview = g_ptr_array_index (self->overviews, series);
  if (overview->n_points == 0)
    return FALSE;
  *step_min = overview->step_min;
  *step_max = overview->step_max;
  *value_min = overview->value_min;
  *value_max = overview->value_max;
  return TRUE;
}

int
cb_metrics_find (CbMetrics  *self,
                 const char *name)
{
  gpointer found;

  g_return_val_if_fail (CB_IS_METRICS (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  found = g_hash_table_lookup (self->index, name);
  return found == NULL ? -1 : GPOINTER_TO_INT (found) - 1;
}

gsize
cb_metrics_get_n_rows (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), 0);

  return self->n_rows;
}

gsize
cb_metrics_get_n_bad_rows (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), 0);

  return self->n_bad_rows;
}

gsize
cb_metrics_get_n_points (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), 0);

  return self->n_points;
}

/* FALSE when a file had no step column, so that steps are row numbers. */
gboolean
cb_metrics_get_has_step (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), FALSE);

  return self->has_step;
}

/* Grows with every change, for whoever caches a drawing of the series. */
guint64
cb_metrics_get_generation (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), 0);

  return self->generation;
}

guint
_cb_metrics_ensure_series (CbMetrics  *self,
               const char *name)
{
  int found = cb_metrics_find (self, name);
  char *copy;

  if (found >= 0)
    return (guint) found;

  copy = g_strdup (name);
  g_ptr_array_add (self->names, copy);
  g_ptr_array_add (self->series, g_array_new (FALSE, FALSE, sizeof (CbMetricPoint)));
  g_ptr_array_add (self->overviews, cb_metrics_overview_new ());
  g_hash_table_insert (self->index, copy, GUINT_TO_POINTER (self->names->len));
  self->generation++;
  return self->names->len - 1;
}

/**
 * cb_metrics_append:
 * @more: rows read after those of @self (a reader's next read, or the next file of a run)
 *
 * Adds the series of @more to those of @self, by name. @more may be left without its
 * points (they are moved rather than copied where that is cheaper): read it before.
 */
void
cb_metrics_append (CbMetrics *self,
                   CbMetrics *more)
{
  g_return_if_fail (CB_IS_METRICS (self));
  g_return_if_fail (CB_IS_METRICS (more));

  for (guint i = 0; i < more->names->len; i++)
    {
      GArray *from = g_ptr_array_index (more->series, i);
      guint to = _cb_metrics_ensure_series (self, g_ptr_array_index (more->names, i));
      GArray *into = g_ptr_array_index (self->series, to);

      if (into->len == 0 && from->len > 0)
        {
          /* Nothing here yet (a first read of a big file): take its array, not a copy. */
          gpointer overview = g_ptr_array_index (self->overviews, to);

          g_ptr_array_index (self->series, to) = from;
          g_ptr_array_index (more->series, i) = into;
          g_ptr_array_index (self->overviews, to) = g_ptr_array_index (more->overviews, i);
          g_ptr_array_index (more->overviews, i) = overview;
        }
      else if (from->len > 0)
        {
          CbMetricsOverview *overview = g_ptr_array_index (self->overviews, to);

          g_array_append_vals (into, from->data, from->len);
          for (guint j = 0; j < from->len; j++)
            cb_metrics_overview_add (overview, &g_array_index (from, CbMetricPoint, j));
        }
    }
  self->n_rows += more->n_rows;
  self->n_bad_rows += more->n_bad_rows;
  self->n_points += more->n_points;
  self->has_step = self->has_step && more->has_step;
  self->generation++;
}

/**
 * cb_metrics_get_best:
 *
 * The highest (or lowest) value of the series @name, with its step.
 *
 * Returns: %FALSE when the series is missing or empty
 */
gboolean
cb_metrics_get_best (CbMetrics     *self,
                     const char    *name,
                     gboolean       higher_is_better,
                     CbMetricPoint *best)
{
  const CbMetricPoint *points;
  gsize n = 0;
  int series;
  gsize pick = 0;

  g_return_val_if_fail (CB_IS_METRICS (self), FALSE);

  series = cb_metrics_find (self, name);
  if (series < 0)
    return FALSE;
  points = cb_metrics_get_points (self, (guint) series, &n);
  if (n == 0)
    return FALSE;
  for (gsize i = 1; i < n; i++)
    if (higher_is_better ? points[i].value > points[pick].value
                         : points[i].value < points[pick].value)
      pick = i;
  if (best != NULL)
    *best = points[pick];
  return TRUE;
}

/**
 * cb_metrics_to_json:
 *
 * Returns: `{"metric": [[step, value], ...], ...}`, steps as the file wrote them
 */
char *
cb_metrics_to_json (CbMetrics *self)
{
  GString *out;

  g_return_val_if_fail (CB_IS_METRICS (self), NULL);

  out = g_string_sized_new (64 + self->n_points * 24);
  g_string_append_c (out, '{');
  for (guint i = 0; i < self->names->len; i++)
    {
      GArray *points = g_ptr_array_index (self->series, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "\n  ");
      cb_json_append_string (out, g_ptr_array_index (self->names, i));
      g_string_append (out, ": [");
      for (guint j = 0; j < points->len; j++)
        {
          const CbMetricPoint *p = &g_array_index (points, CbMetricPoint, j);

          if (j > 0)
            g_string_append_c (out, ',');
          g_string_append_c (out, '[');
          cb_json_append_number (out, p->step);
          g_string_append_c (out, ',');
          cb_json_append_number (out, p->value);
          g_string_append_c (out, ']');
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, self->names->len > 0 ? "\n}\n" : "}\n");
  return g_string_free (out, FALSE);
}

static void
append_cell (GString *out,
             double   value)
{
  if (!isnan (value))
    cb_json_append_number (out, value);
}

/**
 * cb_metrics_to_text:
 *
 * Returns: the series as tab-separated lines `metric step epoch value` under a header; an
 *   epoch the row lacks is an empty cell
 */
char *
cb_metrics_to_text (CbMetrics *self)
{
  char high_bytes[129];
  GString *out;

  g_return_val_if_fail (CB_IS_METRICS (self), NULL);

  /* Tabs and line breaks in a name are escaped; UTF-8 text stays as it is. */
  for (int b = 0; b < 128; b++)
    high_bytes[b] = (char) (0x80 + b);
  high_bytes[128] = '\0';
  out = g_string_sized_new (64 + self->n_points * 32);
  g_string_append (out, self->has_step ? "metric\tstep\tepoch\tvalue\n"
                                       : "metric\trow\tepoch\tvalue\n");
  for (guint i = 0; i < self->names->len; i++)
    {
      GArray *points = g_ptr_array_index (self->series, i);
      g_autofree char *name = g_strescape (g_ptr_array_index (self->names, i), high_bytes);

      for (guint j = 0; j < points->len; j++)
        {
          const CbMetricPoint *p = &g_array_index (points, CbMetricPoint, j);

          g_string_append (out, name);
          g_string_append_c (out, '\t');
          append_cell (out, p->step);
          g_string_append_c (out, '\t');
          append_cell (out, p->epoch);
          g_string_append_c (out, '\t');
          append_cell (out, p->value);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}
