"""The summarize pane: a source (pasted, opened or dropped), options, and the summary streamed in.

The summary is a core job (``gptdesk.core.writing.summarize``) on the engine thread: in parts with
progress ("Summarizing part 3 of 12") when the text does not fit the window, its last pass
streamed into the summary view and appended every 30 ms; it is rendered as Markdown when done.
Before starting, a plan job counts the source's tokens and passes for the line under it. Files
are read off the GUI thread. Each summary is saved as a "summary" document: the source as its
body, the options and the summary in its data.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QMimeData,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.errors import GptdeskError
from gptdesk.core.inference.backend import GenerationStats
from gptdesk.core.storage.store import Store
from gptdesk.core.writing.chunking import CHARS_PER_TOKEN
from gptdesk.core.writing.documents import Document, read_document
from gptdesk.core.writing.jobs import TaskOptions
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.core.writing.summarize import (
    DEFAULT_LENGTH,
    LENGTHS,
    plan_job,
    summary_job,
    summary_params,
)
from gptdesk.core.writing.translate import OTHER_LANGUAGES, TOP_LANGUAGES
from gptdesk.ui.chat.markdown import Theme, is_safe_link, render_markdown, theme_from_palette
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.writing.translate_pane import language_name, shortcut_text, sorted_languages
from gptdesk.ui.writing.writing_pane import WritingPane

log = logging.getLogger(__name__)

KIND = "summary"
PLAN_DELAY_MS = 600
FLUSH_MS = 30
TITLE_WORDS = 8
TITLE_CHARS = 60
SAME_LANGUAGE = ""  # the language combo's data for "Same as the text"
# Texts made at import time: translated where they are shown (_t).
NO_MODEL = QT_TRANSLATE_NOOP(
    "summarize_pane", "Load a model to summarize (pick one in the top bar or in Models…)."
)
PLACEHOLDER = QT_TRANSLATE_NOOP("summarize_pane", "The summary appears here.")
PARTS_PLACEHOLDER = QT_TRANSLATE_NOOP("summarize_pane", "The summary is written after the parts.")
EMPTY_PLAN = QT_TRANSLATE_NOOP(
    "summarize_pane", "Paste a text, open a file ({keys}) or drop one here."
)
FILE_FILTERS = (
    QT_TRANSLATE_NOOP(
        "summarize_pane", "Documents (*.txt *.md *.markdown *.html *.htm *.pdf *.docx)"
    ),
    QT_TRANSLATE_NOOP("summarize_pane", "PDF (*.pdf)"),
    QT_TRANSLATE_NOOP("summarize_pane", "Word (*.docx)"),
    QT_TRANSLATE_NOOP("summarize_pane", "Text and Markdown (*.txt *.md *.markdown)"),
    QT_TRANSLATE_NOOP("summarize_pane", "Web pages (*.html *.htm)"),
    QT_TRANSLATE_NOOP("summarize_pane", "All files (*)"),
)
# The labels of core's summary lengths (``LENGTHS``) as the interface shows them; the key
# stays the combo's data and what core gets.
LENGTH_LABELS = {
    "sentence": QT_TRANSLATE_NOOP("summarize_pane", "One sentence"),
    "paragraph": QT_TRANSLATE_NOOP("summarize_pane", "Short paragraph"),
    "bullets": QT_TRANSLATE_NOOP("summarize_pane", "Bullet points"),
    "detailed": QT_TRANSLATE_NOOP("summarize_pane", "Detailed"),
}
# Core's English step labels and plan line, matched to show them in the interface language
# (their numbers kept); a label that matches none is shown as it comes.
_STEP_PART = re.compile(r"Summarizing part (?P<part>\d+) of (?P<parts>\d+)")
_STEP_GROUP = re.compile(r"Combining (?P<n>\d+) summaries \((?P<group>\d+) of (?P<groups>\d+)\)")
_STEP_COMBINE = re.compile(r"Combining (?P<n>\d+) summaries")
_PLAN = re.compile(
    r"(?P<tokens>[\d,]+) tokens? · (?:1 pass|(?P<parts>\d+) parts \+ "
    r"(?:1 combining pass|up to (?P<combines>\d+) combining passes))"
)


def _t(text: object) -> str:
    """``text`` (marked with QT_TRANSLATE_NOOP in this module) in the interface language."""
    return QCoreApplication.translate("summarize_pane", str(text))


def file_filter() -> str:
    """The open dialog's filters, their names in the interface language."""
    return ";;".join(_t(name) for name in FILE_FILTERS)


def length_label(key: str) -> str:
    """How the summary length ``key`` is shown (core's own label for a key not listed here)."""
    return _t(LENGTH_LABELS[key]) if key in LENGTH_LABELS else LENGTHS.get(key, key)


def title_for(source: str) -> str:
    """A document title from the first words of the source."""
    words = source[:2000].split()
    title = " ".join(words[:TITLE_WORDS])
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    elif len(words) > TITLE_WORDS:
        title += "…"
    return title or QCoreApplication.translate("summarize_pane", "Summary")


def dropped_file(mime: QMimeData) -> Path | None:
    """The first local file of a drag that the pane reads (a .gguf is the window's business)."""
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() != ".gguf":
                return path
    return None


class SourceEdit(QPlainTextEdit):
    """The text to summarize; a file dropped on it is opened instead of pasted as a path."""

    file_dropped = Signal(str)
    """Path of a local file dropped on the editor."""

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt override)
        if any(url.isLocalFile() for url in source.urls()):
            return dropped_file(source) is not None  # files only as files, never as paths
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt override)
        path = dropped_file(source)
        if path is not None:
            self.file_dropped.emit(str(path))
            return
        super().insertFromMimeData(source)


class SummarizePane(WritingPane):
    """Summarize one source at a time; one "summary" document per source."""

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
        self._source_name = ""  # the file the source came from ("" when pasted)
        self._file_title = ""  # that file's own title (its metadata, heading or name)
        self._summary = ""  # the summary's text (Markdown) as generated
        self._previous = ""  # the summary before this run: back if the run yields nothing
        self._stopped = False
        self._request_id: int | None = None
        self._plan_id: int | None = None
        self._plan_text = ""  # the last plan line from the engine, for the current text
        self._read_task: int | None = None
        self._buffer: list[str] = []

        self._plan_timer = QTimer(self)
        self._plan_timer.setSingleShot(True)
        self._plan_timer.setInterval(PLAN_DELAY_MS)
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)

        self.setAcceptDrops(True)
        self._build()
        self._connect_signals()
        self._update_plan_label()
        self._update_buttons()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.length_combo = QComboBox()
        self.length_combo.setAccessibleName(self.tr("Summary length"))
        self.length_combo.setToolTip(self.tr("How long the summary should be"))
        for key in LENGTHS:
            self.length_combo.addItem(length_label(key), key)
        self.length_combo.setCurrentIndex(self.length_combo.findData(DEFAULT_LENGTH))
        length_title = QLabel(self.tr("&Length:"))
        length_title.setBuddy(self.length_combo)

        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(self.tr("Summary language"))
        self.language_combo.setToolTip(self.tr("The language to write the summary in"))
        self.language_combo.addItem(self.tr("Same as the text"), SAME_LANGUAGE)
        self.language_combo.insertSeparator(1)
        for language in TOP_LANGUAGES:
            self.language_combo.addItem(language_name(language), language)
        self.language_combo.insertSeparator(self.language_combo.count())
        for language in sorted_languages(OTHER_LANGUAGES):
            self.language_combo.addItem(language_name(language), language)
        self.language_combo.setMaxVisibleItems(16)
        language_label = QLabel(self.tr("&In:"))
        language_label.setBuddy(self.language_combo)

        self.focus_edit = QLineEdit()
        self.focus_edit.setAccessibleName(self.tr("Focus"))
        self.focus_edit.setPlaceholderText(
            self.tr("Focus (optional), e.g. decisions and deadlines")
        )
        self.focus_edit.setToolTip(self.tr("What the summary should concentrate on"))
        self.focus_edit.setClearButtonEnabled(True)
        focus_label = QLabel(self.tr("&Focus:"))
        focus_label.setBuddy(self.focus_edit)

        self.open_button = QPushButton(self.tr("&Open file…"))
        self.open_button.setAccessibleName(self.tr("Open a file to summarize"))
        self.open_button.setToolTip(
            self.tr(
                "Open a .txt, .md, .html, .pdf or .docx file ({keys}); you can also drop one here"
            ).format(keys=self._open_keys())
        )
        self.source_name_label = QLabel()
        self.source_name_label.setAccessibleName(self.tr("Source file"))
        self.source_name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.source_name_label.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )

        self.source_edit = SourceEdit()
        self.source_edit.setAccessibleName(self.tr("Text to summarize"))
        self.source_edit.setPlaceholderText(
            self.tr(
                "Paste the text to summarize, or open a file (.txt, .md, .html, .pdf, .docx) "
                "or drop one here. Any length: a long text is summarized in parts."
            )
        )
        self.source_edit.setTabChangesFocus(True)

        self.plan_label = QLabel()
        self.plan_label.setAccessibleName(self.tr("Source size"))
        self.plan_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plan_label.setWordWrap(True)

        self.summary_view = QTextBrowser()
        self.summary_view.setAccessibleName(self.tr("Summary"))
        self.summary_view.setOpenLinks(False)
        self.summary_view.setPlaceholderText(_t(PLACEHOLDER))
        self.summary_view.setTabChangesFocus(True)
        self.summary_view.setUndoRedoEnabled(False)

        self.copy_button = QPushButton(self.tr("&Copy summary"))
        self.copy_button.setAccessibleName(self.tr("Copy summary"))
        self.copy_button.setToolTip(self.tr("Copy the summary (as Markdown) to the clipboard"))

        self.model_label = QLabel(_t(NO_MODEL))
        self.model_label.setAccessibleName(self.tr("Model status"))
        self.model_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setAccessibleName(self.tr("Summary status"))
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(self.tr("Summary progress"))
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setMaximumHeight(self.fontMetrics().height() // 2 + 4)
        self.progress_bar.hide()
        self.summarize_button = QPushButton(self.tr("&Summarize"))
        self.summarize_button.setAccessibleName(self.tr("Summarize"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop summarizing"))
        self.stop_button.setToolTip(self.tr("Stop summarizing (Esc)"))
        self.summarize_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.summarize_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.open_shortcut = QShortcut(QKeySequence.StandardKey.Open, self)
        self.open_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        options = QHBoxLayout()
        options.addWidget(length_title)
        options.addWidget(self.length_combo)
        options.addSpacing(8)
        options.addWidget(language_label)
        options.addWidget(self.language_combo)
        options.addSpacing(8)
        options.addWidget(focus_label)
        options.addWidget(self.focus_edit, 1)

        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_header = QHBoxLayout()
        left_header.addWidget(self.open_button)
        left_header.addWidget(self.source_name_label, 1)
        left_column.addLayout(left_header)
        left_column.addWidget(self.source_edit, 1)
        left_column.addWidget(self.plan_label)

        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_header = QHBoxLayout()
        summary_title = QLabel(self.tr("Summary"))
        summary_title.setBuddy(self.summary_view)
        right_header.addWidget(summary_title, 1)
        right_header.addWidget(self.copy_button)
        right_column.addLayout(right_header)
        right_column.addWidget(self.summary_view, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        self.model_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bottom = QHBoxLayout()
        bottom.addWidget(self.model_label, 1)
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.progress_bar)
        bottom.addWidget(self.stop_button)
        bottom.addWidget(self.summarize_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(options)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

        for first, second in (
            (self.length_combo, self.language_combo),
            (self.language_combo, self.focus_edit),
            (self.focus_edit, self.open_button),
            (self.open_button, self.source_edit),
            (self.source_edit, self.summary_view),
            (self.summary_view, self.copy_button),
            (self.copy_button, self.summarize_button),
            (self.summarize_button, self.stop_button),
        ):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.connect_controller()
        self.summarize_button.clicked.connect(self.summarize)
        self.summarize_shortcut.activated.connect(self.summarize)
        self.stop_button.clicked.connect(self.stop)
        self.open_button.clicked.connect(self.open_file)
        self.open_shortcut.activated.connect(self.open_file)
        self.copy_button.clicked.connect(self.copy)
        self.source_edit.textChanged.connect(self.on_source_edit_text_changed)
        self.source_edit.file_dropped.connect(self.on_source_edit_file_dropped)
        self.length_combo.currentIndexChanged.connect(self.on_option_changed)
        self.language_combo.currentIndexChanged.connect(self.on_option_changed)
        self.focus_edit.textEdited.connect(self.on_option_changed)
        self.summary_view.anchorClicked.connect(self.on_summary_view_anchor_clicked)
        self._plan_timer.timeout.connect(self.request_plan)
        self._flush_timer.timeout.connect(self._flush)

    # ------------------------------------------------------------------ state

    @property
    def busy(self) -> bool:
        return self._request_id is not None

    @property
    def summary(self) -> str:
        """The summary's text (Markdown), as far as it has been written."""
        return self._summary

    @property
    def length(self) -> str:
        return str(self.length_combo.currentData())

    @property
    def language(self) -> str | None:
        """The summary's language; None: the text's own."""
        return str(self.language_combo.currentData()) or None

    def _options(self, text: str) -> TaskOptions:
        return TaskOptions(
            text=text,
            params=summary_params(self.length),
            length=self.length,
            focus=self.focus_edit.text().strip(),
            language=self.language,
        )

    # ------------------------------------------------------------------ documents

    def open_document(self, document_id: int | None) -> None:
        """Show a saved summary (None: a new, empty one, saved once it has text)."""
        if self.busy:
            self._abandon_request()
        self.flush_save()
        data: dict[str, Any] = {}
        body = ""
        if document_id is not None:
            try:
                document = self.store.document(document_id)
            except (GptdeskError, sqlite3.Error) as exc:
                self.message_bar.show_error(
                    self.tr(
                        "The summary could not be opened ({error}). Pick it again in the list, "
                        "or start a new one."
                    ).format(error=exc)
                )
                document_id = None
            else:
                data, body = document.data, document.body
        self._fill(document_id, body, data)
        self.status_label.setText(
            self.tr("This summary was stopped before it was finished.") if self._stopped else ""
        )
        self.source_edit.setFocus()

    def _fill(self, document_id: int | None, body: str, data: dict[str, Any]) -> None:
        """Set every widget from a document (no save, no edit)."""
        self._document_id = document_id
        self._source_name = str(data.get("source_name", ""))
        self._file_title = str(data.get("source_title", ""))
        self._summary = str(data.get("summary", ""))
        self._stopped = bool(data.get("stopped", False))
        self._plan_text = ""
        self._filling = True
        try:
            length = self.length_combo.findData(str(data.get("length", DEFAULT_LENGTH)))
            self.length_combo.setCurrentIndex(max(0, length))
            language = self.language_combo.findData(str(data.get("language") or SAME_LANGUAGE))
            self.language_combo.setCurrentIndex(max(0, language))
            self.focus_edit.setText(str(data.get("focus", "")))
            self.source_edit.setPlainText(body)
        finally:
            self._filling = False
        self.source_name_label.setText(self._source_name)
        self.source_name_label.setToolTip(self._source_name)
        self._render_summary()
        self._update_plan_label()
        self._update_buttons()
        self._plan_timer.start()

    def _data(self) -> dict[str, Any]:
        return {
            "version": 1,
            "summary": self._summary,
            "stopped": self._stopped,
            "length": self.length,
            "language": self.language,
            "focus": self.focus_edit.text(),
            "source_name": self._source_name,
            "source_title": self._file_title,
        }

    @Slot()
    def save(self) -> None:
        """Write the source, options and summary (a new document once there is text)."""
        self._save_timer.stop()
        body = self.source_edit.toPlainText()
        data = self._data()
        if self._document_id is None and not (body.strip() or self._summary.strip()):
            return
        self._write_document(
            KIND,
            self._title_for(body),
            body,
            data,
            self.tr(
                "The summary could not be saved ({error}). Your text is still here; it is "
                "saved again with your next change."
            ),
        )

    def _title_for(self, body: str) -> str:
        """The opened file's own title, else the first words of the text."""
        return self._file_title or title_for(body or self._summary)

    # ------------------------------------------------------------------ files

    @Slot()
    def open_file(self) -> None:
        """Ask for a file (a modal dialog) and read it."""
        start = str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Open a document to summarize"), start, file_filter()
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read ``path`` off the GUI thread; its text becomes the source (of a new summary
        when the current one already has a text, so nothing is replaced)."""
        if self._read_task is not None:
            self.tasks.discard(self._read_task)
        self.status_label.setText(self.tr("Reading {name}…").format(name=path.name))
        self._read_task = self.tasks.submit(
            lambda: read_document(path),
            lambda document: self._on_file_read(path, document),
            lambda exc: self._on_file_failed(path, exc),
        )

    def _on_file_read(self, path: Path, document: Document) -> None:
        self._read_task = None
        if self.busy:
            self._abandon_request()
        if self.source_edit.toPlainText().strip() or self._summary.strip():
            self.flush_save()
            self._fill(None, "", self._data() | {"summary": "", "stopped": False})
        self._source_name = path.name
        self._file_title = document.title
        self._summary = ""
        self._stopped = False
        self._render_summary()
        self.source_name_label.setText(path.name)
        self.source_name_label.setToolTip(str(path))
        self.source_edit.setPlainText(document.text)  # an edit: schedules save and plan
        self.status_label.setText(self.tr("Opened {name}.").format(name=path.name))
        self.save()

    def _on_file_failed(self, path: Path, exc: Exception) -> None:
        self._read_task = None
        self.status_label.clear()
        if isinstance(exc, GptdeskError):
            self.message_bar.show_error(str(exc))
        else:
            log.error("reading %s failed", path, exc_info=exc)
            self.message_bar.show_error(
                self.tr(
                    "{name} could not be read ({error}). Try another file, or paste its text."
                ).format(name=path.name, error=exc)
            )

    @Slot(str)
    def on_source_edit_file_dropped(self, path: str) -> None:
        self.load_file(Path(path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        path = dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.load_file(path)

    # ------------------------------------------------------------------ user actions

    @Slot()
    def on_source_edit_text_changed(self) -> None:
        if self._filling:
            return
        self._schedule_save()
        self._plan_text = ""
        self._plan_id = None  # a plan on its way counts the old text: not shown
        if self.source_edit.document().isEmpty():
            self._source_name = self._file_title = ""  # the file's text is gone
            self.source_name_label.clear()
        self._update_plan_label()
        self._plan_timer.start()
        if not self.busy and self._summary:
            self.status_label.setText(self.tr("The text changed: Summarize again to update."))
        self._update_buttons()

    @Slot()
    def on_option_changed(self, *_args: object) -> None:
        if self._filling:
            return
        self._schedule_save()
        self._plan_id = None
        self._plan_timer.start()  # the prompts around each part change a little

    @Slot()
    def request_plan(self) -> None:
        """Ask the engine how many tokens and passes the source takes."""
        self._plan_timer.stop()
        if self._loaded is None or self.busy or self.source_edit.document().isEmpty():
            return
        text = self.source_edit.toPlainText()
        if not text.strip():
            return
        try:
            job = plan_job(self._options(text), self.prompts)
        except GptdeskError as exc:
            log.info("no plan: %s", exc)
            return
        self._plan_id = self.controller.run_job(job, owner=self)

    @Slot()
    def summarize(self) -> None:
        """Summarize the whole source with the chosen options."""
        text = self.source_edit.toPlainText()
        if self.busy or not text.strip():
            return
        if self._loaded is None:
            self.message_bar.show_info(_t(NO_MODEL))
            return
        try:
            job = summary_job(self._options(text), self.prompts)
        except GptdeskError as exc:
            self.message_bar.show_error(str(exc))
            return
        self._plan_timer.stop()
        self._previous = self._summary
        self._summary = ""
        self._stopped = False
        self._buffer.clear()
        self.summary_view.clear()
        self.save()  # the text is in the list before the model starts
        self._request_id = self.controller.run_job(job, owner=self)
        self.status_label.setText(self.tr("Starting…"))
        self.progress_bar.setRange(0, 0)  # busy until the first step is reported
        self.progress_bar.show()
        self._update_buttons()
        self.busy_changed.emit(True)

    @Slot()
    def stop(self) -> None:
        """Stop summarizing (Esc); a summary that was being written keeps what it has."""
        if self.busy:
            self.controller.stop(self)

    @Slot()
    def copy(self) -> None:
        if self._summary:
            QApplication.clipboard().setText(self._summary)
            self.status_label.setText(self.tr("Summary copied."))

    @Slot(QUrl)
    def on_summary_view_anchor_clicked(self, url: QUrl) -> None:
        if is_safe_link(url.toString()):
            QDesktopServices.openUrl(url)

    def _abandon_request(self) -> None:
        """Leave the running summary (another document opens): keep what it wrote."""
        self.controller.stop(self)
        self._flush()
        self._request_id = None
        self._stopped = True
        if not self._summary:
            self._summary = self._previous
        self.progress_bar.hide()
        self.summary_view.setPlaceholderText(_t(PLACEHOLDER))
        self.save()
        self.busy_changed.emit(False)

    # ------------------------------------------------------------------ engine events

    def on_model_changed(self) -> None:
        self._plan_text = ""
        self._update_plan_label()
        self._update_buttons()
        if self._loaded is not None:
            self.request_plan()

    @Slot(int, int, int, str)
    def on_controller_job_progress(self, rid: int, done: int, total: int, label: str) -> None:
        if rid != self._request_id:
            return
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.status_label.setText(self._step_text(label))
        if total > 1:
            self.summary_view.setPlaceholderText(_t(PARTS_PLACEHOLDER))

    def _step_text(self, label: str) -> str:
        """Core's English step ``label`` in the interface language (as it is if not known)."""
        if label == "Summarizing":
            return self.tr("Summarizing")
        if match := _STEP_PART.fullmatch(label):
            return self.tr("Summarizing part {part} of {parts}").format(**match.groupdict())
        if match := _STEP_GROUP.fullmatch(label):
            return self.tr("Combining {n} summaries ({group} of {groups})").format(
                **match.groupdict()
            )
        if match := _STEP_COMBINE.fullmatch(label):
            return self.tr("Combining {n} summaries").format(**match.groupdict())
        return label

    def _plan_line(self, text: str) -> str:
        """Core's English plan line (``SummaryPlan.describe``) in the interface language."""
        match = _PLAN.fullmatch(text)
        if match is None:
            return text
        tokens, parts, combines = match.group("tokens", "parts", "combines")
        if parts is None:
            if tokens == "1":
                return self.tr("{tokens} token · 1 pass").format(tokens=tokens)
            return self.tr("{tokens} tokens · 1 pass").format(tokens=tokens)
        if combines is None:
            return self.tr("{tokens} tokens · {parts} parts + 1 combining pass").format(
                tokens=tokens, parts=parts
            )
        return self.tr("{tokens} tokens · {parts} parts + up to {n} combining passes").format(
            tokens=tokens, parts=parts, n=combines
        )

    @Slot(int, str)
    def on_controller_delta(self, rid: int, text: str) -> None:
        if rid != self._request_id:
            return
        self._buffer.append(text)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    @Slot()
    def _flush(self) -> None:
        """Append the text that came since the last flush (only it: O(new text))."""
        self._flush_timer.stop()
        if not self._buffer:
            return
        text = "".join(self._buffer)
        self._buffer.clear()
        self._summary += text
        bar = self.summary_view.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        cursor = QTextCursor(self.summary_view.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        if at_end:
            bar.setValue(bar.maximum())

    @Slot(int, str, GenerationStats)
    def on_controller_generation_finished(
        self, rid: int, text: str, stats: GenerationStats
    ) -> None:
        if rid == self._plan_id:
            self._plan_id = None
            self._plan_text = text
            self._update_plan_label()
            return
        if rid != self._request_id:
            return
        status = self.tr("Summary ready.")
        if stats.stop_reason == "length":
            status = self.tr("Summary ready; it reached the length limit and may end abruptly.")
        self._end(text, status, stopped=False)

    @Slot(int, str, GenerationStats)
    def on_controller_generation_cancelled(
        self, rid: int, text: str, _stats: GenerationStats
    ) -> None:
        if rid == self._plan_id:
            self._plan_id = None
            return
        if rid != self._request_id:
            return
        if text or self._buffer:
            self._end(text, self.tr("Stopped; the summary so far is kept."), stopped=True)
        else:
            self._end(None, self.tr("Stopped before the summary was written."), stopped=False)

    @Slot(int, str)
    def on_controller_generation_failed(self, rid: int, message: str) -> None:
        if rid == self._plan_id:
            self._plan_id = None
            log.info("planning failed: %s", message)
            self._plan_text = ""
            self._update_plan_label(error=message)
            return
        if rid != self._request_id:
            return
        self._end(None, self.tr("Summarizing failed."), stopped=False)
        self.message_bar.show_error(message)

    def _end(self, text: str | None, status: str, stopped: bool) -> None:
        """The run is over: ``text`` is the summary (None: nothing was written, the previous
        summary comes back)."""
        self._flush()
        if text is None:
            self._summary = self._previous
        elif text != self._summary:
            self._summary = text  # never expected: the deltas are the text
        self._stopped = stopped
        self._request_id = None
        self.progress_bar.hide()
        self.summary_view.setPlaceholderText(_t(PLACEHOLDER))
        self.status_label.setText(status)
        self._render_summary()
        self._update_buttons()
        self.save()
        self.busy_changed.emit(False)
        if not self._plan_text:
            self._plan_timer.start()

    # ------------------------------------------------------------------ showing

    def _update_plan_label(self, error: str | None = None) -> None:
        document = self.source_edit.document()
        if document.isEmpty():
            self.plan_label.setText(_t(EMPTY_PLAN).format(keys=self._open_keys()))
            return
        if self._plan_text:
            self.plan_label.setText(self._plan_line(self._plan_text))
            return
        chars = max(0, document.characterCount() - 1)  # O(1), unlike toPlainText()
        tokens = f"{math.ceil(chars / CHARS_PER_TOKEN):,}"
        if error:
            text = self.tr("≈ {tokens} tokens · {error}").format(tokens=tokens, error=error)
        elif self._loaded is None:
            text = self.tr("≈ {tokens} tokens · load a model to see how many passes it takes")
            text = text.format(tokens=tokens)
        else:
            text = self.tr("≈ {tokens} tokens · counting…").format(tokens=tokens)
        self.plan_label.setText(text)

    @staticmethod
    def _open_keys() -> str:
        return QKeySequence(QKeySequence.StandardKey.Open).toString(
            QKeySequence.SequenceFormat.NativeText
        )

    def _theme(self) -> Theme:
        return theme_from_palette(self.summary_view.palette())

    def _render_summary(self) -> None:
        """The finished summary as Markdown (once per summary, never per token)."""
        if not self._summary.strip():
            self.summary_view.clear()
        else:
            self.summary_view.setHtml(render_markdown(self._summary, self._theme()).html)
        self.copy_button.setEnabled(bool(self._summary.strip()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self.busy:
            self._render_summary()  # colours are baked into the HTML

    def _update_buttons(self) -> None:
        ready = self._loaded is not None and not self.busy
        empty = self.source_edit.document().isEmpty()  # cheap on every keystroke
        self.summarize_button.setEnabled(ready and not empty)
        if self._loaded is None:
            tip = _t(NO_MODEL)
        elif empty:
            tip = self.tr("Paste a text or open a file first")
        else:
            tip = self.tr("Summarize the text ({keys})").format(keys=shortcut_text("Ctrl+Enter"))
        self.summarize_button.setToolTip(tip)
        self.stop_button.setEnabled(self.busy)
        self.copy_button.setEnabled(bool(self._summary.strip()) and not self.busy)
        self.model_label.setVisible(self._loaded is None)
        self.status_label.setVisible(self._loaded is not None)
        for widget in (self.length_combo, self.language_combo, self.focus_edit):
            widget.setEnabled(not self.busy)
        self.open_button.setEnabled(not self.busy)
