"""Multi-step work on the engine's thread (summarize in parts, translate chunk by chunk).

A job is a plain function ``job(engine, cancel) -> Iterator[JobEvent]``: it may run several
generations and reports ``Progress`` between them; the text it streams to the user comes as
``TextDelta`` pieces and it ends with one ``Finished``. The GUI's worker and the CLI drive the
same functions; nothing here knows about Qt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gptdesk.core.inference.backend import (
    ContextTrimmed,
    Finished,
    SamplingParams,
    TextDelta,
)

if TYPE_CHECKING:
    from gptdesk.core.inference.backend import Backend
    from gptdesk.core.writing.prompts import PromptTemplates


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` steps finished; ``label`` says what runs now ("Part 3 of 12")."""

    done: int
    total: int
    label: str


JobEvent = TextDelta | ContextTrimmed | Finished | Progress
Job = Callable[["Backend", threading.Event], Iterator[JobEvent]]


@dataclass(frozen=True)
class TaskOptions:
    """What ``gptdesk generate --task`` (and a pane) asks a writing task for; each task uses
    the fields that concern it and ignores the rest."""

    text: str  # the input: the document, the story so far, the mail to answer, the source
    params: SamplingParams = field(default_factory=SamplingParams)
    length: str | None = None  # summary: sentence|paragraph|bullets|detailed; email: short..
    focus: str = ""  # summary: what to concentrate on
    language: str | None = None  # output language (summary, email) or target (translate)
    tone: str | None = None  # email
    n: int = 1  # email drafts / story alternatives
    memory: str = ""  # story: premise, characters, style
    note: str = ""  # story: author's note
    purpose: str = ""  # email: what the mail is for
    points: tuple[str, ...] = ()  # email: key points
    recipient: str = ""  # email: who it is for / the relationship
    reply_to: str = ""  # email: the incoming mail to answer


TaskJobFactory = Callable[[TaskOptions, "PromptTemplates"], Job]
