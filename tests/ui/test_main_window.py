"""The main window with a deterministic fake engine: send, stream, stop, regenerate, edit,
continue, conversations, first run, restart, keys and accessibility."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

from gptdesk.core.chat.presets import load_presets
from gptdesk.core.models.catalog import load_catalog
from gptdesk.core.models.library import Library, starter_model_path
from gptdesk.core.storage.settings import SettingsStore
from gptdesk.core.storage.store import Store
from gptdesk.ui.chat.transcript import FLUSH_INTERVAL_MS
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.window.main_window import MainWindow, Services
from gptdesk.ui.window.settings_dialog import SettingsDialog
from tests.waits import HANG_TIMEOUT_MS


def make_window(qtbot, fake_engine, data: Path, welcome_done: bool = True) -> MainWindow:
    """A window over the database in ``data``, as ``app.run_app`` builds it, with the fake
    engine; waits until the models were listed and the first one loaded."""
    settings = SettingsStore(data / "gptdesk.sqlite3")
    if welcome_done and not settings.settings.welcome_done:
        settings.update(welcome_done=True)
    services = Services(
        controller=EngineController(factory=fake_engine),
        store=Store(data / "gptdesk.sqlite3"),
        settings=settings,
        library=Library(data / "models", include_external=False),
        tasks=BackgroundTasks(),
        presets=load_presets(),
        catalog=load_catalog(),
        scan_external=False,
        token=lambda: None,
    )
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    with qtbot.wait_signal(services.controller.loaded, timeout=HANG_TIMEOUT_MS):
        win.scan_models()
    return win


def close(win: MainWindow) -> None:
    win.close()
    win.services.shutdown()


@pytest.fixture
def window(qtbot, fake_engine, tmp_path):
    win = make_window(qtbot, fake_engine, tmp_path)
    yield win
    close(win)


def send(qtbot, win: MainWindow, text: str, signal_name: str = "generation_finished") -> None:
    pane = win.chat_pane
    pane.composer.setPlainText(text)
    with qtbot.wait_signal(getattr(win.controller, signal_name), timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: not pane.busy, timeout=HANG_TIMEOUT_MS)


def path_texts(win: MainWindow) -> list[str]:
    return [m.content for m in win.chat_pane.session.history()]


SHOWN_BEFORE_THE_HOLD = 2
"""Words of a held reply that stream before it waits for the test (see ``start_held_reply``)."""


def start_held_reply(qtbot, win: MainWindow, fake_engine) -> None:
    """Send a 400-word reply that streams two words and then waits, until the test releases
    or stops it: whatever the machine's load, the reply is still running when the test looks."""
    fake_engine.reply = " ".join(["slow"] * 400)
    fake_engine.hold_after = SHOWN_BEFORE_THE_HOLD
    win.chat_pane.composer.setPlainText("go")
    qtbot.keyClick(win.chat_pane.composer, Qt.Key.Key_Return)
    qtbot.wait_until(
        lambda: "slow slow" in win.chat_pane.transcript.toPlainText(), timeout=HANG_TIMEOUT_MS
    )


def test_starter_is_listed_loaded_and_shown_in_the_top_bar(window):
    assert window.model_picker.itemText(0) == "Starter"
    assert window.model_picker.itemData(0) == str(starter_model_path())
    assert window.model_picker.itemText(window.model_picker.count() - 1) == "Get more models…"
    assert window.backend_chip.text() == "CPU · 2 threads"
    assert window.chat_pane.send_button.isEnabled()
    assert window.load_progress.isHidden()
    assert window.settings.settings.last_model == str(starter_model_path())


def test_enter_sends_streams_and_saves(qtbot, window, fake_engine):
    send(qtbot, window, "Hello there")
    text = window.chat_pane.transcript.toPlainText()
    assert "Hello there" in text and fake_engine.reply in text
    assert path_texts(window) == ["Hello there", fake_engine.reply]
    assert window.chat_pane.composer.toPlainText() == ""
    assert "tokens/s" in window.statusBar().currentMessage()
    # the new conversation appears in the side list, selected
    assert window.item_list.selected_id() == window.chat_pane.conversation_id
    assert window.item_list.model.rowCount() == 1
    assert window.statusBar().currentMessage().startswith("9 tokens")
    window.new_item()
    assert window.statusBar().currentMessage() == ""  # stats belong to the other chat


def test_context_meter_shows_tokens_used_of_the_window(qtbot, window):
    send(qtbot, window, "Hello")
    assert window.context_meter.maximum() == 2048
    assert window.context_meter.value() == 10 + 9  # fake stats: prompt 10 + 9 reply tokens


def test_history_and_system_prompt_are_sent(qtbot, window, fake_engine):
    window.chat_pane.session.set_system_prompt("Be brief.")
    send(qtbot, window, "first")
    send(qtbot, window, "second")
    last = fake_engine.requests[-1]
    assert [(m.role, m.content) for m in last] == [
        ("system", "Be brief."),
        ("user", "first"),
        ("assistant", fake_engine.reply),
        ("user", "second"),
    ]


def test_shift_enter_inserts_a_newline(qtbot, window, fake_engine):
    composer = window.chat_pane.composer
    composer.setPlainText("line one")
    composer.moveCursor(composer.textCursor().MoveOperation.End)
    qtbot.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert composer.toPlainText() == "line one\n"
    assert fake_engine.requests == []


def test_repaints_are_coalesced(qtbot, window, fake_engine):
    fake_engine.reply = " ".join(["word"] * 200)  # 200 deltas arrive faster than 30 ms each
    began = time.monotonic()
    send(qtbot, window, "go")
    took_ms = (time.monotonic() - began) * 1000
    assert path_texts(window)[-1] == fake_engine.reply
    # At most one flush per FLUSH_INTERVAL_MS while streaming (a coarse timer may fire 5% early)
    # and the last one: the bound grows with the time a busy machine took, it is no budget.
    most = 2 + took_ms / (0.95 * FLUSH_INTERVAL_MS)
    assert 1 <= window.chat_pane.transcript.flush_count <= most


def test_escape_stops_then_continue_finishes_the_same_reply(qtbot, window, fake_engine, tmp_path):
    start_held_reply(qtbot, window, fake_engine)
    assert window.chat_pane.stop_button.isEnabled()
    with qtbot.wait_signal(window.controller.generation_cancelled, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.wait_until(lambda: not window.chat_pane.busy, timeout=HANG_TIMEOUT_MS)
    assert "stopped" in window.chat_pane.transcript.toPlainText()
    cut = window.chat_pane.session.history()[-1]
    assert cut.state == "interrupted" and cut.content.count("slow") == SHOWN_BEFORE_THE_HOLD
    assert window.chat_pane.session.turns()[-1].can_continue

    fake_engine.reply = "and the end."
    fake_engine.hold_after = None
    with qtbot.wait_signal(window.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        window.chat_pane.transcript.action_requested.emit("continue", cut.id)
    qtbot.wait_until(lambda: not window.chat_pane.busy, timeout=HANG_TIMEOUT_MS)
    assert fake_engine.continued[-1] is True
    assert fake_engine.requests[-1][-1].content == cut.content  # the cut text was sent on
    done = window.chat_pane.session.history()[-1]
    assert done.id == cut.id and done.content == cut.content + "and the end."
    assert done.state == "complete"


def test_regenerate_keeps_versions_and_switches_between_them(qtbot, window, fake_engine):
    send(qtbot, window, "Name a colour")
    first = window.chat_pane.session.history()[-1]
    fake_engine.reply = "Blue"
    with qtbot.wait_signal(window.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        window.chat_pane.transcript.action_requested.emit("regenerate", first.id)
    qtbot.wait_until(lambda: not window.chat_pane.busy, timeout=HANG_TIMEOUT_MS)
    assert [m.content for m in fake_engine.requests[-1]] == ["Name a colour"]
    assert path_texts(window) == ["Name a colour", "Blue"]
    assert "2/2" in window.chat_pane.transcript.toPlainText()
    newest = window.chat_pane.session.history()[-1]
    window.chat_pane.transcript.action_requested.emit("previous", newest.id)
    assert path_texts(window) == ["Name a colour", first.content]
    assert "1/2" in window.chat_pane.transcript.toPlainText()
    assert first.content in window.chat_pane.transcript.toPlainText()


def test_edit_and_resend_keeps_the_old_branch(qtbot, window, fake_engine):
    send(qtbot, window, "Tell me a joke")
    question = window.chat_pane.session.history()[0]
    window.chat_pane.transcript.action_requested.emit("edit", question.id)
    composer = window.chat_pane.composer
    assert composer.toPlainText() == "Tell me a joke"
    assert window.chat_pane.edit_banner.isVisible()
    fake_engine.reply = "A poem"
    send(qtbot, window, "Tell me a poem")
    assert path_texts(window) == ["Tell me a poem", "A poem"]
    edited = window.chat_pane.session.turns()[0]
    assert (edited.version, edited.versions) == (2, 2)
    window.chat_pane.transcript.action_requested.emit("previous", edited.message.id)
    assert path_texts(window)[0] == "Tell me a joke"


def test_a_failed_reply_gives_the_text_back(qtbot, window, fake_engine):
    send(qtbot, window, "first")
    window.controller.worker._engine = None  # the model went away: the worker reports failure
    window.chat_pane.composer.setPlainText("second")
    with qtbot.wait_signal(window.controller.generation_failed, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(window.chat_pane.composer, Qt.Key.Key_Return)
    assert window.chat_pane.composer.toPlainText() == "second"
    assert path_texts(window) == ["first", fake_engine.reply]
    assert window.message_bar.isVisible()


def test_load_failure_shows_message_bar_and_keeps_typed_text(qtbot, fake_engine, tmp_path):
    fake_engine.fail_load = "This file is not a GGUF model."
    settings = SettingsStore(tmp_path / "db.sqlite3")
    settings.update(welcome_done=True)
    services = Services(
        controller=EngineController(factory=fake_engine),
        store=Store(tmp_path / "db.sqlite3"),
        settings=settings,
        library=Library(tmp_path / "models", include_external=False),
        tasks=BackgroundTasks(),
        presets=load_presets(),
        scan_external=False,
    )
    win = MainWindow(services)
    qtbot.addWidget(win)
    win.show()
    with qtbot.wait_signal(services.controller.load_failed, timeout=HANG_TIMEOUT_MS):
        win.scan_models()
    assert win.message_bar.isVisible()
    assert win.message_bar.label.text() == "This file is not a GGUF model."
    assert not win.chat_pane.send_button.isEnabled()
    win.chat_pane.composer.setPlainText("kept")
    win.chat_pane.send()
    assert win.chat_pane.composer.toPlainText() == "kept"  # nothing the user typed is lost
    close(win)


def test_switching_models_closes_the_old_one(qtbot, window, fake_engine, tmp_path):
    old = window.controller.worker._engine
    other = tmp_path / "models" / "other.gguf"
    with qtbot.wait_signal(window.controller.loaded, timeout=HANG_TIMEOUT_MS):
        window.load_model(other)
    assert old.closed
    assert window.controller.worker._engine.path == other


def test_new_chat_and_conversation_list(qtbot, window, fake_engine):
    send(qtbot, window, "Hello")
    first = window.chat_pane.conversation_id
    qtbot.keySequence(window, "Ctrl+N")
    assert window.chat_pane.session.history() == []
    assert window.chat_pane.transcript.toPlainText() == ""
    send(qtbot, window, "Second chat")
    assert window.item_list.model.rowCount() == 2
    window.item_list.item_selected.emit(first)
    assert path_texts(window) == ["Hello", fake_engine.reply]


def test_deleting_the_open_conversation_clears_the_pane(qtbot, window):
    send(qtbot, window, "Hello")
    conv = window.chat_pane.conversation_id
    window.item_list.confirm = lambda _title: True
    window.item_list.delete(conv)
    assert window.chat_pane.conversation_id is None
    assert window.chat_pane.transcript.toPlainText() == ""
    assert window.services.store.conversations() == []


def test_ctrl_f_focuses_search_and_ctrl_comma_opens_settings(qtbot, window):
    window.activateWindow()
    qtbot.keySequence(window, "Ctrl+F")
    qtbot.wait_until(lambda: window.item_list.search_edit.hasFocus(), timeout=HANG_TIMEOUT_MS)
    qtbot.keySequence(window, "Ctrl+,")
    dialogs = [w for w in window.findChildren(SettingsDialog) if w.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].reject()


def test_the_window_fits_an_800_pixel_wide_screen(window):
    assert window.minimumSizeHint().width() <= 800


def unnamed_controls(root: QWidget, window: MainWindow) -> list[str]:
    """Focusable, visible widgets without an accessible name (an editable combo's or a spin
    box's inner line edit speaks through its owner)."""
    return [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in root.findChildren(QWidget)
        if w.isVisibleTo(window)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not w.accessibleName()
        and type(w).__name__ not in ("QScrollBar", "QSplitterHandle", "QWidget", "QFrame")
        and not type(w).__name__.startswith("Qt")
        and not isinstance(w.parent(), QComboBox | QAbstractSpinBox)
    ]


def test_every_focusable_control_has_an_accessible_name(window):
    assert unnamed_controls(window, window) == []


def test_conversation_and_geometry_survive_a_restart(qtbot, fake_engine, tmp_path):
    win = make_window(qtbot, fake_engine, tmp_path)
    send(qtbot, win, "Remember me")
    send(qtbot, win, "And this")
    qtbot.keySequence(win, "Ctrl+N")
    send(qtbot, win, "Another chat")
    win.item_list.item_selected.emit(win.item_list.model.item(1).id)  # back to the first
    size = (min(win.minimumSizeHint().width() + 10, 790), 540)  # offscreen screen: 800x600
    win.resize(*size)
    close(win)

    again = make_window(qtbot, fake_engine, tmp_path)
    assert path_texts(again) == ["Remember me", fake_engine.reply, "And this", fake_engine.reply]
    assert (again.width(), again.height()) == size
    assert again.item_list.selected_id() == again.chat_pane.conversation_id
    send(qtbot, again, "And now?")  # goes on in the same conversation
    assert [m.content for m in fake_engine.requests[-1]][-1] == "And now?"
    assert len(fake_engine.requests[-1]) == 5
    close(again)


def test_an_interrupted_reply_shows_after_restart(qtbot, fake_engine, tmp_path):
    win = make_window(qtbot, fake_engine, tmp_path)
    start_held_reply(qtbot, win, fake_engine)
    with qtbot.wait_signal(win.controller.generation_cancelled, timeout=HANG_TIMEOUT_MS):
        win.chat_pane.stop()
    close(win)
    again = make_window(qtbot, fake_engine, tmp_path)
    assert "interrupted" in again.chat_pane.transcript.toPlainText()
    assert again.chat_pane.session.turns()[-1].can_continue
    close(again)


def test_first_run_shows_welcome_until_the_user_starts(qtbot, fake_engine, tmp_path):
    win = make_window(qtbot, fake_engine, tmp_path, welcome_done=False)
    assert win.stack.currentWidget() is win.welcome
    assert not win.rail.isVisible() and not win.item_list.isVisible()  # the page has the room
    win.welcome.start_requested.emit()
    assert win.stack.currentWidget() is win.chat_pane
    assert win.rail.isVisible() and win.item_list.isVisible()
    assert win.settings.settings.welcome_done
    close(win)
    again = make_window(qtbot, fake_engine, tmp_path, welcome_done=False)
    assert again.stack.currentWidget() is again.chat_pane
    close(again)


def test_first_run_is_skipped_when_other_models_are_installed(qtbot, fake_engine, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "mine.gguf").write_bytes(starter_model_path().read_bytes()[:4096])
    win = make_window(qtbot, fake_engine, tmp_path, welcome_done=False)
    qtbot.wait_until(lambda: win.stack.currentWidget() is win.chat_pane, timeout=HANG_TIMEOUT_MS)
    assert win.model_picker.findText("mine") >= 0
    close(win)


@pytest.mark.parametrize("fmt", ["md", "json", "txt"])
def test_export_writes_the_open_conversation(qtbot, window, fake_engine, tmp_path, fmt):
    send(qtbot, window, "Export me")
    target = tmp_path / f"out.{fmt}"
    window.export_chat_to(target, fmt)
    qtbot.wait_until(target.exists, timeout=HANG_TIMEOUT_MS)
    text = target.read_text(encoding="utf-8")
    assert "Export me" in text and fake_engine.reply in text
    assert not target.with_name(target.name + ".part").exists()


def test_import_round_trip_opens_the_imported_conversation(qtbot, window, fake_engine, tmp_path):
    send(qtbot, window, "Round trip")
    exported = tmp_path / "chat.json"
    window.export_chat_to(exported, "json")
    qtbot.wait_until(exported.exists, timeout=HANG_TIMEOUT_MS)
    window.import_chat_from(exported)
    qtbot.wait_until(lambda: window.item_list.model.rowCount() == 2, timeout=HANG_TIMEOUT_MS)
    assert path_texts(window) == ["Round trip", fake_engine.reply]
    assert window.chat_pane.conversation_id == window.services.store.conversations()[0].id


def test_importing_a_bad_file_says_why_and_changes_nothing(qtbot, window, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    window.import_chat_from(bad)
    qtbot.wait_until(window.message_bar.isVisible, timeout=HANG_TIMEOUT_MS)
    assert "not a conversation" in window.message_bar.label.text()
    assert window.services.store.conversations() == []


def test_a_gguf_dropped_on_the_window_is_imported_and_listed(qtbot, window, tmp_path):
    from tests.ui.test_model_manager import drop_files

    source = tmp_path / "dropped.gguf"
    source.write_bytes(starter_model_path().read_bytes())
    accepted = drop_files(window, [source])
    assert accepted == (True, True)
    qtbot.wait_until(lambda: window.model_picker.findText("dropped") >= 0, timeout=HANG_TIMEOUT_MS)
    assert (tmp_path / "models" / "imported" / "dropped.gguf").is_file()
    manager = window._model_manager
    assert manager is not None and manager.isVisible()
    manager.close()


def test_a_text_file_dropped_on_the_window_is_refused(window, tmp_path):
    from tests.ui.test_model_manager import drop_files

    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert drop_files(window, [notes]) == (False, False)
    assert window._model_manager is None


def test_the_rail_switches_panes_and_the_list_follows(qtbot, window, fake_engine):
    send(qtbot, window, "A chat")
    qtbot.keySequence(window, "Ctrl+5")  # Translate
    assert window.mode.name == "Translate"
    assert window.stack.currentWidget() is window.modes["Translate"].pane
    assert window.item_list.model.rowCount() == 0  # translations, not conversations
    assert "translation" in window.item_list.new_button.text().lower()
    document = window.services.store.create_document("translation", "Bonjour", "Hello")
    window.item_list.refresh()
    window.item_list.item_selected.emit(document.id)
    assert window.modes["Translate"].pane.document_id == document.id
    qtbot.keySequence(window, "Ctrl+1")
    assert window.mode.name == "Chat" and window.item_list.model.rowCount() == 1
    assert window.item_list.selected_id() == window.chat_pane.conversation_id


def test_every_mode_has_accessible_controls(qtbot, window):
    for name in window.modes:
        window.switch_mode(name)
        assert unnamed_controls(window.modes[name].pane, window) == [], name


def test_an_edit_made_just_before_closing_is_saved(qtbot, fake_engine, tmp_path):
    win = make_window(qtbot, fake_engine, tmp_path)
    win.switch_mode("Write")
    pane = win.modes["Write"].pane
    pane.editor.setPlainText("The lighthouse keeper had not slept in three days.")
    close(win)  # well within the pane's one-second autosave delay
    store = Store(tmp_path / "gptdesk.sqlite3")
    stories = store.documents("story")
    assert [d.body for d in stories] == ["The lighthouse keeper had not slept in three days."]
    store.close()


def test_switching_mode_hides_the_chat_meter_and_clears_reply_stats(qtbot, window):
    send(qtbot, window, "Hi")
    assert window.context_meter.isVisible() and window.statusBar().currentMessage()
    window.switch_mode("Email")
    assert not window.context_meter.isVisible()
    assert window.statusBar().currentMessage() == ""
    window.switch_mode("Chat")
    assert window.context_meter.isVisible()


def test_opening_another_conversation_mid_reply_saves_the_reply(qtbot, window, fake_engine):
    send(qtbot, window, "First chat")
    first = window.chat_pane.conversation_id
    start_held_reply(qtbot, window, fake_engine)
    shown = window.chat_pane.transcript.toPlainText().count("slow")
    window.new_item()  # before the engine confirms the Stop
    store = window.services.store
    cut = store.active_path(first)[-1]
    assert cut.state == "interrupted"
    assert cut.content.count("slow") == shown == SHOWN_BEFORE_THE_HOLD
    assert not window.chat_pane.busy and window.chat_pane.send_button.isEnabled()
    # the engine's late cancel confirmation arrives and changes nothing
    qtbot.wait_until(lambda: not window.controller.busy, timeout=HANG_TIMEOUT_MS)
    assert store.active_path(first)[-1].content == cut.content


def test_closing_mid_reply_saves_what_was_shown(qtbot, fake_engine, tmp_path):
    win = make_window(qtbot, fake_engine, tmp_path)
    start_held_reply(qtbot, win, fake_engine)
    shown = win.chat_pane.transcript.toPlainText().count("slow")
    conversation = win.chat_pane.conversation_id
    close(win)
    store = Store(tmp_path / "gptdesk.sqlite3")
    cut = store.active_path(conversation)[-1]
    assert cut.state == "interrupted"
    assert cut.content.count("slow") == shown == SHOWN_BEFORE_THE_HOLD
    store.close()


def test_stop_in_one_pane_leaves_another_panes_work_running(qtbot, window, fake_engine):
    fake_engine.reply = " ".join(["w"] * 200)
    fake_engine.hold_after = 1  # the other pane's job waits for the test after one word
    with qtbot.wait_signal(window.controller.delta, timeout=HANG_TIMEOUT_MS):
        other = window.controller.run_job(
            lambda engine, cancel: engine.stream_completion("x", None, cancel), owner=object()
        )
    window.chat_pane.composer.setPlainText("go")
    window.chat_pane.send()  # queued behind the other job
    chat = window.chat_pane._request_id
    window.chat_pane.stop()  # Esc in Chat, while the other job is held mid-stream
    ended: list[tuple[str, int]] = []
    window.controller.generation_finished.connect(lambda rid, *_: ended.append(("done", rid)))
    window.controller.generation_cancelled.connect(lambda rid, *_: ended.append(("stop", rid)))
    fake_engine.release()
    qtbot.wait_until(lambda: len(ended) == 2, timeout=HANG_TIMEOUT_MS)
    assert ended == [("done", other), ("stop", chat)]  # the other pane's job ran to its end
    qtbot.wait_until(lambda: not window.chat_pane.busy, timeout=HANG_TIMEOUT_MS)


def test_editing_keeps_the_draft_in_the_composer(qtbot, window):
    send(qtbot, window, "Question")
    composer = window.chat_pane.composer
    composer.setPlainText("a draft I am writing")
    question = window.chat_pane.session.history()[0]
    window.chat_pane.start_edit(question.id)
    assert composer.toPlainText() == "Question"
    window.chat_pane.cancel_edit()
    assert composer.toPlainText() == "a draft I am writing"


def test_a_failed_reply_never_overwrites_new_typing(qtbot, window, fake_engine):
    send(qtbot, window, "first")
    window.controller.worker._engine = None
    window.chat_pane.composer.setPlainText("important question")
    with qtbot.wait_signal(window.controller.generation_failed, timeout=HANG_TIMEOUT_MS):
        window.chat_pane.send()
        window.chat_pane.composer.setPlainText("typed meanwhile")
    assert window.chat_pane.composer.toPlainText() == "important question\n\ntyped meanwhile"


def test_importing_from_a_writing_mode_opens_the_chat(qtbot, window, fake_engine, tmp_path):
    send(qtbot, window, "Round trip")
    exported = tmp_path / "chat.json"
    window.export_chat_to(exported, "json")
    qtbot.wait_until(exported.exists, timeout=HANG_TIMEOUT_MS)
    window.services.store.create_document("email", "Keep me", "body")
    window.switch_mode("Summarize")
    window.import_chat_from(exported)
    qtbot.wait_until(lambda: window.mode.name == "Chat", timeout=HANG_TIMEOUT_MS)
    assert window.chat_pane.conversation_id == window.services.store.conversations()[0].id
    assert window.modes["Summarize"].pane.document_id is None
    assert [d.body for d in window.services.store.documents("email")] == ["body"]
