/* cb-checkpoints.h: checkpoint files under a project's outputs folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-project.h"

G_BEGIN_DECLS

typedef struct
{
  char   *path;      /* relative to the project root */
  gint64  size;
  gint64  mtime;     /* seconds since the epoch */
} CbCheckpointFile;

GPtrArray *cb_checkpoints_scan_simple (const CbProject *project);
char     **cb_checkpoints_to_strv     (GPtrArray       *files);
void       cb_checkpoint_file_free    (CbCheckpointFile *file);

G_END_DECLS
