/* cb-target-slurm.c: a Slurm cluster as a target: its fields, checked, read and written
 *
 *   - name: hpc
 *     type: slurm
 *     host: login.hpc.example.org   # optional: sbatch runs there, over ssh
 *     partition: gpu
 *     time: "04:00:00"
 *     gpus: 1
 *     cpus_per_task: 8
 *     mem: 32G
 *     account: lab
 *     qos: normal
 *     array_limit: 4                # a sweep's tasks at once
 *     sbatch: [--constraint=a100]   # more #SBATCH options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-target"

#include "config.h"

#include "cb-target-private.h"

#include <glib/gi18n.h>
#include <string.h>

CbTarget *
cb_target_new_slurm (const char *name)
{
  CbTarget *self = g_new0 (CbTarget, 1);

  self->name = g_strdup (name);
  self->kind = CB_TARGET_SLURM;
  self->setup = g_new0 (char *, 1);
  self->ssh_options = g_new0 (char *, 1);
  self->slurm = g_new0 (CbSlurmOptions, 1);
  self->slurm->sbatch = g_new0 (char *, 1);
  return self;
}

CbSlurmOptions *
_cb_target_slurm_options_copy (const CbSlurmOptions *options)
{
  CbSlurmOptions *copy;

  if (options == NULL)
    return NULL;
  copy = g_new0 (CbSlurmOptions, 1);
  copy->partition = g_strdup (options->partition);
  copy->time = g_strdup (options->time);
  copy->gpus = options->gpus;
  copy->cpus_per_task = options->cpus_per_task;
  copy->mem = g_strdup (options->mem);
  copy->account = g_strdup (options->account);
  copy->qos = g_strdup (options->qos);
  copy->array_limit = options->array_limit;
  copy->sbatch = g_strdupv (options->sbatch);
  return copy;
}

void
_cb_target_slurm_options_free (CbSlurmOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->partition);
  g_free (options->time);
  g_free (options->mem);
  g_free (options->account);
  g_free (options->qos);
  g_strfreev (options->sbatch);
  g_free (options);
}

/* A value of an #SBATCH line: one word of letters, digits and ._:+,/@- */
static gboolean
slurm_word_is_safe (const char *word)
{
  if (word == NULL)
    return TRUE;
  if (*word == '\0' || word[0] == '-' || strlen (word) > 128)
    return FALSE;
  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._:+,/@-", *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
_cb_target_check_slurm (const CbTarget  *target,
             GError         **error)
{
  const CbSlurmOptions *o = target->slurm;
  const struct { const char *key; const char *value; } words[] = {
    { "partition", o->partition }, { "time", o->time }, { "mem", o->mem },
    { "account", o->account }, { "qos", o->qos },
  };
  const struct { const char *key; int value; int max; } numbers[] = {
    { "gpus", o->gpus, 1024 }, { "cpus_per_task", o->cpus_per_task, 4096 },
    { "array_limit", o->array_limit, 100000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (!slurm_word_is_safe (words[i].value))
      {
        g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                     _("Target “%s”: “%s” cannot be a %s (one word of letters, digits and "
                       "._:+,/@-)"), target->name, words[i].value, words[i].key);
        return FALSE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    if (numbers[i].value < 0 || numbers[i].value > numbers[i].max)
      {
        g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                     _("Target “%s”: %s must be between 0 and %d"), target->name,
                     numbers[i].key, numbers[i].max);
        return FALSE;
      }
  for (guint i = 0; o->sbatch != NULL && o->sbatch[i] != NULL; i++)
    {
      const char *line = o->sbatch[i];
      gboolean ok = line[0] == '-' && g_utf8_validate (line, -1, NULL);

      for (const char *p = line; ok && *p != '\0'; p++)
        ok = (guchar) *p >= 0x20 && *p != 0x7f;
      if (!ok)
        {
          g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_INVALID,
                       _("Target “%s”: “%s” cannot be an #SBATCH line: write one option, "
                         "e.g. --constraint=a100"), target->name, line);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
number_of (const CbNode *item,
           const char   *key,
           int           max,
           int          *value,
           const char   *file,
           GPtrArray    *problems)
{
  const char *text = _cb_target_scalar_of (item, key);
  guint64 number = 0;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, (guint64) max, &number, NULL))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” must be a whole number between 0 "
                                                    "and %d"), key, max);

      _cb_target_add_problem (problems, file, cb_node_lookup (item, key), message);
      return FALSE;
    }
  *value = (int) number;
  return TRUE;
}

gboolean
_cb_target_slurm_from_node (CbSlurmOptions *options,
                 const CbNode   *item,
                 const char     *file,
                 GPtrArray      *problems)
{
  options->partition = g_strdup (_cb_target_scalar_of (item, "partition"));
  options->time = g_strdup (_cb_target_scalar_of (item, "time"));
  options->mem = g_strdup (_cb_target_scalar_of (item, "mem"));
  options->account = g_strdup (_cb_target_scalar_of (item, "account"));
  options->qos = g_strdup (_cb_target_scalar_of (item, "qos"));
  g_strfreev (options->sbatch);
  options->sbatch = _cb_target_lines_of (cb_node_lookup (item, "sbatch"), file, "sbatch", problems);
  return number_of (item, "gpus", 1024, &options->gpus, file, problems) &&
         number_of (item, "cpus_per_task", 4096, &options->cpus_per_task, file, problems) &&
         number_of (item, "array_limit", 100000, &options->array_limit, file, problems);
}

static void
map_set_number (CbCfg      *map,
                const char *key,
                int         value)
{
  g_autofree char *text = g_strdup_printf ("%d", value);

  if (value > 0)
    cb_cfg_map_set (map, key, cb_cfg_new_scalar (text, FALSE));
}

void
_cb_target_slurm_to_map (CbCfg                *map,
              const CbSlurmOptions *options)
{
  _cb_target_map_set_text (map, "partition", options->partition);
  _cb_target_map_set_text (map, "time", options->time);
  map_set_number (map, "gpus", options->gpus);
  map_set_number (map, "cpus_per_task", options->cpus_per_task);
  _cb_target_map_set_text (map, "mem", options->mem);
  _cb_target_map_set_text (map, "account", options->account);
  _cb_target_map_set_text (map, "qos", options->qos);
  map_set_number (map, "array_limit", options->array_limit);
  _cb_target_map_set_lines (map, "sbatch", options->sbatch);
}

