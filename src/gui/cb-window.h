/* cb-window.h: the main window: page tabs, the pages, the command preview, the terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-config-cache.h"
#include "cb/cb-project.h"
#include "cb-command-view.h"
#include "cb-page.h"
#include "cb-state-store.h"
#include "cb-terminal-pane.h"

G_BEGIN_DECLS

#define CB_TYPE_WINDOW (cb_window_get_type ())

G_DECLARE_FINAL_TYPE (CbWindow, cb_window, CB, WINDOW, AdwApplicationWindow)

CbWindow      *cb_window_new                 (GtkApplication      *application,
                                              CbProject           *project,
                                              CbConfigCache       *config_cache,
                                              CbCheckpointScanner *checkpoint_scanner,
                                              GPtrArray           *problems);
CbProject     *cb_window_get_project         (CbWindow            *self);
CbConfigCache *cb_window_get_config_cache    (CbWindow            *self);
CbPage        *cb_window_get_page            (CbWindow            *self,
                                              const char          *page_name);
CbPage        *cb_window_get_visible_page    (CbWindow            *self);
void           cb_window_set_visible_page    (CbWindow            *self,
                                              const char          *page_name);
void           cb_window_build_all_pages     (CbWindow            *self);
CbCommandView *cb_window_get_command_view    (CbWindow            *self);
CbStateStore  *cb_window_get_state_store     (CbWindow            *self);
CbTerminalPane *cb_window_get_terminal_pane  (CbWindow            *self);
GtkWidget     *cb_window_get_problems_banner (CbWindow            *self);
GtkWidget     *cb_window_get_runs_view       (CbWindow            *self);
GtkWidget     *cb_window_get_jobs_pane       (CbWindow            *self);
GtkDropDown   *cb_window_get_target_dropdown (CbWindow            *self);
GtkWidget     *cb_window_get_predictions_view (CbWindow           *self);
gboolean       cb_window_save_state          (CbWindow            *self);

G_END_DECLS
