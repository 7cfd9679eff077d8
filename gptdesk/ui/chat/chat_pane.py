"""The chat pane: transcript, composer, Send/Stop, message actions and per-conversation settings.

It drives one ``ChatSession`` (core) and the engine controller; the window owns it and tells it
which conversation to show. Tokens go to the transcript (which coalesces repaints) and to the
session; a timer makes the session save whatever arrived a second ago, also while generation
pauses. A write the disk refuses (full, read-only) is shown once in the message bar, the text
stays in memory and the timer tries again every second until it is saved.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.chat.presets import Presets
from gptdesk.core.chat.session import ChatSession, ReplyPlan, Turn
from gptdesk.core.errors import ReadOnlyStorageError, StorageError, StorageFullError
from gptdesk.core.inference.backend import GenerationStats, ModelStatus
from gptdesk.core.storage.store import Store, StoreError
from gptdesk.ui.chat.chat_settings import ConversationSettingsPanel
from gptdesk.ui.chat.transcript import MessageView, TranscriptView
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.message_bar import MessageBar

log = logging.getLogger(__name__)


class Composer(QPlainTextEdit):
    """The message input: Enter sends, Shift+Enter starts a new line."""

    send_requested = Signal()
    """Enter was pressed (without Shift)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(
            self.tr("Message the model — Enter sends, Shift+Enter for a new line")
        )
        self.setAccessibleName(self.tr("Message"))
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.send_requested.emit()
            return
        super().keyPressEvent(event)


def message_view(turn: Turn, note: str | None = None) -> MessageView:
    m = turn.message
    return MessageView(
        id=m.id,
        role=m.role,
        content=m.content,
        state=m.state,
        version=turn.version,
        versions=turn.versions,
        can_continue=turn.can_continue,
        note=note,
    )


class ChatPane(QWidget):
    """One conversation at a time; emits what the window shows outside the pane."""

    conversation_changed = Signal(int)
    """A conversation was created or changed (id): the side list refreshes."""
    context_usage_changed = Signal(int, int)
    """Prompt tokens the conversation now takes, the model's context window."""
    reply_finished = Signal(GenerationStats)
    """A reply ended (finished or stopped): its stats, for the status line."""
    busy_changed = Signal(bool)
    """A reply started (True) or ended (False)."""

    def __init__(
        self,
        controller: EngineController,
        store: Store,
        presets: Presets,
        message_bar: MessageBar,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = store
        self.presets = presets
        self.message_bar = message_bar
        self.session = ChatSession(store, presets=presets)
        self._request_id: int | None = None
        self._count_id: int | None = None
        self._editing: int | None = None
        self._draft = ""  # the composer's text while an older message is being edited
        self._loaded: ModelStatus | None = None
        # Sessions left behind (another conversation was opened) with a reply the disk has
        # not taken yet; the save timer keeps trying them.
        self._unsaved: list[ChatSession] = []
        self._save_error: str | None = None  # the message shown for a refused save
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)

        self.transcript = TranscriptView()
        self.composer = Composer()
        self.composer.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.edit_banner = QLabel()
        self.edit_banner.setAccessibleName(self.tr("Editing a message"))
        self.edit_banner.setWordWrap(True)  # a narrow window wraps it rather than clipping
        self.edit_banner.hide()
        self.cancel_edit_button = QToolButton()
        self.cancel_edit_button.setText(self.tr("Cancel edit"))
        self.cancel_edit_button.setAccessibleName(self.tr("Cancel editing"))
        self.cancel_edit_button.hide()
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setAccessibleName(self.tr("Send message"))
        self.send_button.setDefault(False)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop generating"))
        escape = QKeySequence(Qt.Key.Key_Escape).toString(QKeySequence.SequenceFormat.NativeText)
        self.stop_button.setToolTip(self.tr("Stop generating ({key})").format(key=escape))
        self.settings_button = QToolButton()
        self.settings_button.setText(self.tr("Conversation settings"))
        self.settings_button.setCheckable(True)
        self.settings_button.setAccessibleName(self.tr("Show conversation settings"))
        self.settings_button.setToolTip(self.tr("System prompt and sampling for this conversation"))
        self.settings_panel = ConversationSettingsPanel(presets)
        self.settings_panel.hide()

        edit_row = QHBoxLayout()
        edit_row.addWidget(self.edit_banner, 1)
        edit_row.addWidget(self.cancel_edit_button)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.composer, 1)
        bottom.addLayout(buttons)
        tools = QHBoxLayout()
        tools.addStretch(1)
        tools.addWidget(self.settings_button)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(tools)
        column.addWidget(self.transcript, 1)
        column.addLayout(edit_row)
        column.addLayout(bottom)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.settings_panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        c = self.controller
        c.loaded.connect(self.on_controller_loaded)
        c.unloaded.connect(self.on_controller_unloaded)
        c.load_failed.connect(self.on_controller_unloaded)
        c.delta.connect(self.on_controller_delta)
        c.context_trimmed.connect(self.on_controller_context_trimmed)
        c.generation_finished.connect(self.on_controller_generation_finished)
        c.generation_cancelled.connect(self.on_controller_generation_cancelled)
        c.generation_failed.connect(self.on_controller_generation_failed)
        c.tokens_counted.connect(self.on_controller_tokens_counted)
        self.composer.send_requested.connect(self.send)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop)
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        self.transcript.action_requested.connect(self.on_transcript_action_requested)
        self.settings_button.toggled.connect(self.on_settings_button_toggled)
        self.settings_panel.system_prompt_edited.connect(self.on_settings_system_prompt_edited)
        self.settings_panel.params_edited.connect(self.on_settings_params_edited)
        self.save_timer.timeout.connect(self.on_save_timer_timeout)

    # ------------------------------------------------------------------ showing

    @property
    def conversation_id(self) -> int | None:
        return self.session.conversation_id

    @property
    def busy(self) -> bool:
        return self._request_id is not None

    def open_conversation(self, conversation_id: int | None) -> None:
        """Show a conversation (None: a new, empty one). Stops a reply that is running."""
        self.interrupt()
        self.cancel_edit()
        self.settings_panel.flush()  # an edit made just now belongs to the old conversation
        if self.session.unsaved:  # the disk refused its reply: keep trying in the background
            self._unsaved.append(self.session)
        self.session = ChatSession(self.store, conversation_id, presets=self.presets)
        self.settings_panel.load(self.session.system_prompt, self.session.params)
        self.settings_panel.set_error(None)
        self._show_all()
        self._count_context()
        self.composer.setFocus()

    def _show_all(self, skip_last: bool = False, scroll_to_end: bool = True) -> list[Turn]:
        turns = self.session.turns()
        shown = turns[:-1] if skip_last else turns
        self.transcript.set_messages([message_view(t) for t in shown], scroll_to_end)
        return turns

    def _count_context(self) -> None:
        if self._loaded is None:
            return
        messages = self.session.engine_messages()
        if messages:
            self._count_id = self.controller.count_tokens(messages)
        else:
            self.context_usage_changed.emit(0, self._loaded.n_ctx)

    # ------------------------------------------------------------------ actions

    @Slot()
    def send(self) -> None:
        text = self.composer.toPlainText().strip()
        if not text or self.busy:
            return
        if self._loaded is None:
            self.message_bar.show_info(self.tr("The model is still loading; your message is kept."))
            return
        self.settings_panel.flush()  # settings changed a moment ago apply to this reply
        editing = self._editing
        try:
            if editing is not None:
                plan = self.session.edit(editing, text)
            else:
                plan = self.session.send(text)
        except (StoreError, ValueError) as exc:
            self.message_bar.show_error(
                self.tr("The message could not be saved: {error}").format(error=exc)
            )
            return
        self.composer.setPlainText(self._draft if editing is not None else "")
        self._draft = ""
        self._set_editing(None)
        if editing is None:
            turns = self.session.turns()
            self.transcript.add_message(message_view(turns[-2]))
        else:
            self._show_all(skip_last=True)
        self._start(plan)
        self.conversation_changed.emit(self.session.conversation_id or 0)

    def _start(self, plan: ReplyPlan) -> None:
        reply = self.session.reply
        assert reply is not None
        self.transcript.begin_reply(
            MessageView(reply.id, "assistant", reply.content, state="streaming")
        )
        self._request_id = self.controller.chat(
            plan.messages, self.session.sampling(), continue_last=plan.continue_last, owner=self
        )
        self._update_buttons()
        self.busy_changed.emit(True)

    @Slot()
    def stop(self) -> None:
        if self.busy:
            self.controller.stop(self)

    def interrupt(self) -> None:
        """Stop the reply and save it now, as interrupted (the conversation changes or the
        window closes: the engine's confirmation would arrive too late)."""
        if not self.busy:
            return
        self.controller.stop(self)
        self.transcript.flush()
        self._saving(self.session.interrupt)
        self._request_id = None
        self._update_buttons()
        self.busy_changed.emit(False)

    def regenerate(self, reply_id: int) -> None:
        if not self._can_start():
            return
        plan = self.session.regenerate(reply_id)
        self._show_all(skip_last=True)
        self._start(plan)

    def continue_reply(self, reply_id: int) -> None:
        if not self._can_start():
            return
        plan = self.session.continue_reply(reply_id)
        self._show_all(skip_last=True)
        self._start(plan)

    def start_edit(self, message_id: int) -> None:
        if self.busy:
            return
        message = self.store.message(message_id)
        if self._editing is None:  # what the user was writing comes back after the edit
            self._draft = self.composer.toPlainText()
        self.composer.setPlainText(message.content)
        self._set_editing(message_id)
        self.composer.setFocus()

    @Slot()
    def cancel_edit(self) -> None:
        if self._editing is not None:
            self.composer.setPlainText(self._draft)
            self._draft = ""
        self._set_editing(None)

    def _set_editing(self, message_id: int | None) -> None:
        self._editing = message_id
        editing = message_id is not None
        self.edit_banner.setText(
            self.tr("Editing your message: Enter sends it as a new version (the old one is kept).")
        )
        self.edit_banner.setVisible(editing)
        self.cancel_edit_button.setVisible(editing)

    def _can_start(self) -> bool:
        if self.busy:
            return False
        if self._loaded is None:
            self.message_bar.show_info(self.tr("Wait until the model has loaded, then try again."))
            return False
        self.settings_panel.flush()
        return True

    @Slot(str, int)
    def on_transcript_action_requested(self, action: str, message_id: int) -> None:
        try:
            if action == "edit":
                self.start_edit(message_id)
            elif action == "regenerate":
                self.regenerate(message_id)
            elif action == "continue":
                self.continue_reply(message_id)
            elif action in ("previous", "next"):
                if self.busy:
                    return
                step = -1 if action == "previous" else 1
                if self.session.switch_version(message_id, step):
                    self._show_all(scroll_to_end=False)
                    self._count_context()
        except (StoreError, ValueError) as exc:
            log.info("action %s on %d refused: %s", action, message_id, exc)
            self.message_bar.show_info(str(exc))

    @Slot(bool)
    def on_settings_button_toggled(self, shown: bool) -> None:
        self.settings_panel.setVisible(shown)
        # The text says what a press does, so the state is clear in every theme.
        self.settings_button.setText(
            self.tr("Hide conversation settings") if shown else self.tr("Conversation settings")
        )
        self.settings_button.setAccessibleName(
            self.tr("Hide conversation settings")
            if shown
            else self.tr("Show conversation settings")
        )

    @Slot(str)
    def on_settings_system_prompt_edited(self, text: str) -> None:
        try:
            self.session.set_system_prompt(text)
        except StorageError as exc:
            self.message_bar.show_error(str(exc))
            return
        except StoreError as exc:  # the conversation was deleted a moment ago
            log.info("system prompt not saved: %s", exc)
            return
        if self.session.conversation_id is not None:
            self.conversation_changed.emit(self.session.conversation_id)
        self._count_context()

    @Slot(dict)
    def on_settings_params_edited(self, values: dict[str, Any]) -> None:
        try:
            self.session.set_params(values)
        except StorageError as exc:
            self.message_bar.show_error(str(exc))
            return
        except StoreError as exc:
            log.info("sampling settings not saved: %s", exc)
            return
        except ValueError as exc:
            self.settings_panel.set_error(str(exc))
            return
        self.settings_panel.set_error(None)

    # ------------------------------------------------------------------ engine events

    @Slot(ModelStatus)
    def on_controller_loaded(self, status: ModelStatus) -> None:
        self._loaded = status
        self._update_buttons()
        self._count_context()

    @Slot()
    @Slot(str)
    def on_controller_unloaded(self, *_args: object) -> None:
        self._loaded = None
        self._update_buttons()

    @Slot(int, tuple)
    def on_controller_context_trimmed(self, rid: int, dropped: tuple[int, ...]) -> None:
        if rid == self._request_id:
            text = (
                self.tr(
                    "{n} older message no longer fits the model's context window and was "
                    "left out of this reply. Start a new chat, or load the model with a "
                    "larger context size in Settings, to keep everything in view."
                )
                if len(dropped) == 1
                else self.tr(
                    "{n} older messages no longer fit the model's context window and were "
                    "left out of this reply. Start a new chat, or load the model with a "
                    "larger context size in Settings, to keep everything in view."
                )
            )
            self.message_bar.show_info(text.format(n=len(dropped)))

    @Slot(int, str)
    def on_controller_delta(self, rid: int, text: str) -> None:
        if rid == self._request_id:
            self.transcript.append_delta(text)
            self._saving(lambda: self.session.append(text))

    @Slot(int, str, GenerationStats)
    def on_controller_generation_finished(
        self, rid: int, text: str, stats: GenerationStats
    ) -> None:
        if rid == self._request_id:
            self._finish(text, stats, stopped=False)

    @Slot(int, str, GenerationStats)
    def on_controller_generation_cancelled(
        self, rid: int, text: str, stats: GenerationStats
    ) -> None:
        if rid == self._request_id:
            self._finish(text, stats, stopped=True)

    @Slot(int, str)
    def on_controller_generation_failed(self, rid: int, message: str) -> None:
        if rid != self._request_id:
            return
        self._request_id = None
        if self.session.streamed:
            # It broke off mid-reply (the engine process crashed, say): what it wrote stays,
            # marked interrupted, and can be continued or regenerated.
            reply = self.session.reply
            saved = self._saving(self.session.interrupt)
            turns = self.session.turns() if saved else []
            if turns:
                self.transcript.end_reply(message_view(turns[-1]))
            elif reply is not None:
                self.transcript.end_reply(
                    MessageView(reply.id, "assistant", self.session.reply_text, "interrupted")
                )
            self.message_bar.show_error(message)
            self._update_buttons()
            self.busy_changed.emit(False)
            return
        try:
            restored = self.session.fail()
        except StorageError as exc:  # the start stays in the database; marked at next start
            log.warning("undoing the failed reply was refused: %s", exc)
            restored = None
        self._show_all()
        if restored is not None:  # nothing the user wrote is lost
            typed = self.composer.toPlainText().strip()
            self.composer.setPlainText(f"{restored}\n\n{typed}" if typed else restored)
        self.message_bar.show_error(message)
        self._update_buttons()
        self.busy_changed.emit(False)

    @Slot(int, int, int)
    def on_controller_tokens_counted(self, rid: int, tokens: int, n_ctx: int) -> None:
        if rid == self._count_id:
            self.context_usage_changed.emit(tokens, n_ctx)

    def _finish(self, text: str, stats: GenerationStats, stopped: bool) -> None:
        self._request_id = None
        reply = self.session.reply
        saved = self._saving(lambda: self.session.finish(text, stats, stopped=stopped))
        if saved:
            turns = self.session.turns()
            view = message_view(turns[-1], "stopped" if stopped else None) if turns else None
            if view is not None:
                self.transcript.end_reply(view)
        elif reply is not None:  # kept in memory until the disk takes it (the save timer)
            self.transcript.end_reply(
                MessageView(
                    reply.id,
                    "assistant",
                    self.session.reply_text,
                    state="interrupted" if stopped else "complete",
                    note="stopped" if stopped else None,
                )
            )
        if self._loaded is not None:
            used = stats.prompt_tokens + stats.completion_tokens
            self.context_usage_changed.emit(used, self._loaded.n_ctx)
        self.reply_finished.emit(stats)
        self._update_buttons()
        self.busy_changed.emit(False)
        if saved and self.session.conversation_id is not None:
            self.conversation_changed.emit(self.session.conversation_id)

    # ------------------------------------------------------------------ saving

    @property
    def unsaved(self) -> bool:
        """Some reply text is in memory only (the disk refused it, or it is not yet due)."""
        return self.session.unsaved or any(s.unsaved for s in self._unsaved)

    def _saving(self, write: Callable[[], object]) -> bool:
        """Run ``write`` (a session call that may save); a refusal by the disk is shown once
        and retried by the save timer. Returns whether it went through."""
        try:
            write()
        except StorageError as exc:
            self._save_refused(exc)
            return False
        finally:
            self._schedule_save()
        if not self.unsaved:
            self._saved_again()
        return True

    def _schedule_save(self) -> None:
        """Start the timer for the earliest save that is due (none: all is on disk)."""
        waits = [w for s in (self.session, *self._unsaved) if (w := s.save_due_in()) is not None]
        if waits:
            self.save_timer.start(max(0, math.ceil(min(waits) * 1000)))
        else:
            self.save_timer.stop()

    @Slot()
    def on_save_timer_timeout(self) -> None:
        """Save what is due: text that arrived a second ago, or a write the disk refused."""
        try:
            for session in list(self._unsaved):
                if session.save_due() and not session.unsaved:
                    self._unsaved.remove(session)
                    self.conversation_changed.emit(session.conversation_id or 0)
            was_finished = not self.session.busy and self.session.unsaved
            if self.session.save_due() and was_finished and not self.session.unsaved:
                self._reply_saved_late()
        except StorageError as exc:
            self._save_refused(exc)
        else:
            if not self.unsaved:
                self._saved_again()
        self._schedule_save()

    def save_now(self) -> None:
        """Try every reply kept in memory at once, due or not (the window is closing)."""
        for session in (*self._unsaved, self.session):
            try:
                session.flush()
            except StorageError as exc:
                log.warning("a reply kept in memory is still refused: %s", exc)
        self._unsaved = [s for s in self._unsaved if s.unsaved]

    def _reply_saved_late(self) -> None:
        """A finished reply the disk refused is saved now: show it as stored."""
        turns = self.session.turns()
        if turns:
            self.transcript.update_message(message_view(turns[-1]))
        if self.session.conversation_id is not None:
            self.conversation_changed.emit(self.session.conversation_id)

    def _save_refused(self, exc: StorageError) -> None:
        if isinstance(exc, StorageFullError):
            text = self.tr(
                "The disk is full: free some space. Your reply is kept in memory and saved as "
                "soon as there is room."
            )
        elif isinstance(exc, ReadOnlyStorageError):
            text = self.tr(
                "The data folder is read-only: your reply cannot be saved. It is kept in memory "
                "while gptdesk is open; make the folder writable to save it."
            )
        else:
            text = self.tr(
                "Your reply could not be saved ({error}). It is kept in memory and saved again "
                "every second."
            ).format(error=exc)
        if text != self._save_error:  # one message, not one per piece or per try
            log.warning("saving the reply was refused (kept in memory): %s", exc)
            self._save_error = text
            self.message_bar.show_error(text)

    def _saved_again(self) -> None:
        if self._save_error is None:
            return
        log.info("the reply kept in memory is saved now")
        if self.message_bar.shows(self._save_error):
            self.message_bar.show_info(self.tr("Saved: the reply kept in memory is on disk now."))
        self._save_error = None

    def _update_buttons(self) -> None:
        self.send_button.setEnabled(self._loaded is not None and not self.busy)
        self.stop_button.setEnabled(self.busy)
