/* cb-command-parse.h: a pasted command read back into its page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cb-form.h"
#include "cb-project.h"

G_BEGIN_DECLS

#define CB_COMMAND_PARSE_ERROR (cb_command_parse_error_quark ())

typedef enum
{
  CB_COMMAND_PARSE_ERROR_EMPTY,      /* no words */
  CB_COMMAND_PARSE_ERROR_SHELL,      /* the shell quoting does not parse */
  CB_COMMAND_PARSE_ERROR_NO_SCRIPT,  /* no runners/<page>.py and no page given */
  CB_COMMAND_PARSE_ERROR_PAGE,       /* the script is another page's than the one asked for */
  CB_COMMAND_PARSE_ERROR_WORD,       /* a word that is no override the page can keep */
} CbCommandParseError;

/* A word of the command that the page does not keep, and why. */
typedef struct
{
  char *word;
  char *reason;
} CbIgnoredWord;

typedef struct
{
  char      *page;       /* the page the script names (or the one asked for) */
  char     **overrides;  /* the words after the script, without Hydra's flags */
  GPtrArray *fields;     /* char*: after loading, the keys of the fields it set, schema order */
  GPtrArray *extra;      /* char*: after loading, the overrides no field takes */
  GPtrArray *ignored;    /* CbIgnoredWord*: the launcher when it differs, -m, ... */
  gboolean   multirun;   /* -m / --multirun was given */
} CbParseResult;

GQuark         cb_command_parse_error_quark (void);
char         **cb_command_split_text        (const char          *text,
                                             GError             **error);
CbParseResult *cb_command_parse_argv        (const char * const  *argv,
                                             const char          *page,
                                             const CbProject     *project,
                                             GError             **error);
CbParseResult *cb_command_parse_text        (const char          *text,
                                             const char          *page,
                                             const CbProject     *project,
                                             GError             **error);
gboolean       cb_parse_result_load         (CbParseResult       *self,
                                             CbForm              *form,
                                             GError             **error);
char          *cb_parse_result_describe     (const CbParseResult *self);
char         **cb_parse_result_to_words     (const CbParseResult *self,
                                             CbForm              *form);
char          *cb_parse_result_to_json      (const CbParseResult *self,
                                             CbForm              *form);
void           cb_parse_result_free         (CbParseResult       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbParseResult, cb_parse_result_free)

G_END_DECLS
