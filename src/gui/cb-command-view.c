/* cb-command-view.c: the read-only, selectable command preview with its Copy and Run buttons
 *
 * Run stays where it is while a command runs (insensitive, its tooltip says why); Stop is
 * the terminal pane's, in another place, so that a click meant for Stop that lands just
 * after the run ended never starts a new one.
 *
 * A GtkTextView rather than a wrapping selectable GtkLabel: for a 600-character command the
 * text view costs about 0.8 ms per update (set, layout and paint of the frame, cairo
 * renderer) against about 4.7 ms for the label, whose height-for-width measurement lays the
 * text out several times.
 *
 * Its height is a fixed number of lines of the text's font (more in the multi-line view),
 * whatever the command: a longer one scrolls. A preview that grew and shrank with its text
 * would make the whole window be measured, allocated and painted again on every tab switch
 * (each page has its own command) and on the first visit of each page; docs/performance.md
 * has the figures.
 *
 * Ctrl+C copies the selection when part of the command is selected, and the whole command
 * (win.copy-command, with a toast) otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-command-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cb-command-view.h"
#include "cb-widget-util.h"

struct _CbCommandView
{
  GtkWidget      parent_instance;

  char          *text;
  char          *problem;
  guint          n_updates;
  gboolean       running;
  gboolean       multiline;

  int            line_height;         /* of the text's font, in pixels */
  guint          line_height_serial;  /* of the text view's PangoContext it was measured in */

  GtkWidget     *header_box;
  GtkLabel      *heading_label;
  GtkLabel      *sweep_label;
  GtkWidget     *status_box;
  GtkLabel      *status_label;
  GtkWidget     *spacer;
  GtkWidget     *terminal_button;
  GtkWidget     *copy_button;
  GtkWidget     *run_button;
  GtkWidget     *scroller;
  GtkTextView   *text_view;
};

G_DEFINE_FINAL_TYPE (CbCommandView, cb_command_view, GTK_TYPE_WIDGET)

/* How many lines of text the preview shows: the command wrapped, or one option a line. */
#define WRAPPED_LINES   5
#define MULTILINE_LINES 10

/* The height of the text area: a number of lines of the font the text view uses now (its
 * PangoContext follows the CSS, and changes its serial when the font changes), plus the
 * margins. Not the text's own height, which changes with the command. A longer command
 * scrolls; the lines shown are whole lines. */
static int
get_text_area_height (CbCommandView *self)
{
  GtkWidget *text_view = GTK_WIDGET (self->text_view);
  PangoContext *context = gtk_widget_get_pango_context (text_view);
  guint serial = pango_context_get_serial (context);

  if (self->line_height <= 0 || serial != self->line_height_serial)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (text_view, "Xg");

      pango_layout_get_pixel_size (layout, NULL, &self->line_height);
      self->line_height_serial = serial;
    }

  return (self->multiline ? MULTILINE_LINES : WRAPPED_LINES) * self->line_height +
         gtk_text_view_get_top_margin (self->text_view) +
         gtk_text_view_get_bottom_margin (self->text_view) +
         gtk_widget_get_margin_top (self->scroller) +
         gtk_widget_get_margin_bottom (self->scroller);
}

/* Why Run does what it does, or why it cannot. */
static void
update_run_tooltip (CbCommandView *self)
{
  g_autofree char *tooltip = NULL;

  if (self->running)
    tooltip = g_strdup (_("A command is running in the terminal; Stop is in the terminal's "
                          "bar (Escape)"));
  else if (self->problem != NULL)
    /* Translators: the tooltip of Run when the form has errors */
    tooltip = g_strdup_printf (_("Not runnable: %s"), self->problem);
  else
    tooltip = g_strdup (_("Run the command in the terminal below (Ctrl+Return)"));

  cb_widget_set_live_tooltip (self->run_button, tooltip);
}

static gboolean
copy_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  CbCommandView *self = CB_COMMAND_VIEW (user_data);

  /* A partial selection: let the text view copy it. */
  if (cb_command_view_has_selection (self))
    return FALSE;

  return gtk_widget_activate_action (GTK_WIDGET (self), "win.copy-command", NULL);
}

static void
cb_command_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  CbCommandView *self = CB_COMMAND_VIEW (widget);
  int header_min, header_nat, text_min, text_nat;

  gtk_widget_measure (self->header_box, orientation, for_size,
                      &header_min, &header_nat, NULL, NULL);
  gtk_widget_measure (self->scroller, orientation, for_size, &text_min, &text_nat, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (header_min, text_min);
      *natural = MAX (header_nat, text_nat);
    }
  else
    {
      int text_height = MAX (get_text_area_height (self), text_min);

      *minimum = header_min + text_height;
      *natural = header_nat + text_height;
    }
}

/* The header its natural height, the text area the rest: the header on top, as a vertical
 * box would place them. */
static void
cb_command_view_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  CbCommandView *self = CB_COMMAND_VIEW (widget);
  int header_min, header_nat, header_height;

  gtk_widget_measure (self->header_box, GTK_ORIENTATION_VERTICAL, width,
                      &header_min, &header_nat, NULL, NULL);
  header_height = CLAMP (header_nat, header_min, MAX (header_min, height));
  gtk_widget_size_allocate (self->header_box,
                            &(GtkAllocation) { 0, 0, width, header_height }, -1);
  gtk_widget_size_allocate (self->scroller,
                            &(GtkAllocation) { 0, header_height, width,
                                               MAX (height - header_height, 0) }, -1);
}

static GtkSizeRequestMode
cb_command_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
cb_command_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_COMMAND_VIEW);

  G_OBJECT_CLASS (cb_command_view_parent_class)->dispose (object);
}

static void
cb_command_view_finalize (GObject *object)
{
  CbCommandView *self = CB_COMMAND_VIEW (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (cb_command_view_parent_class)->finalize (object);
}

static void
cb_command_view_class_init (CbCommandViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_command_view_dispose;
  object_class->finalize = cb_command_view_finalize;

  widget_class->measure = cb_command_view_measure;
  widget_class->size_allocate = cb_command_view_size_allocate;
  widget_class->get_request_mode = cb_command_view_get_request_mode;

  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-command-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, header_box);
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, heading_label);
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, sweep_label);
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, status_box);
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, status_label);
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, spacer);
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, terminal_button);
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, copy_button);
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, run_button);
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, scroller);
  gtk_widget_class_bind_template_child (widget_class, CbCommandView, text_view);

  gtk_widget_class_set_css_name (widget_class, "commandview");
}

static void
cb_command_view_init (CbCommandView *self)
{
  GtkEventController *controller;
  GtkShortcut *shortcut;

  gtk_widget_init_template (GTK_WIDGET (self));
  cb_widget_set_tooltip_text (self->terminal_button, _("Show the terminal"));
  cb_widget_set_tooltip_text (self->copy_button,
                              _("Copy the command to the clipboard (Ctrl+Shift+C)"));
  cb_widget_set_tooltip_text (GTK_WIDGET (self->text_view), _("The command this "
                                                              "page builds. Select part of it "
                                                              "to copy only that part."));

  /* Captured before the text view's own Ctrl+C binding, which would otherwise swallow the
   * key even with nothing selected. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_c, GDK_CONTROL_MASK),
                               gtk_callback_action_new (copy_shortcut_cb, self, NULL));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), controller);

  update_run_tooltip (self);
}

GtkWidget *
cb_command_view_new (void)
{
  return g_object_new (CB_TYPE_COMMAND_VIEW, NULL);
}

/**
 * cb_command_view_set_command:
 * @text: the command as it is shown and copied
 * @problem: (nullable): why the command cannot run yet, or %NULL
 *
 * Shows @text. Called from the form's `changed` handler, so the preview is updated in the
 * same frame as the edit. Unchanged text is not set again (keeps the selection).
 */
void
cb_command_view_set_command (CbCommandView *self,
                             const char    *text,
                             const char    *problem)
{
  g_return_if_fail (CB_IS_COMMAND_VIEW (self));

  if (text == NULL)
    text = "";

  if (g_strcmp0 (self->text, text) != 0)
    {
      g_free (self->text);
      self->text = g_strdup (text);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
      self->n_updates++;
    }

  if (g_strcmp0 (self->problem, problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_strdup (problem);

      if (problem != NULL)
        {
          /* Translators: shown above the command when the form has errors */
          g_autofree char *status = g_strdup_printf (_("Not runnable: %s"), problem);

          gtk_label_set_label (self->status_label, status);
          cb_widget_set_tooltip_text (self->status_box, status);
        }

      update_run_tooltip (self);
      gtk_widget_set_visible (self->status_box, problem != NULL);
      gtk_widget_set_visible (self->spacer, problem == NULL);
      if (problem != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->text_view), "dim-label");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->text_view), "dim-label");
    }
}

const char *
cb_command_view_get_text (CbCommandView *self)
{
  g_return_val_if_fail (CB_IS_COMMAND_VIEW (self), NULL);

  return self->text ? self->text : "";
}

const char *
cb_command_view_get_problem (CbCommandView *self)
{
  g_return_val_if_fail (CB_IS_COMMAND_VIEW (self), NULL);

  return self->problem;
}

/* TRUE when part (not all) of the command is selected. */
gboolean
cb_command_view_has_selection (CbCommandView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (CB_IS_COMMAND_VIEW (self), FALSE);

  buffer = gtk_text_view_get_buffer (self->text_view);
  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return FALSE;

  return !(gtk_text_iter_is_start (&start) && gtk_text_iter_is_end (&end));
}

char *
cb_command_view_get_selected_text (CbCommandView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (CB_IS_COMMAND_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return NULL;

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* How many times the shown text changed: for tests and measurements. */
guint
cb_command_view_get_n_updates (CbCommandView *self)
{
  g_return_val_if_fail (CB_IS_COMMAND_VIEW (self), 0);

  return self->n_updates;
}

/**
 * cb_command_view_set_running:
 * @running: whether a command is running in the window's terminal
 *
 * Says in Run's tooltip that a command runs. What Run does is the window's (`win.run`), and
 * so is whether it can; Stop is the terminal pane's.
 */
void
cb_command_view_set_running (CbCommandView *self,
                             gboolean       running)
{
  g_return_if_fail (CB_IS_COMMAND_VIEW (self));

  running = !!running;
  if (self->running == running)
    return;

  self->running = running;
  update_run_tooltip (self);
}

gboolean
cb_command_view_get_running (CbCommandView *self)
{
  g_return_val_if_fail (CB_IS_COMMAND_VIEW (self), FALSE);

  return self->running;
}

/**
 * cb_command_view_set_multiline:
 * @multiline: whether the command is shown one option a line
 *
 * The multi-line view is taller (it holds more lines); either height stays the same
 * whatever the command shown.
 */
void
cb_command_view_set_multiline (CbCommandView *self,
                               gboolean       multiline)
{
  g_return_if_fail (CB_IS_COMMAND_VIEW (self));

  multiline = !!multiline;
  if (self->multiline == multiline)
    return;

  self->multiline = multiline;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

gboolean
cb_command_view_get_multiline (CbCommandView *self)
{
  g_return_val_if_fail (CB_IS_COMMAND_VIEW (self), FALSE);

  return self->multiline;
}

/* Returns: (transfer none): the Run button, for tests */
GtkWidget *
cb_command_view_get_run_button (CbCommandView *self)
{
  g_return_val_if_fail (CB_IS_COMMAND_VIEW (self), NULL);

  return self->run_button;
}

/**
 * cb_command_view_set_job_script:
 *
 * Whether the view shows a Slurm job script (its heading says so) rather than a command.
 */
void
cb_command_view_set_job_script (CbCommandView *self,
                                gboolean       job_script)
{
  const char *heading = job_script ? _("Job Script") : _("Command");

  g_return_if_fail (CB_IS_COMMAND_VIEW (self));

  if (g_strcmp0 (gtk_label_get_label (self->heading_label), heading) != 0)
    gtk_label_set_label (self->heading_label, heading);
}

/**
 * cb_command_view_set_sweep:
 * @summary: (nullable): how many runs the command makes and what sweeps ("6 runs (Learning
 *   Rate × 3, Batch Size × 2)", cb_form_describe_sweep()), or %NULL for a single run
 *
 * Says, beside the heading, how many runs the command starts before anything starts.
 */
void
cb_command_view_set_sweep (CbCommandView *self,
                           const char    *summary)
{
  g_autofree char *text = NULL;

  g_return_if_fail (CB_IS_COMMAND_VIEW (self));

  /* Translators: beside the command's heading: "Sweep: 6 runs (Learning Rate × 3, …)" */
  text = summary != NULL ? g_strdup_printf (_("Sweep: %s"), summary) : NULL;
  if (g_strcmp0 (gtk_label_get_label (self->sweep_label), text ? text : "") != 0)
    {
      gtk_label_set_label (self->sweep_label, text ? text : "");
      cb_widget_set_tooltip_text (GTK_WIDGET (self->sweep_label), text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sweep_label), text != NULL);
}
