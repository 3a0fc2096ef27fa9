# bash completion for grovectl: verbs, options, and the paths of the running
# tree (asked from groved through `grovectl __complete`).
_grovectl() {
  local cur prev words cword
  _init_completion 2>/dev/null || {
    cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"
    words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
  }
  local verbs="status restart stop start reload logs deadletters pid signal shutdown"
  local i verb="" opts=()
  for ((i = 1; i < cword; i++)); do
    case "${words[i]}" in
      --socket|--name) opts+=("${words[i]}" "${words[i+1]}"); ((i++)) ;;
      -*) ;;
      *) [ -z "$verb" ] && verb="${words[i]}" ;;
    esac
  done
  case "$prev" in
    --socket) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --name|-n|--lines) return ;;
  esac
  if [ -z "$verb" ]; then
    COMPREPLY=($(compgen -W "$verbs --socket --name --help -h" -- "$cur"))
    return
  fi
  case "$verb" in
    status) COMPREPLY=($(compgen -W "--json $(grovectl "${opts[@]}" __complete 2>/dev/null)" -- "$cur")) ;;
    deadletters) COMPREPLY=($(compgen -W "--json $(grovectl "${opts[@]}" __complete 2>/dev/null)" -- "$cur")) ;;
    logs) COMPREPLY=($(compgen -W "-f --follow -n --lines $(grovectl "${opts[@]}" __complete 2>/dev/null)" -- "$cur")) ;;
    signal)
      if [ "$prev" = signal ]; then
        COMPREPLY=($(compgen -W "HUP INT QUIT KILL USR1 USR2 TERM CONT STOP" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "$(grovectl "${opts[@]}" __complete 2>/dev/null)" -- "$cur"))
      fi ;;
    restart|stop|start|pid)
      COMPREPLY=($(compgen -W "$(grovectl "${opts[@]}" __complete 2>/dev/null)" -- "$cur")) ;;
  esac
}
complete -F _grovectl grovectl
