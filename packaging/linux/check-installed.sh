#!/usr/bin/env bash
# Installs dist/ptt-app_*.deb, checks the installed app (smoke test, real window, keyring through the
# bundle's own backend), then removes it and checks nothing is left. Run as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "check-installed: $*" >&2; exit 1; }
deb=$(ls dist/ptt-app_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no dist/ptt-app_*.deb (run packaging/linux/build-deb.sh)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
private_env=(PTT_APP_CONFIG_DIR="$work/config" PTT_APP_DATA_DIR="$work/data" XDG_CONFIG_HOME="$work/xdg")

echo "== install $deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null || fail "apt-get install failed"
[ -x /opt/ptt-app/ptt-app ] && [ -L /usr/bin/ptt-app ] || fail "installed files missing"
[ "$(command -v ptt-app)" = /usr/bin/ptt-app ] || fail "ptt-app is not on PATH from the package"

echo "== installed smoke test"
out=$(env "${private_env[@]}" QT_QPA_PLATFORM=offscreen timeout 60 ptt-app --smoke-test) || fail "smoke test exited non-zero: $out"
echo "$out"
ids=$(echo "$out" | grep -cE '^(StartListening|StopListening) RequestId=[^ -][^ ]* Code=0' || true)
[ "$ids" -eq 2 ] || fail "smoke test printed $ids RequestIds, expected 2"

echo "== installed window under Xvfb"
mkdir -p docs
shot=docs/installed-window.png
env "${private_env[@]}" xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
  ptt-app --demo >/dev/null 2>&1 &
  pid=$!
  for i in $(seq 1 500); do xdotool search --onlyvisible --name "PTT Console" >/dev/null 2>&1 && break; sleep 0.02; done
  sleep 1.5
  import -window root "$1"
  kill $pid; wait $pid 2>/dev/null || true' sh "$shot" || fail "could not run the installed window"
colours=$(identify -format %k "$shot")
[ "$colours" -gt 16 ] || fail "screenshot $shot has only $colours colours: the window did not draw"
echo "screenshot $shot: $(identify -format '%wx%h' "$shot"), $colours colours"

echo "== installed app with a real Secret Service keyring"
secret=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
env -u DISPLAY "${private_env[@]}" XDG_DATA_HOME="$work/keyring" dbus-run-session -- sh -c '
  printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  set -e
  ptt-app --profile pkgcheck credentials set --app-id 123456789
  ptt-app --profile pkgcheck credentials check
  ptt-app --profile pkgcheck credentials clear
  if ptt-app --profile pkgcheck credentials check 2>/dev/null; then echo "credentials survived clear" >&2; exit 1; fi' \
  <<<"$secret" > "$work/keyring.out" 2>&1 || { cat "$work/keyring.out"; fail "keyring round trip through the installed app failed"; }
grep -v "fd limit" "$work/keyring.out" || true
grep -q "$secret" "$work/keyring.out" && fail "the secret appeared in the output"
grep -rqs "$secret" "$work/config" "$work/data" && fail "the secret appeared in a file the app wrote"

echo "== remove"
DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -qq ptt-app >/dev/null || fail "apt-get remove failed"
[ ! -e /opt/ptt-app ] || fail "/opt/ptt-app is left after removal: $(find /opt/ptt-app | head -5)"
[ ! -e /usr/bin/ptt-app ] && [ ! -L /usr/bin/ptt-app ] || fail "/usr/bin/ptt-app is left after removal"
echo "check-installed: all checks passed"
