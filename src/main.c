/* main.c: the window, or a headless sub-command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cb/cb-cli.h"
#include "cb-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(CbApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (cb_cli_find_command (argc, argv) != NULL)
    return cb_cli_run (argc, argv);

  app = cb_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
