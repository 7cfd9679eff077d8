"""Finding, reading and indexing a collection's files, incrementally and off the GUI thread.

``scan(index, collection, paths)`` is a generator: it lists the files of the added folders
(supported kinds only; hidden files and folders are passed over), then reads each new or
changed one and stores its passages, yielding ``ScanProgress`` as it goes (files and bytes
done, the file being read, an ETA) and a ``ScanFinished`` with the ``ScanReport`` last. It
blocks on the disk and on PDF parsing: run it in a worker thread (with its own
``DocumentIndex``), and stop it with the ``cancel`` event, which is honoured while listing,
between files and between batches of a big file's passages (a file is stored whole or not at
all; what was done before stays indexed).

Incremental: a file whose size and mtime are what the index holds is skipped without being
opened; when they differ the SHA-256 decides (a file touched or copied back with the same
content keeps its passages). A changed file is re-indexed in one transaction; a file that is
gone is removed. A file that cannot be indexed (encrypted or damaged PDF, binary data in a
.txt, over ``ScanLimits.max_file_bytes``, unreadable, vanished while being read) is marked
failed with a line in the report, and the others go on.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from gptdesk.core.documents.index import DocumentIndex, FileState, normalize_path
from gptdesk.core.documents.passages import OVERLAP_WORDS, PASSAGE_WORDS, iter_passages
from gptdesk.core.i18n import translate
from gptdesk.core.writing.documents import KINDS, MAX_FILE_BYTES, DocumentError, read_document

log = logging.getLogger(__name__)

_BLOCK = 1 << 20  # bytes read at a time while hashing
_STOP_CHECK_BYTES = 16 << 20  # look at the stop flag this often while hashing a big file
_SNIFF_BYTES = 8192  # a NUL byte in these (and no UTF-16 mark) means binary data
_FILE_COST = 32 * 1024  # what opening one file costs, in bytes of reading, for the ETA
_QUIET_S = 0.1  # at most this often an event for files that are skipped or still listed
_TEXT_KINDS = {"text", "markdown", "html"}


@dataclass(frozen=True)
class ScanLimits:
    """Bounds on one file: larger files are reported, not read (memory and time are bounded
    by size); the passage size and overlap in words."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_words: int = PASSAGE_WORDS
    overlap_words: int = OVERLAP_WORDS


@dataclass(frozen=True)
class Problem:
    """A line of the report: the file or folder, and what went wrong (a sentence to show)."""

    path: Path
    message: str


@dataclass
class ScanReport:
    """What a scan of ``collection`` did: files ``added`` and ``updated`` (read and indexed),
    ``unchanged`` (same size and mtime: not opened), ``confirmed`` (mtime changed, same
    SHA-256: not re-read), ``removed`` (gone from disk), ``failed`` (each with a line in
    ``problems``), ``ignored`` (hidden or of a kind gptdesk does not read, inside added
    folders); ``chunks``: passages written; ``cancelled``: stopped before the end."""

    collection: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    confirmed: int = 0
    removed: int = 0
    failed: int = 0
    ignored: int = 0
    chunks: int = 0
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False

    @property
    def indexed(self) -> int:
        """Files read and indexed by this scan."""
        return self.added + self.updated

    @property
    def usable(self) -> int:
        """Files of the scan that are in the index now, read or not."""
        return self.added + self.updated + self.unchanged + self.confirmed


@dataclass(frozen=True)
class ScanProgress:
    """Where a scan is: ``files_done`` of ``files_total`` files, ``bytes_done`` of
    ``bytes_total`` bytes to read (files skipped unopened count no bytes), the file about to
    be read (``current``), the seconds left (``eta_s``, None until it can be told). While
    ``listing`` the totals still grow."""

    collection: str
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    current: Path | None
    eta_s: float | None
    listing: bool = False


@dataclass(frozen=True)
class ScanFinished:
    """The last event of a scan."""

    report: ScanReport


ScanEvent: TypeAlias = ScanProgress | ScanFinished


@dataclass(frozen=True)
class _Entry:
    key: str
    size: int
    mtime_ns: int
    work: int  # bytes to read (0: unchanged by size and mtime) plus the cost of a file


class _CancelledError(Exception):
    """The cancel event was set while a file was being hashed."""


def run_scan(
    index: DocumentIndex,
    collection: str,
    paths: Sequence[str | os.PathLike[str]] | None = None,
    *,
    cancel: threading.Event | None = None,
    limits: ScanLimits | None = None,
    on_progress: Callable[[ScanProgress], None] | None = None,
) -> ScanReport:
    """``scan`` to the end; ``on_progress`` gets each progress event."""
    for event in scan(index, collection, paths, cancel=cancel, limits=limits):
        if isinstance(event, ScanFinished):
            return event.report
        if on_progress is not None:
            on_progress(event)
    raise AssertionError("scan() always ends with ScanFinished")


def scan(
    index: DocumentIndex,
    collection: str,
    paths: Sequence[str | os.PathLike[str]] | None = None,
    *,
    cancel: threading.Event | None = None,
    limits: ScanLimits | None = None,
) -> Iterator[ScanEvent]:
    """Add ``paths`` (files or folders) to ``collection`` and index them; with ``paths``
    None, rescan everything the collection holds. See the module text."""
    return _Scan(index, collection, cancel, limits or ScanLimits()).run(paths)


class _Scan:
    """One run of ``scan``: its state and report."""

    def __init__(
        self,
        index: DocumentIndex,
        collection: str,
        cancel: threading.Event | None,
        limits: ScanLimits,
    ) -> None:
        self.index = index
        self.collection = collection
        self.cancel = cancel or threading.Event()
        self.limits = limits
        self.report = ScanReport(collection)
        self.known: dict[str, FileState] = {}
        self.seen: set[str] = set()
        self.kept: list[str] = []  # roots out of reach (unplugged drive?): their files stay
        self.last_event = 0.0

    def stopped(self) -> bool:
        return self.cancel.is_set()

    def problem(self, path: str | Path, message: str) -> None:
        self.report.problems.append(Problem(Path(path), message))
        log.info("%s: %s", path, message)

    def progress(
        self,
        files: tuple[int, int],
        size: tuple[int, int],
        current: str | None = None,
        eta_s: float | None = None,
        *,
        listing: bool = False,
    ) -> ScanProgress:
        """An event: (done, total) files and bytes; the file about to be read."""
        self.last_event = time.monotonic()
        return ScanProgress(
            self.collection,
            files[0],
            files[1],
            size[0],
            size[1],
            Path(current) if current is not None else None,
            eta_s,
            listing,
        )

    # ------------------------------------------------------------------ the run

    def run(self, paths: Sequence[str | os.PathLike[str]] | None) -> Iterator[ScanEvent]:
        names = {c.name for c in self.index.collections()}
        walk: list[str]
        if paths is not None:
            walk = []
            for path in paths:
                key = normalize_path(path)
                if os.path.exists(key):
                    walk.append(key)
                else:
                    self.problem(
                        key,
                        translate(
                            "scan", "{name} does not exist (was it moved or deleted?)."
                        ).format(name=Path(key).name or key),
                    )
            if walk:
                self.index.add_paths(self.collection, walk)
                names.add(self.collection)
        elif self.collection in names:
            walk = [str(r.path) for r in self.index.roots(self.collection) if not r.excluded]
        else:
            self.index.roots(self.collection)  # raises: no such collection
            walk = []
        excluded: set[str] = set()
        if self.collection in names:
            excluded = {str(r.path) for r in self.index.roots(self.collection) if r.excluded}
            self.known = self.index.file_states(self.collection)

        entries: list[_Entry] = []
        yield from self._list(walk, excluded, entries)
        if not self.report.cancelled:
            yield from self._index(entries)
        if not self.report.cancelled:
            self._remove_deleted(walk if paths is not None else None)
        yield ScanFinished(self.report)

    # ------------------------------------------------------------------ listing

    def _list(
        self, roots: list[str], excluded: set[str], entries: list[_Entry]
    ) -> Iterator[ScanProgress]:
        to_read = 0  # bytes of the files found so far that must be read
        for root in roots:
            if self.stopped():
                break
            if not os.path.exists(root):
                self._root_missing(root)
                continue
            found = [root] if not os.path.isdir(root) else self._walk(root, excluded)
            for key in found:
                if self.stopped():
                    break
                if key in self.seen:
                    continue
                try:
                    info = os.stat(key)
                except FileNotFoundError:
                    self._vanished(key)
                    continue
                except OSError as exc:
                    self._unreadable(key, exc)
                    continue
                self.seen.add(key)
                state = self.known.get(key)
                same = (
                    state is not None
                    and state.status == "indexed"
                    and (state.size, state.mtime_ns) == (info.st_size, info.st_mtime_ns)
                )
                work = 0 if same else info.st_size + _FILE_COST
                entries.append(_Entry(key, info.st_size, info.st_mtime_ns, work))
                to_read += info.st_size if work else 0
                if time.monotonic() - self.last_event >= _QUIET_S:
                    yield self.progress((0, len(entries)), (0, to_read), listing=True)
        if self.stopped():
            self.report.cancelled = True  # the listing is incomplete: nothing counts as gone

    def _walk(self, root: str, excluded: set[str]) -> Iterator[str]:
        """The supported files under ``root``, depth first in name order; hidden entries,
        links to folders and ``excluded`` paths are passed over."""
        stack = [root]
        while stack:
            if self.stopped():
                return
            folder = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    children = sorted(listing, key=lambda e: e.name)
            except OSError as exc:
                self.problem(
                    folder,
                    translate(
                        "scan", "The folder {name} cannot be opened ({error}); its files were "
                        "skipped.",
                    ).format(name=Path(folder).name, error=exc.strerror or exc),
                )  # fmt: skip
                continue
            folders: list[str] = []
            for child in children:
                if child.path in excluded:
                    continue
                try:
                    if _hidden(child):
                        self.report.ignored += 1
                        continue
                    if child.is_dir(follow_symlinks=False):
                        folders.append(child.path)
                        continue
                    if not child.is_file():
                        continue
                except OSError:
                    continue  # gone between the listing and the look: not ours to report
                if os.path.splitext(child.name)[1].lower() not in KINDS:
                    self.report.ignored += 1
                    continue
                yield child.path
            stack.extend(reversed(folders))

    def _root_missing(self, root: str) -> None:
        """An added file or folder is not there: deleted if its folder is (it goes from the
        collection), else out of reach (a drive not connected): its passages stay."""
        name = Path(root).name or root
        if os.path.isdir(os.path.dirname(root)):
            self.index.forget_root(self.collection, root)
            inside = root.rstrip(os.sep) + os.sep
            gone = [key for key in self.known if key == root or key.startswith(inside)]
            ids = [self.known.pop(key).file_id for key in gone]
            self.report.removed += self.index.forget_files(ids)
            self.problem(
                root,
                translate("scan", "{name} no longer exists; it was removed from the collection.")
                .format(name=name),
            )  # fmt: skip
        else:
            self.kept.append(root)
            self.problem(
                root,
                translate(
                    "scan",
                    "{name} cannot be found (is its drive connected?); what was indexed from it "
                    "is kept.",
                ).format(name=name),
            )

    # ------------------------------------------------------------------ reading

    def _index(self, entries: list[_Entry]) -> Iterator[ScanProgress]:
        total_bytes = sum(e.size for e in entries if e.work)
        total_work = sum(e.work for e in entries)
        done_bytes = done_work = 0
        started = time.monotonic()
        for number, entry in enumerate(entries):
            if self.stopped():
                self.report.cancelled = True
                return
            if entry.work or time.monotonic() - self.last_event >= _QUIET_S:
                elapsed = time.monotonic() - started
                eta = None
                if done_work and elapsed > 0:
                    eta = elapsed / done_work * (total_work - done_work)
                yield self.progress(
                    (number, len(entries)), (done_bytes, total_bytes), entry.key, eta
                )
            if not self._file(entry):
                self.report.cancelled = True
                return
            done_work += entry.work
            done_bytes += entry.size if entry.work else 0

    def _file(self, entry: _Entry) -> bool:
        """Bring one file up to date in the index; False when the scan was stopped."""
        state = self.known.get(entry.key)
        if entry.work == 0:
            self.report.unchanged += 1
            return True
        name = Path(entry.key).name
        if entry.size > self.limits.max_file_bytes:
            self._fail(
                entry,
                translate(
                    "scan",
                    "{name} is {size}, more than the {most} gptdesk indexes in one file; it was "
                    "skipped. Split it into smaller files to index it.",
                ).format(name=name, size=_size(entry.size), most=_size(self.limits.max_file_bytes)),
            )
            return True
        try:
            digest, head = self._hash(entry.key)
        except _CancelledError:
            return False
        except FileNotFoundError:
            self._vanished(entry.key)
            return True
        except OSError as exc:
            self._unreadable(entry.key, exc, entry)
            return True
        if state is not None and state.status == "indexed" and state.sha256 == digest:
            self.index.confirm_file(state.file_id, size=entry.size, mtime_ns=entry.mtime_ns)
            self.report.confirmed += 1
            return True
        suffix = os.path.splitext(name)[1].lower()
        if KINDS.get(suffix) in _TEXT_KINDS and _binary(head):
            self._fail(
                entry,
                translate(
                    "scan",
                    "{name} holds binary data, not text, although its name ends in {suffix}; "
                    "it was skipped.",
                ).format(name=name, suffix=suffix),
            )
            return True
        try:
            document = read_document(Path(entry.key))
        except DocumentError as exc:
            if not os.path.exists(entry.key):
                self._vanished(entry.key)
            else:
                self._fail(entry, str(exc))
            return True
        except Exception as exc:  # a parser's bug on one file must not end the scan
            log.exception("reading %s failed", entry.key)
            self._fail(
                entry,
                translate("scan", "{name} could not be read ({error}); it was skipped.").format(
                    name=name, error=f"{type(exc).__name__}: {exc}"
                ),
            )
            return True
        passages = iter_passages(
            document, max_words=self.limits.max_words, overlap_words=self.limits.overlap_words
        )
        count = self.index.replace_file(
            self.collection,
            entry.key,
            size=entry.size,
            mtime_ns=entry.mtime_ns,
            sha256=digest,
            kind=document.kind,
            title=document.title,
            passages=passages,
            stop=self.stopped,
        )
        if count is None:
            return False
        self.report.chunks += count
        if state is None:
            self.report.added += 1
        else:
            self.report.updated += 1
        return True

    def _hash(self, key: str) -> tuple[str, bytes]:
        """The SHA-256 of the file and its first bytes (to tell text from binary data)."""
        digest = hashlib.sha256()
        head = b""
        since_check = 0
        with open(key, "rb") as fh:
            while block := fh.read(_BLOCK):
                if not head:
                    head = block[:_SNIFF_BYTES]
                digest.update(block)
                since_check += len(block)
                if since_check >= _STOP_CHECK_BYTES:
                    since_check = 0
                    if self.stopped():
                        raise _CancelledError
        return digest.hexdigest(), head

    def _fail(self, entry: _Entry, message: str) -> None:
        self.index.record_failure(
            self.collection, entry.key, size=entry.size, mtime_ns=entry.mtime_ns, error=message
        )
        self.report.failed += 1
        self.problem(entry.key, message)

    def _vanished(self, key: str) -> None:
        """A listed file is gone before it could be read: a line, and out of the index."""
        self.seen.discard(key)
        state = self.known.pop(key, None)
        if state is not None:
            self.report.removed += self.index.forget_files([state.file_id])
        self.problem(
            key,
            translate(
                "scan", "{name} disappeared while it was being indexed (moved or deleted)."
            ).format(name=Path(key).name),
        )

    def _unreadable(self, key: str, exc: OSError, entry: _Entry | None = None) -> None:
        message = translate("scan", "{name} cannot be read: {error}.").format(
            name=Path(key).name, error=exc.strerror or exc
        )
        if entry is not None:
            self._fail(entry, message)
        else:
            self.report.failed += 1
            self.problem(key, message)

    # ------------------------------------------------------------------ deletions

    def _remove_deleted(self, walked: list[str] | None) -> None:
        """Forget the files the index holds that the listing did not find: of the whole
        collection after a rescan, under the walked paths after an add. Files under a root
        that is out of reach stay."""

        def under(key: str, roots: list[str]) -> bool:
            return any(key == r or key.startswith(r.rstrip(os.sep) + os.sep) for r in roots)

        gone = [
            state.file_id
            for key, state in self.known.items()
            if key not in self.seen
            and not under(key, self.kept)
            and (walked is None or under(key, walked))
        ]
        if gone:
            self.report.removed += self.index.forget_files(gone)


def _hidden(entry: os.DirEntry[str]) -> bool:
    """A dot file, or on Windows a file with the hidden attribute (there ``stat`` is free)."""
    if entry.name.startswith("."):
        return True
    if os.name != "nt":
        return False
    attributes = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def _binary(head: bytes) -> bool:
    """Whether the first bytes of a file are binary data (a NUL byte outside UTF-16)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head


def _size(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"
