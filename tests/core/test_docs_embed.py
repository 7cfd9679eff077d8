"""Search by meaning: the embedding model on its own engine host, vectors stored per passage
and model, embedding a collection (with Stop and incremental passes), fusing the word and
vector rankings, and the CLI's --embedder. Real llama.cpp on a real multilingual embedder
(``embedder_path``: multilingual-e5-small), real SQLite, real processes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from gptdesk.core.documents.answer import fuse, retrieve, search
from gptdesk.core.documents.embed import (
    BATCH,
    EmbedProgress,
    HostEmbedder,
    embed_collection,
    model_id_for,
    traits_for,
)
from gptdesk.core.documents.index import DocumentIndex, Hit
from gptdesk.core.documents.scan import run_scan
from gptdesk.core.errors import GptdeskError, ModelLoadError
from gptdesk.core.inference.engine import Engine
from gptdesk.core.inference.gguf_file import read_gguf

SYMBOLS = "★★★ ☂☂☂ ♫♫♫ ✈✈✈"  # no word for the full-text index: only vectors can find it


@pytest.fixture(scope="module")
def embedder(embedder_path: Path) -> Iterator[HostEmbedder]:
    opened = HostEmbedder(embedder_path)
    opened.load()
    yield opened
    opened.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "lamp.txt").write_text("The keeper lit the lighthouse lamp at dusk.\n", "utf-8")
    (docs / "bread.md").write_text("# Market\n\nWheat from the mill becomes bread.\n", "utf-8")
    (docs / "zh.txt").write_text("灯塔守护者在黄昏时点亮了灯。\n", "utf-8")
    return docs


@pytest.fixture
def index(tmp_path: Path, folder: Path) -> Iterator[DocumentIndex]:
    opened = DocumentIndex(tmp_path / "documents.sqlite3")
    opened.add_paths("default", [folder])
    run_scan(opened, "default")
    yield opened
    opened.close()


def test_the_header_says_which_files_are_embedders(embedder_path: Path, starter_path: Path) -> None:
    info = read_gguf(embedder_path)
    assert info.is_embedder and info.architecture == "bert" and info.pooling_type == 1
    assert traits_for(info).query == "query: "  # E5 wants its prefixes
    assert not read_gguf(starter_path).is_embedder


def test_a_chat_model_is_not_an_embedder_and_an_embedder_does_not_chat(
    embedder_path: Path, starter_path: Path
) -> None:
    with pytest.raises(GptdeskError, match="not an embedding model"):
        HostEmbedder(starter_path)
    with pytest.raises(ModelLoadError, match="embedding model"):
        Engine(embedder_path).load()


def test_vectors_are_unit_length_deterministic_and_batched_like_single(
    embedder: HostEmbedder,
) -> None:
    texts = [f"Passage number {i} about the harbour and its boats." for i in range(BATCH + 3)]
    texts[5] = ""  # an empty passage still gets a vector
    together = embedder.embed_documents(texts)
    assert together.shape == (len(texts), 384)
    assert together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-4)
    alone = np.vstack([embedder.embed_documents([t]) for t in texts[:3]])
    assert np.allclose(alone, together[:3], atol=2e-3)
    query = embedder.embed_query(texts[0])  # "query: " in front instead of "passage: "
    assert float(query @ together[0]) > 0.9
    assert not np.allclose(query, together[0], atol=2e-3)
    assert not np.allclose(together[0], together[1], atol=1e-3)


def test_embedding_a_collection_is_incremental_and_stops_between_batches(
    embedder: HostEmbedder, index: DocumentIndex, folder: Path
) -> None:
    model = embedder.model_id
    assert model == model_id_for(embedder.path)
    done, total = index.embedding_counts(model)
    assert (done, total) == (0, 3)
    progress: list[EmbedProgress] = []
    assert embed_collection(index, embedder, "default", on_progress=progress.append) == 3
    assert index.embedding_counts(model) == (3, 3)
    assert progress[0].done == 0 and progress[-1].done == progress[-1].total == 3
    assert embed_collection(index, embedder, "default") == 0  # nothing new

    (folder / "lamp.txt").write_text("The keeper trimmed the wick of the lamp.\n", "utf-8")
    run_scan(index, "default")
    assert index.embedding_counts(model) == (2, 3)  # the changed file's passage is new
    assert embed_collection(index, embedder, "default") == 1

    # Stop: set before the pass, nothing is made; the next pass does it all.
    for n in range(2 * BATCH):
        (folder / f"extra{n}.txt").write_text(f"Extra note {n} on tides.\n", "utf-8")
    run_scan(index, "default")
    cancel = threading.Event()

    def stop_after_first(p: EmbedProgress) -> None:
        if p.done > 3:
            cancel.set()

    made = embed_collection(index, embedder, "default", cancel, stop_after_first)
    assert made == BATCH  # the batch done when Stop came is kept, no more
    assert index.embedding_counts(model) == (3 + BATCH, 3 + 2 * BATCH)
    assert embed_collection(index, embedder, "default") == BATCH


def test_vectors_find_what_has_no_words(
    embedder: HostEmbedder, index: DocumentIndex, folder: Path
) -> None:
    (folder / "symbols.txt").write_text(SYMBOLS + "\n", "utf-8")
    run_scan(index, "default")
    embed_collection(index, embedder)
    assert search(index, SYMBOLS, 3) == []  # the full-text index has no word for it
    found = search(index, SYMBOLS, 3, embedder=embedder)
    assert found[0].path.name == "symbols.txt"


def test_search_fuses_words_and_meaning(embedder: HostEmbedder, index: DocumentIndex) -> None:
    embed_collection(index, embedder)
    # First in both rankings: the fused score is the sum of both reciprocal ranks. The words
    # found the question's subject here, so meaning ranks the other passages after it: the
    # Chinese note that says the same comes next (second by meaning, no word in common).
    lamp = search(index, "lighthouse lamp", 3, embedder=embedder)
    assert [h.path.name for h in lamp] == ["lamp.txt", "zh.txt", "bread.md"]
    assert lamp[0].score == pytest.approx(2 / 61)
    assert lamp[1].score == pytest.approx(1 / 62)
    sources = retrieve(index, "Where is the lighthouse lamp?", 2, embedder=embedder)
    assert [(s.number, s.path.name) for s in sources] == [(1, "lamp.txt"), (2, "zh.txt")]
    # Without an embedder only the words count.
    assert [h.path.name for h in search(index, "lighthouse lamp", 3)] == ["lamp.txt"]


def test_meaning_finds_a_passage_that_shares_no_word_with_the_question(
    embedder: HostEmbedder, index: DocumentIndex
) -> None:
    embed_collection(index, embedder)
    question = "谁在傍晚打开了航标灯？"  # "who switched on the beacon light at nightfall?"
    assert retrieve(index, question, 3) == []  # no character pair in common with any file
    found = retrieve(index, question, 3, embedder=embedder)
    assert [s.path.name for s in found] == ["zh.txt"]  # 灯塔守护者在黄昏时点亮了灯


def test_nothing_relevant_is_still_nothing_with_vectors(
    embedder: HostEmbedder, index: DocumentIndex
) -> None:
    embed_collection(index, embedder)
    assert retrieve(index, "How do I configure the VPN on my router?", 3, embedder=embedder) == []
    # E5 puts any two Chinese texts close together (about 0.82): not close enough to count.
    assert retrieve(index, "今天股市怎么样？", 3, embedder=embedder) == []


def hit(chunk_id: int, score: float = 0.0) -> Hit:
    return Hit(chunk_id, Path(f"/d/{chunk_id}.txt"), "c", 0, "t", None, None, 0, 1, score)


def test_reciprocal_rank_fusion() -> None:
    words = [hit(1), hit(2), hit(3)]
    meaning = [hit(4), hit(2), hit(5)]
    fused = fuse([words, meaning], 4)
    # 2 is second in both (2/62) and beats 1 and 4, first in one each (1/61).
    assert [h.chunk_id for h in fused] == [2, 1, 4, 3]
    assert fused[0].score == pytest.approx(2 / 62)
    assert fused[1].score == pytest.approx(1 / 61)
    assert fuse([[], []], 5) == []
    assert [h.chunk_id for h in fuse([words, []], 5)] == [1, 2, 3]


def test_cli_embeds_and_searches_by_meaning(
    gptdesk_cli, tmp_path: Path, folder: Path, embedder_path: Path, starter_path: Path
) -> None:
    (folder / "symbols.txt").write_text(SYMBOLS + "\n", "utf-8")
    data = str(tmp_path / "data")
    added = gptdesk_cli("--data-dir", data, "docs", "add", str(folder), "--embedder",
                        str(embedder_path))  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "4 passages embedded with multilingual-e5-small.gguf." in added.stdout
    found = gptdesk_cli("--data-dir", data, "docs", "search", SYMBOLS, "--json", "--k", "1",
                        "--embedder", str(embedder_path))  # fmt: skip
    assert found.returncode == 0, found.stderr
    (first,) = json.loads(found.stdout)
    assert first["path"] == str(folder / "symbols.txt")
    assert first["text"].strip() == SYMBOLS
    words_only = gptdesk_cli("--data-dir", data, "docs", "search", SYMBOLS, "--json",
                             "--embedder", "off")  # fmt: skip
    assert json.loads(words_only.stdout) == []
    wrong = gptdesk_cli("--data-dir", data, "docs", "search", "lamp", "--embedder",
                        str(starter_path))  # fmt: skip
    assert wrong.returncode != 0
    lines = wrong.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gptdesk: "), wrong.stderr
    assert "not an embedding model" in lines[0]
