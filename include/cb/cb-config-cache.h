/* cb-config-cache.h: the process-wide cache of a project's configs/ tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cb-config.h"

G_BEGIN_DECLS

#define CB_TYPE_CONFIG_CACHE (cb_config_cache_get_type ())

G_DECLARE_FINAL_TYPE (CbConfigCache, cb_config_cache, CB, CONFIG_CACHE, GObject)

/* Properties: "configs-dir" (construct-only), "snapshot" (read-only, notified on every new
 * snapshot), "loaded" (read-only: a first load finished). */
CbConfigCache    *cb_config_cache_new           (const char           *configs_dir);
const char       *cb_config_cache_get_configs_dir (CbConfigCache      *self);
CbConfigSnapshot *cb_config_cache_get_snapshot  (CbConfigCache        *self);
gboolean          cb_config_cache_get_loaded    (CbConfigCache        *self);
GPtrArray        *cb_config_cache_get_problems  (CbConfigCache        *self);
void              cb_config_cache_load_async    (CbConfigCache        *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean          cb_config_cache_load_finish   (CbConfigCache        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void              cb_config_cache_load_sync     (CbConfigCache        *self);
gboolean          cb_config_cache_install_finished (CbConfigCache     *self,
                                                    gint64             wait_us);
void              cb_config_cache_watch         (CbConfigCache        *self);
guint             cb_config_cache_get_n_loads   (CbConfigCache        *self);
gpointer          cb_config_cache_get_last_loader_thread (CbConfigCache *self);

G_END_DECLS
