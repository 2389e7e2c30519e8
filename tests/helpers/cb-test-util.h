/* cb-test-util.h: main-loop and file helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean cb_test_spin_until   (gboolean   (*done) (gpointer),
                               gpointer     data,
                               guint        timeout_ms);
void     cb_test_spin_for     (guint        ms);
void     cb_test_spin_pending (void);
void     cb_test_remove_tree  (const char  *path);

G_END_DECLS
