/* cb-gui-types.h: GTypes the GUI needs for core structures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cb/cb-project.h"

G_BEGIN_DECLS

/* A boxed type for CbProject (ref-counted), so that it can be a GObject property. It lives
 * here because the core does not register GTypes for its plain structures. */
#define CB_TYPE_GUI_PROJECT (cb_gui_project_get_type ())

GType cb_gui_project_get_type (void) G_GNUC_CONST;

G_END_DECLS
