/* cb-command.h: the command a page builds: the argv that runs and its display text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CbCommand CbCommand;

CbCommand          *cb_command_new                (const char * const *launcher,
                                                   const char         *script,
                                                   const char * const *overrides);
CbCommand          *cb_command_ref                (CbCommand          *self);
void                cb_command_unref              (CbCommand          *self);
CbCommand          *cb_command_new_full           (const char * const *launcher,
                                                   const char         *script,
                                                   const char * const *flags,
                                                   const char * const *overrides);
const char * const *cb_command_get_argv           (const CbCommand    *self);
const char * const *cb_command_get_overrides      (const CbCommand    *self);
const char         *cb_command_get_display        (const CbCommand    *self);
const char         *cb_command_get_display_multiline (const CbCommand *self);
gboolean            cb_command_equal              (const CbCommand    *a,
                                                   const CbCommand    *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbCommand, cb_command_unref)

G_END_DECLS
