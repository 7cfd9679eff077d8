"""Typed application settings: a versioned dataclass stored in the app's SQLite database.

Settings live in their own tables (``settings``: one JSON value per key, ``settings_version``)
of the same database file as the conversations, on a connection of their own; WAL lets both
be open at once. ``PRAGMA user_version`` belongs to the conversation schema and is not touched.
A ``settings.json`` from an older gptdesk is imported once and renamed ``settings.json.migrated``.
Stored values that are unknown or invalid are logged and replaced by their defaults.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, get_args, get_type_hints
from urllib.parse import urlsplit

from gptdesk.core.errors import GptdeskError, StorageError
from gptdesk.core.i18n import QT_TRANSLATE_NOOP, translate
from gptdesk.core.storage.database import memory_database, open_database
from gptdesk.core.storage.paths import DataPaths

log = logging.getLogger(__name__)

# 1: settings.json. 2: the SQLite tables; theme, font_size, window_geometry,
# last_conversation, welcome_done, language and last_model added (their defaults fill in).
SETTINGS_VERSION = 2

THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "zh_CN")
MIGRATED_SUFFIX = ".migrated"


@dataclass(frozen=True)
class Settings:
    """Every user setting with its default; ``None`` means "decide for this machine".

    Field metadata: ``doc`` (what it is, English: ``translate("settings", doc)`` shows it), and
    where it matters ``choices`` or ``min``/``max``.
    """

    version: int = SETTINGS_VERSION
    models_dir: str | None = field(
        default=None, metadata={"doc": QT_TRANSLATE_NOOP("settings", "where models are stored")}
    )
    hub_endpoint: str | None = field(
        default=None,
        metadata={
            "doc": QT_TRANSLATE_NOOP("settings", "Hub or mirror URL (None: huggingface.co)"),
            "url": True,
        },
    )
    offline: bool = field(
        default=False, metadata={"doc": QT_TRANSLATE_NOOP("settings", "never contact the Hub")}
    )
    default_model: str | None = field(
        default=None,
        metadata={
            "doc": QT_TRANSLATE_NOOP("settings", "model loaded at start (None: the last one used)")
        },
    )
    last_model: str | None = field(
        default=None,
        metadata={
            "doc": QT_TRANSLATE_NOOP(
                "settings", "path of the model loaded last (used when no default)"
            )
        },
    )
    n_ctx: int = field(
        default=4096,
        metadata={
            "doc": QT_TRANSLATE_NOOP("settings", "context size in tokens"),
            "min": 512,
            "max": 262144,
        },
    )
    threads: int | None = field(
        default=None,
        metadata={"doc": QT_TRANSLATE_NOOP("settings", "CPU threads (None: cores)"), "min": 1},
    )
    gpu_layers: int | None = field(
        default=None,
        metadata={
            "doc": QT_TRANSLATE_NOOP("settings", "GPU layers (None: auto; 0: CPU only)"),
            "min": 0,
        },
    )
    theme: str = field(
        default="system",
        metadata={
            "doc": QT_TRANSLATE_NOOP("settings", "colour theme: system, light or dark"),
            "choices": THEMES,
        },
    )
    font_size: int | None = field(
        default=None,
        metadata={
            "doc": QT_TRANSLATE_NOOP("settings", "font size in points (None: the system's)"),
            "min": 6,
            "max": 32,
        },
    )
    window_geometry: str | None = field(
        default=None,
        metadata={
            "doc": QT_TRANSLATE_NOOP(
                "settings", "main window geometry (hex of QWidget.saveGeometry)"
            )
        },
    )
    last_conversation: int | None = field(
        default=None,
        metadata={
            "doc": QT_TRANSLATE_NOOP("settings", "conversation shown when the app last closed"),
            "min": 1,
        },
    )
    welcome_done: bool = field(
        default=False,
        metadata={"doc": QT_TRANSLATE_NOOP("settings", "the first-run welcome has been completed")},
    )
    language: str = field(
        default="system",
        metadata={
            "doc": QT_TRANSLATE_NOOP("settings", "user interface language: system, en or zh_CN"),
            "choices": LANGUAGES,
        },
    )
    api_server: bool = field(
        default=False,
        metadata={
            "doc": QT_TRANSLATE_NOOP(
                "settings", "let other apps use the loaded model (OpenAI/Ollama API)"
            )
        },
    )
    api_port: int = field(
        default=8080,
        metadata={
            "doc": QT_TRANSLATE_NOOP("settings", "port of the API server"),
            "min": 1,
            "max": 65535,
        },
    )
    servers: list = field(  # type: ignore[type-arg]  # JSON: [{"name": ..., "url": ...}]
        default_factory=list,
        metadata={
            "doc": QT_TRANSLATE_NOOP(
                "settings", "OpenAI-compatible servers: name and address (keys in the keyring)"
            ),
            "servers": True,
        },
    )
    api_network: bool = field(
        default=False,
        metadata={
            "doc": QT_TRANSLATE_NOOP(
                "settings", "API server: other computers may connect (with the API key)"
            )
        },
    )
    embedder: str = field(
        default="",
        metadata={
            "doc": QT_TRANSLATE_NOOP(
                "settings",
                "embedding model for document search by meaning (name or path; empty: words only)",
            )
        },
    )


class SettingsError(GptdeskError):
    """The settings could not be read from or written to the database."""


_FIELDS: dict[str, Field[Any]] = {f.name: f for f in fields(Settings) if f.name != "version"}
_HINTS = get_type_hints(Settings)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS settings_version ("
    "id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
)

# Each entry turns the raw values of version i into those of version i + 1.
_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: lambda values: values,  # settings.json -> SQLite: same keys, new ones take defaults
}


def setting_names() -> tuple[str, ...]:
    """The names ``SettingsStore.update`` accepts, in declaration order."""
    return tuple(_FIELDS)


def setting_doc(key: str) -> str:
    """The one-line description of setting ``key``."""
    return str(_FIELDS[key].metadata.get("doc", key))


def validate(key: str, value: Any) -> None:
    """Raise ``TypeError`` for an unknown key, ``ValueError`` (text for a user) for a bad value."""
    spec = _FIELDS.get(key)
    if spec is None:
        raise TypeError(f"there is no setting {key!r}")
    meta = spec.metadata
    allowed = get_args(_HINTS[key]) or (_HINTS[key],)
    if isinstance(value, bool):
        ok = bool in allowed
    else:
        ok = any(value is None if t is type(None) else isinstance(value, t) for t in allowed)
    doc = translate("settings", meta["doc"])
    if not ok:
        names = " or ".join("None" if t is type(None) else t.__name__ for t in allowed)
        raise ValueError(
            translate("settings", "The setting {key} ({doc}) must be {types}, not {value}.").format(
                key=key, doc=doc, types=names, value=repr(value)
            )
        )
    if value is None:
        return
    choices = meta.get("choices")
    if choices is not None and value not in choices:
        raise ValueError(
            translate(
                "settings", "The setting {key} must be one of {choices}, not {value}."
            ).format(key=key, choices=", ".join(choices), value=repr(value))
        )
    low, high = meta.get("min"), meta.get("max")
    if (low is not None and value < low) or (high is not None and value > high):
        message = (
            translate(
                "settings", "The setting {key} ({doc}) must be from {low} to {high}, not {value}."
            )
            if high is not None
            else translate(
                "settings", "The setting {key} ({doc}) must be at least {low}, not {value}."
            )
        )
        raise ValueError(message.format(key=key, doc=doc, low=low, high=high, value=value))
    if meta.get("servers"):
        seen: set[str] = set()
        for item in value:
            if not (
                isinstance(item, dict)
                and isinstance(item.get("name"), str)
                and item["name"].strip()
                and isinstance(item.get("url"), str)
            ):
                raise ValueError(
                    translate(
                        "settings", "Each server needs a name and an address, not {value}."
                    ).format(value=repr(item))
                )
            if item["name"] in seen:
                raise ValueError(
                    translate("settings", "There are two servers named {name}.").format(
                        name=item["name"]
                    )
                )
            seen.add(item["name"])
        return
    if meta.get("url"):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                translate(
                    "settings",
                    "The Hub endpoint must be an http:// or https:// address such as "
                    "https://huggingface.co, not {value}.",
                ).format(value=repr(value))
            )


def _valid(key: str, value: Any) -> bool:
    try:
        validate(key, value)
    except (TypeError, ValueError):
        return False
    return True


def models_dir(settings: Settings, default: Path) -> Path:
    """The models folder: the setting if one was chosen, else ``default`` (the data dir's)."""
    return Path(settings.models_dir).expanduser() if settings.models_dir else default


def _clean(values: dict[str, Any], origin: str) -> dict[str, Any]:
    """The known, valid entries of ``values``; each one dropped is logged."""
    clean: dict[str, Any] = {}
    for key, value in values.items():
        try:
            validate(key, value)
        except (TypeError, ValueError) as exc:
            log.warning(
                "%s: ignoring setting %s=%r (%s); using the default", origin, key, value, exc
            )
            continue
        clean[key] = value
    return clean


def _migrate(values: dict[str, Any], version: int, origin: str) -> dict[str, Any]:
    """Bring raw values stored by settings version ``version`` up to SETTINGS_VERSION."""
    for step in range(version, SETTINGS_VERSION):
        migrate = _MIGRATIONS.get(step)
        if migrate is None:
            log.warning("%s: no migration from settings version %d", origin, step)
            continue
        values = migrate(values)
    return values


class SettingsStore:
    """Loads, validates and saves settings; tells listeners which key changed.

    ``settings`` is the last state read or written; ``update`` changes keys in one transaction.
    Another store (or process) on the same file sees an update when it is opened or on
    ``reload()``. Usable from any thread; listeners run on the thread that changed something.
    """

    def __init__(self, database_file: Path, legacy_json: Path | None = None) -> None:
        if database_file.suffix == ".json":  # the pre-SQLite call; would make a stray database
            raise TypeError(
                "SettingsStore takes the database file (DataPaths.database_file); "
                "use open_settings(paths)"
            )
        self.path = database_file
        self._lock = threading.RLock()
        self._listeners: list[Callable[[str], None]] = []
        try:
            opened = open_database(database_file, check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._error("opened", exc) from exc
        self._db: sqlite3.Connection = opened.db
        self.refusal: StorageError | None = opened.refusal
        try:
            if not opened.read_only:
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._prepare()
                if legacy_json is not None:
                    self._import_legacy(legacy_json)
            elif not self._has_tables():  # nothing stored and nowhere to store it: defaults
                if not opened.in_memory:
                    self._db.close()
                    self._db = opened.db = memory_database(database_file, False)
                self._prepare()
            opened.seal()
            self._settings = self._read()
        except sqlite3.Error as exc:
            self._db.close()
            raise self._error("opened", exc) from exc
        except StorageError:
            self._db.close()
            raise

    # ------------------------------------------------------------------ public

    @property
    def settings(self) -> Settings:
        return self._settings

    def update(self, **changes: Any) -> Settings:
        """Validate every change, write them in one transaction, then notify each changed key.

        Raises ``TypeError`` (unknown key), ``ValueError`` (bad value; nothing is written),
        ``StorageError`` (the disk is full or read-only) or ``SettingsError`` (the database
        refused otherwise).
        """
        for key, value in changes.items():
            validate(key, value)
        with self._lock:
            old = self._settings
            try:
                with self._tx() as db:
                    db.executemany(
                        "INSERT INTO settings(key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                        [(key, json.dumps(value)) for key, value in changes.items()],
                    )
                    self._settings = self._read()
            except sqlite3.Error as exc:  # StorageError (disk full, read-only) passes as it is
                raise self._error("saved", exc) from exc
            new = self._settings
        self._notify(old, new)
        return new

    def reload(self) -> Settings:
        """Read the database again (another process may have changed it); notify changed keys."""
        with self._lock:
            old = self._settings
            try:
                self._settings = self._read()
            except sqlite3.Error as exc:
                raise self._error("read", exc) from exc
            new = self._settings
        self._notify(old, new)
        return new

    def on_changed(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(key)`` once for each setting whose value changed."""
        self._listeners.append(listener)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SettingsStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ internals

    def _error(self, verb: Literal["opened", "saved", "read"], exc: Exception) -> SettingsError:
        if verb == "opened":
            text = translate(
                "settings",
                "The settings in {path} could not be opened ({error}). Close other gptdesk "
                "windows and try again; if the file is damaged, move it aside to start fresh.",
            )
        elif verb == "saved":
            text = translate(
                "settings",
                "The settings in {path} could not be saved ({error}). Close other gptdesk "
                "windows and try again; if the file is damaged, move it aside to start fresh.",
            )
        else:
            text = translate(
                "settings",
                "The settings in {path} could not be read ({error}). Close other gptdesk "
                "windows and try again; if the file is damaged, move it aside to start fresh.",
            )
        return SettingsError(text.format(path=self.path, error=exc))

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                # A full disk may have rolled back already; never hide the first error.
                if self._db.in_transaction:
                    with suppress(sqlite3.Error, StorageError):
                        self._db.execute("ROLLBACK")
                raise

    def _has_tables(self) -> bool:
        row = self._db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' "
            "AND name IN ('settings', 'settings_version')"
        ).fetchone()
        return bool(row[0] == 2)

    def _stored_version(self) -> int | None:
        row = self._db.execute("SELECT version FROM settings_version WHERE id=1").fetchone()
        return None if row is None else int(row[0])

    def _prepare(self) -> None:
        """Create the tables and migrate stored values; writes only when there is work to do."""
        tables = {
            row[0]
            for row in self._db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name IN ('settings', 'settings_version')"
            )
        }
        if len(tables) == 2 and self._stored_version() == SETTINGS_VERSION:
            return
        with self._tx() as db:
            for statement in _SCHEMA:
                db.execute(statement)
            version = self._stored_version()
            if version is None:
                db.execute(
                    "INSERT INTO settings_version(id, version) VALUES (1, ?)", (SETTINGS_VERSION,)
                )
            elif version > SETTINGS_VERSION:
                log.warning(
                    "settings were written by a newer gptdesk (version %d > %d); reading "
                    "what this version knows",
                    version,
                    SETTINGS_VERSION,
                )
            elif version < SETTINGS_VERSION:
                values = _migrate(self._raw(), version, str(self.path))
                db.execute("DELETE FROM settings")
                db.executemany(
                    "INSERT INTO settings(key, value) VALUES (?, ?)",
                    [(key, json.dumps(value)) for key, value in values.items()],
                )
                db.execute("UPDATE settings_version SET version=? WHERE id=1", (SETTINGS_VERSION,))

    def _import_legacy(self, legacy_json: Path) -> None:
        """Import an older gptdesk's settings.json (over the stored values), then rename it."""
        try:
            text = legacy_json.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("legacy settings %s unreadable (%s); not imported", legacy_json, exc)
            text = ""
        try:
            raw = json.loads(text) if text else None
        except ValueError as exc:
            log.warning("legacy settings %s are not JSON (%s); not imported", legacy_json, exc)
            raw = None
        if raw is not None and not isinstance(raw, dict):
            log.warning("legacy settings %s hold no object; not imported", legacy_json)
            raw = None
        if raw:
            version = raw.pop("version", 1)
            if not isinstance(version, int) or isinstance(version, bool):
                version = 1
            values = _clean(_migrate(raw, version, str(legacy_json)), str(legacy_json))
            with self._tx() as db:
                db.executemany(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                    [(key, json.dumps(value)) for key, value in values.items()],
                )
            log.info("imported %d settings from %s", len(values), legacy_json)
        target = legacy_json.with_name(legacy_json.name + MIGRATED_SUFFIX)
        try:
            os.replace(legacy_json, target)
        except OSError as exc:
            log.warning("could not rename %s to %s (%s)", legacy_json, target.name, exc)

    def _raw(self) -> dict[str, Any]:
        """Every stored key with its decoded JSON value; undecodable ones are logged and left."""
        values: dict[str, Any] = {}
        for key, text in self._db.execute("SELECT key, value FROM settings"):
            try:
                values[key] = json.loads(text)
            except (TypeError, ValueError):
                log.warning(
                    "%s: setting %s holds no JSON (%r); using the default", self.path, key, text
                )
        return values

    def _read(self) -> Settings:
        stored = self._raw()
        unknown = sorted(set(stored) - set(_FIELDS))
        if unknown:  # a newer gptdesk's; kept in the database for it
            log.info("%s: settings unknown to this version left alone: %s", self.path, unknown)
        known = {k: v for k, v in stored.items() if k in _FIELDS}
        return replace(Settings(), **_clean(known, str(self.path)))

    def _notify(self, old: Settings, new: Settings) -> None:
        for key in _FIELDS:
            if getattr(old, key) != getattr(new, key):
                for listener in list(self._listeners):
                    listener(key)


def open_settings(paths: DataPaths) -> SettingsStore:
    """The settings store of an installation (importing its legacy settings.json if any)."""
    return SettingsStore(paths.database_file, legacy_json=paths.settings_file)


def load_settings(paths: DataPaths) -> Settings:
    """The current settings, read once; with no database and no legacy file nothing is written."""
    if not paths.database_file.exists() and not paths.settings_file.exists():
        return Settings()
    with open_settings(paths) as store:
        return store.settings
