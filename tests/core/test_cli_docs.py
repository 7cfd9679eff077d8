"""``gptdesk docs ...`` run as a real process: add, list, search (text and JSON), remove,
reindex, collections, bad input, one-line errors and Ctrl+C."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.core.conftest import REPO_ROOT, wait_until
from tests.core.test_documents import make_pdf
from tests.waits import HANG_TIMEOUT_S

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def docs_cli(gptdesk_cli: Cli, data_dir: Path) -> Cli:
    """``docs_cli(*args)``: ``gptdesk --data-dir DATA docs *args``."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return gptdesk_cli("--data-dir", str(data_dir), "docs", *args)

    return run


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A folder with a Markdown guide, a two-page PDF, a Chinese note and a binary .txt."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "guide.md").write_text(
        "# Guide\n\n## Install\n\nRun the installer and restart the computer.\n", encoding="utf-8"
    )
    (folder / "fruit.pdf").write_bytes(
        make_pdf(["Apples grow on trees in the orchard.", "Pears ripen late in autumn."])
    )
    (folder / "note.txt").write_text("我们训练了一个新的模型，它回答问题。\n", encoding="utf-8")
    (folder / "weather.txt").write_text("今天天气很好，我们去公园散步。\n", encoding="utf-8")
    (folder / "recipe.txt").write_text("Bake the bread for forty minutes.\n", encoding="utf-8")
    (folder / "data.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    return folder


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gptdesk: ")
    return lines[0]


def test_add_indexes_and_reports_each_problem(docs_cli: Cli, library: Path) -> None:
    missing = library.parent / "missing.md"
    result = docs_cli("add", str(library), str(missing))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "default: 5 indexed (6 passages), 1 with problems."
    assert "Traceback" not in result.stderr
    assert f"{library / 'data.txt'}: data.txt holds binary data" in result.stderr
    assert f"{missing}: missing.md does not exist" in result.stderr

    listing = docs_cli("list")
    assert listing.returncode == 0
    out = listing.stdout
    assert "default: 6 files, 6 passages, 1 with problems" in out
    assert f"  added: {library}" in out
    assert f"  {library / 'fruit.pdf'}\tindexed\t2 passages" in out
    assert f"  {library / 'data.txt'}\tfailed\tdata.txt holds binary data" in out


def test_search_json_has_the_promised_shape(docs_cli: Cli, library: Path) -> None:
    assert docs_cli("add", str(library)).returncode == 0
    result = docs_cli("search", "pears autumn", "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert isinstance(hits, list) and hits
    first = hits[0]
    assert first["path"] == str(library / "fruit.pdf")
    assert Path(first["path"]).is_absolute()
    assert first["text"] == "Pears ripen late in autumn."
    assert first["page"] == 2 and first["section"] is None
    assert isinstance(first["score"], float)
    for hit in hits:
        assert {"path", "text", "score", "page", "section"} <= hit.keys()
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)  # best first

    section = json.loads(docs_cli("search", "installer", "--json").stdout)
    assert section[0]["section"] == "Guide > Install" and section[0]["page"] is None

    chinese = json.loads(docs_cli("search", "模型", "--json").stdout)
    assert [Path(h["path"]).name for h in chinese] == ["note.txt"]
    assert chinese[0]["text"] == "我们训练了一个新的模型，它回答问题。"

    assert json.loads(docs_cli("search", "submarine", "--json").stdout) == []
    two = json.loads(docs_cli("search", "the apples bread installer", "--k", "2", "--json").stdout)
    assert len(two) == 2


def test_search_text_output_is_numbered_lines(docs_cli: Cli, library: Path) -> None:
    docs_cli("add", str(library))
    result = docs_cli("search", "pears")
    assert result.returncode == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"1. {library / 'fruit.pdf'}, page 2 (")
    assert lines[0].endswith("): Pears ripen late in autumn.")
    guide = docs_cli("search", "installer").stdout
    assert guide.startswith(f"1. {library / 'guide.md'}, Guide > Install (")
    nothing = docs_cli("search", "submarine")
    assert nothing.returncode == 0 and nothing.stdout == ""
    assert "No passages match" in nothing.stderr


def test_remove_and_reindex(docs_cli: Cli, library: Path) -> None:
    docs_cli("add", str(library))
    removed = docs_cli("remove", str(library / "recipe.txt"))
    assert removed.returncode == 0
    assert removed.stdout.strip() == f"Removed {library / 'recipe.txt'} from the index (1 file)."
    assert json.loads(docs_cli("search", "bread", "--json").stdout) == []

    (library / "guide.md").write_text("# Guide\n\nNow it is about kayaks.\n", encoding="utf-8")
    (library / "weather.txt").unlink()
    result = docs_cli("reindex")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "default: 1 indexed (1 passage), 2 unchanged, 1 removed, 1 with problems."
    )
    assert json.loads(docs_cli("search", "installer", "--json").stdout) == []
    assert json.loads(docs_cli("search", "kayaks", "--json").stdout)[0]["section"] == "Guide"
    assert json.loads(docs_cli("search", "bread", "--json").stdout) == []  # stays removed

    error = assert_one_line_error(docs_cli("remove", str(library / "nothing-here")))
    assert "is not in the document index" in error


def test_collections_keep_documents_apart(docs_cli: Cli, library: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "memo.txt").write_text("The budget meeting moves to Friday.\n", encoding="utf-8")
    assert docs_cli("add", str(library)).returncode == 0
    added = docs_cli("add", str(work), "--collection", "work")
    assert added.returncode == 0 and added.stdout.startswith("work: 1 indexed")
    hits = json.loads(docs_cli("search", "budget pears", "--json", "--collection", "work").stdout)
    assert [Path(h["path"]).name for h in hits] == ["memo.txt"]
    everywhere = json.loads(docs_cli("search", "budget pears", "--json").stdout)
    assert {Path(h["path"]).name for h in everywhere} == {"memo.txt", "fruit.pdf"}
    assert "work: 1 file, 1 passage" in docs_cli("list", "--collection", "work").stdout
    reindexed = docs_cli("reindex", "--collection", "work")
    assert reindexed.stdout.strip() == "work: 0 indexed (0 passages), 1 unchanged."
    error = assert_one_line_error(docs_cli("search", "x", "--collection", "nope"))
    assert "no collection named nope" in error


def test_nothing_indexable_exits_1(docs_cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    result = docs_cli("add", str(bad))
    assert result.returncode == 1
    assert f"{bad}: bad.pdf is not a readable PDF" in result.stderr
    assert result.stderr.strip().endswith(
        "gptdesk: nothing could be indexed (see the lines above)."
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "picture.png").write_bytes(b"\x89PNG")
    error = assert_one_line_error(docs_cli("add", str(empty)))
    assert "no documents found" in error
    assert docs_cli("list").stdout.count("failed") == 1


def indexed_files(database: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            return int(
                db.execute("SELECT count(*) FROM files WHERE status='indexed'").fetchone()[0]
            )
        finally:
            db.close()
    except sqlite3.Error:
        return 0  # not made yet


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child needs a console group")
def test_ctrl_c_stops_a_scan_and_keeps_what_is_done(
    docs_cli: Cli, gptdesk_env: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "books"
    folder.mkdir()
    for n in range(6):  # about half a second of reading each
        pages = [f"Book {n} page {p} tells of the sea and ships." for p in range(500)]
        (folder / f"book{n}.pdf").write_bytes(make_pdf(pages))
    process = subprocess.Popen(
        [sys.executable, "-m", "gptdesk", "--data-dir", str(data_dir), "docs", "add", str(folder)],
        env=gptdesk_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=REPO_ROOT,
    )
    try:
        wait_until(lambda: indexed_files(data_dir / "documents.sqlite3") >= 1)
        process.send_signal(signal.SIGINT)
        _stdout, stderr = process.communicate(timeout=HANG_TIMEOUT_S)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "Stopped; what was indexed stays." in stderr
    done = indexed_files(data_dir / "documents.sqlite3")
    assert 1 <= done < 6
    finish = docs_cli("reindex")
    assert finish.returncode == 0
    assert finish.stdout.startswith(f"default: {6 - done} indexed")
    assert f"{done} unchanged" in finish.stdout
