/* cb-file-name.c: whether a value can name one file or folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An experiment name becomes the run folder (`outputs/${exp_name}`), so a name that
 * cannot be one folder's name makes the run die late (`File name too long`) or write
 * somewhere else (`../../etc/x`). This says why, before the run.
 */

#define G_LOG_DOMAIN "cb-file-name"

#include "config.h"

#include "cb/cb-file-name.h"

#include <glib/gi18n.h>

#include <string.h>

/**
 * cb_file_name_problem:
 * @name: a value meant to name one folder
 *
 * Returns: (transfer full) (nullable): why @name cannot be a folder's name, as a sentence
 *   fragment for the user, or %NULL when it can.
 */
char *
cb_file_name_problem (const char *name)
{
  gboolean only_space = TRUE;

  g_return_val_if_fail (name != NULL, NULL);

  if (*name == '\0')
    return NULL;
  if (!g_utf8_validate (name, -1, NULL))
    return g_strdup (_("the name is not valid UTF-8 text."));

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029)
        return g_strdup (_("the name contains a line break or another control character."));
      if (!g_unichar_isspace (c))
        only_space = FALSE;
    }
  if (only_space)
    return g_strdup (_("the name is only spaces."));
  if (g_unichar_isspace (g_utf8_get_char (name)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (name + strlen (name)))))
    return g_strdup (_("the name starts or ends with a space."));
  if (strchr (name, '/') != NULL)
    return g_strdup (_("the name contains “/”: it names one folder under outputs/, not a path."));
  if (g_str_equal (name, ".") || g_str_equal (name, ".."))
    return g_strdup (_("“.” and “..” are not folder names."));
  if (strlen (name) > CB_FILE_NAME_MAX)
    return g_strdup_printf (_("the name is %zu bytes long; a folder name can have at most %d."),
                            strlen (name), CB_FILE_NAME_MAX);

  return NULL;
}
