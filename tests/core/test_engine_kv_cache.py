"""KV-cache reuse across chat turns: turn N evaluates only the new text, edits re-evaluate."""

from __future__ import annotations

import pytest

from gptdesk.core.inference.engine import (
    ChatMessage,
    Engine,
    Finished,
    GenerationStats,
    SamplingParams,
)

pytestmark = pytest.mark.model

# (user message, max_tokens): some turns end with eos, one is cut by max_tokens.
TURNS = [
    ("Hi!", 64),
    ("What is 2+2?", 64),
    ("Tell me a story about a dragon.", 12),
    ("What is the capital of France?", 64),
    ("Thanks! Say goodbye.", 10),
]


def reply(engine: Engine, messages: list[ChatMessage], max_tokens: int) -> Finished:
    params = SamplingParams(temperature=0.0, seed=1, max_tokens=max_tokens)
    last = list(engine.stream_chat(messages, params))[-1]
    assert isinstance(last, Finished)
    return last


def unevaluated(prev: GenerationStats) -> int:
    """Tokens of the previous request's prompt + reply that are not in the KV cache (0 or 1).

    ``Llama.generate`` evaluates a sampled token only when asked for the next one. After an
    end-of-generation token every kept token was evaluated; after a max_tokens stop the last
    kept token was sampled but never evaluated, so the next turn evaluates it.
    """
    return 1 if prev.stop_reason == "length" else 0


def test_each_turn_evaluates_only_the_new_text(engine: Engine) -> None:
    messages: list[ChatMessage] = []
    stats: list[GenerationStats] = []
    markup: set[int] = set()
    for text, max_tokens in TURNS:
        messages.append(ChatMessage("user", text))
        done = reply(engine, messages, max_tokens)
        stats.append(done.stats)
        messages.append(ChatMessage("assistant", done.text))  # verbatim, as the UI stores it
        if len(stats) == 1:
            assert done.stats.prompt_eval_tokens == done.stats.prompt_tokens
            continue
        prev, now = stats[-2], stats[-1]
        k = unevaluated(prev)
        assert now.prompt_eval_tokens == (
            now.prompt_tokens - (prev.prompt_tokens + prev.completion_tokens) + k
        )
        # What is evaluated is the new message plus the template's fixed turn markup.
        markup.add(now.prompt_eval_tokens - k - len(engine.tokenize(text)))

    assert {s.stop_reason for s in stats} == {"eos", "length"}  # both cases were exercised
    assert len(markup) == 1, markup  # the same for every turn: no growth with history
    assert stats[-1].prompt_tokens > 3 * stats[-1].prompt_eval_tokens


def test_edited_history_is_evaluated_again(engine: Engine) -> None:
    messages: list[ChatMessage] = []
    for text, max_tokens in TURNS[:3]:
        messages.append(ChatMessage("user", text))
        messages.append(ChatMessage("assistant", reply(engine, messages, max_tokens).text))
    messages.append(ChatMessage("user", TURNS[3][0]))
    unchanged = reply(engine, messages, 4).stats
    assert unchanged.prompt_eval_tokens < unchanged.prompt_tokens // 3

    edited = [ChatMessage("user", "Hello there!"), *messages[1:]]
    stats = reply(engine, edited, 4).stats
    assert stats.prompt_eval_tokens > stats.prompt_tokens // 2
    assert stats.prompt_eval_tokens < stats.prompt_tokens  # the shared system prefix is kept
