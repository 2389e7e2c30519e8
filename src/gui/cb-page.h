/* cb-page.h: one Train/Test/Predict page: the rows of a schema, kept in step with its form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb/cb-config-cache.h"
#include "cb/cb-form.h"

G_BEGIN_DECLS

#define CB_TYPE_PAGE (cb_page_get_type ())

G_DECLARE_FINAL_TYPE (CbPage, cb_page, CB, PAGE, GtkWidget)

GtkWidget     *cb_page_new                (const char    *page_name);
const char    *cb_page_get_page_name      (CbPage        *self);
CbConfigCache *cb_page_get_config_cache   (CbPage        *self);
void           cb_page_set_config_cache   (CbPage        *self,
                                           CbConfigCache *config_cache);
GListModel    *cb_page_get_checkpoint_model (CbPage      *self);
void           cb_page_set_checkpoint_model (CbPage      *self,
                                           GListModel    *checkpoints);
CbForm        *cb_page_get_form           (CbPage        *self);
void           cb_page_set_form           (CbPage        *self,
                                           CbForm        *form);
void           cb_page_show_error         (CbPage        *self,
                                           const char    *title,
                                           const char    *message);
const char    *cb_page_get_error          (CbPage        *self);
gboolean       cb_page_is_built           (CbPage        *self);
guint          cb_page_get_n_rows_built   (CbPage        *self);
GtkWidget     *cb_page_get_row            (CbPage        *self,
                                           const char    *key);
GtkWidget     *cb_page_get_control        (CbPage        *self,
                                           const char    *key);
GtkWidget     *cb_page_get_group          (CbPage        *self,
                                           const char    *key);
guint          cb_page_get_n_groups       (CbPage        *self);
GtkWidget     *cb_page_get_validation_banner (CbPage     *self);
GtkWidget     *cb_page_get_use_case_row   (CbPage        *self,
                                           const char    *use_case_id);

G_END_DECLS
