"""Runs the four benchmarks one after another and prints the README table of their latest figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
NAMES = ("press_latency", "stalled_release", "startup_memory", "log_scale")


def main() -> int:
    for name in NAMES:
        subprocess.run([sys.executable, str(BENCH / f"{name}.py")], check=True)
    print()
    print(markdown_table())
    return 0


def markdown_table() -> str:
    """The figures of bench/results/*.json as the README's table."""
    lines = ["| benchmark | figures | targets |", "|---|---|---|"]
    machine = ""
    for name in NAMES:
        result = json.loads((BENCH / "results" / f"{name}.json").read_text())
        targets = "; ".join(f"{target}: {'met' if met else '**not met**'}" for target, met in result["targets_met"].items())
        lines.append(f"| {name} | {result['summary']} | {targets} |")
        m = result["machine"]
        machine = f"{m['platform']}, {m['cpus']} CPUs, Python {m['python']}, PySide6 {m['pyside6']}, {m['date']}"
    lines.append("")
    lines.append(f"Machine: {machine}.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
