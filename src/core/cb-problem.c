/* cb-problem.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-problem"

#include "config.h"

#include "cb/cb-problem.h"

#include <stdio.h>
#include <string.h>

CbProblem *
cb_problem_new (CbProblemSeverity  severity,
                const char        *file,
                guint              line,
                guint              column,
                const char        *format,
                ...)
{
  CbProblem *problem;
  va_list args;

  g_return_val_if_fail (format != NULL, NULL);

  problem = g_new0 (CbProblem, 1);
  problem->severity = severity;
  problem->file = g_strdup (file);
  problem->line = line;
  problem->column = column;
  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);

  return problem;
}

/* From a message that may start with "FILE:LINE:COLUMN: " (as libyaml errors do). */
CbProblem *
cb_problem_new_located (CbProblemSeverity  severity,
                        const char        *file,
                        const char        *message)
{
  guint line = 0, column = 0;
  const char *rest = message;

  g_return_val_if_fail (message != NULL, NULL);

  if (file != NULL && g_str_has_prefix (message, file) &&
      sscanf (message + strlen (file), ":%u:%u: ", &line, &column) == 2)
    {
      rest = strstr (message + strlen (file) + 1, ": ");
      rest = rest != NULL ? rest + 2 : message;
    }
  else if (file != NULL && g_str_has_prefix (message, file) &&
           g_str_has_prefix (message + strlen (file), ": "))
    rest = message + strlen (file) + 2;

  return cb_problem_new (severity, file, line, column, "%s", rest);
}

CbProblem *
cb_problem_copy (const CbProblem *problem)
{
  CbProblem *copy;

  g_return_val_if_fail (problem != NULL, NULL);

  copy = g_new0 (CbProblem, 1);
  copy->severity = problem->severity;
  copy->file = g_strdup (problem->file);
  copy->line = problem->line;
  copy->column = problem->column;
  copy->message = g_strdup (problem->message);

  return copy;
}

void
cb_problem_free (CbProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->file);
  g_free (problem->message);
  g_free (problem);
}

char *
cb_problem_to_string (const CbProblem *problem)
{
  const char *prefix = "";

  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->severity == CB_PROBLEM_WARNING)
    prefix = "warning: ";
  else if (problem->severity == CB_PROBLEM_NOTICE)
    prefix = "note: ";

  if (problem->file == NULL)
    return g_strdup_printf ("%s%s", prefix, problem->message);
  if (problem->line == 0)
    return g_strdup_printf ("%s: %s%s", problem->file, prefix, problem->message);

  return g_strdup_printf ("%s:%u:%u: %s%s", problem->file, problem->line,
                          MAX (problem->column, 1), prefix, problem->message);
}

GPtrArray *
cb_problem_list_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cb_problem_free);
}

gboolean
cb_problem_list_has_errors (GPtrArray *problems)
{
  if (problems == NULL)
    return FALSE;

  for (guint i = 0; i < problems->len; i++)
    {
      const CbProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == CB_PROBLEM_ERROR)
        return TRUE;
    }

  return FALSE;
}

char *
cb_problem_list_to_string (GPtrArray *problems)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *line = cb_problem_to_string (g_ptr_array_index (problems, i));

      if (str->len > 0)
        g_string_append_c (str, '\n');
      g_string_append (str, line);
    }

  return g_string_free (str, FALSE);
}
