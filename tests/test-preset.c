/* test-preset.c: presets saved, listed, applied, renamed and deleted; hostile preset files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb/cb-preset.h"
#include "cb/cb-problem.h"
#include "cb-test-demo.h"
#include "cb-test-util.h"

static CbTestDemo env;

typedef struct
{
  char      *tmp;
  CbProject *project;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmp = g_dir_make_tmp ("test-preset-XXXXXX", &error);
  g_assert_no_error (error);
  f->project = cb_project_load (f->tmp, NULL);
  g_assert_nonnull (f->project);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->project, cb_project_unref);
  cb_test_remove_tree (f->tmp);
  g_clear_pointer (&f->tmp, g_free);
}

static char *
argv_text (CbForm *form)
{
  return g_strjoinv ("\n", (char **) cb_command_get_argv (cb_form_get_command (form)));
}

static void
write_file (Fixture    *f,
            const char *page,
            const char *file,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cb_preset_get_dir (f->project, page);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static GPtrArray *
list (Fixture    *f,
      const char *page,
      GPtrArray **problems_out)
{
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  GPtrArray *presets = cb_preset_list (f->project, page, problems);

  if (problems_out != NULL)
    *problems_out = g_steal_pointer (&problems);
  return presets;
}

static void
test_names (void)
{
  const char *bad[] = { "", ".hidden", "..", ".", "a/b", "/", " lead", "trail ", "line\nbreak",
                        "tab\there", "\xff\xfe", "   " };
  const char *good[] = { "quick", "한국어 프리셋", "a b", "x=y $HOME 'q' \"d\"", "a..", "a.",
                         "-dash", "#hash", "🙂" };
  g_autofree char *long_name = g_strnfill (251, 'a');
  g_autofree char *max_name = g_strnfill (250, 'a');

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *problem = cb_preset_name_problem (bad[i]);

      if (problem == NULL)
        g_error ("“%s” was taken as a preset name", bad[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *problem = cb_preset_name_problem (good[i]);

      g_assert_null (problem);
    }
  {
    g_autofree char *problem = cb_preset_name_problem (long_name);
    g_autofree char *ok = cb_preset_name_problem (max_name);

    g_assert_nonnull (problem);
    g_assert_null (ok);
  }
}

/* Strings YAML would read as something else are written so that they come back as strings. */
static void
test_yaml_round_trip (void)
{
  const char *texts[] = {
    "", " ", "1_000", "1e3", ".5", "0x10", "0o17", "1:30", "yes", "No", "on", "~", "null",
    "true", "-", "- a", "? x", "a: b", "a #b", "#c", "'q'", "\"d\"", "$HOME", "a=b=c",
    "${x}", "[1, 2]", "{a: 1}", "한국어 값", "line\nbreak", "tab\t", "back\\slash", "---",
    "...", "&anchor", "*alias", "!tag", "|", ">", "%", "@", "`", "trailing ", " leading",
    "\xe2\x80\xa8", "\xef\xbb\xbf" "bom", "\x7f", "\xc2\x85",
    /* noncharacters YAML refuses written raw (a fuzz-preset finding) */
    "a\xef\xbf\xbf" "b", "\xef\xbf\xbe",
  };
  GPtrArray *keys = g_ptr_array_new ();
  GPtrArray *values = g_ptr_array_new ();
  g_autoptr(CbPreset) preset = NULL;
  g_autoptr(CbPreset) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *yaml = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_ptr_array_add (keys, g_strdup_printf ("k%u", i));
      g_ptr_array_add (values, g_variant_ref_sink (g_variant_new_string (texts[i])));
    }
  g_ptr_array_add (keys, g_strdup ("b"));
  g_ptr_array_add (values, g_variant_ref_sink (g_variant_new_boolean (TRUE)));
  g_ptr_array_add (keys, g_strdup ("i"));
  g_ptr_array_add (values, g_variant_ref_sink (g_variant_new_int64 (-42)));
  g_ptr_array_add (keys, g_strdup ("d"));
  g_ptr_array_add (values, g_variant_ref_sink (g_variant_new_double (1.234e-4)));
  g_ptr_array_add (keys, g_strdup ("e"));
  g_ptr_array_add (values, g_variant_ref_sink (g_variant_new_double (5.0)));

  preset = g_new0 (CbPreset, 1);
  preset->name = g_strdup ("p");
  preset->title = g_strdup ("p");
  preset->note = g_strdup ("a note: with \"quotes\" and 'apostrophes'\nand a second line");
  preset->n_values = values->len;
  g_ptr_array_add (keys, NULL);
  preset->keys = (char **) g_ptr_array_free (keys, FALSE);
  preset->values = (GVariant **) g_ptr_array_free (values, FALSE);
  preset->extra = g_strdupv ((char *[]) { "+trainer.fast_dev_run=true", "~logger",
                                          "a='x y'", "b=\"$HOME\"", "- c", NULL });

  yaml = cb_preset_to_yaml (preset, "train");
  back = cb_preset_parse (yaml, strlen (yaml), "p.yaml", "p", &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpstr (back->note, ==, preset->note);
  g_assert_cmpuint (back->n_values, ==, preset->n_values);
  for (guint i = 0; i < preset->n_values; i++)
    {
      g_autofree char *want = g_variant_print (preset->values[i], TRUE);
      g_autofree char *got = g_variant_print (back->values[i], TRUE);

      g_assert_cmpstr (back->keys[i], ==, preset->keys[i]);
      if (!g_variant_equal (back->values[i], preset->values[i]))
        g_error ("%s came back as %s from:\n%s", want, got, yaml);
    }
  g_assert_true (g_strv_equal ((const char * const *) back->extra,
                               (const char * const *) preset->extra));
}

static void
test_save_list_apply (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&env, "train");
  g_autoptr(CbForm) other = cb_test_demo_make_form (&env, "train");
  g_autoptr(CbPreset) preset = NULL;
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ignored = NULL;
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;
  const char *name = "한국어 프리셋 $x='y' \"z\"";
  const char *extra[] = { "+trainer.fast_dev_run=true", "trainer.limit_val_batches=0.25", NULL };
  const CbPreset *found;

  cb_test_demo_set (form, "architecture", "craft");
  cb_test_demo_set (form, "exp_name", "my \"run\" $HOME a=b 한국어 's'");
  cb_test_demo_set (form, "batch_size", "12");
  cb_test_demo_set (form, "learning_rate", "0.0007");
  cb_form_set_extra_overrides (form, extra);
  want = argv_text (form);

  preset = cb_preset_new_from_form (form, name, "for “tests”: a=b");
  g_assert_true (cb_preset_save (preset, f->project, "train", FALSE, &error));
  g_assert_no_error (error);
  /* Saved twice: refused unless replacing. */
  g_assert_false (cb_preset_save (preset, f->project, "train", FALSE, &error));
  g_assert_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (cb_preset_save (preset, f->project, "train", TRUE, &error));
  g_assert_no_error (error);

  presets = list (f, "train", &problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (presets->len, ==, 1);
  found = cb_preset_find (presets, name);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->note, ==, "for “tests”: a=b");
  g_assert_false (cb_preset_is_built_in (found));

  /* Applied to a page that holds other values: the preset's page, exactly. */
  cb_test_demo_set (other, "batch_size", "3");
  cb_test_demo_set (other, "wandb", "true");
  cb_form_set_extra_overrides (other, (const char *[]) { "~logger", NULL });
  g_assert_cmpuint (cb_preset_apply (found, other, &ignored), ==, 4);
  g_assert_cmpuint (g_strv_length (ignored), ==, 0);
  got = argv_text (other);
  g_assert_cmpstr (got, ==, want);

  /* Other pages do not see it. */
  {
    g_autoptr(GPtrArray) test_presets = list (f, "test", NULL);

    g_assert_cmpuint (test_presets->len, ==, 0);
  }
}

/* A value the page does not offer is kept and flagged; a key with no field is said. */
static void
test_apply_unoffered (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&env, "train");
  g_autoptr(GPtrArray) presets = NULL;
  g_auto(GStrv) ignored = NULL;
  const CbPreset *preset;
  GVariant *value;
  CbSchema *schema = cb_form_get_schema (form);
  int index = cb_schema_find_field (schema, "encoder");
  const CbFieldState *state;

  write_file (f, "train", "odd.yaml",
              "values:\n  encoder: not_an_encoder\n  no_such_field: 1\n");
  presets = list (f, "train", NULL);
  preset = cb_preset_find (presets, "odd");
  g_assert_nonnull (preset);

  g_assert_cmpuint (cb_preset_apply (preset, form, &ignored), ==, 1);
  g_assert_cmpuint (g_strv_length (ignored), ==, 1);
  g_assert_nonnull (strstr (ignored[0], "no_such_field"));
  value = cb_form_get_value (form, "encoder");
  g_assert_nonnull (value);
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "not_an_encoder");
  state = cb_form_get_field_state (form, index);
  g_assert_true (state->error != NULL || state->warning != NULL);
}

static void
test_rename_delete (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(GError) error = NULL;

  write_file (f, "train", "a.yaml", "note: A\n");
  write_file (f, "train", "b.yaml", "note: B\n");

  g_assert_true (cb_preset_rename (f->project, "train", "a", "새 이름 $1", &error));
  g_assert_no_error (error);
  g_assert_false (cb_preset_rename (f->project, "train", "b", "새 이름 $1", &error));
  g_assert_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (cb_preset_rename (f->project, "train", "b", "../escape", &error));
  g_assert_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_NAME);
  g_clear_error (&error);
  g_assert_false (cb_preset_rename (f->project, "train", "a", "c", &error));
  g_assert_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cb_preset_delete (f->project, "train", "../../../etc/passwd", &error));
  g_assert_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_NAME);
  g_clear_error (&error);

  presets = list (f, "train", NULL);
  g_assert_cmpuint (presets->len, ==, 2);
  g_assert_nonnull (cb_preset_find (presets, "새 이름 $1"));
  g_assert_cmpstr (cb_preset_find (presets, "새 이름 $1")->note, ==, "A");
  g_clear_pointer (&presets, g_ptr_array_unref);

  g_assert_true (cb_preset_delete (f->project, "train", "b", &error));
  g_assert_no_error (error);
  g_assert_false (cb_preset_delete (f->project, "train", "b", &error));
  g_assert_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  presets = list (f, "train", NULL);
  g_assert_cmpuint (presets->len, ==, 1);
}

static const CbProblem *
problem_for (GPtrArray  *problems,
             const char *file)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const CbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->file != NULL && g_str_has_suffix (problem->file, file))
        return problem;
    }
  g_error ("no problem reported for %s", file);
  return NULL;
}

/* Each broken file is said with its line and column; the others still list. */
static void
test_broken (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  const CbProblem *problem;

  write_file (f, "train", "a-good.yaml", "note: fine\nvalues:\n  batch_size: 4\n");
  write_file (f, "train", "syntax.yaml", "values: [1\n");
  write_file (f, "train", "nested.yaml", "values:\n  batch_size: [1, 2]\n");
  write_file (f, "train", "unknown.yaml", "note: x\nvalue:\n  batch_size: 4\n");
  write_file (f, "train", "list.yaml", "- a\n- b\n");
  write_file (f, "train", "extra.yaml", "extra_overrides:\n  - ok=1\n  - {a: b}\n");
  write_file (f, "train", "z-good.yaml", "extra_overrides: ['+x=1']\n");
  /* Found by fuzz-preset: a number that overflows was written back as the string "inf". */
  write_file (f, "train", "overflow.yaml", "values:\n  lr: 1e999\n");
  write_file (f, "train", "not-a-preset.txt", "ignored");

  presets = list (f, "train", &problems);
  g_assert_cmpuint (presets->len, ==, 2);
  g_assert_nonnull (cb_preset_find (presets, "a-good"));
  g_assert_nonnull (cb_preset_find (presets, "z-good"));
  g_assert_cmpuint (problems->len, ==, 6);

  problem = problem_for (problems, "overflow.yaml");
  g_assert_cmpuint (problem->line, ==, 2);
  g_assert_cmpuint (problem->column, ==, 7);
  problem = problem_for (problems, "nested.yaml");
  g_assert_cmpuint (problem->line, ==, 2);
  g_assert_cmpuint (problem->column, ==, 15);
  problem = problem_for (problems, "unknown.yaml");
  g_assert_cmpuint (problem->line, ==, 2);
  g_assert_cmpuint (problem->column, ==, 1);
  problem = problem_for (problems, "extra.yaml");
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_cmpuint (problem->column, ==, 5);
  problem = problem_for (problems, "syntax.yaml");
  g_assert_cmpuint (problem->line, >, 0);
  g_assert_cmpuint (problem->column, >, 0);
  problem = problem_for (problems, "list.yaml");
  g_assert_cmpuint (problem->line, ==, 1);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *text = cb_problem_to_string (g_ptr_array_index (problems, i));

      g_assert_true (g_regex_match_simple ("^/.*\\.yaml:[0-9]+:[0-9]+: ", text, 0, 0));
    }
}

/* A FIFO, a symlink to /dev/zero, a huge file and a directory are refused without
 * blocking; a name that is not a preset name is said. */
static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *dir = cb_preset_get_dir (f->project, "train");
  g_autofree char *fifo = g_build_filename (dir, "fifo.yaml", NULL);
  g_autofree char *zero = g_build_filename (dir, "zero.yaml", NULL);
  g_autofree char *sub = g_build_filename (dir, "folder.yaml", NULL);
  g_autofree char *huge = NULL;
  g_autofree char *bad_name = g_build_filename (dir, "\xff\xfe.yaml", NULL);
  gint64 start;

  write_file (f, "train", "good.yaml", "note: fine\n");
  huge = g_strnfill (2 * 1024 * 1024, '#');
  write_file (f, "train", "huge.yaml", huge);
  write_file (f, "train", ".hidden.yaml", "note: hidden\n");
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (bad_name, "note: x\n", -1, NULL));

  start = g_get_monotonic_time ();
  presets = list (f, "train", &problems);
  g_test_message ("listing with hostile files: %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (presets->len, ==, 1);
  g_assert_nonnull (cb_preset_find (presets, "good"));
  problem_for (problems, "fifo.yaml");
  problem_for (problems, "zero.yaml");
  problem_for (problems, "huge.yaml");
  g_assert_cmpuint (problems->len, ==, 4);  /* and the name that is not UTF-8 */
}

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  *out = cb_preset_list_finish (result, &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (problems);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
change_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_preset_change_finish (result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* The window's way: off the UI thread. Also times a listing of 200 presets. */
static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&env, "test");
  g_autoptr(CbPreset) preset = cb_preset_new_from_form (form, "async", NULL);
  g_autoptr(GPtrArray) presets = NULL;
  gboolean done = FALSE;
  gint64 start;

  cb_preset_save_async (preset, f->project, "test", FALSE, NULL, change_done_cb, &done);
  g_assert_true (cb_test_spin_until (is_true, &done, 10000));
  done = FALSE;
  cb_preset_rename_async (f->project, "test", "async", "renamed", NULL, change_done_cb, &done);
  g_assert_true (cb_test_spin_until (is_true, &done, 10000));

  for (guint i = 0; i < 199; i++)
    {
      g_autofree char *file = g_strdup_printf ("p%03u.yaml", i);

      write_file (f, "test", file, "note: n\nvalues:\n  batch_size: 4\n  exp_name: x y\n"
                                   "extra_overrides: [a=1, b=2]\n");
    }
  start = g_get_monotonic_time ();
  cb_preset_list_async (f->project, "test", NULL, list_done_cb, &presets);
  g_assert_true (cb_test_spin_until (is_set, &presets, 10000));
  g_test_message ("listing 200 presets: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (presets->len, ==, 200);
  g_assert_nonnull (cb_preset_find (presets, "renamed"));

  done = FALSE;
  cb_preset_delete_async (f->project, "test", "renamed", NULL, change_done_cb, &done);
  g_assert_true (cb_test_spin_until (is_true, &done, 10000));
}

/* The suggested setups are built-in presets of the train page: read-only, applied as the
 * page's Suggested Setups apply them. */
static void
test_built_in (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CbForm) form = cb_test_demo_make_form (&env, "train");
  g_autoptr(CbForm) test_form = cb_test_demo_make_form (&env, "test");
  g_autoptr(GPtrArray) built_in = cb_preset_list_built_in (env.snapshot,
                                                           cb_form_get_schema (form), "train");
  g_autoptr(GPtrArray) none = cb_preset_list_built_in (env.snapshot,
                                                       cb_form_get_schema (test_form), "test");
  g_autoptr(GError) error = NULL;
  const CbPreset *preset;
  GVariant *value;

  g_assert_cmpuint (built_in->len, ==, cb_config_snapshot_get_n_use_cases (env.snapshot));
  g_assert_cmpuint (none->len, ==, 0);
  preset = cb_preset_find (built_in, "documents_high_resolution");
  g_assert_nonnull (preset);
  g_assert_true (cb_preset_is_built_in (preset));
  g_assert_cmpstr (preset->title, ==, "Scanned documents · High resolution");

  g_assert_cmpuint (cb_preset_apply (preset, form, NULL), >, 0);
  value = cb_form_get_value (form, "architecture");
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "craft");
  value = cb_form_get_value (form, "encoder");
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "resnet50");

  g_assert_false (cb_preset_save (preset, f->project, "train", FALSE, &error));
  g_assert_error (error, CB_PRESET_ERROR, CB_PRESET_ERROR_BUILT_IN);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cb_test_demo_open (&env);

  g_test_add_func ("/preset/names", test_names);
  g_test_add_func ("/preset/yaml-round-trip", test_yaml_round_trip);
  g_test_add ("/preset/save-list-apply", Fixture, NULL, fixture_set_up, test_save_list_apply,
              fixture_tear_down);
  g_test_add ("/preset/apply-unoffered", Fixture, NULL, fixture_set_up, test_apply_unoffered,
              fixture_tear_down);
  g_test_add ("/preset/rename-delete", Fixture, NULL, fixture_set_up, test_rename_delete,
              fixture_tear_down);
  g_test_add ("/preset/broken", Fixture, NULL, fixture_set_up, test_broken, fixture_tear_down);
  g_test_add ("/preset/hostile", Fixture, NULL, fixture_set_up, test_hostile, fixture_tear_down);
  g_test_add ("/preset/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);
  g_test_add ("/preset/built-in", Fixture, NULL, fixture_set_up, test_built_in,
              fixture_tear_down);

  status = g_test_run ();
  cb_test_demo_close (&env);
  return status;
}
