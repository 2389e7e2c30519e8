/* test-window-lazy.c: what the window leaves until it is first used, and that it works then
 *
 *  - the main menu gets its popover when it first opens (a click or F10), and keeps it;
 *  - the Keyboard Shortcuts window is built on the first Ctrl+? or menu item, shown for the
 *    window, hidden by closing and shown again, destroyed with the window; the application's
 *    resources hold no `gtk/help-overlay.ui`, which GtkApplication would build for every
 *    window;
 *  - a tooltip set while the window is not on screen asks the X server nothing (GTK 4.8 asks
 *    where the pointer is at every gtk_widget_set_tooltip_text() on a visible widget), and
 *    neither does Run's tooltip, which changes at tab switches: the test counts
 *    XIQueryPointer calls, which this program interposes;
 *  - Run's tooltip is queried again at a switch that changes it only while the pointer is
 *    over Run (the pointer moved there with xdotool; gtk_widget_trigger_tooltip_query() is
 *    interposed and counted too).
 *
 * Runs under xvfb-run. Keys are typed through the X server with xdotool, as a user types
 * them; those checks are skipped without xdotool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <string.h>
#include <vte/vte.h>

#include "cb-command-view.h"
#include "cb-jobs-pane.h"
#include "cb-page.h"
#include "cb-widget-util.h"
#include "cb-window.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"

#define TIMEOUT_MS 30000
#define RESOURCES  "/org/ocrkit/CommandBuilder/"

/* Every XIQueryPointer of GTK's X11 backend comes here first: counted, then passed on. The
 * argument types are Xlib's and XInput2's, by their size (Display *, XID, structures). */
static guint n_pointer_queries;

int XIQueryPointer (void *display, int deviceid, unsigned long win, unsigned long *root,
                    unsigned long *child, double *root_x, double *root_y, double *win_x,
                    double *win_y, void *buttons, void *mods, void *group);

int
XIQueryPointer (void          *display,
                int            deviceid,
                unsigned long  win,
                unsigned long *root,
                unsigned long *child,
                double        *root_x,
                double        *root_y,
                double        *win_x,
                double        *win_y,
                void          *buttons,
                void          *mods,
                void          *group)
{
  static int (*real) (void *, int, unsigned long, unsigned long *, unsigned long *, double *,
                      double *, double *, double *, void *, void *, void *);

  if (real == NULL)
    real = cb_test_next_symbol ("XIQueryPointer");
  n_pointer_queries++;
  return real (display, deviceid, win, root, child, root_x, root_y, win_x, win_y,
               buttons, mods, group);
}

/* Every gtk_widget_trigger_tooltip_query() of the app's code comes here first (the app
 * calls GTK through its shared library): counted, then passed on. */
static guint      n_tooltip_triggers;
static GtkWidget *last_triggered;

void
gtk_widget_trigger_tooltip_query (GtkWidget *widget)
{
  static void (*real) (GtkWidget *);

  if (real == NULL)
    real = cb_test_next_symbol ("gtk_widget_trigger_tooltip_query");
  n_tooltip_triggers++;
  last_triggered = widget;
  real (widget);
}

static gboolean have_xdotool;

/* GTK 4.8's shortcuts window with libadwaita 1.2's style sheet measures a label of its own
 * at -3 pixels wide and warns, whoever builds the window (GtkApplication did the same). GTK
 * logs through g_log_structured(), which g_test_log_set_fatal_handler() is not asked about:
 * this writer drops that one warning and hands every other message to GLib's own writer,
 * which makes them fatal as the test framework asks. */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        message = fields[i].value;
    }
  if ((log_level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "Gtk") == 0 && message != NULL &&
      g_str_has_prefix (message, "GtkLabel ") && strstr (message, "reported min width -") != NULL)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static gboolean
is_primary_menu_button (GtkWidget *widget,
                        gpointer   data)
{
  return GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget));
}

static GtkMenuButton *
find_primary_menu_button (CbWindow *window)
{
  return GTK_MENU_BUTTON (cb_test_find_widget (GTK_WIDGET (window), is_primary_menu_button, NULL));
}

/* Whether @model, or a section of it, has an item that activates @action. */
static gboolean
menu_has_action (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_strcmp0 (name, action) == 0)
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }
  return FALSE;
}

static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (data);

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
}

static gboolean
popover_hidden (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (data);

  return popover == NULL || !gtk_widget_get_visible (GTK_WIDGET (popover));
}

static gboolean
shortcuts_shown (gpointer data)
{
  return cb_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) != NULL;
}

static gboolean
shortcuts_hidden (gpointer data)
{
  return cb_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) == NULL;
}

static CbWindow *
open_window (CbTestProject *p)
{
  CbWindow *window;

  cb_test_project_open (p, "test-window-lazy", 900, 700);
  window = cb_test_project_new_window (p);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (cb_test_spin_until (cb_test_cache_loaded, p->cache, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static void
close_window (CbTestProject *p,
              CbWindow      *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  cb_test_spin_pending ();
  cb_test_project_close (p);
}

static void
test_menu_on_first_open (void)
{
  CbTestProject p = { 0 };
  CbWindow *window = open_window (&p);
  GtkMenuButton *button = find_primary_menu_button (window);
  GtkPopover *popover;
  GMenuModel *model;

  g_assert_nonnull (button);
  /* Shown and usable, with nothing built behind it yet. */
  g_assert_null (gtk_menu_button_get_popover (button));
  g_assert_null (gtk_menu_button_get_menu_model (button));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (button)));

  gtk_menu_button_popup (button);
  g_assert_true (cb_test_spin_until (popover_shown, button, TIMEOUT_MS));
  popover = gtk_menu_button_get_popover (button);
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  model = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (model);
  g_assert_true (menu_has_action (model, "win.show-help-overlay"));
  g_assert_true (menu_has_action (model, "app.about"));
  g_assert_true (menu_has_action (model, "win.show-runs"));

  /* Closed and opened again: the same popover. */
  gtk_menu_button_popdown (button);
  g_assert_true (cb_test_spin_until (popover_hidden, button, TIMEOUT_MS));
  gtk_menu_button_popup (button);
  g_assert_true (cb_test_spin_until (popover_shown, button, TIMEOUT_MS));
  g_assert_true (gtk_menu_button_get_popover (button) == popover);
  g_assert_true (gtk_menu_button_get_menu_model (button) == model);
  gtk_menu_button_popdown (button);
  g_assert_true (cb_test_spin_until (popover_hidden, button, TIMEOUT_MS));

  close_window (&p, window);
}

/* F10 opens the main menu the first time too, as in every GNOME app. */
static void
test_menu_f10 (void)
{
  CbTestProject p = { 0 };
  CbWindow *window;
  GtkMenuButton *button;

  if (!have_xdotool)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }
  window = open_window (&p);
  button = find_primary_menu_button (window);
  g_assert_null (gtk_menu_button_get_popover (button));
  cb_test_type_keys (GTK_WIDGET (window), "F10");
  g_assert_true (cb_test_spin_until (popover_shown, button, TIMEOUT_MS));
  cb_test_type_keys (GTK_WIDGET (gtk_menu_button_get_popover (button)), "Escape");
  g_assert_true (cb_test_spin_until (popover_hidden, button, TIMEOUT_MS));
  close_window (&p, window);
}

static void
test_shortcuts_window (void)
{
  CbTestProject p = { 0 };
  CbWindow *window;
  GtkWidget *shortcuts, *again;
  GError *error = NULL;

  /* GtkApplication would build this file for every window it is given. */
  g_assert_false (g_resources_get_info (RESOURCES "gtk/help-overlay.ui", 0, NULL, NULL, &error));
  g_assert_error (error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  window = open_window (&p);
  g_assert_null (cb_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (cb_test_spin_until (shortcuts_shown, NULL, TIMEOUT_MS));
  shortcuts = cb_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (shortcuts)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (shortcuts)));
  /* Its texts are there, translated through the app's domain. */
  g_assert_nonnull (cb_widget_find_descendant (shortcuts, GTK_TYPE_SHORTCUTS_SHORTCUT));
  g_object_add_weak_pointer (G_OBJECT (shortcuts), (gpointer *) &shortcuts);

  /* Closing hides it; the next time shows the same window. */
  gtk_window_close (GTK_WINDOW (shortcuts));
  g_assert_true (cb_test_spin_until (shortcuts_hidden, NULL, TIMEOUT_MS));
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (cb_test_spin_until (shortcuts_shown, NULL, TIMEOUT_MS));
  again = cb_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_true (again == shortcuts);
  gtk_window_close (GTK_WINDOW (shortcuts));
  g_assert_true (cb_test_spin_until (shortcuts_hidden, NULL, TIMEOUT_MS));

  /* Ctrl+? as GtkApplication binds it for its own help overlays. */
  if (have_xdotool)
    {
      cb_test_type_keys (GTK_WIDGET (window), "ctrl+question");
      g_assert_true (cb_test_spin_until (shortcuts_shown, NULL, TIMEOUT_MS));
      g_assert_true (cb_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) == shortcuts);
    }

  /* It goes with its window. */
  close_window (&p, window);
  g_assert_null (shortcuts);
}

static gboolean
is_terminal (GtkWidget *widget,
             gpointer   data)
{
  return VTE_IS_TERMINAL (widget);
}

/* Run's tooltip says why it cannot run on Test and Predict (a checkpoint is required), and
 * what it does on Train: it changes at every switch, and no switch asks the X server where
 * the pointer is. The text is GTK's when it shows the tooltip, and the button's accessible
 * description, as GTK makes a tooltip. */
static void
test_run_tooltip_switch (void)
{
  CbTestProject p = { 0 };
  CbWindow *window = open_window (&p);
  GtkWidget *run = cb_command_view_get_run_button (cb_window_get_command_view (window));
  static const char * const order[] = { "test", "predict", "train", "test", "train" };
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  g_autofree char *train_text = NULL;
  guint before;

  g_assert_true (cb_test_spin_until (cb_test_all_pages_built, window, TIMEOUT_MS));
  cb_window_set_visible_page (window, "train");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  /* On screen, every page built, the idle-time warm-up done: still no terminal. */
  g_assert_cmpuint (cb_jobs_pane_get_n_panes (CB_JOBS_PANE (cb_window_get_jobs_pane (window))),
                    ==, 0);
  g_assert_null (cb_test_find_widget (GTK_WIDGET (window), is_terminal, NULL));
  train_text = g_strdup (cb_widget_get_list_tooltip (run));
  g_assert_nonnull (train_text);
  g_assert_false (g_str_has_prefix (train_text, "Not runnable"));

  before = n_pointer_queries;
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *text;
      g_autofree char *problem = NULL;
      gboolean shown = FALSE;

      cb_window_set_visible_page (window, order[i]);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      text = cb_widget_get_list_tooltip (run);
      g_assert_nonnull (text);
      if (g_str_equal (order[i], "train"))
        g_assert_cmpstr (text, ==, train_text);
      else
        g_assert_true (g_str_has_prefix (text, "Not runnable: "));
      problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (run),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text);
      g_assert_null (problem);
      g_signal_emit_by_name (run, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
      g_assert_true (shown);
    }
  /* Run's tooltip asked at four of these switches before. One query from elsewhere is let
   * through: a CI run under ASan saw one (212 against 211) that this test cannot place. */
  g_assert_cmpuint (n_pointer_queries - before, <=, 1);

  close_window (&p, window);
}

/* Moves the pointer through the X server (xdotool) to the middle of @widget, and lets GTK
 * handle the motion. */
static void
move_pointer (GtkWidget *window,
              GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  double x, y, shadow_x, shadow_y;

  g_assert_true (gtk_widget_translate_coordinates (widget, window,
                                                   gtk_widget_get_width (widget) / 2.0,
                                                   gtk_widget_get_height (widget) / 2.0,
                                                   &x, &y));
  /* The surface holds the window's shadow around what GTK calls the window. */
  gtk_native_get_surface_transform (GTK_NATIVE (window), &shadow_x, &shadow_y);
  cb_test_xdotool (window, "mousemove --sync --window %lu %d %d",
                   (unsigned long) gdk_x11_surface_get_xid (surface),
                   (int) (x + shadow_x), (int) (y + shadow_y));
}

static gboolean
pointer_inside (gpointer data)
{
  GtkWidget *run = data;
  GtkEventController *motion = g_object_get_data (G_OBJECT (run), "cb-live-tooltip-motion");

  return gtk_event_controller_motion_contains_pointer (GTK_EVENT_CONTROLLER_MOTION (motion));
}

/* With the pointer elsewhere, a tab switch that changes Run's tooltip asks GTK nothing; with
 * the pointer over Run, it asks GTK to query the tooltip again, so that one on screen shows
 * the new page's reason. */
static void
test_run_tooltip_under_pointer (void)
{
  CbTestProject p = { 0 };
  CbWindow *window;
  GtkWidget *run;

  if (!have_xdotool)
    {
      g_test_skip ("needs xdotool");
      return;
    }
  window = open_window (&p);
  run = cb_command_view_get_run_button (cb_window_get_command_view (window));
  g_assert_true (cb_test_spin_until (cb_test_all_pages_built, window, TIMEOUT_MS));
  cb_window_set_visible_page (window, "train");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* The pointer over the page: the switches change the text and ask nothing. */
  move_pointer (GTK_WIDGET (window), GTK_WIDGET (cb_window_get_visible_page (window)));
  g_assert_false (pointer_inside (run));
  n_tooltip_triggers = 0;
  cb_window_set_visible_page (window, "test");
  g_assert_true (g_str_has_prefix (cb_widget_get_list_tooltip (run), "Not runnable: "));
  cb_window_set_visible_page (window, "train");
  g_assert_false (g_str_has_prefix (cb_widget_get_list_tooltip (run), "Not runnable: "));
  g_assert_cmpuint (n_tooltip_triggers, ==, 0);

  /* Over Run: each change of the text asks once. */
  move_pointer (GTK_WIDGET (window), run);
  g_assert_true (cb_test_spin_until (pointer_inside, run, TIMEOUT_MS));
  last_triggered = NULL;
  cb_window_set_visible_page (window, "test");
  g_assert_cmpuint (n_tooltip_triggers, ==, 1);
  g_assert_true (last_triggered == run);
  /* Predict cannot run for the same reason: the same text, nothing to ask. */
  cb_window_set_visible_page (window, "predict");
  g_assert_cmpuint (n_tooltip_triggers, ==, 1);
  cb_window_set_visible_page (window, "train");
  g_assert_cmpuint (n_tooltip_triggers, ==, 2);

  close_window (&p, window);
}

static void
test_tooltip_off_screen (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *button = gtk_button_new_with_label ("Run");
  GtkWidget *loose = gtk_button_new_with_label ("Loose");
  guint before;

  g_object_ref_sink (loose);
  gtk_box_append (GTK_BOX (box), button);
  gtk_window_set_child (GTK_WINDOW (window), box);

  /* Not on screen, in a window or in none: no question to the server; the tooltip is set
   * and the widget shown as before. */
  before = n_pointer_queries;
  cb_widget_set_tooltip_text (button, "Run the command");
  cb_widget_set_tooltip_text (loose, "Loose");
  g_assert_cmpuint (n_pointer_queries, ==, before);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Run the command");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (loose), ==, "Loose");
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_get_visible (loose));
  g_assert_true (gtk_widget_get_has_tooltip (button));

  /* A hidden widget stays hidden. */
  gtk_widget_set_visible (loose, FALSE);
  cb_widget_set_tooltip_text (loose, "Still loose");
  g_assert_false (gtk_widget_get_visible (loose));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (loose), ==, "Still loose");

  /* On screen GTK asks (the count sees it: the test could fail), and the helper leaves it
   * to GTK, once per new text. */
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  before = n_pointer_queries;
  cb_widget_set_tooltip_text (button, "Run the command now");
  g_assert_cmpuint (n_pointer_queries, >, before);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Run the command now");
  before = n_pointer_queries;
  cb_widget_set_tooltip_text (button, "Run the command now");
  g_assert_cmpuint (n_pointer_queries, ==, before);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (loose);
  cb_test_spin_pending ();
}

/* Building the window asks the X server where the pointer is only where GTK and libadwaita
 * set tooltips of their own widgets: the stack switcher's three buttons and the search
 * entries of two drop-downs. GTK 4.8 asks at every tooltip set on a visible widget, even in
 * a window not yet on screen; our templates' `tooltip-text` properties asked 25 more times
 * (36 in all), so they are set in code instead, through cb_widget_set_tooltip_text(). The
 * terminal tab (whose tab and search bar asked 6 more times) is made on first use. */
#define GTK_OWN_POINTER_QUERIES 5

static gboolean
has_tooltip_text (GtkWidget *widget,
                  gpointer   data)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

static void
test_construction_asks_nothing (void)
{
  static const char * const tooltips[] = {
    "Main Menu", "Dismiss", "Forget every value set on this page", "Show the terminal",
    "Copy the command to the clipboard (Ctrl+Shift+C)",
  };
  static const char * const terminal_tooltips[] = {
    "Recent runs", "Clear the output", "Next match, further down (Ctrl+G)",
  };
  CbJobsPane *jobs_pane;
  CbTerminalPane *terminal;
  CbTestProject p = { 0 };
  CbWindow *window;
  guint before;

  cb_test_project_open (&p, "test-window-lazy", 900, 700);
  before = n_pointer_queries;
  window = cb_test_project_new_window (&p);
  g_test_message ("pointer queries while the window was built: %u",
                  n_pointer_queries - before);
  g_assert_cmpuint (n_pointer_queries - before, <=, GTK_OWN_POINTER_QUERIES);
  /* The tooltips are there all the same. */
  for (guint i = 0; i < G_N_ELEMENTS (tooltips); i++)
    if (cb_test_find_widget (GTK_WIDGET (window), has_tooltip_text, (gpointer) tooltips[i]) == NULL)
      g_error ("No widget has the tooltip “%s”", tooltips[i]);

  /* No terminal yet: it is made when the pane is first shown, with its tooltips. */
  jobs_pane = CB_JOBS_PANE (cb_window_get_jobs_pane (window));
  g_assert_cmpuint (cb_jobs_pane_get_n_panes (jobs_pane), ==, 0);
  g_assert_null (cb_test_find_widget (GTK_WIDGET (window), is_terminal, NULL));
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_jobs_pane_get_n_panes (jobs_pane), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-terminal", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (jobs_pane)));
  g_assert_cmpuint (cb_jobs_pane_get_n_panes (jobs_pane), ==, 1);
  terminal = cb_window_get_terminal_pane (window);
  g_assert_true (terminal == cb_jobs_pane_get_current (jobs_pane));
  g_assert_nonnull (cb_test_find_widget (GTK_WIDGET (terminal), is_terminal, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (terminal_tooltips); i++)
    if (cb_test_find_widget (GTK_WIDGET (terminal), has_tooltip_text,
                             (gpointer) terminal_tooltips[i]) == NULL)
      g_error ("No widget has the tooltip “%s”", terminal_tooltips[i]);
  /* Hidden again, it stays made; shown again, no second tab. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-terminal", NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (jobs_pane)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-terminal", NULL));
  g_assert_cmpuint (cb_jobs_pane_get_n_panes (jobs_pane), ==, 1);
  g_assert_true (cb_window_get_terminal_pane (window) == terminal);
  close_window (&p, window);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = NULL;
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  int ret;

  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  state_dir = cb_test_gui_init (&argc, &argv, "test-window-lazy");

  have_xdotool = xdotool != NULL;
  g_test_add_func ("/window-lazy/menu-on-first-open", test_menu_on_first_open);
  g_test_add_func ("/window-lazy/menu-f10", test_menu_f10);
  g_test_add_func ("/window-lazy/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/window-lazy/tooltip-off-screen", test_tooltip_off_screen);
  g_test_add_func ("/window-lazy/run-tooltip-switch", test_run_tooltip_switch);
  g_test_add_func ("/window-lazy/run-tooltip-under-pointer", test_run_tooltip_under_pointer);
  g_test_add_func ("/window-lazy/construction-asks-nothing", test_construction_asks_nothing);

  ret = g_test_run ();
  cb_test_remove_tree (state_dir);
  return ret;
}
