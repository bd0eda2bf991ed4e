#!/usr/bin/env bash
# Runs a command on a private Xvfb screen and exits with the command's status.
#   Usage: run-in-xvfb.sh COMMAND [ARGS...]
# Instead of `xvfb-run -a`, which picks a display number by looking for lock files and can hand two
# jobs started together the same one (the loser's app then aborts with "could not connect to
# display"), Xvfb picks a free display itself and reports it (-displayfd). Needs: xvfb.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: run-in-xvfb.sh COMMAND [ARGS...]" >&2; exit 2; }
command -v Xvfb >/dev/null || { echo "run-in-xvfb: Xvfb is not installed (apt-get install xvfb)" >&2; exit 1; }
dir=$(mktemp -d)
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$dir/display" 2>"$dir/xvfb.log" &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  [ -s "$dir/display" ] && break
  kill -0 "$xvfb" 2>/dev/null || { cat "$dir/xvfb.log" >&2; echo "run-in-xvfb: Xvfb did not start" >&2; exit 1; }
  sleep 0.05
done
[ -s "$dir/display" ] || { echo "run-in-xvfb: Xvfb reported no display within 5 s" >&2; exit 1; }
status=0
DISPLAY=":$(head -n1 "$dir/display")" "$@" || status=$?
exit "$status"
