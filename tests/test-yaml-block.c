/* test-yaml-block.c: the plain block YAML reader against libyaml (the same events for what it
 * takes, nothing for what it declines), on Hydra's own files and on the edges of the subset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-yaml-block"

#include "config.h"

#include "cb/cb-checkpoint.h"
#include "cb/cb-yaml-block.h"
#include "cb-test-yaml-events.h"

#include <string.h>

/* cb_yaml_block_read() takes @yaml and gives libyaml's events. */
static void
assert_taken (const char *yaml)
{
  g_autofree char *block = cb_test_yaml_events_block (yaml, strlen (yaml));
  g_autofree char *libyaml = cb_test_yaml_events_libyaml (yaml, strlen (yaml));

  if (block == NULL)
    g_error ("declined:\n%s", yaml);
  if (libyaml == NULL)
    g_error ("taken, but libyaml refuses it:\n%s", yaml);
  if (!g_str_equal (block, libyaml))
    g_error ("%s\nblock reader:\n%s\nlibyaml:\n%s", yaml, block, libyaml);
}

/* cb_yaml_block_read() declines @yaml (libyaml reads it, or refuses it). */
static void
assert_declined (const char *yaml)
{
  g_autofree char *block = cb_test_yaml_events_block (yaml, strlen (yaml));

  if (block != NULL)
    g_error ("taken:\n%s\nas:\n%s", yaml, block);
}

static void
test_taken (void)
{
  static const char * const docs[] = {
    "",
    "\n\n   \n",
    "a: 1",
    "a: 1\n",
    "a: 1\nb: two words  \nc:   x\n",
    "a:\n",
    "a:\nb:\n",
    "a:\n  b: 1\n  c:\n    d: x\ne: 2\n",
    "a:\n  b:\nc: 1\n",
    "a:\n- x\n- y\nb: 1\n",
    "a:\n  - x\n  - y\nb:\n- z\n",
    "a:\n  b:\n  - 1\n  c: 2\n",
    "- exp_name=run-1\n- model/architectures=dbnet\n- +preset/datasets=x\n- ~logger\n",
    "  - indented\n  - root\n",
    "  a: 1\n  b:\n    c: 2\n",
    "tags: []\nparams: {}\nlist:\n- []\n",
    "q: 'single quoted: x'\nd: \"double, [x] {y}\"\ne: ''\nf: \"\"\n",
    "n: null\nt: ~\nN: Null\nu: NULL\nneg: -1\nf: -0.5\nv: -v2\n",
    "file: epoch-{epoch:02d}_step-{step:06d}\nout: ${hydra:runtime.output_dir}\n",
    "url: http://x.org/a?b=c\nit: it's\nq: a\"b\nw: a - b\nx: a :b\nm: ---\ndots: ...\n",
    "k.with.dots: 1\nk/slash: 2\nk-dash: 3\n_u: 4\n9: 5\ntrue: 6\n",
    "a:\n  b:\n    c:\n      d:\n        e:\n          f: deep\n",
    "a: 1\n\n\nb: 2\n   \nc:\n\n  d: 3\n",
    "- a\n- 'b'\n- \"c\"\n- []\n- {}\n",
    "a: x\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    assert_taken (docs[i]);
}

static void
test_declined (void)
{
  static const char * const docs[] = {
    "a: 1 # comment\n",
    "# comment\na: 1\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: [1, 2]\n",
    "a: {b: 1}\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: one\n  two\n",
    "- a\n  b\n",
    "- a\n  - b\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "- a: 1\n  b: 2\n",
    "-\n  a: 1\n",
    "- - a\n",
    "a:\n    b: 1\n  c: 2\n",
    "a: 1\n  b: 2\n",
    "  a: 1\nb: 2\n",
    "- a\nb: 1\n",
    "a: 1\n- b\n",
    "a:\n  b: 1\n- c\n",
    "a: b: c\n",
    "a: b:\n",
    "a: 'it''s'\n",
    "a: \"\\n\"\n",
    "a: 'open\n",
    "a:\tb\n",
    "a: b\r\n",
    "a: caf\xc3\xa9\n",
    "\xef\xbb\xbf" "a: 1\n",
    "? a\n: b\n",
    "'a': 1\n",
    "a b: 1\n",
    "a:b\n",
    "plain\n",
    "a: -\n",
    "a: - b\n",
    "a: :x\n",
    "a: ?x\n",
    "a: @x\n",
    "a: %x\n",
    "a: `x\n",
    "a: *x\n",
    "a: |x\n",
    "a: >x\n",
    "a: ,x\n",
    "a: [\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    assert_declined (docs[i]);
}

static void
test_limits (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) long_line = g_string_new ("a: ");
  g_autoptr(GString) fits = NULL;

  /* CB_YAML_BLOCK_MAX_DEPTH mappings nest; one more is declined. */
  for (guint i = 0; i < CB_YAML_BLOCK_MAX_DEPTH; i++)
    {
      for (guint j = 0; j < i; j++)
        g_string_append_c (deep, ' ');
      g_string_append (deep, "k:\n");
    }
  assert_taken (deep->str);
  for (guint j = 0; j < CB_YAML_BLOCK_MAX_DEPTH; j++)
    g_string_append_c (deep, ' ');
  g_string_append (deep, "k: 1\n");
  assert_declined (deep->str);

  while (long_line->len < CB_YAML_BLOCK_MAX_LINE)
    g_string_append_c (long_line, 'x');
  fits = g_string_new (long_line->str);
  assert_taken (fits->str);
  g_string_append_c (long_line, 'x');
  assert_declined (long_line->str);
}

/* Every .hydra file of the demo project's runs is in the subset: the reader serves the files
 * Hydra writes, not only the tests'. */
static void
test_demo_runs (void)
{
  g_autofree char *outputs = g_build_filename (g_getenv ("CB_DATA_DIR"), "demo-project",
                                               "outputs", NULL);
  g_autoptr(GDir) dir = g_dir_open (outputs, 0, NULL);
  const char *run;
  guint n_files = 0;

  g_assert_nonnull (dir);
  while ((run = g_dir_read_name (dir)) != NULL)
    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *path = g_build_filename (outputs, run, ".hydra",
                                                  i == 0 ? "overrides.yaml" : "config.yaml",
                                                  NULL);
        g_autofree char *contents = NULL;

        if (!g_file_get_contents (path, &contents, NULL, NULL))
          continue;
        assert_taken (contents);
        n_files++;
      }
  g_assert_cmpuint (n_files, >=, 6);
}

/* The facts of a run read through the block reader and through libyaml are the same: a
 * config with a comment line goes to libyaml, the same config without it does not. */
static void
test_same_facts (void)
{
  static const char *overrides = "- exp_name=receipts\n- model/architectures=dbnet\n";
  static const char *config =
    "exp_name: receipts\n"
    "model:\n"
    "  architecture_name: dbnet\n"
    "  encoder:\n"
    "    model_name: resnet34\n"
    "  component_overrides:\n"
    "    decoder:\n"
    "      name: pan_decoder\n"
    "    head:\n"
    "      name: db_head\n"
    "    loss:\n"
    "      name: 'db_loss'\n"
    "preprocessing_profile: lens_style\n";
  g_autofree char *commented = g_strconcat ("# written by Hydra\n", config, NULL);
  g_autofree char *block_events = cb_test_yaml_events_block (config, strlen (config));
  CbRunInfo *fast, *slow;
  const char *keys[] = { "architecture", "encoder", "decoder", "head", "loss",
                         "preprocessing_profile" };

  g_assert_nonnull (block_events);
  g_assert_null (cb_test_yaml_events_block (commented, strlen (commented)));
  fast = cb_run_info_parse (overrides, strlen (overrides), config, strlen (config));
  slow = cb_run_info_parse (overrides, strlen (overrides), commented, strlen (commented));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_assert_nonnull (cb_run_info_get (fast, keys[i]));
      g_assert_cmpstr (cb_run_info_get (fast, keys[i]), ==, cb_run_info_get (slow, keys[i]));
    }
  g_assert_cmpstr (cb_run_info_get (fast, "loss"), ==, "db_loss");
  g_assert_cmpstr (cb_run_info_get (fast, "encoder"), ==, "resnet34");
  cb_run_info_free (fast);
  cb_run_info_free (slow);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yaml-block/taken", test_taken);
  g_test_add_func ("/yaml-block/declined", test_declined);
  g_test_add_func ("/yaml-block/limits", test_limits);
  g_test_add_func ("/yaml-block/demo-runs", test_demo_runs);
  g_test_add_func ("/yaml-block/same-facts", test_same_facts);
  return g_test_run ();
}
