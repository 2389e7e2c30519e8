/* cb-schema.h: a page schema (title, constant overrides, ordered fields)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-expr.h"

G_BEGIN_DECLS

#define CB_SCHEMA_ERROR (cb_schema_error_quark ())

typedef enum
{
  CB_SCHEMA_ERROR_INVALID,
} CbSchemaError;

typedef enum
{
  CB_FIELD_TEXT_INPUT,
  CB_FIELD_NUMBER_INPUT,
  CB_FIELD_CHECKBOX,
  CB_FIELD_SLIDER,
  CB_FIELD_SELECTBOX,
  CB_FIELD_INFO,
} CbFieldType;

typedef struct
{
  char *label;
  char *value;
} CbOption;

/* One schema field, read-only once loaded. Numbers have a has_ flag. */
typedef struct
{
  char         *key;
  CbFieldType   type;
  char         *label;           /* never NULL: falls back to key */
  char         *help;
  GVariant     *default_value;   /* b, x, d or s; NULL when absent or null */

  CbOption     *options;         /* static options */
  guint         n_options;
  gboolean      options_labelled;
  char         *options_source;

  char        **hydra_override;  /* NULL-terminated; NULL when the field emits nothing */

  char         *visible_if_text;
  CbExpr       *visible_if;

  gboolean      required;
  char         *required_if_text;
  CbExpr       *required_if;
  gint64        min_length;      /* -1 when unset */
  gboolean      file_name;       /* the value names one file or folder */
  gboolean      has_min;
  double        min;
  gboolean      has_max;
  double        max;
  gboolean      has_range;
  double        range[2];

  char         *architecture_key;
  char         *architecture_fallback;
  char         *options_metadata_key;
  char         *filter_by_architecture_key;
  char         *metadata_default_key;
  char         *metadata_help_key;
  char         *metadata_info_key;
  char         *info_template;
  char         *info_fallback;
  char         *optimizer_key;
  char         *optimizer_fallback;
  char         *optimizer_metadata_key;
  char         *optimizer_help_key;

  gboolean      has_min_value;
  double        min_value;
  gboolean      has_max_value;
  double        max_value;
  gboolean      has_step;
  double        step;
  char         *format;
  gboolean      integral;        /* slider/number whose parameters are all integers */

  guint         line;
  guint         column;
} CbField;

typedef struct _CbSchema CbSchema;

/* The widest field and the most digits a number format may ask for. */
#define CB_NUMBER_FORMAT_MAX_WIDTH 32

GQuark             cb_schema_error_quark            (void);
CbSchema          *cb_schema_load_file              (const char      *path,
                                                     GPtrArray       *problems,
                                                     GError         **error);
CbSchema          *cb_schema_load_data              (const char      *data,
                                                     gsize            length,
                                                     const char      *filename,
                                                     GPtrArray       *problems,
                                                     GError         **error);
CbSchema          *cb_schema_ref                    (CbSchema        *schema);
void               cb_schema_unref                  (CbSchema        *schema);
const char        *cb_schema_get_path               (const CbSchema  *schema);
const char        *cb_schema_get_title              (const CbSchema  *schema);
const char * const *cb_schema_get_constant_overrides (const CbSchema *schema);
guint              cb_schema_get_n_fields           (const CbSchema  *schema);
const CbField     *cb_schema_get_field              (const CbSchema  *schema,
                                                     guint            index);
int                cb_schema_find_field             (const CbSchema  *schema,
                                                     const char      *key);
const char        *cb_field_type_to_string          (CbFieldType      type);
gboolean           cb_options_source_is_known       (const char      *source);
const char        *cb_schema_text                   (const char      *text);
gboolean           cb_number_format_split           (const char      *format,
                                                     char           **prefix,
                                                     char           **conversion,
                                                     char           **suffix,
                                                     gboolean        *rounds,
                                                     const char     **problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSchema, cb_schema_unref)

G_END_DECLS
