/* cb-page.c: one Train/Test/Predict page: the rows of a schema, kept in step with its form
 *
 * The page is built once, when it gets its form: one row per schema field, in preference
 * groups by section. After that, every `changed` of the form updates the rows in place
 * (visibility, options, values, ranges, help, errors) and nothing is ever rebuilt, so
 * showing the page again after a tab switch costs nothing but a paint.
 *
 * Train also shows the suggested setups of the selected architecture (cb-page-use-cases.c),
 * and the switch that appends the architecture and encoder to the experiment name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-page-private.h"
#include "cb-field-row.h"
#include "cb-widget-util.h"

typedef struct
{
  const char *id;
  const char *title;
} Section;

static const Section sections[] = {
  { "experiment",   N_("Experiment") },
  { "model",        N_("Model") },
  { "optimisation", N_("Optimisation") },
  { "training",     N_("Training") },
  { "data",         N_("Data") },
  { "output",       N_("Output") },
};

/* Which section a field goes to, by its key: exact names first, then parts of names. A key
 * that matches nothing joins the section of the field before it, so an unknown schema still
 * reads top to bottom; a schema none of whose keys match gets one untitled group. */
static const struct
{
  const char *pattern;
  gboolean    exact;
  const char *section;
} section_rules[] = {
  { "exp_name",          TRUE,  "experiment" },
  { "wandb",             TRUE,  "experiment" },
  { "resume_training",   TRUE,  "experiment" },
  { "checkpoint_path",   TRUE,  "experiment" },
  { "seed",              TRUE,  "training" },
  { "architecture",      FALSE, "model" },
  { "encoder",           FALSE, "model" },
  { "backbone",          FALSE, "model" },
  { "decoder",           FALSE, "model" },
  { "head",              FALSE, "model" },
  { "loss",              FALSE, "model" },
  { "model",             FALSE, "model" },
  { "optim",             FALSE, "optimisation" },
  { "learning_rate",     FALSE, "optimisation" },
  { "weight_decay",      FALSE, "optimisation" },
  { "momentum",          FALSE, "optimisation" },
  { "scheduler",         FALSE, "optimisation" },
  { "batch",             FALSE, "training" },
  { "epoch",             FALSE, "training" },
  { "grad",              FALSE, "training" },
  { "precision",         FALSE, "training" },
  { "trainer",           FALSE, "training" },
  { "dataset",           FALSE, "data" },
  { "data",              FALSE, "data" },
  { "preprocess",        FALSE, "data" },
  { "json",              FALSE, "output" },
  { "confidence",        FALSE, "output" },
  { "export",            FALSE, "output" },
  { "output",            FALSE, "output" },
};

enum {
  PROP_0,
  PROP_PAGE_NAME,
  PROP_CONFIG_CACHE,
  PROP_CHECKPOINT_MODEL,
  PROP_FORM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CbPage, cb_page, GTK_TYPE_WIDGET)

static void update_page (CbPage *self);

static const char *
section_for_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (section_rules); i++)
    if (section_rules[i].exact && g_str_equal (key, section_rules[i].pattern))
      return section_rules[i].section;

  for (guint i = 0; i < G_N_ELEMENTS (section_rules); i++)
    if (!section_rules[i].exact && strstr (key, section_rules[i].pattern) != NULL)
      return section_rules[i].section;

  return NULL;
}

static const char *
section_title (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    if (g_str_equal (sections[i].id, id))
      return _(sections[i].title);
  return NULL;
}

static AdwToastOverlay *
get_toast_overlay (CbPage *self)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  return overlay ? ADW_TOAST_OVERLAY (overlay) : NULL;
}

void
_cb_page_show_toast (CbPage   *self,
                     AdwToast *toast)
{
  AdwToastOverlay *overlay = get_toast_overlay (self);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* ------------------------------------------------------------------------------------ */
/* Reset                                                                                */

static void
undo_reset_cb (AdwToast *toast,
               CbPage   *self)
{
  if (self->undo_state == NULL || self->form == NULL)
    return;

  cb_form_reset (self->form);
  cb_form_load_state (self->form, self->undo_state);
  g_clear_pointer (&self->undo_state, g_key_file_unref);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  CbPage *self = CB_PAGE (widget);
  AdwToast *toast;

  if (self->form == NULL)
    return;

  g_clear_pointer (&self->undo_state, g_key_file_unref);
  self->undo_state = g_key_file_new ();
  cb_form_save_state (self->form, self->undo_state);

  _cb_page_set_active_use_case (self, NULL, NULL);
  cb_form_reset (self->form);

  toast = cb_toast_new_text (_("Page reset to defaults"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_reset_cb), self, 0);
  _cb_page_show_toast (self, toast);
}

/* One field back to its default: the changed mark's button (cb-row-mark.c). */
static void
reset_field_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CbPage *self = CB_PAGE (widget);

  if (self->form != NULL)
    cb_form_unset_value (self->form, g_variant_get_string (param, NULL));
}

/* ------------------------------------------------------------------------------------ */
/* Building and updating                                                                */

static AdwPreferencesGroup *
ensure_group (CbPage      *self,
              GHashTable  *by_section,
              const char  *section)
{
  AdwPreferencesGroup *group = g_hash_table_lookup (by_section, section ? section : "");

  if (group == NULL)
    {
      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      if (section != NULL)
        adw_preferences_group_set_title (group, section_title (section));
      gtk_box_append (GTK_BOX (self->groups_box), GTK_WIDGET (group));
      g_hash_table_insert (by_section, (gpointer) (section ? section : ""), group);
      g_ptr_array_add (self->groups, group);
    }

  return group;
}

static void
suffix_switch_cb (GtkSwitch  *sw,
                  GParamSpec *pspec,
                  CbPage     *self)
{
  cb_form_set_append_suffix (self->form, gtk_switch_get_active (sw));
}

static GtkWidget *
build_suffix_row (CbPage *self)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 _("Append Architecture and Encoder to the Name"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Keeps the experiment folders of different models apart"));
  self->suffix_switch = gtk_switch_new ();
  gtk_widget_set_valign (self->suffix_switch, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->suffix_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Append architecture and encoder to the experiment name"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->suffix_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->suffix_switch);
  gtk_widget_set_name (row, "append-suffix");
  self->suffix_handler = g_signal_connect (self->suffix_switch, "notify::active",
                                           G_CALLBACK (suffix_switch_cb), self);
  return row;
}

static void
add_row (CbPage              *self,
         AdwPreferencesGroup *group,
         CbFieldRow          *row)
{
  adw_preferences_group_add (group, cb_field_row_get_widget (row));
  g_ptr_array_add (self->rows, row);
  g_ptr_array_add (self->row_groups, group);
  g_hash_table_insert (self->rows_by_key, (gpointer) cb_field_row_get_field (row)->key, row);
  self->n_rows_built++;
}

static void
build_rows (CbPage *self)
{
  g_autoptr(GHashTable) by_section = g_hash_table_new (g_str_hash, g_str_equal);
  CbSchema *schema = cb_form_get_schema (self->form);
  guint n_fields = cb_schema_get_n_fields (schema);
  g_autofree const char **field_sections = g_new0 (const char *, n_fields);
  const char *current = NULL;
  gboolean any_known = FALSE;

  for (guint i = 0; i < n_fields; i++)
    {
      field_sections[i] = section_for_key (cb_schema_get_field (schema, i)->key);
      any_known |= field_sections[i] != NULL;
    }

  /* Leading unknown keys go with the first known section. */
  for (guint i = 0; i < n_fields && current == NULL; i++)
    current = field_sections[i];

  for (guint i = 0; i < n_fields; i++)
    {
      const CbField *field = cb_schema_get_field (schema, i);
      AdwPreferencesGroup *group;
      CbFieldRow *row;

      if (any_known)
        {
          if (field_sections[i] != NULL)
            current = field_sections[i];
          group = ensure_group (self, by_section, current);
        }
      else
        group = ensure_group (self, by_section, NULL);

      row = cb_field_row_new (self->form, i, self->checkpoints);
      add_row (self, group, row);

      if (g_str_equal (field->key, "exp_name") && g_str_equal (self->page_name, "train"))
        {
          self->suffix_row = build_suffix_row (self);
          adw_preferences_group_add (group, self->suffix_row);
        }
    }
}

/* A combo row whose list grew past the search threshold becomes a searchable drop-down,
 * in the same place. Happens at most once per field. */
static void
replace_row (CbPage *self,
             guint   index)
{
  CbFieldRow *old_row = g_ptr_array_index (self->rows, index);
  AdwPreferencesGroup *group = g_ptr_array_index (self->row_groups, index);
  GtkWidget *old_widget = cb_field_row_get_widget (old_row);
  GtkWidget *list_box = gtk_widget_get_parent (old_widget);
  CbFieldRow *new_row;
  int position;

  g_assert (GTK_IS_LIST_BOX (list_box));

  position = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (old_widget));
  new_row = cb_field_row_new (self->form, index, self->checkpoints);
  gtk_list_box_insert (GTK_LIST_BOX (list_box), cb_field_row_get_widget (new_row), position);
  adw_preferences_group_remove (group, old_widget);

  g_hash_table_insert (self->rows_by_key, (gpointer) cb_field_row_get_field (new_row)->key,
                       new_row);
  g_ptr_array_index (self->rows, index) = new_row;
  cb_field_row_free (old_row);
  self->n_rows_built++;
}

static void
update_groups (CbPage *self)
{
  for (guint g = 0; g < self->groups->len; g++)
    {
      GtkWidget *group = g_ptr_array_index (self->groups, g);
      gboolean any_visible = FALSE;

      for (guint i = 0; i < self->rows->len && !any_visible; i++)
        {
          CbFieldRow *row = g_ptr_array_index (self->rows, i);

          if (g_ptr_array_index (self->row_groups, i) == group)
            any_visible = gtk_widget_get_visible (cb_field_row_get_widget (row));
        }

      if (gtk_widget_get_visible (group) != any_visible)
        gtk_widget_set_visible (group, any_visible);
    }
}

static void
update_validation (CbPage *self)
{
  const char * const *errors = cb_form_get_errors (self->form);
  guint n = errors ? g_strv_length ((char **) errors) : 0;

  if (n > 0)
    {
      g_autofree char *title =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u problem keeps this command from running",
                                      "%u problems keep this command from running", n),
                         n);

      cb_banner_set_title (self->validation_banner, title);
      cb_banner_set_messages (self->validation_banner, errors);
    }
  cb_banner_set_revealed (self->validation_banner, n > 0);
}

/* Loading a checkpoint into another model can only fail: listed apart from the other
 * problems (running is still possible, after a question), with the one-click fix. */
static void
update_mismatches (CbPage *self)
{
  g_auto(GStrv) mismatches = cb_form_get_mismatches (self->form);
  guint n = g_strv_length (mismatches);

  if (n > 0)
    {
      cb_banner_set_title (self->mismatch_banner,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "A setting does not match the chosen checkpoint",
                                        "Settings do not match the chosen checkpoint", n));
      cb_banner_set_messages (self->mismatch_banner, (const char * const *) mismatches);
    }
  cb_banner_set_revealed (self->mismatch_banner, n > 0);
}

/* What the project's Hydra config says of the command: a refusal (the run would stop at
 * once), or choices that have no effect. Running stays possible, after a question. */
static void
update_hydra (CbPage *self)
{
  const char *error = cb_form_get_hydra_error (self->form);
  GPtrArray *warnings = cb_form_get_hydra_warnings (self->form);

  if (error != NULL)
    {
      const char * const messages[] = { error, NULL };

      cb_banner_set_severity (self->hydra_banner, CB_BANNER_ERROR);
      cb_banner_set_title (self->hydra_banner, _("Hydra would refuse this command"));
      cb_banner_set_messages (self->hydra_banner, messages);
    }
  else if (warnings != NULL)
    {
      g_autoptr(GPtrArray) messages = g_ptr_array_new ();

      for (guint i = 0; i < warnings->len; i++)
        g_ptr_array_add (messages, g_ptr_array_index (warnings, i));
      g_ptr_array_add (messages, NULL);
      cb_banner_set_severity (self->hydra_banner, CB_BANNER_WARNING);
      cb_banner_set_title (self->hydra_banner,
                           g_dngettext (GETTEXT_PACKAGE, "A choice has no effect",
                                        "Some choices have no effect", warnings->len));
      cb_banner_set_messages (self->hydra_banner, (const char * const *) messages->pdata);
    }
  cb_banner_set_revealed (self->hydra_banner, error != NULL || warnings != NULL);
}

static void
use_checkpoint_settings_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  CbPage *self = CB_PAGE (widget);

  if (self->form != NULL)
    cb_form_use_checkpoint_settings (self->form);
}

static void
update_page (CbPage *self)
{
  guint n_fields;

  if (self->form == NULL)
    return;

  n_fields = cb_schema_get_n_fields (cb_form_get_schema (self->form));
  g_assert (n_fields == self->rows->len);

  for (guint i = 0; i < n_fields; i++)
    {
      const CbFieldState *state = cb_form_get_field_state (self->form, i);

      if (cb_field_row_needs_rebuild (g_ptr_array_index (self->rows, i), state))
        replace_row (self, i);
      else
        cb_field_row_update (g_ptr_array_index (self->rows, i), state);
    }

  if (self->suffix_switch != NULL)
    {
      gboolean active = cb_form_get_append_suffix (self->form);

      if (gtk_switch_get_active (GTK_SWITCH (self->suffix_switch)) != active)
        {
          g_signal_handler_block (self->suffix_switch, self->suffix_handler);
          gtk_switch_set_active (GTK_SWITCH (self->suffix_switch), active);
          g_signal_handler_unblock (self->suffix_switch, self->suffix_handler);
        }
      /* The suffix only matters while the experiment name is shown. */
      gtk_widget_set_visible (self->suffix_row,
                              gtk_widget_get_visible (cb_page_get_row (self, "exp_name")));
    }

  update_groups (self);
  update_validation (self);
  update_mismatches (self);
  update_hydra (self);
  _cb_page_update_use_cases (self);

  if (!self->applying && self->active_use_case != NULL)
    _cb_page_set_active_use_case (self, NULL, NULL);
}

/* Choosing a checkpoint filled in what its run was trained with: say so, once per change,
 * to whoever is looking at the page. The checkpoint row's subtitle keeps the run's facts. */
static void
update_checkpoint_note (CbPage   *self,
                        gboolean  announce)
{
  const char *note = cb_form_get_checkpoint_note (self->form);

  if (g_strcmp0 (note, self->checkpoint_note) == 0)
    return;

  g_free (self->checkpoint_note);
  self->checkpoint_note = g_strdup (note);

  if (announce && note != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      AdwToast *toast = cb_toast_new_text (note);

      adw_toast_set_timeout (toast, 4);
      _cb_page_show_toast (self, toast);
    }
}

static void
form_changed_cb (CbForm *form,
                 CbPage *self)
{
  update_page (self);
  update_checkpoint_note (self, TRUE);
}

static void
sync_snapshot (CbPage *self)
{
  CbConfigSnapshot *snapshot;

  if (self->form == NULL || self->config_cache == NULL)
    return;
  if (!cb_config_cache_get_loaded (self->config_cache))
    return;

  snapshot = cb_config_cache_get_snapshot (self->config_cache);
  if (snapshot != NULL && snapshot != cb_form_get_snapshot (self->form))
    cb_form_set_snapshot (self->form, snapshot);
}

static void
snapshot_changed_cb (CbConfigCache *cache,
                     GParamSpec    *pspec,
                     CbPage        *self)
{
  sync_snapshot (self);
}

static void
clear_rows (CbPage *self)
{
  if (self->suffix_switch != NULL)
    g_clear_signal_handler (&self->suffix_handler, self->suffix_switch);
  self->suffix_switch = NULL;
  self->suffix_row = NULL;

  /* The rows disconnect their handlers before their widgets go. */
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->row_groups, 0);
  g_hash_table_remove_all (self->rows_by_key);

  for (guint i = 0; i < self->groups->len; i++)
    gtk_box_remove (GTK_BOX (self->groups_box), g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                              */

static void
cb_page_dispose (GObject *object)
{
  CbPage *self = CB_PAGE (object);

  if (self->form != NULL)
    g_signal_handlers_disconnect_by_data (self->form, self);
  if (self->config_cache != NULL)
    g_signal_handlers_disconnect_by_data (self->config_cache, self);

  clear_rows (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_PAGE);

  g_clear_object (&self->form);
  g_clear_object (&self->config_cache);
  g_clear_object (&self->checkpoints);
  g_clear_pointer (&self->use_cases, g_ptr_array_unref);
  g_clear_pointer (&self->use_cases_snapshot, cb_config_snapshot_unref);
  g_clear_pointer (&self->undo_state, g_key_file_unref);

  G_OBJECT_CLASS (cb_page_parent_class)->dispose (object);
}

static void
cb_page_finalize (GObject *object)
{
  CbPage *self = CB_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->row_groups, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->rows_by_key, g_hash_table_unref);
  g_clear_pointer (&self->use_case_rows, g_array_unref);
  g_clear_pointer (&self->page_name, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->checkpoint_note, g_free);
  g_clear_pointer (&self->active_use_case, g_free);
  g_clear_pointer (&self->active_changes, g_free);

  G_OBJECT_CLASS (cb_page_parent_class)->finalize (object);
}

static void
cb_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CbPage *self = CB_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAGE_NAME:
      g_value_set_string (value, self->page_name);
      break;

    case PROP_CONFIG_CACHE:
      g_value_set_object (value, self->config_cache);
      break;

    case PROP_CHECKPOINT_MODEL:
      g_value_set_object (value, self->checkpoints);
      break;

    case PROP_FORM:
      g_value_set_object (value, self->form);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CbPage *self = CB_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAGE_NAME:
      g_free (self->page_name);
      self->page_name = g_value_dup_string (value);
      if (self->page_name == NULL)
        self->page_name = g_strdup ("train");
      break;

    case PROP_CONFIG_CACHE:
      cb_page_set_config_cache (self, g_value_get_object (value));
      break;

    case PROP_CHECKPOINT_MODEL:
      cb_page_set_checkpoint_model (self, g_value_get_object (value));
      break;

    case PROP_FORM:
      cb_page_set_form (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_page_class_init (CbPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_page_dispose;
  object_class->finalize = cb_page_finalize;
  object_class->get_property = cb_page_get_property;
  object_class->set_property = cb_page_set_property;

  properties[PROP_PAGE_NAME] =
    g_param_spec_string ("page-name", NULL, NULL, "train",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIG_CACHE] =
    g_param_spec_object ("config-cache", NULL, NULL, CB_TYPE_CONFIG_CACHE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKPOINT_MODEL] =
    g_param_spec_object ("checkpoint-model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORM] =
    g_param_spec_object ("form", NULL, NULL, CB_TYPE_FORM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CB_TYPE_BANNER);
  g_type_ensure (CB_TYPE_EXTRA_OVERRIDES);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CbPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CbPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, CbPage, validation_banner);
  gtk_widget_class_bind_template_child (widget_class, CbPage, mismatch_banner);
  gtk_widget_class_bind_template_child (widget_class, CbPage, hydra_banner);
  gtk_widget_class_bind_template_child (widget_class, CbPage, suggestions_group);
  gtk_widget_class_bind_template_child (widget_class, CbPage, groups_box);
  gtk_widget_class_bind_template_child (widget_class, CbPage, extra_overrides);
  gtk_widget_class_bind_template_child (widget_class, CbPage, reset_button);
  gtk_widget_class_bind_template_child (widget_class, CbPage, error_page);

  gtk_widget_class_install_action (widget_class, "page.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "page.reset-field", "s", reset_field_action);
  gtk_widget_class_install_action (widget_class, "page.use-checkpoint-settings", NULL,
                                   use_checkpoint_settings_action);
  _cb_page_class_init_use_cases (widget_class);

  gtk_widget_class_set_css_name (widget_class, "cbpage");
}

static void
cb_page_init (CbPage *self)
{
  self->page_name = g_strdup ("train");
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_field_row_free);
  self->row_groups = g_ptr_array_new ();
  self->groups = g_ptr_array_new ();
  self->rows_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  _cb_page_init_use_cases (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  cb_widget_set_tooltip_text (self->reset_button, _("Forget every value set on this page"));

  cb_banner_set_severity (self->validation_banner, CB_BANNER_ERROR);
  cb_banner_set_dismissible (self->validation_banner, FALSE);
  cb_banner_set_severity (self->mismatch_banner, CB_BANNER_ERROR);
  cb_banner_set_dismissible (self->mismatch_banner, FALSE);
  cb_banner_set_action (self->mismatch_banner, _("_Use the Checkpoint’s Settings"),
                        "page.use-checkpoint-settings");
  cb_banner_set_dismissible (self->hydra_banner, FALSE);
  cb_banner_set_action (self->hydra_banner, _("Show _Config"), "win.show-config");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.reset", FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* Public API                                                                           */

GtkWidget *
cb_page_new (const char *page_name)
{
  return g_object_new (CB_TYPE_PAGE, "page-name", page_name, NULL);
}

const char *
cb_page_get_page_name (CbPage *self)
{
  g_return_val_if_fail (CB_IS_PAGE (self), NULL);

  return self->page_name;
}

CbConfigCache *
cb_page_get_config_cache (CbPage *self)
{
  g_return_val_if_fail (CB_IS_PAGE (self), NULL);

  return self->config_cache;
}

/* The page follows the cache: each new snapshot goes to the form, which refreshes its
 * option lists and keeps each selection that is still valid. */
void
cb_page_set_config_cache (CbPage        *self,
                          CbConfigCache *config_cache)
{
  g_return_if_fail (CB_IS_PAGE (self));
  g_return_if_fail (!config_cache || CB_IS_CONFIG_CACHE (config_cache));

  if (self->config_cache == config_cache)
    return;

  if (self->config_cache != NULL)
    g_signal_handlers_disconnect_by_data (self->config_cache, self);
  g_set_object (&self->config_cache, config_cache);
  if (config_cache != NULL)
    {
      g_signal_connect_object (config_cache, "notify::snapshot",
                               G_CALLBACK (snapshot_changed_cb), self, 0);
      g_signal_connect_object (config_cache, "notify::loaded",
                               G_CALLBACK (snapshot_changed_cb), self, 0);
    }

  sync_snapshot (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG_CACHE]);
}

GListModel *
cb_page_get_checkpoint_model (CbPage *self)
{
  g_return_val_if_fail (CB_IS_PAGE (self), NULL);

  return self->checkpoints;
}

/**
 * cb_page_set_checkpoint_model:
 * @checkpoints: (nullable): a #GListModel of #CbCheckpoint: the model the page's form takes
 *   its checkpoint options from, usually the application scanner's shared one
 *
 * The checkpoint pickers of the page show @checkpoints itself. Set it before the form: rows
 * are built once.
 */
void
cb_page_set_checkpoint_model (CbPage     *self,
                              GListModel *checkpoints)
{
  g_return_if_fail (CB_IS_PAGE (self));
  g_return_if_fail (checkpoints == NULL || G_IS_LIST_MODEL (checkpoints));

  if (g_set_object (&self->checkpoints, checkpoints))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKPOINT_MODEL]);
}

CbForm *
cb_page_get_form (CbPage *self)
{
  g_return_val_if_fail (CB_IS_PAGE (self), NULL);

  return self->form;
}

/**
 * cb_page_set_form:
 * @form: (nullable): the form to show
 *
 * Builds one row per field of @form's schema and keeps them in step with the form. This is
 * the only place rows are built; a page is meant to get its form once.
 */
void
cb_page_set_form (CbPage *self,
                  CbForm *form)
{
  g_return_if_fail (CB_IS_PAGE (self));
  g_return_if_fail (!form || CB_IS_FORM (form));

  if (self->form == form)
    return;

  if (self->form != NULL)
    g_signal_handlers_disconnect_by_data (self->form, self);
  clear_rows (self);
  g_clear_pointer (&self->undo_state, g_key_file_unref);
  _cb_page_clear_use_cases (self);

  g_set_object (&self->form, form);
  cb_extra_overrides_set_form (self->extra_overrides, form);

  if (form != NULL)
    {
      g_clear_pointer (&self->error, g_free);
      sync_snapshot (self);
      build_rows (self);
      g_signal_connect_object (form, "changed", G_CALLBACK (form_changed_cb), self, 0);
      update_page (self);
      update_checkpoint_note (self, FALSE);
      gtk_stack_set_visible_child_name (self->content_stack, "form");
    }
  else if (self->error == NULL)
    gtk_stack_set_visible_child_name (self->content_stack, "placeholder");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.reset", form != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORM]);
}

/**
 * cb_page_show_error:
 * @title: (nullable): a short title, or %NULL for the default
 * @message: the error, e.g. `train.yaml:12:5: unknown type 'slidr'`
 *
 * Shows a status page instead of the form: for a schema that could not be loaded.
 */
void
cb_page_show_error (CbPage     *self,
                    const char *title,
                    const char *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (CB_IS_PAGE (self));

  cb_page_set_form (self, NULL);

  g_free (self->error);
  self->error = g_strdup (message ? message : "");

  escaped = g_markup_escape_text (self->error, -1);
  if (title != NULL)
    adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->content_stack, "error");
}

const char *
cb_page_get_error (CbPage *self)
{
  g_return_val_if_fail (CB_IS_PAGE (self), NULL);

  return self->error;
}

/* TRUE once the page shows its rows or its error: nothing left to build. */
gboolean
cb_page_is_built (CbPage *self)
{
  g_return_val_if_fail (CB_IS_PAGE (self), FALSE);

  return self->form != NULL || self->error != NULL;
}

/* How many field rows this page has built in its life: for tests and measurements. */
guint
cb_page_get_n_rows_built (CbPage *self)
{
  g_return_val_if_fail (CB_IS_PAGE (self), 0);

  return self->n_rows_built;
}

GtkWidget *
cb_page_get_row (CbPage     *self,
                 const char *key)
{
  CbFieldRow *row;

  g_return_val_if_fail (CB_IS_PAGE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_str_equal (key, "append-suffix"))
    return self->suffix_row;

  row = g_hash_table_lookup (self->rows_by_key, key);
  return row ? cb_field_row_get_widget (row) : NULL;
}

GtkWidget *
cb_page_get_control (CbPage     *self,
                     const char *key)
{
  CbFieldRow *row;

  g_return_val_if_fail (CB_IS_PAGE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_str_equal (key, "append-suffix"))
    return self->suffix_switch;

  row = g_hash_table_lookup (self->rows_by_key, key);
  return row ? cb_field_row_get_control (row) : NULL;
}

/* The preference group that holds the row of @key. */
GtkWidget *
cb_page_get_group (CbPage     *self,
                   const char *key)
{
  g_return_val_if_fail (CB_IS_PAGE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < self->rows->len; i++)
    if (g_str_equal (cb_field_row_get_field (g_ptr_array_index (self->rows, i))->key, key))
      return g_ptr_array_index (self->row_groups, i);

  return NULL;
}

guint
cb_page_get_n_groups (CbPage *self)
{
  g_return_val_if_fail (CB_IS_PAGE (self), 0);

  return self->groups->len;
}

GtkWidget *
cb_page_get_validation_banner (CbPage *self)
{
  g_return_val_if_fail (CB_IS_PAGE (self), NULL);

  return GTK_WIDGET (self->validation_banner);
}
