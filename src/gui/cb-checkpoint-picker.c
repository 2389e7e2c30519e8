/* cb-checkpoint-picker.c: a searchable drop-down over the scanner's checkpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The picker shows the scanner's model itself (every picker of every page shares one
 * GListModel of CbCheckpoint) in a GtkDropDown with search. It knows nothing of the form:
 * the user's choice leaves as the "chosen" signal, and the field row shows the form's value
 * with cb_checkpoint_picker_set_path().
 *
 * The model changes under the drop-down when a scan ends, and the drop-down's selection then
 * moves by itself (it follows positions, and picks an item when its own is removed). Such
 * moves are not the user's: while the model emits items-changed the picker neither reports
 * selections nor sets one, and once every handler has run (the form's included) it selects
 * the path it was given and emits "model-settled".
 *
 * Labels and search text come from what the scanner already read: nothing here touches the
 * disk.
 */

#define G_LOG_DOMAIN "cb-checkpoint-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-checkpoint-picker.h"
#include "cb/cb-checkpoint.h"
#include "cb-widget-util.h"

struct _CbCheckpointPicker
{
  GtkWidget    parent_instance;

  GtkWidget   *drop_down;        /* child */
  GListModel  *checkpoints;      /* the shared model; owned */
  gulong       checkpoints_handler;
  gulong       selected_handler;
  char        *path;             /* the path shown (the form's value) */
};

enum
{
  CHOSEN,
  MODEL_SETTLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CbCheckpointPicker, cb_checkpoint_picker, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------------------------ */
/* Labels                                                                               */

static gboolean
model_is_changing (GListModel *model)
{
  GSignalInvocationHint *hint = g_signal_get_invocation_hint (model);

  return hint != NULL && hint->signal_id == g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL);
}

/* "last", "epoch 18 · step 3895", "best · hmean 0.8920"; the file name when its name says
 * nothing. */
static char *
checkpoint_label (CbCheckpoint *checkpoint)
{
  g_autofree char *description = cb_checkpoint_describe (checkpoint);

  if (description == NULL || *description == '\0')
    return g_strdup (cb_checkpoint_get_basename (checkpoint));
  return g_steal_pointer (&description);
}

/* What the search of the drop-down matches: the run first (a prefix match finds it), then
 * what the name and the run's config say, then the path. */
static char *
checkpoint_search_text (CbCheckpoint *checkpoint,
                        gpointer      user_data)
{
  static const char * const components[] = {
    "architecture", "encoder", "decoder", "head", "loss", "preprocessing_profile", NULL
  };
  const CbRunInfo *info = cb_checkpoint_get_run_info (checkpoint);
  g_autofree char *label = checkpoint_label (checkpoint);
  GString *text = g_string_new (cb_checkpoint_get_run (checkpoint));

  g_string_append_printf (text, " %s %s", label, cb_checkpoint_get_path (checkpoint));
  for (guint i = 0; info != NULL && components[i] != NULL; i++)
    {
      const char *value = cb_run_info_get (info, components[i]);

      if (value != NULL)
        g_string_append_printf (text, " %s", value);
    }

  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* The drop-down                                                                        */

/* Two things GtkDropDown of GTK 4.8 lacks, done with public calls on its popup; where the
 * pieces are not what they were, the drop-down keeps its own behaviour.
 *
 * - It filters by prefix (search-match-mode came in 4.12): its filter is reachable, as the
 *   popup's list view shows a single selection over a filter model.
 * - Typing with the focus on the list does not reach the search entry. */
static void
improve_search (GtkWidget *dropdown)
{
  GtkWidget *child;

  for (child = gtk_widget_get_first_child (dropdown); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *popover_child;
      GtkWidget *list;
      GtkWidget *entry;

      if (!GTK_IS_POPOVER (child))
        continue;

      /* popover → box → (search box → entry, scrolled window → list view) */
      popover_child = gtk_popover_get_child (GTK_POPOVER (child));
      if (popover_child == NULL)
        return;
      list = cb_widget_find_descendant (popover_child, GTK_TYPE_LIST_VIEW);
      entry = cb_widget_find_descendant (popover_child, GTK_TYPE_SEARCH_ENTRY);

      if (entry != NULL)
        gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (entry), child);

      if (list != NULL)
        {
          GtkSelectionModel *selection = gtk_list_view_get_model (GTK_LIST_VIEW (list));
          GListModel *filtered = NULL;
          GtkFilter *filter = NULL;

          if (GTK_IS_SINGLE_SELECTION (selection))
            filtered = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection));
          if (GTK_IS_FILTER_LIST_MODEL (filtered))
            filter = gtk_filter_list_model_get_filter (GTK_FILTER_LIST_MODEL (filtered));

          if (GTK_IS_STRING_FILTER (filter))
            gtk_string_filter_set_match_mode (GTK_STRING_FILTER (filter),
                                              GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
        }
      return;
    }
}

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
  g_autofree char *label = checkpoint_label (checkpoint);
  g_autofree char *text = g_strdup_printf ("%s · %s", cb_checkpoint_get_run (checkpoint), label);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

/* The popup: the run over "what · how old", and a check mark on the chosen one. */
static void
setup_item_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_widget_add_css_class (box, "cb-checkpoint-item");
  /* The popup is as wide as its widest item: wider than the drop-down, so that runs and
   * names fit. */
  gtk_widget_set_size_request (box, 340, -1);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 44);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 44);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
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
              CbCheckpointPicker       *self)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (self->drop_down);
  CbCheckpoint *checkpoint = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autofree char *label = checkpoint_label (checkpoint);
  g_autofree char *age = cb_checkpoint_format_age (checkpoint,
                                                   g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *details = g_strdup_printf ("%s · %s", label, age);

  gtk_label_set_label (GTK_LABEL (title), cb_checkpoint_get_run (checkpoint));
  gtk_label_set_label (GTK_LABEL (subtitle), details);
  gtk_widget_set_tooltip_text (box, cb_checkpoint_get_path (checkpoint));

  g_signal_connect (dropdown, "notify::selected-item", G_CALLBACK (update_check_mark), item);
  update_check_mark (dropdown, NULL, item);
}

static void
unbind_item_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                CbCheckpointPicker       *self)
{
  g_signal_handlers_disconnect_by_func (self->drop_down, update_check_mark, item);
}

static guint
find_checkpoint (GListModel *model,
                 const char *path)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; path != NULL && i < n; i++)
    {
      g_autoptr(CbCheckpoint) checkpoint = g_list_model_get_item (model, i);

      if (g_str_equal (cb_checkpoint_get_path (checkpoint), path))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* Selects self->path (nothing when it is not in the model), without reporting it. Returns
 * TRUE if the selection moved. */
static gboolean
select_path (CbCheckpointPicker *self)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (self->drop_down);
  CbCheckpoint *selected = gtk_drop_down_get_selected_item (dropdown);
  guint position;

  if (selected != NULL && self->path != NULL &&
      g_str_equal (cb_checkpoint_get_path (selected), self->path))
    return FALSE;

  position = find_checkpoint (self->checkpoints, self->path);
  if (position == gtk_drop_down_get_selected (dropdown))
    return FALSE;

  g_signal_handler_block (dropdown, self->selected_handler);
  gtk_drop_down_set_selected (dropdown, position);
  g_signal_handler_unblock (dropdown, self->selected_handler);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Callbacks                                                                            */

static void
selected_cb (GtkDropDown        *dropdown,
             GParamSpec         *pspec,
             CbCheckpointPicker *self)
{
  CbCheckpoint *checkpoint;

  /* The selection following the model, not the user: see the top of the file. */
  if (model_is_changing (self->checkpoints))
    return;

  checkpoint = gtk_drop_down_get_selected_item (dropdown);
  if (checkpoint == NULL)
    return;

  g_signal_emit (self, signals[CHOSEN], 0, cb_checkpoint_get_path (checkpoint));
}

/* After every other handler of the model's items-changed, the form's and the selection's
 * included: select the path given. */
static void
checkpoints_changed_cb (GListModel         *model,
                        guint               position,
                        guint               removed,
                        guint               added,
                        CbCheckpointPicker *self)
{
  select_path (self);
  g_signal_emit (self, signals[MODEL_SETTLED], 0);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
cb_checkpoint_picker_dispose (GObject *object)
{
  CbCheckpointPicker *self = CB_CHECKPOINT_PICKER (object);

  if (self->checkpoints != NULL)
    g_clear_signal_handler (&self->checkpoints_handler, self->checkpoints);
  g_clear_pointer (&self->drop_down, gtk_widget_unparent);
  g_clear_object (&self->checkpoints);

  G_OBJECT_CLASS (cb_checkpoint_picker_parent_class)->dispose (object);
}

static void
cb_checkpoint_picker_finalize (GObject *object)
{
  CbCheckpointPicker *self = CB_CHECKPOINT_PICKER (object);

  g_free (self->path);

  G_OBJECT_CLASS (cb_checkpoint_picker_parent_class)->finalize (object);
}

static void
cb_checkpoint_picker_class_init (CbCheckpointPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_checkpoint_picker_dispose;
  object_class->finalize = cb_checkpoint_picker_finalize;

  /**
   * CbCheckpointPicker::chosen:
   * @path: the checkpoint's path
   *
   * The user chose a checkpoint.
   */
  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * CbCheckpointPicker::model-settled:
   *
   * The model changed, and the selection is back on the path given (what a row shows of
   * the chosen checkpoint may have changed with it).
   */
  signals[MODEL_SETTLED] = g_signal_new ("model-settled", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cb_checkpoint_picker_init (CbCheckpointPicker *self)
{
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                           */

/**
 * cb_checkpoint_picker_new:
 * @checkpoints: a #GListModel of #CbCheckpoint, usually the scanner's shared one
 */
CbCheckpointPicker *
cb_checkpoint_picker_new (GListModel *checkpoints)
{
  CbCheckpointPicker *self;
  GtkExpression *expression;
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();

  g_return_val_if_fail (G_IS_LIST_MODEL (checkpoints), NULL);

  self = g_object_new (CB_TYPE_CHECKPOINT_PICKER, NULL);
  self->checkpoints = g_object_ref (checkpoints);

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (checkpoint_search_text), NULL, NULL);
  self->drop_down = gtk_drop_down_new (g_object_ref (checkpoints), expression);
  gtk_widget_set_parent (self->drop_down, GTK_WIDGET (self));

  /* The factories belong to the drop-down: it outlives what they bind. */
  g_signal_connect (factory, "setup", G_CALLBACK (setup_button_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_button_cb), NULL);
  g_signal_connect (list_factory, "setup", G_CALLBACK (setup_item_cb), NULL);
  g_signal_connect (list_factory, "bind", G_CALLBACK (bind_item_cb), self);
  g_signal_connect (list_factory, "unbind", G_CALLBACK (unbind_item_cb), self);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (self->drop_down), TRUE);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (self->drop_down), factory);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (self->drop_down), list_factory);
  improve_search (self->drop_down);
  gtk_widget_set_valign (self->drop_down, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->drop_down, "cb-search-dropdown");
  gtk_widget_add_css_class (self->drop_down, "cb-checkpoint-dropdown");

  self->selected_handler = g_signal_connect (self->drop_down, "notify::selected",
                                             G_CALLBACK (selected_cb), self);
  self->checkpoints_handler = g_signal_connect_after (checkpoints, "items-changed",
                                                      G_CALLBACK (checkpoints_changed_cb),
                                                      self);
  return self;
}

/* The drop-down inside: the control that takes the value. */
GtkDropDown *
cb_checkpoint_picker_get_drop_down (CbCheckpointPicker *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT_PICKER (self), NULL);

  return GTK_DROP_DOWN (self->drop_down);
}

/* The path shown (given with cb_checkpoint_picker_set_path()), NULL when none. */
const char *
cb_checkpoint_picker_get_path (CbCheckpointPicker *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT_PICKER (self), NULL);

  return self->path;
}

/**
 * cb_checkpoint_picker_set_path:
 * @path: (nullable): the chosen checkpoint's path, %NULL for none
 *
 * Shows @path, without reporting it as chosen. While the model changes, the selection
 * catches up once the change is over.
 *
 * Returns: %TRUE if the selection moved
 */
gboolean
cb_checkpoint_picker_set_path (CbCheckpointPicker *self,
                               const char         *path)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT_PICKER (self), FALSE);

  if (g_strcmp0 (path, self->path) != 0)
    {
      g_free (self->path);
      self->path = g_strdup (path);
    }

  /* Positions are stale until the drop-down's selection has seen the change;
   * checkpoints_changed_cb() selects once it has. */
  if (model_is_changing (self->checkpoints))
    return FALSE;

  return select_path (self);
}

/**
 * cb_checkpoint_picker_describe_run:
 *
 * What the chosen checkpoint's run was trained with, and how old the file is:
 *   Trained with dbnet · resnet34 · fpn_decoder · db_head · db_loss
 *   Preprocessing lens_style · saved 3 h ago
 *
 * Returns: (nullable): the text, %NULL when no checkpoint of the model is chosen
 */
char *
cb_checkpoint_picker_describe_run (CbCheckpointPicker *self)
{
  static const char * const components[] = {
    "architecture", "encoder", "decoder", "head", "loss", NULL
  };
  g_autoptr(CbCheckpoint) checkpoint = NULL;
  g_autoptr(GString) facts = g_string_new (NULL);
  g_autofree char *age = NULL;
  const CbRunInfo *info;
  CbCheckpoint *selected;

  g_return_val_if_fail (CB_IS_CHECKPOINT_PICKER (self), NULL);

  if (self->path == NULL)
    return NULL;

  /* Runs on every edit of the page: the selected item, not a walk of the model, unless the
   * selection is catching up with the model (checkpoints_changed_cb()). */
  selected = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->drop_down));
  if (selected != NULL && g_str_equal (cb_checkpoint_get_path (selected), self->path))
    checkpoint = g_object_ref (selected);
  else
    {
      guint position = find_checkpoint (self->checkpoints, self->path);

      if (position == GTK_INVALID_LIST_POSITION)
        return NULL;
      checkpoint = g_list_model_get_item (self->checkpoints, position);
    }

  info = cb_checkpoint_get_run_info (checkpoint);
  for (guint i = 0; info != NULL && components[i] != NULL; i++)
    {
      const char *value = cb_run_info_get (info, components[i]);

      if (value != NULL)
        g_string_append_printf (facts, "%s%s", facts->len > 0 ? " · " : "", value);
    }

  age = cb_checkpoint_format_age (checkpoint, g_get_real_time () / G_USEC_PER_SEC);
  if (facts->len == 0)
    /* Translators: %s is an age such as "3 h ago" */
    return g_strdup_printf (_("Saved %s; the run’s config was not found"), age);

  if (cb_run_info_get (info, "preprocessing_profile") != NULL)
    /* Translators: "Trained with dbnet · resnet34 · fpn_decoder", then on a second line
     * "Preprocessing lens_style · saved 3 h ago" */
    return g_strdup_printf (_("Trained with %s\nPreprocessing %s · saved %s"), facts->str,
                            cb_run_info_get (info, "preprocessing_profile"), age);

  /* Translators: "Trained with dbnet · resnet34 · fpn_decoder", then on a second line
   * "Saved 3 h ago" */
  return g_strdup_printf (_("Trained with %s\nSaved %s"), facts->str, age);
}
