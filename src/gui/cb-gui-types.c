/* cb-gui-types.c: GTypes the GUI needs for core structures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-gui-types"

#include "config.h"

#include "cb-gui-types.h"

typedef CbProject CbGuiProject;

G_DEFINE_BOXED_TYPE (CbGuiProject, cb_gui_project, cb_project_ref, cb_project_unref)
