"""The whole app with the real starter model: first run, send, Stop and Continue, Regenerate,
and a restart on the same data dir that finds the conversation again."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import Qt

from gptdesk.core.storage.paths import resolve_paths
from gptdesk.ui.chat.transcript import ACTION_SCHEME
from gptdesk.ui.window.main_window import MainWindow
from tests.e2e.conftest import close_app
from tests.waits import HANG_TIMEOUT_MS

pytestmark = pytest.mark.model

FAST = {"temperature": 0, "seed": 1, "max_tokens": 24}  # short, repeatable replies


def click_action(win: MainWindow, action: str, message_id: int) -> None:
    """What clicking an action link under a message does."""
    win.chat_pane.transcript.anchorClicked.emit(QUrl(f"{ACTION_SCHEME}:{action}/{message_id}"))


def send(qtbot, win: MainWindow, text: str, params: dict[str, Any]) -> list[str]:
    """Type ``text`` and press Enter with ``params``; returns the deltas the window got."""
    pane = win.chat_pane
    pane.session.set_params(params)
    deltas: list[str] = []
    win.controller.delta.connect(lambda _rid, piece: deltas.append(piece))
    pane.composer.setPlainText(text)
    with qtbot.wait_signal(win.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)
    return deltas


def saved_rows(data: Path) -> list[tuple[str, str, str]]:
    """(role, content, state) of every message, read from the file by a separate connection."""
    db = sqlite3.connect(resolve_paths(data).database_file)
    try:
        return db.execute("SELECT role, content, state FROM messages ORDER BY id").fetchall()
    finally:
        db.close()


def test_first_run_send_regenerate_and_restart(qtbot, open_app, tmp_path):
    win = open_app(tmp_path)
    assert win.stack.currentWidget() is win.welcome  # a first run greets the user
    qtbot.mouseClick(win.welcome.start_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.chat_pane

    deltas = send(qtbot, win, "What is a lighthouse?", FAST)
    pane = win.chat_pane
    reply = pane.session.history()[-1]
    assert len(deltas) > 1 and "".join(deltas) == reply.content  # it streamed, piece by piece
    assert reply.role == "assistant" and reply.state == "complete" and reply.content.strip()
    assert reply.stats is not None and 0 < reply.stats["completion_tokens"] <= 24
    assert pane.transcript.flush_count >= 1
    assert saved_rows(tmp_path) == [
        ("user", "What is a lighthouse?", "complete"),
        ("assistant", reply.content, "complete"),
    ]
    assert "tokens/s" in win.statusBar().currentMessage()
    assert win.item_list.selected_id() == pane.conversation_id

    with qtbot.wait_signal(win.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        click_action(win, "regenerate", reply.id)
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)
    last = pane.session.turns()[-1]
    assert last.message.id != reply.id and last.message.content.strip()
    assert (last.version, last.versions) == (2, 2)
    assert "2/2" in pane.transcript.toPlainText()
    texts = [m.content for m in pane.session.history()]
    conversation = pane.conversation_id

    close_app(win)
    again = open_app(tmp_path)
    assert again.stack.currentWidget() is again.chat_pane  # no welcome the second time
    assert again.chat_pane.conversation_id == conversation
    assert [m.content for m in again.chat_pane.session.history()] == texts
    restored = again.chat_pane.session.turns()[-1]
    assert (restored.version, restored.versions) == (2, 2)
    assert again.item_list.model.rowCount() == 1
    assert again.item_list.selected_id() == conversation
    assert "What is a lighthouse?" in again.chat_pane.transcript.toPlainText()


def test_stop_mid_reply_then_continue_finishes_the_same_message(qtbot, open_app, tmp_path):
    win = open_app(tmp_path)
    qtbot.mouseClick(win.welcome.start_button, Qt.MouseButton.LeftButton)
    pane = win.chat_pane
    pane.session.set_params({**FAST, "max_tokens": 400})
    deltas: list[str] = []
    win.controller.delta.connect(lambda _rid, piece: deltas.append(piece))
    pane.composer.setPlainText("Write a long story about a lighthouse keeper.")
    qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: len(deltas) >= 5, timeout=HANG_TIMEOUT_MS)
    assert pane.stop_button.isEnabled()
    with qtbot.wait_signal(win.controller.generation_cancelled, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(win, Qt.Key.Key_Escape)
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)

    cut = pane.session.turns()[-1]
    assert cut.message.state == "interrupted" and cut.message.content.strip()
    assert cut.message.stats is not None and cut.message.stats["stop_reason"] == "cancelled"
    assert cut.message.stats["completion_tokens"] < 400
    assert cut.can_continue
    shown = pane.transcript.toPlainText()
    assert "Continue" in shown and "stopped" in shown

    pane.session.set_params(FAST)
    with qtbot.wait_signal(win.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        click_action(win, "continue", cut.message.id)
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)
    done = pane.session.history()[-1]
    assert done.id == cut.message.id  # the same message, not a new version
    assert done.content.startswith(cut.message.content)
    assert len(done.content) > len(cut.message.content)
    assert done.state == "complete"
    assert pane.session.turns()[-1].versions == 1
    assert [m.role for m in pane.session.history()] == ["user", "assistant"]
