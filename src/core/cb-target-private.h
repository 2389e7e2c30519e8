/* cb-target-private.h: what cb-target.c (targets.yaml) and cb-target-slurm.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb/cb-cfg.h"
#include "cb/cb-target.h"
#include "cb/cb-yaml.h"

G_BEGIN_DECLS

/* cb-target.c */
void            _cb_target_add_problem        (GPtrArray            *problems,
                                               const char           *file,
                                               const CbNode         *node,
                                               const char           *message);
char          **_cb_target_lines_of           (const CbNode         *node,
                                               const char           *file,
                                               const char           *key,
                                               GPtrArray            *problems);
const char     *_cb_target_scalar_of          (const CbNode         *item,
                                               const char           *key);
void            _cb_target_map_set_text       (CbCfg                *map,
                                               const char           *key,
                                               const char           *text);
void            _cb_target_map_set_lines      (CbCfg                *map,
                                               const char           *key,
                                               char                **lines);

/* cb-target-slurm.c */
CbSlurmOptions *_cb_target_slurm_options_copy (const CbSlurmOptions *options);
void            _cb_target_slurm_options_free (CbSlurmOptions       *options);
gboolean        _cb_target_check_slurm        (const CbTarget       *target,
                                               GError              **error);
gboolean        _cb_target_slurm_from_node    (CbSlurmOptions       *options,
                                               const CbNode         *item,
                                               const char           *file,
                                               GPtrArray            *problems);
void            _cb_target_slurm_to_map       (CbCfg                *map,
                                               const CbSlurmOptions *options);

G_END_DECLS
