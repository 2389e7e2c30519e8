/* cb-compose-files.c: the configs tree, read and cached for composing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A composer reads a config when a composition first needs it, or the whole tree at once
 * (cb_composer_preload(), in a worker) and is then sealed: it never touches the disk again.
 */

#define G_LOG_DOMAIN "cb-compose"

#include "config.h"

#include "cb/cb-compose.h"
#include "cb-compose-private.h"
#include "cb/cb-file-read.h"

#include <string.h>

#define PRELOAD_MAX_FILES 10000
#define PRELOAD_MAX_DEPTH 16
/* Names read in all: a config folder that leads to the root of the disk (a symlink) is not
 * walked to its end. */
#define PRELOAD_MAX_ENTRIES 100000

/* ---- files --------------------------------------------------------------------------- */

int
_cb_compose_compare_names (gconstpointer a,
               gconstpointer b)
{
  /* g_ptr_array_sort passes pointers to the elements. */
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
loaded_free (Loaded *loaded)
{
  if (loaded == NULL)
    return;
  g_clear_pointer (&loaded->root, cb_node_unref);
  g_clear_pointer (&loaded->content, cb_cfg_free);
  g_clear_error (&loaded->error);
  g_free (loaded->header);
  g_free (loaded->file);
  g_free (loaded);
}

/* The `# @package X` header: comment lines before the first content line. */
static char *
read_header (const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *end = strchr (p, '\n');
      g_autofree char *line = g_strstrip (end ? g_strndup (p, end - p) : g_strdup (p));

      if (*line != '\0' && *line != '#')
        break;
      if (*line == '#')
        {
          const char *q = line + 1;

          while (*q == ' ' || *q == '\t')
            q++;
          if (g_str_has_prefix (q, "@package"))
            {
              q += strlen ("@package");
              while (*q == ' ' || *q == '\t' || *q == ':')
                q++;
              if (*q != '\0')
                {
                  const char *e = q;

                  while (*e != '\0' && *e != ' ' && *e != '\t')
                    e++;
                  return g_strndup (q, e - q);
                }
            }
        }
      if (end == NULL)
        break;
      p = end + 1;
    }

  return NULL;
}

static Loaded *
load_file (CbComposer *self,
           const char *rel)
{
  g_autofree char *path = g_strconcat (self->dir, G_DIR_SEPARATOR_S, rel, ".yaml", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  Loaded *loaded;
  gsize length = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;

  loaded = g_new0 (Loaded, 1);
  loaded->file = g_strconcat (self->dir_name, "/", rel, ".yaml", NULL);
  /* Regular files only, within the configs' size limit (a FIFO never blocks us). */
  if (!cb_file_read_regular (path, CB_FILE_KIND_CONFIG, &text, &length, &error))
    {
      loaded->error = g_steal_pointer (&error);
      return loaded;
    }
  loaded->root = cb_yaml_load_data (text, length, loaded->file, &error);
  if (loaded->root == NULL && error != NULL)
    {
      loaded->error = g_steal_pointer (&error);
      return loaded;
    }
  if (loaded->root != NULL && cb_node_get_node_type (loaded->root) != CB_NODE_MAPPING &&
      !cb_node_is_null (loaded->root))
    {
      loaded->error = g_error_new (CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_FILE,
                                   "%s:%u:%u: a config must be a mapping", loaded->file,
                                   cb_node_get_line (loaded->root),
                                   cb_node_get_column (loaded->root));
      return loaded;
    }

  loaded->header = read_header (text);
  loaded->content = cb_cfg_new_map ();
  cb_cfg_set_origin (loaded->content, loaded->file, 1, 1);
  if (loaded->root != NULL && cb_node_get_node_type (loaded->root) == CB_NODE_MAPPING)
    for (guint i = 0; i < cb_node_get_n_children (loaded->root); i++)
      {
        const char *key = cb_node_get_scalar (cb_node_get_key (loaded->root, i));
        const CbNode *value = cb_node_get_child (loaded->root, i);

        if (g_strcmp0 (key, "defaults") == 0)
          loaded->defaults = value;
        else
          cb_cfg_map_set (loaded->content, key ? key : "", cb_cfg_from_node (value, loaded->file));
      }

  return loaded;
}

/* The parsed config at @rel ("group/option", no .yaml), or NULL when there is none. */
Loaded *
_cb_compose_get_loaded (CbComposer *self,
            const char *rel)
{
  Loaded *loaded = NULL;

  g_mutex_lock (&self->lock);
  if (!g_hash_table_lookup_extended (self->loaded, rel, NULL, (gpointer *) &loaded) &&
      !self->sealed)
    {
      loaded = load_file (self, rel);
      g_hash_table_insert (self->loaded, g_strdup (rel), loaded);
    }
  g_mutex_unlock (&self->lock);
  return loaded;
}

gboolean
_cb_compose_is_config (CbComposer *self,
           const char *rel)
{
  return _cb_compose_get_loaded (self, rel) != NULL;
}

/* ---- the composer -------------------------------------------------------------------- */

CbComposer *
cb_composer_new (const char *configs_dir)
{
  CbComposer *self;

  g_return_val_if_fail (configs_dir != NULL, NULL);

  self = g_new0 (CbComposer, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->dir = g_strdup (configs_dir);
  self->dir_name = g_path_get_basename (configs_dir);
  g_mutex_init (&self->lock);
  self->loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) loaded_free);
  self->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  return self;
}

CbComposer *
cb_composer_ref (CbComposer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cb_composer_unref (CbComposer *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_hash_table_unref (self->loaded);
  g_hash_table_unref (self->groups);
  g_mutex_clear (&self->lock);
  g_free (self->dir);
  g_free (self->dir_name);
  g_free (self);
}

const char *
cb_composer_get_dir (CbComposer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dir;
}

gboolean
cb_composer_is_group (CbComposer *self,
                      const char *group)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (self != NULL && group != NULL, FALSE);

  if (*group == '\0' || strstr (group, "..") != NULL || group[0] == '/')
    return FALSE;
  if (self->sealed)
    return g_hash_table_contains (self->groups, group);
  path = g_build_filename (self->dir, group, NULL);
  return g_file_test (path, G_FILE_TEST_IS_DIR);
}

static void
preload_dir (CbComposer *self,
             const char *rel,
             guint       depth,
             guint      *n_files,
             guint      *n_entries)
{
  g_autofree char *path = *rel ? g_build_filename (self->dir, rel, NULL) : g_strdup (self->dir);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  GPtrArray *options = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_hash_table_replace (self->groups, g_strdup (rel), options);
  while (dir != NULL && *n_entries < PRELOAD_MAX_ENTRIES &&
         (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *child_rel = *rel ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);

      (*n_entries)++;
      if (name[0] == '.')
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (depth < PRELOAD_MAX_DEPTH)
            preload_dir (self, child_rel, depth + 1, n_files, n_entries);
        }
      else if (g_str_has_suffix (name, ".yaml") && g_file_test (child, G_FILE_TEST_IS_REGULAR) &&
               *n_files < PRELOAD_MAX_FILES)
        {
          g_autofree char *stem = g_strndup (child_rel, strlen (child_rel) - 5);

          (*n_files)++;
          g_ptr_array_add (options, g_strndup (name, strlen (name) - 5));
          g_hash_table_replace (self->loaded, g_strdup (stem), load_file (self, stem));
        }
    }
  g_ptr_array_sort (options, _cb_compose_compare_names);
}

/**
 * cb_composer_list_groups:
 *
 * Returns: (transfer full): the config groups (folders) a sealed composer read, sorted;
 *   empty before cb_composer_preload()
 */
char **
cb_composer_list_groups (CbComposer *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->groups);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, g_strdup (key));
  g_mutex_unlock (&self->lock);
  g_ptr_array_sort (names, _cb_compose_compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * cb_composer_preload:
 *
 * Reads and parses every config of the tree now (in a worker thread), and seals the
 * composer: compositions then never touch the disk, so they may run on the UI thread.
 *
 * Returns: the number of config files read
 */
guint
cb_composer_preload (CbComposer *self)
{
  guint n_files = 0;
  guint n_entries = 0;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->loaded);
  preload_dir (self, "", 0, &n_files, &n_entries);
  /* The top level is not a group. */
  g_hash_table_remove (self->groups, "");
  self->sealed = TRUE;
  g_mutex_unlock (&self->lock);
  return n_files;
}

/* The options of @group: the .yaml files in its folder, sorted. */
char **
cb_composer_list_options (CbComposer *self,
                          const char *group)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (self != NULL && group != NULL, NULL);

  if (self->sealed)
    {
      GPtrArray *options = g_hash_table_lookup (self->groups, group);

      for (guint i = 0; options != NULL && i < options->len; i++)
        g_ptr_array_add (names, g_strdup (g_ptr_array_index (options, i)));
      g_ptr_array_add (names, NULL);
      return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
    }
  path = g_build_filename (self->dir, group, NULL);
  dir = strstr (group, "..") == NULL ? g_dir_open (path, 0, NULL) : NULL;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".yaml") && name[0] != '.')
      g_ptr_array_add (names, g_strndup (name, strlen (name) - 5));
  g_ptr_array_sort (names, _cb_compose_compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
