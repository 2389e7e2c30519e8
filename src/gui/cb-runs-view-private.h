/* cb-runs-view-private.h: what cb-runs-view.c (the list) and cb-runs-view-curves.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb-runs-view.h"
#include "cb/cb-run.h"

G_BEGIN_DECLS

/* The metrics of one run, read as its files grow. */
typedef struct
{
  CbRun     *run;          /* the newest reading of the folder */
  GPtrArray *readers;      /* CbMetricsReader, per file; the worker's while busy */
  GPtrArray *segments;     /* CbMetrics, per file (the plots hold this array) */
  gint64     ckpt_mtime;   /* of checkpoints/, to re-read the run when it changes */
  gint64     updated;      /* g_get_real_time () of the last change */
  char      *error;
  guint      busy : 1;
  guint      loaded : 1;
} CbRunCurves;

struct _CbRunsView
{
  AdwWindow           parent_instance;

  char               *project_root;
  char               *outputs_dir;
  GListModel         *records;       /* the run history, or NULL */
  GListStore         *store;         /* CbRun */
  GtkFilterListModel *filtered;
  GtkMultiSelection  *selection;
  GtkCustomFilter    *filter;
  GtkStringList      *architectures;
  GCancellable       *cancellable;
  gboolean            loading;
  gboolean            refresh_again;
  guint               watch_source;  /* looks again while a run of the app has no folder */

  /* the runs shown on the right (cb-runs-view-curves.c) */
  GHashTable         *curves;        /* run path -> CbRunCurves */
  GPtrArray          *shown;         /* CbRun, selected */
  GPtrArray          *shown_metrics; /* char *, the plots in order */
  GPtrArray          *user_metrics;  /* char *, what the user picked, or NULL for defaults */
  char               *metric_names;  /* the chips shown, joined, to rebuild only on change */
  GtkStringList      *checkpoint_names;
  GPtrArray          *checkpoint_paths;
  GtkWidget          *mark_popover;
  guint               poll_source;
  guint               poll_interval;
  gboolean            read_after_paint;

  /* template */
  AdwWindowTitle     *window_title;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *page_drop_down;
  GtkDropDown        *architecture_drop_down;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  AdwStatusPage      *list_status;
  GtkStack           *detail_stack;
  GtkLabel           *title_label;
  GtkLabel           *facts_label;
  GtkWidget          *actions_box;
  GtkWidget          *checkpoint_box;
  GtkDropDown        *checkpoint_drop_down;
  GtkWidget          *legend_box;
  GtkFlowBox         *metric_box;
  GtkToggleButton    *step_button;
  GtkToggleButton    *epoch_button;
  GtkBox             *plots_box;
  GtkLabel           *status_label;
};

void  _cb_runs_view_init_curves     (CbRunsView *self);
void  _cb_runs_view_dispose_curves  (CbRunsView *self);
void  _cb_runs_view_show_selection  (CbRunsView *self);
void  _cb_runs_view_update_plots    (CbRunsView *self);
void  _cb_runs_view_poll            (CbRunsView *self);
void  _cb_runs_view_x_axis_changed  (CbRunsView *self);
CbRunCurves *_cb_runs_view_get_curves (CbRunsView *self,
                                       CbRun      *run);
void  _cb_runs_view_curves_free     (gpointer    curves);
void  _cb_runs_view_read_after_paint (CbRunsView *self);
gboolean _cb_runs_view_poll_cb      (gpointer    user_data);
void  _cb_runs_view_after_paint_cb  (GdkFrameClock *clock,
                                     CbRunsView    *self);
void  _cb_runs_view_fill_checkpoints (CbRunsView *self,
                                      CbRun      *run);

/* cb-runs-view-rows.c */
GtkListItemFactory *_cb_runs_view_row_factory_new (void);

G_END_DECLS
