/* cb-metrics-private.h: the overview a series keeps of itself (cb-metrics-overview.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb/cb-metrics.h"

G_BEGIN_DECLS

/* At most this many buckets (about four per pixel column of a wide plot). */
#define CB_METRICS_MAX_BUCKETS 8192

struct _CbMetrics
{
  GObject     parent_instance;

  guint64     serial;     /* tells a reader whether it has mapped its columns to this one */
  GPtrArray  *names;      /* char *, in the order first seen */
  GPtrArray  *series;     /* GArray of CbMetricPoint, one per name */
  GPtrArray  *overviews;  /* CbMetricsOverview, one per name */
  GHashTable *index;      /* name -> series index + 1 */
  gsize       n_rows;
  gsize       n_bad_rows;
  gsize       n_points;
  gboolean    has_step;
  guint64     generation;
};

guint _cb_metrics_ensure_series (CbMetrics  *self,
                                 const char *name);

typedef struct
{
  GArray *buckets;      /* CbMetricBucket */
  guint   bucket_size;  /* points per full bucket, a power of two */
  double  step_min, step_max;
  double  value_min, value_max;
  double  last_step;
  gsize   n_points;
} CbMetricsOverview;

CbMetricsOverview *cb_metrics_overview_new    (void);
void               cb_metrics_overview_free   (CbMetricsOverview   *self);
void               cb_metrics_overview_add    (CbMetricsOverview   *self,
                                               const CbMetricPoint *point);

G_END_DECLS
