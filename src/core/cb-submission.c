/* cb-submission.c: a prediction run's submission JSON, and the competition CSV made from it
 *
 * The OCR project's predict runner writes
 *
 *   {"images": {"<file name>": {"words": {"0001": {"points": [[x, y], ...],
 *                                                  "confidence": 0.97}, ...}}, ...}}
 *
 * (confidence only when asked for), and the competition takes a CSV with the columns
 * `filename,polygons` (plus `avg_confidence` for analysis): the polygons of an image joined
 * by `|`, each polygon's coordinates space-separated, `x0 y0 x1 y1 …`. Images and words keep
 * the order of the file. Numbers are written as the JSON had them (integers as integers, a
 * fraction the shortest way that reads back the same). A file name is quoted as CSV quotes
 * (double quotes around it, a quote doubled) when it holds a comma, a quote or a line break.
 * An image without words has an empty polygons cell and an empty avg_confidence.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-submission.h"

#include "cb/cb-cfg.h"
#include "cb/cb-file-read.h"
#include "cb/cb-json-write.h"
#include "cb/cb-yaml.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

struct _CbSubmission
{
  GObject  parent_instance;

  char    *path;
  GArray  *images;       /* CbSubmissionImage */
  gsize    n_polygons;
  gboolean confidence;   /* some word has one */
};

G_DEFINE_FINAL_TYPE (CbSubmission, cb_submission, G_TYPE_OBJECT)

G_DEFINE_QUARK (cb-submission-error-quark, cb_submission_error)

static void
image_clear (gpointer data)
{
  CbSubmissionImage *image = data;

  g_free (image->filename);
  for (guint i = 0; i < image->n_polygons; i++)
    g_free (image->polygons[i].xy);
  g_free (image->polygons);
}

static void
cb_submission_finalize (GObject *object)
{
  CbSubmission *self = CB_SUBMISSION (object);

  g_free (self->path);
  g_array_unref (self->images);

  G_OBJECT_CLASS (cb_submission_parent_class)->finalize (object);
}

static void
cb_submission_class_init (CbSubmissionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_submission_finalize;
}

static void
cb_submission_init (CbSubmission *self)
{
  self->images = g_array_new (FALSE, TRUE, sizeof (CbSubmissionImage));
  g_array_set_clear_func (self->images, image_clear);
}

/* ---- reading --------------------------------------------------------------------------- */

static gboolean
shape_error (GError     **error,
             const char  *display_name,
             const char  *where,
             const char  *what)
{
  g_set_error (error, CB_SUBMISSION_ERROR, CB_SUBMISSION_ERROR_SHAPE, "%s: %s: %s", display_name,
               where, what);
  return FALSE;
}

/* The same for a word, whose place is spelled out only when something is wrong with it. */
static gboolean
word_error (GError     **error,
            const char  *display_name,
            const char  *image_name,
            const char  *word_id,
            int          point,
            const char  *what)
{
  g_autofree char *where = point < 0
    ? g_strdup_printf ("images[\"%s\"].words[\"%s\"]", image_name, word_id)
    : g_strdup_printf ("images[\"%s\"].words[\"%s\"].points[%d]", image_name, word_id, point);

  return shape_error (error, display_name, where, what);
}

static gboolean
read_number (JsonNode *node,
             double   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (*value);
}

static gboolean
read_word (CbSubmission  *self,
           JsonNode      *node,
           const char    *display_name,
           const char    *image_name,
           const char    *word_id,
           CbPolygon     *polygon,
           GError       **error)
{
  JsonObject *word;
  JsonArray *points;
  JsonNode *confidence;
  guint n;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return word_error (error, display_name, image_name, word_id, -1,
                       _("a word must be an object with \"points\""));
  word = json_node_get_object (node);
  if (!json_object_has_member (word, "points")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (word, "points")))
    return word_error (error, display_name, image_name, word_id, -1,
                       _("\"points\" must be a list of [x, y] pairs"));
  points = json_object_get_array_member (word, "points");
  n = json_array_get_length (points);
  if (n > CB_SUBMISSION_MAX_POINTS)
    return word_error (error, display_name, image_name, word_id, -1,
                       _("more than 10,000 points"));

  polygon->n_points = n;
  polygon->xy = g_new (double, MAX (n, 1) * 2);
  polygon->confidence = NAN;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *pair = json_array_get_element (points, i);
      JsonArray *xy;

      if (!JSON_NODE_HOLDS_ARRAY (pair)
          || json_array_get_length (xy = json_node_get_array (pair)) != 2
          || !read_number (json_array_get_element (xy, 0), &polygon->xy[2 * i])
          || !read_number (json_array_get_element (xy, 1), &polygon->xy[2 * i + 1]))
        {
          g_clear_pointer (&polygon->xy, g_free);
          return word_error (error, display_name, image_name, word_id, (int) i,
                             _("a point must be [x, y], two finite numbers"));
        }
    }

  confidence = json_object_get_member (word, "confidence");
  if (confidence != NULL && !JSON_NODE_HOLDS_NULL (confidence))
    {
      if (!read_number (confidence, &polygon->confidence))
        {
          g_clear_pointer (&polygon->xy, g_free);
          return word_error (error, display_name, image_name, word_id, -1,
                             _("\"confidence\" must be a number"));
        }
      self->confidence = TRUE;
    }
  return TRUE;
}

static gboolean
read_document (CbSubmission  *self,
               JsonNode      *root,
               const char    *display_name,
               GError       **error)
{
  JsonObject *images;
  g_autoptr(GList) names = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "images")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (root), "images")))
    return shape_error (error, display_name, "images",
                        _("the file must be an object whose \"images\" maps file names to "
                          "their words"));

  images = json_object_get_object_member (json_node_get_object (root), "images");
  names = json_object_get_members (images);  /* in the file's order */
  if (g_list_length (names) > CB_SUBMISSION_MAX_IMAGES)
    return shape_error (error, display_name, "images", _("more than 1,000,000 images"));

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (images, name);
      CbSubmissionImage image = { NULL, NULL, 0 };
      JsonObject *words = NULL;
      g_autoptr(GList) ids = NULL;
      guint n = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *where = g_strdup_printf ("images[\"%s\"]", name);

          return shape_error (error, display_name, where,
                              _("an image must be an object with \"words\""));
        }
      if (json_object_has_member (json_node_get_object (node), "words"))
        {
          JsonNode *words_node = json_object_get_member (json_node_get_object (node), "words");

          if (JSON_NODE_HOLDS_OBJECT (words_node))
            words = json_node_get_object (words_node);
          else if (!JSON_NODE_HOLDS_NULL (words_node))
            {
              g_autofree char *where = g_strdup_printf ("images[\"%s\"]", name);

              return shape_error (error, display_name, where,
                                  _("\"words\" must map word ids to their points"));
            }
        }

      image.filename = g_strdup (name);
      if (words != NULL)
        {
          ids = json_object_get_members (words);
          image.polygons = g_new0 (CbPolygon, MAX (g_list_length (ids), 1));
          for (GList *w = ids; w != NULL; w = w->next, n++)
            {
              image.n_polygons = n;
              if (!read_word (self, json_object_get_member (words, w->data), display_name, name,
                              w->data, &image.polygons[n], error))
                {
                  image_clear (&image);
                  return FALSE;
                }
            }
        }
      image.n_polygons = n;
      self->n_polygons += n;
      g_array_append_val (self->images, image);
    }
  return TRUE;
}

/**
 * cb_submission_load_data:
 * @display_name: how messages name the file
 *
 * Returns: (transfer full): the submission, or %NULL with @error: `FILE:LINE:COLUMN: …` for
 *   text that is not JSON, `FILE: images["x.jpg"].words["0001"]: …` for JSON of another shape
 */
CbSubmission *
cb_submission_load_data (const char  *data,
                         gsize        length,
                         const char  *display_name,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CbSubmission) self = NULL;
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, data, (gssize) length,
                                                          &parse_error))
    {
      const char *message = parse_error != NULL ? parse_error->message : _("too large");

      /* json-glib names the text "<data>"; the message names the file. */
      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      g_set_error (error, CB_SUBMISSION_ERROR, CB_SUBMISSION_ERROR_SYNTAX, "%s:%s", display_name,
                   message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, CB_SUBMISSION_ERROR, CB_SUBMISSION_ERROR_SYNTAX,
                   _("%s:1:1: the file is empty"), display_name);
      return NULL;
    }

  self = g_object_new (CB_TYPE_SUBMISSION, NULL);
  if (!read_document (self, json_parser_get_root (parser), display_name, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * cb_submission_load:
 *
 * Reads a submission file (a regular file of at most 512 MiB). Blocks: see
 * cb_submission_load_async().
 */
CbSubmission *
cb_submission_load (const char  *path,
                    GError     **error)
{
  g_autofree char *data = NULL;
  CbSubmission *self;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!cb_file_read_regular (path, CB_FILE_KIND_SUBMISSION, &data, &length, error))
    return NULL;
  self = cb_submission_load_data (data, length, path, error);
  if (self != NULL)
    self->path = g_strdup (path);
  return self;
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  CbSubmission *self = cb_submission_load (task_data, &error);

  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
cb_submission_load_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, cb_submission_load_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_worker);
}

CbSubmission *
cb_submission_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
cb_submission_get_path (CbSubmission *self)
{
  g_return_val_if_fail (CB_IS_SUBMISSION (self), NULL);
  return self->path;
}

guint
cb_submission_get_n_images (CbSubmission *self)
{
  g_return_val_if_fail (CB_IS_SUBMISSION (self), 0);
  return self->images->len;
}

const CbSubmissionImage *
cb_submission_get_image (CbSubmission *self,
                         guint         index)
{
  g_return_val_if_fail (CB_IS_SUBMISSION (self), NULL);
  g_return_val_if_fail (index < self->images->len, NULL);

  return &g_array_index (self->images, CbSubmissionImage, index);
}

gsize
cb_submission_get_n_polygons (CbSubmission *self)
{
  g_return_val_if_fail (CB_IS_SUBMISSION (self), 0);
  return self->n_polygons;
}

/* Whether any word has a confidence. */
gboolean
cb_submission_has_confidence (CbSubmission *self)
{
  g_return_val_if_fail (CB_IS_SUBMISSION (self), FALSE);
  return self->confidence;
}

/* ---- the CSV --------------------------------------------------------------------------- */

static void
append_field (GString    *out,
              const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * cb_submission_to_csv:
 * @length: (out) (optional): its length in bytes
 *
 * Returns: the competition CSV: `filename,polygons[,avg_confidence]`, a row per image in the
 *   file's order
 */
char *
cb_submission_to_csv (CbSubmission *self,
                      gboolean      include_confidence,
                      gsize        *length)
{
  GString *out;

  g_return_val_if_fail (CB_IS_SUBMISSION (self), NULL);

  out = g_string_sized_new (64 + self->n_polygons * 48);
  g_string_append (out, include_confidence ? "filename,polygons,avg_confidence\n"
                                           : "filename,polygons\n");
  for (guint i = 0; i < self->images->len; i++)
    {
      const CbSubmissionImage *image = &g_array_index (self->images, CbSubmissionImage, i);
      double sum = 0;
      guint n_confident = 0;

      append_field (out, image->filename);
      g_string_append_c (out, ',');
      for (guint p = 0; p < image->n_polygons; p++)
        {
          const CbPolygon *polygon = &image->polygons[p];

          if (p > 0)
            g_string_append_c (out, '|');
          for (guint k = 0; k < polygon->n_points * 2; k++)
            {
              if (k > 0)
                g_string_append_c (out, ' ');
              cb_json_append_number (out, polygon->xy[k]);
            }
          if (!isnan (polygon->confidence))
            {
              sum += polygon->confidence;
              n_confident++;
            }
        }
      if (include_confidence)
        {
          g_string_append_c (out, ',');
          if (n_confident > 0)
            cb_json_append_number (out, sum / n_confident);
        }
      g_string_append_c (out, '\n');
    }
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/**
 * cb_submission_write_csv:
 * @replace: replace a file that is there; when %FALSE such a file is an error
 *   (%CB_SUBMISSION_ERROR_EXISTS) and is left as it was
 * @n_rows: (out) (optional): the rows written (the images)
 * @n_bytes: (out) (optional): the size of the file
 *
 * Writes the CSV atomically: a temporary file beside @path, renamed (or, when nothing may be
 * replaced, linked) into place.
 */
gboolean
cb_submission_write_csv (CbSubmission  *self,
                         const char    *path,
                         gboolean       include_confidence,
                         gboolean       replace,
                         gsize         *n_rows,
                         gsize         *n_bytes,
                         GError       **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  g_return_val_if_fail (CB_IS_SUBMISSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = cb_submission_to_csv (self, include_confidence, &length);
  if (replace)
    {
      if (!g_file_set_contents_full (path, text, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT,
                                     0644, error))
        return FALSE;
    }
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *tmp = NULL;
      GError *local = NULL;
      int saved_errno;

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, CB_SUBMISSION_ERROR, CB_SUBMISSION_ERROR_EXISTS,
                       _("%s is already there; nothing was written"), path);
          return FALSE;
        }
      tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
      {
        int fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0644);

        if (fd < 0)
          {
            saved_errno = errno;
            g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s",
                         dir, g_strerror (saved_errno));
            return FALSE;
          }
        close (fd);
      }
      if (!g_file_set_contents_full (tmp, text, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT,
                                     0644, &local))
        {
          g_unlink (tmp);
          g_propagate_error (error, local);
          return FALSE;
        }
      /* link() does not replace: a file that appeared meanwhile stays. Where links do not
       * exist (vfat, some network folders), the file is renamed into place after a last
       * look that nothing is there. */
      if (link (tmp, path) != 0)
        {
          saved_errno = errno;
          if ((saved_errno == EPERM || saved_errno == ENOTSUP || saved_errno == EOPNOTSUPP
               || saved_errno == ENOSYS || saved_errno == EMLINK)
              && !g_file_test (path, G_FILE_TEST_EXISTS) && g_rename (tmp, path) == 0)
            saved_errno = 0;
          else
            g_unlink (tmp);
          if (saved_errno == EEXIST)
            {
              g_set_error (error, CB_SUBMISSION_ERROR, CB_SUBMISSION_ERROR_EXISTS,
                           _("%s is already there; nothing was written"), path);
              return FALSE;
            }
          if (saved_errno != 0)
            {
              g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s",
                           path, g_strerror (saved_errno));
              return FALSE;
            }
        }
      else
        g_unlink (tmp);
    }
  if (n_rows != NULL)
    *n_rows = self->images->len;
  if (n_bytes != NULL)
    *n_bytes = length;
  return TRUE;
}

/* ---- finding them ---------------------------------------------------------------------- */

typedef struct
{
  char   *path;
  gint64  mtime;
} Found;

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Found *fa = a, *fb = b;

  if (fa->mtime != fb->mtime)
    return fa->mtime > fb->mtime ? -1 : 1;
  return -g_strcmp0 (fa->path, fb->path);
}

/**
 * cb_submissions_find_files:
 *
 * Returns: (transfer full): the JSON files in the submissions folder of @run_dir, newest first (empty when
 *   there are none)
 */
char **
cb_submissions_find_files (const char *run_dir)
{
  g_autofree char *dir_path = g_build_filename (run_dir, "submissions", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Found));
  GPtrArray *paths = g_ptr_array_new ();
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL && n++ < 10000)
    {
      GStatBuf st;
      Found f;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      f.path = g_build_filename (dir_path, name, NULL);
      if (g_stat (f.path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_free (f.path);
          continue;
        }
      f.mtime = st.st_mtime;
      g_array_append_val (found, f);
    }
  g_array_sort (found, compare_newest_first);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (paths, g_array_index (found, Found, i).path);
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_free (paths, FALSE);
}

/* ---- where the images are -------------------------------------------------------------- */

/**
 * cb_submission_find_image_dir:
 * @run_dir: the prediction run's folder (holding `.hydra/config.yaml`)
 * @project_root: (nullable): relative folders are looked for here first, then in @run_dir
 *
 * The folder the run predicted on: its config's `image_dir`, with `${a.b}` references to
 * other values of the config resolved (Hydra keeps them as written) and `${hydra:runtime.cwd}`
 * read as the project root. Blocks (reads a file): call it in a worker.
 *
 * Returns: (transfer full) (nullable): the folder when it is there
 */
char *
cb_submission_find_image_dir (const char *run_dir,
                              const char *project_root)
{
  g_autofree char *config = g_build_filename (run_dir, ".hydra", "config.yaml", NULL);
  g_autoptr(CbNode) node = cb_yaml_load_file_kind (config, CB_FILE_KIND_RUN_RECORD, NULL);
  g_autoptr(CbCfg) cfg = NULL;
  g_autofree char *text = NULL;
  const CbCfg *value;

  if (node == NULL)
    return NULL;
  cfg = cb_cfg_from_node (node, config);
  value = cfg != NULL ? cb_cfg_lookup_path (cfg, "image_dir") : NULL;
  if (value == NULL || value->kind != CB_CFG_SCALAR || value->text == NULL)
    return NULL;

  text = g_strdup (value->text);
  for (guint i = 0; i < 8 && strstr (text, "${") != NULL; i++)
    {
      g_autofree char *resolved = NULL;
      GString *cwd = g_string_new (text);

      g_string_replace (cwd, "${hydra:runtime.cwd}", project_root != NULL ? project_root : ".", 0);
      g_string_replace (cwd, "${hydra:runtime.output_dir}", run_dir, 0);
      g_string_replace (cwd, "${oc.env:OCR_PROJECT_ROOT,.}", ".", 0);
      resolved = cb_cfg_resolve_text (cfg, cwd->str);
      g_string_free (cwd, TRUE);
      if (g_strcmp0 (resolved, text) == 0)
        break;
      g_free (text);
      text = g_steal_pointer (&resolved);
    }
  if (strstr (text, "${") != NULL)
    return NULL;

  if (g_path_is_absolute (text))
    return g_file_test (text, G_FILE_TEST_IS_DIR) ? g_steal_pointer (&text) : NULL;
  {
    const char *bases[] = { project_root, run_dir };

    for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
      {
        g_autofree char *joined = NULL;
        g_autofree char *canonical = NULL;

        if (bases[i] == NULL)
          continue;
        joined = g_build_filename (bases[i], text, NULL);
        canonical = g_canonicalize_filename (joined, NULL);
        if (g_file_test (canonical, G_FILE_TEST_IS_DIR))
          return g_steal_pointer (&canonical);
      }
  }
  return NULL;
}
