/* cb-metrics-private.h: the overview a series keeps of itself (cb-metrics-overview.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb/cb-metrics.h"

G_BEGIN_DECLS

/* At most this many buckets (about four per pixel column of a wide plot). */
#define CB_METRICS_MAX_BUCKETS 8192

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
