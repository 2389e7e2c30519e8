/* fuzz-yaml-block.c: any text through the plain block YAML reader; what it takes, libyaml
 * must read as the same events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb-test-yaml-events.h"
#include "fuzz-common.h"

#include <stdlib.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *block = cb_test_yaml_events_block ((const char *) data, size);
  g_autofree char *libyaml = NULL;

  if (block == NULL)
    return 0;   /* declined: libyaml reads it */
  libyaml = cb_test_yaml_events_libyaml ((const char *) data, size);
  fuzz_assert (libyaml != NULL, "the block reader took what libyaml refuses:\n%s", block);
  fuzz_assert (g_str_equal (block, libyaml), "the events differ\nblock reader:\n%s\nlibyaml:\n%s",
               block, libyaml);
  return 0;
}
