/* main-gui.c: command-builder-gui, the window (command-builder execs it: see cb-install.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-install.h"
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

int
main (int    argc,
      char **argv)
{
  g_autofree char *user_gdk_debug = NULL;
  g_autoptr(CbApplication) app = NULL;

  cb_install_setup_locale ();
  find_settings_schema ();
  user_gdk_debug = g_strdup (g_getenv ("GDK_DEBUG"));
  choose_renderer ();
  app = cb_application_new ();
  g_signal_connect_after (app, "startup", G_CALLBACK (forget_renderer_env_cb), user_gdk_debug);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
