"""The API server's HTTP side: OpenAI's and Ollama's routes over a ``Runner``.

Starlette (routing, requests, streaming responses) on uvicorn: a small ASGI stack that starts in
a few hundred milliseconds, packages without data files, and is imported only when the server is
switched on (``gptdesk serve`` or the Settings switch), so the window's start pays nothing.

Every request waits its turn in the runner; its handler awaits the ticket's events. A client
that goes away cancels its request at once, also while the prompt is still being evaluated
(``_watch_disconnect``). Errors are OpenAI's shape (``{"error": {...}}``) on /v1 and Ollama's
(``{"error": "..."}``) on /api; a prompt that does not fit is a 400 before any stream starts;
a failure after the stream started is sent as an error event.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from gptdesk import __version__
from gptdesk.core.errors import (
    ContextOverflowError,
    EngineCrashedError,
    GptdeskError,
    RequestRejectedError,
)
from gptdesk.core.i18n import translate
from gptdesk.core.inference.backend import Finished, TextDelta
from gptdesk.core.serve import parsing
from gptdesk.core.serve.parsing import ApiError, ChatRequest
from gptdesk.core.serve.runner import (
    END,
    NO_MODEL,
    NoModelError,
    QueueFullError,
    Runner,
    ServedModel,
    Started,
    Ticket,
)
from gptdesk.core.serve.security import Guard, GuardOptions

OLLAMA_API_VERSION = "0.6.0"  # the Ollama API level /api follows (clients check it)
RETRY_AFTER_S = 2
FINISH = {"eos": "stop", "length": "length"}


def error_for(exc: BaseException, *, param: str = "messages") -> ApiError:
    """The HTTP error for what a request raised."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, ContextOverflowError):
        return ApiError(400, str(exc), param=param, code="context_length_exceeded")
    if isinstance(exc, RequestRejectedError):
        return ApiError(400, str(exc), param="response_format", code="invalid_value")
    if isinstance(exc, QueueFullError):
        return ApiError(
            429,
            str(exc),
            type="requests",
            code="rate_limit_exceeded",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    if isinstance(exc, NoModelError):
        return ApiError(503, str(exc), type="server_error", code="model_not_loaded")
    if isinstance(exc, EngineCrashedError):
        return ApiError(500, str(exc), type="server_error", code="engine_crashed")
    if isinstance(exc, GptdeskError):
        return ApiError(500, str(exc), type="server_error", code="generation_failed")
    return ApiError(500, f"The server failed: {type(exc).__name__}: {exc}", type="server_error")


def openai_error(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


def ollama_error(error: ApiError) -> JSONResponse:
    return JSONResponse({"error": error.message}, status_code=error.status, headers=error.headers)


async def _watch_disconnect(request: Request, ticket: Ticket) -> None:
    """Cancel the ticket when the client goes away (the body has been read, so the next ASGI
    message is the disconnect)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            ticket.cancel.set()
            return


class Reply:
    """One running request: its ticket, and the watcher that cancels it on disconnect."""

    def __init__(self, request: Request, ticket: Ticket) -> None:
        self.ticket = ticket
        self._watcher = asyncio.create_task(_watch_disconnect(request, ticket))
        self.prompt_tokens = 0
        self.done = False

    async def start(self) -> None:
        """Wait for the request's turn and its prompt check; raise what it failed with."""
        item = await self.ticket.next()
        if isinstance(item, BaseException):
            await self.close()
            raise item
        if not isinstance(item, Started):  # END: cancelled before its turn
            await self.close()
            raise _stopped_elsewhere()  # (a client that left reads no answer anyway)
        self.prompt_tokens = item.prompt_tokens

    async def events(self) -> AsyncIterator[TextDelta | Finished]:
        """The reply's pieces and its Finished event; errors are raised."""
        try:
            while True:
                item = await self.ticket.next()
                if item is END:
                    self.done = True
                    return
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, TextDelta | Finished):
                    yield item
        finally:
            await self.close()

    async def close(self) -> None:
        if not self.done:  # the client left (or the stream was closed): stop the model
            self.ticket.cancel.set()
        self._watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._watcher


def _usage(prompt_tokens: int, finished: Finished | None) -> dict[str, int]:
    completion = finished.stats.completion_tokens if finished else 0
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion,
        "total_tokens": prompt_tokens + completion,
    }


def _stopped_elsewhere() -> ApiError:
    return ApiError(
        503,
        "The request was stopped in gptdesk (the model was switched, unloaded or the app quit).",
        type="server_error",
        code="cancelled",
    )


def _finish_reason(finished: Finished) -> str:
    reason = FINISH.get(finished.stats.stop_reason)
    if reason is None:
        raise _stopped_elsewhere()
    return reason


def _sse(data: dict[str, Any] | str) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"data: {text}\n\n".encode()


class Api:
    """The routes, bound to one runner."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self.fingerprint = f"gptdesk-{__version__}"

    # ------------------------------------------------------------------ shared

    def _model(self, name: str | None, *, param: str = "model") -> ServedModel:
        model = self.runner.model()
        if model is None:
            raise error_for(NoModelError(translate("serve", NO_MODEL)))
        if not model.answers_to(name):
            raise ApiError(
                404,
                f"The model '{name}' is not loaded here; this server answers with '{model.id}'.",
                param=param,
                code="model_not_found",
            )
        return model

    async def _begin(self, request: Request, parsed: ChatRequest) -> tuple[ServedModel, Reply]:
        model = self._model(parsed.model)
        ticket = Ticket()
        try:
            self.runner.submit(parsed.work, ticket)
        except GptdeskError as exc:
            raise error_for(exc) from exc
        reply = Reply(request, ticket)
        param = "messages" if parsed.work.kind == "chat" else "prompt"
        try:
            await reply.start()
        except (GptdeskError, ApiError) as exc:
            raise error_for(exc, param=param) from exc
        return model, reply

    @staticmethod
    async def _body(request: Request) -> dict[str, Any]:
        return parsing.parse_json(await request.body())

    # ------------------------------------------------------------------ OpenAI

    async def health(self, request: Request) -> Response:
        model = self.runner.model()
        if model is None:
            return JSONResponse({"status": "no model loaded"}, status_code=503)
        # "queued": requests running or waiting for the model (the window's own, in the app).
        return JSONResponse(
            {"status": "ok", "model": model.id, "queued": self.runner.queue_length()}
        )

    def _model_card(self, model: ServedModel) -> dict[str, Any]:
        return {
            "id": model.id,
            "object": "model",
            "created": model.created,
            "owned_by": "gptdesk",
            # The window it was loaded with (vLLM's name, and LM Studio's): clients size
            # their prompts by it.
            "max_model_len": model.n_ctx,
            "context_length": model.n_ctx,
        }

    async def models(self, request: Request) -> Response:
        model = self.runner.model()
        data = [self._model_card(model)] if model is not None else []
        return JSONResponse({"object": "list", "data": data})

    async def model(self, request: Request) -> Response:
        name = request.path_params["name"]
        model = self.runner.model()
        if model is None or not model.answers_to(name):
            return openai_error(
                ApiError(404, f"The model '{name}' does not exist here.", code="model_not_found")
            )
        return JSONResponse(self._model_card(model))

    async def chat_completions(self, request: Request) -> Response:
        return await self._openai(request, chat=True)

    async def completions(self, request: Request) -> Response:
        return await self._openai(request, chat=False)

    async def _openai(self, request: Request, *, chat: bool) -> Response:
        try:
            body = await self._body(request)
            parsed = parsing.parse_chat(body) if chat else parsing.parse_completion(body)
            model, reply = await self._begin(request, parsed)
        except ApiError as error:
            return openai_error(error)
        prefix = "chatcmpl" if chat else "cmpl"
        ident = f"{prefix}-{uuid.uuid4().hex}"
        created = int(time.time())
        obj = "chat.completion" if chat else "text_completion"
        if parsed.stream:
            return StreamingResponse(
                self._openai_stream(reply, ident, created, model.id, chat, parsed.include_usage),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        pieces: list[str] = []
        finished: Finished | None = None
        try:
            async for event in reply.events():
                if isinstance(event, Finished):
                    finished = event
                else:
                    pieces.append(event.text)
            if finished is None:
                raise _stopped_elsewhere()
            reason = _finish_reason(finished)
        except (GptdeskError, ApiError) as exc:
            return openai_error(error_for(exc))
        text = "".join(pieces)
        choice: dict[str, Any] = {"index": 0, "finish_reason": reason, "logprobs": None}
        if chat:
            choice["message"] = {"role": "assistant", "content": text, "refusal": None}
        else:
            choice["text"] = text
        return JSONResponse(
            {
                "id": ident,
                "object": obj,
                "created": created,
                "model": model.id,
                "system_fingerprint": self.fingerprint,
                "choices": [choice],
                "usage": _usage(reply.prompt_tokens, finished),
            }
        )

    async def _openai_stream(
        self,
        reply: Reply,
        ident: str,
        created: int,
        model: str,
        chat: bool,
        include_usage: bool,
    ) -> AsyncIterator[bytes]:
        obj = "chat.completion.chunk" if chat else "text_completion"

        def chunk(delta: str | None, reason: str | None, *, first: bool = False) -> bytes:
            choice: dict[str, Any] = {"index": 0, "finish_reason": reason, "logprobs": None}
            if chat:
                content: dict[str, Any] = {}
                if first:
                    content["role"] = "assistant"
                if delta is not None:
                    content["content"] = delta
                choice["delta"] = content
            else:
                choice["text"] = delta or ""
            data: dict[str, Any] = {
                "id": ident,
                "object": obj,
                "created": created,
                "model": model,
                "system_fingerprint": self.fingerprint,
                "choices": [choice],
            }
            if include_usage:
                data["usage"] = None
            return _sse(data)

        if chat:
            yield chunk("", None, first=True)
        finished: Finished | None = None
        try:
            async for event in reply.events():
                if isinstance(event, Finished):
                    finished = event
                else:
                    yield chunk(event.text, None)
            if finished is None:
                raise _stopped_elsewhere()
            yield chunk(None, _finish_reason(finished))
        except (GptdeskError, ApiError) as exc:
            # The stream has begun (status 200 is sent): the error goes as an event.
            yield _sse(error_for(exc).body())
            yield _sse("[DONE]")
            return
        if include_usage:
            yield _sse(
                {
                    "id": ident,
                    "object": obj,
                    "created": created,
                    "model": model,
                    "system_fingerprint": self.fingerprint,
                    "choices": [],
                    "usage": _usage(reply.prompt_tokens, finished),
                }
            )
        yield _sse("[DONE]")

    # ------------------------------------------------------------------ Ollama

    async def ollama_version(self, request: Request) -> Response:
        return JSONResponse({"version": OLLAMA_API_VERSION})

    def _ollama_card(self, model: ServedModel) -> dict[str, Any]:
        info = model.status.info
        modified = datetime.fromtimestamp(model.created, tz=timezone.utc).isoformat()
        # Ollama's digest is the file's sha256; hashing gigabytes per listing is not worth it,
        # so this is a stable stand-in made of the file's path, size and time.
        digest = hashlib.sha256(
            f"{model.status.path}|{info.file_size}|{model.created}".encode()
        ).hexdigest()
        return {
            "name": model.id,
            "model": model.id,
            "modified_at": modified,
            "size": info.file_size,
            "digest": digest,
            "details": {
                "parent_model": "",
                "format": "gguf",
                "family": info.architecture,
                "families": [info.architecture],
                "parameter_size": _parameter_size(info.n_params),
                "quantization_level": info.file_type,
            },
        }

    async def ollama_tags(self, request: Request) -> Response:
        model = self.runner.model()
        return JSONResponse({"models": [self._ollama_card(model)] if model else []})

    async def ollama_ps(self, request: Request) -> Response:
        model = self.runner.model()
        if model is None:
            return JSONResponse({"models": []})
        card = self._ollama_card(model)
        card.update(size_vram=0, expires_at="0001-01-01T00:00:00Z", context_length=model.n_ctx)
        return JSONResponse({"models": [card]})

    async def ollama_show(self, request: Request) -> Response:
        try:
            body = await self._body(request)
            name = body.get("model") or body.get("name")
            model = self._model(name if isinstance(name, str) else None)
        except ApiError as error:
            return ollama_error(error)
        info = model.status.info
        card = self._ollama_card(model)
        return JSONResponse(
            {
                "modelfile": f"FROM {model.status.path}\n",
                "parameters": f"num_ctx {model.n_ctx}",
                "template": info.chat_template or "",
                "details": card["details"],
                "model_info": {
                    "general.architecture": info.architecture,
                    "general.parameter_count": info.n_params,
                    f"{info.architecture}.context_length": model.n_ctx,
                },
                "capabilities": ["completion"],
                "modified_at": card["modified_at"],
            }
        )

    async def ollama_chat(self, request: Request) -> Response:
        return await self._ollama(request, chat=True)

    async def ollama_generate(self, request: Request) -> Response:
        return await self._ollama(request, chat=False)

    async def _ollama(self, request: Request, *, chat: bool) -> Response:
        try:
            body = await self._body(request)
            if chat:
                parsed: ChatRequest | None = parsing.parse_ollama_chat(body)
            else:
                parsed = parsing.parse_ollama_generate(body)
            if parsed is None:  # an empty prompt: Ollama's way to load a model
                model = self._model(
                    body.get("model") if isinstance(body.get("model"), str) else None
                )
                return JSONResponse(
                    {
                        "model": model.id,
                        "created_at": _now(),
                        "response": "",
                        "done": True,
                        "done_reason": "load",
                    }
                )
            model, reply = await self._begin(request, parsed)
        except ApiError as error:
            return ollama_error(error)
        key = "message" if chat else "response"

        def piece(text: str) -> dict[str, Any]:
            return {"role": "assistant", "content": text} if chat else text  # type: ignore[return-value]

        def final(finished: Finished) -> dict[str, Any]:
            st = finished.stats
            ns = 1_000_000_000
            return {
                "model": model.id,
                "created_at": _now(),
                key: piece(""),
                "done": True,
                "done_reason": _finish_reason(finished),
                "total_duration": int(st.total_s * ns),
                "load_duration": 0,
                "prompt_eval_count": reply.prompt_tokens,
                "prompt_eval_duration": int(st.ttft_s * ns),
                "eval_count": st.completion_tokens,
                "eval_duration": int(max(st.total_s - st.ttft_s, 0) * ns),
            }

        if parsed.stream:

            async def lines() -> AsyncIterator[bytes]:
                try:
                    async for event in reply.events():
                        if isinstance(event, Finished):
                            yield _ndjson(final(event))
                            return
                        yield _ndjson(
                            {
                                "model": model.id,
                                "created_at": _now(),
                                key: piece(event.text),
                                "done": False,
                            }
                        )
                    raise _stopped_elsewhere()
                except (GptdeskError, ApiError) as exc:
                    yield _ndjson({"error": error_for(exc).message})

            return StreamingResponse(lines(), media_type="application/x-ndjson")
        pieces: list[str] = []
        try:
            async for event in reply.events():
                if isinstance(event, Finished):
                    result = final(event)
                    result[key] = piece("".join(pieces))
                    return JSONResponse(result)
                pieces.append(event.text)
            raise _stopped_elsewhere()
        except (GptdeskError, ApiError) as exc:
            return ollama_error(error_for(exc))

    # ------------------------------------------------------------------ app

    def routes(self) -> list[Route]:
        return [
            Route("/health", self.health, methods=["GET"]),
            Route("/v1/models", self.models, methods=["GET"]),
            Route("/v1/models/{name:path}", self.model, methods=["GET"]),
            Route("/v1/chat/completions", self.chat_completions, methods=["POST"]),
            Route("/v1/completions", self.completions, methods=["POST"]),
            Route("/api/version", self.ollama_version, methods=["GET"]),
            Route("/api/tags", self.ollama_tags, methods=["GET"]),
            Route("/api/ps", self.ollama_ps, methods=["GET"]),
            Route("/api/show", self.ollama_show, methods=["POST"]),
            Route("/api/chat", self.ollama_chat, methods=["POST"]),
            Route("/api/generate", self.ollama_generate, methods=["POST"]),
        ]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def _ndjson(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode()


def _parameter_size(n_params: int) -> str:
    if n_params >= 1_000_000_000:
        return f"{n_params / 1e9:.1f}B"
    return f"{n_params / 1e6:.0f}M"


async def _not_found(request: Request, exc: Exception) -> Response:
    return openai_error(ApiError(404, f"There is no {request.url.path} here.", code="not_found"))


async def _wrong_method(request: Request, exc: Exception) -> Response:
    return openai_error(
        ApiError(405, f"{request.method} is not allowed on {request.url.path}.", code="method")
    )


def create_app(runner: Runner, options: GuardOptions) -> Callable[[Any, Any, Any], Awaitable[None]]:
    """The ASGI app: the routes behind the guard (host, origin, key, content type, size)."""
    app = Starlette(
        routes=Api(runner).routes(),
        exception_handlers={404: _not_found, 405: _wrong_method},
    )
    return Guard(app, options)
