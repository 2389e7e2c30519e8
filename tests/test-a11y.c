/* test-a11y.c: every control of the window has an accessible name and can be reached with
 * the keyboard
 *
 * Builds the window on the demo project (as test-window does: its own config cache,
 * checkpoint scanner and in-memory settings), shows each page in turn and walks the widget
 * tree. Every mapped interactive widget (buttons, switches, check boxes, text fields, combo
 * rows and drop-downs, scales, spin buttons, tabs) must have
 *
 *  - a non-empty accessible name: the label property, a labelled-by relation, or for a role
 *    named from its content (a button), a non-empty label inside it; and
 *  - a way in from the keyboard: it, a widget inside it or the list row that activates it
 *    is reached from the window's first focus by Tab, Shift+Tab and the arrow keys, which
 *    the test follows as GTK does, with gtk_widget_child_focus() on the window.
 *
 * Runs under xvfb-run with the GTK_A11Y=test backend, which keeps the accessible
 * properties and relations for gtk_test_accessible_*(). CB_A11Y_VERBOSE=1 lists every
 * control with how it is named and reached.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "cb-page.h"
#include "cb-state-store.h"
#include "cb-window.h"
#include "cb/cb-problem.h"
#include "cb-test-util.h"

static const char * const pages[] = { "train", "test", "predict" };
static guint timeout_s = 20;
static gboolean verbose;

typedef struct
{
  CbProject           *project;
  CbConfigCache       *cache;
  CbCheckpointScanner *scanner;
  GSettingsBackend    *backend;
  GSettings           *settings;
  CbWindow            *window;
} Fixture;

/* ------------------------------------------------------------------------------------ */
/* Main loop helpers                                                                    */

static gboolean
cache_loaded (gpointer data)
{
  return cb_config_cache_get_loaded (data);
}

static gboolean
scanner_loaded (gpointer data)
{
  return cb_checkpoint_scanner_get_loaded (data);
}

static gboolean
all_pages_built (gpointer data)
{
  CbWindow *window = data;

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (!cb_page_is_built (cb_window_get_page (window, pages[i])))
      return FALSE;
  return TRUE;
}

static gboolean
only_reference (gpointer object)
{
  return g_atomic_int_get ((int *) &G_OBJECT (object)->ref_count) == 1;
}

/* Spins the default main context until @done returns TRUE, failing after timeout_s. */
static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  g_assert_true (cb_test_spin_until (done, data, timeout_s * 1000));
}

static gboolean
page_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* ------------------------------------------------------------------------------------ */
/* Fixture                                                                              */

static void
noop_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
}

/* The window has no application here: stand-ins for the app actions its buttons and menu
 * name, so that those buttons are sensitive (and focusable) as in the running app. */
static void
insert_app_actions (CbWindow *window)
{
  static const GActionEntry entries[] = {
    { "open-project", noop_action, "s" },
    { "about", noop_action },
    { "quit", noop_action },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), NULL);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "app", G_ACTION_GROUP (group));
}

static void
fixture_open (Fixture *fixture)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autofree char *project_dir = g_build_filename (cb_data_dir (), "demo-project", NULL);
  g_autofree char *configs = NULL;
  g_autofree char *state = NULL;

  fixture->project = cb_project_load (project_dir, problems);
  g_assert_nonnull (fixture->project);
  state = cb_state_store_path_for_project (fixture->project->root);
  g_unlink (state);

  configs = cb_project_get_path (fixture->project, fixture->project->configs_dir);
  fixture->cache = cb_config_cache_new (configs);
  cb_config_cache_load_async (fixture->cache, NULL, NULL, NULL);
  fixture->scanner = cb_checkpoint_scanner_new (fixture->project->root,
                                                fixture->project->outputs_dir);
  cb_checkpoint_scanner_rescan (fixture->scanner);

  fixture->backend = g_memory_settings_backend_new ();
  fixture->settings = g_settings_new_with_backend (APP_ID, fixture->backend);
  g_settings_set_int (fixture->settings, "window-width", 900);
  g_settings_set_int (fixture->settings, "window-height", 700);

  fixture->window = g_object_new (CB_TYPE_WINDOW,
                                  "project", fixture->project,
                                  "config-cache", fixture->cache,
                                  "checkpoint-scanner", fixture->scanner,
                                  "settings", fixture->settings,
                                  "problems", problems,
                                  NULL);
  insert_app_actions (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));

  spin_until (cache_loaded, fixture->cache);
  spin_until (scanner_loaded, fixture->scanner);
  cb_window_build_all_pages (fixture->window);
  spin_until (all_pages_built, fixture->window);
  cb_test_spin_pending ();
}

static void
fixture_close (Fixture *fixture)
{
  CbWindow *window = g_steal_pointer (&fixture->window);

  gtk_window_destroy (GTK_WINDOW (window));
  cb_test_spin_pending ();

  spin_until (only_reference, fixture->scanner);
  spin_until (only_reference, fixture->cache);
  g_clear_object (&fixture->scanner);
  g_clear_object (&fixture->cache);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->backend);
  g_clear_pointer (&fixture->project, cb_project_unref);
}

/* ------------------------------------------------------------------------------------ */
/* What is a control, and what names it                                                 */

static gboolean
is_control_role (GtkAccessibleRole role)
{
  switch ((int) role)
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_TAB:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Roles whose name may come from the text inside them (WAI-ARIA "name from content"). */
static gboolean
is_named_from_content (GtkAccessibleRole role)
{
  switch ((int) role)
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_TAB:
      return TRUE;
    default:
      return FALSE;
    }
}

/* A GtkText inside a spin button or an entry is the editing part of that control, which
 * is checked as a whole. */
static gboolean
is_part_of_control (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (!GTK_IS_TEXT (widget) || parent == NULL)
    return FALSE;

  return GTK_IS_SPIN_BUTTON (parent) || GTK_IS_ENTRY (parent) ||
         GTK_IS_PASSWORD_ENTRY (parent) || GTK_IS_SEARCH_ENTRY (parent) ||
         gtk_widget_get_ancestor (widget, ADW_TYPE_ENTRY_ROW) != NULL;
}

static gboolean
has_nonempty_property (GtkWidget             *widget,
                       GtkAccessibleProperty  property)
{
  g_autofree char *differs = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return FALSE;

  /* check_property() returns NULL when the value equals the one given. */
  differs = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, "");
  return differs != NULL;
}

static const char *
label_text_inside (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text;

      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_LABEL (child))
        {
          text = gtk_label_get_text (GTK_LABEL (child));
          if (text != NULL && *text != '\0')
            return text;
        }
      if ((text = label_text_inside (child)) != NULL)
        return text;
    }

  return NULL;
}

/* How @widget is named, or NULL when it has no name. */
static const char *
naming (GtkWidget *widget)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));
  GtkWidget *text;

  if (has_nonempty_property (widget, GTK_ACCESSIBLE_PROPERTY_LABEL))
    return "label property";
  if (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return "labelled-by relation";
  if (is_named_from_content (role) && label_text_inside (widget) != NULL)
    return "its content";

  /* An entry row is labelled through its text field. */
  if (ADW_IS_ENTRY_ROW (widget))
    {
      text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (widget)));
      if (text != NULL && naming (text) != NULL)
        return "its text field";
    }

  return NULL;
}

static char *
describe (GtkWidget *widget)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));
  g_autoptr(GEnumClass) roles = g_type_class_ref (GTK_TYPE_ACCESSIBLE_ROLE);
  GEnumValue *value = g_enum_get_value (roles, role);
  GString *path = g_string_new (NULL);
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  const char *inside = label_text_inside (widget);

  for (GtkWidget *w = widget; w != NULL && !GTK_IS_WINDOW (w); w = gtk_widget_get_parent (w))
    {
      if (ADW_IS_PREFERENCES_ROW (w) && adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)))
        {
          g_string_prepend (path, "\" > ");
          g_string_prepend (path, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)));
          g_string_prepend (path, "row \"");
          break;
        }
      if (CB_IS_PAGE (w))
        {
          g_string_prepend (path, "page > ");
          break;
        }
    }

  g_string_append_printf (path, "%s (%s)", G_OBJECT_TYPE_NAME (widget),
                          value ? value->value_nick : "?");
  if (gtk_widget_get_name (widget) != NULL &&
      !g_str_equal (gtk_widget_get_name (widget), G_OBJECT_TYPE_NAME (widget)))
    g_string_append_printf (path, " #%s", gtk_widget_get_name (widget));
  if (GTK_IS_ACTIONABLE (widget) && gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)))
    g_string_append_printf (path, " action %s",
                            gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)));
  if (!gtk_widget_is_sensitive (widget))
    g_string_append (path, " insensitive");
  if (inside != NULL)
    g_string_append_printf (path, " text \"%s\"", inside);
  if (tooltip != NULL)
    g_string_append_printf (path, " tooltip \"%s\"", tooltip);
  return g_string_free (path, FALSE);
}

static void
collect_controls (GtkWidget *widget,
                  GPtrArray *controls)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  /* Minimize, maximize and close: GTK keeps them out of the focus chain on purpose (the
   * window manager's keys do their work). */
  if (GTK_IS_WINDOW_CONTROLS (widget))
    return;

  if (is_control_role (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget))) &&
      !is_part_of_control (widget))
    g_ptr_array_add (controls, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_controls (child, controls);
}

/* ------------------------------------------------------------------------------------ */
/* Keyboard reachability                                                                */

/* Every widget that takes the focus from the first one by Tab, Shift+Tab and the arrows. */
static GHashTable *
reachable_focus (GtkWindow *window)
{
  static const GtkDirectionType moves[] = {
    GTK_DIR_TAB_FORWARD, GTK_DIR_TAB_BACKWARD,
    GTK_DIR_UP, GTK_DIR_DOWN, GTK_DIR_LEFT, GTK_DIR_RIGHT,
  };
  GHashTable *seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();
  GtkWidget *start;

  gtk_window_set_focus (window, NULL);
  gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
  start = gtk_window_get_focus (window);
  g_assert_nonnull (start);

  g_hash_table_add (seen, start);
  g_ptr_array_add (queue, start);

  for (guint i = 0; i < queue->len; i++)
    {
      GtkWidget *from = g_ptr_array_index (queue, i);

      for (guint m = 0; m < G_N_ELEMENTS (moves); m++)
        {
          GtkWidget *to;

          if (!gtk_widget_grab_focus (from))
            break;
          if (!gtk_widget_child_focus (GTK_WIDGET (window), moves[m]))
            continue;

          to = gtk_window_get_focus (window);
          if (to != NULL && !g_hash_table_contains (seen, to))
            {
              g_hash_table_add (seen, to);
              g_ptr_array_add (queue, to);
            }
        }
    }

  return seen;
}

/* How the keyboard gets to @widget, or NULL if it does not. */
static const char *
reaching (GtkWidget  *widget,
          GHashTable *reachable)
{
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_contains (reachable, widget))
    return "focus";

  g_hash_table_iter_init (&iter, reachable);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (gtk_widget_is_ancestor (key, widget))
      return "focus inside";

  /* A switch or check box that its activatable list row toggles. */
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    if (ADW_IS_ACTION_ROW (w))
      {
        if (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (w)) == widget &&
            g_hash_table_contains (reachable, w))
          return "activatable row";
        break;
      }

  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* The test                                                                             */

static void
test_controls (void)
{
  Fixture fixture = { NULL, };
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n_checked = 0;

  fixture_open (&fixture);

  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      CbPage *page = cb_window_get_page (fixture.window, pages[p]);
      g_autoptr(GPtrArray) controls = g_ptr_array_new ();
      g_autoptr(GHashTable) reachable = NULL;

      cb_window_set_visible_page (fixture.window, pages[p]);
      spin_until (page_mapped, page);
      cb_test_spin_pending ();

      collect_controls (GTK_WIDGET (fixture.window), controls);
      g_assert_cmpuint (controls->len, >, 5);
      reachable = reachable_focus (GTK_WINDOW (fixture.window));

      if (verbose)
        g_printerr ("\n%s page: %u controls, %u focus stops\n", pages[p], controls->len,
                    g_hash_table_size (reachable));

      for (guint i = 0; i < controls->len; i++)
        {
          GtkWidget *control = g_ptr_array_index (controls, i);
          g_autofree char *what = describe (control);
          const char *named = naming (control);
          const char *reached = reaching (control, reachable);

          if (verbose)
            g_printerr ("  %-14s %-20s %s\n", reached ? reached : "UNREACHABLE",
                        named ? named : "NO NAME", what);

          if (named == NULL)
            g_string_append_printf (problems, "%s page: no accessible name: %s\n",
                                    pages[p], what);
          /* GTK never focuses an insensitive widget; it is reached once it is enabled. */
          if (reached == NULL && gtk_widget_is_sensitive (control))
            g_string_append_printf (problems, "%s page: not reachable by keyboard: %s\n",
                                    pages[p], what);
          n_checked++;
        }
    }

  if (problems->len > 0)
    g_printerr ("%s", problems->str);
  g_test_message ("%u controls checked", n_checked);
  g_assert_cmpstr (problems->str, ==, "");

  fixture_close (&fixture);
}

/* The rows generated from the schemas: each control carries the field's label as its
 * name and the field's help as its description. */
static void
test_field_rows (void)
{
  Fixture fixture = { NULL, };
  g_autoptr(GString) problems = g_string_new (NULL);

  fixture_open (&fixture);

  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      CbPage *page = cb_window_get_page (fixture.window, pages[p]);
      g_autoptr(GPtrArray) controls = g_ptr_array_new ();

      cb_window_set_visible_page (fixture.window, pages[p]);
      spin_until (page_mapped, page);
      cb_test_spin_pending ();
      collect_controls (GTK_WIDGET (page), controls);

      for (guint i = 0; i < controls->len; i++)
        {
          GtkWidget *control = g_ptr_array_index (controls, i);
          AdwPreferencesRow *row = ADW_PREFERENCES_ROW (gtk_widget_get_ancestor (
                                     control, ADW_TYPE_PREFERENCES_ROW));
          const char *subtitle;

          /* Only the controls of generated rows with a help text. */
          if (row == NULL || !ADW_IS_ACTION_ROW (row))
            continue;
          subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
          if (subtitle == NULL || *subtitle == '\0')
            continue;

          if (!has_nonempty_property (control, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION) &&
              !has_nonempty_property (GTK_WIDGET (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION) &&
              !gtk_test_accessible_has_relation (GTK_ACCESSIBLE (control),
                                                 GTK_ACCESSIBLE_RELATION_DESCRIBED_BY))
            {
              g_autofree char *what = describe (control);

              g_string_append_printf (problems, "%s page: no description: %s\n",
                                      pages[p], what);
            }
        }
    }

  if (problems->len > 0)
    g_printerr ("%s", problems->str);
  g_assert_cmpstr (problems->str, ==, "");

  fixture_close (&fixture);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = NULL;
  int ret;

  g_setenv ("GTK_A11Y", "test", TRUE);
  state_dir = g_dir_make_tmp ("test-a11y-XXXXXX", NULL);
  g_assert_nonnull (state_dir);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  verbose = g_getenv ("CB_A11Y_VERBOSE") != NULL;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("CB_TEST_TIMEOUT") != NULL)
    timeout_s = MAX (1, (guint) g_ascii_strtoull (g_getenv ("CB_TEST_TIMEOUT"), NULL, 10));
  gtk_init ();
  adw_init ();

  g_test_add_func ("/a11y/controls", test_controls);
  g_test_add_func ("/a11y/field-rows", test_field_rows);

  ret = g_test_run ();

  cb_test_remove_tree (state_dir);
  return ret;
}
