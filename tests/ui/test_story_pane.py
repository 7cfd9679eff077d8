"""The Write pane driven with pytest-qt and a deterministic fake engine: continuations stream into
the manuscript marked, retry/undo/accept, alternatives, autosave, export, the pane in Chinese."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from gptdesk.core.inference.engine import LoadOptions, SamplingParams, StreamEvent
from gptdesk.core.storage.store import Store
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.core.writing.story import STORY_PARAMS, words_to_tokens
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.i18n import install_translators, remove_translators
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.writing.story_pane import StoryPane, python_index, qt_length
from tests.ui.fakes import FakeEngine
from tests.waits import HANG_TIMEOUT_MS
from tools import translations as tt


class StoryFakeEngine(FakeEngine):
    """The fake engine with the two calls a story job makes besides streaming: ``tokenize``
    (one token per word, plus BOS) and a record of every raw completion."""

    completions: ClassVar[list[tuple[str, SamplingParams]]] = []
    reply_per_seed: ClassVar[bool] = False

    def tokenize(self, text: str, *, chat: bool = True) -> list[int]:
        return list(range(len(text.split()) + 1))

    def stream_completion(
        self, prompt: str, params: SamplingParams, cancel: threading.Event
    ) -> Iterator[StreamEvent]:
        type(self).completions.append((prompt, params))
        if self.reply_per_seed:
            self.reply = f" Take {params.seed} ends here."
        return self._words(cancel)


@pytest.fixture
def story_engine(fake_engine: type[FakeEngine]) -> type[StoryFakeEngine]:
    StoryFakeEngine.completions = []
    StoryFakeEngine.reply_per_seed = False
    return StoryFakeEngine


class Parts:
    def __init__(self, qtbot, engine_class: type[FakeEngine], tmp_path: Path) -> None:
        self.controller = EngineController(factory=engine_class)
        self.store = Store(tmp_path / "gptdesk.sqlite3")
        self.prompts = PromptTemplates()
        self.bar = MessageBar()
        self.tasks = BackgroundTasks()
        self.pane = StoryPane(self.controller, self.store, self.prompts, self.bar, self.tasks)
        qtbot.addWidget(self.pane)
        qtbot.addWidget(self.bar)
        self.pane.resize(1000, 640)

    def load(self, qtbot) -> None:
        with qtbot.wait_signal(self.controller.loaded, timeout=HANG_TIMEOUT_MS):
            self.controller.load(Path("/models/fake.gguf"), LoadOptions())

    def close(self) -> None:
        self.tasks.shutdown()
        self.controller.shutdown()
        self.store.close()


@pytest.fixture
def parts(qtbot, story_engine, tmp_path: Path) -> Iterator[Parts]:
    p = Parts(qtbot, story_engine, tmp_path)
    p.load(qtbot)
    p.pane.open_document(None)
    yield p
    p.close()


@pytest.fixture
def pane(parts: Parts) -> StoryPane:
    return parts.pane


def write(pane: StoryPane, text: str, cursor_at: int | None = None) -> None:
    """Type ``text`` as the manuscript (a user edit) and put the cursor at ``cursor_at``."""
    pane.editor.setPlainText(text)
    cursor = pane.editor.textCursor()
    if cursor_at is None:
        cursor.movePosition(QTextCursor.MoveOperation.End)
    else:
        cursor.setPosition(qt_length(text[:cursor_at]))
    pane.editor.setTextCursor(cursor)


def run(qtbot, pane: StoryPane, action) -> None:
    """Trigger ``action`` and wait until the writing it started has ended."""
    with qtbot.wait_signal(
        pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=lambda b: not b
    ):
        action()
    assert not pane.busy


def marked_chars(pane: StoryPane) -> list[int]:
    """Qt positions of the characters shown with a background (the marked continuation)."""
    doc = pane.editor.document()
    marked = []
    cursor = QTextCursor(doc)
    for pos in range(doc.characterCount() - 1):
        cursor.setPosition(pos + 1)  # the format of the character before the cursor
        if cursor.charFormat().background().style() != Qt.BrushStyle.NoBrush:
            marked.append(pos)
    return marked


def test_continue_streams_into_the_editor_marked_with_memory_in_the_prompt(
    qtbot, pane: StoryPane, story_engine
) -> None:
    pane.memory_edit.setPlainText("A fable. The fox is clever.")
    pane.note_edit.setPlainText("Keep it short.")
    pane.length_spin.setValue(40)
    start = "The night was cold. "
    story_engine.reply = " The wind howled all night."
    write(pane, start)
    run(qtbot, pane, pane.continue_button.click)
    reply = "The wind howled all night."
    assert pane.editor.toPlainText() == start + reply  # the gap before the cursor is not doubled
    assert marked_chars(pane) == list(range(len(start), len(start) + len(reply)))
    prompt, params = story_engine.completions[-1]
    assert prompt.startswith("[A fable. The fox is clever.]\n\n")
    assert "[Author's note: Keep it short.]" in prompt
    assert prompt.endswith("The night was cold.")
    assert params.max_tokens == words_to_tokens(40)
    assert params.temperature == STORY_PARAMS.temperature
    assert pane.undo_button.isEnabled() and pane.accept_button.isEnabled()
    assert pane.retry_button.isEnabled()


def test_text_arrives_while_it_streams_and_stop_keeps_it(
    qtbot, pane: StoryPane, story_engine
) -> None:
    story_engine.reply = " ".join(["word"] * 400)
    story_engine.hold_after = 5  # five words, then the continuation waits for the Stop
    write(pane, "Begin.")
    pane.continue_button.click()
    assert pane.busy and pane.editor.isReadOnly()
    qtbot.wait_until(lambda: pane.editor.toPlainText().count("word") >= 5, timeout=HANG_TIMEOUT_MS)
    assert pane.busy  # shown before the continuation ended
    run(qtbot, pane, pane.stop)
    text = pane.editor.toPlainText()
    assert text.startswith("Begin.word word") and text.count("word") == 5
    assert not pane.editor.isReadOnly()
    assert pane.session.pending is not None
    assert len(marked_chars(pane)) == len(text) - len("Begin.")


def test_continue_from_the_cursor_keeps_what_follows(qtbot, pane: StoryPane, story_engine) -> None:
    story_engine.reply = " Middle."
    write(pane, "Start. End.", cursor_at=6)
    run(qtbot, pane, pane.continue_button.click)
    assert pane.editor.toPlainText() == "Start. Middle. End."
    assert story_engine.completions[-1][0] == "Start."
    assert marked_chars(pane) == list(range(6, 14))


def test_undo_restores_the_exact_previous_text(qtbot, pane: StoryPane, story_engine) -> None:
    original = "Café 😀 by night.\n\nNext  line \n"
    story_engine.reply = " Stars 🌟 fell."
    write(pane, original, cursor_at=len("Café 😀 by night."))
    run(qtbot, pane, pane.continue_button.click)
    shown = pane.editor.toPlainText()
    assert shown == "Café 😀 by night. Stars 🌟 fell.\n\nNext  line \n"
    pane.undo_button.click()
    assert pane.editor.toPlainText() == original
    assert marked_chars(pane) == []
    assert not pane.undo_button.isEnabled()


def test_retry_replaces_the_continuation(qtbot, pane: StoryPane, story_engine) -> None:
    story_engine.reply = " First try."
    write(pane, "Begin.")
    run(qtbot, pane, pane.continue_button.click)
    story_engine.reply = " Second go."
    run(qtbot, pane, pane.retry_button.click)
    assert pane.editor.toPlainText() == "Begin. Second go."
    assert marked_chars(pane) == list(range(6, 6 + len(" Second go.")))
    first, second = story_engine.completions
    assert first[0] == second[0] == "Begin."


def test_accept_unmarks_and_continuing_moves_on(qtbot, pane: StoryPane, story_engine) -> None:
    story_engine.reply = " One."
    write(pane, "Zero.")
    run(qtbot, pane, pane.continue_button.click)
    pane.accept_button.click()
    assert marked_chars(pane) == []
    assert not pane.accept_button.isEnabled() and not pane.undo_button.isEnabled()
    story_engine.reply = " Two."
    run(qtbot, pane, pane.continue_button.click)
    assert story_engine.completions[-1][0] == "Zero. One."
    pane.undo_button.click()
    assert pane.editor.toPlainText() == "Zero. One."  # the accepted part stays


def test_typing_accepts_the_continuation(qtbot, pane: StoryPane, story_engine) -> None:
    story_engine.reply = " One."
    write(pane, "Zero.")
    run(qtbot, pane, pane.continue_button.click)
    pane.editor.setFocus()
    pane.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(pane.editor, " Two")
    assert pane.editor.toPlainText() == "Zero. One. Two"
    assert marked_chars(pane) == []  # neither the continuation nor what was typed after it
    assert not pane.undo_button.isEnabled()
    story_engine.reply = " Three."
    run(qtbot, pane, pane.continue_button.click)
    assert story_engine.completions[-1][0] == "Zero. One. Two"


def test_alternatives_use_different_seeds_and_picking_one_inserts_it(
    qtbot, pane: StoryPane, story_engine
) -> None:
    story_engine.reply_per_seed = True
    write(pane, "Dawn.")
    pane.alternatives_count.setValue(3)
    run(qtbot, pane, pane.alternatives_button.click)
    assert len(story_engine.completions) == 3
    seeds = [params.seed for _, params in story_engine.completions]
    assert len(set(seeds)) == 3 and None not in seeds
    assert {prompt for prompt, _ in story_engine.completions} == {"Dawn."}
    assert pane.alternatives_panel.isVisible() or not pane.isVisible()
    assert [c.view.toPlainText() for c in pane.columns] == [
        f"Take {seed} ends here." for seed in seeds
    ]
    assert pane.editor.toPlainText() == "Dawn."  # nothing goes in until one is picked
    pane.columns[1].use_button.click()
    assert pane.editor.toPlainText() == f"Dawn. Take {seeds[1]} ends here."
    assert marked_chars(pane) == list(range(5, len(pane.editor.toPlainText())))
    pane.columns[2].use_button.click()  # another pick replaces the first
    assert pane.editor.toPlainText() == f"Dawn. Take {seeds[2]} ends here."
    pane.undo_button.click()
    assert pane.editor.toPlainText() == "Dawn."


def test_alternatives_of_a_pending_continuation_replace_it(
    qtbot, pane: StoryPane, story_engine
) -> None:
    write(pane, "Dawn.")
    story_engine.reply = " Plain."
    run(qtbot, pane, pane.continue_button.click)
    story_engine.reply_per_seed = True
    pane.alternatives_count.setValue(2)
    run(qtbot, pane, pane.alternatives_button.click)
    assert [p for p, _ in story_engine.completions[1:]] == ["Dawn.", "Dawn."]
    seed = story_engine.completions[1][1].seed
    pane.columns[0].use_button.click()
    assert pane.editor.toPlainText() == f"Dawn. Take {seed} ends here."


def test_autosave_creates_a_story_and_reopening_restores_it(
    qtbot, parts: Parts, story_engine
) -> None:
    pane = parts.pane
    with qtbot.wait_signal(pane.document_changed, timeout=HANG_TIMEOUT_MS) as saved:
        write(pane, "The harbour was quiet that morning.")
        pane.memory_edit.setPlainText("Premise: a missing ship.")
        pane.note_edit.setPlainText("Slow down.")
        pane.length_spin.setValue(120)
    document_id = saved.args[0]
    assert pane.document_id == document_id
    document = parts.store.document(document_id)
    assert document.kind == "story"
    assert document.title == "The harbour was quiet that morning."
    story_engine.reply = " Gulls cried."
    run(qtbot, pane, pane.continue_button.click)  # saved at the end of the generation
    assert parts.store.document(document_id).body.endswith("Gulls cried.")
    pane.open_document(None)
    assert pane.editor.toPlainText() == "" and pane.memory_edit.toPlainText() == ""
    assert pane.document_id is None
    pane.open_document(document_id)
    assert pane.editor.toPlainText() == "The harbour was quiet that morning. Gulls cried."
    assert pane.memory_edit.toPlainText() == "Premise: a missing ship."
    assert pane.note_edit.toPlainText() == "Slow down."
    assert pane.length_spin.value() == 120
    # The continuation was not accepted yet: it is still marked and can be undone.
    assert marked_chars(pane) == list(range(35, 35 + len(" Gulls cried.")))
    pane.undo_button.click()
    assert pane.editor.toPlainText() == "The harbour was quiet that morning."
    assert [d.id for d in parts.store.documents("story")] == [document_id]


def test_a_new_empty_story_is_not_saved(qtbot, parts: Parts) -> None:
    parts.pane.open_document(None)
    parts.pane.save()
    assert parts.store.documents("story") == []


def test_a_renamed_story_keeps_its_name(qtbot, parts: Parts) -> None:
    pane = parts.pane
    write(pane, "First words.")
    pane.save()
    document_id = pane.document_id
    assert document_id is not None
    parts.store.update_document(document_id, title="My novel")
    write(pane, "Other words entirely.")
    pane.save()
    document = parts.store.document(document_id)
    assert document.title == "My novel" and document.body == "Other words entirely."


def test_a_failed_continuation_leaves_the_text_and_says_why(
    qtbot, pane: StoryPane, parts: Parts
) -> None:
    write(pane, "Short start.")
    pane.memory_edit.setPlainText("memory " * 3000)  # more than the fake's 2048-token window
    run(qtbot, pane, pane.continue_button.click)
    assert pane.editor.toPlainText() == "Short start."
    assert not parts.bar.isHidden()
    assert "Shorten the memory" in parts.bar.label.text()
    assert pane.session.pending is None


def test_nothing_to_continue_is_explained(qtbot, pane: StoryPane, parts: Parts) -> None:
    pane.continue_button.click()
    assert not pane.busy
    assert "nothing to continue" in parts.bar.label.text()


def test_without_a_model_the_buttons_wait_and_say_why(qtbot, story_engine, tmp_path) -> None:
    p = Parts(qtbot, story_engine, tmp_path)
    try:
        p.pane.open_document(None)
        assert not p.pane.continue_button.isEnabled()
        assert not p.pane.alternatives_button.isEnabled()
        assert "Load a model" in p.pane.continue_button.toolTip()
        assert "Load a model" in p.pane.state_label.text()
        p.load(qtbot)
        assert p.pane.continue_button.isEnabled()
    finally:
        p.close()


def test_ctrl_enter_continues(qtbot, pane: StoryPane, story_engine) -> None:
    pane.show()
    qtbot.waitExposed(pane)
    pane.activateWindow()
    write(pane, "Begin.")
    pane.editor.setFocus()
    qtbot.wait_until(pane.editor.hasFocus, timeout=HANG_TIMEOUT_MS)
    run(
        qtbot,
        pane,
        lambda: qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier),
    )
    assert pane.editor.toPlainText() == "Begin." + story_engine.reply


def test_export_writes_markdown_and_text(qtbot, pane: StoryPane, tmp_path: Path) -> None:
    write(pane, "A first line.\nA second line.")
    pane.save()
    with qtbot.wait_signal(pane.exported, timeout=HANG_TIMEOUT_MS):
        pane.export_to(tmp_path / "story.md")
    assert (tmp_path / "story.md").read_text(encoding="utf-8") == (
        "# A first line. A second line.\n\nA first line.\n\nA second line.\n"
    )
    with qtbot.wait_signal(pane.exported, timeout=HANG_TIMEOUT_MS):
        pane.export_to(tmp_path / "story.txt")
    assert (tmp_path / "story.txt").read_text(encoding="utf-8") == (
        "A first line.\nA second line.\n"
    )


def test_an_export_that_fails_says_what_to_do(
    qtbot, pane: StoryPane, parts: Parts, tmp_path
) -> None:
    write(pane, "Words.")
    pane.export_to(tmp_path / "missing" / "story.md")
    qtbot.wait_until(lambda: not parts.bar.isHidden(), timeout=HANG_TIMEOUT_MS)
    assert "could not be exported" in parts.bar.label.text()
    assert "Choose another folder" in parts.bar.label.text()


def test_word_count_follows_the_text(qtbot, pane: StoryPane) -> None:
    write(pane, "One two three.")
    qtbot.wait_until(lambda: pane.word_label.text() == "3 words", timeout=HANG_TIMEOUT_MS)
    write(pane, "Solo")
    qtbot.wait_until(lambda: pane.word_label.text() == "1 word", timeout=HANG_TIMEOUT_MS)


def test_positions_convert_between_python_and_qt() -> None:
    text = "a😀b"
    assert qt_length(text) == 4
    assert python_index(text, 3) == 2 and python_index(text, 4) == 3
    assert python_index("abc", 10) == 3


def test_every_control_has_an_accessible_name(qtbot, pane: StoryPane) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QPlainTextEdit

    write(pane, "Dawn.")
    run(qtbot, pane, pane.alternatives_button.click)  # the alternatives' columns too
    controls = [
        widget
        for kind in (QAbstractButton, QAbstractSpinBox, QPlainTextEdit)
        for widget in pane.findChildren(kind)
    ]
    assert len(controls) > 15
    for widget in controls:
        assert widget.accessibleName(), widget


def test_a_new_palette_retints_the_marked_text(qtbot, pane: StoryPane, story_engine) -> None:
    from PySide6.QtGui import QColor, QPalette

    write(pane, "Begin.")
    run(qtbot, pane, pane.continue_button.click)
    palette = QPalette(pane.palette())
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#00aa00"))
    pane.setPalette(palette)
    cursor = QTextCursor(pane.editor.document())
    cursor.setPosition(8)
    colour = cursor.charFormat().background().color()
    assert (colour.red(), colour.green(), colour.blue()) == (0, 0xAA, 0)
    assert len(marked_chars(pane)) == len(story_engine.reply)


def test_in_chinese_the_pane_and_its_alternatives_speak_chinese(
    qapp, qtbot, story_engine, tmp_path: Path
) -> None:
    tt.build("zh_CN", tt.extract(), out_dir=tmp_path / "qm")
    install_translators(qapp, "zh_CN", directory=tmp_path / "qm")
    p = Parts(qtbot, story_engine, tmp_path)
    try:
        p.load(qtbot)
        pane = p.pane
        pane.open_document(None)
        assert (pane.continue_button.text(), pane.accept_button.text()) == ("续写", "采纳")
        assert pane.length_spin.suffix() == " 字"
        write(pane, "从前有座山。")
        qtbot.wait_until(lambda: pane.word_label.text() == "5 字", timeout=HANG_TIMEOUT_MS)
        pane.alternatives_count.setValue(2)
        run(qtbot, pane, pane.alternatives_button.click)
        assert [c.title.text() for c in pane.columns] == ["备选 1", "备选 2"]
        assert pane.alternatives_title.text().startswith("2 个备选：")
        pane.use_alternative(1)
        assert pane.columns[1].title.text() == "备选 2（已放入故事）"
        assert "采纳" in pane.state_label.text()
    finally:
        p.close()
        remove_translators(qapp)
