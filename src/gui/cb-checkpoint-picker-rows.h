/* cb-checkpoint-picker-rows.h: the checkpoint picker's list item factories
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkListItemFactory *_cb_checkpoint_picker_button_factory_new (void);
GtkListItemFactory *_cb_checkpoint_picker_item_factory_new   (GtkDropDown *dropdown);

G_END_DECLS
