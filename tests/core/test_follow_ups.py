"""Follow-up questions (issue 19, part 2): the pack format, `rehearse check`, the writer, and which
follow-up an interviewer asks after an answer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.core.follow_ups import choose_follow_up
from app.core.packs import PackError, load_pack, load_pack_text
from app.core.packs.writer import dump_pack
from app.core.scoring.star import StarCheck
from app.services.answers_in import judge_typed
from tests.conftest import run_cli

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"
QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
FOLLOW_UPS = """    follow_ups:
      - Can you give me a concrete example?
      - ask: Why would LIME give a different answer when you run it again?
        about: 3
      - ask: What did you change as a result?
        about: result
        key_points: [They name what changed because of the explanation]
"""


def demo_with_follow_ups() -> str:
    text = DEMO.read_text()
    anchor = "        cues: [unstable]\n"
    return text.replace(anchor, anchor + FOLLOW_UPS, 1)


def test_follow_ups_are_read_written_back_and_checked(tmp_path: Path) -> None:
    pack = load_pack_text(demo_with_follow_ups(), "demo.yaml")
    follow_ups = pack.question("shap-and-lime").follow_ups
    assert [(f.text, f.about) for f in follow_ups] == [
        ("Can you give me a concrete example?", None),
        ("Why would LIME give a different answer when you run it again?", 2),  # 0-based inside, 1-based in the file
        ("What did you change as a result?", "result"),
    ]
    assert follow_ups[2].key_points[0].text == "They name what changed because of the explanation"
    again = load_pack_text(dump_pack(pack), "demo.yaml")
    assert replace(again, warnings=()) == replace(pack, warnings=())

    bad = (
        demo_with_follow_ups()
        .replace("        about: 3\n", "        about: 7\n")
        .replace("        key_points: [They name what changed because of the explanation]\n", "")
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad)
    with pytest.raises(PackError) as caught:
        load_pack(path)
    messages = [str(i) for i in caught.value.issues]
    line = bad.splitlines().index("        about: 7") + 1
    assert (
        f"{path}:{line}: questions[0].follow_ups[1].about: must be a key point number (1-3) or one of "
        "situation, task, action, result, not int 7" in messages
    )
    assert any(
        "questions[0].follow_ups[2].key_points: is required for a follow-up about the result" in m for m in messages
    )
    result = run_cli("check", str(path))
    assert result.returncode == 1 and "follow_ups[1].about" in result.stderr


def test_the_follow_up_aims_at_the_most_important_missed_point(scorer) -> None:
    pack = load_pack_text(demo_with_follow_ups(), "demo.yaml")
    question = pack.question("shap-and-lime")
    covered_two = judge_typed(
        pack,
        question,
        "SHAP explains a prediction with Shapley values from cooperative game "
        "theory. LIME fits a simple local surrogate model around that one prediction.",
        scorer,
    )
    assert [r.covered for r in covered_two.key_points] == [True, True, False]
    ask = choose_follow_up(question, covered_two)
    assert ask is not None and ask.question.text == "Why would LIME give a different answer when you run it again?"
    assert [kp.text for kp in ask.question.key_points] == ["LIME explanations can be unstable across runs"]
    assert ask.question.id == "shap-and-lime.follow-up-2" and "unstable across runs" in ask.why
    # The follow-up is judged like any question: on its own key points.
    answer = judge_typed(
        pack,
        ask.question,
        "LIME explanations can be unstable across runs, because the perturbed samples are random.",
        scorer,
    )
    assert [r.covered for r in answer.key_points] == [True]
    assert choose_follow_up(ask.question, answer) is None, "no follow-up of a follow-up"

    # Missed only the first point: no follow-up is aimed at it, so the general one asks about it.
    missed_first = replace(
        covered_two,
        key_points=[
            replace(covered_two.key_points[0], covered=False),
            *covered_two.key_points[1:2],
            replace(covered_two.key_points[2], covered=True),
        ],
    )
    ask = choose_follow_up(question, missed_first)
    assert ask.question.text == "Can you give me a concrete example?"
    assert ask.question.key_points == (question.key_points[0],)

    # Every point made but the story had no result: the result follow-up, with its own key points.
    all_made = replace(
        covered_two,
        key_points=[replace(r, covered=True) for r in covered_two.key_points],
        star=[StarCheck("situation", True, 0.9, 0.5, ""), StarCheck("result", False, 0.1, 0.5, "")],
    )
    ask = choose_follow_up(question, all_made)
    assert ask.question.text == "What did you change as a result?" and "no result" in ask.why
    assert choose_follow_up(question, replace(all_made, star=None)) is None, "nothing missed: no follow-up"


def test_every_built_in_question_has_follow_ups() -> None:
    for path in sorted(QUESTIONS.glob("*.yaml")):
        pack = load_pack(path)
        assert not pack.warnings, pack.warnings
        for question in pack.questions:
            assert question.follow_ups, (path.name, question.id)
            for follow_up in question.follow_ups:
                assert follow_up.text.endswith("?")
