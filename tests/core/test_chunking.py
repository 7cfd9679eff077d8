"""Chunking: pieces fit the budget, cut on the best boundary, join back to the source exactly."""

from __future__ import annotations

import re

import pytest

from gptdesk.core.writing.chunking import TokenCounter, estimate_tokens, split_text


def words(text: str) -> int:
    """A token counter for tests: one token per word."""
    return len(text.split())


def chars(text: str) -> int:
    """A harsher counter: one token per character (even spaces)."""
    return len(text)


def paragraph(i: int, n_words: int = 20) -> str:
    sentences = []
    for s in range(n_words // 5):
        sentences.append(f"Paragraph {i} sentence {s} has words.")
    return " ".join(sentences)


def check(text: str, pieces: list[str], budget: int, count: TokenCounter = words) -> None:
    assert "".join(pieces) == text, "pieces must join back to the source"
    assert all(pieces), "no empty piece"
    assert all(count(p) <= budget for p in pieces), [count(p) for p in pieces]


def test_a_text_that_fits_is_one_piece() -> None:
    text = "A short text.\n\nWith two paragraphs."
    assert split_text(text, 100, words) == [text]
    assert split_text("", 10, words) == []


def test_pieces_end_on_paragraph_boundaries_when_paragraphs_fit() -> None:
    paragraphs = [paragraph(i) for i in range(12)]
    text = "\n\n".join(paragraphs) + "\n"
    pieces = split_text(text, 50, words)
    check(text, pieces, 50)
    assert len(pieces) > 1
    for piece in pieces[:-1]:
        assert piece.endswith("\n\n"), repr(piece[-30:])
    # Every paragraph lies whole inside one piece.
    for p in paragraphs:
        assert sum(p in piece for piece in pieces) == 1


def test_a_paragraph_too_long_is_cut_between_sentences() -> None:
    long_paragraph = paragraph(1, n_words=200)
    text = "Intro line.\n\n" + long_paragraph + "\n\nOutro."
    pieces = split_text(text, 30, words)
    check(text, pieces, 30)
    for piece in pieces[:-1]:
        assert re.search(r"[.]\s+$", piece), repr(piece[-20:])


def test_sentences_too_long_are_cut_between_words() -> None:
    text = " ".join(f"w{i}" for i in range(100)) + "."
    pieces = split_text(text, 7, words)
    check(text, pieces, 7)
    for piece in pieces[:-1]:
        assert piece.endswith(" ")  # whole words only


def test_one_giant_word_is_cut_inside_and_nothing_is_lost() -> None:
    giant = "x" * 1000
    text = f"before {giant} after"
    pieces = split_text(text, 64, chars)
    check(text, pieces, 64, chars)
    assert max(len(p) for p in pieces) <= 64


@pytest.mark.parametrize("budget", [1, 2, 3])
def test_tiny_budgets_terminate(budget: int) -> None:
    text = "Ab cd.\n\nEf gh ij!\nKl " + "m" * 20
    pieces = split_text(text, budget, chars)
    check(text, pieces, budget, chars)


def test_a_character_that_cannot_fit_is_an_error_not_a_hang() -> None:
    with pytest.raises(ValueError, match="single character"):
        split_text("abc", 1, lambda t: 2 * len(t))
    with pytest.raises(ValueError, match="at least 1"):
        split_text("abc", 0, chars)


def test_cjk_sentences_are_boundaries_without_spaces() -> None:
    text = "这是第一句。这是第二句！这是第三句？" * 10
    pieces = split_text(text, 30, chars)
    check(text, pieces, 30, chars)
    for piece in pieces[:-1]:
        assert piece[-1] in "。！？"


def test_pieces_are_balanced() -> None:
    # 9 paragraphs of 24 words, budget 100: greedy packing gives 4 + 4 + 1 paragraphs (a scrap
    # of a last piece); balanced, it is 3 + 3 + 3.
    text = "\n\n".join(paragraph(i) for i in range(9))
    unbalanced = split_text(text, 100, words, balance=False)
    assert [words(p) for p in unbalanced] == [96, 96, 24]
    pieces = split_text(text, 100, words)
    check(text, pieces, 100)
    assert [words(p) for p in pieces] == [72, 72, 72]


def test_a_counter_that_is_not_additive_still_gives_pieces_that_fit() -> None:
    # Joining costs more than the parts (a made-up tokenizer that charges per line break):
    # the estimate says "fits", the exact count says no, and the piece is rebuilt.
    def count(text: str) -> int:
        return len(text.split()) + 3 * text.count("\n")

    text = "\n".join(f"line {i} of words" for i in range(60))
    pieces = split_text(text, 40, count)
    check(text, pieces, 40, count)


def test_leading_and_trailing_whitespace_is_kept() -> None:
    text = "\n\n  " + "\n\n".join(paragraph(i) for i in range(6)) + "\n\n\n"
    pieces = split_text(text, 25, words)
    check(text, pieces, 25)


def test_estimate_is_about_four_characters_a_token() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcd") == 1
    assert estimate_tokens("abcde") == 2
