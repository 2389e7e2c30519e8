/* cb-test-demo.c: the bundled demo project, loaded once for a core test program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb-test-demo.h"

/* After g_test_init(): the demo under G_TEST_SRCDIR, its configs and one scan of outputs/. */
void
cb_test_demo_open (CbTestDemo *demo)
{
  g_autofree char *configs = NULL;

  demo->root = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-project", NULL);
  demo->project = cb_project_load (demo->root, NULL);
  configs = cb_project_get_path (demo->project, demo->project->configs_dir);
  demo->snapshot = cb_config_snapshot_load (configs, NULL);
  demo->scanner = cb_checkpoint_scanner_new (demo->project->root, demo->project->outputs_dir);
  g_assert_true (cb_checkpoint_scanner_scan_sync (demo->scanner, NULL, NULL));
}

void
cb_test_demo_close (CbTestDemo *demo)
{
  g_clear_object (&demo->scanner);
  g_clear_pointer (&demo->snapshot, cb_config_snapshot_unref);
  g_clear_pointer (&demo->project, cb_project_unref);
  g_clear_pointer (&demo->root, g_free);
}

/* A form of @page on the demo: its schema, project, configs and checkpoints. */
CbForm *
cb_test_demo_make_form (CbTestDemo *demo,
                        const char *page)
{
  g_autofree char *path = cb_project_find_schema (demo->project, NULL, page);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = cb_schema_load_file (path, NULL, &error);
  CbForm *form;

  g_assert_no_error (error);
  form = cb_form_new (schema, page);
  cb_form_set_project (form, demo->project);
  cb_form_set_snapshot (form, demo->snapshot);
  cb_form_set_checkpoint_model (form, cb_checkpoint_scanner_get_model (demo->scanner));
  return form;
}

/* Sets @key of @form from @text, as typed; fails the test when the form refuses it. */
void
cb_test_demo_set (CbForm     *form,
                  const char *key,
                  const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_form_set_value_from_string (form, key, text, &error));
  g_assert_no_error (error);
}
