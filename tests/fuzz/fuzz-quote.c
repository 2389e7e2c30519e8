/* fuzz-quote.c: any string → Hydra-quoted argv element → shell text → g_shell_parse_argv
 * gives the element back, and Hydra's override parser reads the value back unchanged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-override.h"
#include "cb/cb-quote.h"
#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *value = fuzz_text (data, size);
  g_autofree char *element = NULL;
  g_autofree char *shell = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbOverride) override = NULL;

  if (!g_utf8_validate (value, -1, NULL))
    return 0;

  element = cb_hydra_override ("exp_name", value, CB_VALUE_KIND_FREE_TEXT);
  shell = cb_shell_quote_word (element);
  fuzz_assert (g_shell_parse_argv (shell, NULL, &argv, &error) || *element == '\0',
               "shell text <%s> does not parse: %s", shell, error ? error->message : "");
  if (argv != NULL)
    fuzz_assert (g_strv_length (argv) == 1 && g_str_equal (argv[0], element),
                 "<%s> came back from the shell as <%s>", element, argv[0]);

  /* Hydra reads the text back: the same string (interpolations aside, which stay text). */
  override = cb_override_parse (element, &error);
  fuzz_assert (override != NULL, "<%s> (for <%s>) is refused: %s", element, value,
               error ? error->message : "");
  fuzz_assert (override->value != NULL && override->value->kind == CB_CFG_SCALAR,
               "<%s> does not read back as a string", element);
  {
    g_autofree char *seen = cb_omegaconf_text (override->value->text);

    fuzz_assert (g_str_equal (seen, value), "<%s> reads back as <%s>, not <%s>", element, seen,
                 value);
  }
  return 0;
}
