"""Summaries: one pass when the text fits, parts and combining rounds when it does not.

The map-reduce bookkeeping (rounds, termination, progress totals, prompts that always fit) is
checked on a word-counting stand-in engine; the real starter model with a 512-token window
summarizes a source ten windows long, is stopped in the middle, and runs behind the CLI.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from gptdesk import cli
from gptdesk.core.errors import ContextOverflowError, GptdeskError
from gptdesk.core.inference.engine import (
    ChatMessage,
    Engine,
    Finished,
    GenerationStats,
    SamplingParams,
    StreamEvent,
    TextDelta,
)
from gptdesk.core.writing.jobs import Job, JobEvent, Progress, TaskOptions
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.core.writing.summarize import (
    FINAL_TOKENS,
    Summarizer,
    SummaryPlan,
    check_length,
    cli_job,
    output_language,
    plan_job,
    summary_job,
    summary_params,
)

TOWNS = ("Alder", "Birchwood", "Cedar Falls", "Dunmore", "Elmstead", "Fairhaven", "Glenrock")


def source(n_paragraphs: int) -> str:
    """A long text of distinct paragraphs (each about 90 tokens)."""
    paragraphs = []
    for i in range(n_paragraphs):
        town = TOWNS[i % len(TOWNS)]
        paragraphs.append(
            f"{town} is a small town on the river. In the year {1800 + i * 7} its people built "
            f"a mill and a school. The mayor of {town}, a woman named Maria {i}, opened a "
            f"market every Tuesday. Farmers brought {i + 3} kinds of apples, and the bakers "
            f"sold bread to travellers from the north. Later a railway reached {town}, and "
            f"the town grew to {1000 + 37 * i} people."
        )
    return "\n\n".join(paragraphs)


@dataclass
class Run:
    progress: list[Progress]
    deltas: list[str]
    finished: list[Finished]
    events: list[JobEvent]


def drive(job: Job, engine: object, cancel: threading.Event | None = None) -> Run:
    run = Run([], [], [], [])
    for event in job(engine, cancel or threading.Event()):  # type: ignore[arg-type]
        run.events.append(event)
        if isinstance(event, Progress):
            run.progress.append(event)
        elif isinstance(event, TextDelta):
            run.deltas.append(event.text)
        elif isinstance(event, Finished):
            run.finished.append(event)
    return run


# ---------------------------------------------------------------------- a stand-in engine


@dataclass
class _Status:
    n_ctx: int


class WordEngine:
    """Counts one token per word (plus 10 for the template); replies with ``reply_words``
    words, at most max_tokens; refuses prompts that the real engine would refuse."""

    def __init__(self, n_ctx: int = 512, reply_words: int = 40) -> None:
        self.status = _Status(n_ctx)
        self.reply_words = reply_words
        self.prompts: list[str] = []
        self.max_tokens: list[int] = []

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return 10 + sum(len(m.content.split()) for m in messages)

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams,
        cancel: threading.Event,
        continue_last: bool = False,
    ) -> Iterator[StreamEvent]:
        prompt = self.count_tokens(messages)
        reserve = min(params.max_tokens, self.status.n_ctx // 4)
        if prompt + reserve > self.status.n_ctx:
            raise ContextOverflowError(f"prompt of {prompt} tokens does not fit")
        self.prompts.append(messages[-1].content)
        self.max_tokens.append(params.max_tokens)
        n = min(self.reply_words, params.max_tokens, self.status.n_ctx - prompt)
        words: list[str] = []
        stop = "eos"
        for i in range(n):
            if cancel.is_set():
                stop = "cancelled"
                break
            words.append(f"w{len(self.prompts)}.{i}")
            yield TextDelta(("" if i == 0 else " ") + words[-1])
        yield Finished(" ".join(words), _stats(prompt, len(words), stop))


def _stats(prompt: int, completion: int, stop: str) -> GenerationStats:
    return GenerationStats(prompt, prompt, completion, 0.0, 0.0, 0.0, 0.0, stop)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- planning


def test_a_short_text_is_planned_as_one_pass() -> None:
    engine = WordEngine()
    options = TaskOptions(text="One two three four.", params=SamplingParams(max_tokens=64))
    plan = Summarizer(engine, PromptTemplates(), options).plan(options.text)  # type: ignore[arg-type]
    assert plan.single and plan.passes == 1
    assert plan.describe() == "4 tokens · 1 pass"


def test_a_long_text_is_planned_in_parts_that_fit() -> None:
    engine = WordEngine(n_ctx=512)
    text = source(40)
    options = TaskOptions(text=text, params=SamplingParams(max_tokens=64))
    summarizer = Summarizer(engine, PromptTemplates(), options)  # type: ignore[arg-type]
    plan = summarizer.plan(text)
    assert plan.source_tokens == len(text.split())
    assert len(plan.parts) > 5 and plan.combine_passes >= 1
    assert " ".join(plan.parts).split() == text.split()  # nothing dropped
    for i, part in enumerate(plan.parts, 1):
        prompt = summarizer.prompt_tokens(summarizer.render_part(part, i, len(plan.parts)))
        assert prompt + summarizer.part_params.max_tokens <= 512
    assert plan.describe().startswith(f"{plan.source_tokens:,} tokens · {len(plan.parts)} parts")


def test_plan_descriptions() -> None:
    assert SummaryPlan(1, ("a",), 0, 512).describe() == "1 token · 1 pass"
    assert (
        SummaryPlan(12345, ("a", "b", "c", "d"), 1, 4096).describe()
        == "12,345 tokens · 4 parts + 1 combining pass"
    )
    three = SummaryPlan(90000, ("a",) * 30, 4, 4096)
    assert three.describe() == "90,000 tokens · 30 parts + up to 4 combining passes"
    assert three.passes == 34


def test_lengths_are_checked_before_anything_runs() -> None:
    assert check_length(None) == "paragraph"
    assert check_length("bullets") == "bullets"
    with pytest.raises(GptdeskError, match=r"no summary length 'huge'.*sentence, paragraph"):
        cli_job(TaskOptions(text="x", length="huge"), PromptTemplates())
    assert summary_params("sentence").max_tokens == FINAL_TOKENS["sentence"]
    assert summary_params("detailed").temperature == 0.3


def test_the_output_language_is_named_as_the_prompt_needs_it() -> None:
    assert output_language(None) is None and output_language("  ") is None
    assert output_language("fr") == "French"
    assert output_language("Old Norse") == "Old Norse"  # unlisted: passed on as written


def test_an_empty_text_is_refused() -> None:
    job = summary_job(TaskOptions(text="  \n "), PromptTemplates())
    with pytest.raises(GptdeskError, match="no text to summarize"):
        drive(job, WordEngine())


def test_a_window_too_small_for_parts_says_what_to_do() -> None:
    job = summary_job(
        TaskOptions(text=source(10), params=SamplingParams(max_tokens=64)), PromptTemplates()
    )
    with pytest.raises(ContextOverflowError, match=r"too small.*larger context size"):
        drive(job, WordEngine(n_ctx=128))


def test_plan_job_reports_the_plan_line_and_the_source_tokens() -> None:
    text = source(40)
    run = drive(plan_job(TaskOptions(text=text), PromptTemplates()), WordEngine())
    assert len(run.events) == 1
    finished = run.finished[0]
    assert finished.stats.prompt_tokens == len(text.split())
    assert finished.text.startswith(f"{len(text.split()):,} tokens · ")
    assert "parts + " in finished.text


# ---------------------------------------------------------------------- running (stand-in)


def test_one_pass_streams_the_summary_with_the_options_in_the_prompt() -> None:
    engine = WordEngine(reply_words=5)
    options = TaskOptions(
        text="The cat sat on the mat.",
        params=SamplingParams(max_tokens=100),
        length="bullets",
        focus="the cat's mood",
        language="German",
    )
    run = drive(summary_job(options, PromptTemplates()), engine)
    assert [p.label for p in run.progress] == ["Summarizing"]
    assert len(engine.prompts) == 1
    prompt = engine.prompts[0]
    assert "The cat sat on the mat." in prompt
    assert "bullet points" in prompt and "the cat's mood" in prompt and "German" in prompt
    assert len(run.finished) == 1 and run.events[-1] is run.finished[0]
    assert run.finished[0].text == "".join(run.deltas) == "w1.0 w1.1 w1.2 w1.3 w1.4"


def test_many_parts_are_combined_in_rounds_until_they_fit_and_it_ends() -> None:
    engine = WordEngine(n_ctx=512, reply_words=80)
    text = source(150)  # about 60 parts: several combining rounds
    options = TaskOptions(text=text, params=SamplingParams(max_tokens=200), focus="apples")
    summarizer = Summarizer(engine, PromptTemplates(), options)  # type: ignore[arg-type]
    plan = summarizer.plan(text)
    run = drive(summary_job(options, PromptTemplates()), engine)

    labels = [p.label for p in run.progress]
    n = len(plan.parts)
    assert labels[:n] == [f"Summarizing part {i} of {n}" for i in range(1, n + 1)]
    rounds = [label for label in labels[n:-1] if label.startswith("Combining")]
    assert len(rounds) >= 2, labels  # at least one round before the final pass
    assert labels[-1].startswith("Combining ") and "(" not in labels[-1]
    assert len(engine.prompts) == len(labels)  # one generation per progress step
    # Progress never goes back, never claims to be done before the end, and its total was
    # an upper bound that holds.
    dones = [p.done for p in run.progress]
    assert dones == sorted(dones) and dones == list(range(len(labels)))
    assert all(p.done < p.total for p in run.progress)
    assert run.progress[0].total >= len(labels)
    # Every unseen pass used the part budget; only the final one may be longer.
    assert set(engine.max_tokens[:-1]) == {summarizer.part_params.max_tokens}
    assert engine.max_tokens[-1] == 200
    # Nothing streamed before the final pass; one Finished, last.
    first_delta = next(i for i, e in enumerate(run.events) if isinstance(e, TextDelta))
    assert isinstance(run.events[first_delta - 1], Progress)
    assert run.events[first_delta - 1] is run.progress[-1]
    assert len(run.finished) == 1 and run.events[-1] is run.finished[0]
    assert run.finished[0].text == "".join(run.deltas)
    assert "apples" in engine.prompts[0] and "apples" in engine.prompts[-1]


def test_cancel_between_parts_stops_before_the_next_part() -> None:
    engine = WordEngine(reply_words=10)
    cancel = threading.Event()
    job = summary_job(
        TaskOptions(text=source(40), params=SamplingParams(max_tokens=64)), PromptTemplates()
    )
    events: list[JobEvent] = []
    for event in job(engine, cancel):  # type: ignore[arg-type]
        events.append(event)
        if isinstance(event, Progress) and event.label.startswith("Summarizing part 3 "):
            cancel.set()
    assert isinstance(events[-1], Finished) and events[-1].stats.stop_reason == "cancelled"
    assert sum(isinstance(e, Finished) for e in events) == 1
    assert events[-2].label.startswith("Summarizing part 3 ")  # type: ignore[union-attr]
    assert len(engine.prompts) <= 3  # part 3 started with Stop set: it ends at once


# ---------------------------------------------------------------------- the real model

GREEDY = SamplingParams(temperature=0.0, max_tokens=12, seed=7)


class Recording:
    """The real engine, with a count of its passes; can set ``cancel`` once the pass number
    ``stop_in`` has streamed its first piece (Stop inside a generation)."""

    def __init__(self, engine: Engine, cancel: threading.Event, stop_in: int = 0) -> None:
        self.engine = engine
        self.status = engine.status
        self.cancel = cancel
        self.stop_in = stop_in
        self.passes = 0
        self.passes_after_stop = 0

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return self.engine.count_tokens(messages)

    def stream_chat(
        self, messages: Sequence[ChatMessage], params: SamplingParams, cancel: threading.Event
    ) -> Iterator[StreamEvent]:
        if self.cancel.is_set():
            self.passes_after_stop += 1
        self.passes += 1
        for event in self.engine.stream_chat(messages, params, cancel):
            if isinstance(event, TextDelta) and self.passes == self.stop_in:
                self.cancel.set()
            yield event


@pytest.mark.model
def test_a_text_ten_windows_long_is_summarized_with_progress(small_engine: Engine) -> None:
    text = source(60)
    assert len(small_engine.tokenize(text)) > 10 * small_engine.status.n_ctx
    options = TaskOptions(text=text, params=GREEDY)
    plan = Summarizer(small_engine, PromptTemplates(), options).plan(text)
    n = len(plan.parts)
    assert n >= 10
    cancel = threading.Event()
    engine = Recording(small_engine, cancel)
    run = drive(summary_job(options, PromptTemplates()), engine, cancel)

    labels = [p.label for p in run.progress]
    assert labels[:n] == [f"Summarizing part {i} of {n}" for i in range(1, n + 1)]
    assert labels[-1].startswith("Combining ")
    assert engine.passes == len(labels)
    assert [p.done for p in run.progress] == list(range(len(labels)))
    assert len(run.finished) == 1 and run.events[-1] is run.finished[0]
    finished = run.finished[0]
    assert finished.stats.stop_reason in ("eos", "length")
    assert finished.text == "".join(run.deltas) and finished.text.strip()


@pytest.mark.model
def test_stop_inside_a_part_ends_the_job_at_once(small_engine: Engine) -> None:
    cancel = threading.Event()
    engine = Recording(small_engine, cancel, stop_in=2)  # Stop while part 2 is generated
    job = summary_job(TaskOptions(text=source(60), params=GREEDY), PromptTemplates())
    run = drive(job, engine, cancel)
    assert engine.passes == 2 and engine.passes_after_stop == 0
    assert [p.label.split(" of ")[0] for p in run.progress] == [
        "Summarizing part 1",
        "Summarizing part 2",
    ]
    assert len(run.finished) == 1 and run.events[-1] is run.finished[0]
    assert run.finished[0].stats.stop_reason == "cancelled"
    assert run.finished[0].text == "" and run.deltas == []


@pytest.mark.model
def test_a_short_text_takes_one_streamed_pass(small_engine: Engine) -> None:
    cancel = threading.Event()
    engine = Recording(small_engine, cancel)
    text = "The bakery on Mill Street opens at six. It sells rye bread and apple pie."
    run = drive(
        summary_job(TaskOptions(text=text, params=GREEDY, length="sentence"), PromptTemplates()),
        engine,
        cancel,
    )
    assert engine.passes == 1
    assert [p.label for p in run.progress] == ["Summarizing"]
    assert run.deltas and run.finished[0].text == "".join(run.deltas)
    assert run.events[-1] is run.finished[0]


@pytest.mark.model
def test_cli_prints_the_summary_and_progress_on_stderr(
    tmp_path: Path, starter_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "towns.txt"
    document.write_text(source(12), encoding="utf-8")  # about two windows of 512
    code = cli.main(
        [
            "--data-dir",
            str(tmp_path / "data"),
            "generate",
            "--task",
            "summary",
            "--input",
            str(document),
            "--ctx",
            "512",
            "--max-tokens",
            "32",
            "--temperature",
            "0",
            "--model",
            str(starter_path),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip()
    assert "gptdesk: Summarizing part 1 of " in err
    assert "gptdesk: Combining " in err
    assert "Summarizing part" not in out
