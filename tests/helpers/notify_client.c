/* notify_client MESSAGE: sends MESSAGE as one datagram to $NOTIFY_SOCKET
 * (sd_notify's protocol, '@' = abstract), the way a daemon linking
 * libsystemd would. Exit 0 sent, 1 no NOTIFY_SOCKET, 2 socket error. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* path = getenv("NOTIFY_SOCKET");
  if (!path || argc < 2) return 1;
  struct sockaddr_un sun;
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  size_t len = strlen(path);
  if (len >= sizeof sun.sun_path) return 2;
  memcpy(sun.sun_path, path, len);
  socklen_t alen = sizeof sun;
  if (path[0] == '@') {
    sun.sun_path[0] = '\0';
    alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
  }
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 2;
  const char* msg = argv[1];
  if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr*)&sun, alen) < 0) {
    perror("notify_client: sendto");
    return 2;
  }
  close(fd);
  return 0;
}
