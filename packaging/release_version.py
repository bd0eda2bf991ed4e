"""Prints the release version, pyproject.toml's `version`, after checking that the AppStream metainfo's
newest <release> names it: every installer recipe reads the version here, so none can ship another.

    python packaging/release_version.py          # prints e.g. 0.1.0; exit 1 with the reason on a mismatch

The package itself reads the same value at run time from its installed metadata (ptt_app.__version__).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
METAINFO = Path("resources/io.github.ptt_app.PttApp.metainfo.xml")


def pyproject_version(root: Path = ROOT) -> str:
    """The one version source: [project] version in pyproject.toml."""
    with (root / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]


def metainfo_releases(path: Path) -> list[str]:
    """The versions of the metainfo's <release> entries, newest first as AppStream lists them."""
    return [release.get("version", "") for release in ElementTree.parse(path).getroot().iterfind("releases/release")]


def version_problems(root: Path = ROOT) -> list[str]:
    """What disagrees with pyproject.toml's version; empty when the release is consistent."""
    version = pyproject_version(root)
    releases = metainfo_releases(root / METAINFO)
    if not releases:
        return [f"{METAINFO} lists no <release>; add <release version=\"{version}\" date=\"YYYY-MM-DD\"/>"]
    if releases[0] != version:
        return [f"{METAINFO} names {releases[0]} as the newest <release>, pyproject.toml says {version}: "
                f"add <release version=\"{version}\" date=\"YYYY-MM-DD\"/> first in <releases>"]
    return []


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else ROOT
    problems = version_problems(root)
    for problem in problems:
        print(f"release_version: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(pyproject_version(root))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
