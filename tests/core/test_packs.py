"""Pack loading: valid packs load; every kind of broken pack names file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.packs import MAX_PACK_BYTES, PackError, PackLibrary, load_pack, load_pack_text

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo-pack.yaml"

GOOD = """\
id: x
title: X
glossary: [SHAP, LIME]
defaults: {prep_seconds: 5, answer_seconds: 30}
questions:
  - id: a
    text: What is SHAP?
    key_points:
      - SHAP uses Shapley values
      - point: LIME fits a surrogate
        cues: [surrogate, perturb]
  - id: b
    text: Why?
    prep_seconds: 12
    answer_seconds: 45
    key_points: [Because]
"""


def errors_of(text: str, label: str = "packs/x.yaml") -> list[str]:
    with pytest.raises(PackError) as info:
        load_pack_text(text, label)
    return [str(issue) for issue in info.value.issues]


def test_a_good_pack_loads_with_defaults_and_overrides() -> None:
    pack = load_pack_text(GOOD)
    assert pack.id == "x" and pack.glossary == ("SHAP", "LIME")
    a, b = pack.questions
    assert (a.prep_seconds, a.answer_seconds) == (5, 30)
    assert (b.prep_seconds, b.answer_seconds) == (12, 45)
    assert [kp.text for kp in a.key_points] == ["SHAP uses Shapley values", "LIME fits a surrogate"]
    assert a.key_points[1].cues == ("surrogate", "perturb")
    assert pack.warnings == ()


def test_the_demo_pack_file_loads() -> None:
    pack = load_pack(DEMO)
    assert pack.source == DEMO
    assert pack.question("shap-and-lime").answer_seconds == 45
    with pytest.raises(KeyError, match="no question 'nope'"):
        pack.question("nope")


def test_content_hash_changes_only_when_the_question_changes() -> None:
    first = load_pack_text(GOOD).questions[0]
    same = load_pack_text(GOOD.replace("title: X", "title: Y")).questions[0]
    edited = load_pack_text(GOOD.replace("SHAP uses Shapley values", "SHAP uses game theory")).questions[0]
    assert first.content_hash == same.content_hash
    assert first.content_hash != edited.content_hash


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("key_points: [Because]", "key_points: []"),
            "packs/x.yaml:16: questions[1].key_points: must be a non-empty list",
        ),
        (("text: Why?", "text: ''"), "packs/x.yaml:13: questions[1].text: must not be empty"),
        (("id: b", "id: a"), "packs/x.yaml:12: questions[1].id: 'a' is already used by questions[0]"),
        (
            ("answer_seconds: 45", "answer_seconds: soon"),
            "packs/x.yaml:15: questions[1].answer_seconds: must be a whole number of seconds, not str 'soon'",
        ),
        (
            ("answer_seconds: 45", "answer_seconds: 99999"),
            "packs/x.yaml:15: questions[1].answer_seconds: must be between 5 and 3600 seconds",
        ),
        (("text: Why?", "text: yes"), "packs/x.yaml:13: questions[1].text: must be text, not bool True"),
        (("text: Why?", "text: [a, b]"), "packs/x.yaml:13: questions[1].text: must be text, not a list"),
        (("    text: Why?\n", ""), "packs/x.yaml:12: questions[1].text: is required"),
        (("id: x\n", ""), "packs/x.yaml:1: id: is required"),
        (("id: x", "id: 'bad id!'"), "packs/x.yaml:1: id: 'bad id!' is not a valid id"),
        (
            ("      - point: LIME fits a surrogate", "      - cue: LIME fits a surrogate"),
            "packs/x.yaml:10: questions[0].key_points[1].point: is required",
        ),
        (("glossary: [SHAP, LIME]", "glossary: SHAP"), "packs/x.yaml:3: glossary: must be a list, not str 'SHAP'"),
        (
            ("questions:\n", "questions: 7\nold_questions:\n"),
            "packs/x.yaml:5: questions: must be a non-empty list, not int 7",
        ),
        (("    text: Why?", "    text: Why?\n    text: Again?"), "packs/x.yaml:14: questions[1].text: appears twice"),
        (("title: X", "title: [unclosed"), "packs/x.yaml:3: not valid YAML"),
    ],
)
def test_broken_packs_name_file_line_and_field(change: tuple[str, str], expected: str) -> None:
    broken = GOOD.replace(*change)
    assert broken != GOOD
    found = errors_of(broken)
    assert any(e.startswith(expected) for e in found), found


WITH_EXAMPLES = GOOD.replace(
    "        cues: [surrogate, perturb]\n",
    "        cues: [surrogate, perturb]\n        examples: [a sparse linear model, a shallow tree]\n",
)


def test_a_key_point_holds_its_examples_apart_from_the_claim() -> None:
    point = load_pack_text(WITH_EXAMPLES).questions[0].key_points[1]
    assert point.text == "LIME fits a surrogate"  # what the judge checks
    assert point.examples == ("a sparse linear model", "a shallow tree")
    assert point.display == "LIME fits a surrogate (e.g. a sparse linear model, a shallow tree)"
    assert load_pack_text(WITH_EXAMPLES).warnings == ()


@pytest.mark.parametrize(
    ("examples", "expected"),
    [
        (
            "examples: a shallow tree",
            "packs/x.yaml:12: questions[0].key_points[1].examples: must be a list, not str 'a shallow tree'",
        ),
        (
            "examples: [a shallow tree, 3]",
            "packs/x.yaml:12: questions[0].key_points[1].examples[1]: must be text, not int 3",
        ),
        (
            "examples: [a shallow tree, '']",
            "packs/x.yaml:12: questions[0].key_points[1].examples[1]: must not be empty",
        ),
        ("examples: [[a, b]]", "packs/x.yaml:12: questions[0].key_points[1].examples[0]: must be text, not a list"),
    ],
)
def test_bad_examples_name_file_line_and_field(examples: str, expected: str) -> None:
    broken = GOOD.replace(
        "        cues: [surrogate, perturb]\n", f"        cues: [surrogate, perturb]\n        {examples}\n"
    )
    found = errors_of(broken)
    assert any(e.startswith(expected) for e in found), found


@pytest.mark.parametrize(
    "claim",
    [
        "LIME fits a surrogate, such as a linear model",
        "LIME fits a surrogate (e.g. a tree)",
        "LIME fits a surrogate, for example a linear model",
    ],
)
def test_an_example_inside_a_claim_warns_and_suggests_examples(claim: str) -> None:
    for text in (
        GOOD.replace("point: LIME fits a surrogate", f"point: {claim}"),
        GOOD.replace("- SHAP uses Shapley values", f"- {claim}"),
    ):
        pack = load_pack_text(text, "p.yaml")
        assert len(pack.warnings) == 1, pack.warnings
        warning = str(pack.warnings[0])
        assert warning.startswith("p.yaml:") and ": warning: questions[0].key_points[" in warning
        assert "move it to 'examples:'" in warning


def test_content_hash_changes_with_examples_but_not_for_points_without_them() -> None:
    plain, with_examples = load_pack_text(GOOD).questions[0], load_pack_text(WITH_EXAMPLES).questions[0]
    other = load_pack_text(WITH_EXAMPLES.replace("a shallow tree", "a rule list")).questions[0]
    assert len({plain.content_hash, with_examples.content_hash, other.content_hash}) == 3
    assert plain.content_hash == "683e92507ae43476"  # as before examples existed: no new history rows


def test_unknown_keys_warn_with_a_suggestion_but_the_pack_loads() -> None:
    pack = load_pack_text(GOOD.replace("title: X", "title: X\ntitel: typo"), "p.yaml")
    assert [str(w) for w in pack.warnings] == ["p.yaml:3: warning: titel: unknown key, ignored (did you mean 'title'?)"]


def test_every_error_is_reported_not_just_the_first() -> None:
    broken = GOOD.replace("text: What is SHAP?", "text: ''").replace("key_points: [Because]", "key_points: 3")
    assert len(errors_of(broken)) == 2


def test_empty_and_non_mapping_files() -> None:
    assert errors_of("") == ["packs/x.yaml: the file is empty; a pack needs at least 'id' and 'questions'"]
    assert errors_of("- a\n- b\n") == ["packs/x.yaml:1: (top level): must be a mapping of keys to values, not a list"]


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(GOOD.replace("Why?", "Pourquoi \xe9t\xe9 ?").encode("latin-1"))
    with pytest.raises(PackError) as info:
        load_pack(path)
    assert str(info.value).startswith(f"{path}:13: is not UTF-8 text (byte 0xe9")


def test_huge_files_are_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(GOOD + "# " + "x" * MAX_PACK_BYTES + "\n")
    with pytest.raises(PackError, match="a pack may be at most 2 MB"):
        load_pack(path)


def test_alias_bombs_and_deep_nesting_end_in_a_pack_error() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    assert errors_of(bomb + "questions: *i\nid: boom\n")
    assert errors_of("id: deep\nquestions: " + "[" * 5000 + "]" * 5000 + "\n")


def test_unreadable_path_is_a_pack_error(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="cannot be read"):
        load_pack(tmp_path / "missing.yaml")


def test_library_lists_broken_packs_and_lets_user_packs_override(tmp_path: Path) -> None:
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    builtin.mkdir()
    user.mkdir()
    (builtin / "x.yaml").write_text(GOOD)
    (user / "mine.yaml").write_text(GOOD.replace("title: X", "title: Mine"))
    (user / "broken.yml").write_text("id: [\n")
    (user / "notes.txt").write_text("ignored")
    library = PackLibrary(builtin, user)
    sources = library.scan()
    assert [(s.path.name, s.ok) for s in sources] == [("x.yaml", True), ("broken.yml", False), ("mine.yaml", True)]
    assert [p.title for p in library.packs()] == ["Mine"]
    assert library.resolve("x").title == "Mine"
    assert library.resolve(str(builtin / "x.yaml")).title == "X"
    with pytest.raises(LookupError, match="no pack with id 'y'"):
        library.resolve("y")
