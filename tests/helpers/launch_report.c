/* launch_report: a child for the launch kit's tests. It prints what the
 * launcher set up for it, one "key=value" line each, on stdout:
 *   pid ppid sid pgid pdeathsig umask cwd uid gid groups sigblk sigign fds
 *   limit.<name>=soft:hard   env=KEY=VALUE (one line per variable)
 * then, with "--ready N", writes "\n" to fd N (s6's notification-fd), and
 * with "--wait", blocks until stdin reaches EOF or a signal ends it. */
#define _GNU_SOURCE
#include <dirent.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

extern char** environ;

static void print_status_field(const char* field) {
  FILE* f = fopen("/proc/self/status", "re");
  char line[512];
  size_t n = strlen(field);
  while (f && fgets(line, sizeof line, f)) {
    if (strncmp(line, field, n) == 0 && line[n] == ':') {
      char* v = line + n + 1;
      while (*v == ' ' || *v == '\t') ++v;
      printf("%s=%s", field, v); /* v keeps its '\n' */
    }
  }
  if (f) fclose(f);
}

static void print_fds(void) {
  DIR* d = opendir("/proc/self/fd");
  struct dirent* e;
  printf("fds=");
  const char* sep = "";
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d)) continue;
    printf("%s%s", sep, e->d_name);
    sep = ",";
  }
  printf("\n");
  if (d) closedir(d);
}

static void print_limit(const char* name, int resource) {
  struct rlimit rl;
  getrlimit(resource, &rl);
  printf("limit.%s=%llu:%llu\n", name, (unsigned long long)rl.rlim_cur,
         (unsigned long long)rl.rlim_max);
}

int main(int argc, char** argv) {
  int sig = 0;
  char cwd[4096];
  gid_t groups[256];
  int ngroups = getgroups(256, groups);
  mode_t mask = umask(0);
  prctl(PR_GET_PDEATHSIG, &sig);
  printf("pid=%d\nppid=%d\nsid=%d\npgid=%d\n", getpid(), getppid(), getsid(0), getpgid(0));
  printf("pdeathsig=%d\numask=%04o\n", sig, (unsigned)mask);
  printf("cwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
  printf("uid=%u\ngid=%u\ngroups=", (unsigned)getuid(), (unsigned)getgid());
  for (int i = 0; i < ngroups; ++i) printf(i ? ",%u" : "%u", (unsigned)groups[i]);
  printf("\n");
  print_status_field("SigBlk");
  print_status_field("SigIgn");
  print_fds();
  print_limit("nofile", RLIMIT_NOFILE);
  print_limit("core", RLIMIT_CORE);
  print_limit("as", RLIMIT_AS);
  print_limit("nproc", RLIMIT_NPROC);
  for (char** e = environ; *e; ++e) printf("env=%s\n", *e);
  fflush(stdout);
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--ready") == 0 && i + 1 < argc) {
      if (write(atoi(argv[++i]), "\n", 1) != 1) return 3;
    } else if (strcmp(argv[i], "--wait") == 0) {
      char c;
      while (read(0, &c, 1) > 0) {}
    }
  }
  return 0;
}
