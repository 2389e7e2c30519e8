/* cb-config.c: read a project's Hydra configs/ tree into an immutable snapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What is read from where (the original tool's layout; "stems" are the names of the
 * .yaml files directly inside a folder):
 *
 *   models.architectures  stems of model/architectures
 *   architecture metadata ui_meta/architectures/NAME.yaml (its ui_metadata key, or the file)
 *   models.encoders       stems of preset/models/encoder + names in the metadata
 *   models.backbones      every backbone the architecture metadata names
 *   models.decoders/heads/losses  stems of preset/models/KIND + metadata names
 *   models.optimizers     stems of model/optimizers + metadata names
 *   optimizer metadata    ui_meta/optimizers/NAME.yaml (its ui_metadata key, or the file)
 *   datasets              stems of data (not subfolders)
 *   profiles              ui_meta/preprocessing_profiles.yaml (profiles:)
 *
 * File stems come sorted; names found only in the metadata follow in the order they are
 * first written. A broken file is a problem with its line and column, and the rest loads.
 * Parsed files are kept with their modification time and size, so a reload parses only
 * files that changed.
 */

#define G_LOG_DOMAIN "cb-config"

#include "config.h"

#include "cb/cb-compose.h"
#include "cb/cb-config.h"
#include "cb/cb-problem.h"

#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct
{
  gint64     mtime_ns;
  gint64     size;
  CbNode    *node;   /* NULL when the file is broken */
  CbProblem *error;  /* the reason, when broken */
} ParsedFile;

struct _CbConfigSnapshot
{
  gatomicrefcount  ref_count;
  char            *dir;
  GHashTable      *options;        /* source -> GStrv */
  GHashTable      *arch_meta;      /* name -> CbNode */
  GHashTable      *optimizer_meta; /* name -> CbNode */
  GPtrArray       *profiles;       /* CbProfile */
  char           **profile_keys;
  GPtrArray       *use_cases;      /* CbUseCase */
  GHashTable      *files;          /* path -> ParsedFile */
  guint            n_files_parsed;
  CbComposer      *composer;       /* the whole tree, preloaded; NULL without configs/ */
};

static void
parsed_file_free (ParsedFile *file)
{
  g_clear_pointer (&file->node, cb_node_unref);
  g_clear_pointer (&file->error, cb_problem_free);
  g_free (file);
}

static void
profile_free (CbProfile *profile)
{
  g_free (profile->key);
  g_free (profile->label);
  g_free (profile->description);
  g_strfreev (profile->overrides);
  g_free (profile);
}

static void
use_case_free (CbUseCase *use_case)
{
  g_free (use_case->id);
  g_free (use_case->title);
  g_free (use_case->description);
  g_free (use_case->architecture);
  g_strfreev (use_case->param_names);
  for (guint i = 0; i < use_case->n_params; i++)
    g_clear_pointer (&use_case->param_values[i], g_variant_unref);
  g_free (use_case->param_values);
  g_free (use_case);
}

static CbConfigSnapshot *
snapshot_new (const char *dir)
{
  CbConfigSnapshot *self = g_new0 (CbConfigSnapshot, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->dir = g_strdup (dir);
  self->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_strfreev);
  self->arch_meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) cb_node_unref);
  self->optimizer_meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) cb_node_unref);
  self->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) profile_free);
  self->use_cases = g_ptr_array_new_with_free_func ((GDestroyNotify) use_case_free);
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) parsed_file_free);

  return self;
}

CbConfigSnapshot *
cb_config_snapshot_new_empty (void)
{
  CbConfigSnapshot *self = snapshot_new (NULL);

  self->profile_keys = g_new0 (char *, 1);
  return self;
}

CbConfigSnapshot *
cb_config_snapshot_ref (CbConfigSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cb_config_snapshot_unref (CbConfigSnapshot *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->dir);
  g_hash_table_unref (self->options);
  g_hash_table_unref (self->arch_meta);
  g_hash_table_unref (self->optimizer_meta);
  g_ptr_array_unref (self->profiles);
  g_strfreev (self->profile_keys);
  g_ptr_array_unref (self->use_cases);
  g_hash_table_unref (self->files);
  g_clear_pointer (&self->composer, cb_composer_unref);
  g_free (self);
}

/* ---- reading ------------------------------------------------------------------------- */

typedef struct
{
  CbConfigSnapshot       *self;
  const CbConfigSnapshot *previous;
  GPtrArray              *problems;
} Loader;

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted stems of the *.yaml files directly inside @dir; NULL when @dir is missing. */
static GPtrArray *
list_stems (Loader     *loader,
            const char *relative,
            gboolean    report_missing)
{
  g_autofree char *path = g_build_filename (loader->self->dir, relative, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  GPtrArray *stems;
  const char *name;

  if (dir == NULL)
    {
      /* A folder that is there but cannot be listed (chmod 000) is not "missing". */
      if (report_missing && loader->problems != NULL)
        g_ptr_array_add (loader->problems,
                         cb_problem_new (CB_PROBLEM_NOTICE, path, 0, 0, "%s: its list is empty",
                                         g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                                           ? "missing folder"
                                           : g_error_matches (error, G_FILE_ERROR,
                                                              G_FILE_ERROR_ACCES)
                                           ? "a folder that cannot be read (no permission)"
                                           : "a folder that cannot be read"));
      return NULL;
    }

  stems = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *full = NULL;

      if (name[0] == '.' || !(g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml")))
        continue;
      full = g_build_filename (path, name, NULL);
      if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
        continue;
      g_ptr_array_add (stems, g_strndup (name, strrchr (name, '.') - name));
    }
  g_ptr_array_sort (stems, compare_strings);

  return stems;
}

/* Parses @relative (or reuses the previous snapshot's tree when the file is unchanged).
 * Returns a borrowed node, or NULL when the file is missing or broken. */
static CbNode *
read_file (Loader     *loader,
           const char *relative)
{
  g_autofree char *path = g_build_filename (loader->self->dir, relative, NULL);
  const ParsedFile *old = NULL;
  ParsedFile *file;
  GError *error = NULL;
  struct stat st;

  /* Missing: nothing to say. Anything else that is not a regular file (a FIFO, a device)
   * is refused by the reader, with a message. */
  if (stat (path, &st) != 0 || S_ISDIR (st.st_mode))
    return NULL;

  file = g_new0 (ParsedFile, 1);
  file->mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
  file->size = st.st_size;

  if (loader->previous != NULL)
    old = g_hash_table_lookup (loader->previous->files, path);

  if (old != NULL && old->mtime_ns == file->mtime_ns && old->size == file->size)
    {
      file->node = old->node ? cb_node_ref (old->node) : NULL;
      file->error = old->error ? cb_problem_copy (old->error) : NULL;
    }
  else
    {
      loader->self->n_files_parsed++;
      file->node = cb_yaml_load_file (path, &error);
      if (file->node == NULL)
        {
          file->error = cb_problem_new_located (CB_PROBLEM_ERROR, path, error->message);
          g_error_free (error);
        }
    }

  if (file->error != NULL && loader->problems != NULL)
    g_ptr_array_add (loader->problems, cb_problem_copy (file->error));

  g_hash_table_replace (loader->self->files, g_strdup (path), file);
  return file->node;
}

/* A ui_meta file: its ui_metadata key, or the whole file when that key is absent. */
static CbNode *
metadata_of (CbNode *root)
{
  CbNode *meta = cb_node_lookup (root, "ui_metadata");

  return meta != NULL ? meta : root;
}

static void
add_unique (GPtrArray  *list,
            GHashTable *seen,
            const char *name)
{
  if (name == NULL || *name == '\0' || g_hash_table_contains (seen, name))
    return;

  g_hash_table_add (seen, g_strdup (name));
  g_ptr_array_add (list, g_strdup (name));
}

static void
add_node_names (GPtrArray    *list,
                GHashTable   *seen,
                const CbNode *node)
{
  g_auto(GStrv) names = NULL;

  if (node == NULL || cb_node_get_node_type (node) == CB_NODE_MAPPING)
    return;

  names = cb_node_to_strv (node);
  for (guint i = 0; names[i] != NULL; i++)
    add_unique (list, seen, names[i]);
}

typedef struct
{
  const char *source;
  const char *folder;         /* file stems, or NULL */
  const char *component;      /* components.<x> in the metadata */
  const char *default_key;
  const char *compatible_key;
  const char *use_case_key;
} SourceSpec;

static const SourceSpec source_specs[] = {
  { "models.encoders", "preset/models/encoder", "encoder", NULL, NULL, NULL },
  { "models.backbones", NULL, NULL, "default_backbone", "compatible_backbones", "encoder" },
  { "models.decoders", "preset/models/decoder", "decoder", "default_decoder",
    "compatible_decoders", "decoder" },
  { "models.heads", "preset/models/head", "head", "default_head", "compatible_heads", "head" },
  { "models.losses", "preset/models/loss", "loss", "default_loss", "compatible_losses", "loss" },
  { "models.optimizers", "model/optimizers", NULL, "default_optimizer",
    "recommended_optimizers", "optimizer" },
};

static void
collect_source (Loader           *loader,
                const SourceSpec *spec,
                GPtrArray        *arch_names)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (spec->folder != NULL)
    {
      g_autoptr(GPtrArray) stems = list_stems (loader, spec->folder, TRUE);

      for (guint i = 0; stems != NULL && i < stems->len; i++)
        add_unique (list, seen, g_ptr_array_index (stems, i));
    }

  /* Metadata names in the order a model registry would list them: every architecture's
   * own components first, then the compatible lists, then defaults, then use cases. */
  for (guint pass = 0; pass < 4; pass++)
    for (guint i = 0; i < arch_names->len; i++)
      {
        const CbNode *meta = g_hash_table_lookup (loader->self->arch_meta,
                                                  g_ptr_array_index (arch_names, i));
        const CbNode *use_cases;

        if (meta == NULL)
          continue;
        if (pass == 0 && spec->component != NULL)
          add_node_names (list, seen, cb_node_lookup (cb_node_lookup (meta, "components"),
                                                      spec->component));
        if (pass == 2 && spec->default_key != NULL)
          add_node_names (list, seen, cb_node_lookup (meta, spec->default_key));
        if (pass == 1 && spec->compatible_key != NULL)
          add_node_names (list, seen, cb_node_lookup (meta, spec->compatible_key));

        use_cases = cb_node_lookup (meta, "use_cases");
        for (guint u = 0; pass == 3 && spec->use_case_key != NULL &&
                          u < cb_node_get_n_children (use_cases); u++)
          {
            const CbNode *recs = cb_node_lookup (cb_node_get_child (use_cases, u),
                                                 "recommendations");

            add_node_names (list, seen, cb_node_lookup (recs, spec->use_case_key));
          }
      }

  if (g_str_equal (spec->source, "models.optimizers"))
    {
      g_autoptr(GList) keys = g_hash_table_get_keys (loader->self->optimizer_meta);

      keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
      for (const GList *l = keys; l != NULL; l = l->next)
        add_unique (list, seen, l->data);
    }

  g_ptr_array_add (list, NULL);
  g_hash_table_replace (loader->self->options, g_strdup (spec->source),
                        g_ptr_array_free (list, FALSE));
}

static GStrv
strv_from_array (GPtrArray *array)
{
  GPtrArray *copy = g_ptr_array_new ();

  for (guint i = 0; array != NULL && i < array->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (array, i)));
  g_ptr_array_add (copy, NULL);

  return (GStrv) g_ptr_array_free (copy, FALSE);
}

static void
read_use_cases (Loader     *loader,
                const char *arch,
                CbNode     *meta)
{
  static const char * const kept[] = {
    "architecture", "encoder", "decoder", "head", "loss", "optimizer", "learning_rate",
    "batch_size", "max_epochs", "preprocessing_profile", "precision", "accumulate_grad_batches",
    "gradient_clip_val", NULL
  };
  const CbNode *list = cb_node_lookup (meta, "use_cases");

  for (guint i = 0; i < cb_node_get_n_children (list); i++)
    {
      const CbNode *item = cb_node_get_child (list, i);
      const CbNode *recs = cb_node_lookup (item, "recommendations");
      CbUseCase *use_case;
      GPtrArray *names;
      GPtrArray *values;

      if (cb_node_get_node_type (item) != CB_NODE_MAPPING)
        continue;

      use_case = g_new0 (CbUseCase, 1);
      use_case->id = g_strdup (cb_node_lookup_string (item, "id") ?: arch);
      use_case->title = g_strdup (cb_node_lookup_string (item, "title") ?: "Suggested setup");
      use_case->description = g_strdup (cb_node_lookup_string (item, "description") ?: "");
      use_case->architecture = g_strdup (cb_node_lookup_string (recs, "architecture") ?: arch);

      names = g_ptr_array_new ();
      values = g_ptr_array_new ();
      for (guint k = 0; k < cb_node_get_n_children (recs) &&
                        recs != NULL && cb_node_get_node_type (recs) == CB_NODE_MAPPING; k++)
        {
          const char *name = cb_node_get_scalar (cb_node_get_key (recs, k));
          GVariant *value = cb_node_to_variant (cb_node_get_child (recs, k));

          if (value == NULL || !g_strv_contains (kept, name) ||
              (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
               *g_variant_get_string (value, NULL) == '\0'))
            {
              g_clear_pointer (&value, g_variant_unref);
              continue;
            }
          g_ptr_array_add (names, g_strdup (name));
          g_ptr_array_add (values, value);
        }
      use_case->n_params = names->len;
      g_ptr_array_add (names, NULL);
      use_case->param_names = (char **) g_ptr_array_free (names, FALSE);
      use_case->param_values = (GVariant **) g_ptr_array_free (values, FALSE);

      g_ptr_array_add (loader->self->use_cases, use_case);
    }
}

static char *
title_from_key (const char *key)
{
  g_autofree char *spaced = g_strdelimit (g_strdup (key), "_", ' ');
  gboolean start = TRUE;

  for (char *p = spaced; *p; p++)
    {
      *p = start ? g_ascii_toupper (*p) : g_ascii_tolower (*p);
      start = *p == ' ';
    }

  return g_steal_pointer (&spaced);
}

static void
read_profiles (Loader *loader)
{
  CbNode *root = read_file (loader, "ui_meta/preprocessing_profiles.yaml");
  const CbNode *profiles = cb_node_lookup (root, "profiles");
  GPtrArray *keys = g_ptr_array_new ();
  CbProfile *none = g_new0 (CbProfile, 1);

  none->key = g_strdup ("none");
  none->label = g_strdup ("No preprocessing (dataset defaults)");
  none->description = g_strdup ("Use dataset-configured transforms without additional "
                                "document cleanup.");
  none->overrides = g_new0 (char *, 1);
  g_ptr_array_add (loader->self->profiles, none);
  g_ptr_array_add (keys, g_strdup ("none"));

  for (guint i = 0; profiles != NULL && cb_node_get_node_type (profiles) == CB_NODE_MAPPING &&
                    i < cb_node_get_n_children (profiles); i++)
    {
      const char *key = cb_node_get_scalar (cb_node_get_key (profiles, i));
      const CbNode *entry = cb_node_get_child (profiles, i);
      CbProfile *profile;

      if (g_str_equal (key, "none"))
        continue;

      profile = g_new0 (CbProfile, 1);
      profile->key = g_strdup (key);
      profile->label = cb_node_lookup_string (entry, "label")
                         ? g_strdup (cb_node_lookup_string (entry, "label"))
                         : title_from_key (key);
      profile->description = g_strdup (cb_node_lookup_string (entry, "description") ?: "");
      profile->overrides = cb_node_to_strv (cb_node_lookup (entry, "overrides"));
      g_ptr_array_add (loader->self->profiles, profile);
      g_ptr_array_add (keys, g_strdup (key));
    }

  g_ptr_array_add (keys, NULL);
  loader->self->profile_keys = (char **) g_ptr_array_free (keys, FALSE);
}

CbConfigSnapshot *
cb_config_snapshot_reload (const char             *configs_dir,
                           const CbConfigSnapshot *previous,
                           GPtrArray              *problems)
{
  Loader loader;
  g_autoptr(GPtrArray) arch_names = NULL;
  g_autoptr(GPtrArray) optimizer_stems = NULL;
  g_autoptr(GPtrArray) datasets = NULL;

  g_return_val_if_fail (configs_dir != NULL, NULL);

  loader.self = snapshot_new (configs_dir);
  loader.previous = previous;
  loader.problems = problems;

  if (!g_file_test (configs_dir, G_FILE_TEST_IS_DIR))
    {
      if (problems != NULL)
        g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_WARNING, configs_dir, 0, 0,
                                                   "the configs folder is missing: option "
                                                   "lists are empty"));
      read_profiles (&loader);
      return loader.self;
    }

  /* Architectures and their metadata. */
  arch_names = list_stems (&loader, "model/architectures", TRUE);
  if (arch_names == NULL)
    arch_names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < arch_names->len; i++)
    {
      const char *name = g_ptr_array_index (arch_names, i);
      g_autofree char *model = g_strdup_printf ("model/architectures/%s.yaml", name);
      g_autofree char *ui = g_strdup_printf ("ui_meta/architectures/%s.yaml", name);
      CbNode *meta_root;

      read_file (&loader, model);
      meta_root = read_file (&loader, ui);
      if (meta_root != NULL)
        {
          CbNode *meta = metadata_of (meta_root);

          g_hash_table_replace (loader.self->arch_meta, g_strdup (name), cb_node_ref (meta));
          read_use_cases (&loader, name, meta);
        }
    }
  g_ptr_array_add (arch_names, NULL);
  g_hash_table_replace (loader.self->options, g_strdup ("models.architectures"),
                        g_strdupv ((char **) arch_names->pdata));
  g_ptr_array_remove_index (arch_names, arch_names->len - 1);

  /* Optimizer metadata. */
  optimizer_stems = list_stems (&loader, "ui_meta/optimizers", FALSE);
  for (guint i = 0; optimizer_stems != NULL && i < optimizer_stems->len; i++)
    {
      const char *name = g_ptr_array_index (optimizer_stems, i);
      g_autofree char *path = g_strdup_printf ("ui_meta/optimizers/%s.yaml", name);
      CbNode *root = read_file (&loader, path);

      if (root != NULL)
        g_hash_table_replace (loader.self->optimizer_meta, g_strdup (name),
                              cb_node_ref (metadata_of (root)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (source_specs); i++)
    collect_source (&loader, &source_specs[i], arch_names);

  datasets = list_stems (&loader, "data", TRUE);
  g_hash_table_replace (loader.self->options, g_strdup ("datasets"), strv_from_array (datasets));

  read_profiles (&loader);
  g_hash_table_replace (loader.self->options, g_strdup ("preprocessing_profiles"),
                        g_strdupv (loader.self->profile_keys));

  /* The whole tree for composing commands, read here in the worker so that composing on
   * the UI thread never touches the disk. */
  loader.self->composer = cb_composer_new (configs_dir);
  cb_composer_preload (loader.self->composer);

  return loader.self;
}

CbConfigSnapshot *
cb_config_snapshot_load (const char *configs_dir,
                         GPtrArray  *problems)
{
  return cb_config_snapshot_reload (configs_dir, NULL, problems);
}

/* Names read in all: a configs folder that is a symlink to the root of the disk is not
 * walked to its end. */
#define CHECK_MAX_ENTRIES 100000

static void
check_dir (const char *path,
           guint       depth,
           guint      *n_entries,
           GPtrArray  *problems)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL || depth > 16)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (++*n_entries > CHECK_MAX_ENTRIES)
        return;
      if (name[0] == '.')
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        check_dir (child, depth + 1, n_entries, problems);
      else if (g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml"))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(CbNode) node = cb_yaml_load_file (child, &error);

          if (node == NULL)
            g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, NULL, 0, 0, "%s",
                                                       error->message));
        }
    }
}

void
cb_config_check_tree (const char *configs_dir,
                      GPtrArray  *problems)
{
  guint n_entries = 0;

  g_return_if_fail (configs_dir != NULL);
  g_return_if_fail (problems != NULL);

  check_dir (configs_dir, 0, &n_entries, problems);
  if (n_entries > CHECK_MAX_ENTRIES)
    g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_WARNING, configs_dir, 0, 0,
                                               "more than %u files and folders: the rest is "
                                               "not checked", CHECK_MAX_ENTRIES));
}

/* ---- accessors ----------------------------------------------------------------------- */

const char *
cb_config_snapshot_get_dir (const CbConfigSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dir;
}

const char * const *
cb_config_snapshot_get_options (const CbConfigSnapshot *self,
                                const char             *source)
{
  static const char * const empty[] = { NULL };
  const char * const *options;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  options = g_hash_table_lookup (self->options, source);
  return options ? options : empty;
}

CbNode *
cb_config_snapshot_get_architecture_metadata (const CbConfigSnapshot *self,
                                              const char             *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  return name ? g_hash_table_lookup (self->arch_meta, name) : NULL;
}

CbNode *
cb_config_snapshot_get_optimizer_metadata (const CbConfigSnapshot *self,
                                           const char             *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  return name ? g_hash_table_lookup (self->optimizer_meta, name) : NULL;
}

const CbProfile *
cb_config_snapshot_get_profile (const CbConfigSnapshot *self,
                                const char             *key)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; key != NULL && i < self->profiles->len; i++)
    {
      const CbProfile *profile = g_ptr_array_index (self->profiles, i);

      if (g_str_equal (profile->key, key))
        return profile;
    }

  return NULL;
}

const char * const *
cb_config_snapshot_get_profile_keys (const CbConfigSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->profile_keys;
}

guint
cb_config_snapshot_get_n_use_cases (const CbConfigSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->use_cases->len;
}

const CbUseCase *
cb_config_snapshot_get_use_case (const CbConfigSnapshot *self,
                                 guint                   index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->use_cases->len, NULL);

  return g_ptr_array_index (self->use_cases, index);
}

/* The use cases of @architecture; with no (known) architecture, the first use case of
 * every architecture that has one. An architecture without metadata is known too: it has
 * no use cases. Returns borrowed pointers. */
GPtrArray *
cb_config_snapshot_use_cases_for (const CbConfigSnapshot *self,
                                  const char             *architecture)
{
  GPtrArray *result = g_ptr_array_new ();
  gboolean known;

  g_return_val_if_fail (self != NULL, result);

  known = architecture != NULL &&
          (g_hash_table_contains (self->arch_meta, architecture) ||
           g_strv_contains (cb_config_snapshot_get_options (self, "models.architectures"),
                            architecture));
  for (guint i = 0; i < self->use_cases->len; i++)
    {
      const CbUseCase *use_case = g_ptr_array_index (self->use_cases, i);

      if (known)
        {
          if (g_strcmp0 (use_case->architecture, architecture) == 0)
            g_ptr_array_add (result, (gpointer) use_case);
        }
      else
        {
          gboolean seen = FALSE;

          for (guint j = 0; j < result->len; j++)
            seen |= g_strcmp0 (((CbUseCase *) g_ptr_array_index (result, j))->architecture,
                               use_case->architecture) == 0;
          if (!seen)
            g_ptr_array_add (result, (gpointer) use_case);
        }
    }

  return result;
}

guint
cb_config_snapshot_get_n_files_parsed (const CbConfigSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_files_parsed;
}

/**
 * cb_config_snapshot_get_composer:
 *
 * Returns: (transfer none) (nullable): the snapshot's tree, preloaded, for composing
 *   commands (cb_composer_compose()); %NULL when there is no configs folder
 */
CbComposer *
cb_config_snapshot_get_composer (const CbConfigSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->composer;
}
