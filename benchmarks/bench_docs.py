"""The document index: how fast it indexes, and how fast it answers a search at 100k passages.

A generated corpus (English and Chinese prose from a fixed word list and seed, so every run
indexes the same text) is written as .txt and .md files and indexed by the real scanner into a
fresh index (full text only: vector search is not built yet). A "page" is 3,000 characters,
about one printed page. Then the index is grown to at least 100,000 passages and searched with
English and Chinese queries; latency is timed per query by the caller, as the app's search is.

Retrieval quality on a public question-answering set (recall@5) is not measured yet: no such set
is installed here (no network but the package registries); the section says so.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from benchmarks.bench_engine import cpu_model
from benchmarks.report import write_section
from gptdesk.core.documents.index import DocumentIndex
from gptdesk.core.documents.scan import run_scan

SECTION = "docs"
SEED = 12
PAGE_CHARS = 3000
TARGET_PASSAGES = 100_000
LATENCY_GOAL_MS = 300.0
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=600, help="pages in the timed indexing")
    parser.add_argument("--target", type=int, default=TARGET_PASSAGES, help="passages to search")
    parser.add_argument("--rounds", type=int, default=5, help="times each query is run")
    parser.add_argument("--out", type=Path, help="write the section into this Markdown file")
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="gptdesk-bench-docs-") as tmp:
        root = Path(tmp)
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
                index.search(query, 5)  # warm the page cache for this query's terms
                for _ in range(args.rounds):
                    t0 = time.perf_counter()
                    found = index.search(query, 5)
                    latencies[language].append((time.perf_counter() - t0) * 1000)
                hits[language].append(len(found))
        index.close()

    def p95(values: list[float]) -> float:
        return sorted(values)[max(0, int(len(values) * 0.95) - 1)]

    rows = [
        "## The document index (issue 13)",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} logical CPUs, {platform.system()}, Python "
        f"{platform.python_version()}. A generated corpus (English and, one file in five, "
        f"Chinese; a third Markdown with headings), seed {SEED}; a page is {PAGE_CHARS:,} "
        "characters. Full-text index only (SQLite FTS5, BM25, CJK as character pairs): vector "
        "search with an embedding model is not built yet.",
        "",
        "| indexing (full text) | pages | characters | passages | seconds | pages/s | passages/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| first scan | {args.pages} | {chars:,} | {first:,} | {index_s:.1f} | "
        f"{args.pages / index_s:.0f} | {first / index_s:.0f} |",
        "",
        f"A rescan with nothing changed: {rescan_s * 1000:.0f} ms ({again.unchanged} files "
        "skipped by size and time).",
        "",
        f"Search at **{total:,} passages** (index file {size_mb:.0f} MB), top 5, "
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
            f"| {language} | {statistics.median(latencies[language]):.1f} | "
            f"{p95(latencies[language]):.1f} | {min(hits[language])}–{max(hits[language])} |"
        )
    worst = max(p95(v) for v in latencies.values())
    rows += [
        "",
        f"Goal ≤ {LATENCY_GOAL_MS:.0f} ms per query at 100k passages: "
        f"{'meets' if worst <= LATENCY_GOAL_MS else 'misses'} (worst p95 {worst:.1f} ms).",
        "",
        "Not measured yet: indexing with embeddings, and retrieval quality (recall@5) on a public "
        "English and Chinese question-answering set — none is installed on this machine.",
        "",
        "Reproduce: `make bench` (this section: `python benchmarks/bench_docs.py --out "
        "docs/benchmarks.md`).",
    ]
    body = "\n".join(rows) + "\n"
    print(body)
    if args.out:
        write_section(args.out, SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
