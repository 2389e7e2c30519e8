/* cb-preset-window.c: a page's presets, built-in and the project's (win.presets)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists the project's presets of one page (read in a worker thread: they are files from git)
 * and the suggested setups as read-only built-ins; a file that is not a preset is shown with
 * its file:line:column. The buttons only ask: Apply, Rename, Delete and Save go to the main
 * window's actions (win.apply-preset, ...), which do the work off the UI thread and call
 * cb_preset_window_reload() when the folder changed.
 */

#define G_LOG_DOMAIN "cb-preset-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-preset-window.h"
#include "cb/cb-preset.h"
#include "cb/cb-problem.h"
#include "cb-widget-util.h"

struct _CbPresetWindow
{
  AdwWindow             parent_instance;

  CbProject            *project;
  CbForm               *form;
  char                 *page;
  GCancellable         *cancellable;
  GPtrArray            *rows;        /* GtkWidget, unowned: children of the groups */
  GHashTable           *rows_by_name;
  gboolean              loaded;

  /* template */
  AdwWindowTitle       *window_title;
  AdwPreferencesGroup  *problems_group;
  AdwPreferencesGroup  *project_group;
  AdwPreferencesGroup  *built_in_group;
  GtkWidget            *empty_row;
};

G_DEFINE_FINAL_TYPE (CbPresetWindow, cb_preset_window, ADW_TYPE_WINDOW)

static void
parent_action (CbPresetWindow *self,
               const char     *action,
               GVariant       *param)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (parent), action, param);
}

static GtkWidget *
add_button (GtkWidget  *row,
            const char *icon_name,
            const char *label,
            const char *action,
            const char *name)
{
  GtkWidget *button = icon_name != NULL ? gtk_button_new_from_icon_name (icon_name)
                                        : gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", name);
  if (icon_name != NULL)
    {
      gtk_widget_add_css_class (button, "flat");
      cb_widget_set_tooltip_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return button;
}

static GtkWidget *
preset_row (const CbPreset *preset)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *apply;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), preset->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), preset->note);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  apply = add_button (row, NULL, _("_Apply"), "presets.apply", preset->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (apply), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  preset->title, -1);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), apply);
  if (!cb_preset_is_built_in (preset))
    {
      add_button (row, "document-edit-symbolic", _("Rename"), "presets.rename", preset->name);
      add_button (row, "user-trash-symbolic", _("Delete"), "presets.delete", preset->name);
    }
  return row;
}

static void
clear_rows (CbPresetWindow *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->rows_by_name);
}

static void
add_row (CbPresetWindow      *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row,
         const char          *name)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  if (name != NULL)
    g_hash_table_insert (self->rows_by_name, g_strdup (name), row);
}

static void
show_presets (CbPresetWindow *self,
              GPtrArray      *presets,
              GPtrArray      *problems)
{
  g_autoptr(GPtrArray) built_in = NULL;

  clear_rows (self);

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const CbProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *where = cb_problem_to_string (problem);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), where);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_add_css_class (row, "warning");
      add_row (self, self->problems_group, row, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group),
                          problems != NULL && problems->len > 0);

  for (guint i = 0; presets != NULL && i < presets->len; i++)
    {
      const CbPreset *preset = g_ptr_array_index (presets, i);

      add_row (self, self->project_group, preset_row (preset), preset->name);
    }
  gtk_widget_set_visible (self->empty_row, presets == NULL || presets->len == 0);

  built_in = cb_preset_list_built_in (cb_form_get_snapshot (self->form),
                                      cb_form_get_schema (self->form), self->page);
  for (guint i = 0; i < built_in->len; i++)
    {
      const CbPreset *preset = g_ptr_array_index (built_in, i);

      /* A project preset of the same name is the one Apply takes. */
      if (!g_hash_table_contains (self->rows_by_name, preset->name))
        add_row (self, self->built_in_group, preset_row (preset), preset->name);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->built_in_group), built_in->len > 0);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CbPresetWindow) self = user_data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(GError) error = NULL;

  presets = cb_preset_list_finish (result, &problems, &error);
  if (presets == NULL)
    return;   /* cancelled: a newer listing is on its way, or the window is gone */

  show_presets (self, presets, problems);
  self->loaded = TRUE;
}

/**
 * cb_preset_window_reload:
 *
 * Lists the page's presets again (in a worker thread).
 */
void
cb_preset_window_reload (CbPresetWindow *self)
{
  g_return_if_fail (CB_IS_PRESET_WINDOW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loaded = FALSE;
  cb_preset_list_async (self->project, self->page, self->cancellable, list_cb,
                        g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  parent_action (CB_PRESET_WINDOW (widget), "win.save-preset", NULL);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  CbPresetWindow *self = CB_PRESET_WINDOW (widget);

  parent_action (self, "win.apply-preset", param);
  gtk_window_close (GTK_WINDOW (self));
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             CbPresetWindow   *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  const char *name = g_object_get_data (G_OBJECT (dialog), "name");

  if (g_str_equal (response, "rename"))
    parent_action (self, "win.rename-preset",
                   g_variant_new ("(ss)", name, gtk_editable_get_text (entry)));
  else if (g_str_equal (response, "delete"))
    parent_action (self, "win.delete-preset", g_variant_new_string (name));
}

/* A dialog about the preset @name that asks Cancel or @response. */
static AdwMessageDialog *
ask (CbPresetWindow      *self,
     const char          *name,
     const char          *response,
     const char          *label,
     AdwResponseAppearance appearance)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                         NULL, NULL));

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, appearance);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (response_cb), self, 0);
  return dialog;
}

static void
rename_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *problem = cb_preset_name_problem (gtk_editable_get_text (entry));

  adw_message_dialog_set_response_enabled (dialog, "rename", problem == NULL);
  cb_widget_set_tooltip_text (GTK_WIDGET (entry), problem);
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  const char *name = g_variant_get_string (param, NULL);
  AdwMessageDialog *dialog = ask (CB_PRESET_WINDOW (widget), name, "rename", _("_Rename"),
                                  ADW_RESPONSE_SUGGESTED);
  GtkWidget *entry = gtk_entry_new ();

  adw_message_dialog_set_heading (dialog, _("Rename Preset"));
  /* Translators: %s is a preset's name */
  adw_message_dialog_format_body (dialog, _("The new name of “%s”:"), name);
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preset name"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_set_default_response (dialog, "rename");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (rename_changed_cb), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  const char *name = g_variant_get_string (param, NULL);
  AdwMessageDialog *dialog = ask (CB_PRESET_WINDOW (widget), name, "delete", _("_Delete"),
                                  ADW_RESPONSE_DESTRUCTIVE);

  /* Translators: %s is a preset's name */
  adw_message_dialog_format_heading (dialog, _("Delete “%s”?"), name);
  adw_message_dialog_set_body (dialog, _("Its file is removed from the project. If the project "
                                         "is in git, the deletion is a change to commit."));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cb_preset_window_dispose (GObject *object)
{
  CbPresetWindow *self = CB_PRESET_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_PRESET_WINDOW);
  g_clear_object (&self->form);
  g_clear_pointer (&self->project, cb_project_unref);

  G_OBJECT_CLASS (cb_preset_window_parent_class)->dispose (object);
}

static void
cb_preset_window_finalize (GObject *object)
{
  CbPresetWindow *self = CB_PRESET_WINDOW (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->rows_by_name, g_hash_table_unref);
  g_free (self->page);

  G_OBJECT_CLASS (cb_preset_window_parent_class)->finalize (object);
}

static void
cb_preset_window_class_init (CbPresetWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_preset_window_dispose;
  object_class->finalize = cb_preset_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-preset-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbPresetWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbPresetWindow, problems_group);
  gtk_widget_class_bind_template_child (widget_class, CbPresetWindow, project_group);
  gtk_widget_class_bind_template_child (widget_class, CbPresetWindow, built_in_group);
  gtk_widget_class_bind_template_child (widget_class, CbPresetWindow, empty_row);

  gtk_widget_class_install_action (widget_class, "presets.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "presets.apply", "s", apply_action);
  gtk_widget_class_install_action (widget_class, "presets.rename", "s", rename_action);
  gtk_widget_class_install_action (widget_class, "presets.delete", "s", delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cb_preset_window_init (CbPresetWindow *self)
{
  self->rows = g_ptr_array_new ();
  self->rows_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cb_preset_window_new:
 * @parent: the main window, whose win.*-preset actions the buttons use
 * @form: the page's form (its snapshot gives the built-ins)
 * @page_label: the page's tab, shown as the subtitle
 */
CbPresetWindow *
cb_preset_window_new (GtkWindow  *parent,
                      CbProject  *project,
                      CbForm     *form,
                      const char *page_label)
{
  CbPresetWindow *self;
  g_autofree char *dir = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (CB_IS_FORM (form), NULL);

  self = g_object_new (CB_TYPE_PRESET_WINDOW, "transient-for", parent, NULL);
  self->project = cb_project_ref (project);
  self->form = g_object_ref (form);
  self->page = g_strdup (cb_form_get_page (form));
  adw_window_title_set_subtitle (self->window_title, page_label);

  dir = g_build_filename (CB_PRESET_DIR, self->page, NULL);
  /* Translators: %s is a folder in the project, e.g. ".command-builder/presets/train" */
  description = g_strdup_printf (_("Saved in the project, in %s: commit them to share them "
                                   "with the team."), dir);
  adw_preferences_group_set_description (self->project_group, description);

  cb_preset_window_reload (self);
  return self;
}

const char *
cb_preset_window_get_page (CbPresetWindow *self)
{
  g_return_val_if_fail (CB_IS_PRESET_WINDOW (self), NULL);
  return self->page;
}

/* Whether the last listing arrived (for tests). */
gboolean
cb_preset_window_is_loaded (CbPresetWindow *self)
{
  g_return_val_if_fail (CB_IS_PRESET_WINDOW (self), FALSE);
  return self->loaded;
}

/**
 * cb_preset_window_get_row:
 *
 * Returns: (nullable) (transfer none): the row of the preset named @name
 */
GtkWidget *
cb_preset_window_get_row (CbPresetWindow *self,
                          const char     *name)
{
  g_return_val_if_fail (CB_IS_PRESET_WINDOW (self), NULL);
  return g_hash_table_lookup (self->rows_by_name, name);
}
