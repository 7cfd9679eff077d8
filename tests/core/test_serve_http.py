"""The API server in this process over the real starter model: its guard against web pages and
foreign hosts, Ollama's endpoints, and a client that leaves cancelling its request at once."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from gptdesk.core.inference.backend import ChatMessage
from gptdesk.core.inference.engine import Engine
from tests.core.conftest import wait_until
from tests.core.serve_support import Watched, post_and_hold, serve_in_process
from tests.waits import HANG_TIMEOUT_S

pytestmark = pytest.mark.model

HELLO = [{"role": "user", "content": "Write one sentence about the sea."}]


@pytest.fixture
def watched(engine: Engine) -> Watched:
    return Watched(engine)


@pytest.fixture
def url(watched: Watched) -> Iterator[str]:
    with serve_in_process(watched, origins=("http://localhost:3000",)) as (address, _runner):
        yield address


def raw(url: str, request: bytes) -> tuple[int, bytes]:
    """Send a hand-written request (a browser's, an attacker's; with Connection: close) and
    read the whole answer: its status and bytes."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=HANG_TIMEOUT_S) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(4096):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


# ------------------------------------------------------------------------------ the guard


def test_a_foreign_host_is_refused_before_the_model_runs(url: str, watched: Watched) -> None:
    """DNS rebinding: a page at evil.example makes the browser talk to 127.0.0.1, but the Host
    header still says evil.example."""
    body = json.dumps({"messages": HELLO, "max_tokens": 2}).encode()
    status, data = raw(
        url,
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: evil.example:8080\r\n"
        b"Content-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body,
    )
    assert status == 403
    assert b"forbidden_host" in data
    assert not watched.started.is_set()
    for host in ("localhost", "127.0.0.1", "[::1]"):
        port = urlsplit(url).port
        ok = requests.get(f"{url}/v1/models", headers={"Host": f"{host}:{port}"})
        assert ok.status_code == 200, host


def test_a_cross_origin_simple_post_is_refused(url: str, watched: Watched) -> None:
    """A page can POST text/plain anywhere without a preflight; CORS headers would only hide
    the answer after the model ran. It is refused first."""
    response = requests.post(
        f"{url}/v1/chat/completions",
        data=json.dumps({"messages": HELLO}),
        headers={"Origin": "https://evil.example", "Content-Type": "text/plain"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden_origin"
    assert "access-control-allow-origin" not in response.headers
    assert not watched.started.is_set()


def test_an_allowed_origin_gets_cors_and_a_preflight(url: str) -> None:
    origin = "http://localhost:3000"
    preflight = requests.options(
        f"{url}/v1/chat/completions",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == origin
    assert "content-type" in preflight.headers["access-control-allow-headers"]
    models = requests.get(f"{url}/v1/models", headers={"Origin": origin})
    assert models.status_code == 200
    assert models.headers["access-control-allow-origin"] == origin


def test_a_body_must_be_json(url: str, watched: Watched) -> None:
    response = requests.post(
        f"{url}/v1/chat/completions",
        data=json.dumps({"messages": HELLO}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    broken = requests.post(
        f"{url}/v1/chat/completions", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert "not valid JSON" in broken.json()["error"]["message"]
    assert not watched.started.is_set()


def test_a_body_over_the_limit_is_413(url: str) -> None:
    big = json.dumps({"messages": [{"role": "user", "content": "x" * (9 * 1024 * 1024)}]})
    response = requests.post(
        f"{url}/v1/chat/completions", data=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_an_api_key_is_required_when_set(engine: Engine) -> None:
    with serve_in_process(Watched(engine), key="s3cret") as (url, _runner):
        assert requests.get(f"{url}/v1/models").status_code == 401
        wrong = requests.get(f"{url}/v1/models", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "invalid_api_key"
        ok = requests.get(f"{url}/v1/models", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        assert requests.get(f"{url}/health").status_code == 200  # probes need no key


# ------------------------------------------------------------------------------ Ollama


def test_ollama_version_tags_and_show(url: str, engine: Engine) -> None:
    assert requests.get(f"{url}/api/version").json()["version"]
    models = requests.get(f"{url}/api/tags").json()["models"]
    name = engine.status.path.stem
    assert [m["name"] for m in models] == [name]
    assert models[0]["details"]["format"] == "gguf"
    assert models[0]["size"] == engine.status.path.stat().st_size
    show = requests.post(f"{url}/api/show", json={"model": f"{name}:latest"}).json()
    assert show["model_info"]["general.architecture"] == engine.status.info.architecture
    missing = requests.post(f"{url}/api/show", json={"model": "llama3"})
    assert missing.status_code == 404
    assert isinstance(missing.json()["error"], str)  # Ollama's error shape


def test_ollama_chat_streams_ndjson_and_answers_whole(url: str) -> None:
    body = {"messages": HELLO, "options": {"num_predict": 8, "temperature": 0}}
    with requests.post(f"{url}/api/chat", json=body, stream=True) as response:
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in response.iter_lines() if line]
    assert all(not line["done"] for line in lines[:-1])
    assert lines[-1]["done"] is True and lines[-1]["done_reason"] in ("stop", "length")
    assert lines[-1]["eval_count"] <= 8
    streamed = "".join(line["message"]["content"] for line in lines)
    whole = requests.post(f"{url}/api/chat", json={**body, "stream": False}).json()
    assert whole["done"] is True
    assert whole["message"] == {"role": "assistant", "content": streamed}


def test_ollama_generate_plain_raw_and_load(url: str) -> None:
    options = {"num_predict": 5, "temperature": 0}
    reply = requests.post(
        f"{url}/api/generate",
        json={
            "prompt": "The capital of France is",
            "raw": True,
            "stream": False,
            "options": options,
        },
    ).json()
    assert reply["response"] and reply["done"] is True
    chat = requests.post(
        f"{url}/api/generate", json={"prompt": "Hi", "system": "Be brief.", "options": options}
    )
    lines = [json.loads(line) for line in chat.text.splitlines()]
    assert lines[-1]["done"] is True
    load = requests.post(f"{url}/api/generate", json={"model": "", "prompt": ""}).json()
    assert load["done_reason"] == "load"
    images = requests.post(f"{url}/api/generate", json={"prompt": "x", "images": ["aGk="]})
    assert images.status_code == 400


# ------------------------------------------------------------------------------ leaving


def test_a_client_that_leaves_mid_reply_cancels_it(url: str, watched: Watched) -> None:
    sock = post_and_hold(
        f"{url}/v1/chat/completions", {"messages": HELLO, "max_tokens": 1500, "stream": True}
    )
    assert sock.recv(1)  # the reply runs
    sock.close()
    assert watched.done.wait(HANG_TIMEOUT_S)
    (finished,) = watched.finished
    assert finished.stats.stop_reason == "cancelled"


def test_a_client_that_leaves_during_prefill_cancels_it_there(
    url: str, watched: Watched, engine: Engine
) -> None:
    """A long prompt is evaluated in chunks; the client leaves as soon as evaluation begins,
    before any byte of the answer, and the request ends before its prompt is done."""
    n_ctx = engine.status.n_ctx
    long = " ".join(f"w{i}" for i in range(n_ctx))
    while engine.count_tokens([ChatMessage("user", long)]) > n_ctx - 64:
        long = long[: int(len(long) * 0.9)]
    sock = post_and_hold(
        f"{url}/v1/chat/completions",
        {"messages": [{"role": "user", "content": long}], "stream": False},
    )
    assert watched.started.wait(HANG_TIMEOUT_S)
    sock.close()
    assert watched.done.wait(HANG_TIMEOUT_S)
    (finished,) = watched.finished
    assert finished.stats.stop_reason == "cancelled"
    assert finished.stats.completion_tokens == 0
    assert finished.stats.prompt_eval_tokens < finished.stats.prompt_tokens
    wait_until(lambda: requests.get(f"{url}/health").json()["queued"] == 0)
