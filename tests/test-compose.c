/* test-compose.c: the composer against Hydra 1.3's rules, on small config trees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case writes a configs/ tree into a temporary folder, composes a primary config with
 * some overrides, and states the composed YAML or the error expected. The rules come from
 * Hydra 1.3's defaults-list code and its documentation.
 */

#include "config.h"

#include "cb/cb-compose.h"
#include "cb/cb-override.h"
#include "cb-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  char       *tmp;
  char       *dir;  /* tmp/configs */
  CbComposer *composer;
} Tree;

/* @files: path, content, path, content, ..., NULL */
static void
tree_open (Tree              *tree,
           const char * const *files)
{
  g_autoptr(GError) error = NULL;

  tree->tmp = g_dir_make_tmp ("cb-test-compose-XXXXXX", &error);
  g_assert_no_error (error);
  tree->dir = g_build_filename (tree->tmp, "configs", NULL);
  for (guint i = 0; files[i] != NULL; i += 2)
    {
      g_autofree char *path = g_build_filename (tree->dir, files[i], NULL);
      g_autofree char *parent = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
      g_assert_true (g_file_set_contents (path, files[i + 1], -1, NULL));
    }
  tree->composer = cb_composer_new (tree->dir);
}

static void
tree_close (Tree *tree)
{
  g_clear_pointer (&tree->composer, cb_composer_unref);
  cb_test_remove_tree (tree->tmp);
  g_clear_pointer (&tree->tmp, g_free);
  g_clear_pointer (&tree->dir, g_free);
}

/* Composes and checks the YAML, or the error's text (a prefix of it). */
static void
expect (const char * const *files,
        const char         *primary,
        const char * const *overrides,
        const char         *yaml,
        const char         *error_prefix)
{
  Tree tree = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CbComposition) composition = NULL;

  tree_open (&tree, files);
  composition = cb_composer_compose (tree.composer, primary, overrides, &error);
  if (error_prefix != NULL)
    {
      g_assert_null (composition);
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, error_prefix))
        g_error ("expected an error starting with\n  %s\ngot\n  %s", error_prefix,
                 error->message);
    }
  else
    {
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = cb_cfg_to_yaml (composition->config);
      g_assert_cmpstr (text, ==, yaml);
    }
  tree_close (&tree);
}

#define NO_OVERRIDES ((const char * const[]) { NULL })
#define OV(...) ((const char * const[]) { __VA_ARGS__, NULL })

static const char * const db_tree[] = {
  "config.yaml", "defaults:\n  - db: mysql\n\nname: app\n",
  "db/mysql.yaml", "driver: mysql\nhost: localhost\nport: 3306\n",
  "db/postgres.yaml", "driver: postgres\nhost: localhost\nport: 5432\nuser: pg\n",
  NULL
};

static void
test_group_default (void)
{
  expect (db_tree, "config", NO_OVERRIDES,
          "db:\n  driver: mysql\n  host: localhost\n  port: 3306\nname: app\n", NULL);
  expect (db_tree, "config", OV ("db=postgres"),
          "db:\n  driver: postgres\n  host: localhost\n  port: 5432\n  user: pg\nname: app\n",
          NULL);
  expect (db_tree, "config", OV ("db=oracle"), NULL,
          "'db' has no option 'oracle' (options: mysql, postgres); it is chosen on the "
          "command line");
  expect (db_tree, "nope", NO_OVERRIDES, NULL, "Cannot find the primary config 'nope'");
}

static void
test_self_position (void)
{
  /* Absent: _self_ goes last, so the primary config wins (Hydra 1.1+). */
  static const char * const last[] = {
    "config.yaml", "defaults:\n  - db: mysql\n\ndb:\n  host: primary\n",
    "db/mysql.yaml", "host: mysql\nport: 3306\n",
    NULL
  };
  static const char * const first[] = {
    "config.yaml", "defaults:\n  - _self_\n  - db: mysql\n\ndb:\n  host: primary\n",
    "db/mysql.yaml", "host: mysql\nport: 3306\n",
    NULL
  };
  static const char * const twice[] = {
    "config.yaml", "defaults:\n  - _self_\n  - _self_\n",
    NULL
  };

  expect (last, "config", NO_OVERRIDES, "db:\n  host: primary\n  port: 3306\n", NULL);
  expect (first, "config", NO_OVERRIDES, "db:\n  host: mysql\n  port: 3306\n", NULL);
  expect (twice, "config", NO_OVERRIDES, NULL, "configs");
}

static void
test_packages (void)
{
  static const char * const files[] = {
    "config.yaml",
    "defaults:\n  - db: mysql\n  - server/site: main\n  - db@backup: postgres\n  - extra\n",
    "db/mysql.yaml", "# @package _global_\ndatabase: mysql\n",
    "db/postgres.yaml", "kind: postgres\n",
    "server/site/main.yaml", "# @package web.site\nurl: example\n",
    "extra.yaml", "# Some text first\n# @package _group_\nflag: true\n",
    NULL
  };

  /* _global_ at the top, a header path absolute, @pkg relative to the parent (the primary:
   * ""), a config at the top level: its own package (none). */
  expect (files, "config", NO_OVERRIDES,
          "database: mysql\nweb:\n  site:\n    url: example\nbackup:\n  kind: postgres\n"
          "flag: true\n", NULL);
}

static void
test_nested_and_relative (void)
{
  static const char * const files[] = {
    "config.yaml", "defaults:\n  - model: default\n",
    "model/default.yaml",
    "defaults:\n  - _self_\n  - encoder: small\n  - /common/base\n  - parts/head\n\nname: m\n",
    "model/encoder/small.yaml", "width: 8\n",
    "model/parts/head.yaml", "k: 3\n",
    "common/base.yaml", "seed: 1\n",
    NULL
  };

  /* encoder is relative to model/ (package model.encoder); /common/base is absolute, its
   * package the parent's plus its own group path; parts/head likewise. */
  expect (files, "config", NO_OVERRIDES,
          "model:\n  name: m\n  encoder:\n    width: 8\n  common:\n    seed: 1\n  parts:\n"
          "    k: 3\n", NULL);
  expect (files, "config", OV ("model/encoder=big"), NULL,
          "'model/encoder' has no option 'big' (options: small)");
}

static void
test_selected_twice (void)
{
  static const char * const twice[] = {
    "config.yaml", "defaults:\n  - db: mysql\n  - db: postgres\n",
    "db/mysql.yaml", "a: 1\n",
    "db/postgres.yaml", "a: 2\n",
    NULL
  };
  static const char * const overridden[] = {
    "config.yaml", "defaults:\n  - db: mysql\n  - experiment: fast\n",
    "db/mysql.yaml", "a: 1\n",
    "db/postgres.yaml", "a: 2\n",
    "experiment/fast.yaml", "# @package _global_\ndefaults:\n  - override /db: postgres\n\nfast: true\n",
    NULL
  };

  expect (twice, "config", NO_OVERRIDES, NULL,
          "Multiple values for db. To override a value use 'override db: postgres'");
  /* An override later in the defaults list changes the earlier choice. */
  expect (overridden, "config", NO_OVERRIDES, "db:\n  a: 2\nfast: true\n", NULL);
  /* The command line wins over the defaults list's override. */
  expect (overridden, "config", OV ("db=mysql"), "db:\n  a: 1\nfast: true\n", NULL);
}

static void
test_append_and_delete_groups (void)
{
  expect (db_tree, "config", OV ("+db@backup=postgres"),
          "db:\n  driver: mysql\n  host: localhost\n  port: 3306\nname: app\nbackup:\n"
          "  driver: postgres\n  host: localhost\n  port: 5432\n  user: pg\n", NULL);
  expect (db_tree, "config", OV ("~db"), "name: app\n", NULL);
  expect (db_tree, "config", OV ("~db=mysql"), "name: app\n", NULL);
  expect (db_tree, "config", OV ("~db=postgres"), NULL, "Could not delete 'db=postgres'");
  expect (db_tree, "config", OV ("+db=postgres"), NULL, "Multiple values for db");
  expect (db_tree, "config", OV ("++db=postgres"), NULL, "'++db=postgres': ++ does not apply");
}

static void
test_optional_null_missing (void)
{
  static const char * const files[] = {
    "config.yaml",
    "defaults:\n  - optional site: nope\n  - db: null\n  - cache: ???\n\nx: 1\n",
    "db/mysql.yaml", "a: 1\n",
    "cache/redis.yaml", "b: 2\n",
    "site/main.yaml", "c: 3\n",
    NULL
  };
  static const char * const not_optional[] = {
    "config.yaml", "defaults:\n  - site: nope\n",
    "site/main.yaml", "c: 3\n",
    NULL
  };
  static const char * const bad_path[] = {
    "config.yaml", "defaults:\n  - presets/none\n",
    NULL
  };

  expect (files, "config", NO_OVERRIDES, NULL,
          "You must choose an option of 'cache', e.g. cache=<OPTION> (options: redis)");
  expect (files, "config", OV ("cache=redis"), "cache:\n  b: 2\nx: 1\n", NULL);
  expect (files, "config", OV ("cache=redis", "db=mysql"), "db:\n  a: 1\ncache:\n  b: 2\nx: 1\n",
          NULL);
  expect (not_optional, "config", NO_OVERRIDES, NULL,
          "'site' has no option 'nope' (options: main); it is chosen in configs");
  expect (bad_path, "config", NO_OVERRIDES, NULL,
          "a defaults list names 'presets/none', which does not exist (in ");
}

static void
test_value_overrides (void)
{
  static const char * const files[] = {
    "config.yaml",
    "defaults:\n  - db: mysql\n\nlist: [1, 2, 3]\nnested:\n  a: 1\n  b: {c: 2}\nmaybe: null\n",
    "db/mysql.yaml", "host: localhost\nport: 3306\n",
    NULL
  };

  expect (files, "config", OV ("db.port=1", "list=[5,6]"),
          "db:\n  host: localhost\n  port: 1\nlist: [5, 6]\nnested:\n  a: 1\n  b:\n    c: 2\n"
          "maybe: null\n", NULL);
  /* Struct mode: a key that is not there cannot be set, only added. */
  expect (files, "config", OV ("db.user=me"), NULL,
          "Could not override 'db.user': no such key in the config (add it with +db.user=me)");
  expect (files, "config", OV ("+db.user=me"),
          "db:\n  host: localhost\n  port: 3306\n  user: me\nlist: [1, 2, 3]\nnested:\n  a: 1\n"
          "  b:\n    c: 2\nmaybe: null\n", NULL);
  expect (files, "config", OV ("+db.port=1"), NULL,
          "Could not add 'db.port': it is already set (by configs");
  expect (files, "config", OV ("++db.port=1", "+maybe=3"),
          "db:\n  host: localhost\n  port: 1\nlist: [1, 2, 3]\nnested:\n  a: 1\n  b:\n    c: 2\n"
          "maybe: 3\n", NULL);
  expect (files, "config", OV ("~nested.b", "~list"),
          "db:\n  host: localhost\n  port: 3306\nnested:\n  a: 1\nmaybe: null\n", NULL);
  expect (files, "config", OV ("~nested.x"), NULL, "Could not delete 'nested.x'");
  /* A dict value is merged into the node (struct mode: only keys it has), a list item set
   * by index; ++ merges new keys in. */
  expect (files, "config", OV ("nested={b: {c: 5}}", "list.1=9"),
          "db:\n  host: localhost\n  port: 3306\nlist: [1, 9, 3]\nnested:\n  a: 1\n  b:\n"
          "    c: 5\nmaybe: null\n", NULL);
  expect (files, "config", OV ("nested={b: {d: 3}}"), NULL,
          "Could not override 'nested': its key 'd' is not in the config");
  expect (files, "config", OV ("++nested={b: {d: 3}}"),
          "db:\n  host: localhost\n  port: 3306\nlist: [1, 2, 3]\nnested:\n  a: 1\n  b:\n"
          "    c: 2\n    d: 3\nmaybe: null\n", NULL);
  /* A null is no value to delete (OmegaConf.select gives None); numbers compare as numbers. */
  expect (files, "config", OV ("~maybe"), NULL, "Could not delete 'maybe'");
  expect (files, "config", OV ("~db.port=3306.0"),
          "db:\n  host: localhost\nlist: [1, 2, 3]\nnested:\n  a: 1\n  b:\n    c: 2\n"
          "maybe: null\n", NULL);
  expect (files, "config", OV ("nested@x=1"), NULL, "'nested@x=1' looks like a config group");
  expect (files, "config", OV ("db@x=mysql"), NULL,
          "Could not override 'db@x': did you mean to override db?");
  expect (files, "config", OV ("db.port=1,2"), NULL, "db.port=1,2: Ambiguous value");
  /* OmegaConf checks interpolations when it merges an override. */
  expect (files, "config", OV ("db.host='${oops'"), NULL, "Could not merge 'db.host='${oops''");
  expect (files, "config", OV ("db.host=${}"), NULL, "Could not merge");
  expect (files, "config", OV ("db.host='\\${oops'"),
          "db:\n  host: \\${oops\n  port: 3306\nlist: [1, 2, 3]\nnested:\n  a: 1\n  b:\n"
          "    c: 2\nmaybe: null\n", NULL);
}

static void
test_hydra_groups (void)
{
  static const char * const files[] = {
    "config.yaml", "x: 1\n",
    NULL
  };

  /* Hydra's own groups are in its package: its options are accepted, others refused. */
  expect (files, "config", OV ("hydra/job_logging=disabled", "hydra/launcher=[basic]"),
          "x: 1\n", NULL);
  expect (files, "config", OV ("hydra/job_logging=bogus"), NULL,
          "'hydra/job_logging' has no option 'bogus' (options: default, disabled, none, stdout)");
  expect (files, "config", OV ("hydra/nothing=x"), NULL,
          "'hydra/nothing' is not one of Hydra's config groups");
}

static void
test_list_replacement (void)
{
  static const char * const files[] = {
    "config.yaml", "defaults:\n  - base\n  - _self_\n\nitems: [4]\nmap:\n  k: [x]\n",
    "base.yaml", "items: [1, 2, 3]\nmap:\n  k: [a, b]\n  other: 1\n",
    NULL
  };

  expect (files, "config", NO_OVERRIDES, "items: [4]\nmap:\n  k: [x]\n  other: 1\n", NULL);
}

static void
test_interpolation_display (void)
{
  static const char * const files[] = {
    "config.yaml",
    "paths:\n  root: /data\n  out: ${paths.root}/out\nname: ${paths.out}/run\n"
    "home: ${oc.env:HOME}\nrun: ${hydra:runtime.output_dir}\n",
    NULL
  };
  Tree tree = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CbComposition) c = NULL;
  g_autofree char *name = NULL;
  g_autofree char *home = NULL;
  g_autofree char *run = NULL;

  tree_open (&tree, files);
  c = cb_composer_compose (tree.composer, "config", NULL, &error);
  g_assert_no_error (error);
  /* Kept as text in the config; resolved for display where they point into it. */
  g_assert_cmpstr (cb_cfg_lookup_path (c->config, "name")->text, ==, "${paths.out}/run");
  name = cb_cfg_resolve_text (c->config, cb_cfg_lookup_path (c->config, "name")->text);
  home = cb_cfg_resolve_text (c->config, cb_cfg_lookup_path (c->config, "home")->text);
  run = cb_cfg_resolve_text (c->config, cb_cfg_lookup_path (c->config, "run")->text);
  g_assert_cmpstr (name, ==, "/data/out/run");
  g_assert_cmpstr (home, ==, "${oc.env:HOME}");
  g_assert_cmpstr (run, ==, "${hydra:runtime.output_dir}");
  tree_close (&tree);
}

static void
test_provenance_and_shadowing (void)
{
  static const char * const files[] = {
    "train.yaml", "defaults:\n  - model: a\n  - preset: fixed\n  - _self_\n\nseed: 1\n",
    "model/a.yaml", "name: a\nsize: 1\n",
    "model/b.yaml", "name: b\nsize: 2\n",
    "preset/fixed.yaml", "# @package _global_\nmodel:\n  name: a\n  size: 1\n",
    NULL
  };
  Tree tree = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CbComposition) c = NULL;
  const CbCfg *name;

  tree_open (&tree, files);
  c = cb_composer_compose (tree.composer, "train", OV ("model=b", "seed=7"), &error);
  g_assert_no_error (error);

  /* Every value knows the file and line that set it last. */
  name = cb_cfg_lookup_path (c->config, "model.name");
  g_assert_cmpstr (name->text, ==, "a");
  g_assert_true (g_str_has_suffix (name->file, "/preset/fixed.yaml"));
  g_assert_cmpuint (name->line, ==, 3);
  g_assert_cmpstr (cb_cfg_lookup_path (c->config, "seed")->file, ==, "command line");

  /* The command chose model=b, but the preset loads its own values later. */
  g_assert_cmpuint (c->warnings->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (c->warnings, 0),
                                   "model=b: 'model.name' (and 1 more of what it sets) is set "
                                   "again later by "));
  g_assert_cmpstr (g_ptr_array_index (c->choices, 0), ==, "model=b");
  tree_close (&tree);
}

static void
test_options_list (void)
{
  static const char * const files[] = {
    "config.yaml", "defaults:\n  - opt: [a, b]\n",
    "opt/a.yaml", "x: 1\ny: 1\n",
    "opt/b.yaml", "y: 2\n",
    NULL
  };

  /* A list of options merges each in order into the group's package. */
  expect (files, "config", NO_OVERRIDES, "opt:\n  x: 1\n  y: 2\n", NULL);
  expect (files, "config", OV ("opt=[b,a]"), "opt:\n  y: 1\n  x: 1\n", NULL);
}

/* Found by tests/fuzz/fuzz-yaml: a ${…} inside a flow list was written plain and read back
 * as a flow mapping; a next-line character (\N) was written raw and read back as a space.
 * What the writer writes reads back as the same tree. */
static void
test_yaml_writer_round_trip (void)
{
  static const char text[] =
    "overrides: ['+a=1', '${x.y}', 'a,b', '[c]', '{d}', 'e: f', '#g', '', 'true', '007']\n"
    "'k,ey': {'{in}': '${z}'}\n"
    "\"nel\\Nkey\": \"a\\Nb \\L c\\P\"\n"
    "'--- doc': '...'\n"
    "'...': ['---', '--- a', '---a']\n";
  g_autoptr(CbNode) node = cb_yaml_load_data (text, strlen (text), "t.yaml", NULL);
  g_autoptr(CbCfg) cfg = cb_cfg_from_node (node, "t.yaml");
  g_autofree char *yaml = cb_cfg_to_yaml (cfg);
  g_autoptr(CbNode) again = cb_yaml_load_data (yaml, strlen (yaml), "again.yaml", NULL);
  g_autoptr(CbCfg) cfg_again = NULL;
  g_autofree char *json = cb_cfg_to_json (cfg);
  g_autofree char *json_again = NULL;

  g_assert_nonnull (again);
  cfg_again = cb_cfg_from_node (again, "again.yaml");
  json_again = cb_cfg_to_json (cfg_again);
  g_assert_cmpstr (json_again, ==, json);

  /* A key longer than YAML's simple keys (1024 characters) as written, in a map and in a
   * flow map: long itself, or short but long once its escapes are written. */
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(CbCfg) map = cb_cfg_new_map ();
      g_autoptr(CbCfg) inner = cb_cfg_new_map ();
      g_autoptr(CbCfg) nested = cb_cfg_new_map ();
      g_autofree char *key = NULL;
      g_autofree char *long_yaml = NULL;
      g_autoptr(CbNode) long_again = NULL;
      g_autoptr(CbCfg) long_cfg = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      if (k == 0)
        key = g_strnfill (1500, 'k');
      else
        {
          GString *escaped = g_string_new ("\"'");

          for (guint i = 0; i < 300; i++)
            g_string_append (escaped, "\\\t");
          key = g_string_free (escaped, FALSE);
        }
      cb_cfg_map_set (inner, key, cb_cfg_new_scalar ("v", TRUE));
      cb_cfg_map_set (map, key, cb_cfg_new_scalar ("1", FALSE));
      cb_cfg_map_set (map, "list", cb_cfg_new_list ());
      cb_cfg_list_append (cb_cfg_lookup (map, "list"), g_steal_pointer (&inner));
      cb_cfg_map_set (nested, key, cb_cfg_new_scalar ("2", FALSE));
      cb_cfg_map_set (map, "nested", g_steal_pointer (&nested));
      long_yaml = cb_cfg_to_yaml (map);
      long_again = cb_yaml_load_data (long_yaml, strlen (long_yaml), "long.yaml", NULL);
      g_assert_nonnull (long_again);
      long_cfg = cb_cfg_from_node (long_again, "long.yaml");
      a = cb_cfg_to_json (map);
      b = cb_cfg_to_json (long_cfg);
      g_assert_cmpstr (a, ==, b);
    }
}

static void
test_hydra_node_apart (void)
{
  static const char * const files[] = {
    "config.yaml", "defaults:\n  - hydra: mine\n\nx: 1\n",
    "hydra/mine.yaml", "run:\n  dir: out\n",
    NULL
  };
  Tree tree = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CbComposition) c = NULL;

  tree_open (&tree, files);
  c = cb_composer_compose (tree.composer, "config", OV ("hydra.run.dir=elsewhere"), &error);
  g_assert_no_error (error);
  g_assert_null (cb_cfg_lookup (c->config, "hydra"));
  g_assert_cmpstr (cb_cfg_lookup_path (c->hydra, "run.dir")->text, ==, "elsewhere");
  tree_close (&tree);
}

static void
test_broken_files (void)
{
  static const char * const files[] = {
    "config.yaml", "defaults:\n  - db: bad\n",
    "db/bad.yaml", "a: [1, 2\n",
    NULL
  };
  static const char * const not_map[] = {
    "config.yaml", "defaults:\n  - db: list\n",
    "db/list.yaml", "- 1\n- 2\n",
    NULL
  };
  static const char * const bad_defaults[] = {
    "config.yaml", "defaults: 3\n",
    NULL
  };

  expect (files, "config", NO_OVERRIDES, NULL, "configs");
  expect (not_map, "config", NO_OVERRIDES, NULL, "configs");
  expect (bad_defaults, "config", NO_OVERRIDES, NULL, "configs");
}

/* ---- the override parser (reference/hydra-quoting.md) -------------------------------- */

static void
check_value (const char *text,
             const char *yaml_value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbOverride) o = cb_override_parse (text, &error);
  g_autofree char *shown = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (o);
  {
    g_autoptr(CbCfg) wrap = cb_cfg_new_map ();

    cb_cfg_map_set (wrap, "v", cb_cfg_copy (o->value));
    shown = cb_cfg_to_yaml (wrap);
  }
  if (g_strcmp0 (shown + 3, yaml_value) != 0)
    g_error ("%s gave %s, expected %s", text, shown + 3, yaml_value);
}

static void
check_refused (const char *text,
               gint        code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbOverride) o = cb_override_parse (text, &error);

  g_assert_null (o);
  g_assert_error (error, CB_OVERRIDE_ERROR, code);
}

static void
test_override_grammar (void)
{
  g_autoptr(CbOverride) del = NULL;
  g_autoptr(CbOverride) add = NULL;
  g_autoptr(CbOverride) pkg = NULL;

  check_value ("exp_name=\"my run\"", "my run\n");
  check_value ("exp_name=my run", "my run\n");
  check_value ("exp_name= x ", "x\n");
  check_value ("exp_name=a\\ b", "a b\n");
  check_value ("exp_name=a\\,b", "a,b\n");
  check_value ("exp_name=a\\=b", "a=b\n");
  check_value ("exp_name=a\\\\b", "a\\b\n");
  check_value ("exp_name=back\\slash", "back\\slash\n");
  check_value ("exp_name=\"a\\\"b\"", "a\"b\n");
  check_value ("exp_name='a\\'b'", "a'b\n");
  check_value ("exp_name=\"ab\\\\\"", "ab\\\n");
  check_value ("exp_name=\"a\\\\b\"", "a\\\\b\n");
  check_value ("exp_name=\"한국어\"", "한국어\n");
  check_value ("exp_name=007", "'007'\n");
  check_value ("exp_name=1_000", "1000\n");
  check_value ("exp_name=1e3", "1000.0\n");
  check_value ("exp_name=.5", "0.5\n");
  check_value ("exp_name=null", "null\n");
  check_value ("exp_name=True", "true\n");
  check_value ("exp_name='32'", "'32'\n");
  check_value ("exp_name=\"1e-05\"", "'1e-05'\n");
  check_value ("exp_name=[a,b]", "[a, b]\n");
  check_value ("exp_name=[a b]", "[a b]\n");
  check_value ("exp_name={a:1}", "  a: 1\n");
  check_value ("exp_name=", "''\n");
  check_value ("exp_name=x:y", "x:y\n");
  check_value ("exp_name=$HOME", "$HOME\n");
  check_value ("transforms.t=${enhanced_transforms.train_transform}",
               "${enhanced_transforms.train_transform}\n");
  check_value ("hydra.run.dir=outputs/${now:%Y-%m-%d}", "outputs/${now:%Y-%m-%d}\n");
  check_value ("checkpoint_path=\"outputs/exp/checkpoints/epoch=10.ckpt\"",
               "outputs/exp/checkpoints/epoch=10.ckpt\n");

  check_refused ("exp_name=it's", CB_OVERRIDE_ERROR_SYNTAX);
  check_refused ("checkpoint_path=outputs/epoch=10.ckpt", CB_OVERRIDE_ERROR_SYNTAX);
  check_refused ("exp_name=한국어", CB_OVERRIDE_ERROR_SYNTAX);
  check_refused ("exp_name=\"ab\\\"", CB_OVERRIDE_ERROR_SYNTAX);
  check_refused ("exp_name=a,b", CB_OVERRIDE_ERROR_SWEEP);
  check_refused ("exp_name=a b,c", CB_OVERRIDE_ERROR_SWEEP);
  check_refused ("lr=choice(1,2)", CB_OVERRIDE_ERROR_SWEEP);
  check_refused ("", CB_OVERRIDE_ERROR_SYNTAX);
  check_refused ("exp_name", CB_OVERRIDE_ERROR_SYNTAX);
  check_refused ("x=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                 CB_OVERRIDE_ERROR_SYNTAX);

  del = cb_override_parse ("~exp_name", NULL);
  g_assert_cmpint (del->kind, ==, CB_OVERRIDE_DELETE);
  g_assert_null (del->value);
  add = cb_override_parse ("++trainer.foo=1", NULL);
  g_assert_cmpint (add->kind, ==, CB_OVERRIDE_FORCE_ADD);
  g_assert_cmpstr (add->key, ==, "trainer.foo");
  pkg = cb_override_parse ("+model@pkg=x", NULL);
  g_assert_cmpint (pkg->kind, ==, CB_OVERRIDE_ADD);
  g_assert_cmpstr (pkg->key, ==, "model");
  g_assert_cmpstr (pkg->package, ==, "pkg");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/compose/group-default", test_group_default);
  g_test_add_func ("/compose/self-position", test_self_position);
  g_test_add_func ("/compose/packages", test_packages);
  g_test_add_func ("/compose/nested-and-relative", test_nested_and_relative);
  g_test_add_func ("/compose/selected-twice", test_selected_twice);
  g_test_add_func ("/compose/append-and-delete-groups", test_append_and_delete_groups);
  g_test_add_func ("/compose/optional-null-missing", test_optional_null_missing);
  g_test_add_func ("/compose/value-overrides", test_value_overrides);
  g_test_add_func ("/compose/list-replacement", test_list_replacement);
  g_test_add_func ("/compose/hydra-groups", test_hydra_groups);
  g_test_add_func ("/compose/interpolation-display", test_interpolation_display);
  g_test_add_func ("/compose/provenance-and-shadowing", test_provenance_and_shadowing);
  g_test_add_func ("/compose/options-list", test_options_list);
  g_test_add_func ("/compose/hydra-node-apart", test_hydra_node_apart);
  g_test_add_func ("/compose/yaml-writer-round-trip", test_yaml_writer_round_trip);
  g_test_add_func ("/compose/broken-files", test_broken_files);
  g_test_add_func ("/compose/override-grammar", test_override_grammar);

  return g_test_run ();
}
