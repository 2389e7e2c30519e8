/* cb-widget-util.h: small widget-tree helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A widget of a template, by its id, and its tooltip (cb_widget_set_tooltips()). */
typedef struct
{
  const char *id;
  const char *text;
} CbTooltip;

GtkWidget *cb_widget_find_descendant   (GtkWidget          *widget,
                                        GType               type);
AdwToast  *cb_toast_new_text           (const char         *text);
void       cb_widget_set_tooltip_text  (GtkWidget          *widget,
                                        const char         *text);
void       cb_widget_set_tooltips      (GtkWidget          *root,
                                        const CbTooltip    *tooltips,
                                        guint               n);
void       cb_widget_set_list_tooltip  (GtkWidget          *widget,
                                        const char         *text);
const char *cb_widget_get_list_tooltip (GtkWidget          *widget);
void       cb_widget_set_live_tooltip  (GtkWidget          *widget,
                                        const char         *text);
gboolean   cb_follow_object            (gpointer            owner,
                                        gpointer           *slot,
                                        gpointer            object,
                                        const char         *signal,
                                        GCallback           callback);
GtkWidget *cb_drop_down_improve_search (GtkWidget          *drop_down,
                                        GtkSelectionModel **selection_out);
void       cb_popup_list_defer         (GtkWidget          *owner,
                                        GtkListItemFactory *list_factory);
void       cb_window_keep              (gpointer            slot,
                                        GtkWindow          *window);
void       cb_window_destroy_kept      (gpointer            slot);

G_END_DECLS
