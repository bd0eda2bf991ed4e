#!/usr/bin/env bash
# Checks a built PyInstaller bundle for what the spec promises and a reader cannot see in the .deb:
# the version from the package metadata, the input-method plugins, the libraries taken from the
# system instead of bundled, and keyring entry points only for backends the bundle carries.
#   Usage: check-bundle.sh BUNDLE_DIR VERSION       (build-deb.sh runs it after PyInstaller)
set -euo pipefail
bundle=$1
version=$2
problems=0
problem() { echo "check-bundle: $*" >&2; problems=$((problems + 1)); }

said=$("$bundle/ptt-app" --version 2>&1) || problem "ptt-app --version failed: $said"
[ "$said" = "ptt-app $version" ] || problem "ptt-app --version says '$said', pyproject.toml says $version (is the ptt-app metadata bundled?)"

plugins=$bundle/_internal/PySide6/Qt/plugins
for plugin in platforminputcontexts/libcomposeplatforminputcontextplugin.so \
              platforminputcontexts/libibusplatforminputcontextplugin.so \
              platforms/libqxcb.so platforms/libqwayland.so imageformats/libqsvg.so iconengines/libqsvgicon.so; do
  [ -f "$plugins/$plugin" ] || problem "the Qt plugin $plugin is missing"
done

# The window's Simplified Chinese and Qt's own (standard buttons) travel with the bundle.
for translation in ptt_app/resources/translations/ptt_app_zh_CN.qm ptt_app/resources/translations/ptt_app_zh_CN.ts \
                   PySide6/Qt/translations/qtbase_zh_CN.qm; do
  [ -f "$bundle/_internal/$translation" ] || problem "the translation $translation is missing"
done

# Each of these must come from the operator's system (see SYSTEM_LIBS in packaging/ptt-app.spec).
for lib in libstdc++.so libgcc_s.so libfontconfig.so libfreetype.so libexpat.so libpng16.so libbrotli; do
  found=$(find "$bundle" -name "$lib*" | head -1)
  [ -z "$found" ] || problem "${found#"$bundle"/} is bundled; it must come from the system"
done

entry_points=$(find "$bundle/_internal" -path '*/keyring-*.dist-info/entry_points.txt' | head -1)
if [ -z "$entry_points" ]; then
  problem "keyring's metadata (entry_points.txt) is missing: keyring would find no backend"
else
  grep -q 'keyring.backends.SecretService' "$entry_points" || problem "keyring's SecretService entry point is missing"
  if grep -E 'keyring\.backends\.(kwallet|libsecret)' "$entry_points"; then
    problem "keyring entry points name backends the bundle cannot load (above)"
  fi
fi

[ "$problems" -eq 0 ] || exit 1
echo "check-bundle: version $version, input methods compose and IBus, zh_CN translations, font stack and C++ runtime from the system"
