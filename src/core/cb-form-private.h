/* cb-form-private.h: what the files of CbForm share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CbForm is split by concern: cb-form.c computes the fields and the command,
 * cb-form-command.c builds the command from the computed fields, cb-form-sweep.c the
 * values a field sweeps over and the multirun they make, cb-form-load.c reads a command
 * back into the form, cb-form-state.c saves and restores what the user chose,
 * cb-form-checkpoint.c compares the form with the run of the chosen checkpoint.
 */

#pragma once

#include "cb/cb-checkpoint.h"
#include "cb/cb-compose.h"
#include "cb/cb-form.h"
#include "cb/cb-sweep.h"

G_BEGIN_DECLS

typedef struct
{
  CbFieldState  state;
  GPtrArray    *options;  /* char*, NULL-terminated */
  GPtrArray    *labels;
  char         *help;
  char         *info_text;
  char         *error;
  char         *warning;
  char         *mismatch;
  char         *hydra;
} Computed;

/* What the user typed in a field's Sweep entry, and what it gives. */
typedef struct
{
  char   *text;
  char  **values;  /* the values, before Hydra quoting; NULL while the text is invalid */
  char   *error;   /* why the text is invalid, or NULL */
} CbFormSweep;

struct _CbForm
{
  GObject            parent_instance;

  CbSchema          *schema;
  char              *page;
  CbProject         *project;
  CbConfigSnapshot  *snapshot;
  char             **checkpoints;
  GListModel        *checkpoint_model;
  GHashTable        *checkpoint_runs;  /* path -> CbCheckpoint (borrowed from the model) */
  char              *filled_for;       /* the checkpoint whose run filled the components */
  char              *checkpoint_note;

  GHashTable        *user_values;   /* key -> GVariant */
  char             **extra;         /* extra overrides after the fields' own, or NULL */
  GArray            *override_fields; /* int per override of the command: its field, or -1 */
  CbComposition     *composition;   /* the command composed as Hydra would, or NULL */
  char              *hydra_error;   /* why Hydra would refuse the command, or NULL */
  GHashTable        *pinned;        /* keys of choices that were not offered when given
                                     * (typed, loaded, from the command line): they are
                                     * kept and flagged, never replaced by a default */
  gboolean           append_suffix;
  GHashTable        *sweeps;        /* key -> CbFormSweep* */
  CbSweepPlan       *sweep_plan;    /* the runs of the multirun command, or NULL */
  GPtrArray         *sweep_axes;    /* CbSweepAxis*: while the command is built */
  GArray            *sweep_at;      /* guint: where each axis's override is in the command */

  Computed          *computed;
  guint              n_fields;
  GPtrArray         *errors;        /* char*, NULL-terminated */
  CbCommand         *command;

  guint              freeze_count;
  gboolean           dirty;
};

GVariant *_cb_form_value_of            (CbForm     *self,
                                        const char *key);
gboolean  _cb_variant_is_missing       (GVariant   *value);
gboolean  _cb_variant_truthy           (GVariant   *value);
char     *_cb_variant_to_text          (GVariant   *value);
char     *_cb_form_suffixed_exp_name   (CbForm     *self,
                                        const char *base);

int              _cb_form_checkpoint_field     (CbForm     *self);
const CbRunInfo *_cb_form_current_run_info     (CbForm     *self,
                                                guint       upto);
gboolean         _cb_form_fill_from_checkpoint (CbForm     *self);
void             _cb_form_recompute            (CbForm     *self);
void             _cb_form_compose              (CbForm     *self);
void             _cb_form_store_user_value     (CbForm     *self,
                                                guint       index,
                                                GVariant   *value);
void             _cb_form_build_command        (CbForm     *self);

void             _cb_form_sweep_init           (CbForm     *self);
void             _cb_form_sweep_clear          (CbForm     *self);
void             _cb_form_sweep_check          (CbForm     *self,
                                                guint       index,
                                                Computed   *c,
                                                guint       first_error);
gboolean         _cb_form_sweep_is_active      (CbForm     *self,
                                                guint       index);
void             _cb_form_sweep_add_overrides  (CbForm     *self,
                                                guint       index,
                                                GPtrArray  *overrides);
void             _cb_form_sweep_finish         (CbForm     *self);
GPtrArray       *_cb_form_sweep_compose_variants (CbForm   *self);

G_END_DECLS
