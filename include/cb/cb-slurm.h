/* cb-slurm.h: a Slurm target's job script, and what squeue and scontrol say about a job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-sweep.h"
#include "cb-target.h"

G_BEGIN_DECLS

/* Where each job's output goes, under the project (relative to --chdir). */
#define CB_SLURM_LOG_DIR "logs/slurm"

/* What a job script is made of. */
typedef struct
{
  const CbTarget     *target;       /* a Slurm target */
  const char         *job_id;       /* ours, said in the script's first comment */
  const char         *experiment;   /* the job's name comes from it; may be NULL */
  const char         *project_dir;  /* as the cluster sees it: absolute, or ~/… on the host */
  const char * const *argv;         /* the command of one run (a sweep's base command) */
  const CbSweepPlan  *plan;         /* nullable: a job array of plan->n_runs tasks */
} CbSlurmScript;

char  *cb_slurm_job_name           (const char          *experiment);
char  *cb_slurm_chdir              (const char          *project_dir);
char  *cb_slurm_script_new         (const CbSlurmScript *script);
char  *cb_slurm_output_file        (const char          *job_name,
                                    const char          *slurm_id,
                                    int                  task);
gboolean cb_slurm_parse_job_id     (const char          *sbatch_out,
                                    char               **job_id);

/* One job, or one task of an array, as squeue and scontrol say it. */
typedef struct
{
  int    task;         /* the array task's index, or -1 for a job that is not an array */
  char  *state;        /* PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, … */
  char  *reason;       /* why it waits ("Resources"), or NULL */
  char  *node;         /* where it runs, or NULL */
  char  *elapsed;      /* "0:42", or NULL */
  int    exit_status;  /* from scontrol's ExitCode=N:S; -1 unknown */
  int    signal;       /* S of ExitCode=N:S; 0 none */
} CbSlurmTask;

typedef enum
{
  CB_SLURM_REPORT_TASKS,     /* squeue answered: see tasks */
  CB_SLURM_REPORT_VANISHED,  /* Slurm no longer knows the job (past MinJobAge) */
  CB_SLURM_REPORT_FAILED,    /* squeue failed otherwise (controller unreachable, …): see error */
} CbSlurmReportKind;

typedef struct
{
  CbSlurmReportKind  kind;
  GPtrArray         *tasks;   /* CbSlurmTask*, in the order squeue gave them */
  char              *error;   /* what squeue said when it failed */
} CbSlurmReport;

/* The probe script's output: squeue's lines ("%i|%T|%r|%M|%N|%K"), "@rc=N", then, when some
 * task had ended, "@scontrol" and `scontrol -o show job` lines. */
CbSlurmReport *cb_slurm_report_parse  (const char     *text,
                                       gsize           length);
void           cb_slurm_report_free   (CbSlurmReport  *report);
void           cb_slurm_task_free     (CbSlurmTask    *task);
CbSlurmTask   *cb_slurm_find_task     (GPtrArray      *tasks,
                                       int             index);
CbSlurmTask   *cb_slurm_task_copy     (const CbSlurmTask *task);
gboolean       cb_slurm_state_is_active (const char   *state);
const char * const *cb_slurm_active_states (void);
char          *cb_slurm_describe_task (const CbSlurmTask *task);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSlurmReport, cb_slurm_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSlurmTask, cb_slurm_task_free)

G_END_DECLS
