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
 * GKeyFile escapes the list separator, newlines and backslashes, so any argv round-trips.
 * Every change is written whole with g_file_set_contents() (a temporary file renamed over the
 * old one), so a crash never leaves half a file. A file that cannot be parsed is moved aside
 * to "<path>.corrupt" and the history starts empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-run-history"

#include "config.h"

#include "cb/cb-run-history.h"
#include "cb/cb-file-read.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>

#define HISTORY_GROUP   "history"
#define HISTORY_VERSION 1
#define RUN_PREFIX      "run "
/* The longest duration a history entry may have, in seconds: a century. */
#define MAX_DURATION    (100.0 * 365.25 * 24 * 3600)

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

  return self;
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

  return cb_describe_run_outcome (self->exit_status, self->signal, self->stopped,
                                  self->duration);
}

/* Wording */

/**
 * cb_signal_name:
 *
 * Returns: the usual name of @signo ("SIGTERM"), or %NULL for one we do not name
 */
const char *
cb_signal_name (int signo)
{
  static const struct { int signo; const char *name; } names[] = {
    { SIGHUP, "SIGHUP" },
    { SIGINT, "SIGINT" },
    { SIGQUIT, "SIGQUIT" },
    { SIGILL, "SIGILL" },
    { SIGTRAP, "SIGTRAP" },
    { SIGABRT, "SIGABRT" },
    { SIGBUS, "SIGBUS" },
    { SIGFPE, "SIGFPE" },
    { SIGKILL, "SIGKILL" },
    { SIGUSR1, "SIGUSR1" },
    { SIGSEGV, "SIGSEGV" },
    { SIGUSR2, "SIGUSR2" },
    { SIGPIPE, "SIGPIPE" },
    { SIGALRM, "SIGALRM" },
    { SIGTERM, "SIGTERM" },
    { SIGXCPU, "SIGXCPU" },
    { SIGXFSZ, "SIGXFSZ" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (names[i].signo == signo)
        return names[i].name;
    }

  return NULL;
}

/* A finished run's duration: "4.2 s", "12 min 5 s", "2 h 03 min". */
char *
cb_format_duration (double seconds)
{
  gint64 whole;

  if (!(seconds >= 0.0))
    seconds = 0.0;
  seconds = MIN (seconds, MAX_DURATION);

  if (seconds < 59.95)
    /* Translators: a duration in seconds, with one decimal */
    return g_strdup_printf (_("%.1f s"), seconds);

  whole = (gint64) (seconds + 0.5);
  if (whole < 3600)
    /* Translators: a duration in minutes and seconds */
    return g_strdup_printf (_("%d min %d s"), (int) (whole / 60), (int) (whole % 60));

  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (_("%d h %02d min"), (int) (whole / 3600), (int) ((whole / 60) % 60));
}

/* A running clock: "0:12", "12:05", "1:02:03". */
char *
cb_format_elapsed (gint64 seconds)
{
  seconds = MAX (seconds, 0);

  if (seconds < 3600)
    return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));

  return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) ((seconds / 60) % 60),
                          (int) (seconds % 60));
}

/**
 * cb_describe_outcome:
 * @exit_status: the exit status, or -1 when killed by a signal or never started
 * @signal: the signal that killed the run, or 0
 * @seconds: how long it ran
 *
 * Returns: "Exited with status 0 after 4.2 s", "Stopped by signal 15 (SIGTERM) after 3.0 s"
 *   or "Could not start"
 */
char *
cb_describe_outcome (int    exit_status,
                     int    signal,
                     double seconds)
{
  g_autofree char *duration = cb_format_duration (seconds);

  if (signal > 0)
    {
      const char *name = cb_signal_name (signal);

      if (name != NULL)
        /* Translators: "Stopped by signal 15 (SIGTERM) after 4.2 s" */
        return g_strdup_printf (_("Stopped by signal %d (%s) after %s"), signal, name, duration);

      /* Translators: "Stopped by signal 40 after 4.2 s" */
      return g_strdup_printf (_("Stopped by signal %d after %s"), signal, duration);
    }

  if (exit_status < 0)
    return g_strdup (_("Could not start"));

  /* Translators: "Exited with status 0 after 4.2 s" */
  return g_strdup_printf (_("Exited with status %d after %s"), exit_status, duration);
}

/**
 * cb_describe_run_outcome:
 * @stopped: whether the user stopped the run
 *
 * Returns: as cb_describe_outcome(), except that a run the user stopped and that exited (a
 *   trainer that catches Ctrl+C, saves and exits with some status) is "Stopped after 4.2 s"
 */
char *
cb_describe_run_outcome (int      exit_status,
                         int      signal,
                         gboolean stopped,
                         double   seconds)
{
  g_autofree char *duration = NULL;

  if (!stopped || signal > 0)
    return cb_describe_outcome (exit_status, signal, seconds);

  duration = cb_format_duration (seconds);
  /* Translators: a run the user stopped: "Stopped after 4.2 s" */
  return g_strdup_printf (_("Stopped after %s"), duration);
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
  if (error != NULL || !(duration >= 0.0) || !(duration <= MAX_DURATION))
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

  return cb_run_record_new_full (command, (const char * const *) argv, page, start_time,
                                 duration, exit_status, signo, stopped);
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
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  int version;

  g_return_val_if_fail (CB_IS_RUN_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_list_store_remove_all (self->entries);

  if (!cb_file_read_regular (self->path, CB_FILE_KIND_HISTORY, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
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

  records = g_ptr_array_new_with_free_func (g_object_unref);
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

  g_list_store_splice (self->entries, 0, 0, records->pdata, records->len);

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
 * cb_run_history_save:
 *
 * Writes the whole history atomically (a temporary file renamed over the old one), creating
 * the directory if needed.
 */
gboolean
cb_run_history_save (CbRunHistory  *self,
                     GError       **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  gsize length;
  guint n;

  g_return_val_if_fail (CB_IS_RUN_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key_file = g_key_file_new ();
  g_key_file_set_integer (key_file, HISTORY_GROUP, "version", HISTORY_VERSION);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbRunRecord) record = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      g_autofree char *group = g_strdup_printf (RUN_PREFIX "%u", i);

      record_to_key_file (record, key_file, group);
    }

  data = g_key_file_to_data (key_file, &length, NULL);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   /* Translators: %s is a directory, then why it could not be created */
                   _("Could not create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  return g_file_set_contents_full (self->path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/**
 * cb_run_history_add:
 * @record: the run that just ended
 *
 * Puts @record first, drops the oldest runs beyond the cap, and saves. When saving fails the
 * entry is still kept in memory and %FALSE is returned with @error set.
 */
gboolean
cb_run_history_add (CbRunHistory  *self,
                    CbRunRecord   *record,
                    GError       **error)
{
  g_return_val_if_fail (CB_IS_RUN_HISTORY (self), FALSE);
  g_return_val_if_fail (CB_IS_RUN_RECORD (record), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_list_store_insert (self->entries, 0, record);
  trim_to_cap (self);

  return cb_run_history_save (self, error);
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
