/* fuzz-metrics.c: any text as a run's metrics.csv, read whole and read as it grows
 *
 * The file is fed once whole and once in pieces (cut where the input's first byte says, as
 * a run that is still writing would leave it); both must give the same series, and every
 * point must be finite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-metrics.h"
#include "fuzz-common.h"

#include <math.h>
#include <string.h>

static CbMetrics *
read_in_pieces (const char *text,
                size_t      size,
                size_t      piece)
{
  CbMetricsReader *reader = cb_metrics_reader_new ("metrics.csv");
  CbMetrics *all = cb_metrics_new ();
  CbMetrics *more = NULL;
  size_t n = 0;

  /* Every 8 pieces make one read, merged into what came before, as the Runs window does. */
  for (size_t done = 0; done < size; done += piece, n++)
    {
      if (more == NULL)
        more = cb_metrics_new ();
      cb_metrics_reader_feed (reader, text + done, MIN (piece, size - done), more);
      if (n % 8 == 7)
        {
          cb_metrics_append (all, more);
          g_clear_object (&more);
        }
    }
  if (more != NULL)
    {
      cb_metrics_append (all, more);
      g_object_unref (more);
    }
  {
    CbMetrics *more = cb_metrics_new ();

    cb_metrics_reader_finish (reader, more);
    cb_metrics_append (all, more);
    g_object_unref (more);
  }
  cb_metrics_reader_free (reader);
  return all;
}

static void
assert_same (CbMetrics *a,
             CbMetrics *b)
{
  fuzz_assert (cb_metrics_get_n_series (a) == cb_metrics_get_n_series (b),
               "%u series read whole, %u in pieces", cb_metrics_get_n_series (a),
               cb_metrics_get_n_series (b));
  fuzz_assert (cb_metrics_get_n_rows (a) == cb_metrics_get_n_rows (b),
               "%zu rows read whole, %zu in pieces", cb_metrics_get_n_rows (a),
               cb_metrics_get_n_rows (b));
  for (guint s = 0; s < cb_metrics_get_n_series (a); s++)
    {
      gsize na = 0, nb = 0;
      const CbMetricPoint *pa = cb_metrics_get_points (a, s, &na);
      const CbMetricPoint *pb = cb_metrics_get_points (b, s, &nb);

      fuzz_assert (g_str_equal (cb_metrics_get_name (a, s), cb_metrics_get_name (b, s)),
                   "series %u is %s whole, %s in pieces", s, cb_metrics_get_name (a, s),
                   cb_metrics_get_name (b, s));
      fuzz_assert (na == nb, "%s: %zu points whole, %zu in pieces", cb_metrics_get_name (a, s),
                   na, nb);
      for (gsize i = 0; i < na; i++)
        {
          fuzz_assert (isfinite (pa[i].value) && isfinite (pa[i].step),
                       "a point that is not finite");
          fuzz_assert (memcmp (&pa[i], &pb[i], sizeof pa[i]) == 0 || (isnan (pa[i].epoch)
                       && isnan (pb[i].epoch) && pa[i].step == pb[i].step
                       && pa[i].value == pb[i].value),
                       "%s: point %zu differs when read in pieces", cb_metrics_get_name (a, s), i);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text;
  CbMetrics *whole, *pieces;
  size_t piece;
  char *json, *tsv;
  gsize total = 0;

  if (size < 1)
    return 0;
  piece = 1 + data[0] % 17;
  text = (const char *) data + 1;
  size--;

  whole = read_in_pieces (text, size, MAX (size, 1));
  pieces = read_in_pieces (text, size, piece);
  assert_same (whole, pieces);

  for (guint s = 0; s < cb_metrics_get_n_series (whole); s++)
    {
      gsize n = 0;

      cb_metrics_get_points (whole, s, &n);
      total += n;
    }
  fuzz_assert (total == cb_metrics_get_n_points (whole), "%zu points counted, %zu held",
               cb_metrics_get_n_points (whole), total);

  json = cb_metrics_to_json (whole);
  tsv = cb_metrics_to_text (whole);
  fuzz_assert (g_utf8_validate (json, -1, NULL), "the JSON is not UTF-8");
  g_free (json);
  g_free (tsv);
  g_object_unref (whole);
  g_object_unref (pieces);
  return 0;
}
