/* cb-job-slurm.c: a job on a Slurm cluster: submitted with sbatch, followed with squeue
 *
 * Every step is a small shell script run here or on the target's login host (cb-job-shell.c):
 * the submission writes the job script to the state folder and runs `sbatch --parsable` on
 * it; a probe asks squeue for every task of the job and, once one has ended, scontrol for its
 * exit code (Slurm forgets a job MinJobAge after its end: the end is recorded while it still
 * knows). A stop is graceful first (`scancel --full --signal=INT`, which reaches the batch
 * shell's children), then a plain scancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-job"

#include "config.h"

#include "cb-job-private.h"
#include "cb/cb-file-read.h"
#include "cb/cb-quote.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>

/* ---- submitting --------------------------------------------------------------------- */

gboolean
_cb_job_slurm_launch (CbJob         *self,
                      CbRunHistory  *history,
                      GError       **error)
{
  g_autoptr(GString) script = g_string_new (NULL);
  g_autofree char *dir = _cb_job_project_dir (self);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *slurm_id = NULL;
  GError *local_error = NULL;
  const char *id = cb_job_get_id (self);
  int status = 0;

  if (cb_job_get_slurm_script (self) == NULL)
    return _cb_job_fail_launch (self, g_error_new (CB_JOB_ERROR, CB_JOB_ERROR_FAILED,
                                                   _("The job has no job script")), error);
  if (!cb_job_save (self, error))
    return FALSE;

  _cb_job_append_state_dir (script, self);
  g_string_append_printf (script, "mkdir -p \"$D\" 2>&1 || exit %d\n", EXIT_NO_STATE);
  g_string_append_printf (script, "cd %s 2>/dev/null || exit %d\n", dir, EXIT_NO_FOLDER);
  g_string_append_printf (script, "command -v sbatch >/dev/null 2>&1 || exit %d\n",
                          EXIT_NO_SBATCH);
  /* Slurm does not make the output's folder: a job without it fails with no output. */
  g_string_append_printf (script, "mkdir -p " CB_SLURM_LOG_DIR " || exit %d\n", EXIT_NO_STATE);
  /* The job script comes on standard input: a large sweep's would not fit in one argument
   * (128 KiB at most). */
  g_string_append_printf (script, "(umask 077 && cat >\"$D/%s.sbatch\") || exit %d\n",
                          id, EXIT_NO_STATE);
  /* From the home folder: a --chdir under it is written relative to it. */
  g_string_append (script, "cd || exit 1\n");
  g_string_append_printf (script, "exec sbatch --parsable \"$D/%s.sbatch\"\n", id);

  if (!_cb_job_run_script_input (self, script->str, cb_job_get_slurm_script (self), &out, &err,
                                 &status, &local_error))
    return _cb_job_fail_launch (self, local_error, error);
  if (status == EXIT_NO_SBATCH)
    {
      g_autofree char *place = _cb_job_where (self);

      return _cb_job_fail_launch (self,
                                  g_error_new (CB_JOB_ERROR, CB_JOB_ERROR_NO_PROGRAM,
                                               _("sbatch is not installed on %s: is it the "
                                                 "cluster’s login node? (Slurm’s client "
                                                 "commands come with the slurm-client "
                                                 "package)"), place),
                                  error);
    }
  if (_cb_job_script_error (self, status, err, &local_error))
    return _cb_job_fail_launch (self, local_error, error);
  if (status != 0 || !cb_slurm_parse_job_id (out, &slurm_id))
    {
      g_autofree char *said = g_strstrip (g_strdup (err != NULL && *err ? err : out ? out : ""));

      return _cb_job_fail_launch (self,
                                  g_error_new (CB_JOB_ERROR, CB_JOB_ERROR_FAILED,
                                               _("Slurm refused the job: %s"),
                                               *said != '\0' ? said : _("sbatch said nothing")),
                                  error);
    }

  cb_job_set_slurm_tasks (self, slurm_id, NULL);
  cb_job_set_running (self, 0);
  if (!cb_job_save (self, error))
    return FALSE;
  if (history != NULL)
    {
      g_autoptr(CbRunRecord) record = _cb_job_started_record (self);

      cb_run_history_add (history, record, NULL);
    }
  g_debug ("Job %s submitted as Slurm job %s", id, slurm_id);
  return TRUE;
}

/* ---- following ---------------------------------------------------------------------- */

static const char *
ended_states_pattern (void)
{
  return "*COMPLETED*|*FAILED*|*CANCELLED*|*TIMEOUT*|*NODE_FAIL*|*PREEMPTED*|"
         "*OUT_OF_MEMORY*|*BOOT_FAIL*|*DEADLINE*|*SPECIAL_EXIT*|*REVOKED*";
}

static CbSlurmReport *
ask_slurm (CbJob   *self,
           GError **error)
{
  g_autofree char *slurm_id = _cb_job_q (cb_job_get_slurm_id (self));
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  script = g_strdup_printf ("out=$(squeue -h -t all -r -j %s -o '%%i|%%T|%%r|%%M|%%N|%%K' 2>&1)\n"
                            "rc=$?\n"
                            "printf '%%s\\n@rc=%%d\\n' \"$out\" \"$rc\"\n"
                            "case \"$out\" in %s)\n"
                            "  echo @scontrol; scontrol -o show job %s 2>/dev/null ;;\n"
                            "esac\n"
                            "exit 0\n", slurm_id, ended_states_pattern (), slurm_id);
  if (!_cb_job_run_script (self, script, &out, NULL, &status, error))
    return NULL;
  return cb_slurm_report_parse (out, out != NULL ? strlen (out) : 0);
}

static int
compare_tasks (gconstpointer a,
               gconstpointer b)
{
  const CbSlurmTask *x = *(CbSlurmTask **) a;
  const CbSlurmTask *y = *(CbSlurmTask **) b;

  return (x->task > y->task) - (x->task < y->task);
}

/* The tasks as known before, each replaced by what Slurm says now. A task Slurm no longer
 * lists has ended: a pending one was cancelled (Slurm keeps no record of it), one that ran
 * was forgotten before anyone saw its end. */
static GPtrArray *
merge_tasks (GPtrArray *known,
             GPtrArray *now,
             gboolean   array)
{
  GPtrArray *merged = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_slurm_task_free);

  for (guint i = 0; i < known->len; i++)
    {
      const CbSlurmTask *old = g_ptr_array_index (known, i);
      CbSlurmTask *kept;

      if (cb_slurm_find_task (now, old->task) != NULL)
        continue;
      kept = cb_slurm_task_copy (old);
      if (cb_slurm_state_is_active (kept->state))
        {
          gboolean pending = g_strcmp0 (kept->state, "PENDING") == 0;

          g_free (kept->state);
          kept->state = g_strdup (pending ? "CANCELLED" : "UNKNOWN");
          g_clear_pointer (&kept->reason, g_free);
        }
      g_ptr_array_add (merged, kept);
    }
  for (guint i = 0; i < now->len; i++)
    {
      const CbSlurmTask *task = g_ptr_array_index (now, i);

      /* An array's own record (its tasks cancelled before they started) is none of its
       * runs. */
      if (array && task->task < 0)
        continue;
      g_ptr_array_add (merged, cb_slurm_task_copy (task));
    }
  g_ptr_array_sort (merged, compare_tasks);
  return merged;
}

static gboolean
any_active (GPtrArray *tasks)
{
  for (guint i = 0; i < tasks->len; i++)
    if (cb_slurm_state_is_active (((CbSlurmTask *) g_ptr_array_index (tasks, i))->state))
      return TRUE;
  return FALSE;
}

/**
 * cb_job_dup_slurm_summary:
 *
 * What Slurm says of the job in a few words: "PENDING (Resources)", "RUNNING on node3",
 * "COMPLETED"; for an array, each state with its count: "2 RUNNING, 2 PENDING".
 * %NULL before Slurm said anything.
 */
char *
cb_job_dup_slurm_summary (CbJob *self)
{
  GPtrArray *tasks = cb_job_get_slurm_tasks (self);
  g_autoptr(GString) out = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) order = NULL;

  if (tasks->len == 0)
    return cb_job_get_slurm_id (self) != NULL ? g_strdup ("SUBMITTED") : NULL;
  if (tasks->len == 1 && ((CbSlurmTask *) g_ptr_array_index (tasks, 0))->task < 0)
    return cb_slurm_describe_task (g_ptr_array_index (tasks, 0));

  counts = g_hash_table_new (g_str_hash, g_str_equal);
  order = g_ptr_array_new ();
  for (guint i = 0; i < tasks->len; i++)
    {
      const CbSlurmTask *task = g_ptr_array_index (tasks, i);
      const char *state = task->state != NULL ? task->state : "?";
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, state));

      if (n == 0)
        g_ptr_array_add (order, (gpointer) state);
      g_hash_table_insert (counts, (gpointer) state, GUINT_TO_POINTER (n + 1));
    }
  out = g_string_new (NULL);
  for (guint i = 0; i < order->len; i++)
    g_string_append_printf (out, "%s%u %s", i > 0 ? ", " : "",
                            GPOINTER_TO_UINT (g_hash_table_lookup (counts, order->pdata[i])),
                            (const char *) order->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The job's end from its tasks' ends. */
static void
finish_from_tasks (CbJob      *self,
                   const char *vanished)
{
  GPtrArray *tasks = cb_job_get_slurm_tasks (self);
  const CbSlurmTask *worst = NULL;
  gboolean all_completed = tasks->len > 0;
  g_autofree char *summary = cb_job_dup_slurm_summary (self);

  for (guint i = 0; i < tasks->len; i++)
    {
      const CbSlurmTask *task = g_ptr_array_index (tasks, i);

      if (g_strcmp0 (task->state, "COMPLETED") != 0)
        {
          all_completed = FALSE;
          if (worst == NULL)
            worst = task;
        }
    }

  if (vanished != NULL && (tasks->len == 0 || any_active (tasks)))
    {
      g_autofree char *message = g_strdup_printf (_("Slurm no longer knows job %s (it forgets "
                                                    "jobs a while after they end); its last "
                                                    "state was %s"),
                                                  cb_job_get_slurm_id (self),
                                                  summary != NULL ? summary : "SUBMITTED");

      cb_job_set_finished (self, -1, 0, message);
      return;
    }
  if (all_completed)
    {
      cb_job_set_finished (self, 0, 0, NULL);
      return;
    }
  g_assert (worst != NULL);
  if (cb_job_get_stopped (self) && (g_strcmp0 (worst->state, "CANCELLED") == 0 ||
                                    g_strcmp0 (worst->state, "FAILED") == 0))
    cb_job_set_finished (self, -1, worst->signal > 0 ? worst->signal : SIGINT, NULL);
  else if (g_strcmp0 (worst->state, "FAILED") == 0 && worst->exit_status > 0)
    cb_job_set_finished (self, worst->exit_status, 0, NULL);
  else if (worst->exit_status == 0 && worst->signal == 53)
    cb_job_set_finished (self, -1, 0,
                         _("Slurm could not start it on its node (ExitCode 0:53): the job’s "
                           "folder or its output folder is missing there"));
  else if (g_strcmp0 (worst->state, "FAILED") == 0 && worst->signal > 0)
    cb_job_set_finished (self, -1, worst->signal, NULL);
  else
    {
      g_autofree char *message = NULL;

      if (g_strcmp0 (worst->state, "TIMEOUT") == 0)
        message = g_strdup_printf (_("Reached its time limit (%s)"), summary);
      else if (g_strcmp0 (worst->state, "CANCELLED") == 0)
        message = g_strdup_printf (_("Cancelled outside the app (%s)"), summary);
      else
        message = g_strdup_printf (_("Slurm ended it: %s"), summary);
      cb_job_set_finished (self, -1, 0, message);
    }
}

gboolean
_cb_job_slurm_probe (CbJob         *self,
                     CbRunHistory  *history,
                     GError       **error)
{
  g_autoptr(CbSlurmReport) report = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  GError *local_error = NULL;

  if (cb_job_get_slurm_id (self) == NULL)
    return TRUE;  /* not submitted yet: cb_job_probe() deals with a start that never came */

  report = ask_slurm (self, &local_error);
  if (report == NULL)
    {
      if (local_error->domain == CB_TARGET_ERROR)
        {
          cb_job_set_lost (self, local_error->message);
          cb_job_save (self, NULL);
        }
      g_propagate_error (error, local_error);
      return FALSE;
    }

  switch (report->kind)
    {
    case CB_SLURM_REPORT_FAILED:
      {
        g_autofree char *message = g_strdup_printf (_("Slurm cannot be asked: %s"),
                                                    report->error);

        cb_job_set_lost (self, message);
        cb_job_save (self, NULL);
        g_set_error_literal (error, CB_JOB_ERROR, CB_JOB_ERROR_FAILED, message);
        return FALSE;
      }

    case CB_SLURM_REPORT_VANISHED:
      finish_from_tasks (self, "vanished");
      break;

    case CB_SLURM_REPORT_TASKS:
    default:
      merged = merge_tasks (cb_job_get_slurm_tasks (self), report->tasks,
                            cb_job_get_n_runs (self) > 1);
      if (any_active (merged))
        {
          g_autoptr(CbJob) before = cb_job_copy (self);

          cb_job_set_slurm_tasks (self, cb_job_get_slurm_id (self), merged);
          if (cb_job_get_state (self) != CB_JOB_RUNNING &&
              cb_job_get_state (self) != CB_JOB_STOPPING)
            cb_job_set_running (self, 0);
          /* Written only when Slurm said something new. */
          if (cb_job_update_from (before, self))
            cb_job_save (self, NULL);
          return TRUE;
        }
      cb_job_set_slurm_tasks (self, cb_job_get_slurm_id (self), merged);
      finish_from_tasks (self, NULL);
      break;
    }

  cb_job_save (self, NULL);
  cb_job_record_end (self, history);
  return TRUE;
}

/* ---- stopping ----------------------------------------------------------------------- */

static gboolean
scancel (CbJob       *self,
         const char  *options,
         const char  *ids,
         GError     **error)
{
  g_autofree char *script = g_strdup_printf ("scancel %s %s 2>&1\n", options, ids);
  g_autofree char *out = NULL;
  int status = 0;

  if (!_cb_job_run_script (self, script, &out, NULL, &status, error))
    return FALSE;
  if (status != 0)
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_FAILED, _("scancel failed: %s"),
                   g_strstrip (out));
      return FALSE;
    }
  return TRUE;
}

static gboolean
wait_ended (CbJob         *self,
            CbRunHistory  *history,
            guint          timeout_ms,
            GCancellable  *cancellable,
            GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  do
    {
      g_usleep (200 * 1000);
      if (!_cb_job_slurm_probe (self, history, error))
        return FALSE;
      if (!cb_job_is_active (self))
        return TRUE;
    }
  while (g_get_monotonic_time () < deadline && !g_cancellable_is_cancelled (cancellable));
  return FALSE;
}

gboolean
_cb_job_slurm_stop (CbJob         *self,
                    CbRunHistory  *history,
                    guint          interrupt_ms,
                    guint          terminate_ms,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree char *whole = NULL;
  g_autoptr(GError) ignored = NULL;

  if (!_cb_job_slurm_probe (self, history, error))
    return FALSE;
  if (!cb_job_is_active (self))
    return TRUE;
  whole = _cb_job_q (cb_job_get_slurm_id (self));
  cb_job_set_stopping (self);
  cb_job_save (self, NULL);

  /* What only waits goes first (a sweep's next task would start as one ends); then
   * Ctrl+C to what runs, the batch shells and their children (a training saves its
   * state); then, whatever came of it, the plain scancel of the whole job. */
  if (!scancel (self, "--state=PENDING", whole, &ignored))
    g_debug ("Job %s: %s", cb_job_get_id (self), ignored->message);
  g_clear_error (&ignored);
  if (!scancel (self, "--full --signal=INT", whole, &ignored))
    g_debug ("Job %s: %s", cb_job_get_id (self), ignored->message);
  else if (wait_ended (self, history, interrupt_ms, cancellable, error))
    return TRUE;
  if (cb_job_get_state (self) == CB_JOB_LOST || g_cancellable_is_cancelled (cancellable))
    return FALSE;
  if (!scancel (self, "", whole, error))
    return FALSE;
  /* Slurm gives a job that ignores SIGTERM its KillWait before SIGKILL. */
  if (wait_ended (self, history, MAX (terminate_ms, 1000) + 60 * 1000, cancellable, error))
    return TRUE;
  if (error != NULL && *error == NULL)
    g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_FAILED,
                 _("Slurm has not ended job %s yet"), cb_job_get_slurm_id (self));
  return FALSE;
}

/* ---- output ------------------------------------------------------------------------- */

/**
 * cb_job_dup_slurm_output:
 * @task: an array's task, or -1 for every file of the job
 *
 * Returns: the output file of the job or @task, relative to the project on the cluster;
 *   %NULL before the job has an id
 */
char *
cb_job_dup_slurm_output (CbJob *self,
                         int    task)
{
  g_autofree char *name = cb_slurm_job_name (cb_job_get_experiment (self));

  if (cb_job_get_slurm_id (self) == NULL)
    return NULL;
  return cb_slurm_output_file (name, cb_job_get_slurm_id (self),
                               cb_job_get_n_runs (self) > 1 ? MAX (task, 0) : -1);
}

/* The job's output files, quoted for the shell, relative to the project. */
static char *
quoted_outputs (CbJob *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = cb_job_get_n_runs (self);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *file = cb_job_dup_slurm_output (self, (int) i);
      g_autofree char *quoted = _cb_job_q (file);

      g_string_append_printf (out, "%s%s", i > 0 ? " " : "", quoted);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
_cb_job_slurm_read_output (CbJob     *self,
                           gboolean   history_only,
                           GError   **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *files = NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  /* While it runs, the follower shows the files from their start. */
  if (cb_job_get_slurm_id (self) == NULL || (history_only && cb_job_is_active (self)))
    return g_strdup ("");
  dir = _cb_job_project_dir (self);
  files = quoted_outputs (self);
  /* An array's files one after the other, each under its name as tail says it. */
  script = g_strdup_printf ("cd %s 2>/dev/null || exit 0\n"
                            "for f in %s; do\n"
                            "  [ -f \"$f\" ] || continue\n"
                            "  [ %u -gt 1 ] && printf '==> %%s <==\\n' \"$f\"\n"
                            "  cat \"$f\"\n"
                            "done\nexit 0\n", dir, files, cb_job_get_n_runs (self));
  if (!_cb_job_run_script (self, script, &out, NULL, &status, error))
    return NULL;
  return g_steal_pointer (&out);
}

/* Follows the output file(s) from their start as they grow; before the job starts, says it
 * waits. It ends a moment after Slurm no longer lists the job as waiting or running (or
 * cannot be asked: the view then looks at the job and attaches again). */
char **
_cb_job_slurm_attach_argv (CbJob *self)
{
  g_autofree char *dir = _cb_job_project_dir (self);
  g_autofree char *files = quoted_outputs (self);
  g_autofree char *slurm_id = _cb_job_q (cb_job_get_slurm_id (self) ? cb_job_get_slurm_id (self)
                                                                    : "?");
  g_autofree char *waiting = _cb_job_q (_("Waiting for Slurm to start job"));
  g_autofree char *states = g_strjoinv (",", (char **) cb_slurm_active_states ());
  g_autofree char *script = NULL;

  script = g_strdup_printf ("cd %s || exit 1\n"
                            "set -- %s\n"
                            "[ -e \"$1\" ] || printf '%%s %%s…\\r\\n' %s %s\n"
                            "active() { [ -n \"$(squeue -h -j %s -t %s -o %%i "
                            "2>/dev/null)\" ]; }\n"
                            "until [ -e \"$1\" ]; do active || exit 0; sleep 1; done\n"
                            "tail -n +1 -F \"$@\" 2>/dev/null & t=$!\n"
                            "trap 'kill $t 2>/dev/null; exit 0' HUP INT TERM\n"
                            "while active; do sleep 2; done\n"
                            "sleep 1; kill $t 2>/dev/null; exit 0\n",
                            dir, files, waiting, slurm_id, slurm_id, states);
  if (_cb_job_here (self))
    {
      char **argv = g_new0 (char *, 4);

      argv[0] = g_strdup ("/bin/sh");
      argv[1] = g_strdup ("-c");
      argv[2] = g_steal_pointer (&script);
      return argv;
    }
  else
    {
      g_autofree char *remote = cb_target_remote_script (script);

      return cb_target_ssh_argv (cb_job_get_target (self), TRUE, remote);
    }
}
