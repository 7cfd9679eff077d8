"""The one message bar where every error and notice is shown to the user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget


class MessageBar(QFrame):
    """A dismissable strip above the content: ``show_error`` / ``show_info``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setText("✕")
        close.setAccessibleName(self.tr("Dismiss message"))
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName(self.tr("Messages"))
        self.hide()

    def show_error(self, text: str) -> None:
        self._show(text, "#8b1a1a", "#fde8e8")

    def show_info(self, text: str) -> None:
        self._show(text, "#1a3f8b", "#e8eefd")

    def shows(self, text: str) -> bool:
        """Whether ``text`` is the message shown now (not dismissed, not replaced)."""
        return not self.isHidden() and self.label.text() == text

    def _show(self, text: str, fg: str, bg: str) -> None:
        self.label.setText(text)
        self.setStyleSheet(f"#messageBar {{ background: {bg}; }} QLabel {{ color: {fg}; }}")
        self.show()
