/* cb-checkpoints.c: the original layout (outputs/RUN/checkpoints/NAME.ckpt), newest first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This synchronous walk serves the headless interface and worker threads; the window uses
 * it only from a GTask thread, never on the UI thread.
 */

#define G_LOG_DOMAIN "cb-checkpoints"

#include "config.h"

#include "cb/cb-checkpoints.h"

#include <sys/stat.h>

void
cb_checkpoint_file_free (CbCheckpointFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const CbCheckpointFile *fa = *(CbCheckpointFile * const *) a;
  const CbCheckpointFile *fb = *(CbCheckpointFile * const *) b;

  if (fa->mtime != fb->mtime)
    return fa->mtime < fb->mtime ? 1 : -1;
  return g_strcmp0 (fa->path, fb->path);
}

GPtrArray *
cb_checkpoints_scan_simple (const CbProject *project)
{
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_checkpoint_file_free);
  g_autofree char *outputs = NULL;
  g_autoptr(GDir) runs = NULL;
  const char *run;

  g_return_val_if_fail (project != NULL, files);

  outputs = cb_project_get_path (project, project->outputs_dir);
  runs = g_dir_open (outputs, 0, NULL);
  while (runs != NULL && (run = g_dir_read_name (runs)) != NULL)
    {
      g_autofree char *dir = g_build_filename (outputs, run, "checkpoints", NULL);
      g_autoptr(GDir) ckpts = g_dir_open (dir, 0, NULL);
      const char *name;

      while (ckpts != NULL && (name = g_dir_read_name (ckpts)) != NULL)
        {
          g_autofree char *full = NULL;
          CbCheckpointFile *file;
          struct stat st;

          if (!g_str_has_suffix (name, ".ckpt"))
            continue;
          full = g_build_filename (dir, name, NULL);
          if (stat (full, &st) != 0 || !S_ISREG (st.st_mode))
            continue;

          file = g_new0 (CbCheckpointFile, 1);
          file->path = g_build_filename (project->outputs_dir, run, "checkpoints", name, NULL);
          file->size = st.st_size;
          file->mtime = st.st_mtime;
          g_ptr_array_add (files, file);
        }
    }

  g_ptr_array_sort (files, compare_newest_first);
  return files;
}

char **
cb_checkpoints_to_strv (GPtrArray *files)
{
  GPtrArray *paths = g_ptr_array_new ();

  for (guint i = 0; files != NULL && i < files->len; i++)
    g_ptr_array_add (paths, g_strdup (((CbCheckpointFile *) g_ptr_array_index (files, i))->path));
  g_ptr_array_add (paths, NULL);

  return (char **) g_ptr_array_free (paths, FALSE);
}
