"""Chat templates that never end or raise Python errors: the engine host ends them, Stop works,
and the next request is served by a fresh host; the CLI says so in one line."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gptdesk.core.errors import GenerationError, ModelLoadError
from gptdesk.core.inference.backend import (
    ChatMessage,
    Finished,
    LoadOptions,
    SamplingParams,
    TextDelta,
)
from gptdesk.core.inference.host import TEMPLATE_TIMEOUT_ENV, EngineHost
from tests.hostile_gguf import chat_template, starter_reader
from tests.waits import HANG_TIMEOUT_S

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
HI = [ChatMessage("user", "Hi!")]
SHORT = SamplingParams(temperature=0.0, seed=1, max_tokens=8)
# Renders for ever: 10^10 loop turns (the sandbox allows ranges of 100 000).
ENDLESS = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
# Jinja folds constant expressions while it compiles: this power (a 100 MB number) takes minutes,
# in one call that holds the GIL.
ENDLESS_COMPILE = "{{ 7 ** (7 ** 10) }}"
DIVIDES_BY_ZERO = "{{ messages | length // 0 }}"
RECURSES = "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    source = starter_reader()
    templates = {
        "endless": ENDLESS,
        "endless-compile": ENDLESS_COMPILE,
        "zero": DIVIDES_BY_ZERO,
        "recursion": RECURSES,
    }
    return {
        name: chat_template(folder / f"{name}.gguf", text, source=source)
        for name, text in templates.items()
    }


@pytest.fixture
def loaded(files: dict[str, Path]) -> Iterator[dict[str, EngineHost]]:
    hosts: dict[str, EngineHost] = {}
    yield hosts
    for host in hosts.values():
        host.close()


def load(hosts: dict[str, EngineHost], path: Path, timeout_s: float) -> EngineHost:
    host = EngineHost(path, LoadOptions(n_ctx=1024))
    host.template_timeout_s = timeout_s
    hosts[path.name] = host
    host.load()
    return host


def test_a_template_that_renders_for_ever_is_ended(files, loaded) -> None:
    host = load(loaded, files["endless"], timeout_s=1.5)
    first_pid = host.pid
    with pytest.raises(GenerationError, match=r"ran for more than 2 s and was stopped"):
        list(host.stream_chat(HI, SHORT))
    assert host.starts == 1 and host.pid is None  # its process was ended
    # Chat requests and the context meter's count (it renders the template too) now fail at
    # once, instead of waiting out the bound again.
    start = time.monotonic()
    with pytest.raises(GenerationError, match="ran for more than"):
        host.count_tokens(HI)
    with pytest.raises(GenerationError, match="ran for more than"):
        list(host.stream_chat(HI, SHORT))
    assert time.monotonic() - start < 1.5 and host.starts == 1
    # What needs no template still works, in a fresh process with the model loaded again.
    events = list(host.stream_completion("The sea is", SHORT))
    assert isinstance(events[-1], Finished) and events[-1].text
    assert host.starts == 2 and host.pid not in (None, first_pid)


def test_stop_ends_a_template_that_never_returns(files, loaded) -> None:
    host = load(loaded, files["endless"], timeout_s=HANG_TIMEOUT_S)  # only Stop can end it
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    start = time.monotonic()
    events = list(host.stream_chat(HI, SHORT, cancel))
    took = time.monotonic() - start
    assert len(events) == 1 and isinstance(events[0], Finished)
    assert events[0].stats.stop_reason == "cancelled" and events[0].text == ""
    assert took < HANG_TIMEOUT_S / 2  # ended by Stop (after its grace), not by the bound
    # The next request gets a fresh host with the model loaded.
    reply = list(host.stream_completion("Hello", SHORT))
    assert isinstance(reply[-1], Finished) and reply[-1].stats.stop_reason != "cancelled"
    assert host.starts == 2


def test_a_template_that_compiles_for_ever_fails_the_load(files, loaded) -> None:
    with pytest.raises(ModelLoadError, match="ran for more than 2 s and was stopped"):
        load(loaded, files["endless-compile"], timeout_s=1.5)
    host = loaded["endless-compile.gguf"]
    assert not host.loaded and host.pid is None


@pytest.mark.parametrize(
    ("name", "error"), [("zero", "ZeroDivisionError"), ("recursion", "RecursionError")]
)
def test_a_template_raising_a_python_error_is_a_clear_error(files, loaded, name, error) -> None:
    host = load(loaded, files[name], timeout_s=60)
    with pytest.raises(GenerationError, match=f"chat template failed \\({error}"):
        list(host.stream_chat(HI, SHORT))
    with pytest.raises(GenerationError, match=error):
        host.count_tokens(HI)
    assert host.starts == 1  # no crash: the host answered with the error
    deltas = [e for e in host.stream_completion("Once", SHORT) if isinstance(e, TextDelta)]
    assert deltas


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gptdesk", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=HANG_TIMEOUT_S,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("endless", "ran for more than 2 s and was stopped"),
        ("zero", "chat template failed (ZeroDivisionError"),
        ("endless-compile", "ran for more than 2 s and was stopped"),
    ],
)
def test_the_cli_ends_with_one_line(files, tmp_path, name, message) -> None:
    done = cli(
        "--data-dir",
        str(tmp_path),
        "generate",
        "--model",
        str(files[name]),
        "--max-tokens",
        "4",
        "Hi",
        env={TEMPLATE_TIMEOUT_ENV: "1.5"},
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("gptdesk: ") and message in lines[0]
    assert "Traceback" not in done.stderr
