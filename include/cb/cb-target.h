/* cb-target.h: where a command runs: this computer, a host over SSH, or a Slurm cluster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CB_TARGET_ERROR (cb_target_error_quark ())

typedef enum
{
  CB_TARGET_ERROR_INVALID,      /* targets.yaml or a target's fields */
  CB_TARGET_ERROR_NOT_FOUND,    /* no target of that name */
  CB_TARGET_ERROR_NO_PROGRAM,   /* ssh or tmux is not installed */
  CB_TARGET_ERROR_AUTH,         /* the host refused the key */
  CB_TARGET_ERROR_HOST_KEY,     /* the host's key is unknown or changed */
  CB_TARGET_ERROR_UNREACHABLE,  /* no connection at all */
  CB_TARGET_ERROR_CONNECTION,   /* a connection that was there went away */
  CB_TARGET_ERROR_NO_FOLDER,    /* the project folder is not on the host */
  CB_TARGET_ERROR_FAILED,       /* anything else, with the tool's own words */
} CbTargetError;

typedef enum
{
  CB_TARGET_LOCAL,
  CB_TARGET_SSH,
  CB_TARGET_SLURM,  /* submitted with sbatch, here or on a login host over SSH */
} CbTargetKind;

/* What a Slurm target asks of the cluster for each job (#SBATCH lines). */
typedef struct
{
  char  *partition;      /* may be NULL (the cluster's default) */
  char  *time;           /* time limit, e.g. "04:00:00" or "1-00:00:00" */
  int    gpus;           /* 0: none asked */
  int    cpus_per_task;  /* 0: the cluster's default */
  char  *mem;            /* e.g. "32G" */
  char  *account;
  char  *qos;
  int    array_limit;    /* sweeps: at most this many tasks at once; 0: no limit */
  char **sbatch;         /* extra #SBATCH lines, each an option, e.g. "--constraint=a100" */
} CbSlurmOptions;

/* The name of the computer the app runs on, as targets.yaml and `--target` say it. */
#define CB_TARGET_LOCAL_NAME "local"

/* The longest list of targets a project may have. */
#define CB_TARGET_MAX 256

typedef struct
{
  char         *name;          /* unique in the project; [A-Za-z0-9._-], at most 64 bytes */
  CbTargetKind  kind;
  char         *host;          /* ssh: host name or address, or a Host of ~/.ssh/config */
  char         *user;          /* ssh: may be NULL (ssh's own default) */
  int           port;          /* ssh: 0 for ssh's own default */
  char         *identity_file; /* ssh: may be NULL; ~/ is the user's home */
  char         *project_dir;   /* ssh: the project's folder on the host */
  char        **setup;         /* lines the shell runs first, e.g. `. .venv/bin/activate` */
  char        **ssh_options;   /* ssh: extra `-o` values, e.g. `ConnectTimeout=5` */
  CbSlurmOptions *slurm;       /* slurm: what each job asks for; NULL for the others. A Slurm
                                * target with a host submits there (its login node) over ssh;
                                * without one, here. */
} CbTarget;

GQuark     cb_target_error_quark      (void);

CbTarget  *cb_target_new_local        (void);
CbTarget  *cb_target_new_ssh          (const char       *name,
                                       const char       *host);
CbTarget  *cb_target_new_slurm        (const char       *name);
CbTarget  *cb_target_copy             (const CbTarget   *target);
void       cb_target_free             (CbTarget         *target);
gboolean   cb_target_is_local         (const CbTarget   *target);
gboolean   cb_target_is_slurm         (const CbTarget   *target);
gboolean   cb_target_via_ssh          (const CbTarget   *target);
gboolean   cb_target_check            (const CbTarget   *target,
                                       GError          **error);
char      *cb_target_dup_title        (const CbTarget   *target);
char      *cb_target_dup_address      (const CbTarget   *target);
char      *cb_target_dup_command      (const CbTarget     *target,
                                       const char * const *argv,
                                       const char         *display);

char      *cb_targets_path_for_project (const char      *project_root);
GPtrArray *cb_targets_load            (const char       *project_root,
                                       GPtrArray        *problems);
GPtrArray *cb_targets_parse           (const char       *data,
                                       gsize             length,
                                       const char       *filename,
                                       GPtrArray        *problems);
char      *cb_targets_to_yaml         (GPtrArray        *targets);
gboolean   cb_targets_save            (const char       *project_root,
                                       GPtrArray        *targets,
                                       GError          **error);
CbTarget  *cb_targets_find            (GPtrArray        *targets,
                                       const char       *name);

/* ssh and what it says */
char     **cb_target_ssh_argv         (const CbTarget   *target,
                                       gboolean          tty,
                                       const char       *remote_command);
char      *cb_target_remote_script    (const char       *script);
char      *cb_target_remote_script_reading (const char  *script);
void       cb_target_start_master     (const CbTarget   *target);
gboolean   cb_target_error_from_ssh   (const CbTarget   *target,
                                       int               exit_status,
                                       const char       *stderr_text,
                                       GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbTarget, cb_target_free)

G_END_DECLS
