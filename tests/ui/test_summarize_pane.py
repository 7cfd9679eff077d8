"""The summarize pane on the fake engine: paste or open a file, the plan line, parts with
progress, the summary streamed then rendered, Stop, autosave and reopen, drops, keyboard, the
pane in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtWidgets import QApplication, QWidget

from gptdesk.core.inference.engine import LoadOptions
from gptdesk.core.storage.store import Store
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.core.writing.summarize import LENGTHS
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.i18n import install_translators, remove_translators
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.writing.summarize_pane import (
    EMPTY_PLAN,
    LENGTH_LABELS,
    SummarizePane,
    file_filter,
    title_for,
)
from tests.core.test_documents import make_pdf
from tests.ui.fakes import FakeEngine
from tests.waits import HANG_TIMEOUT_MS
from tools import translations as tt

CJK = re.compile(r"[\u4e00-\u9fff]")
SUMMARY = "- **Alder** built a mill.\n- A railway came."


def long_text(n_paragraphs: int = 30) -> str:
    """About 45 words a paragraph: with the fake engine's 512-token window, several parts."""
    return "\n\n".join(
        f"Paragraph {i} tells how the town of Alder built a mill, a school and a bakery in "
        f"the year {1800 + i}. The mayor opened a market, farmers brought apples, and a "
        "railway came later so that the town grew and its people prospered for many years."
        for i in range(n_paragraphs)
    )


def idle(busy: bool) -> bool:
    return not busy


class Harness:
    """A pane with its real services (controller on the fake engine, SQLite, templates)."""

    def __init__(self, qtbot, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.tmp_path = tmp_path
        self.controller = EngineController(factory=FakeEngine)
        self.store = Store(tmp_path / "gptdesk.sqlite3")
        self.prompts = PromptTemplates(tmp_path / "gptdesk.sqlite3")
        self.bar = MessageBar()
        self.tasks = BackgroundTasks()
        qtbot.addWidget(self.bar)
        self.pane = self.make_pane()

    def make_pane(self) -> SummarizePane:
        pane = SummarizePane(self.controller, self.store, self.prompts, self.bar, self.tasks)
        self.qtbot.addWidget(pane)
        pane.resize(1000, 600)
        return pane

    def load(self) -> None:
        with self.qtbot.wait_signal(self.controller.loaded, timeout=HANG_TIMEOUT_MS):
            self.controller.load(Path("/models/fake.gguf"), LoadOptions())

    def summarize(self, pane: SummarizePane | None = None) -> None:
        pane = pane or self.pane
        with self.qtbot.wait_signal(
            pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle
        ):
            self.qtbot.mouseClick(pane.summarize_button, Qt.MouseButton.LeftButton)
            assert pane.busy

    def close(self) -> None:
        self.controller.shutdown()
        self.tasks.shutdown()
        self.store.close()
        self.prompts.close()


@pytest.fixture
def harness(qtbot, fake_engine, tmp_path):
    fake_engine.reply = SUMMARY
    fake_engine.n_ctx = 512
    h = Harness(qtbot, tmp_path)
    h.load()
    yield h
    h.close()


def user_prompts(fake_engine: type[FakeEngine]) -> list[str]:
    return [messages[-1].content for messages in fake_engine.requests]


# ---------------------------------------------------------------------- model and plan


def test_without_a_model_nothing_starts_and_the_pane_says_why(qtbot, fake_engine, tmp_path):
    h = Harness(qtbot, tmp_path)
    h.pane.show()
    assert h.pane.plan_label.text() == EMPTY_PLAN.format(keys="Ctrl+O")
    h.pane.source_edit.setPlainText("Twelve characters")
    assert not h.pane.summarize_button.isEnabled()
    assert "Load a model" in h.pane.summarize_button.toolTip()
    assert h.pane.model_label.isVisible()
    assert h.pane.plan_label.text() == "≈ 5 tokens · load a model to see how many passes it takes"
    h.pane.summarize()
    assert fake_engine.requests == [] and "Load a model" in h.bar.label.text()
    h.load()
    assert h.pane.summarize_button.isEnabled() and not h.pane.model_label.isVisible()
    h.close()


def test_the_plan_line_counts_tokens_and_passes_with_the_model(harness, qtbot):
    pane = harness.pane
    pane.source_edit.setPlainText("One two three four five.")
    assert pane.plan_label.text().endswith("counting…")  # the estimate comes at once
    qtbot.wait_until(lambda: pane.plan_label.text() == "5 tokens · 1 pass", timeout=HANG_TIMEOUT_MS)
    pane.source_edit.setPlainText(long_text())
    qtbot.wait_until(lambda: "parts +" in pane.plan_label.text(), timeout=HANG_TIMEOUT_MS)
    words = len(long_text().split())
    assert pane.plan_label.text().startswith(f"{words:,} tokens · ")


# ---------------------------------------------------------------------- summarizing


def test_a_long_text_is_summarized_in_parts_and_streamed(harness, fake_engine, qtbot):
    pane = harness.pane
    pane.source_edit.setPlainText(long_text())
    labels: list[str] = []
    shown: list[str] = []
    harness.controller.job_progress.connect(lambda _rid, _d, _t, label: labels.append(label))
    harness.controller.job_progress.connect(lambda *_: shown.append(pane.status_label.text()))
    busy: list[bool] = []
    pane.busy_changed.connect(busy.append)
    harness.summarize()

    parts = [label for label in labels if label.startswith("Summarizing part")]
    n = len(parts)
    assert n >= 3
    assert parts == [f"Summarizing part {i} of {n}" for i in range(1, n + 1)]
    assert labels[-1].startswith("Combining ")
    assert shown == labels  # the pane showed every step as it came
    assert busy == [True, False]
    assert len(fake_engine.requests) == len(labels)
    assert not pane.progress_bar.isVisible() and pane.status_label.text() == "Summary ready."
    assert pane.summary == SUMMARY
    # Rendered as Markdown once done: no asterisks, one list item per line.
    assert pane.summary_view.toPlainText().splitlines() == [
        "Alder built a mill.",
        "A railway came.",
    ]
    document = harness.store.document(pane.document_id)
    assert document.kind == "summary" and document.body == long_text()
    assert document.data["summary"] == SUMMARY and not document.data["stopped"]
    assert document.title == title_for(long_text())


def test_progress_is_shown_while_parts_run(harness, fake_engine, qtbot):
    pane = harness.pane
    pane.show()
    fake_engine.hold_after = 0  # every pass waits for the test before its first word
    pane.source_edit.setPlainText(long_text())
    pane.summarize()
    fake_engine.release(1)  # part 1 runs; part 2 waits
    qtbot.wait_until(lambda: "part 2 of" in pane.status_label.text(), timeout=HANG_TIMEOUT_MS)
    assert pane.progress_bar.isVisible() and pane.progress_bar.value() == 1
    assert pane.progress_bar.maximum() > pane.progress_bar.value()
    assert pane.stop_button.isEnabled() and not pane.summarize_button.isEnabled()
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        fake_engine.release()


def test_the_options_reach_the_prompt(harness, fake_engine):
    pane = harness.pane
    pane.source_edit.setPlainText("The bakery opens at six and sells rye bread.")
    pane.length_combo.setCurrentIndex(pane.length_combo.findData("bullets"))
    pane.language_combo.setCurrentIndex(pane.language_combo.findData("French"))
    pane.focus_edit.setText("opening hours")
    harness.summarize()
    assert len(fake_engine.requests) == 1  # it fits: one pass
    prompt = user_prompts(fake_engine)[0]
    assert "The bakery opens at six" in prompt
    assert "bullet points" in prompt and "French" in prompt and "opening hours" in prompt
    data = harness.store.document(pane.document_id).data
    assert (data["length"], data["language"], data["focus"]) == (
        "bullets",
        "French",
        "opening hours",
    )


def test_language_list_starts_with_same_as_the_text(harness):
    combo = harness.pane.language_combo
    assert combo.itemText(0) == "Same as the text" and harness.pane.language is None
    names = [combo.itemText(i) for i in range(combo.count()) if combo.itemText(i)]
    assert names[1:4] == ["Chinese (Simplified)", "English", "Japanese"]


def test_a_summary_is_saved_and_reopens(harness, qtbot):
    pane = harness.pane
    pane.source_edit.setPlainText("A short text about apples.")
    pane.length_combo.setCurrentIndex(pane.length_combo.findData("sentence"))
    harness.summarize()
    saved = pane.document_id
    assert saved is not None
    other = harness.make_pane()
    other.open_document(saved)
    assert other.source_edit.toPlainText() == "A short text about apples."
    assert other.summary == SUMMARY and other.length == "sentence"
    assert other.summary_view.toPlainText().startswith("Alder built a mill.")
    assert other.copy_button.isEnabled()
    other.open_document(None)
    assert other.source_edit.toPlainText() == "" and other.summary == ""
    assert other.document_id is None and not other.copy_button.isEnabled()


def test_typing_is_saved_after_a_pause_and_a_rename_is_kept(harness, qtbot):
    pane = harness.pane
    with qtbot.wait_signal(pane.document_changed, timeout=HANG_TIMEOUT_MS):
        pane.source_edit.setPlainText("Notes from the meeting about the budget")
    doc_id = pane.document_id
    assert harness.store.document(doc_id).title == "Notes from the meeting about the budget"
    harness.store.update_document(doc_id, title="Budget notes")
    with qtbot.wait_signal(pane.document_changed, timeout=HANG_TIMEOUT_MS):
        pane.source_edit.setPlainText("Different words entirely")
    document = harness.store.document(doc_id)
    assert document.title == "Budget notes" and document.body == "Different words entirely"


def test_an_empty_new_document_is_not_saved(harness):
    harness.pane.open_document(None)
    harness.pane.save()
    assert harness.store.documents("summary") == []


# ---------------------------------------------------------------------- stopping


def test_stop_while_parts_run_keeps_the_previous_summary(harness, fake_engine, qtbot):
    pane = harness.pane
    pane.source_edit.setPlainText("Short text.")
    harness.summarize()
    fake_engine.hold_after = 0  # every pass waits for the test before its first word
    fake_engine.requests.clear()
    pane.source_edit.setPlainText(long_text())
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        pane.summarize()
        fake_engine.release(1)  # part 1 runs; part 2 waits for the Stop
        qtbot.wait_until(lambda: "part 2 of" in pane.status_label.text(), timeout=HANG_TIMEOUT_MS)
        pane.stop()
    assert pane.status_label.text() == "Stopped before the summary was written."
    assert len(fake_engine.requests) == 2  # no part after the one that was stopped
    assert pane.summary == SUMMARY  # the earlier summary comes back
    assert pane.summarize_button.isEnabled()


def test_stop_while_the_summary_streams_keeps_what_was_written(harness, fake_engine, qtbot):
    pane = harness.pane
    fake_engine.reply = " ".join(["word"] * 300)
    fake_engine.hold_after = 5  # five words, then the summary waits for the Stop
    pane.source_edit.setPlainText("A short text that fits in one pass.")
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        pane.summarize()
        qtbot.wait_until(lambda: "word" in pane.summary_view.toPlainText(), timeout=HANG_TIMEOUT_MS)
        pane.stop()
    assert pane.status_label.text() == "Stopped; the summary so far is kept."
    partial = pane.summary
    assert partial == " ".join(["word"] * 5)
    data = harness.store.document(pane.document_id).data
    assert data["summary"] == partial and data["stopped"]
    other = harness.make_pane()
    other.open_document(pane.document_id)
    assert "stopped before it was finished" in other.status_label.text()


def test_opening_another_document_leaves_a_running_summary(harness, fake_engine, qtbot):
    pane = harness.pane
    fake_engine.reply = " ".join(["word"] * 300)
    fake_engine.hold_after = 5  # five words, then the summary waits until it is cancelled
    pane.source_edit.setPlainText("First text.")
    pane.summarize()
    qtbot.wait_until(lambda: "word" in pane.summary_view.toPlainText(), timeout=HANG_TIMEOUT_MS)
    first_id = pane.document_id
    with qtbot.wait_signal(harness.controller.generation_cancelled, timeout=HANG_TIMEOUT_MS):
        pane.open_document(None)
        assert not pane.busy
    assert pane.summary == "" and pane.summary_view.toPlainText() == ""
    assert harness.store.document(first_id).data["summary"].startswith("word")


def test_a_failed_summary_keeps_the_text_and_says_why(harness, qtbot):
    pane = harness.pane
    pane.source_edit.setPlainText("Hello")
    run_job = harness.controller.run_job

    def failing_run(job, *, owner=None):
        return run_job(lambda engine, cancel: iter(()), owner=owner)  # no result: a failure

    harness.controller.run_job = failing_run  # type: ignore[method-assign]
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        pane.summarize()
    assert pane.status_label.text() == "Summarizing failed."
    assert "without a result" in harness.bar.label.text()
    assert pane.source_edit.toPlainText() == "Hello" and pane.summarize_button.isEnabled()


def test_a_broken_template_is_reported(harness, fake_engine, qtbot):
    harness.prompts.set("summary_text", "Summarize {{ text }} for {{ audience }}")
    pane = harness.pane
    pane.source_edit.setPlainText("Hello")
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        pane.summarize()
    assert fake_engine.requests == []
    assert "audience" in harness.bar.label.text() and "Settings" in harness.bar.label.text()
    assert pane.source_edit.toPlainText() == "Hello"


# ---------------------------------------------------------------------- files


def read(harness, qtbot, path: Path) -> None:
    with qtbot.wait_signal(harness.pane.document_changed, timeout=HANG_TIMEOUT_MS):
        harness.pane.load_file(path)


def test_opening_a_pdf_fills_the_source_off_the_gui_thread(harness, qtbot, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf(["The harvest was good.", "Prices fell in autumn."], "Harvest"))
    pane = harness.pane
    read(harness, qtbot, path)
    assert "The harvest was good." in pane.source_edit.toPlainText()
    assert "Prices fell in autumn." in pane.source_edit.toPlainText()
    assert pane.source_name_label.text() == "report.pdf"
    document = harness.store.document(pane.document_id)
    assert document.title == "Harvest" and document.data["source_name"] == "report.pdf"
    qtbot.wait_until(lambda: "1 pass" in pane.plan_label.text(), timeout=HANG_TIMEOUT_MS)


def test_opening_a_file_over_a_text_starts_a_new_summary(harness, qtbot, tmp_path):
    pane = harness.pane
    pane.source_edit.setPlainText("What I pasted before.")
    pane.save()
    first = pane.document_id
    path = tmp_path / "notes.md"
    path.write_text("# Trip notes\n\nWe walked to the lake.\n", encoding="utf-8")
    read(harness, qtbot, path)
    assert pane.document_id != first
    assert harness.store.document(first).body == "What I pasted before."  # nothing lost
    assert harness.store.document(pane.document_id).title == "Trip notes"
    assert pane.source_edit.toPlainText() == "# Trip notes\n\nWe walked to the lake.\n"


def test_a_file_that_cannot_be_read_is_explained(harness, qtbot, tmp_path):
    pane = harness.pane
    pane.source_edit.setPlainText("Kept text.")
    bad = tmp_path / "locked.pdf"
    bad.write_bytes(b"not a pdf")
    pane.load_file(bad)
    qtbot.wait_until(lambda: "locked.pdf" in harness.bar.label.text(), timeout=HANG_TIMEOUT_MS)
    assert "not a readable PDF" in harness.bar.label.text()
    assert pane.source_edit.toPlainText() == "Kept text."


def test_a_file_dropped_on_the_text_is_opened_not_pasted_as_a_path(harness, qtbot, tmp_path):
    path = tmp_path / "dropped.txt"
    path.write_text("Dropped text about rivers.", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pane = harness.pane
    assert pane.source_edit.canInsertFromMimeData(mime)
    with qtbot.wait_signal(pane.document_changed, timeout=HANG_TIMEOUT_MS):
        pane.source_edit.insertFromMimeData(mime)
    assert pane.source_edit.toPlainText() == "Dropped text about rivers.\n"
    model = QMimeData()
    model.setUrls([QUrl.fromLocalFile(str(tmp_path / "model.gguf"))])
    assert not pane.source_edit.canInsertFromMimeData(model)  # models are the window's


# ---------------------------------------------------------------------- keyboard, names


def test_ctrl_enter_summarizes_and_copy_fills_the_clipboard(harness, qtbot):
    pane = harness.pane
    pane.show()
    pane.source_edit.setPlainText("hi there")
    assert not pane.copy_button.isEnabled()
    pane.source_edit.setFocus()
    qtbot.wait_until(pane.source_edit.hasFocus, timeout=HANG_TIMEOUT_MS)
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        qtbot.keyClick(pane.source_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert pane.source_edit.toPlainText() == "hi there"  # no newline typed
    assert pane.copy_button.isEnabled()
    qtbot.mouseClick(pane.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == SUMMARY


def test_every_focusable_control_has_an_accessible_name(harness):
    pane = harness.pane
    pane.show()
    for widget in pane.findChildren(QWidget):
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisibleTo(pane):
            if widget.objectName().startswith("qt_"):
                continue
            assert widget.accessibleName(), widget


# ---------------------------------------------------------------------- in Chinese


def test_every_core_length_has_a_label_of_its_own():
    assert set(LENGTH_LABELS) == set(LENGTHS)
    assert [LENGTH_LABELS[key] for key in LENGTHS] == list(LENGTHS.values())  # English as core


def test_in_chinese_options_steps_and_plan_are_chinese_and_core_gets_english(
    qapp, qtbot, fake_engine, tmp_path
):
    fake_engine.reply = SUMMARY
    fake_engine.n_ctx = 512
    tt.build("zh_CN", tt.extract(), out_dir=tmp_path / "qm")
    install_translators(qapp, "zh_CN", directory=tmp_path / "qm")
    h = Harness(qtbot, tmp_path)
    try:
        h.load()
        pane = h.pane
        assert pane.summarize_button.text() == "生成摘要(&S)"
        lengths = [pane.length_combo.itemText(i) for i in range(pane.length_combo.count())]
        assert lengths == ["一句话", "短段落", "要点列表", "详细"]
        assert pane.language_combo.itemText(0) == "与原文相同"
        pane.length_combo.setCurrentIndex(pane.length_combo.findText("要点列表"))
        pane.language_combo.setCurrentIndex(pane.language_combo.findText("法语"))
        assert (pane.length, pane.language) == ("bullets", "French")
        assert file_filter().startswith("文档 (*.txt")
        assert pane.plan_label.text() == "粘贴文本、打开文件（Ctrl+O），或把文件拖放到这里。"

        pane.source_edit.setPlainText(long_text())
        qtbot.wait_until(lambda: "个部分 + " in pane.plan_label.text(), timeout=HANG_TIMEOUT_MS)
        assert re.fullmatch(
            r"[\d,]+ 个词元 · \d+ 个部分 \+ (最多 \d+ 轮|1 轮)合并", pane.plan_label.text()
        )
        shown: list[str] = []
        h.controller.job_progress.connect(lambda *_: shown.append(pane.status_label.text()))
        h.summarize()
        assert shown[0] == f"正在摘要第 1 部分，共 {len(shown) - 1} 部分"
        assert shown[-1].startswith("正在合并 ")
        assert all(CJK.search(text) for text in shown)
        assert pane.status_label.text() == "摘要已完成。"
        prompt = user_prompts(fake_engine)[-1]
        assert "bullet points" in prompt and "French" in prompt
    finally:
        h.close()
        remove_translators(qapp)
