/* fork_exec_floor: the smallest restarter there is, the floor under every
 * supervisor in the restart benchmarks.
 *
 *   fork_exec_floor COUNT PROG ARG...     ("{}" in an ARG becomes p<i>)
 *   fork_exec_floor 100 ./probe /tmp/x/probe.sock {}
 *
 * It starts COUNT children, then blocks in waitpid(-1) and fork+execs the
 * dead child's command again at once: no readiness, no intensity, no logs,
 * no event loop. Every argv is built before the first fork so a restart is
 * just fork + execv. SIGTERM (or SIGINT) kills the children and exits 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct slot {
  pid_t pid;
  char **argv;
};

static volatile sig_atomic_t stopping;

static void on_stop(int sig) {
  (void)sig;
  stopping = 1;
}

static void die(const char *what) {
  fprintf(stderr, "fork_exec_floor: fatal: unable to %s: %s\n", what, strerror(errno));
  exit(111);
}

static char **build_argv(int argc, char **argv, int index) {
  char **out = calloc((size_t)argc + 1, sizeof *out);
  if (!out) die("allocate an argv");
  for (int i = 0; i < argc; ++i) {
    if (strcmp(argv[i], "{}") == 0) {
      out[i] = malloc(16);
      if (!out[i]) die("allocate an argv");
      snprintf(out[i], 16, "p%d", index);
    } else {
      out[i] = argv[i];
    }
  }
  return out;
}

static pid_t spawn(char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  return pid;
}

static void stop_all(struct slot *slots, int count) {
  for (int i = 0; i < count; ++i)
    if (slots[i].pid > 0) kill(slots[i].pid, SIGKILL);
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
  }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: fork_exec_floor COUNT PROG ARG...\n");
    return 2;
  }
  int count = atoi(argv[1]);
  if (count <= 0) {
    fprintf(stderr, "fork_exec_floor: COUNT must be positive\n");
    return 2;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop; /* no SA_RESTART: waitpid must return EINTR */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  struct slot *slots = calloc((size_t)count, sizeof *slots);
  if (!slots) die("allocate the slots");
  for (int i = 0; i < count; ++i) {
    slots[i].argv = build_argv(argc - 2, argv + 2, i);
    slots[i].pid = spawn(slots[i].argv);
    if (slots[i].pid < 0) die("fork");
  }
  while (!stopping) {
    pid_t dead = waitpid(-1, NULL, 0);
    if (dead < 0) {
      if (errno == EINTR) continue;
      die("wait for a child");
    }
    for (int i = 0; i < count; ++i) {
      if (slots[i].pid != dead) continue;
      slots[i].pid = spawn(slots[i].argv);
      if (slots[i].pid < 0) die("fork");
      break;
    }
  }
  stop_all(slots, count);
  return 0;
}
