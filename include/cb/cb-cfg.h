/* cb-cfg.h: a composed Hydra config: a mutable tree whose values know where they came from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-yaml.h"

G_BEGIN_DECLS

typedef enum
{
  CB_CFG_NULL,
  CB_CFG_SCALAR,
  CB_CFG_LIST,
  CB_CFG_MAP,
} CbCfgKind;

typedef struct _CbCfg CbCfg;

/* One node. Scalars keep their text as written and whether it was quoted (a quoted scalar is
 * always a string); maps keep their keys in order. @file is interned (g_intern_string). */
struct _CbCfg
{
  CbCfgKind   kind;
  char       *text;      /* scalars */
  gboolean    quoted;
  GPtrArray  *keys;      /* maps: char *, in order */
  GPtrArray  *items;     /* maps: the values, in the keys' order; lists: the items (CbCfg *) */
  const char *file;      /* the file (or "command line") that set it last; may be NULL */
  guint       line;
  guint       column;
};

CbCfg       *cb_cfg_new_map        (void);
CbCfg       *cb_cfg_new_null       (void);
CbCfg       *cb_cfg_new_scalar     (const char   *text,
                                    gboolean      quoted);
CbCfg       *cb_cfg_new_list       (void);
CbCfg       *cb_cfg_from_node      (const CbNode *node,
                                    const char   *file);
CbCfg       *cb_cfg_copy           (const CbCfg  *cfg);
void         cb_cfg_free           (CbCfg        *cfg);
void         cb_cfg_set_origin     (CbCfg        *cfg,
                                    const char   *file,
                                    guint         line,
                                    guint         column);
CbCfg       *cb_cfg_lookup         (const CbCfg  *cfg,
                                    const char   *key);
CbCfg       *cb_cfg_lookup_path    (const CbCfg  *cfg,
                                    const char   *dotted);
void         cb_cfg_map_set        (CbCfg        *map,
                                    const char   *key,
                                    CbCfg        *value);
gboolean     cb_cfg_map_remove     (CbCfg        *map,
                                    const char   *key);
void         cb_cfg_list_append    (CbCfg        *list,
                                    CbCfg        *item);
CbCfg       *cb_cfg_ensure_map_at  (CbCfg        *root,
                                    const char   *package);
void         cb_cfg_merge          (CbCfg        *dst,
                                    const CbCfg  *src);
gboolean     cb_cfg_equal          (const CbCfg  *a,
                                    const CbCfg  *b);
char        *cb_cfg_to_yaml        (const CbCfg  *cfg);
char        *cb_cfg_to_json        (const CbCfg  *cfg);
char        *cb_cfg_to_yaml_with_origins (const CbCfg *cfg,
                                          const char  *filter,
                                          GArray      *marked);
char        *cb_cfg_scalar_display (const CbCfg  *cfg);
char        *cb_cfg_resolve_text   (const CbCfg  *root,
                                    const char   *text);
void         cb_cfg_collect_keys   (const CbCfg  *cfg,
                                    GPtrArray    *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbCfg, cb_cfg_free)

G_END_DECLS
