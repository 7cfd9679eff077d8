"""The chat pane's side panel for one conversation's system prompt and sampling values."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
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

from gptdesk.core.engine import SamplingParams
from gptdesk.core.presets import LIMITS, Presets

PROMPT_DEBOUNCE_MS = 400
PARAMS_DEBOUNCE_MS = 300
CUSTOM = "Custom"
RANDOM_SEED = -1  # the seed spin box's special value: a new random seed every reply

# key: (label with mnemonic, decimals or None for a whole number, step, tooltip)
_FIELDS: dict[str, tuple[str, int | None, float, str]] = {
    "temperature": (
        "T&emperature",
        2,
        0.05,
        "How adventurous the wording is. Higher is more varied, lower is more predictable; "
        "0 always picks the most likely word.",
    ),
    "top_p": (
        "T&op-p",
        2,
        0.01,
        "Only consider the most likely words that together make up this share of the "
        "probability. Lower keeps replies focused; 1 turns it off.",
    ),
    "top_k": (
        "Top-&k",
        None,
        1,
        "Only consider this many of the most likely next words. Lower keeps replies focused; "
        "0 turns it off.",
    ),
    "min_p": (
        "M&in-p",
        2,
        0.01,
        "Leave out words less likely than this fraction of the most likely word. Higher trims "
        "odd choices; 0 turns it off.",
    ),
    "repeat_penalty": (
        "Repeat pe&nalty",
        2,
        0.01,
        "Discourages repeating the same words. Above 1 repeats less; 1 turns it off.",
    ),
    "max_tokens": (
        "&Max tokens",
        None,
        1,
        "The longest a reply may be, in tokens (a token is about three quarters of a word).",
    ),
    "seed": (
        "See&d",
        None,
        1,
        "Random: a different reply each time. A fixed number makes the same settings and "
        "conversation give the same reply again.",
    ),
}


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
        self.setAccessibleName("Conversation settings")
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
        prompt_heading = self._heading("&System prompt")
        self.template_combo = QComboBox(self)
        self.template_combo.setAccessibleName("System prompt template")
        self.template_combo.setToolTip(
            "Start from a ready-made system prompt, then edit it freely."
        )
        for template in self.presets.system_prompts:
            self.template_combo.addItem(template.name, template.id)
        self.template_combo.addItem(CUSTOM, None)
        _disable_item(self.template_combo, self.template_combo.count() - 1)
        self.template_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.template_combo.setMinimumContentsLength(10)

        self.prompt_edit = QPlainTextEdit(self)
        self.prompt_edit.setAccessibleName("System prompt text")
        self.prompt_edit.setAccessibleDescription(
            "Instructions the model reads before the conversation."
        )
        self.prompt_edit.setPlaceholderText("Tell the model who to be and how to answer.")
        self.prompt_edit.setToolTip(
            "Instructions the model reads before every message in this conversation."
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
        template_label = QLabel("&Template:", self)
        template_label.setBuddy(self.template_combo)
        prompt_form.addRow(template_label, self.template_combo)

        # Sampling
        sampling_heading = self._heading("Sampling")
        self.preset_combo = QComboBox(self)
        self.preset_combo.setAccessibleName("Sampling preset")
        self.preset_combo.setToolTip(
            "Fill in sampling values that suit a kind of task. Precise for facts and code, "
            "Creative for stories and ideas."
        )
        for preset in self.presets.sampling:
            self.preset_combo.addItem(preset.name, preset.id)
        self.preset_combo.addItem(CUSTOM, None)
        _disable_item(self.preset_combo, self.preset_combo.count() - 1)

        sampling_form = QFormLayout()
        self._tune_form(sampling_form)
        preset_label = QLabel("&Preset:", self)
        preset_label.setBuddy(self.preset_combo)
        sampling_form.addRow(preset_label, self.preset_combo)

        self.spins: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for key, (label_text, decimals, step, tip) in _FIELDS.items():
            spin = self._spin(key, decimals, step)
            spin.setToolTip(tip)
            label = QLabel(label_text + ":", self)
            label.setBuddy(spin)
            label.setToolTip(tip)
            spin.setAccessibleName(label_text.replace("&", ""))
            spin.setAccessibleDescription(tip)
            sampling_form.addRow(label, spin)
            self.spins[key] = spin

        default = self.presets.sampling_preset(self.presets.default_sampling)
        default_name = default.name if default else "defaults"
        self.reset_button = QPushButton(f"Reset to &{default_name}", self)
        self.reset_button.setAccessibleName(f"Reset sampling to {default_name}")
        self.reset_button.setToolTip(
            f"Set every sampling value back to the {default_name} preset, "
            f"{SamplingParams.max_tokens} max tokens and a random seed."
        )
        reset_row = QHBoxLayout()
        reset_row.addStretch(1)
        reset_row.addWidget(self.reset_button)

        self.hint_label = QLabel("Applies to the next reply in this conversation.", self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint_label.setAccessibleName("Settings hint")

        self.error_label = QLabel(self)
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setAccessibleName("Settings error")
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
                spin.setSpecialValueText("Random")
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
