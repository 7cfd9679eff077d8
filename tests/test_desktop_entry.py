"""The Linux desktop entry: what ``--install-desktop-entry`` writes into a temporary
``$XDG_DATA_HOME`` (validated with desktop-file-validate), and that uninstalling removes exactly
those files."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gptdesk import desktop
from gptdesk.cli import main
from gptdesk.core.resources import resource_path

pytestmark = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="desktop entries are a Linux (XDG) thing"
)


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data home"  # a space on purpose
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _entry(path: Path) -> dict[str, str]:
    """The keys of the ``[Desktop Entry]`` group (enough of a parser for these tests)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def _files(folder: Path) -> list[Path]:
    """The files below ``folder``, less update-desktop-database's own mimeinfo.cache."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "mimeinfo.cache")


def _validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    # make install / make test install it (packaging/install-system-deps.sh); a missing
    # validator is a missing test dependency, not a pass.
    assert tool is not None, (
        "desktop-file-validate is missing: install desktop-file-utils "
        "(packaging/install-system-deps.sh does on Debian/Ubuntu)"
    )
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    problems = [line for line in result.stdout.splitlines() if "error:" in line]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr


def test_the_shipped_entry_validates() -> None:
    _validate(resource_path("gptdesk.desktop"))


def test_install_writes_the_entry_and_every_icon(xdg: Path) -> None:
    written = desktop.install()
    entry = xdg / "applications" / "gptdesk.desktop"
    assert written[0] == entry
    for size in desktop.ICON_SIZES:
        png = xdg / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "gptdesk.png"
        assert png.read_bytes() == resource_path("icons", f"gptdesk-{size}.png").read_bytes()
    svg = xdg / "icons" / "hicolor" / "scalable" / "apps" / "gptdesk.svg"
    assert svg.read_bytes() == resource_path("icons", "gptdesk.svg").read_bytes()
    assert sorted(written) == _files(xdg)
    keys = _entry(entry)
    assert keys["Icon"] == "gptdesk"
    assert keys["Terminal"] == "false"
    assert keys["StartupWMClass"] == "gptdesk"
    assert keys["TryExec"] == sys.executable
    python = desktop.quote_exec_arg(str(Path(sys.executable).absolute()))
    assert keys["Exec"] == f"{python} -m gptdesk"
    _validate(entry)


def test_the_entry_starts_this_python_with_gptdesk(xdg: Path) -> None:
    desktop.install()
    exec_line = _entry(xdg / "applications" / "gptdesk.desktop")["Exec"]
    # the file's string escapes, then the Exec quoting (close enough to a shell's for these)
    argv = shlex.split(exec_line.replace("\\\\", "\\"))
    assert argv == [str(Path(sys.executable).absolute()), "-m", "gptdesk"]
    result = subprocess.run([*argv, "--version"], capture_output=True, text=True, check=False)
    assert result.stdout.strip().startswith("gptdesk "), result.stderr


def test_a_frozen_app_is_launched_by_its_own_executable(
    xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tmp_path / "My Apps" / "gptdesk" / "gptdesk"
    app.parent.mkdir(parents=True)
    app.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(app))
    assert desktop.launch_command() == [str(app)]
    desktop.install()
    keys = _entry(xdg / "applications" / "gptdesk.desktop")
    assert keys["Exec"] == f'"{app}"'
    assert keys["TryExec"] == str(app)
    _validate(xdg / "applications" / "gptdesk.desktop")


@pytest.mark.parametrize(
    ("arg", "written"),
    [
        ("/usr/bin/gptdesk", "/usr/bin/gptdesk"),
        ("/opt/my apps/gptdesk", '"/opt/my apps/gptdesk"'),
        ("/opt/100%/gptdesk", "/opt/100%%/gptdesk"),
        ('/opt/say "hi"/gptdesk', r'"/opt/say \\"hi\\"/gptdesk"'),
        ("/opt/$HOME/gptdesk", r'"/opt/\\$HOME/gptdesk"'),
        ("/opt/back\\slash/gptdesk", r'"/opt/back\\\\slash/gptdesk"'),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(arg: str, written: str) -> None:
    assert desktop.quote_exec_arg(arg) == written


def test_odd_paths_still_validate(tmp_path: Path) -> None:
    entry = tmp_path / "gptdesk.desktop"
    command = ['/opt/a "b" $c 100%/back\\slash/gptdesk', "-m", "gptdesk"]
    entry.write_text(desktop.desktop_entry(command), encoding="utf-8")
    _validate(entry)


def test_uninstall_removes_exactly_what_install_wrote(xdg: Path) -> None:
    neighbour = xdg / "applications" / "other.desktop"
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("[Desktop Entry]\n", encoding="utf-8")
    other_icon = xdg / "icons" / "hicolor" / "48x48" / "apps" / "other.png"
    other_icon.parent.mkdir(parents=True)
    other_icon.write_bytes(b"png")
    written = desktop.install()
    assert sorted(desktop.uninstall()) == sorted(written)
    assert not any(p.exists() for p in written)
    assert neighbour.is_file() and other_icon.is_file()
    assert desktop.uninstall() == []  # a second time: nothing left to remove


def test_the_command_line_flags(xdg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--install-desktop-entry"]) == 0
    out = capsys.readouterr().out
    assert str(xdg / "applications" / "gptdesk.desktop") in out
    assert (xdg / "applications" / "gptdesk.desktop").is_file()
    assert main(["--uninstall-desktop-entry"]) == 0
    assert "Removed 9 files" in capsys.readouterr().out
    assert _files(xdg) == []
    assert main(["--uninstall-desktop-entry"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_an_unwritable_data_home_is_reported(xdg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xdg.write_text("a file where the folder should be", encoding="utf-8")
    assert main(["--install-desktop-entry"]) == 1
    err = capsys.readouterr().err
    assert "Could not install the desktop entry" in err
    assert "XDG_DATA_HOME" in err
