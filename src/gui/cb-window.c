/* cb-window.c: the main window: page tabs, the pages, the command preview, the terminal
 *
 * Start-up builds only the visible page. The other two are built in low-priority idle
 * callbacks once the first frame has been painted, one page per callback, so that they
 * never delay a frame and a first visit of a tab costs what a later visit costs. After
 * that a tab switch only shows an already-built page and puts its command in the
 * preview: no schema parsing, no disk access, no widgets built.
 *
 * Every checkpoint picker shows the application scanner's one model. Running, the terminal
 * pane below the pages, the run history and closing while a run goes are in
 * cb-window-run.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-window.h"
#include "cb-window-private.h"
#include "cb-banner.h"
#include "cb-gui-types.h"
#include "cb-terminal-pane.h"
#include "cb-widget-util.h"
#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-problem.h"
#include "cb/cb-schema.h"

#include <string.h>

static const char * const page_names[] = { "train", "test", "predict" };

/* How long a new window waits for a config load that is still running (a real project's
 * configs load in under 10 ms). */
#define SNAPSHOT_WAIT_MS 50
#define SCAN_WAIT_MS 10

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_CONFIG_CACHE,
  PROP_CHECKPOINT_SCANNER,
  PROP_SETTINGS,
  PROP_SCHEMAS_DIR,
  PROP_PROBLEMS,
  PROP_TERMINAL_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CbWindow, cb_window, ADW_TYPE_APPLICATION_WINDOW)

static void focus_page_tab  (CbWindow *self);

static void
snapshot_changed_cb (CbConfigCache *cache,
                     GParamSpec    *pspec,
                     CbWindow      *self)
{
  _cb_window_update_problems (self);
  _cb_window_check_compose (self);
}

/* ------------------------------------------------------------------------------------ */
/* Pages                                                                                */

static CbPage *
page_for_name (CbWindow   *self,
               const char *name)
{
  if (g_strcmp0 (name, "train") == 0)
    return self->train_page;
  if (g_strcmp0 (name, "test") == 0)
    return self->test_page;
  if (g_strcmp0 (name, "predict") == 0)
    return self->predict_page;
  return NULL;
}

static void
form_changed_cb (CbForm   *form,
                 CbWindow *self)
{
  CbPage *page = cb_window_get_visible_page (self);

  /* Same frame as the edit: the preview is set from inside the form's own signal. */
  if (page != NULL && cb_page_get_form (page) == form)
    _cb_window_update_preview (self);
}

static void
build_page (CbWindow *self,
            CbPage   *page)
{
  const char *name = cb_page_get_page_name (page);
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = NULL;
  g_autoptr(CbForm) form = NULL;

  if (cb_page_is_built (page))
    return;

  path = cb_project_find_schema (self->project, self->schemas_dir, name);
  if (path == NULL)
    {
      /* Translators: %s is a page name, e.g. train */
      g_autofree char *message = g_strdup_printf (_("No schema file for the “%s” page was "
                                                    "found in the project or in the "
                                                    "installed data."), name);

      cb_page_show_error (page, _("No Schema for This Page"), message);
      return;
    }

  schema = cb_schema_load_file (path, problems, &error);
  for (guint i = 0; i < problems->len; i++)
    g_ptr_array_add (self->schema_problems,
                     cb_problem_copy (g_ptr_array_index (problems, i)));

  if (schema == NULL)
    {
      g_autoptr(GString) message = g_string_new (error ? error->message : NULL);

      for (guint i = 0; i < problems->len; i++)
        {
          g_autofree char *line = cb_problem_to_string (g_ptr_array_index (problems, i));

          if (strstr (message->str, line) != NULL)
            continue;
          if (message->len > 0)
            g_string_append_c (message, '\n');
          g_string_append (message, line);
        }

      cb_page_show_error (page, _("This Page Could Not Be Loaded"), message->str);
      _cb_window_update_problems (self);
      return;
    }

  form = cb_form_new (schema, name);
  cb_form_freeze (form);
  cb_form_set_project (form, self->project);
  if (self->config_cache != NULL && cb_config_cache_get_loaded (self->config_cache))
    cb_form_set_snapshot (form, cb_config_cache_get_snapshot (self->config_cache));
  if (self->checkpoint_scanner != NULL)
    {
      GListModel *checkpoints = cb_checkpoint_scanner_get_model (self->checkpoint_scanner);

      /* One model for every picker: its rows show it, the form takes its options from it. */
      cb_form_set_checkpoint_model (form, checkpoints);
      cb_page_set_checkpoint_model (page, checkpoints);
    }
  if (self->state_store != NULL)
    cb_state_store_add_form (self->state_store, form);
  cb_form_thaw (form);

  g_signal_connect_object (form, "changed", G_CALLBACK (form_changed_cb), self, 0);
  cb_page_set_form (page, form);

  if (problems->len > 0)
    _cb_window_update_problems (self);
}

static gboolean
all_pages_built (CbWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (!cb_page_is_built (page_for_name (self, page_names[i])))
      return FALSE;
  return TRUE;
}

static void
disconnect_after_paint (CbWindow *self)
{
  _cb_window_clear_clock_handler (&self->after_paint_handler, &self->after_paint_clock);
}

static gboolean
build_next_page_cb (gpointer data)
{
  CbWindow *self = data;

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      CbPage *page = page_for_name (self, page_names[i]);

      if (!cb_page_is_built (page))
        {
          /* One page per callback: a frame can be drawn between two of them. */
          build_page (self, page);
          if (!all_pages_built (self))
            return G_SOURCE_CONTINUE;
          break;
        }
    }

  self->build_source = 0;
  _cb_window_warm_up (self);
  _cb_window_check_compose (self);
  return G_SOURCE_REMOVE;
}

static void
after_first_paint_cb (GdkFrameClock *clock,
                      CbWindow      *self)
{
  disconnect_after_paint (self);

  if (self->build_source == 0 && !all_pages_built (self))
    {
      self->build_source = g_idle_add_full (G_PRIORITY_LOW, build_next_page_cb, self, NULL);
      g_source_set_name_by_id (self->build_source, "[command-builder] build pages");
    }
}

static void
visible_child_changed_cb (GtkStack   *stack,
                          GParamSpec *pspec,
                          CbWindow   *self)
{
  CbPage *page = cb_window_get_visible_page (self);
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    _cb_window_warm_up_switched (self);

  /* Only if the user got here before the idle build did. */
  if (page != NULL && !cb_page_is_built (page))
    build_page (self, page);

  _cb_window_update_preview (self);
  _cb_window_update_config_view (self);
  _cb_window_update_changes_view (self);

  /* Saved with the values, so that a crash does not lose it either. */
  if (page != NULL && self->state_store != NULL)
    cb_state_store_set_page (self->state_store, cb_page_get_page_name (page));

  /* Alt+1…3 with the focus on a tab: the focus follows to the tab now shown. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->switcher)))
    focus_page_tab (self);
}

/* ------------------------------------------------------------------------------------ */
/* Preview and copy                                                                     */

void
_cb_window_update_preview (CbWindow *self)
{
  CbPage *page = cb_window_get_visible_page (self);
  CbForm *form = page ? cb_page_get_form (page) : NULL;

  if (form == NULL)
    {
      cb_command_view_set_sweep (self->command_view, NULL);
      cb_command_view_set_command (self->command_view, "",
                                   page && cb_page_get_error (page)
                                     ? _("this page could not be loaded")
                                     : NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-command", FALSE);
      _cb_window_update_run_action (self);
      return;
    }
  else
    {
      CbCommand *command = cb_form_get_command (form);
      const char * const *errors = cb_form_get_errors (form);
      gboolean multiline = g_settings_get_boolean (self->settings, "multiline-preview");
      const char *text = NULL;
      g_autofree char *sweep = cb_form_describe_sweep (form);

      g_autofree char *on_target = _cb_window_dup_target_preview (self, page, command);

      if (on_target != NULL)
        text = on_target;
      else if (command != NULL)
        text = multiline ? cb_command_get_display_multiline (command)
                         : cb_command_get_display (command);

      cb_command_view_set_sweep (self->command_view, sweep);
      cb_command_view_set_job_script (self->command_view,
                                      on_target != NULL && g_str_has_prefix (on_target, "#!"));
      cb_command_view_set_multiline (self->command_view, multiline);
      cb_command_view_set_command (self->command_view, text,
                                   errors != NULL && errors[0] != NULL ? errors[0] : NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-command",
                                     text != NULL && *text != '\0');
      _cb_window_update_run_action (self);
    }
}

static void
show_copy_toast (CbWindow   *self,
                 const char *title)
{
  if (self->copy_toast != NULL)
    adw_toast_dismiss (self->copy_toast);

  self->copy_toast = cb_toast_new_text (title);
  adw_toast_set_timeout (self->copy_toast, 2);
  g_object_add_weak_pointer (G_OBJECT (self->copy_toast), (gpointer *) &self->copy_toast);
  adw_toast_overlay_add_toast (self->toast_overlay, self->copy_toast);
}

void
_cb_window_show_toast (CbWindow   *self,
                       const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, cb_toast_new_text (title));
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);
  const char *text = cb_command_view_get_text (self->command_view);

  if (text == NULL || *text == '\0')
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  show_copy_toast (self, _("Command copied"));
}

/* Ctrl+C outside a text field: the selected part of the preview if there is one, else the
 * whole command. */
static gboolean
copy_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  CbWindow *self = CB_WINDOW (widget);

  if (cb_command_view_has_selection (self->command_view))
    {
      g_autofree char *selected = cb_command_view_get_selected_text (self->command_view);

      gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), selected);
      show_copy_toast (self, _("Selection copied"));
      return TRUE;
    }

  return gtk_widget_activate_action (widget, "win.copy-command", NULL);
}

static void
switch_page_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  cb_window_set_visible_page (CB_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
multiline_changed_cb (GSettings  *settings,
                      const char *key,
                      CbWindow   *self)
{
  _cb_window_update_preview (self);
}

/* ------------------------------------------------------------------------------------ */
/* Window state                                                                         */

static void
save_window_state (CbWindow *self)
{
  int width, height;
  CbPage *page = cb_window_get_visible_page (self);

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (page != NULL)
    g_settings_set_string (self->settings, "last-page", cb_page_get_page_name (page));
  _cb_window_save_terminal_height (self);
  g_settings_apply (self->settings);
}

static gboolean
cb_window_close_request (GtkWindow *window)
{
  CbWindow *self = CB_WINDOW (window);

  /* A run is going: the user decides first (and the window closes when it has ended). */
  if (_cb_window_close_blocked (self))
    return TRUE;

  save_window_state (self);
  cb_window_save_state (self);

  return GTK_WINDOW_CLASS (cb_window_parent_class)->close_request (window);
}

static void
cb_window_map (GtkWidget *widget)
{
  CbWindow *self = CB_WINDOW (widget);

  GTK_WIDGET_CLASS (cb_window_parent_class)->map (widget);

  if (!all_pages_built (self) && self->after_paint_handler == 0)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

      if (clock != NULL)
        {
          self->after_paint_clock = g_object_ref (clock);
          self->after_paint_handler = g_signal_connect (clock, "after-paint",
                                                        G_CALLBACK (after_first_paint_cb),
                                                        self);
          gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
        }
    }
}

static void
cb_window_unmap (GtkWidget *widget)
{
  disconnect_after_paint (CB_WINDOW (widget));

  GTK_WIDGET_CLASS (cb_window_parent_class)->unmap (widget);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
setup_project (CbWindow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *display_path = NULL;
  g_autofree char *tooltip = NULL;
  const char *home = g_get_home_dir ();

  if (self->project == NULL)
    {
      gtk_widget_set_visible (self->project_button, FALSE);
      return;
    }

  /* Translators: the window title; %s is the project's folder name */
  title = g_strdup_printf (_("Command Builder — %s"), self->project->name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  g_free (self->title);
  self->title = g_steal_pointer (&title);

  if (home != NULL && g_str_has_prefix (self->project->root, home) &&
      (self->project->root[strlen (home)] == '/' || self->project->root[strlen (home)] == '\0'))
    display_path = g_strconcat ("~", self->project->root + strlen (home), NULL);
  else
    display_path = g_strdup (self->project->root);

  gtk_label_set_label (self->project_name_label, self->project->name);
  gtk_label_set_label (self->project_path_label, display_path);

  /* Translators: tooltip of the project button; %s is the project folder */
  tooltip = g_strdup_printf (_("%s\nOpen another project (Ctrl+O)"), self->project->root);
  cb_widget_set_tooltip_text (self->project_button, tooltip);

  {
    g_autofree char *state_path = cb_state_store_path_for_project (self->project->root);

    self->state_store = cb_state_store_new (state_path);
    _cb_window_watch_state (self);
  }
}

/* The first focus: the tab of the visible page. Left to itself GTK would pick a widget
 * before the window is laid out (the Copy button); from the tab, Tab walks into the page. */
static void
focus_page_tab (CbWindow *self)
{
  CbPage *page = cb_window_get_visible_page (self);
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->switcher));

  /* The switcher has one button per page, in page order. It updates their states after
   * the stack notifies, so go by position rather than by which button is active. */
  for (guint i = 0; i < G_N_ELEMENTS (page_names) && child != NULL; i++)
    {
      if (page_for_name (self, page_names[i]) == page)
        {
          gtk_window_set_focus (GTK_WINDOW (self), child);
          return;
        }
      child = gtk_widget_get_next_sibling (child);
    }
}

static void
cb_window_constructed (GObject *object)
{
  CbWindow *self = CB_WINDOW (object);
  g_autoptr(GAction) multiline = NULL;
  g_autofree char *last_page = NULL;
  int width, height;

  G_OBJECT_CLASS (cb_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  multiline = g_settings_create_action (self->settings, "multiline-preview");
  g_action_map_add_action (G_ACTION_MAP (self), multiline);
  g_signal_connect_object (self->settings, "changed::multiline-preview",
                           G_CALLBACK (multiline_changed_cb), self, 0);

  setup_project (self);
  _cb_window_init_run (self);
  _cb_window_init_predictions (self);

  /* The application started loading the configs before GTK initialised: the load is
   * usually done by now, its callback not yet run. Take its snapshot now (or wait a little
   * for it), so that the first page is built with its option lists: costs less than
   * measuring and painting the rows again when the callback lands before the first frame. */
  if (self->config_cache != NULL)
    cb_config_cache_install_finished (self->config_cache, SNAPSHOT_WAIT_MS * 1000);
  /* The same for the checkpoint scan, which also started before GTK did; a big outputs/ may
   * still be walking, and is not waited for long: its pickers fill when it is done. */
  if (self->checkpoint_scanner != NULL)
    cb_checkpoint_scanner_install_finished (self->checkpoint_scanner, SCAN_WAIT_MS * 1000);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    cb_page_set_config_cache (page_for_name (self, page_names[i]), self->config_cache);

  if (self->config_cache != NULL)
    {
      g_signal_connect_object (self->config_cache, "notify::snapshot",
                               G_CALLBACK (snapshot_changed_cb), self, 0);
      g_signal_connect_object (self->config_cache, "notify::loaded",
                               G_CALLBACK (snapshot_changed_cb), self, 0);
    }

  /* The visible page first, and only it: the project's own, else the last one shown. */
  if (self->state_store != NULL)
    last_page = cb_state_store_dup_page (self->state_store);
  if (page_for_name (self, last_page) == NULL)
    {
      g_free (last_page);
      last_page = g_settings_get_string (self->settings, "last-page");
    }
  if (page_for_name (self, last_page) == NULL)
    {
      g_free (last_page);
      last_page = g_strdup ("train");
    }
  gtk_stack_set_visible_child_name (self->stack, last_page);
  build_page (self, page_for_name (self, last_page));
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (visible_child_changed_cb), self, 0);

  _cb_window_update_preview (self);
  _cb_window_update_problems (self);
  focus_page_tab (self);
}

static void
cb_window_dispose (GObject *object)
{
  CbWindow *self = CB_WINDOW (object);

  g_clear_handle_id (&self->build_source, g_source_remove);
  disconnect_after_paint (self);
  _cb_window_dispose_warm_up (self);

  if (self->state_store != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!cb_state_store_flush (self->state_store, &error))
        g_warning ("%s", error->message);
    }

  if (self->copy_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->copy_toast), (gpointer *) &self->copy_toast);
  self->copy_toast = NULL;

  _cb_window_dispose_run (self);
  _cb_window_dispose_config (self);
  _cb_window_dispose_changes (self);
  _cb_window_dispose_menus (self);
  _cb_window_dispose_runs (self);
  _cb_window_dispose_predictions (self);
  g_cancellable_cancel (self->io_cancellable);
  g_clear_object (&self->io_cancellable);
  _cb_window_dispose_presets (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_WINDOW);

  g_clear_object (&self->state_store);
  g_clear_object (&self->config_cache);
  g_clear_object (&self->checkpoint_scanner);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->project, cb_project_unref);

  G_OBJECT_CLASS (cb_window_parent_class)->dispose (object);
}

static void
cb_window_finalize (GObject *object)
{
  CbWindow *self = CB_WINDOW (object);

  g_clear_pointer (&self->schemas_dir, g_free);
  g_clear_pointer (&self->project_problems, g_ptr_array_unref);
  g_clear_pointer (&self->schema_problems, g_ptr_array_unref);
  g_clear_pointer (&self->dismissed_problems, g_free);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (cb_window_parent_class)->finalize (object);
}

static void
cb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CbWindow *self = CB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_boxed (value, self->project);
      break;

    case PROP_CONFIG_CACHE:
      g_value_set_object (value, self->config_cache);
      break;

    case PROP_CHECKPOINT_SCANNER:
      g_value_set_object (value, self->checkpoint_scanner);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_SCHEMAS_DIR:
      g_value_set_string (value, self->schemas_dir);
      break;

    case PROP_PROBLEMS:
      g_value_set_boxed (value, self->project_problems);
      break;

    case PROP_TERMINAL_VISIBLE:
      g_value_set_boolean (value, self->terminal_visible);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CbWindow *self = CB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_boxed (value);
      break;

    case PROP_CONFIG_CACHE:
      self->config_cache = g_value_dup_object (value);
      break;

    case PROP_CHECKPOINT_SCANNER:
      self->checkpoint_scanner = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_SCHEMAS_DIR:
      self->schemas_dir = g_value_dup_string (value);
      break;

    case PROP_PROBLEMS:
      {
        GPtrArray *problems = g_value_get_boxed (value);

        for (guint i = 0; problems != NULL && i < problems->len; i++)
          g_ptr_array_add (self->project_problems,
                           cb_problem_copy (g_ptr_array_index (problems, i)));
      }
      break;

    case PROP_TERMINAL_VISIBLE:
      _cb_window_set_terminal_visible (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_window_class_init (CbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cb_window_constructed;
  object_class->dispose = cb_window_dispose;
  object_class->finalize = cb_window_finalize;
  object_class->get_property = cb_window_get_property;
  object_class->set_property = cb_window_set_property;

  widget_class->map = cb_window_map;
  widget_class->unmap = cb_window_unmap;

  window_class->close_request = cb_window_close_request;

  properties[PROP_PROJECT] =
    g_param_spec_boxed ("project", NULL, NULL, CB_TYPE_GUI_PROJECT,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIG_CACHE] =
    g_param_spec_object ("config-cache", NULL, NULL, CB_TYPE_CONFIG_CACHE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKPOINT_SCANNER] =
    g_param_spec_object ("checkpoint-scanner", NULL, NULL, CB_TYPE_CHECKPOINT_SCANNER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCHEMAS_DIR] =
    g_param_spec_string ("schemas-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEMS] =
    g_param_spec_boxed ("problems", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Whether the terminal pane is shown under the pages (win.show-terminal). */
  properties[PROP_TERMINAL_VISIBLE] =
    g_param_spec_boolean ("terminal-visible", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CB_TYPE_BANNER);
  g_type_ensure (CB_TYPE_COMMAND_VIEW);
  g_type_ensure (CB_TYPE_PAGE);
  g_type_ensure (CB_TYPE_TERMINAL_PANE);
  g_type_ensure (CB_TYPE_JOBS_PANE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, project_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, project_name_label);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, project_path_label);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, switcher);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, run_indicator);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, run_spinner);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, problems_banner);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, state_banner);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, train_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, test_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, predict_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, command_view);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, jobs_pane);

  gtk_widget_class_install_action (widget_class, "win.copy-command", NULL, copy_command_action);
  gtk_widget_class_install_action (widget_class, "win.switch-page", "s", switch_page_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-command", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                copy_shortcut_cb, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.switch-page", "s", "train");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.switch-page", "s", "test");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.switch-page", "s", "predict");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1, GDK_ALT_MASK,
                                       "win.switch-page", "s", "train");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_2, GDK_ALT_MASK,
                                       "win.switch-page", "s", "test");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_3, GDK_ALT_MASK,
                                       "win.switch-page", "s", "predict");

  _cb_window_class_init_run (widget_class);
  _cb_window_class_init_jobs (widget_class);
  _cb_window_class_init_config (widget_class);
  _cb_window_class_init_changes (widget_class);
  _cb_window_class_init_menus (widget_class);
  _cb_window_class_init_runs (widget_class);
  _cb_window_class_init_predictions (widget_class);
  _cb_window_class_init_import (widget_class);
  _cb_window_class_init_state (widget_class);
  _cb_window_class_init_script (widget_class);
  _cb_window_class_init_presets (widget_class);
  _cb_window_class_init_warm_up (widget_class);
}

static void
cb_window_init (CbWindow *self)
{
  self->project_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_problem_free);
  self->schema_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_problem_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  _cb_window_init_import (self);
  _cb_window_init_state (self);
  _cb_window_init_menus (self);
  _cb_window_init_problems (self);
  _cb_window_init_warm_up (self);
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                           */

/**
 * cb_window_new:
 * @application: (nullable): the application
 * @project: the project the pages build commands for
 * @config_cache: the application's config cache (its load may still be running)
 * @checkpoint_scanner: (nullable): the application's checkpoint scanner
 * @problems: (nullable): problems found while loading @project, shown in the banner
 */
CbWindow *
cb_window_new (GtkApplication      *application,
               CbProject           *project,
               CbConfigCache       *config_cache,
               CbCheckpointScanner *checkpoint_scanner,
               GPtrArray           *problems)
{
  return g_object_new (CB_TYPE_WINDOW,
                       "application", application,
                       "project", project,
                       "config-cache", config_cache,
                       "checkpoint-scanner", checkpoint_scanner,
                       "problems", problems,
                       NULL);
}

CbProject *
cb_window_get_project (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->project;
}

CbConfigCache *
cb_window_get_config_cache (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->config_cache;
}

CbPage *
cb_window_get_page (CbWindow   *self,
                    const char *page_name)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return page_for_name (self, page_name);
}

CbPage *
cb_window_get_visible_page (CbWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  child = gtk_stack_get_visible_child (self->stack);
  return CB_IS_PAGE (child) ? CB_PAGE (child) : NULL;
}

void
cb_window_set_visible_page (CbWindow   *self,
                            const char *page_name)
{
  g_return_if_fail (CB_IS_WINDOW (self));

  if (page_for_name (self, page_name) != NULL)
    gtk_stack_set_visible_child_name (self->stack, page_name);
}

/* Builds whatever the idle callbacks have not built yet: for tests and benchmarks. */
void
cb_window_build_all_pages (CbWindow *self)
{
  g_return_if_fail (CB_IS_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    build_page (self, page_for_name (self, page_names[i]));
  g_clear_handle_id (&self->build_source, g_source_remove);
}

CbCommandView *
cb_window_get_command_view (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->command_view;
}

CbStateStore *
cb_window_get_state_store (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->state_store;
}

GtkWidget *
cb_window_get_problems_banner (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->problems_banner);
}

/* Writes the pages' values now (they are otherwise written shortly after each change). */
gboolean
cb_window_save_state (CbWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CB_IS_WINDOW (self), FALSE);

  if (self->state_store == NULL)
    return TRUE;

  if (!cb_state_store_flush (self->state_store, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the page values: %s"),
                                                  error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, cb_toast_new_text (message));
      return FALSE;
    }

  return TRUE;
}
