/* cb-quote.h: Hydra value quoting, shell quoting for display, Python-style numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How a value reached the form; decides how it is written after "key=". */
typedef enum
{
  CB_VALUE_KIND_FREE_TEXT, /* typed by the user: must reach Hydra as exactly this string */
  CB_VALUE_KIND_OPTION,    /* a name from configs or a schema: written as is where Hydra accepts it */
} CbValueKind;

gboolean  cb_hydra_value_needs_quoting (const char  *value,
                                        CbValueKind  kind);
char     *cb_hydra_quote_value         (const char  *value,
                                        CbValueKind  kind);
char     *cb_hydra_override            (const char  *key,
                                        const char  *value,
                                        CbValueKind  kind);
char     *cb_format_number_repr        (double       value);
char     *cb_omegaconf_text            (const char  *text);
char     *cb_shell_quote_word          (const char  *word);
char     *cb_shell_quote_home_path     (const char  *path);
char     *cb_shell_join                (const char * const *argv);
char     *cb_shell_join_multiline      (const char * const *argv,
                                        guint        head_len);

G_END_DECLS
