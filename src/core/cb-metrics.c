/* cb-metrics.c: a run's logged metrics (Lightning's CSV logger), read as the file grows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lightning's CSVLogger writes `<save_dir>/<name>/version_N/metrics.csv`: a header of every
 * key logged so far (`epoch`, `step`, then the metrics, e.g. `train/loss`, `val/hmean`,
 * `lr-Adam`), then one row per logging call with the cells of the other keys left empty.
 * When a key appears that the header lacks, Lightning rewrites the whole file with a wider
 * header; otherwise it appends. A reader therefore keeps its place, reads only what was
 * appended, and starts over when the file was rewritten (its first line changed, it shrank,
 * or it was replaced).
 *
 * The reader hands each read's rows over as a new CbMetrics, so that a thread can parse
 * while the UI thread draws what it already has, and merges the new rows in one step.
 */

#include "config.h"

#include "cb/cb-metrics.h"
#include "cb-metrics-private.h"

#include "cb/cb-file-read.h"
#include "cb/cb-json-write.h"
#include "cb/cb-problem.h"

#include <glib/gi18n.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct _CbMetrics
{
  GObject     parent_instance;

  guint64     serial;     /* tells a reader whether it has mapped its columns to this one */
  GPtrArray  *names;      /* char *, in the order first seen */
  GPtrArray  *series;     /* GArray of CbMetricPoint, one per name */
  GPtrArray  *overviews;  /* CbMetricsOverview, one per name */
  GHashTable *index;      /* name -> series index + 1 */
  gsize       n_rows;
  gsize       n_bad_rows;
  gsize       n_points;
  gboolean    has_step;
  guint64     generation;
};

G_DEFINE_FINAL_TYPE (CbMetrics, cb_metrics, G_TYPE_OBJECT)

static gsize next_serial = 1;

static void
cb_metrics_finalize (GObject *object)
{
  CbMetrics *self = CB_METRICS (object);

  g_ptr_array_unref (self->names);
  g_ptr_array_unref (self->series);
  g_ptr_array_unref (self->overviews);
  g_hash_table_unref (self->index);

  G_OBJECT_CLASS (cb_metrics_parent_class)->finalize (object);
}

static void
cb_metrics_class_init (CbMetricsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_metrics_finalize;
}

static void
cb_metrics_init (CbMetrics *self)
{
  self->serial = (guint64) g_atomic_pointer_add (&next_serial, 1);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->overviews = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_metrics_overview_free);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  self->has_step = TRUE;
}

CbMetrics *
cb_metrics_new (void)
{
  return g_object_new (CB_TYPE_METRICS, NULL);
}

guint
cb_metrics_get_n_series (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), 0);

  return self->names->len;
}

const char *
cb_metrics_get_name (CbMetrics *self,
                     guint      series)
{
  g_return_val_if_fail (CB_IS_METRICS (self), NULL);
  g_return_val_if_fail (series < self->names->len, NULL);

  return g_ptr_array_index (self->names, series);
}

const CbMetricPoint *
cb_metrics_get_points (CbMetrics *self,
                       guint      series,
                       gsize     *n_points)
{
  GArray *points;

  g_return_val_if_fail (CB_IS_METRICS (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);

  points = g_ptr_array_index (self->series, series);
  if (n_points != NULL)
    *n_points = points->len;
  return (const CbMetricPoint *) (gpointer) points->data;
}

/**
 * cb_metrics_get_buckets:
 *
 * The series summed up in at most CB_METRICS_MAX_BUCKETS buckets of consecutive points, kept
 * as points are added: a plot draws these instead of a million points.
 */
const CbMetricBucket *
cb_metrics_get_buckets (CbMetrics *self,
                        guint      series,
                        gsize     *n_buckets)
{
  CbMetricsOverview *overview;

  g_return_val_if_fail (CB_IS_METRICS (self), NULL);
  g_return_val_if_fail (series < self->overviews->len, NULL);

  overview = g_ptr_array_index (self->overviews, series);
  if (n_buckets != NULL)
    *n_buckets = overview->buckets->len;
  return (const CbMetricBucket *) (gpointer) overview->buckets->data;
}

/**
 * cb_metrics_get_range:
 *
 * The lowest and highest step and value of the series, without a pass over it.
 *
 * Returns: %FALSE when it has no points
 */
gboolean
cb_metrics_get_range (CbMetrics *self,
                      guint      series,
                      double    *step_min,
                      double    *step_max,
                      double    *value_min,
                      double    *value_max)
{
  CbMetricsOverview *overview;

  g_return_val_if_fail (CB_IS_METRICS (self), FALSE);
  g_return_val_if_fail (series < self->overviews->len, FALSE);

  overview = g_ptr_array_index (self->overviews, series);
  if (overview->n_points == 0)
    return FALSE;
  *step_min = overview->step_min;
  *step_max = overview->step_max;
  *value_min = overview->value_min;
  *value_max = overview->value_max;
  return TRUE;
}

int
cb_metrics_find (CbMetrics  *self,
                 const char *name)
{
  gpointer found;

  g_return_val_if_fail (CB_IS_METRICS (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  found = g_hash_table_lookup (self->index, name);
  return found == NULL ? -1 : GPOINTER_TO_INT (found) - 1;
}

gsize
cb_metrics_get_n_rows (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), 0);

  return self->n_rows;
}

gsize
cb_metrics_get_n_bad_rows (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), 0);

  return self->n_bad_rows;
}

gsize
cb_metrics_get_n_points (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), 0);

  return self->n_points;
}

/* FALSE when a file had no step column, so that steps are row numbers. */
gboolean
cb_metrics_get_has_step (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), FALSE);

  return self->has_step;
}

/* Grows with every change, for whoever caches a drawing of the series. */
guint64
cb_metrics_get_generation (CbMetrics *self)
{
  g_return_val_if_fail (CB_IS_METRICS (self), 0);

  return self->generation;
}

static guint
ensure_series (CbMetrics  *self,
               const char *name)
{
  int found = cb_metrics_find (self, name);
  char *copy;

  if (found >= 0)
    return (guint) found;

  copy = g_strdup (name);
  g_ptr_array_add (self->names, copy);
  g_ptr_array_add (self->series, g_array_new (FALSE, FALSE, sizeof (CbMetricPoint)));
  g_ptr_array_add (self->overviews, cb_metrics_overview_new ());
  g_hash_table_insert (self->index, copy, GUINT_TO_POINTER (self->names->len));
  self->generation++;
  return self->names->len - 1;
}

/**
 * cb_metrics_append:
 * @more: rows read after those of @self (a reader's next read, or the next file of a run)
 *
 * Adds the series of @more to those of @self, by name. @more may be left without its
 * points (they are moved rather than copied where that is cheaper): read it before.
 */
void
cb_metrics_append (CbMetrics *self,
                   CbMetrics *more)
{
  g_return_if_fail (CB_IS_METRICS (self));
  g_return_if_fail (CB_IS_METRICS (more));

  for (guint i = 0; i < more->names->len; i++)
    {
      GArray *from = g_ptr_array_index (more->series, i);
      guint to = ensure_series (self, g_ptr_array_index (more->names, i));
      GArray *into = g_ptr_array_index (self->series, to);

      if (into->len == 0 && from->len > 0)
        {
          /* Nothing here yet (a first read of a big file): take its array, not a copy. */
          gpointer overview = g_ptr_array_index (self->overviews, to);

          g_ptr_array_index (self->series, to) = from;
          g_ptr_array_index (more->series, i) = into;
          g_ptr_array_index (self->overviews, to) = g_ptr_array_index (more->overviews, i);
          g_ptr_array_index (more->overviews, i) = overview;
        }
      else if (from->len > 0)
        {
          CbMetricsOverview *overview = g_ptr_array_index (self->overviews, to);

          g_array_append_vals (into, from->data, from->len);
          for (guint j = 0; j < from->len; j++)
            cb_metrics_overview_add (overview, &g_array_index (from, CbMetricPoint, j));
        }
    }
  self->n_rows += more->n_rows;
  self->n_bad_rows += more->n_bad_rows;
  self->n_points += more->n_points;
  self->has_step = self->has_step && more->has_step;
  self->generation++;
}

/**
 * cb_metrics_get_best:
 *
 * The highest (or lowest) value of the series @name, with its step.
 *
 * Returns: %FALSE when the series is missing or empty
 */
gboolean
cb_metrics_get_best (CbMetrics     *self,
                     const char    *name,
                     gboolean       higher_is_better,
                     CbMetricPoint *best)
{
  const CbMetricPoint *points;
  gsize n = 0;
  int series;
  gsize pick = 0;

  g_return_val_if_fail (CB_IS_METRICS (self), FALSE);

  series = cb_metrics_find (self, name);
  if (series < 0)
    return FALSE;
  points = cb_metrics_get_points (self, (guint) series, &n);
  if (n == 0)
    return FALSE;
  for (gsize i = 1; i < n; i++)
    if (higher_is_better ? points[i].value > points[pick].value
                         : points[i].value < points[pick].value)
      pick = i;
  if (best != NULL)
    *best = points[pick];
  return TRUE;
}

/* ---- the reader ---------------------------------------------------------------------- */

struct _CbMetricsReader
{
  char     *path;

  /* where the file is */
  gboolean  opened;
  dev_t     dev;
  ino_t     ino;
  goffset   offset;       /* bytes consumed, the waiting tail included */

  /* the line being assembled */
  GString  *tail;
  gboolean  skipping;     /* inside a line longer than CB_METRICS_MAX_LINE */

  /* the header */
  GString  *header_raw;   /* the first line, terminator included, as read */
  guint64   header_start; /* where it starts in the file (after blank or skipped lines) */
  guint64   fed;          /* bytes fed since the reader started over */
  guint64   line_start;   /* where the line being read starts */
  gboolean  have_header;
  char    **columns;
  guint     n_columns;
  int       step_column;
  int       epoch_column;
  gsize     n_data_rows;

  /* the CbMetrics the columns were last mapped to */
  guint64   mapped_serial;
  int      *column_series;  /* per column: its series in that CbMetrics, -1 for step/epoch */

  /* a line's fields: offsets into `unquoted` */
  GString  *unquoted;
  GArray   *field_starts;
  GArray   *field_lengths;
};

CbMetricsReader *
cb_metrics_reader_new (const char *path)
{
  CbMetricsReader *self = g_new0 (CbMetricsReader, 1);

  self->path = g_strdup (path);
  self->tail = g_string_new (NULL);
  self->header_raw = g_string_new (NULL);
  self->step_column = -1;
  self->epoch_column = -1;
  self->unquoted = g_string_new (NULL);
  self->field_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->field_lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  return self;
}

static void
reader_reset (CbMetricsReader *self)
{
  self->opened = FALSE;
  self->offset = 0;
  g_string_truncate (self->tail, 0);
  self->skipping = FALSE;
  g_string_truncate (self->header_raw, 0);
  self->header_start = 0;
  self->fed = 0;
  self->line_start = 0;
  self->have_header = FALSE;
  g_clear_pointer (&self->columns, g_strfreev);
  self->n_columns = 0;
  self->step_column = -1;
  self->epoch_column = -1;
  self->n_data_rows = 0;
  self->mapped_serial = 0;
  g_clear_pointer (&self->column_series, g_free);
}

void
cb_metrics_reader_free (CbMetricsReader *self)
{
  if (self == NULL)
    return;
  reader_reset (self);
  g_free (self->path);
  g_string_free (self->tail, TRUE);
  g_string_free (self->header_raw, TRUE);
  g_string_free (self->unquoted, TRUE);
  g_array_unref (self->field_starts);
  g_array_unref (self->field_lengths);
  g_free (self);
}

const char *
cb_metrics_reader_get_path (CbMetricsReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->path;
}

/* Whether part of a row is read and its end is not (a run still writing it). */
gboolean
cb_metrics_reader_get_waiting (CbMetricsReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->tail->len > 0 || self->skipping;
}

/* Splits one line (no terminator) into fields, the way Python's csv module writes them:
 * commas between fields, a field in double quotes when it holds a comma or a quote, with ""
 * for a quote inside. A line break always ends a row (Lightning's metric names hold none).
 * Returns the number of fields. */
static guint
split_fields (CbMetricsReader *self,
              const char      *line,
              gsize            length)
{
  gsize i = 0;

  g_string_truncate (self->unquoted, 0);
  g_array_set_size (self->field_starts, 0);
  g_array_set_size (self->field_lengths, 0);

  for (;;)
    {
      gsize start = self->unquoted->len;
      gsize field_length;

      if (i < length && line[i] == '"')
        {
          i++;
          while (i < length)
            {
              if (line[i] == '"')
                {
                  if (i + 1 < length && line[i + 1] == '"')
                    {
                      g_string_append_c (self->unquoted, '"');
                      i += 2;
                      continue;
                    }
                  i++;
                  break;
                }
              g_string_append_c (self->unquoted, line[i]);
              i++;
            }
          /* Anything between the closing quote and the comma is kept, as csv does. */
          while (i < length && line[i] != ',')
            g_string_append_c (self->unquoted, line[i++]);
        }
      else
        {
          const char *comma = memchr (line + i, ',', length - i);
          gsize end = comma != NULL ? (gsize) (comma - line) : length;

          g_string_append_len (self->unquoted, line + i, end - i);
          i = end;
        }
      field_length = self->unquoted->len - start;
      g_string_append_c (self->unquoted, '\0');
      g_array_append_val (self->field_starts, start);
      g_array_append_val (self->field_lengths, field_length);

      if (i >= length)
        break;
      i++;  /* the comma */
      if (self->field_starts->len > CB_METRICS_MAX_COLUMNS)
        break;
    }
  return self->field_starts->len;
}

static const char *
field (CbMetricsReader *self,
       guint            i,
       gsize           *length)
{
  gsize start = g_array_index (self->field_starts, gsize, i);

  if (length != NULL)
    *length = g_array_index (self->field_lengths, gsize, i);
  return self->unquoted->str + start;
}

/* A cell's number: finite, the whole cell (blanks around it allowed). */
static gboolean
parse_number (const char *text,
              gsize       length,
              double     *value)
{
  char *end = NULL;
  double v;

  while (length > 0 && g_ascii_isspace (*text))
    {
      text++;
      length--;
    }
  while (length > 0 && g_ascii_isspace (text[length - 1]))
    length--;
  if (length == 0)
    return FALSE;

  /* The cell is NUL-terminated (split_fields ends each one), only trailing blanks follow. */
  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (end != text + length || !isfinite (v))
    return FALSE;
  *value = v;
  return TRUE;
}

static void
map_columns (CbMetricsReader *self,
             CbMetrics       *into)
{
  if (self->mapped_serial == into->serial)
    return;

  g_free (self->column_series);
  self->column_series = g_new (int, MAX (self->n_columns, 1));
  for (guint c = 0; c < self->n_columns; c++)
    {
      if ((int) c == self->step_column || (int) c == self->epoch_column)
        self->column_series[c] = -1;
      else
        self->column_series[c] = (int) ensure_series (into, self->columns[c]);
    }
  if (self->step_column < 0)
    into->has_step = FALSE;
  self->mapped_serial = into->serial;
}

static void
read_header (CbMetricsReader *self,
             const char      *line,
             gsize            length,
             CbMetrics       *into)
{
  guint n = MIN (split_fields (self, line, length), CB_METRICS_MAX_COLUMNS);

  self->columns = g_new0 (char *, n + 1);
  for (guint c = 0; c < n; c++)
    {
      gsize field_length;
      const char *name = field (self, c, &field_length);

      /* A name with a NUL in it stops there; an empty one is named by its column. */
      self->columns[c] = field_length == 0 ? g_strdup_printf ("column %u", c + 1)
                                           : g_strdup (name);
      if (self->step_column < 0 && g_str_equal (self->columns[c], "step"))
        self->step_column = (int) c;
      else if (self->epoch_column < 0 && g_str_equal (self->columns[c], "epoch"))
        self->epoch_column = (int) c;
    }
  self->n_columns = n;
  self->have_header = TRUE;
  self->mapped_serial = 0;
  map_columns (self, into);
}

static void
read_row (CbMetricsReader *self,
          const char      *line,
          gsize            length,
          CbMetrics       *into)
{
  CbMetricPoint point = { 0, NAN, 0 };
  guint n;

  map_columns (self, into);

  /* The header again (two files joined, or a header written twice): not a row. */
  if (self->header_raw->len > 0 && length <= self->header_raw->len
      && memcmp (line, self->header_raw->str, length) == 0
      && (length == self->header_raw->len || self->header_raw->str[length] == '\n'
          || self->header_raw->str[length] == '\r'))
    return;

  n = split_fields (self, line, length);
  if (n > self->n_columns)
    {
      into->n_bad_rows++;
      return;
    }

  if (self->step_column >= 0)
    {
      gsize field_length;
      const char *text;

      if ((guint) self->step_column >= n)
        {
          into->n_bad_rows++;
          return;
        }
      text = field (self, (guint) self->step_column, &field_length);
      if (!parse_number (text, field_length, &point.step))
        {
          into->n_bad_rows++;
          return;
        }
    }
  else
    point.step = (double) self->n_data_rows;

  if (self->epoch_column >= 0 && (guint) self->epoch_column < n)
    {
      gsize field_length;
      const char *text = field (self, (guint) self->epoch_column, &field_length);
      double epoch;

      if (parse_number (text, field_length, &epoch))
        point.epoch = epoch;
    }

  for (guint c = 0; c < n; c++)
    {
      int series = self->column_series[c];
      gsize field_length;
      const char *text;

      if (series < 0)
        continue;
      text = field (self, c, &field_length);
      if (field_length == 0 || !parse_number (text, field_length, &point.value))
        continue;  /* empty, NaN, inf or not a number: left out */
      g_array_append_val ((GArray *) g_ptr_array_index (into->series, series), point);
      cb_metrics_overview_add (g_ptr_array_index (into->overviews, series), &point);
      into->n_points++;
    }
  self->n_data_rows++;
  into->n_rows++;
  into->generation++;
}

static void
read_line (CbMetricsReader *self,
           const char      *line,
           gsize            length,
           gboolean         terminated,
           CbMetrics       *into)
{
  gsize content = length;

  if (content > 0 && line[content - 1] == '\r')
    content--;

  if (!self->have_header)
    {
      if (content == 0)
        return;
      g_string_append_len (self->header_raw, line, length);
      if (terminated)
        g_string_append_c (self->header_raw, '\n');
      self->header_start = self->line_start;
      read_header (self, line, content, into);
      return;
    }
  if (content == 0)
    return;
  read_row (self, line, content, into);
}

/**
 * cb_metrics_reader_feed:
 * @into: where the rows go
 *
 * Reads the complete lines of @data (after what an earlier feed left waiting); a last line
 * without its newline waits for the next feed.
 */
void
cb_metrics_reader_feed (CbMetricsReader *self,
                        const char      *data,
                        gsize            length,
                        CbMetrics       *into)
{
  const char *p = data;
  const char *end = data + length;

  g_return_if_fail (self != NULL);
  g_return_if_fail (CB_IS_METRICS (into));

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      gsize n = newline != NULL ? (gsize) (newline - p) : (gsize) (end - p);

      if (self->tail->len == 0 && !self->skipping)
        self->line_start = self->fed + (guint64) (p - data);
      if (self->skipping)
        {
          if (newline != NULL)
            self->skipping = FALSE;
        }
      else if (self->tail->len + n > CB_METRICS_MAX_LINE)
        {
          g_string_truncate (self->tail, 0);
          into->n_bad_rows++;
          self->skipping = newline == NULL;
        }
      else if (newline == NULL)
        g_string_append_len (self->tail, p, n);
      else if (self->tail->len > 0)
        {
          g_string_append_len (self->tail, p, n);
          read_line (self, self->tail->str, self->tail->len, TRUE, into);
          g_string_truncate (self->tail, 0);
        }
      else
        read_line (self, p, n, TRUE, into);

      if (newline == NULL)
        break;
      p = newline + 1;
    }
  self->fed += length;
}

/**
 * cb_metrics_reader_finish:
 *
 * The input ended: a last line without a newline is read when it has every column (a row
 * cut short by a writer that stopped is left out).
 */
void
cb_metrics_reader_finish (CbMetricsReader *self,
                          CbMetrics       *into)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (CB_IS_METRICS (into));

  if (self->tail->len > 0 && !self->skipping)
    {
      if (!self->have_header)
        read_line (self, self->tail->str, self->tail->len, FALSE, into);
      else if (split_fields (self, self->tail->str, self->tail->len) == self->n_columns)
        read_line (self, self->tail->str, self->tail->len, FALSE, into);
    }
  g_string_truncate (self->tail, 0);
  self->skipping = FALSE;
}

static gboolean
header_unchanged (CbMetricsReader *self,
                  int              fd)
{
  g_autofree char *head = NULL;
  gsize want = self->header_raw->len;
  gsize done = 0;

  if (want == 0)
    return TRUE;
  head = g_malloc (want);
  while (done < want)
    {
      gssize n = pread (fd, head + done, want - done, (off_t) (self->header_start + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  return memcmp (head, self->header_raw->str, want) == 0;
}

/**
 * cb_metrics_reader_read:
 * @at_end: the file is complete (the headless interface): read a last row without newline
 * @restarted: (out) (optional): set when the file was rewritten or replaced since the last
 *   read, so that the rows returned replace, rather than follow, those read before
 *
 * Reads what was appended to the file since the last read.
 *
 * Returns: (transfer full): the new rows (maybe none), or %NULL with @error set
 */
CbMetrics *
cb_metrics_reader_read (CbMetricsReader *self,
                        gboolean         at_end,
                        gboolean        *restarted,
                        GError         **error)
{
  g_autoptr(CbMetrics) into = NULL;
  g_autofree char *buffer = NULL;
  gsize max_size = cb_file_kind_get_max_size (CB_FILE_KIND_METRICS);
  struct stat st;
  gboolean reset = FALSE;
  int fd;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fd = cb_file_open_regular_at (AT_FDCWD, self->path, self->path, CB_FILE_KIND_METRICS, &st,
                                error);
  if (fd < 0)
    return NULL;

  if (self->opened
      && (st.st_dev != self->dev || st.st_ino != self->ino || st.st_size < self->offset
          || !header_unchanged (self, fd)))
    {
      reader_reset (self);
      reset = TRUE;
    }
  self->opened = TRUE;
  self->dev = st.st_dev;
  self->ino = st.st_ino;

  into = cb_metrics_new ();
  buffer = g_malloc (1024 * 1024);
  for (;;)
    {
      gssize n = pread (fd, buffer, 1024 * 1024, self->offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s",
                       self->path, g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      cb_metrics_reader_feed (self, buffer, (gsize) n, into);
      self->offset += n;
      if ((guint64) self->offset >= max_size)
        {
          /* Grew past the limit while being read: what was read stays. */
          break;
        }
    }
  close (fd);

  if (at_end)
    cb_metrics_reader_finish (self, into);
  if (restarted != NULL)
    *restarted = reset;
  return g_steal_pointer (&into);
}

/* ---- a run's files ------------------------------------------------------------------- */

#define MAX_WALK_DEPTH   4
#define MAX_WALK_ENTRIES 20000

static int
compare_version_paths (gconstpointer a,
                       gconstpointer b)
{
  const char *pa = *(const char * const *) a;
  const char *pb = *(const char * const *) b;
  const char *va = g_strrstr (pa, "/version_");
  const char *vb = g_strrstr (pb, "/version_");
  guint64 na = va != NULL ? g_ascii_strtoull (va + 9, NULL, 10) : 0;
  guint64 nb = vb != NULL ? g_ascii_strtoull (vb + 9, NULL, 10) : 0;

  if (na != nb)
    return na < nb ? -1 : 1;
  return strcmp (pa, pb);
}

static void
walk (const char *dir,
      guint       depth,
      guint      *n_entries,
      GPtrArray  *lightning,
      GPtrArray  *others)
{
  DIR *d;
  struct dirent *entry;
  g_autoptr(GPtrArray) subdirs = g_ptr_array_new_with_free_func (g_free);

  d = opendir (dir);
  if (d == NULL)
    return;
  while ((entry = readdir (d)) != NULL && *n_entries < MAX_WALK_ENTRIES)
    {
      const char *name = entry->d_name;
      g_autofree char *path = NULL;
      struct stat st;

      (*n_entries)++;
      if (name[0] == '.' && (name[1] == '\0' || g_str_equal (name, "..")
                             || g_str_equal (name, ".hydra")))
        continue;
      path = g_build_filename (dir, name, NULL);
      /* No symlinked folders: a link may loop or lead out of the run. */
      if (lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          if (depth < MAX_WALK_DEPTH && !g_str_equal (name, "checkpoints")
              && !g_str_equal (name, "submissions"))
            g_ptr_array_add (subdirs, g_steal_pointer (&path));
        }
      else if (g_str_equal (name, "metrics.csv") && cb_file_is_regular_at (AT_FDCWD, path))
        {
          g_autofree char *parent = g_path_get_basename (dir);

          if (g_str_has_prefix (parent, "version_"))
            g_ptr_array_add (lightning, g_steal_pointer (&path));
          else
            g_ptr_array_add (others, g_steal_pointer (&path));
        }
    }
  closedir (d);

  g_ptr_array_sort (subdirs, (GCompareFunc) (void (*) (void)) g_strcmp0);
  for (guint i = 0; i < subdirs->len; i++)
    walk (g_ptr_array_index (subdirs, i), depth + 1, n_entries, lightning, others);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * cb_metrics_find_files:
 *
 * Returns: (transfer full): the metrics files of @run_dir, Lightning's `version_N` ones
 *   first in version order; an empty list when there are none
 */
char **
cb_metrics_find_files (const char *run_dir)
{
  g_autoptr(GPtrArray) lightning = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  guint n_entries = 0;

  g_return_val_if_fail (run_dir != NULL, NULL);

  walk (run_dir, 0, &n_entries, lightning, others);
  g_ptr_array_sort (lightning, compare_version_paths);
  g_ptr_array_sort (others, compare_strings);
  for (guint i = 0; i < others->len; i++)
    g_ptr_array_add (lightning, g_strdup (g_ptr_array_index (others, i)));
  g_ptr_array_add (lightning, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&lightning), FALSE);
}

/**
 * cb_metrics_read_run:
 * @problems: (nullable): where files that cannot be read, and rows that cannot, are told
 *
 * Reads every metrics file of @run_dir whole, in order, into one set of series.
 *
 * Returns: (transfer full): the series (maybe none)
 */
CbMetrics *
cb_metrics_read_run (const char *run_dir,
                     GPtrArray  *problems)
{
  g_auto(GStrv) files = cb_metrics_find_files (run_dir);
  CbMetrics *all = cb_metrics_new ();

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(CbMetricsReader) reader = cb_metrics_reader_new (files[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CbMetrics) part = cb_metrics_reader_read (reader, TRUE, NULL, &error);

      if (part == NULL)
        {
          if (problems != NULL)
            g_ptr_array_add (problems, cb_problem_new_located (CB_PROBLEM_ERROR, NULL,
                                                               error->message));
          continue;
        }
      if (part->n_bad_rows > 0 && problems != NULL)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, part->n_bad_rows);

          g_ptr_array_add (problems,
                         cb_problem_new (CB_PROBLEM_WARNING, files[i], 0, 0,
                                         /* Translators: %s is a count of rows */
                                         _("rows that could not be read: %s"),
                                         count));
        }
      cb_metrics_append (all, part);
    }
  return all;
}

/**
 * cb_metrics_to_json:
 *
 * Returns: `{"metric": [[step, value], ...], ...}`, steps as the file wrote them
 */
char *
cb_metrics_to_json (CbMetrics *self)
{
  GString *out;

  g_return_val_if_fail (CB_IS_METRICS (self), NULL);

  out = g_string_sized_new (64 + self->n_points * 24);
  g_string_append_c (out, '{');
  for (guint i = 0; i < self->names->len; i++)
    {
      GArray *points = g_ptr_array_index (self->series, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "\n  ");
      cb_json_append_string (out, g_ptr_array_index (self->names, i));
      g_string_append (out, ": [");
      for (guint j = 0; j < points->len; j++)
        {
          const CbMetricPoint *p = &g_array_index (points, CbMetricPoint, j);

          if (j > 0)
            g_string_append_c (out, ',');
          g_string_append_c (out, '[');
          cb_json_append_number (out, p->step);
          g_string_append_c (out, ',');
          cb_json_append_number (out, p->value);
          g_string_append_c (out, ']');
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, self->names->len > 0 ? "\n}\n" : "}\n");
  return g_string_free (out, FALSE);
}

static void
append_cell (GString *out,
             double   value)
{
  if (!isnan (value))
    cb_json_append_number (out, value);
}

/**
 * cb_metrics_to_text:
 *
 * Returns: the series as tab-separated lines `metric step epoch value` under a header; an
 *   epoch the row lacks is an empty cell
 */
char *
cb_metrics_to_text (CbMetrics *self)
{
  char high_bytes[129];
  GString *out;

  g_return_val_if_fail (CB_IS_METRICS (self), NULL);

  /* Tabs and line breaks in a name are escaped; UTF-8 text stays as it is. */
  for (int b = 0; b < 128; b++)
    high_bytes[b] = (char) (0x80 + b);
  high_bytes[128] = '\0';
  out = g_string_sized_new (64 + self->n_points * 32);
  g_string_append (out, self->has_step ? "metric\tstep\tepoch\tvalue\n"
                                       : "metric\trow\tepoch\tvalue\n");
  for (guint i = 0; i < self->names->len; i++)
    {
      GArray *points = g_ptr_array_index (self->series, i);
      g_autofree char *name = g_strescape (g_ptr_array_index (self->names, i), high_bytes);

      for (guint j = 0; j < points->len; j++)
        {
          const CbMetricPoint *p = &g_array_index (points, CbMetricPoint, j);

          g_string_append (out, name);
          g_string_append_c (out, '\t');
          append_cell (out, p->step);
          g_string_append_c (out, '\t');
          append_cell (out, p->epoch);
          g_string_append_c (out, '\t');
          append_cell (out, p->value);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}
