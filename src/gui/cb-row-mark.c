/* cb-row-mark.c: the mark of a row whose value differs from its default
 *
 * A changed row gets the "cb-changed" class (its title in the accent colour) and shows a
 * small flat button before its control: the tooltip says the default, and a click resets
 * the field (page.reset-field). The form decides whether a field is changed, in its
 * recompute (CbFieldState.changed); an update here costs a comparison of one boolean and,
 * on a changed row only, of one string.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-row-mark"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-row-mark.h"
#include "cb-widget-util.h"

#define TEXT_KEY "cb-row-mark-text"

/**
 * cb_row_mark_new:
 *
 * Returns: (transfer floating): the mark of @field's row, hidden until the field changes
 */
GtkWidget *
cb_row_mark_new (const CbField *field)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-undo-symbolic");

  g_return_val_if_fail (field != NULL, NULL);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_add_css_class (button, "cb-changed-mark");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (button, FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "page.reset-field");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", field->key);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reset to Default"),
                                  -1);
  return button;
}

/**
 * cb_row_mark_update:
 * @mark: from cb_row_mark_new()
 * @row: the row that holds @mark
 *
 * Shows whether @state is changed, and from what.
 */
void
cb_row_mark_update (GtkWidget          *mark,
                    GtkWidget          *row,
                    const CbField      *field,
                    const CbFieldState *state)
{
  g_autofree char *text = NULL;

  g_return_if_fail (GTK_IS_WIDGET (mark));
  g_return_if_fail (state != NULL);

  if (!state->changed)
    {
      if (gtk_widget_get_visible (mark))
        {
          gtk_widget_set_visible (mark, FALSE);
          gtk_widget_remove_css_class (row, "cb-changed");
          g_object_set_data (G_OBJECT (mark), TEXT_KEY, NULL);
        }
      return;
    }

  if (state->reset_value != NULL)
    {
      g_autofree char *value = cb_format_value (field, state->reset_value);

      /* A choice is named as its list shows it. */
      for (guint i = 0; i < state->n_options; i++)
        if (g_str_equal (state->options[i], value) && state->option_labels[i] != NULL)
          {
            g_free (value);
            value = g_strdup (state->option_labels[i]);
            break;
          }

      text = *value != '\0' ? g_strdup_printf (_("Changed from the default: %s"), value)
                            : g_strdup (_("Changed from the default, which is empty"));
    }
  else
    text = g_strdup (_("Changed: there is no default"));

  if (g_strcmp0 (text, g_object_get_data (G_OBJECT (mark), TEXT_KEY)) == 0)
    return;

  {
    g_autofree char *tooltip = g_strdup_printf ("%s\n%s", text, _("Click to reset"));

    cb_widget_set_tooltip_text (mark, tooltip);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (mark),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  gtk_widget_add_css_class (row, "cb-changed");
  gtk_widget_set_visible (mark, TRUE);
  g_object_set_data_full (G_OBJECT (mark), TEXT_KEY, g_steal_pointer (&text), g_free);
}
