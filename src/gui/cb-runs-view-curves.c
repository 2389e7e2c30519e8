/* cb-runs-view-curves.c: the right half of the Runs window: the selected runs' curves
 *
 * Each run's metrics files are read in a worker, a file at a time from where the last read
 * stopped (cb_metrics_reader_read()), and what was appended is merged on the UI thread in
 * one step. While runs are shown, they are read again every second, so the curves of a
 * running run grow; a run whose checkpoints/ changed is read again for its marks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-runs-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sys/stat.h>

#include "cb-runs-view-private.h"
#include "cb/cb-metrics.h"
#include "cb/cb-run-history.h"
#include "cb-widget-util.h"

#define DEFAULT_POLL_MS 1000

/* ---- the metrics shown ----------------------------------------------------------------- */

static int
metric_rank (const char *name)
{
  if (strstr (name, "loss") != NULL)
    return strstr (name, "train") != NULL ? 0 : 1;
  if (g_str_has_suffix (name, "hmean"))
    return 2;
  if (g_str_has_suffix (name, "precision"))
    return 3;
  if (g_str_has_suffix (name, "recall"))
    return 4;
  if (g_str_has_prefix (name, "lr"))
    return 6;
  return 5;
}

static int
compare_metrics (gconstpointer a,
                 gconstpointer b)
{
  const char *ma = *(const char * const *) a;
  const char *mb = *(const char * const *) b;
  int ra = metric_rank (ma), rb = metric_rank (mb);

  if (ra != rb)
    return ra - rb;
  return g_strcmp0 (ma, mb);
}

static GPtrArray *
available_metrics (CbRunsView *self)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->shown->len; i++)
    {
      CbRunCurves *curves = _cb_runs_view_get_curves (self, g_ptr_array_index (self->shown, i));

      for (guint s = 0; s < curves->segments->len; s++)
        {
          CbMetrics *metrics = g_ptr_array_index (curves->segments, s);

          for (guint m = 0; m < cb_metrics_get_n_series (metrics); m++)
            {
              const char *name = cb_metrics_get_name (metrics, m);

              if (g_hash_table_add (seen, (gpointer) name))
                g_ptr_array_add (names, g_strdup (name));
            }
        }
    }
  g_ptr_array_sort (names, compare_metrics);
  return names;
}

static gboolean
contains (GPtrArray  *names,
          const char *name)
{
  for (guint i = 0; names != NULL && i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;
  return FALSE;
}

/* The metrics to plot: the user's choice where it is there, else a loss and hmean. */
static void
choose_metrics (CbRunsView *self,
                GPtrArray  *available)
{
  g_ptr_array_set_size (self->shown_metrics, 0);
  for (guint i = 0; self->user_metrics != NULL && i < available->len; i++)
    if (contains (self->user_metrics, g_ptr_array_index (available, i)))
      g_ptr_array_add (self->shown_metrics, g_strdup (g_ptr_array_index (available, i)));
  if (self->shown_metrics->len > 0)
    return;

  /* A loss (the training one first) and every hmean. */
  for (int want = 0; want <= 1 && self->shown_metrics->len == 0; want++)
    for (guint i = 0; i < available->len && self->shown_metrics->len == 0; i++)
      if (metric_rank (g_ptr_array_index (available, i)) == want)
        g_ptr_array_add (self->shown_metrics, g_strdup (g_ptr_array_index (available, i)));
  for (guint i = 0; i < available->len; i++)
    if (metric_rank (g_ptr_array_index (available, i)) == 2)
      g_ptr_array_add (self->shown_metrics, g_strdup (g_ptr_array_index (available, i)));
  for (guint i = 0; self->shown_metrics->len < 2 && i < available->len; i++)
    if (!contains (self->shown_metrics, g_ptr_array_index (available, i)))
      g_ptr_array_add (self->shown_metrics, g_strdup (g_ptr_array_index (available, i)));
  g_ptr_array_sort (self->shown_metrics, compare_metrics);
}

static void
metric_toggled_cb (GtkToggleButton *button,
                   CbRunsView      *self)
{
  const char *name = gtk_button_get_label (GTK_BUTTON (button));

  cb_runs_view_show_metric (self, name, gtk_toggle_button_get_active (button));
}

/**
 * cb_runs_view_show_metric:
 *
 * Adds a plot of @metric (or removes it); from then on the plots are the user's choice.
 */
void
cb_runs_view_show_metric (CbRunsView *self,
                          const char *metric,
                          gboolean    shown)
{
  g_return_if_fail (CB_IS_RUNS_VIEW (self));

  if (self->user_metrics == NULL)
    {
      self->user_metrics = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < self->shown_metrics->len; i++)
        g_ptr_array_add (self->user_metrics, g_strdup (g_ptr_array_index (self->shown_metrics, i)));
    }
  if (shown && !contains (self->user_metrics, metric))
    g_ptr_array_add (self->user_metrics, g_strdup (metric));
  else if (!shown)
    for (guint i = 0; i < self->user_metrics->len; i++)
      if (g_str_equal (g_ptr_array_index (self->user_metrics, i), metric))
        g_ptr_array_remove_index (self->user_metrics, i--);
  if (self->user_metrics->len == 0)
    g_clear_pointer (&self->user_metrics, g_ptr_array_unref);
  _cb_runs_view_update_plots (self);
}

static void
update_chips (CbRunsView *self,
              GPtrArray  *available)
{
  GString *joined = g_string_new (NULL);
  g_autofree char *key = NULL;
  GtkWidget *child;

  for (guint i = 0; i < available->len; i++)
    g_string_append_printf (joined, "%s%c%c", (char *) g_ptr_array_index (available, i),
                            contains (self->shown_metrics, g_ptr_array_index (available, i))
                              ? '1' : '0', '\n');
  key = g_string_free (joined, FALSE);
  if (g_strcmp0 (key, self->metric_names) == 0)
    return;
  g_free (self->metric_names);
  self->metric_names = g_steal_pointer (&key);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->metric_box))) != NULL)
    gtk_flow_box_remove (self->metric_box, child);
  for (guint i = 0; i < available->len; i++)
    {
      const char *name = g_ptr_array_index (available, i);
      GtkWidget *button = gtk_toggle_button_new_with_label (name);

      gtk_widget_add_css_class (button, "cb-metric-chip");
      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                    contains (self->shown_metrics, name));
      g_signal_connect (button, "toggled", G_CALLBACK (metric_toggled_cb), self);
      gtk_flow_box_append (self->metric_box, button);
    }
}

/* ---- marks ----------------------------------------------------------------------------- */

/* Where @checkpoint was saved: its name's step, else the step where the monitored metric had
 * the value its name gives (or, for a best checkpoint, where it peaked), else (last.ckpt) the
 * end. Epochs likewise (a checkpoint is saved at the end of its epoch: epoch + 1 on the axis).
 * Only the monitored metric's own points are read (a validation metric: one per epoch); the
 * ends of the other series come from their buckets, so a million-row run costs little. */
static gboolean
locate_checkpoint (CbRunCurves  *curves,
                   CbCheckpoint *checkpoint,
                   double       *step,
                   double       *epoch)
{
  const CbCheckpointName *name = cb_checkpoint_get_name_info (checkpoint);
  double max_step = -INFINITY, max_epoch = NAN;

  *step = name->step >= 0 ? (double) name->step : NAN;
  *epoch = name->epoch >= 0 ? (double) name->epoch + 1.0 : NAN;

  for (guint s = 0; s < curves->segments->len; s++)
    {
      CbMetrics *metrics = g_ptr_array_index (curves->segments, s);

      for (guint m = 0; m < cb_metrics_get_n_series (metrics); m++)
        {
          const char *series = cb_metrics_get_name (metrics, m);
          const char *slash = strrchr (series, '/');
          const char *bare = slash != NULL ? slash + 1 : series;
          gsize n_buckets = 0;
          const CbMetricBucket *buckets = cb_metrics_get_buckets (metrics, m, &n_buckets);

          for (gsize b = 0; b < n_buckets; b++)
            if (buckets[b].step_last > max_step)
              {
                max_step = buckets[b].step_last;
                max_epoch = buckets[b].epoch_last;
              }

          if (name->metric_name != NULL && g_str_equal (bare, name->metric_name))
            {
              gsize n = 0;
              const CbMetricPoint *points = cb_metrics_get_points (metrics, m, &n);
              CbMetricPoint peak;

              for (gsize i = 0; i < n; i++)
                {
                  if (isnan (*step) && isfinite (name->metric_value)
                      && fabs (points[i].value - name->metric_value) < 5e-5)
                    *step = points[i].step;
                  if (!isnan (*step) && isnan (*epoch) && points[i].step == *step
                      && !isnan (points[i].epoch))
                    *epoch = points[i].epoch + 1.0;
                }
              /* A best checkpoint whose value was rounded otherwise: where it peaked. */
              if (isnan (*step) && name->kind == CB_CHECKPOINT_KIND_BEST
                  && cb_metrics_get_best (metrics, series, TRUE, &peak))
                {
                  *step = peak.step;
                  if (isnan (*epoch) && !isnan (peak.epoch))
                    *epoch = peak.epoch + 1.0;
                }
            }
        }
    }
  if (isnan (*step) && name->kind == CB_CHECKPOINT_KIND_LAST && isfinite (max_step))
    {
      *step = max_step;
      if (isnan (*epoch) && !isnan (max_epoch))
        *epoch = max_epoch + 1.0;
    }
  return !isnan (*step) || !isnan (*epoch);
}

static void
append_checkpoint_choice (GtkBox     *box,
                          const char *path,
                          gboolean    first)
{
  g_autofree char *basename = g_path_get_basename (path);
  GtkWidget *label = gtk_label_new (basename);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *test = gtk_button_new_with_mnemonic (first ? _("_Test") : _("Test"));
  GtkWidget *predict = gtk_button_new_with_mnemonic (first ? _("_Predict") : _("Predict"));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  if (!first)
    gtk_widget_set_margin_top (label, 6);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (test), "runs.use-checkpoint");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (test), "(ss)", "test", path);
  gtk_widget_add_css_class (test, "suggested-action");
  cb_widget_set_tooltip_text (test, _("Evaluate this checkpoint on the Test page"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (predict), "runs.use-checkpoint");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (predict), "(ss)", "predict", path);
  cb_widget_set_tooltip_text (predict, _("Predict with this checkpoint on the Predict page"));
  gtk_widget_set_hexpand (test, TRUE);
  gtk_widget_set_hexpand (predict, TRUE);
  gtk_box_append (GTK_BOX (buttons), test);
  gtk_box_append (GTK_BOX (buttons), predict);
  gtk_box_append (box, label);
  gtk_box_append (box, buttons);
}

/* A click on a checkpoint's mark: a menu to test or predict with it, and with any other
 * checkpoint saved at the same place (the best one is often also an epoch's). */
static void
mark_activated_cb (CbMetricsPlot *plot,
                   const char    *path,
                   double         x,
                   CbRunsView    *self)
{
  GtkWidget *box;

  for (guint i = 0; i < self->checkpoint_paths->len; i++)
    if (g_str_equal (g_ptr_array_index (self->checkpoint_paths, i), path))
      gtk_drop_down_set_selected (self->checkpoint_drop_down, i);

  if (self->mark_popover != NULL)
    gtk_widget_unparent (self->mark_popover);
  self->mark_popover = gtk_popover_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  append_checkpoint_choice (GTK_BOX (box), path, TRUE);
  for (guint i = 0; i < cb_metrics_plot_get_n_marks (plot); i++)
    {
      const char *other = cb_metrics_plot_get_mark_path (plot, i);

      if (!g_str_equal (other, path) && fabs (cb_metrics_plot_get_mark_x (plot, i) - x) < 2)
        append_checkpoint_choice (GTK_BOX (box), other, FALSE);
    }
  gtk_popover_set_child (GTK_POPOVER (self->mark_popover), box);
  gtk_widget_set_parent (self->mark_popover, GTK_WIDGET (plot));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->mark_popover),
                               &(GdkRectangle) { (int) x, 16, 1, 1 });
  gtk_popover_set_position (GTK_POPOVER (self->mark_popover), GTK_POS_TOP);
  gtk_popover_popup (GTK_POPOVER (self->mark_popover));
}

/* ---- the plots ------------------------------------------------------------------------- */

static char *
plots_key (CbRunsView *self)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < self->shown->len; i++)
    g_string_append_printf (key, "%s\n", cb_run_get_path (g_ptr_array_index (self->shown, i)));
  g_string_append_c (key, '|');
  for (guint i = 0; i < self->shown_metrics->len; i++)
    g_string_append_printf (key, "%s\n", (char *) g_ptr_array_index (self->shown_metrics, i));
  return g_string_free (key, FALSE);
}

typedef struct
{
  double       step;
  double       epoch;
  CbCheckpoint *checkpoint;
} Mark;

/* The shown run's checkpoints where they were saved (none when several runs are shown). */
static GArray *
locate_marks (CbRunsView *self)
{
  GArray *marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  CbRunCurves *curves;
  GListModel *checkpoints;

  if (self->shown->len != 1)
    return marks;
  curves = _cb_runs_view_get_curves (self, g_ptr_array_index (self->shown, 0));
  checkpoints = cb_run_get_checkpoints (curves->run);
  for (guint i = 0; i < g_list_model_get_n_items (checkpoints); i++)
    {
      Mark mark = { 0, 0, g_list_model_get_item (checkpoints, i) };

      if (locate_checkpoint (curves, mark.checkpoint, &mark.step, &mark.epoch))
        g_array_append_val (marks, mark);
      else
        g_object_unref (mark.checkpoint);
    }
  return marks;
}

static void
add_marks (CbMetricsPlot *plot,
           GArray        *marks)
{
  cb_metrics_plot_clear_marks (plot);
  for (guint i = 0; i < marks->len; i++)
    {
      const Mark *mark = &g_array_index (marks, Mark, i);

      cb_metrics_plot_add_mark (plot, mark->step, mark->epoch,
                                cb_checkpoint_get_basename (mark->checkpoint),
                                cb_checkpoint_get_path (mark->checkpoint));
    }
}

static void
marks_free (GArray *marks)
{
  for (guint i = 0; i < marks->len; i++)
    g_object_unref (g_array_index (marks, Mark, i).checkpoint);
  g_array_unref (marks);
}

static void
update_status (CbRunsView *self)
{
  GString *text = g_string_new (NULL);

  if (self->shown->len == 1)
    {
      CbRunCurves *curves = _cb_runs_view_get_curves (self, g_ptr_array_index (self->shown, 0));
      gsize rows = 0;

      for (guint s = 0; s < curves->segments->len; s++)
        rows += cb_metrics_get_n_rows (g_ptr_array_index (curves->segments, s));
      if (!curves->loaded)
        g_string_append (text, _("Reading the run's metrics…"));
      else if (curves->segments->len == 0)
        g_string_append (text, _("No metrics.csv in this run (Lightning's CSV logger writes "
                                 "csv/version_N/metrics.csv)."));
      else
        {
          g_autofree char *age = cb_format_age ((g_get_real_time () - curves->updated)
                                                / G_USEC_PER_SEC);

          g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, rows);

          /* Translators: %s is a number of rows */
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows",
                                                     rows), count);
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " in %u file",
                                                     " in %u files", curves->segments->len),
                                  curves->segments->len);
          /* Translators: "updated just now", "updated 5 min ago" */
          g_string_append_printf (text, _(" · updated %s"), age);
        }
      if (curves->error != NULL)
        g_string_append_printf (text, "\n%s", curves->error);
    }
  gtk_label_set_text (self->status_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text->len > 0);
  g_string_free (text, TRUE);
}

/**
 * _cb_runs_view_update_plots:
 *
 * After a read or a choice: the chips, the plots (made again only when the runs or the
 * metrics shown changed, else told their data changed), the marks and the status line.
 */
void
_cb_runs_view_update_plots (CbRunsView *self)
{
  g_autoptr(GPtrArray) available = NULL;
  g_autofree char *key = NULL;
  GArray *marks;
  gboolean rebuild;

  if (self->shown->len == 0)
    return;

  available = available_metrics (self);
  choose_metrics (self, available);
  update_chips (self, available);

  key = plots_key (self);
  rebuild = g_strcmp0 (key, g_object_get_data (G_OBJECT (self->plots_box), "cb-key")) != 0;
  if (rebuild)
    {
      GtkWidget *child;

      if (self->mark_popover != NULL)
        {
          gtk_widget_unparent (self->mark_popover);
          self->mark_popover = NULL;
        }
      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->plots_box))) != NULL)
        gtk_box_remove (self->plots_box, child);
      for (guint m = 0; m < self->shown_metrics->len; m++)
        {
          GtkWidget *plot = cb_metrics_plot_new (g_ptr_array_index (self->shown_metrics, m));

          cb_metrics_plot_set_x_epoch (CB_METRICS_PLOT (plot),
                                       gtk_toggle_button_get_active (self->epoch_button));
          gtk_widget_set_size_request (plot, -1, self->shown_metrics->len > 2 ? 180 : 230);
          for (guint r = 0; r < self->shown->len; r++)
            {
              CbRun *run = g_ptr_array_index (self->shown, r);
              CbRunCurves *curves = _cb_runs_view_get_curves (self, run);

              cb_metrics_plot_add_run (CB_METRICS_PLOT (plot), cb_run_get_title (run),
                                       curves->segments, r);
            }
          g_signal_connect (plot, "mark-activated", G_CALLBACK (mark_activated_cb), self);
          gtk_box_append (self->plots_box, plot);
        }
      g_object_set_data_full (G_OBJECT (self->plots_box), "cb-key", g_steal_pointer (&key),
                              g_free);
    }

  marks = locate_marks (self);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->plots_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      add_marks (CB_METRICS_PLOT (child), marks);
      cb_metrics_plot_data_changed (CB_METRICS_PLOT (child));
    }
  marks_free (marks);
  update_status (self);
}

void
_cb_runs_view_x_axis_changed (CbRunsView *self)
{
  gboolean epoch = gtk_toggle_button_get_active (self->epoch_button);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->plots_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    cb_metrics_plot_set_x_epoch (CB_METRICS_PLOT (child), epoch);
}

CbMetricsPlot *
cb_runs_view_get_plot (CbRunsView *self,
                       const char *metric)
{
  g_return_val_if_fail (CB_IS_RUNS_VIEW (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->plots_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (cb_metrics_plot_get_metric (CB_METRICS_PLOT (child)), metric))
      return CB_METRICS_PLOT (child);
  return NULL;
}

/* ---- the selection --------------------------------------------------------------------- */

static char *
describe_facts (CbRun *run)
{
  const CbRunInfo *info = cb_run_get_info (run);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (cb_run_get_time (run));
  g_autofree char *when = time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M") : NULL;
  g_autofree char *state = cb_run_describe_state (run);
  GString *out = g_string_new (NULL);
  const char *page = cb_run_get_page (run);

  if (page != NULL)
    g_string_append_printf (out, "%c%s", g_ascii_toupper (page[0]), page + 1);
  if (info->architecture != NULL)
    g_string_append_printf (out, " · %s", info->architecture);
  if (info->encoder != NULL)
    g_string_append_printf (out, " · %s", info->encoder);
  if (info->decoder != NULL)
    g_string_append_printf (out, " · %s", info->decoder);
  if (info->head != NULL)
    g_string_append_printf (out, " · %s", info->head);
  g_string_append_c (out, '\n');
  if (!g_str_equal (cb_run_get_name (run), cb_run_get_title (run)))
    g_string_append_printf (out, "%s · ", cb_run_get_name (run));
  if (when != NULL)
    g_string_append_printf (out, "%s · ", when);
  g_string_append (out, state);
  return g_string_free (out, FALSE);
}

void
_cb_runs_view_fill_checkpoints (CbRunsView *self,
                  CbRun      *run)
{
  GListModel *checkpoints = cb_run_get_checkpoints (run);
  CbCheckpoint *best = cb_run_get_best_checkpoint (run);
  CbCheckpoint *last = cb_run_get_last_checkpoint (run);
  guint n = g_list_model_get_n_items (checkpoints);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *keep = NULL;
  guint selected = 0;

  if (self->checkpoint_paths->len > 0
      && g_strcmp0 (g_object_get_data (G_OBJECT (self->checkpoint_drop_down), "cb-run"),
                    cb_run_get_path (run)) == 0)
    {
      guint i = gtk_drop_down_get_selected (self->checkpoint_drop_down);

      if (i < self->checkpoint_paths->len)
        keep = g_strdup (g_ptr_array_index (self->checkpoint_paths, i));
    }
  g_ptr_array_set_size (self->checkpoint_paths, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbCheckpoint) item = g_list_model_get_item (checkpoints, i);
      const char *basename = cb_checkpoint_get_basename (item);

      if (item == best)
        {
          g_ptr_array_add (labels, g_strdup_printf (_("%s (best)"), basename));
          selected = i;
        }
      else if (item == last)
        {
          g_ptr_array_add (labels, g_strdup_printf (_("%s (last)"), basename));
          if (best == NULL)
            selected = i;
        }
      else
        g_ptr_array_add (labels, g_strdup (basename));
      g_ptr_array_add (self->checkpoint_paths, g_strdup (cb_checkpoint_get_path (item)));
    }
  for (guint i = 0; keep != NULL && i < self->checkpoint_paths->len; i++)
    if (g_str_equal (g_ptr_array_index (self->checkpoint_paths, i), keep))
      selected = i;
  g_object_set_data_full (G_OBJECT (self->checkpoint_drop_down), "cb-run",
                          g_strdup (cb_run_get_path (run)), g_free);
  g_ptr_array_add (labels, NULL);
  gtk_string_list_splice (self->checkpoint_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->checkpoint_names)),
                          (const char * const *) labels->pdata);
  gtk_drop_down_set_selected (self->checkpoint_drop_down, selected);
  gtk_widget_set_visible (self->checkpoint_box, n > 0);
}

static void
update_legend (CbRunsView *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->legend_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->legend_box), child);
  gtk_widget_set_visible (self->legend_box, self->shown->len > 1);
  if (self->shown->len <= 1)
    return;
  for (guint i = 0; i < self->shown->len; i++)
    {
      CbRun *run = g_ptr_array_index (self->shown, i);
      g_autofree char *escaped = g_markup_escape_text (cb_run_get_title (run), -1);
      g_autofree char *markup = NULL;
      GdkRGBA color;
      g_autofree char *hex = NULL;
      GtkWidget *label;

      cb_metrics_plot_get_color (i, dark, &color);
      hex = g_strdup_printf ("#%02x%02x%02x", (int) (color.red * 255), (int) (color.green * 255),
                             (int) (color.blue * 255));
      markup = g_strdup_printf ("<span foreground=\"%s\">●</span> %s", hex, escaped);
      label = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (self->legend_box), label);
    }
}

/* The selection changed (or the list was read again): show what is selected now. */
void
_cb_runs_view_show_selection (CbRunsView *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;
  CbRun *run;

  g_ptr_array_set_size (self->shown, 0);
  if (gtk_bitset_iter_init_first (&iter, set, &position))
    do
      g_ptr_array_add (self->shown, g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                           position));
    while (gtk_bitset_iter_next (&iter, &position)
           && self->shown->len < CB_METRICS_PLOT_N_COLORS);

  if (self->shown->len == 0)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      g_clear_handle_id (&self->poll_source, g_source_remove);
      return;
    }
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");

  run = g_ptr_array_index (self->shown, 0);
  if (self->shown->len == 1)
    {
      CbRunCurves *curves = _cb_runs_view_get_curves (self, run);
      g_autofree char *facts = describe_facts (run);

      gtk_label_set_text (self->title_label, cb_run_get_title (run));
      gtk_label_set_text (self->facts_label, facts);
      _cb_runs_view_fill_checkpoints (self, curves->run);
      gtk_widget_set_visible (self->actions_box, TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "runs.test",
                                     self->checkpoint_paths->len > 0);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "runs.predict",
                                     self->checkpoint_paths->len > 0);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "runs.use-settings",
                                     cb_run_get_overrides (run)[0] != NULL
                                     || cb_run_get_page (run) != NULL);
    }
  else
    {
      g_autofree char *title = g_strdup_printf (ngettext ("%u Run", "%u Runs", self->shown->len),
                                                self->shown->len);

      gtk_label_set_text (self->title_label, title);
      if (gtk_bitset_get_size (set) > self->shown->len)
        {
          g_autofree char *facts = g_strdup_printf (_("The first %u runs selected, one colour "
                                                      "each; hover a plot for the values."),
                                                    self->shown->len);

          gtk_label_set_text (self->facts_label, facts);
        }
      else
        gtk_label_set_text (self->facts_label, _("One colour per run; hover a plot for the "
                                                 "values."));
      gtk_widget_set_visible (self->checkpoint_box, FALSE);
      gtk_widget_set_visible (self->actions_box, FALSE);
    }
  update_legend (self);
  _cb_runs_view_update_plots (self);
  _cb_runs_view_read_after_paint (self);

  if (self->poll_source == 0)
    self->poll_source = g_timeout_add (self->poll_interval, _cb_runs_view_poll_cb, self);
}

void
_cb_runs_view_init_curves (CbRunsView *self)
{
  self->curves = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _cb_runs_view_curves_free);
  self->shown = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown_metrics = g_ptr_array_new_with_free_func (g_free);
  self->checkpoint_names = gtk_string_list_new (NULL);
  self->checkpoint_paths = g_ptr_array_new_with_free_func (g_free);
  self->poll_interval = DEFAULT_POLL_MS;
  gtk_drop_down_set_model (self->checkpoint_drop_down, G_LIST_MODEL (self->checkpoint_names));
}

void
_cb_runs_view_dispose_curves (CbRunsView *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->read_after_paint && clock != NULL)
    g_signal_handlers_disconnect_by_func (clock, _cb_runs_view_after_paint_cb, self);
  self->read_after_paint = FALSE;
  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (self->mark_popover != NULL)
    {
      gtk_widget_unparent (self->mark_popover);
      self->mark_popover = NULL;
    }
  g_clear_pointer (&self->curves, g_hash_table_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->shown_metrics, g_ptr_array_unref);
  g_clear_pointer (&self->user_metrics, g_ptr_array_unref);
  g_clear_pointer (&self->metric_names, g_free);
  g_clear_object (&self->checkpoint_names);
  g_clear_pointer (&self->checkpoint_paths, g_ptr_array_unref);
}
