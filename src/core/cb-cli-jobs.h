/* cb-cli-jobs.h: the headless `run`, `jobs` and `stop` commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb/cb-form.h"
#include "cb/cb-project.h"

G_BEGIN_DECLS

int cb_cli_start_job    (CbProject          *project,
                        CbForm             *form,
                        const char         *target_name,
                        gboolean            slurm_only);
int cb_cli_print_script (CbProject          *project,
                        CbForm             *form,
                        const char         *target_name);
int cb_cli_jobs      (CbProject          *project,
                      gboolean            json);
int cb_cli_stop      (CbProject          *project,
                      const char         *id);

G_END_DECLS
