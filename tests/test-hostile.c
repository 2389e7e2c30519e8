/* test-hostile.c: hostile project files give an error, never a hang, a crash or a blow-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project folder travels through git, so every file in it may come from someone who means
 * harm or just made a mistake. Each case builds such a project in a temporary folder at test
 * time and runs the real code: the core readers in a forked test subprocess, the
 * `command-builder` binary (CB_BINARY) as a child. Both are killed after CASE_TIMEOUT_S
 * seconds, so that a hang fails the case instead of the whole run; nothing asserts how long
 * anything took.
 */

#include "config.h"

#include "cb/cb-checkpoint.h"
#include "cb/cb-config.h"
#include "cb/cb-expr.h"
#include "cb/cb-file-read.h"
#include "cb/cb-form.h"
#include "cb/cb-problem.h"
#include "cb/cb-run-history.h"
#include "cb/cb-schema.h"
#include "cb/cb-yaml.h"
#include "cb-test-hostile.h"
#include "cb-test-util.h"
#ifdef CB_TEST_STATE_STORE
#include "cb-state-store.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Loads a schema of one element whose lines are @element (each indented by four spaces by
 * the caller); returns the problems as text, "" when it loaded. */
static char *
schema_problems (const char *element)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbSchema) schema = NULL;
  g_autofree char *yaml = g_strdup_printf ("title: Hostile\nui_elements:\n  - key: a\n%s",
                                           element);

  schema = cb_schema_load_data (yaml, strlen (yaml), "hostile.yaml", problems, NULL);
  g_assert_true ((schema == NULL) == (problems->len > 0));
  return cb_problem_list_to_string (problems);
}

static void
assert_schema_error (const char *element,
                     const char *expected)
{
  g_autofree char *text = schema_problems (element);

  g_test_message ("problems: %s", text);
  hostile_assert_contains (text, expected);
  g_assert_true (g_str_has_prefix (text, "hostile.yaml:"));
}

/* ---- 1. only regular files are read ---------------------------------------------------- */

static void
test_read_fifo (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autofree char *path = g_build_filename (tmp, "x.yaml", NULL);
  g_autofree char *expected = g_strdup_printf ("%s: is a FIFO, not a regular file", path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  hostile_make_fifo (path);
  g_assert_false (cb_file_read_regular (path, CB_FILE_KIND_CONFIG, &contents, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (contents);
  cb_test_remove_tree (tmp);
}

static void
test_read_dev_zero (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autofree char *path = g_build_filename (tmp, "x.yaml", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  hostile_make_symlink ("/dev/zero", path);
  g_assert_false (cb_file_read_regular (path, CB_FILE_KIND_CONFIG, &contents, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  hostile_assert_contains (error->message, "is a character device");
  cb_test_remove_tree (tmp);
}

static void
test_read_directory (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_false (cb_file_read_regular (tmp, CB_FILE_KIND_SCHEMA, &contents, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  hostile_assert_contains (error->message, "is a directory");
  cb_test_remove_tree (tmp);
}

static void
test_read_too_large (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autofree char *path = g_build_filename (tmp, "x.yaml", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize limit = cb_file_kind_get_max_size (CB_FILE_KIND_CONFIG);
  int fd;

  /* Sparse: no disk space used. One byte over the limit is refused; the limit is read. */
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) limit + 1), ==, 0);
  close (fd);
  g_assert_false (cb_file_read_regular (path, CB_FILE_KIND_CONFIG, &contents, NULL, &error));
  hostile_assert_contains (error->message, "is larger than 16 MiB");
  g_clear_error (&error);

  g_assert_cmpint (truncate (path, (off_t) limit), ==, 0);
  g_assert_true (cb_file_read_regular (path, CB_FILE_KIND_CONFIG, &contents, NULL, &error));
  g_assert_no_error (error);
  cb_test_remove_tree (tmp);
}

static void
test_yaml_fifo (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autofree char *path = g_build_filename (tmp, "configs", "trainer", "x.yaml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) node = NULL;

  hostile_make_fifo (path);
  node = cb_yaml_load_file (path, &error);
  g_assert_null (node);
  g_assert_error (error, CB_YAML_ERROR, CB_YAML_ERROR_IO);
  hostile_assert_contains (error->message, "is a FIFO");
  cb_test_remove_tree (tmp);
}

static void
test_schema_fifo (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autofree char *path = g_build_filename (tmp, "train.yaml", NULL);
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSchema) schema = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  hostile_make_fifo (path);
  schema = cb_schema_load_file (path, problems, &error);
  g_assert_null (schema);
  g_assert_error (error, CB_SCHEMA_ERROR, CB_SCHEMA_ERROR_INVALID);
  text = cb_problem_list_to_string (problems);
  expected = g_strdup_printf ("%s: is a FIFO, not a regular file", path);
  g_assert_cmpstr (text, ==, expected);
  cb_test_remove_tree (tmp);
}

static void
test_config_tree_fifo (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *configs = g_build_filename (project, "configs", NULL);
  g_autofree char *fifo = g_build_filename (configs, "trainer", "x.yaml", NULL);
  g_autofree char *zero = g_build_filename (configs, "trainer", "default.yaml", NULL);
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbConfigSnapshot) snapshot = NULL;
  g_autofree char *text = NULL;

  hostile_make_fifo (fifo);
  hostile_make_symlink ("/dev/zero", zero);

  cb_config_check_tree (configs, problems);
  snapshot = cb_config_snapshot_load (configs, problems);
  g_assert_nonnull (snapshot);
  text = cb_problem_list_to_string (problems);
  g_test_message ("%s", text);
  hostile_assert_contains (text, "x.yaml: is a FIFO, not a regular file");
  hostile_assert_contains (text, "default.yaml: is a character device, not a regular file");
  cb_test_remove_tree (tmp);
}

static void
test_run_info_fifo (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autofree char *overrides = g_build_filename (tmp, ".hydra", "overrides.yaml", NULL);
  g_autofree char *config = g_build_filename (tmp, ".hydra", "config.yaml", NULL);
  CbRunInfo *info;

  hostile_write_file (overrides, "- exp_name=fifo_run\n", -1);
  hostile_make_fifo (config);
  info = cb_run_info_read (tmp);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->exp_name, ==, "fifo_run");
  cb_run_info_free (info);
  cb_test_remove_tree (tmp);
}

static void
test_history_fifo (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autofree char *path = g_build_filename (tmp, "history.ini", NULL);
  g_autoptr(CbRunHistory) history = NULL;
  g_autoptr(GError) error = NULL;

  hostile_make_fifo (path);
  history = cb_run_history_new (path);
  g_assert_false (cb_run_history_load (history, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  hostile_assert_contains (error->message, "is a FIFO");
  g_assert_cmpuint (g_list_model_get_n_items (cb_run_history_get_entries (history)), ==, 0);
  /* Not moved aside: it was never read. */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  cb_test_remove_tree (tmp);
}

static void
test_history_dev_urandom (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autofree char *path = g_build_filename (tmp, "history.ini", NULL);
  g_autoptr(CbRunHistory) history = NULL;
  g_autoptr(GError) error = NULL;

  hostile_make_symlink ("/dev/urandom", path);
  history = cb_run_history_new (path);
  g_assert_false (cb_run_history_load (history, &error));
  hostile_assert_contains (error->message, "is a character device");
  cb_test_remove_tree (tmp);
}

#ifdef CB_TEST_STATE_STORE
static void
test_state_fifo (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autofree char *path = g_build_filename (tmp, "state.ini", NULL);
  g_autoptr(CbStateStore) store = NULL;
  g_autofree char *page = NULL;

  hostile_make_fifo (path);
  store = cb_state_store_new (path);
  /* Set aside (renamed), said once, and the pages start from their defaults. */
  hostile_assert_contains (cb_state_store_get_load_problem (store),
                           "is a FIFO, not a regular file");
  hostile_assert_contains (cb_state_store_get_load_problem (store), "set aside as");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  page = cb_state_store_dup_page (store);
  g_assert_null (page);
  cb_test_remove_tree (tmp);
}
#endif

/* The binary: check and print with special files where configs and settings are. */

static void
test_cli_check_fifo_config (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *fifo = g_build_filename (project, "configs", "trainer", "x.yaml", NULL);
  g_autofree char *expected = g_strdup_printf ("%s: is a FIFO, not a regular file", fifo);
  g_auto(Result) result = { 0 };

  hostile_make_fifo (fifo);
  if (hostile_run_cli (&result, "--project", project, "check", NULL))
    {
      g_autofree char *line = hostile_first_line (result.err);

      g_assert_cmpint (result.status, ==, 1);
      g_assert_cmpstr (line, ==, expected);
    }
  cb_test_remove_tree (tmp);
}

static void
test_cli_check_zero_config (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *path = g_build_filename (project, "configs", "trainer", "default.yaml", NULL);
  g_autofree char *expected = g_strdup_printf ("%s: is a character device, not a regular file",
                                               path);
  g_auto(Result) result = { 0 };

  hostile_make_symlink ("/dev/zero", path);
  if (hostile_run_cli (&result, "--project", project, "check", NULL))
    {
      g_assert_cmpint (result.status, ==, 1);
      hostile_assert_contains (result.err, expected);
    }
  cb_test_remove_tree (tmp);
}

static void
test_cli_print_fifo_config (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *fifo = g_build_filename (project, "configs", "trainer", "default.yaml", NULL);
  g_auto(Result) result = { 0 };

  hostile_make_fifo (fifo);
  if (hostile_run_cli (&result, "--project", project, "print", "train", NULL))
    {
      /* The command is still printed; the trainer group just has no file to offer. */
      g_test_message ("status %d, stderr: %s", result.status, result.err);
      hostile_assert_contains (result.out, "runners/train.py");
    }
  cb_test_remove_tree (tmp);
}

/* The settings file replaced by @how ("fifo", or a device to link to). */
static void
check_bad_settings (const char *command,
                    const char *how,
                    const char *what)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *settings = g_build_filename (project, "command-builder.yaml", NULL);
  g_autofree char *expected = g_strdup_printf ("%s: %s, not a regular file", settings, what);
  g_auto(Result) result = { 0 };
  gboolean ran;

  if (g_str_equal (how, "fifo"))
    hostile_make_fifo (settings);
  else
    hostile_make_symlink (how, settings);

  if (g_str_equal (command, "print"))
    ran = hostile_run_cli (&result, "--project", project, "print", "train", NULL);
  else
    ran = hostile_run_cli (&result, "--project", project, command, NULL);
  if (ran)
    {
      g_autofree char *line = hostile_first_line (result.err);

      /* print stops on broken settings with 2, as on any settings error. */
      g_assert_cmpint (result.status, ==, g_str_equal (command, "print") ? 2 : 1);
      g_assert_cmpstr (line, ==, expected);
    }
  cb_test_remove_tree (tmp);
}

static void
test_cli_check_fifo_settings (void)
{
  check_bad_settings ("check", "fifo", "is a FIFO");
}

static void
test_cli_print_fifo_settings (void)
{
  check_bad_settings ("print", "fifo", "is a FIFO");
}

static void
test_cli_check_zero_settings (void)
{
  check_bad_settings ("check", "/dev/zero", "is a character device");
}

static void
test_cli_check_urandom_settings (void)
{
  check_bad_settings ("check", "/dev/urandom", "is a character device");
}

static void
test_cli_print_urandom_settings (void)
{
  check_bad_settings ("print", "/dev/urandom", "is a character device");
}

static void
test_cli_list_checkpoints_fifo_hydra (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *config = g_build_filename (project, "outputs", "demo_training", ".hydra",
                                              "config.yaml", NULL);
  g_autofree char *overrides = g_build_filename (project, "outputs", "demo_training", ".hydra",
                                                 "overrides.yaml", NULL);
  g_auto(Result) result = { 0 };

  hostile_make_fifo (config);
  hostile_make_fifo (overrides);
  if (hostile_run_cli (&result, "--project", project, "list-checkpoints", NULL))
    {
      g_assert_cmpint (result.status, ==, 0);
      hostile_assert_contains (result.out, "demo_training");
    }
  cb_test_remove_tree (tmp);
}

/* ---- 2. bounded nesting and alias expansion ---------------------------------------------- */

static void
test_yaml_deep (void)
{
  g_autofree char *deep = hostile_repeat ("[", 60000);
  g_autofree char *text = g_strconcat ("key: ", deep, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) node = NULL;

  node = cb_yaml_load_data (text, strlen (text), "deep.yaml", &error);
  g_assert_null (node);
  g_assert_error (error, CB_YAML_ERROR, CB_YAML_ERROR_LIMIT);
  /* The 256th bracket, after "key: ": the mapping around it is the first level. */
  g_assert_cmpstr (error->message, ==, "deep.yaml:1:261: nested too deeply (more than 256 levels)");
}

static void
test_yaml_deep_block (void)
{
  GString *text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) node = NULL;

  /* Block style: "- - - - ..." nests a sequence per dash. */
  for (guint i = 0; i < 20000; i++)
    g_string_append (text, "- ");
  g_string_append (text, "x\n");
  node = cb_yaml_load_data (text->str, text->len, "block.yaml", &error);
  g_string_free (text, TRUE);
  g_assert_null (node);
  hostile_assert_contains (error->message, "block.yaml:1:");
  hostile_assert_contains (error->message, "nested too deeply");
}

static void
test_yaml_deep_allowed (void)
{
  g_autofree char *open = hostile_repeat ("[", 256);
  g_autofree char *close = hostile_repeat ("]", 256);
  g_autofree char *text = g_strconcat (open, "x", close, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) node = NULL;
  g_autofree char *display = NULL;

  node = cb_yaml_load_data (text, strlen (text), "ok.yaml", &error);
  g_assert_no_error (error);
  display = cb_node_to_display (node);
  g_assert_cmpstr (display, ==, "x");
}

static void
test_yaml_billion_laughs (void)
{
  g_autofree char *laughs = hostile_billion_laughs ();
  g_autofree char *text = g_strconcat ("laughs: ", laughs, "\n", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) node = NULL;

  node = cb_yaml_load_data (text, strlen (text), "lol.yaml", &error);
  g_assert_null (node);
  g_assert_error (error, CB_YAML_ERROR, CB_YAML_ERROR_LIMIT);
  g_assert_true (g_str_has_prefix (error->message, "lol.yaml:1:"));
  hostile_assert_contains (error->message, "aliases expand to too many nodes");
}

static void
test_yaml_aliases_allowed (void)
{
  const char *text = "base: &b {lr: 0.1, wd: 0.01}\nrun1: *b\nrun2: *b\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) node = NULL;

  node = cb_yaml_load_data (text, strlen (text), "ok.yaml", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cb_node_lookup_string (cb_node_lookup (node, "run2"), "wd"), ==, "0.01");
}

static void
test_yaml_recursive_alias (void)
{
  const char *text = "a: &a [x, *a]\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) node = NULL;

  node = cb_yaml_load_data (text, strlen (text), "loop.yaml", &error);
  g_assert_null (node);
  g_assert_cmpstr (error->message, ==,
                   "loop.yaml:1:11: alias 'a' refers to a collection that contains it");
}

static void
test_schema_deep (void)
{
  g_autofree char *deep = hostile_repeat ("[", 60000);
  g_autofree char *element = g_strconcat ("    type: selectbox\n    options: ", deep, "\n", NULL);

  assert_schema_error (element, "nested too deeply");
}

static void
test_schema_laughs_options (void)
{
  g_autofree char *laughs = hostile_billion_laughs ();
  g_autofree char *element = g_strconcat ("    type: selectbox\n    options: ", laughs, "\n",
                                          NULL);

  assert_schema_error (element, "aliases expand to too many nodes");
}

static void
test_schema_laughs_default (void)
{
  g_autofree char *laughs = hostile_billion_laughs ();
  g_autofree char *element = g_strconcat ("    type: text_input\n    default: ", laughs, "\n",
                                          NULL);

  assert_schema_error (element, "aliases expand to too many nodes");
}

static void
test_run_info_deep (void)
{
  g_autofree char *deep = hostile_repeat ("[", 60000);
  g_autofree char *config = g_strconcat ("exp_name: deep\nmodel: ", deep, "\n", NULL);
  const char *overrides = "- exp_name=deep\n";
  CbRunInfo *info;

  /* The overrides name the run; the config says nothing more, and is not a crash. */
  info = cb_run_info_parse (overrides, strlen (overrides), config, strlen (config));
  g_assert_nonnull (info);
  g_assert_cmpstr (info->exp_name, ==, "deep");
  g_assert_null (info->architecture);
  cb_run_info_free (info);
}

static void
write_deep (const char *path,
            const char *prefix)
{
  g_autofree char *deep = hostile_repeat ("[", 60000);
  g_autofree char *text = g_strconcat (prefix, deep, "\n", NULL);

  hostile_write_file (path, text, -1);
}

static void
test_cli_check_deep_config (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *path = g_build_filename (project, "configs", "trainer", "default.yaml", NULL);
  g_autofree char *expected = g_strdup_printf ("%s:1:", path);
  g_auto(Result) result = { 0 };

  write_deep (path, "x: ");
  if (hostile_run_cli (&result, "--project", project, "check", NULL))
    {
      g_assert_cmpint (result.status, ==, 1);
      hostile_assert_contains (result.err, expected);
      hostile_assert_contains (result.err, "nested too deeply");
    }
  cb_test_remove_tree (tmp);
}

static void
test_cli_check_deep_settings (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *path = g_build_filename (project, "command-builder.yaml", NULL);
  g_autofree char *expected = g_strdup_printf ("%s:1:266: nested too deeply (more than 256 levels)",
                                               path);
  g_auto(Result) result = { 0 };

  write_deep (path, "launcher: ");
  if (hostile_run_cli (&result, "--project", project, "check", NULL))
    {
      g_autofree char *line = hostile_first_line (result.err);

      g_assert_cmpint (result.status, ==, 1);
      /* The 256th bracket: the mapping around it is the first level. */
      g_assert_cmpstr (line, ==, expected);
    }
  cb_test_remove_tree (tmp);
}

static void
test_cli_check_deep_schema (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *schemas = g_build_filename (tmp, "schemas", NULL);
  g_autofree char *path = g_build_filename (schemas, "train.yaml", NULL);
  g_auto(Result) result = { 0 };

  write_deep (path, "title: Deep\nui_elements: ");
  if (hostile_run_cli (&result, "--project", project, "--schemas", schemas, "check", NULL))
    {
      g_assert_cmpint (result.status, ==, 1);
      hostile_assert_contains (result.err, "train.yaml:2:");
      hostile_assert_contains (result.err, "nested too deeply");
    }
  cb_test_remove_tree (tmp);
}

static void
test_cli_check_laughs_schema (void)
{
  g_autofree char *project = NULL;
  g_autofree char *tmp = hostile_copy_demo (&project);
  g_autofree char *schemas = g_build_filename (tmp, "schemas", NULL);
  g_autofree char *path = g_build_filename (schemas, "train.yaml", NULL);
  g_autofree char *laughs = hostile_billion_laughs ();
  g_autofree char *text = g_strconcat ("title: Laughs\nui_elements:\n  - key: a\n"
                                       "    type: selectbox\n    options: ", laughs, "\n", NULL);
  g_auto(Result) result = { 0 };

  hostile_write_file (path, text, -1);
  if (hostile_run_cli (&result, "--project", project, "--schemas", schemas, "check", NULL))
    {
      g_assert_cmpint (result.status, ==, 1);
      hostile_assert_contains (result.err, "train.yaml:5:");
      hostile_assert_contains (result.err, "aliases expand to too many nodes");
    }
  cb_test_remove_tree (tmp);
}

static void
test_expr_deep_parens (void)
{
  g_autofree char *open = hostile_repeat ("(", 100000);
          g_autofree char *close = hostile_repeat (")", 100000);
  g_autofree char *text = g_strconcat (open, "a == 1", close, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = NULL;
  guint offset = 0;

  expr = cb_expr_parse (text, &offset, &error);
  g_assert_null (expr);
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);
  hostile_assert_contains (error->message, "nested too deeply");
}

static void
test_expr_deep_not (void)
{
  g_autofree char *nots = hostile_repeat ("not ", 100000);
  g_autofree char *text = g_strconcat (nots, "a", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = NULL;

  expr = cb_expr_parse (text, NULL, &error);
  g_assert_null (expr);
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);
}

static void
test_schema_deep_visible_if (void)
{
  g_autofree char *open = hostile_repeat ("(", 100000);
          g_autofree char *close = hostile_repeat (")", 100000);
  g_autofree char *element = g_strconcat ("    type: text_input\n  - key: b\n"
                                          "    type: text_input\n    visible_if: \"", open,
                                          "a == 'x'", close, "\"\n", NULL);

  assert_schema_error (element, "nested too deeply");
}

/* ---- 3. check catches what would misbehave later --------------------------------------- */

static void
test_format_percent (void)
{
  const char *yaml = "title: T\nui_elements:\n  - key: rate\n    type: number_input\n"
                     "    format: \"Rate 100%% %.1f\"\n    default: 12.25\n";
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(CbSchema) schema = NULL;
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_double (12.25));
  g_autofree char *text = NULL;

  schema = cb_schema_load_data (yaml, strlen (yaml), "t.yaml", problems, NULL);
  g_assert_nonnull (schema);
  text = cb_format_value (cb_schema_get_field (schema, 0), value);
  g_assert_cmpstr (text, ==, "Rate 100% 12.2");
}

static void
test_format_int (void)
{
  const char *yaml = "title: T\nui_elements:\n  - key: n\n    type: number_input\n"
                     "    format: \"%5d%% done\"\n";
  g_autoptr(CbSchema) schema = NULL;
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_double (-41.5));
  g_autoptr(GVariant) small = g_variant_ref_sink (g_variant_new_double (-0.2));
  g_autofree char *text = NULL;
  g_autofree char *zero = NULL;

  schema = cb_schema_load_data (yaml, strlen (yaml), "t.yaml", NULL, NULL);
  g_assert_nonnull (schema);
  text = cb_format_value (cb_schema_get_field (schema, 0), value);
  g_assert_cmpstr (text, ==, "  -42% done");
  zero = cb_format_value (cb_schema_get_field (schema, 0), small);
  g_assert_cmpstr (zero, ==, "    0% done");
}

static void
test_format_huge_width (void)
{
  assert_schema_error ("    type: number_input\n    format: \"%999999999d\"\n",
                       "a width larger than 32");
}

static void
test_format_huge_precision (void)
{
  assert_schema_error ("    type: slider\n    min_value: 0\n    max_value: 1\n"
                       "    format: \"%.4000f\"\n", "a precision larger than 32");
}

static void
test_format_bad_conversions (void)
{
  static const char * const formats[] = {
    "%s", "%n", "%d %d", "%.1f%", "%lf", "%'d", "%.3d", "%#d", "%*d", "Rate 100%", "none",
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *element = g_strdup_printf ("    type: number_input\n    format: \"%s\"\n",
                                                  formats[i]);

      g_test_message ("format %s", formats[i]);
      assert_schema_error (element, "'format' must hold exactly one number conversion");
    }
}

static void
test_default_not_finite (void)
{
  static const char * const values[] = { "1e400", "-1e400", ".nan", ".NaN", ".inf", "-.inf",
                                         "+.inf" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *element = g_strdup_printf ("    type: number_input\n    default: %s\n",
                                                  values[i]);
      g_autofree char *expected = g_strdup_printf ("must be a finite number, not '%s'", values[i]);

      assert_schema_error (element, expected);
    }
}

static void
test_bounds_not_finite (void)
{
  assert_schema_error ("    type: slider\n    min_value: -nan\n    max_value: 1\n",
                       "'-nan' is not a number (in 'min_value')");
  assert_schema_error ("    type: slider\n    min_value: 0\n    max_value: -inf\n",
                       "'-inf' is not a number (in 'max_value')");
  assert_schema_error ("    type: number_input\n    validation:\n      range: [0, 1e400]\n",
                       "'range' must be a list of two numbers");
}

static void
test_range_reversed (void)
{
  assert_schema_error ("    type: number_input\n    validation:\n      range: [5, 1]\n",
                       "hostile.yaml:6:14: 'range' goes from 5 down to 1");
}

static void
test_min_max_reversed (void)
{
  assert_schema_error ("    type: slider\n    min_value: 10\n    max_value: 1\n",
                       "'min_value' is larger than 'max_value'");
  assert_schema_error ("    type: number_input\n    validation:\n      min: 3\n      max: 2\n",
                       "'min' is larger than 'max'");
}

static void
test_slider_default_outside (void)
{
  assert_schema_error ("    type: slider\n    min_value: 0\n    max_value: 1\n    default: 5\n",
                       "hostile.yaml:7:14: the default of slider 'a' (5) is outside its range, "
                       "0 to 1");
}

static void
test_hydra_override_empty (void)
{
  assert_schema_error ("    type: text_input\n    hydra_override: \"\"\n",
                       "hostile.yaml:5:21: 'hydra_override' must be a non-empty key");
  assert_schema_error ("    type: text_input\n    hydra_override: ['']\n",
                       "each 'hydra_override' entry must be a non-empty key");
}

static void
test_history_huge_duration (void)
{
  g_autofree char *tmp = hostile_make_tmp ();
  g_autofree char *path = g_build_filename (tmp, "history.ini", NULL);
  g_autoptr(CbRunHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GListModel *entries;

  hostile_write_file (path,
                      "[history]\nversion=1\n\n"
                      "[run 0]\nargv=python3;train.py;\nstart=2025-01-01T10:00:00Z\nduration=1e300\n"
                      "exit-status=0\nsignal=0\n\n"
                      "[run 1]\nargv=python3;train.py;\nstart=2025-01-01T09:00:00Z\nduration=inf\n"
                      "exit-status=0\nsignal=0\n\n"
                      "[run 2]\nargv=python3;train.py;\nstart=2025-01-01T08:00:00Z\nduration=4.25\n"
                      "exit-status=0\nsignal=0\n", -1);
  history = cb_run_history_new (path);
  g_assert_true (cb_run_history_load (history, &error));
  g_assert_no_error (error);
  entries = cb_run_history_get_entries (history);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);

  /* Formatting goes through integers: any double gives a sane text. */
  text = cb_format_duration (1e300);
  g_assert_cmpstr (text, ==, "876600 h 00 min");
  g_free (text);
  text = cb_format_duration (INFINITY);
  g_assert_cmpstr (text, ==, "876600 h 00 min");
  cb_test_remove_tree (tmp);
}

static void
test_checkpoint_huge_epoch (void)
{
  CbCheckpointName name = { 0 };

  g_assert_true (cb_checkpoint_name_parse ("epoch=1e300-step=99999999999999999999999.ckpt",
                                           &name));
  g_assert_cmpint (name.epoch, ==, -1);
  g_assert_cmpint (name.step, ==, -1);
  cb_checkpoint_name_clear (&name);
}

/* ---- main ------------------------------------------------------------------------------ */

typedef struct
{
  const char *path;
  GTestFunc   func;
} Case;

/* Runs the case in a subprocess killed after CASE_TIMEOUT_S seconds, so that a hang or a
 * crash fails this case only. */
static void
run_bounded (gconstpointer data)
{
  const Case *c = data;

  if (g_test_subprocess ())
    {
      c->func ();
      return;
    }

  /* Longer than hostile_run_cli()'s own bound, so that a hung binary is killed by
   * hostile_run_cli() and never outlives the case. */
  g_test_trap_subprocess (NULL, (CASE_TIMEOUT_S + 10) * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (!g_test_trap_has_passed ())
    g_test_fail_printf ("%s: crashed, failed or still running after %d s", c->path,
                        CASE_TIMEOUT_S + 10);
}

static const Case cases[] = {
  { "/hostile/file/fifo", test_read_fifo },
  { "/hostile/file/dev-zero", test_read_dev_zero },
  { "/hostile/file/directory", test_read_directory },
  { "/hostile/file/too-large", test_read_too_large },
  { "/hostile/file/yaml-fifo", test_yaml_fifo },
  { "/hostile/file/schema-fifo", test_schema_fifo },
  { "/hostile/file/config-tree-fifo-and-zero", test_config_tree_fifo },
  { "/hostile/file/run-info-fifo", test_run_info_fifo },
  { "/hostile/file/history-fifo", test_history_fifo },
  { "/hostile/file/history-urandom", test_history_dev_urandom },
#ifdef CB_TEST_STATE_STORE
  { "/hostile/file/state-fifo", test_state_fifo },
#endif
  { "/hostile/cli/check-fifo-config", test_cli_check_fifo_config },
  { "/hostile/cli/check-zero-config", test_cli_check_zero_config },
  { "/hostile/cli/print-fifo-config", test_cli_print_fifo_config },
  { "/hostile/cli/check-fifo-settings", test_cli_check_fifo_settings },
  { "/hostile/cli/print-fifo-settings", test_cli_print_fifo_settings },
  { "/hostile/cli/check-zero-settings", test_cli_check_zero_settings },
  { "/hostile/cli/check-urandom-settings", test_cli_check_urandom_settings },
  { "/hostile/cli/print-urandom-settings", test_cli_print_urandom_settings },
  { "/hostile/cli/list-checkpoints-fifo-hydra", test_cli_list_checkpoints_fifo_hydra },
  { "/hostile/nesting/yaml-flow", test_yaml_deep },
  { "/hostile/nesting/yaml-block", test_yaml_deep_block },
  { "/hostile/nesting/yaml-256-allowed", test_yaml_deep_allowed },
  { "/hostile/nesting/yaml-billion-laughs", test_yaml_billion_laughs },
  { "/hostile/nesting/yaml-aliases-allowed", test_yaml_aliases_allowed },
  { "/hostile/nesting/yaml-recursive-alias", test_yaml_recursive_alias },
  { "/hostile/nesting/schema-deep", test_schema_deep },
  { "/hostile/nesting/schema-laughs-options", test_schema_laughs_options },
  { "/hostile/nesting/schema-laughs-default", test_schema_laughs_default },
  { "/hostile/nesting/run-info-deep", test_run_info_deep },
  { "/hostile/nesting/cli-deep-config", test_cli_check_deep_config },
  { "/hostile/nesting/cli-deep-settings", test_cli_check_deep_settings },
  { "/hostile/nesting/cli-deep-schema", test_cli_check_deep_schema },
  { "/hostile/nesting/cli-laughs-schema", test_cli_check_laughs_schema },
  { "/hostile/nesting/expr-parens", test_expr_deep_parens },
  { "/hostile/nesting/expr-not", test_expr_deep_not },
  { "/hostile/nesting/schema-visible-if", test_schema_deep_visible_if },
  { "/hostile/check/format-percent", test_format_percent },
  { "/hostile/check/format-int", test_format_int },
  { "/hostile/check/format-huge-width", test_format_huge_width },
  { "/hostile/check/format-huge-precision", test_format_huge_precision },
  { "/hostile/check/format-bad-conversions", test_format_bad_conversions },
  { "/hostile/check/default-not-finite", test_default_not_finite },
  { "/hostile/check/bounds-not-finite", test_bounds_not_finite },
  { "/hostile/check/range-reversed", test_range_reversed },
  { "/hostile/check/min-max-reversed", test_min_max_reversed },
  { "/hostile/check/slider-default-outside", test_slider_default_outside },
  { "/hostile/check/hydra-override-empty", test_hydra_override_empty },
  { "/hostile/check/history-huge-duration", test_history_huge_duration },
  { "/hostile/check/checkpoint-huge-epoch", test_checkpoint_huge_epoch },
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], run_bounded);

  return g_test_run ();
}
