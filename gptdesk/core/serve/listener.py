"""Running the API server: a bound socket and uvicorn, in the foreground (``gptdesk serve``) or
on a thread of its own (the app's Settings switch)."""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import threading
from collections.abc import Callable

from gptdesk.core.errors import GptdeskError
from gptdesk.core.i18n import translate
from gptdesk.core.serve.runner import Runner
from gptdesk.core.serve.security import GuardOptions

log = logging.getLogger(__name__)


class ListenError(GptdeskError):
    """The server cannot listen at the address asked for."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket at ``host:port`` (port 0: any free one), or a ListenError that says
    what to do."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ListenError(
            translate("serve", "Cannot listen on {host}: no such address ({error}).").format(
                host=host, error=exc.strerror
            )
        ) from exc
    family, _type, _proto, _name, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            message = translate(
                "serve", "Port {port} on {host} is in use by another program: pick another port."
            )
        elif exc.errno == errno.EACCES:
            message = translate(
                "serve", "Not allowed to listen on port {port} on {host}: pick a port above 1024."
            )
        else:
            message = translate("serve", "Cannot listen on {host} port {port}: {error}.")
        raise ListenError(message.format(host=host, port=port, error=exc.strerror)) from exc
    sock.setblocking(False)
    return sock


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class ApiServer:
    """uvicorn serving ``create_app(runner, options)`` on an already bound socket."""

    def __init__(self, runner: Runner, sock: socket.socket, options: GuardOptions) -> None:
        import uvicorn

        from gptdesk.core.serve.server import create_app

        self.socket = sock
        self._ready = threading.Event()
        self._serving = False
        self.url = url_of(sock, options.bind_host)
        config = uvicorn.Config(
            create_app(runner, options),
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,  # streams still open at shutdown are then cut
            ws="none",
        )
        ready = self._ready

        class Server(uvicorn.Server):
            async def startup(self, sockets: list[socket.socket] | None = None) -> None:
                await super().startup(sockets)
                if self.started:
                    ready.set()

        self._server = Server(config)
        self._thread: threading.Thread | None = None

    def serve(self, on_ready: Callable[[], None] | None = None) -> None:
        """Serve on this thread until ``stop`` (or, on the main thread, Ctrl+C)."""
        self._serving = True
        if on_ready is not None:
            threading.Thread(target=self._notify, args=(on_ready,), daemon=True).start()
        self._server.run(sockets=[self.socket])
        self._ready.set()  # a server that never started must not leave a waiter behind

    def _notify(self, on_ready: Callable[[], None]) -> None:
        self._ready.wait()
        if self._server.started:
            on_ready()

    def start(self, on_ready: Callable[[], None] | None = None) -> None:
        """Serve on a thread of its own."""
        self._thread = threading.Thread(
            target=self.serve, args=(on_ready,), name="gptdesk-api", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting and end open requests (they are cancelled); with ``start``, wait up
        to ``timeout`` for the thread. uvicorn closes the socket as it shuts down."""
        self._server.should_exit = True
        if self._thread is not None and timeout > 0:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("the API server did not stop within %.0f s", timeout)
        if not self._serving:  # never served: the socket is still ours
            with contextlib.suppress(OSError):
                self.socket.close()
