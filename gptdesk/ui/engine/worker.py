"""The backend's home thread: a worker QObject on its own QThread, and the GUI-side controller.

The backend (an ``EngineHost`` by default: llama.cpp in its own process) is created, used and
closed only on the worker thread, which waits on it so the GUI thread never does. The GUI talks
to it through queued ``*_requested`` signals; Stop is a direct call that sets a
``threading.Event``, because a queued "stop" would wait behind the running generation; quitting
ends the engine process at once from the GUI thread (``Backend.terminate``).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from gptdesk.core.errors import GptdeskError
from gptdesk.core.inference.backend import (
    Backend,
    BackendFactory,
    ChatMessage,
    ContextTrimmed,
    Finished,
    GenerationStats,
    LoadOptions,
    ModelStatus,
    SamplingParams,
    StreamEvent,
    TextDelta,
)
from gptdesk.core.inference.host import EngineHost
from gptdesk.core.writing.jobs import Job, JobEvent, Progress

log = logging.getLogger(__name__)

EngineFactory = BackendFactory


@dataclass(frozen=True)
class LoadRequest:
    """Load the model at ``path``; ``cancel`` stops the load."""

    path: Path
    options: LoadOptions
    cancel: threading.Event
    factory: BackendFactory | None = None  # None: the worker's (a model file on this machine)


@dataclass(frozen=True)
class GenerationRequest:
    """One reply: chat ``messages`` or a raw ``prompt`` (exactly one is set)."""

    request_id: int
    params: SamplingParams
    cancel: threading.Event
    messages: tuple[ChatMessage, ...] = ()
    prompt: str | None = None
    continue_last: bool = False  # the last message is a cut-off reply to go on with


@dataclass(frozen=True)
class JobRequest:
    """Run a multi-step core job (see ``gptdesk.core.writing.jobs``) on the engine."""

    request_id: int
    job: Job
    cancel: threading.Event


@dataclass(frozen=True)
class CountRequest:
    """Count the prompt tokens of ``messages`` (for the context meter)."""

    request_id: int
    messages: tuple[ChatMessage, ...]


class EngineEvents(QObject):
    """What the engine thread reports. The worker emits these on its thread; the controller
    re-emits the same signals on the GUI thread, which is where panes connect."""

    load_progress = Signal(float)
    """Model loading advanced: fraction done, 0.0 to 1.0."""
    loaded = Signal(ModelStatus)
    """A model finished loading and warming up; its status (backend, threads, context)."""
    load_failed = Signal(str)
    """Loading failed or was cancelled: the message to show the user."""
    unloaded = Signal()
    """The model was closed and its memory freed."""
    generation_started = Signal(int)
    """Request id: the prompt is being evaluated."""
    context_trimmed = Signal(int, tuple)
    """Request id, indices of the messages left out to fit the context window."""
    delta = Signal(int, str)
    """Request id, the next piece of text (whole characters)."""
    generation_finished = Signal(int, str, GenerationStats)
    """Request id, the full reply text, its stats (stop reason eos or length)."""
    generation_cancelled = Signal(int, str, GenerationStats)
    """Request id, the text produced before Stop, stats (stop reason cancelled)."""
    generation_failed = Signal(int, str)
    """Request id, the message to show the user."""
    job_progress = Signal(int, int, int, str)
    """Request id, steps done, steps in all, what runs now (e.g. "Summarizing part 3 of 12")."""
    tokens_counted = Signal(int, int, int)
    """Count request id, prompt tokens of its messages, the loaded model's context window."""


class EngineWorker(EngineEvents):
    """Runs engine work on its thread and reports through signals (never touches widgets)."""

    def __init__(self, factory: EngineFactory = EngineHost) -> None:
        super().__init__()
        self._factory = factory
        self._engine: Backend | None = None
        self._loading: Backend | None = None
        self._engine_lock = threading.Lock()  # terminate() reads them from the GUI thread

    @Slot(LoadRequest)
    def on_load_requested(self, request: LoadRequest) -> None:
        self._close_engine()
        engine = (request.factory or self._factory)(request.path, request.options)
        with self._engine_lock:
            self._loading = engine
        last = -1

        def progress(fraction: float) -> None:
            nonlocal last
            percent = int(fraction * 100)
            if percent != last:  # at most 101 signals per load
                last = percent
                self.load_progress.emit(fraction)

        try:
            status = engine.load(on_progress=progress, cancel=request.cancel)
        except GptdeskError as exc:
            self._forget_loading(engine)
            if request.cancel.is_set():  # another model was picked: its load reports instead
                log.info("loading %s cancelled", request.path)
                return
            self.load_failed.emit(str(exc))
            return
        except Exception as exc:  # a bug, not a user error: log the traceback, say something
            self._forget_loading(engine)
            log.exception("loading %s failed", request.path)
            self.load_failed.emit(
                self.tr("Loading the model failed unexpectedly: {error}").format(error=exc)
            )
            return
        with self._engine_lock:
            self._engine = engine
            self._loading = None
        self.loaded.emit(status)

    def _forget_loading(self, engine: Backend) -> None:
        with self._engine_lock:
            self._loading = None
        engine.close()

    @Slot(GenerationRequest)
    def on_generation_requested(self, request: GenerationRequest) -> None:
        rid = request.request_id
        if self._engine is None:
            self.generation_failed.emit(rid, self._no_model())
            return
        self.generation_started.emit(rid)
        events: Iterator[StreamEvent]
        if request.prompt is not None:
            events = self._engine.stream_completion(request.prompt, request.params, request.cancel)
        else:
            events = self._engine.stream_chat(
                request.messages, request.params, request.cancel, request.continue_last
            )
        self._drive(rid, events)

    @Slot(JobRequest)
    def on_job_requested(self, request: JobRequest) -> None:
        rid = request.request_id
        if self._engine is None:
            self.generation_failed.emit(rid, self._no_model())
            return
        self.generation_started.emit(rid)
        self._drive(rid, request.job(self._engine, request.cancel))

    def _drive(self, rid: int, events: Iterator[JobEvent]) -> None:
        """Forward a stream's events as signals; every request ends with exactly one of
        generation_finished, generation_cancelled or generation_failed."""
        ended = False
        try:
            for event in events:
                if isinstance(event, TextDelta):
                    self.delta.emit(rid, event.text)
                elif isinstance(event, Progress):
                    self.job_progress.emit(rid, event.done, event.total, event.label)
                elif isinstance(event, ContextTrimmed):
                    self.context_trimmed.emit(rid, event.dropped)
                elif isinstance(event, Finished):
                    ended = True
                    if event.stats.stop_reason == "cancelled":
                        self.generation_cancelled.emit(rid, event.text, event.stats)
                    else:
                        self.generation_finished.emit(rid, event.text, event.stats)
                    break
        except GptdeskError as exc:
            ended = True
            self.generation_failed.emit(rid, str(exc))
        except Exception as exc:
            ended = True
            log.exception("generation %d failed", rid)
            self.generation_failed.emit(
                rid, self.tr("Generating failed unexpectedly: {error}").format(error=exc)
            )
        if not ended:
            log.error("request %d ended without a result", rid)
            self.generation_failed.emit(
                rid, self.tr("Generating stopped without a result. Try again.")
            )

    def _no_model(self) -> str:
        return self.tr("No model is loaded yet. Pick a model first.")

    @Slot(CountRequest)
    def on_count_requested(self, request: CountRequest) -> None:
        if self._engine is None:
            return
        try:
            n = self._engine.count_tokens(request.messages)
        except GptdeskError as exc:  # e.g. the template rejects the conversation: no meter
            log.info("counting tokens failed: %s", exc)
            return
        self.tokens_counted.emit(request.request_id, n, self._engine.status.n_ctx)

    @Slot()
    def on_unload_requested(self) -> None:
        self._close_engine()
        self.unloaded.emit()

    @Slot()
    def on_shutdown_requested(self) -> None:
        self._close_engine()
        thread = self.thread()
        if thread is not None:
            thread.quit()

    def _close_engine(self) -> None:
        with self._engine_lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()

    def terminate(self) -> None:
        """From any thread: end the backend's work now (a host ends its process)."""
        with self._engine_lock:
            engines = (self._engine, self._loading)
        for engine in engines:
            if engine is not None:
                engine.terminate()


class EngineController(EngineEvents):
    """GUI-side handle on the worker thread: starts it, sends requests, stops, shuts down.

    Every worker signal is re-emitted here, on the GUI thread: panes connect to the controller
    and never to the worker object.
    """

    load_requested = Signal(LoadRequest)
    """Intent: load a model on the worker thread."""
    generation_requested = Signal(GenerationRequest)
    """Intent: generate on the worker thread."""
    job_requested = Signal(JobRequest)
    """Intent: run a multi-step job on the worker thread."""
    count_requested = Signal(CountRequest)
    """Intent: count prompt tokens on the worker thread."""
    unload_requested = Signal()
    """Intent: close the model and free its memory."""
    shutdown_requested = Signal()
    """Intent: close the model and end the worker thread."""
    queue_changed = Signal(int)
    """Requests running or waiting on the engine thread (the window's and API clients')."""

    _RELAYED = (
        "load_progress",
        "loaded",
        "load_failed",
        "unloaded",
        "generation_started",
        "context_trimmed",
        "delta",
        "generation_finished",
        "generation_cancelled",
        "generation_failed",
        "tokens_counted",
        "job_progress",
    )

    def __init__(
        self, factory: EngineFactory = EngineHost, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("gptdesk-engine")
        self.worker = EngineWorker(factory)
        self.worker.moveToThread(self._thread)
        self.load_requested.connect(self.worker.on_load_requested)
        self.generation_requested.connect(self.worker.on_generation_requested)
        self.job_requested.connect(self.worker.on_job_requested)
        self.count_requested.connect(self.worker.on_count_requested)
        self.unload_requested.connect(self.worker.on_unload_requested)
        self.shutdown_requested.connect(self.worker.on_shutdown_requested)
        for name in self._RELAYED:  # queued: the controller lives on the GUI thread
            getattr(self.worker, name).connect(getattr(self, name))
        for done in (self.generation_finished, self.generation_cancelled, self.generation_failed):
            done.connect(self._on_request_done)
        self._ids = itertools.count(1)
        self._pending: dict[int, threading.Event] = {}
        self._owners: dict[int, int | None] = {}  # request id -> id() of the pane that asked
        self._load_cancel: threading.Event | None = None
        self._thread.start()

    def load(
        self, path: Path, options: LoadOptions, factory: BackendFactory | None = None
    ) -> None:
        """Load ``path`` (the current model is closed first, on the worker thread); with
        ``factory``, the backend it makes (a model on a server) instead of the default one."""
        self.stop()
        if self._load_cancel is not None:
            self._load_cancel.set()
        self._load_cancel = threading.Event()
        self.load_requested.emit(LoadRequest(Path(path), options, self._load_cancel, factory))

    def chat(
        self,
        messages: list[ChatMessage],
        params: SamplingParams,
        continue_last: bool = False,
        *,
        owner: object | None = None,
    ) -> int:
        """Ask for a chat reply (or, with ``continue_last``, the rest of the cut-off last
        reply); returns the request id the worker's signals will carry. ``owner`` (a pane)
        is what ``stop(owner)`` cancels."""
        return self._submit(
            lambda rid, cancel: GenerationRequest(
                rid, params, cancel, messages=tuple(messages), continue_last=continue_last
            ),
            owner,
        )

    def run_job(
        self,
        job: Job,
        *,
        owner: object | None = None,
        cancel: threading.Event | None = None,
    ) -> int:
        """Run a multi-step job (summary in parts, chunked translation, an API request);
        returns the request id. It reports job_progress and delta, and ends like a generation
        (finished, cancelled or failed); ``stop(owner)`` cancels it, and so does setting
        ``cancel`` (an API client that went away)."""
        rid = next(self._ids)
        cancel = cancel if cancel is not None else threading.Event()
        self._pending[rid] = cancel
        self._owners[rid] = id(owner) if owner is not None else None
        self.queue_changed.emit(len(self._pending))
        self.job_requested.emit(JobRequest(rid, job, cancel))
        return rid

    def count_tokens(self, messages: list[ChatMessage]) -> int:
        """Ask for the prompt size of ``messages``; answered by ``tokens_counted``."""
        rid = next(self._ids)
        self.count_requested.emit(CountRequest(rid, tuple(messages)))
        return rid

    def complete(
        self, prompt: str, params: SamplingParams, *, owner: object | None = None
    ) -> int:
        """Ask for a raw continuation of ``prompt``; returns the request id."""
        return self._submit(
            lambda rid, cancel: GenerationRequest(rid, params, cancel, prompt=prompt), owner
        )

    def _submit(
        self,
        make: Callable[[int, threading.Event], GenerationRequest],
        owner: object | None = None,
    ) -> int:
        rid = next(self._ids)
        cancel = threading.Event()
        self._pending[rid] = cancel
        self._owners[rid] = id(owner) if owner is not None else None
        self.queue_changed.emit(len(self._pending))
        self.generation_requested.emit(make(rid, cancel))
        return rid

    def stop(self, owner: object | None = None) -> None:
        """Stop requests now (direct call: sets their events): those of ``owner`` (a pane's
        Stop leaves the other panes' work running), or with None every one (model switch,
        shutdown)."""
        key = id(owner) if owner is not None else None
        for rid, cancel in self._pending.items():
            if key is None or self._owners.get(rid) == key:
                cancel.set()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def unload(self) -> None:
        self.stop()
        self.unload_requested.emit()

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Stop everything, end the engine at once, and wait for the worker thread to end."""
        self.stop()
        if self._load_cancel is not None:
            self._load_cancel.set()
        self.worker.terminate()  # a request still running ends as cancelled, now
        if self._thread.isRunning():
            self.shutdown_requested.emit()
            if not self._thread.wait(timeout_ms):
                log.error("the engine thread did not stop within %d ms", timeout_ms)

    @Slot(int)
    def _on_request_done(self, rid: int, *_args: object) -> None:
        if self._pending.pop(rid, None) is not None:
            self.queue_changed.emit(len(self._pending))
        self._owners.pop(rid, None)
