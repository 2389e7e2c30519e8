/* cb-state-store.c: the saved form values of one project, written in the background
 *
 * One key file per project, at
 *   $XDG_STATE_HOME/command-builder/projects/<sha1 of the project root>.ini
 * with one group per page (cb_form_save_state) and a [window] group with the page shown
 * (page=train). Values are loaded into each form when its page is built.
 *
 * A committed edit (the form's `changed`) or a tab switch schedules a write at most
 * CB_STATE_STORE_SAVE_DELAY_MS later; more edits meanwhile join that write rather than push
 * it back, so what the user did a moment ago survives a crash, and a burst of edits is one
 * write, not one per keystroke. The contents are made on the UI thread (a few hundred bytes,
 * microseconds); the file is written by a GTask in a worker thread, since the write ends with
 * an fsync() that may take milliseconds on a local disk and far more on a network home. Closing
 * the window, SIGTERM, SIGHUP and Try Again flush at once, on the calling thread. Writes go
 * through g_file_set_contents_full() (mode 0600, like its folder): atomic, never a torn
 * file. Each contents made gets a generation; the file is written under a lock, and a write
 * older than what the file already holds is skipped, so a flush that overtakes a write in the
 * worker is never undone by it. A write whose contents equal the last one is skipped. A write that fails is kept in
 * :save-error (the window shows it) until one succeeds; the next change tries again.
 *
 * A file that cannot be read back (truncated, garbage, not a regular file) is set aside,
 * renamed to "<name>.broken-<date>-<time>", and the pages start from their defaults; the
 * window says so once (cb_state_store_get_load_problem()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-state-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cb-state-store.h"
#include "cb/cb-file-read.h"

#define WINDOW_GROUP "window"
#define PAGE_KEY     "page"

struct _CbStateStore
{
  GObject    parent_instance;

  char      *path;
  GKeyFile  *key_file;
  GPtrArray *forms;        /* weak: CbForm */
  char      *last_queued;  /* the newest contents handed to a write, or NULL after a failure */
  guint64    generation;   /* of last_queued */
  guint      save_source;
  guint      n_writing;    /* writes in the worker not yet finished */
  guint      n_writes;

  GMutex     write_lock;   /* held by whichever thread writes the file */
  guint64    written_generation; /* under write_lock: what the file holds */
  guint      n_background_writes; /* under write_lock: writes made off the owner's thread */
  GThread   *owner;        /* the thread that made the store: the UI thread */
  guint      loading;
  char      *save_error;   /* the last write's failure, until one succeeds */
  char      *load_problem; /* why the file was set aside at start, or NULL */
};

G_DEFINE_FINAL_TYPE (CbStateStore, cb_state_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SAVE_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_save_error (CbStateStore *self,
                const char   *message)
{
  if (g_strcmp0 (self->save_error, message) == 0)
    return;
  g_free (self->save_error);
  self->save_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVE_ERROR]);
}

/* CB_STATE_STORE_SAVE_DELAY_MS, or CB_STATE_SAVE_DELAY_MS from the environment (tests). */
static guint
save_delay_ms (void)
{
  static guint delay;

  if (delay == 0)
    {
      const char *env = g_getenv ("CB_STATE_SAVE_DELAY_MS");
      guint64 value = 0;

      if (env == NULL || !g_ascii_string_to_unsigned (env, 10, 1, 3600000, &value, NULL))
        value = CB_STATE_STORE_SAVE_DELAY_MS;
      delay = (guint) value;
    }
  return delay;
}

static void
form_weak_notify (gpointer  data,
                  GObject  *where_the_form_was)
{
  CbStateStore *self = data;

  g_ptr_array_remove (self->forms, where_the_form_was);
}

static void
form_changed_cb (CbForm       *form,
                 CbStateStore *self)
{
  if (self->loading == 0)
    cb_state_store_schedule_save (self);
}

static void
cb_state_store_dispose (GObject *object)
{
  CbStateStore *self = CB_STATE_STORE (object);

  if (self->save_source != 0)
    {
      g_autoptr(GError) error = NULL;

      g_clear_handle_id (&self->save_source, g_source_remove);
      if (!cb_state_store_flush (self, &error))
        g_message ("Could not save the form values to %s: %s", self->path, error->message);
    }

  for (guint i = 0; i < self->forms->len; i++)
    {
      GObject *form = g_ptr_array_index (self->forms, i);

      g_signal_handlers_disconnect_by_data (form, self);
      g_object_weak_unref (form, form_weak_notify, self);
    }
  g_ptr_array_set_size (self->forms, 0);

  G_OBJECT_CLASS (cb_state_store_parent_class)->dispose (object);
}

static void
cb_state_store_finalize (GObject *object)
{
  CbStateStore *self = CB_STATE_STORE (object);

  g_clear_pointer (&self->forms, g_ptr_array_unref);
  g_clear_pointer (&self->key_file, g_key_file_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->last_queued, g_free);
  g_mutex_clear (&self->write_lock);
  g_clear_pointer (&self->save_error, g_free);
  g_clear_pointer (&self->load_problem, g_free);

  G_OBJECT_CLASS (cb_state_store_parent_class)->finalize (object);
}

static void
cb_state_store_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CbStateStore *self = CB_STATE_STORE (object);

  switch (prop_id)
    {
    case PROP_SAVE_ERROR:
      g_value_set_string (value, self->save_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_state_store_class_init (CbStateStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cb_state_store_dispose;
  object_class->finalize = cb_state_store_finalize;
  object_class->get_property = cb_state_store_get_property;

  /**
   * CbStateStore:save-error: (nullable)
   *
   * Why the last write failed ("Could not create …: Permission denied"), until a write
   * succeeds.
   */
  properties[PROP_SAVE_ERROR] =
    g_param_spec_string ("save-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_state_store_init (CbStateStore *self)
{
  self->forms = g_ptr_array_new ();
  self->key_file = g_key_file_new ();
  g_mutex_init (&self->write_lock);
  self->owner = g_thread_self ();
}

/* Where the values of the project at @project_root are kept. */
char *
cb_state_store_path_for_project (const char *project_root)
{
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (project_root != NULL, NULL);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA1, project_root, -1);
  name = g_strconcat (digest, ".ini", NULL);
  return g_build_filename (g_get_user_state_dir (), "command-builder", "projects", name, NULL);
}

/* Renames an unreadable state file out of the way, so that the next save does not destroy
 * what a user may still want from it. */
static void
set_aside (CbStateStore *self,
           const GError *error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.broken-%s", self->path, stamp);

  if (g_rename (self->path, aside) == 0)
    /* Translators: the first %s is the state file, the second why it could not be read, the
     * third the name it was given */
    self->load_problem = g_strdup_printf (_("The saved page values in %s could not be read "
                                            "(%s). They were set aside as %s; the pages "
                                            "start from their defaults."),
                                          self->path, error->message, aside);
  else
    self->load_problem = g_strdup_printf (_("The saved page values in %s could not be read "
                                            "(%s); the pages start from their defaults."),
                                          self->path, error->message);
}

/**
 * cb_state_store_new:
 * @path: the key file; need not exist
 *
 * Reads @path (a few hundred bytes) if it exists. A file that cannot be read or parsed is
 * set aside (see cb_state_store_get_load_problem()): the pages then start from their
 * defaults.
 */
CbStateStore *
cb_state_store_new (const char *path)
{
  CbStateStore *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CB_TYPE_STATE_STORE, NULL);
  self->path = g_strdup (path);

  if (!cb_file_read_regular (path, CB_FILE_KIND_STATE, &contents, &length, &error) ||
      !g_key_file_load_from_data (self->key_file, contents, length, G_KEY_FILE_KEEP_COMMENTS,
                                  &error))
    {
      /* No file (or no folder for it) is a first start, not a problem. */
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
          !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        set_aside (self, error);
      g_key_file_free (self->key_file);
      self->key_file = g_key_file_new ();
    }
  else
    self->last_queued = g_key_file_to_data (self->key_file, NULL, NULL);

  return self;
}

/**
 * cb_state_store_get_load_problem:
 *
 * Returns: (nullable): what was wrong with the file when it was read (it was set aside),
 * or %NULL
 */
const char *
cb_state_store_get_load_problem (CbStateStore *self)
{
  g_return_val_if_fail (CB_IS_STATE_STORE (self), NULL);

  return self->load_problem;
}

/* Returns: (nullable): why the last write failed, until a write succeeds */
const char *
cb_state_store_get_save_error (CbStateStore *self)
{
  g_return_val_if_fail (CB_IS_STATE_STORE (self), NULL);

  return self->save_error;
}

const char *
cb_state_store_get_path (CbStateStore *self)
{
  g_return_val_if_fail (CB_IS_STATE_STORE (self), NULL);

  return self->path;
}

/**
 * cb_state_store_add_form:
 *
 * Loads the saved values of @form's page into @form and saves them again whenever the form
 * changes. The store does not keep @form alive.
 */
void
cb_state_store_add_form (CbStateStore *self,
                         CbForm       *form)
{
  g_return_if_fail (CB_IS_STATE_STORE (self));
  g_return_if_fail (CB_IS_FORM (form));

  self->loading++;
  cb_form_load_state (form, self->key_file);
  self->loading--;

  g_ptr_array_add (self->forms, form);
  g_object_weak_ref (G_OBJECT (form), form_weak_notify, self);
  g_signal_connect (form, "changed", G_CALLBACK (form_changed_cb), self);
}

/* TRUE while a change waits for its write or is being written in the worker. */
gboolean
cb_state_store_get_save_pending (CbStateStore *self)
{
  g_return_val_if_fail (CB_IS_STATE_STORE (self), FALSE);

  return self->save_source != 0 || self->n_writing > 0;
}

/* The forms' values as the file's contents, given a new generation if they are not what was
 * last handed to a write. Returns: (transfer none): the contents to write, or %NULL if they
 * were handed to a write already */
static const char *
take_contents (CbStateStore *self)
{
  g_autofree char *data = NULL;

  for (guint i = 0; i < self->forms->len; i++)
    cb_form_save_state (g_ptr_array_index (self->forms, i), self->key_file);

  data = g_key_file_to_data (self->key_file, NULL, NULL);
  if (g_strcmp0 (data, self->last_queued) == 0)
    return NULL;

  g_free (self->last_queued);
  self->last_queued = g_steal_pointer (&data);
  self->generation++;
  return self->last_queued;
}

/* Any thread. Writes @data as generation @generation of the file, unless the file holds
 * that generation or a newer one already. Returns TRUE with *@written FALSE then. */
static gboolean
write_generation (CbStateStore  *self,
                  const char    *data,
                  guint64        generation,
                  gboolean      *written,
                  GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->write_lock);
  g_autofree char *dir = NULL;

  *written = FALSE;
  if (generation <= self->written_generation)
    return TRUE;

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* Private, like its folder: what the user typed. */
  if (!g_file_set_contents_full (self->path, data, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return FALSE;

  self->written_generation = generation;
  if (g_thread_self () != self->owner)
    self->n_background_writes++;
  *written = TRUE;
  return TRUE;
}

/* Whether the file holds @generation or a newer one. */
static gboolean
file_holds (CbStateStore *self,
            guint64       generation)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->write_lock);

  return self->written_generation >= generation;
}

/* UI thread: what a write of @generation came to. */
static void
write_done (CbStateStore *self,
            guint64       generation,
            gboolean      written,
            const GError *error)
{
  if (written)
    self->n_writes++;

  /* A newer write decides what the window says. */
  if (generation != self->generation)
    return;

  /* A write that failed in the worker after a flush wrote the same contents is no failure. */
  if (error != NULL && !file_holds (self, generation))
    {
      g_debug ("Could not save the form values to %s: %s", self->path, error->message);
      /* Not written: the next change, or Try Again, writes these contents again. */
      g_clear_pointer (&self->last_queued, g_free);
      set_save_error (self, error->message);
    }
  else
    set_save_error (self, NULL);
}

typedef struct
{
  char    *data;
  guint64  generation;
  guint    delay_ms;
  gboolean written;
} WriteJob;

static void
write_job_free (gpointer data)
{
  WriteJob *job = data;

  g_free (job->data);
  g_free (job);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteJob *job = task_data;
  GError *error = NULL;

  if (job->delay_ms > 0)
    g_usleep (job->delay_ms * G_TIME_SPAN_MILLISECOND);
  if (write_generation (source_object, job->data, job->generation, &job->written, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
write_finished_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CbStateStore *self = CB_STATE_STORE (object);
  WriteJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  self->n_writing--;
  write_done (self, job->generation, job->written, error);
}

static gboolean
save_timeout_cb (gpointer data)
{
  CbStateStore *self = data;
  const char *contents;
  const char *delay;
  g_autoptr(GTask) task = NULL;
  WriteJob *job;

  self->save_source = 0;
  contents = take_contents (self);
  if (contents == NULL)
    return G_SOURCE_REMOVE;

  job = g_new0 (WriteJob, 1);
  job->data = g_strdup (contents);
  job->generation = self->generation;
  /* Tests: the worker waits this long before it writes, so that a flush overtakes it. */
  delay = g_getenv ("CB_STATE_WRITE_DELAY_MS");
  job->delay_ms = delay != NULL ? (guint) g_ascii_strtoull (delay, NULL, 10) : 0;

  /* The task keeps the store (and its lock) alive until the write is done. */
  task = g_task_new (self, NULL, write_finished_cb, NULL);
  g_task_set_source_tag (task, save_timeout_cb);
  g_task_set_name (task, "[command-builder] write form values");
  g_task_set_task_data (task, job, write_job_free);
  self->n_writing++;
  g_task_run_in_thread (task, write_thread);

  return G_SOURCE_REMOVE;
}

/* The file is written CB_STATE_STORE_SAVE_DELAY_MS from the first change not yet written;
 * later changes go into the same write. */
void
cb_state_store_schedule_save (CbStateStore *self)
{
  g_return_if_fail (CB_IS_STATE_STORE (self));

  if (self->save_source != 0)
    return;

  self->save_source = g_timeout_add (save_delay_ms (), save_timeout_cb, self);
  g_source_set_name_by_id (self->save_source, "[command-builder] save form values");
}

/**
 * cb_state_store_flush:
 *
 * Writes the values of every form now, on this thread, unless the file holds them already;
 * a write still running in the worker is waited for or overtaken.
 */
gboolean
cb_state_store_flush (CbStateStore  *self,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean written = FALSE;

  g_return_val_if_fail (CB_IS_STATE_STORE (self), FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);
  take_contents (self);
  write_generation (self, self->last_queued, self->generation, &written, &local_error);
  write_done (self, self->generation, written, local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * cb_state_store_set_page:
 * @page: the page shown ("train", "test" or "predict")
 *
 * Remembers @page as the one to open on, and saves it with the values.
 */
void
cb_state_store_set_page (CbStateStore *self,
                         const char   *page)
{
  g_autofree char *old = NULL;

  g_return_if_fail (CB_IS_STATE_STORE (self));
  g_return_if_fail (page != NULL);

  old = g_key_file_get_string (self->key_file, WINDOW_GROUP, PAGE_KEY, NULL);
  if (g_strcmp0 (old, page) == 0)
    return;

  g_key_file_set_string (self->key_file, WINDOW_GROUP, PAGE_KEY, page);
  cb_state_store_schedule_save (self);
}

/* Returns: (nullable): the page saved with cb_state_store_set_page(), or %NULL */
char *
cb_state_store_dup_page (CbStateStore *self)
{
  g_return_val_if_fail (CB_IS_STATE_STORE (self), NULL);

  return g_key_file_get_string (self->key_file, WINDOW_GROUP, PAGE_KEY, NULL);
}

/**
 * cb_state_store_set_target:
 * @target: the name of the target chosen for @page's runs
 *
 * Remembers where @page runs, and saves it with the values.
 */
void
cb_state_store_set_target (CbStateStore *self,
                           const char   *page,
                           const char   *target)
{
  g_autofree char *key = NULL;
  g_autofree char *old = NULL;

  g_return_if_fail (CB_IS_STATE_STORE (self));
  g_return_if_fail (page != NULL && target != NULL);

  key = g_strconcat ("target-", page, NULL);
  old = g_key_file_get_string (self->key_file, WINDOW_GROUP, key, NULL);
  if (g_strcmp0 (old, target) == 0)
    return;
  g_key_file_set_string (self->key_file, WINDOW_GROUP, key, target);
  cb_state_store_schedule_save (self);
}

/* Returns: (nullable): the target saved for @page with cb_state_store_set_target() */
char *
cb_state_store_dup_target (CbStateStore *self,
                           const char   *page)
{
  g_autofree char *key = g_strconcat ("target-", page, NULL);

  g_return_val_if_fail (CB_IS_STATE_STORE (self), NULL);

  return g_key_file_get_string (self->key_file, WINDOW_GROUP, key, NULL);
}

/* How many times the file was written: for tests. */
guint
cb_state_store_get_n_writes (CbStateStore *self)
{
  g_return_val_if_fail (CB_IS_STATE_STORE (self), 0);

  return self->n_writes;
}

/* How many of those writes were made in a worker thread: for tests. */
guint
cb_state_store_get_n_background_writes (CbStateStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CB_IS_STATE_STORE (self), 0);

  locker = g_mutex_locker_new (&self->write_lock);
  return self->n_background_writes;
}
