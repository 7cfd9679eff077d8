"""Light, dark or the system's colours (Fusion and a full QPalette when forced) and the font size.

``apply_theme(app, theme, font_size)`` is called at start and whenever the ``theme`` or
``font_size`` setting changes. With "system" the app follows the OS and keeps following it when
the OS switches (``colorSchemeChanged``). ``is_dark(app)`` tells widgets that pick their own
colours (message bar, code blocks) which kind of background they sit on.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark")

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# Role -> (active colour, disabled colour or None for "same"). Text colours keep at least
# 4.5:1 contrast on their backgrounds (placeholder text too).
_LIGHT: dict[QPalette.ColorRole, tuple[str, str | None]] = {
    Role.Window: ("#efefef", None),
    Role.WindowText: ("#1d1d1f", "#8e8e93"),
    Role.Base: ("#ffffff", "#f4f4f4"),
    Role.AlternateBase: ("#f5f5f7", None),
    Role.Text: ("#1d1d1f", "#8e8e93"),
    Role.PlaceholderText: ("#6b6b70", "#a8a8ad"),
    Role.Button: ("#f6f6f6", "#ececec"),
    Role.ButtonText: ("#1d1d1f", "#8e8e93"),
    Role.BrightText: ("#ffffff", None),
    Role.ToolTipBase: ("#ffffff", None),
    Role.ToolTipText: ("#1d1d1f", None),
    Role.Highlight: ("#2a66c9", "#c4c4c8"),
    Role.HighlightedText: ("#ffffff", "#6b6b70"),
    Role.Accent: ("#2a66c9", "#c4c4c8"),
    Role.Link: ("#1857b6", "#8e8e93"),
    Role.LinkVisited: ("#6b3fb3", "#8e8e93"),
    Role.Light: ("#ffffff", None),
    Role.Midlight: ("#e6e6e6", None),
    Role.Mid: ("#b9b9bd", None),
    Role.Dark: ("#9d9da1", None),
    Role.Shadow: ("#5c5c60", None),
}

_DARK: dict[QPalette.ColorRole, tuple[str, str | None]] = {
    Role.Window: ("#323235", None),
    Role.WindowText: ("#e9e9eb", "#7c7c80"),
    Role.Base: ("#1d1d1f", "#2a2a2d"),
    Role.AlternateBase: ("#252528", None),
    Role.Text: ("#e9e9eb", "#7c7c80"),
    Role.PlaceholderText: ("#9d9da3", "#6a6a6f"),
    Role.Button: ("#3d3d41", "#343437"),
    Role.ButtonText: ("#e9e9eb", "#7c7c80"),
    Role.BrightText: ("#ffffff", None),
    Role.ToolTipBase: ("#3a3a3d", None),
    Role.ToolTipText: ("#f2f2f4", None),
    Role.Highlight: ("#3571d6", "#45454a"),
    Role.HighlightedText: ("#ffffff", "#9d9da3"),
    Role.Accent: ("#3571d6", "#45454a"),
    Role.Link: ("#74b3ff", "#7c7c80"),
    Role.LinkVisited: ("#b99af5", "#7c7c80"),
    Role.Light: ("#56565b", None),
    Role.Midlight: ("#46464a", None),
    Role.Mid: ("#2a2a2c", None),
    Role.Dark: ("#161617", None),
    Role.Shadow: ("#0a0a0a", None),
}


def palette_for(theme: str) -> QPalette:
    """The complete palette of the forced "light" or "dark" theme."""
    table = _DARK if theme == "dark" else _LIGHT
    palette = QPalette()
    for role, (active, disabled) in table.items():
        palette.setColor(Group.All, role, QColor(active))
        if disabled is not None:
            palette.setColor(Group.Disabled, role, QColor(disabled))
    return palette


def _palette_is_dark(palette: QPalette) -> bool:
    return palette.color(Role.Window).lightness() < 128


def is_dark(app: QApplication) -> bool:
    """Whether the app's windows are dark now (whatever made them so)."""
    return _palette_is_dark(app.palette())


class _ThemeState(QObject):
    """What apply_theme needs to remember per application: the choice and the originals."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("gptdeskThemeState")
        self.app = app
        self.theme = "system"
        self.style_name = app.style().name()
        self.font = QFont(app.font())
        self.applying = False
        app.styleHints().colorSchemeChanged.connect(self.on_hints_color_scheme_changed)

    @Slot(Qt.ColorScheme)
    def on_hints_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.theme == "system" and not self.applying:
            log.info("the system switched colour scheme; following it")
            self.apply_colours()

    def apply_colours(self) -> None:
        self.applying = True
        try:
            hints = self.app.styleHints()
            if self.theme in ("light", "dark"):
                hints.setColorScheme(
                    Qt.ColorScheme.Dark if self.theme == "dark" else Qt.ColorScheme.Light
                )
                self._set_style("fusion")
                self.app.setPalette(palette_for(self.theme))
                return
            hints.unsetColorScheme()
            self._set_style(self.style_name)
            self.app.setPalette(QPalette())  # nothing resolved: the style's and platform's own
            if hints.colorScheme() == Qt.ColorScheme.Dark and not is_dark(self.app):
                # the native style draws light only (e.g. "windowsvista"): draw dark ourselves
                self._set_style("fusion")
                self.app.setPalette(palette_for("dark"))
        finally:
            self.applying = False

    def _set_style(self, name: str) -> None:
        if self.app.style().name().lower() == name.lower():
            return
        style = QStyleFactory.create(name)
        if style is None:
            log.warning("Qt style %s is not available", name)
            return
        self.app.setStyle(style)


def _state(app: QApplication) -> _ThemeState:
    found = app.findChild(_ThemeState, "gptdeskThemeState")
    return found if isinstance(found, _ThemeState) else _ThemeState(app)


def apply_theme(app: QApplication, theme: str, font_size: int | None) -> None:
    """Colours for ``theme`` ("system", "light" or "dark") and the font at ``font_size`` points
    (None: the font the app started with)."""
    if theme not in THEMES:
        log.warning("unknown theme %r; using the system's", theme)
        theme = "system"
    state = _state(app)
    state.theme = theme
    state.apply_colours()
    font = QFont(state.font)
    if font_size is not None:
        font.setPointSize(font_size)
    app.setFont(font)
