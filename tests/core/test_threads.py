"""Thread choice under load: the free cores from the kernel's counters, applied while generating."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import llama_cpp
import pytest

from gptdesk.core.inference.devices import physical_cores
from gptdesk.core.inference.engine import ChatMessage, Engine, LoadOptions, SamplingParams
from gptdesk.core.inference.threads import LoadMonitor, ThreadGovernor, choose_threads

HANG_GUARD_S = 600  # only a hang ends a wait this long; a busy machine is just slower


@pytest.mark.parametrize(
    ("physical", "other", "threads"),
    [
        (2, 0.0, 2),  # idle: every core
        (2, 0.3, 2),  # a browser tab: still both
        (2, 0.6, 1),  # most of a core taken: one
        (2, 1.0, 1),  # one busy process
        (2, 2.0, 1),  # all cores busy: one, never zero
        (8, 1.0, 7),
        (8, 3.4, 5),
        (1, 5.0, 1),
        (4, -1.0, 4),  # counters that went backwards are no load
    ],
)
def test_choose_threads_leaves_busy_cores_alone(physical: int, other: float, threads: int) -> None:
    assert choose_threads(physical, other) == threads


def test_a_fixed_thread_count_is_never_changed() -> None:
    governor = ThreadGovernor(2, fixed=True)
    assert governor.update(force=True) is None
    assert governor.current == 2


@pytest.fixture
def busy_core() -> Iterator[subprocess.Popen[bytes]]:
    """Another process that keeps one core busy, as `yes > /dev/null` would."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_the_monitor_sees_another_process_keep_a_core_busy(
    busy_core: subprocess.Popen[bytes],
) -> None:
    monitor = LoadMonitor()
    deadline = time.monotonic() + HANG_GUARD_S
    seen = 0.0
    while time.monotonic() < deadline:
        time.sleep(0.3)
        seen = monitor.other_busy_cores()
        # psutil counts physical cores' worth: one busy logical CPU is at least half a core.
        if seen >= 0.45:
            break
    assert seen >= 0.45


@pytest.mark.model
def test_generation_gives_up_the_busy_core(
    starter_path: Path, busy_core: subprocess.Popen[bytes]
) -> None:
    engine = Engine(starter_path, LoadOptions(n_ctx=512))
    engine.load()
    try:
        cores = physical_cores()
        params = SamplingParams(temperature=0.0, max_tokens=48, seed=1)
        messages = [ChatMessage("user", "Write a long story about a lighthouse keeper.")]
        stats = None
        for event in engine.stream_chat(messages, params):
            stats = getattr(event, "stats", stats)
        assert stats is not None and stats.completion_tokens > 1
        # One core belongs to the busy process (others may be busy too: never more threads).
        assert stats.threads <= max(1, cores - 1)
        llm = engine._llm
        assert llama_cpp.llama_n_threads(llm.ctx) == stats.threads  # type: ignore[attr-defined]
    finally:
        engine.close()


@pytest.mark.model
def test_threads_the_user_chose_stay_under_load(
    starter_path: Path, busy_core: subprocess.Popen[bytes]
) -> None:
    engine = Engine(starter_path, LoadOptions(n_ctx=512, n_threads=2))
    engine.load()
    try:
        params = SamplingParams(temperature=0.0, max_tokens=8, seed=1)
        stats = None
        for event in engine.stream_chat([ChatMessage("user", "Hi")], params):
            stats = getattr(event, "stats", stats)
        assert stats is not None and stats.threads == 2
        llm = engine._llm
        assert llama_cpp.llama_n_threads(llm.ctx) == 2  # type: ignore[attr-defined]
    finally:
        engine.close()
