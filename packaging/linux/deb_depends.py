"""Prints the Debian `Depends:` value for a PyInstaller bundle: the packages that own the system
libraries the bundle links to but does not carry, each with the lowest version that has every
symbol version and every unversioned symbol the bundle asks of it (from the build machine's dpkg
symbols files, as dpkg-shlibdeps would, without its build-tree requirements).

    python3 packaging/linux/deb_depends.py dist/ptt-app

Fails with a one-line reason when a library cannot be found on this machine or belongs to no
package: a bundle that links to something unknown must not ship with a Depends that omits it.
Needs ldd (libc-bin), objdump (binutils) and dpkg.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import subprocess
import sys
from pathlib import Path

# Plugins only some sessions load (Wayland, GL over X11): when the build machine lacks one of their
# libraries the plugin is skipped at run time, so that is a warning, not a failure.
OPTIONAL_PLUGINS = ("*/platforms/libqwayland*", "*/wayland-*/*", "*/libQt6Wayland*", "*/libQt6WlShell*",
                    "*/xcbglintegrations/*")


class DependsError(Exception):
    pass


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def parse_needed(objdump_p: str) -> list[str]:
    """The NEEDED sonames in `objdump -p` output."""
    return re.findall(r"^\s+NEEDED\s+(\S+)$", objdump_p, re.MULTILINE)


def parse_version_refs(objdump_p: str) -> dict[str, set[str]]:
    """{soname: {version tag, ...}} from the "Version References" part of `objdump -p` output."""
    refs: dict[str, set[str]] = {}
    current = None
    for line in objdump_p.splitlines():
        header = re.match(r"^\s+required from (\S+):$", line)
        if header:
            current = refs.setdefault(header.group(1), set())
            continue
        tag = re.match(r"^\s+0x[0-9a-f]+ 0x[0-9a-f]+ \d+ (\S+)$", line)
        if tag and current is not None:
            current.add(tag.group(1))
        elif line and not line.startswith(" "):
            current = None
    return refs


def parse_unversioned_imports(objdump_t: str) -> set[str]:
    """Names of the undefined dynamic symbols without a version tag in `objdump -T` output: what an ELF
    takes from libraries that do not version their symbols (fontconfig, FreeType, libxcb, ...)."""
    names = set()
    for line in objdump_t.splitlines():
        fields = line.split()
        # "0000000000000000      DF *UND*  0000000000000000              FcInit": no "(TAG)" before the name.
        if "*UND*" in fields and len(fields) == fields.index("*UND*") + 3:
            names.add(fields[-1])
    return names


def parse_ldd(ldd_output: str) -> dict[str, str | None]:
    """{soname: resolved path, or None when not found} from ldd output."""
    resolved: dict[str, str | None] = {}
    for line in ldd_output.splitlines():
        match = re.match(r"^\s*(\S+) => (not found|(\S+) \(0x[0-9a-f]+\))$", line)
        if match:
            resolved[match.group(1)] = match.group(3)
            continue
        # The dynamic loader is listed by its path alone: "/lib64/ld-linux-x86-64.so.2 (0x...)".
        loader = re.match(r"^\s*(/\S+) \(0x[0-9a-f]+\)$", line)
        if loader:
            resolved[os.path.basename(loader.group(1))] = loader.group(1)
    return resolved


def min_version_for_tags(symbols_text: str, tags: set[str]) -> str | None:
    """The package version that introduced the newest of `tags`, from a dpkg .symbols file."""
    best = None
    for tag in tags:
        # Symbols files mark each version node's introduction as "TAG@TAG version"; the lowest version
        # among the tag's symbols says the same where that line is missing.
        marker = re.search(rf"^ {re.escape(tag)}@{re.escape(tag)} (\S+)", symbols_text, re.MULTILINE)
        versions = [marker.group(1)] if marker else sorted(
            set(re.findall(rf"^ \S+@{re.escape(tag)} (\S+)", symbols_text, re.MULTILINE)), key=_DebVersion)[:1]
        if versions and (best is None or _DebVersion(versions[0]) > _DebVersion(best)):
            best = versions[0]
    return best


def min_version_for_symbols(symbols_text: str, names: set[str]) -> str | None:
    """The package version that introduced the newest of the unversioned symbols `names` ("NAME@Base
    VERSION" lines of a dpkg .symbols file); symbols the file does not list are another library's."""
    listed = dict(re.findall(r"^ (?:\([^)]*\))?(\S+)@Base (\S+)", symbols_text, re.MULTILINE))
    # Version 0 means "any version" in a symbols file (dpkg-shlibdeps adds no constraint for it).
    versions = {listed[name] for name in names if name in listed} - {"0"}
    return max(versions, key=_DebVersion) if versions else None


def newest(*versions: str | None) -> str | None:
    """The highest of the given Debian versions, ignoring None."""
    present = [version for version in versions if version]
    return max(present, key=_DebVersion) if present else None


@functools.total_ordering
class _DebVersion:
    """Debian version ordering through dpkg itself, so epochs and tildes compare as apt compares them."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __lt__(self, other: _DebVersion) -> bool:
        return subprocess.run(["dpkg", "--compare-versions", self.text, "lt", other.text]).returncode == 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _DebVersion) and not self < other and not other < self


@functools.cache
def owning_package(path: str) -> str:
    # usrmerge: ldd reports /lib/... while dpkg may have registered /usr/lib/... (or the real file).
    candidates = [path, os.path.realpath(path)]
    candidates += [c.replace("/lib/", "/usr/lib/", 1) for c in candidates if c.startswith("/lib/")]
    for candidate in candidates:
        done = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if done.returncode == 0:
            return done.stdout.split(":", 1)[0].split(",")[0].strip()
    raise DependsError(f"{path} belongs to no installed Debian package")


@functools.cache
def symbols_file(package: str) -> str:
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    for name in (f"{package}:{arch}.symbols", f"{package}.symbols"):
        path = Path("/var/lib/dpkg/info") / name
        if path.exists():
            return path.read_text(encoding="utf-8", errors="replace")
    return ""


def depends(bundle: Path, warn=lambda message: print(message, file=sys.stderr)) -> str:
    bundle = bundle.resolve()
    elves = elf_files(bundle)
    if not elves:
        raise DependsError(f"no ELF files under {bundle}")
    lib_dirs = sorted({str(path.parent) for path in elves if ".so" in path.name})
    env = {**os.environ, "LD_LIBRARY_PATH": ":".join(lib_dirs)}
    packages: dict[str, set[str]] = {}  # package -> version tags asked of it
    symbols: dict[str, set[str]] = {}  # package -> unversioned symbols the ELFs linking to it import
    for elf in elves:
        info = subprocess.run(["objdump", "-p", str(elf)], capture_output=True, text=True, check=True).stdout
        imports = parse_unversioned_imports(
            subprocess.run(["objdump", "-T", str(elf)], capture_output=True, text=True, check=True).stdout)
        ldd = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env).stdout
        resolved = parse_ldd(ldd)
        refs = parse_version_refs(info)
        for soname in parse_needed(info):
            path = resolved.get(soname)
            if path is None:
                relative = "/" + str(elf.relative_to(bundle))
                if any(fnmatch.fnmatch(relative, pattern) for pattern in OPTIONAL_PLUGINS):
                    warn(f"deb_depends: {relative} needs {soname}, not on this machine: that plugin is left out of Depends")
                    continue
                raise DependsError(f"{elf.relative_to(bundle)} needs {soname}, which is neither bundled nor installed here")
            if path.startswith(str(bundle) + "/"):
                continue
            package = owning_package(path)
            packages.setdefault(package, set()).update(refs.get(soname, set()))
            symbols.setdefault(package, set()).update(imports)
    parts = []
    for package in sorted(packages):
        text = symbols_file(package)
        version = newest(min_version_for_tags(text, packages[package]) if packages[package] else None,
                         min_version_for_symbols(text, symbols[package]))
        parts.append(f"{package} (>= {version})" if version else package)
    return ", ".join(parts)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: deb_depends.py BUNDLE_DIR", file=sys.stderr)
        return 2
    try:
        print(depends(Path(argv[1])))
    except (DependsError, subprocess.CalledProcessError, FileNotFoundError) as error:
        print(f"deb_depends: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
