/* test-command.c: tests for CbCommand and the commands the forms build
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The trusted decoders here are /bin/sh itself (the display text must give back the argv)
 * and Hydra's override grammar as measured in shared/reference/hydra-quoting.md (the
 * exp_name element must give back exactly what was typed, with the suffix). The worked
 * examples are the reference's section 4.1 (shared/reference/original-command-builder.md). */

#define G_LOG_DOMAIN "test-command"

#include "config.h"

#include "cb/cb-command.h"
#include "cb/cb-config.h"
#include "cb/cb-form.h"
#include "cb/cb-project.h"
#include "cb/cb-schema.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RANDOM_SEED 4242

/* Decoders ------------------------------------------------------------------------------------ */

/* Hydra 1.3.2 on the text after "key=", for values that must reach it as strings: bare text
 * of the always-safe characters (and not a number, boolean or null), or one "..." string
 * with \" for a quote and doubled backslashes before a quote. NULL when it would reject or
 * retype the text. */
static char *
hydra_decode (const char *text)
{
  gsize len = strlen (text);
  GString *out;

  if (text[0] != '"')
    {
      if (len == 0 || text[0] == ' ' || text[0] == '\t' ||
          text[len - 1] == ' ' || text[len - 1] == '\t')
        return NULL;
      for (const char *p = text; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && strchr ("_-./$%*+?@|: \t", *p) == NULL)
          return NULL;
      if (g_regex_match_simple ("^[+-]?([0-9][0-9_]*\\.?[0-9_]*|\\.[0-9][0-9_]*)"
                                "([eE][+-]?[0-9_]+)?$|^[+-]?(inf|nan)$|^(true|false|null)$",
                                text, G_REGEX_CASELESS, 0))
        return NULL;
      return g_strdup (text);
    }

  if (len < 2 || text[len - 1] != '"')
    return NULL;

  out = g_string_new (NULL);
  for (gsize i = 1; i < len - 1;)
    {
      if (text[i] == '\\')
        {
          gsize run = 0;

          while (i < len - 1 && text[i] == '\\')
            {
              run++;
              i++;
            }
          if (i == len - 1)
            {
              if (run % 2 != 0)
                goto reject;
              for (gsize k = 0; k < run / 2; k++)
                g_string_append_c (out, '\\');
            }
          else if (text[i] == '"')
            {
              if (run % 2 == 0)
                goto reject;
              for (gsize k = 0; k < run / 2; k++)
                g_string_append_c (out, '\\');
              g_string_append_c (out, '"');
              i++;
            }
          else
            {
              for (gsize k = 0; k < run; k++)
                g_string_append_c (out, '\\');
            }
        }
      else if (text[i] == '"')
        {
          goto reject;
        }
      else
        {
          g_string_append_c (out, text[i]);
          i++;
        }
    }

  return g_string_free (out, FALSE);

reject:
  g_string_free (out, TRUE);
  return NULL;
}

/* OmegaConf on a string: 2n+1 backslashes before "${" give n backslashes and a literal
 * "${"; 2n give a real interpolation, which typed text must never become (NULL). */
static char *
omegaconf_unescape (const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;
  if (strstr (text, "${") == NULL)
    return g_strdup (text);

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0';)
    {
      gsize run = 0;

      while (p[run] == '\\')
        run++;
      if (p[run] == '$' && p[run + 1] == '{')
        {
          if (run % 2 == 0)
            {
              g_string_free (out, TRUE);
              return NULL;
            }
          for (gsize k = 0; k < run / 2; k++)
            g_string_append_c (out, '\\');
          g_string_append (out, "${");
          p += run + 2;
        }
      else if (run > 0)
        {
          g_string_append_len (out, p, run);
          p += run;
        }
      else
        {
          g_string_append_c (out, *p);
          p++;
        }
    }

  return g_string_free (out, FALSE);
}

/* The decoders on the reference's own rows, so that a decoder that accepts anything cannot
 * make the round trips below pass. */
static void
test_decoder_reference (void)
{
  static const struct
  {
    const char *text;
    const char *value;
  } good[] = {
    { "\"my run\"", "my run" },
    { "\"it's\"", "it's" },
    { "\"a\\\"b\"", "a\"b" },
    { "\"ab\\\\\"", "ab\\" },
    { "\"a\\\\b\"", "a\\\\b" },
    { "x:y", "x:y" },
    { "$HOME", "$HOME" },
    { "\"\\${oops\"", "${oops" },
  };
  static const char * const bad[] = {
    "a,b", "a=b", "it's", "32", "1e3", "null", "True", "\"ab\\\"", "\"${oops\"", " x",
    "\xed\x95\x9c",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *hydra = hydra_decode (good[i].text);
      g_autofree char *decoded = omegaconf_unescape (hydra);

      g_assert_cmpstr (decoded, ==, good[i].value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *hydra = hydra_decode (bad[i]);
      g_autofree char *decoded = omegaconf_unescape (hydra);

      if (decoded != NULL)
        g_error ("decoder accepted <%s> as <%s>", bad[i], decoded);
    }
}

/* Runs "printf '%s\0' <words>" with /bin/sh and returns what it printed. */
static GBytes *
run_shell (const char *words,
           int        *exit_status)
{
  g_autofree char *script = g_strconcat ("printf '%s\\0' ", words, NULL);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  GPid pid = 0;
  int out_fd = -1;
  int wait_status = 0;
  guint8 buf[4096];
  gssize n;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                            NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  while ((n = read (out_fd, buf, sizeof buf)) != 0)
    {
      if (n < 0)
        {
          g_assert_cmpint (errno, ==, EINTR);
          continue;
        }
      g_byte_array_append (out, buf, (guint) n);
    }
  close (out_fd);

  while (waitpid (pid, &wait_status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  g_spawn_close_pid (pid);

  g_assert_true (WIFEXITED (wait_status));
  *exit_status = WEXITSTATUS (wait_status);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The shell must give back exactly @argv from @text. */
static void
check_shell (const char * const *argv,
             const char         *text)
{
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GBytes) output = NULL;
  int status = -1;

  for (guint i = 0; argv[i] != NULL; i++)
    g_string_append_len (expected, argv[i], (gssize) strlen (argv[i]) + 1);

  output = run_shell (text, &status);
  g_assert_cmpint (status, ==, 0);
  if (g_bytes_get_size (output) != expected->len ||
      memcmp (g_bytes_get_data (output, NULL), expected->str, expected->len) != 0)
    g_error ("/bin/sh did not give back the argv from:\n%s", text);
}

static void
check_command_shell (CbCommand *command)
{
  check_shell (cb_command_get_argv (command), cb_command_get_display (command));
  check_shell (cb_command_get_argv (command), cb_command_get_display_multiline (command));
}

/* Fixtures ------------------------------------------------------------------------------------ */

static CbForm *
make_form_in (const char *page,
              CbProject  *project)
{
  g_autofree char *name = g_strdup_printf ("%s.yaml", page);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "schemas", name, NULL);
  g_autofree char *configs = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-project",
                                                    "configs", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = cb_schema_load_file (path, NULL, &error);
  g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, NULL);
  CbForm *form;

  g_assert_no_error (error);
  form = cb_form_new (schema, page);
  cb_form_set_snapshot (form, snapshot);
  cb_form_set_project (form, project);
  return form;
}

static CbProject *
load_demo_project (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-project", NULL);

  return cb_project_load (root, NULL);
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

/* CbCommand ----------------------------------------------------------------------------------- */

static void
test_command_new (void)
{
  static const char * const launcher[] = { "uv", "run", "python", NULL };
  static const char * const overrides[] = {
    "exp_name=ocr_training-dbnet-unet-resnet18",
    "exp_name=\"my run\"",
    "transforms.train_transform=${enhanced_transforms.train_transform}",
    "x=it's",
    "",
    NULL
  };
  static const char * const expected_argv[] = {
    "uv", "run", "python", "runners/train.py",
    "exp_name=ocr_training-dbnet-unet-resnet18",
    "exp_name=\"my run\"",
    "transforms.train_transform=${enhanced_transforms.train_transform}",
    "x=it's",
    "",
    NULL
  };
  g_autoptr(CbCommand) command = cb_command_new (launcher, "runners/train.py", overrides);
  g_autoptr(CbCommand) same = cb_command_new (launcher, "runners/train.py", overrides);
  g_autoptr(CbCommand) other = cb_command_new (launcher, "runners/test.py", overrides);
  g_autoptr(CbCommand) ref = NULL;
  const char * const *argv = cb_command_get_argv (command);

  g_assert_true (g_strv_equal (argv, expected_argv));
  g_assert_true (cb_command_get_overrides (command) == argv + 4);
  g_assert_true (g_strv_equal (cb_command_get_overrides (command), overrides));

  g_assert_cmpstr (cb_command_get_display (command), ==,
                   "uv run python runners/train.py exp_name=ocr_training-dbnet-unet-resnet18 "
                   "'exp_name=\"my run\"' "
                   "'transforms.train_transform=${enhanced_transforms.train_transform}' "
                   "'x=it'\\''s' ''");
  g_assert_cmpstr (cb_command_get_display_multiline (command), ==,
                   "uv run python runners/train.py \\\n"
                   "  exp_name=ocr_training-dbnet-unet-resnet18 \\\n"
                   "  'exp_name=\"my run\"' \\\n"
                   "  'transforms.train_transform=${enhanced_transforms.train_transform}' \\\n"
                   "  'x=it'\\''s' \\\n"
                   "  ''");
  check_command_shell (command);

  g_assert_true (cb_command_equal (command, same));
  g_assert_true (cb_command_equal (command, command));
  g_assert_false (cb_command_equal (command, other));
  g_assert_false (cb_command_equal (command, NULL));
  g_assert_true (cb_command_equal (NULL, NULL));

  ref = cb_command_ref (command);
  g_assert_true (ref == command);
}

static void
test_command_edges (void)
{
  static const char * const launcher[] = { "python3", NULL };
  static const char * const one[] = { "seed=1", NULL };
  g_autoptr(CbCommand) bare = cb_command_new (launcher, "runners/train.py", NULL);
  g_autoptr(CbCommand) no_launcher = cb_command_new (NULL, "my script.py", one);
  g_autoptr(CbCommand) assignment = cb_command_new (NULL, "FOO=bar", NULL);

  /* No overrides: one line. */
  g_assert_cmpstr (cb_command_get_display (bare), ==, "python3 runners/train.py");
  g_assert_cmpstr (cb_command_get_display_multiline (bare), ==, "python3 runners/train.py");
  g_assert_cmpstr (cb_command_get_overrides (bare)[0], ==, NULL);

  g_assert_cmpstr (cb_command_get_argv (no_launcher)[0], ==, "my script.py");
  g_assert_cmpstr (cb_command_get_display (no_launcher), ==, "'my script.py' seed=1");
  g_assert_cmpstr (cb_command_get_display_multiline (no_launcher), ==,
                   "'my script.py' \\\n  seed=1");
  check_command_shell (no_launcher);

  /* A first word with '=' would be an assignment to the shell. */
  g_assert_cmpstr (cb_command_get_display (assignment), ==, "'FOO=bar'");
}

/* Forms: nasty values ------------------------------------------------------------------------- */

static const char * const nasty_pool[] = {
  " ", "  ", "\t", "\n", "'", "\"", "\\", "\\\\", "$", "${", "}", "{", "=", ",", "#", "!", "`",
  "~", "*", "?", "[", "]", "(", ")", ";", "&", "|", "<", ">", "%", "@", ":", "+", "-", ".",
  "/", "_", "\xc3\xa9", "\xed\x95\x9c", "\xf0\x9f\x98\x80", "0", "1", "7", "e", "a", "b",
  "run", "nan", "true", "null", "$HOME", "'\"'", "--",
};

static char *
random_value (GRand *rand)
{
  guint n = (guint) g_rand_int_range (rand, 0, 9);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, nasty_pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (nasty_pool))]);

  return g_string_free (out, FALSE);
}

/* The exp_name element of @command, decoded as Hydra and OmegaConf would. */
static char *
decoded_exp_name (CbCommand *command)
{
  const char *element = cb_command_get_overrides (command)[0];
  g_autofree char *hydra = NULL;

  g_assert_true (g_str_has_prefix (element, "exp_name="));
  hydra = hydra_decode (element + strlen ("exp_name="));
  return omegaconf_unescape (hydra);
}

static void
test_form_nasty_exp_names (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED);
  g_autoptr(CbProject) project = load_demo_project ();
  g_autoptr(CbForm) form = make_form_in ("train", project);
  guint n_checked = 0;
  guint n_empty = 0;
  guint n_quoted = 0;
  guint n_newline = 0;

  for (guint i = 0; i < 240; i++)
    {
      g_autofree char *value = random_value (rand);
      gboolean suffix = i % 3 != 0;
      CbCommand *command;
      g_autofree char *decoded = NULL;
      g_autofree char *expected = NULL;

      cb_form_set_append_suffix (form, suffix);
      set (form, "exp_name", value);
      command = cb_form_get_command (form);

      /* Whatever was typed, pasting the display text gives back the argv. */
      check_command_shell (command);
      n_checked++;

      if (*value == '\0')
        {
          /* Required and missing: the name falls back to the default, the form says why. */
          g_assert_false (cb_form_is_valid (form));
          n_empty++;
          continue;
        }

      /* ... and Hydra reads back exactly what was typed, suffix included. */
      expected = suffix ? g_strconcat (value, "-dbnet-unet-resnet18", NULL) : g_strdup (value);
      decoded = decoded_exp_name (command);
      if (g_strcmp0 (decoded, expected) != 0)
        g_error ("exp_name <%s> gave <%s>, which Hydra reads as <%s>", value,
                 cb_command_get_overrides (command)[0], decoded ? decoded : "(rejected)");

      n_quoted += cb_command_get_overrides (command)[0][strlen ("exp_name=")] == '"';
      n_newline += strchr (value, '\n') != NULL;
    }

  g_assert_cmpuint (n_checked, >=, 200);
  g_assert_cmpuint (n_empty, >=, 5);
  g_assert_cmpuint (n_quoted, >=, 150);
  g_assert_cmpuint (n_newline, >=, 10);
}

/* Checkpoint names come from the file system: anything but '/' and NUL. */
static void
test_form_nasty_checkpoints (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 1);
  g_autoptr(CbProject) project = load_demo_project ();
  g_autoptr(CbForm) form = make_form_in ("test", project);

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = random_value (rand);
      g_autofree char *path = NULL;
      const char *paths[2] = { NULL, NULL };
      const char *element;
      g_autofree char *decoded = NULL;
      CbCommand *command;

      g_strdelimit (name, "/", '_');
      path = g_strdup_printf ("outputs/run/checkpoints/%s.ckpt", name);
      paths[0] = path;
      cb_form_set_checkpoints (form, paths);
      g_assert_true (cb_form_set_value (form, "checkpoint_path", g_variant_new_string (path)));
      command = cb_form_get_command (form);
      check_command_shell (command);

      element = cb_command_get_overrides (command)[1];
      g_assert_true (g_str_has_prefix (element, "checkpoint_path="));
      decoded = hydra_decode (element + strlen ("checkpoint_path="));
      if (strstr (path, "${") == NULL && g_strcmp0 (decoded, path) != 0)
        g_error ("checkpoint <%s> gave <%s>", path, element);
    }
}

/* The reference's worked examples (4.1) ------------------------------------------------------- */

#define TRAIN_TAIL \
  "logger.wandb.enabled=false model/architectures=dbnet model.encoder.model_name=resnet18 " \
  "model.component_overrides.decoder.name=unet model.component_overrides.head.name=db_head " \
  "model.component_overrides.loss.name=db_loss model/optimizers=adam model.optimizer.lr=0.001 " \
  "model.optimizer.weight_decay=0.0001 dataloaders.train_dataloader.batch_size=4 " \
  "dataloaders.val_dataloader.batch_size=4 trainer.max_epochs=10 " \
  "trainer.accumulate_grad_batches=1 trainer.gradient_clip_val=5.0 trainer.precision=32 seed=42"

#define COMPONENTS \
  "model/architectures=dbnet model.encoder.model_name=resnet18 " \
  "model.component_overrides.decoder.name=unet model.component_overrides.head.name=db_head " \
  "model.component_overrides.loss.name=db_loss"

static void
test_reference_examples (void)
{
  static const char * const ckpts[] = {
    "outputs/demo_training/checkpoints/epoch=19-step=1000.ckpt",
    "outputs/3/checkpoints/best-hmean-0.8920.ckpt",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("cb-test-command-XXXXXX", &error);
  g_autoptr(CbProject) plain = NULL;
  g_autoptr(CbProject) demo = load_demo_project ();
  g_autoptr(CbForm) train = NULL;
  g_autoptr(CbForm) demo_train = NULL;
  g_autoptr(CbForm) test = NULL;
  g_autoptr(CbForm) predict = NULL;

  g_assert_no_error (error);
  /* A project with no settings file: the reference's launcher. */
  plain = cb_project_load (root, NULL);
  train = make_form_in ("train", plain);
  demo_train = make_form_in ("train", demo);
  test = make_form_in ("test", plain);
  predict = make_form_in ("predict", plain);

  /* The default Train command. The script is relative to the project root, where the
   * command runs (the original wrote an absolute path). */
  g_assert_cmpstr (cb_command_get_display (cb_form_get_command (train)), ==,
                   "uv run python runners/train.py exp_name=ocr_training-dbnet-unet-resnet18 "
                   TRAIN_TAIL " data=default");
  g_assert_cmpstr (cb_command_get_display (cb_form_get_command (demo_train)), ==,
                   "python3 runners/train.py exp_name=ocr_training-dbnet-unet-resnet18 "
                   TRAIN_TAIL " data=default");
  g_assert_true (g_str_has_prefix (cb_command_get_display_multiline (cb_form_get_command (train)),
                                   "uv run python runners/train.py \\\n"
                                   "  exp_name=ocr_training-dbnet-unet-resnet18 \\\n"
                                   "  logger.wandb.enabled=false \\\n"));
  g_assert_true (g_str_has_suffix (cb_command_get_display_multiline (cb_form_get_command (train)),
                                   " \\\n  seed=42 \\\n  data=default"));
  check_command_shell (cb_form_get_command (train));

  /* With the lens_style profile: no data=, the profile's overrides appended. The original
   * also wrapped their values in Hydra quotes ("${...}"), which Hydra does not need. */
  set (train, "preprocessing_profile", "lens_style");
  g_assert_cmpstr (cb_command_get_display (cb_form_get_command (train)), ==,
                   "uv run python runners/train.py exp_name=ocr_training-dbnet-unet-resnet18 "
                   TRAIN_TAIL " +preset/datasets=preprocessing"
                   " 'transforms.train_transform=${enhanced_transforms.train_transform}'"
                   " 'transforms.val_transform=${enhanced_transforms.val_transform}'"
                   " 'transforms.test_transform=${enhanced_transforms.test_transform}'"
                   " 'transforms.predict_transform=${enhanced_transforms.predict_transform}'");
  check_command_shell (cb_form_get_command (train));

  /* Resume mode: no suffix; no checkpoint until one is chosen; then the checkpoint as
   * resume=, and the model it needs (without it Hydra builds the default model). */
  cb_form_set_checkpoints (train, ckpts);
  cb_form_set_value (train, "resume_training", g_variant_new_boolean (TRUE));
  g_assert_false (cb_form_is_valid (train));
  g_assert_null (cb_form_get_value (train, "checkpoint_path"));
  cb_form_set_value (train, "checkpoint_path", g_variant_new_string (ckpts[0]));
  g_assert_true (cb_form_is_valid (train));
  g_assert_true (g_str_has_prefix (cb_command_get_display (cb_form_get_command (train)),
                                   "uv run python runners/train.py exp_name=ocr_training "
                                   "logger.wandb.enabled=false "
                                   "'resume=\"outputs/demo_training/checkpoints/"
                                   "epoch=19-step=1000.ckpt\"' model/architectures=dbnet "
                                   "model.encoder.model_name=resnet18 "));
  check_command_shell (cb_form_get_command (train));

  /* Test and Predict. */
  cb_form_set_checkpoints (test, ckpts + 1);
  cb_form_set_checkpoints (predict, ckpts);
  cb_form_set_value (test, "checkpoint_path", g_variant_new_string (ckpts[1]));
  cb_form_set_value (predict, "checkpoint_path", g_variant_new_string (ckpts[0]));
  g_assert_cmpstr (cb_command_get_display (cb_form_get_command (test)), ==,
                   "uv run python runners/test.py exp_name=ocr_testing "
                   "checkpoint_path=outputs/3/checkpoints/best-hmean-0.8920.ckpt " COMPONENTS);
  g_assert_cmpstr (cb_command_get_display (cb_form_get_command (predict)), ==,
                   "uv run python runners/predict.py exp_name=ocr_prediction "
                   "'checkpoint_path=\"outputs/demo_training/checkpoints/"
                   "epoch=19-step=1000.ckpt\"' "
                   COMPONENTS " minified_json=false include_confidence=false");
  check_command_shell (cb_form_get_command (test));
  check_command_shell (cb_form_get_command (predict));

  g_assert_cmpint (g_rmdir (root), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/command/decoder/reference", test_decoder_reference);
  g_test_add_func ("/command/new", test_command_new);
  g_test_add_func ("/command/edges", test_command_edges);
  g_test_add_func ("/command/form/nasty-exp-names", test_form_nasty_exp_names);
  g_test_add_func ("/command/form/nasty-checkpoints", test_form_nasty_checkpoints);
  g_test_add_func ("/command/form/reference-examples", test_reference_examples);

  return g_test_run ();
}
