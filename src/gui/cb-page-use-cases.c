/* cb-page-use-cases.c: Train's suggested setups: the tested starting points of the selected
 * architecture, each with Apply, and the mark of the one applied with what it changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-page-private.h"
#include "cb-widget-util.h"

static void
use_case_row_clear (gpointer data)
{
  UseCaseRow *row = data;

  g_free (row->id);
  g_free (row->description);
}

static void
update_use_case_row (CbPage     *self,
                     UseCaseRow *ucr)
{
  gboolean active = g_strcmp0 (ucr->id, self->active_use_case) == 0;

  gtk_widget_set_visible (ucr->check, active);
  if (active && self->active_changes != NULL)
    {
      g_autofree char *subtitle = NULL;

      if (ucr->description != NULL && *ucr->description != '\0')
        subtitle = g_strdup_printf ("%s\n%s", ucr->description, self->active_changes);
      else
        subtitle = g_strdup (self->active_changes);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (ucr->row), subtitle);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (ucr->row),
                                 ucr->description ? ucr->description : "");
}

static gboolean
use_cases_equal (GPtrArray *a,
                 GPtrArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_ptr_array_index (a, i) != g_ptr_array_index (b, i))
      return FALSE;
  return TRUE;
}

static void
rebuild_use_cases (CbPage    *self,
                   GPtrArray *use_cases)
{
  for (guint i = 0; i < self->use_case_rows->len; i++)
    adw_preferences_group_remove (self->suggestions_group,
                                  g_array_index (self->use_case_rows, UseCaseRow, i).row);
  g_array_set_size (self->use_case_rows, 0);

  for (guint i = 0; i < use_cases->len; i++)
    {
      const CbUseCase *use_case = g_ptr_array_index (use_cases, i);
      UseCaseRow ucr = { 0 };
      GtkWidget *button;

      ucr.id = g_strdup (use_case->id);
      ucr.description = g_strdup (use_case->description);
      ucr.row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (ucr.row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (ucr.row),
                                     use_case->title ? use_case->title : use_case->id);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (ucr.row), 0);

      ucr.check = gtk_image_new_from_icon_name ("object-select-symbolic");
      gtk_widget_add_css_class (ucr.check, "success");
      cb_widget_set_tooltip_text (ucr.check, _("Applied"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (ucr.row), ucr.check);

      button = gtk_button_new_with_mnemonic (_("_Apply"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "page.apply-use-case");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", use_case->id);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      use_case->title ? use_case->title : use_case->id,
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (ucr.row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (ucr.row), button);

      adw_preferences_group_add (self->suggestions_group, ucr.row);
      g_array_append_val (self->use_case_rows, ucr);
      update_use_case_row (self, &g_array_index (self->use_case_rows, UseCaseRow, i));
    }

  g_clear_pointer (&self->use_cases, g_ptr_array_unref);
  g_clear_pointer (&self->use_cases_snapshot, cb_config_snapshot_unref);
  self->use_cases = g_ptr_array_ref (use_cases);
  if (self->form != NULL)
    self->use_cases_snapshot = cb_config_snapshot_ref (cb_form_get_snapshot (self->form));
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions_group), use_cases->len > 0);
}

/* A setup is offered only if it sets at least one field of this page's schema. */
static GPtrArray *
get_use_cases (CbPage *self)
{
  g_autoptr(GPtrArray) all = cb_form_get_use_cases (self->form);
  CbSchema *schema = cb_form_get_schema (self->form);
  GPtrArray *use_cases = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    {
      const CbUseCase *use_case = g_ptr_array_index (all, i);

      for (guint j = 0; j < use_case->n_params; j++)
        if (cb_schema_find_field (schema, use_case->param_names[j]) >= 0)
          {
            g_ptr_array_add (use_cases, (gpointer) use_case);
            break;
          }
    }

  return use_cases;
}

void
_cb_page_update_use_cases (CbPage *self)
{
  g_autoptr(GPtrArray) use_cases = NULL;

  if (!g_str_equal (self->page_name, "train"))
    return;

  use_cases = get_use_cases (self);
  if (self->use_cases_snapshot != cb_form_get_snapshot (self->form) ||
      !use_cases_equal (use_cases, self->use_cases))
    rebuild_use_cases (self, use_cases);
}

void
_cb_page_set_active_use_case (CbPage     *self,
                              const char *id,
                              char      **changes)
{
  g_clear_pointer (&self->active_use_case, g_free);
  g_clear_pointer (&self->active_changes, g_free);

  if (id != NULL)
    {
      self->active_use_case = g_strdup (id);
      if (changes != NULL && changes[0] != NULL)
        self->active_changes = g_strjoinv ("\n", changes);
    }

  for (guint i = 0; i < self->use_case_rows->len; i++)
    update_use_case_row (self, &g_array_index (self->use_case_rows, UseCaseRow, i));
}

static void
apply_use_case_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  CbPage *self = CB_PAGE (widget);
  const char *id = g_variant_get_string (param, NULL);
  const CbUseCase *use_case = NULL;
  g_auto(GStrv) changes = NULL;
  g_autofree char *title = NULL;
  guint n;

  if (self->form == NULL || self->use_cases == NULL)
    return;

  for (guint i = 0; i < self->use_cases->len && use_case == NULL; i++)
    {
      const CbUseCase *candidate = g_ptr_array_index (self->use_cases, i);

      if (g_strcmp0 (candidate->id, id) == 0)
        use_case = candidate;
    }
  if (use_case == NULL)
    return;

  /* The form is about to change under us: keep its use-case pointers alive, and do not
   * let the change clear the mark of the setup being applied. */
  title = g_strdup (use_case->title ? use_case->title : use_case->id);
  self->applying = TRUE;
  changes = cb_form_apply_use_case (self->form, use_case);
  self->applying = FALSE;

  n = changes ? g_strv_length (changes) : 0;
  _cb_page_set_active_use_case (self, id, changes);

  {
    g_autofree char *message = NULL;
    AdwToast *toast;

    if (n == 0)
      /* Translators: %s is the title of a suggested setup */
      message = g_strdup_printf (_("“%s” is already applied"), title);
    else
      /* Translators: %s is the title of a suggested setup, %u how many values changed */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Applied “%s”: %u value changed",
                                              "Applied “%s”: %u values changed", n),
                                 title, n);
    toast = cb_toast_new_text (message);
    adw_toast_set_timeout (toast, 4);
    _cb_page_show_toast (self, toast);
  }
}

/* The page got another form: no setup is shown or marked until it says which. */
void
_cb_page_clear_use_cases (CbPage *self)
{
  g_clear_pointer (&self->use_cases, g_ptr_array_unref);
  g_clear_pointer (&self->use_cases_snapshot, cb_config_snapshot_unref);
  _cb_page_set_active_use_case (self, NULL, NULL);
  if (self->use_case_rows->len > 0)
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      rebuild_use_cases (self, none);
    }
}

void
_cb_page_init_use_cases (CbPage *self)
{
  self->use_case_rows = g_array_new (FALSE, TRUE, sizeof (UseCaseRow));
  g_array_set_clear_func (self->use_case_rows, use_case_row_clear);
}

void
_cb_page_class_init_use_cases (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.apply-use-case", "s",
                                   apply_use_case_action);
}

GtkWidget *
cb_page_get_use_case_row (CbPage     *self,
                          const char *use_case_id)
{
  g_return_val_if_fail (CB_IS_PAGE (self), NULL);

  for (guint i = 0; i < self->use_case_rows->len; i++)
    {
      UseCaseRow *ucr = &g_array_index (self->use_case_rows, UseCaseRow, i);

      if (g_strcmp0 (ucr->id, use_case_id) == 0)
        return ucr->row;
    }

  return NULL;
}
