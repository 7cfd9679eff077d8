"""The app's API server (Settings: "Let other apps use the loaded model") with the real starter
model: the window and an outside client (the official ``openai`` package) use the model at the
same time, taking turns in one queue that the status line shows."""

from __future__ import annotations

import socket
import threading

import openai
import pytest
import requests
from PySide6.QtGui import Qt

from gptdesk.ui.window.main_window import MainWindow
from tests.waits import HANG_TIMEOUT_MS

pytestmark = pytest.mark.model


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_api(qtbot, win: MainWindow, **settings: object) -> str:
    with qtbot.wait_signal(win.api.started, timeout=HANG_TIMEOUT_MS) as started:
        win.settings.update(api_server=True, api_port=free_port(), **settings)
    return str(started.args[0])


def test_window_and_outside_client_share_the_model(qtbot, open_app, tmp_path):
    win = open_app(tmp_path)
    qtbot.mouseClick(win.welcome.start_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: win._loaded is not None, timeout=HANG_TIMEOUT_MS)
    url = start_api(qtbot, win)
    assert url.startswith("http://127.0.0.1:")
    assert win.api_chip.isVisible() and win.api.url == url
    queue_sizes: list[int] = []
    win.controller.queue_changed.connect(queue_sizes.append)

    # The window starts a reply; the outside client asks while it runs.
    pane = win.chat_pane
    pane.session.set_params({"temperature": 0, "seed": 1, "max_tokens": 64})
    pane.composer.setPlainText("Tell me about lighthouses.")
    deltas: list[str] = []
    win.controller.delta.connect(lambda _rid, piece: deltas.append(piece))
    window_done = qtbot.wait_signal(win.controller.generation_finished, timeout=HANG_TIMEOUT_MS)
    with window_done:
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
        qtbot.wait_until(lambda: bool(deltas), timeout=HANG_TIMEOUT_MS)  # it streams
        outside: dict[str, object] = {}

        def ask() -> None:
            with openai.OpenAI(
                base_url=f"{url}/v1", api_key="-", max_retries=0, _strict_response_validation=True
            ) as client:
                model = client.models.list().data[0].id
                outside["reply"] = client.chat.completions.create(
                    model=model,
                    messages=[{"role": "user", "content": "Say hello."}],
                    max_tokens=8,
                    stream=True,
                    stream_options={"include_usage": True},
                )
                outside["text"] = "".join(
                    c.choices[0].delta.content or ""
                    for c in outside["reply"]  # type: ignore[attr-defined]
                    if c.choices
                )

        client_thread = threading.Thread(target=ask)
        client_thread.start()
        qtbot.wait_until(lambda: 2 in queue_sizes, timeout=HANG_TIMEOUT_MS)  # it waits its turn
        assert "2 queued" in win.api_chip.text()
    qtbot.wait_until(lambda: not client_thread.is_alive(), timeout=HANG_TIMEOUT_MS)
    assert outside["text"]
    reply = pane.session.history()[-1]
    assert reply.role == "assistant" and reply.state == "complete" and reply.content.strip()
    qtbot.wait_until(lambda: queue_sizes[-1] == 0, timeout=HANG_TIMEOUT_MS)
    assert "queued" not in win.api_chip.text()

    # Switched off: nothing listens any more.
    with qtbot.wait_signal(win.api.stopped, timeout=HANG_TIMEOUT_MS):
        win.settings.update(api_server=False)
    assert win.api_chip.isHidden()
    qtbot.wait_until(lambda: not _answers(url), timeout=HANG_TIMEOUT_MS)


def _answers(url: str) -> bool:
    try:
        requests.get(f"{url}/health", timeout=5)
    except requests.ConnectionError:
        return False
    return True


def test_network_mode_needs_the_key_from_the_keyring(qtbot, open_app, tmp_path, monkeypatch):
    from gptdesk.core.storage import secrets

    monkeypatch.setattr(secrets, "api_key", lambda: "the-key")  # no keyring in the test machine
    win = open_app(tmp_path)
    url = start_api(qtbot, win, api_network=True)
    port = url.rsplit(":", 1)[1]
    refused = requests.get(f"http://127.0.0.1:{port}/v1/models")
    assert refused.status_code == 401
    ok = requests.get(
        f"http://127.0.0.1:{port}/v1/models", headers={"Authorization": "Bearer the-key"}
    )
    assert ok.status_code == 200 and ok.json()["object"] == "list"


def test_a_busy_port_is_said_in_the_message_bar(qtbot, open_app, tmp_path):
    win = open_app(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with qtbot.wait_signal(win.api.failed, timeout=HANG_TIMEOUT_MS):
            win.settings.update(api_server=True, api_port=port)
    assert not win.message_bar.isHidden()
    assert f"Port {port}" in win.message_bar.label.text()
    assert win.api_chip.isHidden()
