"""The chat transcript: finished messages plus one streaming reply, repainted every 30 ms."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

FLUSH_INTERVAL_MS = 30

ROLE_TITLES = {"user": "You", "assistant": "Assistant", "system": "System"}


class TranscriptView(QTextBrowser):
    """Shows messages; tokens of the streaming reply are buffered and appended in batches.

    Each flush inserts only the buffered text at the end of the document (O(new text), never a
    re-render of the transcript). Auto-scroll follows the reply unless the user scrolled up.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)  # nothing is fetched or navigated
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Conversation")
        self._pending: list[str] = []
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_INTERVAL_MS)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self.flush_count = 0

    def add_message(self, role: str, text: str) -> None:
        """Append a whole message under its role's title."""
        self.flush()
        self._append_title(role)
        self._insert(text)

    def begin_reply(self) -> None:
        """Start the assistant's streaming reply."""
        self.flush()
        self._append_title("assistant")

    def append_delta(self, text: str) -> None:
        """Queue text of the streaming reply; shown at the next flush (within 30 ms)."""
        self._pending.append(text)
        if not self._timer.isActive():
            self._timer.start()

    def end_reply(self, note: str | None = None) -> None:
        """Flush what is queued; ``note`` (e.g. "stopped") is added in grey."""
        self.flush()
        if note:
            fmt = QTextCharFormat()
            fmt.setForeground(self.palette().placeholderText())
            self._insert(f"  [{note}]", fmt)

    def flush(self) -> None:
        if not self._pending:
            return
        text = "".join(self._pending)
        self._pending.clear()
        self.flush_count += 1
        self._insert(text)

    def _at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def _insert(self, text: str, fmt: QTextCharFormat | None = None) -> None:
        follow = self._at_bottom()
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text, fmt or QTextCharFormat())
        if follow:
            bar = self.verticalScrollBar()
            bar.setValue(bar.maximum())

    def _append_title(self, role: str) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if not self.document().isEmpty():
            cursor.insertBlock()
            cursor.insertBlock()
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        cursor.insertText(ROLE_TITLES.get(role, role), fmt)
        cursor.insertBlock()
