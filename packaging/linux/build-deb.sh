#!/usr/bin/env bash
# Builds dist/ptt-app_<version>_<arch>.deb from the PyInstaller bundle, reproducibly (file times from the
# last commit, entries sorted by dpkg-deb, root-owned, sizes counted the way dpkg does), then prints the
# size, the Depends floor and the start-up budget.
#   PTT_DEB_COMPRESSION=xz   release build: 36 MB in 30-45 s (default zstd: 49 MB in ~1 s, for CI)
#   PTT_SKIP_PYINSTALLER=1   reuse dist/ptt-app as it is
#   PTT_CHECK_DEPENDS=1      fail (not only warn) when Depends differs from packaging/linux/deb-depends.txt
#   PTT_SKIP_STARTUP=1       do not time the start-up (the clean-system runs time the installed binary)
#   PYTHON=...               the Python with the app's packaging extra (default .venv/bin/python)
# Needs: binutils (strip, objdump), desktop-file-utils, appstream; xvfb and xdotool for the start-up
# figure; lintian is run when installed (advisory).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
APP_ID=io.github.ptt_app.PttApp
fail() { echo "build-deb: $*" >&2; exit 1; }

[ -x "$PY" ] || fail "no Python at $PY (python3 -m venv .venv && .venv/bin/pip install -e '.[packaging]')"
for tool in dpkg-deb objdump strip ldd desktop-file-validate appstreamcli git; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (see packaging/README.md for the apt list)"
done
# pyproject.toml's version, checked against the AppStream <release> the package ships.
VERSION=$("$PY" packaging/release_version.py) || fail "no consistent release version (above)"
ARCH=$(dpkg --print-architecture)
COMPRESSION=${PTT_DEB_COMPRESSION:-zstd}
case "$COMPRESSION" in zstd|xz|gzip|none) ;; *) fail "PTT_DEB_COMPRESSION must be zstd, xz, gzip or none" ;; esac
# Every time stamp in the package comes from the last commit, so a rebuild of the same commit gives
# the same bytes (dpkg-deb reads SOURCE_DATE_EPOCH too).
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null)} \
  || fail "no SOURCE_DATE_EPOCH and no git commit to take it from"
[[ "$SOURCE_DATE_EPOCH" =~ ^[0-9]+$ ]] || fail "SOURCE_DATE_EPOCH is not a number of seconds: '$SOURCE_DATE_EPOCH'"
export SOURCE_DATE_EPOCH
# PyInstaller's archives are byte-identical across runs only with a fixed hash seed.
export PYTHONHASHSEED=0
STAGE=$ROOT/build/deb/ptt-app
DEB=$ROOT/dist/ptt-app_${VERSION}_${ARCH}.deb
# A Secret Service provider holds the credentials: GNOME Keyring, KDE's wallet daemon (it serves the
# Secret Service API since Frameworks 5.97: kwallet6 on Debian 13, libkf5wallet-bin on Debian 12, where
# it is a transitional package to kwallet6 on 13) or KeePassXC with its Secret Service integration
# switched on (keepassxc-full on Debian 13). apt installs the first one when none is there; a KDE or
# KeePassXC desktop already satisfies it. Not kwalletmanager: that is only the wallet's GUI.
RECOMMENDS="gnome-keyring | kwallet6 | libkf5wallet-bin | keepassxc-full | keepassxc"
# Packages the bundle reads files from rather than links to, which deb_depends.py cannot see:
# fontconfig builds the font cache (and pulls its /etc/fonts configuration); DejaVu is the Latin font
# of a minimal system; WenQuanYi Micro Hei draws Chinese, Japanese and Korean text in 5 MB (Noto CJK,
# the alternative a desktop may already have, is 91 MB installed); libx11-data holds the compose
# tables the compose input method reads (dead keys, the Compose key).
DATA_DEPENDS="fontconfig, fonts-dejavu-core, fonts-wqy-microhei | fonts-noto-cjk, libx11-data"

if [ "${PTT_SKIP_PYINSTALLER:-0}" != "1" ]; then
  echo "== PyInstaller bundle"
  started=$(date +%s%N)
  rm -rf "$ROOT/build/ptt-app" "$ROOT/dist/ptt-app"
  "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$ROOT/dist" --workpath "$ROOT/build" \
    packaging/ptt-app.spec || fail "PyInstaller failed"
  echo "bundle built in $(( ($(date +%s%N) - started) / 1000000 )) ms"
fi
[ -x "$ROOT/dist/ptt-app/ptt-app" ] || fail "no bundle at dist/ptt-app"
find "$ROOT/dist/ptt-app" -xtype l | grep -q . && fail "dangling symlinks in dist/ptt-app: $(find "$ROOT/dist/ptt-app" -xtype l | head -3 | tr '\n' ' ')"
bash packaging/linux/check-bundle.sh "$ROOT/dist/ptt-app" "$VERSION" || fail "the bundle is not what the spec promises (above)"

echo "== staging"
rm -rf "$STAGE"
ICONS=$STAGE/usr/share/icons/hicolor
# The icon theme spec asks for at least 48 px; menus, docks and software centres pick among these.
ICON_SIZES=(48 64 128 256)
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$ICONS/scalable/apps" "$STAGE/usr/share/metainfo"
cp -a "$ROOT/dist/ptt-app" "$STAGE/opt/ptt-app"
# A symlink, not a wrapper: the bundle finds its _internal/ from its real path, and argv and the exit
# code pass through untouched.
ln -s /opt/ptt-app/ptt-app "$STAGE/usr/bin/ptt-app"
install -m 644 "resources/$APP_ID.desktop" "$STAGE/usr/share/applications/$APP_ID.desktop"
install -m 644 "resources/$APP_ID.metainfo.xml" "$STAGE/usr/share/metainfo/$APP_ID.metainfo.xml"
install -m 644 resources/ptt-app.svg "$ICONS/scalable/apps/$APP_ID.svg"
# Rendered by the same Qt SVG renderer as the window's icon; the PNGs carry no time stamp.
png_args=()
for size in "${ICON_SIZES[@]}"; do png_args+=(--png "$size"); done
QT_QPA_PLATFORM=offscreen "$PY" packaging/make_icons.py resources/ptt-app.svg "$ROOT/build/icons" "${png_args[@]}" \
  || fail "could not render the icons from resources/ptt-app.svg"
for size in "${ICON_SIZES[@]}"; do
  install -D -m 644 "$ROOT/build/icons/ptt-app-$size.png" "$ICONS/${size}x${size}/apps/$APP_ID.png"
done
# Debian wants a copyright file and a changelog with every package; gzip -n keeps the name and time
# out of the changelog's header.
DOC=$STAGE/usr/share/doc/ptt-app
mkdir -p "$DOC"
cat > "$DOC/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ptt-app
Comment: /opt/ptt-app is a PyInstaller bundle. Besides the application it carries these
 components, each under its own licence: CPython (PSF-2.0), Qt 6 and PySide6 (LGPL-3.0-only;
 the Qt libraries are separate shared objects in /opt/ptt-app/_internal/PySide6/Qt/lib and can be
 replaced), shiboken6 (LGPL-3.0-only), keyring, jaraco.*, SecretStorage (BSD-3-Clause), jeepney
 (MIT), cryptography (Apache-2.0 or BSD-3-Clause), requests, urllib3, idna, certifi (MPL-2.0),
 charset-normalizer, PyInstaller's bootloader (GPL-2.0+ with the bootloader exception), and the
 Debian 12 libraries it was built with (see /usr/share/doc of the corresponding Debian packages).

Files: *
Copyright: $(date -u -d "@$SOURCE_DATE_EPOCH" +%Y) ptt_app developers
License: LicenseRef-proprietary
 All rights reserved.
COPYRIGHT
printf 'ptt-app (%s) unstable; urgency=medium\n\n  * Release %s, built from commit %s.\n\n -- ptt_app developers <ptt-app@users.noreply.github.com>  %s\n' \
  "$VERSION" "$VERSION" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")" | gzip -n -9 > "$DOC/changelog.gz"

echo "== checks"
desktop-file-validate "$STAGE/usr/share/applications/$APP_ID.desktop" \
  || fail "resources/$APP_ID.desktop is invalid (desktop-file-validate above)"
appstreamcli validate --no-net --pedantic "$STAGE/usr/share/metainfo/$APP_ID.metainfo.xml" >"$ROOT/build/deb/appstream.log" 2>&1 \
  || { cat "$ROOT/build/deb/appstream.log" >&2; fail "resources/$APP_ID.metainfo.xml is invalid (appstreamcli above)"; }
# Depends is computed from what the bundle actually links to, so it cannot drift from the bundle;
# the script fails when a linked library is neither bundled nor owned by a package here.
LINKED=$("$PY" packaging/linux/deb_depends.py "$STAGE/opt/ptt-app") || fail "could not work out Depends (above)"
case ", $LINKED," in *", libc6 "*) ;; *) fail "Depends lacks libc6, the bundle analysis went wrong: $LINKED" ;; esac
DEPENDS="$LINKED, $DATA_DEPENDS"
echo "Depends: $DEPENDS"
# The floor: the lowest version of each system package the bundle asks for (libc6 is the glibc floor).
# It is kept in packaging/linux/deb-depends.txt, which the README quotes; a build machine that gives
# a different floor says so here, and CI (PTT_CHECK_DEPENDS=1, Debian 12) refuses the difference.
mkdir -p "$ROOT/build/deb"
printf '%s\n' "$DEPENDS" | sed 's/, /\n/g' > "$ROOT/build/deb/depends.txt"
echo "glibc floor: $(grep -o '^libc6 (>= [^)]*)' "$ROOT/build/deb/depends.txt" | sed 's/libc6 (>= \(.*\))/\1/')"
if ! diff -u <(grep -v '^#' packaging/linux/deb-depends.txt) "$ROOT/build/deb/depends.txt" >"$ROOT/build/deb/depends.diff"; then
  cat "$ROOT/build/deb/depends.diff" >&2
  echo "build-deb: Depends differs from packaging/linux/deb-depends.txt (above): update that file and the README's floor" >&2
  [ "${PTT_CHECK_DEPENDS:-0}" != "1" ] || fail "Depends changed (PTT_CHECK_DEPENDS=1)"
fi

echo "== control"
# Installed-Size as dpkg-gencontrol counts it (each file's size rounded up to KiB, 1 KiB per other
# entry): du -sk would give a figure that depends on the build machine's file system.
INSTALLED_KB=$(find "$STAGE" -path "$STAGE/DEBIAN" -prune -o -mindepth 1 -printf '%y %s\n' \
  | awk '{ kb += ($1 == "f") ? int(($2 + 1023) / 1024) : 1 } END { print kb }')
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: ptt-app
Version: $VERSION
Architecture: $ARCH
Maintainer: ptt_app developers <ptt-app@users.noreply.github.com>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Recommends: $RECOMMENDS
Section: net
Priority: optional
Description: push-to-talk console for ZEGOCLOUD AI agents
 Press and hold to make a ZEGOCLOUD AI agent in walkie-talkie mode listen;
 release to get its answer. Every request is logged with its RequestId,
 result code and latency. Credentials are kept in the system keyring.
 .
 The application is a self-contained bundle in /opt/ptt-app.
CONTROL
# Debian's icon-cache and desktop-database triggers do this on their own; the scripts cover systems
# where those packages are absent or predate the triggers, and must never fail an install.
for script in postinst postrm; do
  cat > "$STAGE/DEBIAN/$script" <<'SCRIPT'
#!/bin/sh
set -e
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f /usr/share/icons/hicolor/index.theme ]; then
  gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
fi
exit 0
SCRIPT
done

echo "== dpkg-deb ($COMPRESSION)"
# Permissions and times are normalised: the umask, the checkout's modes and the build time must not
# leak into the package.
find "$STAGE" -type d -exec chmod 755 {} +
find "$STAGE" -type f -exec chmod 644 {} +
# Only programs are executable: the launcher and PyInstaller's bootloader; shared objects are not.
chmod 755 "$STAGE/opt/ptt-app/ptt-app"
chmod 755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"
# dpkg --verify and debsums check installed files against these sums (paths relative to /, sorted).
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum) \
  | sed 's|  \./|  |' > "$STAGE/DEBIAN/md5sums"
chmod 644 "$STAGE/DEBIAN/md5sums"
find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$ROOT/dist"
rm -f "$ROOT"/dist/ptt-app_*.deb  # check-installed.sh installs the one .deb it finds here
dpkg-deb --root-owner-group -Z"$COMPRESSION" --build "$STAGE" "$DEB" >/dev/null || fail "dpkg-deb failed"
dpkg-deb --info "$DEB" md5sums >/dev/null || fail "$DEB has no md5sums member"
sha256sum "$DEB"

if command -v lintian >/dev/null; then
  echo "== lintian (advisory)"
  # Tags listed in lintian-accepted.txt are the price of shipping a PyInstaller bundle in /opt (each
  # with its reason there); anything else lintian says deserves a look.
  accepted=$(grep -v '^#' packaging/linux/lintian-accepted.txt | cut -d' ' -f1 | grep . | paste -sd, -) || true
  lintian --tag-display-limit 0 ${accepted:+--suppress-tags "$accepted"} "$DEB" || true
fi

echo "== budget"
bundle_mb=$(du -sm "$ROOT/dist/ptt-app" | cut -f1)
deb_mb=$(awk -v b="$(stat -c %s "$DEB")" 'BEGIN { printf "%.1f", b / 1048576 }')
startup="n/a"
if [ "${PTT_SKIP_STARTUP:-0}" != "1" ]; then
  startup=$(bash packaging/linux/measure-startup.sh "$ROOT/dist/ptt-app/ptt-app") || startup="n/a"
fi
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v == "n/a") ? "not measured" : (v + 0 < t + 0) ? "met" : "NOT met" }'; }
printf '%-46s %8s MB\n' "bundle (dist/ptt-app)" "$bundle_mb"
printf '%-46s %8s MB   target < 60 MB: %s\n' ".deb ($COMPRESSION)" "$deb_mb" "$(verdict "$deb_mb" 60)"
printf '%-46s %8s s    target < 1.5 s: %s\n' "launch to window shown (median of 5, Xvfb)" "$startup" "$(verdict "$startup" 1.5)"
# The size is deterministic and gates the build; the launch time depends on the machine's load and
# is only reported.
[ "$(verdict "$deb_mb" 60)" = met ] || fail ".deb is ${deb_mb} MB, over the 60 MB budget"
