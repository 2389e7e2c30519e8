/* cb-test-child.c: stands in for the trainer in the terminal pane's tests
 *
 *   cb-test-child exit N        prints "hello from child", exits with status N
 *   cb-test-child ignore-int    ignores SIGINT, prints "ready", sleeps
 *   cb-test-child ignore-term   ignores SIGINT and SIGTERM, prints "ready", sleeps
 *   cb-test-child children      forks 3 grandchildren that ignore SIGINT and SIGHUP (as
 *                               DataLoader workers outliving their parent would), prints
 *                               "worker PID" for each, then "ready", then sleeps; the parent
 *                               dies of SIGINT
 *   cb-test-child orphans       like children, but exits 0 itself after "ready", leaving the
 *                               workers behind in its process group
 *   cb-test-child sleep         prints "ready", sleeps with the default signal handling
 *   cb-test-child progress      draws a progress bar with \r, prints "done", exits 0
 *
 * Plain POSIX, no GLib: it runs in the spawned process group and must stay small.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
sleep_forever (void)
{
  for (;;)
    pause ();
}

static void
ignore (int signo)
{
  struct sigaction action;

  memset (&action, 0, sizeof action);
  action.sa_handler = SIG_IGN;
  sigemptyset (&action.sa_mask);
  sigaction (signo, &action, NULL);
}

static int
run_children (int orphan)
{
  int fds[2];
  char byte;

  /* Each worker reports over the pipe once its signals are set, so "ready" means ready. */
  if (pipe (fds) != 0)
    {
      perror ("pipe");
      return 1;
    }

  for (int i = 0; i < 3; i++)
    {
      pid_t pid = fork ();

      if (pid < 0)
        {
          perror ("fork");
          return 1;
        }

      if (pid == 0)
        {
          ignore (SIGINT);
          ignore (SIGHUP);
          close (fds[0]);
          if (write (fds[1], "x", 1) != 1)
            _exit (1);
          close (fds[1]);
          sleep_forever ();
        }

      printf ("worker %ld\n", (long) pid);
    }

  close (fds[1]);
  for (int i = 0; i < 3; i++)
    {
      if (read (fds[0], &byte, 1) != 1)
        {
          perror ("read");
          return 1;
        }
    }
  close (fds[0]);

  printf ("ready\n");
  fflush (stdout);
  if (orphan)
    return 0;
  sleep_forever ();
  return 0;
}

static int
run_progress (void)
{
  for (int i = 0; i <= 20; i++)
    {
      printf ("\r[%-20.*s] %3d%%", i, "====================", i * 5);
      fflush (stdout);
      usleep (10 * 1000);
    }

  printf ("\ndone\n");
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = argc > 1 ? argv[1] : "";

  setvbuf (stdout, NULL, _IONBF, 0);

  if (strcmp (mode, "exit") == 0 && argc > 2)
    {
      printf ("hello from child\n");
      return atoi (argv[2]);
    }

  if (strcmp (mode, "ignore-int") == 0)
    {
      ignore (SIGINT);
      printf ("ready\n");
      sleep_forever ();
    }

  if (strcmp (mode, "ignore-term") == 0)
    {
      ignore (SIGINT);
      ignore (SIGTERM);
      printf ("ready\n");
      sleep_forever ();
    }

  if (strcmp (mode, "children") == 0)
    return run_children (0);

  if (strcmp (mode, "orphans") == 0)
    return run_children (1);

  if (strcmp (mode, "sleep") == 0)
    {
      printf ("ready\n");
      sleep_forever ();
    }

  if (strcmp (mode, "progress") == 0)
    return run_progress ();

  fprintf (stderr,
           "usage: %s exit N | ignore-int | ignore-term | children | orphans | sleep | progress\n",
           argv[0]);
  return 2;
}
