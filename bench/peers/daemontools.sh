# daemontools: svscan over a service directory, one supervise per probe,
# ./run a symlink to the probe (no shell). svscan starts at most 1000
# services (its compiled-in limit), exactly what idle_cpu.1000 needs.
peer_check() {
  command -v svscan >/dev/null && command -v supervise >/dev/null && return 0
  echo "svscan not installed (Debian package: daemontools)"
  return 1
}

. "$(dirname "${BASH_SOURCE[0]}")/service_dir.sh"

peer_setup() {
  make_service_dir "$@"
  PEER_CMD=(svscan "$1/service")
}
