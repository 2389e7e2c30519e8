/* test-form.c: tests for CbForm, the state of one page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The forms are built from the bundled schemas (data/schemas) and the demo project's configs.
 * Expected commands, option lists, defaults and messages are the reference's
 * (shared/reference/original-command-builder.md: 1.4, 2.5-2.7, 4.1, 4.6-4.8) except where
 * cb-form.c documents a deliberate difference, which the tests then name. Values written with
 * Hydra quoting follow shared/reference/hydra-quoting.md. */

#define G_LOG_DOMAIN "test-form"

#include "config.h"

#include "cb/cb-config.h"
#include "cb/cb-form.h"
#include "cb/cb-project.h"
#include "cb/cb-schema.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#define CKPT_LAST  "outputs/run_b/checkpoints/last.ckpt"
#define CKPT_EPOCH "outputs/run_a/checkpoints/epoch=3.ckpt"

/* The default Train overrides of the reference (4.1), in order. */
static const char * const train_defaults[] = {
  "exp_name=ocr_training-dbnet-unet-resnet18",
  "logger.wandb.enabled=false",
  "model/architectures=dbnet",
  "model.encoder.model_name=resnet18",
  "model.component_overrides.decoder.name=unet",
  "model.component_overrides.head.name=db_head",
  "model.component_overrides.loss.name=db_loss",
  "model/optimizers=adam",
  "model.optimizer.lr=0.001",
  "model.optimizer.weight_decay=0.0001",
  "dataloaders.train_dataloader.batch_size=4",
  "dataloaders.val_dataloader.batch_size=4",
  "trainer.max_epochs=10",
  "trainer.accumulate_grad_batches=1",
  "trainer.gradient_clip_val=5.0",
  "trainer.precision=32",
  "seed=42",
  "data=default",
  NULL
};

static const char * const lens_style_overrides[] = {
  "+preset/datasets=preprocessing",
  "transforms.train_transform=${enhanced_transforms.train_transform}",
  "transforms.val_transform=${enhanced_transforms.val_transform}",
  "transforms.test_transform=${enhanced_transforms.test_transform}",
  "transforms.predict_transform=${enhanced_transforms.predict_transform}",
  NULL
};

/* Fixtures ----------------------------------------------------------------------------------- */

static char *
demo_root (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo-project", NULL);
}

static CbSchema *
load_schema (const char *page)
{
  g_autofree char *name = g_strdup_printf ("%s.yaml", page);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "schemas", name, NULL);
  g_autoptr(GError) error = NULL;
  CbSchema *schema = cb_schema_load_file (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (schema);
  return schema;
}

static CbConfigSnapshot *
load_demo_snapshot (void)
{
  g_autofree char *root = demo_root ();
  g_autofree char *configs = g_build_filename (root, "configs", NULL);

  return cb_config_snapshot_load (configs, NULL);
}

/* A form of @page on the demo configs, in the demo project (or none). */
static CbForm *
make_form_in (const char *page,
              CbProject  *project)
{
  g_autoptr(CbSchema) schema = load_schema (page);
  g_autoptr(CbConfigSnapshot) snapshot = load_demo_snapshot ();
  CbForm *form = cb_form_new (schema, page);

  cb_form_set_snapshot (form, snapshot);
  cb_form_set_project (form, project);
  return form;
}

static CbForm *
make_form (const char *page)
{
  g_autofree char *root = demo_root ();
  g_autoptr(CbProject) project = cb_project_load (root, NULL);

  return make_form_in (page, project);
}

static const CbFieldState *
state_of (CbForm     *form,
          const char *key)
{
  int index = cb_schema_find_field (cb_form_get_schema (form), key);

  if (index < 0)
    g_error ("no field %s", key);
  return cb_form_get_field_state (form, (guint) index);
}

static const CbField *
field_of (CbForm     *form,
          const char *key)
{
  CbSchema *schema = cb_form_get_schema (form);
  int index = cb_schema_find_field (schema, key);

  g_assert_cmpint (index, >=, 0);
  return cb_schema_get_field (schema, (guint) index);
}

static void
set (CbForm     *form,
     const char *key,
     const char *text)
{
  g_autoptr(GError) error = NULL;

  cb_form_set_value_from_string (form, key, text, &error);
  g_assert_no_error (error);
}

static void
set_bool (CbForm     *form,
          const char *key,
          gboolean    value)
{
  g_assert_true (cb_form_set_value (form, key, g_variant_new_boolean (value)));
}

static const char *
string_value (CbForm     *form,
              const char *key)
{
  GVariant *value = cb_form_get_value (form, key);

  if (value == NULL)
    return NULL;
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  return g_variant_get_string (value, NULL);
}

static double
double_value (CbForm     *form,
              const char *key)
{
  GVariant *value = cb_form_get_value (form, key);

  g_assert_nonnull (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return (double) g_variant_get_int64 (value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE));
  return g_variant_get_double (value);
}

static char *
join_list (const char * const *list)
{
  return g_strjoinv ("\n", (char **) list);
}

static GPtrArray *
collect_args (const char *first,
              va_list     args)
{
  GPtrArray *array = g_ptr_array_new ();

  for (const char *item = first; item != NULL; item = va_arg (args, const char *))
    g_ptr_array_add (array, (gpointer) item);
  g_ptr_array_add (array, NULL);

  return array;
}

static void
assert_list (const char * const *got,
             const char * const *expected)
{
  g_autofree char *got_text = join_list (got);
  g_autofree char *expected_text = join_list (expected);

  g_assert_cmpstr (got_text, ==, expected_text);
}

static void
assert_options (CbForm     *form,
                const char *key,
                const char *first,
                ...)
{
  const CbFieldState *state = state_of (form, key);
  g_autoptr(GPtrArray) expected = NULL;
  va_list args;

  va_start (args, first);
  expected = collect_args (first, args);
  va_end (args);

  assert_list (state->options, (const char * const *) expected->pdata);
  g_assert_cmpuint (state->n_options, ==, expected->len - 1);
}

static void
assert_overrides (CbForm             *form,
                  const char * const *expected)
{
  assert_list (cb_command_get_overrides (cb_form_get_command (form)), expected);
}

/* @base with @replace[i] put in for any override with the same key, then @append. */
static char **
edit_list (const char * const *base,
           const char * const *drop,
           const char * const *append)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; base[i] != NULL; i++)
    if (drop == NULL || !g_strv_contains (drop, base[i]))
      g_ptr_array_add (out, g_strdup (base[i]));
  for (guint i = 0; append != NULL && append[i] != NULL; i++)
    g_ptr_array_add (out, g_strdup (append[i]));
  g_ptr_array_add (out, NULL);

  return (char **) g_ptr_array_free (out, FALSE);
}

static void
count_cb (CbForm *form,
          guint  *count)
{
  (*count)++;
}

static const char * const *
errors_of (CbForm *form)
{
  return cb_form_get_errors (form);
}

/* Default commands ----------------------------------------------------------------------------- */

static void
test_default_train (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  const char * const *argv = cb_command_get_argv (cb_form_get_command (form));

  assert_overrides (form, train_defaults);
  g_assert_true (cb_form_is_valid (form));
  g_assert_cmpuint (g_strv_length ((char **) cb_form_get_errors (form)), ==, 0);

  /* The demo project's settings file runs the runners with python3. */
  g_assert_cmpstr (argv[0], ==, "python3");
  g_assert_cmpstr (argv[1], ==, "runners/train.py");
  g_assert_cmpstr (argv[2], ==, train_defaults[0]);
}

static void
test_default_launcher (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("cb-test-form-XXXXXX", &error);
  g_autoptr(CbProject) project = NULL;
  g_autoptr(CbForm) form = NULL;
  g_autoptr(CbForm) bare = NULL;
  const char * const *argv;

  g_assert_no_error (error);
  project = cb_project_load (root, NULL);
  g_assert_null (project->settings_path);
  form = make_form_in ("train", project);

  argv = cb_command_get_argv (cb_form_get_command (form));
  g_assert_cmpstr (argv[0], ==, "uv");
  g_assert_cmpstr (argv[1], ==, "run");
  g_assert_cmpstr (argv[2], ==, "python");
  g_assert_cmpstr (argv[3], ==, "runners/train.py");
  assert_list (argv + 4, train_defaults);

  /* With no project at all: the same. */
  bare = make_form_in ("test", NULL);
  argv = cb_command_get_argv (cb_form_get_command (bare));
  g_assert_cmpstr (argv[0], ==, "uv");
  g_assert_cmpstr (argv[3], ==, "runners/test.py");

  g_assert_cmpint (g_rmdir (root), ==, 0);
}

static void
test_default_test_predict (void)
{
  static const char * const test_expected[] = {
    "exp_name=ocr_testing",
    "checkpoint_path=" CKPT_LAST,
    "model/architectures=dbnet",
    "model.encoder.model_name=resnet18",
    "model.component_overrides.decoder.name=unet",
    "model.component_overrides.head.name=db_head",
    "model.component_overrides.loss.name=db_loss",
    NULL
  };
  static const char * const predict_expected[] = {
    "exp_name=ocr_prediction",
    "checkpoint_path=" CKPT_LAST,
    "model/architectures=dbnet",
    "model.encoder.model_name=resnet18",
    "model.component_overrides.decoder.name=unet",
    "model.component_overrides.head.name=db_head",
    "model.component_overrides.loss.name=db_loss",
    "minified_json=false",
    "include_confidence=false",
    NULL
  };
  static const char * const ckpts[] = { CKPT_LAST, CKPT_EPOCH, NULL };
  g_autoptr(CbForm) test = make_form ("test");
  g_autoptr(CbForm) predict = make_form ("predict");

  /* No checkpoints: the required checkpoint is missing and emits nothing. */
  g_assert_false (cb_form_is_valid (test));
  g_assert_cmpstr (errors_of (test)[0], ==, "'Checkpoint Path' is required.");
  g_assert_null (errors_of (test)[1]);
  g_assert_cmpstr (state_of (test, "checkpoint_path")->error, ==, "'Checkpoint Path' is required.");
  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (test))[1], ==,
                   "model/architectures=dbnet");

  /* A checkpoint is never chosen for the user, not even the newest one offered. */
  cb_form_set_checkpoints (test, ckpts);
  cb_form_set_checkpoints (predict, ckpts);
  g_assert_null (state_of (test, "checkpoint_path")->value);
  g_assert_false (cb_form_is_valid (test));
  g_assert_cmpstr (errors_of (test)[0], ==, "'Checkpoint Path' is required.");
  set (test, "checkpoint_path", CKPT_LAST);
  set (predict, "checkpoint_path", CKPT_LAST);
  assert_overrides (test, test_expected);
  assert_overrides (predict, predict_expected);
  g_assert_true (cb_form_is_valid (test));
  g_assert_true (cb_form_is_valid (predict));
  g_assert_cmpstr (cb_command_get_argv (cb_form_get_command (test))[1], ==, "runners/test.py");
  g_assert_cmpstr (cb_command_get_argv (cb_form_get_command (predict))[1], ==,
                   "runners/predict.py");

  /* A checkpoint name with '=' is Hydra-quoted (an option value: only where needed). */
  set (test, "checkpoint_path", CKPT_EPOCH);
  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (test))[1], ==,
                   "checkpoint_path=\"" CKPT_EPOCH "\"");

  set_bool (predict, "minified_json", TRUE);
  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (predict))[7], ==,
                   "minified_json=true");
}

/* Visibility and resume ------------------------------------------------------------------------ */

static void
test_resume_visibility (void)
{
  static const char * const components[] = {
    "architecture", "architecture_components", "encoder", "decoder", "head", "loss",
    "optimizer", "dataset", "preprocessing_profile", NULL
  };
  static const char * const always[] = {
    "exp_name", "wandb", "resume_training", "learning_rate", "weight_decay", "batch_size",
    "max_epochs", "accumulate_grad_batches", "gradient_clip_val", "precision", "seed", NULL
  };
  static const char * const ckpts[] = { CKPT_LAST, CKPT_EPOCH, NULL };
  g_autoptr(CbForm) form = make_form ("train");
  CbCommand *command;

  for (guint i = 0; components[i] != NULL; i++)
    g_assert_true (state_of (form, components[i])->visible);
  g_assert_false (state_of (form, "checkpoint_path")->visible);
  g_assert_null (state_of (form, "checkpoint_path")->value);

  /* Resuming keeps the model fields: without them Hydra builds the default model and
   * loading the checkpoint fails. */
  set_bool (form, "resume_training", TRUE);
  for (guint i = 0; components[i] != NULL; i++)
    g_assert_true (state_of (form, components[i])->visible);
  for (guint i = 0; always[i] != NULL; i++)
    g_assert_true (state_of (form, always[i])->visible);
  g_assert_true (state_of (form, "checkpoint_path")->visible);

  /* No checkpoint is chosen for the user, even when some are offered: required_if. */
  cb_form_set_checkpoints (form, ckpts);
  g_assert_null (state_of (form, "checkpoint_path")->value);
  g_assert_false (cb_form_is_valid (form));
  g_assert_cmpstr (errors_of (form)[0], ==, "'Checkpoint Path' is required.");
  g_assert_null (errors_of (form)[1]);

  set (form, "checkpoint_path", CKPT_EPOCH);
  g_assert_true (cb_form_is_valid (form));
  command = cb_form_get_command (form);
  /* No name suffix when resuming; the checkpoint, then the model it needs. */
  g_assert_cmpstr (cb_command_get_overrides (command)[0], ==, "exp_name=ocr_training");
  g_assert_cmpstr (cb_command_get_overrides (command)[2], ==, "resume=\"" CKPT_EPOCH "\"");
  g_assert_cmpstr (cb_command_get_overrides (command)[3], ==, "model/architectures=dbnet");
  g_assert_true (g_strv_contains (cb_command_get_overrides (command),
                                  "model.encoder.model_name=resnet18"));

  /* Back to training from scratch. */
  set_bool (form, "resume_training", FALSE);
  assert_overrides (form, train_defaults);
}

/* Architectures (reference 1.4) ---------------------------------------------------------------- */

static void
test_architecture_dbnet (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  const CbFieldState *lr;

  assert_options (form, "architecture", "craft", "dbnet", "dbnetpp", NULL);
  g_assert_cmpstr (string_value (form, "architecture"), ==, "dbnet");
  assert_options (form, "encoder", "resnet18", "resnet34", "resnet50", "mobilenetv3_small_050",
                  "efficientnet_b0", NULL);
  g_assert_cmpstr (string_value (form, "encoder"), ==, "resnet18");
  assert_options (form, "decoder", "unet", "fpn_decoder", "pan_decoder", NULL);
  g_assert_cmpstr (string_value (form, "decoder"), ==, "unet");
  assert_options (form, "head", "db_head", "dbpp_head", NULL);
  g_assert_cmpstr (string_value (form, "head"), ==, "db_head");
  assert_options (form, "loss", "db_loss", NULL);
  assert_options (form, "optimizer", "adam", "adamw", NULL);
  g_assert_cmpstr (string_value (form, "optimizer"), ==, "adam");
  assert_options (form, "dataset", "base", "canonical", "craft", "default", "preprocessing", NULL);
  g_assert_cmpstr (string_value (form, "dataset"), ==, "default");

  lr = state_of (form, "learning_rate");
  g_assert_true (lr->has_min && lr->has_max);
  g_assert_cmpfloat (lr->min, ==, 1e-5);
  g_assert_cmpfloat (lr->max, ==, 1e-2);
  g_assert_cmpfloat (lr->step, ==, 1e-5);
  g_assert_cmpfloat (double_value (form, "learning_rate"), ==, 0.001);
}

static void
test_architecture_craft (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  const CbFieldState *lr;

  set (form, "architecture", "craft");
  assert_options (form, "encoder", "resnet18", "resnet34", "resnet50", "mobilenetv3_small_050",
                  "efficientnet_b0", "vgg16_bn", "vgg19_bn", NULL);
  g_assert_cmpstr (string_value (form, "encoder"), ==, "resnet18");
  assert_options (form, "decoder", "craft_decoder", NULL);
  g_assert_cmpstr (string_value (form, "decoder"), ==, "craft_decoder");
  assert_options (form, "head", "craft_head", NULL);
  g_assert_cmpstr (string_value (form, "head"), ==, "craft_head");
  assert_options (form, "loss", "craft_loss", NULL);
  g_assert_cmpstr (string_value (form, "loss"), ==, "craft_loss");
  assert_options (form, "optimizer", "adam", NULL);
  g_assert_cmpstr (string_value (form, "optimizer"), ==, "adam");
  g_assert_cmpstr (string_value (form, "dataset"), ==, "craft");

  /* Deliberate difference: the architecture's default_learning_rate (0.0005) wins over
   * adam's 0.001, which the original let win. The range is still adam's. */
  lr = state_of (form, "learning_rate");
  g_assert_cmpfloat (lr->min, ==, 1e-5);
  g_assert_cmpfloat (lr->max, ==, 1e-2);
  g_assert_cmpfloat (double_value (form, "learning_rate"), ==, 0.0005);

  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (form))[0], ==,
                   "exp_name=ocr_training-craft-craft_decoder-resnet18");
  g_assert_true (cb_form_is_valid (form));
}

static void
test_architecture_dbnetpp (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  const CbFieldState *lr;

  set (form, "architecture", "dbnetpp");
  /* The reference's table has resnet50 only: its backbone list was hard-coded. Here the
   * backbones come from the metadata, so resnet101, which dbnetpp's compatible list names,
   * is offered too. */
  assert_options (form, "encoder", "resnet50", "resnet101", NULL);
  g_assert_cmpstr (string_value (form, "encoder"), ==, "resnet50");
  /* In the order of the source list (decoder stems, then metadata names as first seen). */
  /* the reference's order (1.4): the architecture's own decoder, then the shared ones */
  assert_options (form, "decoder", "dbnetpp_decoder", "fpn_decoder", "pan_decoder", NULL);
  g_assert_cmpstr (string_value (form, "decoder"), ==, "dbnetpp_decoder");
  assert_options (form, "head", "db_head", "dbnetpp_head", NULL);
  g_assert_cmpstr (string_value (form, "head"), ==, "dbnetpp_head");
  assert_options (form, "loss", "db_loss", "dbnetpp_loss", NULL);
  g_assert_cmpstr (string_value (form, "loss"), ==, "dbnetpp_loss");
  assert_options (form, "optimizer", "adam", "adamw", NULL);
  g_assert_cmpstr (string_value (form, "optimizer"), ==, "adamw");
  g_assert_cmpstr (string_value (form, "dataset"), ==, "default");

  /* adamw's range and step; the architecture's 0.0005 over adamw's 0.0003. */
  lr = state_of (form, "learning_rate");
  g_assert_cmpfloat (lr->min, ==, 5e-6);
  g_assert_cmpfloat (lr->max, ==, 5e-3);
  g_assert_cmpfloat (lr->step, ==, 5e-6);
  g_assert_cmpfloat (double_value (form, "learning_rate"), ==, 0.0005);
  g_assert_true (cb_form_is_valid (form));
}

static void
test_optimizer_switch (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  const CbFieldState *lr;

  /* dbnet with adamw: adamw's range, dbnet's own default rate. */
  set (form, "optimizer", "adamw");
  lr = state_of (form, "learning_rate");
  g_assert_cmpfloat (lr->min, ==, 5e-6);
  g_assert_cmpfloat (lr->max, ==, 5e-3);
  g_assert_cmpfloat (lr->step, ==, 5e-6);
  g_assert_cmpfloat (double_value (form, "learning_rate"), ==, 0.001);
  g_assert_cmpstr (lr->help, ==,
                   "AdamW prefers somewhat smaller rates: start near 3e-4 and stay within one "
                   "order of magnitude.");

  /* A rate the user chose is never replaced: outside adamw's range it stays, with a
   * warning that names the limit, and the command carries it exactly. */
  set (form, "optimizer", "adam");
  set (form, "learning_rate", "0.008");
  g_assert_cmpfloat (double_value (form, "learning_rate"), ==, 0.008);
  g_assert_null (state_of (form, "learning_rate")->warning);
  set (form, "optimizer", "adamw");
  lr = state_of (form, "learning_rate");
  g_assert_cmpfloat (double_value (form, "learning_rate"), ==, 0.008);
  g_assert_cmpstr (lr->warning, ==,
                   "Above 0.005, the highest value suggested for optimizer “adamw”.");
  g_assert_null (lr->error);
  g_assert_true (cb_form_is_valid (form));
  g_assert_true (g_strv_contains (cb_command_get_overrides (cb_form_get_command (form)),
                                  "model.optimizer.lr=0.008"));
}

/* Reconciliation (reference 2.6) ------------------------------------------------------------ */

static void
test_reconciliation (void)
{
  g_autoptr(CbForm) form = make_form ("train");

  /* Incompatible with the new architecture: back to the new default, and the old choice
   * is gone for good. */
  set (form, "encoder", "resnet34");
  g_assert_true (state_of (form, "encoder")->user_set);
  set (form, "architecture", "dbnetpp");
  g_assert_cmpstr (string_value (form, "encoder"), ==, "resnet50");
  g_assert_false (state_of (form, "encoder")->user_set);
  set (form, "architecture", "dbnet");
  g_assert_cmpstr (string_value (form, "encoder"), ==, "resnet18");

  /* Still compatible: kept, not re-defaulted. */
  set (form, "decoder", "fpn_decoder");
  set (form, "head", "db_head");
  set (form, "architecture", "dbnetpp");
  g_assert_cmpstr (string_value (form, "decoder"), ==, "fpn_decoder");
  g_assert_true (state_of (form, "decoder")->user_set);
  g_assert_cmpstr (string_value (form, "head"), ==, "db_head");
  /* ... while the untouched fields follow the architecture. */
  g_assert_cmpstr (string_value (form, "loss"), ==, "dbnetpp_loss");
  g_assert_cmpstr (string_value (form, "optimizer"), ==, "adamw");
  g_assert_true (cb_form_is_valid (form));
}

static void
test_hidden_keeps_choice (void)
{
  g_autoptr(CbForm) form = make_form ("train");

  /* Resuming hides nothing of the model: the choices stay, and are emitted. */
  set (form, "architecture", "dbnetpp");
  set (form, "decoder", "pan_decoder");
  set (form, "preprocessing_profile", "camscanner");
  set_bool (form, "resume_training", TRUE);
  g_assert_cmpstr (string_value (form, "architecture"), ==, "dbnetpp");
  g_assert_cmpstr (string_value (form, "decoder"), ==, "pan_decoder");

  set_bool (form, "resume_training", FALSE);
  g_assert_cmpstr (string_value (form, "architecture"), ==, "dbnetpp");
  g_assert_cmpstr (string_value (form, "decoder"), ==, "pan_decoder");
  g_assert_cmpstr (string_value (form, "preprocessing_profile"), ==, "camscanner");
}

/* A field hidden while the architecture stays visible: its filtered list may lose the
 * choice, which must survive anyway (it is checked again once the field shows). */
static const char hidden_schema[] =
  "title: Hidden\n"
  "ui_elements:\n"
  "  - key: simple\n"
  "    type: checkbox\n"
  "    default: false\n"
  "  - key: architecture\n"
  "    type: selectbox\n"
  "    default: dbnet\n"
  "    options_source: models.architectures\n"
  "    hydra_override: model/architectures\n"
  "  - key: decoder\n"
  "    type: selectbox\n"
  "    default: unet\n"
  "    options_source: models.decoders\n"
  "    hydra_override: decoder\n"
  "    visible_if: \"simple == false\"\n"
  "    filter_by_architecture_key: compatible_decoders\n"
  "    metadata_default_key: default_decoder\n";

static void
test_hidden_filtered_keeps_choice (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = cb_schema_load_data (hidden_schema, strlen (hidden_schema),
                                                    "hidden.yaml", NULL, &error);
  g_autoptr(CbConfigSnapshot) snapshot = load_demo_snapshot ();
  g_autoptr(CbForm) form = NULL;

  g_assert_no_error (error);
  form = cb_form_new (schema, "hidden");
  cb_form_set_snapshot (form, snapshot);

  set (form, "decoder", "fpn_decoder");
  set_bool (form, "simple", TRUE);
  set (form, "architecture", "craft");
  g_assert_null (cb_form_get_value (form, "decoder"));
  set (form, "architecture", "dbnet");
  set_bool (form, "simple", FALSE);
  g_assert_cmpstr (string_value (form, "decoder"), ==, "fpn_decoder");

  /* Shown under an architecture that does not offer it: reconciled as usual. */
  set_bool (form, "simple", TRUE);
  set (form, "architecture", "craft");
  set_bool (form, "simple", FALSE);
  g_assert_cmpstr (string_value (form, "decoder"), ==, "craft_decoder");
}

/* Help and info ------------------------------------------------------------------------------- */

static void
test_help (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  static const char dbnet_notes[] =
    "DBNet is the all-round choice for receipts: a light backbone trains fast, and the FPN or "
    "PAN decoders help with small, dense text.";
  g_autofree char *arch_help = g_strconcat ("OCR architecture preset (DBNet, CRAFT, DBNet++).\n",
                                            dbnet_notes, NULL);

  g_assert_cmpstr (state_of (form, "architecture")->help, ==, arch_help);
  g_assert_cmpstr (state_of (form, "encoder")->help, ==,
                   "Backbone encoder architecture.\n"
                   "resnet18, resnet34, resnet50, mobilenetv3_small_050, efficientnet_b0");
  g_assert_cmpstr (state_of (form, "decoder")->help, ==,
                   "Decoder that turns feature maps into probability maps.\n"
                   "unet, fpn_decoder, pan_decoder");
  g_assert_cmpstr (state_of (form, "optimizer")->help, ==,
                   "Optimizer preset loaded into the model configuration.\nadam, adamw");
  /* No base help: the optimizer's advice alone. */
  g_assert_cmpstr (state_of (form, "learning_rate")->help, ==,
                   "For DBNet-style detectors Adam tends to train stably anywhere from 1e-4 to "
                   "3e-3.");
  g_assert_null (state_of (form, "weight_decay")->help);

  set (form, "architecture", "craft");
  g_assert_cmpstr (state_of (form, "decoder")->help, ==,
                   "Decoder that turns feature maps into probability maps.\ncraft_decoder");
  g_assert_cmpstr (state_of (form, "optimizer")->help, ==,
                   "Optimizer preset loaded into the model configuration.\nadam");
  /* Deliberately unlike the original (reference 2.5, where it always showed the fallback's
   * notes): the architecture's help follows the architecture chosen. */
  g_assert_cmpstr (state_of (form, "architecture")->help, ==,
                   "OCR architecture preset (DBNet, CRAFT, DBNet++).\n"
                   "CRAFT scores characters and the links between them, which suits long lines "
                   "on clean, high-resolution scans.");
}

static void
test_info_summary (void)
{
  g_autoptr(CbForm) form = make_form ("train");

  g_assert_cmpstr (state_of (form, "architecture_components")->info_text, ==,
                   "Encoder: timm_backbone\nDecoder: unet\nHead: db_head\nLoss: db_loss");
  set (form, "architecture", "craft");
  g_assert_cmpstr (state_of (form, "architecture_components")->info_text, ==,
                   "Encoder: craft_vgg\nDecoder: craft_decoder\nHead: craft_head\n"
                   "Loss: craft_loss");
  set (form, "architecture", "dbnetpp");
  g_assert_cmpstr (state_of (form, "architecture_components")->info_text, ==,
                   "Encoder: dbnetpp_backbone\nDecoder: dbnetpp_decoder\nHead: dbnetpp_head\n"
                   "Loss: dbnetpp_loss");
}

/* Validation (reference 4.8) ---------------------------------------------------------------- */

static void
test_validation_messages (void)
{
  g_autoptr(CbForm) form = make_form ("train");

  set (form, "exp_name", "");
  g_assert_false (cb_form_is_valid (form));
  g_assert_cmpstr (errors_of (form)[0], ==, "'Experiment Name' is required.");
  g_assert_null (errors_of (form)[1]);
  g_assert_cmpstr (state_of (form, "exp_name")->error, ==, "'Experiment Name' is required.");

  set (form, "exp_name", "ab");
  g_assert_cmpstr (errors_of (form)[0], ==,
                   "'Experiment Name' must be at least 3 characters long.");
  g_assert_null (errors_of (form)[1]);

  /* Characters, not bytes. */
  set (form, "exp_name", "\xed\x95\x9c\xea\xb5\xad");
  g_assert_cmpstr (errors_of (form)[0], ==,
                   "'Experiment Name' must be at least 3 characters long.");
  set (form, "exp_name", "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4");
  g_assert_true (cb_form_is_valid (form));
  g_assert_null (state_of (form, "exp_name")->error);

  /* A number below the field's minimum. */
  set (form, "seed", "-1");
  g_assert_cmpstr (errors_of (form)[0], ==, "'Random Seed' must be >= 0.");
  g_assert_cmpstr (state_of (form, "seed")->error, ==, "'Random Seed' must be >= 0.");
  set (form, "seed", "0");
  g_assert_true (cb_form_is_valid (form));
}

static const char bounds_schema[] =
  "title: Bounds\n"
  "ui_elements:\n"
  "  - key: count\n"
  "    type: number_input\n"
  "    label: Count\n"
  "    default: 5\n"
  "    hydra_override: count\n"
  "    validation: {min: 2, max: 10}\n"
  "  - key: ratio\n"
  "    type: number_input\n"
  "    label: Ratio\n"
  "    default: 0.5\n"
  "    hydra_override: ratio\n"
  "    validation: {range: [0.25, 0.75]}\n"
  "  - key: tiny\n"
  "    type: number_input\n"
  "    default: 0.001\n"
  "    hydra_override: tiny\n"
  "    validation: {min: 1.0e-5}\n"
  "  - key: name\n"
  "    type: text_input\n"
  "    label: Name\n"
  "    hydra_override: name\n"
  "    validation: {required_if: \"count == 3\"}\n";

static void
test_validation_bounds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = cb_schema_load_data (bounds_schema, strlen (bounds_schema),
                                                    "bounds.yaml", NULL, &error);
  g_autoptr(CbForm) form = NULL;
  static const char * const start[] = { "count=5", "ratio=0.5", "tiny=0.001", NULL };

  g_assert_no_error (error);
  form = cb_form_new (schema, "bounds");
  g_assert_true (cb_form_is_valid (form));
  assert_overrides (form, start);

  set (form, "count", "1");
  g_assert_cmpstr (errors_of (form)[0], ==, "'Count' must be >= 2.");
  set (form, "count", "11");
  g_assert_cmpstr (errors_of (form)[0], ==, "'Count' must be <= 10.");
  set (form, "count", "10");
  g_assert_true (cb_form_is_valid (form));

  set (form, "ratio", "0.8");
  g_assert_cmpstr (errors_of (form)[0], ==, "'Ratio' must be between 0.25 and 0.75.");
  set (form, "ratio", "0.25");
  g_assert_true (cb_form_is_valid (form));

  /* Numbers in messages as Python prints them; the label falls back to the key. */
  set (form, "tiny", "0.000001");
  g_assert_cmpstr (errors_of (form)[0], ==, "'tiny' must be >= 1e-05.");
  set (form, "tiny", "0.00001");
  g_assert_true (cb_form_is_valid (form));

  set (form, "count", "3");
  g_assert_cmpstr (errors_of (form)[0], ==, "'Name' is required.");
  set (form, "name", "x");
  g_assert_true (cb_form_is_valid (form));
}

/* Overrides ---------------------------------------------------------------------------------- */

static void
test_profile_expansion (void)
{
  g_autoptr(CbForm) train = make_form ("train");
  g_autoptr(CbForm) test = make_form ("test");
  static const char * const no_data[] = { "data=default", NULL };
  static const char * const ckpts[] = { CKPT_LAST, NULL };
  g_auto(GStrv) expected = edit_list (train_defaults, no_data, lens_style_overrides);
  g_autoptr(GPtrArray) camscanner = g_ptr_array_new ();
  const char * const *overrides;
  guint n;

  set (train, "preprocessing_profile", "lens_style");
  assert_overrides (train, (const char * const *) expected);

  set (train, "preprocessing_profile", "camscanner");
  overrides = cb_command_get_overrides (cb_form_get_command (train));
  n = g_strv_length ((char **) overrides);
  g_assert_cmpuint (n, ==, g_strv_length ((char **) train_defaults) - 1 + 6);
  g_assert_cmpstr (overrides[n - 6], ==, "+preset/datasets=preprocessing");
  g_assert_cmpstr (overrides[n - 5], ==, "preprocessing.document_detection_use_camscanner=true");
  g_assert_false (g_strv_contains (overrides, "data=default"));

  set (train, "preprocessing_profile", "none");
  assert_overrides (train, train_defaults);

  /* Deliberate difference: on Test (and Predict) the profile expands too. */
  cb_form_set_checkpoints (test, ckpts);
  set (test, "checkpoint_path", ckpts[0]);
  set (test, "preprocessing_profile", "lens_style");
  overrides = cb_command_get_overrides (cb_form_get_command (test));
  g_assert_cmpuint (g_strv_length ((char **) overrides), ==, 7 + 5);
  assert_list (overrides + 7, lens_style_overrides);
}

static void
test_exp_name_suffix (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  static const char * const ckpts[] = { CKPT_LAST, NULL };
  const char * const *overrides;

  /* Deliberate difference: the suffix is added before the quoting. */
  set (form, "exp_name", "my run");
  overrides = cb_command_get_overrides (cb_form_get_command (form));
  g_assert_cmpstr (overrides[0], ==, "exp_name=\"my run-dbnet-unet-resnet18\"");

  set (form, "encoder", "resnet50");
  set (form, "decoder", "pan_decoder");
  overrides = cb_command_get_overrides (cb_form_get_command (form));
  g_assert_cmpstr (overrides[0], ==, "exp_name=\"my run-dbnet-pan_decoder-resnet50\"");

  cb_form_set_append_suffix (form, FALSE);
  g_assert_false (cb_form_get_append_suffix (form));
  overrides = cb_command_get_overrides (cb_form_get_command (form));
  g_assert_cmpstr (overrides[0], ==, "exp_name=\"my run\"");

  /* Off when resuming, whatever the toggle says. */
  cb_form_set_append_suffix (form, TRUE);
  cb_form_set_checkpoints (form, ckpts);
  set_bool (form, "resume_training", TRUE);
  overrides = cb_command_get_overrides (cb_form_get_command (form));
  g_assert_cmpstr (overrides[0], ==, "exp_name=\"my run\"");
}

/* The suffix rules alone (reference 4.6), on schemas where the encoder stays visible. */
static const char suffix_schema[] =
  "title: Suffix\n"
  "ui_elements:\n"
  "  - key: exp_name\n"
  "    type: text_input\n"
  "    default: run\n"
  "    hydra_override: exp_name\n"
  "  - key: resume_training\n"
  "    type: checkbox\n"
  "    default: false\n"
  "  - key: architecture\n"
  "    type: selectbox\n"
  "    options: [arch_a]\n"
  "    default: arch_a\n"
  "  - key: encoder\n"
  "    type: selectbox\n"
  "    options: [enc_a, \"\"]\n"
  "    default: enc_a\n";

static const char no_name_schema[] =
  "title: No name\n"
  "ui_elements:\n"
  "  - key: architecture\n"
  "    type: selectbox\n"
  "    options: [arch_a]\n"
  "    hydra_override: arch\n"
  "  - key: encoder\n"
  "    type: selectbox\n"
  "    options: [enc_a]\n";

static CbForm *
form_from_data (const char *data,
                const char *page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = cb_schema_load_data (data, strlen (data), "suffix.yaml", NULL,
                                                    &error);

  g_assert_no_error (error);
  return cb_form_new (schema, page);
}

static void
test_exp_name_suffix_rules (void)
{
  g_autoptr(CbForm) form = form_from_data (suffix_schema, "train");
  g_autoptr(CbForm) other_page = form_from_data (suffix_schema, "test");
  g_autoptr(CbForm) no_name = form_from_data (no_name_schema, "train");
  static const char * const appended[] = { "arch=arch_a", "exp_name=ocr_training-arch_a-enc_a",
                                           NULL };
  const char * const *overrides;

  /* Empty parts (no decoder here) are skipped. */
  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (form))[0], ==,
                   "exp_name=run-arch_a-enc_a");
  /* Resuming: no suffix, even with an encoder. */
  set_bool (form, "resume_training", TRUE);
  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (form))[0], ==, "exp_name=run");
  set_bool (form, "resume_training", FALSE);
  /* No encoder: no suffix. */
  set (form, "encoder", "");
  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (form))[0], ==, "exp_name=run");

  /* Only on Train. */
  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (other_page))[0], ==,
                   "exp_name=run");

  /* No exp_name override: a suffixed default one is appended. */
  assert_overrides (no_name, appended);
  cb_form_set_append_suffix (no_name, FALSE);
  overrides = cb_command_get_overrides (cb_form_get_command (no_name));
  g_assert_cmpuint (g_strv_length ((char **) overrides), ==, 1);
}

static void
test_value_formatting (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  const char * const *overrides;

  cb_form_set_append_suffix (form, FALSE);
  set (form, "learning_rate", "0.00001");
  set (form, "weight_decay", "0");
  set (form, "gradient_clip_val", "7.5");
  set (form, "batch_size", "16");
  set (form, "max_epochs", "12");
  set (form, "seed", "7");
  set (form, "precision", "bf16-mixed");
  set (form, "wandb", "true");

  /* Python's repr of floats, ints bare, booleans true/false, option values bare. */
  overrides = cb_command_get_overrides (cb_form_get_command (form));
  g_assert_cmpstr (overrides[0], ==, "exp_name=ocr_training");
  g_assert_cmpstr (overrides[1], ==, "logger.wandb.enabled=true");
  g_assert_true (g_strv_contains (overrides, "model.optimizer.lr=1e-05"));
  g_assert_true (g_strv_contains (overrides, "model.optimizer.weight_decay=0.0"));
  g_assert_true (g_strv_contains (overrides, "trainer.gradient_clip_val=7.5"));
  g_assert_true (g_strv_contains (overrides, "dataloaders.train_dataloader.batch_size=16"));
  g_assert_true (g_strv_contains (overrides, "dataloaders.val_dataloader.batch_size=16"));
  g_assert_true (g_strv_contains (overrides, "trainer.max_epochs=12"));
  g_assert_true (g_strv_contains (overrides, "seed=7"));
  g_assert_true (g_strv_contains (overrides, "trainer.precision=bf16-mixed"));

  set (form, "learning_rate", "0.0003");
  set (form, "gradient_clip_val", "3");
  overrides = cb_command_get_overrides (cb_form_get_command (form));
  g_assert_true (g_strv_contains (overrides, "model.optimizer.lr=0.0003"));
  g_assert_true (g_strv_contains (overrides, "trainer.gradient_clip_val=3.0"));

  /* The default precision "32" is an option: bare, so Hydra reads the int it expects. */
  set (form, "precision", "32");
  overrides = cb_command_get_overrides (cb_form_get_command (form));
  g_assert_true (g_strv_contains (overrides, "trainer.precision=32"));
}

static void
test_free_text_quoting (void)
{
  static const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "a,b", "exp_name=\"a,b\"" },
    { "it's", "exp_name=\"it's\"" },
    { "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", "exp_name=\"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4\"" },
    { "32", "exp_name=\"32\"" },
    { "a=b", "exp_name=\"a=b\"" },
    { "say \"hi\"", "exp_name=\"say \\\"hi\\\"\"" },
    { "plain_name-1", "exp_name=plain_name-1" },
  };
  g_autoptr(CbForm) form = make_form ("train");

  cb_form_set_append_suffix (form, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      set (form, "exp_name", cases[i].text);
      g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (form))[0], ==,
                       cases[i].expected);
    }

  /* With the suffix, "32" is no longer a number but is still a name. */
  cb_form_set_append_suffix (form, TRUE);
  set (form, "exp_name", "32");
  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (form))[0], ==,
                   "exp_name=32-dbnet-unet-resnet18");
}

/* Use cases (reference 4.7) ------------------------------------------------------------------- */

static gboolean
changes_name (char       **changes,
              const char  *label,
              const char  *after)
{
  g_autofree char *prefix = g_strconcat (label, ": ", NULL);

  for (guint i = 0; changes[i] != NULL; i++)
    if (g_str_has_prefix (changes[i], prefix) && g_str_has_suffix (changes[i], after))
      return TRUE;
  return FALSE;
}

static const CbUseCase *
find_use_case (CbForm     *form,
               const char *architecture,
               const char *id)
{
  g_autoptr(GPtrArray) use_cases =
    cb_config_snapshot_use_cases_for (cb_form_get_snapshot (form), architecture);

  for (guint i = 0; i < use_cases->len; i++)
    {
      const CbUseCase *use_case = g_ptr_array_index (use_cases, i);

      if (g_str_equal (use_case->id, id))
        return use_case;
    }

  g_error ("no use case %s", id);
  return NULL;
}

static void
test_use_case_apply (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  const CbUseCase *balanced = find_use_case (form, "dbnet", "receipts_balanced");
  static const char * const expected[] = {
    "exp_name=ocr_training-dbnet-fpn_decoder-resnet34",
    "logger.wandb.enabled=false",
    "model/architectures=dbnet",
    "model.encoder.model_name=resnet34",
    "model.component_overrides.decoder.name=fpn_decoder",
    "model.component_overrides.head.name=db_head",
    "model.component_overrides.loss.name=db_loss",
    "model/optimizers=adam",
    "model.optimizer.lr=0.001",
    "model.optimizer.weight_decay=0.0001",
    "dataloaders.train_dataloader.batch_size=8",
    "dataloaders.val_dataloader.batch_size=8",
    "trainer.max_epochs=10",
    "trainer.accumulate_grad_batches=1",
    "trainer.gradient_clip_val=5.0",
    "trainer.precision=32",
    "seed=42",
    NULL
  };
  g_auto(GStrv) expected_all = edit_list (expected, NULL, lens_style_overrides);
  g_auto(GStrv) changes = NULL;
  g_autoptr(GPtrArray) offered = NULL;
  guint count = 0;

  g_signal_connect (form, "changed", G_CALLBACK (count_cb), &count);
  changes = cb_form_apply_use_case (form, balanced);
  g_assert_cmpuint (count, ==, 1);

  /* Every changed field is named, with its new value; unchanged ones are not. */
  g_assert_cmpuint (g_strv_length (changes), ==, 4);
  g_assert_true (changes_name (changes, "Backbone (Encoder)", "resnet34"));
  g_assert_true (changes_name (changes, "Decoder", "fpn_decoder"));
  g_assert_true (changes_name (changes, "Batch Size", "8"));
  /* The original forgot the profile; it is applied here. */
  g_assert_true (changes_name (changes, "Preprocessing Profile", "lens_style"));
  g_assert_cmpstr (string_value (form, "preprocessing_profile"), ==, "lens_style");
  assert_overrides (form, (const char * const *) expected_all);
  g_assert_true (cb_form_is_valid (form));

  /* The form offers the use cases of its architecture. */
  offered = cb_form_get_use_cases (form);
  g_assert_cmpuint (offered->len, ==, 3);
  g_assert_true (g_ptr_array_index (offered, 0) == balanced);
}

static void
test_use_case_other_architecture (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  const CbUseCase *invoices = find_use_case (form, "dbnetpp", "invoices_balanced");
  const CbUseCase *scans = find_use_case (form, "craft", "documents_high_resolution");
  static const char * const ckpts[] = { CKPT_LAST, NULL };
  g_auto(GStrv) changes = NULL;
  g_auto(GStrv) changes2 = NULL;
  const char * const *overrides;

  /* Applied while resuming: back to training from scratch, with every field visible. */
  cb_form_set_checkpoints (form, ckpts);
  set_bool (form, "resume_training", TRUE);
  changes = cb_form_apply_use_case (form, invoices);
  g_assert_false (g_variant_get_boolean (cb_form_get_value (form, "resume_training")));
  g_assert_true (state_of (form, "encoder")->visible);

  g_assert_cmpstr (string_value (form, "architecture"), ==, "dbnetpp");
  g_assert_cmpstr (string_value (form, "encoder"), ==, "resnet50");
  g_assert_cmpstr (string_value (form, "decoder"), ==, "fpn_decoder");
  g_assert_cmpstr (string_value (form, "head"), ==, "db_head");
  g_assert_cmpstr (string_value (form, "loss"), ==, "db_loss");
  g_assert_cmpstr (string_value (form, "optimizer"), ==, "adam");
  g_assert_cmpfloat (double_value (form, "learning_rate"), ==, 0.0006);
  g_assert_cmpfloat (double_value (form, "batch_size"), ==, 6);
  g_assert_true (changes_name (changes, "Architecture", "dbnetpp"));
  g_assert_true (changes_name (changes, "Learning Rate", "6.0e-04"));
  overrides = cb_command_get_overrides (cb_form_get_command (form));
  g_assert_cmpstr (overrides[0], ==, "exp_name=ocr_training-dbnetpp-fpn_decoder-resnet50");
  g_assert_true (g_strv_contains (overrides, "model.optimizer.lr=0.0006"));
  g_assert_true (cb_form_is_valid (form));

  /* Across architectures again: every component must pass the new filter at once. */
  changes2 = cb_form_apply_use_case (form, scans);
  g_assert_cmpstr (string_value (form, "architecture"), ==, "craft");
  g_assert_cmpstr (string_value (form, "decoder"), ==, "craft_decoder");
  g_assert_cmpstr (string_value (form, "head"), ==, "craft_head");
  g_assert_cmpstr (string_value (form, "preprocessing_profile"), ==, "none");
  overrides = cb_command_get_overrides (cb_form_get_command (form));
  g_assert_true (g_strv_contains (overrides, "data=craft"));
  g_assert_true (g_strv_contains (overrides, "model.optimizer.lr=0.0005"));
  g_assert_true (g_strv_contains (overrides, "dataloaders.train_dataloader.batch_size=4"));
  g_assert_true (changes_name (changes2, "Preprocessing Profile", "none"));
  g_assert_true (cb_form_is_valid (form));
}

/* State -------------------------------------------------------------------------------------- */

static void
test_reset (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  guint count = 0;

  set (form, "exp_name", "other");
  set (form, "architecture", "craft");
  set (form, "wandb", "true");
  set (form, "preprocessing_profile", "doctr_demo");
  cb_form_set_append_suffix (form, FALSE);

  g_signal_connect (form, "changed", G_CALLBACK (count_cb), &count);
  cb_form_reset (form);
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (cb_form_get_append_suffix (form));
  assert_overrides (form, train_defaults);
  g_assert_false (state_of (form, "architecture")->user_set);
}

static void
setup_saved_values (CbForm *form)
{
  set (form, "exp_name", "my run");
  set (form, "architecture", "dbnetpp");
  set (form, "decoder", "fpn_decoder");
  set (form, "learning_rate", "0.0004");
  set (form, "batch_size", "16");
  set (form, "wandb", "true");
  set (form, "preprocessing_profile", "camscanner");
  cb_form_set_append_suffix (form, FALSE);
}

static void
test_save_load_state (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  g_autoptr(CbForm) restored = make_form ("train");
  g_autoptr(CbForm) other_page = make_form ("test");
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GKeyFile) reread = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  const char * const *overrides;
  guint count = 0;

  setup_saved_values (form);
  cb_form_save_state (form, key_file);

  /* Through the file's text, as on disk. */
  data = g_key_file_to_data (key_file, NULL, NULL);
  g_key_file_load_from_data (reread, data, -1, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  g_signal_connect (restored, "changed", G_CALLBACK (count_cb), &count);
  cb_form_load_state (restored, reread);
  g_assert_cmpuint (count, ==, 1);
  g_assert_false (cb_form_get_append_suffix (restored));
  g_assert_true (cb_command_equal (cb_form_get_command (form), cb_form_get_command (restored)));

  overrides = cb_command_get_overrides (cb_form_get_command (restored));
  g_assert_cmpstr (overrides[0], ==, "exp_name=\"my run\"");
  g_assert_true (g_strv_contains (overrides, "logger.wandb.enabled=true"));
  g_assert_true (g_strv_contains (overrides, "model/architectures=dbnetpp"));
  g_assert_true (g_strv_contains (overrides, "model.component_overrides.decoder.name=fpn_decoder"));
  g_assert_true (g_strv_contains (overrides, "model.optimizer.lr=0.0004"));
  g_assert_true (g_strv_contains (overrides, "dataloaders.val_dataloader.batch_size=16"));
  g_assert_true (g_strv_contains (overrides,
                                  "preprocessing.document_detection_use_camscanner=true"));

  /* Another page's group is not this page's state. */
  cb_form_load_state (other_page, reread);
  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (other_page))[0], ==,
                   "exp_name=ocr_testing");
}

static void
test_load_state_before_snapshot (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  g_autoptr(CbSchema) schema = load_schema ("train");
  g_autoptr(CbForm) early = cb_form_new (schema, "train");
  g_autoptr(CbConfigSnapshot) snapshot = load_demo_snapshot ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *root = demo_root ();
  g_autoptr(CbProject) project = cb_project_load (root, NULL);

  setup_saved_values (form);
  cb_form_save_state (form, key_file);

  /* Deliberate difference: restored choices survive option lists that have not arrived. */
  cb_form_set_project (early, project);
  cb_form_load_state (early, key_file);
  cb_form_set_snapshot (early, snapshot);
  g_assert_true (cb_command_equal (cb_form_get_command (form), cb_form_get_command (early)));
}

static void
test_freeze_thaw (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  guint count = 0;

  g_signal_connect (form, "changed", G_CALLBACK (count_cb), &count);

  cb_form_freeze (form);
  set (form, "exp_name", "frozen");
  set (form, "batch_size", "8");
  set (form, "architecture", "craft");
  g_assert_cmpuint (count, ==, 0);
  cb_form_thaw (form);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (cb_command_get_overrides (cb_form_get_command (form))[0], ==,
                   "exp_name=frozen-craft-craft_decoder-resnet18");

  /* Nested. */
  count = 0;
  cb_form_freeze (form);
  cb_form_freeze (form);
  set (form, "seed", "1");
  cb_form_thaw (form);
  g_assert_cmpuint (count, ==, 0);
  cb_form_thaw (form);
  g_assert_cmpuint (count, ==, 1);

  /* Nothing changed while frozen: nothing to say. */
  count = 0;
  cb_form_freeze (form);
  cb_form_thaw (form);
  g_assert_cmpuint (count, ==, 0);
}

static void
test_changed_signal (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  g_autoptr(CbConfigSnapshot) snapshot = load_demo_snapshot ();
  static const char * const ckpts[] = { CKPT_LAST, NULL };
  guint count = 0;

  g_signal_connect (form, "changed", G_CALLBACK (count_cb), &count);

  set (form, "exp_name", "one edit");
  g_assert_cmpuint (count, ==, 1);
  set (form, "exp_name", "one edit");
  g_assert_cmpuint (count, ==, 1);
  set (form, "architecture", "craft");
  g_assert_cmpuint (count, ==, 2);
  g_assert_true (cb_form_set_value (form, "batch_size", g_variant_new_int64 (12)));
  g_assert_cmpuint (count, ==, 3);
  cb_form_unset_value (form, "batch_size");
  g_assert_cmpuint (count, ==, 4);
  cb_form_set_append_suffix (form, FALSE);
  g_assert_cmpuint (count, ==, 5);
  cb_form_set_append_suffix (form, FALSE);
  g_assert_cmpuint (count, ==, 5);
  cb_form_set_checkpoints (form, ckpts);
  g_assert_cmpuint (count, ==, 6);
  cb_form_set_snapshot (form, snapshot);
  g_assert_cmpuint (count, ==, 7);
  cb_form_set_snapshot (form, snapshot);
  g_assert_cmpuint (count, ==, 7);
}

/* Values from text --------------------------------------------------------------------------- */

static char *
format (CbForm     *form,
        const char *key,
        GVariant   *value)
{
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;

  return cb_format_value (field_of (form, key), owned);
}

static void
test_format_value (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  static const char * const locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8", "C.UTF-8" };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));

  for (guint l = 0; l < G_N_ELEMENTS (locales); l++)
    {
      g_autofree char *lr = NULL;
      g_autofree char *lr_small = NULL;
      g_autofree char *wd = NULL;
      g_autofree char *wd_big = NULL;
      g_autofree char *batch = NULL;
      g_autofree char *clip = NULL;
      g_autofree char *name = NULL;
      g_autofree char *wandb = NULL;
      g_autofree char *none = NULL;

      /* In a locale with a decimal comma too, if one is installed. */
      setlocale (LC_NUMERIC, locales[l]);

      lr = format (form, "learning_rate", g_variant_new_double (0.001));
      lr_small = format (form, "learning_rate", g_variant_new_double (1e-05));
      wd = format (form, "weight_decay", g_variant_new_double (0.0001));
      wd_big = format (form, "weight_decay", g_variant_new_double (0.01));
      batch = format (form, "batch_size", g_variant_new_int64 (4));
      clip = format (form, "gradient_clip_val", g_variant_new_double (5.0));
      name = format (form, "exp_name", g_variant_new_string ("a b"));
      wandb = format (form, "wandb", g_variant_new_boolean (TRUE));
      none = format (form, "exp_name", NULL);

      g_assert_cmpstr (lr, ==, "1.0e-03");
      g_assert_cmpstr (lr_small, ==, "1.0e-05");
      g_assert_cmpstr (wd, ==, "0.0001");
      g_assert_cmpstr (wd_big, ==, "0.0100");
      g_assert_cmpstr (batch, ==, "4");
      g_assert_cmpstr (clip, ==, "5.0");
      g_assert_cmpstr (name, ==, "a b");
      g_assert_cmpstr (wandb, ==, "true");
      g_assert_cmpstr (none, ==, "");
    }

  setlocale (LC_NUMERIC, saved);
}

static void
test_set_from_string_errors (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  static const struct
  {
    const char *key;
    const char *text;
  } bad[] = {
    { "batch_size", "abc" },
    { "batch_size", "" },
    { "batch_size", "2.5" },
    { "learning_rate", "1e-3x" },
    { "learning_rate", "nan" },
    { "wandb", "maybe" },
    { "nosuchkey", "1" },
    { "architecture_components", "x" },
  };
  guint count = 0;

  g_signal_connect (form, "changed", G_CALLBACK (count_cb), &count);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (cb_form_set_value_from_string (form, bad[i].key, bad[i].text, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (error->message);
    }
  g_assert_cmpuint (count, ==, 0);
  assert_overrides (form, train_defaults);

  /* Accepted spellings. */
  set (form, "wandb", "yes");
  g_assert_true (g_variant_get_boolean (cb_form_get_value (form, "wandb")));
  set (form, "wandb", "off");
  g_assert_false (g_variant_get_boolean (cb_form_get_value (form, "wandb")));
  set (form, "learning_rate", "3e-4");
  g_assert_cmpfloat (double_value (form, "learning_rate"), ==, 0.0003);
  /* A selectbox takes a label for its value. */
  set (form, "preprocessing_profile", "Lens-style (balanced)");
  g_assert_cmpstr (string_value (form, "preprocessing_profile"), ==, "lens_style");
  /* A value that is not offered is kept as given and flagged, never replaced. */
  set (form, "encoder", "nonexistent");
  g_assert_cmpstr (string_value (form, "encoder"), ==, "nonexistent");
  g_assert_true (state_of (form, "encoder")->user_set);
  g_assert_nonnull (state_of (form, "encoder")->error);
  g_assert_false (cb_form_is_valid (form));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/form/default/train", test_default_train);
  g_test_add_func ("/form/default/launcher", test_default_launcher);
  g_test_add_func ("/form/default/test-predict", test_default_test_predict);
  g_test_add_func ("/form/visibility/resume", test_resume_visibility);
  g_test_add_func ("/form/architecture/dbnet", test_architecture_dbnet);
  g_test_add_func ("/form/architecture/craft", test_architecture_craft);
  g_test_add_func ("/form/architecture/dbnetpp", test_architecture_dbnetpp);
  g_test_add_func ("/form/architecture/optimizer-switch", test_optimizer_switch);
  g_test_add_func ("/form/reconcile/architecture", test_reconciliation);
  g_test_add_func ("/form/reconcile/hidden", test_hidden_keeps_choice);
  g_test_add_func ("/form/reconcile/hidden-filtered", test_hidden_filtered_keeps_choice);
  g_test_add_func ("/form/help", test_help);
  g_test_add_func ("/form/info", test_info_summary);
  g_test_add_func ("/form/validation/messages", test_validation_messages);
  g_test_add_func ("/form/validation/bounds", test_validation_bounds);
  g_test_add_func ("/form/overrides/profile", test_profile_expansion);
  g_test_add_func ("/form/overrides/suffix", test_exp_name_suffix);
  g_test_add_func ("/form/overrides/suffix-rules", test_exp_name_suffix_rules);
  g_test_add_func ("/form/overrides/numbers", test_value_formatting);
  g_test_add_func ("/form/overrides/free-text", test_free_text_quoting);
  g_test_add_func ("/form/use-case/apply", test_use_case_apply);
  g_test_add_func ("/form/use-case/other-architecture", test_use_case_other_architecture);
  g_test_add_func ("/form/state/reset", test_reset);
  g_test_add_func ("/form/state/save-load", test_save_load_state);
  g_test_add_func ("/form/state/load-before-snapshot", test_load_state_before_snapshot);
  g_test_add_func ("/form/signal/freeze-thaw", test_freeze_thaw);
  g_test_add_func ("/form/signal/changed", test_changed_signal);
  g_test_add_func ("/form/values/format", test_format_value);
  g_test_add_func ("/form/values/from-string-errors", test_set_from_string_errors);

  return g_test_run ();
}
