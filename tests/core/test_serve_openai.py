"""``gptdesk serve`` against the official ``openai`` client with strict response validation: every
response must parse as OpenAI's own types, not only as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
import requests

from tests.core.conftest import wait_until
from tests.core.serve_support import Served, gptdesk_serve, post_and_hold

pytestmark = pytest.mark.model

N_CTX = 1024


@pytest.fixture(scope="module")
def served(starter_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data = tmp_path_factory.mktemp("serve") / "data"
    with gptdesk_serve(starter_path, data, "--ctx", str(N_CTX), "--queue", "2") as server:
        yield server


@pytest.fixture
def client(served: Served) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(
        base_url=served.v1, api_key="unused", max_retries=0, _strict_response_validation=True
    ) as c:
        yield c


@pytest.fixture(scope="module")
def model_id(served: Served) -> str:
    return requests.get(f"{served.v1}/models").json()["data"][0]["id"]


HELLO = [{"role": "user", "content": "Write one sentence about the sea."}]


def test_models_lists_the_loaded_model_with_created(
    client: openai.OpenAI, starter_path: Path
) -> None:
    models = client.models.list().data
    assert [m.id for m in models] == [starter_path.stem]
    assert models[0].created == int(starter_path.stat().st_mtime)
    assert models[0].owned_by == "gptdesk"
    assert client.models.retrieve(starter_path.stem).id == starter_path.stem


def test_chat_completion_and_usage(client: openai.OpenAI, model_id: str) -> None:
    reply = client.chat.completions.create(
        model=model_id, messages=HELLO, max_completion_tokens=12, seed=7
    )
    choice = reply.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert reply.usage is not None
    assert reply.usage.completion_tokens <= 12
    assert reply.usage.prompt_tokens > 5
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


def test_streaming_with_usage_matches_the_plain_reply(client: openai.OpenAI, model_id: str) -> None:
    args = {"model": model_id, "messages": HELLO, "max_tokens": 16, "temperature": 0}
    plain = client.chat.completions.create(**args)
    chunks = list(
        client.chat.completions.create(**args, stream=True, stream_options={"include_usage": True})
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain.choices[0].message.content
    assert chunks[0].choices[0].delta.role == "assistant"
    finals = [c for c in chunks if c.choices and c.choices[0].finish_reason]
    assert [c.choices[0].finish_reason for c in finals] == [plain.choices[0].finish_reason]
    last = chunks[-1]
    assert last.choices == []
    assert last.usage is not None
    assert last.usage.completion_tokens == plain.usage.completion_tokens  # type: ignore[union-attr]
    assert all(c.usage is None for c in chunks[:-1])


def test_stream_ends_with_done(served: Served, model_id: str) -> None:
    body = {"model": model_id, "messages": HELLO, "max_tokens": 3, "stream": True}
    with requests.post(f"{served.v1}/chat/completions", json=body, stream=True) as response:
        lines = [line for line in response.iter_lines(decode_unicode=True) if line]
    assert response.headers["content-type"].startswith("text/event-stream")
    assert lines[-1] == "data: [DONE]"
    assert all(line.startswith("data: ") for line in lines)


def test_same_seed_same_output(client: openai.OpenAI, model_id: str) -> None:
    def sample(seed: int) -> str:
        reply = client.chat.completions.create(
            model=model_id, messages=HELLO, max_tokens=24, temperature=1.0, seed=seed
        )
        return reply.choices[0].message.content or ""

    first = sample(1234)
    assert sample(1234) == first
    assert any(sample(seed) != first for seed in (1, 2, 3))  # the seed does steer it


def test_stop_strings_end_the_reply_before_them(client: openai.OpenAI, model_id: str) -> None:
    args = {"model": model_id, "messages": HELLO, "max_tokens": 24, "temperature": 0}
    full = client.chat.completions.create(**args).choices[0].message.content or ""
    words = full.split()
    assert len(words) >= 4, full
    stop = words[3]
    cut = client.chat.completions.create(**args, stop=[stop, "zzzz"])
    assert cut.choices[0].message.content == full[: full.index(stop)]
    assert cut.choices[0].finish_reason == "stop"
    # The same through the stream: nothing of the stop string is ever sent.
    streamed = client.chat.completions.create(**args, stop=stop, stream=True)
    text = "".join(c.choices[0].delta.content or "" for c in streamed if c.choices)
    assert text == full[: full.index(stop)]


def test_max_tokens_limits_and_max_completion_tokens_wins(
    client: openai.OpenAI, model_id: str
) -> None:
    reply = client.chat.completions.create(
        model=model_id,
        messages=HELLO,
        max_tokens=40,
        max_completion_tokens=3,
        temperature=0,
    )
    assert reply.usage is not None and reply.usage.completion_tokens == 3
    assert reply.choices[0].finish_reason == "length"


def test_completions_plain_and_streamed(client: openai.OpenAI, model_id: str) -> None:
    args = {
        "model": model_id,
        "prompt": "The capital of France is",
        "max_tokens": 6,
        "temperature": 0,
    }
    plain = client.completions.create(**args)
    assert plain.object == "text_completion"
    assert plain.choices[0].text
    assert plain.usage is not None and plain.usage.completion_tokens <= 6
    # The SDK's Completion type requires a finish_reason, yet OpenAI's own stream (and every
    # server's) sends null until the last chunk: this one part is read without strict checks.
    loose = client.with_options()
    loose._strict_response_validation = False
    chunks = list(loose.completions.create(**args, stream=True))
    assert [c.choices[0].finish_reason for c in chunks][-1] == plain.choices[0].finish_reason
    assert all(c.object == "text_completion" and c.id == chunks[0].id for c in chunks)
    assert "".join(c.choices[0].text for c in chunks if c.choices) == plain.choices[0].text


def test_developer_role_and_text_parts_mean_system_and_a_string(
    client: openai.OpenAI, model_id: str
) -> None:
    base = {"model": model_id, "max_tokens": 12, "temperature": 0}
    plain = client.chat.completions.create(
        **base,
        messages=[
            {"role": "system", "content": "You answer like a pirate."},
            {"role": "user", "content": "Hello there"},
        ],
    )
    parts = client.chat.completions.create(
        **base,
        messages=[
            {"role": "developer", "content": "You answer like a pirate."},
            {"role": "user", "content": [{"type": "text", "text": "Hello there"}]},
        ],
    )
    assert parts.choices[0].message.content == plain.choices[0].message.content
    assert parts.usage.prompt_tokens == plain.usage.prompt_tokens  # type: ignore[union-attr]


def test_json_schema_response_format(client: openai.OpenAI, model_id: str) -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
    }
    reply = client.chat.completions.create(
        model=model_id,
        messages=[{"role": "user", "content": "Describe a person as JSON."}],
        max_tokens=80,
        temperature=0,
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "person", "schema": schema},
        },
    )
    data = json.loads(reply.choices[0].message.content or "")
    assert isinstance(data["name"], str) and isinstance(data["age"], int)


def test_unknown_fields_are_ignored(client: openai.OpenAI, model_id: str) -> None:
    reply = client.chat.completions.create(
        model=model_id,
        messages=HELLO,
        max_tokens=2,
        extra_body={"some_future_field": {"x": 1}, "cache_prompt": True},
        user="someone",
        store=False,
        metadata={"k": "v"},
    )
    assert reply.choices[0].message.content is not None


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"n": 2}, "n"),
        (
            {"tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]},
            "tools",
        ),
        ({"logprobs": True}, "logprobs"),
    ],
)
def test_what_is_not_offered_is_a_clear_400(
    client: openai.OpenAI, model_id: str, extra: dict[str, object], param: str
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=model_id, messages=HELLO, **extra)  # type: ignore[call-overload]
    error = caught.value
    assert error.status_code == 400
    assert error.param == param
    assert error.code == "unsupported_parameter"
    assert param in error.message


def test_a_prompt_longer_than_the_context_is_a_400_before_any_stream(
    client: openai.OpenAI, model_id: str
) -> None:
    long = "word " * (N_CTX * 2)
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model=model_id, messages=[{"role": "user", "content": long}], stream=True
        )
    assert caught.value.code == "context_length_exceeded"
    assert str(N_CTX) in caught.value.message
    with pytest.raises(openai.BadRequestError) as raw:
        client.completions.create(model=model_id, prompt=long)
    assert raw.value.code == "context_length_exceeded"


def test_bad_values_and_unknown_model(client: openai.OpenAI, model_id: str) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=model_id, messages=HELLO, temperature=5)
    assert caught.value.param == "temperature"
    with pytest.raises(openai.BadRequestError) as empty:
        client.chat.completions.create(model=model_id, messages=[])
    assert empty.value.param == "messages"
    with pytest.raises(openai.NotFoundError) as missing:
        client.chat.completions.create(model="gpt-9", messages=HELLO)
    assert model_id in missing.value.message
    assert missing.value.code == "model_not_found"


def _queued(served: Served) -> int:
    return int(requests.get(f"{served.url}/health").json()["queued"])


def test_a_full_queue_is_429_with_retry_after(served: Served, model_id: str) -> None:
    """The server was started with --queue 2: two long replies hold it, the third is refused;
    when their clients go away, both are cancelled and the queue is empty again."""
    body = {"model": model_id, "messages": HELLO, "max_tokens": N_CTX, "stream": True}
    url = f"{served.v1}/chat/completions"
    running = post_and_hold(url, body)
    waiting = post_and_hold(url, body)
    try:
        assert running.recv(1)  # its response began: it runs
        wait_until(lambda: _queued(served) == 2)
        refused = requests.post(url, json=body)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert refused.json()["error"]["code"] == "rate_limit_exceeded"
    finally:
        waiting.close()
        running.close()
    wait_until(lambda: _queued(served) == 0)
    reply = requests.post(url, json={**body, "max_tokens": 2, "stream": False})
    assert reply.status_code == 200, reply.text


def test_health(served: Served) -> None:
    response = requests.get(f"{served.url}/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
