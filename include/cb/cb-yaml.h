/* cb-yaml.h: a small read-only YAML tree (libyaml events) with source positions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb/cb-file-read.h"

G_BEGIN_DECLS

#define CB_YAML_ERROR (cb_yaml_error_quark ())

/* Collections nest at most this deep in a document read from a file. */
#define CB_YAML_MAX_DEPTH 256
/* A document's nodes, counting each alias as the nodes it stands for, are at most this many. */
#define CB_YAML_MAX_NODES 100000

typedef enum
{
  CB_YAML_ERROR_SYNTAX,
  CB_YAML_ERROR_IO,
  CB_YAML_ERROR_LIMIT,
} CbYamlError;

typedef enum
{
  CB_NODE_SCALAR,
  CB_NODE_SEQUENCE,
  CB_NODE_MAPPING,
} CbNodeType;

typedef struct _CbNode CbNode;

GQuark       cb_yaml_error_quark    (void);
CbNode      *cb_yaml_load_file      (const char   *path,
                                     GError      **error);
CbNode      *cb_yaml_load_file_kind (const char   *path,
                                     CbFileKind    kind,
                                     GError      **error);
CbNode      *cb_yaml_load_data      (const char   *data,
                                     gsize         length,
                                     const char   *filename,
                                     GError      **error);
CbNode      *cb_node_ref            (CbNode       *node);
void         cb_node_unref          (CbNode       *node);
CbNodeType   cb_node_get_node_type  (const CbNode *node);
guint        cb_node_get_line       (const CbNode *node);
guint        cb_node_get_column     (const CbNode *node);
const char  *cb_node_get_scalar     (const CbNode *node);
gboolean     cb_node_is_quoted      (const CbNode *node);
gboolean     cb_node_is_null        (const CbNode *node);
guint        cb_node_get_n_children (const CbNode *node);
CbNode      *cb_node_get_child      (const CbNode *node,
                                     guint         index);
CbNode      *cb_node_get_key        (const CbNode *node,
                                     guint         index);
CbNode      *cb_node_lookup         (const CbNode *node,
                                     const char   *key);
CbNode      *cb_node_lookup_path    (const CbNode *node,
                                     const char   *dotted_path);
const char  *cb_node_lookup_string  (const CbNode *node,
                                     const char   *key);
GVariant    *cb_node_to_variant     (const CbNode *node);
char       **cb_node_to_strv        (const CbNode *node);
char        *cb_node_to_display     (const CbNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbNode, cb_node_unref)

G_END_DECLS
