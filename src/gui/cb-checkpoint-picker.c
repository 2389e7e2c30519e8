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
 * A run is named by its exp_name when its saved config says it, with its folder beside it
 * (Hydra's dated "2025-11-16/10-30-00" tells two runs of one name apart); a checkpoint by
 * what its file name says, version included ("last · v1"). Labels and search text come from
 * what the scanner already read: nothing here touches the disk but the file chooser.
 *
 * The form may hold a path that is not in the model (chosen with "Other File…", or loaded)
 * or none at all: the drop-down then selects nothing, and the label GTK shows for no
 * selection says "None chosen" or names the file and its folder.
 */

#define G_LOG_DOMAIN "cb-checkpoint-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-checkpoint-picker.h"
#include "cb-checkpoint-picker-rows.h"
#include "cb/cb-checkpoint.h"
#include "cb-widget-util.h"

struct _CbCheckpointPicker
{
  GtkWidget             parent_instance;

  GtkWidget            *drop_down;        /* child */
  GtkWidget            *settings_button;  /* child: Use This Run's Settings */
  GtkWidget            *popover;          /* the drop-down's popup; unowned */
  GtkWidget            *no_selection;     /* the drop-down's label for no selection; unowned */
  GtkWidget            *status;           /* in the popup: nothing found, nothing matches */
  GListModel           *popup_items;      /* what the popup lists; unowned */
  GtkFileChooserNative *chooser;          /* while "Other File…" is open */
  GListModel           *checkpoints;      /* the shared model; owned */
  gulong                checkpoints_handler;
  gulong                selected_handler;
  char                 *path;             /* the path shown (the form's value) */
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

/* What the search of the drop-down matches: what the popup shows (the run's name and folder,
 * what the file name says, the file name), then what the run's config says. */
static char *
checkpoint_search_text (CbCheckpoint *checkpoint,
                        gpointer      user_data)
{
  static const char * const components[] = {
    "architecture", "encoder", "decoder", "head", "loss", "preprocessing_profile", NULL
  };
  const CbRunInfo *info = cb_checkpoint_get_run_info (checkpoint);
  g_autofree char *label = cb_checkpoint_dup_label (checkpoint);
  GString *text = g_string_new (cb_checkpoint_get_run_title (checkpoint));

  g_string_append_printf (text, " %s %s %s", cb_checkpoint_get_run (checkpoint), label,
                          cb_checkpoint_get_path (checkpoint));
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

static void popup_items_changed_cb (GListModel *model, guint position, guint removed,
                                    guint added, CbCheckpointPicker *self);
static void other_file_clicked_cb (GtkButton *button, CbCheckpointPicker *self);

/* What GtkDropDown of GTK 4.8 lacks, done with public calls on its parts; where the pieces
 * are not what they were, the drop-down keeps its own behaviour.
 *
 * - It filters by prefix (search-match-mode came in 4.12): its filter is reachable, as the
 *   popup's list view shows a single selection over a filter model.
 * - Typing with the focus on the list does not reach the search entry.
 * - An empty list is an empty popup: a line below the list says why.
 * - "Other File…", for a checkpoint anywhere, at the foot of the popup.
 * - With nothing selected, the button says "(None)": its label is ours to set. */
static void
improve_drop_down (CbCheckpointPicker *self)
{
  GtkWidget *stack;

  stack = cb_widget_find_descendant (self->drop_down, GTK_TYPE_STACK);
  if (stack != NULL && GTK_IS_LABEL (gtk_stack_get_child_by_name (GTK_STACK (stack), "empty")))
    {
      self->no_selection = gtk_stack_get_child_by_name (GTK_STACK (stack), "empty");
      gtk_label_set_ellipsize (GTK_LABEL (self->no_selection), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (self->no_selection), 36);
      gtk_label_set_single_line_mode (GTK_LABEL (self->no_selection), TRUE);
    }

  {
    GtkSelectionModel *selection = NULL;
    GtkWidget *popover_child;
    GtkWidget *button;

    self->popover = cb_drop_down_improve_search (self->drop_down, &selection);
    if (self->popover == NULL)
      return;
    popover_child = gtk_popover_get_child (GTK_POPOVER (self->popover));
    if (selection != NULL)
      {
        self->popup_items = G_LIST_MODEL (selection);
        g_signal_connect_object (selection, "items-changed",
                                 G_CALLBACK (popup_items_changed_cb), self, 0);
      }

    if (!GTK_IS_BOX (popover_child))
      return;

    self->status = gtk_label_new (NULL);
    gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
    gtk_label_set_max_width_chars (GTK_LABEL (self->status), 30);
    /* As wide as the items: the popup keeps its width when nothing matches. */
    gtk_widget_set_size_request (self->status, 340, -1);
    gtk_widget_set_margin_top (self->status, 12);
    gtk_widget_set_margin_bottom (self->status, 12);
    gtk_widget_add_css_class (self->status, "dim-label");
    gtk_widget_add_css_class (self->status, "cb-checkpoint-status");
    gtk_widget_set_visible (self->status, FALSE);
    gtk_box_append (GTK_BOX (popover_child), self->status);

    gtk_box_append (GTK_BOX (popover_child), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
    button = gtk_button_new_with_mnemonic (_("_Other File…"));
    gtk_widget_add_css_class (button, "flat");
    gtk_widget_add_css_class (button, "cb-checkpoint-other");
    cb_widget_set_tooltip_text (button, _("Choose a checkpoint file anywhere"));
    g_signal_connect (button, "clicked", G_CALLBACK (other_file_clicked_cb), self);
    gtk_box_append (GTK_BOX (popover_child), button);
    return;
    }
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

/* What the button says while nothing is selected: that nothing is chosen, or the chosen file
 * that is not in the model, by its name and folder. */
static void
update_no_selection (CbCheckpointPicker *self)
{
  if (self->no_selection == NULL)
    return;

  if (self->path == NULL)
    {
      gtk_label_set_label (GTK_LABEL (self->no_selection), _("None chosen"));
      gtk_widget_add_css_class (self->no_selection, "dim-label");
    }
  else
    {
      g_autofree char *name = g_path_get_basename (self->path);
      g_autofree char *folder = g_path_get_dirname (self->path);
      g_autofree char *text = g_strdup_printf ("%s · %s", name, folder);

      gtk_label_set_label (GTK_LABEL (self->no_selection), text);
      gtk_widget_remove_css_class (self->no_selection, "dim-label");
    }
}

/* The line below the popup's list: why it is empty. */
static void
update_status (CbCheckpointPicker *self)
{
  gboolean empty;

  if (self->status == NULL || self->popup_items == NULL)
    return;

  empty = g_list_model_get_n_items (self->popup_items) == 0;
  if (empty && g_list_model_get_n_items (self->checkpoints) == 0)
    gtk_label_set_label (GTK_LABEL (self->status), _("No checkpoints found under outputs/"));
  else if (empty)
    gtk_label_set_label (GTK_LABEL (self->status), _("No checkpoints match"));
  gtk_widget_set_visible (self->status, empty);
}

/* Selects self->path (nothing when it is not in the model), without reporting it. Returns
 * TRUE if the selection moved. */
static gboolean
select_path (CbCheckpointPicker *self)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (self->drop_down);
  CbCheckpoint *selected;
  guint position;

  update_no_selection (self);

  selected = gtk_drop_down_get_selected_item (dropdown);
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

static void
popup_items_changed_cb (GListModel         *model,
                        guint               position,
                        guint               removed,
                        guint               added,
                        CbCheckpointPicker *self)
{
  update_status (self);
}

static void
chooser_response_cb (GtkNativeDialog    *chooser,
                     int                 response,
                     CbCheckpointPicker *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);

  if (file != NULL)
    cb_checkpoint_picker_choose_file (self, file);
}

static void
add_filter (GtkFileChooser     *chooser,
            const char         *name,
            const char * const *patterns)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

/* "Other File…": a checkpoint anywhere, in the file chooser (the portal's where there is
 * one), which runs on its own while the window goes on. */
static void
other_file_clicked_cb (GtkButton          *button,
                       CbCheckpointPicker *self)
{
  static const char * const checkpoints[] = { "*.ckpt", "*.pt", "*.pth", NULL };
  static const char * const everything[] = { "*", NULL };
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));

  if (self->chooser == NULL)
    {
      self->chooser = gtk_file_chooser_native_new (_("Choose a Checkpoint"),
                                                   GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                        : NULL,
                                                   GTK_FILE_CHOOSER_ACTION_OPEN,
                                                   _("_Choose"), NULL);
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
      add_filter (GTK_FILE_CHOOSER (self->chooser), _("Checkpoints"), checkpoints);
      add_filter (GTK_FILE_CHOOSER (self->chooser), _("All Files"), everything);

      /* Where the file chosen before is. */
      if (self->path != NULL && g_path_is_absolute (self->path))
        {
          g_autofree char *folder_path = g_path_get_dirname (self->path);
          g_autoptr(GFile) folder = g_file_new_for_path (folder_path);

          gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
        }

      g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
    }

  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
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

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->checkpoints != NULL)
    g_clear_signal_handler (&self->checkpoints_handler, self->checkpoints);
  g_clear_pointer (&self->drop_down, gtk_widget_unparent);
  g_clear_pointer (&self->settings_button, gtk_widget_unparent);
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

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
cb_checkpoint_picker_init (CbCheckpointPicker *self)
{
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              4);
}

/* "Use This Run's Settings" beside the drop-down: win.use-run-settings with the chosen
 * checkpoint, shown while one is chosen. */
static void
update_settings_button (CbCheckpointPicker *self)
{
  if (self->settings_button == NULL)
    return;

  /* The target first: an action name without its target would be a type mismatch. */
  gtk_widget_set_visible (self->settings_button, self->path != NULL);
  if (self->path != NULL)
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->settings_button), "s", self->path);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->settings_button),
                                      "win.use-run-settings");
    }
  else
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->settings_button), NULL);
}

static GtkWidget *
new_settings_button (void)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-paste-symbolic");

  gtk_widget_set_name (button, "run-settings-button");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  cb_widget_set_tooltip_text (button,
                              _("Use this run’s settings: its overrides go into its page"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Use This Run’s Settings"),
                                  -1);
  return button;
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
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkListItemFactory) list_factory = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (checkpoints), NULL);

  self = g_object_new (CB_TYPE_CHECKPOINT_PICKER, NULL);
  self->checkpoints = g_object_ref (checkpoints);

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (checkpoint_search_text), NULL, NULL);
  /* The model comes after the factories: no item is built twice. */
  self->drop_down = gtk_drop_down_new (NULL, expression);
  gtk_widget_set_parent (self->drop_down, GTK_WIDGET (self));
  self->settings_button = new_settings_button ();
  gtk_widget_set_parent (self->settings_button, GTK_WIDGET (self));
  update_settings_button (self);

  /* The factories belong to the drop-down: it outlives what they bind. */
  factory = _cb_checkpoint_picker_button_factory_new ();
  list_factory = _cb_checkpoint_picker_item_factory_new (GTK_DROP_DOWN (self->drop_down));
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (self->drop_down), TRUE);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (self->drop_down), factory);
  /* The popup's items are built when it first opens. */
  cb_popup_list_defer (self->drop_down, list_factory);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->drop_down), checkpoints);
  improve_drop_down (self);
  update_no_selection (self);
  update_status (self);
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
      update_settings_button (self);
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
        {
          g_autofree char *folder = g_path_get_dirname (self->path);

          /* Translators: %s is a folder */
          return g_strdup_printf (_("Not among the checkpoints under outputs/\nFolder: %s"),
                                  folder);
        }
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

/* The row's description: on the drop-down, and on the button inside it that takes the focus. */
void
cb_checkpoint_picker_set_description (CbCheckpointPicker *self,
                                      const char         *description)
{
  GtkWidget *button;

  g_return_if_fail (CB_IS_CHECKPOINT_PICKER (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->drop_down),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description ? description : "",
                                  -1);
  button = cb_widget_find_descendant (self->drop_down, GTK_TYPE_TOGGLE_BUTTON);
  if (button != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    description ? description : "",
                                    -1);
}

/**
 * cb_checkpoint_picker_choose_file:
 * @file: a checkpoint file, anywhere
 *
 * What the file chooser of "Other File…" does with the file the user chose: reports its
 * absolute path as chosen (the "chosen" signal). The picker shows it once it is given back
 * with cb_checkpoint_picker_set_path().
 */
void
cb_checkpoint_picker_choose_file (CbCheckpointPicker *self,
                                  GFile              *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CB_IS_CHECKPOINT_PICKER (self));
  g_return_if_fail (G_IS_FILE (file));

  /* Only local files: the command gets a path. */
  path = g_file_get_path (file);
  if (path == NULL)
    return;

  g_signal_emit (self, signals[CHOSEN], 0, path);
}
