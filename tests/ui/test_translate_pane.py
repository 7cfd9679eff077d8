"""The translate pane on a fake engine: streaming into the translation, swap, stop, errors,
autosave and reopen, keyboard and accessible names, the pane in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from gptdesk.core.inference.engine import LoadOptions
from gptdesk.core.storage.store import Store
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.core.writing.translate import LANGUAGES
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.i18n import install_translators, remove_translators
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.writing.translate_pane import TranslatePane, language_name
from tests.ui.fakes import FakeEngine
from tests.waits import HANG_TIMEOUT_MS
from tools import translations as tt

CJK = re.compile(r"[\u4e00-\u9fff]")


class ShoutingEngine(FakeEngine):
    """ "Translates" by shouting: the reply to a part is its text (the end of the prompt) in
    capitals; counts one token per word."""

    shout = True

    def tokenize(self, text: str, *, chat: bool = True) -> list[int]:
        return [0] * len(text.split())

    def stream_chat(self, messages, params, cancel, continue_last=False):
        if self.shout:
            self.reply = messages[-1].content.rsplit("\n\n", 1)[-1].upper()
        return super().stream_chat(messages, params, cancel, continue_last)


def idle(busy: bool) -> bool:
    return not busy


class Harness:
    """A pane with its real services (controller on the fake engine, SQLite, templates)."""

    def __init__(self, qtbot, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.controller = EngineController(factory=ShoutingEngine)
        self.store = Store(tmp_path / "gptdesk.sqlite3")
        self.prompts = PromptTemplates(tmp_path / "gptdesk.sqlite3")
        self.bar = MessageBar()
        self.tasks = BackgroundTasks()
        qtbot.addWidget(self.bar)
        self.pane = self.make_pane()

    def make_pane(self) -> TranslatePane:
        pane = TranslatePane(self.controller, self.store, self.prompts, self.bar, self.tasks)
        self.qtbot.addWidget(pane)
        pane.resize(1000, 600)
        return pane

    def load(self) -> None:
        with self.qtbot.wait_signal(self.controller.loaded, timeout=HANG_TIMEOUT_MS):
            self.controller.load(Path("/models/fake.gguf"), LoadOptions())

    def translate(self, pane: TranslatePane | None = None) -> None:
        pane = pane or self.pane
        with self.qtbot.wait_signal(
            pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle
        ):
            self.qtbot.mouseClick(pane.translate_button, Qt.MouseButton.LeftButton)
            assert pane.busy

    def close(self) -> None:
        self.controller.shutdown()
        self.tasks.shutdown()
        self.store.close()
        self.prompts.close()


@pytest.fixture
def harness(qtbot, fake_engine, tmp_path):
    ShoutingEngine.shout = True
    h = Harness(qtbot, tmp_path)
    h.load()
    yield h
    h.close()


def test_without_a_model_nothing_starts_and_the_pane_says_why(qtbot, fake_engine, tmp_path):
    h = Harness(qtbot, tmp_path)
    h.pane.show()
    h.pane.source_edit.setPlainText("Hello")
    assert not h.pane.translate_button.isEnabled()
    assert "Load a model" in h.pane.translate_button.toolTip()
    assert h.pane.model_label.isVisible()
    h.pane.translate()
    assert fake_engine.requests == [] and "Load a model" in h.bar.label.text()
    h.load()
    assert h.pane.translate_button.isEnabled() and not h.pane.model_label.isVisible()
    h.pane.source_edit.clear()
    assert not h.pane.translate_button.isEnabled()
    h.close()


def test_translation_streams_part_by_part_into_the_right_editor(harness, fake_engine):
    pane = harness.pane
    source = "# Greeting\n\nHello world.\n\n- one\n- two\n"
    pane.source_edit.setPlainText(source)
    pane.target_combo.setCurrentIndex(pane.target_combo.findData("French"))
    labels: list[str] = []
    harness.controller.job_progress.connect(lambda _rid, _d, _t, label: labels.append(label))
    busy: list[bool] = []
    pane.busy_changed.connect(busy.append)
    harness.translate()
    assert pane.translation_edit.toPlainText() == "# GREETING\n\nHELLO WORLD.\n\n- ONE\n- TWO\n"
    assert pane.source_edit.toPlainText() == source
    assert busy == [True, False]
    assert labels[:4] == [f"Translating part {i} of 4" for i in range(1, 5)]
    assert pane.status_label.text() == "Translated."
    assert not pane.progress_bar.isVisible()
    assert len(fake_engine.requests) == 4
    first = fake_engine.requests[0][-1].content
    assert "into French" in first and first.endswith("Greeting")
    # each part on its own: the previous part's translation is not given as context
    assert "GREETING" not in fake_engine.requests[1][-1].content


def test_chinese_and_other_scripts_come_through_unchanged(harness):
    pane = harness.pane
    source = "你好，世界。\n\n日本語のテキスト\n\nمرحبا بالعالم"
    pane.source_edit.setPlainText(source)
    pane.target_combo.setCurrentIndex(pane.target_combo.findData("English"))
    harness.translate()
    assert pane.translation_edit.toPlainText() == source  # upper() leaves these scripts as is


def test_languages_list_the_most_asked_for_first_and_detect_as_source(harness):
    pane = harness.pane
    targets = [pane.target_combo.itemText(i) for i in range(pane.target_combo.count())]
    assert targets[:7] == [
        "Chinese (Simplified)",
        "English",
        "Japanese",
        "Korean",
        "French",
        "German",
        "Spanish",
    ]
    assert targets[7] == ""  # the separator
    assert pane.source_combo.itemText(0) == "Detect language"
    assert pane.source_language == "Detect"


def test_swap_exchanges_languages_and_texts(harness):
    pane = harness.pane
    pane.source_combo.setCurrentIndex(pane.source_combo.findData("German"))
    pane.target_combo.setCurrentIndex(pane.target_combo.findData("French"))
    pane.source_edit.setPlainText("guten tag")
    harness.translate()
    harness.qtbot.mouseClick(pane.swap_button, Qt.MouseButton.LeftButton)
    assert (pane.source_language, pane.target_language) == ("French", "German")
    assert pane.source_edit.toPlainText() == "GUTEN TAG"
    assert pane.translation_edit.toPlainText() == "guten tag"
    pane.source_edit.undo()  # the swap is one undoable edit of the source
    assert pane.source_edit.toPlainText() == "guten tag"


def test_swap_from_detect_uses_the_last_chosen_source(harness):
    pane = harness.pane
    pane.source_combo.setCurrentIndex(pane.source_combo.findData("Japanese"))
    pane.source_combo.setCurrentIndex(0)  # back to Detect
    pane.target_combo.setCurrentIndex(pane.target_combo.findData("Korean"))
    pane.swap()
    assert (pane.source_language, pane.target_language) == ("Korean", "Japanese")
    assert pane.source_edit.toPlainText() == ""  # nothing to swap yet


def test_a_translation_is_saved_and_reopens(harness, qtbot):
    pane = harness.pane
    changed: list[int] = []
    pane.document_changed.connect(changed.append)
    pane.source_combo.setCurrentIndex(pane.source_combo.findData("English"))
    pane.target_combo.setCurrentIndex(pane.target_combo.findData("Spanish"))
    pane.source_edit.setPlainText("Good morning to everyone here.\n\nBye.")
    harness.translate()
    doc_id = pane.document_id
    assert doc_id is not None and changed and changed[-1] == doc_id
    [document] = harness.store.documents("translation")
    assert document.body == "Good morning to everyone here.\n\nBye."
    assert document.title == "Good morning to everyone here. Bye."
    assert document.data["target"] == "Spanish"
    assert document.data["source_language"] == "English"
    assert document.data["translation"] == "GOOD MORNING TO EVERYONE HERE.\n\nBYE."

    other = harness.make_pane()
    other.open_document(doc_id)
    assert other.document_id == doc_id
    assert other.source_edit.toPlainText() == document.body
    assert other.translation_edit.toPlainText() == document.data["translation"]
    assert (other.source_language, other.target_language) == ("English", "Spanish")

    other.open_document(None)
    assert other.document_id is None and other.source_edit.toPlainText() == ""
    assert other.translation_edit.toPlainText() == ""


def test_typing_is_saved_after_a_pause_and_a_rename_is_kept(harness, qtbot):
    pane = harness.pane
    pane.open_document(None)
    with qtbot.wait_signal(pane.document_changed, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClicks(pane.source_edit, "Draft text")
    doc_id = pane.document_id
    assert doc_id is not None
    assert harness.store.document(doc_id).body == "Draft text"
    harness.store.update_document(doc_id, title="My letter")
    with qtbot.wait_signal(pane.document_changed, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClicks(pane.source_edit, " more")
    stored = harness.store.document(doc_id)
    assert stored.body == "Draft text more" and stored.title == "My letter"


def test_an_empty_new_document_is_not_saved(harness):
    harness.pane.open_document(None)
    harness.pane.flush_save()
    harness.pane.save()
    assert harness.store.documents("translation") == []


def test_stop_keeps_what_was_translated_and_saves_it(harness, fake_engine, qtbot):
    pane = harness.pane
    ShoutingEngine.shout = False
    fake_engine.reply = " ".join(["mot"] * 400)
    fake_engine.hold_after = 3  # three words of the first part, then it waits for the Stop
    pane.source_edit.setPlainText("A long paragraph.\n\nAnother one.")
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        pane.translate()
        qtbot.wait_until(
            lambda: "mot" in pane.translation_edit.toPlainText(), timeout=HANG_TIMEOUT_MS
        )
        pane.stop()
    assert pane.status_label.text().startswith("Stopped")
    partial = pane.translation_edit.toPlainText()
    assert partial == "mot mot mot"  # the second part never began
    assert harness.store.document(pane.document_id).data["translation"] == partial
    assert pane.translate_button.isEnabled()


def test_opening_another_document_leaves_a_running_translation(harness, fake_engine, qtbot):
    pane = harness.pane
    ShoutingEngine.shout = False
    fake_engine.reply = " ".join(["mot"] * 400)
    fake_engine.hold_after = 3  # three words, then the translation waits until it is cancelled
    pane.source_edit.setPlainText("First text.")
    pane.translate()
    qtbot.wait_until(lambda: "mot" in pane.translation_edit.toPlainText(), timeout=HANG_TIMEOUT_MS)
    first_id = pane.document_id
    with qtbot.wait_signal(harness.controller.generation_cancelled, timeout=HANG_TIMEOUT_MS):
        pane.open_document(None)
        assert not pane.busy
    assert pane.translation_edit.toPlainText() == ""  # late text of the old job is ignored
    assert harness.store.document(first_id).data["translation"].startswith("mot")


def test_a_broken_template_is_reported_and_nothing_runs(harness, fake_engine):
    harness.prompts.set("translate_chunk", "Translate {{ text }} for {{ audience }}")
    pane = harness.pane
    pane.source_edit.setPlainText("Hello")
    pane.translate()
    assert not pane.busy and fake_engine.requests == []
    assert "audience" in harness.bar.label.text() and "Settings" in harness.bar.label.text()
    assert pane.source_edit.toPlainText() == "Hello"


def test_a_failed_translation_keeps_the_text_and_says_why(harness, qtbot):
    pane = harness.pane
    pane.source_edit.setPlainText("Hello")
    rid_holder: list[int] = []
    run_job = harness.controller.run_job

    def failing_run(job, *, owner=None):
        rid = run_job(lambda engine, cancel: iter(()), owner=owner)  # no result: a failure
        rid_holder.append(rid)
        return rid

    harness.controller.run_job = failing_run  # type: ignore[method-assign]
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        pane.translate()
    assert rid_holder and pane.status_label.text() == "Translation failed."
    assert "without a result" in harness.bar.label.text()
    assert pane.source_edit.toPlainText() == "Hello" and pane.translate_button.isEnabled()


def test_ctrl_enter_translates_and_copy_fills_the_clipboard(harness, qtbot):
    pane = harness.pane
    pane.show()
    pane.source_edit.setPlainText("hi there")
    assert not pane.copy_button.isEnabled()  # nothing to copy yet
    pane.source_edit.setFocus()
    qtbot.wait_until(pane.source_edit.hasFocus, timeout=HANG_TIMEOUT_MS)
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        qtbot.keyClick(pane.source_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert pane.translation_edit.toPlainText() == "HI THERE"
    assert pane.source_edit.toPlainText() == "hi there"  # no newline typed
    assert pane.copy_button.isEnabled()
    qtbot.mouseClick(pane.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "HI THERE"


def test_every_focusable_control_has_an_accessible_name(harness):
    pane = harness.pane
    pane.show()
    for widget in pane.findChildren(QWidget):
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisibleTo(pane):
            if widget.objectName().startswith("qt_"):
                continue
            assert widget.accessibleName(), widget


def test_in_chinese_languages_are_shown_translated_and_sent_in_english(
    qapp, qtbot, fake_engine, tmp_path
):
    tt.build("zh_CN", tt.extract(), out_dir=tmp_path / "qm")
    install_translators(qapp, "zh_CN", directory=tmp_path / "qm")
    h = Harness(qtbot, tmp_path)
    try:
        h.load()
        pane = h.pane
        assert pane.translate_button.text() == "翻译(&T)"
        assert pane.source_combo.itemText(0) == "自动检测语言"
        names = [pane.target_combo.itemText(i) for i in range(pane.target_combo.count())]
        assert names[:7] == ["简体中文", "英语", "日语", "韩语", "法语", "德语", "西班牙语"]
        for language in LANGUAGES:
            assert CJK.search(language_name(language)), language  # every name has its Chinese
        others = names[8:]
        assert others.index("阿拉伯语") < others.index("保加利亚语") < others.index("越南语")
        pane.target_combo.setCurrentIndex(pane.target_combo.findText("法语"))
        assert pane.target_language == "French"
        pane.source_edit.setPlainText("Hello")
        pane._request_id = -1  # as if running: the progress line is the pane's own
        pane.on_controller_job_progress(-1, 1, 5, "Translating part 2 of 5")
        assert pane.status_label.text() == "正在翻译第 2 部分，共 5 部分"
        pane._request_id = None
        h.translate()
        assert "into French" in fake_engine.requests[-1][-1].content
        assert pane.status_label.text() == "翻译完成。"
    finally:
        h.close()
        remove_translators(qapp)
