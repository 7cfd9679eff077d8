"""Settings (core.storage.settings) in a real SQLite file; the Hub token (core.storage.secrets)."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from gptdesk.core.storage import secrets
from gptdesk.core.storage.paths import resolve_paths
from gptdesk.core.storage.settings import (
    SETTINGS_VERSION,
    Settings,
    SettingsError,
    SettingsStore,
    load_settings,
    open_settings,
    setting_names,
)
from gptdesk.core.storage.store import SCHEMA_VERSION, Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "gptdesk.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[SettingsStore]:
    with SettingsStore(db) as opened:
        yield opened


def rows(db: Path) -> dict[str, str]:
    """The settings table as another program sees it."""
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT key, value FROM settings").fetchall())


def put(db: Path, **raw_json: str) -> None:
    """Write raw JSON texts into the settings table behind the store's back."""
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", raw_json.items()
        )


def test_a_new_database_gives_the_defaults(store: SettingsStore, db: Path) -> None:
    assert store.settings == Settings()
    s = store.settings
    assert (s.n_ctx, s.offline, s.theme, s.font_size, s.language) == (
        4096,
        False,
        "system",
        None,
        "system",
    )
    assert (s.window_geometry, s.last_conversation, s.welcome_done) == (None, None, False)
    assert rows(db) == {}  # only what the user sets is stored; defaults can change later
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version FROM settings_version").fetchall() == [
            (SETTINGS_VERSION,)
        ]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0  # the Store's, untouched


def test_update_round_trips_through_sqlite(store: SettingsStore, db: Path) -> None:
    store.update(
        n_ctx=8192,
        offline=True,
        hub_endpoint="http://mirror.example",
        theme="dark",
        font_size=14,
        window_geometry="01d9d0cb0003",
        last_conversation=7,
        welcome_done=True,
        language="zh_CN",
        gpu_layers=0,
    )

    assert json.loads(rows(db)["offline"]) is True
    assert json.loads(rows(db)["font_size"]) == 14
    with SettingsStore(db) as again:
        assert again.settings == store.settings
        s = again.settings
    assert (s.n_ctx, s.offline, s.hub_endpoint, s.theme, s.font_size) == (
        8192,
        True,
        "http://mirror.example",
        "dark",
        14,
    )
    assert (s.window_geometry, s.last_conversation, s.welcome_done, s.language) == (
        "01d9d0cb0003",
        7,
        True,
        "zh_CN",
    )
    assert s.gpu_layers == 0  # 0 (CPU only) is a value, not "auto"

    store.update(font_size=None, gpu_layers=None)  # back to "the system's" / auto
    with SettingsStore(db) as again:
        assert (again.settings.font_size, again.settings.gpu_layers) == (None, None)


def test_invalid_stored_values_fall_back_one_by_one_with_a_log_line(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    SettingsStore(db).close()
    put(
        db,
        n_ctx='"big"',  # wrong type
        offline="1",  # an int is not a bool
        threads="true",  # a bool is not an int
        theme='"purple"',  # not a choice
        font_size="99",  # out of range
        hub_endpoint='"ftp://mirror"',  # not http(s)
        default_model="{not json",  # not JSON at all
        gpu_layers="12",  # right
        models_dir='"/data/models"',  # right
        language='"en"',  # right
        from_a_newer_version='"kept"',  # unknown: left alone
    )

    with (
        caplog.at_level(logging.WARNING, logger="gptdesk.core.storage.settings"),
        SettingsStore(db) as store,
    ):
        settings = store.settings

    assert settings == Settings(gpu_layers=12, models_dir="/data/models", language="en")
    logged = caplog.text
    for key in ("n_ctx", "offline", "threads", "theme", "font_size", "hub_endpoint"):
        assert f"setting {key}" in logged
    assert "default_model holds no JSON" in logged
    assert json.loads(rows(db)["from_a_newer_version"]) == "kept"


def test_legacy_json_is_imported_once_and_renamed(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "portable")
    paths.config_dir.mkdir(parents=True)
    legacy = {
        "version": 1,
        "models_dir": "/old/models",
        "hub_endpoint": "https://hf-mirror.com",
        "offline": True,
        "default_model": "qwen",
        "n_ctx": 2048,
        "threads": 4,
        "gpu_layers": 0,
        "n_ctx_typo": 1,  # unknown: dropped
    }
    paths.settings_file.write_text(json.dumps(legacy), "utf-8")

    with open_settings(paths) as store:
        imported = store.settings

    assert not paths.settings_file.exists()
    migrated = paths.settings_file.with_name("settings.json.migrated")
    assert json.loads(migrated.read_text("utf-8")) == legacy  # kept, as it was
    assert imported == Settings(
        models_dir="/old/models",
        hub_endpoint="https://hf-mirror.com",
        offline=True,
        default_model="qwen",
        n_ctx=2048,
        threads=4,
        gpu_layers=0,
    )
    with open_settings(paths) as store:  # once: the values now come from the database
        store.update(n_ctx=8192)
    assert load_settings(paths).n_ctx == 8192
    assert load_settings(paths).offline is True


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[1, 2, 3]", b'"a string"', b"\xff\xfe garbage", b"null"],
    ids=["broken", "empty", "list", "string", "binary", "null"],
)
def test_a_corrupt_legacy_file_gives_the_defaults_and_is_moved_aside(
    tmp_path: Path, content: bytes
) -> None:
    paths = resolve_paths(tmp_path)
    paths.settings_file.write_bytes(content)

    assert load_settings(paths) == Settings()
    assert not paths.settings_file.exists()
    assert paths.settings_file.with_name("settings.json.migrated").read_bytes() == content


def test_reading_settings_of_a_new_installation_writes_nothing(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "fresh")

    assert load_settings(paths) == Settings()
    assert not (tmp_path / "fresh").exists()


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("n_ctx", 100, "from 512 to 262144"),
        ("n_ctx", 300_000, "from 512 to 262144"),
        ("n_ctx", "4096", "must be int"),
        ("threads", 0, "at least 1"),
        ("gpu_layers", -1, "at least 0"),
        ("font_size", 5, "from 6 to 32"),
        ("font_size", 33, "from 6 to 32"),
        ("theme", "blue", "one of system, light, dark"),
        ("language", "fr", "one of system, en, zh_CN"),
        ("hub_endpoint", "huggingface.co", "http:// or https://"),
        ("hub_endpoint", "file:///etc", "http:// or https://"),
        ("offline", 1, "must be bool"),
        ("threads", True, "must be int or None"),
    ],
)
def test_update_refuses_bad_values_and_writes_nothing(
    store: SettingsStore, db: Path, key: str, value: object, says: str
) -> None:
    with pytest.raises(ValueError, match=says) as raised:
        store.update(**{"welcome_done": True, key: value})

    assert key in str(raised.value) or "Hub endpoint" in str(raised.value)
    assert store.settings == Settings()
    assert rows(db) == {}  # atomic: the valid welcome_done was not written either


def test_update_rejects_an_unknown_key_and_the_version(store: SettingsStore) -> None:
    with pytest.raises(TypeError):
        store.update(no_such_setting=1)
    with pytest.raises(TypeError):
        store.update(version=3)

    assert store.settings == Settings()
    assert "version" not in setting_names() and "theme" in setting_names()


def test_listeners_hear_each_changed_key_once(store: SettingsStore) -> None:
    heard: list[str] = []
    store.on_changed(heard.append)

    store.update(n_ctx=2048, offline=False, threads=None)  # offline and threads unchanged
    store.update(n_ctx=2048)  # no change at all
    store.update(gpu_layers=0, theme="light", font_size=12)

    assert heard == ["n_ctx", "gpu_layers", "theme", "font_size"]


def test_a_second_connection_sees_an_update(db: Path) -> None:
    with SettingsStore(db) as first, SettingsStore(db) as second:
        heard: list[str] = []
        second.on_changed(heard.append)

        first.update(theme="dark", threads=6)
        assert second.settings.theme == "system"  # a snapshot until reloaded
        assert second.reload().theme == "dark"
        assert heard == ["threads", "theme"]

        second.update(font_size=11)  # writes only its own key: first's threads stay
        assert first.reload() == second.settings
        assert (first.settings.threads, first.settings.font_size) == (6, 11)


def test_updates_from_two_threads_are_all_kept(db: Path) -> None:
    with SettingsStore(db) as first, SettingsStore(db) as second:

        def bump(store: SettingsStore, key: str) -> None:
            for n in range(1, 21):
                store.update(**{key: n})

        workers = [
            threading.Thread(target=bump, args=(first, "threads")),
            threading.Thread(target=bump, args=(second, "last_conversation")),
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

        final = first.reload()
    assert (final.threads, final.last_conversation) == (20, 20)


@pytest.mark.parametrize("settings_first", [True, False], ids=["settings-first", "store-first"])
def test_the_conversation_store_shares_the_database_file(db: Path, settings_first: bool) -> None:
    if settings_first:
        settings = SettingsStore(db)
        store = Store(db)
    else:
        store = Store(db)
        settings = SettingsStore(db)
    conv = store.create_conversation("Shared file")
    settings.update(last_conversation=conv.id, theme="dark")
    store.close()
    settings.close()

    with SettingsStore(db) as again:
        assert (again.settings.last_conversation, again.settings.theme) == (conv.id, "dark")
    reopened = Store(db)
    assert [c.title for c in reopened.conversations()] == ["Shared file"]
    assert reopened.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    reopened.close()


def test_a_database_from_an_older_settings_version_is_migrated(db: Path) -> None:
    SettingsStore(db).close()
    put(db, n_ctx="2048")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE settings_version SET version=1")

    with SettingsStore(db) as store:
        assert store.settings.n_ctx == 2048
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version FROM settings_version").fetchone()[0] == (
            SETTINGS_VERSION
        )


def test_settings_of_a_newer_version_are_read_not_rewritten(db: Path) -> None:
    SettingsStore(db).close()
    put(db, n_ctx="8192")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE settings_version SET version=?", (SETTINGS_VERSION + 1,))

    with SettingsStore(db) as store:
        assert store.settings.n_ctx == 8192
        store.update(theme="light")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version FROM settings_version").fetchone()[0] == (
            SETTINGS_VERSION + 1
        )


def test_a_damaged_database_is_an_error_a_user_can_act_on(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database at all" * 100)

    with pytest.raises(SettingsError, match="move it aside"):
        SettingsStore(db)
    assert db.read_bytes().startswith(b"this is not")  # left untouched


# --- the Hub token -----------------------------------------------------------------------


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps passwords in a dict (what a desktop keyring does)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("not set")


@pytest.fixture
def no_env_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)


@pytest.fixture
def memory_keyring(no_env_token: None) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_hf_token_from_the_environment_wins(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert secrets.set_token("hf_saved")
    monkeypatch.setenv("HF_TOKEN", "hf_from_env")

    assert secrets.get_token() == "hf_from_env"


def test_the_token_is_saved_in_and_deleted_from_the_keyring(
    memory_keyring: MemoryKeyring,
) -> None:
    assert secrets.get_token() is None

    assert secrets.set_token("hf_saved") is True
    assert memory_keyring.passwords == {(secrets.SERVICE, secrets.ACCOUNT): "hf_saved"}
    assert secrets.get_token() == "hf_saved"

    assert secrets.set_token(None) is True
    assert secrets.get_token() is None
    assert secrets.set_token(None) is True  # deleting twice is fine


def test_without_a_keyring_there_is_no_token_and_no_error(no_env_token: None) -> None:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    # what a machine without a keyring service gets (this one's default, too)
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        assert secrets.get_token() is None
        assert secrets.set_token("hf_lost") is False
    finally:
        keyring.set_keyring(previous)
