"""Blocking calls (Hub requests, folder scans, hashing, file reads) run off the GUI thread.

``BackgroundTasks.submit(fn, on_done, on_error)`` runs ``fn()`` on a small thread pool and calls
``on_done(result)`` or ``on_error(exc)`` back on the GUI thread. The callbacks never run after
``discard(task_id)`` or ``shutdown()``, so a closed dialog is never called into.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")


class BackgroundTasks(QObject):
    """A thread pool whose results come back as calls on the thread that owns this object."""

    task_done = Signal(int)
    """Task id: its result is ready (internal; delivered queued to the owner's thread)."""

    def __init__(self, max_workers: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="gptdesk-task")
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None]]] = {}
        self._futures: dict[int, Future[Any]] = {}
        self._closed = False
        # Queued even from this thread: a call that finishes at once (add_done_callback then
        # runs the callback inside submit) still answers after submit() returned its id.
        self.task_done.connect(self._on_task_done, Qt.ConnectionType.QueuedConnection)

    def submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        """Run ``fn`` in the pool; returns an id for ``discard``. Errors go to ``on_error``
        (logged with their traceback when there is none)."""
        task_id = next(self._ids)
        if self._closed:
            return task_id
        with self._lock:
            self._callbacks[task_id] = (on_done, on_error or _log_error)
        future = self._pool.submit(fn)
        with self._lock:
            self._futures[task_id] = future
        future.add_done_callback(lambda _f: self._notify(task_id))
        return task_id

    def _notify(self, task_id: int) -> None:
        """Runs on the pool thread: hand the result to the owner's thread, unless it is gone."""
        if self._closed:
            return
        try:
            self.task_done.emit(task_id)
        except RuntimeError:  # the Qt object was deleted (its window closed): nobody to call
            log.debug("task %d finished after its owner was deleted", task_id)

    def discard(self, task_id: int) -> None:
        """Forget a task: its callbacks will not be called (it may still finish running)."""
        with self._lock:
            self._callbacks.pop(task_id, None)
            future = self._futures.pop(task_id, None)
        if future is not None:
            future.cancel()

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._callbacks)

    def shutdown(self) -> None:
        """Drop every callback and let running calls finish on their own (not waited for)."""
        self._closed = True
        with self._lock:
            self._callbacks.clear()
            futures = list(self._futures.values())
            self._futures.clear()
        for future in futures:
            future.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)

    @Slot(int)
    def _on_task_done(self, task_id: int) -> None:
        with self._lock:
            callbacks = self._callbacks.pop(task_id, None)
            future = self._futures.pop(task_id, None)
        if callbacks is None or future is None or future.cancelled():
            return
        on_done, on_error = callbacks
        exc = future.exception()
        if exc is None:
            on_done(future.result())
        elif isinstance(exc, Exception):
            on_error(exc)
        else:
            raise exc


def _log_error(exc: Exception) -> None:
    log.error("background task failed", exc_info=exc)
