/* cb-test-demo.h: the bundled demo project, loaded once for a core test program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-form.h"

G_BEGIN_DECLS

typedef struct
{
  char                *root;
  CbProject           *project;
  CbConfigSnapshot    *snapshot;
  CbCheckpointScanner *scanner;  /* scanned once */
} CbTestDemo;

void    cb_test_demo_open      (CbTestDemo  *demo);
void    cb_test_demo_close     (CbTestDemo  *demo);
CbForm *cb_test_demo_make_form (CbTestDemo  *demo,
                                const char  *page);
void    cb_test_demo_set       (CbForm      *form,
                                const char  *key,
                                const char  *text);

G_END_DECLS
