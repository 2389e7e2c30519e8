/* fuzz-expr.c: expressions: parse → print → parse gives the same text again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-expr.h"
#include "fuzz-common.h"

#include <stdlib.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autoptr(CbExpr) expr = cb_expr_parse (text, NULL, NULL);
  g_autofree char *printed = NULL;
  g_autoptr(CbExpr) again = NULL;
  g_autofree char *printed_again = NULL;
  g_autoptr(GError) error = NULL;

  if (expr == NULL)
    return 0;
  printed = cb_expr_to_string (expr);
  again = cb_expr_parse (printed, NULL, &error);
  fuzz_assert (again != NULL, "'%s' printed as '%s', which does not parse: %s", text, printed,
               error ? error->message : "");
  printed_again = cb_expr_to_string (again);
  fuzz_assert (g_str_equal (printed, printed_again), "'%s' → '%s' → '%s'", text, printed,
               printed_again);
  return 0;
}
