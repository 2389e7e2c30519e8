/* test-commands-in.c: commands in, not only out (issue 14)
 *
 * A command pasted (win.paste-command and Ctrl+V), imported (Import Command…) or dropped
 * on the window goes to its page, with a toast that says what was set and Undo; the Extra
 * Overrides rows of a page are checked as typed and reach the argv that Run spawns.
 *
 * Runs under xvfb-run; Ctrl+V is typed through the X server with xdotool (skipped without).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cb-checkpoint-picker.h"
#include "cb-command-view.h"
#include "cb-extra-overrides.h"
#include "cb-import-dialog.h"
#include "cb-page.h"
#include "cb-state-store.h"
#include "cb-terminal-pane.h"
#include "cb-window.h"
#include "cb/cb-problem.h"
#include "cb/cb-run-history.h"
#include "cb/cb-script.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"
#include "cb-widget-util.h"

#define TIMEOUT_MS 30000

typedef struct
{
  CbTestProject        p;
  CbWindow            *window;
  CbTerminalPane      *pane;
  guint                n_started;
  guint                n_finished;
} Fixture;

static void
started_cb (CbTerminalPane *pane,
            Fixture        *f)
{
  f->n_started++;
}

static void
finished_cb (CbTerminalPane *pane,
             int             exit_status,
             int             exit_signal,
             double          seconds,
             Fixture        *f)
{
  f->n_finished++;
}

static void
fixture_open (Fixture *f)
{
  cb_test_project_open (&f->p, "test-commands-in", 700, 600);
  f->window = cb_test_project_new_window (&f->p);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (cb_test_spin_until (cb_test_cache_loaded, f->p.cache, TIMEOUT_MS));
  g_assert_true (cb_test_spin_until (cb_test_scanner_loaded, f->p.scanner, TIMEOUT_MS));
  cb_window_build_all_pages (f->window);
  g_assert_true (cb_test_spin_until (cb_test_all_pages_built, f->window, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));

  f->pane = cb_window_get_terminal_pane (f->window);
  g_signal_connect (f->pane, "started", G_CALLBACK (started_cb), f);
  g_signal_connect (f->pane, "finished", G_CALLBACK (finished_cb), f);
}

static void
fixture_close (Fixture *f)
{
  g_signal_handlers_disconnect_by_data (f->pane, f);
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f->window)));
  cb_test_spin_pending ();
  cb_test_project_close (&f->p);
}

static void
wait_for_toast (CbWindow   *window,
                const char *prefix)
{
  cb_test_wait_for_toast (GTK_WIDGET (window), prefix, TIMEOUT_MS);
}

/* Dismisses every toast shown, so the next one is the one looked for. */
static void
clear_toasts (CbWindow *window)
{
  GtkWidget *toast;

  while ((toast = cb_test_find_by_css_name (GTK_WIDGET (window), "toast")) != NULL)
    {
      gtk_widget_activate_action (toast, "toast.close", NULL);
      cb_test_spin_for (50);
      cb_test_spin_pending ();
      if (cb_test_find_by_css_name (GTK_WIDGET (window), "toast") == toast)
        cb_test_spin_for (400);
    }
}

static char *
argv_text (CbPage *page)
{
  return g_strjoinv (" ", (char **) cb_command_get_argv (cb_form_get_command (
                                                            cb_page_get_form (page))));
}

static gboolean
visible_page_is (gpointer data)
{
  gpointer *pair = data;

  return g_str_equal (cb_page_get_page_name (cb_window_get_visible_page (pair[0])), pair[1]);
}

static const struct
{
  const char *page;
  const char *text;
  const char *toast;
  const char *key;
  const char *value;
} pastes[] = {
  { "train",
    "$ python3 runners/train.py \\\n  'exp_name=\"pasted run\"' \\\n  trainer.max_epochs=7 \\\n"
    "  +trainer.fast_dev_run=true trainer.limit_val_batches=0.25\n",
    "Train: 2 fields set, 2 extra overrides", "exp_name", "pasted run" },
  { "test",
    "uv run python runners/test.py exp_name=evaluated -m",
    "Test: 1 field set, 2 ignored (launcher differs, multirun)", "exp_name", "evaluated" },
  { "predict",
    "python3 runners/predict.py 'exp_name=\"p q\"' hydra.verbose=true",
    "Predict: 1 field set, 1 extra override", "exp_name", "p q" },
};

/* Ctrl+V's action on each page: the page is shown and loaded, the toast says what was set,
 * Undo puts back what the page had. */
static void
test_paste (void)
{
  Fixture f = { 0 };

  fixture_open (&f);

  for (guint i = 0; i < G_N_ELEMENTS (pastes); i++)
    {
      CbPage *page = cb_window_get_page (f.window, pastes[i].page);
      CbForm *form = cb_page_get_form (page);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      gpointer pair[2] = { f.window, (gpointer) pastes[i].page };
      GtkWidget *toast;
      GtkWidget *undo;

      /* Start from another tab, with a value of the user's own. */
      cb_window_set_visible_page (f.window, i == 0 ? "predict" : "train");
      g_assert_true (cb_form_set_value_from_string (form, "exp_name", "mine", NULL));
      before = argv_text (page);
      clear_toasts (f.window);

      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.window)), pastes[i].text);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.paste-command",
                                                 NULL));
      wait_for_toast (f.window, pastes[i].toast);
      g_assert_true (cb_test_spin_until (visible_page_is, pair, TIMEOUT_MS));
      g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, pastes[i].key), NULL), ==,
                       pastes[i].value);
      after = argv_text (page);
      g_assert_cmpstr (after, !=, before);

      /* Undo. */
      toast = cb_test_find_by_css_name (GTK_WIDGET (f.window), "toast");
      undo = cb_widget_find_descendant (toast, GTK_TYPE_BUTTON);
      g_assert_nonnull (undo);
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (undo)), ==, "_Undo");
      g_signal_emit_by_name (undo, "clicked");
      cb_test_spin_pending ();
      g_free (after);
      after = argv_text (page);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "exp_name"), NULL), ==,
                       "mine");
    }

  /* Text that is no command changes nothing and says why. */
  {
    CbPage *page = cb_window_get_page (f.window, "train");
    g_autofree char *before = argv_text (page);
    g_autofree char *after = NULL;

    clear_toasts (f.window);
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.window)),
                            "python3 runners/train.py trainer.max_epochs=3 a=b=c");
    gtk_widget_activate_action (GTK_WIDGET (f.window), "win.paste-command", NULL);
    wait_for_toast (f.window, "Could not import the command: “a=b=c”");
    after = argv_text (page);
    g_assert_cmpstr (after, ==, before);
  }

  fixture_close (&f);
}

static GtkWidget *
find_import_dialog (void)
{
  return cb_test_find_toplevel (CB_TYPE_IMPORT_DIALOG);
}

static GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_text (GTK_LABEL (child)), text) != NULL)
        return child;
      if ((found = find_label_containing (child, text)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
no_import_dialog (gpointer data)
{
  return find_import_dialog () == NULL;
}

/* Import Command… and a drop of text. */
static void
test_import_dialog_and_drop (void)
{
  Fixture f = { 0 };
  CbPage *page;
  CbForm *form;
  GtkWidget *dialog;
  GtkWidget *error_label;
  GtkEventController *drop = NULL;
  g_autoptr(GListModel) controllers = NULL;

  fixture_open (&f);
  page = cb_window_get_page (f.window, "test");
  form = cb_page_get_form (page);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.import-command", NULL));
  cb_test_spin_pending ();
  dialog = find_import_dialog ();
  g_assert_nonnull (dialog);

  /* A word it cannot read: said in the dialog, which stays open; the page is unchanged. */
  cb_import_dialog_set_text (CB_IMPORT_DIALOG (dialog), "python3 runners/test.py --cfg job");
  g_assert_true (gtk_widget_activate_action (dialog, "import.import", NULL));
  cb_test_spin_pending ();
  g_assert_true (find_import_dialog () == dialog);
  error_label = find_label_containing (dialog, "“--cfg” is a Hydra option");
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_mapped (error_label));
  g_assert_cmpstr (cb_page_get_page_name (cb_window_get_visible_page (f.window)), !=, "test");

  cb_import_dialog_set_text (CB_IMPORT_DIALOG (dialog),
                             "python3 runners/test.py exp_name=imported ~logger");
  g_assert_true (gtk_widget_activate_action (dialog, "import.import", NULL));
  g_assert_true (cb_test_spin_until (no_import_dialog, NULL, TIMEOUT_MS));
  g_assert_cmpstr (cb_page_get_page_name (cb_window_get_visible_page (f.window)), ==, "test");
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "exp_name"), NULL), ==,
                   "imported");
  g_assert_cmpstr (cb_form_get_extra_overrides (form)[0], ==, "~logger");
  wait_for_toast (f.window, "Test: 1 field set, 1 extra override");

  /* A drop of text on the window. */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (f.window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && drop == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        drop = controller;
    }
  g_assert_nonnull (drop);
  {
    GValue value = G_VALUE_INIT;
    gboolean handled = FALSE;

    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, "python3 runners/predict.py exp_name=dropped");
    g_signal_emit_by_name (drop, "drop", &value, 1.0, 1.0, &handled);
    g_value_unset (&value);
    g_assert_true (handled);
  }
  g_assert_cmpstr (cb_page_get_page_name (cb_window_get_visible_page (f.window)), ==, "predict");
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (
                     cb_page_get_form (cb_window_get_page (f.window, "predict")), "exp_name"),
                     NULL), ==, "dropped");

  g_clear_object (&controllers);
  fixture_close (&f);
}

static CbExtraOverrides *
extra_overrides_of (CbPage *page)
{
  GtkWidget *found = cb_widget_find_descendant (GTK_WIDGET (page), CB_TYPE_EXTRA_OVERRIDES);

  g_assert_nonnull (found);
  return CB_EXTRA_OVERRIDES (found);
}

static gboolean
finished_all (gpointer data)
{
  Fixture *f = data;

  return f->n_started > 0 && f->n_finished >= f->n_started &&
         !cb_terminal_pane_get_running (f->pane);
}

static const char * const *
last_run_argv (Fixture *f)
{
  GListModel *entries = cb_run_history_get_entries (cb_terminal_pane_get_history (f->pane));
  g_autoptr(CbRunRecord) record = g_list_model_get_item (entries, 0);

  g_assert_nonnull (record);
  return cb_run_record_get_argv (record);
}

/* The rows: checked as typed, in the command and the argv Run spawns, removed, following a
 * paste and a reset. */
static void
test_extra_rows (void)
{
  Fixture f = { 0 };
  CbPage *page;
  CbForm *form;
  CbExtraOverrides *extra;
  GtkWidget *row;
  const char * const *argv;

  g_setenv ("CB_DEMO_FAST", "1", TRUE);
  fixture_open (&f);
  cb_window_set_visible_page (f.window, "train");
  page = cb_window_get_page (f.window, "train");
  form = cb_page_get_form (page);
  extra = extra_overrides_of (page);
  g_assert_cmpuint (cb_extra_overrides_get_n_rows (extra), ==, 0);

  /* Typed text: an error on the row while Hydra cannot read it. */
  row = cb_extra_overrides_add_row (extra, "");
  gtk_editable_set_text (GTK_EDITABLE (row), "+trainer.limit_val_batches=0.");
  g_assert_null (cb_extra_overrides_get_row_error (extra, 0));
  gtk_editable_set_text (GTK_EDITABLE (row), "+trainer.limit_val_batches=(0.25");
  g_assert_nonnull (cb_extra_overrides_get_row_error (extra, 0));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (row), "+trainer.limit_val_batches=0.25");
  g_assert_null (cb_extra_overrides_get_row_error (extra, 0));
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  row = cb_extra_overrides_add_row (extra, "+trainer.fast_dev_run=true");
  g_assert_cmpuint (cb_extra_overrides_get_n_rows (extra), ==, 2);
  g_assert_cmpstr (cb_form_get_extra_overrides (form)[0], ==, "+trainer.limit_val_batches=0.25");
  g_assert_cmpstr (cb_form_get_extra_overrides (form)[1], ==, "+trainer.fast_dev_run=true");
  g_assert_nonnull (strstr (cb_command_view_get_text (cb_window_get_command_view (f.window)),
                            "+trainer.limit_val_batches=0.25 +trainer.fast_dev_run=true"));

  /* Run spawns them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  g_assert_true (cb_test_spin_until (finished_all, &f, TIMEOUT_MS));
  argv = last_run_argv (&f);
  g_assert_true (g_strv_contains (argv, "+trainer.limit_val_batches=0.25"));
  g_assert_true (g_strv_contains (argv, "+trainer.fast_dev_run=true"));

  /* Removed: gone from the command. */
  cb_extra_overrides_remove_row (extra, 0);
  g_assert_cmpuint (cb_extra_overrides_get_n_rows (extra), ==, 1);
  g_assert_true (g_strv_equal (cb_form_get_extra_overrides (form),
                               (const char * const[]) { "+trainer.fast_dev_run=true", NULL }));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.run", NULL));
  g_assert_true (cb_test_spin_until (finished_all, &f, TIMEOUT_MS));
  g_assert_cmpuint (f.n_started, ==, 2);
  argv = last_run_argv (&f);
  g_assert_false (g_strv_contains (argv, "+trainer.limit_val_batches=0.25"));
  g_assert_true (g_strv_contains (argv, "+trainer.fast_dev_run=true"));

  /* A paste's extra overrides become rows; Reset takes them away. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.window)),
                          "python3 runners/train.py hydra.verbose=true '+note=\"a b\"'");
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.paste-command", NULL);
  wait_for_toast (f.window, "Train: ");
  g_assert_cmpuint (cb_extra_overrides_get_n_rows (extra), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cb_extra_overrides_get_row (extra, 1))),
                   ==, "+note=\"a b\"");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.reset", NULL));
  cb_test_spin_pending ();
  g_assert_cmpuint (cb_extra_overrides_get_n_rows (extra), ==, 0);

  fixture_close (&f);
  g_unsetenv ("CB_DEMO_FAST");
}

/* For cb_test_spin_until(): the command pasted with Ctrl+V is in the text field @entry. */
static gboolean
pasted_into (gpointer entry)
{
  return strstr (gtk_editable_get_text (GTK_EDITABLE (entry)), "runners/train.py") != NULL;
}

/* Ctrl+V typed: imports where no text field has the focus, pastes text into one that has. */
static void
test_ctrl_v (void)
{
  Fixture f = { 0 };
  CbPage *page;
  CbForm *form;
  GtkWidget *entry;
  GdkSurface *surface;
  g_autofree char *command = NULL;
  int status = 0;

  if (g_find_program_in_path ("xdotool") == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }

  fixture_open (&f);
  page = cb_window_get_page (f.window, "train");
  form = cb_page_get_form (page);
  cb_window_set_visible_page (f.window, "predict");
  surface = gtk_native_get_surface (GTK_NATIVE (f.window));
  command = g_strdup_printf ("xdotool windowfocus --sync %lu key --clearmodifiers ctrl+v",
                             (unsigned long) gdk_x11_surface_get_xid (surface));

  /* The focus on a tab button. */
  gtk_widget_grab_focus (cb_widget_find_descendant (GTK_WIDGET (f.window),
                                                    GTK_TYPE_STACK_SWITCHER));
  gtk_widget_child_focus (cb_widget_find_descendant (GTK_WIDGET (f.window),
                                                     GTK_TYPE_STACK_SWITCHER),
                          GTK_DIR_TAB_FORWARD);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.window)),
                          "python3 runners/train.py trainer.max_epochs=9");
  cb_test_spin_pending ();
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  wait_for_toast (f.window, "Train: 1 field set");
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "max_epochs")), ==, 9);

  /* In the Experiment Name field Ctrl+V pastes into the field, and imports nothing. */
  clear_toasts (f.window);
  entry = cb_widget_find_descendant (cb_page_get_row (page, "exp_name"), GTK_TYPE_TEXT);
  g_assert_nonnull (entry);
  g_assert_false (pasted_into (entry));
  gtk_widget_grab_focus (entry);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.window)),
                          "python3 runners/train.py trainer.max_epochs=4");
  cb_test_spin_pending ();
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  /* GTK reads the key, and the field the clipboard, in their own time: the paste is waited
   * for (a fixed 500 ms could end before it on a loaded machine); then as long again for an
   * import, which must not come. */
  g_assert_true (cb_test_spin_until (pasted_into, entry, TIMEOUT_MS));
  cb_test_spin_for (500);
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "max_epochs")), ==, 9);
  g_assert_nonnull (strstr (gtk_editable_get_text (GTK_EDITABLE (entry)), "runners/train.py"));

  fixture_close (&f);
}

static const char *
form_string (CbForm     *form,
             const char *key)
{
  return g_variant_get_string (cb_form_get_value (form, key), NULL);
}

/* Clicks the toast's Undo. */
static void
click_undo (CbWindow *window)
{
  GtkWidget *toast = cb_test_find_by_css_name (GTK_WIDGET (window), "toast");
  GtkWidget *undo;

  g_assert_nonnull (toast);
  undo = cb_widget_find_descendant (toast, GTK_TYPE_BUTTON);
  g_assert_nonnull (undo);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (undo)), ==, "_Undo");
  g_signal_emit_by_name (undo, "clicked");
  cb_test_spin_pending ();
}

/* Writes @overrides_yaml (unless NULL) and uses the settings of the run of @path: the toast
 * starts with @toast. */
static void
use_run_settings (Fixture    *f,
                  const char *overrides_file,
                  const char *overrides_yaml,
                  const char *path,
                  const char *toast)
{
  if (overrides_yaml != NULL)
    g_assert_true (g_file_set_contents (overrides_file, overrides_yaml, -1, NULL));
  clear_toasts (f->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.use-run-settings",
                                             "s", path));
  wait_for_toast (f->window, toast);
}

/* Use This Run's Settings from the checkpoint picker: the checkpoint's run's overrides.yaml
 * into Train (its runner), with Undo; a run that has none, or a broken one, changes nothing
 * and names the file. */
static void
test_run_settings_picker (void)
{
  Fixture f = { 0 };
  CbPage *test = NULL;
  CbPage *train = NULL;
  CbForm *train_form;
  GtkWidget *button;
  g_autofree char *ckpt = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *bare_ckpt = NULL;
  gpointer pair[2];

  fixture_open (&f);
  test = cb_window_get_page (f.window, "test");
  train = cb_window_get_page (f.window, "train");
  train_form = cb_page_get_form (train);
  g_assert_true (cb_form_set_value_from_string (train_form, "exp_name", "mine", NULL));
  before = argv_text (train);

  /* Hidden while no checkpoint is chosen, then for the chosen one. */
  cb_window_set_visible_page (f.window, "test");
  /* The picker's last child, beside the drop-down. */
  button = gtk_widget_get_last_child (cb_widget_find_descendant (
    cb_page_get_row (test, "checkpoint_path"), CB_TYPE_CHECKPOINT_PICKER));
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_name (button), ==, "run-settings-button");
  g_assert_false (gtk_widget_get_visible (button));
  ckpt = g_build_filename (f.p.copy, "outputs", "3", "checkpoints", "last.ckpt", NULL);
  g_assert_true (cb_form_set_value_from_string (cb_page_get_form (test), "checkpoint_path", ckpt,
                                                NULL));
  cb_test_spin_pending ();
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "win.use-run-settings");
  g_assert_true (gtk_widget_is_sensitive (button));

  clear_toasts (f.window);
  g_signal_emit_by_name (button, "clicked");
  wait_for_toast (f.window, "Train: ");
  pair[0] = f.window;
  pair[1] = "train";
  g_assert_true (cb_test_spin_until (visible_page_is, pair, TIMEOUT_MS));
  /* exp_name=scans-craft-craft_decoder-resnet50: the suffix is the architecture's. */
  g_assert_cmpstr (form_string (train_form, "exp_name"), ==, "scans");
  g_assert_cmpstr (form_string (train_form, "architecture"), ==, "craft");
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (train_form, "max_epochs")), ==, 15);
  g_assert_true (g_strv_contains (cb_command_get_argv (cb_form_get_command (train_form)),
                                  "exp_name=scans-craft-craft_decoder-resnet50"));
  click_undo (f.window);
  after = argv_text (train);
  g_assert_cmpstr (after, ==, before);

  /* A predict run's folder goes to Predict: its hydra.yaml names the job. */
  use_run_settings (&f, NULL, NULL, "outputs/ocr_prediction", "Predict: ");
  g_assert_cmpstr (form_string (cb_page_get_form (cb_window_get_page (f.window, "predict")),
                                "exp_name"), ==, "ocr_prediction");

  /* No overrides.yaml, then a broken one: the toast names the file; Train is unchanged. */
  bare = g_build_filename (f.p.copy, "outputs", "bare", NULL);
  bare_ckpt = g_build_filename (bare, "checkpoints", "last.ckpt", NULL);
  {
    g_autofree char *hydra = g_build_filename (bare, ".hydra", NULL);
    g_autofree char *ckpt_dir = g_path_get_dirname (bare_ckpt);
    g_autofree char *overrides = g_build_filename (hydra, "overrides.yaml", NULL);

    g_assert_cmpint (g_mkdir_with_parents (hydra, 0755), ==, 0);
    g_assert_cmpint (g_mkdir_with_parents (ckpt_dir, 0755), ==, 0);
    g_assert_true (g_file_set_contents (bare_ckpt, "", 0, NULL));

    use_run_settings (&f, overrides, NULL, bare_ckpt, "Could not use the run’s settings: "
                      "outputs/bare/.hydra/overrides.yaml: No such file");
    use_run_settings (&f, overrides, "- trainer.max_epochs=3\n- b: [\n", bare_ckpt,
                      "Could not use the run’s settings: "
                      "outputs/bare/.hydra/overrides.yaml:3:1: ");
    /* An override Hydra cannot read: the file and the word. */
    use_run_settings (&f, overrides, "- trainer.max_epochs=3\n- a=b=c\n", bare_ckpt,
                      "Could not use the run’s settings: "
                      "outputs/bare/.hydra/overrides.yaml: “a=b=c”");

    /* Without hydra.yaml to name the job, a checkpoint's run is a training run. */
    cb_window_set_visible_page (f.window, "test");
    use_run_settings (&f, overrides, "- trainer.max_epochs=3\n", bare_ckpt,
                      "Train: 1 field set");
    g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (train_form, "max_epochs")), ==, 3);
    click_undo (f.window);
  }
  g_free (after);
  after = argv_text (train);
  g_assert_cmpstr (after, ==, before);

  fixture_close (&f);
}

/* Use This Run's Settings from the run history: the entry's command, as a paste, with its
 * extra overrides as rows, and Undo. */
static void
test_run_settings_history (void)
{
  Fixture f = { 0 };
  CbPage *train;
  CbForm *form;
  g_autoptr(CbRunRecord) record = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  static const char * const argv[] = {
    "python3", "runners/train.py", "exp_name=from-history-dbnet-unet-resnet18",
    "trainer.max_epochs=4", "+trainer.fast_dev_run=true", NULL
  };

  fixture_open (&f);
  train = cb_window_get_page (f.window, "train");
  form = cb_page_get_form (train);
  g_assert_true (cb_form_set_value_from_string (form, "exp_name", "mine", NULL));
  before = argv_text (train);
  cb_window_set_visible_page (f.window, "predict");

  record = cb_run_record_new ("python3 runners/train.py …", argv, "train", now, 1.0, 0, 0);
  clear_toasts (f.window);
  g_signal_emit_by_name (f.pane, "load-requested", record);
  wait_for_toast (f.window, "Train: 2 fields set, 1 extra override");
  g_assert_true (cb_window_get_visible_page (f.window) == train);
  g_assert_cmpstr (form_string (form, "exp_name"), ==, "from-history");
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "max_epochs")), ==, 4);
  g_assert_cmpuint (cb_extra_overrides_get_n_rows (extra_overrides_of (train)), ==, 1);
  g_assert_cmpstr (cb_form_get_extra_overrides (form)[0], ==, "+trainer.fast_dev_run=true");

  click_undo (f.window);
  after = argv_text (train);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (cb_extra_overrides_get_n_rows (extra_overrides_of (train)), ==, 0);

  fixture_close (&f);
}

/* Save as Script: the visible page's script, executable, at the path given (the action's
 * target; the menu's empty target opens the file chooser); a toast names the file. */
static void
test_save_script (void)
{
  Fixture f = { 0 };
  CbForm *form;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-save-script-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "train-receipts.sh", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "x.sh", NULL);
  g_autofree char *want = NULL;
  g_autofree char *data = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  fixture_open (&f);
  cb_window_set_visible_page (f.window, "train");
  form = cb_page_get_form (cb_window_get_page (f.window, "train"));
  g_assert_true (cb_form_set_value_from_string (form, "exp_name", "receipts", NULL));
  cb_extra_overrides_add_row (extra_overrides_of (cb_window_get_page (f.window, "train")),
                              "+note=\"it's $HOME\"");

  clear_toasts (f.window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.save-script", "s",
                                             path));
  wait_for_toast (f.window, "Saved train-receipts.sh");
  g_assert_true (g_file_get_contents (path, &data, NULL, &error));
  g_assert_no_error (error);
  want = cb_script_new (cb_form_get_command (form), f.p.project->root);
  g_assert_cmpstr (data, ==, want);
  g_assert_nonnull (strstr (data, "'+note=\"it'\\''s $HOME\"'"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true ((st.st_mode & 0100) != 0);

  clear_toasts (f.window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.save-script", "s",
                                             missing));
  wait_for_toast (f.window, "Could not save x.sh: ");

  /* A page with errors saves nothing. */
  g_assert_true (cb_form_set_value_from_string (form, "exp_name", "", NULL));
  clear_toasts (f.window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.save-script", "s",
                                             path));
  wait_for_toast (f.window, "The page has errors");

  fixture_close (&f);
  cb_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = NULL;
  int ret;

  g_setenv ("GDK_BACKEND", "x11", TRUE);
  state_dir = cb_test_gui_init (&argc, &argv, "test-commands-in");

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs an X display");
      return 77;
    }

  g_test_add_func ("/commands-in/paste", test_paste);
  g_test_add_func ("/commands-in/import-dialog-and-drop", test_import_dialog_and_drop);
  g_test_add_func ("/commands-in/extra-rows", test_extra_rows);
  g_test_add_func ("/commands-in/ctrl-v", test_ctrl_v);
  g_test_add_func ("/commands-in/run-settings-picker", test_run_settings_picker);
  g_test_add_func ("/commands-in/run-settings-history", test_run_settings_history);
  g_test_add_func ("/commands-in/save-script", test_save_script);

  ret = g_test_run ();

  cb_test_remove_tree (state_dir);
  return ret;
}
