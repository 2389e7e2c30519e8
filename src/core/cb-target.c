/* cb-target.c: where a command runs: this computer, or a host over SSH
 *
 * A project's targets are kept, shareable through git, in `.command-builder/targets.yaml`:
 *
 *   targets:
 *     - name: gpu1
 *       type: ssh
 *       host: gpu1.example.org
 *       user: me                  # optional
 *       port: 2222                # optional
 *       identity_file: ~/.ssh/id_ed25519
 *       project_dir: /home/me/ocr # the project's folder on the host
 *       setup:                    # run by the host's shell before the command
 *         - . .venv/bin/activate
 *       ssh_options:              # more `ssh -o` values
 *         - ServerAliveCountMax=4
 *
 * "local" (This Computer) is always there and is not written. A file that cannot be read
 * gives problems with its line and column and the targets it could read; nothing is made up.
 *
 * ssh is run as a program, never linked: every call goes with BatchMode (no prompt that no
 * one would see), and through one shared connection per host when there is one
 * (cb_target_start_master(): a background master with its output on /dev/null, so that no
 * call waits for it to go away), so that polling a job costs a round trip, not a login. What the host runs is sent as one base64 word piped
 * into /bin/sh, which arrives byte for byte whatever the user's login shell is (bash, dash and
 * tcsh re-split and expand a command line each in their own way).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-target"

#include "config.h"

#include "cb/cb-target.h"
#include "cb/cb-cfg.h"
#include "cb/cb-file-read.h"
#include "cb/cb-problem.h"
#include "cb/cb-quote.h"
#include "cb/cb-yaml.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (cb-target-error-quark, cb_target_error)

#define TARGETS_FILE "targets.yaml"
#define MAX_NAME     64
#define MAX_LINES    64

CbTarget *
cb_target_new_local (void)
{
  CbTarget *self = g_new0 (CbTarget, 1);

  self->name = g_strdup (CB_TARGET_LOCAL_NAME);
  self->kind = CB_TARGET_LOCAL;
  self->setup = g_new0 (char *, 1);
  self->ssh_options = g_new0 (char *, 1);
  return self;
}

CbTarget *
cb_target_new_ssh (const char *name,
                   const char *host)
{
  CbTarget *self = g_new0 (CbTarget, 1);

  self->name = g_strdup (name);
  self->kind = CB_TARGET_SSH;
  self->host = g_strdup (host);
  self->setup = g_new0 (char *, 1);
  self->ssh_options = g_new0 (char *, 1);
  return self;
}

CbTarget *
cb_target_copy (const CbTarget *target)
{
  CbTarget *self = g_new0 (CbTarget, 1);

  self->name = g_strdup (target->name);
  self->kind = target->kind;
  self->host = g_strdup (target->host);
  self->user = g_strdup (target->user);
  self->port = target->port;
  self->identity_file = g_strdup (target->identity_file);
  self->project_dir = g_strdup (target->project_dir);
  self->setup = g_strdupv (target->setup);
  self->ssh_options = g_strdupv (target->ssh_options);
  return self;
}

void
cb_target_free (CbTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->name);
  g_free (target->host);
  g_free (target->user);
  g_free (target->identity_file);
  g_free (target->project_dir);
  g_strfreev (target->setup);
  g_strfreev (target->ssh_options);
  g_free (target);
}

gboolean
cb_target_is_local (const CbTarget *target)
{
  return target == NULL || target->kind == CB_TARGET_LOCAL;
}

static gboolean
name_is_valid (const char *name)
{
  gsize length = name != NULL ? strlen (name) : 0;

  if (length == 0 || length > MAX_NAME || name[0] == '-' || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

/* A word ssh would read as an option, or one with a control character, cannot be a host,
 * user or path of ours. */
static gboolean
word_is_safe (const char *word)
{
  if (word == NULL || *word == '\0' || word[0] == '-' || !g_utf8_validate (word, -1, NULL))
    return FALSE;
  for (const char *p = word; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/**
 * cb_target_check:
 *
 * Whether @target can be used: a name of letters, digits, `.`, `_` and `-`; for SSH a host,
 * a port in range and the project's folder on the host, none of them taken for an option.
 */
gboolean
cb_target_check (const CbTarget  *target,
                 GError         **error)
{
  if (!name_is_valid (target->name))
    {
      g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                   _("“%s” cannot be a target’s name: use letters, digits, “.”, “_” and “-”, "
                     "at most 64"), target->name != NULL ? target->name : "");
      return FALSE;
    }
  if (target->kind == CB_TARGET_LOCAL)
    return TRUE;
  if (g_str_equal (target->name, CB_TARGET_LOCAL_NAME))
    {
      g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                   _("“%s” is the name of this computer; give the host another name"),
                   target->name);
      return FALSE;
    }
  if (!word_is_safe (target->host) || strchr (target->host, ' ') != NULL)
    {
      g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                   _("Target “%s” needs a host name"), target->name);
      return FALSE;
    }
  if (target->user != NULL && (!word_is_safe (target->user) || strchr (target->user, '@') != NULL))
    {
      g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                   _("Target “%s”: “%s” cannot be a user name"), target->name, target->user);
      return FALSE;
    }
  if (target->port < 0 || target->port > 65535)
    {
      g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                   _("Target “%s”: the port must be between 1 and 65535"), target->name);
      return FALSE;
    }
  if (target->identity_file != NULL && !word_is_safe (target->identity_file))
    {
      g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                   _("Target “%s”: “%s” cannot be an identity file"), target->name,
                   target->identity_file);
      return FALSE;
    }
  if (!word_is_safe (target->project_dir))
    {
      g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                   _("Target “%s” needs the project’s folder on %s"), target->name,
                   target->host);
      return FALSE;
    }
  for (guint i = 0; target->ssh_options != NULL && target->ssh_options[i] != NULL; i++)
    if (!word_is_safe (target->ssh_options[i]))
      {
        g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                     _("Target “%s”: “%s” cannot be an ssh option"), target->name,
                     target->ssh_options[i]);
        return FALSE;
      }
  return TRUE;
}

/* What the target picker shows: "This Computer" or the target's name. */
char *
cb_target_dup_title (const CbTarget *target)
{
  if (cb_target_is_local (target))
    return g_strdup (_("This Computer"));
  return g_strdup (target->name);
}

/* "user@host:port", as much of it as is set; "" for this computer. */
char *
cb_target_dup_address (const CbTarget *target)
{
  GString *out = g_string_new (NULL);

  if (cb_target_is_local (target))
    return g_string_free (out, FALSE);
  if (target->user != NULL)
    g_string_append_printf (out, "%s@", target->user);
  g_string_append (out, target->host);
  if (target->port > 0)
    g_string_append_printf (out, ":%d", target->port);
  return g_string_free (out, FALSE);
}

/* ---- targets.yaml ------------------------------------------------------------------- */

char *
cb_targets_path_for_project (const char *project_root)
{
  return g_build_filename (project_root, ".command-builder", TARGETS_FILE, NULL);
}

static void
add_problem (GPtrArray    *problems,
             const char   *file,
             const CbNode *node,
             const char   *message)
{
  if (problems == NULL)
    return;
  g_ptr_array_add (problems,
                   cb_problem_new (CB_PROBLEM_ERROR, file, node ? cb_node_get_line (node) : 0,
                                   node ? cb_node_get_column (node) : 0, "%s", message));
}

static char **
lines_of (const CbNode *node,
          const char   *file,
          const char   *key,
          GPtrArray    *problems)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  if (node == NULL || cb_node_is_null (node))
    return g_new0 (char *, 1);
  if (cb_node_get_node_type (node) == CB_NODE_SCALAR)
    g_ptr_array_add (lines, g_strdup (cb_node_get_scalar (node)));
  else if (cb_node_get_node_type (node) == CB_NODE_SEQUENCE)
    {
      for (guint i = 0; i < cb_node_get_n_children (node) && i < MAX_LINES; i++)
        {
          CbNode *child = cb_node_get_child (node, i);

          if (cb_node_get_node_type (child) != CB_NODE_SCALAR)
            {
              g_autofree char *message = g_strdup_printf (_("“%s” must be a list of lines"), key);

              add_problem (problems, file, child, message);
              continue;
            }
          g_ptr_array_add (lines, g_strdup (cb_node_get_scalar (child)));
        }
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("“%s” must be a list of lines"), key);

      add_problem (problems, file, node, message);
    }
  g_ptr_array_add (lines, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&lines), FALSE);
}

static const char *
scalar_of (const CbNode *item,
           const char   *key)
{
  CbNode *node = cb_node_lookup (item, key);

  if (node == NULL || cb_node_get_node_type (node) != CB_NODE_SCALAR || cb_node_is_null (node))
    return NULL;
  return cb_node_get_scalar (node);
}

static CbTarget *
target_from_node (const CbNode *item,
                  const char   *file,
                  GPtrArray    *problems)
{
  static const char * const known[] = {
    "name", "type", "host", "user", "port", "identity_file", "project_dir", "setup",
    "ssh_options", NULL
  };
  g_autoptr(CbTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;
  const char *port;

  if (cb_node_get_node_type (item) != CB_NODE_MAPPING)
    {
      add_problem (problems, file, item, _("A target must be a mapping with a name and a host"));
      return NULL;
    }
  for (guint i = 0; i < cb_node_get_n_children (item); i++)
    {
      CbNode *key = cb_node_get_key (item, i);
      const char *text = cb_node_get_node_type (key) == CB_NODE_SCALAR ? cb_node_get_scalar (key) : "";

      if (!g_strv_contains (known, text))
        {
          g_autofree char *message = g_strdup_printf (_("Unknown key “%s” in a target (known: "
                                                        "name, type, host, user, port, "
                                                        "identity_file, project_dir, setup, "
                                                        "ssh_options)"), text);

          add_problem (problems, file, key, message);
        }
    }

  type = scalar_of (item, "type");
  if (type != NULL && !g_str_equal (type, "ssh"))
    {
      g_autofree char *message = g_strdup_printf (_("Unknown target type “%s” (known: ssh)"), type);

      add_problem (problems, file, cb_node_lookup (item, "type"), message);
      return NULL;
    }

  target = cb_target_new_ssh (scalar_of (item, "name"), scalar_of (item, "host"));
  target->user = g_strdup (scalar_of (item, "user"));
  target->identity_file = g_strdup (scalar_of (item, "identity_file"));
  target->project_dir = g_strdup (scalar_of (item, "project_dir"));
  port = scalar_of (item, "port");
  if (port != NULL)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &value, NULL))
        {
          add_problem (problems, file, cb_node_lookup (item, "port"),
                       _("The port must be a number between 1 and 65535"));
          return NULL;
        }
      target->port = (int) value;
    }
  g_strfreev (target->setup);
  target->setup = lines_of (cb_node_lookup (item, "setup"), file, "setup", problems);
  g_strfreev (target->ssh_options);
  target->ssh_options = lines_of (cb_node_lookup (item, "ssh_options"), file, "ssh_options",
                                  problems);

  if (!cb_target_check (target, &error))
    {
      add_problem (problems, file, item, error->message);
      return NULL;
    }
  return g_steal_pointer (&target);
}

/**
 * cb_targets_parse:
 * @problems: (nullable): where what is wrong goes, with its line and column
 *
 * Returns: (transfer container) (element-type CbTarget): "local" first, then the targets of
 *   @data that are whole, each name once
 */
GPtrArray *
cb_targets_parse (const char *data,
                  gsize       length,
                  const char *filename,
                  GPtrArray  *problems)
{
  GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_target_free);
  g_autoptr(CbNode) root = NULL;
  g_autoptr(GError) error = NULL;
  CbNode *list;

  g_ptr_array_add (targets, cb_target_new_local ());

  root = cb_yaml_load_data (data, length, filename, &error);
  if (root == NULL)
    {
      if (problems != NULL)
        g_ptr_array_add (problems, cb_problem_new_located (CB_PROBLEM_ERROR, filename,
                                                           error->message));
      return targets;
    }
  if (cb_node_is_null (root))
    return targets;
  if (cb_node_get_node_type (root) != CB_NODE_MAPPING)
    {
      add_problem (problems, filename, root, _("Expected a mapping with a “targets” list"));
      return targets;
    }
  list = cb_node_lookup (root, "targets");
  if (list == NULL || cb_node_is_null (list))
    return targets;
  if (cb_node_get_node_type (list) != CB_NODE_SEQUENCE)
    {
      add_problem (problems, filename, list, _("“targets” must be a list"));
      return targets;
    }

  for (guint i = 0; i < cb_node_get_n_children (list); i++)
    {
      CbNode *item = cb_node_get_child (list, i);
      CbTarget *target;

      if (targets->len > CB_TARGET_MAX)
        {
          add_problem (problems, filename, item, _("Too many targets; the rest are left out"));
          break;
        }
      target = target_from_node (item, filename, problems);
      if (target == NULL)
        continue;
      if (cb_targets_find (targets, target->name) != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("There is already a target named “%s”"),
                                                      target->name);

          add_problem (problems, filename, item, message);
          cb_target_free (target);
          continue;
        }
      g_ptr_array_add (targets, target);
    }

  return targets;
}

/**
 * cb_targets_load:
 *
 * Reads @project_root's targets.yaml; a missing file is no targets but "local".
 */
GPtrArray *
cb_targets_load (const char *project_root,
                 GPtrArray  *problems)
{
  g_autofree char *path = cb_targets_path_for_project (project_root);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  if (!cb_file_read_regular (path, CB_FILE_KIND_SETTINGS, &data, &length, &error))
    {
      GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_target_free);

      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) && problems != NULL)
        g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_ERROR, path, 0, 0, "%s",
                                                   error->message));
      g_ptr_array_add (targets, cb_target_new_local ());
      return targets;
    }
  return cb_targets_parse (data, length, path, problems);
}

static void
map_set_text (CbCfg      *map,
              const char *key,
              const char *text)
{
  if (text != NULL)
    cb_cfg_map_set (map, key, cb_cfg_new_scalar (text, TRUE));
}

static void
map_set_lines (CbCfg       *map,
               const char  *key,
               char       **lines)
{
  CbCfg *list;

  if (lines == NULL || lines[0] == NULL)
    return;
  list = cb_cfg_new_list ();
  for (guint i = 0; lines[i] != NULL; i++)
    cb_cfg_list_append (list, cb_cfg_new_scalar (lines[i], TRUE));
  cb_cfg_map_set (map, key, list);
}

char *
cb_targets_to_yaml (GPtrArray *targets)
{
  g_autoptr(GString) out = g_string_new ("# Where Command Builder runs commands, besides this "
                                         "computer. Shared with the project.\n");
  CbCfg *root = cb_cfg_new_map ();
  CbCfg *list = cb_cfg_new_list ();
  g_autofree char *yaml = NULL;

  for (guint i = 0; i < targets->len; i++)
    {
      const CbTarget *target = g_ptr_array_index (targets, i);
      CbCfg *map;

      if (cb_target_is_local (target))
        continue;
      map = cb_cfg_new_map ();
      map_set_text (map, "name", target->name);
      map_set_text (map, "type", "ssh");
      map_set_text (map, "host", target->host);
      map_set_text (map, "user", target->user);
      if (target->port > 0)
        {
          g_autofree char *port = g_strdup_printf ("%d", target->port);

          cb_cfg_map_set (map, "port", cb_cfg_new_scalar (port, FALSE));
        }
      map_set_text (map, "identity_file", target->identity_file);
      map_set_text (map, "project_dir", target->project_dir);
      map_set_lines (map, "setup", target->setup);
      map_set_lines (map, "ssh_options", target->ssh_options);
      cb_cfg_list_append (list, map);
    }
  cb_cfg_map_set (root, "targets", list);
  yaml = cb_cfg_to_yaml (root);
  cb_cfg_free (root);
  g_string_append (out, yaml);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * cb_targets_save:
 *
 * Writes every target of @targets but "local" to @project_root's targets.yaml, atomically.
 */
gboolean
cb_targets_save (const char  *project_root,
                 GPtrArray   *targets,
                 GError     **error)
{
  g_autofree char *path = cb_targets_path_for_project (project_root);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;

  for (guint i = 0; i < targets->len; i++)
    if (!cb_target_check (g_ptr_array_index (targets, i), error))
      return FALSE;
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  text = cb_targets_to_yaml (targets);
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

CbTarget *
cb_targets_find (GPtrArray  *targets,
                 const char *name)
{
  if (name == NULL || *name == '\0')
    name = CB_TARGET_LOCAL_NAME;
  for (guint i = 0; targets != NULL && i < targets->len; i++)
    {
      CbTarget *target = g_ptr_array_index (targets, i);

      if (g_str_equal (target->name, name))
        return target;
    }
  return NULL;
}

/* ---- ssh ---------------------------------------------------------------------------- */

/* One shared connection per user, host, port and key, in the runtime folder. Our own name,
 * not ssh's %C, so that the app can see whether the master is there. A socket path is
 * limited to 108 bytes. */
static char *
control_path (const CbTarget *target)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "command-builder", NULL);
  g_autofree char *options = target->ssh_options ? g_strjoinv ("\n", target->ssh_options) : NULL;
  /* Two targets share a connection only when everything that picks the machine is equal. */
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%d\n%s\n%s", target->user ? target->user : "",
                                          target->host, target->port,
                                          target->identity_file ? target->identity_file : "",
                                          options ? options : "");
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *name = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 || strlen (dir) > 80)
    return NULL;
  digest[16] = '\0';
  name = g_strconcat ("ssh-", digest, NULL);
  return g_build_filename (dir, name, NULL);
}

static char **
base_argv (const CbTarget *target,
           const char     *control,
           const char     *master)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, g_strdup ("ssh"));
  for (guint i = 0; target->ssh_options != NULL && target->ssh_options[i] != NULL; i++)
    {
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup (target->ssh_options[i]));
    }
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("BatchMode=yes"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("ServerAliveInterval=15"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("ConnectTimeout=15"));
  if (control != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup_printf ("ControlMaster=%s", master));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup_printf ("ControlPath=%s", control));
    }
  if (target->port > 0)
    {
      g_ptr_array_add (argv, g_strdup ("-p"));
      g_ptr_array_add (argv, g_strdup_printf ("%d", target->port));
    }
  if (target->user != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-l"));
      g_ptr_array_add (argv, g_strdup (target->user));
    }
  if (target->identity_file != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-i"));
      if (g_str_has_prefix (target->identity_file, "~/"))
        g_ptr_array_add (argv, g_build_filename (g_get_home_dir (), target->identity_file + 2,
                                                 NULL));
      else
        g_ptr_array_add (argv, g_strdup (target->identity_file));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup ("IdentitiesOnly=yes"));
    }
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

static char **
append_words (char        **argv,
              const char   *first,
              ...)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  va_list args;
  char **result;

  g_strv_builder_addv (builder, (const char **) argv);
  g_strfreev (argv);
  va_start (args, first);
  for (const char *word = first; word != NULL; word = va_arg (args, const char *))
    g_strv_builder_add (builder, word);
  va_end (args);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/**
 * cb_target_start_master:
 *
 * Starts, in the background, the connection that later calls to @target share (it lasts a
 * minute past the last use), unless it is there. Its output goes nowhere: a failure to
 * connect is said by the call that follows, which then connects on its own.
 */
void
cb_target_start_master (const CbTarget *target)
{
  static GMutex lock;
  static GHashTable *checked;  /* control path → when this process last made or checked it */
  g_autofree char *control = control_path (target);
  g_auto(GStrv) argv = NULL;

  if (control == NULL)
    return;

  /* One master per connection, however many workers ask at once. */
  g_mutex_lock (&lock);
  if (checked == NULL)
    checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  {
    gint64 *since = g_hash_table_lookup (checked, control);
    gint64 now = g_get_monotonic_time ();

    /* Made or checked here: there, or on its way (a login takes a while). */
    if (since != NULL && (g_file_test (control, G_FILE_TEST_EXISTS) ||
                          now - *since < 20 * G_USEC_PER_SEC))
      {
        g_mutex_unlock (&lock);
        return;
      }
    g_hash_table_insert (checked, g_strdup (control), g_memdup2 (&now, sizeof now));
  }
  g_mutex_unlock (&lock);

  /* A socket left by a master that died answers nothing: it goes, and a new master comes. */
  if (g_file_test (control, G_FILE_TEST_EXISTS))
    {
      g_auto(GStrv) check = append_words (base_argv (target, control, "no"), "-O", "check", "--",
                                          target->host, NULL);
      int wait_status = 0;

      if (g_spawn_sync (NULL, check, NULL,
                        G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL |
                        G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &wait_status, NULL) &&
          g_spawn_check_wait_status (wait_status, NULL))
        return;
      g_unlink (control);
    }
  argv = base_argv (target, control, "yes");
  argv = append_words (argv, "-o", "ControlPersist=60", "-f", "-N", "--", target->host, NULL);
  g_spawn_async (NULL, argv, NULL,
                 G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL |
                 G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, NULL, NULL);
}

/**
 * cb_target_ssh_argv:
 * @tty: whether the host gives the command a terminal (`-tt`)
 * @remote_command: what the host's shell runs (see cb_target_remote_script())
 *
 * Returns: (transfer full): the ssh command line for @target. The user's own options come
 *   first: for ssh the first value given wins.
 */
char **
cb_target_ssh_argv (const CbTarget *target,
                    gboolean        tty,
                    const char     *remote_command)
{
  g_autofree char *control = control_path (target);
  char **argv = base_argv (target, control, "no");

  argv = append_words (argv, tty ? "-tt" : "-T", "--", target->host, NULL);
  if (remote_command != NULL)
    argv = append_words (argv, remote_command, NULL);
  return argv;
}

/**
 * cb_target_remote_script:
 * @script: a POSIX shell script
 *
 * Returns: the one word that has the host's /bin/sh run @script, whatever the login shell:
 *   the script as base64, decoded on the host. The script is read whole before it runs
 *   (a brace group), with its standard input from /dev/null.
 */
char *
cb_target_remote_script (const char *script)
{
  g_autofree char *wrapped = g_strconcat ("{\n", script, "\n} </dev/null\n", NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) wrapped, strlen (wrapped));

  return g_strdup_printf ("echo %s | base64 -d | /bin/sh", encoded);
}

static const char *
find_any (const char         *text,
          const char * const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (text, needles[i]) != NULL)
      return needles[i];
  return NULL;
}

/* The last line of what ssh said that is not empty, without its "\r". */
static char *
last_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (int i = (int) g_strv_length (lines) - 1; i >= 0; i--)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0')
        return g_strdup (lines[i]);
    }
  return g_strdup ("");
}

/**
 * cb_target_error_from_ssh:
 * @exit_status: ssh's exit status
 * @stderr_text: what ssh printed on its standard error
 *
 * Exit status 255 is ssh's own failure, or a remote command that died of a signal: told
 * apart by what ssh said. Returns %FALSE with @error set for a failure of ssh's own, %TRUE
 * otherwise (the status is the remote command's).
 */
gboolean
cb_target_error_from_ssh (const CbTarget  *target,
                          int              exit_status,
                          const char      *stderr_text,
                          GError         **error)
{
  static const char * const auth[] = {
    "Permission denied", "Too many authentication failures", "no mutual signature",
    "Authentication failed", NULL
  };
  static const char * const host_key[] = {
    "Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED",
    "host key is known", "No matching host key", NULL
  };
  static const char * const unreachable[] = {
    "Connection refused", "No route to host", "Could not resolve hostname",
    "Name or service not known", "Temporary failure in name resolution",
    "Network is unreachable", "Connection timed out", "Operation timed out",
    "connect to host", NULL
  };
  static const char * const lost[] = {
    "closed by remote host", "Connection reset", "Broken pipe", "Timeout, server",
    "not responding", "Connection closed by", "client_loop: send disconnect", NULL
  };
  g_autofree char *address = cb_target_dup_address (target);
  g_autofree char *said = last_line (stderr_text);
  const char *text = stderr_text != NULL ? stderr_text : "";

  if (exit_status != 255)
    return TRUE;

  if (find_any (text, host_key) != NULL)
    g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_HOST_KEY,
                 _("The key of %s is not known here, or it changed (%s). Connect once with "
                   "ssh in a terminal to check it and accept it."), address, said);
  else if (find_any (text, auth) != NULL)
    g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_AUTH,
                 _("%s refused the login (%s). Check the user and the identity file, and that "
                   "the key is in the host’s authorized_keys."), address, said);
  else if (find_any (text, unreachable) != NULL)
    g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_UNREACHABLE,
                 _("Could not reach %s (%s). Check the host name, the port and the network."),
                 address, said);
  else if (find_any (text, lost) != NULL)
    g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_CONNECTION,
                 _("The connection to %s was lost (%s)."), address, said);
  else if (said[0] != '\0')
    g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_FAILED,
                 _("ssh to %s failed: %s"), address, said);
  else
    /* Nothing said: the remote command was killed by a signal. */
    return TRUE;

  return FALSE;
}

/* "$HOME"/'rest' for ~/rest, so that the host's home is used; the word quoted otherwise. */
static char *
quote_dir (const char *dir)
{
  g_autofree char *rest = NULL;

  if (g_str_equal (dir, "~"))
    return g_strdup ("\"$HOME\"");
  if (!g_str_has_prefix (dir, "~/"))
    return cb_shell_quote_word (dir);
  rest = cb_shell_quote_word (dir + 2);
  return g_strconcat ("\"$HOME\"/", rest, NULL);
}

/**
 * cb_target_dup_command:
 * @display: (nullable): the command as shown for this computer
 *
 * Returns: the command as @target runs it, for the preview: @display (or @argv quoted) here;
 *   for a host, `ssh [-p P] [-i KEY] [USER@]HOST -t 'cd DIR && SETUP && exec COMMAND'`,
 *   which a user can paste into a terminal to run the same by hand.
 */
char *
cb_target_dup_command (const CbTarget     *target,
                       const char * const *argv,
                       const char         *display)
{
  g_autoptr(GString) remote = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new ("ssh");
  g_autofree char *dir = NULL;
  g_autofree char *command = NULL;
  g_autofree char *remote_q = NULL;
  g_autofree char *host = NULL;

  if (cb_target_is_local (target))
    return display != NULL ? g_strdup (display) : cb_shell_join (argv);

  dir = quote_dir (target->project_dir);
  g_string_append_printf (remote, "cd %s", dir);
  for (guint i = 0; target->setup != NULL && target->setup[i] != NULL; i++)
    g_string_append_printf (remote, " && %s", target->setup[i]);
  command = cb_shell_join (argv);
  g_string_append_printf (remote, " && exec %s", command);

  if (target->port > 0)
    g_string_append_printf (out, " -p %d", target->port);
  if (target->identity_file != NULL)
    {
      /* ~/ stays unquoted, for the shell the line is pasted into to expand. */
      gboolean home = g_str_has_prefix (target->identity_file, "~/");
      g_autofree char *identity = cb_shell_quote_word (target->identity_file + (home ? 2 : 0));

      g_string_append_printf (out, " -i %s%s", home ? "~/" : "", identity);
    }
  host = target->user != NULL ? g_strdup_printf ("%s@%s", target->user, target->host)
                              : g_strdup (target->host);
  remote_q = cb_shell_quote_word (remote->str);
  g_string_append_printf (out, " -t %s %s", host, remote_q);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
