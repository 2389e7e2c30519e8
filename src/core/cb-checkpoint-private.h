/* cb-checkpoint-private.h: what the checkpoint scanner shares with cb-checkpoint.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sys/stat.h>

#include "cb/cb-checkpoint.h"

G_BEGIN_DECLS

char *cb_read_small_file_at (int          dir_fd,
                             const char  *path,
                             struct stat *st_out,
                             gsize       *length);

G_END_DECLS
