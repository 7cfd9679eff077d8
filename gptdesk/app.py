"""Builds the QApplication, logging, crash hook, engine controller and main window."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from gptdesk.core.errors import StorageError
from gptdesk.core.models.library import Library
from gptdesk.core.storage.paths import DataPaths
from gptdesk.core.storage.settings import models_dir, open_settings
from gptdesk.core.storage.store import Store

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from gptdesk.ui.window.main_window import Services

log = logging.getLogger("gptdesk")


def setup_logging(paths: DataPaths) -> bool:
    """Log to a rotating file in the platform's log folder (debug level for gptdesk). When that
    folder cannot be written (a read-only or full disk), log to stderr only; returns whether
    the log file is used."""
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    root = logging.getLogger()
    try:
        paths.log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.log_dir / "gptdesk.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:
        if not any(type(h) is logging.StreamHandler for h in root.handlers):
            fallback = logging.StreamHandler(sys.stderr)
            fallback.setFormatter(formatter)
            fallback.setLevel(logging.WARNING)
            root.addHandler(fallback)
        logging.getLogger("gptdesk").setLevel(logging.DEBUG)
        log.warning("no log file in %s (%s): logging to stderr only", paths.log_dir, exc)
        return False
    handler.setFormatter(formatter)
    for existing in root.handlers:  # the terminal gets warnings only (not llama.cpp's chatter)
        if isinstance(existing, logging.StreamHandler) and not isinstance(
            existing, logging.FileHandler
        ):
            existing.setLevel(logging.WARNING)
    root.addHandler(handler)
    logging.getLogger("gptdesk").setLevel(logging.DEBUG)
    logging.getLogger("gptdesk.llama_cpp").setLevel(logging.INFO)
    return True


class CrashHook:
    """Last resort (``sys.excepthook``): log an unexpected exception and show it in a dialog
    instead of vanishing.

    A disk failure (``StorageError``: full, read-only) that got this far is no crash: once the
    window has set ``notify`` (its message bar) it is shown there, one message however often it
    comes, rather than a dialog each time."""

    def __init__(self, paths: DataPaths) -> None:
        self.paths = paths
        self.notify: Callable[[str], None] | None = None

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication, QMessageBox

        if isinstance(exc, StorageError) and self.notify is not None:
            log.error("a storage error reached the last resort", exc_info=(kind, exc, tb))
            self.notify(str(exc))
            return
        log.critical("unexpected error", exc_info=(kind, exc, tb))
        if QApplication.instance() is None:
            sys.__excepthook__(kind, exc, tb)
            return
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            QCoreApplication.translate("app", "gptdesk: unexpected error"),
            QCoreApplication.translate(
                "app",
                "Something went wrong: {error}\n\nYour conversation is kept. Details are in the "
                "log: {log}",
            ).format(error=exc, log=self.paths.log_dir / "gptdesk.log"),
        )
        box.setDetailedText("".join(traceback.format_exception(kind, exc, tb)))
        box.exec()


def install_excepthook(paths: DataPaths) -> CrashHook:
    """Install the last-resort ``CrashHook``; returns it (its ``notify`` is set later)."""
    hook = CrashHook(paths)
    sys.excepthook = hook
    return hook


def build_services(paths: DataPaths) -> Services:
    """Open the database and settings and create the long-lived helpers (no scanning here:
    the window lists models in the background once it is shown)."""
    from gptdesk.core.chat.presets import load_presets
    from gptdesk.core.models.catalog import load_catalog
    from gptdesk.core.models.library import STARTER_NAME, ModelEntry, starter_model_path
    from gptdesk.core.writing.prompts import PromptTemplates
    from gptdesk.ui.engine.worker import EngineController
    from gptdesk.ui.tasks import BackgroundTasks
    from gptdesk.ui.window.main_window import Services

    # Everything that can fail (a damaged or newer database, missing resources) comes first:
    # the engine thread starts last, so a failure here never leaves a running thread behind.
    settings = open_settings(paths)
    folder = models_dir(settings.settings, paths.models_dir)
    starter = starter_model_path()
    store = Store(paths.database_file)
    prompts = PromptTemplates(paths.database_file)
    presets, catalog = load_presets(), load_catalog()
    return Services(
        controller=EngineController(),
        store=store,
        settings=settings,
        library=Library(folder),
        tasks=BackgroundTasks(),
        presets=presets,
        catalog=catalog,
        starter=ModelEntry(STARTER_NAME, starter, True, "builtin") if starter else None,
        default_models_dir=paths.models_dir,
        prompts=prompts,
        documents_file=paths.documents_file,
    )


def app_icon() -> QIcon:
    """The app's icon in every size that ships (the window manager picks one)."""
    from PySide6.QtGui import QIcon

    from gptdesk.core.resources import resource_path

    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256, 512):
        path = resource_path("icons", f"gptdesk-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon


def run_app(paths: DataPaths) -> int:
    """Open the main window; it lists the models and loads one in the background."""
    from PySide6.QtWidgets import QApplication

    from gptdesk.ui.i18n import install_translators
    from gptdesk.ui.theme import apply_theme
    from gptdesk.ui.window.main_window import MainWindow

    paths.ensure()
    setup_logging(paths)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("gptdesk")
    app.setOrganizationName("gptdesk")
    app.setApplicationDisplayName("gptdesk")
    app.setDesktopFileName("gptdesk")  # matches the desktop entry (StartupWMClass, icon)
    app.setWindowIcon(app_icon())
    hook = install_excepthook(paths)
    services = build_services(paths)
    settings = services.settings
    # Before any window: widgets take their texts when they are made (a change of the
    # language setting applies at the next start).
    install_translators(app, settings.settings.language)

    def on_setting_changed(key: str) -> None:
        if key in ("theme", "font_size"):
            apply_theme(app, settings.settings.theme, settings.settings.font_size)

    apply_theme(app, settings.settings.theme, settings.settings.font_size)
    settings.on_changed(on_setting_changed)
    try:
        window = MainWindow(services)
    except BaseException:
        services.shutdown()  # stop the engine thread before the error is reported
        raise
    hook.notify = window.message_bar.show_error
    window.show()
    window.scan_models()
    code = app.exec()
    services.shutdown()
    return int(code)
