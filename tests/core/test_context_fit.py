"""Fitting a conversation into a 512-token window: oldest turns go first, system prompts stay."""

from __future__ import annotations

import pytest

from gptdesk.core.errors import ContextOverflowError
from gptdesk.core.inference.engine import (
    ChatMessage,
    ContextTrimmed,
    Engine,
    Finished,
    SamplingParams,
    TextDelta,
)

pytestmark = pytest.mark.model

MAX_TOKENS = 8  # stream_chat keeps min(max_tokens, n_ctx // 4) tokens free for the reply
PARAMS = SamplingParams(temperature=0.0, seed=1, max_tokens=MAX_TOKENS)


def paragraph(i: int, words: int) -> str:
    return f"Turn {i}: " + " ".join(f"word{i}x{j}" for j in range(words))


def conversation(system: str | None, turns: int, words: int = 30) -> list[ChatMessage]:
    """``turns`` alternating user/assistant messages (ending with a user one) after ``system``."""
    messages = [ChatMessage("system", system)] if system is not None else []
    for i in range(turns):
        messages.append(ChatMessage("user" if i % 2 == 0 else "assistant", paragraph(i, words)))
    return messages


def expected_dropped(engine: Engine, messages: list[ChatMessage], reserve: int) -> tuple[int, ...]:
    """Drop whole user/assistant pairs from the oldest on until the rendered prompt fits."""
    head = 1 if messages[0].role == "system" else 0
    budget = engine.status.n_ctx - reserve
    for pairs in range(len(messages)):
        kept = messages[:head] + messages[head + 2 * pairs :]
        if len(engine.tokenize(engine.render_chat(kept))) <= budget:
            return tuple(range(head, head + 2 * pairs))
    raise AssertionError("nothing fits")


def test_oldest_turns_are_dropped_and_the_event_comes_first(small_engine: Engine) -> None:
    messages = conversation("You are a terse assistant.", turns=7)
    assert len(small_engine.tokenize(small_engine.render_chat(messages))) > 2 * 512

    expected = expected_dropped(small_engine, messages, MAX_TOKENS)
    assert expected == (1, 2, 3, 4)
    fit = small_engine.fit_messages(messages, MAX_TOKENS)
    assert fit.dropped == expected
    assert fit.messages == (messages[0], *messages[5:])
    assert fit.prompt_tokens <= 512 - MAX_TOKENS

    events = list(small_engine.stream_chat(messages, PARAMS))
    first, *body, last = events
    assert first == ContextTrimmed(expected)
    assert all(isinstance(e, TextDelta) for e in body)
    assert isinstance(last, Finished)
    assert last.stats.dropped_messages == expected
    assert last.stats.prompt_tokens == fit.prompt_tokens
    assert last.stats.stop_reason in ("eos", "length")


def test_a_long_system_prompt_is_never_dropped(small_engine: Engine) -> None:
    messages = conversation(paragraph(99, 50), turns=5)
    assert len(small_engine.tokenize(messages[0].content)) > 200
    fit = small_engine.fit_messages(messages, MAX_TOKENS)

    assert fit.dropped == (1, 2, 3, 4)
    assert fit.dropped == expected_dropped(small_engine, messages, MAX_TOKENS)
    assert fit.messages == (messages[0], messages[5])


def test_without_a_system_message_dropping_starts_at_index_zero(small_engine: Engine) -> None:
    messages = conversation(None, turns=7)
    fit = small_engine.fit_messages(messages, MAX_TOKENS)

    assert fit.dropped == expected_dropped(small_engine, messages, MAX_TOKENS)
    assert fit.dropped[0] == 0
    assert fit.messages == tuple(messages[len(fit.dropped) :])


def test_a_single_message_larger_than_the_window_is_refused(small_engine: Engine) -> None:
    huge = ChatMessage("user", paragraph(0, 200))
    assert len(small_engine.tokenize(huge.content)) > 512

    with pytest.raises(ContextOverflowError) as caught:
        small_engine.fit_messages([ChatMessage("system", "Be brief."), huge], MAX_TOKENS)
    assert "512" in str(caught.value)

    stream = small_engine.stream_chat([huge], PARAMS)
    with pytest.raises(ContextOverflowError, match="512"):
        next(stream)
