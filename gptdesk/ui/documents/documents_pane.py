"""The Documents pane: a collection of files and folders, indexed in the background, and
questions answered from its best passages with numbered, clickable sources.

Nothing here touches the disk or SQLite on the GUI thread. A scan (``core.documents.scan``)
runs on a thread of its own with its own ``DocumentIndex`` connection and reports through
queued signals, at most every ``PROGRESS_S``; Stop sets its cancel event. It is not put on
``BackgroundTasks``: a scan of a big folder would hold one of the pool's two threads for
minutes, and the model list and file reads wait behind it. The file list, removals and the
passage search go through ``BackgroundTasks``, each with a connection of its own. While a scan
runs, the file list is read again at most every ``LIVE_REFRESH_MS`` (one read for all the
progress in between; WAL lets it read while the scan writes), and rows already shown keep
their place, selection and scroll position.

New… makes a collection in the pane only: the index stores it when files are first added
to it (``DocumentIndex.add_paths``), so a collection nobody filled leaves nothing behind.

An answer is a core job (``core.documents.answer``) on the engine thread; the sources are the
app's (retrieved before the model runs), the model's citations of passages that do not exist
are removed by the job, and each remaining ``[n]`` becomes a link to its source. When no
passage matches, the pane says so and the model is not asked.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.documents import scan as scan_module
from gptdesk.core.documents.answer import NOTHING_FOUND, Source, answer_job, cited, retrieve
from gptdesk.core.documents.embed import EmbedProgress, HostEmbedder, embed_collection
from gptdesk.core.documents.index import DEFAULT_COLLECTION, DocumentIndex, FileInfo
from gptdesk.core.documents.scan import ScanFinished, ScanProgress, ScanReport
from gptdesk.core.errors import DocumentIndexError, GptdeskError
from gptdesk.core.i18n import translate
from gptdesk.core.inference.backend import GenerationStats, ModelStatus, SamplingParams
from gptdesk.core.writing.documents import KINDS
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.ui.chat.markdown import render_markdown, render_plain, theme_from_palette
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks

log = logging.getLogger(__name__)

PROGRESS_S = 0.1  # a scan reports at most this often (the label and bar repaint as often)
LIVE_REFRESH_MS = 1000  # while a scan runs, the file list is read again at most this often
LIVE_SHARE = 10  # ... and a big one less often: reading and showing it takes 1/10 of the time
MAX_DIFF_RUNS = 200  # a list read again that differs in more runs of rows is reset instead
FLUSH_MS = 30  # streamed answer text is appended at most this often
K_SOURCES = 5  # passages an answer is given
TOOLTIP_CHARS = 400  # a source's passage in its tooltip is cut to about this
NAME_PX = 220  # the file name in the progress line is elided to this width
ANSWER_PARAMS = SamplingParams(temperature=0.2, max_tokens=768)  # answers stick to the text
SOURCE_HREF = "#source-"
_CITATION = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")

NO_MODEL = QT_TRANSLATE_NOOP(
    "documents_pane", "Load a model to ask your documents (pick one in the top bar or in Models…)."
)
NO_DOCUMENTS = QT_TRANSLATE_NOOP(
    "documents_pane", "This collection has no documents yet: add files or a folder first."
)
PLACEHOLDER = QT_TRANSLATE_NOOP(
    "documents_pane",
    "Ask a question: the answer comes from the passages of this collection that match it best, "
    "with numbered sources.",
)


def _t(text: object) -> str:
    """``text`` (marked with QT_TRANSLATE_NOOP in this module) in the interface language."""
    return QCoreApplication.translate("documents_pane", str(text))


def file_filter() -> str:
    """The Add files dialog's filters, their names in the interface language."""
    patterns = " ".join(f"*{suffix}" for suffix in KINDS)
    documents = QCoreApplication.translate("documents_pane", "Documents ({patterns})")
    every = QCoreApplication.translate("documents_pane", "All files (*)")
    return f"{documents.format(patterns=patterns)};;{every}"


def source_url(source: Source) -> QUrl:
    """The file of ``source`` as a URL to open; a PDF at its page (``#page=N``: the fragment
    PDF viewers understand)."""
    url = QUrl.fromLocalFile(str(source.path))
    if source.page is not None and source.path.suffix.lower() == ".pdf":
        url.setFragment(f"page={source.page}")
    return url


def shorten(text: str, limit: int = TOOLTIP_CHARS) -> str:
    """``text`` with runs of white space made one, cut at a word near ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + " …"


def link_citations(body: str, numbers: set[int]) -> str:
    """Rendered HTML with each ``[n]`` of a known source made a link to ``#source-n``."""

    def link(match: re.Match[str]) -> str:
        parts = re.split(r"(\d+)", match.group(1))
        out = []
        for part in parts:
            if part.isdigit() and int(part) in numbers:
                out.append(f'<a href="{SOURCE_HREF}{part}">{part}</a>')
            else:
                out.append(part)
        return "[" + "".join(out) + "]"

    return _CITATION.sub(link, body)


def format_eta(seconds: float | None) -> str:
    """A scan's time left as the progress line shows it ("" when not known yet)."""
    if seconds is None:
        return ""
    if seconds < 60:
        return _t(QT_TRANSLATE_NOOP("documents_pane", "about {n} s left")).format(
            n=max(1, round(seconds))
        )
    if seconds < 3600:
        return _t(QT_TRANSLATE_NOOP("documents_pane", "about {n} min left")).format(
            n=round(seconds / 60)
        )
    return _t(QT_TRANSLATE_NOOP("documents_pane", "about {n} h left")).format(
        n=f"{seconds / 3600:.1f}"
    )


class ScanRun(QObject):
    """One scan of a collection on a thread of its own (with its own ``DocumentIndex``).

    Made and connected on the GUI thread; its signals are emitted from the scan's thread and
    so arrive queued. It has no parent: the thread keeps it alive until it ends, and a pane
    that is gone by then is simply disconnected."""

    progressed = Signal(ScanProgress)
    """Where the scan is (files and bytes done and in all, the current file, the ETA); at most
    every ``PROGRESS_S``."""
    embedding = Signal(EmbedProgress)
    """After the files: passages with a vector of the embedder, of all (at most every
    ``PROGRESS_S``)."""
    embed_failed = Signal(str)
    """The embedder could not run (the scan's report still follows): the message to show."""
    finished = Signal(ScanReport)
    """The scan ended (to the end, or stopped: ``report.cancelled``); what it did."""
    failed = Signal(str)
    """The scan could not run (the index cannot be opened or written): the message to show."""

    def __init__(
        self,
        index_path: Path,
        collection: str,
        paths: Sequence[Path] | None = None,
        embedder: HostEmbedder | None = None,
    ) -> None:
        super().__init__()
        self.index_path = index_path
        self.collection = collection
        self.paths = list(paths) if paths is not None else None
        self.embedder = embedder
        self.cancel = threading.Event()
        # A daemon: quitting does not wait for a PDF being parsed; a file is stored in one
        # transaction, so one cut short is simply not there.
        self._thread = threading.Thread(target=self._run, name="gptdesk-docs-scan", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the scan to stop (after the file or batch of passages it is on)."""
        self.cancel.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Wait for the thread to end; True if it did."""
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _embed(self, index: DocumentIndex) -> None:
        """Give the collection's new passages their vectors (Stop ends it between batches)."""
        embedder = self.embedder
        if embedder is None:
            return
        last = [0.0]

        def report(progress: EmbedProgress) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_S:
                last[0] = now
                self.embedding.emit(progress)

        try:
            embed_collection(index, embedder, self.collection, self.cancel, report)
        except GptdeskError as exc:
            if not self.cancel.is_set():
                self.embed_failed.emit(str(exc))

    def _run(self) -> None:
        last = 0.0
        try:
            with DocumentIndex(self.index_path) as index:
                events = scan_module.scan(index, self.collection, self.paths, cancel=self.cancel)
                for event in events:
                    if isinstance(event, ScanFinished):
                        if not event.report.cancelled:
                            self._embed(index)
                        self.finished.emit(event.report)
                        return
                    now = time.monotonic()
                    if now - last >= PROGRESS_S:
                        last = now
                        self.progressed.emit(event)
        except GptdeskError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug must end the scan visibly, not leave it "running"
            log.exception("scanning %s failed", self.collection)
            self.failed.emit(
                _t(
                    QT_TRANSLATE_NOOP(
                        "documents_pane", "Indexing stopped because of an error: {error}"
                    )
                ).format(error=f"{type(exc).__name__}: {exc}")
            )


class FilesModel(QAbstractTableModel):
    """The files of the shown collection: name and status (indexed with its passages, or
    failed with the reason as tooltip)."""

    COLUMNS = 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._files: list[FileInfo] = []

    @property
    def files(self) -> list[FileInfo]:
        return list(self._files)

    def set_files(self, files: list[FileInfo]) -> None:
        """Show ``files``. When the shown rows and ``files`` are both in path order (as the
        index lists them), rows are inserted, removed and updated where they differ, so a
        list read again during a scan keeps its selection, current row and scroll position;
        otherwise (or when they differ in more than ``MAX_DIFF_RUNS`` places) the model is
        reset."""
        files = list(files)
        edits = self._diff(files)
        if edits is None:
            self.beginResetModel()
            self._files = files
            self.endResetModel()
            return
        changed: list[int] = []
        for row, removed, added, updated in edits:
            if removed:
                self.beginRemoveRows(QModelIndex(), row, row + removed - 1)
                del self._files[row : row + removed]
                self.endRemoveRows()
            if added:
                self.beginInsertRows(QModelIndex(), row, row + len(added) - 1)
                self._files[row:row] = added
                self.endInsertRows()
            if updated is not None:
                self._files[row] = updated
                changed.append(row)
        if changed:  # rows come in order, each at its final place
            self.dataChanged.emit(
                self.index(changed[0], 0), self.index(changed[-1], self.COLUMNS - 1)
            )

    def _diff(
        self, files: list[FileInfo]
    ) -> list[tuple[int, int, list[FileInfo], FileInfo | None]] | None:
        """The edits that turn the shown rows into ``files``, in row order: (row, rows to
        remove there, files to insert there, a file that replaces that row); None when a
        reset is the better way (a list not in path order, or too different)."""
        old = [str(f.path) for f in self._files]
        new = [str(f.path) for f in files]
        if not old or not new:
            return None
        if any(a >= b for a, b in pairwise(old)) or any(a >= b for a, b in pairwise(new)):
            return None
        edits: list[tuple[int, int, list[FileInfo], FileInfo | None]] = []
        i = j = row = 0  # i in the shown rows, j in ``files``, row: where the edit lands
        while i < len(old) or j < len(new):
            if len(edits) > MAX_DIFF_RUNS:
                return None
            if i < len(old) and j < len(new) and old[i] == new[j]:
                if self._files[i] != files[j]:
                    edits.append((row, 0, [], files[j]))
                i, j, row = i + 1, j + 1, row + 1
                continue
            start_i, start_j = i, j
            while i < len(old) and (j == len(new) or old[i] < new[j]):
                i += 1
            while j < len(new) and (i == len(old) or new[j] < old[i]):
                j += 1
            edits.append((row, i - start_i, files[start_j:j], None))
            row += j - start_j
        return edits

    def file_at(self, row: int) -> FileInfo:
        return self._files[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._files)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return QCoreApplication.translate("documents_pane", "File")
        return QCoreApplication.translate("documents_pane", "Status")

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._files):
            return None
        info = self._files[index.row()]
        failed = info.status == "failed"
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return info.path.name
            if failed:
                return QCoreApplication.translate("documents_pane", "Failed")
            if info.chunks == 1:
                return QCoreApplication.translate("documents_pane", "Indexed · 1 passage")
            return QCoreApplication.translate("documents_pane", "Indexed · {n} passages").format(
                n=info.chunks
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            if failed:
                return f"{info.path}\n{info.error or ''}".rstrip()
            return str(info.path)
        if role == Qt.ItemDataRole.ForegroundRole and failed and index.column() == 1:
            return QApplication.palette().placeholderText()
        return None


class DocumentsPane(QWidget):
    """A collection's files (add, remove, rescan, with progress and Stop) and questions
    answered from them."""

    busy_changed = Signal(bool)
    """The pane started (True) or ended (False) answering a question."""
    files_changed = Signal()
    """The file list and the collections were read again (after a scan, a removal, a pick)."""
    files_updated = Signal()
    """While a scan runs, the file list (only it) was read again: at most every
    ``LIVE_REFRESH_MS``, and only when the scan made progress since."""
    scan_started = Signal()
    """A scan (an add or a rescan) began on its thread."""
    scan_progressed = Signal(ScanProgress)
    """The running scan's progress, as shown (at most every ``PROGRESS_S``)."""
    scan_finished = Signal(ScanReport)
    """The scan ended, to the end or stopped; its report (problems included)."""
    answer_finished = Signal(str)
    """An answer ended (finished, stopped, or nothing found); the text shown (Markdown)."""
    embedder_chosen = Signal(str)
    """The user chose the embedding model for search by meaning (its path; "" for none)."""

    def __init__(
        self,
        controller: EngineController,
        tasks: BackgroundTasks,
        message_bar: MessageBar,
        index_path: Path,
        prompts: PromptTemplates | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.tasks = tasks
        self.message_bar = message_bar
        self.index_path = Path(index_path)
        self.prompts = prompts
        self._collection = DEFAULT_COLLECTION
        self._loaded: ModelStatus | None = None
        self._scan: ScanRun | None = None
        self._report: ScanReport | None = None
        self._refresh_task: int | None = None
        self._stored_collections: list[str] = []  # in the index, as last read
        self._new_collections: set[str] = set()  # made here, not in the index until files are
        self._live_timer = QTimer(self)  # reads the file list again while a scan runs
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_REFRESH_MS)
        self._search_task: int | None = None
        self._embedder: HostEmbedder | None = None
        self._embedder_task: int | None = None
        self._request_id: int | None = None
        self._question = ""
        self._answer = ""
        self._sources: list[Source] = []
        self._buffer: list[str] = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._build()
        self._connect_signals()
        self._update_buttons()
        self.refresh()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        # --- the collection
        self.collection_combo = QComboBox()
        self.collection_combo.setAccessibleName(self.tr("Collection"))
        self.collection_combo.setToolTip(self.tr("The collection of documents to ask"))
        self.collection_combo.addItem(DEFAULT_COLLECTION, DEFAULT_COLLECTION)
        self.collection_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        collection_label = QLabel(self.tr("&Collection:"))
        collection_label.setBuddy(self.collection_combo)
        self.new_collection_button = QPushButton(self.tr("&New…"))
        self.new_collection_button.setAccessibleName(self.tr("New collection"))
        self.new_collection_button.setToolTip(
            self.tr("Make a new collection and show it; it is kept once files are added to it")
        )

        self.embedder_combo = QComboBox()
        self.embedder_combo.setAccessibleName(self.tr("Search by meaning"))
        self.embedder_combo.setToolTip(
            self.tr(
                "An embedding model finds passages by what they mean, also in another language, "
                "as well as by their words. Get one in Models… (Qwen3 Embedding)."
            )
        )
        self.embedder_combo.addItem(self.tr("Off (words only)"), "")
        self.embedder_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.embedder_combo.setMinimumContentsLength(8)
        embedder_label = QLabel(self.tr("Meanin&g:"))
        embedder_label.setBuddy(self.embedder_combo)
        embedder_label.setToolTip(self.embedder_combo.toolTip())

        self.add_files_button = QPushButton(self.tr("Add &files…"))
        self.add_files_button.setAccessibleName(self.tr("Add files to the collection"))
        self.add_files_button.setToolTip(
            self.tr("Add .txt, .md, .html, .pdf or .docx files; they are indexed in the background")
        )
        self.add_folder_button = QPushButton(self.tr("Add f&older…"))
        self.add_folder_button.setAccessibleName(self.tr("Add a folder to the collection"))
        self.add_folder_button.setToolTip(
            self.tr("Add a folder and everything in it that gptdesk can read")
        )
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected files"))
        self.remove_button.setToolTip(
            self.tr("Remove the selected files from the collection (the files themselves stay)")
        )
        self.rescan_button = QPushButton(self.tr("Re&scan"))
        self.rescan_button.setAccessibleName(self.tr("Rescan the collection"))
        self.rescan_button.setToolTip(
            self.tr("Look for new, changed and deleted files; unchanged files are not read again")
        )

        self.files_model = FilesModel(self)
        self.files_view = QTreeView()
        self.files_view.setAccessibleName(self.tr("Documents in the collection"))
        self.files_view.setModel(self.files_model)
        self.files_view.setRootIsDecorated(False)
        self.files_view.setUniformRowHeights(True)  # fast with tens of thousands of files
        self.files_view.setAlternatingRowColors(True)
        self.files_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.files_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.files_view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.files_label = QLabel()
        self.files_label.setAccessibleName(self.tr("Collection summary"))
        self.files_label.setWordWrap(True)

        self.scan_bar = QProgressBar()
        self.scan_bar.setAccessibleName(self.tr("Indexing progress"))
        self.scan_bar.setTextVisible(False)
        self.scan_bar.setMaximumHeight(self.fontMetrics().height() // 2 + 4)
        self.scan_label = QLabel()
        self.scan_label.setAccessibleName(self.tr("Indexing status"))
        self.scan_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.stop_scan_button = QPushButton(self.tr("S&top indexing"))
        self.stop_scan_button.setAccessibleName(self.tr("Stop indexing"))
        self.stop_scan_button.setToolTip(
            self.tr("Stop after the current file; what is indexed so far stays")
        )
        self.scan_box = QWidget()
        scan_layout = QVBoxLayout(self.scan_box)
        scan_layout.setContentsMargins(0, 0, 0, 0)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_label, 1)
        scan_row.addWidget(self.stop_scan_button)
        scan_layout.addLayout(scan_row)
        scan_layout.addWidget(self.scan_bar)
        self.scan_box.hide()

        self.report_label = QLabel()
        self.report_label.setAccessibleName(self.tr("Indexing report"))
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QPushButton(self.tr("&Details"))
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName(self.tr("Show the files that could not be read"))
        self.details_button.hide()
        self.problems_list = QListWidget()
        self.problems_list.setAccessibleName(self.tr("Files that could not be read"))
        self.problems_list.setWordWrap(True)
        self.problems_list.setMaximumHeight(self.fontMetrics().height() * 7)
        self.problems_list.hide()

        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(collection_label)
        top.addWidget(self.collection_combo, 1)
        top.addWidget(self.new_collection_button)
        left_column.addLayout(top)
        meaning = QHBoxLayout()
        meaning.addWidget(embedder_label)
        meaning.addWidget(self.embedder_combo, 1)
        left_column.addLayout(meaning)
        buttons = QGridLayout()  # two by two: the window fits an 800-pixel screen
        buttons.addWidget(self.add_files_button, 0, 0)
        buttons.addWidget(self.add_folder_button, 0, 1)
        buttons.addWidget(self.remove_button, 1, 0)
        buttons.addWidget(self.rescan_button, 1, 1)
        left_column.addLayout(buttons)
        left_column.addWidget(self.files_view, 1)
        left_column.addWidget(self.files_label)
        left_column.addWidget(self.scan_box)
        report_row = QHBoxLayout()
        report_row.addWidget(self.report_label, 1)
        report_row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        left_column.addLayout(report_row)
        left_column.addWidget(self.problems_list)

        # --- the question and its answer
        self.question_edit = QLineEdit()
        self.question_edit.setAccessibleName(self.tr("Question"))
        self.question_edit.setPlaceholderText(self.tr("Ask something your documents answer"))
        self.question_edit.setClearButtonEnabled(True)
        question_label = QLabel(self.tr("&Question:"))
        question_label.setBuddy(self.question_edit)
        self.ask_button = QPushButton(self.tr("&Ask"))
        self.ask_button.setAccessibleName(self.tr("Ask the documents"))
        self.ask_button.setDefault(False)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop answering"))
        self.stop_button.setToolTip(self.tr("Stop answering (Esc)"))

        self.answer_view = QTextBrowser()
        self.answer_view.setAccessibleName(self.tr("Answer"))
        self.answer_view.setOpenLinks(False)
        self.answer_view.setPlaceholderText(_t(PLACEHOLDER))
        self.answer_view.setUndoRedoEnabled(False)
        self.answer_view.setTabChangesFocus(True)

        self.sources_title = QLabel(self.tr("Sources"))
        self.sources_list = QListWidget()
        self.sources_list.setAccessibleName(self.tr("Sources"))
        self.sources_list.setToolTip(self.tr("Click a source (or press Enter) to open its file"))
        self.sources_list.setWordWrap(True)
        self.sources_list.setCursor(Qt.CursorShape.PointingHandCursor)
        self.sources_list.installEventFilter(self)
        self.sources_title.setBuddy(self.sources_list)
        self.passage_label = QLabel()
        self.passage_label.setAccessibleName(self.tr("Passage"))
        self.passage_label.setWordWrap(True)
        self.passage_label.setTextFormat(Qt.TextFormat.PlainText)
        self.passage_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passage_label.hide()

        self.model_label = QLabel(_t(NO_MODEL))
        self.model_label.setAccessibleName(self.tr("Model status"))
        self.model_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setAccessibleName(self.tr("Answer status"))
        self.status_label.setWordWrap(True)

        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        ask_row = QHBoxLayout()
        ask_row.addWidget(question_label)
        ask_row.addWidget(self.question_edit, 1)
        ask_row.addWidget(self.ask_button)
        ask_row.addWidget(self.stop_button)
        right_column.addLayout(ask_row)
        right_column.addWidget(self.answer_view, 1)
        right_column.addWidget(self.sources_title)
        right_column.addWidget(self.sources_list)
        right_column.addWidget(self.passage_label)
        right_column.addWidget(self.model_label)
        right_column.addWidget(self.status_label)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter, 1)
        self._show_sources([])

    def _connect_signals(self) -> None:
        c = self.controller
        c.loaded.connect(self.on_controller_loaded)
        c.unloaded.connect(self.on_controller_unloaded)
        c.load_failed.connect(self.on_controller_unloaded)
        c.delta.connect(self.on_controller_delta)
        c.generation_finished.connect(self.on_controller_generation_finished)
        c.generation_cancelled.connect(self.on_controller_generation_cancelled)
        c.generation_failed.connect(self.on_controller_generation_failed)
        self.collection_combo.activated.connect(self.on_collection_combo_activated)
        self.new_collection_button.clicked.connect(self.new_collection)
        self.embedder_combo.activated.connect(self.on_embedder_combo_activated)
        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        self.rescan_button.clicked.connect(self.rescan)
        self.stop_scan_button.clicked.connect(self.stop_scan)
        self.details_button.toggled.connect(self.problems_list.setVisible)
        self.files_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.question_edit.returnPressed.connect(self.ask)
        self.question_edit.textChanged.connect(self._update_buttons)
        self.ask_button.clicked.connect(self.ask)
        self.stop_button.clicked.connect(self.stop)
        self.answer_view.anchorClicked.connect(self.on_answer_view_anchor_clicked)
        self.sources_list.itemClicked.connect(self.on_sources_list_item_clicked)
        self.sources_list.currentRowChanged.connect(self.on_sources_list_current_row_changed)
        self._flush_timer.timeout.connect(self._flush)
        self._live_timer.timeout.connect(self._refresh_during_scan)

    # ------------------------------------------------------------------ state

    @property
    def collection(self) -> str:
        return self._collection

    @property
    def busy(self) -> bool:
        """A question is being answered (searched, or written by the model)."""
        return self._search_task is not None or self._request_id is not None

    @property
    def scanning(self) -> bool:
        return self._scan is not None

    @property
    def answer(self) -> str:
        """The answer shown (Markdown), as far as it has been written."""
        return self._answer

    @property
    def sources(self) -> list[Source]:
        """The sources listed under the answer."""
        return list(self._sources)

    def _update_buttons(self, *_args: object) -> None:
        scanning = self.scanning
        self.add_files_button.setEnabled(not scanning)
        self.add_folder_button.setEnabled(not scanning)
        self.collection_combo.setEnabled(not scanning)
        self.new_collection_button.setEnabled(not scanning)
        self.embedder_combo.setEnabled(not scanning and self._embedder_task is None)
        has_files = bool(self.files_model.rowCount())
        selected = bool(self.files_view.selectionModel().selectedRows())
        self.remove_button.setEnabled(not scanning and selected)
        self.rescan_button.setEnabled(not scanning and has_files)
        self.stop_scan_button.setEnabled(scanning and not self._scan_stopping())
        ready = self._loaded is not None and not self.busy
        self.ask_button.setEnabled(ready and bool(self.question_edit.text().strip()))
        self.ask_button.setToolTip(_t(NO_MODEL) if self._loaded is None else self.tr("Ask (Enter)"))
        self.stop_button.setEnabled(self.busy)
        self.model_label.setVisible(self._loaded is None)

    def _scan_stopping(self) -> bool:
        return self._scan is not None and self._scan.cancel.is_set()

    # ------------------------------------------------------------------ the collection

    def refresh(self) -> None:
        """Read the collections and the files of the shown one again (in the background)."""
        if self._refresh_task is not None:
            self.tasks.discard(self._refresh_task)
        path, collection = self.index_path, self._collection

        def read() -> tuple[list[str], list[FileInfo]]:
            with DocumentIndex(path) as index:
                names = [c.name for c in index.collections()]
                files = index.files(collection) if collection in names else []
            return names, files

        self._refresh_task = self.tasks.submit(read, self._on_refreshed, self._on_refresh_failed)

    @Slot()
    def _refresh_during_scan(self) -> None:
        """Read only the shown collection's files again (in the background), for a scan that
        is running; not while another read is on its way (the next progress asks again)."""
        if self._scan is None or self._refresh_task is not None:
            return
        path, collection = self.index_path, self._collection

        def read() -> tuple[list[FileInfo], float]:
            started = time.monotonic()
            with DocumentIndex(path) as index:
                try:
                    files = index.files(collection)
                except DocumentIndexError:  # the scan has not made the collection yet
                    files = []
            return files, time.monotonic() - started

        self._refresh_task = self.tasks.submit(
            read, self._on_refreshed_during_scan, self._on_refresh_during_scan_failed
        )

    def _on_refreshed_during_scan(self, result: tuple[list[FileInfo], float]) -> None:
        self._refresh_task = None
        files, spent_s = result
        started = time.monotonic()
        self._show_files(files)
        spent_s += time.monotonic() - started
        self._live_timer.setInterval(max(LIVE_REFRESH_MS, round(spent_s * 1000 * LIVE_SHARE)))
        self.files_updated.emit()

    def _on_refresh_during_scan_failed(self, exc: Exception) -> None:
        """Logged only: the list is read again when the scan ends, and that read reports."""
        self._refresh_task = None
        log.warning("reading the file list during a scan failed: %s", exc)

    def _on_refreshed(self, result: tuple[list[str], list[FileInfo]]) -> None:
        self._refresh_task = None
        names, files = result
        self._stored_collections = names
        self._new_collections -= set(names)
        self._fill_combo()
        self._show_files(files)
        self.files_changed.emit()

    def _fill_combo(self) -> None:
        """The collections in the combo (those in the index and those made here, by name;
        the default one first when it is not stored yet), the shown one current."""
        names = sorted({*self._stored_collections, *self._new_collections})
        if DEFAULT_COLLECTION not in names:
            names = [DEFAULT_COLLECTION, *names]
        if self._collection not in names:
            names.append(self._collection)
        combo = self.collection_combo
        combo.blockSignals(True)
        combo.clear()
        for name in names:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(0, combo.findData(self._collection)))
        combo.blockSignals(False)

    def _show_files(self, files: list[FileInfo]) -> None:
        """The shown collection's files in the list, and their summary under it."""
        self.files_model.set_files(files)
        failed = sum(1 for f in files if f.status == "failed")
        passages = sum(f.chunks for f in files)
        if not files:
            self.files_label.setText(_t(NO_DOCUMENTS))
        elif failed:
            self.files_label.setText(
                self.tr("{files} files · {passages} passages · {failed} could not be read").format(
                    files=len(files), passages=passages, failed=failed
                )
            )
        else:
            self.files_label.setText(
                self.tr("{files} files · {passages} passages").format(
                    files=len(files), passages=passages
                )
            )
        self._update_buttons()

    def _on_refresh_failed(self, exc: Exception) -> None:
        self._refresh_task = None
        self.message_bar.show_error(
            self.tr("The document index could not be read: {error}").format(error=exc)
        )
        self.files_changed.emit()

    @Slot(int)
    def on_collection_combo_activated(self, _row: int) -> None:
        name = str(self.collection_combo.currentData() or DEFAULT_COLLECTION)
        if name != self._collection:
            self._collection = name
            self.refresh()

    @Slot()
    def new_collection(self) -> None:
        """Ask for a name and show that collection: a new one empty at once (the index
        keeps it when files are first added to it), one that exists as it is."""
        if self.scanning:
            return
        text, ok = QInputDialog.getText(
            self, self.tr("New collection"), self.tr("Name of the new collection:")
        )
        if ok:
            self.make_collection(text)

    def make_collection(self, name: str) -> None:
        """Show the collection ``name`` (its spaces at either end dropped), made here if it
        is new; an empty name is reported in the message bar."""
        name = name.strip()
        if not name:
            self.message_bar.show_error(
                self.tr("A collection needs a name: click New… again and type one.")
            )
            return
        if name == self._collection:
            return
        self._collection = name
        if self.collection_combo.findData(name) < 0:
            self._new_collections.add(name)
            self.files_model.set_files([])  # nothing of the collection shown before is
            self.files_label.setText(_t(NO_DOCUMENTS))
            self.report_label.clear()
            self.details_button.hide()
            self.problems_list.clear()
        self._fill_combo()
        self._update_buttons()
        self.refresh()

    @Slot()
    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Add documents"), str(Path.home()), file_filter()
        )
        if paths:
            self.add_paths([Path(p) for p in paths])

    @Slot()
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder"), str(Path.home()))
        if folder:
            self.add_paths([Path(folder)])

    def add_paths(self, paths: Sequence[Path]) -> None:
        """Add files or folders to the collection and index them in the background."""
        self._start_scan(list(paths))

    @Slot()
    def rescan(self) -> None:
        """Index what is new or changed in the collection and forget what was deleted."""
        self._start_scan(None)

    def _start_scan(self, paths: list[Path] | None) -> None:
        if self._scan is not None:
            self.message_bar.show_info(
                self.tr("Documents are being indexed; add more when this run is done.")
            )
            return
        run = ScanRun(self.index_path, self._collection, paths, self._embedder)
        self._live_timer.setInterval(LIVE_REFRESH_MS)
        run.progressed.connect(self.on_scan_progressed)
        run.embedding.connect(self.on_scan_embedding)
        run.embed_failed.connect(self.on_scan_embed_failed)
        run.finished.connect(self.on_scan_finished)
        run.failed.connect(self.on_scan_failed)
        self._scan = run
        self._report = None
        self.report_label.clear()
        self.details_button.hide()
        self.details_button.setChecked(False)
        self.problems_list.clear()
        self.scan_bar.setRange(0, 0)
        self.scan_label.setText(self.tr("Looking for files…"))
        self.scan_box.show()
        self._update_buttons()
        run.start()
        self.scan_started.emit()

    @Slot()
    def stop_scan(self) -> None:
        """Stop indexing after the current file (what is done stays indexed)."""
        if self._scan is not None:
            self._scan.stop()
            self.scan_label.setText(self.tr("Stopping…"))
            self._update_buttons()

    @Slot(ScanProgress)
    def on_scan_progressed(self, event: ScanProgress) -> None:
        if self._scan is None or self._scan_stopping():
            return
        if event.listing:
            self.scan_bar.setRange(0, 0)
            self.scan_label.setText(
                self.tr("Looking for files: {n} found").format(n=event.files_total)
            )
        else:
            name = None
            if event.current is not None:
                name = self.fontMetrics().elidedText(
                    event.current.name, Qt.TextElideMode.ElideMiddle, NAME_PX
                )
            what = self.tr("{done} of {total} files")
            self._show_progress(event.files_done, event.files_total, what, event.eta_s, name)
            if event.current is not None:
                self.scan_label.setToolTip(str(event.current))
            if event.files_done and not self._live_timer.isActive():
                self._live_timer.start()  # one read for all the progress of the next second
        self.scan_progressed.emit(event)

    @Slot(EmbedProgress)
    def on_scan_embedding(self, progress: EmbedProgress) -> None:
        if self._scan is None or self._scan_stopping():
            return
        self._live_timer.stop()
        what = self.tr("Embedding passages: {done} of {total}")
        self._show_progress(progress.done, progress.total, what, progress.eta_s)
        self.scan_label.setToolTip("")

    def _show_progress(
        self, done: int, total: int, what: str, eta_s: float | None, name: str | None = None
    ) -> None:
        """The bar at ``done`` of ``total`` and ``what`` (with {done} and {total}), the time
        left and the file's ``name`` on the line above it."""
        self.scan_bar.setRange(0, max(total, 1))
        self.scan_bar.setValue(done)
        parts = [what.format(done=done, total=total)]
        if eta := format_eta(eta_s):
            parts.append(eta)
        if name:
            parts.append(name)
        self.scan_label.setText(" · ".join(parts))

    @Slot(str)
    def on_scan_embed_failed(self, message: str) -> None:
        self.message_bar.show_error(
            self.tr("Search by meaning is not ready: {error} Questions use word matches.").format(
                error=message
            )
        )

    # ------------------------------------------------------------------ search by meaning

    def set_embedders(self, models: Sequence[tuple[str, Path]], chosen: str) -> None:
        """The installed embedding models (name, path) to offer, and the one Settings name
        (a path, a name, or "" for none); using it starts in the background."""
        combo = self.embedder_combo
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for name, path in models:
            combo.addItem(name, str(path))
            combo.setItemData(combo.count() - 1, str(path), Qt.ItemDataRole.ToolTipRole)
        row = 0
        if chosen:
            for i in range(1, combo.count()):
                if chosen in (combo.itemData(i), combo.itemText(i)):
                    row = i
        combo.setCurrentIndex(row)
        combo.blockSignals(False)
        wanted = combo.itemData(row) or ""
        current = str(self._embedder.path) if self._embedder is not None else ""
        if wanted != current:
            self.use_embedder(Path(wanted) if wanted else None, rescan=False)

    @Slot(int)
    def on_embedder_combo_activated(self, row: int) -> None:
        path = str(self.embedder_combo.itemData(row) or "")
        current = str(self._embedder.path) if self._embedder is not None else ""
        if path == current:
            return
        self.embedder_chosen.emit(path)
        self.use_embedder(Path(path) if path else None, rescan=True)

    @property
    def embedder(self) -> HostEmbedder | None:
        """The embedding model questions and scans use (None: words only)."""
        return self._embedder

    def use_embedder(self, path: Path | None, *, rescan: bool) -> None:
        """Search by meaning with the model at ``path`` (None: words only). Its header is read
        in the background; with ``rescan`` (the user chose it) its process is started and the
        shown collection's passages then get their vectors, else it starts when first used."""
        old, self._embedder = self._embedder, None
        if self._embedder_task is not None:
            self.tasks.discard(self._embedder_task)
            self._embedder_task = None

        def make() -> HostEmbedder | None:
            if old is not None:
                old.close()
            if path is None:
                return None
            embedder = HostEmbedder(path)
            if rescan:  # chosen now: start it now (at start-up it starts when first needed)
                embedder.load()
            return embedder

        def done(embedder: HostEmbedder | None) -> None:
            self._embedder_task = None
            self._embedder = embedder
            self._update_buttons()
            if embedder is not None and rescan and self.files_model.rowCount():
                self.rescan()

        def failed(exc: Exception) -> None:
            self._embedder_task = None
            self.embedder_combo.setCurrentIndex(0)
            self._update_buttons()
            self.message_bar.show_error(
                self.tr("Search by meaning is off: {error}").format(error=exc)
            )

        self._embedder_task = self.tasks.submit(make, done, failed)
        self._update_buttons()

    @Slot(ScanReport)
    def on_scan_finished(self, report: ScanReport) -> None:
        self._scan = None
        self._live_timer.stop()
        self._report = report
        self.scan_box.hide()
        self.scan_label.setToolTip("")
        self._show_report(report)
        self._update_buttons()
        self.refresh()
        self.scan_finished.emit(report)

    @Slot(str)
    def on_scan_failed(self, message: str) -> None:
        self._scan = None
        self._live_timer.stop()
        self.scan_box.hide()
        self._update_buttons()
        self.message_bar.show_error(message)
        self.refresh()

    def _show_report(self, report: ScanReport) -> None:
        """One line for the run, and the problem lines behind Details."""
        if report.cancelled:
            line = self.tr(
                "Stopped: {n} files were indexed before Stop. Rescan to index the rest."
            ).format(n=report.indexed)
        else:
            line = self.tr("Up to date: {new} new or changed, {same} unchanged, {gone} removed.")
            line = line.format(
                new=report.indexed, same=report.unchanged + report.confirmed, gone=report.removed
            )
        problems = report.problems
        if problems:
            if len(problems) == 1:
                line += " " + self.tr("1 file could not be read.")
            else:
                line += " " + self.tr("{n} files could not be read.").format(n=len(problems))
            for problem in problems:
                item = QListWidgetItem(f"{problem.path.name}: {problem.message}")
                item.setToolTip(f"{problem.path}\n{problem.message}")
                self.problems_list.addItem(item)
            self.details_button.show()
        self.report_label.setText(line)

    @property
    def report_lines(self) -> list[str]:
        """The problem lines of the last scan, as listed under Details."""
        return [self.problems_list.item(i).text() for i in range(self.problems_list.count())]

    @Slot()
    def remove_selected(self) -> None:
        """Forget the selected files (a file inside an added folder stays out at a rescan)."""
        rows = sorted({i.row() for i in self.files_view.selectionModel().selectedRows()})
        paths = [self.files_model.file_at(r).path for r in rows]
        if not paths or self.scanning:
            return
        index_path, collection = self.index_path, self._collection

        def remove() -> int:
            with DocumentIndex(index_path) as index:
                return sum(index.remove(p, collection) for p in paths)

        self.remove_button.setEnabled(False)
        self.tasks.submit(remove, lambda _n: self.refresh(), self._on_remove_failed)

    def _on_remove_failed(self, exc: Exception) -> None:
        self.message_bar.show_error(
            self.tr("The files could not be removed from the collection: {error}").format(error=exc)
        )
        self.refresh()

    # ------------------------------------------------------------------ asking

    @Slot()
    def ask(self) -> None:
        """Find the passages that match the question (in the background), then have the model
        answer from them; with none, say so without asking the model."""
        question = self.question_edit.text().strip()
        if not question or self.busy:
            return
        if self._loaded is None:
            self.message_bar.show_info(_t(NO_MODEL))
            return
        if not self.files_model.rowCount() and self._refresh_task is None:
            self.message_bar.show_info(_t(NO_DOCUMENTS))
            return
        self._question = question
        self._answer = ""
        self._buffer.clear()
        self.answer_view.clear()
        self._show_sources([])
        self.status_label.setText(self.tr("Looking for passages…"))
        index_path, collection, embedder = self.index_path, self._collection, self._embedder

        def find() -> tuple[list[Source], str | None]:
            with DocumentIndex(index_path) as index:
                if collection not in {c.name for c in index.collections()}:
                    return [], None
                if embedder is not None:
                    try:
                        return retrieve(index, question, K_SOURCES, collection, embedder), None
                    except GptdeskError as exc:  # the embedder failed: the words still work
                        return retrieve(index, question, K_SOURCES, collection), str(exc)
                return retrieve(index, question, K_SOURCES, collection), None

        self._search_task = self.tasks.submit(find, self._on_retrieved, self._on_retrieve_failed)
        self._update_buttons()
        self.busy_changed.emit(True)

    def _on_retrieved(self, result: tuple[list[Source], str | None]) -> None:
        self._search_task = None
        sources, problem = result
        if problem is not None:
            self.message_bar.show_error(
                self.tr("Search by meaning failed: {error} This answer uses word matches.").format(
                    error=problem
                )
            )
        if not sources:
            self._answer = translate("answer", NOTHING_FOUND)
            self.answer_view.setHtml(render_plain(self._answer))
            self.status_label.setText(self.tr("No passage matches the question."))
            self._finish()
            return
        self._show_sources(sources)
        job = answer_job(self._question, sources, ANSWER_PARAMS, self.prompts)
        self._request_id = self.controller.run_job(job, owner=self)
        self.status_label.setText(self.tr("Answering from {n} passages…").format(n=len(sources)))
        self._update_buttons()

    def _on_retrieve_failed(self, exc: Exception) -> None:
        self._search_task = None
        self.status_label.clear()
        self.message_bar.show_error(
            self.tr("Searching your documents failed: {error}").format(error=exc)
        )
        self._finish()

    @Slot()
    def stop(self) -> None:
        """Stop answering (Esc); the answer so far stays."""
        if self._search_task is not None:
            self.tasks.discard(self._search_task)
            self._search_task = None
            self.status_label.setText(self.tr("Stopped."))
            self._finish()
        elif self._request_id is not None:
            self.controller.stop(self)

    def shutdown(self) -> None:
        """The window closes: stop a scan (it ends on its own thread) and an answer."""
        if self._scan is not None:
            self._scan.stop()
        self.stop()
        if self._embedder is not None:
            self._embedder.terminate()  # its process ends now; nothing of it needs saving

    def new_question(self) -> None:
        """Clear the question and the answer (the window's New)."""
        if self.busy:
            self.stop()
        self.question_edit.clear()
        self._answer = ""
        self.answer_view.clear()
        self._show_sources([])
        self.status_label.clear()
        self.question_edit.setFocus()

    # ------------------------------------------------------------------ engine events

    @Slot(ModelStatus)
    def on_controller_loaded(self, status: ModelStatus) -> None:
        self._loaded = status
        self._update_buttons()

    @Slot()
    @Slot(str)
    def on_controller_unloaded(self, *_args: object) -> None:
        self._loaded = None
        self._update_buttons()

    @Slot(int, str)
    def on_controller_delta(self, rid: int, text: str) -> None:
        if rid != self._request_id:
            return
        self._buffer.append(text)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    @Slot()
    def _flush(self) -> None:
        """Append the text that came since the last flush (only it), as plain text."""
        self._flush_timer.stop()
        if not self._buffer:
            return
        text = "".join(self._buffer)
        self._buffer.clear()
        self._answer += text
        cursor = QTextCursor(self.answer_view.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)

    @Slot(int, str, GenerationStats)
    def on_controller_generation_finished(
        self, rid: int, text: str, stats: GenerationStats
    ) -> None:
        if rid != self._request_id:
            return
        status = self.tr("Answered from your documents.")
        if stats.stop_reason == "length":
            status = self.tr("The answer reached the length limit and may end abruptly.")
        self._end(text, status)

    @Slot(int, str, GenerationStats)
    def on_controller_generation_cancelled(
        self, rid: int, text: str, _stats: GenerationStats
    ) -> None:
        if rid != self._request_id:
            return
        self._end(text, self.tr("Stopped; the answer so far is kept."))

    @Slot(int, str)
    def on_controller_generation_failed(self, rid: int, message: str) -> None:
        if rid != self._request_id:
            return
        self._end(None, self.tr("Answering failed."))
        self.message_bar.show_error(message)

    def _end(self, text: str | None, status: str) -> None:
        self._flush()
        self._request_id = None
        if text is not None:
            self._answer = text
        used = cited(self._answer, self._sources)
        if used:
            self._show_sources(used)
        elif self._answer.strip():
            status += " " + self.tr("The answer cites none of the passages; they are listed below.")
        self._render_answer()
        self.status_label.setText(status)
        self._finish()

    def _finish(self) -> None:
        self._update_buttons()
        self.busy_changed.emit(False)
        self.answer_finished.emit(self._answer)

    # ------------------------------------------------------------------ showing

    def _render_answer(self) -> None:
        """The whole answer as Markdown, each ``[n]`` of a listed source a link (once per
        answer, never per token)."""
        if not self._answer.strip():
            self.answer_view.clear()
            return
        body = render_markdown(self._answer, theme_from_palette(self.answer_view.palette())).html
        numbers = {s.number for s in self._sources}
        self.answer_view.setHtml(link_citations(body, numbers))

    def _show_sources(self, sources: Sequence[Source]) -> None:
        self._sources = list(sources)
        self.sources_list.clear()
        self.passage_label.hide()
        for source in sources:
            item = QListWidgetItem(f"[{source.number}] {source.where()}")
            item.setToolTip(f"{source.path}\n\n{shorten(source.text)}")
            item.setData(Qt.ItemDataRole.UserRole, source.number)
            self.sources_list.addItem(item)
        shown = bool(sources)
        self.sources_title.setVisible(shown)
        self.sources_list.setVisible(shown)
        if shown:  # as tall as its entries (up to K_SOURCES), the rest goes to the answer
            rows = sum(self.sources_list.sizeHintForRow(i) for i in range(len(sources)))
            self.sources_list.setFixedHeight(rows + 2 * self.sources_list.frameWidth() + 4)

    def source(self, number: int) -> Source | None:
        return next((s for s in self._sources if s.number == number), None)

    def open_source(self, source: Source) -> None:
        """Open the source's file in the app the system picks (a PDF at its page)."""
        if not QDesktopServices.openUrl(source_url(source)):
            self.message_bar.show_error(
                self.tr("{file} could not be opened: no app for it, or it was moved.").format(
                    file=source.path
                )
            )

    def show_passage(self, number: int) -> None:
        """Select source ``number`` and show its passage under the list."""
        source = self.source(number)
        if source is None:
            return
        row = self._sources.index(source)
        self.sources_list.setCurrentRow(row)
        self.sources_list.scrollToItem(self.sources_list.item(row))
        self._show_passage(source)

    def _show_passage(self, source: Source) -> None:
        self.passage_label.setText(f"[{source.number}] {source.where()}\n{shorten(source.text)}")
        self.passage_label.show()

    @Slot(QUrl)
    def on_answer_view_anchor_clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith(SOURCE_HREF) and target[len(SOURCE_HREF) :].isdigit():
            self.show_passage(int(target[len(SOURCE_HREF) :]))

    @Slot(QListWidgetItem)
    def on_sources_list_item_clicked(self, item: QListWidgetItem) -> None:
        source = self.source(int(item.data(Qt.ItemDataRole.UserRole)))
        if source is not None:
            self.open_source(source)

    @Slot(int)
    def on_sources_list_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._sources):
            self._show_passage(self._sources[row])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Enter on the sources list opens the current source (a click does too; activation
        is not used because a double click would open it twice)."""
        if (
            watched is self.sources_list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            row = self.sources_list.currentRow()
            if 0 <= row < len(self._sources):
                self.open_source(self._sources[row])
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self.busy:
            self._render_answer()  # colours are baked into the HTML
