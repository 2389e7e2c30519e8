/* cb-compose-private.h: what the files of the composer share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cb-compose-files.c reads and caches the configs tree, cb-compose.c builds the defaults
 * tree and merges, cb-compose-overrides.c takes the command line (group choices, then
 * key=value overrides in struct mode).
 */

#pragma once

#include "cb/cb-compose.h"
#include "cb/cb-override.h"
#include "cb/cb-yaml.h"

G_BEGIN_DECLS

typedef struct
{
  CbNode       *root;
  char         *header;    /* the # @package value, or NULL */
  CbCfg        *content;   /* the config without its defaults list */
  const CbNode *defaults;  /* borrowed from root */
  char         *file;      /* for messages: "configs/model/default.yaml" */
  GError       *error;     /* why it could not be read */
} Loaded;

struct _CbComposer
{
  gatomicrefcount  ref_count;
  char            *dir;
  char            *dir_name;
  GMutex           lock;
  GHashTable      *loaded;  /* relative path without .yaml -> Loaded (NULL: no such file) */
  GHashTable      *groups;  /* sealed: group path -> GPtrArray of option names, sorted */
  gboolean         sealed;  /* preloaded: never touches the disk again */
};

/* One entry of a defaults list (Hydra's InputDefault). */
typedef struct
{
  gboolean    is_group;
  gboolean    is_self;
  char       *path;             /* config default: as written */
  char       *group;            /* group default: as written */
  char       *name;             /* group default: the option; NULL for null */
  GPtrArray  *options;          /* group default: a list of options, or NULL */
  char       *package;          /* @pkg as written ("" for _here_), or NULL */
  gboolean    optional;
  gboolean    override;
  gboolean    external_append;
  gboolean    primary;
  char       *parent_base_dir;
  char       *parent_package;
  char       *header;           /* absolute: "_global_" or "_global_.x" */
  const char *in_file;          /* where the entry is written, for messages */
  guint       line;
  guint       culprit;          /* 1 + the command-line override that chose it, or 0 */
} Element;

typedef struct
{
  char    *config_path;
  char    *package;
  char    *override_key;  /* group defaults */
  char    *choice;        /* "group=option" of the group default this config is */
  Loaded  *loaded;
  gboolean is_self;
} Result;

typedef struct
{
  char    *value;         /* the option (NULL: null) */
  GPtrArray *values;      /* a list of options */
  gboolean used;
  gboolean external;
  char    *where;         /* a defaults-list override: the file that holds it */
  char    *text;          /* as written, for messages */
  guint    culprit;       /* 1 + its index on the command line, or 0 */
} Choice;

typedef struct
{
  CbComposer *composer;
  GHashTable *choices;     /* override key -> Choice */
  GHashTable *deletions;   /* key -> Choice (value: the option to delete, or NULL) */
  GPtrArray  *appends;     /* Element, external +group=option */
  GPtrArray  *config_overrides;  /* CbOverride (borrowed) */
  GHashTable *known;       /* override key -> chosen name */
  GPtrArray  *parsed;      /* CbOverride, the command line in order */
  guint       culprit;     /* 1 + the override at fault, or 0 */
  guint       depth;
} Ctx;

int        _cb_compose_compare_names       (gconstpointer   a,
                                            gconstpointer   b);
Loaded    *_cb_compose_get_loaded          (CbComposer     *self,
                                            const char     *rel);
gboolean   _cb_compose_is_config           (CbComposer     *self,
                                            const char     *rel);
void       _cb_compose_element_free        (Element        *e);
void       _cb_compose_choice_free         (Choice         *c);
char      *_cb_compose_override_key        (const Element  *e);
gboolean   _cb_compose_classify_overrides  (Ctx            *ctx,
                                            GPtrArray      *parsed,
                                            GError        **error);
gboolean   _cb_compose_check_used          (Ctx            *ctx,
                                            GError        **error);
gboolean   _cb_compose_apply_config_override (CbCfg        *root,
                                            CbOverride     *o,
                                            guint           position,
                                            GError        **error);

G_END_DECLS
