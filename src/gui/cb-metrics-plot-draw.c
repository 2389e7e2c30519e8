/* cb-metrics-plot-draw.c: how a CbMetricsPlot draws: ranges, axes, the curves from their
 * buckets a pixel column at a time, the checkpoint marks, and the hover overlay
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-metrics-plot"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "cb-metrics-plot-private.h"

/* GNOME's palette: blue, orange, green, purple, red, brown; lighter shades on dark. */
static const char * const light_colors[CB_METRICS_PLOT_N_COLORS] = {
  "#1c71d8", "#e66100", "#26a269", "#813d9c", "#c01c28", "#865e3c",
};
static const char * const dark_colors[CB_METRICS_PLOT_N_COLORS] = {
  "#62a0ea", "#ffa348", "#57e389", "#c061cb", "#f66151", "#cdab8f",
};

void
cb_metrics_plot_get_color (guint     color,
                           gboolean  dark,
                           GdkRGBA  *rgba)
{
  gdk_rgba_parse (rgba, (dark ? dark_colors : light_colors)[color % CB_METRICS_PLOT_N_COLORS]);
}

gboolean
_cb_metrics_plot_is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/* ---- data ------------------------------------------------------------------------------ */

/* Per segment: each epoch's first and last step, so that epoch mode spreads the steps of an
 * epoch over it (epoch 2, half way through: 2.5). */
typedef struct
{
  GHashTable *first;  /* epoch (as gint64 key) -> step */
  GHashTable *last;
} EpochSpan;

static gint64
epoch_key (double epoch)
{
  return (gint64) MAX (MIN (epoch, 1e15), -1e15);
}

static void
span_note (EpochSpan *span,
           double     epoch,
           double     step)
{
  gint64 key = epoch_key (epoch);
  double *first, *last;

  if (isnan (epoch))
    return;
  first = g_hash_table_lookup (span->first, &key);
  last = g_hash_table_lookup (span->last, &key);
  if (first == NULL)
    {
      g_hash_table_insert (span->first, g_memdup2 (&key, sizeof key), g_memdup2 (&step, sizeof step));
      g_hash_table_insert (span->last, g_memdup2 (&key, sizeof key), g_memdup2 (&step, sizeof step));
      return;
    }
  *first = MIN (*first, step);
  *last = MAX (*last, step);
}

/* From the series' buckets (a few thousand at most), not from their points. */
static void
epoch_span_init (EpochSpan *span,
                 CbMetrics *metrics)
{
  span->first = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  span->last = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint s = 0; s < cb_metrics_get_n_series (metrics); s++)
    {
      gsize n = 0;
      const CbMetricBucket *buckets = cb_metrics_get_buckets (metrics, s, &n);

      for (gsize i = 0; i < n; i++)
        {
          span_note (span, buckets[i].epoch_first, buckets[i].step_first);
          span_note (span, buckets[i].epoch_last, buckets[i].step_last);
        }
    }
}

static void
epoch_span_clear (EpochSpan *span)
{
  g_clear_pointer (&span->first, g_hash_table_unref);
  g_clear_pointer (&span->last, g_hash_table_unref);
}

static double
step_x (CbMetricsPlot   *self,
        const EpochSpan *span,
        double           step,
        double           epoch)
{
  gint64 key;
  double *first, *last;

  if (!self->x_epoch)
    return step;
  if (isnan (epoch))
    return NAN;
  key = epoch_key (epoch);
  first = g_hash_table_lookup (span->first, &key);
  last = g_hash_table_lookup (span->last, &key);
  if (first == NULL || last == NULL || *last <= *first)
    return epoch;
  return epoch + (step - *first) / (*last - *first + 1.0);
}

static double
point_x (CbMetricsPlot       *self,
         const EpochSpan     *span,
         const CbMetricPoint *point)
{
  return step_x (self, span, point->step, point->epoch);
}

static void
compute_ranges (CbMetricsPlot *self)
{
  self->x_min = self->y_min = INFINITY;
  self->x_max = self->y_max = -INFINITY;
  self->n_points = 0;

  for (guint r = 0; r < self->runs->len; r++)
    {
      Run *run = g_ptr_array_index (self->runs, r);

      for (guint s = 0; s < run->segments->len; s++)
        {
          CbMetrics *metrics = g_ptr_array_index (run->segments, s);
          int series = cb_metrics_find (metrics, self->metric);
          EpochSpan span = { NULL, NULL };
          const CbMetricBucket *buckets;
          double step_min, step_max, value_min, value_max;
          gsize n = 0;

          if (series < 0 || !cb_metrics_get_range (metrics, (guint) series, &step_min, &step_max,
                                                    &value_min, &value_max))
            continue;
          cb_metrics_get_points (metrics, (guint) series, &n);
          self->n_points += n;
          self->y_min = MIN (self->y_min, value_min);
          self->y_max = MAX (self->y_max, value_max);
          if (!self->x_epoch)
            {
              self->x_min = MIN (self->x_min, step_min);
              self->x_max = MAX (self->x_max, step_max);
              continue;
            }
          epoch_span_init (&span, metrics);
          buckets = cb_metrics_get_buckets (metrics, (guint) series, &n);
          for (gsize i = 0; i < n; i++)
            {
              double x0 = step_x (self, &span, buckets[i].step_first, buckets[i].epoch_first);
              double x1 = step_x (self, &span, buckets[i].step_last, buckets[i].epoch_last);

              if (!isnan (x0))
                {
                  self->x_min = MIN (self->x_min, x0);
                  self->x_max = MAX (self->x_max, x0);
                }
              if (!isnan (x1))
                {
                  self->x_min = MIN (self->x_min, x1);
                  self->x_max = MAX (self->x_max, x1);
                }
            }
          epoch_span_clear (&span);
        }
    }

  if (self->n_points == 0 || !isfinite (self->x_min))
    {
      self->n_points = 0;
      return;
    }
  /* The checkpoints saved after the last logged value (last.ckpt at the end of an epoch). */
  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);
      double x = self->x_epoch ? mark->epoch : mark->step;

      if (!isnan (x) && x > self->x_max && x <= self->x_max + (self->x_max - self->x_min) * 0.1)
        self->x_max = x;
    }
  if (self->x_max - self->x_min <= fabs (self->x_max) * 1e-9)
    {
      self->x_min -= 1 + fabs (self->x_min) * 0.05;
      self->x_max += 1 + fabs (self->x_max) * 0.05;
    }
  if (self->y_max - self->y_min <= fabs (self->y_max) * 1e-9)
    {
      double pad = fabs (self->y_min) * 0.05 + 1e-9;

      self->y_min -= pad;
      self->y_max += pad;
    }
  else
    {
      double pad = (self->y_max - self->y_min) * 0.06;

      self->y_min -= pad;
      self->y_max += pad;
    }
}

/* ---- drawing --------------------------------------------------------------------------- */

/* A round step for about @n ticks over @range: 1, 2 or 5 times a power of ten. */
static double
nice_step (double range,
           int    n)
{
  double raw = range / MAX (n, 1);
  double power = pow (10, floor (log10 (raw)));
  double f = raw / power;

  if (f < 1.5)
    return power;
  if (f < 3.5)
    return 2 * power;
  if (f < 7.5)
    return 5 * power;
  return 10 * power;
}

static char *
format_tick (double value,
             double step)
{
  if (fabs (value) < step * 1e-6)
    value = 0;
  if (fabs (value) >= 1e5 || (fabs (value) < 1e-3 && value != 0))
    return g_strdup_printf ("%.2g", value);
  if (step >= 1)
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.*f", (int) MIN (6, ceil (-log10 (step))), value);
}

static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       align_x,
           double       align_y)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w * align_x, y - h * align_y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_axes (CbMetricsPlot *self,
           cairo_t       *cr,
           PangoLayout   *layout,
           const GdkRGBA *fg,
           double         left,
           double         top,
           double         right,
           double         bottom)
{
  double y_step = nice_step (self->y_max - self->y_min, 4);
  double x_step = nice_step (self->x_max - self->x_min, MAX (2, (int) ((right - left) / 90)));

  if (self->x_epoch && x_step < 1)
    x_step = 1;

  cairo_set_line_width (cr, 1);
  /* Ticks counted, not summed: a step below the values' precision would never advance. */
  for (int i = 0; i < 64; i++)
    {
      double v = (ceil (self->y_min / y_step) + i) * y_step;
      g_autofree char *text = NULL;
      double y;

      if (!isfinite (v) || v > self->y_max)
        break;
      y = bottom - (v - self->y_min) / (self->y_max - self->y_min) * (bottom - top);
      text = format_tick (v, y_step);

      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.10);
      cairo_move_to (cr, left, round (y) + 0.5);
      cairo_line_to (cr, right, round (y) + 0.5);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.6);
      draw_text (cr, layout, text, left - 6, y, 1.0, 0.5);
    }
  for (int i = 0; i < 64; i++)
    {
      double v = (ceil (self->x_min / x_step) + i) * x_step;
      g_autofree char *text = NULL;
      double x;

      if (!isfinite (v) || v > self->x_max)
        break;
      x = left + (v - self->x_min) / (self->x_max - self->x_min) * (right - left);
      text = format_tick (v, x_step);

      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.10);
      cairo_move_to (cr, round (x) + 0.5, top);
      cairo_line_to (cr, round (x) + 0.5, bottom);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.6);
      draw_text (cr, layout, text, x, bottom + 4, 0.5, 0.0);
    }
}

/* Per pixel column: the first, lowest, highest and last value drawn in it. */
typedef struct
{
  cairo_t  *cr;
  double    left, bottom, sy, y_min;
  gboolean  pen_down;
  int       column;
  double    first, min, max, last;
} Columns;

static void
columns_flush (Columns *c)
{
  double cx;

  if (c->column == G_MININT)
    return;
  cx = c->left + c->column + 0.5;
  if (!c->pen_down)
    cairo_move_to (c->cr, cx, c->bottom - (c->first - c->y_min) * c->sy);
  else
    cairo_line_to (c->cr, cx, c->bottom - (c->first - c->y_min) * c->sy);
  cairo_line_to (c->cr, cx, c->bottom - (c->min - c->y_min) * c->sy);
  cairo_line_to (c->cr, cx, c->bottom - (c->max - c->y_min) * c->sy);
  cairo_line_to (c->cr, cx, c->bottom - (c->last - c->y_min) * c->sy);
  c->pen_down = TRUE;
  c->column = G_MININT;
}

/* One value range (a point, or a bucket's first, lowest, highest and last) in column @col. */
static void
columns_add (Columns *c,
             int      col,
             double   first,
             double   min,
             double   max,
             double   last)
{
  if (col != c->column)
    {
      columns_flush (c);
      c->column = col;
      c->first = first;
      c->min = min;
      c->max = max;
      c->last = last;
      return;
    }
  c->min = MIN (c->min, min);
  c->max = MAX (c->max, max);
  c->last = last;
}

static void
remember_column (Run    *run,
                 double  px,
                 double  x,
                 double  y)
{
  int col = (int) floor (px);

  if (col >= 0 && (guint) col < run->n_columns)
    {
      run->column_x[col] = x;
      run->column_y[col] = y;
    }
}

/* Draws one segment of one run: every point when they are fewer than the plot's columns, else
 * its buckets a pixel column at a time; remembers each column's last value for hovering. */
static void
draw_segment (CbMetricsPlot *self,
              cairo_t       *cr,
              Run           *run,
              CbMetrics     *metrics,
              guint          series,
              double         left,
              double         top,
              double         right,
              double         bottom)
{
  double sx = (right - left) / (self->x_max - self->x_min);
  double sy = (bottom - top) / (self->y_max - self->y_min);
  EpochSpan span = { NULL, NULL };
  gsize n = 0;
  const CbMetricPoint *points = cb_metrics_get_points (metrics, series, &n);

  if (self->x_epoch)
    epoch_span_init (&span, metrics);

  if (n <= (gsize) (right - left))
    {
      gboolean pen_down = FALSE;
      double last_x = -INFINITY;

      /* Few points: every one of them, with a dot when they are a handful. */
      for (gsize i = 0; i < n; i++)
        {
          double x = point_x (self, &span, &points[i]);
          double px, py;

          if (isnan (x))
            continue;
          if (x < last_x)
            pen_down = FALSE;  /* a step that goes back: a new line */
          last_x = x;
          px = left + (x - self->x_min) * sx;
          py = bottom - (points[i].value - self->y_min) * sy;
          remember_column (run, px - left, x, points[i].value);
          if (!pen_down)
            cairo_move_to (cr, px, py);
          else
            cairo_line_to (cr, px, py);
          pen_down = TRUE;
        }
      cairo_stroke (cr);
      if (n <= 60)
        for (gsize i = 0; i < n; i++)
          {
            double x = point_x (self, &span, &points[i]);

            if (isnan (x))
              continue;
            cairo_arc (cr, left + (x - self->x_min) * sx,
                       bottom - (points[i].value - self->y_min) * sy, 2.5, 0, 2 * G_PI);
            cairo_fill (cr);
          }
    }
  else
    {
      Columns c = { cr, left, bottom, sy, self->y_min, FALSE, G_MININT, 0, 0, 0, 0 };
      gsize n_buckets = 0;
      const CbMetricBucket *buckets = cb_metrics_get_buckets (metrics, series, &n_buckets);

      for (gsize i = 0; i < n_buckets; i++)
        {
          const CbMetricBucket *bucket = &buckets[i];
          double x0 = step_x (self, &span, bucket->step_first, bucket->epoch_first);
          double x1 = step_x (self, &span, bucket->step_last, bucket->epoch_last);
          int col0, col1;

          if (isnan (x0) || isnan (x1))
            continue;
          if (bucket->restart)
            {
              columns_flush (&c);
              c.pen_down = FALSE;
            }
          col0 = (int) floor ((x0 - self->x_min) * sx);
          col1 = (int) floor ((x1 - self->x_min) * sx);
          if (col0 == col1)
            columns_add (&c, col0, bucket->first, bucket->min, bucket->max, bucket->last);
          else
            {
              /* A bucket wider than a column: its range over its first column, then its end. */
              columns_add (&c, col0, bucket->first, bucket->min, bucket->max, bucket->first);
              columns_add (&c, col1, bucket->last, bucket->last, bucket->last, bucket->last);
            }
          remember_column (run, (x1 - self->x_min) * sx, x1, bucket->last);
        }
      columns_flush (&c);
      cairo_stroke (cr);
    }
  epoch_span_clear (&span);
}

static void
draw_marks (CbMetricsPlot *self,
            cairo_t       *cr,
            const GdkRGBA *fg,
            double         left,
            double         top,
            double         right,
            double         bottom)
{
  static const double dash[] = { 3, 3 };

  for (guint i = 0; i < self->marks->len; i++)
    {
      Mark *mark = &g_array_index (self->marks, Mark, i);
      double x = self->x_epoch ? mark->epoch : mark->step;
      double px;

      mark->px = NAN;
      if (isnan (x) || x < self->x_min || x > self->x_max)
        continue;
      px = left + (x - self->x_min) / (self->x_max - self->x_min) * (right - left);
      mark->px = px;
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.45);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, round (px) + 0.5, top);
      cairo_line_to (cr, round (px) + 0.5, bottom);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      /* a small flag at the top: the checkpoint */
      cairo_move_to (cr, px, top - 1);
      cairo_line_to (cr, px + 5, top - 6);
      cairo_line_to (cr, px, top - 11);
      cairo_line_to (cr, px - 5, top - 6);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.75);
      cairo_fill (cr);
    }
}

void
_cb_metrics_plot_rebuild_cache (CbMetricsPlot *self,
               int            width,
               int            height)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  gboolean dark = _cb_metrics_plot_is_dark ();
  double left = MARGIN_LEFT, top = MARGIN_TOP;
  double right = width - MARGIN_RIGHT, bottom = height - MARGIN_BOTTOM;
  GdkRGBA fg;
  cairo_t *cr;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  compute_ranges (self);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* the title: the metric */
  {
    PangoAttrList *attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    pango_layout_set_attributes (layout, attrs);
    cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
    draw_text (cr, layout, self->metric, left, 4, 0.0, 0.0);
    pango_layout_set_attributes (layout, NULL);
    pango_attr_list_unref (attrs);
  }

  if (self->n_points == 0 || right - left < 20 || bottom - top < 20)
    {
      g_autofree char *text = g_strdup_printf (_("No values of %s yet"), self->metric);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
      draw_text (cr, layout, text, width / 2.0, height / 2.0, 0.5, 0.5);
      cairo_destroy (cr);
      g_clear_pointer (&self->cache, gsk_render_node_unref);
      self->cache = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      for (guint i = 0; i < self->marks->len; i++)
        g_array_index (self->marks, Mark, i).px = NAN;
      goto done;
    }

  draw_axes (self, cr, layout, &fg, left, top, right, bottom);
  {
    const char *x_label = self->x_epoch ? _("epoch") : _("step");

    cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.5);
    draw_text (cr, layout, x_label, left - 6, bottom + 4, 1.0, 0.0);
  }
  draw_marks (self, cr, &fg, left, top, right, bottom);

  cairo_save (cr);
  cairo_rectangle (cr, left - 3, top - 3, right - left + 6, bottom - top + 6);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint r = 0; r < self->runs->len; r++)
    {
      Run *run = g_ptr_array_index (self->runs, r);
      GdkRGBA color;

      cb_metrics_plot_get_color (run->color, dark, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      g_free (run->column_x);
      g_free (run->column_y);
      run->n_columns = (guint) MAX (1.0, right - left + 1);
      run->column_x = g_new (double, run->n_columns);
      run->column_y = g_new (double, run->n_columns);
      for (guint c = 0; c < run->n_columns; c++)
        run->column_x[c] = run->column_y[c] = NAN;

      for (guint s = 0; s < run->segments->len; s++)
        {
          CbMetrics *metrics = g_ptr_array_index (run->segments, s);
          int series = cb_metrics_find (metrics, self->metric);

          if (series >= 0)
            draw_segment (self, cr, run, metrics, (guint) series, left, top, right, bottom);
        }
    }
  cairo_restore (cr);
  cairo_destroy (cr);

  g_clear_pointer (&self->cache, gsk_render_node_unref);
  self->cache = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));

done:
  self->cache_width = width;
  self->cache_height = height;
  self->cache_dark = dark;
  self->dirty = FALSE;
}

void
_cb_metrics_plot_draw_hover (CbMetricsPlot *self,
            GtkSnapshot   *snapshot,
            int            width,
            int            height)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(GString) text = NULL;
  double left = MARGIN_LEFT, top = MARGIN_TOP, bottom = height - MARGIN_BOTTOM;
  double hx = self->hover_x;
  double data_x = NAN;
  gboolean dark = _cb_metrics_plot_is_dark ();
  int col, tw, th;
  GdkRGBA fg;
  cairo_t *cr;

  if (isnan (hx) || self->n_points == 0 || hx < left || hx > width - MARGIN_RIGHT)
    return;
  col = (int) floor (hx - left);
  text = g_string_new (NULL);

  for (guint r = 0; r < self->runs->len; r++)
    {
      Run *run = g_ptr_array_index (self->runs, r);
      int best = -1;

      /* the nearest column with a point, a few pixels either way */
      for (int d = 0; d <= 8 && best < 0; d++)
        {
          if (col - d >= 0 && (guint) (col - d) < run->n_columns && !isnan (run->column_x[col - d]))
            best = col - d;
          else if (col + d >= 0 && (guint) (col + d) < run->n_columns
                   && !isnan (run->column_x[col + d]))
            best = col + d;
        }
      if (best < 0)
        continue;
      if (isnan (data_x))
        data_x = run->column_x[best];
      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (self->runs->len > 1)
        g_string_append_printf (text, "%s  ", run->label);
      g_string_append_printf (text, "%.5g", run->column_y[best]);
    }
  if (text->len == 0)
    return;
  g_string_prepend (text, "\n");
  {
    g_autofree char *head = self->x_epoch ? g_strdup_printf (_("epoch %.2f"), data_x)
                                          : g_strdup_printf (_("step %.0f"), data_x);

    g_string_prepend (text, head);
  }

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text->str);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, round (hx) + 0.5, top);
  cairo_line_to (cr, round (hx) + 0.5, bottom);
  cairo_stroke (cr);
  {
    double bx = hx + 10 + tw + 12 > width ? hx - 10 - tw - 12 : hx + 10;
    double by = top + 4;

    if (dark)
      cairo_set_source_rgba (cr, 0.2, 0.2, 0.2, 0.94);
    else
      cairo_set_source_rgba (cr, 1, 1, 1, 0.94);
    cairo_rectangle (cr, bx, by, tw + 12, th + 8);
    cairo_fill_preserve (cr);
    cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.25);
    cairo_stroke (cr);
    cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 1);
    cairo_move_to (cr, bx + 6, by + 4);
    pango_cairo_show_layout (cr, layout);
  }
  cairo_destroy (cr);
}

