/* cb-page-private.h: what the files of CbPage share (cb-page.c, cb-page-use-cases.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb-page.h"
#include "cb-banner.h"
#include "cb-extra-overrides.h"

G_BEGIN_DECLS

typedef struct
{
  char      *id;
  GtkWidget *row;     /* unowned: a child of the suggestions group */
  GtkWidget *check;
  char      *description;
} UseCaseRow;

struct _CbPage
{
  GtkWidget            parent_instance;

  char                *page_name;
  CbConfigCache       *config_cache;
  GListModel          *checkpoints;     /* the scanner's shared model, for the pickers */
  CbForm              *form;
  char                *error;
  char                *checkpoint_note; /* the form's, as last shown */

  GPtrArray           *rows;            /* CbFieldRow, in schema order */
  GPtrArray           *groups;          /* AdwPreferencesGroup, unowned */
  GPtrArray           *row_groups;      /* the group of each row, unowned */
  GHashTable          *rows_by_key;     /* key → CbFieldRow, unowned */
  guint                n_rows_built;

  GtkWidget           *suffix_row;
  GtkWidget           *suffix_switch;
  gulong               suffix_handler;

  GArray              *use_case_rows;   /* UseCaseRow */
  GPtrArray           *use_cases;       /* const CbUseCase *, as shown */
  CbConfigSnapshot    *use_cases_snapshot; /* keeps those pointers valid */
  char                *active_use_case;
  char                *active_changes;
  gboolean             applying;

  GKeyFile            *undo_state;

  /* template */
  GtkStack            *content_stack;
  GtkWidget           *scroller;
  GtkWidget           *content_box;
  CbBanner            *validation_banner;
  CbBanner            *mismatch_banner;
  CbBanner            *hydra_banner;
  AdwPreferencesGroup *suggestions_group;
  GtkWidget           *groups_box;
  CbExtraOverrides    *extra_overrides;
  GtkWidget           *reset_button;
  AdwStatusPage       *error_page;
};

void _cb_page_show_toast           (CbPage         *self,
                                    AdwToast       *toast);

/* cb-page-use-cases.c: Train's suggested setups */
void _cb_page_class_init_use_cases (GtkWidgetClass *widget_class);
void _cb_page_init_use_cases       (CbPage         *self);
void _cb_page_update_use_cases     (CbPage         *self);
void _cb_page_set_active_use_case  (CbPage         *self,
                                    const char     *id,
                                    char          **changes);
void _cb_page_clear_use_cases      (CbPage         *self);

G_END_DECLS
