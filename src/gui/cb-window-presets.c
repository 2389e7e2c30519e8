/* cb-window-presets.c: presets: save the visible page under a name, apply, rename, delete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The actions work on the visible page. The files are read and written by the core in
 * worker threads (cb_preset_*_async); applying one loads it the way a pasted command is
 * loaded, with a toast and Undo.
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb/cb-preset.h"
#include "cb-preset-window.h"
#include "cb-widget-util.h"
#include "cb-window-private.h"

typedef struct
{
  CbWindow *window;
  char     *page;
  char     *name;
  char     *new_name;
  CbPreset *preset;    /* a save's, to save again when the user replaces the other */
} PresetOp;

static PresetOp *
preset_op_new (CbWindow   *window,
               const char *page,
               const char *name,
               const char *new_name)
{
  PresetOp *op = g_new0 (PresetOp, 1);

  op->window = g_object_ref (window);
  op->page = g_strdup (page);
  op->name = g_strdup (name);
  op->new_name = g_strdup (new_name);
  return op;
}

static void
preset_op_free (PresetOp *op)
{
  g_object_unref (op->window);
  g_free (op->page);
  g_free (op->name);
  g_free (op->new_name);
  g_clear_pointer (&op->preset, cb_preset_free);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PresetOp, preset_op_free)

static GCancellable *
presets_cancellable (CbWindow *self)
{
  if (self->presets_cancellable == NULL)
    self->presets_cancellable = g_cancellable_new ();
  return self->presets_cancellable;
}

static void
reload_preset_window (CbWindow *self)
{
  if (self->preset_window != NULL)
    cb_preset_window_reload (CB_PRESET_WINDOW (self->preset_window));
}

/* The visible page and its form, or FALSE with a toast. */
static gboolean
visible_form (CbWindow  *self,
              CbPage   **page_out,
              CbForm   **form_out)
{
  CbPage *page = cb_window_get_visible_page (self);
  CbForm *form = page != NULL ? cb_page_get_form (page) : NULL;

  if (form == NULL)
    {
      _cb_window_show_toast (self, _("This page could not be loaded"));
      return FALSE;
    }
  *page_out = page;
  *form_out = form;
  return TRUE;
}

static void
say_error (CbWindow     *self,
           const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _cb_window_show_toast (self, error->message);
}

/* ---- apply -------------------------------------------------------------------------- */

static void
apply_preset (CbWindow       *self,
              CbPage         *page,
              const CbPreset *preset)
{
  g_autoptr(GKeyFile) undo_state = g_key_file_new ();
  g_auto(GStrv) ignored = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;
  CbForm *form = cb_page_get_form (page);
  guint n;

  cb_form_save_state (form, undo_state);
  n = cb_preset_apply (preset, form, &ignored);

  /* Translators: %s is a preset's name, %u how many values it set */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "preset “%s” applied, %u value set",
                                          "preset “%s” applied, %u values set", n),
                             preset->title, n);
  if (ignored != NULL && ignored[0] != NULL)
    {
      g_autofree char *list = g_strjoinv ("; ", ignored);
      g_autofree char *base = g_steal_pointer (&summary);

      /* Translators: the first %s says what was applied, the second what was not and why */
      summary = g_strdup_printf (_("%s; ignored: %s"), base, list);
    }
  /* Translators: "Train: preset “quick” applied, 5 values set"; the first %s is the page's tab */
  title = g_strdup_printf (_("%s: %s"), _cb_window_page_label (page), summary);
  _cb_window_add_undo_toast (self, page, g_steal_pointer (&undo_state), title);
}

static void
apply_list_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PresetOp) op = user_data;
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(GPtrArray) built_in = NULL;
  g_autoptr(GError) error = NULL;
  const CbPreset *preset;
  CbPage *page;
  CbForm *form;

  presets = cb_preset_list_finish (result, NULL, &error);
  if (presets == NULL)
    {
      say_error (op->window, error);
      return;
    }

  page = cb_window_get_page (op->window, op->page);
  form = page != NULL ? cb_page_get_form (page) : NULL;
  if (form == NULL)
    return;

  preset = cb_preset_find (presets, op->name);
  if (preset == NULL)
    {
      built_in = cb_preset_list_built_in (cb_form_get_snapshot (form), cb_form_get_schema (form),
                                          op->page);
      preset = cb_preset_find (built_in, op->name);
    }
  if (preset == NULL)
    {
      /* Translators: %s is a preset's name */
      g_autofree char *message = g_strdup_printf (_("There is no preset named “%s”"), op->name);

      _cb_window_show_toast (op->window, message);
      return;
    }

  cb_window_set_visible_page (op->window, op->page);
  apply_preset (op->window, page, preset);
}

static void
apply_preset_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);
  CbPage *page;
  CbForm *form;

  if (!visible_form (self, &page, &form))
    return;

  /* The project's presets are files: read them again, off the UI thread, so that what is
   * applied is what the file says now (a git pull may have changed it). */
  cb_preset_list_async (self->project, cb_page_get_page_name (page), presets_cancellable (self),
                        apply_list_cb,
                        preset_op_new (self, cb_page_get_page_name (page),
                                       g_variant_get_string (param, NULL), NULL));
}

/* ---- save, rename, delete ----------------------------------------------------------- */

static void ask_to_replace (PresetOp *op);

static void
change_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PresetOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!cb_preset_change_finish (result, &error))
    {
      /* Saving under a name the project has: ask, as a file chooser would. */
      if (op->preset != NULL && g_error_matches (error, CB_PRESET_ERROR, CB_PRESET_ERROR_EXISTS))
        ask_to_replace (g_steal_pointer (&op));
      else
        say_error (op->window, error);
      return;
    }

  if (op->new_name != NULL && op->name != NULL)
    /* Translators: the first %s is a preset's old name, the second its new name */
    message = g_strdup_printf (_("Renamed “%s” to “%s”"), op->name, op->new_name);
  else if (op->new_name != NULL)
    /* Translators: %s is a preset's name */
    message = g_strdup_printf (_("Saved preset “%s”"), op->new_name);
  else
    /* Translators: %s is a preset's name */
    message = g_strdup_printf (_("Deleted preset “%s”"), op->name);
  _cb_window_show_toast (op->window, message);
  reload_preset_window (op->window);
}

#define REPLACE_OP_KEY "cb-replace-preset-op"

static void
replace_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  /* The dialog owns the operation until its first answer; the save then does. */
  PresetOp *op = g_object_steal_data (G_OBJECT (dialog), REPLACE_OP_KEY);

  if (op == NULL)
    return;
  if (!g_str_equal (response, "replace"))
    {
      preset_op_free (op);
      return;
    }
  cb_preset_save_async (op->preset, op->window->project, op->page, TRUE,
                        presets_cancellable (op->window), change_cb, op);
}

static void
ask_to_replace (PresetOp *op)
{
  CbWindow *self = op->window;
  GtkWindow *parent = self->preset_window != NULL ? GTK_WINDOW (self->preset_window)
                                                  : GTK_WINDOW (self);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* Translators: %s is a preset's name */
  heading = g_strdup_printf (_("Replace Preset “%s”?"), op->new_name);
  dialog = adw_message_dialog_new (parent, heading,
                                   _("The project already has a preset of this name. "
                                     "Replacing it changes it for everyone who shares the "
                                     "project."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "replace", _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), REPLACE_OP_KEY, op,
                          (GDestroyNotify) preset_op_free);
  g_signal_connect (dialog, "response", G_CALLBACK (replace_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_preset_as_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);
  g_autoptr(CbPreset) preset = NULL;
  PresetOp *op;
  const char *name;
  const char *note;
  CbPage *page;
  CbForm *form;

  g_variant_get (param, "(&s&s)", &name, &note);
  if (!visible_form (self, &page, &form))
    return;

  preset = cb_preset_new_from_form (form, name, note);
  op = preset_op_new (self, cb_page_get_page_name (page), NULL, name);
  op->preset = g_steal_pointer (&preset);
  cb_preset_save_async (op->preset, self->project, cb_page_get_page_name (page), FALSE,
                        presets_cancellable (self), change_cb, op);
}

/* win.rename-preset ("(ss)": the name, the new name) and win.delete-preset ("s": the name). */
static void
rename_or_delete_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);
  const char *name;
  const char *new_name = NULL;
  const char *page_name;
  CbPage *page;
  CbForm *form;

  if (g_variant_is_of_type (param, G_VARIANT_TYPE ("(ss)")))
    g_variant_get (param, "(&s&s)", &name, &new_name);
  else
    name = g_variant_get_string (param, NULL);
  if (!visible_form (self, &page, &form))
    return;

  page_name = cb_page_get_page_name (page);
  if (new_name != NULL)
    cb_preset_rename_async (self->project, page_name, name, new_name,
                            presets_cancellable (self), change_cb,
                            preset_op_new (self, page_name, name, new_name));
  else
    cb_preset_delete_async (self->project, page_name, name, presets_cancellable (self),
                            change_cb, preset_op_new (self, page_name, name, NULL));
}

/* ---- dialogs ------------------------------------------------------------------------ */

static void
save_name_changed_cb (GtkEditable      *entry,
                      AdwMessageDialog *dialog)
{
  g_autofree char *problem = cb_preset_name_problem (gtk_editable_get_text (entry));
  const char *text = gtk_editable_get_text (entry);

  adw_message_dialog_set_response_enabled (dialog, "save", problem == NULL);
  /* An empty name is not an error yet: the user has not typed one. */
  if (problem != NULL && *text != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  cb_widget_set_tooltip_text (GTK_WIDGET (entry), *text != '\0' ? problem : NULL);
}

static void
save_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  CbWindow         *self)
{
  GtkEditable *name = g_object_get_data (G_OBJECT (dialog), "name-row");
  GtkEditable *note = g_object_get_data (G_OBJECT (dialog), "note-row");

  if (g_str_equal (response, "save"))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.save-preset-as", "(ss)",
                                gtk_editable_get_text (name), gtk_editable_get_text (note));
}

static void
save_preset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);
  GtkWindow *parent = self->preset_window != NULL ? GTK_WINDOW (self->preset_window)
                                                  : GTK_WINDOW (self);
  g_autofree char *dir = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *group;
  GtkWidget *name;
  GtkWidget *note;
  CbPage *page;
  CbForm *form;

  if (!visible_form (self, &page, &form))
    return;

  dir = g_build_filename (CB_PRESET_DIR, cb_page_get_page_name (page), NULL);
  dialog = adw_message_dialog_new (parent, _("Save as Preset"), NULL);
  /* Translators: the first %s is the page's tab, the second a folder of the project */
  body = g_strdup_printf (_("The values and extra overrides of the %s page, saved in the "
                            "project (%s) so that the team can use them too."),
                          _cb_window_page_label (page), dir);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);

  group = adw_preferences_group_new ();
  name = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name), _("Name"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (name), TRUE);
  note = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (note), _("Note (optional)"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (note), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), name);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), note);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), group);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "name-row", name);
  g_object_set_data (G_OBJECT (dialog), "note-row", note);
  g_signal_connect (name, "changed", G_CALLBACK (save_name_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (name);
}

static void
presets_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);
  CbPresetWindow *window;
  CbPage *page;
  CbForm *form;

  if (!visible_form (self, &page, &form))
    return;

  if (self->preset_window != NULL)
    {
      if (g_strcmp0 (cb_preset_window_get_page (CB_PRESET_WINDOW (self->preset_window)),
                     cb_page_get_page_name (page)) == 0)
        {
          gtk_window_present (GTK_WINDOW (self->preset_window));
          return;
        }
      cb_window_destroy_kept (&self->preset_window);
    }

  window = cb_preset_window_new (GTK_WINDOW (self), self->project, form,
                                 _cb_window_page_label (page));
  cb_window_keep (&self->preset_window, GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
}

void
_cb_window_class_init_presets (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.presets", NULL, presets_action);
  gtk_widget_class_install_action (widget_class, "win.save-preset", NULL, save_preset_action);
  gtk_widget_class_install_action (widget_class, "win.save-preset-as", "(ss)",
                                   save_preset_as_action);
  gtk_widget_class_install_action (widget_class, "win.apply-preset", "s", apply_preset_action);
  gtk_widget_class_install_action (widget_class, "win.rename-preset", "(ss)",
                                   rename_or_delete_action);
  gtk_widget_class_install_action (widget_class, "win.delete-preset", "s",
                                   rename_or_delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.presets", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-preset", NULL);
}

void
_cb_window_dispose_presets (CbWindow *self)
{
  g_cancellable_cancel (self->presets_cancellable);
  g_clear_object (&self->presets_cancellable);
  cb_window_destroy_kept (&self->preset_window);
}
