"""Settings ▸ Connections: adding a server checks it for real (llama-cpp-python's own server on
loopback), keeps its key in a keyring, and the list is saved as it changes; the API switch
shows the address to copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtWidgets import QApplication

from gptdesk.core.models import servers
from gptdesk.core.storage.settings import SettingsStore
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.window.server_dialog import ServerDialog
from gptdesk.ui.window.settings_dialog import SettingsDialog
from tests.core.test_settings import MemoryKeyring
from tests.waits import HANG_TIMEOUT_MS


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SettingsStore]:
    with SettingsStore(tmp_path / "gptdesk.sqlite3") as opened:
        yield opened


@pytest.fixture
def tasks(qtbot) -> Iterator[BackgroundTasks]:
    pool = BackgroundTasks()
    yield pool
    pool.shutdown()


def fill(dialog: ServerDialog, name: str, url: str, key: str = "") -> None:
    dialog.name_edit.setText(name)
    dialog.url_edit.setText(url)
    dialog.key_edit.setText(key)


@pytest.mark.model
def test_adding_a_reachable_server(qtbot, tasks, memory_keyring, llama_cpp_server_url):
    dialog = ServerDialog([], tasks)
    qtbot.addWidget(dialog)
    fill(dialog, "laptop", llama_cpp_server_url.removeprefix("http://"), key="k-123")
    with qtbot.wait_signal(dialog.accepted, timeout=HANG_TIMEOUT_MS):
        dialog.accept()
    assert dialog.entry == servers.ServerEntry("laptop", f"{llama_cpp_server_url}/v1")
    assert dialog.models and dialog.models[0].id
    assert memory_keyring.passwords[("gptdesk", "server:laptop")] == "k-123"


def test_an_unreachable_server_is_said_and_can_be_added_anyway(qtbot, tasks, memory_keyring):
    dialog = ServerDialog(["taken"], tasks)
    qtbot.addWidget(dialog)
    fill(dialog, "taken", "http://127.0.0.1:9")
    dialog.accept()
    assert "already" in dialog.status.text()
    fill(dialog, "gone", "not a url at all://")
    dialog.accept()
    assert "not a server address" in dialog.status.text()
    fill(dialog, "gone", "http://127.0.0.1:9")
    dialog.accept()
    qtbot.wait_until(lambda: "Cannot reach" in dialog.status.text(), timeout=HANG_TIMEOUT_MS)
    assert dialog.entry is None and dialog.ok_button.text() == "Add &anyway"
    with qtbot.wait_signal(dialog.accepted, timeout=HANG_TIMEOUT_MS):
        dialog.accept()
    assert dialog.entry == servers.ServerEntry("gone", "http://127.0.0.1:9/v1")


def test_the_settings_list_is_saved_as_servers_come_and_go(qtbot, store, memory_keyring):
    dialog = SettingsDialog(store, [], token_state=lambda: "none", api_key=lambda: "gd-key")
    qtbot.addWidget(dialog)
    dialog.on_add_server_button_clicked()
    adder = dialog.server_dialog
    assert adder is not None
    fill(adder, "gone", "http://127.0.0.1:9")
    adder.accept()
    qtbot.wait_until(lambda: adder.ok_button.text() == "Add &anyway", timeout=HANG_TIMEOUT_MS)
    adder.accept()
    qtbot.wait_until(lambda: dialog.servers_list.count() == 1, timeout=HANG_TIMEOUT_MS)
    assert store.settings.servers == [{"name": "gone", "url": "http://127.0.0.1:9/v1"}]
    dialog.servers_list.setCurrentRow(0)
    dialog.on_remove_server_button_clicked()
    assert dialog.servers_list.count() == 0
    assert store.settings.servers == []


def test_the_api_switch_shows_the_address_and_copies_it(qtbot, store):
    dialog = SettingsDialog(store, [], token_state=lambda: "none", api_key=lambda: "gd-key")
    qtbot.addWidget(dialog)
    assert not dialog.copy_address_button.isEnabled()
    dialog.api_check.setChecked(True)
    dialog.api_port_spin.setValue(9123)
    assert dialog.api_address_edit.text() == "http://127.0.0.1:9123/v1"
    dialog.copy_address_button.click()
    assert QApplication.clipboard().text() == "http://127.0.0.1:9123/v1"
    assert not dialog.copy_key_button.isEnabled()  # this machine only: no key needed
    dialog.api_network_check.setChecked(True)
    qtbot.wait_until(lambda: dialog.api_key_edit.text() == "gd-key", timeout=HANG_TIMEOUT_MS)
    dialog.copy_key_button.click()
    assert QApplication.clipboard().text() == "gd-key"
    dialog.accept()
    assert (store.settings.api_server, store.settings.api_port, store.settings.api_network) == (
        True,
        9123,
        True,
    )
