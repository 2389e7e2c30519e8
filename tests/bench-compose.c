/* bench-compose.c: times the native Hydra composer (not a test: scripts/bench runs it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-compose DEMO_PROJECT_DIR
 *
 * Prints one JSON object: the demo's train command composed cold (files read and parsed)
 * and cached, the preload a config snapshot does, a value edit of the Train form including
 * its check (medians and p95 over many edits), and the same on a generated tree of about
 * 150 config files, the size of the public OCR project's.
 */

#include "config.h"

#include "cb/cb-compose.h"
#include "cb/cb-command-parse.h"
#include "cb/cb-form.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
quantile (GArray *values,
          double  q)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, (guint) (q * (values->len - 1)));
}

static double
now_us (void)
{
  return (double) g_get_monotonic_time ();
}

/* A tree like the public OCR project's: ~150 files, nested groups, presets, packages. */
static char *
generate_tree (void)
{
  g_autoptr(GError) error = NULL;
  char *tmp = g_dir_make_tmp ("cb-bench-compose-XXXXXX", &error);
  g_autofree char *configs = g_build_filename (tmp, "configs", NULL);
  g_autoptr(GString) train = g_string_new ("defaults:\n");
  static const char * const groups[] = {
    "model/architectures", "model/encoder", "model/decoder", "model/head", "model/loss",
    "train/optimizer", "train/scheduler", "data", "data/transforms", "trainer", "logger",
    "callbacks", "paths", "preset/models", "preset/datasets", "experiment"
  };

  g_assert_no_error (error);
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      g_autofree char *dir = g_build_filename (configs, groups[g], NULL);

      g_mkdir_with_parents (dir, 0755);
      for (guint o = 0; o < 9; o++)
        {
          g_autofree char *path = g_strdup_printf ("%s/opt%u.yaml", dir, o);
          g_autoptr(GString) text = g_string_new (NULL);

          if (g_str_has_prefix (groups[g], "preset/"))
            g_string_append (text, "# @package _global_\n");
          for (guint k = 0; k < 12; k++)
            g_string_append_printf (text, "key%u: %u\n", k, k * o);
          g_string_append (text, "nested:\n  a: ${paths.root}/x\n  b: [1, 2, 3]\n  c:\n    d: 1\n");
          g_file_set_contents (path, text->str, -1, NULL);
        }
      if (!g_str_has_prefix (groups[g], "experiment"))
        g_string_append_printf (train, "  - %s: opt0\n", groups[g]);
    }
  g_string_append (train, "  - _self_\n\nexp_name: bench\nseed: 1\n");
  {
    g_autofree char *path = g_build_filename (configs, "train.yaml", NULL);

    g_file_set_contents (path, train->str, -1, NULL);
  }
  return tmp;
}

static void
time_tree (const char         *configs,
           const char * const *overrides,
           GString            *json,
           const char         *name)
{
  g_autoptr(CbComposer) cold = cb_composer_new (configs);
  g_autoptr(CbComposer) sealed = cb_composer_new (configs);
  g_autoptr(GArray) cached = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  double t0, cold_ms, preload_ms;
  guint n_files;

  t0 = now_us ();
  cb_composition_free (cb_composer_compose (cold, "train", overrides, &error));
  cold_ms = (now_us () - t0) / 1000.0;
  g_assert_no_error (error);

  t0 = now_us ();
  n_files = cb_composer_preload (sealed);
  preload_ms = (now_us () - t0) / 1000.0;

  for (guint i = 0; i < 500; i++)
    {
      double start = now_us ();

      cb_composition_free (cb_composer_compose (sealed, "train", overrides, NULL));
      g_array_append_val (cached, (double) { now_us () - start });
    }

  g_string_append_printf (json,
                          "\"%s\": {\"files\": %u, \"cold_ms\": %.3f, \"preload_ms\": %.3f, "
                          "\"cached_us_p50\": %.1f, \"cached_us_p95\": %.1f}",
                          name, n_files, cold_ms, preload_ms, quantile (cached, 0.5),
                          quantile (cached, 0.95));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GString) json = g_string_new ("{");
  g_autoptr(CbProject) project = NULL;
  g_autoptr(CbConfigSnapshot) snapshot = NULL;
  g_autoptr(CbSchema) schema = NULL;
  g_autoptr(CbForm) form = NULL;
  g_autoptr(GArray) edits = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *configs = NULL;
  g_autofree char *schema_path = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *generated_configs = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: bench-compose DEMO_PROJECT_DIR\n");
      return 2;
    }

  project = cb_project_load (argv[1], NULL);
  configs = cb_project_get_path (project, project->configs_dir);
  snapshot = cb_config_snapshot_load (configs, NULL);
  schema_path = cb_project_find_schema (project, NULL, "train");
  schema = cb_schema_load_file (schema_path, NULL, NULL);
  form = cb_form_new (schema, "train");
  cb_form_set_project (form, project);
  cb_form_set_snapshot (form, snapshot);
  if (cb_form_get_composition (form) == NULL)
    {
      g_printerr ("bench-compose: the demo's train command does not compose: %s\n",
                  cb_form_get_hydra_error (form));
      return 1;
    }

  time_tree (configs, cb_command_get_overrides (cb_form_get_command (form)), json, "demo_train");

  /* A value edit: the form recomputes, builds the command and composes it. */
  for (guint i = 0; i < 1000; i++)
    {
      double start = now_us ();

      cb_form_set_value (form, "max_epochs", g_variant_new_int64 (1 + i % 150));
      g_array_append_val (edits, (double) { now_us () - start });
    }
  g_string_append_printf (json, ", \"edit_with_check_us_p50\": %.1f, "
                          "\"edit_with_check_us_p95\": %.1f",
                          quantile (edits, 0.5), quantile (edits, 0.95));

  /* A paste: the command's text parsed and loaded into the page's form (Ctrl+V). */
  {
    g_autoptr(GArray) pastes = g_array_new (FALSE, FALSE, sizeof (double));
    g_autofree char *text = g_strdup (cb_command_get_display (cb_form_get_command (form)));

    for (guint i = 0; i < 200; i++)
      {
        g_autoptr(CbParseResult) result = NULL;
        double start = now_us ();

        result = cb_command_parse_text (text, NULL, project, NULL);
        if (result == NULL || !cb_parse_result_load (result, form, NULL))
          {
            g_printerr ("bench-compose: the demo's train command does not paste back\n");
            return 1;
          }
        g_array_append_val (pastes, (double) { now_us () - start });
      }
    g_string_append_printf (json, ", \"paste_us_p50\": %.1f, \"paste_us_p95\": %.1f",
                            quantile (pastes, 0.5), quantile (pastes, 0.95));
  }

  generated = generate_tree ();
  generated_configs = g_build_filename (generated, "configs", NULL);
  g_string_append (json, ", ");
  time_tree (generated_configs,
             (const char * const[]) { "model/encoder=opt3", "trainer.key1=5", "+extra=1", NULL },
             json, "generated");
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", generated);

    g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  }

  g_string_append (json, "}");
  printf ("%s\n", json->str);
  return 0;
}
