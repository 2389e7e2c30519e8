/* cb-slurm-script.c: the job script a Slurm target makes of a command
 *
 * The script is what sbatch reads and what the user sees before submitting: the target's
 * #SBATCH lines, a job name from the experiment, the project as --chdir and the output under
 * it, the setup lines, then srun with the command (Python unbuffered, so that the output
 * file fills as it runs). A sweep is one job array: each task picks its combination of
 * overrides by SLURM_ARRAY_TASK_ID and runs as its own Hydra run in its own folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-slurm"

#include "config.h"

#include "cb/cb-quote.h"
#include "cb/cb-slurm.h"

#include <string.h>

/* Longest job name kept, in bytes (Slurm takes more; the output files are named by it). */
#define MAX_JOB_NAME 64

/**
 * cb_slurm_job_name:
 *
 * The job's name: the experiment's, with what a file name or an #SBATCH line cannot take
 * (blanks, quotes, `$`, `=`, `%`, `/`, `\`, control characters) made `_`; UTF-8 stays.
 */
char *
cb_slurm_job_name (const char *experiment)
{
  g_autoptr(GString) name = g_string_new (NULL);
  const char *p;

  if (experiment == NULL || !g_utf8_validate (experiment, -1, NULL))
    return g_strdup ("command-builder");
  for (p = experiment; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gsize before = name->len;

      if (c < 0x80 && (g_ascii_isalnum ((char) c) || strchr ("._-+,:@", (char) c) != NULL))
        g_string_append_c (name, (char) c);
      else if (c >= 0x80 && g_unichar_isgraph (c))
        g_string_append_unichar (name, c);
      else
        g_string_append_c (name, '_');
      if (name->len > MAX_JOB_NAME)
        {
          g_string_truncate (name, before);
          break;
        }
    }
  if (name->len == 0 || name->str[0] == '-' || name->str[0] == '.')
    g_string_prepend (name, "cb_");
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* A value of an #SBATCH line as sbatch reads it: as is when plain, else in double quotes
 * (sbatch takes a quoted value whole; a `"` or `\` inside cannot be written). */
static char *
sbatch_value (const char *value)
{
  gboolean plain = *value != '\0';

  for (const char *p = value; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || strchr ("\"'\\#$`", *p) != NULL)
      plain = FALSE;
  if (plain)
    return g_strdup (value);
  return g_strdup_printf ("\"%s\"", value);
}

/**
 * cb_slurm_chdir:
 * @project_dir: the project's folder as the cluster sees it
 *
 * The job's --chdir: an absolute folder as it is; `~/x` as `x`, which sbatch takes relative
 * to the folder it runs in (the app submits from the home folder).
 */
char *
cb_slurm_chdir (const char *project_dir)
{
  if (g_str_equal (project_dir, "~"))
    return g_strdup (".");
  if (g_str_has_prefix (project_dir, "~/"))
    return g_strdup (project_dir + 2);
  return g_strdup (project_dir);
}

/* An #SBATCH line's value must not hold a `"`, a `\` or a line break: sbatch cannot take
 * them quoted. */
static gboolean
directive_ok (const char *value)
{
  return strpbrk (value, "\"\\\n\r") == NULL;
}

/**
 * cb_slurm_output_file:
 * @slurm_id: the job's id (an array's id for its tasks)
 * @task: the array task, or -1
 *
 * The output file of a job or task, relative to the project (what `--output` gives).
 */
char *
cb_slurm_output_file (const char *job_name,
                      const char *slurm_id,
                      int         task)
{
  if (task >= 0)
    return g_strdup_printf (CB_SLURM_LOG_DIR "/%s-%s_%d.out", job_name, slurm_id, task);
  return g_strdup_printf (CB_SLURM_LOG_DIR "/%s-%s.out", job_name, slurm_id);
}

static void
append_word_line (GString    *out,
                  const char *option,
                  const char *value)
{
  g_autofree char *quoted = NULL;

  if (value == NULL || *value == '\0')
    return;
  quoted = sbatch_value (value);
  g_string_append_printf (out, "#SBATCH --%s=%s\n", option, quoted);
}

static void
append_number_line (GString    *out,
                    const char *option,
                    int         value)
{
  if (value > 0)
    g_string_append_printf (out, "#SBATCH --%s=%d\n", option, value);
}

static void
append_words (GString            *out,
              const char * const *words)
{
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      g_autofree char *quoted = cb_shell_quote_word (words[i]);

      g_string_append_c (out, ' ');
      g_string_append (out, quoted);
    }
}

/**
 * cb_slurm_script_new:
 *
 * Returns: the job script, or %NULL when the project's folder cannot be an #SBATCH value
 *   (a `"`, `\` or line break in it)
 */
char *
cb_slurm_script_new (const CbSlurmScript *script)
{
  const CbSlurmOptions *o = script->target->slurm;
  g_autoptr(GString) out = g_string_new ("#!/bin/bash\n");
  g_autofree char *name = cb_slurm_job_name (script->experiment);
  g_autofree char *chdir_value = cb_slurm_chdir (script->project_dir);
  /* A sweep of one run is that run, not an array. */
  gboolean array = script->plan != NULL && script->plan->n_runs > 1;
  g_auto(GStrv) only_run = NULL;
  const char * const *argv = script->plan != NULL ? cb_command_get_argv (script->plan->base)
                                                  : script->argv;

  g_return_val_if_fail (o != NULL, NULL);
  if (!directive_ok (chdir_value))
    return NULL;
  if (script->plan != NULL && script->plan->n_runs == 1)
    only_run = cb_sweep_plan_run_overrides (script->plan, 0);

  if (script->job_id != NULL)
    g_string_append_printf (out, "# Command Builder job %s, for target “%s”.\n",
                            script->job_id, script->target->name);
  else
    {
      g_string_append_printf (out, "# Made by Command Builder for target “%s”. To submit it "
                                   "by hand:\n", script->target->name);
      /* Slurm makes neither the output's folder nor a relative --chdir's base. */
      if (g_path_is_absolute (chdir_value))
        g_string_append (out, "#   mkdir -p ");
      else
        g_string_append (out, "#   cd && mkdir -p ");
      {
        g_autofree char *logs = g_build_filename (chdir_value, CB_SLURM_LOG_DIR, NULL);
        g_autofree char *quoted = cb_shell_quote_word (logs);

        g_string_append_printf (out, "%s && sbatch THIS-FILE\n", quoted);
      }
    }
  append_word_line (out, "job-name", name);
  append_word_line (out, "chdir", chdir_value);
  g_string_append_printf (out, "#SBATCH --output=" CB_SLURM_LOG_DIR "/%s\n",
                          array ? "%x-%A_%a.out" : "%x-%j.out");
  append_word_line (out, "partition", o->partition);
  append_word_line (out, "time", o->time);
  append_number_line (out, "gpus", o->gpus);
  append_number_line (out, "cpus-per-task", o->cpus_per_task);
  append_word_line (out, "mem", o->mem);
  append_word_line (out, "account", o->account);
  append_word_line (out, "qos", o->qos);
  if (array)
    {
      g_string_append_printf (out, "#SBATCH --array=0-%u", script->plan->n_runs - 1);
      if (o->array_limit > 0)
        g_string_append_printf (out, "%%%d", o->array_limit);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; o->sbatch != NULL && o->sbatch[i] != NULL; i++)
    g_string_append_printf (out, "#SBATCH %s\n", o->sbatch[i]);

  if (array)
    {
      g_string_append (out, "\n# One run of the sweep per task, in the order of Hydra's "
                            "basic sweeper.\ncase \"${SLURM_ARRAY_TASK_ID:-0}\" in\n");
      for (guint i = 0; i < script->plan->n_runs; i++)
        {
          g_auto(GStrv) overrides = cb_sweep_plan_run_overrides (script->plan, i);

          g_string_append_printf (out, "  %u) run=(", i);
          append_words (out, (const char * const *) overrides);
          g_string_append (out, " ) ;;\n");
        }
      g_string_append (out, "  *) echo \"No run for task $SLURM_ARRAY_TASK_ID\" >&2; "
                            "exit 2 ;;\nesac\n");
    }

  /* Each setup line on a line of its own (a trailing comment stays a comment), each
   * checked before the next. */
  if (script->target->setup != NULL && script->target->setup[0] != NULL)
    {
      g_string_append_c (out, '\n');
      for (guint i = 0; script->target->setup[i] != NULL; i++)
        g_string_append_printf (out, "%s\n"
                                     "[ $? -eq 0 ] || { echo \"Setup line %u failed\" >&2; "
                                     "exit 1; }\n", script->target->setup[i], i + 1);
    }

  /* Python writes nothing to a file until it ends unless unbuffered; srun takes the job's
   * CPUs per task only when told (Slurm 22.05 no longer passes them on). */
  g_string_append (out, "\nexport PYTHONUNBUFFERED=1\n");
  if (o->cpus_per_task > 0)
    g_string_append (out, "export SRUN_CPUS_PER_TASK=\"$SLURM_CPUS_PER_TASK\"\n");
  g_string_append (out, "srun");
  append_words (out, argv);
  append_words (out, (const char * const *) only_run);
  if (array)
    /* Each task its own Hydra run, in its own folder. */
    g_string_append (out, " \"${run[@]}\" 'hydra.run.dir=outputs/multirun/${exp_name}/"
                          "${oc.env:SLURM_ARRAY_JOB_ID}_${oc.env:SLURM_ARRAY_TASK_ID}'");
  g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * cb_slurm_parse_job_id:
 * @sbatch_out: what `sbatch --parsable` printed: "123" or "123;cluster"
 *
 * Returns: whether it was a job id; @job_id gets it
 */
gboolean
cb_slurm_parse_job_id (const char  *sbatch_out,
                       char       **job_id)
{
  g_autofree char *text = g_strstrip (g_strdup (sbatch_out != NULL ? sbatch_out : ""));
  char *last_line = strrchr (text, '\n');
  char *id = last_line != NULL ? last_line + 1 : text;
  char *semicolon = strchr (id, ';');

  if (semicolon != NULL)
    *semicolon = '\0';
  if (*id == '\0' || strlen (id) > 20)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  *job_id = g_strdup (id);
  return TRUE;
}
