/* fuzz-submission.c: any text as a prediction run's submission JSON, then its CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-submission.h"
#include "fuzz-common.h"

#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GError *error = NULL;
  CbSubmission *submission;
  gsize total = 0;

  submission = cb_submission_load_data ((const char *) data, size, "sub.json", &error);
  if (submission == NULL)
    {
      /* Every refusal names the file, and bad JSON its line and column. */
      fuzz_assert (error != NULL && g_str_has_prefix (error->message, "sub.json:"),
                   "a refusal that does not name the file: %s", error ? error->message : "(none)");
      g_error_free (error);
      return 0;
    }

  for (guint i = 0; i < cb_submission_get_n_images (submission); i++)
    {
      const CbSubmissionImage *image = cb_submission_get_image (submission, i);

      fuzz_assert (image->filename != NULL, "an image without a name");
      total += image->n_polygons;
    }
  fuzz_assert (total == cb_submission_get_n_polygons (submission), "%zu polygons counted, %zu held",
               cb_submission_get_n_polygons (submission), total);

  for (int confidence = 0; confidence <= 1; confidence++)
    {
      gsize length = 0;
      char *csv = cb_submission_to_csv (submission, confidence, &length);

      fuzz_assert (length == strlen (csv), "a NUL inside the CSV");
      fuzz_assert (g_str_has_prefix (csv, confidence ? "filename,polygons,avg_confidence\n"
                                                     : "filename,polygons\n"), "no header");
      fuzz_assert (csv[length - 1] == '\n', "the CSV does not end with a line break");
      g_free (csv);
    }
  g_object_unref (submission);
  return 0;
}
