"""Linux desktop integration: install or remove the launcher entry and icons for this user.

``gptdesk --install-desktop-entry`` writes ``$XDG_DATA_HOME/applications/gptdesk.desktop``
(from ``resources/gptdesk.desktop``, with ``Exec`` pointing at this very program: the frozen
app's executable, or ``python -m gptdesk`` of this interpreter) and the icons into
``$XDG_DATA_HOME/icons/hicolor/<size>/apps``; ``--uninstall-desktop-entry`` removes exactly
those files. Both refresh the desktop and icon caches when the tools for that are installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from gptdesk.core.errors import GptdeskError
from gptdesk.core.resources import resource_path

APP_ID = "gptdesk"  # desktop file id, icon name, QGuiApplication.desktopFileName
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)
_TOOL_TIMEOUT_S = 30


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (XDG spec)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """The command that starts this gptdesk: the frozen executable, else this Python with
    ``-m gptdesk`` (so a virtual environment's install is the one launched)."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    return [str(Path(sys.executable).absolute()), "-m", "gptdesk"]


def quote_exec_arg(arg: str) -> str:
    """One argument of a desktop entry's ``Exec`` key: quoted when it needs it, with ``%``
    doubled, then escaped as any string value of the file is (backslash doubled)."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
        quoted = arg
    else:
        quoted = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return quoted.replace("\\", "\\\\")


def desktop_entry(command: list[str]) -> str:
    """The shipped entry with ``Exec`` (and ``TryExec``: launchers hide the entry once the
    program is gone) set to ``command``."""
    template = resource_path(f"{APP_ID}.desktop").read_text(encoding="utf-8")
    lines = []
    for line in template.splitlines():
        if line.startswith("TryExec="):
            continue
        if line.startswith("Exec="):
            lines.append("Exec=" + " ".join(quote_exec_arg(arg) for arg in command))
            lines.append("TryExec=" + command[0].replace("\\", "\\\\"))
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def installed_files(home: Path) -> list[Path]:
    """Every file ``install`` writes below the data folder ``home``, entry first."""
    hicolor = home / "icons" / "hicolor"
    return [
        home / "applications" / f"{APP_ID}.desktop",
        *(hicolor / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES),
        hicolor / "scalable" / "apps" / f"{APP_ID}.svg",
    ]


def _sources() -> list[Path]:
    """The resource files matching ``installed_files`` after the entry, in the same order."""
    return [
        *(resource_path("icons", f"{APP_ID}-{n}.png") for n in ICON_SIZES),
        resource_path("icons", f"{APP_ID}.svg"),
    ]


def install(home: Path | None = None, command: list[str] | None = None) -> list[Path]:
    """Install the entry and icons for this user; returns the files written."""
    home = home or data_home()
    files = installed_files(home)
    entry, icons = files[0], files[1:]
    text = desktop_entry(command or launch_command())
    try:
        for source, target in zip(_sources(), icons, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(entry.name + ".tmp")  # launchers never see half a file
        partial.write_text(text, encoding="utf-8")
        partial.chmod(0o755)  # some file managers only launch executable entries
        os.replace(partial, entry)
    except OSError as exc:
        raise GptdeskError(
            f"Could not install the desktop entry in {home} ({exc}). Check that the folder is "
            "writable, or set XDG_DATA_HOME to one that is."
        ) from exc
    _refresh_caches(home)
    return files


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove the files ``install`` writes (nothing else); returns those that were there."""
    home = home or data_home()
    removed = []
    for path in installed_files(home):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise GptdeskError(f"Could not remove {path} ({exc}); remove it by hand.") from exc
        removed.append(path)
    if removed:
        _refresh_caches(home)
    return removed


def _refresh_caches(home: Path) -> None:
    """Update the launcher's caches where their tools exist; a missing tool is fine (most
    desktops watch these folders anyway)."""
    hicolor = home / "icons" / "hicolor"
    commands = [["update-desktop-database", "-q", str(home / "applications")]]
    if (hicolor / "icon-theme.cache").exists():  # only keep an existing cache fresh
        commands.append(["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)])
    for command in commands:
        if shutil.which(command[0]) is None:
            continue
        try:
            subprocess.run(command, check=False, capture_output=True, timeout=_TOOL_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired):
            continue


def _supported() -> bool:
    return sys.platform not in ("win32", "darwin")


def run(install_entry: bool) -> int:
    """The CLI's ``--install-desktop-entry`` / ``--uninstall-desktop-entry``: prints what was
    done, returns the exit status."""
    if not _supported():
        print(
            "gptdesk: desktop entries are for Linux desktops; on macOS move gptdesk.app to "
            "Applications, on Windows pin gptdesk.exe to Start.",
            file=sys.stderr,
        )
        return 2
    if install_entry:
        files = install()
        print(f"Installed the launcher entry {files[0]}")
        print(f"and the icons in {files[1].parents[2]}.")
        print(f"gptdesk is now in the app launcher; it starts: {' '.join(launch_command())}")
        return 0
    removed = uninstall()
    if not removed:
        print(f"No gptdesk desktop entry was installed in {data_home()}; nothing to remove.")
        return 0
    print(f"Removed {len(removed)} files (the desktop entry and its icons) from {data_home()}.")
    return 0
