"""The document index: real SQLite files, FTS5 search in English, Chinese, Japanese and Korean,
provenance, removal, the one-transaction replace and its stop, schema checks."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from gptdesk.core.documents import cjk
from gptdesk.core.documents.index import SCHEMA_VERSION, DocumentIndex, Hit
from gptdesk.core.documents.passages import Passage, iter_passages
from gptdesk.core.errors import DocumentIndexError
from gptdesk.core.writing.documents import Document, Heading

# Passages on other subjects: BM25 needs a corpus where a word is rare for it to count.
ENGLISH_FILLER = [
    "The recipe needs flour, butter and two eggs; bake it for forty minutes.",
    "Trains to the coast leave every hour from platform three.",
    "The committee meets on Tuesdays to review the budget of the library.",
    "Our cat sleeps most of the day and hunts moths at night.",
    "Mountain roads close in winter when the snow is deep.",
    "The orchestra rehearses the symphony before the concert season.",
    "Tomatoes grow best in warm soil with plenty of water.",
    "The museum opens a new exhibition of ancient maps next month.",
]
CHINESE_FILLER = [
    "今天天气很好，我们去公园散步。",
    "这家餐厅的面条非常好吃，价格也便宜。",
    "火车站离我家不远，走路十分钟就到了。",
    "他每天早上六点起床，然后去跑步。",
    "图书馆周末开放到晚上九点。",
    "我们计划明年夏天去云南旅行。",
]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[DocumentIndex]:
    opened = DocumentIndex(tmp_path / "documents.sqlite3")
    yield opened
    opened.close()


def put(
    index: DocumentIndex,
    path: str | Path,
    text: str,
    *,
    collection: str = "default",
    kind: str = "text",
    headings: tuple[Heading, ...] = (),
    page_starts: tuple[int, ...] = (),
) -> int:
    """Store ``text`` as the file ``path`` (it need not exist: the index only keeps records)."""
    document = Document(text, Path(path).stem, kind, headings, page_starts)
    count = index.replace_file(
        collection,
        path,
        size=len(text),
        mtime_ns=1,
        sha256="0" * 64,
        kind=kind,
        title=document.title,
        passages=iter_passages(document),
    )
    assert count is not None
    return count


def fill(index: DocumentIndex, tmp_path: Path, texts: list[str]) -> None:
    for number, text in enumerate(texts):
        put(index, tmp_path / f"filler{number}.txt", text)


def names(hits: list[Hit]) -> list[str]:
    return [hit.path.name for hit in hits]


# ---------------------------------------------------------------------- English


def test_english_search_ranks_by_bm25_and_stems(index: DocumentIndex, tmp_path: Path) -> None:
    fill(index, tmp_path, ENGLISH_FILLER)
    put(index, tmp_path / "both.txt", "Solar panels on the roof: the panels face south.")
    put(index, tmp_path / "one.txt", "A solar eclipse darkened the sky above the old harbour town.")
    hits = index.search("solar panel", k=10)
    assert names(hits) == ["both.txt", "one.txt"]  # "panel" finds "panels" (Porter stemming)
    assert hits[0].score > hits[1].score > 0
    assert hits[0].text == "Solar panels on the roof: the panels face south."
    assert index.search("eclipse", k=10)[0].path == tmp_path / "one.txt"
    assert index.search("submarine", k=10) == []


def test_k_limits_the_hits(index: DocumentIndex, tmp_path: Path) -> None:
    fill(index, tmp_path, [f"Note {i} about the garden." for i in range(6)])
    assert len(index.search("garden", k=3)) == 3
    assert index.search("garden", k=0) == []


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "NOT", "*", "a OR", "-x", "NEAR(", "col:x", "😀", "", "   ", "(", "''", "^"],
)
def test_any_typed_text_is_a_safe_query(index: DocumentIndex, tmp_path: Path, query: str) -> None:
    put(index, tmp_path / "a.txt", "NOT a problem AND nothing near it.")
    assert isinstance(index.search(query), list)  # never an FTS5 syntax error


# ---------------------------------------------------------------------- CJK


def test_plain_unicode61_cannot_find_a_chinese_word() -> None:
    """Why ``cjk`` exists: SQLite's own tokenizer sees a Chinese sentence as one token."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    db.execute("INSERT INTO t VALUES ('我们训练了一个新的模型。')")
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH '\"模型\"'").fetchone()[0] == 0
    db.execute("DROP TABLE t")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')")
    db.execute("INSERT INTO t VALUES ('我们训练了一个新的模型。')")
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH '\"模型\"'").fetchone()[0] == 0


def test_a_two_character_chinese_word_is_found(index: DocumentIndex, tmp_path: Path) -> None:
    fill(index, tmp_path, CHINESE_FILLER)
    put(index, tmp_path / "model.txt", "我们训练了一个新的模型。")
    hits = index.search("模型")
    assert names(hits) == ["model.txt"]
    assert hits[0].text == "我们训练了一个新的模型。"  # shown as written, not as bigrams


def test_a_longer_chinese_phrase_ranks_the_exact_phrase_first(
    index: DocumentIndex, tmp_path: Path
) -> None:
    fill(index, tmp_path, CHINESE_FILLER)
    put(index, tmp_path / "deep.txt", "深度学习需要很多计算资源和耐心。")
    put(index, tmp_path / "ml.txt", "机器学习是人工智能的一个分支。")
    hits = index.search("机器学习")
    assert names(hits)[0] == "ml.txt"
    assert "deep.txt" in names(hits)  # shares 学习: found, ranked below
    assert hits[0].score > hits[names(hits).index("deep.txt")].score


def test_a_chinese_question_finds_the_passage_with_its_terms(
    index: DocumentIndex, tmp_path: Path
) -> None:
    fill(index, tmp_path, CHINESE_FILLER)
    put(index, tmp_path / "answer.txt", "机器学习模型需要大量的数据来训练，训练通常在显卡上进行。")
    put(index, tmp_path / "other.txt", "这个模型的颜色是红色的。")
    hits = index.search("机器学习模型是怎么训练的？")
    assert names(hits)[0] == "answer.txt"


def test_one_chinese_character_japanese_korean_and_mixed_text(
    index: DocumentIndex, tmp_path: Path
) -> None:
    fill(index, tmp_path, CHINESE_FILLER)
    put(index, tmp_path / "ja.txt", "昨日、東京タワーに行きました。")
    put(index, tmp_path / "ko.txt", "내일 서울에서 회의가 있습니다.")
    put(index, tmp_path / "mixed.txt", "GPT模型可以写文章。")
    assert names(index.search("タワー")) == ["ja.txt"]
    assert names(index.search("東京")) == ["ja.txt"]
    assert names(index.search("회의")) == ["ko.txt"]
    assert names(index.search("GPT")) == ["mixed.txt"]
    assert names(index.search("模型")) == ["mixed.txt"]
    assert names(index.search("塔")) == []
    assert "mixed.txt" in names(index.search("章"))  # a lone character: the last of its run


def test_the_cjk_transform() -> None:
    assert cjk.index_text("机器学习") == " 机器 器学 学习 习 "
    assert cjk.index_text("plain English") == "plain English"
    assert cjk.index_text("ＧＰＴ ﬁle") == "GPT file"  # NFKC: full-width letters, ligatures
    assert cjk.query_terms("机器学习 and GPT模型") == ["机器", "器学", "学习", "and", "gpt", "模型"]
    assert cjk.match_expression("模") == '"模"*'
    assert cjk.match_expression("?!") is None


# ---------------------------------------------------------------------- provenance


def test_hits_keep_page_section_and_offsets(index: DocumentIndex, tmp_path: Path) -> None:
    fill(index, tmp_path, ENGLISH_FILLER)
    pages = "Apples grow on trees.\n\nPears are green and sweet."
    put(index, tmp_path / "fruit.pdf", pages, kind="pdf", page_starts=(0, 23))
    markdown = "# Guide\n\n## Install\n\nRun the installer twice.\n"
    headings = (Heading(0, 1, "Guide"), Heading(9, 2, "Install"))
    put(index, tmp_path / "guide.md", markdown, kind="markdown", headings=headings)
    pear = index.search("pears")[0]
    assert (pear.path.name, pear.page, pear.section) == ("fruit.pdf", 2, None)
    assert pages[pear.start : pear.end] == pear.text == "Pears are green and sweet."
    install = index.search("installer")[0]
    assert (install.page, install.section) == (None, "Guide > Install")
    assert markdown[install.start : install.end] == install.text
    assert [c.text for c in index.chunks(tmp_path / "fruit.pdf")] == [
        "Apples grow on trees.",
        "Pears are green and sweet.",
    ]


# ---------------------------------------------------------------------- changes


def test_replacing_a_file_drops_its_old_text(index: DocumentIndex, tmp_path: Path) -> None:
    fill(index, tmp_path, ENGLISH_FILLER)
    put(index, tmp_path / "note.txt", "The password for the shed is walrus.")
    put(index, tmp_path / "note.txt", "The shed now has a padlock.")
    assert index.search("walrus") == []
    assert names(index.search("padlock")) == ["note.txt"]
    assert len([f for f in index.files() if f.path.name == "note.txt"]) == 1
    check = "INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)"
    index.db.execute(check)  # the FTS index agrees with the passages


def test_a_stopped_replace_leaves_the_file_as_it_was(index: DocumentIndex, tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    put(index, path, "The original text mentions a lighthouse.")
    many = [Passage(f"New passage {i} about a windmill.", i, i + 1, None, None) for i in range(600)]
    asked = []

    def stop() -> bool:
        asked.append(True)
        return True  # as if Stop was pressed while the first batch was written

    result = index.replace_file(
        "default", path, size=1, mtime_ns=2, sha256="1" * 64, kind="text", title="long",
        passages=iter(many), stop=stop,
    )  # fmt: skip
    assert result is None and len(asked) == 1  # asked after the first batch, not at the end
    assert names(index.search("lighthouse")) == ["long.txt"]
    assert index.search("windmill") == []
    assert [f.mtime_ns for f in index.files()] == [1]


def test_collections_roots_and_the_collection_filter(index: DocumentIndex, tmp_path: Path) -> None:
    put(index, tmp_path / "w.txt", "Quarterly sales rose in the north.", collection="work")
    put(index, tmp_path / "h.txt", "Sales of garden gnomes at the fair.", collection="home")
    index.add_paths("work", [tmp_path / "reports"])
    assert {h.collection for h in index.search("sales")} == {"work", "home"}
    assert names(index.search("sales", collection="home")) == ["h.txt"]
    info = {c.name: c for c in index.collections()}
    assert info["work"].roots == (tmp_path / "reports",)
    assert (info["work"].files, info["work"].chunks, info["home"].roots) == (1, 1, ())
    with pytest.raises(DocumentIndexError, match=r"no collection named nope.*home, work"):
        index.search("sales", collection="nope")


def test_remove_a_folder_a_file_inside_an_added_folder_and_an_unknown_path(
    index: DocumentIndex, tmp_path: Path
) -> None:
    docs, sibling = tmp_path / "docs", tmp_path / "docs2"
    index.add_paths("default", [docs, sibling])
    put(index, docs / "a.txt", "Alpha text about otters.")
    put(index, docs / "sub" / "b.txt", "Beta text about otters.")
    put(index, sibling / "c.txt", "Gamma text about otters.")
    assert index.remove(docs / "sub" / "b.txt") == 1
    assert [(r.path, r.excluded) for r in index.roots()] == [
        (docs, False),
        (sibling, False),
        (docs / "sub" / "b.txt", True),  # a rescan of docs/ skips it
    ]
    assert index.remove(docs) == 1  # a.txt; docs2/ shares the prefix but is not inside
    assert names(index.search("otters")) == ["c.txt"]
    assert [r.path for r in index.roots()] == [sibling]
    with pytest.raises(DocumentIndexError, match="not in the document index"):
        index.remove(tmp_path / "elsewhere")
    index.add_paths("default", [docs / "sub" / "b.txt"])  # added again: no longer excluded
    assert [(r.path, r.excluded) for r in index.roots()][-1] == (docs / "sub" / "b.txt", False)


# ---------------------------------------------------------------------- the file itself


def test_the_database_is_wal_with_its_schema(tmp_path: Path) -> None:
    with DocumentIndex(tmp_path / "documents.sqlite3") as index:
        assert index.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert index.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        assert not index.read_only


def test_an_index_cut_by_an_older_transform_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "documents.sqlite3"
    with DocumentIndex(path) as index:
        put(index, tmp_path / "zh.txt", "我们训练了一个新的模型。")
        # What an index made by a version that did not cut CJK text would hold.
        index.db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('delete-all')")
        index.db.execute("UPDATE chunks SET body=NULL")
        index.db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")
        index.db.execute("UPDATE meta SET value='0' WHERE key='transform'")
        assert index.search("模型") == []
    with DocumentIndex(path) as index:
        assert names(index.search("模型")) == ["zh.txt"]


def test_a_damaged_or_newer_index_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DocumentIndexError, match=r"cannot be opened.*Move it aside"):
        DocumentIndex(broken)
    newer = tmp_path / "newer.sqlite3"
    db = sqlite3.connect(newer)
    db.execute("PRAGMA user_version=99")
    db.close()
    with pytest.raises(DocumentIndexError, match="newer gptdesk"):
        DocumentIndex(newer)


# ---------------------------------------------------------------- vectors


def unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_vectors_are_kept_per_model_and_found_by_cosine(index: DocumentIndex) -> None:
    put(index, "/docs/a.txt", "Alpha passage.")
    put(index, "/docs/b.txt", "Beta passage.")
    put(index, "/docs/c.txt", "Gamma passage.")
    assert index.embedding_counts("m1") == (0, 3)
    pending = index.pending_embeddings("m1", limit=10)
    assert [text for _id, text in pending] == ["Alpha passage.", "Beta passage.", "Gamma passage."]
    ids = [chunk_id for chunk_id, _text in pending]
    vectors = [unit(1, 0, 0), unit(0, 1, 0), unit(1, 1, 0)]
    assert index.store_vectors("m1", list(zip(ids, vectors, strict=True))) == 3
    assert index.embedding_counts("m1") == (3, 3)
    assert index.pending_embeddings("m1") == []

    hits = index.vector_search("m1", unit(1, 0.1, 0), k=2)
    assert [h.path.name for h in hits] == ["a.txt", "c.txt"]
    assert hits[0].score == pytest.approx(float(unit(1, 0, 0) @ unit(1, 0.1, 0)), abs=1e-3)
    assert hits[0].score > hits[1].score

    # Another model's vectors are not these: everything is pending for it, and its vector of a
    # passage replaces the old one (one vector per passage).
    assert index.embedding_counts("m2") == (0, 3)
    assert index.vector_search("m2", unit(1, 0, 0)) == []
    index.store_vectors("m2", [(ids[1], unit(0, 0, 1))])
    assert index.embedding_counts("m1") == (2, 3)
    assert [h.path.name for h in index.vector_search("m2", unit(0, 0, 1))] == ["b.txt"]


def test_vectors_go_with_their_passages(index: DocumentIndex) -> None:
    put(index, "/docs/a.txt", "Old text of a.")
    put(index, "/docs/b.txt", "Text of b.")
    rows = index.pending_embeddings("m")
    index.store_vectors("m", [(rows[0][0], unit(1, 0)), (rows[1][0], unit(0, 1))])
    assert len(index.vector_search("m", unit(1, 0), k=5)) == 2  # read (and cached)

    put(index, "/docs/a.txt", "New text of a.")  # a changed file: new passages, no vector yet
    assert index.embedding_counts("m") == (1, 2)
    assert [h.path.name for h in index.vector_search("m", unit(1, 0), k=5)] == ["b.txt"]
    index.remove("/docs/b.txt")
    assert index.vector_search("m", unit(1, 0), k=5) == []
    count = index.db.execute("SELECT count(*) FROM vectors").fetchone()[0]
    assert count == 0
    # A passage removed between reading it and storing its vector is skipped.
    (chunk_id, _text), = index.pending_embeddings("m")
    index.remove("/docs/a.txt")
    assert index.store_vectors("m", [(chunk_id, unit(1, 0))]) == 0


def test_vector_search_sees_what_another_connection_stored(tmp_path: Path) -> None:
    path = tmp_path / "documents.sqlite3"
    with DocumentIndex(path) as reader, DocumentIndex(path) as writer:
        put(writer, "/docs/a.txt", "Alpha.")
        assert reader.vector_search("m", unit(1, 0)) == []
        (chunk_id, _text), = writer.pending_embeddings("m")
        writer.store_vectors("m", [(chunk_id, unit(1, 0))])
        assert [h.path.name for h in reader.vector_search("m", unit(1, 0))] == ["a.txt"]


def test_vector_search_is_limited_to_a_collection(index: DocumentIndex) -> None:
    put(index, "/docs/a.txt", "Alpha.", collection="work")
    put(index, "/docs/b.txt", "Beta.", collection="home")
    for chunk_id, _text in index.pending_embeddings("m", limit=10):
        index.store_vectors("m", [(chunk_id, unit(1, 0))])
    assert [h.path.name for h in index.vector_search("m", unit(1, 0), collection="home")] == [
        "b.txt"
    ]
    assert index.embedding_counts("m", "work") == (1, 1)


def test_an_index_of_schema_1_gains_the_vectors_table(tmp_path: Path) -> None:
    path = tmp_path / "documents.sqlite3"
    with DocumentIndex(path) as index:
        put(index, "/docs/a.txt", "Alpha passage.")
        index.db.execute("DROP TABLE vectors")
        index.db.execute("PRAGMA user_version=1")
    with DocumentIndex(path) as index:
        assert [h.path.name for h in index.search("alpha")] == ["a.txt"]
        assert index.embedding_counts("m") == (0, 1)
