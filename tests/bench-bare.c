/* bench-bare.c: the floor: a bare GTK4 window with the app's widgets and none of its logic
 *
 *   bench-bare [--mode startup|full|idle] [--spec FILE] [--build visible|all] [--switches N]
 *              [--shortcuts N] [--edits N] [--gap-ms MS] [--experiment NAME[,NAME...]]
 *
 * Measured by bench-common.c exactly as bench-app measures the app (scripts/bench runs both in
 * the same run). The widgets come from --spec, which `bench-app --mode census` writes from the
 * app's own pages once their option lists have arrived, so the floor shows the same rows,
 * groups and texts (the same glyphs to lay out and draw). One line per item, tab-separated,
 * texts escaped with g_strescape():
 *
 *   page     NAME
 *   group    VISIBLE TITLE DESCRIPTION
 *   row      KIND VISIBLE TITLE SUBTITLE VALUE [OPTION...]
 *            KIND: entry (AdwEntryRow), switch (GtkSwitch), combo (AdwComboRow), dropdown
 *            (GtkDropDown with search), slider (GtkScale + GtkSpinButton), number
 *            (GtkSpinButton), info (subtitle only), button (a GtkButton); VALUE: the entry's
 *            text, the spin button's value, the switch's 0/1, the selected option's position
 *   pill     LABEL (a pill button under the groups)
 *   preview  TEXT (the command)
 *   terminal VISIBLE (a VteTerminal in a pane under the command, as the end child of a
 *            vertical GtkPaned; shown or not)
 *
 * --mode idle measures nothing: it shows the window, with Alt+1…3 bound to the pages as in
 * the app, and stays open until killed, for a driver outside the process (bench-outside).
 * Without --spec, its pages differ from each other (see default_spec()).
 *
 * Without --spec: 3 pages x 30 rows (5 of each of entry, switch, combo, slider, number,
 * info) in 3 groups, a 600-character command, and a terminal.
 *
 * Like the app, the visible page is built before the first frame and the others in idle
 * time after it (--build all: every page before the first frame). A tab switch only shows
 * another page; the command text never changes except on an edit, when the first scale of
 * Train writes its value into it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vte/vte.h>

#include "bench-common.h"

typedef struct
{
  char     *kind;       /* group, pill, or a row's kind */
  gboolean  visible;
  char     *title;      /* a row's or a group's title, a pill's label */
  char     *subtitle;   /* a row's subtitle, a group's description */
  char     *value;      /* what the control shows: text, switch state, selected position */
  char    **options;
} SpecItem;

typedef struct
{
  char      *name;
  GArray    *items;     /* SpecItem */
  GtkWidget *box;       /* where its groups go */
  gboolean   built;
} SpecPage;

typedef struct
{
  char          *mode;
  char          *spec_file;
  char          *build;
  int            n_switches;
  int            n_shortcuts;
  int            n_edits;
  int            gap_ms;
  char          *experiment;

  SpecPage       pages[3];
  char          *preview_text;
  gboolean       terminal;
  gboolean       terminal_visible;

  GtkWidget     *window;
  GtkStack      *stack;
  GtkTextBuffer *preview_buffer;
  GtkAdjustment *edit_adjustment;
  double         edit_values[2];
  guint          build_source;
  gulong         first_paint_handler;
  BenchScenario  scenario;
} Bare;

static char *
text_of (guint n)
{
  static const char lorem[] =
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
    "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. ";
  GString *text = g_string_sized_new (n + 1);

  while (text->len < n)
    g_string_append_len (text, lorem, MIN (n - text->len, sizeof lorem - 1));
  return g_string_free (text, FALSE);
}

static gboolean
has_experiment (Bare       *self,
                const char *name)
{
  g_auto(GStrv) names = NULL;

  if (self->experiment == NULL)
    return FALSE;
  names = g_strsplit (self->experiment, ",", -1);
  return g_strv_contains ((const char * const *) names, name);
}

/* ------------------------------------------------------------------------------------ */
/* The spec                                                                             */

static void
add_item (SpecPage   *page,
          const char *kind,
          gboolean    visible,
          char       *title,
          char       *subtitle,
          char       *value,
          char      **options)
{
  SpecItem item = { g_strdup (kind), visible, title, subtitle, value, options };

  g_array_append_val (page->items, item);
}

static gboolean
is_kind (const SpecItem *item,
         const char     *kind)
{
  return g_str_equal (item->kind, kind);
}

static void
default_spec (Bare *self)
{
  static const char *kinds[] = { "entry", "switch", "combo", "slider", "number", "info" };
  /* Seen from outside (--mode idle), a switch between identical pages would change no pixels
   * but the tabs' (GTK redraws what differs): there, the pages differ as the app's do, in
   * the order of their rows and in their titles, which start with the page's number. */
  gboolean distinct = g_str_equal (self->mode, "idle");

  for (guint p = 0; p < 3; p++)
    {
      for (guint r = 0; r < 30; r++)
        {
          const char *kind = kinds[(r + (distinct ? p : 0)) % G_N_ELEMENTS (kinds)];
          char **options = g_new0 (char *, 6);
          char *title;

          for (guint i = 0; i < 5; i++)
            options[i] = g_strdup_printf ("option_%u", i);
          if (r % 10 == 0)
            add_item (&self->pages[p], "group", TRUE, text_of (10), g_strdup (""), NULL, NULL);
          title = text_of (16);
          if (distinct)
            title[0] = '1' + p;
          add_item (&self->pages[p], kind, TRUE, title,
                    text_of (g_str_equal (kind, "info") ? 60 : 0),
                    g_strdup (g_str_equal (kind, "entry") ? "value" : "0"), options);
        }
      add_item (&self->pages[p], "pill", TRUE, g_strdup ("_Reset to Defaults"), NULL, NULL,
                NULL);
    }
  self->preview_text = text_of (600);
  self->terminal = TRUE;
  self->terminal_visible = TRUE;
}

/* The format `bench-app --mode census` writes: tab-separated fields, g_strescape'd texts. */
static void
load_spec (Bare *self)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  SpecPage *page = NULL;

  if (!g_file_get_contents (self->spec_file, &contents, NULL, &error))
    bench_fail ("%s", error->message);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) w = g_strsplit (lines[i], "\t", -1);
      guint n = g_strv_length (w);

      if (n == 0 || *w[0] == '\0')
        continue;
      if (g_str_equal (w[0], "page") && n == 2)
        {
          page = NULL;
          for (guint p = 0; p < 3; p++)
            if (g_str_equal (w[1], bench_page_names[p]))
              page = &self->pages[p];
        }
      else if (g_str_equal (w[0], "group") && n == 4 && page != NULL)
        add_item (page, "group", atoi (w[1]), g_strcompress (w[2]), g_strcompress (w[3]), NULL,
                  NULL);
      else if (g_str_equal (w[0], "row") && n >= 6 && page != NULL)
        {
          char **options = g_new0 (char *, n - 6 + 1);

          for (guint k = 6; k < n; k++)
            options[k - 6] = g_strcompress (w[k]);
          add_item (page, w[1], atoi (w[2]), g_strcompress (w[3]), g_strcompress (w[4]),
                    g_strcompress (w[5]), options);
        }
      else if (g_str_equal (w[0], "pill") && n == 2 && page != NULL)
        add_item (page, "pill", TRUE, g_strcompress (w[1]), NULL, NULL, NULL);
      else if (g_str_equal (w[0], "preview") && n == 2)
        self->preview_text = g_strcompress (w[1]);
      else if (g_str_equal (w[0], "terminal") && n == 2)
        {
          self->terminal = TRUE;
          self->terminal_visible = atoi (w[1]);
        }
      else
        bench_fail ("%s:%u: cannot read '%s'", self->spec_file, i + 1, lines[i]);
    }

  if (self->preview_text == NULL)
    self->preview_text = g_strdup ("");
}

/* ------------------------------------------------------------------------------------ */
/* The widgets                                                                          */

static GtkWidget *
hidden_error_icon (void)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_widget_set_visible (icon, FALSE);
  return icon;
}

static GtkStringList *
options_of (const SpecItem *item)
{
  return gtk_string_list_new ((const char * const *) item->options);
}

static guint
selected_of (const SpecItem *item)
{
  guint n = item->options ? g_strv_length (item->options) : 0;
  guint selected = item->value ? (guint) atoi (item->value) : 0;

  return selected < n ? selected : GTK_INVALID_LIST_POSITION;
}

static GtkWidget *
new_row (Bare           *self,
         const SpecItem *item)
{
  GtkWidget *row;

  if (is_kind (item, "entry"))
    {
      row = adw_entry_row_new ();
      /* The app's rows show file-provided text as it is (cb-field-row.c, cb-page.c): no
       * markup, so that "Weights & Biases" is a title and not a markup error. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->title);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), hidden_error_icon ());
      gtk_editable_set_text (GTK_EDITABLE (row), item->value ? item->value : "");
      return row;
    }

  if (is_kind (item, "combo"))
    {
      g_autoptr(GtkStringList) list = options_of (item);

      row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected_of (item));
    }
  else
    row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->title);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), is_kind (item, "info") ? 0 : 3);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), hidden_error_icon ());

  if (is_kind (item, "switch"))
    {
      GtkWidget *sw = gtk_switch_new ();

      gtk_switch_set_active (GTK_SWITCH (sw), g_strcmp0 (item->value, "1") == 0);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
    }
  else if (is_kind (item, "dropdown"))
    {
      GtkWidget *dropdown = gtk_drop_down_new (G_LIST_MODEL (options_of (item)),
                                               gtk_property_expression_new (
                                                 GTK_TYPE_STRING_OBJECT, NULL, "string"));

      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected_of (item));
      gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), TRUE);
      gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), dropdown);
    }
  else if (is_kind (item, "slider") || is_kind (item, "number"))
    {
      double value = item->value ? g_ascii_strtod (item->value, NULL) : 0;
      GtkAdjustment *adjustment = gtk_adjustment_new (value, MIN (value, 0) - 1,
                                                      MAX (value, 0) * 4 + 64, 1, 10, 0);
      GtkWidget *spin;

      if (is_kind (item, "slider"))
        {
          GtkWidget *scale = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, adjustment);

          gtk_scale_set_draw_value (GTK_SCALE (scale), FALSE);
          gtk_widget_set_size_request (scale, 160, -1);
          gtk_widget_set_valign (scale, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), scale);
          if (self->edit_adjustment == NULL)
            self->edit_adjustment = adjustment;
        }
      spin = gtk_spin_button_new (adjustment, 1, 0);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_editable_set_width_chars (GTK_EDITABLE (spin), 7);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
    }
  else if (is_kind (item, "button"))
    {
      GtkWidget *button = gtk_button_new_with_mnemonic ("_Apply");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("object-select-symbolic"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), item->subtitle ? item->subtitle : "");
  return row;
}

static void
build_page (Bare     *self,
            SpecPage *page)
{
  AdwPreferencesGroup *group = NULL;

  if (page->built)
    return;
  page->built = TRUE;

  for (guint i = 0; i < page->items->len; i++)
    {
      SpecItem *item = &g_array_index (page->items, SpecItem, i);

      if (is_kind (item, "group"))
        {
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, item->title);
          adw_preferences_group_set_description (group, item->subtitle);
          gtk_widget_set_visible (GTK_WIDGET (group), item->visible);
          gtk_box_append (GTK_BOX (page->box), GTK_WIDGET (group));
        }
      else if (is_kind (item, "pill"))
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (item->title);

          gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (button, "pill");
          gtk_box_append (GTK_BOX (page->box), button);
        }
      else
        {
          GtkWidget *row = new_row (self, item);

          if (group == NULL)
            {
              group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
              gtk_box_append (GTK_BOX (page->box), GTK_WIDGET (group));
            }
          gtk_widget_set_visible (row, item->visible);
          adw_preferences_group_add (group, row);
        }
    }
}

static GtkWidget *
new_page (Bare     *self,
          SpecPage *page)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  page->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_set_margin_top (page->box, 24);
  gtk_widget_set_margin_bottom (page->box, 24);
  gtk_widget_set_margin_start (page->box, 12);
  gtk_widget_set_margin_end (page->box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_child (ADW_CLAMP (clamp), page->box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  return scroller;
}

static GtkWidget *
new_command_area (Bare *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *heading = gtk_label_new ("Command");
  GtkWidget *copy = gtk_button_new_with_mnemonic ("_Copy");
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_widget_set_hexpand (heading, TRUE);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (header), heading);
  gtk_box_append (GTK_BOX (header), copy);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_widget_set_margin_top (header, 6);
  gtk_box_append (GTK_BOX (box), header);

  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  self->preview_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_set_text (self->preview_buffer, self->preview_text, -1);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 96);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_box_append (GTK_BOX (box), scroller);
  return box;
}

static GtkWidget *
new_window (Bare       *self,
            AdwApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *switcher = gtk_stack_switcher_new ();
  GtkWidget *menu = gtk_menu_button_new ();
  GtkWidget *stack = gtk_stack_new ();

  gtk_window_set_title (GTK_WINDOW (window), "Bare");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 820);

  self->stack = GTK_STACK (stack);
  gtk_widget_set_vexpand (stack, TRUE);
  for (guint p = 0; p < 3; p++)
    {
      static const char *titles[] = { "_Train", "T_est", "_Predict" };
      GtkStackPage *page = gtk_stack_add_titled (self->stack, new_page (self, &self->pages[p]),
                                                 bench_page_names[p], titles[p]);

      gtk_stack_page_set_use_underline (page, TRUE);
    }

  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), self->stack);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), switcher);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "open-menu-symbolic");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), stack);
  gtk_box_append (GTK_BOX (box), new_command_area (self));

  if (self->terminal)
    {
      GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
      GtkWidget *terminal = vte_terminal_new ();

      gtk_widget_set_size_request (terminal, -1, 180);
      gtk_widget_set_visible (terminal, self->terminal_visible);
      gtk_paned_set_start_child (GTK_PANED (paned), box);
      gtk_paned_set_end_child (GTK_PANED (paned), terminal);
      gtk_paned_set_resize_end_child (GTK_PANED (paned), FALSE);
      box = paned;
    }

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), box);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), overlay);
  return window;
}

/* ------------------------------------------------------------------------------------ */
/* Building in idle time, as the app does                                               */

static gboolean
build_next_page_cb (gpointer data)
{
  Bare *self = data;

  for (guint p = 0; p < 3; p++)
    if (!self->pages[p].built)
      {
        build_page (self, &self->pages[p]);
        return G_SOURCE_CONTINUE;
      }

  self->build_source = 0;
  return G_SOURCE_REMOVE;
}

static void
after_first_paint_cb (GdkFrameClock *clock,
                      Bare          *self)
{
  g_clear_signal_handler (&self->first_paint_handler, clock);
  self->build_source = g_idle_add_full (G_PRIORITY_LOW, build_next_page_cb, self, NULL);
}

static void
realize_cb (GtkWidget *window,
            Bare      *self)
{
  self->first_paint_handler = g_signal_connect (gtk_widget_get_frame_clock (window),
                                                "after-paint",
                                                G_CALLBACK (after_first_paint_cb), self);
}

/* ------------------------------------------------------------------------------------ */
/* --mode idle: Alt+1…3 show the pages, as the app's bindings do (cb-window.c)          */

static gboolean
switch_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   data)
{
  Bare *self = data;

  gtk_stack_set_visible_child_name (self->stack, g_variant_get_string (args, NULL));
  return TRUE;
}

static void
add_switch_shortcuts (Bare *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  for (guint p = 0; p < 3; p++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_1 + p,
                                                                        GDK_ALT_MASK),
                                                gtk_callback_action_new (switch_shortcut_cb,
                                                                         self, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_string (bench_page_names[p]));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (self->window, controller);
}

/* ------------------------------------------------------------------------------------ */
/* The scenario's hooks                                                                 */

static void
switch_to (gpointer    data,
           const char *page)
{
  Bare *self = data;

  gtk_stack_set_visible_child_name (self->stack, page);
}

static gboolean
pages_built (gpointer data)
{
  Bare *self = data;

  return self->pages[0].built && self->pages[1].built && self->pages[2].built;
}

/* The floor of an edit: the scale's value written into the command text. */
static void
value_changed_cb (GtkAdjustment *adjustment,
                  Bare          *self)
{
  g_autofree char *text = g_strdup_printf ("batch_size=%.0f %s",
                                           gtk_adjustment_get_value (adjustment),
                                           self->preview_text);

  gtk_text_buffer_set_text (self->preview_buffer, text, -1);
}

static void
edit (gpointer data,
      guint    i)
{
  Bare *self = data;

  gtk_adjustment_set_value (self->edit_adjustment, self->edit_values[i % 2]);
}

static gboolean
edit_shown (gpointer data,
            guint    i)
{
  Bare *self = data;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autofree char *expected = g_strdup_printf ("batch_size=%.0f", self->edit_values[i % 2]);

  gtk_text_buffer_get_bounds (self->preview_buffer, &start, &end);
  text = gtk_text_buffer_get_text (self->preview_buffer, &start, &end, FALSE);
  return strstr (text, expected) != NULL;
}

static void
prepare (gpointer data)
{
  Bare *self = data;

  if (self->edit_adjustment != NULL)
    {
      double value = gtk_adjustment_get_value (self->edit_adjustment);

      self->edit_values[0] = value + 1;
      self->edit_values[1] = value;
      g_signal_connect (self->edit_adjustment, "value-changed",
                        G_CALLBACK (value_changed_cb), self);
    }

  if (has_experiment (self, "stack-not-homogeneous"))
    {
      gtk_stack_set_hhomogeneous (self->stack, FALSE);
      gtk_stack_set_vhomogeneous (self->stack, FALSE);
    }
}

static void
extra_json (gpointer data,
            GString *json)
{
  Bare *self = data;

  g_string_append (json, ", \"experiment\": ");
  bench_json_escape (json, self->experiment ? self->experiment : "");
  g_string_append (json, ", \"spec\": ");
  bench_json_escape (json, self->spec_file ? self->spec_file : "default");
  g_string_append (json, ", ");
  bench_json_census (json, "census", self->window);
}

static void
startup_cb (GApplication  *app,
            BenchScenario *sc)
{
  bench_scenario_mark (sc, "app-startup");
}

static void
activate_cb (GApplication *app,
             Bare         *self)
{
  self->window = new_window (self, ADW_APPLICATION (app));
  self->scenario.window = self->window;
  self->scenario.stack = self->stack;

  /* The visible page before the first frame; the others after it, unless --build all. */
  build_page (self, &self->pages[0]);
  if (g_strcmp0 (self->build, "all") == 0)
    {
      build_page (self, &self->pages[1]);
      build_page (self, &self->pages[2]);
    }
  else
    g_signal_connect_after (self->window, "realize", G_CALLBACK (realize_cb), self);

  /* As in the app (its window is added to the application once constructed, with its
   * visible page built), "window" is marked now. Idle: nothing is measured here. */
  if (g_str_equal (self->mode, "idle"))
    add_switch_shortcuts (self);
  else
    bench_scenario_watch (&self->scenario);

  self->scenario.edit = self->edit_adjustment ? edit : NULL;
  gtk_window_present (GTK_WINDOW (self->window));
}

int
main (int    argc,
      char **argv)
{
  Bare self = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &self.mode, "startup, full or idle", "MODE" },
    { "spec", 0, 0, G_OPTION_ARG_FILENAME, &self.spec_file, "Widgets (bench-app --mode census)",
      "FILE" },
    { "build", 0, 0, G_OPTION_ARG_STRING, &self.build, "visible (default) or all", "WHAT" },
    { "switches", 0, 0, G_OPTION_ARG_INT, &self.n_switches, "Switches per series", "N" },
    { "shortcuts", 0, 0, G_OPTION_ARG_INT, &self.n_shortcuts, "Alt+N switches, focus on a tab",
      "N" },
    { "edits", 0, 0, G_OPTION_ARG_INT, &self.n_edits, "Edits", "N" },
    { "gap-ms", 0, 0, G_OPTION_ARG_INT, &self.gap_ms, "Idle time before each request", "MS" },
    { "experiment", 0, 0, G_OPTION_ARG_STRING, &self.experiment, "Experiments", "NAMES" },
    { NULL }
  };
  g_autoptr(AdwApplication) app = NULL;

  bench_scenario_mark (&self.scenario, "main");
  self.n_switches = 300;
  self.n_shortcuts = 100;
  self.n_edits = 100;
  self.gap_ms = 50;

  context = g_option_context_new ("- time a bare window with the app's widgets");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    bench_fail ("%s", error->message);
  if (self.mode == NULL)
    self.mode = g_strdup ("startup");

  for (guint p = 0; p < 3; p++)
    {
      self.pages[p].name = g_strdup (bench_page_names[p]);
      self.pages[p].items = g_array_new (FALSE, TRUE, sizeof (SpecItem));
    }
  if (self.spec_file != NULL)
    load_spec (&self);
  else
    default_spec (&self);

  self.scenario.program = "bare";
  self.scenario.mode = self.mode;
  self.scenario.n_switches = self.n_switches;
  self.scenario.n_shortcuts = self.n_shortcuts;
  self.scenario.n_edits = self.n_edits;
  self.scenario.gap_ms = self.gap_ms;
  self.scenario.experiment = self.experiment;
  self.scenario.switch_to = switch_to;
  self.scenario.pages_built = pages_built;
  self.scenario.prepare = prepare;
  self.scenario.edit_shown = edit_shown;
  self.scenario.extra_json = extra_json;
  self.scenario.data = &self;

  app = adw_application_new ("org.ocrkit.CommandBuilder.BenchBare", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &self);
  g_signal_connect_after (app, "startup", G_CALLBACK (startup_cb), &self.scenario);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
