/* test-slurm.c: Slurm targets, their job scripts, what squeue says, and jobs on a real
 * one-node cluster on loopback (tests/slurm/with-slurm starts it; without Slurm installed the
 * cluster cases skip, and fail under CI=true)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cb/cb-job-form.h"
#include "cb/cb-job.h"
#include "cb/cb-problem.h"
#include "cb/cb-slurm.h"
#include "cb/cb-target.h"
#include "cb-test-demo.h"
#include "cb-test-util.h"

static CbTestDemo demo;
static char *tmp_root;

/* Hostile words: each must reach the runner exactly. */
static const char * const hostile[] = {
  "exp_name=my run", "it's", "say \"hi\"", "$HOME", "`id`", "$(id)", "a=b=c", "back\\slash",
  "한국어 실험", "50%", "semi;colon", "*", "~", "new\nline", "", NULL
};

static char *
cb_test_real_path (const char *path)
{
  char *real = realpath (path, NULL);
  char *copy = g_strdup (real != NULL ? real : path);

  free (real);
  return copy;
}

static gboolean
have_cluster (void)
{
  if (g_getenv ("CB_TEST_SLURM_DIR") != NULL)
    return TRUE;
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    g_error ("CI=true and no Slurm cluster (tests/slurm/with-slurm could not start one)");
  g_test_skip ("no Slurm cluster (run under tests/slurm/with-slurm)");
  return FALSE;
}

static CbTarget *
slurm_target (void)
{
  CbTarget *target = cb_target_new_slurm ("cluster");

  target->slurm->time = g_strdup ("00:05:00");
  target->slurm->cpus_per_task = 1;
  return target;
}

static char *
make_project (const char *name)
{
  char *dir = g_build_filename (tmp_root, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return dir;
}

static void
wait_done (CbJob    *job,
           guint     timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (cb_job_is_active (job) && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;

      if (!cb_job_probe (job, NULL, &error))
        g_printerr ("probe: %s\n", error->message);
      if (cb_job_is_active (job))
        g_usleep (300 * 1000);
    }
  if (cb_job_is_active (job))
    {
      g_autofree char *summary = cb_job_dup_slurm_summary (job);

      g_error ("job %s still %s after %u s", cb_job_get_slurm_id (job), summary, timeout_s);
    }
}

static CbJob *
submit (const char         *project,
        const CbTarget     *target,
        const char * const *argv)
{
  g_autoptr(CbJob) job = cb_job_new (project, "train", argv, NULL, target);
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  CbSlurmScript spec = { 0 };

  spec.target = target;
  spec.job_id = cb_job_get_id (job);
  spec.experiment = cb_job_get_experiment (job);
  spec.project_dir = project;
  spec.argv = argv;
  script = cb_slurm_script_new (&spec);
  g_assert_nonnull (script);
  cb_job_set_slurm_script (job, script);
  if (!cb_job_launch (job, NULL, &error))
    g_error ("%s", error->message);
  g_assert_nonnull (cb_job_get_slurm_id (job));
  return g_steal_pointer (&job);
}

/* The cluster's login host over ssh: the private sshd of tests/ssh/with-sshd on this same
 * machine, with the test's own state folder and cluster. */
static CbTarget *
login_target (const char *project)
{
  const char *dir = g_getenv ("CB_TEST_SSHD_DIR");
  g_autofree char *port = NULL;
  g_autofree char *port_file = NULL;
  CbTarget *target;

  if (dir == NULL)
    return NULL;
  port_file = g_build_filename (dir, "port", NULL);
  g_assert_true (g_file_get_contents (port_file, &port, NULL, NULL));
  target = slurm_target ();
  target->host = g_strdup ("127.0.0.1");
  target->port = atoi (port);
  target->user = g_strdup (g_get_user_name ());
  target->identity_file = g_build_filename (dir, "id_ed25519", NULL);
  target->project_dir = g_strdup (project);
  g_strfreev (target->ssh_options);
  target->ssh_options = g_new0 (char *, 4);
  target->ssh_options[0] = g_strdup_printf ("UserKnownHostsFile=%s/known_hosts", dir);
  target->ssh_options[1] = g_strdup ("StrictHostKeyChecking=yes");
  target->ssh_options[2] = g_strdup_printf ("SetEnv=XDG_STATE_HOME=%s SLURM_CONF=%s",
                                            g_getenv ("XDG_STATE_HOME"), g_getenv ("SLURM_CONF"));
  return target;
}

/* ---- targets.yaml ------------------------------------------------------------------- */

static void
test_targets (void)
{
  const char *yaml =
    "targets:\n"
    "  - name: cluster\n"
    "    type: slurm\n"
    "    partition: gpu\n"
    "    time: \"04:00:00\"\n"
    "    gpus: 2\n"
    "    cpus_per_task: 8\n"
    "    mem: 32G\n"
    "    account: lab\n"
    "    qos: normal\n"
    "    array_limit: 3\n"
    "    sbatch: [\"--constraint=a100\"]\n"
    "    setup: [\"module load cuda\"]\n"
    "  - name: remote\n"
    "    type: slurm\n"
    "    host: login.example.org\n"
    "    project_dir: ~/ocr\n"
    "  - name: bad\n"
    "    type: slurm\n"
    "    partition: \"gpu; rm -rf\"\n"
    "  - name: bad2\n"
    "    type: slurm\n"
    "    gpus: many\n"
    "  - name: bad3\n"
    "    type: slurm\n"
    "    sbatch: [\"no dash\"]\n"
    "  - name: bad4\n"
    "    type: slurm\n"
    "    host: login\n";
  g_autoptr(GPtrArray) problems = cb_problem_list_new ();
  g_autoptr(GPtrArray) targets = cb_targets_parse (yaml, strlen (yaml), "targets.yaml", problems);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *written = NULL;
  CbTarget *cluster;
  CbTarget *remote;

  g_assert_cmpuint (targets->len, ==, 3);  /* local, cluster, remote */
  g_assert_cmpuint (problems->len, ==, 4);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = cb_problem_to_string (g_ptr_array_index (problems, i));

      g_assert_nonnull (strstr (line, "targets.yaml:"));
    }
  cluster = cb_targets_find (targets, "cluster");
  g_assert_true (cb_target_is_slurm (cluster));
  g_assert_false (cb_target_via_ssh (cluster));
  g_assert_false (cb_target_is_local (cluster));
  g_assert_cmpstr (cluster->slurm->partition, ==, "gpu");
  g_assert_cmpint (cluster->slurm->gpus, ==, 2);
  g_assert_cmpint (cluster->slurm->array_limit, ==, 3);
  g_assert_cmpstr (cluster->slurm->sbatch[0], ==, "--constraint=a100");
  remote = cb_targets_find (targets, "remote");
  g_assert_true (cb_target_via_ssh (remote));

  written = cb_targets_to_yaml (targets);
  again = cb_targets_parse (written, strlen (written), "again.yaml", NULL);
  g_assert_cmpuint (again->len, ==, 3);
  cluster = cb_targets_find (again, "cluster");
  g_assert_cmpstr (cluster->slurm->time, ==, "04:00:00");
  g_assert_cmpstr (cluster->slurm->mem, ==, "32G");
  g_assert_cmpint (cluster->slurm->cpus_per_task, ==, 8);
  g_assert_cmpstr (cluster->setup[0], ==, "module load cuda");
  g_assert_cmpstr (cb_targets_find (again, "remote")->project_dir, ==, "~/ocr");
}

/* ---- the job script ----------------------------------------------------------------- */

static void
test_script (void)
{
  g_autoptr(CbTarget) target = slurm_target ();
  const char * const argv[] = { "python3", "runners/train.py", "exp_name='a b'", "x=$HOME", NULL };
  CbSlurmScript spec = { 0 };
  g_autofree char *script = NULL;
  g_autofree char *name = NULL;
  g_autoptr(CbCommand) base = NULL;
  g_autoptr(CbSweepPlan) plan = NULL;
  const char * const lr[] = { "0.1", "0.2", NULL };
  const char * const bs[] = { "4", "8", NULL };
  g_autofree char *array = NULL;
  const char * const launcher[] = { "python3", NULL };
  const char * const overrides[] = { "exp_name=s", NULL };

  target->slurm->partition = g_strdup ("gpu");
  target->slurm->gpus = 1;
  target->slurm->array_limit = 2;
  g_strfreev (target->slurm->sbatch);
  target->slurm->sbatch = g_new0 (char *, 2);
  target->slurm->sbatch[0] = g_strdup ("--constraint=a100");
  spec.target = target;
  spec.job_id = "x";
  spec.experiment = "a b=c/d 한글";
  spec.project_dir = "/srv/my project";
  spec.argv = argv;
  script = cb_slurm_script_new (&spec);
  g_assert_true (g_str_has_prefix (script, "#!/bin/bash\n"));
  g_assert_nonnull (strstr (script, "#SBATCH --job-name=a_b_c_d_한글\n"));
  g_assert_nonnull (strstr (script, "#SBATCH --chdir=\"/srv/my project\"\n"));
  g_assert_nonnull (strstr (script, "#SBATCH --output=logs/slurm/%x-%j.out\n"));
  g_assert_nonnull (strstr (script, "#SBATCH --partition=gpu\n#SBATCH --time=00:05:00\n"
                                    "#SBATCH --gpus=1\n#SBATCH --cpus-per-task=1\n"));
  g_assert_nonnull (strstr (script, "#SBATCH --constraint=a100\n"));
  g_assert_null (strstr (script, "--array"));
  g_assert_nonnull (strstr (script, "export PYTHONUNBUFFERED=1\n"
                                    "export SRUN_CPUS_PER_TASK=\"$SLURM_CPUS_PER_TASK\"\n"
                                    "srun python3 runners/train.py "
                                    "'exp_name='\\''a b'\\''' 'x=$HOME'\n"));
  /* Submitting it by hand (a script not made for a job of the app's): the folders Slurm
   * does not make. */
  {
    g_autofree char *by_hand = NULL;

    spec.job_id = NULL;
    by_hand = cb_slurm_script_new (&spec);
    g_assert_nonnull (strstr (by_hand, "#   mkdir -p '/srv/my project/logs/slurm' && sbatch"));
    spec.job_id = "x";
  }

  name = cb_slurm_job_name ("--x");
  g_assert_cmpstr (name, ==, "cb_--x");
  g_clear_pointer (&name, g_free);
  name = cb_slurm_job_name (NULL);
  g_assert_cmpstr (name, ==, "command-builder");

  /* A folder sbatch cannot take quoted. */
  spec.project_dir = "/srv/a\"b";
  g_assert_null (cb_slurm_script_new (&spec));
  spec.project_dir = "~/ocr";
  g_clear_pointer (&script, g_free);
  script = cb_slurm_script_new (&spec);
  g_assert_nonnull (strstr (script, "#SBATCH --chdir=ocr\n"));

  /* A 2×2 sweep: one array of four tasks, at most two at once. */
  base = cb_command_new (launcher, "runners/train.py", overrides);
  plan = cb_sweep_plan_new (base);
  cb_sweep_plan_add_axis (plan, cb_sweep_axis_new ("lr", -1, lr));
  cb_sweep_plan_add_axis (plan, cb_sweep_axis_new ("bs", -1, bs));
  g_assert_cmpuint (plan->n_runs, ==, 4);
  spec.plan = plan;
  array = cb_slurm_script_new (&spec);
  /* A sweep of one run is that run, not an array. */
  {
    const char * const one[] = { "0.5", NULL };
    g_autoptr(CbSweepPlan) single = cb_sweep_plan_new (base);
    g_autofree char *text = NULL;

    cb_sweep_plan_add_axis (single, cb_sweep_axis_new ("lr", -1, one));
    spec.plan = single;
    text = cb_slurm_script_new (&spec);
    g_assert_null (strstr (text, "--array"));
    g_assert_nonnull (strstr (text, "#SBATCH --output=logs/slurm/%x-%j.out\n"));
    g_assert_nonnull (strstr (text, "srun python3 runners/train.py exp_name=s lr=0.5\n"));
    spec.plan = plan;
  }
  g_assert_nonnull (strstr (array, "#SBATCH --output=logs/slurm/%x-%A_%a.out\n"));
  g_assert_nonnull (strstr (array, "#SBATCH --array=0-3%2\n"));
  g_assert_nonnull (strstr (array, "  0) run=( lr=0.1 bs=4 ) ;;\n  1) run=( lr=0.1 bs=8 ) ;;\n"
                                   "  2) run=( lr=0.2 bs=4 ) ;;\n  3) run=( lr=0.2 bs=8 ) ;;\n"));
  g_assert_nonnull (strstr (array, "srun python3 runners/train.py exp_name=s \"${run[@]}\" "
                                   "'hydra.run.dir=outputs/multirun/${exp_name}/"
                                   "${oc.env:SLURM_ARRAY_JOB_ID}_${oc.env:SLURM_ARRAY_TASK_ID}'\n"));
}

/* ---- what squeue and scontrol say --------------------------------------------------- */

static void
test_report (void)
{
  const char *running = "7|RUNNING|None|0:05|node1|N/A\n@rc=0\n";
  const char *pending = "7|PENDING|Resources|0:00||N/A\n@rc=0\n";
  const char *ended =
    "9_0|COMPLETED|None|0:09|node1|0\n"
    "9_1|FAILED|NonZeroExitCode|0:03|node1|1\n"
    "9_2|RUNNING|None|0:01|node2|2\n"
    "@rc=0\n@scontrol\n"
    "JobId=10 JobName=x ArrayJobId=9 ArrayTaskId=0 UserId=me(1) JobState=COMPLETED "
    "Reason=None Dependency=(null) ExitCode=0:0 WorkDir=/a b ExitCode=9:9\n"
    "JobId=11 JobName=x ArrayJobId=9 ArrayTaskId=1 JobState=FAILED Reason=NonZeroExitCode "
    "ExitCode=3:0\n"
    "JobId=12 JobName=x ArrayJobId=9 ArrayTaskId=2 JobState=RUNNING ExitCode=0:0\n"
    "JobId=13 JobName=x ArrayJobId=9 ArrayTaskId=3 JobState=CANCELLED ExitCode=0:15\n";
  const char *vanished = "slurm_load_jobs error: Invalid job id specified\n@rc=1\n";
  const char *down = "squeue: error: Unable to contact slurm controller (connect failure)\n@rc=1\n";
  const char *junk = "7|RUNNING\n|||||\nx|lower|a|b|c|d\n7|RUNNING|None|0:05|n|notanumber\n@rc=0\n";
  g_autoptr(CbSlurmReport) a = cb_slurm_report_parse (running, strlen (running));
  g_autoptr(CbSlurmReport) b = cb_slurm_report_parse (pending, strlen (pending));
  g_autoptr(CbSlurmReport) c = cb_slurm_report_parse (ended, strlen (ended));
  g_autoptr(CbSlurmReport) d = cb_slurm_report_parse (vanished, strlen (vanished));
  g_autoptr(CbSlurmReport) e = cb_slurm_report_parse (down, strlen (down));
  g_autoptr(CbSlurmReport) f = cb_slurm_report_parse (junk, strlen (junk));
  g_autoptr(CbSlurmReport) g = cb_slurm_report_parse (NULL, 0);
  g_autofree char *text = NULL;
  const CbSlurmTask *task;

  g_assert_cmpint (a->kind, ==, CB_SLURM_REPORT_TASKS);
  task = g_ptr_array_index (a->tasks, 0);
  g_assert_cmpint (task->task, ==, -1);
  g_assert_cmpstr (task->state, ==, "RUNNING");
  g_assert_null (task->reason);
  g_assert_cmpstr (task->node, ==, "node1");
  text = cb_slurm_describe_task (task);
  g_assert_cmpstr (text, ==, "RUNNING on node1");
  g_clear_pointer (&text, g_free);

  task = g_ptr_array_index (b->tasks, 0);
  text = cb_slurm_describe_task (task);
  g_assert_cmpstr (text, ==, "PENDING (Resources)");
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (c->kind, ==, CB_SLURM_REPORT_TASKS);
  g_assert_cmpuint (c->tasks->len, ==, 4);  /* task 3 from scontrol only */
  task = g_ptr_array_index (c->tasks, 0);
  g_assert_cmpint (task->exit_status, ==, 0);
  task = g_ptr_array_index (c->tasks, 1);
  g_assert_cmpint (task->task, ==, 1);
  g_assert_cmpint (task->exit_status, ==, 3);
  text = cb_slurm_describe_task (task);
  g_assert_cmpstr (text, ==, "FAILED, exit 3");
  g_clear_pointer (&text, g_free);
  task = g_ptr_array_index (c->tasks, 2);
  g_assert_cmpint (task->exit_status, ==, -1);  /* still running: no end yet */
  task = g_ptr_array_index (c->tasks, 3);
  g_assert_cmpstr (task->state, ==, "CANCELLED");
  g_assert_cmpint (task->signal, ==, 15);

  g_assert_cmpint (d->kind, ==, CB_SLURM_REPORT_VANISHED);
  g_assert_cmpint (e->kind, ==, CB_SLURM_REPORT_FAILED);
  g_assert_nonnull (strstr (e->error, "Unable to contact slurm controller"));
  g_assert_cmpint (f->kind, ==, CB_SLURM_REPORT_FAILED);
  g_assert_cmpuint (f->tasks->len, ==, 0);
  g_assert_cmpint (g->kind, ==, CB_SLURM_REPORT_FAILED);

  g_assert_true (cb_slurm_state_is_active ("COMPLETING"));
  g_assert_false (cb_slurm_state_is_active ("TIMEOUT"));
}

/* ---- on the cluster ----------------------------------------------------------------- */

/* The hostile words through the job script and srun, exactly. */
static void
test_cluster_run (void)
{
  g_autoptr(CbTarget) target = NULL;
  g_autofree char *project = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(CbJob) job = NULL;
  g_autoptr(CbJob) loaded = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_cluster ())
    return;
  target = slurm_target ();
  project = make_project ("run project 한");
  out = g_build_filename (project, "argv.json", NULL);
  g_strv_builder_add (builder, "python3");
  g_strv_builder_add (builder, "-c");
  g_strv_builder_add (builder, "import json, sys\n"
                               "open(sys.argv[1], 'w', encoding='utf-8').write("
                               "json.dumps(sys.argv[2:], ensure_ascii=False))\n"
                               "print('wrote', len(sys.argv) - 2, 'words'); sys.exit(3)");
  g_strv_builder_add (builder, out);
  g_strv_builder_addv (builder, (const char **) hostile);
  argv = g_strv_builder_end (builder);

  job = submit (project, target, (const char * const *) argv);
  wait_done (job, 90);
  /* exit 3: FAILED with its exit code, recorded while Slurm knew it. */
  g_assert_cmpint (cb_job_get_exit_status (job), ==, 3);
  g_assert_cmpuint (cb_job_get_slurm_tasks (job)->len, ==, 1);
  g_assert_cmpstr (((CbSlurmTask *) g_ptr_array_index (cb_job_get_slurm_tasks (job), 0))->state,
                   ==, "FAILED");

  g_assert_true (g_file_get_contents (out, &got, NULL, &error));
  g_assert_no_error (error);
  {
    const char *py[] = { "python3", "-c",
                         "import json, sys; print(json.dumps(sys.argv[1:], ensure_ascii=False), "
                         "end='')", NULL };
    g_autoptr(GStrvBuilder) b2 = g_strv_builder_new ();
    g_auto(GStrv) v = NULL;

    g_strv_builder_addv (b2, py);
    g_strv_builder_addv (b2, (const char **) hostile);
    v = g_strv_builder_end (b2);
    g_assert_true (g_spawn_sync (NULL, v, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &expected, NULL,
                                 NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpstr (got, ==, expected);

  output = cb_job_read_output (job, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (output, "wrote 15 words"));

  /* It comes back from the project's state as it was recorded. */
  loaded = cb_job_load (project, cb_job_get_id (job), &error);
  g_assert_no_error (error);
  g_assert_true (cb_job_is_slurm (loaded));
  g_assert_cmpstr (cb_job_get_slurm_id (loaded), ==, cb_job_get_slurm_id (job));
  g_assert_cmpint (cb_job_get_state (loaded), ==, CB_JOB_FINISHED);
  g_assert_cmpint (cb_job_get_exit_status (loaded), ==, 3);
}

/* Submitted on the login host over ssh: the same job script, sbatch there, the output read
 * there. */
static void
test_cluster_over_ssh (void)
{
  g_autoptr(CbTarget) target = NULL;
  g_autoptr(CbJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *project = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) attach = NULL;
  const char * const argv[] = { "sh", "-c", "echo \"over ssh: $1\"", "sh", "a 'b' $HOME 한", NULL };

  if (!have_cluster ())
    return;
  if (g_getenv ("CB_TEST_SSHD_DIR") == NULL)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("CI=true and no sshd (run under tests/ssh/with-sshd)");
      g_test_skip ("no sshd (run under tests/ssh/with-sshd)");
      return;
    }
  project = make_project ("login host");
  target = login_target (project);
  g_assert_true (cb_target_via_ssh (target));
  g_assert_true (cb_target_check (target, &error));
  g_assert_no_error (error);
  job = submit (project, target, argv);
  wait_done (job, 90);
  g_assert_cmpint (cb_job_get_exit_status (job), ==, 0);
  output = cb_job_read_output (job, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (output, "over ssh: a 'b' $HOME 한\n"));
  attach = cb_job_attach_argv (job);
  g_assert_cmpstr (attach[0], ==, "ssh");

  /* A job script larger than one argument may be (128 KiB): a sweep of 1,000 runs. */
  {
    g_autoptr(CbJob) big = cb_job_new (project, "train", argv, NULL, target);
    g_autoptr(GString) text = g_string_new ("#!/bin/bash\n#SBATCH --output=logs/slurm/big-%j.out\n");

    g_string_append_printf (text, "#SBATCH --chdir=\"%s\"\n", project);

    for (guint i = 0; i < 4000; i++)
      g_string_append (text, "# a line of a large sweep's case block, some fifty bytes\n");
    g_string_append (text, "echo big script ran\n");
    g_assert_cmpuint (text->len, >, 200 * 1024);
    cb_job_set_slurm_script (big, text->str);
    if (!cb_job_launch (big, NULL, &error))
      g_error ("%s", error->message);
    wait_done (big, 90);
    g_assert_cmpint (cb_job_get_exit_status (big), ==, 0);
  }
}

/* Runs the app's binary headless in @project; its stdout, and its status in @status. */
static char *
run_cli (const char         *project,
         const char * const *args,
         int                *status)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int wait_status = 0;

  g_strv_builder_add (builder, g_getenv ("CB_BINARY"));
  g_strv_builder_add (builder, "--project");
  g_strv_builder_add (builder, project);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &wait_status, &error));
  g_assert_no_error (error);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  if (*status != 0)
    g_printerr ("%s: %s\n", args[0], err);
  return out;
}

/* Headless: script prints the job script, submit prints the job's id, jobs shows its
 * Slurm state, and a target that is not Slurm is refused. */
static void
test_cluster_cli (void)
{
  g_autofree char *project = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *yaml = NULL;
  g_autofree char *script = NULL;
  g_autofree char *id = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *demo_root = cb_test_real_path (demo.root);
  const char * const cp[] = { "cp", "-r", demo_root, NULL, NULL };
  gint64 deadline;
  int status = 0;

  if (!have_cluster ())
    return;
  if (g_getenv ("CB_BINARY") == NULL)
    {
      g_test_skip ("CB_BINARY is not set (run it with meson test)");
      return;
    }
  project = g_build_filename (tmp_root, "cli demo", NULL);
  ((const char **) cp)[3] = project;
  g_assert_true (g_spawn_sync (NULL, (char **) cp, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, NULL));
  dir = g_build_filename (project, ".command-builder", NULL);
  g_mkdir_with_parents (dir, 0755);
  yaml = g_build_filename (dir, "targets.yaml", NULL);
  g_assert_true (g_file_set_contents (yaml, "targets:\n  - name: hpc\n    type: slurm\n"
                                            "    cpus_per_task: 1\n", -1, NULL));

  {
    const char * const args[] = { "script", "train", "--target", "hpc", "exp_name=cli run",
                                  "max_epochs=1", NULL };

    script = run_cli (project, args, &status);
    g_assert_cmpint (status, ==, 0);
    g_assert_true (g_str_has_prefix (script, "#!/bin/bash\n"));
    g_assert_nonnull (strstr (script, "#SBATCH --job-name=cli_run-"));
    g_assert_nonnull (strstr (script, "srun python3 runners/train.py 'exp_name=\"cli run-"));
  }
  {
    const char * const args[] = { "submit", "train", "--target", "local", NULL };

    refused = run_cli (project, args, &status);
    g_assert_cmpint (status, ==, 2);
  }
  {
    const char * const args[] = { "submit", "train", "--target", "hpc", "exp_name=cli run",
                                  "max_epochs=1", NULL };

    id = run_cli (project, args, &status);
    g_assert_cmpint (status, ==, 0);
    g_strstrip (id);
    g_assert_cmpuint (strlen (id), >, 8);
  }
  deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      const char * const args[] = { "jobs", "--json", NULL };
      g_autofree char *json = run_cli (project, args, &status);

      g_assert_nonnull (strstr (json, id));
      g_assert_nonnull (strstr (json, "\"slurm_id\":"));
      if (strstr (json, "\"slurm_state\":\"COMPLETED\"") != NULL)
        {
          g_assert_nonnull (strstr (json, "\"exit_status\":0"));
          return;
        }
      g_usleep (500 * 1000);
    }
  g_error ("the submitted job did not complete");
}

/* Whether any process's command line holds @marker. */
static gboolean
process_with (const char *marker)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/cmdline", name);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &contents, &length, NULL))
        continue;
      for (gsize i = 0; i + 1 < length; i++)
        if (contents[i] == '\0')
          contents[i] = ' ';
      if (strstr (contents, marker) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* A job that ignores Ctrl+C: the plain scancel ends it, CANCELLED, nothing of it left. */
static void
test_cluster_cancel (void)
{
  g_autoptr(CbTarget) target = NULL;
  g_autofree char *project = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *code = NULL;
  g_autoptr(CbJob) job = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  const CbSlurmTask *task;

  if (!have_cluster ())
    return;
  target = slurm_target ();
  project = make_project ("cancel");
  marker = g_strdup_printf ("cb-slurm-marker-%d", getpid ());
  code = g_strdup_printf ("trap '' INT; sleep 300 & echo started; while :; do sleep 0.2; done "
                          "# %s", marker);
  {
    const char * const argv[] = { "sh", "-c", code, NULL };

    job = submit (project, target, argv);
  }
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *summary = NULL;

      cb_job_probe (job, NULL, NULL);
      summary = cb_job_dup_slurm_summary (job);
      if (g_str_has_prefix (summary, "RUNNING") && process_with (marker))
        break;
      g_usleep (200 * 1000);
    }
  g_assert_true (process_with (marker));

  g_assert_true (cb_job_stop (job, NULL, 1500, 2000, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_FINISHED);
  g_assert_true (cb_job_get_stopped (job));
  task = g_ptr_array_index (cb_job_get_slurm_tasks (job), 0);
  g_assert_cmpstr (task->state, ==, "CANCELLED");
  /* Nothing of it left: the batch shell, its loop, its background sleep. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (process_with (marker) && g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  g_assert_false (process_with (marker));
}

/* A 2×2 sweep of the demo Train page: one array of four tasks, each its own Hydra run. */
static void
test_cluster_sweep (void)
{
  g_autoptr(CbTarget) target = NULL;
  g_autoptr(CbForm) form = NULL;
  g_autoptr(CbJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *project = NULL;
  g_autofree char *array_dir = NULL;
  g_autofree char *demo_root = cb_test_real_path (demo.root);
  const char * const cp[] = { "cp", "-r", demo_root, NULL, NULL };
  const char *lrs[] = { "0.001", "0.001", "0.002", "0.002" };
  const char *sizes[] = { "4", "8", "4", "8" };
  int status = 0;

  if (!have_cluster ())
    return;
  target = slurm_target ();
  project = g_build_filename (tmp_root, "demo copy", NULL);
  ((const char **) cp)[3] = project;
  g_assert_true (g_spawn_sync (NULL, (char **) cp, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);

  form = cb_test_demo_make_form (&demo, "train");
  cb_test_demo_set (form, "exp_name", "sweep it");
  cb_test_demo_set (form, "max_epochs", "1");
  g_assert_true (cb_form_set_sweep (form, "learning_rate", "0.001, 0.002", &error));
  g_assert_no_error (error);
  g_assert_true (cb_form_set_sweep (form, "batch_size", "4, 8", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cb_form_get_n_runs (form), ==, 4);

  job = cb_job_new_from_form (project, form, target);
  g_assert_nonnull (job);
  g_assert_cmpuint (cb_job_get_n_runs (job), ==, 4);
  g_assert_nonnull (strstr (cb_job_get_slurm_script (job), "#SBATCH --array=0-3\n"));
  if (!cb_job_launch (job, NULL, &error))
    g_error ("%s", error->message);
  wait_done (job, 240);
  g_assert_cmpuint (cb_job_get_slurm_tasks (job)->len, ==, 4);
  if (cb_job_get_exit_status (job) != 0)
    g_error ("sweep: %s\n%s", cb_job_dup_slurm_summary (job), cb_job_read_output (job, FALSE, NULL));

  /* Each task's own folder, with its own overrides. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s_%u", cb_job_get_slurm_id (job), i);
      g_autofree char *config = g_build_filename (project, "outputs", "multirun", "sweep it-dbnet-unet-resnet18",
                                                  name, ".hydra", "overrides.yaml", NULL);
      g_autofree char *text = NULL;
      g_autofree char *lr = g_strdup_printf ("model.optimizer.lr=%s", lrs[i]);
      g_autofree char *bs = g_strdup_printf ("dataloaders.train_dataloader.batch_size=%s", sizes[i]);

      if (!g_file_get_contents (config, &text, NULL, &error))
        g_error ("%s", error->message);
      g_assert_nonnull (strstr (text, lr));
      g_assert_nonnull (strstr (text, bs));
    }
  array_dir = g_build_filename (project, "logs", "slurm", NULL);
  g_assert_true (g_file_test (array_dir, G_FILE_TEST_IS_DIR));
}

/* A sweep with a task running and two waiting (one at a time): a waiting task cancelled
 * behind the app's back ends (Slurm keeps no record of it), and Stop ends the rest, the
 * running one by Ctrl+C and the waiting ones by scancel, with nothing left. */
static void
test_cluster_array_stop (void)
{
  g_autoptr(CbTarget) target = NULL;
  g_autoptr(CbJob) job = NULL;
  g_autoptr(CbCommand) base = NULL;
  g_autoptr(CbSweepPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *project = NULL;
  g_autofree char *script = NULL;
  g_autofree char *marker = g_strdup_printf ("sleep 300 # array-marker-%d", getpid ());
  g_autofree char *cancel = NULL;
  const char * const launcher[] = { "sh", "-c", marker, NULL };
  const char * const none[] = { NULL };
  const char * const values[] = { "a", "b", "c", NULL };
  CbSlurmScript spec = { 0 };
  gint64 deadline;
  gboolean third_ended = FALSE;

  if (!have_cluster ())
    return;
  project = make_project ("array stop");
  target = slurm_target ();
  target->slurm->array_limit = 1;
  base = cb_command_new (launcher, "sh", none);
  plan = cb_sweep_plan_new (base);
  cb_sweep_plan_add_axis (plan, cb_sweep_axis_new ("x", -1, values));
  job = cb_job_new (project, "train", cb_command_get_argv (base), NULL, target);
  cb_job_set_n_runs (job, 3);
  spec.target = target;
  spec.project_dir = project;
  spec.plan = plan;
  script = cb_slurm_script_new (&spec);
  g_assert_nonnull (strstr (script, "#SBATCH --array=0-2%1\n"));
  cb_job_set_slurm_script (job, script);
  if (!cb_job_launch (job, NULL, &error))
    g_error ("%s", error->message);

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!process_with (marker) && g_get_monotonic_time () < deadline)
    {
      cb_job_probe (job, NULL, NULL);
      g_usleep (200 * 1000);
    }
  g_assert_true (process_with (marker));
  cb_job_probe (job, NULL, NULL);

  /* The third, waiting, cancelled by someone else. */
  cancel = g_strdup_printf ("scancel %s_2", cb_job_get_slurm_id (job));
  g_assert_true (g_spawn_command_line_sync (cancel, NULL, NULL, NULL, NULL));
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!third_ended && g_get_monotonic_time () < deadline)
    {
      GPtrArray *tasks;

      cb_job_probe (job, NULL, NULL);
      tasks = cb_job_get_slurm_tasks (job);
      for (guint i = 0; i < tasks->len; i++)
        {
          const CbSlurmTask *task = g_ptr_array_index (tasks, i);

          if (task->task == 2 && g_strcmp0 (task->state, "CANCELLED") == 0)
            third_ended = TRUE;
        }
      g_usleep (200 * 1000);
    }
  g_assert_true (third_ended);
  g_assert_true (cb_job_is_active (job));

  g_assert_true (cb_job_stop (job, NULL, 1000, 2000, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cb_job_is_active (job));
  g_assert_true (cb_job_get_stopped (job));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (process_with (marker) && g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  g_assert_false (process_with (marker));
}

/* Faults: a partition that does not exist, a job Slurm no longer knows, sbatch missing. */
static void
test_cluster_faults (void)
{
  g_autoptr(CbTarget) target = NULL;
  g_autofree char *project = NULL;
  const char * const argv[] = { "true", NULL };

  if (!have_cluster ())
    return;
  project = make_project ("faults");

  {
    g_autoptr(CbJob) job = NULL;
    g_autofree char *script = NULL;
    g_autoptr(GError) error = NULL;
    CbSlurmScript spec = { 0 };

    target = slurm_target ();
    target->slurm->partition = g_strdup ("nowhere");
    job = cb_job_new (project, "train", argv, NULL, target);
    spec.target = target;
    spec.project_dir = project;
    spec.argv = argv;
    script = cb_slurm_script_new (&spec);
    cb_job_set_slurm_script (job, script);
    g_assert_false (cb_job_launch (job, NULL, &error));
    g_assert_error (error, CB_JOB_ERROR, CB_JOB_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "Invalid partition name"));
    g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_FINISHED);
    g_clear_pointer (&target, cb_target_free);
  }

  {
    g_autoptr(CbJob) job = NULL;
    g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_slurm_task_free);
    CbSlurmTask *task = g_new0 (CbSlurmTask, 1);
    g_autoptr(GError) error = NULL;

    target = slurm_target ();
    job = cb_job_new (project, "train", argv, NULL, target);
    task->task = -1;
    task->state = g_strdup ("RUNNING");
    task->exit_status = -1;
    g_ptr_array_add (tasks, task);
    cb_job_set_slurm_tasks (job, "987654", tasks);
    cb_job_set_running (job, 0);
    g_assert_true (cb_job_probe (job, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_FINISHED);
    g_assert_nonnull (strstr (cb_job_get_message (job), "no longer knows job 987654"));
    g_assert_nonnull (strstr (cb_job_get_message (job), "RUNNING"));
    g_clear_pointer (&target, cb_target_free);
  }

  {
    g_autoptr(CbJob) job = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *bin = g_build_filename (tmp_root, "bin-without-sbatch", NULL);
    g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
    const char *tools[] = { "mkdir", "sh", NULL };

    g_mkdir_with_parents (bin, 0755);
    for (guint i = 0; tools[i] != NULL; i++)
      {
        g_autofree char *from = g_find_program_in_path (tools[i]);
        g_autofree char *to = g_build_filename (bin, tools[i], NULL);

        g_assert_cmpint (symlink (from, to), ==, 0);
      }
    target = slurm_target ();
    job = cb_job_new (project, "train", argv, NULL, target);
    cb_job_set_slurm_script (job, "#!/bin/sh\ntrue\n");
    g_setenv ("PATH", bin, TRUE);
    g_assert_false (cb_job_launch (job, NULL, &error));
    g_setenv ("PATH", old_path, TRUE);
    g_assert_error (error, CB_JOB_ERROR, CB_JOB_ERROR_NO_PROGRAM);
    g_assert_nonnull (strstr (error->message, "sbatch is not installed"));
  }
}

/* The controller down: Slurm's clients take about 9 s to say so; the job is lost, not
 * ended, and comes back when the controller answers. */
static void
test_cluster_unreachable (void)
{
  g_autoptr(CbTarget) target = NULL;
  g_autoptr(CbJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *project = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *old_conf = g_strdup (g_getenv ("SLURM_CONF"));
  g_autoptr(GRegex) port = g_regex_new ("SlurmctldPort=[0-9]+", 0, 0, NULL);
  const char * const argv[] = { "sleep", "30", NULL };

  if (!have_cluster ())
    return;
  project = make_project ("unreachable");
  target = slurm_target ();
  job = submit (project, target, argv);

  g_assert_true (g_file_get_contents (old_conf, &text, NULL, &error));
  broken = g_regex_replace_literal (port, text, -1, 0, "SlurmctldPort=9", 0, NULL);
  conf = g_build_filename (tmp_root, "broken.conf", NULL);
  g_assert_true (g_file_set_contents (conf, broken, -1, NULL));
  g_setenv ("SLURM_CONF", conf, TRUE);
  g_assert_false (cb_job_probe (job, NULL, &error));
  g_setenv ("SLURM_CONF", old_conf, TRUE);
  g_assert_error (error, CB_JOB_ERROR, CB_JOB_ERROR_FAILED);
  g_assert_cmpint (cb_job_get_state (job), ==, CB_JOB_LOST);
  g_assert_nonnull (strstr (cb_job_get_message (job), "Slurm cannot be asked"));
  g_clear_error (&error);

  g_assert_true (cb_job_probe (job, NULL, &error));
  g_assert_true (cb_job_is_active (job));
  g_assert_cmpint (cb_job_get_state (job), !=, CB_JOB_LOST);
  g_assert_true (cb_job_stop (job, NULL, 500, 1000, NULL, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_root = g_dir_make_tmp ("cb-slurm-XXXXXX", &error);
  g_assert_no_error (error);
  state = g_build_filename (tmp_root, "state", NULL);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("CB_DEMO_FAST", "1", TRUE);
  g_setenv ("NO_COLOR", "1", TRUE);
  cb_test_demo_open (&demo);

  g_test_add_func ("/slurm/targets", test_targets);
  g_test_add_func ("/slurm/script", test_script);
  g_test_add_func ("/slurm/report", test_report);
  g_test_add_func ("/slurm/cluster/run", test_cluster_run);
  g_test_add_func ("/slurm/cluster/cancel", test_cluster_cancel);
  g_test_add_func ("/slurm/cluster/sweep", test_cluster_sweep);
  g_test_add_func ("/slurm/cluster/array-stop", test_cluster_array_stop);
  g_test_add_func ("/slurm/cluster/faults", test_cluster_faults);
  g_test_add_func ("/slurm/cluster/unreachable", test_cluster_unreachable);
  g_test_add_func ("/slurm/cluster/over-ssh", test_cluster_over_ssh);
  g_test_add_func ("/slurm/cluster/cli", test_cluster_cli);
  status = g_test_run ();

  cb_test_demo_close (&demo);
  cb_test_remove_tree (tmp_root);
  return status;
}
