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
#include "cb/cb-run-history.h"
#include "cb-checkpoint-private.h"
#include "cb/cb-file-read.h"
#include "cb/cb-yaml-block.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

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

/* "v2" -> 2; 0 when @token is not a version. */
static gint64
parse_version (const char *token)
{
  guint64 version = 0;

  if (token[0] != 'v' || token[1] == '\0')
    return 0;
  for (const char *p = token + 1; *p; p++)
    if (!g_ascii_isdigit (*p))
      return 0;
  if (!g_ascii_string_to_unsigned (token + 1, 10, 1, G_MAXINT32, &version, NULL))
    return 0;
  return (gint64) version;
}

static void
note_pair (CbCheckpointName *out,
           GPtrArray        *words,
           double            value)
{
  const char *last = words->len > 0 ? g_ptr_array_index (words, words->len - 1) : NULL;

  /* A count, as a file name may say any number ("epoch=1e300"): out of range is unknown. */
  gint64 count = value >= 0 && value < 9e18 ? (gint64) value : -1;

  if (last != NULL && g_ascii_strcasecmp (last, "epoch") == 0)
    out->epoch = count;
  else if (last != NULL && g_ascii_strcasecmp (last, "step") == 0)
    out->step = count;
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

      /* "epoch=3-step=100-v1": what is left after the last pair. */
      out->version = parse_version (p);
    }
  else
    {
      tokens = g_strsplit_set (stem, "-_", -1);
      for (guint i = 0; tokens[i] != NULL; i++)
        {
          const char *t = tokens[i];
          double number;

          if (*t == '\0')
            continue;
          if (parse_version (t) > 0)
            {
              out->version = parse_version (t);
              continue;
            }
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

static void
cb_run_info_clear (CbRunInfo *info)
{
  g_free (info->exp_name);
  g_free (info->architecture);
  g_free (info->encoder);
  g_free (info->decoder);
  g_free (info->head);
  g_free (info->loss);
  g_free (info->preprocessing_profile);
  memset (info, 0, sizeof *info);
}

void
cb_run_info_free (CbRunInfo *info)
{
  if (info == NULL)
    return;
  cb_run_info_clear (info);
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

/* ---- reading a run's .hydra files ------------------------------------------------------
 *
 * Straight from libyaml's events, without building a tree: a run folder is read for every
 * checkpoint folder a scan finds, thousands of them in a big outputs/. Only the few scalars
 * the facts need are kept. Anchors and aliases (which Hydra never writes) are not followed. */

/* Collections nested deeper than this make the file say nothing (libyaml's own stacks grow
 * with the nesting, without limit). */
#define MAX_HYDRA_DEPTH 256

static gboolean
is_plain_null (const char *value,
               gboolean    plain)
{
  if (!plain)
    return FALSE;
  return value[0] == '\0' || g_str_equal (value, "~") || g_str_equal (value, "null") ||
         g_str_equal (value, "Null") || g_str_equal (value, "NULL");
}

typedef struct
{
  gboolean mapping;
  gboolean expect_key;
  gsize    path_len;   /* the path's length where this collection started */
} Frame;

typedef enum
{
  PATH_START_MAPPING,
  PATH_START_SEQUENCE,
  PATH_END,
  PATH_ALIAS,
  PATH_SCALAR,
} PathEvent;

typedef struct
{
  void     (*found) (const char *path, const char *value, gpointer user_data);
  gpointer   user_data;
  Frame      frames[32];
  guint      depth;      /* frames in use; deeper collections are only counted */
  guint      too_deep;   /* levels below the frames */
  char       path[512];
  gsize      path_len;
  gboolean   failed;     /* nested more than MAX_HYDRA_DEPTH deep */
} PathScan;

/* One event of the document, from libyaml or cb_yaml_block_read(). */
static void
path_scan_event (PathScan   *s,
                 PathEvent   event,
                 const char *value,
                 gsize       length,
                 gboolean    plain)
{
  Frame *frames = s->frames;

  switch (event)
    {
    case PATH_START_MAPPING:
    case PATH_START_SEQUENCE:
      if (s->depth + s->too_deep >= MAX_HYDRA_DEPTH)
        s->failed = TRUE;
      else if (s->depth == G_N_ELEMENTS (s->frames) || s->too_deep > 0)
        s->too_deep++;
      else
        {
          Frame *frame = &frames[s->depth++];

          /* An item of a sequence, or a key (YAML has complex keys), has no path, and
           * neither has anything inside it. */
          if (s->depth > 1 && (!frames[s->depth - 2].mapping || frames[s->depth - 2].expect_key))
            s->path_len = G_N_ELEMENTS (s->path);
          frame->mapping = event == PATH_START_MAPPING;
          frame->expect_key = TRUE;
          frame->path_len = s->path_len;
        }
      break;

    case PATH_END:
      if (s->too_deep > 0)
        s->too_deep--;
      else if (s->depth > 0)
        s->depth--;
      G_GNUC_FALLTHROUGH;
    case PATH_ALIAS:
      /* A collection or an alias ends the value of its parent's key. */
      if (s->too_deep == 0 && s->depth > 0 && !frames[s->depth - 1].mapping)
        s->path_len = frames[s->depth - 1].path_len;   /* the next item of the sequence */
      else if (s->too_deep == 0 && s->depth > 0 && frames[s->depth - 1].mapping)
        {
          Frame *parent = &frames[s->depth - 1];

          if (parent->expect_key)
            {
              /* It was a key (complex keys exist in YAML): its value has no path. */
              s->path_len = G_N_ELEMENTS (s->path);
              parent->expect_key = FALSE;
            }
          else
            {
              s->path_len = parent->path_len;
              parent->expect_key = TRUE;
            }
        }
      break;

    case PATH_SCALAR:
      if (s->too_deep > 0 || s->depth == 0 || !frames[s->depth - 1].mapping)
        {
          /* A document that is one scalar, or an item of a sequence. */
          if (s->depth == 1 && s->too_deep == 0 && s->path_len == 0)
            s->found (NULL, value, s->user_data);
          break;
        }
      {
        Frame *frame = &frames[s->depth - 1];

        if (frame->expect_key)
          {
            /* Paths that do not fit cannot be one we look for: mark them unusable. */
            if (frame->path_len >= G_N_ELEMENTS (s->path) ||
                frame->path_len + length + 2 > G_N_ELEMENTS (s->path))
              s->path_len = G_N_ELEMENTS (s->path);
            else
              {
                s->path_len = frame->path_len;
                if (s->path_len > 0)
                  s->path[s->path_len++] = '.';
                memcpy (s->path + s->path_len, value, length);
                s->path_len += length;
                s->path[s->path_len] = '\0';
              }
            frame->expect_key = FALSE;
          }
        else
          {
            if (s->path_len < G_N_ELEMENTS (s->path) && !is_plain_null (value, plain))
              s->found (s->path, value, s->user_data);
            s->path_len = frame->path_len;
            frame->expect_key = TRUE;
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
block_event (const CbYamlBlockEvent *event,
             gpointer                user_data)
{
  static const PathEvent events[] = {
    [CB_YAML_BLOCK_MAPPING_START] = PATH_START_MAPPING,
    [CB_YAML_BLOCK_MAPPING_END] = PATH_END,
    [CB_YAML_BLOCK_SEQUENCE_START] = PATH_START_SEQUENCE,
    [CB_YAML_BLOCK_SEQUENCE_END] = PATH_END,
    [CB_YAML_BLOCK_SCALAR] = PATH_SCALAR,
  };

  path_scan_event (user_data, events[event->type], event->value, event->length, event->plain);
}

/* Calls @found for every non-null scalar value at a mapping path ("model.encoder.name";
 * values inside sequences have none) of the YAML in @data. FALSE on a syntax error or when
 * collections nest more than MAX_HYDRA_DEPTH deep. The plain block YAML Hydra writes is read
 * by cb_yaml_block_read() (a tenth of libyaml's time); anything else by libyaml. */
static gboolean
yaml_scan_paths (const char *data,
                 gsize       length,
                 void      (*found) (const char *path, const char *value, gpointer user_data),
                 gpointer    user_data)
{
  PathScan scan = { found, user_data, };
  yaml_parser_t parser;
  yaml_event_t event;
  gboolean ok = TRUE;
  gboolean done = FALSE;

  if (cb_yaml_block_read (data, length, block_event, &scan))
    return TRUE;

  yaml_parser_initialize (&parser);
  yaml_parser_set_input_string (&parser, (const unsigned char *) data, length);

  while (!done)
    {
      if (!yaml_parser_parse (&parser, &event))
        {
          ok = FALSE;
          break;
        }

      switch (event.type)
        {
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
          path_scan_event (&scan, event.type == YAML_MAPPING_START_EVENT ? PATH_START_MAPPING
                                                                          : PATH_START_SEQUENCE,
                           NULL, 0, FALSE);
          if (scan.failed)
            {
              ok = FALSE;
              done = TRUE;
            }
          break;

        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
          path_scan_event (&scan, PATH_END, NULL, 0, FALSE);
          break;

        case YAML_ALIAS_EVENT:
          path_scan_event (&scan, PATH_ALIAS, NULL, 0, FALSE);
          break;

        case YAML_SCALAR_EVENT:
          path_scan_event (&scan, PATH_SCALAR, (const char *) event.data.scalar.value,
                           event.data.scalar.length,
                           event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE ||
                           event.data.scalar.style == YAML_ANY_SCALAR_STYLE);
          break;

        case YAML_STREAM_END_EVENT:
        case YAML_DOCUMENT_END_EVENT:
          /* The first document is the file's, as a YAML loader reads it. */
          done = TRUE;
          break;

        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
        default:
          break;
        }

      yaml_event_delete (&event);
    }

  yaml_parser_delete (&parser);
  return ok;
}

/* What the overrides say about the preprocessing profile, applied only when neither the
 * overrides nor the config name it. */
typedef struct
{
  CbRunInfo *info;
  char      *dataset_preset;
  gboolean   office;
  gboolean   camscanner;
} Overrides;

/* The overrides that name a fact outright. */
static const struct
{
  const char *key;
  gsize       offset;
} override_facts[] = {
  { "exp_name", G_STRUCT_OFFSET (CbRunInfo, exp_name) },
  { "model/architectures", G_STRUCT_OFFSET (CbRunInfo, architecture) },
  { "model.architecture_name", G_STRUCT_OFFSET (CbRunInfo, architecture) },
  { "model.encoder.model_name", G_STRUCT_OFFSET (CbRunInfo, encoder) },
  { "model.component_overrides.decoder.name", G_STRUCT_OFFSET (CbRunInfo, decoder) },
  { "model.component_overrides.head.name", G_STRUCT_OFFSET (CbRunInfo, head) },
  { "model.component_overrides.loss.name", G_STRUCT_OFFSET (CbRunInfo, loss) },
  { "preprocessing_profile", G_STRUCT_OFFSET (CbRunInfo, preprocessing_profile) },
};

/* One "key=value" item of overrides.yaml (a sequence of strings at the top). */
static void
override_found (const char *path,
                const char *item,
                gpointer    user_data)
{
  Overrides *o = user_data;
  CbRunInfo *info = o->info;
  const char *eq = strchr (item, '=');
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  if (path != NULL || eq == NULL)
    return;
  key = g_strndup (item, eq - item);
  value = unquote_value (eq + 1);

  for (guint i = 0; i < G_N_ELEMENTS (override_facts); i++)
    if (g_str_equal (key, override_facts[i].key))
      {
        /* exp_name=${exp_version}-x: config.yaml says what it resolves to, if anything. */
        if (strstr (value, "${") != NULL)
          return;
        set_if_unset (G_STRUCT_MEMBER_P (info, override_facts[i].offset), value);
        return;
      }

  if (g_str_equal (key, "+preset/datasets"))
    {
      g_free (o->dataset_preset);
      o->dataset_preset = g_strdup (value);
    }
  else if (g_str_equal (key, "preprocessing.enhancement_method") &&
           g_str_equal (value, "office_lens"))
    o->office = TRUE;
  else if (g_str_equal (key, "preprocessing.document_detection_use_camscanner") &&
           g_ascii_strcasecmp (value, "true") == 0)
    o->camscanner = TRUE;
}

/* The profiles of the OCR project are recognisable by the overrides they add. */
static const char *
infer_profile (const Overrides *o)
{
  if (o->dataset_preset == NULL)
    return "none";
  if (g_str_equal (o->dataset_preset, "preprocessing_docTR_demo"))
    return "doctr_demo";
  if (o->camscanner)
    return "camscanner";
  if (o->office)
    return "lens_style_office";
  if (g_str_equal (o->dataset_preset, "preprocessing"))
    return "lens_style";
  return NULL;
}

/* Where config.yaml may say each fact, in order of preference. */
enum { FACT_EXP, FACT_ARCH, FACT_ENC, FACT_DEC, FACT_HEAD, FACT_LOSS, FACT_PROFILE, N_FACTS };

static const struct
{
  const char *path;
  guint       fact;
  guint       rank;
} config_paths[] = {
  { "exp_name", FACT_EXP, 0 },
  { "model.architecture_name", FACT_ARCH, 0 },
  { "model.architectures", FACT_ARCH, 1 },
  { "model.architecture", FACT_ARCH, 2 },
  { "architecture", FACT_ARCH, 3 },
  { "model.encoder.model_name", FACT_ENC, 0 },
  { "model.component_overrides.decoder.name", FACT_DEC, 0 },
  { "model.decoder.name", FACT_DEC, 1 },
  { "model.component_overrides.head.name", FACT_HEAD, 0 },
  { "model.head.name", FACT_HEAD, 1 },
  { "model.component_overrides.loss.name", FACT_LOSS, 0 },
  { "model.loss.name", FACT_LOSS, 1 },
  { "preprocessing_profile", FACT_PROFILE, 0 },
  { "ui.preprocessing_profile", FACT_PROFILE, 1 },
};

static void
config_found (const char *path,
              const char *value,
              gpointer    user_data)
{
  GHashTable *values = user_data;

  /* Of the same key twice, the last, as a YAML loader keeps it. */
  if (path != NULL)
    g_hash_table_replace (values, g_strdup (path), g_strdup (value));
}

/* A value of config.yaml with its ${key.path} interpolations replaced by the values they
 * name in the same file: Hydra saves the config as composed, interpolations kept
 * ("architecture_name: ${model.architectures}"). NULL when one cannot be resolved here (a
 * resolver such as ${now:…} or ${oc.env:…}, a relative or missing key, a loop). */
static char *
resolve_value (GHashTable *values,
               const char *value,
               guint       depth)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = value;

  if (depth > 8)
    return NULL;
  while (*p != '\0')
    {
      const char *end;
      g_autofree char *key = NULL;
      const char *target;
      g_autofree char *resolved = NULL;

      if (p[0] == '\\' && p[1] == '$' && p[2] == '{')
        {
          /* \${ is a literal ${ for OmegaConf. */
          g_string_append (out, "${");
          p += 3;
          continue;
        }
      if (p[0] != '$' || p[1] != '{')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      end = strchr (p + 2, '}');
      if (end == NULL || end == p + 2)
        return NULL;
      key = g_strndup (p + 2, end - p - 2);
      for (const char *k = key; *k != '\0'; k++)
        if (!(g_ascii_isalnum (*k) || *k == '_' || *k == '-' || (*k == '.' && k != key)))
          return NULL;
      target = g_hash_table_lookup (values, key);
      if (target == NULL)
        return NULL;
      resolved = resolve_value (values, target, depth + 1);
      if (resolved == NULL)
        return NULL;
      g_string_append (out, resolved);
      p = end + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The facts config.yaml says, each from the most preferred path whose value is known. */
static void
config_facts (GHashTable *values,
              char       *facts[N_FACTS])
{
  guint rank[N_FACTS] = { 0, };

  for (guint i = 0; i < G_N_ELEMENTS (config_paths); i++)
    {
      guint fact = config_paths[i].fact;
      const char *value = g_hash_table_lookup (values, config_paths[i].path);
      char *resolved;

      if (value == NULL || (facts[fact] != NULL && rank[fact] <= config_paths[i].rank))
        continue;
      resolved = resolve_value (values, value, 0);
      if (resolved == NULL)
        continue;
      g_free (facts[fact]);
      facts[fact] = resolved;
      rank[fact] = config_paths[i].rank;
    }
}

static gboolean
run_info_complete (const CbRunInfo *info)
{
  return info->exp_name && info->architecture && info->encoder && info->decoder && info->head &&
         info->loss && info->preprocessing_profile;
}

/* The run's facts from the contents of its .hydra/overrides.yaml (what was asked for) and,
 * only for what that does not say, config.yaml (what it resolved to). Either may be NULL
 * (missing); NULL when both are. A file that is not valid YAML says nothing. */
CbRunInfo *
cb_run_info_parse (const char *overrides,
                   gsize       overrides_length,
                   const char *config,
                   gsize       config_length)
{
  Overrides o = { NULL, NULL, FALSE, FALSE };
  CbRunInfo *info;

  if (overrides == NULL && config == NULL)
    return NULL;

  info = g_new0 (CbRunInfo, 1);
  if (overrides != NULL)
    {
      CbRunInfo said = { NULL, };

      o.info = &said;
      if (yaml_scan_paths (overrides, overrides_length, override_found, &o))
        *info = said;
      else
        {
          cb_run_info_clear (&said);
          g_clear_pointer (&o.dataset_preset, g_free);
          o.office = o.camscanner = FALSE;
        }
      o.info = info;
    }

  /* An explicit profile in the config beats the inference from overrides, so the config is
   * read unless the overrides named everything, the profile included. */
  if (config != NULL && !run_info_complete (info))
    {
      g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            g_free);
      char *facts[N_FACTS] = { NULL, };

      if (yaml_scan_paths (config, config_length, config_found, values))
        {
          config_facts (values, facts);
          set_if_unset (&info->exp_name, facts[FACT_EXP]);
          set_if_unset (&info->architecture, facts[FACT_ARCH]);
          set_if_unset (&info->encoder, facts[FACT_ENC]);
          set_if_unset (&info->decoder, facts[FACT_DEC]);
          set_if_unset (&info->head, facts[FACT_HEAD]);
          set_if_unset (&info->loss, facts[FACT_LOSS]);
          set_if_unset (&info->preprocessing_profile, facts[FACT_PROFILE]);
        }
      for (guint i = 0; i < N_FACTS; i++)
        g_free (facts[i]);
    }

  if (info->preprocessing_profile == NULL && overrides != NULL)
    info->preprocessing_profile = g_strdup (infer_profile (&o));

  g_free (o.dataset_preset);
  return info;
}

/* Reads a whole small file into a NUL-terminated buffer; NULL if it is missing, not a
 * regular file, too big or unreadable. */
char *
cb_read_small_file_at (int          dir_fd,
                       const char  *path,
                       struct stat *st_out,
                       gsize       *length)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  /* Opened without blocking and refused unless regular: a FIFO in a run folder must not
   * stop the scan. */
  if (!cb_file_read_regular_at (dir_fd, path, NULL, CB_FILE_KIND_RUN_RECORD, st_out, &data,
                                length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Not reading %s: %s", path, error->message);
      return NULL;
    }

  return data;
}

/* Reads <run_dir>/.hydra/overrides.yaml and config.yaml; NULL when the run has neither. */
CbRunInfo *
cb_run_info_read (const char *run_dir)
{
  g_autofree char *overrides = NULL;
  g_autofree char *config = NULL;
  gsize overrides_length = 0, config_length = 0;
  int fd;

  g_return_val_if_fail (run_dir != NULL, NULL);

  fd = open (run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  overrides = cb_read_small_file_at (fd, ".hydra/overrides.yaml", NULL, &overrides_length);
  config = cb_read_small_file_at (fd, ".hydra/config.yaml", NULL, &config_length);
  close (fd);

  return cb_run_info_parse (overrides, overrides_length, config, config_length);
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

/**
 * cb_checkpoint_get_run_title:
 *
 * What the run is called: its `exp_name` when its saved Hydra config says it, else the run
 * folder below outputs/ (a dated one, "2025-11-16/10-30-00", says little). Empty for a
 * checkpoint right in outputs/checkpoints.
 */
const char *
cb_checkpoint_get_run_title (CbCheckpoint *self)
{
  g_return_val_if_fail (CB_IS_CHECKPOINT (self), NULL);

  if (self->run_info != NULL && self->run_info->exp_name != NULL &&
      *self->run_info->exp_name != '\0')
    return self->run_info->exp_name;
  return self->run;
}

/* "best · epoch 18 · step 3895 · hmean 0.8920 · v1" */
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
  /* Lightning's "last-v1.ckpt" beside "last.ckpt": the same words, another file. */
  if (self->name.version > 0)
    g_string_append_printf (out, "%sv%" G_GINT64_FORMAT, out->len ? " · " : "",
                            self->name.version);

  return g_string_free (out, FALSE);
}

/**
 * cb_checkpoint_dup_label:
 *
 * The checkpoint within its run: what its name says ("last · v1", "epoch 3 · step 100"), or
 * the file name when its name says nothing we understand.
 */
char *
cb_checkpoint_dup_label (CbCheckpoint *self)
{
  g_autofree char *description = NULL;

  g_return_val_if_fail (CB_IS_CHECKPOINT (self), NULL);

  description = cb_checkpoint_describe (self);
  if (*description == '\0')
    return g_strdup (self->basename);
  return g_steal_pointer (&description);
}

char *
cb_checkpoint_format_age (CbCheckpoint *self,
                          gint64        now)
{
  gint64 age;

  g_return_val_if_fail (CB_IS_CHECKPOINT (self), NULL);

  age = MAX (now - self->mtime, 0);
  return cb_format_age (age);
}

gboolean
cb_checkpoint_same_file (CbCheckpoint *a,
                         CbCheckpoint *b)
{
  return a->mtime == b->mtime && a->size == b->size && g_str_equal (a->path, b->path);
}
