/* cb-jobs-pane.h: the runs of the window, one terminal tab each, and the project's jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb-terminal-pane.h"
#include "cb/cb-job-monitor.h"

G_BEGIN_DECLS

#define CB_TYPE_JOBS_PANE (cb_jobs_pane_get_type ())

G_DECLARE_FINAL_TYPE (CbJobsPane, cb_jobs_pane, CB, JOBS_PANE, GtkWidget)

GtkWidget      *cb_jobs_pane_new             (void);
void            cb_jobs_pane_set_history     (CbJobsPane     *self,
                                              CbRunHistory   *history);
void            cb_jobs_pane_set_monitor     (CbJobsPane     *self,
                                              CbJobMonitor   *monitor);
CbJobMonitor   *cb_jobs_pane_get_monitor     (CbJobsPane     *self);
CbTerminalPane *cb_jobs_pane_get_current     (CbJobsPane     *self);
CbTerminalPane *cb_jobs_pane_get_idle_pane   (CbJobsPane     *self);
CbTerminalPane *cb_jobs_pane_show_job        (CbJobsPane     *self,
                                              CbJob          *job);
CbTerminalPane *cb_jobs_pane_find_job        (CbJobsPane     *self,
                                              CbJob          *job);
guint           cb_jobs_pane_get_n_panes     (CbJobsPane     *self);
CbTerminalPane *cb_jobs_pane_get_pane        (CbJobsPane     *self,
                                              guint           index);
guint           cb_jobs_pane_get_n_running   (CbJobsPane     *self);
gboolean        cb_jobs_pane_all_detachable  (CbJobsPane     *self);
void            cb_jobs_pane_set_stop_timeouts (CbJobsPane   *self,
                                              guint           interrupt_ms,
                                              guint           terminate_ms);
GtkWidget      *cb_jobs_pane_get_jobs_button (CbJobsPane     *self);

G_END_DECLS
