/* cb-done-latch.c: a worker thread says it is done; the main thread may wait for that
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb-done-latch.h"

void
cb_done_latch_init (CbDoneLatch *latch)
{
  g_mutex_init (&latch->lock);
  g_cond_init (&latch->cond);
  latch->done = FALSE;
}

void
cb_done_latch_clear (CbDoneLatch *latch)
{
  g_mutex_clear (&latch->lock);
  g_cond_clear (&latch->cond);
}

/* Worker: everything written before this is visible to whoever sees the latch open. */
void
cb_done_latch_open (CbDoneLatch *latch)
{
  g_mutex_lock (&latch->lock);
  latch->done = TRUE;
  g_cond_broadcast (&latch->cond);
  g_mutex_unlock (&latch->lock);
}

/* Whether the latch is open, waiting at most @wait_us (0: not at all) for it. */
gboolean
cb_done_latch_wait (CbDoneLatch *latch,
                    gint64       wait_us)
{
  gboolean done;

  g_mutex_lock (&latch->lock);
  if (!latch->done && wait_us > 0)
    {
      gint64 end_time = g_get_monotonic_time () + wait_us;

      while (!latch->done)
        if (!g_cond_wait_until (&latch->cond, &latch->lock, end_time))
          break;
    }
  done = latch->done;
  g_mutex_unlock (&latch->lock);

  return done;
}
