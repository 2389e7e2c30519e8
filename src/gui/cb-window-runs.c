/* cb-window-runs.c: the window's Runs view (win.show-runs) and what it leads to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-page.h"
#include "cb-runs-view.h"
#include "cb-widget-util.h"
#include "cb-window-private.h"

/* The checkpoint into the Test or Predict page, whose model fields then follow its run (the
 * page says so in a toast with Undo, as for a checkpoint chosen in its picker). */
static void
use_checkpoint_cb (CbRunsView *view,
                   const char *page_name,
                   const char *path,
                   CbWindow   *self)
{
  g_autoptr(GError) error = NULL;
  CbPage *page = cb_window_get_page (self, page_name);
  CbForm *form;

  if (page == NULL)
    return;
  cb_window_set_visible_page (self, page_name);
  form = cb_page_get_form (page);
  if (form == NULL)
    return;

  cb_form_freeze (form);
  if (!cb_form_set_value_from_string (form, "checkpoint_path", path, &error))
    {
      cb_form_thaw (form);
      _cb_window_show_toast (self, error->message);
      return;
    }
  /* The model fields follow the checkpoint's run, as "Use the Checkpoint's Settings" does. */
  cb_form_use_checkpoint_settings (form);
  cb_form_thaw (form);
  gtk_window_present (GTK_WINDOW (self));
}

static void
use_settings_cb (CbRunsView *view,
                 const char *run_dir,
                 CbWindow   *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.use-run-settings", "s", run_dir);
  gtk_window_present (GTK_WINDOW (self));
}

static void
checkpoints_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        CbRunsView *view)
{
  /* A new run folder (or a new checkpoint of one): look again. */
  cb_runs_view_refresh (view);
}

/* The view follows the window's project, run history and checkpoint scanner. */
void
_cb_window_update_runs_view (CbWindow *self)
{
  g_autofree char *outputs = NULL;

  if (self->runs_view == NULL || self->project == NULL)
    return;
  outputs = cb_project_get_path (self->project, self->project->outputs_dir);
  cb_runs_view_set_project (self->runs_view, self->project->root, outputs);
  cb_runs_view_set_history (self->runs_view, self->run_history
                              ? cb_run_history_get_entries (self->run_history) : NULL);
}

static void
show_runs_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->runs_view == NULL)
    {
      g_autofree char *title = NULL;

      cb_window_keep (&self->runs_view, GTK_WINDOW (cb_runs_view_new (GTK_WINDOW (self))));
      if (self->project != NULL)
        {
          /* Translators: the title of the Runs window; %s is the project's folder name */
          title = g_strdup_printf (_("Runs — %s"), self->project->name);
          gtk_window_set_title (GTK_WINDOW (self->runs_view), title);
        }
      g_signal_connect_object (self->runs_view, "use-checkpoint",
                               G_CALLBACK (use_checkpoint_cb), self, 0);
      g_signal_connect_object (self->runs_view, "use-settings",
                               G_CALLBACK (use_settings_cb), self, 0);
      if (self->checkpoint_scanner != NULL)
        g_signal_connect_object (cb_checkpoint_scanner_get_model (self->checkpoint_scanner),
                                 "items-changed", G_CALLBACK (checkpoints_changed_cb),
                                 self->runs_view, 0);
      _cb_window_update_runs_view (self);
    }
  gtk_window_present (GTK_WINDOW (self->runs_view));
}

void
_cb_window_class_init_runs (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-runs", NULL, show_runs_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-runs", NULL);
}

void
_cb_window_dispose_runs (CbWindow *self)
{
  cb_window_destroy_kept (&self->runs_view);
}

/* For tests: the Runs view, or NULL before win.show-runs. */
GtkWidget *
cb_window_get_runs_view (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->runs_view);
}
