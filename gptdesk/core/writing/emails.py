"""Email drafts: prompts for a new mail or a reply, N drafts, refinements, the Subject/body
parser and mailto: links.

The model is asked to answer with a first line ``Subject: ...``, an empty line and the body
(``resources/prompts/email_write.j2``, ``email_reply.j2``, ``email_refine.j2``);
``parse_draft`` splits what it wrote, tolerating Markdown, a preamble and a missing subject.
Each draft is a separate generation with its own seed, so N drafts differ.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from gptdesk.core.i18n import translate
from gptdesk.core.inference.backend import (
    ChatMessage,
    Finished,
    GenerationStats,
    SamplingParams,
    StopReason,
    TextDelta,
)
from gptdesk.core.writing.jobs import Job, JobEvent, Progress, TaskOptions

if TYPE_CHECKING:
    from gptdesk.core.inference.backend import Backend
    from gptdesk.core.writing.prompts import PromptTemplates

TONES = ("friendly", "formal", "concise", "apologetic", "persuasive", "enthusiastic", "neutral")
LENGTHS = ("short", "medium", "long")
LANGUAGES = (
    "English",
    "Chinese",
    "Japanese",
    "Korean",
    "French",
    "German",
    "Spanish",
    "Portuguese",
    "Italian",
    "Dutch",
    "Russian",
    "Arabic",
    "Hindi",
)
# Refinements with a template of their own wording (``email_refine.j2``); "custom" uses only
# the user's instruction. Values are the button labels.
REFINEMENTS = {
    "shorter": "Shorter",
    "formal": "More formal",
    "warmer": "Warmer",
    "grammar": "Fix grammar",
}
MAX_DRAFTS = 5
# Room for a draft of each length (the prompt asks for at most 80 / 200 / 400 words).
MAX_TOKENS = {"short": 320, "medium": 640, "long": 1100}
# Longer mailto: links are cut or refused by some systems and mail apps (Windows' shell and
# Outlook stop near 2,000 characters); above this, send the body another way.
MAILTO_MAX_LENGTH = 2000

_SEED_RANGE = 2**31 - 1
_SUBJECT = re.compile(
    r"^[\s#>*_]*(?:subject|subj|betreff|objet|asunto|oggetto|assunto|onderwerp|тема|"
    r"件名|主题|主題|제목)[\s*_]*[:：][\s*_]*(?P<subject>.*?)[\s*_]*$",
    re.IGNORECASE,
)
_BODY_LABEL = re.compile(r"^[\s#>*_]*(?:body|message|email)[\s*_]*[:：][\s*_]*$", re.IGNORECASE)
_RULE = re.compile(r"^\s*(?:-{3,}|={3,}|\*{3,}|_{3,})\s*$")  # a Markdown rule under the subject
_FENCE = re.compile(r"^\s*```[\w-]*\s*$")
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_PREAMBLE_LINES = 2  # lines of chatter ("Here is your email:") allowed before the subject


@dataclass(frozen=True)
class EmailRequest:
    """What the user asked for: a new mail, or a reply when ``incoming`` is set."""

    recipient: str = ""  # who it is for / the relationship ("Anna, my manager")
    purpose: str = ""  # what the mail is for (a reply: what to say)
    points: tuple[str, ...] = ()  # key points, one each
    tone: str = "friendly"
    length: str = "medium"  # short | medium | long (or the user's own words)
    language: str = ""  # "" = the language of the input (or of the mail answered)
    incoming: str = ""  # the mail to answer; empty for a new mail
    notes: str = ""  # anything else to say (the CLI's --input)
    signature: str = ""  # the name to sign with

    @property
    def is_reply(self) -> bool:
        return bool(self.incoming.strip())

    @property
    def is_empty(self) -> bool:
        """Nothing says what to write."""
        return not (
            self.purpose.strip()
            or any(p.strip() for p in self.points)
            or self.notes.strip()
            or self.incoming.strip()
        )


@dataclass(frozen=True)
class Draft:
    """One email: its subject ("" when the model wrote none) and body."""

    subject: str
    body: str

    def text(self) -> str:
        """``Subject: ...``, an empty line and the body (the format the model writes)."""
        if not self.subject:
            return self.body
        return f"Subject: {self.subject}\n\n{self.body}"


def parse_points(text: str) -> tuple[str, ...]:
    """Key points typed one per line; list markers ("- ", "* ", "1.") and empty lines go."""
    points = []
    for line in text.splitlines():
        point = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line).strip()
        if point:
            points.append(point)
    return tuple(points)


def parse_draft(text: str) -> Draft:
    """Split a model's answer into subject and body.

    The subject is a ``Subject:`` line (any case, Markdown bold or heading marks around it) in
    the first lines; lines of chatter before it, a code fence around the mail and a ``Body:``
    label are dropped. Without a subject line the whole text is the body.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    content = [i for i, line in enumerate(lines) if line.strip()]
    if content and _FENCE.match(lines[content[0]]):
        lines[content[0]] = ""
        if len(content) > 1 and _FENCE.match(lines[content[-1]]):
            lines[content[-1]] = ""
        content = [i for i, line in enumerate(lines) if line.strip()]
    subject = ""
    start = 0
    for i in content[: _PREAMBLE_LINES + 1]:
        match = _SUBJECT.match(lines[i])
        if match:
            subject = match.group("subject").strip().strip("\"'“”").strip()
            start = i + 1
            break
    body_lines = lines[start:]
    first = next((i for i, line in enumerate(body_lines) if line.strip()), None)
    if subject and first is not None:
        line = body_lines[first]
        if _BODY_LABEL.match(line) or _RULE.match(line):
            body_lines = body_lines[first + 1 :]
    body = "\n".join(line.rstrip() for line in body_lines).strip("\n")
    return Draft(subject, _tidy(body))


def _tidy(body: str) -> str:
    """The body without trailing spaces, runs of 3+ newlines, or leading blank space."""
    return re.sub(r"\n{3,}", "\n\n", body).strip()


def email_addresses(text: str) -> list[str]:
    """The email addresses in ``text`` ("Anna <anna@example.com>, my manager")."""
    return _ADDRESS.findall(text)


def mailto_url(to: str | Sequence[str], subject: str, body: str) -> str:
    """A ``mailto:`` link (RFC 6068) that opens a new mail with ``subject`` and ``body``.

    Everything is percent-encoded as UTF-8 (spaces as %20, never +), line breaks become
    %0D%0A. ``to`` is a string of addresses or a list of them. Check the result against
    ``MAILTO_MAX_LENGTH`` before handing it to the system.
    """
    addresses = [to] if isinstance(to, str) else list(to)
    recipients = ",".join(quote(a.strip(), safe="@") for a in addresses if a.strip())
    fields = []
    if subject:
        fields.append("subject=" + quote(_one_line(subject), safe=""))
    if body:
        fields.append("body=" + quote(_crlf(body), safe=""))
    return "mailto:" + recipients + ("?" + "&".join(fields) if fields else "")


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------- prompts


def email_messages(request: EmailRequest, prompts: PromptTemplates) -> list[ChatMessage]:
    """The chat messages that ask for one draft of ``request``."""
    values: dict[str, Any] = {
        "recipient": request.recipient.strip(),
        "purpose": request.purpose.strip(),
        "points": [p.strip() for p in request.points if p.strip()],
        "tone": request.tone.strip() or "friendly",
        "length": request.length.strip() or "medium",
        "language": request.language.strip(),
        "notes": request.notes.strip(),
        "signature": request.signature.strip(),
    }
    if request.is_reply:
        text = prompts.render("email_reply", incoming=request.incoming.strip(), **values)
    else:
        text = prompts.render("email_write", **values)
    return [ChatMessage("user", text)]


def refine_messages(
    draft: Draft | str,
    prompts: PromptTemplates,
    action: str = "custom",
    instruction: str = "",
    language: str = "",
) -> list[ChatMessage]:
    """The chat messages that rewrite ``draft``: ``action`` is a key of ``REFINEMENTS`` or
    "custom"; ``instruction`` is the user's own words (needed for "custom")."""
    if action not in REFINEMENTS and action != "custom":
        raise ValueError(f"unknown refinement {action!r}")
    if action == "custom" and not instruction.strip():
        raise ValueError(translate("emails", "a custom refinement needs an instruction"))
    text = draft.text() if isinstance(draft, Draft) else draft
    rendered = prompts.render(
        "email_refine",
        draft=text.strip(),
        action=action,
        instruction=instruction.strip(),
        language=language.strip(),
    )
    return [ChatMessage("user", rendered)]


def draft_seeds(seed: int | None, n: int) -> list[int]:
    """``n`` distinct seeds, one per draft: from ``seed`` on (repeatable), or random."""
    base = secrets.randbelow(_SEED_RANGE) if seed is None else seed
    return [(base + i) % _SEED_RANGE for i in range(n)]


def draft_params(params: SamplingParams, n: int) -> list[SamplingParams]:
    """``params`` once per draft, each with its own seed."""
    return [replace(params, seed=s) for s in draft_seeds(params.seed, n)]


def email_params(length: str, seed: int | None = None, temperature: float = 0.8) -> SamplingParams:
    """Sampling for one draft or rewrite of a mail of ``length`` (room for its words)."""
    return SamplingParams(
        temperature=temperature, max_tokens=MAX_TOKENS.get(length, MAX_TOKENS["long"]), seed=seed
    )


def draft_title(draft: Draft | None, request: EmailRequest, words: int = 8) -> str:
    """A list title: the draft's subject, else what the mail is for, else who it is to."""
    incoming = parse_draft(request.incoming).subject if request.is_reply else ""
    candidates = [
        draft.subject if draft else "",
        f"Re: {incoming}" if incoming and not incoming.lower().startswith("re:") else incoming,
        request.purpose,
        *request.points,
        request.notes,
        f"Email to {request.recipient.strip()}" if request.recipient.strip() else "",
        f"Reply to “{_first_line(request.incoming)}”" if request.is_reply else "",
        _first_line(draft.body) if draft else "",
    ]
    for candidate in candidates:
        text = " ".join(candidate.split())
        if text:
            cut = text.split(" ")
            return " ".join(cut[:words]) + ("…" if len(cut) > words else "")
    return "Email"


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


# ---------------------------------------------------------------------- jobs


def drafts_job(
    request: EmailRequest,
    params: SamplingParams,
    n: int,
    prompts: PromptTemplates,
    headers: bool = True,
) -> Job:
    """A job that writes ``n`` drafts one after the other, each streamed (with a
    ``Draft i of n`` header line before it when ``headers`` and n > 1)."""
    messages = email_messages(request, prompts)  # template errors surface before any work
    plans = draft_params(params, max(1, n))

    def job(engine: Backend, cancel: threading.Event) -> Iterator[JobEvent]:
        streamed: list[str] = []
        ends: list[Finished] = []
        total = len(plans)
        for i, draft_params_i in enumerate(plans):
            label = translate("emails", "Draft {i} of {n}").format(i=i + 1, n=total)
            yield Progress(i, total, label)
            if headers and total > 1:
                header = ("\n\n" if i else "") + f"=== Draft {i + 1} of {total} ===\n"
                streamed.append(header)
                yield TextDelta(header)
            for event in engine.stream_chat(messages, draft_params_i, cancel):
                if isinstance(event, TextDelta):
                    streamed.append(event.text)
                    yield event
                elif isinstance(event, Finished):
                    ends.append(event)
            if cancel.is_set() or (ends and ends[-1].stats.stop_reason == "cancelled"):
                break
        else:
            yield Progress(total, total, translate("emails", "Done"))
        yield Finished("".join(streamed), _combined(ends, cancel.is_set()))

    return job


def _combined(ends: list[Finished], cancelled: bool) -> GenerationStats:
    stop: StopReason = "cancelled" if cancelled else (ends[-1].stats.stop_reason if ends else "eos")
    if not ends:
        return GenerationStats(0, 0, 0, 0.0, 0.0, 0.0, 0.0, stop)
    stats = [e.stats for e in ends]
    total_s = sum(s.total_s for s in stats)
    completion = sum(s.completion_tokens for s in stats)
    return GenerationStats(
        prompt_tokens=sum(s.prompt_tokens for s in stats),
        prompt_eval_tokens=sum(s.prompt_eval_tokens for s in stats),
        completion_tokens=completion,
        ttft_s=stats[0].ttft_s,
        tokens_per_s=completion / total_s if total_s > 0 else 0.0,
        prefill_tokens_per_s=stats[0].prefill_tokens_per_s,
        total_s=total_s,
        stop_reason=stop,
    )


def request_from_options(options: TaskOptions) -> EmailRequest:
    """The email ``gptdesk generate --task email`` asks for (``--input`` holds notes)."""
    return EmailRequest(
        recipient=options.recipient,
        purpose=options.purpose,
        points=options.points,
        tone=options.tone or "friendly",
        length=options.length or "medium",
        language=options.language or "",
        incoming=options.reply_to,
        notes=options.text,
    )


def cli_job(options: TaskOptions, prompts: PromptTemplates) -> Job:
    """``gptdesk generate --task email``: ``--n`` drafts, each under a header line."""
    return drafts_job(request_from_options(options), options.params, max(1, options.n), prompts)
