"""The main window (composition root): model picker, load state, chat transcript, composer."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.chat import ChatSession
from gptdesk.core.engine import (
    ChatMessage,
    GenerationStats,
    LoadOptions,
    ModelStatus,
    SamplingParams,
)
from gptdesk.core.models import ModelEntry
from gptdesk.core.store import Message
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.transcript import TranscriptView
from gptdesk.ui.worker import EngineController

log = logging.getLogger(__name__)


class Composer(QPlainTextEdit):
    """The message input: Enter sends, Shift+Enter starts a new line."""

    def __init__(self, on_send: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_send = on_send
        self.setPlaceholderText("Message the model — Enter sends, Shift+Enter for a new line")
        self.setAccessibleName("Message")
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._on_send()  # type: ignore[operator]
            return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
    """Builds the widgets and wires them to the engine controller in ``_connect_signals``."""

    def __init__(
        self,
        controller: EngineController,
        models: list[ModelEntry],
        session: ChatSession,
        load_options: LoadOptions | None = None,
        params: SamplingParams | None = None,
    ) -> None:
        super().__init__()
        self.controller = controller
        self.session = session
        self.load_options = load_options or LoadOptions()
        self.params = params or SamplingParams()
        self._pending_user: Message | None = None
        self._request_id: int | None = None
        self._loaded: ModelStatus | None = None

        self.setWindowTitle("gptdesk")
        self.resize(900, 680)
        self.model_picker = QComboBox()
        self.model_picker.setAccessibleName("Model")
        self.model_picker.setMinimumWidth(260)
        for entry in models:
            self.model_picker.addItem(entry.name, str(entry.path))
        self.load_progress = QProgressBar()
        self.load_progress.setRange(0, 100)
        self.load_progress.setMaximumWidth(160)
        self.load_progress.setAccessibleName("Model loading progress")
        self.load_progress.hide()
        self.backend_chip = QLabel("No model loaded")
        self.backend_chip.setAccessibleName("Backend")
        self.message_bar = MessageBar()
        self.transcript = TranscriptView()
        self.composer = Composer(self.send)
        self.composer.setMaximumHeight(110)
        self.send_button = QPushButton("Send")
        self.send_button.setAccessibleName("Send message")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop generating")
        self.stop_button.setEnabled(False)
        self.new_button = QPushButton("New chat")
        self.new_button.setAccessibleName("New chat")

        top = QHBoxLayout()
        top.addWidget(QLabel("Model:"))
        top.addWidget(self.model_picker)
        top.addWidget(self.load_progress)
        top.addStretch(1)
        top.addWidget(self.backend_chip)
        top.addWidget(self.new_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.composer, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        bottom.addLayout(buttons)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(bottom)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Ready")
        self._connect_signals()
        self._show_history()
        self._update_buttons()

    @property
    def messages(self) -> list[ChatMessage]:
        """The conversation as it is sent to the model (from the store)."""
        return self.session.engine_messages()

    def _show_history(self) -> None:
        self.transcript.clear()
        for m in self.session.history():
            self.transcript.add_message(m.role, m.content)
            if m.state == "interrupted":
                self.transcript.end_reply("interrupted")

    def _connect_signals(self) -> None:
        engine = self.controller
        engine.load_progress.connect(self.on_worker_load_progress)
        engine.loaded.connect(self.on_worker_loaded)
        engine.load_failed.connect(self.on_worker_load_failed)
        engine.context_trimmed.connect(self.on_worker_context_trimmed)
        engine.delta.connect(self.on_worker_delta)
        engine.generation_finished.connect(self.on_worker_generation_finished)
        engine.generation_cancelled.connect(self.on_worker_generation_cancelled)
        engine.generation_failed.connect(self.on_worker_generation_failed)
        self.model_picker.currentIndexChanged.connect(self.on_model_picker_changed)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop)
        self.new_button.clicked.connect(self.new_chat)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.stop)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.new_chat)

    # ------------------------------------------------------------------ actions

    def load_current_model(self) -> None:
        path = self.model_picker.currentData()
        if not path:
            self.message_bar.show_error(
                "No model is installed. Reinstall gptdesk (the starter model comes with it)."
            )
            return
        self._loaded = None
        self.backend_chip.setText("Loading…")
        self.load_progress.setValue(0)
        self.load_progress.show()
        self._update_buttons()
        self.controller.load(Path(path), self.load_options)

    @Slot()
    def send(self) -> None:
        text = self.composer.toPlainText().strip()
        if not text or self._request_id is not None:
            return
        if self._loaded is None:
            self.message_bar.show_info("The model is still loading; your message is kept.")
            return
        self.composer.clear()
        self._pending_user = self.session.add_user_message(text)
        self.transcript.add_message("user", text)
        self.transcript.begin_reply()
        history = self.messages
        self.session.begin_reply()
        self._request_id = self.controller.chat(history, self.params)
        self.statusBar().showMessage("Thinking…")
        self._update_buttons()

    @Slot()
    def stop(self) -> None:
        self.controller.stop()

    @Slot()
    def new_chat(self) -> None:
        self.stop()
        self.session = ChatSession(self.session.store)
        self.transcript.clear()
        self.composer.setFocus()

    # ------------------------------------------------------------------ worker events

    @Slot(int)
    def on_model_picker_changed(self, _index: int) -> None:
        self.load_current_model()

    @Slot(float)
    def on_worker_load_progress(self, fraction: float) -> None:
        self.load_progress.setValue(int(fraction * 100))

    @Slot(ModelStatus)
    def on_worker_loaded(self, status: ModelStatus) -> None:
        self._loaded = status
        self.load_progress.hide()
        self.backend_chip.setText(status.describe())
        self.statusBar().showMessage(
            f"{status.info.name} loaded in {status.load_s + status.warmup_s:.1f} s · "
            f"context {status.n_ctx} tokens"
        )
        self._update_buttons()
        self.composer.setFocus()

    @Slot(str)
    def on_worker_load_failed(self, message: str) -> None:
        self.load_progress.hide()
        self.backend_chip.setText("No model loaded")
        self.message_bar.show_error(message)
        self._update_buttons()

    @Slot(int, tuple)
    def on_worker_context_trimmed(self, rid: int, dropped: tuple[int, ...]) -> None:
        if rid == self._request_id:
            self.message_bar.show_info(
                f"{len(dropped)} older messages no longer fit the context window and were "
                "left out of this reply."
            )

    @Slot(int, str)
    def on_worker_delta(self, rid: int, text: str) -> None:
        if rid == self._request_id:
            self.transcript.append_delta(text)
            self.session.append(text)

    @Slot(int, str, GenerationStats)
    def on_worker_generation_finished(self, rid: int, text: str, stats: GenerationStats) -> None:
        if rid != self._request_id:
            return
        self._finish_reply(text, None, stats)

    @Slot(int, str, GenerationStats)
    def on_worker_generation_cancelled(self, rid: int, text: str, stats: GenerationStats) -> None:
        if rid != self._request_id:
            return
        self._finish_reply(text, "stopped", stats)

    @Slot(int, str)
    def on_worker_generation_failed(self, rid: int, message: str) -> None:
        if rid != self._request_id:
            return
        self._request_id = None
        self.transcript.end_reply("failed")
        if self._pending_user is not None:  # nothing the user wrote is lost
            self.composer.setPlainText(self.session.retract(self._pending_user))
            self._pending_user = None
        self.message_bar.show_error(message)
        self.statusBar().showMessage("Ready")
        self._update_buttons()

    def _finish_reply(self, text: str, note: str | None, stats: GenerationStats) -> None:
        self._request_id = None
        self._pending_user = None
        self.transcript.end_reply(note)
        self.session.finish(text, stats, stopped=note is not None)
        self.statusBar().showMessage(
            f"{stats.completion_tokens} tokens · {stats.tokens_per_s:.1f} tokens/s · "
            f"first token after {stats.ttft_s:.2f} s"
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        generating = self._request_id is not None
        self.send_button.setEnabled(self._loaded is not None and not generating)
        self.stop_button.setEnabled(generating)
        self.model_picker.setEnabled(not generating)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.controller.shutdown()
        super().closeEvent(event)
