"""The Documents pane on a real document index and the fake engine: adding a folder indexes it
in the background with progress, the file list fills while a long scan runs, a bad file gets a
report line, Stop ends a scan, New… makes a collection that files go into, an answer keeps only
real citations as links to listed sources, nothing found never asks the model, sources open
their file, the mode in the main window."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QAbstractItemModelTester

from gptdesk.core.documents import scan as scan_module
from gptdesk.core.documents.answer import NOTHING_FOUND, Source
from gptdesk.core.documents.index import DocumentIndex, FileInfo
from gptdesk.core.documents.scan import ScanProgress, ScanReport
from gptdesk.core.inference.engine import LoadOptions
from gptdesk.ui.documents import documents_pane
from gptdesk.ui.documents.documents_pane import (
    NO_DOCUMENTS,
    DocumentsPane,
    FilesModel,
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


def test_the_file_list_fills_while_a_long_scan_runs(qtbot, harness, tmp_path, monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(300):
        (folder / f"note{i:03}.txt").write_text(f"Note {i} about the orchard.\n", encoding="utf-8")
    real_scan = scan_module.scan
    held, release = threading.Event(), threading.Event()

    def held_scan(index, collection, paths=None, *, cancel=None, limits=None):
        """The real scan, held after its 100th file (stored: the 101st is not read yet) until
        the test releases it, so the list is seen while the scan is surely still running."""
        for event in real_scan(index, collection, paths, cancel=cancel, limits=limits):
            yield event
            if isinstance(event, ScanProgress) and event.files_done == 100:
                held.set()
                assert release.wait(HANG_TIMEOUT_S)

    monkeypatch.setattr(scan_module, "scan", held_scan)
    # Every progress event reaches the pane (none is dropped as too soon after the last), so
    # the one after the 100th file surely does; the pane still reads at most once a second.
    monkeypatch.setattr(documents_pane, "PROGRESS_S", 0.0)
    reads: list[str] = []
    real_files = DocumentIndex.files

    def counted_files(self, collection=None):
        reads.append(collection)
        return real_files(self, collection)

    monkeypatch.setattr(DocumentIndex, "files", counted_files)
    pane = harness.pane
    model = pane.files_model
    try:
        pane.add_paths([folder])
        # Rows come from the index while the scan runs (it is held: it cannot have ended).
        qtbot.wait_until(lambda: model.rowCount() > 0, timeout=HANG_TIMEOUT_MS)
        assert pane.scanning and held.is_set() and not release.is_set()
        assert 1 <= model.rowCount() <= 100
        assert "files" in pane.files_label.text()
        # Progress coming in a burst is read once: one read, however many events.
        qtbot.wait_until(
            lambda: not pane._live_timer.isActive() and pane._refresh_task is None,
            timeout=HANG_TIMEOUT_MS,
        )
        before = len(reads)
        with qtbot.wait_signal(pane.files_updated, timeout=HANG_TIMEOUT_MS):
            for done in range(90, 100):
                pane.on_scan_progressed(
                    ScanProgress("default", done, 300, done * 30, 9000, folder / "x.txt", 5.0)
                )
        assert len(reads) == before + 1
        assert model.rowCount() == 100
        # The row the user is on stays selected as the list grows.
        row = next(i for i, f in enumerate(model.files) if f.path.name == "note050.txt")
        pane.files_view.setCurrentIndex(model.index(row, 0))
        with qtbot.wait_signals(
            [pane.scan_finished, pane.files_changed], timeout=HANG_TIMEOUT_MS, order="strict"
        ):
            release.set()
    finally:
        release.set()
    assert model.rowCount() == 300 and not pane.scanning
    current = pane.files_view.currentIndex()
    assert current.isValid() and model.file_at(current.row()).path.name == "note050.txt"
    assert pane.files_view.selectionModel().isRowSelected(current.row())
    assert "300 files" in pane.files_label.text()


def test_removing_a_file_takes_it_out_of_the_list(qtbot, harness, tmp_path):
    harness.add(write_folder(tmp_path))
    pane = harness.pane
    row = next(i for i, f in enumerate(pane.files_model.files) if f.path.name == "bakery.txt")
    pane.files_view.setCurrentIndex(pane.files_model.index(row, 0))
    assert pane.remove_button.isEnabled()
    with qtbot.wait_signal(pane.files_changed, timeout=HANG_TIMEOUT_MS):
        pane.remove_button.click()
    assert names(pane) == ["mill.md", "茶园.md"]


# ---------------------------------------------------------------------- collections


def combo_names(pane: DocumentsPane) -> list[str]:
    combo = pane.collection_combo
    return [combo.itemText(i) for i in range(combo.count())]


def answer_dialog(monkeypatch, name: str, ok: bool = True) -> list[tuple]:
    """QInputDialog.getText answers ``name`` (OK or Cancel); the calls are recorded."""
    calls: list[tuple] = []

    def get_text(*args, **kwargs):
        calls.append(args)
        return name, ok

    monkeypatch.setattr(documents_pane.QInputDialog, "getText", get_text)
    return calls


def test_new_makes_a_collection_that_added_files_go_into(qtbot, harness, tmp_path, monkeypatch):
    pane = harness.pane
    harness.add(write_folder(tmp_path))  # the default collection has files
    assert pane.new_collection_button.isEnabled()
    assert pane.new_collection_button.accessibleName() == "New collection"
    assert pane.new_collection_button.toolTip()
    calls = answer_dialog(monkeypatch, "  Garden  ")
    qtbot.mouseClick(pane.new_collection_button, Qt.MouseButton.LeftButton)
    assert len(calls) == 1
    # Shown at once, empty, with the hint to add files; no index read needed for that.
    assert pane.collection == "Garden" and pane.collection_combo.currentText() == "Garden"
    assert combo_names(pane) == ["Garden", "default"]  # by name, as the index orders them
    assert pane.files_model.rowCount() == 0 and not pane.rescan_button.isEnabled()
    assert pane.files_label.text() == NO_DOCUMENTS
    assert pane.report_label.text() == ""
    qtbot.wait_until(lambda: pane._refresh_task is None, timeout=HANG_TIMEOUT_MS)
    assert pane.collection_combo.currentText() == "Garden"  # read again: still there
    assert pane.files_model.rowCount() == 0
    with DocumentIndex(harness.index_path) as index:
        assert [c.name for c in index.collections()] == ["default"]  # nothing stored yet
    # Files added now go into it, and only into it.
    beds = tmp_path / "beds.txt"
    beds.write_text("The tomato beds are watered at dawn.\n", encoding="utf-8")
    report = harness.add(beds)
    assert report.collection == "Garden" and report.added == 1
    with DocumentIndex(harness.index_path) as index:
        assert [f.path.name for f in index.files("Garden")] == ["beds.txt"]
        assert len(index.files("default")) == 3
    assert names(pane) == ["beds.txt"]
    assert combo_names(pane) == ["Garden", "default"]
    assert pane.collection_combo.currentText() == "Garden"


def test_new_with_an_empty_or_known_name(qtbot, harness, tmp_path, monkeypatch):
    pane = harness.pane
    harness.add(write_folder(tmp_path))
    answer_dialog(monkeypatch, "   ")
    pane.new_collection_button.click()
    assert harness.bar.isVisible() and "needs a name" in harness.bar.label.text()
    assert pane.collection == "default" and combo_names(pane) == ["default"]
    assert len(pane.files_model.files) == 3
    answer_dialog(monkeypatch, "Drafts", ok=False)  # Cancel
    pane.new_collection_button.click()
    assert pane.collection == "default" and combo_names(pane) == ["default"]
    # A made collection stays in the list when the user looks at another one first.
    answer_dialog(monkeypatch, "Drafts")
    pane.new_collection_button.click()
    assert pane.collection == "Drafts" and combo_names(pane) == ["Drafts", "default"]
    combo = pane.collection_combo
    with qtbot.wait_signal(pane.files_changed, timeout=HANG_TIMEOUT_MS):
        combo.setCurrentIndex(combo.findText("default"))
        combo.activated.emit(combo.currentIndex())
    assert pane.collection == "default" and len(pane.files_model.files) == 3
    assert combo_names(pane) == ["Drafts", "default"]
    # A name that exists is simply shown.
    with qtbot.wait_signal(pane.files_changed, timeout=HANG_TIMEOUT_MS):
        answer_dialog(monkeypatch, "Drafts")
        pane.new_collection_button.click()
    assert pane.collection == "Drafts" and combo.currentText() == "Drafts"
    assert combo_names(pane) == ["Drafts", "default"] and pane.files_model.rowCount() == 0
    with qtbot.wait_signal(pane.files_changed, timeout=HANG_TIMEOUT_MS):
        answer_dialog(monkeypatch, "default")
        pane.new_collection_button.click()
    assert pane.collection == "default" and combo.currentText() == "default"
    assert len(pane.files_model.files) == 3 and combo_names(pane) == ["Drafts", "default"]


def test_new_is_off_while_a_scan_runs(qtbot, harness, tmp_path, monkeypatch):
    pane = harness.pane
    real_scan = scan_module.scan
    release = threading.Event()

    def held_scan(index, collection, paths=None, *, cancel=None, limits=None):
        assert release.wait(HANG_TIMEOUT_S)
        yield from real_scan(index, collection, paths, cancel=cancel, limits=limits)

    monkeypatch.setattr(scan_module, "scan", held_scan)
    try:
        pane.add_paths([write_folder(tmp_path)])
        assert pane.scanning and not pane.new_collection_button.isEnabled()
    finally:
        release.set()
    qtbot.wait_until(lambda: not pane.scanning, timeout=HANG_TIMEOUT_MS)
    assert pane.new_collection_button.isEnabled()


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


def test_the_file_list_is_edited_in_place_when_read_again(qtbot):
    """Rows in path order are inserted, removed and updated, not reset: a row that stays keeps
    its persistent index (selection, current row); Qt's model tester checks every signal."""

    def info(name: str, chunks: int = 1) -> FileInfo:
        return FileInfo(Path("/docs") / name, "default", 10, 1, None, "indexed", None, "txt",
                        None, chunks, 0.0)  # fmt: skip

    model = FilesModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    rng = random.Random(7)
    pool = [f"f{i:03}.txt" for i in range(80)]
    model.set_files([info(n) for n in sorted(rng.sample(pool, 30))])
    for _ in range(40):
        kept = {f.path.name for f in model.files if rng.random() < 0.8}
        new_names = sorted(kept | set(rng.sample(pool, rng.randrange(0, 15))))
        files = [info(n, rng.choice([1, 1, 2])) for n in new_names]
        watched = {f.path.name: QPersistentModelIndex(model.index(i, 0))
                   for i, f in enumerate(model.files) if f.path.name in kept}  # fmt: skip
        model.set_files(files)
        assert model.files == files
        for name, index in watched.items():
            assert index.isValid() and model.file_at(index.row()).path.name == name
    model.set_files([info("b.txt"), info("a.txt")])  # not in path order: reset
    assert [f.path.name for f in model.files] == ["b.txt", "a.txt"]


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


# ---------------------------------------------------------------------- search by meaning


def test_search_by_meaning_embeds_the_collection_and_finds_what_shares_no_word(
    qtbot, harness, tmp_path, fake_engine, embedder_path
):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "lamp.txt").write_text("The keeper lit the lighthouse lamp at dusk.\n", "utf-8")
    (folder / "bread.md").write_text("# Market\n\nWheat from the mill becomes bread.\n", "utf-8")
    (folder / "灯塔.txt").write_text("灯塔守护者在黄昏时点亮了灯。\n", "utf-8")
    harness.add(folder)
    harness.load()
    pane = harness.pane
    question = "谁在傍晚打开了航标灯？"  # "who switched on the beacon light at nightfall?"
    with qtbot.wait_signal(pane.answer_finished, timeout=HANG_TIMEOUT_MS):
        harness.ask(question)
    assert fake_engine.requests == []  # words alone: nothing found, the model is not asked

    pane.set_embedders([("multilingual-e5-small", embedder_path)], "")
    combo = pane.embedder_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Off (words only)",
        "multilingual-e5-small",
    ]
    assert combo.currentIndex() == 0 and pane.embedder is None
    chosen: list[str] = []
    pane.embedder_chosen.connect(chosen.append)
    with qtbot.wait_signal(pane.scan_finished, timeout=HANG_TIMEOUT_MS):
        combo.setCurrentIndex(1)
        combo.activated.emit(1)  # as a user's pick does
    assert chosen == [str(embedder_path)]
    assert pane.embedder is not None
    with DocumentIndex(harness.index_path) as index:
        assert index.embedding_counts(pane.embedder.model_id) == (3, 3)

    fake_engine.reply = "守护者 [1]。"
    harness.ask(question)
    assert len(fake_engine.requests) == 1
    assert "点亮了灯" in fake_engine.requests[0][-1].content
    assert pane.sources_list.item(0).text().startswith("[1] 灯塔.txt")

    # Off again: words only, and the choice is saved as "".
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    qtbot.wait_until(lambda: pane._embedder_task is None, timeout=HANG_TIMEOUT_MS)
    assert chosen[-1] == "" and pane.embedder is None


def test_an_embedder_that_cannot_load_turns_search_by_meaning_off(
    qtbot, harness, tmp_path, starter_path
):
    pane = harness.pane
    pane.set_embedders([("not an embedder", starter_path)], "")
    pane.embedder_combo.setCurrentIndex(1)
    pane.embedder_combo.activated.emit(1)
    qtbot.wait_until(lambda: pane._embedder_task is None, timeout=HANG_TIMEOUT_MS)
    assert pane.embedder is None and pane.embedder_combo.currentIndex() == 0
    assert "not an embedding model" in harness.bar.label.text()


def test_the_window_offers_embedders_for_documents_not_for_chat(
    qtbot, fake_engine, tmp_path, embedder_path
):
    import shutil

    from tests.ui.test_main_window import close, make_window

    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(embedder_path, models / "multilingual-e5-small.gguf")
    win = make_window(qtbot, fake_engine, tmp_path)
    try:
        picker = [win.model_picker.itemText(i) for i in range(win.model_picker.count())]
        assert "multilingual-e5-small" not in picker
        combo = win.documents_pane.embedder_combo
        assert [combo.itemText(i) for i in range(combo.count())] == [
            "Off (words only)",
            "multilingual-e5-small",
        ]
        combo.setCurrentIndex(1)
        combo.activated.emit(1)
        qtbot.wait_until(
            lambda: win.settings.settings.embedder == str(models / "multilingual-e5-small.gguf"),
            timeout=HANG_TIMEOUT_MS,
        )
        qtbot.wait_until(lambda: win.documents_pane.embedder is not None, timeout=HANG_TIMEOUT_MS)
        assert win.documents_pane.embedder.started  # chosen now: started now
    finally:
        close(win)

    # The next start: the choice is kept, and its process waits until it is first needed.
    win = make_window(qtbot, fake_engine, tmp_path)
    try:
        pane = win.documents_pane
        assert pane.embedder_combo.currentText() == "multilingual-e5-small"
        qtbot.wait_until(lambda: pane.embedder is not None, timeout=HANG_TIMEOUT_MS)
        assert not pane.embedder.started
    finally:
        close(win)
