"""The filler tuning set (tests/data/eval/fillers_dev) is labelled right, big enough, and apart
from the reported set (tests/data/eval/fillers): other wording, mostly other voices."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.core.scoring.delivery import find_fillers
from app.core.transcribe.transcript import Word

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval"


def _bare(word: str) -> str:
    return re.sub(r"[^a-z]", "", word.lower())


def test_the_tuning_set_is_labelled_sized_and_apart_from_the_reported_set() -> None:
    dev = json.loads((EVAL / "fillers_dev" / "manifest.json").read_text())
    reported = json.loads((EVAL / "fillers" / "manifest.json").read_text())
    disfluent = [item for item in dev if item["fillers"]]
    fluent = [item for item in dev if not item["fillers"]]
    assert len(disfluent) >= 12 and len(fluent) >= 4
    for item in dev:
        words = item["text"].split()
        assert [i for i, w in enumerate(words) if _bare(w) in ("um", "uh")] == item["fillers"], item["id"]
    fluent_text = " ".join(item["text"] for item in fluent).lower()
    assert all(re.search(rf"\b{w}\b", fluent_text) for w in ("like", "so", "right", "well"))
    for item in fluent:
        assert find_fillers([Word(w, i * 0.3, i * 0.3 + 0.3) for i, w in enumerate(item["text"].split())]) == []
    # Nothing tuned on the reported set: no sentence shared, and voices it never uses.
    sentences = {s.strip().lower() for item in reported for s in re.split(r"[.?!]", item["text"]) if len(s) > 20}
    assert not any(s.strip().lower() in sentences for item in dev for s in re.split(r"[.?!]", item["text"]))
    dev_voices = {v for item in dev for v, _ in item["renditions"]}
    reported_voices = {v for item in reported for v, _ in item["renditions"]}
    assert len(dev_voices - reported_voices) >= 3
    assert sum(len(item["fillers"]) * len(item["renditions"]) for item in dev) >= 60
