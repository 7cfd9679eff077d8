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

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
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

from gptdesk.core.errors import GptdeskError
from gptdesk.core.inference.fit import BASE_OVERHEAD, TIGHT_SHARE, Verdict, estimate_fit
from gptdesk.core.inference.gguf_file import GGUFInfo
from gptdesk.core.models.catalog import CatalogEntry, load_catalog, recommend
from gptdesk.core.models.downloads import DownloadState, DownloadStatus
from gptdesk.core.models.hub import HubClient, HubModel, RemoteModel, read_remote_header
from gptdesk.core.models.library import Library, ModelEntry, describe
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.models.downloads_qt import DownloadsController
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.theme import is_dark

log = logging.getLogger(__name__)

TAB_NAMES = ("recommended", "search", "files", "downloads", "installed")
# The texts of these tables are English, shown translated: tr_module(VERDICT_TEXT[verdict]).
# (Their values are typed object: PySide6's QT_TRANSLATE_NOOP says it returns object.)
VERDICT_TEXT = {
    "fits": QT_TRANSLATE_NOOP("model_manager", "Fits comfortably"),
    "tight": QT_TRANSLATE_NOOP("model_manager", "Tight"),
    "won't fit": QT_TRANSLATE_NOOP("model_manager", "Too big"),
}
# (on light, on dark): at least 4.5:1 against the window and list backgrounds of either theme
VERDICT_COLOR: dict[Verdict, tuple[str, str]] = {
    "fits": ("#1b6e2a", "#6cd68a"),
    "tight": ("#8a5a00", "#f2b94b"),
    "won't fit": ("#a11c1c", "#ff8f87"),
}
ERROR_COLOR = ("#a11c1c", "#ff8f87")
STATE_TEXT = {
    DownloadState.QUEUED: QT_TRANSLATE_NOOP("model_manager", "Waiting"),
    DownloadState.RUNNING: QT_TRANSLATE_NOOP("model_manager", "Downloading"),
    DownloadState.PAUSED: QT_TRANSLATE_NOOP("model_manager", "Paused"),
    DownloadState.VERIFYING: QT_TRANSLATE_NOOP("model_manager", "Checking SHA-256"),
    DownloadState.DONE: QT_TRANSLATE_NOOP("model_manager", "Installed"),
    DownloadState.FAILED: QT_TRANSLATE_NOOP("model_manager", "Failed"),
    DownloadState.CANCELLED: QT_TRANSLATE_NOOP("model_manager", "Cancelled"),
}
SOURCE_TEXT = {  # where an installed model comes from (ModelEntry.source), as the list shows it
    "builtin": QT_TRANSLATE_NOOP("model_manager", "builtin"),
    "models folder": QT_TRANSLATE_NOOP("model_manager", "models folder"),
    "imported": QT_TRANSLATE_NOOP("model_manager", "imported"),
    "huggingface cache": QT_TRANSLATE_NOOP("model_manager", "huggingface cache"),
    "lm studio": QT_TRANSLATE_NOOP("model_manager", "lm studio"),
    "gpt4all": QT_TRANSLATE_NOOP("model_manager", "gpt4all"),
}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# Size-based verdicts add room for the context and compute buffers to the file size; the
# header-based one (estimate_fit) replaces it when the user asks for details.
WORKING_SHARE = 0.2
CELL_PADDING = 12  # extra width of every list cell, so neighbouring columns never touch


def tr_module(text: object) -> str:
    """``text`` (marked with QT_TRANSLATE_NOOP or QCoreApplication.translate in the context
    ``model_manager``) in the interface language."""
    return QCoreApplication.translate("model_manager", str(text))


def source_text(source: str) -> str:
    """Where a model comes from, as the Installed tab says it."""
    return tr_module(SOURCE_TEXT[source]) if source in SOURCE_TEXT else source


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
        return QCoreApplication.translate("model_manager", "{n} bytes").format(n=n)
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
        text = QCoreApplication.translate("model_manager", "about {s} s left")
        return text.format(s=max(s, 1))
    if s < 3600:
        text = QCoreApplication.translate("model_manager", "about {min} min left")
        return text.format(min=round(s / 60))
    text = QCoreApplication.translate("model_manager", "about {h} h {min} min left")
    return text.format(h=s // 3600, min=(s % 3600) // 60)


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
    label.setText(tr_module(VERDICT_TEXT[verdict]))
    label.setProperty("verdict", verdict)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    _set_text_colour(label, VERDICT_COLOR[verdict])
    label.setToolTip(detail)


def _verdict_item(item: QTreeWidgetItem, column: int, verdict: Verdict, detail: str) -> None:
    """A verdict as the text of a list cell: coloured by ForegroundRole, so a selected row
    draws it in the selection's text colour."""
    item.setText(column, tr_module(VERDICT_TEXT[verdict]))
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


def _error_text(exc: Exception, what: str, message: str, **values: object) -> str:
    """The message for a failed background call: a GptdeskError's own text, else ``message``
    (translated, with ``{error}`` for the exception and ``values`` for its other
    placeholders); the traceback goes to the log, where ``what`` (English) names the call."""
    if isinstance(exc, GptdeskError):
        return str(exc)
    log.error("%s failed", what, exc_info=exc)
    return message.format(error=exc, **values)


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
            self.tr(
                "{params}B parameters · {license} · about {size} ({quant}) · {context}k context",
                "or {params_yi} for 亿 (hundreds of millions)",
            ).format(
                params=f"{entry.params_b:g}",
                params_yi=f"{entry.params_b * 10:g}",
                license=entry.license,
                size=human_size(size),
                quant=entry.quants[0],
                context=entry.context // 1024,
            )
        )
        summary = QLabel(QCoreApplication.translate("catalog", entry.summary))
        summary.setWordWrap(True)
        self.verdict_label = QLabel()
        _verdict_label(
            self.verdict_label,
            verdict,
            self.tr("Estimated from the download size and the memory free right now."),
        )
        self.verdict_label.setAccessibleName(self.tr("Fit of {name}").format(name=entry.name))
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setAccessibleName(self.tr("Download {name}").format(name=entry.name))
        self.download_button.setToolTip(f"{entry.repo}, {entry.quants[0]}")
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setVerticalSpacing(2)
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(title)
        if best:
            badge = QLabel(self.tr("★ Best choice for this computer"))
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
        self.title = QLabel(
            f"<b>{Path(status.name).name}</b> <span>— {status.repo_id}</span>"  # i18n: ignore
        )
        self.title.setToolTip(label)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)  # per mille: byte counts overflow a C int
        self.progress.setAccessibleName(self.tr("Progress of {name}").format(name=status.name))
        self.detail = QLabel()
        self.state = QLabel()
        self.state.setAccessibleName(self.tr("State of {name}").format(name=status.name))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.resume_button = QPushButton(self.tr("Resume"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.use_button = QPushButton(self.tr("Use this model"))
        for button, name in (
            (self.pause_button, self.tr("Pause {name}")),
            (self.resume_button, self.tr("Resume {name}")),
            (self.cancel_button, self.tr("Cancel {name}")),
            (self.use_button, self.tr("Use {name}")),
        ):
            button.setAccessibleName(name.format(name=status.name))
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
        parts = [
            self.tr("{done} of {total}").format(
                done=human_size(status.done_bytes), total=human_size(status.total_bytes)
            )
        ]
        if state is DownloadState.RUNNING and status.speed_bps > 0:
            parts.append(self.tr("{size}/s").format(size=human_size(int(status.speed_bps))))
            if eta := human_eta(status.eta_s):
                parts.append(eta)
        self.detail.setText(" · ".join(parts))
        self.state.setText(tr_module(STATE_TEXT[state]))
        failed = self.failed = state is DownloadState.FAILED
        self.message.setText(status.message)
        self.message.setVisible(bool(status.message))
        _set_text_colour(self.message, ERROR_COLOR if failed else None)
        live = not state.finished or failed
        resumable = state in (DownloadState.PAUSED, DownloadState.FAILED)
        self.pause_button.setEnabled(state in (DownloadState.QUEUED, DownloadState.RUNNING))
        self.pause_button.setVisible(live and not resumable)
        self.resume_button.setText(self.tr("Retry") if failed else self.tr("Resume"))
        self.resume_button.setAccessibleName(
            (self.tr("Retry {name}") if failed else self.tr("Resume {name}")).format(
                name=status.name
            )
        )
        self.resume_button.setEnabled(resumable)
        self.resume_button.setVisible(resumable)
        self.cancel_button.setEnabled(
            state in (DownloadState.QUEUED, DownloadState.RUNNING, DownloadState.PAUSED) or failed
        )
        self.cancel_button.setVisible(live)
        self.cancel_button.setText(self.tr("Discard") if failed else self.tr("Cancel"))
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

        self.setWindowTitle(self.tr("Models — gptdesk"))
        self.setAccessibleName(self.tr("Model manager"))
        self.setAcceptDrops(True)
        self.resize(900, 600)
        self.message_bar = MessageBar(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Model manager sections"))
        self.tabs.addTab(self._build_recommended(), self.tr("&Recommended"))
        self.tabs.addTab(self._build_search(), self.tr("&Search Hub"))
        self.tabs.addTab(self._build_files(), self.tr("&Files"))
        self.tabs.addTab(self._build_downloads(), self.tr("&Downloads"))
        self.tabs.addTab(self._build_installed(), self.tr("&Installed"))
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
            self.tr(
                "Models picked for chat and writing. Sizes are estimates until the download "
                "starts; the verdict compares them with the memory free on this computer now."
            )
        )
        intro.setWordWrap(True)
        self.recommended_status = QLabel(self.tr("Loading the catalog…"))
        self.recommended_list = QWidget()
        self.recommended_layout = QVBoxLayout(self.recommended_list)
        self.recommended_layout.setContentsMargins(0, 0, 0, 0)
        self.recommended_layout.addStretch(1)
        scroll = _card_scroll(self.recommended_list)
        scroll.setAccessibleName(self.tr("Recommended models"))
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.recommended_status)
        layout.addWidget(scroll, 1)
        return page

    def _build_search(self) -> QWidget:
        page = QWidget()
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText(
            self.tr("Search GGUF models on the Hub, e.g. qwen or llama 3b")
        )
        self.search_field.setAccessibleName(self.tr("Search the Hub"))
        self.search_field.setClearButtonEnabled(True)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setAccessibleName(self.tr("Search"))
        self.search_status = QLabel(self.tr("Type a name and press Enter."))
        self.search_results = QTreeWidget()
        self.search_results.setAccessibleName(self.tr("Search results"))
        self.search_results.setHeaderLabels(
            [self.tr("Repository"), self.tr("Downloads"), self.tr("Likes"), self.tr("Access")]
        )
        self.search_results.setRootIsDecorated(False)
        self.search_results.setUniformRowHeights(True)
        header = self.search_results.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.show_files_button = QPushButton(self.tr("Show files"))
        self.show_files_button.setAccessibleName(
            self.tr("Show the files of the selected repository")
        )
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
        self.repo_field.setPlaceholderText(
            self.tr("owner/repository, e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF")
        )
        self.repo_field.setAccessibleName(self.tr("Repository"))
        self.list_files_button = QPushButton(self.tr("List files"))
        self.list_files_button.setAccessibleName(self.tr("List files"))
        self.files_status = QLabel(self.tr("Choose a search result or type a repository."))
        self.files_status.setWordWrap(True)
        self.files_list = QTreeWidget()
        self.files_list.setAccessibleName(self.tr("Files of the repository"))
        self.files_list.setHeaderLabels(
            [self.tr("Quant"), self.tr("File"), self.tr("Size"), self.tr("On this computer"), ""]
        )
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
        self.check_fit_button = QPushButton(self.tr("Check fit from the model's header"))
        self.check_fit_button.setAccessibleName(self.tr("Check fit from the model's header"))
        self.check_fit_button.setToolTip(
            self.tr(
                "Reads the first megabytes of the smallest file to estimate memory use "
                "precisely (at {n_ctx} tokens of context)."
            ).format(n_ctx=self.n_ctx)
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
            self.tr("No downloads yet. Pick a model on the Recommended or Search Hub tab.")
        )
        self.downloads_list = QWidget()
        self.downloads_layout = QVBoxLayout(self.downloads_list)
        self.downloads_layout.setContentsMargins(0, 0, 0, 0)
        self.downloads_layout.addStretch(1)
        scroll = _card_scroll(self.downloads_list)
        scroll.setAccessibleName(self.tr("Download queue"))
        self.clear_finished_button = QPushButton(self.tr("Clear finished"))
        self.clear_finished_button.setAccessibleName(self.tr("Clear finished downloads"))
        note = QLabel(
            self.tr("Downloads go on when this window is closed; unfinished ones resume later.")
        )
        note.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
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
        self.installed_list.setAccessibleName(self.tr("Installed models"))
        self.installed_list.setHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Architecture"),
                self.tr("Parameters"),
                self.tr("Quant"),
                self.tr("Context"),
                self.tr("Size"),
                self.tr("Source"),
            ]
        )

        self.installed_list.setRootIsDecorated(False)
        self.installed_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.installed_list.setItemDelegate(_PaddedDelegate(self.installed_list))
        header = self.installed_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 7):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.installed_status = QLabel(self.tr("Looking for models…"))
        self.use_button = QPushButton(self.tr("Use this model"))
        self.use_button.setAccessibleName(self.tr("Use the selected model"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setAccessibleName(self.tr("Delete the selected model"))
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setAccessibleName(self.tr("Import a GGUF file"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh installed models"))
        self.use_button.setEnabled(False)
        self.delete_button.setEnabled(False)
        hint = QLabel(self.tr("Drop .gguf files on this window to import them."))
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

        self.recommended_status.setText(self.tr("Loading the catalog…"))
        self._submit("catalog", work, self._on_catalog_loaded, self._on_catalog_failed)

    def search(self, query: str) -> None:
        """Search the Hub for GGUF repos matching ``query`` (in the background)."""
        self.show_tab("search")
        self.search_field.setText(query)
        self.search_status.setText(
            self.tr("Searching the Hub for “{query}”…").format(query=query)
            if query
            else self.tr("Searching…")
        )
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
            self.files_status.setText(self.tr("Type a repository such as owner/name-GGUF."))
            return
        self.repo = repo
        self.files_list.clear()
        self._files = []
        self.check_fit_button.setEnabled(False)
        self.files_status.setText(self.tr("Listing the files of {repo}…").format(repo=repo))
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

        self.installed_status.setText(self.tr("Looking for models…"))
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
                self.tr(
                    "{names}: only GGUF model files (.gguf) can be imported. Download a GGUF "
                    "version of the model, or convert it with llama.cpp's convert_hf_to_gguf.py."
                ).format(names=names)
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
            question = self.tr("Forget {name}? The file stays where it is:\n{path}").format(
                name=entry.name, path=entry.path
            )
        else:
            question = self.tr(
                "Delete {name} from the models folder? This frees its disk space."
            ).format(name=entry.name)
        answer = QMessageBox.question(
            self,
            self.tr("Remove model"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        library = self.library
        spec = str(entry.path)
        self.installed_status.setText(self.tr("Removing {name}…").format(name=entry.name))
        failed = self.tr(
            "Something went wrong while removing {name} ({error}). Try again; the log has details."
        )
        self._submit(
            f"remove:{spec}",
            lambda: library.remove(spec),
            self._on_removed,
            lambda exc: self.message_bar.show_error(
                _error_text(exc, "removing the model", failed, name=entry.name)
            ),
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
        text = (
            self.tr("{size} of memory is free now.")
            if best
            else self.tr(
                "{size} of memory is free now. None of these fits comfortably; close other "
                "programs first."
            )
        )
        self.recommended_status.setText(text.format(size=human_size(ram)))

    def _on_catalog_failed(self, exc: Exception) -> None:
        self.recommended_status.setText(self.tr("The catalog could not be read."))
        self.message_bar.show_error(
            _error_text(
                exc,
                "reading the catalog",
                self.tr(
                    "Something went wrong while reading the catalog of recommended models "
                    "({error}). Try again; the log has details."
                ),
            )
        )

    def _download_from_repo(self, repo: str, quants: tuple[str, ...]) -> None:
        self.show_tab("downloads")
        self._set_downloads_status(self.tr("Looking up the files of {repo}…").format(repo=repo))
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
            have = ", ".join(m.quant or m.name for m in models) or self.tr("no GGUF files")
            self.message_bar.show_error(
                self.tr(
                    "{repo} has no {quant} file (it has {have}). Pick one on the Files tab."
                ).format(repo=repo, quant="/".join(quants), have=have)
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
        self.message_bar.show_error(self._listing_failed(exc, repo))

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
                    self.tr("Gated: needs a token") if model.gated else self.tr("Open"),
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
        if len(results) == 1:
            text = self.tr(
                "{n} repository. Press Enter or double-click it to see its files.",
            )
        elif results:
            text = self.tr(
                "{n} repositories, most downloaded first. "
                "Press Enter or double-click one to see its files."
            )
        else:
            text = self.tr("No GGUF models match “{query}”. Try a shorter name.")
        self.search_status.setText(text.format(n=len(results), query=query))

    def _on_search_failed(self, exc: Exception) -> None:
        self.search_status.setText(self.tr("The search did not complete."))
        self.message_bar.show_error(
            _error_text(
                exc,
                "searching the Hub",
                self.tr(
                    "Something went wrong while searching the Hub ({error}). Try again; the "
                    "log has details."
                ),
            )
        )

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
            name = model.name
            if len(model.parts) > 1:
                name = self.tr("{name} ({n} parts)").format(name=name, n=len(model.parts))
            item = QTreeWidgetItem([model.quant or "?", name, human_size(model.size), "", ""])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            item.setTextAlignment(2, RIGHT)
            if self.ram_free is not None:
                _verdict_item(
                    item,
                    3,
                    size_verdict(model.size, self.ram_free),
                    self.tr(
                        "Estimated from the file size; “Check fit” reads the header for a "
                        "precise estimate."
                    ),
                )
            self.files_list.addTopLevelItem(item)
            if index == 0:
                self.files_list.setCurrentItem(item)
            button = QPushButton(self.tr("Download"))
            button.setAccessibleName(self.tr("Download {name}").format(name=model.name))
            button.clicked.connect(lambda _checked=False, m=model: self._download_file(m))
            cell = QWidget()  # room between the button, the row's edges and the next row
            cell_layout = QHBoxLayout(cell)
            cell_layout.setContentsMargins(6, 1, 6, 1)
            cell_layout.addWidget(button)
            self.files_list.setItemWidget(item, 4, cell)
        if len(models) == 1:
            text = self.tr("{repo}: 1 GGUF file.")
        elif models:
            text = self.tr(
                "{repo}: {n} GGUF files, best quality first. Smaller files use less memory; "
                "Q4_K_M is a good balance."
            )
        else:
            text = self.tr(
                "{repo} has no GGUF files. Search for the same model with “GGUF” in the name."
            )
        self.files_status.setText(text.format(repo=repo, n=len(models)))
        if models:
            self.check_fit_button.setEnabled(True)

    def _listing_failed(self, exc: Exception, repo: str) -> str:
        return _error_text(
            exc,
            f"listing the files of {repo}",
            self.tr(
                "Something went wrong while listing the files of {repo} ({error}). Try again; "
                "the log has details."
            ),
            repo=repo,
        )

    def _on_files_failed(self, repo: str, exc: Exception) -> None:
        self.files_status.setText(
            self.tr("The files of {repo} could not be listed.").format(repo=repo)
        )
        self.message_bar.show_error(self._listing_failed(exc, repo))

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
        self.files_status.setText(self.tr("Reading the header of {name}…").format(name=probe.name))
        self._submit("fit", work, self._on_fit_checked, self._on_fit_failed)

    def _on_fit_checked(self, result: tuple[list[RemoteModel], list[tuple[Verdict, str]]]) -> None:
        files, fits = result
        self.check_fit_button.setEnabled(True)
        if files != self._files:
            return  # another repo was listed meanwhile
        for index, (verdict, summary) in enumerate(fits):
            _verdict_item(self.files_list.topLevelItem(index), 3, verdict, summary)
        self.files_status.setText(
            self.tr(
                "Fit estimated from the model's header at {n_ctx} tokens of context; hover a "
                "verdict for the numbers."
            ).format(n_ctx=self.n_ctx)
        )

    def _on_fit_failed(self, exc: Exception) -> None:
        self.check_fit_button.setEnabled(True)
        self.files_status.setText(
            self.tr("The precise fit is unknown; the verdicts are size estimates.")
        )
        self.message_bar.show_error(
            _error_text(
                exc,
                "reading the model's header",
                self.tr(
                    "Something went wrong while reading the model's header ({error}). Try "
                    "again; the log has details."
                ),
            )
        )

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
        text = (
            self.tr(
                "{n} unfinished download from last time is paused on the Downloads tab; press "
                "Resume to go on."
            )
            if count == 1
            else self.tr(
                "{n} unfinished downloads from last time are paused on the Downloads tab; press "
                "Resume to go on."
            )
        )
        self.message_bar.show_info(text.format(n=count))

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
                    source_text(entry.source),
                ]
            else:
                columns = [
                    entry.name,
                    self.tr("unusable"),
                    "",
                    "",
                    "",
                    "",
                    source_text(entry.source),
                ]
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
        text = (
            self.tr("{n} model on this computer (downloads go to {folder}).")
            if count == 1
            else self.tr("{n} models on this computer (downloads go to {folder}).")
        )
        self.installed_status.setText(
            text.format(n=count, folder=tilde_path(self.library.models_dir))
        )
        self.installed_status.setToolTip(str(self.library.models_dir))
        self.on_installed_list_selection_changed()

    def _on_installed_failed(self, exc: Exception) -> None:
        self.installed_status.setText(self.tr("The models could not be listed."))
        self.message_bar.show_error(
            _error_text(
                exc,
                "listing the installed models",
                self.tr(
                    "Something went wrong while listing the installed models ({error}). Try "
                    "again; the log has details."
                ),
            )
        )

    def on_installed_list_selection_changed(self) -> None:
        model = self.selected_installed()
        self.use_button.setEnabled(model is not None and model.usable)
        self.delete_button.setEnabled(model is not None and model.removable)
        if model is None:
            self.delete_button.setToolTip("")
        elif model.entry.builtin:
            self.delete_button.setToolTip(self.tr("The starter model is built in."))
        elif not model.removable:
            self.delete_button.setToolTip(
                self.tr("This file belongs to {source}; gptdesk only lists it.").format(
                    source=source_text(model.entry.source)
                )
            )
        else:
            self.delete_button.setToolTip(str(model.entry.path))
        self.delete_button.setText(
            self.tr("Forget…")
            if model is not None and model.entry.source == "imported"
            else self.tr("Delete…")
        )

    def _on_removed(self, entry: ModelEntry) -> None:
        self.message_bar.show_info(self.tr("Removed {name}.").format(name=entry.name))
        self.models_changed.emit()
        self.refresh_installed()

    def on_import_button_clicked(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Import GGUF models"), str(Path.home()), self.tr("GGUF models (*.gguf)")
        )
        self.import_files(Path(name) for name in names)

    def _import_one(self, path: Path) -> None:
        library = self.library
        self.installed_status.setText(
            self.tr("Importing {file}… (copying into the models folder)").format(file=path.name)
        )
        self.show_tab("installed")
        self._submit(
            f"import:{path}",
            lambda: library.import_file(path, copy=True),
            self._on_imported,
            lambda exc: self._on_import_failed(path, exc),
        )

    def _on_imported(self, entry: ModelEntry) -> None:
        self.message_bar.show_info(
            self.tr("Imported {name} into the models folder.").format(name=entry.name)
        )
        self.models_changed.emit()
        self.refresh_installed()

    def _on_import_failed(self, path: Path, exc: Exception) -> None:
        self.installed_status.setText(self.tr("{file} was not imported.").format(file=path.name))
        reason = _error_text(
            exc,
            f"importing {path.name}",
            self.tr(
                "Something went wrong while importing {file} ({error}). Try again; the log has "
                "details."
            ),
            file=path.name,
        )
        self.message_bar.show_error(
            self.tr("{file} was not imported: {reason}").format(file=path.name, reason=reason)
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
