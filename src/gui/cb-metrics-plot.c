/* cb-metrics-plot.c: one metric of one or more runs, drawn against step or epoch
 *
 * The curves are drawn once into a render node and kept until the size, the data or the
 * style changes; hovering draws only the cross-hair and the values over it. A series longer
 * than the plot is wide is drawn per pixel column (first, lowest, highest and last value of
 * the column) from the buckets its CbMetrics keeps up to date as rows come
 * (cb_metrics_get_buckets()), so a million points cost a few thousand buckets when they
 * change and nothing per frame.
 * A step that goes back (a resumed run counting from zero again) starts a new line.
 *
 * Checkpoint marks are drawn where the run saved them; a click on one emits
 * "mark-activated" with the checkpoint's path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-metrics-plot"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "cb-metrics-plot-private.h"

G_DEFINE_FINAL_TYPE (CbMetricsPlot, cb_metrics_plot, GTK_TYPE_WIDGET)

enum { MARK_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
run_free (gpointer data)
{
  Run *run = data;

  g_free (run->label);
  g_ptr_array_unref (run->segments);
  g_free (run->column_x);
  g_free (run->column_y);
  g_free (run);
}

static void
mark_clear (gpointer data)
{
  Mark *mark = data;

  g_free (mark->label);
  g_free (mark->path);
}

static void
cb_metrics_plot_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  CbMetricsPlot *self = CB_METRICS_PLOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0)
    return;
  if (self->dirty || self->cache == NULL || width != self->cache_width
      || height != self->cache_height || _cb_metrics_plot_is_dark () != self->cache_dark)
    _cb_metrics_plot_rebuild_cache (self, width, height);
  if (self->cache != NULL)
    gtk_snapshot_append_node (snapshot, self->cache);
  _cb_metrics_plot_draw_hover (self, snapshot, width, height);
}

static void
cb_metrics_plot_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 420;
    }
  else
    {
      *minimum = 150;
      *natural = 200;
    }
}

static void
cb_metrics_plot_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  CbMetricsPlot *self = CB_METRICS_PLOT (widget);

  GTK_WIDGET_CLASS (cb_metrics_plot_parent_class)->css_changed (widget, change);
  self->dirty = TRUE;
  gtk_widget_queue_draw (widget);
}

/* ---- input ----------------------------------------------------------------------------- */

static int
mark_at (CbMetricsPlot *self,
         double         x,
         double         y)
{
  int best = -1;
  double best_d = MARK_REACH;

  if (y > gtk_widget_get_height (GTK_WIDGET (self)) - MARGIN_BOTTOM + 4)
    return -1;
  for (guint i = 0; i < self->marks->len; i++)
    {
      Mark *mark = &g_array_index (self->marks, Mark, i);

      if (!isnan (mark->px) && fabs (mark->px - x) <= best_d)
        {
          best = (int) i;
          best_d = fabs (mark->px - x);
        }
    }
  return best;
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           CbMetricsPlot            *self)
{
  self->hover_x = x;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), mark_at (self, x, y) >= 0 ? "pointer"
                                                                                 : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (GtkEventControllerMotion *motion,
          CbMetricsPlot            *self)
{
  self->hover_x = NAN;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
released_cb (GtkGestureClick *click,
             int              n_press,
             double           x,
             double           y,
             CbMetricsPlot   *self)
{
  int mark = mark_at (self, x, y);

  if (mark >= 0)
    cb_metrics_plot_activate_mark (self, (guint) mark);
}

static gboolean
query_tooltip_cb (GtkWidget     *widget,
                  int            x,
                  int            y,
                  gboolean       keyboard,
                  GtkTooltip    *tooltip,
                  CbMetricsPlot *self)
{
  int mark = mark_at (self, x, y);
  g_autoptr(GString) text = NULL;
  double px;

  if (mark < 0)
    return FALSE;
  /* Every checkpoint saved there (the best one is often also an epoch's). */
  text = g_string_new (NULL);
  px = g_array_index (self->marks, Mark, mark).px;
  for (guint i = 0; i < self->marks->len; i++)
    if (fabs (g_array_index (self->marks, Mark, i).px - px) < 2)
      g_string_append_printf (text, "%s\n", g_array_index (self->marks, Mark, i).label);
  /* Translators: the end of the tooltip of a checkpoint's mark on a training curve */
  g_string_append (text, _("Click to test or predict with it"));
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

/* ---- object ---------------------------------------------------------------------------- */

/* A popover parented to the plot (the mark's menu) is placed at each allocation. */
static void
cb_metrics_plot_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      gtk_popover_present (GTK_POPOVER (child));
}

static void
cb_metrics_plot_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cb_metrics_plot_parent_class)->dispose (object);
}

static void
cb_metrics_plot_finalize (GObject *object)
{
  CbMetricsPlot *self = CB_METRICS_PLOT (object);

  g_free (self->metric);
  g_ptr_array_unref (self->runs);
  g_array_unref (self->marks);
  g_clear_pointer (&self->cache, gsk_render_node_unref);

  G_OBJECT_CLASS (cb_metrics_plot_parent_class)->finalize (object);
}

static void
cb_metrics_plot_class_init (CbMetricsPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_metrics_plot_dispose;
  object_class->finalize = cb_metrics_plot_finalize;
  widget_class->size_allocate = cb_metrics_plot_size_allocate;
  widget_class->snapshot = cb_metrics_plot_snapshot;
  widget_class->measure = cb_metrics_plot_measure;
  widget_class->css_changed = cb_metrics_plot_css_changed;

  /**
   * CbMetricsPlot::mark-activated:
   * @path: the checkpoint of the mark
   * @x: where the mark is drawn, in the plot's coordinates (for a popover)
   */
  signals[MARK_ACTIVATED] = g_signal_new ("mark-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "cbmetricsplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cb_metrics_plot_init (CbMetricsPlot *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->runs = g_ptr_array_new_with_free_func (run_free);
  self->marks = g_array_new (FALSE, TRUE, sizeof (Mark));
  g_array_set_clear_func (self->marks, mark_clear);
  self->hover_x = NAN;
  self->dirty = TRUE;

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
}

/**
 * cb_metrics_plot_new:
 * @metric: the series to draw, e.g. "val/hmean"
 */
GtkWidget *
cb_metrics_plot_new (const char *metric)
{
  CbMetricsPlot *self = g_object_new (CB_TYPE_METRICS_PLOT, NULL);

  self->metric = g_strdup (metric);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  metric, -1);
  return GTK_WIDGET (self);
}

const char *
cb_metrics_plot_get_metric (CbMetricsPlot *self)
{
  g_return_val_if_fail (CB_IS_METRICS_PLOT (self), NULL);

  return self->metric;
}

void
cb_metrics_plot_set_x_epoch (CbMetricsPlot *self,
                             gboolean       epoch)
{
  g_return_if_fail (CB_IS_METRICS_PLOT (self));

  if (self->x_epoch == !!epoch)
    return;
  self->x_epoch = !!epoch;
  cb_metrics_plot_data_changed (self);
}

/* Removes the runs and the marks. */
void
cb_metrics_plot_clear (CbMetricsPlot *self)
{
  g_return_if_fail (CB_IS_METRICS_PLOT (self));

  g_ptr_array_set_size (self->runs, 0);
  g_array_set_size (self->marks, 0);
  cb_metrics_plot_data_changed (self);
}

/**
 * cb_metrics_plot_add_run:
 * @segments: (element-type CbMetrics): the run's metrics files, in order; they may grow
 *   (call cb_metrics_plot_data_changed() when they did)
 * @color: an index into the palette
 */
void
cb_metrics_plot_add_run (CbMetricsPlot *self,
                         const char    *label,
                         GPtrArray     *segments,
                         guint          color)
{
  Run *run;

  g_return_if_fail (CB_IS_METRICS_PLOT (self));
  g_return_if_fail (segments != NULL);

  run = g_new0 (Run, 1);
  run->label = g_strdup (label);
  run->segments = g_ptr_array_ref (segments);
  run->color = color;
  g_ptr_array_add (self->runs, run);
  cb_metrics_plot_data_changed (self);
}

void
cb_metrics_plot_data_changed (CbMetricsPlot *self)
{
  g_return_if_fail (CB_IS_METRICS_PLOT (self));

  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * cb_metrics_plot_add_mark:
 * @step: where the checkpoint was saved, in steps (NAN when unknown)
 * @epoch: … and in epochs (NAN when unknown)
 * @path: the checkpoint, as "mark-activated" gives it
 */
void
cb_metrics_plot_add_mark (CbMetricsPlot *self,
                          double         step,
                          double         epoch,
                          const char    *label,
                          const char    *path)
{
  Mark mark = { step, epoch, g_strdup (label), g_strdup (path), NAN };

  g_return_if_fail (CB_IS_METRICS_PLOT (self));

  g_array_append_val (self->marks, mark);
  cb_metrics_plot_data_changed (self);
}

void
cb_metrics_plot_clear_marks (CbMetricsPlot *self)
{
  g_return_if_fail (CB_IS_METRICS_PLOT (self));

  if (self->marks->len == 0)
    return;
  g_array_set_size (self->marks, 0);
  cb_metrics_plot_data_changed (self);
}

guint
cb_metrics_plot_get_n_marks (CbMetricsPlot *self)
{
  g_return_val_if_fail (CB_IS_METRICS_PLOT (self), 0);

  return self->marks->len;
}

const char *
cb_metrics_plot_get_mark_path (CbMetricsPlot *self,
                               guint          index)
{
  g_return_val_if_fail (CB_IS_METRICS_PLOT (self), NULL);
  g_return_val_if_fail (index < self->marks->len, NULL);

  return g_array_index (self->marks, Mark, index).path;
}

/* Where the mark is drawn (NAN when it is not): marks that share a place share a menu. */
double
cb_metrics_plot_get_mark_x (CbMetricsPlot *self,
                            guint          index)
{
  g_return_val_if_fail (CB_IS_METRICS_PLOT (self), NAN);
  g_return_val_if_fail (index < self->marks->len, NAN);

  return g_array_index (self->marks, Mark, index).px;
}

/* What a click on the mark does. */
void
cb_metrics_plot_activate_mark (CbMetricsPlot *self,
                               guint          index)
{
  g_return_if_fail (CB_IS_METRICS_PLOT (self));
  g_return_if_fail (index < self->marks->len);

  g_signal_emit (self, signals[MARK_ACTIVATED], 0, g_array_index (self->marks, Mark, index).path,
                 isnan (g_array_index (self->marks, Mark, index).px)
                   ? 0.0 : g_array_index (self->marks, Mark, index).px);
}

/* The points of the metric the plot draws, over its runs (for tests and the benchmark). */
gsize
cb_metrics_plot_get_n_points (CbMetricsPlot *self)
{
  gsize total = 0;

  g_return_val_if_fail (CB_IS_METRICS_PLOT (self), 0);

  for (guint r = 0; r < self->runs->len; r++)
    {
      Run *run = g_ptr_array_index (self->runs, r);

      for (guint s = 0; s < run->segments->len; s++)
        {
          CbMetrics *metrics = g_ptr_array_index (run->segments, s);
          int series = cb_metrics_find (metrics, self->metric);
          gsize n = 0;

          if (series >= 0)
            cb_metrics_get_points (metrics, (guint) series, &n);
          total += n;
        }
    }
  return total;
}
