/* cb-command.c: an argv and the text that shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The argv is what runs (no shell is involved). The display text is the argv quoted for a
 * POSIX shell only where needed, so that pasting it into a shell gives back the same argv;
 * the multi-line form puts the launcher and script on the first line and one override per
 * line after it, joined with backslash continuations.
 */

#define G_LOG_DOMAIN "cb-command"

#include "config.h"

#include "cb/cb-command.h"
#include "cb/cb-quote.h"

struct _CbCommand
{
  gatomicrefcount   ref_count;
  char            **argv;
  const char      **overrides; /* points into argv */
  char             *display;
  char             *display_multiline;
};

CbCommand *
cb_command_new (const char * const *launcher,
                const char         *script,
                const char * const *overrides)
{
  return cb_command_new_full (launcher, script, NULL, overrides);
}

/**
 * cb_command_new_full:
 * @flags: (nullable): Hydra's flags (such as "-m"), put right after the script; they are
 *   part of the argv and of the first line of the multi-line display, not of the overrides
 */
CbCommand *
cb_command_new_full (const char * const *launcher,
                     const char         *script,
                     const char * const *flags,
                     const char * const *overrides)
{
  CbCommand *self;
  GPtrArray *argv = g_ptr_array_new ();
  guint head_len;

  g_return_val_if_fail (script != NULL, NULL);

  for (guint i = 0; launcher != NULL && launcher[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (launcher[i]));
  g_ptr_array_add (argv, g_strdup (script));
  for (guint i = 0; flags != NULL && flags[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (flags[i]));
  head_len = argv->len;
  for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (overrides[i]));
  g_ptr_array_add (argv, NULL);

  self = g_new0 (CbCommand, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->argv = (char **) g_ptr_array_free (argv, FALSE);
  self->overrides = (const char **) self->argv + head_len;
  self->display = cb_shell_join ((const char * const *) self->argv);
  self->display_multiline = cb_shell_join_multiline ((const char * const *) self->argv, head_len);

  return self;
}

CbCommand *
cb_command_ref (CbCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cb_command_unref (CbCommand *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_strfreev (self->argv);
  g_free (self->display);
  g_free (self->display_multiline);
  g_free (self);
}

const char * const *
cb_command_get_argv (const CbCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->argv;
}

const char * const *
cb_command_get_overrides (const CbCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->overrides;
}

const char *
cb_command_get_display (const CbCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->display;
}

const char *
cb_command_get_display_multiline (const CbCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->display_multiline;
}

gboolean
cb_command_equal (const CbCommand *a,
                  const CbCommand *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strv_equal ((const char * const *) a->argv, (const char * const *) b->argv);
}
