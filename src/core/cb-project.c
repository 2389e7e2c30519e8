/* cb-project.c: the project root, its settings file and where our data lives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-project"

#include "config.h"

#include "cb/cb-project.h"
#include "cb/cb-problem.h"
#include "cb/cb-yaml.h"

#include <gio/gio.h>
#include <string.h>

typedef struct
{
  CbProject        project;
  gatomicrefcount  ref_count;
} CbProjectReal;

static const char * const default_launcher[] = { "uv", "run", "python", NULL };

static gboolean
is_dir (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_DIR);
}

/* Whether @value, a path relative to the project root, leads out of it ("..", "a/../.."). */
static gboolean
leaves_root (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, "/", -1);
  int depth = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], ".."))
        depth--;
      else if (*parts[i] != '\0' && !g_str_equal (parts[i], "."))
        depth++;
      if (depth < 0)
        return TRUE;
    }
  return FALSE;
}

static char *
settings_dir_value (GPtrArray    *problems,
                    const char   *path,
                    const CbNode *root,
                    const char   *key,
                    const char   *fallback)
{
  const CbNode *node = cb_node_lookup (root, key);
  const char *value;

  if (node == NULL || cb_node_is_null (node))
    return g_strdup (fallback);

  value = cb_node_get_scalar (node);
  if (value == NULL || *value == '\0')
    {
      if (problems != NULL)
        g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, path, cb_node_get_line (node),
                                                   cb_node_get_column (node),
                                                   "'%s' must be a folder name", key));
      return g_strdup (fallback);
    }

  /* A project shared through git must not send the app walking the rest of the disk
   * ("configs_dir: /" reads every file on it). */
  if (g_path_is_absolute (value) || leaves_root (value))
    {
      if (problems != NULL)
        g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, path, cb_node_get_line (node),
                                                   cb_node_get_column (node),
                                                   "'%s' must be a folder inside the project, "
                                                   "not '%s'", key, value));
      return g_strdup (fallback);
    }

  return g_strdup (value);
}

static void
load_settings (CbProject  *project,
               GPtrArray  *problems)
{
  static const char * const known[] = {
    "launcher", "runners_dir", "configs_dir", "outputs_dir", "schemas_dir", "config_names", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) root = NULL;
  const CbNode *launcher;

  root = cb_yaml_load_file_kind (project->settings_path, CB_FILE_KIND_SETTINGS, &error);
  if (root == NULL)
    {
      if (problems != NULL)
        {
          CbProblem *problem = cb_problem_new (CB_PROBLEM_ERROR, NULL, 0, 0, "%s", error->message);

          g_ptr_array_add (problems, problem);
        }
      return;
    }

  if (cb_node_get_node_type (root) != CB_NODE_MAPPING)
    {
      if (problems != NULL)
        g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, project->settings_path,
                                                   cb_node_get_line (root),
                                                   cb_node_get_column (root),
                                                   "the settings file must be a mapping"));
      return;
    }

  for (guint i = 0; i < cb_node_get_n_children (root); i++)
    {
      const CbNode *key = cb_node_get_key (root, i);

      if (!g_strv_contains (known, cb_node_get_scalar (key)) && problems != NULL)
        g_ptr_array_add (problems,
                         cb_problem_new (CB_PROBLEM_ERROR, project->settings_path,
                                         cb_node_get_line (key), cb_node_get_column (key),
                                         "unknown key '%s' (expected launcher, runners_dir, "
                                         "configs_dir, outputs_dir, schemas_dir or "
                                         "config_names)",
                                         cb_node_get_scalar (key)));
    }

  launcher = cb_node_lookup (root, "launcher");
  if (launcher != NULL && !cb_node_is_null (launcher))
    {
      g_auto(GStrv) words = NULL;

      if (cb_node_get_node_type (launcher) == CB_NODE_SCALAR)
        {
          g_autoptr(GError) parse_error = NULL;

          if (!g_shell_parse_argv (cb_node_get_scalar (launcher), NULL, &words, &parse_error))
            words = NULL;
        }
      else if (cb_node_get_node_type (launcher) == CB_NODE_SEQUENCE)
        words = cb_node_to_strv (launcher);

      if (words == NULL || words[0] == NULL)
        {
          if (problems != NULL)
            g_ptr_array_add (problems,
                             cb_problem_new (CB_PROBLEM_ERROR, project->settings_path,
                                             cb_node_get_line (launcher),
                                             cb_node_get_column (launcher),
                                             "'launcher' must be a command, e.g. [uv, run, python]"));
        }
      else
        {
          g_strfreev (project->launcher);
          project->launcher = g_steal_pointer (&words);
        }
    }

  g_free (project->runners_dir);
  project->runners_dir = settings_dir_value (problems, project->settings_path, root,
                                             "runners_dir", "runners");
  g_free (project->configs_dir);
  project->configs_dir = settings_dir_value (problems, project->settings_path, root,
                                             "configs_dir", "configs");
  g_free (project->outputs_dir);
  project->outputs_dir = settings_dir_value (problems, project->settings_path, root,
                                             "outputs_dir", "outputs");
  g_free (project->schemas_dir);
  project->schemas_dir = settings_dir_value (problems, project->settings_path, root,
                                             "schemas_dir", NULL);

  /* config_names: {train: NAME, ...}: the config_name of each runner's @hydra.main. */
  {
    const CbNode *names = cb_node_lookup (root, "config_names");

    if (names != NULL && !cb_node_is_null (names) &&
        cb_node_get_node_type (names) != CB_NODE_MAPPING && problems != NULL)
      g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, project->settings_path,
                                                 cb_node_get_line (names),
                                                 cb_node_get_column (names),
                                                 "'config_names' must map pages to config "
                                                 "names, e.g. {train: train}"));
    for (guint i = 0; names != NULL && cb_node_get_node_type (names) == CB_NODE_MAPPING &&
                      i < cb_node_get_n_children (names); i++)
      {
        const char *page = cb_node_get_scalar (cb_node_get_key (names, i));
        const CbNode *value = cb_node_get_child (names, i);

        if (page == NULL || cb_node_get_node_type (value) != CB_NODE_SCALAR ||
            cb_node_is_null (value) || *cb_node_get_scalar (value) == '\0')
          {
            if (problems != NULL)
              g_ptr_array_add (problems,
                               cb_problem_new (CB_PROBLEM_ERROR, project->settings_path,
                                               cb_node_get_line (value),
                                               cb_node_get_column (value),
                                               "'config_names': each page needs a config name"));
            continue;
          }
        g_hash_table_replace (project->config_names, g_strdup (page),
                              g_strdup (cb_node_get_scalar (value)));
      }
  }

  /* The project's own schemas are never replaced by the bundled ones without a word. */
  if (project->schemas_dir != NULL && problems != NULL)
    {
      g_autofree char *dir = cb_project_get_path (project, project->schemas_dir);
      const CbNode *node = cb_node_lookup (root, "schemas_dir");

      if (!is_dir (dir))
        g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, project->settings_path,
                                                   cb_node_get_line (node),
                                                   cb_node_get_column (node),
                                                   "'schemas_dir': there is no folder %s",
                                                   dir));
    }
}

CbProject *
cb_project_load (const char *root,
                 GPtrArray  *problems)
{
  CbProjectReal *real;
  CbProject *project;
  g_autofree char *settings = NULL;

  g_return_val_if_fail (root != NULL, NULL);

  real = g_new0 (CbProjectReal, 1);
  g_atomic_ref_count_init (&real->ref_count);
  project = &real->project;

  if (g_path_is_absolute (root))
    project->root = g_canonicalize_filename (root, NULL);
  else
    project->root = g_canonicalize_filename (root, NULL);
  project->name = g_path_get_basename (project->root);
  project->launcher = g_strdupv ((char **) default_launcher);
  project->runners_dir = g_strdup ("runners");
  project->configs_dir = g_strdup ("configs");
  project->outputs_dir = g_strdup ("outputs");
  project->config_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  settings = g_build_filename (project->root, CB_PROJECT_SETTINGS_FILE, NULL);
  if (g_file_test (settings, G_FILE_TEST_EXISTS))
    {
      project->settings_path = g_steal_pointer (&settings);
      load_settings (project, problems);
    }

  return project;
}

CbProject *
cb_project_ref (CbProject *project)
{
  g_return_val_if_fail (project != NULL, NULL);

  g_atomic_ref_count_inc (&((CbProjectReal *) project)->ref_count);
  return project;
}

void
cb_project_unref (CbProject *project)
{
  if (project == NULL || !g_atomic_ref_count_dec (&((CbProjectReal *) project)->ref_count))
    return;

  g_free (project->root);
  g_free (project->name);
  g_free (project->settings_path);
  g_strfreev (project->launcher);
  g_free (project->runners_dir);
  g_free (project->configs_dir);
  g_free (project->outputs_dir);
  g_free (project->schemas_dir);
  g_clear_pointer (&project->config_names, g_hash_table_unref);
  g_free (project);
}

char *
cb_project_get_path (const CbProject *project,
                     const char      *relative)
{
  g_return_val_if_fail (project != NULL, NULL);

  if (relative == NULL)
    return g_strdup (project->root);
  if (g_path_is_absolute (relative))
    return g_strdup (relative);

  return g_build_filename (project->root, relative, NULL);
}

static char *
schema_in_dir (const char *dir,
               const char *page)
{
  g_autofree char *plain = g_strdup_printf ("%s.yaml", page);
  g_autofree char *original = g_strdup_printf ("command_builder_%s.yaml", page);
  const char *names[] = { plain, original };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      /* Whatever stands there (a FIFO, a folder, a dangling symlink) is the project's
       * schema: loading it says what is wrong, instead of the bundled one taking its place
       * without a word. */
      if (g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
        return g_steal_pointer (&path);
    }

  return NULL;
}

char *
cb_project_find_schema (const CbProject *project,
                        const char      *schemas_dir,
                        const char      *page)
{
  g_autofree char *project_dir = NULL;
  g_autofree char *bundled = NULL;
  char *found = NULL;

  g_return_val_if_fail (page != NULL, NULL);

  if (schemas_dir != NULL && (found = schema_in_dir (schemas_dir, page)) != NULL)
    return found;

  if (project != NULL && project->schemas_dir != NULL)
    {
      project_dir = cb_project_get_path (project, project->schemas_dir);
      if ((found = schema_in_dir (project_dir, page)) != NULL)
        return found;
    }

  bundled = g_build_filename (cb_data_dir (), "schemas", NULL);
  return schema_in_dir (bundled, page);
}

static char *
compute_data_dir (void)
{
  const char *env = g_getenv ("CB_DATA_DIR");
  g_autofree char *exe = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  /* Relocatable: <prefix>/bin/command-builder next to <prefix>/share/command-builder. */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *bindir = g_path_get_dirname (exe);
      g_autofree char *candidate = g_build_filename (bindir, "..", "share", "command-builder",
                                                     NULL);
      g_autofree char *schemas = g_build_filename (candidate, "schemas", NULL);

      if (is_dir (schemas))
        return g_canonicalize_filename (candidate, NULL);
    }

  /* Run from the build folder: the source tree's data. */
  {
    g_autofree char *schemas = g_build_filename (SOURCE_DATADIR, "schemas", NULL);

    if (is_dir (schemas))
      return g_strdup (SOURCE_DATADIR);
  }

  return g_strdup (PKGDATADIR);
}

const char *
cb_data_dir (void)
{
  static char *data_dir;

  if (g_once_init_enter (&data_dir))
    g_once_init_leave (&data_dir, compute_data_dir ());

  return data_dir;
}

static gboolean
copy_tree (GFile         *src,
           GFile         *dest,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_make_directory_with_parents (dest, cancellable, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  children = g_file_enumerate_children (src, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, error);
  if (children == NULL)
    return FALSE;

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;
      g_autoptr(GFile) target = NULL;

      if (!g_file_enumerator_iterate (children, &info, &child, cancellable, error))
        return FALSE;
      if (info == NULL)
        break;

      target = g_file_get_child (dest, g_file_info_get_name (info));
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          if (!copy_tree (child, target, cancellable, error))
            return FALSE;
        }
      else if (!g_file_query_exists (target, cancellable))
        {
          /* Existing files are the user's: never overwrite them. */
          if (!g_file_copy (child, target, G_FILE_COPY_ALL_METADATA | G_FILE_COPY_NOFOLLOW_SYMLINKS,
                            cancellable, NULL, NULL, error))
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
cb_copy_demo_project (const char  *dest,
                      GError     **error)
{
  g_autofree char *source = g_build_filename (cb_data_dir (), "demo-project", NULL);
  g_autoptr(GFile) src = g_file_new_for_path (source);
  g_autoptr(GFile) dst = NULL;

  g_return_val_if_fail (dest != NULL, FALSE);

  if (!is_dir (source))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "The demo project is missing: %s", source);
      return FALSE;
    }

  dst = g_file_new_for_path (dest);
  return copy_tree (src, dst, NULL, error);
}

char *
cb_find_project_root (const char  *explicit_dir,
                      GError     **error)
{
  g_autofree char *cwd = NULL;
  g_autofree char *cwd_configs = NULL;
  g_autofree char *demo = NULL;

  if (explicit_dir != NULL)
    {
      g_autofree char *abs = g_canonicalize_filename (explicit_dir, NULL);

      if (!is_dir (abs))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "The project folder %s does not exist", abs);
          return NULL;
        }
      return g_steal_pointer (&abs);
    }

  cwd = g_get_current_dir ();
  cwd_configs = g_build_filename (cwd, "configs", NULL);
  if (is_dir (cwd_configs))
    return g_steal_pointer (&cwd);

  /* The bundled demo, copied so that runs can write outputs/ (never into the source tree
   * or the installed data). */
  demo = g_build_filename (g_get_user_data_dir (), "command-builder", "demo-project", NULL);
  if (!cb_copy_demo_project (demo, error))
    return NULL;

  return g_steal_pointer (&demo);
}

/**
 * cb_project_check_page:
 * @severity: how serious a missing runner or launcher is (a warning for `print`, an error
 *   for `check`)
 *
 * Adds what keeps @page's command from running in @project: no configs folder (the option
 * lists are empty, so nothing is checked), no runner script, a launcher not on PATH. Reads
 * the disk: never call it on the UI thread.
 */
void
cb_project_check_page (const CbProject   *project,
                       const char        *page,
                       CbProblemSeverity  severity,
                       GPtrArray         *problems)
{
  g_autofree char *configs = NULL;
  g_autofree char *script = NULL;
  g_autofree char *script_path = NULL;

  g_return_if_fail (project != NULL);
  g_return_if_fail (page != NULL);
  g_return_if_fail (problems != NULL);

  configs = cb_project_get_path (project, project->configs_dir);
  if (!is_dir (configs))
    g_ptr_array_add (problems,
                     cb_problem_new (CB_PROBLEM_WARNING, NULL, 0, 0,
                                     "%s: no configs folder: the option lists are empty and "
                                     "no choice can be checked", configs));

  script = g_strdup_printf ("%s/%s.py", project->runners_dir, page);
  script_path = cb_project_get_path (project, script);
  if (!g_file_test (script_path, G_FILE_TEST_IS_REGULAR))
    g_ptr_array_add (problems,
                     cb_problem_new (severity, NULL, 0, 0,
                                     "%s: the runner script of the %s page does not exist",
                                     script_path, page));

  if (project->launcher != NULL && project->launcher[0] != NULL)
    {
      g_autofree char *found = NULL;

      if (strchr (project->launcher[0], '/') != NULL)
        found = g_file_test (project->launcher[0], G_FILE_TEST_IS_EXECUTABLE)
                  ? g_strdup (project->launcher[0]) : NULL;
      else
        found = g_find_program_in_path (project->launcher[0]);
      if (found == NULL)
        g_ptr_array_add (problems,
                         cb_problem_new (severity, project->settings_path, 0, 0,
                                         "the launcher '%s' is not a program on PATH",
                                         project->launcher[0]));
    }
}

/**
 * cb_project_get_config_name:
 * @page: "train", "test" or "predict"
 *
 * Returns: the primary config of @page's runner: `config_names` in the settings file, else
 *   the page's name
 */
const char *
cb_project_get_config_name (const CbProject *project,
                            const char      *page)
{
  const char *name;

  g_return_val_if_fail (project != NULL && page != NULL, NULL);

  name = g_hash_table_lookup (project->config_names, page);
  return name != NULL ? name : page;
}
