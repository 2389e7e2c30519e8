/* fuzz-common.h: shared by the libFuzzer targets in tests/fuzz
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (inputs with a NUL in them are cut there). */
static inline char *
fuzz_text (const uint8_t *data,
           size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* A finding: abort, so that libFuzzer saves the input. */
#define fuzz_assert(cond, ...) \
  G_STMT_START { if (!(cond)) { g_printerr (__VA_ARGS__); g_printerr ("\n"); abort (); } } G_STMT_END
