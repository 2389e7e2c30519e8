/* cb-window-script.c: Save as Script… (Ctrl+Shift+S)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The visible page's command as an executable shell script (cb-script.c, which `print
 * --script` also writes): it runs exactly the argv Run spawns, in the project root. With a
 * Slurm target chosen for the page, the job script Run would submit (`sbatch FILE` submits
 * it by hand). The file chooser suggests "train-<exp_name>.sh" (".sbatch"); the file is
 * written in a worker, atomically.
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb/cb-job-form.h"
#include "cb/cb-script.h"
#include "cb-window-private.h"

typedef struct
{
  CbWindow *window;
  char     *name;  /* the file's name, for the toast */
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->window);
  g_free (data->name);
  g_free (data);
}

static void
script_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (cb_script_write_finish (result, &error))
    /* Translators: %s is a file name, e.g. "train-receipts.sh" */
    message = g_strdup_printf (_("Saved %s"), data->name);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Translators: the first %s is a file name, the second says why */
    message = g_strdup_printf (_("Could not save %s: %s"), data->name, error->message);

  if (message != NULL)
    _cb_window_show_toast (data->window, message);
  save_data_free (data);
}

static CbForm *
visible_form (CbWindow *self)
{
  CbPage *page = cb_window_get_visible_page (self);

  return page != NULL ? cb_page_get_form (page) : NULL;
}

static void
save_script_to (CbWindow   *self,
                const char *path)
{
  CbForm *form = visible_form (self);
  g_autofree char *text = NULL;
  const CbTarget *target;
  SaveData *data;

  if (form == NULL || self->project == NULL)
    return;

  target = _cb_window_get_page_target (self, cb_form_get_page (form));
  if (cb_target_is_slurm (target))
    text = cb_form_dup_slurm_script (form, self->project->root, target, NULL);
  else
    text = cb_script_new (cb_form_get_command (form), self->project->root);
  if (text == NULL)
    {
      _cb_window_show_toast (self, _("The project’s folder cannot be written in a job script "
                                     "(it holds a \", \\ or line break)"));
      return;
    }
  data = g_new0 (SaveData, 1);
  data->window = g_object_ref (self);
  data->name = g_filename_display_basename (path);
  cb_script_write_async (path, text, _cb_window_get_io_cancellable (self), script_written_cb,
                         data);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     CbWindow        *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);

  if (file != NULL && (path = g_file_get_path (file)) != NULL)
    save_script_to (self, path);
}

/* win.save-script(path): the visible page's script written to @path, or, for "", where the
 * file chooser says. */
static void
save_script_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);
  const char *path = g_variant_get_string (param, NULL);
  CbForm *form = visible_form (self);
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *name = NULL;
  GVariant *exp_name;

  if (form == NULL || self->project == NULL)
    return;
  if (!cb_form_is_valid (form))
    {
      _cb_window_show_toast (self, _("The page has errors: fix them to save its script"));
      return;
    }
  if (path[0] != '\0')
    {
      save_script_to (self, path);
      return;
    }

  exp_name = cb_form_get_value (form, "exp_name");
  name = cb_script_suggest_name (cb_form_get_page (form),
                                 exp_name != NULL &&
                                 g_variant_is_of_type (exp_name, G_VARIANT_TYPE_STRING)
                                   ? g_variant_get_string (exp_name, NULL) : NULL);
  if (cb_target_is_slurm (_cb_window_get_page_target (self, cb_form_get_page (form))) &&
      g_str_has_suffix (name, ".sh"))
    {
      char *sbatch = g_strconcat (name, "", NULL);

      sbatch[strlen (sbatch) - 3] = '\0';
      g_free (name);
      name = g_strconcat (sbatch, ".sbatch", NULL);
      g_free (sbatch);
    }
  chooser = gtk_file_chooser_native_new (_("Save as Script"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  folder = g_file_new_for_path (self->project->root);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_cb_window_class_init_script (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save-script", "s", save_script_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-script", "s", "");
}
