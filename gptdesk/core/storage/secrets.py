"""Secrets in the system keyring, never printed or logged: the Hugging Face token (or
$HF_TOKEN) and the key of the app's API server."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets

log = logging.getLogger(__name__)

SERVICE = "gptdesk"
ACCOUNT = "huggingface-token"


def get_token() -> str | None:
    """``$HF_TOKEN`` if set, else the token saved in the system keyring, else None."""
    env = os.environ.get("HF_TOKEN")
    if env:
        return env
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(SERVICE, ACCOUNT)
    except (KeyringError, RuntimeError) as exc:
        log.info("no keyring available: %s", type(exc).__name__)
        return None


def set_token(token: str | None) -> bool:
    """Save (or with None, delete) the token in the keyring; False when there is no keyring."""
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError
    except ImportError:
        return False
    try:
        if token:
            keyring.set_password(SERVICE, ACCOUNT, token)
        else:
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(SERVICE, ACCOUNT)
        return True
    except (KeyringError, RuntimeError) as exc:
        log.info("no keyring available: %s", type(exc).__name__)
        return False


API_KEY_ACCOUNT = "api-key"
_session_api_key: str | None = None  # when there is no keyring: one key for this session


def api_key() -> str:
    """The key other computers must send to the app's API server: from the keyring, made
    (and saved there) the first time. Without a keyring, a key for this session only."""
    global _session_api_key
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        keyring = None  # type: ignore[assignment]
    if keyring is not None:
        try:
            saved = keyring.get_password(SERVICE, API_KEY_ACCOUNT)
            if saved:
                return saved
            key = "gd-" + secrets.token_urlsafe(24)
            keyring.set_password(SERVICE, API_KEY_ACCOUNT, key)
            return key
        except (KeyringError, RuntimeError) as exc:
            log.info("no keyring for the API key: %s", type(exc).__name__)
    if _session_api_key is None:
        _session_api_key = "gd-" + secrets.token_urlsafe(24)
    return _session_api_key
