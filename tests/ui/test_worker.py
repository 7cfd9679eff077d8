"""The engine worker on its own QThread, driven by the real starter model."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QThread, Slot

from gptdesk.core.inference.engine import (
    ChatMessage,
    GenerationStats,
    LoadOptions,
    ModelStatus,
    SamplingParams,
)
from gptdesk.core.models.library import starter_model_path
from gptdesk.ui.engine.worker import EngineController
from tests.waits import HANG_TIMEOUT_MS

pytestmark = pytest.mark.model


class Recorder(QObject):
    """Lives on the GUI thread; records which thread each worker signal arrived on."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []
        self.deltas: list[str] = []
        self.threads: set[QThread] = set()
        self.final_text: str | None = None
        self.stats: GenerationStats | None = None

    def _seen(self, name: str) -> None:
        self.events.append(name)
        self.threads.add(QThread.currentThread())

    @Slot(int)
    def started(self, _rid: int) -> None:
        self._seen("started")

    @Slot(int, str)
    def delta(self, _rid: int, text: str) -> None:
        self._seen("delta")
        self.deltas.append(text)

    @Slot(int, str, GenerationStats)
    def finished(self, _rid: int, text: str, stats: GenerationStats) -> None:
        self._seen("finished")
        self.final_text, self.stats = text, stats

    @Slot(int, str, GenerationStats)
    def cancelled(self, _rid: int, text: str, stats: GenerationStats) -> None:
        self._seen("cancelled")
        self.final_text, self.stats = text, stats


@pytest.fixture
def controller(qtbot):
    ctl = EngineController()
    yield ctl
    ctl.shutdown()


def _load(qtbot, ctl: EngineController, path: Path, **options) -> ModelStatus:
    with qtbot.wait_signal(ctl.loaded, timeout=HANG_TIMEOUT_MS) as blocker:
        ctl.load(path, LoadOptions(**options))
    return blocker.args[0]


def test_load_reports_progress_then_loaded_on_gui_thread(qtbot, controller):
    progress: list[float] = []
    controller.load_progress.connect(progress.append)
    status = _load(qtbot, controller, starter_model_path(), n_ctx=1024)
    assert status.n_ctx == 1024
    assert status.backend.name == "CPU"
    assert progress[0] == 0.0
    assert progress[-1] == 1.0
    assert progress == sorted(progress)


def test_stream_signals_arrive_in_order_on_the_gui_thread(qtbot, controller):
    _load(qtbot, controller, starter_model_path(), n_ctx=1024)
    rec = Recorder()
    w = controller
    w.generation_started.connect(rec.started)
    w.delta.connect(rec.delta)
    w.generation_finished.connect(rec.finished)
    with qtbot.wait_signal(w.generation_finished, timeout=HANG_TIMEOUT_MS):
        controller.chat([ChatMessage("user", "Say hello.")], SamplingParams(max_tokens=24, seed=1))
    assert rec.events[0] == "started"
    assert rec.events[-1] == "finished"
    assert set(rec.events[1:-1]) == {"delta"}
    assert "".join(rec.deltas) == rec.final_text
    assert rec.stats is not None and rec.stats.completion_tokens > 0
    assert rec.threads == {QThread.currentThread()}  # delivered to the GUI thread
    assert not controller.busy


def test_stop_is_direct_and_cancels_within_a_token(qtbot, controller):
    _load(qtbot, controller, starter_model_path(), n_ctx=1024)
    rec = Recorder()
    w = controller
    w.delta.connect(rec.delta)
    w.generation_cancelled.connect(rec.cancelled)

    # Pieces the worker thread has emitted (a direct connection runs there, as it emits).
    emitted: list[str] = []
    controller.worker.delta.connect(
        lambda _rid, text: emitted.append(text), Qt.ConnectionType.DirectConnection
    )
    emitted_at_stop: list[int] = []

    class StopAfterThree(QObject):
        @Slot(int, str)
        def on_delta(self, _rid: int, _text: str) -> None:
            if len(rec.deltas) == 3:
                controller.stop()
                emitted_at_stop.append(len(emitted))

    stopper = StopAfterThree()
    w.delta.connect(stopper.on_delta)
    with qtbot.wait_signal(w.generation_cancelled, timeout=HANG_TIMEOUT_MS):
        controller.chat(
            [ChatMessage("user", "Count from one to one hundred in words.")],
            SamplingParams(max_tokens=400, seed=2, temperature=0.0),
        )
    assert rec.stats is not None and rec.stats.stop_reason == "cancelled"
    # Deltas already queued when Stop was pressed may still arrive (how many depends on how busy
    # the machine is); the worker stops at its next token: at most the one it was working on
    # when the flag was set is emitted after stop() returned.
    assert len(emitted_at_stop) == 1
    assert len(rec.deltas) == len(emitted) <= emitted_at_stop[0] + 1
    assert rec.final_text == "".join(rec.deltas)


def test_load_failure_is_a_message_not_a_crash(qtbot, controller, tmp_path):
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("this is not a model")
    with qtbot.wait_signal(controller.load_failed, timeout=HANG_TIMEOUT_MS) as blocker:
        controller.load(bogus, LoadOptions())
    assert "not a GGUF model" in blocker.args[0]


def test_generation_without_a_model_fails_cleanly(qtbot, controller):
    with qtbot.wait_signal(controller.generation_failed, timeout=HANG_TIMEOUT_MS) as blocker:
        controller.chat([ChatMessage("user", "hi")], SamplingParams())
    assert "No model is loaded" in blocker.args[1]
    assert not controller.busy


def test_unload_then_shutdown_closes_the_engine_thread(qtbot, controller):
    _load(qtbot, controller, starter_model_path(), n_ctx=512)
    with qtbot.wait_signal(controller.unloaded, timeout=HANG_TIMEOUT_MS):
        controller.unload()
    controller.shutdown()
    assert not controller._thread.isRunning()
