/* cb-application.h: the application: command line, project, config cache, app actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb/cb-config-cache.h"
#include "cb/cb-project.h"

G_BEGIN_DECLS

#define CB_TYPE_APPLICATION (cb_application_get_type ())

G_DECLARE_FINAL_TYPE (CbApplication, cb_application, CB, APPLICATION, AdwApplication)

CbApplication *cb_application_new              (void);
CbProject     *cb_application_get_project      (CbApplication *self);
CbConfigCache *cb_application_get_config_cache (CbApplication *self);
gboolean       cb_application_open_project     (CbApplication *self,
                                                const char    *dir,
                                                GError       **error);

G_END_DECLS
