"""Conversations in SQLite (WAL): a tree of message versions, saved while a reply streams.

Messages form a tree: regenerating a reply adds a sibling assistant message under the same
parent, editing a user message adds a sibling user message; older versions are never lost. A
conversation remembers its active leaf; the active path is what the chat shows and sends.

A streaming reply is written as it grows (``update_streaming``; the caller does it at least
every second) with state ``streaming``. Opening the store marks any still-streaming message
``interrupted``: the app was killed mid-reply and the text up to the last save is kept.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from gptdesk.core.errors import StorageError, StoreError
from gptdesk.core.i18n import translate
from gptdesk.core.storage.database import memory_database, open_database

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
MessageState = Literal["complete", "streaming", "interrupted"]

_SCHEMA_V1 = """
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    system_prompt TEXT NOT NULL DEFAULT '',
    params TEXT NOT NULL DEFAULT '{}',
    active_leaf INTEGER
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'complete',
    created REAL NOT NULL,
    stats TEXT
);
CREATE INDEX messages_by_parent ON messages(conversation_id, parent_id);
"""

# Version 2: the writing panes' documents (summaries, stories, emails, translations).
_SCHEMA_V2 = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX documents_by_kind ON documents(kind, updated);
"""

# Each entry upgrades the schema from version i to i + 1.
_MIGRATIONS: list[str] = [_SCHEMA_V1, _SCHEMA_V2]


__all__ = ["Branch", "Conversation", "Document", "Message", "Store", "StoreError"]


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    parent_id: int | None
    role: str
    content: str
    state: MessageState
    created: float
    stats: dict[str, Any] | None = None


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created: float
    updated: float
    system_prompt: str
    params: dict[str, Any]
    active_leaf: int | None


@dataclass(frozen=True)
class Document:
    """A writing pane's document: its main text in ``body``, the pane's fields in ``data``."""

    id: int
    kind: str
    title: str
    created: float
    updated: float
    body: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Branch:
    """Where a message sits among its versions: index (1-based) of count, and their ids."""

    index: int
    count: int
    sibling_ids: tuple[int, ...]


class Store:
    """One SQLite database; use it from one thread (each thread opens its own Store)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            opened = open_database(path)
            self.db = opened.db
            self.refusal: StorageError | None = opened.refusal
            self.db.row_factory = sqlite3.Row
            if not opened.read_only:
                self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate(opened.in_memory)
            if opened.read_only:
                self.db.execute("PRAGMA query_only=ON")  # writes raise ReadOnlyStorageError
            else:
                self._mark_interrupted()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                translate(
                    "store",
                    "The conversation database {path} cannot be opened ({error}). Move it aside "
                    "to start fresh; the file itself is left untouched.",
                ).format(path=path, error=exc)
            ) from exc

    @property
    def read_only(self) -> bool:
        """Opened read-only (``refusal`` says why): reading works, every write raises
        ``ReadOnlyStorageError``."""
        return self.refusal is not None

    def _mark_interrupted(self) -> None:
        """Replies still 'streaming' were cut by a crash: mark them (a full disk may refuse;
        then they are marked at the next start)."""
        try:
            self.db.execute("UPDATE messages SET state='interrupted' WHERE state='streaming'")
        except StorageError as exc:
            log.warning("could not mark cut replies interrupted: %s", exc)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException:
            # A full disk may have rolled the transaction back already; a failing ROLLBACK
            # must not hide the error that caused it.
            if self.db.in_transaction:
                with suppress(sqlite3.Error, StoreError):
                    self.db.execute("ROLLBACK")
            raise

    def _migrate(self, in_memory: bool = False) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version < SCHEMA_VERSION and self.refusal is not None and not in_memory:
            tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if version != 0 or tables:  # an older schema with data: it cannot be upgraded here
                raise self.refusal
            # A file with nothing in it yet (made just before the disk refused).
            self.db.close()
            self.db = memory_database(self.path)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys=ON")
        if version > SCHEMA_VERSION:
            raise StoreError(
                translate(
                    "store",
                    "The database was written by a newer gptdesk (schema {version}); update "
                    "gptdesk.",
                ).format(version=version)
            )
        for target in range(version, SCHEMA_VERSION):
            with self._tx() as db:  # executescript() would commit halfway; split instead
                for statement in _MIGRATIONS[target].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={target + 1}")

    # ------------------------------------------------------------------ conversations

    def create_conversation(
        self, title: str = "New chat", system_prompt: str = "", params: dict[str, Any] | None = None
    ) -> Conversation:
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO conversations(title, created, updated, system_prompt, params) "
                "VALUES (?, ?, ?, ?, ?)",
                (title, now, now, system_prompt, json.dumps(params or {})),
            )
        return self.conversation(int(cur.lastrowid or 0))

    def conversation(self, conversation_id: int) -> Conversation:
        row = self.db.execute(
            "SELECT * FROM conversations WHERE id=?", (conversation_id,)
        ).fetchone()
        if row is None:
            raise StoreError(
                translate("store", "There is no conversation {id}.").format(id=conversation_id)
            )
        return _conversation(row)

    def conversations(self, search: str = "") -> list[Conversation]:
        """Newest first; ``search`` matches titles and message text."""
        if search:
            like = "%" + _escape_like(search) + "%"
            rows = self.db.execute(
                "SELECT DISTINCT c.* FROM conversations c LEFT JOIN messages m "
                "ON m.conversation_id=c.id WHERE c.title LIKE ? ESCAPE '\\' "
                "OR m.content LIKE ? ESCAPE '\\' ORDER BY c.updated DESC, c.id DESC",
                (like, like),
            ).fetchall()
        else:
            rows = self.db.execute(
                "SELECT * FROM conversations ORDER BY updated DESC, id DESC"
            ).fetchall()
        return [_conversation(r) for r in rows]

    def update_conversation(self, conversation_id: int, **fields: Any) -> Conversation:
        allowed = {"title", "system_prompt", "params"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown conversation fields: {unknown}")
        if "params" in fields:
            fields["params"] = json.dumps(fields["params"])
        sets = ", ".join(f"{k}=?" for k in fields)
        # A rename is not activity: the conversation keeps its place in the list.
        touch = ", updated=?" if set(fields) != {"title"} else ""
        stamp = (time.time(),) if touch else ()
        with self._tx() as db:
            db.execute(
                f"UPDATE conversations SET {sets}{touch} WHERE id=?",
                (*fields.values(), *stamp, conversation_id),
            )
        return self.conversation(conversation_id)

    def delete_conversation(self, conversation_id: int) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM conversations WHERE id=?", (conversation_id,))

    # ------------------------------------------------------------------ messages

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        parent_id: int | None = None,
        state: MessageState = "complete",
        stats: dict[str, Any] | None = None,
    ) -> Message:
        """Append a message under ``parent_id`` and make it the active leaf."""
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO messages(conversation_id, parent_id, role, content, state, created, "
                "stats) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    parent_id,
                    role,
                    content,
                    state,
                    now,
                    json.dumps(stats) if stats is not None else None,
                ),
            )
            message_id = int(cur.lastrowid or 0)
            db.execute(
                "UPDATE conversations SET active_leaf=?, updated=? WHERE id=?",
                (message_id, now, conversation_id),
            )
        return self.message(message_id)

    def update_streaming(self, message_id: int, content: str) -> None:
        """Save the text of a reply that is still growing (one small write)."""
        # Not only while 'streaming': another process opening the database (the CLI, a second
        # window) marks streaming rows 'interrupted', and saving must go on regardless.
        self.db.execute(
            "UPDATE messages SET content=? WHERE id=? AND state!='complete'", (content, message_id)
        )

    def finish_message(
        self,
        message_id: int,
        content: str,
        state: MessageState = "complete",
        stats: dict[str, Any] | None = None,
    ) -> Message:
        with self._tx() as db:
            db.execute(
                "UPDATE messages SET content=?, state=?, stats=? WHERE id=?",
                (content, state, json.dumps(stats) if stats is not None else None, message_id),
            )
        return self.message(message_id)

    def reopen_streaming(self, message_id: int) -> Message:
        """Mark a saved reply as growing again (Continue); its text is kept."""
        with self._tx() as db:
            db.execute("UPDATE messages SET state='streaming' WHERE id=?", (message_id,))
        return self.message(message_id)

    def message(self, message_id: int) -> Message:
        row = self.db.execute("SELECT * FROM messages WHERE id=?", (message_id,)).fetchone()
        if row is None:
            raise StoreError(translate("store", "There is no message {id}.").format(id=message_id))
        return _message(row)

    def active_path(self, conversation_id: int) -> list[Message]:
        """Root to active leaf: the conversation as shown and sent."""
        leaf = self.conversation(conversation_id).active_leaf
        if leaf is None:
            return []
        rows = self.db.execute(
            "WITH RECURSIVE path(id, parent_id, depth) AS ("
            " SELECT id, parent_id, 0 FROM messages WHERE id=?"
            " UNION ALL SELECT m.id, m.parent_id, p.depth + 1 FROM messages m"
            " JOIN path p ON m.id=p.parent_id)"
            " SELECT m.* FROM messages m JOIN path p ON m.id=p.id ORDER BY p.depth DESC",
            (leaf,),
        ).fetchall()
        return [_message(r) for r in rows]

    def branch(self, message_id: int) -> Branch:
        """This message's position among the versions that share its parent."""
        msg = self.message(message_id)
        rows = self.db.execute(
            "SELECT id FROM messages WHERE conversation_id=? AND parent_id IS ? AND role=? "
            "ORDER BY id",
            (msg.conversation_id, msg.parent_id, msg.role),
        ).fetchall()
        ids = tuple(int(r[0]) for r in rows)
        return Branch(ids.index(message_id) + 1, len(ids), ids)

    def set_active_leaf(self, message_id: int) -> None:
        """Make the path end exactly at ``message_id`` (``switch_to`` goes on to its newest
        descendant)."""
        msg = self.message(message_id)
        with self._tx() as db:
            db.execute(
                "UPDATE conversations SET active_leaf=?, updated=? WHERE id=?",
                (message_id, time.time(), msg.conversation_id),
            )

    def versions(self, conversation_id: int) -> dict[int, tuple[int, int]]:
        """Every message's (version, versions) among the siblings sharing its parent and role,
        in one query (``branch`` asks per message)."""
        rows = self.db.execute(
            "SELECT id, parent_id, role FROM messages WHERE conversation_id=? ORDER BY id",
            (conversation_id,),
        ).fetchall()
        groups: dict[tuple[int | None, str], list[int]] = {}
        for row in rows:
            groups.setdefault((row[1], row[2]), []).append(int(row[0]))
        out: dict[int, tuple[int, int]] = {}
        for ids in groups.values():
            for index, message_id in enumerate(ids, 1):
                out[message_id] = (index, len(ids))
        return out

    def switch_to(self, message_id: int) -> list[Message]:
        """Make ``message_id``'s newest descendant line active; returns the new active path."""
        msg = self.message(message_id)
        leaf = message_id
        while True:
            row = self.db.execute(
                "SELECT id FROM messages WHERE parent_id=? ORDER BY id DESC LIMIT 1", (leaf,)
            ).fetchone()
            if row is None:
                break
            leaf = int(row[0])
        with self._tx() as db:
            db.execute(
                "UPDATE conversations SET active_leaf=?, updated=? WHERE id=?",
                (leaf, time.time(), msg.conversation_id),
            )
        return self.active_path(msg.conversation_id)

    def delete_message(self, message_id: int) -> None:
        """Delete a message and its replies; the conversation's active leaf moves to its parent."""
        msg = self.message(message_id)
        with self._tx() as db:
            db.execute("DELETE FROM messages WHERE id=?", (message_id,))
            db.execute(
                "UPDATE conversations SET active_leaf=?, updated=? WHERE id=?",
                (msg.parent_id, time.time(), msg.conversation_id),
            )

    # ------------------------------------------------------------------ documents

    def create_document(
        self, kind: str, title: str, body: str = "", data: dict[str, Any] | None = None
    ) -> Document:
        """A document of a writing pane (``kind``: summary, story, email, translation)."""
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO documents(kind, title, created, updated, body, data) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kind, title, now, now, body, json.dumps(data or {}, ensure_ascii=False)),
            )
        return self.document(int(cur.lastrowid or 0))

    def document(self, document_id: int) -> Document:
        row = self.db.execute("SELECT * FROM documents WHERE id=?", (document_id,)).fetchone()
        if row is None:
            raise StoreError(
                translate("store", "There is no document {id}.").format(id=document_id)
            )
        return _document(row)

    def documents(self, kind: str, search: str = "") -> list[Document]:
        """Newest first; ``search`` matches titles and text (literally)."""
        if search:
            like = "%" + _escape_like(search) + "%"
            rows = self.db.execute(
                "SELECT * FROM documents WHERE kind=? AND (title LIKE ? ESCAPE '\\' "
                "OR body LIKE ? ESCAPE '\\') ORDER BY updated DESC, id DESC",
                (kind, like, like),
            ).fetchall()
        else:
            rows = self.db.execute(
                "SELECT * FROM documents WHERE kind=? ORDER BY updated DESC, id DESC", (kind,)
            ).fetchall()
        return [_document(r) for r in rows]

    def update_document(self, document_id: int, **fields: Any) -> Document:
        """Change ``title``, ``body`` and/or ``data``; a rename alone keeps its list place."""
        allowed = {"title", "body", "data"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown document fields: {unknown}")
        if "data" in fields:
            fields["data"] = json.dumps(fields["data"], ensure_ascii=False)
        sets = ", ".join(f"{k}=?" for k in fields)
        touch = ", updated=?" if set(fields) != {"title"} else ""
        stamp = (time.time(),) if touch else ()
        with self._tx() as db:
            db.execute(
                f"UPDATE documents SET {sets}{touch} WHERE id=?",
                (*fields.values(), *stamp, document_id),
            )
        return self.document(document_id)

    def delete_document(self, document_id: int) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM documents WHERE id=?", (document_id,))

    def integrity_ok(self) -> bool:
        return bool(self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def _escape_like(text: str) -> str:
    """``text`` for a LIKE pattern with ESCAPE '\\': % and _ match only themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _document(row: sqlite3.Row) -> Document:
    return Document(
        id=int(row["id"]),
        kind=str(row["kind"]),
        title=str(row["title"]),
        created=float(row["created"]),
        updated=float(row["updated"]),
        body=str(row["body"]),
        data=json.loads(row["data"] or "{}"),
    )


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        id=int(row["id"]),
        title=str(row["title"]),
        created=float(row["created"]),
        updated=float(row["updated"]),
        system_prompt=str(row["system_prompt"]),
        params=json.loads(row["params"] or "{}"),
        active_leaf=int(row["active_leaf"]) if row["active_leaf"] is not None else None,
    )


def _message(row: sqlite3.Row) -> Message:
    return Message(
        id=int(row["id"]),
        conversation_id=int(row["conversation_id"]),
        parent_id=int(row["parent_id"]) if row["parent_id"] is not None else None,
        role=str(row["role"]),
        content=str(row["content"]),
        state=row["state"],
        created=float(row["created"]),
        stats=json.loads(row["stats"]) if row["stats"] else None,
    )


def export_conversation(store: Store, conversation_id: int, fmt: str) -> str:
    """The active path as Markdown (``md``), JSON (``json``) or plain text (``txt``)."""
    conv = store.conversation(conversation_id)
    path = store.active_path(conversation_id)
    if fmt == "json":
        return json.dumps(
            {
                "format": "gptdesk-conversation",
                "version": 1,
                "title": conv.title,
                "system_prompt": conv.system_prompt,
                "params": conv.params,
                "messages": [
                    {"role": m.role, "content": m.content, "state": m.state} for m in path
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
    titles = {"user": "You", "assistant": "Assistant", "system": "System"}
    if fmt == "md":
        out = [f"# {conv.title}", ""]
        if conv.system_prompt:
            out += [f"> System: {conv.system_prompt}", ""]
        for m in path:
            out += [f"### {titles.get(m.role, m.role)}", "", m.content, ""]
        return "\n".join(out)
    if fmt == "txt":
        out = [conv.title, "=" * len(conv.title), ""]
        for m in path:
            out += [f"{titles.get(m.role, m.role)}:", m.content, ""]
        return "\n".join(out)
    raise ValueError(f"unknown export format {fmt!r}: use md, json or txt")


def import_conversation(store: Store, text: str) -> Conversation:
    """Import gptdesk's own JSON export or ``{"title": ..., "messages": [{"role", "content"}]}``."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise StoreError(
            translate("store", "This file is not JSON ({error}).").format(error=exc)
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise StoreError(
            translate(  # no format(): the braces are the text
                "store",
                'This file is not a conversation: expected {"title": ..., "messages": '
                '[{"role": ..., "content": ...}]}.',
            )
        )
    messages: Sequence[Any] = data["messages"]
    system = str(data.get("system_prompt") or "")
    cleaned: list[tuple[str, str]] = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in ("user", "assistant", "system"):
            raise StoreError(
                translate("store", "Message {n} has no role user, assistant or system.").format(
                    n=i + 1
                )
            )
        content = m.get("content")
        if not isinstance(content, str):
            raise StoreError(translate("store", "Message {n} has no text content.").format(n=i + 1))
        if m["role"] == "system" and not cleaned and not system:
            system = content
            continue
        cleaned.append((m["role"], content))
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    title = str(data.get("title") or translate("store", "Imported chat"))
    conv = store.create_conversation(title, system, params)
    parent: int | None = None
    try:
        for role, content in cleaned:
            parent = store.add_message(conv.id, role, content, parent).id
    except BaseException:
        store.delete_conversation(conv.id)  # never half a conversation
        raise
    return store.conversation(conv.id)
