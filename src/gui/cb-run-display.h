/* cb-run-display.h: how a run's outcome looks, and the rows of the Recent Runs list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cb/cb-run-history.h"

G_BEGIN_DECLS

/* What a row's button asks for; @record is the row's run. */
typedef enum
{
  CB_RUN_ROW_COPY,
  CB_RUN_ROW_LOAD,
  CB_RUN_ROW_RERUN,
} CbRunRowRequest;

typedef void (*CbRunRowRequestFunc) (CbRunRecord     *record,
                                     CbRunRowRequest  request,
                                     gpointer         user_data);

void       cb_run_display_outcome_style (CbRunOutcome         outcome,
                                         const char         **icon_name,
                                         const char         **style_class);
GtkWidget *cb_run_row_new               (CbRunRecord         *record,
                                         GObject             *running_source,
                                         CbRunRowRequestFunc  func,
                                         gpointer             user_data);

G_END_DECLS
