/* cb-run-overrides.h: a run's settings, from the .hydra/overrides.yaml Hydra saved with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cb-checkpoint.h"

G_BEGIN_DECLS

#define CB_RUN_OVERRIDES_ERROR (cb_run_overrides_error_quark ())

typedef enum
{
  CB_RUN_OVERRIDES_ERROR_NOT_A_LIST,  /* the YAML is not a list of strings */
  CB_RUN_OVERRIDES_ERROR_NO_RUN,      /* no run folder (.hydra/) at or above the path */
  CB_RUN_OVERRIDES_ERROR_NO_PAGE,     /* the run does not say which page it is */
} CbRunOverridesError;

/* What "Use This Run's Settings" loads: the run's overrides, for the page of its runner. */
typedef struct
{
  char  *run_dir;         /* the folder that holds .hydra/ */
  char  *overrides_file;  /* its overrides.yaml as messages name it */
  char  *page;            /* hydra.yaml's hydra.job.name, else the fallback page */
  char **overrides;       /* overrides.yaml, in order */
} CbRunSettings;

/* A run folder the checkpoint scanner found, as lists of runs offer it. */
typedef struct
{
  char   *run_dir;  /* the folder that holds .hydra/ */
  char   *title;    /* its exp_name, else its folder under outputs/ */
  char   *page;     /* hydra.yaml's hydra.job.name, else the fallback page; NULL until
                     * resolved */
  gint64  mtime;    /* its newest checkpoint's */
} CbRunFolder;

GQuark          cb_run_overrides_error_quark (void);
char          **cb_run_overrides_parse       (const char           *data,
                                              gsize                 length,
                                              const char           *filename,
                                              GError              **error);
char           *cb_run_overrides_find_run_dir (const char          *path);
char           *cb_run_read_job_name         (const char           *run_dir);
CbRunSettings  *cb_run_settings_read         (const char           *path,
                                              const char           *fallback_page,
                                              const char           *project_root,
                                              GError              **error);
void            cb_run_settings_read_async   (const char           *path,
                                              const char           *fallback_page,
                                              const char           *project_root,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CbRunSettings  *cb_run_settings_read_finish  (GAsyncResult         *result,
                                              GError              **error);
char          **cb_run_settings_dup_argv     (const CbRunSettings  *self);
void            cb_run_settings_free         (CbRunSettings        *self);

GPtrArray      *cb_run_folders_collect       (GListModel           *checkpoints,
                                              const char           *outputs_dir);
GPtrArray      *cb_run_folders_resolve       (GPtrArray            *folders,
                                              const char           *fallback_page);
void            cb_run_folder_free           (CbRunFolder          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbRunSettings, cb_run_settings_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbRunFolder, cb_run_folder_free)

G_END_DECLS
