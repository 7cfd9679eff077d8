"""The SQLite conversation store: version tree, streaming saves, crash recovery, export/import."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gptdesk.core.storage.store import (
    SCHEMA_VERSION,
    Store,
    StoreError,
    export_conversation,
    import_conversation,
)


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "chats.sqlite3")
    yield s
    s.close()


def test_database_is_wal_and_versioned(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_regenerate_and_edit_keep_every_version(store: Store) -> None:
    conv = store.create_conversation("Trip", "Be brief.", {"temperature": 0.7})
    q = store.add_message(conv.id, "user", "Where to go?")
    a1 = store.add_message(conv.id, "assistant", "Rome.", q.id)
    a2 = store.add_message(conv.id, "assistant", "Paris.", q.id)  # regenerate
    assert [m.content for m in store.active_path(conv.id)] == ["Where to go?", "Paris."]
    assert store.branch(a2.id).index == 2 and store.branch(a2.id).count == 2
    path = store.switch_to(a1.id)  # "< 1/2"
    assert [m.content for m in path] == ["Where to go?", "Rome."]
    q2 = store.add_message(conv.id, "user", "Where to eat?")  # edit: a sibling of q
    assert store.branch(q2.id).sibling_ids == (q.id, q2.id)
    assert [m.content for m in store.active_path(conv.id)] == ["Where to eat?"]
    assert [m.content for m in store.switch_to(q.id)] == ["Where to go?", "Paris."]


def test_streaming_reply_is_marked_interrupted_after_a_crash(tmp_path: Path) -> None:
    db = tmp_path / "chats.sqlite3"
    first = Store(db)
    conv = first.create_conversation()
    q = first.add_message(conv.id, "user", "Count.")
    reply = first.add_message(conv.id, "assistant", "", q.id, state="streaming")
    first.update_streaming(reply.id, "one two")
    # No finish_message: the process "died". A new Store sees the saved text.
    second = Store(db)
    last = second.active_path(conv.id)[-1]
    assert (last.content, last.state) == ("one two", "interrupted")
    first.close()
    second.close()


def test_search_finds_titles_and_message_text(store: Store) -> None:
    a = store.create_conversation("Recipes")
    b = store.create_conversation("Work")
    store.add_message(b.id, "user", "a recipe for the office party")
    assert {c.id for c in store.conversations("recipe")} == {a.id, b.id}
    assert [c.id for c in store.conversations("office")] == [b.id]


def test_export_formats_and_round_trip(store: Store) -> None:
    conv = store.create_conversation("Tea 茶", "You are kind.")
    q = store.add_message(conv.id, "user", "Green or black? 🍵")
    store.add_message(conv.id, "assistant", "Green.", q.id)
    md = export_conversation(store, conv.id, "md")
    assert md.startswith("# Tea 茶") and "### You" in md and "Green or black? 🍵" in md
    txt = export_conversation(store, conv.id, "txt")
    assert "Assistant:\nGreen." in txt
    data = json.loads(export_conversation(store, conv.id, "json"))
    assert data["messages"][0] == {
        "role": "user",
        "content": "Green or black? 🍵",
        "state": "complete",
    }
    again = import_conversation(store, json.dumps(data))
    assert again.title == "Tea 茶" and again.system_prompt == "You are kind."
    assert [(m.role, m.content) for m in store.active_path(again.id)] == [
        ("user", "Green or black? 🍵"),
        ("assistant", "Green."),
    ]


def test_import_common_shape_and_leading_system_message(store: Store) -> None:
    conv = import_conversation(
        store,
        json.dumps(
            {
                "title": "x",
                "messages": [
                    {"role": "system", "content": "Be terse."},
                    {"role": "user", "content": "hi"},
                    {"role": "assistant", "content": "yo"},
                ],
            }
        ),
    )
    assert conv.system_prompt == "Be terse."
    assert [m.role for m in store.active_path(conv.id)] == ["user", "assistant"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "not a conversation"),
        ('{"messages": [{"role": "robot", "content": "x"}]}', "Message 1"),
        ('{"messages": [{"role": "user"}]}', "no text"),
    ],
)
def test_bad_imports_are_refused_with_a_reason(store: Store, text: str, says: str) -> None:
    with pytest.raises(StoreError, match=says):
        import_conversation(store, text)
    assert store.conversations() == []


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    Store(db).db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer gptdesk"):
        Store(db)


WRITER = """
import sys, time
from pathlib import Path
from gptdesk.core.storage.store import Store
s = Store(Path(sys.argv[1]))
c = s.create_conversation()
q = s.add_message(c.id, "user", "go")
r = s.add_message(c.id, "assistant", "", q.id, state="streaming")
text = ""
while True:
    text += "word "
    s.update_streaming(r.id, text)
    print(len(text), flush=True)
    time.sleep(0.01)
"""


def test_sigkill_while_streaming_keeps_the_database_sound(tmp_path: Path) -> None:
    db = tmp_path / "chats.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    saved = 0
    deadline = time.monotonic() + 30
    while saved < 2000 and time.monotonic() < deadline:
        saved = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store(db)
    assert store.integrity_ok()
    last = store.active_path(1)[-1]
    assert last.state == "interrupted"
    assert len(last.content) >= saved  # everything reported as saved survived the kill
    store.close()


def test_search_treats_percent_and_underscore_literally(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    plain = store.create_conversation("100 percent sure")
    literal = store.create_conversation("50% off")
    store.add_message(plain.id, "user", "file_name here")
    assert [c.id for c in store.conversations("%")] == [literal.id]
    assert [c.id for c in store.conversations("e_n")] == [plain.id]
    assert store.conversations("t_s") == []  # "_" is no wildcard: "percent sure" has "t s"
    store.close()


def test_renaming_does_not_move_a_conversation_up_the_list(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    older = store.create_conversation("older")
    newer = store.create_conversation("newer")
    store.update_conversation(older.id, title="renamed")
    assert [c.id for c in store.conversations()] == [newer.id, older.id]
    store.update_conversation(older.id, system_prompt="Be brief.")  # a real change does
    assert [c.id for c in store.conversations()] == [older.id, newer.id]
    store.close()


def test_documents_are_kept_per_kind_and_searchable(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    story = store.create_document("story", "The lighthouse", "It was a dark night.", {"m": 1})
    store.create_document("email", "Invoice", "Dear Ana")
    assert [d.title for d in store.documents("story")] == ["The lighthouse"]
    assert store.documents("story", "dark") == [store.document(story.id)]
    assert store.documents("story", "%") == []
    updated = store.update_document(story.id, body="It was a dark and stormy night.", data={"n": 1})
    assert updated.body.endswith("stormy night.") and updated.data == {"n": 1}
    store.delete_document(story.id)
    assert store.documents("story") == []
    store.close()


def test_a_version_1_database_gains_the_documents_table(tmp_path) -> None:
    import sqlite3

    from gptdesk.core.storage import store as store_module

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    for statement in store_module._SCHEMA_V1.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute("INSERT INTO conversations(title, created, updated) VALUES ('kept', 1, 1)")
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    store = Store(path)
    assert [c.title for c in store.conversations()] == ["kept"]
    assert store.create_document("summary", "new").kind == "summary"
    assert int(store.db.execute("PRAGMA user_version").fetchone()[0]) == store_module.SCHEMA_VERSION
    store.close()


def test_a_second_connection_opening_the_database_does_not_stop_streaming_saves(tmp_path) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    conv = store.create_conversation("c")
    user = store.add_message(conv.id, "user", "Hi")
    reply = store.add_message(conv.id, "assistant", "", user.id, state="streaming")
    store.update_streaming(reply.id, "Hel")
    other = Store(path)  # e.g. `gptdesk chats list` while the window streams
    assert other.message(reply.id).state == "interrupted"
    store.update_streaming(reply.id, "Hello the")
    assert other.message(reply.id).content == "Hello the"  # still saved as it grows
    store.finish_message(reply.id, "Hello there")
    store.update_streaming(reply.id, "late")  # never after the end
    assert other.message(reply.id).content == "Hello there"
    other.close()
    store.close()
