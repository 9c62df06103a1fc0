"""Every question and notice the GUI puts to the person in a message box goes through here.

One seam: a test answers with `with answered(Button.Yes) as prompts: ...` instead of hunting for
a modal box with timers, and sees every prompt's title and text. Outside a test, the ordinary
QMessageBox functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget

Button = QMessageBox.StandardButton


@dataclass(frozen=True)
class Prompt:
    kind: str  # "ask", "inform", "warn" or "error"
    title: str
    text: str


class _Answers:
    """The answers a test gave in advance, and the prompts seen so far."""

    def __init__(self, answers: tuple[Button, ...]) -> None:
        self.pending = list(answers)
        self.prompts: list[Prompt] = []


_test: _Answers | None = None


@contextmanager
def answered(*answers: Button) -> Iterator[list[Prompt]]:
    """For tests: questions asked inside get these answers, in order (one too many fails the test);
    notices are noted, not shown. Yields the list of prompts, filled as they come."""
    global _test
    previous, _test = _test, _Answers(answers)
    try:
        yield _test.prompts
        assert not _test.pending, f"questions expected but not asked; answers left: {_test.pending}"
    finally:
        _test = previous


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: Button = Button.Yes | Button.No,
    default: Button = Button.NoButton,
    warning: bool = False,
) -> Button:
    """A question; returns the button chosen (`warning`: with the warning icon, for destructive steps)."""
    if _test is not None:
        _test.prompts.append(Prompt("ask", title, text))
        assert _test.pending, f"no answer given for the question {title!r}: {text}"
        return _test.pending.pop(0)
    if warning:
        return QMessageBox.warning(parent, title, text, buttons, default)
    return QMessageBox.question(parent, title, text, buttons, default)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    _notice("inform", parent, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    _notice("warn", parent, title, text)


def error(parent: QWidget | None, title: str, text: str) -> None:
    _notice("error", parent, title, text)


def _notice(kind: str, parent: QWidget | None, title: str, text: str) -> None:
    if _test is not None:
        _test.prompts.append(Prompt(kind, title, text))
        return
    show = {"inform": QMessageBox.information, "warn": QMessageBox.warning, "error": QMessageBox.critical}[kind]
    show(parent, title, text)
