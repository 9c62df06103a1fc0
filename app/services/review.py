"""Looking back at answers, as the GUI asks for it: the list, one answer, notes, bookmarks, deletes,
comparisons, progress and question reports.

The pages call these (on the work pool) instead of reaching into the history store, so what a
page shows is worked out here, where a test can reach it without a window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.core.review.compare import Comparison, compare_attempts
from app.core.review.progress import (
    PackSummary,
    Progress,
    WeekTotal,
    daily_series,
    local_day,
    pack_summary,
    question_series,
    streak,
    weekly_totals,
    with_manner,
)

if TYPE_CHECKING:
    from app.core.packs import Pack, PackLibrary
    from app.core.ports import HistoryStore
    from app.core.records import AttemptDetail, AttemptSummary, Bookmark
    from app.core.review.reports import ChartRenderer
    from app.core.review.scheduler import Order, Pick


@dataclass(frozen=True)
class ProgressData:
    """What the Progress page shows for a pack (or all packs) and maybe one question."""

    pack_id: str | None
    question_id: str | None
    progress: Progress
    summary: PackSummary | None
    streak_days: int
    practised_today: bool
    weeks: list[WeekTotal]


class ReviewService:
    """The review use cases over one history store (opened on first use, off the GUI thread)."""

    def __init__(self, store: Callable[[], HistoryStore], library: PackLibrary) -> None:
        self._store = store
        self.library = library

    @property
    def history(self) -> HistoryStore:
        return self._store()

    # -- answers ---------------------------------------------------------------------------------
    def attempts(self, **filters: Any) -> list[AttemptSummary]:
        """The history list (filters as HistoryStore.attempt_summaries takes them)."""
        return self.history.attempt_summaries(**filters)

    def attempt(self, attempt_id: int) -> AttemptDetail:
        return self.history.get_attempt(attempt_id)

    def attempt_details(self, attempt_ids: Sequence[int]) -> list[AttemptDetail]:
        return [self.history.get_attempt(i) for i in attempt_ids]

    def set_note(self, attempt_id: int, note: str | None) -> None:
        self.history.set_note(attempt_id, note or None)

    def delete_attempt(self, attempt_id: int) -> None:
        self.history.delete_attempt(attempt_id)

    def add_bookmark(self, attempt_id: int, at_s: float, note: str = "") -> Bookmark:
        return self.history.add_bookmark(attempt_id, at_s, note)

    def delete_bookmark(self, bookmark_id: int) -> None:
        self.history.delete_bookmark(bookmark_id)

    # -- comparing ---------------------------------------------------------------------------------
    def compare_pair(self, first_id: int, second_id: int) -> tuple[Comparison, list[AttemptSummary]]:
        """Both attempts, their comparison and every attempt at the same question."""
        first, second = self.attempt(first_id), self.attempt(second_id)
        siblings = self.attempts(pack_id=first.summary.pack_id, question_id=first.summary.question_id)
        return compare_attempts(first, second), siblings

    def compare_with_neighbour(self, attempt_id: int) -> tuple[Comparison, list[AttemptSummary]]:
        """An attempt against the answer before it (or after it, for the first answer)."""
        detail = self.attempt(attempt_id)
        siblings = self.attempts(pack_id=detail.summary.pack_id, question_id=detail.summary.question_id)
        position = next(i for i, s in enumerate(siblings) if s.id == attempt_id)  # newest first
        if len(siblings) < 2:
            raise ValueError("this is your only answer to this question so far")
        other = siblings[position + 1] if position + 1 < len(siblings) else siblings[position - 1]
        return compare_attempts(detail, self.attempt(other.id)), siblings

    # -- progress and reports ----------------------------------------------------------------------
    def progress(self, pack: Pack | None, question_id: str | None, now: datetime | None = None) -> ProgressData:
        """The series to plot and the summary beside them."""
        now = now or datetime.now(UTC)
        points = self.history.progress_points(pack_id=pack.id if pack else None)
        if question_id:
            points_shown = [p for p in points if p.question_id == question_id]
            progress = question_series(points_shown)
        else:
            points_shown = points
            progress = daily_series(points)
        figures = self.history.delivery_figures(pack_id=pack.id if pack else None, question_id=question_id)
        progress = with_manner(progress, points_shown, figures)
        if pack:  # the pack summary has the streak and the weeks of these same points
            this_pack = pack_summary(pack, points, now)
            summary: PackSummary | None = this_pack
            days, today_done, weeks = this_pack.streak_days, this_pack.practised_today, this_pack.weeks
        else:
            summary = None
            today = now.astimezone().date()
            days, today_done = streak({local_day(p.at) for p in points}, today)
            weeks = weekly_totals(points, today)
        return ProgressData(pack.id if pack else None, question_id, progress, summary, days, today_done, weeks)

    def question_report(
        self, pack: Pack, question_id: str, fmt: str, render_charts: ChartRenderer | None = None
    ) -> str:
        from app.core.review.reports import question_report

        return question_report(
            self.history,
            self.library,
            pack.source and str(pack.source) or pack.id,
            question_id,
            fmt,
            render_charts=render_charts,
        )

    def weakest_first(self, pack: Pack, order: Order | None = None) -> list[Pick]:
        """The scheduler's order for a weakest-first round, from this pack's history."""
        from app.core.review.scheduler import Order, schedule

        return schedule(pack, self.history.progress_points(pack_id=pack.id), order=order or Order.WEAK_FIRST)
