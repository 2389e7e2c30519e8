/* cb-yaml-block.h: the plain block YAML that Hydra writes, read without a YAML library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Lines longer than this are left to libyaml. */
#define CB_YAML_BLOCK_MAX_LINE 1024
/* So are collections nested deeper than this. */
#define CB_YAML_BLOCK_MAX_DEPTH 32

typedef enum
{
  CB_YAML_BLOCK_MAPPING_START,
  CB_YAML_BLOCK_MAPPING_END,
  CB_YAML_BLOCK_SEQUENCE_START,
  CB_YAML_BLOCK_SEQUENCE_END,
  CB_YAML_BLOCK_SCALAR,
} CbYamlBlockEventType;

typedef struct
{
  CbYamlBlockEventType  type;
  const char           *value;    /* SCALAR: NUL-terminated, valid during the call */
  gsize                 length;   /* SCALAR: of @value */
  gboolean              plain;    /* SCALAR: plain style (not quoted) */
} CbYamlBlockEvent;

typedef void (*CbYamlBlockFunc) (const CbYamlBlockEvent *event,
                                 gpointer                user_data);

gboolean cb_yaml_block_read (const char      *data,
                             gsize            length,
                             CbYamlBlockFunc  func,
                             gpointer         user_data);

G_END_DECLS
