/* cb-override.h: one Hydra command-line override, parsed as Hydra 1.3 parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-cfg.h"

G_BEGIN_DECLS

#define CB_OVERRIDE_ERROR (cb_override_error_quark ())

typedef enum
{
  CB_OVERRIDE_ERROR_SYNTAX,   /* Hydra's parser rejects it */
  CB_OVERRIDE_ERROR_SWEEP,    /* a sweep (a,b / choice() / range()) in a single run */
} CbOverrideError;

typedef enum
{
  CB_OVERRIDE_CHANGE,     /* key=value */
  CB_OVERRIDE_ADD,        /* +key=value */
  CB_OVERRIDE_FORCE_ADD,  /* ++key=value */
  CB_OVERRIDE_DELETE,     /* ~key[=value] */
} CbOverrideKind;

typedef struct
{
  CbOverrideKind  kind;
  char           *text;     /* the argv element as given */
  char           *key;      /* key or group, without + ++ ~ and @package */
  char           *package;  /* after @, or NULL */
  CbCfg          *value;    /* NULL for ~key without a value */
} CbOverride;

GQuark      cb_override_error_quark (void);
CbOverride *cb_override_parse       (const char        *text,
                                     GError           **error);
CbOverride *cb_override_parse_sweep (const char        *text,
                                     GPtrArray        **choices,
                                     GError           **error);
void        cb_override_free        (CbOverride        *override);
const char *cb_override_kind_prefix (CbOverrideKind     kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbOverride, cb_override_free)

G_END_DECLS
