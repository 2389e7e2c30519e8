/* cb-metrics-files.c: the metrics files of a run folder, found and read whole
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-metrics.h"
#include "cb-metrics-private.h"

#include "cb/cb-file-read.h"
#include "cb/cb-problem.h"

#include <glib/gi18n.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_WALK_DEPTH   4
#define MAX_WALK_ENTRIES 20000

static int
compare_version_paths (gconstpointer a,
                       gconstpointer b)
{
  const char *pa = *(const char * const *) a;
  const char *pb = *(const char * const *) b;
  const char *va = g_strrstr (pa, "/version_");
  const char *vb = g_strrstr (pb, "/version_");
  guint64 na = va != NULL ? g_ascii_strtoull (va + 9, NULL, 10) : 0;
  guint64 nb = vb != NULL ? g_ascii_strtoull (vb + 9, NULL, 10) : 0;

  if (na != nb)
    return na < nb ? -1 : 1;
  return strcmp (pa, pb);
}

static void
walk (const char *dir,
      guint       depth,
      guint      *n_entries,
      GPtrArray  *lightning,
      GPtrArray  *others)
{
  DIR *d;
  struct dirent *entry;
  g_autoptr(GPtrArray) subdirs = g_ptr_array_new_with_free_func (g_free);

  d = opendir (dir);
  if (d == NULL)
    return;
  while ((entry = readdir (d)) != NULL && *n_entries < MAX_WALK_ENTRIES)
    {
      const char *name = entry->d_name;
      g_autofree char *path = NULL;
      struct stat st;

      (*n_entries)++;
      if (name[0] == '.' && (name[1] == '\0' || g_str_equal (name, "..")
                             || g_str_equal (name, ".hydra")))
        continue;
      path = g_build_filename (dir, name, NULL);
      /* No symlinked folders: a link may loop or lead out of the run. */
      if (lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          if (depth < MAX_WALK_DEPTH && !g_str_equal (name, "checkpoints")
              && !g_str_equal (name, "submissions"))
            g_ptr_array_add (subdirs, g_steal_pointer (&path));
        }
      else if (g_str_equal (name, "metrics.csv") && cb_file_is_regular_at (AT_FDCWD, path))
        {
          g_autofree char *parent = g_path_get_basename (dir);

          if (g_str_has_prefix (parent, "version_"))
            g_ptr_array_add (lightning, g_steal_pointer (&path));
          else
            g_ptr_array_add (others, g_steal_pointer (&path));
        }
    }
  closedir (d);

  g_ptr_array_sort (subdirs, (GCompareFunc) (void (*) (void)) g_strcmp0);
  for (guint i = 0; i < subdirs->len; i++)
    walk (g_ptr_array_index (subdirs, i), depth + 1, n_entries, lightning, others);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * cb_metrics_find_files:
 *
 * Returns: (transfer full): the metrics files of @run_dir, Lightning's `version_N` ones
 *   first in version order; an empty list when there are none
 */
char **
cb_metrics_find_files (const char *run_dir)
{
  g_autoptr(GPtrArray) lightning = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  guint n_entries = 0;

  g_return_val_if_fail (run_dir != NULL, NULL);

  walk (run_dir, 0, &n_entries, lightning, others);
  g_ptr_array_sort (lightning, compare_version_paths);
  g_ptr_array_sort (others, compare_strings);
  for (guint i = 0; i < others->len; i++)
    g_ptr_array_add (lightning, g_strdup (g_ptr_array_index (others, i)));
  g_ptr_array_add (lightning, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&lightning), FALSE);
}

/**
 * cb_metrics_read_run:
 * @problems: (nullable): where files that cannot be read, and rows that cannot, are told
 *
 * Reads every metrics file of @run_dir whole, in order, into one set of series.
 *
 * Returns: (transfer full): the series (maybe none)
 */
CbMetrics *
cb_metrics_read_run (const char *run_dir,
                     GPtrArray  *problems)
{
  g_auto(GStrv) files = cb_metrics_find_files (run_dir);
  CbMetrics *all = cb_metrics_new ();

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(CbMetricsReader) reader = cb_metrics_reader_new (files[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CbMetrics) part = cb_metrics_reader_read (reader, TRUE, NULL, &error);

      if (part == NULL)
        {
          if (problems != NULL)
            g_ptr_array_add (problems, cb_problem_new_located (CB_PROBLEM_ERROR, NULL,
                                                               error->message));
          continue;
        }
      if (cb_metrics_get_n_bad_rows (part) > 0 && problems != NULL)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, cb_metrics_get_n_bad_rows (part));

          g_ptr_array_add (problems,
                         cb_problem_new (CB_PROBLEM_WARNING, files[i], 0, 0,
                                         /* Translators: %s is a count of rows */
                                         _("rows that could not be read: %s"),
                                         count));
        }
      cb_metrics_append (all, part);
    }
  return all;
}

