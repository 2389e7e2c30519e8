/* cb-window-predictions.c: the window's Predictions view (win.show-predictions), and the
 * prediction runs that end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-predictions-view.h"
#include "cb-widget-util.h"
#include "cb-window-private.h"

static void
show_predictions_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->predictions_view == NULL)
    {
      cb_window_keep (&self->predictions_view,
                      GTK_WINDOW (cb_predictions_view_new (GTK_WINDOW (self))));
      if (self->project != NULL)
        {
          g_autofree char *outputs = cb_project_get_path (self->project,
                                                          self->project->outputs_dir);
          /* Translators: the title of the Predictions window; %s is the project's folder */
          g_autofree char *title = g_strdup_printf (_("Predictions — %s"), self->project->name);

          gtk_window_set_title (GTK_WINDOW (self->predictions_view), title);
          cb_predictions_view_set_project (self->predictions_view, self->project->root, outputs);
        }
    }
  gtk_window_present (GTK_WINDOW (self->predictions_view));
}

/* A Predict run ended well: its submission is new. The open view shows it (the newest);
 * else a toast offers to. */
static void
finished_cb (CbTerminalPane *pane,
             int             exit_status,
             int             exit_signal,
             double          seconds,
             CbWindow       *self)
{
  CbRunHistory *history = cb_terminal_pane_get_history (pane);
  g_autoptr(CbRunRecord) last = NULL;
  GListModel *entries;
  AdwToast *toast;

  if (exit_status != 0 || history == NULL)
    return;
  entries = cb_run_history_get_entries (history);
  if (g_list_model_get_n_items (entries) == 0)
    return;
  last = g_list_model_get_item (entries, 0);
  if (g_strcmp0 (cb_run_record_get_page (last), "predict") != 0)
    return;

  if (self->predictions_view != NULL)
    {
      cb_predictions_view_show_newest (self->predictions_view);
      return;
    }
  toast = cb_toast_new_text (_("The prediction run wrote its submission"));
  adw_toast_set_button_label (toast, _("_Show Predictions"));
  adw_toast_set_action_name (toast, "win.show-predictions");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
pane_added_cb (CbJobsPane     *jobs_pane,
               CbTerminalPane *pane,
               CbWindow       *self)
{
  g_signal_connect_object (pane, "finished", G_CALLBACK (finished_cb), self, G_CONNECT_AFTER);
}

void
_cb_window_init_predictions (CbWindow *self)
{
  g_signal_connect_object (self->jobs_pane, "pane-added", G_CALLBACK (pane_added_cb), self, 0);
  for (guint i = 0; i < cb_jobs_pane_get_n_panes (self->jobs_pane); i++)
    pane_added_cb (self->jobs_pane, cb_jobs_pane_get_pane (self->jobs_pane, i), self);
}

void
_cb_window_class_init_predictions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-predictions", NULL,
                                   show_predictions_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-predictions", NULL);
}

void
_cb_window_dispose_predictions (CbWindow *self)
{
  cb_window_destroy_kept (&self->predictions_view);
}

/* For tests: the Predictions view, or NULL before win.show-predictions. */
GtkWidget *
cb_window_get_predictions_view (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->predictions_view);
}
