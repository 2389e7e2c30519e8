/* cb-script.c: a page's command as an executable shell script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Save as Script…" and `print --script` write the same text: a shebang, `set -e`, a `cd`
 * to the project root (Run spawns the command there) and the command, one override per
 * line with `\` continuations. Every word is shell-quoted where needed (cb-quote.c), so the
 * shell gives back exactly the argv that Run spawns. The file is written atomically
 * (a temporary file renamed over the target) and executable.
 */

#define G_LOG_DOMAIN "cb-script"

#include "config.h"

#include "cb/cb-script.h"
#include "cb/cb-quote.h"

#include <string.h>

/* Longest experiment name kept in a suggested file name, in characters. */
#define MAX_NAME_CHARS 100

/**
 * cb_script_new:
 * @command: the command Run would spawn
 * @project_root: the folder Run spawns it in
 *
 * Returns: (transfer full): the script's text, ending with a newline
 */
char *
cb_script_new (const CbCommand *command,
               const char      *project_root)
{
  g_autofree char *root = NULL;
  GString *out;

  g_return_val_if_fail (command != NULL, NULL);
  g_return_val_if_fail (project_root != NULL, NULL);

  root = cb_shell_quote_word (project_root);
  out = g_string_new ("#!/usr/bin/env bash\n");
  g_string_append (out, "# Written by Command Builder: the command Run spawns, in the project root.\n");
  g_string_append (out, "set -e\n");
  g_string_append_printf (out, "cd -- %s\n", root);
  g_string_append (out, cb_command_get_display_multiline (command));
  g_string_append_c (out, '\n');

  return g_string_free (out, FALSE);
}

static gboolean
is_name_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '+';
}

/**
 * cb_script_suggest_name:
 * @page: "train", "test" or "predict"
 * @exp_name: (nullable): the experiment name
 *
 * Returns: (transfer full): "train-receipts.sh": anything but letters, digits and `-_.+`
 *   becomes `_`, so the name is one file whatever the experiment is called
 */
char *
cb_script_suggest_name (const char *page,
                        const char *exp_name)
{
  GString *out;
  guint n = 0;

  g_return_val_if_fail (page != NULL, NULL);

  out = g_string_new (page);
  if (exp_name != NULL && g_utf8_validate (exp_name, -1, NULL) && exp_name[0] != '\0')
    {
      g_string_append_c (out, '-');
      for (const char *p = exp_name; *p != '\0' && n < MAX_NAME_CHARS;
           p = g_utf8_next_char (p), n++)
        {
          gunichar c = g_utf8_get_char (p);

          if (is_name_char (c))
            g_string_append_unichar (out, c);
          else
            g_string_append_c (out, '_');
        }
    }
  g_string_append (out, ".sh");

  return g_string_free (out, FALSE);
}

/**
 * cb_script_write:
 * @path: where
 * @text: the script (cb_script_new())
 *
 * Writes @text to @path atomically, executable (mode 0755 less the umask).
 */
gboolean
cb_script_write (const char  *path,
                 const char  *text,
                 GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0755,
                                   error);
}

typedef struct
{
  char *path;
  char *text;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->path);
  g_free (data->text);
  g_free (data);
}

static void
write_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  GError *error = NULL;

  if (cb_script_write (data->path, data->text, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* cb_script_write() in a worker thread. */
void
cb_script_write_async (const char          *path,
                       const char          *text,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (text != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_script_write_async);
  data = g_new0 (WriteData, 1);
  data->path = g_strdup (path);
  data->text = g_strdup (text);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_worker);
}

gboolean
cb_script_write_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
