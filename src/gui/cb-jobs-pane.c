/* cb-jobs-pane.c: the runs of the window, one terminal tab each, and the project's jobs
 *
 * Every run is a job (cb-job.c) with a terminal tab of its own (a CbTerminalPane attached
 * to it), so that several can run at once, each with its Stop: evaluate a checkpoint while
 * another model trains. A new run takes the current tab when nothing runs in it, else a new
 * tab. A tab's spinner turns while its run goes; a run that ends in a tab not shown asks for
 * attention. Closing a tab only closes the view: the job goes on and stays in the Jobs list.
 *
 * The Jobs button at the end of the tab bar lists every job of the project (a CbJobMonitor,
 * looked at in a worker): state, target, name and elapsed time. Choosing one follows it in
 * a tab: its output so far, then its terminal while it runs; how it ended once it did.
 *
 * The first tab (a VTE terminal and its bars) is made when something first asks for the
 * current pane or the pane is first shown, not with the window: a start-up does not pay for
 * a terminal that a user who only copies commands never opens.
 *
 * Signals: "pane-added" for every terminal pane made (the window connects its handlers);
 * notify::current when another tab is chosen; "running-changed" when any run starts or ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-jobs-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-jobs-pane.h"
#include "cb-run-display.h"
#include "cb-widget-util.h"

#define ELAPSED_TICK_MS 1000

struct _CbJobsPane
{
  GtkWidget      parent_instance;

  AdwTabBar     *tab_bar;
  AdwTabView    *tab_view;
  GtkWidget     *jobs_button;
  GtkWidget     *jobs_popover;
  GtkListBox    *jobs_list;
  GtkWidget     *jobs_placeholder;

  CbRunHistory  *history;
  CbJobMonitor  *monitor;
  guint          interrupt_ms;
  guint          terminate_ms;
  guint          tick_source;
  gboolean       disposed;
};

enum {
  PROP_0,
  PROP_CURRENT,
  N_PROPS
};

enum {
  PANE_ADDED,
  RUNNING_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CbJobsPane, cb_jobs_pane, GTK_TYPE_WIDGET)

/* ---- tabs --------------------------------------------------------------------------- */

static char *
tab_title (CbTerminalPane *pane)
{
  CbJob *job = cb_terminal_pane_get_job (pane);
  const char *page;
  const char *name;

  if (job == NULL)
    return g_strdup (_("Terminal"));
  page = cb_job_get_page (job);
  name = cb_job_get_experiment (job);
  if (name == NULL)
    name = page != NULL ? page : cb_job_get_argv (job)[0];
  if (!cb_job_is_local (job))
    /* Translators: a tab's title: "receipts-dbnet on gpu1" */
    return g_strdup_printf (_("%s on %s"), name, cb_job_get_target_name (job));
  return g_strdup (name);
}

static void
update_tab (CbJobsPane     *self,
            CbTerminalPane *pane)
{
  AdwTabPage *page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (pane));
  g_autofree char *title = tab_title (pane);

  if (page == NULL)
    return;
  adw_tab_page_set_title (page, title);
  adw_tab_page_set_tooltip (page, cb_terminal_pane_get_status_text (pane));
  adw_tab_page_set_loading (page, cb_terminal_pane_get_running (pane));
}

static void
pane_running_cb (CbTerminalPane *pane,
                 GParamSpec     *pspec,
                 CbJobsPane     *self)
{
  AdwTabPage *page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (pane));

  update_tab (self, pane);
  if (page != NULL && !cb_terminal_pane_get_running (pane) &&
      adw_tab_view_get_selected_page (self->tab_view) != page)
    adw_tab_page_set_needs_attention (page, TRUE);
  g_signal_emit (self, signals[RUNNING_CHANGED], 0);
}

static void
pane_status_cb (CbTerminalPane *pane,
                GParamSpec     *pspec,
                CbJobsPane     *self)
{
  AdwTabPage *page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (pane));

  if (page != NULL)
    adw_tab_page_set_tooltip (page, cb_terminal_pane_get_status_text (pane));
}

static CbTerminalPane *
add_pane (CbJobsPane *self)
{
  CbTerminalPane *pane = CB_TERMINAL_PANE (cb_terminal_pane_new ());
  AdwTabPage *page;

  cb_terminal_pane_set_history (pane, self->history);
  if (self->interrupt_ms > 0)
    cb_terminal_pane_set_stop_timeouts (pane, self->interrupt_ms, self->terminate_ms);
  page = adw_tab_view_append (self->tab_view, GTK_WIDGET (pane));
  adw_tab_page_set_icon (page, NULL);
  g_signal_connect_object (pane, "notify::running", G_CALLBACK (pane_running_cb), self, 0);
  g_signal_connect_object (pane, "notify::status-text", G_CALLBACK (pane_status_cb), self, 0);
  update_tab (self, pane);
  g_signal_emit (self, signals[PANE_ADDED], 0, pane);
  return pane;
}

static void
selected_page_cb (AdwTabView *view,
                  GParamSpec *pspec,
                  CbJobsPane *self)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (view);

  if (page != NULL)
    adw_tab_page_set_needs_attention (page, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

/* Closing a tab closes the view; the job goes on. The last tab stays (emptied). */
static gboolean
close_page_cb (AdwTabView *view,
               AdwTabPage *page,
               CbJobsPane *self)
{
  CbTerminalPane *pane = CB_TERMINAL_PANE (adw_tab_page_get_child (page));

  /* A run without a job (no tmux here) would die with its terminal: keep it. */
  if (cb_terminal_pane_get_running (pane) && cb_terminal_pane_get_job (pane) == NULL)
    {
      adw_tab_view_close_page_finish (view, page, FALSE);
      return GDK_EVENT_STOP;
    }
  if (adw_tab_view_get_n_pages (view) == 1)
    add_pane (self);
  adw_tab_view_close_page_finish (view, page, TRUE);
  return GDK_EVENT_STOP;
}

/* ---- the Jobs list ------------------------------------------------------------------ */

/* A Slurm array's tasks, each as Slurm says it: "Run 1: COMPLETED · Run 2: RUNNING on n3"; a
 * job of one run has none. */
static char *
runs_detail (CbJob *job)
{
  GPtrArray *tasks = cb_job_get_slurm_tasks (job);
  GString *out;

  if (cb_job_get_n_runs (job) <= 1 || tasks->len == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < tasks->len && i < 64; i++)
    {
      const CbSlurmTask *task = g_ptr_array_index (tasks, i);
      g_autofree char *state = cb_slurm_describe_task (task);

      if (out->len > 0)
        g_string_append (out, " · ");
      /* Translators: one run of a sweep in the Jobs list: "Run 2: RUNNING on node3" */
      g_string_append_printf (out, _("Run %d: %s"), task->task + 1, state);
    }
  if (tasks->len > 64)
    g_string_append (out, " …");
  return g_string_free (out, FALSE);
}

static void
update_row (GtkWidget *row)
{
  CbJob *job = g_object_get_data (G_OBJECT (row), "cb-job");
  GtkLabel *title = g_object_get_data (G_OBJECT (row), "cb-title");
  GtkLabel *subtitle = g_object_get_data (G_OBJECT (row), "cb-subtitle");
  GtkLabel *detail = g_object_get_data (G_OBJECT (row), "cb-detail");
  g_autofree char *runs = runs_detail (job);
  g_autofree char *slurm = cb_job_is_slurm (job) && cb_job_is_active (job)
    ? cb_job_dup_slurm_summary (job) : NULL;
  GtkImage *icon = g_object_get_data (G_OBJECT (row), "cb-icon");
  g_autofree char *state = cb_job_describe_state (job);
  g_autofree char *elapsed = cb_format_elapsed ((gint64) cb_job_get_elapsed (job, g_get_real_time ()));
  g_autofree char *address = cb_target_dup_address (cb_job_get_target (job));
  g_autofree char *where = cb_target_is_local (cb_job_get_target (job))
    ? g_strdup (_("This Computer")) : g_strdup (cb_job_get_target_name (job));
  g_autofree char *line = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (cb_job_get_start_time (job) /
                                                                G_USEC_PER_SEC);
  g_autofree char *when = start != NULL ? g_date_time_format (start, "%b %e %H:%M") : g_strdup ("");
  const char *name = cb_job_get_experiment (job);
  const char *icon_name = "system-run-symbolic";
  const char *style = NULL;

  if (cb_job_get_state (job) == CB_JOB_FINISHED)
    {
      CbRunOutcome outcome;

      if (cb_job_get_stopped (job))
        outcome = CB_RUN_OUTCOME_STOPPED;
      else if (cb_job_get_signal (job) > 0)
        outcome = CB_RUN_OUTCOME_SIGNALED;
      else if (cb_job_get_exit_status (job) < 0)
        outcome = CB_RUN_OUTCOME_NOT_STARTED;
      else
        outcome = cb_job_get_exit_status (job) == 0 ? CB_RUN_OUTCOME_SUCCESS : CB_RUN_OUTCOME_FAILED;
      cb_run_display_outcome_style (outcome, &icon_name, &style);
    }
  else if (cb_job_get_state (job) == CB_JOB_LOST)
    {
      icon_name = "network-offline-symbolic";
      style = "warning";
    }

  if (cb_job_get_n_runs (job) > 1)
    {
      /* Translators: a sweep's row in the Jobs list: "receipts — sweep of 4 runs" */
      g_autofree char *sweep = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%s — sweep of %u run",
                                                             "%s — sweep of %u runs",
                                                             cb_job_get_n_runs (job)),
                                                name != NULL ? name : cb_job_get_page (job),
                                                cb_job_get_n_runs (job));

      gtk_label_set_label (title, sweep);
    }
  else
    gtk_label_set_label (title, name != NULL ? name : cb_job_get_page (job)
                                                    ? cb_job_get_page (job)
                                                    : cb_job_get_id (job));
  /* Translators: "Running · 0:42 · This Computer · train · Dec 3 07:12" */
  line = g_strdup_printf (_("%s · %s · %s · %s · %s"), slurm != NULL ? slurm : state, elapsed,
                          where, cb_job_get_page (job) ? cb_job_get_page (job) : "-", when);
  gtk_label_set_label (subtitle, line);
  gtk_label_set_label (detail, runs != NULL ? runs : "");
  gtk_widget_set_visible (GTK_WIDGET (detail), runs != NULL);
  gtk_image_set_from_icon_name (icon, icon_name);
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "error");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (icon), style);
  {
    g_autofree char *tooltip = address[0] != '\0'
      ? g_strdup_printf ("%s\n%s", cb_job_get_display (job), address)
      : g_strdup (cb_job_get_display (job));

    cb_widget_set_tooltip_text (row, tooltip);
  }
}

static void
job_changed_cb (CbJob      *job,
                GParamSpec *pspec,
                GtkWidget  *row)
{
  update_row (row);
}

static GtkWidget *
create_job_row (gpointer item,
                gpointer user_data)
{
  CbJob *job = CB_JOB (item);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *detail;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  /* A sweep's runs, one line each state: the runs of one sweep stay together. */
  detail = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_set_margin_start (detail, 12);
  gtk_box_append (GTK_BOX (labels), detail);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data_full (G_OBJECT (row), "cb-job", g_object_ref (job), g_object_unref);
  g_object_set_data (G_OBJECT (row), "cb-title", title);
  g_object_set_data (G_OBJECT (row), "cb-subtitle", subtitle);
  g_object_set_data (G_OBJECT (row), "cb-detail", detail);
  g_object_set_data (G_OBJECT (row), "cb-icon", icon);
  g_signal_connect_object (job, "notify::state", G_CALLBACK (job_changed_cb), row, 0);
  update_row (row);
  return row;
}

static void
job_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  CbJobsPane    *self)
{
  CbJob *job = g_object_get_data (G_OBJECT (row), "cb-job");

  gtk_popover_popdown (GTK_POPOVER (self->jobs_popover));
  cb_jobs_pane_show_job (self, job);
}

static gboolean
tick_cb (gpointer user_data)
{
  CbJobsPane *self = CB_JOBS_PANE (user_data);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->jobs_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_object_get_data (G_OBJECT (row), "cb-job") != NULL)
      {
        CbJob *job = g_object_get_data (G_OBJECT (row), "cb-job");

        if (cb_job_is_active (job))
          update_row (row);
      }
  return G_SOURCE_CONTINUE;
}

/* While the list is open it is looked at again, and its clocks tick. */
static void
popover_visible_cb (GtkWidget  *popover,
                    GParamSpec *pspec,
                    CbJobsPane *self)
{
  if (gtk_widget_get_visible (popover))
    {
      if (self->monitor != NULL)
        cb_job_monitor_refresh (self->monitor);
      if (self->tick_source == 0)
        self->tick_source = g_timeout_add (ELAPSED_TICK_MS, tick_cb, self);
    }
  else
    g_clear_handle_id (&self->tick_source, g_source_remove);
}

/* ---- GObject ------------------------------------------------------------------------ */

/* The selected tab's pane, or %NULL before the first tab is made. */
static CbTerminalPane *
current_pane (CbJobsPane *self)
{
  AdwTabPage *page = self->tab_view != NULL ? adw_tab_view_get_selected_page (self->tab_view)
                                            : NULL;

  return page != NULL ? CB_TERMINAL_PANE (adw_tab_page_get_child (page)) : NULL;
}

static void
cb_jobs_pane_dispose (GObject *object)
{
  CbJobsPane *self = CB_JOBS_PANE (object);
  GtkWidget *child;

  /* Its tab view going empty notifies; nothing may make a first tab now. */
  self->disposed = TRUE;
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->jobs_list != NULL)
    gtk_list_box_bind_model (self->jobs_list, NULL, NULL, NULL, NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->tab_bar = NULL;
  self->tab_view = NULL;
  g_clear_object (&self->monitor);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (cb_jobs_pane_parent_class)->dispose (object);
}

static void
cb_jobs_pane_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CbJobsPane *self = CB_JOBS_PANE (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      /* Reading the property makes no terminal. */
      g_value_set_object (value, current_pane (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The first tab is made when the pane is first shown (or asked for). */
static void
cb_jobs_pane_show (GtkWidget *widget)
{
  cb_jobs_pane_get_current (CB_JOBS_PANE (widget));
  GTK_WIDGET_CLASS (cb_jobs_pane_parent_class)->show (widget);
}

static void
cb_jobs_pane_class_init (CbJobsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_jobs_pane_dispose;
  object_class->get_property = cb_jobs_pane_get_property;
  widget_class->show = cb_jobs_pane_show;

  properties[PROP_CURRENT] = g_param_spec_object ("current", NULL, NULL, CB_TYPE_TERMINAL_PANE,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PANE_ADDED] = g_signal_new ("pane-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, CB_TYPE_TERMINAL_PANE);
  signals[RUNNING_CHANGED] = g_signal_new ("running-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "jobs-pane");
}

static void
cb_jobs_pane_init (CbJobsPane *self)
{
  GtkWidget *scroller;
  GtkWidget *box;
  GtkWidget *heading;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->tab_view = ADW_TAB_VIEW (adw_tab_view_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->tab_view), TRUE);
  self->tab_bar = ADW_TAB_BAR (adw_tab_bar_new ());
  adw_tab_bar_set_view (self->tab_bar, self->tab_view);
  adw_tab_bar_set_autohide (self->tab_bar, FALSE);

  /* The Jobs list */
  self->jobs_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->jobs_list, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->jobs_list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->jobs_list), "navigation-sidebar");
  self->jobs_placeholder = gtk_label_new (_("No runs yet"));
  gtk_widget_add_css_class (self->jobs_placeholder, "dim-label");
  gtk_widget_set_margin_top (self->jobs_placeholder, 12);
  gtk_widget_set_margin_bottom (self->jobs_placeholder, 12);
  gtk_list_box_set_placeholder (self->jobs_list, self->jobs_placeholder);
  g_signal_connect_object (self->jobs_list, "row-activated", G_CALLBACK (job_activated_cb), self, 0);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_widget_set_size_request (scroller, 420, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->jobs_list));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  heading = gtk_label_new (_("Jobs of This Project"));
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), scroller);
  self->jobs_popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->jobs_popover), box);
  g_signal_connect_object (self->jobs_popover, "notify::visible",
                           G_CALLBACK (popover_visible_cb), self, 0);

  self->jobs_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->jobs_button), "view-list-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->jobs_button), self->jobs_popover);
  cb_widget_set_tooltip_text (self->jobs_button, _("Jobs: every run of this project"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->jobs_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Jobs"), -1);
  gtk_widget_add_css_class (self->jobs_button, "flat");
  adw_tab_bar_set_end_action_widget (self->tab_bar, self->jobs_button);

  gtk_widget_set_parent (GTK_WIDGET (self->tab_bar), GTK_WIDGET (self));
  gtk_widget_set_parent (GTK_WIDGET (self->tab_view), GTK_WIDGET (self));

  g_signal_connect_object (self->tab_view, "notify::selected-page",
                           G_CALLBACK (selected_page_cb), self, 0);
  g_signal_connect_object (self->tab_view, "close-page", G_CALLBACK (close_page_cb), self, 0);
}

/* ---- API ---------------------------------------------------------------------------- */

GtkWidget *
cb_jobs_pane_new (void)
{
  return g_object_new (CB_TYPE_JOBS_PANE, NULL);
}

void
cb_jobs_pane_set_history (CbJobsPane   *self,
                          CbRunHistory *history)
{
  g_set_object (&self->history, history);
  for (guint i = 0; i < cb_jobs_pane_get_n_panes (self); i++)
    cb_terminal_pane_set_history (cb_jobs_pane_get_pane (self, i), history);
}

void
cb_jobs_pane_set_monitor (CbJobsPane   *self,
                          CbJobMonitor *monitor)
{
  if (!g_set_object (&self->monitor, monitor))
    return;
  gtk_list_box_bind_model (self->jobs_list,
                           monitor != NULL ? cb_job_monitor_get_model (monitor) : NULL,
                           monitor != NULL ? create_job_row : NULL, self, NULL);
}

CbJobMonitor *
cb_jobs_pane_get_monitor (CbJobsPane *self)
{
  return self->monitor;
}

GtkWidget *
cb_jobs_pane_get_jobs_button (CbJobsPane *self)
{
  return self->jobs_button;
}

guint
cb_jobs_pane_get_n_panes (CbJobsPane *self)
{
  return self->tab_view != NULL ? (guint) adw_tab_view_get_n_pages (self->tab_view) : 0;
}

CbTerminalPane *
cb_jobs_pane_get_pane (CbJobsPane *self,
                       guint       index)
{
  AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, (int) index);

  return CB_TERMINAL_PANE (adw_tab_page_get_child (page));
}

/**
 * cb_jobs_pane_get_current:
 *
 * Returns: (transfer none) (nullable): the selected tab's pane; the first tab is made here if
 *   there is none yet (%NULL only once the pane is disposed)
 */
CbTerminalPane *
cb_jobs_pane_get_current (CbJobsPane *self)
{
  CbTerminalPane *pane = current_pane (self);

  if (pane == NULL && self->tab_view != NULL && !self->disposed)
    pane = add_pane (self);
  return pane;
}

/**
 * cb_jobs_pane_get_idle_pane:
 *
 * Returns: (transfer none): the pane a new run goes to, selected: the current one when
 *   nothing runs in it, else a new tab
 */
CbTerminalPane *
cb_jobs_pane_get_idle_pane (CbJobsPane *self)
{
  CbTerminalPane *pane = cb_jobs_pane_get_current (self);

  if (pane == NULL || cb_terminal_pane_get_running (pane))
    {
      pane = add_pane (self);
      adw_tab_view_set_selected_page (self->tab_view,
                                      adw_tab_view_get_page (self->tab_view, GTK_WIDGET (pane)));
    }
  return pane;
}

CbTerminalPane *
cb_jobs_pane_find_job (CbJobsPane *self,
                       CbJob      *job)
{
  for (guint i = 0; i < cb_jobs_pane_get_n_panes (self); i++)
    {
      CbTerminalPane *pane = cb_jobs_pane_get_pane (self, i);
      CbJob *shown = cb_terminal_pane_get_job (pane);

      if (shown != NULL && g_str_equal (cb_job_get_id (shown), cb_job_get_id (job)))
        return pane;
    }
  return NULL;
}

/**
 * cb_jobs_pane_show_job:
 *
 * Selects the tab that follows @job, or follows it in a new one.
 *
 * Returns: (transfer none): that tab's pane
 */
CbTerminalPane *
cb_jobs_pane_show_job (CbJobsPane *self,
                       CbJob      *job)
{
  CbTerminalPane *pane = cb_jobs_pane_find_job (self, job);

  if (pane == NULL)
    {
      pane = cb_jobs_pane_get_idle_pane (self);
      cb_terminal_pane_follow_job (pane, job);
      update_tab (self, pane);
    }
  adw_tab_view_set_selected_page (self->tab_view,
                                  adw_tab_view_get_page (self->tab_view, GTK_WIDGET (pane)));
  return pane;
}

guint
cb_jobs_pane_get_n_running (CbJobsPane *self)
{
  guint n = 0;

  for (guint i = 0; i < cb_jobs_pane_get_n_panes (self); i++)
    n += cb_terminal_pane_get_running (cb_jobs_pane_get_pane (self, i));
  return n;
}

/* Whether every run going is a job (it outlives the window). */
gboolean
cb_jobs_pane_all_detachable (CbJobsPane *self)
{
  for (guint i = 0; i < cb_jobs_pane_get_n_panes (self); i++)
    {
      CbTerminalPane *pane = cb_jobs_pane_get_pane (self, i);

      if (cb_terminal_pane_get_running (pane) && cb_terminal_pane_get_job (pane) == NULL)
        return FALSE;
    }
  return TRUE;
}

void
cb_jobs_pane_set_stop_timeouts (CbJobsPane *self,
                                guint       interrupt_ms,
                                guint       terminate_ms)
{
  self->interrupt_ms = interrupt_ms;
  self->terminate_ms = terminate_ms;
  for (guint i = 0; i < cb_jobs_pane_get_n_panes (self); i++)
    cb_terminal_pane_set_stop_timeouts (cb_jobs_pane_get_pane (self, i), interrupt_ms,
                                        terminate_ms);
}
