"""How often does the key-point judgement agree with human graders? SemEval-2013 Beetle and STS answers-students.

Beetle (SemEval-2013 Task 7): each row is a question, a student's answer, one or more reference
answers and a human label. We read reference answer = key point, student answer = transcript,
"covered" = label `correct` (2-way), and score every row with each method in the same run:

- lexical: share of the reference's content words (crude stems) the answer says (the app's `LexicalScorer`);
- cosine: plain MiniLM cosine between the whole answer and the reference;
- spans: MiniLM cosine over sentence/clause/window spans of the answer, best span (the app's first scorer);
- recall: token recall in the best window (`app.core.scoring.recall.TokenRecallScorer`, the app's judge until 2026-11);
- judge: the app's entailment judge (`app.core.scoring.entailment.EntailmentJudge`): a cross-encoder reading the
  key point and a window of the answer together, trained by `training/train_judge.py`.

Each method's decision threshold is tuned on `train` only (best macro-F1), then applied to `test_ua`
(unseen answers to seen questions) and `test_uq` (unseen questions). A "spoken-style" copy of the test
splits (lower case, no punctuation, fillers and false starts added, seeded) checks that the judgement
holds on text that looks like a transcript. STS 2015 answers-students gives Spearman's rho against
0-5 human similarity scores.

The in-domain set (tests/data/eval/grading/interview: spoken-style answers to interview questions,
labelled per key point before any model saw them) is scored at each method's own app threshold, on
its dev and test splits (questions the judge was never trained on): agreement, false "covered"
(share of all pairs, and of the pairs the grader marked not covered), by kind of question and by
whether the point has cue words. `--spoken` also speaks each dev/test answer with espeak-ng and
transcribes it with the app's Whisper model before judging, as a person's answer would arrive.

    python -m tests.bench.bench_grading            # writes tests/bench/results/grading.json
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import spearmanr

from tests.bench.common import EVAL, RESULTS, machine, write_result

BEETLE = EVAL / "grading" / "beetle" / "beetle_5way.tsv"
INTERVIEW = EVAL / "grading" / "interview"
STS = EVAL / "grading" / "sts-answers-students" / "2015_answers-students.test.tsv"
FILLERS = ["um", "uh", "you know", "like", "so", "I mean"]


@dataclass(frozen=True)
class Item:
    split: str
    question: str
    answer: str
    references: tuple[str, ...]
    covered: bool
    label: str  # the 5-way label: correct, partially_correct_incomplete, contradictory, irrelevant, non_domain


def beetle() -> list[Item]:
    items = []
    with BEETLE.open(newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            refs = tuple(r.strip() for r in row["reference_answers"].split("||") if r.strip())
            items.append(
                Item(
                    row["split"],
                    row["question"],
                    row["student_answer"],
                    refs,
                    row["label_5way"] == "correct",
                    row["label_5way"],
                )
            )
    return items


def sts_pairs() -> list[tuple[float, str, str]]:
    pairs = []
    with STS.open(newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 3 and row[0].strip():
                pairs.append(
                    (float(row[0]), row[1].strip('"').replace('""', '"'), row[2].strip('"').replace('""', '"'))
                )
    return pairs


def spoken_style(text: str, rng: random.Random) -> str:
    """Text as a transcript shows it: no case or punctuation, with fillers and false starts."""
    words = [w.strip(".,;:!?\"'()").lower() for w in text.split()]
    words = [w for w in words if w]
    out: list[str] = []
    for i, word in enumerate(words):
        roll = rng.random()
        if roll < 0.08:
            out.append(rng.choice(FILLERS))
        elif roll < 0.12 and i + 1 < len(words):
            out.extend([word, words[i + 1]])  # a false start: "the the bulb" -> repeated words
        out.append(word)
    return " ".join(out)


# --- methods: each maps (answer, references, question) -> a score; higher = more likely covered ---


def _words(text: str):
    from app.core.transcribe.transcript import Word

    return [Word(w, i * 0.3, i * 0.3 + 0.25) for i, w in enumerate(text.split())]


Method = Callable[[str, Sequence[str], str], float]


def _app_scorer(scorer) -> Method:
    """One of the app's key-point scorers, the answer as a transcript: the best score over the references."""
    from app.core.packs.model import KeyPoint

    def score(answer: str, refs: Sequence[str], question: str) -> float:
        return max(r.score for r in scorer.score([KeyPoint(r) for r in refs], _words(answer)))

    return score


def method_lexical() -> Method:
    from app.core.scoring.keypoints import LexicalScorer

    return _app_scorer(LexicalScorer())


def method_cosine() -> Method:
    from app.core.scoring.embedder import shared_embedder

    embedder = shared_embedder()

    def score(answer: str, refs: Sequence[str], question: str) -> float:
        vectors = embedder.embed([answer, *refs])
        return float((vectors[1:] @ vectors[0]).max())

    return score


def method_spans() -> Method:
    from app.core.scoring.keypoints import EmbeddingScorer

    return _app_scorer(EmbeddingScorer())


def method_recall() -> Method:
    from app.core.scoring.recall import TokenRecallScorer

    return _app_scorer(TokenRecallScorer())


def method_judge() -> Method:
    from app.core.scoring.entailment import EntailmentJudge

    return _app_scorer(EntailmentJudge())


METHODS = {
    "lexical": method_lexical,
    "cosine": method_cosine,
    "spans": method_spans,
    "recall": method_recall,
    "judge": method_judge,
}
APP_SCORERS = ("recall", "judge")


# --- metrics ---


def metrics(scores: np.ndarray, labels: np.ndarray, threshold: float) -> dict[str, float]:
    predicted = scores >= threshold
    accuracy = float((predicted == labels).mean())
    f1s = []
    for positive in (True, False):
        tp = np.sum((predicted == positive) & (labels == positive))
        fp = np.sum((predicted == positive) & (labels != positive))
        fn = np.sum((predicted != positive) & (labels == positive))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return {"accuracy": round(accuracy, 4), "macro_f1": round(float(np.mean(f1s)), 4)}


def tune(scores: np.ndarray, labels: np.ndarray) -> float:
    """The threshold with the best macro-F1 on these (training) scores."""
    candidates = np.unique(np.round(scores, 3))
    best = max(candidates, key=lambda t: (metrics(scores, labels, t)["macro_f1"], -abs(t - np.median(candidates))))
    return float(best)


PERSONS = {
    "like Beetle's graders": lambda item: item.label == "correct",
    "lenient (partly right counts)": lambda item: item.label in ("correct", "partially_correct_incomplete"),
}


def calibration_trial(items: list[Item], scores: np.ndarray, reviewed: int, runs: int = 20) -> list[dict]:
    """Simulate people who correct the app on `reviewed` answers (5 to an attempt) to half of Beetle's
    training questions, then measure how often the app agrees with them on the other half, with the
    default threshold and with calibration. (Only the training split has the 5-way labels a lenient
    grader needs; the person's labels never come from the questions they are measured on.)"""
    from app.core.scoring.calibration import Judgement, calibrate
    from app.core.scoring.entailment import EntailmentJudge

    DEFAULT_THRESHOLD = EntailmentJudge().default_threshold  # noqa: N806

    train = [i for i in items if i.split == "train"]
    questions = sorted({i.question for i in train})
    rows = []
    for name, verdict in PERSONS.items():
        before, after, adopted, thresholds = [], [], 0, []
        for run_no in range(runs):
            rng = random.Random(run_no)
            seen = set(rng.sample(questions, len(questions) // 2))
            pool = [k for k, i in enumerate(train) if i.question in seen]
            held = np.array([k for k, i in enumerate(train) if i.question not in seen])
            truth = np.array([verdict(train[k]) for k in held])
            judgements = [
                Judgement(
                    n // 5, float(scores[k]), verdict(train[k]), verdict(train[k]) != (scores[k] >= DEFAULT_THRESHOLD)
                )
                for n, k in enumerate(rng.sample(pool, reviewed))
            ]
            result = calibrate(judgements, DEFAULT_THRESHOLD)
            adopted += result.adopted
            thresholds.append(result.threshold)
            before.append(float(((scores[held] >= DEFAULT_THRESHOLD) == truth).mean()))
            after.append(float(((scores[held] >= result.threshold) == truth).mean()))
        rows.append(
            {
                "person": name,
                "reviewed_points": reviewed,
                "runs": runs,
                "adopted_share": round(adopted / runs, 2),
                "mean_threshold": round(float(np.mean(thresholds)), 3),
                "agreement_default": round(float(np.mean(before)), 4),
                "agreement_calibrated": round(float(np.mean(after)), 4),
            }
        )
    return rows


def run(methods: Sequence[str], limit: int | None = None) -> dict:
    items = beetle()
    if limit:
        items = [i for n, i in enumerate(items) if n % max(1, len(items) // limit) == 0]
    rng = random.Random(2013)
    noisy = {id(i): spoken_style(i.answer, rng) for i in items if i.split != "train"}
    sts = sts_pairs()
    labels = {s: np.array([i.covered for i in items if i.split == s]) for s in ("train", "test_ua", "test_uq")}
    table: dict[str, dict] = {}
    calibration: list[dict] = []
    for name in methods:
        score = METHODS[name]()
        started = time.perf_counter()
        by_split = {
            s: np.array([score(i.answer, i.references, i.question) for i in items if i.split == s])
            for s in ("train", "test_ua", "test_uq")
        }
        noisy_scores = {
            s: np.array([score(noisy[id(i)], i.references, i.question) for i in items if i.split == s])
            for s in ("test_ua", "test_uq")
        }
        sts_scores = np.array([score(b, [a], "") for _, a, b in sts])
        elapsed = time.perf_counter() - started
        threshold = tune(by_split["train"], labels["train"])
        rho = spearmanr(sts_scores, [g for g, _, _ in sts]).statistic
        table[name] = {
            "threshold": round(threshold, 3),
            "train": metrics(by_split["train"], labels["train"], threshold),
            "test_ua": metrics(by_split["test_ua"], labels["test_ua"], threshold),
            "test_uq": metrics(by_split["test_uq"], labels["test_uq"], threshold),
            "test_ua_spoken_style": metrics(noisy_scores["test_ua"], labels["test_ua"], threshold),
            "test_uq_spoken_style": metrics(noisy_scores["test_uq"], labels["test_uq"], threshold),
            "sts_spearman": round(float(rho), 4),
            "ms_per_item": round(1000 * elapsed / (len(items) * 1.0 + len(noisy) + len(sts)), 2),
        }
        print(name, table[name], flush=True)
        if name == "judge":
            calibration = [
                row for reviewed in (25, 50, 100, 200) for row in calibration_trial(items, by_split["train"], reviewed)
            ]
            for row in calibration:
                print(row, flush=True)
    majority = {s: metrics(np.zeros(len(labels[s])), labels[s], 1.0) for s in ("test_ua", "test_uq")}
    return {
        "calibration": calibration if "judge" in methods else [],
        "dataset": {
            "beetle_rows": {s: int(len(v)) for s, v in labels.items()},
            "covered_share": {s: round(float(v.mean()), 3) for s, v in labels.items()},
            "sts_pairs": len(sts),
        },
        "majority_class": majority,
        "methods": table,
    }


@dataclass(frozen=True)
class Pair:
    split: str
    kind: str  # technical | behavioural
    answer_id: str
    answer: str
    point: str
    cues: tuple[str, ...]
    covered: bool


def interview(splits: Sequence[str] = ("dev", "test"), answers: str = "answers.jsonl") -> list[Pair]:
    """The in-domain set's labelled (answer, key point) pairs of these splits; covered = "covered".
    `answers="long_answers.jsonl"`: long answers that leave some points out (a separate slice)."""
    import json

    questions = {q["qid"]: q for q in map(json.loads, (INTERVIEW / "questions.jsonl").read_text().splitlines())}
    pairs = []
    for answer in map(json.loads, (INTERVIEW / answers).read_text().splitlines()):
        question = questions[answer["qid"]]
        if question["split"] not in splits:
            continue
        for point in question["key_points"]:
            pairs.append(
                Pair(
                    question["split"],
                    question["kind"],
                    answer["aid"],
                    answer["text"],
                    point["text"],
                    tuple(point.get("cues") or ()),
                    answer["labels"][point["id"]] == "covered",
                )
            )
    return pairs


def spoken_transcripts(pairs: Sequence[Pair]) -> dict[str, list]:
    """Each answer spoken by espeak-ng and transcribed by the app's model: the words a judge gets."""
    from app.core.audio.files import load_audio
    from app.core.transcribe import Transcriber, load_whisper
    from tests.conftest import speak

    model, info = load_whisper()
    transcriber = Transcriber(model, info)
    out = {}
    for pair in pairs:
        if pair.answer_id not in out:
            out[pair.answer_id] = transcriber.transcribe(load_audio(speak(pair.answer))).words
    return out


def agreement(predicted: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    negatives = max(1, int((~labels).sum()))
    false_covered = int((predicted & ~labels).sum())
    return {
        "pairs": int(len(labels)),
        "agreement": round(float((predicted == labels).mean()), 4),
        "false_covered": round(false_covered / max(1, len(labels)), 4),
        "false_covered_of_not_covered": round(false_covered / negatives, 4),
        "missed_covered": round(int((~predicted & labels).sum()) / max(1, len(labels)), 4),
        **{k: v for k, v in metrics(predicted.astype(float), labels, 0.5).items() if k == "macro_f1"},
    }


def in_domain(methods: Sequence[str], spoken: bool) -> dict:
    """Each app scorer at its own threshold on the in-domain dev and test splits (never trained on)."""
    from app.core.packs.model import KeyPoint
    from app.core.scoring.entailment import EntailmentJudge
    from app.core.scoring.recall import TokenRecallScorer

    pairs = interview()
    long_pairs = interview(answers="long_answers.jsonl")
    labels = np.array([p.covered for p in pairs])
    long_labels = np.array([p.covered for p in long_pairs])
    heard = spoken_transcripts(pairs + long_pairs) if spoken else None
    out: dict = {"pairs": len(pairs), "covered_share": round(float(labels.mean()), 3), "spoken": spoken, "methods": {}}
    makers = {"recall": TokenRecallScorer, "judge": EntailmentJudge}

    def predict(scorer, pairs: list[Pair]) -> np.ndarray:
        verdicts: dict[tuple[str, str], bool] = {}
        for answer_id in dict.fromkeys(p.answer_id for p in pairs):
            mine = [p for p in pairs if p.answer_id == answer_id]
            words = heard[answer_id] if heard else _words(mine[0].answer)
            for p, result in zip(mine, scorer.score([KeyPoint(p.point, p.cues) for p in mine], words)):
                verdicts[(answer_id, p.point)] = result.covered
        return np.array([verdicts[(p.answer_id, p.point)] for p in pairs])

    for name in [m for m in methods if m in makers]:
        scorer = makers[name]()
        predicted = predict(scorer, pairs)
        long_predicted = predict(scorer, long_pairs)
        rows = {"all": agreement(predicted, labels)}
        for label, keep in (
            ("dev", lambda p: p.split == "dev"),
            ("test", lambda p: p.split == "test"),
            ("technical", lambda p: p.kind == "technical"),
            ("behavioural", lambda p: p.kind == "behavioural"),
            ("points with cues", lambda p: bool(p.cues)),
            ("points without cues", lambda p: not p.cues),
        ):
            mask = np.array([keep(p) for p in pairs])
            rows[label] = agreement(predicted[mask], labels[mask])
        # Long, fluent answers (140-200 words) that leave one or two points out: a separate slice, written
        # after the judge was built, that asks whether a complete-sounding answer gets points it never made.
        for split in ("dev", "test"):
            mask = np.array([p.split == split for p in long_pairs])
            rows[f"long answers, {split}"] = agreement(long_predicted[mask], long_labels[mask])
        out["methods"][name] = {"threshold": round(scorer.threshold, 3), **rows}
        print(name, "in-domain", rows["all"], flush=True)
    return out


def off_question(methods: Sequence[str]) -> dict:
    """Each dev and test answer against the key points of another question (the next one of the
    same split, by id): none of those points is made, so every tick is a false "covered". The
    in-domain pairs above only ask about the answer's own question."""
    import json

    from app.core.packs.model import KeyPoint
    from app.core.scoring.entailment import EntailmentJudge
    from app.core.scoring.recall import TokenRecallScorer

    questions = {q["qid"]: q for q in map(json.loads, (INTERVIEW / "questions.jsonl").read_text().splitlines())}
    answers = [a for a in map(json.loads, (INTERVIEW / "answers.jsonl").read_text().splitlines())]
    by_split: dict[str, list[str]] = {}
    for qid, q in sorted(questions.items()):
        by_split.setdefault(q["split"], []).append(qid)
    out: dict = {}
    makers = {"recall": TokenRecallScorer, "judge": EntailmentJudge}
    for name in [m for m in methods if m in makers]:
        scorer = makers[name]()
        ticked = total = 0
        for answer in answers:
            split = questions[answer["qid"]]["split"]
            if split not in ("dev", "test"):
                continue
            ids = by_split[split]
            other = questions[ids[(ids.index(answer["qid"]) + 1) % len(ids)]]
            points = [KeyPoint(p["text"], tuple(p.get("cues") or ())) for p in other["key_points"]]
            results = scorer.score(points, _words(answer["text"]))
            ticked += sum(r.covered for r in results)
            total += len(results)
        out[name] = {"pairs": total, "false_covered": round(ticked / total, 4)}
        print(name, "off-question", out[name], flush=True)
    return out


def scoring_speed(repeats: int = 7) -> dict:
    """Time to judge a 2-minute answer (300 words) against 6 key points, on this machine:
    cold (nothing encoded yet) and at Stop after the streaming transcriber warmed the scorer."""
    import re
    import statistics

    from app.core.packs import load_pack
    from app.core.scoring.embedder import MiniLMEmbedder
    from app.core.scoring.keypoints import EmbeddingScorer
    from app.core.scoring.recall import TokenRecallScorer
    from app.core.transcribe.transcript import Word
    from tests.bench.common import REPO

    pack = load_pack(REPO / "questions" / "ml-interpretability.yaml")
    text = " ".join(q.reference_answer or "" for q in pack.questions[:4])
    sentences = re.split(r"(?<=[.?!])\s+", text.strip())
    words, t = [], 0.0
    for sentence in sentences:
        for w in sentence.split():
            words.append(Word(w, t, t + 0.3))
            t += 0.4
        t += 0.8  # a pause between sentences, as people make
    words = words[:300]
    points = list(pack.questions[0].key_points[:6])
    out: dict = {"answer_words": len(words), "key_points": len(points)}
    embedder = MiniLMEmbedder().load()  # one long-lived session, as in the app; its caches are emptied per run
    embedder.embed(["warm-up"])

    def fresh() -> MiniLMEmbedder:
        embedder._cache.clear()
        embedder._token_cache.clear()
        return embedder

    for label, make in (("spans_cold_ms", EmbeddingScorer), ("rehearse_cold_ms", TokenRecallScorer)):
        times = []
        for _ in range(repeats):
            scorer = make(fresh())
            started = time.perf_counter()
            scorer.score(points, words)
            times.append(1000 * (time.perf_counter() - started))
        out[label] = round(statistics.median(times), 1)
    # Streaming cuts chunks at pauses; the last chunk before Stop holds the last few sentences
    # (here: from the last pause at least 20 words before the end).
    last_cut = max(k for k in range(1, len(words) - 20) if words[k].start - words[k - 1].end >= 0.6)
    out["words_left_at_stop"] = len(words) - last_cut
    times = []
    for _ in range(repeats):
        scorer = TokenRecallScorer(fresh())
        scorer.warm(words[:last_cut], points)  # what the streamed chunks before the last one handed over
        started = time.perf_counter()
        scorer.score(points, words)
        times.append(1000 * (time.perf_counter() - started))
    out["rehearse_at_stop_after_warm_ms"] = round(statistics.median(times), 1)
    out["rehearse_at_stop_after_warm_max_ms"] = round(max(times), 1)

    from app.core.scoring.entailment import EntailmentJudge

    judge = EntailmentJudge(recall=TokenRecallScorer(fresh())).load()

    def at_stop(scorer, handed_over) -> float:
        """ms to judge the whole answer after the streamed words `handed_over` warmed `scorer`."""
        scorer._cache.clear()
        scorer.recall = TokenRecallScorer(fresh())
        scorer.warm(handed_over, points)
        started = time.perf_counter()
        scorer.score(points, words)
        return 1000 * (time.perf_counter() - started)

    cold, warm, paused = [], [], []
    for _ in range(repeats):
        judge._cache.clear()
        judge.recall = TokenRecallScorer(fresh())
        started = time.perf_counter()
        judge.score(points, words)
        cold.append(1000 * (time.perf_counter() - started))
        warm.append(at_stop(judge, words[:last_cut]))  # Stop while speaking: the chunks before the last
        paused.append(at_stop(judge, words))  # Stop after a pause: its speculative pass handed over every word
    out["judge_cold_ms"] = round(statistics.median(cold), 1)
    out["judge_at_stop_after_warm_ms"] = round(statistics.median(warm), 1)
    out["judge_at_stop_after_warm_max_ms"] = round(max(warm), 1)
    out["judge_at_stop_after_pause_ms"] = round(statistics.median(paused), 1)
    out["judge_at_stop_after_pause_max_ms"] = round(max(paused), 1)
    # The same Stop mid-sentence when no point was made before the last chunk, so that every
    # point reads the new words (the judge's slowest case): a judge that never stops reading.
    results = judge.score(points, words)
    out["judge_points_made"] = sum(r.covered for r in results)
    # only a point made beyond any personal threshold (`sure`) is not read again at Stop
    out["judge_points_settled"] = sum(r.score >= judge.sure for r in results)
    unsettled = EntailmentJudge(recall=TokenRecallScorer(fresh()), threshold=1.01).load()
    unmade = [at_stop(unsettled, words[:last_cut]) for _ in range(repeats)]
    out["judge_at_stop_unmade_ms"] = round(statistics.median(unmade), 1)
    out["judge_at_stop_unmade_max_ms"] = round(max(unmade), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--limit", type=int, help="score about this many Beetle rows (a quick look)")
    parser.add_argument("--spoken", action="store_true", help="in-domain answers spoken and transcribed first")
    parser.add_argument("--in-domain-only", action="store_true", help="only the in-domain set (a quick look)")
    parser.add_argument("--speed-only", action="store_true", help="only the speed figures, into grading.json")
    parser.add_argument("--off-question-only", action="store_true", help="only points of other questions, likewise")
    args = parser.parse_args()
    if args.speed_only or args.off_question_only:
        path = RESULTS / "grading.json"
        result = json.loads(path.read_text())
        if args.off_question_only:
            result["off_question"] = off_question(args.methods)
        else:
            result["speed"] = scoring_speed()
        result["speed_measured" if args.speed_only else "off_question_measured"] = machine()
        path.write_text(json.dumps(result, indent=2) + "\n")
        print(result["speed"])
        return
    if args.in_domain_only:
        print(in_domain(args.methods, args.spoken))
        return
    result = run(args.methods, args.limit)
    result["in_domain"] = in_domain(args.methods, spoken=False)
    result["in_domain_spoken"] = in_domain(args.methods, spoken=True) if args.spoken else None
    result["off_question"] = off_question(args.methods)
    result["speed"] = scoring_speed()
    print(result["speed"])
    if not args.limit and args.methods == list(METHODS):
        print("wrote", write_result("grading", result))


if __name__ == "__main__":
    main()
