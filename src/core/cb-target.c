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
 * How a host is reached over ssh, and what ssh says, is in cb-target-ssh.c; a Slurm
 * cluster's own fields in cb-target-slurm.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-target"

#include "config.h"

#include "cb/cb-target.h"
#include "cb-target-private.h"
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
  self->slurm = _cb_target_slurm_options_copy (target->slurm);
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
  _cb_target_slurm_options_free (target->slurm);
  g_free (target);
}

gboolean
cb_target_is_local (const CbTarget *target)
{
  return target == NULL || target->kind == CB_TARGET_LOCAL;
}

gboolean
cb_target_is_slurm (const CbTarget *target)
{
  return target != NULL && target->kind == CB_TARGET_SLURM;
}

/* Whether what the target runs goes through ssh: an SSH host, or a Slurm cluster submitted
 * to on a login host. */
gboolean
cb_target_via_ssh (const CbTarget *target)
{
  return target != NULL && (target->kind == CB_TARGET_SSH ||
                            (target->kind == CB_TARGET_SLURM && target->host != NULL));
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
  if (target->kind == CB_TARGET_SLURM)
    {
      if (target->slurm == NULL || !_cb_target_check_slurm (target, error))
        return FALSE;
      /* Submitted here: the project is where it is on this computer. */
      if (target->host == NULL)
        return TRUE;
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
  if (cb_target_is_slurm (target))
    /* Translators: a Slurm cluster in the target picker: "hpc (Slurm)" */
    return g_strdup_printf (_("%s (Slurm)"), target->name);
  return g_strdup (target->name);
}

/* "user@host:port", as much of it as is set; "" for this computer. */
char *
cb_target_dup_address (const CbTarget *target)
{
  GString *out = g_string_new (NULL);

  if (cb_target_is_local (target) || target->host == NULL)
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

void
_cb_target_add_problem (GPtrArray    *problems,
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

char **
_cb_target_lines_of (const CbNode *node,
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

              _cb_target_add_problem (problems, file, child, message);
              continue;
            }
          g_ptr_array_add (lines, g_strdup (cb_node_get_scalar (child)));
        }
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("“%s” must be a list of lines"), key);

      _cb_target_add_problem (problems, file, node, message);
    }
  g_ptr_array_add (lines, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&lines), FALSE);
}

const char *
_cb_target_scalar_of (const CbNode *item,
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
    "ssh_options", "partition", "time", "gpus", "cpus_per_task", "mem", "account", "qos",
    "array_limit", "sbatch", NULL
  };
  g_autoptr(CbTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;
  const char *port;

  if (cb_node_get_node_type (item) != CB_NODE_MAPPING)
    {
      _cb_target_add_problem (problems, file, item, _("A target must be a mapping with a name and a host"));
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
                                                        "ssh_options; for Slurm also "
                                                        "partition, time, gpus, "
                                                        "cpus_per_task, mem, account, qos, "
                                                        "array_limit, sbatch)"), text);

          _cb_target_add_problem (problems, file, key, message);
        }
    }

  type = _cb_target_scalar_of (item, "type");
  if (type != NULL && !g_str_equal (type, "ssh") && !g_str_equal (type, "slurm"))
    {
      g_autofree char *message = g_strdup_printf (_("Unknown target type “%s” (known: ssh, "
                                                    "slurm)"), type);

      _cb_target_add_problem (problems, file, cb_node_lookup (item, "type"), message);
      return NULL;
    }

  if (type != NULL && g_str_equal (type, "slurm"))
    {
      target = cb_target_new_slurm (_cb_target_scalar_of (item, "name"));
      target->host = g_strdup (_cb_target_scalar_of (item, "host"));
      if (!_cb_target_slurm_from_node (target->slurm, item, file, problems))
        return NULL;
    }
  else
    target = cb_target_new_ssh (_cb_target_scalar_of (item, "name"), _cb_target_scalar_of (item, "host"));
  target->user = g_strdup (_cb_target_scalar_of (item, "user"));
  target->identity_file = g_strdup (_cb_target_scalar_of (item, "identity_file"));
  target->project_dir = g_strdup (_cb_target_scalar_of (item, "project_dir"));
  port = _cb_target_scalar_of (item, "port");
  if (port != NULL)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &value, NULL))
        {
          _cb_target_add_problem (problems, file, cb_node_lookup (item, "port"),
                       _("The port must be a number between 1 and 65535"));
          return NULL;
        }
      target->port = (int) value;
    }
  g_strfreev (target->setup);
  target->setup = _cb_target_lines_of (cb_node_lookup (item, "setup"), file, "setup", problems);
  g_strfreev (target->ssh_options);
  target->ssh_options = _cb_target_lines_of (cb_node_lookup (item, "ssh_options"), file, "ssh_options",
                                  problems);

  if (!cb_target_check (target, &error))
    {
      _cb_target_add_problem (problems, file, item, error->message);
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
      _cb_target_add_problem (problems, filename, root, _("Expected a mapping with a “targets” list"));
      return targets;
    }
  list = cb_node_lookup (root, "targets");
  if (list == NULL || cb_node_is_null (list))
    return targets;
  if (cb_node_get_node_type (list) != CB_NODE_SEQUENCE)
    {
      _cb_target_add_problem (problems, filename, list, _("“targets” must be a list"));
      return targets;
    }

  for (guint i = 0; i < cb_node_get_n_children (list); i++)
    {
      CbNode *item = cb_node_get_child (list, i);
      CbTarget *target;

      if (targets->len > CB_TARGET_MAX)
        {
          _cb_target_add_problem (problems, filename, item, _("Too many targets; the rest are left out"));
          break;
        }
      target = target_from_node (item, filename, problems);
      if (target == NULL)
        continue;
      if (cb_targets_find (targets, target->name) != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("There is already a target named “%s”"),
                                                      target->name);

          _cb_target_add_problem (problems, filename, item, message);
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

void
_cb_target_map_set_text (CbCfg      *map,
              const char *key,
              const char *text)
{
  if (text != NULL)
    cb_cfg_map_set (map, key, cb_cfg_new_scalar (text, TRUE));
}

void
_cb_target_map_set_lines (CbCfg       *map,
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
      _cb_target_map_set_text (map, "name", target->name);
      _cb_target_map_set_text (map, "type", cb_target_is_slurm (target) ? "slurm" : "ssh");
      _cb_target_map_set_text (map, "host", target->host);
      _cb_target_map_set_text (map, "user", target->user);
      if (target->port > 0)
        {
          g_autofree char *port = g_strdup_printf ("%d", target->port);

          cb_cfg_map_set (map, "port", cb_cfg_new_scalar (port, FALSE));
        }
      _cb_target_map_set_text (map, "identity_file", target->identity_file);
      _cb_target_map_set_text (map, "project_dir", target->project_dir);
      _cb_target_map_set_lines (map, "setup", target->setup);
      _cb_target_map_set_lines (map, "ssh_options", target->ssh_options);
      if (target->slurm != NULL)
        _cb_target_slurm_to_map (map, target->slurm);
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
