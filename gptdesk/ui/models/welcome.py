"""The first-run welcome page: the model recommended for this computer, or the built-in one."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QFont, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gptdesk.core.models.catalog import CatalogEntry, recommend
from gptdesk.core.models.library import ModelEntry

COLUMN_CHARS = 96  # the text column is at most this many average characters wide (~600 px)


def about_size(n_bytes: int) -> str:
    """``about 2.0 GB`` / ``about 310 MB`` (decimal units, as download sizes are given)."""
    amount = _amount(max(n_bytes, 1_000_000))
    return QCoreApplication.translate("welcome", "about {amount}").format(amount=amount)


def _amount(n_bytes: int) -> str:
    return f"{n_bytes / 1e9:.1f} GB" if n_bytes >= 1_000_000_000 else f"{round(n_bytes / 1e6)} MB"


def _roomy(button: QPushButton) -> None:
    """A comfortable click target: taller than the style's minimum, with room around the text."""
    metrics = button.fontMetrics()
    button.setMinimumHeight(round(metrics.height() * 2.2))
    button.setMinimumWidth(metrics.horizontalAdvance(button.text()) + 4 * metrics.height())


def license_text(name: str) -> str:
    """``Apache-2.0 license``; a name that already says what it is (``Llama 3.1 Community
    License``, ``Gemma Terms of Use``) stays as it is."""
    lowered = name.lower()
    if "licen" in lowered or "terms" in lowered:
        return name
    return QCoreApplication.translate("welcome", "{name} license").format(name=name)


def _params(params_b: float) -> str:
    """``135 million parameters``, ``8 billion parameters`` (a translation may count in
    hundreds of millions instead: 亿)."""
    if params_b < 1:
        text = QCoreApplication.translate(
            "welcome", "{millions} million parameters", "or {hundred_millions}"
        )
    else:
        text = QCoreApplication.translate(
            "welcome", "{billions} billion parameters", "or {hundred_millions}"
        )
    return text.format(
        millions=round(params_b * 1000),
        billions=f"{params_b:g}",
        hundred_millions=f"{params_b * 10:g}",
    )


def _label(text: str, parent: QWidget, scale: float = 1.0, bold: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if scale != 1.0 or bold:
        font = QFont(label.font())
        if scale != 1.0 and font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        elif scale != 1.0:
            font.setPixelSize(round(font.pixelSize() * scale))
        font.setBold(bold)
        label.setFont(font)
    return label


class WelcomePage(QWidget):
    """Shown on first run, when only the starter model is installed."""

    download_requested = Signal(str, str)
    """Repo id and quant of the recommended catalog model: the user wants it downloaded."""
    start_requested = Signal()
    """The user wants to start now with the built-in starter model (offline)."""
    browse_requested = Signal()
    """The user wants to see every model (open the model manager)."""

    def __init__(
        self,
        catalog: list[CatalogEntry],
        ram_free: int,
        starter: ModelEntry | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Welcome"))
        self.recommended = recommend(catalog, ram_free)
        """The catalog model that fits this computer, or None when none does."""
        self.starter = starter
        self._focused_once = False

        column = QWidget(self)
        column.setMaximumWidth(column.fontMetrics().averageCharWidth() * COLUMN_CHARS)
        column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.title_label = _label(self.tr("Welcome to gptdesk"), column, scale=1.8, bold=True)
        self.privacy_label = _label(
            self.tr(
                "Everything runs on this computer: what you write and what the model answers "
                "never leave it. Only downloading a model uses the internet."
            ),
            column,
        )

        self.heading_label = _label(self.tr("Recommended for this computer"), column, bold=True)
        self.card = QFrame(column)
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.card.setBackgroundRole(QPalette.ColorRole.Base)
        self.card.setAutoFillBackground(True)
        self.card.setAccessibleName(self.tr("Recommended model"))
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(16, 14, 16, 16)
        card_layout.setSpacing(6)
        self.download_button = QPushButton(self.card)
        self.download_button.setAutoDefault(True)
        self.summary_label: QLabel | None = None
        self.details_label: QLabel | None = None
        free = _amount(ram_free)
        rec = self.recommended
        if rec is not None:
            size = about_size(rec.estimated_size())
            self.name_label = _label(rec.name, self.card, scale=1.25, bold=True)
            self.summary_label = _label(
                QCoreApplication.translate("catalog", rec.summary), self.card
            )
            context = self.tr("{tokens}-token context").format(tokens=f"{rec.context:,}")
            self.details_label = _label(
                f"{_params(rec.params_b)} · {license_text(rec.license)} · {context}", self.card
            )
            self.details_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.size_label = _label(
                self.tr(
                    "Download: {size} (an estimate; the exact size is shown before the download "
                    "starts). It fits in the {free} of memory free now and leaves room for your "
                    "other programs."
                ).format(size=size, free=free),
                self.card,
            )
            self.download_button.setText(
                self.tr("Download {name} ({size})").format(name=rec.name, size=size)
            )
            self.download_button.setAccessibleName(
                self.tr("Download {name}, {size}").format(name=rec.name, size=size)
            )
            for widget in (self.name_label, self.summary_label, self.details_label):
                card_layout.addWidget(widget)
            card_layout.addSpacing(4)
            card_layout.addWidget(self.size_label)
        else:
            self.name_label = _label(
                self.tr("No recommended model fits right now"), self.card, bold=True
            )
            if starter is not None:
                text = self.tr(
                    "This computer has {free} of memory free, which is not enough to run any of "
                    "the recommended models comfortably. The small built-in model below needs "
                    "very little. You can also close other programs and come back, or browse all "
                    "models to pick one yourself."
                )
            else:
                text = self.tr(
                    "This computer has {free} of memory free, which is not enough to run any of "
                    "the recommended models comfortably. Close other programs and come back, or "
                    "browse all models to pick one yourself."
                )
            self.size_label = _label(text.format(free=free), self.card)
            self.download_button.hide()
            card_layout.addWidget(self.name_label)
            card_layout.addWidget(self.size_label)
        card_layout.addSpacing(6)
        card_layout.addWidget(self.download_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.start_button = QPushButton(
            self.tr("Start now with the small built-in model (works offline)"), column
        )
        self.start_button.setAccessibleName(self.tr("Start now with the small built-in model"))
        self.start_button.setAutoDefault(True)
        self.start_note = _label("", column)
        self.start_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        if starter is None:
            self.start_button.setEnabled(False)
            self.start_note.setText(
                self.tr(
                    "The built-in model is missing from this installation: reinstall gptdesk to "
                    "get it back, or download the model above."
                )
                if rec is not None
                else self.tr(
                    "The built-in model is missing from this installation: reinstall gptdesk to "
                    "get it back."
                )
            )
        else:
            self.start_note.setText(
                self.tr(
                    "It is quick and private but small: good for trying gptdesk and short tasks. "
                    "You can download a bigger model any time."
                )
            )
        self.browse_button = QPushButton(self.tr("Browse all models…"), column)
        self.browse_button.setAccessibleName(self.tr("Browse all models"))
        self.browse_button.setAutoDefault(True)

        for button in (self.download_button, self.start_button, self.browse_button):
            _roomy(button)
        col = QVBoxLayout(column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(8)
        col.addWidget(self.title_label)
        col.addWidget(self.privacy_label)
        col.addSpacing(18)
        col.addWidget(self.heading_label)
        col.addWidget(self.card)
        col.addSpacing(14)
        col.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        col.addWidget(self.start_note)
        col.addSpacing(10)
        col.addWidget(self.browse_button, 0, Qt.AlignmentFlag.AlignLeft)

        inner = QWidget()
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(column, 100)
        centre.addStretch(1)
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll)

        self.primary_button = self._primary()
        """The button the page's focus goes to: Download, else Start, else Browse."""
        self.primary_button.setDefault(True)
        self.setFocusProxy(self.primary_button)
        QWidget.setTabOrder(self.download_button, self.start_button)
        QWidget.setTabOrder(self.start_button, self.browse_button)
        self._connect_signals()

    def _primary(self) -> QPushButton:
        if self.recommended is not None:
            return self.download_button
        if self.starter is not None:
            return self.start_button
        return self.browse_button

    def _connect_signals(self) -> None:
        self.download_button.clicked.connect(self.on_download_button_clicked)
        self.start_button.clicked.connect(self.start_requested)
        self.browse_button.clicked.connect(self.browse_requested)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._focused_once:  # the first time only: never steal focus later
            self._focused_once = True
            self.primary_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def on_download_button_clicked(self) -> None:
        rec = self.recommended
        if rec is not None:
            self.download_requested.emit(rec.repo, rec.quants[0])
