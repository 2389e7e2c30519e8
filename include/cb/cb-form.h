/* cb-form.h: one page's values and everything derived from them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cb-command.h"
#include "cb-compose.h"
#include "cb-config.h"
#include "cb-project.h"
#include "cb-schema.h"
#include "cb-sweep.h"

G_BEGIN_DECLS

#define CB_TYPE_FORM (cb_form_get_type ())

G_DECLARE_FINAL_TYPE (CbForm, cb_form, CB, FORM, GObject)

/* What the form decided for one field after the last change. Owned by the form; valid
 * until the next change. */
typedef struct
{
  gboolean            visible;
  /* selectbox: the values and the labels to show (same length, n_options) */
  const char * const *options;
  const char * const *option_labels;
  guint               n_options;
  GVariant           *value;          /* effective value: b, x, d or s; NULL when hidden or unset */
  GVariant           *default_value;  /* after metadata defaults */
  const char         *help;           /* schema help + metadata help; NULL when empty */
  const char         *info_text;      /* info fields */
  double              min;            /* slider / number (after optimizer metadata) */
  double              max;
  double              step;
  gboolean            has_min;
  gboolean            has_max;
  const char         *error;          /* first validation message of this field, or NULL */
  gboolean            user_set;       /* the user chose this value (not a default) */
  const char         *warning;        /* unusual but allowed, e.g. outside the slider's
                                       * range; does not block running */
  const char         *mismatch;       /* differs from what the chosen checkpoint was
                                       * trained with: loading it can only fail, so running
                                       * asks first */
  const char         *hydra;          /* Hydra would refuse the command because of this
                                       * field's override: running asks first */
  GVariant           *reset_value;    /* the value without the user's choice (the default, or
                                       * the first option when there is none); NULL: no value */
  gboolean            changed;        /* visible, set by the user, and unlike reset_value */
} CbFieldState;

CbForm             *cb_form_new                 (CbSchema          *schema,
                                                 const char        *page);
CbSchema           *cb_form_get_schema          (CbForm            *self);
const char         *cb_form_get_page            (CbForm            *self);
void                cb_form_set_project         (CbForm            *self,
                                                 CbProject         *project);
void                cb_form_set_snapshot        (CbForm            *self,
                                                 CbConfigSnapshot  *snapshot);
CbConfigSnapshot   *cb_form_get_snapshot        (CbForm            *self);
void                cb_form_set_checkpoints     (CbForm            *self,
                                                 const char * const *paths);
void                cb_form_set_checkpoint_model (CbForm           *self,
                                                 GListModel        *model);
const char         *cb_form_get_checkpoint_note (CbForm            *self);
char              **cb_form_get_mismatches      (CbForm            *self);
const char         *cb_form_get_hydra_error     (CbForm            *self);
GPtrArray          *cb_form_get_hydra_warnings  (CbForm            *self);
CbComposition      *cb_form_get_composition     (CbForm            *self);
gboolean            cb_form_use_checkpoint_settings (CbForm        *self);
gboolean            cb_form_set_value           (CbForm            *self,
                                                 const char        *key,
                                                 GVariant          *value);
gboolean            cb_form_set_value_from_string (CbForm          *self,
                                                 const char        *key,
                                                 const char        *text,
                                                 GError           **error);
void                cb_form_unset_value         (CbForm            *self,
                                                 const char        *key);
GVariant           *cb_form_get_value           (CbForm            *self,
                                                 const char        *key);
GVariant           *cb_form_get_user_value      (CbForm            *self,
                                                 const char        *key);
const CbFieldState *cb_form_get_field_state     (CbForm            *self,
                                                 guint              index);
void                cb_form_set_extra_overrides (CbForm            *self,
                                                 const char * const *extra);
const char * const *cb_form_get_extra_overrides (CbForm            *self);
gboolean            cb_form_get_append_suffix   (CbForm            *self);
void                cb_form_set_append_suffix   (CbForm            *self,
                                                 gboolean           append_suffix);
void                cb_form_reset               (CbForm            *self);
const char * const *cb_form_get_errors          (CbForm            *self);
gboolean            cb_form_is_valid            (CbForm            *self);
CbCommand          *cb_form_get_command         (CbForm            *self);
GPtrArray          *cb_form_get_use_cases       (CbForm            *self);
char              **cb_form_apply_use_case      (CbForm            *self,
                                                 const CbUseCase   *use_case);
void                cb_form_freeze              (CbForm            *self);
void                cb_form_thaw                (CbForm            *self);
void                cb_form_save_state          (CbForm            *self,
                                                 GKeyFile          *key_file);
void                cb_form_load_state          (CbForm            *self,
                                                 GKeyFile          *key_file);
gboolean            cb_form_load_command        (CbForm            *self,
                                                 const char * const *argv,
                                                 char            ***unplaced,
                                                 GError           **error);
char               *cb_format_value             (const CbField     *field,
                                                 GVariant          *value);

/* Sweeps (cb-form-sweep.c): one form, many runs. */
gboolean            cb_form_set_sweep           (CbForm            *self,
                                                 const char        *key,
                                                 const char        *text,
                                                 GError           **error);
const char         *cb_form_get_sweep           (CbForm            *self,
                                                 const char        *key);
const char         *cb_form_get_sweep_error     (CbForm            *self,
                                                 const char        *key);
char              **cb_form_get_sweep_values    (CbForm            *self,
                                                 const char        *key);
guint               cb_form_get_n_runs          (CbForm            *self);
CbSweepPlan        *cb_form_get_sweep_plan      (CbForm            *self);
char               *cb_form_describe_sweep      (CbForm            *self);

G_END_DECLS
