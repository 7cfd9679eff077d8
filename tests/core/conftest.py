"""Fixtures for the model-download tests: the fake Hub, small GGUF files, the CLI as a process."""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import gguf
import numpy as np
import pytest

import gptdesk
from gptdesk.core.models.downloads import RetryPolicy
from tests.fakehub import fake_hub as fake_hub  # registers the `fake_hub` fixture
from tests.waits import HANG_TIMEOUT_S

REPO_ROOT = Path(gptdesk.__file__).resolve().parent.parent
# Retries at once; a transfer counts as stalled only after HANG_TIMEOUT_S of silence, so a busy
# machine that leaves a socket unread for a while never looks like a stalled server (the stall
# tests use STALL_POLICY or a fault that outlasts this).
FAST_POLICY = RetryPolicy(attempts=4, backoff_s=0.01, backoff_max_s=0.05, stall_s=HANG_TIMEOUT_S)
# For the test of stall detection itself: 1 s of silence is a stall.
STALL_POLICY = RetryPolicy(attempts=4, backoff_s=0.01, backoff_max_s=0.05, stall_s=1.0)


def sha256_of(data: bytes | Path) -> str:
    if isinstance(data, Path):
        digest = hashlib.sha256()
        with data.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
        return digest.hexdigest()
    return hashlib.sha256(data).hexdigest()


def wait_until(condition: Callable[[], bool], timeout: float = HANG_TIMEOUT_S) -> None:
    """Poll ``condition`` until it holds; a timeout fails the test (it bounds a hang only)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(0.01)


def add_tiny_vocabulary(writer: gguf.GGUFWriter, n_tokens: int = 16) -> None:
    """A minimal SentencePiece-style vocabulary: what gptdesk's checks ask of a model."""
    writer.add_tokenizer_model("llama")
    writer.add_token_list([f"<t{i}>" for i in range(n_tokens)])
    writer.add_token_scores([0.0] * n_tokens)
    writer.add_token_types([gguf.TokenType.NORMAL] * n_tokens)


def write_tiny_gguf(path: Path, payload_bytes: int = 4096, n_layers: int = 2) -> Path:
    """A small llama GGUF whose metadata passes gptdesk's checks (llama.cpp would not run it:
    its tensors are not a model); ``payload_bytes`` of tensor data sets its size."""
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name(path.stem)
    writer.add_block_count(n_layers)
    writer.add_context_length(512)
    writer.add_embedding_length(64)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    add_tiny_vocabulary(writer)
    writer.add_tensor("token_embd.weight", np.ones((16, 4), dtype=np.float32))
    rng = np.random.default_rng(len(path.name))
    writer.add_tensor("output.weight", rng.random(max(1, payload_bytes // 4), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture
def tiny_gguf(tmp_path: Path) -> Callable[..., bytes]:
    """``tiny_gguf(name, payload_bytes)``: the bytes of a small valid GGUF."""
    folder = tmp_path / "gguf-src"
    folder.mkdir(exist_ok=True)

    def make(name: str = "tiny.gguf", payload_bytes: int = 4096) -> bytes:
        return write_tiny_gguf(folder / name, payload_bytes).read_bytes()

    return make


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def black_hole() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a listener whose accept queue is full: new connections
    get no answer at all, like a network that drops packets."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):  # it stays pending: that is the point
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    for filler in fillers:
        filler.close()
    server.close()


@pytest.fixture
def cli_home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def gptdesk_env(cli_home: Path) -> dict[str, str]:
    """The environment of a user with an empty home, no token and telemetry off."""
    drop = ("XDG_", "HF_", "HUGGING", "GPTDESK_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        HOME=str(cli_home),
        PYTHONIOENCODING="utf-8",
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HOME=str(cli_home / "hf"),
    )
    return env


@pytest.fixture
def gptdesk_cli(
    gptdesk_env: dict[str, str],
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``gptdesk_cli(*args)``: ``python -m gptdesk *args`` run to completion."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gptdesk", *args],
            env=gptdesk_env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=HANG_TIMEOUT_S,
            cwd=REPO_ROOT,
        )

    return run
