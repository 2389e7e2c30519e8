/* test-exactness.c: what the user gives is what runs (issue "What you see is what runs")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Values are never replaced behind the user's back: numbers outside a slider's range are
 * kept with a warning (an error only where the schema's validation forbids them), choices
 * that are not offered are kept and flagged, a checkpoint is only ever the one chosen, a
 * checkpoint's run decides the model when resuming, a mismatch with that run is listed and
 * can be undone in one call, and experiment names must make a run folder.
 */

#include "config.h"

#include "cb/cb-file-name.h"
#include "cb/cb-form.h"
#include "cb-test-demo.h"

#include <string.h>

#define CRAFT_CKPT "outputs/3/checkpoints/last.ckpt"  /* craft + resnet50 */

static CbTestDemo env;

static CbForm *
make_form (const char *page)
{
  return cb_test_demo_make_form (&env, page);
}

static const CbFieldState *
state_of (CbForm     *form,
          const char *key)
{
  return cb_form_get_field_state (form, cb_schema_find_field (cb_form_get_schema (form), key));
}

static gboolean
has_override (CbForm     *form,
              const char *override)
{
  return g_strv_contains (cb_command_get_overrides (cb_form_get_command (form)), override);
}

static void
test_numbers_kept (void)
{
  g_autoptr(CbForm) form = make_form ("train");

  /* Past the slider's end: kept exactly, a warning names the limit, still valid. */
  cb_test_demo_set (form, "max_epochs", "201");
  g_assert_true (has_override (form, "trainer.max_epochs=201"));
  g_assert_cmpstr (state_of (form, "max_epochs")->warning, ==,
                   "Above 200, the highest value suggested.");
  g_assert_null (state_of (form, "max_epochs")->error);
  g_assert_true (cb_form_is_valid (form));

  cb_test_demo_set (form, "max_epochs", "500");
  g_assert_true (has_override (form, "trainer.max_epochs=500"));

  /* The schema's validation forbids it: an error naming the limit, nothing replaced. */
  cb_test_demo_set (form, "batch_size", "0");
  g_assert_cmpstr (state_of (form, "batch_size")->error, ==, "'Batch Size' must be >= 1.");
  g_assert_null (state_of (form, "batch_size")->warning);
  g_assert_false (cb_form_is_valid (form));
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "batch_size")), ==, 0);

  cb_test_demo_set (form, "batch_size", "65");
  g_assert_null (state_of (form, "batch_size")->error);
  g_assert_nonnull (state_of (form, "batch_size")->warning);
  g_assert_true (has_override (form, "dataloaders.train_dataloader.batch_size=65"));
  g_assert_true (has_override (form, "dataloaders.val_dataloader.batch_size=65"));

  /* Learning rates: written as typed, off the slider's step grid and past its ends. */
  cb_test_demo_set (form, "learning_rate", "0.02");
  g_assert_true (has_override (form, "model.optimizer.lr=0.02"));
  g_assert_nonnull (state_of (form, "learning_rate")->warning);
  cb_test_demo_set (form, "learning_rate", "1.234e-4");
  g_assert_true (has_override (form, "model.optimizer.lr=0.0001234"));
  g_assert_null (state_of (form, "learning_rate")->warning);
  cb_test_demo_set (form, "learning_rate", "3e-6");
  g_assert_true (has_override (form, "model.optimizer.lr=3e-06"));
  g_assert_cmpstr (state_of (form, "learning_rate")->warning, ==,
                   "Below 1e-05, the lowest value suggested for optimizer “adam”.");
  g_assert_true (cb_form_is_valid (form));
}

/* What a number field shows is what the form holds, keystroke by keystroke: text typed
 * half-way is kept and flagged, never replaced by the last number. */
static void
test_numbers_typed (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  int index = cb_schema_find_field (cb_form_get_schema (form), "batch_size");

  g_assert_true (cb_form_set_value (form, "batch_size", g_variant_new_string ("4")));
  g_assert_true (has_override (form, "dataloaders.train_dataloader.batch_size=4"));
  g_assert_true (cb_form_set_value (form, "batch_size", g_variant_new_string ("40")));
  g_assert_true (has_override (form, "dataloaders.train_dataloader.batch_size=40"));

  g_assert_true (cb_form_set_value (form, "batch_size", g_variant_new_string ("4x")));
  g_assert_null (cb_form_get_value (form, "batch_size"));
  g_assert_cmpstr (cb_form_get_field_state (form, index)->error, ==,
                   "'Batch Size' must be a number, not “4x”.");
  g_assert_cmpstr (cb_form_get_errors (form)[0], ==, "'Batch Size' must be a number, not “4x”.");
  g_assert_null (cb_form_get_errors (form)[1]);
  g_assert_false (cb_form_is_valid (form));

  g_assert_true (cb_form_set_value (form, "batch_size", g_variant_new_string ("3.5")));
  g_assert_cmpstr (cb_form_get_field_state (form, index)->error, ==,
                   "'Batch Size' must be a whole number, not “3.5”.");

  g_assert_true (cb_form_set_value (form, "learning_rate", g_variant_new_string ("1.234e-4")));
  g_assert_true (has_override (form, "model.optimizer.lr=0.0001234"));
}

static void
test_choices_kept (void)
{
  g_autoptr(CbForm) form = make_form ("train");

  /* Given as it is (typed, loaded, from the command line): kept, emitted, flagged. */
  cb_test_demo_set (form, "architecture", "nonexistent");
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "architecture"), NULL), ==,
                   "nonexistent");
  g_assert_true (has_override (form, "model/architectures=nonexistent"));
  g_assert_true (g_str_has_prefix (state_of (form, "architecture")->error,
                                   "'nonexistent' is not an option of 'Architecture' "
                                   "(choose from: "));
  g_assert_false (cb_form_is_valid (form));

  /* A snapshot reload does not drop it either. */
  cb_form_set_snapshot (form, NULL);
  cb_form_set_snapshot (form, env.snapshot);
  g_assert_true (has_override (form, "model/architectures=nonexistent"));

  /* Chosen from the list: valid again. */
  cb_test_demo_set (form, "architecture", "craft");
  g_assert_true (cb_form_is_valid (form));
}

/* Loading a command back (from the history, later a paste) follows the same rule. */
static void
test_loaded_kept (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  g_auto(GStrv) unplaced = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const argv[] = {
    "python3", "runners/train.py", "exp_name=x-nonexistent-unet-resnet18",
    "model/architectures=nonexistent", "trainer.max_epochs=500", "model.optimizer.lr=3e-06",
    NULL
  };

  g_assert_true (cb_form_load_command (form, argv, &unplaced, &error));
  g_assert_no_error (error);
  g_assert_null (unplaced);
  g_assert_true (has_override (form, "model/architectures=nonexistent"));
  g_assert_true (has_override (form, "trainer.max_epochs=500"));
  g_assert_true (has_override (form, "model.optimizer.lr=3e-06"));
  g_assert_nonnull (state_of (form, "architecture")->error);
  g_assert_nonnull (state_of (form, "max_epochs")->warning);
  g_assert_false (cb_form_is_valid (form));
}

static void
test_checkpoint_never_chosen (void)
{
  g_autoptr(CbForm) test = make_form ("test");
  g_autoptr(CbForm) train = make_form ("train");
  const CbFieldState *state = state_of (test, "checkpoint_path");

  /* The scan listed checkpoints; none is taken without the user. */
  g_assert_cmpuint (state->n_options, >, 0);
  g_assert_null (state->value);
  g_assert_cmpstr (state->error, ==, "'Checkpoint Path' is required.");
  for (const char * const *o = cb_command_get_overrides (cb_form_get_command (test)); *o; o++)
    g_assert_false (g_str_has_prefix (*o, "checkpoint_path="));

  /* A file outside outputs/ (or not scanned yet) is the user's choice too. */
  cb_test_demo_set (test, "checkpoint_path", "/elsewhere/model.ckpt");
  g_assert_true (has_override (test, "checkpoint_path=/elsewhere/model.ckpt"));
  g_assert_null (state_of (test, "checkpoint_path")->error);

  /* Resuming: no checkpoint until chosen; then the model comes from its run. */
  cb_test_demo_set (train, "resume_training", "true");
  g_assert_null (cb_form_get_value (train, "checkpoint_path"));
  g_assert_false (cb_form_is_valid (train));
  cb_test_demo_set (train, "checkpoint_path", CRAFT_CKPT);
  g_assert_true (cb_form_is_valid (train));
  g_assert_true (has_override (train, "resume=" CRAFT_CKPT));
  g_assert_true (has_override (train, "model/architectures=craft"));
  g_assert_true (has_override (train, "model.encoder.model_name=resnet50"));
  g_assert_true (has_override (train, "model.component_overrides.decoder.name=craft_decoder"));
  g_assert_nonnull (cb_form_get_checkpoint_note (train));
}

static void
test_mismatch (void)
{
  g_autoptr(CbForm) form = make_form ("test");
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) one = NULL;
  g_auto(GStrv) after = NULL;

  cb_test_demo_set (form, "checkpoint_path", CRAFT_CKPT);
  none = cb_form_get_mismatches (form);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  cb_test_demo_set (form, "encoder", "vgg16_bn");
  g_assert_cmpstr (state_of (form, "encoder")->mismatch, ==,
                   "The checkpoint was trained with “resnet50”");
  one = cb_form_get_mismatches (form);
  g_assert_cmpuint (g_strv_length (one), ==, 1);
  g_assert_cmpstr (one[0], ==,
                   "Backbone (Encoder) is “vgg16_bn”, but the checkpoint was trained with "
                   "“resnet50”.");
  /* Not a validation error: the window asks before running, the CLI warns. */
  g_assert_true (cb_form_is_valid (form));

  g_assert_true (cb_form_use_checkpoint_settings (form));
  after = cb_form_get_mismatches (form);
  g_assert_cmpuint (g_strv_length (after), ==, 0);
  g_assert_true (has_override (form, "model.encoder.model_name=resnet50"));
  g_assert_false (cb_form_use_checkpoint_settings (form));
}

static void
test_run_folder_names (void)
{
  static const struct { const char *name; const char *problem; } cases[] = {
    { "receipts", NULL },
    { "영수증 실험", NULL },
    { "a name with spaces and $ and = and \"quotes\"", NULL },
    { "   ", "the name is only spaces." },
    { " lead", "the name starts or ends with a space." },
    { "line\nbreak", "the name contains a line break or another control character." },
    { "tab\there", "the name contains a line break or another control character." },
    { "../../etc/x", "the name contains “/”: it names one folder under outputs/, not a path." },
    { "..", "“.” and “..” are not folder names." },
    { "bad\xff", "the name is not valid UTF-8 text." },
  };
  g_autoptr(CbForm) form = make_form ("train");
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *almost = g_strnfill (250, 'y');

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *problem = cb_file_name_problem (cases[i].name);

      g_assert_cmpstr (problem, ==, cases[i].problem);
      if (!g_utf8_validate (cases[i].name, -1, NULL))
        continue;
      cb_test_demo_set (form, "exp_name", cases[i].name);
      g_assert_cmpint (cb_form_is_valid (form), ==, cases[i].problem == NULL);
    }

  cb_test_demo_set (form, "exp_name", long_name);
  g_assert_cmpstr (state_of (form, "exp_name")->error, ==,
                   "Experiment Name: the name is 300 bytes long; a folder name can have at "
                   "most 255.");

  /* 250 bytes fit, but not with the -dbnet-unet-resnet18 suffix the run folder gets. */
  cb_test_demo_set (form, "exp_name", almost);
  g_assert_nonnull (state_of (form, "exp_name")->error);
  g_assert_nonnull (strstr (state_of (form, "exp_name")->error, "with its suffix"));
  cb_form_set_append_suffix (form, FALSE);
  g_assert_true (cb_form_is_valid (form));
}

static void
test_invalid_utf8_refused (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_form_set_value_from_string (form, "exp_name", "caf\xe9", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "'Experiment Name' is not valid UTF-8 text");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  cb_test_demo_open (&env);

  g_test_add_func ("/exact/numbers/kept", test_numbers_kept);
  g_test_add_func ("/exact/numbers/typed", test_numbers_typed);
  g_test_add_func ("/exact/choices/kept", test_choices_kept);
  g_test_add_func ("/exact/load/kept", test_loaded_kept);
  g_test_add_func ("/exact/checkpoint/never-chosen", test_checkpoint_never_chosen);
  g_test_add_func ("/exact/checkpoint/mismatch", test_mismatch);
  g_test_add_func ("/exact/names/run-folder", test_run_folder_names);
  g_test_add_func ("/exact/names/invalid-utf8", test_invalid_utf8_refused);

  status = g_test_run ();

  cb_test_demo_close (&env);
  return status;
}
