/* announcement.h: the datagram a probe sends when an incarnation starts.
 *
 *   struct announcement a = {.started_ns = now, .pid = getpid()};
 *   snprintf(a.name, sizeof a.name, "p%d", 7);
 *   sendto(fd, &a, sizeof a, 0, (struct sockaddr *)&driver, len);
 *
 * Contract: one fixed-size datagram on an AF_UNIX SOCK_DGRAM socket bound by
 * the restart driver; probe and driver run on the same machine, so the
 * struct travels in host byte order. started_ns is CLOCK_MONOTONIC, taken as
 * the first thing in the probe's main(), so a restart is measured up to the
 * moment the new incarnation runs its own code, independent of how quickly
 * the driver is scheduled to read the datagram.
 */
#ifndef GROVE_BENCH_RESTART_ANNOUNCEMENT_H
#define GROVE_BENCH_RESTART_ANNOUNCEMENT_H

#include <stdint.h>

struct announcement {
  int64_t started_ns; /* CLOCK_MONOTONIC at the top of main() */
  int32_t pid;
  char name[20]; /* the probe's slot, "p0".."p999", NUL-terminated */
};

#endif
