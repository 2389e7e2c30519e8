/* cb-sweep.h: one form, many runs: the values a field sweeps over, and the runs they make
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-command.h"
#include "cb-schema.h"

G_BEGIN_DECLS

#define CB_SWEEP_ERROR (cb_sweep_error_quark ())

typedef enum
{
  CB_SWEEP_ERROR_INVALID,  /* the text is not a list or a range; the message says where */
  CB_SWEEP_ERROR_TOO_MANY, /* more runs than CB_SWEEP_MAX_RUNS */
} CbSweepError;

/* The most runs one sweep may make. */
#define CB_SWEEP_MAX_RUNS 1000

/* One swept override: KEY=VALUE for each of VALUES. */
typedef struct
{
  char  *key;     /* the Hydra override key, e.g. "model.optimizer.lr" */
  int    field;   /* the schema field it comes from, or -1 */
  char **values;  /* each as written after "key=" (Hydra-quoted where Hydra needs it) */
} CbSweepAxis;

/* What a sweep runs: one base command and every combination of the axes. */
typedef struct
{
  CbCommand *base;    /* the command of one run: without -m and without the swept overrides */
  GPtrArray *axes;    /* CbSweepAxis*, in the order of the command's overrides */
  guint      n_runs;  /* the product of the axes' lengths */
} CbSweepPlan;

GQuark       cb_sweep_error_quark          (void);

/* The values a sweep text names for FIELD: a list ("1e-4, 3e-4, 1e-3"; a comma inside a
 * value is written "\,") or, for numbers and sliders, a range "START:STOP:STEP" (STOP
 * included). Each value is checked as the field's own would be. */
char       **cb_sweep_parse                (const CbField     *field,
                                            const char        *text,
                                            GError           **error);

void         cb_sweep_axis_free            (CbSweepAxis       *axis);
void         cb_sweep_plan_free            (CbSweepPlan       *plan);

/* The overrides ("key=value", NULL-terminated) of run INDEX (0 ≤ INDEX < n_runs), in the
 * order of Hydra's basic sweeper: the last axis changes fastest. */
char       **cb_sweep_plan_run_overrides   (const CbSweepPlan *plan,
                                            guint              index);

/* Whether FIELD's type can sweep: numbers, sliders, selects and text. */
gboolean     cb_sweep_field_can_sweep      (const CbField     *field);

/* VALUE as written in the choice list "key=a,b" (Hydra-quoted where Hydra needs it, so that
 * its sweep parser sees one value with exactly this text). */
char        *cb_sweep_quote_value          (const CbField     *field,
                                            const char        *value);

/* The sweep text that cb_sweep_parse() reads back as VALUES: "a, b\, c". */
char        *cb_sweep_text_from_values     (const char * const *values);

/* A new axis over QUOTED_VALUES (each as cb_sweep_quote_value() wrote it). */
CbSweepAxis *cb_sweep_axis_new             (const char        *key,
                                            int                field,
                                            const char * const *quoted_values);
/* "key=v1,v2,v3": the axis as one override of a multirun command. */
char        *cb_sweep_axis_to_override     (const CbSweepAxis *axis);

/* A plan of BASE (referenced) and no axes yet: one run. */
CbSweepPlan *cb_sweep_plan_new             (CbCommand         *base);
/* Adds AXIS (taken) after the others. */
void         cb_sweep_plan_add_axis        (CbSweepPlan       *plan,
                                            CbSweepAxis       *axis);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSweepAxis, cb_sweep_axis_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSweepPlan, cb_sweep_plan_free)

G_END_DECLS
