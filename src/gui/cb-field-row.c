/* cb-field-row.c: the row widget of one schema field, kept in step with the form
 *
 * The only widgets built in code rather than in a template: one row per schema field, in
 * the shape its type calls for.
 *
 *   text_input    AdwEntryRow
 *   checkbox      AdwActionRow + GtkSwitch (the activatable widget)
 *   selectbox     AdwComboRow; a searchable GtkDropDown in an AdwActionRow for long lists;
 *                 for checkpoints, a CbCheckpointPicker (cb-checkpoint-picker.c)
 *   slider        AdwActionRow + GtkScale and a GtkSpinButton sharing one GtkAdjustment
 *   number_input  AdwActionRow + GtkSpinButton
 *   info          AdwActionRow whose subtitle is the text
 *
 * The form decides everything (visibility, options, value, range, help, error); the row
 * shows it and reports edits back with cb_form_set_value(). cb_field_row_update() only
 * touches what changed since the last update, and blocks the row's own handler while it
 * sets a widget, so that showing a value never feeds back into the form.
 *
 * A checkpoint row shows the form's value in its picker, and sets the form's value to what
 * the user chooses there; the picker keeps its selection in step with the scanner's model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-field-row"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cb-field-row.h"
#include "cb-field-row-private.h"
#include "cb-checkpoint-picker.h"
#include "cb/cb-checkpoint.h"
#include "cb/cb-quote.h"
#include "cb-widget-util.h"

/* ------------------------------------------------------------------------------------ */
/* Numbers                                                                              */

static guint
digits_for_step (double step)
{
  double d;

  if (!(step > 0))
    return 3;

  d = ceil (-log10 (step) - 1e-9);
  return (guint) CLAMP (d, 0, 10);
}

static char *
format_number (CbFieldRow *self,
               double      value)
{
  g_autofree char *prefix = NULL;
  g_autofree char *conversion = NULL;
  g_autofree char *suffix = NULL;
  gboolean rounds = FALSE;
  /* Width and precision are at most 32 (the schema check); the largest double has 309
   * digits. */
  char buf[512];

  /* The one conversion of the schema's format, checked as the schema check does: anything
   * else (two conversions, %s, %n, a huge width) is never handed to printf. */
  if (self->field->format != NULL && isfinite (value) &&
      cb_number_format_split (self->field->format, &prefix, &conversion, &suffix, &rounds,
                              NULL))
    {
      if (rounds)
        value = round (value) + 0.0;   /* + 0.0: never "-0" */
      if (g_ascii_formatd (buf, sizeof buf, conversion, value) != NULL)
        return g_strconcat (prefix, buf, suffix, NULL);
    }

  if (self->field->integral)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) llround (value));

  {
    g_autofree char *fmt = g_strdup_printf ("%%.%uf", self->digits);

    g_ascii_formatd (buf, sizeof buf, fmt, value);
    return g_strdup (buf);
  }
}

static gboolean
parse_number (const char *text,
              double     *value)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  double v;

  if (*copy == '\0')
    return FALSE;

  v = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !isfinite (v))
    return FALSE;

  *value = v;
  return TRUE;
}

/* Snaps to the step grid and drops binary noise (3.0000000000000004e-05 becomes 3e-05). */
static double
snap_value (CbFieldRow *self,
            double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (self->field->integral)
    return round (value);

  if (self->step > 0)
    value = self->min + round ((value - self->min) / self->step) * self->step;

  g_ascii_formatd (buf, sizeof buf, "%.12g", value);
  return g_ascii_strtod (buf, NULL);
}

static double
variant_to_double (GVariant *value,
                   gboolean *ok)
{
  *ok = TRUE;
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return (double) g_variant_get_int64 (value);
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (value);
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return (double) g_variant_get_int32 (value);

  *ok = FALSE;
  return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Edits → form                                                                         */

static void
set_form_value (CbFieldRow *self,
                GVariant   *value)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (value);

  cb_form_set_value (self->form, self->field->key, owned);
}

static void
entry_changed_cb (GtkEditable *editable,
                  CbFieldRow  *self)
{
  if (_cb_field_row_sweep_entry_changed (self))
    return;
  set_form_value (self, g_variant_new_string (gtk_editable_get_text (editable)));
}

static void
switch_active_cb (GtkSwitch  *sw,
                  GParamSpec *pspec,
                  CbFieldRow *self)
{
  set_form_value (self, g_variant_new_boolean (gtk_switch_get_active (sw)));
}

static void
selected_cb (GObject    *object,
             GParamSpec *pspec,
             CbFieldRow *self)
{
  guint selected = GTK_INVALID_LIST_POSITION;

  g_object_get (object, "selected", &selected, NULL);
  if (self->values == NULL || selected >= g_strv_length (self->values))
    return;

  set_form_value (self, g_variant_new_string (self->values[selected]));
}

/* The exact text of @value: the schema's format when it reads back as the same number,
 * else the shortest text that does (what is shown is what runs). */
static char *
format_exact (CbFieldRow *self,
              double      value)
{
  g_autofree char *text = format_number (self, value);
  double back;

  if (parse_number (text, &back) && back == value)
    return g_steal_pointer (&text);
  if (self->field->integral && value == floor (value) && fabs (value) < 9e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);
  return cb_format_number_repr (value);
}

static void
set_number (CbFieldRow *self,
            double      value)
{
  if (self->field->integral)
    set_form_value (self, g_variant_new_int64 ((gint64) llround (value)));
  else
    set_form_value (self, g_variant_new_double (value));
}

/* The spin button's arrows, keys and wheel. */
static void
adjustment_value_cb (GtkAdjustment *adjustment,
                     CbFieldRow    *self)
{
  if (self->updating)
    return;
  set_number (self, gtk_adjustment_get_value (adjustment));
}

/* Every keystroke in the spin button reaches the form as the text it shows, so that Run
 * and Copy read what is on screen even before Enter or Tab. */
static void
spin_text_changed_cb (GtkEditable *editable,
                      CbFieldRow  *self)
{
  if (self->updating || self->formatting)
    return;
  set_form_value (self, g_variant_new_string (gtk_editable_get_text (editable)));
}

/* The scale: a guide over the slider's range, on the step grid, or in powers of ten. */
static void
scale_value_cb (GtkAdjustment *adjustment,
                CbFieldRow    *self)
{
  double position = gtk_adjustment_get_value (adjustment);
  double value;

  if (self->updating)
    return;

  if (self->logarithmic)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      /* Two significant digits: 3.2e-04, not 3.1622776601683794e-04. */
      g_ascii_formatd (buf, sizeof buf, "%.2e", pow (10, position));
      value = g_ascii_strtod (buf, NULL);
    }
  else
    value = snap_value (self, position);

  set_number (self, value);
}

static gboolean
spin_output_cb (GtkSpinButton *spin,
                CbFieldRow    *self)
{
  const char *shown = gtk_editable_get_text (GTK_EDITABLE (spin));
  double value = gtk_adjustment_get_value (self->adjustment);
  const CbFieldState *state = cb_form_get_field_state (self->form, self->index);
  g_autofree char *text = NULL;
  double typed;

  /* What the user typed stays as typed: a number that means the value (1.234e-4), or text
   * that is not a number yet, which the row flags. */
  if ((parse_number (shown, &typed) && typed == value) ||
      (state->value == NULL && state->user_set))
    return TRUE;

  text = format_exact (self, value);
  if (g_strcmp0 (text, shown) != 0)
    {
      self->formatting = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (spin), text);
      self->formatting = FALSE;
    }

  return TRUE;
}

static int
spin_input_cb (GtkSpinButton *spin,
               double        *new_value,
               CbFieldRow    *self)
{
  if (!parse_number (gtk_editable_get_text (GTK_EDITABLE (spin)), new_value))
    return GTK_INPUT_ERROR;

  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Building                                                                             */

static void
connect_control (CbFieldRow *self,
                 gpointer    instance,
                 const char *signal,
                 GCallback   callback)
{
  self->handler_instance = instance;
  self->handler_id = g_signal_connect (instance, signal, callback, self);
}

static void
label_control (CbFieldRow *self,
               GtkWidget  *control)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (control),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cb_schema_text (self->field->label),
                                  -1);
}

static GtkWidget *
new_action_row (CbFieldRow *self)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cb_schema_text (self->field->label));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  return row;
}

static void
setup_ellipsized_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Both ends of a checkpoint path say the most: its run and its file. */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_list_item_set_child (item, label);
}

static void
setup_plain_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (string));
}

static GtkListItemFactory *
new_label_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup",
                    ellipsize ? G_CALLBACK (setup_ellipsized_cb) : G_CALLBACK (setup_plain_cb),
                    NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), NULL);
  return factory;
}

static void
build_entry (CbFieldRow *self)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cb_schema_text (self->field->label));

  self->row = row;
  self->control = row;
  connect_control (self, row, "changed", G_CALLBACK (entry_changed_cb));
}

static void
build_switch (CbFieldRow *self)
{
  GtkWidget *row = new_action_row (self);
  GtkWidget *sw = gtk_switch_new ();

  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  label_control (self, sw);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);

  self->row = row;
  self->control = sw;
  connect_control (self, sw, "notify::active", G_CALLBACK (switch_active_cb));
}

static void
build_combo (CbFieldRow *self)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cb_schema_text (self->field->label));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  self->model = gtk_string_list_new (NULL);
  cb_popup_list_defer (row, NULL);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (self->model));

  self->row = row;
  self->control = row;
  connect_control (self, row, "notify::selected", G_CALLBACK (selected_cb));
}

static void
build_search (CbFieldRow *self)
{
  GtkWidget *row = new_action_row (self);
  GtkWidget *dropdown;
  g_autoptr(GtkListItemFactory) factory = new_label_factory (TRUE);
  g_autoptr(GtkListItemFactory) list_factory = new_label_factory (FALSE);

  self->model = gtk_string_list_new (NULL);
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->model)),
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                             "string"));
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), TRUE);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (dropdown), factory);
  cb_popup_list_defer (dropdown, list_factory);
  cb_drop_down_improve_search (dropdown, NULL);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (dropdown, "cb-search-dropdown");
  label_control (self, dropdown);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), dropdown);

  self->row = row;
  self->control = dropdown;
  connect_control (self, dropdown, "notify::selected", G_CALLBACK (selected_cb));
}

/* ------------------------------------------------------------------------------------ */
/* Checkpoint picker (cb-checkpoint-picker.c)                                           */

static void
checkpoint_chosen_cb (CbCheckpointPicker *picker,
                      const char         *path,
                      CbFieldRow         *self)
{
  set_form_value (self, g_variant_new_string (path));
}

static void update_help (CbFieldRow *self, const CbFieldState *state);

/* The scan changed the model: the run facts of the subtitle may have arrived with it. */
static void
checkpoints_settled_cb (CbCheckpointPicker *picker,
                        CbFieldRow         *self)
{
  const CbFieldState *state = cb_form_get_field_state (self->form, self->index);

  if (state == NULL || !state->visible)
    return;

  g_clear_pointer (&self->subtitle, g_free);
  update_help (self, state);
}

static void
build_checkpoint (CbFieldRow *self,
                  GListModel *checkpoints)
{
  GtkWidget *row = new_action_row (self);
  GtkWidget *dropdown;

  self->picker = cb_checkpoint_picker_new (checkpoints);
  dropdown = GTK_WIDGET (cb_checkpoint_picker_get_drop_down (self->picker));
  label_control (self, dropdown);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->picker));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), dropdown);

  self->row = row;
  self->control = dropdown;
  connect_control (self, self->picker, "chosen", G_CALLBACK (checkpoint_chosen_cb));
  g_signal_connect (self->picker, "model-settled", G_CALLBACK (checkpoints_settled_cb), self);
}

/* The page scrolls under the pointer, and a scale or a spin button it passes over would
 * take the wheel and change its value. Until the user focuses one, its scroll events
 * scroll the page instead. */
static gboolean
guarded_scroll_cb (GtkEventControllerScroll *controller,
                   double                    dx,
                   double                    dy,
                   gpointer                  user_data)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  GtkWidget *scroller;
  GtkAdjustment *adjustment;
  double delta;

  /* Focused (the spin button's text inside it included): the wheel is the user's. */
  if (focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget)))
    return FALSE;

  scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  if (scroller == NULL)
    return FALSE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    delta = dy * pow (gtk_adjustment_get_page_size (adjustment), 2.0 / 3.0);
  else
    delta = dy;

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + delta);
  return TRUE;
}

static void
guard_scroll (GtkWidget *widget)
{
  GtkEventController *controller =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (guarded_scroll_cb), NULL);
  gtk_widget_add_controller (widget, controller);
}

static GtkWidget *
new_spin_button (CbFieldRow *self)
{
  GtkWidget *spin = gtk_spin_button_new (self->adjustment, 0, 0);

  guard_scroll (spin);

  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (spin), GTK_UPDATE_IF_VALID);
  g_signal_connect (spin, "output", G_CALLBACK (spin_output_cb), self);
  g_signal_connect (spin, "input", G_CALLBACK (spin_input_cb), self);
  g_signal_connect (spin, "changed", G_CALLBACK (spin_text_changed_cb), self);
  label_control (self, spin);
  self->spin = GTK_SPIN_BUTTON (spin);
  return spin;
}

/* The spin button takes any number: a slider's range guides, it does not cage. */
static GtkAdjustment *
new_open_adjustment (void)
{
  return g_object_ref_sink (gtk_adjustment_new (0, -1e15, 1e15, 1, 10, 0));
}

static void
build_slider (CbFieldRow *self)
{
  GtkWidget *row = new_action_row (self);
  GtkWidget *scale;
  GtkWidget *spin;

  self->adjustment = new_open_adjustment ();
  self->scale_adjustment = g_object_ref_sink (gtk_adjustment_new (0, 0, 1, 0.1, 1, 0));

  scale = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, self->scale_adjustment);
  gtk_scale_set_draw_value (GTK_SCALE (scale), FALSE);
  gtk_widget_set_size_request (scale, 160, -1);
  guard_scroll (scale);
  gtk_widget_set_valign (scale, GTK_ALIGN_CENTER);
  label_control (self, scale);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), scale);
  g_signal_connect (self->scale_adjustment, "value-changed", G_CALLBACK (scale_value_cb), self);

  spin = new_spin_button (self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);

  self->row = row;
  self->control = scale;
  g_signal_connect (self->adjustment, "value-changed", G_CALLBACK (adjustment_value_cb), self);
}

static void
build_number (CbFieldRow *self)
{
  GtkWidget *row = new_action_row (self);
  GtkWidget *spin;

  self->adjustment = new_open_adjustment ();
  spin = new_spin_button (self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);

  self->row = row;
  self->control = spin;
  g_signal_connect (self->adjustment, "value-changed", G_CALLBACK (adjustment_value_cb), self);
}

static void
build_info (CbFieldRow *self)
{
  GtkWidget *row = new_action_row (self);

  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "cb-info-row");
  self->row = row;
}

static RowKind
choose_kind (const CbField      *field,
             const CbFieldState *state,
             GListModel         *checkpoints)
{
  switch (field->type)
    {
    case CB_FIELD_TEXT_INPUT:
      return ROW_ENTRY;
    case CB_FIELD_CHECKBOX:
      return ROW_SWITCH;
    case CB_FIELD_SELECTBOX:
      if (g_strcmp0 (field->options_source, "checkpoints") == 0 && checkpoints != NULL)
        return ROW_CHECKPOINT;
      if (g_strcmp0 (field->options_source, "checkpoints") == 0 ||
          (state != NULL && state->n_options > CB_FIELD_ROW_SEARCH_THRESHOLD))
        return ROW_SEARCH;
      return ROW_COMBO;
    case CB_FIELD_SLIDER:
      return ROW_SLIDER;
    case CB_FIELD_NUMBER_INPUT:
      return ROW_NUMBER;
    case CB_FIELD_INFO:
      return ROW_INFO;
    default:
      return ROW_INFO;
    }
}

/**
 * cb_field_row_new:
 * @form: the form (not referenced: the caller keeps it alive longer than the row)
 * @index: the field's index in the form's schema
 * @checkpoints: (nullable): the #GListModel of #CbCheckpoint that @form takes its
 *   checkpoint options from (cb_form_set_checkpoint_model()); a checkpoint field then gets
 *   a picker that shows the model itself
 *
 * Builds the row for one field and shows the form's current state in it.
 */
CbFieldRow *
cb_field_row_new (CbForm     *form,
                  guint       index,
                  GListModel *checkpoints)
{
  CbFieldRow *self;
  const CbFieldState *state;

  g_return_val_if_fail (CB_IS_FORM (form), NULL);
  g_return_val_if_fail (checkpoints == NULL || G_IS_LIST_MODEL (checkpoints), NULL);

  self = g_new0 (CbFieldRow, 1);
  self->form = form;
  self->index = index;
  self->field = cb_schema_get_field (cb_form_get_schema (form), index);
  self->visible = TRUE;
  self->digits = 3;

  state = cb_form_get_field_state (form, index);
  self->kind = choose_kind (self->field, state, checkpoints);

  switch (self->kind)
    {
    case ROW_ENTRY:
      build_entry (self);
      break;
    case ROW_SWITCH:
      build_switch (self);
      break;
    case ROW_COMBO:
      build_combo (self);
      break;
    case ROW_SEARCH:
      build_search (self);
      break;
    case ROW_CHECKPOINT:
      build_checkpoint (self, checkpoints);
      break;
    case ROW_SLIDER:
      build_slider (self);
      break;
    case ROW_NUMBER:
      build_number (self);
      break;
    case ROW_INFO:
    default:
      build_info (self);
      break;
    }

  g_object_ref_sink (self->row);
  gtk_widget_set_name (self->row, self->field->key);

  _cb_field_row_sweep_attach (self);
  if (state != NULL)
    cb_field_row_update (self, state);

  return self;
}

void
cb_field_row_free (CbFieldRow *self)
{
  if (self == NULL)
    return;

  if (self->handler_id != 0)
    g_clear_signal_handler (&self->handler_id, self->handler_instance);
  _cb_field_row_sweep_detach (self);
  if (self->picker != NULL)
    g_signal_handlers_disconnect_by_data (self->picker, self);
  if (self->spin != NULL)
    g_signal_handlers_disconnect_by_data (self->spin, self);
  if (self->adjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->adjustment, self);
  if (self->scale_adjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->scale_adjustment, self);

  g_clear_object (&self->adjustment);
  g_clear_object (&self->scale_adjustment);
  g_clear_object (&self->model);
  g_clear_object (&self->row);
  g_clear_pointer (&self->values, g_strfreev);
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->subtitle, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->warning, g_free);
  g_free (self);
}

GtkWidget *
cb_field_row_get_widget (CbFieldRow *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->row;
}

/* The widget that takes the value: the entry row, the switch, the combo row, the drop-down,
 * the scale or the spin button; NULL for info rows. */
GtkWidget *
cb_field_row_get_control (CbFieldRow *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->control;
}

const CbField *
cb_field_row_get_field (CbFieldRow *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->field;
}

/* TRUE when the row is of the wrong kind for the state: a combo row whose list grew past
 * the search threshold. The page then replaces the row (once; it never shrinks back). */
gboolean
cb_field_row_needs_rebuild (CbFieldRow         *self,
                            const CbFieldState *state)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->kind == ROW_COMBO && state->n_options > CB_FIELD_ROW_SEARCH_THRESHOLD;
}

/* ------------------------------------------------------------------------------------ */
/* Form → widgets                                                                       */

static gboolean
strv_equal_n (char               **a,
              const char * const  *b,
              guint                n_b)
{
  guint n_a = a ? g_strv_length (a) : 0;

  if (n_a != n_b)
    return FALSE;
  for (guint i = 0; i < n_a; i++)
    if (g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;
  return TRUE;
}

static char **
strv_copy_n (const char * const *v,
             guint               n)
{
  char **copy = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    copy[i] = g_strdup (v[i] ? v[i] : "");
  return copy;
}

static guint
get_selected (CbFieldRow *self)
{
  if (self->kind == ROW_COMBO)
    return adw_combo_row_get_selected (ADW_COMBO_ROW (self->control));
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (self->control));
}

static void
set_selected (CbFieldRow *self,
              guint       position)
{
  if (get_selected (self) == position)
    return;
  if (self->kind == ROW_COMBO)
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->control), position);
  else
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->control), position);
}

static gboolean
update_options (CbFieldRow         *self,
                const CbFieldState *state)
{
  const char * const *labels = state->option_labels ? state->option_labels : state->options;
  const char *value = NULL;
  guint position = GTK_INVALID_LIST_POSITION;
  gboolean changed = FALSE;

  if (!strv_equal_n (self->values, state->options, state->n_options) ||
      !strv_equal_n (self->labels, labels, state->n_options))
    {
      guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));

      g_strfreev (self->values);
      g_strfreev (self->labels);
      self->values = strv_copy_n (state->options, state->n_options);
      self->labels = strv_copy_n (labels, state->n_options);
      gtk_string_list_splice (self->model, 0, n_items, (const char * const *) self->labels);
      gtk_widget_set_sensitive (self->row, state->n_options > 0);
      changed = TRUE;
    }

  if (state->value != NULL && g_variant_is_of_type (state->value, G_VARIANT_TYPE_STRING))
    value = g_variant_get_string (state->value, NULL);

  /* values stays NULL while the first state has no options (strv_equal_n (NULL, …, 0)). */
  for (guint i = 0; value != NULL && self->values != NULL && self->values[i] != NULL; i++)
    if (g_strcmp0 (self->values[i], value) == 0)
      {
        position = i;
        break;
      }

  if (position != get_selected (self))
    {
      set_selected (self, position);
      changed = TRUE;
    }

  return changed;
}

static gboolean
update_range (CbFieldRow         *self,
              const CbFieldState *state)
{
  double lower, upper, step;
  gboolean has_range;

  if (self->kind == ROW_SLIDER)
    has_range = state->has_min && state->has_max;
  else
    has_range = state->has_min || state->has_max;

  step = state->step > 0 ? state->step : (self->field->integral ? 1 : 0.1);
  if (self->field->integral)
    step = MAX (1, round (step));

  if (self->field->integral)
    {
      lower = state->has_min ? state->min : (double) G_MININT32;
      upper = state->has_max ? state->max : (double) G_MAXINT32;
    }
  else
    {
      lower = state->has_min ? state->min : -1e12;
      upper = state->has_max ? state->max : 1e12;
    }

  if (upper < lower)
    upper = lower;

  if (self->has_range == has_range && self->min == lower && self->max == upper &&
      self->step == step)
    return FALSE;

  self->has_range = has_range;
  self->min = lower;
  self->max = upper;
  self->step = step;
  self->digits = self->field->integral ? 0 : digits_for_step (step);
  /* Three orders of magnitude or more from a positive start: powers of ten. */
  self->logarithmic = !self->field->integral && lower > 0 && upper / lower >= 100;

  gtk_adjustment_set_step_increment (self->adjustment, step);
  gtk_adjustment_set_page_increment (self->adjustment, step * 10);

  if (self->kind == ROW_SLIDER)
    {
      if (self->logarithmic)
        gtk_adjustment_configure (self->scale_adjustment,
                                  gtk_adjustment_get_value (self->scale_adjustment),
                                  log10 (lower), log10 (upper),
                                  (log10 (upper) - log10 (lower)) / 100,
                                  (log10 (upper) - log10 (lower)) / 10, 0);
      else
        gtk_adjustment_configure (self->scale_adjustment,
                                  gtk_adjustment_get_value (self->scale_adjustment),
                                  lower, upper, step, step * 10, 0);
      gtk_range_set_round_digits (GTK_RANGE (self->control),
                                  self->logarithmic ? -1 : (int) self->digits);
      /* Without both ends a slider makes no sense: the spin button alone remains. */
      gtk_widget_set_visible (self->control, has_range);
    }

  gtk_spin_button_set_digits (self->spin, self->digits);

  {
    g_autofree char *low_text = format_number (self, lower);
    g_autofree char *high_text = format_number (self, upper);
    int chars = (int) MAX (strlen (low_text), strlen (high_text));

    /* One width for every slider's spin button, so that the scales line up; wider only
     * when a value needs it (room for an exact rate such as 0.0001234). */
    if (self->kind == ROW_SLIDER)
      chars = MAX (chars, self->field->integral ? 7 : 9);
    else if (!has_range)
      chars = 10;
    gtk_editable_set_width_chars (GTK_EDITABLE (self->spin), CLAMP (chars, 4, 12));
  }

  return TRUE;
}

static char *
compose_subtitle (CbFieldRow         *self,
                  const CbFieldState *state)
{
  if (self->kind == ROW_INFO)
    {
      if (state->info_text != NULL)
        return g_strdup (state->info_text);
      return g_strdup (_("No metadata available."));
    }

  /* A warning takes the subtitle while it lasts; the help stays in the tooltip. */
  if (_cb_field_row_warning (state) != NULL)
    return g_strdup (_cb_field_row_warning (state));

  if (self->kind == ROW_CHECKPOINT)
    {
      char *facts = cb_checkpoint_picker_describe_run (self->picker);

      if (facts != NULL)
        return facts;
      /* Still open: "Other File…" chooses one anywhere. */
      if (state->n_options == 0 && state->help != NULL)
        return g_strdup_printf ("%s\n%s", _("No checkpoints found under outputs/"), state->help);
      if (state->n_options == 0)
        return g_strdup (_("No checkpoints found under outputs/"));
    }

  if ((self->kind == ROW_COMBO || self->kind == ROW_SEARCH) && state->n_options == 0)
    {
      if (state->help != NULL)
        return g_strdup_printf ("%s\n%s", _("Nothing to choose from"), state->help);
      return g_strdup (_("Nothing to choose from"));
    }

  return g_strdup (state->help);
}

static void
update_help (CbFieldRow         *self,
             const CbFieldState *state)
{
  g_autofree char *subtitle = compose_subtitle (self, state);

  if (g_strcmp0 (subtitle, self->subtitle) == 0)
    return;

  g_free (self->subtitle);
  self->subtitle = g_steal_pointer (&subtitle);

  if (self->kind == ROW_ENTRY)
    {
      /* An entry row has no subtitle: the help is its tooltip and its description. */
      cb_widget_set_tooltip_text (self->row, self->subtitle);
    }
  else
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->row),
                                   self->subtitle ? self->subtitle : "");
      /* Long help is cut after three lines; the tooltip has all of it. When a warning or
       * the checkpoint's run takes the subtitle, the tooltip keeps the help. */
      if (self->kind != ROW_INFO && self->kind != ROW_CHECKPOINT && self->subtitle != NULL &&
          (strlen (self->subtitle) > 90 || strchr (self->subtitle, '\n') != NULL))
        cb_widget_set_tooltip_text (self->row, self->subtitle);
      else if (self->kind != ROW_INFO && state->help != NULL &&
               g_strcmp0 (state->help, self->subtitle) != 0)
        cb_widget_set_tooltip_text (self->row, state->help);
      else
        cb_widget_set_tooltip_text (self->row, NULL);
    }

  if (self->picker != NULL)
    cb_checkpoint_picker_set_description (self->picker, self->subtitle);
  else if (self->control != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->control),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    self->subtitle ? self->subtitle : "",
                                    -1);
  /* A slider row has two controls: the spin button beside the scale says the same. */
  if (self->spin != NULL && GTK_WIDGET (self->spin) != self->control)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->spin),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    self->subtitle ? self->subtitle : "",
                                    -1);
}

static gboolean
update_value (CbFieldRow         *self,
              const CbFieldState *state)
{
  switch (self->kind)
    {
    case ROW_ENTRY:
      {
        const char *text = "";

        if (state->value != NULL && g_variant_is_of_type (state->value, G_VARIANT_TYPE_STRING))
          text = g_variant_get_string (state->value, NULL);
        /* Equal while the user types: the cursor stays where it is. */
        if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (self->row))) == 0)
          return FALSE;
        gtk_editable_set_text (GTK_EDITABLE (self->row), text);
        return TRUE;
      }

    case ROW_SWITCH:
      {
        gboolean active = FALSE;

        if (state->value != NULL && g_variant_is_of_type (state->value, G_VARIANT_TYPE_BOOLEAN))
          active = g_variant_get_boolean (state->value);
        if (active == gtk_switch_get_active (GTK_SWITCH (self->control)))
          return FALSE;
        gtk_switch_set_active (GTK_SWITCH (self->control), active);
        return TRUE;
      }

    case ROW_COMBO:
    case ROW_SEARCH:
      return update_options (self, state);

    case ROW_CHECKPOINT:
      {
        const char *path = NULL;

        if (state->value != NULL && g_variant_is_of_type (state->value, G_VARIANT_TYPE_STRING))
          path = g_variant_get_string (state->value, NULL);
        return cb_checkpoint_picker_set_path (self->picker, path);
      }

    case ROW_SLIDER:
    case ROW_NUMBER:
      {
        gboolean changed = update_range (self, state);
        gboolean ok;
        double value = variant_to_double (state->value, &ok);

        /* Text that is not a number yet: left as the user typed it (the row is flagged). */
        if (!ok)
          return changed;

        if (self->kind == ROW_SLIDER)
          {
            double position = self->logarithmic ? (value > 0 ? log10 (value) : -G_MAXDOUBLE)
                                                : value;

            position = CLAMP (position, gtk_adjustment_get_lower (self->scale_adjustment),
                              gtk_adjustment_get_upper (self->scale_adjustment));
            if (position != gtk_adjustment_get_value (self->scale_adjustment))
              {
                gtk_adjustment_set_value (self->scale_adjustment, position);
                changed = TRUE;
              }
          }
        if (value != gtk_adjustment_get_value (self->adjustment))
          {
            gtk_adjustment_set_value (self->adjustment, value);
            changed = TRUE;
          }
        return changed;
      }

    case ROW_INFO:
    default:
      return FALSE;
    }
}

/**
 * cb_field_row_update:
 * @state: what the form decided for this field
 *
 * Shows @state, changing only what differs from what is shown. Returns %TRUE if a widget
 * changed.
 */
gboolean
cb_field_row_update (CbFieldRow         *self,
                     const CbFieldState *state)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  if (self->visible != state->visible)
    {
      self->visible = state->visible;
      gtk_widget_set_visible (self->row, state->visible);
      changed = TRUE;
    }

  /* A hidden field keeps showing its last value: the form forgets it while hidden, but the
   * user gets it back as it was when the field reappears. */
  if (!state->visible)
    return changed;

  if (self->handler_id != 0)
    g_signal_handler_block (self->handler_instance, self->handler_id);
  self->updating = TRUE;
  /* While a text field sweeps, its entry shows the sweep (cb-field-row-sweep.c). */
  if (!_cb_field_row_sweep_owns_value (self))
    changed |= update_value (self, state);
  _cb_field_row_sweep_update (self);
  self->updating = FALSE;
  if (self->handler_id != 0)
    g_signal_handler_unblock (self->handler_instance, self->handler_id);

  update_help (self, state);
  _cb_field_row_status_update (self, state);

  return changed;
}
