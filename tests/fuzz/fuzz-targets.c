/* fuzz-targets.c: any text as a project's targets.yaml, and as a job's state file
 *
 * The input is both: before the first NUL (or the middle) targets.yaml, after it a job's
 * key file. What targets.yaml gives, written and read again, must give the same targets with
 * no problem; a job that loads must describe itself and its command on its target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-job.h"
#include "cb/cb-problem.h"
#include "cb/cb-target.h"
#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *split = memchr (text, '\0', size);
  gsize first = split ? (gsize) (split - text) : size / 2;
  GPtrArray *problems = cb_problem_list_new ();
  GPtrArray *again_problems = cb_problem_list_new ();
  GPtrArray *targets = cb_targets_parse (text, first, "targets.yaml", problems);
  char *yaml = cb_targets_to_yaml (targets);
  GPtrArray *again = cb_targets_parse (yaml, strlen (yaml), "again.yaml", again_problems);
  CbJob *job;

  if (again->len != targets->len || again_problems->len != 0)
    abort ();
  for (guint i = 0; i < targets->len; i++)
    {
      CbTarget *a = g_ptr_array_index (targets, i);
      CbTarget *b = g_ptr_array_index (again, i);

      if (g_strcmp0 (a->name, b->name) != 0 || g_strcmp0 (a->host, b->host) != 0 ||
          g_strcmp0 (a->project_dir, b->project_dir) != 0 || a->port != b->port ||
          g_strv_length (a->setup) != g_strv_length (b->setup))
        abort ();
    }

  job = cb_job_load_data (text + first + (split ? 1 : 0), size - first - (split ? 1 : 0),
                          "/state/2612-x.ini", NULL);
  if (job != NULL)
    {
      char *state = cb_job_describe_state (job);
      char *command = cb_job_dup_target_command (job);

      free (state);
      free (command);
      g_object_unref (job);
    }

  g_free (yaml);
  g_ptr_array_unref (again);
  g_ptr_array_unref (targets);
  g_ptr_array_unref (again_problems);
  g_ptr_array_unref (problems);
  return 0;
}
