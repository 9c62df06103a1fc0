"""Property-based attacks on the pack loader: whatever the bytes, the result is a pack or a located PackError.

Never another exception, never a hang (Hypothesis' deadline), never unbounded work.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.core.packs import MAX_PACK_BYTES, Pack, PackError, load_pack, load_pack_text

GOOD = (Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml").read_text()
COUNTER = {"tried": 0}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(["", " ", "~", "null", "yes", "0x1F", "1e400", "2026-11-24", "!!python/object:os.system"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "text",
                    "key_points",
                    "questions",
                    "point",
                    "cues",
                    "glossary",
                    "defaults",
                    "prep_seconds",
                    "answer_seconds",
                    "title",
                    "x",
                ]
            ),
            children,
            max_size=6,
        ),
    ),
    max_leaves=30,
)


def check(text: str) -> None:
    COUNTER["tried"] += 1
    try:
        pack = load_pack_text(text, "hostile.yaml")
    except PackError as exc:
        assert exc.issues, "a PackError always says what is wrong"
        for issue in exc.issues:
            assert issue.path == "hostile.yaml" and issue.message
        return
    assert isinstance(pack, Pack) and pack.questions


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_random_structures(value) -> None:
    check(yaml.safe_dump(value, allow_unicode=True))


@settings(max_examples=300, deadline=2000)
@given(st.text(max_size=400))
@example("a: &a [*a]")
@example("!!python/object/apply:os.system ['echo hacked']")
@example("\ufeffid: bom\nquestions: []")
@example("id: x\nquestions:\n  - {id: q, text: t, key_points: [a]}\n  - {id: q, text: t, key_points: [a]}")
def test_random_text(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=2000)
@given(st.data())
def test_mutations_of_a_good_pack(data) -> None:
    lines = GOOD.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "garble", "swap"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][2:]
        elif action == "garble":
            lines[i] = lines[i] + data.draw(
                st.sampled_from([":", " [", " {", " &a", " *a", " !!binary", "\t", "'", '"'])
            )
        elif action == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        if not lines:
            lines = [""]
    check("\n".join(lines))


@settings(max_examples=100, deadline=2000)
@given(st.binary(max_size=600))
def test_random_bytes_on_disk(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "pack.yaml"
    path.write_bytes(raw)
    COUNTER["tried"] += 1
    try:
        load_pack(path)
    except PackError as exc:
        assert exc.issues and exc.issues[0].path == str(path)


def test_billion_laughs_stays_small_and_fails_cleanly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    lines += ["id: laughs", "glossary: *i", "questions:", "  - {id: q, text: *i, key_points: *i}"]
    check("\n".join(lines))


def test_deep_nesting_and_huge_strings() -> None:
    check("id: deep\nquestions: " + "[" * 3000 + "]" * 3000)
    check("id: big\nquestions:\n  - id: q\n    text: '" + "x" * 50_000 + "'\n    key_points: [a]\n")
    check("x" * (MAX_PACK_BYTES + 1))


def test_nesting_libyaml_would_accept_is_refused_before_it_composes() -> None:
    """libyaml composes recursively in C (a deep tree could overflow the stack) and allows ~1000 levels."""
    block = "id: deep\nquestions:\n" + "".join("  " * i + "- \n" for i in range(1, 300))
    for text in (
        "id: deep\nquestions: " + "[" * 500 + "]" * 500,
        "id: deep\nquestions: " + "{a: " * 500 + "}" * 500,
        block,
    ):
        try:
            load_pack_text(text, "deep.yaml")
        except PackError as exc:
            assert "nested too deeply" in str(exc) or "not valid YAML" in str(exc), str(exc)
        else:
            raise AssertionError("a 500-level pack loaded")


def test_report_how_many_inputs_were_tried() -> None:
    """Runs last in this module: the count goes into the issue's closing note."""
    assert COUNTER["tried"] >= 1000, COUNTER
