"""Tune the STAR part thresholds of the story judge on the in-domain set's TRAIN split, and
report them on dev. Writes the "star" thresholds into resources/models/star/judge.json.

Runs with the app's own judge (no torch): `python training/tune_star.py` from the repository root.
Never reads the test split.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.core.packs.model import KeyPoint  # noqa: E402
from app.core.scoring.entailment import EntailmentJudge, story_judge_dir  # noqa: E402
from app.core.scoring.star import PARTS  # noqa: E402
from app.core.transcribe.transcript import Word  # noqa: E402

DATA = REPO / "tests" / "data" / "eval" / "grading" / "interview"


def stories(split: str) -> list[dict]:
    """The stories of one split, leaving out the second batch of train answers (aids "<qid>#x1".."#x4"):
    those were written to teach the key points (short, plain, near-miss), not as stories, and with
    them the story judge's thresholds did worse on dev (situation 0.88, task 0.64, action 0.84,
    result 0.64 against 0.92, 0.88, 0.84, 0.76 without them; 25 dev stories). The third batch
    ("#b1".."#b6") came after the shipped thresholds were tuned and is left out so they rebuild."""
    questions = {q["qid"]: q for q in map(json.loads, (DATA / "questions.jsonl").read_text().splitlines())}
    return [
        a
        for a in map(json.loads, (DATA / "answers.jsonl").read_text().splitlines())
        if "star" in a and questions[a["qid"]]["split"] == split and "#x" not in a["aid"] and "#b" not in a["aid"]
    ]


def scores(judge: EntailmentJudge, answers: list[dict]) -> np.ndarray:
    """(answers, parts) best-window probabilities."""
    out = []
    for answer in answers:
        words = [Word(w, i * 0.3, i * 0.3 + 0.25) for i, w in enumerate(answer["text"].split())]
        out.append([r.score for r in judge.score([KeyPoint(p.hypothesis) for p in PARTS], words)])
    return np.array(out)


def main() -> None:
    judge = EntailmentJudge(story_judge_dir()).load()
    train, dev = stories("train"), stories("dev")
    s_train, s_dev = scores(judge, train), scores(judge, dev)
    chosen, report = {}, {}
    for k, part in enumerate(PARTS):
        y = np.array([a["star"][part.name] for a in train])
        candidates = np.unique(np.round(s_train[:, k], 3))
        best = max(candidates, key=lambda t: (((s_train[:, k] >= t) == y).mean(), -abs(t - 0.5)))
        chosen[part.name] = round(float(best), 3)
        y_dev = np.array([a["star"][part.name] for a in dev])
        report[part.name] = {
            "threshold": chosen[part.name],
            "train_accuracy": round(float(((s_train[:, k] >= best) == y).mean()), 3),
            "dev_accuracy": round(float(((s_dev[:, k] >= best) == y_dev).mean()), 3),
            "dev_majority": round(float(max(y_dev.mean(), 1 - y_dev.mean())), 3),
            "train_stories": len(train),
            "dev_stories": len(dev),
        }
    path = judge.model_dir / "judge.json"
    data = json.loads(path.read_text())
    data["star"] = chosen
    data["star_report"] = report
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
