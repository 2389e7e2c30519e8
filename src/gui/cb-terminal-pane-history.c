/* cb-terminal-pane-history.c: the terminal pane's run history: each run recorded when it
 * starts and completed when it ends, and the Recent Runs popover's rows (copy, run again,
 * load into its page)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-terminal-pane"

#include "config.h"

#include "cb-run-display.h"
#include "cb-terminal-pane-private.h"

/* A run is recorded when it starts, so that a crash of the app leaves a record of it. */
void
_cb_terminal_pane_record_start (CbTerminalPane *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->started_record);
  if (self->history == NULL)
    return;

  self->started_record = cb_run_record_new_started (self->display_text,
                                                    (const char * const *) self->argv,
                                                    self->page, self->start_time);
  if (!cb_run_history_add (self->history, self->started_record, &error))
    g_message ("Could not save the run history: %s", error->message);
}

/* ...and completed when it ends. */
void
_cb_terminal_pane_record_end (CbTerminalPane *self)
{
  g_autoptr(CbRunRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (self->history == NULL)
    return;

  if (self->started_record != NULL)
    record = cb_run_record_new_finished (self->started_record, self->seconds,
                                         self->exit_status, self->exit_signal,
                                         self->user_stopped);
  else
    record = cb_run_record_new_full (self->display_text, (const char * const *) self->argv,
                                     self->page, self->start_time, self->seconds,
                                     self->exit_status, self->exit_signal, self->user_stopped);
  g_clear_object (&self->started_record);
  if (!cb_run_history_add (self->history, record, &error))
    g_message ("Could not save the run history: %s", error->message);
}

static void
history_request_cb (CbRunRecord     *record,
                    CbRunRowRequest  request,
                    gpointer         user_data)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (user_data);

  switch (request)
    {
    case CB_RUN_ROW_COPY:
      g_signal_emit_by_name (self, "copy-requested", record);
      break;

    case CB_RUN_ROW_LOAD:
      g_signal_emit_by_name (self, "load-requested", record);
      break;

    case CB_RUN_ROW_RERUN:
    default:
      g_signal_emit_by_name (self, "rerun-requested", record);
      break;
    }
}

static GtkWidget *
create_history_row (gpointer item,
                    gpointer user_data)
{
  return cb_run_row_new (CB_RUN_RECORD (item), G_OBJECT (user_data), history_request_cb,
                         user_data);
}

CbRunHistory *
cb_terminal_pane_get_history (CbTerminalPane *self)
{
  g_return_val_if_fail (CB_IS_TERMINAL_PANE (self), NULL);

  return self->history;
}

/**
 * cb_terminal_pane_set_history:
 * @history: (nullable): the project's run history
 *
 * Finished runs are added to @history (which saves itself), and the Recent Runs popover
 * lists it.
 */
void
cb_terminal_pane_set_history (CbTerminalPane *self,
                              CbRunHistory   *history)
{
  g_return_if_fail (CB_IS_TERMINAL_PANE (self));
  g_return_if_fail (history == NULL || CB_IS_RUN_HISTORY (history));

  if (!g_set_object (&self->history, history))
    return;

  gtk_list_box_bind_model (self->history_list,
                           history != NULL ? cb_run_history_get_entries (history) : NULL,
                           history != NULL ? create_history_row : NULL,
                           self, NULL);

  _cb_terminal_pane_notify (self, CB_TERMINAL_PANE_PROP_HISTORY);
}
