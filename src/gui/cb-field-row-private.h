/* cb-field-row-private.h: what the files of CbFieldRow share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cb-field-row.c builds the row of each field type and keeps it in step with the form;
 * cb-field-row-sweep.c adds the Sweep toggle and the entry of the values a field sweeps over;
 * cb-field-row-status.c shows the row's error, warning and changed mark.
 */

#pragma once

#include "cb-checkpoint-picker.h"
#include "cb-field-row.h"

G_BEGIN_DECLS

typedef enum
{
  ROW_ENTRY,
  ROW_SWITCH,
  ROW_COMBO,
  ROW_SEARCH,
  ROW_CHECKPOINT,
  ROW_SLIDER,
  ROW_NUMBER,
  ROW_INFO,
} RowKind;

struct _CbFieldRow
{
  CbForm         *form;           /* unowned: the page holds the form longer than its rows */
  guint           index;
  const CbField  *field;
  RowKind         kind;

  GtkWidget      *row;            /* owned */
  GtkWidget      *control;        /* switch, drop-down, scale or spin button; unowned */
  GtkSpinButton  *spin;           /* slider and number rows; unowned */
  /* Built the first time they show (cb-field-row-status.c); unowned, NULL until then */
  GtkWidget      *error_icon;
  GtkWidget      *warning_icon;
  GtkWidget      *mark;           /* changed from the default: cb-row-mark.c */
  GtkStringList  *model;          /* selectbox labels; owned */
  GtkAdjustment  *adjustment;     /* slider and number rows: the spin button's; owned */
  GtkAdjustment  *scale_adjustment; /* slider rows: the scale's (log10 units when
                                     * logarithmic); owned */

  gpointer        handler_instance;
  gulong          handler_id;

  CbCheckpointPicker *picker;     /* checkpoint rows; unowned (in the row) */

  /* What is shown now, so that an update changes only what the form changed. */
  char          **values;
  char          **labels;
  char           *subtitle;
  char           *error;
  char           *warning;
  gboolean        visible;
  gboolean        has_range;
  double          min;
  double          max;
  double          step;
  guint           digits;
  gboolean        logarithmic;    /* the scale moves in powers of ten (learning rates) */
  gboolean        updating;       /* showing the form's state: edits are not the user's */
  gboolean        formatting;     /* the spin button's text is being set from its value */

  /* Sweeps (cb-field-row-sweep.c); all unowned (in the row) */
  GtkWidget      *sweep_toggle;   /* the Sweep toggle, or NULL: the field cannot sweep */
  GtkWidget      *sweep_entry;    /* the values, in place of the value widgets; built with
                                   * sweep_options the first time the toggle is on */
  GtkWidget      *sweep_options;  /* selects: a menu button with a check button per option */
  gboolean        sweeping;       /* the toggle is on */
};

void     _cb_field_row_sweep_attach        (CbFieldRow *self);
void     _cb_field_row_sweep_detach        (CbFieldRow *self);
void     _cb_field_row_sweep_update        (CbFieldRow *self);
gboolean _cb_field_row_sweep_owns_value    (CbFieldRow *self);
gboolean _cb_field_row_sweep_entry_changed (CbFieldRow *self);

const char *_cb_field_row_warning       (const CbFieldState *state);
void        _cb_field_row_insert_suffix (CbFieldRow         *self,
                                         GtkWidget          *widget,
                                         GtkWidget          *before);
void        _cb_field_row_status_update (CbFieldRow         *self,
                                         const CbFieldState *state);

G_END_DECLS
