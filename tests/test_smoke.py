"""`ptt-app --smoke-test`: the installer check, run against the installed package."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_smoke_test_prints_both_request_ids_and_exits_zero(tmp_path: Path) -> None:
    # Run from an empty folder, so that the package under test is the installed one (an unpacked sdist
    # or checkout in the working folder would shadow it with a source tree lacking ptt_app.resources).
    done = subprocess.run([sys.executable, "-m", "ptt_app", "--smoke-test"], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    ids = re.findall(r"^(StartListening|StopListening) RequestId=(\S+) Code=0", done.stdout, re.MULTILINE)
    assert [action for action, _ in ids] == ["StartListening", "StopListening"]
    assert all(request_id != "-" for _, request_id in ids)
    assert "Traceback" not in done.stderr
