/* cb-script.h: a page's command as an executable shell script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cb-command.h"

G_BEGIN_DECLS

char     *cb_script_new            (const CbCommand      *command,
                                    const char           *project_root);
char     *cb_script_suggest_name   (const char           *page,
                                    const char           *exp_name);
gboolean  cb_script_write          (const char           *path,
                                    const char           *text,
                                    GError              **error);
void      cb_script_write_async    (const char           *path,
                                    const char           *text,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean  cb_script_write_finish   (GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
