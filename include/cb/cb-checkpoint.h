/* cb-checkpoint.h: one checkpoint file and what its name and its run say about it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CB_TYPE_CHECKPOINT (cb_checkpoint_get_type ())

G_DECLARE_FINAL_TYPE (CbCheckpoint, cb_checkpoint, CB, CHECKPOINT, GObject)

typedef enum
{
  CB_CHECKPOINT_KIND_OTHER,
  CB_CHECKPOINT_KIND_LAST,
  CB_CHECKPOINT_KIND_BEST,
  CB_CHECKPOINT_KIND_EPOCH,
} CbCheckpointKind;

/* What the run folder's saved Hydra config says it was trained with. Any member may be NULL. */
typedef struct
{
  char *exp_name;
  char *architecture;
  char *encoder;
  char *decoder;
  char *head;
  char *loss;
  char *preprocessing_profile;
} CbRunInfo;

/* What a checkpoint's file name says. */
typedef struct
{
  CbCheckpointKind  kind;
  gint64            epoch;         /* -1 when unknown */
  gint64            step;          /* -1 when unknown */
  char             *metric_name;   /* NULL when none */
  double            metric_value;  /* NAN when none */
  gint64            version;       /* N of a "-vN" / "_vN" suffix (Lightning's second file of
                                    * one name), 0 when none */
} CbCheckpointName;

gboolean          cb_checkpoint_name_parse        (const char         *basename,
                                                   CbCheckpointName   *out);
void              cb_checkpoint_name_clear        (CbCheckpointName   *name);
CbRunInfo        *cb_run_info_read                (const char         *run_dir);
CbRunInfo        *cb_run_info_parse               (const char         *overrides,
                                                   gsize               overrides_length,
                                                   const char         *config,
                                                   gsize               config_length);
CbRunInfo        *cb_run_info_copy                (const CbRunInfo    *info);
void              cb_run_info_free                (CbRunInfo          *info);
const char       *cb_run_info_get                 (const CbRunInfo    *info,
                                                   const char         *field_key);

CbCheckpoint     *cb_checkpoint_new               (const char         *path,
                                                   const char         *run,
                                                   gint64              size,
                                                   gint64              mtime,
                                                   const CbRunInfo    *run_info);
const char       *cb_checkpoint_get_path          (CbCheckpoint       *self);
const char       *cb_checkpoint_get_basename      (CbCheckpoint       *self);
const char       *cb_checkpoint_get_run           (CbCheckpoint       *self);
gint64            cb_checkpoint_get_size          (CbCheckpoint       *self);
gint64            cb_checkpoint_get_mtime         (CbCheckpoint       *self);
const CbCheckpointName *cb_checkpoint_get_name_info (CbCheckpoint     *self);
const CbRunInfo  *cb_checkpoint_get_run_info      (CbCheckpoint       *self);
const char       *cb_checkpoint_get_run_title     (CbCheckpoint       *self);
char             *cb_checkpoint_describe          (CbCheckpoint       *self);
char             *cb_checkpoint_dup_label         (CbCheckpoint       *self);
char             *cb_checkpoint_format_age        (CbCheckpoint       *self,
                                                   gint64              now);
gboolean          cb_checkpoint_same_file         (CbCheckpoint       *a,
                                                   CbCheckpoint       *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbRunInfo, cb_run_info_free)

G_END_DECLS
