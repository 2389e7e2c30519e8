/* test-runs.c: the Runs window (issue 17): the demo's runs listed, their curves drawn, a
 * checkpoint mark leading to the Test page, runs compared, and a curve growing while the
 * demo trains
 *
 * Runs under xvfb-run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <gdk/x11/gdkx.h>
#include <string.h>

#include "cb-metrics-plot.h"
#include "cb-page.h"
#include "cb-runs-view.h"
#include "cb-terminal-pane.h"
#include "cb-window.h"
#include "cb/cb-run.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"

#define TIMEOUT_MS 30000
#define RECEIPTS "receipts-dbnet-fpn_decoder-resnet34"

typedef struct
{
  CbTestProject  p;
  CbWindow      *window;
  CbRunsView    *view;
} Fixture;

static gboolean
page_built (gpointer data)
{
  return cb_page_is_built (cb_window_get_page (data, "train"));
}

static gboolean
view_loaded (gpointer data)
{
  return !cb_runs_view_get_loading (data)
         && g_list_model_get_n_items (cb_runs_view_get_runs (data)) > 0;
}

static void
fixture_open (Fixture *f)
{
  cb_test_project_open (&f->p, "test-runs", 900, 700);
  f->window = cb_test_project_new_window (&f->p);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (cb_test_spin_until (cb_test_cache_loaded, f->p.cache, TIMEOUT_MS));
  g_assert_true (cb_test_spin_until (page_built, f->window, TIMEOUT_MS));
  cb_window_build_all_pages (f->window);

  g_assert_null (cb_window_get_runs_view (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-runs", NULL));
  f->view = CB_RUNS_VIEW (cb_window_get_runs_view (f->window));
  g_assert_nonnull (f->view);
  g_assert_true (cb_test_spin_until (view_loaded, f->view, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->view));
}

static void
fixture_close (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f->window)));
  cb_test_spin_pending ();
  cb_test_project_close (&f->p);
}

typedef struct
{
  CbRunsView *view;
  const char *metric;
  gsize       n_points;
} PlotWait;

static gboolean
plot_has_points (gpointer data)
{
  PlotWait *w = data;
  CbMetricsPlot *plot = cb_runs_view_get_plot (w->view, w->metric);

  return plot != NULL && cb_metrics_plot_get_n_points (plot) >= w->n_points;
}

static gboolean
train_is_craft (gpointer form)
{
  GVariant *value = cb_form_get_value (form, "architecture");

  return value != NULL && g_str_equal (g_variant_get_string (value, NULL), "craft");
}

static gboolean
has_run (CbRunsView *view,
         const char *name)
{
  GListModel *runs = cb_runs_view_get_runs (view);

  for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
    {
      g_autoptr(CbRun) run = g_list_model_get_item (runs, i);

      if (g_str_equal (cb_run_get_name (run), name))
        return TRUE;
    }
  return FALSE;
}

static void
test_list_and_curves (void)
{
  Fixture f = { 0 };
  PlotWait hmean = { NULL, "val/hmean", 20 };
  PlotWait loss = { NULL, "train/loss", 21 };
  CbMetricsPlot *plot;
  GtkWidget *popover;
  g_autofree char *best = NULL;
  GVariant *value;
  CbPage *test_page;
  int best_mark = -1;

  fixture_open (&f);
  hmean.view = loss.view = f.view;

  /* Every run folder of the demo, train and predict alike. */
  g_assert_cmpuint (g_list_model_get_n_items (cb_runs_view_get_runs (f.view)), ==, 4);
  g_assert_true (has_run (f.view, RECEIPTS));
  g_assert_true (has_run (f.view, "ocr_prediction"));
  g_assert_true (has_run (f.view, "3"));

  /* Search by experiment, architecture or encoder. */
  cb_runs_view_set_search (f.view, "craft");
  g_assert_cmpuint (g_list_model_get_n_items (cb_runs_view_get_runs (f.view)), ==, 1);
  g_assert_true (has_run (f.view, "3"));
  cb_runs_view_set_search (f.view, "resnet34");
  g_assert_cmpuint (g_list_model_get_n_items (cb_runs_view_get_runs (f.view)), ==, 2);
  cb_runs_view_set_search (f.view, "");

  /* One run: its loss and hmean, drawn from its metrics.csv. */
  g_assert_true (cb_runs_view_select (f.view, RECEIPTS));
  g_assert_true (cb_test_spin_until (plot_has_points, &hmean, TIMEOUT_MS));
  g_assert_true (cb_test_spin_until (plot_has_points, &loss, TIMEOUT_MS));
  plot = cb_runs_view_get_plot (f.view, "val/hmean");
  g_assert_cmpuint (cb_metrics_plot_get_n_points (plot), ==, 20);
  g_assert_null (cb_runs_view_get_plot (f.view, "val/recall"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.view));

  /* Another metric on request. */
  cb_runs_view_show_metric (f.view, "val/recall", TRUE);
  g_assert_nonnull (cb_runs_view_get_plot (f.view, "val/recall"));
  g_assert_cmpuint (cb_metrics_plot_get_n_points (cb_runs_view_get_plot (f.view, "val/recall")), ==, 20);

  /* Its checkpoints are marked where they were saved; the best one's mark leads to Test. */
  plot = cb_runs_view_get_plot (f.view, "val/hmean");
  g_assert_cmpuint (cb_metrics_plot_get_n_marks (plot), ==, 3);
  for (guint i = 0; i < cb_metrics_plot_get_n_marks (plot); i++)
    if (g_str_has_suffix (cb_metrics_plot_get_mark_path (plot, i), "best-hmean-0.8920.ckpt"))
      best_mark = (int) i;
  g_assert_cmpint (best_mark, >=, 0);
  best = g_strdup (cb_metrics_plot_get_mark_path (plot, (guint) best_mark));
  g_assert_cmpstr (best, ==, "outputs/" RECEIPTS "/checkpoints/best-hmean-0.8920.ckpt");

  cb_metrics_plot_activate_mark (plot, (guint) best_mark);
  popover = cb_runs_view_get_mark_popover (f.view);
  g_assert_nonnull (popover);
  cb_test_spin_for (100);
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_true (gtk_widget_activate_action_variant (popover, "runs.use-checkpoint",
                                                     g_variant_new ("(ss)", "test", best)));
  cb_test_spin_pending ();

  test_page = cb_window_get_page (f.window, "test");
  g_assert_true (cb_window_get_visible_page (f.window) == test_page);
  value = cb_form_get_value (cb_page_get_form (test_page), "checkpoint_path");
  g_assert_nonnull (value);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, best);
  {
    g_autofree char *toast = cb_test_toast_title (GTK_WIDGET (f.window));

    /* the model fields follow the checkpoint's run */
    g_assert_true (g_str_has_prefix (toast, "Filled in from the run “" RECEIPTS "”: "
                                            "Architecture dbnet, Backbone (Encoder) resnet34"));
  }

  /* Use Settings: the run's overrides into the page of its runner, as a paste. */
  g_assert_true (cb_runs_view_select (f.view, "3"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.view), "runs.use-settings", NULL));
  {
    CbPage *train = cb_window_get_page (f.window, "train");
    CbForm *form = cb_page_get_form (train);

    g_assert_true (cb_test_spin_until (train_is_craft, form, TIMEOUT_MS));
    g_assert_true (cb_window_get_visible_page (f.window) == train);
  }

  /* Two runs: one metric of each, overlaid. */
  {
    const char *two[] = { RECEIPTS, "3", NULL };
    PlotWait both = { f.view, "val/hmean", 33 };

    g_assert_true (cb_runs_view_select_several (f.view, two));
    g_assert_true (cb_test_spin_until (plot_has_points, &both, TIMEOUT_MS));
    g_assert_cmpuint (cb_metrics_plot_get_n_points (cb_runs_view_get_plot (f.view, "val/hmean")),
                      ==, 33);
    /* marks belong to one run only */
    g_assert_cmpuint (cb_metrics_plot_get_n_marks (cb_runs_view_get_plot (f.view, "val/hmean")),
                      ==, 0);
    gtk_test_widget_wait_for_draw (GTK_WIDGET (f.view));
  }

  /* A run without metrics says so. */
  g_assert_true (cb_runs_view_select (f.view, "ocr_prediction"));
  cb_test_spin_for (300);
  g_assert_null (cb_runs_view_get_plot (f.view, "val/hmean"));

  fixture_close (&f);
}

typedef struct
{
  CbRunsView *view;
  const char *prefix;
  char       *name;
} RunWait;

/* The run folder is exp_name with the model appended (the page's "append suffix"). */
static gboolean
run_listed (gpointer data)
{
  RunWait *w = data;
  GListModel *runs = cb_runs_view_get_runs (w->view);

  for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
    {
      g_autoptr(CbRun) run = g_list_model_get_item (runs, i);

      if (g_str_has_prefix (cb_run_get_name (run), w->prefix))
        {
          g_free (w->name);
          w->name = g_strdup (cb_run_get_name (run));
          return TRUE;
        }
    }
  return FALSE;
}

/* During a demo training run, its curve grows in the open Runs window. */
static void
test_live_curve (void)
{
  Fixture f = { 0 };
  RunWait listed = { NULL, "live-curve", NULL };
  PlotWait first = { NULL, "train/loss", 1 };
  PlotWait more = { NULL, "train/loss", 0 };
  CbTerminalPane *pane;
  CbForm *form;
  gsize seen;

  g_setenv ("CB_DEMO_SECONDS", "12", TRUE);
  fixture_open (&f);
  listed.view = first.view = more.view = f.view;
  cb_runs_view_set_poll_interval (f.view, 100);

  cb_window_set_visible_page (f.window, "train");
  form = cb_page_get_form (cb_window_get_page (f.window, "train"));
  g_assert_true (cb_form_set_value_from_string (form, "exp_name", "live-curve", NULL));
  g_assert_true (cb_form_set_value_from_string (form, "max_epochs", "4", NULL));
  pane = cb_window_get_terminal_pane (f.window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  g_assert_true (cb_test_spin_until (cb_test_pane_started, pane, TIMEOUT_MS));

  /* The folder appears by itself, before the run's first checkpoint. */
  g_assert_true (cb_test_spin_until (run_listed, &listed, TIMEOUT_MS));
  g_assert_true (cb_terminal_pane_get_running (pane));
  {
    GListModel *runs = cb_runs_view_get_runs (f.view);

    for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
      {
        g_autoptr(CbRun) run = g_list_model_get_item (runs, i);

        /* known as this app's run, and running */
        if (g_str_equal (cb_run_get_name (run), listed.name))
          g_assert_true (cb_run_get_record (run) != NULL
                         && cb_run_record_get_running (cb_run_get_record (run)));
      }
  }
  g_assert_true (cb_runs_view_select (f.view, listed.name));
  g_free (listed.name);
  g_assert_true (cb_test_spin_until (plot_has_points, &first, TIMEOUT_MS));
  seen = cb_metrics_plot_get_n_points (cb_runs_view_get_plot (f.view, "train/loss"));
  g_assert_true (cb_terminal_pane_get_running (pane));

  /* …and grows while the run writes, without anything else being done. */
  more.n_points = seen + 1;
  g_assert_true (cb_test_spin_until (plot_has_points, &more, TIMEOUT_MS));
  g_test_message ("train/loss: %" G_GSIZE_FORMAT " points, then %" G_GSIZE_FORMAT, seen,
                  cb_metrics_plot_get_n_points (cb_runs_view_get_plot (f.view, "train/loss")));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.view));

  g_assert_true (cb_test_spin_until (cb_test_pane_idle, pane, 60000));
  fixture_close (&f);
  g_unsetenv ("CB_DEMO_SECONDS");
}

/* A series whose values differ by a bit or two (a learning rate with rounding noise), one
 * constant, one of a single point: each drawn, the ticks counted, nothing loops. */
static void
test_plot_flat_series (void)
{
  static const char * const files[] = {
    "step,lr\n1,0.001\n2,0.0010000000000000002\n3,0.001\n",
    "step,lr\n1,5\n2,5\n3,5\n",
    "step,lr\n7,1e300\n",
    "step,lr\n0,-0\n1,0\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      CbMetricsReader *reader = cb_metrics_reader_new ("metrics.csv");
      g_autoptr(CbMetrics) metrics = cb_metrics_new ();
      g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (g_object_unref);
      GtkWidget *window = gtk_window_new ();
      GtkWidget *plot = cb_metrics_plot_new ("lr");

      cb_metrics_reader_feed (reader, files[i], strlen (files[i]), metrics);
      cb_metrics_reader_finish (reader, metrics);
      cb_metrics_reader_free (reader);
      g_ptr_array_add (segments, g_object_ref (metrics));
      cb_metrics_plot_add_run (CB_METRICS_PLOT (plot), "run", segments, 0);
      cb_metrics_plot_set_x_epoch (CB_METRICS_PLOT (plot), FALSE);
      gtk_window_set_child (GTK_WINDOW (window), plot);
      gtk_window_set_default_size (GTK_WINDOW (window), 500, 300);
      gtk_window_present (GTK_WINDOW (window));
      gtk_test_widget_wait_for_draw (plot);
      g_assert_cmpuint (cb_metrics_plot_get_n_points (CB_METRICS_PLOT (plot)), >, 0);
      gtk_window_destroy (GTK_WINDOW (window));
      cb_test_spin_pending ();
    }
}

/* An open Runs window whose list is loaded runs no frames: the spinner of the list's loading
 * page spins only while that page is shown. */
static void
test_idle (void)
{
  Fixture f = { 0 };

  fixture_open (&f);
  cb_test_assert_idle_with_spinner (GTK_WIDGET (f.view));
  fixture_close (&f);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = NULL;
  int ret;

  g_setenv ("GDK_BACKEND", "x11", TRUE);
  state_dir = cb_test_gui_init (&argc, &argv, "test-runs");

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs an X display");
      return 77;
    }

  g_test_add_func ("/runs/list-and-curves", test_list_and_curves);
  g_test_add_func ("/runs/live-curve", test_live_curve);
  g_test_add_func ("/runs/plot/flat-series", test_plot_flat_series);
  g_test_add_func ("/runs/idle", test_idle);

  ret = g_test_run ();
  cb_test_remove_tree (state_dir);
  return ret;
}
