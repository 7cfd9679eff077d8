"""What the app and its engine host process say to each other, and how it crosses the pipe.

The host is a child process (``host.py``) started with pipes on its stdin and stdout. Each
message is one frozen dataclass below, pickled and sent with a 4-byte length in front; every
message carries the id of the request it belongs to. One request runs at a time; ``Cancel``
may arrive at any moment and is read by the child's reader thread, so it takes effect inside a
running request (between tokens, or inside a prompt chunk through llama.cpp's abort callback).

Why pipes and pickles: the child is our own process, started by us, on the same machine. Its
stdin and stdout exist on every platform, need no port, address or key, and vanish with either
process (the child exits when its stdin reaches end of file, so it never outlives the app).
``multiprocessing``'s connections offer the same framing but only over sockets or named pipes
on Windows, and ``multiprocessing.Process`` would re-import the app's main module in the child.
"""

from __future__ import annotations

import contextlib
import pickle
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from gptdesk.core.inference.backend import (
    ChatMessage,
    LoadOptions,
    ModelStatus,
    SamplingParams,
    StreamEvent,
)

_HEADER = struct.Struct("<I")
MAX_MESSAGE = 1 << 30  # a length above this means the stream is corrupt, not a real message


# ---------------------------------------------------------------- app -> host


@dataclass(frozen=True)
class Load:
    """Load the model at ``path``; answered by Progress..., Loaded or Failed."""

    rid: int
    path: Path
    options: LoadOptions


@dataclass(frozen=True)
class Chat:
    """Stream a chat reply: Phase/StreamEvent messages, then Finished or Failed."""

    rid: int
    messages: tuple[ChatMessage, ...]
    params: SamplingParams
    continue_last: bool = False


@dataclass(frozen=True)
class Complete:
    """Stream a raw continuation of ``prompt``."""

    rid: int
    prompt: str
    params: SamplingParams


@dataclass(frozen=True)
class CountTokens:
    """Prompt tokens of ``messages`` in the chat template; answered by Result(int)."""

    rid: int
    messages: tuple[ChatMessage, ...]


@dataclass(frozen=True)
class Tokenize:
    """Tokens of ``text``; answered by Result(list[int])."""

    rid: int
    text: str
    chat: bool


@dataclass(frozen=True)
class Embed:
    """Vectors of ``texts`` (a model loaded for embeddings); answered by Result(list[bytes]):
    float32, unit length, one per text."""

    rid: int
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Cancel:
    """Stop request ``rid`` now (a load, a stream, a count)."""

    rid: int


@dataclass(frozen=True)
class Shutdown:
    """Close the model and exit."""

    rid: int = 0


Request = Load | Chat | Complete | CountTokens | Tokenize | Embed | Cancel | Shutdown


# ---------------------------------------------------------------- host -> app


@dataclass(frozen=True)
class Progress:
    """Loading advanced: fraction done, 0.0 to 1.0."""

    rid: int
    fraction: float


@dataclass(frozen=True)
class Phase:
    """The host entered a phase: "template" (rendering or compiling a chat template, which the
    app bounds in time) or "compute" (tokenizing, evaluating, sampling: ended by Cancel)."""

    rid: int
    name: str


@dataclass(frozen=True)
class Loaded:
    rid: int
    status: ModelStatus


@dataclass(frozen=True)
class Stream:
    """One event of a reply (TextDelta, ContextTrimmed, or the closing Finished)."""

    rid: int
    event: StreamEvent


@dataclass(frozen=True)
class Result:
    """The answer to CountTokens, Tokenize or Embed."""

    rid: int
    value: object


@dataclass(frozen=True)
class Failed:
    """The request failed: ``error`` names the ``gptdesk.core.errors`` class to raise with
    ``message`` (for the user) in the app."""

    rid: int
    error: str
    message: str


Reply = Progress | Phase | Loaded | Stream | Result | Failed


class Channel:
    """Framed pickles over a pair of binary pipes. ``send`` may be called from several threads;
    ``recv`` from one. Both raise EOFError when the other side is gone."""

    def __init__(self, reader: IO[bytes], writer: IO[bytes]) -> None:
        self._reader = reader
        self._writer = writer
        self._send_lock = threading.Lock()

    def send(self, message: Request | Reply) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        with self._send_lock:
            try:
                self._writer.write(_HEADER.pack(len(data)) + data)
                self._writer.flush()
            except (BrokenPipeError, ConnectionError, ValueError) as exc:  # ValueError: closed
                raise EOFError(str(exc)) from exc

    def recv(self) -> Request | Reply:
        (size,) = _HEADER.unpack(self._read_exactly(_HEADER.size))
        if size > MAX_MESSAGE:
            raise EOFError(f"corrupt stream: a message of {size} bytes")
        message: Request | Reply = pickle.loads(self._read_exactly(size))
        return message

    def _read_exactly(self, n: int) -> bytes:
        chunks = []
        while n:
            try:
                chunk = self._reader.read(n)
            except (OSError, ValueError) as exc:
                raise EOFError(str(exc)) from exc
            if not chunk:
                raise EOFError("the other side closed the pipe")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        for stream in (self._writer, self._reader):
            with contextlib.suppress(OSError):
                stream.close()
