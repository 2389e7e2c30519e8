/* cb-window-run.c: running the visible page's command in the window's terminal pane
 *
 * The terminal pane sits under the pages and the command preview, as the end child of a
 * vertical GtkPaned. It stays hidden until the first run of a session (nothing is spawned
 * at start-up) and then keeps the height the user gave it last (GSettings
 * "terminal-height"); win.show-terminal hides and shows it.
 *
 *   win.run     Ctrl+Return   runs the page's argv in the project root; disabled while the
 *                             page has errors and while a run goes (the pane refuses a
 *                             second one too)
 *   win.stop    Escape        the pane's stop ladder (Ctrl+C, SIGTERM, SIGKILL). Escape
 *               Ctrl+.        reaches the window last: a popover, a drop-down or the
 *                             output's search bar closes first, and with no run going it
 *                             is not taken. Ctrl+. is taken first, even from the terminal.
 *   win.find-in-output  Ctrl+Shift+F
 *   win.show-terminal   the pane shown or hidden; shown while a run goes
 *
 * Run and Stop are two buttons in two places: Run beside Copy above the pane, Stop in the
 * pane's own bar (insensitive when nothing runs). A Stop click that lands just after the run
 * ended finds an insensitive Stop, never a Run.
 *
 * When a run ends, the checkpoint scanner looks again, so that the checkpoints the run
 * wrote appear in the pickers of Test and Predict. Each project has one run history (kept
 * by the pane); from it a run can be copied, run again or loaded back into its page.
 * Closing the window while a run goes asks first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb/cb-job-form.h"
#include "cb-window-private.h"
#include "cb/cb-form.h"
#include "cb-widget-util.h"

/* ------------------------------------------------------------------------------------ */
/* The terminal's place                                                                 */

/* The paned's handle: its one child that is neither the pages nor the pane. */
static int
handle_height (CbWindow *self)
{
  GtkWidget *paned = GTK_WIDGET (self->paned);

  for (GtkWidget *child = gtk_widget_get_first_child (paned); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (child != gtk_paned_get_start_child (self->paned) &&
          child != gtk_paned_get_end_child (self->paned))
        {
          int minimum = 0;

          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, -1, &minimum, NULL, NULL, NULL);
          return minimum;
        }
    }

  return 0;
}

/* Gives the pane its remembered height. FALSE when the paned has no size yet. */
static gboolean
apply_terminal_height (CbWindow *self)
{
  int paned_height = gtk_widget_get_height (GTK_WIDGET (self->paned));
  int height = g_settings_get_int (self->settings, "terminal-height");

  if (paned_height <= 0)
    return FALSE;

  height = CLAMP (height, CB_WINDOW_MIN_TERMINAL_HEIGHT,
                  MAX (CB_WINDOW_MIN_TERMINAL_HEIGHT,
                       paned_height - CB_WINDOW_MIN_PAGES_HEIGHT));
  gtk_paned_set_position (self->paned, paned_height - height - handle_height (self));
  return TRUE;
}

static gboolean
terminal_height_tick_cb (GtkWidget     *widget,
                         GdkFrameClock *clock,
                         gpointer       user_data)
{
  CbWindow *self = CB_WINDOW (widget);

  if (!apply_terminal_height (self))
    return G_SOURCE_CONTINUE;

  self->terminal_height_tick = 0;
  return G_SOURCE_REMOVE;
}

/* Remembers the pane's height, if it is shown and has one. */
void
_cb_window_save_terminal_height (CbWindow *self)
{
  int height;

  if (!self->terminal_visible || !gtk_widget_get_mapped (GTK_WIDGET (self->jobs_pane)))
    return;

  height = gtk_widget_get_height (GTK_WIDGET (self->jobs_pane));
  if (height > 0 && height != g_settings_get_int (self->settings, "terminal-height"))
    g_settings_set_int (self->settings, "terminal-height", height);
}

void
_cb_window_set_terminal_visible (CbWindow *self,
                                 gboolean  visible)
{
  GtkWidget *pane = GTK_WIDGET (self->jobs_pane);

  visible = !!visible;
  if (self->terminal_visible == visible)
    return;

  /* Stop is in the pane: it stays on screen while there is something to stop. */
  if (!visible && cb_jobs_pane_get_n_running (self->jobs_pane) > 0)
    return;

  if (!visible)
    {
      GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

      _cb_window_save_terminal_height (self);
      if (self->terminal_height_tick != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->terminal_height_tick);
      self->terminal_height_tick = 0;

      /* Keyboard users keep a place: the command, just above. */
      if (focus != NULL && gtk_widget_is_ancestor (focus, pane))
        gtk_widget_child_focus (GTK_WIDGET (self->command_view), GTK_DIR_TAB_FORWARD);
    }

  self->terminal_visible = visible;
  gtk_widget_set_visible (pane, visible);

  if (visible && !apply_terminal_height (self) && self->terminal_height_tick == 0)
    self->terminal_height_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self),
                                                               terminal_height_tick_cb,
                                                               NULL, NULL);

  g_object_notify (G_OBJECT (self), "terminal-visible");
}

/* ------------------------------------------------------------------------------------ */
/* Running                                                                              */

/* The job of @argv on @target: the page's own (a sweep's runs, a Slurm job script) when
 * @argv is the page's command, else @argv alone. */
static CbJob *
new_job (CbWindow           *self,
         const char * const *argv,
         const char         *display_text,
         const char         *page_name,
         const CbTarget     *target)
{
  CbPage *page = page_name != NULL ? cb_window_get_page (self, page_name) : NULL;
  CbForm *form = page != NULL ? cb_page_get_form (page) : NULL;
  CbCommand *command = form != NULL ? cb_form_get_command (form) : NULL;

  if (command != NULL && g_strv_equal ((const char * const *) cb_command_get_argv (command),
                                       argv))
    return cb_job_new_from_form (self->project->root, form, target);
  return cb_job_new_for_argv (self->project->root, page_name, argv, display_text, target);
}

/* Runs @argv as a job (detached: it outlives the window) on the page's target, in a tab of
 * its own when one runs already. Without tmux here, a local run goes straight into the
 * terminal, as before jobs, and says that it ends with the window. */
static gboolean
run_argv (CbWindow           *self,
          const char * const *argv,
          const char         *display_text,
          const char         *page_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbJob) job = NULL;
  const CbTarget *target = _cb_window_get_page_target (self, page_name);
  CbTerminalPane *pane;

  _cb_window_set_terminal_visible (self, TRUE);
  pane = cb_jobs_pane_get_idle_pane (self->jobs_pane);

  if (self->project == NULL ||
      (cb_target_is_local (target) && !_cb_window_have_tmux (self)))
    {
      if (!cb_terminal_pane_run_full (pane, argv,
                                      self->project != NULL ? self->project->root : NULL,
                                      display_text, page_name, &error))
        {
          _cb_window_show_toast (self, error->message);
          return FALSE;
        }
      return TRUE;
    }

  job = new_job (self, argv, display_text, page_name, target);
  if (job == NULL)
    {
      _cb_window_show_toast (self, _("The project’s folder cannot be written in a job script "
                                     "(it holds a \", \\ or line break)"));
      return FALSE;
    }
  if (!cb_terminal_pane_run_job (pane, job, &error))
    {
      _cb_window_show_toast (self, error->message);
      return FALSE;
    }
  if (self->job_monitor != NULL)
    cb_job_monitor_add (self->job_monitor, job);
  return TRUE;
}

/* Run can while the visible page builds a valid command and nothing runs. Its tooltip
 * (the command view's) says why not. Called on every edit and tab switch: no more than a
 * few flag reads. */
void
_cb_window_update_run_action (CbWindow *self)
{
  CbPage *page = cb_window_get_visible_page (self);
  CbForm *form = page != NULL ? cb_page_get_form (page) : NULL;
  gboolean runnable = FALSE;

  /* Several runs may go at once: a new one takes a tab of its own. */
  if (form != NULL && cb_form_is_valid (form))
    {
      CbCommand *command = cb_form_get_command (form);
      const char * const *argv = command != NULL ? cb_command_get_argv (command) : NULL;

      runnable = argv != NULL && argv[0] != NULL;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", runnable);
}

static void
run_page (CbWindow *self,
          CbPage   *page)
{
  CbForm *form = cb_page_get_form (page);
  CbCommand *command;

  if (form == NULL || !cb_form_is_valid (form))
    return;

  command = cb_form_get_command (form);
  run_argv (self, cb_command_get_argv (command), cb_command_get_display (command),
            cb_page_get_page_name (page));
}

static void
mismatch_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      CbWindow         *self)
{
  CbPage *page = g_object_get_data (G_OBJECT (dialog), "cb-page");

  if (page == NULL || cb_page_get_form (page) == NULL)
    return;
  if (g_strcmp0 (response, "use") == 0)
    cb_form_use_checkpoint_settings (cb_page_get_form (page));
  if (g_strcmp0 (response, "use") == 0 || g_strcmp0 (response, "run") == 0)
    run_page (self, page);
}

/* Loading a checkpoint into a model other than the one it was trained with, or a command the
 * project's Hydra config refuses, can only fail, late, on the GPU: ask first. */
static gboolean
ask_about_mismatches (CbWindow *self,
                      CbPage   *page)
{
  CbForm *form = cb_page_get_form (page);
  g_auto(GStrv) mismatches = cb_form_get_mismatches (form);
  const char *hydra = cb_form_get_hydra_error (form);
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  if (mismatches[0] == NULL && hydra == NULL)
    return FALSE;

  if (hydra != NULL)
    g_string_append (body, hydra);
  for (guint i = 0; mismatches[i] != NULL; i++)
    g_string_append_printf (body, "%s%s", body->len ? "\n" : "", mismatches[i]);

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   hydra != NULL
                                     ? _("Hydra will refuse this command. Run anyway?")
                                     : _("Run with settings the checkpoint was not trained with?"),
                                   body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "run", _("Run _Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "run",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  if (mismatches[0] != NULL)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "use",
                                       _("_Use the Checkpoint’s Settings and Run"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "use",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "use");
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "cb-page", g_object_ref (page), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (mismatch_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);
  CbPage *page = cb_window_get_visible_page (self);
  CbForm *form = page != NULL ? cb_page_get_form (page) : NULL;

  if (form == NULL || !cb_form_is_valid (form))
    return;
  if (ask_about_mismatches (self, page))
    return;

  run_page (self, page);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->terminal_pane != NULL)
    cb_terminal_pane_stop (self->terminal_pane);
}

/* Escape and Ctrl+.: stop the run, if one goes; otherwise the key is not ours. */
static gboolean
stop_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->terminal_pane == NULL || !cb_terminal_pane_get_running (self->terminal_pane))
    return FALSE;

  cb_terminal_pane_stop (self->terminal_pane);
  return TRUE;
}

static void
find_in_output_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);

  _cb_window_set_terminal_visible (self, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (cb_window_get_terminal_pane (self)), "term.search",
                              NULL);
}

static void
update_running (CbWindow *self)
{
  guint n_running = cb_jobs_pane_get_n_running (self->jobs_pane);
  gboolean running = n_running > 0;
  gboolean current_running = self->terminal_pane != NULL &&
                             cb_terminal_pane_get_running (self->terminal_pane);
  const char *title = self->title != NULL ? self->title : _("Command Builder");

  gtk_widget_set_visible (self->run_indicator, running);
  gtk_spinner_set_spinning (self->run_spinner, running);
  cb_command_view_set_running (self->command_view, current_running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", current_running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-terminal", !running);
  if (running)
    _cb_window_set_terminal_visible (self, TRUE);

  if (n_running > 1)
    {
      /* Translators: the window title while several commands run */
      g_autofree char *running_title = g_strdup_printf (_("%s — %u Running"), title, n_running);

      gtk_window_set_title (GTK_WINDOW (self), running_title);
    }
  else if (running)
    {
      /* Translators: the window title while a command runs; %s is the usual title */
      g_autofree char *running_title = g_strdup_printf (_("%s — Running"), title);

      gtk_window_set_title (GTK_WINDOW (self), running_title);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), title);

  _cb_window_update_run_action (self);
}

static void
running_changed_cb (CbJobsPane *jobs_pane,
                    CbWindow   *self)
{
  update_running (self);
}

static void
status_changed_cb (CbTerminalPane *pane,
                   GParamSpec     *pspec,
                   CbWindow       *self)
{
  if (pane == self->terminal_pane)
    cb_widget_set_tooltip_text (self->run_indicator, cb_terminal_pane_get_status_text (pane));
}

static gboolean
close_after_run_cb (gpointer user_data)
{
  if (!gtk_widget_in_destruction (GTK_WIDGET (user_data)))
    gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
finished_cb (CbTerminalPane *pane,
             int             exit_status,
             int             exit_signal,
             double          seconds,
             CbWindow       *self)
{
  /* New checkpoints, for Test and Predict: unchanged folders are not read again. */
  if (self->checkpoint_scanner != NULL)
    cb_checkpoint_scanner_rescan (self->checkpoint_scanner);

  if (self->close_after_run && cb_jobs_pane_get_n_running (self->jobs_pane) == 0)
    {
      /* Not from inside the pane's own signal: the pane goes with the window. */
      g_idle_add_full (G_PRIORITY_DEFAULT, close_after_run_cb, g_object_ref (self),
                       g_object_unref);
      return;
    }

  /* The pane's status strip says how it ended; with the pane hidden, a toast does. */
  if (!self->terminal_visible)
    _cb_window_show_toast (self, cb_terminal_pane_get_status_text (pane));
}

/* ------------------------------------------------------------------------------------ */
/* The run history                                                                      */

static void
copy_requested_cb (CbTerminalPane *pane,
                   CbRunRecord    *record,
                   CbWindow       *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          cb_run_record_get_command (record));
  _cb_window_show_toast (self, _("Command copied"));
}

static void
rerun_requested_cb (CbTerminalPane *pane,
                    CbRunRecord    *record,
                    CbWindow       *self)
{
  run_argv (self, cb_run_record_get_argv (record), cb_run_record_get_command (record),
            cb_run_record_get_page (record));
}

/* Use This Run's Settings: the entry's command into its page, as a paste (with Undo). */
static void
load_requested_cb (CbTerminalPane *pane,
                   CbRunRecord    *record,
                   CbWindow       *self)
{
  const char *page_name = cb_run_record_get_page (record);
  g_autoptr(CbParseResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (page_name == NULL || cb_window_get_page (self, page_name) == NULL)
    {
      _cb_window_show_toast (self, _("This run does not say which page built it"));
      return;
    }

  result = cb_command_parse_argv (cb_run_record_get_argv (record), page_name, self->project,
                                  &error);
  if (result == NULL || !_cb_window_load_parse_result (self, result, &error))
    {
      /* Translators: %s says why, e.g. "not a command of the train page" */
      g_autofree char *message = g_strdup_printf (_("Could not load the command: %s"),
                                                  error->message);

      _cb_window_show_toast (self, message);
    }
}

static void
setup_history (CbWindow *self)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (self->project == NULL)
    return;

  path = cb_run_history_path_for_project (self->project->root);
  self->run_history = cb_run_history_new (path);
  if (!cb_run_history_load (self->run_history, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not read the run history: %s"),
                                                  error->message);

      g_message ("%s", message);
      _cb_window_show_toast (self, message);
    }

  cb_jobs_pane_set_history (self->jobs_pane, self->run_history);
}

/* ------------------------------------------------------------------------------------ */
/* Closing while a run goes                                                             */

static void
stop_all (CbWindow *self)
{
  for (guint i = 0; i < cb_jobs_pane_get_n_panes (self->jobs_pane); i++)
    {
      CbTerminalPane *pane = cb_jobs_pane_get_pane (self->jobs_pane, i);

      if (cb_terminal_pane_get_running (pane))
        cb_terminal_pane_stop (pane);
    }
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   CbWindow         *self)
{
  if (g_strcmp0 (response, "background") == 0)
    {
      /* The jobs go on in their tmux sessions; the next start attaches to them again. Not
       * from inside the dialog's own signal: the dialog goes with the window. */
      self->close_to_background = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT, close_after_run_cb, g_object_ref (self),
                       g_object_unref);
      return;
    }
  if (g_strcmp0 (response, "stop") != 0)
    return;

  if (cb_jobs_pane_get_n_running (self->jobs_pane) == 0)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  /* The window closes on `finished`, once nothing of any run is left. */
  self->close_after_run = TRUE;
  stop_all (self);
}

/* TRUE when the window must stay open for now: runs are going. Asks the user. */
gboolean
_cb_window_close_blocked (CbWindow *self)
{
  guint n_running = cb_jobs_pane_get_n_running (self->jobs_pane);
  gboolean detachable = cb_jobs_pane_all_detachable (self->jobs_pane);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (n_running == 0 || self->close_to_background)
    return FALSE;

  /* Asked and answered "Stop and Close": closing again takes the next step at once. */
  if (self->close_after_run)
    {
      stop_all (self);
      return TRUE;
    }

  if (self->close_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->close_dialog));
      return TRUE;
    }

  if (detachable)
    body = g_strdup (g_dngettext (GETTEXT_PACKAGE,
                                  "A run is still going. It can keep running in the background: "
                                  "the next time the window opens, it shows the run again, or "
                                  "how it ended.",
                                  "Runs are still going. They can keep running in the background: "
                                  "the next time the window opens, it shows them again, or how "
                                  "they ended.", n_running));
  else
    body = g_strdup (_("A command is still running in the terminal. Closing the window stops it: "
                       "Ctrl+C first, then SIGTERM and SIGKILL if it does not end."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   detachable ? _("Keep the runs going?") : _("Stop the run and close?"),
                                   body);
  if (detachable)
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "stop", _("_Stop and Close"),
                                        "background", _("_Keep Running in the Background"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "background",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "background");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
    }
  else
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "keep", _("_Keep Running"),
                                        "stop", _("_Stop and Close"),
                                        NULL);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
    }
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);

  cb_window_keep (&self->close_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Set-up                                                                               */

void
_cb_window_class_init_run (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.find-in-output", NULL,
                                   find_in_output_action);
  gtk_widget_class_install_property_action (widget_class, "win.show-terminal",
                                            "terminal-visible");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.find-in-output", NULL);
  /* In the bubble phase: whatever has the focus uses Escape first. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, stop_shortcut_cb, NULL);
}

/* Every terminal tab's runs end, copy, run again and load back into their page alike. */
static void
pane_added_cb (CbJobsPane     *jobs_pane,
               CbTerminalPane *pane,
               CbWindow       *self)
{
  g_signal_connect_object (pane, "notify::status-text", G_CALLBACK (status_changed_cb), self, 0);
  g_signal_connect_object (pane, "finished", G_CALLBACK (finished_cb), self, 0);
  g_signal_connect_object (pane, "copy-requested", G_CALLBACK (copy_requested_cb), self, 0);
  g_signal_connect_object (pane, "rerun-requested", G_CALLBACK (rerun_requested_cb), self, 0);
  g_signal_connect_object (pane, "load-requested", G_CALLBACK (load_requested_cb), self, 0);
}

static void
current_changed_cb (CbJobsPane *jobs_pane,
                    GParamSpec *pspec,
                    CbWindow   *self)
{
  CbTerminalPane *current = cb_jobs_pane_get_current (jobs_pane);

  if (current == NULL)
    return;
  self->terminal_pane = current;
  cb_widget_set_tooltip_text (self->run_indicator, cb_terminal_pane_get_status_text (current));
  update_running (self);
}

/* The current terminal tab: made on first use (cb-jobs-pane.c); notify::current keeps
 * terminal_pane up to date once _cb_window_init_run() has connected to it. */
CbTerminalPane *
cb_window_get_terminal_pane (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  if (self->terminal_pane == NULL && self->jobs_pane != NULL)
    self->terminal_pane = cb_jobs_pane_get_current (self->jobs_pane);
  return self->terminal_pane;
}

/* At construction; spawns nothing. */
void
_cb_window_init_run (CbWindow *self)
{
  GtkEventController *controller;

  setup_history (self);

  /* Ctrl+. in the capture phase, before the terminal would send it to the command. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_period, GDK_CONTROL_MASK),
                      gtk_callback_action_new (stop_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect_object (self->jobs_pane, "pane-added", G_CALLBACK (pane_added_cb), self, 0);
  g_signal_connect_object (self->jobs_pane, "running-changed",
                           G_CALLBACK (running_changed_cb), self, 0);
  g_signal_connect_object (self->jobs_pane, "notify::current",
                           G_CALLBACK (current_changed_cb), self, 0);
  for (guint i = 0; i < cb_jobs_pane_get_n_panes (self->jobs_pane); i++)
    pane_added_cb (self->jobs_pane, cb_jobs_pane_get_pane (self->jobs_pane, i), self);
  _cb_window_init_jobs (self);

  /* The first terminal tab is made on first use (cb-jobs-pane.c): no pane yet, most often. */
  if (cb_jobs_pane_get_n_panes (self->jobs_pane) > 0)
    current_changed_cb (self->jobs_pane, NULL, self);
  else
    update_running (self);
}

void
_cb_window_dispose_run (CbWindow *self)
{
  if (self->terminal_height_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->terminal_height_tick);
  self->terminal_height_tick = 0;

  cb_window_destroy_kept (&self->close_dialog);

  if (self->jobs_pane != NULL)
    {
      for (guint i = 0; i < cb_jobs_pane_get_n_panes (self->jobs_pane); i++)
        g_signal_handlers_disconnect_by_data (cb_jobs_pane_get_pane (self->jobs_pane, i), self);
      g_signal_handlers_disconnect_by_data (self->jobs_pane, self);
    }
  self->terminal_pane = NULL;
  _cb_window_dispose_jobs (self);

  g_clear_object (&self->run_history);
}
