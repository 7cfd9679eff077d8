"""Cutting a document into passages for retrieval, each knowing where it came from.

A passage is about 200-400 words (a CJK character counts as 0.4 of a word, so 500-1000
characters of Chinese), cut on paragraph, line and sentence boundaries by
``writing.chunking.split_text``; it never crosses a heading (Markdown, .docx) or a PDF page,
so each has one page and one heading path. Consecutive passages of one section share a small
overlap (about 30 words, from a sentence start where there is one) so a sentence cut at the
boundary is whole in one of them. ``start``/``end`` are character offsets into
``Document.text``; ``text`` is that slice, untouched.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from gptdesk.core.documents.cjk import CJK_CHAR, CJK_CLASS
from gptdesk.core.writing.chunking import split_text
from gptdesk.core.writing.documents import Document

PASSAGE_WORDS = 400
"""The most words in a passage (longer sections are cut into even parts below this)."""
OVERLAP_WORDS = 30
"""About how many words of the previous passage of the same section a passage starts with."""
CJK_WORD_WEIGHT = 0.4
"""What one CJK character counts as, in words."""
SECTION_SEPARATOR = " > "
"""Between the titles of a heading path: "Guide > Install > Linux"."""

_NON_CJK_WORD = re.compile(f"[^\\s{CJK_CLASS}]+")
_TOKEN = re.compile(f"[{CJK_CLASS}]|[^\\s{CJK_CLASS}]+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|[。！？]+[」』”’）]*\s*|\n\s*")
_MAX_WORD_CHARS = 24  # how far back the overlap looks per word it wants


@dataclass(frozen=True)
class Passage:
    """A slice of a document's text: ``text == document.text[start:end]``; ``page`` (PDF,
    1-based) and ``section`` (the heading path, joined by ``SECTION_SEPARATOR``) where known."""

    text: str
    start: int
    end: int
    page: int | None
    section: str | None


def word_count(text: str) -> int:
    """Words of ``text`` for passage sizes: runs of non-space characters outside CJK, plus
    ``CJK_WORD_WEIGHT`` per CJK character."""
    if CJK_CHAR.search(text) is None:
        return len(text.split())  # the same count, several times faster
    cjk = len(CJK_CHAR.findall(text))
    return len(_NON_CJK_WORD.findall(text)) + math.ceil(cjk * CJK_WORD_WEIGHT)


def iter_passages(
    document: Document,
    *,
    max_words: int = PASSAGE_WORDS,
    overlap_words: int = OVERLAP_WORDS,
) -> Iterator[Passage]:
    """The passages of ``document`` in order, made one section at a time (a caller can stop
    between them)."""
    text = document.text
    for start, end, section in _segments(document):
        position = start
        previous: int | None = None  # where the last passage of this section began
        for piece in split_text(text[start:end], max_words, word_count):
            piece_start, position = position, position + len(piece)
            core_start = piece_start + len(piece) - len(piece.lstrip())
            core_end = position - (len(piece) - len(piece.rstrip()))
            if core_start >= core_end:
                continue
            begin = core_start
            if previous is not None and overlap_words > 0:
                begin = _overlap_start(text, previous, core_start, overlap_words)
            yield Passage(
                text[begin:core_end], begin, core_end, document.page_at(core_start), section
            )
            previous = core_start


def _segments(document: Document) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, heading path) of the stretches between headings and page starts. A
    heading with no text of its own before the next heading joins the next stretch."""
    text = document.text
    paths = _heading_paths(document)
    heading_starts = [start for start, _path in paths]
    page_starts = set(document.page_starts)
    headings = {h.start for h in document.headings}
    cuts = sorted(c for c in {0, *headings, *page_starts} if 0 <= c < len(text))
    cuts.append(len(text))
    begin = cuts[0]
    for i in range(len(cuts) - 1):
        start, end = cuts[i], cuts[i + 1]
        last = i == len(cuts) - 2
        merge = start in headings and end not in page_starts and not last
        if merge and _only_a_heading(text[start:end]):
            continue  # the next stretch starts at ``begin``, with this heading in it
        path = paths[bisect.bisect_right(heading_starts, start) - 1][1] if paths else ()
        if text[begin:end].strip():
            yield begin, end, SECTION_SEPARATOR.join(path) if path else None
        begin = end


def _heading_paths(document: Document) -> list[tuple[int, tuple[str, ...]]]:
    """Each heading's start and the path of titles down to it (computed once, in order)."""
    paths: list[tuple[int, tuple[str, ...]]] = []
    stack: list[tuple[int, str]] = []  # (level, title)
    for heading in sorted(document.headings, key=lambda h: h.start):
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        stack.append((heading.level, heading.title))
        paths.append((heading.start, tuple(title for _level, title in stack)))
    if paths and paths[0][0] > 0:
        paths.insert(0, (0, ()))  # the text before the first heading has no path
    return paths


def _only_a_heading(stretch: str) -> bool:
    """Whether a stretch that starts at a heading holds nothing but the heading's line (and
    the underline of a Markdown ``===``/``---`` heading)."""
    lines = stretch.strip().split("\n")
    if len(lines) == 2 and re.fullmatch(r"\s*(=+|-+)\s*", lines[1]):
        return True
    return len(lines) == 1


def _overlap_start(text: str, low: int, high: int, words: int) -> int:
    """Where, in ``text[low:high]`` (the previous passage), the last ``words`` words begin;
    moved on to the first sentence start inside that stretch when there is one."""
    window = max(low, high - words * _MAX_WORD_CHARS)
    need = float(words)
    begin = high
    for match in reversed(list(_TOKEN.finditer(text, window, high))):
        need -= CJK_WORD_WEIGHT if len(match.group()) == 1 and CJK_CHAR.match(match.group()) else 1
        begin = match.start()
        if need <= 0:
            break
    sentence = _SENTENCE_END.search(text, begin, high)
    if sentence is not None and sentence.end() < high:
        begin = sentence.end()
    return begin
