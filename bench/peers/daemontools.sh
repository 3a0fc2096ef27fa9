# daemontools: svscan over a service directory, one supervise per probe,
# ./run a symlink to the probe (no shell). svscan starts at most 1000
# services (its compiled-in limit), exactly what idle_cpu.1000 needs.
peer_check() {
  command -v svscan >/dev/null && command -v supervise >/dev/null && return 0
  echo "svscan not installed (Debian package: daemontools)"
  return 1
}

peer_setup() {
  local dir=$1 count=$2 probe=$3 socket=$4 i
  for ((i = 0; i < count; i++)); do
    mkdir -p "$dir/service/p$i"
    ln -s "$probe" "$dir/service/p$i/run"
  done
  export PROBE_SOCKET=$socket
  PEER_CMD=(svscan "$dir/service")
}
