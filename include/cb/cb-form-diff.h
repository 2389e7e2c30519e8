/* cb-form-diff.h: what differs, field by field, between a page and a baseline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-form.h"

G_BEGIN_DECLS

typedef enum
{
  CB_CHANGE_CHANGED,  /* in both, with another value */
  CB_CHANGE_ADDED,    /* only in the page (a field the baseline hides, a new extra override) */
  CB_CHANGE_REMOVED,  /* only in the baseline */
} CbChangeKind;

typedef struct
{
  CbChangeKind  kind;
  char         *key;       /* the field's key; for an extra override, its key as written */
  char         *label;     /* the field's label; for an extra override, its key */
  char         *old_text;  /* the baseline's value as shown; NULL when added */
  char         *new_text;  /* the page's value as shown; NULL when removed */
  gboolean      extra;     /* an extra override rather than a field */
} CbChange;

GPtrArray *cb_form_diff_defaults      (CbForm              *form);
GPtrArray *cb_form_diff               (CbForm              *form,
                                       CbForm              *baseline);
CbForm    *cb_form_new_baseline       (CbForm              *like,
                                       const char * const  *argv,
                                       GError             **error);
guint      cb_form_count_changed      (CbForm              *form);
void       cb_change_free             (CbChange            *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbChange, cb_change_free)

G_END_DECLS
