/* cb-compose.h: a project's Hydra config composed natively, as Hydra 1.3 composes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-cfg.h"

G_BEGIN_DECLS

#define CB_COMPOSE_ERROR (cb_compose_error_quark ())

typedef enum
{
  CB_COMPOSE_ERROR_OVERRIDE,     /* an override Hydra's parser refuses, or a sweep */
  CB_COMPOSE_ERROR_MISSING,      /* a config, group or option that does not exist */
  CB_COMPOSE_ERROR_DEFAULTS,     /* a defaults list Hydra refuses */
  CB_COMPOSE_ERROR_KEY,          /* a key=value override the config refuses (struct mode) */
  CB_COMPOSE_ERROR_FILE,         /* a config file that cannot be read */
} CbComposeError;

typedef struct _CbComposer CbComposer;

typedef struct
{
  CbCfg      *config;     /* the job config (what the task gets: no hydra node) */
  CbCfg      *hydra;      /* the hydra node the configs set, or NULL */
  GPtrArray  *choices;    /* char *: "group=option" for every group chosen, in order */
  GPtrArray  *defaults;   /* char *: "config/path (package)" in merge order */
  GPtrArray  *warnings;   /* char *: a choice the defaults list overwrites later, ... */
} CbComposition;

GQuark         cb_compose_error_quark     (void);
CbComposer    *cb_composer_new            (const char          *configs_dir);
CbComposer    *cb_composer_ref            (CbComposer          *self);
void           cb_composer_unref          (CbComposer          *self);
const char    *cb_composer_get_dir        (CbComposer          *self);
guint          cb_composer_preload        (CbComposer          *self);
char         **cb_composer_list_groups    (CbComposer          *self);
gboolean       cb_composer_is_group       (CbComposer          *self,
                                           const char          *group);
char         **cb_composer_list_options   (CbComposer          *self,
                                           const char          *group);
CbComposition *cb_composer_compose        (CbComposer          *self,
                                           const char          *primary,
                                           const char * const  *overrides,
                                           GError             **error);
CbComposition *cb_composer_compose_full   (CbComposer          *self,
                                           const char          *primary,
                                           const char * const  *overrides,
                                           int                 *culprit,
                                           GError             **error);
void           cb_composition_free        (CbComposition       *composition);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbComposer, cb_composer_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbComposition, cb_composition_free)

G_END_DECLS
