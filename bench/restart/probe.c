/* probe: the supervised program of the restart benchmarks.
 *
 * At start it takes CLOCK_MONOTONIC, optionally signals readiness on a
 * notification fd (s6's protocol: write a newline), sends one announcement
 * datagram (announcement.h) to the driver's socket, then pauses until killed.
 *
 *   probe SOCKET NAME [READY_FD]
 *   PROBE_SOCKET=SOCKET probe [NAME]     (as a service's ./run symlink)
 *
 * When $PROBE_SOCKET is set, NAME is $PROBE_NAME, else the first argument
 * (s6-supervise runs ./run with the service name as its argument), else the
 * basename of the working directory (runsv and supervise run ./run inside
 * the service directory, without arguments); READY_FD is $PROBE_READY_FD.
 * Running ./run directly keeps /bin/sh out of every peer's restart path:
 * each system execs the probe itself.
 *
 * Built static when the C library allows it, so exec costs the same under
 * every supervisor and no dynamic loader runs.
 */
#include "announcement.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

_Noreturn static void die(const char *what) {
  char line[160];
  int n = snprintf(line, sizeof line, "probe: fatal: unable to %s: %s\n", what,
                   strerror(errno));
  if (n > 0) (void)!write(2, line, (size_t)n);
  _exit(111);
}

static const char *service_name(int argc, char **argv, char *buf, size_t len) {
  const char *env = getenv("PROBE_NAME");
  if (env) return env;
  if (argc > 1) return argv[1];
  if (!getcwd(buf, len)) die("read the working directory");
  const char *slash = strrchr(buf, '/');
  return slash ? slash + 1 : buf;
}

static void signal_ready(const char *fd_text) {
  if (!fd_text || !*fd_text) return;
  int fd = atoi(fd_text);
  if (write(fd, "\n", 1) != 1) die("write to the notification fd");
  close(fd);
}

static void announce(const char *socket_path, const char *name, int64_t started_ns) {
  struct announcement a;
  memset(&a, 0, sizeof a);
  a.started_ns = started_ns;
  a.pid = (int32_t)getpid();
  memcpy(a.name, name, strnlen(name, sizeof a.name - 1)); /* longer names are cut */

  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(socket_path) >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    die("address the driver's socket");
  }
  strcpy(addr.sun_path, socket_path);

  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("create a socket");
  /* Blocking send: when 1000 probes start together and the driver's queue
   * is full, a probe waits its turn instead of losing its announcement. */
  while (sendto(fd, &a, sizeof a, 0, (const struct sockaddr *)&addr, sizeof addr) < 0)
    if (errno != EINTR) die("announce to the driver");
  close(fd);
}

int main(int argc, char **argv) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  int64_t started_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;

  char cwd[4096];
  const char *socket_path = getenv("PROBE_SOCKET");
  const char *name, *ready_fd;
  if (socket_path) {
    name = service_name(argc, argv, cwd, sizeof cwd);
    ready_fd = getenv("PROBE_READY_FD");
  } else if (argc > 2) {
    socket_path = argv[1];
    name = argv[2];
    ready_fd = argc > 3 ? argv[3] : NULL;
  } else {
    errno = EINVAL;
    die("find the driver's socket (usage: probe SOCKET NAME [READY_FD])");
  }

  signal_ready(ready_fd);
  announce(socket_path, name, started_ns);
  for (;;) pause();
}
