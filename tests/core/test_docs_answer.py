"""Answers from documents: retrieval that ignores question words, citations of passages that do
not exist removed as the answer streams, a prompt that fits the context, the real model behind
``answer_job`` and ``gptdesk docs ask``."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gptdesk.core.documents.answer import (
    NOTHING_FOUND,
    CitationFilter,
    Source,
    answer_job,
    cited,
    content_query,
    retrieve,
)
from gptdesk.core.documents.index import DocumentIndex
from gptdesk.core.documents.scan import run_scan
from gptdesk.core.inference.backend import Finished, SamplingParams, TextDelta
from gptdesk.core.inference.engine import Engine
from tests.core.conftest import REPO_ROOT
from tests.waits import HANG_TIMEOUT_S

LIGHTHOUSE = """# The Bell Rock Lighthouse

## History
The Bell Rock Lighthouse stands off the coast of Angus, Scotland. Robert Stevenson built it
between 1807 and 1810.

## Light
Its light can be seen from 35 nautical miles away.
"""
PANDA = "熊猫是中国的国宝。大熊猫主要生活在四川的山区，以竹子为食。"


def source(number: int, text: str = "Some text.", **kw: object) -> Source:
    values: dict[str, object] = dict(
        path=Path(f"/docs/f{number}.txt"), page=None, section=None, start=0, end=len(text)
    )
    values.update(kw)
    return Source(number=number, text=text, score=1.0, **values)  # type: ignore[arg-type]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "lighthouse.md").write_text(LIGHTHOUSE, encoding="utf-8")
    (folder / "panda.txt").write_text(PANDA, encoding="utf-8")
    return folder


@pytest.fixture
def index(tmp_path: Path, docs: Path) -> DocumentIndex:
    opened = DocumentIndex(tmp_path / "documents.sqlite3")
    opened.add_paths("default", [docs])
    report = run_scan(opened, "default")
    assert report.added == 2
    return opened


def feed_all(pieces: list[str], numbers: list[int]) -> str:
    f = CitationFilter(numbers)
    return "".join(f.feed(p) for p in pieces) + f.flush()


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["Built in 1810 [1]."], "Built in 1810 [1]."),
        (["Built [", "9", "] in 1810 [", "2]."], "Built in 1810 [2]."),
        (["Its wings were red ", "[7", "]."], "Its wings were red."),
        (["See [1, 9] and [3;2]."], "See [1] and [2]."),
        (["A list [a] and [x]"], "A list [a] and [x]"),  # not citations: left alone
        (["Ends with [1"], "Ends with [1"),  # an unfinished bracket is text
        (["Year [1807]"], "Year [1807]"),  # four digits: a year, not a citation
    ],
)
def test_citations_of_passages_that_do_not_exist_are_removed(
    pieces: list[str], expected: str
) -> None:
    assert feed_all(pieces, [1, 2]) == expected


def test_cited_reads_the_numbers_used() -> None:
    sources = [source(1), source(2), source(3)]
    assert cited("A [3]. B [1, 3].", sources) == [sources[0], sources[2]]
    assert cited("No citations.", sources) == []


def test_question_words_are_not_what_a_question_is_about() -> None:
    assert content_query("What is the capital of Mars?") == "capital Mars"
    assert content_query("Who built the Bell Rock Lighthouse?") == "built Bell Rock Lighthouse"
    assert content_query("大熊猫吃什么？") == "大熊猫吃什么"


def test_retrieve_numbers_the_best_passages_in_both_languages(index: DocumentIndex) -> None:
    found = retrieve(index, "Who built the Bell Rock Lighthouse?")
    assert [s.number for s in found] == list(range(1, len(found) + 1))
    assert found[0].path.name == "lighthouse.md" and "Stevenson" in found[0].text
    assert found[0].where() == "lighthouse.md › The Bell Rock Lighthouse › History"
    chinese = retrieve(index, "大熊猫吃什么？")
    assert chinese and chinese[0].path.name == "panda.txt"
    assert retrieve(index, "What is the capital of Mars?") == []  # nothing: say so, ask nobody
    assert "Nothing in your documents" in NOTHING_FOUND


@pytest.mark.model
def test_the_model_answers_from_the_passages(engine: Engine, index: DocumentIndex) -> None:
    sources = retrieve(index, "Who built the Bell Rock Lighthouse?")
    job = answer_job(
        "Who built the Bell Rock Lighthouse?",
        sources,
        SamplingParams(temperature=0, max_tokens=40, seed=1),
    )
    events = list(job(engine, threading.Event()))
    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    (finished,) = [e for e in events if isinstance(e, Finished)]
    assert deltas and "".join(deltas) == finished.text
    assert "Stevenson" in finished.text


@pytest.mark.model
def test_passages_that_do_not_fit_are_left_out_least_relevant_first(
    _engine_512: Engine,
) -> None:
    long = "The keeper wrote about storms and ships every night. " * 40  # ~400 tokens each
    sources = [source(i, long) for i in range(1, 6)]
    job = answer_job("What did the keeper write?", sources, SamplingParams(max_tokens=8))
    _engine_512.reset_cache()
    events = list(job(_engine_512, threading.Event()))
    assert isinstance(events[-1], Finished)
    # Only the prompt that fitted reached the model: at most 512 tokens with the reply.
    assert events[-1].stats.prompt_tokens + 8 <= 512


@pytest.mark.model
def test_cli_docs_ask_streams_then_lists_sources(tmp_path: Path, docs: Path) -> None:
    data = tmp_path / "data"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gptdesk", "--data-dir", str(data), "docs", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=HANG_TIMEOUT_S,
            cwd=REPO_ROOT,
        )

    assert cli("add", str(docs)).returncode == 0
    asked = cli(
        "ask", "Who built the Bell Rock Lighthouse?", "--temperature", "0", "--max-tokens", "40"
    )
    assert asked.returncode == 0, asked.stderr
    answer, _, sources = asked.stdout.partition("\n\nSources:\n")
    assert answer.strip()
    lines = sources.strip().splitlines()
    assert lines and lines[0].startswith("[1] ")
    assert str(docs / "lighthouse.md") in lines[0]
    nothing = cli("ask", "What is the capital of Mars?")
    assert nothing.returncode == 0
    assert nothing.stdout.startswith("Nothing in your documents")
    assert "Sources:" not in nothing.stdout
