# The tool server's client, sourced by bin/ordo (the release's and the checkout's): short commands
# are run by one resident JVM instead of a JVM each, over 127.0.0.1 with bash's /dev/tcp. When no
# server answers, the command runs directly as before and a server is started in the background for
# the next one, so a first call is no slower than without it.
#
# Environment:
#   ORDO_TOOL_SERVER       off: never use or start a server
#   ORDO_TOOL_SERVER_DIR   the server's folder (default ${XDG_RUNTIME_DIR:-~/.cache}/ordo-tools),
#                          mode 0700: KEY.port (port, token, pid; 0600), KEY.lock, KEY.log
#   ORDO_TOOL_SERVER_IDLE  how long a server waits for a request before it exits (default 10m)

# True when the arguments name a command the server runs: short, reading no stdin, printing text.
tool_server_serves() {
  case "${1:-}" in
    genesis | version | completion) return 0 ;;
    crypto) [ "${2:-}" = generate ] ;;
    channel)
      case "${2:-}" in
        list | join | remove | leader) return 0 ;;
        *) return 1 ;;
      esac
      ;;
    *) return 1 ;;
  esac
}

# tool_server_init JAR JAVA_BIN: sets tool_server_dir and tool_server_key (the jar's path, size and
# time, and the java binary); false when the server is off or the tools it needs are missing.
# Each program run here costs a short command a few milliseconds: only stat and env are.
tool_server_init() {
  [ "${ORDO_TOOL_SERVER:-on}" != off ] || return 1
  command -v stat >/dev/null 2>&1 && command -v env >/dev/null 2>&1 || return 1
  local identity key
  identity=$(stat -c '%s.%Y' "$1" 2>/dev/null) || return 1
  # a file name made of the jar's path and identity and the java binary, without running a hash
  key="$identity@$2@$1"
  key="${key//[^A-Za-z0-9._-]/_}"
  tool_server_key="tools-${key:0:200}"
  tool_server_dir="${ORDO_TOOL_SERVER_DIR:-${XDG_RUNTIME_DIR:-${HOME:-/tmp}/.cache}/ordo-tools}"
}

# tool_server_run ARGS...: runs the command on the server and exits with its exit code; returns 1,
# having printed nothing, when no server took the request.
tool_server_run() {
  local file="$tool_server_dir/$tool_server_key.port" port token pid frame rc="" tty=0
  [ -f "$file" ] && [ -O "$file" ] || return 1
  read -r port token pid <"$file" || return 1
  if [ ! -d "/proc/$pid" ]; then
    rm -f "$file" # its server is gone
    return 1
  fi
  cd -P . || return 1 # $PWD without symbolic links, as the JVM's own working folder is
  if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    rm -f "$file"
    return 1
  fi
  if [ -t 0 ] && [ -t 1 ]; then tty=1; fi
  trap '' PIPE # a refusing server may close first: a failed write, not a killed launcher
  {
    printf 'ordo-tool-1\0%s\0%s\0%s\0%s\0' "$token" "$PWD" "$tty" "$#"
    printf '%s\0' "$@"
    env -0
    printf '\0'
  } >&3 2>/dev/null || true
  trap - PIPE
  if ! IFS= read -r -d '' -t 5 frame <&3 || [ "$frame" != a ]; then
    exec 3<&-
    case "$frame" in
      r*) ;; # refused (its token changed, or the request was too large): run directly
      *) rm -f "$file" ;; # not a tool server that answers
    esac
    return 1
  fi
  while IFS= read -r -d '' frame <&3; do
    case "${frame:0:1}" in
      o) printf '%s' "${frame:1}" ;;
      e) printf '%s' "${frame:1}" >&2 ;;
      x)
        rc="${frame:1}"
        break
        ;;
    esac
  done
  exec 3<&-
  if [ -z "$rc" ]; then
    echo "ordo: the tool server stopped during the command; ORDO_TOOL_SERVER=off runs without it" >&2
    exit 70
  fi
  exit "$rc"
}

# tool_server_start JAVA_BIN JAR JVM_FLAGS...: starts a server in the background, detached from this
# terminal, its output to KEY.log; a second one for the same key exits at once.
tool_server_start() {
  local java="$1" jar="$2"
  shift 2
  command -v setsid >/dev/null 2>&1 || return 0
  mkdir -p -m 700 "$tool_server_dir" 2>/dev/null && [ -O "$tool_server_dir" ] || return 0
  (
    umask 077
    setsid "$java" "$@" -cp "$jar" io.ordo.cli.toolserver.ToolServerMain \
      "$tool_server_dir" "$tool_server_key" "$jar" </dev/null >>"$tool_server_dir/$tool_server_key.log" 2>&1 &
  )
  return 0
}
