"""The chat transcript: messages rendered from Markdown, one streaming reply repainted every 30 ms.

Each message lives in its own ``QTextFrame`` so one message can be re-rendered without touching
the others. The streaming reply is plain text appended in batches (O(new text) per flush) and
is rendered as Markdown once, by ``end_reply``. Nothing is fetched: no images, no remote
resources; http(s)/mailto links open in the system browser, app actions are links with the
``gptdesk-action:`` scheme (``gptdesk-action:regenerate/42``) turned into ``action_requested``.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QGuiApplication,
    QPalette,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFrame,
    QTextFrameFormat,
    QTextLength,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from gptdesk.ui.chat.markdown import (
    RenderedMarkdown,
    Theme,
    Words,
    is_safe_link,
    markdown_words,
    mix,
    render_markdown,
    render_plain,
    theme_from_palette,
)

FLUSH_INTERVAL_MS = 30
ACTION_SCHEME = "gptdesk-action"
ACTIONS = ("edit", "regenerate", "continue", "previous", "next")
# Shown translated (role_title, note_text); the keys are the store's values.
ROLE_TITLES = {
    "user": QT_TRANSLATE_NOOP("transcript", "You"),
    "assistant": QT_TRANSLATE_NOOP("transcript", "Assistant"),
    "system": QT_TRANSLATE_NOOP("transcript", "System"),
}
STATE_NOTES = {"interrupted": "interrupted", "failed": "failed"}
NOTES = {  # the notes the app sets (a reply stopped, cut off, failed): shown translated
    "stopped": QT_TRANSLATE_NOOP("transcript", "stopped"),
    "interrupted": QT_TRANSLATE_NOOP("transcript", "interrupted"),
    "failed": QT_TRANSLATE_NOOP("transcript", "failed"),
}


def role_title(role: str) -> str:
    """The title above a message of ``role`` in the interface language (unknown roles as is)."""
    title = ROLE_TITLES.get(role)
    return QCoreApplication.translate("transcript", title) if title else role


def note_text(note: str) -> str:
    """A known note ("stopped", "interrupted", "failed") in the interface language; other
    text as it is."""
    return QCoreApplication.translate("transcript", NOTES[note]) if note in NOTES else note


@dataclass(frozen=True)
class MessageView:
    """What the transcript shows of one message."""

    id: int
    """The store's message id (what ``action_requested`` reports)."""
    role: str
    """"user", "assistant" or "system"."""
    content: str
    state: str = "complete"
    """"complete", "streaming", "interrupted" (cut off by Stop or a crash) or "failed"."""
    version: int = 1
    """1-based index among this message's versions (regenerate / edit)."""
    versions: int = 1
    can_continue: bool = False
    """Offer "Continue" (an assistant reply that was cut off or hit the token limit)."""
    note: str | None = None
    """Grey note after the content, e.g. "stopped" (the known ones are shown translated);
    None: the state's note ("interrupted")."""


@dataclass
class _Entry:
    view: MessageView
    frame: QTextFrame
    code_blocks: tuple[str, ...] = field(default=())


class TranscriptView(QTextBrowser):
    """Shows the conversation; link actions (Copy, Edit, Regenerate, ...) come out as signals.

    Auto-scroll follows the bottom unless the user scrolled up; scrolling back to the bottom
    follows again. Tab / Shift+Tab move between links and Enter activates one.
    """

    action_requested = Signal(str, int)
    """Action ("edit", "regenerate", "continue", "previous", "next") and the message id."""
    copied = Signal(str)
    """Text was put on the clipboard: "message" or "code" (e.g. to confirm in the status bar)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)  # links never navigate the view; on_anchor_clicked decides
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setAccessibleName(self.tr("Conversation"))
        self.document().setUndoRedoEnabled(False)
        self._entries: list[_Entry] = []
        self._streaming: _Entry | None = None
        self._stream_cursor: QTextCursor | None = None
        self._stream_parts: list[str] = []
        self._pending: list[str] = []
        self._legacy_ids = itertools.count(-1, -1)
        self._follow = True
        self._theme = self._make_theme()
        self.flush_count = 0
        """How many flushes put streamed text on screen."""
        self.render_count = 0
        """How many whole-message Markdown renders happened."""
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_INTERVAL_MS)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self.anchorClicked.connect(self.on_anchor_clicked)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self.on_scrollbar_value_changed)
        bar.rangeChanged.connect(self.on_scrollbar_range_changed)

    # ------------------------------------------------------------------ public API

    def set_messages(self, views: list[MessageView], scroll_to_end: bool = True) -> None:
        """Show exactly ``views``. A view in state "streaming" becomes the streaming reply that
        ``append_delta`` extends. ``scroll_to_end=False`` (a version switch) keeps the scroll
        position, or keeps following the bottom if it did."""
        bar = self.verticalScrollBar()
        kept, following = bar.value(), self._follow
        self.clear()
        self._follow = scroll_to_end or following
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for view in views:
            entry = self._append_entry(view)
            if view.state == "streaming":
                self._start_streaming(entry)
            else:
                self._render(entry)
        cursor.endEditBlock()
        if self._follow:
            self.scroll_to_end()
        else:
            bar.setValue(kept)

    def add_message(self, view: MessageView | str, text: str = "") -> None:
        """Append one finished message, rendered. (Legacy form: ``add_message(role, text)``.)"""
        if isinstance(view, str):
            view = MessageView(next(self._legacy_ids), view, text)
        self.flush()
        self._render(self._append_entry(view))

    def begin_reply(self, view: MessageView | None = None) -> None:
        """Start streaming an assistant reply after the last message, or into the message with
        ``view.id`` if it is shown (Continue: ``view.content`` holds the text so far)."""
        if view is None:  # legacy form
            view = MessageView(next(self._legacy_ids), "assistant", "", state="streaming")
        self._finish_streaming()
        entry = self._entry(view.id) or self._append_entry(view)
        entry.view = replace(view, state="streaming")
        self._start_streaming(entry)

    def append_delta(self, text: str) -> None:
        """Queue text of the streaming reply; it is shown at the next flush (within 30 ms)."""
        if not text or self._streaming is None:
            return
        self._pending.append(text)
        if not self._timer.isActive():
            self._timer.start()

    def end_reply(self, view: MessageView | str | None = None) -> None:
        """Flush, then render the streaming reply as Markdown with its action links; only that
        message is re-rendered. ``view`` carries its final content and state. (Legacy form:
        ``end_reply(note)`` keeps the streamed text and adds the note, e.g. "stopped".)"""
        self.flush()
        entry = self._streaming
        if not isinstance(view, MessageView):
            if entry is None:  # legacy: a note for the last message shown
                if not self._entries:
                    return
                entry = self._entries[-1]
                content = entry.view.content
            else:
                content = "".join(self._stream_parts)
            state = "complete" if view is None else "failed" if view == "failed" else "interrupted"
            view = replace(entry.view, content=content, state=state, note=view)
        elif entry is None or entry.view.id != view.id:
            entry = self._entry(view.id)
            if entry is None:
                return
        self._finish_streaming()
        entry.view = view
        self._render(entry)

    def update_message(self, view: MessageView) -> None:
        """Re-render the message with ``view.id`` (e.g. its state or version count changed)."""
        entry = self._entry(view.id)
        if entry is not None and entry is not self._streaming:
            entry.view = view
            self._render(entry)

    def flush(self) -> None:
        """Put the queued text of the streaming reply on screen now."""
        self._timer.stop()
        if not self._pending or self._stream_cursor is None:
            self._pending.clear()
            return
        text = "".join(self._pending)
        self._pending.clear()
        self._stream_parts.append(text)
        self.flush_count += 1
        self._stream_cursor.insertText(text, QTextCharFormat())

    def clear(self) -> None:
        """Remove every message (and drop any streaming reply)."""
        self._timer.stop()
        self._pending.clear()
        self._finish_streaming()
        self._entries.clear()  # before the document deletes the frames they point to
        super().clear()
        self._follow = True

    def message_text(self, message_id: int) -> str:
        """The text shown for one message (title, content, footer), as plain text."""
        entry = self._entry(message_id)
        return (
            ""
            if entry is None
            else self._frame_cursor(entry.frame).selectedText().replace("\u2029", "\n")
        )

    def scroll_to_end(self) -> None:
        """Jump to the bottom and follow new text again."""
        self._follow = True
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    # ------------------------------------------------------------------ Qt overrides

    def loadResource(self, _type: int, _name: QUrl | str) -> Any:  # noqa: N802 (Qt override)
        """Nothing is ever loaded: no images, no remote or local files."""
        return None

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_entries"):
            self._theme = self._make_theme()
            for entry in self._entries:  # colours are baked into the HTML: render again
                if entry is self._streaming:
                    self._start_streaming(entry, "".join(self._stream_parts))
                else:
                    self._render(entry)

    # ------------------------------------------------------------------ slots

    @Slot(QUrl)
    def on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() != ACTION_SCHEME:
            if is_safe_link(url.toString()):
                QDesktopServices.openUrl(url)
            return
        action, *args = url.path().split("/")
        try:
            number, *index = (int(a) for a in args)
        except ValueError:
            return
        entry = self._entry(number)
        if action == "copy-code":
            if entry is not None and index and 0 <= index[0] < len(entry.code_blocks):
                QGuiApplication.clipboard().setText(entry.code_blocks[index[0]])
                self.copied.emit("code")
        elif action == "copy":
            if entry is not None:
                QGuiApplication.clipboard().setText(entry.view.content)
                self.copied.emit("message")
        elif action in ACTIONS:
            self.action_requested.emit(action, number)

    @Slot(int)
    def on_scrollbar_value_changed(self, value: int) -> None:
        self._follow = value >= self.verticalScrollBar().maximum() - 4

    @Slot(int, int)
    def on_scrollbar_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    # ------------------------------------------------------------------ internals

    def _entry(self, message_id: int) -> _Entry | None:
        for entry in reversed(self._entries):
            if entry.view.id == message_id:
                return entry
        return None

    def _append_entry(self, view: MessageView) -> _Entry:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        frame = cursor.insertFrame(self._frame_format(view))
        entry = _Entry(view, frame)
        self._entries.append(entry)
        return entry

    def _frame_format(self, view: MessageView) -> QTextFrameFormat:
        fmt = QTextFrameFormat()
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        fmt.setPadding(8)
        fmt.setTopMargin(2)
        fmt.setBottomMargin(2)
        fmt.setBorder(0)
        if view.role == "user":  # a tint of the selection colour sets the user's turns apart
            palette = self.palette()
            base = palette.color(QPalette.ColorRole.Base)
            fmt.setBackground(mix(base, palette.color(QPalette.ColorRole.Highlight), 0.10))
        return fmt

    def _frame_cursor(self, frame: QTextFrame) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(frame.firstPosition())
        cursor.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _clear_frame(self, entry: _Entry) -> QTextCursor:
        entry.code_blocks = ()
        entry.frame.setFrameFormat(self._frame_format(entry.view))
        cursor = self._frame_cursor(entry.frame)
        cursor.removeSelectedText()
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.setBlockCharFormat(QTextCharFormat())
        return cursor

    def _render(self, entry: _Entry) -> None:
        """Replace the frame's contents by the message rendered as Markdown plus its footer."""
        view = entry.view
        theme = self._theme
        if view.role == "user":
            body = render_plain(view.content)
        else:
            rendered = _render_markdown_cached(view.content, theme, view.id, markdown_words())
            body = rendered.html
        title = html.escape(role_title(view.role))
        markup = f'<p style="margin-bottom:4px"><b>{title}</b></p>{body}{self._footer(view)}'
        follow = self._follow
        cursor = self._clear_frame(entry)
        cursor.insertHtml(markup)
        if view.role != "user":
            entry.code_blocks = rendered.code_blocks
            if "<li" in body:
                self._fix_nested_list_margins(entry.frame)
        self.render_count += 1
        if follow:
            self.scroll_to_end()

    def _fix_nested_list_margins(self, frame: QTextFrame) -> None:
        """Qt puts a list's closing margin under its last item's first line, so a sub-list that
        ends a list shows a gap above it: move that margin below the sub-list."""
        doc = self.document()
        block = doc.findBlock(frame.firstPosition())
        end = frame.lastPosition()
        while block.isValid() and block.position() < end:
            margin = block.blockFormat().bottomMargin()
            depth = _list_depth(block)
            if margin > 0 and depth and _list_depth(block.next()) > depth:
                last = block.next()
                while _list_depth(last.next()) > depth:
                    last = last.next()
                below = max(margin, last.blockFormat().bottomMargin())
                for target, value in ((block, 0.0), (last, below)):
                    fmt = target.blockFormat()
                    fmt.setBottomMargin(value)
                    QTextCursor(target).setBlockFormat(fmt)
                block = last
            block = block.next()

    def _footer(self, view: MessageView) -> str:
        theme = self._theme

        def link(action: str, label: str) -> str:
            return (
                f'<a href="{ACTION_SCHEME}:{action}/{view.id}" '
                f'style="color:{theme.link};text-decoration:none">{label}</a>'
            )

        parts: list[str] = []
        note = view.note if view.note is not None else STATE_NOTES.get(view.state, "")
        if note:
            note = self.tr("[{note}]", "a grey note after a message").format(note=note_text(note))
            parts.append(f'<span style="color:{theme.muted}">{html.escape(note)}</span>')
        links = [link("copy", self.tr("Copy"))]
        if view.role == "user":
            links.append(link("edit", self.tr("Edit")))
        elif view.role == "assistant" and view.state != "streaming":
            links.append(link("regenerate", self.tr("Regenerate")))
            if view.can_continue:
                links.append(link("continue", self.tr("Continue")))
        parts.append(" · ".join(links))
        if view.versions > 1:
            prev = _version_step(theme, view.id, "previous", view.version > 1)
            nxt = _version_step(theme, view.id, "next", view.version < view.versions)
            parts.append(f"{prev}&nbsp;{view.version}/{view.versions}&nbsp;{nxt}")
        joined = "&nbsp;&nbsp;&nbsp;".join(parts)
        return f'<p style="margin-top:4px;color:{theme.muted};font-size:small">{joined}</p>'

    def _start_streaming(self, entry: _Entry, text: str | None = None) -> None:
        """Show the message as its title plus plain text that flushes extend."""
        self._streaming = entry
        content = entry.view.content if text is None else text
        self._stream_parts = [content]
        follow = self._follow
        cursor = self._clear_frame(entry)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        cursor.insertText(role_title(entry.view.role), bold)
        spaced = QTextBlockFormat()
        spaced.setTopMargin(12)  # as far from the title as the rendered text will be
        cursor.insertBlock(spaced, QTextCharFormat())
        cursor.insertText(content, QTextCharFormat())
        self._stream_cursor = cursor
        if follow:
            self.scroll_to_end()

    def _finish_streaming(self) -> None:
        self._timer.stop()
        if self._pending:
            self.flush()
        self._streaming = None
        self._stream_cursor = None
        self._stream_parts = []

    def _make_theme(self) -> Theme:
        return theme_from_palette(self.palette())


def _version_step(theme: Theme, message_id: int, action: str, enabled: bool) -> str:
    """A big bold ‹ or › of the version switcher: a link (with room around the glyph, so it is
    an easy target) when there is a version that way, else a grey glyph."""
    glyph, title = (
        ("‹", QCoreApplication.translate("transcript", "Previous version"))
        if action == "previous"
        else ("›", QCoreApplication.translate("transcript", "Next version"))
    )
    style = "font-size:x-large;font-weight:bold;text-decoration:none"
    if not enabled:
        return f'<span style="color:{theme.muted};{style}">&nbsp;{glyph}&nbsp;</span>'
    return (
        f'<a href="{ACTION_SCHEME}:{action}/{message_id}" title="{html.escape(title)}" '
        f'style="color:{theme.link};{style}">&nbsp;{glyph}&nbsp;</a>'
    )


@lru_cache(maxsize=512)
def _render_markdown_cached(
    content: str, theme: Theme, message_id: int, words: Words
) -> RenderedMarkdown:
    """Markdown of one message; a conversation or version switch renders mostly the same ones.
    ``words``: ``markdown_words()``, so that another interface language renders anew."""
    return render_markdown(
        content, theme, lambda index: f"{ACTION_SCHEME}:copy-code/{message_id}/{index}", words
    )


def _list_depth(block: QTextBlock) -> int:
    """How deep in nested lists ``block`` is (0: not in a list)."""
    text_list = block.textList() if block.isValid() else None
    return 0 if text_list is None else text_list.format().indent()
