/* bench-scan.c: times the checkpoint walk on a project root, a full scan then an unchanged one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-scan [--threads N] PROJECT_ROOT [OUTPUTS_DIR]
 * Prints one line of JSON:
 *   {"full_ms":..,"rescan_ms":..,"n_checkpoints":..,"dirs_read":..,"dirs_reused":..,
 *    "threads":..}
 * --threads caps the walk's threads (cb_checkpoint_scanner_set_max_threads; 0, the default,
 * is what the app does: one per processor, up to 4).
 * where dirs_read is of the full scan and dirs_reused of the rescan. Both scans run on the
 * calling thread (cb_checkpoint_scanner_scan_sync), timed around the call, so the times include
 * sorting and the update of the list model. scripts/bench-scan compares them with find(1).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cb/cb-checkpoint-scanner.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CbCheckpointScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  const CbScanStats *stats;
  gint64 start;
  double full_ms, rescan_ms;
  guint n_checkpoints, dirs_read, max_threads = 0;

  if (argc > 2 && g_str_equal (argv[1], "--threads"))
    {
      max_threads = (guint) g_ascii_strtoull (argv[2], NULL, 10);
      argv += 2;
      argc -= 2;
    }
  if (argc < 2 || argc > 3)
    {
      fprintf (stderr, "Usage: %s [--threads N] PROJECT_ROOT [OUTPUTS_DIR]\n", argv[0]);
      return EXIT_FAILURE;
    }

  scanner = cb_checkpoint_scanner_new (argv[1], argc > 2 ? argv[2] : "outputs");
  cb_checkpoint_scanner_set_max_threads (scanner, max_threads);

  start = g_get_monotonic_time ();
  if (!cb_checkpoint_scanner_scan_sync (scanner, NULL, &error))
    {
      fprintf (stderr, "bench-scan: %s\n", error->message);
      return EXIT_FAILURE;
    }
  full_ms = (g_get_monotonic_time () - start) / 1000.0;
  stats = cb_checkpoint_scanner_get_stats (scanner);
  n_checkpoints = stats->n_checkpoints;
  dirs_read = stats->n_dirs_read;

  start = g_get_monotonic_time ();
  if (!cb_checkpoint_scanner_scan_sync (scanner, NULL, &error))
    {
      fprintf (stderr, "bench-scan: %s\n", error->message);
      return EXIT_FAILURE;
    }
  rescan_ms = (g_get_monotonic_time () - start) / 1000.0;
  stats = cb_checkpoint_scanner_get_stats (scanner);

  printf ("{\"full_ms\":%.3f,\"rescan_ms\":%.3f,\"n_checkpoints\":%u,"
          "\"dirs_read\":%u,\"dirs_reused\":%u,\"threads\":%u}\n",
          full_ms, rescan_ms, n_checkpoints, dirs_read, stats->n_dirs_reused, stats->n_threads);

  return EXIT_SUCCESS;
}
