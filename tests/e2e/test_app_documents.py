"""The whole app's Documents mode with the real starter model: a folder of mixed documents
(PDF, .docx, Markdown, text; English and Chinese) with bad input among them is indexed on its own
thread with progress while the window goes on, each bad file gets a report line and the rest is
indexed; an edited file is picked up by a rescan; questions in English and Chinese are answered
with clickable sources; with the e5 embedder chosen, a Chinese question finds an English page
(and, a known bug, an unrelated Chinese question still finds the Chinese passages)."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import Qt, QTextCursor
from PySide6.QtWidgets import QTextBrowser

from gptdesk.core.documents import scan as scan_module
from gptdesk.core.documents.answer import NOTHING_FOUND, Source, retrieve
from gptdesk.core.documents.index import DocumentIndex
from gptdesk.core.documents.scan import ScanProgress, ScanReport
from gptdesk.core.writing.documents import MAX_FILE_BYTES
from gptdesk.ui.documents import documents_pane
from gptdesk.ui.documents.documents_pane import DocumentsPane
from gptdesk.ui.window.main_window import MainWindow
from tests.core.test_documents import encrypted, make_docx, make_pdf
from tests.waits import HANG_TIMEOUT_MS, HANG_TIMEOUT_S

pytestmark = pytest.mark.model

NOTES = (
    "# Harbour notes\n\n## Boats\n\nThe ferry to Ostholm leaves at seven and carries cormorant "
    "watchers to the northern cliffs.\n\n## Weather\n\nFog rolls in on most autumn mornings.\n"
)
REPORT_PAGES = [
    "Annual report of the coastal stations, first part.",
    "The Harwick lighthouse lens was polished with walnut oil every Sunday. Walnut oil keeps the "
    "lens clean and bright.",
]
BUDGET = ["The village budget paid for new rope and paint for the boathouse."]
TEA = "山上的茶园每年四月采摘春茶，茶叶在竹匾上晾干后炒制。\n"
BRIDGE = "# 大桥\n\n武汉长江大桥于一九五七年建成通车，连接武昌和汉阳。\n"
GOOD = ["budget.docx", "keeper-report.pdf", "notes.md", "茶园.txt", "长江.md"]

ENGLISH_QUESTION = "Which oil was used to polish the Harwick lens?"  # only on the PDF's page 2
CHINESE_QUESTION = "茶园每年几月采摘春茶？"  # "in which month is the spring tea picked?"
# "In which month is green tea harvested?": no character pair in common with any file, so
# only search by meaning can find the tea garden (山上的茶园每年四月采摘春茶).
MEANING_QUESTION = "绿茶几月份收获？"
UNRELATED_QUESTION = "今天股市怎么样？"  # "how is the stock market today?"


def write_documents(root: Path) -> Path:
    """The good documents: English Markdown with headings, a two-page PDF (the fact on page
    2), a .docx, Chinese text and Chinese Markdown."""
    folder = root / "docs"
    folder.mkdir()
    (folder / "notes.md").write_text(NOTES, encoding="utf-8")
    (folder / "keeper-report.pdf").write_bytes(make_pdf(REPORT_PAGES))
    (folder / "budget.docx").write_bytes(make_docx(BUDGET))
    (folder / "茶园.txt").write_text(TEA, encoding="utf-8")
    (folder / "长江.md").write_text(BRIDGE, encoding="utf-8")
    return folder


def write_bad_input(folder: Path, tmp_path: Path) -> None:
    """An encrypted PDF (user password), a broken PDF, binary data named .txt, a 2 GiB log
    (sparse: it takes no disk) and a file the scan will see vanish (``MidScan``)."""
    encrypted(make_pdf(["Secret text."]), "hunter2", tmp_path).rename(folder / "locked.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    with (folder / "server.log").open("wb") as fh:
        fh.truncate(2 * 2**30)
    (folder / "vanishing.txt").write_text("A note about herons, gone before it is read.\n", "utf-8")


class MidScan:
    """``vanishing.txt`` is deleted when the scan is about to read it (listed and hashed,
    not read yet), and the scan's thread is held there until ``resume``: the test looks at
    the window while the scan is surely in the middle, whatever the machine's speed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
        self.path = path
        self.reached = threading.Event()
        self.resume = threading.Event()
        self.thread: threading.Thread | None = None
        real = scan_module.read_document

        def read_document(p: Path, *args, **kwargs):
            if Path(p) == path and self.thread is None:
                self.thread = threading.current_thread()
                path.unlink()
                self.reached.set()
                # On the GUI thread (a scan that would freeze the window) waiting would hang.
                if self.thread is not threading.main_thread():
                    self.resume.wait(HANG_TIMEOUT_S)
            return real(p, *args, **kwargs)

        monkeypatch.setattr(scan_module, "read_document", read_document)


def open_documents(qtbot, win: MainWindow) -> DocumentsPane:
    """Ctrl+6, as the user switches to the Documents mode."""
    qtbot.keySequence(win, "Ctrl+6")
    assert win.mode.name == "Documents"
    assert win.stack.currentWidget() is win.documents_pane
    return win.documents_pane


def scanned(qtbot, pane: DocumentsPane, start: Callable[[], None]) -> ScanReport:
    """``start`` a scan; its report, once the file list was read again after it."""
    reports: list[ScanReport] = []
    listed: list[int] = []

    def on_files() -> None:
        if reports:
            listed.append(pane.files_model.rowCount())

    pane.scan_finished.connect(reports.append)
    pane.files_changed.connect(on_files)
    try:
        start()
        qtbot.wait_until(lambda: bool(listed), timeout=HANG_TIMEOUT_MS)
    finally:
        pane.scan_finished.disconnect(reports.append)
        pane.files_changed.disconnect(on_files)
    assert len(reports) == 1 and not pane.scanning
    return reports[0]


def ask(qtbot, win: MainWindow, pane: DocumentsPane, question: str, *, stop: bool = False):
    """Type ``question`` and press Enter; the sources the model was given (retrieved before it
    runs; the list under the answer may shrink to those cited). With ``stop``, Stop is
    clicked as soon as the model starts (only the sources matter)."""
    given: list[list[Source]] = []

    def on_started(_rid: int) -> None:
        given.append(pane.sources)
        if stop:
            qtbot.mouseClick(pane.stop_button, Qt.MouseButton.LeftButton)

    win.controller.generation_started.connect(on_started)
    pane.question_edit.clear()
    if question.isascii():
        qtbot.keyClicks(pane.question_edit, question)
    else:  # QTest types only Latin-1 (Qt aborts on others); Chinese comes from an input method
        pane.question_edit.insert(question)
    try:
        with qtbot.wait_signal(pane.answer_finished, timeout=HANG_TIMEOUT_MS):
            qtbot.keyClick(pane.question_edit, Qt.Key.Key_Return)
            assert pane.busy
    finally:
        win.controller.generation_started.disconnect(on_started)
    assert not pane.busy
    assert len(given) <= 1
    return given[0] if given else []


@pytest.fixture
def opened_urls(monkeypatch) -> list[QUrl]:
    """What the app asked the system to open (nothing is opened)."""
    urls: list[QUrl] = []
    monkeypatch.setattr(
        documents_pane.QDesktopServices, "openUrl", lambda url: urls.append(url) or True
    )
    return urls


def click_source(qtbot, pane: DocumentsPane, row: int) -> None:
    """A mouse click on the ``row``-th source under the answer."""
    rect = pane.sources_list.visualItemRect(pane.sources_list.item(row))
    qtbot.mouseClick(pane.sources_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def source_links(pane: DocumentsPane) -> list[int]:
    """The source numbers the answer's links point at."""
    html = pane.answer_view.toHtml()
    return [int(n) for n in re.findall(r'href="#source-(\d+)"', html)]


def link_anchors(view: QTextBrowser) -> Iterator[tuple[str, int]]:
    """(href, position in the document) of each link in ``view``."""
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.charFormat().isAnchor():
                yield fragment.charFormat().anchorHref(), fragment.position()
            it += 1
        block = block.next()


def click_link(qtbot, view: QTextBrowser, href: str) -> None:
    """A mouse click on the first link to ``href`` in ``view``."""
    position = next(p for h, p in link_anchors(view) if h == href)
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    at = rect.center()
    at.setX(rect.right() + 2)  # inside the link's first character
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def names(pane: DocumentsPane, status: str) -> list[str]:
    return sorted(f.path.name for f in pane.files_model.files if f.status == status)


# ---------------------------------------------------------------------- indexing


def test_a_mixed_folder_with_bad_input_is_indexed_in_the_background_and_rescanned(
    qtbot, open_app, tmp_path, monkeypatch
):
    folder = write_documents(tmp_path)
    write_bad_input(folder, tmp_path)
    mid_scan = MidScan(monkeypatch, folder / "vanishing.txt")
    win = open_app(tmp_path / "data")
    pane = open_documents(qtbot, win)
    progress: list[ScanProgress] = []
    pane.scan_progressed.connect(progress.append)
    ticks: list[bool] = []  # a timer of the GUI thread: whether a scan ran at each tick
    timer = QTimer(win)
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(pane.scanning))

    def add_and_look_mid_scan() -> None:
        timer.start()
        pane.add_paths([folder])
        try:
            qtbot.wait_until(mid_scan.reached.is_set, timeout=HANG_TIMEOUT_MS)
            # The scan is held in the middle of a file, on a thread that is not the GUI's.
            assert mid_scan.thread is not threading.main_thread()
            assert pane.scanning and pane.scan_box.isVisible() and pane.scan_bar.isVisible()
            qtbot.wait_until(lambda: bool(progress), timeout=HANG_TIMEOUT_MS)
            assert "files" in pane.scan_label.text()  # "Looking for files…", "7 of 10 files…"
            assert not pane.add_folder_button.isEnabled() and pane.stop_scan_button.isEnabled()
            # The window goes on: its timers fire and the user can type a question.
            seen = len(ticks)
            qtbot.wait_until(lambda: ticks[seen:].count(True) >= 3, timeout=HANG_TIMEOUT_MS)
            qtbot.keyClicks(pane.question_edit, ENGLISH_QUESTION)
            assert pane.question_edit.text() == ENGLISH_QUESTION
            assert pane.ask_button.isEnabled()  # asking what is indexed so far is allowed
            assert pane.scanning
        finally:
            mid_scan.resume.set()

    report = scanned(qtbot, pane, add_and_look_mid_scan)
    timer.stop()

    assert all(p.collection == "default" for p in progress)
    assert max(p.files_total for p in progress) >= 1
    assert not report.cancelled
    assert (report.added, report.failed) == (5, 4)
    # Every bad file has its line, under Details, naming it; the rest is indexed.
    lines = dict(line.split(": ", 1) for line in pane.report_lines)
    assert sorted(lines) == sorted(
        ["locked.pdf", "broken.pdf", "binary.txt", "server.log", "vanishing.txt"]
    )
    assert "password" in lines["locked.pdf"]
    assert "not a readable PDF" in lines["broken.pdf"]
    assert "binary data" in lines["binary.txt"]
    assert "2.0 GiB" in lines["server.log"] and "skipped" in lines["server.log"]
    assert f"{MAX_FILE_BYTES / 2**20:.1f} MiB" in lines["server.log"]
    assert "disappeared" in lines["vanishing.txt"]
    assert "5 new or changed" in pane.report_label.text()
    assert "5 files could not be read" in pane.report_label.text()
    assert pane.details_button.isVisible() and not pane.problems_list.isVisible()
    qtbot.mouseClick(pane.details_button, Qt.MouseButton.LeftButton)
    assert pane.problems_list.isVisible()
    assert names(pane, "indexed") == sorted(GOOD)
    assert names(pane, "failed") == ["binary.txt", "broken.pdf", "locked.pdf", "server.log"]
    model = pane.files_model
    statuses = {f.path.name: model.data(model.index(row, 1)) for row, f in enumerate(model.files)}
    assert statuses["keeper-report.pdf"] == "Indexed · 2 passages"  # one per page
    assert statuses["broken.pdf"] == "Failed"
    assert "4 could not be read" in pane.files_label.text()
    with DocumentIndex(pane.index_path) as index:
        hits = index.search("walnut", collection="default")
        assert [(h.path.name, h.page) for h in hits] == [("keeper-report.pdf", 2)]
        assert [h.path.name for h in index.search("采摘春茶")] == ["茶园.txt"]
        assert [h.section for h in index.search("ferry")] == ["Harbour notes > Boats"]
        assert index.search("herons") == []

    # The user edits a file; the next scan picks it up and reads nothing else that is good.
    notes = folder / "notes.md"
    before = notes.stat()
    notes.write_text(NOTES.replace("cormorant", "puffin"), encoding="utf-8")
    os.utime(notes, ns=(before.st_atime_ns, before.st_mtime_ns + 2_000_000_000))
    rescan = scanned(
        qtbot, pane, lambda: qtbot.mouseClick(pane.rescan_button, Qt.MouseButton.LeftButton)
    )
    assert (rescan.added, rescan.updated, rescan.unchanged, rescan.removed) == (0, 1, 4, 0)
    assert "1 new or changed" in pane.report_label.text()
    assert sorted(p.path.name for p in rescan.problems) == [
        "binary.txt", "broken.pdf", "locked.pdf", "server.log"  # still bad, still lines
    ]  # fmt: skip
    assert names(pane, "indexed") == sorted(GOOD)
    with DocumentIndex(pane.index_path) as index:
        found = retrieve(index, "Who watches puffins from the ferry?", collection="default")
        assert [(s.path.name, s.section) for s in found] == [("notes.md", "Harbour notes > Boats")]
        assert "puffin watchers" in found[0].text
        assert index.search("cormorant") == []  # the old text is gone
        assert "puffin" in " ".join(c.text for c in index.chunks(notes))


# ---------------------------------------------------------------------- asking


def test_questions_in_english_and_chinese_are_answered_with_clickable_sources(
    qtbot, open_app, tmp_path, opened_urls
):
    folder = write_documents(tmp_path)
    win = open_app(tmp_path / "data")
    pane = open_documents(qtbot, win)
    report = scanned(qtbot, pane, lambda: pane.add_paths([folder]))
    assert report.added == 5 and report.problems == []

    # English: the fact is on the PDF's page 2 and nowhere else.
    given = ask(qtbot, win, pane, ENGLISH_QUESTION)
    pdf = folder / "keeper-report.pdf"
    assert [(s.number, s.where()) for s in given] == [(1, "keeper-report.pdf, page 2")]
    assert "walnut oil" in given[0].text
    assert pane.answer.strip()  # what the small model says is not judged, only the mechanics
    assert pane.sources == given  # one passage: cited or not, it is the one listed
    assert pane.sources_list.isVisible() and pane.sources_list.count() == 1
    assert pane.sources_list.item(0).text() == "[1] keeper-report.pdf, page 2"
    links = source_links(pane)
    assert set(links) <= {s.number for s in pane.sources}  # no link to an unlisted source
    assert "[2]" not in pane.answer and "[3]" not in pane.answer  # citations of nothing go
    assert not pane.passage_label.isVisible()
    if links:  # the model cited its passage: the link shows it
        click_link(qtbot, pane.answer_view, f"#source-{links[0]}")
    else:
        pane.answer_view.anchorClicked.emit(QUrl("#source-1"))
    assert pane.passage_label.isVisible() and "walnut oil" in pane.passage_label.text()
    click_source(qtbot, pane, 0)
    assert [(u.toLocalFile(), u.fragment()) for u in opened_urls] == [(str(pdf), "page=2")]

    # Chinese: the tea garden's file is the source, and opens.
    given = ask(qtbot, win, pane, CHINESE_QUESTION)
    assert given and given[0].path == folder / "茶园.txt"
    assert pane.answer.strip()
    assert {s.number for s in pane.sources} <= {s.number for s in given}
    assert set(source_links(pane)) <= {s.number for s in pane.sources}
    assert pane.sources[0].path == folder / "茶园.txt"
    assert pane.sources_list.item(0).text().startswith(f"[{pane.sources[0].number}] 茶园.txt")
    click_source(qtbot, pane, 0)
    assert opened_urls[-1].toLocalFile() == str(folder / "茶园.txt")
    assert opened_urls[-1].fragment() == ""


# ---------------------------------------------------------------------- by meaning


def test_with_the_e5_embedder_a_question_finds_a_passage_without_a_common_word(
    qtbot, open_app, tmp_path, embedder_path
):
    folder = write_documents(tmp_path)
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    shutil.copy(embedder_path, data / "models" / "multilingual-e5-small.gguf")
    win = open_app(data)
    pane = open_documents(qtbot, win)
    scanned(qtbot, pane, lambda: pane.add_paths([folder]))

    # Words alone: no passage shares a word with the question, and the model is not asked.
    assert ask(qtbot, win, pane, MEANING_QUESTION) == []
    assert NOTHING_FOUND.split(",")[0] in pane.answer_view.toPlainText()

    combo = pane.embedder_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Off (words only)",
        "multilingual-e5-small",
    ]
    picker = [win.model_picker.itemText(i) for i in range(win.model_picker.count())]
    assert "multilingual-e5-small" not in picker  # an embedder cannot chat

    # Choosing it starts it and gives the collection's passages their vectors (a rescan).
    def choose_e5() -> None:  # as a user's pick in the combo does
        combo.setCurrentIndex(1)
        combo.activated.emit(1)

    report = scanned(qtbot, pane, choose_e5)
    assert report.unchanged == 5 and report.problems == []
    assert pane.embedder is not None
    with DocumentIndex(pane.index_path) as index:
        passages = sum(f.chunks for f in index.files("default"))
        assert index.embedding_counts(pane.embedder.model_id) == (passages, passages)

    # The tea garden is what the model is given (Stop: only the sources matter here).
    given = ask(qtbot, win, pane, MEANING_QUESTION, stop=True)
    assert [s.path.name for s in given] == ["茶园.txt"]
    assert not pane.busy


# multilingual-e5-small puts any two Chinese texts at a cosine of about 0.81-0.83, whatever they
# are about: its match threshold (0.84, and above the collection's median) keeps an unrelated
# Chinese question from "matching" every Chinese passage.
def test_with_the_e5_embedder_an_unrelated_chinese_question_finds_nothing(
    qtbot, open_app, tmp_path, embedder_path
):
    folder = write_documents(tmp_path)
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    shutil.copy(embedder_path, data / "models" / "multilingual-e5-small.gguf")
    win = open_app(data)
    pane = open_documents(qtbot, win)
    combo = pane.embedder_combo
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    qtbot.wait_until(lambda: pane.embedder is not None, timeout=HANG_TIMEOUT_MS)
    report = scanned(qtbot, pane, lambda: pane.add_paths([folder]))
    assert report.added == 5
    with DocumentIndex(pane.index_path) as index:
        passages = sum(f.chunks for f in index.files("default"))
        assert index.embedding_counts(pane.embedder.model_id) == (passages, passages)
    # The same in English finds nothing, as it should.
    assert ask(qtbot, win, pane, "How is the stock market today?", stop=True) == []
    given = ask(qtbot, win, pane, UNRELATED_QUESTION, stop=True)
    assert [s.path.name for s in given] == []
