"""Guards against defects of the Qt binding itself that would crash an operator's long session."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_signal_emission_keeps_the_reference_count_of_true() -> None:
    # PySide6 6.12.0 returned True from emit() without a reference; after enough emits Python
    # frees True and aborts ("bool_dealloc"). On Python 3.12+ True is immortal and this cannot bite.
    emitter = _Emitter()
    emitter.fired.connect(lambda _value: None)
    before = sys.getrefcount(True)
    for _ in range(1000):
        emitter.fired.emit(1)
    assert sys.getrefcount(True) - before > -10
