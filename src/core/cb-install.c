/* cb-install.c: where the installed pieces are, found from the running program
 *
 * `command-builder` is two programs. The one on the PATH links the core alone (GLib, libyaml,
 * libcyaml, json-glib): the headless commands start in a few milliseconds, where loading GTK,
 * libadwaita and VTE took about 25 ms of a `list-checkpoints` that the issue holds to 0.6x of
 * find(1). For the window it replaces itself (execv(): same process, same pid, same argv[0],
 * so GTK's program name and the window's class stay "command-builder") with
 * `command-builder-gui`, found beside it (the build folder), in the libexec folder of the prefix
 * it runs from (a prefix moved elsewhere), or where it was installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-install.h"

#include <glib/gi18n.h>
#include <locale.h>

#define WINDOW_PROGRAM "command-builder-gui"

static char *
program_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL ? g_path_get_dirname (exe) : NULL;
}

/* Translations: next to an installed program, or the build tree's po/ when run from it. */
static char *
locale_dir (void)
{
  g_autofree char *dir = program_dir ();
  g_autofree char *build_dir = g_canonicalize_filename (BUILD_DATADIR "/../src", NULL);
  g_autofree char *relocated = NULL;

  if (dir == NULL)
    return g_strdup (LOCALEDIR);
  if (g_str_equal (dir, build_dir))
    return g_canonicalize_filename (BUILD_DATADIR "/../po", NULL);
  /* bin/ and libexec/ are both one level below the prefix. */
  relocated = g_build_filename (dir, "..", "share", "locale", NULL);
  if (g_file_test (relocated, G_FILE_TEST_IS_DIR))
    return g_canonicalize_filename (relocated, NULL);
  return g_strdup (LOCALEDIR);
}

/* The user's locale, and the program's messages in it. */
void
cb_install_setup_locale (void)
{
  g_autofree char *dir = locale_dir ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* The path of the window's program, or NULL with an error that names where it was looked for. */
char *
cb_install_find_window_program (GError **error)
{
  g_autofree char *dir = program_dir ();
  g_autofree char *beside = NULL;
  g_autofree char *relocated = NULL;
  const char *candidates[3] = { NULL, NULL, LIBEXECDIR "/" WINDOW_PROGRAM };

  if (dir != NULL)
    {
      beside = g_build_filename (dir, WINDOW_PROGRAM, NULL);
      relocated = g_build_filename (dir, "..", LIBEXECDIR_NAME, WINDOW_PROGRAM, NULL);
      candidates[0] = beside;
      candidates[1] = relocated;
    }

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i] != NULL && g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE) &&
        !g_file_test (candidates[i], G_FILE_TEST_IS_DIR))
      return g_canonicalize_filename (candidates[i], NULL);

  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
               _("The window’s program %s is not installed (looked in %s and %s)"),
               WINDOW_PROGRAM, dir != NULL ? dir : "?", LIBEXECDIR);
  return NULL;
}
