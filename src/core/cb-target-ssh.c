/* cb-target-ssh.c: reaching a target over ssh, and what ssh says
 *
 * ssh is run as a program, never linked: every call goes with BatchMode (no prompt that no
 * one would see), and through one shared connection per host when there is one
 * (cb_target_start_master(): a background master with its output on /dev/null, so that no
 * call waits for it to go away), so that polling a job costs a round trip, not a login.
 * What the host runs is sent as one base64 word piped into /bin/sh, which arrives byte for
 * byte whatever the user's login shell is (bash, dash and tcsh re-split and expand a
 * command line each in their own way). Exit status 255 is told apart by what ssh said.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-target"

#include "config.h"

#include "cb/cb-target.h"
#include "cb/cb-quote.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

/* One shared connection per user, host, port and key, in the runtime folder. Our own name,
 * not ssh's %C, so that the app can see whether the master is there. A socket path is
 * limited to 108 bytes. */
static char *
control_path (const CbTarget *target)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "command-builder", NULL);
  g_autofree char *options = target->ssh_options ? g_strjoinv ("\n", target->ssh_options) : NULL;
  /* Two targets share a connection only when everything that picks the machine is equal. */
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%d\n%s\n%s", target->user ? target->user : "",
                                          target->host, target->port,
                                          target->identity_file ? target->identity_file : "",
                                          options ? options : "");
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *name = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 || strlen (dir) > 80)
    return NULL;
  digest[16] = '\0';
  name = g_strconcat ("ssh-", digest, NULL);
  return g_build_filename (dir, name, NULL);
}

static char **
base_argv (const CbTarget *target,
           const char     *control,
           const char     *master)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, g_strdup ("ssh"));
  for (guint i = 0; target->ssh_options != NULL && target->ssh_options[i] != NULL; i++)
    {
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup (target->ssh_options[i]));
    }
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("BatchMode=yes"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("ServerAliveInterval=15"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup ("ConnectTimeout=15"));
  if (control != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup_printf ("ControlMaster=%s", master));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup_printf ("ControlPath=%s", control));
    }
  if (target->port > 0)
    {
      g_ptr_array_add (argv, g_strdup ("-p"));
      g_ptr_array_add (argv, g_strdup_printf ("%d", target->port));
    }
  if (target->user != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-l"));
      g_ptr_array_add (argv, g_strdup (target->user));
    }
  if (target->identity_file != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-i"));
      if (g_str_has_prefix (target->identity_file, "~/"))
        g_ptr_array_add (argv, g_build_filename (g_get_home_dir (), target->identity_file + 2,
                                                 NULL));
      else
        g_ptr_array_add (argv, g_strdup (target->identity_file));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup ("IdentitiesOnly=yes"));
    }
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

static char **
append_words (char        **argv,
              const char   *first,
              ...)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  va_list args;
  char **result;

  g_strv_builder_addv (builder, (const char **) argv);
  g_strfreev (argv);
  va_start (args, first);
  for (const char *word = first; word != NULL; word = va_arg (args, const char *))
    g_strv_builder_add (builder, word);
  va_end (args);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/**
 * cb_target_start_master:
 *
 * Starts, in the background, the connection that later calls to @target share (it lasts a
 * minute past the last use), unless it is there. Its output goes nowhere: a failure to
 * connect is said by the call that follows, which then connects on its own.
 */
void
cb_target_start_master (const CbTarget *target)
{
  static GMutex lock;
  static GHashTable *checked;  /* control path → when this process last made or checked it */
  g_autofree char *control = control_path (target);
  g_auto(GStrv) argv = NULL;

  if (control == NULL)
    return;

  /* One master per connection, however many workers ask at once. */
  g_mutex_lock (&lock);
  if (checked == NULL)
    checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  {
    gint64 *since = g_hash_table_lookup (checked, control);
    gint64 now = g_get_monotonic_time ();

    /* Made or checked here: there, or on its way (a login takes a while). */
    if (since != NULL && (g_file_test (control, G_FILE_TEST_EXISTS) ||
                          now - *since < 20 * G_USEC_PER_SEC))
      {
        g_mutex_unlock (&lock);
        return;
      }
    g_hash_table_insert (checked, g_strdup (control), g_memdup2 (&now, sizeof now));
  }
  g_mutex_unlock (&lock);

  /* A socket left by a master that died answers nothing: it goes, and a new master comes. */
  if (g_file_test (control, G_FILE_TEST_EXISTS))
    {
      g_auto(GStrv) check = append_words (base_argv (target, control, "no"), "-O", "check", "--",
                                          target->host, NULL);
      int wait_status = 0;

      if (g_spawn_sync (NULL, check, NULL,
                        G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL |
                        G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &wait_status, NULL) &&
          g_spawn_check_wait_status (wait_status, NULL))
        return;
      g_unlink (control);
    }
  argv = base_argv (target, control, "yes");
  argv = append_words (argv, "-o", "ControlPersist=60", "-f", "-N", "--", target->host, NULL);
  g_spawn_async (NULL, argv, NULL,
                 G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL |
                 G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, NULL, NULL);
}

/**
 * cb_target_ssh_argv:
 * @tty: whether the host gives the command a terminal (`-tt`)
 * @remote_command: what the host's shell runs (see cb_target_remote_script())
 *
 * Returns: (transfer full): the ssh command line for @target. The user's own options come
 *   first: for ssh the first value given wins.
 */
char **
cb_target_ssh_argv (const CbTarget *target,
                    gboolean        tty,
                    const char     *remote_command)
{
  g_autofree char *control = control_path (target);
  char **argv = base_argv (target, control, "no");

  argv = append_words (argv, tty ? "-tt" : "-T", "--", target->host, NULL);
  if (remote_command != NULL)
    argv = append_words (argv, remote_command, NULL);
  return argv;
}

/**
 * cb_target_remote_script:
 * @script: a POSIX shell script
 *
 * Returns: the one word that has the host's /bin/sh run @script, whatever the login shell:
 *   the script as base64, decoded on the host. The script is read whole before it runs
 *   (a brace group), with its standard input from /dev/null.
 */
char *
cb_target_remote_script (const char *script)
{
  g_autofree char *wrapped = g_strconcat ("{\n", script, "\n} </dev/null\n", NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) wrapped, strlen (wrapped));

  return g_strdup_printf ("echo %s | base64 -d | /bin/sh", encoded);
}

/**
 * cb_target_remote_script_reading:
 *
 * Like cb_target_remote_script(), for a @script that reads what is sent to ssh's standard
 * input: the script comes as an argument of the host's /bin/sh instead of on its input.
 * Still one base64 word, in single quotes, which every login shell leaves alone.
 */
char *
cb_target_remote_script_reading (const char *script)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) script, strlen (script));

  return g_strdup_printf ("/bin/sh -c 'eval \"$(echo %s | base64 -d)\"'", encoded);
}

static const char *
find_any (const char         *text,
          const char * const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (text, needles[i]) != NULL)
      return needles[i];
  return NULL;
}

/* The last line of what ssh said that is not empty, without its "\r". */
static char *
last_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (int i = (int) g_strv_length (lines) - 1; i >= 0; i--)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0')
        return g_strdup (lines[i]);
    }
  return g_strdup ("");
}

/**
 * cb_target_error_from_ssh:
 * @exit_status: ssh's exit status
 * @stderr_text: what ssh printed on its standard error
 *
 * Exit status 255 is ssh's own failure, or a remote command that died of a signal: told
 * apart by what ssh said. Returns %FALSE with @error set for a failure of ssh's own, %TRUE
 * otherwise (the status is the remote command's).
 */
gboolean
cb_target_error_from_ssh (const CbTarget  *target,
                          int              exit_status,
                          const char      *stderr_text,
                          GError         **error)
{
  static const char * const auth[] = {
    "Permission denied", "Too many authentication failures", "no mutual signature",
    "Authentication failed", NULL
  };
  static const char * const host_key[] = {
    "Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED",
    "host key is known", "No matching host key", NULL
  };
  static const char * const unreachable[] = {
    "Connection refused", "No route to host", "Could not resolve hostname",
    "Name or service not known", "Temporary failure in name resolution",
    "Network is unreachable", "Connection timed out", "Operation timed out",
    "connect to host", NULL
  };
  static const char * const lost[] = {
    "closed by remote host", "Connection reset", "Broken pipe", "Timeout, server",
    "not responding", "Connection closed by", "client_loop: send disconnect", NULL
  };
  g_autofree char *address = cb_target_dup_address (target);
  g_autofree char *said = last_line (stderr_text);
  const char *text = stderr_text != NULL ? stderr_text : "";

  if (exit_status != 255)
    return TRUE;

  if (find_any (text, host_key) != NULL)
    g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_HOST_KEY,
                 _("The key of %s is not known here, or it changed (%s). Connect once with "
                   "ssh in a terminal to check it and accept it."), address, said);
  else if (find_any (text, auth) != NULL)
    g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_AUTH,
                 _("%s refused the login (%s). Check the user and the identity file, and that "
                   "the key is in the host’s authorized_keys."), address, said);
  else if (find_any (text, unreachable) != NULL)
    g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_UNREACHABLE,
                 _("Could not reach %s (%s). Check the host name, the port and the network."),
                 address, said);
  else if (find_any (text, lost) != NULL)
    g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_CONNECTION,
                 _("The connection to %s was lost (%s)."), address, said);
  else if (said[0] != '\0')
    g_set_error (error, CB_TARGET_ERROR, CB_TARGET_ERROR_FAILED,
                 _("ssh to %s failed: %s"), address, said);
  else
    /* Nothing said: the remote command was killed by a signal. */
    return TRUE;

  return FALSE;
}

/**
 * cb_target_dup_command:
 * @display: (nullable): the command as shown for this computer
 *
 * Returns: the command as @target runs it, for the preview: @display (or @argv quoted) here;
 *   for a host, `ssh [-p P] [-i KEY] [USER@]HOST -t 'cd DIR && SETUP && exec COMMAND'`,
 *   which a user can paste into a terminal to run the same by hand.
 */
char *
cb_target_dup_command (const CbTarget     *target,
                       const char * const *argv,
                       const char         *display)
{
  g_autoptr(GString) remote = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new ("ssh");
  g_autofree char *dir = NULL;
  g_autofree char *command = NULL;
  g_autofree char *remote_q = NULL;
  g_autofree char *host = NULL;

  if (cb_target_is_local (target))
    return display != NULL ? g_strdup (display) : cb_shell_join (argv);

  dir = cb_shell_quote_home_path (target->project_dir);
  g_string_append_printf (remote, "cd %s", dir);
  for (guint i = 0; target->setup != NULL && target->setup[i] != NULL; i++)
    g_string_append_printf (remote, " && %s", target->setup[i]);
  command = cb_shell_join (argv);
  g_string_append_printf (remote, " && exec %s", command);

  if (target->port > 0)
    g_string_append_printf (out, " -p %d", target->port);
  if (target->identity_file != NULL)
    {
      /* ~/ stays unquoted, for the shell the line is pasted into to expand. */
      gboolean home = g_str_has_prefix (target->identity_file, "~/");
      g_autofree char *identity = cb_shell_quote_word (target->identity_file + (home ? 2 : 0));

      g_string_append_printf (out, " -i %s%s", home ? "~/" : "", identity);
    }
  host = target->user != NULL ? g_strdup_printf ("%s@%s", target->user, target->host)
                              : g_strdup (target->host);
  remote_q = cb_shell_quote_word (remote->str);
  g_string_append_printf (out, " -t %s %s", host, remote_q);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
