/* cb-extra-overrides.c: a page's overrides that no field covers, one editable row each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row is checked with Hydra's grammar as it is typed (the error is shown on the row)
 * and every row that is not empty goes into the form's extra overrides, so the preview, Run
 * and the saved page state have them; the composer then says when Hydra would refuse one.
 * The rows follow the form: loading a state or a command, or resetting the page, rebuilds
 * them.
 */

#define G_LOG_DOMAIN "cb-extra-overrides"

#include "config.h"

#include <glib/gi18n.h>

#include "cb/cb-override.h"
#include "cb-extra-overrides.h"
#include "cb-widget-util.h"

#define ERROR_KEY "cb-override-error"
#define ICON_KEY "cb-override-error-icon"

struct _CbExtraOverrides
{
  AdwPreferencesGroup  parent_instance;

  CbForm              *form;
  GPtrArray           *rows;      /* AdwEntryRow, unowned (the group holds them) */
  gboolean             syncing;   /* rows are being set from the form */

  /* template */
  GtkWidget           *add_row;
};

G_DEFINE_FINAL_TYPE (CbExtraOverrides, cb_extra_overrides, ADW_TYPE_PREFERENCES_GROUP)

/* The text of every row that is not empty, NULL-terminated (unowned strings). */
static GPtrArray *
row_texts (CbExtraOverrides *self)
{
  GPtrArray *texts = g_ptr_array_new ();

  for (guint i = 0; i < self->rows->len; i++)
    {
      const char *text = gtk_editable_get_text (g_ptr_array_index (self->rows, i));

      if (*text != '\0')
        g_ptr_array_add (texts, (gpointer) text);
    }
  g_ptr_array_add (texts, NULL);
  return texts;
}

static void
push_to_form (CbExtraOverrides *self)
{
  g_autoptr(GPtrArray) texts = NULL;

  if (self->form == NULL || self->syncing)
    return;
  texts = row_texts (self);
  cb_form_set_extra_overrides (self->form, (const char * const *) texts->pdata);
}

static void
check_row (GtkWidget *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), ICON_KEY);
  g_autoptr(CbOverride) override = NULL;
  g_autoptr(GError) error = NULL;

  if (*text != '\0')
    override = cb_override_parse (text, &error);
  if (error != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      cb_widget_set_tooltip_text (icon, error->message);
      gtk_widget_set_visible (icon, TRUE);
      g_object_set_data_full (G_OBJECT (row), ERROR_KEY, g_strdup (error->message), g_free);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_visible (icon, FALSE);
      g_object_set_data (G_OBJECT (row), ERROR_KEY, NULL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
row_changed_cb (GtkEditable      *row,
                CbExtraOverrides *self)
{
  check_row (GTK_WIDGET (row));
  push_to_form (self);
}

static void
remove_clicked_cb (GtkButton        *button,
                   CbExtraOverrides *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "cb-row");
  guint index;

  if (g_ptr_array_find (self->rows, row, &index))
    cb_extra_overrides_remove_row (self, index);
}

static GtkWidget *
append_row (CbExtraOverrides *self,
            const char       *text)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Override"));
  gtk_editable_set_text (GTK_EDITABLE (row), text);

  gtk_widget_add_css_class (icon, "error");
  gtk_widget_set_visible (icon, FALSE);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), ICON_KEY, icon);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  cb_widget_set_tooltip_text (remove, _("Remove Override"));
  g_object_set_data (G_OBJECT (remove), "cb-row", row);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);

  /* The Add row stays last. */
  g_object_ref (self->add_row);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), self->add_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->add_row);
  g_object_unref (self->add_row);

  g_ptr_array_add (self->rows, row);
  check_row (row);
  g_signal_connect_object (row, "changed", G_CALLBACK (row_changed_cb), self, 0);
  return row;
}

/* The rows follow the form unless they already say the same (the user is typing). */
static void
sync_from_form (CbExtraOverrides *self)
{
  const char * const *extra = self->form != NULL ? cb_form_get_extra_overrides (self->form)
                                                 : NULL;
  g_autoptr(GPtrArray) texts = row_texts (self);
  static const char * const none[] = { NULL };

  if (g_strv_equal (extra != NULL ? extra : none, (const char * const *) texts->pdata))
    return;

  self->syncing = TRUE;
  while (self->rows->len > 0)
    cb_extra_overrides_remove_row (self, self->rows->len - 1);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    append_row (self, extra[i]);
  self->syncing = FALSE;
}

static void
form_changed_cb (CbForm           *form,
                 CbExtraOverrides *self)
{
  sync_from_form (self);
}

static void
add_row_activated_cb (CbExtraOverrides *self)
{
  GtkWidget *row = append_row (self, "");

  gtk_widget_grab_focus (row);
}

static void
cb_extra_overrides_dispose (GObject *object)
{
  CbExtraOverrides *self = CB_EXTRA_OVERRIDES (object);

  if (self->form != NULL)
    g_signal_handlers_disconnect_by_data (self->form, self);
  g_clear_object (&self->form);
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_EXTRA_OVERRIDES);
  G_OBJECT_CLASS (cb_extra_overrides_parent_class)->dispose (object);
}

static void
cb_extra_overrides_finalize (GObject *object)
{
  CbExtraOverrides *self = CB_EXTRA_OVERRIDES (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (cb_extra_overrides_parent_class)->finalize (object);
}

static void
cb_extra_overrides_class_init (CbExtraOverridesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_extra_overrides_dispose;
  object_class->finalize = cb_extra_overrides_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-extra-overrides.ui");
  gtk_widget_class_bind_template_child (widget_class, CbExtraOverrides, add_row);
  gtk_widget_class_bind_template_callback (widget_class, add_row_activated_cb);
}

static void
cb_extra_overrides_init (CbExtraOverrides *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cb_extra_overrides_set_form:
 * @form: (nullable): the form whose extra overrides the rows show and edit
 */
void
cb_extra_overrides_set_form (CbExtraOverrides *self,
                             CbForm           *form)
{
  g_return_if_fail (CB_IS_EXTRA_OVERRIDES (self));
  g_return_if_fail (form == NULL || CB_IS_FORM (form));

  if (self->form == form)
    return;
  if (self->form != NULL)
    g_signal_handlers_disconnect_by_data (self->form, self);
  g_set_object (&self->form, form);
  if (form != NULL)
    g_signal_connect_object (form, "changed", G_CALLBACK (form_changed_cb), self, 0);
  sync_from_form (self);
}

guint
cb_extra_overrides_get_n_rows (CbExtraOverrides *self)
{
  g_return_val_if_fail (CB_IS_EXTRA_OVERRIDES (self), 0);
  return self->rows->len;
}

/**
 * cb_extra_overrides_get_row:
 *
 * Returns: (transfer none): the AdwEntryRow of override @index
 */
GtkWidget *
cb_extra_overrides_get_row (CbExtraOverrides *self,
                            guint             index)
{
  g_return_val_if_fail (CB_IS_EXTRA_OVERRIDES (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, index);
}

/**
 * cb_extra_overrides_add_row:
 * @text: the override, or "" for an empty row to type into
 *
 * Returns: (transfer none): the new row, after the others
 */
GtkWidget *
cb_extra_overrides_add_row (CbExtraOverrides *self,
                            const char       *text)
{
  GtkWidget *row;

  g_return_val_if_fail (CB_IS_EXTRA_OVERRIDES (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  row = append_row (self, text);
  push_to_form (self);
  return row;
}

void
cb_extra_overrides_remove_row (CbExtraOverrides *self,
                               guint             index)
{
  GtkWidget *row;

  g_return_if_fail (CB_IS_EXTRA_OVERRIDES (self));
  g_return_if_fail (index < self->rows->len);

  row = g_ptr_array_steal_index (self->rows, index);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), row);
  push_to_form (self);
}

/**
 * cb_extra_overrides_get_row_error:
 *
 * Returns: (nullable): why Hydra cannot read the override of row @index, or %NULL
 */
const char *
cb_extra_overrides_get_row_error (CbExtraOverrides *self,
                                  guint             index)
{
  g_return_val_if_fail (CB_IS_EXTRA_OVERRIDES (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return g_object_get_data (G_OBJECT (g_ptr_array_index (self->rows, index)), ERROR_KEY);
}
