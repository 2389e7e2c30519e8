/* cb-predictions-view-export.c: the Predictions window's Export CSV: a file chosen, a question
 * before one is replaced, the CSV written in a worker, a toast with what was written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-predictions-view"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cb-predictions-view-private.h"
#include "cb-widget-util.h"

typedef struct
{
  char    *path;
  gboolean include_confidence;
  gboolean replace;
  gsize    n_rows;
  gsize    n_bytes;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->path);
  g_free (job);
}

static void
export_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (cb_submission_write_csv (CB_SUBMISSION (source_object), job->path, job->include_confidence,
                               job->replace, &job->n_rows, &job->n_bytes, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CbPredictionsView) self = user_data;
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *base = g_path_get_basename (job->path);

  /* The file is written either way; a window that is gone says nothing. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    title = g_strdup (error->message);
  else
    {
      g_autofree char *rows = g_strdup_printf ("%" G_GSIZE_FORMAT, job->n_rows);
      g_autofree char *bytes = g_strdup_printf ("%'" G_GSIZE_FORMAT, job->n_bytes);

      /* Translators: "Wrote submission.csv: 24 rows, 51,234 bytes" */
      title = g_strdup_printf (ngettext ("Wrote %s: %s row, %s bytes", "Wrote %s: %s rows, %s bytes",
                                         job->n_rows), base, rows, bytes);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, cb_toast_new_text (title));
}

static void
write_csv (CbPredictionsView *self,
           const char        *path,
           gboolean           include_confidence,
           gboolean           replace)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  if (self->submission == NULL)
    return;
  job = g_new0 (ExportJob, 1);
  job->path = g_strdup (path);
  job->include_confidence = include_confidence;
  job->replace = replace;
  task = g_task_new (self->submission, NULL, exported_cb, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_worker);
}

static void
replace_response_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     CbPredictionsView *self)
{
  if (g_str_equal (response, "replace"))
    write_csv (self, g_object_get_data (G_OBJECT (dialog), "cb-path"),
               GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "cb-confidence")), TRUE);
}

/**
 * cb_predictions_view_export_to:
 *
 * Writes the CSV of the shown submission to @path; when a file is there, asks first
 * (Replace or Cancel).
 */
void
cb_predictions_view_export_to (CbPredictionsView *self,
                               const char        *path,
                               gboolean           include_confidence)
{
  g_autofree char *base = NULL;
  g_autofree char *dir = NULL;
  GtkWidget *dialog;

  g_return_if_fail (CB_IS_PREDICTIONS_VIEW (self));

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      write_csv (self, path, include_confidence, FALSE);
      return;
    }
  base = g_path_get_basename (path);
  dir = g_path_get_dirname (path);
  /* Translators: %s is a file name */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  {
    g_autofree char *heading = g_strdup_printf (_("Replace “%s”?"), base);
    g_autofree char *body = g_strdup_printf (_("A file with this name is already in %s. "
                                               "Replacing it overwrites its contents."), dir);

    adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (dialog), heading);
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
  }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "replace", _("_Replace"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "cb-path", g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (dialog), "cb-confidence", GINT_TO_POINTER (include_confidence));
  g_signal_connect_object (dialog, "response", G_CALLBACK (replace_response_cb), self, 0);
  self->replace_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->replace_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_chosen_cb (GtkNativeDialog   *chooser,
                  int                response,
                  CbPredictionsView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "confidence");
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        cb_predictions_view_export_to (self, path, g_strcmp0 (choice, "true") == 0);
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CbPredictionsView *self = CB_PREDICTIONS_VIEW (widget);
  GtkFileChooserNative *chooser;
  const char *dir = NULL;

  if (self->submission == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export the Competition CSV"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (entry->path, self->selected_path) == 0)
        dir = entry->run_dir;
    }
  if (dir != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (dir);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "submission.csv");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "confidence",
                               _("Include confidence (for analysis, not for the competition)"),
                               NULL, NULL);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_cb_predictions_view_class_init_export (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "predictions.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "predictions.export", NULL);
}
