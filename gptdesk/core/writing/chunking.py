"""Cutting a long text into pieces that each fit a token budget, on natural boundaries.

``split_text(text, budget, count)`` cuts between paragraphs where it can, else between lines,
else between sentences, else between words, and only as a last resort inside a word. The
pieces are consecutive slices of the text: ``"".join(pieces) == text`` always holds, so nothing
is dropped (each piece keeps the whitespace that follows it). ``count`` is any token counter
(the loaded model's tokenizer in the app, a word count in tests); every piece satisfies
``count(piece) <= budget``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

TokenCounter = Callable[[str], int]
"""Tokens of a text (roughly additive: a concatenation costs about the sum of its parts)."""

# Where a piece may end, from the best boundary to the worst; a match ends a unit.
_BOUNDARIES: tuple[re.Pattern[str], ...] = (
    re.compile(r"\n[ \t]*\n\s*"),  # a paragraph: up to and including the blank lines after it
    re.compile(r"\n\s*"),  # a line
    # A sentence: . ! ? … (with closing quotes/brackets) then space; CJK stops need no space.
    re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|[。！？]+[」』”’）]*\s*"),
    re.compile(r"\s+"),  # a word with the spaces after it
)
CHARS_PER_TOKEN = 4  # English-like text, for a guess before a tokenizer has counted
# Inside a word, a piece is at most this many characters per token of budget: no token in any
# vocabulary spans more, and it bounds the cost of searching for the longest piece that fits.
_MAX_CHARS_PER_TOKEN = 32


def estimate_tokens(text: str) -> int:
    """A quick guess for English-like text without a tokenizer: about four characters a token."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def split_text(text: str, budget: int, count: TokenCounter, *, balance: bool = True) -> list[str]:
    """Consecutive pieces of ``text`` with ``count(piece) <= budget`` each; they join back to
    ``text`` exactly. An empty text gives no pieces.

    With ``balance`` the pieces come out of similar size (a long text in 3 pieces is cut in
    thirds rather than two full pieces and a scrap), never more pieces than without it.
    Raises ValueError if ``budget`` is below 1 or a single character does not fit it.
    """
    if budget < 1:
        raise ValueError(f"the token budget must be at least 1, not {budget}")
    if not text:
        return []
    pieces = _Splitter(budget, count).split(text, 0)
    if balance and len(pieces) > 1:
        total = sum(count(p) for p in pieces)
        target = math.ceil(total / len(pieces))
        # A little above the even share, so boundaries have room to fall where they may.
        tighter = min(budget, target + max(1, target // 8))
        if tighter < budget:
            even = _Splitter(tighter, count).split(text, 0)
            if len(even) <= len(pieces):
                return even
    return pieces


class _Splitter:
    """One split at one budget; counts each unit once and the joined pieces only near the edge."""

    def __init__(self, budget: int, count: TokenCounter) -> None:
        self.budget = budget
        self.count = count
        # Below this estimate a piece surely fits (estimates add the units' own counts).
        self.sure = budget - max(1, budget // 10)

    def split(self, text: str, level: int, known: int | None = None) -> list[str]:
        n = self.count(text) if known is None else known
        if n <= self.budget:
            return [text]
        if level >= len(_BOUNDARIES):
            return self._by_characters(text)
        units = _units(text, _BOUNDARIES[level])
        if len(units) == 1:
            return self.split(text, level + 1, n)
        return self._pack(units, level, exact=False)

    def _pack(self, units: list[str], level: int, *, exact: bool) -> list[str]:
        """Greedily join consecutive ``units`` into pieces that fit; a unit too big on its own
        is split at the next, finer boundary."""
        pieces: list[str] = []
        current: list[str] = []
        current_n = 0  # tokens of "".join(current): exact, or an estimate if ``guessed``
        guessed = False

        def flush() -> None:
            nonlocal current, current_n, guessed
            if not current:
                return
            joined = "".join(current)
            if guessed and self.count(joined) > self.budget:
                # The estimate was wrong (tokens merged differently): join these units again,
                # counting every step. Each unit fits alone, so this ends.
                pieces.extend(self._pack(current, level, exact=True))
            else:
                pieces.append(joined)
            current, current_n, guessed = [], 0, False

        for unit in units:
            n = self.count(unit)
            if n > self.budget:
                flush()
                pieces.extend(self.split(unit, level + 1, n))
                continue
            if not current:
                current, current_n = [unit], n
                continue
            if not exact and current_n + n <= self.sure:
                current.append(unit)
                current_n += n
                guessed = True
                continue
            together = self.count("".join(current) + unit)
            if together <= self.budget:
                current.append(unit)
                current_n, guessed = together, False
            else:
                flush()
                current, current_n = [unit], n
        flush()
        return pieces

    def _by_characters(self, text: str) -> list[str]:
        """The longest prefixes that fit, one after another (a word longer than the budget)."""
        pieces: list[str] = []
        start = 0
        while start < len(text):
            if self.count(text[start : start + 1]) > self.budget:
                raise ValueError(
                    f"a single character needs more than {self.budget} tokens: "
                    f"{text[start]!r} cannot be placed in any piece"
                )
            lo = start + 1  # text[start:lo] fits
            hi = min(len(text), start + self.budget * _MAX_CHARS_PER_TOKEN)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if self.count(text[start:mid]) <= self.budget:
                    lo = mid
                else:
                    hi = mid - 1
            pieces.append(text[start:lo])
            start = lo
        return pieces


def _units(text: str, boundary: re.Pattern[str]) -> list[str]:
    """``text`` cut after every match of ``boundary`` (the matched text stays with the unit)."""
    units: list[str] = []
    start = 0
    for match in boundary.finditer(text):
        end = match.end()
        if start < end < len(text):
            units.append(text[start:end])
            start = end
    units.append(text[start:])
    return units
