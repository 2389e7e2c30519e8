/* test-hostile-catalogue.c: the four headless commands on a catalogue of hostile projects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 15, item 5. Each case copies the demo project, breaks one thing (or a few of the
 * same kind) and runs `command-builder check`, `print train`, `list-options` and
 * `list-checkpoints` on it (CB_BINARY), each killed after CASE_TIMEOUT_S seconds (and `runs`,
 * which must only end by itself with 0 or 1). A case
 * fails, naming itself and the command, when a command hangs, is ended by a signal, exits
 * with another code than the table says, or writes another first line on stderr.
 *
 * Expected first lines are globs (g_pattern_match_simple: * and ?) in which "$P" stands for
 * the project folder; "" means nothing at all on stderr, NULL that the line is not checked.
 */

#include "config.h"

#include "cb-test-hostile.h"
#include "cb-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct
{
  int         status;
  const char *line;
} Expect;

enum
{
  CHECK,
  PRINT,
  LIST_OPTIONS,
  LIST_CHECKPOINTS,
  N_COMMANDS
};

static const char * const command_names[N_COMMANDS] = {
  "check", "print", "list-options", "list-checkpoints"
};

typedef struct
{
  const char *name;
  /* Either @path (relative to the project) gets @text (in place of @old, when given), or
   * @breaks breaks the project. */
  const char *path;
  const char *text;
  const char *old;
  void      (*breaks) (const char *project);
  Expect      expect[N_COMMANDS];
  gboolean    needs_non_root;   /* chmod 000 does not keep root out */
} Case;

/* ---- helpers ------------------------------------------------------------------------- */

static char *
project_path (const char *project,
              const char *relative)
{
  return g_build_filename (project, relative, NULL);
}

static void
put (const char *project,
     const char *relative,
     const char *text,
     gssize      length)
{
  g_autofree char *path = project_path (project, relative);

  hostile_write_file (path, text, length);
}

static void
put_fifo (const char *project,
          const char *relative)
{
  g_autofree char *path = project_path (project, relative);

  hostile_make_fifo (path);
}

static void
put_symlink (const char *project,
             const char *target,
             const char *relative)
{
  g_autofree char *path = project_path (project, relative);

  hostile_make_symlink (target, path);
}

/* Replaces @relative (a file or a folder) by nothing. */
static void
drop (const char *project,
      const char *relative)
{
  g_autofree char *path = project_path (project, relative);

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    cb_test_remove_tree (path);
  else
    g_unlink (path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK));
}

static void
put_dir (const char *project,
         const char *relative)
{
  g_autofree char *path = project_path (project, relative);

  drop (project, relative);
  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
}

/* The settings file of the demo with @more appended. */
static void
add_settings (const char *project,
              const char *more)
{
  g_autofree char *path = project_path (project, "command-builder.yaml");
  g_autofree char *text = NULL;
  g_autofree char *joined = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  joined = g_strconcat (text, more, NULL);
  hostile_write_file (path, joined, -1);
}

/* @old in @relative (it must be there) replaced by @text. */
static void
replace_in (const char *project,
            const char *relative,
            const char *old,
            const char *text)
{
  g_autofree char *path = project_path (project, relative);
  g_autofree char *contents = NULL;
  g_autoptr(GString) edited = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, old));
  edited = g_string_new (contents);
  g_string_replace (edited, old, text, 1);
  hostile_write_file (path, edited->str, -1);
}

/* The project's own train schema, @text. */
static void
put_schema (const char *project,
            const char *text)
{
  add_settings (project, "schemas_dir: schemas\n");
  put (project, "schemas/train.yaml", text, -1);
}

static void
put_deep (const char *project,
          const char *relative,
          const char *prefix,
          guint       depth)
{
  g_autofree char *deep = hostile_repeat ("[", depth);
  g_autofree char *text = g_strconcat (prefix, deep, "\n", NULL);

  put (project, relative, text, -1);
}

static void
put_laughs (const char *project,
            const char *relative,
            const char *prefix,
            const char *suffix)
{
  g_autofree char *laughs = hostile_billion_laughs ();
  g_autofree char *text = g_strconcat (prefix, laughs, suffix, NULL);

  put (project, relative, text, -1);
}

static void
make_unreadable (const char *project,
                 const char *relative)
{
  g_autofree char *path = project_path (project, relative);

  g_assert_cmpint (g_chmod (path, 0), ==, 0);
}

/* ---- the breakers that are more than one file ------------------------------------------ */

#define SCHEMA_HEAD "title: Hostile\nui_elements:\n  - key: a\n"
#define DEMO_RUN "outputs/demo_training/"

static void
fifo_config (const char *project)
{
  put_fifo (project, "configs/trainer/x.yaml");
}

static void
fifo_settings (const char *project)
{
  put_fifo (project, "command-builder.yaml");
}

static void
zero_config (const char *project)
{
  put_symlink (project, "/dev/zero", "configs/trainer/default.yaml");
}

static void
urandom_config (const char *project)
{
  put_symlink (project, "/dev/urandom", "configs/trainer/default.yaml");
}

static void
zero_settings (const char *project)
{
  put_symlink (project, "/dev/zero", "command-builder.yaml");
}

static void
urandom_settings (const char *project)
{
  put_symlink (project, "/dev/urandom", "command-builder.yaml");
}

static void
fifo_hydra_records (const char *project)
{
  put_fifo (project, DEMO_RUN ".hydra/config.yaml");
  put_fifo (project, DEMO_RUN ".hydra/overrides.yaml");
}

static void
fifo_schema (const char *project)
{
  add_settings (project, "schemas_dir: schemas\n");
  put_fifo (project, "schemas/train.yaml");
}

static void
fifo_checkpoint (const char *project)
{
  put_fifo (project, DEMO_RUN "checkpoints/epoch=19-step=1000.ckpt");
}

static void
deep_config (const char *project)
{
  put_deep (project, "configs/trainer/default.yaml", "max_epochs: ", 60000);
}

static void
deep_block_config (const char *project)
{
  g_autofree char *dashes = hostile_repeat ("- ", 20000);
  g_autofree char *text = g_strconcat (dashes, "x\n", NULL);

  put (project, "configs/trainer/default.yaml", text, -1);
}

static void
deep_settings (const char *project)
{
  put_deep (project, "command-builder.yaml", "launcher: ", 60000);
}

static void
deep_schema (const char *project)
{
  g_autofree char *deep = hostile_repeat ("[", 60000);
  g_autofree char *text = g_strconcat ("title: Deep\nui_elements: ", deep, "\n", NULL);

  put_schema (project, text);
}

static void
deep_hydra_record (const char *project)
{
  put_deep (project, DEMO_RUN ".hydra/config.yaml", "model: ", 100000);
}

static void
deep_hydra_block (const char *project)
{
  g_autofree char *dashes = hostile_repeat ("- ", 100000);
  g_autofree char *text = g_strconcat ("exp_name: deep\nmodel:\n  ", dashes, "x\n", NULL);

  put (project, DEMO_RUN ".hydra/config.yaml", text, -1);
}

static void
laughs_schema_options (const char *project)
{
  g_autofree char *laughs = hostile_billion_laughs ();
  g_autofree char *text = g_strconcat (SCHEMA_HEAD "    type: selectbox\n    options: ", laughs,
                                       "\n", NULL);

  put_schema (project, text);
}

static void
laughs_schema_default (const char *project)
{
  g_autofree char *laughs = hostile_billion_laughs ();
  g_autofree char *text = g_strconcat (SCHEMA_HEAD "    type: text_input\n    default: ", laughs,
                                       "\n", NULL);

  put_schema (project, text);
}

static void
laughs_config (const char *project)
{
  put_laughs (project, "configs/trainer/default.yaml", "callbacks: ", "\n");
}

static void
laughs_settings (const char *project)
{
  put_laughs (project, "command-builder.yaml", "launcher: ", "\n");
}

static void
laughs_hydra_record (const char *project)
{
  put_laughs (project, DEMO_RUN ".hydra/config.yaml", "exp_name: lol\nmodel: ", "\n");
}

static void
nul_in_config (const char *project)
{
  static const char text[] = "max_epochs: 1\0\nextra: 2\n";

  put (project, "configs/trainer/default.yaml", text, sizeof text - 1);
}

static void
invalid_utf8_file_name_config (const char *project)
{
  put (project, "configs/model/architectures/\xff\xfe.yaml", "name: bad\n", -1);
}

static void
invalid_utf8_file_name_checkpoint (const char *project)
{
  put (project, "outputs/\xff-run/checkpoints/\xfe\xfflast.ckpt", "", -1);
}

static void
newline_file_name_config (const char *project)
{
  put (project, "configs/model/architectures/new\nline.yaml", "name: nl\n", -1);
}

static void
newline_file_name_checkpoint (const char *project)
{
  put (project, "outputs/run\nname/checkpoints/last\n.ckpt", "", -1);
}

static void
empty_hydra_records (const char *project)
{
  put (project, DEMO_RUN ".hydra/config.yaml", "", -1);
  put (project, DEMO_RUN ".hydra/overrides.yaml", "# nothing\n", -1);
}

static void
dir_config_entry (const char *project)
{
  put_dir (project, "configs/train.yaml");
}

static void
dir_settings (const char *project)
{
  put_dir (project, "command-builder.yaml");
}

static void
dir_config_group_file (const char *project)
{
  put_dir (project, "configs/trainer/default.yaml");
}

static void
file_config_group (const char *project)
{
  drop (project, "configs/trainer");
  put (project, "configs/trainer", "max_epochs: 1\n", -1);
}

static void
file_configs (const char *project)
{
  drop (project, "configs");
  put (project, "configs", "not a folder\n", -1);
}

static void
file_outputs (const char *project)
{
  drop (project, "outputs");
  put (project, "outputs", "not a folder\n", -1);
}

static void
dir_hydra_records (const char *project)
{
  put_dir (project, DEMO_RUN ".hydra/config.yaml");
  put_dir (project, DEMO_RUN ".hydra/overrides.yaml");
}

static void
dir_checkpoint (const char *project)
{
  put_dir (project, DEMO_RUN "checkpoints/epoch=19-step=1000.ckpt");
}

static void
file_schemas (const char *project)
{
  add_settings (project, "schemas_dir: schemas\n");
  put (project, "schemas", "not a folder\n", -1);
}

static void
dangling_config (const char *project)
{
  put_symlink (project, "nowhere.yaml", "configs/trainer/default.yaml");
}

static void
dangling_settings (const char *project)
{
  put_symlink (project, "nowhere.yaml", "command-builder.yaml");
}

static void
dangling_checkpoint (const char *project)
{
  put_symlink (project, "nowhere.ckpt", DEMO_RUN "checkpoints/last.ckpt");
}

static void
dangling_configs (const char *project)
{
  drop (project, "configs");
  put_symlink (project, "nowhere", "configs");
}

static void
dangling_outputs (const char *project)
{
  drop (project, "outputs");
  put_symlink (project, "nowhere", "outputs");
}

static void
loop_config_dir (const char *project)
{
  put_symlink (project, "..", "configs/trainer/loop");
}

static void
loop_config_files (const char *project)
{
  put_symlink (project, "b.yaml", "configs/trainer/a.yaml");
  put_symlink (project, "a.yaml", "configs/trainer/b.yaml");
}

static void
loop_outputs_dir (const char *project)
{
  put_symlink (project, "..", DEMO_RUN "checkpoints/loop");
  put_symlink (project, ".", "outputs/self");
}

static void
loop_outputs_pair (const char *project)
{
  put_symlink (project, "b", "outputs/a");
  put_symlink (project, "a", "outputs/b");
}

static void
loop_outputs_checkpoint (const char *project)
{
  put_symlink (project, "last.ckpt", DEMO_RUN "checkpoints/last.ckpt");
}

/* 100,000 entries under outputs/: 1,000 runs of 99 checkpoints each, and their folders.
 * Empty files made with open(2), in a few seconds. */
static void
outputs_100k (const char *project)
{
  g_autofree char *outputs = project_path (project, "outputs");
  guint n = 0;

  for (guint run = 0; run < 1000; run++)
    {
      g_autofree char *checkpoints = g_strdup_printf ("%s/run-%04u/checkpoints", outputs, run);

      g_assert_cmpint (g_mkdir_with_parents (checkpoints, 0755), ==, 0);
      n += 2;
      for (guint k = 0; k < 98; k++)
        {
          g_autofree char *file = g_strdup_printf ("%s/epoch=%u-step=%u.ckpt", checkpoints, k,
                                                   k * 10);
          int fd = open (file, O_WRONLY | O_CREAT | O_TRUNC, 0644);

          g_assert_cmpint (fd, >=, 0);
          close (fd);
          n++;
        }
    }
  g_assert_cmpuint (n, ==, 100000);
}

static void
unreadable_config_group (const char *project)
{
  make_unreadable (project, "configs/model/architectures");
}

static void
unreadable_config_file (const char *project)
{
  make_unreadable (project, "configs/trainer/default.yaml");
}

static void
unreadable_configs (const char *project)
{
  make_unreadable (project, "configs");
}

static void
unreadable_run (const char *project)
{
  make_unreadable (project, "outputs/demo_training");
}

static void
unreadable_settings (const char *project)
{
  make_unreadable (project, "command-builder.yaml");
}

static void
outside_absolute (const char *project)
{
  put (project, "command-builder.yaml",
       "launcher: [python3]\nconfigs_dir: /etc\noutputs_dir: /proc\nrunners_dir: /usr/bin\n", -1);
}

static void
outside_relative (const char *project)
{
  put (project, "command-builder.yaml",
       "launcher: [python3]\nconfigs_dir: ../../..\noutputs_dir: ../..\n", -1);
}

/* The folders are inside the project, as symlinks to the root of the disk. */
static void
outside_by_symlink (const char *project)
{
  drop (project, "configs");
  put_symlink (project, "/", "configs");
  drop (project, "outputs");
  put_symlink (project, "/", "outputs");
}

static void
outside_root (const char *project)
{
  put (project, "command-builder.yaml", "launcher: [python3]\noutputs_dir: /\n", -1);
}

/* ---- the catalogue --------------------------------------------------------------------- */

#define OK              { 0, "" }
#define OK_WARNS(line)  { 0, line }
#define FAILS(n, line)  { n, line }

#define TRAINER "$P/configs/trainer/default.yaml"
#define SETTINGS "$P/command-builder.yaml"
#define SCHEMA "$P/schemas/train.yaml"

/* A broken config of the train page: check fails on it, print says Hydra would refuse the
 * command (and prints it), list-options says it and goes on. */
#define REFUSED "command-builder: warning: Hydra would refuse this command: "
#define CFG_TRAINER "configs/trainer/default.yaml"
#define BROKEN_CONFIG(file, rest) \
  { FAILS (1, "$P/" file rest), OK_WARNS (REFUSED file rest), OK, OK }
/* The trainer's default config is not a file Hydra could read: check says why, print that
 * the choice has no file. */
#define NO_TRAINER(line) \
  { FAILS (1, line), OK_WARNS (REFUSED "'trainer' has no option 'default' (options: none)*"), \
    OK, OK }
#define UNREADABLE_ARCHITECTURES \
  "$P/configs/model/architectures: note: a folder that cannot be read*: its list is empty"
/* No configs folder: a warning (a project may have none), the lists are empty. */
#define NO_CONFIGS \
  { OK_WARNS ("warning: $P/configs: no configs folder: the option lists are empty*"), \
    OK_WARNS ("$P/configs: warning: the configs folder is missing*"), \
    OK_WARNS ("$P/configs: warning: the configs folder is missing*"), OK }
/* What the bundled train schema asks of the configs is not there. */
#define SCHEMA_SAYS(line, refused) \
  { FAILS (1, "*/schemas/train.yaml" line), OK_WARNS (REFUSED refused), OK, OK }
/* The same for the default choices of the page, which Hydra would refuse. */
#define CHOICES_REFUSED(line) \
  SCHEMA_SAYS (": the train page's default choices: Hydra would refuse them: " line, line)
/* A broken settings file: check fails, print stops (2), the lists say it and go on. */
#define BROKEN_SETTINGS(line) { FAILS (1, line), FAILS (2, line), OK_WARNS (line), OK_WARNS (line) }
/* A broken schema of the train page: check and print fail, the lists do not read it. */
#define BROKEN_SCHEMA(line) { FAILS (1, line), FAILS (1, line), OK, OK }

static const Case cases[] = {
  /* What the issue found: special files, deep nesting, alias bombs. */
  { "fifo-config", .breaks = fifo_config,
    .expect = { FAILS (1, "$P/configs/trainer/x.yaml: is a FIFO, not a regular file"),
                OK, OK, OK } },
  { "zero-config", .breaks = zero_config,
    .expect = NO_TRAINER (TRAINER ": is a character device, not a regular file") },
  { "urandom-config", .breaks = urandom_config,
    .expect = NO_TRAINER (TRAINER ": is a character device, not a regular file") },
  { "fifo-settings", .breaks = fifo_settings,
    .expect = BROKEN_SETTINGS (SETTINGS ": is a FIFO, not a regular file") },
  { "zero-settings", .breaks = zero_settings,
    .expect = BROKEN_SETTINGS (SETTINGS ": is a character device, not a regular file") },
  { "urandom-settings", .breaks = urandom_settings,
    .expect = BROKEN_SETTINGS (SETTINGS ": is a character device, not a regular file") },
  { "fifo-hydra-records", .breaks = fifo_hydra_records, .expect = { OK, OK, OK, OK } },
  { "fifo-schema", .breaks = fifo_schema,
    .expect = BROKEN_SCHEMA (SCHEMA ": is a FIFO, not a regular file") },
  { "fifo-checkpoint", .breaks = fifo_checkpoint, .expect = { OK, OK, OK, OK } },
  { "deep-config", .breaks = deep_config,
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":1:*: nested too deeply (more than 256 levels)") },
  { "deep-block-config", .breaks = deep_block_config,
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":1:*: nested too deeply (more than 256 levels)") },
  { "deep-settings", .breaks = deep_settings,
    .expect = BROKEN_SETTINGS (SETTINGS ":1:266: nested too deeply (more than 256 levels)") },
  { "deep-schema", .breaks = deep_schema,
    .expect = BROKEN_SCHEMA (SCHEMA ":2:*: nested too deeply (more than 256 levels)") },
  { "deep-hydra-record", .breaks = deep_hydra_record, .expect = { OK, OK, OK, OK } },
  { "deep-hydra-block", .breaks = deep_hydra_block, .expect = { OK, OK, OK, OK } },
  { "laughs-schema-options", .breaks = laughs_schema_options,
    .expect = BROKEN_SCHEMA (SCHEMA ":5:*: aliases expand to too many nodes*") },
  { "laughs-schema-default", .breaks = laughs_schema_default,
    .expect = BROKEN_SCHEMA (SCHEMA ":5:*: aliases expand to too many nodes*") },
  { "laughs-config", .breaks = laughs_config,
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":1:*: aliases expand to too many nodes*") },
  { "laughs-settings", .breaks = laughs_settings,
    .expect = BROKEN_SETTINGS (SETTINGS ":1:*: aliases expand to too many nodes*") },
  { "laughs-hydra-record", .breaks = laughs_hydra_record, .expect = { OK, OK, OK, OK } },
  { "recursive-alias-config", "configs/trainer/default.yaml", "a: &a [x, *a]\n",
    .expect = BROKEN_CONFIG (CFG_TRAINER,
                             ":1:11: alias 'a' refers to a collection that contains it") },

  /* Broken YAML of every kind, in a config. */
  { "yaml-unclosed-flow", "configs/trainer/default.yaml", "max_epochs: [1, 2\n",
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":*:*: *") },
  { "yaml-unclosed-quote", "configs/trainer/default.yaml", "max_epochs: \"10\n",
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":*:*: *") },
  { "yaml-mapping-in-scalar", "configs/trainer/default.yaml", "max_epochs: 10: 20\n",
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":1:*: *") },
  { "yaml-tab-indent", "configs/trainer/default.yaml", "trainer:\n\tmax_epochs: 10\n",
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":2:*: *") },
  { "yaml-bad-indent", "configs/trainer/default.yaml", "a:\n    b: 1\n  c: 2\n",
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":3:*: *") },
  { "yaml-undefined-alias", "configs/trainer/default.yaml", "max_epochs: *nowhere\n",
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":1:*: *") },
  { "yaml-bad-escape", "configs/trainer/default.yaml", "name: \"\\q\"\n",
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":1:*: *") },
  { "yaml-broken-second-document", "configs/trainer/default.yaml",
    "deterministic: false\n---\nmax_epochs: [\n", "deterministic: false\n",
    .expect = BROKEN_CONFIG ("configs/trainer/default.yaml", ":14:1: *") },
  { "yaml-stray-bracket", "configs/trainer/default.yaml", "]\n",
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":1:1: *") },
  { "yaml-nul-byte", .breaks = nul_in_config, .expect = BROKEN_CONFIG (CFG_TRAINER, ":*") },
  { "yaml-broken-settings", "command-builder.yaml", "launcher: [python3\n",
    .expect = BROKEN_SETTINGS (SETTINGS ":*:*: *") },
  { "yaml-broken-schema", "schemas/train.yaml", "title: [T\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":*:*: *") },
  { "yaml-broken-overrides-record", DEMO_RUN ".hydra/overrides.yaml", "- [a\n",
    .expect = { OK, OK, OK, OK } },

  /* Wrong types. */
  { "type-launcher-mapping", "command-builder.yaml", "launcher: {a: b}\n",
    .expect = BROKEN_SETTINGS (SETTINGS ":1:11: 'launcher' must be a command, "
                               "e.g. [uv, run, python]") },
  { "type-configs-dir-list", "command-builder.yaml", "configs_dir: [a, b]\n",
    .expect = BROKEN_SETTINGS (SETTINGS ":1:14: 'configs_dir' must be a folder name") },
  { "type-settings-list", "command-builder.yaml", "- launcher\n",
    .expect = BROKEN_SETTINGS (SETTINGS ":1:1: the settings file must be a mapping") },
  { "type-settings-scalar", "command-builder.yaml", "hello\n",
    .expect = BROKEN_SETTINGS (SETTINGS ":1:1: the settings file must be a mapping") },
  { "type-schema-elements", "schemas/train.yaml", "title: T\nui_elements: many\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":2:*") },
  { "type-schema-field", "schemas/train.yaml", SCHEMA_HEAD "    type: 42\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":4:*") },
  { "type-config-list", "configs/trainer/default.yaml", "- a\n- b\n",
    .expect = CHOICES_REFUSED ("configs/trainer/default.yaml:1:1: a config must be a mapping") },
  { "type-defaults-scalar", "configs/train.yaml", "defaults: 5\nexp_name: x\n",
    .expect = CHOICES_REFUSED ("configs/train.yaml:1:11: the defaults list must be a list") },
  { "type-overrides-record-mapping", DEMO_RUN ".hydra/overrides.yaml", "a: b\n",
    .expect = { OK, OK, OK, OK } },

  /* NaN, infinities, huge numbers. */
  { "number-default-nan", "schemas/train.yaml",
    SCHEMA_HEAD "    type: number_input\n    default: .nan\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":5:*must be a finite number, not '.nan'*") },
  { "number-default-inf", "schemas/train.yaml",
    SCHEMA_HEAD "    type: number_input\n    default: -.inf\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":5:*must be a finite number, not '-.inf'*") },
  { "number-default-1e400", "schemas/train.yaml",
    SCHEMA_HEAD "    type: number_input\n    default: 1e400\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":5:*must be a finite number, not '1e400'*") },
  { "number-min-nan", "schemas/train.yaml",
    SCHEMA_HEAD "    type: slider\n    min_value: -nan\n    max_value: 1\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":5:*'-nan' is not a number (in 'min_value')*") },
  { "number-range-reversed", "schemas/train.yaml",
    SCHEMA_HEAD "    type: number_input\n    validation:\n      range: [5, 1]\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":6:14: 'range' goes from 5 down to 1*") },
  { "number-slider-outside", "schemas/train.yaml",
    SCHEMA_HEAD "    type: slider\n    min_value: 0\n    max_value: 1\n    default: 5\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":7:14: the default of slider 'a' (5) is outside its range*") },
  { "number-format-width", "schemas/train.yaml",
    SCHEMA_HEAD "    type: number_input\n    format: \"%999999999d\"\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":5:*a width larger than 32*") },
  { "number-override-empty", "schemas/train.yaml",
    SCHEMA_HEAD "    type: text_input\n    hydra_override: \"\"\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":5:21: 'hydra_override' must be a non-empty key") },
  { "number-config-huge", "configs/trainer/default.yaml",
    "max_epochs: 99999999999999999999999999999999999999\nnan: .nan\ninf: -.inf\nbig: 1e999999\n",
    "max_epochs: 10\n", .expect = { OK, OK, OK, OK } },
  { "number-checkpoint-name", DEMO_RUN "checkpoints/epoch=1e300-step=99999999999999999999999.ckpt",
    "", .expect = { OK, OK, OK, OK } },

  /* Invalid UTF-8 and newlines, in values and in file names. */
  { "utf8-config-value", "configs/trainer/default.yaml",
    "accelerator: \"\xff\xfe\"\nname: \xc3\x28\n",
    .expect = BROKEN_CONFIG (CFG_TRAINER, ":*") },
  { "utf8-settings-value", "command-builder.yaml", "launcher: [\"\xff\"]\n",
    .expect = BROKEN_SETTINGS (SETTINGS ":*") },
  { "utf8-schema-label", "schemas/train.yaml",
    SCHEMA_HEAD "    type: text_input\n    label: \"\xe2\x82\"\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":*") },
  { "utf8-hydra-record", DEMO_RUN ".hydra/overrides.yaml", "- exp_name=\xff\xfe\n",
    .expect = { OK, OK, OK, OK } },
  { "utf8-file-name-config", .breaks = invalid_utf8_file_name_config,
    .expect = { OK, OK, OK, OK } },
  { "utf8-file-name-checkpoint", .breaks = invalid_utf8_file_name_checkpoint,
    .expect = { OK, OK, OK, OK } },
  { "newline-file-name-config", .breaks = newline_file_name_config,
    .expect = { OK, OK, OK, OK } },
  { "newline-file-name-checkpoint", .breaks = newline_file_name_checkpoint,
    .expect = { OK, OK, OK, OK } },
  { "newline-settings-value", "command-builder.yaml", "launcher: [\"python3\\nrm -rf /\"]\n",
    .expect = { FAILS (1, SETTINGS ": the launcher 'python3"),
                OK_WARNS (SETTINGS ": warning: the launcher 'python3"), OK, OK } },

  /* Duplicate keys. */
  { "duplicate-config-key", "configs/trainer/default.yaml", "devices: 1\nmax_epochs: 3\n",
    "devices: 1\n", .expect = BROKEN_CONFIG ("configs/trainer/default.yaml",
                                            ":5:1: duplicate key 'max_epochs' (first at line 2)") },
  { "duplicate-settings-key", "command-builder.yaml", "configs_dir: configs\nconfigs_dir: x\n",
    .expect = BROKEN_SETTINGS (SETTINGS ":2:1: duplicate key 'configs_dir' (first at line 1)") },
  { "duplicate-schema-key", "schemas/train.yaml",
    SCHEMA_HEAD "    type: text_input\n  - key: a\n    type: checkbox\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":5:*") },

  /* Empty and comment-only files. */
  { "empty-config", "configs/trainer/default.yaml", "",
    .expect = SCHEMA_SAYS (":*: 'trainer.max_epochs' is not in the train config",
                         "Could not override 'trainer.max_epochs': no such key*") },
  { "comment-only-config", "configs/trainer/default.yaml", "# nothing here\n",
    .expect = SCHEMA_SAYS (":*: 'trainer.max_epochs' is not in the train config",
                         "Could not override 'trainer.max_epochs': no such key*") },
  { "empty-settings", "command-builder.yaml", "", .expect = { OK, OK, OK, OK } },
  { "comment-only-settings", "command-builder.yaml", "# nothing\n# at all\n",
    .expect = { OK, OK, OK, OK } },
  { "empty-schema", "schemas/train.yaml", "", .expect = BROKEN_SCHEMA (SCHEMA ":*") },
  { "comment-only-schema", "schemas/train.yaml", "# no schema\n",
    .expect = BROKEN_SCHEMA (SCHEMA ":*") },
  { "empty-hydra-records", .breaks = empty_hydra_records, .expect = { OK, OK, OK, OK } },

  /* Folders where files belong, and the reverse. */
  { "dir-config-entry", .breaks = dir_config_entry,
    .expect = CHOICES_REFUSED ("Cannot find the primary config 'train' in $P/configs") },
  { "dir-settings", .breaks = dir_settings,
    .expect = BROKEN_SETTINGS (SETTINGS ": is a directory*") },
  { "dir-config-file", .breaks = dir_config_group_file,
    .expect = NO_TRAINER ("*/schemas/train.yaml: the train page's default choices: "
                          "Hydra would refuse them: 'trainer' has no option 'default'*") },
  { "file-config-group", .breaks = file_config_group,
    .expect = NO_TRAINER ("*/schemas/train.yaml: the train page's default choices: "
                          "Hydra would refuse them: 'trainer' has no option 'default'*") },
  { "file-configs", .breaks = file_configs, .expect = NO_CONFIGS },
  { "file-outputs", .breaks = file_outputs, .expect = { OK, OK, OK, OK } },
  { "dir-hydra-records", .breaks = dir_hydra_records, .expect = { OK, OK, OK, OK } },
  { "dir-checkpoint", .breaks = dir_checkpoint, .expect = { OK, OK, OK, OK } },
  { "file-schemas", .breaks = file_schemas,
    .expect = BROKEN_SETTINGS (SETTINGS ":*: 'schemas_dir': there is no folder $P/schemas") },

  /* Dangling symlinks and symlink loops. */
  { "dangling-config", .breaks = dangling_config,
    .expect = NO_TRAINER (TRAINER ": No such file or directory") },
  { "dangling-settings", .breaks = dangling_settings, .expect = { OK, OK, OK, OK } },
  { "dangling-checkpoint", .breaks = dangling_checkpoint, .expect = { OK, OK, OK, OK } },
  { "dangling-configs", .breaks = dangling_configs, .expect = NO_CONFIGS },
  { "dangling-outputs", .breaks = dangling_outputs, .expect = { OK, OK, OK, OK } },
  { "loop-config-dir", .breaks = loop_config_dir, .expect = { OK, OK, OK, OK } },
  { "loop-config-files", .breaks = loop_config_files,
    .expect = { FAILS (1, "$P/configs/trainer/?.yaml: Too many levels of symbolic links"),
                OK, OK, OK } },
  { "loop-outputs-dir", .breaks = loop_outputs_dir,
    .expect = { OK, OK, OK,
                OK_WARNS ("command-builder: skipped 0 unreadable folders, * symlink loops*") } },
  { "loop-outputs-pair", .breaks = loop_outputs_pair, .expect = { OK, OK, OK, OK } },
  { "loop-outputs-checkpoint", .breaks = loop_outputs_checkpoint, .expect = { OK, OK, OK, OK } },

  /* Size. */
  { "outputs-100k-entries", .breaks = outputs_100k, .expect = { OK, OK, OK, OK } },

  /* Unreadable folders and files. */
  { "unreadable-config-group", .breaks = unreadable_config_group,
    .expect = { FAILS (1, UNREADABLE_ARCHITECTURES), OK_WARNS (UNREADABLE_ARCHITECTURES),
                OK_WARNS (UNREADABLE_ARCHITECTURES), OK }, .needs_non_root = TRUE },
  { "unreadable-config-file", .breaks = unreadable_config_file,
    .expect = { FAILS (1, TRAINER ": Permission denied"),
                OK_WARNS (REFUSED TRAINER ": Permission denied"), OK, OK },
    .needs_non_root = TRUE },
  { "unreadable-configs", .breaks = unreadable_configs,
    .expect = { FAILS (1, UNREADABLE_ARCHITECTURES), OK_WARNS (UNREADABLE_ARCHITECTURES),
                OK_WARNS (UNREADABLE_ARCHITECTURES), OK }, .needs_non_root = TRUE },
  { "unreadable-run", .breaks = unreadable_run,
    .expect = { OK, OK, OK, OK_WARNS ("command-builder: skipped 1 unreadable folders*") },
    .needs_non_root = TRUE },
  { "unreadable-settings", .breaks = unreadable_settings,
    .expect = BROKEN_SETTINGS (SETTINGS ": *"), .needs_non_root = TRUE },

  /* A settings file whose folders point outside the project. */
  { "outside-absolute", .breaks = outside_absolute,
    .expect = BROKEN_SETTINGS (SETTINGS ":4:14: 'runners_dir' must be a folder inside the "
                               "project, not '/usr/bin'") },
  { "outside-relative", .breaks = outside_relative,
    .expect = BROKEN_SETTINGS (SETTINGS ":2:14: 'configs_dir' must be a folder inside the "
                               "project, not '../../..'") },
  { "outside-root", .breaks = outside_root,
    .expect = BROKEN_SETTINGS (SETTINGS ":2:14: 'outputs_dir' must be a folder inside the "
                               "project, not '/'") },
  /* What check finds first on this machine's disk is not known: only that it stops. */
  { "outside-by-symlink", .breaks = outside_by_symlink,
    .expect = { FAILS (1, NULL),
                OK_WARNS ("$P/configs/model/architectures: note: missing folder*"),
                OK_WARNS ("$P/configs/model/architectures: note: missing folder*"),
                OK_WARNS ("command-builder: skipped * symlink loops*") } },
};

/* ---- the runner ------------------------------------------------------------------------- */

/* Runs one command on @project; FALSE when it did not meet @expect (said with g_test_fail). */
static gboolean
run_command (const Case *c,
             guint       command,
             const char *project)
{
  const Expect *expect = &c->expect[command];
  const char *args[] = { "--project", project, command_names[command], NULL, NULL };
  g_auto(Result) result = { 0 };
  g_autofree char *line = NULL;
  gint64 start = g_get_monotonic_time ();

  if (command == PRINT)
    args[3] = "train";
  if (!hostile_run_cli_argv (&result, CASE_TIMEOUT_S, args))
    return TRUE;

  line = hostile_first_line (result.err);
  g_test_message ("%s: %s: exit %d in %.2f s, stderr: %s", c->name, command_names[command],
                  result.status, (g_get_monotonic_time () - start) / 1e6, line);
  if (result.timed_out)
    {
      g_test_fail_printf ("%s: %s did not finish in %d s", c->name, command_names[command],
                          CASE_TIMEOUT_S);
      return FALSE;
    }
  if (result.signal != 0)
    {
      g_test_fail_printf ("%s: %s was killed by signal %d; stderr:\n%s", c->name,
                          command_names[command], result.signal, result.err);
      return FALSE;
    }
  if (result.status != expect->status)
    {
      g_test_fail_printf ("%s: %s exited with %d, not %d; stderr:\n%s", c->name,
                          command_names[command], result.status, expect->status, result.err);
      return FALSE;
    }
  if (expect->line != NULL)
    {
      g_autoptr(GString) pattern = g_string_new (expect->line);

      g_string_replace (pattern, "$P", project, 0);
      if (!g_pattern_match_simple (pattern->str, line))
        {
          g_test_fail_printf ("%s: %s: the first line on stderr is\n  %s\nnot\n  %s", c->name,
                              command_names[command], line, pattern->str);
          return FALSE;
        }
    }
  return TRUE;
}

/* `runs --json` reads every run folder (records, checkpoints, small metrics files) the
 * catalogue's hostile trees hold: bounded, never killed by a signal, exit 0 or 1. */
static void
run_runs (const Case *c,
          const char *project)
{
  const char *args[] = { "--project", project, "runs", "--json", NULL };
  g_auto(Result) result = { 0 };

  if (!hostile_run_cli_argv (&result, CASE_TIMEOUT_S, args))
    return;
  if (result.timed_out)
    g_test_fail_printf ("%s: runs did not finish in %d s", c->name, CASE_TIMEOUT_S);
  else if (result.signal != 0)
    g_test_fail_printf ("%s: runs was killed by signal %d; stderr:\n%s", c->name, result.signal,
                        result.err);
  else if (result.status != 0 && result.status != 1)
    g_test_fail_printf ("%s: runs exited with %d; stderr:\n%s", c->name, result.status,
                        result.err);
}

static void
restore_modes (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* What chmod 000 took away, back, so that the folder can be removed. */
  g_chmod (path, 0755);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return;
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (!g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        restore_modes (child);
    }
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *project = NULL;
  g_autofree char *tmp = NULL;

  if (c->needs_non_root && geteuid () == 0)
    {
      g_test_skip ("runs as root, which chmod 000 does not keep out");
      return;
    }

  tmp = hostile_copy_demo (&project);
  if (c->breaks != NULL)
    c->breaks (project);
  else if (g_str_has_prefix (c->path, "schemas/"))
    put_schema (project, c->text);
  else if (c->old != NULL)
    replace_in (project, c->path, c->old, c->text);
  else
    put (project, c->path, c->text, -1);

  for (guint command = 0; command < N_COMMANDS; command++)
    run_command (c, command, project);
  run_runs (c, project);

  restore_modes (tmp);
  cb_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *bin = hostile_make_tmp ();
  g_autofree char *uv = g_build_filename (bin, "uv", NULL);
  g_autofree char *path = g_strconcat (bin, ":", g_getenv ("PATH"), NULL);
  int status;

  g_test_init (&argc, &argv, NULL);

  /* The launcher without a settings file is uv: found on every machine, so that the
   * results do not depend on what is installed. */
  hostile_write_file (uv, "#!/bin/sh\n", -1);
  g_assert_cmpint (g_chmod (uv, 0755), ==, 0);
  g_setenv ("PATH", path, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strconcat ("/hostile-catalogue/", cases[i].name, NULL);

      g_test_add_data_func (name, &cases[i], test_case);
    }

  status = g_test_run ();
  cb_test_remove_tree (bin);
  return status;
}
