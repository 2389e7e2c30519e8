/* test-sweep-window.c: the Sweep toggle of a field row, its values, and the preview's count
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cb-command-view.h"
#include "cb-page.h"
#include "cb-window.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"

#define TIMEOUT_MS 30000

static gboolean
page_built (gpointer data)
{
  return cb_page_is_built (cb_window_get_page (data, "train"));
}

static GtkWidget *
find_visible (GtkWidget *root,
              GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_visible (child, type)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_toggle_and_count (void)
{
  CbTestProject p = { 0 };
  CbWindow *window;
  CbPage *page;
  CbForm *form;
  GtkWidget *row, *toggle, *entry, *scale, *summary;
  const char *text;

  cb_test_project_open (&p, "test-sweep-window", 800, 700);
  window = cb_test_project_new_window (&p);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (cb_test_spin_until (cb_test_cache_loaded, p.cache, TIMEOUT_MS));
  cb_window_set_visible_page (window, "train");
  g_assert_true (cb_test_spin_until (page_built, window, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  page = cb_window_get_page (window, "train");
  form = cb_page_get_form (page);

  row = cb_test_find_named (GTK_WIDGET (page), "learning_rate");
  g_assert_nonnull (row);
  toggle = cb_test_find_named (row, "sweep-toggle");
  g_assert_nonnull (toggle);
  scale = find_visible (row, GTK_TYPE_SCALE);
  g_assert_nonnull (scale);
  summary = cb_test_find_by_class (GTK_WIDGET (cb_window_get_command_view (window)), "cb-sweep-summary");
  g_assert_nonnull (summary);
  g_assert_false (gtk_widget_get_visible (summary));

  /* On: the slider gives way to an entry that starts from the value. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  g_assert_false (gtk_widget_get_visible (scale));
  entry = find_visible (row, GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "0.001");

  gtk_editable_set_text (GTK_EDITABLE (entry), "1e-4, 3e-4, 1e-3");
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_form_get_n_runs (form), ==, 3);
  g_assert_true (gtk_widget_get_visible (summary));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (summary)), ==,
                   "Sweep: 3 runs (Learning Rate × 3)");
  text = cb_command_view_get_text (cb_window_get_command_view (window));
  g_assert_nonnull (strstr (text, "runners/train.py -m "));
  g_assert_nonnull (strstr (text, "model.optimizer.lr=0.0001,0.0003,0.001"));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (cb_command_view_get_run_button (
                   cb_window_get_command_view (window)))));

  /* A typo is the row's error: Run waits. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "1e-4, oops");
  cb_test_spin_pending ();
  g_assert_false (cb_form_is_valid (form));
  g_assert_true (gtk_widget_has_css_class (row, "cb-invalid") ||
                 cb_test_find_by_class (row, "error") != NULL);

  /* Off: the slider is back, one run. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  cb_test_spin_pending ();
  g_assert_true (gtk_widget_get_visible (scale));
  g_assert_null (cb_form_get_sweep (form, "learning_rate"));
  g_assert_cmpuint (cb_form_get_n_runs (form), ==, 1);
  g_assert_false (gtk_widget_get_visible (summary));
  text = cb_command_view_get_text (cb_window_get_command_view (window));
  g_assert_null (strstr (text, " -m "));

  /* A sweep set elsewhere (restored, loaded) turns the toggle on. */
  g_assert_true (cb_form_set_sweep (form, "batch_size", "2, 4", NULL));
  cb_test_spin_pending ();
  row = cb_test_find_named (GTK_WIDGET (page), "batch_size");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (cb_test_find_named (row,
                                                                              "sweep-toggle"))));
  entry = find_visible (row, GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "2, 4");

  gtk_window_destroy (GTK_WINDOW (window));
  cb_test_spin_pending ();
  cb_test_project_close (&p);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = cb_test_gui_init (&argc, &argv, "test-sweep-window");
  int ret;

  g_test_add_func ("/sweep-window/toggle-and-count", test_toggle_and_count);

  ret = g_test_run ();
  cb_test_remove_tree (state_dir);
  return ret;
}
