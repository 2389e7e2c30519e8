/* cb-run.h: one run folder under outputs/, as the Runs view and `runs` show it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cb-checkpoint.h"
#include "cb-run-history.h"

G_BEGIN_DECLS

#define CB_TYPE_RUN (cb_run_get_type ())

G_DECLARE_FINAL_TYPE (CbRun, cb_run, CB, RUN, GObject)

/* How deep below outputs/ run folders are looked for, and how many entries are read. */
#define CB_RUNS_MAX_DEPTH   6
#define CB_RUNS_MAX_ENTRIES 200000

CbRun            *cb_run_read                (const char         *run_dir,
                                              const char         *outputs_dir,
                                              const char         *project_root);
const char       *cb_run_get_path            (CbRun              *self);
const char       *cb_run_get_name            (CbRun              *self);
const char       *cb_run_get_title           (CbRun              *self);
const char       *cb_run_get_page            (CbRun              *self);
const CbRunInfo  *cb_run_get_info            (CbRun              *self);
const char * const *cb_run_get_overrides     (CbRun              *self);
gint64            cb_run_get_time            (CbRun              *self);
GListModel       *cb_run_get_checkpoints     (CbRun              *self);
CbCheckpoint     *cb_run_get_best_checkpoint (CbRun              *self);
CbCheckpoint     *cb_run_get_last_checkpoint (CbRun              *self);
const char * const *cb_run_get_metrics_files (CbRun              *self);
const char       *cb_run_get_best_metric_name (CbRun             *self);
double            cb_run_get_best_metric_value (CbRun            *self);
CbRunRecord      *cb_run_get_record          (CbRun              *self);
void              cb_run_set_record          (CbRun              *self,
                                              CbRunRecord        *record);
char             *cb_run_describe_state      (CbRun              *self);
char             *cb_run_describe_best       (CbRun              *self);
gboolean          cb_run_matches             (CbRun              *self,
                                              const char         *search,
                                              const char         *page,
                                              const char         *architecture);

GPtrArray        *cb_runs_discover           (const char         *project_root,
                                              const char         *outputs_dir,
                                              GCancellable       *cancellable,
                                              guint              *n_skipped);
void              cb_runs_discover_async     (const char         *project_root,
                                              const char         *outputs_dir,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
GPtrArray        *cb_runs_discover_finish    (GAsyncResult       *result,
                                              GError            **error);
void              cb_runs_match_history      (GPtrArray          *runs,
                                              GListModel         *records);
char             *cb_runs_to_json            (GPtrArray          *runs);
char             *cb_runs_to_text            (GPtrArray          *runs);

G_END_DECLS
