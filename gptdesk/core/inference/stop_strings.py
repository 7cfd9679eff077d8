"""Stop strings: a reply ends before the first of them, and none of it is ever sent.

Text that could be the start of a stop string is held back until the next piece shows whether
it is; ``flush`` hands it over when the reply ends another way.
"""

from __future__ import annotations

from collections.abc import Iterable


class StopStrings:
    """Feed the reply's pieces in order; get back what may be sent now, and whether it ended."""

    def __init__(self, stops: Iterable[str]) -> None:
        self._stops = tuple(s for s in stops if s)
        self._held = ""
        self.ended = False

    def feed(self, text: str) -> tuple[str, bool]:
        """What of ``held + text`` can be sent, and True when a stop string was reached (the
        text before it is returned; the stop string and anything after it are not)."""
        if not self._stops:
            return text, False
        held = self._held + text
        cut = min((i for i in (held.find(s) for s in self._stops) if i >= 0), default=-1)
        if cut >= 0:
            self._held = ""
            self.ended = True
            return held[:cut], True
        keep = self._longest_partial(held)
        self._held = held[len(held) - keep :] if keep else ""
        return held[: len(held) - keep], False

    def flush(self) -> str:
        """The text held back (the reply ended without reaching a stop string)."""
        held, self._held = self._held, ""
        return held

    def _longest_partial(self, text: str) -> int:
        """Length of the longest end of ``text`` that begins some stop string."""
        best = 0
        for stop in self._stops:
            for n in range(min(len(stop) - 1, len(text)), best, -1):
                if text.endswith(stop[:n]):
                    best = n
                    break
        return best
