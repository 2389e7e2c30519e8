/* cb-test-gui.c: widget and toast helpers shared by the GUI test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "cb-test-gui.h"
#include "cb-test-util.h"
#include "cb-widget-util.h"
#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-config-cache.h"

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
