"""What the four writing panes (summary, story, email, translation) share: the services they
are given, the signals the main window listens to, and the open document's id."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from gptdesk.core.prompts import PromptTemplates
from gptdesk.core.store import Store
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.worker import EngineController


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

    def open_document(self, document_id: int | None) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def flush_save(self) -> None:
        raise NotImplementedError
