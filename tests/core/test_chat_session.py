"""ChatSession: what is sent to the engine, and how often a streaming reply reaches the disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from gptdesk.core.chat import ChatSession
from gptdesk.core.engine import ChatMessage
from gptdesk.core.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "chats.sqlite3")
    yield s
    s.close()


def saved_text(store: Store, session: ChatSession) -> str:
    assert session.conversation_id is not None
    return store.active_path(session.conversation_id)[-1].content


def test_streaming_reply_is_saved_once_a_second_and_at_the_end(store: Store) -> None:
    clock = Clock()
    session = ChatSession(store, clock=clock)
    session.add_user_message("Count")
    session.begin_reply()
    session.append("one ")
    clock.now += 0.5
    session.append("two ")
    assert saved_text(store, session) == ""  # not yet a second
    clock.now += 0.6
    session.append("three ")
    assert saved_text(store, session) == "one two three "
    clock.now += 0.2
    session.append("four")
    assert saved_text(store, session) == "one two three "  # at most 1 s behind
    session.finish("one two three four", None)
    last = store.active_path(session.conversation_id or 0)[-1]
    assert (last.content, last.state) == ("one two three four", "complete")


def test_engine_messages_include_system_prompt_and_skip_empty_replies(store: Store) -> None:
    session = ChatSession(store)
    session.add_user_message("Hi")
    assert session.conversation_id is not None
    store.update_conversation(session.conversation_id, system_prompt="Be brief.")
    session.begin_reply()  # empty streaming reply: not sent back to the model
    assert session.engine_messages() == [
        ChatMessage("system", "Be brief."),
        ChatMessage("user", "Hi"),
    ]


def test_a_failed_turn_is_retracted_and_its_text_returned(store: Store) -> None:
    session = ChatSession(store)
    session.add_user_message("First")
    session.begin_reply()
    session.finish("Answer", None)
    failed = session.add_user_message("Second")
    session.begin_reply()
    assert session.retract(failed) == "Second"
    assert [m.content for m in session.history()] == ["First", "Answer"]
    again = session.add_user_message("Second")  # resending does not duplicate anything
    assert [m.content for m in session.history()] == ["First", "Answer", "Second"]
    assert again.parent_id == session.history()[1].id


def test_latest_reopens_the_most_recent_conversation(store: Store) -> None:
    ChatSession(store).add_user_message("old")
    newer = ChatSession(store)
    newer.add_user_message("new")
    assert ChatSession.latest(store).conversation_id == newer.conversation_id
