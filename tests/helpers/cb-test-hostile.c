/* cb-test-hostile.c: building hostile projects and running the binary on them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by test-hostile and test-hostile-catalogue (issue 15).
 */

#include "cb-test-hostile.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void
hostile_result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

void
hostile_write_file (const char *path,
                    const char *contents,
                    gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

/* Replaces @path (which may exist) with a FIFO that nobody writes to. */
void
hostile_make_fifo (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_remove (path);
  if (mkfifo (path, 0644) != 0)
    g_error ("mkfifo %s: %s", path, g_strerror (errno));
}

/* Replaces @path (which may exist) with a symlink to @target. */
void
hostile_make_symlink (const char *target,
                      const char *path)
{
  g_remove (path);
  if (symlink (target, path) != 0)
    g_error ("symlink %s: %s", path, g_strerror (errno));
}

static char *
demo_root (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo-project", NULL);
}

/* A copy of the demo project; returns the temporary folder holding it as "project". */
char *
hostile_copy_demo (char **project)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("cb-test-hostile-XXXXXX", &error);
  g_autofree char *source = demo_root ();
  g_autofree char *dest = NULL;
  int wait_status = 0;
  const char *argv[] = { "cp", "-R", source, NULL, NULL };

  g_assert_no_error (error);
  dest = g_build_filename (tmp, "project", NULL);
  argv[3] = dest;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);

  *project = g_steal_pointer (&dest);
  return g_steal_pointer (&tmp);
}

char *
hostile_make_tmp (void)
{
  g_autoptr(GError) error = NULL;
  char *tmp = g_dir_make_tmp ("cb-test-hostile-XXXXXX", &error);

  g_assert_no_error (error);
  return tmp;
}

static char *
read_back (int fd)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buf[4096];
  gssize n;

  g_assert_cmpint (lseek (fd, 0, SEEK_SET), ==, 0);
  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (text, buf, n);
  close (fd);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Runs CB_BINARY with @args (NULL-terminated, after the program's name). A child still
 * running after @timeout_s seconds is killed: @result says so (timed_out), as it says a
 * signal that ended the child (signal); nothing fails here. FALSE (skipped) when there is
 * no binary. */
gboolean
hostile_run_cli_argv (Result             *result,
                      guint               timeout_s,
                      const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("CB_BINARY");
  g_autofree char *out_name = NULL;
  g_autofree char *err_name = NULL;
  gint64 deadline;
  GPid pid;
  int out_fd, err_fd;
  int status = 0;

  if (binary == NULL || *binary == '\0')
    {
      g_test_skip ("CB_BINARY is not set (the binary is not built)");
      return FALSE;
    }

  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* Files, not pipes: a child is never blocked by output nobody reads. */
  out_fd = g_file_open_tmp ("cb-hostile-out-XXXXXX", &out_name, &error);
  g_assert_no_error (error);
  err_fd = g_file_open_tmp ("cb-hostile-err-XXXXXX", &err_name, &error);
  g_assert_no_error (error);
  g_unlink (out_name);
  g_unlink (err_name);

  g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) argv->pdata, NULL,
                                    G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                    -1, out_fd, err_fd, NULL, NULL, 0,
                                    &pid, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  for (;;)
    {
      pid_t done = waitpid (pid, &status, WNOHANG);

      if (done == pid)
        break;
      g_assert_cmpint (done, ==, 0);
      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          result->timed_out = TRUE;
          break;
        }
      g_usleep (10 * 1000);
    }

  result->out = read_back (out_fd);
  result->err = read_back (err_fd);
  if (result->timed_out)
    result->status = -1;
  else if (!WIFEXITED (status))
    {
      result->signal = WTERMSIG (status);
      result->status = -1;
    }
  else
    result->status = WEXITSTATUS (status);
  return TRUE;
}

/* hostile_run_cli_argv() with the NULL-terminated arguments and CASE_TIMEOUT_S; a hang or a signal
 * fails the case. */
gboolean
hostile_run_cli (Result     *result,
                 const char *first,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  if (!hostile_run_cli_argv (result, CASE_TIMEOUT_S, (const char * const *) args->pdata))
    return FALSE;
  if (result->timed_out)
    g_error ("command-builder %s did not finish in %d s; stderr:\n%s",
             (const char *) args->pdata[args->len - 2], CASE_TIMEOUT_S, result->err);
  if (result->signal != 0)
    g_error ("command-builder was killed by signal %d; stderr:\n%s", result->signal,
             result->err);
  return TRUE;
}

void
hostile_assert_contains (const char *text,
                         const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("expected '%s' in:\n%s", part, text ? text : "(null)");
}

/* The first line of @text. */
char *
hostile_first_line (const char *text)
{
  return g_strndup (text, strcspn (text, "\n"));
}

char *
hostile_repeat (const char *piece,
                guint       n)
{
  GString *out = g_string_sized_new (strlen (piece) * n);

  for (guint i = 0; i < n; i++)
    g_string_append (out, piece);
  return g_string_free (out, FALSE);
}

/* A "billion laughs" list: nine levels of nine aliases to the level below, 9^9 strings when
 * expanded, in a 1 KB text. */
char *
hostile_billion_laughs (void)
{
  GString *out = g_string_new ("[&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]");

  for (guint level = 1; level < 9; level++)
    {
      g_string_append_printf (out, ", &l%u [", level);
      for (guint i = 0; i < 9; i++)
        g_string_append_printf (out, "%s*l%u", i > 0 ? ", " : "", level - 1);
      g_string_append (out, "]");
    }
  g_string_append (out, "]");
  return g_string_free (out, FALSE);
}
