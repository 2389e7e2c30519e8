/* fuzz-run-record.c: any text as a run's .hydra record (overrides.yaml, then config.yaml)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-checkpoint.h"
#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *split = memchr (text, '\0', size);
  gsize first = split ? (gsize) (split - text) : size / 2;
  CbRunInfo *info;

  /* The input is both files: before the first NUL (or the middle), and after. */
  info = cb_run_info_parse (text, first, text + first + (split ? 1 : 0),
                            size - first - (split ? 1 : 0));
  if (info != NULL)
    {
      (void) cb_run_info_get (info, "architecture");
      (void) cb_run_info_get (info, "encoder");
      cb_run_info_free (info);
    }
  return 0;
}
