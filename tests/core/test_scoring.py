"""Key-point judgement with the real MiniLM model: paraphrase passes, repetition with a twist does not."""

from __future__ import annotations

import pytest

from app.core.packs import KeyPoint
from app.core.scoring import LexicalScorer, TokenRecallScorer
from app.core.scoring.spans import candidate_spans
from app.core.transcribe.transcript import Word

POINTS = [
    KeyPoint(
        "SHAP attributes a prediction to features with Shapley values from cooperative game theory",
        ("Shapley", "game theory"),
    ),
    KeyPoint("LIME fits a simple, interpretable surrogate model around one prediction", ("surrogate", "perturb")),
    KeyPoint("Permutation importance must be measured on held-out data", ("held-out",)),
]


def timed(text: str) -> list[Word]:
    return [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(text.split())]


def covered(scorer: TokenRecallScorer, text: str) -> list[bool]:
    return [r.covered for r in scorer.score(POINTS, timed(text))]


def test_paraphrases_are_covered_with_the_right_evidence(scorer: TokenRecallScorer) -> None:
    text = (
        "Um, so SHAP takes the Shapley value idea from game theory and splits one prediction among the features. "
        "For permutation importance I always shuffle a column on a validation set the model never trained on. "
        "And LIME perturbs the example and trains a small linear surrogate locally."
    )
    results = scorer.score(POINTS, timed(text))
    assert [r.covered for r in results] == [True, True, True]
    assert "Shapley" in results[0].evidence.text and "surrogate" in results[1].evidence.text
    assert "permutation" in results[2].evidence.text.lower()
    for r in results:
        assert r.threshold == scorer.threshold and r.score >= r.threshold
        assert r.start_s is not None and r.end_s > r.start_s


def test_an_unrelated_answer_covers_nothing(scorer: TokenRecallScorer) -> None:
    text = "Last weekend I cooked a big pot of tomato soup with basil and garlic, and my family loved it."
    results = scorer.score(POINTS, timed(text))
    assert not any(r.covered for r in results)
    assert "shapley" in results[0].missing_words and "surrogate" in results[1].missing_words


def test_repeating_the_words_while_denying_the_claim_is_not_coverage(scorer: TokenRecallScorer) -> None:
    text = "SHAP does not use Shapley values or game theory at all. LIME never fits a surrogate model."
    assert covered(scorer, text)[:2] == [False, False]


def test_lexical_baseline_is_fooled_where_the_semantic_scorer_is_not(scorer: TokenRecallScorer) -> None:
    text = "Shapley values and game theory do not attribute a prediction to features in SHAP."
    assert LexicalScorer().score(POINTS[:1], timed(text))[0].covered
    assert not scorer.score(POINTS[:1], timed(text))[0].covered


def test_no_words_means_nothing_covered(scorer: TokenRecallScorer) -> None:
    results = scorer.score(POINTS, [])
    assert [r.covered for r in results] == [False] * 3 and all(r.evidence is None for r in results)


def test_spans_cover_sentences_clauses_and_windows() -> None:
    words = timed("First idea here. Second idea, and a third one follows " + " ".join(f"w{i}" for i in range(30)))
    spans = candidate_spans(words)
    texts = {s.text for s in spans}
    assert "First idea here." in texts
    assert any(s.start == 3 for s in spans)  # the second sentence
    assert max(s.end for s in spans) == len(words)
    assert all(0 <= s.start < s.end <= len(words) for s in spans)


def test_fillers_are_dropped_from_span_text_but_not_from_indices() -> None:
    spans = candidate_spans(timed("Um, SHAP uses, uh, Shapley values."))
    whole = next(s for s in spans if s.start == 0 and s.end == 6)
    assert whole.text == "SHAP uses, Shapley values."


def test_a_negated_paraphrase_is_coverage_when_the_negation_falls_on_other_words(scorer: TokenRecallScorer) -> None:
    # Beetle's lesson: "not connected" said for "in different states" is right, not a denial.
    point = KeyPoint("LIME explanations change from run to run because the perturbation samples are random")
    text = "Honestly LIME is not stable, you rerun it and the explanation changes, because it samples random perturbations."
    assert scorer.score([point], timed(text))[0].covered


def test_a_missed_point_says_what_was_missing_and_where_it_came_closest(scorer: TokenRecallScorer) -> None:
    text = "Um, I have used SHAP on credit models for two years, mostly to show which features mattered."
    result = scorer.score(POINTS[:1], timed(text))[0]
    assert not result.covered and result.score < result.threshold
    assert {"shapley", "cooperative", "game", "theory"} <= set(result.missing_words)
    assert "shap" not in result.missing_words and "features" not in result.missing_words
    assert result.evidence is not None and "SHAP" in result.evidence.text


def test_stretches_do_not_change_as_words_are_appended() -> None:
    from app.core.scoring.recall import stretches

    text = " ".join(f"word{i}." if i % 17 == 16 else f"word{i}" for i in range(200))
    words = timed(text)
    final = stretches(words)
    for n in range(1, len(words)):
        partial = stretches(words[:n])
        assert partial[:-1] == final[: len(partial) - 1]
    assert all(len(s) <= 48 for s in final) and sorted(i for s in final for i in s) == list(range(200))


def test_warming_during_the_answer_leaves_only_the_last_stretch_for_stop() -> None:
    from app.core.scoring.embedder import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    scorer = TokenRecallScorer(embedder)
    text = (
        "SHAP takes the Shapley value idea from game theory. " * 4
        + "LIME perturbs the example and fits a surrogate. " * 4
        + "Permutation importance is measured on held-out data."
    )
    words = timed(text)
    encoded: list[int] = []
    real_run = embedder._run_words
    embedder._run_words = lambda batch: (encoded.append(len(batch)), real_run(batch))[1]
    scorer.warm(words[:60], POINTS)
    before = sum(encoded)
    cold = TokenRecallScorer(MiniLMEmbedder()).score(POINTS, words)
    warm = scorer.score(POINTS, words)
    assert sum(encoded) - before <= 2  # the open stretch at warm time, and the one after it
    assert [r.covered for r in warm] == [r.covered for r in cold] == [True, True, True]
    assert [round(r.score, 4) for r in warm] == [round(r.score, 4) for r in cold]


def test_a_judge_warmed_with_the_whole_answer_judges_nothing_at_stop(judge) -> None:
    """After a pause's speculative pass handed over every word, Stop needs no forward pass; after a
    chunk, only the windows the later words touch are judged again."""
    text = " ".join(
        [f"In case {i} SHAP takes the Shapley value idea from game theory and splits a prediction." for i in range(20)]
        + ["LIME perturbs the example and fits a local surrogate."]
    )
    words = timed(text)
    assert len(words) > 2 * judge.settings.window_words
    judge._cache.clear()
    runs: list[int] = []
    real_forward = judge._forward
    judge._forward = lambda pairs: (runs.append(len(pairs)), real_forward(pairs))[1]
    try:
        judge.warm(words, POINTS)
        at_warm = sum(runs)
        warmed = judge.score(POINTS, words)
        assert at_warm > 0 and sum(runs) == at_warm, "Stop ran the model again"
        judge._cache.clear()
        judge.warm(words[:-10], POINTS)
        before = sum(runs)
        # int8 activations are scaled per batch, so a pair judged in another batch can differ in the 4th decimal
        assert [r.score for r in judge.score(POINTS, words)] == pytest.approx([r.score for r in warmed], abs=0.005)
        windows_now = len(judge._windows(words))
        # Only the windows the last words touch, and only for points no earlier window settled
        # (here every point was made early, so none at all: tests/core/test_judge_reading.py).
        assert 0 <= sum(runs) - before <= 2 * len(POINTS) < windows_now * len(POINTS)
    finally:
        del judge._forward


def test_the_stream_warms_the_scorer_with_the_words_the_transcript_will_have(data_dir) -> None:
    """The final transcript has glossary terms merged into one word ("Shapley values"); warming with
    Whisper's raw words shifted every stretch after the first term, and Stop re-encoded them all."""
    from pathlib import Path

    from app.core.packs import load_pack
    from app.core.scoring.embedder import MiniLMEmbedder
    from app.core.transcribe.glossary import GlossaryCorrector
    from app.services.workspace import Workspace

    pack = load_pack(Path(__file__).resolve().parent.parent / "data" / "demo-pack.yaml")
    question = pack.question("shap-and-lime")
    embedder = MiniLMEmbedder()
    workspace = Workspace(data_dir, scorer=TokenRecallScorer(embedder))
    raw = timed(
        "SHAP splits a prediction with Shapley values from game theory. " * 5
        + "LIME perturbs the example and fits a local surrogate. " * 4
        + "Then I compare them."
    )
    stream = workspace.start_stream(pack, question)
    try:
        for chunk_end in (40, 70):  # two chunks, each ending at a sentence, as chunks end at pauses
            with stream._cond:  # as if the chunks so far had been transcribed to these words
                stream._words = raw[:chunk_end]
            stream._tell_words()  # what the worker does after each finished chunk
    finally:
        stream.close()
    final, _ = GlossaryCorrector(pack.glossary_for(question)).correct(raw)
    assert len(final) < len(raw), "the terms were merged"
    encoded: list[int] = []
    real_run = embedder._run_words
    embedder._run_words = lambda batch: (encoded.append(len(batch)), real_run(batch))[1]
    workspace.scorer().score(question.key_points, final)
    assert sum(encoded) <= 2, f"{sum(encoded)} stretches encoded at Stop"
    workspace.close()


def test_the_models_threads_sleep_between_runs() -> None:
    """Spinning onnxruntime threads take the CPU that Whisper and NumPy need on a small machine."""
    from app.core.scoring.embedder import MiniLMEmbedder
    from app.core.scoring.entailment import EntailmentJudge

    for model in (MiniLMEmbedder().load(), EntailmentJudge().load()):
        options = model._session.get_session_options()
        assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


BLAS_CHILD = """
import json, sys
sys.path.insert(0, {repo!r})
from threadpoolctl import threadpool_info
import numpy  # noqa: F401  (its BLAS, as the app starts)

def numpys_blas():
    return sorted({{lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas" and "numpy" in lib["filepath"]}})

from app.core.packs import KeyPoint
from app.core.scoring import TokenRecallScorer
from app.core.transcribe.transcript import Word

before = numpys_blas()
words = [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate("SHAP gives each feature its Shapley value".split())]
TokenRecallScorer().score([KeyPoint("SHAP attributes a prediction with Shapley values")], words)
print(json.dumps({{"before": before, "after": numpys_blas()}}))
"""


def test_numpys_blas_runs_on_one_thread_once_the_models_are_loaded() -> None:
    """OpenBLAS leaves its threads spinning after each product, on the cores the judge's run needs next;
    the products here are small. A fresh process, as the app starts: NumPy's own BLAS threads first."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    child = BLAS_CHILD.format(repo=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=120, check=True)
    threads = json.loads(proc.stdout.strip().splitlines()[-1])
    if threads["before"] in ([], [1]):
        pytest.skip("NumPy here has no multi-threaded BLAS")
    assert threads["after"] == [1], threads
