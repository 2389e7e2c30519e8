/* cb-terminal-pane.h: runs a command in a VTE terminal, stops it with a ladder, keeps a history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <vte/vte.h>

#include "cb/cb-job.h"
#include "cb/cb-run-history.h"

G_BEGIN_DECLS

#define CB_TYPE_TERMINAL_PANE (cb_terminal_pane_get_type ())

G_DECLARE_FINAL_TYPE (CbTerminalPane, cb_terminal_pane, CB, TERMINAL_PANE, GtkWidget)

#define CB_TERMINAL_PANE_ERROR (cb_terminal_pane_error_quark ())

typedef enum
{
  CB_TERMINAL_PANE_ERROR_BUSY,         /* a command is already running */
  CB_TERMINAL_PANE_ERROR_INVALID_ARGV, /* empty argv */
} CbTerminalPaneError;

/* Where the stop ladder is: each step is sent to the whole process group. */
typedef enum
{
  CB_STOP_STEP_NONE,
  CB_STOP_STEP_INTERRUPT, /* Ctrl+C through the tty and SIGINT */
  CB_STOP_STEP_TERMINATE, /* SIGTERM */
  CB_STOP_STEP_KILL,      /* SIGKILL */
} CbStopStep;

/* Default wait before the next step of the ladder. */
#define CB_TERMINAL_PANE_DEFAULT_INTERRUPT_MS 3000
#define CB_TERMINAL_PANE_DEFAULT_TERMINATE_MS 3000

GQuark         cb_terminal_pane_error_quark      (void);

GtkWidget     *cb_terminal_pane_new              (void);
gboolean       cb_terminal_pane_run              (CbTerminalPane     *self,
                                                  const char * const *argv,
                                                  const char         *cwd,
                                                  const char         *display_text,
                                                  GError            **error);
gboolean       cb_terminal_pane_run_full         (CbTerminalPane     *self,
                                                  const char * const *argv,
                                                  const char         *cwd,
                                                  const char         *display_text,
                                                  const char         *page,
                                                  GError            **error);
gboolean       cb_terminal_pane_run_job          (CbTerminalPane     *self,
                                                  CbJob              *job,
                                                  GError            **error);
void           cb_terminal_pane_follow_job       (CbTerminalPane     *self,
                                                  CbJob              *job);
CbJob         *cb_terminal_pane_get_job          (CbTerminalPane     *self);
void           cb_terminal_pane_stop             (CbTerminalPane     *self);
void           cb_terminal_pane_clear            (CbTerminalPane     *self);
gboolean       cb_terminal_pane_get_running      (CbTerminalPane     *self);
GPid           cb_terminal_pane_get_pid          (CbTerminalPane     *self);
CbStopStep     cb_terminal_pane_get_stop_step    (CbTerminalPane     *self);
const char    *cb_terminal_pane_get_status_text  (CbTerminalPane     *self);
void           cb_terminal_pane_set_stop_timeouts (CbTerminalPane    *self,
                                                  guint               interrupt_ms,
                                                  guint               terminate_ms);
CbRunHistory  *cb_terminal_pane_get_history      (CbTerminalPane     *self);
void           cb_terminal_pane_set_history      (CbTerminalPane     *self,
                                                  CbRunHistory       *history);
VteTerminal   *cb_terminal_pane_get_terminal     (CbTerminalPane     *self);
char          *cb_terminal_pane_dup_text         (CbTerminalPane     *self);

G_END_DECLS
