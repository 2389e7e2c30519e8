/* cb-predictions-view-images.c: the Predictions window's images: found, decoded in a worker,
 * kept for the next visit, drawn with their polygons, and what is said when one is missing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-predictions-view"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cb-predictions-view-private.h"

/* The largest picture decoded: a file of 256 MiB, 200 million pixels (800 MB as a texture). */
#define MAX_IMAGE_FILE_SIZE (256 * 1024 * 1024)
#define MAX_IMAGE_PIXELS    200000000
#include "cb-widget-util.h"

const char *
_cb_predictions_view_image_dir (CbPredictionsView *self)
{
  return self->user_image_dir != NULL ? self->user_image_dir : self->run_image_dir;
}

void
_cb_predictions_view_update_count (CbPredictionsView *self)
{
  const CbSubmissionImage *image;
  guint index = cb_predictions_view_get_image_index (self);
  guint shown = cb_prediction_canvas_get_n_shown (self->canvas);
  g_autofree char *text = NULL;

  if (self->submission == NULL || index >= cb_submission_get_n_images (self->submission))
    {
      gtk_label_set_text (self->count_label, "");
      return;
    }
  image = cb_submission_get_image (self->submission, index);
  if (shown == image->n_polygons)
    text = g_strdup_printf (ngettext ("%u box", "%u boxes", shown), shown);
  else
    /* Translators: boxes shown by the confidence filter, of all the image's */
    text = g_strdup_printf (ngettext ("%u of %u box", "%u of %u boxes", image->n_polygons), shown,
                            image->n_polygons);
  gtk_label_set_text (self->count_label, text);
}

void
_cb_predictions_view_update_zoom_label (CbPredictionsView *self)
{
  g_autofree char *text = NULL;

  if (cb_prediction_canvas_get_fit (self->canvas))
    text = g_strdup (_("Fit"));
  else
    text = g_strdup_printf ("%.0f %%", cb_prediction_canvas_get_zoom (self->canvas) * 100);
  gtk_button_set_label (self->zoom_button, text);
}

static void
decode_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GdkTexture *texture;
  GStatBuf st;
  int width = 0, height = 0;

  if (g_stat (task_data, &st) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "not found");
      return;
    }
  /* Something else than a picture, or a picture too big to decode (a shared project may
   * hold anything): refused before a decoder allocates for it. */
  if (!S_ISREG (st.st_mode))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                               _("not a regular file"));
      return;
    }
  if (st.st_size > MAX_IMAGE_FILE_SIZE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("larger than 256 MiB"));
      return;
    }
  if (gdk_pixbuf_get_file_info (task_data, &width, &height) != NULL
      && (gint64) width * height > MAX_IMAGE_PIXELS)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("%d × %d pixels, more than 200 million"), width, height);
      return;
    }
  texture = gdk_texture_new_from_filename (task_data, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
set_note (CbPredictionsView *self,
          const char        *note)
{
  g_free (self->note);
  self->note = g_strdup (note);
  gtk_label_set_text (self->note_label, note != NULL ? note : "");
  gtk_revealer_set_reveal_child (self->note_revealer, note != NULL);
}

static char *
describe_failure (CbPredictionsView *self,
                  guint              index,
                  const GError      *error)
{
  const char *name = cb_submission_get_image (self->submission, index)->filename;

  if (_cb_predictions_view_image_dir (self) == NULL)
    return g_strdup_printf (_("The images of this run were not found (its config's image_dir is "
                              "not a folder here): %s is drawn on a blank page."), name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    /* Translators: the first %s is an image's file name, the second a folder */
    return g_strdup_printf (_("%s is not in %s: its boxes are drawn on a blank page."), name,
                            _cb_predictions_view_image_dir (self));
  return g_strdup_printf (_("%s could not be read (%s): its boxes are drawn on a blank page."),
                          name, error->message);
}

typedef struct
{
  CbPredictionsView *self;
  CbSubmission      *submission;
  guint              index;
  guint              generation;
} DecodeData;

static void
decoded_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  DecodeData *data = user_data;
  CbPredictionsView *self = data->self;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = g_task_propagate_pointer (G_TASK (result), &error);

  /* A result for another submission, or from the folder the user has since replaced. */
  if (g_cancellable_is_cancelled (self->cancellable) || data->submission != self->submission
      || data->generation != self->decode_generation)
    {
      g_clear_object (&texture);
      goto out;
    }
  g_hash_table_remove (self->decoding, GUINT_TO_POINTER (data->index));
  if (g_hash_table_size (self->textures) >= MAX_TEXTURES)
    {
      /* Keep the one shown; let the others go. */
      guint current = cb_predictions_view_get_image_index (self);
      gpointer kept = g_hash_table_lookup (self->textures, GUINT_TO_POINTER (current));

      if (kept != NULL)
        g_object_ref (kept);
      g_hash_table_remove_all (self->textures);
      if (kept != NULL)
        g_hash_table_insert (self->textures, GUINT_TO_POINTER (current), kept);
    }
  if (texture != NULL)
    g_hash_table_insert (self->textures, GUINT_TO_POINTER (data->index), texture);
  else
    {
      g_autofree char *note = describe_failure (self, data->index, error);

      g_hash_table_insert (self->textures, GUINT_TO_POINTER (data->index),
                           g_object_new (G_TYPE_OBJECT, NULL));
      g_object_set_data_full (g_hash_table_lookup (self->textures, GUINT_TO_POINTER (data->index)),
                              "cb-note", g_steal_pointer (&note), g_free);
    }

  if (data->index == cb_predictions_view_get_image_index (self))
    {
      GObject *held = g_hash_table_lookup (self->textures, GUINT_TO_POINTER (data->index));

      if (GDK_IS_TEXTURE (held))
        {
          cb_prediction_canvas_set_texture (self->canvas, GDK_TEXTURE (held));
          set_note (self, NULL);
        }
      else
        set_note (self, g_object_get_data (held, "cb-note"));
    }
out:
  g_object_unref (data->self);
  g_object_unref (data->submission);
  g_free (data);
}

static void
decode (CbPredictionsView *self,
        guint              index)
{
  g_autoptr(GTask) task = NULL;
  DecodeData *data;
  const char *dir = _cb_predictions_view_image_dir (self);
  char *path;

  if (self->submission == NULL || index >= cb_submission_get_n_images (self->submission)
      || g_hash_table_contains (self->textures, GUINT_TO_POINTER (index))
      || g_hash_table_contains (self->decoding, GUINT_TO_POINTER (index)))
    return;

  path = g_build_filename (dir != NULL ? dir : "/nonexistent",
                           cb_submission_get_image (self->submission, index)->filename, NULL);
  data = g_new0 (DecodeData, 1);
  data->self = g_object_ref (self);
  data->submission = g_object_ref (self->submission);
  data->index = index;
  data->generation = self->decode_generation;
  g_hash_table_add (self->decoding, GUINT_TO_POINTER (index));
  task = g_task_new (NULL, self->cancellable, decoded_cb, data);
  g_task_set_task_data (task, path, g_free);
  g_task_run_in_thread (task, decode_worker);
}

void
_cb_predictions_view_show_image (CbPredictionsView *self,
            guint              index)
{
  GObject *held;

  if (self->submission == NULL || index >= cb_submission_get_n_images (self->submission))
    return;
  held = g_hash_table_lookup (self->textures, GUINT_TO_POINTER (index));
  cb_prediction_canvas_set_image (self->canvas, self->submission, index,
                                  GDK_IS_TEXTURE (held) ? GDK_TEXTURE (held) : NULL);
  if (held == NULL)
    {
      set_note (self, NULL);
      decode (self, index);
    }
  else if (!GDK_IS_TEXTURE (held))
    set_note (self, g_object_get_data (held, "cb-note"));
  else
    set_note (self, NULL);
  /* The next one is likely next: decoded before it is asked for. */
  decode (self, index + 1);
  _cb_predictions_view_update_count (self);
  _cb_predictions_view_update_zoom_label (self);
}

static void
image_selected_cb (CbPredictionsView *self)
{
  guint index = gtk_single_selection_get_selected (self->image_selection);

  if (index != GTK_INVALID_LIST_POSITION)
    _cb_predictions_view_show_image (self, index);
}

static void
setup_image_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_item_set_child (item, box);
}

static void
bind_image_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CbPredictionsView        *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *count = gtk_widget_get_last_child (box);
  guint index = gtk_list_item_get_position (item);
  const CbSubmissionImage *image;
  g_autofree char *text = NULL;

  if (self->submission == NULL || index >= cb_submission_get_n_images (self->submission))
    return;
  image = cb_submission_get_image (self->submission, index);
  gtk_label_set_text (GTK_LABEL (name), image->filename);
  cb_widget_set_list_tooltip (name, image->filename);
  text = g_strdup_printf ("%u", image->n_polygons);
  gtk_label_set_text (GTK_LABEL (count), text);
}

void
_cb_predictions_view_confidence_changed (CbPredictionsView *self)
{
  cb_prediction_canvas_set_min_confidence (self->canvas,
                                           gtk_range_get_value (GTK_RANGE (self->confidence_scale)));
  _cb_predictions_view_update_count (self);
}

/* The image list and the caches, at construction. */
void
_cb_predictions_view_init_images (CbPredictionsView *self)
{
  GtkListItemFactory *factory;

  self->image_names = gtk_string_list_new (NULL);
  self->image_selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->image_names)));
  gtk_single_selection_set_autoselect (self->image_selection, TRUE);
  g_signal_connect_swapped (self->image_selection, "notify::selected",
                            G_CALLBACK (image_selected_cb), self);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_image_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_image_cb), self);
  gtk_list_view_set_factory (self->image_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->image_list, GTK_SELECTION_MODEL (self->image_selection));

  self->textures = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->decoding = g_hash_table_new (NULL, NULL);
}
