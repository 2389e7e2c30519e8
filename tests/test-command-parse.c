/* test-command-parse.c: a pasted command comes back as the page state that built it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-command-parse.h"
#include "cb/cb-form.h"

#include <gio/gio.h>

#include <math.h>
#include <string.h>

/* 1,000 generated states per page; a sanitizer build (ten times slower) checks 200. */
#if defined(__SANITIZE_ADDRESS__)
#define N_STATES 200
#else
#define N_STATES 1000
#endif

typedef struct
{
  CbProject           *project;
  CbConfigSnapshot    *snapshot;
  CbCheckpointScanner *scanner;
} Env;

static Env env;

static const char * const pages[] = { "train", "test", "predict" };

static CbForm *
make_form (const char *page)
{
  static GHashTable *schemas;  /* page → CbSchema, each read once */
  CbSchema *schema;
  CbForm *form;

  if (schemas == NULL)
    schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) cb_schema_unref);
  schema = g_hash_table_lookup (schemas, page);
  if (schema == NULL)
    {
      g_autofree char *path = cb_project_find_schema (env.project, NULL, page);
      g_autoptr(GError) error = NULL;

      schema = cb_schema_load_file (path, NULL, &error);
      g_assert_no_error (error);
      g_hash_table_insert (schemas, g_strdup (page), schema);
    }
  form = cb_form_new (schema, page);
  cb_form_set_project (form, env.project);
  cb_form_set_snapshot (form, env.snapshot);
  cb_form_set_checkpoint_model (form, cb_checkpoint_scanner_get_model (env.scanner));
  return form;
}

static void
assert_same_argv (const char * const *want,
                  const char * const *got,
                  const char         *context)
{
  if (!g_strv_equal (want, got))
    {
      g_autofree char *a = g_strjoinv ("\n", (char **) want);
      g_autofree char *b = g_strjoinv ("\n", (char **) got);

      g_test_message ("from: %s", context);
      g_assert_cmpstr (b, ==, a);
    }
}

/* Parses @text (or @argv), loads it into a new form of @page and returns that form. */
static CbForm *
load_text (const char     *page,
           const char     *text,
           CbParseResult **result_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbParseResult) result = cb_command_parse_text (text, NULL, env.project, &error);
  CbForm *form;

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpstr (result->page, ==, page);
  form = make_form (page);
  g_assert_true (cb_parse_result_load (result, form, &error));
  g_assert_no_error (error);
  if (result_out != NULL)
    *result_out = g_steal_pointer (&result);
  return form;
}

static CbForm *
load_argv (const char         *page,
           const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbParseResult) result = cb_command_parse_argv (argv, NULL, env.project, &error);
  CbForm *form;

  g_assert_no_error (error);
  g_assert_cmpstr (result->page, ==, page);
  g_assert_cmpuint (result->ignored->len, ==, 0);
  form = make_form (page);
  g_assert_true (cb_parse_result_load (result, form, &error));
  g_assert_no_error (error);
  return form;
}

/* Text that Hydra and the shell both treat specially. */
static char *
random_text (GRand *rand)
{
  static const char * const pieces[] = {
    "a", "Z", "0", "7", " ", "'", "\"", "\\", "$", "{", "}", "=", ",", ":", "#", "!", "é",
    "한", "${", "-", "_", ".", "*", "?", "~", "`", "(", ")", "[", "]", ";", "&", "|", "<",
    "😀", "true", "null", "1e3", "32", "\\\"", "'\"'",
  };
  GString *text = g_string_new (NULL);
  guint len = g_rand_int_range (rand, 1, 9);

  for (guint k = 0; k < len; k++)
    g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
  return g_string_free (text, FALSE);
}

static char *
random_number (GRand              *rand,
               const CbField      *field,
               const CbFieldState *state)
{
  double lo = state->has_min ? state->min : 0;
  double hi = state->has_max ? state->max : 1000;
  gboolean integral = state->value != NULL &&
                      g_variant_is_of_type (state->value, G_VARIANT_TYPE_INT64);
  double value = lo + g_rand_double (rand) * (hi - lo);

  if (integral)
    return g_strdup_printf ("%.0f", floor (value));
  /* A few significant digits, as people type them; sometimes tiny (1e-05 style). */
  if (g_rand_boolean (rand))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.3g", value));
    }
  return g_strdup_printf ("%de-%d", g_rand_int_range (rand, 1, 99), g_rand_int_range (rand, 1, 7));
}

static const char * const extras[] = {
  "trainer.limit_val_batches=0.25",
  "+trainer.fast_dev_run=true",
  "~logger",
  "++trainer.devices=2",
  "hydra.verbose=true",
  "+note=\"a b ' $x é = 한\"",
  "+tags=[a,b]",
  "hydra.run.dir=outputs/${now:%Y-%m-%d}",
  "+trainer.profiler='simple'",
  "~callbacks.early_stopping=x",
  "+opts={lr:0.1,name:'x y'}",
  "model@pkg=x",
};

/* Random valid values for every field of @form, in schema order, and random extras. */
static void
randomize (CbForm *form,
           GRand  *rand)
{
  CbSchema *schema = cb_form_get_schema (form);
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  guint n_extra;

  cb_form_reset (form);
  for (guint i = 0; i < cb_schema_get_n_fields (schema); i++)
    {
      const CbField *field = cb_schema_get_field (schema, i);
      const CbFieldState *state = cb_form_get_field_state (form, i);
      g_autofree char *text = NULL;

      /* Some fields keep their default. */
      if (g_rand_int_range (rand, 0, 5) == 0)
        continue;

      switch (field->type)
        {
        case CB_FIELD_TEXT_INPUT:
          for (guint attempt = 0; attempt < 20; attempt++)
            {
              g_free (text);
              text = random_text (rand);
              g_assert_true (cb_form_set_value_from_string (form, field->key, text, NULL));
              if (cb_form_get_field_state (form, i)->error == NULL)
                break;
            }
          g_clear_pointer (&text, g_free);
          break;

        case CB_FIELD_CHECKBOX:
          text = g_strdup (g_rand_boolean (rand) ? "true" : "false");
          break;

        case CB_FIELD_SLIDER:
        case CB_FIELD_NUMBER_INPUT:
          text = random_number (rand, field, state);
          break;

        case CB_FIELD_SELECTBOX:
          if (state->n_options > 0)
            text = g_strdup (state->options[g_rand_int_range (rand, 0, state->n_options)]);
          break;

        case CB_FIELD_INFO:
        default:
          break;
        }
      if (text != NULL)
        g_assert_true (cb_form_set_value_from_string (form, field->key, text, NULL));
    }

  if (g_str_equal (cb_form_get_page (form), "train"))
    cb_form_set_append_suffix (form, g_rand_boolean (rand));

  n_extra = g_rand_int_range (rand, 0, 4);
  for (guint k = 0; k < n_extra; k++)
    {
      const char *word = extras[g_rand_int_range (rand, 0, G_N_ELEMENTS (extras))];

      if (!g_ptr_array_find_with_equal_func (extra, word, g_str_equal, NULL))
        g_ptr_array_add (extra, (gpointer) word);
    }
  g_ptr_array_add (extra, NULL);
  cb_form_set_extra_overrides (form, (const char * const *) extra->pdata);
}

static void
test_round_trip (gconstpointer data)
{
  const char *page = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261114 + strlen (page));
  g_autoptr(CbForm) form = make_form (page);
  guint n_extras = 0;
  guint n_hostile = 0;

  for (guint n = 0; n < N_STATES; n++)
    {
      CbCommand *command;
      const char * const *want;
      g_autoptr(CbForm) from_text = NULL;
      g_autoptr(CbForm) from_multiline = NULL;
      g_autoptr(CbForm) from_argv = NULL;
      g_autoptr(CbParseResult) result = NULL;

      randomize (form, rand);
      command = cb_form_get_command (form);
      want = cb_command_get_argv (command);

      from_text = load_text (page, cb_command_get_display (command), &result);
      assert_same_argv (want, cb_command_get_argv (cb_form_get_command (from_text)),
                        cb_command_get_display (command));
      g_assert_cmpuint (result->ignored->len, ==, 0);
      g_assert_true (g_strv_equal (cb_form_get_extra_overrides (from_text),
                                   cb_form_get_extra_overrides (form)));

      /* The multi-line text (backslash continuations) of every fifth. */
      if (n % 5 == 0)
        {
          from_multiline = load_text (page, cb_command_get_display_multiline (command), NULL);
          assert_same_argv (want, cb_command_get_argv (cb_form_get_command (from_multiline)),
                            cb_command_get_display_multiline (command));
        }

      from_argv = load_argv (page, want);
      assert_same_argv (want, cb_command_get_argv (cb_form_get_command (from_argv)),
                        cb_command_get_display (command));

      n_extras += result->extra->len;
      if (strchr (cb_command_get_display (command), '\'') != NULL)
        n_hostile++;
    }

  /* The generator did reach the cases it is for. */
  g_assert_cmpuint (n_extras, >, N_STATES / 2);
  g_assert_cmpuint (n_hostile, >, N_STATES / 4);
}

/* What one form shows, to compare before and after a failed paste. */
static char *
state_of (CbForm *form)
{
  return g_strjoinv ("\n", (char **) cb_command_get_argv (cb_form_get_command (form)));
}

static void
test_pastes (void)
{
  g_autoptr(CbParseResult) result = NULL;
  g_autoptr(CbForm) form = NULL;
  GVariant *value;

  /* A prompt, continuations, extra spaces, every kind of shell quoting, -m. */
  form = load_text ("train",
                    "  $ python3   runners/train.py -m \\\n"
                    "    'exp_name=\"my run\"'  \\\r\n"
                    "\t\"trainer.max_epochs=7\" model/architectures=craft \\\n"
                    "    model.optimizer.lr=1e-05 seed=0\\\n"
                    "07 +trainer.fast_dev_run=true '~logger'\n",
                    &result);
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "exp_name"), NULL), ==, "my run");
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "max_epochs")), ==, 7);
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "seed")), ==, 7);
  g_assert_cmpfloat (g_variant_get_double (cb_form_get_value (form, "learning_rate")), ==, 1e-05);
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "architecture"), NULL), ==,
                   "craft");
  g_assert_true (result->multirun);
  g_assert_cmpuint (result->ignored->len, ==, 1);
  g_assert_cmpstr (((CbIgnoredWord *) g_ptr_array_index (result->ignored, 0))->word, ==, "-m");
  g_assert_cmpuint (result->extra->len, ==, 2);
  g_assert_cmpstr (cb_form_get_extra_overrides (form)[0], ==, "+trainer.fast_dev_run=true");
  g_assert_cmpstr (cb_form_get_extra_overrides (form)[1], ==, "~logger");
  g_assert_cmpuint (result->fields->len, ==, 5);
  g_clear_object (&form);
  g_clear_pointer (&result, cb_parse_result_free);

  /* Another launcher is said, the page still loads; the suffix comes off the name. */
  form = load_text ("train",
                    "CUDA_VISIBLE_DEVICES=0 uv run python runners/train.py "
                    "exp_name=receipts-dbnet-unet-resnet18 model/architectures=dbnet "
                    "model.encoder.model_name=resnet18 model.component_overrides.decoder.name=unet",
                    &result);
  g_assert_cmpstr (g_variant_get_string (cb_form_get_value (form, "exp_name"), NULL), ==,
                   "receipts");
  g_assert_true (cb_form_get_append_suffix (form));
  g_assert_cmpuint (result->ignored->len, ==, 1);
  g_assert_cmpstr (((CbIgnoredWord *) g_ptr_array_index (result->ignored, 0))->word, ==,
                   "'CUDA_VISIBLE_DEVICES=0' uv run python");
  {
    g_autofree char *text = cb_parse_result_describe (result);

    g_assert_cmpstr (text, ==, "4 fields set, 1 ignored (launcher differs)");
  }
  g_clear_object (&form);
  g_clear_pointer (&result, cb_parse_result_free);

  /* A preprocessing profile's expansion is the profile again, not extras. */
  {
    g_autoptr(CbForm) source = make_form ("predict");
    CbCommand *command;

    g_assert_true (cb_form_set_value_from_string (source, "preprocessing_profile",
                                                  "lens_style_office", NULL));
    command = cb_form_get_command (source);
    form = load_text ("predict", cb_command_get_display (command), &result);
    value = cb_form_get_value (form, "preprocessing_profile");
    g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "lens_style_office");
    g_assert_cmpuint (result->extra->len, ==, 0);
    assert_same_argv (cb_command_get_argv (command),
                      cb_command_get_argv (cb_form_get_command (form)), "profile");
    g_clear_object (&form);
    g_clear_pointer (&result, cb_parse_result_free);
  }

  /* Only overrides, for a page named by the caller. */
  {
    g_autoptr(GError) error = NULL;

    result = cb_command_parse_text ("trainer.max_epochs=3 hydra.verbose=true", "train",
                                    env.project, &error);
    g_assert_no_error (error);
    form = make_form ("train");
    g_assert_true (cb_parse_result_load (result, form, &error));
    g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "max_epochs")), ==, 3);
    g_assert_cmpstr (cb_form_get_extra_overrides (form)[0], ==, "hydra.verbose=true");
    g_clear_object (&form);
    g_clear_pointer (&result, cb_parse_result_free);
  }
}

static void
assert_refused (const char *text,
                gint        code,
                const char *named)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbParseResult) result = cb_command_parse_text (text, NULL, env.project, &error);

  g_assert_null (result);
  g_assert_error (error, CB_COMMAND_PARSE_ERROR, code);
  if (named != NULL && strstr (error->message, named) == NULL)
    g_error ("“%s” does not name “%s”", error->message, named);
}

static void
count_changed_cb (CbForm *form,
                  guint  *n)
{
  (*n)++;
}

/* A paste of 20,000 words (issue 15): one recompute for the batch, not one per word, so the
 * work is linear in the paste; the last value of a field wins, unknown words become extras. */
static void
test_long_paste (void)
{
  GString *text = g_string_new ("python3 runners/train.py");
  g_autoptr(CbParseResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbForm) form = make_form ("train");
  guint n_changed = 0;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, " trainer.max_epochs=%u", i % 97 + 1);
  g_string_append (text, " trainer.max_epochs=33 +trainer.fast_dev_run=true");
  result = cb_command_parse_text (text->str, NULL, env.project, &error);
  g_string_free (text, TRUE);
  g_assert_no_error (error);

  g_signal_connect (form, "changed", G_CALLBACK (count_changed_cb), &n_changed);
  g_assert_true (cb_parse_result_load (result, form, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_variant_get_int64 (cb_form_get_value (form, "max_epochs")), ==, 33);
  g_assert_cmpstr (cb_form_get_extra_overrides (form)[0], ==, "+trainer.fast_dev_run=true");
  g_test_message ("%u recomputes for 20,002 words", n_changed);
  g_assert_cmpuint (n_changed, <, 40);
}

static void
test_refused (void)
{
  g_autoptr(CbForm) form = make_form ("train");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbParseResult) result = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  assert_refused ("", CB_COMMAND_PARSE_ERROR_EMPTY, NULL);
  assert_refused (" \\\n ", CB_COMMAND_PARSE_ERROR_EMPTY, NULL);
  assert_refused ("python3 runners/train.py 'exp_name=x", CB_COMMAND_PARSE_ERROR_SHELL, NULL);
  assert_refused ("ls -l", CB_COMMAND_PARSE_ERROR_NO_SCRIPT, NULL);
  assert_refused ("python3 runners/train.py exp_name=a=b", CB_COMMAND_PARSE_ERROR_WORD,
                  "exp_name=a=b");
  assert_refused ("python3 runners/train.py trainer.max_epochs=3 && echo done",
                  CB_COMMAND_PARSE_ERROR_WORD, "&&");
  assert_refused ("python3 runners/train.py --cfg job", CB_COMMAND_PARSE_ERROR_WORD, "--cfg");
  assert_refused ("python3 runners/train.py seed=1,2", CB_COMMAND_PARSE_ERROR_WORD, "seed=1,2");
  assert_refused ("python3 runners/train.py exp_name=한국어", CB_COMMAND_PARSE_ERROR_WORD,
                  "exp_name=한국어");

  /* With -m a sweep is kept (as an extra override of the single run: the composer says why
   * it would not run). */
  result = cb_command_parse_text ("python3 runners/train.py -m seed=1,2", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->multirun);
  g_clear_pointer (&result, cb_parse_result_free);

  /* The page asked for must be the script's. */
  result = cb_command_parse_text ("python3 runners/test.py", "train", NULL, &error);
  g_assert_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_PAGE);
  g_clear_error (&error);

  /* A result is loaded only into its own page's form, and a refused load changes nothing. */
  g_assert_true (cb_form_set_value_from_string (form, "max_epochs", "33", NULL));
  before = state_of (form);
  result = cb_command_parse_text ("python3 runners/test.py exp_name=x", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cb_parse_result_load (result, form, &error));
  g_assert_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_PAGE);
  after = state_of (form);
  g_assert_cmpstr (after, ==, before);
}

/* Runs the binary with @args (after the binary) and @input on its standard input, returns
 * its standard output. */
static char *
run_binary (const char * const *args,
            const char         *input,
            int                *status)
{
  const char *binary = g_getenv ("CB_BINARY");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  *status = g_subprocess_get_exit_status (process);
  return out;
}

/* parse's words given to print --argv give back the pasted argv. */
static void
test_cli (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-project",
                                                 NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);
  guint n_done = 0;

  if (g_getenv ("CB_BINARY") == NULL)
    {
      g_test_skip ("CB_BINARY is not set (the binary is not built)");
      return;
    }

  for (guint n = 0; n < 40; n++)
    {
      const char *page = pages[n % G_N_ELEMENTS (pages)];
      g_autoptr(CbForm) form = make_form (page);
      g_autoptr(GPtrArray) print_args = g_ptr_array_new ();
      g_autofree char *words_text = NULL;
      g_autofree char *argv_text = NULL;
      g_autofree char *want = NULL;
      g_auto(GStrv) words = NULL;
      const char *parse_args[6] = { "--project", root, "parse", NULL, NULL, NULL };
      int status;

      randomize (form, rand);
      /* print refuses an invalid page, and one argv element per line needs no line breaks. */
      if (!cb_form_is_valid (form) ||
          strchr (cb_command_get_display (cb_form_get_command (form)), '\n') != NULL)
        continue;
      parse_args[3] = cb_command_get_display (cb_form_get_command (form));
      words_text = run_binary (parse_args, NULL, &status);
      g_assert_cmpint (status, ==, 0);

      words = g_strsplit (words_text, "\n", -1);
      g_ptr_array_add (print_args, (gpointer) "--project");
      g_ptr_array_add (print_args, root);
      g_ptr_array_add (print_args, (gpointer) "print");
      g_ptr_array_add (print_args, (gpointer) "--argv");
      for (guint i = 0; words[i] != NULL && *words[i] != '\0'; i++)
        g_ptr_array_add (print_args, words[i]);
      g_ptr_array_add (print_args, NULL);
      argv_text = run_binary ((const char * const *) print_args->pdata, NULL, &status);
      g_assert_cmpint (status, ==, 0);

      want = g_strjoinv ("\n", (char **) cb_command_get_argv (cb_form_get_command (form)));
      if (!g_str_equal (g_strchomp (argv_text), want))
        g_test_message ("words:\n%s", words_text);
      g_assert_cmpstr (argv_text, ==, want);
      n_done++;
    }
  g_assert_cmpuint (n_done, >=, 10);

  /* Standard input and --json; nothing on standard output for a word it cannot read. */
  {
    const char *json_args[] = { "--project", root, "parse", "--json", "--page", "train", NULL };
    const char *stdin_args[] = { "--project", root, "parse", NULL };
    const char *bad_args[] = { "--project", root, "parse", "python3 runners/train.py a=b=c",
                               NULL };
    g_autofree char *json = NULL;
    g_autofree char *empty = NULL;
    g_autofree char *bad = NULL;
    g_autofree char *words = NULL;
    int status;

    json = run_binary (json_args, "$ python3 runners/train.py -m \\\n  'exp_name=\"a b\"' \\\n"
                       "  hydra.verbose=true\n", &status);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (json, "\"page\": \"train\""));
    g_assert_nonnull (strstr (json, "\"exp_name\": \"a b\""));
    g_assert_nonnull (strstr (json, "\"extra\": [\"hydra.verbose=true\"]"));
    g_assert_nonnull (strstr (json, "{\"word\": \"-m\", \"reason\": \"multirun\"}"));
    g_assert_nonnull (strstr (json, "\"multirun\": true"));

    words = run_binary (stdin_args, "python3 runners/test.py exp_name=x '~logger'", &status);
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (words, ==, "test\nexp_name=x\n--extra=~logger\n");

    empty = run_binary (stdin_args, "  \n", &status);
    g_assert_cmpint (status, ==, 2);
    g_assert_cmpstr (empty, ==, "");
    bad = run_binary (bad_args, NULL, &status);
    g_assert_cmpint (status, ==, 2);
    g_assert_cmpstr (bad, ==, "");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = NULL;
  g_autofree char *configs = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  root = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-project", NULL);
  env.project = cb_project_load (root, NULL);
  configs = cb_project_get_path (env.project, env.project->configs_dir);
  env.snapshot = cb_config_snapshot_load (configs, NULL);
  env.scanner = cb_checkpoint_scanner_new (env.project->root, env.project->outputs_dir);
  g_assert_true (cb_checkpoint_scanner_scan_sync (env.scanner, NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("/command-parse/round-trip/%s", pages[i]);

      g_test_add_data_func (name, pages[i], test_round_trip);
    }
  g_test_add_func ("/command-parse/pastes", test_pastes);
  g_test_add_func ("/command-parse/refused", test_refused);
  g_test_add_func ("/command-parse/long-paste", test_long_paste);
  g_test_add_func ("/command-parse/cli", test_cli);

  status = g_test_run ();

  g_clear_object (&env.scanner);
  g_clear_pointer (&env.snapshot, cb_config_snapshot_unref);
  g_clear_pointer (&env.project, cb_project_unref);
  return status;
}
