/* fuzz-schema.c: any text as a page schema: loaded or refused with a message, never a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-problem.h"
#include "cb/cb-schema.h"
#include "fuzz-common.h"

#include <stdlib.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = cb_schema_load_data ((const char *) data, size, "fuzz.yaml",
                                                    problems, &error);

  fuzz_assert (schema != NULL || error != NULL || problems->len > 0,
               "a schema was refused without a reason");
  return 0;
}
