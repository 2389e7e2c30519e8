/* cb-metrics.h: a run's logged metrics (Lightning's CSV logger), read as the file grows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CB_TYPE_METRICS (cb_metrics_get_type ())

G_DECLARE_FINAL_TYPE (CbMetrics, cb_metrics, CB, METRICS, GObject)

/* One logged value. @step is the row's step column (or its row number when the file has
 * none); @epoch is NAN when the row has no epoch. */
typedef struct
{
  double step;
  double epoch;
  double value;
} CbMetricPoint;

/* Consecutive points of a series, summed up for drawing (cb_metrics_get_buckets()). */
typedef struct
{
  double   step_first;
  double   step_last;
  double   epoch_first;
  double   epoch_last;
  double   first;
  double   min;
  double   max;
  double   last;
  guint    n;
  gboolean restart;   /* its first step is before the step of the point before it */
} CbMetricBucket;

/* The longest line read; a longer one is skipped (and counted bad) without being kept. */
#define CB_METRICS_MAX_LINE (1024 * 1024)
/* The most columns a header may have. */
#define CB_METRICS_MAX_COLUMNS 4096

typedef struct _CbMetricsReader CbMetricsReader;

/* The series of one file, or what a read added to it. */
CbMetrics           *cb_metrics_new              (void);
guint                cb_metrics_get_n_series     (CbMetrics            *self);
const char          *cb_metrics_get_name         (CbMetrics            *self,
                                                  guint                 series);
const CbMetricPoint *cb_metrics_get_points       (CbMetrics            *self,
                                                  guint                 series,
                                                  gsize                *n_points);
const CbMetricBucket *cb_metrics_get_buckets     (CbMetrics            *self,
                                                  guint                 series,
                                                  gsize                *n_buckets);
gboolean             cb_metrics_get_range        (CbMetrics            *self,
                                                  guint                 series,
                                                  double               *step_min,
                                                  double               *step_max,
                                                  double               *value_min,
                                                  double               *value_max);
int                  cb_metrics_find             (CbMetrics            *self,
                                                  const char           *name);
gsize                cb_metrics_get_n_rows       (CbMetrics            *self);
gsize                cb_metrics_get_n_bad_rows   (CbMetrics            *self);
gsize                cb_metrics_get_n_points     (CbMetrics            *self);
gboolean             cb_metrics_get_has_step     (CbMetrics            *self);
guint64              cb_metrics_get_generation   (CbMetrics            *self);
void                 cb_metrics_append           (CbMetrics            *self,
                                                  CbMetrics            *more);
gboolean             cb_metrics_get_best         (CbMetrics            *self,
                                                  const char           *name,
                                                  gboolean              higher_is_better,
                                                  CbMetricPoint        *best);

/* Reads one metrics.csv bit by bit: each read returns only the rows appended since the
 * last, and notices a file that was rewritten or replaced. One thread at a time. */
CbMetricsReader     *cb_metrics_reader_new       (const char           *path);
void                 cb_metrics_reader_free      (CbMetricsReader      *self);
const char          *cb_metrics_reader_get_path  (CbMetricsReader      *self);
CbMetrics           *cb_metrics_reader_read      (CbMetricsReader      *self,
                                                  gboolean              at_end,
                                                  gboolean             *restarted,
                                                  GError              **error);
void                 cb_metrics_reader_feed      (CbMetricsReader      *self,
                                                  const char           *data,
                                                  gsize                 length,
                                                  CbMetrics            *into);
void                 cb_metrics_reader_finish    (CbMetricsReader      *self,
                                                  CbMetrics            *into);
gboolean             cb_metrics_reader_get_waiting (CbMetricsReader    *self);

/* The metrics files of a run folder: Lightning's csv/version_N/metrics.csv in version
 * order, then any other metrics.csv below the run. */
char               **cb_metrics_find_files       (const char           *run_dir);

/* Whole files, for the headless interface: every series of every file of a run, in order. */
CbMetrics           *cb_metrics_read_run         (const char           *run_dir,
                                                  GPtrArray            *problems);
char                *cb_metrics_to_json          (CbMetrics            *self);
char                *cb_metrics_to_text          (CbMetrics            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbMetricsReader, cb_metrics_reader_free)

G_END_DECLS
