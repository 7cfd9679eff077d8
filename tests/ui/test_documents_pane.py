"""The Documents pane on a real document index and the fake engine: adding a folder indexes it
in the background with progress, a bad file gets a report line, Stop ends a scan, an answer
keeps only real citations as links to listed sources, nothing found never asks the model,
sources open their file, the mode in the main window."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from gptdesk.core.documents import scan as scan_module
from gptdesk.core.documents.answer import NOTHING_FOUND, Source
from gptdesk.core.documents.index import DocumentIndex
from gptdesk.core.documents.scan import ScanProgress, ScanReport
from gptdesk.core.inference.engine import LoadOptions
from gptdesk.ui.documents import documents_pane
from gptdesk.ui.documents.documents_pane import (
    DocumentsPane,
    link_citations,
    shorten,
    source_url,
)
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from tests.waits import HANG_TIMEOUT_MS, HANG_TIMEOUT_S

MILL = (
    "# Alder\n\n## The mill\n\nThe Alder mill was painted bright blue in 1852 and ground "
    "wheat for the whole valley. Its waterwheel turned day and night.\n"
)
BAKERY = "The bakery on Market Street sold rye bread and apple cakes every Saturday morning.\n"
CHINESE = "# 茶园\n\n山上的茶园每年四月采摘春茶，茶叶在竹匾上晾干后炒制。\n"


def write_folder(root: Path) -> Path:
    folder = root / "notes"
    folder.mkdir()
    (folder / "mill.md").write_text(MILL, encoding="utf-8")
    (folder / "bakery.txt").write_text(BAKERY, encoding="utf-8")
    (folder / "茶园.md").write_text(CHINESE, encoding="utf-8")
    return folder


def idle(busy: bool) -> bool:
    return not busy


class Harness:
    """A pane with its real services: controller on the fake engine, pool, index file."""

    def __init__(self, qtbot, tmp_path: Path, fake_engine) -> None:
        self.qtbot = qtbot
        self.controller = EngineController(factory=fake_engine)
        self.tasks = BackgroundTasks()
        self.bar = MessageBar()
        qtbot.addWidget(self.bar)
        self.index_path = tmp_path / "documents.sqlite3"
        self.pane = DocumentsPane(self.controller, self.tasks, self.bar, self.index_path)
        qtbot.addWidget(self.pane)
        self.pane.resize(1000, 640)
        self.pane.show()
        qtbot.wait_until(lambda: self.pane._refresh_task is None, timeout=HANG_TIMEOUT_MS)

    def load(self) -> None:
        with self.qtbot.wait_signal(self.controller.loaded, timeout=HANG_TIMEOUT_MS):
            self.controller.load(Path("/models/fake.gguf"), LoadOptions())

    def add(self, *paths: Path) -> ScanReport:
        """Add ``paths`` and wait until the scan is over and the list was read again."""
        reports: list[ScanReport] = []
        self.pane.scan_finished.connect(reports.append)
        with self.qtbot.wait_signals(
            [self.pane.scan_finished, self.pane.files_changed],
            timeout=HANG_TIMEOUT_MS,
            order="strict",
        ):
            self.pane.add_paths(list(paths))
        self.pane.scan_finished.disconnect(reports.append)
        assert len(reports) == 1
        return reports[0]

    def ask(self, question: str) -> None:
        self.pane.question_edit.setText(question)
        with self.qtbot.wait_signal(
            self.pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle
        ):
            self.qtbot.keyClick(self.pane.question_edit, Qt.Key.Key_Return)
            assert self.pane.busy

    def close(self) -> None:
        self.pane.shutdown()
        if self.pane._scan is not None:
            assert self.pane._scan.wait(HANG_TIMEOUT_S)
        self.controller.shutdown()
        self.tasks.shutdown()


@pytest.fixture
def harness(qtbot, fake_engine, tmp_path):
    h = Harness(qtbot, tmp_path, fake_engine)
    yield h
    h.close()


def names(pane: DocumentsPane) -> list[str]:
    return sorted(f.path.name for f in pane.files_model.files)


# ---------------------------------------------------------------------- indexing


def test_adding_a_folder_indexes_it_in_the_background_with_progress(qtbot, harness, tmp_path):
    folder = write_folder(tmp_path)
    progress: list[ScanProgress] = []
    harness.pane.scan_progressed.connect(progress.append)
    with qtbot.wait_signal(harness.pane.scan_started, timeout=HANG_TIMEOUT_MS):
        report = harness.add(folder)
    assert report.added == 3 and not report.cancelled and report.problems == []
    assert progress and all(p.collection == "default" for p in progress)
    assert names(harness.pane) == ["bakery.txt", "mill.md", "茶园.md"]
    model = harness.pane.files_model
    assert model.data(model.index(0, 1)).startswith("Indexed")
    assert "3 files" in harness.pane.files_label.text()
    assert "3 new or changed" in harness.pane.report_label.text()
    assert not harness.pane.scan_box.isVisible() and harness.pane.rescan_button.isEnabled()
    # A rescan of unchanged files reads none of them again.
    with qtbot.wait_signal(harness.pane.scan_finished, timeout=HANG_TIMEOUT_MS) as blocker:
        harness.pane.rescan_button.click()
    assert blocker.args[0].unchanged == 3 and blocker.args[0].indexed == 0


def test_a_bad_file_gets_a_report_line_and_a_failed_row(qtbot, harness, tmp_path):
    folder = write_folder(tmp_path)
    (folder / "broken.txt").write_bytes(b"text\x00\x01\x02 binary")
    report = harness.add(folder)
    assert report.failed == 1 and len(report.problems) == 1
    pane = harness.pane
    assert "1 file could not be read" in pane.report_label.text()
    assert len(pane.report_lines) == 1 and pane.report_lines[0].startswith("broken.txt: ")
    assert "binary data" in pane.report_lines[0]
    assert pane.details_button.isVisible() and not pane.problems_list.isVisible()
    pane.details_button.click()
    assert pane.problems_list.isVisible()
    model = pane.files_model
    row = next(i for i, f in enumerate(model.files) if f.path.name == "broken.txt")
    assert model.data(model.index(row, 1)) == "Failed"
    assert "binary data" in model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
    assert "1 could not be read" in pane.files_label.text()


def test_stop_ends_a_scan_of_many_files_and_keeps_what_was_indexed(
    qtbot, harness, tmp_path, monkeypatch
):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        (folder / f"note{i:03}.txt").write_text(f"Note {i} about the harvest.\n", encoding="utf-8")
    real_scan = scan_module.scan
    held = threading.Event()

    def held_scan(index, collection, paths=None, *, cancel=None, limits=None):
        """The real scan, held after its second file until Stop sets ``cancel`` (no race
        with the clock: the test stops it in the middle whatever the machine's speed)."""
        for event in real_scan(index, collection, paths, cancel=cancel, limits=limits):
            yield event
            if isinstance(event, ScanProgress) and event.files_done == 2:
                held.set()
                assert cancel is not None and cancel.wait(HANG_TIMEOUT_S)

    monkeypatch.setattr(scan_module, "scan", held_scan)
    pane = harness.pane
    with qtbot.wait_signal(pane.scan_started, timeout=HANG_TIMEOUT_MS):
        pane.add_paths([folder])
    qtbot.wait_until(held.is_set, timeout=HANG_TIMEOUT_MS)
    assert pane.scanning and pane.scan_box.isVisible() and pane.stop_scan_button.isEnabled()
    assert not pane.add_folder_button.isEnabled()
    reports: list[ScanReport] = []
    pane.scan_finished.connect(reports.append)
    with qtbot.wait_signals(
        [pane.scan_finished, pane.files_changed], timeout=HANG_TIMEOUT_MS, order="strict"
    ):
        qtbot.mouseClick(pane.stop_scan_button, Qt.MouseButton.LeftButton)
    (report,) = reports
    assert report.cancelled and 1 <= report.indexed < 60
    assert "Stopped" in pane.report_label.text()
    assert 1 <= len(pane.files_model.files) < 60
    assert not pane.scanning and pane.add_folder_button.isEnabled()


def test_removing_a_file_takes_it_out_of_the_list(qtbot, harness, tmp_path):
    harness.add(write_folder(tmp_path))
    pane = harness.pane
    row = next(i for i, f in enumerate(pane.files_model.files) if f.path.name == "bakery.txt")
    pane.files_view.setCurrentIndex(pane.files_model.index(row, 0))
    assert pane.remove_button.isEnabled()
    with qtbot.wait_signal(pane.files_changed, timeout=HANG_TIMEOUT_MS):
        pane.remove_button.click()
    assert names(pane) == ["mill.md", "茶园.md"]


# ---------------------------------------------------------------------- asking


def test_an_answer_keeps_real_citations_as_links_and_lists_the_cited_file(
    qtbot, harness, tmp_path, fake_engine
):
    harness.add(write_folder(tmp_path))
    harness.load()
    fake_engine.reply = "The mill was painted blue [1]. It had wings [9]."
    harness.ask("What colour was the Alder mill painted?")
    pane = harness.pane
    assert len(fake_engine.requests) == 1
    prompt = fake_engine.requests[0][-1].content
    assert "painted bright blue" in prompt and "[1] mill.md" in prompt
    assert "[9]" not in pane.answer and "[1]" in pane.answer
    html = pane.answer_view.toHtml()
    assert 'href="#source-1"' in html and "source-9" not in html
    assert pane.sources_list.isVisible() and pane.sources_list.count() == 1
    entry = pane.sources_list.item(0).text()
    assert entry.startswith("[1] mill.md › ") and entry.endswith("The mill")
    assert "painted bright blue" in pane.sources_list.item(0).toolTip()
    # [1] in the answer shows its passage; a click on the source opens its file.
    pane.on_answer_view_anchor_clicked(QUrl("#source-1"))
    assert pane.passage_label.isVisible() and "bright blue" in pane.passage_label.text()
    opened: list[QUrl] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(
            documents_pane.QDesktopServices, "openUrl", lambda url: opened.append(url) or True
        )
        rect = pane.sources_list.visualItemRect(pane.sources_list.item(0))
        qtbot.mouseClick(pane.sources_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        pane.sources_list.setFocus()
        qtbot.keyClick(pane.sources_list, Qt.Key.Key_Return)
    assert [u.toLocalFile() for u in opened] == [str(tmp_path / "notes" / "mill.md")] * 2
    assert "Answered" in pane.status_label.text() and not pane.busy


def test_a_chinese_question_finds_the_chinese_file(qtbot, harness, tmp_path, fake_engine):
    harness.add(write_folder(tmp_path))
    harness.load()
    fake_engine.reply = "春茶在四月采摘 [1]。"
    harness.ask("茶园什么时候采摘春茶？")
    assert len(fake_engine.requests) == 1
    assert harness.pane.sources_list.item(0).text().startswith("[1] 茶园.md")
    assert 'href="#source-1"' in harness.pane.answer_view.toHtml()


def test_nothing_found_says_so_and_never_asks_the_model(qtbot, harness, tmp_path, fake_engine):
    harness.add(write_folder(tmp_path))
    harness.load()
    with qtbot.wait_signal(harness.pane.answer_finished, timeout=HANG_TIMEOUT_MS) as blocker:
        harness.ask("How many submarines does Norway operate?")
    assert fake_engine.requests == []
    assert blocker.args[0] == NOTHING_FOUND
    assert NOTHING_FOUND.split(",")[0] in harness.pane.answer_view.toPlainText()
    assert harness.pane.sources_list.count() == 0 and not harness.pane.sources_list.isVisible()


def test_without_a_model_the_message_bar_says_so(qtbot, harness, tmp_path, fake_engine):
    harness.add(write_folder(tmp_path))
    pane = harness.pane
    pane.question_edit.setText("What colour was the mill?")
    assert not pane.ask_button.isEnabled() and pane.model_label.isVisible()
    pane.ask()
    assert "Load a model" in harness.bar.label.text() and not pane.busy
    assert fake_engine.requests == []


def test_stop_while_answering_keeps_the_answer_so_far(qtbot, harness, tmp_path, fake_engine):
    harness.add(write_folder(tmp_path))
    harness.load()
    fake_engine.reply = "The mill was blue [1] and " + "more " * 50
    fake_engine.hold_after = 3
    pane = harness.pane
    pane.question_edit.setText("What colour was the Alder mill?")
    with qtbot.wait_signal(harness.controller.delta, timeout=HANG_TIMEOUT_MS):
        pane.ask()
    assert pane.busy and pane.stop_button.isEnabled()
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        pane.stop_button.click()
    assert pane.answer.startswith("The mill") and "Stopped" in pane.status_label.text()
    assert not pane.stop_button.isEnabled()


# ---------------------------------------------------------------------- helpers


def test_source_urls_open_a_pdf_at_its_page(tmp_path):
    pdf = Source(1, tmp_path / "report.pdf", 3, None, "text", 0, 4, 1.0)
    assert source_url(pdf).fragment() == "page=3"
    assert source_url(pdf).toLocalFile() == str(tmp_path / "report.pdf")
    md = Source(2, tmp_path / "notes.md", None, "Setup", "text", 0, 4, 1.0)
    assert source_url(md).fragment() == ""


def test_citations_become_links_only_for_listed_sources():
    body = "<p>Blue [1], wheat [2, 7] and [x].</p>"
    linked = link_citations(body, {1, 2})
    assert '[<a href="#source-1">1</a>]' in linked
    assert '[<a href="#source-2">2</a>, 7]' in linked and "[x]" in linked
    assert shorten("a  b\n c", 100) == "a b c"
    assert shorten("word " * 200, 50).endswith(" …") and len(shorten("word " * 200, 50)) <= 52


def test_the_index_file_is_the_one_given(harness, tmp_path):
    harness.add(write_folder(tmp_path))
    with DocumentIndex(harness.index_path) as index:
        assert len(index.files("default")) == 3
    assert QDesktopServices is documents_pane.QDesktopServices


# ---------------------------------------------------------------------- in the window


def test_the_documents_mode_in_the_window_has_no_item_list(qtbot, fake_engine, tmp_path):
    from tests.ui.test_main_window import close, make_window

    win = make_window(qtbot, fake_engine, tmp_path)
    try:
        assert win.item_list.isVisible()
        qtbot.keySequence(win, "Ctrl+6")
        assert win.mode.name == "Documents" and win.stack.currentWidget() is win.documents_pane
        assert not win.item_list.isVisible()
        assert win.documents_pane.index_path == tmp_path / "documents.sqlite3"
        button = win.mode_buttons.button(5)
        assert button.isEnabled() and button.isChecked() and button.text() == "Documents"
        win.on_mode_action("Chat")
        assert win.item_list.isVisible() and win.stack.currentWidget() is win.chat_pane
    finally:
        close(win)
