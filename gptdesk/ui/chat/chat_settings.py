"""The chat pane's side panel for one conversation's system prompt and sampling values."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.chat.presets import LIMITS, Presets
from gptdesk.core.inference.backend import SamplingParams

PROMPT_DEBOUNCE_MS = 400
PARAMS_DEBOUNCE_MS = 300
RANDOM_SEED = -1  # the seed spin box's special value: a new random seed every reply

PRESETS_CONTEXT = "chat_presets"
"""The translation context of the template and preset names in resources/chat_presets.json
(extracted by tools/translations.py); the templates' texts are prompts and stay as written."""

# key: (label with mnemonic, decimals or None for a whole number, step, tooltip); the texts are
# shown translated (context "chat_settings").
_FIELDS: dict[str, tuple[str, int | None, float, str]] = {
    "temperature": (
        QT_TRANSLATE_NOOP("chat_settings", "T&emperature"),
        2,
        0.05,
        QT_TRANSLATE_NOOP(
            "chat_settings",
            "How adventurous the wording is. Higher is more varied, lower is more predictable; "
            "0 always picks the most likely word.",
        ),
    ),
    "top_p": (
        QT_TRANSLATE_NOOP("chat_settings", "T&op-p"),
        2,
        0.01,
        QT_TRANSLATE_NOOP(
            "chat_settings",
            "Only consider the most likely words that together make up this share of the "
            "probability. Lower keeps replies focused; 1 turns it off.",
        ),
    ),
    "top_k": (
        QT_TRANSLATE_NOOP("chat_settings", "Top-&k"),
        None,
        1,
        QT_TRANSLATE_NOOP(
            "chat_settings",
            "Only consider this many of the most likely next words. Lower keeps replies "
            "focused; 0 turns it off.",
        ),
    ),
    "min_p": (
        QT_TRANSLATE_NOOP("chat_settings", "M&in-p"),
        2,
        0.01,
        QT_TRANSLATE_NOOP(
            "chat_settings",
            "Leave out words less likely than this fraction of the most likely word. Higher "
            "trims odd choices; 0 turns it off.",
        ),
    ),
    "repeat_penalty": (
        QT_TRANSLATE_NOOP("chat_settings", "Repeat pe&nalty"),
        2,
        0.01,
        QT_TRANSLATE_NOOP(
            "chat_settings",
            "Discourages repeating the same words. Above 1 repeats less; 1 turns it off.",
        ),
    ),
    "max_tokens": (
        QT_TRANSLATE_NOOP("chat_settings", "&Max tokens"),
        None,
        1,
        QT_TRANSLATE_NOOP(
            "chat_settings",
            "The longest a reply may be, in tokens (a token is about three quarters of a word).",
        ),
    ),
    "seed": (
        QT_TRANSLATE_NOOP("chat_settings", "See&d"),
        None,
        1,
        QT_TRANSLATE_NOOP(
            "chat_settings",
            "Random: a different reply each time. A fixed number makes the same settings and "
            "conversation give the same reply again.",
        ),
    ),
}


def preset_name(name: str) -> str:
    """A template's or sampling preset's name from chat_presets.json, in the interface
    language (a name with no translation, e.g. the user's own, as it is)."""
    return QCoreApplication.translate(PRESETS_CONTEXT, name)


def without_mnemonic(label: str) -> str:
    """``T&emperature`` -> ``Temperature``; ``温度(&E)`` -> ``温度`` (for accessible names)."""
    label = re.sub(r"\s*\(&[^&\s]\)", "", label)
    return re.sub(r"&(.)", r"\1", label)


def _disable_item(combo: QComboBox, index: int) -> None:
    """Show the item but keep the user from picking it (it is set by the panel only)."""
    model = combo.model()
    item = model.item(index) if hasattr(model, "item") else None
    if item is not None:
        item.setEnabled(False)


class ConversationSettingsPanel(QWidget):
    """System prompt (with templates) and sampling values (with presets) of one conversation.

    ``load`` shows a conversation's values without emitting; the user's edits come back as
    ``system_prompt_edited`` and ``params_edited``, coalesced over short bursts. Call ``flush``
    before switching conversations so that an edit still waiting for its timer is not lost.
    """

    system_prompt_edited = Signal(str)
    """The system prompt text after the user changed it (debounced, or at once on focus out)."""
    params_edited = Signal(dict)
    """Every sampling value after the user changed one, with "preset": its id or None."""

    def __init__(self, presets: Presets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationSettings")
        self.setAccessibleName(self.tr("Conversation settings"))
        self.presets = presets
        self._syncing = False  # True while the panel itself sets controls
        self._shown_prompt = ""  # what the conversation has (last loaded or emitted)
        self._shown_params: dict[str, Any] = {}

        self._prompt_timer = QTimer(self)
        self._prompt_timer.setSingleShot(True)
        self._prompt_timer.setInterval(PROMPT_DEBOUNCE_MS)
        self._prompt_timer.timeout.connect(self.on_prompt_timer_timeout)
        self._params_timer = QTimer(self)
        self._params_timer.setSingleShot(True)
        self._params_timer.setInterval(PARAMS_DEBOUNCE_MS)
        self._params_timer.timeout.connect(self.on_params_timer_timeout)

        self._build()
        self._connect_signals()
        self.load("", presets.default_params())

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        # System prompt
        prompt_heading = self._heading(self.tr("&System prompt"))
        self.template_combo = QComboBox(self)
        self.template_combo.setAccessibleName(self.tr("System prompt template"))
        self.template_combo.setToolTip(
            self.tr("Start from a ready-made system prompt, then edit it freely.")
        )
        for template in self.presets.system_prompts:
            self.template_combo.addItem(preset_name(template.name), template.id)
        self.template_combo.addItem(self.tr("Custom"), None)
        _disable_item(self.template_combo, self.template_combo.count() - 1)
        self.template_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.template_combo.setMinimumContentsLength(10)

        self.prompt_edit = QPlainTextEdit(self)
        self.prompt_edit.setAccessibleName(self.tr("System prompt text"))
        self.prompt_edit.setAccessibleDescription(
            self.tr("Instructions the model reads before the conversation.")
        )
        self.prompt_edit.setPlaceholderText(self.tr("Tell the model who to be and how to answer."))
        self.prompt_edit.setToolTip(
            self.tr("Instructions the model reads before every message in this conversation.")
        )
        self.prompt_edit.setTabChangesFocus(True)
        self.prompt_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.prompt_edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.prompt_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        line = self.prompt_edit.fontMetrics().lineSpacing()
        self.prompt_edit.setMinimumHeight(line * 4 + 12)
        self.prompt_edit.installEventFilter(self)
        prompt_heading.setBuddy(self.prompt_edit)

        prompt_form = QFormLayout()
        self._tune_form(prompt_form)
        template_label = QLabel(self.tr("&Template:"), self)
        template_label.setBuddy(self.template_combo)
        prompt_form.addRow(template_label, self.template_combo)

        # Sampling
        sampling_heading = self._heading(self.tr("Sampling"))
        self.preset_combo = QComboBox(self)
        self.preset_combo.setAccessibleName(self.tr("Sampling preset"))
        self.preset_combo.setToolTip(
            self.tr(
                "Fill in sampling values that suit a kind of task. Precise for facts and code, "
                "Creative for stories and ideas."
            )
        )
        for preset in self.presets.sampling:
            self.preset_combo.addItem(preset_name(preset.name), preset.id)
        self.preset_combo.addItem(self.tr("Custom"), None)
        _disable_item(self.preset_combo, self.preset_combo.count() - 1)

        sampling_form = QFormLayout()
        self._tune_form(sampling_form)
        preset_label = QLabel(self.tr("&Preset:"), self)
        preset_label.setBuddy(self.preset_combo)
        sampling_form.addRow(preset_label, self.preset_combo)

        self.spins: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for key, (label_source, decimals, step, tip_source) in _FIELDS.items():
            label_text = QCoreApplication.translate("chat_settings", label_source)
            tip = QCoreApplication.translate("chat_settings", tip_source)
            spin = self._spin(key, decimals, step)
            spin.setToolTip(tip)
            label = QLabel(self.tr("{label}:", "a form label").format(label=label_text), self)
            label.setBuddy(spin)
            label.setToolTip(tip)
            spin.setAccessibleName(without_mnemonic(label_text))
            spin.setAccessibleDescription(tip)
            sampling_form.addRow(label, spin)
            self.spins[key] = spin

        default = self.presets.sampling_preset(self.presets.default_sampling)
        max_tokens = SamplingParams.max_tokens
        if default is not None:
            name = preset_name(default.name)
            # English puts the mnemonic on the preset's first letter ("Reset to &Balanced").
            self.reset_button = QPushButton(
                self.tr("Reset to &{preset}", "the default preset").format(preset=name), self
            )
            self.reset_button.setAccessibleName(
                self.tr("Reset sampling to {preset}").format(preset=name)
            )
            self.reset_button.setToolTip(
                self.tr(
                    "Set every sampling value back to the {preset} preset, {max_tokens} max "
                    "tokens and a random seed."
                ).format(preset=name, max_tokens=max_tokens)
            )
        else:
            self.reset_button = QPushButton(self.tr("Reset to &defaults"), self)
            self.reset_button.setAccessibleName(self.tr("Reset sampling to defaults"))
            self.reset_button.setToolTip(
                self.tr(
                    "Set every sampling value back to its default, {max_tokens} max tokens "
                    "and a random seed."
                ).format(max_tokens=max_tokens)
            )
        reset_row = QHBoxLayout()
        reset_row.addStretch(1)
        reset_row.addWidget(self.reset_button)

        self.hint_label = QLabel(self.tr("Applies to the next reply in this conversation."), self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint_label.setAccessibleName(self.tr("Settings hint"))

        self.error_label = QLabel(self)
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setAccessibleName(self.tr("Settings error"))
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(prompt_heading)
        layout.addLayout(prompt_form)
        layout.addWidget(self.prompt_edit, 1)
        layout.addSpacing(8)
        layout.addWidget(sampling_heading)
        layout.addLayout(sampling_form)
        layout.addLayout(reset_row)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.error_label)

        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        return label

    @staticmethod
    def _tune_form(form: QFormLayout) -> None:
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(4)

    def _spin(self, key: str, decimals: int | None, step: float) -> QSpinBox | QDoubleSpinBox:
        low, high = LIMITS[key]
        spin: QSpinBox | QDoubleSpinBox
        if decimals is None:
            spin = QSpinBox(self)
            spin.setRange(RANDOM_SEED if key == "seed" else int(low), int(high))
            spin.setSingleStep(int(step))
            if key == "seed":
                spin.setSpecialValueText(self.tr("Random", "a random seed"))
        else:
            spin = QDoubleSpinBox(self)
            spin.setDecimals(decimals)
            spin.setRange(low, high)
            spin.setSingleStep(step)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        spin.setObjectName(key)
        return spin

    def _connect_signals(self) -> None:
        self.template_combo.currentIndexChanged.connect(
            self.on_template_combo_current_index_changed
        )
        self.prompt_edit.textChanged.connect(self.on_prompt_edit_text_changed)
        self.preset_combo.currentIndexChanged.connect(self.on_preset_combo_current_index_changed)
        for spin in self.spins.values():
            spin.valueChanged.connect(self.on_spin_value_changed)
        self.reset_button.clicked.connect(self.on_reset_button_clicked)

    # ------------------------------------------------------------------ public

    def load(self, system_prompt: str, params: dict[str, Any]) -> None:
        """Show a conversation's values; emits nothing and drops edits still waiting to be sent."""
        self._prompt_timer.stop()
        self._params_timer.stop()
        self._syncing = True
        try:
            self.prompt_edit.setPlainText(system_prompt)
            self._sync_template_combo()
            defaults = asdict(SamplingParams())
            values = {key: params.get(key, defaults[key]) for key in self.spins}
            self._set_spins(values)
            self._sync_preset_combo()
        finally:
            self._syncing = False
        self._shown_prompt = system_prompt
        self._shown_params = self.params()
        self.set_error(None)

    def set_error(self, text: str | None) -> None:
        """Show ``text`` under the fields (None hides it)."""
        if not text:
            self.error_label.clear()
            self.error_label.hide()
            return
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        color = "#ff8a80" if dark else "#b00020"
        self.error_label.setStyleSheet(f"#settingsError {{ color: {color}; }}")
        self.error_label.setText(text)
        self.error_label.show()

    def system_prompt(self) -> str:
        """The text shown in the editor."""
        return self.prompt_edit.toPlainText()

    def params(self) -> dict[str, Any]:
        """The values shown, as ``sampling_params`` takes them, with "preset": id or None."""
        values: dict[str, Any] = {}
        for key, spin in self.spins.items():
            if isinstance(spin, QDoubleSpinBox):
                values[key] = round(spin.value(), spin.decimals())
            else:
                values[key] = spin.value()
        if values["seed"] == RANDOM_SEED:
            values["seed"] = None
        values["preset"] = self.presets.matching_preset(values)
        return values

    def flush(self) -> None:
        """Send edits still waiting for their timer now (before switching conversations)."""
        if self._prompt_timer.isActive():
            self._prompt_timer.stop()
            self._emit_prompt()
        if self._params_timer.isActive():
            self._params_timer.stop()
            self._emit_params()

    # ------------------------------------------------------------------ slots

    def on_template_combo_current_index_changed(self, index: int) -> None:
        if self._syncing:
            return
        template_id = self.template_combo.itemData(index)
        template = next((t for t in self.presets.system_prompts if t.id == template_id), None)
        if template is None:
            return
        if self.prompt_edit.toPlainText() != template.text:
            self.prompt_edit.setPlainText(template.text)  # textChanged schedules the emit

    def on_prompt_edit_text_changed(self) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self._sync_template_combo()
        finally:
            self._syncing = False
        self._prompt_timer.start()

    def on_prompt_timer_timeout(self) -> None:
        self._emit_prompt()

    def on_preset_combo_current_index_changed(self, index: int) -> None:
        if self._syncing:
            return
        preset = self.presets.sampling_preset(self.preset_combo.itemData(index) or "")
        if preset is None:
            return
        self._syncing = True
        try:
            self._set_spins(preset.params)
        finally:
            self._syncing = False
        self._params_timer.start()

    def on_spin_value_changed(self, _value: float) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self._sync_preset_combo()
        finally:
            self._syncing = False
        self._params_timer.start()

    def on_params_timer_timeout(self) -> None:
        self._emit_params()

    def on_reset_button_clicked(self) -> None:
        defaults = {**asdict(SamplingParams()), **self.presets.default_params()}
        self._syncing = True
        try:
            self._set_spins(defaults)
            self._sync_preset_combo()
        finally:
            self._syncing = False
        self._params_timer.stop()
        self._emit_params()

    # ------------------------------------------------------------------ helpers

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if (
            watched is self.prompt_edit
            and event.type() == QEvent.Type.FocusOut
            and self._prompt_timer.isActive()
        ):
            self._prompt_timer.stop()
            self._emit_prompt()
        return super().eventFilter(watched, event)

    def _emit_prompt(self) -> None:
        text = self.prompt_edit.toPlainText()
        if text != self._shown_prompt:
            self._shown_prompt = text
            self.system_prompt_edited.emit(text)

    def _emit_params(self) -> None:
        values = self.params()
        if values != self._shown_params:
            self._shown_params = values
            self.params_edited.emit(values)

    def _set_spins(self, values: dict[str, Any]) -> None:
        """Put ``values`` into the spin boxes (the caller holds ``_syncing``)."""
        for key, value in values.items():
            spin = self.spins.get(key)
            if spin is None:
                continue
            if key == "seed" and value is None:
                value = RANDOM_SEED
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue  # a damaged stored value: keep what is shown
            if isinstance(spin, QSpinBox):
                spin.setValue(int(value))
            else:
                spin.setValue(float(value))

    def _sync_template_combo(self) -> None:
        text = self.prompt_edit.toPlainText()
        index = next(
            (i for i, t in enumerate(self.presets.system_prompts) if t.text == text),
            self.template_combo.count() - 1,
        )
        self.template_combo.setCurrentIndex(index)

    def _sync_preset_combo(self) -> None:
        preset_id = self.params()["preset"]
        index = self.preset_combo.findData(preset_id) if preset_id else -1
        self.preset_combo.setCurrentIndex(index if index >= 0 else self.preset_combo.count() - 1)
