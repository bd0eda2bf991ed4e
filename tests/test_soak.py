"""The soak of issue 8, as a test: `pytest -m soak` (not part of the default run: it takes about half an hour).

It runs bench/soak.py, which drives 100 runs of the log-scale workload (each its own process) and 10,000
press/release cycles through the real window against the simulator."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.soak
@pytest.mark.timeout(3 * 3600)
def test_a_long_session_ends_normally_with_flat_memory_and_no_crash_report() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "soak.py")], capture_output=True, text=True)
    result = json.loads((ROOT / "bench" / "results" / "soak.json").read_text())
    assert done.returncode == 0, f"{result['summary']}\n{done.stderr[-3000:]}"
    assert all(result["targets_met"].values()), result["summary"]
