"""The inference engine: one loaded GGUF model driven through llama-cpp-python.

An ``Engine`` implements the ``Backend`` interface in the process that calls it. The app and
the CLI run it inside the engine host process (``host.py``), so that native crashes and runaway
chat templates end that process, not the window. An ``Engine`` is created, used and closed on
one thread; only ``threading.Event`` objects cross threads: the cancel event of a request.

Why not ``Llama.create_completion(stream=True)``: it re-detokenizes the whole completion on
every token, evaluates the whole prompt before it can be interrupted, and ends streams with
``errors="ignore"``. Here the prompt is evaluated in chunks with a cancel check between chunks
(and llama.cpp's abort callback inside a chunk), tokens are decoded one piece at a time through
an incremental UTF-8 decoder, and ``Llama.generate`` only samples from the already-filled cache.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import io
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import psutil

from gptdesk.core.errors import (
    ContextOverflowError,
    GenerationError,
    InsufficientMemoryError,
    ModelLoadError,
    RequestRejectedError,
)
from gptdesk.core.i18n import translate
from gptdesk.core.inference import llama_log
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
    round_ctx,
)
from gptdesk.core.inference.devices import (
    BackendInfo,
    auto_gpu_layers,
    default_threads,
    probe_backend,
)
from gptdesk.core.inference.fit import estimate_fit
from gptdesk.core.inference.gguf_file import GGUFInfo, read_gguf
from gptdesk.core.inference.stop_strings import StopStrings
from gptdesk.core.inference.threads import ThreadGovernor

if TYPE_CHECKING:
    from llama_cpp import Llama
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter
    from llama_cpp.llama_grammar import LlamaGrammar

log = logging.getLogger(__name__)

# Used when a GGUF has no chat template (rare in current conversions): ChatML.
FALLBACK_CHAT_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content']"
    " + '<|im_end|>' + '\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


@dataclass(frozen=True)
class FitResult:
    """The messages that fit the window, which were dropped (indices), and the prompt tokens."""

    messages: tuple[ChatMessage, ...]
    dropped: tuple[int, ...]
    prompt_tokens: int
    prompt: str = field(default="", repr=False, compare=False)  # rendered, for generation
    tokens: tuple[int, ...] = field(default=(), repr=False, compare=False)


@dataclass
class _Cache:
    """What the KV cache holds, in the tokenization the next prompt will be compared in."""

    text: str = ""
    tokens: list[int] = field(default_factory=list)
    raw: bool = False


def _describe_error(exc: BaseException) -> str:
    """``ZeroDivisionError: division by zero``, one line, at most 200 characters."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:199] + "…"


@contextlib.contextmanager
def _model_progress(callback: Callable[[float], bool]) -> Iterator[None]:
    """Let ``Llama.__init__`` report load progress (and stop when ``callback`` returns False).

    llama-cpp-python builds its model params from ``llama_model_default_params()`` and offers
    no way to pass llama.cpp's ``progress_callback``; the factory is wrapped for the duration of
    one load. Loads are serialized by ``_LOAD_LOCK``.
    """
    import llama_cpp.llama_cpp as lc

    def on_progress(progress: float, _user_data: object) -> bool:
        try:
            return bool(callback(float(progress)))
        except Exception:  # an exception cannot cross into C; keep loading
            log.exception("load progress callback failed")
            return True

    c_callback = lc.llama_progress_callback(on_progress)
    original = lc.llama_model_default_params

    def with_progress() -> object:
        params = original()
        params.progress_callback = c_callback
        return params

    lc.llama_model_default_params = with_progress
    try:
        yield
    finally:
        lc.llama_model_default_params = original


@contextlib.contextmanager
def _templates_left_alone() -> Iterator[None]:
    """Keep ``Llama.__init__`` from compiling the GGUF's chat templates.

    It compiles every template in the metadata into a chat handler gptdesk never uses, at the
    end of the load, where nothing bounds it: a template can take minutes to compile (constant
    folding of a huge power, holding the GIL). The engine compiles the one it uses itself, in
    ``_make_formatter``, reported as the "template" phase that the engine host bounds in time.
    """
    import llama_cpp.llama_chat_format as chat_format

    class Unused:
        def __init__(self, *_args: object, **_kwargs: object) -> None:
            pass

        def to_chat_handler(self) -> object:
            return None

    original = chat_format.Jinja2ChatFormatter
    chat_format.Jinja2ChatFormatter = Unused  # type: ignore[misc,assignment]
    try:
        yield
    finally:
        chat_format.Jinja2ChatFormatter = original  # type: ignore[misc]


_LOAD_LOCK = threading.Lock()


class Engine:
    """One loaded model. Create, use and close it on a single thread."""

    def __init__(self, path: str | Path, options: LoadOptions | None = None) -> None:
        self.path = Path(path)
        self.options = options or LoadOptions()
        self._llm: Llama | None = None
        self._status: ModelStatus | None = None
        self._cache = _Cache()
        self._formatter: Jinja2ChatFormatter | None = None
        self._abort_flag: threading.Event | None = None
        self._abort_cb: object | None = None
        self._governor: ThreadGovernor | None = None
        # Told "template" before a chat template is compiled or rendered and "compute" after:
        # the engine host reports it, and the app ends a template that runs too long.
        self.on_phase: Callable[[str], None] = lambda _name: None

    # ------------------------------------------------------------------ loading

    @property
    def status(self) -> ModelStatus:
        if self._status is None:
            raise GenerationError(translate("engine", "No model is loaded. Load a model first."))
        return self._status

    @property
    def loaded(self) -> bool:
        return self._llm is not None

    def load(
        self,
        on_progress: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ModelStatus:
        """Validate, load and warm up the model; returns its status.

        ``on_progress`` gets 0.0..1.0 (llama.cpp's load takes 0.05..0.9, warm-up the rest);
        setting ``cancel`` stops the load with ``ModelLoadError``.
        """
        import llama_cpp

        report = on_progress or (lambda _p: None)
        report(0.0)
        info = read_gguf(self.path)
        if info.is_embedder and not self.options.embedding:
            raise ModelLoadError(
                translate(
                    "engine",
                    "{name} is an embedding model: it finds passages in your documents "
                    "(Documents mode) and cannot write text. Pick a chat model.",
                ).format(name=self.path.name)
            )
        report(0.05)
        llama_log.install()
        backend = probe_backend(self.path)
        opts = self.options
        n_ctx = round_ctx(
            min(opts.n_ctx, info.context_length) if info.context_length else opts.n_ctx
        )
        threads = opts.n_threads or default_threads()
        kv_bytes = info.kv_cache_bytes(n_ctx)
        gpu_layers = (
            opts.n_gpu_layers
            if opts.n_gpu_layers is not None
            else auto_gpu_layers(info.n_layers, info.file_size, kv_bytes, backend)
        )
        if not backend.gpu_offload:
            gpu_layers = 0
        if opts.check_memory:
            self._check_memory(info, n_ctx, backend)

        def progress(p: float) -> bool:
            report(0.05 + 0.85 * p)
            return not (cancel is not None and cancel.is_set())

        extra: dict[str, object] = {}
        if opts.embedding:
            # A whole passage in one micro-batch (encoders cannot split a sequence), several
            # passages per batch; a file that names no pooling is pooled by the mean.
            extra["embedding"] = True
            if info.pooling_type is None:
                extra["pooling_type"] = llama_cpp.LLAMA_POOLING_TYPE_MEAN
        start = time.perf_counter()
        with (
            _LOAD_LOCK,
            llama_log.capture_problems() as problems,
            _model_progress(progress),
            _templates_left_alone(),
            contextlib.redirect_stderr(io.StringIO()) as chatter,
        ):
            try:
                llm = llama_cpp.Llama(
                    model_path=str(self.path),
                    n_ctx=n_ctx,
                    n_batch=n_ctx if opts.embedding else min(opts.n_batch, n_ctx),
                    n_ubatch=n_ctx if opts.embedding else min(opts.n_batch, n_ctx),
                    n_threads=threads,
                    n_threads_batch=threads,
                    n_gpu_layers=gpu_layers,
                    verbose=True,  # False would redirect fds 1 and 2 process-wide
                    **extra,  # type: ignore[arg-type]
                )
            except (ValueError, RuntimeError, OSError) as exc:
                if cancel is not None and cancel.is_set():
                    raise ModelLoadError(
                        translate("engine", "Loading the model was cancelled.")
                    ) from exc
                reason = problems[-1] if problems else str(exc)
                raise ModelLoadError(
                    translate(
                        "engine",
                        "llama.cpp could not load {name}: {reason}. The file may be damaged or "
                        "made for a newer llama.cpp; try another download of it.",
                    ).format(name=self.path.name, reason=reason)
                ) from exc
        log.debug("llama-cpp-python load output: %s", chatter.getvalue())
        llm.verbose = False  # from here on it only decides whether generate() prints to stderr
        load_s = time.perf_counter() - start
        if llm.n_ctx() != n_ctx:
            llm.close()
            raise ModelLoadError(
                translate(
                    "engine",
                    "llama.cpp made a context of {made} tokens instead of {asked}; choose a "
                    "context size that is a multiple of 256.",
                ).format(made=llm.n_ctx(), asked=n_ctx)
            )
        self._llm = llm
        # Threads follow the load of the machine unless the user chose a number.
        self._governor = ThreadGovernor(threads, fixed=opts.n_threads is not None)
        self._install_abort_callback()
        if not opts.embedding:  # an embedder is never asked to chat
            self._formatter = self._make_formatter(info)
        warmup_s = 0.0
        if opts.warmup and not opts.embedding:
            report(0.9)
            warmup_s = self._warm_up()
        self._status = ModelStatus(
            path=self.path,
            info=info,
            backend=backend,
            n_ctx=n_ctx,
            n_threads=threads,
            n_gpu_layers=gpu_layers,
            load_s=load_s,
            warmup_s=warmup_s,
        )
        report(1.0)
        return self._status

    def _check_memory(self, info: GGUFInfo, n_ctx: int, backend: BackendInfo) -> None:
        fit = estimate_fit(info, n_ctx, psutil.virtual_memory().available, backend)
        if fit.verdict == "won't fit":
            raise InsufficientMemoryError(
                translate(
                    "engine",
                    "{name} does not fit in the memory that is free ({estimate}). Close other "
                    "programs, choose a smaller context size, or pick a smaller quantization of "
                    "this model.",
                ).format(name=self.path.name, estimate=fit.summary())
            )

    def _make_formatter(self, info: GGUFInfo) -> Jinja2ChatFormatter:
        import llama_cpp
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        llm = self._require()
        vocab = llm._model.vocab

        def special_text(token: int) -> str:
            if token < 0:
                return ""
            raw: bytes = llama_cpp.llama_vocab_get_text(vocab, token)
            return raw.decode("utf-8", errors="replace")

        self.on_phase("template")
        try:
            return Jinja2ChatFormatter(  # compiles the template
                template=info.chat_template or FALLBACK_CHAT_TEMPLATE,
                eos_token=special_text(llm.token_eos()),
                bos_token=special_text(llm.token_bos()),
            )
        except Exception as exc:  # any error of a template's code: a broken file, not a bug
            raise ModelLoadError(
                translate(
                    "engine",
                    "The chat template inside {name} is broken ({error}). Pick another model "
                    "or another download of it.",
                ).format(name=self.path.name, error=_describe_error(exc))
            ) from exc
        finally:
            self.on_phase("compute")

    def _install_abort_callback(self) -> None:
        """Create llama.cpp's abort callback; it is attached only while a prompt is evaluated."""
        import llama_cpp

        def should_abort(_data: object) -> bool:
            flag = self._abort_flag
            return flag is not None and flag.is_set()

        self._abort_cb = llama_cpp.ggml_abort_callback(should_abort)

    def _attach_abort(self, cancel: threading.Event | None) -> None:
        """Attach (or with None detach) the abort callback: llama.cpp calls it between graph
        nodes, and a Python call per node would slow token generation down."""
        import llama_cpp

        self._abort_flag = cancel
        callback = self._abort_cb if cancel is not None else llama_cpp.ggml_abort_callback()
        llama_cpp.llama_set_abort_callback(self._require().ctx, callback, None)

    def _warm_up(self) -> float:
        """Run the first evaluations now rather than on message one: with quantizations that
        llama.cpp repacks for the CPU, and with a file not yet in the page cache, the first
        evaluation after loading is the slow one (for the starter's Q4_1, from a warm cache,
        it is not: docs/benchmarks.md)."""
        llm = self._require()
        start = time.perf_counter()
        tokens = llm.tokenize(b"Hello, this warms up the model.", add_bos=True, special=False)
        llm.eval(tokens)  # batched path
        llm.eval(tokens[:1])  # single-token path used by generation
        self._truncate_cache(0)
        return time.perf_counter() - start

    def _retune_threads(self, *, force: bool = False) -> None:
        """Give llama.cpp the cores other processes leave free (see core/inference/threads.py)."""
        governor = self._governor
        if governor is None:
            return
        wanted = governor.update(force=force)
        if wanted is not None:
            import llama_cpp

            llama_cpp.llama_set_n_threads(self._require().ctx, wanted, wanted)
            log.debug("llama.cpp threads now %d", wanted)

    @property
    def threads_now(self) -> int:
        """The threads llama.cpp uses at the moment."""
        return self._governor.current if self._governor else self.status.n_threads

    def reset_cache(self) -> None:
        """Forget the KV cache: the next request evaluates its whole prompt."""
        self._truncate_cache(0)

    def close(self) -> None:
        """Free the model and its context (on the owning thread)."""
        if self._llm is not None:
            self._llm.close()
            self._llm = None
            self._status = None
            self._governor = None
            self._cache = _Cache()

    def terminate(self) -> None:
        """Nothing to end from outside: in this process, native work cannot be interrupted
        safely from another thread. Requests end through their cancel events."""

    def _require(self) -> Llama:
        if self._llm is None:
            raise GenerationError(translate("engine", "No model is loaded. Load a model first."))
        return self._llm

    # ------------------------------------------------------------------ prompts

    def tokenize(self, text: str, *, chat: bool = True) -> list[int]:
        """Tokens of ``text``: chat prompts parse special tokens; raw text gets the model's BOS."""
        llm = self._require()
        if chat:
            return list(llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))
        return list(llm.tokenize(text.encode("utf-8"), add_bos=True, special=False))

    def embed(self, texts: Sequence[str], cancel: threading.Event | None = None) -> list[bytes]:
        """One unit-length vector per text (float32 bytes), for a model loaded with
        ``LoadOptions(embedding=True)``. A text longer than the context is cut to fit. Cancel is
        looked at between groups of texts (a group is one batch: a few hundred milliseconds)."""
        import numpy as np

        llm = self._require()
        if not self.options.embedding:
            raise GenerationError(
                translate("engine", "This model was not loaded for embeddings.")
            )
        self._retune_threads()
        vectors: list[bytes] = []
        group = max(1, min(llm.context_params.n_seq_max, 16))
        for start in range(0, len(texts), group):
            if cancel is not None and cancel.is_set():
                raise GenerationError(translate("engine", "Embedding was cancelled."))
            # "" has no tokens (an encoder would see an empty sequence): a space instead.
            batch = [text if text.strip() else " " for text in texts[start : start + group]]
            try:
                rows = llm.embed(batch, normalize=False, truncate=True)
            except (RuntimeError, ValueError) as exc:
                raise GenerationError(
                    translate("engine", "llama.cpp could not embed the text: {error}").format(
                        error=exc
                    )
                ) from exc
            for row in rows:
                vector = np.asarray(row, dtype=np.float32)
                norm = float(np.linalg.norm(vector))
                vectors.append((vector / norm if norm > 0 else vector).tobytes())
        return vectors

    def render_chat(self, messages: Sequence[ChatMessage]) -> str:
        """The prompt text of ``messages`` in the model's own chat template."""
        formatter = self._formatter
        if formatter is None:
            raise GenerationError(translate("engine", "No model is loaded. Load a model first."))
        self.on_phase("template")
        try:
            response = formatter(
                messages=[{"role": m.role, "content": m.content} for m in messages]  # type: ignore[misc]
            )
            return str(response.prompt)
        except (jinja2.TemplateError, ValueError) as exc:  # raise_exception(): ValueError
            raise GenerationError(
                translate(
                    "engine", "The model's chat template rejected the conversation: {error}"
                ).format(error=exc)
            ) from exc
        except Exception as exc:  # ZeroDivisionError, RecursionError, MemoryError...: its code
            raise GenerationError(
                translate(
                    "engine",
                    "The model's chat template failed ({error}). The file's template is broken; "
                    "pick another model or another download of it.",
                ).format(error=_describe_error(exc))
            ) from exc
        finally:
            self.on_phase("compute")

    def _prompt_tokens(self, text: str, *, raw: bool) -> list[int]:
        """Tokenize, reusing the cached tokens where ``text`` extends the cached text.

        Re-tokenizing a reply the model generated can give different tokens than it sampled;
        reusing the sampled ones keeps the KV cache valid, so turn N evaluates only new text.
        """
        cache = self._cache
        if cache.raw != raw or not cache.text or not text.startswith(cache.text):
            return self.tokenize(text, chat=not raw)
        rest = text[len(cache.text) :]
        if not rest:
            return list(cache.tokens)
        llm = self._require()
        # Chat prompts parse special tokens (the template's turn markers); raw text never does.
        extra = llm.tokenize(rest.encode("utf-8"), add_bos=False, special=not raw)
        return cache.tokens + list(extra)

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Prompt tokens of ``messages`` in the chat template (for a context meter)."""
        return len(self._render_tokens(messages)[1]) if messages else 0

    def _render_tokens(
        self, messages: Sequence[ChatMessage], continue_last: bool = False
    ) -> tuple[str, list[int]]:
        if continue_last:
            # The cut-off reply goes on as it is: the template's assistant header, then its
            # text with no end-of-turn marker, so the model writes the rest of the same reply.
            prompt = self.render_chat(messages[:-1]) + messages[-1].content
        else:
            prompt = self.render_chat(messages)
        return prompt, self._prompt_tokens(prompt, raw=False)

    def fit_messages(
        self, messages: Sequence[ChatMessage], reserve: int, continue_last: bool = False
    ) -> FitResult:
        """Keep system messages and the newest turns so that the prompt plus ``reserve`` fits.

        Oldest non-system messages go first, a user message together with the assistant replies
        that follow it. Raises ContextOverflowError when even the newest message does not fit.
        With ``continue_last`` the last (assistant) message is a reply to be continued: it and
        the message it answers are always kept.
        """
        n_ctx = self.status.n_ctx
        budget = n_ctx - reserve
        indexed = list(enumerate(messages))
        dropped: list[int] = []
        pinned = 2 if continue_last else 1
        while True:
            kept = [m for _, m in indexed]
            prompt, tokens = self._render_tokens(kept, continue_last)
            n_tokens = len(tokens)
            if n_tokens <= budget:
                return FitResult(tuple(kept), tuple(dropped), n_tokens, prompt, tuple(tokens))
            remove = next_to_leave_out(kept, pinned)
            if remove is None:
                last = messages[-1]
                alone = len(self.tokenize(last.content, chat=True))
                raise ContextOverflowError(
                    translate(
                        "engine",
                        "The message is too long for this model's context window: the prompt "
                        "is {n_tokens} tokens ({alone} of them in the message) and {reserve} "
                        "more are kept for the reply, but the window holds {n_ctx}. Shorten the "
                        "message or the system prompt, or load the model with a larger context "
                        "size.",
                    ).format(n_tokens=n_tokens, alone=alone, reserve=reserve, n_ctx=n_ctx)
                )
            dropped.extend(indexed[k][0] for k in remove)
            indexed = [pair for k, pair in enumerate(indexed) if k not in remove]

    # ------------------------------------------------------------------ generation

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams | None = None,
        cancel: threading.Event | None = None,
        continue_last: bool = False,
    ) -> Iterator[StreamEvent]:
        """Stream a reply to ``messages`` in the model's chat template.

        Yields ContextTrimmed (only if messages were left out), TextDelta pieces, then Finished.
        With ``continue_last`` the last message is an assistant reply that was cut off; the
        model goes on writing it, and the events carry only the new text.
        """
        params = params or SamplingParams()
        cancel = cancel or threading.Event()
        start = time.perf_counter()
        if not messages:
            raise GenerationError(translate("engine", "There is no message to answer."))
        if continue_last and (messages[-1].role != "assistant" or len(messages) < 2):
            raise GenerationError(
                translate("engine", "Only a reply of the assistant can be continued.")
            )
        reserve = min(params.max_tokens, self.status.n_ctx // 4)
        fit = self.fit_messages(messages, reserve, continue_last)
        if fit.dropped:
            yield ContextTrimmed(fit.dropped)
        yield from self._stream(
            fit.prompt,
            raw=False,
            params=params,
            cancel=cancel,
            start=start,
            dropped=fit.dropped,
            tokens=list(fit.tokens),
        )

    def stream_completion(
        self,
        prompt: str,
        params: SamplingParams | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[StreamEvent]:
        """Stream a plain continuation of ``prompt`` (no chat template): TextDelta..., Finished."""
        params = params or SamplingParams()
        cancel = cancel or threading.Event()
        yield from self._stream(
            prompt, raw=True, params=params, cancel=cancel, start=time.perf_counter(), dropped=()
        )

    def _stream(
        self,
        prompt: str,
        *,
        raw: bool,
        params: SamplingParams,
        cancel: threading.Event,
        start: float,
        dropped: tuple[int, ...],
        tokens: list[int] | None = None,
    ) -> Iterator[StreamEvent]:
        """Generate after ``prompt``; ``tokens`` are its tokens when the caller has them."""
        import llama_cpp

        llm = self._require()
        n_ctx = self.status.n_ctx
        if tokens is None:
            tokens = self._prompt_tokens(prompt, raw=raw)
        if not tokens:
            raise GenerationError(
                translate("engine", "There is no text to continue: write something first.")
            )
        if len(tokens) >= n_ctx:
            raise ContextOverflowError(
                translate(
                    "engine",
                    "The text is {n_tokens} tokens but this model's context window holds "
                    "{n_ctx}. Shorten it or load the model with a larger context size.",
                ).format(n_tokens=len(tokens), n_ctx=n_ctx)
            )

        def finish(
            text: str,
            stop: StopReason,
            evaluated: int,
            n_gen: int,
            t_prefill: float,
            t_first: float | None,
        ) -> Finished:
            now = time.perf_counter()
            gen_s = now - t_first if t_first is not None else 0.0
            prefill_s = t_prefill - start
            return Finished(
                text,
                GenerationStats(
                    prompt_tokens=len(tokens),
                    prompt_eval_tokens=evaluated,
                    completion_tokens=n_gen,
                    ttft_s=(t_first - start) if t_first is not None else now - start,
                    tokens_per_s=(n_gen - 1) / gen_s if n_gen > 1 and gen_s > 0 else 0.0,
                    prefill_tokens_per_s=evaluated / prefill_s if prefill_s > 0 else 0.0,
                    total_s=now - start,
                    stop_reason=stop,
                    dropped_messages=dropped,
                    threads=self.threads_now,
                ),
            )

        self._retune_threads(force=True)
        evaluated = self._prefill(tokens, cancel)
        t_prefill = time.perf_counter()
        if cancel.is_set():
            yield finish("", "cancelled", evaluated, 0, t_prefill, None)
            return

        llm.set_seed(params.seed if params.seed is not None else llama_cpp.LLAMA_DEFAULT_SEED)
        vocab = llm._model.vocab
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pieces: list[str] = []  # the reply as sent
        decoded: list[str] = []  # everything generated (past a stop string too)
        generated: list[int] = []
        n_decoded = whole_tokens = whole_chars = 0
        stop: StopReason = "length"
        t_first: float | None = None
        max_new = min(params.max_tokens, n_ctx - len(tokens))
        buf = ctypes.create_string_buffer(64)
        stops = StopStrings(params.stop)
        gen = llm.generate(
            tokens,
            top_k=params.top_k,
            top_p=params.top_p,
            min_p=params.min_p,
            temp=params.temperature,
            repeat_penalty=params.repeat_penalty,
            frequency_penalty=params.frequency_penalty,
            presence_penalty=params.presence_penalty,
            reset=True,
            grammar=self._grammar(params.json_schema),
        )
        try:
            for token in gen:
                if t_first is None:
                    t_first = time.perf_counter()
                if cancel.is_set():
                    stop = "cancelled"
                    break
                if llama_cpp.llama_vocab_is_eog(vocab, token):
                    stop = "eos"
                    break
                generated.append(token)
                n = llama_cpp.llama_token_to_piece(vocab, token, buf, len(buf), 0, False)
                if n < 0:
                    buf = ctypes.create_string_buffer(-n)
                    n = llama_cpp.llama_token_to_piece(vocab, token, buf, len(buf), 0, False)
                text = decoder.decode(buf.raw[:n])
                decoded.append(text)
                n_decoded += len(text)
                if not decoder.getstate()[0]:  # no bytes of a character left pending
                    whole_tokens, whole_chars = len(generated), n_decoded
                text, ended = stops.feed(text)
                if text:
                    pieces.append(text)
                    yield TextDelta(text)
                if ended:
                    stop = "eos"
                    break
                if len(generated) >= max_new:
                    break
                self._retune_threads()
        except RuntimeError as exc:
            self._cache = _Cache()
            raise GenerationError(
                translate("engine", "llama.cpp failed while generating: {error}").format(error=exc)
            ) from exc
        finally:
            gen.close()
        # A reply cut by max_tokens or Stop can end inside a character: its first bytes are
        # dropped, never shown as U+FFFD. The cache keeps text and tokens up to the same
        # whole-character boundary, so the next prompt's tokens line up with the KV cache.
        if not stops.ended and (rest := stops.flush()):  # held back, but no stop came
            pieces.append(rest)
            yield TextDelta(rest)
        reply = "".join(pieces)
        if stop != "cancelled" or generated:
            self._cache = _Cache(
                text=prompt + "".join(decoded)[:whole_chars],
                tokens=tokens + generated[:whole_tokens],
                raw=raw,
            )
        yield finish(reply, stop, evaluated, len(generated), t_prefill, t_first)

    @staticmethod
    def _grammar(json_schema: str | None) -> LlamaGrammar | None:
        """llama.cpp's grammar for replies that follow ``json_schema`` (None: free text)."""
        if json_schema is None:
            return None
        from llama_cpp.llama_grammar import LlamaGrammar

        try:
            return LlamaGrammar.from_json_schema(json_schema, verbose=False)
        except Exception as exc:  # the converter raises bare Exceptions on schemas it lacks
            raise RequestRejectedError(
                translate("engine", "The JSON schema cannot be used: {error}").format(
                    error=_describe_error(exc)
                )
            ) from exc

    def _truncate_cache(self, keep: int) -> None:
        """Forget cached tokens from position ``keep`` on."""
        llm = self._require()
        if keep == 0:
            llm.reset()  # type: ignore[no-untyped-call]
            llm._ctx.kv_cache_seq_rm(-1, 0, -1)
            self._cache = _Cache()
        elif not llm._ctx.kv_cache_seq_rm(-1, keep, -1):
            llm.reset()  # type: ignore[no-untyped-call]
            llm._ctx.kv_cache_seq_rm(-1, 0, -1)
            return
        llm.n_tokens = keep

    def _prefill(self, tokens: list[int], cancel: threading.Event) -> int:
        """Evaluate the part of ``tokens`` the KV cache lacks, in chunks; returns tokens evaluated.

        The last token is always evaluated, so there are fresh logits to sample from. Stops early
        (leaving a consistent, shorter cache) when ``cancel`` is set.
        """
        llm = self._require()
        cached = llm.input_ids[: llm.n_tokens]
        common = 0
        for a, b in zip(cached, tokens, strict=False):
            if a != b:
                break
            common += 1
        common = min(common, len(tokens) - 1)
        self._truncate_cache(common)
        if llm.n_tokens != common:  # the cache could not be cut there: start over
            common = 0
        step = llm.n_batch
        self._attach_abort(cancel)
        try:
            for i in range(common, len(tokens), step):
                if cancel.is_set():
                    break
                self._retune_threads()
                try:
                    llm.eval(tokens[i : i + step])
                except RuntimeError as exc:
                    if cancel.is_set():  # llama_decode returned 2: aborted inside the chunk
                        self._truncate_cache(llm.n_tokens)
                        break
                    self._truncate_cache(0)
                    raise GenerationError(
                        translate(
                            "engine", "llama.cpp failed evaluating the prompt: {error}"
                        ).format(error=exc)
                    ) from exc
        finally:
            self._attach_abort(None)
        return llm.n_tokens - common
