/* test-metrics.c: Lightning's metrics.csv read whole and as it grows; run folders found
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-metrics.h"
#include "cb/cb-run.h"
#include "cb/cb-run-history.h"
#include "cb-test-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static CbMetrics *
parse (const char *text)
{
  CbMetricsReader *reader = cb_metrics_reader_new ("test.csv");
  CbMetrics *metrics = cb_metrics_new ();

  cb_metrics_reader_feed (reader, text, strlen (text), metrics);
  cb_metrics_reader_finish (reader, metrics);
  cb_metrics_reader_free (reader);
  return metrics;
}

static const CbMetricPoint *
series (CbMetrics  *metrics,
        const char *name,
        gsize      *n)
{
  int i = cb_metrics_find (metrics, name);

  g_assert_cmpint (i, >=, 0);
  return cb_metrics_get_points (metrics, (guint) i, n);
}

static void
test_lightning_rows (void)
{
  g_autoptr(CbMetrics) m = parse ("epoch,step,lr-Adam,train/loss,val/hmean\n"
                                  "0,49,0.001,2.5,\n"
                                  "0,99,0.001,2.1,\n"
                                  "0,99,,,0.45\n"
                                  "1,149,0.001,1.9,\n"
                                  "1,199,,,0.61\n");
  const CbMetricPoint *p;
  gsize n;

  g_assert_cmpuint (cb_metrics_get_n_series (m), ==, 3);
  g_assert_cmpstr (cb_metrics_get_name (m, 0), ==, "lr-Adam");
  g_assert_cmpint (cb_metrics_find (m, "step"), ==, -1);
  g_assert_cmpint (cb_metrics_find (m, "epoch"), ==, -1);
  g_assert_cmpuint (cb_metrics_get_n_rows (m), ==, 5);
  g_assert_cmpuint (cb_metrics_get_n_bad_rows (m), ==, 0);

  p = series (m, "train/loss", &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (p[0].step, ==, 49);
  g_assert_cmpfloat (p[0].epoch, ==, 0);
  g_assert_cmpfloat (p[2].value, ==, 1.9);

  p = series (m, "val/hmean", &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (p[1].step, ==, 199);
  g_assert_cmpfloat (p[1].value, ==, 0.61);
  g_assert_true (cb_metrics_get_has_step (m));
}

static void
test_nan_empty_and_bad_cells (void)
{
  g_autoptr(CbMetrics) m = parse ("step,loss,acc\r\n"
                                  "1,nan,0.5\r\n"
                                  "2,inf,\r\n"
                                  "3,-Infinity,x\r\n"
                                  "4, 0.25 ,1e400\r\n"
                                  "\r\n"
                                  ",1.0,1.0\r\n"        /* no step: the row is bad */
                                  "5,1.0,1.0,9\r\n");   /* a cell too many: bad */
  const CbMetricPoint *p;
  gsize n;

  p = series (m, "loss", &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (p[0].step, ==, 4);
  g_assert_cmpfloat (p[0].value, ==, 0.25);
  g_assert_true (isnan (p[0].epoch));
  p = series (m, "acc", &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (p[0].value, ==, 0.5);
  g_assert_cmpuint (cb_metrics_get_n_rows (m), ==, 4);
  g_assert_cmpuint (cb_metrics_get_n_bad_rows (m), ==, 2);
}

static void
test_missing_columns (void)
{
  /* No step column: rows are counted; short rows lack their last cells. */
  g_autoptr(CbMetrics) m = parse ("loss,acc\n0.9\n0.8,0.3\n\"0.7\",\n");
  const CbMetricPoint *p;
  gsize n;

  g_assert_false (cb_metrics_get_has_step (m));
  p = series (m, "loss", &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (p[2].step, ==, 2);
  g_assert_cmpfloat (p[2].value, ==, 0.7);
  p = series (m, "acc", &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (p[0].step, ==, 1);
}

static void
test_quoted_header (void)
{
  g_autoptr(CbMetrics) m = parse ("step,\"a,b\",\"say \"\"hi\"\"\",,한국어\n1,2,3,4,5\n");

  g_assert_cmpint (cb_metrics_find (m, "a,b"), ==, 0);
  g_assert_cmpint (cb_metrics_find (m, "say \"hi\""), ==, 1);
  g_assert_cmpint (cb_metrics_find (m, "column 4"), ==, 2);
  g_assert_cmpint (cb_metrics_find (m, "한국어"), ==, 3);
}

static void
test_truncated_last_row (void)
{
  CbMetricsReader *reader = cb_metrics_reader_new ("test.csv");
  g_autoptr(CbMetrics) m = cb_metrics_new ();
  g_autoptr(CbMetrics) cut = cb_metrics_new ();
  const char *text = "step,loss\n1,0.5\n2,0.4";
  gsize n;

  /* A run still writing: the row without its newline waits. */
  cb_metrics_reader_feed (reader, text, strlen (text), m);
  series (m, "loss", &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (cb_metrics_reader_get_waiting (reader));
  /* Its end comes: the row is whole, with the digits that came later. */
  cb_metrics_reader_feed (reader, "5\n3,0.3\n", 8, m);
  g_assert_false (cb_metrics_reader_get_waiting (reader));
  {
    const CbMetricPoint *p = series (m, "loss", &n);

    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpfloat (p[1].value, ==, 0.45);
  }
  cb_metrics_reader_free (reader);

  /* The file ends in a row cut short of its columns: left out. */
  reader = cb_metrics_reader_new ("test.csv");
  cb_metrics_reader_feed (reader, "step,loss,acc\n1,0.5,0.1\n2,0.4", 29, cut);
  cb_metrics_reader_finish (reader, cut);
  series (cut, "loss", &n);
  g_assert_cmpuint (n, ==, 1);
  cb_metrics_reader_free (reader);

  /* …but a last row with every column, only its newline missing, is read. */
  {
    g_autoptr(CbMetrics) whole = parse ("step,loss\n1,0.5\n2,0.4");

    series (whole, "loss", &n);
    g_assert_cmpuint (n, ==, 2);
  }
}

static void
test_restarted_steps (void)
{
  /* A resumed run that counts from 0 again: kept in file order, steps as written. */
  g_autoptr(CbMetrics) m = parse ("epoch,step,loss\n0,10,1\n0,20,0.9\n0,10,0.8\n0,20,0.7\n");
  const CbMetricPoint *p;
  gsize n;

  p = series (m, "loss", &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (p[2].step, ==, 10);
  g_assert_cmpfloat (p[3].value, ==, 0.7);
}

static void
test_header_again_and_long_line (void)
{
  GString *text = g_string_new ("step,loss\n1,0.5\nstep,loss\n");
  g_autoptr(CbMetrics) m = NULL;
  gsize n;

  g_string_append (text, "2,");
  for (guint i = 0; i < CB_METRICS_MAX_LINE; i++)
    g_string_append_c (text, '9');
  g_string_append (text, "\n3,0.3\n");
  m = parse (text->str);
  series (m, "loss", &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (cb_metrics_get_n_bad_rows (m), ==, 1);
  g_string_free (text, TRUE);
}

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cb-metrics-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
append_text (const char *path,
             const char *text)
{
  FILE *f = fopen (path, "a");

  g_assert_nonnull (f);
  fputs (text, f);
  fclose (f);
}

static void
test_reader_appends_and_rewrites (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "metrics.csv", NULL);
  g_autofree char *moved = g_build_filename (dir, "new.csv", NULL);
  CbMetricsReader *reader = cb_metrics_reader_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbMetrics) all = cb_metrics_new ();
  CbMetrics *more;
  gboolean restarted = TRUE;
  gsize n;

  g_assert_true (g_file_set_contents (path, "epoch,step,train/loss\n0,1,2.0\n0,2,1.9", -1,
                                      NULL));
  more = cb_metrics_reader_read (reader, FALSE, &restarted, &error);
  g_assert_no_error (error);
  g_assert_false (restarted);
  series (more, "train/loss", &n);
  g_assert_cmpuint (n, ==, 1);
  cb_metrics_append (all, more);
  g_object_unref (more);

  /* Appended: only the new rows come back. */
  append_text (path, "5\n0,3,1.8\n");
  more = cb_metrics_reader_read (reader, FALSE, &restarted, &error);
  g_assert_no_error (error);
  g_assert_false (restarted);
  series (more, "train/loss", &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (series (more, "train/loss", &n)[0].value, ==, 1.95);
  cb_metrics_append (all, more);
  g_object_unref (more);
  series (all, "train/loss", &n);
  g_assert_cmpuint (n, ==, 3);

  /* Nothing new: nothing returned. */
  more = cb_metrics_reader_read (reader, FALSE, &restarted, &error);
  g_assert_cmpuint (cb_metrics_get_n_rows (more), ==, 0);
  g_object_unref (more);

  /* Lightning saw a new key: the whole file is rewritten with a wider header, in place. */
  g_assert_true (g_file_set_contents (moved, "epoch,step,train/loss,val/hmean\n"
                                      "0,1,2.0,\n0,2,1.95,\n0,3,1.8,\n0,3,,0.5\n", -1, NULL));
  {
    g_autofree char *data = NULL;
    FILE *f;

    g_file_get_contents (moved, &data, NULL, NULL);
    f = fopen (path, "w");
    fputs (data, f);
    fclose (f);
  }
  more = cb_metrics_reader_read (reader, FALSE, &restarted, &error);
  g_assert_no_error (error);
  g_assert_true (restarted);
  series (more, "train/loss", &n);
  g_assert_cmpuint (n, ==, 3);
  series (more, "val/hmean", &n);
  g_assert_cmpuint (n, ==, 1);
  g_object_unref (more);

  /* Replaced by a rename (an atomic writer), same header: read again from the start. */
  g_assert_true (g_file_set_contents (moved, "epoch,step,train/loss,val/hmean\n0,9,1.0,\n",
                                      -1, NULL));
  g_assert_cmpint (g_rename (moved, path), ==, 0);
  more = cb_metrics_reader_read (reader, FALSE, &restarted, &error);
  g_assert_true (restarted);
  series (more, "train/loss", &n);
  g_assert_cmpuint (n, ==, 1);
  g_object_unref (more);

  /* A header after blank lines is found where it is: appends stay appends. */
  g_assert_true (g_file_set_contents (path, "\n\r\nstep,y\n1,1\n", -1, NULL));
  more = cb_metrics_reader_read (reader, FALSE, &restarted, &error);
  g_assert_true (restarted);
  g_object_unref (more);
  append_text (path, "2,2\n");
  more = cb_metrics_reader_read (reader, FALSE, &restarted, &error);
  g_assert_false (restarted);
  series (more, "y", &n);
  g_assert_cmpuint (n, ==, 1);
  g_object_unref (more);

  /* Truncated (a new run in the same folder): from the start. */
  g_assert_true (g_file_set_contents (path, "step,x\n", -1, NULL));
  more = cb_metrics_reader_read (reader, FALSE, &restarted, &error);
  g_assert_true (restarted);
  g_assert_cmpint (cb_metrics_find (more, "x"), ==, 0);
  g_object_unref (more);

  cb_metrics_reader_free (reader);
  cb_test_remove_tree (dir);
}

static void
test_reader_refuses_non_regular (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *fifo = g_build_filename (dir, "metrics.csv", NULL);
  CbMetricsReader *reader = cb_metrics_reader_new (fifo);
  g_autoptr(GError) error = NULL;
  CbMetrics *m;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  m = cb_metrics_reader_read (reader, TRUE, NULL, &error);
  g_assert_null (m);
  g_assert_nonnull (strstr (error->message, "is a FIFO"));
  cb_metrics_reader_free (reader);

  g_clear_error (&error);
  reader = cb_metrics_reader_new ("/nonexistent/metrics.csv");
  m = cb_metrics_reader_read (reader, TRUE, NULL, &error);
  g_assert_null (m);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  cb_metrics_reader_free (reader);
  cb_test_remove_tree (dir);
}

static void
test_million_rows (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "metrics.csv", NULL);
  GString *text = g_string_new ("epoch,step,train/loss,val/hmean\n");
  CbMetricsReader *reader = cb_metrics_reader_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbMetrics) m = NULL;
  gint64 start;
  gsize n;

  for (guint i = 0; i < 1000000; i++)
    {
      if (i % 100 == 99)
        g_string_append_printf (text, "%u,%u,,%.4f\n", i / 1000, i, 0.5 + i * 1e-7);
      else
        g_string_append_printf (text, "%u,%u,%.5f,\n", i / 1000, i, 2.0 - i * 1e-6);
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  start = g_get_monotonic_time ();
  m = cb_metrics_reader_read (reader, TRUE, NULL, &error);
  g_test_message ("1,000,000 rows (%.1f MB) read in %.0f ms", text->len / 1e6,
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_no_error (error);
  g_assert_cmpuint (cb_metrics_get_n_rows (m), ==, 1000000);
  series (m, "train/loss", &n);
  g_assert_cmpuint (n, ==, 990000);
  series (m, "val/hmean", &n);
  g_assert_cmpuint (n, ==, 10000);
  g_string_free (text, TRUE);
  cb_metrics_reader_free (reader);
  cb_test_remove_tree (dir);
}

/* The buckets a plot draws: every point in one, in order, the lowest and highest right, a
 * restart kept apart; the same whether the points came in one read or many appends. */
static void
check_buckets (CbMetrics  *m,
               const char *name)
{
  int series = cb_metrics_find (m, name);
  gsize n_points = 0, n_buckets = 0, seen = 0;
  const CbMetricPoint *points = cb_metrics_get_points (m, (guint) series, &n_points);
  const CbMetricBucket *buckets = cb_metrics_get_buckets (m, (guint) series, &n_buckets);
  double step_min, step_max, value_min, value_max;

  g_assert_cmpuint (n_buckets, <=, 8192);
  for (gsize b = 0; b < n_buckets; b++)
    {
      double lo = INFINITY, hi = -INFINITY;

      g_assert_cmpuint (buckets[b].n, >, 0);
      g_assert_cmpfloat (buckets[b].step_first, ==, points[seen].step);
      g_assert_cmpfloat (buckets[b].first, ==, points[seen].value);
      for (guint i = 0; i < buckets[b].n; i++)
        {
          lo = MIN (lo, points[seen + i].value);
          hi = MAX (hi, points[seen + i].value);
        }
      seen += buckets[b].n;
      g_assert_cmpfloat (buckets[b].step_last, ==, points[seen - 1].step);
      g_assert_cmpfloat (buckets[b].last, ==, points[seen - 1].value);
      g_assert_cmpfloat (buckets[b].min, ==, lo);
      g_assert_cmpfloat (buckets[b].max, ==, hi);
    }
  g_assert_cmpuint (seen, ==, n_points);
  g_assert_true (cb_metrics_get_range (m, (guint) series, &step_min, &step_max, &value_min,
                                       &value_max));
  for (gsize i = 0; i < n_points; i++)
    {
      g_assert_cmpfloat (points[i].value, >=, value_min);
      g_assert_cmpfloat (points[i].value, <=, value_max);
    }
}

static void
test_buckets (void)
{
  GString *text = g_string_new ("epoch,step,loss\n");
  CbMetricsReader *reader = cb_metrics_reader_new ("test.csv");
  g_autoptr(CbMetrics) whole = NULL;
  g_autoptr(CbMetrics) grown = cb_metrics_new ();
  const CbMetricBucket *buckets;
  gsize n_buckets = 0;
  guint restarts = 0;

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (text, "%u,%u,%.4f\n", i / 1000, i < 150000 ? i : i - 150000,
                            (double) ((i * 7919) % 1000) / 100.0);
  whole = parse (text->str);
  check_buckets (whole, "loss");
  buckets = cb_metrics_get_buckets (whole, 0, &n_buckets);
  for (gsize b = 0; b < n_buckets; b++)
    restarts += buckets[b].restart;
  g_assert_cmpuint (restarts, ==, 1);

  /* The same file appended to in pieces of 333 rows, as a running run writes it. */
  for (gsize done = 0; done < text->len; done += 333 * 14)
    {
      g_autoptr(CbMetrics) more = cb_metrics_new ();

      cb_metrics_reader_feed (reader, text->str + done, MIN (333 * 14, text->len - done), more);
      cb_metrics_append (grown, more);
    }
  check_buckets (grown, "loss");
  cb_metrics_reader_free (reader);
  g_string_free (text, TRUE);
}

static void
test_json_and_text (void)
{
  g_autoptr(CbMetrics) m = parse ("epoch,step,val/hmean,\"odd\tname\"\n0,10,0.5,\n1,20,nan,3\n");
  g_autofree char *json = cb_metrics_to_json (m);
  g_autofree char *text = cb_metrics_to_text (m);

  g_assert_cmpstr (json, ==, "{\n  \"val/hmean\": [[10,0.5]],\n  \"odd\\tname\": [[20,3]]\n}\n");
  g_assert_cmpstr (text, ==, "metric\tstep\tepoch\tvalue\n"
                             "val/hmean\t10\t0\t0.5\n"
                             "odd\\tname\t20\t1\t3\n");
}

static void
write_file (const char *dir,
            const char *rel,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
test_run_files_and_discovery (void)
{
  g_autofree char *root = temp_dir ();
  g_autofree char *outputs = g_build_filename (root, "outputs", NULL);
  g_autofree char *loop = g_build_filename (outputs, "a", "loop", NULL);
  g_autofree char *run_a = g_build_filename (outputs, "a", NULL);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(CbMetrics) merged = NULL;
  g_auto(GStrv) files = NULL;
  guint n_skipped = 0;
  CbRun *a = NULL, *b = NULL;

  write_file (outputs, "a/.hydra/overrides.yaml", "- exp_name=alpha\n- trainer.max_epochs=2\n");
  write_file (outputs, "a/.hydra/hydra.yaml", "hydra:\n  job:\n    name: train\n");
  write_file (outputs, "a/.hydra/config.yaml", "exp_name: alpha\nmodel:\n  architecture_name: dbnet\n");
  write_file (outputs, "a/checkpoints/best-hmean-0.8100.ckpt", "x");
  write_file (outputs, "a/checkpoints/last.ckpt", "x");
  write_file (outputs, "a/csv/version_10/metrics.csv", "step,val/hmean\n30,0.81\n");
  write_file (outputs, "a/csv/version_2/metrics.csv", "step,val/hmean\n10,0.5\n20,0.7\n");
  write_file (outputs, "a/extra/metrics.csv", "step,other\n1,1\n");
  write_file (outputs, "group/b/.hydra/overrides.yaml", "- exp_name=beta\n");
  write_file (outputs, "group/b/.hydra/hydra.yaml", "hydra:\n  job:\n    name: predict\n");
  write_file (outputs, "not-a-run/notes.txt", "x");
  g_assert_cmpint (symlink ("..", loop), ==, 0);

  files = cb_metrics_find_files (run_a);
  g_assert_cmpuint (g_strv_length (files), ==, 3);
  g_assert_true (g_str_has_suffix (files[0], "version_2/metrics.csv"));
  g_assert_true (g_str_has_suffix (files[1], "version_10/metrics.csv"));
  g_assert_true (g_str_has_suffix (files[2], "extra/metrics.csv"));

  merged = cb_metrics_read_run (run_a, NULL);
  {
    gsize n;
    const CbMetricPoint *p = series (merged, "val/hmean", &n);

    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpfloat (p[2].step, ==, 30);
  }

  runs = cb_runs_discover (root, outputs, NULL, &n_skipped);
  g_assert_cmpuint (runs->len, ==, 2);
  for (guint i = 0; i < runs->len; i++)
    {
      CbRun *run = g_ptr_array_index (runs, i);

      if (g_str_equal (cb_run_get_name (run), "a"))
        a = run;
      else if (g_str_equal (cb_run_get_name (run), "group/b"))
        b = run;
    }
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (cb_run_get_page (a), ==, "train");
  g_assert_cmpstr (cb_run_get_title (a), ==, "alpha");
  g_assert_cmpstr (cb_run_get_info (a)->architecture, ==, "dbnet");
  g_assert_cmpstr (cb_run_get_best_metric_name (a), ==, "hmean");
  g_assert_cmpfloat (cb_run_get_best_metric_value (a), ==, 0.81);
  g_assert_cmpstr (cb_checkpoint_get_path (cb_run_get_best_checkpoint (a)), ==,
                   "outputs/a/checkpoints/best-hmean-0.8100.ckpt");
  g_assert_cmpstr (cb_checkpoint_get_path (cb_run_get_last_checkpoint (a)), ==,
                   "outputs/a/checkpoints/last.ckpt");
  g_assert_cmpstr (cb_run_get_page (b), ==, "predict");
  g_assert_null (cb_run_get_best_metric_name (b));
  g_assert_true (cb_run_matches (a, "alp", "train", "dbnet"));
  g_assert_false (cb_run_matches (a, NULL, "predict", NULL));
  g_assert_false (cb_run_matches (a, "zzz", NULL, NULL));

  /* The app's history: the record of a's command is matched to a, none to b. */
  {
    g_autofree char *history_path = g_build_filename (root, "history.txt", NULL);
    g_autoptr(CbRunHistory) history = cb_run_history_new (history_path);
    const char *argv[] = { "python3", "runners/train.py", "exp_name=alpha",
                           "trainer.max_epochs=2", NULL };
    const char *other[] = { "python3", "runners/train.py", "exp_name=alpha", NULL };
    g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (cb_run_get_time (a) - 1);
    g_autoptr(CbRunRecord) started = cb_run_record_new_started ("cmd", argv, "train", start);
    g_autoptr(CbRunRecord) done = cb_run_record_new_finished (started, 30, 0, 0, FALSE);
    g_autoptr(CbRunRecord) unrelated = cb_run_record_new ("cmd", other, "train", start, 3, 1, 0);
    g_autofree char *state = NULL;
    g_autofree char *json = NULL;

    g_assert_true (cb_run_history_add (history, unrelated, NULL));
    g_assert_true (cb_run_history_add (history, done, NULL));
    cb_runs_match_history (runs, cb_run_history_get_entries (history));
    g_assert_true (cb_run_get_record (a) != NULL);
    g_assert_cmpstr (cb_run_record_get_id (cb_run_get_record (a)), ==,
                     cb_run_record_get_id (done));
    g_assert_null (cb_run_get_record (b));
    state = cb_run_describe_state (b);
    g_assert_cmpstr (state, ==, "Started elsewhere");
    json = cb_runs_to_json (runs);
    g_assert_nonnull (strstr (json, "\"state\": \"finished\", \"exit_status\": 0"));
    g_assert_nonnull (strstr (json, "\"state\": \"unknown\", \"exit_status\": null"));
  }

  /* A run whose app died before it: interrupted, never "Running". */
  {
    g_autofree char *history_path = g_build_filename (root, "history2.txt", NULL);
    g_autoptr(CbRunHistory) history = cb_run_history_new (history_path);
    g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (cb_run_get_time (a) - 1);
    g_autofree char *iso = g_date_time_format_iso8601 (start);
    g_autofree char *text = NULL;
    g_autofree char *state = NULL;
    g_autofree char *json = NULL;
    int status = 0;
    pid_t gone = fork ();

    if (gone == 0)
      _exit (0);
    g_assert_cmpint (waitpid (gone, &status, 0), ==, gone);
    text = g_strdup_printf ("[history]\nversion=1\n\n[run 0]\npage=train\n"
                            "argv=python3;runners/train.py;exp_name=alpha;trainer.max_epochs=2;\n"
                            "start=%s\nduration=0\nexit-status=-1\nsignal=0\nrunning=true\n"
                            "pid=%d\nhost=%s\n", iso, (int) gone, g_get_host_name ());
    g_assert_true (g_file_set_contents (history_path, text, -1, NULL));
    g_assert_true (cb_run_history_load (history, NULL));
    cb_runs_match_history (runs, cb_run_history_get_entries (history));
    g_assert_nonnull (cb_run_get_record (a));
    state = cb_run_describe_state (a);
    g_assert_cmpstr (state, ==, "Interrupted: Command Builder ended before the run did");
    json = cb_runs_to_json (runs);
    g_assert_nonnull (strstr (json, "\"state\": \"interrupted\""));
  }
  cb_test_remove_tree (root);
}

static void
test_demo_runs (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("CB_DATA_DIR"), "demo-project", NULL);
  g_autofree char *outputs = g_build_filename (root, "outputs", NULL);
  g_autoptr(GPtrArray) runs = cb_runs_discover (root, outputs, NULL, NULL);
  gboolean found = FALSE;

  g_assert_cmpuint (runs->len, >=, 4);
  for (guint i = 0; i < runs->len; i++)
    {
      CbRun *run = g_ptr_array_index (runs, i);

      if (g_str_equal (cb_run_get_name (run), "receipts-dbnet-fpn_decoder-resnet34"))
        {
          g_autoptr(CbMetrics) m = cb_metrics_read_run (cb_run_get_path (run), NULL);
          gsize n;

          found = TRUE;
          series (m, "val/hmean", &n);
          g_assert_cmpuint (n, ==, 20);
          series (m, "train/loss", &n);
          g_assert_cmpuint (n, >, 20);
        }
    }
  g_assert_true (found);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/metrics/lightning-rows", test_lightning_rows);
  g_test_add_func ("/metrics/nan-empty-and-bad-cells", test_nan_empty_and_bad_cells);
  g_test_add_func ("/metrics/missing-columns", test_missing_columns);
  g_test_add_func ("/metrics/quoted-header", test_quoted_header);
  g_test_add_func ("/metrics/truncated-last-row", test_truncated_last_row);
  g_test_add_func ("/metrics/restarted-steps", test_restarted_steps);
  g_test_add_func ("/metrics/header-again-and-long-line", test_header_again_and_long_line);
  g_test_add_func ("/metrics/reader-appends-and-rewrites", test_reader_appends_and_rewrites);
  g_test_add_func ("/metrics/reader-refuses-non-regular", test_reader_refuses_non_regular);
  g_test_add_func ("/metrics/million-rows", test_million_rows);
  g_test_add_func ("/metrics/json-and-text", test_json_and_text);
  g_test_add_func ("/metrics/buckets", test_buckets);
  g_test_add_func ("/runs/files-and-discovery", test_run_files_and_discovery);
  g_test_add_func ("/runs/demo", test_demo_runs);

  return g_test_run ();
}
