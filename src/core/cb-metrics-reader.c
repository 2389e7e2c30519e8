/* cb-metrics-reader.c: one metrics.csv read bit by bit, as a run writes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each read returns only the rows appended since the last one as a new CbMetrics (so that a
 * worker can parse while the UI thread draws), and notices a file that was rewritten (its
 * header changed, as Lightning's CSVLogger does when a key appears), replaced or truncated.
 */

#include "config.h"

#include "cb/cb-metrics.h"
#include "cb-metrics-private.h"

#include "cb/cb-file-read.h"
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
        self->column_series[c] = (int) _cb_metrics_ensure_series (into, self->columns[c]);
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

