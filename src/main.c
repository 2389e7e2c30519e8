/* main.c: the window, or a headless sub-command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cb/cb-cli.h"
#include "cb-application.h"

/* Run from the build folder or from a prefix that is not in XDG_DATA_DIRS, the GSettings
 * schema is not where GLib looks: point GLib at the one next to this binary. */
static void
find_settings_schema (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *installed = NULL;
  const char *candidates[2];

  if (g_getenv ("GSETTINGS_SCHEMA_DIR") != NULL || bindir == NULL)
    return;

  installed = g_build_filename (bindir, "..", "share", "glib-2.0", "schemas", NULL);
  candidates[0] = installed;
  candidates[1] = BUILD_DATADIR;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *compiled = g_build_filename (candidates[i], "gschemas.compiled", NULL);

      if (g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *dir = g_canonicalize_filename (candidates[i], NULL);

          g_setenv ("GSETTINGS_SCHEMA_DIR", dir, FALSE);
          return;
        }
    }
}

/* The renderer is a measured decision (README, "Performance"): on the machines this tool
 * runs on (often without a GPU, or over SSH/X forwarding), GTK's GL renderer runs on llvmpipe,
 * costs about 95 ms and 60 MiB just to load Mesa at start-up, and draws each frame about 5x
 * slower than the cairo renderer, which a forms-and-text window does not need. So cairo is the
 * default; GSK_RENDERER or CB_RENDERER=gl in the environment overrides it. */
static gboolean renderer_env_set;

static void
choose_renderer (void)
{
  const char *debug = g_getenv ("GDK_DEBUG");
  g_autofree char *flags = NULL;

  if (g_getenv ("GSK_RENDERER") != NULL || g_strcmp0 (g_getenv ("CB_RENDERER"), "gl") == 0)
    return;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  flags = debug && *debug ? g_strconcat (debug, ",gl-disable", NULL) : g_strdup ("gl-disable");
  g_setenv ("GDK_DEBUG", flags, TRUE);
  renderer_env_set = TRUE;
}

/* Once GTK has read them, the variables must not leak into the commands the app runs. */
static void
forget_renderer_env_cb (GApplication *app,
                        gpointer      user_data)
{
  if (!renderer_env_set)
    return;
  g_unsetenv ("GSK_RENDERER");
  g_unsetenv ("GDK_DEBUG");
  if (user_data != NULL)
    g_setenv ("GDK_DEBUG", user_data, TRUE);
}

/* Translations: next to an installed binary, or the build tree's po/ when run from it. */
static char *
find_locale_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *build_bindir = g_canonicalize_filename (BUILD_DATADIR "/../src", NULL);
  g_autofree char *relocated = NULL;

  if (bindir == NULL)
    return g_strdup (LOCALEDIR);
  if (g_str_equal (bindir, build_bindir))
    return g_canonicalize_filename (BUILD_DATADIR "/../po", NULL);
  relocated = g_build_filename (bindir, "..", "share", "locale", NULL);
  if (g_file_test (relocated, G_FILE_TEST_IS_DIR))
    return g_canonicalize_filename (relocated, NULL);
  return g_strdup (LOCALEDIR);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *locale_dir = find_locale_dir ();
  g_autofree char *user_gdk_debug = NULL;
  g_autoptr(CbApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (cb_cli_find_command (argc, argv) != NULL)
    return cb_cli_run (argc, argv);

  /* A word that is neither a command nor a folder to open is a typo, not a file. */
  {
    const char *word = cb_cli_first_word (argc, argv);

    if (word != NULL && !g_file_test (word, G_FILE_TEST_IS_DIR))
      {
        g_printerr ("command-builder: unknown command '%s' (commands: print, check, "
                    "list-options, list-checkpoints; see --help)\n", word);
        return 2;
      }
  }

  find_settings_schema ();
  user_gdk_debug = g_strdup (g_getenv ("GDK_DEBUG"));
  choose_renderer ();
  app = cb_application_new ();
  g_signal_connect_after (app, "startup", G_CALLBACK (forget_renderer_env_cb), user_gdk_debug);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
