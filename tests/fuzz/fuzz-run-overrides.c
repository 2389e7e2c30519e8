/* fuzz-run-overrides.c: any text as a run's .hydra/overrides.yaml (Use This Run's Settings)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-run-overrides.h"
#include "fuzz-common.h"

#include <stdlib.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GError *error = NULL;
  char **overrides;

  overrides = cb_run_overrides_parse ((const char *) data, size, "overrides.yaml", &error);
  if (overrides == NULL)
    {
      /* Every refusal says where: "overrides.yaml:LINE:COLUMN: …". */
      fuzz_assert (error != NULL && g_str_has_prefix (error->message, "overrides.yaml:"),
                   "a refusal that does not say where: %s", error ? error->message : "(none)");
      g_error_free (error);
      return 0;
    }
  for (guint i = 0; overrides[i] != NULL; i++)
    fuzz_assert (overrides[i][0] != '\0', "an empty override was kept");
  g_strfreev (overrides);
  return 0;
}
