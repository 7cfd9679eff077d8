"""The one interface every model runner offers: load, stream a chat reply or a completion,
count tokens, say what it runs on, close. Panes, jobs and the CLI use only this.

Implementations: ``EngineHost`` (``host.py``: llama.cpp in a child process, the default) and
``Engine`` (``engine.py``: llama.cpp in this process; the host runs one inside the child).
Cancel is a ``threading.Event`` the caller sets from any thread: a running request ends within
one token, or between prompt chunks while the prompt is evaluated, with a ``Finished`` event
whose stop reason is "cancelled".

The types here are plain frozen dataclasses: they cross threads as Qt signal arguments and the
process boundary as pickles.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from gptdesk.core.inference.devices import BackendInfo
from gptdesk.core.inference.gguf_file import GGUFInfo

CTX_GRANULARITY = 256  # llama.cpp pads n_ctx to this; the Python side must ask for the same

Role = Literal["system", "user", "assistant"]
StopReason = Literal["eos", "length", "cancelled"]


@dataclass(frozen=True)
class ChatMessage:
    """One message of a conversation."""

    role: Role
    content: str


@dataclass(frozen=True)
class LoadOptions:
    """How to load a model. ``None`` means: choose for this machine."""

    n_ctx: int = 4096
    n_threads: int | None = None
    n_gpu_layers: int | None = None
    n_batch: int = 512
    warmup: bool = True
    check_memory: bool = True
    embedding: bool = False
    """Load for embeddings (``EngineHost.embed``) instead of text generation."""


@dataclass(frozen=True)
class SamplingParams:
    """Sampling settings for one reply (llama.cpp's sampler chain)."""

    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    max_tokens: int = 512
    seed: int | None = None
    stop: tuple[str, ...] = ()
    """The reply ends before the first of these strings (which is not part of it)."""
    frequency_penalty: float = 0.0
    presence_penalty: float = 0.0
    json_schema: str | None = None
    """A JSON schema (as JSON text) the reply must follow; ``{"type": "object"}``: any object."""


@dataclass(frozen=True)
class GenerationStats:
    """What one request cost and why it stopped."""

    prompt_tokens: int  # tokens of the prompt as sent
    prompt_eval_tokens: int  # of those, evaluated now (the rest came from the KV cache)
    completion_tokens: int
    ttft_s: float  # request start to first token
    tokens_per_s: float  # generation speed after the first token
    prefill_tokens_per_s: float
    total_s: float
    stop_reason: StopReason
    dropped_messages: tuple[int, ...] = ()  # indices into the request's messages left out
    threads: int = 0  # llama.cpp threads at the end (fewer than cores while others are busy)


@dataclass(frozen=True)
class TextDelta:
    """A piece of the reply: always whole UTF-8 characters."""

    text: str


@dataclass(frozen=True)
class ContextTrimmed:
    """Sent before the reply when older messages were left out to fit the context window."""

    dropped: tuple[int, ...]


@dataclass(frozen=True)
class Finished:
    """The last event of a request: the full text (equal to the concatenated deltas) and stats."""

    text: str
    stats: GenerationStats


StreamEvent = TextDelta | ContextTrimmed | Finished


@dataclass(frozen=True)
class ModelStatus:
    """A loaded model as the UI and ``doctor`` describe it."""

    path: Path
    info: GGUFInfo
    backend: BackendInfo
    n_ctx: int
    n_threads: int
    n_gpu_layers: int
    load_s: float
    warmup_s: float

    @property
    def offloaded_layers(self) -> int:
        return min(self.n_gpu_layers, self.info.n_layers + 1)

    def describe(self) -> str:
        """Short chip text: ``CPU · 2 threads`` or ``CUDA · 33/33 layers``."""
        if self.n_gpu_layers > 0 and self.backend.gpu_offload:
            total = self.info.n_layers + 1
            return f"{self.backend.name} · {self.offloaded_layers}/{total} layers"
        return f"CPU · {self.n_threads} thread{'s' if self.n_threads != 1 else ''}"


def next_to_leave_out(messages: Sequence[ChatMessage], pinned: int = 1) -> list[int] | None:
    """Positions in ``messages`` to leave out next when a conversation outgrows the context
    window: the oldest non-system message with the assistant replies that follow it (roles keep
    alternating), never one of the last ``pinned`` non-system messages. None: nothing can go."""
    movable = [i for i, m in enumerate(messages) if m.role != "system"]
    if len(movable) <= pinned:
        return None
    first = movable[0]
    remove = [first]
    j = first + 1
    last_movable = movable[-pinned]
    while j < len(messages) and messages[j].role == "assistant" and j < last_movable:
        remove.append(j)
        j += 1
    return remove


def round_ctx(n_ctx: int) -> int:
    """The context size to request: a multiple of 256, at least 256."""
    return max(CTX_GRANULARITY, math.ceil(n_ctx / CTX_GRANULARITY) * CTX_GRANULARITY)


class Backend(Protocol):
    """A model runner. Create it for one model file and options, ``load`` it, use it from one
    thread at a time, ``close`` it. Errors are ``GptdeskError`` subclasses whose message is for
    the user (``ModelLoadError``, ``ContextOverflowError``, ``GenerationError``,
    ``EngineCrashedError``...)."""

    @property
    def loaded(self) -> bool:
        """A model is loaded and requests can be sent."""
        ...

    @property
    def status(self) -> ModelStatus:
        """The loaded model: file, context size, what it runs on (``status.describe()``)."""
        ...

    def load(
        self,
        on_progress: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ModelStatus:
        """Load and warm up the model; ``on_progress`` gets 0.0..1.0; ``cancel`` stops it."""
        ...

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams | None = None,
        cancel: threading.Event | None = None,
        continue_last: bool = False,
    ) -> Iterator[StreamEvent]:
        """A reply to ``messages`` in the model's chat template: ContextTrimmed (only when older
        messages were left out), TextDelta..., Finished. With ``continue_last`` the last message
        is a cut-off assistant reply that the model goes on writing."""
        ...

    def stream_completion(
        self,
        prompt: str,
        params: SamplingParams | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[StreamEvent]:
        """A plain continuation of ``prompt`` (no chat template): TextDelta..., Finished."""
        ...

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Prompt tokens of ``messages`` in the chat template (for a context meter)."""
        ...

    def tokenize(self, text: str, *, chat: bool = True) -> list[int]:
        """Tokens of ``text``: chat prompts parse special tokens; raw text gets the BOS."""
        ...

    def close(self) -> None:
        """Free the model (and, for a host, end its process)."""
        ...

    def terminate(self) -> None:
        """From any thread: end running work at once (quitting). A host ends its process, and
        the running request ends as cancelled; the backend must be loaded again to be used."""
        ...


BackendFactory = Callable[[Path, LoadOptions], Backend]
"""Makes the backend for a model file: ``EngineHost`` in the app and the CLI."""
