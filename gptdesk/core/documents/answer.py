"""Answers from the user's documents: the passages that match a question, numbered; a prompt
that asks the model to answer from them and cite them as [1], [2]; and the answer with every
citation that names no passage removed as it streams.

The source list is the app's, never the model's: ``retrieve`` makes it before the model runs,
``cited`` reads which of its entries the answer used. When nothing matches, the caller shows
``NOTHING_FOUND`` and the model is not asked at all (it would make an answer up).
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gptdesk.core.errors import ContextOverflowError
from gptdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from gptdesk.core.inference.backend import (
    ChatMessage,
    Finished,
    SamplingParams,
    TextDelta,
)
from gptdesk.core.writing.jobs import Job, JobEvent

if TYPE_CHECKING:
    from gptdesk.core.documents.embed import Embedder
    from gptdesk.core.documents.index import DocumentIndex, Hit
    from gptdesk.core.inference.backend import Backend
    from gptdesk.core.writing.prompts import PromptTemplates

NOTHING_FOUND = QT_TRANSLATE_NOOP(
    "answer",
    "Nothing in your documents matches this question, so there is no answer to give from "
    "them. Try other words, or add the documents that cover it.",
)
TEMPLATE = "docs_answer"
DEFAULT_K = 5
RRF_K = 60  # reciprocal rank fusion's constant (Cormack et al. 2009): 1 / (60 + rank)
POOL = 50  # candidates each ranking brings to the fusion

# Words that say nothing about what a question is about: a passage that shares only these with
# the question is not a match. (Chinese, Japanese and Korean are searched by character pairs,
# where a pair of function characters is rare enough to leave alone.)
_STOPWORDS = """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    tell explain describe say says said please give show list"""
STOPWORDS = frozenset(_STOPWORDS.split())
_WORD = re.compile(r"[^\W_]+")
_CITATION = re.compile(r"(\s*)\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
# The end of the text may be a citation being written (and the space before it).
_HOLD = re.compile(r"\s*(?:\[[\d\s,;]{0,16})?$")


@dataclass(frozen=True)
class Source:
    """A passage an answer may cite, numbered from 1 in the order of relevance."""

    number: int
    path: Path
    page: int | None
    section: str | None
    text: str
    start: int
    end: int
    score: float

    def where(self) -> str:
        """``report.pdf, page 3`` / ``notes.md › Setup › Linux`` / ``notes.txt``."""
        name = self.path.name
        if self.page is not None:
            where = translate("answer", "{file}, page {page}").format(file=name, page=self.page)
        else:
            where = name
        if self.section:  # the index's heading path: "Setup > Linux"
            where += " › " + " › ".join(part.strip() for part in self.section.split(" > "))
        return where


def content_query(question: str) -> str:
    """The question without the words every question has ("what", "is", "the"...)."""
    words = _WORD.findall(question)
    kept = [w for w in words if w.lower() not in STOPWORDS]
    return " ".join(kept)


def fuse(rankings: Sequence[Sequence[Hit]], k: int) -> list[Hit]:
    """Reciprocal rank fusion: each passage scores the sum of 1 / (RRF_K + its rank) over the
    rankings that found it; the ``k`` best, with that sum as their score. Ranks, not scores,
    are combined, so BM25 and cosine need no common scale."""
    scores: dict[int, float] = {}
    hits: dict[int, Hit] = {}
    for ranking in rankings:
        for rank, hit in enumerate(ranking, start=1):
            scores[hit.chunk_id] = scores.get(hit.chunk_id, 0.0) + 1.0 / (RRF_K + rank)
            hits.setdefault(hit.chunk_id, hit)
    best = sorted(scores, key=lambda chunk_id: (-scores[chunk_id], chunk_id))[:k]
    return [dataclasses.replace(hits[c], score=scores[c]) for c in best]


def search(
    index: DocumentIndex,
    query: str,
    k: int = DEFAULT_K,
    collection: str | None = None,
    embedder: Embedder | None = None,
    *,
    words: str | None = None,
) -> list[Hit]:
    """The ``k`` passages that match ``query`` best: by its words (BM25 over ``words``, the
    query itself by default) and, with an ``embedder``, by meaning too (cosine of the
    vectors), the two rankings fused by rank. Whether the documents cover the question at
    all is decided by the words, or by a passage that stands out by meaning (the embedder's
    ``traits``): when neither, nothing is returned. Blocking: the embedder runs and SQLite is
    read; not on the GUI thread."""
    words = query if words is None else words
    lexical = index.search(words, POOL if embedder else k, collection) if words.strip() else []
    if embedder is None or not query.strip():
        return lexical[:k]
    vector = embedder.embed_query(query)
    traits = embedder.traits
    # With word matches the question is about these documents: meaning ranks every passage.
    # Without, only passages that stand out by meaning count (else: nothing found).
    dense = index.vector_search(
        embedder.model_id,
        vector,
        POOL,
        collection,
        min_score=None if lexical else traits.min_similarity,
        min_margin=0.0 if lexical else traits.min_margin,
    )
    return fuse([lexical, dense], k)


def retrieve(
    index: DocumentIndex,
    question: str,
    k: int = DEFAULT_K,
    collection: str | None = None,
    embedder: Embedder | None = None,
) -> list[Source]:
    """The ``k`` passages that answer the question best, numbered; [] when none matches.
    Blocking (SQLite, the embedder): not on the GUI thread."""
    hits = search(index, question, k, collection, embedder, words=content_query(question))
    return [
        Source(i, h.path, h.page, h.section, h.text, h.start, h.end, h.score)
        for i, h in enumerate(hits, start=1)
    ]


def render_prompt(question: str, sources: Sequence[Source], prompts: PromptTemplates) -> str:
    passages = [{"number": s.number, "where": s.where(), "text": s.text} for s in sources]
    return prompts.render(TEMPLATE, question=question, passages=passages)


class CitationFilter:
    """Feed the answer's pieces in order; citations of passages that do not exist are removed
    (``[9]`` when there are 5; ``[2, 9]`` becomes ``[2]``). Text that may be a citation still
    being written is held back until it is known."""

    def __init__(self, numbers: Sequence[int]) -> None:
        self._numbers = set(numbers)
        self._held = ""

    def feed(self, text: str) -> str:
        text = self._held + text
        cut = _HOLD.search(text).start()  # type: ignore[union-attr]  # (matches at the end)
        self._held = text[cut:]
        return self._clean(text[:cut])

    def flush(self) -> str:
        held, self._held = self._held, ""
        return self._clean(held)

    def _clean(self, text: str) -> str:
        def keep(match: re.Match[str]) -> str:
            space, group = match.group(1), match.group(2)
            numbers = [int(n) for n in re.findall(r"\d+", group)]
            valid = [n for n in numbers if n in self._numbers]
            # A dropped citation takes the space before it along ("red [7]." -> "red.").
            return space + "[" + ", ".join(str(n) for n in valid) + "]" if valid else ""

        return _CITATION.sub(keep, text)


def cited(text: str, sources: Sequence[Source]) -> list[Source]:
    """The sources ``text`` cites, by number."""
    groups = [m.group(2) for m in _CITATION.finditer(text)]
    numbers = {int(n) for group in groups for n in re.findall(r"\d+", group)}
    return [s for s in sources if s.number in numbers]


def _fit(
    backend: Backend,
    question: str,
    sources: Sequence[Source],
    params: SamplingParams,
    prompts: PromptTemplates,
) -> tuple[str, list[Source]]:
    """The prompt with as many of the best passages as fit the context window with room for
    the answer; the least relevant go first, and a single passage too long is shortened."""
    n_ctx = backend.status.n_ctx
    reserve = min(params.max_tokens, n_ctx // 4)
    kept = list(sources)
    while True:
        prompt = render_prompt(question, kept, prompts)
        used = backend.count_tokens([ChatMessage("user", prompt)])
        if used + reserve <= n_ctx:
            return prompt, kept
        if len(kept) > 1:
            kept.pop()
            continue
        if not kept or len(kept[0].text) < 200:
            raise ContextOverflowError(
                translate(
                    "answer",
                    "The question is too long for this model's context window ({n_ctx} "
                    "tokens). Shorten it, or load the model with a larger context size.",
                ).format(n_ctx=n_ctx)
            )
        first = kept[0]
        kept = [dataclasses.replace(first, text=first.text[: int(len(first.text) * 0.7)] + " …")]


def answer_job(
    question: str,
    sources: Sequence[Source],
    params: SamplingParams,
    prompts: PromptTemplates | None = None,
) -> Job:
    """A job (``EngineController.run_job``, the CLI) that answers ``question`` from
    ``sources``: TextDelta pieces with only citations of existing passages, then Finished (its
    text the whole cleaned answer). ``sources`` must not be empty (see ``NOTHING_FOUND``)."""
    if not sources:
        raise ValueError("answer_job needs at least one source")

    def job(backend: Backend, cancel: threading.Event) -> Iterator[JobEvent]:
        from gptdesk.core.writing.prompts import PromptTemplates

        templates = prompts or PromptTemplates()
        prompt, kept = _fit(backend, question, sources, params, templates)
        citations = CitationFilter([s.number for s in kept])
        pieces: list[str] = []
        for event in backend.stream_chat([ChatMessage("user", prompt)], params, cancel):
            if isinstance(event, TextDelta):
                if text := citations.feed(event.text):
                    pieces.append(text)
                    yield TextDelta(text)
            elif isinstance(event, Finished):
                if rest := citations.flush():
                    pieces.append(rest)
                    yield TextDelta(rest)
                yield Finished("".join(pieces), event.stats)

    return job
