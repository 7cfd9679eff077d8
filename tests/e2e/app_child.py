"""The app in a process of its own, for the crash test: it opens the real window on a data dir,
loads the starter model, sends one message and streams the reply until it is killed.

Usage: ``python -m tests.e2e.app_child DATA_DIR PROMPT MAX_TOKENS``. Every line of stdout is
one JSON event: ``{"event": "loaded"}``, ``{"event": "started", "reply_id": N}``, then one
``{"event": "delta", "t": T, "text": S}`` per piece of the reply, printed (and flushed) as the
GUI thread receives it and *before* the chat pane saves it, with ``T`` from ``time.monotonic``,
and ``{"event": "finished"}`` if it ever gets to the end.

``python -m tests.e2e.app_child --stall DATA_DIR PROMPT`` does the same with a fake engine
(tests/ui/fakes.py) that sends a few pieces and then stops sending without finishing (a
generation that pauses), then ``{"event": "stalled"}``.

``python -m tests.e2e.app_child --start DATA_DIR`` starts the app as ``gptdesk`` does
(``app.run_app``), prints ``{"event": "shown", "message": M, "read_only": B}`` (the message bar's
text and whether the read-only chip shows) once the window's event loop runs, and quits.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from gptdesk.app import build_services, run_app, setup_logging
from gptdesk.core.inference.engine import (
    ChatMessage,
    GenerationStats,
    LoadOptions,
    ModelStatus,
    SamplingParams,
    StreamEvent,
    TextDelta,
)
from gptdesk.core.storage.paths import resolve_paths
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.window.main_window import MainWindow, Services
from tests.ui.fakes import FakeEngine

STALL_PIECES = ("The first ", "part of ", "the reply, ", "then a pause")


class StallingEngine(FakeEngine):
    """Sends ``STALL_PIECES`` and then nothing more until it is cancelled (or killed)."""

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams,
        cancel: threading.Event,
        continue_last: bool = False,
    ) -> Iterator[StreamEvent]:
        for piece in STALL_PIECES:
            yield TextDelta(piece)
        emit("stalled")
        cancel.wait()


_emit_lock = threading.Lock()  # the engine thread prints too: one whole line at a time


def emit(event: str, **fields: object) -> None:
    line = json.dumps({"event": event, **fields})
    with _emit_lock:
        print(line, flush=True)


class Driver(QObject):
    """Sends the message once the model is loaded and reports the reply as it streams."""

    def __init__(self, services: Services, prompt: str, params: dict[str, object]) -> None:
        super().__init__()
        self.prompt = prompt
        self.params = params
        self.window: MainWindow | None = None
        # Connected before the window builds its chat pane: Qt calls slots in the order they
        # were connected, so each piece is printed before the pane hands it to ChatSession.
        services.controller.delta.connect(self.on_controller_delta)
        services.controller.loaded.connect(self.on_controller_loaded)

    def attach(self, window: MainWindow) -> None:
        self.window = window
        window.chat_pane.busy_changed.connect(self.on_chat_pane_busy_changed)
        window.chat_pane.reply_finished.connect(self.on_chat_pane_reply_finished)

    @Slot(int, str)
    def on_controller_delta(self, _rid: int, text: str) -> None:
        emit("delta", t=time.monotonic(), text=text)

    @Slot(ModelStatus)
    def on_controller_loaded(self, _status: ModelStatus) -> None:
        emit("loaded")
        # The window's own slots for ``loaded`` run after this one: send once they have.
        QTimer.singleShot(0, self.send)

    def send(self) -> None:
        assert self.window is not None
        pane = self.window.chat_pane
        pane.session.set_params(self.params)
        pane.composer.setPlainText(self.prompt)
        pane.send()

    @Slot(bool)
    def on_chat_pane_busy_changed(self, busy: bool) -> None:
        assert self.window is not None
        reply = self.window.chat_pane.session.reply
        if busy and reply is not None:
            emit("started", reply_id=reply.id)

    @Slot(GenerationStats)
    def on_chat_pane_reply_finished(self, _stats: GenerationStats) -> None:
        emit("finished")
        QApplication.instance().quit()


def start(data: Path) -> int:
    """The app as ``gptdesk --data-dir DATA`` starts it; report what the window shows."""
    app = QApplication(sys.argv[:1])

    def report() -> None:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows:
            QTimer.singleShot(10, report)
            return
        window = windows[0]
        emit(
            "shown",
            message=window.message_bar.label.text(),
            read_only=not window.read_only_chip.isHidden(),
        )
        window.close()
        app.quit()

    QTimer.singleShot(0, report)
    return run_app(resolve_paths(data))


def stall(data: Path, prompt: str) -> int:
    """A reply that stops coming after a few pieces (the fake engine), until killed."""
    paths = resolve_paths(data).ensure()
    setup_logging(paths)
    app = QApplication(sys.argv[:1])
    services = build_services(paths)
    services.controller.shutdown()
    services.controller = EngineController(factory=StallingEngine)
    services.scan_external = False
    services.token = lambda: None
    services.settings.update(welcome_done=True)
    driver = Driver(services, prompt, {"temperature": 0, "seed": 1, "max_tokens": 100})
    window = MainWindow(services)
    driver.attach(window)
    window.show()
    services.controller.load(Path("fake.gguf"), LoadOptions())
    code = app.exec()
    services.shutdown()
    return code


def main(argv: list[str]) -> int:
    if argv[0] == "--start":
        return start(Path(argv[1]))
    if argv[0] == "--stall":
        return stall(Path(argv[1]), argv[2])
    data, prompt, max_tokens = Path(argv[0]), argv[1], int(argv[2])
    paths = resolve_paths(data).ensure()
    setup_logging(paths)
    app = QApplication(sys.argv[:1])
    services = build_services(paths)
    services.scan_external = False
    services.token = lambda: None
    services.settings.update(welcome_done=True)
    driver = Driver(services, prompt, {"temperature": 0, "seed": 1, "max_tokens": max_tokens})
    window = MainWindow(services)
    driver.attach(window)
    window.show()
    window.scan_models()
    code = app.exec()
    services.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
