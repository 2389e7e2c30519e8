/* cb-run-wording.c: how a run's end, duration and age are said, in the terminal pane, the
 * Runs window and the headless interface alike
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cb/cb-run-history.h"

#include <glib/gi18n.h>
#include <signal.h>

/**
 * cb_signal_name:
 *
 * Returns: the usual name of @signo ("SIGTERM"), or %NULL for one we do not name
 */
const char *
cb_signal_name (int signo)
{
  static const struct { int signo; const char *name; } names[] = {
    { SIGHUP, "SIGHUP" },
    { SIGINT, "SIGINT" },
    { SIGQUIT, "SIGQUIT" },
    { SIGILL, "SIGILL" },
    { SIGTRAP, "SIGTRAP" },
    { SIGABRT, "SIGABRT" },
    { SIGBUS, "SIGBUS" },
    { SIGFPE, "SIGFPE" },
    { SIGKILL, "SIGKILL" },
    { SIGUSR1, "SIGUSR1" },
    { SIGSEGV, "SIGSEGV" },
    { SIGUSR2, "SIGUSR2" },
    { SIGPIPE, "SIGPIPE" },
    { SIGALRM, "SIGALRM" },
    { SIGTERM, "SIGTERM" },
    { SIGXCPU, "SIGXCPU" },
    { SIGXFSZ, "SIGXFSZ" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (names[i].signo == signo)
        return names[i].name;
    }

  return NULL;
}

/* A finished run's duration: "4.2 s", "12 min 5 s", "2 h 03 min". */
char *
cb_format_duration (double seconds)
{
  gint64 whole;

  if (!(seconds >= 0.0))
    seconds = 0.0;
  seconds = MIN (seconds, CB_RUN_MAX_DURATION);

  if (seconds < 59.95)
    /* Translators: a duration in seconds, with one decimal */
    return g_strdup_printf (_("%.1f s"), seconds);

  whole = (gint64) (seconds + 0.5);
  if (whole < 3600)
    /* Translators: a duration in minutes and seconds */
    return g_strdup_printf (_("%d min %d s"), (int) (whole / 60), (int) (whole % 60));

  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (_("%d h %02d min"), (int) (whole / 3600), (int) ((whole / 60) % 60));
}

/* A running clock: "0:12", "12:05", "1:02:03". */
/**
 * cb_format_age:
 * @seconds: how long ago
 *
 * Returns: "just now", "5 min ago", "3 h ago" or "2 days ago"
 */
char *
cb_format_age (gint64 seconds)
{
  gint64 age = MAX (seconds, 0);

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

char *
cb_format_elapsed (gint64 seconds)
{
  seconds = MAX (seconds, 0);

  if (seconds < 3600)
    return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));

  return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) ((seconds / 60) % 60),
                          (int) (seconds % 60));
}

/**
 * cb_describe_outcome:
 * @exit_status: the exit status, or -1 when killed by a signal or never started
 * @signal: the signal that killed the run, or 0
 * @seconds: how long it ran
 *
 * Returns: "Exited with status 0 after 4.2 s", "Stopped by signal 15 (SIGTERM) after 3.0 s"
 *   or "Could not start"
 */
char *
cb_describe_outcome (int    exit_status,
                     int    signal,
                     double seconds)
{
  g_autofree char *duration = cb_format_duration (seconds);

  if (signal > 0)
    {
      const char *name = cb_signal_name (signal);

      if (name != NULL)
        /* Translators: "Stopped by signal 15 (SIGTERM) after 4.2 s" */
        return g_strdup_printf (_("Stopped by signal %d (%s) after %s"), signal, name, duration);

      /* Translators: "Stopped by signal 40 after 4.2 s" */
      return g_strdup_printf (_("Stopped by signal %d after %s"), signal, duration);
    }

  if (exit_status < 0)
    return g_strdup (_("Could not start"));

  /* Translators: "Exited with status 0 after 4.2 s" */
  return g_strdup_printf (_("Exited with status %d after %s"), exit_status, duration);
}

/**
 * cb_describe_run_outcome:
 * @stopped: whether the user stopped the run
 *
 * Returns: as cb_describe_outcome(), except that a run the user stopped and that exited (a
 *   trainer that catches Ctrl+C, saves and exits with some status) is "Stopped after 4.2 s"
 */
char *
cb_describe_run_outcome (int      exit_status,
                         int      signal,
                         gboolean stopped,
                         double   seconds)
{
  g_autofree char *duration = NULL;

  if (!stopped || signal > 0)
    return cb_describe_outcome (exit_status, signal, seconds);

  duration = cb_format_duration (seconds);
  /* Translators: a run the user stopped: "Stopped after 4.2 s" */
  return g_strdup_printf (_("Stopped after %s"), duration);
}

