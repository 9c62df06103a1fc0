"""The composition root of the core: one data folder, its packs, history, model and scorer.

Each part is built on first use, so `rehearse packs` never loads Whisper and the GUI can show
its window while the model loads in the background.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.packs import PackLibrary
from app.core.paths import DataDir, builtin_packs_dir
from app.core.scoring.calibration import Calibration, calibrate
from app.core.scoring.entailment import EntailmentJudge, story_judge_dir
from app.core.scoring.keypoints import KeyPointScorer, ThresholdScorer
from app.core.scoring.recall import TokenRecallScorer
from app.core.scoring.star import is_story_question, part_probabilities
from app.core.scoring.voice import warm_up as voice_warm_up
from app.core.transcribe.decoding import DecodeOptions
from app.core.transcribe.models import ModelInfo, load_whisper
from app.core.transcribe.transcriber import Transcriber
from app.core.transcribe.transcript import Word
from app.services.packs import PackService
from app.services.practice import PracticeService
from app.services.review import ReviewService

log = logging.getLogger(__name__)

# Key points are judged by the entailment judge (resources/models/judge): on unseen in-domain
# questions it agrees with a careful grader on 0.82 of points where token recall agrees on 0.56
# (README, "How well key points are judged"). False: token recall, the scorer before it.
KEY_POINTS_BY_JUDGE = True

if TYPE_CHECKING:
    from app.core.packs.model import Pack, Question
    from app.core.ports import HistoryStore
    from app.core.transcribe.streaming import StreamingTranscriber


class Workspace:
    """One data folder with its packs, history store, speech model and judges.

    The parts can be handed in (a test's models loaded once per session, another HistoryStore);
    what is not handed in is built from the data folder on first use.
    """

    def __init__(
        self,
        data_dir: DataDir | Path | None = None,
        model_setting: str | None = None,
        cpu_threads: int = 0,
        *,
        history: HistoryStore | None = None,
        transcriber: Transcriber | None = None,
        scorer: KeyPointScorer | None = None,
        judge: EntailmentJudge | None = None,
        story_judge: EntailmentJudge | None = None,
    ) -> None:
        self.data_dir = data_dir if isinstance(data_dir, DataDir) else DataDir(data_dir)
        self.model_setting = model_setting
        self.cpu_threads = cpu_threads
        self.library = PackLibrary(builtin_packs_dir(), self.data_dir.packs)
        self._history: HistoryStore | None = history
        self._transcriber: Transcriber | None = transcriber
        self._scorer: KeyPointScorer | None = scorer  # handed in: used as it is, not calibrated
        self._judge: EntailmentJudge | None = judge
        self._story_judge: EntailmentJudge | None = story_judge
        self.calibration: Calibration | None = None  # the threshold in use and why, once the scorer is loaded
        # What the GUI talks to (on the pool), never the history store itself:
        self.review = ReviewService(lambda: self.history, self.library)
        self.practice = PracticeService(lambda: self.history, self.library)
        self.packs = PackService(self.library, self.data_dir.packs)
        # One lock per part, so that opening the history never waits on Whisper loading (~1 s).
        # Order when nested: scorer, then history.
        self._history_lock = threading.Lock()
        self._model_lock = threading.Lock()
        self._scorer_lock = threading.RLock()

    @property
    def history(
        self,
    ) -> HistoryStore:  # the SQLite adapter unless one was handed in; imported late to keep `packs` fast
        with self._history_lock:
            if self._history is None:
                from app.db.history import History

                self._history = History.open(self.data_dir)
            return self._history

    def transcriber(self) -> Transcriber:
        """Load the configured model once (falls back to the embedded one, see ModelInfo.fallback_reason)."""
        with self._model_lock:
            if self._transcriber is None:
                model, info = load_whisper(self.model_setting, self.data_dir.models, self.cpu_threads)
                self._transcriber = Transcriber(model, info, DecodeOptions())
            return self._transcriber

    def set_model(self, setting: str | None) -> None:
        """Use another model from the next transcription on (loaded on first use)."""
        with self._model_lock:
            self.model_setting = setting
            self._transcriber = None

    def load_models(self) -> ModelInfo:
        """Load and warm up every model an answer needs, so the first Stop waits on none of them:
        Whisper, the key-point scorer, the story judge (behavioural answers' STAR parts, 0.5 s to load) and
        Praat (its first import holds the interpreter lock for ~0.1 s, which would stall the window
        while someone records)."""
        transcriber = self.transcriber()
        self.scorer()
        self.story_judge()
        transcriber.warm_up()
        try:
            voice_warm_up()
        except Exception:  # noqa: BLE001  (the voice figures are optional; recording goes on without them)
            log.warning("Praat could not be warmed up; the first answer may stall briefly", exc_info=True)
        return transcriber.info

    @property
    def folder(self) -> Path:
        """The data folder (History, recordings, logs, the person's packs)."""
        return self.data_dir.root

    @property
    def incoming_folder(self) -> Path:
        """Where recordings wait until their attempt is saved (and are recovered from after a crash)."""
        return self.data_dir.incoming

    def judging_summary(self) -> str | None:
        """How key points are judged for this person (the threshold and why), once the scorer is loaded."""
        return self.calibration.describe() if self.calibration else None

    @property
    def model_info(self) -> ModelInfo | None:
        return self._transcriber.info if self._transcriber else None

    def scorer(self) -> KeyPointScorer:
        with self._scorer_lock:
            if self._scorer is None:
                scorer: KeyPointScorer = self.judge() if KEY_POINTS_BY_JUDGE else TokenRecallScorer()
                if isinstance(scorer, TokenRecallScorer):
                    scorer.embedder.load()
                self._scorer = scorer
                if isinstance(scorer, ThresholdScorer):
                    self._calibrate(scorer)
            return self._scorer

    def judge(self) -> EntailmentJudge:
        """The entailment cross-encoder that judges key points (when KEY_POINTS_BY_JUDGE is on)."""
        with self._scorer_lock:
            if self._judge is None:
                self._judge = EntailmentJudge().load()
            return self._judge

    def story_judge(self) -> EntailmentJudge:
        """The judge of a behavioural story's STAR parts (a build of its own, resources/models/star)."""
        with self._scorer_lock:
            if self._story_judge is None:
                self._story_judge = EntailmentJudge(story_judge_dir(), recall=self._shared_recall()).load()
            return self._story_judge

    def _shared_recall(self) -> TokenRecallScorer | None:
        """The key-point scorer's token recall, so that the judges load one MiniLM embedder, not two."""
        if self._judge is not None:
            return self._judge.recall
        return self._scorer if isinstance(self._scorer, TokenRecallScorer) else None

    def _calibrate(self, scorer: ThresholdScorer) -> None:
        """Use the person's own threshold where their corrections show it agrees with them better."""
        try:
            judgements = self.history.reviewed_judgements(scorer.name)
        except Exception:  # noqa: BLE001  (an unreadable history must not stop scoring)
            log.warning("could not read corrections for calibration", exc_info=True)
            return
        self.calibration = calibrate(judgements, scorer.default_threshold)
        scorer.threshold = self.calibration.threshold

    def correct_judgement(self, attempt_id: int, position: int, covered: bool | None) -> float:
        """Store the person's correction of one key point (None withdraws it) and learn from it;
        returns the attempt's new coverage."""
        coverage = self.history.set_override(attempt_id, position, covered)
        with self._scorer_lock:
            if isinstance(self._scorer, ThresholdScorer):
                self._calibrate(self._scorer)
        return coverage

    def start_stream(
        self, pack: Pack, question: Question, on_text: Callable[[str], None] | None = None
    ) -> StreamingTranscriber:
        """Transcribe an answer while it is recorded, prompted for this question; each finished
        chunk also warms the scorer, so that feedback after Stop waits only on the last sentence."""
        from app.core.transcribe.streaming import StreamingTranscriber

        story = is_story_question(question)

        def warm(words: list[Word]) -> None:
            warm_scorer = getattr(self.scorer(), "warm", None)
            if warm_scorer is not None:
                warm_scorer(words, question.key_points)
            if story:  # the STAR parts are judged at Stop too
                part_probabilities(self.story_judge(), words)

        return StreamingTranscriber(
            self.transcriber,
            question_text=question.text,
            glossary=pack.glossary_for(question),
            reference_answer=question.reference_answer,
            on_text=on_text,
            on_words=warm,
        )

    def open_history(self) -> None:
        """Open (and migrate) the store now, on the caller's thread: the app does it on the pool at
        start-up, so that a database that cannot be used is reported then (app.services.storage.DatabaseError)."""
        self.history  # noqa: B018

    def close(self) -> None:
        for judge in (self._judge, self._story_judge):
            if judge is not None:
                judge.close()
        if self._history is not None:
            self._history.close()
