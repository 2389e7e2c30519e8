/* fuzz-yaml.c: any text as a config file: the YAML tree, the config tree made of it, and
 * its YAML and JSON writers, bounded and without a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-cfg.h"
#include "cb/cb-yaml.h"
#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbNode) node = cb_yaml_load_data ((const char *) data, size, "fuzz.yaml", &error);
  g_autoptr(CbCfg) cfg = NULL;
  g_autofree char *yaml = NULL;
  g_autofree char *json = NULL;

  if (node == NULL)
    return 0;
  cfg = cb_cfg_from_node (node, "fuzz.yaml");
  yaml = cb_cfg_to_yaml (cfg);
  json = cb_cfg_to_json (cfg);
  fuzz_assert (yaml != NULL && json != NULL, "no text written");

  /* What we write reads back as the same tree. */
  if (cfg->kind == CB_CFG_MAP)
    {
      g_autoptr(CbNode) again = cb_yaml_load_data (yaml, strlen (yaml), "again.yaml", NULL);
      g_autoptr(CbCfg) cfg_again = again ? cb_cfg_from_node (again, "again.yaml") : NULL;
      g_autofree char *json_again = cfg_again ? cb_cfg_to_json (cfg_again) : NULL;

      fuzz_assert (g_strcmp0 (json, json_again) == 0,
                   "written YAML reads back differently:\n%s\n%s\n%s", yaml, json,
                   json_again ? json_again : "(refused)");
    }
  return 0;
}
