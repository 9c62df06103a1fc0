"""The Qt binding itself: a build that mishandles references aborts the app minutes into a session.

PySide6 6.12.0 on Python 3.11 dropped a reference to None (and to True/False) on every signal it
delivered to Python; after a few thousand signals (the level meter sends about 20 a second) the
process aborted with "none_dealloc". pyproject.toml excludes it; this test catches such a build.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer, Signal


class _Emitter(QObject):
    level = Signal(float)
    flag = Signal(bool)
    payload = Signal(object)


def test_delivering_many_signals_keeps_none_true_and_false_alive(qtbot) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.level.connect(lambda value: None)
    emitter.flag.connect(lambda value: received.append(value) if len(received) < 3 else None)
    emitter.payload.connect(lambda value: None)
    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for i in range(3000):
        emitter.level.emit(i / 3000)
        emitter.flag.emit(i % 2 == 0)
        emitter.payload.emit(None)
    ticks = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 300, timeout=10_000)
    timer.stop()
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    # Other threads may hold or drop a few references meanwhile; a leak shows as thousands.
    assert all(a > b - 200 for a, b in zip(after, before)), (before, after)
