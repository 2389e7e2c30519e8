/* cb-metrics-overview.c: what a series keeps of itself for drawing it fast
 *
 * A series of a million points is drawn from at most CB_METRICS_MAX_BUCKETS buckets, each
 * the first, lowest, highest and last value of consecutive points, kept up to date as points
 * are added (in the worker that parses, and for appended rows in the merge): no pass over the
 * points when the plot is drawn again. When the buckets are too many, neighbours merge and the
 * bucket size doubles. A step that goes back (a resumed run counting again) starts a bucket
 * marked as a restart, which is merged away only when nothing else would halve the count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb-metrics-private.h"

#include <math.h>

CbMetricsOverview *
cb_metrics_overview_new (void)
{
  CbMetricsOverview *self = g_new0 (CbMetricsOverview, 1);

  self->buckets = g_array_new (FALSE, FALSE, sizeof (CbMetricBucket));
  self->bucket_size = 1;
  self->step_min = self->value_min = INFINITY;
  self->step_max = self->value_max = -INFINITY;
  return self;
}

void
cb_metrics_overview_free (CbMetricsOverview *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->buckets);
  g_free (self);
}

static void
merge_into (CbMetricBucket       *into,
            const CbMetricBucket *next)
{
  into->step_last = next->step_last;
  into->epoch_last = next->epoch_last;
  into->min = MIN (into->min, next->min);
  into->max = MAX (into->max, next->max);
  into->last = next->last;
  into->n += next->n;
}

/* Halves the number of buckets (about): neighbours merge, restarts stay apart unless that
 * would not make room. */
static void
compact (CbMetricsOverview *self,
         gboolean           across_restarts)
{
  CbMetricBucket *b = (CbMetricBucket *) (gpointer) self->buckets->data;
  guint n = self->buckets->len;
  guint out = 0;

  for (guint i = 0; i < n;)
    {
      CbMetricBucket merged = b[i++];

      if (i < n && (across_restarts || !b[i].restart))
        merge_into (&merged, &b[i++]);
      b[out++] = merged;
    }
  g_array_set_size (self->buckets, out);
}

void
cb_metrics_overview_add (CbMetricsOverview   *self,
                         const CbMetricPoint *point)
{
  gboolean restart = self->n_points > 0 && point->step < self->last_step;
  CbMetricBucket *last = self->buckets->len > 0
                           ? &g_array_index (self->buckets, CbMetricBucket, self->buckets->len - 1)
                           : NULL;

  if (last == NULL || last->n >= self->bucket_size || restart)
    {
      CbMetricBucket bucket = {
        point->step, point->step, point->epoch, point->epoch,
        point->value, point->value, point->value, point->value, 1, restart
      };

      g_array_append_val (self->buckets, bucket);
    }
  else
    {
      last->step_last = point->step;
      last->epoch_last = point->epoch;
      last->min = MIN (last->min, point->value);
      last->max = MAX (last->max, point->value);
      last->last = point->value;
      last->n++;
    }

  self->step_min = MIN (self->step_min, point->step);
  self->step_max = MAX (self->step_max, point->step);
  self->value_min = MIN (self->value_min, point->value);
  self->value_max = MAX (self->value_max, point->value);
  self->last_step = point->step;
  self->n_points++;

  if (self->buckets->len > CB_METRICS_MAX_BUCKETS)
    {
      guint before = self->buckets->len;

      self->bucket_size *= 2;
      compact (self, FALSE);
      if (self->buckets->len > before * 3 / 4)
        compact (self, TRUE);  /* restarts everywhere: merge them too */
    }
}
