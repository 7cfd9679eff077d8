"""The OpenAI-compatible servers the user added (Settings ▸ Connections ▸ Servers): names and
addresses in the settings, API keys in the system keyring, and the picker's key for a model on
one of them."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gptdesk.core.inference.remote import RemoteServer

log = logging.getLogger(__name__)

KEY_PREFIX = "server:"  # keyring account of a server's API key: server:<name>
REMOTE_PREFIX = "remote::"  # a model key (picker, last model): remote::<server>::<model id>


@dataclass(frozen=True)
class ServerEntry:
    """A server as the settings keep it (the key is in the keyring)."""

    name: str
    url: str

    def as_setting(self) -> dict[str, str]:
        return {"name": self.name, "url": self.url}


def entries(value: Sequence[Any]) -> list[ServerEntry]:
    """The servers of the ``servers`` setting (entries that are not name/url pairs skipped)."""
    found = []
    for item in value:
        if (
            isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and isinstance(item.get("url"), str)
        ):
            found.append(ServerEntry(item["name"], item["url"]))
    return found


def get_key(name: str) -> str | None:
    """The API key saved for server ``name`` (None: none, or no keyring)."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password("gptdesk", KEY_PREFIX + name)
    except (KeyringError, RuntimeError) as exc:
        log.info("no keyring for the key of %s: %s", name, type(exc).__name__)
        return None


def set_key(name: str, key: str | None) -> bool:
    """Save (or with None, delete) the key of server ``name``; False without a keyring."""
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError
    except ImportError:
        return False
    try:
        if key:
            keyring.set_password("gptdesk", KEY_PREFIX + name, key)
        else:
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password("gptdesk", KEY_PREFIX + name)
        return True
    except (KeyringError, RuntimeError) as exc:
        log.info("no keyring for the key of %s: %s", name, type(exc).__name__)
        return False


def connect(entry: ServerEntry) -> RemoteServer:
    """The server with its key from the keyring (blocking: not on the GUI thread)."""
    return RemoteServer(entry.name, entry.url, get_key(entry.name))


def model_key(server: str, model_id: str) -> str:
    return f"{REMOTE_PREFIX}{server}::{model_id}"


def parse_model_key(key: str) -> tuple[str, str] | None:
    """(server name, model id) of a remote model key; None for a local model's path."""
    if not key.startswith(REMOTE_PREFIX):
        return None
    server, sep, model = key[len(REMOTE_PREFIX) :].partition("::")
    return (server, model) if sep else None
