"""The side list over real conversations: order, search, rename, delete, keys, empty state."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLineEdit

from gptdesk.core.storage.store import Store, StoreError
from gptdesk.ui.i18n import install_translators, remove_translators
from gptdesk.ui.window.item_list import (
    ConversationSource,
    DocumentSource,
    ItemList,
    ItemListModel,
    ListItem,
    delete_question,
    relative_date,
)
from tests.waits import HANG_TIMEOUT_MS
from tools import translations as tt


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "chats.sqlite3")
    yield s
    s.close()


def _chat(store: Store, title: str, *texts: str) -> int:
    conv = store.create_conversation(title)
    parent = None
    for i, text in enumerate(texts):
        parent = store.add_message(conv.id, "user" if i % 2 == 0 else "assistant", text, parent).id
    return conv.id


@pytest.fixture
def chats(store):
    """Three conversations, oldest first: their ids."""
    return [
        _chat(store, "Trip to Lisbon", "Plan three days in Lisbon", "Day 1: Alfama…"),
        _chat(store, "Cover letter", "Help me write a cover letter", "Dear hiring manager…"),
        _chat(store, "Soup recipe", "A quick pumpkin soup?", "Roast the pumpkin…"),
    ]


@pytest.fixture
def item_list(qtbot, store, chats):
    widget = ItemList()
    qtbot.addWidget(widget)
    widget.set_source(ConversationSource(store))
    widget.resize(280, 400)
    widget.show()
    qtbot.wait_exposed(widget)
    return widget


def _titles(widget: ItemList) -> list[str]:
    return [widget.model.item(r).title for r in range(widget.model.rowCount())]


def _ids(widget: ItemList) -> list[int]:
    return [widget.model.item(r).id for r in range(widget.model.rowCount())]


def _search(qtbot, widget: ItemList, text: str) -> None:
    widget.search_edit.setText(text)
    assert widget.search_timer.isActive()  # debounced, not at once
    qtbot.wait_until(lambda: not widget.search_timer.isActive(), timeout=HANG_TIMEOUT_MS)


def test_lists_conversations_newest_first_with_date(item_list, chats):
    assert _ids(item_list) == list(reversed(chats))
    assert _titles(item_list) == ["Soup recipe", "Cover letter", "Trip to Lisbon"]
    index = item_list.model.index(0)
    assert index.data(ItemListModel.SubtitleRole).startswith("Today ")
    assert index.data(ItemListModel.IdRole) == chats[2]
    assert "Soup recipe" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert item_list.view.isVisible() and not item_list.empty_label.isVisible()


def test_relative_dates():
    now = datetime(2024, 11, 14, 18, 30).timestamp()
    assert relative_date(datetime(2024, 11, 14, 14, 5).timestamp(), now) == "Today 14:05"
    assert relative_date(datetime(2024, 11, 13, 23, 59).timestamp(), now) == "Yesterday"
    assert relative_date(datetime(2024, 11, 12, 9, 0).timestamp(), now) == "12 Nov"
    assert relative_date(datetime(2023, 3, 2, 9, 0).timestamp(), now) == "2 Mar 2023"


def test_conversation_source_uses_its_clock(store, chats):
    later = datetime.now().timestamp() + 3 * 86_400
    items = ConversationSource(store, clock=lambda: later).items("")
    assert all(not it.subtitle.startswith(("Today", "Yesterday")) for it in items)
    assert [it.id for it in items] == list(reversed(chats))


def test_search_filters_titles_and_message_text_after_the_delay(qtbot, item_list, chats):
    _search(qtbot, item_list, "letter")
    assert _ids(item_list) == [chats[1]]
    _search(qtbot, item_list, "pumpkin")  # only in the messages
    assert _ids(item_list) == [chats[2]]
    _search(qtbot, item_list, "")
    assert len(_ids(item_list)) == 3


def test_typing_fast_searches_once_at_the_end(qtbot, item_list, store, chats):
    calls: list[str] = []
    source = item_list.model.source
    original = source.items
    source.items = lambda search: calls.append(search) or original(search)
    qtbot.keyClicks(item_list.search_edit, "Lisb")
    qtbot.wait_until(lambda: calls == ["Lisb"], timeout=HANG_TIMEOUT_MS)
    assert _ids(item_list) == [chats[0]]


def test_no_match_and_empty_states(qtbot, store):
    widget = ItemList()
    qtbot.addWidget(widget)
    widget.set_source(ConversationSource(store))
    widget.show()
    assert widget.empty_label.isVisible() and not widget.view.isVisible()
    assert widget.empty_label.text() == "No conversations yet"
    _chat(store, "Only one", "hello")
    widget.refresh()
    assert widget.view.isVisible() and not widget.empty_label.isVisible()
    _search(qtbot, widget, "zebra")
    assert widget.empty_label.isVisible()
    assert widget.empty_label.text() == "No matches for “zebra”"


def test_rename_through_the_model_persists(qtbot, item_list, store, chats):
    index = item_list.model.index(_ids(item_list).index(chats[0]))
    with qtbot.wait_signal(item_list.item_renamed, timeout=HANG_TIMEOUT_MS) as blocker:
        assert item_list.model.setData(index, "  Lisbon, 3 days  ")
    assert blocker.args == [chats[0], "Lisbon, 3 days"]
    assert store.conversation(chats[0]).title == "Lisbon, 3 days"
    assert index.data() == "Lisbon, 3 days"


def test_empty_title_is_rejected(qtbot, item_list, store, chats):
    index = item_list.model.index(0)
    with qtbot.assert_not_emitted(item_list.item_renamed):
        assert not item_list.model.setData(index, "   ")
    assert store.conversation(chats[2]).title == "Soup recipe"
    assert index.data() == "Soup recipe"


def test_f2_typing_and_enter_renames(qtbot, item_list, store, chats):
    item_list.view.setFocus()
    item_list.select(chats[1])
    qtbot.keyClick(item_list.view, Qt.Key.Key_F2)
    editor = item_list.view.findChild(QLineEdit)
    assert editor is not None and editor.text() == "Cover letter"
    editor.selectAll()
    qtbot.keyClicks(editor, "Letter to ACME")
    with qtbot.wait_signal(item_list.item_renamed, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert store.conversation(chats[1]).title == "Letter to ACME"


def test_refresh_waits_for_an_open_editor(qtbot, item_list, store, chats):
    item_list.rename(chats[1])
    editor = item_list.view.findChild(QLineEdit)
    assert editor is not None
    editor.setText("Half typed")
    _chat(store, "Arrived meanwhile", "hi")
    item_list.refresh()  # e.g. a reply finished in another chat
    assert editor.text() == "Half typed" and len(_ids(item_list)) == 3
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: len(_ids(item_list)) == 4, timeout=HANG_TIMEOUT_MS)
    assert store.conversation(chats[1]).title == "Half typed"


def test_rename_error_is_reported_and_keeps_the_title(qtbot, item_list):
    def refuse(_id: int, _title: str) -> None:
        raise StoreError("The conversation could not be renamed (disk full). Free some space.")

    item_list.model.source.rename = refuse
    with qtbot.wait_signal(item_list.failed, timeout=HANG_TIMEOUT_MS) as blocker:
        assert not item_list.model.setData(item_list.model.index(0), "New title")
    assert "disk full" in blocker.args[0]
    assert item_list.model.index(0).data() == "Soup recipe"


def test_delete_confirmed_removes_from_store(qtbot, item_list, store, chats):
    asked: list[str] = []
    item_list.confirm = lambda title: asked.append(title) or True
    item_list.select(chats[1])
    with qtbot.wait_signal(item_list.item_deleted, timeout=HANG_TIMEOUT_MS) as blocker:
        qtbot.keyClick(item_list.view, Qt.Key.Key_Delete)
    assert asked == ["Cover letter"]
    assert blocker.args == [chats[1]]
    assert [c.id for c in store.conversations()] == [chats[2], chats[0]]
    assert _ids(item_list) == [chats[2], chats[0]]
    assert item_list.selected_id() is None
    assert delete_question("Cover letter") == "Delete “Cover letter”? This cannot be undone."


def test_delete_declined_keeps_it(qtbot, item_list, store, chats):
    item_list.confirm = lambda _title: False
    item_list.select(chats[1])
    with qtbot.assert_not_emitted(item_list.item_deleted):
        qtbot.keyClick(item_list.view, Qt.Key.Key_Delete)
    assert len(store.conversations()) == 3
    assert _ids(item_list) == list(reversed(chats))
    assert item_list.selected_id() == chats[1]


def test_deleting_the_last_item_shows_the_empty_hint(qtbot, store):
    only = _chat(store, "Only", "hi")
    widget = ItemList()
    qtbot.addWidget(widget)
    widget.set_source(ConversationSource(store))
    widget.show()
    widget.confirm = lambda _title: True
    assert widget.delete(only)
    assert widget.empty_label.isVisible() and not widget.view.isVisible()


def test_context_menu_actions(qtbot, item_list, store, chats):
    item_list.confirm = lambda _title: True
    menu = item_list.context_menu(_ids(item_list).index(chats[0]))
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert list(actions) == ["Open", "Rename", "Delete…"]
    with qtbot.wait_signal(item_list.item_selected, timeout=HANG_TIMEOUT_MS) as blocker:
        actions["Open"].trigger()
    assert blocker.args == [chats[0]]
    actions["Rename"].trigger()
    assert item_list.view.findChild(QLineEdit) is not None
    item_list.view.findChild(QLineEdit).setText("x")
    qtbot.keyClick(item_list.view.findChild(QLineEdit), Qt.Key.Key_Escape)  # cancelled
    assert store.conversation(chats[0]).title == "Trip to Lisbon"
    with qtbot.wait_signal(item_list.item_deleted, timeout=HANG_TIMEOUT_MS):
        actions["Delete…"].trigger()
    assert chats[0] not in [c.id for c in store.conversations()]


def test_up_down_move_and_enter_opens(qtbot, item_list, chats):
    item_list.select(chats[2])  # top row
    with qtbot.assert_not_emitted(item_list.item_selected):
        qtbot.keyClick(item_list.view, Qt.Key.Key_Down)
        qtbot.keyClick(item_list.view, Qt.Key.Key_Down)
    assert item_list.selected_id() == chats[0]
    qtbot.keyClick(item_list.view, Qt.Key.Key_Up)
    with qtbot.wait_signal(item_list.item_selected, timeout=HANG_TIMEOUT_MS) as blocker:
        qtbot.keyClick(item_list.view, Qt.Key.Key_Return)
    assert blocker.args == [chats[1]]


def test_click_opens(qtbot, item_list, chats):
    rect = item_list.view.visualRect(item_list.model.index(1))
    with qtbot.wait_signal(item_list.item_selected, timeout=HANG_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(item_list.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [chats[1]]


def test_select_does_not_emit_and_highlights(qtbot, item_list, chats):
    with qtbot.assert_not_emitted(item_list.item_selected):
        item_list.select(chats[0])
    assert item_list.selected_id() == chats[0]
    current = item_list.view.currentIndex()
    assert current.data(ItemListModel.IdRole) == chats[0]
    assert item_list.view.selectionModel().isSelected(current)
    item_list.select(None)
    assert item_list.selected_id() is None
    assert not item_list.view.selectionModel().hasSelection()


def test_refresh_keeps_the_selection(qtbot, item_list, store, chats):
    item_list.select(chats[1])
    new = _chat(store, "Brand new", "hello")  # arrives on top, rows shift
    item_list.refresh()
    assert _ids(item_list)[0] == new
    assert item_list.selected_id() == chats[1]
    assert item_list.view.currentIndex().data(ItemListModel.IdRole) == chats[1]


def test_selection_hidden_by_search_comes_back(qtbot, item_list, chats):
    item_list.select(chats[1])
    _search(qtbot, item_list, "Lisbon")
    assert not item_list.view.selectionModel().hasSelection()
    _search(qtbot, item_list, "")
    assert item_list.view.currentIndex().data(ItemListModel.IdRole) == chats[1]


def test_search_keys_down_and_enter(qtbot, item_list, chats):
    item_list.search_edit.setText("letter")
    with qtbot.wait_signal(item_list.item_selected, timeout=HANG_TIMEOUT_MS) as blocker:
        qtbot.keyClick(item_list.search_edit, Qt.Key.Key_Return)  # before the delay ran out
    assert blocker.args == [chats[1]]


def test_new_button_and_labels(qtbot, item_list, store):
    with qtbot.wait_signal(item_list.new_requested, timeout=HANG_TIMEOUT_MS):
        qtbot.mouseClick(item_list.new_button, Qt.MouseButton.LeftButton)
    assert item_list.view.accessibleName() == "Conversations"
    assert item_list.search_edit.accessibleName() == "Search conversations"
    assert item_list.new_button.accessibleName() == "New chat"

    class Docs:
        def items(self, search: str) -> list[ListItem]:
            return [ListItem(7, "Notes", "2 pages")]

        def rename(self, item_id: int, title: str) -> None: ...

        def delete(self, item_id: int) -> None: ...

    item_list.set_source(
        Docs(), new_label="New document", accessible_name="Documents", empty_text="No documents"
    )
    assert item_list.new_button.text() == "New document"
    assert item_list.view.accessibleName() == "Documents"
    assert _titles(item_list) == ["Notes"]
    assert item_list.model.index(0).data(Qt.ItemDataRole.AccessibleTextRole) == "Notes, 2 pages"


def _next_tab_stop(widget):
    nxt = widget.nextInFocusChain()
    while not (nxt.focusPolicy() & Qt.FocusPolicy.TabFocus and nxt.isVisible()):
        nxt = nxt.nextInFocusChain()
    return nxt


def test_tab_order_and_focus_search(qtbot, item_list):
    assert _next_tab_stop(item_list.search_edit) is item_list.new_button
    assert _next_tab_stop(item_list.new_button) is item_list.view
    item_list.search_edit.setText("abc")
    item_list.activateWindow()
    item_list.focus_search()
    qtbot.wait_until(lambda: item_list.search_edit.hasFocus(), timeout=HANG_TIMEOUT_MS)
    assert item_list.search_edit.selectedText() == "abc"


def test_listing_error_is_reported(qtbot, item_list):
    def broken(_search: str) -> list[ListItem]:
        raise StoreError("The conversations could not be read (locked). Try again in a moment.")

    item_list.model.source.items = broken
    with qtbot.wait_signal(item_list.failed, timeout=HANG_TIMEOUT_MS) as blocker:
        item_list.refresh()
    assert "locked" in blocker.args[0]
    assert len(_ids(item_list)) == 3  # what was listed stays


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


@pytest.fixture
def us_locale():
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


def _dates(now: float) -> list[str]:
    return [
        relative_date(datetime(*when).timestamp(), now)
        for when in ((2024, 11, 14, 14, 5), (2024, 11, 13, 23, 59), (2024, 11, 12), (2023, 3, 2))
    ]


def test_relative_dates_in_chinese(chinese):
    now = datetime(2024, 11, 14, 18, 0).timestamp()
    assert _dates(now) == ["今天 14:05", "昨天", "11月12日", "2023年3月2日"]


def test_relative_dates_take_times_and_month_names_from_the_locale(us_locale):
    now = datetime(2024, 11, 14, 18, 0).timestamp()
    today, *others = _dates(now)
    assert today.startswith("Today 2:05") and today.endswith("PM")  # the US 12-hour clock
    assert others == ["Yesterday", "12 Nov", "2 Mar 2023"]


@pytest.mark.parametrize(
    ("kind", "many", "one"),
    [
        ("summary", "summaries", "summary"),
        ("story", "stories", "story"),
        ("email", "emails", "email"),
        ("translation", "translations", "translation"),
        ("notes", "documents", "document"),  # a kind with no sentences of its own
    ],
)
def test_document_errors_are_whole_sentences_per_kind(tmp_path, kind, many, one):
    store = Store(tmp_path / "docs.sqlite3")
    doc = store.create_document(kind, "Draft")
    source = DocumentSource(store, kind)
    store.close()  # every call now fails in SQLite
    with pytest.raises(StoreError, match=f"^The {many} could not be read \\(.+\\)\\. Try again"):
        source.items("")
    with pytest.raises(StoreError, match=f"^The {one} could not be renamed \\(.+\\)\\. Try"):
        source.rename(doc.id, "New")
    with pytest.raises(StoreError, match=f"^The {one} could not be deleted \\(.+\\)\\. Try"):
        source.delete(doc.id)


def test_document_and_conversation_errors_in_chinese(tmp_path, chinese):
    store = Store(tmp_path / "docs.sqlite3")
    stories = DocumentSource(store, "story")
    chats = ConversationSource(store)
    store.close()
    with pytest.raises(StoreError, match=r"^无法读取故事（.+）。请稍后再试。$"):
        stories.items("")
    with pytest.raises(StoreError, match=r"^无法删除对话（.+）。请稍后再试。$"):
        chats.delete(1)


def test_the_list_in_chinese(qtbot, store, chats, chinese):
    widget = ItemList()
    qtbot.addWidget(widget)
    widget.set_source(ConversationSource(store))
    widget.resize(280, 400)
    widget.show()
    qtbot.wait_exposed(widget)
    assert widget.search_edit.placeholderText() == "搜索"
    assert widget.search_edit.accessibleName() == "搜索对话"
    assert widget.new_button.text() == "新建聊天"
    assert widget.view.accessibleName() == "对话"
    accessible = widget.model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert accessible.startswith("Soup recipe，今天 ")
    menu = widget.context_menu(0)
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == ["打开", "重命名", "删除…"]
    assert delete_question("Cover letter") == "要删除“Cover letter”吗？此操作无法撤销。"
    _search(qtbot, widget, "zebra")
    assert widget.empty_label.text() == "没有与“zebra”匹配的结果"
    _search(qtbot, widget, "")
    for chat in chats:
        store.delete_conversation(chat)
    widget.refresh()
    assert widget.empty_label.text() == "还没有对话"
