"""A data folder that cannot be written: the read-only commands work, a write command says so in
one line, and the app opens with a read-only banner instead of dying.

The folder is made truly read-only for a child process: with chmod when the tests run as a user;
as root (CI), whom chmod does not stop, the child runs as ``nobody`` when that user can run this
Python, else in a private mount namespace where the folder is bind-mounted read-only (EROFS).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import gptdesk
from gptdesk.core.storage.paths import resolve_paths
from gptdesk.core.storage.settings import open_settings
from gptdesk.core.storage.store import Store

REPO_ROOT = Path(gptdesk.__file__).resolve().parent.parent
NOBODY = 65534
RUN_S = 120  # bounds a hang; no speed is asserted
RO_MOUNT = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"'


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


class ReadOnlyRunner:
    """Runs ``python -m ...`` in a child for which ``data`` cannot be written."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.prefix: list[str] = []
        self.preexec: Callable[[], None] | None = None
        self.env = dict(
            os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO_ROOT), HOME=str(data)
        )
        if os.geteuid() != 0:
            for path in (data, *data.rglob("*")):
                path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        elif self._works([], _as_nobody):
            self.preexec = _as_nobody
        elif shutil.which("unshare") and self._works(
            ["unshare", "--mount", "sh", "-c", RO_MOUNT, str(data)], None
        ):
            self.prefix = ["unshare", "--mount", "sh", "-c", RO_MOUNT, str(data)]
        else:
            pytest.fail(
                "running as root, and neither user nobody nor a read-only bind mount "
                "(unshare --mount, from util-linux) can make a folder read-only for a child"
            )

    def _works(self, prefix: list[str], preexec: Callable[[], None] | None) -> bool:
        """Whether a child started so runs gptdesk and cannot write ``data``."""
        probe = "import os, sys, gptdesk; sys.exit(0 if not os.access(sys.argv[1], os.W_OK) else 3)"
        try:
            done = subprocess.run(
                [*prefix, sys.executable, "-c", probe, str(self.data)],
                cwd=REPO_ROOT,
                env=self.env,
                preexec_fn=preexec,
                capture_output=True,
                timeout=RUN_S,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return done.returncode == 0

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.prefix, sys.executable, *args],
            cwd=REPO_ROOT,
            env=self.env,
            preexec_fn=self.preexec,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=RUN_S,
        )

    def gptdesk(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("-m", "gptdesk", "--data-dir", str(self.data), *args)


@pytest.fixture
def data() -> Iterator[Path]:
    """A data folder with one conversation and saved settings, readable by everyone (outside
    pytest's own tmp folder, which only its owner may enter)."""
    root = Path(tempfile.mkdtemp(prefix="gptdesk-ro-"))
    root.chmod(0o755)
    folder = root / "data"
    paths = resolve_paths(folder).ensure()
    store = Store(paths.database_file)
    conv = store.create_conversation("Kept chat")
    store.add_message(conv.id, "user", "Is this still here?")
    store.close()
    with open_settings(paths) as settings:
        settings.update(welcome_done=True)
    for path in (folder, *folder.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield folder
    for path in (folder, *folder.rglob("*")):  # a non-root run took away its own write bit
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(root)


@pytest.fixture
def runner(data: Path) -> ReadOnlyRunner:
    return ReadOnlyRunner(data)


def assert_clean(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_read_only_commands_work_and_a_write_gets_one_line_of_advice(runner, data, tmp_path):
    listed = runner.gptdesk("chats", "list")
    assert_clean(listed)
    assert listed.stdout.strip().endswith("\tKept chat")
    conversation_id = listed.stdout.split("\t")[0]

    exported = runner.gptdesk("chats", "export", conversation_id, "--format", "json")
    assert_clean(exported)
    assert json.loads(exported.stdout)["messages"][0]["content"] == "Is this still here?"

    assert_clean(runner.gptdesk("models", "list"))

    source = data.parent / "import.json"
    source.write_text(json.dumps({"title": "New", "messages": []}), encoding="utf-8")
    source.chmod(0o644)
    refused = runner.gptdesk("chats", "import", str(source))
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gptdesk: The data folder ")
    assert "is read-only" in lines[0] and "move it aside" not in lines[0]
    # Nothing was written, and the database is as sound as before.
    db = sqlite3.connect(f"file:{resolve_paths(data).database_file}?mode=ro", uri=True)
    try:
        assert db.execute("SELECT count(*) FROM conversations").fetchone()[0] == 1
    finally:
        db.close()


def test_doctor_works_on_a_read_only_folder(runner):
    done = runner.gptdesk("doctor")
    assert_clean(done)
    assert "data dir:" in done.stdout


def test_the_app_opens_a_read_only_folder_with_a_banner(runner):
    done = runner.run("-m", "tests.e2e.app_child", "--start", str(runner.data))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    shown = next(e for e in events if e["event"] == "shown")
    assert shown["read_only"]
    assert shown["message"].startswith("gptdesk opened your conversations and documents read-only")
    assert "is read-only" in shown["message"]
