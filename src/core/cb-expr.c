/* cb-expr.c: visible_if / required_if expressions, parsed once, evaluated often
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The language is the small subset of Python that the form schemas use:
 *
 *   expr       := or_expr
 *   or_expr    := and_expr ( "or" and_expr )*
 *   and_expr   := not_expr ( "and" not_expr )*
 *   not_expr   := "not" not_expr | comparison
 *   comparison := signed ( ( "==" | "!=" ) signed )*
 *   signed     := ( "-" | "+" ) signed | primary       (numbers only)
 *   primary    := "(" expr ")" | NAME | STRING | INT | FLOAT
 *               | "true" | "false" | "null" | "True" | "False" | "None"
 *
 * Comparisons chain as in Python: "a == b == c" means "a == b and b == c" with b evaluated
 * once, and c is not evaluated when the first link is false.  "and" and "or" short-circuit
 * and yield one of their operands; "not" yields a boolean.  A leading "-" or "+" is only
 * accepted in front of a number literal, where it is folded into the literal.  Strings take
 * the escapes \\ \' \" \n \t \r; any other escape is a syntax error rather than Python's
 * silent pass-through.  Keywords ("and", "or", "not" and the six literal names) cannot be
 * used as field names.
 */

#define G_LOG_DOMAIN "cb-expr"

#include "config.h"

#include "cb/cb-expr.h"

#include <string.h>

/* Parentheses, "not" and signs nest at most this deep, so that recursion stays bounded. */
#define MAX_DEPTH 100

typedef enum
{
  NODE_LITERAL,
  NODE_NAME,
  NODE_NOT,
  NODE_AND,
  NODE_OR,
  NODE_COMPARE,
} NodeKind;

typedef enum
{
  COMPARE_EQ,
  COMPARE_NE,
} CompareOp;

struct _CbExpr
{
  NodeKind   kind;
  guint      offset;   /* byte offset of the node's first token in the source */
  GVariant  *value;    /* NODE_LITERAL: owned, NULL for null */
  char      *name;     /* NODE_NAME */
  GPtrArray *children; /* NOT: 1; AND, OR: 2 or more; COMPARE: 2 or more, in source order */
  GArray    *ops;      /* NODE_COMPARE: n_children - 1 CompareOp */
};

typedef enum
{
  TOKEN_EOF,
  TOKEN_LPAREN,
  TOKEN_RPAREN,
  TOKEN_EQ,
  TOKEN_NE,
  TOKEN_MINUS,
  TOKEN_PLUS,
  TOKEN_AND,
  TOKEN_OR,
  TOKEN_NOT,
  TOKEN_TRUE,
  TOKEN_FALSE,
  TOKEN_NULL,
  TOKEN_NAME,
  TOKEN_INT,
  TOKEN_FLOAT,
  TOKEN_STRING,
} TokenKind;

typedef struct
{
  TokenKind  kind;
  guint      offset;
  guint      end;
  gint64     int_value;
  double     float_value;
  char      *string_value; /* TOKEN_STRING: decoded, owned */
} Token;

typedef struct
{
  const char *text;
  guint       pos;        /* where the lexer continues */
  Token       token;      /* the current, not yet consumed token */
  TokenKind   prev_kind;  /* the token consumed last, TOKEN_EOF at the start */
  guint       prev_offset;
  guint       prev_end;
  guint       depth;
  GError     *error;
  guint       error_offset;
} Parser;

G_DEFINE_QUARK (cb-expr-error-quark, cb_expr_error)

static CbExpr *parse_or (Parser *parser);

static CbExpr *
node_new (NodeKind kind,
          guint    offset)
{
  CbExpr *node = g_new0 (CbExpr, 1);

  node->kind = kind;
  node->offset = offset;
  if (kind == NODE_NOT || kind == NODE_AND || kind == NODE_OR || kind == NODE_COMPARE)
    node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_expr_free);
  if (kind == NODE_COMPARE)
    node->ops = g_array_new (FALSE, FALSE, sizeof (CompareOp));

  return node;
}

void
cb_expr_free (CbExpr *expr)
{
  if (expr == NULL)
    return;

  g_clear_pointer (&expr->value, g_variant_unref);
  g_clear_pointer (&expr->name, g_free);
  g_clear_pointer (&expr->children, g_ptr_array_unref);
  g_clear_pointer (&expr->ops, g_array_unref);
  g_free (expr);
}

/* Lexer */

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static void
set_error (Parser     *parser,
           guint       offset,
           const char *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
set_error (Parser     *parser,
           guint       offset,
           const char *format,
           ...)
{
  va_list args;
  g_autofree char *message = NULL;

  /* Only the first problem is reported. */
  if (parser->error != NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  parser->error = g_error_new_literal (CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX, message);
  parser->error_offset = offset;
}

/* A printable description of the character at @offset, for messages. */
static char *
describe_char (const char *text,
               guint       offset)
{
  gunichar c = g_utf8_get_char (text + offset);
  char buf[7] = { 0 };

  g_unichar_to_utf8 (c, buf);
  return g_strdup_printf ("'%s'", buf);
}

static gboolean
lex_string (Parser *parser,
            Token  *token)
{
  const char *text = parser->text;
  char quote = text[parser->pos];
  guint pos = parser->pos + 1;
  g_autoptr(GString) value = g_string_new (NULL);

  for (;;)
    {
      char c = text[pos];

      if (c == '\0' || c == '\n' || c == '\r')
        {
          set_error (parser, token->offset, "unterminated string");
          return FALSE;
        }

      if (c == quote)
        {
          pos++;
          break;
        }

      if (c == '\\')
        {
          char e = text[pos + 1];

          switch (e)
            {
            case '\\':
            case '\'':
            case '"':
              g_string_append_c (value, e);
              break;
            case 'n':
              g_string_append_c (value, '\n');
              break;
            case 't':
              g_string_append_c (value, '\t');
              break;
            case 'r':
              g_string_append_c (value, '\r');
              break;
            case '\0':
            case '\n':
            case '\r':
              set_error (parser, token->offset, "unterminated string");
              return FALSE;
            default:
              {
                g_autofree char *what = describe_char (text, pos + 1);

                set_error (parser, pos,
                           "unknown escape sequence '\\' followed by %s "
                           "(only \\\\, \\', \\\", \\n, \\t and \\r are allowed)",
                           what);
                return FALSE;
              }
            }
          pos += 2;
          continue;
        }

      g_string_append_c (value, c);
      pos++;
    }

  token->kind = TOKEN_STRING;
  token->string_value = g_string_free (g_steal_pointer (&value), FALSE);
  parser->pos = pos;

  return TRUE;
}

static gboolean
lex_number (Parser *parser,
            Token  *token)
{
  const char *text = parser->text;
  guint start = parser->pos;
  guint pos = start;
  gboolean is_float = FALSE;
  g_autofree char *literal = NULL;

  while (g_ascii_isdigit (text[pos]))
    pos++;

  if (text[pos] == '.')
    {
      is_float = TRUE;
      pos++;
      while (g_ascii_isdigit (text[pos]))
        pos++;
    }

  if (text[pos] == 'e' || text[pos] == 'E')
    {
      is_float = TRUE;
      pos++;
      if (text[pos] == '+' || text[pos] == '-')
        pos++;
      if (!g_ascii_isdigit (text[pos]))
        {
          set_error (parser, start, "invalid number: the exponent has no digits");
          return FALSE;
        }
      while (g_ascii_isdigit (text[pos]))
        pos++;
    }

  literal = g_strndup (text + start, pos - start);

  if (is_name_char (text[pos]) || text[pos] == '.')
    {
      guint end = pos;

      while (is_name_char (text[end]) || text[end] == '.')
        end++;
      set_error (parser, start, "invalid number '%.*s'", (int) (end - start), text + start);
      return FALSE;
    }

  if (is_float)
    {
      char *endptr = NULL;
      double value = g_ascii_strtod (literal, &endptr);

      g_assert (endptr != NULL && *endptr == '\0');
      if (value > G_MAXDOUBLE || value < -G_MAXDOUBLE)
        {
          set_error (parser, start, "number '%s' is out of range", literal);
          return FALSE;
        }
      token->kind = TOKEN_FLOAT;
      token->float_value = value;
    }
  else
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (literal, 10, 0, G_MAXINT64, &value, NULL))
        {
          set_error (parser, start, "integer '%s' is too large", literal);
          return FALSE;
        }
      token->kind = TOKEN_INT;
      token->int_value = (gint64) value;
    }

  parser->pos = pos;

  return TRUE;
}

static void
lex_name (Parser *parser,
          Token  *token)
{
  static const struct {
    const char *word;
    TokenKind   kind;
  } keywords[] = {
    { "and", TOKEN_AND },
    { "or", TOKEN_OR },
    { "not", TOKEN_NOT },
    { "true", TOKEN_TRUE },
    { "True", TOKEN_TRUE },
    { "false", TOKEN_FALSE },
    { "False", TOKEN_FALSE },
    { "null", TOKEN_NULL },
    { "None", TOKEN_NULL },
  };
  const char *start = parser->text + parser->pos;
  gsize len = 0;

  while (is_name_char (start[len]))
    len++;

  token->kind = TOKEN_NAME;
  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    {
      if (strlen (keywords[i].word) == len && strncmp (keywords[i].word, start, len) == 0)
        {
          token->kind = keywords[i].kind;
          break;
        }
    }

  parser->pos += len;
}

/* Scans the token at parser->pos into parser->token.  Returns FALSE with parser->error set
 * when the text there is not a token. */
static gboolean
lex (Parser *parser)
{
  const char *text = parser->text;
  Token *token = &parser->token;
  char c;

  g_clear_pointer (&token->string_value, g_free);
  memset (token, 0, sizeof *token);

  while (text[parser->pos] == ' ' || text[parser->pos] == '\t' ||
         text[parser->pos] == '\n' || text[parser->pos] == '\r')
    parser->pos++;

  token->offset = parser->pos;
  c = text[parser->pos];

  if (c == '\0')
    {
      token->kind = TOKEN_EOF;
    }
  else if (c == '"' || c == '\'')
    {
      if (!lex_string (parser, token))
        return FALSE;
    }
  else if (g_ascii_isdigit (c) || (c == '.' && g_ascii_isdigit (text[parser->pos + 1])))
    {
      if (!lex_number (parser, token))
        return FALSE;
    }
  else if (is_name_start (c))
    {
      lex_name (parser, token);
    }
  else if (c == '(' || c == ')' || c == '-' || c == '+')
    {
      token->kind = c == '(' ? TOKEN_LPAREN :
                    c == ')' ? TOKEN_RPAREN :
                    c == '-' ? TOKEN_MINUS : TOKEN_PLUS;
      parser->pos++;
    }
  else if (c == '=' && text[parser->pos + 1] == '=')
    {
      token->kind = TOKEN_EQ;
      parser->pos += 2;
    }
  else if (c == '!' && text[parser->pos + 1] == '=')
    {
      token->kind = TOKEN_NE;
      parser->pos += 2;
    }
  else if (c == '=')
    {
      set_error (parser, token->offset, "unexpected '=' (did you mean '=='?)");
      return FALSE;
    }
  else if (c == '!')
    {
      set_error (parser, token->offset, "unexpected '!' (did you mean 'not' or '!='?)");
      return FALSE;
    }
  else if (c == '&')
    {
      set_error (parser, token->offset, "unexpected '&' (did you mean 'and'?)");
      return FALSE;
    }
  else if (c == '|')
    {
      set_error (parser, token->offset, "unexpected '|' (did you mean 'or'?)");
      return FALSE;
    }
  else if (c == '<' || c == '>')
    {
      guint len = text[parser->pos + 1] == '=' || text[parser->pos + 1] == '>' ? 2 : 1;

      set_error (parser, token->offset,
                 "operator '%.*s' is not supported (only '==' and '!=' are)",
                 (int) len, text + parser->pos);
      return FALSE;
    }
  else
    {
      g_autofree char *what = describe_char (text, parser->pos);

      set_error (parser, token->offset, "unexpected character %s", what);
      return FALSE;
    }

  token->end = parser->pos;

  return TRUE;
}

/* Parser */

static gboolean
advance (Parser *parser)
{
  parser->prev_kind = parser->token.kind;
  parser->prev_offset = parser->token.offset;
  parser->prev_end = parser->token.end;

  return lex (parser);
}

/* The current token as it reads in a message. */
static char *
describe_token (Parser      *parser,
                const Token *token)
{
  guint len = token->end - token->offset;

  if (token->kind == TOKEN_EOF)
    return g_strdup ("the end of the expression");

  if (len > 32)
    {
      switch (token->kind)
        {
        case TOKEN_STRING:
          return g_strdup ("a string");
        case TOKEN_INT:
        case TOKEN_FLOAT:
          return g_strdup ("a number");
        case TOKEN_NAME:
          return g_strdup ("a name");
        case TOKEN_EOF:
        case TOKEN_LPAREN:
        case TOKEN_RPAREN:
        case TOKEN_EQ:
        case TOKEN_NE:
        case TOKEN_MINUS:
        case TOKEN_PLUS:
        case TOKEN_AND:
        case TOKEN_OR:
        case TOKEN_NOT:
        case TOKEN_TRUE:
        case TOKEN_FALSE:
        case TOKEN_NULL:
        default:
          break;
        }
    }

  return g_strdup_printf ("'%.*s'", (int) len, parser->text + token->offset);
}

static gboolean
enter (Parser *parser)
{
  if (parser->depth >= MAX_DEPTH)
    {
      set_error (parser, parser->token.offset,
                 "expression is nested too deeply (more than %d levels)", MAX_DEPTH);
      return FALSE;
    }

  parser->depth++;
  return TRUE;
}

static void
leave (Parser *parser)
{
  g_assert (parser->depth > 0);
  parser->depth--;
}

static CbExpr *
literal_new (guint     offset,
             GVariant *value)
{
  CbExpr *node = node_new (NODE_LITERAL, offset);

  node->value = value != NULL ? g_variant_ref_sink (value) : NULL;
  return node;
}

static CbExpr *
parse_primary (Parser *parser)
{
  Token *token = &parser->token;
  g_autoptr(CbExpr) node = NULL;

  switch (token->kind)
    {
    case TOKEN_LPAREN:
      {
        g_autoptr(CbExpr) inner = NULL;

        if (!enter (parser))
          return NULL;
        if (!advance (parser) || !(inner = parse_or (parser)))
          return NULL;
        leave (parser);
        if (token->kind != TOKEN_RPAREN)
          {
            set_error (parser, token->offset, "expected ')' after expression");
            return NULL;
          }
        if (!advance (parser))
          return NULL;
        return g_steal_pointer (&inner);
      }

    case TOKEN_NAME:
      node = node_new (NODE_NAME, token->offset);
      node->name = g_strndup (parser->text + token->offset, token->end - token->offset);
      break;

    case TOKEN_TRUE:
    case TOKEN_FALSE:
      node = literal_new (token->offset, g_variant_new_boolean (token->kind == TOKEN_TRUE));
      break;

    case TOKEN_NULL:
      node = literal_new (token->offset, NULL);
      break;

    case TOKEN_INT:
      node = literal_new (token->offset, g_variant_new_int64 (token->int_value));
      break;

    case TOKEN_FLOAT:
      node = literal_new (token->offset, g_variant_new_double (token->float_value));
      break;

    case TOKEN_STRING:
      node = literal_new (token->offset, g_variant_new_string (token->string_value));
      break;

    case TOKEN_EOF:
      if (parser->prev_kind == TOKEN_EOF)
        {
          set_error (parser, 0, "empty expression");
        }
      else
        {
          set_error (parser, token->offset, "expected a value after '%.*s'",
                     (int) (parser->prev_end - parser->prev_offset),
                     parser->text + parser->prev_offset);
        }
      return NULL;

    case TOKEN_RPAREN:
    case TOKEN_EQ:
    case TOKEN_NE:
    case TOKEN_MINUS:
    case TOKEN_PLUS:
    case TOKEN_AND:
    case TOKEN_OR:
    case TOKEN_NOT:
    default:
      {
        g_autofree char *what = describe_token (parser, token);

        if (token->kind == TOKEN_NOT)
          set_error (parser, token->offset,
                     "expected a value, found 'not' (put 'not ...' in parentheses)");
        else
          set_error (parser, token->offset, "expected a value, found %s", what);
        return NULL;
      }
    }

  if (!advance (parser))
    return NULL;

  return g_steal_pointer (&node);
}

/* A sign is folded into the number literal that follows it. */
static CbExpr *
parse_signed (Parser *parser)
{
  TokenKind sign = parser->token.kind;
  guint offset = parser->token.offset;
  g_autoptr(CbExpr) operand = NULL;

  if (sign != TOKEN_MINUS && sign != TOKEN_PLUS)
    return parse_primary (parser);

  if (!enter (parser))
    return NULL;
  if (!advance (parser) || !(operand = parse_signed (parser)))
    return NULL;
  leave (parser);

  if (operand->kind != NODE_LITERAL || operand->value == NULL ||
      !(g_variant_is_of_type (operand->value, G_VARIANT_TYPE_INT64) ||
        g_variant_is_of_type (operand->value, G_VARIANT_TYPE_DOUBLE)))
    {
      set_error (parser, offset, "'%c' can only be applied to a number",
                 sign == TOKEN_MINUS ? '-' : '+');
      return NULL;
    }

  operand->offset = offset;
  if (sign == TOKEN_MINUS)
    {
      GVariant *value = operand->value;

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
        operand->value = g_variant_ref_sink (g_variant_new_int64 (-g_variant_get_int64 (value)));
      else
        operand->value = g_variant_ref_sink (g_variant_new_double (-g_variant_get_double (value)));
      g_variant_unref (value);
    }

  return g_steal_pointer (&operand);
}

static CbExpr *
parse_comparison (Parser *parser)
{
  g_autoptr(CbExpr) first = NULL;
  g_autoptr(CbExpr) node = NULL;

  if (!(first = parse_signed (parser)))
    return NULL;

  if (parser->token.kind != TOKEN_EQ && parser->token.kind != TOKEN_NE)
    return g_steal_pointer (&first);

  node = node_new (NODE_COMPARE, first->offset);
  g_ptr_array_add (node->children, g_steal_pointer (&first));

  while (parser->token.kind == TOKEN_EQ || parser->token.kind == TOKEN_NE)
    {
      CompareOp op = parser->token.kind == TOKEN_EQ ? COMPARE_EQ : COMPARE_NE;
      CbExpr *operand;

      if (!advance (parser) || !(operand = parse_signed (parser)))
        return NULL;
      g_array_append_val (node->ops, op);
      g_ptr_array_add (node->children, operand);
    }

  return g_steal_pointer (&node);
}

static CbExpr *
parse_not (Parser *parser)
{
  g_autoptr(CbExpr) node = NULL;
  CbExpr *operand;

  if (parser->token.kind != TOKEN_NOT)
    return parse_comparison (parser);

  if (!enter (parser))
    return NULL;
  node = node_new (NODE_NOT, parser->token.offset);
  if (!advance (parser) || !(operand = parse_not (parser)))
    return NULL;
  leave (parser);
  g_ptr_array_add (node->children, operand);

  return g_steal_pointer (&node);
}

static CbExpr *
parse_and (Parser *parser)
{
  g_autoptr(CbExpr) first = NULL;
  g_autoptr(CbExpr) node = NULL;

  if (!(first = parse_not (parser)))
    return NULL;

  if (parser->token.kind != TOKEN_AND)
    return g_steal_pointer (&first);

  node = node_new (NODE_AND, first->offset);
  g_ptr_array_add (node->children, g_steal_pointer (&first));

  while (parser->token.kind == TOKEN_AND)
    {
      CbExpr *operand;

      if (!advance (parser) || !(operand = parse_not (parser)))
        return NULL;
      g_ptr_array_add (node->children, operand);
    }

  return g_steal_pointer (&node);
}

static CbExpr *
parse_or (Parser *parser)
{
  g_autoptr(CbExpr) first = NULL;
  g_autoptr(CbExpr) node = NULL;

  if (!(first = parse_and (parser)))
    return NULL;

  if (parser->token.kind != TOKEN_OR)
    return g_steal_pointer (&first);

  node = node_new (NODE_OR, first->offset);
  g_ptr_array_add (node->children, g_steal_pointer (&first));

  while (parser->token.kind == TOKEN_OR)
    {
      CbExpr *operand;

      if (!advance (parser) || !(operand = parse_and (parser)))
        return NULL;
      g_ptr_array_add (node->children, operand);
    }

  return g_steal_pointer (&node);
}

/**
 * cb_expr_parse:
 * @text: the expression, UTF-8
 * @error_offset: (out) (optional): on failure, the byte offset in @text of the problem
 * @error: return location for a #CB_EXPR_ERROR_SYNTAX error
 *
 * Parses @text once; evaluate the result as often as needed with cb_expr_evaluate().
 * On success @error_offset is left untouched.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL on a syntax error
 */
CbExpr *
cb_expr_parse (const char  *text,
               guint       *error_offset,
               GError     **error)
{
  Parser parser = { 0 };
  g_autoptr(CbExpr) root = NULL;
  const char *invalid = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser.text = text;
  parser.prev_kind = TOKEN_EOF;

  if (strlen (text) > G_MAXINT)
    set_error (&parser, 0, "expression is too long");
  else if (!g_utf8_validate (text, -1, &invalid))
    set_error (&parser, (guint) (invalid - text), "invalid UTF-8");
  else if (lex (&parser) && (root = parse_or (&parser)) != NULL &&
           parser.token.kind != TOKEN_EOF)
    {
      const Token *token = &parser.token;
      g_autofree char *what = describe_token (&parser, token);
      guint len = token->end - token->offset;

      if (token->kind == TOKEN_RPAREN)
        set_error (&parser, token->offset, "unmatched ')'");
      else if (token->kind == TOKEN_NAME && len == 2 &&
               (strncmp (text + token->offset, "is", 2) == 0 ||
                strncmp (text + token->offset, "in", 2) == 0))
        set_error (&parser, token->offset,
                   "'%.2s' is not supported (use '==' or '!=')", text + token->offset);
      else
        set_error (&parser, token->offset,
                   "unexpected %s after a complete expression "
                   "(missing 'and', 'or', '==' or '!='?)", what);
    }

  g_clear_pointer (&parser.token.string_value, g_free);

  if (parser.error != NULL)
    {
      if (error_offset != NULL)
        *error_offset = parser.error_offset;
      g_propagate_error (error, parser.error);
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* Names and printing */

static void
foreach_name (CbExpr         *node,
              CbExprNameFunc  func,
              gpointer        user_data)
{
  if (node->kind == NODE_NAME)
    func (node->name, node->offset, user_data);

  if (node->children != NULL)
    {
      for (guint i = 0; i < node->children->len; i++)
        foreach_name (g_ptr_array_index (node->children, i), func, user_data);
    }
}

/**
 * cb_expr_foreach_name:
 * @expr: an expression
 * @func: called for every reference to a field, in source order, with its byte offset
 * @user_data: passed to @func
 *
 * A name used twice is reported twice.
 */
void
cb_expr_foreach_name (CbExpr         *expr,
                      CbExprNameFunc  func,
                      gpointer        user_data)
{
  g_return_if_fail (expr != NULL);
  g_return_if_fail (func != NULL);

  foreach_name (expr, func, user_data);
}

/* The shortest text that reads back as the same double, always with a '.' or exponent. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (out, ".0");
}

static void
append_literal (GString  *out,
                GVariant *value)
{
  if (value == NULL)
    {
      g_string_append (out, "null");
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    {
      g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      append_double (out, g_variant_get_double (value));
    }
  else
    {
      const char *s = g_variant_get_string (value, NULL);

      g_assert (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));

      g_string_append_c (out, '"');
      for (; *s != '\0'; s++)
        {
          switch (*s)
            {
            case '"':
              g_string_append (out, "\\\"");
              break;
            case '\\':
              g_string_append (out, "\\\\");
              break;
            case '\n':
              g_string_append (out, "\\n");
              break;
            case '\t':
              g_string_append (out, "\\t");
              break;
            case '\r':
              g_string_append (out, "\\r");
              break;
            default:
              g_string_append_c (out, *s);
              break;
            }
        }
      g_string_append_c (out, '"');
    }
}

/* How tightly each kind binds: a child is put in parentheses only where the grammar needs
 * them, so that printing never nests deeper than the text that was parsed (the parser's
 * depth limit holds for what it prints). */
static guint
precedence (const CbExpr *node)
{
  switch (node->kind)
    {
    case NODE_OR:
      return 1;
    case NODE_AND:
      return 2;
    case NODE_NOT:
      return 3;
    case NODE_COMPARE:
      return 4;
    case NODE_LITERAL:
    case NODE_NAME:
    default:
      return 5;
    }
}

static void
append_node (GString *out,
             CbExpr  *node,
             guint    min_precedence)
{
  gboolean parens = precedence (node) < min_precedence;

  switch (node->kind)
    {
    case NODE_LITERAL:
      append_literal (out, node->value);
      return;

    case NODE_NAME:
      g_string_append (out, node->name);
      return;

    case NODE_NOT:
    case NODE_AND:
    case NODE_OR:
    case NODE_COMPARE:
    default:
      break;
    }

  if (parens)
    g_string_append_c (out, '(');

  if (node->kind == NODE_NOT)
    {
      g_string_append (out, "not ");
      append_node (out, g_ptr_array_index (node->children, 0), 3);
    }
  else
    {
      /* Same kind below: kept apart (a or (b or c) is another tree than a or b or c). */
      guint child_min = node->kind == NODE_COMPARE ? 5 : precedence (node) + 1;

      for (guint i = 0; i < node->children->len; i++)
        {
          if (i > 0)
            {
              if (node->kind == NODE_AND)
                g_string_append (out, " and ");
              else if (node->kind == NODE_OR)
                g_string_append (out, " or ");
              else if (g_array_index (node->ops, CompareOp, i - 1) == COMPARE_EQ)
                g_string_append (out, " == ");
              else
                g_string_append (out, " != ");
            }
          append_node (out, g_ptr_array_index (node->children, i), child_min);
        }
    }

  if (parens)
    g_string_append_c (out, ')');
}

/**
 * cb_expr_to_string:
 * @expr: an expression
 *
 * Prints @expr with parentheses only where the grammar needs them, literals in canonical
 * form (true, false, null, double-quoted strings, floats with a '.' or exponent), so that
 * "a or (b and c)" prints as "a or b and c" and "not (not x)" as "not not x".  The result
 * parses back to the same expression, and never nests deeper than the text it came from.
 *
 * Returns: (transfer full): the text
 */
char *
cb_expr_to_string (CbExpr *expr)
{
  GString *out;

  g_return_val_if_fail (expr != NULL, NULL);

  out = g_string_new (NULL);
  append_node (out, expr, 0);

  return g_string_free (out, FALSE);
}

/* Evaluation */

typedef struct
{
  CbExprLookupFunc lookup;
  gpointer         user_data;
} EvalContext;

/* Reads any GVariant number (and booleans, which are numbers in Python).  Integers that do
 * not fit a gint64 fall back to a double. */
static gboolean
get_number (GVariant *value,
            gboolean *is_float,
            gint64   *int_value,
            double   *float_value)
{
  *is_float = FALSE;

  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      *int_value = g_variant_get_boolean (value) ? 1 : 0;
      return TRUE;
    case G_VARIANT_CLASS_BYTE:
      *int_value = g_variant_get_byte (value);
      return TRUE;
    case G_VARIANT_CLASS_INT16:
      *int_value = g_variant_get_int16 (value);
      return TRUE;
    case G_VARIANT_CLASS_UINT16:
      *int_value = g_variant_get_uint16 (value);
      return TRUE;
    case G_VARIANT_CLASS_INT32:
      *int_value = g_variant_get_int32 (value);
      return TRUE;
    case G_VARIANT_CLASS_UINT32:
      *int_value = g_variant_get_uint32 (value);
      return TRUE;
    case G_VARIANT_CLASS_HANDLE:
      *int_value = g_variant_get_handle (value);
      return TRUE;
    case G_VARIANT_CLASS_INT64:
      *int_value = g_variant_get_int64 (value);
      return TRUE;
    case G_VARIANT_CLASS_UINT64:
      if (g_variant_get_uint64 (value) <= G_MAXINT64)
        {
          *int_value = (gint64) g_variant_get_uint64 (value);
        }
      else
        {
          *is_float = TRUE;
          *float_value = (double) g_variant_get_uint64 (value);
        }
      return TRUE;
    case G_VARIANT_CLASS_DOUBLE:
      *is_float = TRUE;
      *float_value = g_variant_get_double (value);
      return TRUE;
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
    case G_VARIANT_CLASS_VARIANT:
    case G_VARIANT_CLASS_MAYBE:
    case G_VARIANT_CLASS_ARRAY:
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
    default:
      return FALSE;
    }
}

static gboolean
is_string (GVariant *value)
{
  return g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
         g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH) ||
         g_variant_is_of_type (value, G_VARIANT_TYPE_SIGNATURE);
}

/* Exact, as in Python: 2**53 + 1 != 2.0**53. */
static gboolean
int_equals_double (gint64 i,
                   double d)
{
  gint64 truncated;

  /* Also false for NaN and infinities. */
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
    return FALSE;

  truncated = (gint64) d;
  return (double) truncated == d && truncated == i;
}

/* Python's ==; NULL is None. */
static gboolean
values_equal (GVariant *a,
              GVariant *b)
{
  gboolean a_float, b_float;
  gint64 a_int = 0, b_int = 0;
  double a_double = 0, b_double = 0;

  if (a == NULL || b == NULL)
    return a == b;

  if (get_number (a, &a_float, &a_int, &a_double) &&
      get_number (b, &b_float, &b_int, &b_double))
    {
      if (!a_float && !b_float)
        return a_int == b_int;
      if (a_float && b_float)
        return a_double == b_double;
      if (a_float)
        return int_equals_double (b_int, a_double);
      return int_equals_double (a_int, b_double);
    }

  if (is_string (a) && is_string (b))
    return strcmp (g_variant_get_string (a, NULL), g_variant_get_string (b, NULL)) == 0;

  if (g_variant_is_of_type (a, g_variant_get_type (b)))
    return g_variant_equal (a, b);

  return FALSE;
}

/* Python's bool(); NULL is None. */
static gboolean
value_is_true (GVariant *value)
{
  gboolean is_float;
  gint64 int_value = 0;
  double float_value = 0;

  if (value == NULL)
    return FALSE;

  if (get_number (value, &is_float, &int_value, &float_value))
    return is_float ? float_value != 0.0 : int_value != 0;

  if (is_string (value))
    return g_variant_get_string (value, NULL)[0] != '\0';

  if (g_variant_is_container (value))
    return g_variant_n_children (value) > 0;

  return TRUE;
}

/* On success *out holds a new reference, or NULL for null. */
static gboolean
eval_node (CbExpr       *node,
           EvalContext  *context,
           GVariant    **out,
           GError      **error)
{
  *out = NULL;

  switch (node->kind)
    {
    case NODE_LITERAL:
      *out = node->value != NULL ? g_variant_ref (node->value) : NULL;
      return TRUE;

    case NODE_NAME:
      {
        GVariant *value = NULL;

        if (context->lookup == NULL ||
            !context->lookup (node->name, &value, context->user_data))
          {
            g_set_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_UNKNOWN_NAME,
                         "'%s' is not a known field", node->name);
            return FALSE;
          }
        *out = value != NULL ? g_variant_ref (value) : NULL;
        return TRUE;
      }

    case NODE_NOT:
      {
        g_autoptr(GVariant) operand = NULL;

        if (!eval_node (g_ptr_array_index (node->children, 0), context, &operand, error))
          return FALSE;
        *out = g_variant_ref_sink (g_variant_new_boolean (!value_is_true (operand)));
        return TRUE;
      }

    case NODE_AND:
    case NODE_OR:
      {
        /* Yields the first operand that decides the result, or the last one. */
        for (guint i = 0; i < node->children->len; i++)
          {
            g_autoptr(GVariant) operand = NULL;
            gboolean last = i + 1 == node->children->len;

            if (!eval_node (g_ptr_array_index (node->children, i), context, &operand, error))
              return FALSE;
            if (last || value_is_true (operand) == (node->kind == NODE_OR))
              {
                *out = g_steal_pointer (&operand);
                return TRUE;
              }
          }
        g_assert_not_reached ();
        return FALSE;
      }

    case NODE_COMPARE:
      {
        g_autoptr(GVariant) left = NULL;
        gboolean result = TRUE;

        if (!eval_node (g_ptr_array_index (node->children, 0), context, &left, error))
          return FALSE;

        for (guint i = 1; i < node->children->len && result; i++)
          {
            g_autoptr(GVariant) right = NULL;
            CompareOp op = g_array_index (node->ops, CompareOp, i - 1);

            if (!eval_node (g_ptr_array_index (node->children, i), context, &right, error))
              return FALSE;
            result = values_equal (left, right) == (op == COMPARE_EQ);
            g_clear_pointer (&left, g_variant_unref);
            left = g_steal_pointer (&right);
          }

        *out = g_variant_ref_sink (g_variant_new_boolean (result));
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/**
 * cb_expr_evaluate:
 * @expr: an expression
 * @lookup: (nullable): returns the value of a field; %NULL means there are no fields
 * @user_data: passed to @lookup
 * @result: (out): the truthiness of the value, as Python's bool() would say
 * @error: return location for a #CB_EXPR_ERROR_UNKNOWN_NAME error
 *
 * Evaluates @expr with Python semantics.  A name that is never reached because "and", "or"
 * or a comparison chain short-circuits is never looked up, so it cannot fail.
 *
 * Returns: %TRUE on success
 */
gboolean
cb_expr_evaluate (CbExpr            *expr,
                  CbExprLookupFunc   lookup,
                  gpointer           user_data,
                  gboolean          *result,
                  GError           **error)
{
  EvalContext context = { lookup, user_data };
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!eval_node (expr, &context, &value, error))
    return FALSE;

  *result = value_is_true (value);
  return TRUE;
}
