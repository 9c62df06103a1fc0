#!/usr/bin/env python3
"""Validate the interview grading set and print its counts (stdlib only).

    python tests/data/eval/grading/interview/check.py

Exits with status 1 if anything is wrong.
"""

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = {"train", "dev", "test"}
KINDS = {"technical", "behavioural"}
LABELS = {"covered", "partial", "not_covered", "contradicted"}
STAR_KEYS = {"situation", "task", "action", "result"}
MIN_WORDS, MAX_WORDS = 60, 250


def load(name, errors):
    rows = []
    with open(HERE / name, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append((n, json.loads(line)))
            except json.JSONDecodeError as e:
                errors.append(f"{name}:{n}: not JSON: {e}")
    return rows


def check_answers(name, rows, questions, aids, errors, warnings):
    """Per question, its answers in `rows` (from file `name`), after checking each one."""
    per_q = defaultdict(list)
    for n, a in rows:
        where = f"{name}:{n}"
        aid, qid = a.get("aid"), a.get("qid")
        if aid in aids:
            errors.append(f"{where}: duplicate aid {aid}")
        aids.add(aid)
        q = questions.get(qid)
        if q is None:
            errors.append(f"{where}: unknown qid {qid}")
            continue
        per_q[qid].append(a)
        if not a.get("style"):
            errors.append(f"{where}: no style")
        words = len((a.get("text") or "").split())
        if not MIN_WORDS <= words <= MAX_WORDS:
            errors.append(f"{where}: {aid} has {words} words (want {MIN_WORDS}-{MAX_WORDS})")
        labels = a.get("labels") or {}
        want = {k["id"] for k in q["key_points"]}
        if set(labels) != want:
            errors.append(f"{where}: {aid} labels {sorted(labels)} != key points {sorted(want)}")
        for kp, lab in labels.items():
            if lab not in LABELS:
                errors.append(f"{where}: {aid} {kp}: bad label {lab!r}")
        if q["kind"] == "behavioural":
            star = a.get("star")
            if (
                not isinstance(star, dict)
                or set(star) != STAR_KEYS
                or not all(isinstance(v, bool) for v in star.values())
            ):
                errors.append(f"{where}: {aid} behavioural answer needs star with 4 booleans")
        elif "star" in a:
            warnings.append(f"{where}: {aid} technical answer has a star field")
    return per_q


def check_evidence(rows, answers, questions, errors):
    """evidence.jsonl: for every covered or partial pair of a train question, the verbatim passages that make it."""
    by_aid = {a["aid"]: a for _, a in answers}
    need = {
        (a["aid"], kp)
        for a in by_aid.values()
        if questions.get(a["qid"], {}).get("split") == "train"
        for kp, label in a["labels"].items()
        if label in ("covered", "partial")
    }
    seen = set()
    for n, row in rows:
        where = f"evidence.jsonl:{n}"
        key = (row.get("aid"), row.get("kp"))
        if key not in need:
            errors.append(f"{where}: {key} is not a covered or partial pair of a train question")
            continue
        if key in seen:
            errors.append(f"{where}: {key} given twice")
        seen.add(key)
        quotes = row.get("evidence")
        if not isinstance(quotes, list) or not quotes:
            errors.append(f"{where}: {key} needs a non-empty list of passages")
            continue
        for quote in quotes:
            if not isinstance(quote, str) or quote not in by_aid[key[0]]["text"]:
                errors.append(f"{where}: {key} passage not in the answer: {str(quote)[:60]!r}")
            elif len(quote.split()) < 3:
                errors.append(f"{where}: {key} passage of fewer than 3 words: {quote!r}")
    for key in sorted(need - seen)[:20]:
        errors.append(f"evidence.jsonl: no passages for {key}")


def check_next_story(rows, answers, questions, errors):
    """next_story_labels.jsonl: each dev story against the points of the next dev question (sorted by id) when
    that question is a story too, labelled as the answers are; a quote for every covered or partial pair."""
    by_aid = {a["aid"]: a for _, a in answers}
    dev = sorted(qid for qid, q in questions.items() if q["split"] == "dev")
    after = {qid: dev[(i + 1) % len(dev)] for i, qid in enumerate(dev)}
    for n, row in rows:
        where = f"next_story_labels.jsonl:{n}"
        answer = by_aid.get(row.get("aid"))
        if answer is None or answer["qid"] not in after or after[answer["qid"]] != row.get("point_qid"):
            errors.append(f"{where}: not a dev answer against the next dev question's points")
            continue
        if row.get("kp") not in {kp["id"] for kp in questions[row["point_qid"]]["key_points"]}:
            errors.append(f"{where}: {row.get('point_qid')} has no point {row.get('kp')}")
        if row.get("label") not in ("covered", "partial", "not_covered"):
            errors.append(f"{where}: label {row.get('label')!r}")
        quote = row.get("quote", "")
        if (row.get("label") == "not_covered") != (quote == "") or quote not in answer["text"]:
            errors.append(f"{where}: the quote must be a passage of the answer, and empty only when not covered")


def main():
    errors, warnings = [], []
    questions = {}
    for n, q in load("questions.jsonl", errors):
        where = f"questions.jsonl:{n}"
        for key in ("qid", "split", "kind", "domain", "question", "key_points"):
            if key not in q:
                errors.append(f"{where}: missing {key}")
        qid = q.get("qid")
        if qid in questions:
            errors.append(f"{where}: duplicate qid {qid}")
        if q.get("split") not in SPLITS:
            errors.append(f"{where}: bad split {q.get('split')!r}")
        if q.get("kind") not in KINDS:
            errors.append(f"{where}: bad kind {q.get('kind')!r}")
        kps = q.get("key_points") or []
        if not kps:
            errors.append(f"{where}: no key points")
        ids = [k.get("id") for k in kps]
        if len(set(ids)) != len(ids):
            errors.append(f"{where}: duplicate key point ids in {qid}")
        for k in kps:
            if not (k.get("text") or "").strip():
                errors.append(f"{where}: empty key point text in {qid}")
            if not isinstance(k.get("cues", []), list):
                errors.append(f"{where}: cues must be a list in {qid}")
        questions[qid] = q

    answers = load("answers.jsonl", errors)
    aids = set()
    per_q = check_answers("answers.jsonl", answers, questions, aids, errors, warnings)
    # Long answers that leave points out: an evaluation slice of dev and test questions only.
    long_answers = load("long_answers.jsonl", errors)
    long_q = check_answers("long_answers.jsonl", long_answers, questions, aids, errors, warnings)
    for qid in long_q:
        if questions[qid]["split"] not in ("dev", "test"):
            errors.append(f"long_answers.jsonl: {qid} is not a dev or test question")

    check_evidence(load("evidence.jsonl", errors), answers, questions, errors)
    next_story = load("next_story_labels.jsonl", errors)
    check_next_story(next_story, answers, questions, errors)

    # splits are by question: an answer's split is its question's split, so a question
    # cannot leak across splits; check question text is not repeated across splits
    text_split = defaultdict(set)
    for q in questions.values():
        text_split[q["question"].strip().lower()].add(q["split"])
    for t, s in text_split.items():
        if len(s) > 1:
            errors.append(f"question text in several splits {sorted(s)}: {t[:60]}")
    for qid, q in questions.items():
        if not per_q.get(qid):
            warnings.append(f"question {qid} has no answers")
        if q.get("source") == "new":
            styles = {a["style"] for a in per_q.get(qid, [])}
            if len(per_q.get(qid, [])) < 4 or len(styles) < 4:
                errors.append(f"new question {qid}: needs >= 4 answers of different styles")
            if q["kind"] == "behavioural":
                for need in ("star-good", "star-missing-result", "star-vague"):
                    if need not in styles:
                        errors.append(f"behavioural question {qid}: no {need} answer")

    # counts
    print(
        f"{'split':6} {'kind':12} {'source':8} {'questions':>9} {'answers':>8} {'pairs':>6} "
        f"{'covered':>8} {'partial':>8} {'not_cov':>8} {'contra':>7}"
    )
    groups = defaultdict(lambda: [0, 0, Counter()])
    for qid, q in questions.items():
        key = (q["split"], q["kind"], "new" if q.get("source") == "new" else "built-in")
        groups[key][0] += 1
        for a in per_q.get(qid, []):
            groups[key][1] += 1
            groups[key][2].update(a["labels"].values())
    tot = [0, 0, Counter()]
    for key in sorted(groups, key=lambda k: (["train", "dev", "test"].index(k[0]), k[1], k[2])):
        nq, na, c = groups[key]
        tot[0] += nq
        tot[1] += na
        tot[2].update(c)
        print(
            f"{key[0]:6} {key[1]:12} {key[2]:8} {nq:9} {na:8} {sum(c.values()):6} "
            f"{c['covered']:8} {c['partial']:8} {c['not_covered']:8} {c['contradicted']:7}"
        )
    c = tot[2]
    print(
        f"{'all':6} {'':12} {'':8} {tot[0]:9} {tot[1]:8} {sum(c.values()):6} "
        f"{c['covered']:8} {c['partial']:8} {c['not_covered']:8} {c['contradicted']:7}"
    )
    new_dt = sum(sum(g[2].values()) for k, g in groups.items() if k[0] in ("dev", "test") and k[2] == "new")
    share = c["covered"] / max(1, sum(c.values()))
    print(f"pairs in dev+test from new questions: {new_dt}; covered share overall: {share:.2f}")
    print("styles:", dict(Counter(a["style"] for _, a in answers).most_common()))
    long_labels = Counter(label for _, a in long_answers for label in a["labels"].values())
    print(f"long_answers.jsonl: {len(long_answers)} answers, labels {dict(long_labels.most_common())}")
    story_labels = Counter(row["label"] for _, row in next_story)
    print(f"next_story_labels.jsonl: {len(next_story)} pairs, labels {dict(story_labels.most_common())}")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e, file=sys.stderr)
    if errors:
        print(f"{len(errors)} error(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
