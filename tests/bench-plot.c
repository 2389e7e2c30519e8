/* bench-plot.c: times the Runs window on a 1,000,000-row metrics file (not a test:
 * scripts/bench runs it under its Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-plot [--rows N] [--appends N]
 *
 * Makes a project whose one run logged N rows (Lightning's layout: a loss every step, the
 * validation metrics every 1,000), opens the Runs window, selects the run and times, from the
 * selection, the first painted frame (the run's facts and a "reading" line) and the frame
 * that shows the whole curve, with the CPU time the UI thread spent meanwhile (the parse runs
 * in a worker; merging and drawing do not) and the longest gap a 4 ms timer saw (which also
 * counts waiting for a processor on a busy machine). Then it appends 100 rows, --appends
 * times, and times each from the write to the painted frame that shows them, with the UI
 * thread's CPU time. Prints one JSON object.
 */

#define _GNU_SOURCE  /* RUSAGE_THREAD */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/resource.h>

#include "cb-metrics-plot.h"
#include "cb-runs-view.h"
#include "cb/cb-run.h"

typedef struct
{
  CbRunsView *view;
  gint64      mark;            /* when the timed thing started */
  gint64      painted;         /* the first after-paint after @mark */
  gint64      last_tick;
  gint64      longest_gap;
  gboolean    tracking;
  gsize       want_points;
  gint64      curve_painted;
} Bench;

/* CPU time of the calling (UI) thread, in µs: what the UI thread did, whoever else ran. */
static gint64
ui_cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static gboolean
tick_cb (gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();

  if (b->tracking && b->last_tick > 0)
    b->longest_gap = MAX (b->longest_gap, now - b->last_tick);
  b->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gsize
points_shown (Bench *b)
{
  CbMetricsPlot *plot = cb_runs_view_get_plot (b->view, "train/loss");

  return plot != NULL ? cb_metrics_plot_get_n_points (plot) : 0;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *b)
{
  gint64 now = g_get_monotonic_time ();

  if (b->mark > 0 && b->painted == 0)
    b->painted = now;
  if (b->mark > 0 && b->curve_painted == 0 && b->want_points > 0
      && points_shown (b) >= b->want_points)
    b->curve_painted = now;
}

static void
spin_until (gboolean (*done) (Bench *), Bench *b, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!done (b) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
listed (Bench *b)
{
  return !cb_runs_view_get_loading (b->view)
         && g_list_model_get_n_items (cb_runs_view_get_runs (b->view)) > 0;
}

static gboolean
painted (Bench *b)
{
  return b->painted > 0;
}

static gboolean
curve_painted (Bench *b)
{
  return b->curve_painted > 0;
}

static void
write_file (const char *path,
            const char *text)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
quantile_ms (GArray *values,
             double  q)
{
  g_array_sort (values, compare_gint64);
  return g_array_index (values, gint64, (guint) (q * (values->len - 1))) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  int rows = 1000000;
  int appends = 20;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &rows, "rows in the metrics file", "N" },
    { "appends", 0, 0, G_OPTION_ARG_INT, &appends, "live appends to time", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *outputs = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GArray) append_ms = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) append_gap = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) append_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 cpu_start, load_cpu, first_cpu;
  GString *text;
  GdkFrameClock *clock;
  Bench b = { 0 };
  gint64 start, wrote;
  gint64 first_paint, curve, load_gap;
  double file_mb;
  int step = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-plot: %s\n", error->message);
      return 2;
    }
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_init ();
  adw_init ();

  root = g_dir_make_tmp ("cb-bench-plot-XXXXXX", NULL);
  outputs = g_build_filename (root, "outputs", NULL);
  {
    g_autofree char *hydra = g_build_filename (outputs, "big", ".hydra", "hydra.yaml", NULL);
    g_autofree char *over = g_build_filename (outputs, "big", ".hydra", "overrides.yaml", NULL);

    write_file (hydra, "hydra:\n  job:\n    name: train\n");
    write_file (over, "- exp_name=big\n");
  }
  csv = g_build_filename (outputs, "big", "csv", "version_0", "metrics.csv", NULL);
  text = g_string_sized_new ((gsize) rows * 24);
  g_string_append (text, "epoch,step,train/loss,val/hmean\n");
  for (int i = 0; i < rows; i++, step++)
    {
      if (i % 1000 == 999)
        g_string_append_printf (text, "%d,%d,,%.5f\n", step / 5000, step, 0.9 - 1.0 / (step + 10));
      else
        g_string_append_printf (text, "%d,%d,%.5f,\n", step / 5000, step,
                                0.4 + 2.0 / (1 + step / 2000.0) + (i % 7) * 0.003);
    }
  write_file (csv, text->str);
  file_mb = text->len / 1e6;
  g_string_free (text, TRUE);

  b.view = cb_runs_view_new (NULL);
  cb_runs_view_set_poll_interval (b.view, 20);
  gtk_window_set_default_size (GTK_WINDOW (b.view), 1080, 720);
  cb_runs_view_set_project (b.view, root, outputs);
  gtk_window_present (GTK_WINDOW (b.view));
  spin_until (listed, &b, 30000);
  if (!listed (&b))
    {
      g_printerr ("bench-plot: the run was not listed\n");
      return 1;
    }
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (b.view));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &b);
  g_timeout_add_full (G_PRIORITY_HIGH, 4, tick_cb, &b, NULL);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  /* Open the run. */
  b.want_points = (gsize) rows - rows / 1000;
  b.tracking = TRUE;
  b.last_tick = 0;
  cpu_start = ui_cpu_us ();
  start = b.mark = g_get_monotonic_time ();
  cb_runs_view_select (b.view, "big");
  spin_until (painted, &b, 30000);
  first_cpu = ui_cpu_us () - cpu_start;
  spin_until (curve_painted, &b, 60000);
  b.tracking = FALSE;
  if (b.curve_painted == 0)
    {
      g_printerr ("bench-plot: the curve was never painted (%zu points)\n", points_shown (&b));
      return 1;
    }
  first_paint = b.painted - start;
  curve = b.curve_painted - start;
  load_gap = b.longest_gap;
  load_cpu = ui_cpu_us () - cpu_start;

  /* Live appends: 100 rows each, written as a run writes them. */
  for (int a = 0; a < appends; a++)
    {
      GString *more = g_string_new (NULL);
      FILE *f;

      for (int i = 0; i < 100; i++, step++)
        g_string_append_printf (more, "%d,%d,%.5f,\n", step / 5000, step, 0.45 + (i % 5) * 0.002);
      b.want_points = points_shown (&b) + 100;
      b.curve_painted = 0;
      b.painted = 0;
      b.longest_gap = 0;
      b.last_tick = 0;
      b.tracking = TRUE;
      f = fopen (csv, "a");
      fwrite (more->str, 1, more->len, f);
      fclose (f);
      g_string_free (more, TRUE);
      cpu_start = ui_cpu_us ();
      wrote = b.mark = g_get_monotonic_time ();
      spin_until (curve_painted, &b, 10000);
      b.tracking = FALSE;
      if (b.curve_painted == 0)
        {
          g_printerr ("bench-plot: append %d was never shown\n", a);
          return 1;
        }
      {
        gint64 cpu = ui_cpu_us () - cpu_start;
        gint64 took = b.curve_painted - wrote;

        g_array_append_val (append_ms, took);
        g_array_append_val (append_gap, b.longest_gap);
        g_array_append_val (append_cpu, cpu);
      }
    }

  printf ("{\"rows\": %d, \"file_mb\": %.1f, \"first_paint_ms\": %.1f, "
          "\"first_paint_ui_cpu_ms\": %.1f, \"curve_ms\": %.1f, "
          "\"load_ui_cpu_ms\": %.1f, \"load_longest_ui_gap_ms\": %.1f, \"appends\": %d, "
          "\"append_rows\": 100, \"poll_ms\": 20, \"append_shown_ms_p50\": %.1f, "
          "\"append_shown_ms_p95\": %.1f, \"append_ui_cpu_ms_p50\": %.1f, "
          "\"append_ui_cpu_ms_p95\": %.1f, \"append_longest_ui_gap_ms_p95\": %.1f}\n",
          rows, file_mb, first_paint / 1000.0, first_cpu / 1000.0, curve / 1000.0,
          load_cpu / 1000.0,
          load_gap / 1000.0, appends, quantile_ms (append_ms, 0.5), quantile_ms (append_ms, 0.95),
          quantile_ms (append_cpu, 0.5), quantile_ms (append_cpu, 0.95),
          quantile_ms (append_gap, 0.95));
  fflush (stdout);

  gtk_window_destroy (GTK_WINDOW (b.view));
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", root);

    if (system (rm) != 0)
      g_printerr ("bench-plot: could not remove %s\n", root);
  }
  return 0;
}
