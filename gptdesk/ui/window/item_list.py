"""The side list of a mode's items (conversations, documents…): search, open, rename, delete."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTime,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.errors import GptdeskError
from gptdesk.core.storage.store import Store, StoreError

SEARCH_DELAY_MS = 150

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ListItem:
    """One row of the side list: the source's id, a title and a grey second line."""

    id: int
    title: str
    subtitle: str = ""
    updated: float = 0.0


class ItemSource(Protocol):
    """What a mode gives the side list; methods raise GptdeskError with text for the user."""

    def items(self, search: str) -> list[ListItem]:
        """The items to list, in display order; ``search`` ("" for all) filters them."""
        ...

    def rename(self, item_id: int, title: str) -> None:
        """Give the item a new (non-empty, stripped) title."""
        ...

    def delete(self, item_id: int) -> None:
        """Delete the item for good."""
        ...


def relative_date(timestamp: float, now: float | None = None) -> str:
    """``Today 14:05``, ``Yesterday``, ``12 Nov``, or ``12 Nov 2023`` for another year, in the
    interface language; times and month names as ``QLocale()`` writes them (the default
    locale follows the interface language, see ``install_translators``)."""
    when = datetime.fromtimestamp(timestamp)
    today = datetime.fromtimestamp(time.time() if now is None else now).date()
    locale = QLocale()
    if when.date() == today:
        clock = locale.toString(QTime(when.hour, when.minute), QLocale.FormatType.ShortFormat)
        return QCoreApplication.translate("item_list", "Today {time}").format(time=clock)
    if when.date() == today - timedelta(days=1):
        return QCoreApplication.translate("item_list", "Yesterday")
    date = QDate(when.year, when.month, when.day)
    if when.year == today.year:
        return locale.toString(
            date,
            QCoreApplication.translate(
                "item_list", "d MMM", "a date this year: a QDate format (d day, MMM month name)"
            ),
        )
    return locale.toString(
        date,
        QCoreApplication.translate(
            "item_list", "d MMM yyyy", "a date in another year: a QDate format (yyyy year)"
        ),
    )


class DocumentMessages(NamedTuple):
    """The errors of one kind of document as whole sentences, with ``{error}``: English, shown
    translated (context ``item_list``)."""

    read: str
    rename: str
    delete: str


# The sentences per document kind (Chinese and others do not build them from a noun).
DOCUMENT_MESSAGES: dict[str, DocumentMessages] = {
    "summary": DocumentMessages(
        QT_TRANSLATE_NOOP(
            "item_list", "The summaries could not be read ({error}). Try again in a moment."
        ),
        QT_TRANSLATE_NOOP(
            "item_list", "The summary could not be renamed ({error}). Try again in a moment."
        ),
        QT_TRANSLATE_NOOP(
            "item_list", "The summary could not be deleted ({error}). Try again in a moment."
        ),
    ),
    "story": DocumentMessages(
        QT_TRANSLATE_NOOP(
            "item_list", "The stories could not be read ({error}). Try again in a moment."
        ),
        QT_TRANSLATE_NOOP(
            "item_list", "The story could not be renamed ({error}). Try again in a moment."
        ),
        QT_TRANSLATE_NOOP(
            "item_list", "The story could not be deleted ({error}). Try again in a moment."
        ),
    ),
    "email": DocumentMessages(
        QT_TRANSLATE_NOOP(
            "item_list", "The emails could not be read ({error}). Try again in a moment."
        ),
        QT_TRANSLATE_NOOP(
            "item_list", "The email could not be renamed ({error}). Try again in a moment."
        ),
        QT_TRANSLATE_NOOP(
            "item_list", "The email could not be deleted ({error}). Try again in a moment."
        ),
    ),
    "translation": DocumentMessages(
        QT_TRANSLATE_NOOP(
            "item_list", "The translations could not be read ({error}). Try again in a moment."
        ),
        QT_TRANSLATE_NOOP(
            "item_list", "The translation could not be renamed ({error}). Try again in a moment."
        ),
        QT_TRANSLATE_NOOP(
            "item_list", "The translation could not be deleted ({error}). Try again in a moment."
        ),
    ),
}
OTHER_DOCUMENT_MESSAGES = DocumentMessages(
    QT_TRANSLATE_NOOP(
        "item_list", "The documents could not be read ({error}). Try again in a moment."
    ),
    QT_TRANSLATE_NOOP(
        "item_list", "The document could not be renamed ({error}). Try again in a moment."
    ),
    QT_TRANSLATE_NOOP(
        "item_list", "The document could not be deleted ({error}). Try again in a moment."
    ),
)
"""For a kind not in DOCUMENT_MESSAGES."""


class ConversationSource:
    """The chat mode's items: the store's conversations, newest first."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    def items(self, search: str) -> list[ListItem]:
        try:
            conversations = self.store.conversations(search)
        except sqlite3.Error as exc:
            raise StoreError(
                QCoreApplication.translate(
                    "item_list",
                    "The conversations could not be read ({error}). Try again in a moment.",
                ).format(error=exc)
            ) from exc
        now = self.clock()
        return [
            ListItem(c.id, c.title, relative_date(c.updated, now), c.updated) for c in conversations
        ]

    def rename(self, item_id: int, title: str) -> None:
        try:
            self.store.update_conversation(item_id, title=title)
        except sqlite3.Error as exc:
            raise StoreError(
                QCoreApplication.translate(
                    "item_list",
                    "The conversation could not be renamed ({error}). Try again in a moment.",
                ).format(error=exc)
            ) from exc

    def delete(self, item_id: int) -> None:
        try:
            self.store.delete_conversation(item_id)
        except sqlite3.Error as exc:
            raise StoreError(
                QCoreApplication.translate(
                    "item_list",
                    "The conversation could not be deleted ({error}). Try again in a moment.",
                ).format(error=exc)
            ) from exc


class DocumentSource:
    """A writing mode's items: the store's documents of one ``kind``, newest first.

    Its errors name the kind in whole sentences (``DOCUMENT_MESSAGES``). ``noun`` is not used
    any more (a sentence built from a noun cannot be translated); it is accepted so that
    callers that still pass it keep working.
    """

    def __init__(
        self,
        store: Store,
        kind: str,
        noun: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        del noun
        self.store = store
        self.kind = kind
        self.clock = clock
        self.messages = DOCUMENT_MESSAGES.get(kind, OTHER_DOCUMENT_MESSAGES)

    def _error(self, message: str, exc: Exception) -> StoreError:
        return StoreError(QCoreApplication.translate("item_list", message).format(error=exc))

    def items(self, search: str) -> list[ListItem]:
        try:
            documents = self.store.documents(self.kind, search)
        except sqlite3.Error as exc:
            raise self._error(self.messages.read, exc) from exc
        now = self.clock()
        return [
            ListItem(d.id, d.title, relative_date(d.updated, now), d.updated) for d in documents
        ]

    def rename(self, item_id: int, title: str) -> None:
        try:
            self.store.update_document(item_id, title=title)
        except sqlite3.Error as exc:
            raise self._error(self.messages.rename, exc) from exc

    def delete(self, item_id: int) -> None:
        try:
            self.store.delete_document(item_id)
        except sqlite3.Error as exc:
            raise self._error(self.messages.delete, exc) from exc


class ItemListModel(QAbstractListModel):
    """The listed items (one source of truth for the view); editing a title renames it."""

    SubtitleRole = Qt.ItemDataRole.UserRole + 1
    IdRole = Qt.ItemDataRole.UserRole + 2
    UpdatedRole = Qt.ItemDataRole.UserRole + 3

    item_renamed = Signal(int, str)
    """Item id, new title: the source renamed it."""
    failed = Signal(str)
    """User-facing text: the source refused a rename."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source: ItemSource | None = None
        self._items: list[ListItem] = []

    def set_items(self, items: list[ListItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> ListItem:
        return self._items[row]

    def row_of(self, item_id: int) -> int | None:
        for row, it in enumerate(self._items):
            if it.id == item_id:
                return row
        return None

    def remove(self, item_id: int) -> None:
        row = self.row_of(item_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._items[row]
            self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt override)
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        it = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return it.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{it.title}\n{it.subtitle}" if it.subtitle else it.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if not it.subtitle:
                return it.title
            return self.tr("{title}, {date}", "an item's title and when it changed").format(
                title=it.title, date=it.subtitle
            )
        if role == self.SubtitleRole:
            return it.subtitle
        if role == self.IdRole:
            return it.id
        if role == self.UpdatedRole:
            return it.updated
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(  # noqa: N802 (Qt override)
        self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Rename through the source; an empty title, or one the source refuses, keeps the old."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.source is None:
            return False
        it = self._items[index.row()]
        title = str(value or "").strip()
        if not title or title == it.title:
            return False
        try:
            self.source.rename(it.id, title)
        except GptdeskError as exc:
            self.failed.emit(str(exc))
            return False
        self._items[index.row()] = replace(it, title=title)
        self.dataChanged.emit(index, index)
        self.item_renamed.emit(it.id, title)
        return True


class ItemDelegate(QStyledItemDelegate):
    """Draws the title and, below it, the subtitle smaller and grey; edits the title line."""

    PAD_X = 8
    PAD_Y = 5
    GAP = 1

    @staticmethod
    def subtitle_font(font: QFont) -> QFont:
        small = QFont(font)
        if font.pointSizeF() > 0:
            small.setPointSizeF(font.pointSizeF() * 0.85)
        else:
            small.setPixelSize(max(8, round(font.pixelSize() * 0.85)))
        return small

    def _title_rect(self, option: QStyleOptionViewItem) -> QRect:
        height = QFontMetrics(option.font).height()
        rect = option.rect.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, 0)
        return QRect(rect.left(), rect.top(), rect.width(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        if not opt.state & QStyle.StateFlag.State_Enabled:
            group = QPalette.ColorGroup.Disabled
        elif opt.state & QStyle.StateFlag.State_Active:
            group = QPalette.ColorGroup.Active
        else:
            group = QPalette.ColorGroup.Inactive
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        title_color = opt.palette.color(group, text_role)
        if selected:
            sub_color = QColor(title_color)
            sub_color.setAlphaF(0.75)
        else:
            sub_color = opt.palette.color(group, QPalette.ColorRole.PlaceholderText)

        title_rect = self._title_rect(opt)
        small = self.subtitle_font(opt.font)
        small_height = QFontMetrics(small).height()
        sub_rect = QRect(
            title_rect.left(), title_rect.bottom() + 1 + self.GAP, title_rect.width(), small_height
        )
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(title_color)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        elided = QFontMetrics(opt.font).elidedText(
            title, Qt.TextElideMode.ElideRight, title_rect.width()
        )
        painter.drawText(title_rect, align, elided)
        subtitle = str(index.data(ItemListModel.SubtitleRole) or "")
        if subtitle:
            painter.setFont(small)
            painter.setPen(sub_color)
            painter.drawText(
                sub_rect,
                align,
                QFontMetrics(small).elidedText(
                    subtitle, Qt.TextElideMode.ElideRight, sub_rect.width()
                ),
            )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        title_h = QFontMetrics(option.font).height()
        sub_h = QFontMetrics(self.subtitle_font(option.font)).height()
        width = QFontMetrics(option.font).horizontalAdvance(str(index.data() or ""))
        return QSize(width + 2 * self.PAD_X, title_h + self.GAP + sub_h + 2 * self.PAD_Y)

    def updateEditorGeometry(  # noqa: N802 (Qt override)
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = self._title_rect(option)
        height = max(rect.height() + 4, editor.sizeHint().height())
        editor.setGeometry(
            QRect(rect.left() - 3, rect.center().y() - height // 2, rect.width() + 6, height)
        )


class ItemView(QListView):
    """The list itself: Enter opens the current item, Delete asks to delete it."""

    open_requested = Signal(int)
    """Row: the user pressed Enter on it."""
    delete_requested = Signal(int)
    """Row: the user pressed Delete on it."""
    menu_requested = Signal(int, QPoint)
    """Row, global position: the user asked for the row's context menu."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        row = self.currentIndex().row()
        if self.state() != QAbstractItemView.State.EditingState and row >= 0:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_requested.emit(row)
                return
            if event.key() == Qt.Key.Key_Delete:
                self.delete_requested.emit(row)
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            index = self.indexAt(event.pos())
            if index.isValid():
                self.setCurrentIndex(index)
        else:  # keyboard (Menu key, Shift+F10): the current row
            index = self.currentIndex()
        if not index.isValid():
            return
        pos = event.globalPos()
        if event.reason() != QContextMenuEvent.Reason.Mouse:
            pos = self.viewport().mapToGlobal(self.visualRect(index).bottomLeft())
        self.menu_requested.emit(index.row(), pos)


def ask_delete(parent: QWidget, title: str) -> bool:
    """The default delete confirmation: a modal question naming the item; Cancel is default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(
        QCoreApplication.translate("item_list", "Delete", "the confirmation's title")
    )
    box.setText(delete_question(title))
    delete = box.addButton(
        QCoreApplication.translate("item_list", "Delete", "the button"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete


def delete_question(title: str) -> str:
    return QCoreApplication.translate(
        "item_list", "Delete “{title}”? This cannot be undone."
    ).format(title=title)


class ItemList(QWidget):
    """Search field, New button and the list of the current mode's items."""

    item_selected = Signal(int)
    """Item id: the user opened this item (click, or Enter on it)."""
    new_requested = Signal()
    """The user asked for a new item (the New button)."""
    item_deleted = Signal(int)
    """Item id: the user confirmed and the source deleted it."""
    item_renamed = Signal(int, str)
    """Item id, new title: the user renamed it and the source saved the title."""
    failed = Signal(str)
    """User-facing text: listing, renaming or deleting failed (show it in the message bar)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.confirm: Callable[[str], bool] = lambda title: ask_delete(self, title)
        """Asked with an item's title before deleting it; True deletes."""
        self._source: ItemSource | None = None
        self._selected_id: int | None = None
        self._refresh_pending = False
        self._empty_text = self.tr("No conversations yet")

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(self.tr("Search conversations"))
        self.search_edit.installEventFilter(self)
        self.new_button = QPushButton(self.tr("New chat"), self)
        self.new_button.setAccessibleName(self.tr("New chat"))
        self.new_button.setAutoDefault(True)  # Enter presses it when focused

        self.model = ItemListModel(self)
        self.view = ItemView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(ItemDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setAccessibleName(self.tr("Conversations"))

        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setWordWrap(True)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty_label.setContentsMargins(8, 24, 8, 8)
        self.empty_label.setFrameShape(QLabel.Shape.StyledPanel)  # looks like the empty list
        self.empty_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty_label.setAutoFillBackground(True)
        self.empty_label.hide()

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label, 1)
        QWidget.setTabOrder(self.search_edit, self.new_button)
        QWidget.setTabOrder(self.new_button, self.view)
        self._connect_signals()
        self._update_empty_state()

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self.on_search_edit_text_changed)
        self.search_timer.timeout.connect(self.on_search_timer_timeout)
        self.new_button.clicked.connect(self.new_requested)
        self.view.clicked.connect(self.on_view_clicked)
        self.view.open_requested.connect(self.on_view_open_requested)
        self.view.delete_requested.connect(self.on_view_delete_requested)
        self.view.menu_requested.connect(self.on_view_menu_requested)
        self.view.itemDelegate().closeEditor.connect(self.on_delegate_close_editor)
        self.view.selectionModel().currentChanged.connect(self.on_view_current_changed)
        self.model.item_renamed.connect(self.item_renamed)
        self.model.failed.connect(self.failed)

    # ------------------------------------------------------------------ public API

    def set_source(
        self,
        source: ItemSource,
        new_label: str | None = None,
        accessible_name: str | None = None,
        empty_text: str | None = None,
    ) -> None:
        """List ``source``'s items; the labels (in the interface language) name them: the
        button, the list, the empty list. None: the conversations' labels."""
        if new_label is None:
            new_label = self.tr("New chat")
        if accessible_name is None:
            accessible_name = self.tr("Conversations")
        self._source = source
        self.model.source = source
        self._empty_text = self.tr("No conversations yet") if empty_text is None else empty_text
        self._selected_id = None
        self.new_button.setText(new_label)
        self.new_button.setAccessibleName(new_label)
        self.view.setAccessibleName(accessible_name)
        self.search_edit.setAccessibleName(
            self.tr("Search {items}", "the list's name, e.g. conversations").format(
                items=accessible_name.lower()
            )
        )
        self.search_timer.stop()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Reload the items from the source with the current search; keeps the selection. While
        a title is being edited the reload waits until the editor closes (nothing typed is lost)."""
        if self._source is None:
            return
        if self.view.state() == QAbstractItemView.State.EditingState:
            self._refresh_pending = True
            return
        self._refresh_pending = False
        keep = self._selected_id
        try:
            items = self._source.items(self.search_text())
        except GptdeskError as exc:
            self.failed.emit(str(exc))
            return
        self.model.set_items(items)
        self._selected_id = keep
        self._show_selected()
        self._update_empty_state()

    def select(self, item_id: int | None) -> None:
        """Highlight ``item_id`` (None: nothing) without emitting ``item_selected``. An item
        hidden by the search is highlighted once it is listed again."""
        self._selected_id = item_id
        self._show_selected()

    def selected_id(self) -> int | None:
        """The highlighted item's id, or None."""
        return self._selected_id

    def search_text(self) -> str:
        return self.search_edit.text().strip()

    def focus_search(self) -> None:
        """Put the cursor in the search field with its text selected (for Ctrl+F)."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def rename(self, item_id: int) -> None:
        """Open the inline title editor on ``item_id``."""
        row = self.model.row_of(item_id)
        if row is not None:
            index = self.model.index(row)
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    def delete(self, item_id: int) -> bool:
        """Ask, then delete ``item_id`` from the source; True when it was deleted."""
        row = self.model.row_of(item_id)
        if row is None or self._source is None:
            return False
        if not self.confirm(self.model.item(row).title):
            return False
        try:
            self._source.delete(item_id)
        except GptdeskError as exc:
            self.failed.emit(str(exc))
            return False
        was_selected = self._selected_id == item_id
        self.model.remove(item_id)
        if was_selected:  # Qt moved the current row to a neighbour; nothing is open there yet
            self._selected_id = None
            self.view.selectionModel().clearSelection()
        self._update_empty_state()
        self.item_deleted.emit(item_id)
        return True

    def context_menu(self, row: int) -> QMenu:
        """The menu of one row: Open, Rename, Delete (built, not shown)."""
        item_id = self.model.item(row).id
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Item actions"))
        menu.addAction(self.tr("Open"), lambda: self._open(item_id))
        menu.addAction(self.tr("Rename"), lambda: self.rename(item_id))
        menu.addSeparator()
        menu.addAction(self.tr("Delete…"), lambda: self.delete(item_id))
        return menu

    # ------------------------------------------------------------------ internals

    def _open(self, item_id: int) -> None:
        self.select(item_id)
        self.item_selected.emit(item_id)

    def _show_selected(self) -> None:
        row = None if self._selected_id is None else self.model.row_of(self._selected_id)
        selection = self.view.selectionModel()
        if row is None:
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), selection.SelectionFlag.NoUpdate)
        else:
            index = self.model.index(row)
            selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect)
            self.view.scrollTo(index)

    def _update_empty_state(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            search = self.search_text()
            text = (
                self.tr("No matches for “{search}”").format(search=search)
                if search
                else self._empty_text
            )
            self.empty_label.setText(text)
            self.empty_label.setAccessibleName(text)
            if self.view.hasFocus():
                self.search_edit.setFocus()
        self.view.setVisible(not empty)
        self.empty_label.setVisible(empty)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
        """In the search field, Down moves into the list and Enter opens the first match."""
        if (
            watched is self.search_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
        ):
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                if not self.view.currentIndex().isValid():
                    self.view.setCurrentIndex(self.model.index(0))
                self.view.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.search_timer.isActive():  # the user was quicker than the delay
                    self.search_timer.stop()
                    self.refresh()
                if self.model.rowCount():
                    self._open(self.model.item(0).id)
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ slots

    @Slot(str)
    def on_search_edit_text_changed(self, _text: str) -> None:
        self.search_timer.start()

    @Slot()
    def on_search_timer_timeout(self) -> None:
        self.refresh()

    @Slot(QModelIndex)
    def on_view_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open(self.model.item(index.row()).id)

    @Slot(int)
    def on_view_open_requested(self, row: int) -> None:
        self._open(self.model.item(row).id)

    @Slot(int)
    def on_view_delete_requested(self, row: int) -> None:
        self.delete(self.model.item(row).id)

    @Slot(int, QPoint)
    def on_view_menu_requested(self, row: int, pos: QPoint) -> None:
        menu = self.context_menu(row)
        menu.exec(pos)
        menu.deleteLater()

    @Slot(QModelIndex, QModelIndex)
    def on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._selected_id = self.model.item(current.row()).id

    @Slot(QWidget, QStyledItemDelegate.EndEditHint)
    def on_delegate_close_editor(self, _editor: QWidget, _hint: Any) -> None:
        if self._refresh_pending:
            QTimer.singleShot(0, self.refresh)  # the view leaves EditingState after this signal
