"""A deterministic stand-in for Engine, for widget tests that are about the widgets.

A test that looks at a reply while it streams, or stops one, does not race the clock: it sets
``FakeEngine.hold_after`` so that every stream sends that many words and then waits at a gate
until the test calls ``FakeEngine.release()`` or the request is cancelled (Stop). There is no
"send slowly" knob on purpose: on a busy machine the GUI thread can stall longer than any delay.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from gptdesk.core.errors import ModelLoadError
from gptdesk.core.inference.backend import (
    ChatMessage,
    Finished,
    GenerationStats,
    LoadOptions,
    ModelStatus,
    SamplingParams,
    StreamEvent,
    TextDelta,
)
from gptdesk.core.inference.devices import BackendInfo
from gptdesk.core.inference.gguf_file import GGUFInfo
from tests.waits import HANG_TIMEOUT_S

CANCEL_POLL_S = 0.01
"""How often a held stream looks at its request's cancel event (a ``threading.Event`` cannot
wake a condition it does not know about); only how quickly Stop is noticed, never a budget."""


def fake_info(path: Path) -> GGUFInfo:
    return GGUFInfo(
        path=path,
        file_size=1000,
        version=3,
        architecture="llama",
        name="Fake model",
        n_layers=2,
        n_embd=8,
        n_head=2,
        n_head_kv=1,
        key_length=4,
        value_length=4,
        context_length=2048,
        n_params=1000,
        file_type="Q4_1",
        chat_template=None,
        vocab_size=10,
        split_count=1,
        metadata={},
    )


class Gate:
    """Where held streams wait: ``release()`` opens it for good, ``release(n)`` lets ``n``
    streams through (held now or arriving later); a cancelled request never waits."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._open = False
        self._passes = 0

    def release(self, count: int | None = None) -> None:
        with self._cond:
            if count is None:
                self._open = True
            else:
                self._passes += count
            self._cond.notify_all()

    def wait(self, cancel: threading.Event) -> None:
        """Return once the gate lets this stream through or ``cancel`` is set; a stream held
        for ``HANG_TIMEOUT_S`` (a test that forgot to release it) fails instead of hanging."""
        deadline = time.monotonic() + HANG_TIMEOUT_S
        with self._cond:
            while not (self._open or self._passes or cancel.is_set()):
                if time.monotonic() > deadline:
                    raise TimeoutError("FakeEngine: a held stream was never released or cancelled")
                self._cond.wait(CANCEL_POLL_S)
            if not self._open and not cancel.is_set():
                self._passes -= 1


class FakeEngine:
    """Replies with ``reply`` split into words, as fast as it can; records the requests.

    With ``hold_after`` set, every stream sends that many words, then waits at the gate (see
    ``release``) before the rest; Stop ends the wait at once. ``reset()`` (the ``fake_engine``
    fixture) restores every knob and opens the gate of the test before.
    """

    reply = "The quick brown fox jumps over the lazy dog."
    hold_after: int | None = None
    fail_load: str | None = None
    n_ctx = 2048
    requests: ClassVar[list[tuple[ChatMessage, ...]]] = []
    continued: ClassVar[list[bool]] = []
    gate: ClassVar[Gate] = Gate()

    KNOBS: ClassVar[tuple[str, ...]] = ("reply", "hold_after", "fail_load", "n_ctx")
    """Class attributes a test may set (on FakeEngine or a subclass); ``reset`` restores them."""

    @classmethod
    def release(cls, count: int | None = None) -> None:
        """Let held streams go on: all of them from now on, or with ``count`` that many."""
        FakeEngine.gate.release(count)

    @classmethod
    def reset(cls) -> None:
        """Open the current gate (a stream still held from the test before ends), put a new
        one in its place and restore every knob, also those a subclass set on itself."""
        FakeEngine.gate.release()
        FakeEngine.gate = Gate()
        FakeEngine.reply = "The quick brown fox jumps over the lazy dog."
        FakeEngine.hold_after = None
        FakeEngine.fail_load = None
        FakeEngine.n_ctx = 2048
        FakeEngine.requests = []
        FakeEngine.continued = []
        subclasses = list(FakeEngine.__subclasses__())
        while subclasses:
            sub = subclasses.pop()
            subclasses.extend(sub.__subclasses__())
            for knob in FakeEngine.KNOBS:
                if knob in vars(sub):
                    delattr(sub, knob)

    def __init__(self, path: Path, options: LoadOptions) -> None:
        self.path = path
        self.options = options
        self.closed = False
        self.terminated = False

    def load(
        self,
        on_progress: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ModelStatus:
        for step in range(5):
            if on_progress:
                on_progress(step / 4)
        if self.fail_load:
            raise ModelLoadError(self.fail_load)
        self.status = ModelStatus(
            path=self.path,
            info=fake_info(self.path),
            backend=BackendInfo("CPU", False, (), ""),
            n_ctx=self.n_ctx,
            n_threads=2,
            n_gpu_layers=0,
            load_s=0.01,
            warmup_s=0.0,
        )
        return self.status

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams,
        cancel: threading.Event,
        continue_last: bool = False,
    ) -> Iterator[StreamEvent]:
        type(self).requests.append(tuple(messages))
        type(self).continued.append(continue_last)
        return self._words(cancel)

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """One token per word, plus four per message for the template."""
        return sum(len(m.content.split()) + 4 for m in messages)

    @property
    def loaded(self) -> bool:
        return hasattr(self, "status")

    def tokenize(self, text: str, *, chat: bool = True) -> list[int]:
        """One token per word."""
        return list(range(len(text.split())))

    def stream_completion(
        self, prompt: str, params: SamplingParams, cancel: threading.Event
    ) -> Iterator[StreamEvent]:
        return self._words(cancel)

    def _words(self, cancel: threading.Event) -> Iterator[StreamEvent]:
        words = self.reply.split(" ")
        hold_at = self.hold_after  # read when the stream starts, like the gate
        gate = FakeEngine.gate
        out: list[str] = []
        stop = "eos"
        for i, word in enumerate(words):
            if i == hold_at:
                gate.wait(cancel)
            if cancel.is_set():
                stop = "cancelled"
                break
            piece = word if i == 0 else " " + word
            out.append(piece)
            yield TextDelta(piece)
        else:
            if hold_at is not None and hold_at >= len(words):  # held before the end
                gate.wait(cancel)
                if cancel.is_set():
                    stop = "cancelled"
        text = "".join(out)
        yield Finished(
            text,
            GenerationStats(
                prompt_tokens=10,
                prompt_eval_tokens=10,
                completion_tokens=len(out),
                ttft_s=0.01,
                tokens_per_s=100.0,
                prefill_tokens_per_s=1000.0,
                total_s=0.1,
                stop_reason=stop,  # type: ignore[arg-type]
            ),
        )

    def close(self) -> None:
        self.closed = True

    def terminate(self) -> None:
        self.terminated = True  # quitting; the controller has cancelled every request
