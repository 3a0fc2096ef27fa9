# fork_exec_floor: the minimal C restarter (bench/restart/fork_exec_floor.c),
# the floor every other system is read against.
peer_check() {
  [ -x "$BENCH_BUILD/bench/fork_exec_floor" ] && return 0
  echo "fork_exec_floor not built ($BENCH_BUILD/bench/fork_exec_floor)"
  return 1
}

peer_setup() {
  local dir=$1 count=$2 probe=$3 socket=$4
  PEER_CMD=("$BENCH_BUILD/bench/fork_exec_floor" "$count" "$probe" "$socket" '{}')
}
