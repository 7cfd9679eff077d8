"""The translate pane: source and translation side by side, languages with a swap, Translate/Stop.

The translation is a core job (``gptdesk.core.writing.translate``) on the engine thread: part by
part, with progress ("Translating part 2 of 5"), its text streamed into the right-hand editor and
repainted at most every 30 ms by appending only the new text. Each translation is saved as a
"translation" document: the source as its body, the languages and the translation in its data.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCollator,
    QCoreApplication,
    QLocale,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.errors import GptdeskError
from gptdesk.core.inference.backend import GenerationStats
from gptdesk.core.storage.store import Store
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.core.writing.translate import (
    DEFAULT_PARAMS,
    DETECT,
    OTHER_LANGUAGES,
    TOP_LANGUAGES,
    TranslateError,
    resolve_language,
    translation_job,
)
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.writing.writing_pane import WritingPane

log = logging.getLogger(__name__)

KIND = "translation"
FLUSH_MS = 30
TITLE_WORDS = 8
TITLE_CHARS = 60
# The names of core's LANGUAGES as the interface shows them; the English name stays what the
# combos hold and what the prompt gets. Other panes show core's language names with
# ``language_name`` too.
LANGUAGE_NAMES = (
    QT_TRANSLATE_NOOP("translate_pane", "Chinese (Simplified)"),
    QT_TRANSLATE_NOOP("translate_pane", "English"),
    QT_TRANSLATE_NOOP("translate_pane", "Japanese"),
    QT_TRANSLATE_NOOP("translate_pane", "Korean"),
    QT_TRANSLATE_NOOP("translate_pane", "French"),
    QT_TRANSLATE_NOOP("translate_pane", "German"),
    QT_TRANSLATE_NOOP("translate_pane", "Spanish"),
    QT_TRANSLATE_NOOP("translate_pane", "Arabic"),
    QT_TRANSLATE_NOOP("translate_pane", "Bengali"),
    QT_TRANSLATE_NOOP("translate_pane", "Bulgarian"),
    QT_TRANSLATE_NOOP("translate_pane", "Catalan"),
    QT_TRANSLATE_NOOP("translate_pane", "Chinese (Traditional)"),
    QT_TRANSLATE_NOOP("translate_pane", "Croatian"),
    QT_TRANSLATE_NOOP("translate_pane", "Czech"),
    QT_TRANSLATE_NOOP("translate_pane", "Danish"),
    QT_TRANSLATE_NOOP("translate_pane", "Dutch"),
    QT_TRANSLATE_NOOP("translate_pane", "Estonian"),
    QT_TRANSLATE_NOOP("translate_pane", "Finnish"),
    QT_TRANSLATE_NOOP("translate_pane", "Greek"),
    QT_TRANSLATE_NOOP("translate_pane", "Hebrew"),
    QT_TRANSLATE_NOOP("translate_pane", "Hindi"),
    QT_TRANSLATE_NOOP("translate_pane", "Hungarian"),
    QT_TRANSLATE_NOOP("translate_pane", "Indonesian"),
    QT_TRANSLATE_NOOP("translate_pane", "Italian"),
    QT_TRANSLATE_NOOP("translate_pane", "Latvian"),
    QT_TRANSLATE_NOOP("translate_pane", "Lithuanian"),
    QT_TRANSLATE_NOOP("translate_pane", "Malay"),
    QT_TRANSLATE_NOOP("translate_pane", "Norwegian"),
    QT_TRANSLATE_NOOP("translate_pane", "Persian"),
    QT_TRANSLATE_NOOP("translate_pane", "Polish"),
    QT_TRANSLATE_NOOP("translate_pane", "Portuguese"),
    QT_TRANSLATE_NOOP("translate_pane", "Romanian"),
    QT_TRANSLATE_NOOP("translate_pane", "Russian"),
    QT_TRANSLATE_NOOP("translate_pane", "Serbian"),
    QT_TRANSLATE_NOOP("translate_pane", "Slovak"),
    QT_TRANSLATE_NOOP("translate_pane", "Slovenian"),
    QT_TRANSLATE_NOOP("translate_pane", "Swahili"),
    QT_TRANSLATE_NOOP("translate_pane", "Swedish"),
    QT_TRANSLATE_NOOP("translate_pane", "Tagalog"),
    QT_TRANSLATE_NOOP("translate_pane", "Tamil"),
    QT_TRANSLATE_NOOP("translate_pane", "Thai"),
    QT_TRANSLATE_NOOP("translate_pane", "Turkish"),
    QT_TRANSLATE_NOOP("translate_pane", "Ukrainian"),
    QT_TRANSLATE_NOOP("translate_pane", "Urdu"),
    QT_TRANSLATE_NOOP("translate_pane", "Vietnamese"),
)


def language_name(language: str) -> str:
    """``language`` (an English name of core's LANGUAGES) in the interface language; a name
    not listed as it is."""
    return QCoreApplication.translate("translate_pane", language)


def sorted_languages(languages: tuple[str, ...]) -> list[str]:
    """``languages`` in the alphabetical order of their shown names (pinyin in Chinese)."""
    collator = QCollator(QLocale())
    return sorted(languages, key=lambda name: collator.sortKey(language_name(name)))


def shortcut_text(keys: str) -> str:
    """A shortcut as the platform writes it, for a tooltip."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def title_for(source: str) -> str:
    """A document title from the first words of the source."""
    words = source.split()
    title = " ".join(words[:TITLE_WORDS])
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    elif len(words) > TITLE_WORDS:
        title += "…"
    return title or QCoreApplication.translate("translate_pane", "Translation")


def system_language() -> str:
    """The language of the user's locale when gptdesk lists it, else English."""
    name = QLocale.system().name()  # "fr_FR", "zh_TW", "C"
    for code in (name.replace("_", "-").lower(), name.split("_")[0].lower()):
        try:
            return resolve_language(code)
        except TranslateError:
            continue
    return "English"


def _fill_languages(combo: QComboBox) -> None:
    """The most asked-for languages, a separator, then the others A to Z (by the names shown);
    each item's data is the language's English name."""
    for language in TOP_LANGUAGES:
        combo.addItem(language_name(language), language)
    combo.insertSeparator(combo.count())
    for language in sorted_languages(OTHER_LANGUAGES):
        combo.addItem(language_name(language), language)


class TranslatePane(WritingPane):
    """Translate one text at a time; one "translation" document per text."""

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
        self._request_id: int | None = None
        self._buffer: list[str] = []
        self._last_target = system_language()
        self._last_source = "English" if self._last_target != "English" else DETECT

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)

        self._build()
        self._connect_signals()
        self._set_languages(DETECT, self._last_target)
        self.on_translation_edit_text_changed()
        self._update_buttons()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.source_combo = QComboBox()
        self.source_combo.setAccessibleName(self.tr("Source language"))
        self.source_combo.setToolTip(
            self.tr("The language of the text; Detect language lets the model tell")
        )
        self.source_combo.addItem(self.tr("Detect language"), DETECT)
        self.source_combo.insertSeparator(1)
        _fill_languages(self.source_combo)
        self.source_combo.setMaxVisibleItems(16)
        source_label = QLabel(self.tr("&From:"))
        source_label.setBuddy(self.source_combo)

        self.swap_button = QToolButton()
        self.swap_button.setText("⇄")
        self.swap_button.setAccessibleName(self.tr("Swap languages"))
        self.swap_button.setToolTip(
            self.tr("Swap the languages and the texts ({keys})").format(
                keys=shortcut_text("Ctrl+Shift+S")
            )
        )
        self.swap_button.setShortcut(QKeySequence("Ctrl+Shift+S"))

        self.target_combo = QComboBox()
        self.target_combo.setAccessibleName(self.tr("Target language"))
        self.target_combo.setToolTip(self.tr("The language to translate into"))
        _fill_languages(self.target_combo)
        self.target_combo.setMaxVisibleItems(16)
        target_label = QLabel(self.tr("T&o:"))
        target_label.setBuddy(self.target_combo)

        self.source_edit = QPlainTextEdit()
        self.source_edit.setAccessibleName(self.tr("Text to translate"))
        self.source_edit.setPlaceholderText(
            self.tr(
                "Type or paste the text to translate. Paragraphs, line breaks and Markdown "
                "are kept."
            )
        )
        self.source_edit.setTabChangesFocus(True)

        self.translation_edit = QPlainTextEdit()
        self.translation_edit.setAccessibleName(self.tr("Translation"))
        self.translation_edit.setReadOnly(True)
        self.translation_edit.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.translation_edit.setPlaceholderText(self.tr("The translation appears here."))
        self.translation_edit.setTabChangesFocus(True)

        self.copy_button = QPushButton(self.tr("&Copy translation"))
        self.copy_button.setAccessibleName(self.tr("Copy translation"))
        self.copy_button.setToolTip(self.tr("Copy the whole translation to the clipboard"))

        self.model_label = QLabel(self._no_model_text())
        self.model_label.setAccessibleName(self.tr("Model status"))
        self.model_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setAccessibleName(self.tr("Translation status"))
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(self.tr("Translation progress"))
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setMaximumHeight(self.fontMetrics().height() // 2 + 4)
        self.progress_bar.hide()
        self.translate_button = QPushButton(self.tr("&Translate"))
        self.translate_button.setAccessibleName(self.tr("Translate"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop translating"))
        self.stop_button.setToolTip(
            self.tr("Stop translating (Esc); what is translated so far is kept")
        )
        self.translate_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.translate_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_header = QHBoxLayout()
        left_header.addWidget(source_label)
        left_header.addWidget(self.source_combo)
        left_header.addStretch(1)
        left_header.addWidget(self.swap_button)
        left_column.addLayout(left_header)
        left_column.addWidget(self.source_edit, 1)

        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_header = QHBoxLayout()
        right_header.addWidget(target_label)
        right_header.addWidget(self.target_combo)
        right_header.addStretch(1)
        right_header.addWidget(self.copy_button)
        right_column.addLayout(right_header)
        right_column.addWidget(self.translation_edit, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([500, 500])  # source and translation start equally wide

        self.model_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bottom = QHBoxLayout()
        bottom.addWidget(self.model_label, 1)
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.progress_bar)
        bottom.addWidget(self.stop_button)
        bottom.addWidget(self.translate_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

        for first, second in (
            (self.source_combo, self.swap_button),
            (self.swap_button, self.target_combo),
            (self.target_combo, self.source_edit),
            (self.source_edit, self.translation_edit),
            (self.translation_edit, self.copy_button),
            (self.copy_button, self.translate_button),
            (self.translate_button, self.stop_button),
        ):
            QWidget.setTabOrder(first, second)

    def _no_model_text(self) -> str:
        return self.tr("Load a model to translate (pick one in the top bar or in Models…).")

    def _connect_signals(self) -> None:
        self.connect_controller()
        self.translate_button.clicked.connect(self.translate)
        self.translate_shortcut.activated.connect(self.translate)
        self.stop_button.clicked.connect(self.stop)
        self.swap_button.clicked.connect(self.swap)
        self.copy_button.clicked.connect(self.copy)
        self.source_edit.textChanged.connect(self.on_source_edit_text_changed)
        self.translation_edit.textChanged.connect(self.on_translation_edit_text_changed)
        self.source_combo.currentIndexChanged.connect(self.on_language_changed)
        self.target_combo.currentIndexChanged.connect(self.on_language_changed)
        self._flush_timer.timeout.connect(self._flush)

    # ------------------------------------------------------------------ state

    @property
    def busy(self) -> bool:
        return self._request_id is not None

    @property
    def source_language(self) -> str:
        """DETECT or a language of ``LANGUAGES``."""
        return str(self.source_combo.currentData())

    @property
    def target_language(self) -> str:
        return str(self.target_combo.currentData())

    def _set_languages(self, source: str, target: str) -> None:
        self.source_combo.setCurrentIndex(max(0, self.source_combo.findData(source)))
        index = self.target_combo.findData(target)
        if index < 0:
            index = self.target_combo.findData("English")
        self.target_combo.setCurrentIndex(index)

    # ------------------------------------------------------------------ documents

    def open_document(self, document_id: int | None) -> None:
        """Show a saved translation (None: a new, empty one, saved once it has text)."""
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
                        "The translation could not be opened ({error}). Pick it again in the "
                        "list, or start a new one."
                    ).format(error=exc)
                )
                document_id = None
            else:
                data, body = document.data, document.body
        self._document_id = document_id
        self._filling = True
        try:
            self._set_languages(
                str(data.get("source_language", DETECT)),
                str(data.get("target", self._last_target)),
            )
            self.source_edit.setPlainText(body)
            self.translation_edit.setPlainText(str(data.get("translation", "")))
        finally:
            self._filling = False
        self.status_label.clear()
        self._update_buttons()
        self.source_edit.setFocus()

    def _data(self) -> dict[str, Any]:
        return {
            "version": 1,
            "source_language": self.source_language,
            "target": self.target_language,
            "translation": self.translation_edit.toPlainText(),
        }

    @Slot()
    def save(self) -> None:
        """Write the source, languages and translation (a new document once there is text)."""
        self._save_timer.stop()
        body = self.source_edit.toPlainText()
        data = self._data()
        if self._document_id is None and not (body.strip() or data["translation"].strip()):
            return
        self._write_document(
            KIND,
            title_for(body or data["translation"]),
            body,
            data,
            self.tr(
                "The translation could not be saved ({error}). Your text is still here; "
                "it is saved again with your next change."
            ),
        )

    # ------------------------------------------------------------------ user actions

    @Slot()
    def on_source_edit_text_changed(self) -> None:
        if self._filling:
            return
        self._schedule_save()
        if not self.busy and not self.translation_edit.document().isEmpty():
            self.status_label.setText(self.tr("The text changed: Translate again to update."))
        self._update_buttons()

    @Slot()
    def on_translation_edit_text_changed(self) -> None:
        self.copy_button.setEnabled(not self.translation_edit.document().isEmpty())

    @Slot(int)
    def on_language_changed(self, _index: int) -> None:
        if self._filling:
            return
        if self.source_language != DETECT:
            self._last_source = self.source_language
        self._last_target = self.target_language
        self._schedule_save()

    @Slot()
    def translate(self) -> None:
        """Translate the whole source text into the target language."""
        text = self.source_edit.toPlainText()
        if self.busy or not text.strip():
            return
        if self._loaded is None:
            self.message_bar.show_info(self._no_model_text())
            return
        try:
            job = translation_job(
                text, self.target_language, self.prompts, DEFAULT_PARAMS, self.source_language
            )
        except GptdeskError as exc:
            self.message_bar.show_error(str(exc))
            return
        self.flush_save()  # the text is in the list before the model starts
        self._buffer.clear()
        self.translation_edit.clear()
        self._request_id = self.controller.run_job(job, owner=self)
        self.status_label.setText(self.tr("Translating…"))
        self.progress_bar.setRange(0, 0)  # busy until the first part is counted
        self.progress_bar.show()
        self._update_buttons()
        self.busy_changed.emit(True)

    @Slot()
    def stop(self) -> None:
        """Stop translating (Esc); the translation keeps what was written so far."""
        if self.busy:
            self.controller.stop(self)

    @Slot()
    def swap(self) -> None:
        """Swap the languages; the translation becomes the text to translate."""
        if self.busy:
            return
        source, target = self.source_language, self.target_language
        if source == DETECT:
            source = self._last_source if self._last_source != target else DETECT
            if source == DETECT:
                source = "English" if target != "English" else TOP_LANGUAGES[0]
        translation = self.translation_edit.toPlainText()
        original = self.source_edit.toPlainText()
        self._set_languages(target, source)
        if translation:
            cursor = self.source_edit.textCursor()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(translation)  # one undoable edit of the source
            self.translation_edit.setPlainText(original)
            self.status_label.setText(self.tr("Swapped: Translate to check the round trip."))
        self._last_source, self._last_target = target, source
        self._schedule_save()

    @Slot()
    def copy(self) -> None:
        text = self.translation_edit.toPlainText()
        if text:
            QApplication.clipboard().setText(text)
            self.status_label.setText(self.tr("Translation copied."))

    def _abandon_request(self) -> None:
        """Leave the running translation (another document opens): keep what it wrote."""
        self.controller.stop(self)
        self._flush()
        self._request_id = None
        self.progress_bar.hide()
        self.save()
        self.busy_changed.emit(False)

    # ------------------------------------------------------------------ engine events

    def on_model_changed(self) -> None:
        self._update_buttons()

    @Slot(int, int, int, str)
    def on_controller_job_progress(self, rid: int, done: int, total: int, label: str) -> None:
        if rid != self._request_id:
            return
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.status_label.setText(self._progress_text(done, total, label))

    def _progress_text(self, done: int, total: int, label: str) -> str:
        """The job's step in the interface language, made from its counts as core makes its
        English ``label`` (shown as it is when the counts say nothing)."""
        if total <= 0:
            return label
        if done < total:
            text = self.tr("Translating part {part} of {parts}")
            return text.format(part=f"{done + 1:,}", parts=f"{total:,}")
        text = self.tr("Translated {n} part") if total == 1 else self.tr("Translated {n} parts")
        return text.format(n=f"{total:,}")

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
        bar = self.translation_edit.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        cursor = QTextCursor(self.translation_edit.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        if at_end:
            bar.setValue(bar.maximum())

    @Slot(int, str, GenerationStats)
    def on_controller_generation_finished(
        self, rid: int, text: str, stats: GenerationStats
    ) -> None:
        if rid != self._request_id:
            return
        if stats.stop_reason == "length":
            status = self.tr("Translated; some parts were cut at the length limit.")
        else:
            status = self.tr("Translated.")
        self._end(text, status)

    @Slot(int, str, GenerationStats)
    def on_controller_generation_cancelled(
        self, rid: int, text: str, _stats: GenerationStats
    ) -> None:
        if rid == self._request_id:
            self._end(text, self.tr("Stopped; the translation so far is kept."))

    @Slot(int, str)
    def on_controller_generation_failed(self, rid: int, message: str) -> None:
        if rid != self._request_id:
            return
        self._end(None, self.tr("Translation failed."))
        self.message_bar.show_error(message)

    def _end(self, text: str | None, status: str) -> None:
        self._flush()
        if text is not None and text != self.translation_edit.toPlainText():
            self.translation_edit.setPlainText(text)  # never expected: the deltas are the text
        self._request_id = None
        self.progress_bar.hide()
        self.status_label.setText(status)
        self._update_buttons()
        self.save()
        self.busy_changed.emit(False)

    def _update_buttons(self) -> None:
        ready = self._loaded is not None and not self.busy
        empty = self.source_edit.document().isEmpty()  # cheap on every keystroke
        self.translate_button.setEnabled(ready and not empty)
        if self._loaded is None:
            tip = self._no_model_text()
        elif empty:
            tip = self.tr("Type or paste a text to translate first")
        else:
            tip = self.tr("Translate the text ({keys})").format(keys=shortcut_text("Ctrl+Enter"))
        self.translate_button.setToolTip(tip)
        self.stop_button.setEnabled(self.busy)
        self.model_label.setVisible(self._loaded is None)
        self.status_label.setVisible(self._loaded is not None)
        for widget in (self.source_combo, self.target_combo, self.swap_button):
            widget.setEnabled(not self.busy)
