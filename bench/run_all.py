"""Runs the benchmarks one after another and prints the README table of their latest figures.

    .venv/bin/python bench/run_all.py                                  # the quick ones (about 10 minutes)
    .venv/bin/python bench/run_all.py --only press_latency stalled_release
    .venv/bin/python bench/run_all.py --table                          # the table alone, from bench/results

The slow ones (network, about 15 minutes; soak, about half an hour) run only when named with --only; the
table shows every benchmark that has a result file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
QUICK = ("press_latency", "stalled_release", "startup_memory", "log_scale")
SLOW = ("network", "soak")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=QUICK + SLOW, metavar="NAME",
                        help=f"run these instead of the quick ones ({', '.join(QUICK + SLOW)})")
    parser.add_argument("--table", action="store_true", help="run nothing; print the table of the latest results")
    args = parser.parse_args()
    for name in () if args.table else (args.only or QUICK):
        subprocess.run([sys.executable, str(BENCH / f"{name}.py")], check=True)
    print()
    print(markdown_table())
    return 0


def markdown_table() -> str:
    """The figures of bench/results/*.json as the README's table: one row per benchmark, its summary, its
    targets, and the day it ran; then the machine the newest result came from."""
    lines = ["| benchmark | figures | targets | run |", "|---|---|---|---|"]
    newest: dict | None = None
    for name in QUICK + SLOW:
        path = BENCH / "results" / f"{name}.json"
        if not path.exists():
            continue
        result = json.loads(path.read_text())
        targets = _targets_cell(result["targets_met"])
        machine = result["machine"]
        lines.append(f"| {name} | {result['summary']} | {targets} | {machine['date'][:10]} |")
        if newest is None or machine["date"] > newest["date"]:
            newest = machine
    if newest is not None:
        lines.append("")
        lines.append(f"Machine: {newest['platform']}, {newest['cpus']} CPUs, Python {newest['python']}, "
                     f"PySide6 {newest['pyside6']}.")
    return "\n".join(lines)


def _targets_cell(targets: dict[str, bool]) -> str:
    """Each target and its verdict; past a handful (the network grid), the count met and the ones not met."""
    if len(targets) <= 4:
        return "; ".join(f"{target}: {'met' if met else '**not met**'}" for target, met in targets.items())
    missed = [target for target, met in targets.items() if not met]
    return f"{len(targets) - len(missed)}/{len(targets)} met" + (f"; **not met**: {'; '.join(missed)}" if missed else "")


if __name__ == "__main__":
    sys.exit(main())
