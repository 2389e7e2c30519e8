/* fuzz-override.c: any text as a command-line override, then composed against a small
 * config tree: parsed or refused with a reason, composed or refused, never a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-compose.h"
#include "cb/cb-override.h"
#include "fuzz-common.h"

#include <stdlib.h>

static CbComposer *composer;

static CbComposer *
get_composer (void)
{
  const char *dir = g_getenv ("CB_FUZZ_CONFIGS");

  if (composer == NULL && dir != NULL)
    {
      composer = cb_composer_new (dir);
      cb_composer_preload (composer);
    }
  return composer;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbOverride) override = cb_override_parse (text, &error);
  CbComposer *c = get_composer ();

  fuzz_assert (override != NULL || error != NULL, "refused without a reason");
  if (override != NULL && c != NULL)
    {
      const char * const overrides[] = { text, NULL };
      g_autoptr(GError) compose_error = NULL;
      int culprit = -2;
      g_autoptr(CbComposition) composition =
        cb_composer_compose_full (c, "train", overrides, &culprit, &compose_error);

      fuzz_assert (composition != NULL || compose_error != NULL, "refused without a reason");
      if (composition != NULL)
        {
          g_autofree char *yaml = cb_cfg_to_yaml (composition->config);

          fuzz_assert (yaml != NULL, "no YAML");
        }
    }
  return 0;
}
