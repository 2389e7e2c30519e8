/* cb-submission.h: a prediction run's submission JSON, and the competition CSV made from it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CB_TYPE_SUBMISSION (cb_submission_get_type ())

G_DECLARE_FINAL_TYPE (CbSubmission, cb_submission, CB, SUBMISSION, GObject)

#define CB_SUBMISSION_ERROR (cb_submission_error_quark ())

typedef enum
{
  CB_SUBMISSION_ERROR_SYNTAX,   /* not JSON: FILE:LINE:COLUMN: … */
  CB_SUBMISSION_ERROR_SHAPE,    /* JSON, but not {"images": {NAME: {"words": {…}}}} */
  CB_SUBMISSION_ERROR_EXISTS,   /* the CSV is there and may not be replaced */
} CbSubmissionError;

/* One detected word: a polygon of n_points (x, y) pairs, and its confidence (NAN when the
 * submission has none). */
typedef struct
{
  guint   n_points;
  double *xy;          /* x0, y0, x1, y1, … */
  double  confidence;
} CbPolygon;

/* One image of a submission. */
typedef struct
{
  char      *filename;
  CbPolygon *polygons;
  guint      n_polygons;
} CbSubmissionImage;

/* How many images, polygons and points per polygon are read at most. */
#define CB_SUBMISSION_MAX_IMAGES   1000000
#define CB_SUBMISSION_MAX_POINTS   10000

GQuark                   cb_submission_error_quark     (void);
CbSubmission            *cb_submission_load            (const char    *path,
                                                        GError       **error);
CbSubmission            *cb_submission_load_data       (const char    *data,
                                                        gsize          length,
                                                        const char    *display_name,
                                                        GError       **error);
const char              *cb_submission_get_path        (CbSubmission  *self);
guint                    cb_submission_get_n_images    (CbSubmission  *self);
const CbSubmissionImage *cb_submission_get_image       (CbSubmission  *self,
                                                        guint          index);
gsize                    cb_submission_get_n_polygons  (CbSubmission  *self);
gboolean                 cb_submission_has_confidence  (CbSubmission  *self);
char                    *cb_submission_to_csv          (CbSubmission  *self,
                                                        gboolean       include_confidence,
                                                        gsize         *length);
gboolean                 cb_submission_write_csv       (CbSubmission  *self,
                                                        const char    *path,
                                                        gboolean       include_confidence,
                                                        gboolean       replace,
                                                        gsize         *n_rows,
                                                        gsize         *n_bytes,
                                                        GError       **error);

char                   **cb_submissions_find_files     (const char    *run_dir);
char                    *cb_submission_find_image_dir  (const char    *run_dir,
                                                        const char    *project_root);

void                     cb_submission_load_async      (const char         *path,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
CbSubmission            *cb_submission_load_finish     (GAsyncResult       *result,
                                                        GError            **error);

G_END_DECLS
