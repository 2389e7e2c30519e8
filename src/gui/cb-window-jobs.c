/* cb-window-jobs.c: the window's jobs: where a page runs, and the runs of earlier sessions
 *
 * Targets: a drop-down beside Run picks where the visible page's command runs: This
 * Computer, or a host of the project's `.command-builder/targets.yaml` (read in a worker,
 * read again when the file changes). Each page keeps its own choice for the session. With a
 * host chosen the preview shows the command as the host runs it (`ssh … 'cd DIR && …'`).
 * "Edit Targets…" (last in the list, and win.edit-targets) opens the file in the user's
 * editor, made with an example first when there is none.
 *
 * Earlier runs: at start the project's jobs are looked at in a worker (CbJobMonitor). Runs
 * still going get a tab each, attached, with what they wrote so far; runs that ended while
 * no window showed them get a tab each with their output and how they ended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cb/cb-job-form.h"
#include "cb-window-private.h"
#include "cb/cb-problem.h"
#include "cb-widget-util.h"

/* At most this many tabs open by themselves at start. */
#define MAX_TABS_AT_START 8

static const char targets_example[] =
  "# Where Command Builder runs commands, besides this computer. Shared with the project.\n"
  "# Each host needs tmux and the project (with its Python environment) in project_dir.\n"
  "targets: []\n"
  "#  - name: gpu1\n"
  "#    type: ssh\n"
  "#    host: gpu1.example.org\n"
  "#    user: me\n"
  "#    port: 22\n"
  "#    identity_file: ~/.ssh/id_ed25519\n"
  "#    project_dir: ~/ocr\n"
  "#    setup:\n"
  "#      - . .venv/bin/activate\n"
  "# A Slurm cluster: jobs go through sbatch, here or on a login host (host: …, as above).\n"
  "#  - name: hpc\n"
  "#    type: slurm\n"
  "#    host: login.hpc.example.org\n"
  "#    project_dir: ~/ocr\n"
  "#    partition: gpu\n"
  "#    time: \"04:00:00\"\n"
  "#    gpus: 1\n"
  "#    cpus_per_task: 8\n"
  "#    mem: 32G\n"
  "#    array_limit: 4          # a sweep's tasks at once\n"
  "#    sbatch:\n"
  "#      - --constraint=a100\n"
  "#    setup:\n"
  "#      - module load cuda\n"
  "#      - . .venv/bin/activate\n";

gboolean
_cb_window_have_tmux (CbWindow *self)
{
  static int have = -1;

  /* Looked up once: PATH does not change under a running app. */
  if (have < 0)
    {
      g_autofree char *path = g_find_program_in_path ("tmux");

      have = path != NULL;
    }
  return have;
}

/* ---- targets ------------------------------------------------------------------------ */

const CbTarget *
_cb_window_get_page_target (CbWindow   *self,
                            const char *page_name)
{
  const char *name = NULL;
  CbTarget *target;

  if (self->page_targets != NULL && page_name != NULL)
    {
      name = g_hash_table_lookup (self->page_targets, page_name);
      /* The page's choice of an earlier session, once. */
      if (name == NULL && self->state_store != NULL)
        {
          char *saved = cb_state_store_dup_target (self->state_store, page_name);

          g_hash_table_replace (self->page_targets, g_strdup (page_name),
                                saved != NULL ? saved : g_strdup (CB_TARGET_LOCAL_NAME));
          name = g_hash_table_lookup (self->page_targets, page_name);
        }
    }
  target = cb_targets_find (self->targets, name);
  if (target == NULL)
    target = cb_targets_find (self->targets, CB_TARGET_LOCAL_NAME);
  return target;
}

/* The command as the page's host runs it (`ssh … 'cd … && exec …'`); for a Slurm cluster
 * the job script it submits; NULL on this computer. */
char *
_cb_window_dup_target_preview (CbWindow  *self,
                               CbPage    *page,
                               CbCommand *command)
{
  const CbTarget *target;

  if (command == NULL || self->targets == NULL || page == NULL)
    return NULL;
  target = _cb_window_get_page_target (self, cb_page_get_page_name (page));
  if (cb_target_is_local (target))
    return NULL;
  if (cb_target_is_slurm (target))
    return self->project != NULL && cb_page_get_form (page) != NULL
      ? cb_form_dup_slurm_script (cb_page_get_form (page), self->project->root, target, NULL)
      : NULL;
  return cb_target_dup_command (target, cb_command_get_argv (command), NULL);
}

/* Selects the shown page's target in the list. A tab switch comes here alone: the list
 * itself is made only when the targets change (fill_dropdown()). */
static void
select_page_target (CbWindow *self)
{
  CbPage *page = cb_window_get_visible_page (self);
  const CbTarget *current = _cb_window_get_page_target (self, page ? cb_page_get_page_name (page)
                                                                   : NULL);
  guint selected = 0;

  for (guint i = 0; self->targets != NULL && i < self->targets->len; i++)
    if (g_ptr_array_index (self->targets, i) == current)
      selected = i;
  if (gtk_drop_down_get_selected (self->target_dropdown) == selected)
    return;

  g_signal_handlers_block_matched (self->target_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                   self);
  gtk_drop_down_set_selected (self->target_dropdown, selected);
  g_signal_handlers_unblock_matched (self->target_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                     NULL, self);
}

/* The list of targets, then "Edit Targets…"; made again when the targets change. */
static void
fill_dropdown (CbWindow *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  for (guint i = 0; self->targets != NULL && i < self->targets->len; i++)
    {
      g_autofree char *title = cb_target_dup_title (g_ptr_array_index (self->targets, i));

      gtk_string_list_append (titles, title);
    }
  gtk_string_list_append (titles, _("Edit Targets…"));

  g_signal_handlers_block_matched (self->target_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                   self);
  gtk_drop_down_set_model (self->target_dropdown, G_LIST_MODEL (titles));
  g_signal_handlers_unblock_matched (self->target_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                     NULL, self);
  select_page_target (self);
}

static void
edit_targets (CbWindow *self)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  if (self->project == NULL)
    return;
  path = cb_targets_path_for_project (self->project->root);
  dir = g_path_get_dirname (path);
  if (!g_file_test (path, G_FILE_TEST_EXISTS) &&
      (g_mkdir_with_parents (dir, 0755) != 0 ||
       !g_file_set_contents_full (path, targets_example, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                  0644, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("Could not make %s: %s"), path,
                                                  error ? error->message : g_strerror (errno));

      _cb_window_show_toast (self, message);
      return;
    }
  uri = g_filename_to_uri (path, NULL, NULL);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
  /* Translators: %s is a file's path */
  {
    g_autofree char *message = g_strdup_printf (_("Targets are in %s; the list follows the file"),
                                                path);

    _cb_window_show_toast (self, message);
  }
}

static void
edit_targets_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  edit_targets (CB_WINDOW (widget));
}

static void
target_selected_cb (GtkDropDown *dropdown,
                    GParamSpec  *pspec,
                    CbWindow    *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  CbPage *page = cb_window_get_visible_page (self);

  if (self->targets == NULL || page == NULL)
    return;
  if (selected >= self->targets->len)
    {
      select_page_target (self);  /* back to the page's target */
      edit_targets (self);
      return;
    }
  g_hash_table_replace (self->page_targets, g_strdup (cb_page_get_page_name (page)),
                        g_strdup (((CbTarget *) g_ptr_array_index (self->targets, selected))->name));
  if (self->state_store != NULL)
    cb_state_store_set_target (self->state_store, cb_page_get_page_name (page),
                               ((CbTarget *) g_ptr_array_index (self->targets, selected))->name);
  _cb_window_update_preview (self);
}

static void
visible_page_cb (GtkStack   *stack,
                 GParamSpec *pspec,
                 CbWindow   *self)
{
  select_page_target (self);
}

typedef struct
{
  char      *root;
  GPtrArray *targets;
  GPtrArray *problems;
} TargetsData;

static void
targets_data_free (TargetsData *data)
{
  g_free (data->root);
  g_clear_pointer (&data->targets, g_ptr_array_unref);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_free (data);
}

static void
targets_worker (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TargetsData *data = task_data;

  data->problems = cb_problem_list_new ();
  data->targets = cb_targets_load (data->root, data->problems);
  g_task_return_boolean (task, TRUE);
}

static void
targets_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CbWindow *self = CB_WINDOW (source);
  TargetsData *data = g_task_get_task_data (G_TASK (result));

  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->target_dropdown == NULL)
    return;
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  self->targets = g_steal_pointer (&data->targets);
  if (data->problems->len > 0)
    {
      g_autofree char *first = cb_problem_to_string (g_ptr_array_index (data->problems, 0));

      _cb_window_show_toast (self, first);
    }
  fill_dropdown (self);
  _cb_window_update_preview (self);
}

static void
load_targets (CbWindow *self)
{
  g_autoptr(GTask) task = NULL;
  TargetsData *data;

  if (self->project == NULL)
    return;
  data = g_new0 (TargetsData, 1);
  data->root = g_strdup (self->project->root);
  task = g_task_new (self, NULL, targets_loaded_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) targets_data_free);
  g_task_run_in_thread (task, targets_worker);
}

static void
targets_file_changed_cb (GFileMonitor      *monitor,
                         GFile             *file,
                         GFile             *other,
                         GFileMonitorEvent  event,
                         CbWindow          *self)
{
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT || event == G_FILE_MONITOR_EVENT_DELETED ||
      event == G_FILE_MONITOR_EVENT_CREATED || event == G_FILE_MONITOR_EVENT_RENAMED ||
      event == G_FILE_MONITOR_EVENT_MOVED_IN)
    load_targets (self);
}

/* ---- earlier runs ------------------------------------------------------------------- */

static void
jobs_loaded_cb (CbJobMonitor *monitor,
                GPtrArray    *ended,
                CbWindow     *self)
{
  GListModel *model = cb_job_monitor_get_model (monitor);
  guint n = g_list_model_get_n_items (model);
  guint opened = 0;

  /* Oldest first, so that the newest ends up selected. */
  for (guint i = n; i > 0 && opened < MAX_TABS_AT_START; i--)
    {
      g_autoptr(CbJob) job = g_list_model_get_item (model, i - 1);
      gboolean ended_unseen = FALSE;

      for (guint e = 0; e < ended->len; e++)
        if (g_str_equal (cb_job_get_id (g_ptr_array_index (ended, e)), cb_job_get_id (job)))
          ended_unseen = TRUE;
      if (!cb_job_is_active (job) && !ended_unseen)
        continue;
      if (cb_jobs_pane_find_job (self->jobs_pane, job) != NULL)
        continue;
      _cb_window_set_terminal_visible (self, TRUE);
      cb_jobs_pane_show_job (self->jobs_pane, job);
      opened++;
    }
  if (ended->len > 0)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u run ended while the window was closed",
                                                               "%u runs ended while the window was closed",
                                                               ended->len),
                                                   ended->len);

      _cb_window_show_toast (self, message);
    }
}

void
_cb_window_init_jobs (CbWindow *self)
{
  GtkWidget *run_button = cb_command_view_get_run_button (self->command_view);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  self->page_targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_target_free);
  g_ptr_array_add (self->targets, cb_target_new_local ());

  self->target_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  cb_widget_set_tooltip_text (GTK_WIDGET (self->target_dropdown),
                              _("Where Run runs this page’s command"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->target_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Run on"), -1);
  gtk_widget_insert_before (GTK_WIDGET (self->target_dropdown), gtk_widget_get_parent (run_button),
                            run_button);
  fill_dropdown (self);
  g_signal_connect_object (self->target_dropdown, "notify::selected",
                           G_CALLBACK (target_selected_cb), self, 0);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (visible_page_cb), self, 0);

  if (self->project == NULL)
    return;

  load_targets (self);
  path = cb_targets_path_for_project (self->project->root);
  file = g_file_new_for_path (path);
  self->targets_monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (self->targets_monitor != NULL)
    g_signal_connect_object (self->targets_monitor, "changed",
                             G_CALLBACK (targets_file_changed_cb), self, 0);

  self->job_monitor = cb_job_monitor_new (self->project->root, self->run_history);
  cb_jobs_pane_set_monitor (self->jobs_pane, self->job_monitor);
  g_signal_connect_object (self->job_monitor, "loaded", G_CALLBACK (jobs_loaded_cb), self, 0);
  cb_job_monitor_refresh (self->job_monitor);
}

void
_cb_window_dispose_jobs (CbWindow *self)
{
  if (self->targets_monitor != NULL)
    g_file_monitor_cancel (self->targets_monitor);
  g_clear_object (&self->targets_monitor);
  if (self->job_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->job_monitor, self);
  g_clear_object (&self->job_monitor);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->page_targets, g_hash_table_unref);
  self->target_dropdown = NULL;
}

void
_cb_window_class_init_jobs (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.edit-targets", NULL, edit_targets_action);
}

/* The terminal tabs, for tests. */
GtkWidget *
cb_window_get_jobs_pane (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->jobs_pane);
}

/* Where the visible page runs, for tests. */
GtkDropDown *
cb_window_get_target_dropdown (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->target_dropdown;
}
