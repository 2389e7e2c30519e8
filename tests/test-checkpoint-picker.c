/* test-checkpoint-picker.c: the checkpoint picker of the Test page, used as a user would
 *
 * Runs under xvfb-run (see tests/meson.build). Each test opens a window on a copy of the demo
 * project whose outputs/ also hold two runs in Hydra's dated layout with one exp_name, and
 * Lightning's versioned files (last-v1.ckpt, epoch=3-step=100-v1.ckpt). The tests open the
 * picker's popup, type into its search entry and read what the popup and the button show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cb-checkpoint-picker.h"
#include "cb-page.h"
#include "cb-state-store.h"
#include "cb-widget-util.h"
#include "cb-window.h"
#include "cb/cb-problem.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"

static guint timeout_s = 20;

#define DATED_RUN     "2025-11-16/10-30-00"
#define DATED_RUN_2   "2025-11-17/09-00-00"
#define EXP_NAME      "zebra_receipts"

/* The runs added to the demo's outputs/: two dated runs of one exp_name. */
static const struct
{
  const char *path;
  const char *contents;
} dated_files[] = {
  { "outputs/" DATED_RUN "/.hydra/overrides.yaml",
    "- exp_name=" EXP_NAME "\n- model.encoder.model_name=resnet18\n" },
  { "outputs/" DATED_RUN "/checkpoints/last.ckpt", "" },
  { "outputs/" DATED_RUN "/checkpoints/last-v1.ckpt", "" },
  { "outputs/" DATED_RUN "/checkpoints/epoch=3-step=100.ckpt", "" },
  { "outputs/" DATED_RUN "/checkpoints/epoch=3-step=100-v1.ckpt", "" },
  { "outputs/" DATED_RUN_2 "/.hydra/overrides.yaml", "- exp_name=" EXP_NAME "\n" },
  { "outputs/" DATED_RUN_2 "/checkpoints/last.ckpt", "" },
};

typedef struct
{
  char                *copy;
  CbProject           *project;
  CbConfigCache       *cache;
  CbCheckpointScanner *scanner;
  GSettingsBackend    *backend;
  GSettings           *settings;
  CbWindow            *window;
  CbPage              *page;
  CbCheckpointPicker  *picker;
  GtkDropDown         *drop_down;
} Fixture;

/* ------------------------------------------------------------------------------------ */
/* Fixture                                                                              */

static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  g_assert_true (cb_test_spin_until (done, data, timeout_s * 1000));
}

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
page_built (gpointer data)
{
  return cb_page_is_built (data);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
is_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static gboolean
only_reference (gpointer object)
{
  return g_atomic_int_get ((int *) &G_OBJECT (object)->ref_count) == 1;
}

static void
write_file (const char *root,
            const char *relative,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* A copy of the demo project, with the dated runs; with @empty, with no checkpoint at all. */
static char *
make_project (gboolean empty)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("test-checkpoint-picker-XXXXXX", &error);
  char *dest;

  g_assert_no_error (error);
  dest = g_build_filename (tmp, "demo", NULL);
  g_assert_true (cb_copy_demo_project (dest, &error));
  g_assert_no_error (error);

  if (empty)
    {
      g_autofree char *outputs = g_build_filename (dest, "outputs", NULL);

      cb_test_remove_tree (outputs);
      g_assert_cmpint (g_mkdir (outputs, 0755), ==, 0);
    }
  else
    for (guint i = 0; i < G_N_ELEMENTS (dated_files); i++)
      write_file (dest, dated_files[i].path, dated_files[i].contents);

  return dest;
}

static void
fixture_open (Fixture  *f,
              gboolean  empty)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autofree char *configs = NULL;
  g_autofree char *state = NULL;

  f->copy = make_project (empty);
  f->project = cb_project_load (f->copy, problems);
  g_assert_nonnull (f->project);
  state = cb_state_store_path_for_project (f->project->root);
  g_unlink (state);

  configs = cb_project_get_path (f->project, f->project->configs_dir);
  f->cache = cb_config_cache_new (configs);
  cb_config_cache_load_async (f->cache, NULL, NULL, NULL);
  f->scanner = cb_checkpoint_scanner_new (f->project->root, f->project->outputs_dir);
  cb_checkpoint_scanner_rescan (f->scanner);

  f->backend = g_memory_settings_backend_new ();
  f->settings = g_settings_new_with_backend (APP_ID, f->backend);
  /* At the top left, away from the pointer Xvfb puts in the middle (see test-window.c): a
   * window under it would not be finalized. */
  g_settings_set_int (f->settings, "window-width", 600);
  g_settings_set_int (f->settings, "window-height", 500);

  f->window = g_object_new (CB_TYPE_WINDOW,
                            "project", f->project,
                            "config-cache", f->cache,
                            "checkpoint-scanner", f->scanner,
                            "settings", f->settings,
                            "problems", problems,
                            NULL);
  gtk_window_present (GTK_WINDOW (f->window));

  spin_until (cache_loaded, f->cache);
  spin_until (scanner_loaded, f->scanner);
  cb_window_set_visible_page (f->window, "test");
  f->page = cb_window_get_page (f->window, "test");
  spin_until (page_built, f->page);
  spin_until (is_mapped, f->page);
  cb_test_spin_pending ();

  f->drop_down = GTK_DROP_DOWN (cb_page_get_control (f->page, "checkpoint_path"));
  g_assert_true (GTK_IS_DROP_DOWN (f->drop_down));
  f->picker = CB_CHECKPOINT_PICKER (gtk_widget_get_ancestor (GTK_WIDGET (f->drop_down),
                                                             CB_TYPE_CHECKPOINT_PICKER));
  g_assert_nonnull (f->picker);
}

static void
fixture_close (Fixture *f)
{
  g_autofree char *tmp = g_path_get_dirname (f->copy);
  GtkWidget *popover = cb_widget_find_descendant (GTK_WIDGET (f->drop_down), GTK_TYPE_POPOVER);

  /* A popup still open while its window goes trips GTK 4.8. */
  gtk_popover_popdown (GTK_POPOVER (popover));
  spin_until (is_unmapped, popover);
  cb_test_spin_pending ();

  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  cb_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&f->window));

  spin_until (only_reference, f->scanner);
  spin_until (only_reference, f->cache);
  g_assert_finalize_object (g_steal_pointer (&f->scanner));
  g_assert_finalize_object (g_steal_pointer (&f->cache));
  g_assert_finalize_object (g_steal_pointer (&f->settings));
  g_clear_object (&f->backend);
  g_clear_pointer (&f->project, cb_project_unref);

  cb_test_remove_tree (f->copy);
  g_rmdir (tmp);
  g_clear_pointer (&f->copy, g_free);
}

/* ------------------------------------------------------------------------------------ */
/* What the user sees and does                                                          */

/* The texts of the labels on screen under @widget, in order, joined by " | ". */
static void
collect_texts (GtkWidget *widget,
               GString   *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) && *gtk_label_get_label (GTK_LABEL (widget)) != '\0')
    g_string_append_printf (out, "%s%s", out->len ? " | " : "",
                            gtk_label_get_label (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, out);
}

static char *
shown_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_texts (widget, out);
  return g_string_free (out, FALSE);
}

/* What the closed drop-down's button says. */
static char *
button_text (Fixture *f)
{
  return shown_text (cb_widget_find_descendant (GTK_WIDGET (f->drop_down),
                                                GTK_TYPE_TOGGLE_BUTTON));
}

static GtkWidget *
popover (Fixture *f)
{
  GtkWidget *popover = cb_widget_find_descendant (GTK_WIDGET (f->drop_down), GTK_TYPE_POPOVER);

  g_assert_nonnull (popover);
  return popover;
}

/* Clicks the drop-down open. */
static void
open_popup (Fixture *f)
{
  GtkWidget *button = cb_widget_find_descendant (GTK_WIDGET (f->drop_down),
                                                 GTK_TYPE_TOGGLE_BUTTON);

  if (!gtk_widget_get_mapped (popover (f)))
    gtk_widget_activate (button);
  spin_until (is_mapped, popover (f));
  cb_test_spin_pending ();
}

/* Types @text into the popup's search entry. */
static void
search (Fixture    *f,
        const char *text)
{
  GtkWidget *entry = cb_widget_find_descendant (popover (f), GTK_TYPE_SEARCH_ENTRY);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "search-changed");
  cb_test_spin_pending ();
  /* The list lays out its new rows in the popup's next frame. */
  gtk_test_widget_wait_for_draw (popover (f));
  cb_test_spin_pending ();
}

static GtkWidget *
list_view (Fixture *f)
{
  GtkWidget *list = cb_widget_find_descendant (popover (f), GTK_TYPE_LIST_VIEW);

  g_assert_nonnull (list);
  return list;
}

/* The rows the popup's list shows, each as its labels' texts. */
static char **
shown_rows (Fixture *f)
{
  GtkWidget *list = list_view (f);
  g_autoptr(GStrvBuilder) rows = g_strv_builder_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      g_autofree char *text = shown_text (row);

      if (*text != '\0')
        g_strv_builder_add (rows, text);
    }

  return g_strv_builder_end (rows);
}

/* The row of the popup that shows @path, by its tooltip (the path); -1 if none. */
static int
shown_row_for (Fixture    *f,
               const char *path,
               char      **text)
{
  GtkWidget *list = list_view (f);
  int n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box;

      if (!gtk_widget_get_mapped (row))
        continue;
      box = cb_widget_find_descendant (row, GTK_TYPE_BOX);
      for (; box != NULL; box = gtk_widget_get_first_child (box))
        if (g_strcmp0 (cb_widget_get_list_tooltip (box), path) == 0)
          {
            if (text != NULL)
              *text = shown_text (row);
            return n;
          }
      n++;
    }

  return -1;
}

/* The line below the list, if one is shown. */
static char *
status_text (Fixture *f)
{
  GtkWidget *box = gtk_popover_get_child (GTK_POPOVER (popover (f)));
  GString *out = g_string_new (NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      collect_texts (child, out);

  return g_string_free (out, FALSE);
}

static const char *
form_path (Fixture *f)
{
  GVariant *value = cb_form_get_value (cb_page_get_form (f->page), "checkpoint_path");

  if (value == NULL)
    return NULL;
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  return g_variant_get_string (value, NULL);
}

/* Clicks the popup's row for @path. */
static void
click_row (Fixture    *f,
           const char *path)
{
  GListModel *items = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view (f))));
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbCheckpoint) item = g_list_model_get_item (items, i);

      if (g_str_equal (cb_checkpoint_get_path (item), path))
        {
          /* A click selects the row, then activates it. */
          g_assert_true (gtk_widget_activate_action (list_view (f), "list.select-item", "(ubb)",
                                                     i, FALSE, FALSE));
          g_assert_true (gtk_widget_activate_action (list_view (f), "list.activate-item", "u",
                                                     i));
          cb_test_spin_pending ();
          return;
        }
    }

  g_assert_not_reached ();
}

/* ------------------------------------------------------------------------------------ */
/* Tests                                                                                */

/* (a) A dated run is named by its exp_name, with its date and time beside it. */
static void
test_dated_run_label (void)
{
  Fixture f = { NULL, };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *button = NULL;

  fixture_open (&f, FALSE);
  open_popup (&f);
  search (&f, "");

  g_assert_cmpint (shown_row_for (&f, "outputs/" DATED_RUN "/checkpoints/last.ckpt", &first),
                   >=, 0);
  g_assert_cmpint (shown_row_for (&f, "outputs/" DATED_RUN_2 "/checkpoints/last.ckpt",
                                  &second), >=, 0);
  g_test_message ("rows: %s / %s", first, second);
  g_assert_true (g_str_has_prefix (first, EXP_NAME " | "));
  g_assert_nonnull (strstr (first, DATED_RUN));
  g_assert_true (g_str_has_prefix (second, EXP_NAME " | "));
  g_assert_nonnull (strstr (second, DATED_RUN_2));

  /* A run whose folder is its name is shown once. */
  {
    g_autofree char *demo = NULL;

    search (&f, "demo_training");
    g_assert_cmpint (shown_row_for (&f, "outputs/demo_training/checkpoints/epoch=19-step=1000.ckpt",
                                    &demo), >=, 0);
    g_assert_true (g_str_has_prefix (demo, "demo_training | epoch 19"));
  }

  /* Chosen, the button names it too. */
  search (&f, "");
  click_row (&f, "outputs/" DATED_RUN "/checkpoints/last.ckpt");
  g_assert_cmpstr (form_path (&f), ==, "outputs/" DATED_RUN "/checkpoints/last.ckpt");
  button = button_text (&f);
  g_assert_cmpstr (button, ==, EXP_NAME " · last");

  fixture_close (&f);
}

/* (b) The search finds what is shown, the exp_name included, and says when nothing matches. */
static void
test_search (void)
{
  Fixture f = { NULL, };
  g_auto(GStrv) rows = NULL;
  g_autofree char *status = NULL;

  fixture_open (&f, FALSE);
  open_popup (&f);

  search (&f, "zebra");
  rows = shown_rows (&f);
  g_assert_cmpuint (g_strv_length (rows), ==, 5);
  for (guint i = 0; rows[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (rows[i], EXP_NAME " | "));
  status = status_text (&f);
  g_assert_cmpstr (status, ==, "");
  g_clear_pointer (&rows, g_strfreev);

  /* What the popup shows of a checkpoint finds it: "v1" finds the two versioned files. */
  search (&f, "v1");
  rows = shown_rows (&f);
  g_assert_cmpuint (g_strv_length (rows), ==, 2);
  g_clear_pointer (&rows, g_strfreev);

  search (&f, "no such checkpoint");
  rows = shown_rows (&f);
  g_assert_cmpuint (g_strv_length (rows), ==, 0);
  g_clear_pointer (&status, g_free);
  status = status_text (&f);
  g_assert_cmpstr (status, ==, "No checkpoints match");

  search (&f, "");
  g_clear_pointer (&status, g_free);
  status = status_text (&f);
  g_assert_cmpstr (status, ==, "");

  fixture_close (&f);
}

/* (b) No checkpoint at all: the popup says so, and the row stays open for "Other File…". */
static void
test_no_checkpoints (void)
{
  Fixture f = { NULL, };
  g_autofree char *status = NULL;
  g_autofree char *button = NULL;
  GtkWidget *row;

  fixture_open (&f, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (cb_checkpoint_scanner_get_model (f.scanner)), ==, 0);

  row = cb_page_get_row (f.page, "checkpoint_path");
  g_assert_true (gtk_widget_is_sensitive (row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "No checkpoints found under outputs/"));
  button = button_text (&f);
  g_assert_cmpstr (button, ==, "None chosen");

  open_popup (&f);
  status = status_text (&f);
  g_assert_cmpstr (status, ==, "No checkpoints found under outputs/");
  g_assert_true (gtk_widget_get_mapped (cb_test_find_by_class (popover (&f), "cb-checkpoint-other")));

  fixture_close (&f);
}

/* (c) Lightning's -v1 files are told apart from the files of the same name before them. */
static void
test_versions (void)
{
  Fixture f = { NULL, };
  g_autofree char *last = NULL;
  g_autofree char *last_v1 = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *epoch_v1 = NULL;
  g_autofree char *button = NULL;

  fixture_open (&f, FALSE);
  open_popup (&f);
  search (&f, DATED_RUN);

  g_assert_cmpint (shown_row_for (&f, "outputs/" DATED_RUN "/checkpoints/last.ckpt", &last),
                   >=, 0);
  g_assert_cmpint (shown_row_for (&f, "outputs/" DATED_RUN "/checkpoints/last-v1.ckpt",
                                  &last_v1), >=, 0);
  g_assert_cmpint (shown_row_for (&f, "outputs/" DATED_RUN "/checkpoints/epoch=3-step=100.ckpt",
                                  &epoch), >=, 0);
  g_assert_cmpint (shown_row_for (&f,
                                  "outputs/" DATED_RUN "/checkpoints/epoch=3-step=100-v1.ckpt",
                                  &epoch_v1), >=, 0);
  g_test_message ("%s / %s / %s / %s", last, last_v1, epoch, epoch_v1);
  g_assert_cmpstr (last, !=, last_v1);
  g_assert_cmpstr (epoch, !=, epoch_v1);
  g_assert_nonnull (strstr (last_v1, "last · v1"));
  g_assert_nonnull (strstr (epoch_v1, "epoch 3 · step 100 · v1"));
  g_assert_null (strstr (last, "v1"));
  g_assert_null (strstr (epoch, "v1"));

  click_row (&f, "outputs/" DATED_RUN "/checkpoints/last-v1.ckpt");
  button = button_text (&f);
  g_assert_cmpstr (button, ==, EXP_NAME " · last · v1");

  fixture_close (&f);
}

static gboolean
chooser_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget **found = data;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (window))
        {
          *found = window;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
chooser_gone (gpointer data)
{
  GtkWidget *found = NULL;

  return !chooser_shown (&found);
}

typedef struct
{
  GListModel *model;
  guint       n_items;
} ModelWait;

static gboolean
model_grew (gpointer data)
{
  ModelWait *wait = data;

  return g_list_model_get_n_items (wait->model) > wait->n_items;
}

/* (d) Nothing chosen, then a file outside outputs/ from "Other File…". */
static void
test_other_file (void)
{
  Fixture f = { NULL, };
  g_autofree char *button = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *outside = NULL;
  GtkWidget *other;
  GtkWidget *chooser = NULL;
  g_autoptr(GFile) file = NULL;
  GtkWidget *row;
  ModelWait wait;

  fixture_open (&f, FALSE);
  row = cb_page_get_row (f.page, "checkpoint_path");

  /* The form chooses no checkpoint: the picker says so. */
  g_assert_null (form_path (&f));
  g_assert_cmpuint (gtk_drop_down_get_selected (f.drop_down), ==, GTK_INVALID_LIST_POSITION);
  button = button_text (&f);
  g_assert_cmpstr (button, ==, "None chosen");

  /* "Other File…" at the foot of the popup opens a file chooser, without waiting for it. */
  open_popup (&f);
  other = cb_test_find_by_class (popover (&f), "cb-checkpoint-other");
  g_assert_nonnull (other);
  g_assert_true (GTK_IS_BUTTON (other));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (other)), ==, "_Other File…");
  gtk_widget_activate (other);
  spin_until (chooser_shown, &chooser);
  g_assert_false (gtk_widget_get_mapped (popover (&f)));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_OPEN);
  {
    g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));

    g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 2);
  }
  /* Cancelled: nothing changes. */
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  spin_until (chooser_gone, NULL);
  g_assert_null (form_path (&f));

  /* What the chooser does with a file the user chose there. */
  outside = g_build_filename (g_get_tmp_dir (), "elsewhere", "models", "model.pt", NULL);
  file = g_file_new_for_path (outside);
  cb_checkpoint_picker_choose_file (f.picker, file);
  cb_test_spin_pending ();

  g_assert_cmpstr (form_path (&f), ==, outside);
  g_assert_cmpuint (gtk_drop_down_get_selected (f.drop_down), ==, GTK_INVALID_LIST_POSITION);
  g_clear_pointer (&button, g_free);
  button = button_text (&f);
  g_test_message ("button: %s", button);
  {
    g_autofree char *folder = g_path_get_dirname (outside);
    g_autofree char *expected = g_strdup_printf ("model.pt · %s", folder);

    g_assert_cmpstr (button, ==, expected);
  }
  subtitle = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  g_assert_nonnull (strstr (subtitle, "elsewhere"));

  /* A scan that changes the model moves nothing: the outside file stays chosen. */
  wait.model = cb_checkpoint_scanner_get_model (f.scanner);
  wait.n_items = g_list_model_get_n_items (wait.model);
  write_file (f.copy, "outputs/" DATED_RUN "/checkpoints/epoch=4-step=125.ckpt", "");
  cb_checkpoint_scanner_rescan (f.scanner);
  spin_until (model_grew, &wait);
  cb_test_spin_pending ();
  g_assert_cmpstr (form_path (&f), ==, outside);
  g_assert_cmpuint (gtk_drop_down_get_selected (f.drop_down), ==, GTK_INVALID_LIST_POSITION);
  g_clear_pointer (&button, g_free);
  button = button_text (&f);
  g_assert_true (g_str_has_prefix (button, "model.pt · "));

  /* Back to one of the list, and out again. */
  open_popup (&f);
  search (&f, "");
  click_row (&f, "outputs/" DATED_RUN "/checkpoints/last.ckpt");
  g_assert_cmpstr (form_path (&f), ==, "outputs/" DATED_RUN "/checkpoints/last.ckpt");
  cb_checkpoint_picker_choose_file (f.picker, file);
  cb_test_spin_pending ();
  g_assert_cmpstr (form_path (&f), ==, outside);
  g_assert_cmpuint (gtk_drop_down_get_selected (f.drop_down), ==, GTK_INVALID_LIST_POSITION);

  fixture_close (&f);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state_dir = NULL;
  int ret;

  state_dir = g_dir_make_tmp ("test-checkpoint-picker-state-XXXXXX", NULL);
  g_assert_nonnull (state_dir);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  /* English labels, whatever the machine's language. */
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("CB_TEST_TIMEOUT") != NULL)
    timeout_s = MAX (1, (guint) g_ascii_strtoull (g_getenv ("CB_TEST_TIMEOUT"), NULL, 10));
  gtk_init ();
  adw_init ();

  g_test_add_func ("/checkpoint-picker/dated-run-label", test_dated_run_label);
  g_test_add_func ("/checkpoint-picker/search", test_search);
  g_test_add_func ("/checkpoint-picker/no-checkpoints", test_no_checkpoints);
  g_test_add_func ("/checkpoint-picker/versions", test_versions);
  g_test_add_func ("/checkpoint-picker/other-file", test_other_file);

  ret = g_test_run ();

  cb_test_remove_tree (state_dir);
  return ret;
}
