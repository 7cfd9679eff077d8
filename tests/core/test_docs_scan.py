"""Scanning real files into the document index: provenance (PDF pages, Markdown and Word
headings), passages, incremental rescans, bad input, vanishing files, cancel, progress."""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from gptdesk.core.documents.index import DocumentIndex
from gptdesk.core.documents.passages import PASSAGE_WORDS, iter_passages, word_count
from gptdesk.core.documents.scan import (
    ScanEvent,
    ScanFinished,
    ScanLimits,
    ScanProgress,
    ScanReport,
    run_scan,
    scan,
)
from gptdesk.core.writing.documents import Document, markdown_headings, read_document
from tests.core.conftest import REPO_ROOT
from tests.core.test_documents import encrypted, make_docx, make_pdf
from tests.waits import HANG_TIMEOUT_S

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_styled_docx(paragraphs: list[tuple[str | None, str]], styles: dict[str, str]) -> bytes:
    """A .docx whose paragraphs have the given style ids; ``styles``: id -> style name, written
    to word/styles.xml (Chinese Word names its heading styles' ids "1", "2", ...)."""

    def paragraph(style: str | None, text: str) -> str:
        props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f'<w:p>{props}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    body = "".join(paragraph(style, text) for style, text in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", f"<w:document {W_NS}><w:body>{body}</w:body></w:document>"
        )
        if styles:
            defined = "".join(
                f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/></w:style>'
                for sid, name in styles.items()
            )
            archive.writestr("word/styles.xml", f"<w:styles {W_NS}>{defined}</w:styles>")
    return out.getvalue()


@pytest.fixture
def index(tmp_path: Path) -> Iterator[DocumentIndex]:
    opened = DocumentIndex(tmp_path / "data" / "documents.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def prose(topic: str, sentences: int) -> str:
    return " ".join(
        f"Sentence {i} tells more about {topic} and its history." for i in range(sentences)
    )


def lines(report: ScanReport) -> dict[str, str]:
    """The report's problems by file name."""
    return {p.path.name: p.message for p in report.problems}


# ---------------------------------------------------------------------- provenance


def test_a_multi_page_pdf_gives_each_passage_its_page(index: DocumentIndex, docs: Path) -> None:
    pages = ["Apples grow on trees.", "", "Pears are green.", "Plums are purple."]
    (docs / "fruit.pdf").write_bytes(make_pdf(pages))
    document = read_document(docs / "fruit.pdf")
    assert len(document.page_starts) == 4  # also the empty page
    assert document.page_at(document.text.index("Plums")) == 4
    report = run_scan(index, "default", [docs])
    assert (report.added, report.chunks, report.problems) == (1, 3, [])
    assert [(c.page, c.text) for c in index.chunks(docs / "fruit.pdf")] == [
        (1, "Apples grow on trees."),
        (3, "Pears are green."),
        (4, "Plums are purple."),
    ]
    plums = index.search("plums")[0]
    assert (plums.page, plums.text) == (4, "Plums are purple.")
    assert document.text[plums.start : plums.end] == plums.text


def test_markdown_headings_become_section_paths(index: DocumentIndex, docs: Path) -> None:
    (docs / "guide.md").write_text(
        "Intro text.\n\n# Guide\n\n## Install\n\nRun the installer.\n\n### Linux\n\n"
        "Use the package manager.\n\n```sh\n# not a heading\nmake\n```\n\nOther\n=====\n\n"
        "Closing words about gardens.\n",
        encoding="utf-8",
    )
    run_scan(index, "default", [docs])
    assert [(c.section, c.text.split("\n")[0]) for c in index.chunks(docs / "guide.md")] == [
        (None, "Intro text."),
        ("Guide > Install", "# Guide"),  # a heading with no text of its own joins the next
        ("Guide > Install > Linux", "### Linux"),  # the code block's "#" is no heading
        ("Other", "Other"),
    ]
    assert index.search("installer")[0].section == "Guide > Install"


def test_markdown_front_matter_and_setext_headings() -> None:
    text = "---\ntitle: Notes\n---\n\nTitle\n=====\n\nBody.\n\nPart two\n--------\n\nMore.\n"
    found = [(h.level, h.title, text[h.start : h.start + 5]) for h in markdown_headings(text)]
    assert found == [(1, "Title", "Title"), (2, "Part two", "Part ")]


def test_word_heading_styles_become_section_paths(index: DocumentIndex, docs: Path) -> None:
    chinese_ids = make_styled_docx(
        [("1", "第一章"), (None, "正文讲的是模型。"), ("2", "第一节"), (None, "这里讲数据。")],
        {"1": "heading 1", "2": "heading 2"},
    )
    (docs / "zh.docx").write_bytes(chinese_ids)
    english_ids = make_styled_docx(
        [("Heading1", "Budget"), (None, "Costs rose."), ("Heading2", "Travel"), (None, "Trains.")],
        {},  # no styles.xml: Word's English style ids
    )
    (docs / "en.docx").write_bytes(english_ids)
    document = read_document(docs / "zh.docx")
    assert document.text == "第一章\n\n正文讲的是模型。\n\n第一节\n\n这里讲数据。\n"
    assert [(h.level, h.title) for h in document.headings] == [(1, "第一章"), (2, "第一节")]
    run_scan(index, "default", [docs])
    assert index.search("数据")[0].section == "第一章 > 第一节"
    assert index.search("trains")[0].section == "Budget > Travel"


def test_passages_are_slices_of_a_few_hundred_words_with_overlap() -> None:
    text = "\n\n".join(prose(f"topic {n}", 8) for n in range(30))  # about 2,400 words
    document = Document(text, "t", "text")
    passages = list(iter_passages(document))
    assert len(passages) >= 6
    for passage in passages:
        assert passage.text == text[passage.start : passage.end]
        assert 150 <= word_count(passage.text) <= PASSAGE_WORDS + 40
    for before, after in itertools.pairwise(passages):
        assert after.start < before.end  # they overlap
        assert before.end - after.start < 400  # by a little
    chinese = "。".join("机器学习模型需要大量的数据来训练" for _ in range(300)) + "。"
    sizes = [len(p.text) for p in iter_passages(Document(chinese, "z", "text"))]
    assert max(sizes) <= 1100 and min(sizes) >= 400


# ---------------------------------------------------------------------- incremental


def test_rescans_skip_confirm_update_and_remove(index: DocumentIndex, docs: Path) -> None:
    (docs / "keep.txt").write_text("Notes about the harbour crane.", encoding="utf-8")
    (docs / "touch.md").write_text("# Boats\n\nThe ferry leaves at noon.", encoding="utf-8")
    (docs / "edit.txt").write_text("The old plan used a zeppelin.", encoding="utf-8")
    (docs / "gone.txt").write_text("A file about lanterns.", encoding="utf-8")
    first = run_scan(index, "default", [docs])
    assert (first.added, first.updated, first.failed) == (4, 0, 0)

    again = run_scan(index, "default")
    assert (again.unchanged, again.added, again.updated, again.confirmed, again.chunks) == (
        4, 0, 0, 0, 0,
    )  # fmt: skip

    chunk_ids = [c.chunk_id for c in index.chunks(docs / "touch.md")]
    info = (docs / "touch.md").stat()
    os.utime(docs / "touch.md", ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    edit_info = (docs / "edit.txt").stat()
    (docs / "edit.txt").write_text("The new plan uses a balloon.", encoding="utf-8")
    os.utime(docs / "edit.txt", ns=(edit_info.st_atime_ns, edit_info.st_mtime_ns + 10**9))
    (docs / "gone.txt").unlink()
    (docs / "new.txt").write_text("A new file about kites.", encoding="utf-8")

    third = run_scan(index, "default")
    assert (third.unchanged, third.confirmed, third.updated, third.added, third.removed) == (
        1, 1, 1, 1, 1,
    )  # fmt: skip
    assert [c.chunk_id for c in index.chunks(docs / "touch.md")] == chunk_ids  # not re-chunked
    assert index.search("zeppelin") == []
    assert index.search("balloon")[0].path == docs / "edit.txt"
    assert index.search("lanterns") == []
    assert docs / "gone.txt" not in [f.path for f in index.files()]
    assert index.search("kites")[0].path == docs / "new.txt"
    touched = next(f for f in index.files() if f.path.name == "touch.md")
    assert touched.mtime_ns == (docs / "touch.md").stat().st_mtime_ns


def test_a_removed_file_stays_out_until_added_again(index: DocumentIndex, docs: Path) -> None:
    (docs / "a.txt").write_text("Apricots.", encoding="utf-8")
    (docs / "b.txt").write_text("Bananas.", encoding="utf-8")
    run_scan(index, "default", [docs])
    index.remove(docs / "b.txt")
    assert run_scan(index, "default").added == 0
    assert index.search("bananas") == []
    assert run_scan(index, "default", [docs / "b.txt"]).added == 1
    assert index.search("bananas")[0].path == docs / "b.txt"


def test_a_missing_added_folder_is_removed_or_kept_by_whether_its_parent_is_there(
    index: DocumentIndex, tmp_path: Path
) -> None:
    deleted = tmp_path / "deleted"
    drive = tmp_path / "drive"
    (drive / "docs").mkdir(parents=True)
    deleted.mkdir()
    (deleted / "a.txt").write_text("Walnuts.", encoding="utf-8")
    (drive / "docs" / "b.txt").write_text("Chestnuts.", encoding="utf-8")
    run_scan(index, "default", [deleted, drive / "docs"])
    (deleted / "a.txt").unlink()
    deleted.rmdir()
    (drive / "docs" / "b.txt").unlink()
    (drive / "docs").rmdir()
    drive.rmdir()  # as if the drive were unplugged: its mount point went with it
    report = run_scan(index, "default")
    assert "no longer exists" in lines(report)["deleted"]
    assert "is its drive connected" in lines(report)["docs"]
    assert report.removed == 1
    assert index.search("walnuts") == []
    assert index.search("chestnuts")[0].path == drive / "docs" / "b.txt"
    assert [r.path for r in index.roots()] == [drive / "docs"]


# ---------------------------------------------------------------------- bad input


def test_bad_files_each_get_a_line_and_the_rest_is_indexed(
    index: DocumentIndex, docs: Path, tmp_path: Path
) -> None:
    (docs / "good.md").write_text("# Fine\n\nThe good file talks about owls.", encoding="utf-8")
    locked = encrypted(make_pdf(["Secret text."]), "hunter2", tmp_path)
    locked.rename(docs / "locked.pdf")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (docs / "huge.txt").write_text("word " * 2000, encoding="utf-8")  # 10 kB over a 4 kB limit
    (docs / "empty.md").write_text("   \n", encoding="utf-8")
    (docs / ".hidden.txt").write_text("Hidden owls.", encoding="utf-8")
    (docs / ".git").mkdir()
    (docs / ".git" / "notes.txt").write_text("Owls in git.", encoding="utf-8")
    (docs / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    limits = ScanLimits(max_file_bytes=4096)

    report = run_scan(index, "default", [docs, docs / "missing.txt"], limits=limits)

    found = lines(report)
    assert "password" in found["locked.pdf"]
    assert "not a readable PDF" in found["broken.pdf"]
    assert "binary data" in found["binary.txt"]
    assert "4.0 KiB" in found["huge.txt"] and "skipped" in found["huge.txt"]
    assert "has no text" in found["empty.md"]
    assert "does not exist" in found["missing.txt"]
    assert len(found) == 6
    assert (report.added, report.failed, report.ignored) == (1, 5, 3)  # hidden x2, png
    assert [h.path.name for h in index.search("owls")] == ["good.md"]
    failed = {f.path.name: f.error for f in index.files() if f.status == "failed"}
    assert failed.keys() == {"locked.pdf", "broken.pdf", "binary.txt", "huge.txt", "empty.md"}
    assert failed["binary.txt"] == found["binary.txt"]


def unsupported_zip_method(data: bytes) -> bytes:
    """A zip whose entries claim compression method 99 (7-Zip's AES): ``zipfile`` raises
    NotImplementedError, which the .docx reader does not expect."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = patched.find(signature)
        while at != -1:
            patched[at + offset : at + offset + 2] = (99).to_bytes(2, "little")
            at = patched.find(signature, at + 4)
    return bytes(patched)


def test_a_reader_failing_in_an_unexpected_way_is_a_line(index: DocumentIndex, docs: Path) -> None:
    (docs / "aes.docx").write_bytes(unsupported_zip_method(make_docx(["Locked words."])))
    (docs / "fine.txt").write_text("Plain words about cranes.", encoding="utf-8")
    report = run_scan(index, "default", [docs])
    assert "could not be read (NotImplementedError:" in lines(report)["aes.docx"]
    assert report.added == 1 and report.failed == 1
    assert index.search("cranes")[0].path == docs / "fine.txt"


def test_a_file_that_vanishes_mid_scan_is_a_line(index: DocumentIndex, docs: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (docs / name).write_text(f"File {name} mentions herons.", encoding="utf-8")
    report = None
    for event in scan(index, "default", [docs]):
        if isinstance(event, ScanProgress) and event.current == docs / "b.txt":
            (docs / "b.txt").unlink()  # after the listing, before it is read
        if isinstance(event, ScanFinished):
            report = event.report
    assert report is not None
    assert "disappeared" in lines(report)["b.txt"]
    assert sorted(h.path.name for h in index.search("herons")) == ["a.txt", "c.txt"]
    assert report.added == 2


# Root reads every file whatever its mode: as root the scan runs in a child process that has
# lost the capabilities that let it do so (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH).
AS_PLAIN_ROOT = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
SCAN_LOCKED = """
import json, sys
from pathlib import Path
from gptdesk.core.documents.index import DocumentIndex
from gptdesk.core.documents.scan import run_scan
report = run_scan(DocumentIndex(Path(sys.argv[1])), "default", [Path(sys.argv[2])])
problems = [[str(p.path), p.message] for p in report.problems]
print(json.dumps({"added": report.added, "problems": problems}))
"""


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_unreadable_file_and_folder_are_lines(
    index: DocumentIndex, docs: Path, tmp_path: Path
) -> None:
    (docs / "ok.txt").write_text("Readable swans.", encoding="utf-8")
    (docs / "secret.txt").write_text("Unreadable.", encoding="utf-8")
    (docs / "closed").mkdir()
    (docs / "secret.txt").chmod(0)
    (docs / "closed").chmod(0)
    try:
        if os.geteuid() == 0:
            db = tmp_path / "locked.sqlite3"
            child = [sys.executable, "-c", SCAN_LOCKED, str(db), str(docs)]
            done = subprocess.run(
                [*AS_PLAIN_ROOT, *child],
                capture_output=True,
                text=True,
                timeout=HANG_TIMEOUT_S,
                check=True,
                cwd=REPO_ROOT,
                env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            )
            result = json.loads(done.stdout)
            added = result["added"]
            found = {Path(path).name: message for path, message in result["problems"]}
        else:
            report = run_scan(index, "default", [docs])
            added, found = report.added, lines(report)
    finally:
        (docs / "secret.txt").chmod(0o644)
        (docs / "closed").chmod(0o755)
    assert "cannot be read" in found["secret.txt"]
    assert "cannot be opened" in found["closed"]
    assert added == 1


# ---------------------------------------------------------------------- cancel and progress


def test_cancel_between_files_keeps_what_was_done(index: DocumentIndex, docs: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (docs / name).write_text(f"File {name} mentions badgers.", encoding="utf-8")
    cancel = threading.Event()
    events: list[ScanEvent] = []
    for event in scan(index, "default", [docs], cancel=cancel):
        events.append(event)
        if isinstance(event, ScanProgress) and event.current == docs / "b.txt":
            cancel.set()  # Stop pressed while b.txt is about to be read
    finished = events[-1]
    assert isinstance(finished, ScanFinished) and finished.report.cancelled
    assert finished.report.added == 1
    assert [h.path.name for h in index.search("badgers")] == ["a.txt"]
    rest = run_scan(index, "default")
    assert (rest.unchanged, rest.added) == (1, 2)


def test_cancel_inside_a_big_file_rolls_that_file_back(index: DocumentIndex, docs: Path) -> None:
    big = docs / "big.txt"
    big.write_text("The first version is about pelicans.", encoding="utf-8")
    run_scan(index, "default", [docs])
    # 600 short paragraphs: 600 passages at 5 words each, more than one batch of writes.
    big.write_text("\n\n".join(f"Paragraph {i} is about cormorants." for i in range(600)))
    cancel = threading.Event()
    limits = ScanLimits(max_words=5, overlap_words=0)
    report = None
    for event in scan(index, "default", cancel=cancel, limits=limits):
        if isinstance(event, ScanProgress) and event.current == big:
            cancel.set()
        if isinstance(event, ScanFinished):
            report = event.report
    assert report is not None and report.cancelled and report.updated == 0
    assert index.search("cormorants") == []
    assert index.search("pelicans")[0].path == big
    assert run_scan(index, "default", limits=limits).chunks == 600


def test_progress_counts_files_and_bytes_with_an_eta(index: DocumentIndex, docs: Path) -> None:
    sizes = {}
    for n in range(4):
        path = docs / f"f{n}.txt"
        path.write_text(prose(f"river {n}", 20 * (n + 1)), encoding="utf-8")
        sizes[path] = path.stat().st_size
    events = [e for e in scan(index, "default", [docs]) if isinstance(e, ScanProgress)]
    reading = [e for e in events if not e.listing]
    assert [e.current for e in reading] == sorted(sizes)
    assert [e.files_done for e in reading] == [0, 1, 2, 3]
    assert {e.files_total for e in reading} == {4}
    assert {e.bytes_total for e in reading} == {sum(sizes.values())}
    assert reading[0].bytes_done == 0 and reading[0].eta_s is None
    assert reading[-1].bytes_done == sum(sizes.values()) - sizes[docs / "f3.txt"]
    assert all(e.eta_s is not None and e.eta_s >= 0 for e in reading[1:])


def test_a_scan_runs_in_a_worker_thread_while_another_connection_searches(
    tmp_path: Path, docs: Path
) -> None:
    for n in range(20):
        (docs / f"n{n}.txt").write_text(prose(f"otters {n}", 30), encoding="utf-8")
    path = tmp_path / "data" / "documents.sqlite3"
    reports: list[ScanReport] = []

    def work() -> None:
        with DocumentIndex(path) as own:  # each thread its own connection
            reports.append(run_scan(own, "default", [docs]))

    with DocumentIndex(path) as window:
        worker = threading.Thread(target=work)
        worker.start()
        while worker.is_alive():
            window.search("otters")  # WAL: reading never waits for the writer
        worker.join()
        assert reports[0].added == 20
        assert len(window.search("otters", k=50)) == 20
