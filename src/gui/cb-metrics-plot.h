/* cb-metrics-plot.h: one metric of one or more runs, drawn against step or epoch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cb/cb-metrics.h"

G_BEGIN_DECLS

#define CB_TYPE_METRICS_PLOT (cb_metrics_plot_get_type ())

G_DECLARE_FINAL_TYPE (CbMetricsPlot, cb_metrics_plot, CB, METRICS_PLOT, GtkWidget)

#define CB_METRICS_PLOT_N_COLORS 6

GtkWidget  *cb_metrics_plot_new            (const char     *metric);
const char *cb_metrics_plot_get_metric     (CbMetricsPlot  *self);
void        cb_metrics_plot_set_x_epoch    (CbMetricsPlot  *self,
                                            gboolean        epoch);
void        cb_metrics_plot_clear          (CbMetricsPlot  *self);
void        cb_metrics_plot_add_run        (CbMetricsPlot  *self,
                                            const char     *label,
                                            GPtrArray      *segments,
                                            guint           color);
void        cb_metrics_plot_data_changed   (CbMetricsPlot  *self);
void        cb_metrics_plot_add_mark       (CbMetricsPlot  *self,
                                            double          step,
                                            double          epoch,
                                            const char     *label,
                                            const char     *path);
void        cb_metrics_plot_clear_marks    (CbMetricsPlot  *self);
guint       cb_metrics_plot_get_n_marks    (CbMetricsPlot  *self);
const char *cb_metrics_plot_get_mark_path  (CbMetricsPlot  *self,
                                            guint           index);
double      cb_metrics_plot_get_mark_x     (CbMetricsPlot  *self,
                                            guint           index);
void        cb_metrics_plot_activate_mark  (CbMetricsPlot  *self,
                                            guint           index);
gsize       cb_metrics_plot_get_n_points   (CbMetricsPlot  *self);
void        cb_metrics_plot_get_color      (guint           color,
                                            gboolean        dark,
                                            GdkRGBA        *rgba);

G_END_DECLS
