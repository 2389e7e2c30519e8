/* cb-test-yaml-events.c: a YAML document's events as text, one per line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   +MAP  -MAP  +SEQ  -SEQ  =VAL <length> <style><value>
 *
 * where <style> is ':' for plain, '\'' for single-quoted, '"' for double-quoted (and '|', '>'
 * for libyaml's block scalars). The stream's and the first document's start and end are left
 * out, as cb_yaml_block_read() gives none; anything that reader never gives is written out
 * (anchors, aliases, tags, a second document) so that it differs.
 */

#include "config.h"

#include "cb-test-yaml-events.h"
#include "cb/cb-yaml-block.h"

#include <yaml.h>

static void
append_scalar (GString    *out,
               const char *value,
               gsize       length,
               char        style)
{
  g_string_append_printf (out, "=VAL %" G_GSIZE_FORMAT " %c", length, style);
  g_string_append_len (out, value, (gssize) length);
  g_string_append_c (out, '\n');
}

static void
block_event (const CbYamlBlockEvent *event,
             gpointer                user_data)
{
  GString *out = user_data;

  switch (event->type)
    {
    case CB_YAML_BLOCK_MAPPING_START:
      g_string_append (out, "+MAP\n");
      break;
    case CB_YAML_BLOCK_MAPPING_END:
      g_string_append (out, "-MAP\n");
      break;
    case CB_YAML_BLOCK_SEQUENCE_START:
      g_string_append (out, "+SEQ\n");
      break;
    case CB_YAML_BLOCK_SEQUENCE_END:
      g_string_append (out, "-SEQ\n");
      break;
    case CB_YAML_BLOCK_SCALAR:
      g_assert (event->value[event->length] == '\0');
      /* cb_yaml_block_read() tells plain from quoted only. */
      append_scalar (out, event->value, event->length, event->plain ? ':' : 'Q');
      break;
    default:
      g_assert_not_reached ();
    }
}

/* NULL when cb_yaml_block_read() declines @data. */
char *
cb_test_yaml_events_block (const char *data,
                           gsize       length)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!cb_yaml_block_read (data, length, block_event, out))
    {
      g_assert_cmpuint (out->len, ==, 0);   /* declined before any event */
      return NULL;
    }
  return g_strdup (out->str);
}

static void
append_properties (GString             *out,
                   const yaml_char_t   *anchor,
                   const yaml_char_t   *tag,
                   gboolean             implicit)
{
  if (anchor != NULL)
    g_string_append_printf (out, " &%s", (const char *) anchor);
  if (tag != NULL && !implicit)
    g_string_append_printf (out, " <%s>", (const char *) tag);
}

/* NULL on a syntax error anywhere in the stream. Quoted scalars are written as "Q" like
 * cb_test_yaml_events_block() does; block scalars keep their own style. */
char *
cb_test_yaml_events_libyaml (const char *data,
                             gsize       length)
{
  g_autoptr(GString) out = g_string_new (NULL);
  yaml_parser_t parser;
  yaml_event_t event;
  guint documents = 0;
  gboolean ok = TRUE;
  gboolean done = FALSE;

  yaml_parser_initialize (&parser);
  yaml_parser_set_input_string (&parser, (const unsigned char *) data, length);
  while (!done)
    {
      if (!yaml_parser_parse (&parser, &event))
        {
          ok = FALSE;
          break;
        }
      switch (event.type)
        {
        case YAML_STREAM_END_EVENT:
          done = TRUE;
          break;
        case YAML_DOCUMENT_START_EVENT:
          if (++documents > 1 || !event.data.document_start.implicit)
            g_string_append (out, "+DOC\n");
          break;
        case YAML_DOCUMENT_END_EVENT:
          if (!event.data.document_end.implicit)
            g_string_append (out, "-DOC\n");
          break;
        case YAML_MAPPING_START_EVENT:
          g_string_append (out, "+MAP");
          append_properties (out, event.data.mapping_start.anchor, event.data.mapping_start.tag,
                             event.data.mapping_start.implicit);
          g_string_append_c (out, '\n');
          break;
        case YAML_MAPPING_END_EVENT:
          g_string_append (out, "-MAP\n");
          break;
        case YAML_SEQUENCE_START_EVENT:
          g_string_append (out, "+SEQ");
          append_properties (out, event.data.sequence_start.anchor,
                             event.data.sequence_start.tag, event.data.sequence_start.implicit);
          g_string_append_c (out, '\n');
          break;
        case YAML_SEQUENCE_END_EVENT:
          g_string_append (out, "-SEQ\n");
          break;
        case YAML_ALIAS_EVENT:
          g_string_append_printf (out, "=ALI *%s\n", (const char *) event.data.alias.anchor);
          break;
        case YAML_SCALAR_EVENT:
          {
            yaml_scalar_style_t style = event.data.scalar.style;
            char mark = style == YAML_PLAIN_SCALAR_STYLE ? ':'
                        : style == YAML_SINGLE_QUOTED_SCALAR_STYLE ? 'Q'
                        : style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ? 'Q'
                        : style == YAML_LITERAL_SCALAR_STYLE ? '|' : '>';

            if (event.data.scalar.anchor != NULL || event.data.scalar.tag != NULL)
              {
                g_string_append (out, "=PROPS");
                append_properties (out, event.data.scalar.anchor, event.data.scalar.tag, FALSE);
                g_string_append_c (out, '\n');
              }
            append_scalar (out, (const char *) event.data.scalar.value,
                           event.data.scalar.length, mark);
          }
          break;
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        default:
          break;
        }
      yaml_event_delete (&event);
    }
  yaml_parser_delete (&parser);
  return ok ? g_strdup (out->str) : NULL;
}
