/* cb-heap.h: a heap made ready for a short command that allocates a lot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void cb_heap_reserve_large_pages (gsize bytes);

G_END_DECLS
