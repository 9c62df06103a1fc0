"""One answer, start to finish: transcribe it, judge the key points, measure the delivery."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.packs.model import Pack, Question
from app.core.scoring.delivery import Delivery, analyse_delivery
from app.core.scoring.entailment import EntailmentJudge
from app.core.scoring.hedges import find_hedges, overused_words
from app.core.scoring.keypoints import KeyPointScorer, PointResult
from app.core.scoring.shape import answer_shape
from app.core.scoring.star import StarCheck, check_story, is_story_question
from app.core.scoring.voice import Baseline, VoiceTrack, measure_voice, voice_track
from app.core.transcribe.transcriber import Transcriber
from app.core.transcribe.transcript import Transcript

Progress = Callable[[str, float], None]

log = logging.getLogger(__name__)


@dataclass
class AnswerAnalysis:
    pack_id: str
    question_id: str
    transcript: Transcript
    delivery: Delivery
    key_points: list[PointResult]
    scorer: str
    star: list[StarCheck] | None = None  # behavioural questions: which parts of the story were told

    @property
    def covered_count(self) -> int:
        return sum(r.judged_covered for r in self.key_points)

    @property
    def coverage(self) -> float:
        return self.covered_count / len(self.key_points) if self.key_points else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `rehearse score --json`."""
        delivery = self.delivery.to_dict()
        return {
            "pack_id": self.pack_id,
            "question_id": self.question_id,
            "transcript": self.transcript.text,
            "raw_transcript": self.transcript.raw_text,
            "corrections": [{"from": c.original, "to": c.corrected} for c in self.transcript.corrections],
            "duration_s": delivery["duration_s"],
            "target_s": delivery["target_s"],
            "length_verdict": delivery["length_verdict"],
            "speech_start_s": delivery["speech_start_s"],
            "words_per_minute": delivery["words_per_minute"],
            "word_count": delivery["word_count"],
            "fillers": [{"word": f["word"], "start_s": f["start_s"]} for f in delivery["fillers"]],
            "long_pauses": [{"start_s": p["start_s"], "end_s": p["end_s"]} for p in delivery["long_pauses"]],
            "key_points": [r.to_dict() for r in self.key_points],
            "coverage": round(self.coverage, 4),
            "model": self.transcript.model,
            "scorer": self.scorer,
            "words": [w.to_dict() for w in self.transcript.words],
            "star": None if self.star is None else [s.to_dict() for s in self.star],
            # How it sounded (issue 18); the voice contour is left to the stored attempt.
            "voice": None
            if self.delivery.voice is None
            else {k: v for k, v in delivery["voice"].items() if k != "contour"},
            "hedges": delivery.get("hedges"),
            "overused": delivery.get("overused"),
            "shape": delivery.get("shape"),
        }


def judge_transcript(
    pack: Pack,
    question: Question,
    transcript: Transcript,
    scorer: KeyPointScorer,
    target_s: float | None = None,
    story_judge: EntailmentJudge | None = None,
    voice: VoiceTrack | None = None,
    baseline: Baseline | None = None,
) -> AnswerAnalysis:
    """Scoring alone, for a transcript already made (streaming, re-scoring, tests on text).

    `target_s` is the target the person practised against (Preferences may override the pack's);
    with a `story_judge`, a behavioural answer also says which STAR parts it told. With the
    answer's `voice` track (Praat), the delivery also carries pitch, loudness and rate, judged
    against the speaker's `baseline` once they have one.
    """
    story = story_judge is not None and is_story_question(question)
    words = transcript.words
    delivery = analyse_delivery(
        words,
        transcript.duration_s,
        target_s or question.answer_seconds,
        speech=transcript.speech,
        gaps=transcript.gaps,
    )
    key_points = scorer.score(question.key_points, words)
    star = check_story(story_judge, words) if story_judge is not None and story else None
    delivery.hedges = find_hedges(words, transcript.language)
    delivery.overused = overused_words(words, transcript.language)
    delivery.shape = answer_shape(words, key_points, star)
    if voice is not None:
        delivery.voice = measure_voice(voice, words, baseline)
    return AnswerAnalysis(
        pack_id=pack.id,
        question_id=question.id,
        transcript=transcript,
        delivery=delivery,
        key_points=key_points,
        scorer=scorer.name,
        star=star,
    )


def measured_voice(audio: np.ndarray) -> VoiceTrack | None:
    """The whole recording's Praat track; a failure costs only the voice figures (logged)."""
    try:
        return voice_track(audio)
    except Exception:
        log.exception("the voice of this answer could not be measured; saved without voice figures")
        return None


def analyse_answer(
    audio: np.ndarray,
    pack: Pack,
    question: Question,
    transcriber: Transcriber,
    scorer: KeyPointScorer,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    target_s: float | None = None,
    story_judge: EntailmentJudge | None = None,
    baseline: Baseline | None = None,
) -> AnswerAnalysis:
    """Transcribe with the question-aware prompt, then judge. `progress(stage, fraction)` is optional."""

    def transcribing(fraction: float) -> None:
        if progress:
            progress("transcribing", fraction)

    transcript = transcriber.transcribe(
        audio,
        question_text=question.text,
        glossary=pack.glossary_for(question),
        reference_answer=question.reference_answer,
        progress=transcribing,
        cancel=cancel,
    )
    if progress:
        progress("scoring", 0.0)
    analysis = judge_transcript(
        pack, question, transcript, scorer, target_s, story_judge, measured_voice(audio), baseline
    )
    if progress:
        progress("done", 1.0)
    return analysis
