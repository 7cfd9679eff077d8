"""A ``Backend`` over any OpenAI-compatible server: llama.cpp's llama-server, vLLM, Ollama (its
``/v1``), LM Studio, llama-cpp-python's ``llama_cpp.server``, another gptdesk (``gptdesk serve``).

``RemoteBackend(server, model_id, options)`` streams replies from ``POST /v1/chat/completions``
and ``/v1/completions`` (the server applies the chat template), with ``requests`` and a small
server-sent-events reader of its own. What it learns once, at ``load()``:

- the model exists (``GET /v1/models``; an unknown name is an error that lists the server's);
- the served context window: the model's card in ``/v1/models`` (vLLM's and gptdesk's
  ``max_model_len``, gptdesk's and LM Studio's ``context_length``, llama-server's
  ``meta.n_ctx``), else llama-server's ``GET /props``, Ollama's ``/api/ps`` and ``num_ctx`` in
  ``/api/show``, LM Studio's ``loaded_context_length``, else ``options.n_ctx`` (the user's
  setting). Training sizes (``n_ctx_train``, ``<arch>.context_length``,
  ``max_context_length``) are never taken for the window;
- the tokenizer: llama-server's ``/tokenize`` and ``/apply-template``, vLLM's ``/tokenize``
  (text or messages), llama_cpp.server's ``/extras/tokenize``; else an honest, conservative
  estimate (UTF-8 bytes / 3, plus a few tokens per message). These live at the server's root,
  not under ``/v1``.

Stop ends a request at once, also while the server is still reading the prompt and sends
nothing: the request runs on a thread of its own, the caller's thread waits on its queue and on
the cancel event, and Stop shuts the request's socket down (as ``downloads.py`` cuts a stalled
download), which also tells the server the client has gone. ``terminate()`` does the same from
any thread to every running request.

Continuing a cut-off reply (``continue_last``) sends it as the last, assistant message with
vLLM's ``continue_final_message: true, add_generation_prompt: false``: llama-server honours both
(and continues a final assistant message even without them), vLLM needs them; llama_cpp.server
cannot continue a reply (it always opens a new turn), so there it is an error that says so.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import logging
import math
import queue
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeGuard

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from gptdesk.core.errors import (
    ContextOverflowError,
    GenerationError,
    GptdeskError,
    ModelLoadError,
    ModelNotFoundError,
)
from gptdesk.core.i18n import translate
from gptdesk.core.inference.backend import (
    ChatMessage,
    ContextTrimmed,
    Finished,
    GenerationStats,
    LoadOptions,
    ModelStatus,
    SamplingParams,
    StopReason,
    StreamEvent,
    TextDelta,
    next_to_leave_out,
)
from gptdesk.core.inference.devices import BackendInfo
from gptdesk.core.inference.gguf_file import GGUFInfo
from gptdesk.core.inference.stop_strings import StopStrings

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
"""Seconds to open a connection (a server on the network that does not answer)."""
REQUEST_TIMEOUT_S = 120.0
"""Seconds to wait for the answer of a short request (models, tokenize, props). A streamed
reply has no such bound: a large prompt can take minutes before its first token, and Stop ends
it at any time."""
KEY_ENV = "GPTDESK_REMOTE_KEY"
"""The environment variable the command line reads the API key from (not on the command line,
where shell history would keep it)."""
ESTIMATE_BYTES_PER_TOKEN = 3
"""Without the server's tokenizer: a token per 3 bytes of UTF-8, more than real tokenizers
give for English (about 4.5) and most other languages, so texts are split too small rather than
too big. Vocabularies that fall back to single bytes for rare scripts can give more."""
ESTIMATE_MESSAGE_TOKENS = 8  # a chat template's role header and end-of-turn, estimated
ESTIMATE_PROMPT_TOKENS = 16  # the template's opening and the generation prompt, estimated
MAX_SERVER_STOPS = 4  # OpenAI's limit; longer lists are also applied here, as the reply streams
_POLL_S = 0.02
_MAX_ERROR_BODY = 64 * 1024
_READ_SIZE = 64 * 1024
_CONTEXT_CODES = frozenset(
    {"context_length_exceeded", "exceed_context_size_error", "context_window_exceeded"}
)
_CONTEXT_WORDS = re.compile(
    r"context (length|window|size)|maximum context|too many tokens|exceeds? (the )?"
    r"(available )?context|prompt is too long|input is too long|longer than the model",
    re.IGNORECASE,
)
_MODEL_CODES = frozenset({"model_not_found"})
_EXTRA_FIELDS = frozenset(
    {
        "top_k",
        "min_p",
        "repeat_penalty",
        "repetition_penalty",
        "continue_final_message",
        "add_generation_prompt",
    }
)
"""Fields beyond OpenAI's API: llama-server, vLLM and llama_cpp.server take them; a server that
refuses unknown fields gets the request again without them (and never again with them)."""
_NUM_CTX = re.compile(r"^\s*num_ctx\s+(\d+)\s*$", re.MULTILINE)

TokenizerKind = Literal["llama-server", "vllm", "llama-cpp-python", "estimate"]


# ---------------------------------------------------------------------------------- errors


class RemoteServerError(GptdeskError):
    """An OpenAI-compatible server refused a request or answered what the API does not allow;
    the message quotes the server's own."""


class ServerUnreachableError(RemoteServerError):
    """No connection: refused, an unknown host name, no answer in time, TLS failed."""


class ServerAuthError(RemoteServerError):
    """The server refused the API key, or asks for one and none was given."""


class RemoteModelNotFoundError(ModelNotFoundError, RemoteServerError):
    """The server has no model of that name; ``available`` are the ones it lists."""

    def __init__(self, message: str, available: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.available = tuple(available)


# ---------------------------------------------------------------------------------- servers


def normalize_base_url(url: str) -> str:
    """``http://host:8080/v1`` from ``host:8080``, ``http://host:8080/``, ``…/v1/``: the
    OpenAI routes are under ``/v1`` (a path in front, as a proxy adds, is kept)."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    invalid = RemoteServerError(
        translate(
            "remote", "{url} is not a server address: write it like http://localhost:8080/v1."
        ).format(url=url.strip() or '""')
    )
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        raise invalid from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise invalid
    path = parts.path.rstrip("/")
    path = path.removesuffix("/v1")
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc, path + "/v1", "", ""))


@dataclass(frozen=True)
class RemoteServer:
    """An OpenAI-compatible server: a name for people, its address and its API key.

    ``base_url`` is normalised to end in ``/v1`` (``http://host:8080`` and
    ``http://host:8080/v1/`` both become ``http://host:8080/v1``)."""

    name: str
    base_url: str
    api_key: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", normalize_base_url(self.base_url))

    @property
    def root(self) -> str:
        """The address without ``/v1``: where llama-server's and vLLM's own routes are."""
        return self.base_url.removesuffix("/v1")

    def url(self, path: str) -> str:
        """The address of ``path`` (``/v1/models``, ``/tokenize``) on this server."""
        return self.root + path


@dataclass(frozen=True)
class RemoteModel:
    """A model a server lists; ``context_length`` is its served window where the listing says
    (never a training size), else None."""

    id: str
    context_length: int | None = None
    owned_by: str = ""
    context_source: str = ""
    """Which field of the listing stated ``context_length`` (``max_model_len``…)."""


@dataclass(frozen=True)
class RemoteModelStatus(ModelStatus):
    """``ModelStatus`` of a model on a server: ``path`` and ``info.name`` are the model's id,
    ``n_threads`` and layers are 0 (the server's business), ``describe()`` is
    ``Remote · <server name>``."""

    server_name: str = ""
    server_url: str = ""
    context_source: str = ""
    """Where ``n_ctx`` came from: ``max_model_len in /v1/models``, ``/props``… or ``setting``
    (the server does not say; the user's context size is used)."""
    tokenizer: str = "estimate"
    """How tokens are counted: the server's tokenizer (``llama-server``, ``vllm``,
    ``llama-cpp-python``) or ``estimate``."""

    @property
    def context_from_server(self) -> bool:
        return self.context_source != "setting"

    def describe(self) -> str:
        return translate("remote", "Remote · {server}").format(server=self.server_name)


@dataclass(frozen=True)
class ErrorBody:
    """What a server's error answer says: its message, and its error type and code if given."""

    message: str
    type: str = ""
    code: str = ""


def parse_error_body(body: bytes, content_type: str = "") -> ErrorBody:
    """The message of an error answer in any of the shapes servers use: OpenAI's
    ``{"error": {"message", "type", "code"}}``, ``{"error": "text"}`` (Ollama),
    ``{"detail": "text" | [pydantic errors]}`` (FastAPI: vLLM, llama_cpp.server),
    ``{"message": ...}`` (older vLLM); anything else (a proxy's HTML page) by its first line."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            message = _text_of(error.get("message")) or _text_of(error)
            return ErrorBody(message, _text_of(error.get("type")), _text_of(error.get("code")))
        if isinstance(error, str) and error.strip():
            return ErrorBody(error.strip(), _text_of(data.get("type")), _text_of(data.get("code")))
        detail = data.get("detail")
        if detail is not None:
            return ErrorBody(_detail_text(detail), _text_of(data.get("type")))
        plain = data.get("message")
        if isinstance(plain, str) and plain.strip():
            return ErrorBody(plain.strip(), _text_of(data.get("type")), _text_of(data.get("code")))
        return ErrorBody(_shorten(text))
    if not text:
        return ErrorBody("")
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        if title and title.group(1).strip():
            return ErrorBody(_shorten(title.group(1)))
        text = re.sub(r"<[^>]*>", "\n", text)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return ErrorBody(_shorten(first))


def _text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)):
        return str(value)
    return _shorten(json.dumps(value, ensure_ascii=False))


def _detail_text(detail: object) -> str:
    """FastAPI's ``detail``: a string, or a list of pydantic errors (``loc``, ``msg``)."""
    if isinstance(detail, str):
        return detail.strip()
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict):
                loc = item.get("loc")
                where = (
                    ".".join(str(p) for p in loc if p != "body") if isinstance(loc, list) else ""
                )
                msg = _text_of(item.get("msg"))
                parts.append(f"{where}: {msg}" if where else msg)
            else:
                parts.append(_text_of(item))
        return _shorten("; ".join(p for p in parts if p))
    return _text_of(detail)


def _shorten(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _card_context(card: dict[str, Any]) -> tuple[int, str] | None:
    """The served window a model card states, and which field said it."""
    for key in ("max_model_len", "context_length", "loaded_context_length"):
        if value := _count(card, key):
            return value, f"{key} in /v1/models"
    if value := _count(card.get("meta"), "n_ctx"):  # llama-server: its slot's window
        return value, "meta.n_ctx in /v1/models"
    return None


def _count(mapping: object, key: str) -> int | None:
    """``mapping[key]`` if ``mapping`` is a dict and that is a positive whole number."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if _positive(value) else None


def _positive(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _models_of(data: object) -> list[RemoteModel]:
    items = data.get("data") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("no list of models")
    models = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        found = _card_context(item)
        owner = item.get("owned_by")
        models.append(
            RemoteModel(
                id=item["id"],
                context_length=found[0] if found else None,
                owned_by=owner if isinstance(owner, str) else "",
                context_source=found[1] if found else "",
            )
        )
    return models


# ---------------------------------------------------------------------------------- HTTP


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it wraps: requests wraps urllib3's errors, which wrap the OS's."""
    found: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(found) < 20:
        item = todo.pop(0)
        if any(item is seen for seen in found):
            continue
        found.append(item)
        reason = getattr(item, "reason", None)
        wrapped = [item.__cause__, item.__context__, reason, *item.args]
        todo.extend(w for w in wrapped if isinstance(w, BaseException))
    return found


def _reason(exc: BaseException) -> str:
    """Why a connection failed, in a few words."""
    causes = _causes(exc)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return translate("remote", "the connection was refused")
    if any(
        isinstance(c, (socket.gaierror, urllib3.exceptions.NameResolutionError)) for c in causes
    ):
        return translate("remote", "the host name is not known")
    if isinstance(exc, requests.exceptions.SSLError):
        return translate("remote", "the secure connection failed ({error})").format(
            error=_shorten(str(exc), 160)
        )
    if isinstance(exc, requests.Timeout) or any(isinstance(c, TimeoutError) for c in causes):
        return translate("remote", "it did not answer within {seconds} s").format(
            seconds=f"{CONNECT_TIMEOUT_S:.0f}"
        )
    return _shorten(str(exc), 200)


def unreachable(server: RemoteServer, exc: BaseException) -> ServerUnreachableError:
    """The error for a request to ``server`` that got no answer."""
    return ServerUnreachableError(
        translate(
            "remote",
            "Cannot reach the server at {url}: {reason}. Check the address and that the "
            "server is running.",
        ).format(url=server.base_url, reason=_reason(exc))
    )


def http_error(
    server: RemoteServer, path: str, status: int, body: bytes, content_type: str = ""
) -> GptdeskError:
    """The error for an answer with HTTP ``status`` to ``path``, with the server's message."""
    parsed = parse_error_body(body, content_type)
    message = parsed.message or translate("remote", "no message")
    if status in (401, 403):
        if server.api_key:
            text = translate(
                "remote",
                "The server at {url} refused the API key ({message}). Check the key.",
            )
        else:
            text = translate(
                "remote",
                "The server at {url} needs an API key ({message}). Enter the server's key.",
            )
        return ServerAuthError(text.format(url=server.base_url, message=message))
    codes = {parsed.code.lower(), parsed.type.lower()}
    if status in (400, 413, 422, 500) and (
        codes & _CONTEXT_CODES or _CONTEXT_WORDS.search(parsed.message)
    ):
        return ContextOverflowError(
            translate(
                "remote",
                "The prompt does not fit the model's context window on the server ({message}). "
                "Shorten the text or the conversation, or start the server with a larger "
                "context size.",
            ).format(message=message)
        )
    if codes & _MODEL_CODES or (status == 404 and "model" in parsed.message.lower()):
        return RemoteModelNotFoundError(
            translate("remote", "The server at {url} has no such model: {message}").format(
                url=server.base_url, message=message
            )
        )
    if status == 404:
        return RemoteServerError(
            translate(
                "remote",
                "The server at {url} has no {path} (404: {message}). Is it an "
                "OpenAI-compatible server, and is its address right?",
            ).format(url=server.base_url, path=path, message=message)
        )
    return RemoteServerError(
        translate("remote", "The server at {url} answered {status} to {path}: {message}").format(
            url=server.base_url, status=status, path=path, message=message
        )
    )


class _Sockets:
    """The sockets of one request, so that another thread can shut them down: once cut, a
    socket that connects later is shut down at once too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.cut = threading.Event()

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if not self.cut.is_set():
                return
        self._shutdown(sock)

    def shut_all(self) -> None:
        with self._lock:
            self.cut.set()
            sockets = list(self._sockets)
        for sock in sockets:
            self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: socket.socket) -> None:
        # The plain socket's shutdown, also for a TLS socket (whose own shutdown would drop its
        # TLS state under the thread that reads it): the blocked read returns at once.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _tracked_session(sockets: _Sockets) -> requests.Session:
    """A session whose connections register their sockets in ``sockets``."""

    class Connection(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            sockets.add(self.sock)

    class SecureConnection(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            sockets.add(self.sock)

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = SecureConnection

    pools = {"http": Pool, "https": SecurePool}

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

        def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
            manager = super().proxy_manager_for(*args, **kwargs)
            manager.pool_classes_by_scheme = pools
            return manager

    session = requests.Session()
    adapter = Adapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@dataclass(frozen=True)
class _Phase:
    name: str


@dataclass(frozen=True)
class _Refused:
    status: int
    body: bytes
    content_type: str


@dataclass(frozen=True)
class _Broken:
    error: BaseException
    before_answer: bool


@dataclass(frozen=True)
class _Event:
    name: str
    data: str


@dataclass(frozen=True)
class _End:
    pass


_Item = _Phase | _Refused | _Broken | _Event | _End


def _chunks(raw: urllib3.HTTPResponse) -> Iterator[bytes]:
    """The body as the server sends it: each piece as soon as it arrives."""
    if raw.chunked and raw.supports_chunked_reads():
        yield from raw.read_chunked(_READ_SIZE, decode_content=True)
        return
    while data := raw.read1(_READ_SIZE):
        yield data


_LINE_END = re.compile(r"\r\n|\r|\n")


def sse_events(chunks: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """Server-sent events as ``(event name, data)``; the name is "message" unless an
    ``event:`` line says otherwise. Comments (pings) are skipped; CR, LF and CRLF all end a
    line; an event left open when the body ends is still given."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    name = ""
    data: list[str] = []

    def handle(line: str) -> tuple[str, str] | None:
        nonlocal name, data
        if not line:  # a blank line ends an event
            event = (name or "message", "\n".join(data)) if data else None
            name, data = "", []
            return event
        if line.startswith(":"):
            return None
        key, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if key == "data":
            data.append(value)
        elif key == "event":
            name = value
        return None

    def complete_lines(buffer: str, final: bool) -> tuple[list[str], str]:
        lines = []
        while match := _LINE_END.search(buffer):
            if match.group() == "\r" and match.end() == len(buffer) and not final:
                break  # maybe the first half of a CRLF split between two pieces
            lines.append(buffer[: match.start()])
            buffer = buffer[match.end() :]
        return lines, buffer

    buffer = ""
    for chunk in chunks:
        lines, buffer = complete_lines(buffer + decoder.decode(chunk), final=False)
        for line in lines:
            if (event := handle(line)) is not None:
                yield event
    lines, buffer = complete_lines(buffer + decoder.decode(b"", final=True), final=True)
    for line in [*lines, buffer, ""]:
        if (event := handle(line)) is not None:
            yield event


class _Exchange:
    """One streamed request on a thread of its own. Its ``items`` are what happened, in order:
    ``_Phase("accepted")`` (the server answered 200), ``_Event``s, and one of ``_End`` (the
    body ended), ``_Refused`` (an error status) or ``_Broken`` (the connection failed)."""

    def __init__(self, server: RemoteServer, path: str, body: dict[str, Any]) -> None:
        self.server = server
        self.path = path
        self.body = body
        self.items: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self.sockets = _Sockets()
        self._thread = threading.Thread(target=self._run, name="gptdesk-remote", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cut(self) -> None:
        """End it now, from any thread: the socket is shut down, the thread ends soon."""
        self.sockets.shut_all()

    @property
    def was_cut(self) -> bool:
        return self.sockets.cut.is_set()

    def _run(self) -> None:
        session = _tracked_session(self.sockets)
        answered = False
        try:
            response = session.post(
                self.server.url(self.path),
                json=self.body,
                headers=_headers(self.server, stream=True),
                stream=True,
                timeout=(CONNECT_TIMEOUT_S, None),
            )
            answered = True
            with response:
                ctype = response.headers.get("content-type", "")
                if response.status_code != 200:
                    body = response.raw.read(_MAX_ERROR_BODY, decode_content=True) or b""
                    self.items.put(_Refused(response.status_code, body, ctype))
                    return
                self.items.put(_Phase("accepted"))
                if ctype.lower().startswith("application/json"):  # a server that does not stream
                    whole = response.raw.read(decode_content=True) or b""
                    self.items.put(_Event("message", whole.decode("utf-8", errors="replace")))
                else:
                    for name, data in sse_events(_chunks(response.raw)):
                        self.items.put(_Event(name, data))
                self.items.put(_End())
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            self.items.put(_Broken(exc, before_answer=not answered))
        except Exception as exc:  # never leave the caller waiting: report any failure
            if not self.was_cut:
                log.exception("streamed request to %s failed", self.server.base_url)
            self.items.put(_Broken(exc, before_answer=not answered))
        finally:
            session.close()


def _headers(server: RemoteServer, *, stream: bool = False) -> dict[str, str]:
    headers = {"Accept": "text/event-stream" if stream else "application/json"}
    if stream:
        headers["Accept-Encoding"] = "identity"  # pieces as they come, not a compressor's blocks
    if server.api_key:
        headers["Authorization"] = f"Bearer {server.api_key}"
    return headers


_NOT_THERE = object()
"""What a probe returns when the server does not have the route (or not in that shape)."""


class _Client:
    """Short JSON requests to one server, over one keep-alive session."""

    def __init__(self, server: RemoteServer) -> None:
        self.server = server
        self.session = requests.Session()

    def close(self) -> None:
        self.session.close()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The JSON answer of ``path``; any failure is the error for it."""
        response = self._send(method, path, body)
        if response.status_code >= 400:
            raise http_error(
                self.server,
                path,
                response.status_code,
                response.content[:_MAX_ERROR_BODY],
                response.headers.get("content-type", ""),
            )
        try:
            return response.json()
        except ValueError:
            raise RemoteServerError(
                translate(
                    "remote",
                    "The server at {url} did not answer {path} like an OpenAI-compatible "
                    "server: {answer}",
                ).format(
                    url=self.server.base_url,
                    path=path,
                    answer=parse_error_body(response.content[:_MAX_ERROR_BODY]).message
                    or response.status_code,
                )
            ) from None

    def probe(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The JSON answer of a route the server may lack: ``_NOT_THERE`` for an error status
        or an answer that is not JSON. No connection, or a refused key, is still an error."""
        response = self._send(method, path, body)
        if response.status_code in (401, 403):
            raise http_error(self.server, path, response.status_code, response.content)
        if response.status_code >= 300:
            log.debug("%s %s: %d", method, path, response.status_code)
            return _NOT_THERE
        try:
            return response.json()
        except ValueError:
            return _NOT_THERE

    def _send(self, method: str, path: str, body: dict[str, Any] | None) -> requests.Response:
        try:
            return self.session.request(
                method,
                self.server.url(path),
                json=body,
                headers=_headers(self.server),
                timeout=(CONNECT_TIMEOUT_S, REQUEST_TIMEOUT_S),
            )
        except requests.RequestException as exc:
            raise unreachable(self.server, exc) from exc

    def models(self) -> list[RemoteModel]:
        data = self.call("GET", "/v1/models")
        try:
            return _models_of(data)
        except ValueError:
            raise RemoteServerError(
                translate(
                    "remote",
                    "The server at {url} did not answer {path} like an OpenAI-compatible "
                    "server: {answer}",
                ).format(url=self.server.base_url, path="/v1/models", answer=_shorten(str(data)))
            ) from None


def list_models(server: RemoteServer) -> list[RemoteModel]:
    """The models ``server`` offers (``GET /v1/models``), with their served context windows
    where the listing states them."""
    client = _Client(server)
    try:
        return client.models()
    finally:
        client.close()


# ---------------------------------------------------------------------------------- backend


@dataclass
class _Outcome:
    """How the events of one exchange ended."""

    done: bool = False  # [DONE] came
    cancelled: bool = False  # Stop or terminate()
    got_data: bool = False


class RemoteBackend:
    """A model on an OpenAI-compatible server, as a ``Backend``.

    ``model_id`` None: the first model the server lists. ``options.n_ctx`` is the context size
    used when the server does not say its own; the other load options are the server's
    business. One request at a time; ``terminate`` may be called from any thread.
    """

    def __init__(
        self, server: RemoteServer, model_id: str | None = None, options: LoadOptions | None = None
    ) -> None:
        self.server = server
        self.model_id = model_id
        self.options = options or LoadOptions()
        self._client = _Client(server)
        self._status: RemoteModelStatus | None = None
        self._tokenizer: TokenizerKind = "estimate"
        self._bos: list[int] = []  # llama_cpp.server: what it puts before every text
        self._chat_cost: tuple[int, int] | None = None  # llama_cpp.server: (prompt, per message)
        self._token_counts: dict[str, int] = {}
        self._owned_by = ""
        self._send_extras = True
        self._active: set[_Exchange] = set()
        self._active_lock = threading.Lock()
        # Told "accepted" when the server took a request (it reads the prompt now) and "writing"
        # at the first piece of the reply; on the thread that reads the stream.
        self.on_phase: Callable[[str], None] = lambda _name: None

    # ------------------------------------------------------------------ Backend

    @property
    def loaded(self) -> bool:
        return self._status is not None

    @property
    def status(self) -> RemoteModelStatus:
        if self._status is None:
            raise GenerationError(translate("engine", "No model is loaded. Load a model first."))
        return self._status

    @property
    def tokenizer(self) -> TokenizerKind:
        """How tokens are counted (after ``load``): the server's tokenizer, or ``estimate``."""
        return self._tokenizer

    def load(
        self,
        on_progress: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> RemoteModelStatus:
        """Check the server and the model, find the served context size and the tokenizer."""
        report = on_progress or (lambda _p: None)
        start = time.perf_counter()
        self._status = None
        self._chat_cost = None
        self._token_counts.clear()

        def step(fraction: float) -> None:
            if cancel is not None and cancel.is_set():
                raise ModelLoadError(translate("engine", "Loading the model was cancelled."))
            report(fraction)

        step(0.0)
        models = self._client.models()
        model = self._choose(models)
        self.model_id = model.id
        self._owned_by = model.owned_by
        step(0.3)
        n_ctx, source = self._discover_context(model)
        step(0.6)
        self._tokenizer = self._probe_tokenizer()
        step(0.9)
        load_s = time.perf_counter() - start
        path = Path(model.id)
        info = GGUFInfo(
            path=path,
            file_size=0,
            version=0,
            architecture="remote",
            name=model.id,
            n_layers=0,
            n_embd=0,
            n_head=0,
            n_head_kv=0,
            key_length=0,
            value_length=0,
            context_length=n_ctx,
            n_params=0,
            file_type="",
            chat_template=None,
            vocab_size=0,
            split_count=1,
            metadata={},
        )
        backend = BackendInfo(
            name="Remote",
            gpu_offload=False,
            devices=(),
            system_info=f"{self.server.name} at {self.server.base_url}",
            cpu_kernels="remote",
            cpu_kernels_detail="",
        )
        self._status = RemoteModelStatus(
            path=path,
            info=info,
            backend=backend,
            n_ctx=n_ctx,
            n_threads=0,
            n_gpu_layers=0,
            load_s=load_s,
            warmup_s=0.0,
            server_name=self.server.name,
            server_url=self.server.base_url,
            context_source=source,
            tokenizer=self._tokenizer,
        )
        log.info(
            "remote model %s on %s: context %d (%s), tokens by %s",
            model.id,
            self.server.base_url,
            n_ctx,
            source,
            self._tokenizer,
        )
        report(1.0)
        return self._status

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams | None = None,
        cancel: threading.Event | None = None,
        continue_last: bool = False,
    ) -> Iterator[StreamEvent]:
        params = params or SamplingParams()
        cancel = cancel or threading.Event()
        start = time.perf_counter()
        status = self.status
        if not messages:
            raise GenerationError(translate("engine", "There is no message to answer."))
        if continue_last and (messages[-1].role != "assistant" or len(messages) < 2):
            raise GenerationError(
                translate("engine", "Only a reply of the assistant can be continued.")
            )
        if continue_last and self._tokenizer == "llama-cpp-python":
            raise GenerationError(
                translate(
                    "remote",
                    "This server (llama-cpp-python's llama_cpp.server) cannot continue a cut-off "
                    "reply: it always starts a new one. Ask for a new reply, or use a server "
                    "that continues replies (llama.cpp's llama-server, vLLM).",
                )
            )
        reserve = min(params.max_tokens, status.n_ctx // 4)
        kept, dropped, n_prompt = self._fit(messages, reserve, continue_last)
        if dropped:
            yield ContextTrimmed(dropped)
        body: dict[str, Any] = {
            "model": self.model_id,
            "messages": [{"role": m.role, "content": m.content} for m in kept],
        }
        if continue_last:
            body["continue_final_message"] = True
            body["add_generation_prompt"] = False
        yield from self._generate(
            "/v1/chat/completions", body, params, cancel, start, n_prompt, dropped
        )

    def stream_completion(
        self,
        prompt: str,
        params: SamplingParams | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[StreamEvent]:
        params = params or SamplingParams()
        cancel = cancel or threading.Event()
        start = time.perf_counter()
        n_ctx = self.status.n_ctx
        if not prompt:
            raise GenerationError(
                translate("engine", "There is no text to continue: write something first.")
            )
        n_prompt = len(self.tokenize(prompt, chat=False))
        if self._tokenizer != "estimate" and n_prompt >= n_ctx:
            raise ContextOverflowError(
                translate(
                    "remote",
                    "The text is {n_tokens} tokens but the context window of {model} on the "
                    "server holds {n_ctx}. Shorten it, or start the server with a larger "
                    "context size.",
                ).format(n_tokens=n_prompt, model=self.model_id, n_ctx=n_ctx)
            )
        body: dict[str, Any] = {"model": self.model_id, "prompt": prompt}
        yield from self._generate("/v1/completions", body, params, cancel, start, n_prompt, ())

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Prompt tokens of ``messages`` in the model's chat template: the server's count where
        it can render the template (llama-server, vLLM); for llama_cpp.server its tokenizer
        plus the template's cost measured once; elsewhere an estimate that errs high."""
        self.status  # noqa: B018 (raises when nothing is loaded)
        if not messages:
            return 0
        plain = [{"role": m.role, "content": m.content} for m in messages]
        if self._tokenizer == "llama-server":
            rendered = self._client.call("POST", "/apply-template", {"messages": plain})
            prompt = rendered.get("prompt") if isinstance(rendered, dict) else None
            if not isinstance(prompt, str):
                raise self._odd_answer("/apply-template", rendered)
            return len(self._server_tokens(prompt, add_special=True, parse_special=True))
        if self._tokenizer == "vllm":
            body = {"model": self.model_id, "messages": plain, "add_generation_prompt": True}
            answer = self._client.call("POST", "/tokenize", body)
            count = answer.get("count") if isinstance(answer, dict) else None
            if not isinstance(count, int) or count < 0:
                raise self._odd_answer("/tokenize", answer)
            return count
        if self._tokenizer == "llama-cpp-python":
            prompt_cost, per_message = self._template_cost()
            contents = sum(self._content_tokens(m.content) for m in messages)
            return prompt_cost + contents + per_message * (len(messages) - 1)
        return ESTIMATE_PROMPT_TOKENS + sum(
            _estimate(m.content) + ESTIMATE_MESSAGE_TOKENS for m in messages
        )

    def tokenize(self, text: str, *, chat: bool = True) -> list[int]:
        """Tokens of ``text`` by the server's tokenizer (chat: special tokens parsed, no BOS;
        raw: with the BOS). Where the server has no tokenizer route, the list has the estimated
        length and holds zeros: count with it, do not decode it."""
        self.status  # noqa: B018
        if self._tokenizer == "llama-server":
            return self._server_tokens(text, add_special=not chat, parse_special=chat)
        if self._tokenizer == "vllm":
            body = {"model": self.model_id, "prompt": text, "add_special_tokens": not chat}
            return self._tokens_of("/tokenize", self._client.call("POST", "/tokenize", body))
        if self._tokenizer == "llama-cpp-python":
            body = {"model": self.model_id, "input": text}
            path = "/extras/tokenize"
            tokens = self._tokens_of(path, self._client.call("POST", path, body))
            if chat and self._bos and tokens[: len(self._bos)] == self._bos:
                tokens = tokens[len(self._bos) :]
            return tokens
        return [0] * (_estimate(text) + (0 if chat else 1))

    def close(self) -> None:
        """End any running request and forget the model."""
        self.terminate()
        self._client.close()

    def terminate(self) -> None:
        """From any thread: end every running request now (each ends as cancelled). The
        backend must be loaded again to be used."""
        self._status = None
        with self._active_lock:
            running = list(self._active)
        for exchange in running:
            exchange.cut()

    # ------------------------------------------------------------------ loading

    def _choose(self, models: list[RemoteModel]) -> RemoteModel:
        if not models:
            raise RemoteModelNotFoundError(
                translate(
                    "remote",
                    "The server at {url} lists no models. Load a model on the server first.",
                ).format(url=self.server.base_url)
            )
        if self.model_id is None:
            return models[0]
        for wanted in (self.model_id, self.model_id + ":latest"):  # Ollama's default tag
            for model in models:
                if model.id == wanted:
                    return model
        ids = [m.id for m in models]
        raise RemoteModelNotFoundError(
            translate(
                "remote", "The server at {url} has no model {model}. It has: {models}."
            ).format(url=self.server.base_url, model=self.model_id, models=", ".join(ids)),
            ids,
        )

    def _discover_context(self, model: RemoteModel) -> tuple[int, str]:
        """The served context window, and where it came from ("setting": the user's)."""
        if model.context_length:
            return model.context_length, model.context_source
        query = urllib.parse.urlencode({"model": model.id})
        props = self._client.probe("GET", f"/props?{query}")
        if isinstance(props, dict):  # llama-server
            if value := _count(props.get("default_generation_settings"), "n_ctx"):
                return value, "default_generation_settings.n_ctx in /props"
            if value := _count(props, "n_ctx"):
                return value, "n_ctx in /props"
        version = self._client.probe("GET", "/api/version")
        if isinstance(version, dict) and "version" in version:  # Ollama
            running = self._client.probe("GET", "/api/ps")
            for item in running.get("models", []) if isinstance(running, dict) else []:
                if not isinstance(item, dict) or model.id not in (
                    item.get("name"),
                    item.get("model"),
                ):
                    continue
                if value := _count(item, "context_length"):
                    return value, "context_length in /api/ps"
            shown = self._client.probe("POST", "/api/show", {"model": model.id})
            parameters = shown.get("parameters") if isinstance(shown, dict) else None
            # model_info's "<arch>.context_length" is the training size, not the served one.
            if isinstance(parameters, str) and (match := _NUM_CTX.search(parameters)):
                return int(match.group(1)), "num_ctx in /api/show"
        quoted = urllib.parse.quote(model.id, safe="")
        studio = self._client.probe("GET", f"/api/v0/models/{quoted}")
        if value := _count(studio, "loaded_context_length"):
            return value, "loaded_context_length in /api/v0"
        return self.options.n_ctx, "setting"

    def _probe_tokenizer(self) -> TokenizerKind:
        """Which tokenize route the server has: asked once, remembered."""
        answer = self._client.probe(
            "POST", "/tokenize", {"content": "Hi", "add_special": False, "parse_special": True}
        )
        if _token_list(answer) is not None:
            return "llama-server"
        answer = self._client.probe(
            "POST",
            "/tokenize",
            {"model": self.model_id, "prompt": "Hi", "add_special_tokens": False},
        )
        if _token_list(answer) is not None:
            return "vllm"
        answer = self._client.probe(
            "POST", "/extras/tokenize", {"model": self.model_id, "input": ""}
        )
        empty = _token_list(answer)
        if empty is not None:
            self._bos = empty
            return "llama-cpp-python"
        return "estimate"

    # ------------------------------------------------------------------ counting

    def _server_tokens(self, text: str, *, add_special: bool, parse_special: bool) -> list[int]:
        body = {"content": text, "add_special": add_special, "parse_special": parse_special}
        return self._tokens_of("/tokenize", self._client.call("POST", "/tokenize", body))

    def _tokens_of(self, path: str, answer: Any) -> list[int]:
        tokens = _token_list(answer)
        if tokens is None:
            raise self._odd_answer(path, answer)
        return tokens

    def _odd_answer(self, path: str, answer: Any) -> RemoteServerError:
        return RemoteServerError(
            translate(
                "remote",
                "The server at {url} did not answer {path} like an OpenAI-compatible server: "
                "{answer}",
            ).format(url=self.server.base_url, path=path, answer=_shorten(str(answer)))
        )

    def _content_tokens(self, content: str) -> int:
        count = self._token_counts.get(content)
        if count is None:
            count = len(self.tokenize(content, chat=True))
            if len(self._token_counts) >= 512:
                self._token_counts.clear()
            self._token_counts[content] = count
        return count

    def _template_cost(self) -> tuple[int, int]:
        """llama_cpp.server renders the template only when it answers: the tokens of a
        one-message prompt beyond its text, and what each further message adds, measured once
        with two one-token replies (their ``usage``)."""
        if self._chat_cost is None:
            word = "Hi"
            one = self._prompt_usage([{"role": "user", "content": word}])
            three = self._prompt_usage(
                [
                    {"role": "user", "content": word},
                    {"role": "assistant", "content": word},
                    {"role": "user", "content": word},
                ]
            )
            n_word = self._content_tokens(word)
            if one is None or three is None:
                self._chat_cost = (ESTIMATE_PROMPT_TOKENS, ESTIMATE_MESSAGE_TOKENS)
            else:
                per_message = max(0, math.ceil((three - one - 2 * n_word) / 2))
                self._chat_cost = (max(0, one - n_word), per_message)
            log.debug("chat template cost on %s: %s", self.server.base_url, self._chat_cost)
        return self._chat_cost

    def _prompt_usage(self, messages: list[dict[str, str]]) -> int | None:
        body = {"model": self.model_id, "messages": messages, "max_tokens": 1, "temperature": 0}
        answer = self._client.call("POST", "/v1/chat/completions", body)
        usage = answer.get("usage") if isinstance(answer, dict) else None
        tokens = usage.get("prompt_tokens") if isinstance(usage, dict) else None
        return int(tokens) if _positive(tokens) else None

    def _fit(
        self, messages: Sequence[ChatMessage], reserve: int, continue_last: bool
    ) -> tuple[list[ChatMessage], tuple[int, ...], int]:
        """Like ``Engine.fit_messages``: system messages and the newest turns that fit with
        ``reserve`` tokens for the reply. When only estimates are known and even the newest
        message seems too long, the server decides."""
        n_ctx = self.status.n_ctx
        budget = n_ctx - reserve
        indexed = list(enumerate(messages))
        dropped: list[int] = []
        pinned = 2 if continue_last else 1
        while True:
            kept = [m for _, m in indexed]
            n_tokens = self.count_tokens(kept)
            if n_tokens <= budget:
                return kept, tuple(dropped), n_tokens
            remove = next_to_leave_out(kept, pinned)
            if remove is None:
                if self._tokenizer == "estimate":
                    return kept, tuple(dropped), n_tokens
                raise ContextOverflowError(
                    translate(
                        "remote",
                        "The message is too long for the context window of {model} on the "
                        "server: the prompt is {n_tokens} tokens and {reserve} more are kept for "
                        "the reply, but the window holds {n_ctx}. Shorten the message or the "
                        "system prompt, or start the server with a larger context size.",
                    ).format(model=self.model_id, n_tokens=n_tokens, reserve=reserve, n_ctx=n_ctx)
                )
            dropped.extend(indexed[k][0] for k in remove)
            indexed = [pair for k, pair in enumerate(indexed) if k not in remove]

    # ------------------------------------------------------------------ generation

    def _sampling(self, params: SamplingParams, n_prompt: int) -> dict[str, Any]:
        """The request fields for ``params``: OpenAI's, then llama.cpp's extras."""
        max_tokens = params.max_tokens
        if self._tokenizer != "estimate":  # vLLM refuses prompt + max_tokens > its window
            max_tokens = max(1, min(max_tokens, self.status.n_ctx - n_prompt))
        body: dict[str, Any] = {
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
        }
        if params.seed is not None:
            body["seed"] = params.seed
        stops = [s for s in params.stop if s][:MAX_SERVER_STOPS]
        if stops:
            body["stop"] = stops
        if params.frequency_penalty:
            body["frequency_penalty"] = params.frequency_penalty
        if params.presence_penalty:
            body["presence_penalty"] = params.presence_penalty
        if params.json_schema is not None:
            try:
                schema = json.loads(params.json_schema)
            except ValueError as exc:
                raise GenerationError(
                    translate("engine", "The JSON schema cannot be used: {error}").format(error=exc)
                ) from exc
            if self._tokenizer == "llama-cpp-python":  # it knows only json_object (+ schema)
                body["response_format"] = {"type": "json_object", "schema": schema}
            else:
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "reply", "schema": schema},
                }
        body["top_k"] = params.top_k
        body["min_p"] = params.min_p
        vllm = self._tokenizer == "vllm" or self._owned_by == "vllm"
        body["repetition_penalty" if vllm else "repeat_penalty"] = params.repeat_penalty
        return body

    def _generate(
        self,
        path: str,
        request: dict[str, Any],
        params: SamplingParams,
        cancel: threading.Event,
        start: float,
        n_prompt: int,
        dropped: tuple[int, ...],
    ) -> Iterator[StreamEvent]:
        chat = path == "/v1/chat/completions"
        body = {**request, **self._sampling(params, n_prompt)}
        if not self._send_extras:
            body = {k: v for k, v in body.items() if k not in _EXTRA_FIELDS}
        stops = StopStrings(params.stop)
        outcome = _Outcome()
        pieces: list[str] = []
        n_pieces = 0
        first: float | None = None
        finish: str | None = None
        usage: dict[str, Any] = {}
        timings: dict[str, Any] = {}
        events = self._server_events(path, body, cancel, outcome)
        try:
            for data in events:
                if isinstance(data.get("usage"), dict):
                    usage = data["usage"]
                if isinstance(data.get("timings"), dict):
                    timings = data["timings"]
                choices = data.get("choices")
                choice = choices[0] if isinstance(choices, list) and choices else None
                if not isinstance(choice, dict):
                    continue
                if chat:  # a "message" instead of a "delta": a server that did not stream
                    delta = choice.get("delta") or choice.get("message")
                    text = delta.get("content") if isinstance(delta, dict) else None
                else:
                    text = choice.get("text")
                if isinstance(choice.get("finish_reason"), str):
                    finish = choice["finish_reason"]
                if not isinstance(text, str) or not text:
                    continue
                if first is None:
                    first = time.perf_counter()
                    self.on_phase("writing")
                n_pieces += 1
                out, ended = stops.feed(text)
                if out:
                    pieces.append(out)
                    yield TextDelta(out)
                if ended:
                    finish = "stop"
                    break
        finally:
            events.close()  # cuts the request if it still runs
        if not stops.ended and (rest := stops.flush()):
            pieces.append(rest)
            yield TextDelta(rest)
        stop: StopReason
        if outcome.cancelled:
            stop = "cancelled"
        elif finish is not None or outcome.done:
            stop = "length" if finish == "length" else "eos"
        elif not outcome.got_data:
            raise GenerationError(
                translate(
                    "remote",
                    "The server ended the reply without sending anything. Its context window "
                    "({n_ctx} tokens) may be too small for this prompt; its own log says more.",
                ).format(n_ctx=self.status.n_ctx if self._status else 0)
            )
        else:
            raise GenerationError(
                translate("remote", "The server ended the reply before it was finished.")
            )
        yield Finished(
            "".join(pieces),
            _stats(start, first, stop, n_prompt, n_pieces, usage, timings, dropped),
        )

    def _server_events(
        self, path: str, body: dict[str, Any], cancel: threading.Event, outcome: _Outcome
    ) -> Generator[dict[str, Any], None, None]:
        """The JSON data of the reply's events, until ``[DONE]``, the end of the body, Stop or
        ``terminate()`` (``outcome`` says which). A server that refuses the extra fields gets
        the request once more without them."""
        retried = False
        while True:
            exchange = _Exchange(self.server, path, body)
            with self._active_lock:
                self._active.add(exchange)
            exchange.start()
            retry_body: dict[str, Any] | None = None
            try:
                while True:
                    item = self._next(exchange, cancel)
                    if item is None:
                        outcome.cancelled = True
                        return
                    if isinstance(item, _Phase):
                        if retried:
                            self._send_extras = False
                            log.info("%s refuses llama.cpp's extra fields", self.server.base_url)
                        self.on_phase(item.name)
                    elif isinstance(item, _Refused):
                        error = http_error(
                            self.server, path, item.status, item.body, item.content_type
                        )
                        extras = _EXTRA_FIELDS & body.keys()
                        if (
                            not retried
                            and extras
                            and item.status in (400, 422)
                            and type(error) is RemoteServerError
                        ):
                            retry_body = {k: v for k, v in body.items() if k not in extras}
                            break
                        raise error
                    elif isinstance(item, _Broken):
                        if item.before_answer and isinstance(
                            item.error, (requests.ConnectionError, requests.Timeout)
                        ):
                            raise unreachable(self.server, item.error)
                        raise GenerationError(
                            translate(
                                "remote",
                                "The connection to the server broke while it was writing the "
                                "reply: {error}",
                            ).format(error=_shorten(str(item.error), 200))
                        )
                    elif isinstance(item, _End):
                        return
                    else:
                        data = _event_data(item)
                        if data is None:
                            continue
                        if isinstance(data, str):  # [DONE]
                            outcome.done = True
                            return
                        outcome.got_data = True
                        yield data
            finally:
                exchange.cut()
                with self._active_lock:
                    self._active.discard(exchange)
            if retry_body is None:
                return
            body, retried = retry_body, True

    def _next(self, exchange: _Exchange, cancel: threading.Event) -> _Item | None:
        """The exchange's next item; None once Stop or ``terminate()`` ended it (checked before
        every item, so nothing is shown after Stop)."""
        while True:
            try:
                item: _Item | None = exchange.items.get(timeout=_POLL_S)
            except queue.Empty:
                item = None
            # Checked after the wait too: what a cut makes the thread report (a broken
            # connection) is the Stop, not a failure.
            if cancel.is_set() or exchange.was_cut:
                exchange.cut()
                return None
            if item is not None:
                return item


def _event_data(event: _Event) -> dict[str, Any] | str | None:
    """An event's JSON object, ``"[DONE]"``, or None for one to skip; a server's error event
    raises GenerationError with its message."""
    text = event.data.strip()
    if text == "[DONE]":
        return text
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    failed = event.name == "error" or (isinstance(data, dict) and "error" in data)
    if failed:
        message = parse_error_body(text.encode("utf-8")).message if text else ""
        raise GenerationError(
            translate("remote", "The server failed while writing the reply: {message}").format(
                message=message or translate("remote", "no message")
            )
        )
    if not isinstance(data, dict):
        if text:
            log.debug("skipped an event that is not a JSON object: %.200s", text)
        return None
    return data


def _token_list(answer: object) -> list[int] | None:
    tokens = answer.get("tokens") if isinstance(answer, dict) else None
    if not isinstance(tokens, list):
        return None
    result = []
    for token in tokens:
        if isinstance(token, dict):  # llama-server's with_pieces shape
            token = token.get("id")
        if not isinstance(token, int):
            return None
        result.append(token)
    return result


def _estimate(text: str) -> int:
    return math.ceil(len(text.encode("utf-8")) / ESTIMATE_BYTES_PER_TOKEN)


def _number(mapping: dict[str, Any], key: str) -> float | None:
    value = mapping.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


def _stats(
    start: float,
    first: float | None,
    stop: StopReason,
    n_prompt: int,
    n_pieces: int,
    usage: dict[str, Any],
    timings: dict[str, Any],
    dropped: tuple[int, ...],
) -> GenerationStats:
    """The stats of a reply from the server's ``usage`` (and llama-server's ``timings``), else
    from what was counted here."""
    now = time.perf_counter()
    prompt_tokens = int(_number(usage, "prompt_tokens") or n_prompt)
    completion = _number(usage, "completion_tokens")
    completion_tokens = int(completion) if completion is not None else n_pieces
    details = usage.get("prompt_tokens_details")
    cached = _number(details, "cached_tokens") if isinstance(details, dict) else None
    evaluated = _number(timings, "prompt_n")
    if evaluated is None:
        evaluated = max(0.0, prompt_tokens - (cached or _number(timings, "cache_n") or 0.0))
    ttft = (first if first is not None else now) - start
    gen_s = now - first if first is not None else 0.0
    speed = _number(timings, "predicted_per_second")
    if speed is None:
        speed = (completion_tokens - 1) / gen_s if completion_tokens > 1 and gen_s > 0 else 0.0
    prefill = _number(timings, "prompt_per_second")
    if prefill is None:
        prefill = evaluated / ttft if first is not None and ttft > 0 else 0.0
    return GenerationStats(
        prompt_tokens=prompt_tokens,
        prompt_eval_tokens=int(evaluated),
        completion_tokens=completion_tokens,
        ttft_s=ttft,
        tokens_per_s=speed,
        prefill_tokens_per_s=prefill,
        total_s=now - start,
        stop_reason=stop,
        dropped_messages=dropped,
        threads=0,
    )
