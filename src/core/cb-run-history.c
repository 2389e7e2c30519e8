/* cb-run-history.c: the runs started from the terminal pane, per project, kept on disk
 *
 * One GKeyFile per project, under the user's state directory, named after the SHA-256 of the
 * project root (cb_run_history_path_for_project()). Each run is a group, newest first:
 *
 *   [history]
 *   version=1
 *
 *   [run 0]
 *   command=uv run python runners/train.py trainer.max_epochs=10
 *   argv=uv;run;python;runners/train.py;trainer.max_epochs=10;
 *   page=train
 *   start=2024-05-01T12:34:56Z
 *   duration=4.25
 *   exit-status=0
 *   signal=0
 *   stopped=false
 *
 * `stopped` is true for a run the user stopped (whatever it exited with); files written
 * before it existed lack it, which reads as false.
 *
 * A run is recorded when it starts (`running=true`, with `id`, and the `pid` and `host` of
 * the app that runs it) and replaced, by its `id`, when it ends. A run whose app is gone
 * (killed, crashed, the machine rebooted) reads as interrupted. Records of files written
 * before `id` existed get one made of their start time and argv.
 *
 * GKeyFile escapes the list separator, newlines and backslashes, so any argv round-trips.
 * Several app processes may share a project: every change is made under an exclusive lock
 * ("<path>.lock", flock), by reading the file again, merging the change in by id and writing
 * the whole with g_file_set_contents() (a temporary file renamed over the old one), so no
 * process loses another's runs and a crash never leaves half a file. A file that cannot be
 * parsed is moved aside to "<path>.corrupt" and the history starts empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-run-history"

#include "config.h"

#include "cb/cb-run-history.h"
#include "cb/cb-file-read.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define HISTORY_GROUP   "history"
#define HISTORY_VERSION 1
#define RUN_PREFIX      "run "

struct _CbRunRecord
{
  GObject    parent_instance;

  char      *command;
  char     **argv;
  char      *page;
  GDateTime *start_time;
  double     duration;
  int        exit_status;
  int        signal;
  gboolean   stopped;
  char      *id;       /* unique, kept when a running record is replaced by its end */
  gboolean   running;
  gint64     pid;      /* of the app running it, while running; of a job's process group */
  char      *host;
  gboolean   job;      /* a detached job: it runs without the app (cb-job.c) */
};

struct _CbRunHistory
{
  GObject     parent_instance;

  char       *path;
  GListStore *entries;
  guint       cap;
};

enum {
  RECORD_PROP_0,
  RECORD_PROP_COMMAND,
  RECORD_PROP_PAGE,
  RECORD_PROP_DURATION,
  RECORD_PROP_EXIT_STATUS,
  RECORD_PROP_SIGNAL,
  RECORD_PROP_STOPPED,
  N_RECORD_PROPS
};

static GParamSpec *record_properties[N_RECORD_PROPS];

G_DEFINE_FINAL_TYPE (CbRunRecord, cb_run_record, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (CbRunHistory, cb_run_history, G_TYPE_OBJECT)
G_DEFINE_QUARK (cb-run-history-error-quark, cb_run_history_error)

/* CbRunRecord */

static void
cb_run_record_finalize (GObject *object)
{
  CbRunRecord *self = CB_RUN_RECORD (object);

  g_clear_pointer (&self->command, g_free);
  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->page, g_free);
  g_clear_pointer (&self->start_time, g_date_time_unref);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->host, g_free);

  G_OBJECT_CLASS (cb_run_record_parent_class)->finalize (object);
}

static void
cb_run_record_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CbRunRecord *self = CB_RUN_RECORD (object);

  switch (prop_id)
    {
    case RECORD_PROP_COMMAND:
      g_value_set_string (value, self->command);
      break;

    case RECORD_PROP_PAGE:
      g_value_set_string (value, self->page);
      break;

    case RECORD_PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;

    case RECORD_PROP_EXIT_STATUS:
      g_value_set_int (value, self->exit_status);
      break;

    case RECORD_PROP_SIGNAL:
      g_value_set_int (value, self->signal);
      break;

    case RECORD_PROP_STOPPED:
      g_value_set_boolean (value, self->stopped);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_run_record_class_init (CbRunRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_run_record_finalize;
  object_class->get_property = cb_run_record_get_property;

  record_properties[RECORD_PROP_COMMAND] =
    g_param_spec_string ("command", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  record_properties[RECORD_PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  record_properties[RECORD_PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  record_properties[RECORD_PROP_EXIT_STATUS] =
    g_param_spec_int ("exit-status", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  record_properties[RECORD_PROP_SIGNAL] =
    g_param_spec_int ("signal", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  record_properties[RECORD_PROP_STOPPED] =
    g_param_spec_boolean ("stopped", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_RECORD_PROPS, record_properties);
}

static void
cb_run_record_init (CbRunRecord *self)
{
  self->exit_status = -1;
}

/**
 * cb_run_record_new:
 * @command: the command as it was shown (display text)
 * @argv: what was run
 * @page: (nullable): the page it was built on ("train", "test", "predict"), or %NULL
 * @start_time: (nullable): when it started; %NULL for now
 * @duration: seconds it ran
 * @exit_status: its exit status, or -1 when killed by a signal or never started
 * @signal: the signal that killed it, or 0
 *
 * Same as cb_run_record_new_full() for a run the user did not stop.
 */
CbRunRecord *
cb_run_record_new (const char         *command,
                   const char * const *argv,
                   const char         *page,
                   GDateTime          *start_time,
                   double              duration,
                   int                 exit_status,
                   int                 signal)
{
  return cb_run_record_new_full (command, argv, page, start_time, duration, exit_status, signal,
                                 FALSE);
}

/**
 * cb_run_record_new_full:
 * @stopped: whether the user stopped the run; its outcome is then
 *   %CB_RUN_OUTCOME_STOPPED, whatever it exited with
 *
 * See cb_run_record_new() for the other arguments.
 */
CbRunRecord *
cb_run_record_new_full (const char         *command,
                        const char * const *argv,
                        const char         *page,
                        GDateTime          *start_time,
                        double              duration,
                        int                 exit_status,
                        int                 signal,
                        gboolean            stopped)
{
  CbRunRecord *self;

  g_return_val_if_fail (argv != NULL, NULL);
  g_return_val_if_fail (exit_status >= -1, NULL);
  g_return_val_if_fail (signal >= 0, NULL);

  self = g_object_new (CB_TYPE_RUN_RECORD, NULL);
  self->argv = g_strdupv ((char **) argv);
  self->command = command != NULL ? g_strdup (command) : g_strjoinv (" ", self->argv);
  self->page = (page != NULL && *page != '\0') ? g_strdup (page) : NULL;
  if (start_time != NULL)
    self->start_time = g_date_time_to_utc (start_time);
  else
    self->start_time = g_date_time_new_now_utc ();
  self->duration = MAX (duration, 0.0);
  self->exit_status = signal > 0 ? -1 : exit_status;
  self->signal = signal;
  self->stopped = !!stopped;
  self->id = g_uuid_string_random ();

  return self;
}

/**
 * cb_run_record_new_started:
 *
 * A run that has just started, in this process: recorded as running until
 * cb_run_record_new_finished() replaces it.
 */
CbRunRecord *
cb_run_record_new_started (const char         *command,
                           const char * const *argv,
                           const char         *page,
                           GDateTime          *start_time)
{
  CbRunRecord *self = cb_run_record_new_full (command, argv, page, start_time, 0.0, -1, 0,
                                              FALSE);

  self->running = TRUE;
  self->pid = getpid ();
  self->host = g_strdup (g_get_host_name ());
  return self;
}

/**
 * cb_run_record_new_started_job:
 * @job_id: the job's id, which the record takes
 * @pid: the job's process group on this machine, or 0 when it runs elsewhere
 *
 * A detached job that has just started: running while its process group is (or, elsewhere,
 * until the end of the job replaces the record), whatever becomes of the app.
 */
CbRunRecord *
cb_run_record_new_started_job (const char         *command,
                               const char * const *argv,
                               const char         *page,
                               GDateTime          *start_time,
                               const char         *job_id,
                               gint64              pid)
{
  CbRunRecord *self = cb_run_record_new_full (command, argv, page, start_time, 0.0, -1, 0,
                                              FALSE);

  g_return_val_if_fail (job_id != NULL, self);

  g_free (self->id);
  self->id = g_strdup (job_id);
  self->running = TRUE;
  self->job = TRUE;
  self->pid = pid;
  self->host = pid > 0 ? g_strdup (g_get_host_name ()) : NULL;
  return self;
}

/**
 * cb_run_record_new_finished:
 * @started: the record of the run when it started
 *
 * The end of @started's run: the same run (id, command, start), with how it ended.
 */
CbRunRecord *
cb_run_record_new_finished (CbRunRecord *started,
                            double       duration,
                            int          exit_status,
                            int          signal,
                            gboolean     stopped)
{
  CbRunRecord *self;

  g_return_val_if_fail (CB_IS_RUN_RECORD (started), NULL);

  self = cb_run_record_new_full (started->command, (const char * const *) started->argv,
                                 started->page, started->start_time, duration, exit_status,
                                 signal, stopped);
  g_free (self->id);
  self->id = g_strdup (started->id);
  return self;
}

const char *
cb_run_record_get_id (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), NULL);

  return self->id;
}

/* Whether the record is of a run that had not ended when it was written. */
gboolean
cb_run_record_get_running (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), FALSE);

  return self->running;
}

/* A running record's app is still there (same machine, its process alive). */
static gboolean
runner_alive (CbRunRecord *self)
{
  /* A job elsewhere is running until its end is recorded. */
  if (self->job && self->pid <= 0)
    return TRUE;
  if (self->pid <= 0 || self->pid > G_MAXINT || g_strcmp0 (self->host, g_get_host_name ()) != 0)
    return FALSE;
  return kill ((pid_t) self->pid, 0) == 0 || errno == EPERM;
}

const char *
cb_run_record_get_command (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), NULL);

  return self->command;
}

const char * const *
cb_run_record_get_argv (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), NULL);

  return (const char * const *) self->argv;
}

/* Returns: (nullable): the page, or %NULL when the run did not come from a page */
const char *
cb_run_record_get_page (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), NULL);

  return self->page;
}

/* Returns: (transfer none): the start time, in UTC */
GDateTime *
cb_run_record_get_start_time (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), NULL);

  return self->start_time;
}

/* "2024-05-01T12:34:56Z" */
char *
cb_run_record_dup_start_time_iso8601 (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), NULL);

  return g_date_time_format (self->start_time, "%Y-%m-%dT%H:%M:%SZ");
}

double
cb_run_record_get_duration (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), 0.0);

  return self->duration;
}

int
cb_run_record_get_exit_status (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), -1);

  return self->exit_status;
}

int
cb_run_record_get_signal (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), 0);

  return self->signal;
}

/* Whether the user stopped the run. */
gboolean
cb_run_record_get_stopped (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), FALSE);

  return self->stopped;
}

CbRunOutcome
cb_run_record_get_outcome (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), CB_RUN_OUTCOME_NOT_STARTED);

  if (self->running)
    return runner_alive (self) ? CB_RUN_OUTCOME_RUNNING : CB_RUN_OUTCOME_INTERRUPTED;
  if (self->stopped)
    return CB_RUN_OUTCOME_STOPPED;
  if (self->signal > 0)
    return CB_RUN_OUTCOME_SIGNALED;
  if (self->exit_status < 0)
    return CB_RUN_OUTCOME_NOT_STARTED;
  if (self->exit_status == 0)
    return CB_RUN_OUTCOME_SUCCESS;
  return CB_RUN_OUTCOME_FAILED;
}

/* "Exited with status 0 after 4.2 s" and so on. */
char *
cb_run_record_describe_outcome (CbRunRecord *self)
{
  g_return_val_if_fail (CB_IS_RUN_RECORD (self), NULL);

  switch (cb_run_record_get_outcome (self))
    {
    case CB_RUN_OUTCOME_RUNNING:
      return g_strdup (_("Still running"));
    case CB_RUN_OUTCOME_INTERRUPTED:
      return g_strdup (_("Interrupted: Command Builder ended before the run did"));
    case CB_RUN_OUTCOME_SUCCESS:
    case CB_RUN_OUTCOME_FAILED:
    case CB_RUN_OUTCOME_SIGNALED:
    case CB_RUN_OUTCOME_NOT_STARTED:
    case CB_RUN_OUTCOME_STOPPED:
    default:
      return cb_describe_run_outcome (self->exit_status, self->signal, self->stopped,
                                      self->duration);
    }
}

/* CbRunHistory */

static void
cb_run_history_finalize (GObject *object)
{
  CbRunHistory *self = CB_RUN_HISTORY (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->entries);

  G_OBJECT_CLASS (cb_run_history_parent_class)->finalize (object);
}

static void
cb_run_history_class_init (CbRunHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_run_history_finalize;
}

static void
cb_run_history_init (CbRunHistory *self)
{
  self->entries = g_list_store_new (CB_TYPE_RUN_RECORD);
  self->cap = CB_RUN_HISTORY_DEFAULT_CAP;
}

static void
trim_to_cap (CbRunHistory *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  if (n > self->cap)
    g_list_store_splice (self->entries, self->cap, n - self->cap, NULL, 0);
}

static CbRunRecord *
record_from_key_file (GKeyFile   *key_file,
                      const char *group)
{
  g_auto(GStrv) argv = NULL;
  g_autofree char *command = NULL;
  g_autofree char *page = NULL;
  g_autofree char *start = NULL;
  g_autoptr(GDateTime) start_time = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  CbRunRecord *record;
  double duration;
  int exit_status;
  int signo;
  gboolean stopped;

  argv = g_key_file_get_string_list (key_file, group, "argv", NULL, &error);
  if (argv == NULL || argv[0] == NULL)
    {
      g_debug ("Skipping [%s]: no argv", group);
      return NULL;
    }

  start = g_key_file_get_string (key_file, group, "start", NULL);
  if (start == NULL || (start_time = g_date_time_new_from_iso8601 (start, NULL)) == NULL)
    {
      g_debug ("Skipping [%s]: bad start time", group);
      return NULL;
    }

  /* Finite and at most a century: it is formatted through integers. */
  duration = g_key_file_get_double (key_file, group, "duration", &error);
  if (error != NULL || !(duration >= 0.0) || !(duration <= CB_RUN_MAX_DURATION))
    {
      g_debug ("Skipping [%s]: bad duration", group);
      return NULL;
    }

  exit_status = g_key_file_get_integer (key_file, group, "exit-status", &error);
  if (error != NULL || exit_status < -1)
    {
      g_debug ("Skipping [%s]: bad exit status", group);
      return NULL;
    }

  signo = g_key_file_get_integer (key_file, group, "signal", &error);
  if (error != NULL || signo < 0)
    {
      g_debug ("Skipping [%s]: bad signal", group);
      return NULL;
    }

  /* Absent in files written before it existed: not stopped. */
  stopped = g_key_file_get_boolean (key_file, group, "stopped", NULL);
  command = g_key_file_get_string (key_file, group, "command", NULL);
  page = g_key_file_get_string (key_file, group, "page", NULL);

  record = cb_run_record_new_full (command, (const char * const *) argv, page, start_time,
                                   duration, exit_status, signo, stopped);
  id = g_key_file_get_string (key_file, group, "id", NULL);
  g_free (record->id);
  if (id != NULL && *id != '\0' && g_utf8_validate (id, -1, NULL) && strlen (id) <= 64)
    record->id = g_steal_pointer (&id);
  else
    {
      /* Written before ids: one of its start and argv, the same in every process. */
      g_autofree char *joined = g_strjoinv ("\n", argv);
      g_autofree char *key = g_strconcat (start, "\n", joined, NULL);

      record->id = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);
    }
  record->running = g_key_file_get_boolean (key_file, group, "running", NULL);
  if (record->running)
    {
      record->pid = g_key_file_get_int64 (key_file, group, "pid", NULL);
      record->host = g_key_file_get_string (key_file, group, "host", NULL);
      record->job = g_key_file_get_boolean (key_file, group, "job", NULL);
    }
  return record;
}

static void
record_to_key_file (CbRunRecord *record,
                    GKeyFile    *key_file,
                    const char  *group)
{
  g_autofree char *start = cb_run_record_dup_start_time_iso8601 (record);

  g_key_file_set_string (key_file, group, "command", record->command);
  g_key_file_set_string_list (key_file, group, "argv", (const char * const *) record->argv,
                              g_strv_length (record->argv));
  if (record->page != NULL)
    g_key_file_set_string (key_file, group, "page", record->page);
  g_key_file_set_string (key_file, group, "start", start);
  g_key_file_set_double (key_file, group, "duration", record->duration);
  g_key_file_set_integer (key_file, group, "exit-status", record->exit_status);
  g_key_file_set_integer (key_file, group, "signal", record->signal);
  g_key_file_set_boolean (key_file, group, "stopped", record->stopped);
  g_key_file_set_string (key_file, group, "id", record->id);
  if (record->running)
    {
      g_key_file_set_boolean (key_file, group, "running", TRUE);
      g_key_file_set_int64 (key_file, group, "pid", record->pid);
      if (record->host != NULL)
        g_key_file_set_string (key_file, group, "host", record->host);
      if (record->job)
        g_key_file_set_boolean (key_file, group, "job", TRUE);
    }
}

/**
 * cb_run_history_path_for_project:
 * @project_root: the project's root directory
 *
 * Returns: where the history of @project_root is kept:
 *   `$XDG_STATE_HOME/command-builder/history/<sha256 of the root>.ini`
 */
char *
cb_run_history_path_for_project (const char *project_root)
{
  g_autofree char *canonical = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (project_root != NULL, NULL);

  canonical = g_canonicalize_filename (project_root, NULL);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  basename = g_strconcat (digest, ".ini", NULL);

  return g_build_filename (g_get_user_state_dir (), "command-builder", "history", basename,
                           NULL);
}

/**
 * cb_run_history_new:
 * @path: the file the history is kept in (see cb_run_history_path_for_project())
 *
 * Creates an empty history; call cb_run_history_load() to read @path.
 */
CbRunHistory *
cb_run_history_new (const char *path)
{
  CbRunHistory *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CB_TYPE_RUN_HISTORY, NULL);
  self->path = g_strdup (path);

  return self;
}

const char *
cb_run_history_get_path (CbRunHistory *self)
{
  g_return_val_if_fail (CB_IS_RUN_HISTORY (self), NULL);

  return self->path;
}

guint
cb_run_history_get_cap (CbRunHistory *self)
{
  g_return_val_if_fail (CB_IS_RUN_HISTORY (self), 0);

  return self->cap;
}

/* Keeps at most @cap runs (at least one), dropping the oldest now if needed. Not saved. */
void
cb_run_history_set_cap (CbRunHistory *self,
                        guint         cap)
{
  g_return_if_fail (CB_IS_RUN_HISTORY (self));

  self->cap = MAX (cap, 1);
  trim_to_cap (self);
}

/* Reads the file's records into @records, newest first, at most the cap. A missing file
 * has none. A file that cannot be parsed is moved aside to "<path>.corrupt" (so the next
 * save does not destroy it) with %CB_RUN_HISTORY_ERROR_CORRUPT. */
static gboolean
read_records (CbRunHistory  *self,
              GPtrArray     *records,
              GError       **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  int version;

  if (!cb_file_read_regular (self->path, CB_FILE_KIND_HISTORY, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
          g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        return TRUE;

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  key_file = g_key_file_new ();
  if (!g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, &local_error))
    goto corrupt;

  version = g_key_file_get_integer (key_file, HISTORY_GROUP, "version", &local_error);
  if (local_error != NULL)
    goto corrupt;
  if (version != HISTORY_VERSION)
    {
      g_set_error (&local_error, CB_RUN_HISTORY_ERROR, CB_RUN_HISTORY_ERROR_CORRUPT,
                   "unknown version %d", version);
      goto corrupt;
    }

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL && records->len < self->cap; i++)
    {
      CbRunRecord *record;

      if (!g_str_has_prefix (groups[i], RUN_PREFIX))
        continue;

      record = record_from_key_file (key_file, groups[i]);
      if (record != NULL)
        g_ptr_array_add (records, record);
    }

  return TRUE;

corrupt:
  {
    g_autofree char *aside = g_strconcat (self->path, ".corrupt", NULL);

    if (g_rename (self->path, aside) != 0)
      g_debug ("Could not move %s aside: %s", self->path, g_strerror (errno));

    g_set_error (error, CB_RUN_HISTORY_ERROR, CB_RUN_HISTORY_ERROR_CORRUPT,
                 /* Translators: the first %s is a file, the second why it could not be read */
                 _("The run history in %s could not be read (%s). It was moved aside and a new "
                   "history was started."),
                 self->path, local_error->message);
    return FALSE;
  }
}

/**
 * cb_run_history_load:
 *
 * Replaces the entries with those in the file. A missing file is an empty history. A file
 * that cannot be parsed leaves the history empty and usable: it is moved aside to
 * "<path>.corrupt" (so the next save does not destroy it) and %CB_RUN_HISTORY_ERROR_CORRUPT
 * is returned for the caller to mention. Single bad entries are skipped silently.
 *
 * Returns: %FALSE with @error set when the file could not be read or parsed
 */
gboolean
cb_run_history_load (CbRunHistory  *self,
                     GError       **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean ok;

  g_return_val_if_fail (CB_IS_RUN_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = read_records (self, records, error);
  g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       records->pdata, records->len);
  return ok;
}

static gboolean
ensure_folder (CbRunHistory  *self,
               GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   /* Translators: %s is a directory, then why it could not be created */
                   _("Could not create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Another process on the same project waits here while one changes the file. Returns the
 * lock's descriptor, or -1 (no lock to be had: the change is made without one). */
static int
lock_file (CbRunHistory *self)
{
  g_autofree char *lock = g_strconcat (self->path, ".lock", NULL);
  int fd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);

  if (fd < 0)
    return -1;
  while (flock (fd, LOCK_EX) != 0)
    if (errno != EINTR)
      {
        close (fd);
        return -1;
      }
  return fd;
}

static void
unlock_file (int fd)
{
  if (fd >= 0)
    {
      flock (fd, LOCK_UN);
      close (fd);
    }
}

static gboolean
write_records (CbRunHistory  *self,
               GPtrArray     *records,
               GError       **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *data = NULL;
  gsize length;

  g_key_file_set_integer (key_file, HISTORY_GROUP, "version", HISTORY_VERSION);
  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *group = g_strdup_printf (RUN_PREFIX "%u", i);

      record_to_key_file (g_ptr_array_index (records, i), key_file, group);
    }

  data = g_key_file_to_data (key_file, &length, NULL);
  return g_file_set_contents_full (self->path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static GPtrArray *
entries_array (CbRunHistory *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  GPtrArray *records = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (records, g_list_model_get_item (G_LIST_MODEL (self->entries), i));
  return records;
}

/**
 * cb_run_history_save:
 *
 * Writes the whole history atomically (a temporary file renamed over the old one), creating
 * the directory if needed.
 */
gboolean
cb_run_history_save (CbRunHistory  *self,
                     GError       **error)
{
  g_autoptr(GPtrArray) records = NULL;
  gboolean ok;
  int lock;

  g_return_val_if_fail (CB_IS_RUN_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ensure_folder (self, error))
    return FALSE;
  records = entries_array (self);
  lock = lock_file (self);
  ok = write_records (self, records, error);
  unlock_file (lock);
  return ok;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  CbRunRecord *x = *(CbRunRecord **) a;
  CbRunRecord *y = *(CbRunRecord **) b;

  return -g_date_time_compare (x->start_time, y->start_time);
}

/* Adds @record to @merged unless a record of its id is there. */
static void
merge_one (GPtrArray   *merged,
           GHashTable  *ids,
           CbRunRecord *record)
{
  if (g_hash_table_contains (ids, record->id))
    return;
  g_hash_table_add (ids, record->id);
  g_ptr_array_add (merged, g_object_ref (record));
}

/* Makes the entries @merged with as few changes as it takes: records kept are the same
 * objects in the same order, so a list showing them keeps its rows. */
static void
update_entries (CbRunHistory *self,
                GPtrArray    *merged)
{
  GListModel *model = G_LIST_MODEL (self->entries);
  g_autoptr(GHashTable) wanted = g_hash_table_new (NULL, NULL);
  guint n;

  for (guint i = 0; i < merged->len; i++)
    g_hash_table_add (wanted, g_ptr_array_index (merged, i));
  n = g_list_model_get_n_items (model);
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(CbRunRecord) item = g_list_model_get_item (model, i - 1);

      if (!g_hash_table_contains (wanted, item))
        g_list_store_remove (self->entries, i - 1);
    }
  for (guint i = 0; i < merged->len; i++)
    {
      g_autoptr(CbRunRecord) item = g_list_model_get_item (model, i);

      if (item != g_ptr_array_index (merged, i))
        g_list_store_insert (self->entries, i, g_ptr_array_index (merged, i));
    }
}

/**
 * cb_run_history_add:
 * @record: a run that started (cb_run_record_new_started()) or ended
 *
 * Puts @record in the history, in place of the record of the same id if there is one (the
 * start of a run that has now ended), under the file's lock and merged with what other
 * processes wrote meanwhile; drops the oldest runs beyond the cap, and saves. The entries
 * are then the merged history. When saving fails the entry is still kept in memory and
 * %FALSE is returned with @error set.
 */
gboolean
cb_run_history_add (CbRunHistory  *self,
                    CbRunRecord   *record,
                    GError       **error)
{
  g_autoptr(GPtrArray) disk = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) memory = NULL;
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) in_memory = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) read_error = NULL;
  gboolean ok;
  int lock = -1;

  g_return_val_if_fail (CB_IS_RUN_HISTORY (self), FALSE);
  g_return_val_if_fail (CB_IS_RUN_RECORD (record), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = ensure_folder (self, error);
  if (ok)
    {
      lock = lock_file (self);
      if (!read_records (self, disk, &read_error))
        g_debug ("Merging into %s without its runs: %s", self->path, read_error->message);
    }

  /* The new record first, then the file's (as this process knows them, unless the file
   * says a run has ended since), then runs only this process knows. */
  memory = entries_array (self);
  for (guint i = 0; i < memory->len; i++)
    {
      CbRunRecord *known = g_ptr_array_index (memory, i);

      g_hash_table_insert (in_memory, known->id, known);
    }
  merge_one (merged, ids, record);
  for (guint i = 0; i < disk->len; i++)
    {
      CbRunRecord *on_disk = g_ptr_array_index (disk, i);
      CbRunRecord *known = g_hash_table_lookup (in_memory, on_disk->id);

      merge_one (merged, ids, known != NULL && !(known->running && !on_disk->running)
                                ? known : on_disk);
    }
  for (guint i = 0; i < memory->len; i++)
    merge_one (merged, ids, g_ptr_array_index (memory, i));

  g_ptr_array_sort (merged, compare_newest_first);
  if (merged->len > self->cap)
    g_ptr_array_set_size (merged, self->cap);

  if (ok)
    ok = write_records (self, merged, error);
  unlock_file (lock);

  update_entries (self, merged);
  return ok;
}

/* Forgets every run in memory; call cb_run_history_save() to forget them on disk too. */
void
cb_run_history_clear (CbRunHistory *self)
{
  g_return_if_fail (CB_IS_RUN_HISTORY (self));

  g_list_store_remove_all (self->entries);
}

/**
 * cb_run_history_get_entries:
 *
 * Returns: (transfer none): a #GListModel of #CbRunRecord, newest first
 */
GListModel *
cb_run_history_get_entries (CbRunHistory *self)
{
  g_return_val_if_fail (CB_IS_RUN_HISTORY (self), NULL);

  return G_LIST_MODEL (self->entries);
}
