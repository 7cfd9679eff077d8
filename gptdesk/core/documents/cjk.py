"""Making Chinese, Japanese and Korean text searchable with SQLite's unicode61 tokenizer.

unicode61 splits text at spaces and punctuation, so a run of Han characters with no spaces is
one token: "我们用机器学习" is a single word, and a search for "机器学习" finds nothing. (The
``trigram`` tokenizer finds longer words but never a two-character one such as 模型.) Without a
dictionary, the usual answer is overlapping character bigrams, as Lucene's CJK analyzer does:
each run of CJK characters is written as its bigrams, "机器学习" as "机器 器学 学习", followed by
its last character alone ("习"), so that every character starts a token and a one-character
search can be a prefix query. A query is cut the same way; a two-character word is then one
token, and a longer one is several that BM25 rewards together (the bigrams across word joins,
such as 器学, are rare, so adjacency counts).

``index_text`` is what goes into the FTS index (the passage itself is stored and shown as it
is); ``match_expression`` turns what a user typed into an FTS5 query that cannot be a syntax
error. Both also apply NFKC, so full-width Latin letters and ligatures (common in PDFs) match
their plain forms. ``TRANSFORM_VERSION`` changes whenever either function's output would: an
index built with another version is rebuilt (see ``index.DocumentIndex``).
"""

from __future__ import annotations

import re
import unicodedata

TRANSFORM_VERSION = 1

# Han (CJK unified ideographs, extensions A-F, compatibility ideographs), Hiragana, Katakana
# (with its phonetic extensions and half-width forms) and Hangul (syllables and jamo).
CJK_CLASS = (
    "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\U00020000-\U0002ebef"
)
CJK_RUN = re.compile(f"[{CJK_CLASS}]+")
CJK_CHAR = re.compile(f"[{CJK_CLASS}]")
# A word for the query: what unicode61 keeps together, outside CJK runs.
_WORD = re.compile(r"[^\W_]+")
MAX_QUERY_TERMS = 64  # a pasted page as a query costs a bounded search


def bigrams(run: str) -> list[str]:
    """The overlapping bigrams of a run of CJK characters and its last character alone."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def _spaced(match: re.Match[str]) -> str:
    return " " + " ".join(bigrams(match.group())) + " "


def index_text(text: str) -> str:
    """``text`` as the full-text index should see it: NFKC, and every CJK run as its bigrams
    (separated by spaces from what surrounds it, so "GPT模型" is "GPT" and "模型")."""
    text = unicodedata.normalize("NFKC", text)
    if not CJK_CHAR.search(text):
        return text
    return CJK_RUN.sub(_spaced, text)


def query_terms(query: str) -> list[str]:
    """The search terms of a query: its words and, for each CJK run, its bigrams (a single
    CJK character stays one term); each once, in order, at most ``MAX_QUERY_TERMS``."""
    query = unicodedata.normalize("NFKC", query)
    terms: list[str] = []
    position = 0
    for match in CJK_RUN.finditer(query):
        terms += _WORD.findall(query[position : match.start()])
        run = match.group()
        terms += bigrams(run)[:-1] if len(run) > 1 else [run]
        position = match.end()
    terms += _WORD.findall(query[position:])
    unique = list(dict.fromkeys(term.lower() for term in terms))
    return unique[:MAX_QUERY_TERMS]


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for what a user typed: any of its terms (BM25 ranks passages
    with more and rarer terms first), each quoted so no word is read as FTS5 syntax. A lone
    CJK character is a prefix query (it finds the bigrams it starts). None: the query has no
    searchable term (only punctuation)."""
    parts: list[str] = []
    for term in query_terms(query):
        quoted = '"' + term.replace('"', '""') + '"'
        lone_cjk = len(term) == 1 and CJK_CHAR.fullmatch(term) is not None
        parts.append(quoted + "*" if lone_cjk else quoted)
    return " OR ".join(parts) if parts else None
