/* cb-cli-jobs.c: the headless `run`, `jobs` and `stop` commands
 *
 *   run PAGE [--target NAME] [KEY=VALUE…]  starts the page's command as a detached job (the
 *                                          same as Run in the window) and prints its id
 *   submit PAGE --target NAME [KEY=VALUE…] the same, to a Slurm target only
 *   script PAGE --target NAME [KEY=VALUE…] prints the job script a Slurm target submits
 *   jobs [--json]                          the project's jobs, newest first, each looked at
 *                                          where it runs: id, state, exit, target, name
 *   stop ID                                the stop ladder (Ctrl+C, TERM, KILL) to the job's
 *                                          process group, here or on its host; exit 0 once
 *                                          nothing of it is left
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-cli"

#include "config.h"

#include "cb-cli-jobs.h"
#include "cb/cb-job-form.h"
#include "cb/cb-json-write.h"
#include "cb/cb-problem.h"
#include "cb/cb-run-history.h"
#include "cb/cb-target.h"

#include <glib/gi18n.h>
#include <stdio.h>

static CbRunHistory *
open_history (CbProject *project)
{
  g_autofree char *path = cb_run_history_path_for_project (project->root);
  CbRunHistory *history = cb_run_history_new (path);

  cb_run_history_load (history, NULL);
  return history;
}

/* The target named, with what is wrong in targets.yaml said; NULL when there is none. */
static CbTarget *
find_target (CbProject  *project,
             const char *target_name,
             GPtrArray **targets_out)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GPtrArray) targets = cb_targets_load (project->root, problems);
  CbTarget *target;

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = cb_problem_to_string (g_ptr_array_index (problems, i));

      g_printerr ("%s\n", line);
    }
  target = cb_targets_find (targets, target_name);
  if (target == NULL)
    {
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; i < targets->len; i++)
        g_string_append_printf (known, "%s%s", i ? ", " : "",
                                ((CbTarget *) g_ptr_array_index (targets, i))->name);
      g_printerr ("command-builder: no target '%s' (targets: %s)\n", target_name, known->str);
      return NULL;
    }
  *targets_out = g_steal_pointer (&targets);
  return target;
}

/* run, submit: the form's command as a job on the target (for Slurm, its job script). */
int
cb_cli_start_job (CbProject  *project,
                  CbForm     *form,
                  const char *target_name,
                  gboolean    slurm_only)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(CbRunHistory) history = NULL;
  g_autoptr(CbJob) job = NULL;
  g_autoptr(GError) error = NULL;
  CbTarget *target = find_target (project, target_name, &targets);

  if (target == NULL)
    return 2;
  if (slurm_only && !cb_target_is_slurm (target))
    {
      g_printerr ("command-builder: '%s' is not a Slurm target: use run\n", target->name);
      return 2;
    }
  job = cb_job_new_from_form (project->root, form, target);
  if (job == NULL)
    {
      g_printerr ("command-builder: the project's folder cannot be written in a job script "
                  "(it holds a \", \\ or line break)\n");
      return 1;
    }
  history = open_history (project);
  if (!cb_job_launch (job, history, &error))
    {
      g_printerr ("command-builder: %s\n", error->message);
      return 1;
    }
  g_print ("%s\n", cb_job_get_id (job));
  return 0;
}

/* script: the job script a Slurm target would submit. */
int
cb_cli_print_script (CbProject  *project,
                     CbForm     *form,
                     const char *target_name)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autofree char *script = NULL;
  CbTarget *target = find_target (project, target_name, &targets);

  if (target == NULL)
    return 2;
  if (!cb_target_is_slurm (target))
    {
      g_printerr ("command-builder: '%s' is not a Slurm target\n", target->name);
      return 2;
    }
  script = cb_form_dup_slurm_script (form, project->root, target, NULL);
  if (script == NULL)
    {
      g_printerr ("command-builder: the project's folder cannot be written in a job script "
                  "(it holds a \", \\ or line break)\n");
      return 1;
    }
  g_print ("%s", script);
  return 0;
}

static void
append_json_job (GString *out,
                 CbJob   *job)
{
  const char * const *argv = cb_job_get_argv (job);

  g_string_append (out, "{\"id\":");
  cb_json_append_string (out, cb_job_get_id (job));
  g_string_append (out, ",\"page\":");
  cb_json_append_string (out, cb_job_get_page (job));
  g_string_append (out, ",\"state\":");
  cb_json_append_string (out, cb_job_state_to_string (cb_job_get_state (job)));
  g_string_append (out, ",\"exit_status\":");
  if (cb_job_get_state (job) == CB_JOB_FINISHED && cb_job_get_exit_status (job) >= 0)
    g_string_append_printf (out, "%d", cb_job_get_exit_status (job));
  else
    g_string_append (out, "null");
  g_string_append_printf (out, ",\"signal\":%d,\"stopped\":%s", cb_job_get_signal (job),
                          cb_job_get_stopped (job) ? "true" : "false");
  g_string_append (out, ",\"target\":");
  cb_json_append_string (out, cb_job_get_target_name (job));
  g_string_append (out, ",\"name\":");
  cb_json_append_string (out, cb_job_get_experiment (job));
  g_string_append_printf (out, ",\"start\":%" G_GINT64_FORMAT ",\"end\":%" G_GINT64_FORMAT,
                          cb_job_get_start_time (job) / G_USEC_PER_SEC,
                          cb_job_get_end_time (job) / G_USEC_PER_SEC);
  g_string_append (out, ",\"message\":");
  cb_json_append_string (out, cb_job_get_message (job));
  g_string_append_printf (out, ",\"runs\":%u", cb_job_get_n_runs (job));
  if (cb_job_is_slurm (job))
    {
      g_autofree char *summary = cb_job_dup_slurm_summary (job);

      g_string_append (out, ",\"slurm_id\":");
      cb_json_append_string (out, cb_job_get_slurm_id (job));
      g_string_append (out, ",\"slurm_state\":");
      cb_json_append_string (out, summary);
    }
  g_string_append (out, ",\"argv\":[");
  for (guint i = 0; argv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      cb_json_append_string (out, argv[i]);
    }
  g_string_append (out, "]}");
}

int
cb_cli_jobs (CbProject *project,
             gboolean   json)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GPtrArray) jobs = cb_job_list (project->root, problems);
  g_autoptr(CbRunHistory) history = open_history (project);
  g_autoptr(GString) out = g_string_new (json ? "[" : NULL);
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = cb_problem_to_string (g_ptr_array_index (problems, i));

      g_printerr ("%s\n", line);
    }

  for (guint i = 0; i < jobs->len; i++)
    {
      CbJob *job = g_ptr_array_index (jobs, i);
      g_autoptr(GError) error = NULL;

      if (!cb_job_probe (job, history, &error))
        g_printerr ("command-builder: %s: %s\n", cb_job_get_id (job), error->message);

      if (json)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_json_job (out, job);
          continue;
        }
      else
        {
          g_autofree char *elapsed = cb_format_elapsed ((gint64) cb_job_get_elapsed (job, now));
          g_autofree char *exit_text = NULL;
          const char *name = cb_job_get_experiment (job);

          if (cb_job_get_state (job) != CB_JOB_FINISHED)
            exit_text = g_strdup ("-");
          else if (cb_job_get_signal (job) > 0)
            exit_text = g_strdup (cb_signal_name (cb_job_get_signal (job)));
          else if (cb_job_get_exit_status (job) >= 0)
            exit_text = g_strdup_printf ("%d", cb_job_get_exit_status (job));
          else
            exit_text = g_strdup ("-");

          g_string_append_printf (out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cb_job_get_id (job),
                                  cb_job_state_to_string (cb_job_get_state (job)), exit_text,
                                  cb_job_get_target_name (job),
                                  cb_job_get_page (job) != NULL ? cb_job_get_page (job) : "-",
                                  name != NULL ? name : "-", elapsed);
          if (cb_job_get_message (job) != NULL)
            g_string_append_printf (out, "\t%s\n", cb_job_get_message (job));
          if (cb_job_is_slurm (job) && cb_job_get_slurm_id (job) != NULL)
            {
              g_autofree char *summary = cb_job_dup_slurm_summary (job);

              g_string_append_printf (out, "\tSlurm job %s: %s\n", cb_job_get_slurm_id (job),
                                      summary);
            }
        }
    }
  if (json)
    g_string_append (out, "]\n");
  fwrite (out->str, 1, out->len, stdout);
  return 0;
}

int
cb_cli_stop (CbProject  *project,
             const char *id)
{
  g_autoptr(GPtrArray) jobs = cb_job_list (project->root, NULL);
  g_autoptr(CbRunHistory) history = open_history (project);
  g_autoptr(GError) error = NULL;
  g_autofree char *outcome = NULL;
  CbJob *job;

  if (id == NULL)
    {
      g_printerr ("command-builder: stop needs a job's id (see `command-builder jobs`)\n");
      return 2;
    }
  job = cb_job_find (jobs, id, &error);
  if (job == NULL)
    {
      g_printerr ("command-builder: %s\n", error->message);
      return 2;
    }
  if (!cb_job_is_active (job))
    {
      outcome = cb_job_describe_state (job);
      g_print ("%s: already ended: %s\n", cb_job_get_id (job), outcome);
      return 0;
    }
  if (!cb_job_stop (job, history, 3000, 3000, NULL, &error))
    {
      g_printerr ("command-builder: %s: %s\n", cb_job_get_id (job), error->message);
      return 1;
    }
  outcome = cb_job_describe_state (job);
  g_print ("%s: %s; nothing of it is left on %s\n", cb_job_get_id (job), outcome,
           cb_job_is_local (job) ? "this computer" : cb_job_get_target (job)->host);
  return 0;
}
