/* cb-run-overrides.c: a run's settings, from the .hydra/overrides.yaml Hydra saved with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hydra saves the overrides a run was started with as a YAML list of strings, beside the
 * composed config (.hydra/config.yaml) and its own (.hydra/hydra.yaml, whose hydra.job.name
 * is the runner script's name). Loading them into a page goes through the command parser,
 * as a paste does. A run folder came from someone else: the files are read through
 * cb-file-read (no FIFO, no device, a size limit) and the YAML through cb-yaml (a depth and
 * a node limit), in a worker thread.
 */

#define G_LOG_DOMAIN "cb-run-overrides"

#include "config.h"

#include "cb/cb-run-overrides.h"
#include "cb/cb-file-read.h"
#include "cb/cb-yaml.h"

#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>

/* A checkpoint lies at most this many folders below its run folder (run/checkpoints/x). */
#define MAX_LEVELS_UP 4

G_DEFINE_QUARK (cb-run-overrides-error-quark, cb_run_overrides_error)

/**
 * cb_run_overrides_parse:
 * @data: the contents of an overrides.yaml
 * @filename: how messages name the file
 *
 * Reads a YAML list of strings (an empty file or `[]` is an empty list).
 *
 * Returns: (transfer full): the overrides, or %NULL with @error set to
 *   "FILE:LINE:COLUMN: message"
 */
char **
cb_run_overrides_parse (const char  *data,
                        gsize        length,
                        const char  *filename,
                        GError     **error)
{
  g_autoptr(CbNode) root = NULL;
  g_autoptr(GPtrArray) out = NULL;
  guint n;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (filename == NULL)
    filename = "overrides.yaml";

  root = cb_yaml_load_data (data, length, filename, error);
  if (root == NULL)
    return NULL;

  n = cb_node_get_n_children (root);
  if (cb_node_get_node_type (root) == CB_NODE_MAPPING && n == 0)
    return g_new0 (char *, 1);
  if (cb_node_get_node_type (root) != CB_NODE_SEQUENCE)
    {
      g_set_error (error, CB_RUN_OVERRIDES_ERROR, CB_RUN_OVERRIDES_ERROR_NOT_A_LIST,
                   _("%s:%u:%u: not a list of overrides"), filename,
                   cb_node_get_line (root), cb_node_get_column (root));
      return NULL;
    }

  out = g_ptr_array_new_full (n + 1, g_free);
  for (guint i = 0; i < n; i++)
    {
      CbNode *item = cb_node_get_child (root, i);
      const char *text = cb_node_get_scalar (item);

      if (text == NULL || text[0] == '\0' || cb_node_is_null (item))
        {
          g_set_error (error, CB_RUN_OVERRIDES_ERROR, CB_RUN_OVERRIDES_ERROR_NOT_A_LIST,
                       _("%s:%u:%u: an override must be a string"), filename,
                       cb_node_get_line (item), cb_node_get_column (item));
          return NULL;
        }
      g_ptr_array_add (out, g_strdup (text));
    }
  g_ptr_array_add (out, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

static gboolean
has_hydra_dir (const char *dir)
{
  g_autofree char *hydra = g_build_filename (dir, ".hydra", NULL);

  return g_file_test (hydra, G_FILE_TEST_IS_DIR);
}

/**
 * cb_run_overrides_find_run_dir:
 * @path: a run folder, or a file or folder inside one (a checkpoint)
 *
 * Returns: (transfer full) (nullable): the nearest folder at or above @path that holds
 *   .hydra/, looking at most a few levels up
 */
char *
cb_run_overrides_find_run_dir (const char *path)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_file_test (path, G_FILE_TEST_IS_DIR) ? g_strdup (path) : g_path_get_dirname (path);
  for (guint level = 0; level <= MAX_LEVELS_UP; level++)
    {
      g_autofree char *parent = NULL;

      if (has_hydra_dir (dir))
        return g_steal_pointer (&dir);
      parent = g_path_get_dirname (dir);
      if (g_str_equal (parent, dir))
        break;
      g_free (dir);
      dir = g_steal_pointer (&parent);
    }

  return NULL;
}

/* The path as messages show it: relative to the project when inside it. */
static char *
display_path (const char *path,
              const char *project_root)
{
  gsize len = project_root != NULL ? strlen (project_root) : 0;

  if (len > 0 && strncmp (path, project_root, len) == 0 && path[len] == G_DIR_SEPARATOR)
    return g_strdup (path + len + 1);
  return g_strdup (path);
}

static gboolean
is_page (const char *name)
{
  return g_strcmp0 (name, "train") == 0 || g_strcmp0 (name, "test") == 0 ||
         g_strcmp0 (name, "predict") == 0;
}

/**
 * cb_run_read_job_name:
 *
 * Returns: (nullable): hydra.yaml's hydra.job.name when it is a page; %NULL when missing,
 *   broken or another
 */
char *
cb_run_read_job_name (const char *run_dir)
{
  g_autofree char *path = g_build_filename (run_dir, ".hydra", "hydra.yaml", NULL);
  g_autofree char *data = NULL;
  g_autoptr(CbNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *name;

  if (!cb_file_read_regular (path, CB_FILE_KIND_RUN_RECORD, &data, &length, &error))
    return NULL;
  root = cb_yaml_load_data (data, length, path, &error);
  if (root == NULL)
    {
      g_debug ("%s", error->message);
      return NULL;
    }
  name = cb_node_get_scalar (cb_node_lookup_path (root, "hydra.job.name"));

  return is_page (name) ? g_strdup (name) : NULL;
}

/**
 * cb_run_settings_read:
 * @path: a run folder, or a checkpoint (or any file) inside one
 * @fallback_page: (nullable): the page when hydra.yaml does not name one (a checkpoint's
 *   run is a training run)
 * @project_root: (nullable): messages name files relative to it
 *
 * Reads the run's .hydra/overrides.yaml, and its page from .hydra/hydra.yaml. Blocks: call
 * it in a worker (cb_run_settings_read_async()).
 *
 * Returns: (transfer full): the settings, or %NULL with @error naming the file
 */
CbRunSettings *
cb_run_settings_read (const char  *path,
                      const char  *fallback_page,
                      const char  *project_root,
                      GError     **error)
{
  g_autoptr(CbRunSettings) self = NULL;
  g_autofree char *run_dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  run_dir = cb_run_overrides_find_run_dir (path);
  if (run_dir == NULL)
    {
      g_autofree char *shown_path = display_path (path, project_root);

      g_set_error (error, CB_RUN_OVERRIDES_ERROR, CB_RUN_OVERRIDES_ERROR_NO_RUN,
                   /* Translators: %s is a file or folder */
                   _("%s is not in a run folder (no .hydra/overrides.yaml)"), shown_path);
      return NULL;
    }

  file = g_build_filename (run_dir, ".hydra", "overrides.yaml", NULL);
  shown = display_path (file, project_root);
  if (!cb_file_read_regular_at (AT_FDCWD, file, shown, CB_FILE_KIND_RUN_RECORD, NULL, &data,
                                &length, error))
    return NULL;

  self = g_new0 (CbRunSettings, 1);
  self->overrides = cb_run_overrides_parse (data, length, shown, error);
  if (self->overrides == NULL)
    return NULL;

  self->page = cb_run_read_job_name (run_dir);
  if (self->page == NULL)
    self->page = g_strdup (fallback_page);
  if (self->page == NULL)
    {
      g_autofree char *hydra = g_build_filename (run_dir, ".hydra", "hydra.yaml", NULL);
      g_autofree char *shown_hydra = display_path (hydra, project_root);

      g_set_error (error, CB_RUN_OVERRIDES_ERROR, CB_RUN_OVERRIDES_ERROR_NO_PAGE,
                   _("%s does not say whether the run was train, test or predict"),
                   shown_hydra);
      return NULL;
    }
  self->run_dir = g_steal_pointer (&run_dir);
  self->overrides_file = g_steal_pointer (&shown);

  return g_steal_pointer (&self);
}

typedef struct
{
  char *path;
  char *fallback_page;
  char *project_root;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_free (data->path);
  g_free (data->fallback_page);
  g_free (data->project_root);
  g_free (data);
}

static void
read_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadData *data = task_data;
  GError *error = NULL;
  CbRunSettings *settings;

  settings = cb_run_settings_read (data->path, data->fallback_page, data->project_root, &error);
  if (settings == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, settings, (GDestroyNotify) cb_run_settings_free);
}

/* cb_run_settings_read() in a worker thread. */
void
cb_run_settings_read_async (const char          *path,
                            const char          *fallback_page,
                            const char          *project_root,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_run_settings_read_async);
  g_task_set_return_on_cancel (task, TRUE);
  data = g_new0 (ReadData, 1);
  data->path = g_strdup (path);
  data->fallback_page = g_strdup (fallback_page);
  data->project_root = g_strdup (project_root);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  g_task_run_in_thread (task, read_worker);
}

CbRunSettings *
cb_run_settings_read_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cb_run_settings_free (CbRunSettings *self)
{
  if (self == NULL)
    return;

  g_free (self->run_dir);
  g_free (self->overrides_file);
  g_free (self->page);
  g_strfreev (self->overrides);
  g_free (self);
}

/**
 * cb_run_settings_dup_argv:
 *
 * The command the settings stand for, as the command parser reads it: the page's runner
 * script, then the overrides.
 *
 * Returns: (transfer full): the words
 */
char **
cb_run_settings_dup_argv (const CbRunSettings *self)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_autofree char *script = NULL;

  g_return_val_if_fail (self != NULL && self->page != NULL, NULL);

  script = g_strdup_printf ("%s.py", self->page);
  g_strv_builder_add (argv, script);
  if (self->overrides != NULL)
    g_strv_builder_addv (argv, (const char **) self->overrides);
  return g_strv_builder_end (argv);
}

/* ---- Run folders ---------------------------------------------------------------------- */

void
cb_run_folder_free (CbRunFolder *self)
{
  if (self == NULL)
    return;

  g_free (self->run_dir);
  g_free (self->title);
  g_free (self->page);
  g_free (self);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const CbRunFolder *x = *(const CbRunFolder * const *) a;
  const CbRunFolder *y = *(const CbRunFolder * const *) b;

  if (x->mtime != y->mtime)
    return x->mtime > y->mtime ? -1 : 1;
  return g_strcmp0 (x->run_dir, y->run_dir);
}

/**
 * cb_run_folders_collect:
 * @checkpoints: the checkpoint scanner's model (#CbCheckpoint)
 * @outputs_dir: the absolute folder the checkpoints' runs are relative to
 *
 * One entry per run of @checkpoints, newest checkpoint first. Reads no file: the folders
 * are the checkpoints' run folders as named, their pages unknown (cb_run_folders_resolve()).
 *
 * Returns: (transfer container) (element-type CbRunFolder): the runs
 */
GPtrArray *
cb_run_folders_collect (GListModel *checkpoints,
                        const char *outputs_dir)
{
  g_autoptr(GHashTable) by_run = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_run_folder_free);
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (checkpoints), out);
  g_return_val_if_fail (outputs_dir != NULL, out);

  n = g_list_model_get_n_items (checkpoints);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbCheckpoint) checkpoint = g_list_model_get_item (checkpoints, i);
      const char *run = cb_checkpoint_get_run (checkpoint);
      g_autofree char *run_dir = g_build_filename (outputs_dir, run, NULL);
      CbRunFolder *folder = g_hash_table_lookup (by_run, run_dir);

      if (folder == NULL)
        {
          folder = g_new0 (CbRunFolder, 1);
          folder->run_dir = g_steal_pointer (&run_dir);
          folder->title = g_strdup (cb_checkpoint_get_run_title (checkpoint));
          folder->mtime = G_MININT64;
          g_ptr_array_add (out, folder);
          g_hash_table_insert (by_run, folder->run_dir, folder);
        }
      folder->mtime = MAX (folder->mtime, cb_checkpoint_get_mtime (checkpoint));
    }
  g_ptr_array_sort (out, compare_newest_first);

  return out;
}

/**
 * cb_run_folders_resolve:
 * @folders: (element-type CbRunFolder): from cb_run_folders_collect(), newest first
 * @fallback_page: the page of a run whose hydra.yaml does not name one
 *
 * The runs of @folders that are in a run folder (.hydra/), each folder once (its newest
 * entry), with its page from hydra.yaml. Blocks: call it in a worker
 * (the Changes view runs it in a GTask).
 *
 * Returns: (transfer container) (element-type CbRunFolder): the runs, newest first
 */
GPtrArray *
cb_run_folders_resolve (GPtrArray  *folders,
                        const char *fallback_page)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_run_folder_free);

  g_return_val_if_fail (folders != NULL, out);

  for (guint i = 0; i < folders->len; i++)
    {
      const CbRunFolder *folder = g_ptr_array_index (folders, i);
      g_autofree char *run_dir = cb_run_overrides_find_run_dir (folder->run_dir);
      CbRunFolder *copy;

      if (run_dir == NULL || g_hash_table_contains (seen, run_dir))
        continue;
      copy = g_new0 (CbRunFolder, 1);
      copy->page = cb_run_read_job_name (run_dir);
      if (copy->page == NULL)
        copy->page = g_strdup (fallback_page);
      copy->run_dir = g_steal_pointer (&run_dir);
      copy->title = g_strdup (folder->title);
      copy->mtime = folder->mtime;
      g_hash_table_add (seen, copy->run_dir);
      g_ptr_array_add (out, copy);
    }

  return out;
}
