/* main.c: command-builder, a headless command, or the window
 *
 * This program links the core alone, so that a headless command does not load GTK; for the
 * window it becomes command-builder-gui (cb-install.c says why and how).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "cb/cb-cli.h"
#include "cb/cb-install.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *window = NULL;
  const char *word;

  cb_install_setup_locale ();

  if (cb_cli_find_command (argc, argv) != NULL)
    return cb_cli_run (argc, argv);

  /* A word that is neither a command nor a folder to open is a typo, not a file. */
  word = cb_cli_first_word (argc, argv);
  if (word != NULL && !g_file_test (word, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("command-builder: unknown command '%s' (commands: print, check, "
                  "list-options, list-checkpoints; see --help)\n", word);
      return 2;
    }

  window = cb_install_find_window_program (&error);
  if (window == NULL)
    {
      g_printerr ("command-builder: %s\n", error->message);
      return 1;
    }
  /* The same argv, argv[0] included: GTK names the program (and the window's class) from it. */
  execv (window, argv);
  g_printerr ("command-builder: cannot start %s: %s\n", window, g_strerror (errno));
  return 1;
}
