/* test-config.c: tests for the config snapshot (what a project's configs/ tree offers)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fixture trees are written by the tests into a temporary folder, so every expected list
 * below follows from the files written here and the rules of the reference (sections 2.4, 3
 * and 4.7 of shared/reference/original-command-builder.md): file stems sorted, then the names
 * the architecture metadata gives, in the order they are first written. The demo project's
 * lists are the reference's own (sections 1.4, 3.2 and 4.7). */

#define G_LOG_DOMAIN "test-config"

#include "config.h"

#include "cb/cb-config.h"
#include "cb/cb-problem.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

/* A fixed, old modification time for every fixture file, so that a later "touch" is always a
 * different time whatever the file system's timestamp granularity. */
#define FIXTURE_MTIME 1000000000

/* Helpers ------------------------------------------------------------------------------------ */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_assert_cmpint (g_unlink (path), ==, 0);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
set_mtime (const char *path,
           time_t      seconds)
{
  struct timespec times[2] = { { seconds, 0 }, { seconds, 0 } };

  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

static char *
write_file (const char *root,
            const char *relative,
            const char *contents)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  set_mtime (path, FIXTURE_MTIME);

  return g_steal_pointer (&path);
}

static void
make_dir (const char *root,
          const char *relative)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
}

/* Compares a NULL-terminated list with the NULL-terminated arguments that follow. */
static void
assert_strv (const char * const *got,
             ...)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autofree char *got_text = NULL;
  g_autofree char *expected_text = NULL;
  const char *item;
  va_list args;

  g_assert_nonnull (got);

  va_start (args, got);
  while ((item = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (expected, (gpointer) item);
  va_end (args);
  g_ptr_array_add (expected, NULL);

  got_text = g_strjoinv (", ", (char **) got);
  expected_text = g_strjoinv (", ", (char **) expected->pdata);
  g_assert_cmpstr (got_text, ==, expected_text);
  g_assert_cmpuint (g_strv_length ((char **) got), ==, expected->len - 1);
}

static guint
count_problems (GPtrArray         *problems,
                CbProblemSeverity  severity)
{
  guint n = 0;

  for (guint i = 0; i < problems->len; i++)
    n += ((CbProblem *) g_ptr_array_index (problems, i))->severity == severity;

  return n;
}

/* The problems as text, one a line, for assertion messages. */
static char *
problems_text (GPtrArray *problems)
{
  return cb_problem_list_to_string (problems);
}

static char *
demo_configs_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo-project", "configs", NULL);
}

static const char *
meta_string (CbNode     *meta,
             const char *path)
{
  CbNode *node = cb_node_lookup_path (meta, path);

  return node != NULL ? cb_node_get_scalar (node) : NULL;
}

/* The fixture ------------------------------------------------------------------------------ */

static const char alpha_meta[] =
  "# with a top-level ui_metadata key; keys written in the order the loader reads them\n"
  "ui_metadata:\n"
  "  components: {encoder: alpha_enc, decoder: alpha_dec, head: alpha_head, loss: alpha_loss}\n"
  "  compatible_backbones: [bb_two, bb_one]\n"
  "  compatible_decoders: [shared_dec, alpha_dec]\n"
  "  compatible_heads: [alpha_head]\n"
  "  compatible_losses: [alpha_loss]\n"
  "  recommended_optimizers: [sgd, lion]\n"
  "  default_backbone: bb_one\n"
  "  default_decoder: alpha_dec\n"
  "  default_optimizer: sgd\n"
  "  notes: Alpha notes.\n"
  "  use_cases:\n"
  "    - id: alpha_first\n"
  "      title: Alpha first\n"
  "      description: The first one.\n"
  "      recommendations:\n"
  "        architecture: alpha\n"
  "        encoder: bb_three\n"
  "        decoder: alpha_dec\n"
  "        learning_rate: 0.01\n"
  "        batch_size: 8\n"
  "        wandb: true\n"
  "        max_epochs: ''\n"
  "        head: null\n"
  "        preprocessing_profile: clean\n"
  "    - recommendations:\n"
  "        encoder: bb_one\n";

static const char mid_meta[] =
  "# no ui_metadata key: the whole file is the metadata\n"
  "components:\n"
  "  encoder: mid_enc\n"
  "  decoder: shared_dec\n"
  "compatible_decoders: mid_dec\n"
  "default_backbone: bb_mid\n"
  "use_cases:\n"
  "  - id: mid_only\n"
  "    title: Mid only\n"
  "    recommendations:\n"
  "      architecture: mid\n"
  "      decoder: mid_dec\n";

static const char mid_meta_broken[] =
  "components:\n"
  "  default_backbone: a: b\n";

static const char adam_meta[] =
  "ui_metadata:\n"
  "  learning_rate:\n"
  "    default: 0.001\n"
  "    min: 1.0e-5\n"
  "    max: 1.0e-2\n"
  "    step: 1.0e-5\n"
  "    help: Adam help.\n";

static const char profiles_yaml[] =
  "profiles:\n"
  "  clean:\n"
  "    label: Clean scans\n"
  "    description: Cleans the page.\n"
  "    overrides: [+preset/datasets=clean, \"transforms.train_transform=${x.y}\"]\n"
  "  none:\n"
  "    label: Not this one\n"
  "    overrides: [bogus=1]\n"
  "  heavy_duty:\n"
  "    overrides:\n"
  "      - a=1\n";

/* Writes the fixture's configs/ folder and returns the temporary root holding it. */
static char *
make_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("cb-test-config-XXXXXX", &error);
  g_autofree char *configs = NULL;

  g_assert_no_error (error);
  configs = g_build_filename (root, "configs", NULL);

  g_free (write_file (configs, "model/architectures/zeta.yaml", "architectures: zeta\n"));
  g_free (write_file (configs, "model/architectures/alpha.yaml", "architectures: alpha\n"));
  g_free (write_file (configs, "model/architectures/mid.yaml", "architectures: mid\n"));
  g_free (write_file (configs, "ui_meta/architectures/alpha.yaml", alpha_meta));
  g_free (write_file (configs, "ui_meta/architectures/mid.yaml", mid_meta));
  /* metadata for an architecture that has no model file: not read */
  g_free (write_file (configs, "ui_meta/architectures/ghost.yaml", "default_decoder: ghost_dec\n"));

  g_free (write_file (configs, "preset/models/encoder/b_enc.yaml", "x: 1\n"));
  g_free (write_file (configs, "preset/models/encoder/alpha_enc.yaml", "x: 1\n"));
  g_free (write_file (configs, "preset/models/decoder/zz_dec.yaml", "x: 1\n"));
  g_free (write_file (configs, "preset/models/decoder/shared_dec.yaml", "x: 1\n"));
  g_free (write_file (configs, "preset/models/decoder/README.txt", "not yaml\n"));
  make_dir (configs, "preset/models/loss");
  /* no preset/models/head folder at all */

  g_free (write_file (configs, "model/optimizers/sgd.yaml", "lr: 0.1\n"));
  g_free (write_file (configs, "model/optimizers/adam.yaml", "lr: 0.001\n"));
  g_free (write_file (configs, "ui_meta/optimizers/adam.yaml", adam_meta));
  g_free (write_file (configs, "ui_meta/optimizers/rmsprop.yaml",
                      "learning_rate: {default: 0.002, help: RMSprop help.}\n"));

  g_free (write_file (configs, "data/beta.yaml", "batch_size: 4\n"));
  g_free (write_file (configs, "data/alpha.yaml", "batch_size: 4\n"));
  g_free (write_file (configs, "data/.hidden.yaml", "batch_size: 4\n"));
  g_free (write_file (configs, "data/notes.txt", "not a dataset\n"));
  g_free (write_file (configs, "data/performance_preset/fast.yaml", "batch_size: 4\n"));

  g_free (write_file (configs, "ui_meta/preprocessing_profiles.yaml", profiles_yaml));

  return g_steal_pointer (&root);
}

/* Fixture tree ------------------------------------------------------------------------------ */

static void
test_fixture_sources (void)
{
  g_autofree char *root = make_fixture ();
  g_autofree char *configs = g_build_filename (root, "configs", NULL);
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, problems);
  g_autofree char *text = problems_text (problems);

  g_assert_nonnull (snapshot);
  g_assert_cmpstr (cb_config_snapshot_get_dir (snapshot), ==, configs);

  assert_strv (cb_config_snapshot_get_options (snapshot, "models.architectures"),
               "alpha", "mid", "zeta", NULL);
  /* stems, then metadata components.encoder names not yet listed */
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.encoders"),
               "alpha_enc", "b_enc", "mid_enc", NULL);
  /* every backbone the metadata names: all compatible lists, then defaults, then use cases */
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.backbones"),
               "bb_two", "bb_one", "bb_mid", "bb_three", NULL);
  /* a scalar compatible_decoders counts as a one-element list */
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.decoders"),
               "shared_dec", "zz_dec", "alpha_dec", "mid_dec", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.heads"), "alpha_head", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.losses"), "alpha_loss", NULL);
  /* stems, then recommended/default names, then optimizers that only have metadata */
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.optimizers"),
               "adam", "sgd", "lion", "rmsprop", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "datasets"), "alpha", "beta", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "preprocessing_profiles"),
               "none", "clean", "heavy_duty", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "no.such.source"), NULL);

  /* The missing head folder is a notice, not an error; nothing else is wrong. */
  if (cb_problem_list_has_errors (problems) || count_problems (problems, CB_PROBLEM_WARNING) > 0)
    g_error ("unexpected problems:\n%s", text);
  g_assert_cmpuint (count_problems (problems, CB_PROBLEM_NOTICE), ==, 1);
  g_assert_true (strstr (text, "preset/models/head") != NULL);

  remove_tree (root);
}

static void
test_fixture_metadata (void)
{
  g_autofree char *root = make_fixture ();
  g_autofree char *configs = g_build_filename (root, "configs", NULL);
  g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, NULL);
  CbNode *alpha = cb_config_snapshot_get_architecture_metadata (snapshot, "alpha");
  CbNode *mid = cb_config_snapshot_get_architecture_metadata (snapshot, "mid");
  CbNode *adam = cb_config_snapshot_get_optimizer_metadata (snapshot, "adam");
  CbNode *rmsprop = cb_config_snapshot_get_optimizer_metadata (snapshot, "rmsprop");
  g_autoptr(GVariant) adam_min = NULL;

  /* With a ui_metadata key, the metadata is that mapping. */
  g_assert_nonnull (alpha);
  g_assert_cmpint (cb_node_get_node_type (alpha), ==, CB_NODE_MAPPING);
  g_assert_null (cb_node_lookup (alpha, "ui_metadata"));
  g_assert_cmpstr (meta_string (alpha, "notes"), ==, "Alpha notes.");
  g_assert_cmpstr (meta_string (alpha, "components.decoder"), ==, "alpha_dec");

  /* Without it, the whole file. */
  g_assert_nonnull (mid);
  g_assert_cmpstr (meta_string (mid, "default_backbone"), ==, "bb_mid");
  g_assert_cmpstr (meta_string (mid, "components.encoder"), ==, "mid_enc");

  /* No ui_meta file; a ui_meta file with no architecture; no name. */
  g_assert_null (cb_config_snapshot_get_architecture_metadata (snapshot, "zeta"));
  g_assert_null (cb_config_snapshot_get_architecture_metadata (snapshot, "ghost"));
  g_assert_null (cb_config_snapshot_get_architecture_metadata (snapshot, NULL));

  /* Optimizer metadata, with and without the ui_metadata key. */
  g_assert_nonnull (adam);
  adam_min = cb_node_to_variant (cb_node_lookup_path (adam, "learning_rate.min"));
  g_assert_nonnull (adam_min);
  g_assert_true (g_variant_is_of_type (adam_min, G_VARIANT_TYPE_DOUBLE));
  g_assert_cmpfloat (g_variant_get_double (adam_min), ==, 1.0e-5);
  g_assert_cmpstr (meta_string (adam, "learning_rate.help"), ==, "Adam help.");
  g_assert_nonnull (rmsprop);
  g_assert_cmpstr (meta_string (rmsprop, "learning_rate.default"), ==, "0.002");
  g_assert_null (cb_config_snapshot_get_optimizer_metadata (snapshot, "sgd"));
  g_assert_null (cb_config_snapshot_get_optimizer_metadata (snapshot, NULL));

  remove_tree (root);
}

static void
test_fixture_profiles (void)
{
  g_autofree char *root = make_fixture ();
  g_autofree char *configs = g_build_filename (root, "configs", NULL);
  g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, NULL);
  const CbProfile *none;
  const CbProfile *clean;
  const CbProfile *heavy;

  assert_strv (cb_config_snapshot_get_profile_keys (snapshot), "none", "clean", "heavy_duty", NULL);

  /* The implicit "none" replaces any "none" in the file. */
  none = cb_config_snapshot_get_profile (snapshot, "none");
  g_assert_nonnull (none);
  g_assert_cmpstr (none->key, ==, "none");
  g_assert_cmpstr (none->label, ==, "No preprocessing (dataset defaults)");
  g_assert_cmpstr (none->description, ==,
                   "Use dataset-configured transforms without additional document cleanup.");
  assert_strv ((const char * const *) none->overrides, NULL);

  clean = cb_config_snapshot_get_profile (snapshot, "clean");
  g_assert_nonnull (clean);
  g_assert_cmpstr (clean->label, ==, "Clean scans");
  g_assert_cmpstr (clean->description, ==, "Cleans the page.");
  assert_strv ((const char * const *) clean->overrides,
               "+preset/datasets=clean", "transforms.train_transform=${x.y}", NULL);

  /* Defaults: the key in title case, an empty description. */
  heavy = cb_config_snapshot_get_profile (snapshot, "heavy_duty");
  g_assert_nonnull (heavy);
  g_assert_cmpstr (heavy->label, ==, "Heavy Duty");
  g_assert_cmpstr (heavy->description, ==, "");
  assert_strv ((const char * const *) heavy->overrides, "a=1", NULL);

  g_assert_null (cb_config_snapshot_get_profile (snapshot, "missing"));
  g_assert_null (cb_config_snapshot_get_profile (snapshot, NULL));

  remove_tree (root);
}

static void
assert_use_case_ids (GPtrArray *use_cases,
                     ...)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autofree char *got_text = NULL;
  g_autofree char *expected_text = NULL;
  const char *item;
  va_list args;

  for (guint i = 0; i < use_cases->len; i++)
    g_ptr_array_add (ids, ((CbUseCase *) g_ptr_array_index (use_cases, i))->id);
  g_ptr_array_add (ids, NULL);

  va_start (args, use_cases);
  while ((item = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (expected, (gpointer) item);
  va_end (args);
  g_ptr_array_add (expected, NULL);

  got_text = g_strjoinv (", ", (char **) ids->pdata);
  expected_text = g_strjoinv (", ", (char **) expected->pdata);
  g_assert_cmpstr (got_text, ==, expected_text);
}

static void
test_fixture_use_cases (void)
{
  g_autofree char *root = make_fixture ();
  g_autofree char *configs = g_build_filename (root, "configs", NULL);
  g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, NULL);
  g_autoptr(GPtrArray) alpha = cb_config_snapshot_use_cases_for (snapshot, "alpha");
  g_autoptr(GPtrArray) mid = cb_config_snapshot_use_cases_for (snapshot, "mid");
  g_autoptr(GPtrArray) zeta = cb_config_snapshot_use_cases_for (snapshot, "zeta");
  g_autoptr(GPtrArray) any = cb_config_snapshot_use_cases_for (snapshot, NULL);
  g_autoptr(GPtrArray) unknown = cb_config_snapshot_use_cases_for (snapshot, "nosuch");
  const CbUseCase *first;
  const CbUseCase *second;

  g_assert_cmpuint (cb_config_snapshot_get_n_use_cases (snapshot), ==, 3);

  assert_use_case_ids (alpha, "alpha_first", "alpha", NULL);
  assert_use_case_ids (mid, "mid_only", NULL);
  /* a known architecture without metadata has no use cases */
  assert_use_case_ids (zeta, NULL);
  /* no (known) architecture: the first of each */
  assert_use_case_ids (any, "alpha_first", "mid_only", NULL);
  assert_use_case_ids (unknown, "alpha_first", "mid_only", NULL);

  first = g_ptr_array_index (alpha, 0);
  g_assert_cmpstr (first->title, ==, "Alpha first");
  g_assert_cmpstr (first->description, ==, "The first one.");
  g_assert_cmpstr (first->architecture, ==, "alpha");
  /* only the known keys with a value are kept, in the file's order */
  assert_strv ((const char * const *) first->param_names, "architecture", "encoder", "decoder",
               "learning_rate", "batch_size", "preprocessing_profile", NULL);
  g_assert_cmpuint (first->n_params, ==, 6);
  g_assert_cmpstr (g_variant_get_string (first->param_values[1], NULL), ==, "bb_three");
  g_assert_true (g_variant_is_of_type (first->param_values[3], G_VARIANT_TYPE_DOUBLE));
  g_assert_cmpfloat (g_variant_get_double (first->param_values[3]), ==, 0.01);
  g_assert_true (g_variant_is_of_type (first->param_values[4], G_VARIANT_TYPE_INT64));
  g_assert_cmpint (g_variant_get_int64 (first->param_values[4]), ==, 8);

  /* The defaults of a bare use case. */
  second = g_ptr_array_index (alpha, 1);
  g_assert_cmpstr (second->id, ==, "alpha");
  g_assert_cmpstr (second->title, ==, "Suggested setup");
  g_assert_cmpstr (second->description, ==, "");
  g_assert_cmpstr (second->architecture, ==, "alpha");
  assert_strv ((const char * const *) second->param_names, "encoder", NULL);

  g_assert_true (cb_config_snapshot_get_use_case (snapshot, 0) == first);

  remove_tree (root);
}

static void
test_fixture_broken_file (void)
{
  g_autofree char *root = make_fixture ();
  g_autofree char *configs = g_build_filename (root, "configs", NULL);
  g_autofree char *broken = write_file (configs, "ui_meta/architectures/mid.yaml",
                                        mid_meta_broken);
  g_autofree char *location = g_strconcat (broken, ":2:22: ", NULL);
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GPtrArray) problems2 = cb_problem_list_new ();
  g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, problems);
  g_autoptr(CbConfigSnapshot) again = NULL;
  g_autofree char *text = problems_text (problems);
  g_autofree char *text2 = NULL;
  gboolean found = FALSE;

  /* One error, at the second ':' of line 2. */
  g_assert_cmpuint (count_problems (problems, CB_PROBLEM_ERROR), ==, 1);
  for (guint i = 0; i < problems->len; i++)
    {
      const CbProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *line = cb_problem_to_string (problem);

      if (problem->severity == CB_PROBLEM_ERROR)
        found = g_str_has_prefix (line, location);
    }
  if (!found)
    g_error ("no error at %s in:\n%s", location, text);

  /* The rest loads: mid is still an architecture, alpha's metadata is there. */
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.architectures"),
               "alpha", "mid", "zeta", NULL);
  g_assert_null (cb_config_snapshot_get_architecture_metadata (snapshot, "mid"));
  g_assert_nonnull (cb_config_snapshot_get_architecture_metadata (snapshot, "alpha"));
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.decoders"),
               "shared_dec", "zz_dec", "alpha_dec", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "datasets"), "alpha", "beta", NULL);
  g_assert_cmpuint (cb_config_snapshot_get_n_use_cases (snapshot), ==, 2);

  /* An unchanged broken file is not parsed again, but still reported. */
  again = cb_config_snapshot_reload (configs, snapshot, problems2);
  g_assert_cmpuint (cb_config_snapshot_get_n_files_parsed (again), ==, 0);
  text2 = problems_text (problems2);
  g_assert_cmpstr (text2, ==, text);

  remove_tree (root);
}

static void
test_check_tree (void)
{
  g_autofree char *root = make_fixture ();
  g_autofree char *configs = g_build_filename (root, "configs", NULL);
  g_autofree char *broken = write_file (configs, "preset/models/decoder/zz_dec.yaml",
                                        "x: [1, 2\n");
  g_autofree char *location = g_strconcat (broken, ":", NULL);
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GPtrArray) none = cb_problem_list_new ();
  g_autofree char *demo = demo_configs_dir ();
  g_autofree char *text = NULL;

  /* The snapshot only lists decoder stems; the check parses every YAML file. */
  cb_config_check_tree (configs, problems);
  text = problems_text (problems);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_true (g_str_has_prefix (text, location));

  cb_config_check_tree (demo, none);
  g_assert_cmpuint (none->len, ==, 0);

  remove_tree (root);
}

static void
test_missing_folders (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("cb-test-config-XXXXXX", &error);
  g_autofree char *configs = NULL;
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbConfigSnapshot) snapshot = NULL;
  g_autofree char *text = NULL;
  static const char * const folders[] = {
    "preset/models/encoder", "preset/models/decoder", "preset/models/head",
    "preset/models/loss", "model/optimizers", "data",
  };

  g_assert_no_error (error);
  configs = g_build_filename (root, "configs", NULL);
  g_free (write_file (configs, "model/architectures/solo.yaml", "architectures: solo\n"));

  snapshot = cb_config_snapshot_load (configs, problems);
  text = problems_text (problems);

  assert_strv (cb_config_snapshot_get_options (snapshot, "models.architectures"), "solo", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.encoders"), NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.backbones"), NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.decoders"), NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.heads"), NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.losses"), NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.optimizers"), NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "datasets"), NULL);
  assert_strv (cb_config_snapshot_get_profile_keys (snapshot), "none", NULL);
  g_assert_cmpuint (cb_config_snapshot_get_n_use_cases (snapshot), ==, 0);

  /* A notice for each missing folder, and nothing worse. */
  if (cb_problem_list_has_errors (problems) || count_problems (problems, CB_PROBLEM_WARNING) > 0)
    g_error ("unexpected problems:\n%s", text);
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = g_build_filename (configs, folders[i], NULL);

      if (strstr (text, path) == NULL)
        g_error ("no notice for %s in:\n%s", path, text);
    }
  g_assert_cmpuint (count_problems (problems, CB_PROBLEM_NOTICE), ==, G_N_ELEMENTS (folders));

  remove_tree (root);
}

static void
test_missing_configs_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("cb-test-config-XXXXXX", &error);
  g_autofree char *configs = NULL;
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbConfigSnapshot) snapshot = NULL;
  g_autoptr(GPtrArray) use_cases = NULL;
  g_autoptr(CbConfigSnapshot) empty = cb_config_snapshot_new_empty ();
  const CbProblem *problem;

  g_assert_no_error (error);
  configs = g_build_filename (root, "configs", NULL);

  snapshot = cb_config_snapshot_load (configs, problems);
  g_assert_nonnull (snapshot);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.architectures"), NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.decoders"), NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "datasets"), NULL);
  assert_strv (cb_config_snapshot_get_profile_keys (snapshot), "none", NULL);
  g_assert_nonnull (cb_config_snapshot_get_profile (snapshot, "none"));
  use_cases = cb_config_snapshot_use_cases_for (snapshot, NULL);
  g_assert_cmpuint (use_cases->len, ==, 0);

  /* One warning that names the folder; not an error. */
  g_assert_cmpuint (problems->len, ==, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpint (problem->severity, ==, CB_PROBLEM_WARNING);
  g_assert_cmpstr (problem->file, ==, configs);

  /* The empty snapshot a form starts with. */
  assert_strv (cb_config_snapshot_get_options (empty, "models.architectures"), NULL);
  assert_strv (cb_config_snapshot_get_profile_keys (empty), NULL);
  g_assert_null (cb_config_snapshot_get_dir (empty));

  remove_tree (root);
}

/* Reload ------------------------------------------------------------------------------------- */

static void
test_reload_counter (void)
{
  g_autofree char *root = make_fixture ();
  g_autofree char *configs = g_build_filename (root, "configs", NULL);
  g_autofree char *adam = g_build_filename (configs, "ui_meta/optimizers/adam.yaml", NULL);
  g_autofree char *zeta = g_build_filename (configs, "model/architectures/zeta.yaml", NULL);
  g_autofree char *mid = g_build_filename (configs, "ui_meta/architectures/mid.yaml", NULL);
  g_autofree char *changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbConfigSnapshot) first = NULL;
  g_autoptr(CbConfigSnapshot) same = NULL;
  g_autoptr(CbConfigSnapshot) touched = NULL;
  g_autoptr(CbConfigSnapshot) added = NULL;
  g_autoptr(CbConfigSnapshot) removed = NULL;
  g_autoptr(CbConfigSnapshot) removed_meta = NULL;

  /* Parsed: 3 model/architectures, 2 ui_meta/architectures (alpha, mid), 2 optimizer
   * metadata files and the profiles. */
  first = cb_config_snapshot_load (configs, NULL);
  g_assert_cmpuint (cb_config_snapshot_get_n_files_parsed (first), ==, 8);

  same = cb_config_snapshot_reload (configs, first, NULL);
  g_assert_cmpuint (cb_config_snapshot_get_n_files_parsed (same), ==, 0);
  assert_strv (cb_config_snapshot_get_options (same, "models.decoders"),
               "shared_dec", "zz_dec", "alpha_dec", "mid_dec", NULL);
  g_assert_cmpuint (cb_config_snapshot_get_n_use_cases (same), ==, 3);
  g_assert_nonnull (cb_config_snapshot_get_optimizer_metadata (same, "adam"));

  /* Same size, new content, a new modification time: parsed again, and only that file. */
  changed = g_strdup (adam_meta);
  memcpy (strstr (changed, "0.001"), "0.004", 5);
  g_file_set_contents (adam, changed, -1, &error);
  g_assert_no_error (error);
  set_mtime (adam, FIXTURE_MTIME + 100);
  touched = cb_config_snapshot_reload (configs, same, NULL);
  g_assert_cmpuint (cb_config_snapshot_get_n_files_parsed (touched), ==, 1);
  g_assert_cmpstr (meta_string (cb_config_snapshot_get_optimizer_metadata (touched, "adam"),
                                "learning_rate.default"), ==, "0.004");
  /* The older snapshots are immutable. */
  g_assert_cmpstr (meta_string (cb_config_snapshot_get_optimizer_metadata (same, "adam"),
                                "learning_rate.default"), ==, "0.001");

  /* A new file. */
  g_free (write_file (configs, "ui_meta/optimizers/lion.yaml",
                      "learning_rate: {default: 0.0001}\n"));
  g_assert_null (cb_config_snapshot_get_optimizer_metadata (touched, "lion"));
  added = cb_config_snapshot_reload (configs, touched, NULL);
  g_assert_cmpuint (cb_config_snapshot_get_n_files_parsed (added), ==, 1);
  g_assert_nonnull (cb_config_snapshot_get_optimizer_metadata (added, "lion"));

  /* A removed file: nothing to parse, and it is gone. */
  g_assert_cmpint (g_unlink (zeta), ==, 0);
  removed = cb_config_snapshot_reload (configs, added, NULL);
  g_assert_cmpuint (cb_config_snapshot_get_n_files_parsed (removed), ==, 0);
  assert_strv (cb_config_snapshot_get_options (removed, "models.architectures"),
               "alpha", "mid", NULL);

  g_assert_cmpint (g_unlink (mid), ==, 0);
  removed_meta = cb_config_snapshot_reload (configs, removed, NULL);
  g_assert_cmpuint (cb_config_snapshot_get_n_files_parsed (removed_meta), ==, 0);
  g_assert_null (cb_config_snapshot_get_architecture_metadata (removed_meta, "mid"));
  assert_strv (cb_config_snapshot_get_options (removed_meta, "models.decoders"),
               "shared_dec", "zz_dec", "alpha_dec", NULL);
  g_assert_cmpuint (cb_config_snapshot_get_n_use_cases (removed_meta), ==, 2);

  remove_tree (root);
}

/* The demo project --------------------------------------------------------------------------- */

static void
test_demo_sources (void)
{
  g_autofree char *configs = demo_configs_dir ();
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, problems);
  g_autofree char *text = problems_text (problems);

  if (problems->len > 0)
    g_error ("the demo configs have problems:\n%s", text);

  /* Reference 1.4 and 3.2, with the metadata standing in for the model registry. */
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.architectures"),
               "craft", "dbnet", "dbnetpp", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.encoders"),
               "craft_vgg", "timm_backbone", "dbnetpp_backbone", NULL);
  /* The original's seven, in its order (craft lists them all), then resnet101, which only
   * dbnetpp's compatible list names. */
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.backbones"),
               "resnet18", "resnet34", "resnet50", "mobilenetv3_small_050", "efficientnet_b0",
               "vgg16_bn", "vgg19_bn", "resnet101", NULL);
  /* The reference's registry order (3.2): each architecture's own decoder, then the shared
   * ones that only the compatible lists name. */
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.decoders"),
               "craft_decoder", "dbpp_decoder", "fpn", "pan", "unet", "dbnetpp_decoder",
               "fpn_decoder", "pan_decoder", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.heads"),
               "craft_head", "db_head", "dbpp_head", "dbnetpp_head", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.losses"),
               "craft_loss", "db_loss", "dbnetpp_loss", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "models.optimizers"),
               "adam", "adamw", NULL);
  assert_strv (cb_config_snapshot_get_options (snapshot, "datasets"),
               "base", "canonical", "craft", "default", "preprocessing", NULL);
  assert_strv (cb_config_snapshot_get_profile_keys (snapshot),
               "none", "lens_style", "lens_style_office", "camscanner", "doctr_demo", NULL);
}

static void
test_demo_metadata (void)
{
  g_autofree char *configs = demo_configs_dir ();
  g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, NULL);
  CbNode *dbnet = cb_config_snapshot_get_architecture_metadata (snapshot, "dbnet");
  CbNode *craft = cb_config_snapshot_get_architecture_metadata (snapshot, "craft");
  CbNode *dbnetpp = cb_config_snapshot_get_architecture_metadata (snapshot, "dbnetpp");
  CbNode *adamw = cb_config_snapshot_get_optimizer_metadata (snapshot, "adamw");
  const CbProfile *lens;
  const CbProfile *office;
  g_auto(GStrv) compatible = NULL;

  /* dbnet has a ui_metadata key, craft has none. */
  g_assert_nonnull (dbnet);
  g_assert_nonnull (craft);
  g_assert_nonnull (dbnetpp);
  g_assert_cmpstr (meta_string (dbnet, "default_backbone"), ==, "resnet18");
  g_assert_cmpstr (meta_string (dbnet, "components.head"), ==, "db_head");
  g_assert_cmpstr (meta_string (craft, "default_learning_rate"), ==, "0.0005");
  g_assert_cmpstr (meta_string (craft, "recommended_data"), ==, "craft");
  g_assert_cmpstr (meta_string (dbnetpp, "default_optimizer"), ==, "adamw");
  compatible = cb_node_to_strv (cb_node_lookup (dbnet, "compatible_decoders"));
  assert_strv ((const char * const *) compatible, "unet", "fpn_decoder", "pan_decoder", NULL);

  g_assert_cmpstr (meta_string (adamw, "learning_rate.min"), ==, "5.0e-6");
  g_assert_cmpstr (meta_string (adamw, "learning_rate.max"), ==, "5.0e-3");
  g_assert_cmpstr (meta_string (adamw, "learning_rate.default"), ==, "0.0003");

  /* Reference 4.6. */
  lens = cb_config_snapshot_get_profile (snapshot, "lens_style");
  g_assert_nonnull (lens);
  g_assert_cmpstr (lens->label, ==, "Lens-style receipts (balanced)");
  assert_strv ((const char * const *) lens->overrides,
               "+preset/datasets=preprocessing",
               "transforms.train_transform=${enhanced_transforms.train_transform}",
               "transforms.val_transform=${enhanced_transforms.val_transform}",
               "transforms.test_transform=${enhanced_transforms.test_transform}",
               "transforms.predict_transform=${enhanced_transforms.predict_transform}", NULL);
  office = cb_config_snapshot_get_profile (snapshot, "lens_style_office");
  g_assert_nonnull (office);
  g_assert_cmpuint (g_strv_length (office->overrides), ==, 7);
  g_assert_cmpstr (office->overrides[1], ==, "preprocessing.enhancement_method=office_lens");
  g_assert_cmpstr (office->overrides[2], ==, "preprocessing.enable_text_enhancement=true");
  g_assert_cmpstr (cb_config_snapshot_get_profile (snapshot, "doctr_demo")->overrides[0], ==,
                   "+preset/datasets=preprocessing_docTR_demo");
}

static void
test_demo_use_cases (void)
{
  g_autofree char *configs = demo_configs_dir ();
  g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, NULL);
  g_autoptr(GPtrArray) dbnet = cb_config_snapshot_use_cases_for (snapshot, "dbnet");
  g_autoptr(GPtrArray) craft = cb_config_snapshot_use_cases_for (snapshot, "craft");
  g_autoptr(GPtrArray) dbnetpp = cb_config_snapshot_use_cases_for (snapshot, "dbnetpp");
  g_autoptr(GPtrArray) first = cb_config_snapshot_use_cases_for (snapshot, NULL);
  const CbUseCase *balanced;

  /* Reference 4.7. */
  g_assert_cmpuint (cb_config_snapshot_get_n_use_cases (snapshot), ==, 7);
  assert_use_case_ids (dbnet, "receipts_balanced", "receipts_fast", "receipts_high_recall", NULL);
  assert_use_case_ids (craft, "documents_high_resolution", "documents_speed", NULL);
  assert_use_case_ids (dbnetpp, "invoices_high_precision", "invoices_balanced", NULL);
  assert_use_case_ids (first, "documents_high_resolution", "receipts_balanced",
                       "invoices_high_precision", NULL);

  balanced = g_ptr_array_index (dbnet, 0);
  g_assert_cmpstr (balanced->title, ==, "Receipts \302\267 Balanced accuracy");
  g_assert_cmpstr (balanced->architecture, ==, "dbnet");
  assert_strv ((const char * const *) balanced->param_names, "architecture", "encoder", "decoder",
               "head", "loss", "optimizer", "learning_rate", "batch_size",
               "preprocessing_profile", NULL);
  /* The YAML anchors (*db_head) resolve to their values. */
  g_assert_cmpstr (g_variant_get_string (balanced->param_values[3], NULL), ==, "db_head");
  g_assert_cmpstr (g_variant_get_string (balanced->param_values[8], NULL), ==, "lens_style");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/fixture/sources", test_fixture_sources);
  g_test_add_func ("/config/fixture/metadata", test_fixture_metadata);
  g_test_add_func ("/config/fixture/profiles", test_fixture_profiles);
  g_test_add_func ("/config/fixture/use-cases", test_fixture_use_cases);
  g_test_add_func ("/config/fixture/broken-file", test_fixture_broken_file);
  g_test_add_func ("/config/fixture/check-tree", test_check_tree);
  g_test_add_func ("/config/fixture/missing-folders", test_missing_folders);
  g_test_add_func ("/config/fixture/missing-configs-dir", test_missing_configs_dir);
  g_test_add_func ("/config/fixture/reload", test_reload_counter);
  g_test_add_func ("/config/demo/sources", test_demo_sources);
  g_test_add_func ("/config/demo/metadata", test_demo_metadata);
  g_test_add_func ("/config/demo/use-cases", test_demo_use_cases);

  return g_test_run ();
}
