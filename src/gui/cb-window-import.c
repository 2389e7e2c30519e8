/* cb-window-import.c: commands in: paste (Ctrl+V), Import Command…, and a drop of text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text goes through the core's command parser: its runner script picks the page, which
 * is shown and loaded; a toast says what was set and offers Undo (the page's state from
 * before). Text that cannot be read changes nothing and says why. A run's settings (its
 * .hydra/overrides.yaml, read in a worker) and a history entry take the same path.
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>
#include <vte/vte.h>

#include "cb/cb-command-parse.h"
#include "cb/cb-run-overrides.h"
#include "cb-import-dialog.h"
#include "cb-widget-util.h"
#include "cb-window-private.h"

#define UNDO_STATE_KEY "cb-import-undo-state"

static void
undo_import_cb (AdwToast *toast,
                CbPage   *page)
{
  GKeyFile *state = g_object_get_data (G_OBJECT (toast), UNDO_STATE_KEY);
  CbForm *form = cb_page_get_form (page);

  if (state == NULL || form == NULL)
    return;

  cb_form_freeze (form);
  cb_form_reset (form);
  cb_form_load_state (form, state);
  cb_form_thaw (form);
}

/**
 * _cb_window_add_undo_toast:
 * @undo_state: (transfer full): @page's state from before the change
 *
 * Shows @title with Undo, which gives @page back @undo_state.
 */
void
_cb_window_add_undo_toast (CbWindow   *self,
                           CbPage     *page,
                           GKeyFile   *undo_state,
                           const char *title)
{
  AdwToast *toast = cb_toast_new_text (title);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 8);
  g_object_set_data_full (G_OBJECT (toast), UNDO_STATE_KEY, undo_state,
                          (GDestroyNotify) g_key_file_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_import_cb), page, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * _cb_window_load_parse_result:
 * @result: a parsed command (a paste, a history entry, a run's overrides.yaml)
 *
 * Loads @result into the page it names, shows that page and a toast with Undo. Returns
 * %FALSE with @error set, changing nothing, when there is no such page.
 */
gboolean
_cb_window_load_parse_result (CbWindow       *self,
                              CbParseResult  *result,
                              GError        **error)
{
  g_autoptr(GKeyFile) undo_state = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;
  CbPage *page;
  CbForm *form;

  page = cb_window_get_page (self, result->page);
  if (page == NULL)
    {
      g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_PAGE,
                   /* Translators: %s is the name of a runner script's page, e.g. "export" */
                   _("There is no %s page: the runner scripts are train, test and predict"),
                   result->page);
      return FALSE;
    }

  cb_window_set_visible_page (self, result->page);
  form = cb_page_get_form (page);
  if (form == NULL)
    {
      g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_PAGE,
                   _("This page could not be loaded"));
      return FALSE;
    }

  undo_state = g_key_file_new ();
  cb_form_save_state (form, undo_state);
  if (!cb_parse_result_load (result, form, error))
    return FALSE;

  summary = cb_parse_result_describe (result);
  /* Translators: "Train: 14 fields set, 2 extra overrides"; the first %s is the page's tab */
  title = g_strdup_printf (_("%s: %s"), _cb_window_page_label (page), summary);
  _cb_window_add_undo_toast (self, page, g_steal_pointer (&undo_state), title);
  return TRUE;
}

/**
 * _cb_window_import_text:
 * @text: one command, as pasted
 *
 * Loads @text into the page its runner script names, as _cb_window_load_parse_result()
 * does. Returns %FALSE with @error set, changing nothing, when @text cannot be read.
 */
gboolean
_cb_window_import_text (CbWindow    *self,
                        const char  *text,
                        GError     **error)
{
  g_autoptr(CbParseResult) result = NULL;

  result = cb_command_parse_text (text, NULL, self->project, error);
  if (result == NULL)
    return FALSE;

  return _cb_window_load_parse_result (self, result, error);
}

static void
import_or_say (CbWindow   *self,
               const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!_cb_window_import_text (self, text, &error))
    {
      /* Translators: %s says why, e.g. "“a=b=c” is not an override Hydra can read" */
      g_autofree char *message = g_strdup_printf (_("Could not import the command: %s"),
                                                  error->message);

      _cb_window_show_toast (self, message);
    }
}

static void
clipboard_text_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);

  if (text == NULL)
    {
      _cb_window_show_toast (self, _("The clipboard holds no text"));
      return;
    }
  import_or_say (self, text);
}

static void
paste_command_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, clipboard_text_cb,
                                 g_object_ref (widget));
}

/* Ctrl+V pastes a command only where nothing else takes text. */
static gboolean
paste_shortcut_cb (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  for (GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget)); focus != NULL;
       focus = gtk_widget_get_parent (focus))
    if (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus) || VTE_IS_TERMINAL (focus))
      return FALSE;

  return gtk_widget_activate_action (widget, "win.paste-command", NULL);
}

static void
dialog_import_cb (CbImportDialog *dialog,
                  const char     *text,
                  CbWindow       *self)
{
  g_autoptr(GError) error = NULL;

  if (_cb_window_import_text (self, text, &error))
    gtk_window_destroy (GTK_WINDOW (dialog));
  else
    cb_import_dialog_set_error (dialog, error->message);
}

static void
import_command_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CbImportDialog *dialog = cb_import_dialog_new (GTK_WINDOW (widget));

  g_signal_connect_object (dialog, "import", G_CALLBACK (dialog_import_cb), widget, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Use This Run's Settings --------------------------------------------------------- */

static void
run_settings_read_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CbWindow) self = user_data;
  g_autoptr(CbRunSettings) settings = NULL;
  g_autoptr(CbParseResult) parsed = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  settings = cb_run_settings_read_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (settings != NULL)
    {
      /* The page's own script first: the overrides are all the words after it. */
      argv = cb_run_settings_dup_argv (settings);
      parsed = cb_command_parse_argv ((const char * const *) argv, settings->page, NULL,
                                      &error);
      if (parsed != NULL && _cb_window_load_parse_result (self, parsed, &error))
        return;
      g_prefix_error (&error, "%s: ", settings->overrides_file);
    }

  /* Translators: %s names the file and says why, e.g.
   * "outputs/3/.hydra/overrides.yaml:2:3: an override must be a string" */
  message = g_strdup_printf (_("Could not use the run’s settings: %s"), error->message);
  _cb_window_show_toast (self, message);
}

/* win.use-run-settings(path): the overrides of the run that @path (a checkpoint, or a run
 * folder; relative to the project) belongs to, into the page of its runner, as a paste. */
static void
use_run_settings_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);
  const char *path = g_variant_get_string (param, NULL);
  const char *root = self->project != NULL ? self->project->root : NULL;
  g_autofree char *absolute = NULL;

  if (path[0] == '\0')
    return;
  absolute = root != NULL && !g_path_is_absolute (path) ? g_build_filename (root, path, NULL)
                                                         : g_strdup (path);
  /* A checkpoint's run is a training run, unless its hydra.yaml says otherwise. */
  cb_run_settings_read_async (absolute, "train", root, _cb_window_get_io_cancellable (self),
                              run_settings_read_cb, g_object_ref (self));
}

/* The cancellable of the window's file reads and writes; cancelled when it goes. */
GCancellable *
_cb_window_get_io_cancellable (CbWindow *self)
{
  if (self->io_cancellable == NULL)
    self->io_cancellable = g_cancellable_new ();
  return self->io_cancellable;
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CbWindow      *self)
{
  if (!G_VALUE_HOLDS_STRING (value) || g_value_get_string (value) == NULL)
    return FALSE;
  import_or_say (self, g_value_get_string (value));
  return TRUE;
}

void
_cb_window_class_init_import (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.paste-command", NULL,
                                   paste_command_action);
  gtk_widget_class_install_action (widget_class, "win.import-command", NULL,
                                   import_command_action);
  gtk_widget_class_install_action (widget_class, "win.use-run-settings", "s",
                                   use_run_settings_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                paste_shortcut_cb, NULL);
}

void
_cb_window_init_import (CbWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);

  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
