/* cb-terminal-pane-search.c: finding text in the terminal pane's output (term.search,
 * Ctrl+F): literal, ignoring case, from the latest output upwards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-terminal-pane"

#include "config.h"

#include "cb-terminal-pane-private.h"

/* PCRE2 compile flags, as VteRegex takes them (pcre2.h is not a dependency of ours). */
#define PCRE2_CASELESS  0x00000008u
#define PCRE2_MULTILINE 0x00000400u

static void
search_changed_cb (GtkSearchEntry *entry,
                   CbTerminalPane *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *pattern = NULL;
  g_autoptr(GError) error = NULL;
  VteRegex *regex;

  if (text == NULL || *text == '\0')
    {
      vte_terminal_search_set_regex (self->terminal, NULL, 0);
      vte_terminal_unselect_all (self->terminal);
      return;
    }

  /* The text is searched for literally, ignoring case. */
  pattern = g_regex_escape_string (text, -1);
  regex = vte_regex_new_for_search (pattern, -1,
                                    VTE_REGEX_FLAGS_DEFAULT | PCRE2_CASELESS | PCRE2_MULTILINE,
                                    &error);
  if (regex == NULL)
    {
      g_debug ("Bad search pattern %s: %s", pattern, error->message);
      return;
    }

  vte_terminal_search_set_regex (self->terminal, regex, 0);
  vte_terminal_search_set_wrap_around (self->terminal, TRUE);
  vte_regex_unref (regex);

  /* The latest output is at the bottom: search upwards from there. */
  vte_terminal_unselect_all (self->terminal);
  vte_terminal_search_find_previous (self->terminal);
}

static void
search_activate_cb (GtkSearchEntry *entry,
                    CbTerminalPane *self)
{
  vte_terminal_search_find_previous (self->terminal);
}

static void
search_next_match_cb (GtkSearchEntry *entry,
                      CbTerminalPane *self)
{
  vte_terminal_search_find_next (self->terminal);
}

static void
search_previous_match_cb (GtkSearchEntry *entry,
                          CbTerminalPane *self)
{
  vte_terminal_search_find_previous (self->terminal);
}

static void
search_stop_cb (GtkSearchEntry *entry,
                CbTerminalPane *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->terminal));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CbTerminalPane *self = CB_TERMINAL_PANE (widget);

  if (gtk_search_bar_get_search_mode (self->search_bar) &&
      gtk_widget_has_focus (GTK_WIDGET (self->search_entry)))
    {
      search_stop_cb (self->search_entry, self);
      return;
    }

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
search_next_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  vte_terminal_search_find_next (CB_TERMINAL_PANE (widget)->terminal);
}

static void
search_previous_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  vte_terminal_search_find_previous (CB_TERMINAL_PANE (widget)->terminal);
}

void
_cb_terminal_pane_class_init_search (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_match_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_match_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_install_action (widget_class, "term.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "term.search-next", NULL, search_next_action);
  gtk_widget_class_install_action (widget_class, "term.search-previous", NULL,
                                   search_previous_action);
}
