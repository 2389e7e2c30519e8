/* cb-changes-view.h: what differs on a page from its defaults, a history entry or a run folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb/cb-form.h"

G_BEGIN_DECLS

#define CB_TYPE_CHANGES_VIEW (cb_changes_view_get_type ())

G_DECLARE_FINAL_TYPE (CbChangesView, cb_changes_view, CB, CHANGES_VIEW, AdwWindow)

CbChangesView *cb_changes_view_new           (GtkWindow     *parent);
void           cb_changes_view_set_form      (CbChangesView *self,
                                              CbForm        *form,
                                              const char    *title);
void           cb_changes_view_set_history   (CbChangesView *self,
                                              GListModel    *entries);
void           cb_changes_view_set_runs      (CbChangesView *self,
                                              GListModel    *checkpoints,
                                              const char    *outputs_dir,
                                              const char    *project_root);
void           cb_changes_view_set_baseline  (CbChangesView *self,
                                              guint          position);
guint          cb_changes_view_get_n_baselines (CbChangesView *self);
guint          cb_changes_view_get_n_runs    (CbChangesView *self);
gboolean       cb_changes_view_get_busy      (CbChangesView *self);
guint          cb_changes_view_get_n_changes (CbChangesView *self);
GtkListBox    *cb_changes_view_get_list_box  (CbChangesView *self);

G_END_DECLS
