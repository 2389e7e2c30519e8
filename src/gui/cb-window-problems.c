/* cb-window-problems.c: the window's banner of problems in the project's files
 *
 * What loading the project, its configs and the page schemas found, and what the last check
 * of a page's overrides against the composed config found, as `file:line:col: message`
 * lines. Dismissed, the same problems stay out of the way; new ones show again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cb-banner.h"
#include "cb-window-private.h"
#include "cb/cb-problem.h"

/* file:line:col: message, with the file relative to the project when it is inside it. */
static char *
problem_to_string (CbWindow        *self,
                   const CbProblem *problem)
{
  g_autofree char *prefix = NULL;

  if (self->project != NULL && problem->file != NULL)
    {
      prefix = g_strconcat (self->project->root, G_DIR_SEPARATOR_S, NULL);
      if (g_str_has_prefix (problem->file, prefix) && problem->file[strlen (prefix)] != '\0')
        {
          g_autoptr(CbProblem) relative = cb_problem_copy (problem);

          g_free (relative->file);
          relative->file = g_strdup (problem->file + strlen (prefix));
          return cb_problem_to_string (relative);
        }
    }

  return cb_problem_to_string (problem);
}

static void
collect_problems (CbWindow  *self,
                  GPtrArray *from,
                  GPtrArray *lines,
                  gboolean  *has_errors)
{
  for (guint i = 0; from != NULL && i < from->len; i++)
    {
      const CbProblem *problem = g_ptr_array_index (from, i);

      if (problem->severity == CB_PROBLEM_NOTICE)
        continue;
      if (problem->severity == CB_PROBLEM_ERROR)
        *has_errors = TRUE;
      g_ptr_array_add (lines, problem_to_string (self, problem));
    }
}

/* Every problem to show, from the project, its configs, the schemas and the last check. */
static void
collect_all (CbWindow  *self,
             GPtrArray *lines,
             gboolean  *has_errors)
{
  collect_problems (self, self->project_problems, lines, has_errors);
  if (self->config_cache != NULL && cb_config_cache_get_loaded (self->config_cache))
    collect_problems (self, cb_config_cache_get_problems (self->config_cache), lines, has_errors);
  collect_problems (self, self->schema_problems, lines, has_errors);
  collect_problems (self, self->compose_problems, lines, has_errors);
}

void
_cb_window_update_problems (CbWindow *self)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  gboolean has_errors = FALSE;
  guint n;

  collect_all (self, lines, &has_errors);

  n = lines->len;
  g_ptr_array_add (lines, NULL);
  joined = g_strjoinv ("\n", (char **) lines->pdata);

  if (n > 0)
    {
      g_autofree char *title =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u problem in the project’s files",
                                      "%u problems in the project’s files",
                                      n),
                         n);

      cb_banner_set_title (self->problems_banner, title);
      cb_banner_set_messages (self->problems_banner, (const char * const *) lines->pdata);
      cb_banner_set_severity (self->problems_banner,
                              has_errors ? CB_BANNER_ERROR : CB_BANNER_WARNING);
    }

  /* Once dismissed, the same problems stay out of the way; new ones show again. */
  cb_banner_set_revealed (self->problems_banner,
                          n > 0 && g_strcmp0 (joined, self->dismissed_problems) != 0);
}

static void
problems_dismissed_cb (CbBanner *banner,
                       CbWindow *self)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  gboolean has_errors = FALSE;

  collect_all (self, lines, &has_errors);
  g_ptr_array_add (lines, NULL);

  g_free (self->dismissed_problems);
  self->dismissed_problems = g_strjoinv ("\n", (char **) lines->pdata);
}

void
_cb_window_init_problems (CbWindow *self)
{
  cb_banner_set_dismissible (self->problems_banner, TRUE);
  g_signal_connect_object (self->problems_banner, "dismissed",
                           G_CALLBACK (problems_dismissed_cb), self, 0);
}
