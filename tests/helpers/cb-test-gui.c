/* cb-test-gui.c: widget and toast helpers shared by the GUI test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <dlfcn.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "cb-page.h"
#include "cb-test-gui.h"
#include "cb-terminal-pane.h"
#include "cb-test-util.h"
#include "cb-widget-util.h"
#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-config-cache.h"
#include "cb/cb-problem.h"
#include "cb-state-store.h"

/**
 * cb_test_gui_init:
 * @name: the test program's name, for its temporary folder
 *
 * Sets up a GUI test program: the test accessibility backend, cairo, untranslated strings,
 * a temporary XDG_STATE_HOME (the page states of the test projects go there, not into the
 * user's), then GTest, GTK and libadwaita.
 *
 * Returns: the temporary state folder, for cb_test_remove_tree() at the end
 */
char *
cb_test_gui_init (int         *argc,
                  char      ***argv,
                  const char  *name)
{
  g_autofree char *template = g_strconcat (name, "-state-XXXXXX", NULL);
  char *state_dir;

  g_setenv ("GTK_A11Y", "test", FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("LANGUAGE", "C", TRUE);
  state_dir = g_dir_make_tmp (template, NULL);
  g_assert_nonnull (state_dir);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);

  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
  return state_dir;
}

/* Adds the app's style sheet to the display, as AdwApplication does for the app (a test
 * builds its windows without the application). */
void
cb_test_load_app_style (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (css, "/org/ocrkit/CommandBuilder/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* Whether the window's three pages are built (the two not shown are, in idle time). */
gboolean
cb_test_all_pages_built (gpointer window)
{
  return cb_page_is_built (cb_window_get_page (window, "train")) &&
         cb_page_is_built (cb_window_get_page (window, "test")) &&
         cb_page_is_built (cb_window_get_page (window, "predict"));
}

gboolean
cb_test_cache_loaded (gpointer cache)
{
  return cb_config_cache_get_loaded (cache);
}

gboolean
cb_test_scanner_loaded (gpointer scanner)
{
  return cb_checkpoint_scanner_get_loaded (scanner);
}

/* For cb_test_spin_until(): the terminal pane's run has a process. */
gboolean
cb_test_pane_started (gpointer pane)
{
  return cb_terminal_pane_get_pid (pane) > 0;
}

/* For cb_test_spin_until(): nothing runs in the terminal pane. */
gboolean
cb_test_pane_idle (gpointer pane)
{
  return !cb_terminal_pane_get_running (pane);
}

/* The first mapped descendant of @root whose CSS name is @name, or NULL. */
GtkWidget *
cb_test_find_by_css_name (GtkWidget  *root,
                          const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_css_name (child), name) == 0 && gtk_widget_get_mapped (child))
        return child;
      if ((found = cb_test_find_by_css_name (child, name)) != NULL)
        return found;
    }
  return NULL;
}

static void
count_frame_cb (GdkFrameClock *clock,
                guint         *n)
{
  (*n)++;
}

typedef struct
{
  guint  n;
  gint64 last;
} Quiet;

static void
quiet_frame_cb (GdkFrameClock *clock,
                Quiet         *quiet)
{
  quiet->n++;
  quiet->last = g_get_monotonic_time ();
}

/* Spins until @widget's frame clock has run no frame for @quiet_ms (at most @timeout_ms):
 * what a change just made still paints is over. */
void
cb_test_wait_quiet (GtkWidget *widget,
                    guint      quiet_ms,
                    guint      timeout_ms)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  Quiet quiet = { 0, g_get_monotonic_time () };
  gint64 end = quiet.last + (gint64) timeout_ms * 1000;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "before-paint", G_CALLBACK (quiet_frame_cb), &quiet);
  while (g_get_monotonic_time () < end
         && g_get_monotonic_time () - quiet.last < (gint64) quiet_ms * 1000)
    cb_test_spin_for (10);
  g_signal_handler_disconnect (clock, handler);
}

/* How many frames @widget's frame clock runs in the next @ms of the main loop: an idle
 * window runs none; something animating (a spinner, even on a page not shown) runs one
 * every refresh, about 60 a second. */
guint
cb_test_count_frames (GtkWidget *widget,
                      guint      ms)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint n = 0;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "before-paint", G_CALLBACK (count_frame_cb), &n);
  cb_test_spin_for (ms);
  g_signal_handler_disconnect (clock, handler);
  return n;
}

static gboolean
spinner_stopped (gpointer spinner)
{
  return !gtk_spinner_get_spinning (spinner);
}

static gboolean
three_frames (gpointer n)
{
  return *(guint *) n >= 3;
}

/* At most this many frames in 500 ms count as idle: a late frame or two of what came before
 * on a loaded machine, where a spinning spinner runs about 30. */
#define CB_TEST_IDLE_FRAMES 5

/* @window, left alone, runs no frames, and its spinner (on a stack page not shown) spins
 * only while its page is shown: a spinning spinner ticks the frame clock even unmapped. */
void
cb_test_assert_idle_with_spinner (GtkWidget *window)
{
  GtkWidget *spinner = cb_widget_find_descendant (window, GTK_TYPE_SPINNER);
  GtkWidget *stack, *shown;
  GdkFrameClock *clock;
  gulong handler;
  guint n = 0;

  g_assert_nonnull (spinner);
  g_assert_false (gtk_widget_get_mapped (spinner));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  /* A spinning spinner never lets the clock rest: 5 s is long enough on a loaded machine. */
  cb_test_wait_quiet (window, 300, 5000);
  g_assert_cmpuint (cb_test_count_frames (window, 500), <=, CB_TEST_IDLE_FRAMES);

  /* Its page shown, it spins; hidden again, it stops. */
  stack = gtk_widget_get_parent (spinner);
  g_assert_true (GTK_IS_STACK (stack));
  shown = gtk_stack_get_visible_child (GTK_STACK (stack));
  gtk_stack_set_visible_child (GTK_STACK (stack), spinner);
  g_assert_true (gtk_widget_get_mapped (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  /* Its frames are waited for: a loaded machine may paint fewer than 3 in a fixed 300 ms. */
  clock = gtk_widget_get_frame_clock (window);
  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "before-paint", G_CALLBACK (count_frame_cb), &n);
  g_assert_true (cb_test_spin_until (three_frames, &n, 30000));
  g_signal_handler_disconnect (clock, handler);
  gtk_stack_set_visible_child (GTK_STACK (stack), shown);
  g_assert_true (cb_test_spin_until (spinner_stopped, spinner, 30000));
  cb_test_wait_quiet (window, 300, 5000);
  g_assert_cmpuint (cb_test_count_frames (window, 500), <=, CB_TEST_IDLE_FRAMES);
}

/* The visible toplevel of @type, or NULL. */
GtkWidget *
cb_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

/* The text of the first mapped toast's title, or NULL. */
char *
cb_test_toast_title (GtkWidget *window)
{
  GtkWidget *toast = cb_test_find_by_css_name (window, "toast");
  GtkWidget *label;

  if (toast == NULL)
    return NULL;
  label = cb_widget_find_descendant (toast, GTK_TYPE_LABEL);
  return label != NULL ? g_strdup (gtk_label_get_text (GTK_LABEL (label))) : NULL;
}

typedef struct
{
  GtkWidget  *window;
  const char *prefix;
} ToastWait;

static gboolean
toast_starts_with (gpointer data)
{
  ToastWait *wait = data;
  g_autofree char *title = cb_test_toast_title (wait->window);

  return title != NULL && g_str_has_prefix (title, wait->prefix);
}

/* Waits for a toast whose title starts with @prefix; fails the test saying what is shown. */
void
cb_test_wait_for_toast (GtkWidget  *window,
                        const char *prefix,
                        guint       timeout_ms)
{
  ToastWait wait = { window, prefix };

  if (!cb_test_spin_until (toast_starts_with, &wait, timeout_ms))
    {
      g_autofree char *title = cb_test_toast_title (window);

      g_error ("no toast “%s…”; the toast says “%s”", prefix, title);
    }
}

/**
 * cb_test_project_open:
 * @name: the test's name, for the temporary folder
 *
 * Copies the demo project into a temporary folder, loads it, forgets any page state saved
 * for it, starts its config cache loading and its checkpoint scan, and makes memory-backed
 * settings with the window size @width x @height.
 */
void
cb_test_project_open (CbTestProject *p,
                      const char    *name,
                      int            width,
                      int            height)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strconcat (name, "-XXXXXX", NULL);
  g_autofree char *tmp = g_dir_make_tmp (template, &error);
  g_autofree char *configs = NULL;
  g_autofree char *state = NULL;

  g_assert_no_error (error);
  p->copy = g_build_filename (tmp, "demo", NULL);
  g_assert_true (cb_copy_demo_project (p->copy, &error));
  p->project = cb_project_load (p->copy, problems);
  g_assert_nonnull (p->project);
  state = cb_state_store_path_for_project (p->project->root);
  g_unlink (state);

  configs = cb_project_get_path (p->project, p->project->configs_dir);
  p->cache = cb_config_cache_new (configs);
  cb_config_cache_load_async (p->cache, NULL, NULL, NULL);
  p->scanner = cb_checkpoint_scanner_new (p->project->root, p->project->outputs_dir);
  cb_checkpoint_scanner_rescan (p->scanner);

  p->backend = g_memory_settings_backend_new ();
  p->settings = g_settings_new_with_backend (APP_ID, p->backend);
  g_settings_set_int (p->settings, "window-width", width);
  g_settings_set_int (p->settings, "window-height", height);
}

/* A window on the project (not shown). */
CbWindow *
cb_test_project_new_window (CbTestProject *p)
{
  return g_object_new (CB_TYPE_WINDOW,
                       "project", p->project,
                       "config-cache", p->cache,
                       "checkpoint-scanner", p->scanner,
                       "settings", p->settings,
                       NULL);
}

/* Frees what cb_test_project_open() made and removes the copy (close the windows first). */
void
cb_test_project_close (CbTestProject *p)
{
  g_autofree char *tmp = g_path_get_dirname (p->copy);

  g_clear_object (&p->scanner);
  g_clear_object (&p->cache);
  g_clear_object (&p->settings);
  g_clear_object (&p->backend);
  g_clear_pointer (&p->project, cb_project_unref);
  cb_test_remove_tree (p->copy);
  g_rmdir (tmp);
  g_clear_pointer (&p->copy, g_free);
}

/* Runs xdotool with @args, after @window's X window id where @args has "%lu" (printf-style
 * args follow), and lets GTK handle what it did: xdotool has quit once the server made the
 * events, and a round trip of ours brings them all in before its reply (a fixed wait could
 * end first on a loaded machine). The caller checks that xdotool is there. */
void
cb_test_xdotool (GtkWidget  *window,
                 const char *args,
                 ...)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *expanded = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  va_list ap;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  va_start (ap, args);
  expanded = g_strdup_vprintf (args, ap);
  va_end (ap);
  command = g_strconcat ("xdotool ", expanded, NULL);
  cb_test_spin_pending ();
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  gdk_display_sync (gtk_widget_get_display (window));
  cb_test_spin_pending ();
}

/* Types @keys (xdotool's names: "F10", "Escape", "ctrl+period") into @window through the X
 * server, as a user types them. */
void
cb_test_type_keys (GtkWidget  *window,
                   const char *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  cb_test_xdotool (window, "windowfocus --sync %lu key --clearmodifiers %s",
                   (unsigned long) gdk_x11_surface_get_xid (surface), keys);
}

/**
 * cb_test_find_widget:
 * @root: where to look (itself included)
 * @match: the test a widget must pass
 * @data: for @match
 *
 * The first widget under @root, in depth-first order, for which @match returns %TRUE; %NULL
 * if none does.
 */
GtkWidget *
cb_test_find_widget (GtkWidget         *root,
                     CbTestWidgetMatch  match,
                     gpointer           data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cb_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_class (GtkWidget *widget,
           gpointer   css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

/* The first widget under @root (itself included) with the style class @css_class, or NULL. */
GtkWidget *
cb_test_find_by_class (GtkWidget  *root,
                       const char *css_class)
{
  return cb_test_find_widget (root, has_class, (gpointer) css_class);
}

static gboolean
has_name (GtkWidget *widget,
          gpointer   name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

/* The first widget under @root (itself included) named @name (field rows are named after
 * their key), or NULL. */
GtkWidget *
cb_test_find_named (GtkWidget  *root,
                    const char *name)
{
  return cb_test_find_widget (root, has_name, (gpointer) name);
}

static gboolean
has_type (GtkWidget *widget,
          gpointer   type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/* The first widget under @root (itself included) of @type, or NULL. */
GtkWidget *
cb_test_find_of_type (GtkWidget *root,
                      GType      type)
{
  return cb_test_find_widget (root, has_type, GSIZE_TO_POINTER (type));
}

static gboolean
is_banner_titled (GtkWidget *widget,
                  gpointer   title)
{
  return CB_IS_BANNER (widget) && g_strcmp0 (cb_banner_get_title (CB_BANNER (widget)), title) == 0;
}

/* The CbBanner under @root (itself included) titled @title, or NULL. */
CbBanner *
cb_test_find_banner (GtkWidget  *root,
                     const char *title)
{
  return CB_BANNER (cb_test_find_widget (root, is_banner_titled, (gpointer) title));
}

/* For a test program that defines a library function of its own, to count the calls the app
 * makes through the library (the program's definition is found first): the library's own
 * definition, to pass the call on to. This file is linked into the program, so "next" is
 * past the program. */
gpointer
cb_test_next_symbol (const char *name)
{
  gpointer symbol = dlsym (RTLD_NEXT, name);

  if (symbol == NULL)
    g_error ("no %s after the test program's own: %s", name, dlerror ());
  return symbol;
}
