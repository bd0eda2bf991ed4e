"""Press-to-server latency of the real window, beside lower bounds measured in the same run.

- paced bound: the app's own client (AgentApiClient) alone, sending Start/Stop from a plain thread with the
  same idle gap between an answer and the next call as the window gets. An idle machine answers slower
  than a busy one (CPU frequency, caches and wake-ups), so this, not a tight loop, is the fair bound for
  an operator who presses seconds apart.
- tight-loop bound: the same client sending back to back.
- curl per request: a new process and connection each time.
- window: QTest presses and releases on the talk button, the next one IDLE_GAP_MS after the window shows
  the answer to the last.

Latency is the simulator's receipt stamp (CLOCK_MONOTONIC, system-wide; the simulator has a process of
its own) minus the stamp taken just before the call or the mouse event. A second, instrumented window run
splits the window's time into the hops it takes (GUI thread to worker thread, engine and journal, sender
thread wake-up, the client's own send), to show where any time beyond the paced bound goes.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest

from common import close_window, open_window, percentiles, start_rig, take_no_options, use_fresh_data_dir, write_result
from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.sender_pool import SenderPool
from ptt_app.api.signing import signed_params
from ptt_app.api.types import START_LISTENING, STOP_LISTENING, listening_request
from ptt_app.talk.engine import DispatchEngine
from ptt_app.talk.journaled import CallJournal
from ptt_app.talk.sequence import SequenceSource

CYCLES = int(os.environ.get("PTT_BENCH_CYCLES", "500"))
PROFILE_CYCLES = CYCLES // 2
TIGHT_REQUESTS = 2 * CYCLES
CURL_REQUESTS = 100
# An operator's next press or release comes long after the previous answer; the window and the paced bound
# both wait this long after an answer before the next call.
IDLE_GAP_MS = int(os.environ.get("PTT_BENCH_IDLE_GAP_MS", "100"))
TARGET_RATIO = 1.3


def _sequences() -> Callable[[], int]:
    """Sequences as the window numbers them (the wall clock in ms, or the last + 1): the next window's own
    stay above them, so the simulator ignores none of its presses as outdated."""
    return SequenceSource().next


def receipts_of(rig, sequences: set[int]) -> dict[int, float]:
    """The simulator's receipt stamp of each Sequence (one call to its process, after the run)."""
    return {r.sequence: r.received_monotonic for r in rig.simulator.received() if r.sequence in sequences}


def measure_bare_client(rig, count: int, gap_s: float) -> list[float]:
    """Start/Stop alternately from a plain thread, `gap_s` after each answer (0: back to back)."""
    sent_at: dict[int, float] = {}
    next_sequence = _sequences()

    def run() -> None:
        client = AgentApiClient(rig.credentials, rig.base_url)
        client.warm_up()
        try:
            for n in range(count):
                if gap_s:
                    time.sleep(gap_s)
                sequence = next_sequence()
                action = START_LISTENING if n % 2 == 0 else STOP_LISTENING
                stamp = time.monotonic()
                client.send(listening_request(action, rig.instance_id, "bench-user", sequence))
                sent_at[sequence] = stamp
        finally:
            client.close()

    thread = threading.Thread(target=run, name="bench-bare-client")
    thread.start()
    thread.join()
    receipts = receipts_of(rig, set(sent_at))
    return [(receipts[s] - t) * 1000 for s, t in sent_at.items() if s in receipts]


def measure_curl(rig) -> list[float]:
    curl = shutil.which("curl")
    if curl is None:
        return []
    sent_at: dict[int, float] = {}
    next_sequence = _sequences()
    for n in range(CURL_REQUESTS):
        sequence = next_sequence()
        action = START_LISTENING if n % 2 == 0 else STOP_LISTENING
        query = signed_params(rig.credentials.app_id, rig.credentials.server_secret).as_query(action)
        body = json.dumps(listening_request(action, rig.instance_id, "bench-user", sequence).body)
        url = f"{rig.base_url}/?{urlencode(query)}"
        stamp = time.monotonic()
        subprocess.run([curl, "-s", "-o", "/dev/null", "-X", "POST", "-H", "Content-Type: application/json",
                        "--data", body, url], check=True)
        sent_at[sequence] = stamp
    receipts = receipts_of(rig, set(sent_at))
    return [(receipts[s] - t) * 1000 for s, t in sent_at.items() if s in receipts]


class WindowRun:
    """Event-driven cycles on a real window: the next event is sent when the window shows the answer, so the
    GUI thread idles in its event loop as it does for an operator (a polling loop would compete for the GIL)."""

    def __init__(self, rig, cycles: int, on_open: Callable | None = None) -> None:
        self.rig = rig
        self.cycles_left = cycles
        self.on_open = on_open
        self.sent_at: dict[int, float] = {}  # origin Sequence -> stamp before the mouse event
        self.kind: dict[int, str] = {}

    def run(self) -> tuple[list[float], list[float]]:
        use_fresh_data_dir()
        window = open_window(self.rig)
        self.window = window
        if self.on_open is not None:
            self.on_open(window)
        self.loop = QEventLoop()
        window.listen_result_shown.connect(self._on_answer)
        QTimer.singleShot(IDLE_GAP_MS, self._press)
        self.loop.exec()
        close_window(window)
        receipts = receipts_of(self.rig, set(self.sent_at))
        press = [(receipts[s] - t) * 1000 for s, t in self.sent_at.items() if self.kind[s] == "press" and s in receipts]
        release = [(receipts[s] - t) * 1000 for s, t in self.sent_at.items() if self.kind[s] == "release" and s in receipts]
        return press, release

    def _press(self) -> None:
        if self.cycles_left == 0:
            self.loop.quit()
            return
        self.cycles_left -= 1
        stamp = time.monotonic()
        QTest.mousePress(self.window.talk_button, Qt.MouseButton.LeftButton)
        self._remember(stamp, "press")

    def _release(self) -> None:
        stamp = time.monotonic()
        QTest.mouseRelease(self.window.talk_button, Qt.MouseButton.LeftButton)
        self._remember(stamp, "release")

    def _remember(self, stamp: float, kind: str) -> None:
        sequence = self.window._controller._latest_origin
        self.sent_at[sequence] = stamp
        self.kind[sequence] = kind

    def _on_answer(self, intent, result) -> None:
        QTimer.singleShot(IDLE_GAP_MS, self._release if intent.action == START_LISTENING else self._press)


class HopStamps:
    """Stamps each Start/Stop (by Sequence) as it passes the window's hops: the GUI thread emits the intent,
    the worker thread's engine takes it, journals it (begin and committed), hands it to the sender pool, and a
    sender thread's client sends it. The product's classes are wrapped for the profiling run only."""

    HOPS = ("intent emitted (GUI thread)", "engine.listen (worker thread)", "journal write begins",
            "journal row committed", "sender pool submit", "client.send (sender thread)")

    def __init__(self) -> None:
        self.stamps: dict[str, dict[int, float]] = {hop: {} for hop in self.HOPS}
        self._originals: list[tuple[type, str, Callable]] = []

    def stamp(self, hop: str, sequence: int | None) -> None:
        """Note the first time a Sequence passed a hop."""
        self.stamps[hop].setdefault(sequence, time.monotonic())

    def install(self) -> None:
        _, listened, journal_begins, journal_committed, submitted, sending = self.HOPS

        def wrap(owner: type, name: str, hop: str, sequence_of: Callable, after: str | None = None) -> None:
            original = getattr(owner, name)

            def stamped(*args, **kwargs):
                sequence = sequence_of(*args, **kwargs)
                self.stamp(hop, sequence)
                result = original(*args, **kwargs)
                if after is not None:
                    self.stamp(after, sequence)
                return result

            self._originals.append((owner, name, original))
            setattr(owner, name, stamped)

        wrap(DispatchEngine, "listen", listened, lambda engine, intent: intent.sequence)
        wrap(CallJournal, "begin", journal_begins, lambda journal, target, request, sent_at: request.sequence,
             after=journal_committed)
        wrap(SenderPool, "submit", submitted, lambda pool, ticket, request, fresh: request.sequence)
        wrap(AgentApiClient, "send", sending, lambda client, request, *a, **k: request.sequence)

    def watch(self, window) -> None:
        """Stamp the intent as the GUI thread emits it (a direct connection: called inside emit)."""
        window.talk.listen_requested.connect(lambda intent: self.stamp(self.HOPS[0], intent.sequence),
                                             Qt.ConnectionType.DirectConnection)

    def remove(self) -> None:
        for owner, name, original in self._originals:
            setattr(owner, name, original)


def profile_window(rig) -> dict[str, dict]:
    """Where a window press's time goes: median (and p95) ms of each hop, presses and releases together."""
    hops = HopStamps()
    hops.install()
    try:
        run = WindowRun(rig, PROFILE_CYCLES, on_open=hops.watch)
        run.run()
    finally:
        hops.remove()
    receipts = receipts_of(rig, set(run.sent_at))
    marks = [("mouse event", run.sent_at), *[(hop, hops.stamps[hop]) for hop in HopStamps.HOPS], ("server receipt", receipts)]
    segments: dict[str, dict] = {}
    for (start_name, starts), (end_name, ends) in itertools.pairwise(marks):
        values = [(ends[s] - starts[s]) * 1000 for s in run.sent_at if s in starts and s in ends]
        segments[f"{start_name} -> {end_name}"] = {"p50": round(statistics.median(values), 3),
                                                    "p95": percentiles(values)["p95"], "n": len(values)}
    return segments


def main() -> None:
    rig = start_rig()
    try:
        tight = percentiles(measure_bare_client(rig, TIGHT_REQUESTS, 0.0))
        paced = percentiles(measure_bare_client(rig, 2 * CYCLES, IDLE_GAP_MS / 1000))
        press, release = WindowRun(rig, CYCLES).run()
        hops = profile_window(rig)
        curl_samples = measure_curl(rig)
    finally:
        rig.stop()
    app_press, app_release = percentiles(press), percentiles(release)
    curl = percentiles(curl_samples) if curl_samples else None
    ratio = round(app_press["p50"] / paced["p50"], 2)
    release_ratio = round(app_release["p50"] / paced["p50"], 2)
    tight_ratio = round(app_press["p50"] / tight["p50"], 2)
    figures = {"idle_gap_ms": IDLE_GAP_MS, "cycles": CYCLES, "press_to_receipt_ms": app_press,
               "release_to_receipt_ms": app_release, "paced_bound_ms": paced, "tight_loop_bound_ms": tight,
               "curl_per_request_ms": curl, "press_p50_over_paced_p50": ratio,
               "release_p50_over_paced_p50": release_ratio, "press_p50_over_tight_loop_p50": tight_ratio,
               "window_hops_ms": hops}
    targets = {f"press p50 within {TARGET_RATIO}x of the paced bound": ratio <= TARGET_RATIO,
               "press and release p99 under 10 ms": max(app_press["p99"], app_release["p99"]) < 10}
    summary = (f"press p50/p95/p99 {app_press['p50']}/{app_press['p95']}/{app_press['p99']} ms, "
               f"release {app_release['p50']}/{app_release['p95']}/{app_release['p99']} ms; "
               f"paced bound ({IDLE_GAP_MS} ms gaps) {paced['p50']}/{paced['p95']}/{paced['p99']} ms "
               f"(press {ratio}x, release {release_ratio}x); tight-loop bound p50 {tight['p50']} ms "
               f"(press {tight_ratio}x); curl p50 {curl['p50'] if curl else 'n/a'} ms")
    write_result("press_latency", figures, targets, summary)
    print("window hops (p50 / p95 ms): " + "; ".join(f"{name} {v['p50']} / {v['p95']}" for name, v in hops.items()))


if __name__ == "__main__":
    take_no_options(__doc__)
    main()
