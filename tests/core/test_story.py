"""Stories: prompt building (memory, author's note, cutting from the front), the continuation
state machine, export, and the CLI task on the real starter model."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from gptdesk.cli import main
from gptdesk.core.errors import ContextOverflowError
from gptdesk.core.inference.engine import Engine, Finished, SamplingParams, TextDelta
from gptdesk.core.writing.jobs import Progress, TaskOptions
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.core.writing.story import (
    Edit,
    StoryError,
    StoryPrompt,
    StoryRequest,
    StorySession,
    build_prompt,
    cli_job,
    continuation_job,
    count_words,
    default_title,
    engine_counter,
    export_text,
    insert_note,
    trim_incomplete,
    words_to_tokens,
)

MEMORY = "A quiet mystery on a remote island. Mara keeps the lighthouse. Style: short sentences."
NOTE = "Something strange washes ashore."


@pytest.fixture
def prompts() -> PromptTemplates:
    return PromptTemplates()


def words(text: str) -> int:
    """A stand-in tokenizer for pure tests: one token per word, plus one (the BOS)."""
    return len(text.split()) + 1


def paragraphs(n: int) -> str:
    return "\n\n".join(f"Paragraph {i} begins. It ends here." for i in range(1, n + 1))


def long_story(sentences: int) -> str:
    lines = []
    for i in range(sentences):
        lines.append(f"Sentence number {i} tells of the wind and the sea at night.")
        if i % 5 == 4:
            lines.append("\n\n")
        else:
            lines.append(" ")
    return "".join(lines).rstrip() + " The last line is here."


# ---------------------------------------------------------------------- prompt building


def test_the_note_goes_three_paragraphs_before_the_end() -> None:
    text = paragraphs(5)
    out = insert_note(text, "[Author's note: x]")
    parts = out.split("\n\n")
    assert parts == [
        "Paragraph 1 begins. It ends here.",
        "Paragraph 2 begins. It ends here.",
        "[Author's note: x]",
        "Paragraph 3 begins. It ends here.",
        "Paragraph 4 begins. It ends here.",
        "Paragraph 5 begins. It ends here.",
    ]


def test_the_note_keeps_the_manuscripts_line_breaks_and_goes_on_top_of_short_texts() -> None:
    single = "One.\nTwo.\nThree.\nFour."
    assert insert_note(single, "[N]") == "One.\n[N]\nTwo.\nThree.\nFour."
    assert insert_note("One.\n\nTwo.", "[N]") == "[N]\n\nOne.\n\nTwo."
    assert insert_note("", "[N]") == "[N]\n\n"
    assert insert_note(single, "") == single


def test_memory_then_the_story_with_the_note_inside(prompts: PromptTemplates) -> None:
    before = paragraphs(5)
    prompt = build_prompt(StoryRequest(before, MEMORY, NOTE, 50), prompts, words, 2048)
    assert prompt.text.startswith(f"[{MEMORY}]\n\n")
    assert prompt.text.endswith("Paragraph 5 begins. It ends here.")
    note_at = prompt.text.index(f"[Author's note: {NOTE}]")
    assert prompt.text.index("Paragraph 2") < note_at < prompt.text.index("Paragraph 3")
    assert prompt.kept_from == 0
    assert prompt.tokens == words(prompt.text)


def test_no_memory_and_no_note_is_the_bare_manuscript(prompts: PromptTemplates) -> None:
    prompt = build_prompt(StoryRequest("Once upon a time "), prompts, words, 2048)
    assert prompt.text == "Once upon a time"  # a trailing space would make the model skip one
    after_break = build_prompt(StoryRequest("The end.\n\n"), prompts, words, 2048)
    assert after_break.text == "The end."


def test_a_long_manuscript_is_cut_from_the_front_at_a_sentence(prompts: PromptTemplates) -> None:
    before = long_story(400)  # about 5,000 words
    request = StoryRequest(before, MEMORY, NOTE, max_tokens=100)
    prompt = build_prompt(request, prompts, words, 1024)
    assert prompt.kept_from > 0
    assert prompt.tokens <= 1024 - 100
    assert prompt.text.startswith(f"[{MEMORY}]\n\n")
    assert prompt.text.endswith("The last line is here.")
    kept = before[prompt.kept_from :]
    assert kept.startswith("Sentence number")  # a sentence's start, not a cut word
    assert prompt.text.replace(f"[Author's note: {NOTE}]\n\n", "").endswith(kept)
    # The earliest boundary that fits: the sentence before it would not.
    earlier = before.rfind("Sentence number", 0, prompt.kept_from - 1)
    bigger = build_prompt(StoryRequest(before[earlier:], MEMORY, NOTE, 100), prompts, words, 1024)
    assert bigger.kept_from > 0


def test_memory_that_leaves_no_room_is_an_actionable_error(prompts: PromptTemplates) -> None:
    request = StoryRequest("Short story.", "word " * 600, "", max_tokens=100)
    with pytest.raises(ContextOverflowError, match="Shorten the memory"):
        build_prompt(request, prompts, words, 512)


def test_a_story_without_boundaries_is_still_cut_to_fit(prompts: PromptTemplates) -> None:
    before = "x" * 5000  # one endless "word": cut by characters
    prompt = build_prompt(StoryRequest(before), prompts, len, 512)
    assert 0 < prompt.kept_from < len(before)
    assert prompt.tokens <= 512 - min(words_to_tokens(80), 256)
    assert prompt.text.endswith("x")


# ---------------------------------------------------------------------- on the real model


@pytest.mark.model
def test_the_prompt_sent_keeps_memory_and_the_latest_text(
    small_engine: Engine, prompts: PromptTemplates
) -> None:
    before = long_story(300)  # several 512-token windows
    assert engine_counter(small_engine)(before) > 4 * 512
    request = StoryRequest(before, MEMORY, NOTE, max_tokens=24)
    sent: list[StoryPrompt] = []
    job = continuation_job(request, prompts, SamplingParams(seed=5), on_prompt=sent.append)
    events = list(job(small_engine, threading.Event()))
    assert len(sent) == 1
    prompt = sent[0]
    assert prompt.text.startswith(f"[{MEMORY}]")
    assert f"[Author's note: {NOTE}]" in prompt.text
    assert prompt.text.endswith("The last line is here.")
    assert prompt.kept_from > 0
    assert prompt.tokens == len(small_engine.tokenize(prompt.text, chat=False))
    assert prompt.tokens <= 512 - 24
    # The note sits three paragraphs before the end of what the model sees.
    after_note = prompt.text.split(f"[Author's note: {NOTE}]", 1)[1]
    assert len([p for p in after_note.split("\n\n") if p.strip()]) == 3
    last = events[-1]
    assert isinstance(last, Finished)
    assert last.stats.prompt_tokens == prompt.tokens
    assert last.text == "".join(e.text for e in events if isinstance(e, TextDelta))
    assert 0 < last.stats.completion_tokens <= 24


@pytest.mark.model
def test_a_fitting_story_is_sent_whole(engine: Engine, prompts: PromptTemplates) -> None:
    before = paragraphs(4)
    prompt = build_prompt(
        StoryRequest(before, MEMORY, "", 64), prompts, engine_counter(engine), 2048
    )
    assert prompt.text == f"[{MEMORY}]\n\n{before}"
    assert prompt.kept_from == 0


@pytest.mark.model
def test_cli_job_prints_alternatives_under_headers(
    engine: Engine, prompts: PromptTemplates
) -> None:
    options = TaskOptions(
        text="The ship came into the harbour at dawn.",
        params=SamplingParams(seed=11),
        length="12",
        n=2,
        memory=MEMORY,
        note=NOTE,
    )
    events = list(cli_job(options, prompts)(engine, threading.Event()))
    progress = [e for e in events if isinstance(e, Progress)]
    assert [p.label for p in progress] == ["Alternative 1 of 2", "Alternative 2 of 2", "Done"]
    out = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert out.startswith("--- Alternative 1 of 2 ---\n")
    assert "\n\n--- Alternative 2 of 2 ---\n" in out
    first, second = re.split(r"\n*--- Alternative \d of 2 ---\n", out)[1:]
    assert first.strip() and second.strip() and first != second
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.text == out
    assert finished.stats.completion_tokens <= 2 * words_to_tokens(12)


def test_cli_job_rejects_a_length_that_is_not_words(prompts: PromptTemplates) -> None:
    with pytest.raises(StoryError, match="--length 120"):
        cli_job(TaskOptions(text="Hi.", length="bullets"), prompts)


@pytest.mark.model
def test_cli_task_story(tmp_path: Path, starter_path: Path, capsys) -> None:
    story = tmp_path / "story.txt"
    story.write_text("The old clock in the hall struck thirteen.\n", encoding="utf-8")
    memory = tmp_path / "memory.txt"
    memory.write_text(MEMORY, encoding="utf-8")
    args = ["--data-dir", str(tmp_path / "data"), "generate", "--task", "story"]
    args += ["--model", str(starter_path), "--input", str(story), "--memory", str(memory)]
    args += ["--note", NOTE, "--n", "2", "--length", "10", "--seed", "3", "--ctx", "1024"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("--- Alternative 1 of 2 ---\n")
    assert "--- Alternative 2 of 2 ---" in captured.out
    assert "Alternative 2 of 2 (1/2)" in captured.err


# ---------------------------------------------------------------------- helpers


def test_trim_incomplete_keeps_whole_sentences() -> None:
    assert trim_incomplete(" She ran. Then the door") == " She ran."
    assert trim_incomplete(' "Stop!" he said. And') == ' "Stop!" he said.'
    assert trim_incomplete(" one long unfinished") == " one long unfinished"
    assert trim_incomplete(" Done.\nAnd then") == " Done."
    assert trim_incomplete(" A line\nAnd then") == " A line"


def test_word_count_and_length() -> None:
    assert count_words("It's a well-known fact, isn't it? 42 times.") == 8
    assert count_words("") == 0
    assert count_words("你好世界") == 4
    assert words_to_tokens(100) == 150
    assert words_to_tokens(1) == 8


def test_titles_and_export() -> None:
    assert default_title("  The   storm\ncame. ") == "The storm came."
    assert default_title("") == "Untitled story"
    assert default_title("word " * 30).endswith("…")
    text = "First line.\nSecond line.\n\nThird."
    assert export_text("My  story", text, "txt") == text + "\n"
    assert export_text("My  story", text, "md") == (
        "# My story\n\nFirst line.\n\nSecond line.\n\nThird.\n"
    )


# ---------------------------------------------------------------------- state machine


def stream(session: StorySession, text: str, stop: str = "eos") -> str:
    """Feed ``text`` word by word as the model would; returns the manuscript after it."""
    shown = session.text
    pieces = re.findall(r"\s*\S+|\s+$", text)
    for piece in pieces:
        edit = session.append(piece)
        if edit is not None:
            shown = edit.apply(shown)
    end = session.finish(stop)
    if end is not None:
        shown = end.apply(shown)
    assert shown == session.text  # the edits reproduce the session's text exactly
    return shown


def test_continue_streams_at_the_end_and_accept_makes_it_text() -> None:
    session = StorySession("The night was cold.", memory=MEMORY, note=NOTE, words=50)
    request = session.begin()
    assert request == StoryRequest("The night was cold.", MEMORY, NOTE, words_to_tokens(50))
    stream(session, " The wind howled.")
    assert session.text == "The night was cold. The wind howled."
    assert session.pending is not None
    assert (session.pending.start, session.pending.text) == (19, " The wind howled.")
    assert session.accepted_text == "The night was cold."
    accepted = session.accept()
    assert accepted is not None and accepted.text == " The wind howled."
    assert session.pending is None
    assert session.accepted_text == "The night was cold. The wind howled."


def test_continue_at_the_cursor_keeps_the_text_after_it() -> None:
    session = StorySession("Start. End.")
    request = session.begin(cursor=6)
    assert request.before == "Start."
    stream(session, " Middle.")
    assert session.text == "Start. Middle. End."


def test_a_space_before_the_cursor_is_not_doubled() -> None:
    session = StorySession("Once upon a time ")
    session.begin()
    stream(session, " there was a king.")
    assert session.text == "Once upon a time there was a king."


def test_a_new_paragraph_is_not_given_a_second_line_break() -> None:
    session = StorySession("Para one.\n\n")
    session.begin()
    stream(session, "\n\nPara two.")
    assert session.text == "Para one.\n\nPara two."


def test_undo_restores_the_exact_previous_text() -> None:
    original = "Line one.\n\nLine two  "
    session = StorySession(original)
    session.begin(cursor=9)
    stream(session, " Added words.")
    edit = session.undo()
    assert edit == Edit(9, len(" Added words."))
    assert session.text == original
    assert session.pending is None
    with pytest.raises(StoryError):
        session.undo()


def test_retry_replaces_the_continuation_at_the_same_place() -> None:
    session = StorySession("Begin.")
    session.begin()
    stream(session, " First try.")
    edit, request = session.retry()
    assert edit == Edit(6, len(" First try."))
    assert request.before == "Begin."
    assert session.text == "Begin."
    stream(session, " Second try.")
    assert session.text == "Begin. Second try."
    assert session.pending is not None and session.pending.text == " Second try."


def test_continuing_again_accepts_the_pending_continuation() -> None:
    session = StorySession("A.")
    session.begin()
    stream(session, " B.")
    request = session.begin()
    assert request.before == "A. B."
    stream(session, " C.")
    session.undo()
    assert session.text == "A. B."  # only the newest continuation is undone


def test_a_continuation_cut_by_its_length_loses_its_unfinished_sentence() -> None:
    session = StorySession("Rain.")
    session.begin()
    shown = stream(session, " It fell for days. Then the river", stop="length")
    assert shown == "Rain. It fell for days."
    stopped = StorySession("Rain.")
    stopped.begin()
    assert stream(stopped, " It fell. Then", stop="cancelled") == "Rain. It fell. Then"


def test_an_empty_continuation_leaves_nothing_pending() -> None:
    session = StorySession("Rain.")
    session.begin()
    assert session.finish("eos") is None
    assert session.pending is None and session.text == "Rain."


def test_a_failed_continuation_removes_what_it_wrote() -> None:
    session = StorySession("Rain.")
    session.begin()
    session.append(" It")
    assert session.fail() == Edit(5, 3)
    assert session.text == "Rain." and session.pending is None


def test_typing_accepts_the_continuation() -> None:
    session = StorySession("Rain.")
    session.begin()
    stream(session, " Snow.")
    session.set_text("Rain. Snow. Sun.")
    assert session.pending is None
    assert session.text == "Rain. Snow. Sun."
    with pytest.raises(StoryError):
        session.retry()


def test_nothing_to_continue_is_refused_but_memory_alone_is_enough() -> None:
    with pytest.raises(StoryError, match="nothing to continue"):
        StorySession("   ").begin()
    assert StorySession("", memory="A fable about a fox.").begin().before == ""


def test_no_second_continuation_while_one_streams() -> None:
    session = StorySession("A.")
    session.begin()
    with pytest.raises(StoryError):
        session.begin()
    with pytest.raises(StoryError):
        session.plan_alternatives(2)


def test_alternatives_use_different_seeds_and_picking_replaces_the_pending() -> None:
    session = StorySession("Dawn.")
    session.begin()
    stream(session, " First.")
    plan = session.plan_alternatives(3, base_seed=100)
    assert plan.seeds == (100, 101, 102)
    assert plan.anchor == 5 and plan.before == "Dawn."
    assert all(r.before == "Dawn." for r in plan.requests)
    edit = session.choose(plan, " Second.")
    assert edit == Edit(5, len(" First."), " Second.")
    assert session.text == "Dawn. Second."
    edit = session.choose(plan, " Third.")  # picking another replaces the pick
    assert session.text == "Dawn. Third."
    session.undo()
    assert session.text == "Dawn."


def test_alternatives_without_a_pending_continuation_go_in_at_their_place() -> None:
    session = StorySession("Dawn. Dusk.")
    plan = session.plan_alternatives(2, cursor=5)
    assert plan.before == "Dawn." and len(set(plan.seeds)) == 2
    session.choose(plan, " Noon.")
    assert session.text == "Dawn. Noon. Dusk."
    assert session.pending is not None and session.pending.text == " Noon."
    # The user rewrote the beginning since: the pick goes in at the cursor instead.
    session.set_text("Morning. Noon. Dusk.")
    session.choose(plan, " Later.", cursor=8)
    assert session.text == "Morning. Later. Noon. Dusk."


def test_a_saved_pending_continuation_is_restored() -> None:
    session = StorySession("Start. Added.", pending=(6, 7))
    assert session.pending is not None and session.pending.text == " Added."
    assert session.accepted_text == "Start."
    session.undo()
    assert session.text == "Start."
    assert StorySession("Short.", pending=(3, 50)).pending is None  # out of range: ignored
