"""Reading API requests (OpenAI's and Ollama's JSON bodies) into ``Work``.

Unknown fields are ignored, never rejected: clients send fields of newer API versions, and a
400 for them breaks whole tools (GPT4All's did so for Continue). What gptdesk does not offer
(several choices, tools, log-probabilities, images) is refused with a 400 that names the field,
never answered silently wrong.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gptdesk.core.inference.backend import ChatMessage, Role, SamplingParams
from gptdesk.core.serve.runner import Work

ROLES: dict[str, Role] = {
    "system": "system",
    "developer": "system",  # OpenAI's newer name for the system role
    "user": "user",
    "assistant": "assistant",
}


class ApiError(Exception):
    """A request the server answers with an error: HTTP status and OpenAI's error fields."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """OpenAI's error shape."""
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }


def invalid(param: str, message: str) -> ApiError:
    return ApiError(400, message, param=param, code="invalid_value")


def unsupported(param: str, what: str) -> ApiError:
    return ApiError(
        400,
        f"'{param}' is not supported by gptdesk: {what}.",
        param=param,
        code="unsupported_parameter",
    )


@dataclass(frozen=True)
class ChatRequest:
    """A parsed /v1/chat/completions or /v1/completions request."""

    model: str | None
    work: Work
    stream: bool
    include_usage: bool


def parse_json(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or a 400."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return body


def _number(
    body: Mapping[str, Any], key: str, low: float, high: float, *, param: str | None = None
) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise invalid(param or key, f"'{param or key}' must be a number.")
    if not low <= value <= high:
        raise invalid(param or key, f"'{param or key}' must be between {low:g} and {high:g}.")
    return float(value)


def _integer(
    body: Mapping[str, Any], key: str, low: int, *, param: str | None = None
) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(param or key, f"'{param or key}' must be an integer.")
    if value < low:
        raise invalid(param or key, f"'{param or key}' must be at least {low}.")
    return value


def _stops(value: Any, param: str = "stop") -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return tuple(s for s in value if s)
    raise invalid(param, f"'{param}' must be a string or a list of strings.")


def _refuse_unoffered(body: Mapping[str, Any]) -> None:
    n = body.get("n")
    if n is not None and n != 1:
        raise unsupported("n", "it returns one choice per request; send n=1 or leave it out")
    if body.get("tools"):
        raise unsupported("tools", "tool calls are not offered; leave 'tools' out")
    if body.get("functions"):
        raise unsupported("functions", "function calls are not offered")
    if body.get("logprobs"):
        raise unsupported("logprobs", "log-probabilities are not offered")
    if body.get("top_logprobs"):
        raise unsupported("top_logprobs", "log-probabilities are not offered")
    if body.get("logit_bias"):
        raise unsupported("logit_bias", "token biases are not offered")
    best_of = body.get("best_of")
    if best_of is not None and best_of != 1:
        raise unsupported("best_of", "it returns one choice per request")
    if body.get("echo"):
        raise unsupported("echo", "the prompt is not repeated in the reply")
    if body.get("suffix"):
        raise unsupported("suffix", "fill-in-the-middle is not offered")
    modalities = body.get("modalities")
    if isinstance(modalities, list) and any(m != "text" for m in modalities):
        raise unsupported("modalities", "replies are text only")


def _json_schema(value: Any) -> str | None:
    """``response_format`` as the JSON schema text the engine's grammar follows."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid("response_format", "'response_format' must be an object.")
    kind = value.get("type")
    if kind in (None, "text"):
        return None
    if kind == "json_object":
        return json.dumps({"type": "object"})
    if kind == "json_schema":
        spec = value.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        if not isinstance(schema, dict):
            raise invalid(
                "response_format.json_schema.schema",
                "'response_format.json_schema.schema' must be a JSON schema object.",
            )
        return json.dumps(schema)
    raise invalid(
        "response_format.type", "'response_format.type' must be text, json_object or json_schema."
    )


def _sampling(body: Mapping[str, Any]) -> SamplingParams:
    """OpenAI's sampling fields (and llama.cpp's top_k, min_p, repeat_penalty, which llama-server
    and vLLM accept too); what is left out keeps gptdesk's defaults."""
    defaults = SamplingParams()
    seed = body.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise invalid("seed", "'seed' must be an integer.")
    top_k = _integer(body, "top_k", 0)
    values = {
        "temperature": _number(body, "temperature", 0, 2),
        "top_p": _number(body, "top_p", 0, 1),
        "min_p": _number(body, "min_p", 0, 1),
        "repeat_penalty": _number(body, "repeat_penalty", 0, 10),
        "frequency_penalty": _number(body, "frequency_penalty", -2, 2),
        "presence_penalty": _number(body, "presence_penalty", -2, 2),
    }
    chosen = {k: v for k, v in values.items() if v is not None}
    return SamplingParams(
        **chosen,  # type: ignore[arg-type]
        top_k=top_k if top_k is not None else defaults.top_k,
        seed=seed & 0xFFFFFFFF if seed is not None else None,  # llama.cpp's seed is 32 bits
        stop=_stops(body.get("stop")),
        json_schema=_json_schema(body.get("response_format")),
    )


def _max_tokens(body: Mapping[str, Any]) -> int | None:
    """``max_completion_tokens``, else the older ``max_tokens``; None: to the end of the
    context window."""
    value = _integer(body, "max_completion_tokens", 1)
    return value if value is not None else _integer(body, "max_tokens", 1)


def _content(value: Any, where: str) -> str:
    """A message's content: a string, or an array of text parts (joined)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        texts = []
        for i, part in enumerate(value):
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "text" and isinstance(part.get("text"), str):
                texts.append(part["text"])
            elif kind in ("image_url", "input_image", "input_audio", "file"):
                raise unsupported(f"{where}.content[{i}]", f"{kind} parts; send text only")
            else:
                raise invalid(
                    f"{where}.content[{i}]", f"'{where}.content[{i}]' must be a text part."
                )
        return "\n".join(texts)
    raise invalid(f"{where}.content", f"'{where}.content' must be a string or an array.")


def parse_messages(value: Any) -> tuple[ChatMessage, ...]:
    if not isinstance(value, list) or not value:
        raise invalid("messages", "'messages' must be a non-empty array.")
    messages = []
    for i, message in enumerate(value):
        where = f"messages[{i}]"
        if not isinstance(message, dict):
            raise invalid(where, f"'{where}' must be an object.")
        role = message.get("role")
        if role in ("tool", "function"):
            raise unsupported(f"{where}.role", "tool results are not offered")
        if role not in ROLES:
            raise invalid(
                f"{where}.role", f"'{where}.role' must be system, developer, user or assistant."
            )
        if message.get("tool_calls"):
            raise unsupported(f"{where}.tool_calls", "tool calls are not offered")
        messages.append(ChatMessage(ROLES[role], _content(message.get("content"), where)))
    if messages[-1].role == "assistant":
        raise invalid(
            "messages", "The last message must be from the user (or system), not the assistant."
        )
    return tuple(messages)


def _model(body: Mapping[str, Any]) -> str | None:
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise invalid("model", "'model' must be a string.")
    return model


def _stream(body: Mapping[str, Any]) -> tuple[bool, bool]:
    stream = bool(body.get("stream") or False)
    options = body.get("stream_options")
    include_usage = bool(isinstance(options, dict) and options.get("include_usage"))
    return stream, include_usage and stream


def parse_chat(body: Mapping[str, Any]) -> ChatRequest:
    """A /v1/chat/completions body."""
    _refuse_unoffered(body)
    tool_choice = body.get("tool_choice")
    if tool_choice not in (None, "none", "auto"):
        raise unsupported("tool_choice", "tool calls are not offered")
    messages = parse_messages(body.get("messages"))
    stream, include_usage = _stream(body)
    work = Work("chat", _sampling(body), _max_tokens(body), messages=messages)
    return ChatRequest(_model(body), work, stream, include_usage)


def parse_completion(body: Mapping[str, Any]) -> ChatRequest:
    """A /v1/completions body (one prompt string)."""
    _refuse_unoffered(body)
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if isinstance(prompt, list):
        raise unsupported("prompt", "one prompt per request (a string), not a batch or tokens")
    if not isinstance(prompt, str) or not prompt:
        raise invalid("prompt", "'prompt' must be a non-empty string.")
    stream, include_usage = _stream(body)
    work = Work("completion", _sampling(body), _max_tokens(body), prompt=prompt)
    return ChatRequest(_model(body), work, stream, include_usage)


# ---------------------------------------------------------------------------------- Ollama


def _ollama_sampling(body: Mapping[str, Any]) -> tuple[SamplingParams, int | None]:
    options = body.get("options") or {}
    if not isinstance(options, dict):
        raise invalid("options", "'options' must be an object.")
    fmt = body.get("format")
    schema: str | None = None
    if fmt == "json":
        schema = json.dumps({"type": "object"})
    elif isinstance(fmt, dict):
        schema = json.dumps(fmt)
    elif fmt not in (None, ""):
        raise invalid("format", "'format' must be \"json\" or a JSON schema object.")
    num_predict = options.get("num_predict")
    if num_predict is not None and (
        isinstance(num_predict, bool) or not isinstance(num_predict, int)
    ):
        raise invalid("options.num_predict", "'options.num_predict' must be an integer.")
    max_tokens = num_predict if num_predict is not None and num_predict > 0 else None
    params = _sampling(
        {
            "temperature": options.get("temperature"),
            "top_p": options.get("top_p"),
            "top_k": options.get("top_k"),
            "min_p": options.get("min_p"),
            "repeat_penalty": options.get("repeat_penalty"),
            "frequency_penalty": options.get("frequency_penalty"),
            "presence_penalty": options.get("presence_penalty"),
            "seed": options.get("seed"),
            "stop": options.get("stop"),
        }
    )
    if schema is not None:
        params = SamplingParams(**{**params.__dict__, "json_schema": schema})
    return params, max_tokens


def _refuse_images(body: Mapping[str, Any]) -> None:
    if body.get("images"):
        raise unsupported("images", "images are not offered; send text only")
    if body.get("tools"):
        raise unsupported("tools", "tool calls are not offered; leave 'tools' out")


def parse_ollama_chat(body: Mapping[str, Any]) -> ChatRequest:
    """An Ollama /api/chat body (it streams unless ``stream`` is false)."""
    _refuse_images(body)
    raw_messages = body.get("messages")
    if isinstance(raw_messages, list):
        for message in raw_messages:
            if isinstance(message, dict):
                _refuse_images(message)
    messages = parse_messages(raw_messages)
    params, max_tokens = _ollama_sampling(body)
    stream = body.get("stream", True) is not False
    return ChatRequest(
        _model(body), Work("chat", params, max_tokens, messages=messages), stream, False
    )


def parse_ollama_generate(body: Mapping[str, Any]) -> ChatRequest | None:
    """An Ollama /api/generate body; None for an empty prompt (Ollama's "load the model")."""
    _refuse_images(body)
    prompt = body.get("prompt") or ""
    if not isinstance(prompt, str):
        raise invalid("prompt", "'prompt' must be a string.")
    if body.get("suffix"):
        raise unsupported("suffix", "fill-in-the-middle is not offered")
    if not prompt:
        return None
    params, max_tokens = _ollama_sampling(body)
    stream = body.get("stream", True) is not False
    if body.get("raw"):
        work = Work("completion", params, max_tokens, prompt=prompt)
    else:
        system = body.get("system")
        messages = [ChatMessage("system", system)] if isinstance(system, str) and system else []
        messages.append(ChatMessage("user", prompt))
        work = Work("chat", params, max_tokens, messages=tuple(messages))
    return ChatRequest(_model(body), work, stream, False)
