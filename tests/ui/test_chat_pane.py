"""The chat pane on its own: its texts in English and Chinese, the context-trim notice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gptdesk.core.chat.presets import load_presets
from gptdesk.core.inference.engine import LoadOptions
from gptdesk.core.storage.store import Store
from gptdesk.ui.chat.chat_pane import ChatPane
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.i18n import install_translators, remove_translators
from gptdesk.ui.message_bar import MessageBar
from tests.waits import HANG_TIMEOUT_MS
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
        with qtbot.wait_signal(controller.loaded, timeout=HANG_TIMEOUT_MS):
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
    fake_engine.hold_after = 1  # the reply waits for the Stop below, however slow the machine
    pane.composer.setPlainText("Hello")
    qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    assert pane.busy
    pane.controller.context_trimmed.emit(pane._request_id, dropped)
    text = pane.message_bar.label.text()
    with qtbot.wait_signal(pane.controller.generation_cancelled, timeout=HANG_TIMEOUT_MS):
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


class RecordingBar(MessageBar):
    """The real message bar, remembering every message it was asked to show."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []
        self.infos: list[str] = []

    def show_error(self, text: str) -> None:
        self.errors.append(text)
        super().show_error(text)

    def show_info(self, text: str) -> None:
        self.infos.append(text)
        super().show_info(text)


@dataclass
class DiskPane:
    """A chat pane on a real store with a loaded fake engine, and a bar that records."""

    pane: ChatPane
    store: Store
    bar: RecordingBar
    controller: EngineController


@pytest.fixture
def disk_pane(qtbot, fake_engine, tmp_path):
    controller = EngineController(factory=fake_engine)
    store = Store(tmp_path / "chat.sqlite3")
    bar = RecordingBar()
    pane = ChatPane(controller, store, load_presets(), bar)
    qtbot.addWidget(pane)
    qtbot.addWidget(bar)
    try:
        with qtbot.wait_signal(controller.loaded, timeout=HANG_TIMEOUT_MS):
            controller.load(Path("fake.gguf"), LoadOptions())
        pane.open_conversation(None)
        yield DiskPane(pane, store, bar, controller)
    finally:
        controller.shutdown()
        store.close()


def test_a_reply_streaming_onto_a_full_disk_gets_one_message_and_is_saved_later(
    qtbot, fake_engine, disk_pane
):
    """SQLite's own limit (max_page_count at the current page count: a real SQLITE_FULL) fills
    the disk while a reply streams through the real pane and its save timer."""
    pane, store, bar, controller = (
        disk_pane.pane, disk_pane.store, disk_pane.bar, disk_pane.controller
    )
    words = [f"word{i:04d}" + "x" * 60 for i in range(400)]  # about 27 kB: needs new pages
    fake_engine.reply = " ".join(words)
    fake_engine.hold_after = 200  # half the reply, then it waits while saving is tried
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count={pages}")
    pane.composer.setPlainText("Write a lot")
    qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    # while the reply still streams: a save is refused, and the timer's retry once more
    qtbot.wait_until(lambda: bool(bar.errors), timeout=HANG_TIMEOUT_MS)
    with qtbot.wait_signal(pane.save_timer.timeout, timeout=HANG_TIMEOUT_MS):
        pass
    assert pane.busy and pane.unsaved
    with qtbot.wait_signal(controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        fake_engine.release()
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)

    assert len(bar.errors) == 1, bar.errors  # one message, not one per piece or per try
    assert bar.errors[0].startswith("The disk is full: free some space.")
    assert pane.unsaved and pane.session.reply_text == fake_engine.reply  # all in memory
    reply = pane.session.reply
    assert reply is not None
    assert store.message(reply.id).content != fake_engine.reply
    assert fake_engine.reply[-200:] in pane.transcript.toPlainText().replace("\n", " ")

    store.db.execute("PRAGMA max_page_count=1073741823")  # space again
    qtbot.wait_until(
        lambda: (
            (store.message(reply.id).content, store.message(reply.id).state)
            == (fake_engine.reply, "complete")
        ),
        timeout=HANG_TIMEOUT_MS,
    )
    qtbot.wait_until(lambda: not pane.unsaved, timeout=HANG_TIMEOUT_MS)
    assert len(bar.errors) == 1
    assert bar.infos[-1] == "Saved: the reply kept in memory is on disk now."
    assert [m.content for m in pane.session.history()] == ["Write a lot", fake_engine.reply]


def test_save_now_writes_a_refused_reply_at_once_when_space_returns(
    qtbot, fake_engine, disk_pane
):
    """Closing the window tries the reply kept in memory at once, not a second later when its
    retry would be due (else the window asks to discard text the disk would now take)."""
    pane, store, bar, controller = (
        disk_pane.pane, disk_pane.store, disk_pane.bar, disk_pane.controller
    )
    fake_engine.reply = " ".join(f"word{i:04d}" + "x" * 60 for i in range(400))
    pane.composer.setPlainText("Write a lot")
    with qtbot.wait_signal(controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
        # the pieces reach the pane only when the event loop runs: after this limit
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count={pages}")
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)
    assert pane.unsaved and bar.errors
    reply = pane.session.reply
    assert reply is not None

    store.db.execute("PRAGMA max_page_count=1073741823")
    pane.save_now()  # no wait for the timer's retry
    assert not pane.unsaved
    assert store.message(reply.id).content == fake_engine.reply
    assert store.message(reply.id).state == "complete"
