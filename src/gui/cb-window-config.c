/* cb-window-config.c: the window's Config view of the visible page (win.show-config)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-config-view.h"
#include "cb-page.h"
#include "cb-widget-util.h"
#include "cb-window-private.h"
#include "cb/cb-compose-check.h"
#include "cb/cb-problem.h"

/* The page's tab label: Train, Test, Predict. */
const char *
_cb_window_page_label (CbPage *page)
{
  const char *name = cb_page_get_page_name (page);

  if (g_str_equal (name, "train"))
    return C_("page", "Train");
  if (g_str_equal (name, "test"))
    return C_("page", "Test");
  if (g_str_equal (name, "predict"))
    return C_("page", "Predict");
  return name;
}

/* The view shows the visible page's composition; it follows tab switches while open. */
void
_cb_window_update_config_view (CbWindow *self)
{
  CbPage *page = cb_window_get_visible_page (self);
  g_autofree char *file = NULL;
  g_autofree char *title = NULL;
  const char *name;

  if (self->config_view == NULL || page == NULL)
    return;

  name = cb_page_get_page_name (page);
  file = g_strdup_printf ("%s.yaml", self->project != NULL
                                       ? cb_project_get_config_name (self->project, name)
                                       : name);
  /* Translators: the title of the Config view; %s is the page's tab (Train, Test, Predict) */
  title = g_strdup_printf (_("Config — %s"), _cb_window_page_label (page));
  gtk_window_set_title (GTK_WINDOW (self->config_view), title);
  cb_config_view_set_form (self->config_view, cb_page_get_form (page), file);
}

static void
show_config_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->config_view == NULL)
    cb_window_keep (&self->config_view, GTK_WINDOW (cb_config_view_new (GTK_WINDOW (self))));
  _cb_window_update_config_view (self);
  gtk_window_present (GTK_WINDOW (self->config_view));
}

void
_cb_window_class_init_config (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-config", NULL, show_config_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-config", NULL);
}

void
_cb_window_dispose_config (CbWindow *self)
{
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_pointer (&self->compose_problems, g_ptr_array_unref);
  cb_window_destroy_kept (&self->config_view);
}

/* ------------------------------------------------------------------------------------ */
/* check's findings in the problems banner                                              */

typedef struct
{
  CbProject        *project;
  CbConfigSnapshot *snapshot;
  GPtrArray        *schemas;  /* CbSchema */
  GPtrArray        *pages;    /* char * */
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_pointer (&data->project, cb_project_unref);
  g_clear_pointer (&data->snapshot, cb_config_snapshot_unref);
  g_clear_pointer (&data->schemas, g_ptr_array_unref);
  g_clear_pointer (&data->pages, g_ptr_array_unref);
  g_free (data);
}

/* In a worker: composes each page's default command and its presets (a few ms). */
static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  GPtrArray *problems = cb_problem_list_new ();

  for (guint i = 0; i < data->schemas->len && !g_cancellable_is_cancelled (cancellable); i++)
    cb_compose_check_page (g_ptr_array_index (data->schemas, i),
                           g_ptr_array_index (data->pages, i), data->project, data->snapshot,
                           problems);
  g_task_return_pointer (task, problems, (GDestroyNotify) g_ptr_array_unref);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* The task holds no reference on the window: closing it never waits for a check. */
static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(CbWindow) self = g_weak_ref_get (ref);
  GPtrArray *problems = g_task_propagate_pointer (G_TASK (result), NULL);

  weak_ref_free (ref);
  if (self == NULL || problems == NULL ||
      g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      g_clear_pointer (&problems, g_ptr_array_unref);
      return;
    }
  g_clear_pointer (&self->compose_problems, g_ptr_array_unref);
  self->compose_problems = problems;
  _cb_window_update_problems (self);
}

/**
 * _cb_window_check_compose:
 *
 * What `check` says of the schemas against the configs (override targets, group options,
 * profiles, suggested setups), for the pages built so far, in a worker thread; the findings
 * join the problems banner. Cancel and replace: only the newest check reports.
 */
void
_cb_window_check_compose (CbWindow *self)
{
  static const char * const names[] = { "train", "test", "predict" };
  g_autoptr(GTask) task = NULL;
  CheckData *data;
  CbConfigSnapshot *snapshot;

  if (self->config_cache == NULL || !cb_config_cache_get_loaded (self->config_cache))
    return;
  snapshot = cb_config_cache_get_snapshot (self->config_cache);
  if (snapshot == NULL || cb_config_snapshot_get_composer (snapshot) == NULL)
    return;

  data = g_new0 (CheckData, 1);
  data->project = self->project ? cb_project_ref (self->project) : NULL;
  data->snapshot = cb_config_snapshot_ref (snapshot);
  data->schemas = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_schema_unref);
  data->pages = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      CbPage *page = cb_window_get_page (self, names[i]);
      CbForm *form = page ? cb_page_get_form (page) : NULL;

      if (form == NULL)
        continue;
      g_ptr_array_add (data->schemas, cb_schema_ref (cb_form_get_schema (form)));
      g_ptr_array_add (data->pages, g_strdup (names[i]));
    }

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();

  {
    GWeakRef *ref = g_new0 (GWeakRef, 1);

    g_weak_ref_init (ref, self);
    task = g_task_new (NULL, self->check_cancellable, check_done_cb, ref);
  }
  g_task_set_source_tag (task, _cb_window_check_compose);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

/* For tests and for the banner: the findings of the last check, or NULL before one. */
GPtrArray *
_cb_window_get_compose_problems (CbWindow *self)
{
  return self->compose_problems;
}
