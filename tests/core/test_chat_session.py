"""ChatSession: what is sent to the engine, and how often a streaming reply reaches the disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from gptdesk.core.chat.session import ChatSession
from gptdesk.core.inference.engine import ChatMessage, GenerationStats
from gptdesk.core.storage.store import Store


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


def finish_reply(session: ChatSession, text: str, stop_reason: str = "eos") -> None:
    stats = GenerationStats(10, 10, 3, 0.1, 50.0, 500.0, 0.2, stop_reason)  # type: ignore[arg-type]
    session.finish(text, stats, stopped=stop_reason == "cancelled")


def contents(session: ChatSession) -> list[str]:
    return [m.content for m in session.history()]


def test_send_plans_the_conversation_and_saves_settings_chosen_before_it(store: Store) -> None:
    session = ChatSession(store)
    session.set_system_prompt("Be brief.")
    session.set_params({"temperature": 0.2, "max_tokens": 100, "preset": None})
    plan = session.send("Hi")
    assert plan.messages == [ChatMessage("system", "Be brief."), ChatMessage("user", "Hi")]
    assert not plan.continue_last
    conv = store.conversation(session.conversation_id or 0)
    assert conv.system_prompt == "Be brief."
    assert session.sampling().temperature == 0.2 and session.sampling().max_tokens == 100


def test_invalid_sampling_values_are_refused_with_the_setting_named(store: Store) -> None:
    session = ChatSession(store)
    with pytest.raises(ValueError, match="top_p"):
        session.set_params({"top_p": 1.5})
    with pytest.raises(ValueError, match="top_k"):
        session.set_params({"top_k": 2.5})
    assert session.sampling() == ChatSession(store).sampling()  # nothing was stored


def test_regenerate_keeps_the_old_version_and_versions_switch(store: Store) -> None:
    session = ChatSession(store)
    session.send("Name a colour")
    finish_reply(session, "Red")
    first = session.history()[-1]
    plan = session.regenerate(first.id)
    assert plan.messages == [ChatMessage("user", "Name a colour")]  # the old reply is not sent
    finish_reply(session, "Blue")
    turns = session.turns()
    assert [(t.message.content, t.version, t.versions) for t in turns] == [
        ("Name a colour", 1, 1),
        ("Blue", 2, 2),
    ]
    assert session.switch_version(turns[-1].message.id, -1)
    assert contents(session) == ["Name a colour", "Red"]
    assert not session.switch_version(first.id, -1)  # already the first
    assert session.switch_version(first.id, +1)
    assert contents(session) == ["Name a colour", "Blue"]


def test_edit_starts_a_new_branch_and_the_old_one_stays(store: Store) -> None:
    session = ChatSession(store)
    session.send("Hello")
    finish_reply(session, "Hi there")
    session.send("Tell me a joke")
    finish_reply(session, "A joke")
    question = session.history()[2]
    plan = session.edit(question.id, "Tell me a poem")
    assert plan.messages[-1] == ChatMessage("user", "Tell me a poem")
    assert ChatMessage("assistant", "A joke") not in plan.messages
    finish_reply(session, "A poem")
    assert contents(session) == ["Hello", "Hi there", "Tell me a poem", "A poem"]
    edited = session.turns()[2]
    assert (edited.version, edited.versions) == (2, 2)
    session.switch_version(edited.message.id, -1)
    assert contents(session) == ["Hello", "Hi there", "Tell me a joke", "A joke"]


def test_continue_appends_to_the_cut_off_reply(store: Store) -> None:
    clock = Clock()
    session = ChatSession(store, clock=clock)
    session.send("Count to five")
    finish_reply(session, "one two", "length")
    reply = session.turns()[-1]
    assert reply.can_continue
    plan = session.continue_reply(reply.message.id)
    assert plan.continue_last
    assert plan.messages[-1] == ChatMessage("assistant", "one two")
    session.append(" three")
    clock.now += 1.5
    session.append(" four")
    assert store.message(reply.message.id).content == "one two three four"  # saved mid-way
    finish_reply(session, " three four five")
    done = session.turns()[-1]
    assert done.message.id == reply.message.id
    assert done.message.content == "one two three four five"
    assert done.message.state == "complete" and not done.can_continue


def test_a_stopped_reply_can_be_continued_but_not_an_earlier_one(store: Store) -> None:
    session = ChatSession(store)
    session.send("a")
    finish_reply(session, "cut", "cancelled")
    assert session.turns()[-1].can_continue
    session.send("b")
    finish_reply(session, "whole")
    assert [t.can_continue for t in session.turns()] == [False, False, False, False]
    with pytest.raises(ValueError):
        session.continue_reply(session.history()[1].id)


@pytest.mark.parametrize("kind", ["send", "regenerate", "edit", "continue"])
def test_fail_puts_everything_back(store: Store, kind: str) -> None:
    session = ChatSession(store)
    session.send("Question")
    finish_reply(session, "Answer", "length")
    before = [(m.id, m.content, m.state) for m in session.history()]
    answer = session.history()[-1]
    if kind == "send":
        session.send("Follow-up")
        assert session.fail() == "Follow-up"
    elif kind == "regenerate":
        session.regenerate(answer.id)
        assert session.fail() is None
    elif kind == "edit":
        session.edit(session.history()[0].id, "Other question")
        assert session.fail() == "Other question"
    else:
        session.continue_reply(answer.id)
        session.append(" more")
        assert session.fail() is None
    after = [(m.id, m.content, m.state) for m in session.history()]
    if kind == "continue":  # the cut reply stays, still continuable
        assert after == [before[0], (answer.id, "Answer", "interrupted")]
    else:
        assert after == before
    assert [t.versions for t in session.turns()] == [1, 1]
    assert not session.busy
