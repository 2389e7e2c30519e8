/* cb-prediction-canvas.h: one image with its predicted polygons, zoomed and panned
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cb/cb-submission.h"

G_BEGIN_DECLS

#define CB_TYPE_PREDICTION_CANVAS (cb_prediction_canvas_get_type ())

G_DECLARE_FINAL_TYPE (CbPredictionCanvas, cb_prediction_canvas, CB, PREDICTION_CANVAS, GtkWidget)

GtkWidget *cb_prediction_canvas_new              (void);
void       cb_prediction_canvas_set_image        (CbPredictionCanvas      *self,
                                                  CbSubmission            *submission,
                                                  guint                    index,
                                                  GdkTexture              *texture);
void       cb_prediction_canvas_set_texture      (CbPredictionCanvas      *self,
                                                  GdkTexture              *texture);
GdkTexture *cb_prediction_canvas_get_texture     (CbPredictionCanvas      *self);
void       cb_prediction_canvas_set_min_confidence (CbPredictionCanvas    *self,
                                                  double                   min_confidence);
guint      cb_prediction_canvas_get_n_shown      (CbPredictionCanvas      *self);
void       cb_prediction_canvas_zoom_fit         (CbPredictionCanvas      *self);
void       cb_prediction_canvas_zoom_actual      (CbPredictionCanvas      *self);
void       cb_prediction_canvas_zoom_by          (CbPredictionCanvas      *self,
                                                  double                   factor);
double     cb_prediction_canvas_get_zoom         (CbPredictionCanvas      *self);
gboolean   cb_prediction_canvas_get_fit          (CbPredictionCanvas      *self);

G_END_DECLS
