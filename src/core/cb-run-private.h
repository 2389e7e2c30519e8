/* cb-run-private.h: what cb-run.c (a run folder) and cb-run-list.c (finding them) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb/cb-run.h"

G_BEGIN_DECLS

struct _CbRun
{
  GObject       parent_instance;

  char         *path;
  char         *name;            /* the folder below outputs/ */
  char         *page;            /* NULL when the run does not say */
  CbRunInfo    *info;            /* never NULL */
  char        **overrides;       /* never NULL */
  gint64        time;            /* when it started: its .hydra record's mtime */
  GListStore   *checkpoints;     /* CbCheckpoint, newest first */
  CbCheckpoint *best;
  CbCheckpoint *last;
  char        **metrics_files;   /* never NULL */
  char         *best_metric;     /* NULL when none is known */
  double        best_value;
  CbRunRecord  *record;
};

G_END_DECLS
