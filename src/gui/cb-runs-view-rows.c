/* cb-runs-view-rows.c: the Runs window's list rows: a run's title, what it trained (page,
 * architecture, encoder, decoder) and how long ago, its best metric and how it ended
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cb-runs-view-private.h"
#include "cb/cb-run-history.h"
#include "cb-widget-util.h"

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *best = gtk_label_new (NULL);
  GtkWidget *state = gtk_label_new (NULL);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_widget_set_margin_start (grid, 6);
  gtk_widget_set_margin_end (grid, 6);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (best), 1);
  gtk_widget_add_css_class (best, "numeric");
  gtk_label_set_xalign (GTK_LABEL (state), 1);
  gtk_widget_add_css_class (state, "caption");

  gtk_grid_attach (GTK_GRID (grid), title, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), best, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), subtitle, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), state, 1, 1, 1, 1);
  gtk_list_item_set_child (item, grid);
}

static char *
describe_model (CbRun *run)
{
  const CbRunInfo *info = cb_run_get_info (run);
  GString *out = g_string_new (NULL);

  if (info->architecture != NULL)
    g_string_append (out, info->architecture);
  if (info->encoder != NULL)
    g_string_append_printf (out, "%s%s", out->len > 0 ? " · " : "", info->encoder);
  if (info->decoder != NULL)
    g_string_append_printf (out, "%s%s", out->len > 0 ? " · " : "", info->decoder);
  return g_string_free (out, FALSE);
}

static const char *
page_label (const char *page)
{
  if (g_strcmp0 (page, "train") == 0)
    return _("Train");
  if (g_strcmp0 (page, "test") == 0)
    return _("Test");
  if (g_strcmp0 (page, "predict") == 0)
    return _("Predict");
  return _("Unknown page");
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  CbRun *run = gtk_list_item_get_item (item);
  GtkWidget *grid = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_grid_get_child_at (GTK_GRID (grid), 0, 0);
  GtkWidget *best = gtk_grid_get_child_at (GTK_GRID (grid), 1, 0);
  GtkWidget *subtitle = gtk_grid_get_child_at (GTK_GRID (grid), 0, 1);
  GtkWidget *state = gtk_grid_get_child_at (GTK_GRID (grid), 1, 1);
  g_autofree char *best_text = cb_run_describe_best (run);
  g_autofree char *model = describe_model (run);
  g_autofree char *age = cb_format_age (g_get_real_time () / G_USEC_PER_SEC
                                        - cb_run_get_time (run));
  g_autofree char *sub = NULL;
  CbRunRecord *record = cb_run_get_record (run);
  const char *state_text = NULL;

  sub = g_strdup_printf ("%s%s%s · %s", page_label (cb_run_get_page (run)),
                         *model != '\0' ? " · " : "", model, age);
  gtk_label_set_text (GTK_LABEL (title), cb_run_get_title (run));
  cb_widget_set_list_tooltip (title, cb_run_get_name (run));
  gtk_label_set_text (GTK_LABEL (subtitle), sub);
  gtk_label_set_text (GTK_LABEL (best), best_text != NULL ? best_text : "");

  gtk_widget_remove_css_class (state, "accent");
  gtk_widget_remove_css_class (state, "error");
  gtk_widget_remove_css_class (state, "success");
  if (record != NULL)
    {
      switch (cb_run_record_get_outcome (record))
        {
        case CB_RUN_OUTCOME_RUNNING:
          state_text = _("Running");
          gtk_widget_add_css_class (state, "accent");
          break;
        case CB_RUN_OUTCOME_SUCCESS:
          state_text = _("Finished");
          gtk_widget_add_css_class (state, "success");
          break;
        case CB_RUN_OUTCOME_STOPPED:
          state_text = _("Stopped");
          break;
        case CB_RUN_OUTCOME_INTERRUPTED:
          state_text = _("Interrupted");
          gtk_widget_add_css_class (state, "error");
          break;
        case CB_RUN_OUTCOME_FAILED:
        case CB_RUN_OUTCOME_SIGNALED:
        case CB_RUN_OUTCOME_NOT_STARTED:
        default:
          state_text = _("Failed");
          gtk_widget_add_css_class (state, "error");
          break;
        }
    }
  gtk_label_set_text (GTK_LABEL (state), state_text != NULL ? state_text : "");
  if (record != NULL)
    {
      g_autofree char *outcome = cb_run_describe_state (run);

      cb_widget_set_tooltip_text (state, outcome);
    }
  else
    cb_widget_set_tooltip_text (state, NULL);
}

/* The factory of the list's rows. */
GtkListItemFactory *
_cb_runs_view_row_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  return factory;
}
