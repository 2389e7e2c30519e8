/* cb-window-config.c: the window's Config view of the visible page (win.show-config)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-config-view.h"
#include "cb-page.h"
#include "cb-window-private.h"

/* The page's tab label: Train, Test, Predict. */
const char *
_cb_window_page_label (CbPage *page)
{
  const char *name = cb_page_get_page_name (page);

  if (g_str_equal (name, "train"))
    return C_("page", "Train");
  if (g_str_equal (name, "test"))
    return C_("page", "Test");
  if (g_str_equal (name, "predict"))
    return C_("page", "Predict");
  return name;
}

/* The view shows the visible page's composition; it follows tab switches while open. */
void
_cb_window_update_config_view (CbWindow *self)
{
  CbPage *page = cb_window_get_visible_page (self);
  g_autofree char *file = NULL;
  g_autofree char *title = NULL;
  const char *name;

  if (self->config_view == NULL || page == NULL)
    return;

  name = cb_page_get_page_name (page);
  file = g_strdup_printf ("%s.yaml", self->project != NULL
                                       ? cb_project_get_config_name (self->project, name)
                                       : name);
  /* Translators: the title of the Config view; %s is the page's tab (Train, Test, Predict) */
  title = g_strdup_printf (_("Config — %s"), _cb_window_page_label (page));
  gtk_window_set_title (GTK_WINDOW (self->config_view), title);
  cb_config_view_set_form (self->config_view, cb_page_get_form (page), file);
}

static void
show_config_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->config_view == NULL)
    {
      self->config_view = cb_config_view_new (GTK_WINDOW (self));
      g_object_add_weak_pointer (G_OBJECT (self->config_view), (gpointer *) &self->config_view);
    }
  _cb_window_update_config_view (self);
  gtk_window_present (GTK_WINDOW (self->config_view));
}

void
_cb_window_class_init_config (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-config", NULL, show_config_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-config", NULL);
}

void
_cb_window_dispose_config (CbWindow *self)
{
  if (self->config_view != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->config_view), (gpointer *) &self->config_view);
      gtk_window_destroy (GTK_WINDOW (self->config_view));
      self->config_view = NULL;
    }
}
