"""The filler set of tests/data/eval/fillers is what bench_fidelity's recall and precision claim."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.core.scoring.delivery import find_fillers
from app.core.transcribe.transcript import Word

MANIFEST = Path(__file__).resolve().parents[1] / "data" / "eval" / "fillers" / "manifest.json"


def test_positions_name_the_fillers_and_the_set_is_large_and_varied_enough() -> None:
    items = json.loads(MANIFEST.read_text())
    spoken = 0
    for item in items:
        words = item["text"].split()
        marked = [re.sub(r"[^a-z]", "", words[i].lower()) for i in item["fillers"]]
        assert set(marked) <= {"um", "uh"}, item["id"]
        assert not any(
            re.sub(r"[^a-z]", "", w.lower()) in ("um", "uh") for i, w in enumerate(words) if i not in item["fillers"]
        )
        spoken += len(item["fillers"]) * len(item["renditions"])
    assert spoken >= 60
    renditions = {tuple(r) for item in items for r in item["renditions"]}
    assert len({v for v, _ in renditions}) >= 3 and all(140 <= s <= 190 for _, s in renditions)
    fluent = [item for item in items if not item["fillers"]]
    text = " ".join(item["text"] for item in fluent).lower()
    assert all(re.search(rf"\b{w}\b", text) for w in ("like", "so", "right"))
    # Written as a person would say them, the fluent answers hold no filler for the app to find.
    for item in fluent:
        assert find_fillers([Word(w, i * 0.3, i * 0.3 + 0.3) for i, w in enumerate(item["text"].split())]) == []
