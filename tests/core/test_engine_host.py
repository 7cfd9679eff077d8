"""The engine in its own process: the same replies as in this process, Stop, KV reuse, UTF-8."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from gptdesk.core.errors import ContextOverflowError, GenerationError
from gptdesk.core.inference.backend import (
    Backend,
    ChatMessage,
    Finished,
    LoadOptions,
    SamplingParams,
    StreamEvent,
    TextDelta,
)
from gptdesk.core.inference.engine import Engine
from gptdesk.core.inference.host import EngineHost

pytestmark = pytest.mark.model

GREEDY = SamplingParams(temperature=0.0, seed=1, max_tokens=32)
QUESTION = [ChatMessage("user", "Name three colours of the rainbow.")]


@pytest.fixture(scope="module")
def host(starter_path: Path) -> Iterator[EngineHost]:
    backend = EngineHost(starter_path, LoadOptions(n_ctx=8192))
    backend.load()
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def local(starter_path: Path) -> Iterator[Engine]:
    engine = Engine(starter_path, LoadOptions(n_ctx=8192))
    engine.load()
    yield engine
    engine.close()


def run(events: Iterator[StreamEvent]) -> tuple[list[str], Finished]:
    collected = list(events)
    *body, last = collected
    assert isinstance(last, Finished)
    assert all(isinstance(e, TextDelta) for e in body)
    return [e.text for e in body if isinstance(e, TextDelta)], last


def test_the_engine_runs_in_another_process(host: EngineHost) -> None:
    assert host.pid is not None and host.pid != psutil.Process().pid
    child = psutil.Process(host.pid)
    assert child.ppid() == psutil.Process().pid
    assert host.status.n_ctx == 8192
    # llama.cpp and the model file are mapped into the child.
    mapped = {Path(m.path).name for m in child.memory_maps()}
    assert any(name.startswith("libllama") for name in mapped)
    assert host.status.path.name in mapped
    assert host.status.describe().startswith(("CPU", "CUDA", "Metal", "Vulkan"))


def test_the_host_replies_exactly_as_the_engine_in_this_process(
    host: EngineHost, local: Engine
) -> None:
    backends: tuple[Backend, ...] = (host, local)
    replies = []
    for backend in backends:
        deltas, done = run(backend.stream_chat(QUESTION, GREEDY))
        assert "".join(deltas) == done.text
        replies.append((done.text, done.stats.completion_tokens, done.stats.prompt_tokens))
    assert replies[0] == replies[1]
    assert host.count_tokens(QUESTION) == local.count_tokens(QUESTION) > 0
    assert host.tokenize("Hello world", chat=False) == local.tokenize("Hello world", chat=False)

    prompt = "Once upon a time"
    texts = [run(b.stream_completion(prompt, GREEDY))[1].text for b in backends]
    assert texts[0] == texts[1] and texts[0]


def test_multibyte_text_arrives_in_whole_characters(host: EngineHost, local: Engine) -> None:
    # A raw continuation of Chinese text: the vocabulary splits most characters over tokens.
    prompt = "从前有一座山，山上有一座庙，庙里有一个老和尚，他每天"
    params = SamplingParams(temperature=0.8, seed=3, max_tokens=40)
    deltas, done = run(host.stream_completion(prompt, params))
    assert not any("\ufffd" in d for d in deltas)
    assert "".join(deltas) == done.text
    assert done.text == run(local.stream_completion(prompt, params))[1].text


def test_the_next_turn_evaluates_only_the_new_text(host: EngineHost) -> None:
    first = run(host.stream_chat(QUESTION, GREEDY))[1]
    follow = [
        *QUESTION,
        ChatMessage("assistant", first.text),
        ChatMessage("user", "And one more?"),
    ]
    second = run(host.stream_chat(follow, GREEDY))[1]
    assert second.stats.prompt_tokens > first.stats.prompt_tokens
    assert second.stats.prompt_eval_tokens < second.stats.prompt_tokens - first.stats.prompt_tokens
    assert second.stats.prompt_eval_tokens > 0


def test_stop_ends_the_reply_within_one_token(host: EngineHost) -> None:
    cancel = threading.Event()
    params = SamplingParams(temperature=0.8, seed=5, max_tokens=200)
    events = host.stream_chat([ChatMessage("user", "Tell a long story.")], params, cancel)
    deltas = []
    for event in events:
        if isinstance(event, TextDelta):
            deltas.append(event.text)
            if len(deltas) == 3:
                cancel.set()
        else:
            done = event
    assert isinstance(done, Finished)
    assert done.stats.stop_reason == "cancelled"
    # Cancel crosses the pipe while the child samples: at most one more token than seen.
    assert 3 <= done.stats.completion_tokens <= 4
    assert done.text.startswith("".join(deltas[:3]))


def test_stop_during_prompt_evaluation(host: EngineHost) -> None:
    prompt = " ".join(f"Line {i}: the quick brown fox jumps over the lazy dog." for i in range(280))
    cancel = threading.Event()
    seen: list[StreamEvent] = []

    def stop_soon() -> None:
        # The prompt (about 4000 tokens) takes seconds to evaluate; a Stop any time during it
        # ends it between, or inside, its 512-token chunks.
        cancel.set()

    timer = threading.Timer(0.3, stop_soon)
    timer.start()
    for event in host.stream_completion(prompt, GREEDY, cancel):
        seen.append(event)
    timer.join()
    done = seen[-1]
    assert isinstance(done, Finished)
    assert done.stats.stop_reason == "cancelled"
    assert done.stats.completion_tokens == 0
    assert done.stats.prompt_eval_tokens < done.stats.prompt_tokens
    # The host goes on serving: the next request answers normally.
    assert run(host.stream_completion("The sky is", GREEDY))[1].stats.stop_reason != "cancelled"


def test_errors_cross_the_process_boundary_as_the_same_classes(host: EngineHost) -> None:
    with pytest.raises(ContextOverflowError, match="context window"):
        list(host.stream_completion("word " * 9000, GREEDY))
    with pytest.raises(GenerationError, match="no text to continue"):
        list(host.stream_completion("", GREEDY))


def test_a_backend_that_is_not_loaded_says_so(starter_path: Path) -> None:
    backend = EngineHost(starter_path)
    with pytest.raises(GenerationError, match="No model is loaded"):
        list(backend.stream_chat(QUESTION, GREEDY))
    assert backend.pid is None  # nothing was started for it
