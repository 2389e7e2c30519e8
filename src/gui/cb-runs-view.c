/* cb-runs-view.c: the Runs window: every run folder, its curves and its checkpoints
 *
 * The left half lists the run folders under outputs/ (found off the UI thread by
 * cb_runs_discover_async()), newest first, with search and filters by page and
 * architecture; the right half shows the selected run (or, with several selected, one
 * metric of each): see cb-runs-view-curves.c. What a run leads to (test or predict with one
 * of its checkpoints, its settings on a page) is emitted as signals the main window acts on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-runs-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cb-runs-view-private.h"
#include "cb/cb-run-history.h"

G_DEFINE_FINAL_TYPE (CbRunsView, cb_runs_view, ADW_TYPE_WINDOW)

enum { USE_CHECKPOINT, USE_SETTINGS, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char * const page_ids[] = { NULL, "train", "test", "predict" };

/* ---- filtering ------------------------------------------------------------------------- */

static gboolean
filter_run (gpointer item,
            gpointer user_data)
{
  CbRunsView *self = user_data;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *folded = g_utf8_casefold (search, -1);
  guint page = gtk_drop_down_get_selected (self->page_drop_down);
  guint arch = gtk_drop_down_get_selected (self->architecture_drop_down);
  const char *architecture = NULL;

  if (arch != GTK_INVALID_LIST_POSITION && arch > 0)
    architecture = gtk_string_list_get_string (self->architectures, arch);
  return cb_run_matches (CB_RUN (item), folded,
                         page < G_N_ELEMENTS (page_ids) ? page_ids[page] : NULL, architecture);
}

static void
update_list_stack (CbRunsView *self)
{
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (self->loading && n_all == 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
      return;
    }
  if (n_shown > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }
  if (n_all > 0)
    {
      adw_status_page_set_title (self->list_status, _("No Matching Runs"));
      adw_status_page_set_description (self->list_status,
                                       _("No run matches the search and the filters."));
    }
  else
    {
      g_autofree char *text = NULL;

      adw_status_page_set_title (self->list_status, _("No Runs Yet"));
      /* Translators: %s is the outputs folder */
      text = g_strdup_printf (_("Runs appear here when their folders, with Hydra's .hydra/ "
                                "record, are in %s."),
                              self->outputs_dir != NULL ? self->outputs_dir : "outputs/");
      adw_status_page_set_description (self->list_status, text);
    }
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static void
filter_changed_cb (CbRunsView *self)
{
  if (self->filter == NULL)
    return;  /* the drop-downs getting their models, before the list is made */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_list_stack (self);
}

/* ---- loading --------------------------------------------------------------------------- */

static void
update_architectures (CbRunsView *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint selected = gtk_drop_down_get_selected (self->architecture_drop_down);
  g_autofree char *current = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint keep = 0;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    current = g_strdup (gtk_string_list_get_string (self->architectures, selected));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbRun) run = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const char *arch = cb_run_get_info (run)->architecture;
      gboolean seen = FALSE;

      if (arch == NULL || *arch == '\0')
        continue;
      for (guint j = 0; j < names->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (names, j), arch);
      if (!seen)
        g_ptr_array_add (names, g_strdup (arch));
    }
  g_ptr_array_sort (names, (GCompareFunc) (void (*) (void)) g_strcmp0);
  g_ptr_array_insert (names, 0, g_strdup (_("All Architectures")));
  g_ptr_array_add (names, NULL);

  g_signal_handlers_block_by_func (self->architecture_drop_down, filter_changed_cb, self);
  gtk_string_list_splice (self->architectures, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->architectures)),
                          (const char * const *) names->pdata);
  for (guint i = 1; current != NULL && names->pdata[i] != NULL; i++)
    if (g_str_equal (names->pdata[i], current))
      keep = i;
  gtk_drop_down_set_selected (self->architecture_drop_down, keep);
  g_signal_handlers_unblock_by_func (self->architecture_drop_down, filter_changed_cb, self);
}

/* The selected runs' folders, to select them again after a refresh. */
static GPtrArray *
selected_paths (CbRunsView *self)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, set, &position))
    do
      {
        g_autoptr(CbRun) run = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

        g_ptr_array_add (paths, g_strdup (cb_run_get_path (run)));
      }
    while (gtk_bitset_iter_next (&iter, &position));
  return paths;
}

static void
discovered_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CbRunsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = cb_runs_discover_finish (result, &error);
  g_autoptr(GPtrArray) keep = NULL;
  g_autoptr(GtkBitset) reselect = NULL;

  if (runs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not look for runs: %s", error->message);
      return;
    }

  self->loading = FALSE;
  if (self->records != NULL)
    cb_runs_match_history (runs, self->records);

  keep = selected_paths (self);
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       runs->pdata, runs->len);
  update_architectures (self);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  reselect = gtk_bitset_new_empty ();
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->filtered)); i++)
    {
      g_autoptr(CbRun) run = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      for (guint j = 0; j < keep->len; j++)
        if (g_str_equal (cb_run_get_path (run), g_ptr_array_index (keep, j)))
          gtk_bitset_add (reselect, i);
    }
  {
    g_autoptr(GtkBitset) mask = gtk_bitset_new_range (0, g_list_model_get_n_items (G_LIST_MODEL (self->filtered)));

    gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), reselect, mask);
  }
  update_list_stack (self);
  _cb_runs_view_show_selection (self);

  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      cb_runs_view_refresh (self);
    }
}

/**
 * cb_runs_view_refresh:
 *
 * Looks for the run folders again, off the UI thread; the list keeps what it shows until
 * the new one is ready, and the selection stays on the same folders.
 */
void
cb_runs_view_refresh (CbRunsView *self)
{
  g_return_if_fail (CB_IS_RUNS_VIEW (self));

  if (self->outputs_dir == NULL)
    return;
  if (self->loading)
    {
      self->refresh_again = TRUE;
      return;
    }
  self->loading = TRUE;
  update_list_stack (self);
  cb_runs_discover_async (self->project_root, self->outputs_dir, self->cancellable,
                          discovered_cb, g_object_ref (self));
}

static void
selection_changed_cb (GtkSelectionModel *model,
                      guint              position,
                      guint              n_items,
                      CbRunsView        *self)
{
  _cb_runs_view_show_selection (self);
}

/* ---- actions --------------------------------------------------------------------------- */

static CbRun *
single_run (CbRunsView *self)
{
  return self->shown->len == 1 ? g_ptr_array_index (self->shown, 0) : NULL;
}

static const char *
chosen_checkpoint (CbRunsView *self)
{
  guint i = gtk_drop_down_get_selected (self->checkpoint_drop_down);

  if (i == GTK_INVALID_LIST_POSITION || i >= self->checkpoint_paths->len)
    return NULL;
  return g_ptr_array_index (self->checkpoint_paths, i);
}

static void
use_checkpoint_on (CbRunsView *self,
                   const char *page,
                   const char *path)
{
  if (path == NULL)
    return;
  if (self->mark_popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->mark_popover));
  g_signal_emit (self, signals[USE_CHECKPOINT], 0, page, path);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CbRunsView *self = CB_RUNS_VIEW (widget);

  use_checkpoint_on (self, "test", chosen_checkpoint (self));
}

static void
predict_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  CbRunsView *self = CB_RUNS_VIEW (widget);

  use_checkpoint_on (self, "predict", chosen_checkpoint (self));
}

static void
use_checkpoint_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CbRunsView *self = CB_RUNS_VIEW (widget);
  const char *page, *path;

  g_variant_get (param, "(&s&s)", &page, &path);
  if (g_strv_contains (page_ids + 1, page))
    use_checkpoint_on (self, page, path);
}

static void
use_settings_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CbRunsView *self = CB_RUNS_VIEW (widget);
  CbRun *run = single_run (self);

  if (run != NULL)
    g_signal_emit (self, signals[USE_SETTINGS], 0, cb_run_get_path (run));
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CbRunsView *self = CB_RUNS_VIEW (widget);
  CbRun *run = single_run (self);
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;

  if (run == NULL)
    return;
  file = g_file_new_for_path (cb_run_get_path (run));
  uri = g_file_get_uri (file);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  cb_runs_view_refresh (CB_RUNS_VIEW (widget));
}

static void
x_axis_toggled_cb (CbRunsView *self)
{
  _cb_runs_view_x_axis_changed (self);
}

/* ---- object ---------------------------------------------------------------------------- */

/* A run of this app that is running and not listed yet: its folder is being made. */
static gboolean
running_run_missing (CbRunsView *self)
{
  guint n_records = self->records != NULL ? g_list_model_get_n_items (self->records) : 0;
  guint n_runs = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n_records; i++)
    {
      g_autoptr(CbRunRecord) record = g_list_model_get_item (self->records, i);
      gboolean listed = FALSE;

      /* Running with its app here: a record left by an app that died is not waited for. */
      if (cb_run_record_get_outcome (record) != CB_RUN_OUTCOME_RUNNING)
        continue;
      for (guint j = 0; j < n_runs && !listed; j++)
        {
          g_autoptr(CbRun) run = g_list_model_get_item (G_LIST_MODEL (self->store), j);
          CbRunRecord *matched = cb_run_get_record (run);

          listed = matched != NULL && g_strcmp0 (cb_run_record_get_id (matched),
                                                 cb_run_record_get_id (record)) == 0;
        }
      if (!listed)
        return TRUE;
    }
  return FALSE;
}

static gboolean
watch_cb (gpointer user_data)
{
  CbRunsView *self = user_data;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && !self->loading && running_run_missing (self))
    cb_runs_view_refresh (self);
  return G_SOURCE_CONTINUE;
}

static void
records_changed_cb (GListModel *records,
                    guint       position,
                    guint       removed,
                    guint       added,
                    CbRunsView *self)
{
  /* A run started or ended: its folder may be new, and its state changed. */
  cb_runs_view_refresh (self);
}

static void
cb_runs_view_dispose (GObject *object)
{
  CbRunsView *self = CB_RUNS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->watch_source, g_source_remove);
  if (self->records != NULL)
    g_signal_handlers_disconnect_by_func (self->records, records_changed_cb, self);
  g_clear_object (&self->records);
  _cb_runs_view_dispose_curves (self);

  G_OBJECT_CLASS (cb_runs_view_parent_class)->dispose (object);
}

static void
cb_runs_view_finalize (GObject *object)
{
  CbRunsView *self = CB_RUNS_VIEW (object);

  g_free (self->project_root);
  g_free (self->outputs_dir);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->filtered);
  g_clear_object (&self->selection);
  g_clear_object (&self->architectures);

  G_OBJECT_CLASS (cb_runs_view_parent_class)->finalize (object);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (CB_RUNS_VIEW (widget)->search_entry));
}

static void
cb_runs_view_class_init (CbRunsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_runs_view_dispose;
  object_class->finalize = cb_runs_view_finalize;

  /**
   * CbRunsView::use-checkpoint:
   * @page: "test" or "predict"
   * @path: the checkpoint, as the pages' checkpoint fields take it
   */
  signals[USE_CHECKPOINT] = g_signal_new ("use-checkpoint", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * CbRunsView::use-settings:
   * @run_dir: the run folder whose overrides go into the page of its runner
   */
  signals[USE_SETTINGS] = g_signal_new ("use-settings", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-runs-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, page_drop_down);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, architecture_drop_down);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, list_status);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, facts_label);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, actions_box);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, checkpoint_box);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, checkpoint_drop_down);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, legend_box);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, metric_box);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, step_button);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, epoch_button);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, plots_box);
  gtk_widget_class_bind_template_child (widget_class, CbRunsView, status_label);
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_start);
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_stop);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, x_axis_toggled_cb);

  gtk_widget_class_install_action (widget_class, "runs.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "runs.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "runs.predict", NULL, predict_action);
  gtk_widget_class_install_action (widget_class, "runs.use-checkpoint", "(ss)",
                                   use_checkpoint_action);
  gtk_widget_class_install_action (widget_class, "runs.use-settings", NULL,
                                   use_settings_action);
  gtk_widget_class_install_action (widget_class, "runs.open-folder", NULL,
                                   open_folder_action);
  gtk_widget_class_install_action (widget_class, "runs.focus-search", NULL,
                                   focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "runs.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "runs.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "runs.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cb_runs_view_init (CbRunsView *self)
{
  static const char * const pages[] = { N_("All Pages"), N_("Train"), N_("Test"),
                                        N_("Predict"), NULL };
  g_autoptr(GtkStringList) page_list = gtk_string_list_new (NULL);
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; pages[i] != NULL; i++)
    gtk_string_list_append (page_list, _(pages[i]));
  gtk_drop_down_set_model (self->page_drop_down, G_LIST_MODEL (page_list));
  self->architectures = gtk_string_list_new (NULL);
  gtk_string_list_append (self->architectures, _("All Architectures"));
  gtk_drop_down_set_model (self->architecture_drop_down, G_LIST_MODEL (self->architectures));

  self->cancellable = g_cancellable_new ();
  self->store = g_list_store_new (CB_TYPE_RUN);
  self->filter = gtk_custom_filter_new (filter_run, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                              GTK_FILTER (self->filter));
  g_object_ref (self->filtered);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (self->filtered));
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb),
                    self);

  factory = _cb_runs_view_row_factory_new ();
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  _cb_runs_view_init_curves (self);
  update_list_stack (self);
  self->watch_source = g_timeout_add (1500, watch_cb, self);
}

/**
 * cb_runs_view_new:
 * @parent: the main window
 */
CbRunsView *
cb_runs_view_new (GtkWindow *parent)
{
  CbRunsView *self = g_object_new (CB_TYPE_RUNS_VIEW, NULL);

  /* Not transient: the window sits beside the main one, and either can be in front. */
  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  return self;
}

/**
 * cb_runs_view_set_project:
 * @outputs_dir: the outputs folder, absolute
 */
void
cb_runs_view_set_project (CbRunsView *self,
                          const char *project_root,
                          const char *outputs_dir)
{
  g_autofree char *subtitle = NULL;

  g_return_if_fail (CB_IS_RUNS_VIEW (self));

  if (g_strcmp0 (self->outputs_dir, outputs_dir) == 0
      && g_strcmp0 (self->project_root, project_root) == 0)
    return;
  g_free (self->project_root);
  g_free (self->outputs_dir);
  self->project_root = g_strdup (project_root);
  self->outputs_dir = g_strdup (outputs_dir);
  subtitle = g_filename_display_name (outputs_dir != NULL ? outputs_dir : "");
  adw_window_title_set_subtitle (self->window_title, subtitle);
  g_list_store_remove_all (self->store);
  cb_runs_view_refresh (self);
}

/**
 * cb_runs_view_set_history:
 * @records: (nullable) (element-type CbRunRecord): the project's run history
 *
 * The runs this app started get their state from it; a change (a run started or ended)
 * looks for the run folders again.
 */
void
cb_runs_view_set_history (CbRunsView *self,
                          GListModel *records)
{
  g_return_if_fail (CB_IS_RUNS_VIEW (self));

  if (self->records == records)
    return;
  if (self->records != NULL)
    g_signal_handlers_disconnect_by_func (self->records, records_changed_cb, self);
  g_set_object (&self->records, records);
  if (records != NULL)
    g_signal_connect (records, "items-changed", G_CALLBACK (records_changed_cb), self);
  cb_runs_view_refresh (self);
}

gboolean
cb_runs_view_get_loading (CbRunsView *self)
{
  g_return_val_if_fail (CB_IS_RUNS_VIEW (self), FALSE);

  return self->loading;
}

/* The runs the list shows (after search and filters). */
GListModel *
cb_runs_view_get_runs (CbRunsView *self)
{
  g_return_val_if_fail (CB_IS_RUNS_VIEW (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

/**
 * cb_runs_view_select_several:
 * @names: run folders below outputs/
 *
 * Returns: whether every one of them is listed (and now selected)
 */
gboolean
cb_runs_view_select_several (CbRunsView         *self,
                             const char * const *names)
{
  g_autoptr(GtkBitset) set = gtk_bitset_new_empty ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint found = 0;

  g_return_val_if_fail (CB_IS_RUNS_VIEW (self), FALSE);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbRun) run = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strv_contains (names, cb_run_get_name (run)))
        {
          gtk_bitset_add (set, i);
          found++;
        }
    }
  {
    g_autoptr(GtkBitset) mask = gtk_bitset_new_range (0, n);

    gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), set, mask);
  }
  return found == g_strv_length ((char **) names);
}

gboolean
cb_runs_view_select (CbRunsView *self,
                     const char *name)
{
  const char *names[] = { name, NULL };

  return cb_runs_view_select_several (self, names);
}

void
cb_runs_view_set_search (CbRunsView *self,
                         const char *text)
{
  g_return_if_fail (CB_IS_RUNS_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  filter_changed_cb (self);
}

GtkWidget *
cb_runs_view_get_mark_popover (CbRunsView *self)
{
  g_return_val_if_fail (CB_IS_RUNS_VIEW (self), NULL);

  return self->mark_popover;
}
