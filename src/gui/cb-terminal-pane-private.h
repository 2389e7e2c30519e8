/* cb-terminal-pane-private.h: what the terminal pane's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb-terminal-pane.h"

#include "cb/cb-job.h"

G_BEGIN_DECLS

struct _CbTerminalPane
{
  GtkWidget          parent_instance;

  /* Template children */
  GtkWidget         *header_box;
  GtkImage          *status_icon;
  GtkLabel          *status_label;
  GtkMenuButton     *history_button;
  GtkWidget         *stop_button;
  GtkPopover        *history_popover;
  GtkListBox        *history_list;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkWidget         *scroller;
  VteTerminal       *terminal;

  CbRunHistory      *history;
  GSettings         *desktop_settings;
  GCancellable      *spawn_cancellable;

  /* The current (or last) run */
  char             **argv;
  char              *cwd;
  char              *display_text;
  char              *page;
  char              *failure;        /* why it could not start, or NULL */
  GDateTime         *start_time;
  CbRunRecord       *started_record;  /* the history's record of the run, until it ends */
  gint64             start_usec;     /* monotonic */
  GPid               pid;            /* the leader, == its process group; 0 if none */
  int                exit_status;
  int                exit_signal;
  double             seconds;
  CbStopStep         stop_step;
  guint              running : 1;
  guint              leader_exited : 1;
  guint              stop_pending : 1;
  guint              user_stopped : 1;   /* Stop was asked for during this run */
  guint              has_run : 1;

  char              *status_text;
  guint              clock_source;
  guint              ladder_source;
  guint              reap_source;
  guint              missing_cwd_source;
  gint64             reap_deadline;  /* monotonic, 0 while the ladder may still escalate */
  guint              interrupt_ms;
  guint              terminate_ms;

  /* A job (cb-terminal-pane-job.c): the terminal attaches to its tmux session */
  CbJob             *job;
  GCancellable      *job_cancellable;
  guint              job_stopping : 1;   /* the job's stop ladder runs in a worker */
  guint              job_probing : 1;
  guint              job_client_attached : 1;  /* the terminal's client is running */
  guint              job_attach_tries;
  char              *job_stop_note;      /* said once the client has drawn its last */
  guint              job_stop_note_red : 1;
  guint              job_stop_source;
};


enum {
  CB_TERMINAL_PANE_PROP_0,
  CB_TERMINAL_PANE_PROP_RUNNING,
  CB_TERMINAL_PANE_PROP_PID,
  CB_TERMINAL_PANE_PROP_STATUS_TEXT,
  CB_TERMINAL_PANE_PROP_HISTORY,
  CB_TERMINAL_PANE_N_PROPS
};

void     _cb_terminal_pane_feed_text       (CbTerminalPane *self,
                                            const char     *text);
void     _cb_terminal_pane_feed_line_start (CbTerminalPane *self);
void     _cb_terminal_pane_feed_note       (CbTerminalPane *self,
                                            const char     *prefix,
                                            const char     *text);
void     _cb_terminal_pane_update_status   (CbTerminalPane *self);
void     _cb_terminal_pane_update_actions  (CbTerminalPane *self);
void     _cb_terminal_pane_finish_run      (CbTerminalPane *self);
void     _cb_terminal_pane_fail_to_start   (CbTerminalPane *self,
                                            char           *message);
void     _cb_terminal_pane_advance_stop    (CbTerminalPane *self);
void     _cb_terminal_pane_begin_run       (CbTerminalPane     *self,
                                            const char * const *argv,
                                            const char         *cwd,
                                            const char         *display_text,
                                            const char         *page);
void     _cb_terminal_pane_notify          (CbTerminalPane *self,
                                            guint           prop);
void     _cb_terminal_pane_emit_started    (CbTerminalPane *self);

/* cb-terminal-pane-history.c */
void     _cb_terminal_pane_record_start    (CbTerminalPane *self);
void     _cb_terminal_pane_record_end      (CbTerminalPane *self);

/* cb-terminal-pane-job.c */
void     _cb_terminal_pane_job_attach      (CbTerminalPane *self);
void     _cb_terminal_pane_job_stop        (CbTerminalPane *self);
void     _cb_terminal_pane_job_client_exited (CbTerminalPane *self);
void     _cb_terminal_pane_job_dispose     (CbTerminalPane *self);

/* cb-terminal-pane-search.c */
void _cb_terminal_pane_class_init_search (GtkWidgetClass *widget_class);

G_END_DECLS
