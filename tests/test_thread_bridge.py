"""The engine's timers and the worker's mailbox on a Qt thread (gui/thread_bridge.py): a callback that raises is
reported, and never holds back the callbacks after it (a Stop's deadline or retry may be one of them)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from ptt_app.gui.thread_bridge import PostBox, QtScheduler


def fail() -> None:
    raise RuntimeError("a callback failed")


def test_timers_run_in_the_order_they_fall_due(qtbot) -> None:
    owner = QObject()
    scheduler = QtScheduler(owner)
    ran: list[str] = []
    scheduler.call_later(0.03, lambda: ran.append("second"))
    scheduler.call_later(0.01, lambda: ran.append("first"))
    qtbot.waitUntil(lambda: len(ran) == 2, timeout=2000)
    assert ran == ["first", "second"]


def test_a_timer_that_raises_does_not_strand_the_later_ones(qtbot) -> None:
    owner = QObject()
    scheduler = QtScheduler(owner)
    ran: list[str] = []
    with qtbot.captureExceptions() as raised:
        scheduler.call_later(0.01, fail)
        scheduler.call_later(0.05, lambda: ran.append("stop retry"))
        qtbot.waitUntil(lambda: ran == ["stop retry"], timeout=2000)
    assert [str(error) for _, error, _ in raised] == ["a callback failed"]


def test_a_posted_callback_that_raises_does_not_hold_back_the_ones_behind_it(qtbot) -> None:
    owner = QObject()
    box = PostBox(owner)
    ran: list[str] = []

    def post_both() -> None:  # from another thread, as the sender threads post answers
        box.post(fail)
        box.post(lambda: ran.append("answer"))

    with qtbot.captureExceptions() as raised:
        poster = threading.Thread(target=post_both)
        poster.start()
        poster.join()
        qtbot.waitUntil(lambda: ran == ["answer"], timeout=2000)
    assert len(raised) == 1
    box.close()
