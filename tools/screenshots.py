"""Grab PNGs of the app's windows on the real starter model: ``make screenshots``."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from gptdesk.core.chat import ChatSession
from gptdesk.core.engine import GenerationStats, ModelStatus, SamplingParams
from gptdesk.core.models import installed_models
from gptdesk.core.store import Store
from gptdesk.ui.main_window import MainWindow
from gptdesk.ui.worker import EngineController

PROMPT = "Write two short sentences about the sea."


class Director(QObject):
    """Loads the model, sends one message, saves the window after the reply."""

    def __init__(self, app: QApplication, window: MainWindow, out: Path) -> None:
        super().__init__()
        self.app, self.window, self.out = app, window, out

    @Slot(ModelStatus)
    def on_loaded(self, _status: ModelStatus) -> None:
        self.window.composer.setPlainText(PROMPT)
        self.window.send()

    @Slot(int, str, GenerationStats)
    def on_finished(self, *_args: object) -> None:
        QTimer.singleShot(200, self.save)

    @Slot(str)
    def on_failed(self, message: str) -> None:
        print(f"screenshots: {message}", file=sys.stderr)
        self.app.exit(1)

    def save(self) -> None:
        path = self.out / "chat.png"
        self.window.grab().save(str(path))
        print(f"wrote {path}")
        self.window.close()
        self.app.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    controller = EngineController()
    scratch = Path(tempfile.mkdtemp(prefix="gptdesk-shots-"))  # no user data in screenshots
    store = Store(scratch / "chats.sqlite3")
    window = MainWindow(
        controller,
        installed_models(scratch / "models"),
        ChatSession(store),
        params=SamplingParams(seed=7, max_tokens=80, temperature=0.7),
    )
    window.resize(900, 600)
    director = Director(app, window, args.out)
    controller.loaded.connect(director.on_loaded)
    controller.generation_finished.connect(director.on_finished)
    controller.load_failed.connect(director.on_failed)
    controller.generation_failed.connect(director.on_failed)
    window.show()
    window.load_current_model()
    QTimer.singleShot(120_000, lambda: app.exit(2))
    code = app.exec()
    controller.shutdown()
    store.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
