/* cb-test-hostile.h: building hostile projects and running the binary on them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Seconds a child (or a case of test-hostile) may run before it is killed. */
#define CASE_TIMEOUT_S 20

typedef struct
{
  int       status;     /* exit code; -1 when killed */
  int       signal;     /* the signal that ended the child, or 0 */
  gboolean  timed_out;  /* killed after the time bound */
  char     *out;
  char     *err;
} Result;

void     hostile_result_clear    (Result             *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, hostile_result_clear)

void     hostile_write_file      (const char         *path,
                                  const char         *contents,
                                  gssize              length);
void     hostile_make_fifo       (const char         *path);
void     hostile_make_symlink    (const char         *target,
                                  const char         *path);
char    *hostile_copy_demo       (char              **project);
char    *hostile_make_tmp        (void);
gboolean hostile_run_cli_argv    (Result             *result,
                                  guint               timeout_s,
                                  const char * const *args);
gboolean hostile_run_cli         (Result             *result,
                                  const char         *first,
                                  ...) G_GNUC_NULL_TERMINATED;
void     hostile_assert_contains (const char         *text,
                                  const char         *part);
char    *hostile_first_line      (const char         *text);
char    *hostile_repeat          (const char         *piece,
                                  guint               n);
char    *hostile_billion_laughs  (void);

G_END_DECLS
