/* bench-app.c: the app's real code, timed as a user feels it (scripts/bench runs it)
 *
 *   bench-app [--mode startup|full|census|widgets|borders|cache] [--project DIR] [--switches N]
 *             [--edits N] [--gap-ms MS] [--experiment NAME[,NAME...]]
 *
 * startup, full: runs CbApplication as command-builder does (the project given with
 *   --project, the window built by the application), and measures with bench-common.c:
 *   exec (CB_BENCH_T0_NS, set by bench-launch) to the window's first painted frame, the memory
 *   then, the first visit of Test and Predict, the memory after every tab was shown; "full"
 *   adds the switch series (idle, and with the focus in a field of the page being left) and
 *   the edit series (the batch size scale of Train, to the preview's text updated and
 *   painted), and the core's own time for the same edit. One JSON object on stdout.
 * widgets: prints the widget census (per page, per kind of row, per type) and exits.
 * borders: prints, per page, the borders GTK's cairo renderer fills with a mesh gradient (their
 *   sides not of one colour), with their areas and widgets, and exits; see print_borders_cb().
 * census: prints the rows of every page (kinds, visibility, texts, options) for bench-bare,
 *   so that the floor has the same widgets.
 * cache: times the config cache load of DIR/configs (--project), in this thread and through
 *   the cache's worker thread.
 * session: the scripted session of scripts/leak-check (every tab 100 times, every field
 *   edited, copy, reset, the demo run and stopped if the window has win.run), then quits as
 *   Ctrl+Q does and tears everything down, so that valgrind sees what is left.
 *
 * Experiments (--experiment) change the window's widgets the way a fix in src/gui would, to
 * measure the fix before it is made; see docs/performance.md. Here: relayout-before-click
 * (the window allocated at other sizes once before the first click), no-preview-update (tab
 * switches leave the preview alone), stack-not-homogeneous, stack-crossfade, no-subtitles,
 * one-line-subtitles, unfocus, no-tooltips, no-select-on-focus (GTK's select-all on a field
 * taking the focus off, and with it the PRIMARY claim), and results-after-first-frame (the config
 * snapshot and the checkpoint scan reach the window only after its first frame); in
 * bench-common.c, for the floor too: first-predict, prepaint, damage-blip (the page area
 * repainted once in idle time, as the app's warm-up does), measure-hidden, allocate-hidden
 * (the pages not shown allocated at the shown page's size, as the app's warm-up now does),
 * realize-hidden (their widgets realized), snapshot-hidden (their render nodes made: each
 * page mapped for a moment and snapshot), preload-icons (their icons looked up and loaded, and
 * kept), flat-cards, no-switcher-transition, no-transitions.
 *
 * The renderer is whatever GSK_RENDERER and GDK_DEBUG say: this program does not go through
 * main.c, so scripts/bench sets them for each series.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench-common.h"
#include "cb-application.h"
#include "cb-checkpoint-picker.h"
#include "cb-command-view.h"
#include "cb-page.h"
#include "cb-terminal-pane.h"
#include "cb-widget-util.h"
#include "cb-window.h"
#include "cb/cb-command.h"
#include "cb/cb-config.h"
#include "cb/cb-form.h"
#include "cb/cb-problem.h"

#include <vte/vte.h>

typedef struct
{
  char          *mode;
  char          *project;
  int            n_switches;
  int            n_shortcuts;
  int            n_edits;
  int            gap_ms;
  char          *experiment;

  CbApplication *app;
  CbWindow      *window;
  BenchScenario  scenario;
  GtkAdjustment *edit_adjustment;
  double         edit_values[2];
  GtkTextBuffer *preview_buffer;
  const char    *session_result;
} App;

static gboolean
has_experiment (App        *self,
                const char *name)
{
  g_auto(GStrv) names = NULL;

  if (self->experiment == NULL)
    return FALSE;
  names = g_strsplit (self->experiment, ",", -1);
  return g_strv_contains ((const char * const *) names, name);
}

static void
for_each_descendant (GtkWidget *root,
                     GType      type,
                     void     (*func) (GtkWidget *widget, gpointer data),
                     gpointer   data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    func (root, data);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    for_each_descendant (child, type, func, data);
}

/* ------------------------------------------------------------------------------------ */
/* The scenario's hooks                                                                 */

static void
switch_to (gpointer    data,
           const char *page)
{
  App *self = data;

  /* What Alt+1…3 and the tabs do. */
  gtk_widget_activate_action (GTK_WIDGET (self->window), "win.switch-page", "s", page);
}

static gboolean
pages_built (gpointer data)
{
  App *self = data;

  for (guint i = 0; i < G_N_ELEMENTS (bench_page_names); i++)
    if (!cb_page_is_built (cb_window_get_page (self->window, bench_page_names[i])))
      return FALSE;
  return TRUE;
}

static void
edit (gpointer data,
      guint    i)
{
  App *self = data;

  gtk_adjustment_set_value (self->edit_adjustment, self->edit_values[i % 2]);
}

static gboolean
edit_shown (gpointer data,
            guint    i)
{
  App *self = data;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autofree char *expected = g_strdup_printf ("batch_size=%.0f", self->edit_values[i % 2]);

  gtk_text_buffer_get_bounds (self->preview_buffer, &start, &end);
  text = gtk_text_buffer_get_text (self->preview_buffer, &start, &end, FALSE);
  return strstr (text, expected) != NULL;
}

/* Experiments: the window's widgets as a fix would leave them. */
static void
clear_subtitle (GtkWidget *row,
                gpointer   data)
{
  if (ADW_IS_ACTION_ROW (row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), "");
}

static void
one_line_subtitle (GtkWidget *row,
                   gpointer   data)
{
  if (ADW_IS_ACTION_ROW (row))
    adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
}

static void
no_tooltip (GtkWidget *widget,
            gpointer   data)
{
  gtk_widget_set_has_tooltip (widget, FALSE);
}

static void
prepare (gpointer data)
{
  App *self = data;
  GtkStack *stack = self->scenario.stack;

  if (has_experiment (self, "stack-not-homogeneous"))
    {
      gtk_stack_set_hhomogeneous (stack, FALSE);
      gtk_stack_set_vhomogeneous (stack, FALSE);
    }
  if (has_experiment (self, "stack-crossfade"))
    {
      gtk_stack_set_transition_type (stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
      gtk_stack_set_transition_duration (stack, 100);
    }
  /* The preview made taller once the pages are built: the whole window is allocated again
   * at other sizes and repainted before the first click (docs/performance.md, "first
   * visit"). */
  if (has_experiment (self, "relayout-before-click"))
    {
      GtkWidget *view = GTK_WIDGET (cb_window_get_command_view (self->window));
      GtkWidget *scroller = cb_widget_find_descendant (view, GTK_TYPE_SCROLLED_WINDOW);

      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller),
                                                  gtk_widget_get_height (scroller) + 24);
    }
  /* The window's handler of tab switches (the preview's text) not run. */
  if (has_experiment (self, "no-preview-update"))
    g_signal_handlers_block_matched (stack, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self->window);
  if (has_experiment (self, "no-subtitles"))
    for_each_descendant (GTK_WIDGET (stack), ADW_TYPE_ACTION_ROW, clear_subtitle, NULL);
  if (has_experiment (self, "one-line-subtitles"))
    for_each_descendant (GTK_WIDGET (stack), ADW_TYPE_ACTION_ROW, one_line_subtitle, NULL);
  if (has_experiment (self, "unfocus"))
    gtk_root_set_focus (GTK_ROOT (self->window), NULL);
  if (has_experiment (self, "no-select-on-focus"))
    g_object_set (gtk_settings_get_default (), "gtk-entry-select-on-focus", FALSE, NULL);
  if (has_experiment (self, "no-tooltips"))
    for_each_descendant (GTK_WIDGET (self->window), GTK_TYPE_WIDGET, no_tooltip, NULL);
}

/* The core's share of an edit: the same value change on a form of its own (no widgets
 * listening), in µs. */
static void
core_edit_json (App     *self,
                GString *json)
{
  CbPage *page = cb_window_get_page (self->window, "train");
  CbForm *shown = cb_page_get_form (page);
  g_autoptr(CbForm) form = cb_form_new (cb_form_get_schema (shown), "train");
  g_autoptr(GArray) us = g_array_new (FALSE, FALSE, sizeof (double));

  cb_form_set_project (form, cb_window_get_project (self->window));
  cb_form_set_snapshot (form, cb_form_get_snapshot (shown));

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(GVariant) value = g_variant_ref_sink (
        g_variant_new_int64 ((gint64) self->edit_values[i % 2]));
      gint64 t = bench_now_ns ();
      const char *text;
      double v;

      cb_form_set_value (form, "batch_size", value);
      text = cb_command_get_display (cb_form_get_command (form));
      v = (bench_now_ns () - t) / 1e3;
      g_assert (text != NULL);
      g_array_append_val (us, v);
    }

  g_string_append (json, ", ");
  bench_json_stats (json, "core_edit_us", us);
}

static void widget_census_json (App     *self,
                                GString *json);

static void
extra_json (gpointer data,
            GString *json)
{
  App *self = data;
  CbPage *train = cb_window_get_page (self->window, "train");
  const char *text = cb_command_view_get_text (cb_window_get_command_view (self->window));

  g_string_append (json, ", \"experiment\": ");
  bench_json_escape (json, self->experiment ? self->experiment : "");
  g_string_append (json, ", ");
  bench_json_census (json, "census", GTK_WIDGET (self->window));
  g_string_append (json, ", ");
  widget_census_json (self, json);
  g_string_append_printf (json, ", \"rows_built\": [%u, %u, %u]",
                          cb_page_get_n_rows_built (train),
                          cb_page_get_n_rows_built (cb_window_get_page (self->window, "test")),
                          cb_page_get_n_rows_built (cb_window_get_page (self->window,
                                                                        "predict")));
  g_string_append_printf (json, ", \"preview_chars\": %zu", text ? strlen (text) : 0);
  g_string_append (json, ", \"page_errors\": {");
  for (guint i = 0; i < G_N_ELEMENTS (bench_page_names); i++)
    {
      CbForm *form = cb_page_get_form (cb_window_get_page (self->window, bench_page_names[i]));
      const char * const *errors = form ? cb_form_get_errors (form) : NULL;

      g_string_append_printf (json, "%s\"%s\": ", i ? ", " : "", bench_page_names[i]);
      bench_json_escape (json, errors && errors[0] ? errors[0] : "");
    }
  g_string_append (json, "}");
  if (g_str_equal (self->mode, "full"))
    core_edit_json (self, json);
}

/* ------------------------------------------------------------------------------------ */
/* Census: the rows of every page, for bench-bare                                       */

static const char *
row_kind (GtkWidget *row)
{
  if (ADW_IS_ENTRY_ROW (row))
    return "entry";
  if (ADW_IS_COMBO_ROW (row))
    return "combo";
  if (cb_widget_find_descendant (row, GTK_TYPE_SCALE) != NULL)
    return "slider";
  if (cb_widget_find_descendant (row, GTK_TYPE_SPIN_BUTTON) != NULL)
    return "number";
  if (cb_widget_find_descendant (row, GTK_TYPE_SWITCH) != NULL)
    return "switch";
  if (cb_widget_find_descendant (row, GTK_TYPE_DROP_DOWN) != NULL)
    return "dropdown";
  if (cb_widget_find_descendant (row, GTK_TYPE_BUTTON) != NULL)
    return "button";
  return "info";
}

/* Appends TAB and @text, escaped (g_strescape: no tab or newline is left in it). */
static void
census_field (GString    *out,
              const char *text)
{
  g_autofree char *escaped = g_strescape (text ? text : "", NULL);

  g_string_append_c (out, '\t');
  g_string_append (out, escaped);
}

static GListModel *
row_options (GtkWidget *row)
{
  GtkWidget *dropdown;

  if (ADW_IS_COMBO_ROW (row))
    return adw_combo_row_get_model (ADW_COMBO_ROW (row));
  if ((dropdown = cb_widget_find_descendant (row, GTK_TYPE_DROP_DOWN)) != NULL)
    return gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  return NULL;
}

/* What the row's control shows: an entry's or a spin button's text, a switch's state, the
 * position of the selected option. */
static char *
row_value (GtkWidget *row)
{
  GtkWidget *control;

  if (ADW_IS_ENTRY_ROW (row))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  if (ADW_IS_COMBO_ROW (row))
    return g_strdup_printf ("%u", adw_combo_row_get_selected (ADW_COMBO_ROW (row)));
  if ((control = cb_widget_find_descendant (row, GTK_TYPE_SPIN_BUTTON)) != NULL)
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (control)));
  if ((control = cb_widget_find_descendant (row, GTK_TYPE_SWITCH)) != NULL)
    return g_strdup (gtk_switch_get_active (GTK_SWITCH (control)) ? "1" : "0");
  if ((control = cb_widget_find_descendant (row, GTK_TYPE_DROP_DOWN)) != NULL)
    return g_strdup_printf ("%u", gtk_drop_down_get_selected (GTK_DROP_DOWN (control)));
  return g_strdup ("");
}

/* One line per item, fields separated by tabs, texts escaped:
 *   page NAME
 *   group VISIBLE TITLE DESCRIPTION
 *   row KIND VISIBLE TITLE SUBTITLE VALUE [OPTION...]
 *   pill LABEL
 *   preview TEXT
 *   terminal VISIBLE */
static void
census_rows (GtkWidget *widget,
             GString   *out)
{
  if (ADW_IS_PREFERENCES_GROUP (widget))
    {
      g_string_append_printf (out, "group\t%d", gtk_widget_get_visible (widget));
      census_field (out, adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)));
      census_field (out, adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget)));
      g_string_append_c (out, '\n');
    }
  else if (ADW_IS_PREFERENCES_ROW (widget))
    {
      GListModel *options = row_options (widget);
      g_autofree char *value = row_value (widget);

      g_string_append_printf (out, "row\t%s\t%d", row_kind (widget),
                              gtk_widget_get_visible (widget));
      census_field (out, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
      census_field (out, ADW_IS_ACTION_ROW (widget)
                           ? adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) : NULL);
      census_field (out, value);
      for (guint i = 0; options != NULL && i < g_list_model_get_n_items (options); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (options, i);

          census_field (out, GTK_IS_STRING_OBJECT (item)
                               ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : "");
        }
      g_string_append_c (out, '\n');
      return;
    }
  else if (GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "pill"))
    {
      g_string_append (out, "pill");
      census_field (out, gtk_button_get_label (GTK_BUTTON (widget)));
      g_string_append_c (out, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    census_rows (child, out);
}

static gboolean
print_census_cb (gpointer data)
{
  App *self = data;
  g_autoptr(GString) out = g_string_new (NULL);
  const char *text = cb_command_view_get_text (cb_window_get_command_view (self->window));

  /* Once the option lists have arrived. */
  if (!pages_built (self) || !cb_config_cache_get_loaded (cb_window_get_config_cache (self->window)))
    return G_SOURCE_CONTINUE;

  for (guint i = 0; i < G_N_ELEMENTS (bench_page_names); i++)
    {
      g_string_append_printf (out, "page\t%s\n", bench_page_names[i]);
      census_rows (GTK_WIDGET (cb_window_get_page (self->window, bench_page_names[i])), out);
    }
  g_string_append (out, "preview");
  census_field (out, text);
  g_string_append_c (out, '\n');
  {
    GtkWidget *terminal = cb_widget_find_descendant (GTK_WIDGET (self->window), VTE_TYPE_TERMINAL);

    if (terminal != NULL)
      g_string_append_printf (out, "terminal\t%d\n", gtk_widget_is_visible (terminal));
  }

  fputs (out->str, stdout);
  fflush (stdout);
  _exit (0);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------ */
/* Widget census: what the window's widgets are, per page and per kind of row            */

typedef struct
{
  guint       rows;
  guint       widgets;
  guint       hidden_rows;    /* rows not visible (a field hidden by visible_if) */
  guint       hidden_widgets; /* and their widgets */
  GHashTable *types;   /* type name → widgets of that type in rows of this kind */
} KindCensus;

static void
kind_census_free (gpointer data)
{
  KindCensus *kc = data;

  g_clear_pointer (&kc->types, g_hash_table_unref);
  g_free (kc);
}

static guint
count_widgets (GtkWidget *widget)
{
  guint n = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child);
  return n;
}

/* The row's kind as bench-bare builds it, "checkpoint" for the checkpoint picker's. */
static const char *
census_kind (GtkWidget *row)
{
  if (cb_widget_find_descendant (row, CB_TYPE_CHECKPOINT_PICKER) != NULL)
    return "checkpoint";
  return row_kind (row);
}

/* Every preferences row under @widget, by kind: how many, and their widgets; the widgets
 * outside rows (in the pages) as the kind "not-in-a-row". */
static void
census_row_kinds (GtkWidget  *widget,
                  GHashTable *kinds)
{
  if (!ADW_IS_PREFERENCES_ROW (widget))
    {
      KindCensus *kc = g_hash_table_lookup (kinds, "not-in-a-row");
      const char *name = G_OBJECT_TYPE_NAME (widget);

      if (kc == NULL)
        {
          kc = g_new0 (KindCensus, 1);
          kc->types = g_hash_table_new (g_str_hash, g_str_equal);
          g_hash_table_insert (kinds, (gpointer) "not-in-a-row", kc);
        }
      kc->widgets++;
      g_hash_table_insert (kc->types, (gpointer) name,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (kc->types,
                                                                                    name)) + 1));
    }
  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      const char *kind = census_kind (widget);
      KindCensus *kc = g_hash_table_lookup (kinds, kind);
      g_autoptr(GHashTable) types = NULL;
      GHashTableIter iter;
      gpointer key, value;
      guint n = 0;

      if (kc == NULL)
        {
          kc = g_new0 (KindCensus, 1);
          kc->types = g_hash_table_new (g_str_hash, g_str_equal);
          g_hash_table_insert (kinds, (gpointer) kind, kc);
        }
      types = bench_census (widget, &n);
      kc->rows++;
      kc->widgets += n;
      if (!gtk_widget_get_visible (widget))
        {
          kc->hidden_rows++;
          kc->hidden_widgets += n;
        }
      g_hash_table_iter_init (&iter, types);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (kc->types, key,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (kc->types,
                                                                                      key)) +
                                               GPOINTER_TO_UINT (value)));
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    census_row_kinds (child, kinds);
}

/* The window's widgets outside its pages, as the kind "not-in-a-page". */
static void
census_outside_pages (GtkWidget  *widget,
                      GHashTable *kinds)
{
  KindCensus *kc;
  const char *name = G_OBJECT_TYPE_NAME (widget);

  if (CB_IS_PAGE (widget))
    return;

  if ((kc = g_hash_table_lookup (kinds, "not-in-a-page")) == NULL)
    {
      kc = g_new0 (KindCensus, 1);
      kc->types = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (kinds, (gpointer) "not-in-a-page", kc);
    }
  kc->widgets++;
  g_hash_table_insert (kc->types, (gpointer) name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (kc->types, name)) +
                                         1));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    census_outside_pages (child, kinds);
}

static int
compare_kinds (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  GHashTable *kinds = user_data;
  const KindCensus *x = g_hash_table_lookup (kinds, *(const char **) a);
  const KindCensus *y = g_hash_table_lookup (kinds, *(const char **) b);

  if (x->widgets != y->widgets)
    return x->widgets > y->widgets ? -1 : 1;
  return strcmp (*(const char **) a, *(const char **) b);
}

static GPtrArray *
sorted_kinds (GHashTable *kinds)
{
  GPtrArray *names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, kinds);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort_with_data (names, compare_kinds, kinds);
  return names;
}

/* "widget_census": {"window": N, "pages": {"train": N, …}, "shown": {"train": N, …},
 *                   "rows": {"combo": {"rows": n, "widgets": n}, …}}
 * "shown": the widgets of the page that show with it (bench_count_shown()). */
static void
widget_census_json (App     *self,
                    GString *json)
{
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       kind_census_free);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) shown = g_string_new (NULL);

  g_string_append_printf (json, "\"widget_census\": {\"window\": %u, \"pages\": {",
                          count_widgets (GTK_WIDGET (self->window)));
  for (guint i = 0; i < G_N_ELEMENTS (bench_page_names); i++)
    {
      GtkWidget *page = GTK_WIDGET (cb_window_get_page (self->window, bench_page_names[i]));

      g_string_append_printf (json, "%s\"%s\": %u", i ? ", " : "", bench_page_names[i],
                              count_widgets (page));
      g_string_append_printf (shown, "%s\"%s\": %u", i ? ", " : "", bench_page_names[i],
                              bench_count_shown (page));
      census_row_kinds (page, kinds);
    }
  g_string_append_printf (json, "}, \"shown\": {%s}, \"rows\": {", shown->str);
  names = sorted_kinds (kinds);
  for (guint i = 0; i < names->len; i++)
    {
      const KindCensus *kc = g_hash_table_lookup (kinds, g_ptr_array_index (names, i));

      g_string_append_printf (json, "%s\"%s\": {\"rows\": %u, \"widgets\": %u}", i ? ", " : "",
                              (const char *) g_ptr_array_index (names, i), kc->rows, kc->widgets);
    }
  g_string_append (json, "}}");
}

static void
dump_tree (GtkWidget *widget,
           guint      depth)
{
  g_print ("%*s%s%s%s%s\n", (int) depth * 2, "", G_OBJECT_TYPE_NAME (widget),
           gtk_widget_get_visible (widget) ? "" : " (hidden)",
           *gtk_widget_get_name (widget) != '\0' ? " #" : "",
           *gtk_widget_get_name (widget) != '\0' ? gtk_widget_get_name (widget) : "");
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_tree (child, depth + 1);
}

static void
dump_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    {
      g_print ("\n");
      dump_tree (widget, 1);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_named (child, name);
}

/* " Type n" for the @max most numerous types of @types (type name → count). */
static char *
top_types (GHashTable *types,
           guint       max)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, types);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort_with_data (names, bench_compare_counts, types);
  for (guint i = 0; i < names->len && i < max; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      g_string_append_printf (out, " %s %u", name,
                              GPOINTER_TO_UINT (g_hash_table_lookup (types, name)));
    }
  return g_string_free (out, FALSE);
}

/* --mode widgets: the census as text, for a person: per page (and what of it shows with
 * it), per kind of row (and the types in those rows), and the most numerous types in the
 * window. BENCH_DUMP=NAME also prints the tree of each widget named NAME. */
static gboolean
print_widgets_cb (gpointer data)
{
  App *self = data;
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       kind_census_free);
  g_autoptr(GHashTable) types = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *top = NULL;
  guint n_window = 0;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self->window)) || !pages_built (self) ||
      !cb_config_cache_get_loaded (cb_window_get_config_cache (self->window)))
    return G_SOURCE_CONTINUE;

  types = bench_census (GTK_WIDGET (self->window), &n_window);
  g_print ("window: %u widgets (", n_window);
  for (guint i = 0; i < G_N_ELEMENTS (bench_page_names); i++)
    {
      GtkWidget *page = GTK_WIDGET (cb_window_get_page (self->window, bench_page_names[i]));

      g_print ("%s%s %u (shown %u)", i ? ", " : "", bench_page_names[i], count_widgets (page),
               bench_count_shown (page));
      census_row_kinds (page, kinds);
    }
  census_outside_pages (GTK_WIDGET (self->window), kinds);
  g_print (")\n\nrows by kind: rows, widgets, per row, hidden rows and their widgets; the "
           "types in them\n");
  names = sorted_kinds (kinds);
  for (guint i = 0; i < names->len; i++)
    {
      const char *kind = g_ptr_array_index (names, i);
      const KindCensus *kc = g_hash_table_lookup (kinds, kind);
      g_autofree char *kind_top = top_types (kc->types, 12);

      g_print ("  %-13s %4u %6u %6.1f  hidden %2u %4u %s\n", kind, kc->rows, kc->widgets,
               kc->rows > 0 ? (double) kc->widgets / kc->rows : 0.0, kc->hidden_rows,
               kc->hidden_widgets, kind_top);
    }

  if (g_getenv ("BENCH_DUMP") != NULL)
    dump_named (GTK_WIDGET (self->window), g_getenv ("BENCH_DUMP"));

  top = top_types (types, 40);
  g_print ("\nthe window's most numerous types:%s\n", top);
  fflush (stdout);
  _exit (0);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------ */
/* Session: a scripted session for scripts/leak-check                                   */

/* Runs what is due, then lets a frame or two be drawn. */
static void
drain (void)
{
  bench_spin_ms (2);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

typedef struct
{
  CbTerminalPane *pane;
  gboolean        running;
} RunWait;

static gboolean
run_state_is (gpointer data)
{
  RunWait *wait = data;

  return cb_terminal_pane_get_running (wait->pane) == wait->running;
}

/* Every control of @page changed once (and most back): entries, switches, combo rows,
 * drop-downs, scales and spin buttons; the suggested setups applied. */
static void
edit_controls (GtkWidget *widget,
               guint      round)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_is_sensitive (widget))
    return;

  if (ADW_IS_ENTRY_ROW (widget))
    {
      g_autofree char *text = g_strdup_printf ("leak_check_%u", round);
      g_autofree char *before = g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));

      gtk_editable_set_text (GTK_EDITABLE (widget), text);
      drain ();
      gtk_editable_set_text (GTK_EDITABLE (widget), before);
      drain ();
      return;
    }
  if (ADW_IS_COMBO_ROW (widget))
    {
      GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (widget));
      guint before = adw_combo_row_get_selected (ADW_COMBO_ROW (widget));

      for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (widget), i);
          drain ();
        }
      adw_combo_row_set_selected (ADW_COMBO_ROW (widget), before);
      drain ();
      return;
    }
  if (GTK_IS_DROP_DOWN (widget))
    {
      GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));
      guint before = gtk_drop_down_get_selected (GTK_DROP_DOWN (widget));

      for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
        {
          gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), i);
          drain ();
        }
      gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), before);
      drain ();
      return;
    }
  if (GTK_IS_SWITCH (widget))
    {
      gboolean before = gtk_switch_get_active (GTK_SWITCH (widget));

      gtk_switch_set_active (GTK_SWITCH (widget), !before);
      drain ();
      gtk_switch_set_active (GTK_SWITCH (widget), before);
      drain ();
      return;
    }
  if (GTK_IS_SPIN_BUTTON (widget))
    {
      gtk_spin_button_spin (GTK_SPIN_BUTTON (widget), GTK_SPIN_STEP_FORWARD, 0);
      drain ();
      gtk_spin_button_spin (GTK_SPIN_BUTTON (widget), GTK_SPIN_STEP_BACKWARD, 0);
      drain ();
      return;
    }
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                 "page.apply-use-case") == 0)
    {
      g_signal_emit_by_name (widget, "clicked");
      drain ();
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      edit_controls (child, round);
      child = next;
    }
}

static gboolean
session_cb (gpointer data)
{
  App *self = data;
  GtkWidget *window = GTK_WIDGET (self->window);
  CbTerminalPane *pane;
  const char *run_result = "skipped: the window has no win.run action";

  if (!gtk_widget_get_mapped (window) || !pages_built (self) ||
      !cb_config_cache_get_loaded (cb_window_get_config_cache (self->window)))
    return G_SOURCE_CONTINUE;

  /* Every tab, 100 times. */
  for (guint i = 0; i < 100; i++)
    for (guint p = 0; p < G_N_ELEMENTS (bench_page_names); p++)
      {
        gtk_widget_activate_action (window, "win.switch-page", "s",
                                    bench_page_names[(p + 1) % 3]);
        drain ();
      }

  /* Every field of every page, then the preview's two forms, then copy and reset. */
  for (guint p = 0; p < G_N_ELEMENTS (bench_page_names); p++)
    {
      CbPage *page = cb_window_get_page (self->window, bench_page_names[p]);

      gtk_widget_activate_action (window, "win.switch-page", "s", bench_page_names[p]);
      drain ();
      edit_controls (GTK_WIDGET (page), p);
      gtk_widget_activate_action (window, "win.multiline-preview", NULL);
      drain ();
      gtk_widget_activate_action (window, "win.multiline-preview", NULL);
      drain ();
      gtk_widget_activate_action (window, "win.copy-command", NULL);
      drain ();
    }
  gtk_widget_activate_action (window, "win.switch-page", "s", "train");
  drain ();
  gtk_widget_activate_action (GTK_WIDGET (cb_window_get_page (self->window, "train")),
                              "page.reset", NULL);
  drain ();

  /* Run the demo's training and stop it, if the window can by now. */
  pane = cb_window_get_terminal_pane (self->window);
  if (pane != NULL && gtk_widget_activate_action (window, "win.run", NULL))
    {
      RunWait started = { pane, TRUE }, ended = { pane, FALSE };

      if (!bench_spin_until (run_state_is, &started, 60000))
        run_result = "failed: win.run started nothing within 60 s";
      else
        {
          bench_spin_ms (3000);
          gtk_widget_activate_action (window, "win.stop", NULL);
          run_result = bench_spin_until (run_state_is, &ended, 120000)
                         ? "ran and stopped"
                         : "failed: the run did not stop within 120 s";
        }
    }
  g_printerr ("leak-check session: run and stop: %s\n", run_result);
  self->session_result = run_result;

  /* Quit as the user does: Ctrl+Q closes the windows, and the application ends. */
  g_action_group_activate_action (G_ACTION_GROUP (self->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------ */
/* The application                                                                      */

static void
startup_cb (GApplication  *app,
            BenchScenario *sc)
{
  bench_scenario_mark (sc, "app-startup");
}

static void
mark_cb (GObject    *object,
         GParamSpec *pspec,
         const char *name)
{
  App *self = g_object_get_data (object, "bench-app");

  if (self->scenario.first_paint == 0)
    bench_scenario_mark (&self->scenario, name);
}

static void
scanned_mark_cb (GObject    *scanner,
                 const char *name)
{
  mark_cb (scanner, NULL, name);
}

/* results-after-first-frame: the config snapshot and the checkpoint scan, if they land
 * before the first frame, reach the window and the pages only after it (as if their tasks
 * returned at a priority below GDK's redraw). */
static void
block_results (App      *self,
               gboolean  block)
{
  CbConfigCache *cache = cb_window_get_config_cache (self->window);
  g_autoptr(CbCheckpointScanner) scanner = NULL;
  gpointer targets[4];

  targets[0] = self->window;
  for (guint i = 0; i < G_N_ELEMENTS (bench_page_names); i++)
    targets[i + 1] = cb_window_get_page (self->window, bench_page_names[i]);
  g_object_get (self->window, "checkpoint-scanner", &scanner, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      if (block)
        {
          g_signal_handlers_block_matched (cache, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                           targets[i]);
          if (scanner != NULL)
            g_signal_handlers_block_matched (scanner, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                             targets[i]);
        }
      else
        {
          g_signal_handlers_unblock_matched (cache, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                             targets[i]);
          if (scanner != NULL)
            g_signal_handlers_unblock_matched (scanner, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                               targets[i]);
        }
    }

  if (!block)
    {
      if (cb_config_cache_get_loaded (cache))
        {
          g_object_notify (G_OBJECT (cache), "loaded");
          g_object_notify (G_OBJECT (cache), "snapshot");
        }
      if (scanner != NULL && cb_checkpoint_scanner_get_loaded (scanner))
        g_signal_emit_by_name (scanner, "scanned");
    }
}

static void
unblock_results_cb (GdkFrameClock *clock,
                    App           *self)
{
  g_signal_handlers_disconnect_by_func (clock, unblock_results_cb, self);
  block_results (self, FALSE);
}

/* Marks the config snapshot's arrival (before the pages handle it, and after) and the
 * checkpoint scan's, while start-up lasts. */
static void
realize_marks_cb (GtkWidget *window,
                  App       *self)
{
  CbConfigCache *cache = cb_window_get_config_cache (self->window);
  g_autoptr(CbCheckpointScanner) scanner = NULL;

  g_object_get (window, "checkpoint-scanner", &scanner, NULL);
  if (has_experiment (self, "results-after-first-frame"))
    {
      block_results (self, TRUE);
      g_signal_connect_after (gtk_widget_get_frame_clock (window), "after-paint",
                              G_CALLBACK (unblock_results_cb), self);
    }
  if (cache != NULL)
    {
      g_object_set_data (G_OBJECT (cache), "bench-app", self);
      if (cb_config_cache_get_loaded (cache))
        bench_scenario_mark (&self->scenario, "configs-loaded-before-realize");
      g_signal_connect (cache, "notify::loaded", G_CALLBACK (mark_cb), (gpointer) "configs-arrive");
      g_signal_connect_after (cache, "notify::loaded", G_CALLBACK (mark_cb),
                              (gpointer) "configs-shown");
      g_signal_connect (cache, "notify::snapshot", G_CALLBACK (mark_cb),
                        (gpointer) "snapshot-arrive");
      g_signal_connect_after (cache, "notify::snapshot", G_CALLBACK (mark_cb),
                              (gpointer) "snapshot-shown");
    }
  if (scanner != NULL)
    {
      g_object_set_data (G_OBJECT (scanner), "bench-app", self);
      g_signal_connect (scanner, "scanned", G_CALLBACK (scanned_mark_cb),
                        (gpointer) "checkpoints-arrive");
      g_signal_connect_after (scanner, "scanned", G_CALLBACK (scanned_mark_cb),
                              (gpointer) "checkpoints-shown");
    }
}

/* --mode borders: what of each page GTK 4.8's cairo renderer paints the slow way. A border
 * whose four sides are not of one colour (a line on one side only: the others keep the
 * theme's currentColor) is filled with a cairo mesh gradient, pixel by pixel over the whole
 * widget. Each page is shown, the window drawn into a render node as a frame does, and every
 * such border is listed with its place (window coordinates, the whole scrolled page), widths,
 * colours and area (a GTK built with debugging and GTK_DEBUG=snapshot also names the widget). */
typedef struct
{
  guint   n;
  double  area;
} BorderCount;

static void
walk_borders (GskRenderNode *node,
              GskTransform  *transform,
              const char    *owner,
              GHashTable    *counts,
              BorderCount   *total)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        walk_borders (gsk_container_node_get_child (node, i), transform, owner, counts, total);
      break;
    case GSK_DEBUG_NODE:
      {
        const char *message = gsk_debug_node_get_message (node);
        g_autofree char *name = message ? g_strndup (message, strcspn (message, "<")) : NULL;

        walk_borders (gsk_debug_node_get_child (node), transform, name ? name : owner, counts, total);
        break;
      }
    case GSK_TRANSFORM_NODE:
      {
        GskTransform *inner = gsk_transform_transform (gsk_transform_ref (transform),
                                                       gsk_transform_node_get_transform (node));

        walk_borders (gsk_transform_node_get_child (node), inner, owner, counts, total);
        gsk_transform_unref (inner);
        break;
      }
    case GSK_CLIP_NODE:
      walk_borders (gsk_clip_node_get_child (node), transform, owner, counts, total);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      walk_borders (gsk_rounded_clip_node_get_child (node), transform, owner, counts, total);
      break;
    case GSK_OPACITY_NODE:
      walk_borders (gsk_opacity_node_get_child (node), transform, owner, counts, total);
      break;
    case GSK_COLOR_MATRIX_NODE:
      walk_borders (gsk_color_matrix_node_get_child (node), transform, owner, counts, total);
      break;
    case GSK_SHADOW_NODE:
      walk_borders (gsk_shadow_node_get_child (node), transform, owner, counts, total);
      break;
    case GSK_BLUR_NODE:
      walk_borders (gsk_blur_node_get_child (node), transform, owner, counts, total);
      break;
    case GSK_REPEAT_NODE:
      walk_borders (gsk_repeat_node_get_child (node), transform, owner, counts, total);
      break;
    case GSK_BLEND_NODE:
      walk_borders (gsk_blend_node_get_bottom_child (node), transform, owner, counts, total);
      walk_borders (gsk_blend_node_get_top_child (node), transform, owner, counts, total);
      break;
    case GSK_CROSS_FADE_NODE:
      walk_borders (gsk_cross_fade_node_get_start_child (node), transform, owner, counts, total);
      walk_borders (gsk_cross_fade_node_get_end_child (node), transform, owner, counts, total);
      break;
    case GSK_BORDER_NODE:
      {
        const GdkRGBA *colors = gsk_border_node_get_colors (node);
        graphene_rect_t bounds;
        graphene_rect_t window_bounds;
        g_autofree char *widget = NULL;
        BorderCount *count;

        if (gdk_rgba_equal (&colors[0], &colors[1]) && gdk_rgba_equal (&colors[0], &colors[2]) &&
            gdk_rgba_equal (&colors[0], &colors[3]))
          break;

        gsk_render_node_get_bounds (node, &bounds);
        gsk_transform_transform_bounds (transform, &bounds, &window_bounds);
        {
          const float *widths = gsk_border_node_get_widths (node);
          g_autofree char *c0 = gdk_rgba_to_string (&colors[0]);
          g_autofree char *c2 = gdk_rgba_to_string (&colors[2]);

          widget = g_strdup_printf ("%s%sat %.0f,%.0f %.0fx%.0f, widths %g %g %g %g, top %s, "
                                    "bottom %s", owner ? owner : "", owner ? " " : "",
                                    window_bounds.origin.x, window_bounds.origin.y,
                                    window_bounds.size.width, window_bounds.size.height,
                                    widths[0], widths[1], widths[2], widths[3], c0, c2);
        }
        count = g_hash_table_lookup (counts, widget);
        if (count == NULL)
          {
            count = g_new0 (BorderCount, 1);
            g_hash_table_insert (counts, g_strdup (widget), count);
          }
        count->n++;
        count->area += bounds.size.width * bounds.size.height;
        total->n++;
        total->area += bounds.size.width * bounds.size.height;
        break;
      }
    case GSK_NOT_A_RENDER_NODE:
    case GSK_CAIRO_NODE:
    case GSK_COLOR_NODE:
    case GSK_LINEAR_GRADIENT_NODE:
    case GSK_REPEATING_LINEAR_GRADIENT_NODE:
    case GSK_RADIAL_GRADIENT_NODE:
    case GSK_REPEATING_RADIAL_GRADIENT_NODE:
    case GSK_CONIC_GRADIENT_NODE:
    case GSK_TEXTURE_NODE:
    case GSK_INSET_SHADOW_NODE:
    case GSK_OUTSET_SHADOW_NODE:
    case GSK_TEXT_NODE:
    case GSK_GL_SHADER_NODE:
    default:
      break;
    }
}

static gint
border_count_compare (gconstpointer a,
                      gconstpointer b,
                      gpointer      counts)
{
  const BorderCount *x = g_hash_table_lookup (counts, *(const char * const *) a);
  const BorderCount *y = g_hash_table_lookup (counts, *(const char * const *) b);

  return x->area < y->area ? 1 : x->area > y->area ? -1 : 0;
}

static gboolean
print_borders_cb (gpointer data)
{
  App *self = data;
  static guint page;
  static guint settle;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autofree const char **names = NULL;
  BorderCount total = { 0, 0 };
  guint n_names;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self->window)) || !pages_built (self))
    return G_SOURCE_CONTINUE;
  if (settle++ == 0)
    {
      switch_to (self, bench_page_names[page]);
      return G_SOURCE_CONTINUE;
    }
  settle = 0;

  paintable = gtk_widget_paintable_new (GTK_WIDGET (self->window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (GTK_WIDGET (self->window)),
                          gtk_widget_get_height (GTK_WIDGET (self->window)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (node != NULL)
    walk_borders (node, NULL, NULL, counts, &total);

  g_print ("%s: %u borders of more than one colour, %.0f px (window %d x %d)\n",
           bench_page_names[page], total.n, total.area,
           gtk_widget_get_width (GTK_WIDGET (self->window)),
           gtk_widget_get_height (GTK_WIDGET (self->window)));
  names = (const char **) g_hash_table_get_keys_as_array (counts, &n_names);
  g_qsort_with_data (names, n_names, sizeof (char *), border_count_compare, counts);
  for (guint i = 0; i < n_names; i++)
    {
      BorderCount *count = g_hash_table_lookup (counts, names[i]);

      g_print ("  %4u %9.0f px  %s\n", count->n, count->area, names[i]);
    }

  if (++page < G_N_ELEMENTS (bench_page_names))
    return G_SOURCE_CONTINUE;
  g_application_quit (g_application_get_default ());
  return G_SOURCE_REMOVE;
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 App            *self)
{
  if (!CB_IS_WINDOW (window) || self->window != NULL)
    return;

  self->window = CB_WINDOW (window);

  if (g_str_equal (self->mode, "census"))
    {
      g_timeout_add (100, print_census_cb, self);
      return;
    }
  if (g_str_equal (self->mode, "widgets"))
    {
      g_timeout_add (100, print_widgets_cb, self);
      return;
    }
  if (g_str_equal (self->mode, "borders"))
    {
      g_timeout_add (200, print_borders_cb, self);
      return;
    }
  if (g_str_equal (self->mode, "session"))
    {
      /* Under valgrind every pixel costs: a small window, and no animation frames. */
      gtk_window_set_default_size (window, 600, 500);
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      g_timeout_add (100, session_cb, self);
      return;
    }

  /* When the app's background work lands on the UI thread during start-up. */
  g_signal_connect_after (window, "realize", G_CALLBACK (realize_marks_cb), self);

  self->scenario.window = GTK_WIDGET (window);
  self->scenario.stack =
    GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (cb_window_get_page (self->window,
                                                                      "train"))));
  bench_scenario_watch (&self->scenario);
}

/* The value of the first edit and of the second, alternately: two steps of the scale. */
static void
prepare_edit (App *self)
{
  CbPage *train = cb_window_get_page (self->window, "train");
  GtkWidget *scale = cb_page_get_control (train, "batch_size");
  double lower, upper, step, value;

  if (scale == NULL || !GTK_IS_RANGE (scale))
    bench_fail ("Train has no batch_size scale");

  self->edit_adjustment = gtk_range_get_adjustment (GTK_RANGE (scale));
  lower = gtk_adjustment_get_lower (self->edit_adjustment);
  upper = gtk_adjustment_get_upper (self->edit_adjustment);
  step = gtk_adjustment_get_step_increment (self->edit_adjustment);
  value = gtk_adjustment_get_value (self->edit_adjustment);
  self->edit_values[0] = value + step <= upper ? value + step : value - step;
  self->edit_values[1] = value;
  if (self->edit_values[0] < lower)
    bench_fail ("the batch_size scale has no room to move");

  self->preview_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
    cb_widget_find_descendant (GTK_WIDGET (cb_window_get_command_view (self->window)),
                     GTK_TYPE_TEXT_VIEW)));
}

static void
prepare_all (gpointer data)
{
  App *self = data;

  prepare_edit (self);
  prepare (self);
}

static int
run_cache (App *self)
{
  g_autofree char *configs = g_build_filename (self->project, "configs", NULL);
  g_autoptr(GArray) sync_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) async_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) json = g_string_new ("{");
  guint n_files = 0;

  for (guint i = 0; i < 21; i++)
    {
      g_autoptr(GPtrArray) problems = cb_problem_list_new ();
      gint64 t = bench_now_ns ();
      g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, problems);
      double ms = (bench_now_ns () - t) / 1e6;

      n_files = cb_config_snapshot_get_n_files_parsed (snapshot);
      if (i > 0) /* the first warms the page cache */
        g_array_append_val (sync_ms, ms);
    }

  /* Through the cache: the worker thread's load and the hand-over to this thread. */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(CbConfigCache) cache = cb_config_cache_new (configs);
      gint64 t = bench_now_ns ();
      double ms;

      cb_config_cache_load_async (cache, NULL, NULL, NULL);
      while (!cb_config_cache_get_loaded (cache))
        g_main_context_iteration (NULL, TRUE);
      ms = (bench_now_ns () - t) / 1e6;
      g_array_append_val (async_ms, ms);
    }

  g_string_append (json, "\"configs\": ");
  bench_json_escape (json, configs);
  g_string_append_printf (json, ", \"files_parsed\": %u, ", n_files);
  bench_json_stats (json, "load_ms", sync_ms);
  g_string_append (json, ", ");
  bench_json_stats (json, "async_load_ms", async_ms);
  g_string_append (json, "}\n");
  fputs (json->str, stdout);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  App self = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &self.mode, "startup, full, census, widgets, borders, cache or session",
      "MODE" },
    { "project", 0, 0, G_OPTION_ARG_FILENAME, &self.project, "The project", "DIR" },
    { "switches", 0, 0, G_OPTION_ARG_INT, &self.n_switches, "Switches per series", "N" },
    { "shortcuts", 0, 0, G_OPTION_ARG_INT, &self.n_shortcuts, "Alt+N switches, focus on a tab",
      "N" },
    { "edits", 0, 0, G_OPTION_ARG_INT, &self.n_edits, "Edits", "N" },
    { "gap-ms", 0, 0, G_OPTION_ARG_INT, &self.gap_ms, "Idle time before each request", "MS" },
    { "experiment", 0, 0, G_OPTION_ARG_STRING, &self.experiment, "Experiments", "NAMES" },
    { NULL }
  };
  g_autofree char *project = NULL;
  int status;

  bench_scenario_mark (&self.scenario, "main");
  self.n_switches = 300;
  self.n_shortcuts = 100;
  self.n_edits = 100;
  self.gap_ms = 50;

  context = g_option_context_new ("- time the app's real code");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    bench_fail ("%s", error->message);
  if (self.mode == NULL)
    self.mode = g_strdup ("startup");
  if (self.project == NULL)
    self.project = g_build_filename (cb_data_dir (), "demo-project", NULL);

  if (g_str_equal (self.mode, "cache"))
    return run_cache (&self);

  self.scenario.program = "app";
  self.scenario.mode = self.mode;
  self.scenario.n_switches = self.n_switches;
  self.scenario.n_shortcuts = self.n_shortcuts;
  self.scenario.n_edits = self.n_edits;
  self.scenario.gap_ms = self.gap_ms;
  self.scenario.experiment = self.experiment;
  self.scenario.switch_to = switch_to;
  self.scenario.pages_built = pages_built;
  self.scenario.prepare = prepare_all;
  self.scenario.edit = edit;
  self.scenario.edit_shown = edit_shown;
  self.scenario.extra_json = extra_json;
  self.scenario.data = &self;

  /* As command-builder starts, but never handing over to an instance already running. */
  self.app = cb_application_new ();
  g_application_set_flags (G_APPLICATION (self.app),
                           g_application_get_flags (G_APPLICATION (self.app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_signal_connect (self.app, "window-added", G_CALLBACK (window_added_cb), &self);
  g_signal_connect_after (self.app, "startup", G_CALLBACK (startup_cb), &self.scenario);

  project = g_strdup (self.project);
  {
    char *app_argv[] = { argv[0], "--project", project, NULL };

    status = g_application_run (G_APPLICATION (self.app), 3, app_argv);
  }

  g_object_unref (self.app);
  if (self.session_result != NULL && !g_str_has_prefix (self.session_result, "failed"))
    g_print ("session: %s\n", self.session_result);
  else if (self.session_result != NULL)
    status = 1;
  g_free (self.mode);
  g_free (self.project);
  g_free (self.experiment);
  g_clear_pointer (&self.scenario.marks, g_array_unref);
  return status;
}
