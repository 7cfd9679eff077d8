"""The window outlives its engine: a model that aborts llama.cpp while loading or at its first
decode, an engine process killed mid-reply, a chat template that never ends (Stop, and the
time bound), a template that raises. The window stays, the message bar explains, the next
model or request works."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
from pathlib import Path

import psutil
import pytest
from PySide6.QtGui import Qt

from gptdesk.core.inference import cpu_kernels
from gptdesk.core.inference.host import TEMPLATE_TIMEOUT_ENV
from gptdesk.core.models.library import starter_model_path
from gptdesk.core.storage.paths import resolve_paths
from gptdesk.ui.window.main_window import MainWindow
from tests.hostile_gguf import (
    chat_template,
    crashes_at_first_decode,
    crashes_at_load,
    starter_reader,
)
from tests.waits import HANG_TIMEOUT_MS

pytestmark = pytest.mark.model

FAST = {"temperature": 0, "seed": 1, "max_tokens": 16}
ENDLESS = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose cache knows this CPU's kernels (no probe) and keeps crash records."""
    folder = tmp_path / "data"
    cache = folder / "cache"
    cache.mkdir(parents=True)
    known = cpu_kernels.memory_file()
    if known.is_file():
        shutil.copy(known, cache / known.name)
    monkeypatch.setenv(cpu_kernels.CACHE_ENV, str(cache))
    return folder


def engine_processes() -> list[psutil.Process]:
    return [
        p
        for p in psutil.Process().children()
        if any("host_child" in part or part == "--engine-host" for part in p.cmdline())
    ]


def start_chat(qtbot, win: MainWindow) -> None:
    if win.stack.currentWidget() is win.welcome:
        qtbot.mouseClick(win.welcome.start_button, Qt.MouseButton.LeftButton)


def load(qtbot, win: MainWindow, path: Path, signal_name: str = "loaded") -> None:
    with qtbot.wait_signal(getattr(win.controller, signal_name), timeout=HANG_TIMEOUT_MS):
        win.load_model(path)


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (crashes_at_load, "rejected the model's vocabulary"),
        # The window loads with a warm-up, which is the first decode.
        (crashes_at_first_decode, "stopped: binary_op: unsupported types"),
    ],
    ids=["abort-at-load", "abort-at-first-decode"],
)
def test_a_model_that_aborts_llama_cpp(qtbot, open_app, data, make, why):
    models = resolve_paths(data).ensure().models_dir
    crasher = make(models / "crasher.gguf", source=starter_reader())
    win = open_app(data)
    start_chat(qtbot, win)

    # The model loaded before comes back by itself.
    with qtbot.wait_signal(win.controller.loaded, timeout=HANG_TIMEOUT_MS) as back:
        load(qtbot, win, crasher, "load_failed")
    assert win.isVisible()
    shown = win.message_bar.label.text()
    assert shown.startswith(f"The model crashed while loading: llama.cpp {why}")
    assert back.args[0].path == starter_model_path()
    assert win.model_picker.currentData() == str(starter_model_path())
    # The picker marks it once the models are listed again.
    qtbot.wait_until(
        lambda: any(
            "(crashed)" in win.model_picker.itemText(i) for i in range(win.model_picker.count())
        ),
        timeout=HANG_TIMEOUT_MS,
    )

    pane = win.chat_pane
    pane.session.set_params(FAST)
    pane.composer.setPlainText("Hello!")
    with qtbot.wait_signal(win.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    assert pane.session.history()[-1].content.strip()


def test_an_engine_killed_mid_reply_keeps_the_reply_and_the_next_one_works(
    qtbot, open_app, data
):
    win = open_app(data)
    start_chat(qtbot, win)
    pane = win.chat_pane
    pane.session.set_params({**FAST, "max_tokens": 300, "temperature": 0.8})
    deltas: list[str] = []
    win.controller.delta.connect(lambda _rid, piece: deltas.append(piece))
    pane.composer.setPlainText("Tell me a long story about a lighthouse keeper.")
    qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: len(deltas) >= 5, timeout=HANG_TIMEOUT_MS)
    (engine,) = engine_processes()
    with qtbot.wait_signal(win.controller.generation_failed, timeout=HANG_TIMEOUT_MS):
        os.kill(engine.pid, signal.SIGKILL)  # what the out-of-memory killer does
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)

    assert win.isVisible()
    assert "The model crashed while writing" in win.message_bar.label.text()
    assert "memory ran out" in win.message_bar.label.text()
    kept = pane.session.history()[-1]
    assert kept.role == "assistant" and kept.state == "interrupted"
    assert kept.content and kept.content.startswith("".join(deltas[:5]).strip()[:10])
    assert pane.session.turns()[-1].can_continue

    pane.session.set_params(FAST)
    pane.composer.setPlainText("Thanks!")
    with qtbot.wait_signal(win.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    assert pane.session.history()[-1].state == "complete"
    assert [p.pid for p in engine_processes()] != [engine.pid]


def test_stop_and_the_time_bound_end_a_template_that_never_ends(
    qtbot, open_app, data, monkeypatch
):
    monkeypatch.setenv(TEMPLATE_TIMEOUT_ENV, "3")
    models = resolve_paths(data).ensure().models_dir
    endless = chat_template(models / "endless-template.gguf", ENDLESS, source=starter_reader())
    win = open_app(data)
    start_chat(qtbot, win)
    load(qtbot, win, endless)
    pane = win.chat_pane
    pane.session.set_params(FAST)

    # Stop while the template renders: the reply ends at once as stopped, nothing is lost.
    pane.composer.setPlainText("Hello?")
    with qtbot.wait_signal(win.controller.generation_started, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    with qtbot.wait_signal(win.controller.generation_cancelled, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(win, Qt.Key.Key_Escape)
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)
    assert win.isVisible()

    # Left alone, it is ended by the bound, and the message bar says why.
    pane.composer.setPlainText("Hello again?")
    with qtbot.wait_signal(win.controller.generation_failed, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)
    assert "ran for more than 3 s and was stopped" in win.message_bar.label.text()
    assert "Hello again?" in pane.composer.toPlainText()  # given back, not lost

    # Another model loads and answers.
    starter = starter_model_path()
    assert starter is not None
    load(qtbot, win, starter)
    pane.composer.setPlainText("Hi!")
    with qtbot.wait_signal(win.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)


def test_a_template_that_raises_is_a_message_not_a_crash(qtbot, open_app, data):
    models = resolve_paths(data).ensure().models_dir
    broken = chat_template(
        models / "divides-by-zero.gguf", "{{ messages | length // 0 }}", source=starter_reader()
    )
    win = open_app(data)
    start_chat(qtbot, win)
    load(qtbot, win, broken)
    pane = win.chat_pane
    pane.session.set_params(FAST)
    pane.composer.setPlainText("Hello?")
    with qtbot.wait_signal(win.controller.generation_failed, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)
    assert "chat template failed (ZeroDivisionError" in win.message_bar.label.text()
    assert win.isVisible() and "Hello?" in pane.composer.toPlainText()


def test_quitting_while_a_template_holds_the_engine_ends_it(qtbot, open_app, data):
    models = resolve_paths(data).ensure().models_dir
    endless = chat_template(models / "endless-template.gguf", ENDLESS, source=starter_reader())
    win = open_app(data)
    start_chat(qtbot, win)
    load(qtbot, win, endless)
    (engine,) = engine_processes()
    pane = win.chat_pane
    pane.composer.setPlainText("Hello?")
    with qtbot.wait_signal(win.controller.generation_started, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)

    # What run_app does when the window closes; Stop alone cannot end this template.
    win.close()
    win.services.shutdown()
    assert not engine.is_running() or engine.status() == psutil.STATUS_ZOMBIE
    assert engine_processes() == []
    assert not win.controller._thread.isRunning()
    db = sqlite3.connect(resolve_paths(data).database_file)
    try:
        rows = db.execute("SELECT role, content FROM messages ORDER BY id").fetchall()
    finally:
        db.close()
    assert ("user", "Hello?") in rows  # what the user wrote is kept
