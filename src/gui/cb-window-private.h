/* cb-window-private.h: what cb-window.c and cb-window-run.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb-window.h"
#include "cb-banner.h"
#include "cb-jobs-pane.h"
#include "cb-terminal-pane.h"
#include "cb/cb-command-parse.h"
#include "cb/cb-run-history.h"

G_BEGIN_DECLS

struct _CbWindow
{
  AdwApplicationWindow  parent_instance;

  CbProject            *project;
  CbConfigCache        *config_cache;
  CbCheckpointScanner  *checkpoint_scanner;
  GSettings            *settings;
  char                 *schemas_dir;
  CbStateStore         *state_store;
  GPtrArray            *project_problems;  /* CbProblem, given at construction */
  GPtrArray            *schema_problems;   /* CbProblem, from the pages' schemas */
  char                 *dismissed_problems;
  char                 *title;             /* the window title while nothing runs */

  gulong                after_paint_handler;
  GdkFrameClock        *after_paint_clock;
  guint                 build_source;
  gulong                warm_up_handler;
  GdkFrameClock        *warm_up_clock;
  gboolean              switched;      /* the user went to another tab */
  guint                 layout_source;        /* cb-window-warm-up.c */
  guint                 layout_delay_source;
  int                   laid_out_width;       /* the pages not shown were laid out at */
  int                   laid_out_height;
  guint                 text_drawn;          /* bits: places in the stack drawn */
  gboolean              warming_up;
  GtkSettings          *font_settings;

  AdwToast             *copy_toast;        /* weak */
  struct _CbConfigView *config_view;       /* weak (cb-window-config.c) */
  struct _CbChangesView *changes_view;     /* weak (cb-window-changes.c) */
  GtkWindow            *shortcuts_window;  /* weak (cb-window-menus.c) */
  struct _CbRunsView   *runs_view;         /* weak (cb-window-runs.c) */
  struct _CbPredictionsView *predictions_view; /* weak (cb-window-predictions.c) */
  GPtrArray            *compose_problems;  /* CbProblem: check's findings, or NULL */
  GCancellable         *check_cancellable;
  GCancellable         *io_cancellable;    /* run settings read, scripts written */

  /* Presets (cb-window-presets.c) */
  GCancellable         *presets_cancellable;
  GtkWidget            *preset_window;     /* weak */

  /* Running (cb-window-run.c) */
  CbRunHistory         *run_history;
  GtkWidget            *close_dialog;      /* weak */
  guint                 terminal_height_tick;
  guint                 terminal_visible : 1;
  guint                 close_after_run : 1;

  /* Saved page values (cb-window-state.c) */
  guint                 state_problem_dismissed : 1;

  /* template */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  GtkWidget            *project_button;
  GtkLabel             *project_name_label;
  GtkLabel             *project_path_label;
  GtkStackSwitcher     *switcher;
  GtkMenuButton        *menu_button;
  GMenuModel           *primary_menu;      /* its model, given when it first opens */
  GtkWidget            *run_indicator;
  GtkSpinner           *run_spinner;
  CbBanner             *problems_banner;
  CbBanner             *state_banner;
  GtkPaned             *paned;
  GtkStack             *stack;
  CbPage               *train_page;
  CbPage               *test_page;
  CbPage               *predict_page;
  CbCommandView        *command_view;
  CbJobsPane           *jobs_pane;
  CbTerminalPane       *terminal_pane;  /* the current tab's */
  CbJobMonitor         *job_monitor;
  GPtrArray            *targets;        /* CbTarget: "local", then targets.yaml's */
  GHashTable           *page_targets;   /* page name → target name */
  GtkDropDown          *target_dropdown;
  GFileMonitor         *targets_monitor;
  guint                 close_to_background : 1;
};

/* The terminal pane's least and default heights; the pages keep at least MIN_PAGES_HEIGHT. */
#define CB_WINDOW_MIN_TERMINAL_HEIGHT 120
#define CB_WINDOW_MIN_PAGES_HEIGHT    160

/* cb-window-warm-up.c */
void      _cb_window_clear_clock_handler (gulong        *handler,
                                          GdkFrameClock **clock);
void      _cb_window_init_warm_up       (CbWindow       *self);
void      _cb_window_warm_up            (CbWindow       *self);
void      _cb_window_warm_up_switched   (CbWindow       *self);
void      _cb_window_dispose_warm_up    (CbWindow       *self);
void      _cb_window_class_init_warm_up (GtkWidgetClass *widget_class);

void      _cb_window_class_init_run     (GtkWidgetClass *widget_class);
void      _cb_window_init_run           (CbWindow       *self);
void      _cb_window_dispose_run        (CbWindow       *self);
void      _cb_window_update_run_action  (CbWindow       *self);
gboolean  _cb_window_close_blocked      (CbWindow       *self);
void      _cb_window_save_terminal_height (CbWindow     *self);
/* cb-window-jobs.c */
void      _cb_window_init_jobs            (CbWindow     *self);
void      _cb_window_class_init_jobs      (GtkWidgetClass *widget_class);
void      _cb_window_update_preview       (CbWindow     *self);
void      _cb_window_dispose_jobs         (CbWindow     *self);
gboolean  _cb_window_have_tmux            (CbWindow     *self);
const CbTarget *_cb_window_get_page_target (CbWindow    *self,
                                           const char   *page_name);
char     *_cb_window_dup_target_preview   (CbWindow     *self,
                                           CbPage       *page,
                                           CbCommand    *command);
void      _cb_window_set_terminal_visible (CbWindow     *self,
                                           gboolean      visible);
void      _cb_window_show_toast         (CbWindow       *self,
                                         const char     *title);
void      _cb_window_class_init_config  (GtkWidgetClass *widget_class);
void      _cb_window_class_init_state   (GtkWidgetClass *widget_class);
void      _cb_window_init_state         (CbWindow       *self);
void      _cb_window_watch_state        (CbWindow       *self);
void      _cb_window_update_config_view (CbWindow       *self);
void      _cb_window_dispose_config     (CbWindow       *self);
void      _cb_window_check_compose      (CbWindow       *self);
void      _cb_window_class_init_changes (GtkWidgetClass *widget_class);
/* cb-window-menus.c */
void      _cb_window_class_init_menus   (GtkWidgetClass *widget_class);
void      _cb_window_init_menus         (CbWindow       *self);
void      _cb_window_dispose_menus      (CbWindow       *self);
GtkWidget *_cb_window_get_shortcuts_window (CbWindow    *self);
void      _cb_window_class_init_runs    (GtkWidgetClass *widget_class);
void      _cb_window_update_runs_view   (CbWindow       *self);
void      _cb_window_dispose_runs       (CbWindow       *self);
void      _cb_window_class_init_predictions (GtkWidgetClass *widget_class);
void      _cb_window_init_predictions   (CbWindow       *self);
void      _cb_window_dispose_predictions (CbWindow      *self);
void      _cb_window_update_changes_view (CbWindow      *self);
void      _cb_window_dispose_changes    (CbWindow       *self);
GtkWidget *_cb_window_get_changes_view  (CbWindow       *self);
GPtrArray *_cb_window_get_compose_problems (CbWindow    *self);
/* cb-window-problems.c */
void      _cb_window_init_problems      (CbWindow       *self);
void      _cb_window_update_problems    (CbWindow       *self);
const char *_cb_window_page_label       (CbPage         *page);
void      _cb_window_class_init_import  (GtkWidgetClass *widget_class);
void      _cb_window_init_import        (CbWindow       *self);
gboolean  _cb_window_import_text        (CbWindow       *self,
                                         const char     *text,
                                         GError        **error);
gboolean  _cb_window_load_parse_result  (CbWindow       *self,
                                         CbParseResult  *result,
                                         GError        **error);
GCancellable *_cb_window_get_io_cancellable (CbWindow   *self);
void      _cb_window_class_init_script  (GtkWidgetClass *widget_class);
void      _cb_window_add_undo_toast     (CbWindow       *self,
                                         CbPage         *page,
                                         GKeyFile       *undo_state,
                                         const char     *title);
void      _cb_window_class_init_presets (GtkWidgetClass *widget_class);
void      _cb_window_dispose_presets    (CbWindow       *self);

G_END_DECLS
