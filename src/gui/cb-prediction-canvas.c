/* cb-prediction-canvas.c: one image with its predicted polygons, zoomed and panned
 *
 * The image (a GdkTexture decoded elsewhere, off the UI thread) is drawn scaled to fit, or at
 * any zoom the wheel, a pinch or the zoom actions give it, and dragged to pan. The polygons
 * are drawn over it in the widget's own coordinates, so that their lines stay one width at
 * every zoom; those below the confidence filter are left out. Without an image (not found,
 * not decodable) the polygons are drawn on a blank page the size of their extent.
 *
 * With the cairo renderer the image is drawn from a cairo surface the canvas keeps, in a cairo
 * node: GTK 4.8 draws a texture node there by copying the texture's pixels into a new image
 * surface at every frame of the window, whatever the frame repaints (a 360x640 picture: 0.9 MB
 * each frame of a scrollbar's fade), and that churn of the heap left the next large frame's
 * buffer to fresh memory (about 700 page faults, 7 ms). The GL renderer keeps the texture
 * node: it uploads a texture once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-prediction-canvas"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "cb-prediction-canvas.h"

#define MIN_ZOOM 0.02
#define MAX_ZOOM 32.0

struct _CbPredictionCanvas
{
  GtkWidget     parent_instance;

  CbSubmission *submission;
  guint         index;
  GdkTexture   *texture;
  cairo_surface_t *surface;  /* the texture's pixels, for the cairo renderer; made on demand */
  double        min_confidence;

  /* the content: the texture's size, else the polygons' extent */
  double        content_width;
  double        content_height;

  gboolean      fit;
  double        zoom;
  double        offset_x;  /* where the content's origin is, in widget coordinates */
  double        offset_y;

  double        drag_start_x;
  double        drag_start_y;
  double        zoom_start;
};

G_DEFINE_FINAL_TYPE (CbPredictionCanvas, cb_prediction_canvas, GTK_TYPE_WIDGET)

static const CbSubmissionImage *
current_image (CbPredictionCanvas *self)
{
  if (self->submission == NULL || self->index >= cb_submission_get_n_images (self->submission))
    return NULL;
  return cb_submission_get_image (self->submission, self->index);
}

static gboolean
polygon_shown (CbPredictionCanvas *self,
               const CbPolygon    *polygon)
{
  return isnan (polygon->confidence) || polygon->confidence >= self->min_confidence;
}

static void
update_content_size (CbPredictionCanvas *self)
{
  const CbSubmissionImage *image = current_image (self);
  double max_x = 100, max_y = 100;

  if (self->texture != NULL)
    {
      self->content_width = gdk_texture_get_width (self->texture);
      self->content_height = gdk_texture_get_height (self->texture);
      return;
    }
  for (guint p = 0; image != NULL && p < image->n_polygons; p++)
    for (guint k = 0; k < image->polygons[p].n_points; k++)
      {
        max_x = MAX (max_x, image->polygons[p].xy[2 * k]);
        max_y = MAX (max_y, image->polygons[p].xy[2 * k + 1]);
      }
  self->content_width = ceil (max_x * 1.05);
  self->content_height = ceil (max_y * 1.05);
}

static void
apply_fit (CbPredictionCanvas *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  if (width <= 0 || height <= 0 || self->content_width <= 0 || self->content_height <= 0)
    return;
  self->zoom = MIN ((width - 24) / self->content_width, (height - 24) / self->content_height);
  self->zoom = CLAMP (self->zoom, MIN_ZOOM, MAX_ZOOM);
  self->offset_x = (width - self->content_width * self->zoom) / 2;
  self->offset_y = (height - self->content_height * self->zoom) / 2;
}

static void
cb_prediction_canvas_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  CbPredictionCanvas *self = CB_PREDICTION_CANVAS (widget);

  if (self->fit)
    apply_fit (self);
}

/* The texture's pixels as a cairo surface, made once per texture. */
static cairo_surface_t *
texture_surface (CbPredictionCanvas *self)
{
  if (self->surface == NULL)
    {
      self->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                  gdk_texture_get_width (self->texture),
                                                  gdk_texture_get_height (self->texture));
      if (cairo_surface_status (self->surface) != CAIRO_STATUS_SUCCESS)
        {
          g_clear_pointer (&self->surface, cairo_surface_destroy);
          return NULL;
        }
      gdk_texture_download (self->texture, cairo_image_surface_get_data (self->surface),
                            (gsize) cairo_image_surface_get_stride (self->surface));
      cairo_surface_mark_dirty (self->surface);
    }
  return self->surface;
}

static gboolean
uses_cairo_renderer (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
}

/* The picture scaled into @page, as the texture node would draw it. */
static void
append_picture (CbPredictionCanvas    *self,
                GtkSnapshot           *snapshot,
                const graphene_rect_t *page)
{
  cairo_surface_t *surface = NULL;
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;
  cairo_t *cr;

  if (uses_cairo_renderer (GTK_WIDGET (self)))
    surface = texture_surface (self);
  if (surface == NULL || page->size.width <= 0 || page->size.height <= 0)
    {
      gtk_snapshot_append_texture (snapshot, self->texture, page);
      return;
    }

  cr = gtk_snapshot_append_cairo (snapshot, page);
  pattern = cairo_pattern_create_for_surface (surface);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_matrix_init_scale (&matrix, cairo_image_surface_get_width (surface) / page->size.width,
                           cairo_image_surface_get_height (surface) / page->size.height);
  cairo_matrix_translate (&matrix, -page->origin.x, -page->origin.y);
  cairo_pattern_set_matrix (pattern, &matrix);
  cairo_set_source (cr, pattern);
  cairo_rectangle (cr, page->origin.x, page->origin.y, page->size.width, page->size.height);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);
  cairo_destroy (cr);
}

static void
cb_prediction_canvas_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  CbPredictionCanvas *self = CB_PREDICTION_CANVAS (widget);
  const CbSubmissionImage *image = current_image (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  graphene_rect_t page = GRAPHENE_RECT_INIT (self->offset_x, self->offset_y,
                                             self->content_width * self->zoom,
                                             self->content_height * self->zoom);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->texture != NULL)
    append_picture (self, snapshot, &page);
  else
    {
      GdkRGBA blank = { 1, 1, 1, 1 };

      if (dark)
        blank = (GdkRGBA) { 0.18, 0.18, 0.18, 1 };
      gtk_snapshot_append_color (snapshot, &blank, &page);
    }

  if (image != NULL && image->n_polygons > 0)
    {
      GdkRGBA stroke, fill;

      /* Over a picture (receipts are light) the strong blue; on the dark blank page, light. */
      gdk_rgba_parse (&stroke, dark && self->texture == NULL ? "#62a0ea" : "#1c71d8");
      fill = stroke;
      fill.alpha = 0.18;
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      cairo_set_line_width (cr, MAX (1.0, MIN (2.0, self->zoom * 1.5)));
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (guint p = 0; p < image->n_polygons; p++)
        {
          const CbPolygon *polygon = &image->polygons[p];

          if (polygon->n_points == 0 || !polygon_shown (self, polygon))
            continue;
          for (guint k = 0; k < polygon->n_points; k++)
            {
              double x = self->offset_x + polygon->xy[2 * k] * self->zoom;
              double y = self->offset_y + polygon->xy[2 * k + 1] * self->zoom;

              if (k == 0)
                cairo_move_to (cr, x, y);
              else
                cairo_line_to (cr, x, y);
            }
          cairo_close_path (cr);
          gdk_cairo_set_source_rgba (cr, &fill);
          cairo_fill_preserve (cr);
          gdk_cairo_set_source_rgba (cr, &stroke);
          cairo_stroke (cr);
        }
      cairo_destroy (cr);
    }
  gtk_snapshot_pop (snapshot);
}

/* ---- zoom ------------------------------------------------------------------------------ */

/* Zooms to @zoom keeping the content point under (@x, @y) where it is. */
static void
zoom_at (CbPredictionCanvas *self,
         double              zoom,
         double              x,
         double              y)
{
  double cx, cy;

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  cx = (x - self->offset_x) / self->zoom;
  cy = (y - self->offset_y) / self->zoom;
  self->zoom = zoom;
  self->offset_x = x - cx * zoom;
  self->offset_y = y - cy * zoom;
  self->fit = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cb_prediction_canvas_zoom_by (CbPredictionCanvas *self,
                              double              factor)
{
  g_return_if_fail (CB_IS_PREDICTION_CANVAS (self));

  zoom_at (self, self->zoom * factor, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
cb_prediction_canvas_zoom_fit (CbPredictionCanvas *self)
{
  g_return_if_fail (CB_IS_PREDICTION_CANVAS (self));

  self->fit = TRUE;
  apply_fit (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* 100 %: a pixel of the image per pixel of the screen, centred. */
void
cb_prediction_canvas_zoom_actual (CbPredictionCanvas *self)
{
  g_return_if_fail (CB_IS_PREDICTION_CANVAS (self));

  self->zoom = 1.0;
  self->offset_x = (gtk_widget_get_width (GTK_WIDGET (self)) - self->content_width) / 2;
  self->offset_y = (gtk_widget_get_height (GTK_WIDGET (self)) - self->content_height) / 2;
  self->fit = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
cb_prediction_canvas_get_zoom (CbPredictionCanvas *self)
{
  g_return_val_if_fail (CB_IS_PREDICTION_CANVAS (self), 1.0);
  return self->zoom;
}

gboolean
cb_prediction_canvas_get_fit (CbPredictionCanvas *self)
{
  g_return_val_if_fail (CB_IS_PREDICTION_CANVAS (self), FALSE);
  return self->fit;
}

static gboolean
scroll_cb (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           CbPredictionCanvas       *self)
{
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (scroll));

  if (event != NULL)
    gdk_event_get_position (event, &x, &y);
  {
    /* The event's position is in surface coordinates: into ours. */
    GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
    double nx = 0, ny = 0;
    graphene_point_t in, out;

    if (native != NULL && event != NULL)
      {
        gtk_native_get_surface_transform (native, &nx, &ny);
        in = GRAPHENE_POINT_INIT (x - nx, y - ny);
        if (gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self), &in, &out))
          {
            x = out.x;
            y = out.y;
          }
      }
  }
  zoom_at (self, self->zoom * pow (1.15, -dy), x, y);
  return GDK_EVENT_STOP;
}

static void
drag_begin_cb (GtkGestureDrag     *drag,
               double              x,
               double              y,
               CbPredictionCanvas *self)
{
  self->drag_start_x = self->offset_x;
  self->drag_start_y = self->offset_y;
}

static void
drag_update_cb (GtkGestureDrag     *drag,
                double              dx,
                double              dy,
                CbPredictionCanvas *self)
{
  self->offset_x = self->drag_start_x + dx;
  self->offset_y = self->drag_start_y + dy;
  self->fit = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
zoom_begin_cb (GtkGesture         *gesture,
               GdkEventSequence   *sequence,
               CbPredictionCanvas *self)
{
  self->zoom_start = self->zoom;
}

static void
scale_changed_cb (GtkGestureZoom     *gesture,
                  double              scale,
                  CbPredictionCanvas *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  zoom_at (self, self->zoom_start * scale, x, y);
}

static void
pressed_cb (GtkGestureClick    *click,
            int                 n_press,
            double              x,
            double              y,
            CbPredictionCanvas *self)
{
  /* A double click: fit, or from fit a pixel per pixel at the click. */
  if (n_press != 2)
    return;
  if (self->fit)
    zoom_at (self, 1.0, x, y);
  else
    cb_prediction_canvas_zoom_fit (self);
}

/* ---- object ---------------------------------------------------------------------------- */

static void
cb_prediction_canvas_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  *minimum = 120;
  *natural = 480;
}

static void
cb_prediction_canvas_finalize (GObject *object)
{
  CbPredictionCanvas *self = CB_PREDICTION_CANVAS (object);

  g_clear_object (&self->submission);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->surface, cairo_surface_destroy);

  G_OBJECT_CLASS (cb_prediction_canvas_parent_class)->finalize (object);
}

static void
cb_prediction_canvas_class_init (CbPredictionCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cb_prediction_canvas_finalize;
  widget_class->snapshot = cb_prediction_canvas_snapshot;
  widget_class->size_allocate = cb_prediction_canvas_size_allocate;
  widget_class->measure = cb_prediction_canvas_measure;

  gtk_widget_class_set_css_name (widget_class, "cbpredictioncanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cb_prediction_canvas_init (CbPredictionCanvas *self)
{
  GtkEventController *scroll;
  GtkGesture *drag, *zoom, *click;

  self->fit = TRUE;
  self->zoom = 1.0;
  self->content_width = self->content_height = 100;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
cb_prediction_canvas_new (void)
{
  return g_object_new (CB_TYPE_PREDICTION_CANVAS, NULL);
}

/**
 * cb_prediction_canvas_set_image:
 * @submission: (nullable): the submission
 * @index: the image of it to show
 * @texture: (nullable): the decoded image, or %NULL while it is read or when it cannot be
 *
 * Shows another image; the zoom goes back to fit.
 */
void
cb_prediction_canvas_set_image (CbPredictionCanvas *self,
                                CbSubmission       *submission,
                                guint               index,
                                GdkTexture         *texture)
{
  g_return_if_fail (CB_IS_PREDICTION_CANVAS (self));

  g_set_object (&self->submission, submission);
  self->index = index;
  if (g_set_object (&self->texture, texture))
    g_clear_pointer (&self->surface, cairo_surface_destroy);
  update_content_size (self);
  self->fit = TRUE;
  apply_fit (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The decoded image came: shown under the polygons, the zoom kept when it was the user's. */
void
cb_prediction_canvas_set_texture (CbPredictionCanvas *self,
                                  GdkTexture         *texture)
{
  g_return_if_fail (CB_IS_PREDICTION_CANVAS (self));

  if (g_set_object (&self->texture, texture))
    g_clear_pointer (&self->surface, cairo_surface_destroy);
  update_content_size (self);
  if (self->fit)
    apply_fit (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GdkTexture *
cb_prediction_canvas_get_texture (CbPredictionCanvas *self)
{
  g_return_val_if_fail (CB_IS_PREDICTION_CANVAS (self), NULL);
  return self->texture;
}

void
cb_prediction_canvas_set_min_confidence (CbPredictionCanvas *self,
                                         double              min_confidence)
{
  g_return_if_fail (CB_IS_PREDICTION_CANVAS (self));

  self->min_confidence = min_confidence;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The polygons drawn: those of the image the filter keeps. */
guint
cb_prediction_canvas_get_n_shown (CbPredictionCanvas *self)
{
  const CbSubmissionImage *image;
  guint n = 0;

  g_return_val_if_fail (CB_IS_PREDICTION_CANVAS (self), 0);

  image = current_image (self);
  for (guint p = 0; image != NULL && p < image->n_polygons; p++)
    n += polygon_shown (self, &image->polygons[p]);
  return n;
}
