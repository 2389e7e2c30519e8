/* cb-test-yaml-events.h: a YAML document's events as text, from libyaml and from
 * cb_yaml_block_read(), for comparing the two (test-yaml-block, fuzz-yaml-block)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cb_test_yaml_events_block   (const char *data,
                                   gsize       length);
char *cb_test_yaml_events_libyaml (const char *data,
                                   gsize       length);

G_END_DECLS
