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
 *  - a folder whose modification time has not changed since the previous walk is not read
 *    again: its listing is reused (an unchanged rescan only stats folders);
 *  - each run folder's .hydra/overrides.yaml and config.yaml say what the run was trained
 *    with; they are read again only when they change.
 *
 * The result is one GListStore, newest first and grouped by run (runs ordered by their
 * newest checkpoint), updated in place: unchanged items keep their objects and positions
 * relative to each other, so a picker bound to it keeps its selection.
 */

#define G_LOG_DOMAIN "cb-checkpoint-scanner"

#include "config.h"

#include "cb/cb-checkpoint-scanner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_DEPTH 8
#define RESCAN_DELAY_MS 400
#define MAX_WATCHED_RUNS 256

typedef struct
{
  char   *name;
  gint64  size;
  gint64  mtime;
} FileEntry;

typedef struct
{
  gatomicrefcount  ref_count;
  gint64           mtime_ns;
  GPtrArray       *files;    /* FileEntry: *.ckpt */
  GPtrArray       *subdirs;  /* char*: folder names (symlinks to folders included) */
} DirListing;

typedef struct
{
  gatomicrefcount  ref_count;
  gint64           stamp;    /* mtimes of overrides.yaml and config.yaml combined */
  CbRunInfo       *info;     /* may be NULL */
} RunEntry;

struct _CbCheckpointScanner
{
  GObject          parent_instance;
  char            *project_root;
  char            *outputs_dir;   /* relative to the root, or absolute */
  guint            max_depth;
  GListStore      *store;
  GHashTable      *dirs;          /* abs path -> DirListing, from the last finished walk */
  GHashTable      *runs;          /* abs run path -> RunEntry */
  CbScanStats      stats;
  GCancellable    *cancellable;   /* of the current rescan */
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

static void
file_entry_free (FileEntry *entry)
{
  g_free (entry->name);
  g_free (entry);
}

static DirListing *
dir_listing_new (gint64 mtime_ns)
{
  DirListing *listing = g_new0 (DirListing, 1);

  g_atomic_ref_count_init (&listing->ref_count);
  listing->mtime_ns = mtime_ns;
  listing->files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_entry_free);
  listing->subdirs = g_ptr_array_new_with_free_func (g_free);
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
      g_free (listing);
    }
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

/* ---- the walk ------------------------------------------------------------------------ */

typedef struct
{
  /* inputs (copies, or read-only tables shared with the main thread) */
  char          *root;
  char          *outputs_abs;
  char          *outputs_rel;
  guint          max_depth;
  GHashTable    *prev_dirs;
  GHashTable    *prev_runs;
  /* outputs */
  GHashTable    *dirs;
  GHashTable    *runs;
  GHashTable    *visited;       /* "dev:ino" */
  GPtrArray     *items;         /* CbCheckpoint */
  CbScanStats    stats;
  GCancellable  *cancellable;
} Walk;

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
  g_clear_pointer (&walk->visited, g_hash_table_unref);
  g_clear_pointer (&walk->items, g_ptr_array_unref);
  g_clear_object (&walk->cancellable);
  g_free (walk);
}

static gint64
stat_mtime_ns (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

static DirListing *
read_listing (Walk       *walk,
              const char *path,
              gint64      mtime_ns)
{
  DirListing *listing;
  DIR *dir;
  struct dirent *entry;
  int fd;

  dir = opendir (path);
  if (dir == NULL)
    {
      if (errno != ENOENT && errno != ENOTDIR)
        walk->stats.n_unreadable++;
      return NULL;
    }
  walk->stats.n_dirs_read++;
  fd = dirfd (dir);
  listing = dir_listing_new (mtime_ns);

  while ((entry = readdir (dir)) != NULL)
    {
      const char *name = entry->d_name;
      unsigned char type = entry->d_type;
      gboolean is_ckpt;

      /* Hidden entries (and . and ..) are not walked. */
      if (name[0] == '.')
        continue;

      is_ckpt = g_str_has_suffix (name, ".ckpt");
      if (type == DT_DIR)
        {
          g_ptr_array_add (listing->subdirs, g_strdup (name));
          continue;
        }
      if (type == DT_REG && !is_ckpt)
        continue;
      if ((type == DT_LNK || type == DT_UNKNOWN) || is_ckpt)
        {
          struct stat st;

          /* Follows symlinks; a dangling one is skipped. */
          if (fstatat (fd, name, &st, 0) != 0)
            continue;
          if (S_ISDIR (st.st_mode))
            g_ptr_array_add (listing->subdirs, g_strdup (name));
          else if (S_ISREG (st.st_mode) && is_ckpt)
            {
              FileEntry *file = g_new0 (FileEntry, 1);

              file->name = g_strdup (name);
              file->size = st.st_size;
              file->mtime = st.st_mtim.tv_sec;
              g_ptr_array_add (listing->files, file);
            }
        }
    }

  closedir (dir);
  return listing;
}

static const CbRunInfo *
run_info_for (Walk       *walk,
              const char *run_dir)
{
  g_autofree char *overrides = g_build_filename (run_dir, ".hydra", "overrides.yaml", NULL);
  g_autofree char *config = g_build_filename (run_dir, ".hydra", "config.yaml", NULL);
  RunEntry *entry;
  RunEntry *old;
  struct stat st;
  gint64 stamp = 0;

  entry = g_hash_table_lookup (walk->runs, run_dir);
  if (entry != NULL)
    return entry->info;

  if (stat (overrides, &st) == 0)
    stamp ^= stat_mtime_ns (&st) * 31 + st.st_size;
  if (stat (config, &st) == 0)
    stamp ^= stat_mtime_ns (&st) * 17 + st.st_size + 1;

  old = walk->prev_runs ? g_hash_table_lookup (walk->prev_runs, run_dir) : NULL;
  if (old != NULL && old->stamp == stamp)
    entry = run_entry_ref (old);
  else
    {
      entry = g_new0 (RunEntry, 1);
      g_atomic_ref_count_init (&entry->ref_count);
      entry->stamp = stamp;
      entry->info = stamp != 0 ? cb_run_info_read (run_dir) : NULL;
      walk->stats.n_runs_read += stamp != 0;
    }

  g_hash_table_insert (walk->runs, g_strdup (run_dir), entry);
  return entry->info;
}

static void
walk_dir (Walk       *walk,
          const char *path,
          const char *relative,  /* to the outputs folder; "" for outputs itself */
          guint       depth)
{
  DirListing *listing = NULL;
  DirListing *old;
  struct stat st;
  char key[64];

  if (g_cancellable_is_cancelled (walk->cancellable))
    return;

  if (stat (path, &st) != 0 || !S_ISDIR (st.st_mode))
    return;

  g_snprintf (key, sizeof key, "%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
              (guint64) st.st_dev, (guint64) st.st_ino);
  if (!g_hash_table_add (walk->visited, g_strdup (key)))
    {
      walk->stats.n_loops++;
      return;
    }

  old = walk->prev_dirs ? g_hash_table_lookup (walk->prev_dirs, path) : NULL;
  if (old != NULL && old->mtime_ns == stat_mtime_ns (&st))
    {
      listing = dir_listing_ref (old);
      walk->stats.n_dirs_reused++;
    }
  else
    listing = read_listing (walk, path, stat_mtime_ns (&st));

  if (listing == NULL)
    return;
  g_hash_table_insert (walk->dirs, g_strdup (path), listing);

  if (listing->files->len > 0)
    {
      /* outputs/<run>/checkpoints/x.ckpt belongs to <run>; other layouts to their folder. */
      g_autofree char *base = g_path_get_basename (path);
      gboolean in_checkpoints = g_str_equal (base, "checkpoints") && *relative != '\0';
      g_autofree char *run_dir = in_checkpoints ? g_path_get_dirname (path) : g_strdup (path);
      g_autofree char *run = NULL;
      const CbRunInfo *info = run_info_for (walk, run_dir);

      if (in_checkpoints)
        run = g_path_get_dirname (relative);
      else
        run = g_strdup (relative);
      if (g_str_equal (run, "."))
        g_clear_pointer (&run, g_free);

      for (guint i = 0; i < listing->files->len; i++)
        {
          const FileEntry *file = g_ptr_array_index (listing->files, i);
          g_autofree char *rel = *relative ? g_build_filename (walk->outputs_rel, relative,
                                                               file->name, NULL)
                                           : g_build_filename (walk->outputs_rel, file->name, NULL);

          g_ptr_array_add (walk->items,
                           cb_checkpoint_new (rel, run ? run : "", file->size, file->mtime, info));
        }
    }

  for (guint i = 0; i < listing->subdirs->len; i++)
    {
      const char *name = g_ptr_array_index (listing->subdirs, i);
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *child_rel = *relative ? g_build_filename (relative, name, NULL)
                                             : g_strdup (name);

      if (depth + 1 > walk->max_depth)
        {
          walk->stats.n_too_deep++;
          continue;
        }
      walk_dir (walk, child, child_rel, depth + 1);
    }
}

typedef struct
{
  CbCheckpoint *item;
  gint64        run_newest;
} SortEntry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SortEntry *ea = a;
  const SortEntry *eb = b;
  int cmp;

  if (ea->run_newest != eb->run_newest)
    return ea->run_newest < eb->run_newest ? 1 : -1;
  cmp = g_strcmp0 (cb_checkpoint_get_run (ea->item), cb_checkpoint_get_run (eb->item));
  if (cmp != 0)
    return cmp;
  if (cb_checkpoint_get_mtime (ea->item) != cb_checkpoint_get_mtime (eb->item))
    return cb_checkpoint_get_mtime (ea->item) < cb_checkpoint_get_mtime (eb->item) ? 1 : -1;
  return g_strcmp0 (cb_checkpoint_get_path (ea->item), cb_checkpoint_get_path (eb->item));
}

/* Newest first, grouped by run; runs ordered by their newest checkpoint. */
static void
sort_items (GPtrArray *items)
{
  g_autoptr(GHashTable) newest = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) entries = g_array_sized_new (FALSE, FALSE, sizeof (SortEntry), items->len);

  for (guint i = 0; i < items->len; i++)
    {
      CbCheckpoint *item = g_ptr_array_index (items, i);
      const char *run = cb_checkpoint_get_run (item);
      gint64 mtime = cb_checkpoint_get_mtime (item);
      gpointer cur;

      if (!g_hash_table_lookup_extended (newest, run, NULL, &cur) ||
          mtime > (gint64) GPOINTER_TO_SIZE (cur) - 1)
        g_hash_table_insert (newest, (gpointer) run, GSIZE_TO_POINTER ((gsize) mtime + 1));
    }

  for (guint i = 0; i < items->len; i++)
    {
      SortEntry entry;

      entry.item = g_ptr_array_index (items, i);
      entry.run_newest = (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (newest,
                                                                         cb_checkpoint_get_run (entry.item))) - 1;
      g_array_append_val (entries, entry);
    }
  g_array_sort (entries, compare_entries);

  for (guint i = 0; i < items->len; i++)
    items->pdata[i] = g_array_index (entries, SortEntry, i).item;
}

static void
scan_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Walk *walk = task_data;
  gint64 start = g_get_monotonic_time ();

  walk->stats.thread = g_thread_self ();
  walk_dir (walk, walk->outputs_abs, "", 0);

  if (g_task_return_error_if_cancelled (task))
    return;

  sort_items (walk->items);
  walk->stats.n_checkpoints = walk->items->len;
  walk->stats.seconds = (g_get_monotonic_time () - start) / 1e6;
  g_task_return_boolean (task, TRUE);
}

/* ---- applying a result --------------------------------------------------------------- */

/* Updates the store in place: keeps the longest run of unchanged items that are still in
 * order, removes the rest and inserts what is new. */
static void
apply_items (CbCheckpointScanner *self,
             GPtrArray           *items)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autoptr(GHashTable) new_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree int *target = g_new0 (int, n_old + 1);
  g_autofree int *tails = g_new0 (int, n_old + 1);
  g_autofree int *prev = g_new0 (int, n_old + 1);
  g_autofree gboolean *keep_old = g_new0 (gboolean, n_old + 1);
  g_autofree gboolean *keep_new = g_new0 (gboolean, items->len + 1);
  g_autoptr(GPtrArray) final = g_ptr_array_new_with_free_func (g_object_unref);
  int length = 0;

  for (guint j = 0; j < items->len; j++)
    g_hash_table_insert (new_index, (gpointer) cb_checkpoint_get_path (g_ptr_array_index (items, j)),
                         GUINT_TO_POINTER (j + 1));

  for (guint i = 0; i < n_old; i++)
    {
      g_autoptr(CbCheckpoint) old = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (new_index, cb_checkpoint_get_path (old)));

      target[i] = j > 0 && cb_checkpoint_same_file (old, g_ptr_array_index (items, j - 1))
                    ? (int) j - 1 : -1;
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

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbCheckpointScanner *self = CB_CHECKPOINT_SCANNER (object);
  GTask *outer = user_data;
  Walk *walk = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      g_object_unref (outer);
      return;
    }

  g_clear_pointer (&self->dirs, g_hash_table_unref);
  self->dirs = g_steal_pointer (&walk->dirs);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  self->runs = g_steal_pointer (&walk->runs);
  self->stats = walk->stats;
  apply_items (self, walk->items);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_signal_emit (self, signals[SCANNED], 0);

  if (self->watch)
    arm_monitors (self);

  g_task_return_boolean (outer, TRUE);
  g_object_unref (outer);
}

static Walk *
walk_new (CbCheckpointScanner *self,
          GCancellable        *cancellable)
{
  Walk *walk = g_new0 (Walk, 1);

  walk->root = g_strdup (self->project_root);
  walk->outputs_rel = g_strdup (self->outputs_dir);
  walk->outputs_abs = g_path_is_absolute (self->outputs_dir)
                        ? g_strdup (self->outputs_dir)
                        : g_build_filename (self->project_root, self->outputs_dir, NULL);
  walk->max_depth = self->max_depth;
  walk->prev_dirs = self->dirs ? g_hash_table_ref (self->dirs) : NULL;
  walk->prev_runs = self->runs ? g_hash_table_ref (self->runs) : NULL;
  walk->dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) dir_listing_unref);
  walk->runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) run_entry_unref);
  walk->visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  walk->items = g_ptr_array_new_with_free_func (g_object_unref);
  walk->cancellable = cancellable ? g_object_ref (cancellable) : NULL;

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
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (CB_IS_CHECKPOINT_SCANNER (self), FALSE);

  walk = walk_new (self, cancellable);
  walk->stats.thread = g_thread_self ();
  walk_dir (walk, walk->outputs_abs, "", 0);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      walk_free (walk);
      return FALSE;
    }
  sort_items (walk->items);
  walk->stats.n_checkpoints = walk->items->len;
  walk->stats.seconds = (g_get_monotonic_time () - start) / 1e6;

  g_clear_pointer (&self->dirs, g_hash_table_unref);
  self->dirs = g_steal_pointer (&walk->dirs);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  self->runs = g_steal_pointer (&walk->runs);
  self->stats = walk->stats;
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

static void
watch_dir (CbCheckpointScanner *self,
           const char          *path)
{
  g_autoptr(GFile) file = NULL;
  GFileMonitor *monitor;

  if (g_hash_table_contains (self->monitors, path))
    return;

  file = g_file_new_for_path (path);
  monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (monitor == NULL)
    return;
  g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed_cb), self, 0);
  g_hash_table_insert (self->monitors, g_strdup (path), monitor);
}

/* Watches the outputs folder, its run folders and their checkpoints/ folders (for the most
 * recent runs), and the project root while outputs/ does not exist. */
static void
arm_monitors (CbCheckpointScanner *self)
{
  g_autofree char *outputs = g_path_is_absolute (self->outputs_dir)
                               ? g_strdup (self->outputs_dir)
                               : g_build_filename (self->project_root, self->outputs_dir, NULL);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint n_watched = 0;

  if (!g_file_test (outputs, G_FILE_TEST_IS_DIR))
    {
      watch_dir (self, self->project_root);
      return;
    }
  watch_dir (self, outputs);

  {
    g_autoptr(GDir) dir = g_dir_open (outputs, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL && n_watched < MAX_WATCHED_RUNS)
      {
        g_autofree char *run = g_build_filename (outputs, name, NULL);
        g_autofree char *ckpts = g_build_filename (run, "checkpoints", NULL);

        if (name[0] == '.')
          continue;
        if (g_hash_table_contains (self->dirs, ckpts))
          {
            watch_dir (self, ckpts);
            n_watched++;
          }
        else if (g_hash_table_contains (self->dirs, run) && n_items < MAX_WATCHED_RUNS)
          {
            /* A fresh run folder: its checkpoints/ will appear inside it. */
            watch_dir (self, run);
            n_watched++;
          }
      }
  }
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

  G_OBJECT_CLASS (cb_checkpoint_scanner_parent_class)->dispose (object);
}

static void
cb_checkpoint_scanner_finalize (GObject *object)
{
  CbCheckpointScanner *self = CB_CHECKPOINT_SCANNER (object);

  g_free (self->project_root);
  g_free (self->outputs_dir);
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
