/* cb-import-dialog.c: a window to paste a command into (win.import-command)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * It only collects the text: "import" hands it to the window, which loads it into its page
 * and either closes this window or shows why it could not (cb_import_dialog_set_error).
 */

#define G_LOG_DOMAIN "cb-import-dialog"

#include "config.h"

#include "cb-import-dialog.h"

struct _CbImportDialog
{
  AdwWindow    parent_instance;

  /* template */
  GtkTextView *text_view;
  GtkLabel    *error_label;
  GtkWidget   *import_button;
};

enum {
  IMPORT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CbImportDialog, cb_import_dialog, ADW_TYPE_WINDOW)

static void
update_import (CbImportDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.import",
                                 gtk_text_buffer_get_char_count (buffer) > 0);
}

static void
buffer_changed_cb (GtkTextBuffer  *buffer,
                   CbImportDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_import (self);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CbImportDialog *self = CB_IMPORT_DIALOG (widget);
  g_autofree char *text = cb_import_dialog_get_text (self);

  g_signal_emit (self, signals[IMPORT], 0, text);
}

static void
cb_import_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_IMPORT_DIALOG);
  G_OBJECT_CLASS (cb_import_dialog_parent_class)->dispose (object);
}

static void
cb_import_dialog_class_init (CbImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_import_dialog_dispose;

  /**
   * CbImportDialog::import:
   * @text: the command as pasted
   */
  signals[IMPORT] = g_signal_new ("import", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CbImportDialog, import_button);

  gtk_widget_class_install_action (widget_class, "import.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cb_import_dialog_init (CbImportDialog *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Ctrl+Return imports: before the text view takes it for a line break. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("import.import")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (buffer_changed_cb), self, 0);
  update_import (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

CbImportDialog *
cb_import_dialog_new (GtkWindow *parent)
{
  return g_object_new (CB_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
}

char *
cb_import_dialog_get_text (CbImportDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (CB_IS_IMPORT_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
cb_import_dialog_set_text (CbImportDialog *self,
                           const char     *text)
{
  g_return_if_fail (CB_IS_IMPORT_DIALOG (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
}

/**
 * cb_import_dialog_set_error:
 * @message: (nullable): why the text could not be imported, or %NULL to hide it
 */
void
cb_import_dialog_set_error (CbImportDialog *self,
                            const char     *message)
{
  g_return_if_fail (CB_IS_IMPORT_DIALOG (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}
