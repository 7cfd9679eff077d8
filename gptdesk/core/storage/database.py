"""Opening the SQLite database (read-only where it cannot be written) and naming disk failures.

Every connection to the app's database comes from ``open_database``. It opens the file for
reading and writing when its folder and the file can be written; otherwise (a read-only disk or
folder, wrong permissions) it opens it read-only, so everything that only reads keeps working,
and says why in ``OpenedDatabase.refusal``. A read-only open of a WAL database needs its
``-shm``/``-wal`` files or a folder to create them in; when neither is there the file is opened
``immutable`` (nobody can write it anyway). A database that does not exist yet in a read-only
folder is an empty one in memory.

The connection turns SQLite's storage failures into the project's errors (``StorageFullError``,
``ReadOnlyStorageError``, ``StorageIOError``), decided by SQLite's error code or the OS errno,
never by the message text: everything above it catches ``StoreError`` and shows its text.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gptdesk.core.errors import (
    ReadOnlyStorageError,
    StorageError,
    StorageFullError,
    StorageIOError,
)
from gptdesk.core.i18n import translate

log = logging.getLogger(__name__)

# SQLite's primary result codes (the low byte of an extended code); the names are in
# sqlite3's module only from Python 3.11.
_SQLITE_PERM = 3
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
_NEARLY_FULL_BYTES = 1 << 20  # an I/O error with less free than this is a full disk


def storage_error(exc: BaseException, path: Path) -> StorageError | None:
    """The project's error for a disk failure while using the database ``path`` (None: ``exc``
    is something else, such as a damaged file or a programming error)."""
    if isinstance(exc, StorageError):
        return exc
    kind = _kind(exc, path)
    if kind is None:
        return None
    if kind == "full":
        return StorageFullError(
            translate(
                "storage",
                "The disk is full: {path} cannot be written. Free some space, then try again.",
            ).format(path=path)
        )
    if kind == "read-only":
        return read_only_error(path)
    return StorageIOError(
        translate(
            "storage",
            "The disk reported an error while using {path} ({error}). Check the disk or its "
            "connection, then try again.",
        ).format(path=path, error=exc)
    )


def read_only_error(path: Path) -> ReadOnlyStorageError:
    """The error (with its advice) for a database whose folder or file cannot be written."""
    return ReadOnlyStorageError(
        translate(
            "storage",
            "The data folder {folder} is read-only, so gptdesk cannot save anything there. "
            "Make it writable, or start gptdesk with --data-dir and a writable folder; "
            "reading works as before.",
        ).format(folder=path.parent)
    )


def _kind(exc: BaseException, path: Path) -> str | None:
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if not isinstance(code, int):
            return None
        primary = code & 0xFF
        if primary == _SQLITE_FULL:
            return "full"
        if primary in (_SQLITE_READONLY, _SQLITE_PERM):
            return "read-only"
        if primary == _SQLITE_CANTOPEN:
            return "read-only" if not folder_writable(path.parent) else "io"
        if primary == _SQLITE_IOERR:
            return "full" if _nearly_full(path.parent) else "io"
        return None
    if isinstance(exc, OSError):
        if exc.errno in _FULL_ERRNOS:
            return "full"
        if exc.errno in _READ_ONLY_ERRNOS:
            return "read-only"
        if exc.errno == errno.EIO:
            return "io"
    return None


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def folder_writable(folder: Path) -> bool:
    """Whether files can be made in ``folder`` (a read-only disk counts, also for root)."""
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


class StorageConnection(sqlite3.Connection):
    """A connection whose disk failures arrive as the project's ``StorageError``s."""

    storage_path: Path = Path()

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise self._translated(exc) from exc

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except sqlite3.Error as exc:
            raise self._translated(exc) from exc

    def commit(self) -> None:
        try:
            super().commit()
        except sqlite3.Error as exc:
            raise self._translated(exc) from exc

    def _translated(self, exc: sqlite3.Error) -> Exception:
        return storage_error(exc, self.storage_path) or exc


@dataclass
class OpenedDatabase:
    """A connection from ``open_database``; ``refusal`` says why it is read-only (None: it
    can be written). ``in_memory``: the file does not exist and could not be made."""

    db: StorageConnection
    refusal: StorageError | None = None
    in_memory: bool = False

    @property
    def read_only(self) -> bool:
        return self.refusal is not None

    def seal(self) -> None:
        """After the caller's setup (a schema in memory): refuse every write from now on."""
        if self.refusal is not None:
            self.db.execute("PRAGMA query_only=ON")


def _connect(target: str, path: Path, check_same_thread: bool, uri: bool) -> StorageConnection:
    db = sqlite3.connect(
        target,
        isolation_level=None,
        timeout=10,
        check_same_thread=check_same_thread,
        uri=uri,
        factory=StorageConnection,
    )
    db.storage_path = path
    return db


def open_database(path: Path, *, check_same_thread: bool = True) -> OpenedDatabase:
    """Open ``path`` (WAL) for writing, or read-only when it cannot be written (see the module
    text). Raises a ``StorageError`` when it cannot even be read, ``sqlite3.Error`` for a file
    that is not a database."""
    refusal: StorageError | None = None
    if _prepare_folder(path.parent) and (not path.exists() or os.access(path, os.W_OK)):
        db = _connect(str(path), path, check_same_thread, uri=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
        except StorageError as exc:
            db.close()
            log.warning("%s cannot be opened for writing (%s); opening it read-only", path, exc)
            refusal = exc
        else:
            return OpenedDatabase(db)
    else:
        refusal = read_only_error(path)
    if not path.exists() or path.stat().st_size == 0:
        return OpenedDatabase(memory_database(path, check_same_thread), refusal, True)
    return OpenedDatabase(_open_read_only(path, check_same_thread, refusal), refusal)


def memory_database(path: Path, check_same_thread: bool = True) -> StorageConnection:
    """An empty database in memory standing in for ``path`` (or the tables it lacks) when that
    cannot be written (its errors still name ``path``)."""
    log.info("%s cannot be written: what it does not hold yet starts empty, in memory", path)
    return _connect(":memory:", path, check_same_thread, uri=False)


def _prepare_folder(folder: Path) -> bool:
    """Make ``folder`` if it is missing; whether files can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if _kind(exc, folder / "x") == "read-only":
            return False
        raise storage_error(exc, folder) or exc from exc
    return folder_writable(folder)


def _open_read_only(
    path: Path, check_same_thread: bool, refusal: StorageError
) -> StorageConnection:
    uri = path.resolve().as_uri()
    last: Exception = refusal
    for query in ("mode=ro", "mode=ro&immutable=1"):
        db = _connect(f"{uri}?{query}", path, check_same_thread, uri=True)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except (StorageError, sqlite3.Error) as exc:
            db.close()
            last = exc
            continue
        if "immutable" in query:
            wal = path.with_name(path.name + "-wal")
            if wal.exists() and wal.stat().st_size:
                log.warning(
                    "%s is read without its write-ahead log (no -shm file and a read-only "
                    "folder): the latest changes may be missing until it is opened writable",
                    path,
                )
        return db
    raise last
