/* cb-file-read.c: reading a file that other people may have put in a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project folder travels through git, so every file in it is input from someone else.
 * Opening a FIFO for reading blocks until a writer comes, and a symlink to /dev/zero or
 * /dev/urandom never ends. Every reader of the core therefore goes through here: the file
 * is opened without blocking (O_NONBLOCK, so that a FIFO opens at once), checked with
 * fstat() on the descriptor that was opened (so that nothing can be swapped in between)
 * and refused unless it is a regular file no larger than the limit of its kind. The limits
 * are far above real use; they only stop a file from taking all memory.
 */

#define G_LOG_DOMAIN "cb-file-read"

#include "config.h"

#include "cb/cb-file-read.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define MIB (1024 * 1024)

/**
 * cb_file_kind_get_max_size:
 *
 * Returns: the largest file of @kind that is read, in bytes
 */
gsize
cb_file_kind_get_max_size (CbFileKind kind)
{
  switch (kind)
    {
    case CB_FILE_KIND_SCHEMA:
      return 4 * MIB;
    case CB_FILE_KIND_CONFIG:
      return 16 * MIB;
    case CB_FILE_KIND_SETTINGS:
      return 4 * MIB;
    case CB_FILE_KIND_RUN_RECORD:
      return 4 * MIB;
    case CB_FILE_KIND_HISTORY:
      return 16 * MIB;
    case CB_FILE_KIND_STATE:
      return 4 * MIB;
    case CB_FILE_KIND_PRESET:
      return MIB;
    case CB_FILE_KIND_METRICS:
      return 256 * MIB;
    case CB_FILE_KIND_SUBMISSION:
      return 512 * MIB;
    default:
      g_return_val_if_reached (MIB);
    }
}

static const char *
describe_mode (mode_t mode)
{
  if (S_ISDIR (mode))
    return "is a directory";
  if (S_ISFIFO (mode))
    return "is a FIFO";
  if (S_ISCHR (mode))
    return "is a character device";
  if (S_ISBLK (mode))
    return "is a block device";
  if (S_ISSOCK (mode))
    return "is a socket";
  return "is not a regular file";
}

static GFileError
error_for_mode (mode_t mode)
{
  if (S_ISDIR (mode))
    return G_FILE_ERROR_ISDIR;
  return G_FILE_ERROR_INVAL;
}

/**
 * cb_file_is_regular_at:
 *
 * Whether @name (relative to @dir_fd, or AT_FDCWD) is a regular file, following symlinks,
 * without opening it. For directory walks that list files before reading them.
 */
gboolean
cb_file_is_regular_at (int         dir_fd,
                       const char *name)
{
  struct stat st;

  g_return_val_if_fail (name != NULL, FALSE);

  return fstatat (dir_fd, name, &st, 0) == 0 && S_ISREG (st.st_mode);
}

/**
 * cb_file_open_regular_at:
 * @dir_fd: a directory descriptor, or AT_FDCWD
 * @name: the file, relative to @dir_fd unless absolute
 * @display_name: (nullable): how messages name the file; @name when %NULL
 * @kind: what the file is for, which sets its size limit
 * @st_out: (out) (optional): the file's status, from the opened descriptor
 *
 * Opens a regular file for reading without blocking on anything else (a FIFO, a device, a
 * directory, a socket are refused), and refuses one larger than the limit of @kind. For
 * readers that read a file bit by bit (a log that grows); cb_file_read_regular_at() reads
 * it whole.
 *
 * Returns: the descriptor (the caller closes it), or -1 with @error set
 */
int
cb_file_open_regular_at (int           dir_fd,
                         const char   *name,
                         const char   *display_name,
                         CbFileKind    kind,
                         struct stat  *st_out,
                         GError      **error)
{
  gsize max_size = cb_file_kind_get_max_size (kind);
  struct stat st;
  int fd;

  g_return_val_if_fail (name != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (display_name == NULL)
    display_name = name;

  fd = openat (dir_fd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s",
                   display_name, g_strerror (saved_errno));
      return -1;
    }

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s",
                   display_name, g_strerror (saved_errno));
      return -1;
    }

  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, error_for_mode (st.st_mode), "%s: %s, not a regular file",
                   display_name, describe_mode (st.st_mode));
      return -1;
    }

  if (st.st_size < 0 || (guint64) st.st_size > max_size)
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: is larger than %" G_GSIZE_FORMAT
                   " MiB", display_name, max_size / MIB);
      return -1;
    }

  if (st_out != NULL)
    *st_out = st;
  return fd;
}

/**
 * cb_file_read_regular_at:
 * @dir_fd: a directory descriptor, or AT_FDCWD
 * @name: the file, relative to @dir_fd unless absolute
 * @display_name: (nullable): how messages name the file; @name when %NULL
 * @kind: what the file is for, which sets its size limit
 * @st_out: (out) (optional): the file's status, from the descriptor that was read
 * @contents: (out): the contents, NUL-terminated
 * @length: (out) (optional): their length, without the NUL
 *
 * Reads a whole regular file. Anything else (a FIFO, a device, a directory, a socket) is
 * refused without blocking, as is a file larger than the limit of @kind. A missing file
 * gives %G_FILE_ERROR_NOENT. Messages are "NAME: what is wrong".
 *
 * Returns: %TRUE when @contents was set
 */
gboolean
cb_file_read_regular_at (int           dir_fd,
                         const char   *name,
                         const char   *display_name,
                         CbFileKind    kind,
                         struct stat  *st_out,
                         char        **contents,
                         gsize        *length,
                         GError      **error)
{
  gsize max_size = cb_file_kind_get_max_size (kind);
  g_autofree char *data = NULL;
  struct stat st;
  gsize done = 0;
  gsize size;
  int fd;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (display_name == NULL)
    display_name = name;

  fd = cb_file_open_regular_at (dir_fd, name, display_name, kind, &st, error);
  if (fd < 0)
    return FALSE;

  /* A regular file never blocks; the flag only mattered for opening. Read one byte more than
   * its size to notice a file that grew meanwhile. */
  size = (gsize) st.st_size;
  data = g_malloc (size + 2);
  for (;;)
    {
      gssize n = read (fd, data + done, size + 1 - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s",
                       display_name, g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        break;
      done += (gsize) n;
      /* Short of the size asked for, and exactly the size fstat() gave: the end of the file,
       * without the read() that would return 0 (a fifth of the system calls of reading a
       * run's .hydra files in a checkpoint scan). A file that grows or shrinks meanwhile
       * is read on to its end as before. */
      if (done == (gsize) st.st_size && done < size + 1)
        break;
      if (done > size)
        {
          /* Grown while being read: take what it holds now, within the limit. */
          if (size >= max_size)
            {
              close (fd);
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           "%s: is larger than %" G_GSIZE_FORMAT " MiB", display_name,
                           max_size / MIB);
              return FALSE;
            }
          size = MIN (MAX (size * 2, (gsize) 4096), max_size);
          data = g_realloc (data, size + 2);
        }
    }
  close (fd);

  data[done] = '\0';
  if (st_out != NULL)
    *st_out = st;
  if (length != NULL)
    *length = done;
  *contents = g_steal_pointer (&data);
  return TRUE;
}

/**
 * cb_file_read_regular:
 *
 * cb_file_read_regular_at() for a path.
 */
gboolean
cb_file_read_regular (const char  *path,
                      CbFileKind   kind,
                      char       **contents,
                      gsize       *length,
                      GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return cb_file_read_regular_at (AT_FDCWD, path, path, kind, NULL, contents, length, error);
}
