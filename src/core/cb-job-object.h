/* cb-job-object.h: what the files of CbJob share (cb-job.c: the object; cb-job-store.c:
 * its file on disk)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb/cb-job.h"

G_BEGIN_DECLS

#define JOB_GROUP    "job"
#define TARGET_GROUP "target"
#define JOB_VERSION  1
#define MAX_ID       64

struct _CbJob
{
  GObject     parent_instance;

  char       *id;
  char       *project_root;
  char       *page;
  char      **argv;
  char       *display;
  char       *experiment;
  CbTarget   *target;
  CbJobState  state;
  gint64      start_time;
  gint64      end_time;
  int         exit_status;
  int         signal;
  gboolean    stopped;
  gint64      pgid;
  char       *message;
  char       *session;
  char       *log_path;

  /* Slurm */
  char       *slurm_id;
  char       *slurm_script;   /* what is submitted; not kept in the job's file */
  GPtrArray  *slurm_tasks;    /* CbSlurmTask*, as last seen */
  guint       n_runs;         /* a sweep's runs; 0 or 1: one run */
};

char       *_cb_job_find_experiment   (char       **argv);
gboolean    _cb_job_id_is_valid       (const char  *id);
void        _cb_job_set_paths         (CbJob       *self);
CbJobState  _cb_job_state_from_string (const char  *text);
void        _cb_job_copy_tasks        (GPtrArray   *to,
                                       GPtrArray   *from);

G_END_DECLS
