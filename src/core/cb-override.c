/* cb-override.c: one Hydra command-line override, parsed as Hydra 1.3 parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text is outside input (typed, pasted, from a run's record), so this is its own unit
 * with bounded nesting. The rules follow reference/hydra-quoting.md, measured on Hydra 1.3.2:
 *
 *   override  := ('~' | '+' | '++')? key ('@' package)? ('=' value?)?
 *   value     := element | element (',' element)+        (the second form is a sweep)
 *   element   := quoted | '[' elements? ']' | '{' pairs? '}' | name '(' … ')' | bare
 *
 * A bare value may hold A-Z a-z 0-9 _ - . / \ $ % * + ? @ | : and inner blanks; `${…}` is kept
 * as text; `\` escapes the next special character. Its type follows Hydra: 32 is an int, 5.0
 * 1e-05 .5 nan inf are floats, true/False booleans, null is null, 1_000 is 1000, 007 a string.
 */

#define G_LOG_DOMAIN "cb-override"

#include "config.h"

#include "cb/cb-override.h"
#include "cb/cb-quote.h"

#include <math.h>
#include <string.h>

#define MAX_DEPTH 64

G_DEFINE_QUARK (cb-override-error-quark, cb_override_error)

typedef struct
{
  const char *text;
  const char *p;
  guint       depth;
  GError    **error;
  gboolean    failed;
} Parser;

static void
fail (Parser     *parser,
      gint        code,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

static void
fail (Parser     *parser,
      gint        code,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  if (parser->failed)
    return;
  parser->failed = TRUE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (parser->error, CB_OVERRIDE_ERROR, code, "%s", message);
}

/* strchr() finds the terminating NUL too: never ask it about '\0'. */
static gboolean
is_one_of (char        c,
           const char *set)
{
  return c != '\0' && strchr (set, c) != NULL;
}

static gboolean
is_bare_char (char c)
{
  return g_ascii_isalnum (c) || is_one_of (c, "_-./\\$%*+?@|:");
}

static void
skip_blanks (Parser *parser)
{
  while (*parser->p == ' ' || *parser->p == '\t')
    parser->p++;
}

/* A quoted string: the same quote escaped as \' or \", runs of backslashes before a quote
 * halved, other backslashes kept. */
static CbCfg *
parse_quoted (Parser *parser)
{
  char quote = *parser->p++;
  g_autoptr(GString) out = g_string_new (NULL);

  for (;;)
    {
      const char *p = parser->p;

      if (*p == '\0')
        {
          fail (parser, CB_OVERRIDE_ERROR_SYNTAX, "a quoted value is not closed (%c)", quote);
          return NULL;
        }
      if (*p == '\\')
        {
          gsize run = strspn (p, "\\");

          if (p[run] == quote)
            {
              /* Even: the quote closes after run/2 backslashes; odd: an escaped quote. */
              for (gsize k = 0; k < run / 2; k++)
                g_string_append_c (out, '\\');
              parser->p = p + run;
              if (run % 2 == 1)
                {
                  g_string_append_c (out, quote);
                  parser->p++;
                }
              continue;
            }
          g_string_append_len (out, p, run);
          parser->p = p + run;
          continue;
        }
      if (*p == quote)
        {
          parser->p = p + 1;
          break;
        }
      g_string_append_c (out, *p);
      parser->p = p + 1;
    }

  return cb_cfg_new_scalar (out->str, TRUE);
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* Hydra's type of a bare value: the scalar it becomes. */
static CbCfg *
typed_scalar (const char *text)
{
  static const char * const floats[] = {
    "nan", "NaN", "inf", "Inf", "-inf", "-Inf", "+inf", NULL
  };
  g_autofree char *plain = NULL;
  const char *digits;
  char *end = NULL;

  if (g_ascii_strcasecmp (text, "null") == 0)
    return cb_cfg_new_null ();
  if (g_ascii_strcasecmp (text, "true") == 0)
    return cb_cfg_new_scalar ("true", FALSE);
  if (g_ascii_strcasecmp (text, "false") == 0)
    return cb_cfg_new_scalar ("false", FALSE);
  if (g_strv_contains (floats, text))
    return cb_cfg_new_scalar (text, FALSE);

  /* Integers: digits with single underscores between them, no leading zero but 0 itself. */
  plain = g_strdup (text);
  {
    char *w = plain;
    gboolean ok = TRUE;

    for (const char *r = text; *r; r++)
      {
        if (*r == '_')
          {
            if (r == text || !g_ascii_isdigit (r[-1]) || !g_ascii_isdigit (r[1]))
              ok = FALSE;
            continue;
          }
        *w++ = *r;
      }
    *w = '\0';
    digits = plain + (plain[0] == '-' || plain[0] == '+');
    if (ok && all_digits (digits) && (digits[0] != '0' || digits[1] == '\0'))
      return cb_cfg_new_scalar (plain, FALSE);

    /* Floats: what strtod takes whole, with a digit in it. */
    g_ascii_strtod (plain, &end);
    /* Hydra's floats have a point or an exponent: 007 is a string, 1e3 and .5 floats,
     * which Python then writes as 1000.0 and 0.5. */
    if (ok && end != plain && *end == '\0' && strpbrk (plain, "0123456789") != NULL &&
        strpbrk (plain, "xXpP") == NULL && strpbrk (plain, ".eE") != NULL)
      {
        g_autofree char *repr = cb_format_number_repr (g_ascii_strtod (plain, NULL));

        return cb_cfg_new_scalar (repr, FALSE);
      }
  }

  return cb_cfg_new_scalar (text, TRUE);
}

/* ${…} copied as text, nested braces included. */
static gboolean
copy_interpolation (Parser  *parser,
                    GString *out)
{
  guint depth = 0;

  for (const char *p = parser->p; *p != '\0'; p++)
    {
      if (p[0] == '$' && p[1] == '{')
        {
          depth++;
          g_string_append (out, "${");
          p++;
          continue;
        }
      g_string_append_c (out, *p);
      if (*p == '}' && --depth == 0)
        {
          parser->p = p + 1;
          return TRUE;
        }
    }
  fail (parser, CB_OVERRIDE_ERROR_SYNTAX, "an interpolation ${… is not closed");
  return FALSE;
}

static CbCfg *
parse_bare (Parser     *parser,
            const char *stops)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize trailing = 0;  /* blanks at the end, dropped unless escaped */

  for (;;)
    {
      char c = *parser->p;

      if (c == '\0' || is_one_of (c, stops))
        break;
      if (c == '$' && parser->p[1] == '{')
        {
          if (!copy_interpolation (parser, out))
            return NULL;
          trailing = 0;
          continue;
        }
      if (c == '\\' && is_one_of (parser->p[1], "\\ ,=:()[]{}\t"))
        {
          g_string_append_c (out, parser->p[1]);
          parser->p += 2;
          trailing = 0;
          continue;
        }
      if (c == ' ' || c == '\t')
        {
          if (out->len > 0)
            {
              g_string_append_c (out, c);
              trailing++;
            }
          parser->p++;
          continue;
        }
      if (!is_bare_char (c))
        {
          if ((guchar) c >= 0x80)
            fail (parser, CB_OVERRIDE_ERROR_SYNTAX,
                  "a non-ASCII character must be inside quotes (\"…\")");
          else
            fail (parser, CB_OVERRIDE_ERROR_SYNTAX,
                  "'%c' must be inside quotes (\"…\") or escaped with \\", c);
          return NULL;
        }
      g_string_append_c (out, c);
      parser->p++;
      trailing = 0;
    }

  g_string_truncate (out, out->len - trailing);
  return typed_scalar (out->str);
}

static CbCfg *parse_element (Parser *parser, const char *stops);

static CbCfg *
parse_list (Parser *parser)
{
  g_autoptr(CbCfg) list = cb_cfg_new_list ();

  parser->p++;
  skip_blanks (parser);
  if (*parser->p == ']')
    {
      parser->p++;
      return g_steal_pointer (&list);
    }
  for (;;)
    {
      CbCfg *item;

      skip_blanks (parser);
      item = parse_element (parser, ",]");
      if (item == NULL)
        return NULL;
      cb_cfg_list_append (list, item);
      skip_blanks (parser);
      if (*parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (*parser->p == ']')
        {
          parser->p++;
          return g_steal_pointer (&list);
        }
      fail (parser, CB_OVERRIDE_ERROR_SYNTAX, "a list [… is not closed with ]");
      return NULL;
    }
}

static CbCfg *
parse_dict (Parser *parser)
{
  g_autoptr(CbCfg) map = cb_cfg_new_map ();

  parser->p++;
  skip_blanks (parser);
  if (*parser->p == '}')
    {
      parser->p++;
      return g_steal_pointer (&map);
    }
  for (;;)
    {
      const char *start;
      g_autofree char *key = NULL;
      CbCfg *value;

      skip_blanks (parser);
      start = parser->p;
      while (g_ascii_isalnum (*parser->p) || is_one_of (*parser->p, "_-./$"))
        parser->p++;
      key = g_strndup (start, parser->p - start);
      skip_blanks (parser);
      if (*key == '\0' || *parser->p != ':')
        {
          fail (parser, CB_OVERRIDE_ERROR_SYNTAX, "a dict {…} needs key: value pairs");
          return NULL;
        }
      parser->p++;
      skip_blanks (parser);
      value = parse_element (parser, ",}");
      if (value == NULL)
        return NULL;
      cb_cfg_map_set (map, key, value);
      skip_blanks (parser);
      if (*parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (*parser->p == '}')
        {
          parser->p++;
          return g_steal_pointer (&map);
        }
      fail (parser, CB_OVERRIDE_ERROR_SYNTAX, "a dict {… is not closed with }");
      return NULL;
    }
}

/* Hydra's casts: str(x), int(x), float(x), bool(x) of one primitive. */
static CbCfg *
parse_cast (Parser     *parser,
            const char *name,
            const char *args)
{
  g_autoptr(CbCfg) arg = NULL;
  const char *text;
  double d;
  char *end = NULL;

  parser->p = args;
  arg = parse_element (parser, ",)");
  if (arg == NULL)
    return NULL;
  if (*parser->p != ')' || arg->kind == CB_CFG_MAP || arg->kind == CB_CFG_LIST)
    {
      fail (parser, CB_OVERRIDE_ERROR_SYNTAX, "%s() takes one plain value", name);
      return NULL;
    }
  parser->p++;
  text = arg->kind == CB_CFG_NULL ? "null" : arg->text;

  if (g_str_equal (name, "str"))
    return cb_cfg_new_scalar (text, TRUE);
  if (g_str_equal (name, "bool"))
    {
      if (g_ascii_strcasecmp (text, "true") == 0 || g_str_equal (text, "1"))
        return cb_cfg_new_scalar ("true", FALSE);
      if (g_ascii_strcasecmp (text, "false") == 0 || g_str_equal (text, "0"))
        return cb_cfg_new_scalar ("false", FALSE);
    }
  else
    {
      d = g_ascii_strtod (text, &end);
      if (*text != '\0' && end != text && *end == '\0' && isfinite (d))
        {
          g_autofree char *out = NULL;

          if (g_str_equal (name, "int"))
            out = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) d);
          else
            out = cb_format_number_repr (d);
          return cb_cfg_new_scalar (out, FALSE);
        }
    }
  fail (parser, CB_OVERRIDE_ERROR_SYNTAX, "%s(%s): not a value of that type", name, text);
  return NULL;
}

static CbCfg *
parse_element (Parser     *parser,
               const char *stops)
{
  g_autofree char *name_buf = NULL;
  CbCfg *result;
  const char *p;

  if (++parser->depth > MAX_DEPTH)
    {
      fail (parser, CB_OVERRIDE_ERROR_SYNTAX, "the value is nested too deeply");
      return NULL;
    }

  skip_blanks (parser);
  p = parser->p;
  if (*p == '"' || *p == '\'')
    result = parse_quoted (parser);
  else if (*p == '[')
    result = parse_list (parser);
  else if (*p == '{')
    result = parse_dict (parser);
  else
    {
      const char *q = p;

      while (g_ascii_isalnum (*q) || *q == '_')
        q++;
      if (q != p && *q == '(' &&
          g_strv_contains ((const char * const[]) { "str", "int", "float", "bool", NULL },
                           (name_buf = g_strndup (p, q - p))))
        result = parse_cast (parser, name_buf, q + 1);
      else if (q != p && *q == '(')
        {
          g_autofree char *name = g_strndup (p, q - p);

          if (g_strv_contains ((const char * const[]) { "choice", "range", "interval", "glob",
                                                        "sort", "shuffle", "tag", NULL }, name))
            fail (parser, CB_OVERRIDE_ERROR_SWEEP,
                  "%s() makes a sweep: it needs --multirun (-m)", name);
          else
            fail (parser, CB_OVERRIDE_ERROR_SYNTAX,
                  "the function %s() is not supported here", name);
          result = NULL;
        }
      else
        result = parse_bare (parser, stops);
    }

  if (result != NULL)
    skip_blanks (parser);
  parser->depth--;
  return result;
}

static CbOverride *parse_override (const char *text, GPtrArray *choices, GError **error);

/**
 * cb_override_parse:
 * @text: one argv element, as Hydra receives it (after the shell)
 *
 * Returns: (transfer full): the override, or %NULL with @error set as Hydra would refuse it
 */
CbOverride *
cb_override_parse (const char  *text,
                   GError     **error)
{
  return parse_override (text, NULL, error);
}

/**
 * cb_override_parse_sweep:
 * @text: one argv element of a --multirun command
 * @choices: (out) (transfer full): the values of a simple sweep `key=a,b,c` (CbCfg *, in
 *   order), or of a plain `key=a` (one value)
 *
 * As cb_override_parse(), but a simple sweep is read as Hydra's multirun reads it: the
 * override's value is its first element. choice()/range() and the like are still refused.
 */
CbOverride *
cb_override_parse_sweep (const char  *text,
                         GPtrArray  **choices,
                         GError     **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_cfg_free);
  CbOverride *override;

  g_return_val_if_fail (choices != NULL, NULL);

  override = parse_override (text, found, error);
  if (override != NULL && found->len == 0 && override->value != NULL)
    g_ptr_array_add (found, cb_cfg_copy (override->value));
  *choices = override != NULL ? g_steal_pointer (&found) : NULL;
  return override;
}

static CbOverride *
parse_override (const char  *text,
                GPtrArray   *choices,
                GError     **error)
{
  g_autoptr(CbOverride) override = g_new0 (CbOverride, 1);
  Parser parser = { text, text, 0, error, FALSE };
  const char *start;

  g_return_val_if_fail (text != NULL, NULL);

  override->text = g_strdup (text);
  if (!g_utf8_validate (text, -1, NULL))
    {
      fail (&parser, CB_OVERRIDE_ERROR_SYNTAX, "the override is not valid UTF-8 text");
      return NULL;
    }

  if (g_str_has_prefix (parser.p, "++"))
    {
      override->kind = CB_OVERRIDE_FORCE_ADD;
      parser.p += 2;
    }
  else if (*parser.p == '+')
    {
      override->kind = CB_OVERRIDE_ADD;
      parser.p++;
    }
  else if (*parser.p == '~')
    {
      override->kind = CB_OVERRIDE_DELETE;
      parser.p++;
    }
  else
    override->kind = CB_OVERRIDE_CHANGE;

  start = parser.p;
  while (g_ascii_isalnum (*parser.p) || is_one_of (*parser.p, "_-./$[]"))
    parser.p++;
  override->key = g_strndup (start, parser.p - start);
  if (*override->key == '\0' || override->key[0] == '.' ||
      g_str_has_suffix (override->key, ".") || strstr (override->key, "..") != NULL)
    {
      fail (&parser, CB_OVERRIDE_ERROR_SYNTAX, "'%s' does not start with a key", text);
      return NULL;
    }
  if (*parser.p == '@')
    {
      parser.p++;
      start = parser.p;
      while (g_ascii_isalnum (*parser.p) || is_one_of (*parser.p, "_-."))
        parser.p++;
      override->package = g_strndup (start, parser.p - start);
    }

  if (*parser.p == '\0')
    {
      if (override->kind != CB_OVERRIDE_DELETE)
        {
          fail (&parser, CB_OVERRIDE_ERROR_SYNTAX, "'%s' has no '=' and value", text);
          return NULL;
        }
      return g_steal_pointer (&override);
    }
  if (*parser.p != '=')
    {
      fail (&parser, CB_OVERRIDE_ERROR_SYNTAX, "'%s': '%c' cannot be part of a key", text,
            *parser.p);
      return NULL;
    }
  parser.p++;

  skip_blanks (&parser);
  if (*parser.p == '\0')
    override->value = override->kind == CB_OVERRIDE_DELETE ? NULL : cb_cfg_new_scalar ("", TRUE);
  else
    {
      override->value = parse_element (&parser, ",");
      if (override->value == NULL)
        return NULL;
      if (*parser.p == ',' && choices != NULL)
        {
          /* Under --multirun: the elements of a simple sweep. */
          g_ptr_array_add (choices, cb_cfg_copy (override->value));
          while (*parser.p == ',')
            {
              CbCfg *item;

              parser.p++;
              skip_blanks (&parser);
              item = parse_element (&parser, ",");
              if (item == NULL)
                return NULL;
              g_ptr_array_add (choices, item);
            }
        }
      if (*parser.p == ',')
        {
          fail (&parser, CB_OVERRIDE_ERROR_SWEEP,
                "Ambiguous value for argument '%s': a comma makes a sweep. Use [a,b] for a "
                "list, quote the value for a string, or add --multirun to sweep", text);
          return NULL;
        }
      if (*parser.p != '\0')
        {
          fail (&parser, CB_OVERRIDE_ERROR_SYNTAX, "'%s': unexpected '%c' after the value",
                text, *parser.p);
          return NULL;
        }
    }

  return g_steal_pointer (&override);
}

void
cb_override_free (CbOverride *override)
{
  if (override == NULL)
    return;
  g_free (override->text);
  g_free (override->key);
  g_free (override->package);
  g_clear_pointer (&override->value, cb_cfg_free);
  g_free (override);
}

const char *
cb_override_kind_prefix (CbOverrideKind kind)
{
  switch (kind)
    {
    case CB_OVERRIDE_ADD:
      return "+";
    case CB_OVERRIDE_FORCE_ADD:
      return "++";
    case CB_OVERRIDE_DELETE:
      return "~";
    case CB_OVERRIDE_CHANGE:
    default:
      return "";
    }
}
