/* cb-config-view.h: the whole config a page's command gives, with where each value comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb/cb-form.h"

G_BEGIN_DECLS

#define CB_TYPE_CONFIG_VIEW (cb_config_view_get_type ())

G_DECLARE_FINAL_TYPE (CbConfigView, cb_config_view, CB, CONFIG_VIEW, AdwWindow)

CbConfigView *cb_config_view_new       (GtkWindow    *parent);
void          cb_config_view_set_form  (CbConfigView *self,
                                        CbForm       *form,
                                        const char   *title);
const char   *cb_config_view_get_text  (CbConfigView *self);
void          cb_config_view_set_filter (CbConfigView *self,
                                         const char   *filter);

G_END_DECLS
