"""What stands between the network and the model: the API server's checks on every request.

- ``Host`` must name this machine. A web page can make a browser send requests to 127.0.0.1
  under its own domain name (DNS rebinding, Ollama's CVE-2024-28224); the browser then sends
  that name as the Host, and the request is refused.
- A browser request from a web page (it carries ``Origin``) is refused unless the origin is on
  the allow-list: a CORS header alone does not stop a ``text/plain`` POST from running the
  model, only a refusal before the model is touched does.
- Requests with a body must say ``Content-Type: application/json``: a page can send the other
  simple types (form, text/plain) without asking first.
- Bodies over ``max_body`` bytes get 413, before they are read in full.
- With an API key, every request but ``/health`` must carry ``Authorization: Bearer KEY``.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import json
import socket
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 8 * 1024 * 1024  # 8 MiB of JSON is millions of tokens, past any context window
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
OPEN_PATHS = frozenset({"/health"})  # a load balancer's probe needs no key


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server on this machine."""
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def machine_names(bind_host: str) -> frozenset[str]:
    """The names a request's Host may carry: loopback names, plus (when the server listens
    beyond this machine) this machine's host names and addresses."""
    names = set(LOOPBACK_NAMES)
    if not is_loopback(bind_host):
        if bind_host not in ("0.0.0.0", "::", ""):
            names.add(bind_host.lower())
        hostname = socket.gethostname().lower()
        names.update({hostname, f"{hostname}.local"})
        with contextlib.suppress(OSError):
            names.add(socket.getfqdn().lower())
        try:
            import psutil

            for addresses in psutil.net_if_addrs().values():
                for address in addresses:
                    if address.family in (socket.AF_INET, socket.AF_INET6):
                        names.add(address.address.split("%")[0].lower())
        except Exception:  # no interface list: the names above still work
            pass
    return frozenset(names)


def host_name(header: str) -> str:
    """The name in a Host header, without the port: ``[::1]:8080`` -> ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    if header.count(":") == 1:
        return header.split(":", 1)[0]
    return header


@dataclass(frozen=True)
class GuardOptions:
    bind_host: str = "127.0.0.1"
    api_key: str | None = None
    allow_origins: tuple[str, ...] = ()  # exact origins ("http://localhost:3000") or "*"
    max_body: int = MAX_BODY
    extra_hosts: tuple[str, ...] = ()  # more names for this machine (a reverse proxy's)
    hosts: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        names = machine_names(self.bind_host) | {h.lower() for h in self.extra_hosts}
        object.__setattr__(self, "hosts", names)


class Guard:
    """ASGI middleware: the checks above, then the app."""

    def __init__(self, app: ASGIApp, options: GuardOptions) -> None:
        self.app = app
        self.options = options

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        opts = self.options
        host = host_name(headers.get("host", ""))
        if host not in opts.hosts:
            await _refuse(
                send,
                403,
                f"The Host '{host}' is not this machine: requests must name it (localhost, "
                "127.0.0.1 or its own name).",
                "forbidden_host",
            )
            return
        origin = headers.get("origin")
        cors: list[tuple[bytes, bytes]] = []
        if origin is not None:
            if not self._origin_allowed(origin):
                await _refuse(
                    send,
                    403,
                    f"Requests from web pages at {origin} are not allowed. Add the origin to "
                    "the server's allowed origins to let that page use it.",
                    "forbidden_origin",
                )
                return
            cors = [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"vary", b"Origin"),
            ]
            if scope["method"] == "OPTIONS":  # a preflight: say what may be sent
                await _respond(
                    send,
                    204,
                    b"",
                    [
                        *cors,
                        (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                        (b"access-control-allow-headers", b"authorization, content-type"),
                        (b"access-control-max-age", b"600"),
                    ],
                )
                return
        if opts.api_key and scope["path"] not in OPEN_PATHS and not self._key_ok(headers):
            await _refuse(
                send,
                401,
                "Missing or wrong API key: send it as 'Authorization: Bearer KEY'.",
                "invalid_api_key",
                cors,
            )
            return
        if scope["method"] in ("POST", "PUT", "PATCH"):
            media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if media != "application/json":
                await _refuse(
                    send,
                    415,
                    "Send the request body as JSON with 'Content-Type: application/json'.",
                    "unsupported_media_type",
                    cors,
                )
                return
            body = await self._read_body(headers, receive)
            if body is None:
                await _refuse(
                    send,
                    413,
                    f"The request body is larger than {opts.max_body // (1024 * 1024)} MiB.",
                    "request_too_large",
                    cors,
                )
                return
            receive = _replay(body, receive)
        if cors:
            send = _with_headers(send, cors)
        await self.app(scope, receive, send)

    def _origin_allowed(self, origin: str) -> bool:
        allowed = self.options.allow_origins
        return "*" in allowed or origin.rstrip("/") in {o.rstrip("/") for o in allowed}

    def _key_ok(self, headers: dict[str, str]) -> bool:
        key = self.options.api_key or ""
        auth = headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() == "bearer":
            return hmac.compare_digest(token.strip().encode(), key.encode())
        return hmac.compare_digest(headers.get("x-api-key", "").encode(), key.encode())

    async def _read_body(self, headers: dict[str, str], receive: Receive) -> bytes | None:
        """The whole body, or None when it is over the limit (read no further than that)."""
        limit = self.options.max_body
        try:
            if int(headers.get("content-length", "0")) > limit:
                return None
        except ValueError:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the app the body read already, then the real messages (the
    disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _with_headers(send: Send, extra: Iterable[tuple[bytes, bytes]]) -> Send:
    extra = list(extra)

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = dict(message)
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return wrapped


async def _respond(
    send: Send, status: int, body: bytes, headers: Iterable[tuple[bytes, bytes]]
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": list(headers)})
    await send({"type": "http.response.body", "body": body})


async def _refuse(
    send: Send,
    status: int,
    message: str,
    code: str,
    extra: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    kind = "authentication_error" if status == 401 else "invalid_request_error"
    body = json.dumps(
        {"error": {"message": message, "type": kind, "param": None, "code": code}}
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await _respond(send, status, body, headers)
