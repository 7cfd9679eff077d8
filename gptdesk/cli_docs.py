"""``gptdesk docs ...``: add, list, remove, reindex and search the user's own documents."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from gptdesk.core.storage.paths import DataPaths

if TYPE_CHECKING:
    from gptdesk.core.documents.embed import HostEmbedder
    from gptdesk.core.documents.index import DocumentIndex, Hit
    from gptdesk.core.documents.scan import ScanProgress, ScanReport

DEFAULT_COLLECTION = "default"  # the same as index.DEFAULT_COLLECTION (not imported at start-up)
_PASSAGE_CHARS = 160  # a passage in the text output of search is cut to about this


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text}")
    return value


_EMBEDDER_HELP = (
    "embedding model (name or path) for search by meaning as well as by words; 'off': words "
    "only (default: the one chosen in the app's Documents mode)"
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    docs = sub.add_parser("docs", help="index your own documents and search them")
    dsub = docs.add_subparsers(dest="docs_command", metavar="ACTION", required=True)
    add = dsub.add_parser(
        "add", help="index files and folders (txt, md, html, pdf, docx) into a collection"
    )
    add.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    add.add_argument("--collection", metavar="NAME", default=DEFAULT_COLLECTION)
    ls = dsub.add_parser("list", help="collections and their files, with passages and status")
    ls.add_argument("--collection", metavar="NAME")
    rm = dsub.add_parser("remove", help="forget a file or folder (the file itself stays)")
    rm.add_argument("path", metavar="PATH", type=Path)
    rm.add_argument("--collection", metavar="NAME", help="only in this collection")
    rescan = dsub.add_parser("reindex", help="rescan what was added: new, changed, deleted files")
    rescan.add_argument("--collection", metavar="NAME", help="only this collection")
    search = dsub.add_parser("search", help="the passages that best match QUERY")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--k", type=_positive_int, default=5, metavar="N", help="how many")
    search.add_argument("--json", action="store_true", help="a JSON array, best first")
    search.add_argument("--collection", metavar="NAME", help="only this collection")
    for parser in (add, rescan, search):
        parser.add_argument("--embedder", metavar="MODEL", help=_EMBEDDER_HELP)
    ask = dsub.add_parser(
        "ask", help="answer QUESTION from the best passages, then list the sources used"
    )
    ask.add_argument("question", metavar="QUESTION")
    ask.add_argument("--k", type=_positive_int, default=5, metavar="N", help="passages to use")
    ask.add_argument("--collection", metavar="NAME", help="only this collection")
    ask.add_argument("--embedder", metavar="MODEL", help=_EMBEDDER_HELP)
    from gptdesk.cli import add_generation_options  # (cli imports this module first)

    add_generation_options(ask)


def run(args: argparse.Namespace, paths: DataPaths) -> int:
    from gptdesk.core.documents.index import DocumentIndex

    with DocumentIndex(paths.documents_file) as index:
        command = args.docs_command
        if command == "list":
            return _list(index, args.collection)
        if command == "remove":
            return _remove(index, args.path, args.collection)
        embedder = _embedder(getattr(args, "embedder", None), paths)
        try:
            if command == "add":
                code = _add(index, args.paths, args.collection)
                return _embed(index, embedder, args.collection) if code == 0 else code
            if command == "reindex":
                code = _reindex(index, args.collection)
                return _embed(index, embedder, args.collection) if code == 0 else code
            if command == "ask":
                return _ask(index, args, paths, embedder)
            return _search(index, args.query, args.k, args.collection, args.json, embedder)
        finally:
            if embedder is not None:
                embedder.close()


def _embedder(spec: str | None, paths: DataPaths) -> HostEmbedder | None:
    """The embedding model ``--embedder`` names, else the one Settings name; None: words only."""
    from gptdesk.core.documents.embed import HostEmbedder
    from gptdesk.core.models.library import Library
    from gptdesk.core.storage.settings import load_settings, models_dir

    settings = load_settings(paths)
    if spec is None:
        spec = settings.embedder
    if not spec or spec.strip().lower() in ("off", "none"):
        return None
    entry = Library(models_dir(settings, paths.models_dir)).find(spec)
    return HostEmbedder(entry.path)


def _embed(index: DocumentIndex, embedder: HostEmbedder | None, collection: str | None) -> int:
    """Give the collection's new passages their vectors (progress on stderr)."""
    from gptdesk.core.documents.embed import EmbedProgress, embed_collection

    if embedder is None:
        return 0
    tty = sys.stderr.isatty()
    last = [0.0]

    def show(progress: EmbedProgress) -> None:
        now = time.monotonic()
        if progress.done < progress.total and now - last[0] < (0.2 if tty else 2.0):
            return
        last[0] = now
        eta = f", about {progress.eta_s:.0f} s left" if progress.eta_s is not None else ""
        line = (
            f"embedding with {embedder.path.name}: {progress.done}/{progress.total} passages"
            f" ({progress.rate:.1f}/s{eta})"
        )
        print(("\r" + line) if tty else line, end="" if tty else "\n", file=sys.stderr)

    with _interruptible() as cancel:
        made = embed_collection(index, embedder, collection, cancel, show)
    if tty:
        print(file=sys.stderr)
    if cancel.is_set():
        print("Stopped; the vectors made so far stay.", file=sys.stderr)
        return 130
    print(f"{_count(made, 'passage')} embedded with {embedder.path.name}.")
    return 0


# ---------------------------------------------------------------------- scanning


@contextmanager
def _interruptible() -> Iterator[threading.Event]:
    """An event that Ctrl+C sets, so a scan stops cleanly after the file it is on; a second
    Ctrl+C interrupts at once (the file being written is rolled back)."""
    cancel = threading.Event()

    def on_signal(_sig: int, _frame: FrameType | None) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print("\nStopping (Ctrl+C again to stop at once)...", file=sys.stderr)

    previous = signal.signal(signal.SIGINT, on_signal)
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)


def _progress_printer() -> tuple[Callable[[ScanProgress], None], Callable[[], None]]:
    """Show progress on stderr: one rewritten line on a terminal, a line every 2 s otherwise;
    the second function ends the rewritten line."""
    tty = sys.stderr.isatty()
    last = [0.0 if tty else time.monotonic()]  # a log shows only scans that take a while
    shown = [False]

    def show(event: ScanProgress) -> None:
        now = time.monotonic()
        if now - last[0] < (0.2 if tty else 2.0) or (event.listing and not tty):
            return
        last[0] = now
        if event.listing:
            line = f"Looking for files: {event.files_total} found"
        else:
            eta = f", about {event.eta_s:.0f} s left" if event.eta_s is not None else ""
            current = f": {event.current.name}" if event.current is not None else ""
            line = (
                f"{event.files_done} of {event.files_total} files "
                f"({_mib(event.bytes_done)} of {_mib(event.bytes_total)}{eta}){current}"
            )
        if tty:
            print("\r" + line[:120].ljust(120), end="", file=sys.stderr, flush=True)
            shown[0] = True
        else:
            print(line, file=sys.stderr, flush=True)

    def end() -> None:
        if shown[0]:
            print(file=sys.stderr)

    return show, end


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def _scan(index: DocumentIndex, collection: str, paths: list[Path] | None) -> ScanReport:
    from gptdesk.core.documents.scan import run_scan

    show, end = _progress_printer()
    with _interruptible() as cancel:
        try:
            report = run_scan(index, collection, paths, cancel=cancel, on_progress=show)
        finally:
            end()
    for problem in report.problems:
        print(f"{problem.path}: {problem.message}", file=sys.stderr)
    return report


def _summary(report: ScanReport) -> str:
    parts = [f"{report.indexed} indexed ({_count(report.chunks, 'passage')})"]
    if report.unchanged or report.confirmed:
        parts.append(f"{report.unchanged + report.confirmed} unchanged")
    if report.removed:
        parts.append(f"{report.removed} removed")
    if report.failed:
        parts.append(f"{report.failed} with problems")
    if report.ignored:
        parts.append(f"{report.ignored} of other kinds or hidden, skipped")
    return f"{report.collection}: " + ", ".join(parts) + "."


def _add(index: DocumentIndex, paths: list[Path], collection: str) -> int:
    report = _scan(index, collection, paths)
    print(_summary(report))
    if report.cancelled:
        print(
            "Stopped; what was indexed stays. Run `gptdesk docs reindex` to finish.",
            file=sys.stderr,
        )
        return 130
    if report.usable:
        return 0
    if report.problems:
        print("gptdesk: nothing could be indexed (see the lines above).", file=sys.stderr)
    else:
        names = " ".join(str(p) for p in paths)
        print(
            f"gptdesk: no documents found in {names} (gptdesk reads .txt, .md, .html, .pdf "
            "and .docx files).",
            file=sys.stderr,
        )
    return 1


def _reindex(index: DocumentIndex, collection: str | None) -> int:
    names = [collection] if collection is not None else [c.name for c in index.collections()]
    if collection is not None:
        index.roots(collection)  # an unknown collection is an error, not an empty rescan
    if not names:
        print("No documents yet; add some with `gptdesk docs add PATH`.", file=sys.stderr)
        return 0
    for name in names:
        report = _scan(index, name, None)
        print(_summary(report))
        if report.cancelled:
            print("Stopped; what was indexed stays.", file=sys.stderr)
            return 130
    return 0


# ---------------------------------------------------------------------- the rest


def _list(index: DocumentIndex, collection: str | None) -> int:
    collections = index.collections()
    if collection is not None:
        index.roots(collection)  # raises for an unknown collection
        collections = [c for c in collections if c.name == collection]
    if not collections:
        print("No documents yet; add some with `gptdesk docs add PATH`.", file=sys.stderr)
        return 0
    for info in collections:
        failed = f", {info.failed} with problems" if info.failed else ""
        files, chunks = _count(info.files, "file"), _count(info.chunks, "passage")
        print(f"{info.name}: {files}, {chunks}{failed}")
        for root in info.roots:
            print(f"  added: {root}")
        for entry in index.files(info.name):
            if entry.status == "indexed":
                print(f"  {entry.path}\tindexed\t{_count(entry.chunks, 'passage')}")
            else:
                print(f"  {entry.path}\tfailed\t{entry.error}")
    return 0


def _remove(index: DocumentIndex, path: Path, collection: str | None) -> int:
    removed = index.remove(path, collection)
    print(f"Removed {path.absolute()} from the index ({_count(removed, 'file')}).")
    return 0


def _search(
    index: DocumentIndex,
    query: str,
    k: int,
    collection: str | None,
    as_json: bool,
    embedder: HostEmbedder | None = None,
) -> int:
    from gptdesk.core.documents.answer import search

    hits = search(index, query, k, collection, embedder)
    if as_json:
        print(json.dumps([_hit_json(hit) for hit in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print(f"No passages match '{query}'.", file=sys.stderr)
        return 0
    for number, hit in enumerate(hits, start=1):
        where = [str(hit.path)]
        if hit.page is not None:
            where.append(f"page {hit.page}")
        if hit.section:
            where.append(hit.section)
        print(f"{number}. {', '.join(where)} ({hit.score:.3g}): {_shorten(hit.text)}")
    return 0


def _ask(
    index: DocumentIndex,
    args: argparse.Namespace,
    paths: DataPaths,
    embedder: HostEmbedder | None = None,
) -> int:
    """The streamed answer on stdout, then ``Sources:``: one numbered line per passage the
    answer used (its file's path, page and section)."""
    from gptdesk.cli import _backend, _sampling
    from gptdesk.core.documents.answer import NOTHING_FOUND, answer_job, cited, retrieve
    from gptdesk.core.i18n import translate
    from gptdesk.core.inference.backend import Finished, TextDelta
    from gptdesk.core.writing.prompts import PromptTemplates

    if not args.question.strip():
        print("gptdesk: the question is empty.", file=sys.stderr)
        return 2
    sources = retrieve(index, args.question, args.k, args.collection, embedder)
    if embedder is not None:
        embedder.close()  # its process is not needed while the chat model answers
    if not sources:  # the model is not asked: it would make an answer up
        print(translate("answer", NOTHING_FOUND))
        return 0
    prompts = PromptTemplates(paths.database_file if paths.database_file.exists() else None)
    backend = _backend(args, paths)
    cancel = threading.Event()
    answer = ""
    try:
        backend.load()
        job = answer_job(args.question, sources, _sampling(args), prompts)
        for event in job(backend, cancel):
            if isinstance(event, TextDelta):
                sys.stdout.write(event.text)
                sys.stdout.flush()
            elif isinstance(event, Finished):
                answer = event.text
    except KeyboardInterrupt:
        cancel.set()
        print("\ngptdesk: stopped.", file=sys.stderr)
        return 130
    finally:
        backend.close()
        prompts.close()
    used = cited(answer, sources) or sources  # none cited: all of them were its context
    print("\n\nSources:")
    for source in used:
        where = [str(source.path)]
        if source.page is not None:
            where.append(f"page {source.page}")
        if source.section:
            where.append(source.section)
        print(f"[{source.number}] {', '.join(where)}")
    return 0


def _hit_json(hit: Hit) -> dict[str, object]:
    return {
        "path": str(hit.path),
        "text": hit.text,
        "score": hit.score,
        "page": hit.page,
        "section": hit.section,
        "collection": hit.collection,
        "start": hit.start,
        "end": hit.end,
        "chunk_id": hit.chunk_id,
    }


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= _PASSAGE_CHARS:
        return flat
    cut = flat[:_PASSAGE_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > _PASSAGE_CHARS // 2 else cut) + "…"
