/* test-yaml.c: tests for the read-only YAML tree (scalars, collections, anchors, positions,
 * lookups, display and errors)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-yaml"

#include "config.h"

#include "cb/cb-yaml.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------------------- */

static CbNode *
load (const char *yaml)
{
  g_autoptr(GError) error = NULL;
  CbNode *root = cb_yaml_load_data (yaml, strlen (yaml), "test.yaml", &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

/* The variant of @key's value as text with type annotations ("int64 4", "0.001", "'x'"),
 * or NULL when it has none. */
static char *
variant_text (const CbNode *root,
              const char   *key)
{
  g_autoptr(GVariant) value = cb_node_to_variant (cb_node_lookup (root, key));

  return value ? g_variant_print (value, TRUE) : NULL;
}

#define assert_variant(root, key, expected) \
  G_STMT_START { \
    g_autofree char *_text = variant_text (root, key); \
    g_assert_cmpstr (_text, ==, expected); \
  } G_STMT_END

static double
double_of (const CbNode *root,
           const char   *key)
{
  g_autoptr(GVariant) value = cb_node_to_variant (cb_node_lookup (root, key));

  g_assert_nonnull (value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE));
  return g_variant_get_double (value);
}

static void
assert_position (const CbNode *node,
                 guint         line,
                 guint         column)
{
  g_assert_nonnull (node);
  g_assert_cmpuint (cb_node_get_line (node), ==, line);
  g_assert_cmpuint (cb_node_get_column (node), ==, column);
}

static void
assert_syntax_error (const char *yaml,
                     const char *expected_prefix,
                     const char *phrase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) root = cb_yaml_load_data (yaml, strlen (yaml), "bad.yaml", &error);

  g_assert_null (root);
  g_assert_error (error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, expected_prefix));
  g_assert_nonnull (strstr (error->message, phrase));
}

/* ---- scalars ------------------------------------------------------------------------- */

static void
test_plain_and_quoted (void)
{
  g_autoptr(CbNode) root = load ("plain: hello world\n"
                                 "double: \"hello\\tworld\"\n"
                                 "single: 'it''s'\n"
                                 "quoted_true: 'true'\n"
                                 "quoted_number: \"32\"\n"
                                 "plain_number: 32\n"
                                 "literal: |\n"
                                 "  two\n"
                                 "  lines\n"
                                 "folded: >-\n"
                                 "  one\n"
                                 "  line\n");

  g_assert_cmpint (cb_node_get_node_type (root), ==, CB_NODE_MAPPING);
  g_assert_cmpstr (cb_node_lookup_string (root, "plain"), ==, "hello world");
  g_assert_false (cb_node_is_quoted (cb_node_lookup (root, "plain")));
  g_assert_cmpstr (cb_node_lookup_string (root, "double"), ==, "hello\tworld");
  g_assert_true (cb_node_is_quoted (cb_node_lookup (root, "double")));
  g_assert_cmpstr (cb_node_lookup_string (root, "single"), ==, "it's");
  g_assert_true (cb_node_is_quoted (cb_node_lookup (root, "single")));
  g_assert_cmpstr (cb_node_lookup_string (root, "literal"), ==, "two\nlines\n");
  g_assert_cmpstr (cb_node_lookup_string (root, "folded"), ==, "one line");

  /* Quoting keeps text as text. */
  assert_variant (root, "plain", "'hello world'");
  assert_variant (root, "quoted_true", "'true'");
  assert_variant (root, "quoted_number", "'32'");
  assert_variant (root, "plain_number", "int64 32");
  assert_variant (root, "literal", "'two\\nlines\\n'");

  g_assert_false (cb_node_is_quoted (root));
  g_assert_false (cb_node_is_quoted (NULL));
  g_assert_null (cb_node_get_scalar (root));
  g_assert_null (cb_node_get_scalar (NULL));
}

static void
test_null_forms (void)
{
  static const char * const null_keys[] = { "empty", "tilde", "lower", "title", "upper" };
  static const char * const not_null_keys[] = { "quoted_empty", "quoted_null", "nil", "none" };
  g_autoptr(CbNode) root = load ("empty:\n"
                                 "tilde: ~\n"
                                 "lower: null\n"
                                 "title: Null\n"
                                 "upper: NULL\n"
                                 "quoted_empty: \"\"\n"
                                 "quoted_null: 'null'\n"
                                 "nil: nil\n"
                                 "none: None\n");

  for (guint i = 0; i < G_N_ELEMENTS (null_keys); i++)
    {
      CbNode *node = cb_node_lookup (root, null_keys[i]);

      g_test_message ("%s", null_keys[i]);
      g_assert_nonnull (node);
      g_assert_cmpint (cb_node_get_node_type (node), ==, CB_NODE_SCALAR);
      g_assert_true (cb_node_is_null (node));
      g_assert_null (cb_node_to_variant (node));
      g_assert_null (cb_node_lookup_string (root, null_keys[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (not_null_keys); i++)
    {
      g_test_message ("%s", not_null_keys[i]);
      g_assert_false (cb_node_is_null (cb_node_lookup (root, not_null_keys[i])));
      g_assert_nonnull (cb_node_lookup_string (root, not_null_keys[i]));
    }
  assert_variant (root, "quoted_empty", "''");
  assert_variant (root, "quoted_null", "'null'");
  assert_variant (root, "none", "'None'");

  /* A missing node counts as null; a collection never does. */
  g_assert_true (cb_node_is_null (NULL));
  g_assert_true (cb_node_is_null (cb_node_lookup (root, "absent")));
  g_assert_false (cb_node_is_null (root));
}

static void
test_integers (void)
{
  g_autoptr(CbNode) root = load ("one: 1\n"
                                 "zero: 0\n"
                                 "negative: -5\n"
                                 "positive: +7\n"
                                 "thousand: 1_000\n"
                                 "million: 1_000_000\n"
                                 "max: 9223372036854775807\n"
                                 "min: -9223372036854775808\n"
                                 "suffix: 12abc\n"
                                 "only_underscore: _1\n"
                                 "quoted: \"42\"\n");

  assert_variant (root, "one", "int64 1");
  assert_variant (root, "zero", "int64 0");
  assert_variant (root, "negative", "int64 -5");
  assert_variant (root, "positive", "int64 7");
  assert_variant (root, "thousand", "int64 1000");
  assert_variant (root, "million", "int64 1000000");
  assert_variant (root, "max", "int64 9223372036854775807");
  assert_variant (root, "min", "int64 -9223372036854775808");
  assert_variant (root, "suffix", "'12abc'");
  assert_variant (root, "only_underscore", "'_1'");
  assert_variant (root, "quoted", "'42'");
  /* The text is kept as written. */
  g_assert_cmpstr (cb_node_lookup_string (root, "thousand"), ==, "1_000");
}

static void
test_floats (void)
{
  g_autoptr(CbNode) root = load ("lr: 1.0e-5\n"
                                 "upper_e: 1.0E+2\n"
                                 "decay: 0.0001\n"
                                 "clip: 5.0\n"
                                 "negative: -2.5\n"
                                 "leading_dot: .5\n"
                                 "inf: .inf\n"
                                 "inf_title: .Inf\n"
                                 "inf_plus: +.inf\n"
                                 "inf_minus: -.inf\n"
                                 "inf_upper: .INF\n"
                                 "nan: .nan\n"
                                 "version: 1.2.3\n"
                                 "word_inf: inf\n"
                                 "word_nan: nan\n"
                                 "exponent_only: e5\n"
                                 "dot: .\n"
                                 "hex: 0x1A\n");

  g_assert_cmpfloat (double_of (root, "lr"), ==, 1.0e-5);
  g_assert_cmpfloat (double_of (root, "upper_e"), ==, 100.0);
  g_assert_cmpfloat (double_of (root, "decay"), ==, 0.0001);
  assert_variant (root, "clip", "5.0");
  g_assert_cmpfloat (double_of (root, "negative"), ==, -2.5);
  g_assert_cmpfloat (double_of (root, "leading_dot"), ==, 0.5);
  g_assert_true (isinf (double_of (root, "inf")) && double_of (root, "inf") > 0);
  g_assert_true (isinf (double_of (root, "inf_title")) && double_of (root, "inf_title") > 0);
  g_assert_true (isinf (double_of (root, "inf_plus")) && double_of (root, "inf_plus") > 0);
  g_assert_true (isinf (double_of (root, "inf_minus")) && double_of (root, "inf_minus") < 0);
  g_assert_true (isinf (double_of (root, "inf_upper")));
  g_assert_true (isnan (double_of (root, "nan")));

  /* Things that only look like numbers stay text. */
  assert_variant (root, "version", "'1.2.3'");
  assert_variant (root, "word_inf", "'inf'");
  assert_variant (root, "word_nan", "'nan'");
  assert_variant (root, "exponent_only", "'e5'");
  assert_variant (root, "dot", "'.'");
  assert_variant (root, "hex", "'0x1A'");
}

static void
test_booleans (void)
{
  g_autoptr(CbNode) root = load ("a: true\n"
                                 "b: True\n"
                                 "c: TRUE\n"
                                 "d: false\n"
                                 "e: False\n"
                                 "f: FALSE\n"
                                 "g: \"true\"\n"
                                 "h: tRuE\n");

  assert_variant (root, "a", "true");
  assert_variant (root, "b", "true");
  assert_variant (root, "c", "true");
  assert_variant (root, "d", "false");
  assert_variant (root, "e", "false");
  assert_variant (root, "f", "false");
  assert_variant (root, "g", "'true'");
  assert_variant (root, "h", "'tRuE'");
}

/* ---- collections --------------------------------------------------------------------- */

static void
test_nested_mappings (void)
{
  g_autoptr(CbNode) root = load ("model:\n"
                                 "  encoder:\n"
                                 "    model_name: resnet18\n"
                                 "    pretrained: true\n"
                                 "  decoder: {name: unet, channels: 256}\n"
                                 "trainer:\n"
                                 "  max_epochs: 10\n");
  CbNode *model = cb_node_lookup (root, "model");
  CbNode *encoder;

  g_assert_cmpuint (cb_node_get_n_children (root), ==, 2);
  g_assert_cmpstr (cb_node_get_scalar (cb_node_get_key (root, 0)), ==, "model");
  g_assert_cmpstr (cb_node_get_scalar (cb_node_get_key (root, 1)), ==, "trainer");
  g_assert_true (cb_node_get_child (root, 0) == model);

  g_assert_cmpint (cb_node_get_node_type (model), ==, CB_NODE_MAPPING);
  g_assert_cmpuint (cb_node_get_n_children (model), ==, 2);
  encoder = cb_node_lookup (model, "encoder");
  g_assert_cmpuint (cb_node_get_n_children (encoder), ==, 2);
  g_assert_cmpstr (cb_node_lookup_string (encoder, "model_name"), ==, "resnet18");
  g_assert_cmpstr (cb_node_get_scalar (cb_node_get_key (encoder, 1)), ==, "pretrained");
  g_assert_cmpstr (cb_node_lookup_string (cb_node_lookup (model, "decoder"), "name"), ==, "unet");

  /* Lookups that find nothing. */
  g_assert_null (cb_node_lookup (root, "missing"));
  g_assert_null (cb_node_lookup (cb_node_lookup (encoder, "model_name"), "x"));
  g_assert_null (cb_node_lookup (NULL, "x"));
  g_assert_null (cb_node_lookup_string (root, "model"));
  g_assert_cmpuint (cb_node_get_n_children (cb_node_lookup (encoder, "model_name")), ==, 0);
  g_assert_cmpuint (cb_node_get_n_children (NULL), ==, 0);
}

static void
test_duplicate_keys (void)
{
  const char *yaml = "a: 1\nb: {c: 2, d: 3}\na: 3\n";
  const char *nested = "b: {c: 2, c: 3}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) root = NULL;
  g_autoptr(GString) many = g_string_new (NULL);

  /* Refused, as Hydra's loader (OmegaConf) refuses them: a lookup would find one value,
   * Hydra none. */
  root = cb_yaml_load_data (yaml, strlen (yaml), "test.yaml", &error);
  g_assert_null (root);
  g_assert_error (error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "test.yaml:3:1: duplicate key 'a' (first at line 1)");
  g_clear_error (&error);

  root = cb_yaml_load_data (nested, strlen (nested), "test.yaml", &error);
  g_assert_null (root);
  g_assert_cmpstr (error->message, ==, "test.yaml:1:11: duplicate key 'c' (first at line 1)");
  g_clear_error (&error);

  /* Past the first keys, through a table: the last of 1,000 repeats the 20th. */
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (many, "k%u: %u\n", i, i);
  g_string_append (many, "k19: again\n");
  root = cb_yaml_load_data (many->str, many->len, "test.yaml", &error);
  g_assert_null (root);
  g_assert_cmpstr (error->message, ==, "test.yaml:1001:1: duplicate key 'k19' (first at line 20)");
}

static void
test_sequences (void)
{
  g_autoptr(CbNode) root = load ("block:\n"
                                 "  - resnet18\n"
                                 "  - \"resnet34\"\n"
                                 "  -\n"
                                 "  - [1, 2]\n"
                                 "  - name: x\n"
                                 "    size: 2\n"
                                 "flow: [a, 'b c', {k: v}]\n"
                                 "empty: []\n"
                                 "top_level_list_of_lists:\n"
                                 "- - x\n"
                                 "  - y\n");
  CbNode *block = cb_node_lookup (root, "block");
  CbNode *flow = cb_node_lookup (root, "flow");
  CbNode *nested;

  g_assert_cmpint (cb_node_get_node_type (block), ==, CB_NODE_SEQUENCE);
  g_assert_cmpuint (cb_node_get_n_children (block), ==, 5);
  g_assert_cmpstr (cb_node_get_scalar (cb_node_get_child (block, 0)), ==, "resnet18");
  g_assert_true (cb_node_is_quoted (cb_node_get_child (block, 1)));
  g_assert_true (cb_node_is_null (cb_node_get_child (block, 2)));
  g_assert_cmpint (cb_node_get_node_type (cb_node_get_child (block, 3)), ==, CB_NODE_SEQUENCE);
  g_assert_cmpuint (cb_node_get_n_children (cb_node_get_child (block, 3)), ==, 2);
  g_assert_cmpstr (cb_node_lookup_string (cb_node_get_child (block, 4), "size"), ==, "2");

  g_assert_cmpuint (cb_node_get_n_children (flow), ==, 3);
  g_assert_cmpstr (cb_node_get_scalar (cb_node_get_child (flow, 1)), ==, "b c");
  g_assert_cmpstr (cb_node_lookup_string (cb_node_get_child (flow, 2), "k"), ==, "v");

  g_assert_cmpint (cb_node_get_node_type (cb_node_lookup (root, "empty")), ==, CB_NODE_SEQUENCE);
  g_assert_cmpuint (cb_node_get_n_children (cb_node_lookup (root, "empty")), ==, 0);

  nested = cb_node_get_child (cb_node_lookup (root, "top_level_list_of_lists"), 0);
  g_assert_cmpstr (cb_node_get_scalar (cb_node_get_child (nested, 1)), ==, "y");

  /* A sequence has no keys and is not a scalar. */
  g_assert_null (cb_node_lookup (block, "0"));
  g_assert_null (cb_node_to_variant (block));
  g_assert_null (cb_node_to_variant (root));
}

static void
test_anchors_and_aliases (void)
{
  g_autoptr(CbNode) root = load ("defaults: &defaults\n"
                                 "  lr: 0.001\n"
                                 "  betas: &betas [0.9, 0.999]\n"
                                 "adam: *defaults\n"
                                 "name: &name resnet18\n"
                                 "encoder: *name\n"
                                 "lists:\n"
                                 "  - *betas\n"
                                 "  - *name\n"
                                 "redefined: &name craft\n"
                                 "after: *name\n");
  CbNode *defaults = cb_node_lookup (root, "defaults");
  CbNode *adam = cb_node_lookup (root, "adam");
  g_autoptr(CbNode) kept = NULL;

  /* An alias is the anchored node itself, shared, with the anchored node's position (which
   * starts at its '&' anchor). */
  g_assert_true (adam == defaults);
  g_assert_cmpstr (cb_node_lookup_string (adam, "lr"), ==, "0.001");
  assert_position (adam, 1, 11);
  assert_position (cb_node_lookup (root, "encoder"), 5, 7);
  g_assert_true (cb_node_lookup (root, "encoder") == cb_node_lookup (root, "name"));
  g_assert_cmpstr (cb_node_lookup_string (root, "encoder"), ==, "resnet18");
  g_assert_true (cb_node_get_child (cb_node_lookup (root, "lists"), 0) ==
                 cb_node_lookup (defaults, "betas"));
  g_assert_cmpstr (cb_node_get_scalar (cb_node_get_child (cb_node_lookup (root, "lists"), 1)),
                   ==, "resnet18");
  /* A redefined anchor applies from there on. */
  g_assert_cmpstr (cb_node_lookup_string (root, "after"), ==, "craft");

  /* Shared nodes are reference counted: one outlives the tree. */
  kept = cb_node_ref (adam);
  g_clear_pointer (&root, cb_node_unref);
  g_assert_cmpstr (cb_node_lookup_string (kept, "lr"), ==, "0.001");
  g_assert_cmpuint (cb_node_get_n_children (cb_node_lookup (kept, "betas")), ==, 2);
}

static void
test_interpolations (void)
{
  g_autoptr(CbNode) root = load ("run_dir: ${hydra:runtime.cwd}/outputs/${exp_name}\n"
                                 "lr: ${model.optimizer.lr}\n"
                                 "home: \"${oc.env:HOME}\"\n"
                                 "nested: ${oc.select:a.b,${c}}\n"
                                 "list: [\"${x}\", '${y}']\n");

  g_assert_cmpstr (cb_node_lookup_string (root, "run_dir"), ==,
                   "${hydra:runtime.cwd}/outputs/${exp_name}");
  assert_variant (root, "lr", "'${model.optimizer.lr}'");
  assert_variant (root, "home", "'${oc.env:HOME}'");
  g_assert_cmpstr (cb_node_lookup_string (root, "nested"), ==, "${oc.select:a.b,${c}}");
  g_assert_cmpstr (cb_node_get_scalar (cb_node_get_child (cb_node_lookup (root, "list"), 1)), ==,
                   "${y}");
}

static void
test_package_comment (void)
{
  g_autoptr(CbNode) root = load ("# @package _global_\n"
                                 "# a second comment\n"
                                 "defaults:\n"
                                 "  - _self_  # trailing comment\n"
                                 "seed: 42 # the answer\n");

  g_assert_cmpuint (cb_node_get_n_children (root), ==, 2);
  g_assert_null (cb_node_lookup (root, "@package"));
  g_assert_null (cb_node_lookup (root, "_global_"));
  assert_position (cb_node_get_key (root, 0), 3, 1);
  g_assert_cmpstr (cb_node_get_scalar (cb_node_get_child (cb_node_lookup (root, "defaults"), 0)),
                   ==, "_self_");
  g_assert_cmpstr (cb_node_lookup_string (root, "seed"), ==, "42");
}

/* A config either wraps its content in a top-level key, or (with a @package line) does not. */
static void
test_top_level_key_or_not (void)
{
  g_autoptr(CbNode) with_key = load ("model:\n"
                                     "  encoder:\n"
                                     "    model_name: resnet18\n");
  g_autoptr(CbNode) without_key = load ("# @package model\n"
                                        "encoder:\n"
                                        "  model_name: resnet18\n");

  g_assert_cmpstr (cb_node_get_scalar (cb_node_lookup_path (with_key, "model.encoder.model_name")),
                   ==, "resnet18");
  g_assert_null (cb_node_lookup_path (with_key, "encoder.model_name"));
  g_assert_cmpstr (cb_node_get_scalar (cb_node_lookup_path (without_key, "encoder.model_name")),
                   ==, "resnet18");
  g_assert_null (cb_node_lookup_path (without_key, "model.encoder.model_name"));
  assert_position (cb_node_lookup_path (without_key, "encoder.model_name"), 3, 15);
}

static void
test_lookup_path (void)
{
  g_autoptr(CbNode) root = load ("a:\n"
                                 "  b:\n"
                                 "    c: deep\n"
                                 "    list: [x, y]\n"
                                 "  scalar: s\n"
                                 "  empty:\n"
                                 "learning_rate:\n"
                                 "  help: Step size.\n");

  g_assert_cmpstr (cb_node_get_scalar (cb_node_lookup_path (root, "a.b.c")), ==, "deep");
  g_assert_cmpstr (cb_node_get_scalar (cb_node_lookup_path (root, "learning_rate.help")), ==,
                   "Step size.");
  g_assert_true (cb_node_lookup_path (root, "a.b") == cb_node_lookup (cb_node_lookup (root, "a"),
                                                                       "b"));
  g_assert_true (cb_node_lookup_path (root, "a") == cb_node_lookup (root, "a"));
  g_assert_cmpint (cb_node_get_node_type (cb_node_lookup_path (root, "a.b.list")), ==,
                   CB_NODE_SEQUENCE);
  g_assert_true (cb_node_is_null (cb_node_lookup_path (root, "a.empty")));
  g_assert_nonnull (cb_node_lookup_path (root, "a.empty"));

  /* A missing segment, or one that walks into a scalar or a list, gives NULL. */
  g_assert_null (cb_node_lookup_path (root, "a.x.c"));
  g_assert_null (cb_node_lookup_path (root, "a.b.c.d"));
  g_assert_null (cb_node_lookup_path (root, "a.scalar.x"));
  g_assert_null (cb_node_lookup_path (root, "a.b.list.0"));
  g_assert_null (cb_node_lookup_path (root, "a..c"));
  g_assert_null (cb_node_lookup_path (root, "nope"));
  g_assert_null (cb_node_lookup_path (NULL, "a.b"));
}

/* ---- conversions --------------------------------------------------------------------- */

static void
test_to_strv (void)
{
  g_autoptr(CbNode) root = load ("scalar: resnet18\n"
                                 "number: 4\n"
                                 "null_value: ~\n"
                                 "list: [resnet18, ~, \"resnet34\", [nested], 7]\n"
                                 "map: {db_head: 1, dbpp_head: 2}\n"
                                 "empty_list: []\n");
  const char * const scalar[] = { "resnet18", NULL };
  const char * const number[] = { "4", NULL };
  const char * const list[] = { "resnet18", "resnet34", "7", NULL };
  const char * const map[] = { "db_head", "dbpp_head", NULL };
  g_auto(GStrv) a = cb_node_to_strv (cb_node_lookup (root, "scalar"));
  g_auto(GStrv) b = cb_node_to_strv (cb_node_lookup (root, "number"));
  g_auto(GStrv) c = cb_node_to_strv (cb_node_lookup (root, "null_value"));
  g_auto(GStrv) d = cb_node_to_strv (cb_node_lookup (root, "list"));
  g_auto(GStrv) e = cb_node_to_strv (cb_node_lookup (root, "map"));
  g_auto(GStrv) f = cb_node_to_strv (cb_node_lookup (root, "empty_list"));
  g_auto(GStrv) g = cb_node_to_strv (NULL);

  g_assert_true (g_strv_equal ((const char * const *) a, scalar));
  g_assert_true (g_strv_equal ((const char * const *) b, number));
  g_assert_nonnull (c);
  g_assert_cmpuint (g_strv_length (c), ==, 0);
  g_assert_true (g_strv_equal ((const char * const *) d, list));
  g_assert_true (g_strv_equal ((const char * const *) e, map));
  g_assert_cmpuint (g_strv_length (f), ==, 0);
  g_assert_nonnull (g);
  g_assert_cmpuint (g_strv_length (g), ==, 0);
}

static void
test_to_display (void)
{
  g_autoptr(CbNode) root = load ("scalar: \"A note with: a colon\"\n"
                                 "list: [resnet18, resnet34, resnet50]\n"
                                 "single: [only]\n"
                                 "components:\n"
                                 "  encoder: resnet18\n"
                                 "  decoder: unet\n"
                                 "  losses: [db_loss, bce]\n"
                                 "nested:\n"
                                 "  outer:\n"
                                 "    inner: 1\n"
                                 "  after: 2\n"
                                 "null_value:\n"
                                 "quoted_empty: \"\"\n");
  struct {
    const char *key;
    const char *expected;
  } cases[] = {
    { "scalar", "A note with: a colon" },
    { "list", "resnet18, resnet34, resnet50" },
    { "single", "only" },
    { "components", "encoder: resnet18\ndecoder: unet\nlosses: db_loss, bce" },
    { "nested", "outer:\n  inner: 1\nafter: 2" },
    { "null_value", "" },
    { "quoted_empty", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cb_node_to_display (cb_node_lookup (root, cases[i].key));

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  {
    g_autofree char *text = cb_node_to_display (NULL);

    g_assert_cmpstr (text, ==, "");
  }
}

/* ---- positions ----------------------------------------------------------------------- */

static void
test_positions (void)
{
  g_autoptr(CbNode) root = load ("# comment\n"
                                 "title: \"Train\"\n"
                                 "ui_elements:\n"
                                 "  - key: exp_name\n"
                                 "    type: text_input\n"
                                 "  - {key: wandb, type: checkbox}\n"
                                 "list:\n"
                                 "- a\n"
                                 "-   b\n");
  CbNode *elements = cb_node_lookup (root, "ui_elements");
  CbNode *first = cb_node_get_child (elements, 0);
  CbNode *second = cb_node_get_child (elements, 1);

  /* Every position is 1-based; the root mapping starts at its first key. */
  assert_position (root, 2, 1);
  assert_position (cb_node_get_key (root, 0), 2, 1);
  assert_position (cb_node_lookup (root, "title"), 2, 8);
  assert_position (elements, 4, 3);
  assert_position (first, 4, 5);
  assert_position (cb_node_get_key (first, 0), 4, 5);
  assert_position (cb_node_lookup (first, "key"), 4, 10);
  assert_position (cb_node_lookup (first, "type"), 5, 11);
  assert_position (second, 6, 5);
  assert_position (cb_node_lookup (second, "type"), 6, 24);
  assert_position (cb_node_lookup (root, "list"), 8, 1);
  assert_position (cb_node_get_child (cb_node_lookup (root, "list"), 0), 8, 3);
  assert_position (cb_node_get_child (cb_node_lookup (root, "list"), 1), 9, 5);
}

static void
test_positions_utf8 (void)
{
  /* Columns count characters, not bytes. */
  g_autoptr(CbNode) root = load ("help: \"\u26a0\ufe0f caution\"\n"
                                 "flow: {a: \u00e9\u00e9\u00e9, b: x}\n");

  assert_position (cb_node_lookup_path (root, "flow.a"), 2, 11);
  assert_position (cb_node_lookup_path (root, "flow.b"), 2, 19);
  g_assert_cmpstr (cb_node_lookup_string (root, "help"), ==, "\u26a0\ufe0f caution");
}

/* ---- errors and edge cases ----------------------------------------------------------- */

static void
test_syntax_errors (void)
{
  /* The wrong indentation of 'c' (line 3, column 2). */
  assert_syntax_error ("a:\n"
                       "  b: 1\n"
                       " c: 2\n",
                       "bad.yaml:3:2: ", "did not find expected key");
  /* A quote that is never closed: libyaml stops at the end of the input. */
  assert_syntax_error ("a: \"abc\n"
                       "b: 1\n",
                       "bad.yaml:3:1: ", "found unexpected end of stream");
  assert_syntax_error ("a: 'abc\n",
                       "bad.yaml:2:1: ", "while scanning a quoted scalar at line 1");
  /* A tab used for indentation. */
  assert_syntax_error ("a:\n"
                       "\tb: 1\n",
                       "bad.yaml:2:1: ", "found character that cannot start any token");
  assert_syntax_error ("a: 1\n"
                       "\tb: 2\n",
                       "bad.yaml:2:1: ", "tab character");
  /* An unclosed flow sequence. */
  assert_syntax_error ("a: [1, 2\n"
                       "b: 3\n",
                       "bad.yaml:2:2: ", "did not find expected ',' or ']'");
  assert_syntax_error ("a: b: c\n",
                       "bad.yaml:1:5: ", "mapping values are not allowed");
  /* Reader errors (bad UTF-8, control characters) also give a line and column. */
  assert_syntax_error ("a: 1\n"
                       "b: \xff\n",
                       "bad.yaml:2:4: ", "invalid leading UTF-8 octet");
  assert_syntax_error ("a: 1\n"
                       "b: \"\u00e9\001\"\n",
                       "bad.yaml:2:6: ", "control characters are not allowed");
}

static void
test_unknown_alias (void)
{
  assert_syntax_error ("a: 1\n"
                       "b: *nope\n",
                       "bad.yaml:2:4: ", "unknown alias 'nope'");
  /* An alias cannot point forward. */
  assert_syntax_error ("a: *later\n"
                       "b: &later 1\n",
                       "bad.yaml:1:4: ", "unknown alias 'later'");
}

static void
test_non_scalar_key (void)
{
  assert_syntax_error ("ok: 1\n"
                       "[a, b]: 2\n",
                       "bad.yaml:2:1: ", "a mapping key must be a plain value");
}

static void
test_empty_documents (void)
{
  static const char * const empties[] = { "", "\n\n", "# only a comment\n", "   \n# x\n" };

  for (guint i = 0; i < G_N_ELEMENTS (empties); i++)
    {
      g_autoptr(CbNode) root = load (empties[i]);

      g_assert_cmpint (cb_node_get_node_type (root), ==, CB_NODE_MAPPING);
      g_assert_cmpuint (cb_node_get_n_children (root), ==, 0);
      g_assert_null (cb_node_lookup (root, "anything"));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CbNode) root = cb_yaml_load_data (NULL, 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (cb_node_get_node_type (root), ==, CB_NODE_MAPPING);
    g_assert_cmpuint (cb_node_get_n_children (root), ==, 0);
  }
}

static void
test_other_roots (void)
{
  g_autoptr(CbNode) list = load ("- a\n- b\n");
  g_autoptr(CbNode) scalar = load ("just text\n");

  g_assert_cmpint (cb_node_get_node_type (list), ==, CB_NODE_SEQUENCE);
  g_assert_cmpuint (cb_node_get_n_children (list), ==, 2);
  g_assert_cmpint (cb_node_get_node_type (scalar), ==, CB_NODE_SCALAR);
  g_assert_cmpstr (cb_node_get_scalar (scalar), ==, "just text");
  g_assert_null (cb_node_lookup (scalar, "just"));
}

static void
test_data_length (void)
{
  /* Only @length bytes are read: the text need not be terminated there. */
  static const char text[] = "a: 1\nb: [unclosed";
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) root = cb_yaml_load_data (text, strlen ("a: 1\n"), "part.yaml", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (cb_node_get_n_children (root), ==, 1);
  g_assert_cmpstr (cb_node_lookup_string (root, "a"), ==, "1");
}

static void
test_load_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-yaml-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "good.yaml", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.yaml", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.yaml", NULL);
  g_autofree char *bad_prefix = g_strdup_printf ("%s:2:", bad);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) root = NULL;
  g_autoptr(CbNode) none = NULL;

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (good, "# @package _global_\nseed: 42\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "seed: 42\n  x: [\n", -1, NULL));

  root = cb_yaml_load_file (good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cb_node_lookup_string (root, "seed"), ==, "42");
  assert_position (cb_node_lookup (root, "seed"), 2, 7);

  /* A syntax error names the file itself. */
  none = cb_yaml_load_file (bad, &error);
  g_assert_null (none);
  g_assert_error (error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, bad_prefix));
  g_clear_error (&error);

  /* A missing file is an I/O error that names the path. */
  none = cb_yaml_load_file (missing, &error);
  g_assert_null (none);
  g_assert_error (error, CB_YAML_ERROR, CB_YAML_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_clear_error (&error);

  /* Without a GError the failure is still reported by NULL. */
  g_assert_null (cb_yaml_load_file (missing, NULL));

  g_assert_cmpint (g_remove (good), ==, 0);
  g_assert_cmpint (g_remove (bad), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_default_file_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) root = cb_yaml_load_data ("a: [", 4, NULL, &error);

  g_assert_null (root);
  g_assert_error (error, CB_YAML_ERROR, CB_YAML_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "<data>:"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yaml/scalar/plain-and-quoted", test_plain_and_quoted);
  g_test_add_func ("/yaml/scalar/null-forms", test_null_forms);
  g_test_add_func ("/yaml/scalar/integers", test_integers);
  g_test_add_func ("/yaml/scalar/floats", test_floats);
  g_test_add_func ("/yaml/scalar/booleans", test_booleans);
  g_test_add_func ("/yaml/nested-mappings", test_nested_mappings);
  g_test_add_func ("/yaml/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/yaml/sequences", test_sequences);
  g_test_add_func ("/yaml/anchors-and-aliases", test_anchors_and_aliases);
  g_test_add_func ("/yaml/interpolations", test_interpolations);
  g_test_add_func ("/yaml/package-comment", test_package_comment);
  g_test_add_func ("/yaml/top-level-key-or-not", test_top_level_key_or_not);
  g_test_add_func ("/yaml/lookup-path", test_lookup_path);
  g_test_add_func ("/yaml/to-strv", test_to_strv);
  g_test_add_func ("/yaml/to-display", test_to_display);
  g_test_add_func ("/yaml/positions", test_positions);
  g_test_add_func ("/yaml/positions-utf8", test_positions_utf8);
  g_test_add_func ("/yaml/error/syntax", test_syntax_errors);
  g_test_add_func ("/yaml/error/unknown-alias", test_unknown_alias);
  g_test_add_func ("/yaml/error/non-scalar-key", test_non_scalar_key);
  g_test_add_func ("/yaml/error/default-file-name", test_default_file_name);
  g_test_add_func ("/yaml/empty-documents", test_empty_documents);
  g_test_add_func ("/yaml/other-roots", test_other_roots);
  g_test_add_func ("/yaml/data-length", test_data_length);
  g_test_add_func ("/yaml/load-file", test_load_file);

  return g_test_run ();
}
