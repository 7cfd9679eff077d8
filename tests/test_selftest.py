"""``gptdesk --self-test`` from the source tree, as a process: the real window offscreen, the
real starter model, a real database; one line out, and nothing written to the user's folders."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import gptdesk
from gptdesk.selftest import SelfTestError, check_database, check_resources, check_translations
from tests.waits import HANG_TIMEOUT_S

REPO = Path(gptdesk.__file__).resolve().parent.parent
OK_LINE = re.compile(
    r"gptdesk self-test: ok · gptdesk \S+ · (CPU · \d+ threads?|\S+ · \d+/\d+ layers) · "
    r"CPU kernels \S+ · \d+ tokens in \d+\.\d s · API \d+ tokens over HTTP · Qt \d+\.\d+\.\d+ · "
    r"llama-cpp-python \S+"
)


def _env(home: Path) -> dict[str, str]:
    """A user whose home is an empty folder, on a machine with no display setting at all."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("XDG_") and k not in ("GPTDESK_DATA_DIR", "QT_QPA_PLATFORM")
    }
    env.update(HOME=str(home), PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return env


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=_env(home),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=HANG_TIMEOUT_S,
        check=False,
    )


@pytest.mark.model
def test_self_test_passes_from_the_source_tree(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = _run(home, "-m", "gptdesk", "--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert OK_LINE.fullmatch(lines[0]), lines[0]
    # It worked on a temporary data folder: no settings, database or log in the home folder.
    written = [p.relative_to(home).as_posix() for p in home.rglob("*")]
    assert not [p for p in written if "gptdesk" in p], written


@pytest.mark.model
def test_a_model_that_does_not_load_fails_the_self_test(tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"not a model at all")
    code = (
        "import sys; from pathlib import Path; from gptdesk.selftest import run_self_test; "
        f"sys.exit(run_self_test(model=Path({str(bad)!r})))"
    )
    result = _run(tmp_path / "home", "-c", code)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("gptdesk self-test: FAILED: loading the model: broken.gguf")
    assert len(result.stdout.splitlines()) == 1


def test_the_watchdog_ends_a_self_test_that_takes_too_long(tmp_path: Path) -> None:
    # The whole test (Qt, the window, loading a model) cannot finish in a millisecond.
    code = "import sys; from gptdesk.selftest import run_self_test; sys.exit(run_self_test(0.001))"
    result = _run(tmp_path / "home", "-c", code)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == "gptdesk self-test: FAILED: no result within 0.001 s\n"


def test_the_self_test_flag_excludes_the_desktop_entry_flags(tmp_path: Path) -> None:
    result = _run(tmp_path / "home", "-m", "gptdesk", "--self-test", "--install-desktop-entry")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_the_checks_pass_on_the_source_tree(tmp_path: Path) -> None:
    assert "catalog models" in check_resources()
    check_translations()
    check_database(tmp_path / "fresh.sqlite3")


def test_a_damaged_database_fails_its_check(tmp_path: Path) -> None:
    damaged = tmp_path / "gptdesk.sqlite3"
    damaged.write_bytes(b"this is not an SQLite database, just bytes" * 100)
    with pytest.raises(SelfTestError, match=re.escape(f"database {damaged}:")):
        check_database(damaged)


def test_a_missing_translation_fails_its_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gptdesk.ui.i18n.translations_dir", lambda: tmp_path)
    with pytest.raises(
        SelfTestError, match=re.escape(f"translations: {tmp_path / 'gptdesk_zh_CN.qm'} is missing")
    ):
        check_translations()


def test_missing_resources_fail_their_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "resources"
    bundle.mkdir()
    (bundle / "catalog.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(SelfTestError, match=re.escape(f"resources in {bundle}:")):
        check_resources()
