/* cb-expr.h: visible_if / required_if expressions, parsed once, evaluated often
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CB_EXPR_ERROR (cb_expr_error_quark ())

typedef enum
{
  CB_EXPR_ERROR_SYNTAX,
  CB_EXPR_ERROR_UNKNOWN_NAME,
} CbExprError;

typedef struct _CbExpr CbExpr;

/* Returns FALSE when @name is not a field. *value is borrowed; NULL means null (a hidden
 * or unset field). Values are GVariants of type b, x, d or s. */
typedef gboolean (*CbExprLookupFunc) (const char  *name,
                                      GVariant   **value,
                                      gpointer     user_data);
typedef void     (*CbExprNameFunc)   (const char  *name,
                                      guint        offset,
                                      gpointer     user_data);

GQuark    cb_expr_error_quark  (void);
CbExpr   *cb_expr_parse        (const char       *text,
                                guint            *error_offset,
                                GError          **error);
void      cb_expr_free         (CbExpr           *expr);
char     *cb_expr_to_string    (CbExpr           *expr);
void      cb_expr_foreach_name (CbExpr           *expr,
                                CbExprNameFunc    func,
                                gpointer          user_data);
gboolean  cb_expr_evaluate     (CbExpr           *expr,
                                CbExprLookupFunc  lookup,
                                gpointer          user_data,
                                gboolean         *result,
                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbExpr, cb_expr_free)

G_END_DECLS
