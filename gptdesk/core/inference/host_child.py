"""The engine host process: one ``Engine`` driven by the requests of ``protocol.py``.

Started by ``EngineHost`` (``host.py``) as ``python -m gptdesk.core.inference.host_child`` (or
``gptdesk --engine-host`` in a frozen build) with pipes on stdin and stdout. The main thread
runs one request at a time; a reader thread takes Cancel at once (it sets the running request's
event) and queues everything else. When the app goes away, stdin ends and the process exits.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import sys
import threading
from typing import IO

from gptdesk.core.errors import GenerationError, GptdeskError
from gptdesk.core.i18n import translate
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
    Request,
    Result,
    Shutdown,
    Stream,
    Tokenize,
)

log = logging.getLogger("gptdesk.host")

HOST_ARG = "--engine-host"


class _Host:
    def __init__(self, channel: Channel) -> None:
        from gptdesk.core.inference.engine import Engine

        self._engine_class = Engine
        self.channel = channel
        self.engine: Engine | None = None
        self.cancels: dict[int, threading.Event] = {}
        self.work: queue.SimpleQueue[Request] = queue.SimpleQueue()
        self.rid = 0  # the request running now

    def read(self) -> None:
        """Reader thread: Cancel takes effect at once; other requests wait their turn."""
        while True:
            try:
                message = self.channel.recv()
            except EOFError:  # the app is gone (or closed our stdin): nothing left to do
                os._exit(0)
            if isinstance(message, Cancel):
                event = self.cancels.get(message.rid)
                if event is not None:
                    event.set()
                continue
            if isinstance(message, Shutdown):
                for event in list(self.cancels.values()):
                    event.set()
            else:
                self.cancels[message.rid] = threading.Event()
            self.work.put(message)  # type: ignore[arg-type]

    def run(self) -> int:
        threading.Thread(target=self.read, name="gptdesk-host-reader", daemon=True).start()
        while True:
            request = self.work.get()
            if isinstance(request, Shutdown):
                break
            self.rid = request.rid
            cancel = self.cancels.get(request.rid) or threading.Event()
            try:
                self.handle(request, cancel)
            except GptdeskError as exc:
                self.channel.send(Failed(request.rid, type(exc).__name__, str(exc)))
            except Exception as exc:  # a bug: the traceback goes to the app's log
                log.exception("request %s failed", type(request).__name__)
                self.channel.send(Failed(request.rid, "", f"{type(exc).__name__}: {exc}"))
            finally:
                self.cancels.pop(request.rid, None)
        if self.engine is not None:
            self.engine.close()
        return 0

    def phase(self, name: str) -> None:
        self.channel.send(Phase(self.rid, name))

    def handle(self, request: Request, cancel: threading.Event) -> None:
        send = self.channel.send
        rid = request.rid
        if isinstance(request, Load):
            if self.engine is not None:
                self.engine.close()
                self.engine = None
            engine = self._engine_class(request.path, request.options)
            engine.on_phase = self.phase
            last = -1

            def progress(fraction: float) -> None:
                nonlocal last
                percent = int(fraction * 100)
                if percent != last:  # at most 101 messages per load
                    last = percent
                    send(Progress(rid, fraction))

            status = engine.load(on_progress=progress, cancel=cancel)
            self.engine = engine
            send(Loaded(rid, status))
            return
        current = self.engine
        if current is None:
            raise GenerationError(translate("engine", "No model is loaded. Load a model first."))
        engine = current
        if isinstance(request, Chat):
            for event in engine.stream_chat(
                request.messages, request.params, cancel, request.continue_last
            ):
                send(Stream(rid, event))
        elif isinstance(request, Complete):
            for event in engine.stream_completion(request.prompt, request.params, cancel):
                send(Stream(rid, event))
        elif isinstance(request, CountTokens):
            send(Result(rid, engine.count_tokens(request.messages)))
        elif isinstance(request, Tokenize):
            send(Result(rid, engine.tokenize(request.text, chat=request.chat)))
        elif isinstance(request, Embed):
            send(Result(rid, engine.embed(request.texts, cancel)))


def _protocol_pipes() -> tuple[IO[bytes], IO[bytes]]:
    """The pipes to the app (our stdin and stdout as they were); stdout then points at stderr,
    so whatever native code prints cannot corrupt the protocol."""
    reader = os.fdopen(os.dup(0), "rb")
    writer = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdout.flush()
    os.dup2(2, 1)
    return reader, writer


def main() -> int:
    # Ctrl+C in a terminal reaches the whole process group: the app decides what it stops
    # (it sends Cancel, or ends this process), so the engine does not die of it on its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    reader, writer = _protocol_pipes()
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )
    return _Host(Channel(reader, writer)).run()


if __name__ == "__main__":
    sys.exit(main())
