/* cb-preset-window.h: a page's presets, built-in and the project's (win.presets)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb/cb-form.h"
#include "cb/cb-project.h"

G_BEGIN_DECLS

#define CB_TYPE_PRESET_WINDOW (cb_preset_window_get_type ())

G_DECLARE_FINAL_TYPE (CbPresetWindow, cb_preset_window, CB, PRESET_WINDOW, AdwWindow)

CbPresetWindow *cb_preset_window_new         (GtkWindow      *parent,
                                              CbProject      *project,
                                              CbForm         *form,
                                              const char     *page_label);
const char     *cb_preset_window_get_page    (CbPresetWindow *self);
void            cb_preset_window_reload      (CbPresetWindow *self);
gboolean        cb_preset_window_is_loaded   (CbPresetWindow *self);
GtkWidget      *cb_preset_window_get_row     (CbPresetWindow *self,
                                              const char     *name);

G_END_DECLS
