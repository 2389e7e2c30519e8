/* cb-window-menus.c: the window's main menu and its Keyboard Shortcuts window
 * (win.show-help-overlay), each built the first time it is opened
 *
 * Both cost time on the way to the first frame when built with the window, and most starts
 * open neither: GtkMenuButton makes the menu's popover and every item's widgets as soon as it
 * is given the menu model; GtkApplication builds `gtk/help-overlay.ui` (some 160 lines of
 * GtkBuilder XML, a few dozen widgets) for every window it is given, about 4 ms here. The
 * menu gets its model when it first opens (a click or F10); the shortcuts window is built on
 * the first Ctrl+? or menu item, and kept for the next one (closing it hides it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-widget-util.h"
#include "cb-window-private.h"

#define SHORTCUTS_RESOURCE "/org/ocrkit/CommandBuilder/cb-shortcuts-window.ui"

static GtkWindow *
build_shortcuts_window (CbWindow *self)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *shortcuts;

  gtk_builder_set_translation_domain (builder, GETTEXT_PACKAGE);
  if (!gtk_builder_add_from_resource (builder, SHORTCUTS_RESOURCE, &error))
    {
      /* Only a broken build gets here: the file is compiled into the program. */
      g_critical ("%s: %s", SHORTCUTS_RESOURCE, error->message);
      return NULL;
    }
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (self));
  gtk_window_set_hide_on_close (shortcuts, TRUE);
  return shortcuts;
}

static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->shortcuts_window == NULL)
    {
      GtkWindow *shortcuts = build_shortcuts_window (self);

      if (shortcuts == NULL)
        return;
      cb_window_keep (&self->shortcuts_window, shortcuts);
    }
  gtk_window_present (self->shortcuts_window);
}

static void
create_menu_popup_cb (GtkMenuButton *button,
                      gpointer       user_data)
{
  CbWindow *self = CB_WINDOW (user_data);

  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

void
_cb_window_init_menus (CbWindow *self)
{
  cb_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), _("Main Menu"));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_popup_cb, self, NULL);
}

void
_cb_window_class_init_menus (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, CbWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, primary_menu);

  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_action);
  /* As GtkApplication binds it for its own help overlay: Ctrl+? (Shift is consumed). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-help-overlay", NULL);
}

void
_cb_window_dispose_menus (CbWindow *self)
{
  cb_window_destroy_kept (&self->shortcuts_window);
}

/* For tests: the Keyboard Shortcuts window, or NULL before its first use. */
GtkWidget *
_cb_window_get_shortcuts_window (CbWindow *self)
{
  return self->shortcuts_window ? GTK_WIDGET (self->shortcuts_window) : NULL;
}
