"""The judge's training reads only train questions, and the pairs it makes up are labelled as a grader
would label them. (Training itself needs torch and is never run here; its data functions need only numpy.)"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
INTERVIEW = ROOT / "tests/data/eval/grading/interview"


@pytest.fixture(scope="module")
def train_judge():
    spec = importlib.util.spec_from_file_location("train_judge", ROOT / "training" / "train_judge.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_judge"] = module  # its dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    yield module
    del sys.modules["train_judge"]


@pytest.fixture(scope="module")
def reexport_judge(train_judge):
    """training/reexport_judge.py, which imports the train_judge loaded above."""
    spec = importlib.util.spec_from_file_location("reexport_judge", ROOT / "training" / "reexport_judge.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.path.remove(str(ROOT / "training"))  # where it finds train_judge; already loaded here
    return module


@pytest.fixture(scope="module")
def evaluate_app(train_judge):
    """training/evaluate_app.py (the app's own judging of a build), which imports the train_judge loaded above."""
    spec = importlib.util.spec_from_file_location("evaluate_app", ROOT / "training" / "evaluate_app.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate_app"] = module  # its dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    sys.path.remove(str(ROOT / "training"))  # where it finds train_judge; already loaded here
    yield module
    del sys.modules["evaluate_app"]


@pytest.fixture(scope="module")
def split_of() -> dict[str, str]:
    return {q["qid"]: q["split"] for q in map(json.loads, (INTERVIEW / "questions.jsonl").read_text().splitlines())}


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("covered", "not_covered", True),
        ("partial", "covered", True),
        ("not_covered", "not_covered", False),
        ("not_covered", "partial", False),
        ("contradicted", "not_covered", False),
        ("covered", "contradicted", None),  # said, then denied: no label
        ("partial", "partial", None),  # two halves may make the whole
    ],
)
def test_a_point_of_two_answers_said_as_one_is_labelled_from_both(train_judge, first, second, expected) -> None:
    assert train_judge.joined_label(first, second) is expected


def test_made_up_pairs_come_from_train_questions_only(train_judge, split_of) -> None:
    joined = train_judge.joined_answers(4, seed=13)
    unrelated = train_judge.unrelated_points(2, seed=13)
    assert joined and unrelated
    assert {split_of[p.group] for p in joined + unrelated} == {"train"}
    questions = [json.loads(line) for line in (INTERVIEW / "questions.jsonl").read_text().splitlines()]
    train_points = {k["text"] for q in questions if q["split"] == "train" for k in q["key_points"]}
    assert {p.point for p in joined + unrelated} <= train_points
    assert max(len(p.answer.split()) for p in joined) <= 180
    assert any(not p.covered for p in joined) and any(p.covered for p in joined)
    assert not any(p.covered for p in unrelated)


def test_an_unrelated_point_is_never_another_story(train_judge) -> None:
    story = {"kind": "behavioural", "domain": "leadership"}
    assert not train_judge.unrelated(story, {"kind": "behavioural", "domain": "general"})
    assert train_judge.unrelated(story, {"kind": "technical", "domain": "ml"})
    assert not train_judge.unrelated({"kind": "technical", "domain": "ml"}, {"kind": "technical", "domain": "ml"})
    assert train_judge.unrelated({"kind": "technical", "domain": "ml"}, {"kind": "technical", "domain": "systems"})


def test_the_test_split_is_refused_and_dev_takes_only_dev_long_answers(train_judge, split_of) -> None:
    with pytest.raises(ValueError):
        train_judge.interview("test")
    dev_long = train_judge.interview("dev", long=True)
    assert len(dev_long) > len(train_judge.interview("dev"))
    assert {split_of[p.group] for p in dev_long} == {"dev"}


def test_without_its_third_batch_the_set_is_what_the_second_build_read(train_judge) -> None:
    """The third batch came after the second build: without `--third-batch` the script still reads what that build was
    trained on (2,796 in-domain train pairs, the made-up pairs likewise), so its runs can be repeated, and with it
    the new questions too (the shipped third build)."""
    later = train_judge.third_batch_questions()
    assert len(later) == 48
    second = train_judge.interview("train")
    assert len(second) == 2796 and not {p.group for p in second} & later
    questions = [json.loads(line) for line in (INTERVIEW / "questions.jsonl").read_text().splitlines()]
    earlier_points = {
        k["text"] for q in questions if q["split"] == "train" and q["qid"] not in later for k in q["key_points"]
    }
    joined, unrelated = train_judge.joined_answers(4, seed=13), train_judge.unrelated_points(2, seed=13)
    for made_up in (joined, unrelated):
        assert not {p.group for p in made_up} & later and {p.point for p in made_up} <= earlier_points
    assert len(unrelated) == 1024 and len(joined) == 1567
    with_third = train_judge.interview("train", third_batch=True)
    assert len(with_third) == 2796 + 1464 and {p.group for p in with_third} >= later


def test_a_bag_of_one_window_is_the_usual_cross_entropy(train_judge) -> None:
    torch = pytest.importorskip("torch")  # the [train] extra only
    logits = torch.tensor([[0.3, -1.2], [2.0, 0.5], [-0.4, 0.9]], requires_grad=True)
    labels = torch.tensor([1, 0, 1])
    bag = torch.arange(3)
    expected = torch.nn.functional.cross_entropy(logits, labels)
    assert torch.allclose(train_judge.bag_loss(logits, bag, labels), expected)
    # A bag is covered by its best window: a second, weaker window changes nothing.
    more = torch.cat([logits, torch.tensor([[5.0, -5.0]])])
    assert torch.allclose(train_judge.bag_loss(more, torch.tensor([0, 1, 2, 0]), labels), expected)


@pytest.mark.parametrize("name", ["judge", "star"])
def test_a_shipped_judge_is_what_export_makes_of_its_own_weights(
    train_judge, reexport_judge, name: str, tmp_path: Path
) -> None:
    """Rebuilt from its int8 weights and exported as `train_judge.export` exports (attention as MatMul and
    Softmax), each shipped judge comes out with the same weights and the same graph: what is shipped is
    what the training script makes."""
    pytest.importorskip("torch")  # the [train] extra only
    onnx = pytest.importorskip("onnx")
    from collections import Counter

    reexport = reexport_judge
    shipped = ROOT / "resources" / "models" / name / "model.onnx"
    fp32, int8 = train_judge.export(
        reexport.rebuild(shipped.parent),
        train_judge.tokenizer(256),
        tmp_path / name,
        per_channel=reexport.per_channel(shipped),
    )
    fp32.unlink()
    assert reexport.quantised_matrices(int8) == reexport.quantised_matrices(shipped)

    def ops(path: Path) -> Counter:
        return Counter(node.op_type for node in onnx.load(str(path)).graph.node)

    assert ops(int8) == ops(shipped)


def test_a_quote_is_found_as_the_words_that_say_it(train_judge) -> None:
    answer = "So, um, I'd stop training once the held-out loss stops improving. Then, uh, more data."
    spans = train_judge.word_spans(answer, ["stop training once the held-out loss stops improving.", "more data"])
    words = answer.split()
    assert [" ".join(words[a:b]) for a, b in spans] == [
        "stop training once the held-out loss stops improving.",
        "more data.",
    ]
    with pytest.raises(ValueError):
        train_judge.word_spans(answer, ["early stopping"])
    with pytest.raises(ValueError):  # an empty passage would be "inside" any window
        train_judge.word_spans(answer, [" "])


def test_evidence_windows_are_labelled_by_where_the_point_is_made(train_judge) -> None:
    """A window holding the passage that makes a point is covered; a window of the same good answer that does not
    touch it is not, which whole-answer pairs never taught."""
    import random

    passage = ["we", "stopped", "when", "validation", "loss", "rose"]
    words = [f"w{i}" for i in range(300)]
    words[200:206] = passage
    answer = " ".join(words)
    made = train_judge.Pair("Uses early stopping", answer, True, "interview", "technical", "q", ((200, 206),))
    missed = train_judge.Pair("Uses dropout", answer, False, "interview", "technical", "q")
    seen = {True: 0, False: 0}
    rng = random.Random(1)
    for _ in range(300):
        made_windows = train_judge.evidence_windows(made, rng)
        assert made_windows[0].covered and " ".join(passage) in made_windows[0].answer
        for w in made_windows + train_judge.evidence_windows(missed, rng):
            assert 40 <= len(w.answer.split()) <= 120 and w.answer in answer
            holds = " ".join(passage) in w.answer
            assert w.covered == (holds and w.point == made.point)
            if w.point == made.point and not holds:  # a window that cuts the passage is never taught
                assert not set(passage) & set(w.answer.split())
            seen[w.covered] += 1
    assert seen[True] > 300 and seen[False] > 300
    short = train_judge.Pair(
        "Uses early stopping", "we stopped when validation loss rose", True, "interview", evidence=((0, 6),)
    )
    assert train_judge.evidence_windows(short, rng) == [short]


def test_the_set_and_its_evidence_pass_the_checker() -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, str(INTERVIEW / "check.py")], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_checker_names_a_passage_the_answer_does_not_say_and_a_pair_with_none() -> None:
    spec = importlib.util.spec_from_file_location("interview_check", INTERVIEW / "check.py")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    questions = {"q": {"qid": "q", "split": "train"}}
    answers = [(1, {"aid": "q#a1", "qid": "q", "text": "I stopped when the loss rose.", "labels": {"kp1": "covered"}})]
    answers.append((2, {"aid": "q#a2", "qid": "q", "text": "Dropout.", "labels": {"kp1": "covered"}}))
    errors: list[str] = []
    rows = [(1, {"aid": "q#a1", "kp": "kp1", "evidence": ["early stopping", "the loss"]})]
    check.check_evidence(rows, answers, questions, errors)
    assert errors == [
        "evidence.jsonl:1: ('q#a1', 'kp1') passage not in the answer: 'early stopping'",
        "evidence.jsonl:1: ('q#a1', 'kp1') passage of fewer than 3 words: 'the loss'",
        "evidence.jsonl: no passages for ('q#a2', 'kp1')",
    ]


@pytest.mark.parametrize("per_column", [False, True])
def test_int8_weights_are_read_back_from_either_quantisation(reexport_judge, per_column: bool, tmp_path: Path) -> None:
    """`reexport_judge` reads a judge's weights out of its int8 model whether each matrix has one scale or
    one per output column (`train_judge.py --per-channel`), and tells the two apart, so that a
    per-column judge is exported again per column. The columns differ in size by 100x, so a column's
    scale applied along the wrong axis would be far off."""
    pytest.importorskip("onnx")  # the [train] extra only
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper, save
    from onnxruntime.quantization import QuantType, quantize_dynamic

    reexport = reexport_judge
    weight = (np.random.default_rng(0).normal(size=(48, 16)) * np.linspace(0.01, 1.0, 16)).astype(np.float32)
    node = helper.make_node("MatMul", ["x", "w"], ["y"], name="/bert/pooler/dense/MatMul")
    graph = helper.make_graph(
        [node],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 48])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 16])],
        [numpy_helper.from_array(weight, "w")],
    )
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(tmp_path / "fp32.onnx"))
    int8 = tmp_path / "int8.onnx"
    quantize_dynamic(str(tmp_path / "fp32.onnx"), str(int8), weight_type=QuantType.QInt8, per_channel=per_column)

    assert reexport.per_channel(int8) is per_column
    back = reexport.int8_weights(int8)["bert.pooler.dense.weight"].T  # torch keeps a linear layer's matrix transposed
    scale = np.abs(weight).max(axis=0 if per_column else None) / 127
    assert np.all(np.abs(back - weight) <= scale / 2 + 1e-7)


def test_passage_pairs_teach_a_points_own_passage_and_not_another_points(train_judge) -> None:
    """--passages: a covered pair's own passage (with a little context) is covered; a passage of the same answer
    that makes another point, and touches none of this point's passages (covered or partial), is not."""
    import random

    pairs = train_judge.interview("train", third_batch=True, evidence=True)
    assert sum(bool(p.others) for p in pairs) > len(pairs) // 2
    quotes = train_judge.evidence_quotes()
    questions = train_judge.questions_of("train", True)
    answers = {a["text"]: a["aid"] for a, _q in train_judge.answers_to(questions)}
    points = {(qid, kp["text"]): kp["id"] for qid, q in questions.items() for kp in q["key_points"]}
    rng = random.Random(3)
    taught = {True: 0, False: 0}
    for it in pairs:
        mine = train_judge.word_spans(it.answer, quotes.get((answers[it.answer], points[(it.group, it.point)]), []))
        assert not any(b < e2 and e > b2 for b, e in it.others for b2, e2 in mine)
        own = [" ".join(it.answer.split()[a:b]) for a, b in it.evidence]
        for short in train_judge.passage_pairs(it, rng):
            assert short.answer in it.answer and short.point == it.point and len(short.answer.split()) < 80
            assert short.covered == any(passage in short.answer for passage in own)
            taught[short.covered] += 1
    assert taught[True] > 2000 and taught[False] > 2000
    assert all(short.covered for it in pairs for short in train_judge.passage_pairs(it, rng, negatives=False))
    lone = train_judge.Pair("Uses early stopping", "we stopped when validation loss rose", False, "interview")
    assert train_judge.passage_pairs(lone, rng) == []


def test_short_pairs_give_every_train_point_two_sentences_that_make_it_and_two_that_do_not(train_judge) -> None:
    """--short-pairs: per train key point, a paraphrase and a plain sentence (covered) and a talk-around and a
    near miss (not), of about the same length, so neither length nor the point's words tell the label."""
    questions = train_judge.questions_of("train", third_batch=True)
    pairs = train_judge.short_pairs(questions)
    points = {(qid, kp["text"]) for qid, q in questions.items() for kp in q["key_points"]}
    assert {(p.group, p.point) for p in pairs} == points and len(pairs) == 4 * len(points)
    for point in points:
        mine = [p for p in pairs if (p.group, p.point) == point]
        assert sorted(p.covered for p in mine) == [False, False, True, True], point
        lengths = [len(p.answer.split()) for p in mine]
        assert max(lengths) - min(lengths) <= 10 and min(lengths) >= 8, (point, lengths)
    assert {p.source for p in pairs} == {"short"}
    # without the third batch, its questions' sentences are left out with them
    assert len(train_judge.short_pairs(train_judge.questions_of("train"))) < len(pairs)


def test_the_script_scores_the_int8_model_as_the_app_does(train_judge, evaluate_app) -> None:
    """The script chooses the window and threshold on the int8 model's dev scores: each pair alone, as the
    app's judge runs it, or a pair's probability moves with the pairs batched beside it (the script's dev
    figure was 0.016-0.048 off the app's). No torch: the shipped model through onnxruntime."""
    from app.core.scoring.entailment import EntailmentJudge

    shipped = ROOT / "resources" / "models" / "judge"
    size = json.loads((shipped / "judge.json").read_text())["window_words"]
    dev = train_judge.interview("dev")[::5]
    alone = train_judge.score_windowed(
        train_judge.ort_runner(shipped / "model.onnx", threads=1),
        train_judge.tokenizer(256),
        dev,
        [size],
        train_judge.ALONE,
    )[size]
    judge = EntailmentJudge(shipped).load()
    try:
        app = evaluate_app.probabilities(judge, [(it.point, it.answer, it.covered) for it in dev])
    finally:
        judge.close()
    assert np.abs(alone - app).max() < 1e-4
