/* cb-cli.h: the headless sub-commands (print, check, list-options, list-checkpoints)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *cb_cli_first_word   (int    argc,
                                 char **argv);
const char *cb_cli_find_command (int    argc,
                                 char **argv);
int         cb_cli_run          (int    argc,
                                 char **argv);

G_END_DECLS
