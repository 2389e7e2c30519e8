/* bench-common.c: what bench-app and bench-bare share
 *
 * Times are CLOCK_MONOTONIC nanoseconds. A frame is followed through the signals of the
 * window's GdkFrameClock; each handler here is connected after GDK's own (the surface
 * connects when it is realized), so each timestamp marks the end of a phase.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bench-common.h"

#include <malloc.h>
#include <sys/resource.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char * const bench_page_names[3] = { "train", "test", "predict" };

struct _BenchClock
{
  GdkFrameClock *frame_clock;
  gulong         handlers[6];
  guint64        n_paints;
  BenchFrame     current;
  BenchFrame     last;
};

gint64
bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* CPU time of the process, every thread: llvmpipe renders in threads of its own. */
gint64
bench_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* CB_BENCH_T0_NS: the clock, read by bench-launch just before it exec'd this program. */
gint64
bench_t0_ns (void)
{
  const char *value = g_getenv ("CB_BENCH_T0_NS");

  return value ? g_ascii_strtoll (value, NULL, 10) : 0;
}

void
bench_read_memory (double *rss_mib,
                   double *hwm_mib)
{
  g_autofree char *status = NULL;
  const char *line;

  *rss_mib = *hwm_mib = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;

  if ((line = strstr (status, "VmRSS:")) != NULL)
    *rss_mib = g_ascii_strtod (line + 6, NULL) / 1024.0;
  if ((line = strstr (status, "VmHWM:")) != NULL)
    *hwm_mib = g_ascii_strtod (line + 6, NULL) / 1024.0;
}

void
bench_fail (const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  fputs ("bench: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  exit (2);
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
bench_spin_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
bench_spin_until (gboolean (*done) (gpointer),
                  gpointer   data,
                  guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, flag_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

/* ------------------------------------------------------------------------------------ */
/* The frame clock                                                                      */

static void
flush_events_cb (GdkFrameClock *frame_clock,
                 BenchClock    *clock)
{
  if (clock->current.frame_start == 0)
    clock->current.frame_start = bench_now_ns ();
}

static void
before_paint_cb (GdkFrameClock *frame_clock,
                 BenchClock    *clock)
{
  clock->current.before_paint = bench_now_ns ();
  if (clock->current.frame_start == 0)
    clock->current.frame_start = clock->current.before_paint;
}

static void
update_cb (GdkFrameClock *frame_clock,
           BenchClock    *clock)
{
  clock->current.update = bench_now_ns ();
}

static void
layout_cb (GdkFrameClock *frame_clock,
           BenchClock    *clock)
{
  clock->current.layout = bench_now_ns ();
}

static void
paint_cb (GdkFrameClock *frame_clock,
          BenchClock    *clock)
{
  clock->current.paint = bench_now_ns ();
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                BenchClock    *clock)
{
  clock->current.after_paint = bench_now_ns ();
  clock->current.after_paint_cpu = bench_cpu_ns ();
  /* A frame that painted nothing (only a tick) is not a painted frame. */
  if (clock->current.paint != 0)
    {
      clock->last = clock->current;
      clock->n_paints++;
    }
  memset (&clock->current, 0, sizeof clock->current);
}

BenchClock *
bench_clock_new (GtkWidget *window)
{
  BenchClock *clock = g_new0 (BenchClock, 1);

  clock->frame_clock = gtk_widget_get_frame_clock (window);
  if (clock->frame_clock == NULL)
    bench_fail ("the window has no frame clock (not realized)");
  g_object_ref (clock->frame_clock);

  clock->handlers[0] = g_signal_connect_after (clock->frame_clock, "flush-events",
                                               G_CALLBACK (flush_events_cb), clock);
  clock->handlers[1] = g_signal_connect_after (clock->frame_clock, "before-paint",
                                               G_CALLBACK (before_paint_cb), clock);
  clock->handlers[2] = g_signal_connect_after (clock->frame_clock, "update",
                                               G_CALLBACK (update_cb), clock);
  clock->handlers[3] = g_signal_connect_after (clock->frame_clock, "layout",
                                               G_CALLBACK (layout_cb), clock);
  clock->handlers[4] = g_signal_connect_after (clock->frame_clock, "paint",
                                               G_CALLBACK (paint_cb), clock);
  clock->handlers[5] = g_signal_connect_after (clock->frame_clock, "after-paint",
                                               G_CALLBACK (after_paint_cb), clock);
  return clock;
}

void
bench_clock_free (BenchClock *clock)
{
  for (guint i = 0; i < G_N_ELEMENTS (clock->handlers); i++)
    g_clear_signal_handler (&clock->handlers[i], clock->frame_clock);
  g_clear_object (&clock->frame_clock);
  g_free (clock);
}

guint64
bench_clock_get_n_paints (BenchClock *clock)
{
  return clock->n_paints;
}

const BenchFrame *
bench_clock_get_last_frame (BenchClock *clock)
{
  return &clock->last;
}

typedef struct
{
  BenchClock *clock;
  guint64     after;
} WaitPaint;

static gboolean
painted (gpointer data)
{
  WaitPaint *wait = data;

  return wait->clock->n_paints > wait->after;
}

/* Spins until a frame painted after the @after-th one. */
gboolean
bench_clock_wait_paint (BenchClock *clock,
                        guint64     after,
                        guint       timeout_ms)
{
  WaitPaint wait = { clock, after };

  return bench_spin_until (painted, &wait, timeout_ms);
}

/* Spins until no frame has been painted for @quiet_ms (at most @max_ms). Returns how many
 * were painted meanwhile, and when the last one ended. */
guint
bench_clock_wait_idle (BenchClock *clock,
                       guint       quiet_ms,
                       guint       max_ms,
                       gint64     *last_paint)
{
  guint64 start = clock->n_paints;
  gint64 deadline = bench_now_ns () + (gint64) max_ms * 1000000;

  for (;;)
    {
      guint64 before = clock->n_paints;

      bench_spin_ms (quiet_ms);
      if (clock->n_paints == before || bench_now_ns () > deadline)
        break;
    }

  if (last_paint != NULL)
    *last_paint = clock->n_paints > start ? clock->last.after_paint : 0;
  return (guint) (clock->n_paints - start);
}

/* BENCH_SPANS set: each measured request's times (CLOCK_MONOTONIC ns: request, returned,
 * frame start, after paint) and the switch series' bounds go to stderr, to cut a
 * `perf record -k mono` of the run into phases (docs/performance.md). */
static gboolean
spans_wanted (void)
{
  return g_getenv ("BENCH_SPANS") != NULL;
}

static void
bench_mark_span (const char *what)
{
  if (spans_wanted ())
    g_printerr ("%s %" G_GINT64_FORMAT "\n", what, bench_now_ns ());
}

void
bench_measure (BenchClock       *clock,
               BenchRequestFunc  request,
               gpointer          data,
               guint             i,
               BenchSample      *sample)
{
  guint64 n = clock->n_paints;

  memset (sample, 0, sizeof *sample);
  sample->request_cpu = bench_cpu_ns ();
  sample->request = bench_now_ns ();
  request (data, i);
  sample->returned = bench_now_ns ();

  if (!bench_clock_wait_paint (clock, n, 5000))
    bench_fail ("no frame was painted within 5 s of request %u", i);
  sample->frame = clock->last;
  if (spans_wanted ())
    g_printerr ("span %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %"
                G_GINT64_FORMAT "\n", sample->request, sample->returned,
                sample->frame.frame_start, sample->frame.after_paint);

  /* Frames that follow (animations, a second layout): until the window is idle. */
  {
    gint64 last = 0;

    sample->n_frames = 1 + bench_clock_wait_idle (clock, 40, 2000, &last);
    sample->settled = last ? last : sample->frame.after_paint;
    sample->settled_cpu = last ? clock->last.after_paint_cpu : sample->frame.after_paint_cpu;
  }
}

/* ------------------------------------------------------------------------------------ */
/* Statistics and JSON                                                                  */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Nearest rank. */
double
bench_percentile (GArray *values,
                  double  p)
{
  g_autoptr(GArray) sorted = NULL;
  guint rank;

  if (values->len == 0)
    return NAN;

  sorted = g_array_copy (values);
  g_array_sort (sorted, compare_doubles);
  rank = (guint) ceil (p / 100.0 * sorted->len);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

static void
json_number (GString *json,
             double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    g_string_append (json, "null");
  else
    g_string_append (json, g_ascii_formatd (buf, sizeof buf, "%.3f", value));
}

void
bench_json_escape (GString    *json,
                   const char *text)
{
  g_string_append_c (json, '"');
  for (const char *p = text; p && *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (json, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (json, "\\u%04x", *p);
      else
        g_string_append_c (json, *p);
    }
  g_string_append_c (json, '"');
}

/* "name": {"n": …, "p50": …, "p95": …, "p99": …, "max": …, "mean": …} */
void
bench_json_stats (GString    *json,
                  const char *name,
                  GArray     *values_ms)
{
  double sum = 0, max = NAN;

  for (guint i = 0; i < values_ms->len; i++)
    {
      double v = g_array_index (values_ms, double, i);

      sum += v;
      if (isnan (max) || v > max)
        max = v;
    }

  g_string_append_printf (json, "\"%s\": {\"n\": %u, \"p50\": ", name, values_ms->len);
  json_number (json, bench_percentile (values_ms, 50));
  g_string_append (json, ", \"p95\": ");
  json_number (json, bench_percentile (values_ms, 95));
  g_string_append (json, ", \"p99\": ");
  json_number (json, bench_percentile (values_ms, 99));
  g_string_append (json, ", \"max\": ");
  json_number (json, max);
  g_string_append (json, ", \"mean\": ");
  json_number (json, values_ms->len ? sum / values_ms->len : NAN);
  g_string_append (json, "}");
}

static double
span_ms (gint64 from,
         gint64 to)
{
  if (from == 0 || to == 0)
    return 0;
  return (to - from) / 1e6;
}

GArray *
bench_samples_total_ms (GArray *samples)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < samples->len; i++)
    {
      BenchSample *s = &g_array_index (samples, BenchSample, i);
      double v = span_ms (s->request, s->frame.after_paint);

      g_array_append_val (values, v);
    }

  return values;
}

/* The total and where it went: the request's own work, the wait for the frame, the
 * frame's phases, and how many frames followed until the window was idle. */
void
bench_json_samples (GString    *json,
                    const char *name,
                    GArray     *samples)
{
  static const char *parts[] = { "total", "cpu", "request", "wait", "update", "layout",
                                 "paint", "frames", "settle", "settle_cpu" };
  GArray *values[G_N_ELEMENTS (parts)];

  for (guint k = 0; k < G_N_ELEMENTS (parts); k++)
    values[k] = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < samples->len; i++)
    {
      BenchSample *s = &g_array_index (samples, BenchSample, i);
      BenchFrame *f = &s->frame;
      gint64 before_update = f->before_paint;
      gint64 before_layout = f->update ? f->update : before_update;
      gint64 before_paint = f->layout ? f->layout : before_layout;
      double v[G_N_ELEMENTS (parts)] = {
        span_ms (s->request, f->after_paint),
        span_ms (s->request_cpu, f->after_paint_cpu),
        span_ms (s->request, s->returned),
        span_ms (s->returned, f->frame_start),
        f->update ? span_ms (before_update, f->update) : 0,
        f->layout ? span_ms (before_layout, f->layout) : 0,
        span_ms (before_paint, f->paint),
        s->n_frames,
        span_ms (s->request, s->settled),
        span_ms (s->request_cpu, s->settled_cpu),
      };

      for (guint k = 0; k < G_N_ELEMENTS (parts); k++)
        g_array_append_val (values[k], v[k]);
    }

  g_string_append_printf (json, "\"%s\": {", name);
  for (guint k = 0; k < G_N_ELEMENTS (parts); k++)
    {
      if (k > 0)
        g_string_append (json, ", ");
      bench_json_stats (json, parts[k], values[k]);
      g_array_unref (values[k]);
    }
  g_string_append (json, "}");
}

/* ------------------------------------------------------------------------------------ */
/* Tab switches                                                                         */

/* The first text field (an entry row's text, a spin button's) that can take the focus. */
GtkWidget *
bench_find_text_field (GtkWidget *root)
{
  if (GTK_IS_TEXT (root) && gtk_widget_get_mapped (root) && gtk_widget_get_focusable (root) &&
      gtk_widget_is_sensitive (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      if ((found = bench_find_text_field (child)) != NULL)
        return found;
    }

  return NULL;
}

/* The switcher's button of @page: the switcher has one per page, in page order. */
GtkWidget *
bench_find_tab (GtkWidget  *window,
                const char *page)
{
  GtkWidget *switcher = NULL;
  GtkWidget *child;
  GSList *todo = g_slist_prepend (NULL, window);

  /* Breadth first: the switcher is in the header bar, near the top. */
  while (todo != NULL && switcher == NULL)
    {
      GtkWidget *w = todo->data;

      todo = g_slist_delete_link (todo, todo);
      if (GTK_IS_STACK_SWITCHER (w))
        switcher = w;
      else
        for (child = gtk_widget_get_first_child (w); child != NULL;
             child = gtk_widget_get_next_sibling (child))
          todo = g_slist_append (todo, child);
    }
  g_slist_free (todo);
  if (switcher == NULL)
    return NULL;

  child = gtk_widget_get_first_child (switcher);
  for (guint i = 0; i < G_N_ELEMENTS (bench_page_names) && child != NULL; i++)
    {
      if (g_str_equal (bench_page_names[i], page))
        return child;
      child = gtk_widget_get_next_sibling (child);
    }
  return NULL;
}

typedef struct
{
  BenchTabs       *tabs;
  const char      *target;
  BenchSwitchKind  kind;
} SwitchRequest;

static void
switch_request (gpointer data,
                guint    i)
{
  SwitchRequest *req = data;

  if (req->kind == BENCH_SWITCH_CLICK)
    {
      GtkWidget *tab = bench_find_tab (req->tabs->window, req->target);

      if (tab == NULL)
        bench_fail ("no tab for page %s", req->target);
      /* Press: a button takes the focus on click. Release: "clicked". */
      gtk_widget_grab_focus (tab);
      g_signal_emit_by_name (tab, "clicked");
    }
  else
    req->tabs->switch_to (req->tabs->data, req->target);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (req->tabs->stack), req->target) != 0)
    bench_fail ("the request did not show page %s", req->target);
}

static guint
visible_index (BenchTabs *tabs)
{
  const char *name = gtk_stack_get_visible_child_name (tabs->stack);

  for (guint i = 0; i < G_N_ELEMENTS (bench_page_names); i++)
    if (g_strcmp0 (name, bench_page_names[i]) == 0)
      return i;
  return 0;
}

/* @n switches cycling Train → Test → Predict, each once the window is idle. */
void
bench_switch_series (BenchClock      *clock,
                     BenchTabs       *tabs,
                     guint            n,
                     BenchSwitchKind  kind,
                     guint            gap_ms,
                     GArray          *samples)
{
  for (guint i = 0; i < n; i++)
    {
      guint from = visible_index (tabs);
      SwitchRequest req = { tabs, bench_page_names[(from + 1) % 3], kind };
      BenchSample sample;

      if (kind == BENCH_SWITCH_SHORTCUT_FROM_FIELD)
        {
          GtkWidget *page = gtk_stack_get_visible_child (tabs->stack);
          GtkWidget *field = bench_find_text_field (page);

          if (field == NULL)
            bench_fail ("no text field to focus on page %s", bench_page_names[from]);
          gtk_widget_grab_focus (field);
          if (gtk_root_get_focus (GTK_ROOT (tabs->window)) != field)
            bench_fail ("could not focus a field on page %s", bench_page_names[from]);
        }

      bench_clock_wait_idle (clock, gap_ms, 2000, NULL);
      bench_measure (clock, switch_request, &req, i, &sample);
      g_array_append_val (samples, sample);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Census                                                                               */

static void
census_walk (GtkWidget  *widget,
             GHashTable *counts,
             guint      *n)
{
  const char *name = G_OBJECT_TYPE_NAME (widget);

  g_hash_table_insert (counts, (gpointer) name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
  (*n)++;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    census_walk (child, counts, n);
}

GHashTable *
bench_census (GtkWidget *root,
              guint     *n_widgets)
{
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);

  *n_widgets = 0;
  census_walk (root, counts, n_widgets);
  return counts;
}

/* Sorts type names by their count in @user_data (a census), most numerous first. */
int
bench_compare_counts (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  GHashTable *counts = user_data;
  guint x = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char **) a));
  guint y = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char **) b));

  if (x != y)
    return x > y ? -1 : 1;
  return strcmp (*(const char **) a, *(const char **) b);
}

static guint
count_shown (GtkWidget *widget)
{
  guint n = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && gtk_widget_get_child_visible (child))
      n += count_shown (child);
  return n;
}

/* Widgets under @widget that show when it does (itself included): visible and let show by
 * their parents, down from @widget. Not: a hidden popover or icon, the pages of a stack
 * other than its visible one, a closed revealer's child, and what is in them. */
guint
bench_count_shown (GtkWidget *widget)
{
  return gtk_widget_get_visible (widget) ? count_shown (widget) : 0;
}

/* "name": {"widgets": N, "shown": N, "AdwActionRow": n, …} (the 24 most numerous types;
 * "shown": bench_count_shown(), the window as it is then) */
void
bench_json_census (GString    *json,
                   const char *name,
                   GtkWidget  *root)
{
  guint n = 0;
  g_autoptr(GHashTable) counts = bench_census (root, &n);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);

  g_ptr_array_sort_with_data (names, bench_compare_counts, counts);
  g_string_append_printf (json, "\"%s\": {\"widgets\": %u, \"shown\": %u", name, n,
                          bench_count_shown (root));
  for (guint i = 0; i < names->len && i < 24; i++)
    g_string_append_printf (json, ", \"%s\": %u", (const char *) g_ptr_array_index (names, i),
                            GPOINTER_TO_UINT (g_hash_table_lookup (counts,
                                                                   g_ptr_array_index (names, i))));
  g_string_append (json, "}");
}

/* ------------------------------------------------------------------------------------ */
/* Experiments both programs know                                                       */

/* A style sheet over the theme's and the app's, as style.css would add it. */
void
bench_add_css (const char *css)
{
  GtkCssProvider *provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_data (provider, css, -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  g_object_unref (provider);
}

/* no-switcher-transition: the tabs change colour at once instead of in 200 ms of frames;
 * no-transitions: no CSS transition anywhere; flat-cards: see below. */
static void
bench_realize_tree (GtkWidget *widget)
{
  gtk_widget_realize (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    bench_realize_tree (child);
}

static void
bench_preload_icons (GtkWidget *widget)
{
  static GPtrArray *kept;

  if (kept == NULL)
    kept = g_ptr_array_new_with_free_func (g_object_unref);
  if (GTK_IS_IMAGE (widget) &&
      gtk_image_get_storage_type (GTK_IMAGE (widget)) == GTK_IMAGE_ICON_NAME)
    {
      int size = gtk_image_get_pixel_size (GTK_IMAGE (widget));
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));

      if (size <= 0)
        size = gtk_image_get_icon_size (GTK_IMAGE (widget)) == GTK_ICON_SIZE_LARGE ? 32 : 16;
      g_ptr_array_add (kept, gtk_icon_theme_lookup_icon (theme,
                                                         gtk_image_get_icon_name (GTK_IMAGE (widget)),
                                                         NULL, size,
                                                         gtk_widget_get_scale_factor (widget),
                                                         gtk_widget_get_direction (widget), 0));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    bench_preload_icons (child);
}

void
bench_common_experiments (const char *experiment)
{
  if (experiment == NULL)
    return;
  if (strstr (experiment, "no-switcher-transition") != NULL)
    bench_add_css ("stackswitcher > button { transition: none; }");
  if (strstr (experiment, "no-transitions") != NULL)
    bench_add_css ("* { transition: none; }");
  /* The preference groups' lists drawn with a 1 px outline instead of blurred shadows. */
  if (strstr (experiment, "flat-cards") != NULL)
    bench_add_css ("list.boxed-list { box-shadow: 0 0 0 1px alpha(black, 0.09); }");
}

/* ------------------------------------------------------------------------------------ */
/* One process's run                                                                    */

static void
json_key_number (GString    *json,
                 const char *key,
                 double      value)
{
  g_string_append_printf (json, ", \"%s\": ", key);
  json_number (json, value);
}

static BenchSample
scenario_switch (BenchScenario *sc,
                 BenchTabs     *tabs,
                 const char    *target)
{
  SwitchRequest req = { tabs, target, BENCH_SWITCH_CLICK };
  BenchSample sample;

  bench_clock_wait_idle (sc->clock, sc->gap_ms, 3000, NULL);
  bench_measure (sc->clock, switch_request, &req, 0, &sample);
  return sample;
}

static gboolean
scenario_pages_built (gpointer data)
{
  BenchScenario *sc = data;

  return sc->pages_built (sc->data);
}

typedef struct
{
  BenchScenario *sc;
  guint          n_late;
} EditRequest;

static void
edit_request (gpointer data,
              guint    i)
{
  EditRequest *req = data;

  req->sc->edit (req->sc->data, i);
  if (!req->sc->edit_shown (req->sc->data, i))
    req->n_late++;
}

/* @func on every page of the stack not shown, then wait for the window to be idle. */
static void
each_hidden_page (BenchScenario *sc,
                  void         (*func) (GtkWidget *page))
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (sc->stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (!gtk_widget_get_child_visible (child))
      func (child);
  bench_clock_wait_idle (sc->clock, 100, 3000, NULL);
}

static gboolean
run_scenario_cb (gpointer data)
{
  BenchScenario *sc = data;
  g_autoptr(GString) json = g_string_new ("{");
  BenchTabs tabs = { sc->window, sc->stack, sc->switch_to, sc->data };
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (BenchSample));
  gint64 built_at;
  double rss_all, hwm_all;
  BenchSample sample;

  g_string_append (json, "\"program\": ");
  bench_json_escape (json, sc->program);
  g_string_append (json, ", \"mode\": ");
  bench_json_escape (json, sc->mode);
  g_string_append (json, ", \"gsk_renderer\": ");
  bench_json_escape (json, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "");
  g_string_append (json, ", \"gdk_debug\": ");
  bench_json_escape (json, g_getenv ("GDK_DEBUG") ? g_getenv ("GDK_DEBUG") : "");
  g_string_append (json, ", \"renderer_class\": ");
  {
    GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (sc->window));

    bench_json_escape (json, renderer ? G_OBJECT_TYPE_NAME (renderer) : "");
  }
  json_key_number (json, "startup_ms", sc->t0 ? (sc->first_paint - sc->t0) / 1e6 : NAN);
  json_key_number (json, "startup_cpu_ms", sc->first_paint_cpu / 1e6);

  /* Where start-up went, ms since exec: marks, then the first frame's phases. */
  if (sc->t0 != 0)
    {
      const BenchFrame *f = &sc->first_frame;

      g_string_append_printf (json, ", \"t0_ns\": %" G_GINT64_FORMAT, sc->t0);
      g_string_append (json, ", \"startup_marks_ms\": {");
      for (guint i = 0; sc->marks != NULL && i < sc->marks->len; i++)
        {
          BenchMark *mark = &g_array_index (sc->marks, BenchMark, i);

          g_string_append_printf (json, "%s\"%s\": ", i ? ", " : "", mark->name);
          json_number (json, (mark->ns - sc->t0) / 1e6);
        }
      g_string_append (json, ", \"frame_start\": ");
      json_number (json, (f->frame_start - sc->t0) / 1e6);
      g_string_append (json, ", \"layout_end\": ");
      json_number (json, f->layout ? (f->layout - sc->t0) / 1e6 : NAN);
      g_string_append (json, ", \"paint_end\": ");
      json_number (json, (f->paint - sc->t0) / 1e6);
      g_string_append (json, ", \"after_paint\": ");
      json_number (json, (f->after_paint - sc->t0) / 1e6);
      g_string_append (json, "}");
    }
  json_key_number (json, "rss_first_mib", sc->rss_first);
  json_key_number (json, "hwm_first_mib", sc->hwm_first);

  /* The other pages are built in idle time after the first frame. */
  if (!bench_spin_until (scenario_pages_built, sc, 20000))
    bench_fail ("the pages were not built within 20 s");
  built_at = bench_now_ns ();
  json_key_number (json, "pages_built_after_first_paint_ms", (built_at - sc->first_paint) / 1e6);
  bench_clock_wait_idle (sc->clock, 100, 5000, NULL);

  bench_common_experiments (sc->experiment);
  if (sc->prepare != NULL)
    sc->prepare (sc->data);
  /* damage-blip: one repaint of the whole stack in idle time: a nearly transparent
   * background on it for a frame, so that its render nodes differ from the last frame's. */
  if (sc->experiment != NULL && strstr (sc->experiment, "damage-blip") != NULL)
    {
      bench_add_css (".bench-blip { background-color: rgba(0,0,0,0.004); }");
      gtk_widget_add_css_class (GTK_WIDGET (sc->stack), "bench-blip");
      bench_clock_wait_idle (sc->clock, 100, 3000, NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (sc->stack), "bench-blip");
      bench_clock_wait_idle (sc->clock, 100, 3000, NULL);
    }
  /* prefocus: the Test tab takes the focus and gives it back to Train's, in idle time. */
  if (sc->experiment != NULL && strstr (sc->experiment, "prefocus") != NULL)
    {
      GtkWidget *test_tab = bench_find_tab (sc->window, "test");
      GtkWidget *train_tab = bench_find_tab (sc->window, "train");

      gtk_widget_grab_focus (test_tab);
      bench_clock_wait_idle (sc->clock, 100, 3000, NULL);
      gtk_widget_grab_focus (train_tab);
      bench_clock_wait_idle (sc->clock, 100, 3000, NULL);
    }
  /* measure-hidden: the pages not shown measured at the stack's width, in idle time. */
  if (sc->experiment != NULL && strstr (sc->experiment, "measure-hidden") != NULL)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (sc->stack));

      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (sc->stack));
           child != NULL; child = gtk_widget_get_next_sibling (child))
        if (!gtk_widget_get_child_visible (child))
          {
            int min, nat;

            gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
            gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
          }
      bench_clock_wait_idle (sc->clock, 100, 3000, NULL);
    }
  /* realize-hidden: every widget of the pages not shown realized, in idle time. */
  if (sc->experiment != NULL && strstr (sc->experiment, "realize-hidden") != NULL)
    {
      each_hidden_page (sc, bench_realize_tree);
    }
  /* preload-icons: the icons of the pages not shown looked up (and loaded) in idle time, at
   * the size and scale they are drawn at; the icons are kept. */
  if (sc->experiment != NULL && strstr (sc->experiment, "preload-icons") != NULL)
    {
      each_hidden_page (sc, bench_preload_icons);
    }
  /* snapshot-hidden: the pages not shown mapped for a moment and snapshot into nothing, so
   * that their widgets' render nodes exist before the first click. */
  if (sc->experiment != NULL && strstr (sc->experiment, "snapshot-hidden") != NULL)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (sc->stack));
           child != NULL; child = gtk_widget_get_next_sibling (child))
        if (!gtk_widget_get_child_visible (child))
          {
            GtkSnapshot *snapshot = gtk_snapshot_new ();
            GskRenderNode *node;

            gtk_widget_set_child_visible (child, TRUE);
            gtk_widget_snapshot_child (GTK_WIDGET (sc->stack), child, snapshot);
            node = gtk_snapshot_free_to_node (snapshot);
            g_clear_pointer (&node, gsk_render_node_unref);
            gtk_widget_set_child_visible (child, FALSE);
          }
      bench_clock_wait_idle (sc->clock, 100, 3000, NULL);
    }
  /* allocate-hidden: the pages not shown allocated as the shown one is, in idle time. */
  if (sc->experiment != NULL && strstr (sc->experiment, "allocate-hidden") != NULL)
    {
      GtkWidget *shown = gtk_stack_get_visible_child (sc->stack);
      GtkAllocation alloc;

      gtk_widget_get_allocation (shown, &alloc);
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (sc->stack));
           child != NULL; child = gtk_widget_get_next_sibling (child))
        if (!gtk_widget_get_child_visible (child))
          {
            int min, nat;

            gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, alloc.width, &min, &nat, NULL, NULL);
            gtk_widget_size_allocate (child, &alloc, -1);
            g_printerr ("allocate-hidden: %s %d x %d\n", G_OBJECT_TYPE_NAME (child),
                        gtk_widget_get_width (child), gtk_widget_get_height (child));
          }
      bench_clock_wait_idle (sc->clock, 100, 3000, NULL);
    }
  /* prepaint: one full repaint of the window in idle time, before the first click. */
  if (sc->experiment != NULL && strstr (sc->experiment, "prepaint") != NULL)
    {
      gtk_widget_queue_draw (sc->window);
      bench_clock_wait_idle (sc->clock, 100, 3000, NULL);
    }

  /* First visits: Test, then Predict; then back to Train, which was shown at start. */
  {
    gboolean reversed = sc->experiment != NULL && strstr (sc->experiment, "first-predict");
    g_autoptr(GArray) totals = NULL;
    /* Minor page faults and growth of the malloc arena in each: fresh memory the kernel
     * faults in is what made the first visit slow in some starts (docs/performance.md). */
    struct rusage usage[3];
    size_t arena[3];

    getrusage (RUSAGE_SELF, &usage[0]);
    arena[0] = mallinfo2 ().arena;
    sample = scenario_switch (sc, &tabs, reversed ? "predict" : "test");
    getrusage (RUSAGE_SELF, &usage[1]);
    arena[1] = mallinfo2 ().arena;
    g_array_append_val (first, sample);
    sample = scenario_switch (sc, &tabs, reversed ? "test" : "predict");
    getrusage (RUSAGE_SELF, &usage[2]);
    arena[2] = mallinfo2 ().arena;
    g_array_append_val (first, sample);
    totals = bench_samples_total_ms (first);

    g_string_append (json, ", \"first_visit_ms\": {\"test\": ");
    json_number (json, g_array_index (totals, double, reversed ? 1 : 0));
    g_string_append (json, ", \"predict\": ");
    json_number (json, g_array_index (totals, double, reversed ? 0 : 1));
    g_string_append (json, "}, ");
    g_string_append_printf (json, "\"first_visit_faults\": {\"%s\": %ld, \"%s\": %ld}, ",
                            reversed ? "predict" : "test", usage[1].ru_minflt - usage[0].ru_minflt,
                            reversed ? "test" : "predict", usage[2].ru_minflt - usage[1].ru_minflt);
    g_string_append_printf (json, "\"first_visit_heap_growth_kib\": {\"%s\": %ld, \"%s\": %ld}, ",
                            reversed ? "predict" : "test", ((long) arena[1] - (long) arena[0]) / 1024,
                            reversed ? "test" : "predict", ((long) arena[2] - (long) arena[1]) / 1024);
    bench_json_samples (json, "first_visit", first);
    /* CLOCK_MONOTONIC, for `perf record -k mono` and `perf report --time`. */
    g_string_append_printf (json, ", \"first_visit_spans_ns\": [[%" G_GINT64_FORMAT ", %"
                            G_GINT64_FORMAT "], [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]]",
                            g_array_index (first, BenchSample, 0).request,
                            g_array_index (first, BenchSample, 0).frame.after_paint,
                            g_array_index (first, BenchSample, 1).request,
                            g_array_index (first, BenchSample, 1).frame.after_paint);
  }
  sample = scenario_switch (sc, &tabs, "train");
  json_key_number (json, "back_to_train_ms", (sample.frame.after_paint - sample.request) / 1e6);
  bench_clock_wait_idle (sc->clock, 100, 3000, NULL);

  bench_read_memory (&rss_all, &hwm_all);
  json_key_number (json, "rss_all_tabs_mib", rss_all);
  json_key_number (json, "hwm_all_tabs_mib", hwm_all);

  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (sc->window));

    g_string_append (json, ", \"focus_before_series\": ");
    bench_json_escape (json, focus ? G_OBJECT_TYPE_NAME (focus) : "");
    if (focus != NULL && gtk_widget_get_parent (focus) != NULL)
      {
        g_string_append (json, ", \"focus_parent\": ");
        bench_json_escape (json, G_OBJECT_TYPE_NAME (gtk_widget_get_parent (focus)));
      }
  }

  if (g_str_equal (sc->mode, "full"))
    {
      g_autoptr(GArray) click = g_array_new (FALSE, FALSE, sizeof (BenchSample));
      g_autoptr(GArray) shortcut = g_array_new (FALSE, FALSE, sizeof (BenchSample));
      g_autoptr(GArray) focus = g_array_new (FALSE, FALSE, sizeof (BenchSample));

      bench_mark_span ("series click start");
      bench_switch_series (sc->clock, &tabs, sc->n_switches, BENCH_SWITCH_CLICK, sc->gap_ms,
                           click);
      bench_mark_span ("series click end");
      g_string_append (json, ", ");
      bench_json_samples (json, "switch", click);

      bench_mark_span ("series focus start");
      bench_switch_series (sc->clock, &tabs, sc->n_switches, BENCH_SWITCH_SHORTCUT_FROM_FIELD,
                           sc->gap_ms, focus);
      bench_mark_span ("series focus end");
      g_string_append (json, ", ");
      bench_json_samples (json, "switch_focus", focus);

      /* Alt+1…3 with the focus on the tab shown (where the click series left it). */
      if (sc->n_shortcuts > 0)
        {
          GtkWidget *tab = bench_find_tab (sc->window,
                                           gtk_stack_get_visible_child_name (sc->stack));

          gtk_widget_grab_focus (tab);
          bench_switch_series (sc->clock, &tabs, sc->n_shortcuts, BENCH_SWITCH_SHORTCUT,
                               sc->gap_ms, shortcut);
          g_string_append (json, ", ");
          bench_json_samples (json, "switch_shortcut", shortcut);
        }

      if (sc->edit != NULL && sc->n_edits > 0)
        {
          g_autoptr(GArray) edits = g_array_new (FALSE, FALSE, sizeof (BenchSample));
          EditRequest req = { sc, 0 };

          if (g_strcmp0 (gtk_stack_get_visible_child_name (sc->stack), "train") != 0)
            scenario_switch (sc, &tabs, "train");
          /* Nothing focused: an edit as a script or a click on a scale would make it. */
          gtk_root_set_focus (GTK_ROOT (sc->window), NULL);

          for (guint i = 0; i < sc->n_edits; i++)
            {
              bench_clock_wait_idle (sc->clock, sc->gap_ms, 2000, NULL);
              bench_measure (sc->clock, edit_request, &req, i, &sample);
              g_array_append_val (edits, sample);
            }
          g_string_append (json, ", ");
          bench_json_samples (json, "edit", edits);
          g_string_append_printf (json, ", \"edit_preview_late\": %u", req.n_late);
        }
    }

  if (sc->extra_json != NULL)
    sc->extra_json (sc->data, json);

  g_string_append (json, "}\n");
  fputs (json->str, stdout);
  fflush (stdout);
  fflush (stderr);
  /* Tearing down is not measured, and would only cost time. */
  _exit (0);
  return G_SOURCE_REMOVE;
}

static void
first_paint_cb (GdkFrameClock *frame_clock,
                BenchScenario *sc)
{
  if (bench_clock_get_n_paints (sc->clock) == 0)
    return;

  sc->first_paint = bench_clock_get_last_frame (sc->clock)->after_paint;
  sc->first_paint_cpu = bench_clock_get_last_frame (sc->clock)->after_paint_cpu;
  sc->first_frame = *bench_clock_get_last_frame (sc->clock);
  if (spans_wanted ())
    g_printerr ("first-frame %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                sc->first_frame.frame_start, sc->first_frame.after_paint);
  bench_read_memory (&sc->rss_first, &sc->hwm_first);
  g_clear_signal_handler (&sc->first_paint_handler, frame_clock);
  g_idle_add (run_scenario_cb, sc);
}

static void
window_realize_cb (GtkWidget     *window,
                   BenchScenario *sc)
{
  if (sc->clock != NULL)
    return;

  bench_scenario_mark (sc, "realized");
  sc->clock = bench_clock_new (window);
  sc->first_paint_handler = g_signal_connect_after (gtk_widget_get_frame_clock (window),
                                                    "after-paint",
                                                    G_CALLBACK (first_paint_cb), sc);
}

/* Records that start-up got to @name now (the name is not copied). */
void
bench_scenario_mark (BenchScenario *sc,
                     const char    *name)
{
  BenchMark mark = { name, bench_now_ns () };

  if (sc->marks == NULL)
    sc->marks = g_array_new (FALSE, FALSE, sizeof (BenchMark));
  g_array_append_val (sc->marks, mark);
}

static void
window_map_cb (GtkWidget     *window,
               BenchScenario *sc)
{
  bench_scenario_mark (sc, "mapped");
}

/* Call before the window is shown. */
void
bench_scenario_watch (BenchScenario *sc)
{
  sc->t0 = bench_t0_ns ();
  bench_scenario_mark (sc, "window");
  g_signal_connect_after (sc->window, "map", G_CALLBACK (window_map_cb), sc);
  if (sc->gap_ms == 0)
    sc->gap_ms = 50;
  g_signal_connect_after (sc->window, "realize", G_CALLBACK (window_realize_cb), sc);
}
