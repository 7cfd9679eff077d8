"""Killing the app mid-reply (SIGKILL, as a crash or a power button would): the database stays
sound, the cut reply is kept with at most about a second of its text lost, and a new window
offers to continue it."""

from __future__ import annotations

import itertools
import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
from PySide6.QtCore import QUrl

import gptdesk
from gptdesk.app import build_services
from gptdesk.core.chat.session import SAVE_INTERVAL_S
from gptdesk.core.storage.paths import resolve_paths
from gptdesk.core.storage.store import Store
from gptdesk.ui.chat.transcript import ACTION_SCHEME
from gptdesk.ui.window.main_window import MainWindow
from tests.waits import HANG_TIMEOUT_MS, HANG_TIMEOUT_S

pytestmark = pytest.mark.model

REPO_ROOT = Path(gptdesk.__file__).resolve().parent.parent
# At temperature 0 the starter model writes on about this for more than 1,500 tokens, so even a
# fast machine is still streaming when the test kills it (after about three seconds).
PROMPT = (
    "Write a long essay about the history of computers, from the abacus to smartphones. "
    "Use many paragraphs."
)


@dataclass(frozen=True)
class Delta:
    t: float  # time.monotonic() in the child when its GUI thread got the piece
    text: str


class Child:
    """The app process (tests/e2e/app_child.py) and the events it prints; ``args``: the child's
    arguments (default: the real model writing a long reply to ``PROMPT``)."""

    def __init__(self, data: Path, log: IO[str], args: list[str] | None = None) -> None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO_ROOT))
        args = args if args is not None else [str(data), PROMPT, "3000"]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.app_child", *args],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            encoding="utf-8",
        )
        self.events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.events.put(json.loads(line))
        self.events.put(None)  # end of output: the process is gone

    def wait_event(self, name: str) -> dict[str, Any]:
        deadline = time.monotonic() + HANG_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                event = self.events.get(timeout=0.1)
            except queue.Empty:
                continue
            if event is None:
                pytest.fail(f"the app exited (code {self.proc.poll()}) before {name!r}")
            self.seen.append(event)
            if event["event"] == name:
                return event
        pytest.fail(f"no {name!r} from the app within {HANG_TIMEOUT_S:.0f} s")

    def drain(self) -> list[dict[str, Any]]:
        """Every event printed before the process ended (call after it ended)."""
        self._reader.join(timeout=HANG_TIMEOUT_S)
        while (event := self.events.get_nowait()) is not None:
            self.seen.append(event)
        return self.seen

    def kill(self) -> float:
        """SIGKILL now; returns the monotonic time just before the signal."""
        killed_at = time.monotonic()
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=HANG_TIMEOUT_S)
        return killed_at


def read_only(db: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (a Store would mark the reply interrupted)."""
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=HANG_TIMEOUT_S)


def saved_text(db: sqlite3.Connection, message_id: int) -> tuple[str, str]:
    row = db.execute("SELECT content, state FROM messages WHERE id=?", (message_id,)).fetchone()
    return (row[0], row[1]) if row else ("", "")


def last_saved_at(deltas: list[Delta], saved_chars: int) -> float:
    """When the GUI got the last piece that is in the saved text."""
    at, length = 0.0, 0
    for d in deltas:
        length += len(d.text)
        if length > saved_chars:
            break
        at = d.t
    return at


def test_kill_mid_reply_keeps_the_database_and_all_but_a_second_of_the_reply(qtbot, tmp_path):
    data = tmp_path / "data"
    db_file = resolve_paths(data).database_file
    with (tmp_path / "child-stderr.txt").open("w", encoding="utf-8") as log:
        child = Child(data, log)
        try:
            child.wait_event("loaded")
            reply_id = int(child.wait_event("started")["reply_id"])
            # Watch the file from outside while the reply streams: its text grows in steps,
            # one save about every second. Kill after the third save.
            outside = read_only(db_file)
            saves: list[str] = []
            deadline = time.monotonic() + HANG_TIMEOUT_S
            while len(saves) < 3:
                assert child.proc.poll() is None, "the app ended before it was killed"
                assert time.monotonic() < deadline, "the reply was not saved while streaming"
                content, state = saved_text(outside, reply_id)
                assert state == "streaming", "the reply ended before it was killed"
                if content and (not saves or content != saves[-1]):
                    saves.append(content)
                time.sleep(0.02)
            outside.close()
            assert all(b.startswith(a) and len(b) > len(a) for a, b in itertools.pairwise(saves))
            killed_at = child.kill()
        finally:
            if child.proc.poll() is None:
                child.proc.kill()
                child.proc.wait()
    events = child.drain()
    assert child.proc.returncode == -signal.SIGKILL
    assert not any(e["event"] == "finished" for e in events), "the reply ended before the kill"
    deltas = [Delta(e["t"], e["text"]) for e in events if e["event"] == "delta"]
    streamed = "".join(d.text for d in deltas)

    # The raw file, before gptdesk opens it again: sound, the reply still marked streaming.
    raw = read_only(db_file)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved, state = saved_text(raw, reply_id)
    raw.close()
    assert state == "streaming"
    assert saved and streamed.startswith(saved)  # what was saved is what was streamed
    # ChatSession saves at the first piece that comes a second or more after the last save,
    # so every piece the GUI got a second before its last piece (the one before it: the very
    # last may have been printed but not yet saved) is in the file.
    must_have = "".join(d.text for d in deltas if d.t <= deltas[-2].t - SAVE_INTERVAL_S)
    lost_s = killed_at - last_saved_at(deltas, len(saved))
    assert must_have and saved.startswith(must_have), (
        f"saved {len(saved)} of {len(streamed)} characters; the last save was {lost_s:.2f} s "
        "before the kill"
    )
    assert len(saved) >= len(saves[-1])

    # gptdesk opens the file again: the cut reply is interrupted and can be continued.
    store = Store(db_file)
    message = store.message(reply_id)
    assert message.state == "interrupted" and message.content == saved
    store.close()

    services = build_services(resolve_paths(data).ensure())
    services.scan_external = False
    services.token = lambda: None
    win = MainWindow(services)
    try:
        win.show()
        pane = win.chat_pane
        turns = pane.session.turns()
        assert [t.message.role for t in turns] == ["user", "assistant"]
        assert turns[0].message.content == PROMPT
        assert turns[-1].message.id == reply_id and turns[-1].can_continue
        shown = pane.transcript.toPlainText()
        assert "interrupted" in shown and "Continue" in shown

        # ... and Continue finishes it with the real model.
        with qtbot.wait_signal(services.controller.loaded, timeout=HANG_TIMEOUT_MS):
            win.scan_models()
        pane.session.set_params({"temperature": 0, "seed": 1, "max_tokens": 16})
        with qtbot.wait_signal(services.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
            pane.transcript.anchorClicked.emit(QUrl(f"{ACTION_SCHEME}:continue/{reply_id}"))
        qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)
        done = pane.session.history()[-1]
        assert done.id == reply_id and done.state == "complete"
        assert done.content.startswith(saved)
    finally:
        win.close()
        services.shutdown()
