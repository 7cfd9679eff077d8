"""Translation: splitting that keeps every paragraph and separator, part-by-part progress and
cancel with a stand-in translator, languages, and the real starter model and CLI."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gptdesk import cli
from gptdesk.core.inference.engine import (
    Engine,
    Finished,
    GenerationStats,
    SamplingParams,
    TextDelta,
)
from gptdesk.core.writing.jobs import JobEvent, Progress, TaskOptions
from gptdesk.core.writing.prompts import PromptError, PromptTemplates
from gptdesk.core.writing.translate import (
    LANGUAGES,
    TOP_LANGUAGES,
    Piece,
    TranslateError,
    chunk_messages,
    cli_job,
    plan_pieces,
    resolve_language,
    run_pieces,
    split_source,
    translation_job,
)

MARKDOWN = """\
# Getting started

Install the app. Then open it
and pick a model.

## Steps

1. Download the file.
2. Open it.
   It takes a minute.
- [ ] Check the *result*
- [x] Read `notes.md`

> A quote that
> spans two lines.

```python
# a comment, not a heading
print("hello")

x = 1
```

| Name | Role |
|------|:----:|
| Ana  | Lead |

Setext title
------------

***

Last line without a newline"""


def words(text: str) -> int:
    return len(text.split())


def stats(stop: str = "eos", tokens: int = 1) -> GenerationStats:
    return GenerationStats(10, 10, tokens, 0.01, 100.0, 1000.0, 0.1, stop)  # type: ignore[arg-type]


def fake_translator(
    transform: Callable[[str], str] = lambda s: s,
    seen: list[tuple[str, str]] | None = None,
    on_token: Callable[[int], None] | None = None,
) -> Callable[[str, str, threading.Event], Iterator[JobEvent]]:
    """A part translator that streams ``transform(text)`` word by word (checking its cancel
    event before each, like the engine) and records (text, previous) per call."""

    def translate(text: str, previous: str, cancel: threading.Event) -> Iterator[JobEvent]:
        if seen is not None:
            seen.append((text, previous))
        out = transform(text)
        tokens = out.split(" ")
        sent: list[str] = []
        for i, word in enumerate(tokens):
            if cancel.is_set():
                yield Finished("".join(sent), stats("cancelled", len(sent)))
                return
            piece = word if i == 0 else " " + word
            sent.append(piece)
            yield TextDelta(piece)
            if on_token is not None:
                on_token(len(sent))
        yield Finished("".join(sent), stats("eos", len(sent)))

    return translate


def run(pieces: list[Piece], translate, cancel: threading.Event | None = None):
    events = list(run_pieces(pieces, translate, cancel or threading.Event()))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    progress = [e for e in events if isinstance(e, Progress)]
    finished = [e for e in events if isinstance(e, Finished)]
    assert len(finished) == 1 and events[-1] is finished[0]
    assert finished[0].text == text  # the ending carries exactly what was streamed
    return text, progress, finished[0]


# ---------------------------------------------------------------------- splitting


def test_splitting_keeps_every_character_and_copies_the_structure():
    pieces = split_source(MARKDOWN)
    assert "".join(p.text for p in pieces) == MARKDOWN
    translated = [p.text for p in pieces if p.translate]
    assert translated == [
        "Getting started",
        "Install the app. Then open it\nand pick a model.",
        "Steps",
        "Download the file.",
        "Open it.\n   It takes a minute.",
        "Check the *result*",
        "Read `notes.md`",
        "A quote that",
        "spans two lines.",
        "Name",
        "Role",
        "Ana",
        "Lead",
        "Setext title",
        "Last line without a newline",
    ]
    copied = "".join(p.text for p in pieces if not p.translate)
    assert '```python\n# a comment, not a heading\nprint("hello")\n\nx = 1\n```\n' in copied
    for marker in ("# ", "## ", "1. ", "2. ", "- [ ] ", "- [x] ", "> ", "|------|:----:|"):
        assert marker in copied


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "One line",
        "  indented\n\n\n\ttabbed paragraph  \n",
        "Windows\r\nline ends\r\n\r\nsecond",
        "```\nan unclosed fence\n\nstill code",
        "第一段。第二句！\n\n第二段",
        "12345\n\n---\n\n***",
    ],
)
def test_splitting_round_trips_odd_texts(text):
    pieces = split_source(text)
    assert "".join(p.text for p in pieces) == text
    assert all(p.text for p in pieces)
    assert all(p.text == p.text.strip() for p in pieces if p.translate)


def test_long_paragraphs_are_cut_within_the_budget_at_sentence_ends():
    sentence = "This sentence has exactly eight words in it."
    paragraph = " ".join([sentence] * 12)
    text = f"# Title\n\n{paragraph}\n\nShort end."
    pieces = plan_pieces(text, words, budget=20)
    assert "".join(p.text for p in pieces) == text
    parts = [p.text for p in pieces if p.translate]
    assert all(words(p) <= 20 for p in parts)
    assert parts[0] == "Title" and parts[-1] == "Short end."
    assert all(p.endswith(".") for p in parts[1:-1])  # whole sentences
    assert sum(p.count(sentence) for p in parts) == 12


def test_text_without_spaces_is_cut_at_sentence_ends_or_anywhere():
    def chars(text: str) -> int:
        return len(text)

    cjk = "今天天气很好。我们去公园吧！" * 4
    pieces = plan_pieces(cjk, chars, budget=10)
    assert "".join(p.text for p in pieces) == cjk
    assert all(len(p.text) <= 10 for p in pieces if p.translate)
    assert [p.text for p in pieces if p.translate][:2] == ["今天天气很好。", "我们去公园吧！"]
    url = "https://example.com/" + "a" * 100
    pieces = plan_pieces(url, chars, budget=16)
    assert "".join(p.text for p in pieces) == url
    assert all(len(p.text) <= 16 for p in pieces)


# ---------------------------------------------------------------------- running


def test_identity_translation_gives_the_markdown_back_exactly():
    seen: list[tuple[str, str]] = []
    text, progress, finished = run(split_source(MARKDOWN), fake_translator(seen=seen))
    assert text == MARKDOWN
    assert finished.stats.stop_reason == "eos"
    total = len(seen)
    assert total == 15
    assert [p.label for p in progress[:-1]] == [
        f"Translating part {i} of {total}" for i in range(1, total + 1)
    ]
    assert [(p.done, p.total) for p in progress] == [(i, total) for i in range(total + 1)]
    assert progress[-1].label == f"Translated {total} parts"
    # each part gets the previous part's translation as context
    assert seen[0] == ("Getting started", "")
    assert seen[1][1] == "Getting started"
    assert seen[2][1] == "Install the app. Then open it\nand pick a model."


def test_what_a_model_adds_around_a_part_cannot_change_the_structure():
    def chatty(text: str) -> str:
        return f"\n  {text.upper()}  \n\n\nNote: this was easy. Note: this was easy."

    calls: list[int] = []
    translate = fake_translator(chatty, on_token=calls.append)
    source = "# Title\n\nFirst paragraph.\n\n- item one\n- item two\n"
    text, _progress, _finished = run(split_source(source), translate)
    assert text == "# TITLE\n\nFIRST PARAGRAPH.\n\n- ITEM ONE\n- ITEM TWO\n"
    # the model is stopped at the line break the source does not have, not left to ramble
    assert max(calls) < len(chatty("FIRST PARAGRAPH.").split(" "))


def test_a_multi_line_part_keeps_its_line_breaks_and_loses_blank_lines():
    source = "Roses are red,\nviolets are blue.\n\nEnd."
    translate = fake_translator(lambda s: s.replace("\n", "\n\n") + "\nextra line")
    text, _p, _f = run(split_source(source), translate)
    assert text == "Roses are red,\nviolets are blue.\n\nEnd."


def test_cancel_between_parts_stops_before_the_next_one():
    cancel = threading.Event()
    seen: list[tuple[str, str]] = []
    base = fake_translator(seen=seen)

    def translate(text, previous, part_cancel):
        yield from base(text, previous, part_cancel)
        if len(seen) == 2:
            cancel.set()  # Stop pressed while part 2 was ending

    source = "One.\n\nTwo.\n\nThree.\n\nFour."
    text, progress, finished = run(split_source(source), translate, cancel)
    assert finished.stats.stop_reason == "cancelled"
    assert text == "One.\n\nTwo."
    assert len(seen) == 2
    assert [p.label for p in progress] == ["Translating part 1 of 4", "Translating part 2 of 4"]


def test_cancel_within_a_part_stops_it_mid_stream():
    cancel = threading.Event()
    seen: list[tuple[str, str]] = []

    def on_token(n: int) -> None:
        if len(seen) == 2 and n == 2:
            cancel.set()

    source = "One two three.\n\nFour five six seven eight.\n\nNine."
    translate = fake_translator(seen=seen, on_token=on_token)
    text, _progress, finished = run(split_source(source), translate, cancel)
    assert finished.stats.stop_reason == "cancelled"
    assert text == "One two three.\n\nFour five"
    assert finished.stats.completion_tokens == 3 + 2


def test_a_part_cut_at_the_token_limit_is_reported():
    def translate(text, previous, cancel):
        yield TextDelta(text[:3])
        yield Finished(text[:3], stats("length", 1))

    _text, _progress, finished = run(split_source("Hello.\n\nWorld."), translate)
    assert finished.stats.stop_reason == "length"
    assert finished.stats.completion_tokens == 2


def test_only_copied_text_needs_no_model():
    source = "```\ncode only\n```\n"
    text, progress, finished = run(split_source(source), fake_translator(lambda s: "X"))
    assert text == source and progress == [] and finished.stats.completion_tokens == 0


# ---------------------------------------------------------------------- languages and prompts


def test_languages_start_with_the_most_asked_for_then_run_a_to_z():
    assert LANGUAGES[:7] == TOP_LANGUAGES
    assert TOP_LANGUAGES[0] == "Chinese (Simplified)" and "Spanish" in TOP_LANGUAGES
    rest = LANGUAGES[7:]
    assert list(rest) == sorted(rest)
    assert len(set(LANGUAGES)) == len(LANGUAGES)
    for name in ("Chinese (Traditional)", "Portuguese", "Italian", "Russian", "Arabic", "Hindi"):
        assert name in rest
    for name in ("Vietnamese", "Thai", "Indonesian", "Turkish", "Dutch", "Polish", "Ukrainian"):
        assert name in rest


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("french", "French"),
        (" FR ", "French"),
        ("zh-TW", "Chinese (Traditional)"),
        ("Chinese", "Chinese (Simplified)"),
        ("chinese (simplified)", "Chinese (Simplified)"),
    ],
)
def test_languages_are_found_by_name_or_code(given, expected):
    assert resolve_language(given) == expected


def test_an_unknown_language_lists_the_valid_ones():
    with pytest.raises(TranslateError, match=r"'Klingon' is not a language.*French, German"):
        resolve_language("Klingon")


def test_the_prompt_names_the_languages_the_context_and_the_text():
    prompts = PromptTemplates()
    [message] = chunk_messages(prompts, "Hello\nworld", "French", None, "")
    assert message.role == "user"
    assert "into French" in message.content and "whatever language" in message.content
    assert message.content.endswith("Hello\nworld")
    assert "context" not in message.content
    [message] = chunk_messages(prompts, "Hi", "German", "English", "Guten Tag.")
    assert "from English into German" in message.content
    assert "Guten Tag." in message.content and message.content.endswith("Hi")


def test_a_broken_template_fails_before_the_engine_is_used(tmp_path: Path):
    prompts = PromptTemplates(tmp_path / "app.sqlite3")
    prompts.set("translate_chunk", "Translate {{ text }} for {{ audience }}")
    with pytest.raises(PromptError, match="audience"):
        translation_job("Hello", "French", prompts)
    prompts.close()


def test_the_cli_job_needs_a_target_language():
    with pytest.raises(TranslateError, match=r"--to LANG.*Chinese \(Simplified\), English"):
        cli_job(TaskOptions(text="Hello"), PromptTemplates())
    with pytest.raises(TranslateError, match="Klingon"):
        cli_job(TaskOptions(text="Hello", language="Klingon"), PromptTemplates())


def test_the_cli_says_which_languages_exist(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("Hello"))
    args = ["--data-dir", str(tmp_path), "generate", "--task", "translate", "--input", "-"]
    assert cli.main([*args, "--to", "Elvish"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("gptdesk: 'Elvish' is not a language") and "Japanese" in err


# ---------------------------------------------------------------------- the real model


def drive(engine: Engine, job, cancel: threading.Event | None = None, stop_after: int = 0):
    cancel = cancel or threading.Event()
    deltas: list[str] = []
    progress: list[Progress] = []
    finished: list[Finished] = []
    for event in job(engine, cancel):
        if isinstance(event, TextDelta):
            deltas.append(event.text)
            if stop_after and len(deltas) >= stop_after:
                cancel.set()
        elif isinstance(event, Progress):
            progress.append(event)
        elif isinstance(event, Finished):
            finished.append(event)
    assert len(finished) == 1
    assert finished[0].text == "".join(deltas)
    return finished[0], progress


@pytest.mark.model
def test_real_model_translates_two_paragraphs_keeping_them_apart(small_engine: Engine):
    source = "Good morning. The sun is shining.\n\nWe are going to the market today."
    params = SamplingParams(temperature=0.0, max_tokens=24)
    job = translation_job(source, "French", PromptTemplates(), params)
    finished, progress = drive(small_engine, job)
    paragraphs = finished.text.split("\n\n")
    assert len(paragraphs) == 2 and all(p.strip() for p in paragraphs)
    assert [p.label for p in progress] == [
        "Translating part 1 of 2",
        "Translating part 2 of 2",
        "Translated 2 parts",
    ]
    assert finished.stats.completion_tokens > 0
    assert finished.stats.stop_reason in ("eos", "length")


@pytest.mark.model
def test_real_model_translation_stops_when_cancelled(small_engine: Engine):
    source = "One paragraph here.\n\nAnother one there.\n\nAnd a third one."
    params = SamplingParams(temperature=0.0, max_tokens=24)
    job = translation_job(source, "German", PromptTemplates(), params)
    finished, progress = drive(small_engine, job, stop_after=2)
    assert finished.stats.stop_reason == "cancelled"
    assert len(progress) == 1  # no part after the one that was stopped


@pytest.mark.model
def test_cli_translates_to_french(starter_path: Path, tmp_path: Path, capsys):
    source = tmp_path / "source.txt"
    source.write_text("Hello, my friend.\n\nSee you tomorrow.", encoding="utf-8")
    code = cli.main(
        [
            "--data-dir",
            str(tmp_path / "data"),
            "generate",
            "--task",
            "translate",
            "--to",
            "French",
            "--input",
            str(source),
            "--model",
            str(starter_path),
            "--ctx",
            "512",
            "--max-tokens",
            "16",
            "--temperature",
            "0",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Translating part 1 of 2" in err and "Translating part 2 of 2" in err
    first, second = out.rstrip("\n").split("\n\n")
    assert first.strip() and second.strip()
