"""RemoteBackend against real OpenAI-compatible servers: llama-cpp-python's llama_cpp.server,
llama.cpp's llama-server and ``gptdesk serve``, all on the starter model on loopback; plus a
tiny HTTP server of the test's own where the subject is how answers are read (error bodies in
every shape, an error in the middle of a stream, a server that stays silent, one that refuses
unknown fields, the context sizes other servers state)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from gptdesk.core.errors import ContextOverflowError, GenerationError, GptdeskError
from gptdesk.core.inference.backend import (
    Backend,
    ChatMessage,
    ContextTrimmed,
    Finished,
    LoadOptions,
    SamplingParams,
    StreamEvent,
    TextDelta,
)
from gptdesk.core.inference.remote import (
    KEY_ENV,
    RemoteBackend,
    RemoteModel,
    RemoteModelNotFoundError,
    RemoteServer,
    RemoteServerError,
    ServerAuthError,
    ServerUnreachableError,
    http_error,
    list_models,
    normalize_base_url,
    parse_error_body,
    sse_events,
)
from tests.core.conftest import REPO_ROOT, wait_until
from tests.core.serve_support import gptdesk_serve
from tests.servers import llama_cpp_server, llama_server
from tests.waits import HANG_TIMEOUT_S

KEY = "sesame-1234"
SMALL_CTX = 512
GREEDY = SamplingParams(temperature=0.0, max_tokens=24, seed=1)
HELLO = [ChatMessage("user", "Say hello to the world in one short sentence.")]
_backend_check: type[Backend] = RemoteBackend  # RemoteBackend is a Backend (mypy checks this)


def loaded(
    url: str, model: str | None = None, *, key: str | None = None, n_ctx: int = 2048
) -> RemoteBackend:
    backend = RemoteBackend(RemoteServer("test", url, key), model, LoadOptions(n_ctx=n_ctx))
    backend.load()
    return backend


def collect(events: Iterator[StreamEvent]) -> tuple[list[StreamEvent], Finished]:
    got = list(events)
    last = got[-1]
    assert isinstance(last, Finished)
    assert all(not isinstance(e, Finished) for e in got[:-1])
    return got, last


def deltas(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def long_text(n_words: int) -> str:
    """Plain English prose of about ``n_words`` words, in paragraphs."""
    sentences = [
        "The river town woke early, and the bakers lit their ovens before the bells rang.",
        "Merchants carried bolts of blue cloth across the old stone bridge toward the market.",
        "Children chased a loose goat between the stalls while the fishmongers shouted prices.",
        "By noon the harbour was full of boats from the northern islands, heavy with salt cod.",
        "In the evening the lamplighters walked the quays, and the taverns filled with songs.",
    ]
    words: list[str] = []
    paragraphs = []
    i = 0
    while len(words) < n_words:
        paragraph = " ".join(sentences[(i + k) % len(sentences)] for k in range(4))
        paragraphs.append(f"Day {i + 1}. {paragraph}")
        words += paragraph.split()
        i += 1
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------------- a server of
# the test's own: what it answers is the subject, not a model


@dataclass
class Reply:
    """What the test server answers: a status and body, or SSE pieces, or silence."""

    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    content_type: str = "application/json"
    events: list[str] | None = None  # SSE text pieces, each sent and flushed on its own
    silent: bool = False  # read the request, answer nothing until the client goes away


Route = Reply | Callable[[dict[str, Any]], Reply]


@dataclass
class ScriptedServer:
    url: str
    routes: dict[tuple[str, str], Route]
    requests: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    received: threading.Event = field(default_factory=threading.Event)
    client_left: threading.Event = field(default_factory=threading.Event)


MODELS = {"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "test"}]}


def sse(*objects: object) -> list[str]:
    return [f"data: {json.dumps(o)}\n\n" for o in objects] + ["data: [DONE]\n\n"]


def chunk(content: str | None = None, finish: str | None = None) -> dict[str, Any]:
    delta = {"content": content} if content is not None else {}
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    state = ScriptedServer("", {("GET", "/v1/models"): Reply(body=MODELS)})

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else {}
            path = self.path.split("?")[0]
            state.requests.append((method, path, body))
            state.received.set()
            route = state.routes.get((method, path))
            reply = route(body) if callable(route) else route
            if reply is None:
                reply = Reply(404, {"detail": "Not Found"})
            if reply.silent:
                self.connection.settimeout(HANG_TIMEOUT_S)
                try:
                    if self.connection.recv(1) == b"":
                        state.client_left.set()
                except OSError:
                    state.client_left.set()
                self.close_connection = True
                return
            if reply.events is not None:
                self.send_response(reply.status)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for piece in reply.events:
                    self.wfile.write(piece.encode())
                    self.wfile.flush()
                self.close_connection = True
                return
            data = reply.body
            if isinstance(data, (dict, list)):
                data = json.dumps(data)
            payload = data.encode() if isinstance(data, str) else data
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://host:8080/v1", "http://host:8080/v1"),
        ("http://host:8080/v1/", "http://host:8080/v1"),
        ("http://host:8080", "http://host:8080/v1"),
        ("HTTP://host:8080/", "http://host:8080/v1"),
        ("host:11434", "http://host:11434/v1"),
        ("https://example.org/ollama/v1", "https://example.org/ollama/v1"),
        ("https://example.org/ollama", "https://example.org/ollama/v1"),
    ],
)
def scripted_addresses_are_normalised_to_v1(given: str, expected: str) -> None:
    server = RemoteServer("s", given, "key")
    assert server.base_url == expected
    assert server.url("/tokenize") == expected.removesuffix("/v1") + "/tokenize"
    assert "key" not in repr(server)  # the key never lands in a log through repr


@pytest.mark.parametrize("given", ["", "ftp://host/v1", "http://", "http://host:port/v1"])
def test_a_wrong_address_is_a_clear_error(given: str) -> None:
    with pytest.raises(RemoteServerError, match="is not a server address"):
        normalize_base_url(given)


# ---------------------------------------------------------------------------------- reading answers


def test_sse_events_in_any_line_ending_and_split_anywhere() -> None:
    stream = (
        b': ping\r\n\r\ndata: {"a": 1}\r\n\r\nevent: error\ndata: {"b":\n'
        b"data: 2}\n\ndata: caf\xc3\xa9\r\rdata: [DONE]"
    )
    whole = list(sse_events([stream]))
    assert whole == [
        ("message", '{"a": 1}'),
        ("error", '{"b":\n2}'),
        ("message", "café"),
        ("message", "[DONE]"),
    ]
    one_byte_at_a_time = list(sse_events(stream[i : i + 1] for i in range(len(stream))))
    assert one_byte_at_a_time == whole


ERROR_SHAPES = [
    pytest.param(
        Reply(500, {"error": {"message": "sampler exploded", "type": "server_error", "code": 500}}),
        RemoteServerError,
        "answered 500 to /v1/chat/completions: sampler exploded",
        id="openai",
    ),
    pytest.param(
        Reply(500, {"error": "llama runner process has terminated"}),
        RemoteServerError,
        "answered 500 to /v1/chat/completions: llama runner process has terminated",
        id="ollama",
    ),
    pytest.param(
        Reply(503, {"detail": "Service is not available"}),
        RemoteServerError,
        "answered 503 to /v1/chat/completions: Service is not available",
        id="fastapi-text",
    ),
    pytest.param(
        Reply(
            422,
            {
                "detail": [
                    {"loc": ["body", "messages", 0, "content"], "msg": "Field required"},
                    {"loc": ["body", "temperature"], "msg": "Input should be a number"},
                ]
            },
        ),
        RemoteServerError,
        "messages.0.content: Field required; temperature: Input should be a number",
        id="fastapi-pydantic",
    ),
    pytest.param(
        Reply(
            502,
            "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>",
            "text/html",
        ),
        RemoteServerError,
        "answered 502 to /v1/chat/completions: 502 Bad Gateway",
        id="proxy-html",
    ),
    pytest.param(
        Reply(504, "upstream request timeout\nsecond line", "text/plain"),
        RemoteServerError,
        "answered 504 to /v1/chat/completions: upstream request timeout",
        id="plain-text",
    ),
    pytest.param(
        Reply(401, {"error": {"message": "Invalid API Key", "type": "authentication_error"}}),
        ServerAuthError,
        "needs an API key (Invalid API Key)",
        id="key",
    ),
    pytest.param(
        Reply(404, {"error": "model 'fake-model' not found"}),
        RemoteModelNotFoundError,
        "has no such model: model 'fake-model' not found",
        id="model",
    ),
    pytest.param(
        Reply(
            400,
            {
                "error": {
                    "code": 400,
                    "message": "the request exceeds the available context size, try increasing it",
                    "type": "exceed_context_size_error",
                }
            },
        ),
        ContextOverflowError,
        "does not fit the model's context window on the server (the request exceeds",
        id="context-llama-server",
    ),
    pytest.param(
        Reply(
            400,
            {
                "object": "error",
                "message": "This model's maximum context length is 2048 tokens. However, you "
                "requested 3000 tokens (2900 in the messages, 100 in the completion).",
                "type": "BadRequestError",
                "code": 400,
            },
        ),
        ContextOverflowError,
        "maximum context length is 2048 tokens",
        id="context-vllm",
    ),
]


@pytest.mark.parametrize(("reply", "error", "message"), ERROR_SHAPES)
def test_error_answers_in_every_shape_become_plain_words(
    scripted: ScriptedServer, reply: Reply, error: type[GptdeskError], message: str
) -> None:
    scripted.routes[("POST", "/v1/chat/completions")] = reply
    backend = loaded(scripted.url)
    with pytest.raises(error) as raised:
        list(backend.stream_chat(HELLO, GREEDY))
    assert message in str(raised.value)
    assert backend.server.base_url in str(raised.value) or error is ContextOverflowError


def test_error_bodies_parsed_alone() -> None:
    assert parse_error_body(b'{"error": {"message": "m", "type": "t", "code": "c"}}').code == "c"
    assert parse_error_body(b'{"detail": "d"}').message == "d"
    assert parse_error_body(b"").message == ""
    assert parse_error_body(b"<h1>Forbidden</h1><p>go away</p>", "text/html").message == (
        "Forbidden"
    )


def test_an_error_in_the_middle_of_a_stream(scripted: ScriptedServer) -> None:
    events = sse(chunk("Once"), chunk(" upon"))[:-1]
    events.append('data: {"error": {"message": "out of memory", "type": "server_error"}}\n\n')
    scripted.routes[("POST", "/v1/chat/completions")] = Reply(events=events)
    backend = loaded(scripted.url)
    got: list[StreamEvent] = []
    with pytest.raises(GenerationError, match="failed while writing the reply: out of memory"):
        for event in backend.stream_chat(HELLO, GREEDY):
            got.append(event)
    assert deltas(got) == "Once upon"

    scripted.routes[("POST", "/v1/chat/completions")] = Reply(
        events=['event: error\ndata: {"message": "slot crashed"}\n\n']
    )
    with pytest.raises(GenerationError, match="slot crashed"):
        list(backend.stream_chat(HELLO, GREEDY))


def test_a_stream_that_ends_without_finishing(scripted: ScriptedServer) -> None:
    scripted.routes[("POST", "/v1/chat/completions")] = Reply(events=[])
    backend = loaded(scripted.url, n_ctx=1000)
    with pytest.raises(GenerationError, match=r"without sending anything.*\(1000 tokens\)"):
        list(backend.stream_chat(HELLO, GREEDY))
    scripted.routes[("POST", "/v1/chat/completions")] = Reply(events=sse(chunk("Hi"))[:-1])
    with pytest.raises(GenerationError, match="before it was finished"):
        list(backend.stream_chat(HELLO, GREEDY))


def test_sampling_settings_reach_the_server(scripted: ScriptedServer) -> None:
    usage = {"prompt_tokens": 11, "completion_tokens": 2, "total_tokens": 13}
    scripted.routes[("POST", "/v1/chat/completions")] = Reply(
        events=sse(chunk("Hi"), chunk(" there", "stop"), {"choices": [], "usage": usage})
    )
    backend = loaded(scripted.url)
    params = SamplingParams(
        temperature=0.2,
        top_p=0.8,
        top_k=7,
        min_p=0.1,
        repeat_penalty=1.2,
        max_tokens=33,
        seed=5,
        stop=("<a>", "<b>", "<c>", "<d>", "<e>"),
        frequency_penalty=0.3,
        presence_penalty=0.4,
        json_schema='{"type": "object"}',
    )
    events, finished = collect(backend.stream_chat(HELLO, params))
    assert finished.text == deltas(events) == "Hi there"
    assert finished.stats.prompt_tokens == 11
    assert finished.stats.completion_tokens == 2
    assert finished.stats.stop_reason == "eos"
    body = scripted.requests[-1][2]
    assert body["model"] == "fake-model"
    assert body["messages"] == [{"role": "user", "content": HELLO[0].content}]
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["temperature"] == 0.2 and body["top_p"] == 0.8
    assert body["max_tokens"] == 33 and body["seed"] == 5
    assert body["stop"] == ["<a>", "<b>", "<c>", "<d>"]  # OpenAI's limit; all apply here
    assert body["frequency_penalty"] == 0.3 and body["presence_penalty"] == 0.4
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "reply", "schema": {"type": "object"}},
    }
    assert (body["top_k"], body["min_p"], body["repeat_penalty"]) == (7, 0.1, 1.2)

    # The fifth stop string, which the server was not told about, still ends the reply here.
    scripted.routes[("POST", "/v1/chat/completions")] = Reply(
        events=sse(chunk("Hi th"), chunk("ere, e"), chunk("nd"))
    )
    events, finished = collect(backend.stream_chat(HELLO, SamplingParams(stop=("e,",))))
    assert finished.text == deltas(events) == "Hi ther"
    assert finished.stats.stop_reason == "eos"


def test_a_server_that_answers_in_one_piece(scripted: ScriptedServer) -> None:
    whole = {
        "choices": [
            {"message": {"role": "assistant", "content": "All at once."}, "finish_reason": "length"}
        ],
        "usage": {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13},
    }
    scripted.routes[("POST", "/v1/chat/completions")] = Reply(body=whole)
    events, finished = collect(loaded(scripted.url).stream_chat(HELLO, GREEDY))
    assert events == [TextDelta("All at once."), finished]
    assert (finished.stats.stop_reason, finished.stats.completion_tokens) == ("length", 4)


def test_a_server_that_refuses_unknown_fields_gets_them_no_more(scripted: ScriptedServer) -> None:
    def strict(body: dict[str, Any]) -> Reply:
        unknown = sorted(set(body) & {"top_k", "min_p", "repeat_penalty"})
        if unknown:
            message = f"Unrecognized request argument supplied: {unknown[0]}"
            return Reply(400, {"error": {"message": message, "type": "invalid_request_error"}})
        return Reply(events=sse(chunk("ok", "stop")))

    scripted.routes[("POST", "/v1/chat/completions")] = strict
    backend = loaded(scripted.url)
    assert collect(backend.stream_chat(HELLO, GREEDY))[1].text == "ok"
    first, second = scripted.requests[-2][2], scripted.requests[-1][2]
    assert "top_k" in first and "top_k" not in second
    assert second["temperature"] == GREEDY.temperature  # OpenAI's own fields stay
    count = len(scripted.requests)
    assert collect(backend.stream_chat(HELLO, GREEDY))[1].text == "ok"
    assert len(scripted.requests) == count + 1  # one request: remembered
    assert "top_k" not in scripted.requests[-1][2]


def test_continuing_a_reply_asks_for_continue_final_message(scripted: ScriptedServer) -> None:
    scripted.routes[("POST", "/v1/chat/completions")] = Reply(events=sse(chunk(" four", "length")))
    backend = loaded(scripted.url)
    cut = [ChatMessage("user", "Count to five."), ChatMessage("assistant", "One, two, three,")]
    finished = collect(backend.stream_chat(cut, GREEDY, continue_last=True))[1]
    assert (finished.text, finished.stats.stop_reason) == (" four", "length")
    body = scripted.requests[-1][2]
    assert body["messages"][-1] == {"role": "assistant", "content": "One, two, three,"}
    assert body["continue_final_message"] is True and body["add_generation_prompt"] is False


def test_stop_while_the_server_is_silent_ends_at_once(scripted: ScriptedServer) -> None:
    # llama-server sends no headers until the first token: a long prompt is minutes of silence.
    scripted.routes[("POST", "/v1/chat/completions")] = Reply(silent=True)
    backend = loaded(scripted.url)
    scripted.received.clear()
    cancel = threading.Event()
    events = backend.stream_chat(HELLO, GREEDY, cancel)

    def stop_when_received() -> None:
        assert scripted.received.wait(HANG_TIMEOUT_S)
        cancel.set()

    stopper = threading.Thread(target=stop_when_received)
    stopper.start()
    got, finished = collect(events)
    stopper.join()
    assert got == [finished]
    assert finished.stats.stop_reason == "cancelled"
    assert finished.text == ""
    # The socket was closed, so the server knows the client left (and can stop its work).
    assert scripted.client_left.wait(HANG_TIMEOUT_S)
    assert backend.loaded  # Stop is not terminate: the backend is ready for the next request


def test_terminate_from_another_thread_ends_a_silent_request(scripted: ScriptedServer) -> None:
    scripted.routes[("POST", "/v1/chat/completions")] = Reply(silent=True)
    backend = loaded(scripted.url)
    scripted.received.clear()
    result: list[Finished] = []
    worker = threading.Thread(
        target=lambda: result.append(collect(backend.stream_chat(HELLO, GREEDY))[1])
    )
    worker.start()
    assert scripted.received.wait(HANG_TIMEOUT_S)
    backend.terminate()
    worker.join(HANG_TIMEOUT_S)
    assert not worker.is_alive()
    assert result[0].stats.stop_reason == "cancelled"
    assert scripted.client_left.wait(HANG_TIMEOUT_S)
    assert not backend.loaded  # as after a host's terminate: load again to use it


CONTEXT_CASES = [
    pytest.param(
        {("GET", "/v1/models"): Reply(body={"data": [{"id": "m", "max_model_len": 3072}]})},
        3072,
        "max_model_len in /v1/models",
        id="vllm",
    ),
    pytest.param(
        {("GET", "/v1/models"): Reply(body={"data": [{"id": "m", "context_length": 1536}]})},
        1536,
        "context_length in /v1/models",
        id="gptdesk-lm-studio",
    ),
    pytest.param(
        {
            ("GET", "/v1/models"): Reply(
                body={"data": [{"id": "m", "meta": {"n_ctx_train": 8192}}]}
            ),
            ("GET", "/props"): Reply(body={"default_generation_settings": {"n_ctx": 1024}}),
        },
        1024,
        "default_generation_settings.n_ctx in /props",
        id="older-llama-server",
    ),
    pytest.param(
        {
            ("GET", "/v1/models"): Reply(body={"data": [{"id": "m", "owned_by": "library"}]}),
            ("GET", "/api/version"): Reply(body={"version": "0.12.0"}),
            ("POST", "/api/show"): Reply(
                body={
                    "parameters": 'stop "<|im_end|>"\nnum_ctx 6144',
                    "model_info": {"llama.context_length": 131072},
                }
            ),
        },
        6144,
        "num_ctx in /api/show",
        id="ollama-num-ctx",
    ),
    pytest.param(
        {
            ("GET", "/v1/models"): Reply(body={"data": [{"id": "m"}]}),
            ("GET", "/api/version"): Reply(body={"version": "0.12.0"}),
            ("GET", "/api/ps"): Reply(body={"models": [{"name": "m", "context_length": 4096}]}),
        },
        4096,
        "context_length in /api/ps",
        id="ollama-running",
    ),
    pytest.param(
        {
            ("GET", "/v1/models"): Reply(body={"data": [{"id": "m"}]}),
            ("GET", "/api/version"): Reply(body={"version": "0.12.0"}),
            ("POST", "/api/show"): Reply(body={"model_info": {"llama.context_length": 131072}}),
        },
        777,
        "setting",
        id="ollama-training-size-only",
    ),
    pytest.param(
        {
            ("GET", "/v1/models"): Reply(body={"data": [{"id": "m"}]}),
            ("GET", "/api/v0/models/m"): Reply(
                body={"max_context_length": 32768, "loaded_context_length": 8192}
            ),
        },
        8192,
        "loaded_context_length in /api/v0",
        id="lm-studio",
    ),
    pytest.param(
        {("GET", "/v1/models"): Reply(body={"data": [{"id": "m"}]})},
        777,
        "setting",
        id="silent",
    ),
]


@pytest.mark.parametrize(("routes", "n_ctx", "source"), CONTEXT_CASES)
def test_the_served_context_from_what_each_server_says(
    scripted: ScriptedServer, routes: dict[tuple[str, str], Route], n_ctx: int, source: str
) -> None:
    scripted.routes.update(routes)
    status = loaded(scripted.url, n_ctx=777).status
    assert (status.n_ctx, status.context_source) == (n_ctx, source)
    assert status.context_from_server == (source != "setting")


def test_without_a_tokenizer_counts_are_conservative_estimates(scripted: ScriptedServer) -> None:
    backend = loaded(scripted.url, n_ctx=2048)
    assert backend.tokenizer == "estimate"
    text = "The quick brown fox jumps over the lazy dog. " * 20  # about 200 real tokens
    assert len(backend.tokenize(text)) == -(-len(text.encode()) // 3) >= len(text) // 4
    assert len(backend.tokenize(text, chat=False)) == len(backend.tokenize(text)) + 1
    messages = [ChatMessage("system", "Be brief."), ChatMessage("user", text)]
    assert backend.count_tokens(messages) > len(backend.tokenize(text)) + 2 * 4
    assert backend.count_tokens([]) == 0


# ---------------------------------------------------------------------------------- failures
# before any answer


def test_an_unreachable_server_is_named(closed_port: int) -> None:
    backend = RemoteBackend(RemoteServer("gone", f"127.0.0.1:{closed_port}"))
    with pytest.raises(ServerUnreachableError) as raised:
        backend.load()
    assert str(raised.value) == (
        f"Cannot reach the server at http://127.0.0.1:{closed_port}/v1: the connection was "
        "refused. Check the address and that the server is running."
    )
    with pytest.raises(ServerUnreachableError):
        list_models(backend.server)


# ------------------------------------------------------------------------ llama_cpp.server


@pytest.fixture(scope="module")
def keyed_server(starter_path: Path) -> Iterator[str]:
    """llama-server with a 512-token window that wants an API key, its model called "starter":
    its base URL."""
    extra = ["--api-key", KEY, "--alias", "starter"]
    with llama_server(starter_path, n_ctx=SMALL_CTX, extra=extra) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def small_lcs(starter_path: Path) -> Iterator[str]:
    """llama_cpp.server with a 512-token window: its base URL."""
    with llama_cpp_server(starter_path, n_ctx=SMALL_CTX) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def lcs(llama_cpp_server_url: str) -> Iterator[RemoteBackend]:
    backend = loaded(llama_cpp_server_url, n_ctx=2048)
    yield backend
    backend.close()


@pytest.mark.model
def test_llama_cpp_server_lists_its_model(llama_cpp_server_url: str, starter_path: Path) -> None:
    models = list_models(RemoteServer("lcs", llama_cpp_server_url))
    # It states no context size: the listing must not invent one.
    assert models == [RemoteModel(str(starter_path), None, "me")]


@pytest.mark.model
def test_loading_on_llama_cpp_server(lcs: RemoteBackend, starter_path: Path) -> None:
    status = lcs.status
    assert lcs.loaded and lcs.model_id == str(starter_path)  # the first it lists
    # It does not say its window anywhere: the user's setting is used, and said to be.
    assert (status.n_ctx, status.context_source) == (2048, "setting")
    assert status.tokenizer == lcs.tokenizer == "llama-cpp-python"
    assert status.describe() == "Remote · test"
    assert status.path == Path(str(starter_path)) and status.info.name == str(starter_path)
    assert status.info.n_layers == 0 and status.n_threads == 0


@pytest.mark.model
def test_streamed_chat_on_llama_cpp_server(lcs: RemoteBackend) -> None:
    phases: list[str] = []
    lcs.on_phase = phases.append
    try:
        events, finished = collect(lcs.stream_chat(HELLO, GREEDY))
    finally:
        lcs.on_phase = lambda _name: None
    assert phases == ["accepted", "writing"]
    assert finished.text == deltas(events) and finished.text.strip()
    assert sum(isinstance(e, TextDelta) for e in events) > 1  # streamed, not in one piece
    stats = finished.stats
    # llama_cpp.server sends no usage while streaming: the counts are this side's.
    assert stats.prompt_tokens == lcs.count_tokens(HELLO) > 0
    assert 0 < stats.completion_tokens <= GREEDY.max_tokens
    assert stats.stop_reason in ("eos", "length")
    assert 0 < stats.ttft_s <= stats.total_s

    completion = collect(lcs.stream_completion("The capital of France is", GREEDY))[1]
    assert completion.text.strip() and completion.stats.prompt_tokens == len(
        lcs.tokenize("The capital of France is", chat=False)
    )


@pytest.mark.model
def test_counts_agree_with_llama_cpp_server(lcs: RemoteBackend, llama_cpp_server_url: str) -> None:
    text = "Tokenizers split café, naïve and 東京 differently. <|im_start|> is special."
    own = requests.post(
        f"{llama_cpp_server_url}/extras/tokenize", json={"input": text}, timeout=HANG_TIMEOUT_S
    ).json()["tokens"]
    assert lcs.tokenize(text, chat=False) == own
    assert lcs.tokenize(text, chat=True) == own  # this model adds no BOS

    def served(messages: list[ChatMessage]) -> int:
        body = {
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": 1,
        }
        answer = requests.post(
            f"{llama_cpp_server_url}/v1/chat/completions", json=body, timeout=HANG_TIMEOUT_S
        )
        return int(answer.json()["usage"]["prompt_tokens"])

    one = [ChatMessage("user", text)]
    assert lcs.count_tokens(one) == served(one)
    chat = [
        ChatMessage("user", "Hello there."),
        ChatMessage("assistant", "Hi! How can I help?"),
        ChatMessage("user", text),
    ]
    assert served(chat) <= lcs.count_tokens(chat) <= served(chat) + 3
    with_system = [ChatMessage("system", "You answer in French."), *one]
    assert lcs.count_tokens(with_system) >= served(with_system)  # never too low


@pytest.mark.model
def test_stop_strings_on_llama_cpp_server(lcs: RemoteBackend) -> None:
    free = collect(lcs.stream_chat(HELLO, GREEDY))[1].text
    words = re.findall(r"[A-Za-z]{3,}", free)
    assert len(words) >= 3, free
    stop = words[2]
    events, finished = collect(lcs.stream_chat(HELLO, replace(GREEDY, stop=(stop,))))
    assert finished.text == deltas(events)
    assert stop not in finished.text
    assert free.startswith(finished.text)
    assert finished.stats.stop_reason == "eos"


@pytest.mark.model
def test_stop_during_a_long_reply_on_llama_cpp_server(lcs: RemoteBackend) -> None:
    cancel = threading.Event()
    long = SamplingParams(temperature=0.8, max_tokens=1500, seed=3)
    story = [ChatMessage("user", "Tell a very long story about a lighthouse keeper.")]
    got: list[StreamEvent] = []
    for event in lcs.stream_chat(story, long, cancel):
        got.append(event)
        if isinstance(event, TextDelta):
            cancel.set()  # Stop after the first piece
    assert len(got) == 2 and isinstance(got[0], TextDelta)
    finished = got[1]
    assert isinstance(finished, Finished)
    assert finished.stats.stop_reason == "cancelled"
    assert finished.text == got[0].text
    # The server noticed, and answers the next request.
    assert collect(lcs.stream_chat(HELLO, GREEDY))[1].text.strip()


@pytest.mark.model
def test_stop_while_llama_cpp_server_reads_the_prompt(lcs: RemoteBackend) -> None:
    cancel = threading.Event()
    lcs.on_phase = lambda name: cancel.set() if name == "accepted" else None
    long_prompt = [ChatMessage("user", long_text(300) + "\n\nSummarize this.")]
    try:
        got, finished = collect(lcs.stream_chat(long_prompt, GREEDY, cancel))
    finally:
        lcs.on_phase = lambda _name: None
    assert got == [finished]  # not one piece of the reply: it ended while the prompt was read
    assert finished.stats.stop_reason == "cancelled" and finished.text == ""
    assert collect(lcs.stream_chat(HELLO, GREEDY))[1].text.strip()


@pytest.mark.model
def test_json_schema_on_llama_cpp_server(lcs: RemoteBackend) -> None:
    schema = {
        "type": "object",
        "properties": {"city": {"type": "string", "maxLength": 20}},
        "required": ["city"],
    }
    params = SamplingParams(temperature=0.0, max_tokens=60, json_schema=json.dumps(schema))
    question = [ChatMessage("user", "What is the capital of France? Answer in JSON.")]
    finished = collect(lcs.stream_chat(question, params))[1]
    assert finished.stats.stop_reason == "eos", finished.text
    assert isinstance(json.loads(finished.text)["city"], str)


@pytest.mark.model
def test_llama_cpp_server_cannot_continue_a_reply(lcs: RemoteBackend) -> None:
    cut = [ChatMessage("user", "Count to five."), ChatMessage("assistant", "One, two,")]
    with pytest.raises(GenerationError, match="cannot continue a cut-off reply"):
        list(lcs.stream_chat(cut, GREEDY, continue_last=True))


@pytest.mark.model
def test_an_unknown_model_lists_the_servers(lcs: RemoteBackend) -> None:
    backend = RemoteBackend(lcs.server, "gpt-9")
    with pytest.raises(RemoteModelNotFoundError) as raised:
        backend.load()
    assert str(raised.value) == (
        f"The server at {lcs.server.base_url} has no model gpt-9. It has: {lcs.model_id}."
    )
    assert raised.value.available == (lcs.model_id,)


@pytest.mark.model
def test_api_keys(keyed_server: str) -> None:
    with pytest.raises(ServerAuthError) as wrong:
        loaded(keyed_server, key="not-it")
    assert "refused the API key (Invalid API Key). Check the key." in str(wrong.value)
    with pytest.raises(ServerAuthError) as missing:
        loaded(keyed_server)
    assert "needs an API key (Invalid API Key)" in str(missing.value)
    backend = loaded(keyed_server, "starter", key=KEY)
    assert collect(backend.stream_chat(HELLO, GREEDY))[1].text.strip()


@pytest.mark.model
@pytest.mark.parametrize("which", ["keyed_server", "small_lcs"])
def test_a_prompt_longer_than_the_window(which: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(which)
    key = KEY if which == "keyed_server" else None
    backend = loaded(url, key=key, n_ctx=SMALL_CTX)  # llama-server says 512; for the other
    assert backend.status.n_ctx == SMALL_CTX  # it is the setting
    text = long_text(600)  # about 700 tokens
    with pytest.raises(ContextOverflowError, match=r"the window holds 512"):
        list(backend.stream_chat([ChatMessage("user", text)], GREEDY))
    with pytest.raises(ContextOverflowError, match=r"holds 512"):
        list(backend.stream_completion(text, GREEDY))
    # Older turns are left out to make room, as the local engine does.
    chat = [
        ChatMessage("system", "Be brief."),
        ChatMessage("user", long_text(250)),
        ChatMessage("assistant", long_text(250)),
        ChatMessage("user", "And now say hi."),
    ]
    events, finished = collect(backend.stream_chat(chat, GREEDY))
    assert events[0] == ContextTrimmed((1, 2))
    assert finished.stats.dropped_messages == (1, 2)
    assert finished.stats.prompt_tokens + GREEDY.max_tokens <= SMALL_CTX
    backend.close()


@pytest.mark.model
def test_llama_servers_own_context_error(keyed_server: str) -> None:
    # What llama-server answers when a prompt does not fit, even to a streamed request (it
    # answers only once the prompt was checked), reads as a ContextOverflowError.
    body = {"messages": [{"role": "user", "content": long_text(600)}], "stream": True}
    answer = requests.post(
        f"{keyed_server}/v1/chat/completions",
        json=body,
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=HANG_TIMEOUT_S,
    )
    assert answer.status_code == 400
    error = http_error(
        RemoteServer("s", keyed_server),
        "/v1/chat/completions",
        answer.status_code,
        answer.content,
        answer.headers["content-type"],
    )
    assert isinstance(error, ContextOverflowError), answer.text
    assert "exceeds the available context size" in str(error)


# ---------------------------------------------------------------------------------- llama-server


@pytest.mark.model
def test_llama_server_states_its_window_and_counts_exactly(
    llama_server_url: str, starter_path: Path
) -> None:
    server = RemoteServer("llama-server", llama_server_url)
    # meta.n_ctx is the served window; its n_ctx_train (8192) is not.
    assert list_models(server)[0].context_length == 2048
    backend = loaded(llama_server_url, n_ctx=999)
    assert (backend.status.n_ctx, backend.status.context_source) == (
        2048,
        "meta.n_ctx in /v1/models",
    )
    assert backend.tokenizer == "llama-server"
    chat = [ChatMessage("system", "You are terse."), *HELLO]
    events, finished = collect(backend.stream_chat(chat, GREEDY))
    assert finished.text == deltas(events) and finished.text.strip()
    # llama-server sends usage: its count, and this side's from /apply-template, agree.
    assert finished.stats.prompt_tokens == backend.count_tokens(chat)
    assert finished.stats.completion_tokens > 0
    own = requests.post(
        f"{llama_server_url}/tokenize",
        json={"content": "<|im_start|>hi", "add_special": False},
        timeout=HANG_TIMEOUT_S,
    ).json()["tokens"]
    assert backend.tokenize("<|im_start|>hi") == own
    backend.close()


@pytest.mark.model
def test_llama_server_continues_a_cut_off_reply(llama_server_url: str) -> None:
    backend = loaded(llama_server_url)
    cut = [
        ChatMessage("user", "Count from one to ten in words, separated by commas."),
        ChatMessage("assistant", "one, two, three,"),
    ]
    finished = collect(backend.stream_chat(cut, GREEDY, continue_last=True))[1]
    assert finished.text.lower().lstrip().startswith("four"), finished.text
    backend.close()


@pytest.mark.model
def test_stop_while_llama_server_reads_a_long_prompt(llama_server_url: str) -> None:
    backend = loaded(llama_server_url)
    slots = f"{llama_server_url}/slots"

    def busy() -> bool:
        return any(s.get("is_processing") for s in requests.get(slots, timeout=10).json())

    long_prompt = [ChatMessage("user", long_text(500) + "\n\nSummarize this.")]
    cancel = threading.Event()
    result: list[tuple[list[StreamEvent], Finished]] = []
    worker = threading.Thread(
        target=lambda: result.append(collect(backend.stream_chat(long_prompt, GREEDY, cancel)))
    )
    worker.start()
    wait_until(busy)  # it reads the prompt now (and sends nothing, not even headers, until done)
    cancel.set()
    worker.join(HANG_TIMEOUT_S)
    got, finished = result[0]
    assert got == [finished] and finished.stats.stop_reason == "cancelled"
    wait_until(lambda: not busy())  # it saw the client leave and stopped
    backend.close()


# ---------------------------------------------------------------------------------- gptdesk serve


@pytest.mark.model
def test_another_gptdesk_as_the_server(starter_path: Path, tmp_path: Path) -> None:
    with gptdesk_serve(starter_path, tmp_path / "data", "--ctx", "1024") as served:
        backend = loaded(served.v1, n_ctx=4096)
        assert backend.status.n_ctx == 1024  # from its card, not the setting
        assert backend.status.context_source.endswith("in /v1/models")
        events, finished = collect(backend.stream_chat(HELLO, GREEDY))
        assert finished.text == deltas(events) and finished.text.strip()
        assert finished.stats.prompt_tokens > 0 and finished.stats.completion_tokens > 0
        backend.close()


# ------------------------------------------------------------------------ the command line


def run_cli(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gptdesk", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=HANG_TIMEOUT_S,
        cwd=REPO_ROOT,
    )


@pytest.fixture
def remote_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "GPTDESK_"))}
    home = tmp_path / "home"
    home.mkdir()
    env.update(PYTHONPATH=str(REPO_ROOT), HOME=str(home), PYTHONIOENCODING="utf-8")
    return env


@pytest.mark.model
def test_cli_generate_on_a_remote_server(remote_env: dict[str, str], keyed_server: str) -> None:
    args = ["generate", "--remote", keyed_server, "--max-tokens", "12", "--seed", "1", "--stats"]
    result = run_cli({**remote_env, KEY_ENV: KEY}, *args, "Hello")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    stats = json.loads(result.stderr.strip().splitlines()[-1])
    assert stats["backend"] == f"Remote · {keyed_server.removeprefix('http://')}"
    assert stats["model"] == "starter"
    assert 0 < stats["completion_tokens"] <= 12

    refused = run_cli(remote_env, *args, "--remote-key", "wrong", "Hello")
    assert refused.returncode == 1
    assert (
        refused.stderr.startswith("gptdesk: The server at ") and "Traceback" not in refused.stderr
    )
    unknown = run_cli({**remote_env, KEY_ENV: KEY}, *args, "--model", "nope", "Hello")
    assert unknown.returncode == 1
    assert "has no model nope. It has: starter." in unknown.stderr


@pytest.mark.model
def test_cli_summary_of_a_text_ten_windows_long(
    remote_env: dict[str, str], keyed_server: str, tmp_path: Path
) -> None:
    document = tmp_path / "chronicle.txt"
    document.write_text(long_text(SMALL_CTX * 10 * 3 // 4), encoding="utf-8")  # ~10 windows
    args = ["generate", "--remote", keyed_server, "--remote-key", KEY, "--task", "summary"]
    args += ["--input", str(document), "--max-tokens", "32", "--temperature", "0"]
    result = run_cli(remote_env, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    parts = re.findall(r"Summarizing part (\d+) of (\d+)", result.stderr)
    assert parts, result.stderr
    total = int(parts[0][1])
    assert total >= 8, result.stderr
    assert [int(i) for i, _ in parts] == list(range(1, total + 1))
    assert "Combining" in result.stderr
