"""The ports the core needs from the outside world, as protocols.

The core and the services depend on these, never on `app.db`: the SQLite adapter
(`app.db.history.History`) implements `HistoryStore`, and a test can hand in another store. The
import contract in pyproject.toml ([tool.importlinter]) keeps it that way.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from app.core.analysis import AnswerAnalysis
    from app.core.packs.model import Pack, Question
    from app.core.paths import DataDir
    from app.core.records import AttemptDetail, AttemptSummary, Bookmark, PlanSettings, ProgressPoint, QuestionStats
    from app.core.scoring.calibration import Judgement
    from app.core.scoring.voice import Baseline


class HistoryStore(Protocol):
    """Where attempts, sessions, corrections, bookmarks and interview plans are kept."""

    data_dir: DataDir

    def close(self) -> None: ...

    # sessions and attempts
    def start_session(self, pack: Pack, mode: str) -> int: ...
    def end_session(self, session_id: int) -> None: ...
    def save_attempt(
        self,
        pack: Pack,
        question: Question,
        analysis: AnswerAnalysis,
        audio_path: Path | None,
        *,
        session_id: int | None = None,
        settings: dict[str, Any] | None = None,
        status: str = "complete",
        created_at: datetime | None = None,
        parent_attempt_id: int | None = None,
    ) -> int: ...
    def attempt_with_audio(self, audio_path: Path) -> int | None: ...
    def delete_attempt(self, attempt_id: int) -> None: ...
    def delete_all(self) -> None: ...

    # reading
    def list_attempts(
        self,
        *,
        pack_id: str | None = None,
        question_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        order_by: str = "created_at",
        descending: bool = True,
        limit: int | None = None,
    ) -> list[AttemptSummary]: ...
    def attempt_summaries(
        self,
        *,
        pack_id: str | None = None,
        question_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        session_id: int | None = None,
        order_by: str = "created_at",
        descending: bool = True,
        limit: int | None = None,
        text: str | None = None,
    ) -> list[AttemptSummary]: ...
    def get_attempt(self, attempt_id: int) -> AttemptDetail: ...
    def progress_points(self, *, pack_id: str | None = None, question_id: str | None = None) -> list[ProgressPoint]: ...
    def delivery_figures(
        self, *, pack_id: str | None = None, question_id: str | None = None
    ) -> dict[int, dict[str, Any]]: ...
    def question_stats(self, pack_id: str) -> dict[str, QuestionStats]: ...
    def last_session_id(self, mode: str) -> int | None: ...
    def count_attempts(self) -> int: ...
    def voice_baseline(self, limit: int = 20) -> Baseline: ...

    # the person's notes, corrections and bookmarks
    def set_note(self, attempt_id: int, note: str | None) -> None: ...
    def set_override(self, attempt_id: int, position: int, covered: bool | None) -> float: ...
    def overrides(self) -> list[tuple[float, float, bool]]: ...
    def reviewed_judgements(self, scorer: str) -> list[Judgement]: ...
    def add_bookmark(self, attempt_id: int, at_s: float, note: str = "") -> Bookmark: ...
    def bookmarks(self, attempt_id: int) -> list[Bookmark]: ...
    def delete_bookmark(self, bookmark_id: int) -> None: ...

    # interview plans
    def get_plan(self, pack_id: str | None) -> PlanSettings | None: ...
    def set_plan(self, plan: PlanSettings) -> None: ...
    def clear_plan(self, pack_id: str | None) -> bool: ...
