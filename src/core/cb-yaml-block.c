/* cb-yaml-block.c: the plain block YAML that Hydra writes, read without a YAML library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A checkpoint scan reads two small YAML files in every run folder (.hydra/overrides.yaml and
 * config.yaml), 4,000 of them in a big outputs/. Through libyaml that was a fifth of the
 * CPU time of `list-checkpoints`: each parser allocates 70 KB of buffers and each event its
 * own strings. Hydra writes those files through PyYAML in block style, one key or one item
 * per line, so nearly all of them fall in a subset that a line reader handles directly:
 *
 *   key: value       key:            - item         key: []   key: {}
 *   (nested blocks by indentation, sequences indented or not under their key)
 *
 * with plain scalars that hold no comment, no ": " and start with no indicator, or quoted
 * ones on one line without escapes or inner quotes; printable ASCII only, no tabs, no CR.
 *
 * cb_yaml_block_read() first checks that every line is in the subset, then gives the events
 * libyaml would give for the file (the stream and document events left out). Anything else
 * (comments, anchors, tags, flow collections with content, multi-line scalars, documents
 * markers, a sequence item holding a mapping, odd indentation, non-ASCII text, lines longer
 * than CB_YAML_BLOCK_MAX_LINE, nesting deeper than CB_YAML_BLOCK_MAX_DEPTH, and every
 * syntax error) is declined before any event: the caller reads the file with libyaml then.
 * tests/fuzz/fuzz-yaml-block.c holds the two to the same events on any input.
 */

#include "config.h"

#include "cb/cb-yaml-block.h"

#include <string.h>

typedef struct
{
  int      indent;
  gboolean sequence;
  gboolean indentless;   /* a sequence at its mapping's indentation ("key:\n- a") */
  gboolean pending;      /* a mapping whose last key has no value yet */
} Block;

typedef struct
{
  Block            stack[CB_YAML_BLOCK_MAX_DEPTH];
  guint            depth;
  gboolean         started;
  CbYamlBlockFunc  func;   /* NULL while checking */
  gpointer         user_data;
  char             buf[CB_YAML_BLOCK_MAX_LINE + 1];
} Reader;

static void
emit (Reader               *r,
      CbYamlBlockEventType  type)
{
  CbYamlBlockEvent event = { type, NULL, 0, FALSE };

  if (r->func != NULL)
    r->func (&event, r->user_data);
}

static void
emit_scalar (Reader     *r,
             const char *value,
             gsize       length,
             gboolean    plain)
{
  CbYamlBlockEvent event = { CB_YAML_BLOCK_SCALAR, r->buf, length, plain };

  if (r->func == NULL)
    return;
  memcpy (r->buf, value, length);
  r->buf[length] = '\0';
  r->func (&event, r->user_data);
}

static Block *
top (Reader *r)
{
  return r->depth > 0 ? &r->stack[r->depth - 1] : NULL;
}

static gboolean
push (Reader   *r,
      int       indent,
      gboolean  sequence)
{
  Block *parent = top (r);

  if (r->depth == CB_YAML_BLOCK_MAX_DEPTH)
    return FALSE;
  if (parent != NULL)
    parent->pending = FALSE;   /* the new collection is its key's value */
  r->stack[r->depth++] = (Block) { indent, sequence, parent != NULL && parent->indent == indent,
                                   FALSE };
  r->started = TRUE;
  emit (r, sequence ? CB_YAML_BLOCK_SEQUENCE_START : CB_YAML_BLOCK_MAPPING_START);
  return TRUE;
}

/* A key without a value (nothing more indented followed it) has an empty plain one. */
static void
pop (Reader *r)
{
  Block *block = &r->stack[--r->depth];

  if (block->sequence)
    emit (r, CB_YAML_BLOCK_SEQUENCE_END);
  else
    {
      if (block->pending)
        emit_scalar (r, "", 0, TRUE);
      emit (r, CB_YAML_BLOCK_MAPPING_END);
    }
}

/* The collections a line at @indent ends. */
static void
close_deeper (Reader *r,
              int     indent)
{
  while (r->depth > 0 && top (r)->indent > indent)
    pop (r);
}

/* "key:" followed by a space or the end: the key's length, else 0. */
static gsize
key_length (const char *text,
            gsize       length)
{
  gsize i = 0;

  if (length == 0 || !(g_ascii_isalnum (text[0]) || text[0] == '_'))
    return 0;
  while (i < length && (g_ascii_isalnum (text[i]) || text[i] == '_' || text[i] == '-' ||
                        text[i] == '.' || text[i] == '/'))
    i++;
  if (i < length && text[i] == ':' && (i + 1 == length || text[i + 1] == ' '))
    return i;
  return 0;
}

/* A value on the rest of a line (@length > 0, no space at either end). */
static gboolean
value (Reader     *r,
       const char *text,
       gsize       length)
{
  if (length == 2 && (memcmp (text, "[]", 2) == 0 || memcmp (text, "{}", 2) == 0))
    {
      gboolean sequence = text[0] == '[';

      emit (r, sequence ? CB_YAML_BLOCK_SEQUENCE_START : CB_YAML_BLOCK_MAPPING_START);
      emit (r, sequence ? CB_YAML_BLOCK_SEQUENCE_END : CB_YAML_BLOCK_MAPPING_END);
      return TRUE;
    }

  if (text[0] == '\'' || text[0] == '"')
    {
      if (length < 2 || text[length - 1] != text[0])
        return FALSE;
      for (gsize i = 1; i + 1 < length; i++)
        if (text[i] == text[0] || text[i] == '\\')
          return FALSE;
      emit_scalar (r, text + 1, length - 2, FALSE);
      return TRUE;
    }

  /* Indicators start no plain scalar here; "-" does when something other than a space
   * follows it ("-1", "-v2"). */
  if (strchr ("-?:,[]{}&*!|>%@`", text[0]) != NULL &&
      !(text[0] == '-' && length > 1 && text[1] != ' '))
    return FALSE;
  if (text[length - 1] == ':')
    return FALSE;
  for (gsize i = 0; i + 1 < length; i++)
    if (text[i] == ':' && text[i + 1] == ' ')
      return FALSE;
  emit_scalar (r, text, length, TRUE);
  return TRUE;
}

/* "- item" at @indent. */
static gboolean
item (Reader     *r,
      int         indent,
      const char *text,
      gsize       length)
{
  Block *block;

  if (length < 3)
    return FALSE;   /* "-" alone: the item is on the next lines */
  text += 2;
  length -= 2;
  while (*text == ' ')
    {
      text++;
      length--;
    }
  if (key_length (text, length) > 0)
    return FALSE;   /* "- key: value", a mapping in the item */

  close_deeper (r, indent);
  block = top (r);
  if (block != NULL && block->sequence && block->indent == indent)
    ;   /* the next item */
  else if (block != NULL && !block->sequence && block->pending && indent >= block->indent)
    {
      if (!push (r, indent, TRUE))
        return FALSE;
    }
  else if (block == NULL && !r->started)
    push (r, indent, TRUE);
  else
    return FALSE;

  return value (r, text, length);
}

/* "key: value" or "key:" at @indent. */
static gboolean
key (Reader     *r,
     int         indent,
     const char *text,
     gsize       key_len,
     gsize       length)
{
  Block *block;

  close_deeper (r, indent);
  block = top (r);
  if (block != NULL && block->sequence && block->indentless && block->indent == indent)
    {
      pop (r);
      block = top (r);
    }
  if (block != NULL && !block->sequence && block->indent == indent)
    {
      if (block->pending)
        emit_scalar (r, "", 0, TRUE);
    }
  else if (block != NULL && !block->sequence && block->pending && indent > block->indent)
    {
      if (!push (r, indent, FALSE))
        return FALSE;
    }
  else if (block == NULL && !r->started)
    push (r, indent, FALSE);
  else
    return FALSE;

  block = top (r);
  block->pending = FALSE;
  emit_scalar (r, text, key_len, TRUE);

  text += key_len + 1;
  length -= key_len + 1;
  while (length > 0 && *text == ' ')
    {
      text++;
      length--;
    }
  if (length == 0)
    {
      block->pending = TRUE;
      return TRUE;
    }
  return value (r, text, length);
}

static gboolean
read_lines (Reader     *r,
            const char *data,
            gsize       length)
{
  gsize pos = 0;

  while (pos < length)
    {
      const char *line = data + pos;
      const char *newline = memchr (line, '\n', length - pos);
      gsize len = newline != NULL ? (gsize) (newline - line) : length - pos;
      gsize indent = 0, end = len, key_len;
      const char *text;

      pos += len + (newline != NULL);
      if (len > CB_YAML_BLOCK_MAX_LINE)
        return FALSE;
      for (gsize i = 0; i < len; i++)
        if ((guchar) line[i] < 0x20 || (guchar) line[i] > 0x7e || line[i] == '#')
          return FALSE;
      while (indent < len && line[indent] == ' ')
        indent++;
      while (end > indent && line[end - 1] == ' ')
        end--;
      if (end == indent)
        continue;   /* a blank line */

      text = line + indent;
      if (text[0] == '-' && (end - indent == 1 || text[1] == ' '))
        {
          if (!item (r, (int) indent, text, end - indent))
            return FALSE;
        }
      else if ((key_len = key_length (text, end - indent)) > 0)
        {
          if (!key (r, (int) indent, text, key_len, end - indent))
            return FALSE;
        }
      else
        return FALSE;   /* a line of its own: a document marker, a scalar, a complex key... */
    }

  while (r->depth > 0)
    pop (r);
  return TRUE;
}

/**
 * cb_yaml_block_read:
 * @data: the file's contents (need not be NUL-terminated)
 * @length: their length
 * @func: called for each event, in order
 * @user_data: for @func
 *
 * Reads @data if it is plain block YAML (see the top of this file), giving @func the events
 * libyaml would give between the document's start and its end.
 *
 * Returns: %FALSE, having called @func for nothing, if @data is not in the subset
 */
gboolean
cb_yaml_block_read (const char      *data,
                    gsize            length,
                    CbYamlBlockFunc  func,
                    gpointer         user_data)
{
  Reader r = { .func = NULL };

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Checked first, so that a line declined at the end takes back no event. */
  if (!read_lines (&r, data, length))
    return FALSE;
  r = (Reader) { .func = func, .user_data = user_data };
  return read_lines (&r, data, length);
}
