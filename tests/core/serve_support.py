"""``gptdesk serve`` for the API tests: the real command as a process, and the same server in this
process over a backend the test can watch."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from gptdesk.core.inference.backend import Backend, Finished, StreamEvent
from gptdesk.core.serve.listener import ApiServer, bind
from gptdesk.core.serve.runner import ThreadRunner
from gptdesk.core.serve.security import GuardOptions
from tests.core.conftest import REPO_ROOT
from tests.waits import HANG_TIMEOUT_S


@dataclass
class Served:
    """A running ``gptdesk serve``."""

    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen[str]
    log: Path

    @property
    def v1(self) -> str:
        return f"{self.url}/v1"


@contextlib.contextmanager
def gptdesk_serve(model: Path, data_dir: Path, *args: str) -> Iterator[Served]:
    """``python -m gptdesk serve --port 0 ...``: yields once it printed ``listening on URL``."""
    log = data_dir.parent / "serve.log"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "gptdesk", "--data-dir", str(data_dir), "serve"]
    with log.open("w") as err:
        process = subprocess.Popen(
            [*command, "--model", str(model), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=env,
            cwd=REPO_ROOT,
        )
    try:
        assert process.stdout is not None
        line = ""
        timer = threading.Timer(HANG_TIMEOUT_S, process.kill)  # a hang guard, not a budget
        timer.start()
        try:
            line = process.stdout.readline()
        finally:
            timer.cancel()
        assert line.startswith("listening on http://"), f"{line!r}\n{log.read_text()}"
        yield Served(line.split()[-1], process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=HANG_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            raise


def post_and_hold(url: str, body: dict[str, object]) -> socket.socket:
    """POST ``body`` to ``url`` on a raw connection and leave it open, unread: closing it is
    the client going away (mid-reply, or while it still waits its turn)."""
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    data = json.dumps(body).encode()
    sock = socket.create_connection((parts.hostname, parts.port))
    sock.sendall(
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n".encode()
        + data
    )
    return sock


@dataclass
class Watched:
    """A backend whose requests the test can follow: each stream's start and its Finished."""

    backend: Backend
    started: threading.Event = field(default_factory=threading.Event)
    finished: list[Finished] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def reset(self) -> None:
        self.started.clear()
        self.done.clear()
        self.finished.clear()

    def _watch(self, events: Iterator[StreamEvent]) -> Iterator[StreamEvent]:
        self.started.set()
        try:
            for event in events:
                if isinstance(event, Finished):
                    self.finished.append(event)
                yield event
        finally:
            self.done.set()

    # The Backend calls the server's runner makes, passed through.
    @property
    def loaded(self) -> bool:
        return self.backend.loaded

    @property
    def status(self):  # type: ignore[no-untyped-def]
        return self.backend.status

    def stream_chat(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return self._watch(self.backend.stream_chat(*args, **kwargs))

    def stream_completion(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return self._watch(self.backend.stream_completion(*args, **kwargs))

    def count_tokens(self, messages):  # type: ignore[no-untyped-def]
        return self.backend.count_tokens(messages)

    def tokenize(self, text, *, chat=True):  # type: ignore[no-untyped-def]
        return self.backend.tokenize(text, chat=chat)

    def close(self) -> None:
        pass

    def terminate(self) -> None:
        pass


@contextlib.contextmanager
def serve_in_process(
    backend: Backend, *, max_queued: int = 16, origins: Sequence[str] = (), key: str | None = None
) -> Iterator[tuple[str, ThreadRunner]]:
    """The API server on a thread of this process (port 0), over ``backend``; yields its URL."""
    runner = ThreadRunner(backend, max_queued=max_queued)
    server = ApiServer(
        runner, bind("127.0.0.1", 0), GuardOptions(api_key=key, allow_origins=tuple(origins))
    )
    ready = threading.Event()
    server.start(on_ready=ready.set)
    assert ready.wait(HANG_TIMEOUT_S)
    try:
        yield server.url, runner
    finally:
        server.stop()
        runner.close()
