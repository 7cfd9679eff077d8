"""Summaries of texts of any length: one streamed pass when the text fits the context window,
else map-reduce: each part summarized, then the partial summaries combined (in rounds while
they do not fit together), the last combining pass streamed.

The jobs here run on the engine's thread (``gptdesk.core.writing.jobs``); the prompts are the
``summary_text``, ``summary_part`` and ``summary_combine`` templates in resources/prompts.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from gptdesk.core.errors import ContextOverflowError, GptdeskError
from gptdesk.core.i18n import translate
from gptdesk.core.inference.backend import (
    ChatMessage,
    Finished,
    GenerationStats,
    SamplingParams,
    StopReason,
    TextDelta,
)
from gptdesk.core.writing.chunking import split_text
from gptdesk.core.writing.jobs import Job, JobEvent, Progress, TaskOptions
from gptdesk.core.writing.translate import TranslateError, resolve_language

if TYPE_CHECKING:
    from gptdesk.core.inference.backend import Backend
    from gptdesk.core.writing.prompts import PromptTemplates

LENGTHS: dict[str, str] = {
    "sentence": "One sentence",
    "paragraph": "Short paragraph",
    "bullets": "Bullet points",
    "detailed": "Detailed",
}
"""The summary lengths a user can ask for, with their labels."""
DEFAULT_LENGTH = "paragraph"
FINAL_TOKENS: dict[str, int] = {"sentence": 96, "paragraph": 320, "bullets": 480, "detailed": 1024}
"""Room for the summary itself, per length (the pane's max_tokens; the CLI has --max-tokens)."""
MARGIN = 8  # tokens left free in every prompt: counting the parts apart can differ a little
MIN_PART_TOKENS = 48  # below this, parts are too small to be worth summarizing
_PLACEHOLDER_PART = 999  # renders the part template as long as any real "part N of M"
_ENTRY_TOKENS = 8  # what "Part 12:" and its blank lines cost in the combining prompt


def check_length(length: str | None) -> str:
    """``length`` checked (None: the default); an unknown one is an error that lists them."""
    if length is None or length == "":
        return DEFAULT_LENGTH
    if length not in LENGTHS:
        raise GptdeskError(
            translate(
                "summarize", "There is no summary length {length}; choose one of: {lengths}."
            ).format(length=repr(length), lengths=", ".join(LENGTHS))
        )
    return length


def output_language(name: str | None) -> str | None:
    """The summary's language as the prompt names it ("fr" -> "French"); None: the text's own.
    A name gptdesk does not list is passed on as the user wrote it."""
    name = (name or "").strip()
    if not name:
        return None
    try:
        return resolve_language(name)
    except TranslateError:
        return name


def summary_params(length: str | None, base: SamplingParams | None = None) -> SamplingParams:
    """Sampling for a summary of ``length``: ``base`` (default: calm, temperature 0.3) with
    room for that length."""
    base = base or SamplingParams(temperature=0.3)
    return replace(base, max_tokens=FINAL_TOKENS[check_length(length)])


def part_tokens(n_ctx: int, params: SamplingParams) -> int:
    """The longest summary of one part (and of one combining round): a sixth of the window."""
    return max(16, min(params.max_tokens, n_ctx // 6))


@dataclass(frozen=True)
class SummaryPlan:
    """How a text will be summarized: its size, its parts, and the combining passes after them."""

    source_tokens: int
    parts: tuple[str, ...]  # one (the whole text) when it fits one pass
    combine_passes: int  # 0 for one pass; else at most this many (1: exactly one)
    n_ctx: int

    @property
    def single(self) -> bool:
        return len(self.parts) <= 1

    @property
    def passes(self) -> int:
        """Generations in all (at most, when there are several combining passes)."""
        return 1 if self.single else len(self.parts) + self.combine_passes

    def describe(self) -> str:
        """``12,345 tokens · 4 parts + 1 combining pass`` or ``812 tokens · 1 pass``."""
        n = self.source_tokens
        tokens = (
            translate("summarize", "{n} token") if n == 1 else translate("summarize", "{n} tokens")
        ).format(n=f"{n:,}")
        if self.single:
            passes = translate("summarize", "1 pass")
        elif self.combine_passes == 1:
            passes = translate("summarize", "{parts} parts + 1 combining pass")
        else:
            passes = translate("summarize", "{parts} parts + up to {combines} combining passes")
        return f"{tokens} · {passes.format(parts=len(self.parts), combines=self.combine_passes)}"


class Summarizer:
    """Plans and runs summaries on one loaded engine (on the engine's thread)."""

    def __init__(self, engine: Backend, prompts: PromptTemplates, options: TaskOptions) -> None:
        self.engine = engine
        self.prompts = prompts
        self.length = check_length(options.length)
        self.focus = options.focus.strip()
        self.language = output_language(options.language)
        self.params = options.params
        self.n_ctx = engine.status.n_ctx
        self.part_params = replace(self.params, max_tokens=part_tokens(self.n_ctx, self.params))
        # What the engine keeps free for the final reply (see Backend.stream_chat).
        self.final_reserve = min(self.params.max_tokens, self.n_ctx // 4)
        self._empty = engine.count_tokens([ChatMessage("user", "")])

    # ------------------------------------------------------------------ prompts and counting

    def prompt_tokens(self, content: str) -> int:
        """Tokens of a one-message chat prompt in the model's template."""
        return self.engine.count_tokens([ChatMessage("user", content)])

    def text_tokens(self, text: str) -> int:
        """Tokens ``text`` adds to a prompt."""
        return self.prompt_tokens(text) - self._empty

    def render_text(self, text: str) -> str:
        return self.prompts.render(
            "summary_text",
            text=text,
            length=self.length,
            focus=self.focus,
            language=self.language,
        )

    def render_part(self, text: str, part: int, parts: int) -> str:
        return self.prompts.render(
            "summary_part", text=text, part=part, parts=parts, focus=self.focus
        )

    def render_combine(self, summaries: Sequence[str], final: bool) -> str:
        return self.prompts.render(
            "summary_combine",
            summaries=list(summaries),
            final=final,
            length=self.length,
            focus=self.focus,
            language=self.language,
        )

    # ------------------------------------------------------------------ planning

    def plan(self, text: str) -> SummaryPlan:
        """Cut ``text`` into parts that fit the window with their prompt and reply."""
        text = text.strip()
        if not text:
            raise GptdeskError(
                translate("summarize", "There is no text to summarize: paste some or open a file.")
            )
        source = self.text_tokens(text)
        whole = self.prompt_tokens(self.render_text(text))
        if whole + self.final_reserve <= self.n_ctx:
            return SummaryPlan(source, (text,), 0, self.n_ctx)
        overhead = self.prompt_tokens(self.render_part("", _PLACEHOLDER_PART, _PLACEHOLDER_PART))
        budget = self.n_ctx - overhead - self.part_params.max_tokens - MARGIN
        if budget < MIN_PART_TOKENS:
            raise self._too_small()
        parts = tuple(p.strip() for p in split_text(text, budget, self.text_tokens) if p.strip())
        if len(parts) == 1:  # fits without the final reply's full room: one shorter pass
            return SummaryPlan(source, parts, 0, self.n_ctx)
        return SummaryPlan(source, parts, self._combine_passes(len(parts)), self.n_ctx)

    def _combine_passes(self, n_summaries: int) -> int:
        """At most how many combining passes ``n_summaries`` summaries take (each summary
        counted as long as it may be)."""
        per = self.part_params.max_tokens + _ENTRY_TOKENS
        final_room = self.n_ctx - self.prompt_tokens(self.render_combine([], True))
        final_room -= self.final_reserve + MARGIN
        round_room = self.n_ctx - self.prompt_tokens(self.render_combine([], False))
        round_room -= self.part_params.max_tokens + MARGIN
        per_group = round_room // per
        passes = 0
        n = n_summaries
        while n * per > final_room:
            if per_group < 2 or n == 1:
                raise self._too_small()
            n = math.ceil(n / per_group)
            passes += n
        return passes + 1

    def _too_small(self) -> GptdeskError:
        return ContextOverflowError(
            translate(
                "summarize",
                "The model's context window ({n_ctx} tokens) is too small to summarize in parts "
                "with these prompts. Load the model with a larger context size in Settings "
                "(2048 or more), or shorten an edited summary prompt.",
            ).format(n_ctx=self.n_ctx)
        )

    def _fits_final(self, summaries: Sequence[str]) -> bool:
        prompt = self.prompt_tokens(self.render_combine(summaries, True))
        return prompt + self.final_reserve <= self.n_ctx

    def _groups(self, summaries: list[str]) -> list[list[str]]:
        """Consecutive summaries in groups that each fit one combining pass, of even sizes."""
        room = self.n_ctx - self.part_params.max_tokens - MARGIN

        def fits(group: Sequence[str]) -> bool:
            return self.prompt_tokens(self.render_combine(group, False)) <= room

        groups: list[list[str]] = []
        current: list[str] = []
        for summary in summaries:
            if current and not fits([*current, summary]):
                groups.append(current)
                current = []
            current.append(summary)
        groups.append(current)
        if len(groups) >= len(summaries):  # no two summaries fit together: no progress
            raise self._too_small()
        # The same number of groups, of even sizes (never 5 + 5 + 1), if those fit too.
        k = len(groups)
        size, extra = divmod(len(summaries), k)
        even: list[list[str]] = []
        start = 0
        for i in range(k):
            end = start + size + (1 if i < extra else 0)
            even.append(summaries[start:end])
            start = end
        return even if all(fits(g) for g in even) else groups

    # ------------------------------------------------------------------ running

    def run(self, text: str, cancel: threading.Event) -> Iterator[JobEvent]:
        """Progress before every pass, the final pass's text as TextDelta, then one Finished
        (stop reason "cancelled" when ``cancel`` was set; its text is what was streamed)."""
        start = time.perf_counter()
        plan = self.plan(text)
        if cancel.is_set():
            yield self._cancelled(start, None)
            return
        if plan.single:
            prompt = self.render_text(plan.parts[0])
            room = self.n_ctx - self.prompt_tokens(prompt) - MARGIN
            params = replace(self.params, max_tokens=max(1, min(self.params.max_tokens, room)))
            yield Progress(0, 1, translate("summarize", "Summarizing"))
            yield from self._final(prompt, params, cancel, start)
            return

        n_parts = len(plan.parts)
        total = plan.passes
        done = 0
        summaries: list[str] = []
        for i, part in enumerate(plan.parts, start=1):
            if cancel.is_set():
                yield self._cancelled(start, None)
                return
            label = translate("summarize", "Summarizing part {i} of {n}").format(i=i, n=n_parts)
            yield Progress(done, total, label)
            finished = self._generate(self.render_part(part, i, n_parts), cancel)
            if finished.stats.stop_reason == "cancelled":
                yield self._cancelled(start, finished)
                return
            done += 1
            if finished.text.strip():
                summaries.append(finished.text.strip())
        if not summaries:
            raise GptdeskError(
                translate(
                    "summarize",
                    "The model wrote nothing for any part of the text. Try again, or use another "
                    "model.",
                )
            )

        while not self._fits_final(summaries):
            if len(summaries) == 1:
                raise self._too_small()
            groups = self._groups(summaries)
            total = done + len(groups) + self._combine_passes(len(groups))
            merged: list[str] = []
            for j, group in enumerate(groups, start=1):
                if cancel.is_set():
                    yield self._cancelled(start, None)
                    return
                label = translate("summarize", "Combining {count} summaries ({j} of {n})").format(
                    count=len(group), j=j, n=len(groups)
                )
                yield Progress(done, total, label)
                finished = self._generate(self.render_combine(group, False), cancel)
                if finished.stats.stop_reason == "cancelled":
                    yield self._cancelled(start, finished)
                    return
                done += 1
                if finished.text.strip():
                    merged.append(finished.text.strip())
            summaries = merged or summaries[:1]

        if cancel.is_set():
            yield self._cancelled(start, None)
            return
        label = translate("summarize", "Combining {count} summaries").format(count=len(summaries))
        yield Progress(done, done + 1, label)
        yield from self._final(self.render_combine(summaries, True), self.params, cancel, start)

    def _generate(self, prompt: str, cancel: threading.Event) -> Finished:
        """One unseen pass (a part or a combining round); its Finished."""
        finished: Finished | None = None
        for event in self.engine.stream_chat(
            [ChatMessage("user", prompt)], self.part_params, cancel
        ):
            if isinstance(event, Finished):
                finished = event
        if finished is None:  # the engine always ends with Finished; be explicit if not
            raise GptdeskError(
                translate("summarize", "The model stopped without an answer. Try again.")
            )
        return finished

    def _final(
        self, prompt: str, params: SamplingParams, cancel: threading.Event, start: float
    ) -> Iterator[JobEvent]:
        """The pass the user sees: streamed, ending the job with its Finished."""
        for event in self.engine.stream_chat([ChatMessage("user", prompt)], params, cancel):
            if isinstance(event, TextDelta):
                yield event
            elif isinstance(event, Finished):
                stats = replace(event.stats, total_s=time.perf_counter() - start)
                yield Finished(event.text, stats)
                return
        raise GptdeskError(
            translate("summarize", "The model stopped without an answer. Try again.")
        )

    @staticmethod
    def _cancelled(start: float, last: Finished | None) -> Finished:
        """The job's end after Stop between or inside unseen passes: nothing was streamed."""
        elapsed = time.perf_counter() - start
        if last is not None:
            stats = replace(last.stats, total_s=elapsed, stop_reason="cancelled")
        else:
            stats = _empty_stats(elapsed, "cancelled")
        return Finished("", stats)


def _empty_stats(elapsed: float, stop: StopReason) -> GenerationStats:
    return GenerationStats(
        prompt_tokens=0,
        prompt_eval_tokens=0,
        completion_tokens=0,
        ttft_s=elapsed,
        tokens_per_s=0.0,
        prefill_tokens_per_s=0.0,
        total_s=elapsed,
        stop_reason=stop,
    )


def summary_job(options: TaskOptions, prompts: PromptTemplates) -> Job:
    """The job that summarizes ``options.text`` (length, focus and language from ``options``)."""
    check_length(options.length)  # a wrong option fails now, before a model is loaded

    def job(engine: Backend, cancel: threading.Event) -> Iterator[JobEvent]:
        yield from Summarizer(engine, prompts, options).run(options.text, cancel)

    return job


def plan_job(options: TaskOptions, prompts: PromptTemplates) -> Job:
    """A job that only plans: it ends with a Finished whose text is the plan's one-line
    description (``SummaryPlan.describe``) and whose ``stats.prompt_tokens`` is the source's
    token count; nothing is generated. For the pane's "N tokens · K parts" line."""
    check_length(options.length)

    def job(engine: Backend, cancel: threading.Event) -> Iterator[JobEvent]:
        start = time.perf_counter()
        if cancel.is_set():
            yield Finished("", _empty_stats(0.0, "cancelled"))
            return
        plan = Summarizer(engine, prompts, options).plan(options.text)
        stats = replace(
            _empty_stats(time.perf_counter() - start, "eos"), prompt_tokens=plan.source_tokens
        )
        yield Finished(plan.describe(), stats)

    return job


def cli_job(options: TaskOptions, prompts: PromptTemplates) -> Job:
    """``gptdesk generate --task summary``: the summary job with the command line's options."""
    return summary_job(options, prompts)
