/* cb-cli-export.h: the headless `export-csv` command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int cb_cli_export_csv (const char *json_path,
                       const char *output,
                       gboolean    include_confidence,
                       gboolean    force);

G_END_DECLS
