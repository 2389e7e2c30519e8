/* cb-file-read.h: reading a file that other people may have put in a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sys/stat.h>

G_BEGIN_DECLS

/* What a file is for; each kind has its own size limit (cb_file_kind_get_max_size()). */
typedef enum
{
  CB_FILE_KIND_SCHEMA,
  CB_FILE_KIND_CONFIG,
  CB_FILE_KIND_SETTINGS,
  CB_FILE_KIND_RUN_RECORD,
  CB_FILE_KIND_HISTORY,
  CB_FILE_KIND_STATE,
  CB_FILE_KIND_PRESET,
  CB_FILE_KIND_METRICS,
  CB_FILE_KIND_SUBMISSION,
} CbFileKind;

gsize     cb_file_kind_get_max_size (CbFileKind    kind);
int       cb_file_open_regular_at   (int           dir_fd,
                                     const char   *name,
                                     const char   *display_name,
                                     CbFileKind    kind,
                                     struct stat  *st_out,
                                     GError      **error);
gboolean  cb_file_read_regular      (const char   *path,
                                     CbFileKind    kind,
                                     char        **contents,
                                     gsize        *length,
                                     GError      **error);
gboolean  cb_file_read_regular_at   (int           dir_fd,
                                     const char   *name,
                                     const char   *display_name,
                                     CbFileKind    kind,
                                     struct stat  *st_out,
                                     char        **contents,
                                     gsize        *length,
                                     GError      **error);
gboolean  cb_file_is_regular_at     (int           dir_fd,
                                     const char   *name);

G_END_DECLS
