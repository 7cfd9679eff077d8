"""What the four writing panes (summary, story, email, translation) share: the services they
are given, the signals the main window listens to, the backend's signals wired to their
handlers, the loaded model, the open document's id, and saving it (a write the disk refuses is
shown once and tried again every second until it goes through)."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from gptdesk.core.errors import GptdeskError, StorageError
from gptdesk.core.inference.backend import GenerationStats, ModelStatus
from gptdesk.core.storage.store import Store
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks

log = logging.getLogger(__name__)

RETRY_MS = 1000  # a save the disk refused is tried again this often
SAVE_DELAY_MS = 1000  # an edit is saved this long after the last change


class WritingPane(QWidget):
    """Base of a writing pane; subclasses add ``open_document``, ``stop``, ``flush_save``, the
    ``on_controller_*`` handlers of a request's events and ``on_model_changed``."""

    document_changed = Signal(int)
    """A document of this pane was created or saved (its id): the side list refreshes."""
    busy_changed = Signal(bool)
    """The pane started (True) or ended (False) work on the engine."""

    def __init__(
        self,
        controller: EngineController,
        store: Store,
        prompts: PromptTemplates,
        message_bar: MessageBar,
        tasks: BackgroundTasks,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = store
        self.prompts = prompts
        self.message_bar = message_bar
        self.tasks = tasks
        self._document_id: int | None = None
        self._loaded: ModelStatus | None = None  # the model loaded now (None: none)
        self._save_error: str | None = None  # the message shown for a refused save
        self._filling = False  # widgets are being set from a document: not a user edit
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.on_save_timer_timeout)
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.setInterval(RETRY_MS)
        self.retry_timer.timeout.connect(self.on_retry_timer_timeout)

    def connect_controller(self) -> None:
        """Wire the backend's signals to this pane's handlers (once its widgets exist)."""
        c = self.controller
        c.loaded.connect(self.on_controller_loaded)
        c.unloaded.connect(self.on_controller_unloaded)
        c.load_failed.connect(self.on_controller_unloaded)
        c.delta.connect(self.on_controller_delta)
        c.job_progress.connect(self.on_controller_job_progress)
        c.generation_finished.connect(self.on_controller_generation_finished)
        c.generation_cancelled.connect(self.on_controller_generation_cancelled)
        c.generation_failed.connect(self.on_controller_generation_failed)

    @Slot(ModelStatus)
    def on_controller_loaded(self, status: ModelStatus) -> None:
        self._loaded = status
        self.on_model_changed()

    @Slot()
    @Slot(str)
    def on_controller_unloaded(self, *_args: object) -> None:
        self._loaded = None
        self.on_model_changed()

    def on_model_changed(self) -> None:
        """A model was loaded or unloaded (``self._loaded``): update what depends on it."""
        raise NotImplementedError

    @Slot(int, int, int, str)
    def on_controller_job_progress(self, rid: int, done: int, total: int, label: str) -> None:
        """A job's step (panes that run multi-step jobs show it)."""

    def on_controller_delta(self, rid: int, text: str) -> None:
        raise NotImplementedError

    def on_controller_generation_finished(
        self, rid: int, text: str, stats: GenerationStats
    ) -> None:
        raise NotImplementedError

    def on_controller_generation_cancelled(
        self, rid: int, text: str, stats: GenerationStats
    ) -> None:
        raise NotImplementedError

    def on_controller_generation_failed(self, rid: int, message: str) -> None:
        raise NotImplementedError

    @property
    def document_id(self) -> int | None:
        """The open document (None: a new one, not saved until it has content)."""
        return self._document_id

    def _write_document(
        self, kind: str, title: str, body: str, data: dict[str, Any], failed: str
    ) -> bool:
        """Create or update the open document (a document of ``kind``). Its title follows
        ``title`` (from the content) until the user renames it in the list: the title it
        followed last is kept in ``data["auto_title"]``. On a database error the message
        ``failed`` (with ``{error}``) is shown and False returned; the text stays in the pane."""
        data = {**data, "auto_title": title}
        try:
            if self._document_id is None:
                self._document_id = self.store.create_document(kind, title, body, data).id
            else:
                stored = self.store.document(self._document_id)
                fields: dict[str, Any] = {"body": body, "data": data}
                followed = stored.data.get("auto_title", stored.title)
                if stored.title == followed or not stored.title.strip():
                    fields["title"] = title  # not renamed by the user: follow the content
                else:
                    data["auto_title"] = followed
                self.store.update_document(self._document_id, **fields)
        except StorageError as exc:  # disk full or read-only: the text stays, tried again
            text = failed.format(error=exc)
            if text != self._save_error:  # one message, not one per try
                log.warning("saving %s %s refused: %s", kind, self._document_id, exc)
                self._save_error = text
                self.message_bar.show_error(text)
            self.retry_timer.start()
            return False
        except (GptdeskError, sqlite3.Error) as exc:
            log.warning("saving %s %s failed: %s", kind, self._document_id, exc)
            self.message_bar.show_error(failed.format(error=exc))
            return False
        self.retry_timer.stop()
        if self._save_error is not None:
            if self.message_bar.shows(self._save_error):
                self.message_bar.show_info(  # the base's context, whichever pane this is
                    QCoreApplication.translate("WritingPane", "Saved: your text is on disk now.")
                )
            self._save_error = None
        self.document_changed.emit(self._document_id)
        return True

    @property
    def unsaved(self) -> bool:
        """The disk refused the last save: the text is in this pane only."""
        return self._save_error is not None

    @Slot()
    def on_retry_timer_timeout(self) -> None:
        self.save()

    def save(self) -> None:
        raise NotImplementedError

    def open_document(self, document_id: int | None) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def _schedule_save(self) -> None:
        """Save in SAVE_DELAY_MS, unless the widgets are being filled from a document."""
        if not self._filling:
            self._save_timer.start()

    @Slot()
    def on_save_timer_timeout(self) -> None:
        self.save()

    def flush_save(self) -> None:
        """Save now if an edit is waiting for its save (the window calls it when closing)."""
        if self._save_timer.isActive():
            self._save_timer.stop()
            self.save()
