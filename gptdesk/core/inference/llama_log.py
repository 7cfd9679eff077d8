"""Route llama.cpp's own log into Python logging and keep its errors for the message a user sees.

llama-cpp-python's ``verbose=False`` silences loading by redirecting file descriptors 1 and 2
for the whole process, which is not thread-safe; gptdesk installs a log callback instead, so
nothing is printed and the real reason a load failed can be shown.
"""

from __future__ import annotations

import collections
import ctypes
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("gptdesk.llama_cpp")

# enum ggml_log_level in ggml.h
_LEVELS = {1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}
_CONT = 5

_lock = threading.Lock()
_installed = False
_callback: object = None  # the ctypes callback must outlive the process's use of it
_last_level = logging.DEBUG
_errors: collections.deque[str] = collections.deque(maxlen=50)


def _on_log(level: int, text: bytes | None, _user_data: object) -> None:
    global _last_level
    message = (text or b"").decode("utf-8", errors="replace")
    py_level = _last_level if level == _CONT else _LEVELS.get(level, logging.DEBUG)
    _last_level = py_level
    message = message.rstrip("\n")
    if not message:
        return
    if py_level >= logging.WARNING:
        with _lock:
            _errors.append(message)
    log.log(py_level, "%s", message)


def install() -> None:
    """Install the callback once per process (idempotent)."""
    global _installed, _callback
    with _lock:
        if _installed:
            return
        import llama_cpp

        _callback = llama_cpp.llama_log_callback(_on_log)
        llama_cpp.llama_log_set(_callback, ctypes.c_void_p(0))
        _installed = True


@contextmanager
def capture_problems() -> Iterator[list[str]]:
    """Collect the warnings and errors llama.cpp logs inside the block."""
    with _lock:
        _errors.clear()
    found: list[str] = []
    try:
        yield found
    finally:
        with _lock:
            found.extend(_errors)
            _errors.clear()
