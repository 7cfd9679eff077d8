"""Model files that make llama.cpp abort, and an engine process the system kills: the caller
gets a clear error, the model is marked, the next request or model gets a fresh process; the
CLI ends with one line."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gptdesk.core.errors import EngineCrashedError
from gptdesk.core.inference import cpu_kernels, crashes
from gptdesk.core.inference.backend import (
    ChatMessage,
    Finished,
    LoadOptions,
    SamplingParams,
    TextDelta,
)
from gptdesk.core.inference.host import EngineHost
from gptdesk.core.models.library import ModelEntry, describe
from tests.hostile_gguf import crashes_at_first_decode, crashes_at_load, starter_reader
from tests.waits import HANG_TIMEOUT_S

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
HI = [ChatMessage("user", "Hi!")]
SHORT = SamplingParams(temperature=0.0, seed=1, max_tokens=8)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("crashers")
    source = starter_reader()
    return {
        "load": crashes_at_load(folder / "aborts-at-load.gguf", source=source),
        "decode": crashes_at_first_decode(folder / "aborts-at-decode.gguf", source=source),
    }


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Crash records (and the CPU probe's memory, copied: no probe again) in a fresh folder."""
    folder = tmp_path / "cache"
    folder.mkdir()
    known = cpu_kernels.memory_file()
    if known.is_file():
        shutil.copy(known, folder / known.name)
    monkeypatch.setenv(cpu_kernels.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def hosts() -> Iterator[list[EngineHost]]:
    made: list[EngineHost] = []
    yield made
    for host in made:
        host.close()


def new_host(hosts: list[EngineHost], path: Path, **options: object) -> EngineHost:
    host = EngineHost(path, LoadOptions(n_ctx=1024, **options))  # type: ignore[arg-type]
    hosts.append(host)
    return host


def test_an_abort_while_loading_is_reported_and_remembered(files, cache, hosts, starter_path):
    host = new_host(hosts, files["load"])
    with pytest.raises(EngineCrashedError) as caught:
        host.load()
    error = caught.value
    assert error.during == "load"
    assert str(error).startswith("The model crashed while loading: llama.cpp rejected the model's")
    assert "The file is damaged or made for a newer version" in str(error)
    assert "id_to_token.size() == token_to_id.size()" in error.detail
    assert not host.loaded and host.pid is None

    # The library marks it, with the reason; a new download of the file would not be marked.
    assert crashes.reason(files["load"]) == error.detail
    described = describe(ModelEntry("aborts-at-load", files["load"]))
    assert isinstance(described, str) and error.detail in described

    # The next model loads and answers in a fresh process.
    good = new_host(hosts, starter_path)
    good.load()
    events = list(good.stream_chat(HI, SHORT))
    assert isinstance(events[-1], Finished) and events[-1].text


def test_an_abort_at_the_first_decode(files, cache, hosts):
    # With the warm-up (the app's default) the first decode is part of loading.
    with pytest.raises(EngineCrashedError, match=r"crashed while loading: llama\.cpp stopped: "):
        new_host(hosts, files["decode"]).load()

    host = new_host(hosts, files["decode"], warmup=False)
    host.load()
    pid = host.pid
    with pytest.raises(EngineCrashedError) as caught:
        list(host.stream_chat(HI, SHORT))
    assert caught.value.during == "reply"
    assert str(caught.value).startswith("The model crashed while writing: llama.cpp stopped: ")
    assert "unsupported types" in caught.value.detail
    assert "the next request starts the model again" in str(caught.value)
    assert host.loaded and host.pid is None
    # The next request starts a fresh process, loads the model again, and crashes the same way.
    with pytest.raises(EngineCrashedError, match="crashed while writing"):
        list(host.stream_completion("Once upon a time", SHORT))
    assert host.starts == 2 and pid is not None


def test_a_process_the_system_kills_mid_reply(cache, hosts, starter_path):
    host = new_host(hosts, starter_path)
    host.load()
    params = SamplingParams(temperature=0.8, seed=2, max_tokens=300)
    seen: list[str] = []
    with pytest.raises(EngineCrashedError) as caught:
        for event in host.stream_chat([ChatMessage("user", "Tell a long story.")], params):
            if isinstance(event, TextDelta):
                seen.append(event.text)
                if len(seen) == 3:
                    assert host.pid is not None
                    os.kill(host.pid, signal.SIGKILL)  # what the kernel's OOM killer does
    assert len(seen) >= 3
    assert "most likely because memory ran out" in str(caught.value)
    assert crashes.reason(starter_path) is None  # it loaded fine: not marked
    events = list(host.stream_chat(HI, SHORT))  # a fresh process serves the next one
    assert isinstance(events[-1], Finished) and host.starts == 2


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gptdesk", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != cpu_kernels.CACHE_ENV},
        timeout=HANG_TIMEOUT_S,
        check=False,
    )


@pytest.mark.parametrize("kind", ["load", "decode"])
def test_the_cli_ends_with_one_line_and_lists_the_model_as_crashed(files, tmp_path, kind):
    data = tmp_path / "data"
    (data / "cache").mkdir(parents=True)
    known = cpu_kernels.memory_file()
    if known.is_file():
        shutil.copy(known, data / "cache" / known.name)
    model = data / "models" / files[kind].name
    model.parent.mkdir(parents=True)
    shutil.copy(files[kind], model)

    done = cli("--data-dir", str(data), "generate", "--model", str(model), "Hi")
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("gptdesk: The model crashed while loading: llama.cpp ")
    assert "Traceback" not in done.stderr and done.stdout.strip() == ""

    listed = cli("--data-dir", str(data), "models", "list")
    assert listed.returncode == 0, listed.stderr
    line = next(x for x in listed.stdout.splitlines() if model.name in x or model.stem in x)
    assert "crashed" in line
