/* cb-job-store.c: a job's file on disk, and the project's jobs
 *
 * One key file per job (the format is in cb-job.c's opening comment), written atomically;
 * a job's Slurm tasks and its target go with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-job"

#include "config.h"

#include "cb-job-object.h"
#include "cb/cb-file-read.h"
#include "cb/cb-problem.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

/* ---- on disk ------------------------------------------------------------------------ */

/**
 * cb_job_dir_for_project:
 *
 * Returns: `$XDG_STATE_HOME/command-builder/jobs/<digest>`, the digest being the run
 *   history's for the same project.
 */
char *
cb_job_dir_for_project (const char *project_root)
{
  g_autofree char *history = cb_run_history_path_for_project (project_root);
  g_autofree char *base = g_path_get_basename (history);
  char *dot = strrchr (base, '.');

  if (dot != NULL)
    *dot = '\0';
  return g_build_filename (g_get_user_state_dir (), "command-builder", "jobs", base, NULL);
}

/* Each task as "index|state|reason|node|elapsed|exit|signal". */
static void
tasks_to_key_file (GPtrArray *tasks,
                   GKeyFile  *key_file)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  if (tasks->len == 0)
    return;
  for (guint i = 0; i < tasks->len; i++)
    {
      const CbSlurmTask *t = g_ptr_array_index (tasks, i);
      char *line = g_strdup_printf ("%d|%s|%s|%s|%s|%d|%d", t->task, t->state ? t->state : "",
                                    t->reason ? t->reason : "", t->node ? t->node : "",
                                    t->elapsed ? t->elapsed : "", t->exit_status, t->signal);

      g_strv_builder_add (lines, line);
      g_free (line);
    }
  strv = g_strv_builder_end (lines);
  g_key_file_set_string_list (key_file, JOB_GROUP, "slurm-tasks", (const char * const *) strv,
                              g_strv_length (strv));
}

static void
tasks_from_key_file (GPtrArray *tasks,
                     GKeyFile  *key_file)
{
  g_auto(GStrv) lines = g_key_file_get_string_list (key_file, JOB_GROUP, "slurm-tasks", NULL,
                                                    NULL);

  for (guint i = 0; lines != NULL && lines[i] != NULL && i < 4096; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "|", 8);
      CbSlurmTask *t;

      if (g_strv_length (f) != 7)
        continue;
      t = g_new0 (CbSlurmTask, 1);
      t->task = (int) CLAMP (g_ascii_strtoll (f[0], NULL, 10), -1, G_MAXINT);
      t->state = *f[1] ? g_strdup (f[1]) : NULL;
      t->reason = *f[2] ? g_strdup (f[2]) : NULL;
      t->node = *f[3] ? g_strdup (f[3]) : NULL;
      t->elapsed = *f[4] ? g_strdup (f[4]) : NULL;
      t->exit_status = (int) CLAMP (g_ascii_strtoll (f[5], NULL, 10), -1, 255);
      t->signal = (int) CLAMP (g_ascii_strtoll (f[6], NULL, 10), 0, 127);
      g_ptr_array_add (tasks, t);
    }
}

static char **
replace_strv (char **old,
              char **new)
{
  g_strfreev (old);
  return new != NULL ? new : g_new0 (char *, 1);
}

static void
slurm_to_key_file (const CbSlurmOptions *o,
                   GKeyFile             *key_file)
{
  const struct { const char *key; const char *value; } words[] = {
    { "partition", o->partition }, { "time", o->time }, { "mem", o->mem },
    { "account", o->account }, { "qos", o->qos },
  };

  g_key_file_set_string (key_file, TARGET_GROUP, "kind", "slurm");
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (words[i].value != NULL)
      g_key_file_set_string (key_file, TARGET_GROUP, words[i].key, words[i].value);
  g_key_file_set_integer (key_file, TARGET_GROUP, "gpus", o->gpus);
  g_key_file_set_integer (key_file, TARGET_GROUP, "cpus-per-task", o->cpus_per_task);
  g_key_file_set_integer (key_file, TARGET_GROUP, "array-limit", o->array_limit);
  g_key_file_set_string_list (key_file, TARGET_GROUP, "sbatch",
                              (const char * const *) o->sbatch, g_strv_length (o->sbatch));
}

static void
slurm_from_key_file (CbSlurmOptions *o,
                     GKeyFile       *key_file)
{
  o->partition = g_key_file_get_string (key_file, TARGET_GROUP, "partition", NULL);
  o->time = g_key_file_get_string (key_file, TARGET_GROUP, "time", NULL);
  o->mem = g_key_file_get_string (key_file, TARGET_GROUP, "mem", NULL);
  o->account = g_key_file_get_string (key_file, TARGET_GROUP, "account", NULL);
  o->qos = g_key_file_get_string (key_file, TARGET_GROUP, "qos", NULL);
  o->gpus = g_key_file_get_integer (key_file, TARGET_GROUP, "gpus", NULL);
  o->cpus_per_task = g_key_file_get_integer (key_file, TARGET_GROUP, "cpus-per-task", NULL);
  o->array_limit = g_key_file_get_integer (key_file, TARGET_GROUP, "array-limit", NULL);
  o->sbatch = replace_strv (o->sbatch, g_key_file_get_string_list (key_file, TARGET_GROUP,
                                                                   "sbatch", NULL, NULL));
}

static void
target_to_key_file (const CbTarget *target,
                    GKeyFile       *key_file)
{
  g_key_file_set_string (key_file, TARGET_GROUP, "name", target->name);
  if (cb_target_is_local (target))
    return;
  if (target->slurm != NULL)
    slurm_to_key_file (target->slurm, key_file);
  if (target->host == NULL)
    {
      g_key_file_set_string_list (key_file, TARGET_GROUP, "setup",
                                  (const char * const *) target->setup,
                                  g_strv_length (target->setup));
      return;
    }
  g_key_file_set_string (key_file, TARGET_GROUP, "host", target->host);
  if (target->user != NULL)
    g_key_file_set_string (key_file, TARGET_GROUP, "user", target->user);
  if (target->port > 0)
    g_key_file_set_integer (key_file, TARGET_GROUP, "port", target->port);
  if (target->identity_file != NULL)
    g_key_file_set_string (key_file, TARGET_GROUP, "identity-file", target->identity_file);
  g_key_file_set_string (key_file, TARGET_GROUP, "project-dir", target->project_dir);
  g_key_file_set_string_list (key_file, TARGET_GROUP, "setup",
                              (const char * const *) target->setup,
                              g_strv_length (target->setup));
  g_key_file_set_string_list (key_file, TARGET_GROUP, "ssh-options",
                              (const char * const *) target->ssh_options,
                              g_strv_length (target->ssh_options));
}

static CbTarget *
target_from_key_file (GKeyFile *key_file)
{
  g_autofree char *name = g_key_file_get_string (key_file, TARGET_GROUP, "name", NULL);
  g_autofree char *host = g_key_file_get_string (key_file, TARGET_GROUP, "host", NULL);
  CbTarget *target;

  g_autofree char *kind = g_key_file_get_string (key_file, TARGET_GROUP, "kind", NULL);

  if (g_strcmp0 (kind, "slurm") == 0)
    {
      target = cb_target_new_slurm (name);
      slurm_from_key_file (target->slurm, key_file);
      if (host == NULL)
        {
          target->setup = replace_strv (target->setup,
                                        g_key_file_get_string_list (key_file, TARGET_GROUP,
                                                                    "setup", NULL, NULL));
          if (!cb_target_check (target, NULL))
            g_clear_pointer (&target, cb_target_free);
          return target;
        }
      target->host = g_strdup (host);
    }
  else if (host == NULL)
    return cb_target_new_local ();
  else
    target = cb_target_new_ssh (name, host);
  target->user = g_key_file_get_string (key_file, TARGET_GROUP, "user", NULL);
  target->port = g_key_file_get_integer (key_file, TARGET_GROUP, "port", NULL);
  target->identity_file = g_key_file_get_string (key_file, TARGET_GROUP, "identity-file", NULL);
  target->project_dir = g_key_file_get_string (key_file, TARGET_GROUP, "project-dir", NULL);
  g_strfreev (target->setup);
  target->setup = g_key_file_get_string_list (key_file, TARGET_GROUP, "setup", NULL, NULL);
  if (target->setup == NULL)
    target->setup = g_new0 (char *, 1);
  g_strfreev (target->ssh_options);
  target->ssh_options = g_key_file_get_string_list (key_file, TARGET_GROUP, "ssh-options", NULL,
                                                    NULL);
  if (target->ssh_options == NULL)
    target->ssh_options = g_new0 (char *, 1);
  if (!cb_target_check (target, NULL))
    {
      cb_target_free (target);
      return NULL;
    }
  return target;
}

static char *
job_path (const char *project_root,
          const char *id)
{
  g_autofree char *dir = cb_job_dir_for_project (project_root);
  g_autofree char *name = g_strconcat (id, ".ini", NULL);

  return g_build_filename (dir, name, NULL);
}

/**
 * cb_job_save:
 *
 * Writes the job's file, atomically, making its folder first.
 */
gboolean
cb_job_save (CbJob   *self,
             GError **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *dir = cb_job_dir_for_project (self->project_root);
  g_autofree char *path = job_path (self->project_root, self->id);
  g_autofree char *data = NULL;
  gsize length = 0;

  /* Stop is asked once, by whichever process: a worker that looked at the job before the
   * ask and saves after it does not take the ask back. */
  if (!self->stopped)
    {
      g_autoptr(GKeyFile) on_disk = g_key_file_new ();

      if (g_key_file_load_from_file (on_disk, path, G_KEY_FILE_NONE, NULL) &&
          g_key_file_get_boolean (on_disk, JOB_GROUP, "stopped", NULL))
        {
          self->stopped = TRUE;
          if (self->state == CB_JOB_RUNNING)
            self->state = CB_JOB_STOPPING;
        }
    }

  g_key_file_set_integer (key_file, JOB_GROUP, "version", JOB_VERSION);
  g_key_file_set_string (key_file, JOB_GROUP, "id", self->id);
  g_key_file_set_string (key_file, JOB_GROUP, "project", self->project_root);
  if (self->page != NULL)
    g_key_file_set_string (key_file, JOB_GROUP, "page", self->page);
  g_key_file_set_string_list (key_file, JOB_GROUP, "argv", (const char * const *) self->argv,
                              g_strv_length (self->argv));
  g_key_file_set_string (key_file, JOB_GROUP, "display", self->display);
  g_key_file_set_string (key_file, JOB_GROUP, "state", cb_job_state_to_string (self->state));
  g_key_file_set_int64 (key_file, JOB_GROUP, "start", self->start_time);
  g_key_file_set_int64 (key_file, JOB_GROUP, "end", self->end_time);
  g_key_file_set_integer (key_file, JOB_GROUP, "exit-status", self->exit_status);
  g_key_file_set_integer (key_file, JOB_GROUP, "signal", self->signal);
  g_key_file_set_boolean (key_file, JOB_GROUP, "stopped", self->stopped);
  g_key_file_set_int64 (key_file, JOB_GROUP, "pgid", self->pgid);
  if (self->message != NULL)
    g_key_file_set_string (key_file, JOB_GROUP, "message", self->message);
  if (self->n_runs > 1)
    g_key_file_set_integer (key_file, JOB_GROUP, "runs", (int) self->n_runs);
  if (self->slurm_id != NULL)
    g_key_file_set_string (key_file, JOB_GROUP, "slurm-id", self->slurm_id);
  tasks_to_key_file (self->slurm_tasks, key_file);
  target_to_key_file (self->target, key_file);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (key_file, &length, NULL);
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

/**
 * cb_job_load_file:
 *
 * Reads one job file. A file that is not one (unknown version, no id or argv, an id that is
 * not its name's) is %CB_JOB_ERROR_CORRUPT.
 */
CbJob *
cb_job_load_file (const char  *path,
                  GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!cb_file_read_regular (path, CB_FILE_KIND_RUN_RECORD, &data, &length, error))
    return NULL;
  return cb_job_load_data (data, length, path, error);
}

/**
 * cb_job_load_data:
 * @path: the file @data was read from: its name must be the job's id and ".ini"
 *
 * Reads one job file's text; see cb_job_load_file().
 */
CbJob *
cb_job_load_data (const char  *data,
                  gsize        length,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(CbJob) self = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *state = NULL;
  GError *local_error = NULL;

  if (!g_key_file_load_from_data (key_file, data, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_CORRUPT, "%s: %s", path,
                   local_error->message);
      g_error_free (local_error);
      return NULL;
    }

  self = g_object_new (CB_TYPE_JOB, NULL);
  self->id = g_key_file_get_string (key_file, JOB_GROUP, "id", NULL);
  self->project_root = g_key_file_get_string (key_file, JOB_GROUP, "project", NULL);
  self->argv = g_key_file_get_string_list (key_file, JOB_GROUP, "argv", NULL, NULL);
  self->target = target_from_key_file (key_file);
  if (g_key_file_get_integer (key_file, JOB_GROUP, "version", NULL) != JOB_VERSION ||
      !_cb_job_id_is_valid (self->id) || !g_str_has_prefix (base, self->id) ||
      !g_str_equal (base + strlen (self->id), ".ini") || self->project_root == NULL ||
      self->argv == NULL || self->argv[0] == NULL || self->target == NULL)
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_CORRUPT, _("%s is not a job’s file"), path);
      return NULL;
    }
  self->page = g_key_file_get_string (key_file, JOB_GROUP, "page", NULL);
  self->display = g_key_file_get_string (key_file, JOB_GROUP, "display", NULL);
  if (self->display == NULL)
    self->display = g_strjoinv (" ", self->argv);
  self->experiment = _cb_job_find_experiment (self->argv);
  state = g_key_file_get_string (key_file, JOB_GROUP, "state", NULL);
  self->state = _cb_job_state_from_string (state);
  self->start_time = g_key_file_get_int64 (key_file, JOB_GROUP, "start", NULL);
  self->end_time = g_key_file_get_int64 (key_file, JOB_GROUP, "end", NULL);
  self->exit_status = g_key_file_get_integer (key_file, JOB_GROUP, "exit-status", NULL);
  self->signal = CLAMP (g_key_file_get_integer (key_file, JOB_GROUP, "signal", NULL), 0, 64);
  if (self->exit_status < -1 || self->exit_status > 255)
    self->exit_status = -1;
  self->stopped = g_key_file_get_boolean (key_file, JOB_GROUP, "stopped", NULL);
  self->pgid = MAX (g_key_file_get_int64 (key_file, JOB_GROUP, "pgid", NULL), 0);
  if (self->pgid > G_MAXINT)
    self->pgid = 0;
  self->message = g_key_file_get_string (key_file, JOB_GROUP, "message", NULL);
  self->n_runs = (guint) CLAMP (g_key_file_get_integer (key_file, JOB_GROUP, "runs", NULL), 0,
                                100000);
  self->slurm_id = g_key_file_get_string (key_file, JOB_GROUP, "slurm-id", NULL);
  /* It goes into shell lines: digits only, as sbatch gave it. */
  if (self->slurm_id != NULL &&
      (*self->slurm_id == '\0' || strlen (self->slurm_id) > 20 ||
       strspn (self->slurm_id, "0123456789") != strlen (self->slurm_id)))
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_CORRUPT, _("%s is not a job’s file"), path);
      return NULL;
    }
  tasks_from_key_file (self->slurm_tasks, key_file);
  _cb_job_set_paths (self);
  return g_steal_pointer (&self);
}

CbJob *
cb_job_load (const char  *project_root,
             const char  *id,
             GError     **error)
{
  g_autofree char *path = NULL;

  if (!_cb_job_id_is_valid (id))
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND, _("There is no job “%s”"), id);
      return NULL;
    }
  path = job_path (project_root, id);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND, _("There is no job “%s”"), id);
      return NULL;
    }
  return cb_job_load_file (path, error);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  CbJob *ja = *(CbJob **) a;
  CbJob *jb = *(CbJob **) b;

  if (ja->start_time != jb->start_time)
    return ja->start_time > jb->start_time ? -1 : 1;
  return g_strcmp0 (jb->id, ja->id);
}

/**
 * cb_job_list:
 * @problems: (nullable): job files that cannot be read
 *
 * Returns: (transfer container) (element-type CbJob): the project's jobs, newest first.
 */
GPtrArray *
cb_job_list (const char *project_root,
             GPtrArray  *problems)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir_path = cb_job_dir_for_project (project_root);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      CbJob *job;

      if (!g_str_has_suffix (name, ".ini") || name[0] == '.')
        continue;
      path = g_build_filename (dir_path, name, NULL);
      job = cb_job_load_file (path, &error);
      if (job == NULL)
        {
          if (problems != NULL)
            g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_WARNING, path, 0, 0, "%s",
                                                       error->message));
          continue;
        }
      g_ptr_array_add (jobs, job);
    }
  g_ptr_array_sort (jobs, compare_newest_first);
  return jobs;
}

/**
 * cb_job_find:
 * @id_or_prefix: a job's id, or the start of one that only one job has
 *
 * Returns: (transfer none): the job, or %NULL with @error saying why
 */
CbJob *
cb_job_find (GPtrArray   *jobs,
             const char  *id_or_prefix,
             GError     **error)
{
  CbJob *found = NULL;
  guint n_found = 0;

  for (guint i = 0; i < jobs->len && id_or_prefix != NULL && *id_or_prefix != '\0'; i++)
    {
      CbJob *job = g_ptr_array_index (jobs, i);

      if (g_str_equal (job->id, id_or_prefix))
        return job;
      if (g_str_has_prefix (job->id, id_or_prefix))
        {
          found = job;
          n_found++;
        }
    }
  if (n_found == 1)
    return found;
  if (n_found > 1)
    g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND,
                 _("“%s” is the start of %u jobs’ ids; give more of it"), id_or_prefix, n_found);
  else
    g_set_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NOT_FOUND, _("There is no job “%s”"),
                 id_or_prefix != NULL ? id_or_prefix : "");
  return NULL;
}

/**
 * cb_job_forget_old:
 * @keep: how many finished jobs stay
 *
 * Removes the files of the oldest finished jobs beyond @keep (the run history keeps them).
 */
void
cb_job_forget_old (const char *project_root,
                   guint       keep)
{
  g_autoptr(GPtrArray) jobs = cb_job_list (project_root, NULL);
  g_autofree char *dir = cb_job_dir_for_project (project_root);
  guint n_finished = 0;

  for (guint i = 0; i < jobs->len; i++)
    {
      CbJob *job = g_ptr_array_index (jobs, i);
      static const char * const suffixes[] = { ".ini", ".status", ".log", ".sh" };

      if (job->state != CB_JOB_FINISHED || ++n_finished <= keep)
        continue;
      for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
        {
          g_autofree char *name = g_strconcat (job->id, suffixes[s], NULL);
          g_autofree char *path = g_build_filename (dir, name, NULL);

          g_unlink (path);
        }
    }
}
