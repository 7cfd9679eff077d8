"""The prompt templates dialog: the writing tasks' templates listed, one edited at a time.

Save stores the user's version (``PromptTemplates.set``); a template that does not compile, or
that uses a value its task does not give it, is refused with the reason shown under the
editor and the text left as typed. "Reset to default" (after a confirmation) deletes the
user's version. Unsaved edits survive switching between templates; closing asks about them.
"""

from __future__ import annotations

import jinja2
from jinja2 import meta
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Slot
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.errors import StorageError
from gptdesk.core.writing.prompts import PromptError, PromptTemplate, PromptTemplates
from gptdesk.ui.theme import is_dark

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
HEADING_ROLE = Qt.ItemDataRole.UserRole + 2  # name and marks: "translate_chunk  (edited)"
DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 3
PAD = 6


def template_values(text: str) -> set[str]:
    """The names a template reads from the values it is rendered with."""
    return set(meta.find_undeclared_variables(jinja2.Environment().parse(text)))


class TemplateDelegate(QStyledItemDelegate):
    """A template row: its name (bold) over its description (wrapped, quieter colour)."""

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        if isinstance(view, QAbstractItemView):
            return max(80, view.viewport().width())
        return max(80, option.rect.width())

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(True)
        return bold, base

    def sizeHint(  # noqa: N802 (Qt's name)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        bold, base = self._fonts(option)
        width = self._width(option) - 2 * PAD
        description = str(index.data(DESCRIPTION_ROLE) or "")
        below = QFontMetrics(base).boundingRect(
            QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, description
        )
        return QSize(width, 2 * PAD + QFontMetrics(bold).height() + 2 + below.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        main = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        quiet = main if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        bold, base = self._fonts(opt)
        rect = opt.rect.adjusted(PAD, PAD, -PAD, -PAD)
        painter.save()
        painter.setFont(bold)
        painter.setPen(main)
        heading = str(index.data(HEADING_ROLE) or "")
        line = QFontMetrics(bold).height()
        heading = QFontMetrics(bold).elidedText(heading, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), heading)
        painter.setFont(base)
        painter.setPen(quiet)
        painter.drawText(
            rect.adjusted(0, line + 2, 0, 0),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            | int(Qt.TextFlag.TextWordWrap),
            str(index.data(DESCRIPTION_ROLE) or ""),
        )
        painter.restore()


class PromptsDialog(QDialog):
    """Edit the prompt templates of ``prompts``; changes are saved template by template."""

    def __init__(self, prompts: PromptTemplates, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Prompt templates"))
        self.setAccessibleName(self.tr("Prompt templates"))
        self.prompts = prompts
        self._drafts: dict[str, str] = {}  # unsaved text per template
        self._templates: dict[str, PromptTemplate] = {}  # as saved, read once per change
        self._current: str | None = None
        self._showing = False  # the editor is being filled: not a user edit

        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Templates"))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setItemDelegate(TemplateDelegate(self.list))

        self.name_label = QLabel()
        self.name_label.setAccessibleName(self.tr("Template name"))
        font = self.name_label.font()
        font.setBold(True)
        self.name_label.setFont(font)
        self.state_label = QLabel()
        self.state_label.setAccessibleName(self.tr("Template state"))
        self.description_label = QLabel()
        self.description_label.setAccessibleName(self.tr("Template description"))
        self.description_label.setWordWrap(True)
        self.values_label = QLabel()
        self.values_label.setAccessibleName(self.tr("Values the template can use"))
        self.values_label.setWordWrap(True)
        self.values_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.values_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(self.tr("Template text"))
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setTabChangesFocus(True)

        self.error_label = QLabel()
        self.error_label.setAccessibleName(self.tr("Template error"))
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setAccessibleName(self.tr("Save template"))
        keys = QKeySequence(QKeySequence.StandardKey.Save).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.save_button.setToolTip(
            self.tr("Use this text from now on ({shortcut})").format(shortcut=keys)
        )
        self.reset_button = QPushButton(self.tr("&Reset to default"))
        self.reset_button.setAccessibleName(self.tr("Reset template to default"))
        self.reset_button.setToolTip(self.tr("Go back to the text gptdesk ships with"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close prompt templates"))

        header = QHBoxLayout()
        header.addWidget(self.name_label)
        header.addStretch(1)
        header.addWidget(self.state_label)
        actions = QHBoxLayout()
        actions.addWidget(self.reset_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(header)
        column.addWidget(self.description_label)
        column.addWidget(self.values_label)
        column.addWidget(self.editor, 1)
        column.addWidget(self.error_label)
        column.addLayout(actions)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.buttons)
        self.resize(960, 560)

        QWidget.setTabOrder(self.list, self.editor)
        QWidget.setTabOrder(self.editor, self.reset_button)
        QWidget.setTabOrder(self.reset_button, self.save_button)

        self.list.currentItemChanged.connect(self.on_list_current_item_changed)
        self.editor.textChanged.connect(self.on_editor_text_changed)
        self.save_button.clicked.connect(self.save)
        self.save_shortcut.activated.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        self.buttons.rejected.connect(self.reject)

        self._fill_list()
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self._show(None)
        self.list.setFocus()

    # ------------------------------------------------------------------ list

    def _fill_list(self) -> None:
        for name in self.prompts.names():
            item = QListWidgetItem()
            item.setData(NAME_ROLE, name)
            self.list.addItem(item)
            self._label_item(item)

    def _template(self, name: str, reread: bool = False) -> PromptTemplate:
        """The saved template ``name`` (raises PromptError when it cannot be read)."""
        if reread or name not in self._templates:
            self._templates[name] = self.prompts.get(name)
        return self._templates[name]

    def _label_item(self, item: QListWidgetItem) -> None:
        name = str(item.data(NAME_ROLE))
        try:
            template = self._template(name)
        except PromptError as exc:
            item.setText(f"{name}\n{exc}")
            item.setData(HEADING_ROLE, name)
            item.setData(DESCRIPTION_ROLE, str(exc))
            return
        heading = self._heading(name, template.edited, name in self._drafts)
        item.setText(f"{heading}\n{template.description}")  # what screen readers say
        item.setData(HEADING_ROLE, heading)
        item.setData(DESCRIPTION_ROLE, template.description)
        item.setToolTip(template.description)

    def _heading(self, name: str, edited: bool, unsaved: bool) -> str:
        """A list row's first line: the template's name and its marks."""
        if edited and unsaved:
            heading = self.tr("{name}  (edited, unsaved)")
        elif edited:
            heading = self.tr("{name}  (edited)")
        elif unsaved:
            heading = self.tr("{name}  (unsaved)")
        else:
            return name
        return heading.format(name=name)

    def _item(self, name: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(NAME_ROLE) == name:
                return item
        return None

    @property
    def current_name(self) -> str | None:
        return self._current

    def select(self, name: str) -> None:
        """Show the template ``name``."""
        item = self._item(name)
        if item is not None:
            self.list.setCurrentItem(item)

    @Slot(QListWidgetItem, QListWidgetItem)
    def on_list_current_item_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self._show(str(current.data(NAME_ROLE)) if current is not None else None)

    # ------------------------------------------------------------------ editor

    def _show(self, name: str | None) -> None:
        self._current = name
        self._set_error(None)
        self._showing = True
        try:
            if name is None:
                self.editor.clear()
                self.name_label.clear()
                self.description_label.clear()
                self.values_label.clear()
            else:
                try:
                    template = self._template(name)
                except PromptError as exc:
                    self.editor.clear()
                    self._set_error(str(exc))
                else:
                    self.name_label.setText(name)
                    self.description_label.setText(template.description)
                    self.values_label.setText(self._values_text(name))
                    self.editor.setPlainText(self._drafts.get(name, template.text))
        finally:
            self._showing = False
        self._update_state()

    def _values_text(self, name: str) -> str:
        try:
            values = sorted(template_values(self.prompts.default(name)))
        except (PromptError, jinja2.TemplateSyntaxError):
            return ""
        if not values:
            return self.tr("It uses no values.")
        return self.tr("Values it can use: {values}").format(
            values=", ".join("{{ " + v + " }}" for v in values)
        )

    @Slot()
    def on_editor_text_changed(self) -> None:
        name = self._current
        if self._showing or name is None:
            return
        try:
            saved = self._template(name).text
        except PromptError:
            return
        text = self.editor.toPlainText()
        was_unsaved = name in self._drafts
        if text == saved:
            self._drafts.pop(name, None)
        else:
            self._drafts[name] = text
        if was_unsaved != (name in self._drafts):
            item = self._item(name)
            if item is not None:
                self._label_item(item)
        self._update_state()

    def _update_state(self) -> None:
        name = self._current
        edited = False
        if name is not None:
            try:
                edited = self._template(name).edited
            except PromptError:
                edited = False
        unsaved = name is not None and name in self._drafts
        if edited and unsaved:
            state = self.tr("Edited · Unsaved changes")
        elif edited:
            state = self.tr("Edited")
        elif unsaved:
            state = self.tr("Unsaved changes")
        else:
            state = ""
        self.state_label.setText(state)
        self.state_label.setToolTip(
            self.tr("Edited: differs from the default gptdesk ships with") if edited else ""
        )
        self.save_button.setEnabled(unsaved)
        self.reset_button.setEnabled(edited or unsaved)
        self.editor.setEnabled(name is not None)

    def _set_error(self, message: str | None) -> None:
        if not message:
            self.error_label.clear()
            self.error_label.hide()
            return
        app = QApplication.instance()
        dark = isinstance(app, QApplication) and is_dark(app)
        palette = self.error_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#ff9b94" if dark else "#a4161a"))
        self.error_label.setPalette(palette)
        self.error_label.setText(message)
        self.error_label.show()

    # ------------------------------------------------------------------ actions

    @Slot()
    def save(self) -> bool:
        """Save the shown template; False (and the reason under the editor) if refused."""
        name = self._current
        if name is None or name not in self._drafts:
            return True
        text = self.editor.toPlainText()
        try:
            default = self.prompts.default(name)
            unknown = template_values(text) - template_values(default)
        except jinja2.TemplateSyntaxError:
            unknown = set()  # PromptTemplates.set says where the error is
        except PromptError as exc:
            self._set_error(str(exc))
            return False
        if unknown:
            names = ", ".join("{{ " + v + " }}" for v in sorted(unknown))
            self._set_error(
                self.tr(
                    "Not saved: the template uses {names}, which this task does not give it. "
                    "{values}"
                ).format(names=names, values=self._values_text(name))
            )
            return False
        try:
            if text == default:
                self.prompts.reset(name)  # the default again: nothing of the user's to keep
            else:
                self.prompts.set(name, text)
        except (PromptError, StorageError) as exc:  # the disk full or read-only too
            self._set_error(self.tr("Not saved. {error}").format(error=exc))
            return False
        self._drafts.pop(name, None)
        self._set_error(None)
        self._template(name, reread=True)
        item = self._item(name)
        if item is not None:
            self._label_item(item)
        self._update_state()
        return True

    @Slot()
    def reset(self) -> None:
        """Back to the shipped text, after asking."""
        name = self._current
        if name is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Reset to default"),
            self.tr(
                "Reset “{name}” to the text gptdesk ships with? Your version of it is deleted."
            ).format(name=name),
            QMessageBox.StandardButton.Reset | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Reset:
            return
        try:
            self.prompts.reset(name)
        except (PromptError, StorageError) as exc:
            self._set_error(str(exc))
            return
        self._drafts.pop(name, None)
        self._template(name, reread=True)
        item = self._item(name)
        if item is not None:
            self._label_item(item)
        self._show(name)

    def _save_all(self) -> bool:
        """Save every unsaved template; stops at (and shows) the first that is refused."""
        for name in list(self._drafts):
            if name != self._current:
                self.select(name)
            if not self.save():
                return False
        return True

    def done(self, result: int) -> None:
        """Closing with unsaved edits asks whether to save them (nothing is lost silently)."""
        if self._drafts:
            answer = QMessageBox.question(
                self,
                self.tr("Unsaved templates"),
                self.tr("Save the changes to {names} before closing?").format(
                    names=", ".join(sorted(self._drafts))
                ),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self._save_all():
                return
            self._drafts.clear()
        super().done(result)
