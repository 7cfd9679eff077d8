"""The email pane: a form (to, purpose, key points, tone, length, language, or a mail to
answer), N drafts as tabs with the chosen one editable, refine buttons that rewrite it, Copy
and "Open in mail app".

Drafts are separate chat requests with their own seeds; their text streams into the tabs and
repaints at most every 30 ms. Everything is saved as an "email" document: the form and the
drafts in its data, the chosen draft as its body.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.errors import GptdeskError
from gptdesk.core.inference.backend import GenerationStats
from gptdesk.core.storage.store import Store
from gptdesk.core.writing.emails import (
    LANGUAGES,
    LENGTHS,
    MAILTO_MAX_LENGTH,
    MAX_DRAFTS,
    REFINEMENTS,
    TONES,
    Draft,
    EmailRequest,
    draft_params,
    draft_title,
    email_addresses,
    email_messages,
    email_params,
    mailto_url,
    parse_draft,
    parse_points,
    refine_messages,
)
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.writing.translate_pane import language_name, shortcut_text
from gptdesk.ui.writing.writing_pane import WritingPane

log = logging.getLogger(__name__)

KIND = "email"
FLUSH_MS = 30
AUTOMATIC = "Automatic"  # the language item that means "the language of the input"
HISTORY = 10  # earlier versions of a draft kept for Undo

# How core's option values (``TONES``, ``LENGTHS``, ``REFINEMENTS``, email ``LANGUAGES``) are
# shown; the values themselves stay the combos' item data and what the prompts get. A value
# not listed here is shown as core has it.
TONE_LABELS = {
    "friendly": QT_TRANSLATE_NOOP("email_pane", "friendly"),
    "formal": QT_TRANSLATE_NOOP("email_pane", "formal"),
    "concise": QT_TRANSLATE_NOOP("email_pane", "concise"),
    "apologetic": QT_TRANSLATE_NOOP("email_pane", "apologetic"),
    "persuasive": QT_TRANSLATE_NOOP("email_pane", "persuasive"),
    "enthusiastic": QT_TRANSLATE_NOOP("email_pane", "enthusiastic"),
    "neutral": QT_TRANSLATE_NOOP("email_pane", "neutral"),
}
LENGTH_LABELS = {
    "short": QT_TRANSLATE_NOOP("email_pane", "Short"),
    "medium": QT_TRANSLATE_NOOP("email_pane", "Medium"),
    "long": QT_TRANSLATE_NOOP("email_pane", "Long"),
}
REFINEMENT_LABELS = {
    "shorter": QT_TRANSLATE_NOOP("email_pane", "Shorter"),
    "formal": QT_TRANSLATE_NOOP("email_pane", "More formal"),
    "warmer": QT_TRANSLATE_NOOP("email_pane", "Warmer"),
    "grammar": QT_TRANSLATE_NOOP("email_pane", "Fix grammar"),
}
LANGUAGE_LABELS = {  # the others are named as the translate pane names them
    "Chinese": QT_TRANSLATE_NOOP("email_pane", "Chinese"),
}


def _label(labels: dict[str, object], value: str, fallback: str | None = None) -> str:
    """``value`` as shown: its label from ``labels`` translated, else ``fallback`` or itself."""
    if value in labels:
        return QCoreApplication.translate("email_pane", str(labels[value]))
    return fallback if fallback is not None else value


def tone_label(tone: str) -> str:
    return _label(TONE_LABELS, tone)


def length_label(length: str) -> str:
    return _label(LENGTH_LABELS, length, length.capitalize())


def refinement_label(action: str) -> str:
    return _label(REFINEMENT_LABELS, action, REFINEMENTS.get(action, action))


def email_language_name(language: str) -> str:
    return _label(LANGUAGE_LABELS, language, language_name(language))


def combo_value(combo: QComboBox) -> str:
    """What an editable combo says: the data of the item whose shown text is typed or picked
    (any case), else the text as typed."""
    text = combo.currentText().strip()
    index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    if index >= 0 and combo.itemData(index) is not None:
        return str(combo.itemData(index))
    return text


def set_combo_value(combo: QComboBox, value: str) -> None:
    """Show ``value`` in an editable combo: its item when one has it as data, else as text."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
    else:
        combo.setCurrentText(value)


UrlOpener = Callable[[QUrl], bool]


@dataclass
class DraftState:
    """One draft tab: its text, what is streaming into it, and earlier versions for Undo."""

    subject: str = ""
    body: str = ""
    raw: str = ""  # the model's text so far while streaming
    streaming: bool = False
    history: list[Draft] = field(default_factory=list)

    @property
    def draft(self) -> Draft:
        return Draft(self.subject, self.body)

    def set_text(self, text: str) -> None:
        parsed = parse_draft(text)
        self.subject, self.body = parsed.subject, parsed.body


@dataclass
class _Request:
    """A request of this pane in flight: the draft it writes and what it does."""

    state: DraftState
    refine: bool


class EmailPane(WritingPane):
    """Compose emails with the model; one email document at a time."""

    def __init__(
        self,
        controller: EngineController,
        store: Store,
        prompts: PromptTemplates,
        message_bar: MessageBar,
        tasks: BackgroundTasks,
        parent: QWidget | None = None,
        open_url: UrlOpener | None = None,
    ) -> None:
        super().__init__(controller, store, prompts, message_bar, tasks, parent)
        self.open_url: UrlOpener = open_url or QDesktopServices.openUrl
        self._drafts: list[DraftState] = []
        self._requests: dict[int, _Request] = {}
        self._buffers: dict[int, list[str]] = {}

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)

        self._build_form()
        self._build_drafts()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.form_area)
        self.splitter.addWidget(self.drafts_panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([450, 550])  # the form's fields need room to be read
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._connect_signals()
        self._show_drafts()
        self._update_buttons()

    # ------------------------------------------------------------------ building

    def _build_form(self) -> None:
        self.reply_check = QCheckBox(self.tr("&Reply to an email"))
        self.reply_check.setAccessibleName(self.tr("Reply to an email"))
        self.reply_check.setToolTip(self.tr("Paste the email you received and say what to answer"))
        self.incoming_label = QLabel(self.tr("Email to a&nswer:"))
        self.incoming_edit = QPlainTextEdit()
        self.incoming_edit.setAccessibleName(self.tr("Email to answer"))
        self.incoming_edit.setPlaceholderText(self.tr("Paste the email you received here"))
        self.incoming_edit.setTabChangesFocus(True)
        self.incoming_label.setBuddy(self.incoming_edit)
        self.recipient_edit = QLineEdit()
        self.recipient_edit.setAccessibleName(self.tr("To"))
        self.recipient_edit.setPlaceholderText(self.tr("e.g. Anna <anna@example.com>, my manager"))
        self.recipient_edit.setToolTip(
            self.tr(
                "Who it is for, and how you know them; email addresses here fill in Open in "
                "mail app"
            )
        )
        self.purpose_label = QLabel(self.tr("&Purpose:"))
        self.purpose_edit = QLineEdit()
        self.purpose_edit.setAccessibleName(self.tr("Purpose"))
        self.purpose_edit.setPlaceholderText(self.tr("e.g. ask for Friday afternoon off"))
        self.purpose_label.setBuddy(self.purpose_edit)
        self.points_edit = QPlainTextEdit()
        self.points_edit.setAccessibleName(self.tr("Key points, one per line"))
        self.points_edit.setPlaceholderText(self.tr("One point per line"))
        self.points_edit.setTabChangesFocus(True)
        lines = self.fontMetrics().lineSpacing()
        self.points_edit.setMinimumHeight(lines * 4)
        self.points_edit.setMaximumHeight(lines * 8)
        self.tone_combo = QComboBox()
        self.tone_combo.setEditable(True)
        for tone in TONES:
            self.tone_combo.addItem(tone_label(tone), tone)
        self.tone_combo.setAccessibleName(self.tr("Tone"))
        self.tone_combo.setToolTip(self.tr("Pick a tone or type your own"))
        self.length_combo = QComboBox()
        for length in LENGTHS:
            self.length_combo.addItem(length_label(length), length)
        self.length_combo.setCurrentIndex(LENGTHS.index("medium"))
        self.length_combo.setAccessibleName(self.tr("Length"))
        self.language_combo = QComboBox()
        self.language_combo.setEditable(True)
        self.language_combo.addItem(self.tr("Automatic"), "")
        for language in LANGUAGES:
            self.language_combo.addItem(email_language_name(language), language)
        self.language_combo.setAccessibleName(self.tr("Language"))
        self.language_combo.setToolTip(
            self.tr("Automatic: the language you wrote the purpose in, or of the email you answer")
        )
        self.signature_edit = QLineEdit()
        self.signature_edit.setAccessibleName(self.tr("Sign as"))
        self.signature_edit.setPlaceholderText(self.tr("Your name (optional)"))
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, MAX_DRAFTS)
        self.count_spin.setValue(3)
        self.count_spin.setAccessibleName(self.tr("Number of drafts"))
        self.count_spin.setToolTip(self.tr("How many different drafts to write"))
        self.generate_button = QPushButton(self.tr("&Write drafts"))
        self.generate_button.setAccessibleName(self.tr("Write drafts"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.reply_check)
        form.addRow(self.incoming_label)  # label above, box across: the labels stay narrow
        form.addRow(self.incoming_edit)
        form.addRow(self.tr("&To:"), self.recipient_edit)
        form.addRow(self.purpose_label, self.purpose_edit)
        form.addRow(self.tr("&Key points:"), self.points_edit)
        form.addRow(self.tr("T&one:"), self.tone_combo)
        form.addRow(self.tr("Len&gth:"), self.length_combo)
        form.addRow(self.tr("Lang&uage:"), self.language_combo)
        form.addRow(self.tr("&Sign as:"), self.signature_edit)
        generate_row = QHBoxLayout()
        count_label = QLabel(self.tr("&Drafts:"))
        count_label.setBuddy(self.count_spin)
        generate_row.addWidget(count_label)
        generate_row.addWidget(self.count_spin)
        generate_row.addStretch(1)
        generate_row.addWidget(self.generate_button)
        self.model_label = QLabel(self._no_model_text())
        self.model_label.setWordWrap(True)
        self.model_label.setAccessibleName(self.tr("Model status"))
        self.model_label.setEnabled(False)  # greyed: a hint, not content

        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(12, 12, 12, 12)
        column.addLayout(form)
        column.addLayout(generate_row)
        column.addWidget(self.model_label)
        column.addStretch(1)
        self.form_area = QScrollArea()
        self.form_area.setWidget(inner)
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QFrame.Shape.NoFrame)
        self.form_area.setAccessibleName(self.tr("Email details"))
        self.form_area.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 18)
        self._set_reply_mode(False)

    def _build_drafts(self) -> None:
        self.tabs = QTabBar()
        self.tabs.setAccessibleName(self.tr("Drafts"))
        self.tabs.setTabsClosable(True)
        self.tabs.setExpanding(False)
        self.tabs.setDocumentMode(True)
        self.subject_edit = QLineEdit()
        self.subject_edit.setAccessibleName(self.tr("Subject"))
        self.subject_edit.setPlaceholderText(self.tr("Subject"))
        self.body_edit = QPlainTextEdit()
        self.body_edit.setAccessibleName(self.tr("Draft"))
        self.body_edit.setTabChangesFocus(True)
        self.refine_buttons: dict[str, QPushButton] = {}
        # Two rows of three, so the pane still fits beside the list on an 800-pixel screen.
        refine_row = QGridLayout()
        refine_row.setSpacing(6)
        for index, action in enumerate(REFINEMENTS):
            label = refinement_label(action)
            button = QPushButton(label)
            button.setAccessibleName(self.tr("Rewrite: {change}").format(change=label))
            button.setToolTip(
                self.tr("Rewrite the selected draft: {change}").format(change=label.lower())
            )
            button.clicked.connect(lambda _c=False, a=action: self.refine(a))
            self.refine_buttons[action] = button
            refine_row.addWidget(button, index // 3, index % 3)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo the last rewrite"))
        self.undo_button.setToolTip(
            self.tr("Bring back the draft as it was before the last rewrite")
        )
        refine_row.addWidget(self.undo_button, len(REFINEMENTS) // 3, len(REFINEMENTS) % 3)
        self.instruction_edit = QLineEdit()
        self.instruction_edit.setAccessibleName(self.tr("Other change"))
        self.instruction_edit.setPlaceholderText(
            self.tr("Other change, e.g. “mention the budget” — Enter rewrites")
        )
        self.instruction_button = QPushButton(self.tr("Rewrite"))
        self.instruction_button.setAccessibleName(self.tr("Rewrite with this instruction"))
        custom_row = QHBoxLayout()
        custom_row.addWidget(self.instruction_edit, 1)
        custom_row.addWidget(self.instruction_button)
        self.status_label = QLabel()
        self.status_label.setAccessibleName(self.tr("Draft status"))
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.copy_button = QPushButton(self.tr("&Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy the draft"))
        self.copy_button.setToolTip(
            self.tr("Copy the text of the selected draft (without the subject)")
        )
        self.mail_button = QPushButton(self.tr("Open in mai&l app"))
        self.mail_button.setAccessibleName(self.tr("Open in mail app"))
        self.mail_button.setToolTip(self.tr("Start a new mail with this subject and text"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop writing"))
        self.stop_button.setToolTip(self.tr("Stop writing (Esc)"))
        actions = QHBoxLayout()
        actions.addWidget(self.status_label, 1)
        actions.addWidget(self.stop_button)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.mail_button)

        self.drafts_panel = QWidget()
        column = QVBoxLayout(self.drafts_panel)
        column.setContentsMargins(12, 12, 12, 12)
        subject_row = QHBoxLayout()
        subject_label = QLabel(self.tr("Su&bject:"))
        subject_label.setBuddy(self.subject_edit)
        subject_row.addWidget(subject_label)
        subject_row.addWidget(self.subject_edit, 1)
        column.addWidget(self.tabs)
        column.addLayout(subject_row)
        column.addWidget(self.body_edit, 1)
        column.addLayout(refine_row)
        column.addLayout(custom_row)
        column.addLayout(actions)

    def _no_model_text(self) -> str:
        return self.tr("Load a model to write drafts (pick one in the top bar or in Models…).")

    def _connect_signals(self) -> None:
        self.connect_controller()
        self._flush_timer.timeout.connect(self._flush)
        self.reply_check.toggled.connect(self.on_reply_check_toggled)
        for edit in (self.recipient_edit, self.purpose_edit, self.signature_edit):
            edit.textEdited.connect(self._on_form_edited)
        for box in (self.incoming_edit, self.points_edit):
            box.textChanged.connect(self._on_form_edited)
        for combo in (self.tone_combo, self.language_combo):
            combo.currentTextChanged.connect(self._on_form_edited)
        self.length_combo.currentIndexChanged.connect(self._on_form_edited)
        self.count_spin.valueChanged.connect(self._on_form_edited)
        self.generate_button.clicked.connect(self.generate)
        self.tabs.currentChanged.connect(self.on_tabs_current_changed)
        self.tabs.tabCloseRequested.connect(self.on_tabs_tab_close_requested)
        self.subject_edit.textEdited.connect(self.on_subject_edit_text_edited)
        self.body_edit.textChanged.connect(self.on_body_edit_text_changed)
        self.undo_button.clicked.connect(self.undo)
        self.instruction_edit.returnPressed.connect(self.refine_custom)
        self.instruction_edit.textChanged.connect(self._update_buttons)
        self.instruction_button.clicked.connect(self.refine_custom)
        self.copy_button.clicked.connect(self.copy)
        self.mail_button.clicked.connect(self.open_in_mail_app)
        self.stop_button.clicked.connect(self.stop)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.form_area)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.generate)

    # ------------------------------------------------------------------ state

    @property
    def busy(self) -> bool:
        return bool(self._requests)

    @property
    def drafts(self) -> list[Draft]:
        """The drafts as they stand (streamed text included)."""
        return [d.draft for d in self._drafts]

    @property
    def selected(self) -> int:
        """Index of the selected draft (-1: none)."""
        return self.tabs.currentIndex()

    def request(self) -> EmailRequest:
        """What the form asks for."""
        language = combo_value(self.language_combo)
        return EmailRequest(
            recipient=self.recipient_edit.text().strip(),
            purpose=self.purpose_edit.text().strip(),
            points=parse_points(self.points_edit.toPlainText()),
            tone=combo_value(self.tone_combo) or "friendly",
            length=str(self.length_combo.currentData()),
            language="" if language.casefold() == AUTOMATIC.casefold() else language,
            incoming=self.incoming_edit.toPlainText() if self.reply_check.isChecked() else "",
            signature=self.signature_edit.text().strip(),
        )

    def _current(self) -> DraftState | None:
        index = self.tabs.currentIndex()
        return self._drafts[index] if 0 <= index < len(self._drafts) else None

    # ------------------------------------------------------------------ documents

    def open_document(self, document_id: int | None) -> None:
        """Show a saved email (None: a new, empty one, saved once it has content)."""
        if self.busy:
            self._abandon_requests()
        self.flush_save()
        data: dict[str, Any] = {}
        if document_id is not None:
            try:
                document = self.store.document(document_id)
            except (GptdeskError, sqlite3.Error) as exc:
                self.message_bar.show_error(
                    self.tr(
                        "The email could not be opened ({error}). Pick it again in the list, "
                        "or start a new one."
                    ).format(error=exc)
                )
                document_id = None
            else:
                data = document.data
        self._document_id = document_id
        self._load_form(data.get("form") or {})
        self._drafts = []
        for item in data.get("drafts") or []:
            state = DraftState(str(item.get("subject", "")), str(item.get("body", "")))
            state.history = [
                Draft(str(h.get("subject", "")), str(h.get("body", "")))
                for h in item.get("history") or []
            ]
            self._drafts.append(state)
        self._show_drafts(int(data.get("selected", 0)))
        self.status_label.clear()
        self._update_buttons()
        (self.purpose_edit if not self._drafts else self.body_edit).setFocus()

    def _load_form(self, form: dict[str, Any]) -> None:
        self._filling = True
        try:
            self.reply_check.setChecked(bool(form.get("reply", False)))
            self.incoming_edit.setPlainText(str(form.get("incoming", "")))
            self.recipient_edit.setText(str(form.get("recipient", "")))
            self.purpose_edit.setText(str(form.get("purpose", "")))
            self.points_edit.setPlainText(str(form.get("points", "")))
            set_combo_value(self.tone_combo, str(form.get("tone", TONES[0])))
            length = str(form.get("length", "medium"))
            self.length_combo.setCurrentIndex(
                max(0, self.length_combo.findData(length if length in LENGTHS else "medium"))
            )
            set_combo_value(self.language_combo, str(form.get("language", "")))
            self.signature_edit.setText(str(form.get("signature", "")))
            for edit in (self.recipient_edit, self.purpose_edit, self.signature_edit):
                edit.setCursorPosition(0)  # show the start of a long entry
            self.count_spin.setValue(int(form.get("count", 3)))
            self._set_reply_mode(self.reply_check.isChecked())
        finally:
            self._filling = False

    def _form_data(self) -> dict[str, Any]:
        return {
            "reply": self.reply_check.isChecked(),
            "incoming": self.incoming_edit.toPlainText(),
            "recipient": self.recipient_edit.text(),
            "purpose": self.purpose_edit.text(),
            "points": self.points_edit.toPlainText(),
            "tone": combo_value(self.tone_combo),
            "length": str(self.length_combo.currentData()),
            "language": self.request().language,
            "signature": self.signature_edit.text(),
            "count": self.count_spin.value(),
        }

    def _has_content(self) -> bool:
        form = self._form_data()
        typed = any(str(form[k]).strip() for k in ("incoming", "recipient", "purpose", "points"))
        return typed or any(d.subject or d.body for d in self._drafts)

    @Slot()
    def save(self) -> None:
        """Write the form and drafts to the store (a new document once there is content)."""
        self._save_timer.stop()
        if self._document_id is None and not self._has_content():
            return
        current = self._current()
        request = self.request()
        title = draft_title(current.draft if current else None, request)
        data = {
            "version": 1,
            "form": self._form_data(),
            "drafts": [
                {
                    "subject": d.subject,
                    "body": d.body,
                    "history": [
                        {"subject": h.subject, "body": h.body} for h in d.history[-HISTORY:]
                    ],
                }
                for d in self._drafts
            ],
            "selected": max(0, self.tabs.currentIndex()),
            "auto_title": title,
        }
        body = current.draft.text() if current else ""
        self._write_document(
            KIND,
            title,
            body,
            data,
            self.tr(
                "The email could not be saved ({error}). Your text is still here; it is "
                "saved again with your next change."
            ),
        )

    # ------------------------------------------------------------------ form events

    @Slot(bool)
    def on_reply_check_toggled(self, checked: bool) -> None:
        self._set_reply_mode(checked)
        self._on_form_edited()
        if checked and not self._filling:
            self.incoming_edit.setFocus()

    def _set_reply_mode(self, reply: bool) -> None:
        self.incoming_label.setVisible(reply)
        self.incoming_edit.setVisible(reply)
        self.purpose_label.setText(self.tr("What to sa&y:") if reply else self.tr("&Purpose:"))
        self.purpose_edit.setAccessibleName(self.tr("What to say") if reply else self.tr("Purpose"))
        self.purpose_edit.setPlaceholderText(
            self.tr("e.g. yes, I can come on Friday")
            if reply
            else self.tr("e.g. ask for Friday afternoon off")
        )

    @Slot()
    def _on_form_edited(self, *_args: object) -> None:
        self._schedule_save()

    # ------------------------------------------------------------------ drafts view

    def _show_drafts(self, select: int = 0) -> None:
        """Rebuild the tabs from the drafts and show draft ``select``."""
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        for i, _draft in enumerate(self._drafts):
            name = self.tr("Draft {n}").format(n=i + 1)
            self.tabs.addTab(name)
            self.tabs.setTabToolTip(i, name)
        if self._drafts:
            self.tabs.setCurrentIndex(min(max(select, 0), len(self._drafts) - 1))
        self.tabs.blockSignals(False)
        self.tabs.setVisible(bool(self._drafts))
        self._show_current()

    def _show_current(self) -> None:
        state = self._current()
        self._filling = True
        try:
            self.subject_edit.setText(state.subject if state else "")
            self.subject_edit.setCursorPosition(0)
            self.body_edit.setPlainText(state.body if state else "")
        finally:
            self._filling = False
        self.body_edit.setPlaceholderText(
            ""
            if state
            else self.tr("Fill in the form and press Write drafts: the drafts appear here.")
        )
        self._update_editor()

    def _update_editor(self) -> None:
        state = self._current()
        editable = state is not None and not state.streaming
        self.subject_edit.setEnabled(state is not None)
        self.subject_edit.setReadOnly(not editable)
        self.body_edit.setReadOnly(not editable)

    def _show_streamed(self, state: DraftState) -> None:
        """Bring the editor up to ``state`` cheaply: append what is new to the body."""
        self._filling = True
        try:
            if self.subject_edit.text() != state.subject:
                self.subject_edit.setText(state.subject)
            shown = self.body_edit.toPlainText()
            if state.body.startswith(shown) and shown:
                cursor = QTextCursor(self.body_edit.document())
                cursor.movePosition(QTextCursor.MoveOperation.End)
                cursor.insertText(state.body[len(shown) :])
            elif state.body != shown:
                self.body_edit.setPlainText(state.body)
        finally:
            self._filling = False

    @Slot(int)
    def on_tabs_current_changed(self, _index: int) -> None:
        self._show_current()
        self._update_buttons()
        self._schedule_save()

    @Slot(int)
    def on_tabs_tab_close_requested(self, index: int) -> None:
        if self.busy or not 0 <= index < len(self._drafts):
            return
        selected = self.tabs.currentIndex()
        del self._drafts[index]
        self._show_drafts(selected - 1 if index < selected else selected)
        self._update_buttons()
        self.save()

    @Slot(str)
    def on_subject_edit_text_edited(self, text: str) -> None:
        state = self._current()
        if state is not None and not state.streaming:
            state.subject = text
            self._schedule_save()

    @Slot()
    def on_body_edit_text_changed(self) -> None:
        if self._filling:
            return
        state = self._current()
        if state is not None and not state.streaming:
            state.body = self.body_edit.toPlainText()
            self._update_buttons()
            self._schedule_save()

    # ------------------------------------------------------------------ actions

    @Slot()
    def generate(self) -> None:
        """Write as many new drafts as the spin box says (added after the ones there)."""
        if not self._can_start():
            return
        request = self.request()
        if request.is_empty:
            if self.reply_check.isChecked():
                self.message_bar.show_info(
                    self.tr(
                        "Paste the email you want to answer, and say under What to say what the "
                        "reply should tell them."
                    )
                )
                self.incoming_edit.setFocus()
            else:
                self.message_bar.show_info(
                    self.tr("Say what the email is for first: fill in Purpose or Key points.")
                )
                self.purpose_edit.setFocus()
            return
        try:
            messages = email_messages(request, self.prompts)
        except GptdeskError as exc:
            self.message_bar.show_error(str(exc))
            return
        n = self.count_spin.value()
        first = len(self._drafts)
        for params in draft_params(email_params(request.length), n):
            state = DraftState(streaming=True)
            self._drafts.append(state)
            rid = self.controller.chat(messages, params, owner=self)
            self._requests[rid] = _Request(state, refine=False)
        self._show_drafts(first)
        writing = self.tr("Writing {n} draft…") if n == 1 else self.tr("Writing {n} drafts…")
        self._started(writing.format(n=n))

    def refine(self, action: str, instruction: str = "") -> None:
        """Rewrite the selected draft (``action``: a key of REFINEMENTS, or "custom")."""
        state = self._current()
        if state is None or not (state.subject or state.body.strip()):
            self.message_bar.show_info(
                self.tr("There is no draft to rewrite yet: write drafts first.")
            )
            return
        if not self._can_start():
            return
        try:
            messages = refine_messages(
                state.draft, self.prompts, action, instruction, self.request().language
            )
        except (GptdeskError, ValueError) as exc:
            self.message_bar.show_error(str(exc))
            return
        state.history.append(state.draft)
        del state.history[:-HISTORY]
        state.raw = ""
        state.subject = state.body = ""
        state.streaming = True
        length = str(self.length_combo.currentData())
        rid = self.controller.chat(
            messages, email_params(length, secrets.randbelow(2**31 - 1)), owner=self
        )
        self._requests[rid] = _Request(state, refine=True)
        self._show_current()
        self._started(self.tr("Rewriting the draft…"))

    @Slot()
    def refine_custom(self) -> None:
        instruction = self.instruction_edit.text().strip()
        if not instruction:
            self.message_bar.show_info(
                self.tr("Type how the draft should change, then press Rewrite.")
            )
            self.instruction_edit.setFocus()
            return
        self.refine("custom", instruction)

    @Slot()
    def undo(self) -> None:
        """Bring back the selected draft as it was before its last rewrite."""
        state = self._current()
        if state is None or state.streaming or not state.history:
            return
        previous = state.history.pop()
        state.subject, state.body = previous.subject, previous.body
        self._show_current()
        self._update_buttons()
        self.save()

    @Slot()
    def copy(self) -> None:
        """Put the selected draft's text on the clipboard."""
        state = self._current()
        if state is None:
            return
        QApplication.clipboard().setText(state.body)
        self.status_label.setText(self.tr("Copied the draft's text."))

    @Slot()
    def open_in_mail_app(self) -> None:
        """Start a new mail in the user's mail app with the selected draft."""
        state = self._current()
        if state is None:
            return
        to = email_addresses(self.recipient_edit.text())
        url = mailto_url(to, state.subject, state.body)
        if len(url) > MAILTO_MAX_LENGTH:
            QApplication.clipboard().setText(state.body)
            url = mailto_url(to, state.subject, "")
            self.message_bar.show_info(
                self.tr(
                    "This draft is too long for a mail link, so its text is on the clipboard: "
                    "paste it into the new mail."
                )
            )
        if not self.open_url(QUrl.fromEncoded(url.encode("ascii"))):
            self.message_bar.show_error(
                self.tr(
                    "No mail app opened the draft. Set a default mail app in your system "
                    "settings, or use Copy and paste the text into your mail."
                )
            )

    @Slot()
    def stop(self) -> None:
        """Stop writing (the drafts keep what was written so far)."""
        if self.busy:
            self.controller.stop(self)

    def _can_start(self) -> bool:
        if self.busy:
            return False
        if self._loaded is None:
            self.message_bar.show_info(self._no_model_text())
            return False
        return True

    def _started(self, status: str) -> None:
        self.status_label.setText(status)
        self._update_editor()
        self._update_buttons()
        self.busy_changed.emit(True)

    def _abandon_requests(self) -> None:
        """Leave the running requests (another document opens): keep what they wrote."""
        self.controller.stop(self)
        self._flush()
        for request in self._requests.values():
            request.state.streaming = False
        self._requests.clear()
        self._buffers.clear()
        self._drafts = [d for d in self._drafts if d.subject or d.body or d.history]
        self.save()
        self.busy_changed.emit(False)

    # ------------------------------------------------------------------ engine events

    def on_model_changed(self) -> None:
        self._update_buttons()

    @Slot(int, str)
    def on_controller_delta(self, rid: int, text: str) -> None:
        if rid in self._requests:
            self._buffers.setdefault(rid, []).append(text)
            if not self._flush_timer.isActive():
                self._flush_timer.start()

    @Slot()
    def _flush(self) -> None:
        """Apply the buffered text to the drafts; repaint the one shown."""
        self._flush_timer.stop()
        current = self._current()
        for rid, pieces in self._buffers.items():
            request = self._requests.get(rid)
            if request is None or not pieces:
                continue
            state = request.state
            state.raw += "".join(pieces)
            state.set_text(state.raw)
            if state is current:
                self._show_streamed(state)
        self._buffers.clear()

    @Slot(int, str, GenerationStats)
    def on_controller_generation_finished(
        self, rid: int, text: str, _stats: GenerationStats
    ) -> None:
        if rid in self._requests:
            self._end(rid, text, stopped=False)

    @Slot(int, str, GenerationStats)
    def on_controller_generation_cancelled(
        self, rid: int, text: str, _stats: GenerationStats
    ) -> None:
        if rid in self._requests:
            self._end(rid, text, stopped=True)

    @Slot(int, str)
    def on_controller_generation_failed(self, rid: int, message: str) -> None:
        if rid not in self._requests:
            return
        self._flush()
        request = self._requests.pop(rid)
        state = request.state
        state.streaming = False
        if request.refine and state.history:  # nothing half-rewritten: the draft as it was
            previous = state.history.pop()
            state.subject, state.body = previous.subject, previous.body
        self.message_bar.show_error(message)
        self._after_request(state)

    def _end(self, rid: int, text: str, stopped: bool) -> None:
        self._flush()
        request = self._requests.pop(rid)
        state = request.state
        state.streaming = False
        state.raw = text
        state.set_text(text)
        if stopped and request.refine and not text.strip() and state.history:
            previous = state.history.pop()  # stopped before a word: keep the draft as it was
            state.subject, state.body = previous.subject, previous.body
        self._after_request(state, stopped)

    def _after_request(self, state: DraftState, stopped: bool = False) -> None:
        """One request ended: drop an empty new draft, refresh, and save when all are done."""
        selected = self.tabs.currentIndex()
        if not (state.subject or state.body or state.history) and state in self._drafts:
            index = self._drafts.index(state)
            self._drafts.remove(state)
            self._show_drafts(selected - 1 if index < selected else selected)
        elif state is self._current():
            self._show_current()
        if self.busy:
            left = sum(not r.refine for r in self._requests.values())
            self.status_label.setText(self.tr("Writing drafts… {n} to go.").format(n=left))
            return
        if stopped:
            self.status_label.setText(
                self.tr("Stopped. Undo brings back a draft from before a rewrite.")
            )
        else:
            count = len(self._drafts)
            text = self.tr("{n} draft.") if count == 1 else self.tr("{n} drafts.")
            self.status_label.setText(text.format(n=count))
        self._update_editor()
        self._update_buttons()
        self.save()
        self.busy_changed.emit(False)

    def _update_buttons(self, *_args: object) -> None:
        state = self._current()
        ready = self._loaded is not None and not self.busy
        has_text = state is not None and bool(state.subject or state.body.strip())
        self.generate_button.setEnabled(ready)
        self.generate_button.setToolTip(
            self.tr("Write new drafts ({keys})").format(keys=shortcut_text("Ctrl+Enter"))
            if self._loaded is not None
            else self._no_model_text()
        )
        self.model_label.setVisible(self._loaded is None)
        for button in self.refine_buttons.values():
            button.setEnabled(ready and has_text)
        self.instruction_button.setEnabled(
            ready and has_text and bool(self.instruction_edit.text().strip())
        )
        self.undo_button.setEnabled(
            not self.busy and state is not None and bool(state.history) and not state.streaming
        )
        self.copy_button.setEnabled(has_text)
        self.mail_button.setEnabled(has_text)
        self.stop_button.setEnabled(self.busy)
        self.tabs.setTabsClosable(not self.busy)
