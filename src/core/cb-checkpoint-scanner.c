/* cb-checkpoint-scanner.c: finds checkpoints under outputs/ in a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The walk (a GTask thread, never the UI thread):
 *  - recursive from the outputs folder, with a depth bound; hidden folders (.hydra, .git)
 *    are not walked;
 *  - directory entry types decide what an entry is; only *.ckpt files are stat-ed (size and
 *    time), and folders once each (for loop detection and change detection);
 *  - symlinks are followed, and a (device, inode) set makes loops impossible;
 *  - folders that cannot be opened are skipped and counted; a folder deleted mid-scan is
 *    simply gone;
 *  - a folder whose modification time (and device and inode) has not changed since the
 *    previous walk is not read again: its listing is reused, and so are the checkpoint objects
 *    made from it while its run's facts are unchanged. An unchanged rescan only stats folders
 *    and run configs: it allocates nothing per checkpoint, sorts nothing and leaves the model
 *    alone. (A file changed in place, or a symlinked file whose target changed, does not
 *    change its folder's time: such a change is seen once something else in the folder
 *    changes.)
 *  - each run folder's .hydra/overrides.yaml and config.yaml say what the run was trained
 *    with; they are read again only when they change.
 *
 * The result is one GListStore, newest first and grouped by run (runs ordered by their
 * newest checkpoint), updated in place: unchanged items keep their objects and positions
 * relative to each other, so a picker bound to it keeps its selection. An item whose run facts
 * changed is replaced.
 *
 * Paths are built in two growing buffers (absolute and project-relative) rather than one
 * allocation per entry; see scripts/bench-scan for what the walk costs against find(1).
 */

#define G_LOG_DOMAIN "cb-checkpoint-scanner"
#define _GNU_SOURCE   /* getdents64 */

#include "config.h"

#include "cb/cb-checkpoint-scanner.h"
#include "cb-checkpoint-private.h"
#include "cb-done-latch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEFAULT_MAX_DEPTH 8
#define RESCAN_DELAY_MS 400
#define MAX_WATCHED_RUNS 256
#define DENTS_SIZE (32 * 1024)

typedef struct
{
  char   *name;
  gint64  size;
  gint64  mtime;
} FileEntry;

typedef struct
{
  gatomicrefcount  ref_count;
  guint64          stamp;        /* mtimes and sizes of overrides.yaml and config.yaml mixed */
  CbRunInfo       *info;         /* may be NULL */
} RunEntry;

/* A folder's identity, for the visited set of a walk. */
typedef struct
{
  guint64 dev;
  guint64 ino;
} DirId;

/* What a folder held when it was read. Never changed once a walk has stored it, so walks on
 * other threads may share it. */
typedef struct
{
  DirId            id;
  gatomicrefcount  ref_count;
  gint64           mtime_ns;
  GPtrArray       *files;    /* FileEntry: *.ckpt */
  GPtrArray       *subdirs;  /* char*: folder names (symlinks to folders included) */
  RunEntry        *run;      /* the run facts the items were made with; NULL without files */
  GPtrArray       *items;    /* CbCheckpoint, one per file; NULL without files */
  gboolean         has_links; /* some of the subdirs are symlinks */
} DirListing;

struct _CbCheckpointScanner
{
  GObject          parent_instance;
  char            *project_root;
  char            *outputs_dir;   /* relative to the root, or absolute */
  char            *outputs_abs;   /* absolute, no trailing separator */
  guint            max_depth;
  guint            max_threads;
  gboolean         foreground;    /* the extra threads do not yield (no nice) */
  GListStore      *store;
  GHashTable      *dirs;          /* abs path (GRefString) -> DirListing, of the last walk */
  GHashTable      *runs;          /* abs run path (GRefString) -> RunEntry */
  CbScanStats      stats;
  GCancellable    *cancellable;   /* of the current rescan */
  GTask           *latest;        /* the walk of the latest scan, until its callback */
  GHashTable      *monitors;      /* abs path -> GFileMonitor */
  guint            rescan_id;
  gboolean         loaded;
  gboolean         watch;
};

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

enum {
  SCANNED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CbCheckpointScanner, cb_checkpoint_scanner, G_TYPE_OBJECT)

static void arm_monitors (CbCheckpointScanner *self);
static void strip_trailing_slashes (char *path);

static void
file_entry_free (FileEntry *entry)
{
  g_free (entry->name);
  g_free (entry);
}

static RunEntry *
run_entry_ref (RunEntry *entry)
{
  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

static void
run_entry_unref (RunEntry *entry)
{
  if (entry != NULL && g_atomic_ref_count_dec (&entry->ref_count))
    {
      cb_run_info_free (entry->info);
      g_free (entry);
    }
}

static DirListing *
dir_listing_new (const struct stat *st)
{
  DirListing *listing = g_new0 (DirListing, 1);

  g_atomic_ref_count_init (&listing->ref_count);
  listing->id.dev = (guint64) st->st_dev;
  listing->id.ino = (guint64) st->st_ino;
  listing->mtime_ns = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                      st->st_mtim.tv_nsec;
  return listing;
}

static DirListing *
dir_listing_ref (DirListing *listing)
{
  g_atomic_ref_count_inc (&listing->ref_count);
  return listing;
}

static void
dir_listing_unref (DirListing *listing)
{
  if (listing != NULL && g_atomic_ref_count_dec (&listing->ref_count))
    {
      g_ptr_array_unref (listing->files);
      g_ptr_array_unref (listing->subdirs);
      g_clear_pointer (&listing->run, run_entry_unref);
      g_clear_pointer (&listing->items, g_ptr_array_unref);
      g_free (listing);
    }
}

static guint
dir_id_hash (gconstpointer key)
{
  const DirId *id = key;

  return (guint) (id->ino ^ (id->ino >> 32) ^ (id->dev * 2654435761u));
}

static gboolean
dir_id_equal (gconstpointer a,
              gconstpointer b)
{
  const DirId *ia = a;
  const DirId *ib = b;

  return ia->ino == ib->ino && ia->dev == ib->dev;
}

/* ---- the walk ------------------------------------------------------------------------ */

typedef struct
{
  CbCheckpoint *item;
  const char   *run;
  const char   *path;
  gint64        mtime;
  gint64        run_newest;
} SortEntry;

typedef struct _Walk Walk;

/* Where a thread is in the walk, and what it has visited. */
typedef struct
{
  GString       *path;          /* the folder being walked, absolute */
  GString       *rel;           /* the same, as shown: outputs_rel/... */
  GString       *scratch;       /* a run folder and its config files */
  char          *dents;         /* getdents64 buffer */
  GHashTable    *visited;       /* DirId, inside listings the walk holds */
} Cursor;

typedef struct
{
  char          *key;           /* abs path (GRefString) */
  DirListing    *listing;
} Found;

/* What is found in the whole tree, or in a parallel walk below one folder of outputs/. */
typedef struct
{
  Walk          *walk;
  Cursor        *cur;
  GArray        *dirs;          /* Found */
  GHashTable    *runs;          /* abs run path (GRefString) -> RunEntry; NULL until one */
  GArray        *ids;           /* DirId of each folder visited (parallel parts only) */
  GPtrArray     *items;         /* CbCheckpoint, in walk order */
  gboolean       changed;       /* a folder was read or an object made */
  gboolean       met_link;      /* a folder was reached through a symlink */
  CbScanStats    stats;         /* the counters */
} Part;

struct _Walk
{
  /* inputs (copies, or read-only tables shared with the main thread) */
  char          *root;
  char          *outputs_abs;
  gsize          outputs_abs_len;
  char          *outputs_rel;
  gsize          outputs_rel_len;
  guint          max_depth;
  guint          max_threads;
  gboolean       foreground;
  GHashTable    *prev_dirs;
  GHashTable    *prev_runs;
  GCancellable  *cancellable;
  int            outputs_fd;    /* the outputs folder, while walking; else -1 */
  /* outputs */
  GHashTable    *dirs;
  GHashTable    *runs;
  GPtrArray     *items;         /* CbCheckpoint */
  gboolean       changed;       /* a folder was read or an object made: sort and apply */
  gboolean       unchanged;     /* the result is the previous one: nothing to apply */
  CbScanStats    stats;
  /* the folders of outputs/ walked by several threads */
  DirListing    *top;           /* outputs/ */
  int            top_fd;        /* open if it was read, else -1 */
  gboolean       top_read;
  /* the end of the walk, for cb_checkpoint_scanner_install_finished() */
  CbDoneLatch    done;          /* the worker is done with the walk */
  gboolean       installed;     /* main thread: the result was applied before its callback */
  Part         **parts;         /* one per chunk of folders of outputs/ */
  guint          n_parts;
  guint          chunk;         /* folders of outputs/ per part */
  gint           next_part;
  Cursor       **cursors;       /* one per thread, freed after the join */
};

static Cursor *
cursor_new (Walk       *walk,
            GHashTable *visited)
{
  Cursor *cur = g_new0 (Cursor, 1);

  cur->path = g_string_new (walk->outputs_abs);
  cur->rel = g_string_new (walk->outputs_rel);
  cur->scratch = g_string_new (NULL);
  cur->dents = g_malloc (DENTS_SIZE);
  cur->visited = visited ? g_hash_table_ref (visited)
                         : g_hash_table_new (dir_id_hash, dir_id_equal);
  return cur;
}

static void
cursor_free (Cursor *cur)
{
  g_string_free (cur->path, TRUE);
  g_string_free (cur->rel, TRUE);
  g_string_free (cur->scratch, TRUE);
  g_free (cur->dents);
  g_hash_table_unref (cur->visited);
  g_free (cur);
}

static void
found_clear (Found *found)
{
  g_ref_string_release (found->key);
  dir_listing_unref (found->listing);
}

static Part *
part_new (Walk     *walk,
          Cursor   *cur,
          gboolean  record_ids)
{
  Part *part = g_new0 (Part, 1);

  part->walk = walk;
  part->cur = cur;
  part->dirs = g_array_new (FALSE, FALSE, sizeof (Found));
  g_array_set_clear_func (part->dirs, (GDestroyNotify) found_clear);
  part->ids = record_ids ? g_array_new (FALSE, FALSE, sizeof (DirId)) : NULL;
  part->items = g_ptr_array_new_with_free_func (g_object_unref);
  return part;
}

static GHashTable *
runs_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, (GDestroyNotify) g_ref_string_release,
                                (GDestroyNotify) run_entry_unref);
}

static void
part_free (Part *part)
{
  if (part == NULL)
    return;
  g_clear_pointer (&part->items, g_ptr_array_unref);
  g_clear_pointer (&part->dirs, g_array_unref);
  g_clear_pointer (&part->runs, g_hash_table_unref);
  g_clear_pointer (&part->ids, g_array_unref);
  g_free (part);
}

static void
walk_free (Walk *walk)
{
  g_free (walk->root);
  g_free (walk->outputs_abs);
  g_free (walk->outputs_rel);
  g_clear_pointer (&walk->prev_dirs, g_hash_table_unref);
  g_clear_pointer (&walk->prev_runs, g_hash_table_unref);
  g_clear_pointer (&walk->dirs, g_hash_table_unref);
  g_clear_pointer (&walk->runs, g_hash_table_unref);
  g_clear_pointer (&walk->items, g_ptr_array_unref);
  g_clear_object (&walk->cancellable);
  if (walk->outputs_fd >= 0)
    close (walk->outputs_fd);
  cb_done_latch_clear (&walk->done);
  g_free (walk);
}

static gint64
stat_mtime_ns (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

/* Adds one entry of the folder open at @fd to @listing. */
static void
add_entry (Part          *part,
           DirListing    *listing,
           int            fd,
           const char    *name,
           unsigned char  type)
{
  gboolean is_ckpt;
  struct stat st;

  /* Hidden entries (and . and ..) are not walked. */
  if (name[0] == '.')
    return;

  if (type == DT_DIR)
    {
      g_ptr_array_add (listing->subdirs, g_strdup (name));
      return;
    }
  is_ckpt = g_str_has_suffix (name, ".ckpt");
  if (type == DT_REG && !is_ckpt)
    return;
  if (type != DT_LNK && type != DT_UNKNOWN && !is_ckpt)
    return;

  /* Follows symlinks; a dangling one is skipped. */
  if (fstatat (fd, name, &st, 0) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_ptr_array_add (listing->subdirs, g_strdup (name));
      listing->has_links = TRUE;
    }
  else if (S_ISREG (st.st_mode) && is_ckpt)
    {
      FileEntry *file = g_new0 (FileEntry, 1);

      file->name = g_strdup (name);
      file->size = st.st_size;
      file->mtime = st.st_mtim.tv_sec;
      g_ptr_array_add (listing->files, file);
    }
}

/* Reads the folder open at @fd (stat-ed as @dir_st). The entries come straight from
 * getdents64 where there is one: opendir() would stat the folder again and ask for its flags,
 * two system calls per folder that the walk has no use for. */
static DirListing *
read_listing (Part              *part,
              int                fd,
              const struct stat *dir_st)
{
  DirListing *listing;

  part->stats.n_dirs_read++;
  listing = dir_listing_new (dir_st);
  listing->files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_entry_free);
  listing->subdirs = g_ptr_array_new_with_free_func (g_free);

#ifdef HAVE_GETDENTS64
  for (;;)
    {
      gssize n = getdents64 (fd, part->cur->dents, DENTS_SIZE);
      gssize pos = 0;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno != ENOENT)
        {
          /* Read in part: counted, and never taken for the folder as it is. */
          part->stats.n_unreadable++;
          listing->mtime_ns = G_MININT64;
          break;
        }
      if (n <= 0)
        break;   /* the end, or the folder went away meanwhile */
      while (pos < n)
        {
          const struct dirent64 *entry = (const struct dirent64 *) (part->cur->dents + pos);

          add_entry (part, listing, fd, entry->d_name, entry->d_type);
          pos += entry->d_reclen;
        }
    }
#else
  {
    int dup_fd = dup (fd);
    DIR *dir = dup_fd >= 0 ? fdopendir (dup_fd) : NULL;
    struct dirent *entry;

    if (dir == NULL && dup_fd >= 0)
      close (dup_fd);
    while (dir != NULL && (entry = readdir (dir)) != NULL)
      add_entry (part, listing, fd, entry->d_name, entry->d_type);
    if (dir != NULL)
      closedir (dir);
  }
#endif

  return listing;
}

/* The run folder is the first @run_dir_len bytes of the cursor's path. Its facts are taken
 * over from the previous walk unless @dirty: a folder of the run was read again, as when a
 * run starts again in the same folder and Hydra rewrites its .hydra files (in place: that
 * changes no folder's time). Then its files are read again, and parsed again if they
 * changed. */
static RunEntry *
run_entry_for (Part     *part,
               gsize     run_dir_len,
               gboolean  dirty)
{
  Walk *walk = part->walk;
  GString *run_dir = part->cur->scratch;
  RunEntry *entry;
  RunEntry *old = NULL;
  char *old_key = NULL;

  g_string_truncate (run_dir, 0);
  g_string_append_len (run_dir, part->cur->path->str, run_dir_len);
  entry = part->runs ? g_hash_table_lookup (part->runs, run_dir->str) : NULL;
  if (entry != NULL)
    return entry;

  if (walk->prev_runs != NULL)
    g_hash_table_lookup_extended (walk->prev_runs, run_dir->str, (gpointer *) &old_key,
                                  (gpointer *) &old);

  if (old != NULL && !dirty)
    entry = run_entry_ref (old);
  else
    {
      g_autofree char *overrides = NULL;
      g_autofree char *config = NULL;
      gsize overrides_length = 0, config_length = 0;
      struct stat overrides_st, config_st;
      guint64 stamp = 0;   /* unsigned: the mixing wraps around, which is defined */
      gsize sub_len;

      /* Paths relative to the outputs folder: fewer components to look up. */
      g_string_truncate (run_dir, 0);
      if (run_dir_len > walk->outputs_abs_len)
        {
          g_string_append_len (run_dir, part->cur->path->str + walk->outputs_abs_len + 1,
                               run_dir_len - walk->outputs_abs_len - 1);
          g_string_append_c (run_dir, '/');
        }
      sub_len = run_dir->len;
      g_string_append (run_dir, ".hydra/overrides.yaml");
      overrides = cb_read_small_file_at (walk->outputs_fd, run_dir->str, &overrides_st,
                                         &overrides_length);
      if (overrides != NULL)
        stamp ^= (guint64) stat_mtime_ns (&overrides_st) * 31 + (guint64) overrides_st.st_size;
      g_string_truncate (run_dir, sub_len);
      g_string_append (run_dir, ".hydra/config.yaml");
      config = cb_read_small_file_at (walk->outputs_fd, run_dir->str, &config_st,
                                      &config_length);
      if (config != NULL)
        stamp ^= (guint64) stat_mtime_ns (&config_st) * 17 + (guint64) config_st.st_size + 1;

      if (old != NULL && old->stamp == stamp)
        entry = run_entry_ref (old);   /* the same files: not parsed again */
      else
        {
          entry = g_new0 (RunEntry, 1);
          g_atomic_ref_count_init (&entry->ref_count);
          entry->stamp = stamp;
          entry->info = cb_run_info_parse (overrides, overrides_length, config, config_length);
          part->stats.n_runs_read += entry->info != NULL;
          part->changed = TRUE;
        }
      g_string_truncate (run_dir, 0);
      g_string_append_len (run_dir, part->cur->path->str, run_dir_len);
    }

  if (part->runs == NULL)
    part->runs = runs_table_new ();
  g_hash_table_insert (part->runs,
                       old_key ? g_ref_string_acquire (old_key)
                               : g_ref_string_new_len (run_dir->str, run_dir->len),
                       entry);
  return entry;
}

/* Makes the checkpoint objects of a listing read (or re-made) in this walk. Objects of the
 * previous listing of the folder are taken over for files that did not change, as long as the
 * run's facts did not either. */
static void
make_items (Part       *part,
            DirListing *listing,
            DirListing *old,
            RunEntry   *run_entry,
            const char *run)
{
  g_autoptr(GHashTable) old_items = NULL;
  gsize rel_len = part->cur->rel->len;

  listing->run = run_entry_ref (run_entry);
  listing->items = g_ptr_array_new_full (listing->files->len, g_object_unref);
  part->changed = TRUE;

  if (old != NULL && old->items != NULL && old->run == run_entry)
    {
      old_items = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < old->items->len; i++)
        {
          CbCheckpoint *item = g_ptr_array_index (old->items, i);

          g_hash_table_insert (old_items, (gpointer) cb_checkpoint_get_basename (item), item);
        }
    }

  for (guint i = 0; i < listing->files->len; i++)
    {
      const FileEntry *file = g_ptr_array_index (listing->files, i);
      CbCheckpoint *item = old_items ? g_hash_table_lookup (old_items, file->name) : NULL;

      if (item != NULL && cb_checkpoint_get_size (item) == file->size &&
          cb_checkpoint_get_mtime (item) == file->mtime)
        item = g_object_ref (item);
      else
        {
          g_string_append_c (part->cur->rel, '/');
          g_string_append (part->cur->rel, file->name);
          item = cb_checkpoint_new (part->cur->rel->str, run, file->size, file->mtime,
                                    run_entry->info);
          g_string_truncate (part->cur->rel, rel_len);
        }
      g_ptr_array_add (listing->items, item);
    }
}

/* Visits the folder @name in @parent_fd, or (@parent_fd -1) part->cur->path's part below the
 * outputs folder in walk->outputs_fd; part->cur->path and part->cur->rel name it, absolute and as
 * shown. @name is NULL for outputs itself. @parent_read: its parent was read in this walk.
 * Returns its listing (in part->dirs), with its checkpoints added to part->items; *@fd_out
 * is the folder open (to be closed by the caller) if it was read, else -1. NULL if it is not
 * a folder, is gone, cannot be read or was visited already.
 *
 * A folder seen in the previous walk is stat-ed first, and read only if it changed; a new
 * one is opened and stat-ed through its descriptor. Folders are looked up relative to their
 * parent's descriptor where the parent was opened: one path component each. */
static DirListing *
visit_dir (Part       *part,
           int         parent_fd,
           const char *name,
           gboolean    parent_read,
           int        *fd_out)
{
  Walk *walk = part->walk;
  DirListing *listing = NULL;
  DirListing *old = NULL;
  char *old_key = NULL;
  const char *at_name;
  int at_fd;
  int fd = -1;
  gboolean read = FALSE;
  DirId id;
  struct stat st;

  *fd_out = -1;
  if (g_cancellable_is_cancelled (walk->cancellable))
    return NULL;

  if (parent_fd >= 0)
    {
      at_fd = parent_fd;
      at_name = name;
    }
  else
    {
      at_fd = walk->outputs_fd;
      at_name = part->cur->path->len > walk->outputs_abs_len
                  ? part->cur->path->str + walk->outputs_abs_len + 1 : ".";
    }

  if (walk->prev_dirs != NULL)
    g_hash_table_lookup_extended (walk->prev_dirs, part->cur->path->str, (gpointer *) &old_key,
                                  (gpointer *) &old);
  if (old != NULL)
    {
      if (fstatat (at_fd, at_name, &st, 0) != 0)
        {
          if (errno != ENOENT && errno != ENOTDIR)
            part->stats.n_unreadable++;
          return NULL;
        }
      if (!S_ISDIR (st.st_mode))
        return NULL;
      id.dev = (guint64) st.st_dev;
      id.ino = (guint64) st.st_ino;
      if (g_hash_table_contains (part->cur->visited, &id))
        {
          part->stats.n_loops++;
          return NULL;
        }
      if (old->mtime_ns == stat_mtime_ns (&st) && dir_id_equal (&old->id, &id))
        {
          listing = dir_listing_ref (old);
          part->stats.n_dirs_reused++;
        }
    }

  if (listing == NULL)
    {
      fd = openat (at_fd, at_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0)
        {
          if (errno != ENOENT && errno != ENOTDIR)
            part->stats.n_unreadable++;
          return NULL;
        }
      if (fstat (fd, &st) != 0)
        {
          close (fd);
          return NULL;
        }
      id.dev = (guint64) st.st_dev;
      id.ino = (guint64) st.st_ino;
      if (old == NULL && g_hash_table_contains (part->cur->visited, &id))
        {
          part->stats.n_loops++;
          close (fd);
          return NULL;
        }
      listing = read_listing (part, fd, &st);
      read = TRUE;
      part->changed = TRUE;
    }

  if (listing->files->len > 0)
    {
      /* outputs/<run>/checkpoints/x.ckpt belongs to <run>; other layouts to their folder. */
      const char *relative = part->cur->rel->len > walk->outputs_rel_len
                               ? part->cur->rel->str + walk->outputs_rel_len + 1 : "";
      gboolean in_checkpoints = name != NULL && g_str_equal (name, "checkpoints");
      RunEntry *run_entry = run_entry_for (part,
                                           in_checkpoints
                                             ? part->cur->path->len - strlen ("/checkpoints")
                                             : part->cur->path->len,
                                           read || (in_checkpoints && parent_read));

      if (listing == old && old->run != run_entry)
        {
          /* Unchanged folder, but its run's facts changed: new objects, in a new listing
           * that shares the file and folder lists (the previous one stays as it is). */
          DirListing *made = dir_listing_new (&st);

          made->files = g_ptr_array_ref (listing->files);
          made->subdirs = g_ptr_array_ref (listing->subdirs);
          made->has_links = listing->has_links;
          dir_listing_unref (listing);
          listing = made;
        }
      if (listing->items == NULL)
        {
          /* A copy: part->cur->rel grows while the items are made. "a/b/checkpoints" -> "a/b";
           * "checkpoints" right in outputs has no run. */
          gsize rel_len = strlen (relative);
          g_autofree char *run = !in_checkpoints ? g_strdup (relative)
                                 : rel_len > strlen ("checkpoints")
                                   ? g_strndup (relative, rel_len - strlen ("/checkpoints"))
                                   : g_strdup ("");

          make_items (part, listing, old, run_entry, run);
        }

      for (guint i = 0; i < listing->items->len; i++)
        g_ptr_array_add (part->items, g_object_ref (g_ptr_array_index (listing->items, i)));
    }

  /* Keys are shared with the previous table: a rescan copies no path. */
  {
    Found found = {
      old_key ? g_ref_string_acquire (old_key)
              : g_ref_string_new_len (part->cur->path->str, part->cur->path->len),
      listing
    };

    g_array_append_val (part->dirs, found);
  }
  g_hash_table_add (part->cur->visited, &listing->id);
  if (part->ids != NULL)
    g_array_append_val (part->ids, listing->id);
  part->met_link |= listing->has_links;

  *fd_out = fd;
  return listing;
}

static void walk_children (Part       *part,
                           DirListing *listing,
                           int         fd,
                           guint       depth,
                           gboolean    read);

/* Visits the child @name of the folder at part->cur->path (open at @parent_fd, or -1), and walks
 * what is below it. */
static void
walk_child (Part       *part,
            int         parent_fd,
            const char *name,
            guint       depth,
            gboolean    parent_read)
{
  gsize path_len = part->cur->path->len;
  gsize rel_len = part->cur->rel->len;
  DirListing *listing;
  int fd;

  if (depth > part->walk->max_depth)
    {
      part->stats.n_too_deep++;
      return;
    }

  g_string_append_c (part->cur->path, '/');
  g_string_append (part->cur->path, name);
  g_string_append_c (part->cur->rel, '/');
  g_string_append (part->cur->rel, name);

  listing = visit_dir (part, parent_fd, name, parent_read, &fd);
  if (listing != NULL)
    walk_children (part, listing, fd, depth, fd >= 0);
  if (fd >= 0)
    close (fd);

  g_string_truncate (part->cur->path, path_len);
  g_string_truncate (part->cur->rel, rel_len);
}

static void
walk_children (Part       *part,
               DirListing *listing,
               int         fd,
               guint       depth,
               gboolean    read)
{
  for (guint i = 0; i < listing->subdirs->len; i++)
    walk_child (part, fd, g_ptr_array_index (listing->subdirs, i), depth + 1, read);
}

static int
compare_entries (const void *a,
                 const void *b)
{
  const SortEntry *ea = a;
  const SortEntry *eb = b;
  int cmp;

  if (ea->run_newest != eb->run_newest)
    return ea->run_newest < eb->run_newest ? 1 : -1;
  cmp = ea->run == eb->run ? 0 : strcmp (ea->run, eb->run);
  if (cmp != 0)
    return cmp;
  if (ea->mtime != eb->mtime)
    return ea->mtime < eb->mtime ? 1 : -1;
  return strcmp (ea->path, eb->path);
}

/* Newest first, grouped by run; runs ordered by their newest checkpoint. */
static void
sort_items (GPtrArray *items)
{
  g_autoptr(GHashTable) slots = g_hash_table_new (g_str_hash, g_str_equal);  /* run -> slot+1 */
  g_autoptr(GArray) newest = g_array_new (FALSE, FALSE, sizeof (gint64));   /* per slot */
  g_autofree SortEntry *entries = g_new (SortEntry, MAX (items->len, 1));
  g_autofree guint *slot_of = g_new (guint, MAX (items->len, 1));
  const char *last_run = NULL;
  guint slot = 0;

  for (guint i = 0; i < items->len; i++)
    {
      SortEntry *entry = &entries[i];

      entry->item = g_ptr_array_index (items, i);
      entry->run = cb_checkpoint_get_run (entry->item);
      entry->path = cb_checkpoint_get_path (entry->item);
      entry->mtime = cb_checkpoint_get_mtime (entry->item);

      /* Items come folder by folder: look the run up only when it changes. */
      if (last_run == NULL || !g_str_equal (last_run, entry->run))
        {
          gpointer found = g_hash_table_lookup (slots, entry->run);

          if (found == NULL)
            {
              g_array_append_val (newest, entry->mtime);
              found = GUINT_TO_POINTER (newest->len);
              g_hash_table_insert (slots, (gpointer) entry->run, found);
            }
          slot = GPOINTER_TO_UINT (found) - 1;
          last_run = entry->run;
        }
      if (entry->mtime > g_array_index (newest, gint64, slot))
        g_array_index (newest, gint64, slot) = entry->mtime;
      slot_of[i] = slot;
    }
  for (guint i = 0; i < items->len; i++)
    entries[i].run_newest = g_array_index (newest, gint64, slot_of[i]);

  qsort (entries, items->len, sizeof (SortEntry), compare_entries);

  for (guint i = 0; i < items->len; i++)
    items->pdata[i] = entries[i].item;
}

/* ---- several threads ---------------------------------------------------------------
 *
 * The folders of outputs/ (the runs) are shared out between threads: the walk is made of
 * system calls, and a big outputs/ has thousands of runs. Each folder is walked as a part of
 * its own, and the parts are joined in their order, so the result is the one a walk on one
 * thread gives; a part that met a folder an earlier part had met (a symlink from one run into
 * another) is walked again, in order, with what the earlier ones visited. */

#define MIN_FOLDERS_PER_THREAD 16
#define MAX_THREADS 4
#define EXTRA_THREAD_NICE 10

typedef struct
{
  Walk  *walk;
  guint  index;
} Worker;

static gpointer
part_worker (gpointer data)
{
  Worker *worker = data;
  Walk *walk = worker->walk;
  Cursor *cur = cursor_new (walk, NULL);
  guint n = walk->top->subdirs->len;
  guint i;

#ifdef __linux__
  /* The extra threads yield to the UI thread when both want the processor, as at start-up,
   * and run at full speed on an idle one. (On Linux a thread has a nice value of its own.) */
  if (worker->index > 0 && !walk->foreground)
    {
      id_t tid = (id_t) syscall (SYS_gettid);
      int nice_value;

      errno = 0;
      nice_value = getpriority (PRIO_PROCESS, tid);
      if (errno == 0)
        setpriority (PRIO_PROCESS, tid, MIN (nice_value + EXTRA_THREAD_NICE, 19));
    }
#endif

  /* Freed after the join: the visited set points into the parts' listings. */
  walk->cursors[worker->index] = cur;

  while ((i = (guint) g_atomic_int_add (&walk->next_part, 1)) < walk->n_parts &&
         !g_cancellable_is_cancelled (walk->cancellable))
    {
      Part *part = part_new (walk, cur, TRUE);

      /* Each part walks as if it were the first: what it meets of the parts before it is
       * found by the join (its ids), which walks it again after them. A visited set carried
       * over from this thread's earlier parts would skip folders they saw, and those may
       * not be seen where one thread walks them (the depth bound counts from another path). */
      g_hash_table_remove_all (cur->visited);
      g_hash_table_add (cur->visited, &walk->top->id);
      for (guint k = i * walk->chunk; k < MIN ((i + 1) * walk->chunk, n); k++)
        walk_child (part, walk->top_fd, g_ptr_array_index (walk->top->subdirs, k), 1,
                    walk->top_read);
      part->cur = NULL;
      walk->parts[i] = part;
    }

  return NULL;
}

/* Whether @part visited a folder that the parts before it did. */
static gboolean
part_meets_earlier (Part       *part,
                    GHashTable *visited)
{
  for (guint i = 0; i < part->ids->len; i++)
    if (g_hash_table_contains (visited, &g_array_index (part->ids, DirId, i)))
      return TRUE;
  return FALSE;
}

/* Moves what @part found into @into (the part of outputs/ itself). */
static void
part_join (Part *into,
           Part *part)
{
  if (part->dirs->len > 0)
    {
      g_array_append_vals (into->dirs, part->dirs->data, part->dirs->len);
      g_array_set_clear_func (part->dirs, NULL);   /* moved */
      g_array_set_size (part->dirs, 0);
    }

  if (part->runs != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      if (into->runs == NULL)
        into->runs = runs_table_new ();
      g_hash_table_iter_init (&iter, part->runs);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_hash_table_iter_steal (&iter);
          if (g_hash_table_contains (into->runs, key))
            {
              g_ref_string_release (key);
              run_entry_unref (value);
            }
          else
            g_hash_table_insert (into->runs, key, value);
        }
    }

  g_ptr_array_extend_and_steal (into->items, g_steal_pointer (&part->items));
  into->changed |= part->changed;
  into->stats.n_dirs_read += part->stats.n_dirs_read;
  into->stats.n_dirs_reused += part->stats.n_dirs_reused;
  into->stats.n_unreadable += part->stats.n_unreadable;
  into->stats.n_loops += part->stats.n_loops;
  into->stats.n_too_deep += part->stats.n_too_deep;
  into->stats.n_runs_read += part->stats.n_runs_read;
}

/* Walks the folders of outputs/ on @n_threads threads and joins what they found into @top
 * (whose cursor's visited set is the walk's). Returns the number of threads it had. */
static guint
walk_top_parallel (Walk  *walk,
                   Part  *top,
                   guint  n_threads)
{
  guint n_folders = walk->top->subdirs->len;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree Worker *workers = g_new0 (Worker, n_threads);
  gboolean met_link = top->met_link;
  guint n;

  /* Chunks of folders, enough of them for the threads to end together. */
  walk->chunk = CLAMP (n_folders / (n_threads * 16), 1, 64);
  n = walk->n_parts = (n_folders + walk->chunk - 1) / walk->chunk;
  walk->parts = g_new0 (Part *, n);
  walk->cursors = g_new0 (Cursor *, n_threads);
  for (guint t = 0; t < n_threads; t++)
    {
      workers[t].walk = walk;
      workers[t].index = t;
    }
  for (guint t = 1; t < n_threads; t++)
    {
      GThread *thread = g_thread_try_new ("cb-scan", part_worker, &workers[t], NULL);

      if (thread != NULL)
        g_ptr_array_add (threads, thread);
    }
  part_worker (&workers[0]);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
  for (guint t = 0; t < n_threads; t++)
    g_clear_pointer (&walk->cursors[t], cursor_free);
  g_clear_pointer (&walk->cursors, g_free);

  for (guint i = 0; i < n; i++)
    met_link |= walk->parts[i] != NULL && walk->parts[i]->met_link;

  for (guint i = 0; i < n && !g_cancellable_is_cancelled (walk->cancellable); i++)
    {
      Part *part = walk->parts[i];

      /* Only symlinks make two parts meet (or a part meet outputs/ itself). */
      if (met_link && (part == NULL || part_meets_earlier (part, top->cur->visited)))
        {
          /* Walked again, after the earlier ones, as one thread would have. */
          part_free (part);
          part = part_new (walk, top->cur, FALSE);
          for (guint k = i * walk->chunk; k < MIN ((i + 1) * walk->chunk, n_folders); k++)
            walk_child (part, walk->top_fd, g_ptr_array_index (walk->top->subdirs, k), 1,
                        walk->top_read);
          walk->parts[i] = part;
        }
      else if (met_link)
        {
          for (guint k = 0; k < part->ids->len; k++)
            g_hash_table_add (top->cur->visited, &g_array_index (part->ids, DirId, k));
        }
      if (part != NULL)
        part_join (top, part);
    }

  for (guint i = 0; i < n; i++)
    g_clear_pointer (&walk->parts[i], part_free);
  g_clear_pointer (&walk->parts, g_free);
  return threads->len + 1;
}

/* Runs the walk where it is called; the caller checks for cancellation. */
static void
walk_run (Walk *walk)
{
  gint64 start = g_get_monotonic_time ();
  Cursor *cur;
  Part *part;

  walk->stats.thread = g_thread_self ();
  walk->stats.n_threads = 1;
  cur = cursor_new (walk, NULL);
  part = part_new (walk, cur, FALSE);

  walk->outputs_fd = open (walk->outputs_abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
  if (walk->outputs_fd >= 0)
    {
      walk->top = visit_dir (part, -1, NULL, FALSE, &walk->top_fd);
      walk->top_read = walk->top_fd >= 0;
      if (walk->top != NULL)
        {
          guint n = walk->top->subdirs->len;
          guint n_threads = MIN (walk->max_threads, n / MIN_FOLDERS_PER_THREAD);

          if (n_threads > 1 && walk->max_depth > 0)
            walk->stats.n_threads = walk_top_parallel (walk, part, n_threads);
          else
            walk_children (part, walk->top, walk->top_fd, 0, walk->top_read);
        }
      if (walk->top_fd >= 0)
        close (walk->top_fd);
      walk->top_fd = -1;
      walk->top = NULL;
      close (walk->outputs_fd);
      walk->outputs_fd = -1;
    }
  else if (errno != ENOENT && errno != ENOTDIR)
    part->stats.n_unreadable++;

  /* Its keys are in the listings, which the main thread may free from now on. */
  cursor_free (cur);

  walk->dirs = g_hash_table_new_full (g_str_hash, g_str_equal,
                                      (GDestroyNotify) g_ref_string_release,
                                      (GDestroyNotify) dir_listing_unref);
  for (guint i = 0; i < part->dirs->len; i++)
    {
      Found *found = &g_array_index (part->dirs, Found, i);

      g_hash_table_insert (walk->dirs, found->key, found->listing);
    }
  g_array_set_clear_func (part->dirs, NULL);   /* moved */
  walk->runs = part->runs ? g_steal_pointer (&part->runs) : runs_table_new ();
  walk->items = g_steal_pointer (&part->items);
  walk->changed = part->changed;
  walk->stats.n_dirs_read = part->stats.n_dirs_read;
  walk->stats.n_dirs_reused = part->stats.n_dirs_reused;
  walk->stats.n_unreadable = part->stats.n_unreadable;
  walk->stats.n_loops = part->stats.n_loops;
  walk->stats.n_too_deep = part->stats.n_too_deep;
  walk->stats.n_runs_read = part->stats.n_runs_read;
  part_free (part);

  /* Every folder reused as it was, the same number of them (so the same ones), every object
   * reused: the walk met the same objects in the same order as the previous one, and the
   * model already holds them, sorted. */
  walk->unchanged = !walk->changed && walk->prev_dirs != NULL &&
                    g_hash_table_size (walk->dirs) == g_hash_table_size (walk->prev_dirs);

  if (!g_cancellable_is_cancelled (walk->cancellable))
    {
      if (!walk->unchanged)
        sort_items (walk->items);
      walk->stats.n_checkpoints = walk->items->len;
    }
  walk->stats.seconds = (g_get_monotonic_time () - start) / 1e6;
}

static void
scan_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Walk *walk = task_data;

  walk_run (walk);
  cb_done_latch_open (&walk->done);

  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_boolean (task, TRUE);
}

/* Drops what a walk holds of checkpoint objects and listings, on the main thread, so that the
 * objects the model shared with it are never finalized on the worker. */
static void
walk_release (Walk *walk)
{
  g_clear_pointer (&walk->items, g_ptr_array_unref);
  g_clear_pointer (&walk->dirs, g_hash_table_unref);
  g_clear_pointer (&walk->runs, g_hash_table_unref);
  g_clear_pointer (&walk->prev_dirs, g_hash_table_unref);
  g_clear_pointer (&walk->prev_runs, g_hash_table_unref);
}

/* ---- applying a result --------------------------------------------------------------- */

static gboolean
run_info_equal (const CbRunInfo *a,
                const CbRunInfo *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return g_strcmp0 (a->exp_name, b->exp_name) == 0 &&
         g_strcmp0 (a->architecture, b->architecture) == 0 &&
         g_strcmp0 (a->encoder, b->encoder) == 0 &&
         g_strcmp0 (a->decoder, b->decoder) == 0 &&
         g_strcmp0 (a->head, b->head) == 0 &&
         g_strcmp0 (a->loss, b->loss) == 0 &&
         g_strcmp0 (a->preprocessing_profile, b->preprocessing_profile) == 0;
}

/* An item the model can keep: the same object, or the same file with the same run facts. */
static gboolean
same_item (CbCheckpoint *old,
           CbCheckpoint *item)
{
  return old == item ||
         (cb_checkpoint_same_file (old, item) &&
          run_info_equal (cb_checkpoint_get_run_info (old), cb_checkpoint_get_run_info (item)));
}

/* Updates the store in place: keeps the longest run of unchanged items that are still in
 * order, removes the rest and inserts what is new. */
static void
apply_items (CbCheckpointScanner *self,
             GPtrArray           *items)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autoptr(GHashTable) new_index = NULL;
  g_autofree int *target = NULL;
  g_autofree int *tails = NULL;
  g_autofree int *prev = NULL;
  g_autofree gboolean *keep_old = NULL;
  g_autofree gboolean *keep_new = NULL;
  int length = 0;

  /* The common case, nothing changed: the walk handed back the very same objects. */
  if (n_old == items->len)
    {
      guint i;

      for (i = 0; i < n_old; i++)
        {
          g_autoptr(CbCheckpoint) old = g_list_model_get_item (G_LIST_MODEL (self->store), i);

          if (old != g_ptr_array_index (items, i))
            break;
        }
      if (i == n_old)
        return;
    }

  /* The first walk: everything is new, in order. */
  if (n_old == 0)
    {
      if (items->len > 0)
        g_list_store_splice (self->store, 0, 0, items->pdata, items->len);
      return;
    }

  new_index = g_hash_table_new (g_str_hash, g_str_equal);
  target = g_new0 (int, n_old + 1);
  tails = g_new0 (int, n_old + 1);
  prev = g_new0 (int, n_old + 1);
  keep_old = g_new0 (gboolean, n_old + 1);
  keep_new = g_new0 (gboolean, items->len + 1);

  for (guint j = 0; j < items->len; j++)
    g_hash_table_insert (new_index, (gpointer) cb_checkpoint_get_path (g_ptr_array_index (items, j)),
                         GUINT_TO_POINTER (j + 1));

  for (guint i = 0; i < n_old; i++)
    {
      g_autoptr(CbCheckpoint) old = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (new_index, cb_checkpoint_get_path (old)));

      target[i] = j > 0 && same_item (old, g_ptr_array_index (items, j - 1)) ? (int) j - 1 : -1;
    }

  /* Longest increasing subsequence of target[] (patience sorting). */
  for (guint i = 0; i < n_old; i++)
    {
      int lo = 0, hi = length;

      if (target[i] < 0)
        continue;
      while (lo < hi)
        {
          int mid = (lo + hi) / 2;

          if (target[tails[mid]] < target[i])
            lo = mid + 1;
          else
            hi = mid;
        }
      prev[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = (int) i;
      if (lo == length)
        length++;
    }
  for (int k = length > 0 ? tails[length - 1] : -1; k >= 0; k = prev[k])
    {
      keep_old[k] = TRUE;
      keep_new[target[k]] = TRUE;
    }

  /* Remove from the end, in contiguous ranges. */
  for (guint i = n_old; i > 0;)
    {
      guint end = i;

      while (i > 0 && !keep_old[i - 1])
        i--;
      if (i < end)
        g_list_store_splice (self->store, i, end - i, NULL, 0);
      while (i > 0 && keep_old[i - 1])
        i--;
    }

  /* Insert the new items at their final positions, in contiguous ranges. */
  for (guint j = 0; j < items->len;)
    {
      guint start = j;

      while (j < items->len && !keep_new[j])
        j++;
      if (j > start)
        g_list_store_splice (self->store, start, 0, items->pdata + start, j - start);
      while (j < items->len && keep_new[j])
        j++;
    }
}

/* Applies a finished walk's result: the tables for the next walk, the model, the signals. */
static void
install_walk (CbCheckpointScanner *self,
              Walk                *walk)
{
  g_clear_pointer (&self->dirs, g_hash_table_unref);
  self->dirs = g_steal_pointer (&walk->dirs);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  self->runs = g_steal_pointer (&walk->runs);
  self->stats = walk->stats;
  if (!walk->unchanged)
    apply_items (self, walk->items);
  walk_release (walk);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_signal_emit (self, signals[SCANNED], 0);

  /* The same folders as last time: the same ones to watch. */
  if (self->watch && (!walk->unchanged || g_hash_table_size (self->monitors) == 0))
    arm_monitors (self);
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbCheckpointScanner *self = CB_CHECKPOINT_SCANNER (object);
  GTask *outer = user_data;
  Walk *walk = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (self->latest == G_TASK (result))
    g_clear_object (&self->latest);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      walk_release (walk);
      g_task_return_error (outer, g_steal_pointer (&error));
      g_object_unref (outer);
      return;
    }

  /* Unless cb_checkpoint_scanner_install_finished() applied it already. */
  if (!walk->installed)
    install_walk (self, walk);

  g_task_return_boolean (outer, TRUE);
  g_object_unref (outer);
}

/**
 * cb_checkpoint_scanner_install_finished:
 * @wait_us: how long to wait for the latest walk to end, at most
 *
 * Applies the result of the latest walk now if its worker is done (or is done within
 * @wait_us), instead of when its callback runs from the main loop. A window built at
 * start-up calls it before it binds its pickers, so that they are full in its first frame
 * rather than filled (and measured again) just before it. Main thread only.
 *
 * Returns: whether the scanner has a result (#CbCheckpointScanner:loaded)
 */
gboolean
cb_checkpoint_scanner_install_finished (CbCheckpointScanner *self,
                                        gint64               wait_us)
{
  Walk *walk;

  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), FALSE);

  if (self->latest == NULL)
    return self->loaded;
  walk = g_task_get_task_data (self->latest);
  if (walk->installed)
    return self->loaded;

  /* After done the worker no longer touches the walk. */
  if (cb_done_latch_wait (&walk->done, wait_us) &&
      !g_cancellable_is_cancelled (walk->cancellable))
    {
      walk->installed = TRUE;
      install_walk (self, walk);
    }

  return self->loaded;
}

static void
strip_trailing_slashes (char *path)
{
  gsize len = strlen (path);

  while (len > 1 && path[len - 1] == '/')
    path[--len] = '\0';
}

static Walk *
walk_new (CbCheckpointScanner *self,
          GCancellable        *cancellable)
{
  Walk *walk = g_new0 (Walk, 1);

  walk->root = g_strdup (self->project_root);
  walk->outputs_rel = g_strdup (self->outputs_dir);
  walk->outputs_abs = g_strdup (self->outputs_abs);
  /* Paths are joined with '/' below, as g_build_filename() would: no trailing separator. */
  strip_trailing_slashes (walk->outputs_rel);
  walk->outputs_rel_len = strlen (walk->outputs_rel);
  walk->outputs_abs_len = strlen (walk->outputs_abs);
  walk->outputs_fd = -1;
  walk->top_fd = -1;
  walk->max_depth = self->max_depth;
  walk->max_threads = self->max_threads;
  walk->foreground = self->foreground;
  walk->prev_dirs = self->dirs ? g_hash_table_ref (self->dirs) : NULL;
  walk->prev_runs = self->runs ? g_hash_table_ref (self->runs) : NULL;
  walk->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  cb_done_latch_init (&walk->done);

  return walk;
}

void
cb_checkpoint_scanner_scan_async (CbCheckpointScanner *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *outer;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CB_IS_CHECKPOINT_SCANNER (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cb_checkpoint_scanner_scan_async);

  task = g_task_new (self, cancellable, scan_done_cb, outer);
  g_task_set_source_tag (task, scan_worker);
  g_task_set_task_data (task, walk_new (self, cancellable), (GDestroyNotify) walk_free);
  g_set_object (&self->latest, task);
  g_task_run_in_thread (task, scan_worker);
}

gboolean
cb_checkpoint_scanner_scan_finish (CbCheckpointScanner  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* For the headless interface and benchmarks: the same walk, on the calling thread. */
gboolean
cb_checkpoint_scanner_scan_sync (CbCheckpointScanner  *self,
                                 GCancellable         *cancellable,
                                 GError              **error)
{
  Walk *walk;

  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), FALSE);

  walk = walk_new (self, cancellable);
  walk_run (walk);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      walk_free (walk);
      return FALSE;
    }

  g_clear_pointer (&self->dirs, g_hash_table_unref);
  self->dirs = g_steal_pointer (&walk->dirs);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  self->runs = g_steal_pointer (&walk->runs);
  self->stats = walk->stats;
  if (!walk->unchanged)
    apply_items (self, walk->items);
  self->loaded = TRUE;
  walk_free (walk);

  return TRUE;
}

static void
rescan_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cb_checkpoint_scanner_scan_finish (CB_CHECKPOINT_SCANNER (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Scanning checkpoints failed: %s", error->message);
}

/* Starts a new scan now, cancelling one that is still running. */
void
cb_checkpoint_scanner_rescan (CbCheckpointScanner *self)
{
  g_return_if_fail (CB_IS_CHECKPOINT_SCANNER (self));

  g_clear_handle_id (&self->rescan_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  cb_checkpoint_scanner_scan_async (self, self->cancellable, rescan_done_cb, NULL);
}

static gboolean
rescan_timeout_cb (gpointer user_data)
{
  CbCheckpointScanner *self = user_data;

  self->rescan_id = 0;
  cb_checkpoint_scanner_rescan (self);
  return G_SOURCE_REMOVE;
}

static void
monitor_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  CbCheckpointScanner *self = user_data;

  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT ||
      event == G_FILE_MONITOR_EVENT_CREATED ||
      event == G_FILE_MONITOR_EVENT_DELETED ||
      event == G_FILE_MONITOR_EVENT_MOVED_IN ||
      event == G_FILE_MONITOR_EVENT_MOVED_OUT ||
      event == G_FILE_MONITOR_EVENT_RENAMED)
    {
      g_clear_handle_id (&self->rescan_id, g_source_remove);
      self->rescan_id = g_timeout_add (RESCAN_DELAY_MS, rescan_timeout_cb, self);
    }
}

/* Moves the monitor of @path from self->monitors to @kept, creating it if there is none. */
static void
watch_dir (CbCheckpointScanner *self,
           GHashTable          *kept,
           const char          *path)
{
  g_autoptr(GFile) file = NULL;
  GFileMonitor *monitor;
  gpointer key = NULL, value = NULL;

  if (g_hash_table_contains (kept, path))
    return;
  if (g_hash_table_steal_extended (self->monitors, path, &key, &value))
    {
      g_hash_table_insert (kept, key, value);
      return;
    }

  file = g_file_new_for_path (path);
  monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (monitor == NULL)
    return;
  g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed_cb), self, 0);
  g_hash_table_insert (kept, g_strdup (path), monitor);
}

typedef struct
{
  const char *path;   /* a key of self->dirs */
  gint64      mtime_ns;
} WatchCandidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const WatchCandidate *ca = a;
  const WatchCandidate *cb = b;

  if (ca->mtime_ns != cb->mtime_ns)
    return ca->mtime_ns < cb->mtime_ns ? 1 : -1;
  return strcmp (ca->path, cb->path);
}

/* Watches the outputs folder and, for the MAX_WATCHED_RUNS most recently changed runs, their
 * checkpoints/ folder (or the run folder while it has none: a fresh run); the project root
 * while outputs/ does not exist. Monitors of folders no longer among them are dropped. What
 * to watch comes from the last walk's listings: nothing is read from disk here, on the main
 * thread. */
static void
arm_monitors (CbCheckpointScanner *self)
{
  const char *outputs = self->outputs_abs;
  g_autoptr(GHashTable) kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      g_object_unref);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (WatchCandidate));
  g_autoptr(GString) path = g_string_new (NULL);
  DirListing *top;

  top = self->dirs ? g_hash_table_lookup (self->dirs, outputs) : NULL;
  if (top == NULL)
    watch_dir (self, kept, self->project_root);
  else
    {
      watch_dir (self, kept, outputs);

      for (guint i = 0; i < top->subdirs->len; i++)
        {
          const char *name = g_ptr_array_index (top->subdirs, i);
          WatchCandidate candidate = { NULL, 0 };
          gpointer key, listing;

          g_string_printf (path, "%s/%s/checkpoints", outputs, name);
          if (g_hash_table_lookup_extended (self->dirs, path->str, &key, &listing))
            {
              candidate.path = key;
              candidate.mtime_ns = ((DirListing *) listing)->mtime_ns;
            }
          else
            {
              g_string_truncate (path, path->len - strlen ("/checkpoints"));
              if (g_hash_table_lookup_extended (self->dirs, path->str, &key, &listing))
                {
                  candidate.path = key;
                  candidate.mtime_ns = ((DirListing *) listing)->mtime_ns;
                }
            }
          if (candidate.path != NULL)
            g_array_append_val (candidates, candidate);
        }

      g_array_sort (candidates, compare_candidates);
      for (guint i = 0; i < MIN (candidates->len, MAX_WATCHED_RUNS); i++)
        watch_dir (self, kept, g_array_index (candidates, WatchCandidate, i).path);
    }

  /* What is left in self->monitors is no longer watched. */
  g_hash_table_unref (self->monitors);
  self->monitors = g_steal_pointer (&kept);
}

/* For tests: how many folders are watched now, and whether @path (absolute) is. */
guint
cb_checkpoint_scanner_get_n_watched (CbCheckpointScanner *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), 0);
  return g_hash_table_size (self->monitors);
}

gboolean
cb_checkpoint_scanner_is_watching (CbCheckpointScanner *self,
                                   const char          *path)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), FALSE);
  return g_hash_table_contains (self->monitors, path);
}

void
cb_checkpoint_scanner_watch (CbCheckpointScanner *self)
{
  g_return_if_fail (CB_IS_CHECKPOINT_SCANNER (self));

  if (self->watch)
    return;
  self->watch = TRUE;
  if (self->loaded)
    arm_monitors (self);
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
cb_checkpoint_scanner_dispose (GObject *object)
{
  CbCheckpointScanner *self = CB_CHECKPOINT_SCANNER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->rescan_id, g_source_remove);
  g_clear_pointer (&self->monitors, g_hash_table_unref);
  g_clear_object (&self->latest);

  G_OBJECT_CLASS (cb_checkpoint_scanner_parent_class)->dispose (object);
}

static void
cb_checkpoint_scanner_finalize (GObject *object)
{
  CbCheckpointScanner *self = CB_CHECKPOINT_SCANNER (object);

  g_free (self->project_root);
  g_free (self->outputs_dir);
  g_free (self->outputs_abs);
  g_clear_object (&self->store);
  g_clear_pointer (&self->dirs, g_hash_table_unref);
  g_clear_pointer (&self->runs, g_hash_table_unref);

  G_OBJECT_CLASS (cb_checkpoint_scanner_parent_class)->finalize (object);
}

static void
cb_checkpoint_scanner_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CbCheckpointScanner *self = CB_CHECKPOINT_SCANNER (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_checkpoint_scanner_class_init (CbCheckpointScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cb_checkpoint_scanner_dispose;
  object_class->finalize = cb_checkpoint_scanner_finalize;
  object_class->get_property = cb_checkpoint_scanner_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CbCheckpointScanner::scanned:
   *
   * Emitted on the main thread after each finished walk, once the model is up to date.
   */
  signals[SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cb_checkpoint_scanner_init (CbCheckpointScanner *self)
{
  self->store = g_list_store_new (CB_TYPE_CHECKPOINT);
  self->max_depth = DEFAULT_MAX_DEPTH;
  self->max_threads = CLAMP (g_get_num_processors (), 1, MAX_THREADS);
  self->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

CbCheckpointScanner *
cb_checkpoint_scanner_new (const char *project_root,
                           const char *outputs_dir)
{
  CbCheckpointScanner *self;

  g_return_val_if_fail (project_root != NULL, NULL);

  self = g_object_new (CB_TYPE_CHECKPOINT_SCANNER, NULL);
  self->project_root = g_strdup (project_root);
  self->outputs_dir = g_strdup (outputs_dir ? outputs_dir : "outputs");
  self->outputs_abs = g_path_is_absolute (self->outputs_dir)
                        ? g_strdup (self->outputs_dir)
                        : g_build_filename (self->project_root, self->outputs_dir, NULL);
  strip_trailing_slashes (self->outputs_abs);
  return self;
}

GListModel *
cb_checkpoint_scanner_get_model (CbCheckpointScanner *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), NULL);
  return G_LIST_MODEL (self->store);
}

const CbScanStats *
cb_checkpoint_scanner_get_stats (CbCheckpointScanner *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), NULL);
  return &self->stats;
}

gboolean
cb_checkpoint_scanner_get_loaded (CbCheckpointScanner *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), FALSE);
  return self->loaded;
}

void
cb_checkpoint_scanner_set_max_depth (CbCheckpointScanner *self,
                                     guint                max_depth)
{
  g_return_if_fail (CB_IS_CHECKPOINT_SCANNER (self));
  self->max_depth = max_depth;
}

/* How many threads a walk may use (for outputs/ folders with enough folders in it); 0 is
 * one per processor, up to 4. */
void
cb_checkpoint_scanner_set_max_threads (CbCheckpointScanner *self,
                                       guint                max_threads)
{
  g_return_if_fail (CB_IS_CHECKPOINT_SCANNER (self));
  self->max_threads = max_threads > 0 ? max_threads
                                      : CLAMP (g_get_num_processors (), 1, MAX_THREADS);
}

/* Whether the walk's extra threads run at the priority of the calling one. By default they
 * yield (nice 10), so that at start-up the UI thread goes first; a command-line listing has
 * no UI to protect, and its user waits for the whole walk. */
void
cb_checkpoint_scanner_set_foreground (CbCheckpointScanner *self,
                                      gboolean             foreground)
{
  g_return_if_fail (CB_IS_CHECKPOINT_SCANNER (self));
  self->foreground = !!foreground;
}

char **
cb_checkpoint_scanner_get_paths (CbCheckpointScanner *self)
{
  guint n;
  char **paths;

  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  paths = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbCheckpoint) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      paths[i] = g_strdup (cb_checkpoint_get_path (item));
    }

  return paths;
}

CbCheckpoint *
cb_checkpoint_scanner_find (CbCheckpointScanner *self,
                            const char          *path)
{
  guint n;

  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; path != NULL && i < n; i++)
    {
      g_autoptr(CbCheckpoint) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_str_equal (cb_checkpoint_get_path (item), path))
        return item;
    }

  return NULL;
}
