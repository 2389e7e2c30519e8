/* cb-config.h: an immutable snapshot of what a project's Hydra configs/ tree offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-compose.h"
#include "cb-yaml.h"

G_BEGIN_DECLS

typedef struct
{
  char  *key;
  char  *label;
  char  *description;
  char **overrides;
} CbProfile;

typedef struct
{
  char       *id;
  char       *title;
  char       *description;
  char       *architecture;
  /* parameter name -> GVariant (b, x, d or s), in the order of the file */
  char      **param_names;
  GVariant  **param_values;
  guint       n_params;
} CbUseCase;

typedef struct _CbConfigSnapshot CbConfigSnapshot;

CbConfigSnapshot   *cb_config_snapshot_new_empty      (void);
CbConfigSnapshot   *cb_config_snapshot_load           (const char              *configs_dir,
                                                       GPtrArray               *problems);
CbConfigSnapshot   *cb_config_snapshot_reload         (const char              *configs_dir,
                                                       const CbConfigSnapshot  *previous,
                                                       GPtrArray               *problems);
void                cb_config_check_tree              (const char              *configs_dir,
                                                       GPtrArray               *problems);
CbConfigSnapshot   *cb_config_snapshot_ref            (CbConfigSnapshot        *self);
void                cb_config_snapshot_unref          (CbConfigSnapshot        *self);
const char         *cb_config_snapshot_get_dir        (const CbConfigSnapshot  *self);
const char * const *cb_config_snapshot_get_options    (const CbConfigSnapshot  *self,
                                                       const char              *source);
CbNode             *cb_config_snapshot_get_architecture_metadata (const CbConfigSnapshot *self,
                                                                  const char             *name);
CbNode             *cb_config_snapshot_get_optimizer_metadata    (const CbConfigSnapshot *self,
                                                                  const char             *name);
const CbProfile    *cb_config_snapshot_get_profile    (const CbConfigSnapshot  *self,
                                                       const char              *key);
const char * const *cb_config_snapshot_get_profile_keys (const CbConfigSnapshot *self);
guint               cb_config_snapshot_get_n_use_cases (const CbConfigSnapshot *self);
const CbUseCase    *cb_config_snapshot_get_use_case   (const CbConfigSnapshot  *self,
                                                       guint                    index);
GPtrArray          *cb_config_snapshot_use_cases_for  (const CbConfigSnapshot  *self,
                                                       const char              *architecture);
guint               cb_config_snapshot_get_n_files_parsed (const CbConfigSnapshot *self);
CbComposer         *cb_config_snapshot_get_composer (const CbConfigSnapshot *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbConfigSnapshot, cb_config_snapshot_unref)

G_END_DECLS
