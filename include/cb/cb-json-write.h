/* cb-json-write.h: small pieces for the JSON the headless commands print
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void cb_json_append_string (GString    *out,
                            const char *text);
void cb_json_append_number (GString    *out,
                            double      value);

G_END_DECLS
