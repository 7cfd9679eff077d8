"""A full disk, simulated with SQLite's own limit (``PRAGMA max_page_count`` at the current page
count makes every write that needs a page fail with a real SQLITE_FULL): the project's error
type, nothing of a streaming reply lost, and all of it saved once there is room again."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from gptdesk.core.chat.session import ChatSession
from gptdesk.core.errors import ReadOnlyStorageError, StorageFullError, StoreError
from gptdesk.core.storage.database import storage_error
from gptdesk.core.storage.store import Store

ROOM = 1_073_741_823  # SQLite's largest max_page_count: space again


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def fill_disk(store: Store) -> None:
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count={pages}")


def free_space(store: Store) -> None:
    store.db.execute(f"PRAGMA max_page_count={ROOM}")


def stored(store: Store, message_id: int) -> tuple[str, str]:
    message = store.message(message_id)
    return message.content, message.state


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "chats.sqlite3")
    yield s
    s.close()


def test_a_full_disk_is_the_projects_error_with_advice(store: Store) -> None:
    fill_disk(store)
    with pytest.raises(StorageFullError, match="The disk is full") as caught:
        store.create_conversation("x" * 50_000)
    assert isinstance(caught.value, StoreError)
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert "move it aside" not in str(caught.value)
    free_space(store)  # the failed transaction left nothing behind, and the store goes on
    assert store.conversations() == []
    store.create_conversation("fine")


def test_a_reply_streaming_onto_a_full_disk_is_kept_and_saved_whole_later(store: Store) -> None:
    clock = Clock()
    session = ChatSession(store, clock=clock)
    session.send("Write a lot")
    reply = session.reply
    assert reply is not None
    fill_disk(store)
    pieces = [f"piece {i:04d} " + "x" * 90 for i in range(300)]  # 30 kB: needs new pages
    refusals = 0
    for piece in pieces:
        clock.now += 0.02  # 6 s of streaming
        try:
            session.append(piece)
        except StorageFullError:
            refusals += 1
    whole = "".join(pieces)
    assert 1 <= refusals <= 7  # tried once a second, not once per piece
    assert session.unsaved and session.reply_text == whole  # nothing dropped
    with pytest.raises(StorageFullError):
        session.finish(whole, None)
    assert not session.busy and session.unsaved and session.reply_text == whole
    assert stored(store, reply.id)[0] != whole
    clock.now += 0.5
    assert session.save_due_in() == pytest.approx(0.5)  # the next try, a second after the last
    assert not session.save_due()

    free_space(store)
    clock.now += 0.5
    assert session.save_due()
    assert stored(store, reply.id) == (whole, "complete")
    assert not session.unsaved and session.save_due_in() is None
    session.send("Next")  # the session is free again
    assert [m.content for m in session.history()][:3] == ["Write a lot", whole, "Next"]


def test_a_refused_finish_is_saved_before_the_next_message(store: Store) -> None:
    session = ChatSession(store)
    session.send("Hi")
    reply = session.reply
    assert reply is not None
    fill_disk(store)
    with pytest.raises(StorageFullError):
        session.finish("y" * 20_000, None)
    with pytest.raises(StorageFullError):  # the next turn would go before the lost one
        session.send("Again")
    free_space(store)
    session.send("Again")
    assert [m.content for m in session.history()] == ["Hi", "y" * 20_000, "Again", ""]


def test_os_errors_are_named_by_errno_not_by_text(tmp_path: Path) -> None:
    full = storage_error(OSError(errno.ENOSPC, "whatever the text says"), tmp_path / "db")
    assert isinstance(full, StorageFullError)
    read_only = storage_error(OSError(errno.EROFS, "whatever the text says"), tmp_path / "db")
    assert isinstance(read_only, ReadOnlyStorageError)
    assert str(tmp_path) in str(read_only)
    assert storage_error(OSError(errno.ENOENT, "No space left on device"), tmp_path / "db") is None
    assert storage_error(sqlite3.OperationalError("database or disk is full"), tmp_path) is None
