"""The transcript widget: rendering, links and actions, streaming, versions, scrolling, palettes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QPalette,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import QWidget

from gptdesk.ui.chat.transcript import MessageView, TranscriptView
from gptdesk.ui.i18n import install_translators, remove_translators
from tests.waits import HANG_TIMEOUT_MS
from tools import translations as tt

CODE = 'def f(x):\n    if x < 1 & 2:\n        return "<tag>"\n\n    return x'
REPLY = (
    f"# Title\n\nSome **bold** text and a [site](https://example.com/).\n\n```python\n{CODE}\n```\n"
)


@pytest.fixture
def view(qtbot):
    v = TranscriptView()
    v.resize(600, 400)
    qtbot.addWidget(v)
    v.show()
    return v


def conversation() -> list[MessageView]:
    return [
        MessageView(1, "user", "Hello <b>there</b>\nsecond line"),
        MessageView(2, "assistant", REPLY, version=2, versions=3),
        MessageView(3, "user", "More?"),
        MessageView(4, "assistant", "Once upon", state="interrupted", can_continue=True),
    ]


def anchors(v: TranscriptView) -> list[tuple[str, str]]:
    """(text, href) of every link in the document, in order."""
    found: list[tuple[str, str]] = []
    block = v.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isAnchor():
                found.append((fragment.text(), fragment.charFormat().anchorHref()))
            it += 1
        block = block.next()
    return found


def fragments(v: TranscriptView) -> list:
    """Every text fragment of the document, in order."""
    found = []
    block = v.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            found.append(it.fragment())
            it += 1
        block = block.next()
    return found


def spaced(text: str) -> str:
    """``text`` with every run of (also no-break) spaces as one space."""
    return " ".join(text.replace("\u00a0", " ").split())


def hrefs(v: TranscriptView) -> list[str]:
    return [href for _, href in anchors(v)]


def frame_html(v: TranscriptView, message_id: int) -> str:
    frame = v._entry(message_id).frame
    cursor = QTextCursor(v.document())
    cursor.setPosition(frame.firstPosition())
    cursor.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
    return QTextDocumentFragment(cursor).toHtml()


# ---------------------------------------------------------------- rendering


def test_messages_show_titles_content_and_rendered_markdown(view):
    view.set_messages(conversation())
    text = view.toPlainText()
    assert "You\nHello <b>there</b>\nsecond line" in text  # user text is shown as typed
    assert "Assistant\nTitle\nSome bold text and a site." in text
    assert "**" not in view.message_text(2)
    heading = view.document().find("Title")
    assert heading.blockFormat().headingLevel() == 1
    assert view.render_count == 4


def test_accessible_selectable_and_keyboard_links(view):
    assert view.accessibleName() == "Conversation"
    flags = view.textInteractionFlags()
    for flag in (
        Qt.TextInteractionFlag.TextSelectableByMouse,
        Qt.TextInteractionFlag.TextSelectableByKeyboard,
        Qt.TextInteractionFlag.LinksAccessibleByKeyboard,
    ):
        assert flags & flag
    assert not view.openLinks()


def test_text_can_be_selected_and_copied(view):
    view.set_messages(conversation())
    view.selectAll()
    view.copy()
    assert "Once upon" in QGuiApplication.clipboard().text()


def test_footers_offer_the_actions_of_each_message(view):
    view.set_messages(conversation())
    links = anchors(view)
    assert ("Edit", "gptdesk-action:edit/1") in links
    assert ("Copy", "gptdesk-action:copy/1") in links
    assert ("Regenerate", "gptdesk-action:regenerate/2") in links
    assert "gptdesk-action:continue/2" not in hrefs(view)  # complete reply: no Continue
    assert ("Continue", "gptdesk-action:continue/4") in links
    assert "gptdesk-action:regenerate/1" not in hrefs(view)  # users' messages are edited


def test_version_label_and_arrows(view):
    view.set_messages(
        [
            MessageView(1, "assistant", "a", version=2, versions=3),
            MessageView(2, "assistant", "b", version=1, versions=2),
            MessageView(3, "assistant", "c", version=2, versions=2),
            MessageView(4, "assistant", "d"),
        ]
    )
    assert "‹ 2/3 ›" in spaced(view.message_text(1))
    assert {"gptdesk-action:previous/1", "gptdesk-action:next/1"} <= set(hrefs(view))
    # At the ends the arrow is shown but is not a link.
    assert "‹ 1/2 ›" in spaced(view.message_text(2))
    assert "gptdesk-action:previous/2" not in hrefs(view)
    assert "gptdesk-action:next/2" in hrefs(view)
    assert "gptdesk-action:next/3" not in hrefs(view)
    assert "gptdesk-action:previous/3" in hrefs(view)
    assert "/" not in view.message_text(4).split("Assistant\nd", 1)[1]  # one version: no label


def test_version_arrows_are_big_bold_links_with_room_around_them(view):
    view.set_messages([MessageView(1, "assistant", "a", version=2, versions=3)])
    footer_size = view.document().find("Regenerate").charFormat().font().pointSizeF()
    for action, title in (("previous", "Previous version"), ("next", "Next version")):
        (fragment,) = [
            it
            for it in fragments(view)
            if it.charFormat().anchorHref() == f"gptdesk-action:{action}/1"
        ]
        fmt = fragment.charFormat()
        assert fmt.fontWeight() >= 700 and fmt.font().pointSizeF() > footer_size * 1.2
        assert fmt.toolTip() == title
        # a no-break space either side widens the click target
        assert fragment.text() in ("\u00a0‹\u00a0", "\u00a0›\u00a0")


def test_version_arrows_are_reached_with_tab_and_work_with_enter(qtbot, view):
    view.set_messages([MessageView(1, "assistant", "a", version=2, versions=3)])
    view.setFocus()
    qtbot.wait_until(view.hasFocus, timeout=HANG_TIMEOUT_MS)
    order = hrefs(view)
    presses = order.index("gptdesk-action:previous/1") + 1
    for action in ("previous", "next"):  # Next is the link right after Previous
        for _ in range(presses):
            qtbot.keyClick(view, Qt.Key.Key_Tab)
        presses = 1
        assert view.textCursor().charFormat().anchorHref() == f"gptdesk-action:{action}/1"
        with qtbot.wait_signal(view.action_requested, timeout=HANG_TIMEOUT_MS) as blocker:
            qtbot.keyClick(view, Qt.Key.Key_Return)
        assert blocker.args == [action, 1]


def test_state_notes(view):
    view.set_messages(
        [
            MessageView(1, "assistant", "cut", state="interrupted", can_continue=True),
            MessageView(2, "assistant", "oops", state="failed"),
            MessageView(3, "assistant", "halt", state="interrupted", note="stopped"),
            MessageView(4, "assistant", "fine"),
        ]
    )
    assert "[interrupted]" in view.message_text(1)
    assert "[failed]" in view.message_text(2)
    assert "[stopped]" in view.message_text(3)
    assert "[" not in view.message_text(4)


# ---------------------------------------------------------------- nothing is fetched


class RecordingView(TranscriptView):
    def __init__(self) -> None:
        super().__init__()
        self.requested: list[str] = []
        self.answers: list[object] = []

    def loadResource(self, kind, name):  # noqa: N802 (Qt override)
        self.requested.append(name.toString())
        answer = super().loadResource(kind, name)
        self.answers.append(answer)
        return answer


def test_a_remote_image_is_never_fetched(qtbot):
    view = RecordingView()
    qtbot.addWidget(view)
    view.show()
    view.set_messages([MessageView(1, "assistant", "![chart](https://127.0.0.1:9/chart.png)")])
    view.grab()
    assert view.requested == []  # Markdown images are not even asked for
    assert "<img" not in view.document().toHtml()
    assert "[image: chart]" in view.toPlainText()
    # Even an <img> put in the document by other means gets nothing.
    cursor = QTextCursor(view.document())
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertHtml('<img src="http://127.0.0.1:9/x.png">')
    view.grab()
    assert "http://127.0.0.1:9/x.png" in view.requested
    assert all(answer is None for answer in view.answers)


def test_load_resource_returns_nothing(view):
    kind = int(QTextDocument.ResourceType.ImageResource.value)
    assert view.loadResource(kind, QUrl("https://example.com/a.png")) is None
    assert view.loadResource(kind, QUrl("file:///etc/hosts")) is None


# ---------------------------------------------------------------- links and actions


class UrlSink(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def url_sink():
    sink = UrlSink()
    for scheme in ("https", "http", "file", "ftp"):
        QDesktopServices.setUrlHandler(scheme, sink, "open")
    yield sink
    for scheme in ("https", "http", "file", "ftp"):
        QDesktopServices.unsetUrlHandler(scheme)


def test_web_links_open_in_the_browser_and_never_navigate_the_view(view, url_sink):
    view.set_messages(conversation())
    before = view.toPlainText()
    view.anchorClicked.emit(QUrl("https://example.com/"))
    view.anchorClicked.emit(QUrl("file:///etc/passwd"))
    view.anchorClicked.emit(QUrl("ftp://example.com/x"))
    assert url_sink.urls == ["https://example.com/"]
    assert view.toPlainText() == before
    assert view.source().isEmpty()


def test_action_links_emit_action_requested_with_the_message_id(qtbot, view):
    view.set_messages(conversation())
    for href, expected in [
        ("gptdesk-action:regenerate/2", ("regenerate", 2)),
        ("gptdesk-action:edit/1", ("edit", 1)),
        ("gptdesk-action:continue/4", ("continue", 4)),
        ("gptdesk-action:previous/2", ("previous", 2)),
        ("gptdesk-action:next/2", ("next", 2)),
    ]:
        assert href in hrefs(view)
        with qtbot.wait_signal(view.action_requested, timeout=HANG_TIMEOUT_MS) as blocker:
            view.anchorClicked.emit(QUrl(href))
        assert tuple(blocker.args) == expected


def test_bad_action_links_do_nothing(qtbot, view):
    view.set_messages(conversation())
    with qtbot.assert_not_emitted(view.action_requested):
        for href in ("gptdesk-action:explode/2", "gptdesk-action:edit/x", "gptdesk-action:edit"):
            view.anchorClicked.emit(QUrl(href))


def test_keyboard_tab_to_a_link_and_enter_activates_it(qtbot, view):
    view.set_messages(conversation())
    view.setFocus()
    qtbot.wait_until(view.hasFocus, timeout=HANG_TIMEOUT_MS)
    order = hrefs(view)
    target = order.index("gptdesk-action:regenerate/2")
    for _ in range(target + 1):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.textCursor().charFormat().anchorHref() == "gptdesk-action:regenerate/2"
    with qtbot.wait_signal(view.action_requested, timeout=HANG_TIMEOUT_MS) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == ["regenerate", 2]
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().charFormat().anchorHref() == order[target - 1]


def test_code_copy_puts_the_exact_code_on_the_clipboard(qtbot, view):
    view.set_messages(conversation())
    copy_links = [h for h in hrefs(view) if h.startswith("gptdesk-action:copy-code/")]
    assert copy_links == ["gptdesk-action:copy-code/2/0"]
    QGuiApplication.clipboard().clear()
    with qtbot.wait_signal(view.copied, timeout=HANG_TIMEOUT_MS) as blocker:
        view.anchorClicked.emit(QUrl(copy_links[0]))
    assert blocker.args == ["code"]
    assert QGuiApplication.clipboard().text() == CODE


def test_code_in_the_view_is_monospace(view):
    view.set_messages(conversation())
    cursor = view.document().find("return x")
    family = cursor.charFormat().fontFamilies() or [cursor.charFormat().fontFamily()]
    assert view._theme.mono_family in family


def test_message_copy_puts_its_source_text_on_the_clipboard(qtbot, view):
    view.set_messages(conversation())
    with qtbot.wait_signal(view.copied, timeout=HANG_TIMEOUT_MS) as blocker:
        view.anchorClicked.emit(QUrl("gptdesk-action:copy/2"))
    assert blocker.args == ["message"]
    assert QGuiApplication.clipboard().text() == REPLY  # the Markdown, not the rendering


# ---------------------------------------------------------------- streaming


def test_streaming_coalesces_and_renders_only_the_reply_once(qtbot, view):
    view.set_messages(conversation()[:3])
    before = {i: (view.message_text(i), frame_html(view, i)) for i in (1, 2, 3)}
    positions = [view._entry(i).frame.firstPosition() for i in (1, 2, 3)]
    renders = view.render_count
    view.begin_reply(MessageView(5, "assistant", "", state="streaming"))
    deltas = ["**word** "] * 999 + ["end"]
    for i, delta in enumerate(deltas):
        view.append_delta(delta)
        if i % 50 == 0:
            qtbot.wait(5)  # at most one flush per wait: the timer is single-shot
    assert view.render_count == renders  # no Markdown while streaming
    qtbot.wait_until(lambda: view.message_text(5).endswith("end"), timeout=HANG_TIMEOUT_MS)
    assert "**word**" in view.message_text(5)  # plain text until the end
    assert 1 <= view.flush_count <= 21
    final = MessageView(5, "assistant", "".join(deltas))
    view.end_reply(final)
    assert view.render_count == renders + 1
    assert "**" not in view.message_text(5) and "word word" in view.message_text(5)
    assert "Regenerate" in view.message_text(5)
    after = {i: (view.message_text(i), frame_html(view, i)) for i in (1, 2, 3)}
    assert after == before
    assert [view._entry(i).frame.firstPosition() for i in (1, 2, 3)] == positions


def test_nothing_shows_before_a_flush_and_flush_shows_it_now(view):
    view.set_messages(conversation()[:1])
    view.begin_reply(MessageView(2, "assistant", "", state="streaming"))
    view.append_delta("Hel")
    view.append_delta("lo")
    assert view.message_text(2) == "Assistant\n"
    view.flush()
    assert view.message_text(2) == "Assistant\nHello"
    assert view.flush_count == 1
    view.flush()
    assert view.flush_count == 1  # nothing queued: not counted


def test_continue_streams_into_the_same_message(qtbot, view):
    view.set_messages(conversation())
    frame = view._entry(4).frame
    view.begin_reply(MessageView(4, "assistant", "Once upon", state="streaming"))
    view.append_delta(" a time")
    view.end_reply(MessageView(4, "assistant", "Once upon a time"))
    assert view._entry(4).frame is frame
    assert view.message_text(4).startswith("Assistant\nOnce upon a time\n")
    assert "[interrupted]" not in view.message_text(4)
    assert view.toPlainText().count("Once upon") == 1


def test_a_streaming_view_in_set_messages_keeps_streaming(view):
    streaming = MessageView(9, "assistant", "so far", state="streaming")
    view.set_messages([*conversation()[:3], streaming])
    view.append_delta(" and more")
    view.flush()
    assert view.message_text(9) == "Assistant\nso far and more"


def test_deltas_without_a_streaming_reply_are_ignored(view):
    view.set_messages(conversation())
    text = view.toPlainText()
    view.append_delta("stray")
    view.flush()
    assert view.toPlainText() == text and view.flush_count == 0


def test_update_message_re_renders_one_message(view):
    view.set_messages(conversation())
    other = frame_html(view, 2)
    view.update_message(MessageView(4, "assistant", "Once upon", version=1, versions=2))
    assert "1/2" in view.message_text(4) and "[interrupted]" not in view.message_text(4)
    assert frame_html(view, 2) == other


def test_legacy_calls_still_work(view):
    view.add_message("user", "Hello there")
    view.begin_reply()
    view.append_delta("Hi ")
    view.append_delta("you")
    view.end_reply("stopped")
    text = view.toPlainText()
    assert "You\nHello there" in text and "Assistant\nHi you" in text and "[stopped]" in text
    view.add_message("assistant", "cut")
    view.end_reply("interrupted")
    assert "cut\n[interrupted]" in view.toPlainText()
    view.clear()
    assert view.toPlainText() == ""


# ---------------------------------------------------------------- scrolling


def test_auto_scroll_follows_unless_the_user_scrolled_up(qtbot, view):
    long = "\n\n".join(f"Paragraph {i}" for i in range(40))
    view.set_messages([MessageView(i, "assistant", long) for i in range(1, 4)])
    bar = view.verticalScrollBar()
    qtbot.wait_until(
        lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=HANG_TIMEOUT_MS
    )
    view.begin_reply(MessageView(10, "assistant", "", state="streaming"))
    view.append_delta("line\n" * 20)
    view.flush()
    qtbot.wait_until(lambda: bar.value() == bar.maximum(), timeout=HANG_TIMEOUT_MS)

    bar.setValue(0)  # the user scrolls up to read
    old_max = bar.maximum()
    view.append_delta("more\n" * 40)
    view.flush()
    qtbot.wait_until(lambda: bar.maximum() > old_max, timeout=HANG_TIMEOUT_MS)
    assert bar.value() == 0

    bar.setValue(bar.maximum())  # back at the bottom: follow again
    old_max = bar.maximum()
    view.append_delta("again\n" * 40)
    view.flush()
    qtbot.wait_until(lambda: bar.maximum() > old_max, timeout=HANG_TIMEOUT_MS)
    qtbot.wait_until(lambda: bar.value() == bar.maximum(), timeout=HANG_TIMEOUT_MS)
    view.end_reply(MessageView(10, "assistant", "done\n" * 100))
    qtbot.wait_until(lambda: bar.value() == bar.maximum(), timeout=HANG_TIMEOUT_MS)


# ---------------------------------------------------------------- palettes


def dark_palette(view: TranscriptView) -> QPalette:
    palette = QPalette(view.palette())
    for role, colour in [
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#1b1b1d"),
        (QPalette.ColorRole.Text, "#e8e8e8"),
        (QPalette.ColorRole.WindowText, "#e8e8e8"),
    ]:
        palette.setColor(role, QColor(colour))
    return palette


def test_colours_follow_the_palette_even_while_streaming(view):
    view.set_messages(conversation())
    light = view._theme
    assert not light.dark
    view.begin_reply(MessageView(7, "assistant", "partial", state="streaming"))
    view.setPalette(dark_palette(view))
    dark = view._theme
    assert dark.dark and dark.code_background != light.code_background
    assert QColor(dark.code_background).lightness() < 80  # subtle, not white on dark
    assert QColor(dark.link).lightness() >= 150  # readable on dark
    html = view.document().toHtml()
    assert dark.code_background in html and light.code_background not in html
    view.append_delta(" and on")
    view.end_reply(MessageView(7, "assistant", "partial and on"))
    assert view.message_text(7).startswith("Assistant\npartial and on")


def test_a_version_switch_can_keep_the_scroll_position(qtbot, view):
    long = "\n\n".join(f"Paragraph {i}" for i in range(40))
    views = [MessageView(i, "assistant", long, versions=2) for i in range(1, 4)]
    view.set_messages(views)
    bar = view.verticalScrollBar()
    qtbot.wait_until(lambda: bar.maximum() > 0, timeout=HANG_TIMEOUT_MS)
    bar.setValue(bar.maximum() // 2)
    kept = bar.value()
    views[1] = MessageView(2, "assistant", long + " (v2)", version=2, versions=2)
    view.set_messages(views, scroll_to_end=False)
    assert bar.value() == kept
    view.set_messages(views)
    assert bar.value() == bar.maximum()


def test_a_parent_dark_palette_applies_from_the_start(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    probe = TranscriptView()
    parent.setPalette(dark_palette(probe))
    probe.deleteLater()
    view = TranscriptView(parent)
    view.set_messages(conversation())
    assert view._theme.dark
    assert view._theme.code_background in view.document().toHtml()


def block_margins(v: TranscriptView, text: str) -> tuple[float, float]:
    fmt = v.document().find(text).block().blockFormat()
    return fmt.topMargin(), fmt.bottomMargin()


def test_a_sub_list_ending_a_list_has_no_gap_above_it(view):
    source = "1. First\n2. Second\n   - nested\n   - deeper\n\nAfter\n\n- loose a\n\n- loose b\n"
    view.set_messages([MessageView(1, "assistant", source)])
    assert block_margins(view, "Second")[1] == 0  # Qt would put the list's end margin here
    assert block_margins(view, "nested") == (0, 0)
    assert block_margins(view, "deeper")[1] > 0  # ... it goes below the sub-list instead
    assert block_margins(view, "loose a")[1] > 0  # paragraphs in a loose list keep theirs


# ---------------------------------------------------------------------- languages


@pytest.fixture(scope="module")
def zh_qm(tmp_path_factory):
    """The Chinese .qm built fresh from the JSON files."""
    out = tmp_path_factory.mktemp("qm")
    tt.build("zh_CN", tt.extract(), out_dir=out)
    return out


@pytest.fixture
def chinese(qapp, zh_qm):
    assert install_translators(qapp, "zh_CN", directory=zh_qm) == "zh_CN"
    yield
    remove_translators(qapp)


def test_the_transcript_in_chinese(qapp, qtbot, view, zh_qm):
    messages = [
        *conversation(),
        MessageView(5, "assistant", "halt ![](https://example.com/x.png)", note="stopped"),
        MessageView(6, "assistant", "oops", state="failed", version=2, versions=2),
    ]
    view.set_messages(messages)  # rendered in English first: Chinese must not reuse the cache
    assert ("Copy", "gptdesk-action:copy-code/2/0") in anchors(view)
    install_translators(qapp, "zh_CN", directory=zh_qm)
    try:
        zh = TranscriptView()
        qtbot.addWidget(zh)
        zh.set_messages(messages)
    finally:
        remove_translators(qapp)
    assert zh.accessibleName() == "对话"
    text = zh.toPlainText()
    assert "你\nHello <b>there</b>" in text and "助手\nTitle" in text
    links = anchors(zh)
    assert ("编辑", "gptdesk-action:edit/1") in links
    assert ("复制", "gptdesk-action:copy/1") in links
    assert ("重新生成", "gptdesk-action:regenerate/2") in links
    assert ("继续", "gptdesk-action:continue/4") in links
    assert ("复制", "gptdesk-action:copy-code/2/0") in links  # the code block's own link
    assert "（已中断）" in zh.message_text(4)
    assert "（已停止）" in zh.message_text(5) and "【图片】" in zh.message_text(5)
    assert "（生成失败）" in zh.message_text(6)
    (previous,) = [f for f in fragments(zh) if f.charFormat().anchorHref().endswith("previous/6")]
    assert previous.charFormat().toolTip() == "上一个版本"
    view.set_messages(messages)  # English again
    assert ("Copy", "gptdesk-action:copy-code/2/0") in anchors(view)
    assert "[stopped]" in view.message_text(5) and "[image]" in view.message_text(5)


def test_streaming_shows_the_role_title_in_chinese(qtbot, view, chinese):
    zh = TranscriptView()
    qtbot.addWidget(zh)
    zh.begin_reply(MessageView(1, "assistant", "", state="streaming"))
    zh.append_delta("你好")
    zh.flush()
    assert zh.toPlainText().strip() == "助手\n你好"
