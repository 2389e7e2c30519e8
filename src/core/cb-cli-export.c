/* cb-cli-export.c: the headless `export-csv` command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb-cli-export.h"

#include "cb/cb-submission.h"

#include <glib/gi18n.h>
#include <stdio.h>

/**
 * cb_cli_export_csv:
 * @output: (nullable): the CSV; `submission.csv` in the current folder when %NULL
 * @force: replace a CSV that is there (without it, such a file is left alone: exit 1)
 *
 * `command-builder export-csv JSON [--output FILE] [--include-confidence] [--force]`: the
 * competition CSV of a submission. A JSON that cannot be read writes nothing (exit 1, the
 * message names FILE:LINE:COLUMN).
 */
int
cb_cli_export_csv (const char *json_path,
                   const char *output,
                   gboolean    include_confidence,
                   gboolean    force)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSubmission) submission = NULL;
  gsize n_rows = 0, n_bytes = 0;

  if (json_path == NULL)
    {
      g_printerr (_("command-builder: export-csv needs a submission JSON file\n"));
      return 2;
    }
  if (output == NULL)
    output = "submission.csv";

  submission = cb_submission_load (json_path, &error);
  if (submission == NULL)
    {
      g_printerr ("command-builder: %s\n", error->message);
      return 1;
    }
  if (!cb_submission_write_csv (submission, output, include_confidence, force, &n_rows,
                                &n_bytes, &error))
    {
      g_printerr ("command-builder: %s\n", error->message);
      if (g_error_matches (error, CB_SUBMISSION_ERROR, CB_SUBMISSION_ERROR_EXISTS))
        g_printerr (_("command-builder: --force replaces it\n"));
      return 1;
    }
  {
    g_autofree char *rows = g_strdup_printf ("%" G_GSIZE_FORMAT, n_rows);
    g_autofree char *bytes = g_strdup_printf ("%'" G_GSIZE_FORMAT, n_bytes);

    /* Translators: "Wrote submission.csv: 24 rows, 51,234 bytes" */
    printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %s: %s row, %s bytes",
                         "Wrote %s: %s rows, %s bytes", n_rows), output, rows, bytes);
    printf ("\n");
  }
  return 0;
}
