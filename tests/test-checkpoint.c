/* test-checkpoint.c: what a checkpoint's labels say: its run's name and its file's version
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cb/cb-checkpoint.h"

typedef struct
{
  const char *basename;
  gint64      version;
  const char *label;
} VersionCase;

static const VersionCase version_cases[] = {
  { "last.ckpt", 0, "last" },
  { "last-v1.ckpt", 1, "last · v1" },
  { "last_v12.ckpt", 12, "last · v12" },
  { "epoch=3-step=100.ckpt", 0, "epoch 3 · step 100" },
  { "epoch=3-step=100-v1.ckpt", 1, "epoch 3 · step 100 · v1" },
  { "epoch=3-step=40-val_loss=0.123-v2.ckpt", 2, "epoch 3 · step 40 · val_loss 0.1230 · v2" },
  { "myprefix_epoch-03_step-000103_v2.ckpt", 2, "epoch 3 · step 103 · v2" },
  { "best-hmean-0.8920.ckpt", 0, "best · hmean 0.8920" },
  /* Not a version: a word that starts with v. */
  { "vgg.ckpt", 0, "vgg.ckpt" },
  { "model.ckpt", 0, "model.ckpt" },
};

static void
test_version (gconstpointer data)
{
  const VersionCase *c = data;
  CbCheckpointName name;
  g_autofree char *path = g_strconcat ("outputs/run/checkpoints/", c->basename, NULL);
  g_autoptr(CbCheckpoint) checkpoint = cb_checkpoint_new (path, "run", 0, 0, NULL);
  g_autofree char *label = cb_checkpoint_dup_label (checkpoint);

  g_assert_true (cb_checkpoint_name_parse (c->basename, &name));
  g_assert_cmpint (name.version, ==, c->version);
  cb_checkpoint_name_clear (&name);
  g_assert_cmpint (cb_checkpoint_get_name_info (checkpoint)->version, ==, c->version);
  g_assert_cmpstr (label, ==, c->label);
}

/* A run in Hydra's dated layout is called by its exp_name; without one, by its folder. */
static void
test_run_title (void)
{
  CbRunInfo info = { .exp_name = (char *) "receipts_dbnet" };
  CbRunInfo unnamed = { .encoder = (char *) "resnet18" };
  CbRunInfo empty_name = { .exp_name = (char *) "" };
  g_autoptr(CbCheckpoint) named = cb_checkpoint_new ("outputs/2025-11-16/10-30-00/checkpoints/last.ckpt",
                                                     "2025-11-16/10-30-00", 0, 0, &info);
  g_autoptr(CbCheckpoint) plain = cb_checkpoint_new ("outputs/2025-11-16/10-30-00/checkpoints/last.ckpt",
                                                     "2025-11-16/10-30-00", 0, 0, &unnamed);
  g_autoptr(CbCheckpoint) blank = cb_checkpoint_new ("outputs/x/checkpoints/last.ckpt",
                                                     "x", 0, 0, &empty_name);
  g_autoptr(CbCheckpoint) none = cb_checkpoint_new ("outputs/checkpoints/last.ckpt",
                                                    NULL, 0, 0, NULL);

  g_assert_cmpstr (cb_checkpoint_get_run_title (named), ==, "receipts_dbnet");
  g_assert_cmpstr (cb_checkpoint_get_run (named), ==, "2025-11-16/10-30-00");
  g_assert_cmpstr (cb_checkpoint_get_run_title (plain), ==, "2025-11-16/10-30-00");
  g_assert_cmpstr (cb_checkpoint_get_run_title (blank), ==, "x");
  g_assert_cmpstr (cb_checkpoint_get_run_title (none), ==, "");
}

/* The exp_name comes from the run's saved overrides, as the scanner reads them. */
static void
test_run_title_from_overrides (void)
{
  static const char overrides[] = "- exp_name=receipts_dbnet\n- trainer.max_epochs=3\n";
  g_autoptr(CbRunInfo) info = cb_run_info_parse (overrides, strlen (overrides), NULL, 0);
  g_autoptr(CbCheckpoint) checkpoint = cb_checkpoint_new ("outputs/2025-11-16/10-30-00/checkpoints/last-v1.ckpt",
                                                          "2025-11-16/10-30-00", 0, 0, info);
  g_autofree char *label = cb_checkpoint_dup_label (checkpoint);

  g_assert_cmpstr (cb_checkpoint_get_run_title (checkpoint), ==, "receipts_dbnet");
  g_assert_cmpstr (label, ==, "last · v1");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (version_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/checkpoint/version/%s", version_cases[i].basename);

      g_test_add_data_func (name, &version_cases[i], test_version);
    }
  g_test_add_func ("/checkpoint/run-title", test_run_title);
  g_test_add_func ("/checkpoint/run-title-from-overrides", test_run_title_from_overrides);

  return g_test_run ();
}
