"""Pages that stay readable in a small window: the middle of a page scrolls instead of being squeezed.

Qt squeezes widgets below their minimum when a window is too small for them, and wrapped text,
figure tiles and the voice strip were drawn over each other or cut off at 800x600. A page keeps
its heading and its buttons fixed and puts everything between them in `page_scroller`: the parts
keep the height their text needs, and the page scrolls when the window is smaller than that.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QSplitter, QVBoxLayout, QWidget


def needed_height(widget: QWidget, width: int) -> int:
    """The height `widget` needs at `width`: the least its layout can give its parts at that width,
    the height for that width of wrapped text, or, as Qt's layouts reckon it, its minimum."""
    layout = widget.layout()
    if layout is not None and layout.hasHeightForWidth():
        return max(layout.totalMinimumHeightForWidth(width), widget.minimumHeight())
    if widget.hasHeightForWidth():
        return max(widget.heightForWidth(width), widget.minimumHeight())
    if widget.minimumHeight() > 0:
        return widget.minimumHeight()
    if widget.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Ignored:
        return 0
    return widget.minimumSizeHint().height()


class FittingSplitter(QSplitter):
    """A splitter whose minimum height is what its panes need at their current widths.

    QSplitter asks its panes only for their width-independent minimum, so wrapped labels in a
    narrow pane got less height than their lines and were drawn over by the next widget."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        panes = [pane for i in range(self.count()) if (pane := self.widget(i)) is not None and not pane.isHidden()]
        if not panes:
            return hint
        if self.orientation() == Qt.Orientation.Horizontal:
            need = max(needed_height(pane, pane.width()) for pane in panes)
        else:
            need = sum(needed_height(pane, self.width()) for pane in panes) + self.handleWidth() * (len(panes) - 1)
        return QSize(hint.width(), max(hint.height(), need))

    def sizeHint(self) -> QSize:
        # A layout sizing by height-for-width reads this, not the minimum: ask for no more than the
        # panes need (the page's stretch gives them any height to spare), so a 1280x800 page does not scroll.
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the panes' widths changed, and with them the height their text needs


class _Content(QWidget):
    """What scrolls. QScrollArea sizes it by its height for the viewport's width; the layout's own
    minimum reckons every wrapped label at its narrowest and would make a 1280x800 page scroll."""

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), 0)


def page_scroller(*parts: QWidget, stretch: QWidget | None = None) -> QScrollArea:
    """The parts one under another in a frameless vertical scroll area; `stretch` takes the height
    the window has to spare."""
    content = _Content()
    content.setObjectName("pageContent")
    layout = QVBoxLayout(content)
    layout.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        layout.addWidget(part, 1 if part is stretch else 0)
    area = QScrollArea()
    area.setObjectName("pageScroll")
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    return area
