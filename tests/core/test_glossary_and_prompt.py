"""Glossary near-miss correction and the question-aware prompt."""

from __future__ import annotations

from app.core.transcribe.glossary import GlossaryCorrector
from app.core.transcribe.prompt import MAX_PROMPT_CHARS, build_initial_prompt
from app.core.transcribe.transcript import Word

TERMS = ["SHAP", "LIME", "Shapley values", "t-SNE", "UMAP", "Grad-CAM"]


def words(text: str, p: float = 0.3) -> list[Word]:
    return [Word(w, i * 0.5, i * 0.5 + 0.4, p) for i, w in enumerate(text.split())]


def corrected(text: str, p: float = 0.3) -> str:
    out, _ = GlossaryCorrector(TERMS).correct(words(text, p))
    return " ".join(w.text for w in out)


def test_near_misses_of_terms_are_corrected() -> None:
    assert corrected("Shep explains it") == "SHAP explains it"
    assert corrected("we used D SNE, then") == "we used t-SNE, then"
    assert corrected("with sharply values from") == "with Shapley values from"
    assert corrected("grad cam maps") == "Grad-CAM maps"
    assert corrected("I used TSNE.") == "I used t-SNE."


def test_neighbouring_words_are_not_swallowed() -> None:
    assert corrected("with Shapley values") == "with Shapley values"
    assert corrected("SHAP is, you know") == "SHAP is, you know"


def test_confident_ordinary_words_stay() -> None:
    assert corrected("the shape of the curve", p=0.95) == "the shape of the curve"
    assert corrected("it takes time", p=0.3) == "it takes time"


def test_corrections_keep_timing_and_record_the_raw_words() -> None:
    raw = words("we used D SNE today")
    out, corrections = GlossaryCorrector(TERMS).correct(raw)
    assert [w.text for w in out] == ["we", "used", "t-SNE", "today"]
    assert (out[2].start, out[2].end) == (raw[2].start, raw[3].end)
    assert len(corrections) == 1
    c = corrections[0]
    assert (c.index, c.raw_start, c.raw_end, c.original, c.corrected) == (2, 2, 4, "D SNE", "t-SNE")


def test_prompt_holds_question_and_terms_used_in_the_answer_first() -> None:
    prompt = build_initial_prompt(
        "Describe SHAP and LIME.", ["UMAP", "LIME", "SHAP", "Grad-CAM"], "LIME and SHAP and Grad-CAM"
    )
    assert "Question: Describe SHAP and LIME." in prompt
    assert prompt.endswith("Terms: LIME, SHAP, Grad-CAM, UMAP.")
    assert prompt.lower().startswith("umm")


def test_prompt_stays_within_whispers_budget() -> None:
    terms = [f"Term{i} number {i}" for i in range(200)]
    prompt = build_initial_prompt("A question?", terms)
    assert len(prompt) <= MAX_PROMPT_CHARS
    assert "Question: A question?" in prompt and "Term0 number 0" in prompt
    assert "Term12 number 12" not in prompt, "at most MAX_TERMS terms"


def test_a_term_found_in_the_pack_texts_that_a_listed_term_already_holds_is_not_added_again() -> None:
    from pathlib import Path

    from app.core.packs import load_pack

    pack = load_pack(Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml")
    terms = pack.glossary_for(pack.question("shap-and-lime"))
    assert "Shapley values" in terms and "Shapley" not in terms
