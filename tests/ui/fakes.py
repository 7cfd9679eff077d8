"""A deterministic stand-in for Engine, for widget tests that are about the widgets."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from gptdesk.core.backend import BackendInfo
from gptdesk.core.engine import (
    ChatMessage,
    Finished,
    GenerationStats,
    LoadOptions,
    ModelStatus,
    SamplingParams,
    StreamEvent,
    TextDelta,
)
from gptdesk.core.errors import ModelLoadError
from gptdesk.core.gguf_file import GGUFInfo


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


class FakeEngine:
    """Replies with ``reply`` split into words, ``delay`` seconds apart; records the requests."""

    reply = "The quick brown fox jumps over the lazy dog."
    delay = 0.0
    fail_load: str | None = None
    n_ctx = 2048
    requests: ClassVar[list[tuple[ChatMessage, ...]]] = []
    continued: ClassVar[list[bool]] = []

    def __init__(self, path: Path, options: LoadOptions) -> None:
        self.path = path
        self.options = options
        self.closed = False

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

    def stream_completion(
        self, prompt: str, params: SamplingParams, cancel: threading.Event
    ) -> Iterator[StreamEvent]:
        return self._words(cancel)

    def _words(self, cancel: threading.Event) -> Iterator[StreamEvent]:
        words = self.reply.split(" ")
        out: list[str] = []
        stop = "eos"
        for i, word in enumerate(words):
            if cancel.is_set():
                stop = "cancelled"
                break
            piece = word if i == 0 else " " + word
            out.append(piece)
            yield TextDelta(piece)
            time.sleep(self.delay)
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
