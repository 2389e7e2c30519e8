/* cb-checkpoint-picker-rows.c: the checkpoint picker's rows: the closed drop-down's line
 * ("run · last") and the popup's items (the run's name and folder over "what · how old", a
 * check mark on the chosen one)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb-checkpoint-picker-rows.h"
#include "cb/cb-checkpoint.h"
#include "cb-widget-util.h"

/* The closed drop-down: "run · last", on one line. */
static void
setup_button_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static void
bind_button_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  CbCheckpoint *checkpoint = gtk_list_item_get_item (item);
  g_autofree char *label = cb_checkpoint_dup_label (checkpoint);
  g_autofree char *text = g_strdup_printf ("%s · %s", cb_checkpoint_get_run_title (checkpoint),
                                           label);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

/* The popup: the run's name and folder over "what · how old", and a check mark on the
 * chosen one. */
static void
setup_item_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *folder = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_widget_add_css_class (box, "cb-checkpoint-item");
  /* The popup is as wide as its widest item: wider than the drop-down, so that runs and
   * names fit. */
  gtk_widget_set_size_request (box, 340, -1);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 30);
  /* The run's folder: for Hydra's dated layout, when it ran. */
  gtk_label_set_xalign (GTK_LABEL (folder), 1);
  gtk_label_set_ellipsize (GTK_LABEL (folder), PANGO_ELLIPSIZE_START);
  gtk_label_set_max_width_chars (GTK_LABEL (folder), 22);
  gtk_widget_set_hexpand (folder, TRUE);
  gtk_widget_set_halign (folder, GTK_ALIGN_END);
  gtk_widget_add_css_class (folder, "caption");
  gtk_widget_add_css_class (folder, "dim-label");
  gtk_widget_add_css_class (folder, "numeric");
  gtk_box_append (GTK_BOX (heading), title);
  gtk_box_append (GTK_BOX (heading), folder);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 44);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (row), box);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (row), check);
  gtk_list_item_set_child (item, row);
}

static void
update_check_mark (GtkDropDown *dropdown,
                   GParamSpec  *pspec,
                   GtkListItem *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (check, gtk_drop_down_get_selected_item (dropdown) ==
                                 gtk_list_item_get_item (item) ? 1 : 0);
}

static void
bind_item_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              GtkDropDown              *dropdown)
{
  CbCheckpoint *checkpoint = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *heading = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (heading);
  GtkWidget *folder = gtk_widget_get_next_sibling (title);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (heading);
  const char *run_title = cb_checkpoint_get_run_title (checkpoint);
  const char *run = cb_checkpoint_get_run (checkpoint);
  g_autofree char *label = cb_checkpoint_dup_label (checkpoint);
  g_autofree char *age = cb_checkpoint_format_age (checkpoint,
                                                   g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *details = g_strdup_printf ("%s · %s", label, age);

  gtk_label_set_label (GTK_LABEL (title), run_title);
  /* The folder, unless the title is the folder already. */
  gtk_label_set_label (GTK_LABEL (folder), g_str_equal (run_title, run) ? "" : run);
  gtk_widget_set_visible (folder, !g_str_equal (run_title, run));
  gtk_label_set_label (GTK_LABEL (subtitle), details);
  cb_widget_set_list_tooltip (box, cb_checkpoint_get_path (checkpoint));

  g_signal_connect (dropdown, "notify::selected-item", G_CALLBACK (update_check_mark), item);
  update_check_mark (dropdown, NULL, item);
}

static void
unbind_item_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                GtkDropDown              *dropdown)
{
  g_signal_handlers_disconnect_by_func (dropdown, update_check_mark, item);
}

/* The closed drop-down's factory. */
GtkListItemFactory *
_cb_checkpoint_picker_button_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_button_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_button_cb), NULL);
  return factory;
}

/* The popup's factory; @dropdown (not referenced: it owns the factory) marks its selection. */
GtkListItemFactory *
_cb_checkpoint_picker_item_factory_new (GtkDropDown *dropdown)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_item_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item_cb), dropdown);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_item_cb), dropdown);
  return factory;
}
