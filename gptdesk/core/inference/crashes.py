"""Model files that crashed the engine host while loading, remembered so the library says so.

The record sits next to the CPU probe's memory (``cpu_kernels.memory_file``) and is keyed by the
file's resolved path, size and change time, and by the llama.cpp build: a new download of the
same name, or a new llama.cpp that may well load it, counts as new.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from gptdesk.core.inference import cpu_kernels

log = logging.getLogger(__name__)


def crash_file() -> Path:
    return cpu_kernels.memory_file().parent / "model-crashes.json"


def _build() -> str:
    lib_dir = cpu_kernels.llama_lib_dir()
    try:
        return cpu_kernels.build_signature(lib_dir) if lib_dir and lib_dir.is_dir() else ""
    except OSError:
        return ""


def _identity(path: Path) -> tuple[str, int, int] | None:
    try:
        resolved = path.resolve()
        st = resolved.stat()
    except (OSError, RuntimeError):  # gone, unreadable, a symlink loop
        return None
    return str(resolved), st.st_size, st.st_mtime_ns


def _read() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(crash_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict[str, dict[str, object]]) -> None:
    target = crash_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:  # a read-only or full disk: the message bar still said it once
        log.warning("could not remember the crash in %s: %s", target, exc)


def record(path: Path, reason: str) -> None:
    """Remember that loading ``path`` crashed the engine host, and why (the user's words)."""
    ident = _identity(Path(path))
    if ident is None:
        return
    key, size, mtime = ident
    data = _read()
    data[key] = {"size": size, "mtime_ns": mtime, "build": _build(), "reason": reason}
    _write(data)


def clear(path: Path) -> None:
    """Forget a crash of ``path`` (it loaded now)."""
    ident = _identity(Path(path))
    if ident is None:
        return
    data = _read()
    if data.pop(ident[0], None) is not None:
        _write(data)


def reason(path: Path) -> str | None:
    """Why ``path`` crashed the engine host the last time it was loaded, or None."""
    ident = _identity(Path(path))
    if ident is None:
        return None
    key, size, mtime = ident
    entry = _read().get(key)
    if not isinstance(entry, dict):
        return None
    if entry.get("size") != size or entry.get("mtime_ns") != mtime:
        return None
    if entry.get("build", "") != _build():
        return None
    text = entry.get("reason")
    return text if isinstance(text, str) and text else None
