/* cb-banner.h: a banner-like revealer with a title, a list of messages and a close button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  CB_BANNER_WARNING,
  CB_BANNER_ERROR,
} CbBannerSeverity;

#define CB_TYPE_BANNER (cb_banner_get_type ())

G_DECLARE_FINAL_TYPE (CbBanner, cb_banner, CB, BANNER, GtkWidget)

GtkWidget          *cb_banner_new             (void);
void                cb_banner_set_title       (CbBanner           *self,
                                               const char         *title);
const char         *cb_banner_get_title       (CbBanner           *self);
void                cb_banner_set_messages    (CbBanner           *self,
                                               const char * const *messages);
const char         *cb_banner_get_details     (CbBanner           *self);
void                cb_banner_set_severity    (CbBanner           *self,
                                               CbBannerSeverity    severity);
void                cb_banner_set_dismissible (CbBanner           *self,
                                               gboolean            dismissible);
void                cb_banner_set_action      (CbBanner           *self,
                                               const char         *label,
                                               const char         *action_name);
gboolean            cb_banner_get_revealed    (CbBanner           *self);
void                cb_banner_set_revealed    (CbBanner           *self,
                                               gboolean            revealed);

G_END_DECLS
