/* test-script.c: Save as Script (cb-script.c) and a run's settings (cb-run-overrides.c)
 *
 * The script, run by a real shell with a fake launcher first on PATH, must hand the
 * launcher exactly the argv Run spawns, in the project root, for hostile values and a
 * hostile project path. The overrides.yaml reader takes good files, and refuses broken and
 * hostile ones (FIFO, symlink to /dev/zero, huge, deeply nested) with file:line:column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb/cb-command.h"
#include "cb/cb-run-overrides.h"
#include "cb/cb-script.h"
#include "cb-test-util.h"

#define FAKE_LAUNCHER "cb-fake-launcher"

typedef struct
{
  char *tmp;
  char *bin;      /* holds the fake launcher */
  char *root;     /* the project root: a hostile folder name */
  char *out;      /* where the launcher writes its argv */
} ScriptFixture;

static void
script_fixture_open (ScriptFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *launcher = NULL;
  static const char launcher_text[] =
    "#!/bin/sh\n"
    "printf '%s' \"$(pwd -P)\" > \"$CB_OUT.cwd\"\n"
    "printf '%s\\0' \"$0\" \"$@\" > \"$CB_OUT\"\n";

  f->tmp = g_dir_make_tmp ("test-script-XXXXXX", &error);
  g_assert_no_error (error);
  f->bin = g_build_filename (f->tmp, "bin", NULL);
  g_assert_cmpint (g_mkdir (f->bin, 0755), ==, 0);
  launcher = g_build_filename (f->bin, FAKE_LAUNCHER, NULL);
  g_assert_true (g_file_set_contents_full (launcher, launcher_text, -1,
                                           G_FILE_SET_CONTENTS_NONE, 0755, &error));
  g_assert_no_error (error);
  f->root = g_build_filename (f->tmp, "my project $HOME 'q' \"d\" \\ `x` 한글 -n\nline2", NULL);
  g_assert_cmpint (g_mkdir (f->root, 0755), ==, 0);
  f->out = g_build_filename (f->tmp, "argv", NULL);
}

static void
script_fixture_close (ScriptFixture *f)
{
  cb_test_remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->bin);
  g_free (f->root);
  g_free (f->out);
}

/* Runs @script_path (with @shell, or executed itself when NULL) and returns the argv the
 * fake launcher was given, its own name first as the basename. */
static char **
run_script (ScriptFixture *f,
            const char    *shell,
            const char    *script_path,
            char         **cwd_out)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autofree char *cwd_file = g_strconcat (f->out, ".cwd", NULL);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  const char *argv[3] = { 0 };
  gsize length = 0;
  int status = 0;

  path = g_strconcat (f->bin, ":", g_environ_getenv (env, "PATH"), NULL);
  env = g_environ_setenv (env, "PATH", path, TRUE);
  env = g_environ_setenv (env, "CB_OUT", f->out, TRUE);
  g_unlink (f->out);

  if (shell != NULL)
    {
      argv[0] = shell;
      argv[1] = script_path;
    }
  else
    argv[0] = script_path;

  /* From elsewhere: the script's own cd decides where the command runs. */
  g_assert_true (g_spawn_sync (f->tmp, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (f->out, &data, &length, &error));
  g_assert_no_error (error);
  for (const char *p = data; p < data + length; p += strlen (p) + 1)
    g_ptr_array_add (words, words->len == 0 ? g_path_get_basename (p) : g_strdup (p));
  g_ptr_array_add (words, NULL);

  g_assert_true (g_file_get_contents (cwd_file, cwd_out, NULL, &error));
  g_assert_no_error (error);

  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

static void
check_script_runs_argv (ScriptFixture      *f,
                        const char * const *overrides)
{
  static const char * const launcher[] = { FAKE_LAUNCHER, "run", "python", NULL };
  static const char * const shells[] = { "bash", "sh", NULL };
  g_autoptr(CbCommand) command = cb_command_new (launcher, "runners/train.py", overrides);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cb_script_new (command, f->root);
  g_autofree char *path = g_build_filename (f->tmp, "train-x.sh", NULL);
  char real_root[PATH_MAX];
  struct stat st;

  g_assert_nonnull (realpath (f->root, real_root));
  g_assert_true (g_str_has_prefix (text, "#!/usr/bin/env bash\n"));
  g_assert_nonnull (strstr (text, "\nset -e\n"));
  g_assert_true (cb_script_write (path, text, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true ((st.st_mode & 0100) != 0);

  /* Executed itself (its shebang), and through bash and sh. */
  for (int i = -1; i < (int) G_N_ELEMENTS (shells) - 1; i++)
    {
      g_autofree char *cwd = NULL;
      g_auto(GStrv) got = run_script (f, i < 0 ? NULL : shells[i], path, &cwd);

      if (!g_strv_equal ((const char * const *) got, cb_command_get_argv (command)))
        {
          g_autofree char *want_text = g_strjoinv ("|", (char **) cb_command_get_argv (command));
          g_autofree char *got_text = g_strjoinv ("|", got);

          g_error ("%s: argv differs:\nwant %s\ngot  %s\nscript:\n%s",
                   i < 0 ? "executed" : shells[i], want_text, got_text, text);
        }
      g_assert_cmpstr (cwd, ==, real_root);
    }
}

static void
test_script_hostile_values (void)
{
  static const char * const overrides[] = {
    "exp_name=\"my run\"",
    "a=it's",
    "b=$HOME ${x} $(id) `id`",
    "c=x=y=z",
    "d=back\\slash\\\\ end\\",
    "e=line\nbreak\n",
    "f=한국어 ünïcödé",
    "g=\"double\" 'single'",
    "h=*?[a]{b,c}~#!;&|<>",
    "i=\ttab",
    "",
    "-n",
    "~logger",
    "+trainer.fast_dev_run=true",
    "--",
    NULL
  };
  ScriptFixture f = { 0 };

  script_fixture_open (&f);
  check_script_runs_argv (&f, overrides);
  script_fixture_close (&f);
}

/* Random words from characters a shell treats specially. */
static void
test_script_generated_values (void)
{
  static const char *pieces[] = {
    "a", "Z", "0", "=", " ", "'", "\"", "\\", "$", "`", "\n", "\t", "!", "#", "~", "*", "?",
    "[", "]", "{", "}", "(", ")", ";", "&", "|", "<", ">", "-", "+", ",", ".", "/", ":",
    "%", "@", "é", "한", "\xf0\x9f\x98\x80", "${HOME}", "$(x)", "'\\''",
  };
  ScriptFixture f = { 0 };

  script_fixture_open (&f);
  for (guint round = 0; round < 12; round++)
    {
      g_autoptr(GPtrArray) overrides = g_ptr_array_new_with_free_func (g_free);
      guint n = g_test_rand_int_range (1, 12);

      for (guint i = 0; i < n; i++)
        {
          GString *word = g_string_new (NULL);
          guint len = g_test_rand_int_range (0, 16);

          for (guint j = 0; j < len; j++)
            g_string_append (word, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
          g_ptr_array_add (overrides, g_string_free (word, FALSE));
        }
      g_ptr_array_add (overrides, NULL);
      check_script_runs_argv (&f, (const char * const *) overrides->pdata);
    }
  script_fixture_close (&f);
}

static void
test_script_write (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("test-script-write-XXXXXX", &error);
  g_autofree char *path = g_build_filename (tmp, "s.sh", NULL);
  g_autofree char *missing = g_build_filename (tmp, "no", "such", "s.sh", NULL);
  g_autofree char *data = NULL;
  struct stat st;

  g_assert_no_error (error);
  /* Replaces what was there, and is executable whatever the old file was. */
  g_assert_true (g_file_set_contents (path, "old", -1, &error));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_true (cb_script_write (path, "#!/bin/sh\n", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  g_assert_cmpstr (data, ==, "#!/bin/sh\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  {
    mode_t mask = umask (022);

    umask (mask);
    g_assert_cmpint (st.st_mode & 0777, ==, 0755 & ~mask);
  }

  /* A folder that does not exist: the message names the file. */
  g_assert_false (cb_script_write (missing, "x", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "s.sh"));
  cb_test_remove_tree (tmp);
}

static void
test_script_suggest_name (void)
{
  static const struct { const char *page, *exp_name, *want; } cases[] = {
    { "train", "receipts", "train-receipts.sh" },
    { "test", NULL, "test.sh" },
    { "predict", "", "predict.sh" },
    { "train", "a/b c", "train-a_b_c.sh" },
    { "train", "../../etc/passwd", "train-.._.._etc_passwd.sh" },
    { "train", "한국어-run_1.0+x", "train-한국어-run_1.0+x.sh" },
    { "train", "a\nb$`'\"\\", "train-a_b_____.sh" },
    { "train", "\xff\xfe", "train.sh" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = cb_script_suggest_name (cases[i].page, cases[i].exp_name);

      g_assert_cmpstr (name, ==, cases[i].want);
    }
}

/* ---- overrides.yaml ----------------------------------------------------------------- */

static void
test_overrides_parse (void)
{
  static const struct
  {
    const char *text;
    const char *want;   /* the items joined with '|', or NULL */
    const char *error;  /* the start of the message, or NULL */
  } cases[] = {
    { "- exp_name=a\n- trainer.max_epochs=3\n", "exp_name=a|trainer.max_epochs=3", NULL },
    { "[]\n", "", NULL },
    { "", "", NULL },
    { "# nothing\n", "", NULL },
    { "- 'exp_name=\"my run\"'\n- \"+x=it's\"\n", "exp_name=\"my run\"|+x=it's", NULL },
    { "- a=1\n---\n- b=2\n", "a=1", NULL },
    { "- a=1\n- [b]\n", NULL, "o.yaml:2:3: an override must be a string" },
    { "- a=1\n-\n", NULL, "o.yaml:2:2: an override must be a string" },
    { "a: 1\n", NULL, "o.yaml:1:1: not a list of overrides" },
    { "just text\n", NULL, "o.yaml:1:1: not a list of overrides" },
    { "- a=1\n- 'unterminated\n", NULL, "o.yaml:3:1: " },
    { "- a=1\n  b: [\n", NULL, "o.yaml:2:4: " },
    { "- &x a=1\n- *y\n", NULL, "o.yaml:2:3: unknown alias" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) items = cb_run_overrides_parse (cases[i].text, strlen (cases[i].text),
                                                    "o.yaml", &error);

      if (cases[i].want != NULL)
        {
          g_autofree char *joined = NULL;

          g_assert_no_error (error);
          joined = g_strjoinv ("|", items);
          g_assert_cmpstr (joined, ==, cases[i].want);
        }
      else
        {
          g_assert_null (items);
          g_assert_nonnull (error);
          if (!g_str_has_prefix (error->message, cases[i].error))
            g_error ("case %u: “%s” does not start with “%s”", i, error->message,
                     cases[i].error);
        }
    }
}

static void
test_overrides_deep (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) items = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  items = cb_run_overrides_parse (text->str, text->len, "deep.yaml", &error);
  g_assert_null (items);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "deep.yaml:1:"));
}

typedef struct
{
  char *tmp;
  char *run;       /* tmp/outputs/run */
  char *hydra;     /* tmp/outputs/run/.hydra */
  char *ckpt;      /* tmp/outputs/run/checkpoints/last.ckpt */
} RunFixture;

static void
run_fixture_open (RunFixture *f,
                  const char *overrides,
                  const char *hydra_yaml)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ckpt_dir = NULL;

  f->tmp = g_dir_make_tmp ("test-run-overrides-XXXXXX", &error);
  g_assert_no_error (error);
  f->run = g_build_filename (f->tmp, "outputs", "run", NULL);
  f->hydra = g_build_filename (f->run, ".hydra", NULL);
  ckpt_dir = g_build_filename (f->run, "checkpoints", NULL);
  f->ckpt = g_build_filename (ckpt_dir, "last.ckpt", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->hydra, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (ckpt_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (f->ckpt, "", 0, NULL));
  if (overrides != NULL)
    {
      g_autofree char *path = g_build_filename (f->hydra, "overrides.yaml", NULL);

      g_assert_true (g_file_set_contents (path, overrides, -1, NULL));
    }
  if (hydra_yaml != NULL)
    {
      g_autofree char *path = g_build_filename (f->hydra, "hydra.yaml", NULL);

      g_assert_true (g_file_set_contents (path, hydra_yaml, -1, NULL));
    }
}

static void
run_fixture_close (RunFixture *f)
{
  cb_test_remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->run);
  g_free (f->hydra);
  g_free (f->ckpt);
}

static void
test_run_settings_read (void)
{
  RunFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CbRunSettings) settings = NULL;
  g_autofree char *found = NULL;

  run_fixture_open (&f, "- exp_name=a\n- trainer.max_epochs=3\n",
                    "hydra:\n  job:\n    chdir: true\n    name: test\n");

  found = cb_run_overrides_find_run_dir (f.ckpt);
  g_assert_cmpstr (found, ==, f.run);

  /* From the checkpoint: hydra.yaml's job name beats the fallback. */
  settings = cb_run_settings_read (f.ckpt, "train", f.tmp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->run_dir, ==, f.run);
  g_assert_cmpstr (settings->page, ==, "test");
  g_assert_cmpuint (g_strv_length (settings->overrides), ==, 2);
  g_assert_cmpstr (settings->overrides[1], ==, "trainer.max_epochs=3");
  g_clear_pointer (&settings, cb_run_settings_free);

  /* Not in a run folder. */
  settings = cb_run_settings_read (f.tmp, "train", f.tmp, &error);
  g_assert_null (settings);
  g_assert_error (error, CB_RUN_OVERRIDES_ERROR, CB_RUN_OVERRIDES_ERROR_NO_RUN);
  g_clear_error (&error);
  run_fixture_close (&f);

  /* No hydra.yaml: the fallback page; none given: an error naming hydra.yaml. */
  run_fixture_open (&f, "[]\n", NULL);
  settings = cb_run_settings_read (f.run, "train", f.tmp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->page, ==, "train");
  g_assert_cmpuint (g_strv_length (settings->overrides), ==, 0);
  g_clear_pointer (&settings, cb_run_settings_free);
  settings = cb_run_settings_read (f.run, NULL, f.tmp, &error);
  g_assert_error (error, CB_RUN_OVERRIDES_ERROR, CB_RUN_OVERRIDES_ERROR_NO_PAGE);
  g_assert_true (g_str_has_prefix (error->message, "outputs/run/.hydra/hydra.yaml "));
  g_clear_error (&error);
  run_fixture_close (&f);

  /* A job name that is no page: the fallback. */
  run_fixture_open (&f, "[]\n", "hydra: {job: {name: export}}\n");
  settings = cb_run_settings_read (f.run, "predict", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->page, ==, "predict");
  g_clear_pointer (&settings, cb_run_settings_free);
  run_fixture_close (&f);

  /* No overrides.yaml: the message names it, relative to the project. */
  run_fixture_open (&f, NULL, NULL);
  settings = cb_run_settings_read (f.ckpt, "train", f.tmp, &error);
  g_assert_null (settings);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_true (g_str_has_prefix (error->message, "outputs/run/.hydra/overrides.yaml: "));
  g_clear_error (&error);
  run_fixture_close (&f);

  /* Broken YAML: file:line:column. */
  run_fixture_open (&f, "- a=1\n- b: [\n", NULL);
  settings = cb_run_settings_read (f.ckpt, "train", f.tmp, &error);
  g_assert_null (settings);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "outputs/run/.hydra/overrides.yaml:3:1: "));
  g_clear_error (&error);
  run_fixture_close (&f);
}

static gboolean
read_done (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Hostile files, read in the worker as the window reads them: refused at once. */
static void
test_run_settings_hostile (void)
{
  static const char * const kinds[] = { "fifo", "dev-zero", "huge", "deep", "directory" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      RunFixture f = { 0 };
      g_autofree char *path = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CbRunSettings) settings = NULL;
      gint64 start;

      run_fixture_open (&f, NULL, NULL);
      path = g_build_filename (f.hydra, "overrides.yaml", NULL);
      if (g_str_equal (kinds[i], "fifo"))
        g_assert_cmpint (mkfifo (path, 0644), ==, 0);
      else if (g_str_equal (kinds[i], "dev-zero"))
        g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
      else if (g_str_equal (kinds[i], "directory"))
        g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
      else
        {
          gsize size = g_str_equal (kinds[i], "huge") ? 5 * 1024 * 1024 : 300 * 2;
          char *text = g_malloc (size + 1);

          if (g_str_equal (kinds[i], "huge"))
            memset (text, '-', size);
          else
            for (gsize j = 0; j < size; j += 2)
              memcpy (text + j, "- ", 2);
          text[size] = '\0';
          g_assert_true (g_file_set_contents (path, text, size, NULL));
          g_free (text);
        }

      start = g_get_monotonic_time ();
      cb_run_settings_read_async (f.ckpt, "train", f.tmp, NULL, read_cb, &result);
      g_assert_true (cb_test_spin_until (read_done, &result, 10000));
      settings = cb_run_settings_read_finish (result, &error);
      g_assert_null (settings);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "outputs/run/.hydra/overrides.yaml"));
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
      g_test_message ("%s: %s", kinds[i], error->message);
      run_fixture_close (&f);
    }
}

/* The demo project's runs: their overrides read, their pages named. */
static void
test_run_settings_demo (void)
{
  static const struct { const char *run, *page; guint n; } runs[] = {
    { "outputs/3", "train", 18 },
    { "outputs/ocr_prediction", "predict", 9 },
  };
  const char *data_dir = g_getenv ("CB_DATA_DIR");

  g_assert_nonnull (data_dir);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *root = g_build_filename (data_dir, "demo-project", NULL);
      g_autofree char *run = g_build_filename (root, runs[i].run, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CbRunSettings) settings = cb_run_settings_read (run, NULL, root, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (settings->page, ==, runs[i].page);
      g_assert_cmpuint (g_strv_length (settings->overrides), ==, runs[i].n);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/script/hostile-values", test_script_hostile_values);
  g_test_add_func ("/script/generated-values", test_script_generated_values);
  g_test_add_func ("/script/write", test_script_write);
  g_test_add_func ("/script/suggest-name", test_script_suggest_name);
  g_test_add_func ("/run-overrides/parse", test_overrides_parse);
  g_test_add_func ("/run-overrides/deep", test_overrides_deep);
  g_test_add_func ("/run-overrides/read", test_run_settings_read);
  g_test_add_func ("/run-overrides/hostile", test_run_settings_hostile);
  g_test_add_func ("/run-overrides/demo", test_run_settings_demo);

  return g_test_run ();
}
