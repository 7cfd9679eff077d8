"""Adding an OpenAI-compatible server (llama-server, vLLM, Ollama, LM Studio, another gptdesk):
its name, address and API key. OK asks the server for its models first (off the GUI thread),
so a wrong address or key is said here, not at the first reply."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.errors import GptdeskError
from gptdesk.core.inference.remote import (
    RemoteModel,
    RemoteServer,
    list_models,
    normalize_base_url,
)
from gptdesk.core.models import servers
from gptdesk.core.models.servers import ServerEntry
from gptdesk.ui.tasks import BackgroundTasks

log = logging.getLogger(__name__)

Check = Callable[[RemoteServer], list[RemoteModel]]


class ServerDialog(QDialog):
    """Asks for a server; ``entry`` is set when it was accepted (its key is in the keyring)."""

    def __init__(
        self,
        taken: Sequence[str],
        tasks: BackgroundTasks,
        parent: QWidget | None = None,
        *,
        check: Check = list_models,
        save_key: Callable[[str, str | None], bool] = servers.set_key,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a server"))
        self._taken = set(taken)
        self._tasks = tasks
        self._check = check
        self._save_key = save_key
        self._task: int | None = None
        self._unchecked_ok = False  # the check failed once: OK now adds it anyway
        self.entry: ServerEntry | None = None

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Server name"))
        self.name_edit.setPlaceholderText(self.tr("GPU box"))
        self.url_edit = QLineEdit()
        self.url_edit.setAccessibleName(self.tr("Server address"))
        self.url_edit.setPlaceholderText("http://192.168.1.20:8080/v1")  # i18n: ignore (a URL)
        self.key_edit = QLineEdit()
        self.key_edit.setAccessibleName(self.tr("Server API key"))
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(self.tr("Only if the server asks for one"))
        self.status = QLabel(
            self.tr(
                "Any OpenAI-compatible server: llama.cpp's llama-server, vLLM, Ollama, "
                "LM Studio or another gptdesk. The key is kept in the system keyring."
            )
        )
        self.status.setWordWrap(True)
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.status.setAccessibleName(self.tr("Server status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Address:"), self.url_edit)
        form.addRow(self.tr("API &key:"), self.key_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Add"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for edit in (self.name_edit, self.url_edit, self.key_edit):
            edit.textEdited.connect(self._on_edited)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    @Slot()
    def _on_edited(self) -> None:
        self._unchecked_ok = False
        self.ok_button.setText(self.tr("&Add"))

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        role = QPalette.ColorRole.WindowText if error else QPalette.ColorRole.PlaceholderText
        self.status.setForegroundRole(role)

    def _server(self) -> RemoteServer | None:
        name = self.name_edit.text().strip()
        if not name:
            self._say(self.tr("Give the server a name, e.g. “GPU box”."), error=True)
            self.name_edit.setFocus()
            return None
        if name in self._taken:
            self._say(
                self.tr("There is a server named “{name}” already.").format(name=name), True
            )
            self.name_edit.setFocus()
            return None
        try:
            url = normalize_base_url(self.url_edit.text())
        except GptdeskError as exc:
            self._say(str(exc), error=True)
            self.url_edit.setFocus()
            return None
        return RemoteServer(name, url, self.key_edit.text().strip() or None)

    def accept(self) -> None:
        server = self._server()
        if server is None or self._task is not None:
            return
        if self._unchecked_ok:
            self._save(server, None)
            return
        self.ok_button.setEnabled(False)
        self._say(self.tr("Asking {url} for its models…").format(url=server.base_url))
        check = self._check
        self._task = self._tasks.submit(
            lambda: check(server),
            lambda models: self._on_checked(server, models),
            lambda exc: self._on_check_failed(exc),
        )

    def _on_checked(self, server: RemoteServer, models: list[RemoteModel]) -> None:
        self._task = None
        self.ok_button.setEnabled(True)
        self._save(server, models)

    def _on_check_failed(self, exc: Exception) -> None:
        self._task = None
        self.ok_button.setEnabled(True)
        message = str(exc) if isinstance(exc, GptdeskError) else f"{type(exc).__name__}: {exc}"
        self._say(
            message + " " + self.tr("Correct it, or add the server anyway to use it later."),
            error=True,
        )
        self._unchecked_ok = True
        self.ok_button.setText(self.tr("Add &anyway"))

    def _save(self, server: RemoteServer, models: list[RemoteModel] | None) -> None:
        """Keep the key in the keyring (off the GUI thread), then close."""
        entry = ServerEntry(server.name, server.base_url)
        key = server.api_key
        if not key:
            self._close_with(entry, models)
            return
        save = self._save_key
        self.ok_button.setEnabled(False)
        self._task = self._tasks.submit(
            lambda: save(entry.name, key),
            lambda ok: self._on_key_saved(ok, entry, models),
            lambda exc: self._on_key_saved(False, entry, models),
        )

    def _on_key_saved(self, ok: bool, entry: ServerEntry, models: list[RemoteModel] | None) -> None:
        self._task = None
        self.ok_button.setEnabled(True)
        if not ok:
            self._say(
                self.tr(
                    "The key cannot be kept: there is no system keyring. Install one (e.g. "
                    "gnome-keyring or KWallet), or use the server without a key."
                ),
                error=True,
            )
            return
        self._close_with(entry, models)

    def _close_with(self, entry: ServerEntry, models: list[RemoteModel] | None) -> None:
        self.entry = entry
        self.models = models
        super().accept()

    def done(self, result: int) -> None:
        if self._task is not None:
            self._tasks.discard(self._task)
            self._task = None
        super().done(result)
