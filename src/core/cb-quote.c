/* cb-quote.c: Hydra value quoting, shell quoting for display, Python-style numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Three layers of quoting meet in a command line we build:
 *
 * 1. Hydra's override grammar (Hydra 1.3.2, measured in shared/reference/hydra-quoting.md).
 *    The text after "key=" is either bare or one "..." string.  Bare text may only use
 *    A-Z a-z 0-9 _ - . / $ % * + ? @ | : and inner spaces or tabs; a bare backslash is
 *    accepted by Hydra but starts escapes ("\\", "\ ", "\,"), so we never leave one bare.
 *    Free text typed by the user is also quoted when it has blanks or when Hydra could read
 *    it as a number, boolean or null; an option name stays bare wherever Hydra accepts it.
 *    Inside "...", a '"' is written \" and every run of backslashes that stands right before
 *    a '"' (escaped or closing) is doubled; all other backslashes are taken literally.
 *
 * 2. OmegaConf interpolation.  A string that contains "${" is parsed again by OmegaConf,
 *    quoted or not.  There, a run of 2n+1 backslashes followed by "${" gives n backslashes
 *    and a literal "${", while 2n backslashes followed by "${" give n backslashes and a real
 *    interpolation; backslashes anywhere else are kept as they are.  So, for free text only,
 *    a literal "${" preceded by k backslashes is written as 2k+1 backslashes and "${":
 *    "${oops" becomes \${oops and "a\${b" (one backslash) becomes a\\\${b (three).
 *
 * 3. The POSIX shell, for the command we *display* (we run commands with an argv, never
 *    through a shell).  Words made of A-Z a-z 0-9 _ @ % + = : , . / - stay bare, everything
 *    else is single-quoted with ' written '\''.  A bare word with '=' is harmless as an
 *    argument but would be a variable assignment in command position, so cb_shell_join()
 *    always quotes argv[0] when it contains '=' (or is a reserved word such as "if"),
 *    while cb_shell_quote_word(), which cannot know the position, treats '=' as safe.
 */

#define G_LOG_DOMAIN "cb-quote"

#include "config.h"

#include "cb/cb-quote.h"

#include <math.h>
#include <string.h>

/* Characters Hydra 1.3.2 accepts anywhere in an unquoted value, backslash left out on
 * purpose.  Space and tab are accepted too, but not at either end. */
static gboolean
is_hydra_bare_char (char c)
{
  if (g_ascii_isalnum (c))
    return TRUE;

  return c != '\0' && strchr ("_-./$%*+?@|:", c) != NULL;
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* TRUE if Hydra would take @value bare (as some type or other) without rejecting it or
 * changing its text. */
static gboolean
is_hydra_bare_text (const char *value)
{
  gsize len = strlen (value);

  if (len == 0 || is_blank (value[0]) || is_blank (value[len - 1]))
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (!is_hydra_bare_char (*p) && !is_blank (*p))
        return FALSE;
    }

  return TRUE;
}

/* TRUE if Hydra might type bare @value as something other than a string.  This is a
 * superset of Hydra's INT, FLOAT, BOOL and NULL tokens: after an optional sign, anything
 * that starts with a digit (or "." and a digit) and continues with only digits, "_", ".",
 * "e", "E", "+" and "-" counts, so "007", "1.2.3" and "2024-01-01", which Hydra would keep
 * as strings, are quoted as well.  Quoting a string never hurts; leaving a number bare
 * would change its type. */
static gboolean
looks_typed (const char *value)
{
  static const char * const words[] = {
    "inf", "infinity", "nan", "true", "false", "null",
  };
  const char *s = value;

  if (*s == '+' || *s == '-')
    s++;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (g_ascii_strcasecmp (s, words[i]) == 0)
        return TRUE;
    }

  if (!(g_ascii_isdigit (s[0]) || (s[0] == '.' && g_ascii_isdigit (s[1]))))
    return FALSE;

  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isdigit (*s) && strchr ("_.eE+-", *s) == NULL)
        return FALSE;
    }

  return TRUE;
}

gboolean
cb_hydra_value_needs_quoting (const char  *value,
                              CbValueKind  kind)
{
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (kind == CB_VALUE_KIND_FREE_TEXT || kind == CB_VALUE_KIND_OPTION, FALSE);

  if (!is_hydra_bare_text (value))
    return TRUE;

  if (kind == CB_VALUE_KIND_OPTION)
    return FALSE;

  /* Free text.  "${" cannot occur in bare text ('{' is not a bare character), so text that
   * would interpolate is always quoted, and escaped, by the rule above.  Hydra keeps inner
   * blanks of bare text, but "my run" reads better, and survives a careless copy, quoted. */
  if (strpbrk (value, " \t") != NULL || looks_typed (value))
    return TRUE;

  return FALSE;
}

static void
append_backslashes (GString *out,
                    gsize    count)
{
  for (gsize i = 0; i < count; i++)
    g_string_append_c (out, '\\');
}

/* Hydra's "..." form.  With @escape_interpolation, a literal "${" is protected from
 * OmegaConf as described at the top of this file. */
static char *
hydra_double_quote (const char *value,
                    gboolean    escape_interpolation)
{
  GString *out = g_string_sized_new (strlen (value) + 2);
  gsize pending = 0; /* backslashes read but not yet written */

  g_string_append_c (out, '"');

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\')
        {
          pending++;
        }
      else if (*p == '"')
        {
          append_backslashes (out, 2 * pending);
          g_string_append (out, "\\\"");
          pending = 0;
        }
      else if (*p == '$' && p[1] == '{' && escape_interpolation)
        {
          append_backslashes (out, 2 * pending + 1);
          g_string_append_c (out, '$');
          pending = 0;
        }
      else
        {
          append_backslashes (out, pending);
          g_string_append_c (out, *p);
          pending = 0;
        }
    }

  /* A run of backslashes before the closing quote is doubled too. */
  append_backslashes (out, 2 * pending);
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

char *
cb_hydra_quote_value (const char  *value,
                      CbValueKind  kind)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (kind == CB_VALUE_KIND_FREE_TEXT || kind == CB_VALUE_KIND_OPTION, NULL);

  if (!cb_hydra_value_needs_quoting (value, kind))
    return g_strdup (value);

  return hydra_double_quote (value, kind == CB_VALUE_KIND_FREE_TEXT);
}

char *
cb_hydra_override (const char  *key,
                   const char  *value,
                   CbValueKind  kind)
{
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (key != NULL && *key != '\0', NULL);
  g_return_val_if_fail (value != NULL, NULL);

  quoted = cb_hydra_quote_value (value, kind);
  g_return_val_if_fail (quoted != NULL, NULL);

  return g_strconcat (key, "=", quoted, NULL);
}

/* Python's repr(float) ------------------------------------------------------------------ */

/* A finite non-zero double as d.ddd x 10^exponent. */
typedef struct
{
  char digits[24]; /* significant digits, no point, no sign, at least one */
  int  exponent;   /* decimal exponent of the first digit */
} Decimal;

static gboolean
decimal_round_trips (const Decimal *dec,
                     gboolean       negative,
                     double         value)
{
  char buf[64];
  double back;

  g_snprintf (buf, sizeof buf, "%s%c.%se%d",
              negative ? "-" : "", dec->digits[0],
              dec->digits[1] != '\0' ? dec->digits + 1 : "0", dec->exponent);
  back = g_ascii_strtod (buf, NULL);

  return back == value && signbit (back) == signbit (value);
}

/* Parse "[-]D.DDDe[+-]XX" as printed by %e into @dec. */
static void
decimal_from_e_format (const char *text,
                       Decimal    *dec)
{
  gsize n = 0;
  const char *p = text;

  if (*p == '-')
    p++;

  for (; *p != '\0' && *p != 'e' && *p != 'E'; p++)
    {
      if (g_ascii_isdigit (*p) && n + 1 < sizeof dec->digits)
        dec->digits[n++] = *p;
    }
  dec->digits[n] = '\0';

  g_assert (*p == 'e' || *p == 'E');
  dec->exponent = (int) g_ascii_strtoll (p + 1, NULL, 10);
}

/* Add @delta (+1 or -1) to the last digit of @dec, keeping it normalised. */
static gboolean
decimal_step (const Decimal *dec,
              int            delta,
              Decimal       *out)
{
  gsize len = strlen (dec->digits);
  gssize i;

  *out = *dec;

  for (i = (gssize) len - 1; i >= 0; i--)
    {
      int d = out->digits[i] - '0' + delta;

      if (d >= 0 && d <= 9)
        {
          out->digits[i] = (char) ('0' + d);
          break;
        }
      out->digits[i] = delta > 0 ? '0' : '9';
    }

  if (i < 0)
    {
      if (delta < 0)
        return FALSE; /* 0 - 1: cannot happen for a normalised non-zero mantissa */
      /* 99..9 + 1 = 100..0 */
      memmove (out->digits + 1, out->digits, len + 1);
      out->digits[0] = '1';
      out->digits[len] = '\0';
      out->exponent++;
    }
  else if (out->digits[0] == '0')
    {
      /* 100..0 - 1 = 099..9 */
      if (len == 1)
        return FALSE; /* would be zero */
      memmove (out->digits, out->digits + 1, len);
      out->exponent--;
    }

  return TRUE;
}

/* The shortest digit string that reads back as @value; among several of the shortest
 * length, the one closest to @value, as Python's float repr chooses. */
static void
shortest_decimal (double   value,
                  Decimal *dec)
{
  gboolean negative = signbit (value) != 0;

  for (int precision = 1; precision <= 17; precision++)
    {
      char fmt[16];
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      Decimal up;
      Decimal down;

      g_snprintf (fmt, sizeof fmt, "%%.%de", precision - 1);
      g_ascii_formatd (buf, sizeof buf, fmt, value);
      decimal_from_e_format (buf, dec);

      if (decimal_round_trips (dec, negative, value))
        return;

      /* The correctly rounded digits can miss when @value is a power of two, whose
       * rounding interval is narrower below than above it: then the neighbour on the
       * other side may still read back as @value with the same number of digits. */
      if (decimal_step (dec, +1, &up) && strlen (up.digits) == (gsize) precision &&
          decimal_round_trips (&up, negative, value))
        {
          *dec = up;
          return;
        }
      if (decimal_step (dec, -1, &down) && strlen (down.digits) == (gsize) precision &&
          decimal_round_trips (&down, negative, value))
        {
          *dec = down;
          return;
        }
    }

  /* 17 significant digits always round-trip; dec holds them. */
}

char *
cb_format_number_repr (double value)
{
  Decimal dec;
  GString *out;
  gsize n_digits;
  int point; /* position of the decimal point relative to the first digit */

  if (isnan (value))
    return g_strdup ("nan");
  if (isinf (value))
    return g_strdup (value > 0 ? "inf" : "-inf");

  if (value == 0.0)
    {
      dec.digits[0] = '0';
      dec.digits[1] = '\0';
      dec.exponent = 0;
    }
  else
    {
      shortest_decimal (value, &dec);
    }

  /* Drop trailing zeros but keep one digit. */
  n_digits = strlen (dec.digits);
  while (n_digits > 1 && dec.digits[n_digits - 1] == '0')
    dec.digits[--n_digits] = '\0';

  out = g_string_new (signbit (value) ? "-" : "");
  point = dec.exponent + 1;

  if (dec.exponent < -4 || dec.exponent >= 16)
    {
      g_string_append_c (out, dec.digits[0]);
      if (n_digits > 1)
        g_string_append_printf (out, ".%s", dec.digits + 1);
      g_string_append_printf (out, "e%c%02d", dec.exponent < 0 ? '-' : '+',
                              ABS (dec.exponent));
    }
  else if (point <= 0)
    {
      g_string_append (out, "0.");
      for (int i = 0; i < -point; i++)
        g_string_append_c (out, '0');
      g_string_append (out, dec.digits);
    }
  else if ((gsize) point >= n_digits)
    {
      g_string_append (out, dec.digits);
      for (gsize i = n_digits; i < (gsize) point; i++)
        g_string_append_c (out, '0');
      g_string_append (out, ".0");
    }
  else
    {
      g_string_append_len (out, dec.digits, point);
      g_string_append_c (out, '.');
      g_string_append (out, dec.digits + point);
    }

  return g_string_free (out, FALSE);
}

/* POSIX shell ----------------------------------------------------------------------------- */

static gboolean
is_shell_bare_char (char c)
{
  if (g_ascii_isalnum (c))
    return TRUE;

  return c != '\0' && strchr ("_@%+=:,./-", c) != NULL;
}

static char *
shell_single_quote (const char *word)
{
  GString *out = g_string_sized_new (strlen (word) + 2);

  g_string_append_c (out, '\'');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append (out, "'\\''");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');

  return g_string_free (out, FALSE);
}

char *
cb_shell_quote_word (const char *word)
{
  g_return_val_if_fail (word != NULL, NULL);

  if (*word == '\0')
    return g_strdup ("''");

  for (const char *p = word; *p != '\0'; p++)
    {
      if (!is_shell_bare_char (*p))
        return shell_single_quote (word);
    }

  return g_strdup (word);
}

/* The first word of a command: also quoted when the shell would read it as a variable
 * assignment ("A=b cmd" runs cmd) or as a reserved word. */
static char *
shell_quote_command_word (const char *word)
{
  static const char * const reserved[] = {
    "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if",
    "in", "select", "then", "time", "until", "while",
  };

  if (strchr (word, '=') != NULL || g_strv_contains (reserved, word))
    return shell_single_quote (word);

  return cb_shell_quote_word (word);
}

static char *
shell_quote_nth (const char * const *argv,
                 guint               i)
{
  return i == 0 ? shell_quote_command_word (argv[i]) : cb_shell_quote_word (argv[i]);
}

char *
cb_shell_join (const char * const *argv)
{
  GString *out;

  g_return_val_if_fail (argv != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = shell_quote_nth (argv, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, quoted);
    }

  return g_string_free (out, FALSE);
}

/* The first @head_len words (at least one) on the first line, then one word per line,
 * indented by two spaces; every line but the last ends with " \". */
char *
cb_shell_join_multiline (const char * const *argv,
                         guint               head_len)
{
  GString *out;
  guint n;

  g_return_val_if_fail (argv != NULL, NULL);

  n = g_strv_length ((char **) argv);
  head_len = CLAMP (head_len, 1, MAX (n, 1));

  out = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *quoted = shell_quote_nth (argv, i);

      if (i > 0 && i < head_len)
        g_string_append_c (out, ' ');
      else if (i >= head_len)
        g_string_append (out, " \\\n  ");
      g_string_append (out, quoted);
    }

  return g_string_free (out, FALSE);
}

/**
 * cb_shell_quote_home_path:
 * @path: a path that may start with `~/`
 *
 * Returns: @path quoted for a POSIX shell, its `~/` (or a lone `~`) as `"$HOME"/`, so that the
 *   home of the shell that reads it is used (a host's, for a path sent there).
 */
char *
cb_shell_quote_home_path (const char *path)
{
  g_autofree char *rest = NULL;

  if (g_str_equal (path, "~"))
    return g_strdup ("\"$HOME\"");
  if (!g_str_has_prefix (path, "~/"))
    return cb_shell_quote_word (path);
  rest = cb_shell_quote_word (path + 2);
  return g_strconcat ("\"$HOME\"/", rest, NULL);
}

/**
 * cb_omegaconf_text:
 *
 * What OmegaConf makes of a string value as Hydra's parser left it: a run of N backslashes
 * before "${" is N / 2 of them (an odd run escapes the interpolation, which then stays as
 * text). The inverse of the escaping cb_hydra_quote_value() writes for free text.
 */
char *
cb_omegaconf_text (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0';)
    {
      gsize run = strspn (p, "\\");

      if (run > 0 && p[run] == '$' && p[run + 1] == '{')
        {
          for (gsize k = 0; k < run / 2; k++)
            g_string_append_c (out, '\\');
          p += run;
          continue;
        }
      if (run > 0)
        {
          g_string_append_len (out, p, run);
          p += run;
          continue;
        }
      g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}
