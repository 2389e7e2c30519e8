/* cb-state-store.h: the saved form values of one project, written in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cb/cb-form.h"

G_BEGIN_DECLS

/* The longest a change waits to be written. */
#define CB_STATE_STORE_SAVE_DELAY_MS 100

#define CB_TYPE_STATE_STORE (cb_state_store_get_type ())

G_DECLARE_FINAL_TYPE (CbStateStore, cb_state_store, CB, STATE_STORE, GObject)

char         *cb_state_store_path_for_project (const char    *project_root);
CbStateStore *cb_state_store_new              (const char    *path);
const char   *cb_state_store_get_path         (CbStateStore  *self);
void          cb_state_store_add_form         (CbStateStore  *self,
                                               CbForm        *form);
void          cb_state_store_schedule_save    (CbStateStore  *self);
void          cb_state_store_set_page         (CbStateStore  *self,
                                               const char    *page);
char         *cb_state_store_dup_page         (CbStateStore  *self);
void          cb_state_store_set_target       (CbStateStore  *self,
                                               const char    *page,
                                               const char    *target);
char         *cb_state_store_dup_target       (CbStateStore  *self,
                                               const char    *page);
gboolean      cb_state_store_get_save_pending (CbStateStore  *self);
const char   *cb_state_store_get_save_error   (CbStateStore  *self);
const char   *cb_state_store_get_load_problem (CbStateStore  *self);
gboolean      cb_state_store_flush            (CbStateStore  *self,
                                               GError       **error);
guint         cb_state_store_get_n_writes     (CbStateStore  *self);
guint         cb_state_store_get_n_background_writes (CbStateStore *self);

G_END_DECLS
