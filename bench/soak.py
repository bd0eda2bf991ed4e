"""Soak: 100 runs of the log-scale workload and 10,000 press/release cycles through the real window.

Each log-scale run is its own process (open a 100k-row journal, append 1,000 rows while scrolling), so
a native crash shows as an abnormal exit instead of ending the soak; the cycles run in one process that
reports its resident memory every 1,000 cycles. Passes when no process ended abnormally, no crash report
was written, and RSS after 10,000 cycles is within 5 MB of RSS after the first 1,000.

    .venv/bin/python bench/soak.py              # the full soak (about half an hour on 2 cores)
    .venv/bin/python bench/soak.py --quick      # 3 runs and 1,000 cycles, to try it (prints, writes no result)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LOG_ROWS = 100_000
APPENDED_ROWS = 1_000
RSS_TOLERANCE_MB = 5.0


def main() -> int:
    args = _arguments()
    if args.one_log_run:
        return _one_log_scale_run(Path(args.one_log_run))
    if args.cycles_run:
        return _cycles_run(args.cycles_run)
    if args.quick:
        return _soak(3, 1_000, write=False)
    return _soak(args.log_runs, args.cycles)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--log-runs", type=int, default=100)
    parser.add_argument("--cycles", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--one-log-run", metavar="TEMPLATE", help=argparse.SUPPRESS)
    parser.add_argument("--cycles-run", type=int, metavar="N", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- the parent: runs the children and judges them ---------------------------------------------------


def _soak(log_runs: int, cycles: int, write: bool = True) -> int:
    started = time.monotonic()
    template = _journal_template()
    exits = []
    log_run_reports = 0
    gaps_ms: list[float] = []
    for index in range(log_runs):
        done = subprocess.run([sys.executable, __file__, "--one-log-run", str(template)], capture_output=True, text=True)
        exits.append(done.returncode)
        for line in done.stdout.splitlines():
            if line.startswith("{"):
                report = json.loads(line)
                log_run_reports += report["crash_reports"]
                gaps_ms.append(report["max_event_loop_gap_ms"])
        if done.returncode != 0:
            print(f"log-scale run {index + 1}: exit {done.returncode}\n{done.stderr[-2000:]}", file=sys.stderr)
        print(f"log-scale run {index + 1}/{log_runs}: exit {done.returncode}", flush=True)
    cycle_run = subprocess.run([sys.executable, __file__, "--cycles-run", str(cycles)], capture_output=True, text=True)
    samples = [json.loads(line) for line in cycle_run.stdout.splitlines() if line.startswith("{")]
    shutil.rmtree(template.parent, ignore_errors=True)
    return _judge(exits, log_run_reports, gaps_ms, cycle_run, samples, time.monotonic() - started, write)


def _judge(exits: list[int], log_run_reports: int, gaps_ms: list[float], cycle_run: subprocess.CompletedProcess,
           samples: list[dict], elapsed_s: float, write: bool = True) -> int:
    sys.path.insert(0, str(BENCH))
    from common import print_result, write_result

    abnormal = [code for code in exits if code != 0] + ([cycle_run.returncode] if cycle_run.returncode != 0 else [])
    reports = log_run_reports + (samples[-1].get("crash_reports", 0) if samples else 0)
    first = next((s["rss_mb"] for s in samples if s["cycles"] == 1_000), None)
    last = samples[-1]["rss_mb"] if samples else None
    growth = None if first is None or last is None else round(last - first, 1)
    figures = {"log_scale_runs": len(exits), "abnormal_exits": len(abnormal), "exit_codes": sorted(set(exits)),
               "cycles": samples[-1]["cycles"] if samples else 0, "rss_mb_by_1000_cycles": [s["rss_mb"] for s in samples],
               "rss_growth_mb_after_first_1000": growth, "crash_reports": reports, "elapsed_s": round(elapsed_s),
               # Recorded, not judged: the log-scale benchmark's own target (gap under 16 ms), over every run.
               "log_runs_max_event_loop_gap_ms": _gap_figures(gaps_ms)}
    targets = {"no abnormal exit": not abnormal, "no crash report": reports == 0,
               f"RSS within {RSS_TOLERANCE_MB:g} MB of its value after 1,000 cycles": growth is not None
               and abs(growth) <= RSS_TOLERANCE_MB}
    summary = (f"{len(exits)} log-scale runs and {figures['cycles']:,} press/release cycles: {len(abnormal)} abnormal "
               f"exits, {reports} crash reports; RSS {first} MB after 1,000 cycles, {last} MB at the end "
               f"({growth:+} MB)" if growth is not None else "no RSS samples (the cycles run failed)")
    if gaps_ms:
        summary += (f"; largest event-loop gap per log-scale run: median {figures['log_runs_max_event_loop_gap_ms']['median']} "
                    f"ms, over 16 ms in {figures['log_runs_max_event_loop_gap_ms']['runs_over_16_ms']} of {len(gaps_ms)} "
                    f"runs, worst {max(gaps_ms):.1f} ms")
    if write:
        write_result("soak", figures, targets, summary)
    else:  # a try-out must not replace the recorded soak
        print_result("soak (quick, not written)", targets, summary)
    if cycle_run.returncode != 0:
        print(cycle_run.stderr[-3000:], file=sys.stderr)
    return 0 if all(targets.values()) else 1


def _journal_template() -> Path:
    """A 100k-row journal made once and copied for each run (filling it is not what is soaked)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_journal import fill_journal

    from ptt_app.store.journal import RequestJournal

    folder = Path(tempfile.mkdtemp(prefix="ptt-soak-template-"))
    path = folder / "journal.sqlite3"
    RequestJournal(path).close()
    fill_journal(path, LOG_ROWS)
    return path


def _gap_figures(gaps_ms: list[float]) -> dict[str, float | int]:
    """The largest GUI event-loop gap of each log-scale run, summarised across the runs."""
    ordered = sorted(gaps_ms)
    if not ordered:
        return {}
    return {"median": round(ordered[len(ordered) // 2], 1), "runs_over_16_ms": sum(gap > 16 for gap in ordered),
            "worst": round(ordered[-1], 1)}


# --- the children: each a real window in its own process ----------------------------------------------


def _watch_for_crashes():
    """Crash handling exactly as `ptt-app` installs it (exception hooks, faulthandler)."""
    from ptt_app import __version__
    from ptt_app.diagnostics import crash_reports
    from ptt_app.store.paths import data_dir

    return crash_reports.install(data_dir() / "crash-reports", __version__)


def _crash_reports() -> int:
    from ptt_app.store.paths import data_dir

    return len(list((data_dir() / "crash-reports").glob("crash-*")))


def _one_log_scale_run(template: Path) -> int:
    sys.path.insert(0, str(BENCH))
    reporter = _watch_for_crashes()
    from PySide6.QtCore import QTimer

    from common import EventLoopProbe, close_window, open_window, start_rig, talk_cycles, wait_until
    from ptt_app.store.paths import journal_path

    journal_path().parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, journal_path())
    rig = start_rig()
    window = None
    max_gap_ms = 0.0
    try:
        window = open_window(rig)
        wait_until(lambda: window.log_model.rowCount() > 0, 5.0)
        scrollbar = window.log_view.verticalScrollBar()
        scroller = QTimer()
        scroller.timeout.connect(lambda: scrollbar.setValue((scrollbar.value() + 7) % max(1, scrollbar.maximum())))
        probe = EventLoopProbe(5)  # as bench/log_scale.py measures it
        probe.start()
        scroller.start(10)
        talk_cycles(window, APPENDED_ROWS // 2)
        scroller.stop()
        max_gap_ms = probe.stop()
    finally:
        if window is not None:
            close_window(window)  # a failed run still quits cleanly: only a crash exits abnormally
        rig.stop()
    print(json.dumps({"crash_reports": _crash_reports(), "max_event_loop_gap_ms": round(max_gap_ms, 2)}), flush=True)
    reporter.mark_clean_exit()
    return 0


def _cycles_run(cycles: int) -> int:
    sys.path.insert(0, str(BENCH))
    reporter = _watch_for_crashes()
    from common import close_window, open_window, rss_mb, start_rig, talk_cycles

    rig = start_rig()
    window = None
    try:
        window = open_window(rig)
        for done in range(1_000, cycles + 1, 1_000):
            talk_cycles(window, 1_000)
            print(json.dumps({"cycles": done, "rss_mb": round(rss_mb(), 1), "crash_reports": _crash_reports()}),
                  flush=True)
    finally:
        if window is not None:
            close_window(window)
        rig.stop()
    reporter.mark_clean_exit()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
