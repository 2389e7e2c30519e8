/* cb-field-row-status.c: what a field row shows about its value: error, warning, changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Before the row's control: the changed mark (cb-row-mark.c), then the warning icon, then the
 * error icon. Most rows never show any of them, so each is built the first time it shows
 * (and then kept, hidden while it has nothing to say): a page of 30 rows would otherwise
 * carry 120 hidden widgets. The row's classes ("error" or "cb-invalid", "warning" or
 * "cb-warning", "cb-changed") and the control's invalid state do not wait for a widget.
 */

#define G_LOG_DOMAIN "cb-field-row"

#include "config.h"

#include "cb-field-row-private.h"
#include "cb-row-mark.h"
#include "cb-widget-util.h"

/* A mismatch with the chosen checkpoint's run comes first, then what Hydra would refuse:
 * both make the run fail. */
const char *
_cb_field_row_warning (const CbFieldState *state)
{
  if (state->mismatch != NULL)
    return state->mismatch;
  return state->hydra != NULL ? state->hydra : state->warning;
}

/**
 * _cb_field_row_insert_suffix:
 * @before: (nullable): a suffix of the row
 *
 * Puts @widget among the row's suffixes, right before @before, or last.
 */
void
_cb_field_row_insert_suffix (CbFieldRow *self,
                             GtkWidget  *widget,
                             GtkWidget  *before)
{
  GtkWidget *box = before != NULL ? gtk_widget_get_parent (before) : NULL;

  if (GTK_IS_BOX (box))
    gtk_box_insert_child_after (GTK_BOX (box), widget, gtk_widget_get_prev_sibling (before));
  else if (ADW_IS_ENTRY_ROW (self->row))
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->row), widget);
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), widget);
}

static GtkWidget *
first_of (GtkWidget *a,
          GtkWidget *b,
          GtkWidget *c)
{
  return a != NULL ? a : b != NULL ? b : c;
}

/* The first suffix that comes after the status widgets: the control (or the picker that
 * holds it), or, where the row itself is the control, the Sweep toggle; NULL: none. */
static GtkWidget *
status_anchor (CbFieldRow *self)
{
  if (self->picker != NULL)
    return GTK_WIDGET (self->picker);
  if (self->control == NULL || self->control == self->row)
    return first_of (self->sweep_entry, self->sweep_options, self->sweep_toggle);
  return self->control;
}

/* "error" or "warning": the same glyph, in that colour (a warning: allowed, but look
 * again). */
static GtkWidget *
new_status_icon (const char *css_class)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_widget_add_css_class (icon, css_class);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  return icon;
}

/* An error or a warning on the row: @icon (built the first time), with @message as its
 * tooltip, and a class: the entry row's own (@entry_class), ours (@row_class) on the other
 * rows. */
static void
show_status (CbFieldRow  *self,
             GtkWidget  **icon,
             const char  *message,
             const char  *entry_class,
             const char  *row_class)
{
  gtk_widget_remove_css_class (self->row, entry_class);
  gtk_widget_remove_css_class (self->row, row_class);
  if (message == NULL)
    {
      if (*icon != NULL)
        gtk_widget_set_visible (*icon, FALSE);
      return;
    }

  gtk_widget_add_css_class (self->row, self->kind == ROW_ENTRY ? entry_class : row_class);
  if (*icon == NULL)
    {
      *icon = new_status_icon (entry_class);
      /* The warning goes before the error, both after the mark. */
      _cb_field_row_insert_suffix (self, *icon,
                                   icon == &self->warning_icon
                                     ? first_of (self->error_icon, status_anchor (self), NULL)
                                     : status_anchor (self));
    }
  cb_widget_set_tooltip_text (*icon, message);
  gtk_widget_set_visible (*icon, TRUE);
}

static void
update_error (CbFieldRow         *self,
              const CbFieldState *state)
{
  if (g_strcmp0 (state->error, self->error) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (state->error);
  show_status (self, &self->error_icon, self->error, "error", "cb-invalid");

  if (self->control != NULL)
    gtk_accessible_update_state (GTK_ACCESSIBLE (self->control),
                                 GTK_ACCESSIBLE_STATE_INVALID,
                                 self->error ? GTK_ACCESSIBLE_INVALID_TRUE
                                             : GTK_ACCESSIBLE_INVALID_FALSE,
                                 -1);
}

/* A warning: the value is allowed but probably not what the user wants (it differs from
 * what the chosen checkpoint was trained with). Shown apart from errors: its own icon, the
 * warning colour, and the subtitle (see compose_subtitle() in cb-field-row.c). */
static void
update_warning (CbFieldRow         *self,
                const CbFieldState *state)
{
  if (g_strcmp0 (_cb_field_row_warning (state), self->warning) == 0)
    return;

  g_free (self->warning);
  self->warning = g_strdup (_cb_field_row_warning (state));
  show_status (self, &self->warning_icon, self->warning, "warning", "cb-warning");
}

/* The changed mark, built the first time the field differs from its default. */
static void
update_mark (CbFieldRow         *self,
             const CbFieldState *state)
{
  if (self->mark == NULL && !state->changed)
    return;

  if (self->mark == NULL)
    {
      self->mark = cb_row_mark_new (self->field);
      _cb_field_row_insert_suffix (self, self->mark,
                                   first_of (self->warning_icon, self->error_icon,
                                             status_anchor (self)));
    }
  cb_row_mark_update (self->mark, self->row, self->field, state);
}

/* In cb_field_row_update(), for a visible field. */
void
_cb_field_row_status_update (CbFieldRow         *self,
                             const CbFieldState *state)
{
  update_error (self, state);
  update_warning (self, state);
  update_mark (self, state);
}
