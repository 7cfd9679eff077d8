"""BackgroundTasks: results and errors come back on the GUI thread; discarded tasks stay silent."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from gptdesk.ui.tasks import BackgroundTasks
from tests.waits import HANG_TIMEOUT_MS, HANG_TIMEOUT_S


def test_result_arrives_on_the_gui_thread(qtbot):
    tasks = BackgroundTasks()
    seen: list[tuple[int, bool, bool]] = []
    gui = QThread.currentThread()

    def work() -> int:
        return threading.get_ident()

    tasks.submit(
        work,
        lambda ident: seen.append(
            (ident, ident != threading.get_ident(), QThread.currentThread() is gui)
        ),
    )
    qtbot.wait_until(lambda: bool(seen), timeout=HANG_TIMEOUT_MS)
    _ident, ran_elsewhere, back_on_gui = seen[0]
    assert ran_elsewhere and back_on_gui
    assert tasks.pending == 0
    tasks.shutdown()


def test_error_goes_to_on_error(qtbot):
    tasks = BackgroundTasks()
    errors: list[Exception] = []

    def boom() -> None:
        raise ValueError("no such folder")

    tasks.submit(boom, lambda _r: None, errors.append)
    qtbot.wait_until(lambda: bool(errors), timeout=HANG_TIMEOUT_MS)
    assert str(errors[0]) == "no such folder"
    tasks.shutdown()


def test_discarded_task_never_calls_back(qtbot):
    tasks = BackgroundTasks()
    release = threading.Event()
    called: list[int] = []
    other: list[int] = []
    tid = tasks.submit(lambda: release.wait(HANG_TIMEOUT_S) and 1, called.append)
    tasks.discard(tid)
    release.set()
    tasks.submit(lambda: 2, other.append)  # a later task proves the queue was drained
    qtbot.wait_until(lambda: bool(other), timeout=HANG_TIMEOUT_MS)
    qtbot.wait(50)
    assert called == [] and other == [2]
    tasks.shutdown()
