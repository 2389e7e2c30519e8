/* cb-done-latch.h: a worker thread says it is done; the main thread may wait for that
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the *_install_finished() calls of the config cache and the checkpoint scanner: the
 * worker writes its result, then opens the latch; once cb_done_latch_wait() has seen it
 * open, the result is the main thread's to read.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean done;
} CbDoneLatch;

void     cb_done_latch_init  (CbDoneLatch *latch);
void     cb_done_latch_clear (CbDoneLatch *latch);
void     cb_done_latch_open  (CbDoneLatch *latch);
gboolean cb_done_latch_wait  (CbDoneLatch *latch,
                              gint64       wait_us);

G_END_DECLS
