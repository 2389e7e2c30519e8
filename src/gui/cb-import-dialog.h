/* cb-import-dialog.h: a window to paste a command into (win.import-command)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CB_TYPE_IMPORT_DIALOG (cb_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CbImportDialog, cb_import_dialog, CB, IMPORT_DIALOG, AdwWindow)

CbImportDialog *cb_import_dialog_new       (GtkWindow      *parent);
char           *cb_import_dialog_get_text  (CbImportDialog *self);
void            cb_import_dialog_set_text  (CbImportDialog *self,
                                            const char     *text);
void            cb_import_dialog_set_error (CbImportDialog *self,
                                            const char     *message);

G_END_DECLS
