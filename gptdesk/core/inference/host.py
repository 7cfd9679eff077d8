"""The engine in its own process: ``EngineHost``, the ``Backend`` the app and the CLI use.

llama.cpp aborts the whole process on some malformed model files, a chat template (code inside
every downloaded GGUF) can run for minutes while holding Python's lock, and memory can run out.
So the ``Engine`` runs in a child process (``host_child.py``) and this class talks to it over
the pipes of ``protocol.py``. What happens there cannot take the window with it:

- the child dies (signal, abort, out of memory): the request raises ``EngineCrashedError`` with
  what happened in a user's words; a model that crashed while loading is remembered
  (``crashes.py``) so the library marks it; after a crash in a reply the next request starts a
  fresh child and loads the model again;
- a chat template that renders or compiles longer than ``TEMPLATE_TIMEOUT_S``, or a load that
  makes no progress for ``LOAD_STALL_S``, is ended by ending the child;
- Stop sends Cancel (the reply ends within a token, also during prefill); a child that does not
  answer within ``STOP_GRACE_S`` (a template holding the GIL) is ended, and the reply so far is
  returned as cancelled.

One request runs at a time (a lock); ``terminate`` may be called from any thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gptdesk.core import errors
from gptdesk.core.errors import EngineCrashedError, GenerationError, GptdeskError, ModelLoadError
from gptdesk.core.i18n import translate
from gptdesk.core.inference import cpu_kernels, crashes
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
from gptdesk.core.inference.host_child import HOST_ARG
from gptdesk.core.inference.protocol import (
    Cancel,
    Channel,
    Chat,
    Complete,
    CountTokens,
    Embed,
    Failed,
    Load,
    Loaded,
    Phase,
    Progress,
    Reply,
    Request,
    Result,
    Shutdown,
    Stream,
    Tokenize,
)

log = logging.getLogger(__name__)

TEMPLATE_TIMEOUT_ENV = "GPTDESK_TEMPLATE_TIMEOUT"
LOAD_TIMEOUT_ENV = "GPTDESK_LOAD_TIMEOUT"
TEMPLATE_TIMEOUT_S = 30.0  # a real template renders in milliseconds
LOAD_STALL_S = 600.0  # no load progress for this long (a first start probes CPU kernels)
STOP_GRACE_S = 2.0  # after Stop, the child has this long to end the request before it is ended
SHUTDOWN_GRACE_S = 0.5
_POLL_S = 0.02
_STDERR_LINES = 80
_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}
_LOG_LINE = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL) ([\w.\-]+): (.*)$")


def _seconds(env: str, default: float) -> float:
    try:
        value = float(os.environ.get(env, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def host_command() -> list[str]:
    """How to start the engine host: ``gptdesk --engine-host`` (the frozen app runs itself)."""
    return cpu_kernels.child_command([HOST_ARG])


@dataclass
class _Child:
    """One engine host process and what reads from it."""

    proc: subprocess.Popen[bytes]
    channel: Channel
    inbox: queue.SimpleQueue[Reply | None] = field(default_factory=queue.SimpleQueue)
    stderr_tail: deque[str] = field(default_factory=lambda: deque(maxlen=_STDERR_LINES))
    fatal: list[str] = field(default_factory=list)  # llama.cpp's assert and abort lines
    stderr_thread: threading.Thread | None = None
    ended_by_us: bool = False


class _EndedError(Exception):
    """The child was ended on purpose: ``kind`` is "cancel", "template", "stall" or "closed"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _relay_stderr(child: _Child) -> None:
    """Keep the child's last lines (for crash reports) and pass its log records on."""
    stream = child.proc.stderr
    assert stream is not None
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", errors="replace").rstrip()
        if not line:
            continue
        child.stderr_tail.append(line)
        if _ASSERT.search(line) or _ABORT.search(line) or _WHAT.search(line):
            child.fatal.append(line)
        match = _LOG_LINE.match(line)
        if match:
            level = _LEVELS.get(match[1], logging.INFO)
            logging.getLogger(match[2]).log(level, "%s", match[3])
        else:
            log.info("engine host: %s", line)


def _read_replies(child: _Child) -> None:
    while True:
        try:
            message = child.channel.recv()
        except EOFError:
            child.inbox.put(None)  # the child is gone
            return
        except Exception:  # a reply that does not unpickle: the stream cannot be trusted
            log.exception("unreadable reply from the engine host")
            child.inbox.put(None)
            return
        child.inbox.put(message)  # type: ignore[arg-type]


_ASSERT = re.compile(r"GGML_ASSERT\((?P<check>.*)\) failed")
_ABORT = re.compile(r"\.(?:c|cc|cpp|cu|m|mm):\d+: (?P<message>.+)$")  # GGML_ABORT("...")
_WHAT = re.compile(r"what\(\):\s*(?P<what>.+)$")


def _known_check(check: str) -> str | None:
    """Words for the llama.cpp checks that malformed model files fail most."""
    rules = (
        (r"n_layer", translate("host", "llama.cpp rejected the model's layer count")),
        (r"eps", translate("host", "llama.cpp rejected the model's normalization epsilon")),
        (r"n_head|n_embd|n_rot", translate("host", "llama.cpp rejected the model's head sizes")),
        (r"n_expert", translate("host", "llama.cpp rejected the model's expert counts")),
        (r"n_vocab|token", translate("host", "llama.cpp rejected the model's vocabulary")),
    )
    for pattern, words in rules:
        if re.search(pattern, check):
            return words
    return None


def explain_exit(code: int | None, lines: Sequence[str]) -> str:
    """What ended the engine host, from its exit status and its last lines of output."""
    for line in reversed(lines):
        match = _ASSERT.search(line)
        if match:
            check = match["check"].strip()
            known = _known_check(check)
            if known:
                return translate("host", "{what} (its check {check} failed)").format(
                    what=known, check=check
                )
            return translate("host", "llama.cpp stopped at a failed check: {check}").format(
                check=check
            )
    for line in reversed(lines):
        match = _ABORT.search(line)
        if match:
            return translate("host", "llama.cpp stopped: {error}").format(
                error=match["message"].strip()
            )
    for line in reversed(lines):
        match = _WHAT.search(line)
        if match:
            return translate("host", "llama.cpp stopped with an error: {error}").format(
                error=match["what"].strip()
            )
    if code is not None and code < 0:
        signum = -code
        words: dict[int, str] = {
            signal.SIGKILL: translate(
                "host", "the system ended it, most likely because memory ran out"
            ),
            signal.SIGSEGV: translate("host", "llama.cpp crashed (a segmentation fault)"),
            signal.SIGABRT: translate("host", "llama.cpp aborted"),
            signal.SIGILL: translate(
                "host", "llama.cpp used a processor instruction this computer lacks"
            ),
            signal.SIGBUS: translate(
                "host", "the model file became unreadable while in use (changed or removed?)"
            ),
            signal.SIGFPE: translate("host", "llama.cpp crashed (an arithmetic error)"),
        }
        if signum in words:
            return words[signum]
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = str(signum)
        return translate("host", "the engine process ended on signal {name}").format(name=name)
    windows = {
        0xC0000005: translate("host", "llama.cpp crashed (an access violation)"),
        0xC000001D: translate("host", "llama.cpp used a processor instruction this computer lacks"),
        0xC0000409: translate("host", "llama.cpp aborted"),
        0xC0000017: translate("host", "the system ran out of memory"),
    }
    if code is not None and code & 0xFFFFFFFF in windows:
        return windows[code & 0xFFFFFFFF]
    return translate("host", "the engine process ended unexpectedly (exit status {code})").format(
        code=code
    )


def _error_from(failed: Failed) -> GptdeskError:
    cls = getattr(errors, failed.error, None) if failed.error else None
    if isinstance(cls, type) and issubclass(cls, GptdeskError):
        try:
            return cls(failed.message)
        except TypeError:  # a class with another constructor
            return GenerationError(failed.message)
    return GenerationError(
        translate("host", "The engine failed unexpectedly: {error}").format(error=failed.message)
    )


class EngineHost:
    """A model loaded in its own engine host process (the ``Backend`` of the app and CLI)."""

    def __init__(self, path: str | Path, options: LoadOptions | None = None) -> None:
        self.path = Path(path)
        self.options = options or LoadOptions()
        self._child: _Child | None = None
        self._status: ModelStatus | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.starts = 0  # processes started: 1 + restarts after crashes
        self.template_timeout_s = _seconds(TEMPLATE_TIMEOUT_ENV, TEMPLATE_TIMEOUT_S)
        self.load_stall_s = _seconds(LOAD_TIMEOUT_ENV, LOAD_STALL_S)
        self.stop_grace_s = STOP_GRACE_S
        # Set when the model's chat template ran over its bound: chat requests then fail at
        # once instead of waiting out the bound again (raw completions still work).
        self._template_broken: str | None = None

    # ------------------------------------------------------------------ Backend

    @property
    def loaded(self) -> bool:
        return self._status is not None

    @property
    def status(self) -> ModelStatus:
        if self._status is None:
            raise GenerationError(translate("engine", "No model is loaded. Load a model first."))
        return self._status

    @property
    def pid(self) -> int | None:
        """The engine host's process id (None while none runs)."""
        child = self._child
        return child.proc.pid if child is not None else None

    def load(
        self,
        on_progress: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ModelStatus:
        with self._lock:
            self._end_child()
            self._status = None
            self._template_broken = None
            return self._load(on_progress, cancel)

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams | None = None,
        cancel: threading.Event | None = None,
        continue_last: bool = False,
    ) -> Iterator[StreamEvent]:
        params = params or SamplingParams()
        with self._lock:
            self._check_template()
            child = self._ready()
            request = Chat(next(self._ids), tuple(messages), params, continue_last)
            yield from self._stream(child, request, cancel)

    def stream_completion(
        self,
        prompt: str,
        params: SamplingParams | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[StreamEvent]:
        params = params or SamplingParams()
        with self._lock:
            child = self._ready()
            yield from self._stream(child, Complete(next(self._ids), prompt, params), cancel)

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        if not messages:
            return 0
        self._check_template()
        value = self._ask(lambda rid: CountTokens(rid, tuple(messages)))
        return value if isinstance(value, int) else 0

    def tokenize(self, text: str, *, chat: bool = True) -> list[int]:
        value = self._ask(lambda rid: Tokenize(rid, text, chat))
        return [int(token) for token in value] if isinstance(value, list) else []

    def embed(self, texts: Sequence[str], cancel: threading.Event | None = None) -> list[bytes]:
        """Unit-length float32 vectors of ``texts`` (the model was loaded with
        ``LoadOptions(embedding=True)``). ``cancel`` ends it between groups of texts with
        ``GenerationError``."""
        if not texts:
            return []
        value = self._ask(lambda rid: Embed(rid, tuple(texts)), cancel)
        return [bytes(v) for v in value] if isinstance(value, list) else []

    def close(self) -> None:
        """End the engine host (politely when it is idle, at once when it is busy)."""
        self._status = None
        self._end_child()

    def terminate(self) -> None:
        """End the engine host now, from any thread: a running request ends as cancelled."""
        self._status = None
        child = self._child
        self._child = None
        if child is not None:
            self._kill(child)

    # ------------------------------------------------------------------ the child process

    def _start(self) -> _Child:
        env = dict(os.environ)
        env[cpu_kernels.CACHE_ENV] = str(cpu_kernels.memory_file().parent)
        # ggml prints a backtrace through gdb when it aborts: seconds, and 100+ lines that
        # would push its reason out of the lines kept for the crash report.
        env.setdefault("GGML_NO_BACKTRACE", "1")
        if not getattr(sys, "frozen", False):  # the child imports gptdesk from the same place
            root = str(Path(__file__).resolve().parents[3])
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        proc = subprocess.Popen(
            host_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            creationflags=flags,
        )
        assert proc.stdin is not None and proc.stdout is not None
        child = _Child(proc, Channel(proc.stdout, proc.stdin))
        threading.Thread(
            target=_read_replies, args=(child,), name="gptdesk-host-replies", daemon=True
        ).start()
        child.stderr_thread = threading.Thread(
            target=_relay_stderr, args=(child,), name="gptdesk-host-stderr", daemon=True
        )
        child.stderr_thread.start()
        self._child = child
        self.starts += 1
        log.info("engine host started (pid %d) for %s", proc.pid, self.path.name)
        return child

    def _kill(self, child: _Child) -> None:
        child.ended_by_us = True
        with contextlib.suppress(OSError):
            child.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.proc.wait(timeout=5)
        child.channel.close()

    def _end_child(self) -> None:
        child = self._child
        self._child = None
        if child is None:
            return
        child.ended_by_us = True
        try:
            child.channel.send(Shutdown())
            child.proc.wait(timeout=SHUTDOWN_GRACE_S)
        except (EOFError, subprocess.TimeoutExpired):
            pass
        self._kill(child)

    def _ready(self) -> _Child:
        """The running child; after a crash in a reply, a fresh one with the model loaded."""
        if self._status is None:
            raise GenerationError(translate("engine", "No model is loaded. Load a model first."))
        child = self._child
        if child is not None and child.proc.poll() is None:
            return child
        log.info("starting a fresh engine host for %s", self.path.name)
        self._end_child()
        self._load(None, None)
        assert self._child is not None
        return self._child

    def _load(
        self, on_progress: Callable[[float], None] | None, cancel: threading.Event | None
    ) -> ModelStatus:
        child = self._start()
        report = on_progress or (lambda _p: None)
        request = Load(next(self._ids), self.path, self.options)
        try:
            for message in self._exchange(child, request, cancel, during="load"):
                if isinstance(message, Progress):
                    report(message.fraction)
                elif isinstance(message, Loaded):
                    self._status = message.status
                    crashes.clear(self.path)
                    return message.status
        except _EndedError as ended:
            self._status = None
            self._end_child()
            if ended.kind == "template":
                raise ModelLoadError(self._template_message()) from None
            if ended.kind == "stall":
                raise ModelLoadError(
                    translate(
                        "host",
                        "Loading {name} made no progress for {seconds:.0f} s and was stopped. "
                        "The file may be on a disk that stopped answering, or damaged.",
                    ).format(name=self.path.name, seconds=self.load_stall_s)
                ) from None
            raise ModelLoadError(translate("engine", "Loading the model was cancelled.")) from None
        except GptdeskError:
            self._status = None
            self._end_child()
            raise
        raise ModelLoadError(translate("engine", "Loading the model was cancelled."))

    def _check_template(self) -> None:
        if self._template_broken is not None:
            raise GenerationError(self._template_broken)

    def _template_ran_over(self) -> GenerationError:
        self._template_broken = self._template_message()
        return GenerationError(self._template_broken)

    def _template_message(self) -> str:
        return translate(
            "host",
            "The chat template inside {name} ran for more than {seconds:.0f} s and was stopped. "
            "The file's template is broken; pick another model or another download of it.",
        ).format(name=self.path.name, seconds=self.template_timeout_s)

    def _crashed(self, child: _Child, during: str) -> EngineCrashedError:
        if self._child is child:
            self._child = None
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.proc.wait(timeout=10)
        if child.stderr_thread is not None:
            child.stderr_thread.join(timeout=5)
        code = child.proc.returncode
        what = explain_exit(code, [*child.fatal[:5], *child.stderr_tail])
        log.info(
            "the engine host for %s ended (exit status %s) during the %s: %s; last output:\n%s",
            self.path.name,
            code,
            during,
            what,
            "\n".join(child.stderr_tail),
        )
        child.channel.close()
        if during == "load":
            self._status = None
            crashes.record(self.path, what)
            message = translate(
                "host",
                "The model crashed while loading: {what}. The file is damaged or made for a "
                "newer version; pick another model or download it again.",
            )
        else:
            message = translate(
                "host",
                "The model crashed while writing: {what}. What it wrote so far is kept; the "
                "next request starts the model again.",
            )
        return EngineCrashedError(message.format(what=what), during=during, detail=what)

    # ------------------------------------------------------------------ requests

    def _exchange(
        self, child: _Child, request: Request, cancel: threading.Event | None, during: str
    ) -> Iterator[Reply]:
        """Send ``request`` and yield its replies up to the last one; enforce the bounds."""
        rid = request.rid
        try:
            child.channel.send(request)
        except EOFError:
            raise self._crashed(child, during) from None
        bound: float | None = self.load_stall_s if during == "load" else None
        bound_kind = "stall"
        since = time.monotonic()
        cancel_sent: float | None = None
        finished = False
        try:
            while True:
                try:
                    message = child.inbox.get(timeout=_POLL_S)
                    got = True
                except queue.Empty:
                    message, got = None, False
                if got and message is None:  # the child is gone
                    finished = True
                    if child.ended_by_us:
                        raise _EndedError("closed")
                    raise self._crashed(child, during)
                now = time.monotonic()
                if message is not None and message.rid == rid:
                    if isinstance(message, Failed):
                        finished = True
                        raise _error_from(message)
                    if isinstance(message, Phase):
                        if message.name == "template":
                            bound, bound_kind, since = self.template_timeout_s, "template", now
                        elif during == "load":
                            bound, bound_kind, since = self.load_stall_s, "stall", now
                        else:
                            bound = None
                        continue
                    if isinstance(message, Progress) and bound_kind == "stall":
                        since = now
                    last = isinstance(message, (Loaded, Result)) or (
                        isinstance(message, Stream) and isinstance(message.event, Finished)
                    )
                    finished = last
                    yield message
                    if last:
                        return
                if cancel is not None and cancel.is_set():
                    if cancel_sent is None:
                        cancel_sent = now
                        with contextlib.suppress(EOFError):
                            child.channel.send(Cancel(rid))
                    elif now - cancel_sent > self.stop_grace_s:
                        log.info(
                            "the engine host did not stop within %.1f s: ending it",
                            self.stop_grace_s,
                        )
                        finished = True
                        self._kill_current(child)
                        raise _EndedError("cancel")
                if bound is not None and now - since > bound:
                    log.info("the engine host's %s ran over %.0f s: ending it", bound_kind, bound)
                    finished = True
                    self._kill_current(child)
                    raise _EndedError(bound_kind)
        finally:
            if not finished:  # the caller stopped reading: stop the work in the child too
                with contextlib.suppress(EOFError):
                    child.channel.send(Cancel(rid))

    def _kill_current(self, child: _Child) -> None:
        if self._child is child:
            self._child = None
        self._kill(child)

    def _stream(
        self, child: _Child, request: Chat | Complete, cancel: threading.Event | None
    ) -> Iterator[StreamEvent]:
        """The reply's events, timed on this side of the pipe (what the user waits for)."""
        start = time.perf_counter()
        first: float | None = None
        pieces: list[str] = []
        try:
            for message in self._exchange(child, request, cancel, during="reply"):
                if not isinstance(message, Stream):
                    continue
                event = message.event
                if isinstance(event, TextDelta):
                    if first is None:
                        first = time.perf_counter()
                    pieces.append(event.text)
                elif isinstance(event, Finished):
                    now = time.perf_counter()
                    event = Finished(
                        event.text,
                        dataclasses.replace(
                            event.stats,
                            ttft_s=(first if first is not None else now) - start,
                            total_s=now - start,
                        ),
                    )
                yield event
        except _EndedError as ended:
            if ended.kind == "template":
                raise self._template_ran_over() from None
            # Stop (or closing) that the child could not honour in time: the reply so far.
            now = time.perf_counter()
            text = "".join(pieces)
            yield Finished(
                text,
                GenerationStats(
                    prompt_tokens=0,
                    prompt_eval_tokens=0,
                    completion_tokens=len(pieces),
                    ttft_s=(first if first is not None else now) - start,
                    tokens_per_s=0.0,
                    prefill_tokens_per_s=0.0,
                    total_s=now - start,
                    stop_reason="cancelled",
                ),
            )

    def _ask(
        self, make: Callable[[int], Request], cancel: threading.Event | None = None
    ) -> object:
        with self._lock:
            child = self._ready()
            try:
                for message in self._exchange(child, make(next(self._ids)), cancel, "reply"):
                    if isinstance(message, Result):
                        return message.value
            except _EndedError as ended:
                if ended.kind == "template":
                    raise self._template_ran_over() from None
                raise GenerationError(
                    translate("host", "The engine was closed before it answered.")
                ) from None
        raise GenerationError(translate("host", "The engine was closed before it answered."))
