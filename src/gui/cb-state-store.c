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
 * write, not one per keystroke. Closing the window, SIGTERM and SIGHUP flush at once. Writes
 * go through g_key_file_save_to_file(), which is g_file_set_contents(): atomic, never a torn
 * file. A write whose contents equal the last one is skipped. A write that fails is kept in
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
  char      *last_written;
  guint      save_source;
  guint      n_writes;
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

static gboolean
save_timeout_cb (gpointer data)
{
  CbStateStore *self = data;
  g_autoptr(GError) error = NULL;

  self->save_source = 0;
  if (!cb_state_store_flush (self, &error))
    g_debug ("Could not save the form values to %s: %s", self->path, error->message);

  return G_SOURCE_REMOVE;
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
  g_clear_pointer (&self->last_written, g_free);
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
    self->last_written = g_key_file_to_data (self->key_file, NULL, NULL);

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

gboolean
cb_state_store_get_save_pending (CbStateStore *self)
{
  g_return_val_if_fail (CB_IS_STATE_STORE (self), FALSE);

  return self->save_source != 0;
}

static gboolean
write_file (CbStateStore  *self,
            GError       **error)
{
  g_autofree char *data = NULL;
  g_autofree char *dir = NULL;

  for (guint i = 0; i < self->forms->len; i++)
    cb_form_save_state (g_ptr_array_index (self->forms, i), self->key_file);

  data = g_key_file_to_data (self->key_file, NULL, NULL);
  if (g_strcmp0 (data, self->last_written) == 0)
    return TRUE;

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!g_key_file_save_to_file (self->key_file, self->path, error))
    return FALSE;

  g_free (self->last_written);
  self->last_written = g_steal_pointer (&data);
  self->n_writes++;
  return TRUE;
}

/**
 * cb_state_store_flush:
 *
 * Writes the values of every form now, unless they are what the file already holds.
 */
gboolean
cb_state_store_flush (CbStateStore  *self,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CB_IS_STATE_STORE (self), FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (!write_file (self, &local_error))
    {
      set_save_error (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  set_save_error (self, NULL);
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
