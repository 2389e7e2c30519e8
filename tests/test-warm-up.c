/* test-warm-up.c: what the window pays in idle time so that a first tab switch does not
 *
 * Once the pages are built, the window (cb-window-warm-up.c):
 *  - lays out the pages not shown at the shown page's size, and again after a resize once
 *    the window stayed still;
 *  - repaints once, for one frame no one can see, everything a tab switch damages: the tab
 *    switcher, the page area and the command preview. With cairo on X11, GDK paints a frame
 *    into a buffer the size of its damage's bounding box; the first frame larger than any
 *    before it takes that buffer from fresh memory, which the kernel faults in page by page
 *    (about 115 faults and 3 to 6 ms in the benchmark's first visit of Test before the
 *    preview was part of the warm-up). The test counts the first switch's page faults;
 *  - draws the text of the pages not shown once, so that the first switch to one rasterizes
 *    almost none of the page's glyphs for the first time. The test counts FreeType's glyph
 *    loads in that switch.
 *
 * Runs under xvfb-run with the cairo renderer (cb_test_gui_init()), as the benchmark's
 * figures are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <sys/resource.h>

#include "cb-page.h"
#include "cb-window.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"

#define TIMEOUT_MS 20000

/* More than a switch's own allocations fault in (none, measured); far fewer than a frame
 * buffer taken from fresh memory (one fault per 4 KiB page: 614 in this 900 x 700 window
 * when the warm-up left the preview out). */
#define FIRST_SWITCH_MAX_FAULTS 40

/* Glyphs a first switch may still draw for the first time (8 for Test, 2 for Predict here,
 * from the command preview's new command; 96 for Test without the text's warm-up). */
#define FIRST_SWITCH_MAX_GLYPH_LOADS 24

#ifdef __SANITIZE_ADDRESS__
#define UNDER_ASAN TRUE
#else
#define UNDER_ASAN FALSE
#endif

/* FreeType's glyph loads, counted: this program exports an FT_Load_Glyph of its own
 * (tests/meson.build), which cairo's calls reach first and which passes them on. Cairo loads
 * a glyph to rasterize it the first time it draws it at a size (its metrics, for the layout,
 * are cached apart); a glyph drawn before comes from cairo's cache without a load. All of it
 * on the main thread. */
static guint glyph_loads;

FT_Error
FT_Load_Glyph (FT_Face  face,
               FT_UInt  glyph_index,
               FT_Int32 load_flags)
{
  static FT_Error (*real) (FT_Face, FT_UInt, FT_Int32);

  if (real == NULL)
    real = cb_test_next_symbol ("FT_Load_Glyph");
  glyph_loads++;
  return real (face, glyph_index, load_flags);
}

typedef struct
{
  CbWindow  *window;
  GtkWidget *stack;
  GtkWidget *switcher;
  GtkWidget *preview;
  guint      painted_with;   /* frames painted with the warm-up class on the stack */
  guint      painted_after;  /* frames painted without it, after one with it */
  guint      others_with;    /* ...of those, with the class on the switcher and preview too */
  guint      laid_out_with;  /* ...with the pages not shown laid out already */
} WarmUpLog;

static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  g_assert_true (cb_test_spin_until (done, data, TIMEOUT_MS));
}

/* Whether the pages not shown (Test and Predict) have the shown page's size. */
static gboolean
hidden_pages_laid_out (gpointer data)
{
  CbWindow *window = data;
  GtkWidget *train = GTK_WIDGET (cb_window_get_page (window, "train"));
  const char *hidden[] = { "test", "predict" };

  if (gtk_widget_get_width (train) <= 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    {
      GtkWidget *page = GTK_WIDGET (cb_window_get_page (window, hidden[i]));

      g_assert_false (gtk_widget_get_child_visible (page));
      if (gtk_widget_get_width (page) != gtk_widget_get_width (train) ||
          gtk_widget_get_height (page) != gtk_widget_get_height (train))
        return FALSE;
    }
  return TRUE;
}

static void
warm_up_after_paint_cb (GdkFrameClock *clock,
                        WarmUpLog     *log)
{
  if (gtk_widget_has_css_class (log->stack, "cb-warm-up"))
    {
      log->painted_with++;
      if (gtk_widget_has_css_class (log->switcher, "cb-warm-up") &&
          gtk_widget_has_css_class (log->preview, "cb-warm-up"))
        log->others_with++;
      if (gtk_stack_get_visible_child (GTK_STACK (log->stack)) ==
          GTK_WIDGET (cb_window_get_page (log->window, "train")) &&
          hidden_pages_laid_out (log->window))
        log->laid_out_with++;
    }
  else if (log->painted_with > 0)
    log->painted_after++;
}

static gboolean
warm_up_done (gpointer data)
{
  WarmUpLog *log = data;

  return log->painted_after > 0;
}

static void
warm_up_realize_cb (GtkWidget *window,
                    WarmUpLog *log)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (warm_up_after_paint_cb), log);
}

/* Opens the demo in a window whose painted frames @log sees from the first one. */
static void
warm_up_open (CbTestProject *p,
              WarmUpLog     *log)
{
  memset (log, 0, sizeof *log);
  cb_test_project_open (p, "test-warm-up", 900, 700);
  log->window = cb_test_project_new_window (p);
  log->stack = gtk_widget_get_parent (GTK_WIDGET (cb_window_get_page (log->window, "train")));
  log->preview = GTK_WIDGET (cb_window_get_command_view (log->window));
  log->switcher = cb_test_find_of_type (GTK_WIDGET (log->window), GTK_TYPE_STACK_SWITCHER);
  g_assert_nonnull (log->switcher);
  g_signal_connect (log->window, "realize", G_CALLBACK (warm_up_realize_cb), log);
  gtk_window_present (GTK_WINDOW (log->window));
}

static void
warm_up_close (CbTestProject *p,
               WarmUpLog     *log)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (log->window)),
                                        warm_up_after_paint_cb, log);
  gtk_window_destroy (GTK_WINDOW (log->window));
  cb_test_spin_pending ();
  cb_test_project_close (p);
}

/* Once the pages are built and the pages not shown laid out, what a tab switch damages is
 * repainted once (one frame with a background no one sees); a switch on screen before that
 * cancels it. */
static void
test_warm_up_paint (void)
{
  CbTestProject p = { 0 };
  WarmUpLog log;

  warm_up_open (&p, &log);
  spin_until (cb_test_all_pages_built, log.window);
  spin_until (warm_up_done, &log);
  g_assert_cmpuint (log.painted_with, ==, 1);
  g_assert_cmpuint (log.others_with, ==, 1);
  g_assert_cmpuint (log.laid_out_with, ==, 1);
  g_assert_false (gtk_widget_has_css_class (log.stack, "cb-warm-up"));
  g_assert_false (gtk_widget_has_css_class (log.switcher, "cb-warm-up"));
  g_assert_false (gtk_widget_has_css_class (log.preview, "cb-warm-up"));
  /* Once only. */
  gtk_widget_queue_draw (GTK_WIDGET (log.window));
  cb_test_spin_for (200);
  g_assert_cmpuint (log.painted_with, ==, 1);
  warm_up_close (&p, &log);

  /* A switch on screen before the pages are built: no warm-up. */
  warm_up_open (&p, &log);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (log.window)));
  g_assert_false (cb_test_all_pages_built (log.window));
  gtk_stack_set_visible_child_name (GTK_STACK (log.stack), "test");
  spin_until (cb_test_all_pages_built, log.window);
  cb_test_spin_for (200);
  g_assert_cmpuint (log.painted_with, ==, 0);
  warm_up_close (&p, &log);
}

typedef struct
{
  WarmUpLog *log;
  guint      frames;
} FrameWait;

static gboolean
frame_painted (gpointer data)
{
  FrameWait *wait = data;

  return wait->log->painted_after > wait->frames;
}

/* The first switch to a page, once the warm-up is done, paints into memory that frame
 * already had: it faults in (almost) no fresh pages. Without the preview in the warm-up's
 * repaint, the switch's damage (from the tab switcher down to the preview's new command)
 * was larger than any frame before it. */
static void
test_first_switch_fresh_memory (void)
{
  CbTestProject p = { 0 };
  WarmUpLog log;
  const char *pages[] = { "test", "predict" };

  /* AddressSanitizer's allocator holds freed memory back (its quarantine): every frame takes
   * fresh pages, the warm-up or not. */
  if (UNDER_ASAN)
    {
      g_test_skip ("AddressSanitizer's allocator does not reuse freed memory at once");
      return;
    }
  warm_up_open (&p, &log);
  spin_until (cb_test_all_pages_built, log.window);
  spin_until (warm_up_done, &log);
  cb_test_wait_quiet (GTK_WIDGET (log.window), 200, TIMEOUT_MS);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      FrameWait wait = { &log, log.painted_after };
      struct rusage before, after;
      long faults;

      getrusage (RUSAGE_SELF, &before);
      gtk_stack_set_visible_child_name (GTK_STACK (log.stack), pages[i]);
      spin_until (frame_painted, &wait);
      getrusage (RUSAGE_SELF, &after);
      faults = after.ru_minflt - before.ru_minflt;
      g_test_message ("first switch to %s: %ld page faults", pages[i], faults);
      g_assert_cmpint (faults, <, FIRST_SWITCH_MAX_FAULTS);
      cb_test_wait_quiet (GTK_WIDGET (log.window), 200, TIMEOUT_MS);
    }
  warm_up_close (&p, &log);
}

/* The first switch to a page once the warm-up is done draws almost none of the page's glyphs
 * for the first time: the text of the pages not shown (labels, fields) was drawn once in idle
 * time. Before, the first switch to Test rasterized 96 glyphs no frame had drawn yet
 * (FreeType's hinting included, about 2 ms of the benchmark's first visit). After a change of
 * the font settings the text is drawn again: 60 glyph loads in the next first switch without
 * that, 8 with it. */
static void
test_warm_up_text (void)
{
  CbTestProject p = { 0 };
  WarmUpLog log;
  const char *pages[] = { "test", "predict" };
  guint loads_at_start = glyph_loads;
  guint loads_before_warm_up;

  /* In a process of its own: glyphs that another test's window drew are cached already. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT |
                                                          G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  warm_up_open (&p, &log);
  spin_until (cb_test_all_pages_built, log.window);
  loads_before_warm_up = glyph_loads;
  spin_until (warm_up_done, &log);
  cb_test_wait_quiet (GTK_WIDGET (log.window), 200, TIMEOUT_MS);
  g_test_message ("glyph loads while the pages were built and warmed up: %u",
                  glyph_loads - loads_before_warm_up);
  /* The count works: the window's text was drawn through it. */
  g_assert_cmpuint (glyph_loads, >, loads_at_start);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      FrameWait wait = { &log, log.painted_after };
      guint before = glyph_loads;
      guint loads;

      GtkWidget *page = GTK_WIDGET (cb_window_get_page (log.window, pages[i]));

      /* The warm-up did not map it. */
      g_assert_false (gtk_widget_get_mapped (page));
      gtk_stack_set_visible_child_name (GTK_STACK (log.stack), pages[i]);
      spin_until (frame_painted, &wait);
      loads = glyph_loads - before;
      g_test_message ("first switch to %s: %u glyph loads", pages[i], loads);
      g_assert_cmpuint (loads, <=, FIRST_SWITCH_MAX_GLYPH_LOADS);
      cb_test_wait_quiet (GTK_WIDGET (log.window), 200, TIMEOUT_MS);
    }

  /* Another font size: every glyph is new. Once the window has been idle, the next switch to
   * Test finds them drawn again (without that, it loads them all). */
  {
    GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (log.window));
    g_autofree char *font = NULL;
    g_autoptr(PangoFontDescription) description = NULL;
    g_autofree char *bigger = NULL;
    FrameWait wait;
    guint before, loads;

    gtk_stack_set_visible_child_name (GTK_STACK (log.stack), "train");
    cb_test_wait_quiet (GTK_WIDGET (log.window), 200, TIMEOUT_MS);
    g_object_get (settings, "gtk-font-name", &font, NULL);
    description = pango_font_description_from_string (font);
    pango_font_description_set_size (description,
                                     pango_font_description_get_size (description) + 2 * PANGO_SCALE);
    bigger = pango_font_description_to_string (description);
    g_object_set (settings, "gtk-font-name", bigger, NULL);
    /* Restyled in the next frames; drawn again once the window was still for 300 ms. */
    cb_test_wait_quiet (GTK_WIDGET (log.window), 200, TIMEOUT_MS);
    cb_test_spin_for (1000);
    cb_test_wait_quiet (GTK_WIDGET (log.window), 200, TIMEOUT_MS);

    wait = (FrameWait) { &log, log.painted_after };
    before = glyph_loads;
    gtk_stack_set_visible_child_name (GTK_STACK (log.stack), "test");
    spin_until (frame_painted, &wait);
    loads = glyph_loads - before;
    g_test_message ("first switch to test in %s: %u glyph loads", bigger, loads);
    g_assert_cmpuint (loads, <=, FIRST_SWITCH_MAX_GLYPH_LOADS);
  }
  warm_up_close (&p, &log);
}

typedef struct
{
  GtkWidget *widget;
  int        width;
} WidthChange;

static gboolean
width_changed (gpointer data)
{
  WidthChange *change = data;

  return gtk_widget_get_width (change->widget) != change->width;
}

/* Once the pages are built, the pages not shown are laid out at the shown page's size in
 * idle time (so that the first switch to one skips its layout), and again after the window
 * changed size and stayed still. Nothing is shown that was not. */
static void
test_warm_up_layout (void)
{
  CbTestProject p = { 0 };
  WarmUpLog log;
  GtkWidget *train, *test;
  WidthChange change;
  int width, height;

  warm_up_open (&p, &log);
  train = GTK_WIDGET (cb_window_get_page (log.window, "train"));
  test = GTK_WIDGET (cb_window_get_page (log.window, "test"));
  g_assert_cmpint (gtk_widget_get_width (test), ==, 0);
  spin_until (cb_test_all_pages_built, log.window);
  spin_until (hidden_pages_laid_out, log.window);
  g_assert_true (gtk_widget_get_child_visible (train));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (log.stack)), ==, "train");

  /* A wider window: the shown page follows at once, the others once it stays still. */
  width = gtk_widget_get_width (GTK_WIDGET (log.window));
  height = gtk_widget_get_height (GTK_WIDGET (log.window));
  change = (WidthChange) { train, gtk_widget_get_width (train) };
  gtk_window_set_default_size (GTK_WINDOW (log.window), width + 160, height + 60);
  spin_until (width_changed, &change);
  g_assert_cmpint (gtk_widget_get_width (test), ==, change.width);
  spin_until (hidden_pages_laid_out, log.window);
  g_assert_cmpint (gtk_widget_get_width (test), >, change.width);

  /* The first switch to Test finds it laid out at its size. */
  gtk_stack_set_visible_child_name (GTK_STACK (log.stack), "test");
  cb_test_spin_for (100);
  g_assert_cmpint (gtk_widget_get_width (test), ==, gtk_widget_get_width (log.stack));
  warm_up_close (&p, &log);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = cb_test_gui_init (&argc, &argv, "test-warm-up");
  int ret;

  /* The warm-up's class has its background from the app's style sheet. */
  cb_test_load_app_style ();
  /* First: the app's first switch comes in a process that has had one window, not several
   * (the windows of the other tests leave the heap laid out otherwise). */
  g_test_add_func ("/warm-up/first-switch-fresh-memory", test_first_switch_fresh_memory);
  g_test_add_func ("/warm-up/paint", test_warm_up_paint);
  g_test_add_func ("/warm-up/layout", test_warm_up_layout);
  g_test_add_func ("/warm-up/text", test_warm_up_text);

  ret = g_test_run ();
  cb_test_remove_tree (state_dir);
  return ret;
}
