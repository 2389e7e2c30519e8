/* cb-preset.h: a page's values saved under a name, shared with the project through git
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cb-config.h"
#include "cb-form.h"
#include "cb-project.h"

G_BEGIN_DECLS

#define CB_PRESET_ERROR (cb_preset_error_quark ())

/* Relative to the project root; then <page>/<name>.yaml */
#define CB_PRESET_DIR ".command-builder/presets"
#define CB_PRESET_SUFFIX ".yaml"
/* A page's folder lists at most this many presets. */
#define CB_PRESET_MAX_FILES 1000

typedef enum
{
  CB_PRESET_ERROR_NAME,       /* not a name a preset file can have */
  CB_PRESET_ERROR_EXISTS,     /* another preset has that name */
  CB_PRESET_ERROR_NOT_FOUND,  /* no preset of that name */
  CB_PRESET_ERROR_INVALID,    /* the file is not a preset: file:line:column: message */
  CB_PRESET_ERROR_BUILT_IN,   /* built-in presets cannot be changed */
} CbPresetError;

typedef struct
{
  char             *name;      /* the file name without ".yaml"; a built-in's id */
  char             *title;     /* what the list shows: the name, or a built-in's title */
  char             *note;      /* never NULL; may be "" */
  char             *path;      /* the file; NULL for a built-in */
  char            **keys;      /* field keys, in the file's order (NULL-terminated) */
  GVariant        **values;    /* b, x, d or s, one per key */
  guint             n_values;
  char            **extra;     /* extra overrides (NULL-terminated, never NULL) */
  /* Built-ins: a suggested setup of the project's architecture metadata. */
  CbConfigSnapshot *snapshot;
  const CbUseCase  *use_case;
} CbPreset;

GQuark      cb_preset_error_quark    (void);
char       *cb_preset_name_problem   (const char         *name);
char       *cb_preset_get_dir        (const CbProject    *project,
                                      const char         *page);
CbPreset   *cb_preset_new_from_form  (CbForm             *form,
                                      const char         *name,
                                      const char         *note);
CbPreset   *cb_preset_parse          (const char         *data,
                                      gsize               length,
                                      const char         *filename,
                                      const char         *name,
                                      GError            **error);
char       *cb_preset_to_yaml        (const CbPreset     *self,
                                      const char         *page);
gboolean    cb_preset_is_built_in    (const CbPreset     *self);
guint       cb_preset_apply          (const CbPreset     *self,
                                      CbForm             *form,
                                      char             ***ignored);
void        cb_preset_free           (CbPreset           *self);

GPtrArray  *cb_preset_list_built_in  (CbConfigSnapshot   *snapshot,
                                      CbSchema           *schema,
                                      const char         *page);
GPtrArray  *cb_preset_list           (const CbProject    *project,
                                      const char         *page,
                                      GPtrArray          *problems);
const CbPreset *cb_preset_find       (GPtrArray          *presets,
                                      const char         *name);
void        cb_preset_list_async     (const CbProject    *project,
                                      const char         *page,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
GPtrArray  *cb_preset_list_finish    (GAsyncResult       *result,
                                      GPtrArray         **problems,
                                      GError            **error);

gboolean    cb_preset_save           (const CbPreset     *self,
                                      const CbProject    *project,
                                      const char         *page,
                                      gboolean            replace,
                                      GError            **error);
gboolean    cb_preset_rename         (const CbProject    *project,
                                      const char         *page,
                                      const char         *name,
                                      const char         *new_name,
                                      GError            **error);
gboolean    cb_preset_delete         (const CbProject    *project,
                                      const char         *page,
                                      const char         *name,
                                      GError            **error);
void        cb_preset_save_async     (const CbPreset     *self,
                                      const CbProject    *project,
                                      const char         *page,
                                      gboolean            replace,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
void        cb_preset_rename_async   (const CbProject    *project,
                                      const char         *page,
                                      const char         *name,
                                      const char         *new_name,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
void        cb_preset_delete_async   (const CbProject    *project,
                                      const char         *page,
                                      const char         *name,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean    cb_preset_change_finish  (GAsyncResult       *result,
                                      GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPreset, cb_preset_free)

G_END_DECLS
