"""The first-run page: what it recommends for big and tiny memory, and what its buttons ask for."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gptdesk.core.models.catalog import load_catalog, recommend
from gptdesk.core.models.library import ModelEntry
from gptdesk.ui.models.welcome import WelcomePage, about_size, license_text
from tests.waits import HANG_TIMEOUT_MS

GB = 1_000_000_000


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture
def starter() -> ModelEntry:
    return ModelEntry("Starter", Path("/nowhere/starter.gguf"), builtin=True, source="builtin")


def make_page(qtbot, catalog, ram_free: int, starter: ModelEntry | None) -> WelcomePage:
    page = WelcomePage(catalog, ram_free, starter)
    qtbot.addWidget(page)
    page.resize(900, 640)
    page.show()
    qtbot.wait_exposed(page)
    return page


def test_big_memory_recommends_the_largest_model(qtbot, catalog, starter):
    page = make_page(qtbot, catalog, 64 * GB, starter)
    largest = max(catalog, key=lambda e: e.params_b)
    assert page.recommended == largest
    size = about_size(largest.estimated_size())
    assert page.name_label.text() == largest.name
    assert page.summary_label.text() == largest.summary
    assert largest.license in page.details_label.text()
    assert "8 billion parameters" in page.details_label.text()
    assert size in page.size_label.text() and "estimate" in page.size_label.text()
    assert page.download_button.text() == f"Download {largest.name} ({size})"
    assert page.download_button.isVisible()
    assert page.primary_button is page.download_button
    assert page.focusProxy() is page.download_button


def test_middling_memory_recommends_what_fits(qtbot, catalog, starter):
    page = make_page(qtbot, catalog, 8 * GB, starter)
    assert page.recommended == recommend(catalog, 8 * GB)
    assert page.recommended is not None and page.recommended.params_b < 7
    assert "8.0 GB of memory free" in page.size_label.text()


def test_download_button_asks_for_repo_and_first_quant(qtbot, catalog, starter):
    page = make_page(qtbot, catalog, 64 * GB, starter)
    rec = page.recommended
    with qtbot.wait_signal(page.download_requested, timeout=HANG_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(page.download_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [rec.repo, rec.quants[0]]
    with qtbot.wait_signal(page.download_requested, timeout=HANG_TIMEOUT_MS):
        qtbot.keyClick(page.download_button, Qt.Key.Key_Return)  # keyboard works too


def test_tiny_memory_says_so_and_offers_the_starter(qtbot, catalog, starter):
    page = make_page(qtbot, catalog, 200_000_000, starter)
    assert page.recommended is None
    assert not page.download_button.isVisible()
    assert "200 MB of memory free" in page.size_label.text()
    assert "not enough" in page.size_label.text()
    assert "built-in model" in page.size_label.text()
    assert page.start_button.isEnabled()
    assert page.primary_button is page.start_button
    with (
        qtbot.assert_not_emitted(page.download_requested),
        qtbot.wait_signal(page.start_requested, timeout=HANG_TIMEOUT_MS),
    ):
        page.download_button.click()  # hidden; even if clicked it asks for nothing
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)


def test_start_and_browse_emit(qtbot, catalog, starter):
    page = make_page(qtbot, catalog, 16 * GB, starter)
    with qtbot.wait_signal(page.start_requested, timeout=HANG_TIMEOUT_MS):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    with qtbot.wait_signal(page.browse_requested, timeout=HANG_TIMEOUT_MS):
        qtbot.mouseClick(page.browse_button, Qt.MouseButton.LeftButton)


def test_without_a_starter_start_is_disabled_and_explained(qtbot, catalog):
    page = make_page(qtbot, catalog, 16 * GB, None)
    assert not page.start_button.isEnabled()
    assert "missing" in page.start_note.text() and "reinstall" in page.start_note.text()
    with qtbot.assert_not_emitted(page.start_requested):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.primary_button is page.download_button


def test_nothing_fits_and_no_starter_leaves_browse(qtbot, catalog):
    page = make_page(qtbot, catalog, 100_000_000, None)
    assert page.primary_button is page.browse_button
    assert "built-in" not in page.size_label.text()  # nothing suggests what is not there
    assert "above" not in page.start_note.text()


def test_keyboard_order_and_names(qtbot, catalog, starter):
    page = make_page(qtbot, catalog, 16 * GB, starter)
    page.activateWindow()
    qtbot.wait_until(lambda: page.download_button.hasFocus(), timeout=HANG_TIMEOUT_MS)
    chain = []
    widget = page.download_button
    for _ in range(2):
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
        chain.append(widget)
    assert chain == [page.start_button, page.browse_button]
    for button in (page.download_button, page.start_button, page.browse_button):
        assert button.accessibleName()
    assert page.accessibleName() == "Welcome"
    assert page.card.accessibleName() == "Recommended model"


def test_about_size():
    assert about_size(2_049_000_000) == "about 2.0 GB"
    assert about_size(305_000_000) == "about 305 MB"


def test_license_names_do_not_say_license_twice():
    assert license_text("Apache-2.0") == "Apache-2.0 license"
    assert license_text("MIT") == "MIT license"
    assert license_text("Llama 3.1 Community License") == "Llama 3.1 Community License"
    assert license_text("Qwen Research Licence") == "Qwen Research Licence"
    assert license_text("Gemma Terms of Use") == "Gemma Terms of Use"


def test_the_card_names_a_community_license_once(qtbot, catalog, starter):
    page = make_page(qtbot, catalog, 64 * GB, starter)
    rec = page.recommended
    assert rec is not None and "License" in rec.license  # the catalog's largest is Llama 3.1
    text = page.details_label.text()
    assert f"{rec.license} · " in text
    assert "License license" not in text and text.lower().count("license") == 1
