/* test-prediction-canvas.c: the Predictions window's canvas draws its picture as GTK's own
 * texture node would, and with the cairo renderer from pixels it keeps (GTK 4.8 copies a
 * texture node's pixels into a new surface at every frame there), made again for each new
 * picture
 *
 * Runs under xvfb-run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "cb-prediction-canvas.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"

#define TIMEOUT_MS 30000

/* A picture of @width x @height whose every pixel differs from its neighbours: a gradient in
 * red and green, @blue in blue, opaque. */
static GdkTexture *
make_texture (int   width,
              int   height,
              guint blue)
{
  g_autoptr(GBytes) bytes = NULL;
  guchar *data = g_malloc ((gsize) width * height * 4);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = data + ((gsize) y * width + x) * 4;

        p[0] = (guchar) (x * 255 / MAX (1, width - 1));
        p[1] = (guchar) (y * 255 / MAX (1, height - 1));
        p[2] = (guchar) blue;
        p[3] = 255;
      }
  bytes = g_bytes_new_take (data, (gsize) width * height * 4);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, (gsize) width * 4);
}

typedef struct
{
  GtkWidget *window;
  GtkWidget *canvas;
} Fixture;

static gboolean
drawn (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_mapped (f->canvas) && gtk_widget_get_width (f->canvas) > 0;
}

static void
fixture_open (Fixture    *f,
              const char *renderer)
{
  g_setenv ("GSK_RENDERER", renderer, TRUE);
  f->window = gtk_window_new ();
  f->canvas = cb_prediction_canvas_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 320, 240);
  gtk_window_set_child (GTK_WINDOW (f->window), f->canvas);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (cb_test_spin_until (drawn, f, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (f->window);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
}

static void
fixture_close (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  cb_test_spin_for (50);
}

static GskRenderNode *
snapshot_canvas (GtkWidget *canvas)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

/* The @i-th child of a container, clip, rounded clip, transform or opacity node; %NULL past
 * the last, and for other nodes. */
static GskRenderNode *
child_of (GskRenderNode *node,
          guint          i)
{
  GskRenderNodeType type = gsk_render_node_get_node_type (node);

  if (type == GSK_CONTAINER_NODE)
    return i < gsk_container_node_get_n_children (node)
           ? gsk_container_node_get_child (node, i) : NULL;
  if (i > 0)
    return NULL;
  if (type == GSK_CLIP_NODE)
    return gsk_clip_node_get_child (node);
  if (type == GSK_ROUNDED_CLIP_NODE)
    return gsk_rounded_clip_node_get_child (node);
  if (type == GSK_TRANSFORM_NODE)
    return gsk_transform_node_get_child (node);
  if (type == GSK_OPACITY_NODE)
    return gsk_opacity_node_get_child (node);
  return NULL;
}

static guint
count_nodes (GskRenderNode     *node,
             GskRenderNodeType  type)
{
  guint n = gsk_render_node_get_node_type (node) == type;
  GskRenderNode *child;

  for (guint i = 0; (child = child_of (node, i)) != NULL; i++)
    n += count_nodes (child, type);
  return n;
}

/* The first node of @type under @node, depth first. */
static GskRenderNode *
find_node (GskRenderNode     *node,
           GskRenderNodeType  type)
{
  GskRenderNode *child, *found = NULL;

  if (gsk_render_node_get_node_type (node) == type)
    return node;
  for (guint i = 0; found == NULL && (child = child_of (node, i)) != NULL; i++)
    found = find_node (child, type);
  return found;
}

/* @node drawn by cairo on a white surface of @width x @height. */
static cairo_surface_t *
draw_node (GskRenderNode *node,
           int            width,
           int            height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* The largest difference of one channel between two drawings. */
static int
max_difference (cairo_surface_t *a,
                cairo_surface_t *b)
{
  const guchar *pa = cairo_image_surface_get_data (a);
  const guchar *pb = cairo_image_surface_get_data (b);
  int stride = cairo_image_surface_get_stride (a);
  int max = 0;

  for (int y = 0; y < cairo_image_surface_get_height (a); y++)
    for (int x = 0; x < cairo_image_surface_get_width (a) * 4; x++)
      max = MAX (max, ABS ((int) pa[y * stride + x] - (int) pb[y * stride + x]));
  return max;
}

/* The drawing of @texture as GTK's texture node draws it where the canvas puts it in a
 * @width x @height canvas: scaled to fit, less 12 px each side, centred. */
static cairo_surface_t *
draw_reference (GdkTexture *texture,
                int         width,
                int         height)
{
  double w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  double zoom = MIN ((width - 24) / w, (height - 24) / h);
  graphene_rect_t page = GRAPHENE_RECT_INIT ((width - w * zoom) / 2, (height - h * zoom) / 2,
                                             w * zoom, h * zoom);
  GskRenderNode *node = gsk_texture_node_new (texture, &page);
  cairo_surface_t *surface = draw_node (node, width, height);

  gsk_render_node_unref (node);
  return surface;
}

static void
assert_draws (GtkWidget  *canvas,
              GdkTexture *texture,
              gboolean    from_kept_pixels)
{
  int width = gtk_widget_get_width (canvas), height = gtk_widget_get_height (canvas);
  GskRenderNode *node = snapshot_canvas (canvas);
  cairo_surface_t *drawn_surface = draw_node (node, width, height);
  cairo_surface_t *reference = draw_reference (texture, width, height);
  int difference = max_difference (drawn_surface, reference);

  if (from_kept_pixels)
    {
      g_assert_cmpuint (count_nodes (node, GSK_TEXTURE_NODE), ==, 0);
      g_assert_cmpuint (count_nodes (node, GSK_CAIRO_NODE), ==, 1);
    }
  else
    g_assert_cmpuint (count_nodes (node, GSK_TEXTURE_NODE), ==, 1);
  g_test_message ("largest channel difference from the texture node's drawing: %d", difference);
  g_assert_cmpint (difference, <=, 2);

  cairo_surface_destroy (reference);
  cairo_surface_destroy (drawn_surface);
  gsk_render_node_unref (node);
}

/* Zoomed in past the widget's edges: the same pixels as GTK's texture node where the canvas
 * put the picture. */
static void
assert_draws_zoomed (GtkWidget  *canvas,
                     GdkTexture *texture)
{
  int width = gtk_widget_get_width (canvas), height = gtk_widget_get_height (canvas);
  GskRenderNode *node = snapshot_canvas (canvas);
  GskRenderNode *picture = find_node (node, GSK_CAIRO_NODE);
  graphene_rect_t page;
  GskRenderNode *reference_node;
  cairo_surface_t *drawn_surface, *reference;
  int difference;

  g_assert_nonnull (picture);
  gsk_render_node_get_bounds (picture, &page);
  g_assert_cmpfloat (page.size.width, >, width);
  reference_node = gsk_texture_node_new (texture, &page);
  drawn_surface = draw_node (node, width, height);
  reference = draw_node (reference_node, width, height);
  difference = max_difference (drawn_surface, reference);
  g_test_message ("zoomed: largest channel difference from the texture node's drawing: %d",
                  difference);
  g_assert_cmpint (difference, <=, 2);

  cairo_surface_destroy (reference);
  cairo_surface_destroy (drawn_surface);
  gsk_render_node_unref (reference_node);
  gsk_render_node_unref (node);
}

static void
test_cairo_renderer (void)
{
  Fixture f = { 0 };
  g_autoptr(GdkTexture) first = make_texture (60, 40, 40);
  g_autoptr(GdkTexture) second = make_texture (30, 50, 200);

  fixture_open (&f, "cairo");
  g_assert_true (GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (f.window))));

  /* No picture yet: nothing of one is drawn. */
  g_assert_null (cb_prediction_canvas_get_texture (CB_PREDICTION_CANVAS (f.canvas)));

  cb_prediction_canvas_set_image (CB_PREDICTION_CANVAS (f.canvas), NULL, 0, first);
  assert_draws (f.canvas, first, TRUE);
  /* Drawn again (another frame's snapshot): the same. */
  assert_draws (f.canvas, first, TRUE);

  /* Another picture: its own pixels, not the last one's. */
  cb_prediction_canvas_set_texture (CB_PREDICTION_CANVAS (f.canvas), second);
  assert_draws (f.canvas, second, TRUE);
  cb_prediction_canvas_set_image (CB_PREDICTION_CANVAS (f.canvas), NULL, 0, first);
  assert_draws (f.canvas, first, TRUE);

  cb_prediction_canvas_zoom_by (CB_PREDICTION_CANVAS (f.canvas), 6.0);
  assert_draws_zoomed (f.canvas, first);

  fixture_close (&f);
}

/* Another renderer keeps GTK's texture node (GL uploads the texture once); without GL here
 * (GDK_DEBUG=gl-disable, no driver) GTK falls back to cairo, and the canvas follows. */
static void
test_other_renderer (void)
{
  Fixture f = { 0 };
  g_autoptr(GdkTexture) texture = make_texture (60, 40, 90);
  GskRenderer *renderer;

  fixture_open (&f, "gl");
  renderer = gtk_native_get_renderer (GTK_NATIVE (f.window));
  g_test_message ("renderer: %s", G_OBJECT_TYPE_NAME (renderer));
  cb_prediction_canvas_set_image (CB_PREDICTION_CANVAS (f.canvas), NULL, 0, texture);
  assert_draws (f.canvas, texture, GSK_IS_CAIRO_RENDERER (renderer));
  fixture_close (&f);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = cb_test_gui_init (&argc, &argv, "test-prediction-canvas");
  int status;

  g_test_add_func ("/prediction-canvas/cairo-renderer", test_cairo_renderer);
  g_test_add_func ("/prediction-canvas/other-renderer", test_other_renderer);
  status = g_test_run ();
  cb_test_remove_tree (state_dir);
  return status;
}
