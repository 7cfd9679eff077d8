"""The Settings dialog on a real SQLite settings store, with an injected keyring pair."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gptdesk.core.storage.settings import Settings, SettingsStore
from gptdesk.ui.window import settings_dialog
from gptdesk.ui.window.settings_dialog import NO_KEYRING, SettingsDialog, TokenState
from tests.core.test_settings import MemoryKeyring
from tests.waits import HANG_TIMEOUT_MS

MODELS = ["qwen2.5-0.5b-instruct-q4_k_m", "llama-3.2-1b-instruct-q4_k_m"]
CHECKING = "Checking the keyring…"


class FakeKeyring:
    """The injected token pair: a state to report and every token the dialog saved."""

    def __init__(self, state: TokenState = "none", saves: bool = True) -> None:
        self.state: TokenState = state
        self.saves = saves
        self.saved: list[str | None] = []

    def token_state(self) -> TokenState:
        return self.state

    def set_token(self, token: str | None) -> bool:
        self.saved.append(token)
        return self.saves


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "gptdesk.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[SettingsStore]:
    with SettingsStore(db) as opened:
        yield opened


@pytest.fixture
def updates(store: SettingsStore, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every ``store.update`` call's keyword arguments (the real update still runs)."""
    calls: list[dict[str, Any]] = []
    real = store.update

    def spy(**changes: Any) -> Settings:
        calls.append(changes)
        return real(**changes)

    monkeypatch.setattr(store, "update", spy)
    return calls


@pytest.fixture
def fake_keyring() -> FakeKeyring:
    return FakeKeyring()


@pytest.fixture
def open_dialog(
    qtbot: QtBot, store: SettingsStore, fake_keyring: FakeKeyring
) -> Callable[..., SettingsDialog]:
    def make(**kwargs: Any) -> SettingsDialog:
        dialog = SettingsDialog(
            store,
            kwargs.pop("model_names", MODELS),
            default_models_dir=Path.home() / "models-default",
            token_state=fake_keyring.token_state,
            set_token=fake_keyring.set_token,
            **kwargs,
        )
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait_until(lambda: dialog.token_status.text() != CHECKING, timeout=HANG_TIMEOUT_MS)
        return dialog

    return make


def click(qtbot: QtBot, dialog: SettingsDialog, which: QDialogButtonBox.StandardButton) -> None:
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


OK = QDialogButtonBox.StandardButton.Ok
CANCEL = QDialogButtonBox.StandardButton.Cancel


def test_the_fields_show_the_current_settings(
    store: SettingsStore, open_dialog: Callable[..., SettingsDialog]
) -> None:
    store.update(
        models_dir="/srv/models",
        default_model=MODELS[1],
        n_ctx=8192,
        threads=6,
        gpu_layers=0,
        theme="dark",
        font_size=13,
        hub_endpoint="https://hf-mirror.com",
        offline=True,
    )

    dialog = open_dialog()

    assert dialog.models_dir_edit.text() == "/srv/models"
    assert dialog.default_model_combo.currentText() == MODELS[1]
    assert dialog.n_ctx_spin.text() == "8192 tokens"
    assert dialog.threads_spin.text() == "6"
    assert dialog.gpu_layers_spin.text() == "0"  # CPU only, not "Auto"
    assert dialog.theme_combo.currentText() == "Dark"
    assert dialog.font_size_spin.text() == "13 pt"
    assert dialog.endpoint_edit.text() == "https://hf-mirror.com"
    assert dialog.offline_check.isChecked()
    assert dialog.changes() == {}


def test_defaults_read_auto_system_and_last_used(
    open_dialog: Callable[..., SettingsDialog],
) -> None:
    dialog = open_dialog()

    assert dialog.models_dir_edit.text() == ""
    assert dialog.models_dir_edit.placeholderText() == "Default: ~/models-default"
    assert dialog.default_model_combo.currentText() == "Last used"
    assert (dialog.threads_spin.text(), dialog.gpu_layers_spin.text()) == ("Auto", "Auto")
    assert (dialog.theme_combo.currentText(), dialog.font_size_spin.text()) == ("System", "System")
    assert dialog.endpoint_edit.placeholderText() == "https://huggingface.co"
    assert "next time a model is loaded" in dialog.reload_hint.text()


def test_a_default_model_that_is_no_longer_installed_is_kept(
    store: SettingsStore, open_dialog: Callable[..., SettingsDialog], updates: list[dict[str, Any]]
) -> None:
    store.update(default_model="removed-model")
    updates.clear()

    dialog = open_dialog()
    assert dialog.default_model_combo.currentText() == "removed-model (not installed)"
    click_ok = dialog.buttons.button(OK)
    click_ok.click()

    assert updates == []  # nothing changed, nothing written
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_ok_applies_every_edit_with_one_update(
    qtbot: QtBot,
    db: Path,
    store: SettingsStore,
    open_dialog: Callable[..., SettingsDialog],
    updates: list[dict[str, Any]],
    fake_keyring: FakeKeyring,
) -> None:
    heard: list[str] = []
    store.on_changed(heard.append)
    dialog = open_dialog()

    qtbot.keyClicks(dialog.models_dir_edit, "/srv/models")
    dialog.default_model_combo.setCurrentIndex(2)
    dialog.n_ctx_spin.setValue(16384)
    dialog.threads_spin.setValue(4)
    dialog.gpu_layers_spin.setValue(0)
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findText("Light"))
    dialog.font_size_spin.setValue(12)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findText("简体中文"))
    qtbot.keyClicks(dialog.endpoint_edit, "  https://hf-mirror.com  ")
    qtbot.keyClick(dialog.offline_check, Qt.Key.Key_Space)  # by keyboard
    click(qtbot, dialog, OK)

    expected = {
        "models_dir": "/srv/models",
        "default_model": MODELS[1],
        "n_ctx": 16384,
        "threads": 4,
        "gpu_layers": 0,
        "theme": "light",
        "font_size": 12,
        "language": "zh_CN",
        "hub_endpoint": "https://hf-mirror.com",
        "offline": True,
    }
    assert updates == [expected]
    assert sorted(heard) == sorted(expected)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert fake_keyring.saved == []  # the token field was left empty: the keyring is untouched
    with SettingsStore(db) as again:
        assert {k: getattr(again.settings, k) for k in expected} == expected


def test_auto_and_system_store_none(
    qtbot: QtBot,
    store: SettingsStore,
    open_dialog: Callable[..., SettingsDialog],
    updates: list[dict[str, Any]],
) -> None:
    store.update(threads=8, gpu_layers=20, font_size=15, models_dir="/srv/m", hub_endpoint=None)
    updates.clear()
    dialog = open_dialog()

    dialog.threads_spin.setValue(dialog.threads_spin.minimum())
    dialog.gpu_layers_spin.setValue(dialog.gpu_layers_spin.minimum())
    dialog.font_size_spin.setValue(dialog.font_size_spin.minimum())
    dialog.models_dir_edit.clear()
    click(qtbot, dialog, OK)

    assert updates == [{"threads": None, "gpu_layers": None, "font_size": None, "models_dir": None}]


@pytest.mark.parametrize(
    ("widget", "text", "says"),
    [
        ("endpoint_edit", "hf-mirror.com", "must be an http:// or https:// address"),
        ("endpoint_edit", "ftp://mirror.example", "must be an http:// or https:// address"),
        ("models_dir_edit", "models", "is not a full path"),
    ],
)
def test_invalid_input_keeps_the_dialog_open_and_changes_nothing(
    qtbot: QtBot,
    db: Path,
    store: SettingsStore,
    open_dialog: Callable[..., SettingsDialog],
    updates: list[dict[str, Any]],
    widget: str,
    text: str,
    says: str,
) -> None:
    dialog = open_dialog()
    dialog.activateWindow()
    dialog.n_ctx_spin.setValue(2048)  # a valid edit next to the bad one
    qtbot.keyClicks(getattr(dialog, widget), text)

    click(qtbot, dialog, OK)

    assert dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.error_label.isVisible() and says in dialog.error_label.text()
    assert dialog.focusWidget() is getattr(dialog, widget)
    assert updates == [] and store.settings == Settings()
    assert getattr(dialog, widget).text() == text  # nothing typed is lost
    assert dialog.n_ctx_spin.value() == 2048

    getattr(dialog, widget).clear()  # fixed: OK now saves the other edit
    click(qtbot, dialog, OK)
    assert updates == [{"n_ctx": 2048}]
    with SettingsStore(db) as again:
        assert again.settings.n_ctx == 2048


def test_cancel_changes_nothing(
    qtbot: QtBot,
    db: Path,
    open_dialog: Callable[..., SettingsDialog],
    updates: list[dict[str, Any]],
    fake_keyring: FakeKeyring,
) -> None:
    dialog = open_dialog()
    qtbot.keyClicks(dialog.endpoint_edit, "https://hf-mirror.com")
    dialog.theme_combo.setCurrentIndex(2)
    qtbot.keyClicks(dialog.token_edit, "hf_typed_but_cancelled")

    click(qtbot, dialog, CANCEL)

    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
    assert updates == [] and fake_keyring.saved == []
    with SettingsStore(db) as again:
        assert again.settings == Settings()


def test_the_token_goes_to_the_keyring_never_to_the_database(
    qtbot: QtBot,
    db: Path,
    open_dialog: Callable[..., SettingsDialog],
    updates: list[dict[str, Any]],
    fake_keyring: FakeKeyring,
) -> None:
    secret = "hf_VerySecretToken123"
    dialog = open_dialog()
    assert "No token saved" in dialog.token_status.text()
    assert dialog.token_edit.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(dialog.token_edit, secret)
    dialog.theme_combo.setCurrentIndex(2)

    with qtbot.wait_signal(dialog.accepted, timeout=HANG_TIMEOUT_MS):
        click(qtbot, dialog, OK)

    assert fake_keyring.saved == [secret]
    assert updates == [{"theme": "dark"}]
    stored = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.is_file())
    assert b"dark" in stored  # the settings were written here...
    assert secret.encode() not in stored  # ...the token was not
    assert secret not in dialog.token_status.text()


def test_a_saved_token_can_be_removed(
    qtbot: QtBot, open_dialog: Callable[..., SettingsDialog], fake_keyring: FakeKeyring
) -> None:
    fake_keyring.state = "saved"
    dialog = open_dialog()
    assert dialog.token_status.text() == "A token is saved in the system keyring."
    assert dialog.remove_token_check.isEnabled()

    dialog.remove_token_check.setChecked(True)
    assert not dialog.token_edit.isEnabled()
    with qtbot.wait_signal(dialog.accepted, timeout=HANG_TIMEOUT_MS):
        click(qtbot, dialog, OK)

    assert fake_keyring.saved == [None]


def test_a_keyring_that_refuses_keeps_the_dialog_open_and_the_typing(
    qtbot: QtBot,
    store: SettingsStore,
    open_dialog: Callable[..., SettingsDialog],
    updates: list[dict[str, Any]],
    fake_keyring: FakeKeyring,
) -> None:
    fake_keyring.saves = False
    dialog = open_dialog()
    qtbot.keyClicks(dialog.token_edit, "hf_abc")
    dialog.offline_check.setChecked(True)

    click(qtbot, dialog, OK)
    qtbot.wait_until(lambda: dialog.error_label.isVisible(), timeout=HANG_TIMEOUT_MS)

    assert dialog.error_label.text() == NO_KEYRING
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    assert fake_keyring.saved == ["hf_abc"]
    assert updates == [] and store.settings.offline is False  # nothing half-applied
    assert dialog.token_edit.text() == "hf_abc" and dialog.offline_check.isChecked()


def test_without_a_keyring_the_dialog_says_so(
    qtbot: QtBot, open_dialog: Callable[..., SettingsDialog], fake_keyring: FakeKeyring
) -> None:
    fake_keyring.state = "unavailable"
    dialog = open_dialog()

    assert dialog.token_status.text() == NO_KEYRING
    assert not dialog.token_edit.isEnabled() and not dialog.remove_token_check.isEnabled()
    with qtbot.wait_signal(dialog.accepted, timeout=HANG_TIMEOUT_MS):
        click(qtbot, dialog, OK)  # everything else still saves
    assert fake_keyring.saved == []


def test_browse_fills_in_the_chosen_folder(
    qtbot: QtBot, open_dialog: Callable[..., SettingsDialog], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def choose(parent: QWidget, caption: str, start: str) -> str:
        asked.append(start)
        return "/mnt/big-disk/models"

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", choose)
    dialog = open_dialog()

    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)

    assert asked == [str(Path.home() / "models-default")]
    assert dialog.models_dir_edit.text() == "/mnt/big-disk/models"
    assert dialog.changes() == {"models_dir": "/mnt/big-disk/models"}


def test_every_control_is_named_labelled_and_reachable_by_keyboard(
    open_dialog: Callable[..., SettingsDialog],
) -> None:
    dialog = open_dialog()
    controls = [
        w
        for kind in (QLineEdit, QComboBox, QSpinBox, QAbstractButton)
        for w in dialog.findChildren(kind)
        if w.parent() is not None and not isinstance(w.parent(), (QSpinBox, QComboBox, QLineEdit))
    ]
    assert len(controls) >= 13

    for control in controls:
        assert control.accessibleName(), control
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, control.accessibleName()
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    inputs = [w for w in controls if isinstance(w, (QLineEdit, QComboBox, QSpinBox))]
    assert set(inputs) <= buddies  # each has a label with a shortcut key
    checks = [w for w in controls if isinstance(w, QCheckBox)]
    assert all("&" in c.text() for c in checks)


def test_the_keyring_state_of_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.backends import fail

    monkeypatch.delenv("HF_TOKEN", raising=False)
    previous = keyring.get_keyring()
    try:
        keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
        assert settings_dialog.keyring_token_state() == "unavailable"
        memory = MemoryKeyring()
        keyring.set_keyring(memory)
        assert settings_dialog.keyring_token_state() == "none"
        memory.set_password("gptdesk", "huggingface-token", "hf_x")
        assert settings_dialog.keyring_token_state() == "saved"
        monkeypatch.setenv("HF_TOKEN", "hf_env")
        assert settings_dialog.keyring_token_state() == "environment"
    finally:
        keyring.set_keyring(previous)


def test_the_language_is_chosen_by_its_own_name_and_takes_a_restart(
    qtbot: QtBot,
    store: SettingsStore,
    open_dialog: Callable[..., SettingsDialog],
    updates: list[dict[str, Any]],
) -> None:
    store.update(language="en")
    updates.clear()
    dialog = open_dialog()
    combo = dialog.language_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert [combo.itemData(i) for i in range(combo.count())] == ["system", "en", "zh_CN"]
    assert names[0].startswith("System (") and names[1:] == ["English", "简体中文"]
    assert combo.currentText() == "English" and not dialog.language_hint.isVisible()

    combo.setCurrentIndex(2)
    assert dialog.language_hint.isVisible()
    assert dialog.language_hint.text() == "Restart gptdesk to change the language."
    combo.setCurrentIndex(1)  # back to the saved language: nothing to restart for
    assert not dialog.language_hint.isVisible()
    combo.setCurrentIndex(0)
    assert dialog.language_hint.isVisible()
    click(qtbot, dialog, OK)

    assert updates == [{"language": "system"}]
    assert store.settings.language == "system"


def test_the_dialog_in_chinese(
    qapp: Any, qtbot: QtBot, tmp_path: Path, store: SettingsStore, fake_keyring: FakeKeyring
) -> None:
    from gptdesk.ui.i18n import install_translators, remove_translators
    from tools import translations as tt

    tt.build("zh_CN", tt.extract(), out_dir=tmp_path)
    install_translators(qapp, "zh_CN", directory=tmp_path)
    try:
        dialog = SettingsDialog(
            store, MODELS, token_state=fake_keyring.token_state, set_token=fake_keyring.set_token
        )
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait_until(
            lambda: dialog.token_status.text() != "正在检查系统密钥环…", timeout=HANG_TIMEOUT_MS
        )
        assert dialog.windowTitle() == "设置"
        assert dialog.theme_combo.itemText(0) == "跟随系统"
        assert dialog.language_combo.itemText(0).startswith("跟随系统（")
        assert dialog.language_combo.itemText(2) == "简体中文"  # names stay in their language
        assert dialog.n_ctx_spin.suffix() == " 词元"
        assert "下次加载模型时生效" in dialog.reload_hint.text()
        assert dialog.token_status.text() == "尚未保存令牌。只有受限或私有的模型才需要令牌。"
        buddies = {label.text() for label in dialog.findChildren(QLabel) if label.buddy()}
        assert "语言(&L)：" in buddies and "模型文件夹(&D)：" in buddies
        dialog.language_combo.setCurrentIndex(1)
        assert dialog.language_hint.text() == "重新启动 gptdesk 后界面语言才会切换。"
        ok = dialog.buttons.button(OK)
        assert ok.text() != "OK"  # Qt's own buttons translated too
        dialog.close()
    finally:
        remove_translators(qapp)
