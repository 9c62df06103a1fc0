"""Looking back, inside the main window: History, replay, Compare, Progress, My packs and the mock summary.

The pages are made on first use (pyqtgraph and the media player load only when needed, so
start-up stays quick) and live in the main window's page stack. This object wires them to
each other and to the window: navigation, where "Back" goes, and the mock-interview flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStackedWidget, QStatusBar, QToolBar, QWidget

from app.core.packs import PackSource
from app.core.practice import Mode
from app.gui.workers import DATABASE
from app.services.attempts import SavedAttempt
from app.services.workspace import Workspace

if TYPE_CHECKING:
    from app.core.review.scheduler import Pick
    from app.gui.attempt_view import AttemptView
    from app.gui.compare_view import CompareView
    from app.gui.history_page import HistoryPage
    from app.gui.mock_summary import MockSummaryPage
    from app.gui.pack_editor import PackEditorPage
    from app.gui.practice_controller import PracticeController
    from app.gui.practice_page import PracticePage
    from app.gui.progress_page import ProgressPage
    from app.gui.start_page import StartPage
    from app.gui.widgets.replay_player import ReplayPlayer
    from app.gui.workers import JobRunner

    ReviewPage = HistoryPage | AttemptView | CompareView | ProgressPage | PackEditorPage | MockSummaryPage


class ReviewHost(Protocol):
    """What the review pages need of the window that holds them (MainWindow): its page stack,
    the practice flow, the start page and a few actions. A protocol, not an import of
    main_window, so that the window module and this one do not import each other."""

    workspace: Workspace
    runner: JobRunner
    stack: QStackedWidget
    controller: PracticeController
    start_page: StartPage
    practice_page: PracticePage

    def statusBar(self) -> QStatusBar: ...
    def show_start(self) -> None: ...
    def show_message(self, text: str) -> None: ...
    def stop_playback(self) -> None: ...
    def adopt_replay(self, replay: ReplayPlayer) -> None: ...
    def reload_packs(self, select: str | None = None) -> None: ...
    def import_pack(self) -> None: ...


class ReviewPages(QObject):
    def __init__(self, window: ReviewHost) -> None:
        super().__init__(window if isinstance(window, QObject) else None)  # MainWindow: a QObject
        self.window = window
        self.pages: dict[str, QWidget] = {}
        self.attempt_return: QWidget | None = None  # where "Back" from an attempt goes
        self.sources: list[PackSource] = []
        self.mock_ids: list[int] = []
        self.mock_notices: dict[int, str] = {}
        self.mock_chains: dict[int, tuple[int, str]] = {}  # follow-up attempt -> (the attempt it followed, why)
        self._asked_why: dict[str, str] = {}
        self.nav_actions: dict[str, QAction] = {}
        self._charts_importing = False  # pyqtgraph is being imported on the pool
        self._charts_imported = False

    # -- navigation -------------------------------------------------------------------------------------
    def build_toolbar(self) -> QToolBar:
        """Practice / History / Progress / My packs, always one click away."""
        w = self.window
        bar = QToolBar("Navigation")
        bar.setObjectName("navigation")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.nav_actions = {
            "practice": QAction("Practice", bar),
            "history": QAction("History", bar),
            "progress": QAction("Progress", bar),
            "packs": QAction("My packs", bar),
        }
        for name, slot in (
            ("practice", w.show_start),
            ("history", self.show_history),
            ("progress", self.show_progress),
            ("packs", self.show_pack_editor),
        ):
            self.nav_actions[name].triggered.connect(slot)
        for action in self.nav_actions.values():
            action.setCheckable(True)
            bar.addAction(action)
        w.stack.currentChanged.connect(self._page_changed)
        self._page_changed()
        return bar

    def _page_changed(self, _index: int = 0) -> None:
        page = self.window.stack.currentWidget()
        p = self.pages
        current = (
            "history"
            if page in (p.get("history"), p.get("attempt"), p.get("compare"))
            else "progress"
            if page is p.get("progress")
            else "packs"
            if page is p.get("packs")
            else "practice"
        )
        for name, action in self.nav_actions.items():
            action.setChecked(name == current)

    def set_busy(self, busy: bool) -> None:
        for action in self.nav_actions.values():
            action.setEnabled(not busy)

    def go(self, page: QWidget) -> bool:
        """Show a page, unless an answer is being recorded or processed."""
        w = self.window
        if w.controller.busy:
            w.statusBar().showMessage("Finish or cancel the answer first.", 4000)
            return False
        if w.stack.currentWidget() is w.practice_page:
            w.controller.cancel()
        w.stop_playback()
        w.stack.setCurrentWidget(page)
        return True

    def is_showing(self, name: str) -> bool:
        return name in self.pages and self.window.stack.currentWidget() is self.pages[name]

    # -- pages, made on first use ---------------------------------------------------------------------------
    def page(self, name: str) -> QWidget:
        page = self.pages.get(name)
        if page is None:
            made = self._make(name)
            self.pages[name] = page = made
            self.window.stack.addWidget(made)
            made.message.connect(lambda text: self.window.statusBar().showMessage(text, 8000))
            if hasattr(made, "replay"):
                self.window.adopt_replay(made.replay)
            self.share_packs()
            if name != "progress":
                QTimer.singleShot(1500, self, self.warm_up)  # later, so it does not compete with this page's own query
        return page

    def warm_up(self) -> None:
        """Get the Progress page ready while the person does something else, so the first Progress
        opens as quickly as later ones: import pyqtgraph on the pool (0.3-0.5 s), then build the page
        (0.1-0.2 s on the GUI thread: pyqtgraph builds a context menu for each plot). Called when the
        model is ready and when another review page opens; never builds during an answer."""
        if "progress" in self.pages or self._charts_importing:
            return
        if self._charts_imported:
            QTimer.singleShot(0, self, self._build_progress_when_idle)
            return
        import importlib

        def imported(_module: object) -> None:
            from shiboken6 import isValid

            if not isValid(self):  # the window closed while the import ran
                return
            self._charts_importing, self._charts_imported = False, True
            QTimer.singleShot(0, self, self._build_progress_when_idle)

        def failed(_message: str) -> None:  # shown when the person opens Progress, which imports it again
            self._charts_importing = False

        self._charts_importing = True
        self.window.runner.start(importlib.import_module, "app.gui.charts", on_done=imported, on_error=failed)

    def _build_progress_when_idle(self) -> None:
        w = self.window
        if "progress" in self.pages or w.controller.busy or w.stack.currentWidget() is w.practice_page:
            return  # an answer is under way: never stall it; the page is then built on first use
        self.page("progress")
        from app.gui.model_loading import settle_heap

        settle_heap()

    @property
    def history_page(self) -> HistoryPage:
        return cast("HistoryPage", self.page("history"))

    @property
    def attempt_view(self) -> AttemptView:
        return cast("AttemptView", self.page("attempt"))

    @property
    def compare_view(self) -> CompareView:
        return cast("CompareView", self.page("compare"))

    @property
    def progress_page(self) -> ProgressPage:
        return cast("ProgressPage", self.page("progress"))

    @property
    def pack_editor(self) -> PackEditorPage:
        return cast("PackEditorPage", self.page("packs"))

    @property
    def mock_summary(self) -> MockSummaryPage:
        return cast("MockSummaryPage", self.page("mock"))

    def _make(self, name: str) -> ReviewPage:
        w = self.window
        if name == "history":
            from app.gui.history_page import HistoryPage

            history = HistoryPage(w.workspace, w.runner)
            history.openAttempt.connect(lambda i: self.show_attempt(i, back_to=history))
            history.compareAttempts.connect(self.show_compare)
            return history
        if name == "attempt":
            from app.gui.attempt_view import AttemptView

            view = AttemptView(w.workspace, w.runner)
            view.backRequested.connect(self.attempt_back)
            view.deleted.connect(self._attempt_deleted)
            view.compareRequested.connect(self._compare_with_neighbour)
            view.progressRequested.connect(self.show_progress)
            return view
        if name == "compare":
            from app.gui.compare_view import CompareView

            compare = CompareView(w.workspace, w.runner)
            compare.backRequested.connect(self.compare_back)
            compare.openAttempt.connect(lambda i: self.show_attempt(i, back_to=compare))
            return compare
        if name == "progress":
            from app.gui.progress_page import ProgressPage

            progress = ProgressPage(w.workspace, w.runner)
            progress.openAttempt.connect(lambda i: self.show_attempt(i, back_to=progress))
            return progress
        if name == "packs":
            from app.gui.pack_editor import PackEditorPage

            editor = PackEditorPage(w.workspace.packs, w.runner)
            editor.packSaved.connect(lambda pack_id: w.reload_packs(select=pack_id))
            editor.importRequested.connect(w.import_pack)
            return editor
        if name == "mock":
            from app.gui.mock_summary import MockSummaryPage

            summary = MockSummaryPage(w.workspace, w.runner)
            summary.openAttempt.connect(lambda i: self.show_attempt(i, back_to=summary))
            summary.doneRequested.connect(w.show_start)
            return summary
        raise KeyError(name)

    def share_packs(self, sources: list[PackSource] | None = None) -> None:
        """Give the pages the packs the window found (a user pack wins over a built-in one with its id)."""
        if sources is not None:
            self.sources = sources
        by_id: dict[str, Any] = {}
        for source in self.sources:
            if source.pack is not None and (source.pack.id not in by_id or not source.builtin):
                by_id[source.pack.id] = source.pack
        if "history" in self.pages:
            self.history_page.set_packs(list(by_id.values()))
        if "progress" in self.pages:
            self.progress_page.set_packs(list(by_id.values()))
        if "packs" in self.pages:
            self.pack_editor.set_sources(self.sources)

    # -- moving between them ------------------------------------------------------------------------------------
    def show_history(self) -> None:
        page = self.history_page
        if self.go(page):
            page.reload()

    def show_progress(self, pack_id: str | None = None, question_id: str | None = None) -> None:
        page = self.progress_page
        if self.go(page):
            page.show_for(
                pack_id if isinstance(pack_id, str) else self.window.start_page.current_pack_id,
                question_id if isinstance(question_id, str) else None,
            )

    def show_pack_editor(self) -> None:
        self.go(self.pack_editor)

    def show_attempt(self, attempt_id: int, back_to: QWidget | None = None) -> None:
        view = self.attempt_view
        if self.go(view):
            self.attempt_return = back_to
            from_history = back_to is not None and back_to is self.pages.get("history")
            view.find_text = self.history_page.search_text() if from_history else ""
            view.show_attempt(attempt_id)

    def attempt_back(self) -> None:
        self.go(self.attempt_return or self.history_page)

    def compare_back(self) -> None:
        target = self.attempt_return
        self.go(target if target is not None and target is not self.pages.get("compare") else self.history_page)

    def _attempt_deleted(self, attempt_id: int) -> None:
        self.window.statusBar().showMessage(f"Deleted attempt {attempt_id} and its recording", 6000)
        target = self.attempt_return
        if target is None or target is self.pages.get("compare"):
            target = self.history_page
        if target is self.pages.get("mock"):
            self.mock_ids = [i for i in self.mock_ids if i != attempt_id]
            self.mock_summary.show_attempts(self.mock_ids, self.mock_notices)
        self.go(target)
        if hasattr(target, "reload"):
            target.reload()

    def show_compare(self, first_id: int, second_id: int) -> None:
        view = self.compare_view
        if self.go(view):
            self.attempt_return = self.history_page
            view.show_pair(first_id, second_id)

    def _compare_with_neighbour(self, attempt_id: int) -> None:
        view = self.compare_view
        if self.go(view):
            view.show_with_neighbour(attempt_id)

    def escape(self) -> bool:
        """Esc on a review page goes back; True when handled."""
        if self.is_showing("attempt"):
            self.attempt_back()
        elif self.is_showing("compare"):
            self.compare_back()
        else:
            return False
        return True

    # -- rounds ----------------------------------------------------------------------------------------------
    def round_started(self) -> None:
        self.mock_ids, self.mock_notices = [], {}
        self.mock_chains, self._asked_why = {}, {}

    def mock_answer_saved(self, saved: SavedAttempt) -> None:
        """Mock interview: no feedback between questions; after the last, one summary of every answer."""
        from app.core.follow_ups import choose_follow_up

        w = self.window
        self.mock_ids.append(saved.attempt_id)
        if saved.notice:
            self.mock_notices[saved.attempt_id] = saved.notice
        question, parent = w.controller.question, w.controller.parent_attempt_id
        if parent is not None and question is not None:  # a follow-up answered: one link of a chain
            self.mock_chains[saved.attempt_id] = (parent, self._asked_why.get(question.id, ""))
        ask = choose_follow_up(question, saved.analysis) if question is not None and parent is None else None
        if ask is not None:  # the interviewer digs into what the answer left out, as interviewers do
            self._asked_why[ask.question.id] = ask.why
            w.practice_page.add_reason(ask.question.id, "the interviewer follows up on your last answer")
            w.controller.insert_follow_up(ask.question, saved.attempt_id)
        if w.controller.index + 1 < len(w.controller.questions):
            w.statusBar().showMessage(f"Answer {len(self.mock_ids)} saved. Next question.", 4000)
            w.controller.next_question()
            return
        summary = self.mock_summary
        summary.show_attempts(list(self.mock_ids), dict(self.mock_notices), dict(self.mock_chains))
        w.stack.setCurrentWidget(summary)

    def refresh_schedule(self) -> None:
        """Weakest first: ask the scheduler (on the pool) for the order and the reasons."""
        w = self.window
        pack = w.start_page.current_pack
        if pack is not None and w.start_page.mode is Mode.WEAKEST:
            order = w.start_page.order

            def done(picks: list[Pick]) -> None:
                if w.start_page.order is order:  # a later toggle has its own answer on the way
                    w.start_page.set_schedule(picks)

            w.runner.start(
                w.workspace.review.weakest_first, pack, order, on_done=done, on_error=w.show_message, lane=DATABASE
            )
