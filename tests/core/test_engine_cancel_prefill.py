"""Cancelling while a long prompt is still being evaluated, and the engine's state afterwards."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gptdesk.core.inference.engine import (
    ChatMessage,
    Engine,
    Finished,
    LoadOptions,
    SamplingParams,
    TextDelta,
)

pytestmark = pytest.mark.model

GREEDY = SamplingParams(temperature=0.0, seed=1, max_tokens=12)
SHORT_PROMPT = "The capital of France is"


@pytest.fixture(scope="module")
def long_ctx_engine(starter_path: Path) -> Iterator[Engine]:
    engine = Engine(starter_path, LoadOptions(n_ctx=8192))
    engine.load()
    yield engine
    engine.close()


def finished(events: list[object]) -> Finished:
    last = events[-1]
    assert isinstance(last, Finished)
    return last


def test_cancel_during_prompt_evaluation(long_ctx_engine: Engine) -> None:
    engine = long_ctx_engine
    before = finished(list(engine.stream_completion(SHORT_PROMPT, GREEDY)))

    # About 4000 tokens: a full prefill takes many seconds on a small CPU.
    prompt = " ".join(f"Line {i}: the quick brown fox jumps over the lazy dog." for i in range(280))
    n_prompt = len(engine.tokenize(prompt, chat=False))
    assert 3500 < n_prompt < 8192
    cancel = threading.Event()
    timer = threading.Timer(0.3, cancel.set)
    timer.start()
    try:
        events = list(engine.stream_completion(prompt, GREEDY, cancel))
    finally:
        timer.cancel()

    assert len(events) == 1  # no TextDelta at all
    done = finished(events)
    assert done.text == ""
    assert done.stats.stop_reason == "cancelled"
    assert done.stats.prompt_tokens == n_prompt
    assert done.stats.prompt_eval_tokens < n_prompt
    assert done.stats.completion_tokens == 0

    # The cache was left consistent: the same short request gives the same reply as before.
    after = finished(list(engine.stream_completion(SHORT_PROMPT, GREEDY)))
    assert after.text == before.text
    assert after.stats.completion_tokens == before.stats.completion_tokens

    chat = list(engine.stream_chat([ChatMessage("user", "Hi!")], GREEDY))
    assert finished(chat).stats.stop_reason in ("eos", "length")
    assert "".join(e.text for e in chat if isinstance(e, TextDelta)) == finished(chat).text
