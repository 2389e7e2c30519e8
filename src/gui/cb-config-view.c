/* cb-config-view.c: the whole config a page's command gives, with where each value comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the form's composition (cb_form_get_composition()) as YAML: a line number, the key
 * and value, and as a comment the file and line that set the value last. The values the
 * command sets are highlighted. It follows the form while it is open (the composition is
 * already there after each edit: showing it is all this does), and a search keeps the keys
 * or values that contain the text, with their parents.
 */

#define G_LOG_DOMAIN "cb-config-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-banner.h"
#include "cb-config-view.h"
#include "cb-widget-util.h"

struct _CbConfigView
{
  AdwWindow        parent_instance;

  AdwWindowTitle  *window_title;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  CbBanner        *banner;
  GtkStack        *stack;
  GtkTextView     *text_view;
  AdwStatusPage   *status_page;

  CbForm          *form;    /* weak */
  char            *page_title;
  char            *yaml;    /* what is shown, without line numbers */
  char            *filter;
};

G_DEFINE_FINAL_TYPE (CbConfigView, cb_config_view, ADW_TYPE_WINDOW)

static void
ensure_tags (GtkTextBuffer *buffer)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);

  if (gtk_text_tag_table_lookup (table, "number") != NULL)
    return;
  gtk_text_buffer_create_tag (buffer, "number", "foreground", "#77767b", NULL);
  gtk_text_buffer_create_tag (buffer, "origin", "foreground", "#77767b",
                              "style", PANGO_STYLE_ITALIC, NULL);
  gtk_text_buffer_create_tag (buffer, "set", "weight", PANGO_WEIGHT_BOLD,
                              "paragraph-background", "rgba(53,132,228,0.18)", NULL);
}

static void
render (CbConfigView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  CbComposition *composition = self->form ? cb_form_get_composition (self->form) : NULL;
  const char *error = self->form ? cb_form_get_hydra_error (self->form) : NULL;
  GPtrArray *warnings = self->form ? cb_form_get_hydra_warnings (self->form) : NULL;
  g_autoptr(GArray) marked = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) numbered = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autofree char *subtitle = NULL;
  GtkTextIter start, end;
  guint n_lines;
  guint width;

  ensure_tags (buffer);
  g_clear_pointer (&self->yaml, g_free);

  if (error != NULL || composition == NULL)
    {
      const char * const messages[] = { error, NULL };

      cb_banner_set_severity (self->banner, CB_BANNER_ERROR);
      cb_banner_set_title (self->banner, error ? _("Hydra would refuse this command")
                                               : _("There is no config to compose: the "
                                                   "project has no configs folder"));
      cb_banner_set_messages (self->banner, error ? messages : NULL);
      cb_banner_set_revealed (self->banner, TRUE);
      gtk_text_buffer_set_text (buffer, "", 0);
      adw_status_page_set_title (self->status_page, _("No Config"));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      adw_window_title_set_subtitle (self->window_title, self->page_title);
      return;
    }

  if (warnings != NULL)
    {
      g_autoptr(GPtrArray) messages = g_ptr_array_new ();

      for (guint i = 0; i < warnings->len; i++)
        g_ptr_array_add (messages, g_ptr_array_index (warnings, i));
      g_ptr_array_add (messages, NULL);
      cb_banner_set_severity (self->banner, CB_BANNER_WARNING);
      cb_banner_set_title (self->banner,
                           g_dngettext (GETTEXT_PACKAGE, "A choice has no effect",
                                        "Some choices have no effect", warnings->len));
      cb_banner_set_messages (self->banner, (const char * const *) messages->pdata);
    }
  cb_banner_set_revealed (self->banner, warnings != NULL);

  self->yaml = cb_cfg_to_yaml_with_origins (composition->config, self->filter, marked);
  lines = g_strsplit (self->yaml, "\n", -1);
  n_lines = g_strv_length (lines);
  if (n_lines > 0 && *lines[n_lines - 1] == '\0')
    n_lines--;
  width = n_lines >= 1000 ? 4 : 3;

  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (numbered, "%*u  %s\n", (int) width, i + 1, lines[i]);
  gtk_text_buffer_set_text (buffer, numbered->str, (int) numbered->len);

  /* Numbers dim, origins dim and italic, the command's own values highlighted. */
  for (guint i = 0; i < n_lines; i++)
    {
      const char *hash = strstr (lines[i], "  # ");

      gtk_text_buffer_get_iter_at_line (buffer, &start, (int) i);
      end = start;
      gtk_text_iter_forward_chars (&end, (int) width);
      gtk_text_buffer_apply_tag_by_name (buffer, "number", &start, &end);
      if (hash != NULL)
        {
          gtk_text_buffer_get_iter_at_line_index (buffer, &start, (int) i,
                                                  (int) (width + 2 + (hash - lines[i])));
          end = start;
          gtk_text_iter_forward_to_line_end (&end);
          gtk_text_buffer_apply_tag_by_name (buffer, "origin", &start, &end);
        }
    }
  for (guint i = 0; i < marked->len; i++)
    {
      guint line = g_array_index (marked, guint, i);

      gtk_text_buffer_get_iter_at_line (buffer, &start, (int) line);
      end = start;
      gtk_text_iter_forward_to_line_end (&end);
      gtk_text_buffer_apply_tag_by_name (buffer, "set", &start, &end);
    }

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u value set by this command",
                                           "%s · %u values set by this command", marked->len),
                              self->page_title, marked->len);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  if (n_lines == 0)
    {
      adw_status_page_set_title (self->status_page, _("No Keys Match"));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "config");
}

static void
form_changed_cb (CbForm       *form,
                 CbConfigView *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    render (self);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   CbConfigView   *self)
{
  cb_config_view_set_filter (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
stop_search_cb (GtkSearchEntry *entry,
                CbConfigView   *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (entry)) == '\0')
    gtk_window_close (GTK_WINDOW (self));
  else
    gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CbConfigView *self = CB_CONFIG_VIEW (widget);

  if (self->yaml != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->yaml);
}

static void
cb_config_view_show (GtkWidget *widget)
{
  CbConfigView *self = CB_CONFIG_VIEW (widget);

  GTK_WIDGET_CLASS (cb_config_view_parent_class)->show (widget);
  /* Typing searches at once. */
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
cb_config_view_dispose (GObject *object)
{
  CbConfigView *self = CB_CONFIG_VIEW (object);

  cb_follow_object (self, (gpointer *) &self->form, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_CONFIG_VIEW);

  G_OBJECT_CLASS (cb_config_view_parent_class)->dispose (object);
}

static void
cb_config_view_finalize (GObject *object)
{
  CbConfigView *self = CB_CONFIG_VIEW (object);

  g_free (self->page_title);
  g_free (self->yaml);
  g_free (self->filter);

  G_OBJECT_CLASS (cb_config_view_parent_class)->finalize (object);
}

static void
cb_config_view_class_init (CbConfigViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_config_view_dispose;
  object_class->finalize = cb_config_view_finalize;
  widget_class->show = cb_config_view_show;

  g_type_ensure (CB_TYPE_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-config-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbConfigView, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbConfigView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CbConfigView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbConfigView, banner);
  gtk_widget_class_bind_template_child (widget_class, CbConfigView, stack);
  gtk_widget_class_bind_template_child (widget_class, CbConfigView, text_view);
  gtk_widget_class_bind_template_child (widget_class, CbConfigView, status_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "config.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "config.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
cb_config_view_init (CbConfigView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cb_banner_set_dismissible (self->banner, FALSE);
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
}

CbConfigView *
cb_config_view_new (GtkWindow *parent)
{
  return g_object_new (CB_TYPE_CONFIG_VIEW,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
}

/**
 * cb_config_view_set_form:
 * @form: (nullable): the page's form; the view follows it while it lives
 * @title: the page's title, for the subtitle
 */
void
cb_config_view_set_form (CbConfigView *self,
                         CbForm       *form,
                         const char   *title)
{
  g_return_if_fail (CB_IS_CONFIG_VIEW (self));

  cb_follow_object (self, (gpointer *) &self->form, form, "changed",
                    G_CALLBACK (form_changed_cb));
  g_free (self->page_title);
  self->page_title = g_strdup (title);
  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  render (self);
}

/* The YAML shown, without line numbers (what Copy gives). */
const char *
cb_config_view_get_text (CbConfigView *self)
{
  g_return_val_if_fail (CB_IS_CONFIG_VIEW (self), NULL);
  return self->yaml;
}

void
cb_config_view_set_filter (CbConfigView *self,
                           const char   *filter)
{
  g_return_if_fail (CB_IS_CONFIG_VIEW (self));

  if (g_strcmp0 (filter, self->filter) == 0)
    return;
  g_free (self->filter);
  self->filter = filter && *filter ? g_strdup (filter) : NULL;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                 filter ? filter : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), filter ? filter : "");
  render (self);
}
