/* cb-predictions-view.c: the Predictions window: a submission's polygons on its images, and
 * its competition CSV
 *
 * The drop-down lists the JSON files of the prediction runs (their submissions/ folders),
 * newest first, labelled with
 * the run's experiment name (found off the UI thread with the Runs window's discovery); any
 * JSON can be opened too. A submission is read in a worker (json-glib), and so is each image:
 * found in the run's `image_dir` (its config) or in the folder the user chose for the
 * project, decoded into a texture in a worker, kept for the next visit (a few), and the next
 * image is decoded before it is asked for. Export writes the CSV in a worker and never over a
 * file without asking.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-predictions-view"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cb-predictions-view-private.h"
#include "cb-widget-util.h"
#include "cb/cb-run.h"

#define MAX_TEXTURES 12

G_DEFINE_FINAL_TYPE (CbPredictionsView, cb_predictions_view, ADW_TYPE_WINDOW)

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->path);
  g_free (entry->run_dir);
  g_free (entry->label);
  g_free (entry);
}

static char *
folder_file_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "command-builder", "image-folders.ini", NULL);
}

/* ---- the submissions ------------------------------------------------------------------- */

typedef struct
{
  char      *project_root;
  char      *outputs_dir;
  GPtrArray *entries;       /* out */
  char      *image_dir;     /* out: the user's folder for the project */
} FindJob;

static void
find_job_free (FindJob *job)
{
  g_free (job->project_root);
  g_free (job->outputs_dir);
  g_clear_pointer (&job->entries, g_ptr_array_unref);
  g_free (job->image_dir);
  g_free (job);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = *(const Entry * const *) a;
  const Entry *eb = *(const Entry * const *) b;

  if (ea->mtime != eb->mtime)
    return ea->mtime > eb->mtime ? -1 : 1;
  return -g_strcmp0 (ea->path, eb->path);
}

static void
find_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FindJob *job = task_data;
  g_autoptr(GPtrArray) runs = cb_runs_discover (job->project_root, job->outputs_dir,
                                                cancellable, NULL);
  g_autofree char *folders = folder_file_path ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  job->entries = g_ptr_array_new_with_free_func (entry_free);
  for (guint i = 0; i < runs->len; i++)
    {
      CbRun *run = g_ptr_array_index (runs, i);
      g_auto(GStrv) files = cb_submissions_find_files (cb_run_get_path (run));

      for (guint f = 0; files[f] != NULL; f++)
        {
          Entry *entry = g_new0 (Entry, 1);
          g_autofree char *base = g_path_get_basename (files[f]);
          GStatBuf st;

          entry->path = g_strdup (files[f]);
          entry->run_dir = g_strdup (cb_run_get_path (run));
          /* Translators: a submission in the drop-down: "receipts_exp · 20251118_142233.json" */
          entry->label = g_strdup_printf (_("%s · %s"), cb_run_get_title (run), base);
          entry->mtime = g_stat (files[f], &st) == 0 ? st.st_mtime : 0;
          g_ptr_array_add (job->entries, entry);
        }
    }
  g_ptr_array_sort (job->entries, compare_entries);

  if (job->project_root != NULL
      && g_key_file_load_from_file (key_file, folders, G_KEY_FILE_NONE, NULL))
    job->image_dir = g_key_file_get_string (key_file, job->project_root, "images", NULL);
  g_task_return_boolean (task, TRUE);
}

static void load_entry (CbPredictionsView *self,
                        const Entry       *entry);

static void
select_entry_path (CbPredictionsView *self,
                   const char        *path)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->path, path))
        {
          gtk_drop_down_set_selected (self->submission_drop_down, i);
          if (g_strcmp0 (self->selected_path, path) != 0)
            load_entry (self, entry);
          return;
        }
    }
}

static void
update_empty (CbPredictionsView *self)
{
  if (self->entries->len > 0 || self->loading > 0)
    return;
  if (self->refreshing)
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return;
    }
  adw_status_page_set_title (self->status_page, _("No Submissions Yet"));
  adw_status_page_set_description (self->status_page,
                                   _("Run Predict: its submission JSON (submissions/ in the run "
                                     "folder) is shown here, its boxes drawn on the images. Or "
                                     "open a JSON file (Ctrl+O)."));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
found_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  CbPredictionsView *self = CB_PREDICTIONS_VIEW (source);
  FindJob *job = g_task_get_task_data (G_TASK (result));
  g_autofree char *keep = g_strdup (self->selected_path);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  self->refreshing = FALSE;

  /* Files opened by hand stay in the list. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      gboolean found = FALSE;

      for (guint j = 0; j < job->entries->len && !found; j++)
        found = g_str_equal (((Entry *) g_ptr_array_index (job->entries, j))->path, entry->path);
      if (!found && entry->by_hand)
        g_ptr_array_add (job->entries, g_ptr_array_steal_index (self->entries, i--));
    }
  g_ptr_array_unref (self->entries);
  self->entries = g_steal_pointer (&job->entries);
  g_free (self->user_image_dir);
  self->user_image_dir = g_steal_pointer (&job->image_dir);

  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (labels, ((Entry *) g_ptr_array_index (self->entries, i))->label);
  g_ptr_array_add (labels, NULL);
  g_object_set_data (G_OBJECT (self->submission_drop_down), "cb-filling", GINT_TO_POINTER (1));
  gtk_string_list_splice (self->entry_labels, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->entry_labels)),
                          (const char * const *) labels->pdata);
  g_object_set_data (G_OBJECT (self->submission_drop_down), "cb-filling", NULL);

  g_clear_pointer (&self->selected_path, g_free);
  if (self->entries->len > 0)
    {
      /* The one shown before, else the newest. */
      const char *path = ((Entry *) g_ptr_array_index (self->entries, 0))->path;

      for (guint i = 0; keep != NULL && !self->show_newest && i < self->entries->len; i++)
        if (g_str_equal (((Entry *) g_ptr_array_index (self->entries, i))->path, keep))
          path = keep;
      self->show_newest = FALSE;
      if (g_strcmp0 (path, keep) == 0 && self->submission != NULL)
        {
          self->selected_path = g_strdup (keep);
          select_entry_path (self, keep);
        }
      else
        select_entry_path (self, path);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->submission_drop_down), self->entries->len > 0);
  update_empty (self);
}

/**
 * cb_predictions_view_refresh:
 *
 * Looks for the submissions again (off the UI thread); the newest is shown unless another
 * was.
 */
void
cb_predictions_view_refresh (CbPredictionsView *self)
{
  g_autoptr(GTask) task = NULL;
  FindJob *job;

  g_return_if_fail (CB_IS_PREDICTIONS_VIEW (self));

  if (self->outputs_dir == NULL)
    return;
  self->refreshing = TRUE;
  update_empty (self);
  job = g_new0 (FindJob, 1);
  job->project_root = g_strdup (self->project_root);
  job->outputs_dir = g_strdup (self->outputs_dir);
  task = g_task_new (self, self->cancellable, found_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) find_job_free);
  g_task_run_in_thread (task, find_worker);
}

/**
 * cb_predictions_view_show_newest:
 *
 * Looks for the submissions again and shows the newest (a prediction run just wrote it).
 */
void
cb_predictions_view_show_newest (CbPredictionsView *self)
{
  g_return_if_fail (CB_IS_PREDICTIONS_VIEW (self));

  self->show_newest = TRUE;
  cb_predictions_view_refresh (self);
}

/* ---- one submission -------------------------------------------------------------------- */

typedef struct
{
  char         *path;
  char         *run_dir;
  char         *project_root;
  CbSubmission *submission;  /* out */
  char         *image_dir;   /* out */
  GError       *error;       /* out */
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_free (job->path);
  g_free (job->run_dir);
  g_free (job->project_root);
  g_clear_object (&job->submission);
  g_free (job->image_dir);
  g_clear_error (&job->error);
  g_free (job);
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;

  job->submission = cb_submission_load (job->path, &job->error);
  if (job->run_dir != NULL)
    job->image_dir = cb_submission_find_image_dir (job->run_dir, job->project_root);
  g_task_return_boolean (task, TRUE);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CbPredictionsView *self = CB_PREDICTIONS_VIEW (source);
  LoadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) names = NULL;
  guint n;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  self->loading--;
  if (g_strcmp0 (job->path, self->selected_path) != 0)
    return;  /* another was chosen meanwhile */

  if (job->submission == NULL)
    {
      adw_status_page_set_title (self->status_page, _("This Submission Cannot Be Read"));
      adw_status_page_set_description (self->status_page, job->error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      g_clear_object (&self->submission);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "predictions.export", FALSE);
      return;
    }

  g_set_object (&self->submission, job->submission);
  self->decode_generation++;
  g_free (self->run_image_dir);
  self->run_image_dir = g_steal_pointer (&job->image_dir);
  g_hash_table_remove_all (self->textures);
  g_hash_table_remove_all (self->decoding);

  n = cb_submission_get_n_images (self->submission);
  names = g_ptr_array_new_full (n + 1, NULL);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, cb_submission_get_image (self->submission, i)->filename);
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->image_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->image_names)),
                          (const char * const *) names->pdata);

  gtk_widget_set_visible (self->filter_box, cb_submission_has_confidence (self->submission));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "predictions.export", TRUE);
  if (n == 0)
    {
      adw_status_page_set_title (self->status_page, _("No Images in This Submission"));
      adw_status_page_set_description (self->status_page, job->path);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "viewer");
  gtk_single_selection_set_selected (self->image_selection, 0);
  _cb_predictions_view_show_image (self, 0);
}

static void
load_entry (CbPredictionsView *self,
            const Entry       *entry)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *base = g_path_get_basename (entry->path);
  LoadJob *job;

  g_free (self->selected_path);
  self->selected_path = g_strdup (entry->path);
  adw_window_title_set_subtitle (self->window_title, base);
  self->loading++;
  if (self->submission == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  job = g_new0 (LoadJob, 1);
  job->path = g_strdup (entry->path);
  job->run_dir = g_strdup (entry->run_dir);
  job->project_root = g_strdup (self->project_root);
  task = g_task_new (self, self->cancellable, loaded_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  g_task_run_in_thread (task, load_worker);
}

static void
submission_selected_cb (CbPredictionsView *self)
{
  guint i = gtk_drop_down_get_selected (self->submission_drop_down);

  if (g_object_get_data (G_OBJECT (self->submission_drop_down), "cb-filling") != NULL
      || i == GTK_INVALID_LIST_POSITION || i >= self->entries->len)
    return;
  if (g_strcmp0 (((Entry *) g_ptr_array_index (self->entries, i))->path, self->selected_path) != 0)
    load_entry (self, g_ptr_array_index (self->entries, i));
}

/* ---- other actions --------------------------------------------------------------------- */

static void
open_chosen_cb (GtkNativeDialog   *chooser,
                int                response,
                CbPredictionsView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        cb_predictions_view_open_file (self, path);
    }
  g_object_unref (chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CbPredictionsView *self = CB_PREDICTIONS_VIEW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open a Submission File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Submission JSON"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
folder_chosen_cb (GtkNativeDialog   *chooser,
                  int                response,
                  CbPredictionsView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL && self->project_root != NULL)
        {
          g_autofree char *folders = folder_file_path ();
          g_autofree char *parent = g_path_get_dirname (folders);
          g_autoptr(GKeyFile) key_file = g_key_file_new ();
          g_autoptr(GError) error = NULL;

          /* Remembered for the project: a small file, written atomically. */
          g_key_file_load_from_file (key_file, folders, G_KEY_FILE_NONE, NULL);
          g_key_file_set_string (key_file, self->project_root, "images", path);
          g_mkdir_with_parents (parent, 0700);
          if (!g_key_file_save_to_file (key_file, folders, &error))
            g_warning ("%s", error->message);
          g_free (self->user_image_dir);
          self->user_image_dir = g_strdup (path);
          self->decode_generation++;
          g_hash_table_remove_all (self->textures);
          g_hash_table_remove_all (self->decoding);
          _cb_predictions_view_show_image (self, cb_predictions_view_get_image_index (self));
        }
    }
  g_object_unref (chooser);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CbPredictionsView *self = CB_PREDICTIONS_VIEW (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose the Folder of the Images"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Choose"),
                                         _("_Cancel"));
  g_signal_connect_object (chooser, "response", G_CALLBACK (folder_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
step_image (CbPredictionsView *self,
            int                delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->image_names));
  guint index = cb_predictions_view_get_image_index (self);

  if (n == 0)
    return;
  if (delta < 0 && index > 0)
    cb_predictions_view_select_image (self, index - 1);
  else if (delta > 0 && index + 1 < n)
    cb_predictions_view_select_image (self, index + 1);
}

static void
next_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  step_image (CB_PREDICTIONS_VIEW (widget), 1);
}

static void
previous_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  step_image (CB_PREDICTIONS_VIEW (widget), -1);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CbPredictionsView *self = CB_PREDICTIONS_VIEW (widget);

  if (g_str_equal (action_name, "predictions.zoom-in"))
    cb_prediction_canvas_zoom_by (self->canvas, 1.25);
  else if (g_str_equal (action_name, "predictions.zoom-out"))
    cb_prediction_canvas_zoom_by (self->canvas, 0.8);
  else if (g_str_equal (action_name, "predictions.zoom-actual"))
    cb_prediction_canvas_zoom_actual (self->canvas);
  else
    cb_prediction_canvas_zoom_fit (self->canvas);
  _cb_predictions_view_update_zoom_label (self);
}

/* ---- object ---------------------------------------------------------------------------- */

static void
cb_predictions_view_dispose (GObject *object)
{
  CbPredictionsView *self = CB_PREDICTIONS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->replace_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->replace_dialog));
  g_clear_object (&self->submission);

  G_OBJECT_CLASS (cb_predictions_view_parent_class)->dispose (object);
}

static void
cb_predictions_view_finalize (GObject *object)
{
  CbPredictionsView *self = CB_PREDICTIONS_VIEW (object);

  g_free (self->project_root);
  g_free (self->outputs_dir);
  g_free (self->user_image_dir);
  g_free (self->run_image_dir);
  g_free (self->selected_path);
  g_free (self->note);
  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->entries);
  g_clear_object (&self->entry_labels);
  g_clear_object (&self->image_names);
  g_clear_object (&self->image_selection);
  g_hash_table_unref (self->textures);
  g_hash_table_unref (self->decoding);

  G_OBJECT_CLASS (cb_predictions_view_parent_class)->finalize (object);
}

static void
cb_predictions_view_class_init (CbPredictionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_predictions_view_dispose;
  object_class->finalize = cb_predictions_view_finalize;

  g_type_ensure (CB_TYPE_PREDICTION_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-predictions-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, submission_drop_down);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, export_button);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, stack);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, status_page);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, image_list);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, note_revealer);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, note_label);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, canvas);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, filter_box);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, confidence_scale);
  gtk_widget_class_bind_template_child (widget_class, CbPredictionsView, count_label);
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_start);
  gtk_widget_class_bind_template_callback (widget_class, gtk_spinner_stop);
  gtk_widget_class_bind_template_callback_full (widget_class, "confidence_changed_cb",
                                                G_CALLBACK (_cb_predictions_view_confidence_changed));

  _cb_predictions_view_class_init_export (widget_class);
  gtk_widget_class_install_action (widget_class, "predictions.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "predictions.choose-folder", NULL,
                                   choose_folder_action);
  gtk_widget_class_install_action (widget_class, "predictions.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "predictions.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "predictions.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "predictions.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "predictions.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "predictions.zoom-actual", NULL, zoom_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "predictions.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0,
                                       "predictions.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0,
                                       "predictions.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "predictions.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "predictions.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "predictions.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "predictions.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "predictions.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "predictions.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "predictions.zoom-actual", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
cb_predictions_view_init (CbPredictionsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->entry_labels = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->submission_drop_down, G_LIST_MODEL (self->entry_labels));
  g_signal_connect_swapped (self->submission_drop_down, "notify::selected",
                            G_CALLBACK (submission_selected_cb), self);
  gtk_widget_set_visible (GTK_WIDGET (self->submission_drop_down), FALSE);

  _cb_predictions_view_init_images (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "predictions.export", FALSE);
  gtk_range_set_value (GTK_RANGE (self->confidence_scale), 0.0);
  _cb_predictions_view_update_zoom_label (self);
}

/**
 * cb_predictions_view_new:
 * @parent: the main window
 */
CbPredictionsView *
cb_predictions_view_new (GtkWindow *parent)
{
  CbPredictionsView *self = g_object_new (CB_TYPE_PREDICTIONS_VIEW, NULL);

  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  return self;
}

void
cb_predictions_view_set_project (CbPredictionsView *self,
                                 const char        *project_root,
                                 const char        *outputs_dir)
{
  g_return_if_fail (CB_IS_PREDICTIONS_VIEW (self));

  if (g_strcmp0 (self->outputs_dir, outputs_dir) == 0
      && g_strcmp0 (self->project_root, project_root) == 0)
    return;
  g_free (self->project_root);
  g_free (self->outputs_dir);
  self->project_root = g_strdup (project_root);
  self->outputs_dir = g_strdup (outputs_dir);
  cb_predictions_view_refresh (self);
}

/* Whether submissions are being looked for or read. */
gboolean
cb_predictions_view_get_busy (CbPredictionsView *self)
{
  g_return_val_if_fail (CB_IS_PREDICTIONS_VIEW (self), FALSE);
  return self->refreshing || self->loading > 0;
}

guint
cb_predictions_view_get_n_submissions (CbPredictionsView *self)
{
  g_return_val_if_fail (CB_IS_PREDICTIONS_VIEW (self), 0);
  return self->entries->len;
}

const char *
cb_predictions_view_get_submission_path (CbPredictionsView *self)
{
  g_return_val_if_fail (CB_IS_PREDICTIONS_VIEW (self), NULL);
  return self->selected_path;
}

/* Shows @path (any submission JSON), added to the drop-down. */
void
cb_predictions_view_open_file (CbPredictionsView *self,
                               const char        *path)
{
  Entry *entry;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *parent_name = g_path_get_basename (parent);

  g_return_if_fail (CB_IS_PREDICTIONS_VIEW (self));

  for (guint i = 0; i < self->entries->len; i++)
    if (g_str_equal (((Entry *) g_ptr_array_index (self->entries, i))->path, path))
      {
        select_entry_path (self, path);
        return;
      }
  entry = g_new0 (Entry, 1);
  entry->path = g_strdup (path);
  entry->by_hand = TRUE;
  /* In a run's submissions/: that run's images. */
  if (g_str_equal (parent_name, "submissions"))
    entry->run_dir = g_path_get_dirname (parent);
  entry->label = g_strdup (base);
  g_ptr_array_insert (self->entries, 0, entry);
  gtk_string_list_splice (self->entry_labels, 0, 0, (const char * const []) { entry->label, NULL });
  gtk_widget_set_visible (GTK_WIDGET (self->submission_drop_down), TRUE);
  select_entry_path (self, path);
}

CbSubmission *
cb_predictions_view_get_submission (CbPredictionsView *self)
{
  g_return_val_if_fail (CB_IS_PREDICTIONS_VIEW (self), NULL);
  return self->submission;
}

void
cb_predictions_view_select_image (CbPredictionsView *self,
                                  guint              index)
{
  g_return_if_fail (CB_IS_PREDICTIONS_VIEW (self));

  gtk_single_selection_set_selected (self->image_selection, index);
  gtk_widget_activate_action (GTK_WIDGET (self->image_list), "list.scroll-to-item", "u", index);
}

guint
cb_predictions_view_get_image_index (CbPredictionsView *self)
{
  guint index;

  g_return_val_if_fail (CB_IS_PREDICTIONS_VIEW (self), 0);

  index = gtk_single_selection_get_selected (self->image_selection);
  return index == GTK_INVALID_LIST_POSITION ? 0 : index;
}

/* Whether an image is being decoded. */
gboolean
cb_predictions_view_get_decoding (CbPredictionsView *self)
{
  g_return_val_if_fail (CB_IS_PREDICTIONS_VIEW (self), FALSE);
  return g_hash_table_size (self->decoding) > 0;
}

/* What the note above the image says (an image not found, not decodable), or NULL. */
const char *
cb_predictions_view_get_note (CbPredictionsView *self)
{
  g_return_val_if_fail (CB_IS_PREDICTIONS_VIEW (self), NULL);
  return self->note;
}

CbPredictionCanvas *
cb_predictions_view_get_canvas (CbPredictionsView *self)
{
  g_return_val_if_fail (CB_IS_PREDICTIONS_VIEW (self), NULL);
  return self->canvas;
}

void
cb_predictions_view_set_min_confidence (CbPredictionsView *self,
                                        double             value)
{
  g_return_if_fail (CB_IS_PREDICTIONS_VIEW (self));

  gtk_range_set_value (GTK_RANGE (self->confidence_scale), value);
}

GtkWidget *
cb_predictions_view_get_replace_dialog (CbPredictionsView *self)
{
  g_return_val_if_fail (CB_IS_PREDICTIONS_VIEW (self), NULL);
  return self->replace_dialog;
}
