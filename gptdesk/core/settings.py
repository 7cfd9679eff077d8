"""Typed application settings: a versioned dataclass stored as JSON where platformdirs says."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args, get_type_hints

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Settings:
    """Every user setting with its default; ``None`` means "decide for this machine"."""

    version: int = SETTINGS_VERSION
    models_dir: str | None = field(default=None, metadata={"doc": "where models are stored"})
    hub_endpoint: str | None = field(default=None, metadata={"doc": "Hub or mirror URL"})
    offline: bool = field(default=False, metadata={"doc": "never contact the Hub"})
    default_model: str | None = field(default=None, metadata={"doc": "model loaded at start"})
    n_ctx: int = field(default=4096, metadata={"doc": "context size in tokens"})
    threads: int | None = field(default=None, metadata={"doc": "CPU threads (None: cores)"})
    gpu_layers: int | None = field(default=None, metadata={"doc": "GPU layers (None: auto)"})


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older settings file up to SETTINGS_VERSION (none exist yet beyond 1)."""
    data["version"] = SETTINGS_VERSION
    return data


def models_dir(settings: Settings, default: Path) -> Path:
    """The models folder: the setting if one was chosen, else ``default`` (the data dir's)."""
    return Path(settings.models_dir).expanduser() if settings.models_dir else default


class SettingsStore:
    """Loads, validates and saves settings; tells listeners which key changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.settings = self._load()
        self._listeners: list[Callable[[str], None]] = []

    def _load(self) -> Settings:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Settings()
        except (OSError, ValueError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", self.path, exc)
            return Settings()
        if not isinstance(raw, dict):
            return Settings()
        raw = _migrate(raw)
        known = {f.name: f for f in fields(Settings)}
        clean: dict[str, Any] = {}
        defaults = Settings()
        for key, value in raw.items():
            if key in known and _valid(key, value):
                clean[key] = value
        return replace(defaults, **clean)

    def update(self, **changes: Any) -> Settings:
        """Change settings, save atomically, notify listeners per changed key."""
        known = {f.name for f in fields(Settings)}
        for key, value in changes.items():
            if key not in known:
                raise TypeError(f"there is no setting {key}")
            if not _valid(key, value):
                raise ValueError(f"setting {key} cannot be {value!r}")
        old = self.settings
        self.settings = replace(old, **changes)
        self.save()
        for key in changes:
            if getattr(old, key) != getattr(self.settings, key):
                for listener in self._listeners:
                    listener(key)
        return self.settings

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self.settings), indent=2), encoding="utf-8")
        os.replace(tmp, self.path)

    def on_changed(self, listener: Callable[[str], None]) -> None:
        self._listeners.append(listener)


def _valid(key: str, value: Any) -> bool:
    """Whether ``value`` has the type the Settings field ``key`` declares (bool is not int)."""
    hint = get_type_hints(Settings)[key]
    allowed = get_args(hint) or (hint,)
    if isinstance(value, bool):
        return bool in allowed
    return any(
        value is None if t is type(None) else isinstance(value, t) for t in allowed
    )
