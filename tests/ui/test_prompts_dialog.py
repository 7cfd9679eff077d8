"""The prompt templates dialog on real templates and a real SQLite file: edit, save, refuse
broken text inline, reset after confirming, unsaved edits kept and asked about."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget

from gptdesk.core.writing.prompts import PromptTemplates
from gptdesk.ui.writing.prompts_dialog import PromptsDialog

GREET = "{# Say hello to someone (values: name) #}\nHello {{ name }}!\n"
BYE = "{# Say goodbye #}\nGoodbye {{ name }}, see you {{ when }}.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "prompts"
    d.mkdir()
    (d / "greet.j2").write_text(GREET, encoding="utf-8")
    (d / "bye.j2").write_text(BYE, encoding="utf-8")
    return d


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "gptdesk.sqlite3"


@pytest.fixture
def prompts(db: Path, folder: Path):
    templates = PromptTemplates(db, folder)
    yield templates
    templates.close()


@pytest.fixture
def dialog(qtbot, prompts, monkeypatch):
    # closing at the end of a test with unsaved text must not wait on a real message box
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Discard)
    d = PromptsDialog(prompts)
    qtbot.addWidget(d)
    d.show()
    yield d
    d.reject()  # while the stand-in answers: unsaved text is discarded without a real box


class Answers:
    """Stands in for QMessageBox.question: gives the queued answers, records the questions."""

    def __init__(self, monkeypatch, *answers: QMessageBox.StandardButton) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        monkeypatch.setattr(QMessageBox, "question", self)

    def __call__(self, _parent, _title, text, *_args):
        self.asked.append(text)
        return self.answers.pop(0) if self.answers else QMessageBox.StandardButton.Discard


def type_text(qtbot, dialog: PromptsDialog, text: str) -> None:
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, text)


def test_templates_are_listed_with_their_descriptions(dialog):
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert rows == ["bye\nSay goodbye", "greet\nSay hello to someone (values: name)"]
    assert dialog.current_name == "bye"
    assert dialog.editor.toPlainText() == BYE
    assert dialog.values_label.text() == "Values it can use: {{ name }}, {{ when }}"
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    assert dialog.editor.font().family() == fixed.family()
    assert not dialog.save_button.isEnabled() and not dialog.reset_button.isEnabled()
    assert dialog.state_label.text() == ""


def test_an_edit_is_saved_and_kept_after_a_restart(qtbot, dialog, db, folder):
    dialog.select("greet")
    type_text(qtbot, dialog, "Hi {{ name }}, welcome.")
    assert dialog.state_label.text() == "Unsaved changes"
    assert "(unsaved)" in dialog.list.currentItem().text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.state_label.text() == "Edited"
    assert dialog.list.currentItem().text().startswith("greet  (edited)")
    assert not dialog.save_button.isEnabled() and dialog.reset_button.isEnabled()
    again = PromptTemplates(db, folder)
    assert again.get("greet").edited
    assert again.render("greet", name="Ana") == "Hi Ana, welcome."
    again.close()


def test_ctrl_s_saves(qtbot, dialog, prompts):
    type_text(qtbot, dialog, "Bye {{ name }}.")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert prompts.get("bye").text == "Bye {{ name }}."


def test_a_template_that_does_not_compile_is_refused_inline_and_kept(qtbot, dialog, prompts):
    type_text(qtbot, dialog, "Goodbye {{ name ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.isVisible()
    assert "Not saved" in dialog.error_label.text() and "Line 1" in dialog.error_label.text()
    assert dialog.editor.toPlainText() == "Goodbye {{ name "  # nothing the user typed is lost
    assert not prompts.get("bye").edited
    assert dialog.state_label.text() == "Unsaved changes"
    type_text(qtbot, dialog, "Goodbye {{ name }}")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.error_label.isVisible()
    assert prompts.get("bye").text == "Goodbye {{ name }}"


def test_a_value_the_task_does_not_give_is_refused(qtbot, dialog, prompts):
    type_text(qtbot, dialog, "Goodbye {{ nickname }}")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    text = dialog.error_label.text()
    assert "{{ nickname }}" in text and "{{ name }}, {{ when }}" in text
    assert not prompts.get("bye").edited


def test_saving_the_default_text_again_is_not_an_edit(qtbot, dialog, prompts):
    prompts.set("bye", "Later {{ name }}")
    fresh = PromptsDialog(prompts)
    qtbot.addWidget(fresh)
    assert fresh.state_label.text() == "Edited"
    fresh.editor.setPlainText(BYE)  # the shipped text, pasted back
    assert fresh.save()
    assert not prompts.get("bye").edited


def test_reset_asks_then_restores_the_default(qtbot, dialog, prompts, monkeypatch):
    dialog.select("greet")
    type_text(qtbot, dialog, "Yo {{ name }}")
    dialog.save()
    answers = Answers(
        monkeypatch, QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Reset
    )
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert prompts.get("greet").edited and dialog.editor.toPlainText() == "Yo {{ name }}"
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert len(answers.asked) == 2 and "greet" in answers.asked[0]
    assert not prompts.get("greet").edited
    assert dialog.editor.toPlainText() == GREET
    assert dialog.state_label.text() == "" and not dialog.reset_button.isEnabled()
    assert "edited" not in dialog.list.currentItem().text()


def test_unsaved_edits_survive_switching_and_closing_asks(qtbot, dialog, prompts, monkeypatch):
    type_text(qtbot, dialog, "Ciao {{ name }}")
    dialog.select("greet")
    assert dialog.editor.toPlainText() == GREET
    dialog.select("bye")
    assert dialog.editor.toPlainText() == "Ciao {{ name }}"
    answers = Answers(
        monkeypatch, QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save
    )
    close = dialog.buttons.button(QDialogButtonBox.StandardButton.Close)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "bye" in answers.asked[0]
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert prompts.get("bye").text == "Ciao {{ name }}"


def test_closing_can_discard_edits(qtbot, dialog, prompts, monkeypatch):
    type_text(qtbot, dialog, "Ciao")
    Answers(monkeypatch, QMessageBox.StandardButton.Discard)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and not prompts.get("bye").edited


def test_closing_with_a_broken_edit_stays_open_to_fix_it(qtbot, dialog, prompts, monkeypatch):
    type_text(qtbot, dialog, "Ciao {{ ")
    Answers(monkeypatch, QMessageBox.StandardButton.Save)
    dialog.reject()
    assert dialog.isVisible() and dialog.error_label.isVisible()


def test_the_shipped_templates_include_translation(qtbot, tmp_path):
    prompts = PromptTemplates(tmp_path / "db.sqlite3")
    d = PromptsDialog(prompts)
    qtbot.addWidget(d)
    d.select("translate_chunk")
    assert d.current_name == "translate_chunk"
    assert "{{ target }}" in d.values_label.text() and "{{ previous }}" in d.values_label.text()
    prompts.close()


def test_every_focusable_control_has_an_accessible_name(dialog):
    for widget in dialog.findChildren(QWidget):
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisibleTo(dialog):
            if widget.objectName().startswith("qt_"):
                continue
            assert widget.accessibleName(), widget


def test_settings_opens_the_templates_only_when_given_them(qtbot, tmp_path, prompts):
    from gptdesk.core.storage.settings import SettingsStore
    from gptdesk.ui.window.settings_dialog import SettingsDialog

    with SettingsStore(tmp_path / "settings.sqlite3") as store:
        plain = SettingsDialog(store, [], token_state=lambda: "none", set_token=lambda _t: True)
        qtbot.addWidget(plain)
        assert plain.prompts_button is None
        assert not plain.findChildren(PromptsDialog)

        settings = SettingsDialog(
            store, [], token_state=lambda: "none", set_token=lambda _t: True, prompts=prompts
        )
        qtbot.addWidget(settings)
        settings.show()
        button = settings.prompts_button
        assert button is not None and button.accessibleName() == "Edit prompt templates"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        opened = settings.prompts_dialog
        assert opened is not None and opened.isVisible() and opened.prompts is prompts
        opened.reject()
        settings.reject()


def test_the_dialog_in_chinese_keeps_names_and_descriptions(
    qapp, qtbot, prompts, tmp_path, monkeypatch
):
    from gptdesk.ui.i18n import install_translators, remove_translators
    from tools import translations as tt

    tt.build("zh_CN", tt.extract(), out_dir=tmp_path)
    install_translators(qapp, "zh_CN", directory=tmp_path)
    try:
        answers = Answers(monkeypatch)
        d = PromptsDialog(prompts)
        qtbot.addWidget(d)
        d.show()
        assert d.windowTitle() == "提示词模板"
        assert d.values_label.text() == "可用的变量：{{ name }}, {{ when }}"
        assert d.save_button.text() == "保存(&S)" and d.reset_button.text() == "恢复默认(&R)"
        type_text(qtbot, d, "Bye {{ nickname }}")
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
        assert d.error_label.text().startswith("未保存：模板用到了 {{ nickname }}，")
        assert d.state_label.text() == "有未保存的更改"
        # the template's name and its description (from the .j2 file) stay as they are
        assert d.list.currentItem().text() == "bye（未保存）\nSay goodbye"
        d.reject()
        assert answers.asked == ["关闭前要保存对 bye 的更改吗？"]
    finally:
        remove_translators(qapp)
