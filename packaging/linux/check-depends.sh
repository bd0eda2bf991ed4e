#!/usr/bin/env bash
# Fails when the bundle links to a system library whose Debian package is not in Depends.
# Usage: check-depends.sh BUNDLE_DIR "pkg1, pkg2 | alt, ..."
set -euo pipefail
bundle=$1
declared=$(echo "$2" | tr ',|' '\n\n' | sed 's/ //g; s/(.*//' | sort -u)
libdirs=$(find "$bundle" -name '*.so*' -printf '%h\n' | sort -u | tr '\n' ':')
missing=()
needed=()
while IFS= read -r elf; do
  while IFS= read -r line; do
    case "$line" in
      *"not found"*) missing+=("$elf: ${line%% =>*}") ;;
      *"=> /"*)
        path=${line#*=> }; path=${path%% (*}
        case "$path" in "$bundle"/*) ;; *) needed+=("$path") ;; esac ;;
    esac
  done < <(LD_LIBRARY_PATH="$libdirs" ldd "$elf" 2>/dev/null || true)
done < <(find "$bundle" -type f \( -name '*.so*' -o -perm -u+x \) -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -print)
if [ ${#missing[@]} -gt 0 ]; then
  # Plugins for other platforms may miss optional libraries; only the xcb and offscreen ones matter.
  for entry in "${missing[@]}"; do
    case "$entry" in *wayland*|*eglfs*|*EglFs*|*xcbglintegrations*) ;; *) echo "check-depends: unresolved: $entry" >&2; exit 1 ;; esac
  done
fi
packages=$(printf '%s\n' "${needed[@]}" | sort -u | while read -r lib; do
  real=$(readlink -f "$lib")
  dpkg -S "$lib" 2>/dev/null || dpkg -S "$real" 2>/dev/null || echo "UNKNOWN: $lib"
done | cut -d: -f1 | sed 's/:.*//' | sort -u)
undeclared=$(comm -23 <(echo "$packages" | sed 's/:amd64$//; s/:arm64$//' | sort -u) <(echo "$declared"))
echo "system packages the bundle links to: $(echo "$packages" | tr '\n' ' ')"
if [ -n "$undeclared" ]; then
  echo "check-depends: add to Depends in build-deb.sh: $(echo "$undeclared" | tr '\n' ' ')" >&2
  exit 1
fi
