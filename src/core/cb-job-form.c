/* cb-job-form.c: the job a page's form makes on a target
 *
 * On this computer and over SSH a job runs the form's command (a sweep is one Hydra
 * multirun). On a Slurm cluster it submits the job script made of the command; a sweep is
 * one job array, a task per run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-job"

#include "config.h"

#include "cb/cb-job-form.h"
#include "cb/cb-slurm.h"

/**
 * cb_form_dup_slurm_script:
 * @target: a Slurm target
 * @job_id: (nullable): the job's id, said in the script
 *
 * Returns: the job script of the form's command on @target, or %NULL when the project's
 *   folder cannot be written in one
 */
char *
cb_form_dup_slurm_script (CbForm         *form,
                          const char     *project_root,
                          const CbTarget *target,
                          const char     *job_id)
{
  g_autoptr(CbSweepPlan) plan = cb_form_get_sweep_plan (form);
  CbCommand *command = cb_form_get_command (form);
  g_autoptr(CbJob) probe = NULL;
  CbSlurmScript script = { 0 };
  const char * const *argv = plan != NULL ? cb_command_get_argv (plan->base)
                                          : cb_command_get_argv (command);

  g_return_val_if_fail (cb_target_is_slurm (target), NULL);

  /* The experiment as the job will read it from its argv. */
  probe = cb_job_new (project_root, cb_form_get_page (form), argv, NULL, NULL);
  script.target = target;
  script.job_id = job_id;
  script.experiment = cb_job_get_experiment (probe);
  script.project_dir = target->host != NULL ? target->project_dir : project_root;
  script.argv = argv;
  script.plan = plan;
  return cb_slurm_script_new (&script);
}

/**
 * cb_job_new_from_form:
 * @target: (nullable): where it runs; %NULL is this computer
 *
 * Returns: the job of the form's command on @target, not started; for Slurm with its job
 *   script, or %NULL when no script can be made (see cb_form_dup_slurm_script())
 */
CbJob *
cb_job_new_from_form (const char     *project_root,
                      CbForm         *form,
                      const CbTarget *target)
{
  g_autoptr(CbSweepPlan) plan = cb_form_get_sweep_plan (form);
  CbCommand *command = cb_form_get_command (form);
  g_autoptr(CbJob) job = NULL;
  g_autofree char *script = NULL;

  if (!cb_target_is_slurm (target))
    {
      job = cb_job_new (project_root, cb_form_get_page (form), cb_command_get_argv (command),
                        cb_command_get_display (command), target);
      cb_job_set_n_runs (job, cb_form_get_n_runs (form));
      return g_steal_pointer (&job);
    }

  /* A sweep on Slurm is an array of runs of the base command (no -m). */
  job = cb_job_new (project_root, cb_form_get_page (form),
                    plan != NULL ? cb_command_get_argv (plan->base) : cb_command_get_argv (command),
                    plan != NULL ? cb_command_get_display (plan->base)
                                 : cb_command_get_display (command), target);
  script = cb_form_dup_slurm_script (form, project_root, target, cb_job_get_id (job));
  if (script == NULL)
    return NULL;
  cb_job_set_slurm_script (job, script);
  cb_job_set_n_runs (job, plan != NULL ? plan->n_runs : 1);
  return g_steal_pointer (&job);
}

/**
 * cb_job_new_for_argv:
 * @display: (nullable): the command as the preview shows it
 * @target: (nullable): where it runs; %NULL is this computer
 *
 * Returns: the job of @argv alone on @target, not started; for Slurm with a job script of
 *   one run, or %NULL when none can be made
 */
CbJob *
cb_job_new_for_argv (const char         *project_root,
                     const char         *page,
                     const char * const *argv,
                     const char         *display,
                     const CbTarget     *target)
{
  g_autoptr(CbJob) job = cb_job_new (project_root, page, argv, display, target);
  g_autofree char *script = NULL;
  CbSlurmScript spec = { 0 };

  if (!cb_target_is_slurm (target))
    return g_steal_pointer (&job);
  spec.target = target;
  spec.job_id = cb_job_get_id (job);
  spec.experiment = cb_job_get_experiment (job);
  spec.project_dir = target->host != NULL ? target->project_dir : project_root;
  spec.argv = argv;
  script = cb_slurm_script_new (&spec);
  if (script == NULL)
    return NULL;
  cb_job_set_slurm_script (job, script);
  return g_steal_pointer (&job);
}
