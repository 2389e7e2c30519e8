/* cb-widget-util.c: small widget-tree helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb-widget-util.h"

/* The first widget of @type in @widget's tree (itself included), depth first; NULL if none. */
GtkWidget *
cb_widget_find_descendant (GtkWidget *widget,
                           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cb_widget_find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A toast showing @text as it is. libadwaita 1.2 parses a toast's title as Pango markup,
 * so "Receipts & invoices" (a title from a project's files) would show a blank toast. */
AdwToast *
cb_toast_new_text (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  return adw_toast_new (escaped);
}
