"""Shared set-up of the benchmarks: private folders, the in-process simulator, a real window, probes."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from multiprocessing.managers import BaseManager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def use_private_environment() -> Path:
    """Offscreen Qt and throw-away config/data folders: a benchmark never touches the user's own."""
    home = Path(tempfile.mkdtemp(prefix="ptt-bench-"))
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["PTT_APP_CONFIG_DIR"] = str(home / "config")
    os.environ["PTT_APP_DATA_DIR"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "xdg")
    return home


def use_fresh_data_dir() -> Path:
    """A new, empty data folder (journal) for the next window of this process. A journal left by a window
    that closed here is not writable by the next one (a store bug, reported with the N2 benchmarks): its
    rows would be kept in memory, lost, and every write attempt would cost time on the press path."""
    folder = Path(tempfile.mkdtemp(prefix="ptt-bench-data-"))
    os.environ["PTT_APP_DATA_DIR"] = str(folder)
    return folder


use_private_environment()
# The shared test support (the fake credential store, the network lab) lives beside the tests.
sys.path.insert(0, str(ROOT / "tests"))

import secrets

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from ptt_app.api.types import Credentials
from ptt_app.gui.app import make_application, prepare_threads
from ptt_app.gui.gc_guard import GuiThreadCollector  # the type of what prepare_threads returns
from ptt_app.sim import AgentApiSimulator, SimConfig
from support.fake_credentials import FixedCredentialStore
from support.netlab import LinkSettings, NetLab

_collector: list[GuiThreadCollector] = []


def make_app_like_the_real_one() -> QApplication:
    """The QApplication as `ptt-app` makes it, with its threads prepared the same way."""
    app = make_application()
    if not _collector:
        _collector.append(prepare_threads(app))
    return app


class SimulatorHost:
    """The simulator, run in its own process: in this one its HTTP handlers would compete with the app
    for the GIL and inflate every figure. Receipt stamps stay comparable: CLOCK_MONOTONIC is system-wide."""

    def __init__(self, app_id: int, server_secret: str, tls: bool = False) -> None:
        self._sim = AgentApiSimulator(SimConfig(app_id=app_id, server_secret=server_secret, tls=tls))
        self._sim.start()

    def base_url(self) -> str:
        return self._sim.base_url

    def ca_certificate_path(self) -> str | None:
        return self._sim.ca_certificate_path

    def received(self):
        return self._sim.received()

    def clear_received(self) -> None:
        self._sim.clear_received()

    def add_fault(self, fault) -> None:
        self._sim.add_fault(fault)

    def is_listening(self, agent_instance_id: str) -> bool:
        return self._sim.is_listening(agent_instance_id)

    def create_instance(self, agent_id: str, user_id: str) -> str:
        return self._sim.create_instance(agent_id=agent_id, user_id=user_id)

    def stop(self) -> None:
        self._sim.stop()


class LabHost:
    """A network lab in front of the simulator, in the simulator's process (off the app's GIL)."""

    def __init__(self, upstream_url: str, settings: dict) -> None:
        self._lab = NetLab.in_front_of(upstream_url, LinkSettings(**settings))
        self._lab.start()

    def base_url(self) -> str:
        return self._lab.base_url

    def configure(self, settings: dict) -> None:
        self._lab.configure(**settings)

    def blackhole_all(self) -> int:
        return self._lab.blackhole_all()

    def stop(self) -> None:
        self._lab.stop()


class _SimulatorManager(BaseManager):
    pass


_SimulatorManager.register("SimulatorHost", SimulatorHost)
_SimulatorManager.register("LabHost", LabHost)


@dataclass
class Rig:
    """A simulator on loopback (in its own process), credentials it accepts, and an instance to talk to."""

    simulator: SimulatorHost
    credentials: Credentials
    instance_id: str
    base_url: str
    manager: _SimulatorManager
    ca_path: str | None = None

    def lab(self, **settings) -> LabHost:
        """A network lab (tests/support/netlab.py LinkSettings fields) in front of the simulator, in its process;
        open_window(rig, endpoint=lab.base_url()) talks through it."""
        return self.manager.LabHost(self.base_url, settings)

    def stop(self) -> None:
        """Stop the simulator and its process."""
        self.simulator.stop()
        self.manager.shutdown()


def start_rig(tls: bool = False) -> Rig:
    """Start the simulator process and create a walkie-talkie instance on it. With tls, the simulator serves
    HTTPS and this process trusts its certificate through REQUESTS_CA_BUNDLE, as an operator's system would."""
    credentials = Credentials(1234567890, secrets.token_hex(16))
    manager = _SimulatorManager()
    manager.start()
    host = manager.SimulatorHost(credentials.app_id, credentials.server_secret, tls)
    instance = host.create_instance("bench-agent", "bench-user")
    ca_path = host.ca_certificate_path() if tls else None
    if ca_path:
        os.environ["REQUESTS_CA_BUNDLE"] = ca_path
    return Rig(host, credentials, instance, host.base_url(), manager, ca_path)


def open_window(rig: Rig, **profile_fields):
    """A real MainWindow on the rig's instance, shown and ready to talk."""
    import dataclasses

    from ptt_app.gui.main_window import MainWindow
    from ptt_app.session.runtime import ConsoleOptions
    from ptt_app.store.paths import settings_path
    from ptt_app.store.settings import AppSettings, ProfileSettings, SettingsStore

    make_app_like_the_real_one()
    fields = {"endpoint": rig.base_url, "agent_instance_id": rig.instance_id, "user_id": "bench-user",
              **profile_fields}
    profile = dataclasses.replace(ProfileSettings(), **fields)
    SettingsStore(settings_path()).save(AppSettings(profiles={"default": profile}))
    window = MainWindow(ConsoleOptions(), credential_store=FixedCredentialStore(rig.credentials))
    window.show()
    wait_until(window.talk_button.isEnabled, 10.0)
    return window


def close_window(window) -> None:
    """Close (drain) the window and let its worker thread finish."""
    window.close()
    wait_until(lambda: window._drained, 15.0)


def wait_until(condition: Callable[[], bool], timeout_s: float) -> None:
    """Run the Qt event loop until condition() holds; raise if it does not within timeout_s."""
    deadline = time.monotonic() + timeout_s
    app = QApplication.instance()
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout_s} s")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.0002)


def talk_cycles(window, count: int) -> None:
    """Press and release `count` times, each time waiting for the server-confirmed state."""
    from ptt_app.talk.intents import TalkState

    def state() -> TalkState | None:
        controller = window.talk.controller
        return controller.state if controller else None

    for _ in range(count):
        window.press("bench")
        wait_until(lambda: state() is TalkState.LISTENING, 5.0)
        window.release("bench")
        wait_until(lambda: state() is TalkState.IDLE, 5.0)


class EventLoopProbe:
    """A 5 ms QTimer on the GUI thread; the largest gap between its ticks is how long the loop froze."""

    def __init__(self, interval_ms: int = 5) -> None:
        self.interval_ms = interval_ms
        self.gaps_ms: list[float] = []
        self._last = time.monotonic()
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.monotonic()
        self.gaps_ms.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self._last = time.monotonic()
        self._timer.start(self.interval_ms)

    def stop(self) -> float:
        """Stop and return the largest gap in ms."""
        self._timer.stop()
        return max(self.gaps_ms, default=0.0)

    def ticks_over(self, limit_ms: float) -> int:
        """How many gaps were longer than limit_ms."""
        return sum(gap > limit_ms for gap in self.gaps_ms)


def take_no_options(doc: str | None) -> None:
    """Answer --help with the benchmark's description (and refuse unknown options) before any work starts."""
    import argparse

    argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()


def cpu_noise_gauge(seconds: float = 8.0, task_iterations: int = 20_000) -> dict[str, float]:
    """How steady this machine runs plain Python right now: a fixed task (about 1-2 ms) repeated for
    `seconds`, its time in ms as percentiles. On a shared 2-core VM the same task now and then takes
    several times its median; no stall figure measured here can be smaller than that stretch."""

    def task() -> int:
        total = 0
        for number in range(task_iterations):
            total += number * number
        return total

    times: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        started = time.perf_counter()
        task()
        times.append((time.perf_counter() - started) * 1000)
    figures = percentiles(times)
    figures["max_over_p50"] = round(figures["max"] / figures["p50"], 1)
    return figures


def percentiles(values_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99/max of a sample, in the sample's unit, rounded to 0.01."""
    ordered = sorted(values_ms)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]

    return {"n": len(ordered), "p50": round(at(0.50), 3), "p95": round(at(0.95), 3), "p99": round(at(0.99), 3),
            "max": round(ordered[-1], 3), "mean": round(statistics.fmean(ordered), 3)}


def rss_mb() -> float:
    """Resident set size of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> dict[str, str | int]:
    """Where the figures came from."""
    import PySide6

    return {
        "platform": platform.platform(),
        "processor": platform.machine(),
        "cpus": os.cpu_count() or 0,
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def write_result(name: str, figures: dict, targets: dict[str, bool], summary: str) -> None:
    """Print the one-line summary and write bench/results/<name>.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {"benchmark": name, "summary": summary, "figures": figures, "targets_met": targets, "machine": machine()}
    (RESULTS / f"{name}.json").write_text(json.dumps(record, indent=2) + "\n")
    print_result(name, targets, summary)


def print_result(name: str, targets: dict[str, bool], summary: str) -> None:
    """The one-line summary with each target's verdict."""
    verdicts = ", ".join(f"{target}: {'met' if met else 'NOT met'}" for target, met in targets.items())
    print(f"{name}: {summary} [{verdicts}]", flush=True)


if __name__ == "__main__":
    sys.exit("run one of the benchmark scripts, or bench/run_all.py")
