/* cb-job-monitor.h: the project's jobs as a list model, looked at in a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cb/cb-job.h"

G_BEGIN_DECLS

#define CB_TYPE_JOB_MONITOR (cb_job_monitor_get_type ())

G_DECLARE_FINAL_TYPE (CbJobMonitor, cb_job_monitor, CB, JOB_MONITOR, GObject)

CbJobMonitor *cb_job_monitor_new          (const char    *project_root,
                                           CbRunHistory  *history);
GListModel   *cb_job_monitor_get_model    (CbJobMonitor  *self);
CbJob        *cb_job_monitor_find         (CbJobMonitor  *self,
                                           const char    *id);
void          cb_job_monitor_add          (CbJobMonitor  *self,
                                           CbJob         *job);
void          cb_job_monitor_refresh      (CbJobMonitor  *self);
gboolean      cb_job_monitor_get_loaded   (CbJobMonitor  *self);
guint         cb_job_monitor_get_n_active (CbJobMonitor  *self);
void          cb_job_monitor_merge        (CbJobMonitor  *self,
                                           GPtrArray     *found);

G_END_DECLS
