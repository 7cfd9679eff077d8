"""Translation of texts of any length, part by part, keeping paragraphs, line breaks and Markdown.

The source is cut into pieces whose concatenation is exactly the source (``split_source``):
pieces the model translates (the words of a paragraph, a heading, a list item, a table cell)
and pieces copied as they are (blank lines, line ends, Markdown markers such as ``## `` or
``- [ ] ``, table pipes, rules, fenced code blocks). Every translatable piece is one chat
generation (``translate_chunk.j2``) that gets the translation of the text just before it as
context. Because the structure never passes through the model, a small model that drops blank
lines or list markers cannot change it: the result has the source's structure exactly.
A paragraph longer than the token budget is cut at line, sentence or word boundaries
(``gptdesk.core.writing.chunking``).

``translation_job`` runs it on the engine (``gptdesk.core.writing.jobs``): Progress
"Translating part 2 of 5" before each part, every part's text streamed as it comes, cancellable
between and within parts; ``cli_job`` is ``gptdesk generate --task translate --to LANG``.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gptdesk.core import i18n  # i18n.translate: "translate" here names the chunk translator
from gptdesk.core.errors import GptdeskError
from gptdesk.core.inference.backend import (
    ChatMessage,
    Finished,
    GenerationStats,
    SamplingParams,
    StopReason,
    StreamEvent,
    TextDelta,
)
from gptdesk.core.writing.chunking import split_text
from gptdesk.core.writing.jobs import Job, JobEvent, Progress, TaskOptions

if TYPE_CHECKING:
    from gptdesk.core.inference.backend import Backend
    from gptdesk.core.writing.prompts import PromptTemplates

TEMPLATE = "translate_chunk"
DETECT = "Detect"  # the source language: let the model recognise it
TOP_LANGUAGES = (
    "Chinese (Simplified)",
    "English",
    "Japanese",
    "Korean",
    "French",
    "German",
    "Spanish",
)
OTHER_LANGUAGES = tuple(
    sorted(
        (
            "Arabic",
            "Bengali",
            "Bulgarian",
            "Catalan",
            "Chinese (Traditional)",
            "Croatian",
            "Czech",
            "Danish",
            "Dutch",
            "Estonian",
            "Finnish",
            "Greek",
            "Hebrew",
            "Hindi",
            "Hungarian",
            "Indonesian",
            "Italian",
            "Latvian",
            "Lithuanian",
            "Malay",
            "Norwegian",
            "Persian",
            "Polish",
            "Portuguese",
            "Romanian",
            "Russian",
            "Serbian",
            "Slovak",
            "Slovenian",
            "Swahili",
            "Swedish",
            "Tagalog",
            "Tamil",
            "Thai",
            "Turkish",
            "Ukrainian",
            "Urdu",
            "Vietnamese",
        )
    )
)
LANGUAGES = TOP_LANGUAGES + OTHER_LANGUAGES
"""Target languages in the order a list shows them: the most asked-for first, then A to Z."""

_CODES = {  # ISO 639-1 codes and common other names, for ``--to fr`` and the like
    "zh": "Chinese (Simplified)",
    "zh-cn": "Chinese (Simplified)",
    "zh-hans": "Chinese (Simplified)",
    "chinese": "Chinese (Simplified)",
    "simplified chinese": "Chinese (Simplified)",
    "mandarin": "Chinese (Simplified)",
    "zh-tw": "Chinese (Traditional)",
    "zh-hk": "Chinese (Traditional)",
    "zh-hant": "Chinese (Traditional)",
    "traditional chinese": "Chinese (Traditional)",
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "ar": "Arabic",
    "bn": "Bengali",
    "bg": "Bulgarian",
    "ca": "Catalan",
    "hr": "Croatian",
    "cs": "Czech",
    "da": "Danish",
    "nl": "Dutch",
    "et": "Estonian",
    "fi": "Finnish",
    "el": "Greek",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "lv": "Latvian",
    "lt": "Lithuanian",
    "ms": "Malay",
    "no": "Norwegian",
    "nb": "Norwegian",
    "fa": "Persian",
    "farsi": "Persian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sr": "Serbian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sw": "Swahili",
    "sv": "Swedish",
    "tl": "Tagalog",
    "filipino": "Tagalog",
    "ta": "Tamil",
    "th": "Thai",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
}

MAX_CHUNK_TOKENS = 384  # the most source tokens one generation gets (smaller models do better)
# The most tokens of the previous part's translation given as context. Off: small models
# (the starter) copy that context instead of translating the new part (every paragraph came
# out as the first one's translation); each part is translated on its own instead.
CONTEXT_TOKENS = 0
SAFETY_TOKENS = 16
DEFAULT_PARAMS = SamplingParams(temperature=0.2, top_p=0.9, repeat_penalty=1.05, max_tokens=4096)
"""Sampling for translation: close to greedy (faithful), a light repeat penalty."""


class TranslateError(GptdeskError):
    """A translation cannot start: an unknown language, for instance."""


def resolve_language(name: str | None) -> str:
    """The language of ``LANGUAGES`` that ``name`` means ("french", "fr", "zh-TW"...)."""
    key = (name or "").strip().casefold()
    for language in LANGUAGES:
        if language.casefold() == key:
            return language
    if key in _CODES:
        return _CODES[key]
    listed = ", ".join(LANGUAGES)
    if not key:
        raise TranslateError(
            i18n.translate(
                "translate", "Choose the language to translate into, one of: {languages}."
            ).format(languages=listed)
        )
    raise TranslateError(
        i18n.translate(
            "translate", "{name} is not a language gptdesk knows. Choose one of: {languages}."
        ).format(name=repr(name), languages=listed)
    )


# ---------------------------------------------------------------------- splitting


@dataclass(frozen=True)
class Piece:
    """A part of the source: translated by the model, or (``translate`` False) copied."""

    text: str
    translate: bool


_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"^[ \t]*(?:[-=*_][ \t]*){3,}$")  # --- *** ___ and setext underlines
_MARKER = re.compile(
    r"""[ \t]*
    (?:>[ \t]?)*                                        # block quotes
    [ \t]*
    (?:\#{1,6}[ \t]+                                    # ATX heading
      |(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?  # list item, task box
    )?""",
    re.VERBOSE,
)
_CELL_BORDER = re.compile(r"(?<!\\)\|")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|(?<=[。！？；])\s*")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _unit(text: str) -> list[Piece]:
    """``text`` as leading space, the words to translate, trailing space (the line end)."""
    core = text.strip()
    if not core:
        return [Piece(text, False)]
    start = text.index(core)
    out = [Piece(text[:start], False)] if start else []
    out.append(Piece(core, _has_words(core)))
    if start + len(core) < len(text):
        out.append(Piece(text[start + len(core) :], False))
    return out


def _table_row(line: str) -> list[Piece]:
    """A Markdown table row: the pipes are copied, each cell is translated on its own."""
    out: list[Piece] = []
    start = 0
    for match in _CELL_BORDER.finditer(line):
        if match.start() > start:
            out.extend(_unit(line[start : match.start()]))
        out.append(Piece("|", False))
        start = match.end()
    if start < len(line):
        out.extend(_unit(line[start:]))
    return out


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return (
        len(line) - len(line.lstrip(" \t")) <= 3
        and len(stripped) >= len(fence)
        and set(stripped) == {fence[0]}
    )


def split_source(text: str) -> list[Piece]:
    """The pieces of ``text`` in order; joined they give ``text`` back exactly.

    A translatable piece is a paragraph (its lines together), a heading, a list item or a
    quoted line without its marker, or a table cell. Fenced code blocks, blank lines, line
    ends, markers, rules and text without letters are copied.
    """
    out: list[Piece] = []
    unit: list[str] = []  # lines of the paragraph being collected (after its marker)

    def close_unit() -> None:
        if unit:
            out.extend(_unit("".join(unit)))
            unit.clear()

    fence: str | None = None
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if fence is not None:
            out.append(Piece(line, False))
            if _closes(body, fence):
                fence = None
            continue
        opening = _FENCE.match(body)
        if opening:
            close_unit()
            fence = opening.group(1)
            out.append(Piece(line, False))
        elif not body.strip() or _RULE.match(body):
            close_unit()
            out.append(Piece(line, False))
        elif body.lstrip().startswith("|"):
            close_unit()
            out.extend(_table_row(line))
        else:
            match = _MARKER.match(body)
            marker = match.group(0) if match else ""
            if marker.strip() or not unit:  # a marker, or the first line: a new unit
                close_unit()
                if marker:
                    out.append(Piece(marker, False))
                unit.append(line[len(marker) :])
                if "#" in marker:  # a heading is one line
                    close_unit()
            else:
                unit.append(line)
    close_unit()
    return _merge(out)


def _merge(pieces: Sequence[Piece]) -> list[Piece]:
    """Join neighbouring copied pieces; drop empty ones."""
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and not piece.translate and not out[-1].translate:
            out[-1] = Piece(out[-1].text + piece.text, False)
        else:
            out.append(piece)
    return out


def _cut(text: str, pattern: re.Pattern[str]) -> list[str]:
    """``text`` split at ``pattern``: [part, separator, part, ..., part], no empty part."""
    parts: list[str] = []
    start = 0
    for match in pattern.finditer(text):
        if match.start() <= start or match.end() >= len(text):
            continue
        parts += [text[start : match.start()], match.group(0)]
        start = match.end()
    parts.append(text[start:])
    return parts


def _fit(text: str, count: Callable[[str], int], budget: int) -> list[Piece]:
    """``text`` as translatable pieces of at most ``budget`` tokens, cut at the coarsest
    boundary that works (``gptdesk.core.writing.chunking``: lines, sentences, words, anywhere)."""
    out: list[Piece] = []
    for part in split_text(text, budget, count):
        out.extend(_unit(part))
    return out


def plan_pieces(text: str, count: Callable[[str], int], budget: int) -> list[Piece]:
    """``split_source`` with every translatable piece cut to at most ``budget`` tokens
    (as ``count`` counts them)."""
    out: list[Piece] = []
    for piece in split_source(text):
        if piece.translate:
            out.extend(_fit(piece.text, count, budget))
        else:
            out.append(piece)
    return _merge(out)


# ---------------------------------------------------------------------- running


ChunkTranslator = Callable[[str, str, threading.Event], Iterator[StreamEvent]]
"""``translate(text, previous_translation, cancel)``: TextDelta pieces, then one Finished."""


class _Tidy:
    """A part's streamed translation without leading or trailing space and without blank
    lines (the separators between parts come from the source), and with no more lines than
    the source part: a model that goes on after the translation ("Note: ...", repeats) is
    cut at the first line break the source does not have."""

    def __init__(self, max_breaks: int) -> None:
        self.max_breaks = max_breaks
        self.started = False
        self.full = False  # the translation has all its lines: the rest is dropped
        self.held = ""
        self.parts: list[str] = []
        self.breaks = 0

    def feed(self, text: str) -> str:
        if self.full:
            return ""
        if not self.started:
            text = text.lstrip()
            if not text:
                return ""
            self.started = True
        text = self.held + text
        body = text.rstrip()
        self.held = text[len(body) :]
        if not body:
            return ""
        body = _BLANK_LINES.sub("\n", body)
        allowed = self.max_breaks - self.breaks
        if body.count("\n") > allowed:
            cut = -1
            for _ in range(allowed + 1):
                cut = body.index("\n", cut + 1)
            body = body[:cut].rstrip()
            self.full = True
        self.breaks += body.count("\n")
        if body:
            self.parts.append(body)
        return body

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _PartCancel(threading.Event):
    """Stops one part's generation: set by the job's own cancel event or by the job itself
    (the part's translation is complete)."""

    def __init__(self, job_cancel: threading.Event) -> None:
        super().__init__()
        self.job_cancel = job_cancel

    def is_set(self) -> bool:
        return super().is_set() or self.job_cancel.is_set()


def _empty_stats(stop: StopReason, total_s: float) -> GenerationStats:
    return GenerationStats(0, 0, 0, 0.0, 0.0, 0.0, total_s, stop)


def _merge_stats(
    all_stats: Sequence[GenerationStats], stop: StopReason, total_s: float
) -> GenerationStats:
    if not all_stats:
        return _empty_stats(stop, total_s)
    completion = sum(s.completion_tokens for s in all_stats)
    evaluated = sum(s.prompt_eval_tokens for s in all_stats)
    gen_s = sum(s.completion_tokens / s.tokens_per_s for s in all_stats if s.tokens_per_s > 0)
    prefill_s = sum(
        s.prompt_eval_tokens / s.prefill_tokens_per_s
        for s in all_stats
        if s.prefill_tokens_per_s > 0
    )
    return GenerationStats(
        prompt_tokens=sum(s.prompt_tokens for s in all_stats),
        prompt_eval_tokens=evaluated,
        completion_tokens=completion,
        ttft_s=all_stats[0].ttft_s,
        tokens_per_s=completion / gen_s if gen_s > 0 else 0.0,
        prefill_tokens_per_s=evaluated / prefill_s if prefill_s > 0 else 0.0,
        total_s=total_s,
        stop_reason=stop,
    )


def run_pieces(
    pieces: Sequence[Piece], translate: ChunkTranslator, cancel: threading.Event
) -> Iterator[JobEvent]:
    """Translate ``pieces`` in order with ``translate``; copied pieces stream as they are.

    Yields Progress before each part, the output as TextDelta, and one Finished whose text is
    the concatenated deltas; stop reason "cancelled" when ``cancel`` was set, "length" when a
    part was cut at the token limit.
    """
    start = time.perf_counter()
    total = sum(1 for p in pieces if p.translate)
    out: list[str] = []
    all_stats: list[GenerationStats] = []
    previous = ""
    done = 0
    stop: StopReason = "eos"
    for piece in pieces:
        if cancel.is_set():
            stop = "cancelled"
            break
        if not piece.translate:
            out.append(piece.text)
            yield TextDelta(piece.text)
            continue
        label = i18n.translate("translate", "Translating part {i} of {n}")
        yield Progress(done, total, label.format(i=done + 1, n=total))
        tidy = _Tidy(piece.text.count("\n"))
        part_cancel = _PartCancel(cancel)
        finished: Finished | None = None
        for event in translate(piece.text, previous, part_cancel):
            if isinstance(event, TextDelta):
                text = tidy.feed(event.text)
                if text:
                    out.append(text)
                    yield TextDelta(text)
                if tidy.full:
                    part_cancel.set()
            elif isinstance(event, Finished):
                finished = event
        if finished is not None:
            all_stats.append(finished.stats)
            if cancel.is_set():
                stop = "cancelled"
                break
            if finished.stats.stop_reason == "length":
                stop = "length"
        done += 1
        previous = tidy.text
    if stop != "cancelled" and total:
        label = (
            i18n.translate("translate", "Translated {n} part")
            if total == 1
            else i18n.translate("translate", "Translated {n} parts")
        )
        yield Progress(total, total, label.format(n=total))
    yield Finished("".join(out), _merge_stats(all_stats, stop, time.perf_counter() - start))


def _tail(text: str, count: Callable[[str], int], budget: int) -> str:
    """The end of ``text`` in whole sentences, at most ``budget`` tokens ("" if none fits)."""
    if count(text) <= budget:
        return text
    parts = _cut(text, _SENTENCE_END)
    kept = ""
    for i in range(len(parts) - 1, -1, -2):
        candidate = parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") + kept
        if count(candidate) > budget:
            break
        kept = candidate
    return kept.strip()


def chunk_messages(
    prompts: PromptTemplates, text: str, target: str, source: str | None, previous: str
) -> list[ChatMessage]:
    """The chat messages that ask for the translation of one part."""
    content = prompts.render(
        TEMPLATE, text=text, target=target, source=source or "", previous=previous
    )
    return [ChatMessage("user", content)]


def translation_job(
    text: str,
    target: str,
    prompts: PromptTemplates,
    params: SamplingParams = DEFAULT_PARAMS,
    source: str | None = None,
    max_chunk_tokens: int = MAX_CHUNK_TOKENS,
) -> Job:
    """A job that translates ``text`` into ``target`` (``source`` None or DETECT: the model
    recognises the language). Raises TranslateError or PromptError at once when the
    languages or the template are wrong, before the engine is asked for anything."""
    target = resolve_language(target)
    source = None if source in (None, "", DETECT) else resolve_language(source)
    chunk_messages(prompts, "", target, source, "")  # a broken template fails here

    def job(engine: Backend, cancel: threading.Event) -> Iterator[JobEvent]:
        def count(piece: str) -> int:
            return len(engine.tokenize(piece))

        n_ctx = engine.status.n_ctx
        overhead = engine.count_tokens(chunk_messages(prompts, "", target, source, ""))
        room = n_ctx - overhead - SAFETY_TOKENS
        context_budget = min(CONTEXT_TOKENS, room // 8)
        budget = max(8, min(max_chunk_tokens, (room - context_budget) // 4))
        pieces = plan_pieces(text, count, budget)

        def translate(piece: str, previous: str, cancel: threading.Event) -> Iterator[StreamEvent]:
            n = count(piece)
            cap = max(1, min(params.max_tokens, 3 * n + 48))
            context = _tail(previous, count, context_budget) if previous and context_budget else ""
            messages = chunk_messages(prompts, piece, target, source, context)
            if context and engine.count_tokens(messages) + cap > n_ctx:
                messages = chunk_messages(prompts, piece, target, source, "")
            part_params = SamplingParams(
                temperature=params.temperature,
                top_p=params.top_p,
                top_k=params.top_k,
                min_p=params.min_p,
                repeat_penalty=params.repeat_penalty,
                max_tokens=cap,
                seed=params.seed,
            )
            return engine.stream_chat(messages, part_params, cancel)

        yield from run_pieces(pieces, translate, cancel)

    return job


def cli_job(options: TaskOptions, prompts: PromptTemplates) -> Job:
    """``gptdesk generate --task translate --to LANG``: the model detects the source language."""
    if not options.language:
        raise TranslateError(
            "--task translate needs --to LANG, the language to translate into, one of: "
            + ", ".join(LANGUAGES)
            + "."
        )
    return translation_job(options.text, options.language, prompts, options.params)
