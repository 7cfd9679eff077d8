"""Real OpenAI-compatible servers on loopback for tests: llama-server and llama_cpp.server.

Two context managers start a server on the given GGUF and end it afterwards: ``llama_server``
(llama.cpp's own binary, built once by packaging/build-llama-server.sh) and ``llama_cpp_server``
(llama-cpp-python's FastAPI server from this venv). Each yields a ``RunningServer`` once the server
answers, with its output in a log file (``stderr_tail()`` for failure messages).

Two session fixtures start each on the starter model (n_ctx ``STARTER_N_CTX``) once per test
session and yield its base URL, ``http://127.0.0.1:PORT`` (the OpenAI API is under ``/v1``):
``llama_server_url`` and ``llama_cpp_server_url``. Load this module as a plugin, in a test module
or in tests/conftest.py::

    pytest_plugins = ["tests.servers"]

    def test_reply(llama_server_url: str) -> None:
        requests.post(f"{llama_server_url}/v1/chat/completions", json=...)

Not ``from tests.servers import llama_server_url``: pytest would make an imported fixture a
separate one per module, and start a session's server once for every module that imports it.

PYTEST_DONT_REWRITE: nothing here asserts, and a test module may both import this module and
load it as a plugin (pytest would warn that it was imported before it could rewrite it).
"""

from __future__ import annotations

import importlib.metadata
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

import gptdesk
from tests.waits import HANG_TIMEOUT_S

REPO_ROOT = Path(gptdesk.__file__).resolve().parent.parent
BUILD_SCRIPT = REPO_ROOT / "packaging" / "build-llama-server.sh"
BINARY_ENV = "GPTDESK_LLAMA_SERVER"
"""The llama-server binary (``make test`` sets it); when unset, the build script is run, which
only prints the cached binary's path once it was built."""
# llama.cpp's threads wait for each other at every step: on a 2-core machine that also runs
# the test process, the client and maybe another model, two threads per server would often wait
# for a core and run slower than one. One thread is plenty for a 135M model and a few tokens.
THREADS = 1
STARTER_N_CTX = 2048
"""The context of the session fixtures' servers."""
_POLL_S = 0.1
_STOP_TIMEOUT_S = 60.0  # then it is killed: a server that ignores SIGTERM must not hang the tests


@dataclass
class RunningServer:
    """A server process on 127.0.0.1 and the file its output goes to."""

    base_url: str  # http://127.0.0.1:PORT, without /v1
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def stderr_tail(self, lines: int = 40) -> str:
        """The last lines of the server's output (stdout and stderr, in one file)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(no server log: {exc})"
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def llama_server_binary() -> Path:
    """The llama-server binary: ``$GPTDESK_LLAMA_SERVER``, else the build script's cached one
    (built first if missing: several minutes, once per machine)."""
    named = os.environ.get(BINARY_ENV)
    if named:
        path = Path(named)
        if not os.access(path, os.X_OK):
            raise RuntimeError(f"{BINARY_ENV}={named} is not an executable file")
        return path
    version = importlib.metadata.version("llama-cpp-python")
    done = subprocess.run(
        [str(BUILD_SCRIPT), sys.executable, version],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{BUILD_SCRIPT.name} failed (exit {done.returncode}):\n{done.stderr[-4000:]}"
        )
    return Path(done.stdout.strip().splitlines()[-1])


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or busy
        return False


@contextmanager
def _serve(
    command: Sequence[str], port: int, ready_path: str, env: dict[str, str] | None = None
) -> Iterator[RunningServer]:
    """Start ``command`` (a server on 127.0.0.1:``port``), wait until ``ready_path`` answers 200,
    yield it, then end it."""
    with tempfile.TemporaryDirectory(prefix="gptdesk-server-") as tmp:
        log_path = Path(tmp) / "server.log"
        # A file, not a pipe: nobody reads the output while the tests run, and a full pipe would
        # block the server mid-reply.
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        server = RunningServer(f"http://127.0.0.1:{port}", process, port, log_path)
        try:
            # Loading takes a second or two when idle; the deadline only bounds a hang.
            deadline = time.monotonic() + HANG_TIMEOUT_S
            while not _answers(server.base_url + ready_path):
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{Path(command[0]).name} ended ({process.returncode}) before it "
                        f"answered:\n{server.stderr_tail()}"
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{Path(command[0]).name} did not answer {ready_path} within "
                        f"{HANG_TIMEOUT_S} s:\n{server.stderr_tail()}"
                    )
                time.sleep(_POLL_S)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def llama_server(
    model: Path, *, n_ctx: int = 2048, extra: Sequence[str] = ()
) -> Iterator[RunningServer]:
    """llama.cpp's llama-server on ``model``, one slot of ``n_ctx`` tokens; ready once
    ``GET /health`` answers 200 (it answers 503 while the model loads)."""
    port = free_port()
    command = [
        str(llama_server_binary()),
        "--model", str(model),
        "--host", "127.0.0.1",
        "--port", str(port),
        "--ctx-size", str(n_ctx),
        # One slot: all of n_ctx for one conversation (with more, llama-server splits it).
        "--parallel", "1",
        "--threads", str(THREADS),
        "--threads-batch", str(THREADS),
        # No weight repacking: the repacked kernels are the ones that crash on CPUs with AMX.
        "--no-repack",
        "--no-webui",  # --no-ui in this version; the older spelling works in both
        *extra,
    ]  # fmt: skip
    with _serve(command, port, "/health") as server:
        yield server


_LAUNCH_LLAMA_CPP_SERVER = """\
import sys
from pathlib import Path
from gptdesk.core.inference import cpu_kernels
cpu_kernels.ensure(Path(sys.argv[1]))
from llama_cpp.server.__main__ import main
sys.argv = ["llama_cpp.server", *sys.argv[2:]]
main()
"""
"""llama_cpp.server behind gptdesk's choice of CPU kernels. This venv's llama.cpp has one CPU
module per instruction-set level and none linked in; ``cpu_kernels.ensure()`` loads the best one
that survived its probe on this CPU (remembered per build and CPU, so no new probe), as the
engine does before it loads a model. A bare ``python -m llama_cpp.server`` has no CPU backend at
all and fails to load any model."""


@contextmanager
def llama_cpp_server(
    model: Path, *, n_ctx: int = 2048, extra: Sequence[str] = ()
) -> Iterator[RunningServer]:
    """llama-cpp-python's own server (``llama_cpp.server``) on ``model`` with ``n_ctx`` tokens;
    ready once ``GET /v1/models`` answers 200 (the model is loaded before it listens)."""
    port = free_port()
    command = [
        sys.executable, "-c", _LAUNCH_LLAMA_CPP_SERVER, str(model),
        "--model", str(model),
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_ctx", str(n_ctx),
        "--n_threads", str(THREADS),
        "--n_threads_batch", str(THREADS),
        *extra,
    ]  # fmt: skip
    env = dict(os.environ)
    # Its __main__ lets $HOST and $PORT override the arguments and reads $CONFIG_FILE instead of
    # them; a CI machine may set any of these for other reasons.
    for name in ("HOST", "PORT", "CONFIG_FILE"):
        env.pop(name, None)
    with _serve(command, port, "/v1/models", env) as server:
        yield server


@pytest.fixture(scope="session")
def llama_server_url(starter_path: Path) -> Iterator[str]:
    """llama-server on the starter model (n_ctx 2048), once per session: its base URL."""
    with llama_server(starter_path, n_ctx=STARTER_N_CTX) as server:
        yield server.base_url


@pytest.fixture(scope="session")
def llama_cpp_server_url(starter_path: Path) -> Iterator[str]:
    """llama_cpp.server on the starter model (n_ctx 2048), once per session: its base URL."""
    with llama_cpp_server(starter_path, n_ctx=STARTER_N_CTX) as server:
        yield server.base_url
