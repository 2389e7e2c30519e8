/* cb-terminal-pane.c: runs a command in a VTE terminal, stops it with a ladder, keeps a history
 *
 * A thin wrapper around VteTerminal. A command is spawned from its argv (never a shell
 * string) in its own session, so its pid is also its process group id and every signal of the
 * stop ladder goes to the whole group: the trainer and its DataLoader workers alike.
 *
 * Stop ladder (cb_terminal_pane_stop(); each click skips to the next step at once):
 *   1. Ctrl+C through the tty, which the kernel turns into SIGINT for the tty's foreground
 *      group. When that group is not ours or the tty does not generate signals (raw mode),
 *      SIGINT is also sent to the group directly. Both at once would interrupt the command
 *      twice, and a second Ctrl+C cuts short the clean-up the first one started.
 *   2. SIGTERM to the group, after interrupt_ms.
 *   3. SIGKILL to the group, after terminate_ms more.
 *
 * When the command itself exits, whatever is left of its group (workers that ignore SIGINT
 * and SIGHUP) gets SIGTERM, then SIGKILL, and the pane stays "running" until the group is
 * gone, so `finished` means that nothing of the run is left. Zombies do not count: they hold
 * no resources, and in containers whose init does not reap they would never go away.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-terminal-pane"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cb-terminal-pane-private.h"

#include "cb-run-display.h"
#include "cb/cb-quote.h"
#include "cb-widget-util.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* After the command exited: how often to look for the rest of its group, and how long to
 * keep looking once SIGKILL has been sent. */
#define REAP_POLL_MS    50
#define REAP_GRACE_MS   5000

#define HEADER_SGR      "\033[0;38;5;244m"
#define RESET_SGR       "\033[0m"

typedef struct
{
  GWeakRef self;
} SpawnData;

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_PID,
  PROP_STATUS_TEXT,
  PROP_HISTORY,
  N_PROPS
};

enum {
  STARTED,
  FINISHED,
  COPY_REQUESTED,
  RERUN_REQUESTED,
  LOAD_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CbTerminalPane, cb_terminal_pane, GTK_TYPE_WIDGET)
G_DEFINE_QUARK (cb-terminal-pane-error-quark, cb_terminal_pane_error)

static gboolean ladder_timeout_cb (gpointer user_data);

/* Process groups */

static void
signal_group (CbTerminalPane *self,
              int             signo)
{
  g_assert (self->pid > 0);

  g_debug ("Sending %s to process group %d", cb_signal_name (signo), (int) self->pid);

  if (kill (-self->pid, signo) != 0 && errno != ESRCH)
    g_debug ("kill(-%d, %d): %s", (int) self->pid, signo, g_strerror (errno));
}

/* TRUE when Ctrl+C typed into the terminal reaches our whole group as SIGINT. */
static gboolean
tty_interrupts_group (CbTerminalPane *self)
{
  VtePty *pty = vte_terminal_get_pty (self->terminal);
  struct termios attrs;
  int fd;

  if (pty == NULL)
    return FALSE;

  fd = vte_pty_get_fd (pty);
  if (fd < 0 || tcgetattr (fd, &attrs) != 0 || (attrs.c_lflag & ISIG) == 0)
    return FALSE;
  if (attrs.c_cc[VINTR] != '\003')
    return FALSE;

  return tcgetpgrp (fd) == self->pid;
}

/* Terminal output */

/* Shows @text as it is: newlines start a new line, other control characters are written
 * as ^X, so that a command line cannot send escape sequences to the terminal. */
void
_cb_terminal_pane_feed_text (CbTerminalPane *self,
           const char     *text)
{
  g_autoptr(GString) shown = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '\n')
        g_string_append (shown, "\r\n");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (shown, "^%c", c ^ 0x40);
      else
        g_string_append_c (shown, *p);
    }

  vte_terminal_feed (self->terminal, shown->str, shown->len);
}

/* Starts a fresh line for our own notes, whatever the command left behind. */
void
_cb_terminal_pane_feed_line_start (CbTerminalPane *self)
{
  glong column = 0;

  vte_terminal_get_cursor_position (self->terminal, &column, NULL);
  vte_terminal_feed (self->terminal, RESET_SGR "\033[?25h", -1);
  if (column != 0)
    vte_terminal_feed (self->terminal, "\r\n", 2);
}

/* A dim line of our own: "$ command", or how the run ended. */
void
_cb_terminal_pane_feed_note (CbTerminalPane *self,
           const char     *prefix,
           const char     *text)
{
  _cb_terminal_pane_feed_line_start (self);
  vte_terminal_feed (self->terminal, HEADER_SGR, -1);
  _cb_terminal_pane_feed_text (self, prefix);
  _cb_terminal_pane_feed_text (self, text);
  vte_terminal_feed (self->terminal, RESET_SGR "\r\n", -1);
}

/* Status strip */

static const char *
step_description (CbStopStep step)
{
  switch (step)
    {
    case CB_STOP_STEP_INTERRUPT:
      return _("sent Ctrl+C");
    case CB_STOP_STEP_TERMINATE:
      return _("sent SIGTERM");
    case CB_STOP_STEP_KILL:
      return _("sent SIGKILL");
    case CB_STOP_STEP_NONE:
    default:
      return "";
    }
}

static void
set_status (CbTerminalPane *self,
            const char     *text,
            const char     *icon_name,
            const char     *style)
{
  static const char * const styles[] = { "success", "warning", "error", NULL };

  for (guint i = 0; styles[i] != NULL; i++)
    {
      if (g_strcmp0 (style, styles[i]) != 0)
        gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), styles[i]);
    }
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), style);

  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  cb_widget_set_tooltip_text (GTK_WIDGET (self->status_label),
                              self->display_text != NULL ? self->display_text : text);

  if (g_strcmp0 (self->status_text, text) == 0)
    return;

  g_free (self->status_text);
  self->status_text = g_strdup (text);
  gtk_label_set_label (self->status_label, text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
}

/* How the last run ended, as its history record says. */
static CbRunOutcome
get_outcome (CbTerminalPane *self)
{
  if (self->user_stopped)
    return CB_RUN_OUTCOME_STOPPED;
  if (self->exit_signal > 0)
    return CB_RUN_OUTCOME_SIGNALED;
  if (self->exit_status < 0)
    return CB_RUN_OUTCOME_NOT_STARTED;
  return self->exit_status == 0 ? CB_RUN_OUTCOME_SUCCESS : CB_RUN_OUTCOME_FAILED;
}

void
_cb_terminal_pane_update_status (CbTerminalPane *self)
{
  g_autofree char *text = NULL;

  if (self->running && self->leader_exited)
    {
      g_autofree char *outcome = cb_describe_outcome (self->exit_status, self->exit_signal,
                                                      self->seconds);

      /* Translators: "Exited with status 0 after 4.2 s · stopping leftover processes: sent
       * SIGTERM…" */
      text = g_strdup_printf (_("%s · stopping leftover processes: %s…"),
                              outcome, step_description (self->stop_step));
      set_status (self, text, "process-stop-symbolic", "warning");
    }
  else if (self->running && self->stop_step != CB_STOP_STEP_NONE)
    {
      /* Translators: "Stopping: sent Ctrl+C…", "Stopping: sent SIGTERM…" */
      text = g_strdup_printf (_("Stopping: %s…"), step_description (self->stop_step));
      set_status (self, text, "process-stop-symbolic", "warning");
    }
  else if (self->running && self->stop_pending)
    {
      set_status (self, _("Stopping…"), "process-stop-symbolic", "warning");
    }
  else if (self->running && self->pid == 0)
    {
      /* Translators: %s is the command */
      text = g_strdup_printf (_("Starting: %s"), self->display_text);
      set_status (self, text, "system-run-symbolic", NULL);
    }
  else if (self->running)
    {
      gint64 elapsed = (g_get_monotonic_time () - self->start_usec) / G_USEC_PER_SEC;
      g_autofree char *clock = cb_format_elapsed (elapsed);

      /* Translators: "Running: uv run python train.py · 0:12 elapsed" */
      text = g_strdup_printf (_("Running: %s · %s elapsed"), self->display_text, clock);
      set_status (self, text, "system-run-symbolic", NULL);
    }
  else if (self->failure != NULL)
    {
      set_status (self, self->failure, "dialog-error-symbolic", "error");
    }
  else if (self->has_run)
    {
      const char *icon_name;
      const char *style_class;

      text = cb_describe_run_outcome (self->exit_status, self->exit_signal, self->user_stopped,
                                      self->seconds);
      cb_run_display_outcome_style (get_outcome (self), &icon_name, &style_class);
      set_status (self, text, icon_name, style_class);
    }
  else
    {
      set_status (self, _("Nothing has run yet"), "utilities-terminal-symbolic", NULL);
    }
}

static gboolean
clock_tick_cb (gpointer user_data)
{
  _cb_terminal_pane_update_status (CB_TERMINAL_PANE (user_data));

  return G_SOURCE_CONTINUE;
}

void
_cb_terminal_pane_update_actions (CbTerminalPane *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "term.stop", self->running);
  gtk_widget_action_set_enabled (widget, "term.paste", self->running && !self->leader_exited);
  gtk_widget_action_set_enabled (widget, "term.copy",
                                 vte_terminal_get_has_selection (self->terminal));
}

/* Ending a run */

static void
notify_desktop (CbTerminalPane *self)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *body = NULL;
  GApplication *app;
  GtkRoot *root;
  const char *title;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (!GTK_IS_WINDOW (root) || gtk_window_is_active (GTK_WINDOW (root)))
    return;

  app = g_application_get_default ();
  if (app == NULL || !g_application_get_is_registered (app))
    return;

  if (self->failure != NULL)
    outcome = g_strdup (self->failure);
  else
    outcome = cb_describe_run_outcome (self->exit_status, self->exit_signal, self->user_stopped,
                                       self->seconds);

  switch (get_outcome (self))
    {
    case CB_RUN_OUTCOME_SUCCESS:
      title = _("Run finished");
      break;

    case CB_RUN_OUTCOME_STOPPED:
      title = _("Run stopped");
      break;

    case CB_RUN_OUTCOME_SIGNALED:
    case CB_RUN_OUTCOME_FAILED:
    case CB_RUN_OUTCOME_NOT_STARTED:
    case CB_RUN_OUTCOME_RUNNING:
    case CB_RUN_OUTCOME_INTERRUPTED:
    default:
      title = _("Run failed");
      break;
    }

  body = g_strdup_printf ("%s\n%s", outcome, self->display_text);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_application_send_notification (app, "run-finished", notification);
}

/* The run is over and nothing of its group is left: tell everyone. */
void
_cb_terminal_pane_finish_run (CbTerminalPane *self)
{
  g_autofree char *outcome = NULL;

  g_assert (self->running);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  g_clear_handle_id (&self->ladder_source, g_source_remove);
  g_clear_handle_id (&self->reap_source, g_source_remove);
  g_clear_handle_id (&self->missing_cwd_source, g_source_remove);
  g_clear_object (&self->spawn_cancellable);

  self->running = FALSE;
  self->pid = 0;
  self->stop_pending = FALSE;
  self->has_run = TRUE;

  if (self->failure == NULL)
    {
      outcome = cb_describe_run_outcome (self->exit_status, self->exit_signal,
                                         self->user_stopped, self->seconds);
      _cb_terminal_pane_feed_note (self, "", outcome);
    }
  /* Nothing takes input now: no cursor until the next run. */
  vte_terminal_feed (self->terminal, "\033[?25l", -1);

  _cb_terminal_pane_update_status (self);
  _cb_terminal_pane_update_actions (self);
  if (self->job == NULL)
    _cb_terminal_pane_record_end (self);  /* a job's end is recorded by the job (cb-job-tmux.c) */
  notify_desktop (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[FINISHED], 0, self->exit_status, self->exit_signal, self->seconds);
}

/* The next rung of the ladder, now. */
void
_cb_terminal_pane_advance_stop (CbTerminalPane *self)
{
  g_assert (self->running && self->pid > 0);

  /* A job's ladder runs in a worker, here or on its host. */
  if (self->job != NULL)
    {
      _cb_terminal_pane_job_stop (self);
      return;
    }

  g_clear_handle_id (&self->ladder_source, g_source_remove);

  switch (self->stop_step)
    {
    case CB_STOP_STEP_NONE:
      self->stop_step = CB_STOP_STEP_INTERRUPT;
      if (!self->leader_exited && tty_interrupts_group (self))
        {
          vte_terminal_feed_child (self->terminal, "\003", 1);
        }
      else
        {
          if (!self->leader_exited)
            vte_terminal_feed_child (self->terminal, "\003", 1);
          signal_group (self, SIGINT);
        }
      self->ladder_source = g_timeout_add (self->interrupt_ms, ladder_timeout_cb, self);
      break;

    case CB_STOP_STEP_INTERRUPT:
      self->stop_step = CB_STOP_STEP_TERMINATE;
      signal_group (self, SIGTERM);
      self->ladder_source = g_timeout_add (self->terminate_ms, ladder_timeout_cb, self);
      break;

    case CB_STOP_STEP_TERMINATE:
    case CB_STOP_STEP_KILL:
    default:
      self->stop_step = CB_STOP_STEP_KILL;
      signal_group (self, SIGKILL);
      if (self->leader_exited)
        self->reap_deadline = g_get_monotonic_time () + REAP_GRACE_MS * G_TIME_SPAN_MILLISECOND;
      break;
    }

  _cb_terminal_pane_update_status (self);
}

static gboolean
ladder_timeout_cb (gpointer user_data)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (user_data);

  self->ladder_source = 0;
  _cb_terminal_pane_advance_stop (self);

  return G_SOURCE_REMOVE;
}

static gboolean
reap_poll_cb (gpointer user_data)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (user_data);

  if (cb_process_group_alive (self->pid))
    {
      if (self->reap_deadline == 0 || g_get_monotonic_time () < self->reap_deadline)
        return G_SOURCE_CONTINUE;

      g_debug ("Process group %d survives SIGKILL; giving up on it", (int) self->pid);
    }

  self->reap_source = 0;
  _cb_terminal_pane_finish_run (self);

  return G_SOURCE_REMOVE;
}

static char *
describe_spawn_error (const char   *program,
                      const GError *error)
{
  gboolean has_slash = strchr (program, '/') != NULL;
  const char *reason = error->message;
  const char *hint = NULL;

  if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      (error->domain == G_SPAWN_ERROR && error->code == G_SPAWN_ERROR_FAILED &&
       strstr (error->message, g_strerror (ENOENT)) != NULL))
    {
      reason = g_strerror (ENOENT);
      hint = has_slash ? _("Check that the file exists.")
                       : _("Is it installed and on your PATH?");
    }
  else if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_ACCES) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    {
      reason = g_strerror (EACCES);
      hint = _("Check that it is executable.");
    }
  else if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_CHDIR))
    {
      hint = _("Check that the project folder still exists.");
    }

  if (hint != NULL)
    /* Translators: "Could not start “uv”: No such file or directory. Is it installed and on
     * your PATH?" */
    return g_strdup_printf (_("Could not start “%s”: %s. %s"), program, reason, hint);

  /* Translators: "Could not start “uv”: <reason>" */
  return g_strdup_printf (_("Could not start “%s”: %s"), program, reason);
}

/* The command could not be started: say why, in the terminal and the status strip. */
void
_cb_terminal_pane_fail_to_start (CbTerminalPane *self,
               char           *message)
{
  g_assert (self->running);

  g_free (self->failure);
  self->failure = message;
  self->user_stopped = FALSE;  /* whether or not Stop was pressed, it never ran */
  self->exit_status = -1;
  self->exit_signal = 0;
  self->seconds = (g_get_monotonic_time () - self->start_usec) / (double) G_USEC_PER_SEC;

  _cb_terminal_pane_feed_line_start (self);
  vte_terminal_feed (self->terminal, "\033[1;31m", -1);
  _cb_terminal_pane_feed_text (self, self->failure);
  vte_terminal_feed (self->terminal, RESET_SGR "\r\n", -1);

  _cb_terminal_pane_finish_run (self);
}

/* Callbacks */

static gboolean
missing_cwd_cb (gpointer user_data)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (user_data);

  self->missing_cwd_source = 0;
  _cb_terminal_pane_fail_to_start (self,
                 /* Translators: "Could not start “uv” in “/home/me/ocr”: there is no such
                  * folder. …" */
                 g_strdup_printf (_("Could not start “%s” in “%s”: there is no such folder. "
                                    "Check that the project folder still exists."),
                                  self->argv[0], self->cwd));

  return G_SOURCE_REMOVE;
}

static void
spawn_cb (VteTerminal *terminal,
          GPid         pid,
          GError      *error,
          gpointer     user_data)
{
  SpawnData *data = user_data;
  g_autoptr(CbTerminalPane) self = g_weak_ref_get (&data->self);

  g_weak_ref_clear (&data->self);
  g_free (data);

  /* A job's client: the job has its own process group (and may be elsewhere). */
  if (self != NULL && self->job != NULL)
    {
      if (error != NULL && self->running && !self->job_stopping)
        {
          _cb_terminal_pane_feed_line_start (self);
          _cb_terminal_pane_feed_text (self, error->message);
          vte_terminal_feed (self->terminal, "\r\n", 2);
          _cb_terminal_pane_job_client_exited (self);
        }
      return;
    }

  if (self == NULL || !self->running || self->pid != 0)
    {
      /* The pane went away while the command was starting: do not leave it behind. */
      if (error == NULL && pid > 0)
        kill (-pid, SIGTERM);
      return;
    }

  if (error != NULL)
    {
      g_debug ("Spawning %s failed: %s", self->argv[0], error->message);
      _cb_terminal_pane_fail_to_start (self, describe_spawn_error (self->argv[0], error));
      return;
    }

  self->pid = pid;
  g_debug ("Started %s as %d", self->argv[0], (int) pid);

  _cb_terminal_pane_update_status (self);
  _cb_terminal_pane_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PID]);
  g_signal_emit (self, signals[STARTED], 0);

  /* Stop was pressed while it was starting; the signal handlers above may have run more
   * code, so check that this is still the same run. */
  if (self->stop_pending && self->running && self->pid == pid &&
      self->stop_step == CB_STOP_STEP_NONE)
    _cb_terminal_pane_advance_stop (self);
}

static void
child_exited_cb (VteTerminal    *terminal,
                 int             status,
                 CbTerminalPane *self)
{
  g_autoptr(GError) error = NULL;

  /* A job's terminal is a tmux client: its end says nothing of the job's. */
  if (self->job != NULL)
    {
      _cb_terminal_pane_job_client_exited (self);
      return;
    }

  if (!self->running || self->pid <= 0 || self->leader_exited)
    return;

  self->leader_exited = TRUE;
  self->seconds = (g_get_monotonic_time () - self->start_usec) / (double) G_USEC_PER_SEC;
  self->exit_status = -1;
  self->exit_signal = 0;

  if (g_spawn_check_wait_status (status, &error))
    self->exit_status = 0;
  else if (error->domain == G_SPAWN_EXIT_ERROR)
    self->exit_status = error->code;
  else if (WIFSIGNALED (status))
    self->exit_signal = WTERMSIG (status);

  g_debug ("Process %d exited: status %d, signal %d", (int) self->pid, self->exit_status,
           self->exit_signal);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  _cb_terminal_pane_update_actions (self);

  if (!cb_process_group_alive (self->pid))
    {
      _cb_terminal_pane_finish_run (self);
      return;
    }

  /* Leftovers of the group, such as workers that ignore SIGINT and SIGHUP: on with the
   * ladder, from SIGTERM at least, until nothing is left. A SIGTERM already sent keeps its
   * time to work before SIGKILL follows. */
  g_debug ("Process group %d outlives its leader", (int) self->pid);
  self->reap_deadline = 0;
  switch (self->stop_step)
    {
    case CB_STOP_STEP_NONE:
      self->stop_step = CB_STOP_STEP_INTERRUPT;
      _cb_terminal_pane_advance_stop (self);
      break;

    case CB_STOP_STEP_INTERRUPT:
    case CB_STOP_STEP_KILL:
      _cb_terminal_pane_advance_stop (self);
      break;

    case CB_STOP_STEP_TERMINATE:
    default:
      if (self->ladder_source == 0)
        self->ladder_source = g_timeout_add (self->terminate_ms, ladder_timeout_cb, self);
      _cb_terminal_pane_update_status (self);
      break;
    }

  self->reap_source = g_timeout_add (REAP_POLL_MS, reap_poll_cb, self);
}

static void
selection_changed_cb (VteTerminal    *terminal,
                      CbTerminalPane *self)
{
  _cb_terminal_pane_update_actions (self);
}

static gboolean
copy_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (widget);
  GtkRoot *root;
  GtkWidget *focus;

  if (vte_terminal_get_has_selection (self->terminal))
    {
      vte_terminal_copy_clipboard_format (self->terminal, VTE_FORMAT_TEXT);
      return TRUE;
    }

  /* Nothing selected: with the terminal focused, swallow the key anyway, or it would reach
   * the command as Ctrl+C. Elsewhere in the pane, let the window have it. */
  root = gtk_widget_get_root (widget);
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == GTK_WIDGET (self->terminal) ||
                           gtk_widget_is_ancestor (focus, GTK_WIDGET (self->terminal)));
}

static void
update_font (CbTerminalPane *self)
{
  g_autoptr(PangoFontDescription) font = NULL;
  g_autofree char *name = NULL;

  if (self->terminal == NULL)
    return;

  if (self->desktop_settings != NULL)
    name = g_settings_get_string (self->desktop_settings, "monospace-font-name");

  if (name != NULL && *name != '\0')
    font = pango_font_description_from_string (name);

  /* NULL is VTE's own default, "Monospace 10". */
  vte_terminal_set_font (self->terminal, font);
}

static void
update_colors (CbTerminalPane *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GdkRGBA foreground;
  GdkRGBA background;

  if (self->terminal == NULL)
    return;

  if (adw_style_manager_get_dark (manager))
    {
      gdk_rgba_parse (&foreground, "#ffffff");
      gdk_rgba_parse (&background, "#1e1e1e");
    }
  else
    {
      gdk_rgba_parse (&foreground, "#1e1e1e");
      gdk_rgba_parse (&background, "#fafafa");
    }

  vte_terminal_set_colors (self->terminal, &foreground, &background, NULL, 0);
}

/* Actions */

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  cb_terminal_pane_stop (CB_TERMINAL_PANE (widget));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  cb_terminal_pane_clear (CB_TERMINAL_PANE (widget));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (widget);

  if (vte_terminal_get_has_selection (self->terminal))
    vte_terminal_copy_clipboard_format (self->terminal, VTE_FORMAT_TEXT);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (widget);

  if (self->running && !self->leader_exited)
    vte_terminal_paste_clipboard (self->terminal);
}

/* GObject */

static void
cb_terminal_pane_dispose (GObject *object)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (object);

  g_cancellable_cancel (self->spawn_cancellable);
  g_clear_object (&self->spawn_cancellable);
  g_clear_handle_id (&self->clock_source, g_source_remove);
  g_clear_handle_id (&self->ladder_source, g_source_remove);
  g_clear_handle_id (&self->reap_source, g_source_remove);
  g_clear_handle_id (&self->missing_cwd_source, g_source_remove);

  /* A job runs on without the window; a direct run's terminal hangs up its session: make
   * sure the rest of the group goes too. */
  if (self->job != NULL)
    _cb_terminal_pane_job_dispose (self);
  else if (self->running && self->pid > 0 && cb_process_group_alive (self->pid))
    signal_group (self, SIGTERM);
  self->running = FALSE;
  self->pid = 0;

  if (self->history_list != NULL)
    gtk_list_box_bind_model (self->history_list, NULL, NULL, NULL, NULL);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  if (self->desktop_settings != NULL)
    g_signal_handlers_disconnect_by_data (self->desktop_settings, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_TERMINAL_PANE);

  g_clear_object (&self->history);
  g_clear_object (&self->desktop_settings);

  G_OBJECT_CLASS (cb_terminal_pane_parent_class)->dispose (object);
}

static void
cb_terminal_pane_finalize (GObject *object)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (object);

  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->cwd, g_free);
  g_clear_pointer (&self->display_text, g_free);
  g_clear_pointer (&self->page, g_free);
  g_clear_pointer (&self->failure, g_free);
  g_clear_pointer (&self->start_time, g_date_time_unref);
  g_clear_object (&self->started_record);
  g_clear_pointer (&self->status_text, g_free);
  g_clear_object (&self->job);

  G_OBJECT_CLASS (cb_terminal_pane_parent_class)->finalize (object);
}

static void
cb_terminal_pane_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_PID:
      g_value_set_int (value, self->pid);
      break;

    case PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;

    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_terminal_pane_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      cb_terminal_pane_set_history (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_terminal_pane_class_init (CbTerminalPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_terminal_pane_dispose;
  object_class->finalize = cb_terminal_pane_finalize;
  object_class->get_property = cb_terminal_pane_get_property;
  object_class->set_property = cb_terminal_pane_set_property;

  /**
   * CbTerminalPane:running:
   *
   * From cb_terminal_pane_run() until #CbTerminalPane::finished: while the command starts,
   * runs, is being stopped, and while leftovers of its process group are being stopped.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CbTerminalPane:pid:
   *
   * The command's process id, which is also its process group id; 0 when none.
   */
  properties[PROP_PID] =
    g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CbTerminalPane:history:
   *
   * Where finished runs are recorded and listed from; %NULL keeps none.
   */
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, CB_TYPE_RUN_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CbTerminalPane::started:
   *
   * The command was spawned; #CbTerminalPane:pid is set.
   */
  signals[STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CbTerminalPane::finished:
   * @exit_status: the exit status, or -1 when killed by a signal or never started
   * @signal: the signal that killed the command, or 0
   * @seconds: how long it ran
   *
   * The run is over and nothing of its process group is left. Emitted for commands that
   * could not start too (with -1, 0).
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_INT, G_TYPE_DOUBLE);

  /* The user asked, from the history, to copy / run again / load into its page @record. */
  signals[COPY_REQUESTED] =
    g_signal_new ("copy-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CB_TYPE_RUN_RECORD);
  signals[RERUN_REQUESTED] =
    g_signal_new ("rerun-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CB_TYPE_RUN_RECORD);
  signals[LOAD_REQUESTED] =
    g_signal_new ("load-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CB_TYPE_RUN_RECORD);

  g_type_ensure (VTE_TYPE_TERMINAL);
  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-terminal-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, header_box);
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, status_icon);
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, status_label);
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, history_button);
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, stop_button);
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, history_popover);
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, history_list);
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, CbTerminalPane, terminal);
  gtk_widget_class_bind_template_callback (widget_class, child_exited_cb);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);

  gtk_widget_class_install_action (widget_class, "term.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "term.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "term.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "term.paste", NULL, paste_action);
  _cb_terminal_pane_class_init_search (widget_class);

  gtk_widget_class_set_css_name (widget_class, "terminalpane");
}

static const CbTooltip tooltips[] = {
  { "history_button", N_("Recent runs") },
  { "search_button", N_("Find in the output (Ctrl+Shift+F)") },
  { "copy_button", N_("Copy the selected output (Ctrl+Shift+C)") },
  { "clear_button", N_("Clear the output") },
  { "stop_button", N_("Stop the command (Escape): Ctrl+C first, then SIGTERM, then SIGKILL. "
                      "Click again to skip to the next step.") },
  { "previous_button", N_("Previous match, further up (Enter or Ctrl+Shift+G)") },
  { "next_button", N_("Next match, further down (Ctrl+G)") },
};

static void
cb_terminal_pane_init (CbTerminalPane *self)
{
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;
  GtkEventController *controller;
  GtkShortcutController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  cb_widget_set_tooltips (GTK_WIDGET (self), tooltips, G_N_ELEMENTS (tooltips));

  self->interrupt_ms = CB_TERMINAL_PANE_DEFAULT_INTERRUPT_MS;
  self->terminate_ms = CB_TERMINAL_PANE_DEFAULT_TERMINATE_MS;

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  /* In the capture phase, so they run before the terminal sends the keys to the command. */
  controller = gtk_shortcut_controller_new ();
  shortcuts = GTK_SHORTCUT_CONTROLLER (controller);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
    shortcuts,
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                      gtk_callback_action_new (copy_shortcut_cb, NULL, NULL)));
  gtk_shortcut_controller_add_shortcut (
    shortcuts,
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                      gtk_named_action_new ("term.paste")));
  gtk_shortcut_controller_add_shortcut (
    shortcuts,
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                      gtk_named_action_new ("term.search")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  /* The system monospace font, following changes, when the desktop schema is installed. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "monospace-font-name"))
    {
      self->desktop_settings = g_settings_new_full (schema, NULL, NULL);
      g_signal_connect_object (self->desktop_settings, "changed::monospace-font-name",
                               G_CALLBACK (update_font), self, G_CONNECT_SWAPPED);
    }
  update_font (self);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_colors), self, G_CONNECT_SWAPPED);
  update_colors (self);

  _cb_terminal_pane_update_status (self);
  _cb_terminal_pane_update_actions (self);
}

/* A run's fields, fresh: it is running from now on, not started yet. */
void
_cb_terminal_pane_begin_run (CbTerminalPane     *self,
                             const char * const *argv,
                             const char         *cwd,
                             const char         *display_text,
                             const char         *page)
{
  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->cwd, g_free);
  g_clear_pointer (&self->display_text, g_free);
  g_clear_pointer (&self->page, g_free);
  g_clear_pointer (&self->failure, g_free);
  g_clear_pointer (&self->start_time, g_date_time_unref);

  self->argv = g_strdupv ((char **) argv);
  self->cwd = g_strdup (cwd);
  self->display_text = display_text != NULL ? g_strdup (display_text) : cb_shell_join (argv);
  self->page = g_strdup (page);
  self->start_time = g_date_time_new_now_utc ();
  self->start_usec = g_get_monotonic_time ();
  self->pid = 0;
  self->exit_status = -1;
  self->exit_signal = 0;
  self->seconds = 0.0;
  self->stop_step = CB_STOP_STEP_NONE;
  self->stop_pending = FALSE;
  self->user_stopped = FALSE;
  self->leader_exited = FALSE;
  self->reap_deadline = 0;
  self->running = TRUE;
}

void
_cb_terminal_pane_notify (CbTerminalPane *self,
                          guint           prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_cb_terminal_pane_emit_started (CbTerminalPane *self)
{
  g_signal_emit (self, signals[STARTED], 0);
}

/* Public API */

GtkWidget *
cb_terminal_pane_new (void)
{
  return g_object_new (CB_TYPE_TERMINAL_PANE, NULL);
}

/**
 * cb_terminal_pane_run:
 *
 * Same as cb_terminal_pane_run_full() without a page.
 */
gboolean
cb_terminal_pane_run (CbTerminalPane      *self,
                      const char * const  *argv,
                      const char          *cwd,
                      const char          *display_text,
                      GError             **error)
{
  return cb_terminal_pane_run_full (self, argv, cwd, display_text, NULL, error);
}

/**
 * cb_terminal_pane_run_full:
 * @argv: the command; argv[0] is looked up in `PATH` when it has no slash
 * @cwd: (nullable): the directory to run in (the project root)
 * @display_text: (nullable): the command as the user sees it; %NULL to quote @argv
 * @page: (nullable): the page the command was built on, for the history
 *
 * Spawns @argv in the terminal, in a new session and process group, with the user's
 * environment plus `TERM=xterm-256color` and `COLORTERM=truecolor`. Returns at once: the
 * outcome comes as #CbTerminalPane::started and #CbTerminalPane::finished, also when the
 * command cannot be started.
 *
 * Returns: %FALSE with @error set when a command is already running (nothing is spawned)
 *   or @argv is empty
 */
gboolean
cb_terminal_pane_run_full (CbTerminalPane      *self,
                           const char * const  *argv,
                           const char          *cwd,
                           const char          *display_text,
                           const char          *page,
                           GError             **error)
{
  g_auto(GStrv) envv = NULL;
  SpawnData *data;

  g_return_val_if_fail (CB_IS_TERMINAL_PANE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->running)
    {
      g_set_error_literal (error, CB_TERMINAL_PANE_ERROR, CB_TERMINAL_PANE_ERROR_BUSY,
                           _("A command is already running. Stop it before starting another."));
      return FALSE;
    }

  if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0')
    {
      g_set_error_literal (error, CB_TERMINAL_PANE_ERROR, CB_TERMINAL_PANE_ERROR_INVALID_ARGV,
                           _("There is no command to run."));
      return FALSE;
    }

  _cb_terminal_pane_begin_run (self, argv, cwd, display_text, page);
  g_clear_object (&self->job);
  _cb_terminal_pane_record_start (self);

  if (self->has_run)
    vte_terminal_feed (self->terminal, "\r\n", 2);
  _cb_terminal_pane_feed_note (self, "$ ", self->display_text);

  /* VTE would quietly fall back to another directory; a run must not write its outputs
   * somewhere else. Fail the same way as a spawn error does, after returning. */
  if (self->cwd != NULL && !g_file_test (self->cwd, G_FILE_TEST_IS_DIR))
    {
      self->missing_cwd_source = g_idle_add (missing_cwd_cb, self);
      _cb_terminal_pane_update_status (self);
      _cb_terminal_pane_update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      return TRUE;
    }

  envv = g_get_environ ();
  envv = g_environ_setenv (envv, "TERM", "xterm-256color", TRUE);
  envv = g_environ_setenv (envv, "COLORTERM", "truecolor", TRUE);

  self->spawn_cancellable = g_cancellable_new ();
  data = g_new0 (SpawnData, 1);
  g_weak_ref_init (&data->self, self);

  vte_terminal_spawn_async (self->terminal,
                            VTE_PTY_DEFAULT,
                            self->cwd,
                            self->argv,
                            envv,
                            G_SPAWN_SEARCH_PATH,
                            NULL, NULL, NULL,
                            -1,
                            self->spawn_cancellable,
                            spawn_cb,
                            data);

  self->clock_source = g_timeout_add (1000, clock_tick_cb, self);

  _cb_terminal_pane_update_status (self);
  _cb_terminal_pane_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  return TRUE;
}

/**
 * cb_terminal_pane_stop:
 *
 * Starts the stop ladder, or skips to its next step when it is already under way. Does
 * nothing when no command is running.
 */
void
cb_terminal_pane_stop (CbTerminalPane *self)
{
  g_return_if_fail (CB_IS_TERMINAL_PANE (self));

  if (!self->running)
    return;

  /* Once the command has exited by itself, Stop only hurries its leftovers along. */
  if (!self->leader_exited)
    self->user_stopped = TRUE;

  if (self->pid == 0)
    {
      /* Still starting: stop it as soon as it has a pid. */
      self->stop_pending = TRUE;
      _cb_terminal_pane_update_status (self);
      return;
    }

  _cb_terminal_pane_advance_stop (self);
}

/* Clears the output and the scrollback. */
void
cb_terminal_pane_clear (CbTerminalPane *self)
{
  g_return_if_fail (CB_IS_TERMINAL_PANE (self));

  vte_terminal_reset (self->terminal, TRUE, TRUE);
  if (!self->running)
    vte_terminal_feed (self->terminal, "\033[?25l", -1);
}

gboolean
cb_terminal_pane_get_running (CbTerminalPane *self)
{
  g_return_val_if_fail (CB_IS_TERMINAL_PANE (self), FALSE);

  return self->running;
}

GPid
cb_terminal_pane_get_pid (CbTerminalPane *self)
{
  g_return_val_if_fail (CB_IS_TERMINAL_PANE (self), 0);

  return self->pid;
}

CbStopStep
cb_terminal_pane_get_stop_step (CbTerminalPane *self)
{
  g_return_val_if_fail (CB_IS_TERMINAL_PANE (self), CB_STOP_STEP_NONE);

  return self->stop_step;
}

/* What the status strip says. */
const char *
cb_terminal_pane_get_status_text (CbTerminalPane *self)
{
  g_return_val_if_fail (CB_IS_TERMINAL_PANE (self), NULL);

  return self->status_text;
}

/**
 * cb_terminal_pane_set_stop_timeouts:
 * @interrupt_ms: how long to wait after Ctrl+C before SIGTERM
 * @terminate_ms: how long to wait after SIGTERM before SIGKILL
 *
 * For tests and impatient users; the defaults are 3 s each. Applies from the next step on.
 */
void
cb_terminal_pane_set_stop_timeouts (CbTerminalPane *self,
                                    guint           interrupt_ms,
                                    guint           terminate_ms)
{
  g_return_if_fail (CB_IS_TERMINAL_PANE (self));

  self->interrupt_ms = interrupt_ms;
  self->terminate_ms = terminate_ms;
}

/* Returns: (transfer none): the terminal, for tests and for focus handling */
VteTerminal *
cb_terminal_pane_get_terminal (CbTerminalPane *self)
{
  g_return_val_if_fail (CB_IS_TERMINAL_PANE (self), NULL);

  return self->terminal;
}

/* Returns: all the text in the terminal, scrollback included, with trailing blanks trimmed */
char *
cb_terminal_pane_dup_text (CbTerminalPane *self)
{
  g_autoptr(GOutputStream) stream = NULL;
  char *text;

  g_return_val_if_fail (CB_IS_TERMINAL_PANE (self), NULL);

  /* All of it, scrollback and screen, whatever the scroll adjustment says yet (it follows
   * the contents at the next layout). */
  stream = g_memory_output_stream_new_resizable ();
  if (!vte_terminal_write_contents_sync (self->terminal, stream, VTE_WRITE_DEFAULT, NULL, NULL) ||
      !g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL) ||
      !g_output_stream_close (stream, NULL, NULL))
    return g_strdup ("");
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
  return text != NULL ? text : g_strdup ("");
}
