"""Guards against a Qt binding that corrupts Python's reference counts when signals are emitted."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    progressed = Signal(float)


def test_emitting_signals_keeps_reference_counts(qtbot):
    # PySide6 6.12.0 dropped a reference to True on every emit(); on Python 3.11 the process
    # then aborts ("bool_dealloc") once the streamed tokens outnumber True's references.
    emitter = _Emitter()
    received: list[float] = []
    emitter.progressed.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.progressed.emit(0.5)
    assert len(received) == 500
    assert sys.getrefcount(True) >= before - 10
