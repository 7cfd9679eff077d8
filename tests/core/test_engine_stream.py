"""Streaming chat and raw completion: event order, exact text, token counts, stops, cancel."""

from __future__ import annotations

import threading

import pytest

from gptdesk.core.errors import ContextOverflowError, GptdeskError
from gptdesk.core.inference.engine import (
    ChatMessage,
    Engine,
    Finished,
    SamplingParams,
    StreamEvent,
    TextDelta,
)

pytestmark = pytest.mark.model

GREEDY = SamplingParams(temperature=0.0, seed=1, max_tokens=64)


def split_events(events: list[StreamEvent]) -> tuple[list[str], Finished]:
    """The deltas' texts and the Finished event, checking the stream's shape on the way."""
    assert events, "the stream yielded nothing"
    *body, last = events
    assert isinstance(last, Finished)
    assert all(isinstance(e, TextDelta) for e in body), [type(e).__name__ for e in body]
    return [e.text for e in body if isinstance(e, TextDelta)], last


def test_chat_streams_deltas_then_one_finished(engine: Engine) -> None:
    messages = [ChatMessage("user", "What is 2+2?")]
    deltas, done = split_events(list(engine.stream_chat(messages, GREEDY)))

    assert deltas and all(isinstance(d, str) and d for d in deltas)
    assert "".join(deltas) == done.text
    stats = done.stats
    assert stats.stop_reason == "eos"
    assert stats.prompt_tokens == len(engine.tokenize(engine.render_chat(messages)))
    assert stats.prompt_eval_tokens == stats.prompt_tokens  # the fixture emptied the cache
    assert done.text.isascii()  # so every sampled token is exactly one delta
    assert stats.completion_tokens == len(deltas)
    assert 0 < stats.completion_tokens <= GREEDY.max_tokens
    assert stats.dropped_messages == ()
    assert 0 <= stats.ttft_s <= stats.total_s
    assert stats.tokens_per_s > 0
    assert stats.prefill_tokens_per_s > 0


def test_max_tokens_stops_with_length(engine: Engine) -> None:
    params = SamplingParams(temperature=0.0, seed=1, max_tokens=5)
    messages = [ChatMessage("user", "Tell me a long story about a dragon.")]
    deltas, done = split_events(list(engine.stream_chat(messages, params)))

    assert done.stats.stop_reason == "length"
    assert done.stats.completion_tokens == 5
    assert len(deltas) == 5
    assert "".join(deltas) == done.text


def test_raw_completion_skips_the_chat_template(engine: Engine) -> None:
    prompt = "<|im_start|>user\nThe capital of France is"
    params = SamplingParams(temperature=0.0, seed=1, max_tokens=8)
    deltas, done = split_events(list(engine.stream_completion(prompt, params)))

    raw_tokens = engine.tokenize(prompt, chat=False)
    assert done.stats.prompt_tokens == len(raw_tokens)
    # Parsed as a chat prompt, the turn marker would be one special token.
    assert len(engine.tokenize(prompt, chat=True)) + 1 < len(raw_tokens)
    assert done.stats.stop_reason in ("eos", "length")
    assert "".join(deltas) == done.text
    assert 0 < done.stats.completion_tokens <= 8


def test_raw_prompt_larger_than_the_window_is_refused(small_engine: Engine) -> None:
    prompt = "one two three four five six seven eight nine ten " * 60
    assert len(small_engine.tokenize(prompt, chat=False)) > 512
    with pytest.raises(ContextOverflowError, match="512"):
        list(small_engine.stream_completion(prompt, GREEDY))


def test_cancel_after_third_delta_stops_at_the_next_token(engine: Engine) -> None:
    messages = [ChatMessage("user", "Tell me a long story about a dragon.")]
    cancel = threading.Event()
    events: list[StreamEvent] = []
    for event in engine.stream_chat(messages, GREEDY, cancel):
        events.append(event)
        if sum(isinstance(e, TextDelta) for e in events) == 3:
            cancel.set()
    deltas, done = split_events(events)

    assert done.stats.stop_reason == "cancelled"
    assert len(deltas) == 3
    assert done.stats.completion_tokens == 3  # the token sampled after the cancel is dropped
    assert "".join(deltas) == done.text

    # The cache holds prompt + the 3 kept tokens, all evaluated: the next turn reuses them.
    follow_up = [*messages, ChatMessage("assistant", done.text), ChatMessage("user", "Go on.")]
    _, nxt = split_events(list(engine.stream_chat(follow_up, SamplingParams(max_tokens=4))))
    assert nxt.stats.prompt_eval_tokens == nxt.stats.prompt_tokens - (
        done.stats.prompt_tokens + done.stats.completion_tokens
    )


def test_cancel_before_start_evaluates_nothing(engine: Engine) -> None:
    cancel = threading.Event()
    cancel.set()
    events = list(engine.stream_chat([ChatMessage("user", "Hello")], GREEDY, cancel))

    assert len(events) == 1
    (done,) = events
    assert isinstance(done, Finished)
    assert done.text == ""
    assert done.stats.stop_reason == "cancelled"
    assert done.stats.prompt_eval_tokens == 0
    assert done.stats.completion_tokens == 0


def test_an_empty_raw_prompt_is_a_user_error(engine: Engine) -> None:
    # SmolLM2 adds no BOS to raw text, so "" is zero tokens: there is nothing to continue from.
    assert engine.tokenize("", chat=False) == []
    with pytest.raises(GptdeskError):
        list(engine.stream_completion("", GREEDY))
    # and the engine still answers afterwards
    _, done = split_events(list(engine.stream_completion("The capital of France is", GREEDY)))
    assert done.stats.completion_tokens > 0


def test_continue_last_goes_on_with_the_same_reply(engine: Engine) -> None:
    messages = [ChatMessage("user", "Tell me a long story about a dragon.")]
    # No repeat penalty: llama.cpp's penalty only sees the tokens sampled in one request, so
    # with it a continued reply may pick differently; without it greedy decoding is exact.
    greedy = {"temperature": 0.0, "seed": 1, "repeat_penalty": 1.0}
    whole = SamplingParams(**greedy, max_tokens=40)
    _, full = split_events(list(engine.stream_chat(messages, whole)))
    assert full.stats.stop_reason == "length"

    engine.reset_cache()
    head_params = SamplingParams(**greedy, max_tokens=15)
    _, head = split_events(list(engine.stream_chat(messages, head_params)))
    assert head.stats.stop_reason == "length"
    partial = [*messages, ChatMessage("assistant", head.text)]
    rest_params = SamplingParams(**greedy, max_tokens=25)
    deltas, rest = split_events(
        list(engine.stream_chat(partial, rest_params, continue_last=True))
    )
    assert "".join(deltas) == rest.text
    assert rest.stats.prompt_eval_tokens <= 2  # the cut reply's tokens came from the cache
    assert head.text + rest.text == full.text


def test_continue_last_needs_an_assistant_reply_last(engine: Engine) -> None:
    with pytest.raises(GptdeskError, match="continued"):
        list(engine.stream_chat([ChatMessage("user", "Hi")], GREEDY, continue_last=True))
