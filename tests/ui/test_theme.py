"""apply_theme and is_dark on the real QApplication: palettes, contrast, font size, restore."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from gptdesk.ui.theme import apply_theme, is_dark, palette_for
from tests.waits import HANG_TIMEOUT_MS

Role = QPalette.ColorRole


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The test QApplication, given back with the system theme and font (other tests share it)."""
    apply_theme(qapp, "system", None)
    yield qapp
    apply_theme(qapp, "system", None)


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_dark_forces_a_dark_window_and_widgets_follow(app: QApplication, qtbot: QtBot) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()

    apply_theme(app, "dark", None)
    qtbot.wait_until(
        lambda: edit.palette().color(Role.Base).lightness() < 64, timeout=HANG_TIMEOUT_MS
    )

    assert is_dark(app)
    assert app.palette().color(Role.Window).lightness() < 80
    assert app.style().name().lower() == "fusion"
    assert app.palette().color(Role.Window) == palette_for("dark").color(Role.Window)


def test_light_forces_a_light_window(app: QApplication) -> None:
    apply_theme(app, "dark", None)
    apply_theme(app, "light", None)

    assert not is_dark(app)
    assert app.palette().color(Role.Window).lightness() > 200
    assert app.palette().color(Role.Base) == QColor("#ffffff")


def test_system_gives_back_the_original_palette(app: QApplication) -> None:
    before = {role: app.palette().color(role) for role in (Role.Window, Role.Base, Role.Text)}
    style = app.style().name()

    apply_theme(app, "dark", None)
    apply_theme(app, "system", None)

    assert {role: app.palette().color(role) for role in before} == before
    assert app.style().name() == style


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_role_is_set_and_text_is_readable(theme: str) -> None:
    palette = palette_for(theme)
    other = palette_for("dark" if theme == "light" else "light")

    for role in (
        Role.Window,
        Role.Base,
        Role.Text,
        Role.Link,
        Role.LinkVisited,
        Role.PlaceholderText,
        Role.Highlight,
        Role.ToolTipBase,
        Role.ToolTipText,
        Role.Button,
        Role.ButtonText,
    ):
        assert palette.color(role) != other.color(role), role  # set for this theme, not left over
    pairs = [
        (Role.Text, Role.Base),
        (Role.WindowText, Role.Window),
        (Role.ButtonText, Role.Button),
        (Role.PlaceholderText, Role.Base),
        (Role.Link, Role.Base),
        (Role.HighlightedText, Role.Highlight),
        (Role.ToolTipText, Role.ToolTipBase),
    ]
    for fg, bg in pairs:
        assert contrast(palette.color(fg), palette.color(bg)) >= 4.5, (fg, bg)
    disabled = palette.color(QPalette.ColorGroup.Disabled, Role.Text)
    assert disabled != palette.color(QPalette.ColorGroup.Active, Role.Text)


def test_font_size_is_applied_and_restored(app: QApplication, qtbot: QtBot) -> None:
    original = app.font().pointSize()
    edit = QLineEdit()
    qtbot.addWidget(edit)
    size = original + 7

    apply_theme(app, "light", size)
    qtbot.wait_until(lambda: edit.font().pointSize() == size, timeout=HANG_TIMEOUT_MS)
    assert app.font().pointSize() == size
    assert app.font().family() != "" and not is_dark(app)

    apply_theme(app, "light", None)
    qtbot.wait_until(lambda: edit.font().pointSize() == original, timeout=HANG_TIMEOUT_MS)
    assert app.font().pointSize() == original


def test_a_forced_theme_ignores_the_system_switching(app: QApplication) -> None:
    apply_theme(app, "dark", None)

    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)

    assert is_dark(app)


def test_an_unknown_theme_falls_back_to_the_system(
    app: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    window = app.palette().color(Role.Window)
    apply_theme(app, "dark", None)

    apply_theme(app, "neon", None)

    assert "unknown theme 'neon'" in caplog.text
    assert app.palette().color(Role.Window) == window
