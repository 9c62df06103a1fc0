"""Pack writer: what it writes, load_pack reads back to an equal Pack; files never land outside the folder."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.packs import KeyPoint, Pack, Question, load_pack, load_pack_text
from app.core.packs.writer import dump_pack, user_pack_path, write_pack

REPO = Path(__file__).resolve().parents[2]
PACK_FILES = [REPO / "tests" / "data" / "demo-pack.yaml", *sorted((REPO / "questions").glob("*.yaml"))]


def same(a: Pack, b: Pack) -> bool:
    return replace(a, source=None, warnings=()) == replace(b, source=None, warnings=())


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: p.name)
def test_every_shipped_pack_round_trips(path: Path, tmp_path: Path) -> None:
    pack = load_pack(path)
    out = write_pack(pack, tmp_path / "copy.yaml")
    again = load_pack(out)
    assert same(pack, again)
    assert again.warnings == ()


def test_reference_answers_are_literal_blocks_and_terms_one_line() -> None:
    pack = load_pack(PACK_FILES[0])
    text = dump_pack(pack)
    assert "reference_answer: |" in text
    assert "glossary: [SHAP, LIME, Shapley values, t-SNE, UMAP]" in text
    assert "cues: [Shapley, game theory]" in text
    assert "- I am a data scientist with five years of experience" in text  # a point without cues stays a string


def test_examples_are_written_beside_the_claim_and_read_back() -> None:
    question = Question(
        id="q",
        text="How do you explain a model?",
        key_points=(
            KeyPoint(
                "Uses an analogy",
                ("analogy",),
                ("a credit officer weighing evidence", "a mail truck, four times a day"),
            ),
            KeyPoint("Checks understanding", (), ("asks them to explain it back",)),
            KeyPoint("Is honest about limits"),
        ),
    )
    pack = Pack(id="p", title="P", questions=(question,))
    text = dump_pack(pack)
    assert (
        "  - point: Uses an analogy\n    cues: [analogy]\n    examples:\n    - a credit officer weighing evidence\n"
        in text
    )
    assert "  - point: Checks understanding\n    examples:\n" in text and "cues: []" not in text
    assert "  - Is honest about limits\n" in text
    again = load_pack_text(text)
    assert same(pack, again) and again.warnings == ()
    assert again.questions[0].key_points[0].examples == (
        "a credit officer weighing evidence",
        "a mail truck, four times a day",
    )


def test_text_yaml_would_misread_is_quoted() -> None:
    question = Question(
        id="2024",
        text="yes",
        key_points=(KeyPoint("no"), KeyPoint("a: b # not a comment", ("null", "1.5"))),
        category="on",
        reference_answer="- a list?\n  indented: line\n\"quoted\" and 'single' — ünïcode ✓",
        glossary=("true", "~"),
    )
    pack = Pack(id="007", title="3.14", questions=(question,), description="[not a list]", glossary=("{x}",))
    assert same(pack, load_pack_text(dump_pack(pack)))


_text = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\x85"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
_ident = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,20}\Z")
_lines = st.lists(_text, min_size=1, max_size=4).map("\n".join)


@st.composite
def packs(draw) -> Pack:
    ids = draw(st.lists(_ident, min_size=1, max_size=4, unique=True))
    questions = tuple(
        Question(
            id=qid,
            text=draw(_text),
            key_points=tuple(
                KeyPoint(
                    draw(_text),
                    tuple(dict.fromkeys(draw(st.lists(_text, max_size=3)))),
                    tuple(dict.fromkeys(draw(st.lists(_text, max_size=3)))),
                )
                for _ in range(draw(st.integers(1, 3)))
            ),
            category=draw(st.none() | _text.map(str.lower).filter(lambda s: s == s.strip() and bool(s))),
            prep_seconds=draw(st.integers(0, 600)),
            answer_seconds=draw(st.integers(5, 3600)),
            reference_answer=draw(st.none() | _lines),
            glossary=tuple(dict.fromkeys(draw(st.lists(_text, max_size=3)))),
        )
        for qid in ids
    )
    return Pack(
        id=draw(_ident),
        title=draw(_text),
        questions=questions,
        language=draw(st.sampled_from(["en", "de"])),
        description=draw(st.none() | _text),
        glossary=tuple(dict.fromkeys(draw(st.lists(_text, max_size=4)))),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packs())
def test_any_valid_pack_round_trips(pack: Pack) -> None:
    assert same(pack, load_pack_text(dump_pack(pack)))


def test_user_pack_path_stays_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    assert user_pack_path(folder, "mine") == folder / "mine.yaml"
    for bad in ("../../x", "a/b", "/etc/passwd", "../packs2/x"):
        with pytest.raises(ValueError, match="cannot be used as a pack file name"):
            user_pack_path(folder, bad)
    (folder / "link.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    with pytest.raises(ValueError):
        user_pack_path(folder, "link")
