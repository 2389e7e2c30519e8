/* cb-cli-checkpoints.h: the headless `list-checkpoints` command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb/cb-project.h"

G_BEGIN_DECLS

int cb_cli_list_checkpoints (CbProject *project);

G_END_DECLS
