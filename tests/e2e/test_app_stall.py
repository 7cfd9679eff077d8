"""A reply that pauses mid-stream: what arrived is saved by the chat pane's timer (not by a next
piece that never comes), so killing the app during the pause (SIGKILL) loses none of it."""

from __future__ import annotations

import signal

from gptdesk.core.storage.paths import resolve_paths
from tests.e2e.app_child import STALL_PIECES
from tests.e2e.test_app_kill import Child, read_only, saved_text

WAIT_MS = 30_000  # bounds a hang; the save is due one second after the pieces came


def test_text_that_came_before_a_pause_is_on_disk_when_the_app_is_killed(qtbot, tmp_path):
    data = tmp_path / "data"
    db_file = resolve_paths(data).database_file
    expected = "".join(STALL_PIECES)
    with (tmp_path / "child-stderr.txt").open("w", encoding="utf-8") as log:
        child = Child(data, log, ["--stall", str(data), "Say something, then pause"])
        try:
            # The engine sends the pieces and then nothing more (it prints "stalled", maybe
            # before the window prints "started"); no piece after them could trigger a save.
            reply_id = int(child.wait_event("started")["reply_id"])
            outside = read_only(db_file)
            try:
                qtbot.wait_until(
                    lambda: saved_text(outside, reply_id) == (expected, "streaming"),
                    timeout=WAIT_MS,
                )
            finally:
                outside.close()
            assert child.proc.poll() is None, "the app ended before it was killed"
            child.kill()
        finally:
            if child.proc.poll() is None:
                child.proc.kill()
                child.proc.wait()
    events = child.drain()
    assert child.proc.returncode == -signal.SIGKILL
    assert any(e["event"] == "stalled" for e in events)
    assert "".join(e["text"] for e in events if e["event"] == "delta") == expected

    raw = read_only(db_file)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert saved_text(raw, reply_id) == (expected, "streaming")
    finally:
        raw.close()
