/* cb-changes-view.c: what differs on a page from its defaults, a history entry or a run folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per change, "Batch Size  4 → 8", from cb_form_diff_defaults() (the rows the form
 * marked as changed: no pass of its own) or cb_form_diff() against a run history entry of
 * the page or a run folder of the page (the checkpoint scanner's runs, their pages and their
 * .hydra/overrides.yaml read in a worker), chosen in the drop-down and loaded once into a
 * form of its own. It follows the form while it is shown; the rows are rebuilt only when the
 * list of changes differs.
 */

#define G_LOG_DOMAIN "cb-changes-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-changes-view.h"
#include "cb-widget-util.h"
#include "cb/cb-form-diff.h"
#include "cb/cb-run-history.h"
#include "cb/cb-run-overrides.h"

struct _CbChangesView
{
  AdwWindow        parent_instance;

  AdwWindowTitle  *window_title;
  GtkDropDown     *baseline_drop_down;
  GtkStack        *stack;
  GtkListBox      *list_box;
  AdwStatusPage   *status_page;

  CbForm          *form;        /* weak */
  char            *page_title;
  GListModel      *history;     /* CbRunRecord, newest first */
  GPtrArray       *records;     /* CbRunRecord: the entries of the page, in the drop-down
                                 * after "Defaults" */
  CbRunRecord     *chosen;      /* the baseline's entry, or NULL */
  GListModel      *checkpoints; /* the checkpoint scanner's, for its run folders */
  char            *outputs_dir;
  char            *project_root;
  GCancellable    *runs_cancellable;  /* the run folders' pages being read */
  GPtrArray       *runs;        /* CbRunFolder, every page's, newest first */
  GPtrArray       *page_runs;   /* CbRunFolder, borrowed from runs: those of the page, in the
                                 * drop-down after the history entries */
  char            *chosen_run;  /* the baseline's run folder, or NULL */
  GCancellable    *read_cancellable;  /* its overrides.yaml being read */
  CbForm          *baseline;    /* the chosen entry loaded, or NULL */
  char            *baseline_error;
  char            *shown;       /* the changes shown, as one string, to skip equal renders */
  guint            n_changes;
  gboolean         rebuilding;  /* the drop-down's model is being replaced */
};

G_DEFINE_FINAL_TYPE (CbChangesView, cb_changes_view, ADW_TYPE_WINDOW)

/* The experiment name a command gave, without Hydra's quotes: for the drop-down only. */
static char *
exp_name_of (const char * const *argv)
{
  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    if (g_str_has_prefix (argv[i], "exp_name="))
      {
        const char *value = argv[i] + strlen ("exp_name=");
        gsize len = strlen (value);

        if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0])
          return g_strndup (value + 1, len - 2);
        return g_strdup (value);
      }
  return NULL;
}

static char *
record_label (CbRunRecord *record)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (cb_run_record_get_start_time (record));
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_autofree char *name = exp_name_of (cb_run_record_get_argv (record));

  /* Translators: a run in the baseline drop-down: its start time · its experiment name */
  return name != NULL ? g_strdup_printf (_("%s · %s"), when, name) : g_steal_pointer (&when);
}

static char *
run_folder_label (const CbRunFolder *run)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (run->mtime);
  g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");

  /* Translators: a run folder in the baseline drop-down: its experiment name · the time of
   * its newest checkpoint */
  return g_strdup_printf (_("Run folder: %s · %s"), run->title, when);
}

static GtkWidget *
new_change_row (const CbChange *change)
{
  GtkWidget *row = adw_action_row_new ();
  const char *empty = _("(empty)");
  const char *old_text = change->old_text && *change->old_text ? change->old_text : empty;
  const char *new_text = change->new_text && *change->new_text ? change->new_text : empty;
  g_autofree char *subtitle = NULL;

  switch (change->kind)
    {
    case CB_CHANGE_ADDED:
      subtitle = g_strdup_printf (_("Added: %s"), new_text);
      break;
    case CB_CHANGE_REMOVED:
      subtitle = g_strdup_printf (_("Removed: %s"), old_text);
      break;
    case CB_CHANGE_CHANGED:
    default:
      /* Translators: a value changed: the old value → the new value */
      subtitle = g_strdup_printf (_("%s → %s"), old_text, new_text);
      break;
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), change->label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  gtk_widget_set_name (row, change->key);
  if (change->extra)
    {
      GtkWidget *tag = gtk_label_new (_("Extra override"));

      gtk_widget_add_css_class (tag, "dim-label");
      gtk_widget_add_css_class (tag, "caption");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }
  return row;
}

static void
show_empty (CbChangesView *self,
            const char    *title,
            const char    *description)
{
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
render (CbChangesView *self)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  g_autofree char *title = NULL;
  GtkWidget *child;

  if (self->form == NULL)
    return;

  if (self->baseline_error != NULL)
    {
      self->n_changes = 0;
      g_clear_pointer (&self->shown, g_free);
      adw_window_title_set_title (self->window_title, _("Changes"));
      show_empty (self, self->chosen_run != NULL ? _("This Run’s Overrides Cannot Be Read")
                                                 : _("This Run’s Command Cannot Be Read"),
                  self->baseline_error);
      return;
    }
  if (self->read_cancellable != NULL)
    {
      self->n_changes = 0;
      g_clear_pointer (&self->shown, g_free);
      adw_window_title_set_title (self->window_title, _("Changes"));
      show_empty (self, _("Reading the Run’s Overrides…"), NULL);
      return;
    }

  changes = self->baseline != NULL ? cb_form_diff (self->form, self->baseline)
                                   : cb_form_diff_defaults (self->form);
  self->n_changes = changes->len;
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Change", "%u Changes", changes->len),
                           changes->len);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, self->page_title);

  for (guint i = 0; i < changes->len; i++)
    {
      const CbChange *change = g_ptr_array_index (changes, i);

      g_string_append_printf (key, "%d\x1f%s\x1f%s\x1f%s\x1e", change->kind, change->key,
                              change->old_text ? change->old_text : "\x1d",
                              change->new_text ? change->new_text : "\x1d");
    }
  if (self->shown != NULL && g_str_equal (self->shown, key->str))
    return;
  g_free (self->shown);
  self->shown = g_strdup (key->str);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < changes->len; i++)
    gtk_list_box_append (self->list_box, new_change_row (g_ptr_array_index (changes, i)));

  if (changes->len > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (self->baseline != NULL)
    show_empty (self, _("No Changes from This Run"),
                _("The page would run the same command again."));
  else
    show_empty (self, _("No Changes from the Defaults"),
                _("Every field has its default value."));
}

static void
run_settings_read_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CbChangesView) self = user_data;
  g_autoptr(CbRunSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  settings = cb_run_settings_read_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->read_cancellable);
  if (self->form == NULL)
    return;

  if (settings != NULL)
    {
      /* As Use This Run's Settings loads it: the page's script, then the overrides. */
      argv = cb_run_settings_dup_argv (settings);
      self->baseline = cb_form_new_baseline (self->form, (const char * const *) argv, &error);
      if (self->baseline == NULL)
        g_prefix_error (&error, "%s: ", settings->overrides_file);
    }
  if (self->baseline == NULL)
    self->baseline_error = g_strdup (error->message);
  g_clear_pointer (&self->shown, g_free);
  render (self);
}

static void
load_baseline (CbChangesView *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->baseline);
  g_clear_pointer (&self->baseline_error, g_free);
  g_clear_pointer (&self->shown, g_free);
  g_cancellable_cancel (self->read_cancellable);
  g_clear_object (&self->read_cancellable);
  if (self->form == NULL)
    return;

  if (self->chosen_run != NULL)
    {
      /* Off the UI thread: the folder may be anyone's, on any disk. */
      self->read_cancellable = g_cancellable_new ();
      cb_run_settings_read_async (self->chosen_run, cb_form_get_page (self->form),
                                  self->project_root, self->read_cancellable,
                                  run_settings_read_cb, g_object_ref (self));
      return;
    }
  if (self->chosen == NULL)
    return;

  self->baseline = cb_form_new_baseline (self->form, cb_run_record_get_argv (self->chosen),
                                         &error);
  if (self->baseline == NULL)
    self->baseline_error = g_strdup (error->message);
}

/* The drop-down: "Defaults", the history entries of the form's page, then its run folders.
 * The chosen entry or run stays chosen while it is there. */
static void
rebuild_baselines (CbChangesView *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char *page = self->form ? cb_form_get_page (self->form) : NULL;
  guint n = self->history ? g_list_model_get_n_items (self->history) : 0;
  guint selected = 0;

  gboolean chosen_found = FALSE;

  g_ptr_array_set_size (self->records, 0);
  g_ptr_array_set_size (self->page_runs, 0);
  gtk_string_list_append (labels, _("Defaults"));
  for (guint i = 0; i < n && page != NULL; i++)
    {
      g_autoptr(CbRunRecord) record = g_list_model_get_item (self->history, i);
      g_autofree char *label = NULL;

      if (g_strcmp0 (cb_run_record_get_page (record), page) != 0)
        continue;
      label = record_label (record);
      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->records, g_object_ref (record));
      if (record == self->chosen)
        selected = self->records->len;
    }
  for (guint i = 0; self->runs != NULL && i < self->runs->len && page != NULL; i++)
    {
      CbRunFolder *run = g_ptr_array_index (self->runs, i);
      g_autofree char *label = NULL;

      if (g_strcmp0 (run->page, page) != 0)
        continue;
      label = run_folder_label (run);
      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->page_runs, run);
      if (g_strcmp0 (run->run_dir, self->chosen_run) == 0)
        {
          selected = self->records->len + self->page_runs->len;
          chosen_found = TRUE;
        }
    }

  self->rebuilding = TRUE;
  gtk_drop_down_set_model (self->baseline_drop_down, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->baseline_drop_down, selected);
  self->rebuilding = FALSE;

  if ((selected == 0 && self->chosen != NULL) || (self->chosen_run != NULL && !chosen_found))
    {
      g_clear_object (&self->chosen);
      g_clear_pointer (&self->chosen_run, g_free);
      load_baseline (self);
    }
}

static void
baseline_selected_cb (GtkDropDown   *drop_down,
                      GParamSpec    *pspec,
                      CbChangesView *self)
{
  guint selected = gtk_drop_down_get_selected (drop_down);
  guint n_records = self->records->len;
  CbRunRecord *record = NULL;
  CbRunFolder *run = NULL;

  if (self->rebuilding || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (selected > 0 && selected <= n_records)
    record = g_ptr_array_index (self->records, selected - 1);
  else if (selected > n_records && selected - n_records <= self->page_runs->len)
    run = g_ptr_array_index (self->page_runs, selected - n_records - 1);
  if (record == self->chosen && g_strcmp0 (run ? run->run_dir : NULL, self->chosen_run) == 0)
    return;
  g_set_object (&self->chosen, record);
  g_free (self->chosen_run);
  self->chosen_run = run ? g_strdup (run->run_dir) : NULL;
  load_baseline (self);
  render (self);
}

static void
history_changed_cb (GListModel    *model,
                    guint          position,
                    guint          removed,
                    guint          added,
                    CbChangesView *self)
{
  rebuild_baselines (self);
  render (self);
}

static void
resolve_runs_worker (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  /* A checkpoint's run is a training run, unless its hydra.yaml says otherwise. */
  g_task_return_pointer (task, cb_run_folders_resolve (task_data, "train"),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
runs_resolved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CbChangesView *self = CB_CHANGES_VIEW (source);
  g_autoptr(GPtrArray) runs = g_task_propagate_pointer (G_TASK (result), NULL);

  if (runs == NULL)
    return;  /* cancelled: a newer walk's runs are on their way */
  g_clear_object (&self->runs_cancellable);
  g_ptr_array_set_size (self->page_runs, 0);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  self->runs = g_steal_pointer (&runs);
  rebuild_baselines (self);
  render (self);
}

/* The scanner's runs, each folder's page read from its hydra.yaml in a worker. */
static void
refresh_runs (CbChangesView *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->runs_cancellable);
  g_clear_object (&self->runs_cancellable);
  if (self->checkpoints == NULL)
    {
      g_ptr_array_set_size (self->page_runs, 0);
      g_clear_pointer (&self->runs, g_ptr_array_unref);
      rebuild_baselines (self);
      render (self);
      return;
    }

  self->runs_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->runs_cancellable, runs_resolved_cb, NULL);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, cb_run_folders_collect (self->checkpoints, self->outputs_dir),
                        (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, resolve_runs_worker);
}

static void
checkpoints_changed_cb (GListModel    *model,
                        guint          position,
                        guint          removed,
                        guint          added,
                        CbChangesView *self)
{
  refresh_runs (self);
}

static void
form_changed_cb (CbForm        *form,
                 CbChangesView *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    render (self);
}

static void
cb_changes_view_dispose (GObject *object)
{
  CbChangesView *self = CB_CHANGES_VIEW (object);

  cb_follow_object (self, (gpointer *) &self->form, NULL, NULL, NULL);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);
  if (self->checkpoints != NULL)
    g_signal_handlers_disconnect_by_data (self->checkpoints, self);
  g_clear_object (&self->checkpoints);
  g_cancellable_cancel (self->runs_cancellable);
  g_clear_object (&self->runs_cancellable);
  g_cancellable_cancel (self->read_cancellable);
  g_clear_object (&self->read_cancellable);
  g_clear_object (&self->chosen);
  g_clear_object (&self->baseline);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_CHANGES_VIEW);

  G_OBJECT_CLASS (cb_changes_view_parent_class)->dispose (object);
}

static void
cb_changes_view_finalize (GObject *object)
{
  CbChangesView *self = CB_CHANGES_VIEW (object);

  g_ptr_array_unref (self->records);
  g_ptr_array_unref (self->page_runs);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_free (self->chosen_run);
  g_free (self->outputs_dir);
  g_free (self->project_root);
  g_free (self->page_title);
  g_free (self->baseline_error);
  g_free (self->shown);

  G_OBJECT_CLASS (cb_changes_view_parent_class)->finalize (object);
}

static void
cb_changes_view_class_init (CbChangesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_changes_view_dispose;
  object_class->finalize = cb_changes_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-changes-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbChangesView, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbChangesView, baseline_drop_down);
  gtk_widget_class_bind_template_child (widget_class, CbChangesView, stack);
  gtk_widget_class_bind_template_child (widget_class, CbChangesView, list_box);
  gtk_widget_class_bind_template_child (widget_class, CbChangesView, status_page);
  gtk_widget_class_bind_template_callback (widget_class, baseline_selected_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* The drop-down's labels: in the button, one line cut short (a run's name can be long and
 * must not widen the window); in the list, whole. */
static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (GPOINTER_TO_INT (ellipsize))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  ellipsize)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *text = gtk_string_object_get_string (string);

  gtk_label_set_text (GTK_LABEL (label), text);
  /* A label that may be cut short says itself whole on hover. */
  cb_widget_set_list_tooltip (label, GPOINTER_TO_INT (ellipsize) &&
                                     g_utf8_strlen (text, -1) > 40 ? text : NULL);
}

static GtkListItemFactory *
label_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), GINT_TO_POINTER (ellipsize));
  return factory;
}

static void
cb_changes_view_init (CbChangesView *self)
{
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->page_runs = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  {
    g_autoptr(GtkListItemFactory) button = label_factory (TRUE);
    g_autoptr(GtkListItemFactory) list = label_factory (FALSE);

    gtk_drop_down_set_factory (self->baseline_drop_down, button);
    gtk_drop_down_set_list_factory (self->baseline_drop_down, list);
  }
  rebuild_baselines (self);
}

CbChangesView *
cb_changes_view_new (GtkWindow *parent)
{
  return g_object_new (CB_TYPE_CHANGES_VIEW,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
}

/**
 * cb_changes_view_set_form:
 * @form: (nullable): the page's form; the view follows it while it lives
 * @title: the page's title, for the subtitle
 */
void
cb_changes_view_set_form (CbChangesView *self,
                          CbForm        *form,
                          const char    *title)
{
  g_return_if_fail (CB_IS_CHANGES_VIEW (self));

  if (cb_follow_object (self, (gpointer *) &self->form, form, "changed",
                        G_CALLBACK (form_changed_cb)))
    {
      /* Another page (or project): its own history entries and runs, against its defaults
       * first. */
      g_clear_object (&self->chosen);
      g_clear_pointer (&self->chosen_run, g_free);
      load_baseline (self);
      rebuild_baselines (self);
    }
  g_free (self->page_title);
  self->page_title = g_strdup (title);
  render (self);
}

/**
 * cb_changes_view_set_history:
 * @entries: (nullable): the run history's entries (#CbRunRecord), newest first
 */
void
cb_changes_view_set_history (CbChangesView *self,
                             GListModel    *entries)
{
  g_return_if_fail (CB_IS_CHANGES_VIEW (self));

  if (self->history == entries)
    return;
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_set_object (&self->history, entries);
  if (entries != NULL)
    g_signal_connect (entries, "items-changed", G_CALLBACK (history_changed_cb), self);
  rebuild_baselines (self);
  render (self);
}

/**
 * cb_changes_view_set_runs:
 * @checkpoints: (nullable): the checkpoint scanner's model (#CbCheckpoint)
 * @outputs_dir: (nullable): the absolute folder its checkpoints' runs are relative to
 * @project_root: (nullable): messages name files relative to it
 *
 * The run folders of @checkpoints are offered as baselines, on the page of their runner.
 */
void
cb_changes_view_set_runs (CbChangesView *self,
                          GListModel    *checkpoints,
                          const char    *outputs_dir,
                          const char    *project_root)
{
  g_return_if_fail (CB_IS_CHANGES_VIEW (self));
  g_return_if_fail (checkpoints == NULL || outputs_dir != NULL);

  if (self->checkpoints == checkpoints && g_strcmp0 (self->outputs_dir, outputs_dir) == 0 &&
      g_strcmp0 (self->project_root, project_root) == 0)
    return;
  if (self->checkpoints != NULL)
    g_signal_handlers_disconnect_by_data (self->checkpoints, self);
  g_set_object (&self->checkpoints, checkpoints);
  g_free (self->outputs_dir);
  self->outputs_dir = g_strdup (outputs_dir);
  g_free (self->project_root);
  self->project_root = g_strdup (project_root);
  if (checkpoints != NULL)
    g_signal_connect (checkpoints, "items-changed", G_CALLBACK (checkpoints_changed_cb), self);
  refresh_runs (self);
}

/**
 * cb_changes_view_set_baseline:
 * @position: 0 for the defaults, else the page's history entry at @position - 1, then its
 *   run folders
 */
void
cb_changes_view_set_baseline (CbChangesView *self,
                              guint          position)
{
  g_return_if_fail (CB_IS_CHANGES_VIEW (self));
  g_return_if_fail (position <= self->records->len + self->page_runs->len);

  gtk_drop_down_set_selected (self->baseline_drop_down, position);
}

/* "Defaults", the page's history entries and its run folders. */
guint
cb_changes_view_get_n_baselines (CbChangesView *self)
{
  g_return_val_if_fail (CB_IS_CHANGES_VIEW (self), 0);
  return self->records->len + self->page_runs->len + 1;
}

/* The page's run folders in the drop-down, after "Defaults" and the history entries. */
guint
cb_changes_view_get_n_runs (CbChangesView *self)
{
  g_return_val_if_fail (CB_IS_CHANGES_VIEW (self), 0);
  return self->page_runs->len;
}

/* Whether the run folders or the chosen run's overrides are being read. */
gboolean
cb_changes_view_get_busy (CbChangesView *self)
{
  g_return_val_if_fail (CB_IS_CHANGES_VIEW (self), FALSE);
  return self->runs_cancellable != NULL || self->read_cancellable != NULL;
}

guint
cb_changes_view_get_n_changes (CbChangesView *self)
{
  g_return_val_if_fail (CB_IS_CHANGES_VIEW (self), 0);
  return self->n_changes;
}

GtkListBox *
cb_changes_view_get_list_box (CbChangesView *self)
{
  g_return_val_if_fail (CB_IS_CHANGES_VIEW (self), NULL);
  return self->list_box;
}
