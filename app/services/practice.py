"""Practising, as the start page and the main window ask for it: each question's record, the
interview date plan, practice sessions, and "Delete all my data".

The window calls these (on the work pool) instead of reaching into the history store.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.packs import Pack, PackLibrary
    from app.core.ports import HistoryStore
    from app.core.records import PlanSettings, QuestionStats
    from app.core.review.plan import Plan


class PracticeService:
    """The practice use cases over one history store (opened on first use, off the GUI thread)."""

    def __init__(self, store: Callable[[], HistoryStore], library: PackLibrary) -> None:
        self._store = store
        self.library = library

    @property
    def history(self) -> HistoryStore:
        return self._store()

    def question_stats(self, pack_id: str) -> dict[str, QuestionStats]:
        return self.history.question_stats(pack_id)

    def plan(self, pack_id: str | None, now: datetime | None = None) -> Plan | None:
        """The stored interview plan of a pack worked out from today's history; None without one."""
        from app.core.review.plan import interview_plan

        return interview_plan(self, pack_id, now)

    def set_plan(self, settings: PlanSettings) -> None:
        self.history.set_plan(settings)

    def clear_plan(self, pack_id: str | None) -> bool:
        return self.history.clear_plan(pack_id)

    def start_session(self, pack: Pack, mode: str) -> int:
        return self.history.start_session(pack, mode)

    def delete_all(self) -> None:
        """'Delete all my data': every attempt, plan and recording."""
        self.history.delete_all()
