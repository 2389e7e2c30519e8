/* cb-field-row.h: the row widget of one schema field, kept in step with the form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb/cb-form.h"

G_BEGIN_DECLS

/* Lists longer than this get a searchable drop-down instead of an AdwComboRow (whose
 * search arrived in libadwaita 1.4). */
#define CB_FIELD_ROW_SEARCH_THRESHOLD 10

typedef struct _CbFieldRow CbFieldRow;

CbFieldRow *cb_field_row_new           (CbForm             *form,
                                        guint               index,
                                        GListModel         *checkpoints);
void        cb_field_row_free          (CbFieldRow         *self);
GtkWidget  *cb_field_row_get_widget    (CbFieldRow         *self);
GtkWidget  *cb_field_row_get_control   (CbFieldRow         *self);
const CbField *cb_field_row_get_field  (CbFieldRow         *self);
gboolean    cb_field_row_update        (CbFieldRow         *self,
                                        const CbFieldState *state);
gboolean    cb_field_row_needs_rebuild (CbFieldRow         *self,
                                        const CbFieldState *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbFieldRow, cb_field_row_free)

G_END_DECLS
