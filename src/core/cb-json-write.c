/* cb-json-write.c: JSON strings and numbers, written by hand for speed and exactness
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-json-write.h"

#include <math.h>
#include <string.h>

/**
 * cb_json_append_string:
 *
 * Appends @text as a JSON string (%NULL as null). Control characters are escaped; bytes that are not
 * UTF-8 (a name read from somebody's file) become U+FFFD, so the output is always valid.
 */
void
cb_json_append_string (GString    *out,
                       const char *text)
{
  const char *p = text;
  const char *end;

  /* No text at all is JSON's null. */
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  end = text + strlen (text);
  g_string_append_c (out, '"');
  while (p < end)
    {
      guchar c = (guchar) *p;

      if (c >= 0x80)
        {
          gunichar u = g_utf8_get_char_validated (p, end - p);

          if (u == (gunichar) -1 || u == (gunichar) -2)
            {
              g_string_append (out, "\xef\xbf\xbd");
              p++;
            }
          else
            {
              const char *next = g_utf8_next_char (p);

              g_string_append_len (out, p, next - p);
              p = next;
            }
          continue;
        }
      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
      p++;
    }
  g_string_append_c (out, '"');
}

/**
 * cb_json_append_number:
 *
 * Appends a finite @value the shortest way that reads back the same (integers without a
 * fraction); JSON has no NaN or infinity, so those are written as null.
 */
void
cb_json_append_number (GString *out,
                       double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_string_append_printf (out, "%.0f", value);
      return;
    }
  /* The shortest of 15 to 17 digits that reads back as the same double. */
  for (int digits = 15; digits <= 17; digits++)
    {
      g_ascii_formatd (buffer, sizeof buffer, digits == 15 ? "%.15g" : digits == 16 ? "%.16g"
                                                                                     : "%.17g",
                       value);
      if (digits == 17 || g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}
