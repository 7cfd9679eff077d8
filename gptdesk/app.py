"""Builds the QApplication, logging, crash hook, engine controller and main window."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from types import TracebackType

from gptdesk.core.chat import ChatSession
from gptdesk.core.models import Library
from gptdesk.core.paths import DataPaths
from gptdesk.core.settings import SettingsStore, models_dir
from gptdesk.core.store import Store

log = logging.getLogger("gptdesk")


def setup_logging(paths: DataPaths) -> None:
    """Log to a rotating file in the platform's log folder (debug level for gptdesk)."""
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        paths.log_dir / "gptdesk.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    logging.getLogger("gptdesk").setLevel(logging.DEBUG)
    logging.getLogger("gptdesk.llama_cpp").setLevel(logging.INFO)


def install_excepthook(paths: DataPaths) -> None:
    """Last resort: log an unexpected exception and show it in a dialog instead of vanishing."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("unexpected error", exc_info=(kind, exc, tb))
        if QApplication.instance() is None:
            sys.__excepthook__(kind, exc, tb)
            return
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "gptdesk: unexpected error",
            f"Something went wrong: {exc}\n\nYour conversation is kept. Details "
            f"are in the log: {paths.log_dir / 'gptdesk.log'}",
        )
        box.setDetailedText("".join(traceback.format_exception(kind, exc, tb)))
        box.exec()

    sys.excepthook = hook


def run_app(paths: DataPaths) -> int:
    """Open the main window and load the default model in the background."""
    from PySide6.QtWidgets import QApplication

    from gptdesk.ui.main_window import MainWindow
    from gptdesk.ui.worker import EngineController

    paths.ensure()
    setup_logging(paths)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("gptdesk")
    app.setOrganizationName("gptdesk")
    install_excepthook(paths)
    controller = EngineController()
    # Only the starter and the models folder here: scanning other apps' folders (the Hugging
    # Face cache can hold thousands of files) must not delay the window; the model manager
    # does that on a worker thread.
    folder = models_dir(SettingsStore(paths.settings_file).settings, paths.models_dir)
    store = Store(paths.database_file)
    window = MainWindow(
        controller, Library(folder, include_external=False).models(), ChatSession.latest(store)
    )
    window.show()
    window.load_current_model()
    code = app.exec()
    controller.shutdown()
    store.close()
    return int(code)
