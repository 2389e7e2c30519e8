/* bench-outside.c: a tab switch timed from outside the process, as a user sees it
 *
 *   bench-outside [--presses N] [--gap-ms MS] [--settle-ms MS] [--keys "2 3 1"] [--timeout S]
 *                 -- COMMAND [ARG...]
 *
 * Runs COMMAND on $DISPLAY (with GSK_RENDERER=cairo unless set), finds its top-level window
 * (_NET_WM_PID, else the largest new top-level) and waits until it is mapped and quiet (no
 * damage for --settle-ms); then puts the pointer over its middle, gives it the focus and waits
 * for quiet again. Then it types Alt+KEY through XTest (libXtst.so.6, opened at run time;
 * `xdotool` if that fails), cycling through --keys. A press is timed in the X server's clock:
 * from the XI2 raw press of the key to the first DamageNotify on the window (the first changed
 * pixels), and, for information, to the last damage before 100 ms of quiet. Each press waits
 * for --gap-ms without damage. The first two cycles warm up (first visits build pages) and
 * are not counted. A press with no damage within 1 s is "missed".
 *
 * Prints one JSON line on stdout and a summary on stderr, then ends COMMAND (SIGTERM, SIGKILL
 * after 5 s). Exits 2 if the window never showed or never got quiet, 1 if fewer than half of
 * the presses drew anything. Not a test: nothing here asserts a time.
 *
 * BENCH_OUTSIDE_VERBOSE=1 prints every press and damage rectangle on stderr;
 * BENCH_OUTSIDE_XDOTOOL=1 types with xdotool even where libXtst.so.6 is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <glib.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XInput2.h>
#include <X11/extensions/Xdamage.h>

#define QUIET_AFTER_PRESS_MS 100  /* a press's drawing has ended after this much quiet */
#define MISSED_AFTER_MS      1000
#define ALT_LEAD_MS          20   /* Alt goes down this long before the key, */
#define HOLD_MS              60   /* the key is held this long, then both are released */

typedef int (*FakeKeyFunc) (Display      *dpy,
                            unsigned int  keycode,
                            Bool          is_press,
                            unsigned long delay);

typedef struct
{
  int          n_presses;
  int          gap_ms;
  int          settle_ms;
  int          timeout_s;
  char        *keys;
  gboolean     verbose;

  Display     *dpy;
  Window       root;
  Window       window;
  int          width, height;
  Damage       damage;
  int          damage_event;
  int          xi_opcode;
  FakeKeyFunc  fake_key;         /* NULL: xdotool */
  KeyCode      alt;
  pid_t        pid;
  gint64       deadline;         /* of the start-up, our clock */

  /* Filled in as events arrive. Our clock: monotonic ms; server times: X ms. */
  gint64       last_damage_at;   /* our clock, when the last DamageNotify arrived */
  KeyCode      awaited_key;      /* a raw press of this key starts a measurement */
  Time         key_time;         /* its server time; 0 until it arrived */
  gint64       key_at;
  Time         first_damage;     /* server times of the damage after it; 0 until any */
  Time         last_damage;
  gint64       first_damage_at;
  double       first_area;       /* pixels changed at the first damage's time: its frame */
} Outside;

/* One press: server times in ms from the key, and as received here for a cross-check. */
typedef struct
{
  double first_ms;
  double last_ms;
  double received_ms;
  double first_area;
} Press;

typedef struct
{
  double p50, p95, p99, max;
} Stats;

static gint64
now_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

/* Server times are 32-bit milliseconds, which wrap after 49 days. */
static int
server_ms (Time later,
           Time earlier)
{
  return (gint32) (guint32) (later - earlier);
}

G_GNUC_NORETURN G_GNUC_PRINTF (2, 3)
static void
fail (Outside    *self,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fputs ("bench-outside: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  if (self->pid > 0)
    kill (self->pid, SIGKILL);
  exit (2);
}

/* Windows come and go while we walk the tree: their errors are expected. */
static int
x_error_cb (Display     *dpy,
            XErrorEvent *event)
{
  return 0;
}

/* ------------------------------------------------------------------------------------ */
/* The child                                                                            */

static pid_t
spawn_child (char **argv)
{
  pid_t pid = fork ();

  if (pid == 0)
    {
      /* Our stdout is the JSON line alone. */
      dup2 (STDERR_FILENO, STDOUT_FILENO);
      execvp (argv[0], argv);
      fprintf (stderr, "bench-outside: %s: %s\n", argv[0], g_strerror (errno));
      _exit (127);
    }
  return pid;
}

static void
check_child (Outside *self)
{
  int status;

  if (self->pid <= 0 || waitpid (self->pid, &status, WNOHANG) != self->pid)
    return;
  self->pid = 0;
  if (WIFSIGNALED (status))
    fail (self, "the program was killed by signal %d", WTERMSIG (status));
  fail (self, "the program exited with status %d", WEXITSTATUS (status));
}

static void
end_child (pid_t pid)
{
  gint64 until = now_ms () + 5000;

  kill (pid, SIGTERM);
  while (now_ms () < until)
    {
      if (waitpid (pid, NULL, WNOHANG) == pid)
        return;
      g_usleep (20000);
    }
  fprintf (stderr, "bench-outside: the program outlived SIGTERM by 5 s: SIGKILL\n");
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
}

/* ------------------------------------------------------------------------------------ */
/* Finding the window                                                                   */

static long
window_pid (Outside *self,
            Window   w)
{
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  long pid = -1;

  if (XGetWindowProperty (self->dpy, w, XInternAtom (self->dpy, "_NET_WM_PID", False), 0, 1,
                          False, XA_CARDINAL, &type, &format, &n, &after, &data) == Success
      && data != NULL)
    {
      if (n == 1 && format == 32)
        pid = *(long *) data;
      XFree (data);
    }
  return pid;
}

/* found[0]: the largest viewable window with the child's pid; found[1]: the largest viewable
 * top-level not in @before. Client windows under a window manager's frames are one level
 * down. */
static void
walk (Outside    *self,
      Window      parent,
      gboolean    top,
      GHashTable *before,
      Window      found[2],
      long        area[2])
{
  Window root, up, *children = NULL;
  unsigned int n = 0;

  if (!XQueryTree (self->dpy, parent, &root, &up, &children, &n))
    return;
  for (unsigned int i = 0; i < n; i++)
    {
      XWindowAttributes attr;
      long a;

      if (!XGetWindowAttributes (self->dpy, children[i], &attr))
        continue;
      a = (long) attr.width * attr.height;
      if (attr.map_state == IsViewable && a > area[0]
          && window_pid (self, children[i]) == self->pid)
        {
          found[0] = children[i];
          area[0] = a;
        }
      if (top && attr.map_state == IsViewable && a > MAX (area[1], 1)
          && !g_hash_table_contains (before, GSIZE_TO_POINTER (children[i])))
        {
          found[1] = children[i];
          area[1] = a;
        }
      if (top)
        walk (self, children[i], FALSE, before, found, area);
    }
  if (children != NULL)
    XFree (children);
}

static GHashTable *
top_levels (Outside *self)
{
  GHashTable *set = g_hash_table_new (NULL, NULL);
  Window root, up, *children = NULL;
  unsigned int n = 0;

  if (XQueryTree (self->dpy, self->root, &root, &up, &children, &n))
    for (unsigned int i = 0; i < n; i++)
      g_hash_table_add (set, GSIZE_TO_POINTER (children[i]));
  if (children != NULL)
    XFree (children);
  return set;
}

static void
find_window (Outside    *self,
             GHashTable *before)
{
  while (now_ms () < self->deadline)
    {
      Window found[2] = { None, None };
      long area[2] = { 0, 0 };

      check_child (self);
      walk (self, self->root, TRUE, before, found, area);
      if (found[0] != None || found[1] != None)
        {
          self->window = found[0] != None ? found[0] : found[1];
          fprintf (stderr, "bench-outside: window 0x%lx, found by %s\n", self->window,
                   found[0] != None ? "_NET_WM_PID" : "appearing");
          return;
        }
      g_usleep (50000);
    }
  fail (self, "no window of the program was mapped within %d s", self->timeout_s);
}

/* ------------------------------------------------------------------------------------ */
/* Events                                                                               */

static void
handle_event (Outside *self,
              XEvent  *event)
{
  if (event->type == self->damage_event + XDamageNotify)
    {
      XDamageNotifyEvent *dn = (XDamageNotifyEvent *) event;

      if (dn->damage != self->damage)
        return;
      self->last_damage_at = now_ms ();
      if (self->key_time == 0)
        return;
      if (self->first_damage == 0)
        {
          self->first_damage = dn->timestamp;
          self->first_damage_at = self->last_damage_at;
        }
      self->last_damage = dn->timestamp;
      if (dn->timestamp == self->first_damage)
        self->first_area += (double) dn->area.width * dn->area.height;
      if (self->verbose)
        fprintf (stderr, "  +%d ms: %dx%d+%d+%d\n", server_ms (dn->timestamp, self->key_time),
                 dn->area.width, dn->area.height, dn->area.x, dn->area.y);
    }
  else if (event->type == GenericEvent && event->xcookie.extension == self->xi_opcode
           && XGetEventData (self->dpy, &event->xcookie))
    {
      XIRawEvent *raw = event->xcookie.data;

      if (event->xcookie.evtype == XI_RawKeyPress && self->awaited_key != 0
          && raw->detail == self->awaited_key && self->key_time == 0)
        {
          self->key_time = raw->time;
          self->key_at = now_ms ();
        }
      XFreeEventData (self->dpy, &event->xcookie);
    }
}

/* Handles what has arrived, waiting up to @timeout_ms for something. */
static void
pump (Outside *self,
      gint64   timeout_ms)
{
  struct pollfd fd = { ConnectionNumber (self->dpy), POLLIN, 0 };

  if (XPending (self->dpy) == 0 && timeout_ms > 0)
    poll (&fd, 1, (int) timeout_ms);
  while (XPending (self->dpy) > 0)
    {
      XEvent event;

      XNextEvent (self->dpy, &event);
      handle_event (self, &event);
    }
}

/* Waits until no damage came for @quiet_ms; FALSE if that did not happen by @until. */
static gboolean
wait_quiet (Outside *self,
            int      quiet_ms,
            gint64   until)
{
  XSync (self->dpy, False);
  self->last_damage_at = now_ms ();
  for (;;)
    {
      gint64 now = now_ms ();
      gint64 quiet_at = self->last_damage_at + quiet_ms;

      if (now >= quiet_at)
        return TRUE;
      if (now >= until)
        return FALSE;
      check_child (self);
      pump (self, MIN (quiet_at, until) - now);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Set-up                                                                               */

static void
watch_window (Outside *self)
{
  unsigned char bits[XIMaskLen (XI_LASTEVENT)] = { 0 };
  XIEventMask mask = { XIAllMasterDevices, sizeof bits, bits };

  /* Every rectangle as it is drawn (after the drawing), each with its time. */
  self->damage = XDamageCreate (self->dpy, self->window, XDamageReportRawRectangles);
  XISetMask (bits, XI_RawKeyPress);
  XISelectEvents (self->dpy, self->root, &mask, 1);
  XSync (self->dpy, False);
}

/* The pointer over the middle of the window, and the focus: XSetInputFocus is what works
 * without a window manager, _NET_ACTIVE_WINDOW is what one would honour. */
static void
focus_window (Outside *self)
{
  XWindowAttributes attr;
  XEvent active = { 0 };

  XGetWindowAttributes (self->dpy, self->window, &attr);
  self->width = attr.width;
  self->height = attr.height;
  XWarpPointer (self->dpy, None, self->window, 0, 0, 0, 0, self->width / 2, self->height / 2);
  XSetInputFocus (self->dpy, self->window, RevertToParent, CurrentTime);
  active.xclient.type = ClientMessage;
  active.xclient.window = self->window;
  active.xclient.message_type = XInternAtom (self->dpy, "_NET_ACTIVE_WINDOW", False);
  active.xclient.format = 32;
  active.xclient.data.l[0] = 2;  /* from a pager: the user's own request */
  XSendEvent (self->dpy, self->root, False, SubstructureRedirectMask | SubstructureNotifyMask,
              &active);
  XSync (self->dpy, False);
}

static void
open_xtest (Outside *self)
{
  const char *why = "BENCH_OUTSIDE_XDOTOOL is set";
  int opcode, event, error;

  if (!XQueryExtension (self->dpy, "XTEST", &opcode, &event, &error))
    fail (self, "the X server has no XTEST extension");
  if (g_getenv ("BENCH_OUTSIDE_XDOTOOL") == NULL)
    {
      void *lib = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_LOCAL);

      if (lib != NULL)
        self->fake_key = (FakeKeyFunc) dlsym (lib, "XTestFakeKeyEvent");
      why = dlerror ();
    }
  if (self->fake_key == NULL)
    fprintf (stderr, "bench-outside: typing with xdotool (%s)\n", why);
}

/* ------------------------------------------------------------------------------------ */
/* A press                                                                              */

static void
fake_key (Outside *self,
          KeyCode  code,
          gboolean press)
{
  self->fake_key (self->dpy, code, press, CurrentTime);
  XFlush (self->dpy);
}

/* Types Alt+@name spaced as a quick typist would: with XTest, Alt goes down now and the rest
 * is sent by measure_press(); xdotool does it all by itself. */
static void
start_press (Outside    *self,
             const char *name)
{
  g_autofree char *xdotool = g_strdup_printf ("xdotool keydown Alt_L sleep %.3f keydown %s "
                                              "sleep %.3f keyup %s keyup Alt_L",
                                              ALT_LEAD_MS / 1000.0, name, HOLD_MS / 1000.0,
                                              name);
  g_autoptr(GError) error = NULL;

  if (self->fake_key != NULL)
    fake_key (self, self->alt, TRUE);
  else if (!g_spawn_command_line_async (xdotool, &error))
    fail (self, "xdotool: %s", error->message);
}

/* One press of Alt+@name: FALSE if it drew nothing ("missed"). */
static gboolean
measure_press (Outside    *self,
               const char *name,
               KeyCode     code,
               Press      *press)
{
  gint64 start;
  int step = self->fake_key != NULL ? 0 : 2;  /* XTest: key down (0), both up (1), done */

  if (!wait_quiet (self, self->gap_ms, now_ms () + 10 * 1000))
    fprintf (stderr, "bench-outside: the window did not get quiet for %d ms in 10 s\n",
             self->gap_ms);

  self->awaited_key = code;
  self->key_time = self->first_damage = self->last_damage = 0;
  self->first_area = 0;
  if (self->verbose)
    fprintf (stderr, "bench-outside: Alt+%s\n", name);
  start = now_ms ();
  start_press (self, name);

  for (;;)
    {
      gint64 now = now_ms ();
      gint64 next = now + 50;

      if (step < 2)
        {
          gint64 due = start + ALT_LEAD_MS + (step == 0 ? 0 : HOLD_MS);

          if (now < due)
            next = MIN (next, due);
          else if (step++ == 0)
            fake_key (self, code, TRUE);
          else
            {
              fake_key (self, code, FALSE);
              fake_key (self, self->alt, FALSE);
            }
        }
      if (self->key_time == 0 && now - start > 3000)
        {
          fprintf (stderr, "bench-outside: the press of %s never reached the server\n", name);
          break;
        }
      if (self->key_time != 0 && self->first_damage == 0 && now - self->key_at > MISSED_AFTER_MS)
        break;
      if (step == 2 && self->first_damage != 0
          && now - self->last_damage_at >= QUIET_AFTER_PRESS_MS)
        break;
      pump (self, MAX (next - now, 1));
    }

  self->awaited_key = 0;
  if (self->first_damage == 0)
    return FALSE;
  press->first_ms = server_ms (self->first_damage, self->key_time);
  press->last_ms = server_ms (self->last_damage, self->key_time);
  press->received_ms = self->first_damage_at - self->key_at;
  press->first_area = self->first_area;
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Figures                                                                              */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
nearest_rank (GArray *sorted,
              double  p)
{
  guint rank = (guint) ceil (p / 100 * sorted->len);

  return g_array_index (sorted, double, CLAMP (rank, 1, sorted->len) - 1);
}

/* Percentiles of one field of the presses, by nearest rank as in bench-common.c. */
static Stats
stats_of (GArray *presses,
          gsize   field)
{
  g_autoptr(GArray) v = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < presses->len; i++)
    g_array_append_val (v, G_STRUCT_MEMBER (double, &g_array_index (presses, Press, i), field));
  if (v->len == 0)
    return (Stats) { NAN, NAN, NAN, NAN };
  g_array_sort (v, compare_doubles);
  return (Stats) { nearest_rank (v, 50), nearest_rank (v, 95), nearest_rank (v, 99),
                   nearest_rank (v, 100) };
}

static void
json_stats (GString    *json,
            const char *name,
            Stats       stats)
{
  const double values[] = { stats.p50, stats.p95, stats.p99, stats.max };
  static const char *keys[] = { "p50", "p95", "p99", "max" };

  g_string_append_printf (json, ", \"%s\": {", name);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_string_append_printf (json, "%s\"%s\": ", i ? ", " : "", keys[i]);
      if (isnan (values[i]))
        g_string_append (json, "null");
      else
        g_string_append_printf (json, "%.1f", values[i]);
    }
  g_string_append_c (json, '}');
}

static void
report (Outside *self,
        GArray  *presses,
        guint    n_warm_up,
        guint    missed)
{
  g_autoptr(GString) json = g_string_new (NULL);
  Stats first = stats_of (presses, G_STRUCT_OFFSET (Press, first_ms));
  Stats last = stats_of (presses, G_STRUCT_OFFSET (Press, last_ms));
  Stats received = stats_of (presses, G_STRUCT_OFFSET (Press, received_ms));
  Stats area = stats_of (presses, G_STRUCT_OFFSET (Press, first_area));

  g_string_append_printf (json, "{\"presses\": %d, \"missed\": %u", self->n_presses, missed);
  json_stats (json, "first_damage_ms", first);
  json_stats (json, "last_damage_ms", last);
  g_string_append (json, ", \"samples\": [");
  for (guint i = 0; i < presses->len; i++)
    g_string_append_printf (json, "%s%.0f", i ? ", " : "",
                            g_array_index (presses, Press, i).first_ms);
  g_string_append (json, "]}\n");
  fputs (json->str, stdout);
  fflush (stdout);

  fprintf (stderr,
           "bench-outside: %d presses of Alt+%s (after %u to warm up), %u missed\n"
           "  first changed pixels: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms "
           "(as received here: p50 %.0f ms)\n"
           "  last damage:          p50 %.0f ms, p95 %.0f ms, max %.0f ms\n"
           "  first frame changed:  p50 %.0f px (%.0f%% of the window)\n",
           self->n_presses, self->keys, n_warm_up, missed, first.p50, first.p95, first.p99,
           first.max, received.p50, last.p50, last.p95, last.max, area.p50,
           100 * area.p50 / MAX ((double) self->width * self->height, 1));
}

/* ------------------------------------------------------------------------------------ */

int
main (int    argc,
      char **argv)
{
  Outside self = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GArray) presses = g_array_new (FALSE, FALSE, sizeof (Press));
  g_autofree KeyCode *codes = NULL;
  g_auto(GStrv) keys = NULL;
  GOptionEntry entries[] = {
    { "presses", 0, 0, G_OPTION_ARG_INT, &self.n_presses, "Presses counted (90)", "N" },
    { "gap-ms", 0, 0, G_OPTION_ARG_INT, &self.gap_ms, "Quiet before each press (250)", "MS" },
    { "settle-ms", 0, 0, G_OPTION_ARG_INT, &self.settle_ms,
      "Quiet before the first press (1500)", "MS" },
    { "keys", 0, 0, G_OPTION_ARG_STRING, &self.keys, "Keys pressed with Alt (\"2 3 1\")",
      "KEYS" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &self.timeout_s,
      "Time for the window to show and settle (60)", "S" },
    { NULL }
  };
  guint n_keys = 0, n_warm_up, missed = 0;
  int xi_event, xi_error, damage_error, major = 2, minor = 2, first_arg = 1;

  self.n_presses = 90;
  self.gap_ms = 250;
  self.settle_ms = 1500;
  self.timeout_s = 60;
  self.verbose = g_getenv ("BENCH_OUTSIDE_VERBOSE") != NULL;

  context = g_option_context_new ("-- COMMAND [ARG...] - time tab switches from outside");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    fail (&self, "%s", error->message);
  if (argc > 1 && g_str_equal (argv[1], "--"))
    first_arg = 2;
  if (argc <= first_arg || self.n_presses < 1)
    fail (&self, "usage: bench-outside [OPTION...] -- COMMAND [ARG...]");
  if (self.keys == NULL)
    self.keys = g_strdup ("2 3 1");
  keys = g_strsplit_set (g_strstrip (self.keys), " ,", -1);
  n_keys = g_strv_length (keys);
  for (guint i = 0; i < n_keys; i++)
    if (*keys[i] == '\0')
      fail (&self, "--keys: one space or comma between keys");
  n_warm_up = 2 * n_keys;

  XSetErrorHandler (x_error_cb);
  self.dpy = XOpenDisplay (NULL);
  if (self.dpy == NULL)
    fail (&self, "cannot open display '%s'", g_getenv ("DISPLAY") ?: "");
  self.root = DefaultRootWindow (self.dpy);
  if (!XDamageQueryExtension (self.dpy, &self.damage_event, &damage_error))
    fail (&self, "the X server has no DAMAGE extension");
  if (!XQueryExtension (self.dpy, "XInputExtension", &self.xi_opcode, &xi_event, &xi_error)
      || XIQueryVersion (self.dpy, &major, &minor) != Success)
    fail (&self, "the X server has no XInput 2");
  open_xtest (&self);

  self.alt = XKeysymToKeycode (self.dpy, XK_Alt_L);
  codes = g_new0 (KeyCode, n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      KeySym sym = XStringToKeysym (keys[i]);

      codes[i] = sym != NoSymbol ? XKeysymToKeycode (self.dpy, sym) : 0;
      if (codes[i] == 0)
        fail (&self, "no key for '%s'", keys[i]);
    }

  /* The child draws with cairo, as the app does by default, unless told otherwise. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  fprintf (stderr, "bench-outside: GSK_RENDERER=%s, keys by %s\n", g_getenv ("GSK_RENDERER"),
           self.fake_key != NULL ? "XTest" : "xdotool");

  before = top_levels (&self);
  self.deadline = now_ms () + (gint64) self.timeout_s * 1000;
  self.pid = spawn_child (argv + first_arg);
  if (self.pid < 0)
    fail (&self, "fork: %s", g_strerror (errno));

  find_window (&self, before);
  watch_window (&self);
  if (!wait_quiet (&self, self.settle_ms, self.deadline))
    fail (&self, "the window did not go %d ms without drawing within %d s", self.settle_ms,
          self.timeout_s);
  focus_window (&self);
  if (!wait_quiet (&self, self.settle_ms, now_ms () + (gint64) self.timeout_s * 1000))
    fail (&self, "the window did not go %d ms without drawing after it got the focus",
          self.settle_ms);
  fprintf (stderr, "bench-outside: window %dx%d, quiet and focused\n", self.width, self.height);

  for (guint i = 0; i < n_warm_up + (guint) self.n_presses; i++)
    {
      Press press;
      gboolean drew = measure_press (&self, keys[i % n_keys], codes[i % n_keys], &press);

      if (i < n_warm_up)
        continue;
      if (drew)
        g_array_append_val (presses, press);
      else
        missed++;
    }

  report (&self, presses, n_warm_up, missed);
  end_child (self.pid);
  XCloseDisplay (self.dpy);
  if (presses->len * 2 < (guint) self.n_presses)
    {
      fprintf (stderr, "bench-outside: fewer than half of the presses drew anything\n");
      return 1;
    }
  return 0;
}
