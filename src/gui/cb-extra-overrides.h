/* cb-extra-overrides.h: a page's overrides that no field covers, one editable row each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb/cb-form.h"

G_BEGIN_DECLS

#define CB_TYPE_EXTRA_OVERRIDES (cb_extra_overrides_get_type ())

G_DECLARE_FINAL_TYPE (CbExtraOverrides, cb_extra_overrides, CB, EXTRA_OVERRIDES,
                      AdwPreferencesGroup)

void       cb_extra_overrides_set_form    (CbExtraOverrides *self,
                                           CbForm           *form);
guint      cb_extra_overrides_get_n_rows  (CbExtraOverrides *self);
GtkWidget *cb_extra_overrides_get_row     (CbExtraOverrides *self,
                                           guint             index);
GtkWidget *cb_extra_overrides_add_row     (CbExtraOverrides *self,
                                           const char       *text);
void       cb_extra_overrides_remove_row  (CbExtraOverrides *self,
                                           guint             index);
const char *cb_extra_overrides_get_row_error (CbExtraOverrides *self,
                                           guint             index);

G_END_DECLS
