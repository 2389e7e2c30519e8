/* bench-slurm.c: from Submit to the job's id, and to RUNNING, on a Slurm cluster
 *
 *   bench-slurm [N_JOBS]      (under tests/slurm/with-slurm: SLURM_CONF names the cluster)
 *
 * Submits N_JOBS one-run jobs one after another as Run does (cb_job_launch(): the job script
 * written, sbatch --parsable), each waiting until the one before runs, and times the
 * submission (to the id) and the wait until squeue says RUNNING, probed every 20 ms as a
 * probe of the Jobs list does. Each job is cancelled once it runs. Prints one JSON line
 * (scripts/bench reads it); it measures, it never judges.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cb/cb-job.h"
#include "cb/cb-slurm.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, MIN ((guint) (p * values->len), values->len - 1));
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10;
  g_autoptr(GArray) submit = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) running = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("cb-bench-slurm-XXXXXX", &error);
  g_autofree char *state = NULL;
  const char * const job_argv[] = { "sleep", "30", NULL };
  double first_submit = 0;
  double first_running = 0;

  if (root == NULL || g_getenv ("SLURM_CONF") == NULL)
    {
      g_printerr ("bench-slurm: run it under tests/slurm/with-slurm\n");
      return 2;
    }
  state = g_build_filename (root, "state", NULL);
  g_setenv ("XDG_STATE_HOME", state, TRUE);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbTarget) target = cb_target_new_slurm ("bench");
      g_autoptr(CbJob) job = cb_job_new (root, "train", job_argv, NULL, target);
      CbSlurmScript spec = { 0 };
      g_autofree char *script = NULL;
      gint64 start;
      gint64 submitted;
      gint64 deadline;
      gboolean is_running = FALSE;
      double a;
      double b;

      target->slurm->cpus_per_task = 1;
      spec.target = target;
      spec.job_id = cb_job_get_id (job);
      spec.project_dir = root;
      spec.argv = job_argv;
      script = cb_slurm_script_new (&spec);
      cb_job_set_slurm_script (job, script);

      start = g_get_monotonic_time ();
      if (!cb_job_launch (job, NULL, &error))
        {
          g_printerr ("bench-slurm: %s\n", error->message);
          return 1;
        }
      submitted = g_get_monotonic_time ();
      deadline = submitted + 60 * G_USEC_PER_SEC;
      while (!is_running && g_get_monotonic_time () < deadline)
        {
          GPtrArray *tasks;

          cb_job_probe (job, NULL, NULL);
          tasks = cb_job_get_slurm_tasks (job);
          is_running = tasks->len > 0 &&
                       g_strcmp0 (((CbSlurmTask *) g_ptr_array_index (tasks, 0))->state,
                                  "RUNNING") == 0;
          if (!is_running)
            g_usleep (20 * 1000);
        }
      if (!is_running)
        {
          g_printerr ("bench-slurm: job %s did not run within 60 s\n", cb_job_get_slurm_id (job));
          return 1;
        }
      a = (submitted - start) / 1000.0;
      b = (g_get_monotonic_time () - start) / 1000.0;
      if (i == 0)
        {
          first_submit = a;
          first_running = b;
        }
      else
        {
          g_array_append_val (submit, a);
          g_array_append_val (running, b);
        }
      cb_job_stop (job, NULL, 200, 500, NULL, NULL);
    }

  printf ("{\"jobs\": %u, \"submit_ms_p50\": %.1f, \"submit_ms_p95\": %.1f, "
          "\"running_ms_p50\": %.0f, \"running_ms_p95\": %.0f, \"first_submit_ms\": %.1f, "
          "\"first_running_ms\": %.0f}\n", n, percentile (submit, 0.5), percentile (submit, 0.95),
          percentile (running, 0.5), percentile (running, 0.95), first_submit, first_running);
  return 0;
}
