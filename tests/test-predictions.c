/* test-predictions.c: the Predictions window (issue 16): the demo's submission shown on its
 * images with the right polygons, the confidence filter, a missing image told, the CSV
 * exported and never replaced without asking, and after the demo's Predict run its new
 * submission preselected
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
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "cb-page.h"
#include "cb-prediction-canvas.h"
#include "cb-predictions-view.h"
#include "cb-terminal-pane.h"
#include "cb-widget-util.h"
#include "cb-window.h"
#include "cb/cb-submission.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"

#define TIMEOUT_MS 30000

typedef struct
{
  CbTestProject      p;
  CbWindow          *window;
  CbPredictionsView *view;
} Fixture;

static gboolean
page_built (gpointer data)
{
  return cb_page_is_built (cb_window_get_page (data, "train"));
}

static gboolean
view_ready (gpointer data)
{
  return !cb_predictions_view_get_busy (data) && cb_predictions_view_get_submission (data) != NULL
         && !cb_predictions_view_get_decoding (data);
}

static void
fixture_open (Fixture *f)
{
  cb_test_project_open (&f->p, "test-predictions", 900, 700);
  f->window = cb_test_project_new_window (&f->p);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (cb_test_spin_until (cb_test_cache_loaded, f->p.cache, TIMEOUT_MS));
  g_assert_true (cb_test_spin_until (page_built, f->window, TIMEOUT_MS));
  cb_window_build_all_pages (f->window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-predictions", NULL));
  f->view = CB_PREDICTIONS_VIEW (cb_window_get_predictions_view (f->window));
  g_assert_nonnull (f->view);
  g_assert_true (cb_test_spin_until (view_ready, f->view, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->view));
}

static void
fixture_close (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f->window)));
  cb_test_spin_pending ();
  cb_test_project_close (&f->p);
}

static guint
n_at_least (const CbSubmissionImage *image,
            double                   min)
{
  guint n = 0;

  for (guint p = 0; p < image->n_polygons; p++)
    n += isnan (image->polygons[p].confidence) || image->polygons[p].confidence >= min;
  return n;
}

static void
test_viewer (void)
{
  Fixture f = { 0 };
  CbSubmission *submission;
  CbPredictionCanvas *canvas;

  fixture_open (&f);
  canvas = cb_predictions_view_get_canvas (f.view);

  /* The demo's submission, its four images found through the run's config. */
  g_assert_cmpuint (cb_predictions_view_get_n_submissions (f.view), ==, 1);
  g_assert_true (g_str_has_suffix (cb_predictions_view_get_submission_path (f.view),
                                   "outputs/ocr_prediction/submissions/20251118_142233.json"));
  submission = cb_predictions_view_get_submission (f.view);
  g_assert_cmpuint (cb_submission_get_n_images (submission), ==, 4);
  g_assert_cmpuint (cb_predictions_view_get_image_index (f.view), ==, 0);
  g_assert_nonnull (cb_prediction_canvas_get_texture (canvas));
  g_assert_null (cb_predictions_view_get_note (f.view));
  g_assert_cmpuint (cb_prediction_canvas_get_n_shown (canvas), ==,
                    cb_submission_get_image (submission, 0)->n_polygons);
  g_assert_cmpuint (cb_prediction_canvas_get_n_shown (canvas), >, 10);

  /* Each image its own polygons. */
  for (guint i = 1; i < 4; i++)
    {
      cb_predictions_view_select_image (f.view, i);
      g_assert_true (cb_test_spin_until (view_ready, f.view, TIMEOUT_MS));
      g_assert_cmpuint (cb_predictions_view_get_image_index (f.view), ==, i);
      g_assert_cmpuint (cb_prediction_canvas_get_n_shown (canvas), ==,
                        cb_submission_get_image (submission, i)->n_polygons);
      g_assert_nonnull (cb_prediction_canvas_get_texture (canvas));
    }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.view));

  /* The confidence filter. */
  cb_predictions_view_set_min_confidence (f.view, 0.95);
  g_assert_cmpuint (cb_prediction_canvas_get_n_shown (canvas), ==,
                    n_at_least (cb_submission_get_image (submission, 3), 0.95));
  g_assert_cmpuint (cb_prediction_canvas_get_n_shown (canvas), <,
                    cb_submission_get_image (submission, 3)->n_polygons);
  cb_predictions_view_set_min_confidence (f.view, 0);

  /* Zoom: fit, 100 %, in. */
  g_assert_true (cb_prediction_canvas_get_fit (canvas));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.view), "predictions.zoom-actual", NULL));
  g_assert_false (cb_prediction_canvas_get_fit (canvas));
  g_assert_cmpfloat (cb_prediction_canvas_get_zoom (canvas), ==, 1.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.view), "predictions.zoom-in", NULL));
  g_assert_cmpfloat (cb_prediction_canvas_get_zoom (canvas), ==, 1.25);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.view), "predictions.zoom-fit", NULL));
  g_assert_true (cb_prediction_canvas_get_fit (canvas));

  /* Previous and next with the keyboard's actions. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.view), "predictions.previous", NULL));
  g_assert_cmpuint (cb_predictions_view_get_image_index (f.view), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.view), "predictions.next", NULL));
  g_assert_cmpuint (cb_predictions_view_get_image_index (f.view), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.view), "predictions.next", NULL));
  g_assert_cmpuint (cb_predictions_view_get_image_index (f.view), ==, 3);

  /* A submission whose images are not here: the boxes on a blank page, and a note. */
  {
    g_autofree char *json = g_build_filename (f.p.copy, "elsewhere.json", NULL);

    g_assert_true (g_file_set_contents (json, "{\"images\": {\"gone.jpg\": {\"words\": {\"1\": "
                                        "{\"points\": [[1, 2], [30, 2], [30, 20], [1, 20]]}}}}}",
                                        -1, NULL));
    cb_predictions_view_open_file (f.view, json);
    g_assert_true (cb_test_spin_until (view_ready, f.view, TIMEOUT_MS));
    g_assert_cmpstr (cb_predictions_view_get_submission_path (f.view), ==, json);
    g_assert_cmpuint (cb_prediction_canvas_get_n_shown (canvas), ==, 1);
    g_assert_null (cb_prediction_canvas_get_texture (canvas));
    g_assert_nonnull (cb_predictions_view_get_note (f.view));
    g_assert_nonnull (strstr (cb_predictions_view_get_note (f.view), "gone.jpg"));
    gtk_test_widget_wait_for_draw (GTK_WIDGET (f.view));
  }

  /* An image that is there but does not decode: said so, with the decoder's reason. */
  {
    g_autofree char *folder = g_build_filename (f.p.copy, "data", "datasets", "receipts",
                                                "images", "test", NULL);
    g_autofree char *broken = g_build_filename (folder, "broken.png", NULL);
    g_autofree char *json = g_build_filename (f.p.copy, "outputs", "ocr_prediction",
                                              "submissions", "broken.json", NULL);

    g_assert_true (g_file_set_contents (broken, "\x89PNG\r\n\x1a\nnot a picture", -1, NULL));
    g_assert_true (g_file_set_contents (json, "{\"images\": {\"broken.png\": {\"words\": "
                                        "{\"1\": {\"points\": [[1, 2], [30, 2], [30, 20]]}}}}}",
                                        -1, NULL));
    cb_predictions_view_open_file (f.view, json);
    g_assert_true (cb_test_spin_until (view_ready, f.view, TIMEOUT_MS));
    g_assert_null (cb_prediction_canvas_get_texture (canvas));
    g_assert_cmpuint (cb_prediction_canvas_get_n_shown (canvas), ==, 1);
    g_assert_nonnull (cb_predictions_view_get_note (f.view));
    g_assert_true (g_str_has_prefix (cb_predictions_view_get_note (f.view),
                                     "broken.png could not be read ("));
  }

  /* A FIFO named like a picture: refused without blocking the decoder. */
  {
    g_autofree char *folder = g_build_filename (f.p.copy, "data", "datasets", "receipts",
                                                "images", "test", NULL);
    g_autofree char *fifo = g_build_filename (folder, "fifo.png", NULL);
    g_autofree char *json = g_build_filename (f.p.copy, "outputs", "ocr_prediction",
                                              "submissions", "fifo.json", NULL);

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    g_assert_true (g_file_set_contents (json, "{\"images\": {\"fifo.png\": {\"words\": {}}}}",
                                        -1, NULL));
    cb_predictions_view_open_file (f.view, json);
    g_assert_true (cb_test_spin_until (view_ready, f.view, TIMEOUT_MS));
    g_assert_cmpstr (cb_predictions_view_get_note (f.view), ==,
                     "fifo.png could not be read (not a regular file): its boxes are drawn on a "
                     "blank page.");
  }

  fixture_close (&f);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

typedef struct
{
  const char *path;
  const char *text;
} FileWait;

static gboolean
file_holds (gpointer data)
{
  FileWait *w = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (w->path, &text, NULL, NULL) && g_str_equal (text, w->text);
}

static gboolean
dialog_shown (gpointer view)
{
  return cb_predictions_view_get_replace_dialog (view) != NULL;
}

static void
test_export (void)
{
  Fixture f = { 0 };
  g_autofree char *csv = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *with_confidence = NULL;
  GtkWidget *dialog;
  FileWait wait;

  fixture_open (&f);
  csv = g_build_filename (f.p.copy, "submission.csv", NULL);
  expected = cb_submission_to_csv (cb_predictions_view_get_submission (f.view), FALSE, NULL);
  with_confidence = cb_submission_to_csv (cb_predictions_view_get_submission (f.view), TRUE, NULL);
  g_assert_true (g_str_has_prefix (expected, "filename,polygons\nreceipt_test_0001.png,"));

  /* Written, and the toast says how much. */
  cb_predictions_view_export_to (f.view, csv, FALSE);
  g_assert_null (cb_predictions_view_get_replace_dialog (f.view));
  wait = (FileWait) { csv, expected };
  g_assert_true (cb_test_spin_until (file_holds, &wait, TIMEOUT_MS));
  /* The toast comes after the file, from the worker's result on the main loop: waited for,
   * not a fixed 100 ms. */
  cb_test_wait_for_toast (GTK_WIDGET (f.view), "Wrote submission.csv: 4 rows, ", TIMEOUT_MS);

  /* There already: asked first; Cancel leaves it. */
  cb_predictions_view_export_to (f.view, csv, TRUE);
  g_assert_true (cb_test_spin_until (dialog_shown, f.view, TIMEOUT_MS));
  dialog = cb_predictions_view_get_replace_dialog (f.view);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Replace “submission.csv”?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cb_test_spin_for (300);
  g_assert_true (file_holds (&wait));

  /* Replace writes it, with the confidence asked for. */
  cb_predictions_view_export_to (f.view, csv, TRUE);
  g_assert_true (cb_test_spin_until (dialog_shown, f.view, TIMEOUT_MS));
  dialog = cb_predictions_view_get_replace_dialog (f.view);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "replace");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait = (FileWait) { csv, with_confidence };
  g_assert_true (cb_test_spin_until (file_holds, &wait, TIMEOUT_MS));
  g_assert_true (g_str_has_prefix (with_confidence, "filename,polygons,avg_confidence\n"));
  g_assert_true (file_exists (csv));

  fixture_close (&f);
}

typedef struct
{
  CbPredictionsView *view;
  char              *old;
} NewWait;

static gboolean
new_submission_shown (gpointer data)
{
  NewWait *w = data;
  const char *path = cb_predictions_view_get_submission_path (w->view);

  return path != NULL && g_strcmp0 (path, w->old) != 0 && view_ready (w->view);
}

/* After the demo's Predict run, the open window shows its new submission. */
static void
test_after_predict_run (void)
{
  Fixture f = { 0 };
  CbTerminalPane *pane;
  CbForm *form;
  NewWait wait;
  g_autofree char *dir = NULL;

  g_setenv ("CB_DEMO_FAST", "1", TRUE);
  fixture_open (&f);
  wait.view = f.view;
  wait.old = g_strdup (cb_predictions_view_get_submission_path (f.view));

  cb_window_set_visible_page (f.window, "predict");
  form = cb_page_get_form (cb_window_get_page (f.window, "predict"));
  g_assert_true (cb_form_set_value_from_string (
    form, "checkpoint_path",
    "outputs/receipts-dbnet-fpn_decoder-resnet34/checkpoints/best-hmean-0.8920.ckpt", NULL));
  cb_form_use_checkpoint_settings (form);
  g_assert_true (cb_form_set_value_from_string (form, "include_confidence", "true", NULL));
  pane = cb_window_get_terminal_pane (f.window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  g_assert_true (cb_test_spin_until (cb_test_pane_started, pane, TIMEOUT_MS));
  g_assert_true (cb_test_spin_until (cb_test_pane_idle, pane, 60000));

  g_assert_true (cb_test_spin_until (new_submission_shown, &wait, TIMEOUT_MS));
  g_assert_cmpuint (cb_predictions_view_get_n_submissions (f.view), ==, 2);
  dir = g_path_get_dirname (cb_predictions_view_get_submission_path (f.view));
  g_assert_true (g_str_has_suffix (dir, "/submissions"));
  g_assert_cmpuint (cb_submission_get_n_images (cb_predictions_view_get_submission (f.view)), ==, 4);
  g_assert_true (cb_submission_has_confidence (cb_predictions_view_get_submission (f.view)));
  g_assert_nonnull (cb_prediction_canvas_get_texture (cb_predictions_view_get_canvas (f.view)));

  g_free (wait.old);
  fixture_close (&f);
  g_unsetenv ("CB_DEMO_FAST");
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *n)
{
  (*n)++;
}

/* Every label with a tooltip under @widget: count its tooltip's changes in @n (@follow), or
 * no longer. */
static guint
follow_tooltips (GtkWidget *widget,
                 guint     *n,
                 gboolean   follow)
{
  guint n_followed = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && cb_widget_get_list_tooltip (child) != NULL)
        {
          /* Kept for GTK to ask when it shows it, never set in GTK: no round trip per bind. */
          g_assert_null (gtk_widget_get_tooltip_text (child));
          g_assert_true (gtk_widget_get_has_tooltip (child));
          g_assert_cmpstr (cb_widget_get_list_tooltip (child), ==,
                           gtk_label_get_text (GTK_LABEL (child)));
          if (follow)
            g_signal_connect (child, "notify::tooltip-text", G_CALLBACK (count_cb), n);
          else
            g_signal_handlers_disconnect_by_data (child, n);
          n_followed++;
        }
      n_followed += follow_tooltips (child, n, follow);
    }
  return n_followed;
}

/* An image switch leaves the image list's tooltips alone: the list binds its rows again on
 * a switch and on every scroll, and GTK 4.8 asks the X server where the pointer is after every
 * tooltip set, even to the same text (a round trip per row, the larger part of a switch's own
 * time): the rows keep their text for GTK to ask for when it shows the tooltip. */
static void
test_switch_keeps_tooltips (void)
{
  Fixture f = { 0 };
  guint n_changes = 0;
  GtkWidget *label;

  fixture_open (&f);
  g_assert_cmpuint (follow_tooltips (GTK_WIDGET (f.view), &n_changes, TRUE), >=, 4);
  for (guint i = 1; i < 4; i++)
    {
      cb_predictions_view_select_image (f.view, i);
      g_assert_true (cb_test_spin_until (view_ready, f.view, TIMEOUT_MS));
      gtk_test_widget_wait_for_draw (GTK_WIDGET (f.view));
    }
  g_assert_cmpuint (n_changes, ==, 0);
  g_assert_cmpuint (follow_tooltips (GTK_WIDGET (f.view), &n_changes, FALSE), >=, 4);
  fixture_close (&f);

  /* The list rows' helper: the text kept, GTK given it when it asks. */
  label = g_object_ref_sink (gtk_label_new ("x"));
  g_signal_connect (label, "notify::tooltip-text", G_CALLBACK (count_cb), &n_changes);
  g_assert_false (gtk_widget_get_has_tooltip (label));
  cb_widget_set_list_tooltip (label, "a long file name.png");
  g_assert_true (gtk_widget_get_has_tooltip (label));
  g_assert_cmpstr (cb_widget_get_list_tooltip (label), ==, "a long file name.png");
  {
    g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
    gboolean shown = FALSE;

    g_signal_emit_by_name (label, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
    g_assert_true (shown);
    cb_widget_set_list_tooltip (label, "");
    g_assert_false (gtk_widget_get_has_tooltip (label));
    g_assert_null (cb_widget_get_list_tooltip (label));
    shown = TRUE;
    g_signal_emit_by_name (label, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
    g_assert_false (shown);
  }
  g_assert_cmpuint (n_changes, ==, 0);
  g_object_unref (label);
  n_changes = 0;

  /* The helper itself: set only on a change; "" is none, as in GTK. */
  label = g_object_ref_sink (gtk_label_new ("x"));
  g_signal_connect (label, "notify::tooltip-text", G_CALLBACK (count_cb), &n_changes);
  cb_widget_set_tooltip_text (label, "a");
  cb_widget_set_tooltip_text (label, "a");
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (label), ==, "a");
  cb_widget_set_tooltip_text (label, "");
  g_assert_cmpuint (n_changes, ==, 2);
  g_assert_null (gtk_widget_get_tooltip_text (label));
  cb_widget_set_tooltip_text (label, NULL);
  g_assert_cmpuint (n_changes, ==, 2);
  g_object_unref (label);
}

/* An open window that shows a submission runs no frames: the loading page's spinner spins
 * only while that page is shown (it used to spin, hidden, for as long as the window was
 * open, a frame every 16 ms, and every image switch waited for the next of them). */
static void
test_idle (void)
{
  Fixture f = { 0 };

  fixture_open (&f);
  cb_test_assert_idle_with_spinner (GTK_WIDGET (f.view));
  cb_test_wait_quiet (GTK_WIDGET (f.window), 300, 5000);
  g_assert_cmpuint (cb_test_count_frames (GTK_WIDGET (f.window), 500), <=, 5);
  fixture_close (&f);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = NULL;
  int ret;

  g_setenv ("GDK_BACKEND", "x11", TRUE);
  state_dir = cb_test_gui_init (&argc, &argv, "test-predictions");

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs an X display");
      return 77;
    }

  g_test_add_func ("/predictions/viewer", test_viewer);
  g_test_add_func ("/predictions/export", test_export);
  g_test_add_func ("/predictions/after-predict-run", test_after_predict_run);
  g_test_add_func ("/predictions/idle", test_idle);
  g_test_add_func ("/predictions/switch-keeps-tooltips", test_switch_keeps_tooltips);

  ret = g_test_run ();
  cb_test_remove_tree (state_dir);
  return ret;
}
