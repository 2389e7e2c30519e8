/* test-expr.c: tests for the visible_if / required_if expression language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-expr"

#include "config.h"

#include "cb/cb-expr.h"

#include <string.h>

/* The fields every evaluation test can see: name -> GVariant text, NULL for null. */
static const struct {
  const char *name;
  const char *value;
} field_table[] = {
  { "t", "true" },
  { "f", "false" },
  { "zero", "int64 0" },
  { "one", "int64 1" },
  { "four", "int64 4" },
  { "big", "int64 9223372036854775807" },
  { "count32", "int32 3" },
  { "zerof", "0.0" },
  { "onef", "1.0" },
  { "half", "0.5" },
  { "lr", "0.001" },
  { "empty", "''" },
  { "mode", "'fast'" },
  { "arch", "'craft'" },
  { "quoted", "'it\\'s \"q\"'" },
  { "back", "'a\\\\b'" },
  { "nul", NULL },
};

static GHashTable *fields;

typedef struct
{
  GPtrArray *looked_up; /* the names asked for, in order */
} LookupLog;

static void
variant_unref_nullable (gpointer data)
{
  if (data != NULL)
    g_variant_unref (data);
}

static void
fields_init (void)
{
  fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, variant_unref_nullable);

  for (guint i = 0; i < G_N_ELEMENTS (field_table); i++)
    {
      GVariant *value = NULL;

      if (field_table[i].value != NULL)
        {
          g_autoptr(GError) error = NULL;

          /* Returns a full, non-floating reference. */
          value = g_variant_parse (NULL, field_table[i].value, NULL, NULL, &error);
          g_assert_no_error (error);
        }
      g_hash_table_insert (fields, (gpointer) field_table[i].name, value);
    }
}

static gboolean
lookup_field (const char  *name,
              GVariant   **value,
              gpointer     user_data)
{
  LookupLog *log = user_data;
  gpointer found = NULL;

  if (log != NULL)
    g_ptr_array_add (log->looked_up, g_strdup (name));

  if (!g_hash_table_lookup_extended (fields, name, NULL, &found))
    return FALSE;

  *value = found;
  return TRUE;
}

static char *
join_log (LookupLog *log)
{
  g_ptr_array_add (log->looked_up, NULL);
  return g_strjoinv (",", (char **) log->looked_up->pdata);
}

/* Parses and evaluates @text, which must succeed, and checks the result.  The text is part
 * of the compared strings so that a failure names the expression. */
static void
assert_eval (const char *text,
             gboolean    expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = NULL;
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;
  guint offset = 0;
  gboolean result = !expected;

  expr = cb_expr_parse (text, &offset, &error);
  g_assert_no_error (error);
  g_assert_nonnull (expr);

  g_assert_true (cb_expr_evaluate (expr, lookup_field, NULL, &result, &error));
  g_assert_no_error (error);

  got = g_strdup_printf ("<%s> is %s", text, result ? "true" : "false");
  want = g_strdup_printf ("<%s> is %s", text, expected ? "true" : "false");
  g_assert_cmpstr (got, ==, want);
}

typedef struct
{
  const char *text;
  gboolean    expected;
} EvalCase;

static void
assert_eval_cases (const EvalCase *cases,
                   gsize           n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    assert_eval (cases[i].text, cases[i].expected);
}

static void
test_literals (void)
{
  static const EvalCase cases[] = {
    { "true", TRUE },
    { "True", TRUE },
    { "false", FALSE },
    { "False", FALSE },
    { "null", FALSE },
    { "None", FALSE },
    { "0", FALSE },
    { "1", TRUE },
    { "-1", TRUE },
    { "0.0", FALSE },
    { "-0.0", FALSE },
    { ".5", TRUE },
    { "5.", TRUE },
    { "1e-3", TRUE },
    { "0e0", FALSE },
    { "''", FALSE },
    { "\"\"", FALSE },
    { "'x'", TRUE },
    { "\"0\"", TRUE },
    { "\"false\"", TRUE },
  };

  assert_eval_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_field_truthiness (void)
{
  static const EvalCase cases[] = {
    { "t", TRUE },
    { "f", FALSE },
    { "zero", FALSE },
    { "one", TRUE },
    { "count32", TRUE },
    { "zerof", FALSE },
    { "half", TRUE },
    { "empty", FALSE },
    { "mode", TRUE },
    { "nul", FALSE },
  };

  assert_eval_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_strings (void)
{
  static const EvalCase cases[] = {
    { "mode == 'fast'", TRUE },
    { "mode == \"fast\"", TRUE },
    { "mode != 'fast'", FALSE },
    { "mode == 'Fast'", FALSE },
    { "mode == 'fast '", FALSE },
    { "'fast' == mode", TRUE },
    { "arch != \"craft\"", FALSE },
    { "f == false and arch != \"craft\"", FALSE },
    { "quoted == 'it\\'s \"q\"'", TRUE },
    { "quoted == \"it's \\\"q\\\"\"", TRUE },
    { "back == 'a\\\\b'", TRUE },
    { "back == \"a\\\\b\"", TRUE },
    { "back == 'ab'", FALSE },
    { "'\\n' == \"\\n\"", TRUE },
    { "'\\t' != 't'", TRUE },
    { "'\\r' != 'r'", TRUE },
    { "'a\tb' == 'a\\tb'", TRUE },
    { "'caf\xc3\xa9' == \"caf\xc3\xa9\"", TRUE },
  };

  assert_eval_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_numbers (void)
{
  static const EvalCase cases[] = {
    { "four == 4", TRUE },
    { "four == 4.0", TRUE },
    { "four != 4", FALSE },
    { "4 == 4.5", FALSE },
    { "one == onef", TRUE },
    { "count32 == 3.0", TRUE },
    { "half == .5", TRUE },
    { "half == 0.5", TRUE },
    { "half == 5e-1", TRUE },
    { "lr == 1e-3", TRUE },
    { "lr == 1E-3", TRUE },
    { "lr == 0.0010", TRUE },
    { "lr == 1e-4", FALSE },
    { "1 == 1.0", TRUE },
    { "5. == 5", TRUE },
    { "-1 == -1.0", TRUE },
    { "+1 == 1", TRUE },
    { "- -1 == 1", TRUE },
    { "0 == -0.0", TRUE },
    { "1000 == 1e3", TRUE },
    { "007 == 7", TRUE },
    /* int-float comparison is exact, as in Python */
    { "9007199254740993 == 9007199254740992.0", FALSE },
    { "9007199254740992 == 9007199254740992.0", TRUE },
    { "big == 9223372036854775807", TRUE },
    { "big == 9223372036854775808.0", FALSE },
    { "-9223372036854775807 == -9223372036854775807.0", FALSE },
  };

  assert_eval_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_bool_vs_number (void)
{
  static const EvalCase cases[] = {
    { "t == 1", TRUE },
    { "f == 0", TRUE },
    { "t == 1.0", TRUE },
    { "f == 0.0", TRUE },
    { "t == 2", FALSE },
    { "t != 2", TRUE },
    { "true == one", TRUE },
    { "false == zero", TRUE },
    { "True == 1 == 1.0", TRUE },
    { "t == 'true'", FALSE },
    { "f == ''", FALSE },
  };

  assert_eval_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_string_vs_number (void)
{
  static const EvalCase cases[] = {
    { "'1' == 1", FALSE },
    { "'1' != 1", TRUE },
    { "\"\" == 0", FALSE },
    { "mode == 4", FALSE },
    { "'1.0' == 1.0", FALSE },
  };

  assert_eval_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_null (void)
{
  static const EvalCase cases[] = {
    { "null == null", TRUE },
    { "None == null", TRUE },
    { "nul == null", TRUE },
    { "nul == None", TRUE },
    { "nul != null", FALSE },
    { "mode != null", TRUE },
    { "zero == null", FALSE },
    { "f == null", FALSE },
    { "empty == null", FALSE },
    { "null == 0", FALSE },
    { "null != false", TRUE },
    { "nul == ''", FALSE },
  };

  assert_eval_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_logic (void)
{
  static const EvalCase cases[] = {
    { "t and t", TRUE },
    { "t and f", FALSE },
    { "f and t", FALSE },
    { "f or t", TRUE },
    { "f or f", FALSE },
    { "not t", FALSE },
    { "not f", TRUE },
    { "not nul", TRUE },
    { "not zero", TRUE },
    { "not mode", FALSE },
    { "not not mode", TRUE },
    { "f or f or mode", TRUE },
    { "t and one and four", TRUE },
    { "t and one and zero", FALSE },
    /* "and"/"or" yield an operand, "not" yields a bool */
    { "(mode or f) == 'fast'", TRUE },
    { "(empty or mode) == 'fast'", TRUE },
    { "(zero and mode) == 0", TRUE },
    { "(empty and mode) == ''", TRUE },
    { "(empty and mode) == false", FALSE },
    { "(f or nul) == null", TRUE },
    { "(one and half) == 0.5", TRUE },
    { "(f or zero or empty) == ''", TRUE },
    { "(t and one and four) == 4", TRUE },
    { "(not mode) == false", TRUE },
    { "(not empty) == 1", TRUE },
    { "(not empty) == 'True'", FALSE },
    { "  t\n and\tone  ", TRUE },
  };

  assert_eval_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_precedence (void)
{
  static const EvalCase cases[] = {
    /* not binds looser than ==: not (mode == 'slow') */
    { "not mode == 'slow'", TRUE },
    { "(not mode) == 'slow'", FALSE },
    /* and binds tighter than or */
    { "t or f and f", TRUE },
    { "(t or f) and f", FALSE },
    { "f and f or t", TRUE },
    { "f and (f or t)", FALSE },
    /* not binds tighter than and */
    { "not f and f", FALSE },
    { "not (f and f)", TRUE },
    /* == binds tighter than and/or */
    { "one == 1 and zero == 0", TRUE },
    { "f == f or f", TRUE },
    { "zero == (f or zero)", TRUE },
    { "((((t))))", TRUE },
  };

  assert_eval_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_chained_comparison (void)
{
  static const EvalCase cases[] = {
    { "one == 1 == 1.0", TRUE },
    { "one == 1 != 2", TRUE },
    /* Python: (1 == 2) and (2 == False); not (1 == 2) == False */
    { "1 == 2 == false", FALSE },
    { "(1 == 2) == false", TRUE },
    { "1 != 2 != 1", TRUE },
    { "zero == zero == zero", TRUE },
    { "mode == 'fast' == mode", TRUE },
    { "one == (1 and zero) == 0", FALSE },
  };

  assert_eval_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_short_circuit (void)
{
  static const struct {
    const char *text;
    gboolean    expected;
    const char *looked_up;
  } cases[] = {
    { "f and missing", FALSE, "f" },
    { "t or missing", TRUE, "t" },
    { "mode or missing == 1", TRUE, "mode" },
    { "f and missing and also_missing", FALSE, "f" },
    { "zero == 1 == missing", FALSE, "zero" },
    { "zero or f or one or missing", TRUE, "zero,f,one" },
    { "one == 1 and four == 4", TRUE, "one,four" },
    { "not (t or missing)", FALSE, "t" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbExpr) expr = cb_expr_parse (cases[i].text, NULL, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      LookupLog log = { names };
      g_autofree char *joined = NULL;
      gboolean result = !cases[i].expected;

      g_assert_no_error (error);
      g_assert_true (cb_expr_evaluate (expr, lookup_field, &log, &result, &error));
      g_assert_no_error (error);
      g_assert_cmpint (result, ==, cases[i].expected);

      joined = join_log (&log);
      g_assert_cmpstr (joined, ==, cases[i].looked_up);
    }
}

static void
test_unknown_name (void)
{
  static const char *cases[] = {
    "missing",
    "not missing",
    "missing == 1",
    "t and missing",
    "f or missing",
    "one == 1 == missing",
    "mode == 'fast' and (missing or t)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbExpr) expr = cb_expr_parse (cases[i], NULL, &error);
      gboolean result = FALSE;

      g_assert_no_error (error);
      g_assert_false (cb_expr_evaluate (expr, lookup_field, NULL, &result, &error));
      g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_UNKNOWN_NAME);
      g_assert_nonnull (strstr (error->message, "'missing'"));
    }
}

static void
test_no_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) constant = cb_expr_parse ("1 == 1.0 and 'a' != 'b'", NULL, &error);
  g_autoptr(CbExpr) named = cb_expr_parse ("t", NULL, &error);
  gboolean result = FALSE;

  g_assert_no_error (error);

  /* Without a lookup function a constant expression still evaluates... */
  g_assert_true (cb_expr_evaluate (constant, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result);

  /* ...and every name is unknown. */
  g_assert_false (cb_expr_evaluate (named, NULL, NULL, &result, NULL));
  g_assert_false (cb_expr_evaluate (named, NULL, NULL, &result, &error));
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_UNKNOWN_NAME);
}

typedef struct
{
  const char *text;
  guint       offset;
  const char *message; /* a substring of the error message */
} SyntaxCase;

static void
assert_syntax_error (const SyntaxCase *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = NULL;
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;
  guint offset = G_MAXUINT;

  expr = cb_expr_parse (c->text, &offset, &error);
  if (expr != NULL)
    {
      g_autofree char *printed = cb_expr_to_string (expr);

      g_assert_cmpstr (printed, ==, "<a syntax error>");
    }
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);

  got = g_strdup_printf ("<%s> fails at %u", c->text, offset);
  want = g_strdup_printf ("<%s> fails at %u", c->text, c->offset);
  g_assert_cmpstr (got, ==, want);

  if (strstr (error->message, c->message) == NULL)
    g_assert_cmpstr (error->message, ==, c->message);
}

static void
test_syntax_errors (void)
{
  static const SyntaxCase cases[] = {
    { "", 0, "empty expression" },
    { "  \n ", 0, "empty expression" },
    { "a ==", 4, "expected a value after '=='" },
    { "a ==\n  b ==\n", 12, "expected a value after '=='" },
    { "(a == b", 7, "expected ')' after expression" },
    { "((a == b) or c", 14, "expected ')' after expression" },
    { "a = b", 2, "unexpected '=' (did you mean '=='?)" },
    { "\"abc", 0, "unterminated string" },
    { "a == 'x", 5, "unterminated string" },
    { "\"abc\\", 0, "unterminated string" },
    { "\"abc\\\"", 0, "unterminated string" },
    { "'ab\ncd'", 0, "unterminated string" },
    { "'a\\qb'", 2, "unknown escape sequence" },
    { "a == b c", 7, "unexpected 'c' after a complete expression" },
    { "true false", 5, "unexpected 'false'" },
    { "and a", 0, "expected a value, found 'and'" },
    { "a and", 5, "expected a value after 'and'" },
    { "a or", 4, "expected a value after 'or'" },
    { "a\tor", 4, "expected a value after 'or'" },
    { "not", 3, "expected a value after 'not'" },
    { "not not", 7, "expected a value after 'not'" },
    { "a < b", 2, "operator '<' is not supported" },
    { "a >= 1", 2, "operator '>=' is not supported" },
    { "!a", 0, "did you mean 'not'" },
    { "a && b", 2, "did you mean 'and'" },
    { "a || b", 2, "did you mean 'or'" },
    { ")", 0, "expected a value, found ')'" },
    { "()", 1, "expected a value, found ')'" },
    { "a)", 1, "unmatched ')'" },
    { "(a or b))", 8, "unmatched ')'" },
    { "a == == b", 5, "expected a value, found '=='" },
    { "a == not b", 5, "in parentheses" },
    { "a == -b", 5, "'-' can only be applied to a number" },
    { "a == -'x'", 5, "'-' can only be applied to a number" },
    { "a == -", 6, "expected a value after '-'" },
    { "1e", 0, "exponent" },
    { "x == 1e+", 5, "exponent" },
    { "x == 1.2.3", 5, "invalid number '1.2.3'" },
    { "12abc", 0, "invalid number '12abc'" },
    { "x == 0x10", 5, "invalid number '0x10'" },
    { "99999999999999999999", 0, "too large" },
    { "1e999", 0, "out of range" },
    { "a.b", 1, "unexpected character '.'" },
    { "a @ b", 2, "unexpected character '@'" },
    { "a == \xc3\xa9", 5, "unexpected character '\xc3\xa9'" },
    { "a == 'ok' \xff", 10, "invalid UTF-8" },
    { "a is None", 2, "'is' is not supported" },
    { "a in b", 2, "'in' is not supported" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_syntax_error (&cases[i]);
}

static void
test_nesting_limit (void)
{
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GString) parens = g_string_new (NULL);
  g_autoptr(GString) nots = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = NULL;
  guint offset = 0;

  /* 100 levels are fine... */
  for (guint i = 0; i < 100; i++)
    g_string_append_c (ok, '(');
  g_string_append (ok, "t");
  for (guint i = 0; i < 100; i++)
    g_string_append_c (ok, ')');
  expr = cb_expr_parse (ok->str, &offset, &error);
  g_assert_no_error (error);
  g_assert_nonnull (expr);

  /* ...101 are not, and the error points at the 101st '(' */
  g_string_prepend_c (ok, '(');
  g_string_append_c (ok, ')');
  g_assert_null (cb_expr_parse (ok->str, &offset, &error));
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);
  g_assert_cmpuint (offset, ==, 100);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
  g_clear_error (&error);

  /* A very deep input fails cleanly instead of exhausting the stack. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (parens, '(');
  g_assert_null (cb_expr_parse (parens->str, &offset, &error));
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);
  g_assert_cmpuint (offset, ==, 100);
  g_clear_error (&error);

  for (guint i = 0; i < 101; i++)
    g_string_append (nots, "not ");
  g_string_append (nots, "t");
  g_assert_null (cb_expr_parse (nots->str, &offset, &error));
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);
  g_assert_cmpuint (offset, ==, 400);
}

static void
test_error_out_params (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = NULL;
  guint offset = 4242;

  /* Both out parameters are optional. */
  g_assert_null (cb_expr_parse ("a ==", NULL, NULL));
  g_assert_null (cb_expr_parse ("a ==", &offset, NULL));
  g_assert_cmpuint (offset, ==, 4);
  g_assert_null (cb_expr_parse ("(a", NULL, &error));
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);

  /* Success leaves the offset alone. */
  offset = 4242;
  expr = cb_expr_parse ("a == b", &offset, NULL);
  g_assert_nonnull (expr);
  g_assert_cmpuint (offset, ==, 4242);
}

static void
test_preconditions (void)
{
  g_autoptr(CbExpr) expr = cb_expr_parse ("t", NULL, NULL);
  gboolean result = FALSE;

  g_test_expect_message ("cb-expr", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  g_assert_null (cb_expr_parse (NULL, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("cb-expr", G_LOG_LEVEL_CRITICAL, "*result != NULL*");
  g_assert_false (cb_expr_evaluate (expr, lookup_field, NULL, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("cb-expr", G_LOG_LEVEL_CRITICAL, "*expr != NULL*");
  g_assert_false (cb_expr_evaluate (NULL, lookup_field, NULL, &result, NULL));
  g_test_assert_expected_messages ();

  /* Freeing NULL is allowed. */
  cb_expr_free (NULL);
}

static void
collect_name_cb (const char *name,
                 guint       offset,
                 gpointer    user_data)
{
  GString *out = user_data;

  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append_printf (out, "%s@%u", name, offset);
}

static void
test_foreach_name (void)
{
  static const struct {
    const char *text;
    const char *names;
  } cases[] = {
    { "a == 1 or not (bb != \"x y\" and a)\n  or c_3 == \"d\"", "a@0 bb@15 a@31 c_3@39" },
    { "resume_training == false and architecture != \"craft\"",
      "resume_training@0 architecture@29" },
    { "  _x", "_x@2" },
    /* keywords, literal names and string contents are not field names */
    { "True or None or not false or 'mode' == null", "" },
    { "x == -1 == (y)", "x@0 y@12" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbExpr) expr = cb_expr_parse (cases[i].text, NULL, &error);
      g_autoptr(GString) out = g_string_new (NULL);

      g_assert_no_error (error);
      cb_expr_foreach_name (expr, collect_name_cb, out);
      g_assert_cmpstr (out->str, ==, cases[i].names);
    }
}

static void
test_to_string (void)
{
  static const struct {
    const char *text;
    const char *printed;
  } cases[] = {
    { "resume_training == true", "resume_training == true" },
    { "resume_training", "resume_training" },
    { "a or b and c", "a or b and c" },
    { "(a or b) and c", "(a or b) and c" },
    { "a and b or c", "a and b or c" },
    { "not a == b", "not a == b" },
    { "not not a", "not not a" },
    { "not a and b", "not a and b" },
    { "a or (b or c)", "a or (b or c)" },
    { "not (a and b)", "not (a and b)" },
    { "(not a) == b", "(not a) == b" },
    { "a and b and c", "a and b and c" },
    { "a and (b and c)", "a and (b and c)" },
    { "a == b == c", "a == b == c" },
    { "a == b != c", "a == b != c" },
    { "(a == b) == c", "(a == b) == c" },
    { "((a))", "a" },
    { "x != None", "x != null" },
    { "True or False", "true or false" },
    { "mode == 'fast'", "mode == \"fast\"" },
    { "s == 'it\\'s \"q\"'", "s == \"it's \\\"q\\\"\"" },
    { "s == 'a\\\\b\\n\\t\\r'", "s == \"a\\\\b\\n\\t\\r\"" },
    { "n == 1e-3", "n == 0.001" },
    { "n == .5", "n == 0.5" },
    { "n == 5.", "n == 5.0" },
    { "n == 0.1", "n == 0.1" },
    { "n == 1E3", "n == 1e+03" },
    { "n == 2.5e-10", "n == 2.5e-10" },
    { "n == -4", "n == -4" },
    { "n == - -4", "n == 4" },
    { "n == +2.5", "n == 2.5" },
    { "n == -0.0", "n == -0.0" },
    { "n == 007", "n == 7" },
    { "n == 9223372036854775807", "n == 9223372036854775807" },
    { "\ta\n==\n1", "a == 1" },
  };

  /* Found by tests/fuzz/fuzz-expr: a chain of "not" near the depth limit printed with a
   * parenthesis per level, twice as deep, which the parser then refused. */
  {
    g_autoptr(GString) chain = g_string_new (NULL);
    g_autoptr(CbExpr) deep = NULL;
    g_autoptr(CbExpr) reparsed = NULL;
    g_autofree char *printed = NULL;
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 99; i++)
      g_string_append (chain, "not\n");
    g_string_append (chain, "x");
    deep = cb_expr_parse (chain->str, NULL, &error);
    g_assert_no_error (error);
    printed = cb_expr_to_string (deep);
    reparsed = cb_expr_parse (printed, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (reparsed);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbExpr) expr = cb_expr_parse (cases[i].text, NULL, &error);
      g_autoptr(CbExpr) again = NULL;
      g_autofree char *printed = NULL;
      g_autofree char *reprinted = NULL;

      g_assert_no_error (error);
      printed = cb_expr_to_string (expr);
      g_assert_cmpstr (printed, ==, cases[i].printed);

      /* The printed form parses back to the same expression. */
      again = cb_expr_parse (printed, NULL, &error);
      g_assert_no_error (error);
      reprinted = cb_expr_to_string (again);
      g_assert_cmpstr (reprinted, ==, printed);
    }
}

static void
test_reuse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = cb_expr_parse ("mode == 'fast' and not (one == 2)", NULL, &error);

  g_assert_no_error (error);

  /* Parsed once, evaluated many times, with the same answer each time. */
  for (guint i = 0; i < 3; i++)
    {
      gboolean result = FALSE;

      g_assert_true (cb_expr_evaluate (expr, lookup_field, NULL, &result, &error));
      g_assert_no_error (error);
      g_assert_true (result);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  fields_init ();

  g_test_add_func ("/expr/literals", test_literals);
  g_test_add_func ("/expr/field-truthiness", test_field_truthiness);
  g_test_add_func ("/expr/strings", test_strings);
  g_test_add_func ("/expr/numbers", test_numbers);
  g_test_add_func ("/expr/bool-vs-number", test_bool_vs_number);
  g_test_add_func ("/expr/string-vs-number", test_string_vs_number);
  g_test_add_func ("/expr/null", test_null);
  g_test_add_func ("/expr/logic", test_logic);
  g_test_add_func ("/expr/precedence", test_precedence);
  g_test_add_func ("/expr/chained-comparison", test_chained_comparison);
  g_test_add_func ("/expr/short-circuit", test_short_circuit);
  g_test_add_func ("/expr/unknown-name", test_unknown_name);
  g_test_add_func ("/expr/no-lookup", test_no_lookup);
  g_test_add_func ("/expr/syntax-errors", test_syntax_errors);
  g_test_add_func ("/expr/nesting-limit", test_nesting_limit);
  g_test_add_func ("/expr/error-out-params", test_error_out_params);
  g_test_add_func ("/expr/preconditions", test_preconditions);
  g_test_add_func ("/expr/foreach-name", test_foreach_name);
  g_test_add_func ("/expr/to-string", test_to_string);
  g_test_add_func ("/expr/reuse", test_reuse);

  ret = g_test_run ();

  g_clear_pointer (&fields, g_hash_table_unref);

  return ret;
}
