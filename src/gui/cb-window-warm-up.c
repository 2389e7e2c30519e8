/* cb-window-warm-up.c: what a first tab switch would pay, paid in idle time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Once the pages are built (in idle time after the first frame, cb-window.c), three costs of
 * the first switch to a page are still ahead, paid here in this order:
 *
 *  - the first allocation of a page never shown: every row's labels laid out at the page's
 *    width, 4 to 6 ms of layout in the frame of the click. The pages not shown are allocated
 *    as the shown one is, one per idle callback; at the click GtkStack gives the page the same
 *    allocation, which GTK then skips. The window's size changing (a resize, the terminal
 *    pane opening) makes them stale: they are laid out again once it has been still for
 *    LAYOUT_DELAY_MS;
 *  - the first drawing of a page's text: the glyphs no frame drew so far (another size, a
 *    bold title, other letters) are rasterized by FreeType, hinting included, when the page is
 *    first painted: about 2 ms of the first visit of Test (11.5 against 9.2 ms, median of 12
 *    starts each). Once the pages are laid out, the text of each one's labels and fields is
 *    drawn once into a small throwaway image, one page per idle callback, which fills the
 *    process-wide glyph caches the page's first frame then reads. Again after the window's
 *    scale or the font settings change (other glyphs);
 *  - the first repaint of a switch's area. With cairo on X11, GDK paints each frame into a
 *    new image the size of the damage's bounding box and frees it after; a frame larger than
 *    any before it takes that buffer from fresh memory the kernel faults in (the first switch
 *    took 43 to 51 ms where later first visits took 12 to 16; later, 700 more page faults and
 *    8 ms more paint in about half the starts). So, after the layout above (whose allocations
 *    would otherwise land on top of the freed buffer), what a switch damages is repainted
 *    once under a background of 0.4 % black for one frame, which no one can see (the class
 *    cb-warm-up, style.css); the first switch then reuses that frame's memory. A switch
 *    damages the tab switcher, the page area and the command preview (its command changes):
 *    with the preview left out, the warm-up's frame was shorter than the switch's, and the
 *    first visit still took about 115 fresh pages (3 to 6 ms) in the benchmark.
 *
 * None of them is visible, maps a page, moves the focus or changes what assistive technologies
 * are told.
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include "cb-page.h"
#include "cb-window-private.h"

#define LAYOUT_DELAY_MS 300

static void (*parent_size_allocate) (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline);

/* Disconnects @handler from @clock, unless the clock already dropped its handlers (a
 * surface destroyed with its window disposes of its frame clock). */
void
_cb_window_clear_clock_handler (gulong         *handler,
                                GdkFrameClock **clock)
{
  if (*clock != NULL && *handler != 0 && g_signal_handler_is_connected (*clock, *handler))
    g_signal_handler_disconnect (*clock, *handler);
  *handler = 0;
  g_clear_object (clock);
}

/* ---- the first large repaint --------------------------------------------------------- */

/* What a tab switch damages: the switcher, the page area and the command preview. */
static void
set_warm_up_class (CbWindow *self,
                   gboolean  on)
{
  GtkWidget *damaged[] = {
    GTK_WIDGET (self->stack), GTK_WIDGET (self->switcher), GTK_WIDGET (self->command_view),
  };

  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      if (on)
        gtk_widget_add_css_class (damaged[i], "cb-warm-up");
      else
        gtk_widget_remove_css_class (damaged[i], "cb-warm-up");
    }
}

static void
disconnect_warm_up (CbWindow *self)
{
  _cb_window_clear_clock_handler (&self->warm_up_handler, &self->warm_up_clock);
  set_warm_up_class (self, FALSE);
}

static void
warm_up_painted_cb (GdkFrameClock *clock,
                    CbWindow      *self)
{
  /* The frame with the class was painted: the next one paints the page as it was. */
  disconnect_warm_up (self);
}

static void
warm_up_paint (CbWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock == NULL || self->switched || self->warm_up_clock != NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  self->warm_up_clock = g_object_ref (clock);
  self->warm_up_handler = g_signal_connect (clock, "after-paint",
                                            G_CALLBACK (warm_up_painted_cb), self);
  set_warm_up_class (self, TRUE);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

/* ---- the pages not shown, their text drawn once ------------------------------------------ */

/* A page of the stack that is built and not shown. */
static gboolean
is_built_page_not_shown (GtkWidget *child)
{
  return !gtk_widget_get_child_visible (child) && gtk_widget_get_visible (child) &&
         CB_IS_PAGE (child) && cb_page_is_built (CB_PAGE (child));
}

/* The image the text is drawn into, in device pixels: small, so that it is malloc'd like any
 * small block (a large one moves the heap about, and the next frame's buffer with it: a third
 * of the starts then faulted in 46 to 50 fresh pages in the first visit, against one in 8). */
#define TILE_WIDTH  512
#define TILE_HEIGHT 128
/* Text further right or down than this many tiles is left as it is. */
#define MAX_TILES_ACROSS 8
#define MAX_TILES_DOWN   4

/* Draws @layout into @cr, an image of TILE_WIDTH x TILE_HEIGHT device pixels at @scale, one
 * tile of the layout's ink after the other, so that every line of it (centred, right-aligned
 * or right-to-left text starts away from 0) is drawn into the image once at least. */
static void
draw_layout (cairo_t     *cr,
             int          scale,
             PangoLayout *layout)
{
  int step_x = TILE_WIDTH / scale;
  int step_y = TILE_HEIGHT / scale;
  PangoRectangle ink;

  pango_layout_get_pixel_extents (layout, &ink, NULL);
  for (int y = 0; y < MIN (ink.height, MAX_TILES_DOWN * step_y); y += step_y)
    for (int x = 0; x < MIN (ink.width, MAX_TILES_ACROSS * step_x); x += step_x)
      {
        cairo_save (cr);
        cairo_translate (cr, -(ink.x + x), -(ink.y + y));
        pango_cairo_show_layout (cr, layout);
        cairo_restore (cr);
      }
}

/* The text of @widget and the widgets shown in it: labels, and fields' text. */
static void
draw_text (GtkWidget *widget,
           cairo_t   *cr,
           int        scale)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    draw_layout (cr, scale, gtk_label_get_layout (GTK_LABEL (widget)));
  else if (GTK_IS_TEXT (widget) && *gtk_editable_get_text (GTK_EDITABLE (widget)) != '\0')
    {
      g_autoptr(PangoLayout) layout =
        gtk_widget_create_pango_layout (widget, gtk_editable_get_text (GTK_EDITABLE (widget)));

      draw_layout (cr, scale, layout);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    draw_text (child, cr, scale);
}

/* Draws @page's text into a throwaway image at the page's scale. */
static void
draw_page_text (GtkWidget *page)
{
  int scale = gtk_widget_get_scale_factor (page);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, TILE_WIDTH,
                                                         TILE_HEIGHT);
  cairo_t *cr;

  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  draw_text (page, cr, scale);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Draws the text of the next page not shown whose text was not drawn yet (a bit per place
 * in the stack); FALSE when there is none left. */
static gboolean
draw_next_page_text (CbWindow *self)
{
  guint i = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL && i < 32; child = gtk_widget_get_next_sibling (child), i++)
    {
      if (!is_built_page_not_shown (child) || (self->text_drawn & (1u << i)) != 0)
        continue;
      self->text_drawn |= 1u << i;
      draw_page_text (child);
      return TRUE;
    }
  return FALSE;
}

/* ---- the pages not shown, laid out ----------------------------------------------------- */

/* Allocates the next page not shown that is not laid out at the shown page's size; FALSE
 * when there is none left (or nothing to go by). */
static gboolean
layout_next_page (CbWindow *self)
{
  GtkWidget *shown = gtk_stack_get_visible_child (self->stack);
  GtkAllocation allocation;

  if (shown == NULL || !gtk_widget_get_mapped (shown))
    return FALSE;
  gtk_widget_get_allocation (shown, &allocation);
  if (allocation.width <= 0 || allocation.height <= 0)
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min, nat;

      if (child == shown || !is_built_page_not_shown (child) ||
          (gtk_widget_get_width (child) == allocation.width &&
           gtk_widget_get_height (child) == allocation.height))
        continue;

      /* Measured already (the stack is homogeneous): served from GTK's cache. */
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, allocation.width, &min, &nat,
                          NULL, NULL);
      gtk_widget_size_allocate (child, &allocation, -1);
      return TRUE;
    }

  self->laid_out_width = allocation.width;
  self->laid_out_height = allocation.height;
  return FALSE;
}

static gboolean
layout_pages_cb (gpointer data)
{
  CbWindow *self = data;

  /* One page per callback: a frame can be drawn between two of them. */
  if (layout_next_page (self) || draw_next_page_text (self))
    return G_SOURCE_CONTINUE;
  self->layout_source = 0;
  /* Last, so that no allocation lands above the memory its frame frees. */
  warm_up_paint (self);
  return G_SOURCE_REMOVE;
}

static void
layout_pages (CbWindow *self)
{
  g_clear_handle_id (&self->layout_delay_source, g_source_remove);
  if (self->layout_source != 0)
    return;
  self->layout_source = g_idle_add_full (G_PRIORITY_LOW, layout_pages_cb, self, NULL);
  g_source_set_name_by_id (self->layout_source, "[command-builder] lay out pages not shown");
}

static gboolean
layout_delay_cb (gpointer data)
{
  CbWindow *self = data;

  self->layout_delay_source = 0;
  layout_pages (self);
  return G_SOURCE_REMOVE;
}

/* The window at a new size: the pages not shown are laid out again once it stays still. */
static void
warm_up_size_allocate (GtkWidget *widget,
                       int        width,
                       int        height,
                       int        baseline)
{
  CbWindow *self = CB_WINDOW (widget);
  GtkWidget *shown;

  parent_size_allocate (widget, width, height, baseline);

  if (self->laid_out_width == 0 || self->layout_source != 0)
    return;   /* not laid out yet (the pages are being built), or being laid out */
  shown = gtk_stack_get_visible_child (self->stack);
  if (shown == NULL || (gtk_widget_get_width (shown) == self->laid_out_width &&
                        gtk_widget_get_height (shown) == self->laid_out_height))
    return;

  g_clear_handle_id (&self->layout_delay_source, g_source_remove);
  self->layout_delay_source = g_timeout_add (LAYOUT_DELAY_MS, layout_delay_cb, self);
  g_source_set_name_by_id (self->layout_delay_source,
                           "[command-builder] lay out pages not shown, after a resize");
}

/* ---- the window's side ----------------------------------------------------------------- */

/* Every page is built: pays for the first switch now. */
void
_cb_window_warm_up (CbWindow *self)
{
  self->warming_up = TRUE;
  layout_pages (self);
}

/* Other glyphs to draw: the window's scale, or the font settings, changed. Drawn once the
 * window has been still for LAYOUT_DELAY_MS: the labels take the new font when the next
 * frame restyles them, and an idle callback drawn before that frame would draw the old one. */
static void
glyphs_changed_cb (CbWindow *self)
{
  self->text_drawn = 0;
  if (!self->warming_up || self->stack == NULL)
    return;
  g_clear_handle_id (&self->layout_delay_source, g_source_remove);
  self->layout_delay_source = g_timeout_add (LAYOUT_DELAY_MS, layout_delay_cb, self);
  g_source_set_name_by_id (self->layout_delay_source,
                           "[command-builder] draw the pages' text again, new glyphs");
}

/* A switch on screen: it paid for the repaint, or is paying for it now. */
void
_cb_window_warm_up_switched (CbWindow *self)
{
  self->switched = TRUE;
  if (self->warm_up_clock != NULL)
    disconnect_warm_up (self);
}

void
_cb_window_dispose_warm_up (CbWindow *self)
{
  _cb_window_clear_clock_handler (&self->warm_up_handler, &self->warm_up_clock);
  g_clear_handle_id (&self->layout_source, g_source_remove);
  g_clear_handle_id (&self->layout_delay_source, g_source_remove);
  self->warming_up = FALSE;
  if (self->font_settings != NULL)
    g_signal_handlers_disconnect_by_func (self->font_settings, glyphs_changed_cb, self);
  g_clear_object (&self->font_settings);
}

/* Follows what changes the glyphs the pages' text is drawn with. */
void
_cb_window_init_warm_up (CbWindow *self)
{
  g_signal_connect_swapped (self, "notify::scale-factor", G_CALLBACK (glyphs_changed_cb), self);
  self->font_settings = g_object_ref (gtk_widget_get_settings (GTK_WIDGET (self)));
  g_signal_connect_swapped (self->font_settings, "notify::gtk-font-name",
                            G_CALLBACK (glyphs_changed_cb), self);
  g_signal_connect_swapped (self->font_settings, "notify::gtk-xft-dpi",
                            G_CALLBACK (glyphs_changed_cb), self);
}

void
_cb_window_class_init_warm_up (GtkWidgetClass *widget_class)
{
  parent_size_allocate = widget_class->size_allocate;
  widget_class->size_allocate = warm_up_size_allocate;
}
