"""Stories: raw-completion prompts (memory, the latest manuscript that fits, the author's note)
and the continue / retry / undo / accept / alternatives state of a manuscript.

The model continues the manuscript itself (``Backend.stream_completion``), so it writes prose and
not a chat reply. A prompt is the memory (premise, characters, style; always kept), then the
most recent text before the insertion point that fits the context window minus the length of
the continuation, cut at a paragraph or sentence boundary from the front, with the author's note
inserted as a bracketed line a few paragraphs before the end. Counting tokens needs the loaded
model, so a prompt is built inside the job, on the engine's thread.

``StorySession`` is the manuscript with at most one pending (not yet accepted) continuation.
Each operation returns the ``Edit`` that turns the previous text into the new one, which is what
the pane applies to its editor; nothing here knows about Qt.
"""

from __future__ import annotations

import math
import random
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from gptdesk.core.errors import ContextOverflowError, GptdeskError
from gptdesk.core.i18n import translate
from gptdesk.core.inference.backend import (
    Finished,
    GenerationStats,
    SamplingParams,
    TextDelta,
)
from gptdesk.core.writing.jobs import Job, JobEvent, Progress, TaskOptions

if TYPE_CHECKING:
    from gptdesk.core.inference.backend import Backend
    from gptdesk.core.writing.prompts import PromptTemplates

NOTE_DEPTH = 3  # the author's note goes this many paragraphs before the end
DEFAULT_WORDS = 80  # length of one continuation, in words
MAX_WORDS = 1000
MAX_ALTERNATIVES = 6
TOKENS_PER_WORD = 1.5  # English prose is ~1.3 tokens a word; the rest is headroom
CHARS_PER_TOKEN_CAP = 24  # no real text has longer tokens: a cheap first cut of huge manuscripts
STORY_PARAMS = SamplingParams(temperature=0.8, top_p=0.95, top_k=40, min_p=0.05)

ExportFormat = Literal["md", "txt"]
Counter = Callable[[str], int]

_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*(?=\s|$)")
_SENTENCE_START = re.compile(r"(?:[.!?…。！？][\"'”’»)\]]*[ \t]+|\n+)(?=\S)")
_WORD_START = re.compile(r"\s+(?=\S)")
_WORD = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+(?:['’\-][^\W_]+)*"
)


class StoryError(GptdeskError):
    """A story request that cannot be carried out (the message says what to change)."""


def words_to_tokens(words: int) -> int:
    """``max_tokens`` for a continuation of about ``words`` words."""
    return max(8, math.ceil(words * TOKENS_PER_WORD))


def count_words(text: str) -> int:
    """Words of ``text``: runs of letters and digits (with inner apostrophes and hyphens); each
    Chinese character or kana counts as one word."""
    return sum(1 for _ in _WORD.finditer(text))


def trim_incomplete(text: str) -> str:
    """``text`` up to its last finished sentence (or line); unchanged when it has none."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    last_line = text.rstrip().rfind("\n")
    cut = max(ends[-1] if ends else -1, last_line)
    if cut <= 0:
        return text
    return text[:cut].rstrip(" \t") if cut == last_line else text[:cut]


def default_title(text: str, limit: int = 60) -> str:
    """A document title from the first words of ``text``."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words or "Untitled story"
    cut = words[:limit].rsplit(" ", 1)[0]
    return (cut or words[:limit]) + "…"


def export_text(title: str, text: str, fmt: ExportFormat) -> str:
    """The manuscript as a file's text: ``txt`` as it is; ``md`` with the title as a heading and
    every line break a paragraph break (Markdown joins single lines)."""
    body = text.strip("\n")
    if fmt == "txt":
        return body + "\n"
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    heading = f"# {' '.join(title.split())}\n\n" if title.strip() else ""
    return heading + "\n\n".join(paragraphs) + "\n"


# ---------------------------------------------------------------------- prompts


@dataclass(frozen=True)
class StoryRequest:
    """What one continuation is written from: the manuscript up to the insertion point."""

    before: str
    memory: str = ""
    note: str = ""
    max_tokens: int = words_to_tokens(DEFAULT_WORDS)


@dataclass(frozen=True)
class StoryPrompt:
    """The text sent to the model, where the kept manuscript starts and what it costs."""

    text: str
    kept_from: int  # offset into the request's ``before`` where the kept text starts
    tokens: int


def _paragraph_starts(text: str) -> list[int]:
    """Offsets where a non-empty line starts."""
    starts = [0] if text and text[0] != "\n" else []
    starts += [m.end() for m in re.finditer(r"\n+(?=[^\n])", text)]
    return starts


def insert_note(text: str, note_line: str, depth: int = NOTE_DEPTH) -> str:
    """``text`` with ``note_line`` as its own paragraph ``depth`` paragraphs before the end (at
    the top when it has fewer)."""
    if not note_line:
        return text
    starts = _paragraph_starts(text)
    if len(starts) < depth or starts[-depth] == 0:
        return f"{note_line}\n\n{text}"
    at = starts[-depth]
    sep_start = at
    while sep_start > 0 and text[sep_start - 1] == "\n":
        sep_start -= 1
    separator = text[sep_start:at]
    return text[:at] + note_line + separator + text[at:]


def build_prompt(
    request: StoryRequest,
    prompts: PromptTemplates,
    count: Counter,
    n_ctx: int,
) -> StoryPrompt:
    """Memory, then the latest text of ``request.before`` that fits ``n_ctx`` minus the
    continuation (with the author's note inside), ending exactly where the continuation goes.

    ``count`` gives a prompt's tokens as the engine will send it (``len(engine.tokenize(text,
    chat=False))``). Raises ContextOverflowError when memory and note alone leave no room.
    """
    memory = request.memory.strip()
    note = " ".join(request.note.split())
    head = prompts.render("story_memory", memory=memory) if memory else ""
    note_line = prompts.render("story_note", note=note) if note else ""
    # The text ends at its last word: after a trailing space or line break the model would add
    # another (or skip a word gap); the session drops the continuation's leading whitespace.
    before = request.before.rstrip()
    reserve = min(request.max_tokens, n_ctx // 2)
    budget = n_ctx - reserve

    def compose(start: int) -> str:
        kept = insert_note(before[start:], note_line)
        return f"{head}\n\n{kept}" if head else kept

    def fits(start: int) -> int | None:
        tokens = count(compose(start))
        return tokens if tokens <= budget else None

    tokens = fits(0)
    if tokens is not None:
        return StoryPrompt(compose(0), 0, tokens)
    floor = max(0, len(before) - budget * CHARS_PER_TOKEN_CAP)
    for pattern in (_SENTENCE_START, _WORD_START):
        starts = [m.end() for m in pattern.finditer(before, floor)]
        found = _first_fitting(starts, fits)
        if found is not None:
            return StoryPrompt(compose(found[0]), found[0], found[1])
    positions = list(range(max(floor, 1), len(before)))
    found = _first_fitting(positions, fits)
    if found is not None:
        return StoryPrompt(compose(found[0]), found[0], found[1])
    fixed = count(compose(len(before)))
    raise ContextOverflowError(
        translate(
            "story",
            "The memory and the author's note take {fixed} tokens, and with the {reserve} kept "
            "for the continuation nothing of the story fits the model's window of {n_ctx}. "
            "Shorten the memory or the note, choose a shorter continuation, or load the model "
            "with a larger context size.",
        ).format(fixed=fixed, reserve=reserve, n_ctx=n_ctx)
    )


def _first_fitting(starts: list[int], fits: Callable[[int], int | None]) -> tuple[int, int] | None:
    """The earliest of the ascending ``starts`` whose prompt fits (fewer tokens the later the
    cut), with its token count; None when none fits."""
    lo, hi = 0, len(starts)
    best: tuple[int, int] | None = None
    while lo < hi:
        mid = (lo + hi) // 2
        tokens = fits(starts[mid])
        if tokens is None:
            lo = mid + 1
        else:
            best = (starts[mid], tokens)
            hi = mid
    return best


def engine_counter(engine: Backend) -> Counter:
    """Tokens of a raw prompt as ``stream_completion`` sends it (with the model's BOS)."""
    return lambda text: len(engine.tokenize(text, chat=False))


def continuation_job(
    request: StoryRequest,
    prompts: PromptTemplates,
    params: SamplingParams = STORY_PARAMS,
    on_prompt: Callable[[StoryPrompt], None] | None = None,
) -> Job:
    """One continuation of ``request``: the prompt is built on the engine's thread, then the
    model's text streams. ``on_prompt`` sees the prompt before it is sent (for tests)."""

    def job(engine: Backend, cancel: threading.Event) -> Iterator[JobEvent]:
        prompt = build_prompt(request, prompts, engine_counter(engine), engine.status.n_ctx)
        if on_prompt is not None:
            on_prompt(prompt)
        sampling = replace(params, max_tokens=request.max_tokens)
        yield from engine.stream_completion(prompt.text, sampling, cancel)

    return job


def alternative_seeds(n: int, base: int | None = None) -> list[int]:
    """``n`` different seeds (from ``base`` when given, else random)."""
    start = base if base is not None else random.randrange(1, 2**31 - MAX_ALTERNATIVES)
    return [start + i for i in range(n)]


def cli_job(options: TaskOptions, prompts: PromptTemplates) -> Job:
    """``gptdesk generate --task story``: continue ``options.text`` (memory, note, ``--length``
    words); with ``--n N`` the N alternatives one after the other, each under a header line."""
    max_tokens = options.params.max_tokens
    if options.length is not None:
        try:
            words = int(options.length)
        except ValueError:
            words = 0
        if not 1 <= words <= MAX_WORDS:
            raise StoryError(
                f"--length for a story is the number of words per continuation (1 to "
                f"{MAX_WORDS}), e.g. --length 120; {options.length!r} is not."
            )
        max_tokens = words_to_tokens(words)
    request = StoryRequest(options.text, options.memory, options.note, max_tokens)
    n = max(1, options.n)
    seeds = alternative_seeds(n, options.params.seed) if n > 1 else [options.params.seed]

    def job(engine: Backend, cancel: threading.Event) -> Iterator[JobEvent]:
        outputs: list[str] = []
        last: Finished | None = None
        completion_tokens = 0
        for i, seed in enumerate(seeds):
            if cancel.is_set():
                break
            if n > 1:
                label = translate("story", "Alternative {i} of {n}").format(i=i + 1, n=n)
                yield Progress(i, n, label)
                gap = "\n\n" if i else ""
                header = f"{gap}--- Alternative {i + 1} of {n} ---\n"
                outputs.append(header)
                yield TextDelta(header)
            single = continuation_job(request, prompts, replace(options.params, seed=seed))
            for event in single(engine, cancel):
                if isinstance(event, Finished):
                    last = event
                    completion_tokens += event.stats.completion_tokens
                    outputs.append(event.text)
                elif isinstance(event, TextDelta):
                    yield event
        if n > 1 and not cancel.is_set():
            yield Progress(n, n, translate("story", "Done"))
        stats = last.stats if last is not None else _no_stats()
        stopped = cancel.is_set()
        yield Finished(
            "".join(outputs),
            replace(
                stats,
                completion_tokens=completion_tokens,
                stop_reason="cancelled" if stopped else stats.stop_reason,
            ),
        )

    return job


def _no_stats() -> GenerationStats:
    return GenerationStats(0, 0, 0, 0.0, 0.0, 0.0, 0.0, "cancelled")


# ---------------------------------------------------------------------- session


@dataclass(frozen=True)
class Edit:
    """Replace ``removed`` characters at ``position`` with ``inserted``."""

    position: int
    removed: int = 0
    inserted: str = ""

    def apply(self, text: str) -> str:
        return text[: self.position] + self.inserted + text[self.position + self.removed :]


@dataclass(frozen=True)
class Pending:
    """A continuation shown in the manuscript but not yet accepted."""

    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class AlternativesPlan:
    """N continuations of one point: where they go and the text before it when they were asked."""

    anchor: int
    before: str
    requests: tuple[StoryRequest, ...]
    seeds: tuple[int, ...]


class StorySession:
    """The manuscript and its pending continuation; every change returns its ``Edit``.

    The text is kept as the base (without the pending continuation) plus the pending pieces, so
    streaming appends cost the length of the new text only.
    """

    def __init__(
        self,
        text: str = "",
        memory: str = "",
        note: str = "",
        words: int = DEFAULT_WORDS,
        pending: tuple[int, int] | None = None,
    ) -> None:
        """``pending``: (start, length) of a continuation inside ``text`` not yet accepted."""
        self._base = text
        self.memory = memory
        self.note = note
        self.words = words
        self._start: int | None = None  # where the pending continuation is
        self._pieces: list[str] = []
        self._length = 0
        self._skip_space = False  # drop the next delta's leading spaces
        self.streaming = False
        if pending is not None:
            start, length = pending
            if start >= 0 and length > 0 and start + length <= len(text):
                self._base = text[:start] + text[start + length :]
                self._start = start
                self._pieces = [text[start : start + length]]
                self._length = length

    # ------------------------------------------------------------ state

    @property
    def text(self) -> str:
        """The manuscript as shown (with the pending continuation)."""
        if self._start is None:
            return self._base
        return self._base[: self._start] + self._pending_text() + self._base[self._start :]

    @property
    def accepted_text(self) -> str:
        """The manuscript without the pending continuation."""
        return self._base

    @property
    def pending(self) -> Pending | None:
        """The continuation not yet accepted (it may be empty while it streams)."""
        if self._start is None:
            return None
        return Pending(self._start, self._pending_text())

    def _pending_text(self) -> str:
        if len(self._pieces) > 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0] if self._pieces else ""

    @property
    def word_count(self) -> int:
        return count_words(self.text)

    @property
    def max_tokens(self) -> int:
        return words_to_tokens(self.words)

    def _request(self, at: int) -> StoryRequest:
        return StoryRequest(self._base[:at], self.memory, self.note, self.max_tokens)

    # ------------------------------------------------------------ operations

    def set_text(self, text: str) -> None:
        """The user edited the manuscript: the pending continuation becomes normal text."""
        self._clear_pending()
        self._base = text

    def begin(self, cursor: int | None = None) -> StoryRequest:
        """Continue at ``cursor`` (None: the end). A pending continuation is accepted first;
        a cursor inside or after it counts in the text as shown."""
        if self.streaming:
            raise StoryError(translate("story", "A continuation is being written; stop it first."))
        self.accept()
        at = len(self._base) if cursor is None else max(0, min(cursor, len(self._base)))
        if not self._base[:at].strip() and not self.memory.strip():
            raise StoryError(
                translate(
                    "story",
                    "There is nothing to continue yet: write the beginning of the story, or a "
                    "premise in Memory, then press Continue.",
                )
            )
        return self._open(at)

    def _open(self, at: int) -> StoryRequest:
        self._start = at
        self._pieces = []
        self._length = 0
        self._skip_space = at > 0 and self._base[at - 1].isspace()
        self.streaming = True
        return self._request(at)

    def retry(self) -> tuple[Edit, StoryRequest]:
        """Remove the pending continuation and start another one at the same place."""
        if self._start is None or self.streaming:
            raise StoryError(
                translate("story", "There is no continuation to retry: press Continue first.")
            )
        at = self._start
        edit = Edit(at, self._length)
        return edit, self._open(at)

    def undo(self) -> Edit:
        """Remove the pending continuation: the text is exactly what it was before it."""
        if self._start is None or self.streaming:
            raise StoryError(translate("story", "There is no continuation to undo."))
        edit = Edit(self._start, self._length)
        self._clear_pending()
        return edit

    def accept(self) -> Pending | None:
        """Make the pending continuation normal text; returns what was accepted."""
        if self._start is None or self.streaming:
            return None
        accepted = Pending(self._start, self._pending_text())
        self._base = self.text
        self._clear_pending()
        return accepted if accepted.text else None

    def _clear_pending(self) -> None:
        self._start = None
        self._pieces = []
        self._length = 0
        self.streaming = False

    def append(self, delta: str) -> Edit | None:
        """Streamed text: inserted at the end of the pending continuation (None: nothing to
        insert). A word gap or line break the manuscript already ends with is not doubled."""
        if self._start is None or not self.streaming:
            return None
        if self._skip_space:
            delta = delta.lstrip()
            if not delta:
                return None
            self._skip_space = False
        edit = Edit(self._start + self._length, 0, delta)
        self._pieces.append(delta)
        self._length += len(delta)
        return edit

    def finish(self, stop_reason: str, trim: bool = True) -> Edit | None:
        """The stream ended. A continuation cut by its length loses its unfinished last
        sentence (``trim``); returns that removal. An empty continuation is dropped."""
        if self._start is None:
            return None
        self.streaming = False
        edit = None
        text = self._pending_text()
        if trim and stop_reason == "length":
            kept = trim_incomplete(text)
            if len(kept) < len(text):
                edit = Edit(self._start + len(kept), len(text) - len(kept))
                self._pieces = [kept]
                self._length = len(kept)
        if self._length == 0:
            self._clear_pending()
        return edit

    def fail(self) -> Edit | None:
        """The stream failed: what it wrote is removed (the text is as it was)."""
        if self._start is None:
            return None
        self.streaming = False
        return self.undo()

    def plan_alternatives(
        self, n: int, cursor: int | None = None, base_seed: int | None = None
    ) -> AlternativesPlan:
        """``n`` continuations of the pending continuation's place (or of ``cursor``, or the
        end), to be generated with different seeds."""
        if self.streaming:
            raise StoryError(translate("story", "A continuation is being written; stop it first."))
        if not 1 <= n <= MAX_ALTERNATIVES:
            raise StoryError(
                translate("story", "Ask for 1 to {most} alternatives.").format(
                    most=MAX_ALTERNATIVES
                )
            )
        if self._start is not None:
            at = self._start
        else:
            at = len(self._base) if cursor is None else max(0, min(cursor, len(self._base)))
        if not self._base[:at].strip() and not self.memory.strip():
            raise StoryError(
                translate(
                    "story",
                    "There is nothing to continue yet: write the beginning of the story, or a "
                    "premise in Memory, then ask for alternatives.",
                )
            )
        request = self._request(at)
        return AlternativesPlan(
            at, self._base[:at], (request,) * n, tuple(alternative_seeds(n, base_seed))
        )

    def choose(self, plan: AlternativesPlan, text: str, cursor: int | None = None) -> Edit:
        """Use one alternative: it replaces the pending continuation at the plan's place, or
        becomes the pending continuation there; when the text before that place has changed
        since, it goes in at ``cursor`` (or the end)."""
        if self.streaming:
            raise StoryError(translate("story", "A continuation is being written; stop it first."))
        if self._start is not None and self._start == plan.anchor:
            at, removed = self._start, self._length
        else:
            self.accept()
            removed = 0
            if self._base[: plan.anchor] == plan.before:
                at = plan.anchor
            else:
                at = len(self._base) if cursor is None else max(0, min(cursor, len(self._base)))
        if at > 0 and self._base[at - 1].isspace():
            text = text.lstrip()
        self._start = at
        self._pieces = [text]
        self._length = len(text)
        self.streaming = False
        if not text:
            self._clear_pending()
        return Edit(at, removed, text)
