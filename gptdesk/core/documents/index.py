"""The document index: collections, their files and passages in SQLite, searched with FTS5.

One database file of its own (``DataPaths.documents_file``), apart from the conversations:
it can be deleted and rebuilt from the user's files, and a long indexing run never holds a
lock the chat needs. Tables:

- ``collections``: named sets of documents ("default" unless the user names one);
- ``roots``: the files and folders the user added to a collection (what a rescan walks), and
  ``excluded`` ones (a file or folder inside an added folder that the user removed);
- ``files``: every file found, with size, mtime (ns), SHA-256, status ("indexed" or
  "failed") and the error that says why it failed;
- ``chunks``: the passages of each file in order, with page (PDF), section (heading path) and
  character offsets into the text the file was read as. A chunk row is never updated: a
  changed file gets new rows, so a chunk id names one text for good (vectors made from it
  later can hang off it and go when it goes);
- ``chunks_fts``: an FTS5 index over the passages, ranked by BM25;
- ``vectors``: a passage's embedding (float16, unit length) and the id of the model that made
  it (``embed.Embedder.model_id``); one per passage: another embedder's vector replaces it.

``chunks_fts`` is an external-content table over the view ``chunk_bodies`` (the passage, or
in ``chunks.body`` what the index sees instead when that differs: Chinese, Japanese and
Korean text cut into bigrams by ``cjk.index_text``). Triggers on ``chunks`` keep it in step, so
a file's passages and their index entries change in one transaction. External content rather
than a contentless table: SQLite before 3.43 cannot delete from a contentless table without
the original values anyway, the text is stored once, and ``rebuild`` can remake the index from
the table when the tokenization changes (``cjk.TRANSFORM_VERSION``). Rather than a plain FTS
table: that keeps a second copy of every passage.

A ``DocumentIndex`` is one connection: use it from one thread (the scanner's worker opens its
own; WAL lets the window search while a scan writes). Writes raise ``ReadOnlyStorageError``
when the data folder cannot be written.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gptdesk.core.documents import cjk
from gptdesk.core.documents.passages import Passage
from gptdesk.core.errors import DocumentIndexError, StorageError, StoreError
from gptdesk.core.i18n import translate
from gptdesk.core.storage.database import memory_database, open_database

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
DEFAULT_COLLECTION = "default"
_BATCH = 256  # passages written between two looks at the stop flag

# Each entry upgrades the schema from version i to i + 1: a list of statements (triggers hold
# semicolons, so a script cannot be split on them).
_SCHEMA_V1 = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE collections (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created REAL NOT NULL
    )""",
    """CREATE TABLE roots (
        id INTEGER PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        excluded INTEGER NOT NULL DEFAULT 0,
        added REAL NOT NULL,
        UNIQUE (collection_id, path)
    )""",
    """CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        sha256 TEXT,
        status TEXT NOT NULL CHECK (status IN ('indexed', 'failed')),
        error TEXT,
        kind TEXT,
        title TEXT,
        scanned REAL NOT NULL,
        UNIQUE (collection_id, path)
    )""",
    """CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        body TEXT,
        page INTEGER,
        section TEXT,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        UNIQUE (file_id, ordinal)
    )""",
    "CREATE VIEW chunk_bodies AS SELECT id, coalesce(body, text) AS body FROM chunks",
    """CREATE VIRTUAL TABLE chunks_fts USING fts5(
        body, content='chunk_bodies', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER chunks_indexed AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts(rowid, body) VALUES (new.id, coalesce(new.body, new.text));
    END""",
    """CREATE TRIGGER chunks_unindexed AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts(chunks_fts, rowid, body)
        VALUES ('delete', old.id, coalesce(old.body, old.text));
    END""",
]
_SCHEMA_V2 = [
    """CREATE TABLE vectors (
        chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL
    )""",
    "CREATE INDEX vectors_by_model ON vectors(model)",
    # Any change to the vectors (a passage removed takes its vector with it) bumps this, so
    # every connection can tell whether the vectors it keeps in memory are still the stored ones.
    "INSERT OR REPLACE INTO meta(key, value) VALUES ('vectors_version', '0')",
    *(
        f"""CREATE TRIGGER vectors_{event.lower()} AFTER {event} ON vectors BEGIN
            UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vectors_version';
        END"""
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
]
_MIGRATIONS: list[list[str]] = [_SCHEMA_V1, _SCHEMA_V2]
MARGIN_MIN_PASSAGES = 3  # below this a median says nothing about what stands out
_VECTOR_BLOCK = 16384  # rows multiplied at once in a vector search (bounded scratch memory)
_FLOAT32_BUDGET = 512 * 2**20  # vectors up to this size are kept as float32 (no conversion)
# The vectors last searched (one model and scope), shared by every connection of the process:
# the window opens a connection per question, and reading 100k vectors takes most of a second.
_vector_caches: dict[tuple[str, str, int | None], _VectorCache] = {}
_vector_caches_lock = threading.Lock()


class _CancelledError(Exception):
    """Raised inside a transaction to roll it back when the caller asked to stop."""


@dataclass(frozen=True)
class Chunk:
    """A stored passage: which file and collection it comes from, its place in the file
    (``ordinal``), its text, page (PDF, 1-based), section (heading path) and the character
    offsets ``start``/``end`` into the text the file was read as."""

    chunk_id: int
    path: Path
    collection: str
    ordinal: int
    text: str
    page: int | None
    section: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Hit(Chunk):
    """A passage found by a search; ``score``: higher is better (BM25, comparable only within
    one search)."""

    score: float


@dataclass(frozen=True)
class FileInfo:
    """A file of a collection: ``status`` "indexed" (``chunks`` passages) or "failed"
    (``error`` says why)."""

    path: Path
    collection: str
    size: int
    mtime_ns: int
    sha256: str | None
    status: str
    error: str | None
    kind: str | None
    title: str | None
    chunks: int
    scanned: float


@dataclass(frozen=True)
class CollectionInfo:
    """A collection with what the user added to it and how much it holds."""

    name: str
    roots: tuple[Path, ...]
    files: int
    failed: int
    chunks: int


@dataclass(frozen=True)
class Root:
    """A file or folder added to a collection; ``excluded``: removed from inside a folder that
    was added (a rescan skips it)."""

    collection: str
    path: Path
    excluded: bool


@dataclass(frozen=True)
class FileState:
    """What the index knows of a file, for the scanner to decide whether to read it again."""

    file_id: int
    size: int
    mtime_ns: int
    sha256: str | None
    status: str


@dataclass(frozen=True)
class _VectorCache:
    """A collection's vectors of one model, read once and kept while the index is unchanged."""

    version: str
    ids: np.ndarray
    matrix: np.ndarray  # (n, dim): float32, or float16 when float32 would be too large


def _hit(row: sqlite3.Row, score: float) -> Hit:
    """A passage row (id, path, collection, ordinal, text, page, section, offsets) as a hit."""
    return Hit(
        chunk_id=int(row["id"]),
        path=Path(row["path"]),
        collection=row["collection"],
        ordinal=int(row["ordinal"]),
        text=row["text"],
        page=row["page"],
        section=row["section"],
        start=int(row["start_char"]),
        end=int(row["end_char"]),
        score=score,
    )


def normalize_path(path: str | os.PathLike[str]) -> str:
    """The absolute form of ``path`` the index keys files and roots by (links not resolved:
    the user sees the path they chose)."""
    return os.path.abspath(os.fspath(path))


class DocumentIndex:
    """The document index in ``path`` (made on first use)."""

    def __init__(self, path: Path, *, check_same_thread: bool = True) -> None:
        self.path = Path(path)
        try:
            opened = open_database(self.path, check_same_thread=check_same_thread)
            self.db = opened.db
            self.refusal: StorageError | None = opened.refusal
            self.db.row_factory = sqlite3.Row
            if not opened.read_only:
                self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate(opened.in_memory, check_same_thread)
            if opened.read_only:
                self.db.execute("PRAGMA query_only=ON")  # writes raise ReadOnlyStorageError
            else:
                self._retokenize_if_stale()
        except sqlite3.DatabaseError as exc:
            raise DocumentIndexError(
                translate(
                    "index",
                    "The document index {path} cannot be opened ({error}). Move it aside and "
                    "add your documents again; your documents themselves are not touched.",
                ).format(path=self.path, error=exc)
            ) from exc

    @property
    def read_only(self) -> bool:
        """Opened read-only (``refusal`` says why): searching works, changes raise."""
        return self.refusal is not None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> DocumentIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ schema

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException:
            # A full disk may have rolled back already; a failing ROLLBACK must not hide why.
            if self.db.in_transaction:
                with suppress(sqlite3.Error, StoreError):
                    self.db.execute("ROLLBACK")
            raise

    def _migrate(self, in_memory: bool, check_same_thread: bool) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version < SCHEMA_VERSION and self.refusal is not None and not in_memory:
            tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if version != 0 or tables:  # an older schema with data: it cannot be upgraded here
                raise self.refusal
            self.db.close()  # an empty file made just before the disk refused
            self.db = memory_database(self.path, check_same_thread)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys=ON")
        if version > SCHEMA_VERSION:
            raise DocumentIndexError(
                translate(
                    "index",
                    "The document index was written by a newer gptdesk (schema {version}); "
                    "update gptdesk.",
                ).format(version=version)
            )
        for target in range(version, SCHEMA_VERSION):
            with self._tx() as db:
                for statement in _MIGRATIONS[target]:
                    db.execute(statement)
                db.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('transform', ?)",
                    (str(cjk.TRANSFORM_VERSION),),
                )
                db.execute(f"PRAGMA user_version={target + 1}")

    def _retokenize_if_stale(self) -> None:
        """Remake every passage's index text when ``cjk`` cuts text differently than when it
        was indexed (a query cut the new way would miss the old entries)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='transform'").fetchone()
        if row is not None and row[0] == str(cjk.TRANSFORM_VERSION):
            return
        log.info("re-tokenizing the document index for text transform %s", cjk.TRANSFORM_VERSION)
        with self._tx() as db:
            db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('delete-all')")
            rows = db.execute("SELECT id, text FROM chunks").fetchall()
            for chunk_id, text in rows:
                body = cjk.index_text(text)
                db.execute(
                    "UPDATE chunks SET body=? WHERE id=?",
                    (body if body != text else None, chunk_id),
                )
            db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('transform', ?)",
                (str(cjk.TRANSFORM_VERSION),),
            )

    # ------------------------------------------------------------------ collections

    def _collection_id(self, name: str, *, create: bool = False) -> int:
        name = name.strip()
        if not name:
            raise DocumentIndexError(translate("index", "A collection needs a name."))
        row = self.db.execute("SELECT id FROM collections WHERE name=?", (name,)).fetchone()
        if row is not None:
            return int(row[0])
        if not create:
            known = ", ".join(c.name for c in self.collections()) or "-"
            raise DocumentIndexError(
                translate(
                    "index", "There is no collection named {name}. The collections: {known}."
                ).format(name=name, known=known)
            )
        cur = self.db.execute(
            "INSERT INTO collections(name, created) VALUES (?, ?)", (name, time.time())
        )
        return int(cur.lastrowid or 0)

    def add_paths(self, collection: str, paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
        """Remember ``paths`` (files or folders) as sources of ``collection`` (made if new),
        so every scan of the collection walks them; returns them in the form the index keeps.
        This reads no file: ``scan.scan`` does."""
        added: list[Path] = []
        with self._tx() as db:
            collection_id = self._collection_id(collection, create=True)
            for path in paths:
                key = normalize_path(path)
                db.execute(
                    "INSERT INTO roots(collection_id, path, excluded, added) VALUES (?, ?, 0, ?) "
                    "ON CONFLICT(collection_id, path) DO UPDATE SET excluded=0",
                    (collection_id, key, time.time()),
                )
                added.append(Path(key))
        return added

    def roots(self, collection: str | None = None) -> list[Root]:
        """What was added (and excluded), per collection, in the order it was added."""
        sql = (
            "SELECT c.name, r.path, r.excluded FROM roots r JOIN collections c "
            "ON c.id=r.collection_id"
        )
        params: tuple[object, ...] = ()
        if collection is not None:
            sql += " WHERE r.collection_id=?"
            params = (self._collection_id(collection),)
        rows = self.db.execute(sql + " ORDER BY c.name, r.id", params).fetchall()
        return [Root(name, Path(path), bool(excluded)) for name, path, excluded in rows]

    def collections(self) -> list[CollectionInfo]:
        """Every collection, by name."""
        result: list[CollectionInfo] = []
        for row in self.db.execute("SELECT id, name FROM collections ORDER BY name").fetchall():
            roots = self.db.execute(
                "SELECT path FROM roots WHERE collection_id=? AND excluded=0 ORDER BY id",
                (row["id"],),
            ).fetchall()
            counts = self.db.execute(
                "SELECT count(*), coalesce(sum(status='failed'), 0), "
                "(SELECT count(*) FROM chunks k JOIN files g ON g.id=k.file_id "
                " WHERE g.collection_id=?) FROM files WHERE collection_id=?",
                (row["id"], row["id"]),
            ).fetchone()
            result.append(
                CollectionInfo(
                    row["name"],
                    tuple(Path(r[0]) for r in roots),
                    int(counts[0]),
                    int(counts[1]),
                    int(counts[2]),
                )
            )
        return result

    def files(self, collection: str | None = None) -> list[FileInfo]:
        """Every file of ``collection`` (or of all), by collection and path."""
        sql = (
            "SELECT f.*, c.name AS collection, (SELECT count(*) FROM chunks k "
            "WHERE k.file_id=f.id) AS n_chunks FROM files f JOIN collections c "
            "ON c.id=f.collection_id"
        )
        params: tuple[object, ...] = ()
        if collection is not None:
            sql += " WHERE f.collection_id=?"
            params = (self._collection_id(collection),)
        rows = self.db.execute(sql + " ORDER BY c.name, f.path", params).fetchall()
        return [
            FileInfo(
                Path(r["path"]),
                r["collection"],
                int(r["size"]),
                int(r["mtime_ns"]),
                r["sha256"],
                r["status"],
                r["error"],
                r["kind"],
                r["title"],
                int(r["n_chunks"]),
                float(r["scanned"]),
            )
            for r in rows
        ]

    def remove(self, path: str | os.PathLike[str], collection: str | None = None) -> int:
        """Forget ``path`` (a file, or a folder and everything under it) in ``collection`` (or
        in every one): its files, their passages, and the sources at or under it. A path
        inside a folder that stays added is excluded, so a rescan does not bring it back.
        Returns the number of files removed; raises ``DocumentIndexError`` when the index
        holds nothing at or under ``path``."""
        key = normalize_path(path)
        prefix = key.rstrip(os.sep) + os.sep
        under = "(path=? OR substr(path, 1, ?)=?)"
        where_params: tuple[object, ...] = (key, len(prefix), prefix)
        with self._tx() as db:
            if collection is not None:
                ids = [self._collection_id(collection)]
            else:
                ids = [int(r[0]) for r in db.execute("SELECT id FROM collections").fetchall()]
            files = roots = 0
            for collection_id in ids:
                cur = db.execute(
                    f"DELETE FROM files WHERE collection_id=? AND {under}",
                    (collection_id, *where_params),
                )
                files += max(cur.rowcount, 0)
                cur = db.execute(
                    f"DELETE FROM roots WHERE collection_id=? AND {under}",
                    (collection_id, *where_params),
                )
                roots += max(cur.rowcount, 0)
                if self._covered(collection_id, key):
                    db.execute(
                        "INSERT INTO roots(collection_id, path, excluded, added) "
                        "VALUES (?, ?, 1, ?)",
                        (collection_id, key, time.time()),
                    )
            if not files and not roots:
                raise DocumentIndexError(
                    translate(
                        "index", "{path} is not in the document index (nothing was added there)."
                    ).format(path=key)
                )
        return files

    def _covered(self, collection_id: int, key: str) -> bool:
        """Whether ``key`` lies inside a folder added to the collection."""
        for (root,) in self.db.execute(
            "SELECT path FROM roots WHERE collection_id=? AND excluded=0", (collection_id,)
        ).fetchall():
            if key.startswith(root.rstrip(os.sep) + os.sep):
                return True
        return False

    # ------------------------------------------------------------------ search

    def search(self, query: str, k: int = 10, collection: str | None = None) -> list[Hit]:
        """The ``k`` passages that match ``query`` best (BM25 over any of its words; Chinese,
        Japanese and Korean by character bigrams), best first; [] when nothing matches or the
        query has no word in it."""
        expression = cjk.match_expression(query)
        if expression is None or k <= 0:
            return []
        sql = (
            "SELECT k.id, f.path, c.name AS collection, k.ordinal, k.text, k.page, k.section, "
            "k.start_char, k.end_char, bm25(chunks_fts) AS rank_ FROM chunks_fts "
            "JOIN chunks k ON k.id=chunks_fts.rowid JOIN files f ON f.id=k.file_id "
            "JOIN collections c ON c.id=f.collection_id WHERE chunks_fts MATCH ?"
        )
        params: list[object] = [expression]
        if collection is not None:
            sql += " AND f.collection_id=?"
            params.append(self._collection_id(collection))
        sql += " ORDER BY rank_, k.id LIMIT ?"
        params.append(k)
        rows = self.db.execute(sql, params).fetchall()
        return [_hit(r, -float(r["rank_"])) for r in rows]

    def _hits(self, ids: Sequence[int], scores: Sequence[float]) -> list[Hit]:
        """The passages ``ids`` as hits with ``scores``, in the order given."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {
            int(r["id"]): r
            for r in self.db.execute(
                "SELECT k.id, f.path, c.name AS collection, k.ordinal, k.text, k.page, "
                "k.section, k.start_char, k.end_char FROM chunks k JOIN files f ON "
                "f.id=k.file_id JOIN collections c ON c.id=f.collection_id "
                f"WHERE k.id IN ({marks})",
                list(ids),
            ).fetchall()
        }
        # A passage removed since the vectors were read is left out.
        return [
            _hit(rows[int(c)], float(score))
            for c, score in zip(ids, scores, strict=True)
            if int(c) in rows
        ]

    # ------------------------------------------------------------------ vectors

    def _scope(self, collection: str | None) -> tuple[str, list[object]]:
        if collection is None:
            return "", []
        return " AND f.collection_id=?", [self._collection_id(collection)]

    def embedding_counts(self, model: str, collection: str | None = None) -> tuple[int, int]:
        """(passages with a vector of ``model``, all passages) of ``collection`` (or all)."""
        where, params = self._scope(collection)
        row = self.db.execute(
            "SELECT count(v.chunk_id), count(*) FROM chunks k JOIN files f ON f.id=k.file_id "
            "LEFT JOIN vectors v ON v.chunk_id=k.id AND v.model=? WHERE 1=1" + where,
            [model, *params],
        ).fetchone()
        return int(row[0]), int(row[1])

    def pending_embeddings(
        self, model: str, collection: str | None = None, limit: int = 32
    ) -> list[tuple[int, str]]:
        """Up to ``limit`` passages (id, text) of ``collection`` with no vector of ``model``."""
        where, params = self._scope(collection)
        rows = self.db.execute(
            "SELECT k.id, k.text FROM chunks k JOIN files f ON f.id=k.file_id "
            "LEFT JOIN vectors v ON v.chunk_id=k.id AND v.model=? "
            "WHERE v.chunk_id IS NULL" + where + " ORDER BY k.id LIMIT ?",
            [model, *params, limit],
        ).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def store_vectors(self, model: str, rows: Sequence[tuple[int, np.ndarray]]) -> int:
        """Keep the vector of each passage (replacing another model's); a passage removed
        meanwhile is skipped. Returns how many were stored."""
        stored = 0
        with self._tx() as db:
            for chunk_id, vector in rows:
                blob = np.asarray(vector, dtype=np.float16).tobytes()
                cur = db.execute(
                    "INSERT OR REPLACE INTO vectors(chunk_id, model, vector) "
                    "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM chunks WHERE id=?)",
                    (chunk_id, model, blob, chunk_id),
                )
                stored += max(cur.rowcount, 0)
        return stored

    def _vectors_version(self) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key='vectors_version'").fetchone()
        return str(row[0]) if row is not None else ""

    def _vector_cache(self, model: str, collection: str | None) -> _VectorCache:
        collection_id = self._collection_id(collection) if collection is not None else None
        key = (str(self.path.resolve()), model, collection_id)
        with _vector_caches_lock:
            version = self._vectors_version()
            cached = _vector_caches.get(key)
            if cached is not None and cached.version == version:
                return cached
            where, params = self._scope(collection)
            rows = self.db.execute(
                "SELECT v.chunk_id, v.vector FROM vectors v JOIN chunks k ON k.id=v.chunk_id "
                "JOIN files f ON f.id=k.file_id WHERE v.model=?" + where,
                [model, *params],
            ).fetchall()
            sizes = {len(r[1]) for r in rows}
            if len(sizes) > 1:  # cannot happen for one model; do not let it break a search
                common = max(sizes, key=lambda n: sum(len(r[1]) == n for r in rows))
                rows = [r for r in rows if len(r[1]) == common]
            ids = np.fromiter((int(r[0]) for r in rows), dtype=np.int64, count=len(rows))
            matrix = (
                np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(
                    len(rows), -1
                )
                if rows
                else np.zeros((0, 0), dtype=np.float16)
            )
            if matrix.size * 4 <= _FLOAT32_BUDGET:
                matrix = matrix.astype(np.float32)
            cached = _VectorCache(version, ids, matrix)
            _vector_caches.clear()  # one model and scope at a time: bounded memory
            _vector_caches[key] = cached
            return cached

    def vector_search(
        self,
        model: str,
        query: np.ndarray,
        k: int = 10,
        collection: str | None = None,
        *,
        min_score: float | None = None,
        min_margin: float = 0.0,
    ) -> list[Hit]:
        """The ``k`` passages whose ``model`` vectors are nearest to ``query`` (cosine, best
        first; ``score`` is the cosine). [] when no passage has a vector of this model.

        ``min_score`` leaves out passages below that cosine; ``min_margin`` those less than it
        above the median cosine of all the passages searched (in collections of
        ``MARGIN_MIN_PASSAGES`` or more): a match must stand out from the collection, which
        embedders that put every text of one language close together need."""
        if k <= 0:
            return []
        cache = self._vector_cache(model, collection)
        n = len(cache.ids)
        if n == 0 or cache.matrix.shape[1] != len(query):
            return []
        q = np.asarray(query, dtype=np.float32)
        scores = np.empty(n, dtype=np.float32)
        for start in range(0, n, _VECTOR_BLOCK):
            block = cache.matrix[start : start + _VECTOR_BLOCK].astype(np.float32, copy=False)
            scores[start : start + len(block)] = block @ q
        floor = -np.inf if min_score is None else min_score
        if min_margin > 0 and n >= MARGIN_MIN_PASSAGES:
            floor = max(floor, float(np.median(scores)) + min_margin)
        k = min(k, n)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[scores[top] >= floor]
        return self._hits([int(cache.ids[i]) for i in top], [float(scores[i]) for i in top])

    def chunks(self, path: str | os.PathLike[str], collection: str | None = None) -> list[Chunk]:
        """The passages of the file ``path`` in order (of every collection that has it)."""
        sql = (
            "SELECT k.*, f.path, c.name AS collection FROM chunks k JOIN files f "
            "ON f.id=k.file_id JOIN collections c ON c.id=f.collection_id WHERE f.path=?"
        )
        params: list[object] = [normalize_path(path)]
        if collection is not None:
            sql += " AND f.collection_id=?"
            params.append(self._collection_id(collection))
        rows = self.db.execute(sql + " ORDER BY c.name, k.ordinal", params).fetchall()
        return [
            Chunk(
                int(r["id"]),
                Path(r["path"]),
                r["collection"],
                int(r["ordinal"]),
                r["text"],
                r["page"],
                r["section"],
                int(r["start_char"]),
                int(r["end_char"]),
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ for the scanner

    def file_states(self, collection: str) -> dict[str, FileState]:
        """Every file of ``collection`` the index knows, by ``normalize_path`` key."""
        rows = self.db.execute(
            "SELECT id, path, size, mtime_ns, sha256, status FROM files WHERE collection_id=?",
            (self._collection_id(collection),),
        ).fetchall()
        return {
            r["path"]: FileState(int(r["id"]), int(r["size"]), int(r["mtime_ns"]), r["sha256"],
                                 r["status"])
            for r in rows
        }  # fmt: skip

    def replace_file(
        self,
        collection: str,
        path: str | os.PathLike[str],
        *,
        size: int,
        mtime_ns: int,
        sha256: str,
        kind: str,
        title: str,
        passages: Iterable[Passage],
        stop: Callable[[], bool] = lambda: False,
    ) -> int | None:
        """Store ``path`` as indexed with ``passages`` in place of what it had, in one
        transaction: a search sees the old passages or the new ones, never a mix. ``stop`` is
        asked between batches of passages; when it says yes everything is rolled back and
        None returned. Returns the number of passages."""
        key = normalize_path(path)
        try:
            with self._tx() as db:
                collection_id = self._collection_id(collection, create=True)
                file_id = self._upsert_file(
                    collection_id, key, size, mtime_ns, sha256, "indexed", None, kind, title
                )
                db.execute("DELETE FROM chunks WHERE file_id=?", (file_id,))
                count = 0
                batch: list[tuple[object, ...]] = []
                for passage in passages:
                    body = cjk.index_text(passage.text)
                    batch.append(
                        (
                            file_id,
                            count,
                            passage.text,
                            body if body != passage.text else None,
                            passage.page,
                            passage.section,
                            passage.start,
                            passage.end,
                        )
                    )
                    count += 1
                    if len(batch) >= _BATCH:
                        self._insert_chunks(batch)
                        batch = []
                        if stop():
                            raise _CancelledError
                self._insert_chunks(batch)
                if stop():
                    raise _CancelledError
        except _CancelledError:
            return None  # _tx rolled back: the file is as it was before
        return count

    def _insert_chunks(self, rows: list[tuple[object, ...]]) -> None:
        if rows:
            self.db.executemany(
                "INSERT INTO chunks(file_id, ordinal, text, body, page, section, start_char, "
                "end_char) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def _upsert_file(
        self,
        collection_id: int,
        key: str,
        size: int,
        mtime_ns: int,
        sha256: str | None,
        status: str,
        error: str | None,
        kind: str | None,
        title: str | None,
    ) -> int:
        row = self.db.execute(
            "INSERT INTO files(collection_id, path, size, mtime_ns, sha256, status, error, kind, "
            "title, scanned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(collection_id, path) DO UPDATE SET size=excluded.size, "
            "mtime_ns=excluded.mtime_ns, sha256=excluded.sha256, status=excluded.status, "
            "error=excluded.error, kind=excluded.kind, title=excluded.title, "
            "scanned=excluded.scanned RETURNING id",
            (collection_id, key, size, mtime_ns, sha256, status, error, kind, title, time.time()),
        ).fetchone()
        return int(row[0])

    def record_failure(
        self,
        collection: str,
        path: str | os.PathLike[str],
        *,
        size: int,
        mtime_ns: int,
        error: str,
    ) -> None:
        """Mark ``path`` failed with ``error`` (shown in the file list); its old passages go."""
        with self._tx() as db:
            collection_id = self._collection_id(collection, create=True)
            file_id = self._upsert_file(
                collection_id, normalize_path(path), size, mtime_ns, None, "failed", error,
                None, None,
            )  # fmt: skip
            db.execute("DELETE FROM chunks WHERE file_id=?", (file_id,))

    def confirm_file(self, file_id: int, *, size: int, mtime_ns: int) -> None:
        """The file's content is what was indexed (same hash): only its size and time change."""
        with self._tx() as db:
            db.execute(
                "UPDATE files SET size=?, mtime_ns=?, scanned=? WHERE id=?",
                (size, mtime_ns, time.time(), file_id),
            )

    def forget_files(self, file_ids: Iterable[int]) -> int:
        """Remove these files and their passages (they were deleted); how many were known."""
        removed = 0
        with self._tx() as db:
            for file_id in file_ids:
                removed += max(db.execute("DELETE FROM files WHERE id=?", (file_id,)).rowcount, 0)
        return removed

    def forget_root(self, collection: str, path: str | os.PathLike[str]) -> None:
        """Stop walking ``path`` for ``collection`` (it no longer exists)."""
        with self._tx() as db:
            db.execute(
                "DELETE FROM roots WHERE collection_id=? AND path=?",
                (self._collection_id(collection), normalize_path(path)),
            )
