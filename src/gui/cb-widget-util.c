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

static gboolean
root_is_mapped (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return root != NULL && gtk_widget_get_mapped (GTK_WIDGET (root));
}

/**
 * cb_widget_set_tooltip_text:
 * @widget: a #GtkWidget
 * @text: (nullable): the tooltip; %NULL or "" for none
 *
 * gtk_widget_set_tooltip_text(), only when the text changes. GTK 4.8 asks where the pointer
 * is after every call on a visible widget (the default in GTK 4, mapped or not), even with the
 * same text: on X11 a round trip to the server, 0.1 ms on an idle one, milliseconds while it
 * is busy painting the last frame. List rows set their tooltips again each time they are bound
 * (the image list on every image switch), the Jobs rows every second while a run goes.
 */
void
cb_widget_set_tooltip_text (GtkWidget  *widget,
                            const char *text)
{
  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0)
    return;
  if (gtk_widget_get_visible (widget) && !root_is_mapped (widget))
    {
      /* Nothing of the window is on screen yet (it is being built): no pointer can be over
       * the widget, but GTK would ask the server all the same. It does not ask for a widget
       * that is hidden, and hiding one whose window is not shown costs no frame. */
      gtk_widget_set_visible (widget, FALSE);
      gtk_widget_set_tooltip_text (widget, text);
      gtk_widget_set_visible (widget, TRUE);
      return;
    }
  gtk_widget_set_tooltip_text (widget, text);
}

static GQuark
list_tooltip_quark (void)
{
  return g_quark_from_static_string ("cb-list-tooltip");
}

static gboolean
query_list_tooltip_cb (GtkWidget  *widget,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip)
{
  const char *text = g_object_get_qdata (G_OBJECT (widget), list_tooltip_quark ());

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * cb_widget_set_list_tooltip:
 * @widget: a #GtkWidget in a list row
 * @text: (nullable): the tooltip; %NULL or "" for none
 *
 * A tooltip for a list row's widget, which is bound to another item at every scroll: the text
 * is kept with the widget and handed to GTK only when GTK shows the tooltip. Each
 * gtk_widget_set_tooltip_text() with a new text costs a round trip to the X server (see
 * cb_widget_set_tooltip_text()), and a scroll binds a screenful of rows at once.
 */
void
cb_widget_set_list_tooltip (GtkWidget  *widget,
                            const char *text)
{
  GObject *object = G_OBJECT (widget);

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (g_object_get_qdata (object, list_tooltip_quark ()), text) == 0)
    return;
  if (g_object_get_data (object, "cb-list-tooltip-handler") == NULL)
    {
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_list_tooltip_cb), NULL);
      g_object_set_data (object, "cb-list-tooltip-handler", GINT_TO_POINTER (TRUE));
    }
  g_object_set_qdata_full (object, list_tooltip_quark (), g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL);
}

/**
 * cb_widget_set_live_tooltip:
 * @widget: a #GtkWidget on screen whose tooltip follows what it shows
 * @text: (nullable): the tooltip; %NULL or "" for none
 *
 * A tooltip that changes while its widget is on screen (Run's, at every tab switch between a
 * page that can run and one that cannot). Each gtk_widget_set_tooltip_text() with a new text
 * there costs two round trips to the X server (the client pointer, then where it is): the
 * text is kept with the widget as cb_widget_set_list_tooltip() keeps it, given to GTK when
 * it shows the tooltip, and to accessibility as the widget's description, as GTK does with a
 * tooltip. Only while the pointer is over the widget is the shown tooltip asked for again.
 */
void
cb_widget_set_live_tooltip (GtkWidget  *widget,
                            const char *text)
{
  GtkEventController *motion;

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (cb_widget_get_list_tooltip (widget), text) == 0)
    return;

  motion = g_object_get_data (G_OBJECT (widget), "cb-live-tooltip-motion");
  if (motion == NULL)
    {
      motion = gtk_event_controller_motion_new ();
      gtk_widget_add_controller (widget, motion);
      g_object_set_data (G_OBJECT (widget), "cb-live-tooltip-motion", motion);
    }
  cb_widget_set_list_tooltip (widget, text);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  if (gtk_event_controller_motion_contains_pointer (GTK_EVENT_CONTROLLER_MOTION (motion)))
    gtk_widget_trigger_tooltip_query (widget);
}

/* The text cb_widget_set_list_tooltip() keeps for @widget: for tests. */
const char *
cb_widget_get_list_tooltip (GtkWidget *widget)
{
  return g_object_get_qdata (G_OBJECT (widget), list_tooltip_quark ());
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

#define DEFERRED_FACTORY_KEY "cb-popup-list-factory"

static void
set_list_factory (GtkWidget          *owner,
                  GtkListItemFactory *factory)
{
  if (ADW_IS_COMBO_ROW (owner))
    adw_combo_row_set_list_factory (ADW_COMBO_ROW (owner), factory);
  else
    gtk_drop_down_set_list_factory (GTK_DROP_DOWN (owner), factory);
}

static void
deferred_popup_show_cb (GtkWidget *popover,
                        GtkWidget *owner)
{
  GtkListItemFactory *factory = g_object_get_data (G_OBJECT (popover), DEFERRED_FACTORY_KEY);

  g_signal_handlers_disconnect_by_func (popover, deferred_popup_show_cb, owner);
  set_list_factory (owner, factory);
  g_object_set_data (G_OBJECT (popover), DEFERRED_FACTORY_KEY, NULL);
  /* The popover gave the focus to an item as it opened: keep it inside if that went. */
  if (gtk_widget_get_focus_child (popover) == NULL)
    gtk_widget_child_focus (popover, GTK_DIR_TAB_FORWARD);
}

/**
 * cb_popup_list_defer:
 * @owner: an #AdwComboRow or a #GtkDropDown, before it has items
 * @list_factory: (nullable): the factory of its popup's items (%NULL: the owner's own)
 *
 * A combo row or a drop-down builds the items of its popup's list (a box, a label and an
 * icon each) when it gets its model, long before the popup opens, if ever. Until the popup
 * first shows, its items are built by a factory that builds nothing; then @list_factory
 * takes over, before the popup's first frame. The list, its model and its selection are
 * the same all along, so search, keyboard and selection work as before.
 */
void
cb_popup_list_defer (GtkWidget          *owner,
                     GtkListItemFactory *list_factory)
{
  g_autoptr(GtkListItemFactory) empty = gtk_signal_list_item_factory_new ();
  GtkWidget *popover;

  g_return_if_fail (ADW_IS_COMBO_ROW (owner) || GTK_IS_DROP_DOWN (owner));
  g_return_if_fail (list_factory == NULL || GTK_IS_LIST_ITEM_FACTORY (list_factory));

  popover = cb_widget_find_descendant (owner, GTK_TYPE_POPOVER);
  if (popover == NULL)
    {
      /* Not built as it was in GTK 4.8 and libadwaita 1.2: no deferring. */
      set_list_factory (owner, list_factory);
      return;
    }

  set_list_factory (owner, empty);
  if (list_factory != NULL)
    g_object_set_data_full (G_OBJECT (popover), DEFERRED_FACTORY_KEY,
                            g_object_ref (list_factory), g_object_unref);
  g_signal_connect (popover, "show", G_CALLBACK (deferred_popup_show_cb), owner);
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

/**
 * cb_window_keep:
 * @slot: (not nullable): where a window made on first use is kept, %NULL until then
 * @window: the window just made
 *
 * Keeps @window in @slot while it lives: the slot is a weak pointer, %NULL again once the
 * window is destroyed (closed, when it does not hide on close).
 */
void
cb_window_keep (gpointer   slot,
                GtkWindow *window)
{
  GtkWindow **kept = slot;

  g_return_if_fail (kept != NULL && *kept == NULL);
  g_return_if_fail (GTK_IS_WINDOW (window));

  *kept = window;
  g_object_add_weak_pointer (G_OBJECT (window), slot);
}

/**
 * cb_window_destroy_kept:
 * @slot: a slot of cb_window_keep()
 *
 * Destroys the window kept in @slot, if any, and empties the slot. For the dispose of the
 * window that made it.
 */
void
cb_window_destroy_kept (gpointer slot)
{
  GtkWindow **kept = slot;
  GtkWindow *window = *kept;

  if (window == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (window), slot);
  *kept = NULL;
  gtk_window_destroy (window);
}

/**
 * cb_widget_set_tooltips:
 * @root: a widget made from a template
 * @tooltips: (array length=n): ids of @root's template and their tooltips, marked for
 *   translation
 * @n: how many
 *
 * Gives the widgets under @root whose template ids are in @tooltips their tooltip, translated,
 * as cb_widget_set_tooltip_text() does: a `tooltip-text` in the template would make GTK ask the
 * X server where the pointer is, once per widget, while the window is being built.
 */
void
cb_widget_set_tooltips (GtkWidget       *root,
                        const CbTooltip *tooltips,
                        guint            n)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (root));

  for (guint i = 0; id != NULL && i < n; i++)
    if (g_str_equal (id, tooltips[i].id))
      cb_widget_set_tooltip_text (root, g_dgettext (GETTEXT_PACKAGE, tooltips[i].text));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cb_widget_set_tooltips (child, tooltips, n);
}
