/* cb-run-history.h: the runs started from the terminal pane, per project, kept on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CB_TYPE_RUN_RECORD  (cb_run_record_get_type ())
#define CB_TYPE_RUN_HISTORY (cb_run_history_get_type ())

G_DECLARE_FINAL_TYPE (CbRunRecord, cb_run_record, CB, RUN_RECORD, GObject)
G_DECLARE_FINAL_TYPE (CbRunHistory, cb_run_history, CB, RUN_HISTORY, GObject)

#define CB_RUN_HISTORY_ERROR (cb_run_history_error_quark ())

typedef enum
{
  CB_RUN_HISTORY_ERROR_CORRUPT,
} CbRunHistoryError;

/* The longest duration a history entry may have, in seconds: a century. */
#define CB_RUN_MAX_DURATION (100.0 * 365.25 * 24 * 3600)

/* How many runs a project keeps; the oldest are dropped first. */
#define CB_RUN_HISTORY_DEFAULT_CAP 200

typedef enum
{
  CB_RUN_OUTCOME_SUCCESS,    /* exited with status 0 */
  CB_RUN_OUTCOME_FAILED,     /* exited with a non-zero status */
  CB_RUN_OUTCOME_SIGNALED,   /* killed by a signal it was not stopped with (a crash) */
  CB_RUN_OUTCOME_NOT_STARTED,/* could not be started at all */
  CB_RUN_OUTCOME_STOPPED,    /* stopped by the user, however it ended */
  CB_RUN_OUTCOME_RUNNING,    /* started and not ended, its app still there */
  CB_RUN_OUTCOME_INTERRUPTED /* started, and its app ended (killed, crashed) before it did */
} CbRunOutcome;

GQuark        cb_run_history_error_quark      (void);

/* One run. Immutable: the end of a run is a new record with the same id. @exit_status is -1 when the run was killed by a signal or never
 * started; @signal is 0 unless it was killed by a signal. */
CbRunRecord  *cb_run_record_new               (const char         *command,
                                               const char * const *argv,
                                               const char         *page,
                                               GDateTime          *start_time,
                                               double              duration,
                                               int                 exit_status,
                                               int                 signal);
CbRunRecord  *cb_run_record_new_full          (const char         *command,
                                               const char * const *argv,
                                               const char         *page,
                                               GDateTime          *start_time,
                                               double              duration,
                                               int                 exit_status,
                                               int                 signal,
                                               gboolean            stopped);
CbRunRecord  *cb_run_record_new_started       (const char         *command,
                                               const char * const *argv,
                                               const char         *page,
                                               GDateTime          *start_time);
CbRunRecord  *cb_run_record_new_started_job   (const char         *command,
                                               const char * const *argv,
                                               const char         *page,
                                               GDateTime          *start_time,
                                               const char         *job_id,
                                               gint64              pid);
CbRunRecord  *cb_run_record_new_finished      (CbRunRecord        *started,
                                               double              duration,
                                               int                 exit_status,
                                               int                 signal,
                                               gboolean            stopped);
const char   *cb_run_record_get_id            (CbRunRecord        *self);
gboolean      cb_run_record_get_running       (CbRunRecord        *self);
const char   *cb_run_record_get_command       (CbRunRecord        *self);
const char * const *cb_run_record_get_argv    (CbRunRecord        *self);
const char   *cb_run_record_get_page          (CbRunRecord        *self);
GDateTime    *cb_run_record_get_start_time    (CbRunRecord        *self);
char         *cb_run_record_dup_start_time_iso8601 (CbRunRecord   *self);
double        cb_run_record_get_duration      (CbRunRecord        *self);
int           cb_run_record_get_exit_status   (CbRunRecord        *self);
int           cb_run_record_get_signal        (CbRunRecord        *self);
gboolean      cb_run_record_get_stopped       (CbRunRecord        *self);
CbRunOutcome  cb_run_record_get_outcome       (CbRunRecord        *self);
char         *cb_run_record_describe_outcome  (CbRunRecord        *self);

char         *cb_run_history_path_for_project (const char         *project_root);
CbRunHistory *cb_run_history_new              (const char         *path);
const char   *cb_run_history_get_path         (CbRunHistory       *self);
guint         cb_run_history_get_cap          (CbRunHistory       *self);
void          cb_run_history_set_cap          (CbRunHistory       *self,
                                               guint               cap);
gboolean      cb_run_history_load             (CbRunHistory       *self,
                                               GError            **error);
gboolean      cb_run_history_save             (CbRunHistory       *self,
                                               GError            **error);
gboolean      cb_run_history_add              (CbRunHistory       *self,
                                               CbRunRecord        *record,
                                               GError            **error);
void          cb_run_history_clear            (CbRunHistory       *self);
GListModel   *cb_run_history_get_entries      (CbRunHistory       *self);

/* Wording shared by the terminal pane and the headless interface. */
const char   *cb_signal_name                  (int                 signo);
char         *cb_format_duration              (double              seconds);
char         *cb_format_elapsed               (gint64              seconds);
char         *cb_format_age                   (gint64              seconds);
char         *cb_describe_outcome             (int                 exit_status,
                                               int                 signal,
                                               double              seconds);
char         *cb_describe_run_outcome         (int                 exit_status,
                                               int                 signal,
                                               gboolean            stopped,
                                               double              seconds);

G_END_DECLS
