/* cb-row-mark.h: the mark of a row whose value differs from its default
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb/cb-form.h"

G_BEGIN_DECLS

GtkWidget *cb_row_mark_new    (const CbField      *field);
void       cb_row_mark_update (GtkWidget          *mark,
                               GtkWidget          *row,
                               const CbField      *field,
                               const CbFieldState *state);

G_END_DECLS
