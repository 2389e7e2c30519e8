/* cb-compose.c: a project's Hydra config composed natively, as Hydra 1.3 composes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hydra builds a tree from the primary config's defaults list, walks it depth first (each
 * config's children in reverse, so that `override group: option` entries are seen before
 * the entries they change; the last one in depth-first order wins, the command line wins
 * over all), and merges the configs of the leaves into one tree in depth-first order, each
 * at its package. Then it applies the command's key=value overrides in struct mode. This
 * file does the same on the parsed YAML files, in memory:
 *
 *  - defaults lists: `_self_` (appended when absent), config paths (`a/b`, `/a/b`), group
 *    defaults (`group: option`, `/group: option`, `group@pkg: option`, `optional group:`,
 *    `override group: option`, `null`, `???`, a list of options), duplicates refused;
 *  - packages: the `# @package` header (absolute: `_global_`, `_group_`, a dotted path), an
 *    explicit `@pkg` (relative to the parent's package), else the group path relative to
 *    the parent's package; everything up to the last `_global_` is dropped;
 *  - command line: `group=option`, `+group=option`, `~group[=option]`, `key=value` (the key
 *    must exist), `+key=value` (must not), `++key=value`, `~key[=value]`, lists and dicts.
 *
 * Parsed files are cached for the composer's life (a composer belongs to one snapshot of the
 * configs); the cache is locked, so compositions may run in worker threads.
 */

#define G_LOG_DOMAIN "cb-compose"

#include "config.h"

#include "cb/cb-compose.h"
#include "cb/cb-file-read.h"
#include "cb/cb-override.h"
#include "cb/cb-yaml.h"

#include <string.h>

#define MAX_DEFAULTS_DEPTH 64

G_DEFINE_QUARK (cb-compose-error-quark, cb_compose_error)

typedef struct
{
  CbNode       *root;
  char         *header;    /* the # @package value, or NULL */
  CbCfg        *content;   /* the config without its defaults list */
  const CbNode *defaults;  /* borrowed from root */
  char         *file;      /* for messages: "configs/model/default.yaml" */
  GError       *error;     /* why it could not be read */
} Loaded;

struct _CbComposer
{
  gatomicrefcount  ref_count;
  char            *dir;
  char            *dir_name;
  GMutex           lock;
  GHashTable      *loaded;  /* relative path without .yaml -> Loaded (NULL: no such file) */
  GHashTable      *groups;  /* sealed: group path -> GPtrArray of option names, sorted */
  gboolean         sealed;  /* preloaded: never touches the disk again */
};

#define PRELOAD_MAX_FILES 10000
#define PRELOAD_MAX_DEPTH 16

/* One entry of a defaults list (Hydra's InputDefault). */
typedef struct
{
  gboolean    is_group;
  gboolean    is_self;
  char       *path;             /* config default: as written */
  char       *group;            /* group default: as written */
  char       *name;             /* group default: the option; NULL for null */
  GPtrArray  *options;          /* group default: a list of options, or NULL */
  char       *package;          /* @pkg as written ("" for _here_), or NULL */
  gboolean    optional;
  gboolean    override;
  gboolean    external_append;
  gboolean    primary;
  char       *parent_base_dir;
  char       *parent_package;
  char       *header;           /* absolute: "_global_" or "_global_.x" */
  const char *in_file;          /* where the entry is written, for messages */
  guint       line;
  guint       culprit;          /* 1 + the command-line override that chose it, or 0 */
} Element;

typedef struct
{
  char    *config_path;
  char    *package;
  char    *override_key;  /* group defaults */
  char    *choice;        /* "group=option" of the group default this config is */
  Loaded  *loaded;
  gboolean is_self;
} Result;

typedef struct
{
  char    *value;         /* the option (NULL: null) */
  GPtrArray *values;      /* a list of options */
  gboolean used;
  gboolean external;
  char    *where;         /* a defaults-list override: the file that holds it */
  char    *text;          /* as written, for messages */
  guint    culprit;       /* 1 + its index on the command line, or 0 */
} Choice;

typedef struct
{
  CbComposer *composer;
  GHashTable *choices;     /* override key -> Choice */
  GHashTable *deletions;   /* key -> Choice (value: the option to delete, or NULL) */
  GPtrArray  *appends;     /* Element, external +group=option */
  GPtrArray  *config_overrides;  /* CbOverride (borrowed) */
  GHashTable *known;       /* override key -> chosen name */
  GPtrArray  *parsed;      /* CbOverride, the command line in order */
  guint       culprit;     /* 1 + the override at fault, or 0 */
  guint       depth;
} Ctx;

/* ---- files --------------------------------------------------------------------------- */

static int
compare_names (gconstpointer a,
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
static Loaded *
get_loaded (CbComposer *self,
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

static gboolean
is_config (CbComposer *self,
           const char *rel)
{
  return get_loaded (self, rel) != NULL;
}

/* ---- elements ------------------------------------------------------------------------ */

static void
element_free (Element *e)
{
  if (e == NULL)
    return;
  g_free (e->path);
  g_free (e->group);
  g_free (e->name);
  g_clear_pointer (&e->options, g_ptr_array_unref);
  g_free (e->package);
  g_free (e->parent_base_dir);
  g_free (e->parent_package);
  g_free (e->header);
  g_free (e);
}

static void
result_free (Result *r)
{
  g_free (r->choice);
  g_free (r->config_path);
  g_free (r->package);
  g_free (r->override_key);
  g_free (r);
}

static void
choice_free (Choice *c)
{
  g_free (c->value);
  g_clear_pointer (&c->values, g_ptr_array_unref);
  g_free (c->where);
  g_free (c->text);
  g_free (c);
}

static const char *
strip_slash (const char *s)
{
  return *s == '/' ? s + 1 : s;
}

static char *
join_path (const char *a,
           const char *b)
{
  if (*a == '\0')
    return g_strdup (b);
  if (*b == '\0')
    return g_strdup (a);
  return g_strconcat (a, "/", b, NULL);
}

static char *
dir_of (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash ? g_strndup (path, slash - path) : g_strdup ("");
}

static char *
group_path (const Element *e)
{
  if (e->is_group)
    {
      if (e->group[0] == '/' || e->external_append)
        return g_strdup (strip_slash (e->group));
      return join_path (e->parent_base_dir, e->group);
    }
  {
    g_autofree char *dir = dir_of (strip_slash (e->path));

    if (e->path[0] == '/')
      return g_steal_pointer (&dir);
    return join_path (e->parent_base_dir, dir);
  }
}

static char *
config_path (const Element *e)
{
  if (e->is_group)
    {
      g_autofree char *group = group_path (e);

      return join_path (group, e->name ? e->name : "");
    }
  if (e->path[0] == '/')
    return g_strdup (e->path + 1);
  return join_path (e->parent_base_dir, e->path);
}

static char *
relative_group_path (const Element *e)
{
  if (e->is_group)
    return g_strdup (strip_slash (e->group));
  return dir_of (strip_slash (e->path));
}

static char *
dots (const char *path)
{
  return g_strdelimit (g_strdup (path), "/", '.');
}

static char *
final_package (const Element *e,
               gboolean       use_header)
{
  const char *parent = e->external_append ? "" : (e->parent_package ? e->parent_package : "");
  g_autofree char *package = NULL;
  g_autofree char *joined = NULL;
  const char *global;

  if (e->package != NULL)
    package = g_strdup (e->package);
  else if (use_header && e->header != NULL)
    package = g_strdup (e->header);
  else
    {
      g_autofree char *rel = relative_group_path (e);

      package = dots (rel);
    }

  if (*parent == '\0')
    joined = g_strdup (package);
  else if (*package == '\0')
    joined = g_strdup (parent);
  else
    joined = g_strconcat (parent, ".", package, NULL);

  global = g_strrstr (joined, "_global_");
  if (global == NULL)
    return g_steal_pointer (&joined);
  global += strlen ("_global_");
  return g_strdup (*global == '.' ? global + 1 : global);
}

static char *
override_key (const Element *e)
{
  g_autofree char *group = group_path (e);
  g_autofree char *default_package = dots (group);
  g_autofree char *package = final_package (e, FALSE);

  /* As Hydra's get_override_key: an empty final package is written _global_. */
  if (g_strcmp0 (default_package, package) != 0)
    return g_strconcat (group, "@", *package ? package : "_global_", NULL);
  return g_steal_pointer (&group);
}

static void
set_header (Element *e,
            Loaded  *loaded)
{
  const char *header;

  g_clear_pointer (&e->header, g_free);
  if (loaded == NULL || loaded->header == NULL)
    return;
  header = loaded->header;
  if (g_str_equal (header, "_group_"))
    {
      g_autofree char *group = group_path (e);
      g_autofree char *d = dots (group);

      e->header = *d ? g_strconcat ("_global_.", d, NULL) : g_strdup ("_global_");
    }
  else if (g_str_equal (header, "_global_") || g_str_has_prefix (header, "_global_."))
    e->header = g_strdup (header);
  else if (*header == '\0')
    e->header = g_strdup ("_global_");
  else
    e->header = g_strconcat ("_global_.", header, NULL);
}

/* ---- errors -------------------------------------------------------------------------- */

static char *
where_of (const Element *e)
{
  if (e->in_file == NULL)
    return g_strdup ("on the command line");
  if (e->line > 0)
    return g_strdup_printf ("in %s:%u", e->in_file, e->line);
  return g_strdup_printf ("in %s", e->in_file);
}

static char *
options_text (CbComposer *self,
              const char *group)
{
  g_auto(GStrv) options = cb_composer_list_options (self, group);

  if (options[0] == NULL)
    return g_strdup ("none");
  return g_strjoinv (", ", options);
}

/* ---- defaults lists ------------------------------------------------------------------ */

static gboolean
parse_entry (const Loaded  *loaded,
             const CbNode  *node,
             Element      **out,
             GError       **error)
{
  Element *e = g_new0 (Element, 1);

  e->in_file = loaded->file;
  e->line = cb_node_get_line (node);

  if (cb_node_get_node_type (node) == CB_NODE_SCALAR && !cb_node_is_null (node))
    {
      const char *text = cb_node_get_scalar (node);
      const char *at = strchr (text, '@');

      if (g_str_equal (text, "_self_"))
        e->is_self = TRUE;
      e->path = at ? g_strndup (text, at - text) : g_strdup (text);
      if (at != NULL)
        e->package = g_strdup (g_str_equal (at + 1, "_here_") ? "" : at + 1);
      *out = e;
      return TRUE;
    }

  if (cb_node_get_node_type (node) == CB_NODE_MAPPING && cb_node_get_n_children (node) == 1)
    {
      g_autofree char *key = g_strdup (cb_node_get_scalar (cb_node_get_key (node, 0)));
      const CbNode *value = cb_node_get_child (node, 0);
      char *k = key;
      char *at;

      for (;;)
        {
          if (g_str_has_prefix (k, "override "))
            {
              e->override = TRUE;
              k += strlen ("override ");
            }
          else if (g_str_has_prefix (k, "optional "))
            {
              e->optional = TRUE;
              k += strlen ("optional ");
            }
          else
            break;
          while (*k == ' ')
            k++;
        }
      at = strchr (k, '@');
      if (at != NULL)
        {
          *at = '\0';
          e->package = g_strdup (g_str_equal (at + 1, "_here_") ? "" : at + 1);
        }
      e->is_group = TRUE;
      e->group = g_strdup (k);
      if (*e->group == '\0')
        {
          element_free (e);
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                       "%s:%u: a defaults list entry names no group", loaded->file,
                       cb_node_get_line (node));
          return FALSE;
        }
      if (cb_node_is_null (value))
        e->name = NULL;
      else if (cb_node_get_node_type (value) == CB_NODE_SEQUENCE)
        {
          e->options = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < cb_node_get_n_children (value); i++)
            g_ptr_array_add (e->options,
                             g_strdup (cb_node_get_scalar (cb_node_get_child (value, i))
                                         ? cb_node_get_scalar (cb_node_get_child (value, i))
                                         : ""));
        }
      else if (cb_node_get_node_type (value) == CB_NODE_SCALAR)
        e->name = g_strdup (cb_node_get_scalar (value));
      else
        {
          element_free (e);
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                       "%s:%u: the option of '%s' must be a name, a list of names or null",
                       loaded->file, cb_node_get_line (value), key);
          return FALSE;
        }
      *out = e;
      return TRUE;
    }

  element_free (e);
  g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
               "%s:%u: a defaults list entry must be a config path or 'group: option'",
               loaded->file, cb_node_get_line (node));
  return FALSE;
}

static GPtrArray *
read_defaults (const Loaded *loaded,
               GError      **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) element_free);

  if (loaded->defaults == NULL || cb_node_is_null (loaded->defaults))
    return g_steal_pointer (&entries);
  if (cb_node_get_node_type (loaded->defaults) != CB_NODE_SEQUENCE)
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                   "%s:%u: the defaults list must be a list", loaded->file,
                   cb_node_get_line (loaded->defaults));
      return NULL;
    }
  for (guint i = 0; i < cb_node_get_n_children (loaded->defaults); i++)
    {
      Element *e = NULL;

      if (!parse_entry (loaded, cb_node_get_child (loaded->defaults, i), &e, error))
        return NULL;
      g_ptr_array_add (entries, e);
    }
  return g_steal_pointer (&entries);
}

static gboolean
set_known_choice (Ctx      *ctx,
                  Element  *e,
                  GError  **error)
{
  g_autofree char *key = NULL;
  const char *prev;

  if (!e->is_group)
    return TRUE;
  key = override_key (e);
  if (!g_hash_table_lookup_extended (ctx->known, key, NULL, (gpointer *) &prev))
    {
      g_hash_table_insert (ctx->known, g_strdup (key), g_strdup (e->name));
      return TRUE;
    }
  if (g_strcmp0 (prev, e->name) != 0)
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                   "Multiple values for %s. To override a value use 'override %s: %s'",
                   key, key, prev ? prev : "null");
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_deleted (Ctx     *ctx,
            Element *e)
{
  g_autofree char *key = e->is_group ? override_key (e) : config_path (e);
  Choice *deletion = g_hash_table_lookup (ctx->deletions, key);

  if (deletion == NULL)
    return FALSE;
  if (e->is_group && deletion->value != NULL && g_strcmp0 (deletion->value, e->name) != 0)
    return FALSE;
  deletion->used = TRUE;
  return TRUE;
}

static void
add_result (GPtrArray     *results,
            const Element *e,
            Loaded        *loaded,
            gboolean       is_self)
{
  Result *r = g_new0 (Result, 1);

  r->config_path = config_path (e);
  r->package = final_package (e, TRUE);
  r->override_key = e->is_group && !is_self ? override_key (e) : NULL;
  if (e->is_group)
    {
      g_autofree char *key = override_key (e);

      r->choice = g_strdup_printf ("%s=%s", key, e->name);
    }
  r->loaded = loaded;
  r->is_self = is_self;
  g_ptr_array_add (results, r);
}

static gboolean expand (Ctx *ctx, Element *e, gboolean is_root, GPtrArray *results,
                        GError **error);

/* An `override group: option` entry: met in reverse order, so the first registered (the
 * last in depth-first order) wins; the command line's choices are there before any. */
static void
register_override (Ctx          *ctx,
                   const Element *d,
                   const Loaded  *loaded)
{
  g_autofree char *key = override_key (d);
  Choice *c;

  if (g_hash_table_contains (ctx->choices, key))
    return;
  c = g_new0 (Choice, 1);
  c->value = g_strdup (d->name);
  c->values = d->options ? g_ptr_array_ref (d->options) : NULL;
  c->where = g_strdup_printf ("%s:%u", loaded->file, d->line);
  c->text = g_strdup_printf ("%s: %s", d->group, d->name ? d->name : "null");
  g_hash_table_insert (ctx->choices, g_steal_pointer (&key), c);
}

static gboolean
expand (Ctx        *ctx,
        Element    *e,
        gboolean    is_root,
        GPtrArray  *results,
        GError    **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) parts = NULL;   /* GPtrArray of Result, one per child, reversed */
  Loaded *loaded = NULL;
  gboolean has_self = FALSE;
  gboolean has_non_override = FALSE;
  gboolean seen_override = FALSE;

  if (++ctx->depth > MAX_DEFAULTS_DEPTH)
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                   "The defaults lists nest more than %d deep (a config includes itself?)",
                   MAX_DEFAULTS_DEPTH);
      return FALSE;
    }

  path = config_path (e);
  if (e->name != NULL || !e->is_group)
    loaded = get_loaded (ctx->composer, path);
  set_header (e, loaded);

  if (is_deleted (ctx, e))
    goto done;
  if (!set_known_choice (ctx, e, error))
    return FALSE;
  if (e->is_group && e->name == NULL)
    goto done;
  if (ctx->culprit == 0)
    ctx->culprit = e->culprit;
  if (e->is_group && g_str_equal (e->name, "???"))
    {
      g_autofree char *group = group_path (e);
      g_autofree char *options = options_text (ctx->composer, group);

      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                   "You must choose an option of '%s', e.g. %s=<OPTION> (options: %s)",
                   group, group, options);
      return FALSE;
    }

  if (loaded == NULL)
    {
      g_autofree char *where = where_of (e);

      if (e->optional)
        goto done;
      if (is_root)
        g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                     "Cannot find the primary config '%s' in %s", path, ctx->composer->dir);
      else if (e->is_group)
        {
          g_autofree char *group = group_path (e);
          g_autofree char *options = options_text (ctx->composer, group);

          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                       "'%s' has no option '%s' (options: %s); it is chosen %s", group, e->name,
                       options, where);
        }
      else
        g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                     "a defaults list names '%s', which does not exist (%s)", path, where);
      return FALSE;
    }
  if (loaded->error != NULL)
    {
      ctx->culprit = 0;
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_FILE, "%s", loaded->error->message);
      return FALSE;
    }

  entries = read_defaults (loaded, error);
  if (entries == NULL)
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      Element *d = g_ptr_array_index (entries, i);

      if (!d->override)
        has_non_override = TRUE;
      if (d->is_self)
        {
          if (has_self)
            {
              g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                           "%s: _self_ is in the defaults list twice", loaded->file);
              return FALSE;
            }
          has_self = TRUE;
        }
    }
  if ((entries->len > 0 || (is_root && ctx->appends->len > 0)) && !has_self &&
      (has_non_override || entries->len == 0))
    {
      Element *self_entry = g_new0 (Element, 1);

      self_entry->is_self = TRUE;
      self_entry->path = g_strdup ("_self_");
      g_ptr_array_add (entries, self_entry);
    }
  if (is_root)
    for (guint i = 0; i < ctx->appends->len; i++)
      {
        Element *a = g_ptr_array_index (ctx->appends, i);
        Element *copy = g_new0 (Element, 1);

        *copy = *a;
        copy->group = g_strdup (a->group);
        copy->name = g_strdup (a->name);
        copy->package = g_strdup (a->package);
        copy->options = a->options ? g_ptr_array_ref (a->options) : NULL;
        copy->culprit = a->culprit;
        copy->path = NULL;
        copy->parent_base_dir = NULL;
        copy->parent_package = NULL;
        copy->header = NULL;
        g_ptr_array_add (entries, copy);
      }

  /* Overrides come last in a defaults list. */
  for (guint i = 0; i < entries->len; i++)
    {
      Element *d = g_ptr_array_index (entries, i);

      if (d->is_self)
        continue;
      if (seen_override && !(d->override || d->external_append))
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                       "%s:%u: an override must come after the other entries of the defaults "
                       "list", loaded->file, d->line);
          return FALSE;
        }
      if (d->override)
        seen_override = TRUE;
    }

  /* No children (no defaults list, or only overrides in it): the config is a leaf. */
  {
    gboolean any_child = FALSE;

    for (guint i = 0; i < entries->len && !any_child; i++)
      any_child = !((Element *) g_ptr_array_index (entries, i))->override;
    if (!any_child)
      {
        /* The overrides still count. */
        for (guint i = 0; i < entries->len; i++)
          {
            Element *d = g_ptr_array_index (entries, i);

            g_free (d->parent_base_dir);
            d->parent_base_dir = group_path (e);
            g_free (d->parent_package);
            d->parent_package = final_package (e, TRUE);
            register_override (ctx, d, loaded);
          }
        add_result (results, e, loaded, FALSE);
        goto done;
      }
  }

  parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint n = entries->len; n > 0; n--)
    {
      Element *d = g_ptr_array_index (entries, n - 1);
      GPtrArray *part = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);

      g_ptr_array_add (parts, part);
      if (d->is_self)
        {
          add_result (part, e, loaded, TRUE);
          continue;
        }

      g_free (d->parent_base_dir);
      d->parent_base_dir = group_path (e);
      g_free (d->parent_package);
      d->parent_package = final_package (e, TRUE);

      if (d->override)
        {
          register_override (ctx, d, loaded);
          continue;
        }

      if (d->is_group)
        {
          g_autofree char *key = override_key (d);
          Choice *c = g_hash_table_lookup (ctx->choices, key);

          if (c != NULL)
            {
              /* Messages about the option name where it was chosen. */
              if (c->external)
                {
                  d->in_file = NULL;
                  d->culprit = c->culprit;
                }
              g_free (d->name);
              d->name = g_strdup (c->value);
              g_clear_pointer (&d->options, g_ptr_array_unref);
              d->options = c->values ? g_ptr_array_ref (c->values) : NULL;
              c->used = TRUE;
            }
        }

      if (d->is_group && d->options != NULL)
        {
          for (guint k = d->options->len; k > 0; k--)
            {
              Element *item = g_new0 (Element, 1);
              gboolean ok;

              item->path = d->external_append
                             ? g_strconcat ("/", strip_slash (d->group), "/",
                                            (char *) g_ptr_array_index (d->options, k - 1), NULL)
                             : g_strconcat (d->group, "/",
                                            (char *) g_ptr_array_index (d->options, k - 1), NULL);
              item->package = g_strdup (d->package);
              item->optional = d->optional;
              item->in_file = d->in_file;
              item->line = d->line;
              item->culprit = d->culprit;
              item->parent_base_dir = g_strdup (d->external_append ? "" : d->parent_base_dir);
              item->parent_package = g_strdup (d->external_append ? "" : d->parent_package);
              /* One part per option, still in reverse: prepend by inserting before. */
              {
                GPtrArray *sub = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);

                ok = expand (ctx, item, FALSE, sub, error);
                element_free (item);
                if (!ok)
                  {
                    g_ptr_array_unref (sub);
                    return FALSE;
                  }
                /* In front of the options after it: the loop runs backwards. */
                for (guint s = 0; s < sub->len; s++)
                  g_ptr_array_insert (part, s, g_ptr_array_index (sub, s));
                g_ptr_array_set_free_func (sub, NULL);
                g_ptr_array_unref (sub);
              }
            }
          continue;
        }

      if (!expand (ctx, d, FALSE, part, error))
        return FALSE;
    }

  for (guint n = parts->len; n > 0; n--)
    {
      GPtrArray *part = g_ptr_array_index (parts, n - 1);

      for (guint i = 0; i < part->len; i++)
        g_ptr_array_add (results, g_ptr_array_index (part, i));
      g_ptr_array_set_free_func (part, NULL);
      g_ptr_array_set_size (part, 0);
    }

done:
  if (ctx->culprit == e->culprit)
    ctx->culprit = 0;
  ctx->depth--;
  return TRUE;
}

/* ---- the command line ---------------------------------------------------------------- */

static const char *
value_type_name (const CbCfg *value)
{
  switch (value->kind)
    {
    case CB_CFG_NULL:
      return "null";
    case CB_CFG_MAP:
      return "a dict";
    case CB_CFG_LIST:
      return "a list";
    case CB_CFG_SCALAR:
    default:
      return value->quoted ? "a string" : "a number or boolean";
    }
}

/* The options of Hydra 1.3's own config groups (hydra/conf in its package). */
static const char * const *
hydra_group_options (const char *group)
{
  static const char * const job_logging[] = { "default", "disabled", "none", "stdout", NULL };
  static const char * const hydra_logging[] = { "default", "disabled", "hydra_debug", "none",
                                                NULL };
  static const char * const basic[] = { "basic", NULL };
  static const char * const plain[] = { "default", NULL };

  if (g_str_equal (group, "hydra/job_logging"))
    return job_logging;
  if (g_str_equal (group, "hydra/hydra_logging"))
    return hydra_logging;
  if (g_str_equal (group, "hydra/launcher") || g_str_equal (group, "hydra/sweeper"))
    return basic;
  if (g_str_equal (group, "hydra/output") || g_str_equal (group, "hydra/help") ||
      g_str_equal (group, "hydra/hydra_help") || g_str_equal (group, "hydra/env"))
    return plain;
  return NULL;
}

static gboolean
check_hydra_group (const CbOverride  *o,
                   GError           **error)
{
  const char * const *options = hydra_group_options (o->key);
  GPtrArray *names = o->value->kind == CB_CFG_LIST ? o->value->items : NULL;
  guint n = names ? names->len : 1;

  for (guint i = 0; i < n; i++)
    {
      const CbCfg *item = names ? g_ptr_array_index (names, i) : o->value;
      const char *name = item->kind == CB_CFG_SCALAR ? item->text : "";

      if (options == NULL || !g_strv_contains (options, name))
        {
          g_autofree char *known = options ? g_strjoinv (", ", (char **) options) : NULL;

          if (options == NULL)
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                         "'%s' is not one of Hydra's config groups", o->key);
          else
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                         "'%s' has no option '%s' (options: %s); it is chosen on the command "
                         "line", o->key, name, known);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
classify_overrides (Ctx              *ctx,
                    GPtrArray        *parsed,
                    GError          **error)
{
  for (guint i = 0; i < parsed->len; i++)
    {
      CbOverride *o = g_ptr_array_index (parsed, i);
      gboolean group = cb_composer_is_group (ctx->composer, o->key);
      gboolean config = !group && is_config (ctx->composer, o->key);
      g_autofree char *key = o->package ? g_strconcat (o->key, "@", o->package, NULL)
                                        : g_strdup (o->key);

      ctx->culprit = i + 1;

      /* Hydra's own groups (hydra/launcher, hydra/job_logging, …) live in Hydra's package,
       * not in the project: they only shape the hydra node, which the task never sees. */
      if (g_str_has_prefix (o->key, "hydra/") && !group && o->value != NULL &&
          (o->value->kind == CB_CFG_SCALAR || o->value->kind == CB_CFG_LIST))
        {
          if (!check_hydra_group (o, error))
            return FALSE;
          continue;
        }

      if (o->kind == CB_OVERRIDE_DELETE && (group || config))
        {
          Choice *c = g_new0 (Choice, 1);

          if (o->value != NULL && (o->value->kind != CB_CFG_SCALAR || !group))
            {
              choice_free (c);
              g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE,
                           "'%s': a config group deletion takes at most an option name",
                           o->text);
              return FALSE;
            }
          c->value = o->value ? g_strdup (o->value->text) : NULL;
          c->text = g_strdup (o->text);
          c->culprit = i + 1;
          g_hash_table_replace (ctx->deletions, g_steal_pointer (&key), c);
        }
      else if ((o->value != NULL && o->value->kind == CB_CFG_MAP) || !group)
        g_ptr_array_add (ctx->config_overrides, o);
      else if (o->kind == CB_OVERRIDE_FORCE_ADD)
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE,
                       "'%s': ++ does not apply to config groups (use %s or +%s)", o->text,
                       o->text + 2, o->text + 1);
          return FALSE;
        }
      else if (o->value == NULL ||
               !(o->value->kind == CB_CFG_SCALAR || o->value->kind == CB_CFG_LIST))
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE,
                       "'%s': the option of a config group must be a name or a list of names, "
                       "not %s", o->text, o->value ? value_type_name (o->value) : "nothing");
          return FALSE;
        }
      else
        {
          Choice *c = g_new0 (Choice, 1);

          if (o->value->kind == CB_CFG_LIST)
            {
              c->values = g_ptr_array_new_with_free_func (g_free);
              for (guint k = 0; k < o->value->items->len; k++)
                {
                  CbCfg *item = g_ptr_array_index (o->value->items, k);

                  g_ptr_array_add (c->values, g_strdup (item->text ? item->text : "null"));
                }
            }
          else
            c->value = g_strdup (o->value->text);
          c->external = TRUE;
          c->text = g_strdup (o->text);
          c->culprit = i + 1;

          if (o->kind == CB_OVERRIDE_ADD)
            {
              Element *e = g_new0 (Element, 1);

              e->is_group = TRUE;
              e->external_append = TRUE;
              e->group = g_strdup (o->key);
              e->name = g_strdup (c->value);
              e->options = c->values ? g_ptr_array_ref (c->values) : NULL;
              e->package = g_strdup (o->package);
              e->culprit = i + 1;
              g_ptr_array_add (ctx->appends, e);
              choice_free (c);
            }
          else
            g_hash_table_replace (ctx->choices, g_steal_pointer (&key), c);
        }
    }
  ctx->culprit = 0;
  return TRUE;
}

static gboolean
check_used (Ctx     *ctx,
            GError **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, ctx->choices);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Choice *c = value;

      if (c->used)
        continue;
      ctx->culprit = c->culprit;
      if (!c->external)
        g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                     "%s: 'override %s' has no earlier entry for '%s' to override", c->where,
                     c->text, (char *) key);
      else
        {
          g_autofree char *group = g_strdup (key);
          g_autoptr(GString) similar = g_string_new (NULL);
          GHashTableIter known;
          gpointer known_key;
          char *at = strchr (group, '@');

          if (at != NULL)
            *at = '\0';
          g_hash_table_iter_init (&known, ctx->known);
          while (g_hash_table_iter_next (&known, &known_key, NULL))
            {
              g_autofree char *known_group = g_strdup (known_key);
              char *known_at = strchr (known_group, '@');

              if (known_at != NULL)
                *known_at = '\0';
              if (g_str_equal (known_group, group))
                g_string_append_printf (similar, "%s%s", similar->len ? ", " : "",
                                        (char *) known_key);
            }
          if (similar->len > 0)
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                         "Could not override '%s': did you mean to override %s? To add it, "
                         "use +%s", (char *) key, similar->str, c->text);
          else
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                         "Could not override '%s': no entry in the defaults list chooses it. "
                         "To add it, use +%s", (char *) key, c->text);
        }
      return FALSE;
    }

  g_hash_table_iter_init (&iter, ctx->deletions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Choice *c = value;

      if (!c->used)
        {
          ctx->culprit = c->culprit;
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                       "Could not delete '%s%s%s': no match in the defaults list",
                       (char *) key, c->value ? "=" : "", c->value ? c->value : "");
          return FALSE;
        }
    }
  return TRUE;
}

/* The parent of @key's last part (made with maps where @create), and that part. */
static CbCfg *
parent_of (CbCfg       *root,
           const char  *key,
           gboolean     create,
           char       **last,
           char       **missing)
{
  g_auto(GStrv) parts = g_strsplit (key, ".", -1);
  guint n = g_strv_length (parts);
  CbCfg *node = root;
  g_autoptr(GString) walked = g_string_new (NULL);

  for (guint i = 0; i + 1 < n; i++)
    {
      CbCfg *child = cb_cfg_lookup (node, parts[i]);

      if (walked->len)
        g_string_append_c (walked, '.');
      g_string_append (walked, parts[i]);
      if (child == NULL || (child->kind != CB_CFG_MAP && child->kind != CB_CFG_LIST))
        {
          if (!create || node->kind != CB_CFG_MAP)
            {
              *missing = g_strdup (walked->str);
              return NULL;
            }
          child = cb_cfg_new_map ();
          cb_cfg_map_set (node, parts[i], child);
        }
      node = child;
    }
  *last = g_strdup (parts[n - 1]);
  return node;
}

static void
set_child (CbCfg       *parent,
           const char  *last,
           CbCfg       *value)
{
  if (parent->kind == CB_CFG_MAP)
    {
      CbCfg *existing = cb_cfg_lookup (parent, last);

      if (existing != NULL && existing->kind == CB_CFG_MAP && value->kind == CB_CFG_MAP)
        {
          cb_cfg_merge (existing, value);
          cb_cfg_free (value);
        }
      else
        cb_cfg_map_set (parent, last, value);
      return;
    }
  /* A list item by index (checked to exist by the caller). */
  {
    guint64 n = 0;

    g_ascii_string_to_unsigned (last, 10, 0, G_MAXUINT, &n, NULL);
    cb_cfg_free (g_ptr_array_index (parent->items, n));
    g_ptr_array_index (parent->items, n) = value;
  }
}

static void
mark_origin (CbCfg *cfg,
             guint  position)
{
  cb_cfg_set_origin (cfg, "command line", position, 0);
  if (cfg->kind == CB_CFG_MAP || cfg->kind == CB_CFG_LIST)
    for (guint i = 0; i < cfg->items->len; i++)
      mark_origin (g_ptr_array_index (cfg->items, i), position);
}

/* OmegaConf's grammar for ${…}, as far as a merge checks it: every ${ closed, not empty, a
 * key path or resolver name without blanks before its ':'. \${ is an escaped dollar. */
static gboolean
valid_interpolations (const char *text,
                      guint       depth)
{
  const char *p = text;

  if (depth > 8)
    return FALSE;
  while ((p = strstr (p, "${")) != NULL)
    {
      const char *q;
      guint open = 1;
      g_autofree char *inner = NULL;
      const char *colon;
      gsize head;

      if (p > text && p[-1] == '\\')
        {
          p += 2;
          continue;
        }
      for (q = p + 2; *q != '\0' && open > 0; q++)
        {
          if (q[0] == '$' && q[1] == '{')
            {
              open++;
              q++;
            }
          else if (*q == '}')
            open--;
        }
      if (open > 0)
        return FALSE;
      inner = g_strndup (p + 2, q - p - 3);
      colon = strchr (inner, ':');
      head = colon ? (gsize) (colon - inner) : strlen (inner);
      if (head == 0 && colon == NULL)
        return FALSE;
      for (gsize i = 0; i < head; i++)
        if (g_ascii_isspace (inner[i]))
          return FALSE;
      if (!valid_interpolations (inner, depth + 1))
        return FALSE;
      p = q;
    }
  return TRUE;
}

static gboolean
value_interpolations_ok (const CbCfg *value)
{
  if (value->kind == CB_CFG_SCALAR)
    return valid_interpolations (value->text, 0);
  if (value->kind == CB_CFG_MAP || value->kind == CB_CFG_LIST)
    for (guint i = 0; i < value->items->len; i++)
      if (!value_interpolations_ok (g_ptr_array_index (value->items, i)))
        return FALSE;
  return TRUE;
}

/* Python's == on two numbers: 10 == 10.0. */
static gboolean
numbers_equal (const CbCfg *a,
               const CbCfg *b)
{
  char *end_a = NULL;
  char *end_b = NULL;
  double x, y;

  if (a->kind != CB_CFG_SCALAR || b->kind != CB_CFG_SCALAR || a->quoted || b->quoted)
    return FALSE;
  x = g_ascii_strtod (a->text, &end_a);
  y = g_ascii_strtod (b->text, &end_b);
  return end_a != a->text && *end_a == '\0' && end_b != b->text && *end_b == '\0' && x == y;
}

/* Struct mode for a dict merged by a plain override: every key it names must exist. */
static const char *
missing_key (const CbCfg *existing,
             const CbCfg *value)
{
  if (existing == NULL || existing->kind != CB_CFG_MAP || value->kind != CB_CFG_MAP)
    return NULL;
  for (guint i = 0; i < value->keys->len; i++)
    {
      const char *key = g_ptr_array_index (value->keys, i);
      const CbCfg *child = cb_cfg_lookup (existing, key);
      const char *deeper;

      if (child == NULL)
        return key;
      if ((deeper = missing_key (child, g_ptr_array_index (value->items, i))) != NULL)
        return deeper;
    }
  return NULL;
}

static gboolean
apply_config_override (CbCfg       *root,
                       CbOverride  *o,
                       guint        position,
                       GError     **error)
{
  g_autofree char *last = NULL;
  g_autofree char *missing = NULL;
  CbCfg *parent;
  CbCfg *existing;

  if (o->package != NULL)
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE,
                   "'%s' looks like a config group override, but there is no config group "
                   "'%s'", o->text, o->key);
      return FALSE;
    }

  if (o->value != NULL && !value_interpolations_ok (o->value))
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE,
                   "Could not merge '%s': a ${…} in it is not a valid interpolation (write "
                   "${key.path} or ${resolver:args}, or \\${ for a plain $)", o->text);
      return FALSE;
    }
  if (strchr (o->key, '/') != NULL)
    {
      g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_MISSING,
                   "'%s' is not a config group (there is no folder %s in the configs)",
                   o->key, o->key);
      return FALSE;
    }

  parent = parent_of (root, o->key, o->kind == CB_OVERRIDE_ADD || o->kind == CB_OVERRIDE_FORCE_ADD,
                      &last, &missing);
  existing = parent != NULL ? cb_cfg_lookup (parent, last) : NULL;

  switch (o->kind)
    {
    case CB_OVERRIDE_DELETE:
      /* OmegaConf.select gives None for a null value: Hydra says it does not exist. */
      if (existing == NULL || existing->kind == CB_CFG_NULL)
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                       "Could not delete '%s': there is no such key in the config", o->key);
          return FALSE;
        }
      if (o->value != NULL && !cb_cfg_equal (existing, o->value) &&
          !numbers_equal (existing, o->value))
        {
          g_autofree char *shown = cb_cfg_scalar_display (existing);

          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                       "Could not delete '%s': its value is %s, not the one given", o->key,
                       shown);
          return FALSE;
        }
      if (parent->kind == CB_CFG_MAP)
        cb_cfg_map_remove (parent, last);
      else
        {
          guint64 n = 0;

          g_ascii_string_to_unsigned (last, 10, 0, G_MAXUINT, &n, NULL);
          g_ptr_array_remove_index (parent->items, n);
        }
      return TRUE;

    case CB_OVERRIDE_ADD:
      if (existing != NULL && existing->kind != CB_CFG_NULL &&
          o->value->kind != CB_CFG_MAP && o->value->kind != CB_CFG_LIST)
        {
          g_autofree char *by = g_strcmp0 (existing->file, "command line") == 0
                                  ? g_strdup ("by the command line")
                                  : g_strdup_printf ("by %s:%u", existing->file, existing->line);

          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                       "Could not add '%s': it is already set (%s). Use %s to change it, or "
                       "+%s to add or change it", o->key, by, o->text + 1, o->text);
          return FALSE;
        }
      G_GNUC_FALLTHROUGH;
    case CB_OVERRIDE_FORCE_ADD:
      if (parent == NULL || (parent->kind == CB_CFG_LIST && existing == NULL))
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                       "Could not add '%s': '%s' is not a mapping", o->key,
                       missing ? missing : o->key);
          return FALSE;
        }
      break;

    case CB_OVERRIDE_CHANGE:
    default:
      if (existing == NULL)
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                       "Could not override '%s': no such key in the config (add it with +%s)",
                       o->key, o->text);
          return FALSE;
        }
      {
        const char *missing_child = missing_key (existing, o->value);

        if (missing_child != NULL)
          {
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_KEY,
                         "Could not override '%s': its key '%s' is not in the config (merge "
                         "it in with ++%s)", o->key, missing_child, o->text);
            return FALSE;
          }
      }
      break;
    }

  {
    CbCfg *value = cb_cfg_copy (o->value);

    mark_origin (value, position);
    set_child (parent, last, value);
  }
  return TRUE;
}

/* ---- warnings ------------------------------------------------------------------------ */

static void
collect_leaves (const CbCfg *cfg,
                const char  *prefix,
                GPtrArray   *out)
{
  if (cfg->kind != CB_CFG_MAP || cfg->keys->len == 0)
    {
      g_ptr_array_add (out, g_strdup (prefix));
      return;
    }
  for (guint i = 0; i < cfg->keys->len; i++)
    {
      g_autofree char *path = *prefix ? g_strconcat (prefix, ".", (char *) g_ptr_array_index (cfg->keys, i), NULL)
                                      : g_strdup (g_ptr_array_index (cfg->keys, i));

      collect_leaves (g_ptr_array_index (cfg->items, i), path, out);
    }
}

/* A group the command chose whose own values are all set again later in the defaults list:
 * the choice has no effect there (Hydra composes it, and then overwrites it). */
static void
warn_shadowed (Ctx           *ctx,
               GPtrArray     *results,
               const CbCfg   *config,
               CbComposition *composition)
{
  for (guint i = 0; i < results->len; i++)
    {
      Result *r = g_ptr_array_index (results, i);
      Choice *c = r->override_key ? g_hash_table_lookup (ctx->choices, r->override_key) : NULL;
      g_autoptr(GPtrArray) leaves = NULL;
      guint n_shadowed = 0;
      const char *example = NULL;
      const char *by = NULL;
      guint by_line = 0;

      if (c == NULL || !c->external || r->loaded == NULL || r->loaded->content == NULL)
        continue;

      leaves = g_ptr_array_new_with_free_func (g_free);
      collect_leaves (r->loaded->content, r->package, leaves);
      for (guint k = 0; k < leaves->len; k++)
        {
          const char *leaf = g_ptr_array_index (leaves, k);
          const CbCfg *now = *leaf ? cb_cfg_lookup_path (config, leaf) : NULL;

          if (now != NULL && now->file != NULL && g_strcmp0 (now->file, r->loaded->file) != 0 &&
              g_strcmp0 (now->file, "command line") != 0)
            {
              n_shadowed++;
              if (example == NULL)
                {
                  example = leaf;
                  by = now->file;
                  by_line = now->line;
                }
            }
        }
      if (n_shadowed > 0)
        g_ptr_array_add (composition->warnings,
                         g_strdup_printf ("%s: '%s' (and %u more of what it sets) is set again "
                                          "later by %s:%u, so this choice does not reach it",
                                          c->text, example, n_shadowed - 1, by, by_line));
    }
}

/* ---- public -------------------------------------------------------------------------- */

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
             guint      *n_files)
{
  g_autofree char *path = *rel ? g_build_filename (self->dir, rel, NULL) : g_strdup (self->dir);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  GPtrArray *options = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_hash_table_replace (self->groups, g_strdup (rel), options);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *child_rel = *rel ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);

      if (name[0] == '.')
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (depth < PRELOAD_MAX_DEPTH)
            preload_dir (self, child_rel, depth + 1, n_files);
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
  g_ptr_array_sort (options, compare_names);
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
  g_ptr_array_sort (names, compare_names);
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

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->loaded);
  preload_dir (self, "", 0, &n_files);
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
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * cb_composer_compose:
 * @primary: the primary config ("train", the runner's config_name)
 * @overrides: (nullable): the command's overrides, as Hydra receives them
 *
 * Returns: (transfer full): the job config and what went into it, or %NULL with @error set
 *   to what Hydra would say (with the file and line at fault where one is)
 */
CbComposition *
cb_composer_compose (CbComposer          *self,
                     const char          *primary,
                     const char * const  *overrides,
                     GError             **error)
{
  return cb_composer_compose_full (self, primary, overrides, NULL, error);
}

/**
 * cb_composer_compose_full:
 * @culprit: (out) (optional): the index in @overrides of the override Hydra would refuse
 *   (or that chose what is refused), or -1 when the fault is in the configs
 *
 * As cb_composer_compose(), saying which override is at fault.
 */
CbComposition *
cb_composer_compose_full (CbComposer          *self,
                          const char          *primary,
                          const char * const  *overrides,
                          int                 *culprit,
                          GError             **error)
{
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_override_free);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);
  g_autoptr(CbComposition) composition = NULL;
  Element root = { 0 };
  Ctx ctx = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (primary != NULL, NULL);

  for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
    {
      g_autoptr(GError) parse_error = NULL;
      CbOverride *o = cb_override_parse (overrides[i], &parse_error);

      if (o == NULL)
        {
          g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_OVERRIDE, "%s: %s",
                       overrides[i], parse_error->message);
          if (culprit != NULL)
            *culprit = (int) i;
          return NULL;
        }
      g_ptr_array_add (parsed, o);
    }

  ctx.composer = self;
  ctx.choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) choice_free);
  ctx.deletions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) choice_free);
  ctx.appends = g_ptr_array_new_with_free_func ((GDestroyNotify) element_free);
  ctx.config_overrides = g_ptr_array_new ();
  ctx.known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  root.path = g_strdup (primary);
  root.primary = TRUE;
  root.parent_base_dir = g_strdup ("");
  root.parent_package = g_strdup ("");

  if (!classify_overrides (&ctx, parsed, error))
    goto out;
  if (!expand (&ctx, &root, TRUE, results, error))
    goto out;
  if (!check_used (&ctx, error))
    goto out;

  /* Every group once. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < results->len; i++)
      {
        Result *r = g_ptr_array_index (results, i);

        if (r->override_key != NULL && !g_hash_table_add (seen, r->override_key))
          {
            g_set_error (error, CB_COMPOSE_ERROR, CB_COMPOSE_ERROR_DEFAULTS,
                         "%s appears more than once in the final defaults list",
                         r->override_key);
            goto out;
          }
      }
  }

  composition = g_new0 (CbComposition, 1);
  composition->config = cb_cfg_new_map ();
  composition->choices = g_ptr_array_new_with_free_func (g_free);
  composition->defaults = g_ptr_array_new_with_free_func (g_free);
  composition->warnings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < results->len; i++)
    {
      Result *r = g_ptr_array_index (results, i);
      CbCfg *at;

      if (r->choice != NULL)
        g_ptr_array_add (composition->choices, g_strdup (r->choice));
      if (r->loaded == NULL || r->loaded->content == NULL)
        continue;
      g_ptr_array_add (composition->defaults,
                       g_strdup_printf ("%s (%s)", r->config_path,
                                        *r->package ? r->package : "_global_"));
      at = cb_cfg_ensure_map_at (composition->config, r->package);
      cb_cfg_merge (at, r->loaded->content);
    }

  warn_shadowed (&ctx, results, composition->config, composition);

  for (guint i = 0; i < ctx.config_overrides->len; i++)
    {
      CbOverride *o = g_ptr_array_index (ctx.config_overrides, i);
      guint position = 0;

      g_ptr_array_find (parsed, o, &position);
      if (!apply_config_override (composition->config, o, position + 1, error))
        {
          ctx.culprit = position + 1;
          goto out;
        }
    }

  /* The task gets the job config; Hydra keeps its own node apart (`--cfg job`). */
  {
    CbCfg *hydra = cb_cfg_lookup (composition->config, "hydra");

    if (hydra != NULL)
      {
        composition->hydra = cb_cfg_copy (hydra);
        cb_cfg_map_remove (composition->config, "hydra");
      }
  }

  ok = TRUE;

out:
  g_clear_pointer (&ctx.choices, g_hash_table_unref);
  g_clear_pointer (&ctx.deletions, g_hash_table_unref);
  g_clear_pointer (&ctx.appends, g_ptr_array_unref);
  g_clear_pointer (&ctx.config_overrides, g_ptr_array_unref);
  g_clear_pointer (&ctx.known, g_hash_table_unref);
  if (culprit != NULL)
    *culprit = ok ? -1 : (int) ctx.culprit - 1;
  g_free (root.path);
  g_free (root.parent_base_dir);
  g_free (root.parent_package);
  g_free (root.header);
  return ok ? g_steal_pointer (&composition) : NULL;
}

void
cb_composition_free (CbComposition *composition)
{
  if (composition == NULL)
    return;
  g_clear_pointer (&composition->config, cb_cfg_free);
  g_clear_pointer (&composition->hydra, cb_cfg_free);
  g_clear_pointer (&composition->choices, g_ptr_array_unref);
  g_clear_pointer (&composition->defaults, g_ptr_array_unref);
  g_clear_pointer (&composition->warnings, g_ptr_array_unref);
  g_free (composition);
}
