"""Multi-step work on the engine's thread (summarize in parts, translate chunk by chunk).

A job is a plain function ``job(engine, cancel) -> Iterator[JobEvent]``: it may run several
generations and reports ``Progress`` between them; the text it streams to the user comes as
``TextDelta`` pieces and it ends with one ``Finished``. The GUI's worker and the CLI drive the
same functions; nothing here knows about Qt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gptdesk.core.engine import ContextTrimmed, Finished, TextDelta

if TYPE_CHECKING:
    from gptdesk.core.engine import Engine


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` steps finished; ``label`` says what runs now ("Part 3 of 12")."""

    done: int
    total: int
    label: str


JobEvent = TextDelta | ContextTrimmed | Finished | Progress
Job = Callable[["Engine", threading.Event], Iterator[JobEvent]]
