/* fuzz-sweep.c: any sweep text → values (or an error); the values are within the limit, each
 * quoted for Hydra's choice sweep reads back as itself, and the text written back from them
 * parses to the same values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks the field kind (text, number, whole number, select); the rest is the
 * text, as typed into a Sweep entry.
 */

#include "config.h"

#include "cb/cb-override.h"
#include "cb/cb-sweep.h"
#include "fuzz-common.h"

#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  CbField field = { 0 };

  if (size < 1)
    return 0;
  text = fuzz_text (data + 1, size - 1);

  field.key = (char *) "k";
  field.label = (char *) "K";
  field.min_length = -1;
  switch (data[0] % 4)
    {
    case 0:
      field.type = CB_FIELD_TEXT_INPUT;
      break;
    case 1:
      field.type = CB_FIELD_SLIDER;
      field.default_value = g_variant_ref_sink (g_variant_new_double (0.001));
      break;
    case 2:
      field.type = CB_FIELD_NUMBER_INPUT;
      break;
    default:
      field.type = CB_FIELD_SELECTBOX;
      break;
    }

  values = cb_sweep_parse (&field, text, &error);
  fuzz_assert ((values == NULL) != (error == NULL), "<%s>: values and error", text);
  if (values != NULL)
    {
      guint n = g_strv_length (values);
      g_autoptr(GPtrArray) quoted = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(CbSweepAxis) axis = NULL;
      g_autofree char *override = NULL;
      g_autofree char *again_text = NULL;
      g_autoptr(CbOverride) parsed = NULL;
      g_autoptr(GPtrArray) choices = NULL;
      g_autoptr(GError) parse_error = NULL;
      g_auto(GStrv) again = NULL;

      fuzz_assert (n >= 1 && n <= CB_SWEEP_MAX_RUNS, "<%s>: %u values", text, n);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (quoted, cb_sweep_quote_value (&field, values[i]));
      g_ptr_array_add (quoted, NULL);
      axis = cb_sweep_axis_new ("k", -1, (const char * const *) quoted->pdata);
      override = cb_sweep_axis_to_override (axis);
      parsed = cb_override_parse_sweep (override, &choices, &parse_error);
      fuzz_assert (parsed != NULL, "<%s> is refused: %s", override,
                   parse_error ? parse_error->message : "");
      fuzz_assert (choices->len == n, "<%s>: %u values, %u read back", override, n,
                   choices->len);
      /* Free text without "${" reads back exactly (an interpolation is OmegaConf's to read;
       * an option or a number is typed by Hydra, as the field's single value is). */
      for (guint i = 0; field.type == CB_FIELD_TEXT_INPUT && i < n; i++)
        if (strstr (values[i], "${") == NULL)
          fuzz_assert (g_str_equal (((CbCfg *) g_ptr_array_index (choices, i))->text, values[i]),
                       "<%s> reads back as <%s>", values[i],
                       ((CbCfg *) g_ptr_array_index (choices, i))->text);

      again_text = cb_sweep_text_from_values ((const char * const *) values);
      again = cb_sweep_parse (&field, again_text, NULL);
      fuzz_assert (again != NULL && g_strv_equal ((const char * const *) again,
                                                  (const char * const *) values),
                   "<%s> written back as <%s> parses differently", text, again_text);
    }

  g_clear_pointer (&field.default_value, g_variant_unref);
  return 0;
}
