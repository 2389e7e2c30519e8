/* cb-job.h: one run of one command on one target, kept in the project's state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cb/cb-run-history.h"
#include "cb/cb-slurm.h"
#include "cb/cb-target.h"

G_BEGIN_DECLS

#define CB_TYPE_JOB (cb_job_get_type ())

G_DECLARE_FINAL_TYPE (CbJob, cb_job, CB, JOB, GObject)

#define CB_JOB_ERROR (cb_job_error_quark ())

typedef enum
{
  CB_JOB_ERROR_NOT_FOUND,   /* no job of that id */
  CB_JOB_ERROR_CORRUPT,     /* a job file that cannot be read */
  CB_JOB_ERROR_NO_TMUX,     /* tmux is not installed (here or on the host) */
  CB_JOB_ERROR_NO_FOLDER,   /* the project folder is missing (here or on the host) */
  CB_JOB_ERROR_NO_PROGRAM,  /* the command's program is not installed */
  CB_JOB_ERROR_FAILED,      /* anything else, with the tool's own words */
} CbJobError;

typedef enum
{
  CB_JOB_STARTING,  /* recorded, its session not made yet */
  CB_JOB_RUNNING,
  CB_JOB_STOPPING,  /* the user asked it to stop; it has not ended yet */
  CB_JOB_FINISHED,  /* ended: exit status or signal, or never started (see message) */
  CB_JOB_LOST,      /* not reachable (a dropped connection) or gone without a word */
} CbJobState;

/* The tmux server (socket name) that holds every job's terminal, here and on hosts. */
#define CB_JOB_TMUX_SOCKET "command-builder"

/* How many jobs a project keeps; the oldest finished ones go first. */
#define CB_JOB_KEEP 200

GQuark        cb_job_error_quark        (void);

CbJob        *cb_job_new                (const char         *project_root,
                                         const char         *page,
                                         const char * const *argv,
                                         const char         *display,
                                         const CbTarget     *target);
CbJob        *cb_job_copy               (CbJob              *self);
const char   *cb_job_get_id             (CbJob              *self);
const char   *cb_job_get_project_root   (CbJob              *self);
const char   *cb_job_get_page           (CbJob              *self);
const char * const *cb_job_get_argv     (CbJob              *self);
const char   *cb_job_get_display        (CbJob              *self);
const char   *cb_job_get_experiment     (CbJob              *self);
const CbTarget *cb_job_get_target       (CbJob              *self);
const char   *cb_job_get_target_name    (CbJob              *self);
gboolean      cb_job_is_local           (CbJob              *self);
CbJobState    cb_job_get_state          (CbJob              *self);
gboolean      cb_job_is_active          (CbJob              *self);
int           cb_job_get_exit_status    (CbJob              *self);
int           cb_job_get_signal         (CbJob              *self);
gboolean      cb_job_get_stopped        (CbJob              *self);
gint64        cb_job_get_pgid           (CbJob              *self);
gint64        cb_job_get_start_time     (CbJob              *self);
gint64        cb_job_get_end_time       (CbJob              *self);
double        cb_job_get_elapsed        (CbJob              *self,
                                         gint64              now);
const char   *cb_job_get_message        (CbJob              *self);
const char   *cb_job_get_session        (CbJob              *self);
const char   *cb_job_get_log_path       (CbJob              *self);
const char   *cb_job_state_to_string    (CbJobState          state);
char         *cb_job_describe_state     (CbJob              *self);

/* Changes, for the code that follows a job (they notify, and do not save). */
void          cb_job_set_running        (CbJob              *self,
                                         gint64              pgid);
void          cb_job_set_stopping       (CbJob              *self);
void          cb_job_set_finished       (CbJob              *self,
                                         int                 exit_status,
                                         int                 signal,
                                         const char         *message);
void          cb_job_set_lost           (CbJob              *self,
                                         const char         *message);
gboolean      cb_job_update_from        (CbJob              *self,
                                         CbJob              *newer);

/* The project's jobs on disk: one key file per job, written atomically. */
char         *cb_job_dir_for_project    (const char         *project_root);
gboolean      cb_job_save               (CbJob              *self,
                                         GError            **error);
CbJob        *cb_job_load               (const char         *project_root,
                                         const char         *id,
                                         GError            **error);
CbJob        *cb_job_load_file          (const char         *path,
                                         GError            **error);
CbJob        *cb_job_load_data          (const char         *data,
                                         gsize               length,
                                         const char         *path,
                                         GError            **error);
GPtrArray    *cb_job_list               (const char         *project_root,
                                         GPtrArray          *problems);
CbJob        *cb_job_find               (GPtrArray          *jobs,
                                         const char         *id_or_prefix,
                                         GError            **error);
void          cb_job_forget_old         (const char         *project_root,
                                         guint               keep);

/* Running it (cb-job-tmux.c). Every one of these may block: call them from a worker. */
gboolean      cb_job_launch             (CbJob              *self,
                                         CbRunHistory       *history,
                                         GError            **error);
gboolean      cb_job_probe              (CbJob              *self,
                                         CbRunHistory       *history,
                                         GError            **error);
gboolean      cb_job_send_signal        (CbJob              *self,
                                         int                 signo,
                                         GError            **error);
gboolean      cb_job_group_alive        (CbJob              *self,
                                         GError            **error);
gboolean      cb_job_stop               (CbJob              *self,
                                         CbRunHistory       *history,
                                         guint               interrupt_ms,
                                         guint               terminate_ms,
                                         GCancellable       *cancellable,
                                         GError            **error);
char         *cb_job_read_output        (CbJob              *self,
                                         gboolean            history_only,
                                         GError            **error);
gboolean      cb_process_group_alive    (gint64              pgid);
char        **cb_job_attach_argv        (CbJob              *self);
char         *cb_job_dup_target_command (CbJob              *self);
void          cb_job_record_end         (CbJob              *self,
                                         CbRunHistory       *history);

/* Slurm jobs (cb-job-slurm.c) and sweeps. */
gboolean      cb_job_is_slurm           (CbJob              *self);
void          cb_job_set_slurm_script   (CbJob              *self,
                                         const char         *script);
const char   *cb_job_get_slurm_script   (CbJob              *self);
const char   *cb_job_get_slurm_id       (CbJob              *self);
GPtrArray    *cb_job_get_slurm_tasks    (CbJob              *self);
void          cb_job_set_slurm_tasks    (CbJob              *self,
                                         const char         *slurm_id,
                                         GPtrArray          *tasks);
char         *cb_job_dup_slurm_summary  (CbJob              *self);
char         *cb_job_dup_slurm_output   (CbJob              *self,
                                         int                 task);
guint         cb_job_get_n_runs         (CbJob              *self);
void          cb_job_set_n_runs         (CbJob              *self,
                                         guint               n_runs);

/* Async forms for the window. */
void          cb_job_launch_async       (CbJob              *self,
                                         CbRunHistory       *history,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean      cb_job_launch_finish      (CbJob              *self,
                                         GAsyncResult       *result,
                                         GError            **error);
void          cb_job_stop_async         (CbJob              *self,
                                         CbRunHistory       *history,
                                         guint               interrupt_ms,
                                         guint               terminate_ms,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean      cb_job_stop_finish        (CbJob              *self,
                                         GAsyncResult       *result,
                                         GError            **error);

G_END_DECLS
