/* fuzz-command.c: any text as a pasted command read back into the Train form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-form.h"
#include "fuzz-common.h"

#include <stdlib.h>

static CbForm *form;

static CbForm *
get_form (void)
{
  const char *root = g_getenv ("CB_FUZZ_PROJECT");

  if (form == NULL && root != NULL)
    {
      g_autoptr(CbProject) project = cb_project_load (root, NULL);
      g_autofree char *configs = cb_project_get_path (project, project->configs_dir);
      g_autoptr(CbConfigSnapshot) snapshot = cb_config_snapshot_load (configs, NULL);
      g_autofree char *path = cb_project_find_schema (project, NULL, "train");
      g_autoptr(CbSchema) schema = cb_schema_load_file (path, NULL, NULL);

      form = cb_form_new (schema, "train");
      cb_form_set_project (form, project);
      cb_form_set_snapshot (form, snapshot);
    }
  return form;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) unplaced = NULL;
  CbForm *f = get_form ();

  if (f == NULL || !g_utf8_validate (text, -1, NULL) ||
      !g_shell_parse_argv (text, NULL, &argv, NULL))
    return 0;
  if (cb_form_load_command (f, (const char * const *) argv, &unplaced, NULL))
    {
      CbCommand *command = cb_form_get_command (f);

      fuzz_assert (command != NULL && cb_command_get_argv (command) != NULL, "no command");
    }
  return 0;
}
