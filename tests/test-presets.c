/* test-presets.c: presets in the window (issue 14): saved through Save as Preset, applied
 * after a restart (a new window, cache and scanner on the same project), and shared (the
 * file copied into another copy of the project shows up there and applies the same)
 *
 * Runs under xvfb-run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cb-page.h"
#include "cb-preset-window.h"
#include "cb-state-store.h"
#include "cb-window.h"
#include "cb/cb-preset.h"
#include "cb/cb-problem.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"
#include "cb-widget-util.h"

#define TIMEOUT_MS 30000
#define PRESET_NAME "빠른 실행 $x='y'"

typedef struct
{
  CbProject           *project;
  CbConfigCache       *cache;
  CbCheckpointScanner *scanner;
  GSettingsBackend    *backend;
  GSettings           *settings;
  CbWindow            *window;
} Session;

static gboolean
train_built (gpointer data)
{
  return cb_page_is_built (cb_window_get_page (data, "train"));
}

/* A new window on the project at @root, as a new start of the app would make it. */
static void
session_open (Session    *s,
              const char *root)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autofree char *configs = NULL;

  s->project = cb_project_load (root, problems);
  g_assert_nonnull (s->project);
  configs = cb_project_get_path (s->project, s->project->configs_dir);
  s->cache = cb_config_cache_new (configs);
  cb_config_cache_load_async (s->cache, NULL, NULL, NULL);
  s->scanner = cb_checkpoint_scanner_new (s->project->root, s->project->outputs_dir);
  cb_checkpoint_scanner_rescan (s->scanner);
  s->backend = g_memory_settings_backend_new ();
  s->settings = g_settings_new_with_backend (APP_ID, s->backend);

  s->window = g_object_new (CB_TYPE_WINDOW,
                            "project", s->project,
                            "config-cache", s->cache,
                            "checkpoint-scanner", s->scanner,
                            "settings", s->settings,
                            NULL);
  gtk_window_present (GTK_WINDOW (s->window));
  g_assert_true (cb_test_spin_until (cb_test_cache_loaded, s->cache, TIMEOUT_MS));
  g_assert_true (cb_test_spin_until (cb_test_scanner_loaded, s->scanner, TIMEOUT_MS));
  g_assert_true (cb_test_spin_until (train_built, s->window, TIMEOUT_MS));
  cb_window_set_visible_page (s->window, "train");
}

static void
session_close (Session *s)
{
  g_autofree char *state = cb_state_store_path_for_project (s->project->root);

  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&s->window)));
  cb_test_spin_pending ();
  g_unlink (state);
  g_clear_object (&s->scanner);
  g_clear_object (&s->cache);
  g_clear_object (&s->settings);
  g_clear_object (&s->backend);
  g_clear_pointer (&s->project, cb_project_unref);
}

static CbForm *
train_form (Session *s)
{
  return cb_page_get_form (cb_window_get_page (s->window, "train"));
}

static char *
argv_text (Session *s)
{
  return g_strjoinv (" ", (char **) cb_command_get_argv (cb_form_get_command (train_form (s))));
}

/* The Replace question, among the toplevels (the Save dialog may still be closing). */
static GtkWidget *
replace_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window) &&
          g_str_has_prefix (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)),
                            "Replace Preset"))
        return window;
    }
  return NULL;
}

static gboolean
has_second_note (gpointer path)
{
  g_autofree char *text = NULL;

  return g_file_get_contents (path, &text, NULL, NULL) && strstr (text, "second note") != NULL;
}

static gboolean
replace_dialog_shown (gpointer data)
{
  return replace_dialog () != NULL;
}

static void
wait_for_toast (CbWindow   *window,
                const char *prefix)
{
  cb_test_wait_for_toast (GTK_WIDGET (window), prefix, TIMEOUT_MS);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

static gboolean
preset_window_loaded (gpointer data)
{
  GtkWidget *window = cb_test_find_toplevel (CB_TYPE_PRESET_WINDOW);

  return window != NULL && cb_preset_window_is_loaded (CB_PRESET_WINDOW (window));
}

/* Opens the Presets window (win.presets) and waits for its listing. */
static CbPresetWindow *
open_presets (Session *s)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s->window), "win.presets", NULL));
  g_assert_true (cb_test_spin_until (preset_window_loaded, NULL, TIMEOUT_MS));
  return CB_PRESET_WINDOW (cb_test_find_toplevel (CB_TYPE_PRESET_WINDOW));
}

static void
copy_demo (const char *dest)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_copy_demo_project (dest, &error));
  g_assert_no_error (error);
}

/* Save as Preset… (the dialog), Apply after a restart with Undo, and the file copied into
 * another copy of the project. */
static void
test_save_restart_share (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("test-presets-XXXXXX", &error);
  g_autofree char *root_a = g_build_filename (tmp, "a", NULL);
  g_autofree char *root_b = g_build_filename (tmp, "b", NULL);
  g_autofree char *file = g_strconcat (PRESET_NAME, CB_PRESET_SUFFIX, NULL);
  g_autofree char *path_a = g_build_filename (root_a, CB_PRESET_DIR, "train", file, NULL);
  g_autofree char *dir_b = g_build_filename (root_b, CB_PRESET_DIR, "train", NULL);
  g_autofree char *path_b = g_build_filename (dir_b, file, NULL);
  g_autofree char *broken_b = g_build_filename (dir_b, "broken.yaml", NULL);
  g_autofree char *want = NULL;
  g_autofree char *contents = NULL;
  const char *extra[] = { "+trainer.fast_dev_run=true", NULL };
  Session s = { 0 };

  g_assert_no_error (error);
  copy_demo (root_a);
  copy_demo (root_b);

  /* Saved: the page set up, then Save as Preset… with a name and a note. */
  session_open (&s, root_a);
  {
    CbForm *form = train_form (&s);
    GtkWidget *dialog;
    GtkWidget *name_row;

    g_assert_true (cb_form_set_value_from_string (form, "architecture", "craft", NULL));
    g_assert_true (cb_form_set_value_from_string (form, "exp_name", "run \"a\" $HOME 한국어",
                                                  NULL));
    g_assert_true (cb_form_set_value_from_string (form, "batch_size", "12", NULL));
    cb_form_set_extra_overrides (form, extra);
    want = argv_text (&s);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.save-preset", NULL));
    cb_test_spin_pending ();
    dialog = cb_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (dialog);
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                             "save"));
    name_row = cb_widget_find_descendant (dialog, ADW_TYPE_ENTRY_ROW);
    g_assert_nonnull (name_row);
    gtk_editable_set_text (GTK_EDITABLE (name_row), "bad/name");
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                             "save"));
    gtk_editable_set_text (GTK_EDITABLE (name_row), PRESET_NAME);
    g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                            "save"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
    g_assert_true (cb_test_spin_until (file_exists, path_a, TIMEOUT_MS));
    wait_for_toast (s.window, "Saved preset “" PRESET_NAME "”");

    /* The same name again: the user is asked; Cancel keeps the file, Replace rewrites it. */
    for (guint round = 0; round < 2; round++)
      {
        g_autofree char *text = NULL;

        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.save-preset-as",
                                                   "(ss)", PRESET_NAME, "second note"));
        g_assert_true (cb_test_spin_until (replace_dialog_shown, NULL, TIMEOUT_MS));
        dialog = replace_dialog ();
        g_object_ref (dialog);
        adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog),
                                     round == 0 ? "cancel" : "replace");
        if (round == 1)
          g_assert_true (cb_test_spin_until (has_second_note, path_a, TIMEOUT_MS));
        else
          cb_test_spin_for (300);
        /* The answered question goes. */
        gtk_window_destroy (GTK_WINDOW (dialog));
        g_object_unref (dialog);
        g_assert_true (g_file_get_contents (path_a, &text, NULL, NULL));
        g_assert_true ((strstr (text, "second note") != NULL) == (round == 1));
      }
  }
  session_close (&s);

  /* Restarted: the page starts elsewhere; Apply gives back the saved page, Undo undoes it. */
  session_open (&s, root_a);
  {
    CbForm *form = train_form (&s);
    CbPresetWindow *presets;
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autofree char *undone = NULL;
    GtkWidget *toast;
    GtkWidget *undo;

    cb_form_reset (form);
    g_assert_true (cb_form_set_value_from_string (form, "batch_size", "3", NULL));
    before = argv_text (&s);
    g_assert_cmpstr (before, !=, want);

    presets = open_presets (&s);
    g_assert_nonnull (cb_preset_window_get_row (presets, PRESET_NAME));
    g_assert_nonnull (cb_preset_window_get_row (presets, "receipts_balanced"));
    gtk_window_destroy (GTK_WINDOW (presets));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.apply-preset", "s",
                                               PRESET_NAME));
    wait_for_toast (s.window, "Train: preset “" PRESET_NAME "” applied, 3 values set");
    after = argv_text (&s);
    g_assert_cmpstr (after, ==, want);

    toast = cb_test_find_by_css_name (GTK_WIDGET (s.window), "toast");
    undo = cb_widget_find_descendant (toast, GTK_TYPE_BUTTON);
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (undo)), ==, "_Undo");
    g_signal_emit_by_name (undo, "clicked");
    cb_test_spin_pending ();
    undone = argv_text (&s);
    g_assert_cmpstr (undone, ==, before);
  }
  session_close (&s);

  /* Shared: the file copied into the other copy of the project (as git would bring it),
   * beside a broken one, shows up there and applies the same. */
  g_assert_true (g_file_get_contents (path_a, &contents, NULL, NULL));
  g_assert_cmpint (g_mkdir_with_parents (dir_b, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path_b, contents, -1, NULL));
  g_assert_true (g_file_set_contents (broken_b, "values: [\n", -1, NULL));
  session_open (&s, root_b);
  {
    CbPresetWindow *presets = open_presets (&s);
    GtkWidget *row = cb_preset_window_get_row (presets, PRESET_NAME);
    g_autofree char *got = NULL;

    g_assert_nonnull (row);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (presets), "presets.apply", "s",
                                               PRESET_NAME));
    wait_for_toast (s.window, "Train: preset “" PRESET_NAME "” applied");
    got = argv_text (&s);
    g_assert_cmpstr (got, ==, want);
    g_assert_null (cb_test_find_toplevel (CB_TYPE_PRESET_WINDOW));
  }

  /* Renamed and deleted through the window's actions. */
  {
    g_autofree char *renamed = g_build_filename (dir_b, "shared.yaml", NULL);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.rename-preset",
                                               "(ss)", PRESET_NAME, "shared"));
    g_assert_true (cb_test_spin_until (file_exists, renamed, TIMEOUT_MS));
    g_assert_false (g_file_test (path_b, G_FILE_TEST_EXISTS));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.delete-preset", "s",
                                               "shared"));
    wait_for_toast (s.window, "Deleted preset “shared”");
    g_assert_false (g_file_test (renamed, G_FILE_TEST_EXISTS));
  }
  session_close (&s);

  cb_test_remove_tree (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = cb_test_gui_init (&argc, &argv, "test-presets");
  int ret;

  g_test_add_func ("/presets/save-restart-share", test_save_restart_share);

  ret = g_test_run ();
  cb_test_remove_tree (state_dir);
  return ret;
}
