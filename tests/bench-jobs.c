/* bench-jobs.c: the Jobs list's refresh with 200 jobs, and the start of a detached run
 *
 *   bench-jobs [N_JOBS]
 *
 * Prints one JSON line (scripts/bench reads it):
 *   - refresh: N_JOBS job files (N_JOBS / 20 of them running, each a real process group
 *     here), read and probed as the monitor's worker does (worker_ms), then merged into the
 *     list model as the UI thread does (merge_us: the UI thread's whole share), with a few
 *     jobs changed each time;
 *   - start: a detached job (cb_job_launch(): the tmux session made, its process group
 *     known) against a direct spawn of the same command (g_spawn_async(), what a run was
 *     before jobs), each 20 times, with the tmux server up; and the first start, which also
 *     starts the server.
 * It measures; it never judges (scripts/bench does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cb/cb-job-monitor.h"
#include "cb/cb-job.h"

#define ROUNDS 200
#define STARTS 20

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
quantile (GArray *values,
          double  q)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, (guint) MIN (values->len - 1, q * values->len));
}

/* A process group that lives until the bench ends. */
static GPid
start_group (void)
{
  GPid pid = fork ();

  if (pid == 0)
    {
      setpgid (0, 0);
      execlp ("sleep", "sleep", "600", NULL);
      _exit (127);
    }
  setpgid (pid, pid);
  return pid;
}

int
main (int    argc,
      char **argv)
{
  guint n_jobs = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200;
  g_autofree char *tmp = g_dir_make_tmp ("bench-jobs-XXXXXX", NULL);
  g_autofree char *project = g_build_filename (tmp, "project", NULL);
  g_autofree char *tmux_dir = g_build_filename (tmp, "tmux", NULL);
  g_autoptr(GArray) merge_us = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) worker_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) launch_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) direct_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autoptr(CbJobMonitor) monitor = NULL;
  g_autoptr(CbJob) keeper = NULL;   /* a run kept going while starts are timed */
  const char * const sleeper[] = { "sh", "-c", "exit 0", NULL };
  guint n_running = MAX (n_jobs / 20, 1);
  double first_launch_ms = 0;

  g_mkdir_with_parents (project, 0755);
  g_mkdir_with_parents (tmux_dir, 0700);
  g_setenv ("XDG_STATE_HOME", tmp, TRUE);
  g_setenv ("TMUX_TMPDIR", tmux_dir, TRUE);
  g_unsetenv ("TMUX");

  /* The jobs: most finished, some running (a live group each). */
  for (guint i = 0; i < n_jobs; i++)
    {
      g_autofree char *name = g_strdup_printf ("exp_name=run-%u", i);
      const char * const job_argv[] = { "python3", "runners/train.py", name, NULL };
      g_autoptr(CbJob) job = cb_job_new (project, "train", job_argv, NULL, NULL);

      if (i < n_running)
        {
          GPid pid = start_group ();

          g_array_append_val (groups, pid);
          cb_job_set_running (job, pid);
        }
      else
        cb_job_set_finished (job, i % 7 == 0 ? 1 : 0, 0, NULL);
      cb_job_save (job, NULL);
    }

  monitor = cb_job_monitor_new (project, NULL);
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GPtrArray) found = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 merged;

      /* The worker's part: read every file, look at the running ones. */
      found = cb_job_list (project, NULL);
      for (guint i = 0; i < found->len; i++)
        {
          CbJob *job = g_ptr_array_index (found, i);

          if (cb_job_is_active (job))
            cb_job_probe (job, NULL, NULL);
        }
      /* Something changed since the last look: a few jobs took a step. */
      for (guint i = 0; i < 3 && i < found->len; i++)
        {
          CbJob *job = g_ptr_array_index (found, (round * 7 + i * 31) % found->len);

          if (!cb_job_is_active (job))
            cb_job_set_finished (job, (int) (round % 3), 0, NULL);
        }
      merged = g_get_monotonic_time ();
      cb_job_monitor_merge (monitor, found);
      {
        double w = (merged - start) / 1000.0;
        double m = (double) (g_get_monotonic_time () - merged);

        g_array_append_val (worker_ms, w);
        if (round > 0)  /* the first fills the model */
          g_array_append_val (merge_us, m);
      }
    }

  /* Starting: detached (tmux) against a direct spawn. The first start also starts the tmux
   * server (timed alone); a run kept going meanwhile keeps it up, as a user's would. */
  {
    const char * const long_run[] = { "sleep", "600", NULL };
    gint64 start = g_get_monotonic_time ();

    keeper = cb_job_new (project, "train", long_run, NULL, NULL);
    if (!cb_job_launch (keeper, NULL, NULL))
      return 1;
    first_launch_ms = (g_get_monotonic_time () - start) / 1000.0;
  }
  for (guint i = 0; i < STARTS; i++)
    {
      g_autoptr(CbJob) job = cb_job_new (project, "train", sleeper, NULL, NULL);
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      GPid pid;
      double ms;

      if (!cb_job_launch (job, NULL, &error))
        {
          g_printerr ("bench-jobs: %s\n", error->message);
          return 1;
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (launch_ms, ms);

      start = g_get_monotonic_time ();
      if (!g_spawn_async (project, (char **) sleeper, NULL,
                          G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL))
        return 1;
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (direct_ms, ms);
      waitpid (pid, NULL, 0);
    }

  printf ("{\"jobs\": %u, \"running\": %u, \"rounds\": %d, "
          "\"merge_us_p50\": %.1f, \"merge_us_p95\": %.1f, "
          "\"worker_ms_p50\": %.2f, \"worker_ms_p95\": %.2f, "
          "\"first_launch_ms\": %.2f, \"launch_ms_p50\": %.2f, \"launch_ms_p95\": %.2f, "
          "\"direct_spawn_ms_p50\": %.3f, \"direct_spawn_ms_p95\": %.3f}\n",
          n_jobs, n_running, ROUNDS,
          quantile (merge_us, 0.5), quantile (merge_us, 0.95),
          quantile (worker_ms, 0.5), quantile (worker_ms, 0.95),
          first_launch_ms, quantile (launch_ms, 0.5), quantile (launch_ms, 0.95),
          quantile (direct_ms, 0.5), quantile (direct_ms, 0.95));

  for (guint i = 0; i < groups->len; i++)
    kill (-g_array_index (groups, GPid, i), SIGKILL);
  /* Stopped as the app stops a run: the server's end alone would leave its sleep behind
   * (the job's shell outlives a hang-up, so that it can write the status). */
  if (!cb_job_stop (keeper, NULL, 500, 500, NULL, NULL))
    g_printerr ("bench-jobs: the run kept going for the timing could not be stopped\n");
  g_usleep (200 * 1000);  /* the last sessions write their status */
  {
    const char * const kill_server[] = { "tmux", "-L", CB_JOB_TMUX_SOCKET, "kill-server", NULL };

    g_spawn_sync (NULL, (char **) kill_server, NULL,
                  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL);
  }
  {
    const char * const rm[] = { "rm", "-rf", tmp, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                  NULL);
  }
  return 0;
}
