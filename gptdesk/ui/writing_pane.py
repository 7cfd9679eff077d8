"""What the four writing panes (summary, story, email, translation) share: the services they
are given, the signals the main window listens to, and the open document's id."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from gptdesk.core.errors import GptdeskError
from gptdesk.core.prompts import PromptTemplates
from gptdesk.core.store import Store
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.worker import EngineController

log = logging.getLogger(__name__)


class WritingPane(QWidget):
    """Base of a writing pane; subclasses add ``open_document``, ``stop`` and ``flush_save``."""

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
        except (GptdeskError, sqlite3.Error) as exc:
            log.warning("saving %s %s failed: %s", kind, self._document_id, exc)
            self.message_bar.show_error(failed.format(error=exc))
            return False
        self.document_changed.emit(self._document_id)
        return True

    def open_document(self, document_id: int | None) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def flush_save(self) -> None:
        raise NotImplementedError
