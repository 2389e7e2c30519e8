/* cb-window-changes.c: the window's Changes view of the visible page (win.show-changes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-changes-view.h"
#include "cb-page.h"
#include "cb-widget-util.h"
#include "cb-window-private.h"

/* The view shows the visible page; it follows tab switches while open. */
void
_cb_window_update_changes_view (CbWindow *self)
{
  CbPage *page = cb_window_get_visible_page (self);
  g_autofree char *title = NULL;

  if (self->changes_view == NULL || page == NULL)
    return;

  /* Translators: the title of the Changes window; %s is the page's tab (Train, Test, …) */
  title = g_strdup_printf (_("Changes — %s"), _cb_window_page_label (page));
  gtk_window_set_title (GTK_WINDOW (self->changes_view), title);
  cb_changes_view_set_history (self->changes_view, self->run_history
                                 ? cb_run_history_get_entries (self->run_history) : NULL);
  if (self->checkpoint_scanner != NULL && self->project != NULL)
    {
      g_autofree char *outputs = cb_project_get_path (self->project, self->project->outputs_dir);

      cb_changes_view_set_runs (self->changes_view,
                                cb_checkpoint_scanner_get_model (self->checkpoint_scanner),
                                outputs, self->project->root);
    }
  cb_changes_view_set_form (self->changes_view, cb_page_get_form (page),
                            _cb_window_page_label (page));
}

static void
show_changes_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->changes_view == NULL)
    cb_window_keep (&self->changes_view, GTK_WINDOW (cb_changes_view_new (GTK_WINDOW (self))));
  _cb_window_update_changes_view (self);
  gtk_window_present (GTK_WINDOW (self->changes_view));
}

void
_cb_window_class_init_changes (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-changes", NULL, show_changes_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-changes", NULL);
}

void
_cb_window_dispose_changes (CbWindow *self)
{
  cb_window_destroy_kept (&self->changes_view);
}

/* For tests: the Changes view, or NULL before win.show-changes. */
GtkWidget *
_cb_window_get_changes_view (CbWindow *self)
{
  return self->changes_view ? GTK_WIDGET (self->changes_view) : NULL;
}
