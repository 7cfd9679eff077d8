"""The window with a model on a server (Settings ▸ Connections ▸ Servers): llama.cpp's own
llama-server on loopback, added like a user would; its model appears in the picker beside the
installed ones, loads, and the chat and a writing pane work with it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import Qt

from gptdesk.core.inference.remote import RemoteModelStatus
from gptdesk.core.models import servers
from gptdesk.ui.window.main_window import MainWindow
from gptdesk.ui.writing.summarize_pane import SummarizePane
from tests.waits import HANG_TIMEOUT_MS

pytestmark = pytest.mark.model


def picker_keys(win: MainWindow) -> list[str]:
    picker = win.model_picker
    return [picker.itemData(i) for i in range(picker.count()) if picker.itemData(i)]


def test_a_server_model_is_picked_loaded_and_chats(qtbot, open_app, tmp_path, llama_server_url):
    win = open_app(tmp_path)
    qtbot.mouseClick(win.welcome.start_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: win._loaded is not None, timeout=HANG_TIMEOUT_MS)
    win.settings.update(servers=[{"name": "box", "url": llama_server_url}])
    qtbot.wait_until(
        lambda: any(k.startswith(servers.REMOTE_PREFIX) for k in picker_keys(win)),
        timeout=HANG_TIMEOUT_MS,
    )
    key = next(k for k in picker_keys(win) if k.startswith(servers.REMOTE_PREFIX))
    assert servers.parse_model_key(key)[0] == "box"  # type: ignore[index]
    local = [k for k in picker_keys(win) if k.endswith(".gguf")]
    assert local, "the installed models are still listed"

    with qtbot.wait_signal(win.controller.loaded, timeout=HANG_TIMEOUT_MS) as loaded:
        win.model_picker.setCurrentIndex(win.model_picker.findData(key))
        win.on_model_picker_activated(win.model_picker.currentIndex())
    status = loaded.args[0]
    assert isinstance(status, RemoteModelStatus)
    assert status.n_ctx == 2048  # llama-server's /props says it
    assert win.backend_chip.text() == "Remote · box"
    assert win.settings.settings.last_model == key

    pane = win.chat_pane
    pane.session.set_params({"temperature": 0, "seed": 1, "max_tokens": 16})
    deltas: list[str] = []
    win.controller.delta.connect(lambda _rid, piece: deltas.append(piece))
    pane.composer.setPlainText("What is a lighthouse?")
    with qtbot.wait_signal(win.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)
    reply = pane.session.history()[-1]
    assert reply.role == "assistant" and reply.state == "complete" and reply.content.strip()
    assert "".join(deltas) == reply.content

    # A writing pane on the same server model: a summary.
    win.switch_mode("Summarize")
    summary = next(p for p in win._writing_panes if isinstance(p, SummarizePane))
    summary.source_edit.setPlainText(
        "The lighthouse stood on the rock for two hundred years. Its keepers lit the lamp every "
        "night and wrote the weather in a logbook. Ships passing the reef trusted its light."
    )
    with qtbot.wait_signal(win.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        summary.summarize()
    qtbot.wait_until(lambda: not summary.busy, timeout=HANG_TIMEOUT_MS)
    assert summary.summary.strip()


def test_an_unreachable_server_is_listed_as_such(qtbot, open_app, tmp_path):
    win = open_app(tmp_path)
    win.settings.update(servers=[{"name": "gone", "url": "http://127.0.0.1:9/v1"}])
    picker = win.model_picker
    qtbot.wait_until(
        lambda: any("gone" in picker.itemText(i) for i in range(picker.count())),
        timeout=HANG_TIMEOUT_MS,
    )
    row = next(i for i in range(picker.count()) if "gone" in picker.itemText(i))
    assert "not reachable" in picker.itemText(row)
    assert "Cannot reach" in picker.itemData(row, Qt.ItemDataRole.ToolTipRole)
