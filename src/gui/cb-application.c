/* cb-application.c: the application: command line, project, config cache, app actions
 *
 * The application owns the one CbProject and the one CbConfigCache of the process and
 * hands them to its window. The project named on the command line (or the one start-up
 * would choose) is opened before GTK initialises: its config load and checkpoint scan run
 * in worker threads while GTK starts, and the window takes the finished config snapshot
 * when it is built (cb_config_cache_install_finished), so that its first page is built
 * once, with its option lists, and its first frame is not delayed by their arrival.
 *
 * Which project opens: --project DIR; else the current directory if it holds configs/;
 * else the project opened last; else the bundled demo project (copied to the user's data
 * folder so runs can write outputs/). --schemas DIR puts a folder of page schemas before
 * the project's and the bundled ones, as it does for the sub-commands.
 *
 * Opening the project that is already open (a second launch with the same --project, or
 * app.open-project on its folder) reads its settings file again: if they changed, a window
 * with the new settings replaces the old one, which saves its values first.
 *
 * One instance per session: a second `command-builder [--project DIR]` hands its command
 * line to the running instance and exits. The app actions below are exported on D-Bus, so
 * `gapplication action org.ocrkit.CommandBuilder ACTION [PARAMETER]` drives the window
 * from outside: switch-page ('train', 'test' or 'predict'), copy-command, run, stop and
 * open-project ('/path/to/project', or '' for the folder chooser).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "cb-application.h"
#include "cb-window.h"
#include "cb/cb-cli.h"
#include "cb/cb-problem.h"

struct _CbApplication
{
  AdwApplication  parent_instance;

  CbProject      *project;
  CbConfigCache  *config_cache;
  CbCheckpointScanner *checkpoint_scanner;
  GPtrArray      *project_problems;
  GCancellable   *cancellable;
  GSettings      *settings;
  char           *startup_project;   /* --project or DIR, for the early start */
  char           *first_word;        /* of the command line, if it is not an option */
  char           *schemas_dir;       /* --schemas, absolute; NULL for none */
  guint           signal_sources[3]; /* SIGTERM, SIGHUP, SIGINT */
};

G_DEFINE_FINAL_TYPE (CbApplication, cb_application, ADW_TYPE_APPLICATION)

static GSettings *
get_settings (CbApplication *self)
{
  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  return self->settings;
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cb_config_cache_load_finish (CB_CONFIG_CACHE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not load the configs: %s", error->message);
}

static gboolean
has_configs (const char *dir)
{
  g_autofree char *configs = g_build_filename (dir, "configs", NULL);

  return g_file_test (configs, G_FILE_TEST_IS_DIR);
}

static char *
resolve_project_root (CbApplication  *self,
                      const char     *explicit_dir,
                      const char     *cwd,
                      GError        **error)
{
  g_autofree char *last = NULL;

  if (explicit_dir != NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (explicit_dir, cwd);

      return cb_find_project_root (absolute, error);
    }

  if (cwd != NULL && has_configs (cwd))
    return cb_find_project_root (cwd, error);

  last = g_settings_get_string (get_settings (self), "last-project");
  if (last != NULL && *last != '\0' && has_configs (last))
    return cb_find_project_root (last, error);

  return cb_find_project_root (NULL, error);
}

/* The main window focused last: the Runs and Predictions windows belong to one too, and
 * may be the active window. */
static GtkWindow *
main_window (CbApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (CB_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
show_window (CbApplication *self)
{
  GtkWindow *old_window = main_window (self);
  CbWindow *window;

  if (old_window != NULL && CB_IS_WINDOW (old_window))
    {
      g_autofree char *old_schemas = NULL;

      g_object_get (old_window, "schemas-dir", &old_schemas, NULL);
      if (cb_window_get_project (CB_WINDOW (old_window)) == self->project &&
          g_strcmp0 (old_schemas, self->schemas_dir) == 0)
        {
          gtk_window_present (old_window);
          return;
        }

      /* The new window reads the values the old one has not written yet. */
      cb_window_save_state (CB_WINDOW (old_window));
    }

  window = g_object_new (CB_TYPE_WINDOW,
                         "application", self,
                         "project", self->project,
                         "config-cache", self->config_cache,
                         "checkpoint-scanner", self->checkpoint_scanner,
                         "problems", self->project_problems,
                         "schemas-dir", self->schemas_dir,
                         NULL);
  gtk_window_present (GTK_WINDOW (window));

  /* Another project replaces the one shown: its window saves its values as it closes. */
  if (old_window != NULL)
    gtk_window_close (old_window);
}

static gboolean
same_problems (GPtrArray *a,
               GPtrArray *b)
{
  guint n_a = a != NULL ? a->len : 0;
  guint n_b = b != NULL ? b->len : 0;

  if (n_a != n_b)
    return FALSE;

  for (guint i = 0; i < n_a; i++)
    {
      g_autofree char *line_a = cb_problem_to_string (g_ptr_array_index (a, i));
      g_autofree char *line_b = cb_problem_to_string (g_ptr_array_index (b, i));

      if (g_strcmp0 (line_a, line_b) != 0)
        return FALSE;
    }

  return TRUE;
}

/* Whether @a and @b, two loads of the same root, say the same. */
static gboolean
same_project (const CbProject *a,
              const CbProject *b)
{
  return g_strcmp0 (a->root, b->root) == 0 &&
         g_strcmp0 (a->settings_path, b->settings_path) == 0 &&
         (a->launcher == NULL ? b->launcher == NULL
                              : b->launcher != NULL &&
                                g_strv_equal ((const char * const *) a->launcher,
                                              (const char * const *) b->launcher)) &&
         g_strcmp0 (a->runners_dir, b->runners_dir) == 0 &&
         g_strcmp0 (a->configs_dir, b->configs_dir) == 0 &&
         g_strcmp0 (a->outputs_dir, b->outputs_dir) == 0 &&
         g_strcmp0 (a->schemas_dir, b->schemas_dir) == 0;
}

/* Makes @dir the project of the application, without a window: loads it, and starts
 * loading its configs and scanning its checkpoints in worker threads. When it is the
 * project already, its settings file is read again, and only if it says something else
 * does the project change. */
static gboolean
load_project (CbApplication  *self,
              const char     *dir,
              GError        **error)
{
  g_autofree char *root = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *configs_dir = NULL;
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  CbProject *project;

  root = resolve_project_root (self, dir, cwd, error);
  if (root == NULL)
    return FALSE;

  project = cb_project_load (root, problems);
  if (project == NULL)
    {
      g_autofree char *text = cb_problem_list_to_string (problems);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", text);
      return FALSE;
    }

  if (self->project != NULL && same_project (self->project, project) &&
      same_problems (self->project_problems, problems))
    {
      cb_project_unref (project);
      return TRUE;
    }

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_pointer (&self->project, cb_project_unref);
  self->project = project;
  g_clear_pointer (&self->project_problems, g_ptr_array_unref);
  self->project_problems = g_ptr_array_ref (problems);

  configs_dir = cb_project_get_path (project, project->configs_dir);
  g_clear_object (&self->config_cache);
  self->config_cache = cb_config_cache_new (configs_dir);
  cb_config_cache_watch (self->config_cache);
  cb_config_cache_load_async (self->config_cache, self->cancellable, load_cb, NULL);

  /* Prefetched before the user opens Test or Predict, and kept up to date as runs write
   * new checkpoints. */
  g_clear_object (&self->checkpoint_scanner);
  self->checkpoint_scanner = cb_checkpoint_scanner_new (project->root, project->outputs_dir);
  cb_checkpoint_scanner_rescan (self->checkpoint_scanner);
  cb_checkpoint_scanner_watch (self->checkpoint_scanner);

  g_settings_set_string (get_settings (self), "last-project", project->root);
  return TRUE;
}

/**
 * cb_application_open_project:
 * @dir: (nullable): the project folder, or %NULL to choose one as at start-up
 *
 * The window uses the schemas of the last command line (--schemas), if it gave any.
 *
 * Makes @dir the project of the application: loads it, starts loading its configs and
 * scanning its checkpoints in worker threads, and shows a window for it.
 */
gboolean
cb_application_open_project (CbApplication  *self,
                             const char     *dir,
                             GError        **error)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), FALSE);

  if (!load_project (self, dir, error))
    return FALSE;

  show_window (self);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Actions                                                                              */

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  CbApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing (rather than only g_application_quit) lets each window save its state. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  /* A D-Bus activated service would otherwise wait for its inactivity timeout. A window
   * that refused to close (to ask first) keeps the application. */
  if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
    g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  CbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The OCR Kit contributors", NULL };
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Command Builder"),
                        /* Until the app's own icon is installed. */
                        "application-icon", gtk_icon_theme_has_icon (theme, APP_ID)
                                              ? APP_ID : "utilities-terminal",
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The OCR Kit contributors"),
                        "developers", developers,
                        "comments", _("Build, copy and run the training, test and prediction "
                                      "commands of an OCR project."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
show_open_error (CbApplication *self,
                 const char    *message)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog;

  if (parent == NULL)
    {
      g_printerr ("command-builder: %s\n", message);
      return;
    }

  dialog = adw_message_dialog_new (parent, _("Could Not Open the Project"), message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_project_response_cb (GtkNativeDialog *dialog,
                          int              response,
                          gpointer         user_data)
{
  g_autoptr(CbApplication) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;
      g_autoptr(GError) error = NULL;

      if (path != NULL && !cb_application_open_project (self, path, &error))
        show_open_error (self, error->message);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_project (CbApplication *self)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Project"), parent,
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  if (self->project != NULL)
    {
      g_autoptr(GFile) current = g_file_new_for_path (self->project->root);
      g_autoptr(GFile) parent_dir = g_file_get_parent (current);

      if (parent_dir != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent_dir, NULL);
    }

  g_signal_connect (chooser, "response", G_CALLBACK (open_project_response_cb),
                    g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* app.open-project (s): '' asks with the folder chooser (the menu item, the header button,
 * Ctrl+O); a path opens that project, as `gapplication action … open-project "'/path'"`
 * does. A relative path is relative to the application's working directory. */
static void
open_project_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  CbApplication *self = user_data;
  const char *path = g_variant_get_string (param, NULL);
  g_autoptr(GError) error = NULL;

  if (*path == '\0')
    {
      choose_project (self);
      return;
    }

  if (!cb_application_open_project (self, path, &error))
    show_open_error (self, error->message);
}

/* The window the forwarding actions act on; with none yet (a D-Bus activated service, or
 * all windows closed) the application opens one as a plain launch would. */
static CbWindow *
get_window (CbApplication *self)
{
  GtkWindow *window = main_window (self);

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = main_window (self);
    }

  return window != NULL && CB_IS_WINDOW (window) ? CB_WINDOW (window) : NULL;
}

/* Forwards app.NAME to the window's win.NAME. The window installs its actions itself, so a
 * missing one (an older window) is reported, not fatal. */
static void
forward_to_window (CbApplication *self,
                   const char    *name,
                   GVariant      *param)
{
  CbWindow *window = get_window (self);
  g_autofree char *detailed = g_strconcat ("win.", name, NULL);

  if (window == NULL)
    {
      g_message ("No window for app.%s", name);
      return;
    }

  if (!gtk_widget_activate_action_variant (GTK_WIDGET (window), detailed, param))
    g_message ("The window has no action %s", detailed);
}

static void
switch_page_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  const char *page = g_variant_get_string (param, NULL);

  if (!g_str_equal (page, "train") && !g_str_equal (page, "test") &&
      !g_str_equal (page, "predict"))
    {
      g_message ("app.switch-page: no page '%s' (train, test or predict)", page);
      return;
    }

  forward_to_window (user_data, "switch-page", param);
}

static void
window_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  forward_to_window (user_data, g_action_get_name (G_ACTION (action)), param);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "open-project", open_project_action, "s" },
  { "switch-page", switch_page_action, "s" },
  { "copy-command", window_action },
  { "run", window_action },
  { "stop", window_action },
};

/* ------------------------------------------------------------------------------------ */
/* GApplication                                                                         */

/* SIGTERM, SIGHUP or SIGINT (a logout, `kill`, the terminal it was started from closing or
 * Ctrl+C there): what was typed within the save delay is written, then the app quits. */
static gboolean
terminate_cb (gpointer data)
{
  CbApplication *self = data;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (CB_IS_WINDOW (l->data))
      cb_window_save_state (l->data);
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_CONTINUE;
}

static void
cb_application_startup (GApplication *application)
{
  CbApplication *self = CB_APPLICATION (application);
  GtkApplication *app = GTK_APPLICATION (application);

  /* Only the primary instance gets here, before GTK initialises (in the parent's startup,
   * 60 ms or more): the project's configs load and its checkpoints are scanned meanwhile.
   * Errors are reported when the command line is handled, which opens the same project. */
  load_project (self, self->startup_project, NULL);

  G_APPLICATION_CLASS (cb_application_parent_class)->startup (application);

  self->signal_sources[0] = g_unix_signal_add (SIGTERM, terminate_cb, self);
  self->signal_sources[1] = g_unix_signal_add (SIGHUP, terminate_cb, self);
  self->signal_sources[2] = g_unix_signal_add (SIGINT, terminate_cb, self);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);

  gtk_application_set_accels_for_action (app, "app.quit",
                                         (const char * const[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (app, "app.about",
                                         (const char * const[]) { "F1", NULL });
  gtk_application_set_accels_for_action (app, "app.open-project('')",
                                         (const char * const[]) { "<Control>o", NULL });
  /* The window's own shortcuts (Ctrl+Shift+C, Ctrl+C, Alt+1…3) are bound in its class. */
}

static void
cb_application_activate (GApplication *application)
{
  CbApplication *self = CB_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  if (!cb_application_open_project (self, NULL, &error))
    g_printerr ("command-builder: %s\n", error->message);
}

/* `command-builder --version` answers locally, without starting or contacting an instance. */
static int
cb_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  CbApplication *self = CB_APPLICATION (application);
  g_autofree char *project = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  /* The project the command line will open, as cb_application_command_line() finds it. */
  if (!g_variant_dict_lookup (options, "project", "^ay", &project) && self->first_word != NULL)
    project = g_strdup (self->first_word);
  g_free (self->startup_project);
  self->startup_project = g_steal_pointer (&project);

  return -1;
}

/* Notes the folder given without --project (a word that is not an option), which the
 * option parser leaves to cb_application_command_line(). */
static gboolean
cb_application_local_command_line (GApplication   *application,
                                   char         ***arguments,
                                   int            *exit_status)
{
  CbApplication *self = CB_APPLICATION (application);
  const char *word = cb_cli_first_word (g_strv_length (*arguments), *arguments);

  g_free (self->first_word);
  self->first_word = g_strdup (word);

  return G_APPLICATION_CLASS (cb_application_parent_class)->local_command_line (application,
                                                                                arguments,
                                                                                exit_status);
}

/* Runs in the primary instance, also for a second launch: its --project (or a folder given
 * as the only argument) opens in this window. */
static int
cb_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  CbApplication *self = CB_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_auto(GStrv) arguments = g_application_command_line_get_arguments (command_line, NULL);
  g_autofree char *project = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *schemas = NULL;
  g_autoptr(GError) error = NULL;

  g_variant_dict_lookup (options, "project", "^ay", &project);
  g_variant_dict_lookup (options, "schemas", "^ay", &schemas);

  if (project == NULL && arguments[0] != NULL && arguments[1] != NULL)
    {
      guint first = g_str_equal (arguments[1], "--") ? 2 : 1;

      if (arguments[first] != NULL)
        project = g_strdup (arguments[first]);
    }

  /* A relative --project is relative to where the command was typed, which for a remote
   * instance is not our own directory. */
  if (project != NULL)
    absolute = g_canonicalize_filename (project,
                                        g_application_command_line_get_cwd (command_line));

  if (absolute == NULL && schemas == NULL &&
      gtk_application_get_active_window (GTK_APPLICATION (self)) != NULL)
    {
      gtk_window_present (gtk_application_get_active_window (GTK_APPLICATION (self)));
      return EXIT_SUCCESS;
    }

  /* The schemas of this command line, as the sub-commands take them: none given, none. */
  g_clear_pointer (&self->schemas_dir, g_free);
  if (schemas != NULL)
    {
      self->schemas_dir = g_canonicalize_filename (
        schemas, g_application_command_line_get_cwd (command_line));
      if (!g_file_test (self->schemas_dir, G_FILE_TEST_IS_DIR))
        {
          g_application_command_line_printerr (command_line,
                                               _("command-builder: --schemas: “%s” is not a "
                                                 "folder\n"), self->schemas_dir);
          g_clear_pointer (&self->schemas_dir, g_free);
          return EXIT_FAILURE;
        }
    }

  if (!cb_application_open_project (self, absolute, &error))
    {
      g_application_command_line_printerr (command_line, "command-builder: %s\n",
                                           error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}

static void
cb_application_dispose (GObject *object)
{
  CbApplication *self = CB_APPLICATION (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
    g_clear_handle_id (&self->signal_sources[i], g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->config_cache);
  g_clear_object (&self->checkpoint_scanner);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->project, cb_project_unref);
  g_clear_pointer (&self->project_problems, g_ptr_array_unref);
  g_clear_pointer (&self->startup_project, g_free);
  g_clear_pointer (&self->first_word, g_free);
  g_clear_pointer (&self->schemas_dir, g_free);

  G_OBJECT_CLASS (cb_application_parent_class)->dispose (object);
}

static void
cb_application_class_init (CbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cb_application_dispose;

  app_class->startup = cb_application_startup;
  app_class->activate = cb_application_activate;
  app_class->command_line = cb_application_command_line;
  app_class->handle_local_options = cb_application_handle_local_options;
  app_class->local_command_line = cb_application_local_command_line;
}

static void
cb_application_init (CbApplication *self)
{
  static const GOptionEntry options[] = {
    { "project", 'p', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open the project in DIR (a folder with configs/)"), N_("DIR") },
    { "schemas", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("A folder of page schemas that replaces the bundled ones"), N_("DIR") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  /* Translators: the arguments in "Usage: command-builder [OPTION…] [DIR]" */
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[DIR]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Build, copy and run the Hydra commands of an "
                                              "OCR training project."));
  g_application_set_option_context_description (G_APPLICATION (self),
    /* Translators: keep the command lines (print PAGE [KEY=VALUE…] …) as they are and
     * start the descriptions in the same column */
    _("Commands (print to the terminal; no window opens):\n"
      "  print PAGE [KEY=VALUE…]   Print the command of a page: train, test or predict\n"
      "  check                     Validate the schemas, the project settings and the configs\n"
      "  list-options [SOURCE]     Print the options of each source, or of one\n"
      "  list-checkpoints          Print the checkpoints under outputs/, newest first\n"
      "\n"
      "A running instance is reused: its window opens DIR.\n"
      "See command-builder(1) for the details."));
}

CbApplication *
cb_application_new (void)
{
  return g_object_new (CB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/ocrkit/CommandBuilder",
                       NULL);
}

CbProject *
cb_application_get_project (CbApplication *self)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), NULL);

  return self->project;
}

CbConfigCache *
cb_application_get_config_cache (CbApplication *self)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), NULL);

  return self->config_cache;
}
