/* cb-checkpoint-scanner.h: one per process; walks outputs/ off the UI thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cb-checkpoint.h"

G_BEGIN_DECLS

#define CB_TYPE_CHECKPOINT_SCANNER (cb_checkpoint_scanner_get_type ())

G_DECLARE_FINAL_TYPE (CbCheckpointScanner, cb_checkpoint_scanner, CB, CHECKPOINT_SCANNER, GObject)

/* Counters of the last finished walk, for tests, benchmarks and the UI. */
typedef struct
{
  guint    n_dirs_read;      /* readdir'ed */
  guint    n_dirs_reused;    /* unchanged since the previous walk: not read again */
  guint    n_unreadable;     /* skipped: could not be opened */
  guint    n_loops;          /* symlinked folders already visited (loops) */
  guint    n_too_deep;       /* folders beyond the depth bound */
  guint    n_checkpoints;
  guint    n_runs_read;      /* .hydra configs parsed */
  guint    n_threads;        /* threads the walk used */
  double   seconds;
  gpointer thread;           /* the thread the walk ran on */
} CbScanStats;

CbCheckpointScanner *cb_checkpoint_scanner_new          (const char           *project_root,
                                                         const char           *outputs_dir);
GListModel          *cb_checkpoint_scanner_get_model    (CbCheckpointScanner  *self);
const CbScanStats   *cb_checkpoint_scanner_get_stats    (CbCheckpointScanner  *self);
gboolean             cb_checkpoint_scanner_get_loaded   (CbCheckpointScanner  *self);
void                 cb_checkpoint_scanner_set_max_depth (CbCheckpointScanner *self,
                                                         guint                 max_depth);
void                 cb_checkpoint_scanner_set_max_threads (CbCheckpointScanner *self,
                                                           guint                max_threads);
void                 cb_checkpoint_scanner_set_foreground (CbCheckpointScanner *self,
                                                          gboolean             foreground);
void                 cb_checkpoint_scanner_scan_async   (CbCheckpointScanner  *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean             cb_checkpoint_scanner_scan_finish  (CbCheckpointScanner  *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void                 cb_checkpoint_scanner_rescan       (CbCheckpointScanner  *self);
gboolean             cb_checkpoint_scanner_install_finished (CbCheckpointScanner *self,
                                                             gint64               wait_us);
void                 cb_checkpoint_scanner_watch        (CbCheckpointScanner  *self);
guint                cb_checkpoint_scanner_get_n_watched (CbCheckpointScanner *self);
gboolean             cb_checkpoint_scanner_is_watching  (CbCheckpointScanner  *self,
                                                         const char           *path);
gboolean             cb_checkpoint_scanner_scan_sync    (CbCheckpointScanner  *self,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
char               **cb_checkpoint_scanner_get_paths    (CbCheckpointScanner  *self);
CbCheckpoint        *cb_checkpoint_scanner_find         (CbCheckpointScanner  *self,
                                                         const char           *path);

G_END_DECLS
