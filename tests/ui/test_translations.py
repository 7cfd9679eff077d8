"""Interface translations: every marked string is translated, the committed .ts/.qm match the
JSON files, the check catches what it should, and the window really shows Chinese."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMenu, QWidget

from gptdesk.core.models.catalog import load_catalog
from gptdesk.ui.i18n import install_translators, remove_translators, resolve_language
from gptdesk.ui.models.welcome import WelcomePage
from gptdesk.ui.window.main_window import MODE_NAMES
from tests.ui.test_main_window import close, make_window
from tools import translations as tt

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def messages() -> list[tt.Message]:
    return tt.extract()


@pytest.fixture
def chinese(qapp):
    assert install_translators(qapp, "zh_CN") == "zh_CN"
    yield
    remove_translators(qapp)


def test_every_marked_string_is_translated_and_nothing_is_stale():
    done = subprocess.run(
        [sys.executable, str(tt.ROOT / "tools" / "translations.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_the_committed_ts_is_what_the_json_files_make(messages):
    for language in tt.languages():
        committed = (tt.TRANSLATIONS / f"gptdesk_{language}.ts").read_text(encoding="utf-8")
        expected = tt.ts_text(language, messages, tt.load_tables(language))
        assert committed == expected, f"run `make translations` ({language})"


def test_the_committed_qm_gives_every_json_translation():
    for language in tt.languages():
        translator = QTranslator()
        assert translator.load(str(tt.TRANSLATIONS / f"gptdesk_{language}.qm"))
        count = 0
        for _module, table in tt.load_tables(language).items():
            for context, entries in table.items():
                for key, translation in entries.items():
                    source, _, comment = key.partition(tt.COMMENT_SEP)
                    got = translator.translate(context, source, comment or None)
                    want = translation[0] if isinstance(translation, list) else translation
                    assert got == want, f"run `make translations`: [{context}] {key!r}"
                    count += 1
        assert count > 100  # the main window alone has ~90 strings


def test_check_reports_missing_broken_and_stale_translations():
    def message(source: str, comment: str = "") -> tt.Message:
        return tt.Message("Ctx", source, comment, False, [("gptdesk/ui/models/welcome.py", 7)])

    found = [
        message("Hello"),
        message("Open {name}"),
        message("&File"),
        message("{n} parameters", "or {hundred}"),
        message("Untranslated"),
    ]
    tables = {
        "ui.models.welcome": {
            "Ctx": {
                "Hello": "你好",
                "Open {name}": "打开 {nmae}",  # a typo would raise KeyError in str.format
                "&File": "文件",  # no mnemonic left
                "{n} parameters@@or {hundred}": "{hundred} 亿参数",  # offered in the comment
                "Gone": "没了",  # no longer in the source
            }
        }
    }
    issues = tt.check_language("zh_CN", found, {"ui.models.welcome"}, tables)
    assert sorted((i.text, i.what.split(" ")[0]) for i in issues) == [
        ("&File", "the"),
        ("Gone", "not"),
        ("Open {name}", "the"),
        ("Untranslated", "no"),
    ]
    assert "placeholders" in next(i.what for i in issues if i.text == "Open {name}")
    assert "mnemonic" in next(i.what for i in issues if i.text == "&File")


def test_check_finds_interface_text_outside_tr(tmp_path):
    source = tmp_path / "pane.py"
    source.write_text(
        "class P:\n"
        "    def f(self, label, combo, log, n):\n"
        "        label.setText('Hello there')\n"
        "        label.setToolTip(f'{n} tokens left')\n"
        "        label.setAccessibleName(self.tr('Fine'))\n"
        "        combo.addItem(self.tr('Markdown'), 'md')\n"
        "        log.warning('not for the user %s', n)\n"
        "        label.setText('✕')\n"
        "        label.setText('gptdesk')  # i18n: ignore\n"
        "        QLabel('Name:', self)\n",
        encoding="utf-8",
    )
    issues = tt.unwrapped_strings(source)
    assert [(i.line, i.context) for i in issues] == [
        (3, "setText"),
        (4, "setToolTip"),
        (10, "QLabel"),
    ]


def test_lupdate_takes_the_context_from_the_class_and_the_call(messages):
    by_text = {(m.context, m.source) for m in messages}
    assert ("MainWindow", "&File") in by_text  # self.tr in MainWindow
    assert ("WelcomePage", "Welcome to gptdesk") in by_text
    assert ("welcome", "about {amount}") in by_text  # QCoreApplication.translate("welcome", …)
    assert ("main_window", "Plain text (*.txt)") in by_text  # QT_TRANSLATE_NOOP
    assert ("app", "gptdesk: unexpected error") in by_text


def test_system_language_follows_the_locale(qapp):
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.Taiwan)
    assert resolve_language("system", chinese) == "zh_CN"
    assert resolve_language("system", QLocale(QLocale.Language.Chinese)) == "zh_CN"
    assert resolve_language("system", QLocale(QLocale.Language.German)) == "en"
    assert resolve_language("en") == "en"
    assert resolve_language("zh_CN") == "zh_CN"
    assert resolve_language("tlh") == "en"  # an unknown value: English
    assert install_translators(qapp, "en") == "en"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_chinese_and_back_to_english(qapp):
    install_translators(qapp, "zh_CN")
    try:
        assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        texts = {b.text() for b in buttons.buttons()}
        assert texts == {"确定", "取消"}  # Qt's own translation is installed too
        buttons.deleteLater()
    finally:
        remove_translators(qapp)
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def english_texts(widgets: list[QWidget]) -> list[str]:
    """The texts of these widgets (and their children) with no Chinese in them."""
    texts = []
    for top in widgets:
        for widget in [top, *top.findChildren(QWidget)]:
            for getter in ("text", "toolTip", "accessibleName", "placeholderText", "title"):
                value = getattr(widget, getter, None)
                text = value() if callable(value) else None
                if (
                    isinstance(text, str)
                    and re.search("[A-Za-z]{3}", text)
                    and not CJK.search(text)
                ):
                    texts.append(f"{type(widget).__name__}.{getter}: {text}")
    return texts


def test_main_window_in_chinese(qtbot, fake_engine, tmp_path, chinese):
    win = make_window(qtbot, fake_engine, tmp_path)
    try:
        menus = [a.text() for a in win.menuBar().actions()]
        assert menus == ["文件(&F)", "编辑(&E)", "视图(&V)", "模型(&M)", "帮助(&H)"]
        assert [win.mode_buttons.button(i).text() for i in range(len(MODE_NAMES))] == [
            "聊天",
            "摘要",
            "写作",
            "邮件",
            "翻译",
            "文档",
        ]
        assert win.new_action.text() == "新建聊天(&N)"
        assert CJK.search(win.statusBar().currentMessage())  # "… 已加载，用时 … 秒"
        win.switch_mode("Write")
        assert win.new_action.text() == "新建故事(&N)"
        for menu in win.menuBar().findChildren(QMenu):
            for action in menu.actions():
                assert action.isSeparator() or CJK.search(action.text()), action.text()
        top_bar = [
            win.models_button,
            win.settings_button,
            win.backend_chip,
            win.context_meter,
            win.model_picker,
            win.rail,
            win.message_bar,
        ]
        top_bar += win.centralWidget().findChildren(
            QLabel, options=Qt.FindChildOption.FindDirectChildrenOnly
        )
        assert english_texts(top_bar) == []
        assert "词元" in win.context_meter.text()
    finally:
        close(win)


def test_welcome_page_in_chinese(qtbot, chinese):
    catalog = load_catalog()
    for ram in (64_000_000_000, 100_000_000):  # a recommendation, and none that fits
        page = WelcomePage(catalog, ram, None)
        qtbot.addWidget(page)
        # Model names are names; their summaries are translated (the "catalog" context).
        names = {e.name for e in catalog}
        left = [t for t in english_texts([page]) if t.split(": ", 1)[1] not in names]
        assert left == []
    rec = WelcomePage(catalog, 64_000_000_000, None)
    qtbot.addWidget(rec)
    assert "亿参数" in rec.details_label.text() and "词元上下文" in rec.details_label.text()


def test_json_files_are_tidy():
    """One file per source module, valid JSON, nested {context: {source: translation}}."""
    for path in sorted(tt.TRANSLATIONS.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert (tt.ROOT / tt.path_of(path.stem)).exists(), path
        assert all(isinstance(v, dict) for v in data.values()), path
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        assert path.read_text(encoding="utf-8") == text, f"{path}: keep the tool's formatting"


def test_the_ts_file_is_valid_for_qt(qapp, tmp_path, messages):
    """lrelease compiles the .ts the tool writes (a fresh build into a temporary folder)."""
    qm = tt.build("zh_CN", messages, out_dir=tmp_path)
    assert Path(qm).stat().st_size > 1000
    try:
        assert install_translators(qapp, "zh_CN", directory=tmp_path) == "zh_CN"
        assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    finally:
        remove_translators(qapp)


def test_a_missing_translation_file_leaves_english(qapp, tmp_path):
    assert install_translators(qapp, "zh_CN", directory=tmp_path) == "en"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"
