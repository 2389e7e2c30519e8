/* test-submission.c: submission JSON read, and the competition CSV written from it (issue 16)
 *
 * The expected CSVs are written by hand from the format the reference gives: columns
 * filename,polygons[,avg_confidence], polygons joined by '|', coordinates space-separated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-submission.h"
#include "cb-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

static CbSubmission *
load_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  CbSubmission *s = cb_submission_load_data (text, strlen (text), "sub.json", &error);

  g_assert_no_error (error);
  return s;
}

static char *
csv (CbSubmission *s,
     gboolean      confidence)
{
  return cb_submission_to_csv (s, confidence, NULL);
}

static void
test_csv_by_hand (void)
{
  g_autoptr(CbSubmission) s = load_text (
    "{\"images\": {"
    "  \"receipt_0001.jpg\": {\"words\": {"
    "     \"0001\": {\"points\": [[56, 44], [163, 44], [163, 74], [56, 74]], \"confidence\": 0.75},"
    "     \"0002\": {\"points\": [[209, 44.5], [351, 44], [351, 75], [209, 75]], \"confidence\": 0.25}}},"
    "  \"empty.jpg\": {\"words\": {}},"
    "  \"no-words.jpg\": {},"
    "  \"tri.png\": {\"words\": {\"1\": {\"points\": [[0, 0], [10, 0], [5, 8]], \"confidence\": 1}}}"
    "}}");
  g_autofree char *plain = csv (s, FALSE);
  g_autofree char *with = csv (s, TRUE);

  g_assert_cmpuint (cb_submission_get_n_images (s), ==, 4);
  g_assert_cmpuint (cb_submission_get_n_polygons (s), ==, 3);
  g_assert_true (cb_submission_has_confidence (s));
  g_assert_cmpstr (plain, ==,
                   "filename,polygons\n"
                   "receipt_0001.jpg,56 44 163 44 163 74 56 74|209 44.5 351 44 351 75 209 75\n"
                   "empty.jpg,\n"
                   "no-words.jpg,\n"
                   "tri.png,0 0 10 0 5 8\n");
  g_assert_cmpstr (with, ==,
                   "filename,polygons,avg_confidence\n"
                   "receipt_0001.jpg,56 44 163 44 163 74 56 74|209 44.5 351 44 351 75 209 75,0.5\n"
                   "empty.jpg,,\n"
                   "no-words.jpg,,\n"
                   "tri.png,0 0 10 0 5 8,1\n");
}

static void
test_odd_names_and_many_points (void)
{
  GString *json = g_string_new ("{\"images\": {\"my receipt, \\\"final\\\".jpg\": {\"words\": "
                                "{\"1\": {\"points\": [[1, 2], [3, 4], [5, 6]]}}},"
                                " \"영수증 1.png\": {\"words\": {\"1\": {\"points\": [");
  GString *expected = g_string_new ("filename,polygons\n"
                                    "\"my receipt, \"\"final\"\".jpg\",1 2 3 4 5 6\n"
                                    "영수증 1.png,");
  g_autoptr(CbSubmission) s = NULL;
  g_autofree char *out = NULL;

  /* a 300-point polygon */
  for (guint i = 0; i < 300; i++)
    {
      g_string_append_printf (json, "%s[%u, %u]", i > 0 ? ", " : "", i, i * 2);
      g_string_append_printf (expected, "%s%u %u", i > 0 ? " " : "", i, i * 2);
    }
  g_string_append (json, "]}}}}}");
  g_string_append_c (expected, '\n');
  s = load_text (json->str);
  out = csv (s, FALSE);
  g_assert_cmpstr (out, ==, expected->str);
  g_assert_false (cb_submission_has_confidence (s));
  g_string_free (json, TRUE);
  g_string_free (expected, TRUE);
}

static void
expect_error (const char        *text,
              CbSubmissionError  code,
              const char        *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSubmission) s = cb_submission_load_data (text, strlen (text), "sub.json", &error);

  g_assert_null (s);
  g_assert_error (error, CB_SUBMISSION_ERROR, (gint) code);
  if (!g_str_has_prefix (error->message, message))
    g_error ("expected \"%s…\", got \"%s\"", message, error->message);
}

static void
test_bad_json (void)
{
  /* not JSON: the position */
  expect_error ("{\"images\": {\"a.jpg\": {\"words\": {\"1\": {\"points\": [[1,2],[3,4]]}\n  , }}}",
                CB_SUBMISSION_ERROR_SYNTAX, "sub.json:2:3: Parse error: unexpected character");
  /* truncated */
  expect_error ("{\"images\": {\"a.jpg\": {\"words\": {\"1\": {\"points\": [[1, 2]",
                CB_SUBMISSION_ERROR_SYNTAX, "sub.json:1:");
  expect_error ("", CB_SUBMISSION_ERROR_SYNTAX, "sub.json:");
  /* JSON of another shape: where */
  expect_error ("[1, 2]", CB_SUBMISSION_ERROR_SHAPE, "sub.json: images: ");
  expect_error ("{\"images\": {\"a.jpg\": 3}}", CB_SUBMISSION_ERROR_SHAPE,
                "sub.json: images[\"a.jpg\"]: ");
  expect_error ("{\"images\": {\"a.jpg\": {\"words\": {\"7\": {\"points\": [[1, \"x\"]]}}}}}",
                CB_SUBMISSION_ERROR_SHAPE, "sub.json: images[\"a.jpg\"].words[\"7\"].points[0]: ");
  expect_error ("{\"images\": {\"a.jpg\": {\"words\": {\"7\": {\"points\": [[1, 2, 3]]}}}}}",
                CB_SUBMISSION_ERROR_SHAPE, "sub.json: images[\"a.jpg\"].words[\"7\"].points[0]: ");
  expect_error ("{\"images\": {\"a.jpg\": {\"words\": {\"7\": {\"points\": [[1, 2]], "
                "\"confidence\": \"high\"}}}}}", CB_SUBMISSION_ERROR_SHAPE,
                "sub.json: images[\"a.jpg\"].words[\"7\"]: ");
}

static void
test_write_and_refuse (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cb-submission-XXXXXX", &error);
  g_autofree char *json = g_build_filename (dir, "sub.json", NULL);
  g_autofree char *out = g_build_filename (dir, "submission.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *read_back = NULL;
  g_autoptr(CbSubmission) s = NULL;
  gsize rows = 0, bytes = 0;

  g_assert_true (g_file_set_contents (json, "{\"images\": {\"a.jpg\": {\"words\": {\"1\": "
                                      "{\"points\": [[1, 2], [3, 4], [5, 6], [7, 8]]}}}}}", -1,
                                      NULL));
  s = cb_submission_load (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cb_submission_get_path (s), ==, json);

  g_assert_true (cb_submission_write_csv (s, out, FALSE, FALSE, &rows, &bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 1);
  g_assert_true (g_file_get_contents (out, &read_back, NULL, NULL));
  g_assert_cmpstr (read_back, ==, "filename,polygons\na.jpg,1 2 3 4 5 6 7 8\n");
  g_assert_cmpuint (bytes, ==, strlen (read_back));

  /* There already: left alone without leave to replace it, and no temporary file stays. */
  g_assert_true (g_file_set_contents (out, "mine\n", -1, NULL));
  g_assert_false (cb_submission_write_csv (s, out, FALSE, FALSE, NULL, NULL, &error));
  g_assert_error (error, CB_SUBMISSION_ERROR, CB_SUBMISSION_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_pointer (&read_back, g_free);
  g_assert_true (g_file_get_contents (out, &read_back, NULL, NULL));
  g_assert_cmpstr (read_back, ==, "mine\n");
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (d) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 2);
  }
  g_assert_true (cb_submission_write_csv (s, out, FALSE, TRUE, NULL, NULL, &error));
  g_clear_pointer (&read_back, g_free);
  g_assert_true (g_file_get_contents (out, &read_back, NULL, NULL));
  g_assert_cmpstr (read_back, ==, "filename,polygons\na.jpg,1 2 3 4 5 6 7 8\n");

  /* A FIFO is refused without blocking. */
  g_assert_cmpint (mkfifo (bad, 0600), ==, 0);
  g_clear_object (&s);
  s = cb_submission_load (bad, &error);
  g_assert_null (s);
  g_assert_nonnull (strstr (error->message, "is a FIFO"));
  cb_test_remove_tree (dir);
}

static void
test_ten_thousand_images (void)
{
  GString *json = g_string_new ("{\"images\": {");
  g_autoptr(CbSubmission) s = NULL;
  g_autofree char *out = NULL;
  gint64 start;

  for (guint i = 0; i < 10000; i++)
    {
      g_string_append_printf (json, "%s\"img_%05u.jpg\": {\"words\": {", i > 0 ? "," : "", i);
      for (guint w = 0; w < 20; w++)
        g_string_append_printf (json, "%s\"%04u\": {\"points\": [[%u, %u], [%u, %u], [%u, %u], "
                                "[%u, %u]], \"confidence\": 0.%u}", w > 0 ? "," : "", w, w, w,
                                w + 50, w, w + 50, w + 20, w, w + 20, 5 + w % 5);
      g_string_append (json, "}}");
    }
  g_string_append (json, "}}");
  start = g_get_monotonic_time ();
  s = load_text (json->str);
  g_test_message ("10,000 images, 200,000 words (%.1f MB) read in %.0f ms", json->len / 1e6,
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (cb_submission_get_n_images (s), ==, 10000);
  g_assert_cmpuint (cb_submission_get_n_polygons (s), ==, 200000);
  g_assert_cmpstr (cb_submission_get_image (s, 9999)->filename, ==, "img_09999.jpg");
  out = csv (s, TRUE);
  g_assert_true (g_str_has_prefix (out, "filename,polygons,avg_confidence\nimg_00000.jpg,0 0 50 0 50 20 0 20|"));
  g_string_free (json, TRUE);
}

static void
test_find_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cb-submission-XXXXXX", &error);
  g_autofree char *subs = g_build_filename (dir, "submissions", NULL);
  g_autofree char *older = g_build_filename (subs, "20251118_142233.json", NULL);
  g_autofree char *newer = g_build_filename (subs, "20251119_090000.json", NULL);
  g_autofree char *other = g_build_filename (subs, "notes.txt", NULL);
  g_auto(GStrv) found = NULL;
  struct utimbuf times = { 1700000000, 1700000000 };

  g_mkdir_with_parents (subs, 0755);
  g_file_set_contents (older, "{}", -1, NULL);
  g_file_set_contents (newer, "{}", -1, NULL);
  g_file_set_contents (other, "x", -1, NULL);
  g_utime (older, &times);
  found = cb_submissions_find_files (dir);
  g_assert_cmpuint (g_strv_length (found), ==, 2);
  g_assert_cmpstr (found[0], ==, newer);
  g_assert_cmpstr (found[1], ==, older);
  cb_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/submission/csv-by-hand", test_csv_by_hand);
  g_test_add_func ("/submission/odd-names-and-many-points", test_odd_names_and_many_points);
  g_test_add_func ("/submission/bad-json", test_bad_json);
  g_test_add_func ("/submission/write-and-refuse", test_write_and_refuse);
  g_test_add_func ("/submission/ten-thousand-images", test_ten_thousand_images);
  g_test_add_func ("/submission/find-files", test_find_files);

  return g_test_run ();
}
