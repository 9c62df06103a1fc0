"""History search across transcripts and replay bookmarks, on a real SQLite history."""

from __future__ import annotations

import pytest

from app.core.review.search import like_pattern, matching_words, search_terms
from app.db.history import History
from tests.core.test_history import history, save  # noqa: F401  (fixture)

OTHER = "LIME fits a local surrogate around one prediction; 100% of the runs were stable."


def test_search_keeps_the_answers_holding_every_word_case_aside(history: History, scorer) -> None:  # noqa: F811
    shap = save(history, scorer)
    lime = save(history, scorer, text=OTHER)
    ids = lambda text: [s.id for s in history.attempt_summaries(text=text)]  # noqa: E731
    assert ids(None) == [lime, shap] and ids("") == [lime, shap]
    assert ids("shapley") == [shap]
    assert ids("PREDICTION") == [lime, shap], "case does not matter"
    assert ids("shapley surrogate") == [], "every word must be there"
    assert ids("surrogate  prediction,") == [lime]
    assert ids("lime's") == [], "a word that was never said"
    assert ids("100%") == [lime] and ids("1_0") == [], "LIKE's wildcards are taken literally"
    assert ids("shapley") == [shap], "a second read (from the cache) says the same"
    save(history, scorer, text="Shapley values again")
    assert len(ids("shapley")) == 2, "a new answer is found at once"


def test_the_words_marked_are_the_words_searched() -> None:
    assert search_terms("  Shapley, VALUES shapley ") == ["shapley", "values"]
    words = ["Um,", "SHAP", "splits", "Shapley", "values."]
    assert matching_words(words, search_terms("shap values")) == {1, 3, 4}, "part of a word counts, as in LIKE"
    assert matching_words(words, []) == set()
    assert like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"


def test_bookmarks_are_stored_in_time_order_shown_with_the_attempt_and_deleted(history: History, scorer) -> None:  # noqa: F811
    attempt = save(history, scorer)
    late = history.add_bookmark(attempt, 7.25, "  stumbled here ")
    early = history.add_bookmark(attempt, 1.5, "")
    assert late.note == "stumbled here" and late.attempt_id == attempt
    assert [b.at_s for b in history.bookmarks(attempt)] == [1.5, 7.25]
    assert [b.id for b in history.get_attempt(attempt).bookmarks] == [early.id, late.id]
    from app.core.review.export import attempt_html, attempt_markdown

    detail = history.get_attempt(attempt)
    assert "<h3>Bookmarks</h3>" in attempt_html(detail) and "<b>0:07</b> stumbled here" in attempt_html(detail)
    assert "- **0:02**" in attempt_markdown(detail) and "- **0:07** stumbled here" in attempt_markdown(detail)
    history.delete_bookmark(early.id)
    assert [b.note for b in history.bookmarks(attempt)] == ["stumbled here"]
    with pytest.raises(KeyError):
        history.add_bookmark(attempt + 99, 1.0, "no such answer")
    with pytest.raises(KeyError):
        history.delete_bookmark(early.id)
    history.delete_attempt(attempt)
    assert history.bookmarks(attempt) == [], "they go with their answer"
