"""The conversation settings panel: loading without emitting, templates, presets, spin edits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget

from gptdesk.core.chat.presets import LIMITS, Presets, load_presets, sampling_params
from gptdesk.core.inference.engine import SamplingParams
from gptdesk.ui.chat.chat_settings import RANDOM_SEED, ConversationSettingsPanel, without_mnemonic
from gptdesk.ui.i18n import install_translators, remove_translators
from tests.waits import HANG_TIMEOUT_MS
from tools import translations as tt


@pytest.fixture(scope="module")
def presets() -> Presets:
    return load_presets()


@pytest.fixture
def panel(qtbot, presets):
    widget = ConversationSettingsPanel(presets)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.wait_exposed(widget)
    return widget


def _choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def _preset(presets: Presets, preset_id: str) -> dict[str, float]:
    found = presets.sampling_preset(preset_id)
    assert found is not None
    return found.params


def test_starts_with_the_default_preset_and_no_prompt(panel, presets):
    assert panel.system_prompt() == ""
    assert panel.template_combo.currentText() == "None"
    assert panel.preset_combo.currentText() == "Balanced"
    assert panel.params()["preset"] == "balanced"
    assert panel.spins["max_tokens"].value() == SamplingParams().max_tokens
    assert panel.spins["seed"].text() == "Random"


def test_load_shows_values_and_emits_nothing(qtbot, panel, presets):
    creative = _preset(presets, "creative")
    with (
        qtbot.assert_not_emitted(panel.params_edited, wait=500),
        qtbot.assert_not_emitted(panel.system_prompt_edited, wait=500),
    ):
        panel.load("Talk like a pirate.", {**creative, "max_tokens": 900, "seed": 7})
    assert panel.prompt_edit.toPlainText() == "Talk like a pirate."
    assert panel.template_combo.currentText() == "Custom"
    assert panel.preset_combo.currentText() == "Creative"
    for key, value in creative.items():
        assert panel.spins[key].value() == pytest.approx(value)
    assert panel.spins["max_tokens"].value() == 900
    assert panel.spins["seed"].value() == 7
    assert panel.params() == {**creative, "max_tokens": 900, "seed": 7, "preset": "creative"}


def test_load_drops_an_edit_still_waiting(qtbot, panel):
    panel.prompt_edit.setPlainText("half typed")
    panel.spins["top_k"].setValue(3)
    with (
        qtbot.assert_not_emitted(panel.params_edited, wait=600),
        qtbot.assert_not_emitted(panel.system_prompt_edited, wait=600),
    ):
        panel.load("other conversation", {"temperature": 0.3})
    assert panel.spins["temperature"].value() == pytest.approx(0.3)
    # Missing values fall back to the engine's defaults.
    assert panel.spins["top_k"].value() == SamplingParams().top_k


def test_flush_sends_a_waiting_edit_at_once(qtbot, panel):
    panel.prompt_edit.setPlainText("Be brief.")
    panel.spins["top_k"].setValue(3)
    with (
        # timeout=0: no waiting at all, the signals must come from inside flush()
        qtbot.wait_signal(panel.system_prompt_edited, timeout=0) as prompt,
        qtbot.wait_signal(panel.params_edited, timeout=0) as params,
    ):
        panel.flush()
    assert prompt.args == ["Be brief."]
    assert params.args[0]["top_k"] == 3


def test_choosing_a_template_sets_the_text_and_emits_once(qtbot, panel, presets):
    writer = next(t for t in presets.system_prompts if t.id == "writer")
    emitted: list[str] = []
    panel.system_prompt_edited.connect(emitted.append)
    with qtbot.wait_signal(panel.system_prompt_edited, timeout=HANG_TIMEOUT_MS):
        _choose(panel.template_combo, writer.name)
        assert panel.prompt_edit.toPlainText() == writer.text
        assert emitted == []  # debounced, not at once
    qtbot.wait(600)  # longer than the debounce: no second emission follows
    assert emitted == [writer.text]


def test_typing_bursts_are_coalesced_and_custom_text_shows_custom(qtbot, panel):
    emitted: list[str] = []
    panel.system_prompt_edited.connect(emitted.append)
    panel.prompt_edit.setFocus()
    with qtbot.wait_signal(panel.system_prompt_edited, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClicks(panel.prompt_edit, "Answer in French.")
    assert emitted == ["Answer in French."]
    assert panel.template_combo.currentText() == "Custom"


def test_typing_a_template_text_by_hand_selects_that_template(qtbot, panel, presets):
    coder = next(t for t in presets.system_prompts if t.id == "coder")
    panel.load("x", {})
    panel.prompt_edit.setPlainText(coder.text)
    assert panel.template_combo.currentText() == coder.name


def test_focus_out_sends_the_prompt_without_waiting(qtbot, panel):
    panel.activateWindow()
    panel.prompt_edit.setFocus()
    qtbot.wait_until(panel.prompt_edit.hasFocus, timeout=HANG_TIMEOUT_MS)
    qtbot.keyClicks(panel.prompt_edit, "Hi")
    # timeout=0: no waiting at all, the focus change itself sends the prompt
    with qtbot.wait_signal(panel.system_prompt_edited, timeout=0) as blocker:
        panel.preset_combo.setFocus()
    assert blocker.args == ["Hi"]


def test_the_custom_entries_cannot_be_picked(panel):
    for combo in (panel.template_combo, panel.preset_combo):
        custom = combo.model().item(combo.count() - 1)
        assert custom.text() == "Custom"
        assert not custom.isEnabled()


def test_editing_a_spin_value_emits_the_dict_with_preset_none(qtbot, panel):
    with qtbot.wait_signal(panel.params_edited, timeout=HANG_TIMEOUT_MS) as blocker:
        panel.spins["temperature"].setValue(1.35)
    values = blocker.args[0]
    assert values["temperature"] == 1.35
    assert values["preset"] is None
    assert panel.preset_combo.currentText() == "Custom"
    assert sampling_params(values).temperature == 1.35


def test_spin_steps_in_a_burst_are_coalesced(qtbot, panel):
    emitted: list[dict] = []
    panel.params_edited.connect(emitted.append)
    spin = panel.spins["top_k"]
    spin.setFocus()
    with qtbot.wait_signal(panel.params_edited, timeout=HANG_TIMEOUT_MS):
        for _ in range(5):
            qtbot.keyClick(spin, Qt.Key.Key_Up)
    qtbot.wait(400)
    assert len(emitted) == 1
    assert emitted[0]["top_k"] == 45


def test_editing_back_to_a_preset_value_shows_that_preset(qtbot, panel):
    with qtbot.wait_signal(panel.params_edited, timeout=HANG_TIMEOUT_MS) as blocker:
        panel.spins["temperature"].setValue(0.3)
    assert blocker.args[0]["preset"] is None
    assert panel.preset_combo.currentText() == "Custom"
    with qtbot.wait_signal(panel.params_edited, timeout=HANG_TIMEOUT_MS) as blocker:
        panel.spins["temperature"].setValue(0.7)
    assert blocker.args[0]["preset"] == "balanced"
    assert panel.preset_combo.currentText() == "Balanced"


def test_a_burst_that_ends_where_it_began_emits_nothing(qtbot, panel):
    with qtbot.assert_not_emitted(panel.params_edited, wait=600):
        panel.spins["temperature"].setValue(0.3)
        panel.spins["temperature"].setValue(0.7)


def test_choosing_creative_fills_every_value(qtbot, panel, presets):
    creative = _preset(presets, "creative")
    with qtbot.wait_signal(panel.params_edited, timeout=HANG_TIMEOUT_MS) as blocker:
        _choose(panel.preset_combo, "Creative")
    for key, value in creative.items():
        assert panel.spins[key].value() == pytest.approx(value)
    values = blocker.args[0]
    assert values["preset"] == "creative"
    assert {k: values[k] for k in creative} == creative
    assert values["max_tokens"] == SamplingParams().max_tokens
    params = sampling_params(values)
    assert params.temperature == creative["temperature"]
    assert params.top_k == creative["top_k"]


def test_every_emitted_dict_passes_sampling_params(qtbot, panel):
    spin_values = {"top_p": 0.5, "min_p": 0.2, "repeat_penalty": 2.5, "max_tokens": 32768}
    for key, value in spin_values.items():
        with qtbot.wait_signal(panel.params_edited, timeout=HANG_TIMEOUT_MS) as blocker:
            panel.spins[key].setValue(value)
        values = blocker.args[0]
        assert values[key] == value
        sampling_params(values)  # raises if a value is of the wrong type or out of range
    assert set(values) == {*LIMITS, "preset"}  # every setting a conversation keeps


def test_spin_ranges_follow_the_limits(panel):

    for key, spin in panel.spins.items():
        low, high = LIMITS[key]
        assert spin.maximum() == high
        assert spin.minimum() == (RANDOM_SEED if key == "seed" else low)


def test_seed_random_is_none_and_a_number_is_kept(qtbot, panel):
    seed = panel.spins["seed"]
    with qtbot.wait_signal(panel.params_edited, timeout=HANG_TIMEOUT_MS) as blocker:
        seed.setValue(42)
    assert blocker.args[0]["seed"] == 42
    assert sampling_params(blocker.args[0]).seed == 42
    with qtbot.wait_signal(panel.params_edited, timeout=HANG_TIMEOUT_MS) as blocker:
        seed.setValue(seed.minimum())
    assert seed.text() == "Random"
    assert blocker.args[0]["seed"] is None
    assert sampling_params(blocker.args[0]).seed is None
    panel.load("", {"seed": 5})
    assert seed.value() == 5
    panel.load("", {"seed": None})
    assert seed.text() == "Random"


def test_reset_restores_balanced(qtbot, panel, presets):
    panel.load("", {**_preset(presets, "creative"), "max_tokens": 2000, "seed": 9})
    with qtbot.wait_signal(panel.params_edited, timeout=HANG_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    balanced = _preset(presets, "balanced")
    assert blocker.args[0] == {
        **balanced,
        "max_tokens": SamplingParams().max_tokens,
        "seed": None,
        "preset": "balanced",
    }
    assert panel.preset_combo.currentText() == "Balanced"
    assert panel.reset_button.text().replace("&", "") == "Reset to Balanced"


def test_reset_when_already_balanced_emits_nothing(qtbot, panel):
    with qtbot.assert_not_emitted(panel.params_edited, wait=400):
        panel.reset_button.click()


def test_set_error_shows_and_hides_the_text(panel):
    panel.set_error("The seed must be a whole number. Type a number or choose Random.")
    assert panel.error_label.isVisible()
    assert "whole number" in panel.error_label.text()
    panel.set_error(None)
    assert not panel.error_label.isVisible()


def test_every_control_is_named_and_has_a_buddy_or_tooltip(panel):
    labelled = [panel.template_combo, panel.prompt_edit, panel.preset_combo]
    labelled += list(panel.spins.values())
    controls = [*labelled, panel.reset_button]
    buddies = {label.buddy() for label in panel.findChildren(QLabel) if label.buddy()}
    for control in controls:
        assert control.accessibleName(), control
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, control
        assert control.toolTip(), control
    for control in labelled:
        assert control in buddies, control.accessibleName()
    assert "Higher is more varied" in panel.spins["temperature"].toolTip()
    assert panel.prompt_edit.tabChangesFocus()


def test_tab_walks_through_every_control(qtbot, panel):
    panel.activateWindow()
    panel.template_combo.setFocus()
    qtbot.wait_until(panel.template_combo.hasFocus, timeout=HANG_TIMEOUT_MS)
    seen: list[QWidget] = []
    for _ in range(12):
        seen.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    wanted = [panel.template_combo, panel.prompt_edit, panel.preset_combo, panel.reset_button]
    wanted += list(panel.spins.values())
    for control in wanted:
        assert any(w is control or control.isAncestorOf(w) for w in seen), control.objectName()


def _dark_palette() -> QPalette:
    pal = QPalette()
    window, base, text = QColor("#2b2b2b"), QColor("#1e1e1e"), QColor("#e6e6e6")
    pal.setColor(QPalette.ColorRole.Window, window)
    pal.setColor(QPalette.ColorRole.WindowText, text)
    pal.setColor(QPalette.ColorRole.Base, base)
    pal.setColor(QPalette.ColorRole.AlternateBase, window)
    pal.setColor(QPalette.ColorRole.Text, text)
    pal.setColor(QPalette.ColorRole.Button, QColor("#3a3a3a"))
    pal.setColor(QPalette.ColorRole.ButtonText, text)
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#9a9a9a"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#3d6fb4"))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.ToolTipBase, window)
    pal.setColor(QPalette.ColorRole.ToolTipText, text)
    return pal


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshot(qtbot, presets, theme):
    panel = ConversationSettingsPanel(presets)
    qtbot.addWidget(panel)
    if theme == "dark":
        panel.setPalette(_dark_palette())
        panel.setAutoFillBackground(True)
    panel.load(
        next(t.text for t in presets.system_prompts if t.id == "assistant"),
        {**_preset(presets, "balanced"), "max_tokens": 1024, "seed": None},
    )
    panel.set_error("Top-p must be between 0 and 1. Choose a smaller value.")
    panel.resize(panel.sizeHint().width(), 620)
    panel.show()
    qtbot.wait_exposed(panel)
    assert 200 <= panel.sizeHint().width() <= 360
    image = panel.grab()
    assert not image.isNull()
    image.save(f"/tmp/chat_settings_{theme}.png")


# ---------------------------------------------------------------------- languages


@pytest.fixture(scope="module")
def zh_qm(tmp_path_factory):
    """The Chinese .qm built fresh from the JSON files."""
    out = tmp_path_factory.mktemp("qm")
    tt.build("zh_CN", tt.extract(), out_dir=out)
    return out


@pytest.fixture
def chinese_panel(qapp, qtbot, presets, zh_qm):
    assert install_translators(qapp, "zh_CN", directory=zh_qm) == "zh_CN"
    try:
        widget = ConversationSettingsPanel(presets)
    finally:
        remove_translators(qapp)  # texts are taken when the widget is made
    qtbot.addWidget(widget)
    widget.resize(300, 640)
    widget.show()
    qtbot.wait_exposed(widget)
    return widget


def test_mnemonics_are_left_out_of_accessible_names():
    assert without_mnemonic("T&emperature") == "Temperature"
    assert without_mnemonic("温度(&E)") == "温度"
    assert without_mnemonic("Top-&k") == "Top-k"


def test_the_panel_in_chinese(qtbot, chinese_panel, presets):
    panel = chinese_panel
    templates = [panel.template_combo.itemText(i) for i in range(panel.template_combo.count())]
    assert templates == ["无", "得力助手", "写作伙伴", "耐心的老师", "程序员", "翻译员", "自定义"]
    sampling = [panel.preset_combo.itemText(i) for i in range(panel.preset_combo.count())]
    assert sampling == ["精确", "均衡", "创意", "自定义"]
    assert panel.preset_combo.currentText() == "均衡"
    assert panel.spins["seed"].text() == "随机"
    assert panel.reset_button.text() == "恢复为“均衡”(&R)"
    labels = {label.buddy(): label.text() for label in panel.findChildren(QLabel) if label.buddy()}
    assert labels[panel.spins["temperature"]] == "温度(&E)："
    assert labels[panel.spins["max_tokens"]] == "最大词元数(&M)："
    assert panel.spins["temperature"].accessibleName() == "温度"
    assert panel.spins["repeat_penalty"].accessibleName() == "重复惩罚"
    assert panel.hint_label.text() == "从此对话的下一条回复开始生效。"
    # The names are shown translated; the ids and the prompts (sent to the model) stay as written.
    with qtbot.wait_signal(panel.params_edited, timeout=HANG_TIMEOUT_MS) as params:
        _choose(panel.preset_combo, "创意")
    assert params.args[0]["preset"] == "creative"
    assistant = next(t for t in presets.system_prompts if t.id == "assistant")
    with qtbot.wait_signal(panel.system_prompt_edited, timeout=HANG_TIMEOUT_MS) as prompt:
        _choose(panel.template_combo, "得力助手")
    assert prompt.args == [assistant.text]
    assert assistant.text.startswith("You are a helpful")
