"""Settings (gptdesk.core.settings) on real files, and the Hub token (gptdesk.core.secrets)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from gptdesk.core import secrets
from gptdesk.core.settings import SETTINGS_VERSION, Settings, SettingsStore


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def test_a_missing_file_gives_the_defaults(path: Path) -> None:
    store = SettingsStore(path)

    assert store.settings == Settings()
    assert store.settings.n_ctx == 4096 and store.settings.offline is False
    assert not path.exists()  # reading writes nothing


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[1, 2, 3]", b'"a string"', b"\xff\xfe garbage", b"null"],
    ids=["broken", "empty", "list", "string", "binary", "null"],
)
def test_a_corrupt_file_gives_the_defaults(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)

    assert SettingsStore(path).settings == Settings()


def test_values_of_the_wrong_type_are_ignored_one_by_one(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "n_ctx": "big",  # wrong: default kept
                "offline": 1,  # an int is not a bool
                "threads": True,  # a bool is not an int
                "gpu_layers": 12,  # right
                "models_dir": "/data/models",  # right
                "hub_endpoint": None,  # right (None is allowed)
                "default_model": 42,  # wrong
                "unknown_key": "ignored",
                "version": 0,
            }
        ),
        "utf-8",
    )

    settings = SettingsStore(path).settings

    assert settings == Settings(gpu_layers=12, models_dir="/data/models")
    assert settings.version == SETTINGS_VERSION


def test_update_saves_atomically_and_round_trips(path: Path) -> None:
    store = SettingsStore(path)

    store.update(n_ctx=8192, offline=True, hub_endpoint="http://mirror.example")

    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]  # no temp file
    saved = json.loads(path.read_text("utf-8"))
    assert saved["n_ctx"] == 8192 and saved["offline"] is True
    assert saved["version"] == SETTINGS_VERSION
    again = SettingsStore(path).settings
    assert again == store.settings
    assert (again.n_ctx, again.offline, again.hub_endpoint) == (
        8192,
        True,
        "http://mirror.example",
    )


def test_listeners_hear_only_the_keys_that_changed(path: Path) -> None:
    store = SettingsStore(path)
    heard: list[str] = []
    store.on_changed(heard.append)

    store.update(n_ctx=2048, offline=False, threads=None)  # offline and threads unchanged
    store.update(n_ctx=2048)  # no change at all
    store.update(gpu_layers=0)

    assert heard == ["n_ctx", "gpu_layers"]


def test_update_rejects_an_unknown_key(path: Path) -> None:
    store = SettingsStore(path)

    with pytest.raises(TypeError):
        store.update(no_such_setting=1)

    assert store.settings == Settings()


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
