"""The model manager window: recommended models, Hub search, a repo's files, downloads, installed.

Every Hub request, folder scan, header read, copy and delete runs through ``BackgroundTasks``;
the slots here only update widgets. Downloads belong to the session-wide
``DownloadsController``, so closing this window (it only hides) never stops them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.catalog import CatalogEntry, load_catalog, recommend
from gptdesk.core.downloads import DownloadState, DownloadStatus
from gptdesk.core.errors import GptdeskError
from gptdesk.core.fit import BASE_OVERHEAD, TIGHT_SHARE, Verdict, estimate_fit
from gptdesk.core.gguf_file import GGUFInfo
from gptdesk.core.hub import HubClient, HubModel, RemoteModel, read_remote_header
from gptdesk.core.models import Library, ModelEntry, describe
from gptdesk.ui.downloads_qt import DownloadsController
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.theme import is_dark

log = logging.getLogger(__name__)

TAB_NAMES = ("recommended", "search", "files", "downloads", "installed")
VERDICT_TEXT: dict[Verdict, str] = {
    "fits": "Fits comfortably",
    "tight": "Tight",
    "won't fit": "Too big",
}
# (on light, on dark): at least 4.5:1 against the window and list backgrounds of either theme
VERDICT_COLOR: dict[Verdict, tuple[str, str]] = {
    "fits": ("#1b6e2a", "#6cd68a"),
    "tight": ("#8a5a00", "#f2b94b"),
    "won't fit": ("#a11c1c", "#ff8f87"),
}
ERROR_COLOR = ("#a11c1c", "#ff8f87")
STATE_TEXT = {
    DownloadState.QUEUED: "Waiting",
    DownloadState.RUNNING: "Downloading",
    DownloadState.PAUSED: "Paused",
    DownloadState.VERIFYING: "Checking SHA-256",
    DownloadState.DONE: "Installed",
    DownloadState.FAILED: "Failed",
    DownloadState.CANCELLED: "Cancelled",
}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# Size-based verdicts add room for the context and compute buffers to the file size; the
# header-based one (estimate_fit) replaces it when the user asks for details.
WORKING_SHARE = 0.2
CELL_PADDING = 12  # extra width of every list cell, so neighbouring columns never touch


def available_memory() -> int:
    """Bytes of memory free for a model right now (psutil's "available")."""
    import psutil

    return int(psutil.virtual_memory().available)


def size_verdict(size: int, ram_free: int) -> Verdict:
    """A fit verdict from the file size alone (before any header is read)."""
    needed = int(size * (1 + WORKING_SHARE)) + BASE_OVERHEAD
    if needed <= ram_free * TIGHT_SHARE:
        return "fits"
    if needed <= ram_free:
        return "tight"
    return "won't fit"


def human_size(n: int) -> str:
    """``512 bytes``, ``4 KiB``, ``94 MiB``, ``4.37 GiB``."""
    if n < 1024:
        return f"{n} bytes"
    if n < 2**20:
        return f"{n / 1024:.0f} KiB"
    if n < 2**30:
        return f"{n / 2**20:.0f} MiB"
    return f"{n / 2**30:.2f} GiB"


def human_count(n: int) -> str:
    """``950``, ``12.3k``, ``4.1M``."""
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.1f}k"
    return f"{n / 1_000_000:.1f}M"


def human_params(n: int) -> str:
    """``135M``, ``1.7B``, ``70B``; ``?`` when the header does not say."""
    if n <= 0:
        return "?"
    if n < 1e9:
        return f"{n / 1e6:.0f}M" if n >= 1e6 else f"{n / 1e6:.2f}M"
    return f"{n / 1e9:.1f}B" if n < 1e11 else f"{n / 1e9:.0f}B"


def human_eta(seconds: float | None) -> str:
    """``about 40 s left``, ``about 3 min left``, ``about 1 h 5 min left``; "" if unknown."""
    if seconds is None:
        return ""
    s = int(seconds)
    if s < 60:
        return f"about {max(s, 1)} s left"
    if s < 3600:
        return f"about {round(s / 60)} min left"
    return f"about {s // 3600} h {(s % 3600) // 60} min left"


def _card_scroll(content: QWidget) -> QScrollArea:
    """A frameless scroll area around ``content`` that shows the page's own background."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    content.setAutoFillBackground(False)  # setWidget turned it on
    scroll.viewport().setAutoFillBackground(False)
    return scroll


def _discarder(tasks: BackgroundTasks, ids: dict[str, int]) -> Callable[..., None]:
    """A callback for ``destroyed`` that drops a window's requests (it must not hold the
    window: by then only the C++ side is gone)."""

    def discard(*_args: object) -> None:
        for task_id in list(ids.values()):
            tasks.discard(task_id)

    return discard


def shade(pair: tuple[str, str]) -> QColor:
    """The light-theme or dark-theme colour of ``pair``, for the app's colours now."""
    app = QApplication.instance()
    dark = isinstance(app, QApplication) and is_dark(app)
    return QColor(pair[1] if dark else pair[0])


def _set_text_colour(label: QLabel, pair: tuple[str, str] | None) -> None:
    """Draw ``label``'s text in ``pair``'s colour for the current theme (None: the normal
    text colour). Call again when the palette changes."""
    if pair is None:
        label.setPalette(QPalette())  # nothing set: everything inherited again
        return
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, shade(pair))
    label.setPalette(palette)


def _verdict_label(label: QLabel, verdict: Verdict, detail: str = "") -> None:
    label.setText(VERDICT_TEXT[verdict])
    label.setProperty("verdict", verdict)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    _set_text_colour(label, VERDICT_COLOR[verdict])
    label.setToolTip(detail)


def _verdict_item(item: QTreeWidgetItem, column: int, verdict: Verdict, detail: str) -> None:
    """A verdict as the text of a list cell: coloured by ForegroundRole, so a selected row
    draws it in the selection's text colour."""
    item.setText(column, VERDICT_TEXT[verdict])
    item.setData(column, Qt.ItemDataRole.UserRole, verdict)
    item.setForeground(column, QBrush(shade(VERDICT_COLOR[verdict])))
    font = QFont(item.font(column))
    font.setBold(True)
    item.setFont(column, font)
    item.setToolTip(column, detail)


def tilde_path(path: Path) -> str:
    """``path`` with the home folder written as ``~`` (shorter to read)."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


class _PaddedDelegate(QStyledItemDelegate):
    """Cells CELL_PADDING wider than their text, the text kept half of it away from either
    edge: a right-aligned number never touches the next column's text."""

    def sizeHint(  # noqa: N802 (Qt override)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + CELL_PADDING, size.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        text = opt.text
        opt.text = ""  # the whole cell first: selection, hover and focus as usual
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not text:
            return
        opt.text = text
        opt.state &= ~QStyle.StateFlag.State_HasFocus
        opt.backgroundBrush = QBrush()
        half = CELL_PADDING // 2
        opt.rect = opt.rect.adjusted(half, 0, -half, 0)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)


def _error_text(exc: Exception, what: str) -> str:
    """The message for a failed background call: a GptdeskError's own text, else a generic
    one (the traceback goes to the log)."""
    if isinstance(exc, GptdeskError):
        return str(exc)
    log.error("%s failed", what, exc_info=exc)
    return f"Something went wrong while {what} ({exc}). Try again; the log has details."


def pick_model(models: list[RemoteModel], quants: Iterable[str]) -> RemoteModel | None:
    """The first of ``quants`` (in that order) the repo has, or None."""
    by_quant: dict[str, RemoteModel] = {}
    for model in models:
        by_quant.setdefault(model.quant.upper(), model)
    for quant in quants:
        if quant.upper() in by_quant:
            return by_quant[quant.upper()]
    return None


@dataclass(frozen=True)
class InstalledModel:
    """A row of the Installed tab: the library entry and its header (or why it is unusable)."""

    entry: ModelEntry
    info: GGUFInfo | str

    @property
    def usable(self) -> bool:
        return isinstance(self.info, GGUFInfo)

    @property
    def removable(self) -> bool:
        """Whether Delete applies: a file in the models folder, or one imported in place."""
        return not self.entry.builtin and self.entry.source in ("models folder", "imported")


class _RecommendedCard(QFrame):
    """One catalog model: name, size, license, summary, fit verdict and a Download button."""

    def __init__(self, entry: CatalogEntry, verdict: Verdict, best: bool) -> None:
        super().__init__()
        self.entry = entry
        self.best = best
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("recommendedCard")
        title = QLabel(f"<b>{entry.name}</b>")
        size = entry.estimated_size()
        meta = QLabel(
            f"{entry.params_b:g}B parameters · {entry.license} · "
            f"about {human_size(size)} ({entry.quants[0]}) · {entry.context // 1024}k context"
        )
        summary = QLabel(entry.summary)
        summary.setWordWrap(True)
        self.verdict_label = QLabel()
        _verdict_label(
            self.verdict_label,
            verdict,
            "Estimated from the download size and the memory free right now.",
        )
        self.verdict_label.setAccessibleName(f"Fit of {entry.name}")
        self.download_button = QPushButton("Download")
        self.download_button.setAccessibleName(f"Download {entry.name}")
        self.download_button.setToolTip(f"{entry.repo}, {entry.quants[0]}")
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setVerticalSpacing(2)
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(title)
        if best:
            badge = QLabel("★ Best choice for this computer")
            badge.setForegroundRole(QPalette.ColorRole.Link)  # follows the theme by itself
            font = QFont(badge.font())
            font.setBold(True)
            badge.setFont(font)
            head.addWidget(badge)
        head.addStretch(1)
        grid.addLayout(head, 0, 0)
        grid.addWidget(meta, 1, 0)
        grid.addWidget(summary, 2, 0)
        grid.addWidget(self.verdict_label, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.download_button, 1, 1, 2, 1, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(0, 1)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """The frame, and for the best choice a 2 px border in the palette's link colour
        (painted, not a style sheet, so a theme switch recolours the card and its text)."""
        super().paintEvent(event)
        if not self.best:
            return
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Link))
        pen.setWidth(2)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect().adjusted(1, 1, -1, -1))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "verdict_label"):
            verdict = self.verdict_label.property("verdict")
            if verdict in VERDICT_COLOR:
                _set_text_colour(self.verdict_label, VERDICT_COLOR[verdict])


class _DownloadRow(QFrame):
    """One job of the queue: name, progress bar, bytes, speed, ETA, state and its buttons."""

    def __init__(self, status: DownloadStatus) -> None:
        super().__init__()
        self.job_id = status.job_id
        self.path: Path | None = None
        self.failed = False
        self.setFrameShape(QFrame.Shape.StyledPanel)
        label = f"{status.repo_id}/{status.name}"
        self.title = QLabel(f"<b>{Path(status.name).name}</b> <span>— {status.repo_id}</span>")
        self.title.setToolTip(label)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)  # per mille: byte counts overflow a C int
        self.progress.setAccessibleName(f"Progress of {status.name}")
        self.detail = QLabel()
        self.state = QLabel()
        self.state.setAccessibleName(f"State of {status.name}")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pause_button = QPushButton("Pause")
        self.resume_button = QPushButton("Resume")
        self.cancel_button = QPushButton("Cancel")
        self.use_button = QPushButton("Use this model")
        for button, verb in (
            (self.pause_button, "Pause"),
            (self.resume_button, "Resume"),
            (self.cancel_button, "Cancel"),
            (self.use_button, "Use"),
        ):
            button.setAccessibleName(f"{verb} {status.name}")
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setVerticalSpacing(3)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.state, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.progress, 1, 0, 1, 2)
        grid.addWidget(self.detail, 2, 0, 1, 2)
        grid.addWidget(self.message, 3, 0, 1, 2)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addStretch(1)
        # Pause and Resume take turns in one place: only the one that applies is shown
        for button in (self.use_button, self.pause_button, self.resume_button, self.cancel_button):
            buttons.addWidget(button)
        grid.addLayout(buttons, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        self.update_status(status)

    def update_status(self, status: DownloadStatus) -> None:
        focused = self.pause_button.hasFocus() or self.resume_button.hasFocus()
        state = status.state
        self.progress.setValue(int(status.fraction * 1000))
        detail = f"{human_size(status.done_bytes)} of {human_size(status.total_bytes)}"
        if state is DownloadState.RUNNING and status.speed_bps > 0:
            detail += f" · {human_size(int(status.speed_bps))}/s"
            if eta := human_eta(status.eta_s):
                detail += f" · {eta}"
        self.detail.setText(detail)
        self.state.setText(STATE_TEXT[state])
        failed = self.failed = state is DownloadState.FAILED
        self.message.setText(status.message)
        self.message.setVisible(bool(status.message))
        _set_text_colour(self.message, ERROR_COLOR if failed else None)
        live = not state.finished or failed
        resumable = state in (DownloadState.PAUSED, DownloadState.FAILED)
        self.pause_button.setEnabled(state in (DownloadState.QUEUED, DownloadState.RUNNING))
        self.pause_button.setVisible(live and not resumable)
        self.resume_button.setText("Retry" if failed else "Resume")
        self.resume_button.setAccessibleName(f"{'Retry' if failed else 'Resume'} {status.name}")
        self.resume_button.setEnabled(resumable)
        self.resume_button.setVisible(resumable)
        self.cancel_button.setEnabled(
            state in (DownloadState.QUEUED, DownloadState.RUNNING, DownloadState.PAUSED) or failed
        )
        self.cancel_button.setVisible(live)
        self.cancel_button.setText("Discard" if failed else "Cancel")
        self.path = status.path if state is DownloadState.DONE else None
        self.use_button.setVisible(self.path is not None)
        if focused:  # the button the keyboard was on gave way to its partner
            partner = self.resume_button if resumable else self.pause_button
            if partner.isVisible() and not partner.hasFocus():
                partner.setFocus(Qt.FocusReason.OtherFocusReason)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "message"):
            _set_text_colour(self.message, ERROR_COLOR if self.failed else None)


class ModelManagerWindow(QWidget):
    """A non-modal window to find, download, import and remove models (tabs: Recommended,
    Search Hub, Files, Downloads, Installed); .gguf files dropped on it are imported."""

    models_changed = Signal()
    """A model was installed, imported or removed: refresh any model picker."""
    use_model_requested = Signal(Path)
    """The user chose "Use this model": the path of the GGUF file (first part if split)."""

    def __init__(
        self,
        downloads: DownloadsController,
        hub: HubClient,
        library: Library,
        tasks: BackgroundTasks,
        parent: QWidget | None = None,
        *,
        n_ctx: int = 4096,
        memory: Callable[[], int] = available_memory,
        catalog_path: Path | None = None,
    ) -> None:
        """``n_ctx`` is the context size fit verdicts assume; ``memory`` returns the bytes
        free for a model (called in the background); ``catalog_path`` overrides the catalog."""
        super().__init__(parent)
        if parent is not None:
            self.setWindowFlag(Qt.WindowType.Window, True)
        self.downloads = downloads
        self.hub = hub
        self.library = library
        self.tasks = tasks
        self.n_ctx = n_ctx
        self.memory = memory
        self.catalog_path = catalog_path
        self.ram_free: int | None = None
        self.repo: str | None = None
        self._files: list[RemoteModel] = []
        self._installed: list[InstalledModel] = []
        self._rows: dict[int, _DownloadRow] = {}
        self._cards: list[_RecommendedCard] = []
        self._current: dict[str, object] = {}  # kind -> token of the latest request running
        self._task_ids: dict[str, int] = {}  # kind -> its task id, to discard it

        self.setWindowTitle("Models — gptdesk")
        self.setAccessibleName("Model manager")
        self.setAcceptDrops(True)
        self.resize(900, 600)
        self.message_bar = MessageBar(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Model manager sections")
        self.tabs.addTab(self._build_recommended(), "&Recommended")
        self.tabs.addTab(self._build_search(), "&Search Hub")
        self.tabs.addTab(self._build_files(), "&Files")
        self.tabs.addTab(self._build_downloads(), "&Downloads")
        self.tabs.addTab(self._build_installed(), "&Installed")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        self._connect_signals()
        self.destroyed.connect(_discarder(self.tasks, self._task_ids))

        for status in self.downloads.jobs():
            self.on_downloads_status_changed(status)
        self._update_downloads_empty()
        self.load_recommended()
        self.refresh_installed()

    # ------------------------------------------------------------------ building

    def _build_recommended(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "Models picked for chat and writing. Sizes are estimates until the download starts; "
            "the verdict compares them with the memory free on this computer now."
        )
        intro.setWordWrap(True)
        self.recommended_status = QLabel("Loading the catalog…")
        self.recommended_list = QWidget()
        self.recommended_layout = QVBoxLayout(self.recommended_list)
        self.recommended_layout.setContentsMargins(0, 0, 0, 0)
        self.recommended_layout.addStretch(1)
        scroll = _card_scroll(self.recommended_list)
        scroll.setAccessibleName("Recommended models")
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.recommended_status)
        layout.addWidget(scroll, 1)
        return page

    def _build_search(self) -> QWidget:
        page = QWidget()
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search GGUF models on the Hub, e.g. qwen or llama 3b")
        self.search_field.setAccessibleName("Search the Hub")
        self.search_field.setClearButtonEnabled(True)
        self.search_button = QPushButton("Search")
        self.search_button.setAccessibleName("Search")
        self.search_status = QLabel("Type a name and press Enter.")
        self.search_results = QTreeWidget()
        self.search_results.setAccessibleName("Search results")
        self.search_results.setHeaderLabels(["Repository", "Downloads", "Likes", "Access"])
        self.search_results.setRootIsDecorated(False)
        self.search_results.setUniformRowHeights(True)
        header = self.search_results.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.show_files_button = QPushButton("Show files")
        self.show_files_button.setAccessibleName("Show the files of the selected repository")
        self.show_files_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addWidget(self.search_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.search_status, 1)
        bottom.addWidget(self.show_files_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.search_results, 1)
        layout.addLayout(bottom)
        return page

    def _build_files(self) -> QWidget:
        page = QWidget()
        self.repo_field = QLineEdit()
        self.repo_field.setPlaceholderText("owner/repository, e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF")
        self.repo_field.setAccessibleName("Repository")
        self.list_files_button = QPushButton("List files")
        self.list_files_button.setAccessibleName("List files")
        self.files_status = QLabel("Choose a search result or type a repository.")
        self.files_status.setWordWrap(True)
        self.files_list = QTreeWidget()
        self.files_list.setAccessibleName("Files of the repository")
        self.files_list.setHeaderLabels(["Quant", "File", "Size", "On this computer", ""])
        self.files_list.setRootIsDecorated(False)
        self.files_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.files_list.setItemDelegate(_PaddedDelegate(self.files_list))
        header = self.files_list.header()
        header.setStretchLastSection(False)
        for column in range(5):
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if column == 1
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        self.check_fit_button = QPushButton("Check fit from the model's header")
        self.check_fit_button.setAccessibleName("Check fit from the model's header")
        self.check_fit_button.setToolTip(
            "Reads the first megabytes of the smallest file to estimate memory use precisely "
            f"(at {self.n_ctx} tokens of context)."
        )
        self.check_fit_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.repo_field, 1)
        top.addWidget(self.list_files_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.files_status, 1)
        bottom.addWidget(self.check_fit_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.files_list, 1)
        layout.addLayout(bottom)
        return page

    def _build_downloads(self) -> QWidget:
        page = QWidget()
        self.downloads_status = QLabel()
        self.downloads_status.setWordWrap(True)
        self.downloads_status.hide()
        self.downloads_empty = QLabel(
            "No downloads yet. Pick a model on the Recommended or Search Hub tab."
        )
        self.downloads_list = QWidget()
        self.downloads_layout = QVBoxLayout(self.downloads_list)
        self.downloads_layout.setContentsMargins(0, 0, 0, 0)
        self.downloads_layout.addStretch(1)
        scroll = _card_scroll(self.downloads_list)
        scroll.setAccessibleName("Download queue")
        self.clear_finished_button = QPushButton("Clear finished")
        self.clear_finished_button.setAccessibleName("Clear finished downloads")
        bottom = QHBoxLayout()
        bottom.addWidget(
            QLabel("Downloads go on when this window is closed; unfinished ones resume later."),
            1,
        )
        bottom.addWidget(self.clear_finished_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.downloads_status)
        layout.addWidget(self.downloads_empty)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        return page

    def _build_installed(self) -> QWidget:
        page = QWidget()
        self.installed_list = QTreeWidget()
        self.installed_list.setAccessibleName("Installed models")
        self.installed_list.setHeaderLabels(
            ["Name", "Architecture", "Parameters", "Quant", "Context", "Size", "Source"]
        )

        self.installed_list.setRootIsDecorated(False)
        self.installed_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.installed_list.setItemDelegate(_PaddedDelegate(self.installed_list))
        header = self.installed_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 7):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.installed_status = QLabel("Looking for models…")
        self.use_button = QPushButton("Use this model")
        self.use_button.setAccessibleName("Use the selected model")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete the selected model")
        self.import_button = QPushButton("Import…")
        self.import_button.setAccessibleName("Import a GGUF file")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setAccessibleName("Refresh installed models")
        self.use_button.setEnabled(False)
        self.delete_button.setEnabled(False)
        hint = QLabel("Drop .gguf files on this window to import them.")
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.installed_status)
        layout.addWidget(self.installed_list, 1)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        return page

    def _connect_signals(self) -> None:
        self.downloads.status_changed.connect(self.on_downloads_status_changed)
        self.downloads.download_finished.connect(self.on_downloads_download_finished)
        self.downloads.pending_found.connect(self.on_downloads_pending_found)
        self.search_field.returnPressed.connect(self.on_search_button_clicked)
        self.search_button.clicked.connect(self.on_search_button_clicked)
        self.search_results.itemActivated.connect(self.on_search_results_item_activated)
        self.search_results.itemSelectionChanged.connect(
            lambda: self.show_files_button.setEnabled(bool(self.search_results.selectedItems()))
        )
        self.show_files_button.clicked.connect(self.on_show_files_button_clicked)
        self.repo_field.returnPressed.connect(self.on_list_files_button_clicked)
        self.list_files_button.clicked.connect(self.on_list_files_button_clicked)
        self.files_list.itemActivated.connect(self.on_files_list_item_activated)
        self.check_fit_button.clicked.connect(self.on_check_fit_button_clicked)
        self.clear_finished_button.clicked.connect(self.on_clear_finished_button_clicked)
        self.installed_list.itemSelectionChanged.connect(self.on_installed_list_selection_changed)
        self.installed_list.itemActivated.connect(lambda _item, _col: self.use_selected())
        self.use_button.clicked.connect(self.use_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.on_import_button_clicked)
        self.refresh_button.clicked.connect(self.refresh_installed)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_search)
        close = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        close.activated.connect(self.close)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "installed_list"):
            self._recolour_items()

    def _recolour_items(self) -> None:
        """Verdict and error colours of the lists for the theme now (light or dark)."""
        for index in range(self.files_list.topLevelItemCount()):
            item = self.files_list.topLevelItem(index)
            verdict = item.data(3, Qt.ItemDataRole.UserRole)
            if verdict in VERDICT_COLOR:
                item.setForeground(3, QBrush(shade(VERDICT_COLOR[verdict])))
        for index in range(self.installed_list.topLevelItemCount()):
            item = self.installed_list.topLevelItem(index)
            if item.data(1, Qt.ItemDataRole.UserRole) == "error":
                item.setForeground(1, QBrush(shade(ERROR_COLOR)))

    # ------------------------------------------------------------------ background calls

    def _submit(
        self,
        kind: str,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Run ``fn`` in the background; a newer request of the same ``kind`` supersedes an
        older one (its answer is dropped). The callbacks may run before ``submit`` returns."""
        old = self._task_ids.pop(kind, None)
        if old is not None:
            self.tasks.discard(old)
        token = object()
        self._current[kind] = token

        def finish() -> bool:
            if self._current.get(kind) is not token:
                return False  # superseded
            del self._current[kind]
            self._task_ids.pop(kind, None)
            return True

        def done(result: Any) -> None:
            if finish():
                on_done(result)

        def failed(exc: Exception) -> None:
            if finish():
                on_error(exc)

        task_id = self.tasks.submit(fn, done, failed)
        if self._current.get(kind) is token:
            self._task_ids[kind] = task_id

    def busy(self) -> bool:
        """Whether a background request of this window is still running (for tests)."""
        return bool(self._current)

    # ------------------------------------------------------------------ public

    def show_tab(self, name: str) -> None:
        """Switch to ``recommended``, ``search``, ``files``, ``downloads`` or ``installed``."""
        if name not in TAB_NAMES:
            raise ValueError(f"no tab {name!r}; one of {', '.join(TAB_NAMES)}")
        self.tabs.setCurrentIndex(TAB_NAMES.index(name))

    def set_hub(self, hub: HubClient) -> None:
        """Use another Hub client from now on (endpoint, token or offline mode changed)."""
        self.hub = hub

    def set_library(self, library: Library) -> None:
        """Use another models folder and rescan it."""
        self.library = library
        self.refresh_installed()

    def focus_search(self) -> None:
        self.show_tab("search")
        self.search_field.setFocus()
        self.search_field.selectAll()

    def load_recommended(self) -> None:
        """Read the catalog and the free memory in the background, then list the cards."""
        path = self.catalog_path
        memory = self.memory

        def work() -> tuple[list[CatalogEntry], int]:
            entries = load_catalog(path) if path is not None else load_catalog()
            return entries, memory()

        self.recommended_status.setText("Loading the catalog…")
        self._submit("catalog", work, self._on_catalog_loaded, self._on_catalog_failed)

    def search(self, query: str) -> None:
        """Search the Hub for GGUF repos matching ``query`` (in the background)."""
        self.show_tab("search")
        self.search_field.setText(query)
        self.search_status.setText(f"Searching the Hub for '{query}'…" if query else "Searching…")
        hub = self.hub
        self._submit(
            "search", lambda: hub.search(query), self._on_search_done, self._on_search_failed
        )

    def show_repo_files(self, repo: str) -> None:
        """List ``repo``'s GGUF files on the Files tab (in the background)."""
        repo = repo.strip()
        self.show_tab("files")
        self.repo_field.setText(repo)
        if not repo:
            self.files_status.setText("Type a repository such as owner/name-GGUF.")
            return
        self.repo = repo
        self.files_list.clear()
        self._files = []
        self.check_fit_button.setEnabled(False)
        self.files_status.setText(f"Listing the files of {repo}…")
        hub, memory = self.hub, self.memory
        self._submit(
            "files",
            lambda: (hub.list_gguf(repo), memory()),
            lambda result: self._on_files_listed(repo, *result),
            lambda exc: self._on_files_failed(repo, exc),
        )

    def download_catalog_model(self, repo: str, quant: str) -> None:
        """List ``repo``'s files in the background, queue the ``quant`` file and show the
        Downloads tab (a repo without that quant shows its files to choose from)."""
        self._download_from_repo(repo, (quant,))

    def download(self, model: RemoteModel) -> int:
        """Queue ``model`` and show the Downloads tab; returns the job id."""
        job_id = self.downloads.enqueue(model)
        self.show_tab("downloads")
        return job_id

    def refresh_installed(self) -> None:
        """Scan the library and read every model's header in the background."""
        library = self.library

        def work() -> list[InstalledModel]:
            return [InstalledModel(entry, describe(entry)) for entry in library.models()]

        self.installed_status.setText("Looking for models…")
        self._submit("installed", work, self._on_installed_scanned, self._on_installed_failed)

    def import_files(self, paths: Iterable[Path]) -> None:
        """Copy GGUF files into the models folder in the background; other files are refused
        with a message."""
        paths = list(paths)
        wrong = [p for p in paths if p.suffix.lower() != ".gguf"]
        good = [p for p in paths if p.suffix.lower() == ".gguf"]
        if wrong:
            names = ", ".join(p.name for p in wrong)
            self.message_bar.show_error(
                f"{names}: only GGUF model files (.gguf) can be imported. Download a GGUF "
                "version of the model, or convert it with llama.cpp's convert_hf_to_gguf.py."
            )
        for path in good:
            self._import_one(path)

    def selected_installed(self) -> InstalledModel | None:
        items = self.installed_list.selectedItems()
        if not items:
            return None
        return self._installed[int(items[0].data(0, Qt.ItemDataRole.UserRole))]

    def use_selected(self) -> None:
        model = self.selected_installed()
        if model is not None and model.usable:
            self.use_model_requested.emit(model.entry.path)

    def delete_selected(self) -> None:
        """Ask, then delete the selected model's files (or forget a file imported in place)."""
        model = self.selected_installed()
        if model is None or not model.removable:
            return
        entry = model.entry
        if entry.source == "imported":
            question = f"Forget {entry.name}? The file stays where it is:\n{entry.path}"
        else:
            question = f"Delete {entry.name} from the models folder? This frees its disk space."
        answer = QMessageBox.question(
            self,
            "Remove model",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        library = self.library
        spec = str(entry.path)
        self.installed_status.setText(f"Removing {entry.name}…")
        self._submit(
            f"remove:{spec}",
            lambda: library.remove(spec),
            self._on_removed,
            lambda exc: self.message_bar.show_error(_error_text(exc, "removing the model")),
        )

    # ------------------------------------------------------------------ recommended

    def _on_catalog_loaded(self, result: tuple[list[CatalogEntry], int]) -> None:
        entries, ram = result
        self.ram_free = ram
        for card in self._cards:
            card.deleteLater()
        self._cards = []
        best = recommend(entries, ram)
        ordered = ([best] if best else []) + [e for e in entries if e is not best]
        for entry in ordered:
            card = _RecommendedCard(entry, size_verdict(entry.estimated_size(), ram), entry is best)
            card.download_button.clicked.connect(
                lambda _checked=False, e=entry: self._download_from_repo(e.repo, e.quants)
            )
            self.recommended_layout.insertWidget(self.recommended_layout.count() - 1, card)
            self._cards.append(card)
        self.recommended_status.setText(
            f"{human_size(ram)} of memory is free now."
            + ("" if best else " None of these fits comfortably; close other programs first.")
        )

    def _on_catalog_failed(self, exc: Exception) -> None:
        self.recommended_status.setText("The catalog could not be read.")
        self.message_bar.show_error(_error_text(exc, "reading the catalog"))

    def _download_from_repo(self, repo: str, quants: tuple[str, ...]) -> None:
        self.show_tab("downloads")
        self._set_downloads_status(f"Looking up the files of {repo}…")
        for card in self._cards:
            if card.entry.repo == repo:
                card.download_button.setEnabled(False)
        hub = self.hub
        self._submit(
            f"catalog-download:{repo}",
            lambda: hub.list_gguf(repo),
            lambda models: self._on_catalog_files(repo, quants, models),
            lambda exc: self._on_catalog_files_failed(repo, exc),
        )

    def _enable_cards(self, repo: str) -> None:
        for card in self._cards:
            if card.entry.repo == repo:
                card.download_button.setEnabled(True)

    def _on_catalog_files(
        self, repo: str, quants: tuple[str, ...], models: list[RemoteModel]
    ) -> None:
        self._enable_cards(repo)
        self._set_downloads_status("")
        model = pick_model(models, quants)
        if model is None:
            have = ", ".join(m.quant or m.name for m in models) or "no GGUF files"
            self.message_bar.show_error(
                f"{repo} has no {' or '.join(quants)} file (it has {have}). "
                "Pick one on the Files tab."
            )
            self._on_files_listed(repo, models, self.ram_free)
            self.repo_field.setText(repo)
            self.show_tab("files")
            return
        try:
            self.download(model)
        except GptdeskError as exc:
            self.message_bar.show_error(str(exc))

    def _on_catalog_files_failed(self, repo: str, exc: Exception) -> None:
        self._enable_cards(repo)
        self._set_downloads_status("")
        self.message_bar.show_error(_error_text(exc, f"listing the files of {repo}"))

    # ------------------------------------------------------------------ search

    def on_search_button_clicked(self) -> None:
        self.search(self.search_field.text().strip())

    def _on_search_done(self, results: list[HubModel]) -> None:
        self.search_results.clear()
        for model in results:
            item = QTreeWidgetItem(
                [
                    model.repo_id,
                    human_count(model.downloads),
                    human_count(model.likes),
                    "Gated: needs a token" if model.gated else "Open",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, model.repo_id)
            for column in (1, 2):
                item.setTextAlignment(column, RIGHT)
            self.search_results.addTopLevelItem(item)
            if self.search_results.currentItem() is None:
                self.search_results.setCurrentItem(item)
        for column in (1, 2, 3):
            self.search_results.resizeColumnToContents(column)
        query = self.search_field.text().strip()
        if results:
            self.search_status.setText(
                f"{len(results)} repositories, most downloaded first. "
                "Press Enter or double-click one to see its files."
            )
        else:
            self.search_status.setText(f"No GGUF models match '{query}'. Try a shorter name.")

    def _on_search_failed(self, exc: Exception) -> None:
        self.search_status.setText("The search did not complete.")
        self.message_bar.show_error(_error_text(exc, "searching the Hub"))

    def on_search_results_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.show_repo_files(str(item.data(0, Qt.ItemDataRole.UserRole)))

    def on_show_files_button_clicked(self) -> None:
        items = self.search_results.selectedItems()
        if items:
            self.on_search_results_item_activated(items[0], 0)

    # ------------------------------------------------------------------ files

    def on_list_files_button_clicked(self) -> None:
        self.show_repo_files(self.repo_field.text())

    def _on_files_listed(self, repo: str, models: list[RemoteModel], ram: int | None) -> None:
        if ram is not None:
            self.ram_free = ram
        self.repo = repo
        self._files = list(models)
        self.files_list.clear()
        for index, model in enumerate(models):
            parts = f" ({len(model.parts)} parts)" if len(model.parts) > 1 else ""
            item = QTreeWidgetItem(
                [model.quant or "?", model.name + parts, human_size(model.size), "", ""]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            item.setTextAlignment(2, RIGHT)
            if self.ram_free is not None:
                _verdict_item(
                    item,
                    3,
                    size_verdict(model.size, self.ram_free),
                    "Estimated from the file size; 'Check fit' reads the header for a precise "
                    "estimate.",
                )
            self.files_list.addTopLevelItem(item)
            if index == 0:
                self.files_list.setCurrentItem(item)
            button = QPushButton("Download")
            button.setAccessibleName(f"Download {model.name}")
            button.clicked.connect(lambda _checked=False, m=model: self._download_file(m))
            cell = QWidget()  # room between the button, the row's edges and the next row
            cell_layout = QHBoxLayout(cell)
            cell_layout.setContentsMargins(6, 1, 6, 1)
            cell_layout.addWidget(button)
            self.files_list.setItemWidget(item, 4, cell)
        if models:
            self.files_status.setText(
                f"{repo}: {len(models)} GGUF files, best quality first. Smaller files use less "
                "memory; Q4_K_M is a good balance."
            )
            self.check_fit_button.setEnabled(True)
        else:
            self.files_status.setText(
                f"{repo} has no GGUF files. Search for the same model with 'GGUF' in the name."
            )

    def _on_files_failed(self, repo: str, exc: Exception) -> None:
        self.files_status.setText(f"The files of {repo} could not be listed.")
        self.message_bar.show_error(_error_text(exc, f"listing the files of {repo}"))

    def on_files_list_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self._download_file(self._files[int(item.data(0, Qt.ItemDataRole.UserRole))])

    def _download_file(self, model: RemoteModel) -> None:
        try:
            self.download(model)
        except GptdeskError as exc:
            self.message_bar.show_error(str(exc))

    def on_check_fit_button_clicked(self) -> None:
        if not self._files or self.repo is None:
            return
        hub, repo, memory, n_ctx = self.hub, self.repo, self.memory, self.n_ctx
        files = list(self._files)
        probe = min(files, key=lambda m: m.parts[0].size)

        def work() -> tuple[list[RemoteModel], list[tuple[Verdict, str]]]:
            info = read_remote_header(
                hub.file_url(repo, probe.parts[0].path),
                probe.parts[0].size,
                hub.auth_headers(),
                timeout_s=hub.timeout_s,
            )
            ram = memory()
            fits = []
            for model in files:
                fit = estimate_fit(info, n_ctx, ram, weights_bytes=model.size)
                fits.append((fit.verdict, fit.summary()))
            return files, fits

        self.check_fit_button.setEnabled(False)
        self.files_status.setText(f"Reading the header of {probe.name}…")
        self._submit("fit", work, self._on_fit_checked, self._on_fit_failed)

    def _on_fit_checked(self, result: tuple[list[RemoteModel], list[tuple[Verdict, str]]]) -> None:
        files, fits = result
        self.check_fit_button.setEnabled(True)
        if files != self._files:
            return  # another repo was listed meanwhile
        for index, (verdict, summary) in enumerate(fits):
            _verdict_item(self.files_list.topLevelItem(index), 3, verdict, summary)
        self.files_status.setText(
            f"Fit estimated from the model's header at {self.n_ctx} tokens of context; hover a "
            "verdict for the numbers."
        )

    def _on_fit_failed(self, exc: Exception) -> None:
        self.check_fit_button.setEnabled(True)
        self.files_status.setText("The precise fit is unknown; the verdicts are size estimates.")
        self.message_bar.show_error(_error_text(exc, "reading the model's header"))

    # ------------------------------------------------------------------ downloads

    def on_downloads_status_changed(self, status: DownloadStatus) -> None:
        row = self._rows.get(status.job_id)
        if row is None:
            row = _DownloadRow(status)
            row.pause_button.clicked.connect(lambda: self.downloads.pause(row.job_id))
            row.resume_button.clicked.connect(lambda: self.downloads.resume(row.job_id))
            row.cancel_button.clicked.connect(lambda: self.downloads.cancel(row.job_id))
            row.use_button.clicked.connect(lambda: self._use_downloaded(row))
            self._rows[status.job_id] = row
            self.downloads_layout.insertWidget(self.downloads_layout.count() - 1, row)
            self._update_downloads_empty()
        else:
            row.update_status(status)

    def _use_downloaded(self, row: _DownloadRow) -> None:
        if row.path is not None:
            self.use_model_requested.emit(row.path)

    def on_downloads_download_finished(self, _path: Path) -> None:
        self.models_changed.emit()
        self.refresh_installed()

    def on_downloads_pending_found(self, count: int) -> None:
        self.message_bar.show_info(
            f"{count} unfinished download{'s' if count != 1 else ''} from last time "
            f"{'are' if count != 1 else 'is'} paused on the Downloads tab; press Resume to go on."
        )

    def on_clear_finished_button_clicked(self) -> None:
        self.downloads.clear_finished()
        keep = {s.job_id for s in self.downloads.jobs()}
        for job_id in [j for j in self._rows if j not in keep]:
            self._rows.pop(job_id).deleteLater()
        self._update_downloads_empty()

    def _update_downloads_empty(self) -> None:
        self.downloads_empty.setVisible(not self._rows)

    def _set_downloads_status(self, text: str) -> None:
        self.downloads_status.setText(text)
        self.downloads_status.setVisible(bool(text))

    def download_row(self, job_id: int) -> _DownloadRow | None:
        """The row widget of a job (for tests and screenshots)."""
        return self._rows.get(job_id)

    # ------------------------------------------------------------------ installed

    def _on_installed_scanned(self, models: list[InstalledModel]) -> None:
        selected = self.selected_installed()
        self._installed = models
        self.installed_list.clear()
        for index, model in enumerate(models):
            entry, info = model.entry, model.info
            if isinstance(info, GGUFInfo):
                columns = [
                    entry.name,
                    info.architecture,
                    human_params(info.n_params),
                    info.file_type or "?",
                    f"{info.context_length:,}" if info.context_length else "?",
                    human_size(info.file_size),
                    entry.source,
                ]
            else:
                columns = [entry.name, "unusable", "", "", "", "", entry.source]
            item = QTreeWidgetItem(columns)
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            item.setToolTip(0, str(entry.path) if model.usable else f"{entry.path}\n{info}")
            if not model.usable:
                item.setData(1, Qt.ItemDataRole.UserRole, "error")
                item.setForeground(1, QBrush(shade(ERROR_COLOR)))
                item.setToolTip(1, str(info))
            if entry.builtin:
                font = QFont(item.font(0))
                font.setItalic(True)
                item.setFont(0, font)
            for column in (2, 4, 5):
                item.setTextAlignment(column, RIGHT)
            self.installed_list.addTopLevelItem(item)
            if selected is not None and selected.entry.path == entry.path:
                self.installed_list.setCurrentItem(item)
        count = len(models)
        self.installed_status.setText(
            f"{count} model{'s' if count != 1 else ''} on this computer "
            f"(downloads go to {tilde_path(self.library.models_dir)})."
        )
        self.installed_status.setToolTip(str(self.library.models_dir))
        self.on_installed_list_selection_changed()

    def _on_installed_failed(self, exc: Exception) -> None:
        self.installed_status.setText("The models could not be listed.")
        self.message_bar.show_error(_error_text(exc, "listing the installed models"))

    def on_installed_list_selection_changed(self) -> None:
        model = self.selected_installed()
        self.use_button.setEnabled(model is not None and model.usable)
        self.delete_button.setEnabled(model is not None and model.removable)
        if model is None:
            self.delete_button.setToolTip("")
        elif model.entry.builtin:
            self.delete_button.setToolTip("The starter model is built in.")
        elif not model.removable:
            self.delete_button.setToolTip(
                f"This file belongs to {model.entry.source}; gptdesk only lists it."
            )
        else:
            self.delete_button.setToolTip(str(model.entry.path))
        self.delete_button.setText(
            "Forget…" if model is not None and model.entry.source == "imported" else "Delete…"
        )

    def _on_removed(self, entry: ModelEntry) -> None:
        self.message_bar.show_info(f"Removed {entry.name}.")
        self.models_changed.emit()
        self.refresh_installed()

    def on_import_button_clicked(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, "Import GGUF models", str(Path.home()), "GGUF models (*.gguf)"
        )
        self.import_files(Path(name) for name in names)

    def _import_one(self, path: Path) -> None:
        library = self.library
        self.installed_status.setText(f"Importing {path.name}… (copying into the models folder)")
        self.show_tab("installed")
        self._submit(
            f"import:{path}",
            lambda: library.import_file(path, copy=True),
            self._on_imported,
            lambda exc: self._on_import_failed(path, exc),
        )

    def _on_imported(self, entry: ModelEntry) -> None:
        self.message_bar.show_info(f"Imported {entry.name} into the models folder.")
        self.models_changed.emit()
        self.refresh_installed()

    def _on_import_failed(self, path: Path, exc: Exception) -> None:
        self.installed_status.setText(f"{path.name} was not imported.")
        self.message_bar.show_error(
            f"{path.name} was not imported: {_error_text(exc, f'importing {path.name}')}"
        )

    # ------------------------------------------------------------------ drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_files(paths)
