"""The core's user-visible texts go through gptdesk.core.i18n: English until a translator is
installed, then translated (errors and job progress labels alike), and every marked text has
its Simplified Chinese translation."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gptdesk.core import i18n
from gptdesk.core.errors import GenerationError, ModelFileMissingError, NotAGGUFError
from gptdesk.core.inference.engine import Engine, Finished, GenerationStats, StreamEvent, TextDelta
from gptdesk.core.inference.fit import FitEstimate
from gptdesk.core.inference.gguf_file import read_gguf
from gptdesk.core.writing.documents import DocumentError, read_document
from gptdesk.core.writing.jobs import Progress
from gptdesk.core.writing.translate import Piece, run_pieces

CORE = Path(i18n.__file__).parent


def bracketed(context: str, text: str) -> str:
    return "<" + text + ">"


@pytest.fixture
def fake_translator() -> Iterator[list[tuple[str, str]]]:
    """Every translate() call answers "<text>"; the calls are recorded; English afterwards."""
    calls: list[tuple[str, str]] = []

    def translator(context: str, text: str) -> str:
        calls.append((context, text))
        return bracketed(context, text)

    i18n.set_translator(translator)
    try:
        yield calls
    finally:
        i18n.set_translator(None)


def test_english_without_a_translator() -> None:
    assert i18n.translate("engine", "Any text {n}") == "Any text {n}"
    with pytest.raises(GenerationError) as caught:
        _ = Engine("nowhere.gguf").status
    assert str(caught.value) == "No model is loaded. Load a model first."


def test_an_engine_error_comes_out_translated(fake_translator: list[tuple[str, str]]) -> None:
    with pytest.raises(GenerationError) as caught:
        _ = Engine("nowhere.gguf").status
    assert str(caught.value) == "<No model is loaded. Load a model first.>"
    assert fake_translator == [("engine", "No model is loaded. Load a model first.")]


def test_values_go_into_the_translated_text(
    fake_translator: list[tuple[str, str]], tmp_path: Path
) -> None:
    missing = tmp_path / "gone.gguf"
    with pytest.raises(ModelFileMissingError) as caught:
        read_gguf(missing)
    assert str(caught.value) == f"<The model file {missing} does not exist.>"
    tiny = tmp_path / "tiny.gguf"
    tiny.write_bytes(b"GG")
    with pytest.raises(NotAGGUFError) as not_gguf:
        read_gguf(tiny)
    assert str(not_gguf.value) == "<tiny.gguf is not a GGUF model (the file is only 2 bytes).>"
    old = tmp_path / "letter.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DocumentError) as doc:
        read_document(old)
    # The sentence and the kind of file inside it are both translated.
    assert str(doc.value).startswith("<letter.doc is <an old Word document (.doc)>, which")


def test_the_translator_is_reset_to_english(tmp_path: Path) -> None:
    i18n.set_translator(bracketed)
    i18n.set_translator(None)
    with pytest.raises(ModelFileMissingError) as caught:
        read_gguf(tmp_path / "gone.gguf")
    assert not str(caught.value).startswith("<")


def _echo(text: str, previous: str, cancel: threading.Event) -> Iterator[StreamEvent]:
    yield TextDelta(text.upper())
    stats = GenerationStats(1, 1, 1, 0.0, 1.0, 1.0, 0.0, "eos")
    yield Finished(text.upper(), stats)


def test_progress_labels_are_translated(fake_translator: list[tuple[str, str]]) -> None:
    pieces = [Piece("one", True), Piece("\n\n", False), Piece("two", True)]
    events = list(run_pieces(pieces, _echo, threading.Event()))
    labels = [e.label for e in events if isinstance(e, Progress)]
    assert labels == [
        "<Translating part 1 of 2>",
        "<Translating part 2 of 2>",
        "<Translated 2 parts>",
    ]
    assert isinstance(events[-1], Finished) and events[-1].text == "ONE\n\nTWO"


def test_the_fit_summary_is_one_translated_sentence(
    fake_translator: list[tuple[str, str]],
) -> None:
    gib = 2**30
    est = FitEstimate(
        weights=gib, kv_cache=gib // 4, overhead=gib // 8, gpu_layers=0, n_layers=24,
        ram_needed=2 * gib, ram_free=8 * gib, vram_needed=0, vram_free=0, n_ctx=4096,
        verdict="fits",
    )  # fmt: skip
    assert est.summary() == (
        "<<fits>: needs 1.4 GiB (weights 1.0 + context 0.25 at 4096 tokens + overhead 0.12); "
        "RAM 2.0 of 8.0 GiB free>"
    )


def test_every_core_text_has_a_chinese_translation() -> None:
    tt = pytest.importorskip("tools.translations")
    messages = tt.extract()
    core_modules = {tt.module_of(str(p.relative_to(tt.ROOT))) for p in CORE.rglob("*.py")}
    ours = [m for m in messages if m.modules & core_modules]
    assert len(ours) > 100  # errors and labels of engine, gguf_file, hub, downloads, ...
    assert {"engine", "gguf_file", "hub", "downloads", "settings", "summarize"} <= {
        m.context for m in ours
    }
    assert tt.check_language("zh_CN", messages, core_modules) == []
