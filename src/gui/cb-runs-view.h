/* cb-runs-view.h: the Runs window: every run folder, its curves and its checkpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb-metrics-plot.h"

G_BEGIN_DECLS

#define CB_TYPE_RUNS_VIEW (cb_runs_view_get_type ())

G_DECLARE_FINAL_TYPE (CbRunsView, cb_runs_view, CB, RUNS_VIEW, AdwWindow)

CbRunsView    *cb_runs_view_new             (GtkWindow    *parent);
void           cb_runs_view_set_project     (CbRunsView   *self,
                                             const char   *project_root,
                                             const char   *outputs_dir);
void           cb_runs_view_set_history     (CbRunsView   *self,
                                             GListModel   *records);
void           cb_runs_view_refresh         (CbRunsView   *self);
gboolean       cb_runs_view_get_loading     (CbRunsView   *self);
GListModel    *cb_runs_view_get_runs        (CbRunsView   *self);
gboolean       cb_runs_view_select          (CbRunsView   *self,
                                             const char   *name);
gboolean       cb_runs_view_select_several  (CbRunsView   *self,
                                             const char * const *names);
void           cb_runs_view_set_search      (CbRunsView   *self,
                                             const char   *text);
CbMetricsPlot *cb_runs_view_get_plot        (CbRunsView   *self,
                                             const char   *metric);
void           cb_runs_view_show_metric     (CbRunsView   *self,
                                             const char   *metric,
                                             gboolean      shown);
GtkWidget     *cb_runs_view_get_mark_popover (CbRunsView  *self);
void           cb_runs_view_set_poll_interval (CbRunsView *self,
                                             guint         ms);

G_END_DECLS
