/* test-compose-demo.c: the bundled demo project composed: every choice the pages offer, and
 * the demo's runners agreeing with the composer on a corpus of overrides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-compose.h"
#include "cb/cb-form.h"
#include "cb-test-demo.h"

#include <string.h>
#include <sys/wait.h>

static CbTestDemo env;

static CbForm *
make_form (const char *page)
{
  CbForm *form = cb_test_demo_make_form (&env, page);

  if (cb_schema_find_field (cb_form_get_schema (form), "checkpoint_path") >= 0 &&
      !g_str_equal (page, "train"))
    cb_form_set_value (form, "checkpoint_path",
                       g_variant_new_string ("outputs/3/checkpoints/last.ckpt"));
  return form;
}

/* The composed config holds what the field's overrides say. */
static void
check_field_lands (CbForm        *form,
                   const CbField *field,
                   const char    *page)
{
  CbComposition *c = cb_form_get_composition (form);
  const char * const *overrides = cb_command_get_overrides (cb_form_get_command (form));

  if (cb_form_get_hydra_error (form) != NULL)
    g_error ("%s: %s: Hydra would refuse the command: %s", page, field->key,
             cb_form_get_hydra_error (form));
  g_assert_nonnull (c);

  for (guint k = 0; field->hydra_override != NULL && field->hydra_override[k] != NULL; k++)
    {
      const char *target = field->hydra_override[k];
      g_autofree char *prefix = g_strconcat (target, "=", NULL);

      for (guint i = 0; overrides[i] != NULL; i++)
        {
          const char *value;

          if (!g_str_has_prefix (overrides[i], prefix))
            continue;
          value = overrides[i] + strlen (prefix);
          if (strchr (target, '/') != NULL || g_str_equal (target, "data"))
            {
              g_autofree char *choice = g_strconcat (target, "=", value, NULL);
              gboolean found = FALSE;

              for (guint n = 0; n < c->choices->len && !found; n++)
                found = g_str_equal (g_ptr_array_index (c->choices, n), choice);
              if (!found)
                g_error ("%s: %s: the composition did not choose %s", page, field->key, choice);
            }
          else
            {
              const CbCfg *node = cb_cfg_lookup_path (c->config, target);

              g_assert_nonnull (node);
              if (node->kind == CB_CFG_SCALAR && value[0] != '"' &&
                  g_strcmp0 (node->text, value) != 0)
                g_error ("%s: %s: %s is %s in the composed config, the command says %s", page,
                         field->key, target, node->text, value);
            }
        }
    }
}

static void
test_every_choice (void)
{
  static const char * const pages[] = { "train", "test", "predict", NULL };
  guint n_composed = 0;

  for (guint p = 0; pages[p] != NULL; p++)
    {
      g_autoptr(CbForm) defaults = make_form (pages[p]);
      CbSchema *schema = cb_form_get_schema (defaults);

      g_assert_null (cb_form_get_hydra_error (defaults));
      g_assert_nonnull (cb_form_get_composition (defaults));

      for (guint i = 0; i < cb_schema_get_n_fields (schema); i++)
        {
          const CbField *field = cb_schema_get_field (schema, i);
          const CbFieldState *state = cb_form_get_field_state (defaults, i);
          g_auto(GStrv) options = NULL;

          if (field->type != CB_FIELD_SELECTBOX || state->n_options == 0 ||
              g_strcmp0 (field->options_source, "checkpoints") == 0)
            continue;
          options = g_strdupv ((char **) state->options);
          for (guint o = 0; options[o] != NULL; o++)
            {
              g_autoptr(CbForm) form = make_form (pages[p]);

              cb_form_set_value (form, field->key, g_variant_new_string (options[o]));
              check_field_lands (form, field, pages[p]);
              n_composed++;
            }
        }
    }
  g_test_message ("%u single-choice commands composed", n_composed);
  g_assert_cmpuint (n_composed, >, 40);
}

/* ---- the demo runner agrees ---------------------------------------------------------- */

static const char * const corpus[] = {
  "", "model/architectures=craft", "model/architectures=dbnetpp", "model/optimizers=adamw",
  "data=canonical", "data=preprocessing", "data=craft", "+preset/datasets=preprocessing",
  "trainer.max_epochs=3", "+trainer.fast_dev_run=true", "++trainer.max_epochs=2",
  "++trainer.new_key=1", "~logger", "~trainer.deterministic", "trainer.foo=1",
  "+trainer.max_epochs=3", "model/optimizers=[adam,adamw]", "model/architectures=nonexistent",
  "model@pkg=default", "exp_name='${oops'", "exp_name=${}", "trainer={max_epochs: 4}",
  "hydra/job_logging=disabled", "+data/performance_preset=fast", "seed=null",
  "exp_name=\"my run\"", "exp_name=my run", "exp_name=a,b", "exp_name=한국어",
  "exp_name=\"한국어\"", "dataloaders.train_dataloader.batch_size=8", "model.optimizer.lr=1e-4",
  "model.optimizer.lr=.5", "+model.extra={a: 1}", "trainer.precision=bf16-mixed",
  "data/performance_preset=fast", "~model/optimizers", "model/optimizers=null",
  "exp_name=007", "exp_name=1_000", "checkpoint_path=outputs/x/epoch=1.ckpt",
  "exp_name=[a,b]", "trainer.max_epochs=str(3)",
  /* more a user may type */
  "+trainer={a: 1}", "~data", "data=null", "model/optimizers=[]", "+model.encoder.extra=[1,2]",
  "trainer.max_epochs=1e3", "exp_name=${exp_version}-x", "exp_name='a\\'b'",
  "+data/performance_preset@perf=fast", "~trainer.max_epochs=10", "~trainer.max_epochs=11",
  "++trainer={max_epochs: 5}", "~model/optimizers=adamw", "~model/optimizers=adam",
  "+model=default", "model=[default]", "data=[default,canonical]", "exp_name=yes",
  "exp_name=''", "exp_name=\"1e-05\"", "seed=int(3.7)", "hydra.job.chdir=false",
  "++hydra.job.chdir=false", "trainer=default", "~trainer", "exp_name=choice(a,b)",
  "exp_name=${oc.env:HOME}", "model.architecture_name=x", "+seed=1", "++seed=1", "~seed",
  "~seed=42", "++paths.extra.deep=1", "+data/performance_preset=[fast]", NULL
};

static char *
normalized (CbCfg *cfg)
{
  return cb_cfg_to_json (cfg);
}

static void
test_runner_agrees (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *configs = NULL;
  g_autoptr(CbComposer) composer = NULL;
  guint agree = 0;
  guint n = 0;
  g_autoptr(GString) disagreements = g_string_new (NULL);

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed: the demo runners cannot run");
      return;
    }

  configs = g_build_filename (env.root, "configs", NULL);
  composer = cb_composer_new (configs);

  for (guint i = 0; corpus[i] != NULL; i++)
    {
      const char *argv[] = { python, "runners/train.py", corpus[i], "--cfg", "job", NULL };
      const char * const overrides[] = { corpus[i], NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CbComposition) composed = NULL;
      int status = 0;
      gboolean runner_ok;

      if (*corpus[i] == '\0')
        argv[2] = "--cfg", argv[3] = "job", argv[4] = NULL;
      g_assert_true (g_spawn_sync (env.root, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, &err, &status, NULL));
      runner_ok = WIFEXITED (status) && WEXITSTATUS (status) == 0;
      composed = cb_composer_compose (composer, "train",
                                      *corpus[i] ? overrides : NULL, &error);
      n++;

      if (runner_ok && composed != NULL)
        {
          g_autoptr(CbNode) node = cb_yaml_load_data (out, strlen (out), "runner", NULL);
          g_autoptr(CbCfg) runner_cfg = cb_cfg_from_node (node, "runner");
          g_autofree char *a = normalized (runner_cfg);
          g_autofree char *b = normalized (composed->config);

          if (g_str_equal (a, b))
            agree++;
          else
            g_string_append_printf (disagreements, "  %s: the configs differ\n", corpus[i]);
        }
      else if (!runner_ok && composed == NULL)
        agree++;
      else
        g_string_append_printf (disagreements, "  %s: runner %s, composer %s\n", corpus[i],
                                runner_ok ? "accepts" : "refuses",
                                composed ? "accepts" : error->message);
    }

  g_test_message ("the demo runner and the composer agree on %u of %u overrides", agree, n);
  if (disagreements->len > 0)
    g_error ("the demo runner and the composer disagree on %u of %u overrides:\n%s", n - agree,
             n, disagreements->str);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  cb_test_demo_open (&env);

  g_test_add_func ("/compose-demo/every-choice", test_every_choice);
  g_test_add_func ("/compose-demo/runner-agrees", test_runner_agrees);

  status = g_test_run ();

  cb_test_demo_close (&env);
  return status;
}
