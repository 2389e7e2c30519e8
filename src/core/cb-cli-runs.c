/* cb-cli-runs.c: the headless `runs` and `metrics` commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb-cli-runs.h"

#include "cb/cb-metrics.h"
#include "cb/cb-problem.h"
#include "cb/cb-run.h"
#include "cb/cb-run-history.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int
write_out (const char *text)
{
  gsize length = strlen (text);

  if (length > 0 && (fwrite (text, 1, length, stdout) != length || fflush (stdout) != 0))
    {
      g_printerr ("command-builder: cannot write the output: %s\n", g_strerror (errno));
      return 1;
    }
  return 0;
}

/**
 * cb_cli_runs:
 *
 * `command-builder runs [--json]`: the run folders under outputs/, newest first, with their
 * page, state (known for runs this app started), experiment name and best metric.
 */
int
cb_cli_runs (CbProject *project,
             gboolean   json)
{
  g_autofree char *outputs = cb_project_get_path (project, project->outputs_dir);
  g_autofree char *history_path = cb_run_history_path_for_project (project->root);
  g_autoptr(CbRunHistory) history = cb_run_history_new (history_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autofree char *text = NULL;
  guint n_skipped = 0;
  struct stat st;

  if (stat (outputs, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_printerr (_("command-builder: %s: no outputs folder (%s)\n"), outputs,
                  errno == 0 ? "not a folder" : g_strerror (errno));
      return 1;
    }

  if (!cb_run_history_load (history, &error))
    g_printerr ("command-builder: %s\n", error->message);

  runs = cb_runs_discover (project->root, outputs, NULL, &n_skipped);
  cb_runs_match_history (runs, cb_run_history_get_entries (history));
  text = json ? cb_runs_to_json (runs) : cb_runs_to_text (runs);
  if (n_skipped > 0)
    g_printerr (_("command-builder: skipped %u folders (unreadable, loops or too many)\n"),
                n_skipped);
  return write_out (text);
}

/**
 * cb_cli_metrics:
 * @path: a run folder, or one metrics.csv
 *
 * `command-builder metrics RUN_FOLDER [--json]`: the series the run logged.
 */
int
cb_cli_metrics (const char *path,
                gboolean    json)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbMetrics) metrics = NULL;
  g_autofree char *text = NULL;
  struct stat st;
  int status = 0;

  if (path == NULL)
    {
      g_printerr (_("command-builder: metrics needs a run folder\n"));
      return 2;
    }
  if (stat (path, &st) != 0)
    {
      g_printerr ("command-builder: %s: %s\n", path, g_strerror (errno));
      return 1;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_auto(GStrv) files = cb_metrics_find_files (path);

      if (files[0] == NULL)
        {
          g_printerr (_("command-builder: %s: no metrics.csv in this run (Lightning's CSV "
                        "logger writes csv/version_N/metrics.csv)\n"), path);
          return 1;
        }
      metrics = cb_metrics_read_run (path, problems);
    }
  else
    {
      g_autoptr(CbMetricsReader) reader = cb_metrics_reader_new (path);
      g_autoptr(GError) error = NULL;

      metrics = cb_metrics_reader_read (reader, TRUE, NULL, &error);
      if (metrics == NULL)
        {
          g_printerr ("command-builder: %s\n", error->message);
          return 1;
        }
      if (cb_metrics_get_n_bad_rows (metrics) > 0)
        g_ptr_array_add (problems,
                         cb_problem_new (CB_PROBLEM_WARNING, path, 0, 0,
                                         "%" G_GSIZE_FORMAT " rows could not be read",
                                         cb_metrics_get_n_bad_rows (metrics)));
    }

  for (guint i = 0; i < problems->len; i++)
    {
      const CbProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *line = cb_problem_to_string (problem);

      g_printerr ("%s\n", line);
      if (problem->severity == CB_PROBLEM_ERROR)
        status = 1;
    }

  text = json ? cb_metrics_to_json (metrics) : cb_metrics_to_text (metrics);
  if (write_out (text) != 0)
    return 1;
  return status;
}
