"""The Write pane: a manuscript the model continues, with memory, author's note and alternatives.

The pane drives a ``StorySession`` (core) and applies each ``Edit`` it returns to the editor, so
the session and the editor hold the same text. A continuation streams into the document marked
with a tint until it is accepted (Accept, Continue again, or typing); Retry and Undo act on it.
The user's own typing is read back into the session lazily, before the next operation. Edits
save the story (debounced) as a document of kind "story".
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.inference.backend import GenerationStats
from gptdesk.core.storage.store import Store, StoreError
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.core.writing.story import (
    DEFAULT_WORDS,
    MAX_ALTERNATIVES,
    MAX_WORDS,
    STORY_PARAMS,
    AlternativesPlan,
    Edit,
    ExportFormat,
    StoryError,
    StorySession,
    continuation_job,
    count_words,
    default_title,
    export_text,
    trim_incomplete,
)
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.writing.translate_pane import shortcut_text
from gptdesk.ui.writing.writing_pane import WritingPane

log = logging.getLogger(__name__)

KIND = "story"
FLUSH_INTERVAL_MS = 30
COUNT_DELAY_MS = 300
DEFAULT_ALTERNATIVES = 3


def qt_length(text: str) -> int:
    """Length of ``text`` in Qt's positions (UTF-16 code units)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def python_index(text: str, qt_position: int) -> int:
    """The index into ``text`` of a Qt (UTF-16) position."""
    if text.isascii():
        return min(qt_position, len(text))
    units = 0
    for index, ch in enumerate(text):
        if units >= qt_position:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


class AlternativeColumn(QFrame):
    """One alternative: its text as it streams and a "Use this" button."""

    NOTES = ("", "failed", "stopped")
    """What ``finish`` can add to the column's title: nothing, or how it ended."""

    use_requested = Signal(int)
    """The column's index: put this alternative into the story."""

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.setFrameShape(QFrame.Shape.StyledPanel)
        n = index + 1
        self.title = QLabel(self.tr("Alternative {n}").format(n=n))
        self.title.setAccessibleName(self.tr("Alternative {n} title").format(n=n))
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setAccessibleName(self.tr("Alternative {n}").format(n=n))
        self.view.setTabChangesFocus(True)
        self.view.setMinimumWidth(160)
        self.use_button = QPushButton(self.tr("Use this"))
        self.use_button.setAccessibleName(self.tr("Use alternative {n}").format(n=n))
        self.use_button.setToolTip(
            self.tr("Put this text into the story in place of the marked text")
        )
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(lambda: self.use_requested.emit(self.index))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.use_button)
        self.text = ""
        self._shown = False

    def append(self, text: str) -> None:
        """Streamed text (O(new text)); leading spaces of the first piece are not shown."""
        self.text += text
        shown = text if self._shown else text.lstrip()
        if shown:
            self._shown = True
            cursor = self.view.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(shown)

    def finish(self, text: str, note: str = "") -> None:
        """The alternative is written (``note``: one of NOTES, shown in the title)."""
        self.text = text
        self.view.setPlainText(text.strip())
        self.use_button.setEnabled(bool(text.strip()))
        if note == "failed":
            self.title.setText(self.tr("Alternative {n} — failed").format(n=self.index + 1))
        elif note == "stopped":
            self.title.setText(self.tr("Alternative {n} — stopped").format(n=self.index + 1))

    def set_used(self, used: bool) -> None:
        in_story = self.tr("Alternative {n} — in the story")
        self.title.setText(
            (in_story if used else self.tr("Alternative {n}")).format(n=self.index + 1)
        )


class StoryPane(WritingPane):
    """One story at a time: manuscript, memory, author's note, continuations."""

    exported = Signal(str)
    """The story was written to this file path."""

    def __init__(
        self,
        controller: EngineController,
        store: Store,
        prompts: PromptTemplates,
        message_bar: MessageBar,
        tasks: BackgroundTasks,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(controller, store, prompts, message_bar, tasks, parent)
        self.session = StorySession()
        self._request_id: int | None = None
        self._alt_requests: dict[int, int] = {}  # request id -> column
        self._alt_plan: AlternativesPlan | None = None
        self._buffers: dict[int, list[str]] = {}
        self._stream_cursor: QTextCursor | None = None
        self._applying = False  # the pane itself is changing the editor
        self._dirty = False  # the editor has user edits the session has not read yet
        self._was_busy = False

        self._build()
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._connect_signals()
        self._update_state()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.continue_button = QPushButton(self.tr("Continue"))
        self.continue_button.setAccessibleName(self.tr("Continue the story"))
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setAccessibleName(self.tr("Retry the continuation"))
        self.retry_button.setToolTip(
            self.tr("Replace the marked text with a new continuation ({keys})").format(
                keys=shortcut_text("Ctrl+R")
            )
        )
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo the continuation"))
        self.undo_button.setToolTip(
            self.tr("Remove the marked text ({keys})").format(
                keys=shortcut_text("Ctrl+Shift+Backspace")
            )
        )
        self.accept_button = QPushButton(self.tr("Accept"))
        self.accept_button.setAccessibleName(self.tr("Accept the continuation"))
        self.accept_button.setToolTip(
            self.tr(
                "Keep the marked text as part of the story (typing keeps it too; {keys})"
            ).format(keys=shortcut_text("Ctrl+Shift+Return"))
        )
        self.alternatives_button = QPushButton(self.tr("Alternatives"))
        self.alternatives_button.setAccessibleName(self.tr("Generate alternatives"))
        self.alternatives_count = QSpinBox()
        self.alternatives_count.setRange(2, MAX_ALTERNATIVES)
        self.alternatives_count.setValue(DEFAULT_ALTERNATIVES)
        self.alternatives_count.setAccessibleName(self.tr("Number of alternatives"))
        self.alternatives_count.setToolTip(
            self.tr("How many continuations to compare side by side")
        )
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop writing"))
        self.stop_button.setToolTip(self.tr("Stop writing (Esc)"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setAccessibleName(self.tr("Export the story"))
        self.export_button.setToolTip(self.tr("Save the story as a Markdown or text file"))
        self.side_button = QToolButton()
        self.side_button.setText(self.tr("Memory && note"))
        self.side_button.setCheckable(True)
        self.side_button.setChecked(True)
        self.side_button.setAccessibleName(self.tr("Show memory and author's note"))
        self.side_button.setToolTip(self.tr("Show or hide memory, author's note and length"))

        # Two rows, so the pane still fits beside the list on an 800-pixel screen.
        writing = QHBoxLayout()
        writing.setSpacing(6)
        for widget in (
            self.continue_button,
            self.retry_button,
            self.undo_button,
            self.accept_button,
        ):
            writing.addWidget(widget)
        writing.addStretch(1)
        writing.addWidget(self.stop_button)
        more = QHBoxLayout()
        more.setSpacing(6)
        more.addWidget(self.alternatives_button)
        more.addWidget(self.alternatives_count)
        more.addStretch(1)
        more.addWidget(self.export_button)
        more.addWidget(self.side_button)
        tools = QVBoxLayout()
        tools.setSpacing(4)
        tools.addLayout(writing)
        tools.addLayout(more)

        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(self.tr("Manuscript"))
        self.editor.setPlaceholderText(
            self.tr(
                "Write the beginning of your story here, then press Continue ({keys}) and the "
                "model writes on from the cursor."
            ).format(keys=shortcut_text("Ctrl+Enter"))
        )
        self.editor.setTabChangesFocus(True)
        self.editor.document().setDocumentMargin(12)

        # Side panel: memory, author's note, length.
        self.memory_edit = QPlainTextEdit()
        self.memory_edit.setAccessibleName(self.tr("Memory"))
        self.memory_edit.setPlaceholderText(
            self.tr("Premise, characters, setting, style. Always kept in the model's view.")
        )
        self.memory_edit.setTabChangesFocus(True)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName(self.tr("Author's note"))
        self.note_edit.setPlaceholderText(
            self.tr('Short guidance, e.g. "The storm breaks; keep it tense."')
        )
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.length_spin = QSpinBox()
        self.length_spin.setRange(10, MAX_WORDS)
        self.length_spin.setSingleStep(10)
        self.length_spin.setValue(DEFAULT_WORDS)
        self.length_spin.setSuffix(self.tr(" words", "after the number of words per continuation"))
        self.length_spin.setAccessibleName(self.tr("Length per continuation"))
        self.length_spin.setToolTip(self.tr("About how many words each continuation writes"))
        memory_label = QLabel(self.tr("&Memory"))
        memory_label.setBuddy(self.memory_edit)
        note_label = QLabel(self.tr("Author's &note"))
        note_label.setBuddy(self.note_edit)
        note_help = QLabel(self.tr("Placed a few paragraphs before the end of the story."))
        note_help.setWordWrap(True)
        note_help.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        length_row = QFormLayout()
        length_row.setContentsMargins(0, 0, 0, 0)
        length_row.addRow(self.tr("&Length:"), self.length_spin)
        self.side_panel = QWidget()
        self.side_panel.setAccessibleName(self.tr("Memory and author's note"))
        side = QVBoxLayout(self.side_panel)
        side.setContentsMargins(8, 0, 0, 0)
        side.addWidget(memory_label)
        side.addWidget(self.memory_edit, 1)
        side.addWidget(note_label)
        side.addWidget(self.note_edit)
        side.addWidget(note_help)
        side.addLayout(length_row)
        self.side_panel.setMinimumWidth(200)

        # Alternatives, side by side under the editor.
        self.alternatives_panel = QWidget()
        self.alternatives_panel.setAccessibleName(self.tr("Alternatives"))
        self.alternatives_title = QLabel(self.tr("Alternatives"))
        close = QToolButton()
        close.setText(self.tr("Close"))
        close.setAccessibleName(self.tr("Close alternatives"))
        close.clicked.connect(self.close_alternatives)
        self.close_alternatives_button = close
        header = QHBoxLayout()
        header.addWidget(self.alternatives_title, 1)
        header.addWidget(close)
        self._columns_host = QWidget()
        self._columns = QHBoxLayout(self._columns_host)
        self._columns.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._columns_host)
        alt_layout = QVBoxLayout(self.alternatives_panel)
        alt_layout.setContentsMargins(0, 4, 0, 0)
        alt_layout.addLayout(header)
        alt_layout.addWidget(scroll, 1)
        self.alternatives_panel.setMinimumHeight(self.fontMetrics().lineSpacing() * 10)
        self.alternatives_panel.hide()
        self.columns: list[AlternativeColumn] = []

        self.vertical = QSplitter(Qt.Orientation.Vertical)
        self.vertical.addWidget(self.editor)
        self.vertical.addWidget(self.alternatives_panel)
        self.vertical.setStretchFactor(0, 3)
        self.vertical.setStretchFactor(1, 2)
        self.vertical.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.vertical)
        self.splitter.addWidget(self.side_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([700, 260])

        self.word_label = QLabel(self.tr("{n} words").format(n=0))
        self.word_label.setAccessibleName(self.tr("Word count"))
        self.state_label = QLabel()
        self.state_label.setAccessibleName(self.tr("Story status"))
        self.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bottom = QHBoxLayout()
        bottom.addWidget(self.word_label)
        bottom.addWidget(self.state_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.addLayout(tools)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._shortcuts = []
        for keys, slot in (
            ("Ctrl+Return", self.continue_story),
            ("Ctrl+Enter", self.continue_story),
            ("Ctrl+R", self.retry),
            ("Ctrl+Shift+Backspace", self.undo),
            ("Ctrl+Shift+Return", self.accept),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)

    def _connect_signals(self) -> None:
        self.connect_controller()
        self.continue_button.clicked.connect(self.continue_story)
        self.retry_button.clicked.connect(self.retry)
        self.undo_button.clicked.connect(self.undo)
        self.accept_button.clicked.connect(self.accept)
        self.alternatives_button.clicked.connect(self.generate_alternatives)
        self.stop_button.clicked.connect(self.stop)
        self.export_button.clicked.connect(self.export)
        self.side_button.toggled.connect(self.side_panel.setVisible)
        self.editor.document().contentsChange.connect(self.on_document_contents_change)
        self.memory_edit.textChanged.connect(self.on_memory_edit_text_changed)
        self.note_edit.textChanged.connect(self.on_note_edit_text_changed)
        self.length_spin.valueChanged.connect(self.on_length_spin_value_changed)
        self._flush_timer.timeout.connect(self._flush)
        self._count_timer.timeout.connect(self._update_word_count)

    # ------------------------------------------------------------------ documents

    @property
    def busy(self) -> bool:
        return self._request_id is not None or bool(self._alt_requests)

    def open_document(self, document_id: int | None) -> None:
        """Show a story (None: a new, empty one, saved once it has content)."""
        if self.busy:
            self.controller.stop(self)
            self._detach()
        self._save_timer.stop()
        self.save()
        session = StorySession()
        opened: int | None = None
        if document_id is not None:
            try:
                document = self.store.document(document_id)
            except StoreError as exc:
                self.message_bar.show_error(
                    self.tr("{error} It may have been deleted; a new story is open.").format(
                        error=exc
                    )
                )
            else:
                opened = document.id
                session = _session_from(document.body, document.data)
        self._document_id = opened
        self.session = session
        self.close_alternatives()
        self._applying = True
        try:
            self.editor.setPlainText(session.text)
            _set_text_quietly(self.memory_edit, session.memory)
            _set_text_quietly(self.note_edit, session.note)
            self.length_spin.blockSignals(True)
            self.length_spin.setValue(session.words)
            self.length_spin.blockSignals(False)
        finally:
            self._applying = False
        self._dirty = False
        pending = session.pending
        if pending is not None and pending.text:
            self._set_marked(session.text, pending.start, pending.text, True)
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.editor.setTextCursor(cursor)
        self._update_word_count()
        self._update_state()

    def save(self) -> None:
        """Write the story to the store now (created once it has content)."""
        self._save_timer.stop()
        self._sync()
        session = self.session
        text = session.text
        if self._document_id is None and not (
            text.strip() or session.memory.strip() or session.note.strip()
        ):
            return
        pending = session.pending
        data: dict[str, Any] = {
            "memory": session.memory,
            "note": session.note,
            "words": session.words,
            "pending": [pending.start, len(pending.text)] if pending and pending.text else None,
        }
        self._write_document(
            KIND,
            default_title(text or session.memory),
            text,
            data,
            self.tr(
                "The story could not be saved: {error} Your text is still here; it is saved "
                "again with your next edit."
            ),
        )

    def _sync(self) -> None:
        """Read the user's edits into the session."""
        if self._dirty:
            self._dirty = False
            self.session.set_text(self.editor.toPlainText())

    # ------------------------------------------------------------------ actions

    @Slot()
    def continue_story(self) -> None:
        """Continue from the cursor (the end when the cursor is there)."""
        if not self._can_start():
            return
        self._accept_pending()
        cursor = python_index(self.session.text, self.editor.textCursor().position())
        try:
            request = self.session.begin(cursor)
        except StoryError as exc:
            self.message_bar.show_info(str(exc))
            return
        if not self._alt_requests:
            self.close_alternatives()  # they were for the place the story has moved on from
        self._start_stream(request)

    @Slot()
    def retry(self) -> None:
        """Replace the marked continuation with a new one."""
        if not self._can_start() or self.session.pending is None:
            return
        before = self.session.text
        try:
            edit, request = self.session.retry()
        except StoryError as exc:
            self.message_bar.show_info(str(exc))
            return
        self._apply(before, edit, marked=False)
        self._start_stream(request)

    @Slot()
    def undo(self) -> None:
        """Remove the marked continuation: the story is as it was before it."""
        self._sync()
        if self.busy or self.session.pending is None:
            return
        before = self.session.text
        edit = self.session.undo()
        self._apply(before, edit, marked=False)
        self._after_change()

    @Slot()
    def accept(self) -> None:
        """Keep the marked continuation as normal text."""
        self._sync()
        if self.busy:
            return
        if self._accept_pending():
            self._after_change()

    @Slot()
    def generate_alternatives(self) -> None:
        """N continuations of the same place with different seeds, side by side."""
        if not self._can_start():
            return
        n = self.alternatives_count.value()
        cursor = python_index(self.session.text, self.editor.textCursor().position())
        try:
            plan = self.session.plan_alternatives(n, cursor)
        except StoryError as exc:
            self.message_bar.show_info(str(exc))
            return
        self._show_alternatives(plan)
        for index, (request, seed) in enumerate(zip(plan.requests, plan.seeds, strict=True)):
            job = continuation_job(request, self.prompts, replace(STORY_PARAMS, seed=seed))
            rid = self.controller.run_job(job, owner=self)
            self._alt_requests[rid] = index
            self._buffers[rid] = []
        self._update_state()

    def use_alternative(self, index: int) -> None:
        """Put alternative ``index`` into the story (it replaces the marked text)."""
        plan = self._alt_plan
        if plan is None or not 0 <= index < len(self.columns) or self.session.streaming:
            return
        self._sync()
        pending = self.session.pending
        if pending is not None and pending.start != plan.anchor:
            self._accept_pending()
        cursor = python_index(self.session.text, self.editor.textCursor().position())
        before = self.session.text
        edit = self.session.choose(plan, self.columns[index].text, cursor)
        self._apply(before, edit, marked=True)
        for column in self.columns:
            column.set_used(column.index == index)
        self._after_change()

    @Slot()
    def close_alternatives(self) -> None:
        if self._alt_requests:
            return  # still writing: Stop first
        self._alt_plan = None
        for column in self.columns:
            column.deleteLater()
        self.columns = []
        self.alternatives_panel.hide()

    @Slot()
    def stop(self) -> None:
        if self.busy:
            self.controller.stop(self)

    @Slot()
    def export(self) -> None:
        """Ask for a file name, then write the story there (off the GUI thread)."""
        title = self._title()
        suggested = "".join(ch for ch in title if ch.isalnum() or ch in " -_").strip()
        name = suggested or self.tr("story", "the exported file's name when the title has none")
        markdown, plain = self.tr("Markdown (*.md)"), self.tr("Plain text (*.txt)")
        filters, start = f"{markdown};;{plain}", f"{name}.md"
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export story"), start, filters)
        if path:
            if not Path(path).suffix:
                path += ".txt" if chosen == plain else ".md"
            self.export_to(Path(path))

    def export_to(self, path: Path) -> int:
        """Write the story to ``path`` (.txt as it is, anything else as Markdown); returns the
        background task's id. ``exported`` or the message bar tells how it went."""
        self._sync()
        fmt: ExportFormat = "txt" if path.suffix.lower() == ".txt" else "md"
        content = export_text(self._title(), self.session.text, fmt)

        def write() -> Path:
            path.write_text(content, encoding="utf-8")
            return path

        def done(written: Path) -> None:
            self.message_bar.show_info(
                self.tr("The story was exported to {path}.").format(path=written)
            )
            self.exported.emit(str(written))

        def failed(exc: Exception) -> None:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.message_bar.show_error(
                self.tr(
                    "The story could not be exported to {path}: {reason}. Choose another "
                    "folder or file name and export again."
                ).format(path=path, reason=reason)
            )

        return self.tasks.submit(write, done, failed)

    def _title(self) -> str:
        if self._document_id is not None:
            try:
                return self.store.document(self._document_id).title
            except StoreError:
                pass
        return default_title(self.session.text)

    # ------------------------------------------------------------------ streaming

    def _can_start(self) -> bool:
        if self.busy:
            return False
        if self._loaded is None:
            self.message_bar.show_info(
                self.tr(
                    "No model is loaded yet. Pick one in the top bar (or wait until it has "
                    "loaded), then press Continue again; your story is kept."
                )
            )
            return False
        self._sync()
        return True

    def _start_stream(self, request: Any) -> None:
        at = self.session.pending.start if self.session.pending else len(self.session.text)
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(qt_length(self.session.text[:at]))
        self._stream_cursor = cursor
        job = continuation_job(request, self.prompts, replace(STORY_PARAMS, seed=None))
        self._request_id = self.controller.run_job(job, owner=self)
        self._buffers[self._request_id] = []
        self.editor.setReadOnly(True)
        self._update_state()

    @Slot(int, str)
    def on_controller_delta(self, rid: int, text: str) -> None:
        buffer = self._buffers.get(rid)
        if buffer is None:
            return
        buffer.append(text)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        """Show what streamed since the last flush (O(new text))."""
        self._flush_timer.stop()
        for rid, pieces in self._buffers.items():
            if not pieces:
                continue
            text = "".join(pieces)
            pieces.clear()
            if rid == self._request_id:
                self._insert_streamed(text)
            elif rid in self._alt_requests:
                self.columns[self._alt_requests[rid]].append(text)

    def _insert_streamed(self, text: str) -> None:
        edit = self.session.append(text)
        cursor = self._stream_cursor
        if edit is None or cursor is None:
            return
        self._applying = True
        try:
            cursor.insertText(edit.inserted, self._marked_format())
        finally:
            self._applying = False
        view = QTextCursor(cursor)
        self.editor.setTextCursor(view)
        self.editor.ensureCursorVisible()
        if not self._save_timer.isActive():  # at least every second while it streams
            self._save_timer.start()
        if not self._count_timer.isActive():
            self._count_timer.start()

    @Slot(int, str, GenerationStats)
    def on_controller_generation_finished(
        self, rid: int, text: str, stats: GenerationStats
    ) -> None:
        self._ended(rid, text, stats.stop_reason)

    @Slot(int, str, GenerationStats)
    def on_controller_generation_cancelled(
        self, rid: int, text: str, stats: GenerationStats
    ) -> None:
        self._ended(rid, text, "cancelled")

    @Slot(int, str)
    def on_controller_generation_failed(self, rid: int, message: str) -> None:
        if rid == self._request_id:
            self._flush()
            before = self.session.text
            edit = self.session.fail()
            if edit is not None:
                self._apply(before, edit, marked=False)
            self._end_stream()
            self.message_bar.show_error(message)
        elif rid in self._alt_requests:
            self._flush()
            column = self.columns[self._alt_requests.pop(rid)]
            self._buffers.pop(rid, None)
            column.finish("", note="failed")
            self.message_bar.show_error(message)
            self._after_alternatives()

    def _ended(self, rid: int, text: str, stop_reason: str) -> None:
        if rid == self._request_id:
            self._flush()
            before = self.session.text
            edit = self.session.finish(stop_reason)
            if edit is not None:
                self._apply(before, edit, marked=False)
            self._end_stream()
        elif rid in self._alt_requests:
            self._flush()
            column = self.columns[self._alt_requests.pop(rid)]
            self._buffers.pop(rid, None)
            kept = trim_incomplete(text) if stop_reason == "length" else text
            column.finish(kept, note="stopped" if stop_reason == "cancelled" else "")
            self._after_alternatives()

    def _end_stream(self) -> None:
        if self._request_id is not None:
            self._buffers.pop(self._request_id, None)
        self._request_id = None
        self._stream_cursor = None
        self.editor.setReadOnly(False)
        self.editor.setCurrentCharFormat(QTextCharFormat())
        self.save()
        self._update_word_count()
        self._update_state()

    def _after_alternatives(self) -> None:
        if not self._alt_requests:
            n = len(self.columns)
            self.alternatives_title.setText(  # n >= 2: the count spin box starts at 2
                self.tr(
                    "{n} alternatives — pick one with “Use this” (it replaces the marked text)"
                ).format(n=n)
            )
        self._update_state()

    def _detach(self) -> None:
        """Leave running requests behind (their ends are ignored); keep what streamed."""
        self._flush()
        if self._request_id is not None:
            self.session.finish("cancelled")
            self._end_stream()
        self._alt_requests.clear()
        self._buffers.clear()
        self._update_state()

    # ------------------------------------------------------------------ editor

    def _marked_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        colour.setAlpha(110 if dark else 60)
        fmt.setBackground(colour)
        return fmt

    def _apply(self, before: str, edit: Edit, marked: bool) -> None:
        """Make the editor show ``edit.apply(before)`` (``before``: what it shows now)."""
        start = qt_length(before[: edit.position])
        removed = qt_length(before[edit.position : edit.position + edit.removed])
        cursor = QTextCursor(self.editor.document())
        self._applying = True
        try:
            cursor.setPosition(start)
            if removed:
                cursor.setPosition(start + removed, QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
            if edit.inserted:
                fmt = self._marked_format() if marked else QTextCharFormat()
                cursor.insertText(edit.inserted, fmt)
        finally:
            self._applying = False
        self.editor.setTextCursor(cursor)

    def _set_marked(self, text: str, start: int, piece: str, marked: bool) -> None:
        """Mark (or unmark) ``piece`` at ``start`` of ``text`` (what the editor shows)."""
        begin = qt_length(text[:start])
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(begin)
        cursor.setPosition(begin + qt_length(piece), QTextCursor.MoveMode.KeepAnchor)
        self._applying = True
        try:
            cursor.setCharFormat(self._marked_format() if marked else QTextCharFormat())
        finally:
            self._applying = False

    def _accept_pending(self) -> bool:
        """Accept the pending continuation and unmark it; False when there was none."""
        pending = self.session.pending
        if pending is None or self.session.streaming:
            return False
        text = self.session.text
        self.session.accept()
        if pending.text:
            self._set_marked(text, pending.start, pending.text, False)
        self.editor.setCurrentCharFormat(QTextCharFormat())
        return True

    @Slot(int, int, int)
    def on_document_contents_change(self, position: int, removed: int, added: int) -> None:
        if self._applying:
            return
        pending = self.session.pending
        if pending is not None and not self.session.streaming:
            # Typing keeps the continuation: unmark it (and what was typed next to it).
            shown = self.session.text
            start = qt_length(shown[: pending.start])
            end = start + qt_length(pending.text)
            shift = added - removed
            if position <= start:
                start, end = max(position, start + shift), end + shift
            elif position < end:
                end += shift
            self.session.accept()
            document_end = self.editor.document().characterCount() - 1
            first = max(0, min(start, position))
            last = min(document_end, max(end, position + added))
            if last > first:
                cursor = QTextCursor(self.editor.document())
                cursor.setPosition(first)
                cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
                self._applying = True
                try:
                    cursor.setCharFormat(QTextCharFormat())
                finally:
                    self._applying = False
            self.editor.setCurrentCharFormat(QTextCharFormat())
        self._dirty = True
        self._schedule_save()
        if not self._count_timer.isActive():
            self._count_timer.start()
        self._update_state()

    @Slot()
    def on_memory_edit_text_changed(self) -> None:
        if not self._applying:
            self.session.memory = self.memory_edit.toPlainText()
            self._schedule_save()

    @Slot()
    def on_note_edit_text_changed(self) -> None:
        if not self._applying:
            self.session.note = self.note_edit.toPlainText()
            self._schedule_save()

    @Slot(int)
    def on_length_spin_value_changed(self, value: int) -> None:
        self.session.words = value
        self._schedule_save()

    def _after_change(self) -> None:
        self._schedule_save()
        self._update_word_count()
        self._update_state()

    def _update_word_count(self) -> None:
        self._count_timer.stop()
        text = self.editor.toPlainText() if self._dirty else self.session.text
        n = count_words(text)
        text = self.tr("{n} word") if n == 1 else self.tr("{n} words")
        self.word_label.setText(text.format(n=f"{n:,}"))

    def _show_alternatives(self, plan: AlternativesPlan) -> None:
        self.close_alternatives()
        self._alt_plan = plan
        for index in range(len(plan.requests)):
            column = AlternativeColumn(index)
            column.use_requested.connect(self.use_alternative)
            self._columns.addWidget(column)
            self.columns.append(column)
        self.alternatives_title.setText(  # two or more
            self.tr("Writing {n} alternatives…").format(n=len(plan.requests))
        )
        if self.alternatives_panel.isHidden():
            self.alternatives_panel.show()
            total = max(sum(self.vertical.sizes()), 1)
            self.vertical.setSizes([total * 9 // 20, total - total * 9 // 20])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """A theme change re-tints the marked continuation in the new palette's colour."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self.session.streaming:
            pending = self.session.pending
            if pending is not None and pending.text:
                self._set_marked(self.session.text, pending.start, pending.text, True)

    # ------------------------------------------------------------------ model state

    def on_model_changed(self) -> None:
        self._update_state()

    def _update_state(self) -> None:
        busy = self.busy
        ready = self._loaded is not None and not busy
        pending = self.session.pending is not None and not self.session.streaming
        self.continue_button.setEnabled(ready)
        self.alternatives_button.setEnabled(ready)
        self.alternatives_count.setEnabled(not busy)
        self.retry_button.setEnabled(ready and pending)
        self.undo_button.setEnabled(not busy and pending)
        self.accept_button.setEnabled(not busy and pending)
        self.stop_button.setEnabled(busy)
        self.close_alternatives_button.setEnabled(not self._alt_requests)
        self.length_spin.setEnabled(not busy)
        if self._loaded is None:
            why = self.tr("Load a model to continue the story: pick one in the top bar.")
            self.continue_button.setToolTip(why)
            self.alternatives_button.setToolTip(why)
            self.state_label.setText(why)
        else:
            self.continue_button.setToolTip(
                self.tr("Write on from the cursor ({keys})").format(
                    keys=shortcut_text("Ctrl+Enter")
                )
            )
            self.alternatives_button.setToolTip(
                self.tr("Write several continuations of the same place to compare and pick one")
            )
            if busy:
                self.state_label.setText(self.tr("Writing… (Esc stops)"))
            elif pending:
                self.state_label.setText(
                    self.tr(
                        "The tinted text is new: Accept keeps it, Retry rewrites it, Undo "
                        "removes it; typing keeps it too."
                    )
                )
            else:
                self.state_label.setText(self.tr("Continue writes on from the cursor."))
        if busy != self._was_busy:
            self._was_busy = busy
            self.busy_changed.emit(busy)


def _session_from(body: str, data: dict[str, Any]) -> StorySession:
    """A saved story's session (tolerant of missing or odd fields)."""
    words = data.get("words", DEFAULT_WORDS)
    pending = data.get("pending")
    span: tuple[int, int] | None = None
    if isinstance(pending, list) and len(pending) == 2 and all(isinstance(v, int) for v in pending):
        span = (pending[0], pending[1])
    return StorySession(
        body,
        memory=str(data.get("memory", "")),
        note=str(data.get("note", "")),
        words=words if isinstance(words, int) and 10 <= words <= MAX_WORDS else DEFAULT_WORDS,
        pending=span,
    )


def _set_text_quietly(edit: QPlainTextEdit, text: str) -> None:
    edit.blockSignals(True)
    edit.setPlainText(text)
    edit.blockSignals(False)
