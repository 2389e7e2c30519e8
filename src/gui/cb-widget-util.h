/* cb-widget-util.h: small widget-tree helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *cb_widget_find_descendant (GtkWidget *widget,
                                      GType      type);

G_END_DECLS
