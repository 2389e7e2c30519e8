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

/**
 * cb_drop_down_improve_search:
 * @drop_down: a #GtkDropDown with search enabled
 * @selection_out: (out) (optional) (transfer none): the popup list's selection model
 *
 * Two things GtkDropDown of GTK 4.8 lacks, done with public calls on its popup; where the
 * pieces are not what they were, the drop-down keeps its own behaviour:
 *
 * - it filters by prefix (search-match-mode came in 4.12): its filter is reachable, as the
 *   popup's list view shows a single selection over a filter model;
 * - typing with the focus on the list does not reach the search entry.
 *
 * Returns: (transfer none) (nullable): the popup's popover, or %NULL when it is not found
 */
GtkWidget *
cb_drop_down_improve_search (GtkWidget          *drop_down,
                             GtkSelectionModel **selection_out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (drop_down); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *popover_child;
      GtkWidget *list;
      GtkWidget *entry;

      if (!GTK_IS_POPOVER (child))
        continue;

      /* popover → box → (search box → entry, scrolled window → list view) */
      popover_child = gtk_popover_get_child (GTK_POPOVER (child));
      if (popover_child == NULL)
        return NULL;
      list = cb_widget_find_descendant (popover_child, GTK_TYPE_LIST_VIEW);
      entry = cb_widget_find_descendant (popover_child, GTK_TYPE_SEARCH_ENTRY);

      if (entry != NULL)
        gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (entry), child);

      if (list != NULL)
        {
          GtkSelectionModel *selection = gtk_list_view_get_model (GTK_LIST_VIEW (list));
          GListModel *filtered = NULL;
          GtkFilter *filter = NULL;

          if (GTK_IS_SINGLE_SELECTION (selection))
            filtered = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection));
          if (GTK_IS_FILTER_LIST_MODEL (filtered))
            filter = gtk_filter_list_model_get_filter (GTK_FILTER_LIST_MODEL (filtered));

          if (GTK_IS_STRING_FILTER (filter))
            gtk_string_filter_set_match_mode (GTK_STRING_FILTER (filter),
                                              GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
          if (selection_out != NULL)
            *selection_out = selection;
        }
      return child;
    }
  return NULL;
}

/**
 * cb_follow_object:
 * @owner: whose @callback follows the object
 * @slot: @owner's weak pointer to the object followed
 * @object: (nullable): the object to follow instead
 * @signal: (nullable): the signal of @object that calls @callback (with @owner as data)
 *
 * Points the weak pointer @slot at @object, moving @owner's handlers from the object it
 * held. Returns %FALSE when @slot held @object already.
 */
gboolean
cb_follow_object (gpointer    owner,
                  gpointer   *slot,
                  gpointer    object,
                  const char *signal,
                  GCallback   callback)
{
  g_return_val_if_fail (slot != NULL, FALSE);

  if (*slot == object)
    return FALSE;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_data (*slot, owner);
      g_object_remove_weak_pointer (G_OBJECT (*slot), slot);
    }
  *slot = object;
  if (object != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (object), slot);
      if (signal != NULL)
        g_signal_connect (object, signal, callback, owner);
    }
  return TRUE;
}
