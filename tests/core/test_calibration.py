"""A personal threshold from the person's corrections: adopted only when it agrees with them better."""

from __future__ import annotations

import random
import re
from pathlib import Path

from app.core.analysis import judge_transcript
from app.core.packs import load_pack
from app.core.paths import DataDir
from app.core.scoring.calibration import Judgement, calibrate
from app.core.scoring.recall import DEFAULT_THRESHOLD
from app.core.transcribe.transcript import Transcript, Word
from app.services.workspace import Workspace

PACKS = [
    Path(__file__).resolve().parents[2] / "questions" / f"{name}.yaml"
    for name in ("ml-interpretability", "behavioural-core")
]


def person(threshold: float, attempts: int = 12, points: int = 5, seed: int = 1) -> list[Judgement]:
    """Judgements of a person who counts a point as covered from `threshold` on, with the scorer's default verdicts."""
    rng = random.Random(seed)
    out = []
    for attempt in range(attempts):
        for _ in range(points):
            score = rng.uniform(0.3, 0.8)
            covered = score >= threshold
            out.append(Judgement(attempt, score, covered, covered != (score >= DEFAULT_THRESHOLD)))
    return out


def test_a_lenient_person_gets_a_lower_threshold_that_agrees_with_them_better() -> None:
    result = calibrate(person(0.48), DEFAULT_THRESHOLD)
    assert result.adopted and 0.46 <= result.threshold <= 0.50
    assert result.agreement_personal > result.agreement_default + 0.02
    assert "learned from your" in result.describe()


def test_a_person_who_agrees_with_the_default_keeps_it() -> None:
    judgements = person(DEFAULT_THRESHOLD + 0.004)  # one or two borderline corrections at most
    result = calibrate(judgements, DEFAULT_THRESHOLD, min_corrections=1)
    assert not result.adopted and result.threshold == DEFAULT_THRESHOLD


def test_too_few_corrections_teach_nothing() -> None:
    judgements = person(0.48, attempts=2)
    result = calibrate(judgements, DEFAULT_THRESHOLD)
    assert not result.adopted and "corrections needed" in result.describe()


def test_the_threshold_never_moves_far_from_the_default() -> None:
    result = calibrate(person(0.2), DEFAULT_THRESHOLD)
    assert result.adopted and result.threshold >= DEFAULT_THRESHOLD - 0.1 - 1e-9


def test_corrections_in_the_database_recalibrate_the_workspace_scorer(data_dir: DataDir) -> None:
    """Real scorer, real SQLite: the first two sentences of the built-in packs' reference answers, each judged as an
    answer, then corrected by a lenient person."""
    workspace = Workspace(data_dir)
    scorer = workspace.scorer()
    default = scorer.default_threshold  # the app's key-point scorer and its own threshold
    assert scorer.threshold == default and workspace.calibration and not workspace.calibration.adopted
    lenient = default - 0.1
    corrected = 0
    for pack, question in [(p, q) for p in map(load_pack, PACKS) for q in p.questions]:
        for sentence in re.split(r"(?<=[.?!])\s+", (question.reference_answer or "").strip())[:2]:
            words = [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(sentence.split())]
            analysis = judge_transcript(pack, question, Transcript(words, words, 20.0), scorer)
            attempt_id = workspace.history.save_attempt(pack, question, analysis, None)
            for position, result in enumerate(analysis.key_points):
                if not result.covered and result.score >= lenient:
                    workspace.correct_judgement(attempt_id, position, True)
                    corrected += 1
    assert corrected >= 8, corrected
    assert workspace.calibration is not None and workspace.calibration.adopted
    assert lenient - 0.01 <= scorer.threshold < default
    # A new session reads the same corrections and starts with the same threshold.
    again = Workspace(data_dir)
    assert again.scorer().threshold == scorer.threshold
    again.close()
    workspace.close()
