/* cb-checkpoint-picker.h: a searchable drop-down over the scanner's checkpoints, and any file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CB_TYPE_CHECKPOINT_PICKER (cb_checkpoint_picker_get_type ())

G_DECLARE_FINAL_TYPE (CbCheckpointPicker, cb_checkpoint_picker, CB, CHECKPOINT_PICKER, GtkWidget)

CbCheckpointPicker *cb_checkpoint_picker_new             (GListModel         *checkpoints);
GtkDropDown        *cb_checkpoint_picker_get_drop_down   (CbCheckpointPicker *self);
const char         *cb_checkpoint_picker_get_path        (CbCheckpointPicker *self);
gboolean            cb_checkpoint_picker_set_path        (CbCheckpointPicker *self,
                                                          const char         *path);
char               *cb_checkpoint_picker_describe_run    (CbCheckpointPicker *self);
void                cb_checkpoint_picker_set_description (CbCheckpointPicker *self,
                                                          const char         *description);
void                cb_checkpoint_picker_choose_file     (CbCheckpointPicker *self,
                                                          GFile              *file);

G_END_DECLS
