/* bench-predictions.c: times the Predictions window on a 10,000-image submission (not a test:
 * scripts/bench runs it under its Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-predictions DEMO_PROJECT_DIR [--images N] [--switches N]
 *
 * Makes a project whose prediction run wrote a submission of N images of 20 words each, the
 * first 20 images being the demo's receipt pictures under the names the submission gives,
 * and a newer, small one. Opens the Predictions window (on the small one) and times its
 * first painted frame; then opens the big submission in it and times the next frame and the
 * frame that shows the first image's polygons (the JSON is read in a worker). Then it switches
 * between the first 20 images and times, for each, the first frame with its polygons and the
 * frame with the decoded image: once with each switch asked for from an idle window, as key
 * presses come (switch_*), once right at the end of the last painted frame (back_to_back_*:
 * the frame clock's next slot is then up to a refresh away). Last, the frames the window's
 * clock runs in half a second left alone (idle_frames_per_500_ms: 0 or 1 unless something
 * animates). The minor page faults of each switch, to its decoded frame (switch_faults_*):
 * a frame whose buffer comes from fresh memory takes about 700 of them, 7 ms or more here.
 * Prints one JSON object.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <utime.h>

#include "bench-common.h"
#include "cb-prediction-canvas.h"
#include "cb-predictions-view.h"

typedef struct
{
  CbPredictionsView *view;
  gint64             mark;
  gint64             painted;         /* first after-paint after the mark */
  gint64             shown;           /* first after-paint with the wanted image's polygons */
  gint64             decoded;         /* first after-paint with its texture */
  guint              want_index;
  guint              want_images;     /* the submission timed has this many images */
  BenchClock        *clock;           /* the frame's phases */
  BenchFrame         shown_frame;     /* the phases of the frame that showed the polygons */
} Bench;

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *b)
{
  gint64 now = g_get_monotonic_time ();
  CbPredictionCanvas *canvas = cb_predictions_view_get_canvas (b->view);

  if (b->mark == 0)
    return;
  if (b->painted == 0)
    b->painted = now;
  if (b->shown == 0 && cb_predictions_view_get_submission (b->view) != NULL
      && cb_submission_get_n_images (cb_predictions_view_get_submission (b->view)) == b->want_images
      && cb_predictions_view_get_image_index (b->view) == b->want_index
      && cb_prediction_canvas_get_n_shown (canvas) > 0)
    {
      b->shown = now;
      if (b->clock != NULL)
        b->shown_frame = *bench_clock_get_last_frame (b->clock);
    }
  if (b->shown != 0 && b->decoded == 0 && cb_prediction_canvas_get_texture (canvas) != NULL)
    b->decoded = now;
}

static void
spin_until (gboolean (*done) (Bench *), Bench *b, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!done (b) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
painted (Bench *b)
{
  return b->painted > 0;
}

static gboolean
decoded (Bench *b)
{
  return b->decoded > 0;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
quantile (GArray *values,
          double  q)
{
  g_assert (values->len > 0);
  g_array_sort (values, compare_gint64);
  return (double) g_array_index (values, gint64, (guint) (q * (values->len - 1)));
}

/* Of times in µs. */
static double
quantile_ms (GArray *values,
             double  q)
{
  return quantile (values, q) / 1000.0;
}

static void
write_file (const char *path,
            const char *text,
            gssize      length)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0755);
  if (!g_file_set_contents (path, text, length, NULL))
    g_error ("cannot write %s", path);
}

/* One series of image switches: per switch, from just before the request to the frame with
 * the image's polygons (shown) and to the frame with its decoded picture; the request's own
 * time; from its return to the start of that frame (wait: before-paint, as a cycle that only
 * flushes events is not a frame); and that frame from its start to the end of its paint. */
typedef struct
{
  GArray *shown;
  GArray *decoded;
  GArray *request;
  GArray *wait;
  GArray *frame;
  GArray *faults;   /* the process's minor page faults from the request to the decoded frame */
} Series;

static void
series_init (Series *series)
{
  series->shown = g_array_new (FALSE, FALSE, sizeof (gint64));
  series->decoded = g_array_new (FALSE, FALSE, sizeof (gint64));
  series->request = g_array_new (FALSE, FALSE, sizeof (gint64));
  series->wait = g_array_new (FALSE, FALSE, sizeof (gint64));
  series->frame = g_array_new (FALSE, FALSE, sizeof (gint64));
  series->faults = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
series_clear (Series *series)
{
  g_array_unref (series->shown);
  g_array_unref (series->decoded);
  g_array_unref (series->request);
  g_array_unref (series->wait);
  g_array_unref (series->frame);
  g_array_unref (series->faults);
}

/* Switches @switches times among the first 20 images (the demo's pictures, so that each is
 * decoded in turn). @gap_ms > 0: each switch is asked for once the window has painted no frame
 * for that long, as a user's key press comes (bench-app's tab switches wait so too); 0: right
 * at the end of the last painted frame, so that the switch waits for the frame clock's next
 * slot (about 16.7 ms at 60 Hz), as when a held key repeats faster than frames are painted. */
static gboolean
time_switches (Bench  *b,
               int     switches,
               int     gap_ms,
               int     n_images,
               Series *series)
{
  for (int s = 0; s < switches; s++)
    {
      guint index = (guint) ((s * 7 + 1) % MIN (20, n_images));
      gint64 took, returned;
      struct rusage before, after;

      if (index == cb_predictions_view_get_image_index (b->view))
        index = (index + 1) % MIN (20, n_images);
      if (gap_ms > 0)
        bench_clock_wait_idle (b->clock, (guint) gap_ms, 2000, NULL);
      b->want_index = index;
      b->painted = b->shown = b->decoded = 0;
      memset (&b->shown_frame, 0, sizeof b->shown_frame);
      getrusage (RUSAGE_SELF, &before);
      b->mark = g_get_monotonic_time ();
      cb_predictions_view_select_image (b->view, index);
      returned = g_get_monotonic_time ();
      spin_until (decoded, b, 30000);
      getrusage (RUSAGE_SELF, &after);
      if (b->shown == 0 || b->decoded == 0)
        {
          g_printerr ("bench-predictions: image %u was never shown\n", index);
          return FALSE;
        }
      took = b->shown - b->mark;
      g_array_append_val (series->shown, took);
      took = b->decoded - b->mark;
      g_array_append_val (series->decoded, took);
      took = returned - b->mark;
      g_array_append_val (series->request, took);
      took = after.ru_minflt - before.ru_minflt;
      g_array_append_val (series->faults, took);
      if (b->shown_frame.before_paint != 0 && b->shown_frame.paint != 0)
        {
          took = b->shown_frame.before_paint / 1000 - returned;
          g_array_append_val (series->wait, took);
          took = (b->shown_frame.paint - b->shown_frame.before_paint) / 1000;
          g_array_append_val (series->frame, took);
        }
    }
  return TRUE;
}

static void
count_frame_cb (GdkFrameClock *clock,
                guint         *n)
{
  (*n)++;
}

int
main (int    argc,
      char **argv)
{
  int n_images = 10000;
  int switches = 40;
  GOptionEntry entries[] = {
    { "images", 0, 0, G_OPTION_ARG_INT, &n_images, "images in the submission", "N" },
    { "switches", 0, 0, G_OPTION_ARG_INT, &switches, "image switches to time", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("DEMO_PROJECT_DIR");
  g_autoptr(GError) error = NULL;
  Series user, back_to_back;
  guint idle_frames = 0;
  g_autofree char *root = NULL;
  g_autofree char *outputs = NULL;
  g_autofree char *images = NULL;
  GString *json;
  GdkFrameClock *clock;
  Bench b = { 0 };
  gint64 open_paint, open_shown, window_paint;
  double json_mb;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2)
    {
      g_printerr ("bench-predictions: %s\n", error ? error->message : "DEMO_PROJECT_DIR is needed");
      return 2;
    }
  if (n_images < 1 || switches < 1)
    {
      g_printerr ("bench-predictions: --images and --switches must be at least 1\n");
      return 2;
    }
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  series_init (&user);
  series_init (&back_to_back);
  gtk_init ();
  adw_init ();

  root = g_dir_make_tmp ("cb-bench-predictions-XXXXXX", NULL);
  outputs = g_build_filename (root, "outputs", NULL);
  images = g_build_filename (root, "images", NULL);
  {
    g_autofree char *hydra = g_build_filename (outputs, "pred", ".hydra", "hydra.yaml", NULL);
    g_autofree char *config = g_build_filename (outputs, "pred", ".hydra", "config.yaml", NULL);
    g_autofree char *config_text = g_strdup_printf ("exp_name: pred\nimage_dir: %s\n", images);

    write_file (hydra, "hydra:\n  job:\n    name: predict\n", -1);
    write_file (config, config_text, -1);
  }
  /* The demo's four pictures, under the first 20 names. */
  for (int i = 0; i < 20 && i < n_images; i++)
    {
      g_autofree char *from = g_strdup_printf ("%s/data/datasets/receipts/images/test/"
                                               "receipt_test_%04d.png", argv[1], 1 + i % 4);
      g_autofree char *to = g_strdup_printf ("%s/img_%05d.png", images, i);
      g_autofree char *data = NULL;
      gsize length = 0;

      if (!g_file_get_contents (from, &data, &length, &error))
        {
          g_printerr ("bench-predictions: %s\n", error->message);
          return 1;
        }
      write_file (to, data, (gssize) length);
    }
  json = g_string_sized_new ((gsize) n_images * 1700);
  g_string_append (json, "{\"images\": {");
  for (int i = 0; i < n_images; i++)
    {
      g_string_append_printf (json, "%s\n\"img_%05d.png\": {\"words\": {", i > 0 ? "," : "", i);
      for (int w = 0; w < 20; w++)
        g_string_append_printf (json, "%s\"%04d\": {\"points\": [[%d, %d], [%d, %d], [%d, %d], "
                                "[%d, %d]], \"confidence\": 0.%d}", w > 0 ? ", " : "", w,
                                20 + w % 3 * 100, 30 + w * 28, 110 + w % 3 * 100, 30 + w * 28,
                                110 + w % 3 * 100, 46 + w * 28, 20 + w % 3 * 100, 46 + w * 28,
                                50 + w * 2);
      g_string_append (json, "}}");
    }
  g_string_append (json, "}}\n");
  {
    g_autofree char *path = g_build_filename (outputs, "pred", "submissions",
                                              "20260101_000000.json", NULL);

    write_file (path, json->str, (gssize) json->len);
  }
  json_mb = json->len / 1e6;
  g_string_free (json, TRUE);
  {
    /* A small one, newer, shown when the window opens. */
    g_autofree char *path = g_build_filename (outputs, "pred", "submissions",
                                              "20260102_000000.json", NULL);
    g_autofree char *big = g_build_filename (outputs, "pred", "submissions",
                                             "20260101_000000.json", NULL);
    struct utimbuf old = { 1700000000, 1700000000 };

    write_file (path, "{\"images\": {\"img_00001.png\": {\"words\": {\"1\": {\"points\": "
                "[[1, 2], [50, 2], [50, 20], [1, 20]]}}}}}", -1);
    g_utime (big, &old);
  }

  /* GTK warmed up as in the app (where the main window is up): a first window of the kind,
   * shown and closed, before the one timed. */
  {
    CbPredictionsView *warm = cb_predictions_view_new (NULL);
    gint64 until = g_get_monotonic_time () + 300000;

    gtk_window_present (GTK_WINDOW (warm));
    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
    gtk_window_destroy (GTK_WINDOW (warm));
    for (int i = 0; i < 20; i++)
      g_main_context_iteration (NULL, FALSE);
  }

  /* Open the window (it shows the newest, small, submission): its first frame. */
  b.view = cb_predictions_view_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (b.view), 1080, 760);
  b.want_index = 1u << 30;  /* no image is timed yet */
  b.mark = g_get_monotonic_time ();
  cb_predictions_view_set_project (b.view, root, outputs);
  gtk_window_present (GTK_WINDOW (b.view));
  clock = NULL;
  while (clock == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      clock = gtk_widget_get_frame_clock (GTK_WIDGET (b.view));
    }
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &b);
  spin_until (painted, &b, 30000);
  window_paint = b.painted - b.mark;
  while (cb_predictions_view_get_busy (b.view) || cb_predictions_view_get_submission (b.view) == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Open the big submission in it: the next frame, then its first image's polygons. */
  {
    g_autofree char *big = g_build_filename (outputs, "pred", "submissions",
                                             "20260101_000000.json", NULL);

    b.want_index = 0;
    b.want_images = (guint) n_images;
    b.painted = b.shown = b.decoded = 0;
    b.mark = g_get_monotonic_time ();
    cb_predictions_view_open_file (b.view, big);
    spin_until (painted, &b, 30000);
    while (cb_predictions_view_get_submission (b.view) == NULL
           || cb_submission_get_n_images (cb_predictions_view_get_submission (b.view)) != (guint) n_images)
      g_main_context_iteration (NULL, TRUE);
    spin_until (decoded, &b, 120000);
  }
  if (b.shown == 0)
    {
      g_printerr ("bench-predictions: the first image was never shown\n");
      return 1;
    }
  open_paint = b.painted - b.mark;
  open_shown = b.shown - b.mark;

  /* Switch images: the polygons at once, the picture when it is decoded; first as a user's
   * key presses come, then each right after the last painted frame. */
  b.clock = bench_clock_new (GTK_WIDGET (b.view));
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, &b);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), &b);
  if (!time_switches (&b, switches, 50, n_images, &user)
      || !time_switches (&b, switches, 0, n_images, &back_to_back))
    return 1;

  /* The window left alone, once what the last switch painted (the next picture decoded
   * ahead) is over: frames its clock still runs in half a second (none, unless something
   * animates). */
  bench_clock_wait_idle (b.clock, 100, 2000, NULL);
  {
    gulong handler = g_signal_connect (clock, "before-paint", G_CALLBACK (count_frame_cb),
                                       &idle_frames);

    bench_spin_ms (500);
    g_signal_handler_disconnect (clock, handler);
  }
  bench_clock_free (b.clock);
  b.clock = NULL;

  /* Times in the arrays are µs. */
  printf ("{\"images\": %d, \"words\": %d, \"json_mb\": %.1f, \"window_first_paint_ms\": %.1f, "
          "\"open_first_paint_ms\": %.1f, \"open_first_image_ms\": %.1f, \"switches\": %d, "
          "\"switch_polygons_ms_p50\": %.1f, \"switch_polygons_ms_p95\": %.1f, "
          "\"switch_image_ms_p50\": %.1f, \"switch_image_ms_p95\": %.1f, "
          "\"switch_request_ms_p50\": %.1f, \"switch_request_ms_p95\": %.1f, "
          "\"switch_wait_ms_p50\": %.1f, \"switch_wait_ms_p95\": %.1f, "
          "\"switch_frame_ms_p50\": %.1f, \"switch_frame_ms_p95\": %.1f, "
          "\"back_to_back_polygons_ms_p50\": %.1f, \"back_to_back_polygons_ms_p95\": %.1f, "
          "\"back_to_back_image_ms_p50\": %.1f, \"back_to_back_image_ms_p95\": %.1f, "
          "\"back_to_back_wait_ms_p50\": %.1f, \"back_to_back_wait_ms_p95\": %.1f, "
          "\"back_to_back_frame_ms_p50\": %.1f, \"back_to_back_frame_ms_p95\": %.1f, "
          "\"switch_faults_p50\": %.0f, \"switch_faults_max\": %.0f, "
          "\"idle_frames_per_500_ms\": %u}\n",
          n_images, n_images * 20, json_mb, window_paint / 1000.0, open_paint / 1000.0,
          open_shown / 1000.0, switches,
          quantile_ms (user.shown, 0.5), quantile_ms (user.shown, 0.95),
          quantile_ms (user.decoded, 0.5), quantile_ms (user.decoded, 0.95),
          quantile_ms (user.request, 0.5), quantile_ms (user.request, 0.95),
          quantile_ms (user.wait, 0.5), quantile_ms (user.wait, 0.95),
          quantile_ms (user.frame, 0.5), quantile_ms (user.frame, 0.95),
          quantile_ms (back_to_back.shown, 0.5), quantile_ms (back_to_back.shown, 0.95),
          quantile_ms (back_to_back.decoded, 0.5), quantile_ms (back_to_back.decoded, 0.95),
          quantile_ms (back_to_back.wait, 0.5), quantile_ms (back_to_back.wait, 0.95),
          quantile_ms (back_to_back.frame, 0.5), quantile_ms (back_to_back.frame, 0.95),
          quantile (user.faults, 0.5), quantile (user.faults, 1.0),
          idle_frames);
  fflush (stdout);

  gtk_window_destroy (GTK_WINDOW (b.view));
  series_clear (&user);
  series_clear (&back_to_back);
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", root);

    if (system (rm) != 0)
      g_printerr ("bench-predictions: could not remove %s\n", root);
  }
  return 0;
}
