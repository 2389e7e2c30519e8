/* cb-job-form.h: the job a page's form makes on a target
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb-form.h"
#include "cb-job.h"

G_BEGIN_DECLS

char  *cb_form_dup_slurm_script (CbForm         *form,
                                 const char     *project_root,
                                 const CbTarget *target,
                                 const char     *job_id);
CbJob *cb_job_new_from_form     (const char     *project_root,
                                 CbForm         *form,
                                 const CbTarget *target);

CbJob *cb_job_new_for_argv      (const char         *project_root,
                                 const char         *page,
                                 const char * const *argv,
                                 const char         *display,
                                 const CbTarget     *target);

G_END_DECLS
