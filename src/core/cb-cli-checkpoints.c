/* cb-cli-checkpoints.c: the headless `list-checkpoints` command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb-cli-checkpoints.h"
#include "cb/cb-checkpoint.h"
#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-heap.h"
#include "cb/cb-quote.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/*    Ten thousand lines must not cost more than the walk that found them: each line is appended
 * to one buffer, written with one fwrite() per LIST_CHUNK, and nothing else on the way makes
 * a system call. */

static void
append_uint (GString *out,
             guint64  value,
             guint    width)
{
  char digits[24];
  guint n = 0;

  do
    {
      digits[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);
  while (n < width)
    digits[n++] = '0';
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

static void
append_int (GString *out,
            gint64   value)
{
  if (value < 0)
    {
      g_string_append_c (out, '-');
      append_uint (out, (guint64) 0 - (guint64) value, 0);
    }
  else
    append_uint (out, (guint64) value, 0);
}

static void
append_fact (GString    *out,
             const char *name,
             const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_string_append_c (out, '\t');
  g_string_append (out, name);
  g_string_append_c (out, '=');
  g_string_append (out, value);
}

/* The local time of a modification, as g_date_time_format_iso8601() of
 * g_date_time_new_from_unix_local() writes it: that pair looks the local zone up again for
 * every call (four system calls: /etc/localtime is a symlink), which was most of the time
 * of printing the list. Here the zone is looked up once; the offset of each time comes from
 * it as GDateTime takes it, and the zone suffix ("Z", "+09", "+05:30") from GLib itself, once
 * per offset. Times GDateTime refuses or would write otherwise (before year 1, after 9999)
 * go through GLib as before. */
typedef struct
{
  GTimeZone *zone;
  gint32     suffix_offset;
  char      *suffix;
} StampWriter;

static void
stamp_writer_clear (StampWriter *writer)
{
  g_clear_pointer (&writer->zone, g_time_zone_unref);
  g_clear_pointer (&writer->suffix, g_free);
}

static void
append_stamp (GString     *out,
              StampWriter *writer,
              gint64       mtime)
{
  struct tm tm;
  time_t local;
  gint32 offset;

  if (writer->zone == NULL)
    writer->zone = g_time_zone_new_local ();
  offset = g_time_zone_get_offset (writer->zone,
                                   g_time_zone_find_interval (writer->zone,
                                                              G_TIME_TYPE_UNIVERSAL, mtime));
  local = (time_t) (mtime + offset);

  if (mtime < G_MININT64 / 2 || mtime > G_MAXINT64 / 2 || (gint64) local != mtime + offset ||
      gmtime_r (&local, &tm) == NULL || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (mtime);
      g_autofree char *stamp = g_date_time_format_iso8601 (when);

      g_string_append_printf (out, "%s", stamp);
      return;
    }

  if (writer->suffix == NULL || writer->suffix_offset != offset)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (mtime);

      g_free (writer->suffix);
      writer->suffix = offset == 0 ? g_strdup ("Z") : g_date_time_format (when, "%:::z");
      writer->suffix_offset = offset;
    }

  /* "%Y-%m-%dT%H:%M:%S": GLib's %Y is not padded. */
  append_uint (out, (guint64) tm.tm_year + 1900, 0);
  g_string_append_c (out, '-');
  append_uint (out, (guint64) tm.tm_mon + 1, 2);
  g_string_append_c (out, '-');
  append_uint (out, (guint64) tm.tm_mday, 2);
  g_string_append_c (out, 'T');
  append_uint (out, (guint64) tm.tm_hour, 2);
  g_string_append_c (out, ':');
  append_uint (out, (guint64) tm.tm_min, 2);
  g_string_append_c (out, ':');
  append_uint (out, (guint64) tm.tm_sec, 2);
  g_string_append (out, writer->suffix);
}

/* Whether what is left at the end of a one-shot command may be left to the exit. */
static gboolean
keep_at_exit (void)
{
  const char *debug = g_getenv ("G_DEBUG");

  return debug == NULL || strstr (debug, "gc-friendly") == NULL;
}

/* The list goes out in chunks of this size, through one buffer used again and again: one
 * buffer for all of it (2.9 MB for 10,000 lines) cost 10 ms of page faults on its first
 * touch, half the time of writing the lines. */
#define LIST_CHUNK (64 * 1024)

static int
write_failed (void)
{
  g_printerr ("command-builder: cannot write the list: %s\n", g_strerror (errno));
  return 1;
}

static int
write_chunk (GString *out)
{
  if (out->len > 0 && fwrite (out->str, 1, out->len, stdout) != out->len)
    return write_failed ();
  g_string_truncate (out, 0);
  return 0;
}

/* One line: the path, then tab-separated facts. */
static void
append_checkpoint (GString      *out,
                   StampWriter  *writer,
                   CbCheckpoint *item)
{
  static const char * const kinds[] = { "other", "last", "best", "epoch" };
  const CbCheckpointName *name = cb_checkpoint_get_name_info (item);
  const CbRunInfo *run = cb_checkpoint_get_run_info (item);

  g_string_append (out, cb_checkpoint_get_path (item));
  append_fact (out, "run", cb_checkpoint_get_run (item));
  append_fact (out, "kind", kinds[name->kind]);
  if (name->epoch >= 0)
    {
      g_string_append (out, "\tepoch=");
      append_int (out, name->epoch);
    }
  if (name->step >= 0)
    {
      g_string_append (out, "\tstep=");
      append_int (out, name->step);
    }
  if (name->metric_name != NULL)
    {
      g_autofree char *value = cb_format_number_repr (name->metric_value);

      g_string_append_c (out, '\t');
      g_string_append (out, name->metric_name);
      g_string_append_c (out, '=');
      g_string_append (out, value);
    }
  g_string_append (out, "\tsize=");
  append_int (out, cb_checkpoint_get_size (item));
  g_string_append (out, "\tmodified=");
  append_stamp (out, writer, cb_checkpoint_get_mtime (item));
  if (run != NULL)
    {
      append_fact (out, "exp_name", run->exp_name);
      append_fact (out, "architecture", run->architecture);
      append_fact (out, "encoder", run->encoder);
      append_fact (out, "decoder", run->decoder);
      append_fact (out, "head", run->head);
      append_fact (out, "loss", run->loss);
      append_fact (out, "preprocessing_profile", run->preprocessing_profile);
    }
  g_string_append_c (out, '\n');
}

/* Path, then tab-separated facts, newest first. The walk is the app's
 * (cb_checkpoint_scanner_scan_sync: one thread per processor, up to 4), with its extra
 * threads at the priority of the command. */
int
cb_cli_list_checkpoints (CbProject *project)
{
  g_autoptr(CbCheckpointScanner) scanner = NULL;
  g_autoptr(GString) out = NULL;
  StampWriter writer = { 0 };
  GListModel *model;
  const CbScanStats *stats;
  guint n_items;
  int status = 0;

  /* See cb-heap.c: page faults were a fifth of the command on a virtual machine. */
  cb_heap_reserve_large_pages (64 << 20);
  scanner = cb_checkpoint_scanner_new (project->root, project->outputs_dir);
  cb_checkpoint_scanner_set_foreground (scanner, TRUE);
  cb_checkpoint_scanner_scan_sync (scanner, NULL, NULL);
  model = cb_checkpoint_scanner_get_model (scanner);
  n_items = g_list_model_get_n_items (model);
  out = g_string_sized_new (LIST_CHUNK + 4096);
  for (guint i = 0; i < n_items && status == 0; i++)
    {
      g_autoptr(CbCheckpoint) item = g_list_model_get_item (model, i);

      append_checkpoint (out, &writer, item);
      if (out->len >= LIST_CHUNK || i + 1 == n_items)
        status = write_chunk (out);
    }
  stamp_writer_clear (&writer);
  if (status == 0 && fflush (stdout) != 0)
    status = write_failed ();

  stats = cb_checkpoint_scanner_get_stats (scanner);
  if (stats->n_unreadable > 0 || stats->n_loops > 0 || stats->n_too_deep > 0)
    g_printerr ("command-builder: skipped %u unreadable folders, %u symlink loops, "
                "%u folders too deep\n", stats->n_unreadable, stats->n_loops, stats->n_too_deep);

  /* The process ends now. Freeing 10,000 checkpoints and the walk's tables one by one took
   * 20 to 40 ms of it, for memory the exit gives back at once; they are freed only where
   * GLib is asked to clean up for memory checkers (G_DEBUG=gc-friendly, as the tests and
   * scripts/leak-check run). */
  if (!keep_at_exit ())
    g_clear_object (&scanner);
  else
    g_steal_pointer (&scanner);

  return status;
}
