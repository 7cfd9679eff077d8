"""The chat pane on its own: its texts in English and Chinese, the context-trim notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gptdesk.core.engine import LoadOptions
from gptdesk.core.presets import load_presets
from gptdesk.core.store import Store
from gptdesk.ui.chat_pane import ChatPane
from gptdesk.ui.i18n import install_translators, remove_translators
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.worker import EngineController
from tools import translations as tt


@pytest.fixture(scope="module")
def zh_qm(tmp_path_factory):
    """The Chinese .qm built fresh from the JSON files."""
    out = tmp_path_factory.mktemp("qm")
    tt.build("zh_CN", tt.extract(), out_dir=out)
    return out


@pytest.fixture
def make_pane(qtbot, fake_engine, tmp_path):
    """Builds a pane over a fresh database with the fake engine loaded."""
    made: list[tuple[EngineController, Store]] = []

    def make() -> ChatPane:
        controller = EngineController(factory=fake_engine)
        store = Store(tmp_path / f"chat{len(made)}.sqlite3")
        made.append((controller, store))
        bar = MessageBar()
        pane = ChatPane(controller, store, load_presets(), bar)
        qtbot.addWidget(pane)
        qtbot.addWidget(bar)
        with qtbot.wait_signal(controller.loaded, timeout=10_000):
            controller.load(Path("fake.gguf"), LoadOptions())
        pane.open_conversation(None)
        return pane

    yield make
    for controller, store in made:
        controller.shutdown()
        store.close()


def _trim_notice(qtbot, pane: ChatPane, fake_engine, dropped: tuple[int, ...]) -> str:
    """The message bar's text after the engine left ``dropped`` out of a running reply."""
    fake_engine.reply = " ".join(["slow"] * 200)
    fake_engine.delay = 0.01
    pane.composer.setPlainText("Hello")
    qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    assert pane.busy
    pane.controller.context_trimmed.emit(pane._request_id, dropped)
    text = pane.message_bar.label.text()
    with qtbot.wait_signal(pane.controller.generation_cancelled, timeout=10_000):
        pane.stop()
    return text


def test_context_trim_notice_says_one_or_many(qtbot, make_pane, fake_engine):
    pane = make_pane()
    one = _trim_notice(qtbot, pane, fake_engine, (0,))
    assert one.startswith("1 older message no longer fits the model's context window and was ")
    many = _trim_notice(qtbot, pane, fake_engine, (0, 1, 2))
    assert many.startswith("3 older messages no longer fit the model's context window and were ")


def test_the_pane_in_english(make_pane):
    pane = make_pane()
    assert pane.send_button.text() == "Send"
    assert pane.stop_button.toolTip() == "Stop generating (Esc)"
    assert pane.composer.placeholderText().startswith("Message the model")
    pane.settings_button.setChecked(True)
    assert pane.settings_button.text() == "Hide conversation settings"


def test_the_pane_in_chinese(qapp, qtbot, make_pane, fake_engine, zh_qm):
    assert install_translators(qapp, "zh_CN", directory=zh_qm) == "zh_CN"
    try:
        pane = make_pane()
        assert pane.send_button.text() == "发送"
        assert pane.send_button.accessibleName() == "发送消息"
        assert pane.stop_button.text() == "停止"
        assert pane.stop_button.toolTip() == "停止生成（Esc）"
        assert pane.composer.placeholderText() == "给模型发消息——按 Enter 发送，Shift+Enter 换行"
        assert pane.settings_button.text() == "对话设置"
        pane.settings_button.setChecked(True)
        assert pane.settings_button.text() == "隐藏对话设置"
        assert pane.settings_button.accessibleName() == "隐藏对话设置"
        assert pane.settings_panel.preset_combo.currentText() == "均衡"
        notice = _trim_notice(qtbot, pane, fake_engine, (0, 1))
        assert notice.startswith("有 2 条较早的消息超出了模型的上下文窗口")
        assert "[已停止]" not in pane.transcript.toPlainText()
        assert "（已停止）" in pane.transcript.toPlainText()
        assert pane.transcript.toPlainText().startswith("\n你\nHello")
    finally:
        remove_translators(qapp)
