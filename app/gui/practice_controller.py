"""The flow of one practice round: prep countdown -> recording -> processing -> feedback.

A QObject without widgets: the practice page shows what it says, tests drive it directly.
Recording and processing run off the GUI thread (RecordingSession, JobRunner).
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.audio.recorder import RecordingResult, StopReason
from app.core.packs import Pack, Question
from app.core.practice import AnswerClock, Zone
from app.core.scoring.voice import VoiceTracker
from app.core.transcribe.streaming import StreamingTranscriber
from app.gui.recording import RecordingSession, describe_end
from app.gui.workers import TRANSCRIPTION, JobRunner
from app.services.attempts import SavedAttempt, save_recording_as_attempt
from app.services.workspace import Workspace

TICK_MS = 100


class Phase(str, enum.Enum):
    READY = "ready"  # question shown, nothing running (after Esc, or before the first prep)
    PREP = "prep"
    STARTING = "starting"  # opening the microphone
    ANSWER = "answer"
    PROCESSING = "processing"
    FEEDBACK = "feedback"


@dataclass(frozen=True)
class RoundOptions:
    prep_seconds: int | None = None  # None: the question's own time
    answer_seconds: int | None = None
    hard_limit_factor: float = 2.0
    device: str | None = None
    streaming: bool = True  # transcribe while recording (feedback ~1 s after Stop)
    live_captions: bool = False


class PracticeController(QObject):
    phaseChanged = Signal(str)
    questionChanged = Signal(object, int, int)  # Question, index, count
    prepTick = Signal(float)  # seconds left
    answerTick = Signal(float, str)  # seconds recorded, Zone value
    caption = Signal(str)  # live transcript so far (when captions are on)
    level = Signal(float, float)
    processing = Signal(str, float)  # stage, fraction
    feedbackReady = Signal(object)  # SavedAttempt
    message = Signal(str)  # something the person must know (errors, auto-stop)
    roundFinished = Signal()

    def __init__(
        self,
        workspace: Workspace,
        runner: JobRunner,
        options: RoundOptions | None = None,
        sd: Any | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.options = options or RoundOptions()
        self.sd = sd
        self.pack: Pack | None = None
        self.questions: list[Question] = []
        self.index = 0
        self.phase = Phase.READY
        self.session_id: int | None = None
        self._session_pending = False  # the round's session row is still being written (on the pool)
        self._ended_waiting: RecordingResult | None = None  # an answer that ended before that id came
        self.recording: RecordingSession | None = None
        self.stream: StreamingTranscriber | None = None
        self.voice: VoiceTracker | None = None  # pitch and loudness, measured while recording
        self.last_attempt: SavedAttempt | None = None
        self.parent_attempt_id: int | None = None  # set while a follow-up question is asked
        self._follow_up_parents: dict[str, int] = {}  # follow-up question id -> the attempt it follows
        self._prep_deadline = 0.0
        self._caption_relay = _CaptionRelay(self)
        self._caption_relay.text.connect(self.caption)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)

    # -- round -------------------------------------------------------------------------------------
    @property
    def question(self) -> Question | None:
        return self.questions[self.index] if 0 <= self.index < len(self.questions) else None

    def clock(self) -> AnswerClock:
        assert self.question is not None
        target = self.options.answer_seconds or self.question.answer_seconds
        return AnswerClock(target, self.options.hard_limit_factor)

    def prep_seconds(self) -> int:
        assert self.question is not None
        return self.question.prep_seconds if self.options.prep_seconds is None else self.options.prep_seconds

    def begin(
        self,
        pack: Pack,
        questions: list[Question],
        index: int = 0,
        session_id: int | None = None,
        *,
        session_pending: bool = False,
    ) -> None:
        """Start a round. With `session_pending`, `set_session` brings the session id later: the question
        shows at once, and an answer that ends before the id is here waits for it before it is saved."""
        self.pack, self.questions, self.index, self.session_id = pack, list(questions), index, session_id
        self._session_pending, self._ended_waiting = session_pending, None
        self._follow_up_parents = {}
        self._show_question()

    def insert_follow_up(self, question: Question, parent_attempt_id: int) -> None:
        """Ask `question` next, as a follow-up to that attempt (mock interview)."""
        self.questions.insert(self.index + 1, question)
        self._follow_up_parents[question.id] = parent_attempt_id

    def set_session(self, session_id: int | None) -> None:
        """The round's session id, once the pool has written its row (None: it could not be written)."""
        self.session_id, self._session_pending = session_id, False
        waiting, self._ended_waiting = self._ended_waiting, None
        if waiting is not None:
            self._on_recording_ended(waiting)

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phaseChanged.emit(phase.value)

    def _show_question(self) -> None:
        assert self.question is not None
        self.parent_attempt_id = self._follow_up_parents.get(self.question.id)
        self.questionChanged.emit(self.question, self.index, len(self.questions))
        self.start_prep()

    def start_prep(self) -> None:
        seconds = self.prep_seconds()
        if seconds <= 0:
            self.start_answer()
            return
        self._prep_deadline = time.monotonic() + seconds
        self._set_phase(Phase.PREP)
        self.prepTick.emit(float(seconds))
        self._tick.start()

    def next_question(self) -> bool:
        if self.phase in (Phase.ANSWER, Phase.STARTING, Phase.PROCESSING):
            return False
        if self.index + 1 >= len(self.questions):
            self._tick.stop()
            self._set_phase(Phase.READY)
            self.roundFinished.emit()
            return False
        self.index += 1
        self._show_question()
        return True

    def try_again(self) -> None:
        if self.phase in (Phase.FEEDBACK, Phase.READY):
            self._show_question()

    # -- answer ------------------------------------------------------------------------------------
    def start_answer(self) -> None:
        """Skip what is left of the prep (Space) and open the microphone."""
        if self.phase not in (Phase.PREP, Phase.READY, Phase.FEEDBACK):
            return
        assert self.pack is not None and self.question is not None
        self._tick.stop()
        self._set_phase(Phase.STARTING)
        clock = self.clock()
        self.recording = RecordingSession(
            self.runner,
            self.workspace.incoming_folder,
            device=self.options.device,
            max_seconds=clock.hard_limit_s,
            context={
                "pack_id": self.pack.id,
                "question_id": self.question.id,
                "session_id": self.session_id,
                "pack_path": str(self.pack.source) if self.pack.source else None,
                "target_s": clock.target_s,
            },
            sd=self.sd,
            parent=self,
        )
        self.recording.started.connect(self._on_recording_started)
        self.recording.failed.connect(self._on_recording_failed)
        self.recording.level.connect(self.level)
        self.recording.elapsed.connect(self._on_elapsed)
        self.recording.ended.connect(self._on_recording_ended)
        self.stream = None
        if self.options.streaming:
            self.stream = self.workspace.start_stream(
                self.pack, self.question, on_text=self._caption_relay.text.emit if self.options.live_captions else None
            )
            self.recording.recorder.add_listener(self.stream.feed)
        # Pitch and loudness are measured while recording, so Stop has only the last seconds left.
        self.voice = VoiceTracker()
        self.recording.recorder.add_listener(self.voice.feed)
        self.recording.start()

    def _on_recording_started(self) -> None:
        if self.phase is Phase.STARTING:
            self._set_phase(Phase.ANSWER)
            self.answerTick.emit(0.0, Zone.NORMAL.value)

    def _drop_stream(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        if self.voice is not None:
            self.voice.close()
            self.voice = None

    def _on_recording_failed(self, message: str) -> None:
        self._drop_stream()
        self.recording = None
        self._set_phase(Phase.READY)
        self.message.emit(message)

    def _on_elapsed(self, seconds: float) -> None:
        if self.phase is Phase.ANSWER:
            self.answerTick.emit(seconds, self.clock().zone(seconds).value)

    def stop_answer(self) -> None:
        if self.phase is Phase.ANSWER and self.recording is not None:
            self._set_phase(Phase.PROCESSING)
            self.processing.emit("saving audio", 0.0)
            self.recording.stop(StopReason.USER)

    def cancel(self) -> None:
        """Esc: drop the answer in progress without saving; stop the prep."""
        self._tick.stop()
        if self.phase in (Phase.ANSWER, Phase.STARTING) and self.recording is not None:
            self.recording.cancel()
            self.recording = None
            self._drop_stream()
        if self.phase is not Phase.PROCESSING:
            self._set_phase(Phase.READY)

    def _on_recording_ended(self, result: RecordingResult) -> None:
        if result.reason is StopReason.CANCELLED:
            return
        if self._session_pending:  # saved by set_session, so the attempt carries the round's session id
            self._ended_waiting = result
            self._set_phase(Phase.PROCESSING)
            return
        note = describe_end(result)
        if note:
            self.message.emit(note)
        self._set_phase(Phase.PROCESSING)
        assert self.pack is not None and self.question is not None and self.recording is not None
        recorder = self.recording.recorder
        self.runner.start(
            save_recording_as_attempt,
            self.workspace,
            self.pack,
            self.question,
            result.pending,
            session_id=self.session_id,
            settings={
                "device": recorder.device.name if recorder.device else None,
                "stop": result.reason.value,
                "target_s": self.clock().target_s,
            },
            target_s=self.clock().target_s,
            lost_s=result.lost_s,
            on_progress=self.processing,
            stream=self.stream,
            voice=self.voice,
            parent_attempt_id=self.parent_attempt_id,
            on_done=self._on_saved,
            on_error=self._on_processing_failed,
            lane=TRANSCRIPTION,
        )

    # -- answers from elsewhere -----------------------------------------------------------------
    def show_single(self, pack: Pack, question: Question) -> None:
        """Show one question with nothing running (an import or a typed answer chosen outside a round)."""
        self._tick.stop()
        self.pack, self.questions, self.index, self.session_id = pack, [question], 0, None
        self._session_pending, self._ended_waiting = False, None
        self._follow_up_parents, self.parent_attempt_id = {}, None
        self.questionChanged.emit(question, 0, 1)
        self._set_phase(Phase.READY)

    def _answer_elsewhere(self) -> bool:
        """Whether an imported or typed answer may be taken now: never over a live or saving answer."""
        if self.busy or self.pack is None or self.question is None:
            return False
        self._tick.stop()  # the prep countdown would open the microphone over it
        self._set_phase(Phase.PROCESSING)
        return True

    def import_answer(self, path: Path) -> bool:
        """A recording from a file, for the question on screen, through the live answer's save path."""
        from app.services.answers_in import import_answer

        if not self._answer_elsewhere():
            return False
        self.processing.emit("saving audio", 0.0)
        self.runner.start(
            import_answer,
            self.workspace,
            self.pack,
            self.question,
            path,
            session_id=self.session_id,
            parent_attempt_id=self.parent_attempt_id,
            on_progress=self.processing,
            on_done=self._on_saved,
            on_error=self._on_import_failed,
            lane=TRANSCRIPTION,
        )
        return True

    def type_answer(self, text: str) -> bool:
        """A typed answer for the question on screen: judged the same, stored as "typed"."""
        from app.services.answers_in import save_typed_answer

        if not self._answer_elsewhere():
            return False
        self.processing.emit("scoring", 0.0)
        self.runner.start(
            save_typed_answer,
            self.workspace,
            self.pack,
            self.question,
            text,
            session_id=self.session_id,
            parent_attempt_id=self.parent_attempt_id,
            on_done=self._on_saved,
            on_error=self._on_import_failed,
            lane=TRANSCRIPTION,
        )
        return True

    def _on_import_failed(self, message: str) -> None:
        self._set_phase(Phase.READY)
        self.message.emit(f"Nothing was saved: {message}")

    def _on_saved(self, saved: SavedAttempt) -> None:
        self.last_attempt = saved
        self.recording = None
        self.stream = None
        self.voice = None
        if saved.notice:
            self.message.emit(saved.notice)
        self._set_phase(Phase.FEEDBACK)
        self.feedbackReady.emit(saved)

    def _on_processing_failed(self, message: str) -> None:
        self.recording = None
        self.stream = None
        if self.voice is not None:
            self.voice.close()
            self.voice = None
        self._set_phase(Phase.READY)
        self.message.emit(
            f"The answer could not be processed: {message}. Its audio is kept and will be offered for recovery."
        )

    # -- timers ------------------------------------------------------------------------------------
    def _on_tick(self) -> None:
        if self.phase is Phase.PREP:
            left = self._prep_deadline - time.monotonic()
            self.prepTick.emit(max(0.0, left))
            if left <= 0:
                self.start_answer()

    @property
    def busy(self) -> bool:
        return self.phase in (Phase.STARTING, Phase.ANSWER, Phase.PROCESSING)


class _CaptionRelay(QObject):
    """Carries caption text from the streaming worker thread to the GUI thread."""

    text = Signal(str)
