#!/usr/bin/env bash
# CI check of the built .deb as an operator gets it: install with apt, verify its files against its
# md5sums, smoke-run the installed binary, screenshot its real window (into build/ci-artifacts, never
# into the tracked docs/), round-trip credentials through a real gnome-keyring with the bundle's own
# keyring backend, then purge and check nothing is left. Run as root after build-deb.sh.
#   Usage: check-installed.sh [PATH.deb]   (default: the one dist/ptt-app_*.deb)
#   PTT_CI_ARTIFACTS   where the screenshot goes (default build/ci-artifacts)
# Needs: apt, xvfb, xdotool, imagemagick, gnome-keyring, dbus (dbus-run-session),
# libsecret-tools (secret-tool).
set -euo pipefail
cd "$(dirname "$0")/../.."
APP_ID=io.github.ptt_app.PttApp
ARTIFACTS=${PTT_CI_ARTIFACTS:-build/ci-artifacts}
INSTALLED_DATA=("/usr/share/applications/$APP_ID.desktop" "/usr/share/metainfo/$APP_ID.metainfo.xml"
                "/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg")
for size in 48 64 128 256; do INSTALLED_DATA+=("/usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"); done
fail() { echo "check-installed: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "run as root (it installs and purges the package)"
for tool in apt-get dpkg Xvfb xdotool import identify dbus-run-session gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (see packaging/README.md for the apt list)"
done

if [ $# -ge 1 ]; then
  deb=$1
else
  shopt -s nullglob
  debs=(dist/ptt-app_*.deb)
  shopt -u nullglob
  [ ${#debs[@]} -gt 0 ] || fail "no dist/ptt-app_*.deb (run packaging/linux/build-deb.sh first)"
  # Testing a stale package by accident would pass for the wrong build.
  [ ${#debs[@]} -eq 1 ] || fail "several packages in dist/ (${debs[*]}): pass the one to check"
  deb=${debs[0]}
fi
[ -f "$deb" ] || fail "$deb does not exist"
case "$deb" in /*) ;; *) deb=./$deb ;; esac  # apt-get takes a path only when it looks like one

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The checks must neither read nor leave the operator's (root's) own settings and journal.
private_env=(HOME="$work/home" PTT_APP_CONFIG_DIR="$work/config" PTT_APP_DATA_DIR="$work/data"
             XDG_CONFIG_HOME="$work/xdg-config" XDG_CACHE_HOME="$work/xdg-cache")
mkdir -p "$work/home"

echo "== install $deb"
# apt-get install of the version already installed is a no-op, which would check the old files.
if dpkg-query -W -f='${Status}' ptt-app 2>/dev/null | grep -q 'ok installed'; then
  DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -qq ptt-app >/dev/null || fail "could not remove the ptt-app installed before"
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >"$work/apt.log" 2>&1 \
  || { tail -20 "$work/apt.log" >&2; fail "apt-get install $deb failed"; }
[ -x /opt/ptt-app/ptt-app ] || fail "/opt/ptt-app/ptt-app is missing after install"
[ "$(command -v ptt-app)" = /usr/bin/ptt-app ] || fail "ptt-app on PATH is not /usr/bin/ptt-app"
for f in "${INSTALLED_DATA[@]}"; do
  [ -s "$f" ] || fail "$f is missing after install"
done
dpkg-deb --info "$deb" md5sums >/dev/null 2>&1 || fail "$deb carries no DEBIAN/md5sums"
changed=$(dpkg --verify ptt-app 2>&1) || true
[ -z "$changed" ] || fail "dpkg --verify ptt-app: $changed"
ptt-app --version >/dev/null 2>&1 || fail "installed ptt-app --version failed"

echo "== installed smoke test (offscreen)"
status=0
out=$(env "${private_env[@]}" QT_QPA_PLATFORM=offscreen timeout 60 ptt-app --smoke-test 2>"$work/smoke.err") || status=$?
printf '%s\n' "$out"
[ "$status" -eq 0 ] || { tail -5 "$work/smoke.err" >&2; fail "installed ptt-app --smoke-test exited $status"; }
start_ids=$(printf '%s\n' "$out" | grep -cE '^StartListening .*RequestId=[^[:space:]]+' || true)
stop_ids=$(printf '%s\n' "$out" | grep -cE '^StopListening .*RequestId=[^[:space:]]+' || true)
if [ "$start_ids" -ne 1 ] || [ "$stop_ids" -ne 1 ]; then
  fail "smoke test printed $start_ids StartListening and $stop_ids StopListening RequestIds, expected 1 each"
fi

echo "== installed window under Xvfb (--demo)"
bash packaging/linux/screenshot-window.sh /usr/bin/ptt-app "$ARTIFACTS/installed-window.png" \
  || fail "the installed window could not be shown and captured (above)"

echo "== installed app with a real Secret Service keyring (gnome-keyring, private D-Bus session)"
# The secret goes only through pipes (printf is a shell builtin): never argv, a file or the output.
secret=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
[ ${#secret} -eq 32 ] || fail "could not make a random secret"
keyring_status=0
printf '%s\n' "$secret" | env -u DISPLAY -u WAYLAND_DISPLAY "${private_env[@]}" XDG_DATA_HOME="$work/keyring" \
  dbus-run-session -- bash -c '
    set -u
    IFS= read -r secret
    printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
    step() { echo "keyring step failed: $*" >&2; exit 1; }
    printf "%s\n" "$secret" | ptt-app --profile pkgcheck credentials set --app-id 123456789 --secret-stdin \
      || step "credentials set"
    said=$(ptt-app --profile pkgcheck credentials check) || step "credentials check after set"
    echo "$said"
    case "$said" in *saved*|*present*) ;; *) step "credentials check did not say the credentials are saved";; esac
    # Independent of the app: the keyring daemon itself holds the value that was sent.
    stored=$(secret-tool lookup service "ptt-app (ZEGOCLOUD AI Agent console)" username "pkgcheck/ServerSecret") \
      || step "secret-tool finds no ServerSecret in gnome-keyring"
    [ "$stored" = "$secret" ] || step "gnome-keyring holds a different ServerSecret than was set"
    ptt-app --profile pkgcheck credentials clear || step "credentials clear"
    if ptt-app --profile pkgcheck credentials check >/dev/null 2>&1; then step "credentials still present after clear"; fi
    if secret-tool lookup service "ptt-app (ZEGOCLOUD AI Agent console)" username "pkgcheck/ServerSecret" >/dev/null 2>&1; then
      step "gnome-keyring still holds the ServerSecret after clear"
    fi' >"$work/keyring.out" 2>&1 || keyring_status=$?
# dbus-daemon cannot raise its fd limit in a container and says so; that is noise, not a failure.
grep -v "Failed to set fd limit" "$work/keyring.out" || true
if grep -qF -f <(printf '%s\n' "$secret") "$work/keyring.out"; then fail "the secret appeared in the app's output"; fi
if grep -rqsF -f <(printf '%s\n' "$secret") "$work/config" "$work/data" "$work/home" "$work/xdg-config"; then
  fail "the secret appeared in a file the app wrote"
fi
[ "$keyring_status" -eq 0 ] || fail "keyring round trip through the installed app failed (see above)"
[ -d "$work/keyring/keyrings" ] || fail "gnome-keyring wrote no keyring file: the app did not use it"

echo "== purge"
DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -qq ptt-app >"$work/apt.log" 2>&1 \
  || { tail -20 "$work/apt.log" >&2; fail "apt-get remove --purge ptt-app failed"; }
if [ -e /opt/ptt-app ]; then fail "/opt/ptt-app is left after purge: $(find /opt/ptt-app | head -3 | tr '\n' ' ')"; fi
if [ -e /usr/bin/ptt-app ] || [ -L /usr/bin/ptt-app ]; then fail "/usr/bin/ptt-app is left after purge"; fi
for f in "${INSTALLED_DATA[@]}"; do
  [ ! -e "$f" ] || fail "$f is left after purge"
done
echo "check-installed: all checks passed"
