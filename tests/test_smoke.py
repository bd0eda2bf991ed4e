"""`ptt-app --smoke-test`: the installer check, run from the source tree."""

from __future__ import annotations

import os
import re
import subprocess
import sys


def test_smoke_test_prints_both_request_ids_and_exits_zero() -> None:
    done = subprocess.run([sys.executable, "-m", "ptt_app", "--smoke-test"], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    ids = re.findall(r"^(StartListening|StopListening) RequestId=(\S+) Code=0", done.stdout, re.MULTILINE)
    assert [action for action, _ in ids] == ["StartListening", "StopListening"]
    assert all(request_id != "-" for _, request_id in ids)
