/* cb-metrics-plot-private.h: what cb-metrics-plot.c (the widget) and
 * cb-metrics-plot-draw.c (its drawing) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb-metrics-plot.h"

G_BEGIN_DECLS

/* The plot area inside the widget, and how near a click must be to a mark. */
#define MARGIN_LEFT   58.0
#define MARGIN_RIGHT  14.0
#define MARGIN_TOP    28.0
#define MARGIN_BOTTOM 24.0
#define MARK_REACH    7.0

typedef struct
{
  char      *label;
  GPtrArray *segments;     /* CbMetrics */
  guint      color;
  double    *column_x;     /* per pixel column: the data x of its last point, or NAN */
  double    *column_y;     /* … and its value */
  guint      n_columns;
} Run;

typedef struct
{
  double  step;
  double  epoch;
  char   *label;
  char   *path;
  double  px;              /* where it was drawn, NAN when outside the plot */
} Mark;

struct _CbMetricsPlot
{
  GtkWidget      parent_instance;

  char          *metric;
  gboolean       x_epoch;
  GPtrArray     *runs;     /* Run */
  GArray        *marks;    /* Mark */

  GskRenderNode *cache;
  int            cache_width;
  int            cache_height;
  gboolean       cache_dark;
  gboolean       dirty;

  /* the ranges the cache was drawn with */
  double         x_min, x_max, y_min, y_max;
  gsize          n_points;

  double         hover_x;  /* widget x of the pointer, NAN when outside */
};

gboolean _cb_metrics_plot_is_dark        (void);
void     _cb_metrics_plot_rebuild_cache (CbMetricsPlot *self,
                                         int            width,
                                         int            height);
void     _cb_metrics_plot_draw_hover    (CbMetricsPlot *self,
                                         GtkSnapshot   *snapshot,
                                         int            width,
                                         int            height);

G_END_DECLS
