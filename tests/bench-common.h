/* bench-common.h: what bench-app and bench-bare share: clocks, frames, memory, statistics,
 * the tab-switch and edit series, and a census of widgets
 *
 * Both programs measure the same way, with this code, so that the app and its floor differ
 * only in what they build. Not a test: nothing here asserts a time (scripts/bench checks the
 * budgets).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Timestamps (CLOCK_MONOTONIC, ns) of one frame of the window's frame clock, each taken
 * when GDK's own handler of that phase has run: frame_start at flush-events, then the end of
 * before-paint, update, layout (the last of its iterations; measure and allocate), paint
 * (snapshot and render) and after-paint. A phase the frame skipped is 0. */
typedef struct
{
  gint64 frame_start;
  gint64 before_paint;
  gint64 update;
  gint64 layout;
  gint64 paint;
  gint64 after_paint;
  gint64 after_paint_cpu; /* CPU time of the process (all threads) at after-paint */
} BenchFrame;

/* One measured request (a tab switch, an edit): from just before the request to the end of
 * the frame that shows it. */
typedef struct
{
  gint64     request;     /* before the request */
  gint64     request_cpu; /* CPU time of the process then */
  gint64     returned;    /* the request's call returned (its synchronous work) */
  BenchFrame frame;       /* the next frame painted after the request */
  guint      n_frames;    /* frames painted until the window was idle again (animations) */
  gint64     settled;     /* end of the last of those frames */
  gint64     settled_cpu; /* CPU time of the process then */
} BenchSample;

typedef struct _BenchClock BenchClock;

gint64      bench_now_ns            (void);
gint64      bench_cpu_ns            (void);
gint64      bench_t0_ns             (void);
void        bench_read_memory       (double     *rss_mib,
                                     double     *hwm_mib);
void        bench_spin_ms           (guint       ms);
gboolean    bench_spin_until        (gboolean  (*done) (gpointer),
                                     gpointer    data,
                                     guint       timeout_ms);
void        bench_fail              (const char *format,
                                     ...) G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN;

BenchClock *bench_clock_new         (GtkWidget  *window);
void        bench_clock_free        (BenchClock *clock);
guint64     bench_clock_get_n_paints (BenchClock *clock);
const BenchFrame *bench_clock_get_last_frame (BenchClock *clock);
gboolean    bench_clock_wait_paint  (BenchClock *clock,
                                     guint64     after,
                                     guint       timeout_ms);
guint       bench_clock_wait_idle   (BenchClock *clock,
                                     guint       quiet_ms,
                                     guint       max_ms,
                                     gint64     *last_paint);

/* A request: does one switch or one edit, synchronously. */
typedef void (*BenchRequestFunc) (gpointer data,
                                  guint    i);

void        bench_measure           (BenchClock       *clock,
                                     BenchRequestFunc  request,
                                     gpointer          data,
                                     guint             i,
                                     BenchSample      *sample);

/* Statistics and JSON. Values in ms. */
double      bench_percentile        (GArray     *values,
                                     double      p);
void        bench_json_stats        (GString    *json,
                                     const char *name,
                                     GArray     *values_ms);
void        bench_json_samples      (GString    *json,
                                     const char *name,
                                     GArray     *samples);
GArray     *bench_samples_total_ms  (GArray     *samples);

/* The Train/Test/Predict tab-switch series, the same for both programs. */
typedef struct
{
  GtkWidget   *window;
  GtkStack    *stack;
  void       (*switch_to)  (gpointer    data,   /* what Alt+1…3 does */
                            const char *page);
  gpointer     data;
} BenchTabs;

/* How a switch is asked for:
 * CLICK: as a click on the tab: the tab's button takes the focus (as on a button press),
 *   then is clicked (as on the release), and the switcher shows its page;
 * SHORTCUT: as Alt+1…3, with the focus where it is (on the tab shown at start);
 * SHORTCUT_FROM_FIELD: as Alt+1…3 with the focus first put in a text field of the page being
 *   left, which GtkStack then moves. */
typedef enum
{
  BENCH_SWITCH_CLICK,
  BENCH_SWITCH_SHORTCUT,
  BENCH_SWITCH_SHORTCUT_FROM_FIELD,
} BenchSwitchKind;

extern const char * const bench_page_names[3];

void        bench_switch_series     (BenchClock *clock,
                                     BenchTabs  *tabs,
                                     guint       n,
                                     BenchSwitchKind kind,
                                     guint       gap_ms,
                                     GArray     *samples);
GtkWidget  *bench_find_text_field   (GtkWidget  *root);
GtkWidget  *bench_find_tab          (GtkWidget  *window,
                                     const char *page);

/* Widgets under @root, by type name, and in all. */
GHashTable *bench_census            (GtkWidget  *root,
                                     guint      *n_widgets);
void        bench_json_census       (GString    *json,
                                     const char *name,
                                     GtkWidget  *root);
guint       bench_count_shown       (GtkWidget  *widget);
int         bench_compare_counts    (gconstpointer a,
                                     gconstpointer b,
                                     gpointer      counts);

void        bench_json_escape       (GString    *json,
                                     const char *text);
void        bench_add_css           (const char *css);
void        bench_common_experiments (const char *experiment);

G_END_DECLS

G_BEGIN_DECLS

/* One process's run, the same for both programs: the first painted frame after exec, the
 * memory then, the first visit of each tab, the memory after every tab was shown; then, in
 * "full" mode, the switch series (idle and with the focus in a field) and the edit series.
 * Prints one JSON object on stdout and exits. */
typedef struct
{
  const char  *program;        /* "app" or "bare" */
  const char  *mode;           /* "startup" or "full" */
  guint        n_switches;
  guint        n_shortcuts;
  guint        n_edits;
  guint        gap_ms;
  const char  *experiment;     /* nullable: "first-predict" visits Predict before Test */

  GtkWidget   *window;
  GtkStack    *stack;
  void       (*switch_to)   (gpointer    data,
                             const char *page);
  gboolean   (*pages_built) (gpointer    data);
  void       (*prepare)     (gpointer    data);   /* nullable: experiments, before series */
  BenchRequestFunc edit;                          /* nullable: one edit of a field */
  gboolean   (*edit_shown)  (gpointer    data,    /* the preview shows edit @i */
                             guint       i);
  void       (*extra_json)  (gpointer    data,
                             GString    *json);
  gpointer     data;

  /* filled in */
  BenchClock  *clock;
  gint64       t0;
  gint64       first_paint;
  gint64       first_paint_cpu;
  BenchFrame   first_frame;
  GArray      *marks;          /* BenchMark: when start-up got where */
  double       rss_first;
  double       hwm_first;
  gulong       first_paint_handler;
} BenchScenario;

typedef struct
{
  const char *name;
  gint64      ns;
} BenchMark;

void        bench_scenario_watch    (BenchScenario *scenario);
void        bench_scenario_mark     (BenchScenario *scenario,
                                     const char    *name);

G_END_DECLS
