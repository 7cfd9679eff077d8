"""The Hugging Face token: from HF_TOKEN, else the system keyring; never printed or logged."""

from __future__ import annotations

import contextlib
import logging
import os

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
