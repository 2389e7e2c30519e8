/* cb-predictions-view.h: the Predictions window: a submission's polygons on its images, and
 * its competition CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb-prediction-canvas.h"

G_BEGIN_DECLS

#define CB_TYPE_PREDICTIONS_VIEW (cb_predictions_view_get_type ())

G_DECLARE_FINAL_TYPE (CbPredictionsView, cb_predictions_view, CB, PREDICTIONS_VIEW, AdwWindow)

CbPredictionsView  *cb_predictions_view_new              (GtkWindow          *parent);
void                cb_predictions_view_set_project      (CbPredictionsView  *self,
                                                          const char         *project_root,
                                                          const char         *outputs_dir);
void                cb_predictions_view_refresh          (CbPredictionsView  *self);
void                cb_predictions_view_show_newest      (CbPredictionsView  *self);
gboolean            cb_predictions_view_get_busy         (CbPredictionsView  *self);
guint               cb_predictions_view_get_n_submissions (CbPredictionsView *self);
const char         *cb_predictions_view_get_submission_path (CbPredictionsView *self);
void                cb_predictions_view_open_file        (CbPredictionsView  *self,
                                                          const char         *path);
CbSubmission       *cb_predictions_view_get_submission   (CbPredictionsView  *self);
void                cb_predictions_view_select_image     (CbPredictionsView  *self,
                                                          guint               index);
guint               cb_predictions_view_get_image_index  (CbPredictionsView  *self);
gboolean            cb_predictions_view_get_decoding     (CbPredictionsView  *self);
const char         *cb_predictions_view_get_note         (CbPredictionsView  *self);
CbPredictionCanvas *cb_predictions_view_get_canvas       (CbPredictionsView  *self);
void                cb_predictions_view_set_min_confidence (CbPredictionsView *self,
                                                          double              value);
void                cb_predictions_view_export_to        (CbPredictionsView  *self,
                                                          const char         *path,
                                                          gboolean            include_confidence);
GtkWidget          *cb_predictions_view_get_replace_dialog (CbPredictionsView *self);

G_END_DECLS
