/* fuzz-slurm.c: any text as what squeue and scontrol said, and as an experiment's name
 *
 * The report must hold only tasks with a state of capital letters, printable fields and
 * exit codes in range, and describe each; a job's name made of any text must be one an
 * #SBATCH line and a file name can take, and the job script of any name must be made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-slurm.h"
#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>

static void
check_field (const char *text)
{
  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL) || strchr (text, '|') != NULL)
    abort ();
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CbSlurmReport *report = cb_slurm_report_parse ((const char *) data, size);
  char *name = g_strndup ((const char *) data, MIN (size, 512));
  char *job_name = cb_slurm_job_name (name);
  CbTarget *target = cb_target_new_slurm ("fuzz");
  const char * const argv[] = { "python3", "runners/train.py", name, NULL };
  CbSlurmScript spec = { 0 };
  char *script;

  if (report->kind == CB_SLURM_REPORT_FAILED && report->error == NULL)
    abort ();
  for (guint i = 0; i < report->tasks->len; i++)
    {
      CbSlurmTask *task = g_ptr_array_index (report->tasks, i);
      char *text;

      if (task->state == NULL || task->exit_status < -1 || task->exit_status > 255 ||
          task->signal < 0 || task->signal > 127 || task->task < -1)
        abort ();
      for (const char *p = task->state; *p != '\0'; p++)
        if (!g_ascii_isupper (*p) && *p != '_')
          abort ();
      check_field (task->reason);
      check_field (task->node);
      check_field (task->elapsed);
      text = cb_slurm_describe_task (task);
      free (text);
    }

  /* A job name: no blank, quote, `$`, `=`, `%`, `/` or `\`, not an option. */
  if (*job_name == '\0' || job_name[0] == '-' || !g_utf8_validate (job_name, -1, NULL) ||
      strpbrk (job_name, " \t\n\"'$=%/\\`") != NULL || strlen (job_name) > 64 + 4)
    abort ();

  spec.target = target;
  spec.experiment = name;
  spec.project_dir = "/p";
  spec.argv = g_utf8_validate (name, -1, NULL) ? argv : NULL;
  if (spec.argv != NULL)
    {
      script = cb_slurm_script_new (&spec);
      if (script == NULL || !g_str_has_prefix (script, "#!/bin/bash\n"))
        abort ();
      free (script);
    }

  cb_target_free (target);
  free (job_name);
  g_free (name);
  cb_slurm_report_free (report);
  return 0;
}
