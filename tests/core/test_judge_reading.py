"""The judge reads the windows of an answer in order and stops reading a point once a window has
made it beyond doubt: verdicts are those of reading every window, under the default and any
personal threshold, and at Stop only the points not yet made read the new words. Real judge,
real answers from the in-domain grading set."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.core.packs import KeyPoint
from app.core.scoring.calibration import MAX_SHIFT
from app.core.scoring.entailment import EntailmentJudge
from app.core.scoring.star import PARTS, check_story, part_probabilities, thresholds
from tests.core.test_star import words as timed

INTERVIEW = Path(__file__).resolve().parents[1] / "data" / "eval" / "grading" / "interview"

MADE_EARLY = (
    "Um, so the first thing I do against overfitting is early stopping: I watch the loss on the "
    "held-out set after every epoch and I stop training as soon as it stops getting better, and I "
    "keep the weights from the best epoch. "
)
PADDING = (
    "Then, you know, I write down what I tried and what happened, so that the next person on the "
    "team can see why we made each choice and what the numbers were at the time. "
)
# What follows the made point in the key-point test: varied sentences that make neither point (the same sentence
# said eight times, as PADDING * 8, scores 0.90 for the Kubernetes point with the third build: the degenerate
# repetition, not a point made).
NOTES = (
    "Then, you know, I write down what I tried and what happened, so the next person can see why we made each choice. "
    "We keep those notes in the repository next to the code, and, um, they get reviewed like any other change. "
    "When a teammate picks up the work later they usually start from that page rather than asking around. "
    "I also try to say which numbers came from which run, because otherwise nobody can reproduce anything. "
    "Honestly the hardest part is keeping it short enough that people actually read it. "
    "So I put the decision and the reason first, and the details underneath for whoever needs them. "
    "Once a month or so we go through the old notes and delete what no longer applies. "
    "It sounds boring, but it saves a lot of time when someone new joins the team and has questions. "
    "And when a result looks strange months later, the notes are usually where the answer is. "
    "That habit came from my first job, where a senior engineer did it for every project she touched. "
    "I picked it up from her and I have kept it ever since, even on small side projects of my own. "
    "In the end it is mostly about being kind to whoever comes after you, which is often yourself. "
)
POINTS = [
    KeyPoint("Uses early stopping on a validation set to avoid overfitting"),
    KeyPoint("Deploys the model with Kubernetes and autoscaling"),
]


def long_answers() -> list[tuple[list[str], str]]:
    """(key points, answer) of the set's answers long enough for several windows."""
    questions = {
        q["qid"]: q for q in map(json.loads, (INTERVIEW / "questions.jsonl").read_text(encoding="utf-8").splitlines())
    }
    out = []
    for line in (INTERVIEW / "answers.jsonl").read_text(encoding="utf-8").splitlines():
        answer = json.loads(line)
        if len(answer["text"].split()) >= 150 and len(out) < 16:
            out.append(([p["text"] for p in questions[answer["qid"]]["key_points"]], answer["text"]))
    return out


@pytest.fixture(scope="module")
def reading_judge(judge: EntailmentJudge, tmp_path_factory: pytest.TempPathFactory) -> EntailmentJudge:
    """The shipped key-point model with its default threshold set to 0.82, so that `sure` is 0.92 (the point made
    early below scores 0.948, each pair read alone: room for another CPU's int8 kernels). The shipped
    threshold (0.89) puts `sure` at 0.99, which the third build's windows rarely reach (none in the set's 48 first
    long answers): it then reads every point's new windows at Stop (timed by bench_grading), and its verdicts are
    those of reading every window trivially. The reading itself does not depend on the threshold."""
    folder = tmp_path_factory.mktemp("reading-judge")
    (folder / "model.onnx").symlink_to(judge.model_dir / "model.onnx")
    settings = json.loads((judge.model_dir / "judge.json").read_text(encoding="utf-8"))
    (folder / "judge.json").write_text(json.dumps({**settings, "threshold": 0.82}), encoding="utf-8")
    return EntailmentJudge(folder, recall=judge.recall).load()


def count_pairs(judge: EntailmentJudge, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The key points of the (point, window) pairs the real model is run on from now."""
    seen: list[str] = []
    forward = judge._forward

    def counting(pairs):
        seen.extend(point for point, _window in pairs)
        return forward(pairs)

    monkeypatch.setattr(judge, "_forward", counting)
    return seen


def test_a_points_probability_does_not_depend_on_the_points_judged_beside_it(judge: EntailmentJudge) -> None:
    """The int8 model scales its activations over the whole input: run in batches, a window's
    probability for one point moved with the other points and windows beside it (by up to 0.1, across
    the threshold), so one key point more in a pack, or a window read while recording rather than at
    Stop, could change a verdict. Each pair is read alone."""
    fresh = EntailmentJudge(judge.model_dir, recall=judge.recall).load()
    for texts, answer in long_answers()[:4]:
        words = timed(answer)
        fresh._cache.clear()
        together = fresh.window_probabilities(texts, words)
        for i, text in enumerate(texts):
            fresh._cache.clear()
            alone = fresh.window_probabilities([text], words)[0]
            assert together[i] == pytest.approx(alone, abs=1e-6), (text, answer[:60])
    # Closed (the workspace closes its judges on quit), a late call is still answered, the same.
    fresh.close()
    fresh._cache.clear()
    assert fresh.window_probabilities(texts, words) == pytest.approx(together, abs=1e-6)


def test_verdicts_are_those_of_reading_every_window_under_any_threshold_in_use(reading_judge: EntailmentJudge) -> None:
    judge = reading_judge
    answers = long_answers()
    assert len(answers) >= 8
    levels = [judge.default_threshold + shift for shift in (-MAX_SHIFT, 0.0, MAX_SHIFT)]
    skipped = 0
    for texts, answer in answers:
        words = timed(answer)
        every = judge.window_probabilities(texts, words).max(axis=1)
        results = judge.score([KeyPoint(t) for t in texts], words)
        read = judge.window_probabilities(texts, words, stop_at=[judge.sure] * len(texts))
        skipped += int(np.isnan(read).sum())
        for level in levels:
            assert [r.score >= level for r in results] == [p >= level for p in every], (answer[:60], level)
        # A point not settled early is judged on its best window, as before.
        for r, p in zip(results, every):
            if p < judge.sure:
                assert r.score == pytest.approx(p)
    assert skipped > 0, "no window was left unread: nothing here shows the reading stops"


def test_at_stop_a_point_made_early_is_not_read_again(
    reading_judge: EntailmentJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While recording, the finished chunks warm the judge; at Stop the new words are read only
    for the point still missing."""
    judge = reading_judge
    answer = MADE_EARLY + NOTES
    words = timed(answer)
    assert len(words) > 240
    judge._cache.clear()
    judge.warm(words[:-30], POINTS)
    read = count_pairs(judge, monkeypatch)
    made, missing = judge.score(POINTS, words)
    assert made.covered and made.score >= judge.sure and not missing.covered
    assert read and set(read) == {POINTS[1].text}, "the point made early was read again"


def test_a_story_part_told_early_is_not_read_again(story_judge: EntailmentJudge) -> None:
    story = (
        "Last year our team was two weeks from a launch when the payments vendor changed their API. "
        "I was the one responsible for the integration, so it was my job to get it working in time. "
    )
    words = timed(story + PADDING * 6)
    limits = thresholds(story_judge)
    every = story_judge.window_probabilities([p.hypothesis for p in PARTS], words).max(axis=1)
    checks = check_story(story_judge, words)
    assert [c.present for c in checks] == [p >= limits[part.name] for p, part in zip(every, PARTS)]
    assert checks[0].present, "the situation is told in the first window"
    read = part_probabilities(story_judge, words)
    assert np.isnan(read[0, 1:]).all(), "the situation was read again after the window that told it"
