"""What the API server asks of the model: one request at a time, in turn, from any client.

The HTTP side (``http.py``) turns a request into a ``Work`` and hands it with a ``Ticket`` to a
``Runner``; the runner runs it on the thread that owns the backend, after whatever is waiting
before it, and pushes its events into the ticket, where the request's handler awaits them.

Two runners: ``ThreadRunner`` here (``gptdesk serve``: its own thread and backend) and the
app's (``gptdesk/ui/engine/api_bridge.py``), which queues the work behind the window's own
requests on the engine thread, so the window and outside clients take turns on one model.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from gptdesk.core.errors import ContextOverflowError, GptdeskError
from gptdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from gptdesk.core.inference.backend import (
    Backend,
    ChatMessage,
    Finished,
    ModelStatus,
    SamplingParams,
    StreamEvent,
)

log = logging.getLogger(__name__)

MAX_QUEUED = 16  # requests waiting or running; more get 429 Too Many Requests
NO_MODEL = QT_TRANSLATE_NOOP("serve", "No model is loaded in gptdesk. Load one and try again.")


class QueueFullError(GptdeskError):
    """Too many requests are waiting for the model."""


class NoModelError(GptdeskError):
    """No model is loaded to answer with."""


@dataclass(frozen=True)
class ServedModel:
    """The model the server answers with, as /v1/models and /api/tags describe it."""

    id: str
    created: int  # the file's modification time, seconds since the epoch
    n_ctx: int
    status: ModelStatus

    @classmethod
    def from_status(cls, status: ModelStatus) -> ServedModel:
        path = Path(status.path)
        try:
            created = int(path.stat().st_mtime)
        except OSError:
            created = int(time.time())
        return cls(id=path.stem, created=created, n_ctx=status.n_ctx, status=status)

    def answers_to(self, name: str | None) -> bool:
        """Whether a request naming ``name`` means this model (its id, its file name, or no
        name at all; Ollama clients add a ``:latest`` tag)."""
        if not name:
            return True
        name = name.removesuffix(":latest")
        return name in (self.id, Path(self.status.path).name)


@dataclass(frozen=True)
class Work:
    """One request for the model: a chat reply or a plain completion."""

    kind: Literal["chat", "completion"]
    params: SamplingParams
    max_tokens: int | None  # None: up to the end of the context window
    messages: tuple[ChatMessage, ...] = ()
    prompt: str = ""


@dataclass(frozen=True)
class Started:
    """The prompt fits: its size in tokens. Sent before the first text."""

    prompt_tokens: int


ServeEvent = Started | StreamEvent


def run_work(backend: Backend, work: Work, cancel: threading.Event) -> Iterator[ServeEvent]:
    """Run ``work`` on ``backend`` (on the thread that owns it). A prompt that does not fit the
    context window raises ContextOverflowError before anything is generated; nothing is ever
    left out silently, and the reply may run up to the end of the window."""
    n_ctx = backend.status.n_ctx
    if work.kind == "chat":
        n_prompt = backend.count_tokens(work.messages)
    else:
        n_prompt = len(backend.tokenize(work.prompt, chat=False))
    if n_prompt >= n_ctx:
        raise ContextOverflowError(
            translate(
                "serve",
                "The prompt is {n_prompt} tokens but the model's context window holds "
                "{n_ctx}: shorten it.",
            ).format(n_prompt=n_prompt, n_ctx=n_ctx)
        )
    room = n_ctx - n_prompt
    max_tokens = min(work.max_tokens or room, room)
    params = dataclasses.replace(work.params, max_tokens=max_tokens)
    yield Started(n_prompt)
    if work.kind == "chat":
        # The reply's room is at most what is left, so the engine never drops messages.
        yield from backend.stream_chat(work.messages, params, cancel)
    else:
        yield from backend.stream_completion(work.prompt, params, cancel)


class _End:
    """The last item of a ticket."""


END = _End()


class Ticket:
    """One request's way back: a runner thread pushes events, the request's handler (on the
    server's event loop) awaits them. Setting ``cancel`` ends the request: within a token while
    it runs, at once while it waits."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.cancel = threading.Event()
        self._loop = loop or asyncio.get_running_loop()
        self._items: asyncio.Queue[ServeEvent | BaseException | _End] = asyncio.Queue()

    def push(self, item: ServeEvent | BaseException | _End) -> None:
        """From any thread: hand the handler the next event, an error, or END."""
        with contextlib.suppress(RuntimeError):  # the server's loop has ended: nobody waits
            self._loop.call_soon_threadsafe(self._items.put_nowait, item)

    async def next(self) -> ServeEvent | BaseException | _End:
        return await self._items.get()


def deliver(backend: Backend | None, work: Work, ticket: Ticket) -> Finished | None:
    """Run ``work`` and push everything it yields into ``ticket``, then END. Returns the
    Finished event (None when it failed or was not run)."""
    finished: Finished | None = None
    try:
        if ticket.cancel.is_set():
            return None
        if backend is None or not backend.loaded:
            raise NoModelError(translate("serve", NO_MODEL))
        for event in run_work(backend, work, ticket.cancel):
            ticket.push(event)
            if isinstance(event, Finished):
                finished = event
    except GptdeskError as exc:
        ticket.push(exc)
    except Exception as exc:  # a bug: log it, the client gets a 500
        log.exception("an API request failed")
        ticket.push(exc)
    finally:
        ticket.push(END)
    return finished


class Runner(Protocol):
    """Runs ``Work`` in turn on the one loaded model."""

    def model(self) -> ServedModel | None:
        """The loaded model, or None."""
        ...

    def submit(self, work: Work, ticket: Ticket) -> None:
        """Queue ``work``; its events arrive in ``ticket``. Raises QueueFullError."""
        ...

    def queue_length(self) -> int:
        """Requests waiting or running."""
        ...


def queue_full_error(limit: int) -> QueueFullError:
    return QueueFullError(
        translate(
            "serve", "{limit} requests are already waiting for the model. Try again shortly."
        ).format(limit=limit)
    )


class ThreadRunner:
    """``gptdesk serve``: a loaded backend, used by one thread that takes requests in order."""

    def __init__(self, backend: Backend, max_queued: int = MAX_QUEUED) -> None:
        self._backend = backend
        self._model = ServedModel.from_status(backend.status)
        self._max = max_queued
        self._queue: queue.Queue[tuple[Work, Ticket] | None] = queue.Queue()
        self._count = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="gptdesk-serve", daemon=True)
        self._thread.start()

    def model(self) -> ServedModel | None:
        return self._model

    def submit(self, work: Work, ticket: Ticket) -> None:
        with self._lock:
            if self._count >= self._max:
                raise queue_full_error(self._max)
            self._count += 1
        self._queue.put((work, ticket))

    def queue_length(self) -> int:
        with self._lock:
            return self._count

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            work, ticket = item
            try:
                deliver(self._backend, work, ticket)
            finally:
                with self._lock:
                    self._count -= 1

    def close(self) -> None:
        """End the thread after the running request (waiting ones get nothing) and close the
        backend."""
        self._backend.terminate()
        self._queue.put(None)
        self._thread.join(timeout=10)
        self._backend.close()
