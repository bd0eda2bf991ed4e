#!/usr/bin/env bash
# Runs INSIDE a freshly built minimal Debian system (check-clean-systems.sh copies it in with the .deb
# and the two Xvfb helpers): installs the .deb the way an operator does, without Recommends, so that
# only its Depends can supply a library or font; then checks, as an ordinary user, that nothing the
# bundle needs is missing and that the installed smoke test passes offscreen and on an X server.
#   Usage (as root in the new system): clean-system-checks.sh /tmp/ptt-checks/ptt-app_<v>_<arch>.deb
set -euo pipefail
deb=$1
here=$(dirname "$0")
APP_ID=io.github.ptt_app.PttApp
OPERATOR=ptt-tester  # not "operator": Debian has a system group of that name
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
fail() { echo "clean-system: $*" >&2; exit 1; }
system=$(. /etc/os-release && echo "$PRETTY_NAME")
step() { echo "== [$system] $*"; }

# What the installed app must never print: a library, plugin or font it cannot find or load.
COMPLAINTS='fontconfig|cannot open shared object|error while loading shared libraries|could not load the qt platform plugin'
COMPLAINTS+='|could not find the qt platform plugin|cannot load library|failed to load|not found|no such file'
COMPLAINTS+='|qfontdatabase|traceback|compose table'

# The installed app's output ($1: stderr file) says nothing from the list above.
no_complaints() {
  if grep -Ei "$COMPLAINTS" "$1" >&2; then fail "$2 printed the complaints above on stderr"; fi
}

# The smoke test's output ($1) holds one StartListening and one StopListening with a RequestId.
both_request_ids() {
  local starts stops
  starts=$(grep -cE '^StartListening .*RequestId=[^[:space:]-]' "$1" || true)
  stops=$(grep -cE '^StopListening .*RequestId=[^[:space:]-]' "$1" || true)
  [ "$starts" -eq 1 ] && [ "$stops" -eq 1 ] \
    || fail "$2 printed $starts StartListening and $stops StopListening RequestIds, expected 1 each: $(tr '\n' ' ' < "$1")"
}

# Runs a command as the unprivileged operator, in a private home like a fresh desktop account.
as_operator() {
  runuser -u "$OPERATOR" -- env -i PATH=/usr/bin:/bin HOME="/home/$OPERATOR" LANG=C.UTF-8 \
    XDG_RUNTIME_DIR=/run/user/4242 "$@"
}

step "apt-get install --no-install-recommends $(basename "$deb")"
apt-get install -y -q --no-install-recommends "$deb" >/tmp/apt-install.log 2>&1 \
  || { tail -30 /tmp/apt-install.log >&2; fail "apt-get install of the .deb failed"; }
grep -E '^[0-9]+ upgraded, [0-9]+ newly installed' /tmp/apt-install.log || true
grep -E '^Need to get|^After this operation' /tmp/apt-install.log || true

step "package files"
# dpkg computes sums itself for a package that ships none, so the package is asked, not dpkg's database.
dpkg-deb --info "$deb" md5sums >/dev/null 2>&1 || fail "the .deb carries no DEBIAN/md5sums"
verify=$(dpkg --verify ptt-app 2>&1) || true
[ -z "$verify" ] || fail "dpkg --verify ptt-app reports changed files: $verify"
for icon in scalable/apps/$APP_ID.svg 48x48/apps/$APP_ID.png 64x64/apps/$APP_ID.png \
            128x128/apps/$APP_ID.png 256x256/apps/$APP_ID.png; do
  [ -s "/usr/share/icons/hicolor/$icon" ] || fail "icon $icon is not installed"
done
[ -s /usr/share/X11/locale/en_US.UTF-8/Compose ] || fail "no compose table: the compose input method has nothing to read"
echo "md5sums verified; icons 48, 64, 128, 256 px and scalable; compose tables present"

step "every library the bundle links to resolves (no X server, no Recommends installed)"
# Library folders of the bundle, as the bootloader puts them on LD_LIBRARY_PATH.
libdirs=$(find /opt/ptt-app -name '*.so*' -type f -printf '%h\n' | sort -u | paste -sd:)
checked=0
missing=""
while IFS= read -r -d '' elf; do
  checked=$((checked + 1))
  unresolved=$(LD_LIBRARY_PATH="$libdirs" ldd "$elf" 2>/dev/null | grep 'not found' || true)
  [ -z "$unresolved" ] || missing+="${elf#/opt/ptt-app/}: $(echo $unresolved)"$'\n'
done < <(find /opt/ptt-app -type f \( -name '*.so*' -o -path /opt/ptt-app/ptt-app \) -print0)
[ -z "$missing" ] || fail "libraries not found on this system (a Depends is missing):
$missing"
[ "$checked" -gt 50 ] || fail "only $checked ELF files found under /opt/ptt-app"
echo "all links of $checked ELF files resolve"

step "fonts"
command -v fc-list >/dev/null || fail "fontconfig is not installed: the Depends lack it (Qt then finds no font configuration)"
cjk=$(fc-list :lang=zh family | head -1)
[ -n "$cjk" ] || fail "no font covers Chinese (fc-list :lang=zh is empty)"
echo "sans-serif: $(fc-match sans-serif); Chinese: $cjk"

# Written by hand: useradd (package passwd) is no longer essential in Debian 13.
echo "$OPERATOR:x:4242:4242:PTT tester:/home/$OPERATOR:/bin/bash" >>/etc/passwd
echo "$OPERATOR:x:4242:" >>/etc/group
install -d -m 755 -o 4242 -g 4242 "/home/$OPERATOR"
install -d -m 700 -o 4242 -g 4242 /run/user/4242

step "ptt-app --version and the smoke test (offscreen), as $OPERATOR"
as_operator ptt-app --version >/tmp/version.out 2>/tmp/version.err || fail "ptt-app --version failed: $(cat /tmp/version.err)"
cat /tmp/version.out
status=0
as_operator QT_QPA_PLATFORM=offscreen timeout 60 ptt-app --smoke-test >/tmp/smoke.out 2>/tmp/smoke.err || status=$?
cat /tmp/smoke.out
[ "$status" -eq 0 ] || { cat /tmp/smoke.err >&2; fail "the offscreen smoke test exited $status"; }
both_request_ids /tmp/smoke.out "the offscreen smoke test"
no_complaints /tmp/smoke.err "the offscreen smoke test"

step "the smoke test in Simplified Chinese (LANG=zh_CN.UTF-8), as $OPERATOR"
status=0
as_operator LANG=zh_CN.UTF-8 QT_QPA_PLATFORM=offscreen timeout 60 ptt-app --smoke-test >/tmp/zh.out 2>/tmp/zh.err || status=$?
cat /tmp/zh.out
[ "$status" -eq 0 ] || { cat /tmp/zh.err >&2; fail "the zh_CN smoke test exited $status"; }
grep -q "menus: 文件" /tmp/zh.out || fail "the window did not come up in Simplified Chinese (is the translation bundled?)"
no_complaints /tmp/zh.err "the zh_CN smoke test"

step "apt-get install xvfb dbus xdotool (what a desktop session has: an X server and a session bus)"
# dbus also gives the system its machine id, which libdbus (Qt's IBus plugin, the keyring) requires.
apt-get install -y -q --no-install-recommends xvfb dbus xdotool >/tmp/apt-desktop.log 2>&1 \
  || { tail -30 /tmp/apt-desktop.log >&2; fail "apt-get install xvfb dbus xdotool failed"; }

step "the smoke test on an X server (xcb) in a D-Bus session, IBus selected, as $OPERATOR"
# QT_IM_MODULE=ibus loads the IBus plugin, which falls back to compose when no IBus daemon is on the
# session bus: both input-method plugins and their libraries are loaded for real (QT_DEBUG_PLUGINS
# shows the loads; its own lines are set aside before looking for complaints).
status=0
as_operator QT_IM_MODULE=ibus QT_DEBUG_PLUGINS=1 dbus-run-session -- timeout 60 bash "$here/run-in-xvfb.sh" \
  ptt-app --smoke-test >/tmp/xsmoke.out 2>/tmp/xsmoke.debug || status=$?
cat /tmp/xsmoke.out
grep -v -e '^qt\.core\.' -e '^[[:space:]]' -e '^[{}]' -e '^$' /tmp/xsmoke.debug >/tmp/xsmoke.err || true
[ "$status" -eq 0 ] || { tail -40 /tmp/xsmoke.err >&2; fail "the smoke test under Xvfb exited $status"; }
both_request_ids /tmp/xsmoke.out "the smoke test under Xvfb"
no_complaints /tmp/xsmoke.err "the smoke test under Xvfb"
for plugin in platforms/libqxcb.so platforminputcontexts/libibusplatforminputcontextplugin.so \
              platforminputcontexts/libcomposeplatforminputcontextplugin.so; do
  grep -q "plugins/$plugin\" loaded library" /tmp/xsmoke.debug || fail "Qt did not load $plugin"
done
echo "loaded: xcb platform, IBus and compose input methods"

step "start-up, launch to window shown (median of 5, warm cache), as $OPERATOR"
startup=$(as_operator bash "$here/measure-startup.sh" /usr/bin/ptt-app 5) || fail "could not time the start-up"
echo "start-up: $startup s"
echo "clean-system: [$system] all checks passed"
