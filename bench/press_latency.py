"""Press-to-server latency of the real window, beside the lower bounds measured in the same run:
a warm requests.Session (the app's own client in a tight loop) and curl per request."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest

from common import close_window, open_window, percentiles, start_rig, write_result
from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.signing import signed_params
from ptt_app.api.types import START_LISTENING, listening_request

CYCLES = 500
WARM_REQUESTS = 500
CURL_REQUESTS = 100
# An operator's next press or release comes long after the previous answer; a short idle gap lets the
# log repaint of the previous answer finish first, as it would for a person (0 = back to back).
IDLE_GAP_MS = int(os.environ.get("PTT_BENCH_IDLE_GAP_MS", "20"))


def measure_window(rig) -> tuple[list[float], list[float]]:
    """Event-driven cycles: the next event is sent when the window shows the answer, so the GUI thread
    idles in its event loop as it does for an operator (a polling loop would compete for the GIL)."""
    window = open_window(rig)
    button = window.talk_button
    sent_at: dict[int, float] = {}
    actions: dict[int, str] = {}
    cycles = {"left": CYCLES}
    loop = QEventLoop()

    def press() -> None:
        if cycles["left"] == 0:
            loop.quit()
            return
        cycles["left"] -= 1
        stamp = time.monotonic()
        QTest.mousePress(button, Qt.MouseButton.LeftButton)
        remember(stamp)

    def remember(stamp: float) -> None:
        sequence = window._controller._latest_origin
        sent_at[sequence] = stamp
        actions[sequence] = "press" if window._controller.held else "release"

    def on_answer(intent, result) -> None:
        if intent.action == "StartListening":
            QTimer.singleShot(IDLE_GAP_MS, release)
        else:
            QTimer.singleShot(IDLE_GAP_MS, press)

    def release() -> None:
        stamp = time.monotonic()
        QTest.mouseRelease(button, Qt.MouseButton.LeftButton)
        remember(stamp)

    window.listen_result_shown.connect(on_answer)
    QTimer.singleShot(0, press)
    loop.exec()
    close_window(window)
    receipts = {r.sequence: r.received_monotonic for r in rig.simulator.received() if r.sequence in sent_at}
    press_ms = [(receipts[s] - t) * 1000 for s, t in sent_at.items() if actions[s] == "press"]
    release_ms = [(receipts[s] - t) * 1000 for s, t in sent_at.items() if actions[s] == "release"]
    return press_ms, release_ms


def measure_warm_session(rig) -> list[float]:
    client = AgentApiClient(rig.credentials, rig.base_url)
    samples = []
    sequence = int(time.time() * 1000) * 10
    for n in range(WARM_REQUESTS):
        count = len(rig.simulator.received())
        started = time.monotonic()
        client.send(listening_request(START_LISTENING, rig.instance_id, "bench-user", sequence + n))
        samples.append((rig.simulator.received()[count].received_monotonic - started) * 1000)
    client.close()
    return samples


def measure_curl(rig) -> list[float]:
    curl = shutil.which("curl")
    if curl is None:
        return []
    samples = []
    sequence = int(time.time() * 1000) * 100
    for n in range(CURL_REQUESTS):
        query = signed_params(rig.credentials.app_id, rig.credentials.server_secret).as_query("StartListening")
        body = json.dumps(listening_request(START_LISTENING, rig.instance_id, "bench-user", sequence + n).body)
        url = f"{rig.base_url}/?{urlencode(query)}"
        count = len(rig.simulator.received())
        started = time.monotonic()
        subprocess.run([curl, "-s", "-o", "/dev/null", "-X", "POST", "-H", "Content-Type: application/json",
                        "--data", body, url], check=True)
        samples.append((rig.simulator.received()[count].received_monotonic - started) * 1000)
    return samples


def main() -> None:
    rig = start_rig()
    try:
        warm = percentiles(measure_warm_session(rig))
        press, release = measure_window(rig)
        curl_samples = measure_curl(rig)
    finally:
        rig.stop()
    app_press, app_release = percentiles(press), percentiles(release)
    curl = percentiles(curl_samples) if curl_samples else None
    ratio = round(app_press["p50"] / warm["p50"], 2)
    figures = {"idle_gap_ms": IDLE_GAP_MS, "press_to_receipt_ms": app_press, "release_to_receipt_ms": app_release,
               "warm_session_bound_ms": warm, "curl_per_request_ms": curl, "app_p50_over_warm_p50": ratio}
    targets = {"app p50 within 1.5x of warm session": ratio <= 1.5,
               "app p99 under 10 ms": max(app_press["p99"], app_release["p99"]) < 10}
    summary = (f"press p50/p95/p99 {app_press['p50']}/{app_press['p95']}/{app_press['p99']} ms, "
               f"release {app_release['p50']}/{app_release['p95']}/{app_release['p99']} ms; "
               f"warm session p50 {warm['p50']} ms (ratio {ratio}x); "
               f"curl p50 {curl['p50'] if curl else 'n/a'} ms")
    write_result("press_latency", figures, targets, summary)


if __name__ == "__main__":
    main()
