/* cb-banner.c: a banner-like revealer with a title, a list of messages and a close button
 *
 * libadwaita 1.2 has no AdwBanner (1.3), so this is a GtkRevealer around a styled box. It
 * shows a title and, below it, one message per line (file:line:col: message), at most
 * MAX_LINES of them. The close button hides it until the caller reveals it again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-banner.h"
#include "cb-widget-util.h"

#define MAX_LINES 8

struct _CbBanner
{
  GtkWidget    parent_instance;

  GtkRevealer *revealer;
  GtkWidget   *box;
  GtkImage    *icon;
  GtkLabel    *title_label;
  GtkLabel    *details_label;
  GtkWidget   *close_button;
  GtkWidget   *action_button;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_REVEALED,
  N_PROPS
};

enum {
  DISMISSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CbBanner, cb_banner, GTK_TYPE_WIDGET)

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  CbBanner *self = CB_BANNER (widget);

  cb_banner_set_revealed (self, FALSE);
  g_signal_emit (self, signals[DISMISSED], 0);
}

static void
cb_banner_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_BANNER);

  G_OBJECT_CLASS (cb_banner_parent_class)->dispose (object);
}

static void
cb_banner_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CbBanner *self = CB_BANNER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, cb_banner_get_title (self));
      break;

    case PROP_REVEALED:
      g_value_set_boolean (value, cb_banner_get_revealed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_banner_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CbBanner *self = CB_BANNER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      cb_banner_set_title (self, g_value_get_string (value));
      break;

    case PROP_REVEALED:
      cb_banner_set_revealed (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_banner_class_init (CbBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_banner_dispose;
  object_class->get_property = cb_banner_get_property;
  object_class->set_property = cb_banner_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CbBanner::dismissed:
   *
   * The user closed the banner with its close button.
   */
  signals[DISMISSED] =
    g_signal_new ("dismissed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ocrkit/CommandBuilder/cb-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, CbBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, CbBanner, box);
  gtk_widget_class_bind_template_child (widget_class, CbBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, CbBanner, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbBanner, details_label);
  gtk_widget_class_bind_template_child (widget_class, CbBanner, close_button);
  gtk_widget_class_bind_template_child (widget_class, CbBanner, action_button);

  gtk_widget_class_install_action (widget_class, "banner.dismiss", NULL, dismiss_action);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cb_banner_init (CbBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cb_widget_set_tooltip_text (self->close_button, _("Dismiss"));
  /* Collapsed, the banner takes no room and is skipped by keyboard focus. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
cb_banner_new (void)
{
  return g_object_new (CB_TYPE_BANNER, NULL);
}

void
cb_banner_set_title (CbBanner   *self,
                     const char *title)
{
  g_return_if_fail (CB_IS_BANNER (self));

  if (g_strcmp0 (title, gtk_label_get_label (self->title_label)) == 0)
    return;

  gtk_label_set_label (self->title_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title ? title : "",
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
cb_banner_get_title (CbBanner *self)
{
  g_return_val_if_fail (CB_IS_BANNER (self), NULL);

  return gtk_label_get_label (self->title_label);
}

/* One message per line; past MAX_LINES a summary line says how many more there are. */
void
cb_banner_set_messages (CbBanner           *self,
                        const char * const *messages)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n;

  g_return_if_fail (CB_IS_BANNER (self));

  n = messages ? g_strv_length ((char **) messages) : 0;
  for (guint i = 0; i < n && i < MAX_LINES; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, messages[i]);
    }

  if (n > MAX_LINES)
    {
      guint more = n - MAX_LINES;

      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "…and %u more",
                                                 "…and %u more", more), more);
    }

  if (g_strcmp0 (text->str, gtk_label_get_label (self->details_label)) != 0)
    gtk_label_set_label (self->details_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), n > 0);
}

const char *
cb_banner_get_details (CbBanner *self)
{
  g_return_val_if_fail (CB_IS_BANNER (self), NULL);

  return gtk_label_get_label (self->details_label);
}

void
cb_banner_set_severity (CbBanner         *self,
                        CbBannerSeverity  severity)
{
  g_return_if_fail (CB_IS_BANNER (self));

  /* Our own classes: Adwaita's .error and .warning would colour all the text. */
  if (severity == CB_BANNER_ERROR)
    {
      gtk_widget_remove_css_class (self->box, "cb-banner-warning");
      gtk_widget_add_css_class (self->box, "cb-banner-error");
      gtk_image_set_from_icon_name (self->icon, "dialog-error-symbolic");
    }
  else
    {
      gtk_widget_remove_css_class (self->box, "cb-banner-error");
      gtk_widget_add_css_class (self->box, "cb-banner-warning");
      gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
    }
}

void
cb_banner_set_dismissible (CbBanner *self,
                           gboolean  dismissible)
{
  g_return_if_fail (CB_IS_BANNER (self));

  gtk_widget_set_visible (self->close_button, dismissible);
}

/**
 * cb_banner_set_action:
 * @label: (nullable): the button's label, with a mnemonic; %NULL hides the button
 * @action_name: (nullable): the action the button activates
 *
 * One button that puts right what the banner says.
 */
void
cb_banner_set_action (CbBanner   *self,
                      const char *label,
                      const char *action_name)
{
  g_return_if_fail (CB_IS_BANNER (self));

  if (label != NULL)
    gtk_button_set_label (GTK_BUTTON (self->action_button), label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->action_button), action_name);
  gtk_widget_set_visible (self->action_button, label != NULL);
}

gboolean
cb_banner_get_revealed (CbBanner *self)
{
  g_return_val_if_fail (CB_IS_BANNER (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self)) &&
         gtk_revealer_get_reveal_child (self->revealer);
}

void
cb_banner_set_revealed (CbBanner *self,
                        gboolean  revealed)
{
  g_return_if_fail (CB_IS_BANNER (self));

  revealed = !!revealed;
  if (revealed == cb_banner_get_revealed (self))
    return;

  /* Hidden outright rather than only collapsed: no animation to pay for when it closes,
   * and nothing left in the focus chain. */
  gtk_widget_set_visible (GTK_WIDGET (self), revealed);
  gtk_revealer_set_reveal_child (self->revealer, revealed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}
