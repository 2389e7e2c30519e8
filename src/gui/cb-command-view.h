/* cb-command-view.h: the read-only, selectable command preview with its Copy and Run buttons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CB_TYPE_COMMAND_VIEW (cb_command_view_get_type ())

G_DECLARE_FINAL_TYPE (CbCommandView, cb_command_view, CB, COMMAND_VIEW, GtkWidget)

GtkWidget  *cb_command_view_new               (void);
void        cb_command_view_set_command       (CbCommandView *self,
                                               const char    *text,
                                               const char    *problem);
const char *cb_command_view_get_text          (CbCommandView *self);
const char *cb_command_view_get_problem       (CbCommandView *self);
gboolean    cb_command_view_has_selection     (CbCommandView *self);
char       *cb_command_view_get_selected_text (CbCommandView *self);
guint       cb_command_view_get_n_updates     (CbCommandView *self);
void        cb_command_view_set_job_script    (CbCommandView *self,
                                               gboolean       job_script);
void        cb_command_view_set_sweep         (CbCommandView *self,
                                               const char    *summary);
void        cb_command_view_set_running       (CbCommandView *self,
                                               gboolean       running);
gboolean    cb_command_view_get_running       (CbCommandView *self);
void        cb_command_view_set_multiline     (CbCommandView *self,
                                               gboolean       multiline);
gboolean    cb_command_view_get_multiline     (CbCommandView *self);
GtkWidget  *cb_command_view_get_run_button    (CbCommandView *self);

G_END_DECLS
