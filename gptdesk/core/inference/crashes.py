"""Model files that crashed the engine host while loading, remembered so the library says so.

The record sits next to the CPU probe's memory (``cpu_kernels.memory_file``) and is keyed by the
file's resolved path, size and change time, and by the llama.cpp build: a new download of the
same name, or a new llama.cpp that may well load it, counts as new.
"""

from __future__ import annotations

import functools
from pathlib import Path

from gptdesk.core.inference import cpu_kernels


def crash_file() -> Path:
    return cpu_kernels.memory_file().parent / "model-crashes.json"


@functools.cache
def _build() -> str:
    """The llama.cpp build (its libraries do not change while the app runs)."""
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


def record(path: Path, reason: str) -> None:
    """Remember that loading ``path`` crashed the engine host, and why (the user's words)."""
    ident = _identity(Path(path))
    if ident is None:
        return
    key, size, mtime = ident
    data = cpu_kernels.read_memory(crash_file())
    data[key] = {"size": size, "mtime_ns": mtime, "build": _build(), "reason": reason}
    cpu_kernels.write_memory(crash_file(), data)


def clear(path: Path) -> None:
    """Forget a crash of ``path`` (it loaded now)."""
    ident = _identity(Path(path))
    if ident is None:
        return
    data = cpu_kernels.read_memory(crash_file())
    if data.pop(ident[0], None) is not None:
        cpu_kernels.write_memory(crash_file(), data)


def reason(path: Path) -> str | None:
    """Why ``path`` crashed the engine host the last time it was loaded, or None."""
    ident = _identity(Path(path))
    if ident is None:
        return None
    key, size, mtime = ident
    entry = cpu_kernels.read_memory(crash_file()).get(key)
    if not isinstance(entry, dict):
        return None
    if entry.get("size") != size or entry.get("mtime_ns") != mtime:
        return None
    if entry.get("build", "") != _build():
        return None
    text = entry.get("reason")
    return text if isinstance(text, str) and text else None
