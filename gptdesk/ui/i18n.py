"""Interface languages: which one to use, and installing gptdesk's and Qt's translators for it.

English is the source language (the text in the code), so it needs no translator. The other
languages are compiled ``.qm`` files in ``resources/translations`` (see its README for how
strings are marked and translated).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from gptdesk.core import i18n as core_i18n
from gptdesk.core.resources import resource_path

log = logging.getLogger(__name__)

LANGUAGES = ("en", "zh_CN")
"""The interface languages gptdesk has; the setting may also say ``system``."""

_installed: list[QTranslator] = []
_default_locale: list[QLocale] = []  # QLocale's default before a language was installed


def translations_dir() -> Path:
    """The folder with ``gptdesk_<language>.qm`` (in the source tree or the packaged app)."""
    return resource_path("translations")


def resolve_language(setting: str, system: QLocale | None = None) -> str:
    """The language to show for the ``language`` setting: ``system`` follows the system locale
    (any Chinese locale gets Simplified Chinese, anything else English); an unknown value
    falls back to English."""
    if setting == "system":
        locale = system if system is not None else QLocale.system()
        return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"
    return setting if setting in LANGUAGES else "en"


def remove_translators(app: QCoreApplication) -> None:
    """Take out the translators ``install_translators`` put in (back to English)."""
    while _installed:
        app.removeTranslator(_installed.pop())
    core_i18n.set_translator(None)  # the core's messages in English again
    if _default_locale:
        QLocale.setDefault(_default_locale.pop())


def install_translators(app: QCoreApplication, language: str, directory: Path | None = None) -> str:
    """Translate the interface into ``language`` (a setting value: system, en or zh_CN) from
    now on, and return the language used. Call it before any window is built: widgets take
    their texts when they are made. A missing translation file is logged and English shown.
    ``directory``: where ``gptdesk_<language>.qm`` is (default: the app's resources; tests
    pass a freshly built one)."""
    remove_translators(app)
    chosen = resolve_language(language)
    if chosen == "en":
        return chosen
    ours = QTranslator(app)
    path = (directory or translations_dir()) / f"gptdesk_{chosen}.qm"
    if not ours.load(str(path)):
        log.warning("no translation file %s: the interface stays in English", path)
        return "en"
    app.installTranslator(ours)
    _installed.append(ours)
    # The core's messages (errors, progress labels) through the same translator; it is
    # thread-safe, and jobs and downloads raise their errors on worker threads.
    core_i18n.set_translator(QCoreApplication.translate)
    # Qt's own texts: the standard dialog buttons (OK, Cancel, Yes, No), file dialogs, the
    # text fields' context menus.
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{chosen}", qt_dir):
        app.installTranslator(qt)
        _installed.append(qt)
    else:
        log.info("Qt's own %s translation is not in %s", chosen, qt_dir)
    # QLocale() (dates, numbers) in the language's style too.
    _default_locale.append(QLocale())
    QLocale.setDefault(QLocale(chosen))
    return chosen
