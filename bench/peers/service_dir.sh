# service_dir.sh — the daemontools-style service directory that runit and
# daemontools share: one service per probe, ./run a symlink to the probe (no
# shell in the restart path). Sourced by runit.sh and daemontools.sh.
make_service_dir() {
  local dir=$1 count=$2 probe=$3 socket=$4 i
  for ((i = 0; i < count; i++)); do
    mkdir -p "$dir/service/p$i"
    ln -s "$probe" "$dir/service/p$i/run"
  done
  export PROBE_SOCKET=$socket
}
