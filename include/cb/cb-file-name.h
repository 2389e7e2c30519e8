/* cb-file-name.h: whether a value can name one file or folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CB_FILE_NAME_MAX 255  /* bytes: NAME_MAX of Linux file systems */

char *cb_file_name_problem (const char *name);

G_END_DECLS
