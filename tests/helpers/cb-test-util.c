/* cb-test-util.c: main-loop and file helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cb-test-util.h"

#include <glib/gstdio.h>

static gboolean
flag_cb (gpointer data)
{
  gboolean *flag = data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the default main context until @done returns TRUE, at most @timeout_ms; returns
 * what @done says then (the caller asserts it, or not). */
gboolean
cb_test_spin_until (gboolean (*done) (gpointer),
                    gpointer   data,
                    guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, flag_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  return done (data);
}

/* Spins the default main context for @ms, whatever happens. */
void
cb_test_spin_for (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, flag_cb, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

/* Dispatches what is ready, without waiting. */
void
cb_test_spin_pending (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* Removes @path and everything below it; symlinks are removed, not followed. */
void
cb_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        cb_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
