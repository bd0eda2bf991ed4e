#!/usr/bin/env bash
# Builds dist/PTT Console.app (the spec's BUNDLE) and dist/ptt-app-<version>.dmg on macOS.
# Needs Python 3.11+, Xcode command-line tools (iconutil, hdiutil) and librsvg (rsvg-convert) or
# ImageMagick. Not runnable on the project's Linux machines.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
python3 -m venv .venv
.venv/bin/python -m pip install -q -e '.[packaging]'

iconset=build/icons/ptt-app.iconset
mkdir -p "$iconset"
for size in 16 32 64 128 256 512; do
  rsvg-convert -w $size -h $size resources/ptt-app.svg -o "$iconset/icon_${size}x${size}.png"
  rsvg-convert -w $((size * 2)) -h $((size * 2)) resources/ptt-app.svg -o "$iconset/icon_${size}x${size}@2x.png"
done
iconutil -c icns "$iconset" -o build/icons/ptt-app.icns

.venv/bin/python -m PyInstaller --noconfirm --distpath dist --workpath build packaging/ptt-app.spec

# Signing and notarisation, when an identity is configured (Developer ID Application: ...):
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --deep --force --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "dist/PTT Console.app"
fi

dmg="dist/ptt-app-$VERSION.dmg"
rm -f "$dmg"
hdiutil create -volname "PTT Console $VERSION" -srcfolder "dist/PTT Console.app" -ov -format UDZO "$dmg"
if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$dmg" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
  xcrun stapler staple "$dmg"
fi
echo "built $dmg"
