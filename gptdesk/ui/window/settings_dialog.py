"""The Settings dialog: models folder, CPU/GPU, context, theme, font, language, Hub, token, offline.

OK validates everything first, saves a changed Hugging Face token in the system keyring (off the
GUI thread; never in the database), then applies every changed setting with one
``SettingsStore.update``. Invalid input keeps the dialog open with the error shown in it.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Slot
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.errors import GptdeskError
from gptdesk.core.models import servers
from gptdesk.core.storage import secrets
from gptdesk.core.storage.settings import Settings, SettingsStore, validate
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.ui.i18n import resolve_language
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.theme import is_dark
from gptdesk.ui.window.server_dialog import ServerDialog
from gptdesk.ui.writing.prompts_dialog import PromptsDialog

log = logging.getLogger(__name__)

TokenState = Literal["saved", "none", "environment", "unavailable"]
"""What the dialog says about the Hugging Face token; the token itself never reaches the UI."""

AUTO_THREADS = 0  # the spin boxes' special values ("Auto", "System")
AUTO_GPU_LAYERS = -1
SYSTEM_FONT_SIZE = 5
MAX_THREADS = 512
MAX_GPU_LAYERS = 999
# English, shown translated: _translated(RELOAD_HINT). str(): PySide6 types QT_TRANSLATE_NOOP
# as returning object.
RELOAD_HINT = str(
    QT_TRANSLATE_NOOP(
        "settings_dialog",
        "Context size, CPU threads and GPU layers take effect the next time a model is loaded.",
    )
)
NO_KEYRING = str(
    QT_TRANSLATE_NOOP(
        "settings_dialog",
        "No system keyring is available, so the token cannot be saved here. Set the HF_TOKEN "
        "environment variable instead, or leave the field empty.",
    )
)
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}
"""Each interface language in its own language (never translated: a reader finds their own)."""


def _translated(text: str) -> str:
    """A text marked with QT_TRANSLATE_NOOP("settings_dialog", ...) in the interface language."""
    return QCoreApplication.translate("settings_dialog", text)


def keyring_token_state() -> TokenState:
    """Whether a token is saved in the system keyring (or comes from $HF_TOKEN); may block."""
    if os.environ.get("HF_TOKEN"):
        return "environment"
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return "unavailable"
    if isinstance(keyring.get_keyring(), fail.Keyring):
        return "unavailable"
    return "saved" if secrets.get_token() else "none"


def _short(folder: Path) -> str:
    """``folder`` with the home folder written as ~ (no file system access)."""
    home = Path.home()
    return f"~{os.sep}{folder.relative_to(home)}" if folder.is_relative_to(home) else str(folder)


def _row(
    form: QFormLayout, text: str, field: QWidget | QLayout, buddy: QWidget | None = None
) -> QLabel:
    """Add a form row whose label (with its shortcut key) focuses ``buddy`` (default: field)."""
    label = QLabel(text)
    target = buddy if buddy is not None else field
    if isinstance(target, QWidget):
        label.setBuddy(target)
    form.addRow(label, field)
    return label


def _spin(low: int, high: int, special: str | None, name: str, step: int = 1) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    if special is not None:
        spin.setSpecialValueText(special)
    spin.setAccessibleName(name)
    return spin


class SettingsDialog(QDialog):
    """Edits the app settings of ``store``; ``model_names`` are the installed models.

    ``token_state`` and ``set_token`` reach the keyring (default: the system's); tests pass
    their own. ``tasks`` runs them off the GUI thread (default: the dialog's own pool, shut
    down when the dialog closes: make a new dialog each time settings are opened).
    With ``prompts``, a "Prompt templates…" button opens their editor.
    """

    def __init__(
        self,
        store: SettingsStore,
        model_names: list[str],
        parent: QWidget | None = None,
        *,
        default_models_dir: Path | None = None,
        token_state: Callable[[], TokenState] = keyring_token_state,
        set_token: Callable[[str | None], bool] = secrets.set_token,
        api_key: Callable[[], str] = secrets.api_key,
        tasks: BackgroundTasks | None = None,
        prompts: PromptTemplates | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self._store = store
        self._set_token = set_token
        self._own_tasks = tasks is None
        self._tasks = tasks if tasks is not None else BackgroundTasks(parent=self)
        self._token_state: TokenState | None = None
        self._pending: dict[str, Any] = {}
        self._task_ids: list[int] = []
        self._shown = store.settings

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Settings error"))
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        # --- models ---------------------------------------------------------------------
        self.models_dir_edit = QLineEdit()
        self.models_dir_edit.setAccessibleName(self.tr("Models folder"))
        self.models_dir_edit.setClearButtonEnabled(True)
        self._default_models_dir = default_models_dir
        if default_models_dir:
            short = _short(default_models_dir)
            self.models_dir_edit.setPlaceholderText(self.tr("Default: {path}").format(path=short))
            self.models_dir_edit.setToolTip(
                self.tr("Where models are kept. Empty: the default folder, {path}.").format(
                    path=short
                )
            )
        else:
            self.models_dir_edit.setPlaceholderText(self.tr("Default folder"))
            self.models_dir_edit.setToolTip(
                self.tr("Where models are kept. Empty: the default folder.")
            )
        self.models_dir_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 48)
        self.browse_button = QPushButton(self.tr("&Browse…"))
        self.browse_button.setAccessibleName(self.tr("Choose the models folder"))
        self.browse_button.clicked.connect(self.on_browse_button_clicked)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.models_dir_edit, 1)
        folder_row.addWidget(self.browse_button)

        self.default_model_combo = QComboBox()
        self.default_model_combo.setAccessibleName(self.tr("Default model"))
        self.default_model_combo.addItem(self.tr("Last used"), None)
        for name in model_names:
            self.default_model_combo.addItem(name, name)

        self.n_ctx_spin = _spin(512, 262144, None, self.tr("Default context size"), step=512)
        self.n_ctx_spin.setSuffix(self.tr(" tokens", "after the context size"))
        auto = self.tr("Auto", "threads and GPU layers chosen by gptdesk")
        self.threads_spin = _spin(AUTO_THREADS, MAX_THREADS, auto, self.tr("CPU threads"))
        self.gpu_layers_spin = _spin(AUTO_GPU_LAYERS, MAX_GPU_LAYERS, auto, self.tr("GPU layers"))
        self.gpu_layers_spin.setToolTip(
            self.tr("Auto offloads what fits; 0 keeps the model on the CPU.")
        )
        self.reload_hint = QLabel(_translated(RELOAD_HINT))
        self.reload_hint.setWordWrap(True)
        self.reload_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.reload_hint.setAccessibleName(self.tr("Note"))

        models_box = QGroupBox(self.tr("Models"))
        models_form = QFormLayout(models_box)
        labels = [
            _row(models_form, self.tr("Models fol&der:"), folder_row, self.models_dir_edit),
            _row(models_form, self.tr("Default &model:"), self.default_model_combo),
            _row(models_form, self.tr("Context si&ze:"), self.n_ctx_spin),
            _row(models_form, self.tr("CPU &threads:"), self.threads_spin),
            _row(models_form, self.tr("&GPU layers:"), self.gpu_layers_spin),
        ]
        models_form.addRow(self.reload_hint)

        # --- appearance -----------------------------------------------------------------
        self.theme_combo = QComboBox()
        self.theme_combo.setAccessibleName(self.tr("Theme"))
        self.theme_combo.addItem(self.tr("System", "the theme"), "system")
        self.theme_combo.addItem(self.tr("Light", "the theme"), "light")
        self.theme_combo.addItem(self.tr("Dark", "the theme"), "dark")
        self.font_size_spin = _spin(
            SYSTEM_FONT_SIZE, 32, self.tr("System", "the font size"), self.tr("Font size")
        )
        self.font_size_spin.setSuffix(self.tr(" pt", "after the font size in points"))

        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(self.tr("Interface language"))
        system_language = LANGUAGE_NAMES[resolve_language("system")]
        self.language_combo.addItem(
            self.tr("System ({language})", "the interface language: the system's, named").format(
                language=system_language
            ),
            "system",
        )
        for value, name in LANGUAGE_NAMES.items():
            self.language_combo.addItem(name, value)
        self.language_hint = QLabel(self.tr("Restart gptdesk to change the language."))
        self.language_hint.setWordWrap(True)
        self.language_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.language_hint.setAccessibleName(self.tr("Language note"))
        self.language_hint.hide()

        look_box = QGroupBox(self.tr("Appearance"))
        look_form = QFormLayout(look_box)
        labels += [
            _row(look_form, self.tr("T&heme:"), self.theme_combo),
            _row(look_form, self.tr("&Font size:"), self.font_size_spin),
            _row(look_form, self.tr("&Language:"), self.language_combo),
        ]
        look_form.addRow(self.language_hint)

        # --- hub ------------------------------------------------------------------------
        self.endpoint_edit = QLineEdit()
        self.endpoint_edit.setAccessibleName(self.tr("Hub endpoint"))
        self.endpoint_edit.setPlaceholderText("https://huggingface.co")  # i18n: ignore
        self.endpoint_edit.setToolTip(self.tr("A Hugging Face mirror; empty uses huggingface.co."))
        self.endpoint_edit.setClearButtonEnabled(True)
        self.token_edit = QLineEdit()
        self.token_edit.setAccessibleName(self.tr("Hugging Face token"))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("Checking the keyring…"))
        self.token_status = QLabel(self.tr("Checking the keyring…"))
        self.token_status.setWordWrap(True)
        self.token_status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.token_status.setAccessibleName(self.tr("Token status"))
        self.remove_token_check = QCheckBox(self.tr("&Remove the saved token"))
        self.remove_token_check.setAccessibleName(self.tr("Remove the saved token"))
        self.remove_token_check.setEnabled(False)
        self.remove_token_check.toggled.connect(self.on_remove_token_check_toggled)
        token_column = QVBoxLayout()
        token_column.setContentsMargins(0, 0, 0, 0)
        token_column.addWidget(self.token_edit)
        token_column.addWidget(self.token_status)
        token_column.addWidget(self.remove_token_check)
        self.offline_check = QCheckBox(self.tr("Work &offline (never contact the Hub)"))
        self.offline_check.setAccessibleName(self.tr("Offline mode"))

        hub_box = QGroupBox("Hugging Face Hub")  # i18n: ignore (a name)
        hub_form = QFormLayout(hub_box)
        labels += [
            _row(hub_form, self.tr("Hub &endpoint:"), self.endpoint_edit),
            _row(hub_form, self.tr("Hugging Face to&ken:"), token_column, self.token_edit),
        ]
        hub_form.addRow(self.offline_check)

        # --- other apps (the API server) ----------------------------------------------------
        self.api_check = QCheckBox(self.tr("&Let other apps use the loaded model"))
        self.api_check.setAccessibleName(self.tr("Let other apps use the loaded model"))
        self.api_check.setToolTip(
            self.tr(
                "An OpenAI- and Ollama-compatible API for editors, scripts and chat front-ends. "
                "Their requests wait their turn with the window's."
            )
        )
        self.api_port_spin = _spin(1, 65535, None, self.tr("API port"))
        self.api_network_check = QCheckBox(
            self.tr("Also from other &computers on the network (they need the key)")
        )
        self.api_network_check.setAccessibleName(self.tr("Allow other computers"))
        self.api_address_edit = QLineEdit()
        self.api_address_edit.setReadOnly(True)
        self.api_address_edit.setAccessibleName(self.tr("API address"))
        self.copy_address_button = QPushButton(self.tr("Cop&y"))
        self.copy_address_button.setAccessibleName(self.tr("Copy the API address"))
        self.copy_address_button.clicked.connect(self.on_copy_address_button_clicked)
        address_row = QHBoxLayout()
        address_row.setContentsMargins(0, 0, 0, 0)
        address_row.addWidget(self.api_address_edit, 1)
        address_row.addWidget(self.copy_address_button)
        self.api_key_edit = QLineEdit()
        self.api_key_edit.setReadOnly(True)
        self.api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key_edit.setAccessibleName(self.tr("API key"))
        self.api_key_edit.setPlaceholderText(self.tr("Reading the keyring…"))
        self.copy_key_button = QPushButton(self.tr("Copy &key"))
        self.copy_key_button.setAccessibleName(self.tr("Copy the API key"))
        self.copy_key_button.setEnabled(False)
        self.copy_key_button.clicked.connect(self.on_copy_key_button_clicked)
        key_row = QHBoxLayout()
        key_row.setContentsMargins(0, 0, 0, 0)
        key_row.addWidget(self.api_key_edit, 1)
        key_row.addWidget(self.copy_key_button)
        self.api_hint = QLabel()
        self.api_hint.setWordWrap(True)
        self.api_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.api_hint.setAccessibleName(self.tr("API note"))

        api_box = QGroupBox(self.tr("Other apps"))
        api_form = QFormLayout(api_box)
        api_form.addRow(self.api_check)
        labels += [
            _row(api_form, self.tr("P&ort:"), self.api_port_spin),
            _row(api_form, self.tr("Address:"), address_row, self.api_address_edit),
            _row(api_form, self.tr("API key:"), key_row, self.api_key_edit),
        ]
        api_form.addRow(self.api_network_check)
        api_form.addRow(self.api_hint)
        for widget in (self.api_check, self.api_network_check):
            widget.toggled.connect(self._show_api_address)
        self.api_port_spin.valueChanged.connect(self._show_api_address)

        # --- servers (remote models) ---------------------------------------------------------
        self.servers_list = QListWidget()
        self.servers_list.setAccessibleName(self.tr("Servers"))
        self.servers_list.setMaximumHeight(self.fontMetrics().height() * 6)
        self.add_server_button = QPushButton(self.tr("A&dd server…"))
        self.add_server_button.setAccessibleName(self.tr("Add a server"))
        self.add_server_button.clicked.connect(self.on_add_server_button_clicked)
        self.remove_server_button = QPushButton(self.tr("Re&move"))
        self.remove_server_button.setAccessibleName(self.tr("Remove the server"))
        self.remove_server_button.clicked.connect(self.on_remove_server_button_clicked)
        self.servers_list.currentRowChanged.connect(
            lambda row: self.remove_server_button.setEnabled(row >= 0)
        )
        self.servers_hint = QLabel(
            self.tr(
                "Models on these servers appear in the model picker beside the installed ones. "
                "Servers are saved as you add or remove them."
            )
        )
        self.servers_hint.setWordWrap(True)
        self.servers_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        server_buttons = QVBoxLayout()
        server_buttons.addWidget(self.add_server_button)
        server_buttons.addWidget(self.remove_server_button)
        server_buttons.addStretch(1)
        servers_row = QHBoxLayout()
        servers_row.addWidget(self.servers_list, 1)
        servers_row.addLayout(server_buttons)
        servers_box = QGroupBox(self.tr("Servers"))
        servers_layout = QVBoxLayout(servers_box)
        servers_layout.addLayout(servers_row)
        servers_layout.addWidget(self.servers_hint)
        self.server_dialog: ServerDialog | None = None

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setAccessibleName(self.tr("Save settings"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Discard changes"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._prompts = prompts
        self.prompts_button: QPushButton | None = None
        self.prompts_dialog: PromptsDialog | None = None
        if prompts is not None:
            self.prompts_button = QPushButton(self.tr("&Prompt templates…"))
            self.prompts_button.setAccessibleName(self.tr("Edit prompt templates"))
            self.prompts_button.setToolTip(
                self.tr("The instructions the writing tasks give the model; edit or reset them")
            )
            self.prompts_button.clicked.connect(self.on_prompts_button_clicked)

        # one label column for the three forms, so their fields line up
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)

        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Settings pages"))
        general = QWidget()
        general_layout = QVBoxLayout(general)
        general_layout.addWidget(models_box)
        general_layout.addWidget(look_box)
        general_layout.addWidget(hub_box)
        general_layout.addStretch(1)
        self.connections_page = QWidget()
        self.connections_layout = QVBoxLayout(self.connections_page)
        self.connections_layout.addWidget(api_box)
        self.connections_layout.addWidget(servers_box)
        self.connections_layout.addStretch(1)
        self.tabs.addTab(general, self.tr("&General"))
        self.tabs.addTab(self.connections_page, self.tr("C&onnections"))
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        if self.prompts_button is not None:
            bottom.addWidget(self.prompts_button)
        bottom.addWidget(self.buttons, 1)
        layout.addLayout(bottom)

        self._focus_for: dict[str, QWidget] = {
            "models_dir": self.models_dir_edit,
            "default_model": self.default_model_combo,
            "n_ctx": self.n_ctx_spin,
            "threads": self.threads_spin,
            "gpu_layers": self.gpu_layers_spin,
            "theme": self.theme_combo,
            "font_size": self.font_size_spin,
            "language": self.language_combo,
            "hub_endpoint": self.endpoint_edit,
            "offline": self.offline_check,
            "api_server": self.api_check,
            "api_port": self.api_port_spin,
            "api_network": self.api_network_check,
        }
        self._show_settings(self._shown)
        self.language_combo.currentIndexChanged.connect(
            self.on_language_combo_current_index_changed
        )
        self._task_ids.append(
            self._tasks.submit(token_state, self._on_token_state, self._on_token_state_failed)
        )
        self._task_ids.append(
            self._tasks.submit(api_key, self._on_api_key, self._on_api_key_failed)
        )

    # ------------------------------------------------------------------ showing

    def _show_settings(self, s: Settings) -> None:
        self.models_dir_edit.setText(s.models_dir or "")
        index = self.default_model_combo.findData(s.default_model)
        if index < 0 and s.default_model is not None:  # chosen earlier, not installed now
            self.default_model_combo.addItem(
                self.tr("{model} (not installed)").format(model=s.default_model), s.default_model
            )
            index = self.default_model_combo.count() - 1
        self.default_model_combo.setCurrentIndex(max(index, 0))
        self.n_ctx_spin.setValue(s.n_ctx)
        self.threads_spin.setValue(AUTO_THREADS if s.threads is None else s.threads)
        self.gpu_layers_spin.setValue(AUTO_GPU_LAYERS if s.gpu_layers is None else s.gpu_layers)
        self.theme_combo.setCurrentIndex(max(self.theme_combo.findData(s.theme), 0))
        self.font_size_spin.setValue(SYSTEM_FONT_SIZE if s.font_size is None else s.font_size)
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(s.language), 0))
        self.endpoint_edit.setText(s.hub_endpoint or "")
        self.offline_check.setChecked(s.offline)
        self.api_check.setChecked(s.api_server)
        self.api_port_spin.setValue(s.api_port)
        self.api_network_check.setChecked(s.api_network)
        self._show_api_address()
        self._show_servers(s)

    def _show_servers(self, s: Settings) -> None:
        self.servers_list.clear()
        for entry in servers.entries(s.servers):
            item = QListWidgetItem(f"{entry.name} — {entry.url}")  # i18n: ignore
            item.setData(Qt.ItemDataRole.UserRole, entry.name)
            self.servers_list.addItem(item)
        self.remove_server_button.setEnabled(self.servers_list.currentRow() >= 0)

    @Slot()
    def on_add_server_button_clicked(self) -> None:
        taken = [e.name for e in servers.entries(self._store.settings.servers)]
        self.server_dialog = ServerDialog(taken, self._tasks, self)
        self.server_dialog.accepted.connect(self._on_server_added)
        self.server_dialog.open()

    @Slot()
    def _on_server_added(self) -> None:
        dialog = self.server_dialog
        if dialog is None or dialog.entry is None:
            return
        current = list(self._store.settings.servers)
        self._save_servers([*current, dialog.entry.as_setting()])

    @Slot()
    def on_remove_server_button_clicked(self) -> None:
        item = self.servers_list.currentItem()
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        kept = [e for e in self._store.settings.servers if e.get("name") != name]
        if self._save_servers(kept):
            self._task_ids.append(
                self._tasks.submit(lambda: servers.set_key(name, None), lambda _ok: None)
            )

    def _save_servers(self, value: list[dict[str, str]]) -> bool:
        try:
            self._store.update(servers=value)
        except (ValueError, GptdeskError) as exc:
            self.show_error(str(exc))
            return False
        self._show_servers(self._store.settings)
        return True

    @Slot()
    def _show_api_address(self) -> None:
        """The address other apps use, and what they need, for what the dialog shows now."""
        on = self.api_check.isChecked()
        network = self.api_network_check.isChecked()
        port = self.api_port_spin.value()
        host = socket.gethostname() if network else "127.0.0.1"
        self.api_address_edit.setText(f"http://{host}:{port}/v1")  # i18n: ignore (a URL)
        for widget in (self.api_port_spin, self.api_network_check, self.api_address_edit):
            widget.setEnabled(on)
        self.copy_address_button.setEnabled(on)
        self.api_key_edit.setEnabled(on and network)
        self.copy_key_button.setEnabled(on and network and bool(self.api_key_edit.text()))
        if not on:
            self.api_hint.setText(self.tr("Off: no other program can use gptdesk's model."))
        elif network:
            self.api_hint.setText(
                self.tr(
                    "Other computers connect with the key as 'Authorization: Bearer KEY'. "
                    "Ollama clients use the address without /v1."
                )
            )
        else:
            self.api_hint.setText(
                self.tr(
                    "Only programs on this computer can connect; no key is needed. Ollama "
                    "clients use the address without /v1."
                )
            )

    def _on_api_key(self, key: str) -> None:
        self.api_key_edit.setText(key)
        self.api_key_edit.setPlaceholderText("")
        self._show_api_address()

    def _on_api_key_failed(self, exc: Exception) -> None:
        log.warning("could not read the API key: %s", type(exc).__name__)
        self.api_key_edit.setPlaceholderText(self.tr("No key: the keyring cannot be read"))

    @Slot()
    def on_copy_address_button_clicked(self) -> None:
        QApplication.clipboard().setText(self.api_address_edit.text())

    @Slot()
    def on_copy_key_button_clicked(self) -> None:
        QApplication.clipboard().setText(self.api_key_edit.text())

    def _on_token_state(self, state: TokenState) -> None:
        self._token_state = state
        saved = state == "saved"
        self.remove_token_check.setEnabled(saved)
        self.token_edit.setEnabled(state != "unavailable")
        if state == "unavailable":
            self.token_status.setText(_translated(NO_KEYRING))
            self.token_edit.setPlaceholderText(self.tr("No keyring available"))
        elif state == "environment":
            self.token_status.setText(
                self.tr("HF_TOKEN is set in the environment and is used instead of a saved token.")
            )
            self.token_edit.setPlaceholderText(self.tr("Type a token to save it in the keyring"))
        elif saved:
            self.token_status.setText(self.tr("A token is saved in the system keyring."))
            self.token_edit.setPlaceholderText(self.tr("Type a new token to replace the saved one"))
        else:
            self.token_status.setText(
                self.tr("No token saved. Only needed for gated or private models.")
            )
            self.token_edit.setPlaceholderText("hf_…")  # i18n: ignore (what a token looks like)

        self._fit_height()

    def _on_token_state_failed(self, exc: Exception) -> None:
        log.warning("could not ask the keyring for the token: %s", type(exc).__name__)
        self._on_token_state("unavailable")

    # ------------------------------------------------------------------ editing

    @Slot()
    def on_browse_button_clicked(self) -> None:
        typed = self.models_dir_edit.text().strip()
        start = os.path.expanduser(typed) if typed else str(self._default_models_dir or "")
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose the models folder"), start)
        if chosen:
            self.models_dir_edit.setText(chosen)

    @Slot()
    def on_prompts_button_clicked(self) -> None:
        """Open the prompt templates editor (saved template by template, not by OK)."""
        if self._prompts is None:
            return
        if self.prompts_dialog is None:
            self.prompts_dialog = PromptsDialog(self._prompts, self)
        self.prompts_dialog.open()

    @Slot(int)
    def on_language_combo_current_index_changed(self, _index: int) -> None:
        """A language other than the saved one: say that it takes a restart."""
        changed = self.language_combo.currentData() != self._shown.language
        if changed != self.language_hint.isVisibleTo(self):
            self.language_hint.setVisible(changed)
            self._fit_height()

    @Slot(bool)
    def on_remove_token_check_toggled(self, checked: bool) -> None:
        self.token_edit.setEnabled(not checked)

    def changes(self) -> dict[str, Any]:
        """The settings whose value in the dialog differs from what it was opened with."""
        for spin in (self.n_ctx_spin, self.threads_spin, self.gpu_layers_spin):
            spin.interpretText()
        self.font_size_spin.interpretText()
        threads = self.threads_spin.value()
        gpu_layers = self.gpu_layers_spin.value()
        font_size = self.font_size_spin.value()
        values: dict[str, Any] = {
            "models_dir": self.models_dir_edit.text().strip() or None,
            "default_model": self.default_model_combo.currentData(),
            "n_ctx": self.n_ctx_spin.value(),
            "threads": None if threads == AUTO_THREADS else threads,
            "gpu_layers": None if gpu_layers == AUTO_GPU_LAYERS else gpu_layers,
            "theme": self.theme_combo.currentData(),
            "font_size": None if font_size == SYSTEM_FONT_SIZE else font_size,
            "language": self.language_combo.currentData(),
            "hub_endpoint": self.endpoint_edit.text().strip() or None,
            "offline": self.offline_check.isChecked(),
            "api_server": self.api_check.isChecked(),
            "api_port": self.api_port_spin.value(),
            "api_network": self.api_network_check.isChecked(),
        }
        return {k: v for k, v in values.items() if getattr(self._shown, k) != v}

    def _token_change(self) -> tuple[bool, str | None]:
        """(whether the keyring must change, the new token or None to delete it)."""
        if self.remove_token_check.isChecked():
            return True, None
        token = self.token_edit.text().strip()
        return (True, token) if token else (False, None)

    def _check(self, changes: dict[str, Any]) -> tuple[str, str] | None:
        """The first problem as (key, message), or None when everything can be saved."""
        folder = changes.get("models_dir")
        if folder is not None and not Path(folder).expanduser().is_absolute():
            return "models_dir", self.tr(
                "The models folder “{folder}” is not a full path. Choose a folder with "
                "Browse…, or leave the field empty for the default folder."
            ).format(folder=folder)
        for key, value in changes.items():
            try:
                validate(key, value)
            except (TypeError, ValueError) as exc:
                return key, str(exc)
        return None

    # ------------------------------------------------------------------ OK / Cancel

    def accept(self) -> None:
        """Validate; save a changed token; then apply the settings in one update and close."""
        changes = self.changes()
        problem = self._check(changes)
        if problem is not None:
            key, message = problem
            self.show_error(message)
            self._focus_for[key].setFocus()
            return
        token_changed, token = self._token_change()
        if token_changed and self._token_state == "unavailable":
            self.show_error(_translated(NO_KEYRING))
            self.token_edit.setFocus()
            return
        if not token_changed:
            self._apply(changes)
            return
        self._pending = changes
        self._set_busy(True)
        self.token_status.setText(self.tr("Saving the token…"))
        setter = self._set_token
        self._task_ids.append(
            self._tasks.submit(lambda: setter(token), self._on_token_saved, self._on_token_failed)
        )

    def _on_token_saved(self, ok: bool) -> None:
        self._set_busy(False)
        if not ok:
            self._on_token_state("unavailable")
            self.show_error(_translated(NO_KEYRING))
            self.token_edit.setFocus()
            return
        removed = self.remove_token_check.isChecked()
        self.token_edit.clear()
        self.remove_token_check.setChecked(False)
        self._on_token_state("none" if removed else "saved")
        self._apply(self._pending)

    def _on_token_failed(self, exc: Exception) -> None:
        log.warning("saving the token failed: %s", type(exc).__name__)
        self._set_busy(False)
        self.show_error(
            self.tr(
                "The token could not be saved in the system keyring ({error}). "
                "Try again, or set the HF_TOKEN environment variable instead."
            ).format(error=type(exc).__name__)
        )

    def _apply(self, changes: dict[str, Any]) -> None:
        if changes:
            try:
                self._store.update(**changes)
            except (ValueError, GptdeskError) as exc:
                self.show_error(str(exc))
                return
        super().accept()

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)

    def show_error(self, message: str) -> None:
        """Show ``message`` at the top of the dialog (what went wrong and what to do)."""
        app = QApplication.instance()
        dark = isinstance(app, QApplication) and is_dark(app)
        colour = "#ff9b94" if dark else "#a4161a"  # 4.5:1 or more on the window colour
        palette = self.error_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
        self.error_label.setPalette(palette)
        self.error_label.setText(message)
        self.error_label.show()
        self._fit_height()

    def _fit_height(self) -> None:
        """Make room for wrapped text: Qt sizes a window by its labels' one-line height."""
        self._layout.activate()
        needed = self._layout.totalHeightForWidth(self.minimumWidth())  # the narrowest needs most
        self.setMinimumHeight(needed)
        if self.height() < needed:
            self.resize(self.width(), needed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._fit_height()

    def done(self, result: int) -> None:
        """Closing (OK, Cancel, Escape): results of keyring calls still running are dropped."""
        if self._own_tasks:
            self._tasks.shutdown()
        else:
            for task_id in self._task_ids:
                self._tasks.discard(task_id)
        super().done(result)
