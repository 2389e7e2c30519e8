/* cb-problem.h: a message about a file, with its line and column
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CB_PROBLEM_ERROR,
  CB_PROBLEM_WARNING,
  CB_PROBLEM_NOTICE,
} CbProblemSeverity;

typedef struct
{
  CbProblemSeverity  severity;
  char              *file;    /* may be NULL */
  guint              line;    /* 1-based; 0 when unknown */
  guint              column;  /* 1-based; 0 when unknown */
  char              *message;
} CbProblem;

CbProblem *cb_problem_new       (CbProblemSeverity  severity,
                                 const char        *file,
                                 guint              line,
                                 guint              column,
                                 const char        *format,
                                 ...) G_GNUC_PRINTF (5, 6);
CbProblem *cb_problem_new_located (CbProblemSeverity  severity,
                                   const char        *file,
                                   const char        *message);
CbProblem *cb_problem_copy      (const CbProblem   *problem);
void       cb_problem_free      (CbProblem         *problem);
char      *cb_problem_to_string (const CbProblem   *problem);
GPtrArray *cb_problem_list_new  (void);
gboolean   cb_problem_list_has_errors (GPtrArray   *problems);
char      *cb_problem_list_to_string  (GPtrArray   *problems);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbProblem, cb_problem_free)

G_END_DECLS
