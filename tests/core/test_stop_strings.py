"""Stop strings: nothing of one is ever sent, whatever pieces the reply comes in."""

from __future__ import annotations

import pytest

from gptdesk.core.inference.stop_strings import StopStrings


def run(pieces: list[str], stops: list[str]) -> tuple[str, bool]:
    s = StopStrings(stops)
    sent = []
    for piece in pieces:
        text, ended = s.feed(piece)
        sent.append(text)
        if ended:
            return "".join(sent), True
    return "".join(sent) + s.flush(), False


@pytest.mark.parametrize(
    ("pieces", "stops", "expected"),
    [
        (["Hello", " wor", "ld"], ["world"], ("Hello ", True)),
        (["a", "E", "N", "D", "b"], ["END"], ("a", True)),
        (["ab", "EN", "d wo"], ["END"], ("abENd wo", False)),  # a near miss is sent in full
        (["x\n", "\ny"], ["\n\n"], ("x", True)),
        (["one", "two"], [], ("onetwo", False)),
        (["caf", "é!"], ["é"], ("caf", True)),
        (["long", "er"], ["er", "longer"], ("", True)),  # the stop that begins first wins
    ],
)
def test_stop_strings(pieces: list[str], stops: list[str], expected: tuple[str, bool]) -> None:
    assert run(pieces, stops) == expected


def test_text_that_may_start_a_stop_is_held_until_it_is_known() -> None:
    s = StopStrings(["STOP"])
    assert s.feed("go ST") == ("go ", False)
    assert s.feed("O") == ("", False)
    assert s.feed("RM") == ("STORM", False)
    assert s.feed(" ST") == (" ", False)
    assert s.flush() == "ST"
