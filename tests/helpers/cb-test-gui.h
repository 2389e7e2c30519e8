/* cb-test-gui.h: widget and toast helpers shared by the GUI test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cb-banner.h"
#include "cb-window.h"
#include "cb/cb-checkpoint-scanner.h"
#include "cb/cb-config-cache.h"
#include "cb/cb-project.h"

G_BEGIN_DECLS

/* A copy of the demo project in a temporary folder, with what a window on it needs. */
typedef struct
{
  char                *copy;
  CbProject           *project;
  CbConfigCache       *cache;
  CbCheckpointScanner *scanner;
  GSettingsBackend    *backend;
  GSettings           *settings;
} CbTestProject;

void       cb_test_project_open     (CbTestProject *p,
                                     const char    *name,
                                     int            width,
                                     int            height);
CbWindow  *cb_test_project_new_window (CbTestProject *p);
void       cb_test_project_close    (CbTestProject *p);

char      *cb_test_gui_init         (int         *argc,
                                     char      ***argv,
                                     const char  *name);
void       cb_test_load_app_style   (void);
gboolean   cb_test_all_pages_built  (gpointer     window);
gboolean   cb_test_cache_loaded     (gpointer     cache);
gboolean   cb_test_scanner_loaded   (gpointer     scanner);
gboolean   cb_test_pane_started     (gpointer     pane);
gboolean   cb_test_pane_idle        (gpointer     pane);
GtkWidget *cb_test_find_by_css_name (GtkWidget   *root,
                                     const char  *name);
void       cb_test_wait_quiet       (GtkWidget   *widget,
                                     guint        quiet_ms,
                                     guint        timeout_ms);
guint      cb_test_count_frames     (GtkWidget   *widget,
                                     guint        ms);
void       cb_test_assert_idle_with_spinner (GtkWidget *window);
GtkWidget *cb_test_find_toplevel    (GType        type);
char      *cb_test_toast_title      (GtkWidget   *window);
void       cb_test_wait_for_toast   (GtkWidget   *window,
                                     const char  *prefix,
                                     guint        timeout_ms);
void       cb_test_xdotool          (GtkWidget   *window,
                                     const char  *args,
                                     ...) G_GNUC_PRINTF (2, 3);
void       cb_test_type_keys        (GtkWidget   *window,
                                     const char  *keys);
gpointer   cb_test_next_symbol      (const char  *name);

typedef gboolean (*CbTestWidgetMatch) (GtkWidget *widget,
                                       gpointer   data);
GtkWidget *cb_test_find_widget      (GtkWidget        *root,
                                     CbTestWidgetMatch match,
                                     gpointer          data);
GtkWidget *cb_test_find_by_class    (GtkWidget        *root,
                                     const char       *css_class);
GtkWidget *cb_test_find_named       (GtkWidget        *root,
                                     const char       *name);
GtkWidget *cb_test_find_of_type     (GtkWidget        *root,
                                     GType             type);
CbBanner  *cb_test_find_banner      (GtkWidget        *root,
                                     const char       *title);

G_END_DECLS
