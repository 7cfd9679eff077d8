"""The email pane on the fake engine: drafts, refinements, copy, mailto, autosave and reopen,
the pane in Chinese."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication

from gptdesk.core.inference.engine import LoadOptions
from gptdesk.core.storage.store import Store
from gptdesk.core.writing.emails import LANGUAGES, LENGTHS, REFINEMENTS, TONES, Draft, mailto_url
from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.i18n import install_translators, remove_translators
from gptdesk.ui.message_bar import MessageBar
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.writing.email_pane import (
    LENGTH_LABELS,
    REFINEMENT_LABELS,
    TONE_LABELS,
    EmailPane,
    email_language_name,
)
from tests.waits import HANG_TIMEOUT_MS
from tools import translations as tt

CJK = re.compile(r"[\u4e00-\u9fff]")
REPLY = "Subject: Friday afternoon off\n\nDear Anna,\n\nI need Friday afternoon off.\n\nTom"
REPLY_WORDS = len(REPLY.split(" "))
"""Words of ``REPLY`` as the fake engine streams them: ``hold_after`` to hold right after it."""


def idle(busy: bool) -> bool:
    return not busy


class Harness:
    """A pane with its real services (controller on the fake engine, SQLite, templates)."""

    def __init__(self, qtbot, fake_engine, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.controller = EngineController(factory=fake_engine)
        self.store = Store(tmp_path / "gptdesk.sqlite3")
        self.prompts = PromptTemplates()
        self.bar = MessageBar()
        self.tasks = BackgroundTasks()
        self.opened: list[QUrl] = []
        self.open_result = True
        self.sent_params: list[object] = []
        chat = self.controller.chat

        def recording_chat(messages, params, continue_last=False, *, owner=None):
            self.sent_params.append(params)
            return chat(messages, params, continue_last, owner=owner)

        self.controller.chat = recording_chat  # type: ignore[method-assign]
        self.pane = self.make_pane()
        qtbot.addWidget(self.bar)

    def make_pane(self) -> EmailPane:
        pane = EmailPane(
            self.controller, self.store, self.prompts, self.bar, self.tasks, open_url=self.open
        )
        self.qtbot.addWidget(pane)
        pane.resize(1000, 700)
        return pane

    def open(self, url: QUrl) -> bool:
        self.opened.append(url)
        return self.open_result

    def load(self) -> None:
        with self.qtbot.wait_signal(self.controller.loaded, timeout=HANG_TIMEOUT_MS):
            self.controller.load(Path("/models/fake.gguf"), LoadOptions())

    def fill(self, pane: EmailPane | None = None) -> None:
        pane = pane or self.pane
        pane.recipient_edit.setText("Anna <anna@example.com>, my manager")
        pane.purpose_edit.setText("ask for Friday afternoon off")
        pane.points_edit.setPlainText("- dentist at 2 pm\n\n- report done by Thursday")
        pane.tone_combo.setCurrentText("apologetic")
        pane.length_combo.setCurrentIndex(pane.length_combo.findData("short"))
        pane.language_combo.setCurrentText("German")
        pane.signature_edit.setText("Tom")

    def generate(self, n: int) -> None:
        self.pane.count_spin.setValue(n)
        with self.qtbot.wait_signal(
            self.pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle
        ) as ended:
            self.qtbot.mouseClick(self.pane.generate_button, Qt.MouseButton.LeftButton)
            assert self.pane.busy
        assert ended.args == [False]

    def click_and_wait(self, button) -> None:
        with self.qtbot.wait_signal(
            self.pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle
        ) as ended:
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert ended.args == [False]

    def close(self) -> None:
        self.controller.shutdown()
        self.tasks.shutdown()
        self.store.close()
        self.prompts.close()


@pytest.fixture
def harness(qtbot, fake_engine, tmp_path):
    fake_engine.reply = REPLY
    h = Harness(qtbot, fake_engine, tmp_path)
    h.load()
    yield h
    h.close()


def test_without_a_model_nothing_starts_and_the_pane_says_why(qtbot, fake_engine, tmp_path):
    h = Harness(qtbot, fake_engine, tmp_path)
    h.pane.show()
    h.fill()
    assert not h.pane.generate_button.isEnabled()
    assert "Load a model" in h.pane.generate_button.toolTip()
    assert h.pane.model_label.isVisible()
    h.pane.generate()
    assert fake_engine.requests == [] and "Load a model" in h.bar.label.text()
    h.load()
    assert h.pane.generate_button.isEnabled() and not h.pane.model_label.isVisible()
    h.close()


def test_three_drafts_are_three_requests_with_distinct_seeds(harness, fake_engine):
    pane = harness.pane
    harness.fill()
    started: list[bool] = []
    pane.busy_changed.connect(started.append)
    harness.generate(3)
    assert started == [True, False]
    assert len(fake_engine.requests) == 3
    assert len({p.seed for p in harness.sent_params}) == 3  # type: ignore[attr-defined]
    assert len(set(fake_engine.requests)) == 1  # the same prompt, three seeds
    sent = fake_engine.requests[0][-1].content
    for value in (
        "Anna <anna@example.com>, my manager",
        "ask for Friday afternoon off",
        "- dentist at 2 pm",
        "- report done by Thursday",
        "apologetic",
        "at most 80 words",
        "German",
        "Tom",
    ):
        assert value in sent, value
    assert pane.tabs.count() == 3
    assert [pane.tabs.tabText(i) for i in range(3)] == ["Draft 1", "Draft 2", "Draft 3"]
    expected = Draft("Friday afternoon off", "Dear Anna,\n\nI need Friday afternoon off.\n\nTom")
    assert pane.drafts == [expected] * 3
    assert pane.subject_edit.text() == expected.subject
    assert pane.body_edit.toPlainText() == expected.body
    assert not pane.body_edit.isReadOnly()
    assert pane.status_label.text() == "3 drafts."


def test_ctrl_enter_in_the_form_writes_drafts(harness, fake_engine, qtbot):
    harness.fill()
    harness.pane.count_spin.setValue(1)
    with qtbot.wait_active(harness.pane, timeout=HANG_TIMEOUT_MS):
        harness.pane.show()
        harness.pane.activateWindow()
    harness.pane.purpose_edit.setFocus()
    with qtbot.wait_signal(
        harness.pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle
    ):
        qtbot.keyClick(
            harness.pane.purpose_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert len(fake_engine.requests) == 1 and harness.pane.tabs.count() == 1


def test_an_empty_form_asks_for_a_purpose(harness, fake_engine):
    harness.pane.generate()
    assert fake_engine.requests == []
    assert "Purpose" in harness.bar.label.text()
    assert harness.pane.tabs.count() == 0


def test_reply_mode_shows_the_paste_box_and_sends_the_mail(harness, fake_engine):
    pane = harness.pane
    pane.show()
    assert not pane.incoming_edit.isVisible()
    pane.reply_check.setChecked(True)
    assert pane.incoming_edit.isVisible()
    assert pane.purpose_label.text() == "What to sa&y:"
    pane.generate()
    assert "Paste the email" in harness.bar.label.text() and fake_engine.requests == []
    pane.incoming_edit.setPlainText("Hi Tom,\nare you joining the offsite?\nAnna")
    pane.purpose_edit.setText("yes, from Thursday")
    harness.generate(1)
    sent = fake_engine.requests[0][-1].content
    assert "Hi Tom,\nare you joining the offsite?\nAnna" in sent
    assert "yes, from Thursday" in sent
    pane.reply_check.setChecked(False)  # the pasted mail stays in the form, but is not sent
    assert pane.request().incoming == ""
    assert "offsite" in pane.incoming_edit.toPlainText()


def test_drafts_stream_into_the_selected_tab(harness, fake_engine):
    fake_engine.reply = REPLY + " " + " ".join(["more"] * 40)
    fake_engine.hold_after = REPLY_WORDS  # each draft waits for the test before the "more"s
    pane = harness.pane
    harness.fill()
    pane.count_spin.setValue(2)
    with harness.qtbot.wait_signal(
        pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle
    ):
        pane.generate()
        harness.qtbot.wait_until(
            lambda: "Tom" in pane.body_edit.toPlainText(), timeout=HANG_TIMEOUT_MS
        )
        assert pane.busy and pane.body_edit.isReadOnly()
        assert pane.subject_edit.text() == "Friday afternoon off"
        assert "more" not in pane.body_edit.toPlainText()
        fake_engine.release()
    assert pane.body_edit.toPlainText().endswith("more")
    assert not pane.body_edit.isReadOnly()


def test_refine_rewrites_the_selected_draft_and_undo_brings_it_back(harness, fake_engine):
    pane = harness.pane
    harness.fill()
    harness.generate(2)
    pane.tabs.setCurrentIndex(1)
    pane.body_edit.setPlainText("Dear Anna,\nI need friday of.\nTom")  # the user's edit
    original = pane.drafts[1]
    fake_engine.reply = "Subject: Friday off\n\nDear Anna, Friday off please. Tom"
    harness.click_and_wait(pane.refine_buttons["shorter"])
    assert pane.drafts[1] == Draft("Friday off", "Dear Anna, Friday off please. Tom")
    assert pane.body_edit.toPlainText() == "Dear Anna, Friday off please. Tom"
    assert pane.drafts[0].subject == "Friday afternoon off"  # the other draft is untouched
    sent = fake_engine.requests[-1][-1].content
    assert original.text() in sent and "shorter" in sent
    assert pane.undo_button.isEnabled()
    pane.undo_button.click()
    assert pane.drafts[1] == original and pane.body_edit.toPlainText() == original.body
    assert not pane.undo_button.isEnabled()


def test_other_refinements_send_their_instruction(harness, fake_engine):
    pane = harness.pane
    harness.fill()
    harness.generate(1)
    harness.click_and_wait(pane.refine_buttons["formal"])
    assert "more formal" in fake_engine.requests[-1][-1].content
    harness.click_and_wait(pane.refine_buttons["warmer"])
    assert "warmer" in fake_engine.requests[-1][-1].content
    harness.click_and_wait(pane.refine_buttons["grammar"])
    assert "grammar" in fake_engine.requests[-1][-1].content
    assert not pane.instruction_button.isEnabled()
    pane.instruction_edit.setText("mention the budget meeting")
    assert pane.instruction_button.isEnabled()
    with harness.qtbot.wait_signal(
        pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle
    ):
        harness.qtbot.keyClick(pane.instruction_edit, Qt.Key.Key_Return)
    assert "mention the budget meeting" in fake_engine.requests[-1][-1].content
    assert len(fake_engine.requests) == 5


def test_a_failed_rewrite_leaves_the_draft_as_it_was(harness, fake_engine):
    pane = harness.pane
    harness.fill()
    harness.generate(1)
    before = pane.drafts[0]
    fake_engine.hold_after = 0  # the rewrite waits until the failure below was handled
    fake_engine.reply = "Subject: X\n\n" + " ".join(["word"] * 100)
    pane.refine("shorter")
    (rid,) = pane._requests  # the request in flight
    with harness.qtbot.wait_signal(
        pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle
    ):
        harness.controller.generation_failed.emit(rid, "The model failed. Try again.")
    assert pane.drafts == [before]
    assert harness.bar.label.text() == "The model failed. Try again."
    # the engine's own, late end of that request changes nothing
    with harness.qtbot.wait_signal(harness.controller.generation_finished, timeout=HANG_TIMEOUT_MS):
        fake_engine.release()
    assert pane.drafts == [before] and not pane.busy


def test_copy_puts_the_draft_on_the_clipboard(harness):
    pane = harness.pane
    harness.fill()
    harness.generate(1)
    pane.copy_button.click()
    assert QApplication.clipboard().text() == "Dear Anna,\n\nI need Friday afternoon off.\n\nTom"


def test_open_in_mail_app_hands_over_a_mailto_link(harness):
    pane = harness.pane
    harness.fill()
    harness.generate(1)
    pane.subject_edit.setText("Friday & Monday?")
    pane.subject_edit.textEdited.emit("Friday & Monday?")
    pane.mail_button.click()
    (url,) = harness.opened
    body = "Dear Anna,\n\nI need Friday afternoon off.\n\nTom"
    expected = mailto_url(["anna@example.com"], "Friday & Monday?", body)
    assert url.toString(QUrl.ComponentFormattingOption.FullyEncoded) == expected
    assert url.scheme() == "mailto"
    fields = parse_qs(urlsplit(expected).query)
    assert fields["subject"] == ["Friday & Monday?"]
    assert fields["body"] == [body.replace("\n", "\r\n")]


def test_a_draft_too_long_for_a_link_goes_through_the_clipboard(harness):
    pane = harness.pane
    harness.fill()
    harness.generate(1)
    long_body = "All the details. " * 200
    pane.body_edit.setPlainText(long_body)
    pane.mail_button.click()
    (url,) = harness.opened
    assert url.toString(QUrl.ComponentFormattingOption.FullyEncoded) == mailto_url(
        ["anna@example.com"], "Friday afternoon off", ""
    )
    assert QApplication.clipboard().text() == long_body
    assert "clipboard" in harness.bar.label.text()


def test_no_mail_app_is_reported(harness):
    harness.open_result = False
    harness.fill()
    harness.generate(1)
    harness.pane.mail_button.click()
    assert "No mail app" in harness.bar.label.text()


def test_stop_ends_every_draft_and_keeps_what_was_written(harness, fake_engine):
    fake_engine.reply = REPLY + " " + " ".join(["more"] * 300)
    fake_engine.hold_after = REPLY_WORDS  # the first draft waits for the Stop
    pane = harness.pane
    harness.fill()
    pane.count_spin.setValue(3)
    with harness.qtbot.wait_signal(
        pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle
    ) as ended:
        pane.generate()
        harness.qtbot.wait_until(
            lambda: "Dear Anna" in pane.body_edit.toPlainText(), timeout=HANG_TIMEOUT_MS
        )
        pane.stop()
    assert ended.args == [False] and not pane.busy
    assert pane.tabs.count() == 1  # the drafts that never started are gone
    assert pane.drafts[0].body.startswith("Dear Anna") and "more" not in pane.drafts[0].body
    assert "Stopped" in pane.status_label.text()


def test_drafts_are_saved_and_reopened(harness, qtbot):
    pane = harness.pane
    harness.fill()
    pane.reply_check.setChecked(True)
    pane.incoming_edit.setPlainText("Subject: Offsite\n\nHi Tom, coming?")
    pane.count_spin.setValue(2)
    with qtbot.wait_signal(pane.document_changed, timeout=HANG_TIMEOUT_MS) as saved:
        harness.generate(2)
    doc_id = saved.args[0]
    assert pane.document_id == doc_id
    (document,) = harness.store.documents("email")
    assert document.id == doc_id and document.kind == "email"
    assert document.title == "Friday afternoon off"
    assert document.body == REPLY
    assert len(document.data["drafts"]) == 2
    pane.tabs.setCurrentIndex(1)
    pane.body_edit.setPlainText("My own words.")
    qtbot.wait_until(
        lambda: harness.store.document(doc_id).body.endswith("My own words."),
        timeout=HANG_TIMEOUT_MS,
    )
    assert harness.store.document(doc_id).data["selected"] == 1

    other = harness.make_pane()
    other.open_document(doc_id)
    assert other.document_id == doc_id
    assert other.reply_check.isChecked()
    assert other.incoming_edit.toPlainText() == "Subject: Offsite\n\nHi Tom, coming?"
    assert other.recipient_edit.text() == "Anna <anna@example.com>, my manager"
    assert other.purpose_edit.text() == "ask for Friday afternoon off"
    assert other.points_edit.toPlainText() == "- dentist at 2 pm\n\n- report done by Thursday"
    assert other.tone_combo.currentText() == "apologetic"
    assert other.length_combo.currentData() == "short"
    assert other.language_combo.currentText() == "German"
    assert other.signature_edit.text() == "Tom"
    assert other.count_spin.value() == 2
    assert other.tabs.count() == 2 and other.selected == 1
    assert other.body_edit.toPlainText() == "My own words."
    assert other.request() == pane.request()

    other.open_document(None)  # a new email: empty, and not saved until it has content
    assert other.document_id is None and other.tabs.count() == 0
    assert other.purpose_edit.text() == "" and other.language_combo.currentText() == "Automatic"
    other.save()
    assert len(harness.store.documents("email")) == 1


def test_a_title_renamed_in_the_list_is_kept(harness, qtbot):
    pane = harness.pane
    pane.purpose_edit.setText("thank the team")
    pane.purpose_edit.textEdited.emit("thank the team")
    qtbot.wait_until(lambda: pane.document_id is not None, timeout=HANG_TIMEOUT_MS)
    doc_id = pane.document_id
    assert harness.store.document(doc_id).title == "thank the team"
    pane.purpose_edit.setText("thank the whole team")
    pane.save()
    assert harness.store.document(doc_id).title == "thank the whole team"
    harness.store.update_document(doc_id, title="Team thanks")  # renamed in the side list
    pane.purpose_edit.setText("thank everyone")
    pane.save()
    assert harness.store.document(doc_id).title == "Team thanks"
    assert harness.store.document(doc_id).data["form"]["purpose"] == "thank everyone"


def test_closing_a_draft_tab_removes_it(harness):
    pane = harness.pane
    harness.fill()
    harness.generate(3)
    pane.tabs.setCurrentIndex(2)
    pane.body_edit.setPlainText("third")
    pane.tabs.tabCloseRequested.emit(0)
    assert pane.tabs.count() == 2 and pane.selected == 1
    assert pane.body_edit.toPlainText() == "third"
    assert len(harness.store.document(pane.document_id).data["drafts"]) == 2


def test_more_drafts_are_added_after_the_ones_there(harness, fake_engine):
    pane = harness.pane
    harness.fill()
    harness.generate(1)
    pane.body_edit.setPlainText("kept")
    harness.generate(2)
    assert pane.tabs.count() == 3 and pane.selected == 1
    assert pane.drafts[0].body == "kept"


def test_opening_another_email_while_writing_keeps_the_text(harness, fake_engine, qtbot):
    fake_engine.reply = REPLY + " " + " ".join(["more"] * 300)
    fake_engine.hold_after = REPLY_WORDS  # the draft waits until it is cancelled
    pane = harness.pane
    harness.fill()
    pane.count_spin.setValue(1)
    pane.generate()
    qtbot.wait_until(lambda: "Dear Anna" in pane.body_edit.toPlainText(), timeout=HANG_TIMEOUT_MS)
    with qtbot.wait_signal(pane.busy_changed, timeout=HANG_TIMEOUT_MS, check_params_cb=idle):
        pane.open_document(None)
    assert not pane.busy and pane.tabs.count() == 0
    (document,) = harness.store.documents("email")
    assert "Dear Anna" in document.data["drafts"][0]["body"]


def test_every_control_has_an_accessible_name(harness):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QSpinBox,
        QTabBar,
    )

    kinds = (QAbstractButton, QComboBox, QPlainTextEdit, QSpinBox, QTabBar)
    for widget in harness.pane.findChildren(object):
        if isinstance(widget, kinds) or (
            isinstance(widget, QLineEdit) and not isinstance(widget.parent(), QComboBox)
        ):
            if widget.objectName().startswith("qt_"):
                continue
            assert widget.accessibleName(), widget


# ---------------------------------------------------------------------- in Chinese


def test_every_core_option_has_a_label_of_its_own():
    assert set(TONE_LABELS) == set(TONES) and set(LENGTH_LABELS) == set(LENGTHS)
    assert REFINEMENT_LABELS == REFINEMENTS  # the English labels are core's


def test_in_chinese_options_are_shown_translated_and_the_prompt_gets_english(
    qapp, qtbot, fake_engine, tmp_path
):
    fake_engine.reply = REPLY
    tt.build("zh_CN", tt.extract(), out_dir=tmp_path / "qm")
    install_translators(qapp, "zh_CN", directory=tmp_path / "qm")
    h = Harness(qtbot, fake_engine, tmp_path)
    try:
        h.load()
        pane = h.pane
        assert pane.generate_button.text() == "撰写草稿(&W)"
        tones = [pane.tone_combo.itemText(i) for i in range(pane.tone_combo.count())]
        assert tones[:3] == ["友好", "正式", "简洁"]
        assert [pane.length_combo.itemText(i) for i in range(3)] == ["短", "中等", "长"]
        languages = [pane.language_combo.itemText(i) for i in range(pane.language_combo.count())]
        assert languages[:3] == ["自动", "英语", "中文"]
        for language in LANGUAGES:
            assert CJK.search(email_language_name(language)), language
        assert pane.refine_buttons["grammar"].text() == "修正语法"
        assert pane.request().language == ""  # 自动

        h.fill()
        pane.tone_combo.setCurrentText("致歉")  # picked by its shown name
        pane.language_combo.setCurrentIndex(pane.language_combo.findText("德语"))
        assert (pane.request().tone, pane.request().language) == ("apologetic", "German")
        h.generate(2)
        sent = fake_engine.requests[0][-1].content
        assert "apologetic" in sent and "German" in sent
        assert [pane.tabs.tabText(i) for i in range(2)] == ["草稿 1", "草稿 2"]
        assert pane.status_label.text() == "2 份草稿。"
        form = h.store.document(pane.document_id).data["form"]
        assert (form["tone"], form["language"]) == ("apologetic", "German")

        other = h.make_pane()
        other.open_document(pane.document_id)
        assert other.tone_combo.currentText() == "致歉"
        assert other.language_combo.currentText() == "德语"
        other.tone_combo.setCurrentText("幽默一点")  # a tone of one's own goes as typed
        assert other.request().tone == "幽默一点"
    finally:
        h.close()
        remove_translators(qapp)
