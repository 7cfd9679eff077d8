"""Email drafts: prompt building, the Subject/body parser, mailto: links, N seeded drafts, and
one draft end to end on the starter model (also through ``gptdesk generate --task email``)."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from gptdesk import cli
from gptdesk.core.inference.engine import ChatMessage, Engine, Finished, SamplingParams, TextDelta
from gptdesk.core.writing.emails import (
    Draft,
    EmailRequest,
    draft_params,
    draft_seeds,
    draft_title,
    drafts_job,
    email_addresses,
    email_messages,
    email_params,
    mailto_url,
    parse_draft,
    parse_points,
    refine_messages,
    request_from_options,
)
from gptdesk.core.writing.jobs import Progress, TaskOptions
from gptdesk.core.writing.prompts import PromptError, PromptTemplates

REQUEST = EmailRequest(
    recipient="Anna Berg, my manager",
    purpose="ask for Friday afternoon off",
    points=("dentist appointment at 2 pm", "the quarterly report is done by Thursday"),
    tone="apologetic",
    length="short",
    language="German",
    signature="Tom",
)
INCOMING = "Hi Tom,\nare you joining the offsite on Friday?\nBest, Anna"


@pytest.fixture
def prompts() -> Iterator[PromptTemplates]:
    templates = PromptTemplates()
    yield templates
    templates.close()


class RecordingEngine:
    """The real engine, with a note of every chat request it is sent."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sent: list[tuple[tuple[ChatMessage, ...], SamplingParams]] = []

    def stream_chat(
        self, messages: Sequence[ChatMessage], params: SamplingParams, cancel: threading.Event
    ) -> Iterator[object]:
        self.sent.append((tuple(messages), params))
        return self.engine.stream_chat(messages, params, cancel)


def run(job, engine) -> tuple[list[object], Finished]:
    events = list(job(engine, threading.Event()))
    finished = events[-1]
    assert isinstance(finished, Finished)
    assert sum(isinstance(e, Finished) for e in events) == 1
    return events, finished


# ---------------------------------------------------------------------- prompts


def test_a_new_email_prompt_carries_every_field(prompts):
    (message,) = email_messages(REQUEST, prompts)
    assert message.role == "user"
    text = message.content
    for part in (
        "Anna Berg, my manager",
        "ask for Friday afternoon off",
        "- dentist appointment at 2 pm",
        "- the quarterly report is done by Thursday",
        "apologetic",
        "at most 80 words",  # length short
        "German",
        "Tom",
        "Subject: ",  # the output format the parser expects
    ):
        assert part in text, part
    assert "email I received" not in text  # not a reply


@pytest.mark.parametrize(
    ("length", "expected"),
    [("short", "at most 80 words"), ("medium", "100 to 200 words"), ("long", "250 to 400")],
)
def test_each_length_asks_for_its_size(prompts, length, expected):
    request = EmailRequest(purpose="say thanks", length=length)
    assert expected in email_messages(request, prompts)[0].content


def test_no_language_means_the_language_of_the_input(prompts):
    new = email_messages(EmailRequest(purpose="say thanks"), prompts)[0].content
    reply = email_messages(EmailRequest(incoming=INCOMING), prompts)[0].content
    assert "language the request above is written in" in new
    assert "language of the email I received" in reply


def test_a_reply_prompt_includes_the_incoming_mail_and_what_to_say(prompts):
    request = EmailRequest(
        purpose="yes, I will come", points=("arrive at 10",), tone="friendly", incoming=INCOMING
    )
    assert request.is_reply
    text = email_messages(request, prompts)[0].content
    assert INCOMING in text
    assert "yes, I will come" in text
    assert "- arrive at 10" in text
    assert "friendly" in text
    assert '"Re: "' in text


def test_notes_and_empty_points_are_handled(prompts):
    request = EmailRequest(points=("", "  "), notes="tell Bob I am running late")
    text = email_messages(request, prompts)[0].content
    assert "tell Bob I am running late" in text
    assert "must mention" not in text  # blank points are no points
    assert EmailRequest().is_empty and not request.is_empty


@pytest.mark.parametrize(
    ("action", "wording"),
    [
        ("shorter", "shorter"),
        ("formal", "more formal"),
        ("warmer", "warmer"),
        ("grammar", "grammar, spelling"),
    ],
)
def test_refine_includes_the_draft_and_the_instruction(prompts, action, wording):
    draft = Draft("Friday", "Dear Anna,\nI need Friday off.\nTom")
    text = refine_messages(draft, prompts, action)[0].content
    assert "Subject: Friday\n\nDear Anna,\nI need Friday off.\nTom" in text
    assert wording in text


def test_a_custom_refinement_sends_the_users_words(prompts):
    text = refine_messages(
        "Dear Anna, ...", prompts, "custom", "mention the budget", language="French"
    )[0].content
    assert "Dear Anna, ..." in text
    assert "mention the budget" in text
    assert "French" in text
    with pytest.raises(ValueError):
        refine_messages("x", prompts, "custom", "  ")
    with pytest.raises(ValueError):
        refine_messages("x", prompts, "louder")


def test_a_broken_user_template_is_reported(tmp_path):
    templates = PromptTemplates(tmp_path / "db.sqlite3")
    templates.set("email_write", "Write to {{ boss }}")
    with pytest.raises(PromptError, match="email_write"):
        email_messages(REQUEST, templates)
    templates.reset("email_write")
    assert "Anna Berg" in email_messages(REQUEST, templates)[0].content
    templates.close()


def test_points_typed_one_per_line():
    text = "- first\n\n* second\n3. third\n   fourth  \n• fifth\n"
    assert parse_points(text) == ("first", "second", "third", "fourth", "fifth")
    assert parse_points("  \n") == ()


# ---------------------------------------------------------------------- parser


@pytest.mark.parametrize(
    ("text", "subject", "body"),
    [
        ("Subject: Friday off\n\nDear Anna,\nThanks.", "Friday off", "Dear Anna,\nThanks."),
        ("Dear Anna,\n\nThanks.\nTom", "", "Dear Anna,\n\nThanks.\nTom"),
        (
            "\n\n  Subject:   Friday off  \n\n\n\nDear Anna,\n\n\n\nTom\n\n",
            "Friday off",
            "Dear Anna,\n\nTom",
        ),
        ("**Subject:** Friday off\n\nDear Anna", "Friday off", "Dear Anna"),
        ("**Subject: Friday off**\n\nDear Anna", "Friday off", "Dear Anna"),
        ("## Subject: Friday off\nDear Anna", "Friday off", "Dear Anna"),
        ('SUBJECT : "Friday off"\n\nDear Anna', "Friday off", "Dear Anna"),
        ("Here is your email:\n\nSubject: Friday off\n\nDear Anna", "Friday off", "Dear Anna"),
        ("```\nSubject: Friday off\n\nDear Anna\n```", "Friday off", "Dear Anna"),
        ("Subject: Friday off\n---\nDear Anna", "Friday off", "Dear Anna"),
        ("Subject: Friday off\n\n**Body:**\nDear Anna", "Friday off", "Dear Anna"),
        ("Subject: Re: Offsite\r\n\r\nHi Anna,\r\nyes.", "Re: Offsite", "Hi Anna,\nyes."),
        ("Betreff: Freitag\n\nHallo Anna", "Freitag", "Hallo Anna"),
        ("Subject: Friday off", "Friday off", ""),
        ("", "", ""),
    ],
)
def test_subject_and_body_are_split(text, subject, body):
    assert parse_draft(text) == Draft(subject, body)


def test_a_subject_line_deep_in_the_body_stays_in_the_body():
    text = "Dear Anna,\nI wrote before.\nThanks.\nSubject: old thread\nTom"
    draft = parse_draft(text)
    assert draft.subject == ""
    assert draft.body == text


def test_a_draft_round_trips_through_its_text():
    draft = Draft("Friday off", "Dear Anna,\n\nThanks.\nTom")
    assert parse_draft(draft.text()) == draft
    assert Draft("", "Just a body").text() == "Just a body"


# ---------------------------------------------------------------------- mailto


def test_mailto_percent_encodes_everything():
    url = mailto_url(
        "anna@example.com",
        "Q&A: what? 100% ready",
        "Hi Anna & team,\nis 5 < 6?\r\nGrüße, 李\n",
    )
    assert url.startswith("mailto:anna@example.com?subject=")
    query = url.split("?", 1)[1]
    assert " " not in url and "+" not in query and "\n" not in url
    assert "subject=Q%26A%3A%20what%3F%20100%25%20ready" in url
    assert "Hi%20Anna%20%26%20team%2C%0D%0Ais%205%20%3C%206%3F%0D%0A" in url
    assert "Gr%C3%BC%C3%9Fe%2C%20%E6%9D%8E%0D%0A" in url
    assert url.count("?") == 1 and url.count("&") == 1  # only the separators stay literal
    fields = parse_qs(urlsplit(url).query)
    assert fields["subject"] == ["Q&A: what? 100% ready"]
    assert fields["body"] == ["Hi Anna & team,\r\nis 5 < 6?\r\nGrüße, 李\r\n"]


def test_mailto_recipients_subject_only_and_empty():
    url = mailto_url(["a@example.com", "b+tag@example.org"], "Hi", "")
    assert url == "mailto:a@example.com,b%2Btag@example.org?subject=Hi"
    assert unquote(url.split(":", 1)[1].split("?")[0]) == "a@example.com,b+tag@example.org"
    assert mailto_url("", "", "Body") == "mailto:?body=Body"
    assert mailto_url("", "a\nb", "") == "mailto:?subject=a%20b"  # a subject is one line
    assert mailto_url([], "", "") == "mailto:"


def test_addresses_are_found_in_the_recipient_field():
    assert email_addresses("Anna <anna.berg@example.com>, my manager; bob@x.org") == [
        "anna.berg@example.com",
        "bob@x.org",
    ]
    assert email_addresses("my manager") == []


# ---------------------------------------------------------------------- seeds


def test_n_drafts_get_n_distinct_seeds():
    assert draft_seeds(41, 3) == [41, 42, 43]
    assert len(set(draft_seeds(None, 5))) == 5
    params = draft_params(SamplingParams(temperature=0.9, max_tokens=7, seed=None), 4)
    assert len({p.seed for p in params}) == 4
    assert all(p.seed is not None and p.temperature == 0.9 and p.max_tokens == 7 for p in params)


def test_options_from_the_cli_become_a_request():
    options = TaskOptions(
        text="say sorry",
        tone="formal",
        length="long",
        language="French",
        purpose="apology",
        points=("late delivery",),
        recipient="a customer",
        reply_to=INCOMING,
        n=3,
    )
    request = request_from_options(options)
    assert request == EmailRequest(
        recipient="a customer",
        purpose="apology",
        points=("late delivery",),
        tone="formal",
        length="long",
        language="French",
        incoming=INCOMING,
        notes="say sorry",
    )


# ---------------------------------------------------------------------- real model


@pytest.mark.model
def test_three_drafts_are_three_seeded_requests_of_the_same_prompt(engine, prompts):
    recorder = RecordingEngine(engine)
    job = drafts_job(REQUEST, SamplingParams(max_tokens=6, seed=None), 3, prompts)
    events, finished = run(job, recorder)
    assert len(recorder.sent) == 3
    assert len({params.seed for _m, params in recorder.sent}) == 3
    assert {messages for messages, _p in recorder.sent} == set(  # every field was sent
        [tuple(email_messages(REQUEST, prompts))]
    )
    sent_text = recorder.sent[0][0][0].content
    for value in ("Anna Berg, my manager", "Friday afternoon off", "dentist", "German", "Tom"):
        assert value in sent_text
    progress = [e for e in events if isinstance(e, Progress)]
    assert [p.label for p in progress] == ["Draft 1 of 3", "Draft 2 of 3", "Draft 3 of 3", "Done"]
    streamed = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert streamed == finished.text
    assert [streamed.count(f"=== Draft {i} of 3 ===") for i in (1, 2, 3)] == [1, 1, 1]
    assert finished.stats.stop_reason in ("eos", "length")


@pytest.mark.model
def test_one_short_draft_end_to_end(engine, prompts):
    job = drafts_job(REQUEST, SamplingParams(max_tokens=40, seed=7), 1, prompts)
    events, finished = run(job, engine)
    streamed = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert streamed == finished.text and "=== Draft" not in streamed  # one draft: no header
    assert 0 < finished.stats.completion_tokens <= 40
    draft = parse_draft(finished.text)
    assert (draft.subject or draft.body).strip()


@pytest.mark.model
def test_a_reply_and_a_refinement_on_the_model(engine, prompts):
    request = EmailRequest(purpose="yes, I will come", incoming=INCOMING)
    _events, first = run(
        drafts_job(request, SamplingParams(max_tokens=24, seed=1), 1, prompts), engine
    )
    messages = refine_messages(parse_draft(first.text), prompts, "shorter")
    events = list(
        engine.stream_chat(messages, SamplingParams(max_tokens=24, seed=1), threading.Event())
    )
    assert isinstance(events[-1], Finished) and events[-1].text.strip()


@pytest.mark.model
def test_cancel_stops_after_the_current_draft(engine, prompts):
    cancel = threading.Event()
    job = drafts_job(REQUEST, SamplingParams(max_tokens=200, seed=3), 3, prompts)
    events: list[object] = []
    for event in job(engine, cancel):
        events.append(event)
        if isinstance(event, TextDelta) and "Draft 1" not in event.text:
            cancel.set()  # the first piece of draft 1
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.stats.stop_reason == "cancelled"
    assert [e.label for e in events if isinstance(e, Progress)] == ["Draft 1 of 3"]


@pytest.mark.model
def test_cli_task_email_prints_n_drafts_with_headers(
    starter_path: Path, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr("sys.stdin", io.StringIO("tell Anna the report is late"))
    code = cli.main(
        [
            "--data-dir", str(tmp_path / "data"),
            "generate", "--task", "email", "--input", "-",
            "--model", str(starter_path), "--ctx", "1024",
            "--n", "2", "--max-tokens", "8", "--seed", "11",
            "--tone", "formal", "--length", "short", "--to", "English",
            "--purpose", "apologize for the delay", "--point", "new date: Monday",
            "--point", "numbers attached", "--recipient", "Anna, my manager",
        ]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.count("=== Draft 1 of 2 ===") == 1 and out.count("=== Draft 2 of 2 ===") == 1
    assert len(out.split("=== Draft 2 of 2 ===")[1].strip()) > 0
    assert "Draft 1 of 2 (0/2)" in err and "Draft 2 of 2 (1/2)" in err


@pytest.mark.model
def test_cli_task_email_reply_to_a_file(starter_path: Path, tmp_path, capsys):
    pytest.importorskip("gptdesk.core.writing.documents")  # --input/--reply-to files are read by it
    incoming = tmp_path / "incoming.txt"
    incoming.write_text(INCOMING, encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("yes, I will come", encoding="utf-8")
    code = cli.main(
        [
            "--data-dir", str(tmp_path / "data"),
            "generate", "--task", "email", "--input", str(notes), "--reply-to", str(incoming),
            "--model", str(starter_path), "--ctx", "1024", "--max-tokens", "8", "--seed", "2",
        ]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() and "=== Draft" not in out


def test_titles_follow_the_content():
    request = EmailRequest(purpose="ask for Friday afternoon off", recipient="Anna")
    assert draft_title(Draft("Friday off", "Dear Anna"), request) == "Friday off"
    assert draft_title(None, request) == "ask for Friday afternoon off"
    assert draft_title(None, EmailRequest(recipient="Anna")) == "Email to Anna"
    reply = EmailRequest(incoming="Subject: Offsite\n\nHi Tom")
    assert draft_title(None, reply) == "Re: Offsite"
    assert draft_title(None, EmailRequest(incoming="Hi Tom,\ncoming?")) == "Reply to “Hi Tom,”"
    long = EmailRequest(purpose="one two three four five six seven eight nine ten")
    assert draft_title(None, long) == "one two three four five six seven eight…"
    assert draft_title(None, EmailRequest()) == "Email"


def test_longer_mails_get_more_tokens():
    sizes = [email_params(length).max_tokens for length in ("short", "medium", "long")]
    assert sizes == sorted(sizes) and len(set(sizes)) == 3
    assert email_params("a few lines", seed=4).seed == 4
