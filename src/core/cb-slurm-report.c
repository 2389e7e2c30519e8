/* cb-slurm-report.c: what squeue and scontrol say about one job, read
 *
 * The probe (cb-job-slurm.c) runs, here or on the login host:
 *
 *   squeue -h -t all -r -j ID -o '%i|%T|%r|%M|%N|%K'   (then "@rc=N")
 *   scontrol -o show job ID                            (after "@scontrol", once a task ended)
 *
 * squeue's `|` fields cannot hold a `|`; scontrol's `-o` line does not quote its values (a
 * folder with a space breaks it), so only the fields that come before any free text are
 * read from it: JobId, ArrayTaskId, JobState and ExitCode (the job's name, which comes
 * first, is ours and has no blank). This is outside text: every line may be anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-slurm"

#include "config.h"

#include "cb/cb-slurm.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

/* A report names at most this many tasks (CB_SWEEP_MAX_RUNS and some). */
#define MAX_TASKS 4096
#define MAX_FIELD 256

void
cb_slurm_task_free (CbSlurmTask *task)
{
  if (task == NULL)
    return;
  g_free (task->state);
  g_free (task->reason);
  g_free (task->node);
  g_free (task->elapsed);
  g_free (task);
}

CbSlurmTask *
cb_slurm_task_copy (const CbSlurmTask *task)
{
  CbSlurmTask *copy = g_new0 (CbSlurmTask, 1);

  *copy = *task;
  copy->state = g_strdup (task->state);
  copy->reason = g_strdup (task->reason);
  copy->node = g_strdup (task->node);
  copy->elapsed = g_strdup (task->elapsed);
  return copy;
}

void
cb_slurm_report_free (CbSlurmReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->tasks);
  g_free (report->error);
  g_free (report);
}

static const char * const active_states[] = {
  "PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED",
  "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED",
  "RESV_DEL_HOLD", NULL
};

/* States in which the job has not ended (it waits, runs, or is being cleaned up). */
gboolean
cb_slurm_state_is_active (const char *state)
{
  return state != NULL && g_strv_contains (active_states, state);
}

/* Every one of them, for squeue's `-t`. */
const char * const *
cb_slurm_active_states (void)
{
  return active_states;
}

/* A field as the app keeps it: printable UTF-8, at most MAX_FIELD bytes; "" and Slurm's
 * "(null)" and "None" are nothing. */
static char *
field (const char *text,
       gsize       length)
{
  g_autofree char *copy = g_strndup (text, MIN (length, MAX_FIELD));
  char *valid;

  g_strstrip (copy);
  if (*copy == '\0' || g_str_equal (copy, "(null)") || g_str_equal (copy, "None") ||
      g_str_equal (copy, "N/A"))
    return NULL;
  valid = g_utf8_make_valid (copy, -1);
  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  return valid;
}

static gboolean
parse_int (const char *text,
           int         min,
           int         max,
           int        *value)
{
  gint64 number = 0;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, min, max, &number, NULL))
    return FALSE;
  *value = (int) number;
  return TRUE;
}

static gboolean
state_is_word (const char *state)
{
  if (state == NULL || *state == '\0')
    return FALSE;
  for (const char *p = state; *p != '\0'; p++)
    if (!g_ascii_isupper (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* "23_1|RUNNING|None|0:05|localhost|1" */
static CbSlurmTask *
parse_squeue_line (const char *line)
{
  g_auto(GStrv) fields = g_strsplit (line, "|", 7);
  g_autoptr(CbSlurmTask) task = NULL;
  g_autofree char *task_text = NULL;

  if (g_strv_length (fields) != 6)
    return NULL;
  task = g_new0 (CbSlurmTask, 1);
  task->exit_status = -1;
  task->state = field (fields[1], strlen (fields[1]));
  if (!state_is_word (task->state))
    return NULL;
  task->reason = field (fields[2], strlen (fields[2]));
  task->elapsed = field (fields[3], strlen (fields[3]));
  task->node = field (fields[4], strlen (fields[4]));
  task_text = field (fields[5], strlen (fields[5]));
  task->task = -1;
  if (task_text != NULL && !parse_int (task_text, 0, G_MAXINT, &task->task))
    return NULL;
  return g_steal_pointer (&task);
}

/* The task of @index (-1: the job that is no array) in @tasks, or %NULL. */
CbSlurmTask *
cb_slurm_find_task (GPtrArray *tasks,
                    int        index)
{
  for (guint i = 0; i < tasks->len; i++)
    {
      CbSlurmTask *task = g_ptr_array_index (tasks, i);

      if (task->task == index)
        return task;
    }
  return NULL;
}

/* "JobId=25 JobName=x ArrayJobId=23 ArrayTaskId=1 … JobState=COMPLETED … ExitCode=3:0 …" */
static void
parse_scontrol_line (const char *line,
                     GPtrArray  *tasks)
{
  g_auto(GStrv) words = g_strsplit (line, " ", 64);
  g_autofree char *state = NULL;
  int task_index = -1;
  int code = -1;
  int signo = 0;
  gboolean have_exit = FALSE;
  CbSlurmTask *task;

  for (guint i = 0; words[i] != NULL && !have_exit; i++)
    {
      const char *word = words[i];

      if (g_str_has_prefix (word, "ArrayTaskId="))
        {
          if (!parse_int (word + strlen ("ArrayTaskId="), 0, G_MAXINT, &task_index))
            return;  /* "1-3": tasks not started, no ends yet */
        }
      else if (g_str_has_prefix (word, "JobState=") && state == NULL)
        state = field (word + strlen ("JobState="), strlen (word + strlen ("JobState=")));
      else if (g_str_has_prefix (word, "ExitCode="))
        {
          g_auto(GStrv) parts = g_strsplit (word + strlen ("ExitCode="), ":", 3);

          if (g_strv_length (parts) != 2 || !parse_int (parts[0], 0, 255, &code) ||
              !parse_int (parts[1], 0, 127, &signo))
            return;
          have_exit = TRUE;
        }
    }
  if (!have_exit || !state_is_word (state) || cb_slurm_state_is_active (state))
    return;

  task = cb_slurm_find_task (tasks, task_index);
  if (task == NULL && tasks->len < MAX_TASKS)
    {
      /* Ended, and already gone from squeue's answer: scontrol still knows. */
      task = g_new0 (CbSlurmTask, 1);
      task->task = task_index;
      task->state = g_strdup (state);
      g_ptr_array_add (tasks, task);
    }
  if (task == NULL || cb_slurm_state_is_active (task->state))
    return;
  task->exit_status = code;
  task->signal = signo;
}

/**
 * cb_slurm_report_parse:
 *
 * Returns: (transfer full): what the probe's output says; never %NULL
 */
CbSlurmReport *
cb_slurm_report_parse (const char *text,
                       gsize       length)
{
  CbSlurmReport *report = g_new0 (CbSlurmReport, 1);
  g_autofree char *copy = g_strndup (text != NULL ? text : "", text != NULL ? length : 0);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
  g_autoptr(GString) said = g_string_new (NULL);
  gboolean in_scontrol = FALSE;
  int rc = -1;

  report->tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_slurm_task_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "@rc="))
        {
          if (!parse_int (line + 4, 0, 255, &rc))
            rc = 255;
          continue;
        }
      if (g_str_equal (line, "@scontrol"))
        {
          in_scontrol = TRUE;
          continue;
        }
      if (in_scontrol)
        {
          if (g_str_has_prefix (line, "JobId="))
            parse_scontrol_line (line, report->tasks);
          continue;
        }
      if (rc == -1)
        {
          CbSlurmTask *task = report->tasks->len < MAX_TASKS ? parse_squeue_line (line) : NULL;

          if (task != NULL && cb_slurm_find_task (report->tasks, task->task) == NULL)
            g_ptr_array_add (report->tasks, task);
          else
            {
              cb_slurm_task_free (task);
              if (*line != '\0' && said->len < 4096)
                g_string_append_printf (said, "%s%s", said->len > 0 ? "\n" : "", line);
            }
        }
    }

  if (rc == 0 && report->tasks->len > 0)
    report->kind = CB_SLURM_REPORT_TASKS;
  else if (strstr (said->str, "Invalid job id") != NULL ||
           (rc == 0 && report->tasks->len == 0 && said->len == 0))
    report->kind = CB_SLURM_REPORT_VANISHED;
  else
    {
      g_autofree char *valid = g_utf8_make_valid (said->str, -1);

      report->kind = CB_SLURM_REPORT_FAILED;
      report->error = g_strdup (*valid != '\0' ? g_strstrip (valid)
                                               : _("squeue gave no answer"));
    }
  return report;
}

/**
 * cb_slurm_describe_task:
 *
 * "PENDING (Resources)", "RUNNING on node3", "FAILED, exit 3", "CANCELLED".
 */
char *
cb_slurm_describe_task (const CbSlurmTask *task)
{
  GString *out = g_string_new (task->state != NULL ? task->state : "?");

  if (task->reason != NULL && g_strcmp0 (task->state, "PENDING") == 0)
    g_string_append_printf (out, " (%s)", task->reason);
  else if (task->node != NULL && cb_slurm_state_is_active (task->state))
    /* TRANSLATORS: a Slurm job's state and its node, e.g. "RUNNING on node3" */
    g_string_append_printf (out, _(" on %s"), task->node);
  else if (task->signal > 0)
    g_string_append_printf (out, _(", signal %d"), task->signal);
  else if (task->exit_status > 0)
    g_string_append_printf (out, _(", exit %d"), task->exit_status);
  return g_string_free (out, FALSE);
}
