"""An answer's length against its target band, in numbers and in words.

Its own module so that the records, the progress charts and the scheduler can all use it without
importing each other.
"""

from __future__ import annotations

from app.core.scoring.delivery import TARGET_HIGH, TARGET_LOW


def timing_error(duration_s: float, target_s: float | None) -> float:
    """How far outside the target band (60-110 % of target) an answer ran, as a share of the target."""
    if not target_s:
        return 0.0
    ratio = duration_s / target_s
    if ratio < TARGET_LOW:
        return TARGET_LOW - ratio
    if ratio > TARGET_HIGH:
        return ratio - TARGET_HIGH
    return 0.0


def describe_timing(duration_s: float, target_s: float | None) -> str:
    if not target_s:
        return "no target"
    ratio = duration_s / target_s
    if ratio < TARGET_LOW:
        return f"stopped at {ratio:.0%} of the target"
    if ratio > TARGET_HIGH:
        return f"ran {ratio - 1:.0%} over the target"
    return "on target"
