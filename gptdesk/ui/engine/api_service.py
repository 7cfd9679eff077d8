"""The API server inside the app: "Let other apps use the loaded model" (Settings).

Requests from outside share the window's model and its one request queue: ``WindowRunner``
turns each into a job on the ``EngineController``, behind whatever the window asked for
before, and the window's later requests wait behind it. Switching models or quitting stops
them like the window's own (the client gets a 503 or an error event).

``ApiService`` starts and stops the server. Importing the HTTP stack, reading the API key
from the keyring and binding the port happen on the server's own thread, never on the GUI
thread; it reports ``started(url)`` or ``failed(message)``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

from PySide6.QtCore import QObject, Signal, Slot

from gptdesk.core.i18n import translate
from gptdesk.core.inference.backend import Backend, Finished, GenerationStats, ModelStatus
from gptdesk.core.serve.runner import (
    END,
    MAX_QUEUED,
    NO_MODEL,
    NoModelError,
    ServedModel,
    Ticket,
    Work,
    deliver,
    queue_full_error,
)
from gptdesk.ui.engine.worker import EngineController

log = logging.getLogger(__name__)

_NOTHING = GenerationStats(0, 0, 0, 0.0, 0.0, 0.0, 0.0, "cancelled")


class WindowRunner(QObject):
    """The ``Runner`` of the app's API server: work goes into the window's engine queue.

    ``submit`` and ``model`` are called on the server's thread; the job is handed to the GUI
    thread by a queued signal, and runs on the engine thread."""

    _submitted = Signal(object)

    def __init__(self, controller: EngineController, max_queued: int = MAX_QUEUED) -> None:
        super().__init__(controller)
        self._controller = controller
        self._max = max_queued
        self._lock = threading.Lock()
        self._outside = 0  # API requests not yet ended
        self._queued = 0  # everything on the engine thread, the window's requests too
        self._model: ServedModel | None = None
        self._submitted.connect(self._on_submitted)
        controller.loaded.connect(self._on_loaded)
        controller.unloaded.connect(self._on_unloaded)
        controller.load_failed.connect(self._on_unloaded)  # the old model was closed first
        controller.queue_changed.connect(self._on_queue_changed)
        self._waiting: dict[int, tuple[Ticket, threading.Event]] = {}  # request id -> ...
        for done in (
            controller.generation_finished,
            controller.generation_cancelled,
            controller.generation_failed,
        ):
            done.connect(self._on_request_done)

    def set_status(self, status: ModelStatus | None) -> None:
        """The model already loaded when the server starts (GUI thread)."""
        self._model = ServedModel.from_status(status) if status is not None else None

    @Slot(ModelStatus)
    def _on_loaded(self, status: ModelStatus) -> None:
        self.set_status(status)

    @Slot()
    def _on_unloaded(self) -> None:
        self._model = None

    @Slot(int)
    def _on_queue_changed(self, n: int) -> None:
        self._queued = n

    # --- Runner (server thread) ------------------------------------------------------------

    def model(self) -> ServedModel | None:
        return self._model

    def queue_length(self) -> int:
        return self._queued

    def submit(self, work: Work, ticket: Ticket) -> None:
        with self._lock:
            if self._outside >= self._max:
                raise queue_full_error(self._max)
            self._outside += 1
        self._submitted.emit((work, ticket))

    # --- GUI thread ------------------------------------------------------------------------

    @Slot(object)
    def _on_submitted(self, item: tuple[Work, Ticket]) -> None:
        work, ticket = item
        ran = threading.Event()

        def job(engine: Backend, _cancel: threading.Event) -> Iterator[Finished]:
            # Runs on the engine thread; ``_cancel`` is ``ticket.cancel`` (see run_job below).
            ran.set()
            try:
                finished = deliver(engine, work, ticket)
            finally:
                self._release()
            # The worker wants one Finished per job; the client got its answer from the ticket.
            yield finished or Finished("", _NOTHING)

        rid = self._controller.run_job(job, owner=self, cancel=ticket.cancel)
        self._waiting[rid] = (ticket, ran)

    @Slot(int)
    def _on_request_done(self, rid: int, *_args: object) -> None:
        """A job that ended without running (no model any more: the load after a switch
        failed) still owes its client an answer."""
        waiting = self._waiting.pop(rid, None)
        if waiting is None:
            return
        ticket, ran = waiting
        if not ran.is_set():
            ticket.push(NoModelError(translate("serve", NO_MODEL)))
            ticket.push(END)
            self._release()

    def _release(self) -> None:
        with self._lock:
            self._outside -= 1


class ApiService(QObject):
    """Starts and stops the app's API server; one at a time."""

    started = Signal(str)
    """The server listens: its base URL (``http://127.0.0.1:8080``)."""
    failed = Signal(str)
    """The server could not start: the message for the user."""
    stopped = Signal()

    def __init__(self, controller: EngineController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = WindowRunner(controller)
        self._server: object | None = None  # an ApiServer while one runs
        self._thread: threading.Thread | None = None
        self._last: threading.Thread | None = None
        self._generation = 0  # a start superseded by a stop or another start reports nothing
        self._lock = threading.Lock()
        self.url: str | None = None
        self.started.connect(self._on_started)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(
        self, status: ModelStatus | None, *, port: int, network: bool, key: str | None
    ) -> None:
        """Serve the window's model on ``port``: on this machine only, or (``network``) on
        every address with ``key`` required."""
        previous = self._thread
        self.stop()
        self.runner.set_status(status)
        generation = self._generation
        host = "0.0.0.0" if network else "127.0.0.1"
        self._thread = threading.Thread(
            target=self._serve,
            args=(generation, previous, host, port, key if network else None),
            name="gptdesk-api",
            daemon=True,
        )
        self._thread.start()

    def _serve(
        self,
        generation: int,
        previous: threading.Thread | None,
        host: str,
        port: int,
        key: str | None,
    ) -> None:
        """The server's thread: wait for the one before to let go of its port, import the HTTP
        stack, bind, serve until stopped."""
        if previous is not None:
            previous.join()
        from gptdesk.core.errors import GptdeskError
        from gptdesk.core.serve.listener import ApiServer, bind
        from gptdesk.core.serve.security import GuardOptions

        if generation != self._generation:
            return
        try:
            server = ApiServer(self.runner, bind(host, port), GuardOptions(host, api_key=key))
        except GptdeskError as exc:
            if generation == self._generation:
                self.failed.emit(str(exc))
            return
        with self._lock:
            if generation != self._generation:  # stopped while starting
                return
            self._server = server
        server.serve(on_ready=lambda: self.started.emit(server.url))

    @Slot(str)
    def _on_started(self, url: str) -> None:
        self.url = url

    def stop(self) -> None:
        """Stop listening (from the GUI thread, without waiting): open requests are
        cancelled, and the port is free once the server's thread has ended."""
        with self._lock:
            self._generation += 1
            server, self._server = self._server, None
        if server is not None:
            server.stop(timeout=0)
        if self._thread is not None:
            self._last, self._thread = self._thread, None
            self.url = None
            self.stopped.emit()

    def wait(self, timeout: float = 5.0) -> None:
        """Quitting: wait for the server's thread (after ``stop``)."""
        thread = self._last
        if thread is not None:
            thread.join(timeout)
