"""The main window (composition root): navigation rail, item list, panes, top bar, status line.

It builds the panes and dialogs, hands each only the services it uses, and wires them together
in ``_connect_signals``. Nothing here blocks: model loading is on the engine thread, library
scans and Hub calls go through ``BackgroundTasks``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import psutil
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QCoreApplication,
    QMimeData,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gptdesk import __version__
from gptdesk.core.chat.presets import Presets
from gptdesk.core.errors import GptdeskError
from gptdesk.core.inference import crashes
from gptdesk.core.inference.backend import (
    BackendFactory,
    GenerationStats,
    LoadOptions,
    ModelStatus,
)
from gptdesk.core.inference.gguf_file import read_gguf
from gptdesk.core.inference.remote import RemoteBackend, RemoteModelStatus, list_models
from gptdesk.core.models import servers
from gptdesk.core.models.catalog import CatalogEntry
from gptdesk.core.models.library import Library, ModelEntry
from gptdesk.core.storage import secrets
from gptdesk.core.storage.secrets import get_token
from gptdesk.core.storage.settings import SettingsStore
from gptdesk.core.storage.store import Conversation, Store, export_conversation, import_conversation
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.ui.chat.chat_pane import ChatPane
from gptdesk.ui.documents.documents_pane import DocumentsPane
from gptdesk.ui.engine.api_service import ApiService
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.models.welcome import WelcomePage
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.window.item_list import ConversationSource, DocumentSource, ItemList, ItemSource
from gptdesk.ui.window.settings_dialog import SettingsDialog
from gptdesk.ui.writing.email_pane import EmailPane
from gptdesk.ui.writing.story_pane import StoryPane
from gptdesk.ui.writing.summarize_pane import SummarizePane
from gptdesk.ui.writing.translate_pane import TranslatePane
from gptdesk.ui.writing.writing_pane import WritingPane

if TYPE_CHECKING:  # imported when first used: the Hub client and downloads cost ~0.25 s
    from gptdesk.ui.models.downloads_qt import DownloadsController
    from gptdesk.ui.models.model_manager import ModelManagerWindow

log = logging.getLogger(__name__)

GET_MORE = "get-more-models"
MODE_NAMES = ("Chat", "Summarize", "Write", "Email", "Translate", "Documents")  # shown: ModeTexts
# The writing modes: rail name, pane class, document kind, noun (for the list's messages).
WRITING_MODES: tuple[tuple[str, type[WritingPane], str, str], ...] = (
    ("Summarize", SummarizePane, "summary", "summary"),
    ("Write", StoryPane, "story", "story"),
    ("Email", EmailPane, "email", "email"),
    ("Translate", TranslatePane, "translation", "translation"),
)
EXPORT_FILTERS = {  # shown translated: export_filters()
    "md": QT_TRANSLATE_NOOP("main_window", "Markdown (*.md)"),
    "json": QT_TRANSLATE_NOOP("main_window", "JSON, for importing again (*.json)"),
    "txt": QT_TRANSLATE_NOOP("main_window", "Plain text (*.txt)"),
}
MAX_IMPORT_BYTES = 50 * 1024 * 1024


def export_filters() -> dict[str, str]:
    """The export formats' file dialog filters, in the interface language."""
    return {k: QCoreApplication.translate("main_window", v) for k, v in EXPORT_FILTERS.items()}


class ModeTexts(NamedTuple):
    """What a mode is called in the rail, menus and its item list."""

    title: str  # "Chat", "Summarize", ...
    new_label: str  # "New chat", "New summary", ...
    list_name: str  # the list's accessible name: "Conversations", "Summaries", ...
    empty_text: str  # shown when the list is empty


@dataclass
class Mode:
    """One entry of the navigation rail: its pane and the items the side list shows."""

    name: str
    pane: QWidget
    source: ItemSource | None  # None: the mode has no item list (Documents)
    new_label: str  # "New chat", "New summary", ...
    list_name: str  # the list's accessible name: "Conversations", "Summaries", ...
    empty_text: str  # shown when the list is empty
    open_item: Callable[[int | None], None]  # show an item (None: a new, empty one)
    current_item: Callable[[], int | None]
    stop: Callable[[], None]


@dataclass
class Services:
    """What the window needs; built by ``app.run_app`` (or a test) and passed in whole, so the
    window is the one place that decides which pane gets which service."""

    controller: EngineController
    store: Store
    settings: SettingsStore
    library: Library
    tasks: BackgroundTasks
    presets: Presets
    catalog: list[CatalogEntry] = field(default_factory=list)
    scan_external: bool = True  # also list models of the HF cache, LM Studio, GPT4All
    starter: ModelEntry | None = None  # the built-in model, offered on the welcome page
    default_models_dir: Path | None = None  # the models folder when the setting is empty
    token: Callable[[], str | None] = get_token  # the Hub token (keyring: may be slow)
    prompts: PromptTemplates | None = None  # the writing panes' templates (None: defaults)
    downloads: DownloadsController | None = None  # made on first use, kept for the session
    documents_file: Path | None = None  # the document index (None: next to the store's file)

    def models_dir(self) -> Path:
        return self.library.models_dir

    def shutdown(self) -> None:
        """Stop the engine thread and downloads (partial files are kept) and close files."""
        self.controller.shutdown()
        if self.downloads is not None:
            self.downloads.close()
        self.tasks.shutdown()
        self.store.close()
        self.settings.close()
        if self.prompts is not None:
            self.prompts.close()


def _is_embedder(path: Path) -> bool:
    """The file's header says it makes embeddings (a damaged one is left to the picker)."""
    try:
        return read_gguf(path).is_embedder
    except Exception:  # the picker and the engine say what is wrong with it
        return False


class MainWindow(QMainWindow):
    """Builds the widgets and wires them in ``_connect_signals``."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.controller = services.controller
        self.settings = services.settings
        self._models: list[ModelEntry] = []
        self._crashed: dict[str, str] = {}  # model path -> why it crashed the engine
        self._fallback_key: str | None = None
        self._remote_models: list[tuple[str, str, str]] = []  # (key, label, tooltip)
        self._remote_failures: dict[str, str] = {}  # server name -> why it is not listed
        self._servers_task: int | None = None
        self._loaded: ModelStatus | None = None
        self._loading_path: str | None = None
        self._scan_task: int | None = None
        self._model_manager: ModelManagerWindow | None = None
        self._manager_waiters: list[Callable[[ModelManagerWindow], None]] = []
        self._token_task: int | None = None
        self._scanned_once = False
        self.mode_texts = self._mode_texts()

        self.setWindowTitle("gptdesk")
        self.setAccessibleName("gptdesk")
        self.setAcceptDrops(True)
        self.message_bar = MessageBar()

        # --- top bar
        self.model_picker = QComboBox()
        self.model_picker.setAccessibleName(self.tr("Model"))
        self.model_picker.setToolTip(self.tr("The model that answers (installed on this computer)"))
        self.model_picker.setMinimumContentsLength(16)
        self.model_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.model_picker.addItem(self.tr("Looking for models…"), None)
        self.model_picker.setEnabled(False)
        self.load_progress = QProgressBar()
        self.load_progress.setRange(0, 100)
        self.load_progress.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 10)
        self.load_progress.setAccessibleName(self.tr("Model loading progress"))
        self.load_progress.hide()
        self.backend_chip = QLabel(self.tr("No model loaded"))
        self.backend_chip.setAccessibleName(self.tr("Backend"))
        self.backend_chip.setToolTip(self.tr("Where the model runs"))
        self.context_meter = QProgressBar()
        self.context_meter.setAccessibleName(self.tr("Context used"))
        self.context_meter.setToolTip(
            self.tr("How much of the model's context window this conversation uses")
        )
        meter_format = self.tr("%v / %m tokens")
        self.context_meter.setFormat(meter_format)
        self.context_meter.setRange(0, 1)
        self.context_meter.setValue(0)
        widest = meter_format.replace("%v", "32768").replace("%m", "32768")
        self.context_meter.setFixedWidth(self.fontMetrics().horizontalAdvance(widest) + 12)
        self.models_button = QToolButton()
        self.models_button.setText(self.tr("Models…"))
        self.models_button.setAccessibleName(self.tr("Open the model manager"))
        self.settings_button = QToolButton()
        self.settings_button.setText(self.tr("Settings…"))
        self.settings_button.setAccessibleName(self.tr("Open settings"))
        self.settings_button.setToolTip(self.tr("Settings (Ctrl+,)"))
        top = QHBoxLayout()
        model_label = QLabel(self.tr("&Model:"))
        model_label.setBuddy(self.model_picker)
        top.addWidget(model_label)
        top.addWidget(self.model_picker)
        top.addWidget(self.load_progress)
        top.addWidget(self.backend_chip)
        top.addStretch(1)
        top.addWidget(self.context_meter)
        top.addWidget(self.models_button)
        top.addWidget(self.settings_button)

        # --- navigation rail: one button per mode, enabled when its pane is added
        self.rail = QWidget()
        self.rail.setAccessibleName(self.tr("Modes"))
        rail_layout = QVBoxLayout(self.rail)
        rail_layout.setContentsMargins(4, 4, 4, 4)
        self.mode_buttons = QButtonGroup(self)
        self.mode_buttons.setExclusive(True)
        widest = max(
            self.fontMetrics().horizontalAdvance(t.title) for t in self.mode_texts.values()
        )
        for index, name in enumerate(MODE_NAMES):
            title = self.mode_texts[name].title
            button = QToolButton()
            button.setText(title)
            button.setCheckable(True)
            button.setAccessibleName(self.tr("{mode} mode").format(mode=title))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumWidth(widest + 24)
            button.setEnabled(False)  # until its pane is added (add_mode)
            self.mode_buttons.addButton(button, index)
            rail_layout.addWidget(button)
        rail_layout.addStretch(1)

        # --- item list, panes
        self.item_list = ItemList()
        self.stack = QStackedWidget()
        self.modes: dict[str, Mode] = {}
        self.chat_pane = ChatPane(
            self.controller, services.store, services.presets, self.message_bar
        )
        texts = self.mode_texts["Chat"]
        self.add_mode(
            Mode(
                "Chat",
                self.chat_pane,
                ConversationSource(services.store),
                texts.new_label,
                texts.list_name,
                texts.empty_text,
                self.chat_pane.open_conversation,
                lambda: self.chat_pane.conversation_id,
                self.chat_pane.stop,
            )
        )
        self._mode = self.modes["Chat"]
        prompts = services.prompts or PromptTemplates(None)
        self._writing_panes: list[WritingPane] = []
        for name, pane_class, kind, noun in WRITING_MODES:
            pane = pane_class(
                self.controller, services.store, prompts, self.message_bar, services.tasks
            )
            self._add_writing_mode(name, pane, kind, noun)
        documents_file = services.documents_file or Path(services.store.path).with_name(
            "documents.sqlite3"  # DataPaths.documents_file for the store's folder
        )
        self.documents_pane = DocumentsPane(
            self.controller, services.tasks, self.message_bar, documents_file, prompts
        )
        texts = self.mode_texts["Documents"]
        self.add_mode(
            Mode(
                "Documents",
                self.documents_pane,
                None,
                texts.new_label,
                texts.list_name,
                texts.empty_text,
                lambda _item: self.documents_pane.new_question(),
                lambda: None,
                self.documents_pane.stop,
            )
        )
        self.welcome = WelcomePage(
            services.catalog, psutil.virtual_memory().available, services.starter
        )
        self.stack.addWidget(self.welcome)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.message_bar)
        content_layout.addWidget(self.stack, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.item_list)
        self.splitter.addWidget(content)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([240, 760])

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.rail)
        body.addWidget(self.splitter, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(self.tr("Ready"))
        self.read_only_chip = QLabel(self.tr("Read-only"))
        self.read_only_chip.setAccessibleName(self.tr("Read-only: nothing is saved"))
        self.statusBar().addPermanentWidget(self.read_only_chip)
        self.read_only_chip.hide()
        self.api = ApiService(self.controller, self)
        self.api_chip = QLabel()
        self.api_chip.setAccessibleName(self.tr("API server"))
        self.statusBar().addPermanentWidget(self.api_chip)
        self.api_chip.hide()
        self._api_restart_due = False

        self._connect_signals()
        self.switch_mode("Chat")
        self._restore_state()
        self._show_read_only()
        self._apply_api_settings()

    # ------------------------------------------------------------------ API server

    def _apply_api_settings(self) -> None:
        """Start, restart or stop the API server as the settings say (once per change of
        several settings: coalesced)."""
        if self._api_restart_due:
            return
        self._api_restart_due = True
        QTimer.singleShot(0, self._restart_api)

    def _restart_api(self) -> None:
        self._api_restart_due = False
        s = self.settings.settings
        if not s.api_server:
            self.api.stop()
            return
        if not s.api_network:
            self.api.start(self._loaded, port=s.api_port, network=False, key=None)
            return
        # The key comes from the keyring, which can be slow: off the GUI thread.
        self.services.tasks.submit(
            secrets.api_key,
            lambda key: self._start_api_with_key(key, s.api_port),
            lambda exc: self.message_bar.show_error(
                self.tr("The API server needs a key, but the keyring failed: {error}").format(
                    error=exc
                )
            ),
        )

    def _start_api_with_key(self, key: str, port: int) -> None:
        s = self.settings.settings
        if s.api_server and s.api_network and s.api_port == port:  # still what is wanted
            self.api.start(self._loaded, port=port, network=True, key=key)

    def on_api_started(self, url: str) -> None:
        self._show_api_chip()
        self.statusBar().showMessage(
            self.tr("Other apps can use the loaded model at {url}/v1").format(url=url), 8000
        )

    def on_api_failed(self, message: str) -> None:
        self.api_chip.hide()
        self.message_bar.show_error(
            self.tr("The API server did not start: {error}").format(error=message)
        )

    def on_api_stopped(self) -> None:
        self.api_chip.hide()

    def _show_api_chip(self, queued: int | None = None) -> None:
        """The chip says the server is on and how many requests (the window's and other
        apps') are running or waiting."""
        url = self.api.url
        if url is None:
            self.api_chip.hide()
            return
        n = self.api.runner.queue_length() if queued is None else queued
        port = url.rsplit(":", 1)[-1]
        text = self.tr("API :{port}").format(port=port)
        if n:
            text += " · " + self.tr("{n} queued", "requests waiting or running").format(n=n)
        self.api_chip.setText(text)
        self.api_chip.setToolTip(
            self.tr("Other apps can use the loaded model at {url}/v1").format(url=url)
        )
        self.api_chip.show()

    def _show_read_only(self) -> None:
        """A data folder that cannot be written is opened read-only: say so, and keep saying
        it (the chip in the status line stays when the message is dismissed)."""
        refusal = self.services.store.refusal or getattr(self.settings, "refusal", None)
        if refusal is None:
            return
        text = self.tr(
            "gptdesk opened your conversations and documents read-only, so nothing new is "
            "saved. {reason}"
        ).format(reason=refusal)
        self.read_only_chip.setToolTip(text)
        self.read_only_chip.show()
        self.message_bar.show_error(text)

    def _mode_texts(self) -> dict[str, ModeTexts]:
        return {
            "Chat": ModeTexts(
                self.tr("Chat"),
                self.tr("New chat"),
                self.tr("Conversations"),
                self.tr("No conversations yet"),
            ),
            "Summarize": ModeTexts(
                self.tr("Summarize"),
                self.tr("New summary"),
                self.tr("Summaries"),
                self.tr("No summaries yet"),
            ),
            "Write": ModeTexts(
                self.tr("Write"),
                self.tr("New story"),
                self.tr("Stories"),
                self.tr("No stories yet"),
            ),
            "Email": ModeTexts(
                self.tr("Email"), self.tr("New email"), self.tr("Emails"), self.tr("No emails yet")
            ),
            "Translate": ModeTexts(
                self.tr("Translate"),
                self.tr("New translation"),
                self.tr("Translations"),
                self.tr("No translations yet"),
            ),
            "Documents": ModeTexts(
                self.tr("Documents"),
                self.tr("New question"),
                self.tr("Documents"),
                self.tr("No documents yet"),
            ),
        }

    # ------------------------------------------------------------------ wiring

    def _connect_signals(self) -> None:
        c = self.controller
        c.load_progress.connect(self.on_controller_load_progress)
        c.loaded.connect(self.on_controller_loaded)
        c.load_failed.connect(self.on_controller_load_failed)
        self.model_picker.activated.connect(self.on_model_picker_activated)
        self.models_button.clicked.connect(self.open_model_manager)
        self.settings_button.clicked.connect(self.open_settings)
        self.mode_buttons.idClicked.connect(self.on_mode_buttons_id_clicked)
        self.item_list.item_selected.connect(self.on_item_list_item_selected)
        self.item_list.new_requested.connect(self.new_item)
        self.item_list.item_deleted.connect(self.on_item_list_item_deleted)
        self.item_list.failed.connect(self.message_bar.show_error)
        self.chat_pane.conversation_changed.connect(self.on_chat_pane_conversation_changed)
        self.chat_pane.context_usage_changed.connect(self.on_chat_pane_context_usage_changed)
        self.chat_pane.reply_finished.connect(self.on_chat_pane_reply_finished)
        self.chat_pane.busy_changed.connect(self.on_chat_pane_busy_changed)
        self.documents_pane.busy_changed.connect(self.on_chat_pane_busy_changed)
        self.documents_pane.embedder_chosen.connect(
            lambda path: self._save_setting(embedder=path)
        )
        self.welcome.start_requested.connect(self.on_welcome_start_requested)
        self.welcome.download_requested.connect(self.on_welcome_download_requested)
        self.welcome.browse_requested.connect(self.open_model_manager)
        self.settings.on_changed(self.on_setting_changed)
        self.api.started.connect(self.on_api_started)
        self.api.failed.connect(self.on_api_failed)
        self.api.stopped.connect(self.on_api_stopped)
        self.controller.queue_changed.connect(lambda n: self._show_api_chip(n))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.stop)
        self._build_menus()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.new_action = file_menu.addAction(self.tr("&New"), self.new_item)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        file_menu.addSeparator()
        self.import_action = file_menu.addAction(self.tr("&Import conversation…"), self.import_chat)
        self.export_action = file_menu.addAction(self.tr("&Export conversation…"), self.export_chat)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        file_menu.addSeparator()
        self.settings_action = file_menu.addAction(self.tr("&Settings…"), self.open_settings)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(self.settings_action.MenuRole.PreferencesRole)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("&Quit"), self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        edit_menu = bar.addMenu(self.tr("&Edit"))
        self.find_action = edit_menu.addAction(self.tr("&Find"), self.item_list.focus_search)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.stop_action = edit_menu.addAction(self.tr("S&top generating"), self.stop)
        self.stop_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.stop_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # Esc: above
        view_menu = bar.addMenu(self.tr("&View"))
        self.mode_actions: dict[str, QAction] = {}
        for index, name in enumerate(MODE_NAMES):
            title = self.mode_texts[name].title
            action = view_menu.addAction(title, lambda n=name: self.on_mode_action(n))
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.setEnabled(name in self.modes)
            self.mode_actions[name] = action
        models_menu = bar.addMenu(self.tr("&Models"))
        models_menu.addAction(self.tr("&Manage models…"), self.open_model_manager)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&Keyboard shortcuts"), self.show_shortcuts)
        help_menu.addAction(self.tr("&About gptdesk"), self.show_about)

    # ------------------------------------------------------------------ export, import

    @Slot()
    def export_chat(self) -> None:
        conversation_id = self.chat_pane.conversation_id
        if conversation_id is None:
            self.message_bar.show_info(
                self.tr("There is nothing to export yet: write a message first.")
            )
            return
        title = self.services.store.conversation(conversation_id).title
        safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title).strip()
        filters = export_filters()
        default_name = self.tr("conversation", "the exported file's name when the title has none")
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export conversation"),
            str(Path.home() / f"{safe or default_name}.md"),
            ";;".join(filters.values()),
        )
        if path:
            fmt = next((k for k, v in filters.items() if v == chosen), None)
            self.export_chat_to(Path(path), fmt or Path(path).suffix.lstrip(".") or "md")

    def export_chat_to(self, path: Path, fmt: str) -> None:
        """Write the open conversation as ``fmt`` (md, json, txt) to ``path`` in the background."""
        conversation_id = self.chat_pane.conversation_id
        if conversation_id is None:
            return
        if fmt not in EXPORT_FILTERS:
            self.message_bar.show_error(
                self.tr("Unknown export format {format}: use md, json or txt.").format(
                    format=repr(fmt)
                )
            )
            return
        text = export_conversation(self.services.store, conversation_id, fmt)

        def write() -> Path:
            tmp = path.with_name(path.name + ".part")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
            return path

        self.services.tasks.submit(
            write,
            lambda p: self.statusBar().showMessage(self.tr("Exported to {path}").format(path=p)),
            lambda e: self.message_bar.show_error(
                self.tr(
                    "The conversation could not be saved to {path}: {error}. Choose another folder."
                ).format(path=path, error=e)
            ),
        )

    @Slot()
    def import_chat(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import conversation"),
            str(Path.home()),
            self.tr("Conversations (*.json)"),
        )
        if path:
            self.import_chat_from(Path(path))

    def import_chat_from(self, path: Path) -> None:
        """Read a conversation file in the background, then add it and open it."""
        too_big = self.tr("the file is larger than 50 MB; is it a conversation?")

        database = self.services.store.path

        def read_and_add() -> Conversation | GptdeskError:
            """Off the GUI thread, with this thread's own connection (a big file takes a
            while to parse and insert)."""
            if path.stat().st_size > MAX_IMPORT_BYTES:
                raise ValueError(too_big)
            text = path.read_text(encoding="utf-8")
            store = Store(database)
            try:
                return import_conversation(store, text)
            except GptdeskError as exc:
                return exc
            finally:
                store.close()

        def add(result: Conversation | GptdeskError) -> None:
            if isinstance(result, GptdeskError):
                self.message_bar.show_error(
                    self.tr("{name} could not be imported: {error}").format(
                        name=path.name, error=result
                    )
                )
                return
            self.on_mode_action("Chat")
            self.chat_pane.open_conversation(result.id)
            self.item_list.refresh()
            self.item_list.select(result.id)
            self.statusBar().showMessage(self.tr("Imported “{title}”").format(title=result.title))

        self.services.tasks.submit(
            read_and_add,
            add,
            lambda e: self.message_bar.show_error(
                self.tr("{path} could not be read: {error}").format(path=path, error=e)
            ),
        )

    @Slot()
    def show_shortcuts(self) -> None:
        QMessageBox.information(
            self,
            self.tr("Keyboard shortcuts"),
            self.tr(
                "Enter: send · Shift+Enter: new line · Esc: stop generating\n"
                "Ctrl+1…6: Chat, Summarize, Write, Email, Translate, Documents\n"
                "Ctrl+N: new item of this mode · Ctrl+F: find in the list · Ctrl+E: export chat\n"
                "Ctrl+,: settings · F2: rename the selected item · Delete: delete it\n"
                "Tab / Shift+Tab: move between controls and message actions"
            ),
        )

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About gptdesk"),
            self.tr(
                "gptdesk {version}\n\nA local AI writing desk. Models run on this computer; "
                "your conversations stay in its database and are never sent anywhere."
            ).format(version=__version__),
        )

    def _restore_state(self) -> None:
        s = self.settings.settings
        if s.window_geometry:
            self.restoreGeometry(QByteArray.fromHex(s.window_geometry.encode("ascii")))
        else:
            self.resize(1100, 720)
        last = s.last_conversation
        if last is not None and not any(c.id == last for c in self.services.store.conversations()):
            last = None
        if last is None:
            recent = self.services.store.conversations()
            last = recent[0].id if recent else None
        self.chat_pane.open_conversation(last)
        self.item_list.select(last)
        if not s.welcome_done:
            self.show_welcome(True)

    # ------------------------------------------------------------------ models

    def load_options(self) -> LoadOptions:
        s = self.settings.settings
        return LoadOptions(n_ctx=s.n_ctx, n_threads=s.threads, n_gpu_layers=s.gpu_layers)

    def scan_models(self) -> None:
        """List installed models in the background, then fill the picker (and load one)."""
        if self._scan_task is not None:
            self.services.tasks.discard(self._scan_task)
        folder = self.services.library.models_dir
        external = self.services.scan_external

        def scan() -> tuple[list[ModelEntry], dict[str, str], list[ModelEntry]]:
            found = Library(folder, include_external=external).models()
            crashed = {str(m.path): why for m in found if (why := crashes.reason(m.path))}
            embedders = [m for m in found if _is_embedder(m.path)]
            models = [m for m in found if m not in embedders]  # they cannot chat
            return models, crashed, embedders

        self._scan_task = self.services.tasks.submit(scan, self.on_scan_done, self.on_scan_failed)

    def on_scan_done(
        self, result: tuple[list[ModelEntry], dict[str, str], list[ModelEntry]]
    ) -> None:
        self._scan_task = None
        models, self._crashed, embedders = result
        self._models = models
        self.documents_pane.set_embedders(
            [(m.name, m.path) for m in embedders], self.settings.settings.embedder
        )
        current = self._current_key()
        self._fill_picker(current)
        first = not self._scanned_once
        self._scanned_once = True
        if first:
            self.scan_servers()
        if not models:
            self.message_bar.show_error(
                self.tr(
                    "No model is installed, not even the built-in one. Open Models… to download "
                    "one, or reinstall gptdesk to get the built-in model back."
                )
            )
            return
        if any(not m.builtin for m in models) and not self.settings.settings.welcome_done:
            self._save_setting(welcome_done=True)  # not a first run: models are here
            self.show_welcome(False)
        if first and current is None:
            s = self.settings.settings
            remote = servers.parse_model_key(s.last_model or "")
            known = {e.name for e in servers.entries(s.servers)}
            if s.default_model is None and remote is not None and remote[0] in known:
                self.load_key(s.last_model or "")  # the server model used last
                return
            choice = self._default_model()
            if choice is not None:
                self.load_model(choice.path)

    def on_scan_failed(self, exc: Exception) -> None:
        self._scan_task = None
        log.error("scanning for models failed", exc_info=exc)
        self.message_bar.show_error(
            self.tr("Looking for installed models failed: {error}").format(error=exc)
        )

    def _default_model(self) -> ModelEntry | None:
        s = self.settings.settings
        usable = [m for m in self._models if str(m.path) not in self._crashed]
        for wanted in (s.default_model, s.last_model):
            for entry in usable:
                if wanted and (str(entry.path) == wanted or entry.name == wanted):
                    return entry
        return usable[0] if usable else None  # one that crashed the engine is never loaded unasked

    def _fill_picker(self, current: str | None) -> None:
        picker = self.model_picker
        picker.blockSignals(True)
        picker.clear()
        for entry in self._models:
            crashed = self._crashed.get(str(entry.path))
            if crashed is None:
                picker.addItem(entry.name, str(entry.path))
                tip = str(entry.path)
            else:  # marked, and still there: the user may try it again (a new llama.cpp...)
                label = self.tr("{name} (crashed)").format(name=entry.name)
                picker.addItem(label, str(entry.path))
                tip = self.tr("{path}\nIt crashed the engine when it was last loaded: {why}")
                tip = tip.format(path=entry.path, why=crashed)
            picker.setItemData(picker.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        if self._remote_models or self._remote_failures:
            picker.insertSeparator(picker.count())
        for key, label, tip in self._remote_models:
            picker.addItem(label, key)
            picker.setItemData(picker.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        for name, why in self._remote_failures.items():
            picker.addItem(self.tr("{server}: not reachable").format(server=name), None)
            row = picker.count() - 1
            picker.setItemData(row, why, Qt.ItemDataRole.ToolTipRole)
            item = picker.model().item(row)  # type: ignore[attr-defined]
            if item is not None:
                item.setEnabled(False)
        picker.insertSeparator(picker.count())
        picker.addItem(self.tr("Get more models…"), GET_MORE)
        index = picker.findData(current) if current else -1
        picker.setCurrentIndex(max(index, 0) if self._models else picker.count() - 1)
        picker.setEnabled(not self.controller.busy)
        picker.blockSignals(False)

    @Slot(int)
    def on_model_picker_activated(self, index: int) -> None:
        data = self.model_picker.itemData(index)
        if data == GET_MORE:
            self._fill_picker(self._current_key())
            self.open_model_manager()
            return
        if (
            data
            and data != self._loading_path
            and (self._loaded is None or self._key_of(self._loaded) != data)
        ):
            self.load_key(data)

    @staticmethod
    def _key_of(status: ModelStatus) -> str:
        """The picker's key of a loaded model: its path, or remote::server::model."""
        if isinstance(status, RemoteModelStatus):
            return servers.model_key(status.server_name, str(status.path))
        return str(status.path)

    def _current_key(self) -> str | None:
        return self._loading_path or (self._key_of(self._loaded) if self._loaded else None)

    def load_key(self, key: str) -> None:
        """Load the picker's model ``key``: a model file, or a model on a server."""
        remote = servers.parse_model_key(key)
        if remote is None:
            self.load_model(Path(key))
            return
        server_name, model_id = remote
        entry = next(
            (e for e in servers.entries(self.settings.settings.servers) if e.name == server_name),
            None,
        )
        if entry is None:
            self.message_bar.show_error(
                self.tr("The server {server} is no longer in Settings ▸ Connections.").format(
                    server=server_name
                )
            )
            return

        def factory(_path: Path, options: LoadOptions) -> RemoteBackend:
            # On the engine thread: the key comes from the keyring there, not on this one.
            return RemoteBackend(servers.connect(entry), model_id, options)

        self._start_loading(key, Path(model_id), factory)

    def load_model(self, path: Path) -> None:
        """Load ``path`` on the engine thread (the current model is closed first)."""
        self._start_loading(str(path), path, None)

    def _start_loading(self, key: str, path: Path, factory: BackendFactory | None) -> None:
        # If this one fails, the model loaded now comes back (see on_controller_load_failed).
        self._fallback_key = self._key_of(self._loaded) if self._loaded is not None else None
        self._loaded = None
        self._loading_path = key
        index = self.model_picker.findData(key)
        if index >= 0:
            self.model_picker.setCurrentIndex(index)
        self.backend_chip.setText(self.tr("Loading…"))
        self.load_progress.setValue(0)
        self.load_progress.show()
        self.controller.load(path, self.load_options(), factory)

    def load_current_model(self) -> None:
        """Load the picker's model (used by tests and the screenshot tool)."""
        data = self.model_picker.currentData()
        if data and data != GET_MORE:
            self.load_key(data)

    def scan_servers(self) -> None:
        """Ask every server in the settings for its models, in the background; the picker
        lists them beside the installed ones."""
        if self._servers_task is not None:
            self.services.tasks.discard(self._servers_task)
        entries = servers.entries(self.settings.settings.servers)
        if not entries:
            self._servers_task = None
            self._remote_models, self._remote_failures = [], {}
            self._fill_picker(self._current_key())
            return

        def ask() -> tuple[list[tuple[str, str, str]], dict[str, str]]:
            found: list[tuple[str, str, str]] = []
            failures: dict[str, str] = {}
            for entry in entries:
                try:
                    models = list_models(servers.connect(entry))
                except GptdeskError as exc:
                    failures[entry.name] = str(exc)
                    continue
                for model in models:
                    label = f"{model.id} — {entry.name}"  # i18n: ignore (names)
                    found.append((servers.model_key(entry.name, model.id), label, entry.url))
            return found, failures

        self._servers_task = self.services.tasks.submit(ask, self._on_servers_scanned)

    def _on_servers_scanned(
        self, result: tuple[list[tuple[str, str, str]], dict[str, str]]
    ) -> None:
        self._servers_task = None
        self._remote_models, self._remote_failures = result
        self._fill_picker(self._current_key())

    @Slot(float)
    def on_controller_load_progress(self, fraction: float) -> None:
        self.load_progress.setValue(int(fraction * 100))

    @Slot(ModelStatus)
    def on_controller_loaded(self, status: ModelStatus) -> None:
        self._loaded = status
        self._loading_path = None
        self.load_progress.hide()
        self.backend_chip.setText(self._backend_text(status))
        self.context_meter.setRange(0, status.n_ctx)
        self._save_setting(last_model=self._key_of(status))
        name = next((m.name for m in self._models if m.path == status.path), status.info.name)
        if isinstance(status, RemoteModelStatus):
            name = f"{status.info.name} — {status.server_name}"  # i18n: ignore (names)
        self.statusBar().showMessage(
            self.tr("{name} loaded in {seconds} s · context {tokens} tokens").format(
                name=name, seconds=f"{status.load_s + status.warmup_s:.1f}", tokens=status.n_ctx
            )
        )

    def _backend_text(self, status: ModelStatus) -> str:
        """``CPU · 2 threads`` or ``CUDA · 33/33 layers`` (``ModelStatus.describe`` in the
        interface language)."""
        if isinstance(status, RemoteModelStatus):
            return self.tr("Remote · {server}").format(server=status.server_name)
        if status.n_gpu_layers > 0 and status.backend.gpu_offload:
            return self.tr("{backend} · {offloaded}/{total} layers").format(
                backend=status.backend.name,
                offloaded=status.offloaded_layers,
                total=status.info.n_layers + 1,
            )
        if status.n_threads == 1:
            return self.tr("CPU · 1 thread")
        return self.tr("CPU · {threads} threads").format(threads=status.n_threads)

    @Slot(str)
    def on_controller_load_failed(self, message: str) -> None:
        failed, self._loading_path = self._loading_path, None
        fallback, self._fallback_key = self._fallback_key, None
        self.load_progress.hide()
        self.backend_chip.setText(self.tr("No model loaded"))
        self.message_bar.show_error(message)
        self.scan_models()  # a model that crashed the engine is marked in the picker now
        if fallback is not None and fallback != failed:
            self.load_key(fallback)  # the model that was loaded before: ready again

    # ------------------------------------------------------------------ modes and items

    def add_mode(self, mode: Mode) -> None:
        """Put a pane into its rail slot and enable its button."""
        self.modes[mode.name] = mode
        self.stack.addWidget(mode.pane)
        button = self.mode_buttons.button(MODE_NAMES.index(mode.name))
        button.setEnabled(True)
        key = QKeySequence(f"Ctrl+{MODE_NAMES.index(mode.name) + 1}")
        button.setToolTip(
            f"{button.text()} ({key.toString(QKeySequence.SequenceFormat.NativeText)})"
        )

    def _add_writing_mode(self, name: str, pane: WritingPane, kind: str, noun: str) -> None:
        texts = self.mode_texts[name]
        mode = Mode(
            name,
            pane,
            DocumentSource(self.services.store, kind, noun),
            texts.new_label,
            texts.list_name,
            texts.empty_text,
            pane.open_document,
            lambda: pane.document_id,
            pane.stop,
        )
        self.add_mode(mode)
        self._writing_panes.append(pane)
        pane.document_changed.connect(lambda item_id: self.on_pane_item_changed(mode, item_id))
        pane.busy_changed.connect(self.on_chat_pane_busy_changed)

    @property
    def mode(self) -> Mode:
        return self._mode

    def switch_mode(self, name: str) -> None:
        mode = self.modes[name]
        if mode is not self._mode:
            self.statusBar().clearMessage()  # the last reply's stats belong to the other mode
        self._mode = mode
        # The context meter is the chat's (a conversation's tokens in the model's window).
        self.context_meter.setVisible(name == "Chat")
        self.mode_buttons.button(MODE_NAMES.index(name)).setChecked(True)
        if mode.source is not None:
            self.item_list.set_source(
                mode.source,
                mode.new_label,
                accessible_name=mode.list_name,
                empty_text=mode.empty_text,
            )
            self.item_list.select(mode.current_item())
        self.item_list.setVisible(mode.source is not None and not self.rail.isHidden())
        if self.stack.currentWidget() is not self.welcome:
            self.stack.setCurrentWidget(mode.pane)
        # English: "&New chat"; Chinese puts the mnemonic after the text: "新建聊天(&N)".
        self.new_action.setText(self.tr("&{label}", "the New item").format(label=mode.new_label))

    @Slot(int)
    def on_mode_buttons_id_clicked(self, index: int) -> None:
        self.on_mode_action(MODE_NAMES[index])

    def on_mode_action(self, name: str) -> None:
        if name in self.modes:
            self.show_welcome(False)
            self.switch_mode(name)

    @Slot()
    def stop(self) -> None:
        self._mode.stop()

    @Slot()
    def new_item(self) -> None:
        self.show_welcome(False)
        self.statusBar().clearMessage()
        self._mode.open_item(None)
        self.item_list.select(None)

    @Slot()
    def new_chat(self) -> None:
        self.switch_mode("Chat")
        self.new_item()

    @Slot(int)
    def on_item_list_item_selected(self, item_id: int) -> None:
        self.stack.setCurrentWidget(self._mode.pane)
        if item_id != self._mode.current_item():
            self.statusBar().clearMessage()  # the last reply's stats belong to another item
            self._mode.open_item(item_id)

    @Slot(int)
    def on_item_list_item_deleted(self, item_id: int) -> None:
        if item_id == self._mode.current_item():
            self._mode.open_item(None)

    @Slot(int)
    def on_chat_pane_conversation_changed(self, conversation_id: int) -> None:
        self.on_pane_item_changed(self.modes["Chat"], conversation_id)

    def on_pane_item_changed(self, mode: Mode, item_id: int) -> None:
        """A pane created or changed an item: its list shows it (if that mode is showing)."""
        if mode is self._mode:
            self.item_list.refresh()
            self.item_list.select(item_id)

    @Slot(int, int)
    def on_chat_pane_context_usage_changed(self, used: int, n_ctx: int) -> None:
        self.context_meter.setRange(0, max(n_ctx, 1))
        self.context_meter.setValue(min(used, n_ctx))

    @Slot(GenerationStats)
    def on_chat_pane_reply_finished(self, stats: GenerationStats) -> None:
        if self._mode.name != "Chat":  # a reply finishing behind another mode stays quiet
            return
        self.statusBar().showMessage(
            self.tr("{tokens} tokens · {speed} tokens/s · first token after {seconds} s").format(
                tokens=stats.completion_tokens,
                speed=f"{stats.tokens_per_s:.1f}",
                seconds=f"{stats.ttft_s:.2f}",
            )
        )

    @Slot(bool)
    def on_chat_pane_busy_changed(self, busy: bool) -> None:
        """Any pane started or ended work: the picker is usable only when none is busy (a
        model switch cancels everything)."""
        anyone_busy = busy or self.controller.busy
        self.model_picker.setEnabled(self._scanned_once and not anyone_busy)
        if busy:
            self.statusBar().showMessage(self.tr("Writing…"))
        elif not anyone_busy and self.statusBar().currentMessage() == self.tr("Writing…"):
            self.statusBar().clearMessage()

    # ------------------------------------------------------------------ first run, dialogs

    def show_welcome(self, shown: bool) -> None:
        """The first-run page takes the whole window; the rail and list come back after it."""
        self.rail.setVisible(not shown)
        self.item_list.setVisible(not shown and self._mode.source is not None)
        self.stack.setCurrentWidget(self.welcome if shown else self._mode.pane)
        if shown:
            self.welcome.setFocus()

    @Slot()
    def on_welcome_start_requested(self) -> None:
        self._save_setting(welcome_done=True)
        self.show_welcome(False)
        self.chat_pane.composer.setFocus()

    @Slot(str, str)
    def on_welcome_download_requested(self, repo: str, quant: str) -> None:
        self._save_setting(welcome_done=True)
        self.show_welcome(False)
        self.with_model_manager(lambda m: m.download_catalog_model(repo, quant))

    @Slot()
    def open_model_manager(self) -> None:
        self.with_model_manager(lambda _m: None)

    def with_model_manager(self, then: Callable[[ModelManagerWindow], None]) -> None:
        """Show the model manager (made on first use) and call ``then`` with it. The Hub token
        comes from the keyring, which can take a while: it is read in the background."""
        if self._model_manager is not None:
            self._show_manager(self._model_manager)
            then(self._model_manager)
            return
        self._manager_waiters.append(then)
        if self._token_task is None:
            self.statusBar().showMessage(self.tr("Opening the model manager…"))
            self._token_task = self.services.tasks.submit(
                self.services.token, self.on_token_ready, lambda _e: self.on_token_ready(None)
            )

    def on_token_ready(self, token: str | None) -> None:
        from gptdesk.core.models.hub import HubClient
        from gptdesk.ui.models.downloads_qt import DownloadsController
        from gptdesk.ui.models.model_manager import ModelManagerWindow

        self._token_task = None
        s = self.settings.settings
        services = self.services
        hub = HubClient(endpoint=s.hub_endpoint, token=token, offline=s.offline)
        if services.downloads is None:
            services.downloads = DownloadsController(
                services.models_dir(), hub.endpoint, token, tasks=services.tasks, parent=self
            )
            services.downloads.download_finished.connect(self.on_downloads_download_finished)
            services.downloads.download_failed.connect(self.on_downloads_download_failed)
        manager = ModelManagerWindow(
            services.downloads, hub, services.library, services.tasks, self, n_ctx=s.n_ctx
        )
        manager.models_changed.connect(self.scan_models)
        manager.use_model_requested.connect(self.on_model_manager_use_model_requested)
        self._model_manager = manager
        self.statusBar().clearMessage()
        self._show_manager(manager)
        waiters, self._manager_waiters = self._manager_waiters, []
        for then in waiters:
            then(manager)

    @staticmethod
    def _show_manager(manager: ModelManagerWindow) -> None:
        manager.show()
        manager.raise_()
        manager.activateWindow()

    @Slot(Path)
    def on_downloads_download_finished(self, path: Path) -> None:
        # The manager's models_changed rescans the library; this only tells the user.
        self.statusBar().showMessage(
            self.tr("Downloaded {name}; it is in the model list now.").format(name=path.name)
        )

    @Slot(str)
    def on_downloads_download_failed(self, message: str) -> None:
        if self._model_manager is None or not self._model_manager.isVisible():
            self.message_bar.show_error(self.tr("A download failed: {error}").format(error=message))

    @Slot(Path)
    def on_model_manager_use_model_requested(self, path: Path) -> None:
        self.on_mode_action("Chat")
        if self.model_picker.findData(str(path)) < 0:
            self._models.append(ModelEntry(path.stem, path))
            self._fill_picker(str(path))
        self.load_model(path)

    @Slot()
    def open_settings(self) -> None:
        dialog = SettingsDialog(
            self.settings,
            [m.name for m in self._models],
            self,
            default_models_dir=self.services.default_models_dir,
            prompts=self.services.prompts,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def on_setting_changed(self, key: str) -> None:
        """Settings that matter to the window: the Hub, the models folder, model loading."""
        s = self.settings.settings
        if key in ("hub_endpoint", "offline") and self._model_manager is not None:
            from gptdesk.core.models.hub import HubClient

            token = self._model_manager.hub.token
            hub = HubClient(endpoint=s.hub_endpoint, token=token, offline=s.offline)
            self._model_manager.set_hub(hub)
            if self.services.downloads is not None:
                self.services.downloads.set_hub(hub.endpoint, token)
        elif key == "models_dir":
            folder = Path(s.models_dir).expanduser() if s.models_dir else None
            self.services.library = Library(
                folder or self.services.default_models_dir or self.services.models_dir()
            )
            if self._model_manager is not None:
                self._model_manager.set_library(self.services.library)
            self.scan_models()
            self.message_bar.show_info(
                self.tr(
                    "The models folder changed. Downloads already running finish in the old "
                    "folder; restart gptdesk to download into the new one."
                )
            )
        elif key == "servers":
            self.scan_servers()
        elif key in ("api_server", "api_port", "api_network"):
            self._apply_api_settings()
        elif key in ("n_ctx", "threads", "gpu_layers") and self._loaded is not None:
            self.message_bar.show_info(
                self.tr(
                    "The new model settings apply when a model is loaded next: pick the model "
                    "again in the list above to reload it now."
                )
            )

    # ------------------------------------------------------------------ drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if dropped_gguf_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        """A .gguf dropped on the window is imported through the model manager."""
        paths = dropped_gguf_files(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()

        def import_them(manager: ModelManagerWindow) -> None:
            manager.show_tab("installed")
            manager.import_files(paths)

        self.with_model_manager(import_them)

    def _save_setting(self, **changes: object) -> None:
        """Settings the window keeps for itself (geometry, last model, first run): a database
        that cannot be written is logged, never shown as a crash."""
        try:
            self.settings.update(**changes)
        except (GptdeskError, OSError, ValueError) as exc:
            log.warning("could not save %s: %s", ", ".join(changes), exc)

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.chat_pane.interrupt()  # a streaming reply is saved as it stands, interrupted
        self.documents_pane.shutdown()  # a scan stops after its file; what is done stays
        for pane in self._writing_panes:
            pane.stop()
            pane.flush_save()  # an edit typed less than a second ago is kept
            if pane.unsaved:
                pane.save()  # a save the disk refused: one last try
        if not self._may_close_unsaved():
            event.ignore()
            return
        self._save_setting(
            window_geometry=bytes(self.saveGeometry().toHex().data()).decode("ascii"),
            last_conversation=self.chat_pane.conversation_id,
        )
        self.api.stop()  # open API requests end (cancelled) with the engine below
        self.controller.shutdown()
        self.api.wait()
        super().closeEvent(event)

    def _may_close_unsaved(self) -> bool:
        """With text the disk refused (full, read-only) still in memory, ask before closing."""
        if self.chat_pane.unsaved:
            self.chat_pane.save_now()  # one last try, whether or not a retry is due
        if not self.chat_pane.unsaved and not any(p.unsaved for p in self._writing_panes):
            return True
        answer = QMessageBox.warning(
            self,
            self.tr("Text not saved"),
            self.tr(
                "Some text could not be saved (the disk is full or read-only) and is only in "
                "this window. Free some space and keep the window open to save it, or close "
                "and lose it."
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard


def dropped_gguf_files(mime: QMimeData) -> list[Path]:
    """The local .gguf files among dropped URLs."""
    if not mime.hasUrls():
        return []
    return [
        Path(url.toLocalFile())
        for url in mime.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".gguf")
    ]
