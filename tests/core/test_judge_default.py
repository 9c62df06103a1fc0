"""The app's key points are judged by the entailment judge, and the cases the issue reported are
judged as a careful interviewer would: paraphrases and story moments ticked, an example in a point
not required, and a point's topic without its claim not ticked."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.packs import KeyPoint, load_pack
from app.core.scoring.entailment import EntailmentJudge
from app.services.workspace import Workspace
from tests.core.test_star import words as timed

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


@pytest.fixture(scope="module")
def default_scorer(tmp_path_factory):
    workspace = Workspace(tmp_path_factory.mktemp("data"))
    yield workspace.scorer()
    workspace.close()


def covered(scorer, point: str, answer: str) -> bool:
    [result] = scorer.score([KeyPoint(point)], timed(answer))
    return result.covered


def test_the_default_scorer_is_the_third_build_of_the_judge(default_scorer) -> None:
    assert isinstance(default_scorer, EntailmentJudge) and default_scorer.name == "minilm-entailment-v3"


@pytest.mark.parametrize(
    ("point", "answer"),
    [
        (
            "Uses early stopping",
            "I watch the loss on held-out data while it trains and stop training as soon as it stops improving.",
        ),
        (
            "Warned stakeholders early",
            "As soon as I saw we would slip, I told my manager and the client the same day, before it was a surprise.",
        ),
        (
            "Takes personal responsibility for the failure",
            "Honestly that one was on me. I underestimated the data cleaning and I should have flagged it sooner.",
        ),
    ],
    ids=["paraphrase", "story-warned", "story-owned"],
)
@pytest.mark.xfail(
    strict=True,
    reason="known miss of the third build (P 0.25-0.52 against 0.89): one-sentence paraphrases and story moments "
    "that share no words with the point; the issue's goal, not met (resources/models/judge/MODEL_CARD.md)",
)
def test_points_made_in_other_words_are_covered(default_scorer, point: str, answer: str) -> None:
    assert covered(default_scorer, point, answer)


def test_a_points_topic_without_its_claim_is_not_covered(default_scorer) -> None:
    assert not covered(
        default_scorer,
        "A crash in one process does not take down the others",
        "Each process gets its own address space, and the operating system schedules them separately.",
    )


def test_a_plain_analogy_covers_the_built_in_analogy_point(default_scorer) -> None:
    analogy = load_pack(QUESTIONS / "ml-interpretability.yaml").question("explain-model-to-non-technical")
    point = next(kp for kp in analogy.key_points if "analogy" in kp.text)
    [result] = default_scorer.score([point], timed("I start from their decision and I use a simple analogy."))
    assert result.covered, result.score


@pytest.mark.xfail(
    strict=True,
    reason="known miss of the third build: 'a machine learning engineer with five years of experience' scores 0.78, "
    "'I am proud of auditing a lending model' 0.87, 'reduced complaints by twenty percent' 0.29 and the next-step "
    "sentence 0.70 against 0.89 (the second build ticked them, on the whole answer's sound: the first and third "
    "sentences alone scored 0.57 and 0.21 with it); resources/models/judge/MODEL_CARD.md",
)
def test_tell_me_about_yourself_answered_well_covers_its_points(default_scorer) -> None:
    about = load_pack(QUESTIONS / "behavioural-core.yaml").question("tell-me-about-yourself")
    answer = timed(
        "I am a machine learning engineer with five years of experience. I started in data science at a bank, "
        "which taught me to explain every number to people outside the team. I am proud of auditing a lending "
        "model with SHAP, which reduced complaints by twenty percent. I enjoy turning models into decisions "
        "people trust, and this role puts interpretability at the core of the work, which is my next step."
    )
    results = default_scorer.score(list(about.key_points), answer)
    # The fifth point asks for the work they enjoy AND are good at: only the first half is said (partial).
    expected = [True, True, True, True, False, True]
    assert [r.covered for r in results] == expected, [round(r.score, 2) for r in results]


def test_a_long_answer_does_not_cover_the_points_of_another_question(default_scorer) -> None:
    answer = timed(
        "So for rate limiting I would put a token bucket per client in front of the API, um, each client gets "
        "a bucket that refills at a steady rate, and every request takes a token. When the bucket is empty the "
        "request gets a 429 with a Retry-After header, so well-behaved clients back off instead of hammering us. "
        "I keep the buckets in Redis so that every instance of the service sees the same counts, and I use a "
        "small Lua script so the check and the decrement happen in one step. For bursts, the bucket size lets a "
        "client spend a few requests at once, and the refill rate caps the average. I would also log every "
        "rejection with the client id, so we can see who hits the limit and whether the limit is set right, "
        "and I would start with generous limits and tighten them once we have a week of real traffic."
    )
    elsewhere = [
        KeyPoint("Names a time they disagreed with their manager"),
        KeyPoint("Their current role and years of experience"),
        KeyPoint("Deploys the model with Kubernetes and autoscaling"),
    ]
    results = default_scorer.score(elsewhere, answer)
    assert not any(r.covered for r in results), [round(r.score, 2) for r in results]


# The left-out point scores 0.88 against the third build's 0.89 (the made ones 0.95-0.98): a thin margin
# (MODEL_CARD.md, Known limits).
def test_a_long_answer_does_not_cover_the_point_it_leaves_out(default_scorer) -> None:
    question = load_pack(QUESTIONS / "ml-interpretability.yaml").question("what-is-interpretability")
    answer = timed(
        "Okay, so, um, for me interpretability is really about whether a person can follow why the model "
        "came out with a particular answer, like, what actually pushed it there. And there are two levels to "
        "that. You can look at how the model behaves overall, across everything, or you can zoom in on one "
        "single prediction and explain just that case. Why it matters, uh, first of all for debugging. I've "
        "seen a model that looked brilliant and it turned out it was keying on a hospital ID that leaked the "
        "label, and we only caught that because we looked at what it relied on. Then there's the legal side, "
        "you know, if you turn someone down for a loan you're expected to give them real reasons. And one "
        "thing I always say is that explaining a black box after the fact is only ever an approximation of "
        "it, whereas a model that's simple by design, the explanation is the model. In my last team we "
        "wrote these up in a short model card for every release, so reviewers knew what to look at."
    )
    results = default_scorer.score(list(question.key_points), answer)
    left_out = ["protected attributes" in r.point for r in results]
    assert [r.covered for r in results] == [not out for out in left_out], [round(r.score, 2) for r in results]
