/* cb-compose-check.h: what a page's schema asks of the project's Hydra config, checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-config.h"
#include "cb-project.h"
#include "cb-schema.h"

G_BEGIN_DECLS

void cb_compose_check_page (CbSchema         *schema,
                            const char       *page,
                            CbProject        *project,
                            CbConfigSnapshot *snapshot,
                            GPtrArray        *problems);

G_END_DECLS
