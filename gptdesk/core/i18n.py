"""Translating the core's user-visible texts without Qt: the UI installs its translator here.

The core marks what a user reads (error messages, job progress labels) with
``translate("<module>", "Text {name}").format(name=...)``: whole sentences, named placeholders,
never an f-string inside the call, so that ``pyside6-lupdate`` extracts them like the UI's
``QCoreApplication.translate`` calls (the context is the module's file name). Until a translator
is installed ``translate`` returns the English text unchanged, which is what the CLI and the
tests see; the GUI installs ``QCoreApplication.translate`` when the interface language is not
English (``gptdesk.ui.i18n.install_translators``). Texts made at import time are marked with
``QT_TRANSLATE_NOOP`` and translated where they are shown. See resources/translations/README.md.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str], str]
"""``(context, English text) -> text in the interface language``; must be thread-safe (jobs and
downloads raise their errors on worker threads)."""


def _english(context: str, text: str) -> str:
    return text


_translator: Translator = _english


def translate(context: str, text: str) -> str:
    """``text`` (English, marked for extraction) in the interface language."""
    return _translator(context, text)


def set_translator(translator: Translator | None) -> None:
    """Use ``translator`` for every ``translate`` from now on; ``None``: English again."""
    global _translator
    _translator = translator if translator is not None else _english


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate knows)
    """Mark ``text`` for extraction and return it unchanged: for texts made at import time,
    translated with ``translate(context, value)`` where they are shown."""
    return text
