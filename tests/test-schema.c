/* test-schema.c: tests for page schemas (field attributes, our schemas, the original's
 * schemas, and every way a schema is rejected)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-schema"

#include "config.h"

#include "cb/cb-expr.h"
#include "cb/cb-problem.h"
#include "cb/cb-schema.h"

#include <glib/gstdio.h>
#include <string.h>

/* Inline schemas start with these two lines, so their first field is on line 3, column 5. */
#define HEAD "title: Inline\nui_elements:\n"
/* A checkbox 'r' on lines 3-4, for expressions to name; the next field starts on line 5. */
#define FIELD_R "  - key: r\n    type: checkbox\n"

/* ---- helpers ------------------------------------------------------------------------- */

static CbSchema *
load_inline (const char *yaml)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  CbSchema *schema;

  schema = cb_schema_load_data (yaml, strlen (yaml), "inline.yaml", problems, &error);
  if (problems->len > 0)
    {
      g_autofree char *text = cb_problem_list_to_string (problems);

      g_test_message ("unexpected problems:\n%s", text);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_nonnull (schema);

  return schema;
}

static const CbField *
field_of (const CbSchema *schema,
          const char     *key)
{
  int index = cb_schema_find_field (schema, key);

  g_assert_cmpint (index, >=, 0);
  return cb_schema_get_field (schema, (guint) index);
}

/* The default as GVariant text with type annotations ("int64 4", "0.001", "'32'", "false"),
 * or NULL when the field has none. */
static char *
default_text (const CbField *field)
{
  if (field->default_value == NULL)
    return NULL;
  return g_variant_print (field->default_value, TRUE);
}

#define assert_default(field, expected) \
  G_STMT_START { \
    g_autofree char *_text = default_text (field); \
    g_assert_cmpstr (_text, ==, expected); \
  } G_STMT_END

static void
assert_strv (const char * const *actual,
             const char * const *expected)
{
  g_autofree char *a = actual ? g_strjoinv ("|", (char **) actual) : NULL;
  g_autofree char *e = expected ? g_strjoinv ("|", (char **) expected) : NULL;

  g_assert_cmpstr (a, ==, e);
  if (actual != NULL && expected != NULL)
    g_assert_cmpuint (g_strv_length ((char **) actual), ==, g_strv_length ((char **) expected));
}

/* Evaluates an expression with one boolean field 'r'. */
static gboolean
lookup_r (const char  *name,
          GVariant   **value,
          gpointer     user_data)
{
  if (!g_str_equal (name, "r"))
    return FALSE;
  *value = user_data;
  return TRUE;
}

static gboolean
eval_with_r (CbExpr   *expr,
             gboolean  r)
{
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_boolean (r));
  g_autoptr(GError) error = NULL;
  gboolean result = FALSE;

  g_assert_true (cb_expr_evaluate (expr, lookup_r, value, &result, &error));
  g_assert_no_error (error);
  return result;
}

/* Asserts the general defaults of every attribute not under test. */
static void
assert_plain_field (const CbField *field)
{
  g_assert_null (field->options);
  g_assert_cmpuint (field->n_options, ==, 0);
  g_assert_false (field->options_labelled);
  g_assert_null (field->options_source);
  g_assert_null (field->visible_if_text);
  g_assert_null (field->visible_if);
  g_assert_false (field->required);
  g_assert_null (field->required_if_text);
  g_assert_null (field->required_if);
  g_assert_cmpint (field->min_length, ==, -1);
  g_assert_false (field->has_min);
  g_assert_false (field->has_max);
  g_assert_false (field->has_range);
  g_assert_cmpstr (field->architecture_key, ==, "architecture");
  g_assert_null (field->architecture_fallback);
  g_assert_null (field->options_metadata_key);
  g_assert_null (field->filter_by_architecture_key);
  g_assert_null (field->metadata_default_key);
  g_assert_null (field->metadata_help_key);
  g_assert_null (field->metadata_info_key);
  g_assert_cmpstr (field->info_template, ==, "{value}");
  g_assert_cmpstr (field->info_fallback, ==, "No metadata available.");
  g_assert_cmpstr (field->optimizer_key, ==, "optimizer");
  g_assert_null (field->optimizer_fallback);
  g_assert_null (field->optimizer_metadata_key);
  g_assert_null (field->optimizer_help_key);
  g_assert_false (field->has_min_value);
  g_assert_false (field->has_max_value);
  g_assert_false (field->has_step);
  g_assert_null (field->format);
}

/* ---- every field type and attribute ------------------------------------------------- */

static void
test_text_input (void)
{
  static const char yaml[] =
    HEAD
    "  - key: exp_name\n"
    "    type: text_input\n"
    "    label: Experiment Name\n"
    "    default: \"ocr_training\"\n"
    "    help: 'A unique name for this experiment.'\n"
    "    hydra_override: exp_name\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *field;
  const char * const override[] = { "exp_name", NULL };

  g_assert_cmpuint (cb_schema_get_n_fields (schema), ==, 1);
  field = cb_schema_get_field (schema, 0);
  g_assert_cmpstr (field->key, ==, "exp_name");
  g_assert_cmpint (field->type, ==, CB_FIELD_TEXT_INPUT);
  g_assert_cmpstr (field->label, ==, "Experiment Name");
  g_assert_cmpstr (field->help, ==, "A unique name for this experiment.");
  assert_default (field, "'ocr_training'");
  assert_strv ((const char * const *) field->hydra_override, override);
  g_assert_cmpuint (field->line, ==, 3);
  g_assert_cmpuint (field->column, ==, 5);
  assert_plain_field (field);
}

static void
test_label_fallback (void)
{
  static const char yaml[] =
    HEAD
    "  - key: no_label\n"
    "    type: text_input\n"
    "  - key: empty_label\n"
    "    type: text_input\n"
    "    label: \"\"\n"
    "    help: \"\"\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);

  g_assert_cmpstr (field_of (schema, "no_label")->label, ==, "no_label");
  g_assert_cmpstr (field_of (schema, "empty_label")->label, ==, "empty_label");
  g_assert_null (field_of (schema, "no_label")->help);
  g_assert_null (field_of (schema, "empty_label")->help);
  g_assert_null (field_of (schema, "no_label")->default_value);
  g_assert_null (field_of (schema, "no_label")->hydra_override);
}

static void
test_number_input (void)
{
  static const char yaml[] =
    HEAD
    "  - key: seed\n"
    "    type: number_input\n"
    "    label: Random Seed\n"
    "    default: 42\n"
    "    min_value: 0\n"
    "    hydra_override: seed\n"
    "  - key: ratio\n"
    "    type: number_input\n"
    "    default: 0.5\n"
    "    min_value: -1\n"
    "    max_value: 1\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *seed = field_of (schema, "seed");
  const CbField *ratio = field_of (schema, "ratio");

  g_assert_cmpint (seed->type, ==, CB_FIELD_NUMBER_INPUT);
  assert_default (seed, "int64 42");
  g_assert_true (seed->has_min_value);
  g_assert_cmpfloat (seed->min_value, ==, 0);
  g_assert_false (seed->has_max_value);
  g_assert_false (seed->has_step);
  g_assert_true (seed->integral);

  assert_default (ratio, "0.5");
  g_assert_true (ratio->has_min_value);
  g_assert_cmpfloat (ratio->min_value, ==, -1);
  g_assert_true (ratio->has_max_value);
  g_assert_cmpfloat (ratio->max_value, ==, 1);
  g_assert_false (ratio->integral);
  g_assert_cmpuint (ratio->line, ==, 9);
}

static void
test_checkbox (void)
{
  static const char yaml[] =
    HEAD
    "  - key: off_plain\n"
    "    type: checkbox\n"
    "    default: false\n"
    "    hydra_override: logger.wandb.enabled\n"
    "  - key: on_plain\n"
    "    type: checkbox\n"
    "    default: true\n"
    "  - key: on_capital\n"
    "    type: checkbox\n"
    "    default: True\n"
    "  - key: unset\n"
    "    type: checkbox\n"
    "  - key: null_default\n"
    "    type: checkbox\n"
    "    default: ~\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const char * const override[] = { "logger.wandb.enabled", NULL };

  g_assert_cmpint (field_of (schema, "off_plain")->type, ==, CB_FIELD_CHECKBOX);
  assert_default (field_of (schema, "off_plain"), "false");
  assert_strv ((const char * const *) field_of (schema, "off_plain")->hydra_override, override);
  assert_default (field_of (schema, "on_plain"), "true");
  assert_default (field_of (schema, "on_capital"), "true");
  assert_default (field_of (schema, "unset"), NULL);
  assert_default (field_of (schema, "null_default"), NULL);
}

static void
test_slider_float (void)
{
  static const char yaml[] =
    HEAD
    "  - key: learning_rate\n"
    "    type: slider\n"
    "    label: \"Learning Rate\"\n"
    "    default: 1.0e-3\n"
    "    min_value: 1.0e-5\n"
    "    max_value: 1.0e-2\n"
    "    step: 1.0e-5\n"
    "    format: \"%.1e\"\n"
    "    hydra_override: model.optimizer.lr\n"
    "  - key: gradient_clip_val\n"
    "    type: slider\n"
    "    default: 5.0\n"
    "    min_value: 0.0\n"
    "    max_value: 10.0\n"
    "    step: 0.5\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *lr = field_of (schema, "learning_rate");
  const CbField *clip = field_of (schema, "gradient_clip_val");

  g_assert_cmpint (lr->type, ==, CB_FIELD_SLIDER);
  assert_default (lr, "0.001");
  g_assert_true (lr->has_min_value);
  g_assert_cmpfloat_with_epsilon (lr->min_value, 1.0e-5, 1e-12);
  g_assert_true (lr->has_max_value);
  g_assert_cmpfloat_with_epsilon (lr->max_value, 1.0e-2, 1e-12);
  g_assert_true (lr->has_step);
  g_assert_cmpfloat_with_epsilon (lr->step, 1.0e-5, 1e-12);
  g_assert_cmpstr (lr->format, ==, "%.1e");
  g_assert_false (lr->integral);

  /* 5.0 is a float even though it is a whole number. */
  assert_default (clip, "5.0");
  g_assert_cmpfloat (clip->min_value, ==, 0.0);
  g_assert_cmpfloat (clip->max_value, ==, 10.0);
  g_assert_cmpfloat (clip->step, ==, 0.5);
  g_assert_null (clip->format);
  g_assert_false (clip->integral);
}

static void
test_slider_integral (void)
{
  static const char yaml[] =
    HEAD
    "  - key: batch_size\n"
    "    type: slider\n"
    "    default: 4\n"
    "    min_value: 1\n"
    "    max_value: 64\n"
    "    step: 1\n"
    "  - key: no_default\n"
    "    type: slider\n"
    "    min_value: 1\n"
    "    max_value: 16\n"
    "  - key: float_default\n"
    "    type: slider\n"
    "    default: 2.5\n"
    "    min_value: 1\n"
    "    max_value: 16\n"
    "    step: 1\n"
    "  - key: float_step\n"
    "    type: slider\n"
    "    default: 2\n"
    "    min_value: 1\n"
    "    max_value: 16\n"
    "    step: 0.5\n"
    "  - key: float_max\n"
    "    type: slider\n"
    "    min_value: 0\n"
    "    max_value: 1.0\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *batch = field_of (schema, "batch_size");

  assert_default (batch, "int64 4");
  g_assert_cmpfloat (batch->min_value, ==, 1);
  g_assert_cmpfloat (batch->max_value, ==, 64);
  g_assert_cmpfloat (batch->step, ==, 1);
  g_assert_true (batch->integral);

  g_assert_true (field_of (schema, "no_default")->integral);
  g_assert_false (field_of (schema, "no_default")->has_step);
  assert_default (field_of (schema, "no_default"), NULL);

  g_assert_false (field_of (schema, "float_default")->integral);
  assert_default (field_of (schema, "float_default"), "2.5");
  g_assert_false (field_of (schema, "float_step")->integral);
  assert_default (field_of (schema, "float_step"), "int64 2");
  g_assert_false (field_of (schema, "float_max")->integral);
}

static void
test_selectbox_plain_options (void)
{
  static const char yaml[] =
    HEAD
    "  - key: precision\n"
    "    type: selectbox\n"
    "    label: Trainer Precision\n"
    "    default: 32\n"
    "    options: [\"32\", bf16, 'bf16-mixed', 16-mixed]\n"
    "    hydra_override: trainer.precision\n"
    "  - key: quoted_default\n"
    "    type: selectbox\n"
    "    default: \"32\"\n"
    "    options:\n"
    "      - 32\n"
    "      - 64\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *field = field_of (schema, "precision");
  const CbField *quoted = field_of (schema, "quoted_default");
  static const char * const values[] = { "32", "bf16", "bf16-mixed", "16-mixed" };

  g_assert_cmpint (field->type, ==, CB_FIELD_SELECTBOX);
  /* A select's default is a string, even when written as a plain number. */
  assert_default (field, "'32'");
  g_assert_cmpuint (field->n_options, ==, G_N_ELEMENTS (values));
  g_assert_false (field->options_labelled);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_assert_cmpstr (field->options[i].value, ==, values[i]);
      g_assert_cmpstr (field->options[i].label, ==, values[i]);
    }
  g_assert_null (field->options_source);

  assert_default (quoted, "'32'");
  g_assert_cmpuint (quoted->n_options, ==, 2);
  g_assert_cmpstr (quoted->options[0].value, ==, "32");
  g_assert_cmpstr (quoted->options[1].value, ==, "64");
}

static void
test_selectbox_labelled_options (void)
{
  static const char yaml[] =
    HEAD
    "  - key: preprocessing_profile\n"
    "    type: selectbox\n"
    "    default: none\n"
    "    options:\n"
    "      - {label: \"None (standard transforms)\", value: none}\n"
    "      - label: Lens-style (balanced)\n"
    "        value: \"lens_style\"\n"
    "      - value: camscanner\n"
    "      - {value: 32, label: 'Thirty-two'}\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *field = field_of (schema, "preprocessing_profile");

  assert_default (field, "'none'");
  g_assert_true (field->options_labelled);
  g_assert_cmpuint (field->n_options, ==, 4);
  g_assert_cmpstr (field->options[0].label, ==, "None (standard transforms)");
  g_assert_cmpstr (field->options[0].value, ==, "none");
  g_assert_cmpstr (field->options[1].label, ==, "Lens-style (balanced)");
  g_assert_cmpstr (field->options[1].value, ==, "lens_style");
  /* A mapping without a label shows its value. */
  g_assert_cmpstr (field->options[2].label, ==, "camscanner");
  g_assert_cmpstr (field->options[2].value, ==, "camscanner");
  g_assert_cmpstr (field->options[3].label, ==, "Thirty-two");
  g_assert_cmpstr (field->options[3].value, ==, "32");
  g_assert_null (field->hydra_override);
}

static void
test_selectbox_source (void)
{
  static const char yaml[] =
    HEAD
    "  - key: checkpoint_path\n"
    "    type: selectbox\n"
    "    default: \"\"\n"
    "    options_source: checkpoints\n"
    "    hydra_override: resume\n"
    "  - key: text\n"
    "    type: text_input\n"
    "    default: ''\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *field = field_of (schema, "checkpoint_path");

  g_assert_cmpstr (field->options_source, ==, "checkpoints");
  g_assert_null (field->options);
  g_assert_cmpuint (field->n_options, ==, 0);
  /* An empty-string default is "", not "no default". */
  assert_default (field, "''");
  assert_default (field_of (schema, "text"), "''");
}

static void
test_every_options_source (void)
{
  static const char * const sources[] = {
    "models.architectures", "models.backbones", "models.encoders", "models.decoders",
    "models.heads", "models.losses", "models.optimizers", "checkpoints", "datasets",
    "preprocessing_profiles",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *yaml = g_strdup_printf (HEAD
                                               "  - key: f\n"
                                               "    type: selectbox\n"
                                               "    options_source: %s\n", sources[i]);
      g_autoptr(CbSchema) schema = load_inline (yaml);

      g_assert_cmpstr (field_of (schema, "f")->options_source, ==, sources[i]);
    }
}

static void
test_info (void)
{
  static const char yaml[] =
    HEAD
    "  - key: architecture_components\n"
    "    type: info\n"
    "    label: Component Summary\n"
    "    metadata_info_key: components\n"
    "    info_template: \"Encoder: {encoder}\\nDecoder: {decoder}\"\n"
    "    info_fallback: Nothing known.\n"
    "  - key: bare_info\n"
    "    type: info\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *field = field_of (schema, "architecture_components");
  const CbField *bare = field_of (schema, "bare_info");

  g_assert_cmpint (field->type, ==, CB_FIELD_INFO);
  g_assert_cmpstr (field->metadata_info_key, ==, "components");
  g_assert_cmpstr (field->info_template, ==, "Encoder: {encoder}\nDecoder: {decoder}");
  g_assert_cmpstr (field->info_fallback, ==, "Nothing known.");
  g_assert_null (field->default_value);

  g_assert_cmpint (bare->type, ==, CB_FIELD_INFO);
  g_assert_cmpstr (bare->label, ==, "bare_info");
  assert_plain_field (bare);
}

static void
test_metadata_keys (void)
{
  static const char yaml[] =
    HEAD
    "  - key: encoder\n"
    "    type: selectbox\n"
    "    options_source: models.backbones\n"
    "    architecture_key: arch\n"
    "    architecture_fallback: dbnet\n"
    "    options_metadata_key: components.encoders\n"
    "    filter_by_architecture_key: compatible_backbones\n"
    "    metadata_default_key: default_backbone\n"
    "    metadata_help_key: notes\n"
    "  - key: learning_rate\n"
    "    type: slider\n"
    "    min_value: 1.0e-5\n"
    "    max_value: 1.0e-2\n"
    "    optimizer_key: opt\n"
    "    optimizer_fallback: adam\n"
    "    optimizer_metadata_key: learning_rate\n"
    "    optimizer_help_key: learning_rate.help\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *encoder = field_of (schema, "encoder");
  const CbField *lr = field_of (schema, "learning_rate");

  g_assert_cmpstr (encoder->architecture_key, ==, "arch");
  g_assert_cmpstr (encoder->architecture_fallback, ==, "dbnet");
  g_assert_cmpstr (encoder->options_metadata_key, ==, "components.encoders");
  g_assert_cmpstr (encoder->filter_by_architecture_key, ==, "compatible_backbones");
  g_assert_cmpstr (encoder->metadata_default_key, ==, "default_backbone");
  g_assert_cmpstr (encoder->metadata_help_key, ==, "notes");
  g_assert_cmpstr (encoder->optimizer_key, ==, "optimizer");
  g_assert_null (encoder->optimizer_metadata_key);

  g_assert_cmpstr (lr->optimizer_key, ==, "opt");
  g_assert_cmpstr (lr->optimizer_fallback, ==, "adam");
  g_assert_cmpstr (lr->optimizer_metadata_key, ==, "learning_rate");
  g_assert_cmpstr (lr->optimizer_help_key, ==, "learning_rate.help");
  g_assert_cmpstr (lr->architecture_key, ==, "architecture");
  g_assert_null (lr->architecture_fallback);
  g_assert_null (lr->metadata_default_key);
}

static void
test_hydra_override (void)
{
  static const char yaml[] =
    HEAD
    "  - key: single\n"
    "    type: text_input\n"
    "    hydra_override: \"model/architectures\"\n"
    "  - key: block_list\n"
    "    type: slider\n"
    "    min_value: 1\n"
    "    max_value: 64\n"
    "    hydra_override:\n"
    "      - dataloaders.train_dataloader.batch_size\n"
    "      - dataloaders.val_dataloader.batch_size\n"
    "  - key: flow_list\n"
    "    type: text_input\n"
    "    hydra_override: [a.b, +c/d]\n"
    "  - key: empty_list\n"
    "    type: text_input\n"
    "    hydra_override: []\n"
    "  - key: null_override\n"
    "    type: text_input\n"
    "    hydra_override:\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const char * const single[] = { "model/architectures", NULL };
  const char * const block[] = {
    "dataloaders.train_dataloader.batch_size", "dataloaders.val_dataloader.batch_size", NULL
  };
  const char * const flow[] = { "a.b", "+c/d", NULL };

  assert_strv ((const char * const *) field_of (schema, "single")->hydra_override, single);
  assert_strv ((const char * const *) field_of (schema, "block_list")->hydra_override, block);
  assert_strv ((const char * const *) field_of (schema, "flow_list")->hydra_override, flow);
  g_assert_null (field_of (schema, "empty_list")->hydra_override);
  g_assert_null (field_of (schema, "null_override")->hydra_override);
}

static void
test_expressions (void)
{
  static const char yaml[] =
    HEAD
    FIELD_R
    "  - key: shown_when_r\n"
    "    type: selectbox\n"
    "    visible_if: \"r == true\"\n"
    "    validation:\n"
    "      required_if: r == true\n"
    "  - key: shown_unless_r\n"
    "    type: text_input\n"
    "    visible_if: 'not r'\n"
    "  - key: empty_expr\n"
    "    type: text_input\n"
    "    visible_if: \"\"\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *when = field_of (schema, "shown_when_r");
  const CbField *unless = field_of (schema, "shown_unless_r");
  const CbField *empty = field_of (schema, "empty_expr");

  g_assert_cmpstr (when->visible_if_text, ==, "r == true");
  g_assert_nonnull (when->visible_if);
  g_assert_true (eval_with_r (when->visible_if, TRUE));
  g_assert_false (eval_with_r (when->visible_if, FALSE));
  g_assert_cmpstr (when->required_if_text, ==, "r == true");
  g_assert_nonnull (when->required_if);
  g_assert_true (eval_with_r (when->required_if, TRUE));
  g_assert_false (eval_with_r (when->required_if, FALSE));
  g_assert_false (when->required);

  g_assert_cmpstr (unless->visible_if_text, ==, "not r");
  g_assert_false (eval_with_r (unless->visible_if, TRUE));
  g_assert_true (eval_with_r (unless->visible_if, FALSE));
  g_assert_null (unless->required_if);

  /* An empty expression means "always visible": no expression at all. */
  g_assert_null (empty->visible_if);
}

static void
test_validation (void)
{
  static const char yaml[] =
    HEAD
    "  - key: name\n"
    "    type: text_input\n"
    "    validation:\n"
    "      required: true\n"
    "      min_length: 3\n"
    "  - key: count\n"
    "    type: slider\n"
    "    min_value: 1\n"
    "    max_value: 64\n"
    "    validation:\n"
    "      required: false\n"
    "      min: 1\n"
    "      max: 0.5e2\n"
    "      range: [2, 40]\n"
    "  - key: rate\n"
    "    type: number_input\n"
    "    validation:\n"
    "      range:\n"
    "        - 1.0e-5\n"
    "        - 0.01\n"
    "  - key: nothing\n"
    "    type: text_input\n"
    "    validation: {}\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *name = field_of (schema, "name");
  const CbField *count = field_of (schema, "count");
  const CbField *rate = field_of (schema, "rate");
  const CbField *nothing = field_of (schema, "nothing");

  g_assert_true (name->required);
  g_assert_cmpint (name->min_length, ==, 3);
  g_assert_false (name->has_min);
  g_assert_false (name->has_range);

  g_assert_false (count->required);
  g_assert_cmpint (count->min_length, ==, -1);
  g_assert_true (count->has_min);
  g_assert_cmpfloat (count->min, ==, 1);
  g_assert_true (count->has_max);
  g_assert_cmpfloat (count->max, ==, 50);
  g_assert_true (count->has_range);
  g_assert_cmpfloat (count->range[0], ==, 2);
  g_assert_cmpfloat (count->range[1], ==, 40);

  g_assert_true (rate->has_range);
  g_assert_cmpfloat_with_epsilon (rate->range[0], 1.0e-5, 1e-12);
  g_assert_cmpfloat_with_epsilon (rate->range[1], 0.01, 1e-12);
  g_assert_false (rate->has_min);

  g_assert_false (nothing->required);
  g_assert_cmpint (nothing->min_length, ==, -1);
}

static void
test_top_level (void)
{
  static const char with_constants[] =
    "# a comment before everything\n"
    "title: \"OCR Training Command Builder\"\n"
    "constant_overrides:\n"
    "  - trainer.fast_dev_run=false\n"
    "  - \"+callbacks=default\"\n"
    "ui_elements:\n"
    "  - key: a\n"
    "    type: text_input\n";
  static const char empty_constants[] =
    "title: T\n"
    "constant_overrides: []\n"
    "ui_elements:\n"
    "  - {key: a, type: text_input}\n";
  static const char no_title[] =
    "ui_elements:\n"
    "  - key: a\n"
    "    type: text_input\n";
  const char * const expected[] = { "trainer.fast_dev_run=false", "+callbacks=default", NULL };
  const char * const none[] = { NULL };

  {
    g_autoptr(CbSchema) schema = load_inline (with_constants);

    g_assert_cmpstr (cb_schema_get_title (schema), ==, "OCR Training Command Builder");
    g_assert_cmpstr (cb_schema_get_path (schema), ==, "inline.yaml");
    assert_strv (cb_schema_get_constant_overrides (schema), expected);
    g_assert_cmpuint (cb_schema_get_field (schema, 0)->line, ==, 7);
  }
  {
    g_autoptr(CbSchema) schema = load_inline (empty_constants);

    g_assert_cmpstr (cb_schema_get_title (schema), ==, "T");
    assert_strv (cb_schema_get_constant_overrides (schema), none);
    g_assert_cmpstr (cb_schema_get_field (schema, 0)->key, ==, "a");
    g_assert_cmpuint (cb_schema_get_field (schema, 0)->column, ==, 5);
  }
  {
    g_autoptr(CbSchema) schema = load_inline (no_title);

    g_assert_null (cb_schema_get_title (schema));
    assert_strv (cb_schema_get_constant_overrides (schema), none);
  }
}

/* A null attribute (~, null, an empty value) is an absent one; a quoted "null" is text. */
static void
test_null_attributes (void)
{
  static const char yaml[] =
    "title: ~\n"
    "ui_elements:\n"
    "  - key: a\n"
    "    type: slider\n"
    "    label: ~\n"
    "    help: null\n"
    "    default:\n"
    "    min_value: 0\n"
    "    max_value: 1\n"
    "    step: ~\n"
    "    format:\n"
    "    visible_if: ~\n"
    "    hydra_override: ~\n"
    "    architecture_key: ~\n"
    "    architecture_fallback:\n"
    "    info_fallback: NULL\n"
    "    validation:\n"
    "      required: ~\n"
    "      required_if:\n"
    "      min: Null\n"
    "      min_length:\n"
    "  - key: b\n"
    "    type: selectbox\n"
    "    label: \"null\"\n"
    "    help: '~'\n"
    "    options_source: ~\n"
    "    options: ~\n";
  g_autoptr(CbSchema) schema = load_inline (yaml);
  const CbField *a = field_of (schema, "a");
  const CbField *b = field_of (schema, "b");

  g_assert_null (cb_schema_get_title (schema));
  g_assert_cmpstr (a->label, ==, "a");
  g_assert_null (a->help);
  g_assert_null (a->default_value);
  g_assert_false (a->has_step);
  g_assert_null (a->format);
  g_assert_null (a->visible_if_text);
  g_assert_null (a->visible_if);
  g_assert_null (a->hydra_override);
  g_assert_cmpstr (a->architecture_key, ==, "architecture");
  g_assert_null (a->architecture_fallback);
  g_assert_cmpstr (a->info_fallback, ==, "No metadata available.");
  g_assert_false (a->required);
  g_assert_null (a->required_if_text);
  g_assert_false (a->has_min);
  g_assert_cmpint (a->min_length, ==, -1);

  g_assert_cmpstr (b->label, ==, "null");
  g_assert_cmpstr (b->help, ==, "~");
  g_assert_null (b->options_source);
  g_assert_cmpuint (b->n_options, ==, 0);
}

static void
test_refcount (void)
{
  CbSchema *schema = load_inline (HEAD "  - key: a\n    type: text_input\n");

  g_assert_true (cb_schema_ref (schema) == schema);
  cb_schema_unref (schema);
  g_assert_cmpstr (cb_schema_get_field (schema, 0)->key, ==, "a");
  cb_schema_unref (schema);
  cb_schema_unref (NULL);
}

/* ---- lookups ------------------------------------------------------------------------- */

static void
test_find_field (void)
{
  g_autoptr(CbSchema) schema = load_inline (HEAD
                                            "  - key: first\n"
                                            "    type: text_input\n"
                                            "  - key: second\n"
                                            "    type: checkbox\n"
                                            "  - key: third\n"
                                            "    type: info\n");

  g_assert_cmpuint (cb_schema_get_n_fields (schema), ==, 3);
  g_assert_cmpint (cb_schema_find_field (schema, "first"), ==, 0);
  g_assert_cmpint (cb_schema_find_field (schema, "second"), ==, 1);
  g_assert_cmpint (cb_schema_find_field (schema, "third"), ==, 2);
  g_assert_cmpint (cb_schema_find_field (schema, "fourth"), ==, -1);
  g_assert_cmpint (cb_schema_find_field (schema, ""), ==, -1);
  g_assert_cmpint (cb_schema_find_field (schema, "First"), ==, -1);
  g_assert_cmpstr (cb_schema_get_field (schema, 2)->key, ==, "third");
}

static void
test_options_source_is_known (void)
{
  g_assert_true (cb_options_source_is_known ("models.architectures"));
  g_assert_true (cb_options_source_is_known ("models.backbones"));
  g_assert_true (cb_options_source_is_known ("models.encoders"));
  g_assert_true (cb_options_source_is_known ("models.decoders"));
  g_assert_true (cb_options_source_is_known ("models.heads"));
  g_assert_true (cb_options_source_is_known ("models.losses"));
  g_assert_true (cb_options_source_is_known ("models.optimizers"));
  g_assert_true (cb_options_source_is_known ("checkpoints"));
  g_assert_true (cb_options_source_is_known ("datasets"));
  g_assert_true (cb_options_source_is_known ("preprocessing_profiles"));

  g_assert_false (cb_options_source_is_known (NULL));
  g_assert_false (cb_options_source_is_known (""));
  g_assert_false (cb_options_source_is_known ("models"));
  g_assert_false (cb_options_source_is_known ("models.backbone"));
  g_assert_false (cb_options_source_is_known ("Checkpoints"));
  g_assert_false (cb_options_source_is_known (" datasets"));
}

static void
test_field_type_to_string (void)
{
  g_assert_cmpstr (cb_field_type_to_string (CB_FIELD_TEXT_INPUT), ==, "text_input");
  g_assert_cmpstr (cb_field_type_to_string (CB_FIELD_NUMBER_INPUT), ==, "number_input");
  g_assert_cmpstr (cb_field_type_to_string (CB_FIELD_CHECKBOX), ==, "checkbox");
  g_assert_cmpstr (cb_field_type_to_string (CB_FIELD_SLIDER), ==, "slider");
  g_assert_cmpstr (cb_field_type_to_string (CB_FIELD_SELECTBOX), ==, "selectbox");
  g_assert_cmpstr (cb_field_type_to_string (CB_FIELD_INFO), ==, "info");
}

/* ---- our schemas and the original's ------------------------------------------------- */

/* The field keys of the reference tables 1.1-1.3, in render order. */
static const char * const train_keys[] = {
  "exp_name", "wandb", "resume_training", "checkpoint_path", "architecture",
  "architecture_components", "encoder", "decoder", "head", "loss", "optimizer",
  "learning_rate", "weight_decay", "batch_size", "max_epochs", "accumulate_grad_batches",
  "gradient_clip_val", "precision", "seed", "dataset", "preprocessing_profile", NULL
};
static const char * const test_keys[] = {
  "exp_name", "checkpoint_path", "architecture", "architecture_components", "encoder",
  "decoder", "head", "loss", "preprocessing_profile", NULL
};
static const char * const predict_keys[] = {
  "exp_name", "checkpoint_path", "architecture", "architecture_components", "encoder",
  "decoder", "head", "loss", "minified_json", "include_confidence", "preprocessing_profile", NULL
};

static CbSchema *
load_path (const char *path)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  CbSchema *schema;

  schema = cb_schema_load_file (path, problems, &error);
  if (problems->len > 0)
    {
      g_autofree char *text = cb_problem_list_to_string (problems);

      g_test_message ("unexpected problems:\n%s", text);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_nonnull (schema);
  g_assert_cmpstr (cb_schema_get_path (schema), ==, path);

  return schema;
}

static void
assert_keys (const CbSchema     *schema,
             const char * const *keys)
{
  guint n = g_strv_length ((char **) keys);

  g_assert_cmpuint (cb_schema_get_n_fields (schema), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (cb_schema_get_field (schema, i)->key, ==, keys[i]);
      g_assert_cmpint (cb_schema_find_field (schema, keys[i]), ==, (int) i);
    }
}

static void
assert_profile_options (const CbField *field)
{
  static const char * const values[] = {
    "none", "lens_style", "lens_style_office", "camscanner", "doctr_demo"
  };
  static const char * const labels[] = {
    "None (standard transforms)", "Lens-style (balanced)", "Lens-style + Office mode",
    "CamScanner document detection", "docTR demo (experimental)"
  };

  g_assert_cmpint (field->type, ==, CB_FIELD_SELECTBOX);
  g_assert_true (field->options_labelled);
  g_assert_cmpuint (field->n_options, ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_assert_cmpstr (field->options[i].value, ==, values[i]);
      g_assert_cmpstr (field->options[i].label, ==, labels[i]);
    }
  assert_default (field, "'none'");
  g_assert_null (field->hydra_override);
}

static void
test_our_schemas (void)
{
  static const struct {
    const char         *file;
    const char         *title;
    const char * const *keys;
  } pages[] = {
    { "train.yaml", "OCR Training Command Builder", train_keys },
    { "test.yaml", "OCR Testing Command Builder", test_keys },
    { "predict.yaml", "OCR Prediction Command Builder", predict_keys },
  };

  g_assert_cmpuint (g_strv_length ((char **) train_keys), ==, 21);
  g_assert_cmpuint (g_strv_length ((char **) test_keys), ==, 9);
  g_assert_cmpuint (g_strv_length ((char **) predict_keys), ==, 11);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "schemas",
                                                     pages[i].file, NULL);
      g_autoptr(CbSchema) schema = load_path (path);
      const char * const none[] = { NULL };

      g_test_message ("%s", path);
      g_assert_cmpstr (cb_schema_get_title (schema), ==, pages[i].title);
      assert_strv (cb_schema_get_constant_overrides (schema), none);
      assert_keys (schema, pages[i].keys);
      assert_profile_options (field_of (schema, "preprocessing_profile"));
      g_assert_cmpint (field_of (schema, "architecture_components")->type, ==, CB_FIELD_INFO);
    }
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "original", name, NULL);
}

static char *
joined_override (const CbField *field)
{
  return field->hydra_override ? g_strjoinv (",", field->hydra_override) : NULL;
}

typedef struct
{
  const char  *key;
  CbFieldType  type;
  const char  *label;
  const char  *default_text;  /* as printed by default_text (); NULL for none */
  const char  *source;        /* options_source */
  const char  *hydra;         /* hydra_override joined with ","; NULL for none */
  const char  *visible_if;
} ExpectedField;

static void
assert_fields (const CbSchema      *schema,
               const ExpectedField *expected,
               guint                n)
{
  g_assert_cmpuint (cb_schema_get_n_fields (schema), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const CbField *field = cb_schema_get_field (schema, i);
      g_autofree char *hydra = joined_override (field);

      g_test_message ("field %u: %s", i, expected[i].key);
      g_assert_cmpstr (field->key, ==, expected[i].key);
      g_assert_cmpint (field->type, ==, expected[i].type);
      g_assert_cmpstr (field->label, ==, expected[i].label);
      assert_default (field, expected[i].default_text);
      g_assert_cmpstr (field->options_source, ==, expected[i].source);
      g_assert_cmpstr (hydra, ==, expected[i].hydra);
      g_assert_cmpstr (field->visible_if_text, ==, expected[i].visible_if);
      g_assert_true ((field->visible_if != NULL) == (expected[i].visible_if != NULL));
    }
}

#define RESUMING "resume_training == true"
#define FRESH "resume_training == false"
#define COMPONENTS_TEMPLATE "Encoder: {encoder}\nDecoder: {decoder}\nHead: {head}\nLoss: {loss}"

static void
assert_component_metadata (const CbSchema *schema,
                           const char     *key,
                           const char     *filter,
                           const char     *default_key)
{
  const CbField *field = field_of (schema, key);

  g_assert_cmpstr (field->filter_by_architecture_key, ==, filter);
  g_assert_cmpstr (field->metadata_default_key, ==, default_key);
  g_assert_cmpstr (field->metadata_help_key, ==, filter);
  g_assert_cmpstr (field->architecture_key, ==, "architecture");
}

static void
assert_shared_fields (const CbSchema *schema)
{
  const CbField *architecture = field_of (schema, "architecture");
  const CbField *components = field_of (schema, "architecture_components");
  const CbField *name = field_of (schema, "exp_name");

  g_assert_true (name->required);
  g_assert_cmpint (name->min_length, ==, 3);

  g_assert_cmpstr (architecture->metadata_help_key, ==, "notes");
  g_assert_cmpstr (architecture->architecture_fallback, ==, "dbnet");
  g_assert_cmpstr (architecture->help, ==, "OCR architecture preset (DBNet, CRAFT, DBNet++).");

  g_assert_cmpstr (components->metadata_info_key, ==, "components");
  g_assert_cmpstr (components->info_template, ==, COMPONENTS_TEMPLATE);
  g_assert_cmpstr (components->info_fallback, ==, "No metadata available.");

  assert_component_metadata (schema, "encoder", "compatible_backbones", "default_backbone");
  assert_component_metadata (schema, "decoder", "compatible_decoders", "default_decoder");
  assert_component_metadata (schema, "head", "compatible_heads", "default_head");
  assert_component_metadata (schema, "loss", "compatible_losses", "default_loss");
  assert_profile_options (field_of (schema, "preprocessing_profile"));
}

static void
test_original_train (void)
{
  static const ExpectedField expected[] = {
    { "exp_name", CB_FIELD_TEXT_INPUT, "Experiment Name", "'ocr_training'", NULL, "exp_name",
      NULL },
    { "wandb", CB_FIELD_CHECKBOX, "Use Weights & Biases", "false", NULL, "logger.wandb.enabled",
      NULL },
    { "resume_training", CB_FIELD_CHECKBOX, "Resume Training", "false", NULL, NULL, NULL },
    { "checkpoint_path", CB_FIELD_SELECTBOX, "Checkpoint Path", "''", "checkpoints", "resume",
      RESUMING },
    { "architecture", CB_FIELD_SELECTBOX, "Architecture", "'dbnet'", "models.architectures",
      "model/architectures", FRESH },
    { "architecture_components", CB_FIELD_INFO, "Component Summary", NULL, NULL, NULL, FRESH },
    { "encoder", CB_FIELD_SELECTBOX, "Backbone (Encoder)", "'resnet18'", "models.backbones",
      "model.encoder.model_name", FRESH },
    { "decoder", CB_FIELD_SELECTBOX, "Decoder", "'unet'", "models.decoders",
      "model.component_overrides.decoder.name", FRESH },
    { "head", CB_FIELD_SELECTBOX, "Head", "'db_head'", "models.heads",
      "model.component_overrides.head.name", FRESH },
    { "loss", CB_FIELD_SELECTBOX, "Loss", "'db_loss'", "models.losses",
      "model.component_overrides.loss.name", FRESH },
    { "optimizer", CB_FIELD_SELECTBOX, "Optimizer", "'adam'", "models.optimizers",
      "model/optimizers", FRESH },
    { "learning_rate", CB_FIELD_SLIDER, "Learning Rate", "0.001", NULL, "model.optimizer.lr",
      NULL },
    { "weight_decay", CB_FIELD_SLIDER, "Weight Decay", "0.0001", NULL,
      "model.optimizer.weight_decay", NULL },
    { "batch_size", CB_FIELD_SLIDER, "Batch Size", "int64 4", NULL,
      "dataloaders.train_dataloader.batch_size,dataloaders.val_dataloader.batch_size", NULL },
    { "max_epochs", CB_FIELD_SLIDER, "Max Epochs", "int64 10", NULL, "trainer.max_epochs", NULL },
    { "accumulate_grad_batches", CB_FIELD_SLIDER, "Gradient Accumulation", "int64 1", NULL,
      "trainer.accumulate_grad_batches", NULL },
    { "gradient_clip_val", CB_FIELD_SLIDER, "Gradient Clip Value", "5.0", NULL,
      "trainer.gradient_clip_val", NULL },
    { "precision", CB_FIELD_SELECTBOX, "Trainer Precision", "'32'", NULL, "trainer.precision",
      NULL },
    { "seed", CB_FIELD_NUMBER_INPUT, "Random Seed", "int64 42", NULL, "seed", NULL },
    { "dataset", CB_FIELD_SELECTBOX, "Dataset Config", "'default'", "datasets", "data", FRESH },
    { "preprocessing_profile", CB_FIELD_SELECTBOX, "Preprocessing Profile", "'none'", NULL, NULL,
      FRESH },
  };
  static const struct {
    const char *key;
    double      min, max, step;
    const char *format;
    gboolean    integral;
  } sliders[] = {
    { "learning_rate", 1.0e-5, 1.0e-2, 1.0e-5, "%.1e", FALSE },
    { "weight_decay", 0.0, 0.01, 0.0001, "%.4f", FALSE },
    { "batch_size", 1, 64, 1, NULL, TRUE },
    { "max_epochs", 1, 200, 1, NULL, TRUE },
    { "accumulate_grad_batches", 1, 16, 1, NULL, TRUE },
    { "gradient_clip_val", 0.0, 10.0, 0.5, NULL, FALSE },
  };
  static const char * const precisions[] = { "32", "bf16", "bf16-mixed", "16-mixed" };
  g_autofree char *path = fixture_path ("command_builder_train.yaml");
  g_autoptr(CbSchema) schema = load_path (path);
  const CbField *field;
  const char * const none[] = { NULL };

  g_assert_cmpstr (cb_schema_get_title (schema), ==, "OCR Training Command Builder");
  assert_strv (cb_schema_get_constant_overrides (schema), none);
  assert_keys (schema, train_keys);
  assert_fields (schema, expected, G_N_ELEMENTS (expected));
  assert_shared_fields (schema);

  field = field_of (schema, "checkpoint_path");
  g_assert_cmpstr (field->required_if_text, ==, RESUMING);
  g_assert_nonnull (field->required_if);
  g_assert_false (field->required);

  assert_component_metadata (schema, "optimizer", "recommended_optimizers", "default_optimizer");
  g_assert_cmpstr (field_of (schema, "dataset")->metadata_default_key, ==, "recommended_data");

  for (guint i = 0; i < G_N_ELEMENTS (sliders); i++)
    {
      field = field_of (schema, sliders[i].key);
      g_test_message ("slider %s", sliders[i].key);
      g_assert_true (field->has_min_value && field->has_max_value && field->has_step);
      g_assert_cmpfloat_with_epsilon (field->min_value, sliders[i].min, 1e-12);
      g_assert_cmpfloat_with_epsilon (field->max_value, sliders[i].max, 1e-12);
      g_assert_cmpfloat_with_epsilon (field->step, sliders[i].step, 1e-12);
      g_assert_cmpstr (field->format, ==, sliders[i].format);
      g_assert_cmpint (field->integral, ==, sliders[i].integral);
    }

  field = field_of (schema, "learning_rate");
  g_assert_true (field->required);
  g_assert_cmpstr (field->metadata_default_key, ==, "default_learning_rate");
  g_assert_cmpstr (field->optimizer_metadata_key, ==, "learning_rate");
  g_assert_cmpstr (field->optimizer_help_key, ==, "learning_rate.help");
  g_assert_cmpstr (field->optimizer_key, ==, "optimizer");

  field = field_of (schema, "batch_size");
  g_assert_true (field->required);
  g_assert_true (field->has_min);
  g_assert_cmpfloat (field->min, ==, 1);

  field = field_of (schema, "precision");
  g_assert_false (field->options_labelled);
  g_assert_cmpuint (field->n_options, ==, G_N_ELEMENTS (precisions));
  for (guint i = 0; i < G_N_ELEMENTS (precisions); i++)
    g_assert_cmpstr (field->options[i].value, ==, precisions[i]);

  field = field_of (schema, "seed");
  g_assert_true (field->has_min_value);
  g_assert_cmpfloat (field->min_value, ==, 0);
  g_assert_false (field->has_max_value);
  g_assert_true (field->integral);

  g_assert_true (g_str_has_prefix (field_of (schema, "preprocessing_profile")->help,
                                   "Microsoft Lens-style preprocessing"));
  g_assert_nonnull (strstr (field_of (schema, "dataset")->help, "'preprocessing'"));
}

static void
assert_test_like (const CbSchema *schema)
{
  static const char * const components[] = { "encoder", "decoder", "head", "loss" };
  const CbField *checkpoint = field_of (schema, "checkpoint_path");

  assert_shared_fields (schema);
  g_assert_true (checkpoint->required);
  g_assert_null (checkpoint->required_if);
  g_assert_true (g_str_has_prefix (checkpoint->help, "\u26a0\ufe0f Important: "));
  g_assert_true (g_str_has_prefix (field_of (schema, "preprocessing_profile")->help,
                                   "\u26a0\ufe0f CRITICAL: Use the SAME preprocessing profile"));
  for (guint i = 0; i < G_N_ELEMENTS (components); i++)
    {
      const CbField *field = field_of (schema, components[i]);

      g_assert_true (field->required);
      g_assert_true (g_str_has_suffix (field->help,
                                       "Must match the checkpoint's training configuration."));
    }
  for (guint i = 0; i < cb_schema_get_n_fields (schema); i++)
    g_assert_null (cb_schema_get_field (schema, i)->visible_if);
}

#define TEST_LIKE_FIELDS(exp_name) \
    { "exp_name", CB_FIELD_TEXT_INPUT, "Experiment Name", exp_name, NULL, "exp_name", NULL }, \
    { "checkpoint_path", CB_FIELD_SELECTBOX, "Checkpoint Path", "''", "checkpoints", \
      "checkpoint_path", NULL }, \
    { "architecture", CB_FIELD_SELECTBOX, "Architecture", "'dbnet'", "models.architectures", \
      "model/architectures", NULL }, \
    { "architecture_components", CB_FIELD_INFO, "Component Summary", NULL, NULL, NULL, NULL }, \
    { "encoder", CB_FIELD_SELECTBOX, "Backbone (Encoder)", "'resnet18'", "models.backbones", \
      "model.encoder.model_name", NULL }, \
    { "decoder", CB_FIELD_SELECTBOX, "Decoder", "'unet'", "models.decoders", \
      "model.component_overrides.decoder.name", NULL }, \
    { "head", CB_FIELD_SELECTBOX, "Head", "'db_head'", "models.heads", \
      "model.component_overrides.head.name", NULL }, \
    { "loss", CB_FIELD_SELECTBOX, "Loss", "'db_loss'", "models.losses", \
      "model.component_overrides.loss.name", NULL }

#define PROFILE_FIELD \
    { "preprocessing_profile", CB_FIELD_SELECTBOX, "Preprocessing Profile", "'none'", NULL, \
      NULL, NULL }

static void
test_original_test (void)
{
  static const ExpectedField expected[] = {
    TEST_LIKE_FIELDS ("'ocr_testing'"),
    PROFILE_FIELD,
  };
  g_autofree char *path = fixture_path ("command_builder_test.yaml");
  g_autoptr(CbSchema) schema = load_path (path);

  g_assert_cmpstr (cb_schema_get_title (schema), ==, "OCR Testing Command Builder");
  g_assert_null (cb_schema_get_constant_overrides (schema)[0]);
  assert_keys (schema, test_keys);
  assert_fields (schema, expected, G_N_ELEMENTS (expected));
  assert_test_like (schema);
}

static void
test_original_predict (void)
{
  static const ExpectedField expected[] = {
    TEST_LIKE_FIELDS ("'ocr_prediction'"),
    { "minified_json", CB_FIELD_CHECKBOX, "Minified JSON", "false", NULL, "minified_json", NULL },
    { "include_confidence", CB_FIELD_CHECKBOX, "Include Confidence Scores", "false", NULL,
      "include_confidence", NULL },
    PROFILE_FIELD,
  };
  g_autofree char *path = fixture_path ("command_builder_predict.yaml");
  g_autoptr(CbSchema) schema = load_path (path);

  g_assert_cmpstr (cb_schema_get_title (schema), ==, "OCR Prediction Command Builder");
  g_assert_null (cb_schema_get_constant_overrides (schema)[0]);
  assert_keys (schema, predict_keys);
  assert_fields (schema, expected, G_N_ELEMENTS (expected));
  assert_test_like (schema);
  g_assert_null (field_of (schema, "minified_json")->help);
  g_assert_true (g_str_has_prefix (field_of (schema, "include_confidence")->help,
                                   "Include confidence scores in prediction output"));
}

/* ---- rejected schemas ---------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *yaml;
  guint       line;
  guint       column;
  const char *phrase;
} ErrorCase;

static const ErrorCase error_cases[] = {
  /* YAML syntax, with libyaml's position. */
  { "syntax-indentation",
    HEAD "  - key: a\n    type: text_input\n   label: A\n",
    5, 4, "did not find expected" },
  { "syntax-unclosed-quote",
    HEAD "  - key: a\n    type: text_input\n    label: \"A\n",
    6, 1, "unexpected end of stream" },
  { "syntax-tab",
    HEAD "  - key: a\n\ttype: text_input\n",
    4, 1, "tab character" },
  { "syntax-unknown-alias",
    HEAD "  - key: a\n    type: *kind\n",
    4, 11, "unknown alias 'kind'" },

  /* Keys. */
  { "unknown-top-level-key",
    "title: T\nconstant_overrides: []\nextras: 1\nui_elements:\n  - key: a\n    type: info\n",
    3, 1, "unknown key 'extras'" },
  { "unknown-field-key",
    HEAD "  - key: a\n    type: text_input\n    labl: A\n",
    5, 5, "unknown key 'labl'" },
  { "unknown-validation-key",
    HEAD "  - key: a\n    type: text_input\n    validation:\n      minimum: 1\n",
    6, 7, "unknown key 'minimum'" },
  { "duplicate-attribute",
    HEAD "  - key: a\n    type: text_input\n    label: A\n    label: B\n",
    6, 5, "duplicate key 'label'" },
  { "duplicate-top-level-key",
    "title: A\ntitle: B\nui_elements:\n  - key: a\n    type: info\n",
    2, 1, "duplicate key 'title'" },
  { "duplicate-field-key",
    HEAD FIELD_R "  - key: r\n    type: text_input\n",
    5, 10, "duplicate field key 'r'" },
  { "missing-key",
    HEAD "  - type: text_input\n    label: A\n",
    3, 5, "missing key 'key'" },
  { "empty-key",
    HEAD "  - key: \"\"\n    type: text_input\n",
    3, 5, "non-empty 'key'" },
  { "missing-type",
    HEAD "  - key: a\n    label: A\n",
    3, 5, "missing key 'type'" },

  /* Field types and numbers. */
  { "unknown-type",
    HEAD "  - key: a\n    type: textinput\n",
    4, 11, "unknown field type 'textinput'" },
  { "min-value-not-a-number",
    HEAD "  - key: a\n    type: slider\n    min_value: 10abc\n    max_value: 20\n",
    5, 16, "'10abc' is not a number" },
  { "max-value-not-a-number",
    HEAD "  - key: a\n    type: number_input\n    max_value: 1.5.2\n",
    5, 16, "'1.5.2' is not a number" },
  { "step-zero",
    HEAD "  - key: a\n    type: slider\n    min_value: 1\n    max_value: 2\n    step: 0\n",
    7, 11, "'step' must be larger than 0" },
  { "step-negative",
    HEAD "  - key: a\n    type: slider\n    min_value: 1\n    max_value: 2\n    step: -0.5\n",
    7, 11, "'step' must be larger than 0" },
  { "slider-without-max",
    HEAD "  - key: a\n    type: slider\n    min_value: 1\n",
    3, 5, "needs both 'min_value' and 'max_value'" },
  { "slider-with-null-max",
    HEAD "  - key: a\n    type: slider\n    min_value: 1\n    max_value: ~\n",
    3, 5, "needs both 'min_value' and 'max_value'" },
  { "slider-without-min",
    HEAD "  - key: a\n    type: slider\n    max_value: 1\n",
    3, 5, "needs both 'min_value' and 'max_value'" },
  { "min-above-max",
    HEAD "  - key: a\n    type: slider\n    min_value: 5\n    max_value: 1\n",
    5, 16, "larger than 'max_value'" },
  { "bad-format",
    HEAD "  - key: a\n    type: slider\n    min_value: 1\n    max_value: 2\n    format: \"%s\"\n",
    7, 13, "'format' must hold exactly one number conversion" },
  { "format-two-conversions",
    HEAD "  - key: a\n    type: slider\n    min_value: 1\n    max_value: 2\n"
    "    format: '%.1f of %.1f'\n",
    7, 13, "'format' must hold exactly one number conversion" },
  { "format-without-conversion",
    HEAD "  - key: a\n    type: slider\n    min_value: 1\n    max_value: 2\n    format: percent\n",
    7, 13, "'format' must hold exactly one number conversion" },

  /* Defaults. */
  { "checkbox-default-maybe",
    HEAD "  - key: a\n    type: checkbox\n    default: maybe\n",
    5, 14, "must be true or false, not 'maybe'" },
  { "checkbox-default-quoted",
    HEAD "  - key: a\n    type: checkbox\n    default: \"true\"\n",
    5, 14, "must be true or false" },
  { "number-default-text",
    HEAD "  - key: a\n    type: number_input\n    default: ten\n",
    5, 14, "must be a number, not 'ten'" },
  { "default-not-scalar",
    HEAD "  - key: a\n    type: text_input\n    default: [x]\n",
    5, 14, "'default' must be a single value" },

  /* Options. */
  { "unknown-options-source",
    HEAD "  - key: a\n    type: selectbox\n    options_source: models.encoder\n",
    5, 21, "unknown options_source 'models.encoder'" },
  { "options-plain-then-mapping",
    HEAD "  - key: a\n    type: selectbox\n    options:\n      - x\n      - {label: Y, value: y}\n",
    7, 9, "mixes plain values and label/value mappings" },
  { "options-mapping-then-plain",
    HEAD "  - key: a\n    type: selectbox\n    options:\n      - {label: Y, value: y}\n      - x\n",
    7, 9, "mixes plain values and label/value mappings" },
  { "option-without-value",
    HEAD "  - key: a\n    type: selectbox\n    options:\n      - {label: Y}\n",
    6, 9, "needs a 'value'" },
  { "option-unknown-key",
    HEAD "  - key: a\n    type: selectbox\n    options:\n      - {label: Y, valeu: y}\n",
    6, 20, "unknown key 'valeu'" },
  { "options-not-a-list",
    HEAD "  - key: a\n    type: selectbox\n    options: x\n",
    5, 14, "'options' must be a list" },

  /* hydra_override. */
  { "hydra-override-mapping",
    HEAD "  - key: a\n    type: text_input\n    hydra_override:\n      exp_name: x\n",
    6, 7, "'hydra_override' must be a key or a list of keys" },
  { "hydra-override-with-value",
    HEAD "  - key: a\n    type: text_input\n    hydra_override: exp_name=x\n",
    5, 21, "must not contain '=' or spaces" },
  { "hydra-override-nested-list",
    HEAD "  - key: a\n    type: text_input\n    hydra_override: [a, [b]]\n",
    5, 25, "non-empty key" },

  /* Expressions: the column points into the expression. */
  { "visible-if-syntax-double-quoted",
    HEAD FIELD_R "  - key: a\n    type: text_input\n    visible_if: \"r = true\"\n",
    7, 20, "visible_if: unexpected '='" },
  { "visible-if-syntax-single-quoted",
    HEAD FIELD_R "  - key: a\n    type: text_input\n    visible_if: 'r = true'\n",
    7, 20, "visible_if: unexpected '='" },
  { "visible-if-syntax-plain",
    HEAD FIELD_R "  - key: a\n    type: text_input\n    visible_if: r = true\n",
    7, 19, "visible_if: unexpected '='" },
  { "visible-if-syntax-after-utf8",
    HEAD FIELD_R "  - key: a\n    type: text_input\n    visible_if: \"r == '\u00e9' = r\"\n",
    7, 27, "visible_if: unexpected '='" },
  { "visible-if-later-field",
    HEAD FIELD_R "  - key: a\n    type: text_input\n    visible_if: \"later == 1\"\n"
    "  - key: later\n    type: number_input\n",
    7, 18, "names 'later', which comes after this field" },
  { "visible-if-unknown-field",
    HEAD FIELD_R "  - key: a\n    type: text_input\n    visible_if: \"r and nope\"\n",
    7, 24, "names 'nope', which is not a field" },
  { "visible-if-itself",
    HEAD FIELD_R "  - key: a\n    type: text_input\n    visible_if: not a\n",
    7, 21, "names 'a', the field itself" },
  /* A name of an earlier field that has a problem of its own is not a second problem. */
  { "visible-if-names-broken-field",
    HEAD "  - key: r\n    type: checkbox\n    default: maybe\n"
    "  - key: a\n    type: text_input\n    visible_if: \"r == true\"\n",
    5, 14, "must be true or false, not 'maybe'" },
  { "required-if-unknown-field",
    HEAD FIELD_R "  - key: a\n    type: text_input\n    validation:\n      required_if: \"nope\"\n",
    8, 21, "required_if names 'nope', which is not a field" },
  { "required-if-syntax",
    HEAD FIELD_R "  - key: a\n    type: text_input\n    validation:\n      required_if: (r\n",
    8, 22, "required_if:" },

  /* validation. */
  { "range-one-element",
    HEAD "  - key: a\n    type: number_input\n    validation:\n      range: [1]\n",
    6, 14, "'range' must be a list of two numbers" },
  { "range-not-numbers",
    HEAD "  - key: a\n    type: number_input\n    validation:\n      range: [low, 2]\n",
    6, 14, "'range' must be a list of two numbers" },
  { "min-length-negative",
    HEAD "  - key: a\n    type: text_input\n    validation:\n      min_length: -1\n",
    6, 19, "'min_length' must be a whole number" },
  { "required-not-bool",
    HEAD "  - key: a\n    type: text_input\n    validation:\n      required: always\n",
    6, 17, "'required' must be true or false" },
  { "validation-min-not-a-number",
    HEAD "  - key: a\n    type: number_input\n    validation:\n      min: 1x\n",
    6, 12, "'1x' is not a number (in 'min')" },

  /* Shapes (libcyaml). */
  { "label-not-a-string",
    HEAD "  - key: a\n    type: text_input\n    label: [A]\n",
    5, 12, "expected a text here, not a list" },
  { "validation-not-a-mapping",
    HEAD "  - key: a\n    type: text_input\n    validation: true\n",
    5, 17, "expected a mapping here, not a single value" },
  { "element-not-a-mapping",
    HEAD "  - text_input\n",
    3, 5, "expected a mapping here, not a single value" },

  /* The document. */
  { "ui-elements-missing",
    "title: T\nconstant_overrides: []\n",
    1, 1, "missing key 'ui_elements'" },
  { "ui-elements-empty",
    "title: T\nui_elements: []\n",
    2, 14, "'ui_elements' is empty" },
  { "empty-file",
    "",
    1, 1, "missing key 'ui_elements'" },
  { "comments-only",
    "# nothing here\n\n",
    1, 1, "missing key 'ui_elements'" },
  { "document-is-a-list",
    "- key: a\n  type: text_input\n",
    1, 1, "a schema must be a mapping" },
  { "document-is-a-scalar",
    "\n  just some text\n",
    2, 3, "a schema must be a mapping" },
};

static void
test_error_case (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = NULL;
  g_autofree char *where = g_strdup_printf ("inline.yaml:%u:%u: ", c->line, c->column);
  g_autofree char *all = NULL;
  const CbProblem *problem;

  schema = cb_schema_load_data (c->yaml, strlen (c->yaml), "inline.yaml", problems, &error);
  all = cb_problem_list_to_string (problems);
  g_test_message ("problems:\n%s", all);

  g_assert_null (schema);
  g_assert_error (error, CB_SCHEMA_ERROR, CB_SCHEMA_ERROR_INVALID);
  g_assert_cmpuint (problems->len, ==, 1);

  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpint (problem->severity, ==, CB_PROBLEM_ERROR);
  g_assert_cmpstr (problem->file, ==, "inline.yaml");
  g_assert_cmpuint (problem->line, ==, c->line);
  g_assert_cmpuint (problem->column, ==, c->column);
  g_assert_nonnull (strstr (problem->message, c->phrase));

  /* The GError says the same, as file:line:column: message. */
  g_assert_true (g_str_has_prefix (error->message, where));
  g_assert_nonnull (strstr (error->message, c->phrase));
  g_assert_cmpstr (error->message, ==, all);

  /* Without a problem list the GError alone carries it. */
  g_clear_error (&error);
  schema = cb_schema_load_data (c->yaml, strlen (c->yaml), "inline.yaml", NULL, &error);
  g_assert_null (schema);
  g_assert_error (error, CB_SCHEMA_ERROR, CB_SCHEMA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, all);

  /* And without either, it is still rejected. */
  schema = cb_schema_load_data (c->yaml, strlen (c->yaml), "inline.yaml", NULL, NULL);
  g_assert_null (schema);
}

static void
test_several_errors (void)
{
  static const char yaml[] =
    HEAD
    FIELD_R                                   /* 3-4 */
    "  - key: a\n"                            /* 5 */
    "    type: slider\n"
    "    min_value: 1\n"
    "    max_value: 2\n"
    "    step: 0\n"                           /* 9 */
    "  - key: fine\n"                         /* 10 */
    "    type: text_input\n"
    "  - key: b\n"                            /* 12 */
    "    type: checkbox\n"
    "    default: maybe\n"                    /* 14 */
    "    visible_if: \"r == later\"\n"        /* 15 */
    "  - key: later\n"
    "    type: selectbox\n"
    "    options_source: nowhere\n";          /* 18 */
  static const struct {
    guint       line;
    guint       column;
    const char *phrase;
  } expected[] = {
    { 9, 11, "'step'" },
    { 14, 14, "maybe" },
    { 15, 23, "which comes after this field" },
    { 18, 21, "unknown options_source" },
  };
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = NULL;
  g_auto(GStrv) lines = NULL;

  /* An earlier problem in the list is kept and not repeated in the GError. */
  g_ptr_array_add (problems, cb_problem_new (CB_PROBLEM_WARNING, "other.yaml", 1, 1, "earlier"));

  schema = cb_schema_load_data (yaml, strlen (yaml), "inline.yaml", problems, &error);
  g_assert_null (schema);
  g_assert_error (error, CB_SCHEMA_ERROR, CB_SCHEMA_ERROR_INVALID);
  g_assert_cmpuint (problems->len, ==, 1 + G_N_ELEMENTS (expected));
  g_assert_cmpstr (((CbProblem *) g_ptr_array_index (problems, 0))->message, ==, "earlier");

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const CbProblem *problem = g_ptr_array_index (problems, i + 1);

      g_assert_cmpuint (problem->line, ==, expected[i].line);
      g_assert_cmpuint (problem->column, ==, expected[i].column);
      g_assert_nonnull (strstr (problem->message, expected[i].phrase));
    }

  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *where = g_strdup_printf ("inline.yaml:%u:%u: ", expected[i].line,
                                                expected[i].column);

      g_assert_true (g_str_has_prefix (lines[i], where));
    }
}

static void
test_several_key_errors (void)
{
  static const char yaml[] =
    "title: T\n"
    "subtitle: U\n"                           /* 2 */
    "ui_elements:\n"
    "  - key: a\n"
    "    typ: text_input\n"                   /* 5 */
    "  - key: b\n"
    "    type: text_input\n"
    "    validation:\n"
    "      needed: true\n";                   /* 9 */
  static const struct {
    guint       line;
    guint       column;
    const char *phrase;
  } expected[] = {
    { 2, 1, "unknown key 'subtitle'" },
    { 5, 5, "unknown key 'typ'" },
    { 4, 5, "missing key 'type'" },
    { 9, 7, "unknown key 'needed'" },
  };
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = NULL;

  schema = cb_schema_load_data (yaml, strlen (yaml), "inline.yaml", problems, &error);
  g_assert_null (schema);
  g_assert_error (error, CB_SCHEMA_ERROR, CB_SCHEMA_ERROR_INVALID);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const CbProblem *problem = g_ptr_array_index (problems, i);

      g_assert_cmpuint (problem->line, ==, expected[i].line);
      g_assert_cmpuint (problem->column, ==, expected[i].column);
      g_assert_nonnull (strstr (problem->message, expected[i].phrase));
    }
}

/* A schema with one bad field among good ones is not returned at all, and a good schema
 * loaded right after it is complete. */
static void
test_not_half_loaded (void)
{
  static const char bad[] =
    HEAD
    "  - key: good\n"
    "    type: text_input\n"
    "  - key: bad\n"
    "    type: checkbox\n"
    "    default: perhaps\n"
    "  - key: also_good\n"
    "    type: checkbox\n";
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = NULL;
  g_autoptr(CbSchema) good = NULL;

  schema = cb_schema_load_data (bad, strlen (bad), NULL, problems, &error);
  g_assert_null (schema);
  g_assert_error (error, CB_SCHEMA_ERROR, CB_SCHEMA_ERROR_INVALID);
  g_assert_cmpuint (problems->len, ==, 1);
  /* Without a file name the problems still name something. */
  g_assert_nonnull (((CbProblem *) g_ptr_array_index (problems, 0))->file);

  good = load_inline (HEAD "  - key: good\n    type: text_input\n  - key: also_good\n"
                      "    type: checkbox\n");
  g_assert_cmpuint (cb_schema_get_n_fields (good), ==, 2);
}

static void
test_missing_file (void)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "no-such-schema.yaml",
                                                 NULL);

  schema = cb_schema_load_file (path, problems, &error);
  g_assert_null (schema);
  g_assert_error (error, CB_SCHEMA_ERROR, CB_SCHEMA_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((CbProblem *) g_ptr_array_index (problems, 0))->file, ==, path);
}

/* A file whose error is found by libcyaml carries the file's own path. */
static void
test_file_error_names_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-schema-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.yaml", NULL);
  g_autofree char *where = g_strdup_printf ("%s:5:5: ", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = NULL;

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (path, HEAD "  - key: a\n    type: info\n    labl: x\n", -1,
                                      NULL));
  schema = cb_schema_load_file (path, NULL, &error);
  g_assert_null (schema);
  g_assert_error (error, CB_SCHEMA_ERROR, CB_SCHEMA_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, where));

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schema/field/text-input", test_text_input);
  g_test_add_func ("/schema/field/label-fallback", test_label_fallback);
  g_test_add_func ("/schema/field/number-input", test_number_input);
  g_test_add_func ("/schema/field/checkbox", test_checkbox);
  g_test_add_func ("/schema/field/slider-float", test_slider_float);
  g_test_add_func ("/schema/field/slider-integral", test_slider_integral);
  g_test_add_func ("/schema/field/selectbox-plain-options", test_selectbox_plain_options);
  g_test_add_func ("/schema/field/selectbox-labelled-options", test_selectbox_labelled_options);
  g_test_add_func ("/schema/field/selectbox-source", test_selectbox_source);
  g_test_add_func ("/schema/field/every-options-source", test_every_options_source);
  g_test_add_func ("/schema/field/info", test_info);
  g_test_add_func ("/schema/field/metadata-keys", test_metadata_keys);
  g_test_add_func ("/schema/field/hydra-override", test_hydra_override);
  g_test_add_func ("/schema/field/expressions", test_expressions);
  g_test_add_func ("/schema/field/validation", test_validation);
  g_test_add_func ("/schema/top-level", test_top_level);
  g_test_add_func ("/schema/field/null-attributes", test_null_attributes);
  g_test_add_func ("/schema/refcount", test_refcount);
  g_test_add_func ("/schema/find-field", test_find_field);
  g_test_add_func ("/schema/options-source-is-known", test_options_source_is_known);
  g_test_add_func ("/schema/field-type-to-string", test_field_type_to_string);
  g_test_add_func ("/schema/ours", test_our_schemas);
  g_test_add_func ("/schema/original/train", test_original_train);
  g_test_add_func ("/schema/original/test", test_original_test);
  g_test_add_func ("/schema/original/predict", test_original_predict);

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/schema/error/%s", error_cases[i].name);

      g_test_add_data_func (path, &error_cases[i], test_error_case);
    }
  g_test_add_func ("/schema/error/several", test_several_errors);
  g_test_add_func ("/schema/error/several-keys", test_several_key_errors);
  g_test_add_func ("/schema/error/not-half-loaded", test_not_half_loaded);
  g_test_add_func ("/schema/error/missing-file", test_missing_file);
  g_test_add_func ("/schema/error/file-names-file", test_file_error_names_file);

  return g_test_run ();
}
