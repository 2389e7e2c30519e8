/* fuzz-preset.c: any text as a preset file: read or refused with a position, never a crash;
 * a preset that is read is written and read back the same
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-preset.h"
#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPreset) preset = cb_preset_parse ((const char *) data, size, "fuzz.yaml", "fuzz",
                                                &error);
  g_autoptr(CbPreset) back = NULL;
  g_autofree char *yaml = NULL;

  if (preset == NULL)
    {
      fuzz_assert (error != NULL && g_str_has_prefix (error->message, "fuzz.yaml:"),
                   "a preset was refused without a position: %s",
                   error != NULL ? error->message : "(no error)");
      return 0;
    }

  yaml = cb_preset_to_yaml (preset, "train");
  back = cb_preset_parse (yaml, strlen (yaml), "fuzz.yaml", "fuzz", &error);
  fuzz_assert (back != NULL, "a written preset was not read back: %s\n%s",
               error != NULL ? error->message : "", yaml);
  fuzz_assert (g_strcmp0 (back->note, preset->note) == 0, "the note changed:\n%s", yaml);
  fuzz_assert (back->n_values == preset->n_values, "values were lost:\n%s", yaml);
  for (guint i = 0; i < preset->n_values; i++)
    fuzz_assert (g_str_equal (back->keys[i], preset->keys[i]) &&
                 g_variant_equal (back->values[i], preset->values[i]),
                 "the value of '%s' changed:\n%s", preset->keys[i], yaml);
  fuzz_assert (g_strv_equal ((const char * const *) back->extra,
                             (const char * const *) preset->extra),
               "the extra overrides changed:\n%s", yaml);
  return 0;
}
