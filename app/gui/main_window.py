"""The main window: pages in a stack, menus and shortcuts, the status bar, replay."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from app import APP_NAME, __version__
from app.core.packs import PackError
from app.core.practice import Mode
from app.gui import dialogs
from app.gui.feedback_page import FeedbackPage
from app.gui.practice_controller import Phase, PracticeController, RoundOptions
from app.gui.practice_page import PracticePage
from app.gui.quitting import QuitGuard
from app.gui.read_aloud import QuestionReader
from app.gui.review_pages import ReviewPages
from app.gui.settings import AppSettings
from app.gui.settings_dialog import SettingsDialog
from app.gui.start_page import StartPage
from app.gui.workers import DATABASE, JobRunner
from app.services.attempts import SavedAttempt
from app.services.workspace import Workspace

if TYPE_CHECKING:
    from datetime import date

    from app.core.packs import Pack, Question
    from app.core.review.plan import Plan
    from app.core.transcribe.models import ModelInfo
    from app.gui.widgets.replay_player import ReplayPlayer


log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    modelReady = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        settings: AppSettings,
        runner: JobRunner,
        sd: Any | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings
        self.runner = runner
        self.sd = sd
        self.reader = QuestionReader(self)  # reads questions aloud when that is on; says once why it cannot
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(760, 540)
        self.setAcceptDrops(True)  # a recording dropped on the window is imported as an answer

        self.controller = PracticeController(workspace, runner, self._round_options(), sd=sd, parent=self)
        self.start_page = StartPage()
        self.practice_page = PracticePage(self.controller)
        self.feedback_page = FeedbackPage()
        self.stack = QStackedWidget()
        for page in (self.start_page, self.practice_page, self.feedback_page):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.model_status = QLabel("Loading the speech model…")
        self.statusBar().addPermanentWidget(self.model_status)

        self._connect_pages(settings)
        self.round_mode: str | None = None
        self._round_number = 0  # which round a session id arriving from the pool belongs to
        self.review: ReviewPages = ReviewPages(self)  # History, replay, Compare, Progress, My packs, mock summary
        self.quit_guard = QuitGuard(self, self.controller)

        self._build_menus()
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.review.build_toolbar())
        self.reload_packs()
        geometry, state = settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 740)
        if state is not None:
            self.restoreState(state)

    def _connect_pages(self, settings: AppSettings) -> None:
        """The pages and the practice flow wired to the window (and the start page set from the settings)."""
        self.start_page.startRequested.connect(self.start_round)
        self.practice_page.backRequested.connect(self.show_start)
        self.feedback_page.backRequested.connect(self.show_start)
        self.feedback_page.tryAgain.connect(self._try_again)
        self.feedback_page.nextQuestion.connect(self.next_question)
        self.feedback_page.replay.message.connect(self.show_message)
        self.adopt_replay(self.feedback_page.replay)
        self.feedback_page.overrideRequested.connect(self._save_override)
        self.controller.feedbackReady.connect(self._show_feedback)
        self.controller.message.connect(self.show_message)
        self.controller.questionChanged.connect(self._read_question)
        self.reader.failed.connect(self.show_message)
        self.controller.roundFinished.connect(self._round_finished)
        self.controller.phaseChanged.connect(self._phase_changed)
        self.start_page.pack_combo.currentIndexChanged.connect(lambda _i: self.refresh_stats())
        self.start_page.mode_combo.currentIndexChanged.connect(lambda _i: self.review.refresh_schedule())
        self.start_page.set_order(settings.weakest_order)
        self.start_page.set_mock_count(settings.mock_count)
        self.start_page.orderChanged.connect(self._order_changed)
        self.start_page.mockCountChosen.connect(lambda n: setattr(self.settings, "mock_count", n))
        self.start_page.planRequested.connect(self.set_plan)
        self.start_page.planCleared.connect(self.clear_plan)

    # -- menus and shortcuts -------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(context)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.import_action = self._action("&Import pack…", self.import_pack, "Ctrl+O")
        file_menu.addAction(self.import_action)
        self.import_answer_action = self._action("Import &answer…", self.import_answer, "Ctrl+I")
        file_menu.addAction(self.import_answer_action)
        self.packs_action = self._action("&My packs…", lambda: self.review.show_pack_editor(), "Ctrl+E")
        file_menu.addAction(self.packs_action)
        file_menu.addAction(self._action("Open &data folder", self._open_data_folder))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = self.menuBar().addMenu("&Edit")
        self.preferences_action = self._action(
            "&Preferences…", self.open_preferences, QKeySequence.StandardKey.Preferences
        )
        if self.preferences_action.shortcut().isEmpty():
            self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        edit_menu.addAction(self.preferences_action)

        practice_menu = self.menuBar().addMenu("&Practice")
        self.space_action = self._action("Start / stop answer", self.space_pressed, "Space")
        self.escape_action = self._action("Cancel answer, stop a loop, go back", self.escape_pressed, "Esc")
        self.next_action = self._action("&Next question", self.next_question, "Ctrl+N")
        self.again_action = self._action("&Try again", self._try_again, "Ctrl+R")
        self.play_action = self._action("&Play my answer", self.play_answer, "Ctrl+P")
        self.type_action = self._action("T&ype an answer…", self.type_answer, "Ctrl+T")
        for action in (
            self.space_action,
            self.escape_action,
            self.next_action,
            self.again_action,
            self.play_action,
            self.type_action,
        ):
            practice_menu.addAction(action)
        practice_menu.addSeparator()
        practice_menu.addAction(self._action("Back to &questions", self.show_start, "Ctrl+Home"))
        self.history_action = self._action("&History", lambda: self.review.show_history(), "Ctrl+H")
        self.progress_action = self._action("P&rogress", lambda: self.review.show_progress(), "Ctrl+G")
        self.plan_action = self._action("Interview &date…", self._focus_plan, "Ctrl+D")
        practice_menu.addAction(self.plan_action)
        practice_menu.addAction(self.history_action)
        practice_menu.addAction(self.progress_action)

        replay_menu = self.menuBar().addMenu("&Replay")  # the player on the feedback page or a past answer
        self.slower_action = self._action("&Slower", lambda: self._with_replay(lambda r: r.step_speed(-1)), "[")
        self.faster_action = self._action("&Faster", lambda: self._with_replay(lambda r: r.step_speed(1)), "]")
        self.loop_action = self._action("&Loop the selected words", self._toggle_loop, "L")
        self.bookmark_action = self._action("&Bookmark this moment", self._bookmark, "Ctrl+B")
        for action in (self.slower_action, self.faster_action, self.loop_action, self.bookmark_action):
            replay_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        self.shortcuts_action = self._action("&Keyboard shortcuts", self.show_shortcuts)
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        help_menu.addAction(self.shortcuts_action)
        from PySide6.QtGui import QDesktopServices

        from app.logs import log_folder

        self.log_folder_action = self._action(  # where to look (or what to send) when something went wrong
            "Show &log folder",
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_folder(self.workspace.folder)))),
        )
        help_menu.addAction(self.log_folder_action)
        help_menu.addAction(self._action("&About Rehearse", self._about))

    def show_shortcuts(self) -> None:
        """Help > Keyboard shortcuts: the list is read from the window's actions each time it opens."""
        from app.gui.shortcuts_dialog import ShortcutsDialog

        old = getattr(self, "shortcuts_dialog", None)
        if old is not None:
            old.close()
            old.deleteLater()
        self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.show()

    def space_pressed(self) -> None:
        page = self.stack.currentWidget()
        if page is self.practice_page:
            if self.controller.phase is Phase.ANSWER:
                self.controller.stop_answer()
            elif self.controller.phase in (Phase.PREP, Phase.READY):
                self.controller.start_answer()
        elif page is self.start_page and self.start_page.start_button.isEnabled():
            self.start_page.start_button.click()
        elif self.review.is_showing("attempt"):
            self.review.attempt_view.toggle_play()

    def escape_pressed(self) -> None:
        if self.stack.currentWidget() is self.practice_page:
            if self.controller.phase is Phase.READY:
                self.show_start()
            else:
                self.controller.cancel()
        elif (replay := self.current_replay()) is not None and replay.stop_loop():
            return  # Esc first ends a loop; the next Esc goes back
        elif self.stack.currentWidget() is self.feedback_page:
            self.show_start()
        else:
            self.review.escape()

    # -- packs ---------------------------------------------------------------------------------------
    def reload_packs(self, select: str | None = None) -> None:
        sources = self.workspace.packs.scan()
        self.start_page.set_packs(sources, select or self.settings.last_pack)
        self.start_page.set_mode(self.settings.last_mode)
        self.review.share_packs(sources)
        self.refresh_stats()

    def refresh_stats(self) -> None:
        pack_id = self.start_page.current_pack_id
        if pack_id:
            # The history is opened on the pool too (at start-up it may not be open yet).
            self.runner.start(
                self.workspace.practice.question_stats,
                pack_id,
                on_done=self.start_page.set_stats,
                on_error=self.show_message,
                lane=DATABASE,
            )
            self.review.refresh_schedule()
            self.refresh_plan()

    def _focus_plan(self) -> None:
        """Ctrl+D: to the interview date on the start page."""
        if not self.controller.busy:
            self.show_start()
            self.start_page.plan_date.setFocus()

    def refresh_plan(self) -> None:
        """The interview plan of the chosen pack, worked out on the pool from today's history."""
        pack_id = self.start_page.current_pack_id
        if pack_id:

            def done(plan: Plan | None) -> None:
                if self.start_page.current_pack_id == pack_id:
                    self.start_page.set_plan(plan)

            self.runner.start(
                self.workspace.practice.plan, pack_id, on_done=done, on_error=self.show_message, lane=DATABASE
            )

    def set_plan(self, when: date, load: int, weekends_easy: bool) -> None:
        """'My interview is on …' for the chosen pack: stored, then the plan worked out again."""
        from app.core.records import PlanSettings

        pack_id = self.start_page.current_pack_id
        if not pack_id:
            return
        settings = PlanSettings(when, pack_id, load, frozenset({5, 6}) if weekends_easy else frozenset())
        self.runner.start(
            self.workspace.practice.set_plan,
            settings,
            on_done=lambda _r: self.refresh_plan(),
            on_error=self.show_message,
            lane=DATABASE,
        )

    def clear_plan(self) -> None:
        pack_id = self.start_page.current_pack_id
        if pack_id:
            self.runner.start(
                self.workspace.practice.clear_plan,
                pack_id,
                on_done=lambda _r: self.refresh_plan(),
                on_error=self.show_message,
                lane=DATABASE,
            )

    def _order_changed(self, order: str) -> None:
        self.settings.weakest_order = order
        self.review.refresh_schedule()

    def import_pack(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a question pack", str(Path.home()), "Question packs (*.yaml *.yml)"
        )
        if path:
            self.import_pack_file(Path(path))

    def import_pack_file(self, path: Path) -> bool:
        """Validate, then copy into the user pack folder under a safe name (never outside it)."""
        try:
            planned = self.workspace.packs.prepare_import(path)
        except PackError as exc:
            dialogs.warn(self, "This pack has problems", str(exc))
            return False
        except ValueError as exc:  # an id that cannot be a file name in the pack folder
            dialogs.warn(self, "This pack cannot be imported", str(exc))
            return False
        pack = planned.pack
        if planned.replaces:
            answer = dialogs.ask(self, "Replace pack?", f"A pack with id '{pack.id}' is already imported. Replace it?")
            if answer != dialogs.Button.Yes:
                return False
        try:
            self.workspace.packs.install(planned, path)
        except OSError as exc:
            log.warning("could not import pack %s", path, exc_info=True)
            dialogs.warn(self, "Could not import the pack", f"{path}: {exc.strerror or exc}")
            return False
        self.reload_packs(select=pack.id)
        self.statusBar().showMessage(f"Imported '{pack.title}' ({len(pack.questions)} questions)", 5000)
        return True

    # -- answers from a file or typed ----------------------------------------------------------------------
    def _answer_target(self) -> tuple[Pack, Question] | None:
        """The question an imported or typed answer is for: the one on screen in a round, else the one
        highlighted on the start page (shown on the practice page, with nothing running)."""
        if self.controller.busy:
            return None
        pack_now, question_now = self.controller.pack, self.controller.question
        if self.stack.currentWidget() in (self.practice_page, self.feedback_page) and question_now is not None:
            assert pack_now is not None  # a question on screen belongs to a pack
            return pack_now, question_now
        pack = self.start_page.current_pack
        question = self.start_page.selected_question()
        if pack is None or question is None:
            return None
        self.round_mode = None
        self.practice_page.set_round()
        self.controller.show_single(pack, question)
        self.stack.setCurrentWidget(self.practice_page)
        return pack, question

    def import_answer(self) -> None:
        """File > Import answer…: a recording for the question on screen (or highlighted on the start page)."""
        target = self._answer_target()
        if target is None:
            self.show_message("Choose a question first (or wait until the answer being saved is stored).")
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            f"Import an answer to: {target[1].text[:80]}",
            str(Path.home()),
            "Audio (*.wav *.flac *.mp3 *.m4a *.ogg *.opus *.webm *.aac *.mp4);;All files (*)",
        )
        if path:
            self.import_answer_file(Path(path))

    def import_answer_file(self, path: Path) -> bool:
        """Import a recording (menu or drop); a file that cannot be read is refused and nothing is saved."""
        target = self._answer_target()
        if target is None:
            self.show_message("Choose a question first (or wait until the answer being saved is stored).")
            return False
        if self.controller.import_answer(path):
            self.stack.setCurrentWidget(self.practice_page)
            self.statusBar().showMessage(f"Importing {path.name} as an answer to '{target[1].text[:60]}'…", 5000)
            return True
        return False

    def type_answer(self) -> None:
        """Practice > Type an answer…: where speaking is not possible."""
        from app.gui.typed_answer import TypedAnswerDialog

        target = self._answer_target()
        if target is None:
            self.show_message("Choose a question first (or wait until the answer being saved is stored).")
            return
        self.typed_dialog = TypedAnswerDialog(target[1].text, self)
        self.typed_dialog.accepted.connect(lambda: self.controller.type_answer(self.typed_dialog.text))
        self.typed_dialog.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        """A recording dragged onto the window is an answer to the question on screen."""
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile() and not self.controller.busy:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.import_answer_file(Path(urls[0].toLocalFile()))

    # -- round -----------------------------------------------------------------------------------------
    def _round_options(self) -> RoundOptions:
        s = self.settings
        return RoundOptions(
            prep_seconds=s.prep_seconds or None,
            answer_seconds=s.answer_seconds or None,
            hard_limit_factor=s.hard_limit_factor,
            device=s.input_device,
            live_captions=s.live_captions,
        )

    def start_round(self, pack: Pack, questions: list[Question], index: int, mode: str) -> None:
        self.settings.last_pack = pack.id
        self.settings.last_mode = mode
        self.round_mode = mode
        self.review.round_started()
        self.controller.options = self._round_options()
        self._round_number += 1
        round_number = self._round_number

        def started(session_id: int) -> None:
            if round_number == self._round_number:
                self.controller.set_session(session_id)

        def failed(message: str) -> None:  # the answers are still saved, outside a session
            if round_number == self._round_number:
                self.controller.set_session(None)
                self.show_message(f"This round could not be added to the history: {message}")

        # The session row is written on the pool and the question shows at once: the controller
        # holds an answer's save until the id is here, so every attempt carries it.
        self.runner.start(
            self.workspace.practice.start_session, pack, mode, on_done=started, on_error=failed, lane=DATABASE
        )
        self.stack.setCurrentWidget(self.practice_page)
        # Weakest first: why each question is in its place, shown under it; a mock round says so.
        reasons = (
            {q.id: self.start_page.reason(q.id) or "" for q in questions}
            if mode in (Mode.WEAKEST.value, Mode.PLAN.value)
            else {}
        )
        self.practice_page.set_round(mock=mode == Mode.MOCK.value, reasons=reasons)
        self.controller.begin(pack, questions, index, session_pending=True)

    def show_start(self) -> None:
        if self.controller.busy:
            return
        self.controller.cancel()
        self.stop_playback()
        self.stack.setCurrentWidget(self.start_page)
        self.refresh_stats()

    def next_question(self) -> None:
        if self.stack.currentWidget() is self.feedback_page or (
            self.stack.currentWidget() is self.practice_page and not self.controller.busy
        ):
            self.stop_playback()
            if self.controller.next_question():
                self.stack.setCurrentWidget(self.practice_page)

    def _try_again(self) -> None:
        if self.stack.currentWidget() is self.feedback_page:
            self.stop_playback()
            self.stack.setCurrentWidget(self.practice_page)
            self.controller.try_again()

    def _round_finished(self) -> None:
        self.statusBar().showMessage("That was the last question of this round.", 6000)
        self.show_start()

    def _phase_changed(self, phase: str) -> None:
        busy = phase in (Phase.STARTING.value, Phase.ANSWER.value, Phase.PROCESSING.value)
        for action in (
            self.import_action,
            self.preferences_action,
            self.next_action,
            self.packs_action,
            self.history_action,
            self.progress_action,
            self.import_answer_action,
            self.type_action,
        ):
            action.setEnabled(not busy)
        self.review.set_busy(busy)

    def _show_feedback(self, saved: SavedAttempt) -> None:
        question = self.controller.question
        assert question is not None
        if self.round_mode == Mode.MOCK.value:
            self.review.mock_answer_saved(saved)  # no feedback until the last answer
            return
        notice = saved.notice
        if saved.audio_path is None:  # a typed answer
            notice = " ".join(
                filter(
                    None,
                    [
                        "A typed answer: key points are judged on the words you typed; it has no "
                        "length, pace or filler figures.",
                        notice,
                    ],
                )
            )
        self.feedback_page.show_analysis(
            question,
            saved.analysis,
            has_audio=saved.audio_path is not None and saved.audio_path.exists(),
            notice=notice,
            has_next=self.controller.index + 1 < len(self.controller.questions),
            audio_path=saved.audio_path,
        )
        self.stack.setCurrentWidget(self.feedback_page)
        self.statusBar().showMessage(f"Saved attempt {saved.attempt_id}", 4000)

    def show_message(self, text: str) -> None:
        if self.stack.currentWidget() is self.practice_page:
            self.practice_page.show_message(text)
        self.statusBar().showMessage(text, 10000)

    def _save_override(self, position: int, covered: object) -> None:
        saved = self.controller.last_attempt
        if saved is not None:
            self.runner.start(
                self.workspace.correct_judgement,
                saved.attempt_id,
                position,
                covered,
                on_error=self.show_message,
                lane=DATABASE,
            )

    # -- replay and reading aloud ---------------------------------------------------------------------------
    def play_answer(self) -> None:
        """Ctrl+P: play or pause the answer on the feedback page (its player: app/gui/widgets/replay_player.py)."""
        if self.stack.currentWidget() is self.feedback_page:
            self.feedback_page.replay.toggle_play()

    def current_replay(self) -> ReplayPlayer | None:
        """The replay player of the page on screen (feedback or a past answer), else None."""
        if self.stack.currentWidget() is self.feedback_page:
            return self.feedback_page.replay
        if self.review.is_showing("attempt"):
            return self.review.attempt_view.replay
        return None

    def _with_replay(self, act: Callable[[ReplayPlayer], object]) -> None:
        replay = self.current_replay()
        if replay is not None:
            act(replay)

    def _toggle_loop(self) -> None:
        replay = self.current_replay()
        if replay is None:
            return
        if replay.loop_range is None:
            self.statusBar().showMessage("Select words in the transcript first, then press L to loop them.", 6000)
        else:
            replay.set_looping(not replay.looping)

    def _bookmark(self) -> None:
        if self.review.is_showing("attempt"):
            self.review.attempt_view.bookmarks.add_here()

    def adopt_replay(self, replay: ReplayPlayer) -> None:
        """Every replay player starts at the speed last chosen; a change on one is remembered and applies to all."""
        replay.set_speed(self.settings.replay_speed)
        replay.speedChanged.connect(self._replay_speed_changed)

    def _replay_speed_changed(self, rate: float) -> None:
        self.settings.replay_speed = rate
        self.feedback_page.replay.set_speed(rate)
        if "attempt" in self.review.pages:
            self.review.attempt_view.replay.set_speed(rate)

    def stop_playback(self) -> None:
        self.feedback_page.replay.stop()

    def _read_question(self, question: Question, _index: int, _count: int) -> None:
        if self.settings.read_aloud:
            self.reader.say(question.text)

    # -- misc ------------------------------------------------------------------------------------------
    def set_model_status(self, text: str, error: bool = False) -> None:
        self.model_status.setText(text)
        self.model_status.setStyleSheet("color: #cf222e;" if error else "")

    def show_model(self, info: ModelInfo) -> None:
        """The status for the model actually loaded: red only while a fallback stands in for the chosen one."""
        if info.fallback_reason:
            self.set_model_status(f"Speech model: {info.name} (fallback)", error=True)
            self.model_status.setToolTip(info.fallback_reason)
        else:
            self.set_model_status(f"Speech model ready: {info.name}")
            self.model_status.setToolTip("")

    def open_preferences(self) -> None:
        if self.controller.busy:
            return
        voice = self.reader.check()
        dialog = SettingsDialog(
            self.settings,
            self.workspace.folder,
            voice.available,
            tts_problem=voice.problem,
            sd=self.sd,
            delete_all=self._delete_all_data,
            judging=self.workspace.judging_summary(),
            parent=self,
        )
        old_model = self.settings.model
        if dialog.exec():
            self.controller.options = self._round_options()
            if self.settings.model != old_model:
                self.workspace.set_model(self.settings.model)
                self.set_model_status("Loading the speech model…")
                from app.gui.model_loading import load_model_in_background

                load_model_in_background(self)

    def _delete_all_data(self, finished: Callable[[str | None], None] | None = None) -> None:
        """Deletes on the pool (every recording: seconds on a long history), then `finished(None or the error)`."""
        self.controller.last_attempt = None
        self.feedback_page.replay.release()  # the recording on the feedback page is about to go
        self.statusBar().showMessage("Deleting all recordings and history…")

        def done(_result: object) -> None:
            self.refresh_stats()
            self.statusBar().showMessage("All recordings and history were deleted.", 8000)
            if finished is not None:
                finished(None)

        def failed(message: str) -> None:
            self.refresh_stats()
            self.statusBar().showMessage(f"Deleting your data failed: {message}", 10000)
            if finished is not None:
                finished(message)

        self.runner.start(self.workspace.practice.delete_all, on_done=done, on_error=failed, lane=DATABASE)

    def _open_data_folder(self) -> None:
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.workspace.folder)))

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME} {__version__}</b><p>Practise interview answers out loud. Speech is transcribed on this "
            f"computer with Whisper; nothing is sent anywhere.</p><p>Data folder: {self.workspace.folder}</p>",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.quit_guard.may_close():  # an answer is being recorded or saved: it is saved first
            event.ignore()
            return
        self.settings.save_window_state(self.saveGeometry(), self.saveState())
        self.settings.sync()
        self.stop_playback()
        self.runner.shutdown()
        event.accept()
