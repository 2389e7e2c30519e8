/* cb-preset.c: a page's values saved under a name, shared with the project through git
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A preset is a small YAML file, PROJECT/.command-builder/presets/PAGE/NAME.yaml:
 *
 *   note: 'Quick check on receipts'
 *   values:
 *     exp_name: 'my run'
 *     batch_size: 8
 *   extra_overrides: [trainer.limit_val_batches=0.25]
 *
 * The files come from git, so each is read as hostile input (regular files only, within a
 * size limit, strict keys) and a broken one is a problem with file:line:column that does not
 * stop the others. Files are written atomically (g_file_set_contents). The suggested setups
 * of the project's architecture metadata are listed beside them as read-only built-ins.
 */

#define G_LOG_DOMAIN "cb-preset"

#include "config.h"

#include "cb/cb-preset.h"
#include "cb/cb-cfg.h"
#include "cb/cb-file-name.h"
#include "cb/cb-file-read.h"
#include "cb/cb-problem.h"
#include "cb/cb-quote.h"
#include "cb/cb-yaml.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

G_DEFINE_QUARK (cb-preset-error-quark, cb_preset_error)

/**
 * cb_preset_name_problem:
 *
 * Returns: (nullable): why @name cannot name a preset file, or %NULL when it can
 */
char *
cb_preset_name_problem (const char *name)
{
  g_autofree char *problem = NULL;

  if (name == NULL || *name == '\0')
    return g_strdup (_("A preset needs a name."));
  if (!g_utf8_validate (name, -1, NULL))
    return g_strdup (_("A preset name must be valid UTF-8 text."));
  if (name[0] == '.')
    return g_strdup (_("A preset name cannot start with “.”."));
  if (strchr (name, '/') != NULL)
    return g_strdup (_("A preset name cannot contain “/”."));
  if (strlen (name) + strlen (CB_PRESET_SUFFIX) > CB_FILE_NAME_MAX)
    return g_strdup_printf (_("A preset name can have at most %d bytes."),
                            (int) (CB_FILE_NAME_MAX - strlen (CB_PRESET_SUFFIX)));
  problem = cb_file_name_problem (name);
  if (problem != NULL)
    /* Translators: %s says what is wrong, e.g. "the name starts or ends with a space." */
    return g_strdup_printf (_("Not a preset name: %s"), problem);
  return NULL;
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  g_autofree char *problem = cb_preset_name_problem (name);

  if (problem == NULL)
    return TRUE;
  g_set_error_literal (error, CB_PRESET_ERROR, CB_PRESET_ERROR_NAME, problem);
  return FALSE;
}

static char *
dir_for_root (const char *root,
              const char *page)
{
  return g_build_filename (root, CB_PRESET_DIR, page, NULL);
}

static char *
path_for (const char *root,
          const char *page,
          const char *name)
{
  g_autofree char *dir = dir_for_root (root, page);
  g_autofree char *file = g_strconcat (name, CB_PRESET_SUFFIX, NULL);

  return g_build_filename (dir, file, NULL);
}

/**
 * cb_preset_get_dir:
 *
 * Returns: the folder of @page's presets in @project (it may not exist)
 */
char *
cb_preset_get_dir (const CbProject *project,
                   const char      *page)
{
  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (page != NULL, NULL);

  return dir_for_root (project->root, page);
}

void
cb_preset_free (CbPreset *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->title);
  g_free (self->note);
  g_free (self->path);
  g_strfreev (self->keys);
  for (guint i = 0; i < self->n_values; i++)
    g_variant_unref (self->values[i]);
  g_free (self->values);
  g_strfreev (self->extra);
  g_clear_pointer (&self->snapshot, cb_config_snapshot_unref);
  g_free (self);
}

static CbPreset *
preset_new (const char *name,
            const char *note,
            GPtrArray  *keys,
            GPtrArray  *values,
            GPtrArray  *extra)
{
  CbPreset *self = g_new0 (CbPreset, 1);

  self->name = g_strdup (name);
  self->title = g_strdup (name);
  self->note = g_strdup (note != NULL ? note : "");
  self->n_values = values->len;
  g_ptr_array_add (keys, NULL);
  self->keys = (char **) g_ptr_array_free (keys, FALSE);
  self->values = (GVariant **) g_ptr_array_free (values, FALSE);
  g_ptr_array_add (extra, NULL);
  self->extra = (char **) g_ptr_array_free (extra, FALSE);
  return self;
}

/**
 * cb_preset_new_from_form:
 * @note: (nullable): a line about what the preset is for
 *
 * Returns: (transfer full): what the user chose on @form's page (the values that are not
 *   defaults, in schema order, and the extra overrides), named @name
 */
CbPreset *
cb_preset_new_from_form (CbForm     *form,
                         const char *name,
                         const char *note)
{
  CbSchema *schema;
  GPtrArray *keys = g_ptr_array_new ();
  GPtrArray *values = g_ptr_array_new ();
  GPtrArray *extra = g_ptr_array_new ();
  const char * const *form_extra;

  g_return_val_if_fail (CB_IS_FORM (form), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  schema = cb_form_get_schema (form);
  for (guint i = 0; i < cb_schema_get_n_fields (schema); i++)
    {
      const CbField *field = cb_schema_get_field (schema, i);
      GVariant *value = cb_form_get_user_value (form, field->key);

      if (value == NULL || field->type == CB_FIELD_INFO)
        continue;
      g_ptr_array_add (keys, g_strdup (field->key));
      g_ptr_array_add (values, g_variant_ref (value));
    }

  form_extra = cb_form_get_extra_overrides (form);
  for (guint i = 0; form_extra[i] != NULL; i++)
    g_ptr_array_add (extra, g_strdup (form_extra[i]));

  return preset_new (name, note, keys, values, extra);
}

gboolean
cb_preset_is_built_in (const CbPreset *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->use_case != NULL;
}

/* ---- reading ------------------------------------------------------------------------ */

static gboolean
fail_at (GError       **error,
         const char    *filename,
         const CbNode  *node,
         const char    *message)
{
  g_set_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_INVALID, "%s:%u:%u: %s", filename,
               node != NULL ? cb_node_get_line (node) : 1,
               node != NULL ? cb_node_get_column (node) : 1, message);
  return FALSE;
}

static gboolean
is_string (const CbNode *node)
{
  return node != NULL && cb_node_get_node_type (node) == CB_NODE_SCALAR &&
         !cb_node_is_null (node);
}

static gboolean
read_values (const CbNode  *map,
             const char    *filename,
             GPtrArray     *keys,
             GPtrArray     *values,
             GError       **error)
{
  if (cb_node_is_null (map))
    return TRUE;
  if (cb_node_get_node_type (map) != CB_NODE_MAPPING)
    return fail_at (error, filename, map, _("“values” must map field keys to values"));

  for (guint i = 0; i < cb_node_get_n_children (map); i++)
    {
      const CbNode *key = cb_node_get_key (map, i);
      const CbNode *child = cb_node_get_child (map, i);
      GVariant *value;

      if (!is_string (key) || *cb_node_get_scalar (key) == '\0')
        return fail_at (error, filename, key, _("a field key must be a name"));
      if (g_ptr_array_find_with_equal_func (keys, cb_node_get_scalar (key), g_str_equal, NULL))
        return fail_at (error, filename, key, _("this field key is given twice"));
      if (cb_node_get_node_type (child) != CB_NODE_SCALAR || cb_node_is_null (child))
        return fail_at (error, filename, child,
                        _("a value must be a string, a number or true/false"));
      value = cb_node_to_variant (child);
      if (value == NULL)
        return fail_at (error, filename, child,
                        _("a value must be a string, a number or true/false"));
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE) &&
          !isfinite (g_variant_get_double (value)))
        {
          g_variant_unref (value);
          return fail_at (error, filename, child,
                          _("a number must be finite (no field takes .inf, .nan or overflow)"));
        }
      g_ptr_array_add (keys, g_strdup (cb_node_get_scalar (key)));
      g_ptr_array_add (values, value);
    }
  return TRUE;
}

static gboolean
read_extra (const CbNode  *list,
            const char    *filename,
            GPtrArray     *extra,
            GError       **error)
{
  if (cb_node_is_null (list))
    return TRUE;
  if (cb_node_get_node_type (list) != CB_NODE_SEQUENCE)
    return fail_at (error, filename, list, _("“extra_overrides” must be a list of overrides"));

  for (guint i = 0; i < cb_node_get_n_children (list); i++)
    {
      const CbNode *item = cb_node_get_child (list, i);

      if (!is_string (item) || *cb_node_get_scalar (item) == '\0')
        return fail_at (error, filename, item, _("an extra override must be text"));
      g_ptr_array_add (extra, g_strdup (cb_node_get_scalar (item)));
    }
  return TRUE;
}

/**
 * cb_preset_parse:
 * @filename: how messages name the file
 * @name: the preset's name (its file name without ".yaml")
 *
 * Reads a preset file's text. A file that is not a preset gives %CB_PRESET_ERROR_INVALID
 * or a %CB_YAML_ERROR, with a message that starts "FILENAME:LINE:COLUMN: ".
 */
CbPreset *
cb_preset_parse (const char  *data,
                 gsize        length,
                 const char  *filename,
                 const char  *name,
                 GError     **error)
{
  g_autoptr(CbNode) root = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
  const char *note = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  root = cb_yaml_load_data (data != NULL ? data : "", length, filename, error);
  if (root == NULL)
    return NULL;
  if (cb_node_get_node_type (root) != CB_NODE_MAPPING)
    {
      fail_at (error, filename, root,
               _("a preset is a mapping with “note”, “values” and “extra_overrides”"));
      return NULL;
    }

  for (guint i = 0; i < cb_node_get_n_children (root); i++)
    {
      const CbNode *key = cb_node_get_key (root, i);
      const CbNode *child = cb_node_get_child (root, i);
      const char *k = is_string (key) ? cb_node_get_scalar (key) : "";

      if (g_str_equal (k, "note"))
        {
          if (cb_node_is_null (child))
            continue;
          if (cb_node_get_node_type (child) != CB_NODE_SCALAR)
            {
              fail_at (error, filename, child, _("“note” must be text"));
              return NULL;
            }
          note = cb_node_get_scalar (child);
        }
      else if (g_str_equal (k, "values"))
        {
          if (!read_values (child, filename, keys, values, error))
            return NULL;
        }
      else if (g_str_equal (k, "extra_overrides"))
        {
          if (!read_extra (child, filename, extra, error))
            return NULL;
        }
      else
        {
          g_autofree char *message =
            /* Translators: %s is a key of a preset file, e.g. "value" */
            g_strdup_printf (_("unknown key “%s” (a preset has note, values and extra_overrides)"),
                             k);

          fail_at (error, filename, key, message);
          return NULL;
        }
    }

  g_ptr_array_set_free_func (keys, NULL);
  g_ptr_array_set_free_func (values, NULL);
  g_ptr_array_set_free_func (extra, NULL);
  return preset_new (name, note, g_steal_pointer (&keys), g_steal_pointer (&values),
                     g_steal_pointer (&extra));
}

/* ---- writing ------------------------------------------------------------------------ */

static CbCfg *
value_to_cfg (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return cb_cfg_new_scalar (g_variant_get_boolean (value) ? "true" : "false", FALSE);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));

      return cb_cfg_new_scalar (text, FALSE);
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      g_autofree char *text = cb_format_number_repr (g_variant_get_double (value));

      return cb_cfg_new_scalar (text, FALSE);
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return cb_cfg_new_scalar (g_variant_get_string (value, NULL), TRUE);

  {
    g_autofree char *text = g_variant_print (value, FALSE);

    return cb_cfg_new_scalar (text, TRUE);
  }
}

/**
 * cb_preset_to_yaml:
 * @page: the page, named in the file's first line
 *
 * Returns: the text of @self's file
 */
char *
cb_preset_to_yaml (const CbPreset *self,
                   const char     *page)
{
  g_autoptr(CbCfg) root = cb_cfg_new_map ();
  g_autoptr(CbCfg) values = cb_cfg_new_map ();
  g_autoptr(CbCfg) extra = cb_cfg_new_list ();
  g_autofree char *body = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (page != NULL, NULL);

  for (guint i = 0; i < self->n_values; i++)
    cb_cfg_map_set (values, self->keys[i], value_to_cfg (self->values[i]));
  for (guint i = 0; self->extra[i] != NULL; i++)
    cb_cfg_list_append (extra, cb_cfg_new_scalar (self->extra[i], TRUE));

  cb_cfg_map_set (root, "note", cb_cfg_new_scalar (self->note, TRUE));
  cb_cfg_map_set (root, "values", g_steal_pointer (&values));
  cb_cfg_map_set (root, "extra_overrides", g_steal_pointer (&extra));
  body = cb_cfg_to_yaml (root);

  return g_strdup_printf ("# A Command Builder preset of the %s page\n%s", page, body);
}

/* ---- applying ----------------------------------------------------------------------- */

static gboolean
set_one (CbForm     *form,
         const char *key,
         GVariant   *value,
         GPtrArray  *ignored)
{
  if (cb_schema_find_field (cb_form_get_schema (form), key) < 0)
    {
      /* Translators: %s is a field key from a preset file */
      g_ptr_array_add (ignored, g_strdup_printf (_("no field “%s” on this page"), key));
      return FALSE;
    }
  if (!cb_form_set_value (form, key, g_variant_ref (value)))
    {
      g_autofree char *text = g_variant_print (value, FALSE);

      /* Translators: the first %s is a field key, the second the value of a preset */
      g_ptr_array_add (ignored, g_strdup_printf (_("“%s” cannot take %s"), key, text));
      return FALSE;
    }
  return TRUE;
}

/**
 * cb_preset_apply:
 * @ignored: (out) (optional) (transfer full): what could not be set, and why
 *
 * Sets @form as @self says. A project preset starts from the page's defaults, then sets
 * its values (a chosen checkpoint first, so that the values it fills in can be changed),
 * then its extra overrides; a value the page does not offer is kept and flagged, as when a
 * command is loaded. A built-in (a suggested setup) only sets the values it names.
 *
 * Returns: how many values were set
 */
guint
cb_preset_apply (const CbPreset   *self,
                 CbForm           *form,
                 char           ***ignored)
{
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  CbSchema *schema;
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (CB_IS_FORM (form), 0);

  if (self->use_case != NULL)
    {
      g_auto(GStrv) changes = cb_form_apply_use_case (form, self->use_case);

      n = g_strv_length (changes);
    }
  else
    {
      schema = cb_form_get_schema (form);
      cb_form_reset (form);
      /* Not frozen: each value is checked against what the values before it offer. */
      for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < self->n_values; i++)
          {
            int index = cb_schema_find_field (schema, self->keys[i]);
            gboolean checkpoint = index >= 0 &&
              g_strcmp0 (cb_schema_get_field (schema, index)->options_source, "checkpoints") == 0;

            if ((pass == 0) != checkpoint)
              continue;
            if (set_one (form, self->keys[i], self->values[i], skipped))
              n++;
          }
      cb_form_set_extra_overrides (form, (const char * const *) self->extra);
    }

  if (ignored != NULL)
    {
      g_ptr_array_add (skipped, NULL);
      *ignored = (char **) g_ptr_array_free (g_steal_pointer (&skipped), FALSE);
    }
  return n;
}

/* ---- listing ------------------------------------------------------------------------ */

/**
 * cb_preset_list_built_in:
 *
 * The suggested setups of @snapshot that set a field of @schema, as read-only presets named
 * by their id. Like the original tool, only the train page has them.
 *
 * Returns: (transfer container) (element-type CbPreset): a new array
 */
GPtrArray *
cb_preset_list_built_in (CbConfigSnapshot *snapshot,
                         CbSchema         *schema,
                         const char       *page)
{
  GPtrArray *presets = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_preset_free);

  g_return_val_if_fail (schema != NULL, presets);
  g_return_val_if_fail (page != NULL, presets);

  if (snapshot == NULL || !g_str_equal (page, "train"))
    return presets;

  for (guint i = 0; i < cb_config_snapshot_get_n_use_cases (snapshot); i++)
    {
      const CbUseCase *use_case = cb_config_snapshot_get_use_case (snapshot, i);
      GPtrArray *keys = g_ptr_array_new ();
      GPtrArray *values = g_ptr_array_new ();
      CbPreset *preset;

      for (guint j = 0; j < use_case->n_params; j++)
        if (cb_schema_find_field (schema, use_case->param_names[j]) >= 0)
          {
            g_ptr_array_add (keys, g_strdup (use_case->param_names[j]));
            g_ptr_array_add (values, g_variant_ref (use_case->param_values[j]));
          }
      if (keys->len == 0 || cb_preset_find (presets, use_case->id) != NULL)
        {
          g_ptr_array_free (keys, TRUE);
          g_ptr_array_free (values, TRUE);
          continue;
        }

      preset = preset_new (use_case->id, use_case->description, keys, values,
                           g_ptr_array_new ());
      g_free (preset->title);
      preset->title = g_strdup (use_case->title != NULL ? use_case->title : use_case->id);
      preset->snapshot = cb_config_snapshot_ref (snapshot);
      preset->use_case = use_case;
      g_ptr_array_add (presets, preset);
    }

  return presets;
}

/**
 * cb_preset_find:
 *
 * Returns: (nullable) (transfer none): the preset of @presets named @name
 */
const CbPreset *
cb_preset_find (GPtrArray  *presets,
                const char *name)
{
  g_return_val_if_fail (presets != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < presets->len; i++)
    {
      const CbPreset *preset = g_ptr_array_index (presets, i);

      if (g_str_equal (preset->name, name))
        return preset;
    }
  return NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
list_dir (const char *root,
          const char *page,
          GPtrArray  *problems)
{
  GPtrArray *presets = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_preset_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir_path = dir_for_root (root, page);
  struct dirent *entry;
  DIR *dir;

  dir = opendir (dir_path);
  if (dir == NULL)
    {
      if (errno != ENOENT && errno != ENOTDIR)
        g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, dir_path, 0, 0, "%s",
                                                   g_strerror (errno)));
      return presets;
    }

  while ((entry = readdir (dir)) != NULL)
    {
      const char *file = entry->d_name;
      gsize len = strlen (file);

      if (file[0] == '.' || len <= strlen (CB_PRESET_SUFFIX) ||
          !g_str_has_suffix (file, CB_PRESET_SUFFIX) ||
          entry->d_type == DT_DIR)
        continue;
      if (names->len == CB_PRESET_MAX_FILES)
        {
          g_ptr_array_add (problems,
                           cb_problem_new (CB_PROBLEM_WARNING, dir_path, 0, 0,
                                           _("more than %d presets: the others are not listed"),
                                           CB_PRESET_MAX_FILES));
          break;
        }
      g_ptr_array_add (names, g_strdup (file));
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *name = g_strndup (file, strlen (file) - strlen (CB_PRESET_SUFFIX));
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      g_autofree char *display = g_filename_display_name (path);
      g_autofree char *problem = cb_preset_name_problem (name);
      g_autofree char *data = NULL;
      g_autoptr(GError) error = NULL;
      CbPreset *preset;
      gsize length = 0;

      if (problem != NULL)
        {
          g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_WARNING, display, 0, 0, "%s",
                                                     problem));
          continue;
        }
      if (!cb_file_read_regular_at (dirfd (dir), file, display, CB_FILE_KIND_PRESET, NULL,
                                    &data, &length, &error) ||
          (preset = cb_preset_parse (data, length, display, name, &error)) == NULL)
        {
          g_ptr_array_add (problems, cb_problem_new_located (CB_PROBLEM_ERROR, display,
                                                             error->message));
          continue;
        }
      preset->path = g_steal_pointer (&path);
      g_ptr_array_add (presets, preset);
    }

  closedir (dir);
  return presets;
}

/**
 * cb_preset_list:
 * @problems: (element-type CbProblem): where each file that is not a preset is said
 *
 * Reads @page's presets in @project, sorted by name. It reads files: call it from a worker
 * thread (cb_preset_list_async) or the command line.
 *
 * Returns: (transfer container) (element-type CbPreset): a new array
 */
GPtrArray *
cb_preset_list (const CbProject *project,
                const char      *page,
                GPtrArray       *problems)
{
  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (problems != NULL, NULL);

  return list_dir (project->root, page, problems);
}

typedef struct
{
  char      *root;
  char      *page;
  GPtrArray *presets;
  GPtrArray *problems;
} ListData;

static void
list_data_free (ListData *data)
{
  g_free (data->root);
  g_free (data->page);
  g_clear_pointer (&data->presets, g_ptr_array_unref);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_free (data);
}

static void
list_worker (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ListData *data = task_data;

  data->problems = cb_problem_list_new ();
  data->presets = list_dir (data->root, data->page, data->problems);
  g_task_return_boolean (task, TRUE);
}

/**
 * cb_preset_list_async:
 *
 * Lists @page's presets in @project in a worker thread; the inputs are copied.
 */
void
cb_preset_list_async (const CbProject     *project,
                      const char          *page,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListData *data;

  g_return_if_fail (project != NULL);
  g_return_if_fail (page != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_preset_list_async);
  data = g_new0 (ListData, 1);
  data->root = g_strdup (project->root);
  data->page = g_strdup (page);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, list_worker);
}

/**
 * cb_preset_list_finish:
 * @problems: (out) (optional) (transfer full) (element-type CbProblem): the files that are
 *   not presets
 *
 * Returns: (transfer container) (element-type CbPreset): the presets, or %NULL when
 *   cancelled
 */
GPtrArray *
cb_preset_list_finish (GAsyncResult  *result,
                       GPtrArray    **problems,
                       GError       **error)
{
  ListData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cb_preset_list_async, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  data = g_task_get_task_data (G_TASK (result));
  if (problems != NULL)
    *problems = g_steal_pointer (&data->problems);
  return g_steal_pointer (&data->presets);
}

/* ---- changing ----------------------------------------------------------------------- */

static gboolean
exists (const char *path)
{
  struct stat st;

  return g_lstat (path, &st) == 0;
}

static gboolean
save_at (const char      *root,
         const char      *page,
         const CbPreset  *preset,
         gboolean         replace,
         GError         **error)
{
  g_autofree char *dir = dir_for_root (root, page);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (preset->use_case != NULL)
    {
      g_set_error_literal (error, CB_PRESET_ERROR, CB_PRESET_ERROR_BUILT_IN,
                           _("A built-in preset cannot be saved; save the page instead"));
      return FALSE;
    }
  if (!check_name (preset->name, error))
    return FALSE;

  path = path_for (root, page, preset->name);
  if (!replace && exists (path))
    {
      g_set_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_EXISTS,
                   /* Translators: %s is a preset's name */
                   _("There is already a preset named “%s”"), preset->name);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  text = cb_preset_to_yaml (preset, page);
  return g_file_set_contents (path, text, -1, error);
}

/**
 * cb_preset_save:
 * @replace: whether a preset of the same name is replaced
 *
 * Writes @self to its file in @project, atomically, creating the folders it needs.
 */
gboolean
cb_preset_save (const CbPreset   *self,
                const CbProject  *project,
                const char       *page,
                gboolean          replace,
                GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  return save_at (project->root, page, self, replace, error);
}

static gboolean
find_file (const char  *root,
           const char  *page,
           const char  *name,
           char       **path_out,
           GError     **error)
{
  g_autofree char *path = NULL;

  if (!check_name (name, error))
    return FALSE;
  path = path_for (root, page, name);
  if (!exists (path))
    {
      g_set_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_NOT_FOUND,
                   /* Translators: %s is a preset's name */
                   _("There is no preset named “%s”"), name);
      return FALSE;
    }
  *path_out = g_steal_pointer (&path);
  return TRUE;
}

static gboolean
rename_at (const char  *root,
           const char  *page,
           const char  *name,
           const char  *new_name,
           GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *new_path = NULL;

  if (!find_file (root, page, name, &path, error) || !check_name (new_name, error))
    return FALSE;
  if (g_str_equal (name, new_name))
    return TRUE;
  new_path = path_for (root, page, new_name);
  if (exists (new_path))
    {
      g_set_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_EXISTS,
                   _("There is already a preset named “%s”"), new_name);
      return FALSE;
    }
  if (g_rename (path, new_path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", new_path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
delete_at (const char  *root,
           const char  *page,
           const char  *name,
           GError     **error)
{
  g_autofree char *path = NULL;

  if (!find_file (root, page, name, &path, error))
    return FALSE;
  if (g_unlink (path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * cb_preset_rename:
 *
 * Renames @page's preset @name to @new_name; another preset of that name is never replaced.
 */
gboolean
cb_preset_rename (const CbProject  *project,
                  const char       *page,
                  const char       *name,
                  const char       *new_name,
                  GError          **error)
{
  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  return rename_at (project->root, page, name, new_name, error);
}

gboolean
cb_preset_delete (const CbProject  *project,
                  const char       *page,
                  const char       *name,
                  GError          **error)
{
  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  return delete_at (project->root, page, name, error);
}

typedef enum
{
  CHANGE_SAVE,
  CHANGE_RENAME,
  CHANGE_DELETE,
} ChangeKind;

typedef struct
{
  ChangeKind  kind;
  char       *root;
  char       *page;
  char       *name;
  char       *new_name;
  CbPreset   *preset;   /* save: a copy of the preset */
  gboolean    replace;
} ChangeData;

static void
change_data_free (ChangeData *data)
{
  g_free (data->root);
  g_free (data->page);
  g_free (data->name);
  g_free (data->new_name);
  g_clear_pointer (&data->preset, cb_preset_free);
  g_free (data);
}

static void
change_worker (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ChangeData *data = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (data->kind)
    {
    case CHANGE_SAVE:
      ok = save_at (data->root, data->page, data->preset, data->replace, &error);
      break;
    case CHANGE_RENAME:
      ok = rename_at (data->root, data->page, data->name, data->new_name, &error);
      break;
    case CHANGE_DELETE:
      ok = delete_at (data->root, data->page, data->name, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Runs @kind on a copy of the inputs in a worker thread. */
static void
run_change (ChangeKind           kind,
            const CbProject     *project,
            const char          *page,
            const char          *name,
            const char          *new_name,
            CbPreset            *preset,
            gboolean             replace,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ChangeData *data = g_new0 (ChangeData, 1);

  g_task_set_source_tag (task, run_change);
  data->kind = kind;
  data->root = g_strdup (project->root);
  data->page = g_strdup (page);
  data->name = g_strdup (name);
  data->new_name = g_strdup (new_name);
  data->preset = preset;
  data->replace = replace;
  g_task_set_task_data (task, data, (GDestroyNotify) change_data_free);
  g_task_run_in_thread (task, change_worker);
}

static CbPreset *
preset_copy (const CbPreset *preset)
{
  GPtrArray *keys = g_ptr_array_new ();
  GPtrArray *values = g_ptr_array_new ();
  GPtrArray *extra = g_ptr_array_new ();
  CbPreset *copy;

  for (guint i = 0; i < preset->n_values; i++)
    {
      g_ptr_array_add (keys, g_strdup (preset->keys[i]));
      g_ptr_array_add (values, g_variant_ref (preset->values[i]));
    }
  for (guint i = 0; preset->extra[i] != NULL; i++)
    g_ptr_array_add (extra, g_strdup (preset->extra[i]));
  copy = preset_new (preset->name, preset->note, keys, values, extra);
  if (preset->use_case != NULL)
    {
      /* Still a built-in, so that saving it is refused. */
      copy->use_case = preset->use_case;
      copy->snapshot = cb_config_snapshot_ref (preset->snapshot);
    }
  return copy;
}

/**
 * cb_preset_save_async:
 *
 * cb_preset_save() in a worker thread, on a copy of @self. Finish with
 * cb_preset_change_finish().
 */
void
cb_preset_save_async (const CbPreset      *self,
                      const CbProject     *project,
                      const char          *page,
                      gboolean             replace,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (project != NULL);
  g_return_if_fail (page != NULL);

  run_change (CHANGE_SAVE, project, page, NULL, NULL, preset_copy (self), replace, cancellable,
              callback, user_data);
}

void
cb_preset_rename_async (const CbProject     *project,
                        const char          *page,
                        const char          *name,
                        const char          *new_name,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (project != NULL);
  g_return_if_fail (page != NULL);

  run_change (CHANGE_RENAME, project, page, name, new_name, NULL, FALSE, cancellable, callback,
              user_data);
}

void
cb_preset_delete_async (const CbProject     *project,
                        const char          *page,
                        const char          *name,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (project != NULL);
  g_return_if_fail (page != NULL);

  run_change (CHANGE_DELETE, project, page, name, NULL, NULL, FALSE, cancellable, callback,
              user_data);
}

/**
 * cb_preset_change_finish:
 *
 * Finishes cb_preset_save_async(), cb_preset_rename_async() or cb_preset_delete_async().
 */
gboolean
cb_preset_change_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == run_change, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
