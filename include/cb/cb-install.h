/* cb-install.h: where the installed pieces are, found from the running program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void  cb_install_setup_locale         (void);
char *cb_install_find_window_program  (GError **error);

G_END_DECLS
