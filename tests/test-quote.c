/* test-quote.c: tests for Hydra value quoting, shell quoting and Python-style numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The expected strings below come from shared/reference/hydra-quoting.md (what Hydra 1.3.2
 * does with an argv element), from OmegaConf's interpolation escapes, from Python 3's
 * repr(float) and from /bin/sh itself; none of them is computed by the code under test. */

#define G_LOG_DOMAIN "test-quote"

#include "config.h"

#include "cb/cb-quote.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RANDOM_SEED 20240611

typedef struct
{
  const char *value;
  const char *expected;
} QuoteCase;

/* Hydra (the decoder the tests trust) ------------------------------------------------------ */

/* Hydra's INT, FLOAT, BOOL and NULL tokens, written from its grammar, for a whole value. */
static gboolean
hydra_types_bare_value (const char *value)
{
  static const char * const patterns[] = {
    "^[+-]?(0|[1-9](_?[0-9])*)$",
    "^[+-]?(((0|[1-9](_?[0-9])*)\\.|(0|[1-9](_?[0-9])*)?\\.[0-9](_?[0-9])*)"
    "|((0|[1-9](_?[0-9])*)|(0|[1-9](_?[0-9])*)\\.|(0|[1-9](_?[0-9])*)?\\.[0-9](_?[0-9])*)"
    "[eE][+-]?[0-9](_?[0-9])*|inf|nan)$",
    "^(true|false)$",
    "^null$",
  };

  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      if (g_regex_match_simple (patterns[i], value, G_REGEX_CASELESS, 0))
        return TRUE;
    }

  return FALSE;
}

/* What Hydra 1.3.2 gives for the text after "key=", as a string; NULL when it rejects the
 * text, types it as something else than a string, or would change it (leading or trailing
 * blanks, escapes in bare text, which our quoting never relies on). */
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
        {
          if (!g_ascii_isalnum (*p) && strchr ("_-./$%*+?@|: \t", *p) == NULL)
            return NULL;
        }
      if (hydra_types_bare_value (text))
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
              /* Before the closing quote: must be doubled. */
              if (run % 2 != 0)
                goto reject;
              for (gsize k = 0; k < run / 2; k++)
                g_string_append_c (out, '\\');
            }
          else if (text[i] == '"')
            {
              /* An escaped quote; the backslashes before it are doubled. */
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
          goto reject; /* closes the string early */
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

/* OmegaConf's view of a string that contains "${": 2n+1 backslashes before "${" give n
 * backslashes and a literal "${"; 2n backslashes give a real interpolation, which free text
 * must never produce (NULL).  Other backslashes are kept. */
static char *
omegaconf_unescape (const char *text)
{
  GString *out;

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

static char *
hydra_omegaconf_decode (const char *text)
{
  g_autofree char *hydra = hydra_decode (text);

  return hydra != NULL ? omegaconf_unescape (hydra) : NULL;
}

/* The decoder itself, on the reference's own examples, so that the round trip below
 * cannot pass with a decoder that accepts anything. */
static void
test_decoder_reference (void)
{
  static const QuoteCase good[] = {
    { "ocr_training-dbnet-unet-resnet18", "ocr_training-dbnet-unet-resnet18" },
    { "\"my run\"", "my run" },
    { "\"it's\"", "it's" },
    { "\"a,b\"", "a,b" },
    { "\"a\\\"b\"", "a\"b" },
    { "\"a\\b\"", "a\\b" },
    { "\"a\\\\b\"", "a\\\\b" },
    { "\"ab\\\\\"", "ab\\" },
    { "\"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4\"", "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4" },
    { "\"\"", "" },
    { "007", "007" },
    { "\"1e-05\"", "1e-05" },
    { "x:y", "x:y" },
    { "$HOME", "$HOME" },
    { "\"\\${oops\"", "${oops" },
    { "\"\\\\\\${x}\"", "\\${x}" },
  };
  static const char * const bad[] = {
    "a,b", "a=b", "it's", "\xed\x95\x9c", "\"ab\\\"", "32", "1_000", "1e3", ".5", "null",
    "True", "nan", "-inf", " x", "x ", "", "[a,b]", "{a:1}", "str(32)", "\"a\"b\"",
    "\"${oops\"", "${a}", "\"\\\\${x}\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *decoded = hydra_omegaconf_decode (good[i].value);

      g_assert_cmpstr (decoded, ==, good[i].expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *decoded = hydra_omegaconf_decode (bad[i]);

      if (decoded != NULL)
        g_error ("decoder accepted %s as \"%s\"", bad[i], decoded);
    }
}

/* Fixed tables ------------------------------------------------------------------------------ */

static void
check_quote_cases (const QuoteCase *cases,
                   guint            n_cases,
                   CbValueKind      kind)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *quoted = cb_hydra_quote_value (cases[i].value, kind);
      gboolean quoted_expected = g_strcmp0 (cases[i].value, cases[i].expected) != 0;

      g_assert_cmpstr (quoted, ==, cases[i].expected);
      g_assert_cmpint (cb_hydra_value_needs_quoting (cases[i].value, kind), ==,
                       quoted_expected);
    }
}

static void
test_free_text_bare (void)
{
  static const QuoteCase cases[] = {
    { "ocr_training-dbnet-unet-resnet18", "ocr_training-dbnet-unet-resnet18" },
    { "preprocessing", "preprocessing" },
    { "x:y", "x:y" },
    { "$HOME", "$HOME" },
    { "outputs/exp_1/run.log", "outputs/exp_1/run.log" },
    { "./outputs", "./outputs" },
    { "-foo", "-foo" },
    { "a|b", "a|b" },
    { "what?", "what?" },
    { "user@host", "user@host" },
    { "50%", "50%" },
    { "a*b+c", "a*b+c" },
    { "1x", "1x" },
    { "e5", "e5" },
    { "v1.0", "v1.0" },
    { "resnet18", "resnet18" },
    { "nanometer", "nanometer" },
    { "truex", "truex" },
    { "-", "-" },
  };

  check_quote_cases (cases, G_N_ELEMENTS (cases), CB_VALUE_KIND_FREE_TEXT);
}

static void
test_free_text_quoted (void)
{
  static const QuoteCase cases[] = {
    /* rejected or changed by Hydra when bare */
    { "my run", "\"my run\"" },
    { "a\tb", "\"a\tb\"" },
    { "it's", "\"it's\"" },
    { "a,b", "\"a,b\"" },
    { "a=b", "\"a=b\"" },
    { "outputs/exp/checkpoints/epoch=10.ckpt", "\"outputs/exp/checkpoints/epoch=10.ckpt\"" },
    { "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", "\"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4\"" },
    { "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
    { "ocr run #1", "\"ocr run #1\"" },
    { " x", "\" x\"" },
    { "x ", "\"x \"" },
    { "", "\"\"" },
    { "[a,b]", "\"[a,b]\"" },
    { "{a:1}", "\"{a:1}\"" },
    { "str(32)", "\"str(32)\"" },
    { "~x", "\"~x\"" },
    { "a!b&c;d<e>f^g`h", "\"a!b&c;d<e>f^g`h\"" },
    { "line\nbreak", "\"line\nbreak\"" },
    /* quotes and backslashes */
    { "a\"b", "\"a\\\"b\"" },
    { "ab\\", "\"ab\\\\\"" },
    { "a\\b", "\"a\\b\"" },
    { "a\\\\b", "\"a\\\\b\"" },
    { "back\\slash", "\"back\\slash\"" },
    { "a\\\"b", "\"a\\\\\\\"b\"" },
    { "ab\\\\", "\"ab\\\\\\\\\"" },
    { "'", "\"'\"" },
    /* typed by Hydra when bare */
    { "32", "\"32\"" },
    { "-3", "\"-3\"" },
    { "+5", "\"+5\"" },
    { "0", "\"0\"" },
    { "1_000", "\"1_000\"" },
    { "5.0", "\"5.0\"" },
    { "5.", "\"5.\"" },
    { "1e-05", "\"1e-05\"" },
    { ".5", "\".5\"" },
    { "1e3", "\"1e3\"" },
    { "1E+3", "\"1E+3\"" },
    { "nan", "\"nan\"" },
    { "NaN", "\"NaN\"" },
    { "inf", "\"inf\"" },
    { "-inf", "\"-inf\"" },
    { "+Inf", "\"+Inf\"" },
    { "true", "\"true\"" },
    { "True", "\"True\"" },
    { "FALSE", "\"FALSE\"" },
    { "null", "\"null\"" },
    { "Null", "\"Null\"" },
    /* strings to Hydra 1.3.2, quoted anyway because they look numeric */
    { "007", "\"007\"" },
    { "1.2.3", "\"1.2.3\"" },
    { "2024-01-01", "\"2024-01-01\"" },
    /* OmegaConf interpolation: escaped so that the text survives */
    { "${oops", "\"\\${oops\"" },
    { "${enhanced_transforms.train_transform}", "\"\\${enhanced_transforms.train_transform}\"" },
    { "outputs/${now:%Y-%m-%d}", "\"outputs/\\${now:%Y-%m-%d}\"" },
    { "${a}-${b}", "\"\\${a}-\\${b}\"" },
    { "a\\${b", "\"a\\\\\\${b\"" },
    { "$${x", "\"$\\${x\"" },
    { "${\"", "\"\\${\\\"\"" },
  };

  check_quote_cases (cases, G_N_ELEMENTS (cases), CB_VALUE_KIND_FREE_TEXT);
}

static void
test_option_values (void)
{
  static const QuoteCase cases[] = {
    { "32", "32" },
    { "dbnet", "dbnet" },
    { "bf16-mixed", "bf16-mixed" },
    { "model/architectures", "model/architectures" },
    { "true", "true" },
    { "1e-05", "1e-05" },
    { "a b", "a b" },
    { "outputs/exp/checkpoints/last.ckpt", "outputs/exp/checkpoints/last.ckpt" },
    { "outputs/exp/checkpoints/epoch=10.ckpt", "\"outputs/exp/checkpoints/epoch=10.ckpt\"" },
    { "outputs/exp/checkpoints/epoch=10-step=500.ckpt",
      "\"outputs/exp/checkpoints/epoch=10-step=500.ckpt\"" },
    { "", "\"\"" },
    { " a", "\" a\"" },
    { "a ", "\"a \"" },
    { "a,b", "\"a,b\"" },
    { "it's", "\"it's\"" },
    { "a\\b", "\"a\\b\"" },
    { "a\"b", "\"a\\\"b\"" },
    { "\xed\x95\x9c", "\"\xed\x95\x9c\"" },
    { "${x}", "\"${x}\"" },
    { "(a)", "\"(a)\"" },
    { "#1", "\"#1\"" },
  };

  check_quote_cases (cases, G_N_ELEMENTS (cases), CB_VALUE_KIND_OPTION);
}

static void
test_override (void)
{
  static const struct
  {
    const char  *key;
    const char  *value;
    CbValueKind  kind;
    const char  *expected;
  } cases[] = {
    { "exp_name", "my run", CB_VALUE_KIND_FREE_TEXT, "exp_name=\"my run\"" },
    { "exp_name", "ocr_training-dbnet", CB_VALUE_KIND_FREE_TEXT, "exp_name=ocr_training-dbnet" },
    { "exp_name", "it's", CB_VALUE_KIND_FREE_TEXT, "exp_name=\"it's\"" },
    { "exp_name", "", CB_VALUE_KIND_FREE_TEXT, "exp_name=\"\"" },
    { "trainer.precision", "32", CB_VALUE_KIND_OPTION, "trainer.precision=32" },
    { "model/architectures", "dbnet", CB_VALUE_KIND_OPTION, "model/architectures=dbnet" },
    { "+preset/datasets", "preprocessing", CB_VALUE_KIND_OPTION,
      "+preset/datasets=preprocessing" },
    { "checkpoint_path", "outputs/exp/checkpoints/epoch=10.ckpt", CB_VALUE_KIND_OPTION,
      "checkpoint_path=\"outputs/exp/checkpoints/epoch=10.ckpt\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *override = cb_hydra_override (cases[i].key, cases[i].value,
                                                     cases[i].kind);

      g_assert_cmpstr (override, ==, cases[i].expected);
    }
}

/* Random values ----------------------------------------------------------------------------- */

static const char * const nasty_pool[] = {
  " ", "\t", "\n", "'", "\"", "\\", "\\", "$", "{", "}", "${", "=", ",", "#", "!", "`", "~",
  "*", "?", "[", "]", "(", ")", ";", "&", "|", "<", ">", "%", "@", ":", "+", "-", ".", "/",
  "_", "\xc3\xa9", "\xed\x95\x9c", "\xf0\x9f\x98\x80", "0", "1", "7", "e", "E", "a", "b",
  "z", "Q", "run", "nan", "true", "null", "inf",
};

/* 0 to @max_atoms atoms from the pool; about a third of the values only use the characters
 * that may stay bare, so that both paths are exercised. */
static char *
random_value (GRand *rand,
              guint  max_atoms)
{
  static const char * const tame_pool[] = {
    "a", "b", "z", "Q", "_", "-", ".", "/", "0", "1", "7", "e", ":", "@", "%", "+", "run",
    "nan", "true",
  };
  gboolean tame = g_rand_int_range (rand, 0, 3) == 0;
  guint n = (guint) g_rand_int_range (rand, 0, (gint32) max_atoms + 1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (tame)
        g_string_append (out, tame_pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (tame_pool))]);
      else
        g_string_append (out, nasty_pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (nasty_pool))]);
    }

  return g_string_free (out, FALSE);
}

static void
test_free_text_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED);
  guint n_bare = 0;
  guint n_quoted = 0;
  guint n_interpolation = 0;

  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *value = random_value (rand, 8);
      g_autofree char *quoted = cb_hydra_quote_value (value, CB_VALUE_KIND_FREE_TEXT);
      g_autofree char *decoded = hydra_omegaconf_decode (quoted);
      gboolean is_quoted = quoted[0] == '"';

      if (g_strcmp0 (decoded, value) != 0)
        g_error ("free text <%s> quoted as <%s> reads back as <%s>",
                 value, quoted, decoded != NULL ? decoded : "(rejected)");

      g_assert_cmpint (cb_hydra_value_needs_quoting (value, CB_VALUE_KIND_FREE_TEXT), ==,
                       is_quoted);
      if (is_quoted)
        n_quoted++;
      else
        n_bare++;
      if (strstr (value, "${") != NULL)
        n_interpolation++;
    }

  /* The generator must have exercised every path. */
  g_assert_cmpuint (n_bare, >=, 50);
  g_assert_cmpuint (n_quoted, >=, 250);
  g_assert_cmpuint (n_interpolation, >=, 20);
}

static void
test_option_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 1);

  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *value = random_value (rand, 8);
      g_autofree char *quoted = cb_hydra_quote_value (value, CB_VALUE_KIND_OPTION);
      g_autofree char *decoded = NULL;

      if (quoted[0] == '"')
        {
          decoded = hydra_decode (quoted);
        }
      else
        {
          /* Options may stay bare even where Hydra types them: only the text must pass. */
          gsize len = strlen (value);

          g_assert_cmpstr (quoted, ==, value);
          g_assert_cmpuint (len, >, 0);
          g_assert_true (value[0] != ' ' && value[0] != '\t');
          g_assert_true (value[len - 1] != ' ' && value[len - 1] != '\t');
          for (const char *p = value; *p != '\0'; p++)
            g_assert_true (g_ascii_isalnum (*p) || strchr ("_-./$%*+?@|: \t", *p) != NULL);
          decoded = g_strdup (value);
        }

      if (g_strcmp0 (decoded, value) != 0)
        g_error ("option <%s> quoted as <%s> reads back as <%s>",
                 value, quoted, decoded != NULL ? decoded : "(rejected)");
    }
}

/* Numbers ----------------------------------------------------------------------------------- */

static void
check_repr (double      value,
            const char *expected)
{
  g_autofree char *repr = cb_format_number_repr (value);

  g_assert_cmpstr (repr, ==, expected);
}

static void
check_all_reprs (void)
{
  /* Right-hand sides are what Python 3 prints for repr() of the same expression. */
  volatile double tenth = 0.1;
  volatile double fifth = 0.2;
  volatile double e5 = 0.00001;
  volatile double e4 = 1e-4;

  check_repr (0.001, "0.001");
  check_repr (1e-05, "1e-05");
  check_repr (5.0, "5.0");
  check_repr (0.0001, "0.0001");
  check_repr (e5 * 3, "3.0000000000000004e-05");
  check_repr (1e16, "1e+16");
  check_repr (1e15, "1000000000000000.0");
  check_repr (1e22, "1e+22");
  check_repr (123456789012345.0, "123456789012345.0");
  check_repr (tenth + fifth, "0.30000000000000004");
  check_repr (tenth * tenth, "0.010000000000000002");
  check_repr (-0.0, "-0.0");
  check_repr (0.0, "0.0");
  check_repr (e4 * 5, "0.0005");
  check_repr (e4 * 3, "0.00030000000000000003");
  check_repr (2e-5 * 3, "6.000000000000001e-05");
  check_repr (100.0, "100.0");
  check_repr (1.5e-07, "1.5e-07");
  check_repr (2.5e-05, "2.5e-05");
  check_repr (0.5, "0.5");
  check_repr (1.0 / 3.0, "0.3333333333333333");
  check_repr (123456789.123, "123456789.123");
  check_repr (9007199254740993.0, "9007199254740992.0");
  check_repr (12345678901234567.0, "1.2345678901234568e+16");
  check_repr (-1.5e300, "-1.5e+300");
  check_repr (1.7976931348623157e308, "1.7976931348623157e+308");
  check_repr (2.2250738585072014e-308, "2.2250738585072014e-308");
  check_repr (5e-324, "5e-324");
  /* Powers of two where the correctly rounded 16 digits do not read back, but the
   * neighbouring 16-digit string does. */
  check_repr (ldexp (1.0, -1017), "7.120236347223045e-307");
  check_repr (ldexp (1.0, 976), "6.386688990511104e+293");
  check_repr (NAN, "nan");
  check_repr (-NAN, "nan");
  check_repr (INFINITY, "inf");
  check_repr (-INFINITY, "-inf");
}

static void
test_number_repr (void)
{
  check_all_reprs ();
}

static void
test_number_repr_locale (void)
{
  static const char * const locales[] = {
    "de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "fr_FR.utf8", "nl_NL.UTF-8",
    "ru_RU.UTF-8",
  };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  const char *found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (locales) && found == NULL; i++)
    {
      if (setlocale (LC_NUMERIC, locales[i]) != NULL &&
          strcmp (localeconv ()->decimal_point, ",") == 0)
        found = locales[i];
    }

  if (found == NULL)
    {
      setlocale (LC_NUMERIC, saved);
      g_test_skip ("no locale with a decimal comma is installed");
      return;
    }

  g_test_message ("LC_NUMERIC=%s", found);
  check_all_reprs ();
  setlocale (LC_NUMERIC, saved);
}

/* Shell ------------------------------------------------------------------------------------- */

static void
test_shell_quote_word (void)
{
  static const QuoteCase cases[] = {
    { "", "''" },
    { "uv", "uv" },
    { "runners/train.py", "runners/train.py" },
    { "model/architectures=dbnet", "model/architectures=dbnet" },
    { "+preset/datasets=preprocessing", "+preset/datasets=preprocessing" },
    { "a,b:c@d%e-f.g_h", "a,b:c@d%e-f.g_h" },
    { "exp_name=\"my run\"", "'exp_name=\"my run\"'" },
    { "transforms.train_transform=${enhanced_transforms.train_transform}",
      "'transforms.train_transform=${enhanced_transforms.train_transform}'" },
    { "it's", "'it'\\''s'" },
    { "exp_name=\"it's\"", "'exp_name=\"it'\\''s\"'" },
    { "'", "''\\'''" },
    { "$HOME", "'$HOME'" },
    { "a b", "'a b'" },
    { "a\tb", "'a\tb'" },
    { "a\nb", "'a\nb'" },
    { "`x`", "'`x`'" },
    { "!", "'!'" },
    { "*", "'*'" },
    { "?", "'?'" },
    { "[a]", "'[a]'" },
    { "#x", "'#x'" },
    { "~", "'~'" },
    { "~/x", "'~/x'" },
    { "{a,b}", "'{a,b}'" },
    { "a\\b", "'a\\b'" },
    { "caf\xc3\xa9", "'caf\xc3\xa9'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *quoted = cb_shell_quote_word (cases[i].value);

      g_assert_cmpstr (quoted, ==, cases[i].expected);
    }
}

static void
test_shell_join_display (void)
{
  static const char * const argv[] = {
    "uv", "run", "python", "runners/train.py",
    "exp_name=\"my run\"",
    "model/architectures=dbnet",
    "transforms.train_transform=${enhanced_transforms.train_transform}",
    "exp_name=\"it's\"",
    NULL,
  };
  static const char * const assignment[] = { "FOO=bar", "a=b", NULL };
  static const char * const reserved[] = { "if", "then", NULL };
  static const char * const empty[] = { NULL };
  static const char * const one[] = { "uv", NULL };
  g_autofree char *joined = cb_shell_join (argv);
  g_autofree char *multiline = cb_shell_join_multiline (argv, 4);
  g_autofree char *short_multiline = cb_shell_join_multiline (argv + 5, 5);
  g_autofree char *zero_head = cb_shell_join_multiline (argv + 5, 0);
  g_autofree char *assignment_joined = cb_shell_join (assignment);
  g_autofree char *reserved_joined = cb_shell_join (reserved);
  g_autofree char *empty_joined = cb_shell_join (empty);
  g_autofree char *empty_multiline = cb_shell_join_multiline (empty, 2);
  g_autofree char *one_multiline = cb_shell_join_multiline (one, 2);

  g_assert_cmpstr (joined, ==,
                   "uv run python runners/train.py 'exp_name=\"my run\"' "
                   "model/architectures=dbnet "
                   "'transforms.train_transform=${enhanced_transforms.train_transform}' "
                   "'exp_name=\"it'\\''s\"'");
  g_assert_cmpstr (multiline, ==,
                   "uv run python runners/train.py \\\n"
                   "  'exp_name=\"my run\"' \\\n"
                   "  model/architectures=dbnet \\\n"
                   "  'transforms.train_transform=${enhanced_transforms.train_transform}' \\\n"
                   "  'exp_name=\"it'\\''s\"'");
  /* Not enough words for a second line; as the first word, the override is quoted. */
  g_assert_cmpstr (short_multiline, ==,
                   "'model/architectures=dbnet' "
                   "'transforms.train_transform=${enhanced_transforms.train_transform}' "
                   "'exp_name=\"it'\\''s\"'");
  /* A head of zero still keeps the first word on the first line. */
  g_assert_cmpstr (zero_head, ==,
                   "'model/architectures=dbnet' \\\n"
                   "  'transforms.train_transform=${enhanced_transforms.train_transform}' \\\n"
                   "  'exp_name=\"it'\\''s\"'");
  /* In command position "FOO=bar" would be an assignment and "if" a reserved word. */
  g_assert_cmpstr (assignment_joined, ==, "'FOO=bar' a=b");
  g_assert_cmpstr (reserved_joined, ==, "'if' then");
  g_assert_cmpstr (empty_joined, ==, "");
  g_assert_cmpstr (empty_multiline, ==, "");
  g_assert_cmpstr (one_multiline, ==, "uv");
}


/* Runs @script with @shell -c and returns its standard output, NULs included. */
static GBytes *
run_shell (const char *shell,
           const char *script,
           int        *exit_status)
{
  const char *argv[] = { shell, "-c", script, NULL };
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

static void
check_shell_round_trip (const char         *shell,
                        const char * const *argv,
                        const char         *joined)
{
  g_autofree char *script = g_strconcat ("printf '%s\\0' ", joined, NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GBytes) output = NULL;
  int status = -1;

  for (guint i = 0; argv[i] != NULL; i++)
    g_string_append_len (expected, argv[i], (gssize) strlen (argv[i]) + 1);

  output = run_shell (shell, script, &status);
  g_assert_cmpint (status, ==, 0);

  if (g_bytes_get_size (output) != expected->len ||
      memcmp (g_bytes_get_data (output, NULL), expected->str, expected->len) != 0)
    g_error ("%s -c did not give back argv; script:\n%s", shell, script);
}

static char **
random_argv (GRand *rand,
             guint *n_empty,
             guint *n_equal,
             guint *n_apostrophe)
{
  guint n = (guint) g_rand_int_range (rand, 1, 7);
  GPtrArray *words = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *a = random_value (rand, 5);
      g_autofree char *b = random_value (rand, 5);
      char *word;

      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0:
          word = g_strdup ("");
          break;
        case 1:
          word = g_strconcat (a, "=", b, NULL);
          break;
        case 2:
          word = g_strconcat (a, "'", b, NULL);
          break;
        case 3:
          word = cb_hydra_override ("exp_name", a, CB_VALUE_KIND_FREE_TEXT);
          break;
        default:
          word = g_strconcat (a, b, NULL);
          break;
        }

      if (*word == '\0')
        (*n_empty)++;
      if (strchr (word, '=') != NULL)
        (*n_equal)++;
      if (strchr (word, '\'') != NULL)
        (*n_apostrophe)++;
      g_ptr_array_add (words, word);
    }
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (words, FALSE);
}

static void
test_shell_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 2);
  gboolean have_bash = g_file_test ("/bin/bash", G_FILE_TEST_IS_EXECUTABLE);
  guint n_empty = 0;
  guint n_equal = 0;
  guint n_apostrophe = 0;

  for (guint i = 0; i < 300; i++)
    {
      g_auto(GStrv) argv = random_argv (rand, &n_empty, &n_equal, &n_apostrophe);
      const char * const *cargv = (const char * const *) argv;
      g_autofree char *joined = cb_shell_join (cargv);
      g_autofree char *multiline = cb_shell_join_multiline (cargv, 2);

      check_shell_round_trip ("/bin/sh", cargv, joined);
      check_shell_round_trip ("/bin/sh", cargv, multiline);

      if (have_bash && i < 60)
        {
          check_shell_round_trip ("/bin/bash", cargv, joined);
          check_shell_round_trip ("/bin/bash", cargv, multiline);
        }
    }

  g_assert_cmpuint (n_empty, >=, 20);
  g_assert_cmpuint (n_equal, >=, 100);
  g_assert_cmpuint (n_apostrophe, >=, 50);
}

/* argv[0] with '=' must run as a command named "FOO=bar" (not found: 127), not as an
 * assignment in front of "true" (exit 0). */
static void
test_shell_command_position (void)
{
  static const char * const assignment[] = { "FOO=bar", "true", NULL };
  static const char * const reserved[] = { "if", "true", NULL };
  g_autofree char *joined = cb_shell_join (assignment);
  g_autofree char *multiline = cb_shell_join_multiline (assignment, 1);
  g_autofree char *reserved_joined = cb_shell_join (reserved);
  g_autoptr(GBytes) out1 = NULL;
  g_autoptr(GBytes) out2 = NULL;
  g_autoptr(GBytes) out3 = NULL;
  g_autoptr(GBytes) control = NULL;
  int status = -1;

  /* The control shows that the shell tells the two readings apart. */
  control = run_shell ("/bin/sh", "FOO=bar true", &status);
  g_assert_cmpint (status, ==, 0);

  out1 = run_shell ("/bin/sh", joined, &status);
  g_assert_cmpint (status, ==, 127);
  out2 = run_shell ("/bin/sh", multiline, &status);
  g_assert_cmpint (status, ==, 127);
  out3 = run_shell ("/bin/sh", reserved_joined, &status);
  g_assert_cmpint (status, ==, 127);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/quote/decoder/reference", test_decoder_reference);
  g_test_add_func ("/quote/hydra/free-text-bare", test_free_text_bare);
  g_test_add_func ("/quote/hydra/free-text-quoted", test_free_text_quoted);
  g_test_add_func ("/quote/hydra/option", test_option_values);
  g_test_add_func ("/quote/hydra/override", test_override);
  g_test_add_func ("/quote/hydra/free-text-round-trip", test_free_text_round_trip);
  g_test_add_func ("/quote/hydra/option-round-trip", test_option_round_trip);
  g_test_add_func ("/quote/number/repr", test_number_repr);
  g_test_add_func ("/quote/number/repr-locale", test_number_repr_locale);
  g_test_add_func ("/quote/shell/quote-word", test_shell_quote_word);
  g_test_add_func ("/quote/shell/join-display", test_shell_join_display);
  g_test_add_func ("/quote/shell/round-trip", test_shell_round_trip);
  g_test_add_func ("/quote/shell/command-position", test_shell_command_position);

  return g_test_run ();
}
