#!/usr/bin/env bash
# Builds dist/ptt-app_<version>_<arch>.deb from the PyInstaller bundle, reproducibly (file times from
# the last commit, sorted, root-owned), and prints the size and start-up budget.
#   PTT_DEB_COMPRESSION=xz   release build (default zstd: about 1 s instead of about 40 s)
#   PTT_SKIP_PYINSTALLER=1   reuse dist/ptt-app
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
APP_ID=io.github.ptt_app.PttApp
VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(dpkg --print-architecture)
COMPRESSION=${PTT_DEB_COMPRESSION:-zstd}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
STAGE=$ROOT/build/deb/ptt-app
DEB=$ROOT/dist/ptt-app_${VERSION}_${ARCH}.deb

# System libraries the bundle links to but does not carry (PyInstaller leaves out libc, GL and the X
# connection on purpose). The check below fails the build when a new one appears that is not here.
DEPENDS="libc6, libxcb1, libgl1, libegl1, libglx0, libglvnd0, libwayland-client0, libwayland-cursor0, libwayland-egl1"
RECOMMENDS="gnome-keyring | kwalletmanager | keepassxc"

fail() { echo "build-deb: $*" >&2; exit 1; }

if [ "${PTT_SKIP_PYINSTALLER:-0}" != "1" ]; then
  echo "== PyInstaller bundle"
  started=$(date +%s.%N)
  rm -rf "$ROOT/build/ptt-app" "$ROOT/dist/ptt-app"
  "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$ROOT/dist" --workpath "$ROOT/build" packaging/ptt-app.spec
  echo "bundle built in $(echo "$(date +%s.%N) - $started" | bc) s"
fi
[ -x "$ROOT/dist/ptt-app/ptt-app" ] || fail "no bundle at dist/ptt-app"

echo "== staging"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/icons/hicolor/256x256/apps" \
  "$STAGE/usr/share/metainfo"
cp -a "$ROOT/dist/ptt-app" "$STAGE/opt/ptt-app"
ln -s /opt/ptt-app/ptt-app "$STAGE/usr/bin/ptt-app"
install -m 644 resources/$APP_ID.desktop "$STAGE/usr/share/applications/$APP_ID.desktop"
install -m 644 resources/$APP_ID.metainfo.xml "$STAGE/usr/share/metainfo/$APP_ID.metainfo.xml"
install -m 644 resources/ptt-app.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
if command -v rsvg-convert >/dev/null; then
  rsvg-convert -w 256 -h 256 resources/ptt-app.svg -o "$STAGE/usr/share/icons/hicolor/256x256/apps/$APP_ID.png"
else
  convert -background none -density 384 resources/ptt-app.svg -resize 256x256 "$STAGE/usr/share/icons/hicolor/256x256/apps/$APP_ID.png"
fi
# PNG files carry a creation time; strip it so rebuilds are byte-identical.
if command -v convert >/dev/null; then
  convert "$STAGE/usr/share/icons/hicolor/256x256/apps/$APP_ID.png" -strip -define png:exclude-chunks=date,time \
    "$STAGE/usr/share/icons/hicolor/256x256/apps/$APP_ID.png"
fi

echo "== checks"
desktop-file-validate "$STAGE/usr/share/applications/$APP_ID.desktop" || fail ".desktop file is invalid"
appstreamcli validate --no-net --explain "$STAGE/usr/share/metainfo/$APP_ID.metainfo.xml" >/dev/null \
  || fail "metainfo is invalid (appstreamcli validate --no-net resources/$APP_ID.metainfo.xml)"
bash packaging/linux/check-depends.sh "$STAGE/opt/ptt-app" "$DEPENDS"

echo "== control"
INSTALLED_KB=$(du -sk --apparent-size --exclude=DEBIAN "$STAGE" | cut -f1)
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
Homepage: https://github.com/ptt-app/ptt_app
Description: push-to-talk console for ZEGOCLOUD AI agents
 Press and hold to make a ZEGOCLOUD AI agent in walkie-talkie mode listen;
 release to get its answer. Every request is logged with its RequestId,
 result code and latency. Credentials are kept in the system keyring.
CONTROL
for script in postinst postrm; do
  cat > "$STAGE/DEBIAN/$script" <<'SCRIPT'
#!/bin/sh
set -e
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true; fi
exit 0
SCRIPT
  chmod 755 "$STAGE/DEBIAN/$script"
done

echo "== dpkg-deb ($COMPRESSION)"
find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
find "$STAGE" -type d -exec chmod 755 {} +
mkdir -p "$ROOT/dist"
rm -f "$DEB"
dpkg-deb --root-owner-group -Z"$COMPRESSION" --build "$STAGE" "$DEB" >/dev/null
sha256sum "$DEB"

echo "== budget"
bundle_mb=$(du -sm "$ROOT/dist/ptt-app" | cut -f1)
deb_mb=$(echo "scale=1; $(stat -c %s "$DEB") / 1048576" | bc)
startup=$(bash packaging/linux/measure-startup.sh "$ROOT/dist/ptt-app/ptt-app" 2>/dev/null || echo "n/a")
verdict() { if [ "$(echo "$1 < $2" | bc 2>/dev/null)" = "1" ]; then echo "met"; else echo "NOT met"; fi; }
echo "bundle: ${bundle_mb} MB"
echo ".deb:   ${deb_mb} MB (target < 60 MB: $(verdict "$deb_mb" 60))"
echo "launch to window shown (median of 5, Xvfb): ${startup} s (target < 1.5 s: $(verdict "${startup/n\/a/99}" 1.5))"
