/* cb-predictions-view-private.h: what the Predictions window's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb-predictions-view.h"

G_BEGIN_DECLS

#define MAX_TEXTURES 12

typedef struct
{
  char   *path;
  char   *run_dir;   /* NULL for a file opened by hand outside a run */
  gboolean by_hand;  /* opened with Open, kept when the list is read again */
  char   *label;
  gint64  mtime;
} Entry;

struct _CbPredictionsView
{
  AdwWindow           parent_instance;

  char               *project_root;
  char               *outputs_dir;
  char               *user_image_dir;   /* the folder chosen for this project, or NULL */
  GCancellable       *cancellable;
  GPtrArray          *entries;          /* Entry */
  GtkStringList      *entry_labels;
  gboolean            refreshing;
  gboolean            show_newest;      /* after the refresh, the newest (a run just ended) */
  guint               loading;          /* submissions being read */
  char               *selected_path;

  CbSubmission       *submission;
  char               *run_image_dir;    /* the run's image_dir, when it is a folder here */
  GtkStringList      *image_names;
  GtkSingleSelection *image_selection;
  GHashTable         *textures;         /* image index -> GdkTexture, or a GError note */
  GHashTable         *decoding;         /* image indices being decoded */
  guint               decode_generation; /* grows when the image folder changes */
  char               *note;
  GtkWidget          *replace_dialog;   /* weak */

  /* template */
  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  GtkDropDown        *submission_drop_down;
  GtkWidget          *export_button;
  GtkStack           *stack;
  AdwStatusPage      *status_page;
  GtkListView        *image_list;
  GtkRevealer        *note_revealer;
  GtkLabel           *note_label;
  CbPredictionCanvas *canvas;
  GtkButton          *zoom_button;
  GtkWidget          *filter_box;
  GtkScale           *confidence_scale;
  GtkLabel           *count_label;
};

void        _cb_predictions_view_init_images        (CbPredictionsView *self);
void        _cb_predictions_view_show_image         (CbPredictionsView *self,
                                                     guint              index);
void        _cb_predictions_view_update_count       (CbPredictionsView *self);
void        _cb_predictions_view_update_zoom_label  (CbPredictionsView *self);
const char *_cb_predictions_view_image_dir          (CbPredictionsView *self);
void        _cb_predictions_view_confidence_changed (CbPredictionsView *self);
void        _cb_predictions_view_class_init_export  (GtkWidgetClass    *widget_class);

G_END_DECLS
