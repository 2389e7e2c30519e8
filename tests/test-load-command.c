/* test-load-command.c: a command read back into a form builds the same argv again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-form.h"
#include "cb-test-demo.h"

static CbTestDemo env;

static CbForm *
make_form (const char *page)
{
  return cb_test_demo_make_form (&env, page);
}

/* Loads @form's command into a fresh form of the same page and compares the argv. */
static void
assert_round_trip (CbForm *form)
{
  const char *page = cb_form_get_page (form);
  g_autoptr(CbForm) copy = make_form (page);
  g_auto(GStrv) unplaced = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *want = cb_command_get_argv (cb_form_get_command (form));
  const char * const *got;

  g_assert_true (cb_form_load_command (copy, want, &unplaced, &error));
  g_assert_no_error (error);
  g_assert_null (unplaced);

  got = cb_command_get_argv (cb_form_get_command (copy));
  if (!g_strv_equal (want, got))
    {
      g_autofree char *a = g_strjoinv ("\n", (char **) want);
      g_autofree char *b = g_strjoinv ("\n", (char **) got);

      g_assert_cmpstr (b, ==, a);
    }
}

static void
test_defaults (void)
{
  const char *pages[] = { "train", "test", "predict" };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(CbForm) form = make_form (pages[i]);

      assert_round_trip (form);
    }
}

static void
test_train_variants (void)
{
  g_autoptr(CbForm) form = make_form ("train");

  cb_test_demo_set (form, "architecture", "craft");
  cb_test_demo_set (form, "batch_size", "12");
  cb_test_demo_set (form, "learning_rate", "0.0007");
  cb_test_demo_set (form, "wandb", "true");
  assert_round_trip (form);

  cb_test_demo_set (form, "architecture", "dbnetpp");
  cb_test_demo_set (form, "preprocessing_profile", "lens_style_office");
  cb_test_demo_set (form, "exp_name", "my run, with \"quotes\" & ${x} and \\ and 한국어");
  assert_round_trip (form);

  cb_form_set_append_suffix (form, FALSE);
  cb_test_demo_set (form, "exp_name", "32");
  assert_round_trip (form);

  cb_test_demo_set (form, "resume_training", "true");
  assert_round_trip (form);
  g_assert_true (g_variant_get_boolean (cb_form_get_value (form, "resume_training")));
}

static void
test_reads_what_it_means (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  g_auto(GStrv) unplaced = NULL;
  const char *argv[] = {
    "uv", "run", "python", "runners/train.py",
    "exp_name=\"my run-dbnet-fpn_decoder-resnet34\"", "model/architectures=dbnet",
    "model.encoder.model_name=resnet34", "model.component_overrides.decoder.name=fpn_decoder",
    "trainer.max_epochs=3", "hydra.verbose=true", NULL
  };

  g_assert_true (cb_form_load_command (form, argv, &unplaced, NULL));
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "exp_name"), NULL), ==, "my run");
  g_assert_true (cb_form_get_append_suffix (form));
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "max_epochs")), ==, 3);
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "encoder"), NULL), ==, "resnet34");
  /* An override no field takes is handed back, not silently dropped. */
  g_assert_nonnull (unplaced);
  g_assert_cmpstr (unplaced[0], ==, "hydra.verbose=true");
  g_assert_null (unplaced[1]);
}

static void
test_random_names (void)
{
  static const char * const pieces[] = {
    "a", "Z", "0", "7", " ", "'", "\"", "\\", "$", "{", "}", "=", ",", ":", "#", "!", "é", "한",
    "${", "-", "_", ".", "/", "\t", "true", "null", "1e3",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  g_autoptr(CbForm) form = make_form ("test");

  for (guint n = 0; n < 150; n++)
    {
      g_autoptr(GString) name = g_string_new (NULL);
      guint len = g_rand_int_range (rand, 3, 9);

      for (guint k = 0; k < len; k++)
        g_string_append (name, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      cb_test_demo_set (form, "exp_name", name->str);
      assert_round_trip (form);
    }
}

static void
test_not_a_command (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "ls", "-l", NULL };

  g_assert_false (cb_form_load_command (form, argv, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  cb_test_demo_open (&env);

  g_test_add_func ("/load-command/defaults", test_defaults);
  g_test_add_func ("/load-command/train-variants", test_train_variants);
  g_test_add_func ("/load-command/reads-what-it-means", test_reads_what_it_means);
  g_test_add_func ("/load-command/random-names", test_random_names);
  g_test_add_func ("/load-command/not-a-command", test_not_a_command);

  status = g_test_run ();

  cb_test_demo_close (&env);
  return status;
}
