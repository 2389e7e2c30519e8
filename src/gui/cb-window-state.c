/* cb-window-state.c: what the window says about the saved page values
 *
 * The page values are written shortly after each edit (CbStateStore). A write that fails
 * (a full disk, a read-only or missing state folder) is shown in a banner with the reason
 * and a Try Again button until a write succeeds, so that nobody types on believing their
 * edits are kept. A state file that could not be read at start was set aside: the same
 * banner says so, once, until dismissed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-state-store.h"
#include "cb-window-private.h"

static void
update_save_banner (CbWindow *self)
{
  const char *reason = self->state_store ? cb_state_store_get_save_error (self->state_store)
                                         : NULL;
  const char *problem = self->state_store && !self->state_problem_dismissed
                          ? cb_state_store_get_load_problem (self->state_store)
                          : NULL;
  const char *messages[] = { reason ? reason : problem, NULL };

  if (reason != NULL)
    {
      cb_banner_set_title (self->state_banner, _("Your edits are not being saved"));
      cb_banner_set_severity (self->state_banner, CB_BANNER_ERROR);
      cb_banner_set_dismissible (self->state_banner, FALSE);
      /* Translators: button of the banner shown when the page values could not be saved */
      cb_banner_set_action (self->state_banner, _("_Try Again"), "win.retry-save");
    }
  else if (problem != NULL)
    {
      cb_banner_set_title (self->state_banner, _("Saved page values set aside"));
      cb_banner_set_severity (self->state_banner, CB_BANNER_WARNING);
      cb_banner_set_dismissible (self->state_banner, TRUE);
      cb_banner_set_action (self->state_banner, NULL, NULL);
    }
  if (messages[0] != NULL)
    cb_banner_set_messages (self->state_banner, messages);
  cb_banner_set_revealed (self->state_banner, messages[0] != NULL);
}

static void
state_banner_dismissed_cb (CbBanner *banner,
                           CbWindow *self)
{
  self->state_problem_dismissed = TRUE;
}

static void
save_error_changed_cb (CbStateStore *store,
                       GParamSpec   *pspec,
                       CbWindow     *self)
{
  update_save_banner (self);
}

static void
retry_save_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  CbWindow *self = CB_WINDOW (widget);

  /* On failure the banner stays, with the new reason. */
  if (self->state_store != NULL && cb_state_store_flush (self->state_store, NULL))
    _cb_window_show_toast (self, _("Page values saved"));
}

void
_cb_window_class_init_state (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.retry-save", NULL, retry_save_action);
}

void
_cb_window_init_state (CbWindow *self)
{
  cb_banner_set_title (self->state_banner, _("Your edits are not being saved"));
  g_signal_connect_object (self->state_banner, "dismissed",
                           G_CALLBACK (state_banner_dismissed_cb), self, 0);
}

/* Called once the window has its project's state store. */
void
_cb_window_watch_state (CbWindow *self)
{
  g_return_if_fail (self->state_store != NULL);

  g_signal_connect_object (self->state_store, "notify::save-error",
                           G_CALLBACK (save_error_changed_cb), self, 0);
  update_save_banner (self);
}
