/* cb-job-private.h: what the job's files (cb-job-*.c) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb/cb-job.h"

G_BEGIN_DECLS

/* Exit statuses of our own scripts, above what a shell uses. */
#define EXIT_NO_FOLDER 210
#define EXIT_NO_TMUX   211
#define EXIT_NO_STATE  212

/* A job still starting after this long never will. */
#define STARTING_LIMIT_US (120 * G_USEC_PER_SEC)
/* How long after its start a job's group may still be led by tmux's child before its exec. */
#define PRE_EXEC_LIMIT_US (60 * G_USEC_PER_SEC)

#define TMUX "tmux -L " CB_JOB_TMUX_SOCKET

#define EXIT_NO_SBATCH 213

gboolean     _cb_job_here             (CbJob       *self);
char        *_cb_job_q                (const char  *word);
void         _cb_job_append_state_dir (GString     *script,
                                       CbJob       *self);
char        *_cb_job_project_dir      (CbJob       *self);
char        *_cb_job_setup_text       (CbJob       *self);
gboolean     _cb_job_run_script_input (CbJob       *self,
                                       const char  *script,
                                       const char  *input,
                                       char       **out,
                                       char       **err,
                                       int         *exit_status,
                                       GError     **error);
gboolean     _cb_job_run_script       (CbJob       *self,
                                       const char  *script,
                                       char       **out,
                                       char       **err,
                                       int         *exit_status,
                                       GError     **error);
char        *_cb_job_where            (CbJob       *self);
gboolean     _cb_job_script_error     (CbJob       *self,
                                       int          status,
                                       const char  *err,
                                       GError     **error);
char        *_cb_job_local_file       (CbJob       *self,
                                       const char  *suffix);
CbRunRecord *_cb_job_started_record   (CbJob       *self);
gboolean     _cb_job_fail_launch      (CbJob       *self,
                                       GError      *error,
                                       GError     **out);

/* Slurm (cb-job-slurm.c) */
gboolean     _cb_job_slurm_launch     (CbJob         *self,
                                       CbRunHistory  *history,
                                       GError       **error);
gboolean     _cb_job_slurm_probe      (CbJob         *self,
                                       CbRunHistory  *history,
                                       GError       **error);
gboolean     _cb_job_slurm_stop       (CbJob         *self,
                                       CbRunHistory  *history,
                                       guint          interrupt_ms,
                                       guint          terminate_ms,
                                       GCancellable  *cancellable,
                                       GError       **error);
char        *_cb_job_slurm_read_output (CbJob        *self,
                                       gboolean      history_only,
                                       GError       **error);
char       **_cb_job_slurm_attach_argv (CbJob        *self);

G_END_DECLS
