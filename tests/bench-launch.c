/* bench-launch.c: reads the clock, then execs its arguments with CB_BENCH_T0_NS set to it
 *
 *   bench-launch PROGRAM [ARG...]
 *
 * The start-up benchmark measures from here: CLOCK_MONOTONIC, read in this process right
 * before execvp(), so the figure includes the dynamic loader, the libraries' constructors
 * and everything else a user waits for after pressing Enter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
main (int    argc,
      char **argv)
{
  struct timespec ts;
  char value[32];

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-launch PROGRAM [ARG...]\n");
      return 2;
    }

  clock_gettime (CLOCK_MONOTONIC, &ts);
  snprintf (value, sizeof value, "%lld",
            (long long) ts.tv_sec * 1000000000LL + (long long) ts.tv_nsec);
  setenv ("CB_BENCH_T0_NS", value, 1);
  execvp (argv[1], argv + 1);
  perror (argv[1]);
  return 127;
}
