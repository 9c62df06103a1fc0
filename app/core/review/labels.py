"""Names for attempts in a list a person picks from (Compare's dropdowns): never two alike.

Two answers a few seconds apart share their minute, so a date to the minute names both the
same; the seconds are added where that happens, and the attempt number if even they agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.practice import format_seconds

if TYPE_CHECKING:
    from app.core.records import AttemptSummary


def attempt_labels(summaries: Sequence[AttemptSummary]) -> list[str]:
    """'2026-11-30 00:01 · 1:07 · 2/3 points', with ':15' seconds (or '#12') only where needed to tell two apart."""
    minutes = [f"{s.created_at.astimezone():%Y-%m-%d %H:%M}" for s in summaries]
    shared = Counter(minutes)
    whens = [
        f"{s.created_at.astimezone():%Y-%m-%d %H:%M:%S}" if shared[m] > 1 else m for s, m in zip(summaries, minutes)
    ]
    labels = [
        f"{w} · {format_seconds(s.duration_s)} · {s.covered_count}/{s.point_count} points"
        for s, w in zip(summaries, whens)
    ]
    alike = Counter(labels)
    return [f"{label} · #{s.id}" if alike[label] > 1 else label for s, label in zip(summaries, labels)]
