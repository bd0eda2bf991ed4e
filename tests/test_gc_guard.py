"""Garbage collection runs on the GUI thread only, so no sender thread ever destroys a Qt object."""

from __future__ import annotations

import gc
import threading

from test_window import talk_once

from ptt_app.gui.gc_guard import GuiThreadCollector


def test_with_the_collector_installed_every_collection_runs_on_the_gui_thread(qtbot, open_window, simulator) -> None:
    collector = GuiThreadCollector()
    threads: list[str] = []

    def record(phase: str, _info: dict) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    collector.install()
    gc.callbacks.append(record)
    try:
        window = open_window()
        for _ in range(30):
            simulator.clear_received()
            talk_once(qtbot, window, simulator)
            # Cyclic garbage made on purpose, so that collections are due while senders run.
            for _ in range(2000):
                cycle: list = []
                cycle.append(cycle)
    finally:
        gc.callbacks.remove(record)
        collector.uninstall()
    assert threads, "the timer collected nothing: collections were due"
    assert set(threads) == {threading.main_thread().name}


def test_the_collector_collects_what_cpython_would(qtbot) -> None:
    collector = GuiThreadCollector()
    collector.install()
    try:
        assert not gc.isenabled()
        gc.collect()
        assert collector.collect_due() == -1
        for _ in range(gc.get_threshold()[0] + 10):
            cycle: list = []
            cycle.append(cycle)
        assert collector.collect_due() == 0
    finally:
        collector.uninstall()
    assert gc.isenabled()
