/* cb-project.h: a project root and its settings file (command-builder.yaml)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-problem.h"

G_BEGIN_DECLS

#define CB_PROJECT_SETTINGS_FILE "command-builder.yaml"

typedef struct
{
  char  *root;          /* absolute */
  char  *name;          /* basename of root */
  char  *settings_path; /* NULL when the project has no settings file */
  char **launcher;      /* e.g. { "uv", "run", "python", NULL } */
  char  *runners_dir;   /* relative to root */
  char  *configs_dir;
  char  *outputs_dir;
  char  *schemas_dir;   /* NULL: the bundled schemas */
  GHashTable *config_names;  /* page -> the runner's Hydra config_name, where it differs */
} CbProject;

CbProject  *cb_project_load             (const char       *root,
                                         GPtrArray        *problems);
CbProject  *cb_project_ref              (CbProject        *project);
void        cb_project_unref            (CbProject        *project);
char       *cb_project_get_path         (const CbProject  *project,
                                         const char       *relative);
char       *cb_project_find_schema      (const CbProject  *project,
                                         const char       *schemas_dir,
                                         const char       *page);
const char *cb_project_get_config_name  (const CbProject  *project,
                                         const char       *page);
void        cb_project_check_page       (const CbProject  *project,
                                         const char       *page,
                                         CbProblemSeverity severity,
                                         GPtrArray        *problems);
const char *cb_data_dir                 (void);
char       *cb_find_project_root        (const char       *explicit_dir,
                                         GError          **error);
gboolean    cb_copy_demo_project        (const char       *dest,
                                         GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbProject, cb_project_unref)

G_END_DECLS
