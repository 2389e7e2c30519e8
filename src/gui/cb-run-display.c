/* cb-run-display.c: how a run's outcome looks, and the rows of the Recent Runs list
 *
 * One look for an outcome wherever it is shown (the terminal pane's status strip and the
 * run history): an icon and a style class.
 *
 *   success      emblem-ok       success (green)
 *   stopped      process-stop    none: the user asked for it, nothing went wrong
 *   signalled    process-stop    warning (a signal no one here sent: a crash, the OOM killer)
 *   failed       dialog-error    error (red)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-run-display"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cb-run-display.h"
#include "cb-widget-util.h"

typedef struct
{
  CbRunRecord         *record;
  CbRunRowRequest      request;
  CbRunRowRequestFunc  func;
  gpointer             user_data;
} RowRequest;

static void
row_request_free (gpointer data)
{
  RowRequest *request = data;

  g_clear_object (&request->record);
  g_free (request);
}

static void
row_button_clicked_cb (GtkButton  *button,
                       RowRequest *request)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));

  request->func (request->record, request->request, request->user_data);
}

static const char *
page_title (const char *page)
{
  if (g_strcmp0 (page, "train") == 0)
    return _("Train");
  if (g_strcmp0 (page, "test") == 0)
    return _("Test");
  if (g_strcmp0 (page, "predict") == 0)
    return _("Predict");
  return page;
}

static char *
format_start_time (GDateTime *start_time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (start_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time today, see the strftime(3) manual */
    return g_date_time_format (local, _("%H:%M"));

  /* Translators: a date and time, see the strftime(3) manual */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

static GtkWidget *
new_row_button (CbRunRecord         *record,
                CbRunRowRequest      what,
                const char          *name,
                const char          *icon_name,
                const char          *label,
                const char          *tooltip,
                CbRunRowRequestFunc  func,
                gpointer             user_data)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();
  RowRequest *request = g_new0 (RowRequest, 1);

  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), icon_name);
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_set_name (button, name);
  cb_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");

  request->record = g_object_ref (record);
  request->request = what;
  request->func = func;
  request->user_data = user_data;
  g_object_set_data_full (G_OBJECT (button), "cb-run-request", request, row_request_free);
  g_signal_connect (button, "clicked", G_CALLBACK (row_button_clicked_cb), request);

  return button;
}

/**
 * cb_run_display_outcome_style:
 * @icon_name: (out): the icon for @outcome
 * @style_class: (out) (nullable): the style class for @outcome, or %NULL for none
 */
void
cb_run_display_outcome_style (CbRunOutcome   outcome,
                              const char   **icon_name,
                              const char   **style_class)
{
  g_return_if_fail (icon_name != NULL && style_class != NULL);

  switch (outcome)
    {
    case CB_RUN_OUTCOME_SUCCESS:
      *icon_name = "emblem-ok-symbolic";
      *style_class = "success";
      break;

    case CB_RUN_OUTCOME_STOPPED:
      *icon_name = "process-stop-symbolic";
      *style_class = NULL;
      break;

    case CB_RUN_OUTCOME_SIGNALED:
      *icon_name = "process-stop-symbolic";
      *style_class = "warning";
      break;

    case CB_RUN_OUTCOME_RUNNING:
      *icon_name = "media-playback-start-symbolic";
      *style_class = "accent";
      break;

    case CB_RUN_OUTCOME_INTERRUPTED:
      *icon_name = "dialog-warning-symbolic";
      *style_class = "warning";
      break;

    case CB_RUN_OUTCOME_FAILED:
    case CB_RUN_OUTCOME_NOT_STARTED:
    default:
      *icon_name = "dialog-error-symbolic";
      *style_class = "error";
      break;
    }
}

/**
 * cb_run_row_new:
 * @record: the run
 * @running_source: an object with a boolean "running" property (the terminal pane): Run
 *   Again is insensitive while it is %TRUE
 * @func: called with @user_data when a button of the row is clicked, after the popover the
 *   row is in has been closed
 *
 * Returns: (transfer floating): a row for the Recent Runs list: how the run ended, its page
 *   and start time, the command, and Copy, Use This Run's Settings and Run Again
 */
GtkWidget *
cb_run_row_new (CbRunRecord         *record,
                GObject             *running_source,
                CbRunRowRequestFunc  func,
                gpointer             user_data)
{
  g_autofree char *when = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *summary = NULL;
  const char *page;
  const char *icon_name;
  const char *style_class;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *line;
  GtkWidget *icon;
  GtkWidget *label;
  GtkWidget *buttons;
  GtkWidget *button;

  g_return_val_if_fail (CB_IS_RUN_RECORD (record), NULL);
  g_return_val_if_fail (G_IS_OBJECT (running_source), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  when = format_start_time (cb_run_record_get_start_time (record));
  outcome = cb_run_record_describe_outcome (record);
  page = cb_run_record_get_page (record);
  cb_run_display_outcome_style (cb_run_record_get_outcome (record), &icon_name, &style_class);

  if (page != NULL)
    /* Translators: "Train · 14:02": the page a run came from, and when it started */
    summary = g_strdup_printf (_("%s · %s"), page_title (page), when);
  else
    summary = g_strdup (when);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  icon = g_object_new (GTK_TYPE_IMAGE,
                       "icon-name", icon_name,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                       NULL);
  gtk_widget_set_name (icon, "outcome-icon");
  if (style_class != NULL)
    gtk_widget_add_css_class (icon, style_class);
  gtk_box_append (GTK_BOX (line), icon);
  label = gtk_label_new (outcome);
  gtk_widget_set_name (label, "outcome-label");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  cb_widget_set_tooltip_text (label, outcome);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (line), label);
  label = gtk_label_new (summary);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (line), label);
  gtk_box_append (GTK_BOX (box), line);

  label = gtk_label_new (cb_run_record_get_command (record));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  cb_widget_set_tooltip_text (label, cb_run_record_get_command (record));
  gtk_widget_add_css_class (label, "monospace");
  gtk_box_append (GTK_BOX (box), label);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);

  button = new_row_button (record, CB_RUN_ROW_COPY, "copy-button", "edit-copy-symbolic",
                           _("_Copy"), _("Copy the command to the clipboard"),
                           func, user_data);
  gtk_box_append (GTK_BOX (buttons), button);

  button = new_row_button (record, CB_RUN_ROW_LOAD, "load-button", "edit-paste-symbolic",
                           _("_Use This Run’s Settings"),
                           _("Set the page’s fields from this run’s command"), func, user_data);
  gtk_widget_set_sensitive (button, page != NULL);
  gtk_box_append (GTK_BOX (buttons), button);

  button = new_row_button (record, CB_RUN_ROW_RERUN, "rerun-button",
                           "media-playback-start-symbolic", _("_Run Again"),
                           _("Run this command again"), func, user_data);
  g_object_bind_property (running_source, "running", button, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  gtk_box_append (GTK_BOX (buttons), button);

  gtk_box_append (GTK_BOX (box), buttons);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}
