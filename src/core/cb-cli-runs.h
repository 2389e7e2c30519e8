/* cb-cli-runs.h: the headless `runs` and `metrics` commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb/cb-project.h"

G_BEGIN_DECLS

int cb_cli_runs    (CbProject  *project,
                    gboolean    json);
int cb_cli_metrics (const char *path,
                    gboolean    json);

G_END_DECLS
