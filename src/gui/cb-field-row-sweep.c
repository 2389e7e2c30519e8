/* cb-field-row-sweep.c: the Sweep toggle of a field row, and the values it sweeps over
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Number, slider, select and text rows get a small toggle at their end ("Sweep over several
 * values"). On, the row's value widgets give way to an entry of the values: a list
 * ("1e-4, 3e-4, 1e-3") or, for numbers, a range ("0.001:0.01:0.003"); a text row edits the
 * list in its own entry; a select row also offers its options as check buttons in a popover.
 * Each edit hands the row's text to cb_form_set_sweep(), which parses that text only; what
 * does not parse is the row's error, like any other.
 */

#define G_LOG_DOMAIN "cb-field-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-field-row-private.h"
#include "cb/cb-quote.h"
#include "cb/cb-sweep.h"
#include "cb-widget-util.h"

static void ensure_sweep_widgets (CbFieldRow *self);

/* Where the values are edited: a text row's own entry, else the sweep's (built now if it
 * was not yet). */
static GtkEditable *
sweep_editable (CbFieldRow *self)
{
  if (self->kind == ROW_ENTRY)
    return GTK_EDITABLE (self->row);
  ensure_sweep_widgets (self);
  return GTK_EDITABLE (self->sweep_entry);
}

/* The field's value as the start of a list: "0.001", "dbnet", "my run". */
static char *
value_text (CbFieldRow *self)
{
  GVariant *value = cb_form_get_value (self->form, self->field->key);

  if (value == NULL)
    return g_strdup ("");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return cb_format_number_repr (g_variant_get_double (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      const char *values[] = { g_variant_get_string (value, NULL), NULL };

      return cb_sweep_text_from_values (values);
    }
  return g_strdup ("");
}

/* An AdwComboRow shows its value (a list view) and its arrow (in a box): hidden while it
 * sweeps, since the entry shows the values. Found by the arrow's "pan-down-symbolic". */
static gboolean
show_combo_value (GtkWidget *widget,
                  gboolean   visible)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_IMAGE (child) &&
          g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), "pan-down-symbolic") == 0)
        {
          GtkWidget *current = gtk_widget_get_prev_sibling (widget);

          gtk_widget_set_visible (widget, visible);
          if (GTK_IS_LIST_VIEW (current))
            gtk_widget_set_visible (current, visible);
          return TRUE;
        }
      if (show_combo_value (child, visible))
        return TRUE;
    }
  return FALSE;
}

/* The value widgets or the sweep's, as a stack would show one page or the other. */
static void
show_sweep (CbFieldRow *self,
            gboolean    on)
{
  GtkWidget *value_widgets[] = { self->control, self->spin ? GTK_WIDGET (self->spin) : NULL };

  self->sweeping = on;
  if (on)
    ensure_sweep_widgets (self);
  if (self->kind == ROW_SLIDER || self->kind == ROW_NUMBER || self->kind == ROW_SEARCH)
    for (guint i = 0; i < G_N_ELEMENTS (value_widgets); i++)
      if (value_widgets[i] != NULL)
        gtk_widget_set_visible (value_widgets[i], !on);
  if (self->sweep_entry != NULL)
    gtk_widget_set_visible (self->sweep_entry, on);
  if (self->sweep_options != NULL)
    gtk_widget_set_visible (self->sweep_options, on);
  if (self->kind == ROW_COMBO)
    show_combo_value (self->row, !on);
  if (on)
    gtk_widget_add_css_class (self->row, "cb-sweeping");
  else
    gtk_widget_remove_css_class (self->row, "cb-sweeping");
}

/* Sets the shown text without it counting as an edit. */
static void
set_text_quietly (CbFieldRow *self,
                  const char *text)
{
  gboolean updating = self->updating;
  gboolean blocked = self->kind == ROW_ENTRY && self->handler_id != 0;

  self->updating = TRUE;
  if (blocked)
    g_signal_handler_block (self->handler_instance, self->handler_id);
  gtk_editable_set_text (sweep_editable (self), text);
  if (blocked)
    g_signal_handler_unblock (self->handler_instance, self->handler_id);
  self->updating = updating;
}

/* An edit of the values: only this row's text is parsed. An empty entry keeps the toggle on
 * (the user is typing) and the field on its single value. */
static void
set_sweep_from_text (CbFieldRow *self)
{
  const char *text = gtk_editable_get_text (sweep_editable (self));

  cb_form_set_sweep (self->form, self->field->key, *text != '\0' ? text : NULL, NULL);
}

static void
sweep_entry_changed_cb (GtkEditable *editable,
                        CbFieldRow  *self)
{
  if (!self->updating && self->sweeping)
    set_sweep_from_text (self);
}

static void
toggled_cb (GtkToggleButton *toggle,
            CbFieldRow      *self)
{
  gboolean on = gtk_toggle_button_get_active (toggle);

  if (self->updating || on == self->sweeping)
    return;

  if (on)
    {
      g_autofree char *start = value_text (self);

      show_sweep (self, TRUE);
      /* The list starts from the field's value: add the others after it. */
      set_text_quietly (self, start);
      set_sweep_from_text (self);
      gtk_widget_grab_focus (self->kind == ROW_ENTRY ? self->row : self->sweep_entry);
      gtk_editable_set_position (sweep_editable (self), -1);
    }
  else
    {
      g_autofree char *single = NULL;

      show_sweep (self, FALSE);
      cb_form_set_sweep (self->form, self->field->key, NULL, NULL);
      /* A text row shows its single value again. */
      if (self->kind == ROW_ENTRY)
        {
          GVariant *value = cb_form_get_value (self->form, self->field->key);

          single = g_strdup (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
                               ? g_variant_get_string (value, NULL) : "");
          set_text_quietly (self, single);
        }
    }
}

/* Selects: a check button per option; the checked ones are the list. */
static void
option_toggled_cb (GtkCheckButton *check,
                   CbFieldRow     *self)
{
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (check));
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *text = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (child)))
      g_ptr_array_add (values, g_object_get_data (G_OBJECT (child), "cb-option"));
  g_ptr_array_add (values, NULL);

  text = cb_sweep_text_from_values ((const char * const *) values->pdata);
  gtk_editable_set_text (sweep_editable (self), text);
}

static void
options_shown_cb (GtkPopover *popover,
                  CbFieldRow *self)
{
  const CbFieldState *state = cb_form_get_field_state (self->form, self->index);
  g_auto(GStrv) chosen = cb_form_get_sweep_values (self->form, self->field->key);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  for (guint i = 0; i < state->n_options; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (state->option_labels[i]);

      g_object_set_data_full (G_OBJECT (check), "cb-option", g_strdup (state->options[i]),
                              g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   chosen != NULL &&
                                   g_strv_contains ((const char * const *) chosen,
                                                    state->options[i]));
      g_signal_connect (check, "toggled", G_CALLBACK (option_toggled_cb), self);
      gtk_box_append (GTK_BOX (box), check);
    }
  gtk_popover_set_child (popover, box);
}

static void
options_hidden_cb (GtkPopover *popover,
                   CbFieldRow *self)
{
  GtkWidget *box = gtk_popover_get_child (popover);

  if (box == NULL)
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_signal_handlers_disconnect_by_data (child, self);
  gtk_popover_set_child (popover, NULL);
}

static GtkWidget *
new_options_button (CbFieldRow *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  g_autofree char *name = g_strdup_printf (_("Options of %s to sweep over"),
                                           cb_schema_text (self->field->label));

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-list-bullet-symbolic");
  cb_widget_set_tooltip_text (button, _("Choose the options to sweep over"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (button, FALSE);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  g_signal_connect (popover, "show", G_CALLBACK (options_shown_cb), self);
  g_signal_connect (popover, "hide", G_CALLBACK (options_hidden_cb), self);
  return button;
}

/* The entry of the values and, for selects, the options button: built the first time the
 * toggle is on (most rows never sweep), just before the toggle. */
static void
ensure_sweep_widgets (CbFieldRow *self)
{
  g_autofree char *name = NULL;

  if (self->kind == ROW_ENTRY || self->sweep_entry != NULL || self->sweep_toggle == NULL)
    return;

  name = g_strdup_printf (_("Values of %s"), cb_schema_text (self->field->label));
  self->sweep_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->sweep_entry),
                                  self->kind == ROW_SLIDER || self->kind == ROW_NUMBER
                                    ? _("1e-4, 3e-4, 1e-3  or  0.001:0.01:0.003")
                                    : _("option, other option"));
  gtk_editable_set_width_chars (GTK_EDITABLE (self->sweep_entry), 28);
  gtk_widget_set_valign (self->sweep_entry, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->sweep_entry, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sweep_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Values separated by commas, or a range "
                                    "START:STOP:STEP"),
                                  -1);
  g_signal_connect (self->sweep_entry, "changed", G_CALLBACK (sweep_entry_changed_cb), self);
  _cb_field_row_insert_suffix (self, self->sweep_entry, self->sweep_toggle);

  if (self->kind == ROW_COMBO || self->kind == ROW_SEARCH)
    {
      self->sweep_options = new_options_button (self);
      _cb_field_row_insert_suffix (self, self->sweep_options, self->sweep_toggle);
    }
}

/* Called once the row is built: the toggle (the entry it shows comes when it is on). */
void
_cb_field_row_sweep_attach (CbFieldRow *self)
{
  g_autofree char *toggle_name = NULL;

  switch (self->kind)
    {
    case ROW_ENTRY:
    case ROW_COMBO:
    case ROW_SEARCH:
    case ROW_SLIDER:
    case ROW_NUMBER:
      break;
    case ROW_SWITCH:
    case ROW_CHECKPOINT:
    case ROW_INFO:
    default:
      return;
    }
  if (!cb_sweep_field_can_sweep (self->field) || self->field->hydra_override == NULL)
    return;

  toggle_name = g_strdup_printf (_("Sweep %s over several values"),
                                 cb_schema_text (self->field->label));
  self->sweep_toggle = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->sweep_toggle), "media-playlist-repeat-symbolic");
  cb_widget_set_tooltip_text (self->sweep_toggle, _("Sweep over several values"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sweep_toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, toggle_name, -1);
  gtk_widget_add_css_class (self->sweep_toggle, "flat");
  gtk_widget_add_css_class (self->sweep_toggle, "cb-sweep-toggle");
  gtk_widget_set_valign (self->sweep_toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_name (self->sweep_toggle, "sweep-toggle");
  g_signal_connect (self->sweep_toggle, "toggled", G_CALLBACK (toggled_cb), self);
  _cb_field_row_insert_suffix (self, self->sweep_toggle, NULL);
}

void
_cb_field_row_sweep_detach (CbFieldRow *self)
{
  if (self->sweep_toggle != NULL)
    g_signal_handlers_disconnect_by_data (self->sweep_toggle, self);
  if (self->sweep_entry != NULL)
    g_signal_handlers_disconnect_by_data (self->sweep_entry, self);
  if (self->sweep_options != NULL)
    {
      GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->sweep_options));

      options_hidden_cb (popover, self);
      g_signal_handlers_disconnect_by_data (popover, self);
    }
}

/* In cb_field_row_update(), after the value: shows the form's sweep (a restored or loaded
 * one turns the toggle on), and keeps the value widgets hidden while it is on (an update of
 * the range or the options may have shown them). */
void
_cb_field_row_sweep_update (CbFieldRow *self)
{
  const char *text;

  if (self->sweep_toggle == NULL)
    return;

  text = cb_form_get_sweep (self->form, self->field->key);
  if (text != NULL && !self->sweeping)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->sweep_toggle), TRUE);
  /* Off from elsewhere (a reset, a loaded command); an empty entry is the user typing. */
  else if (text == NULL && self->sweeping &&
           *gtk_editable_get_text (sweep_editable (self)) != '\0')
    {
      show_sweep (self, FALSE);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->sweep_toggle), FALSE);
      return;
    }
  if (text != NULL && g_strcmp0 (text, gtk_editable_get_text (sweep_editable (self))) != 0)
    set_text_quietly (self, text);
  if (self->sweeping || text != NULL)
    show_sweep (self, TRUE);
}

/* Whether the row's value widget shows the sweep rather than the value: a text row's entry. */
gboolean
_cb_field_row_sweep_owns_value (CbFieldRow *self)
{
  return self->sweeping && self->kind == ROW_ENTRY;
}

/* The text row's own entry, while it sweeps, edits the list. */
gboolean
_cb_field_row_sweep_entry_changed (CbFieldRow *self)
{
  if (!self->sweeping)
    return FALSE;
  if (!self->updating)
    set_sweep_from_text (self);
  return TRUE;
}
