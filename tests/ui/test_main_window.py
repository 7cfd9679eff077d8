"""The main window with a deterministic fake engine: send, stream, stop, errors, keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gptdesk.core.chat import ChatSession
from gptdesk.core.engine import SamplingParams
from gptdesk.core.models import ModelEntry
from gptdesk.core.store import Store
from gptdesk.ui.main_window import MainWindow
from gptdesk.ui.worker import EngineController


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "chats.sqlite3")
    yield s
    s.close()


def make_window(qtbot, fake_engine, store: Store) -> MainWindow:
    controller = EngineController(factory=fake_engine)
    win = MainWindow(
        controller,
        [ModelEntry("Fake", Path("/models/fake.gguf"))],
        ChatSession.latest(store),
        params=SamplingParams(max_tokens=50),
    )
    qtbot.addWidget(win)
    win.show()
    with qtbot.wait_signal(controller.loaded, timeout=10_000):
        win.load_current_model()
    return win


@pytest.fixture
def window(qtbot, fake_engine, store):
    win = make_window(qtbot, fake_engine, store)
    yield win
    win.controller.shutdown()


def _send(qtbot, win: MainWindow, text: str, signal_name: str = "generation_finished") -> None:
    win.composer.setPlainText(text)
    with qtbot.wait_signal(getattr(win.controller, signal_name), timeout=10_000):
        qtbot.keyClick(win.composer, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: win._request_id is None, timeout=5_000)


def test_loaded_model_shows_backend_chip(window):
    assert window.backend_chip.text() == "CPU · 2 threads"
    assert window.send_button.isEnabled()
    assert window.load_progress.isHidden()


def test_enter_sends_and_reply_streams_into_transcript(qtbot, window, fake_engine):
    _send(qtbot, window, "Hello there")
    text = window.transcript.toPlainText()
    assert "You\nHello there" in text
    assert "Assistant\n" + fake_engine.reply in text
    assert [m.role for m in window.messages] == ["user", "assistant"]
    assert window.messages[1].content == fake_engine.reply
    assert window.composer.toPlainText() == ""
    assert "tokens/s" in window.statusBar().currentMessage()


def test_history_is_sent_with_each_turn(qtbot, window, fake_engine):
    _send(qtbot, window, "first")
    _send(qtbot, window, "second")
    last = fake_engine.requests[-1]
    assert [m.content for m in last] == ["first", fake_engine.reply, "second"]


def test_shift_enter_inserts_a_newline(qtbot, window, fake_engine):
    window.composer.setPlainText("line one")
    window.composer.moveCursor(window.composer.textCursor().MoveOperation.End)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.composer.toPlainText() == "line one\n"
    assert fake_engine.requests == []


def test_repaints_are_coalesced(qtbot, window, fake_engine):
    fake_engine.reply = " ".join(["word"] * 200)  # 200 deltas arrive faster than 30 ms each
    _send(qtbot, window, "go")
    assert window.messages[-1].content == fake_engine.reply
    assert 1 <= window.transcript.flush_count < 50


def test_escape_stops_the_reply(qtbot, window, fake_engine):
    fake_engine.reply = " ".join(["slow"] * 400)
    fake_engine.delay = 0.01
    window.composer.setPlainText("go")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: "slow slow" in window.transcript.toPlainText(), timeout=5_000)
    assert window.stop_button.isEnabled()
    with qtbot.wait_signal(window.controller.generation_cancelled, timeout=5_000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.wait_until(lambda: window._request_id is None, timeout=5_000)
    assert "[stopped]" in window.transcript.toPlainText()
    kept = window.messages[-1].content
    assert window.messages[-1].role == "assistant"
    assert 0 < kept.count("slow") < 400
    assert window.send_button.isEnabled() and not window.stop_button.isEnabled()


def test_load_failure_shows_message_bar(qtbot, fake_engine, store):
    fake_engine.fail_load = "This file is not a GGUF model."
    controller = EngineController(factory=fake_engine)
    win = MainWindow(controller, [ModelEntry("Bad", Path("/models/bad.gguf"))], ChatSession(store))
    qtbot.addWidget(win)
    win.show()
    with qtbot.wait_signal(controller.load_failed, timeout=10_000):
        win.load_current_model()
    assert win.message_bar.isVisible()
    assert win.message_bar.label.text() == "This file is not a GGUF model."
    assert not win.send_button.isEnabled()
    win.composer.setPlainText("kept")
    win.send()
    assert win.composer.toPlainText() == "kept"  # nothing the user typed is lost
    controller.shutdown()


def test_new_chat_clears_conversation(qtbot, window):
    _send(qtbot, window, "Hello")
    qtbot.keySequence(window, "Ctrl+N")
    assert window.messages == []
    assert window.transcript.toPlainText() == ""


def test_every_control_has_an_accessible_name(window):
    for widget in (
        window.model_picker,
        window.composer,
        window.send_button,
        window.stop_button,
        window.new_button,
        window.transcript,
        window.backend_chip,
    ):
        assert widget.accessibleName()


def test_conversation_survives_a_restart_of_the_window(qtbot, window, fake_engine, store):
    _send(qtbot, window, "Remember me")
    window.controller.shutdown()
    again = make_window(qtbot, fake_engine, store)
    assert [m.content for m in again.messages] == ["Remember me", fake_engine.reply]
    assert "You\nRemember me" in again.transcript.toPlainText()
    _send(qtbot, again, "And now?")  # continues the same conversation
    assert [m.content for m in fake_engine.requests[-1]] == [
        "Remember me",
        fake_engine.reply,
        "And now?",
    ]
    assert len(store.conversations()) == 1
    again.controller.shutdown()


def test_a_stopped_reply_is_saved_as_interrupted(qtbot, window, fake_engine, store):
    fake_engine.reply = " ".join(["slow"] * 400)
    fake_engine.delay = 0.01
    window.composer.setPlainText("go")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: "slow slow" in window.transcript.toPlainText(), timeout=5_000)
    with qtbot.wait_signal(window.controller.generation_cancelled, timeout=5_000):
        window.stop()
    saved = store.active_path(window.session.conversation_id)[-1]
    assert saved.state == "interrupted" and saved.content.startswith("slow slow")
    window.controller.shutdown()
    again = make_window(qtbot, fake_engine, store)
    assert "[interrupted]" in again.transcript.toPlainText()
    again.controller.shutdown()
