/* cb-command-parse.c: a pasted command read back into its page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text (one command as a shell would take it: `\` continuations, a `$ ` prompt, any shell
 * quoting) or argv → the page its runner script names, the launcher and Hydra flags noted,
 * every override checked with Hydra's grammar before anything changes. Loading then goes
 * through cb_form_load_command; what no field takes is kept as an extra override, so
 * nothing pasted is lost.
 */

#define G_LOG_DOMAIN "cb-command-parse"

#include "config.h"

#include "cb/cb-command-parse.h"
#include "cb/cb-json-write.h"
#include "cb/cb-override.h"
#include "cb/cb-quote.h"

#include <glib/gi18n.h>
#include <string.h>

G_DEFINE_QUARK (cb-command-parse-error-quark, cb_command_parse_error)

static void
ignored_word_free (CbIgnoredWord *ignored)
{
  g_free (ignored->word);
  g_free (ignored->reason);
  g_free (ignored);
}

static void
add_ignored (CbParseResult *self,
             char          *word,
             const char    *reason)
{
  CbIgnoredWord *ignored = g_new0 (CbIgnoredWord, 1);

  ignored->word = word;
  ignored->reason = g_strdup (reason);
  g_ptr_array_add (self->ignored, ignored);
}

/* Removes backslash-newline pairs where a shell would (everywhere but inside single
 * quotes), turns CRLF into LF and drops a leading "$ " prompt. */
static char *
join_continuations (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean single = FALSE;
  gboolean twice = FALSE;
  const char *p = text;

  while (g_ascii_isspace (*p))
    p++;
  if (p[0] == '$' && (p[1] == ' ' || p[1] == '\t'))
    p += 2;

  for (; *p != '\0'; p++)
    {
      if (p[0] == '\r' && p[1] == '\n')
        continue;
      if (single)
        {
          if (*p == '\'')
            single = FALSE;
          g_string_append_c (out, *p);
          continue;
        }
      if (*p == '\\')
        {
          if (p[1] == '\n')
            {
              p++;
              continue;
            }
          if (p[1] == '\r' && p[2] == '\n')
            {
              p += 2;
              continue;
            }
          g_string_append_c (out, *p);
          if (p[1] != '\0')
            g_string_append_c (out, *++p);
          continue;
        }
      if (*p == '"')
        twice = !twice;
      else if (*p == '\'' && !twice)
        single = TRUE;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/**
 * cb_command_split_text:
 * @text: one command as pasted
 *
 * Returns: (transfer full): the argv a shell would make of @text (without expanding
 * variables), or %NULL with @error set
 */
char **
cb_command_split_text (const char  *text,
                       GError     **error)
{
  g_autofree char *joined = NULL;
  g_autoptr(GError) shell_error = NULL;
  char **argv = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_SHELL,
                   _("The command is not valid UTF-8 text"));
      return NULL;
    }
  joined = join_continuations (text);
  if (!g_shell_parse_argv (joined, NULL, &argv, &shell_error))
    {
      if (g_error_matches (shell_error, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING))
        g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_EMPTY,
                     _("There is no command in the text"));
      else
        g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_SHELL,
                     _("The command’s quoting cannot be read: %s"), shell_error->message);
      return NULL;
    }

  return argv;
}

static gboolean
is_multirun_flag (const char *word)
{
  return g_str_equal (word, "-m") || g_str_equal (word, "--multirun");
}

/**
 * cb_command_parse_argv:
 * @argv: a command: launcher, runners/<page>.py, overrides (or only overrides, with @page)
 * @page: (nullable): the page to read it for; %NULL to take the script's
 * @project: (nullable): the project whose launcher and runners folder are expected
 *
 * Reads the words without changing anything: every override must be one Hydra accepts.
 *
 * Returns: (transfer full): the result, to load with cb_parse_result_load(), or %NULL with
 * @error naming the word that cannot be read
 */
CbParseResult *
cb_command_parse_argv (const char * const  *argv,
                       const char          *page,
                       const CbProject     *project,
                       GError             **error)
{
  g_autoptr(CbParseResult) self = NULL;
  g_autoptr(GPtrArray) overrides = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *script_page = NULL;
  int script = -1;
  guint sweeps = 0;
  const char *multirun_flag = NULL;

  g_return_val_if_fail (argv != NULL, NULL);

  if (argv[0] == NULL)
    {
      g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_EMPTY,
                   _("There is no command in the text"));
      return NULL;
    }

  self = g_new0 (CbParseResult, 1);
  self->fields = g_ptr_array_new_with_free_func (g_free);
  self->extra = g_ptr_array_new_with_free_func (g_free);
  self->ignored = g_ptr_array_new_with_free_func ((GDestroyNotify) ignored_word_free);

  for (guint i = 0; argv[i] != NULL; i++)
    if (g_str_has_suffix (argv[i], ".py"))
      {
        script = (int) i;
        break;
      }

  if (script >= 0)
    {
      g_autofree char *base = g_path_get_basename (argv[script]);

      script_page = g_strndup (base, strlen (base) - strlen (".py"));
      if (page != NULL && !g_str_equal (page, script_page))
        {
          g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_PAGE,
                       _("“%s” runs the %s page, not the %s page"), argv[script], script_page,
                       page);
          return NULL;
        }
      self->page = g_strdup (script_page);
    }
  else if (page != NULL)
    self->page = g_strdup (page);
  else
    {
      g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_NO_SCRIPT,
                   _("The command runs no runner script (such as runners/train.py)"));
      return NULL;
    }

  /* The launcher and the script's folder are the project's: others are said, not kept. */
  if (script >= 0 && project != NULL)
    {
      g_autoptr(GPtrArray) launcher = g_ptr_array_new ();
      g_autofree char *expected = g_strdup_printf ("%s/%s.py", project->runners_dir, self->page);

      for (int i = 0; i < script; i++)
        g_ptr_array_add (launcher, (gpointer) argv[i]);
      g_ptr_array_add (launcher, NULL);
      if (!g_strv_equal ((const char * const *) launcher->pdata,
                         (const char * const *) project->launcher))
        add_ignored (self, cb_shell_join ((const char * const *) launcher->pdata),
                     _("launcher differs"));
      if (!g_str_equal (argv[script], expected))
        add_ignored (self, g_strdup (argv[script]), _("script path differs"));
    }

  for (guint i = script + 1; argv[i] != NULL; i++)
    {
      g_autoptr(CbOverride) override = NULL;
      g_autoptr(GError) override_error = NULL;

      if (is_multirun_flag (argv[i]))
        {
          if (!self->multirun)
            multirun_flag = argv[i];
          self->multirun = TRUE;
          continue;
        }
      if (argv[i][0] == '-')
        {
          g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_WORD,
                       _("“%s” is a Hydra option the page cannot keep"), argv[i]);
          return NULL;
        }
      override = cb_override_parse (argv[i], &override_error);
      if (override == NULL &&
          !g_error_matches (override_error, CB_OVERRIDE_ERROR, CB_OVERRIDE_ERROR_SWEEP))
        {
          g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_WORD,
                       _("“%s” is not an override Hydra can read: %s"), argv[i],
                       override_error->message);
          return NULL;
        }
      g_ptr_array_add (overrides, g_strdup (argv[i]));
    }

  /* A sweep runs only with --multirun: check once all flags are known. A multirun keeps
   * its sweeps (the fields take them); one without any sweep is a single run. */
  for (guint i = 0; i < overrides->len; i++)
    {
      g_autoptr(GError) override_error = NULL;
      g_autoptr(CbOverride) override = cb_override_parse (g_ptr_array_index (overrides, i),
                                                          &override_error);

      if (override == NULL && !self->multirun)
        {
          g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_WORD,
                       _("“%s” is a sweep, which runs only with --multirun"),
                       (char *) g_ptr_array_index (overrides, i));
          return NULL;
        }
      if (override == NULL)
        sweeps++;
    }
  if (multirun_flag != NULL && sweeps == 0)
    add_ignored (self, g_strdup (multirun_flag), _("multirun"));

  g_ptr_array_add (overrides, NULL);
  self->overrides = (char **) g_ptr_array_free (g_steal_pointer (&overrides), FALSE);
  return g_steal_pointer (&self);
}

/**
 * cb_command_parse_text:
 * @text: one command as pasted (see cb_command_split_text())
 *
 * Returns: (transfer full): as cb_command_parse_argv()
 */
CbParseResult *
cb_command_parse_text (const char       *text,
                       const char       *page,
                       const CbProject  *project,
                       GError          **error)
{
  g_auto(GStrv) argv = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  argv = cb_command_split_text (text, error);
  if (argv == NULL)
    return NULL;
  return cb_command_parse_argv ((const char * const *) argv, page, project, error);
}

static char *
override_key (const char *word)
{
  const char *eq = strchr (word, '=');

  return eq != NULL ? g_strndup (word, eq - word) : g_strdup (word);
}

/* Whether the command has @word, or another override of the same key (the field wrote
 * the value its own way: `exp_name='a b'` comes back as `exp_name="a b"`). */
static gboolean
command_keeps (const char * const *command,
               const char         *word)
{
  g_autofree char *key = override_key (word);

  for (guint i = 0; command[i] != NULL; i++)
    {
      g_autofree char *other = NULL;

      if (g_str_equal (command[i], word))
        return TRUE;
      other = override_key (command[i]);
      if (g_str_equal (other, key))
        return TRUE;
    }
  return FALSE;
}

/**
 * cb_parse_result_load:
 * @form: the form of the result's page
 *
 * Resets @form and loads the command into it: the fields take their overrides, every other
 * override becomes an extra override. Fills in the result's fields and extra.
 */
gboolean
cb_parse_result_load (CbParseResult  *self,
                      CbForm         *form,
                      GError        **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) unplaced = NULL;
  const char * const *command;
  CbSchema *schema;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (CB_IS_FORM (form), FALSE);

  if (!g_str_equal (cb_form_get_page (form), self->page))
    {
      g_set_error (error, CB_COMMAND_PARSE_ERROR, CB_COMMAND_PARSE_ERROR_PAGE,
                   _("The command is for the %s page, not the %s page"), self->page,
                   cb_form_get_page (form));
      return FALSE;
    }

  g_ptr_array_add (argv, g_strdup_printf ("%s.py", self->page));
  if (self->multirun)
    g_ptr_array_add (argv, g_strdup ("-m"));
  for (guint i = 0; self->overrides[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (self->overrides[i]));
  g_ptr_array_add (argv, NULL);

  /* Not frozen: the load reads what each value it sets shows and hides. */
  if (!cb_form_load_command (form, (const char * const *) argv->pdata, &unplaced, error))
    return FALSE;

  /* What no field took, and what a field took but does not write (it is hidden): extra
   * overrides, in the order they were given. */
  g_ptr_array_set_size (self->extra, 0);
  command = cb_command_get_overrides (cb_form_get_command (form));
  for (guint i = 0; self->overrides[i] != NULL; i++)
    {
      const char *word = self->overrides[i];

      if ((unplaced != NULL && g_strv_contains ((const char * const *) unplaced, word)) ||
          !command_keeps (command, word))
        g_ptr_array_add (self->extra, g_strdup (word));
    }
  g_ptr_array_add (self->extra, NULL);
  cb_form_set_extra_overrides (form, (const char * const *) self->extra->pdata);
  g_ptr_array_set_size (self->extra, self->extra->len - 1);

  g_ptr_array_set_size (self->fields, 0);
  schema = cb_form_get_schema (form);
  for (guint i = 0; i < cb_schema_get_n_fields (schema); i++)
    {
      const CbFieldState *state = cb_form_get_field_state (form, i);
      const char *key = cb_schema_get_field (schema, i)->key;

      if (state->visible && ((state->user_set && state->value != NULL) ||
                             cb_form_get_sweep (form, key) != NULL))
        g_ptr_array_add (self->fields, g_strdup (cb_schema_get_field (schema, i)->key));
    }

  return TRUE;
}

/**
 * cb_parse_result_describe:
 *
 * Returns: (transfer full): what loading did, as "14 fields set, 2 extra overrides,
 * 1 ignored (launcher differs)"
 */
char *
cb_parse_result_describe (const CbParseResult *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  g_string_append_printf (text, ngettext ("%u field set", "%u fields set", self->fields->len),
                          self->fields->len);
  if (self->extra->len > 0)
    {
      g_string_append (text, ", ");
      g_string_append_printf (text, ngettext ("%u extra override", "%u extra overrides",
                                              self->extra->len),
                              self->extra->len);
    }
  if (self->ignored->len > 0)
    {
      g_autoptr(GPtrArray) reasons = g_ptr_array_new ();

      g_string_append (text, ", ");
      g_string_append_printf (text, ngettext ("%u ignored", "%u ignored", self->ignored->len),
                              self->ignored->len);
      for (guint i = 0; i < self->ignored->len; i++)
        {
          const CbIgnoredWord *ignored = g_ptr_array_index (self->ignored, i);

          if (!g_ptr_array_find_with_equal_func (reasons, ignored->reason, g_str_equal, NULL))
            g_ptr_array_add (reasons, ignored->reason);
        }
      g_ptr_array_add (reasons, NULL);
      {
        g_autofree char *joined = g_strjoinv (", ", (char **) reasons->pdata);

        g_string_append_printf (text, " (%s)", joined);
      }
    }

  return g_string_free (text, FALSE);
}

/* The text that cb_form_set_value_from_string() reads back as @value. */
static char *
value_word (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "true" : "false");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return cb_format_number_repr (g_variant_get_double (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_strdup (g_variant_get_string (value, NULL));
  return g_variant_print (value, FALSE);
}

/**
 * cb_parse_result_to_words:
 * @form: the form the result was loaded into
 *
 * Returns: (transfer full): the words that make `command-builder print` build the same
 * command: the page, KEY=VALUE per field set, append_suffix=false when the name has no
 * suffix, --extra=OVERRIDE per extra override
 */
char **
cb_parse_result_to_words (const CbParseResult *self,
                          CbForm              *form)
{
  GPtrArray *words = g_ptr_array_new ();

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (CB_IS_FORM (form), NULL);

  g_ptr_array_add (words, g_strdup (self->page));
  for (guint i = 0; i < self->fields->len; i++)
    {
      const char *key = g_ptr_array_index (self->fields, i);
      g_autofree char *text = value_word (cb_form_get_value (form, key));

      g_ptr_array_add (words, g_strdup_printf ("%s=%s", key, text));
    }
  if (!cb_form_get_append_suffix (form))
    g_ptr_array_add (words, g_strdup ("append_suffix=false"));
  for (guint i = 0; i < self->extra->len; i++)
    g_ptr_array_add (words, g_strdup_printf ("--extra=%s",
                                             (char *) g_ptr_array_index (self->extra, i)));
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (words, FALSE);
}

static void
append_json_list (GString    *out,
                  const char *name,
                  GPtrArray  *items)
{
  g_string_append_printf (out, ",\n  \"%s\": [", name);
  for (guint i = 0; i < items->len; i++)
    {
      g_string_append (out, i > 0 ? ", " : "");
      cb_json_append_string (out, g_ptr_array_index (items, i));
    }
  g_string_append_c (out, ']');
}

/**
 * cb_parse_result_to_json:
 * @form: the form the result was loaded into
 *
 * Returns: (transfer full): a JSON object: page, words (as cb_parse_result_to_words()),
 * fields (key → value text), extra, ignored ({word, reason}), multirun
 */
char *
cb_parse_result_to_json (const CbParseResult *self,
                         CbForm              *form)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GPtrArray) word_list = g_ptr_array_new ();
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (CB_IS_FORM (form), NULL);

  words = cb_parse_result_to_words (self, form);
  for (guint i = 0; words[i] != NULL; i++)
    g_ptr_array_add (word_list, words[i]);

  out = g_string_new ("{\n  \"page\": ");
  cb_json_append_string (out, self->page);
  append_json_list (out, "words", word_list);
  g_string_append (out, ",\n  \"fields\": {");
  for (guint i = 0; i < self->fields->len; i++)
    {
      const char *key = g_ptr_array_index (self->fields, i);
      g_autofree char *text = value_word (cb_form_get_value (form, key));

      g_string_append (out, i > 0 ? ", " : "");
      cb_json_append_string (out, key);
      g_string_append (out, ": ");
      cb_json_append_string (out, text);
    }
  g_string_append_c (out, '}');
  append_json_list (out, "extra", self->extra);
  g_string_append (out, ",\n  \"ignored\": [");
  for (guint i = 0; i < self->ignored->len; i++)
    {
      const CbIgnoredWord *ignored = g_ptr_array_index (self->ignored, i);

      g_string_append (out, i > 0 ? ", " : "");
      g_string_append (out, "{\"word\": ");
      cb_json_append_string (out, ignored->word);
      g_string_append (out, ", \"reason\": ");
      cb_json_append_string (out, ignored->reason);
      g_string_append_c (out, '}');
    }
  g_string_append_printf (out, "],\n  \"multirun\": %s\n}\n", self->multirun ? "true" : "false");

  return g_string_free (out, FALSE);
}

void
cb_parse_result_free (CbParseResult *self)
{
  if (self == NULL)
    return;
  g_free (self->page);
  g_strfreev (self->overrides);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->extra, g_ptr_array_unref);
  g_clear_pointer (&self->ignored, g_ptr_array_unref);
  g_free (self);
}
