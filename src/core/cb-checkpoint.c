/* cb-checkpoint.c: a checkpoint file, its name's facts and its run's training setup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names seen in the wild, all understood:
 *   last.ckpt, latest.ckpt, last_20251011_004442.ckpt, last-v1.ckpt
 *   best.ckpt, best-hmean-0.8920.ckpt
 *   epoch=10.ckpt, epoch=19-step=1000.ckpt, epoch=3-step=40-val_loss=0.123.ckpt  (Lightning)
 *   epoch-03_step-000103.ckpt, epoch-18_step-003895_hmean-0.8512.ckpt, epoch_28_step_023722.ckpt
 * with an optional "<prefix>_" before and "_v<N>" / "-v<N>" after.
 */

#define G_LOG_DOMAIN "cb-checkpoint"

#include "config.h"

#include "cb/cb-checkpoint.h"
#include "cb/cb-yaml.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

struct _CbCheckpoint
{
  GObject           parent_instance;
  char             *path;
  const char       *basename;
  char             *run;
  gint64            size;
  gint64            mtime;
  CbCheckpointName  name;
  CbRunInfo        *run_info;
};

G_DEFINE_FINAL_TYPE (CbCheckpoint, cb_checkpoint, G_TYPE_OBJECT)

/* ---- names --------------------------------------------------------------------------- */

static gboolean
is_number (const char *text,
           double     *value)
{
  char *end = NULL;

  if (text == NULL || !(g_ascii_isdigit (text[0]) ||
                        (text[0] == '.' && g_ascii_isdigit (text[1]))))
    return FALSE;

  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0';
}

static gboolean
is_version (const char *token)
{
  if (token[0] != 'v' || token[1] == '\0')
    return FALSE;
  for (const char *p = token + 1; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static void
note_pair (CbCheckpointName *out,
           GPtrArray        *words,
           double            value)
{
  const char *last = words->len > 0 ? g_ptr_array_index (words, words->len - 1) : NULL;

  if (last != NULL && g_ascii_strcasecmp (last, "epoch") == 0)
    out->epoch = (gint64) value;
  else if (last != NULL && g_ascii_strcasecmp (last, "step") == 0)
    out->step = (gint64) value;
  else if (words->len > 0 && out->metric_name == NULL)
    {
      g_autoptr(GString) name = g_string_new (NULL);

      for (guint i = 0; i < words->len; i++)
        {
          const char *w = g_ptr_array_index (words, i);

          if (g_ascii_strcasecmp (w, "best") == 0 || g_ascii_strcasecmp (w, "last") == 0 ||
              g_ascii_strcasecmp (w, "latest") == 0)
            continue;
          if (name->len > 0)
            g_string_append_c (name, '_');
          g_string_append (name, w);
        }
      if (name->len > 0)
        {
          out->metric_name = g_strdup (name->str);
          out->metric_value = value;
        }
    }

  g_ptr_array_set_size (words, 0);
}

gboolean
cb_checkpoint_name_parse (const char       *basename,
                          CbCheckpointName *out)
{
  g_autofree char *stem = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  gboolean last = FALSE, best = FALSE;
  g_auto(GStrv) tokens = NULL;

  g_return_val_if_fail (basename != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->epoch = -1;
  out->step = -1;
  out->metric_value = NAN;

  if (!g_str_has_suffix (basename, ".ckpt"))
    return FALSE;
  stem = g_strndup (basename, strlen (basename) - strlen (".ckpt"));

  if (strchr (stem, '=') != NULL)
    {
      /* Lightning: key=value parts joined with '-', where keys may hold '_' or '/'. */
      const char *p = stem;

      while (*p)
        {
          const char *eq = strchr (p, '=');
          const char *key_start;
          const char *value_end;
          g_autofree char *key = NULL;
          g_autofree char *value = NULL;
          double number;

          if (eq == NULL)
            break;
          key_start = eq;
          while (key_start > p && key_start[-1] != '-')
            key_start--;
          key = g_strndup (key_start, eq - key_start);
          value_end = eq + 1;
          if (*value_end == '-' || *value_end == '+')
            value_end++;
          while (*value_end && (g_ascii_isdigit (*value_end) || *value_end == '.' ||
                                ((*value_end == 'e' || *value_end == 'E') &&
                                 (g_ascii_isdigit (value_end[1]) || value_end[1] == '-'))))
            value_end += (*value_end == 'e' || *value_end == 'E') && value_end[1] == '-' ? 2 : 1;
          value = g_strndup (eq + 1, value_end - eq - 1);

          /* A leading word such as "best" before the first key. */
          if (key_start > p)
            {
              g_autofree char *before = g_strndup (p, key_start - p);

              last |= strstr (before, "last") != NULL;
              best |= strstr (before, "best") != NULL;
            }
          {
            const char *slash = strrchr (key, '/');
            char *k = (char *) (slash ? slash + 1 : key);

            last |= g_str_equal (k, "last");
            best |= g_str_has_prefix (k, "best");
            if (is_number (value, &number))
              {
                g_ptr_array_add (words, k);
                note_pair (out, words, number);
              }
          }
          p = *value_end == '-' ? value_end + 1 : value_end;
          if (*value_end != '-' && *value_end != '\0')
            break;
        }
    }
  else
    {
      tokens = g_strsplit_set (stem, "-_", -1);
      for (guint i = 0; tokens[i] != NULL; i++)
        {
          const char *t = tokens[i];
          double number;

          if (*t == '\0' || is_version (t))
            continue;
          if (g_ascii_strcasecmp (t, "last") == 0 || g_ascii_strcasecmp (t, "latest") == 0)
            {
              last = TRUE;
              g_ptr_array_set_size (words, 0);
              continue;
            }
          if (g_ascii_strcasecmp (t, "best") == 0)
            best = TRUE;

          if (is_number (t, &number))
            {
              if (words->len > 0)
                note_pair (out, words, number);
            }
          else
            g_ptr_array_add (words, (gpointer) t);
        }
    }

  if (last)
    out->kind = CB_CHECKPOINT_KIND_LAST;
  else if (best)
    out->kind = CB_CHECKPOINT_KIND_BEST;
  else if (out->epoch >= 0)
    out->kind = CB_CHECKPOINT_KIND_EPOCH;
  else
    out->kind = CB_CHECKPOINT_KIND_OTHER;

  return TRUE;
}

void
cb_checkpoint_name_clear (CbCheckpointName *name)
{
  g_clear_pointer (&name->metric_name, g_free);
}

/* ---- run info ------------------------------------------------------------------------ */

void
cb_run_info_free (CbRunInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->exp_name);
  g_free (info->architecture);
  g_free (info->encoder);
  g_free (info->decoder);
  g_free (info->head);
  g_free (info->loss);
  g_free (info->preprocessing_profile);
  g_free (info);
}

CbRunInfo *
cb_run_info_copy (const CbRunInfo *info)
{
  CbRunInfo *copy;

  if (info == NULL)
    return NULL;

  copy = g_new0 (CbRunInfo, 1);
  copy->exp_name = g_strdup (info->exp_name);
  copy->architecture = g_strdup (info->architecture);
  copy->encoder = g_strdup (info->encoder);
  copy->decoder = g_strdup (info->decoder);
  copy->head = g_strdup (info->head);
  copy->loss = g_strdup (info->loss);
  copy->preprocessing_profile = g_strdup (info->preprocessing_profile);
  return copy;
}

/* The form field a run fact fills in (the field keys of our schemas). */
const char *
cb_run_info_get (const CbRunInfo *info,
                 const char      *field_key)
{
  if (info == NULL || field_key == NULL)
    return NULL;
  if (g_str_equal (field_key, "architecture"))
    return info->architecture;
  if (g_str_equal (field_key, "encoder"))
    return info->encoder;
  if (g_str_equal (field_key, "decoder"))
    return info->decoder;
  if (g_str_equal (field_key, "head"))
    return info->head;
  if (g_str_equal (field_key, "loss"))
    return info->loss;
  if (g_str_equal (field_key, "preprocessing_profile"))
    return info->preprocessing_profile;
  return NULL;
}

/* A Hydra override value as the user meant it: "my run" -> my run. */
static char *
unquote_value (const char *value)
{
  gsize len = strlen (value);

  if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0])
    {
      GString *out = g_string_new (NULL);

      for (gsize i = 1; i < len - 1; i++)
        {
          if (value[i] == '\\' && i + 1 < len - 1 && (value[i + 1] == value[0] || value[i + 1] == '\\'))
            i++;
          g_string_append_c (out, value[i]);
        }
      return g_string_free (out, FALSE);
    }

  return g_strdup (value);
}

static void
set_if_unset (char       **slot,
              const char  *value)
{
  if (*slot == NULL && value != NULL && *value != '\0')
    *slot = g_strdup (value);
}

/* What the overrides say about the preprocessing profile, applied only when neither the
 * overrides nor the config name it. */
typedef struct
{
  char     *dataset_preset;
  gboolean  office;
  gboolean  camscanner;
} ProfileHints;

static void
read_overrides (CbRunInfo    *info,
                const char   *path,
                ProfileHints *hints)
{
  g_autoptr(CbNode) root = cb_yaml_load_file (path, NULL);

  if (root == NULL || cb_node_get_node_type (root) != CB_NODE_SEQUENCE)
    return;

  for (guint i = 0; i < cb_node_get_n_children (root); i++)
    {
      const char *item = cb_node_get_scalar (cb_node_get_child (root, i));
      const char *eq;
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (item == NULL || (eq = strchr (item, '=')) == NULL)
        continue;
      key = g_strndup (item, eq - item);
      value = unquote_value (eq + 1);

      if (g_str_equal (key, "exp_name"))
        set_if_unset (&info->exp_name, value);
      else if (g_str_equal (key, "model/architectures") ||
               g_str_equal (key, "model.architecture_name"))
        set_if_unset (&info->architecture, value);
      else if (g_str_equal (key, "model.encoder.model_name"))
        set_if_unset (&info->encoder, value);
      else if (g_str_equal (key, "model.component_overrides.decoder.name"))
        set_if_unset (&info->decoder, value);
      else if (g_str_equal (key, "model.component_overrides.head.name"))
        set_if_unset (&info->head, value);
      else if (g_str_equal (key, "model.component_overrides.loss.name"))
        set_if_unset (&info->loss, value);
      else if (g_str_equal (key, "preprocessing_profile"))
        set_if_unset (&info->preprocessing_profile, value);
      else if (g_str_equal (key, "+preset/datasets"))
        {
          g_free (hints->dataset_preset);
          hints->dataset_preset = g_strdup (value);
        }
      else if (g_str_equal (key, "preprocessing.enhancement_method") &&
               g_str_equal (value, "office_lens"))
        hints->office = TRUE;
      else if (g_str_equal (key, "preprocessing.document_detection_use_camscanner") &&
               g_ascii_strcasecmp (value, "true") == 0)
        hints->camscanner = TRUE;
    }
}

/* The profiles of the OCR project are recognisable by the overrides they add. */
static const char *
infer_profile (const ProfileHints *hints)
{
  if (hints->dataset_preset == NULL)
    return "none";
  if (g_str_equal (hints->dataset_preset, "preprocessing_docTR_demo"))
    return "doctr_demo";
  if (hints->camscanner)
    return "camscanner";
  if (hints->office)
    return "lens_style_office";
  if (g_str_equal (hints->dataset_preset, "preprocessing"))
    return "lens_style";
  return NULL;
}

static const char *
first_string (CbNode             *root,
              const char * const *paths)
{
  for (guint i = 0; paths[i] != NULL; i++)
    {
      CbNode *node = cb_node_lookup_path (root, paths[i]);

      if (node != NULL && cb_node_get_node_type (node) == CB_NODE_SCALAR && !cb_node_is_null (node))
        return cb_node_get_scalar (node);
    }
  return NULL;
}

static void
read_config (CbRunInfo  *info,
             const char *path)
{
  static const char * const exp[] = { "exp_name", NULL };
  static const char * const arch[] = { "model.architecture_name", "model.architectures",
                                       "model.architecture", "architecture", NULL };
  static const char * const enc[] = { "model.encoder.model_name", NULL };
  static const char * const dec[] = { "model.component_overrides.decoder.name",
                                      "model.decoder.name", NULL };
  static const char * const head[] = { "model.component_overrides.head.name",
                                       "model.head.name", NULL };
  static const char * const loss[] = { "model.component_overrides.loss.name",
                                       "model.loss.name", NULL };
  static const char * const profile[] = { "preprocessing_profile", "ui.preprocessing_profile",
                                          NULL };
  g_autoptr(CbNode) root = cb_yaml_load_file (path, NULL);

  if (root == NULL)
    return;

  set_if_unset (&info->exp_name, first_string (root, exp));
  set_if_unset (&info->architecture, first_string (root, arch));
  set_if_unset (&info->encoder, first_string (root, enc));
  set_if_unset (&info->decoder, first_string (root, dec));
  set_if_unset (&info->head, first_string (root, head));
  set_if_unset (&info->loss, first_string (root, loss));
  set_if_unset (&info->preprocessing_profile, first_string (root, profile));
}

static gboolean
run_info_complete (const CbRunInfo *info)
{
  return info->exp_name && info->architecture && info->encoder && info->decoder && info->head &&
         info->loss && info->preprocessing_profile;
}

/* Reads <run_dir>/.hydra/overrides.yaml (what was asked for) and then, only for what that
 * does not say, config.yaml (what it resolved to); each file is parsed at most once.
 * Returns NULL when the run has neither. */
CbRunInfo *
cb_run_info_read (const char *run_dir)
{
  g_autofree char *overrides = g_build_filename (run_dir, ".hydra", "overrides.yaml", NULL);
  g_autofree char *config = g_build_filename (run_dir, ".hydra", "config.yaml", NULL);
  gboolean have_overrides = g_file_test (overrides, G_FILE_TEST_IS_REGULAR);
  ProfileHints hints = { NULL, FALSE, FALSE };
  CbRunInfo *info;

  if (!have_overrides && !g_file_test (config, G_FILE_TEST_IS_REGULAR))
    return NULL;

  info = g_new0 (CbRunInfo, 1);
  if (have_overrides)
    read_overrides (info, overrides, &hints);

  /* An explicit profile in the config beats the inference from overrides, so the config is
   * read unless the overrides named everything, the profile included. */
  if (!run_info_complete (info))
    read_config (info, config);

  if (info->preprocessing_profile == NULL && have_overrides)
    info->preprocessing_profile = g_strdup (infer_profile (&hints));

  g_free (hints.dataset_preset);
  return info;
}

/* ---- the object ---------------------------------------------------------------------- */

static void
cb_checkpoint_finalize (GObject *object)
{
  CbCheckpoint *self = CB_CHECKPOINT (object);

  g_free (self->path);
  g_free (self->run);
  cb_checkpoint_name_clear (&self->name);
  g_clear_pointer (&self->run_info, cb_run_info_free);

  G_OBJECT_CLASS (cb_checkpoint_parent_class)->finalize (object);
}

static void
cb_checkpoint_class_init (CbCheckpointClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_checkpoint_finalize;
}

static void
cb_checkpoint_init (CbCheckpoint *self)
{
}

CbCheckpoint *
cb_checkpoint_new (const char      *path,
                   const char      *run,
                   gint64           size,
                   gint64           mtime,
                   const CbRunInfo *run_info)
{
  CbCheckpoint *self;
  const char *slash;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CB_TYPE_CHECKPOINT, NULL);
  self->path = g_strdup (path);
  slash = strrchr (self->path, '/');
  self->basename = slash ? slash + 1 : self->path;
  self->run = g_strdup (run ? run : "");
  self->size = size;
  self->mtime = mtime;
  self->run_info = cb_run_info_copy (run_info);
  cb_checkpoint_name_parse (self->basename, &self->name);

  return self;
}

const char *
cb_checkpoint_get_path (CbCheckpoint *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT (self), NULL);
  return self->path;
}

const char *
cb_checkpoint_get_basename (CbCheckpoint *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT (self), NULL);
  return self->basename;
}

const char *
cb_checkpoint_get_run (CbCheckpoint *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT (self), NULL);
  return self->run;
}

gint64
cb_checkpoint_get_size (CbCheckpoint *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT (self), 0);
  return self->size;
}

gint64
cb_checkpoint_get_mtime (CbCheckpoint *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT (self), 0);
  return self->mtime;
}

const CbCheckpointName *
cb_checkpoint_get_name_info (CbCheckpoint *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT (self), NULL);
  return &self->name;
}

const CbRunInfo *
cb_checkpoint_get_run_info (CbCheckpoint *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT (self), NULL);
  return self->run_info;
}

/* "best · epoch 18 · step 3895 · hmean 0.8920" */
char *
cb_checkpoint_describe (CbCheckpoint *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (CB_IS_CHECKPOINT (self), NULL);

  switch (self->name.kind)
    {
    case CB_CHECKPOINT_KIND_LAST:
      g_string_append (out, "last");
      break;
    case CB_CHECKPOINT_KIND_BEST:
      g_string_append (out, "best");
      break;
    case CB_CHECKPOINT_KIND_EPOCH:
    case CB_CHECKPOINT_KIND_OTHER:
    default:
      break;
    }
  if (self->name.epoch >= 0)
    g_string_append_printf (out, "%sepoch %" G_GINT64_FORMAT, out->len ? " · " : "",
                            self->name.epoch);
  if (self->name.step >= 0)
    g_string_append_printf (out, "%sstep %" G_GINT64_FORMAT, out->len ? " · " : "",
                            self->name.step);
  if (self->name.metric_name != NULL)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (out, "%s%s %s", out->len ? " · " : "", self->name.metric_name,
                              g_ascii_formatd (buf, sizeof buf, "%.4f", self->name.metric_value));
    }

  return g_string_free (out, FALSE);
}

char *
cb_checkpoint_format_age (CbCheckpoint *self,
                          gint64        now)
{
  gint64 age;

  g_return_val_if_fail (CB_IS_CHECKPOINT (self), NULL);

  age = MAX (now - self->mtime, 0);
  if (age < 60)
    return g_strdup (_("just now"));
  if (age < 3600)
    return g_strdup_printf (ngettext ("%d min ago", "%d min ago", (int) (age / 60)),
                            (int) (age / 60));
  if (age < 86400)
    return g_strdup_printf (ngettext ("%d h ago", "%d h ago", (int) (age / 3600)),
                            (int) (age / 3600));
  return g_strdup_printf (ngettext ("%d day ago", "%d days ago", (int) (age / 86400)),
                          (int) (age / 86400));
}

gboolean
cb_checkpoint_same_file (CbCheckpoint *a,
                         CbCheckpoint *b)
{
  return a->mtime == b->mtime && a->size == b->size && g_str_equal (a->path, b->path);
}
