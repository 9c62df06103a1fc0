"""Reading and writing practice history. Every write is one transaction; results are plain objects.

Rows never leave this module: callers get frozen dataclasses, so a GUI thread can hold them
while a worker thread opens its own short session.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sqlalchemy import ColumnElement, CursorResult, Engine, String, case, delete, func, select, type_coerce
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload, selectinload, sessionmaker

from app.core.analysis import AnswerAnalysis
from app.core.packs.model import KeyPoint, Pack, Question
from app.core.paths import DataDir
from app.core.records import (  # the core's records, importable from here as before
    SCORED_STATUSES,
    AttemptDetail,
    AttemptSummary,
    Bookmark,
    ProgressPoint,
    QuestionStats,
)
from app.core.scoring.calibration import Judgement
from app.core.scoring.delivery import Delivery
from app.core.scoring.keypoints import PointResult
from app.core.transcribe.transcript import Transcript
from app.db.engine import open_database
from app.db.models import (
    AttemptRow,
    BookmarkRow,
    KeyPointResultRow,
    PackRow,
    PlanRow,
    PracticeSessionRow,
    QuestionRow,
    utcnow,
)
from app.db.read_cache import ReadCache

if TYPE_CHECKING:
    from app.core.records import PlanSettings
    from app.core.scoring.voice import Baseline

SORTABLE = {
    "created_at": AttemptRow.created_at,
    "duration_s": AttemptRow.duration_s,
    "coverage": AttemptRow.coverage,
    "words_per_minute": AttemptRow.words_per_minute,
    "filler_count": AttemptRow.filler_count,
    "long_pause_count": AttemptRow.long_pause_count,
}


@contextmanager
def _bulk_objects() -> Iterator[None]:
    """Making ten thousand small objects sets off full garbage collections of the whole heap
    (a third of the time at 10k rows); none of them can be garbage, so collect afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _aware(value: datetime | None) -> datetime | None:
    """SQLite drops the zone; everything is stored in UTC."""
    return None if value is None else _utc_aware(value)


def _utc_aware(value: datetime) -> datetime:
    """_aware for a column that is never NULL."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class _QuestionInfo(NamedTuple):
    pack_id: str
    pack_title: str
    question_id: str
    text: str
    category: str | None


def _matching(questions: dict[int, _QuestionInfo], pack_id: str | None, question_id: str | None) -> list[int]:
    """The question rows (every version) of a pack and/or question id."""
    return [
        row_id
        for row_id, info in questions.items()
        if (not pack_id or info.pack_id == pack_id) and (not question_id or info.question_id == question_id)
    ]


def _of_questions(row_ids: list[int]) -> Any:
    """Attempts of these question rows. The "+ 0" keeps SQLite on the covering index in date order:
    reading every entry of that index is quicker than fetching thousands of full rows by question
    and sorting them (15 against 27 ms for one pack at 10,000 attempts)."""
    return (AttemptRow.question_row_id + 0).in_(row_ids)


def _utc(stored: str) -> datetime:
    """A created_at read as its stored text (SQLite keeps UTC without a zone): four times quicker than
    parsing and then setting the zone, which counts at 10,000 rows."""
    return datetime.fromisoformat(stored + "+00:00")


def _audio_file(root: str, stored: str | None) -> str | None:
    """A recording's absolute path as text; stored paths are relative to the data folder (see DataDir.relative)."""
    if not stored:
        return None
    return stored if os.path.isabs(stored) else root + stored


def _bookmark(row: BookmarkRow) -> Bookmark:
    return Bookmark(row.id, row.attempt_id, row.at_s, row.note, _utc_aware(row.created_at))


class History:
    """The practice history of one data folder."""

    def __init__(self, data_dir: DataDir, engine: Engine | None = None) -> None:
        self.data_dir = data_dir
        self.engine = engine or open_database(data_dir.database)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._root = str(data_dir.root) + os.sep
        self._cache = ReadCache(Path(self.engine.url.database or data_dir.database))

    @classmethod
    def open(cls, data_dir: DataDir) -> History:
        data_dir.create()
        return cls(data_dir)

    def close(self) -> None:
        self._cache.close()
        self.engine.dispose()

    # -- packs and questions -------------------------------------------------------------------
    def _pack_row(self, session: Session, pack: Pack) -> PackRow:
        query = select(PackRow).where(PackRow.pack_id == pack.id)
        row = session.scalar(query)
        if row is None:
            # Another writer (a save on the transcription lane, a session started on the database
            # lane, another process) may add the same pack between the select and this insert.
            session.execute(
                sqlite_insert(PackRow)
                .values(
                    pack_id=pack.id,
                    title=pack.title,
                    source_path=str(pack.source) if pack.source else None,
                )
                .on_conflict_do_nothing()
            )
            row = session.scalars(query).one()
        elif row.title != pack.title:
            row.title = pack.title
        return row

    def _question_row(self, session: Session, pack: Pack, question: Question) -> QuestionRow:
        pack_row = self._pack_row(session, pack)
        query = select(QuestionRow).where(
            QuestionRow.pack_row_id == pack_row.id,
            QuestionRow.question_id == question.id,
            QuestionRow.content_hash == question.content_hash,
        )
        row = session.scalar(query)
        if row is None:  # inserted unless another writer just did (as for the pack row)
            session.execute(
                sqlite_insert(QuestionRow)
                .values(
                    pack_row_id=pack_row.id,
                    question_id=question.id,
                    content_hash=question.content_hash,
                    text=question.text,
                    category=question.category,
                    prep_seconds=question.prep_seconds,
                    answer_seconds=question.answer_seconds,
                    reference_answer=question.reference_answer,
                    key_points=[
                        {"point": kp.text, "cues": list(kp.cues), "examples": list(kp.examples)}
                        for kp in question.key_points
                    ],
                )
                .on_conflict_do_nothing()
            )
            row = session.scalars(query).one()
        return row

    # -- sessions --------------------------------------------------------------------------------
    def start_session(self, pack: Pack, mode: str) -> int:
        with self._sessions.begin() as session:
            row = PracticeSessionRow(pack_row_id=self._pack_row(session, pack).id, mode=mode)
            session.add(row)
            session.flush()
            return row.id

    def end_session(self, session_id: int) -> None:
        with self._sessions.begin() as session:
            row = session.get(PracticeSessionRow, session_id)
            if row is not None:
                row.ended_at = utcnow()

    # -- attempts ----------------------------------------------------------------------------------
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
    ) -> int:
        """Store one scored answer and its key-point results in a single transaction."""
        delivery = analysis.delivery
        with self._sessions.begin() as session:
            question_row = self._question_row(session, pack, question)
            attempt = AttemptRow(
                question_row_id=question_row.id,
                session_id=session_id,
                created_at=created_at or utcnow(),
                status=status,
                audio_path=self.data_dir.relative(audio_path) if audio_path else None,
                duration_s=delivery.duration_s,
                target_s=delivery.target_s,
                speech_start_s=delivery.speech_start_s,
                words_per_minute=delivery.words_per_minute,
                word_count=delivery.word_count,
                filler_count=len(delivery.fillers),
                long_pause_count=len(delivery.long_pauses),
                coverage=analysis.coverage,
                covered_count=analysis.covered_count,
                point_count=len(analysis.key_points),
                transcript=analysis.transcript.text,
                raw_transcript=analysis.transcript.raw_text,
                transcript_data=analysis.transcript.to_dict(),
                delivery=delivery.to_dict(),
                settings={"scorer": analysis.scorer, **(settings or {})},
                parent_attempt_id=parent_attempt_id,
            )
            for position, result in enumerate(analysis.key_points):
                data = result.to_dict()
                attempt.point_results.append(
                    KeyPointResultRow(
                        position=position,
                        point=result.point,
                        auto_covered=result.covered,
                        override=result.override,
                        score=result.score,
                        threshold=result.threshold,
                        evidence=result.evidence.text if result.evidence else None,
                        detail={
                            k: data[k]
                            for k in (
                                "evidence_words",
                                "evidence_start_s",
                                "evidence_end_s",
                                "matched_cues",
                                "missing_words",
                            )
                        },
                    )
                )
            session.add(attempt)
            session.flush()
            return attempt.id

    def _summary(self, row: AttemptRow) -> AttemptSummary:
        question = row.question
        return AttemptSummary(
            id=row.id,
            created_at=_utc_aware(row.created_at),
            pack_id=question.pack.pack_id,
            pack_title=question.pack.title,
            question_id=question.question_id,
            question_text=question.text,
            category=question.category,
            status=row.status,
            duration_s=row.duration_s,
            target_s=row.target_s,
            speech_start_s=row.speech_start_s,
            words_per_minute=row.words_per_minute,
            filler_count=row.filler_count,
            long_pause_count=row.long_pause_count,
            coverage=row.coverage,
            covered_count=row.covered_count,
            point_count=row.point_count,
            audio_file=_audio_file(self._root, row.audio_path),
            note=row.note,
            session_id=row.session_id,
        )

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
    ) -> list[AttemptSummary]:
        column = SORTABLE.get(order_by)
        if column is None:
            raise ValueError(f"cannot sort by '{order_by}' (choose from {', '.join(SORTABLE)})")
        query = (
            select(AttemptRow)
            .join(AttemptRow.question)
            .join(QuestionRow.pack)
            .options(joinedload(AttemptRow.question).joinedload(QuestionRow.pack))
        )
        if pack_id:
            query = query.where(PackRow.pack_id == pack_id)
        if question_id:
            query = query.where(QuestionRow.question_id == question_id)
        if since:
            query = query.where(AttemptRow.created_at >= since)
        if until:
            query = query.where(AttemptRow.created_at < until)
        query = query.order_by(
            column.desc() if descending else column.asc(), AttemptRow.id.desc() if descending else AttemptRow.id
        )
        if limit:
            query = query.limit(limit)
        with self._sessions() as session:
            return [self._summary(row) for row in session.scalars(query).unique()]

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
    ) -> list[AttemptSummary]:
        """What list_attempts returns, read as plain columns: no ORM objects, no transcript JSON.

        `text`: only attempts whose transcript holds every term of it (app.core.review.search).

        The history view, the charts and the exports read every attempt, so the result is kept
        until the next commit (ReadCache); a fresh read of 10,000 attempts takes about 0.1 s.
        """
        if order_by not in SORTABLE:
            raise ValueError(f"cannot sort by '{order_by}' (choose from {', '.join(SORTABLE)})")
        from app.core.review.search import search_terms

        terms = tuple(search_terms(text or ""))
        key = ("attempt_summaries", pack_id, question_id, since, until, session_id, order_by, descending, limit, terms)
        return list(
            self._cache.get(
                key,
                lambda: self._read_summaries(
                    pack_id, question_id, since, until, session_id, SORTABLE[order_by], descending, limit, terms
                ),
            )
        )

    def _read_summaries(
        self,
        pack_id: str | None,
        question_id: str | None,
        since: datetime | None,
        until: datetime | None,
        session_id: int | None,
        column: Any,
        descending: bool,
        limit: int | None,
        terms: tuple[str, ...] = (),
    ) -> list[AttemptSummary]:
        a = AttemptRow
        query = select(
            # created_at as its stored text: datetime.fromisoformat is far quicker than the generic converter.
            a.id,
            type_coerce(a.created_at, String),
            a.question_row_id,
            a.status,
            a.duration_s,
            a.target_s,
            a.speech_start_s,
            a.words_per_minute,
            a.filler_count,
            a.long_pause_count,
            a.coverage,
            a.covered_count,
            a.point_count,
            a.audio_path,
            a.note,
            a.session_id,
        )
        questions = self._questions()
        if pack_id or question_id:
            query = query.where(_of_questions(_matching(questions, pack_id, question_id)))
        if since:
            query = query.where(a.created_at >= since)
        if until:
            query = query.where(a.created_at < until)
        if session_id is not None:
            query = query.where(a.session_id == session_id)
        if (
            terms
        ):  # LIKE (case aside, ASCII): 38 ms over 10,000 transcripts, 112 ms when nearly all match (bench_search)
            from app.core.review.search import like_pattern

            query = query.where(*(a.transcript.like(like_pattern(t), escape="\\") for t in terms))
        query = query.order_by(column.desc() if descending else column.asc(), a.id.desc() if descending else a.id)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        questions = self._questions_of((r[2] for r in rows), questions)
        root = self._root
        with _bulk_objects():
            return [
                AttemptSummary._make(
                    (r[0], _utc(r[1]), *questions[r[2]], *r[3:13], _audio_file(root, r[13]), r[14], r[15])
                )
                for r in rows
            ]

    def _questions(self) -> dict[int, _QuestionInfo]:
        """Every question row with its pack (one row per question version, a few dozen in all).

        Attempt reads look their question up here instead of joining two tables per attempt.
        """
        return self._cache.get(("questions",), self._read_questions)

    def _questions_of(self, row_ids: Iterable[int], questions: dict[int, _QuestionInfo]) -> dict[int, _QuestionInfo]:
        """`questions`, or a fresh read if one of these attempts' question rows is not in it: a question
        saved by a commit between reading the list and reading the attempts."""
        if any(row_id not in questions for row_id in row_ids):
            return self._read_questions()
        return questions

    def _read_questions(self) -> dict[int, _QuestionInfo]:
        q, p = QuestionRow, PackRow
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(q.id, p.pack_id, p.title, q.question_id, q.text, q.category).join(p, q.pack_row_id == p.id)
            ).all()
        return {r[0]: _QuestionInfo(*r[1:]) for r in rows}

    def progress_points(self, *, pack_id: str | None = None, question_id: str | None = None) -> list[ProgressPoint]:
        """Scored attempts, oldest first, with just the figures the charts and the scheduler use (kept until the next commit)."""
        return list(
            self._cache.get(
                ("progress_points", pack_id, question_id), lambda: self._read_progress_points(pack_id, question_id)
            )
        )

    def _read_progress_points(self, pack_id: str | None, question_id: str | None) -> list[ProgressPoint]:
        a = AttemptRow
        query = (
            select(
                a.id,
                type_coerce(a.created_at, String),
                a.question_row_id,
                a.duration_s,
                a.target_s,
                a.coverage,
                a.words_per_minute,
                a.filler_count,
                a.covered_count,
                a.point_count,
                a.status == "typed",
            )
            .where(a.status.in_(sorted(SCORED_STATUSES)))
            .order_by(a.created_at, a.id)
        )
        questions = self._questions()
        if pack_id or question_id:
            query = query.where(_of_questions(_matching(questions, pack_id, question_id)))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        questions = self._questions_of((r[2] for r in rows), questions)
        with _bulk_objects():
            return [
                ProgressPoint._make(
                    (r[0], _utc(r[1]), questions[r[2]].pack_id, questions[r[2]].question_id, *r[3:10], bool(r[10]))
                )
                for r in rows
            ]

    def last_session_id(self, mode: str) -> int | None:
        """The latest practice session of a mode that has attempts (the last mock interview)."""
        with self._sessions() as session:
            return session.scalar(
                select(PracticeSessionRow.id)
                .where(PracticeSessionRow.mode == mode, PracticeSessionRow.id.in_(select(AttemptRow.session_id)))
                .order_by(PracticeSessionRow.started_at.desc(), PracticeSessionRow.id.desc())
                .limit(1)
            )

    def get_attempt(self, attempt_id: int) -> AttemptDetail:
        with self._sessions() as session:
            row = session.scalar(
                select(AttemptRow)
                .where(AttemptRow.id == attempt_id)
                .options(
                    joinedload(AttemptRow.question).joinedload(QuestionRow.pack), selectinload(AttemptRow.point_results)
                )
            )
            if row is None:
                raise KeyError(f"no attempt {attempt_id}")
            question = row.question
            return AttemptDetail(
                summary=self._summary(row),
                question=Question(
                    id=question.question_id,
                    text=question.text,
                    key_points=tuple(
                        KeyPoint(kp["point"], tuple(kp.get("cues", [])), tuple(kp.get("examples", [])))
                        for kp in question.key_points
                    ),
                    category=question.category,
                    prep_seconds=question.prep_seconds,
                    answer_seconds=question.answer_seconds,
                    reference_answer=question.reference_answer,
                ),
                transcript=Transcript.from_dict(row.transcript_data or {}),
                delivery=Delivery.from_dict(row.delivery),
                key_points=[_point_result(r) for r in row.point_results],
                settings=dict(row.settings or {}),
                parent_attempt_id=row.parent_attempt_id,
                bookmarks=tuple(
                    _bookmark(b)
                    for b in session.scalars(
                        select(BookmarkRow)
                        .where(BookmarkRow.attempt_id == attempt_id)
                        .order_by(BookmarkRow.at_s, BookmarkRow.id)
                    )
                ),
            )

    def set_note(self, attempt_id: int, note: str | None) -> None:
        with self._sessions.begin() as session:
            row = session.get(AttemptRow, attempt_id)
            if row is None:
                raise KeyError(f"no attempt {attempt_id}")
            row.note = note or None

    # -- bookmarks (replay) -------------------------------------------------------------------
    def add_bookmark(self, attempt_id: int, at_s: float, note: str = "") -> Bookmark:
        """Mark `at_s` seconds into the attempt's recording with a note."""
        with self._sessions.begin() as session:
            if session.get(AttemptRow, attempt_id) is None:
                raise KeyError(f"no attempt {attempt_id}")
            row = BookmarkRow(attempt_id=attempt_id, at_s=max(0.0, float(at_s)), note=note.strip())
            session.add(row)
            session.flush()
            return _bookmark(row)

    def bookmarks(self, attempt_id: int) -> list[Bookmark]:
        with self._sessions() as session:
            return [
                _bookmark(r)
                for r in session.scalars(
                    select(BookmarkRow)
                    .where(BookmarkRow.attempt_id == attempt_id)
                    .order_by(BookmarkRow.at_s, BookmarkRow.id)
                )
            ]

    def delete_bookmark(self, bookmark_id: int) -> None:
        with self._sessions.begin() as session:
            row = session.get(BookmarkRow, bookmark_id)
            if row is None:
                raise KeyError(f"no bookmark {bookmark_id}")
            session.delete(row)

    def set_override(self, attempt_id: int, position: int, covered: bool | None) -> float:
        """Record the person's correction of one key point; returns the attempt's new coverage."""
        with self._sessions.begin() as session:
            row = session.scalar(
                select(AttemptRow).where(AttemptRow.id == attempt_id).options(selectinload(AttemptRow.point_results))
            )
            if row is None:
                raise KeyError(f"no attempt {attempt_id}")
            point = next((p for p in row.point_results if p.position == position), None)
            if point is None:
                raise KeyError(f"attempt {attempt_id} has no key point {position}")
            point.override = covered
            point.overridden_at = utcnow() if covered is not None else None
            row.covered_count = sum(p.auto_covered if p.override is None else p.override for p in row.point_results)
            row.coverage = row.covered_count / row.point_count if row.point_count else 0.0
            return row.coverage

    def overrides(self) -> list[tuple[float, float, bool]]:
        """(score, threshold, covered-per-person) for every corrected judgement: labelled data."""
        with self._sessions() as session:
            rows = session.execute(
                select(KeyPointResultRow.score, KeyPointResultRow.threshold, KeyPointResultRow.override).where(
                    KeyPointResultRow.override.is_not(None)
                )
            )
            return [(score, threshold, bool(override)) for score, threshold, override in rows]

    def reviewed_judgements(self, scorer: str) -> list[Judgement]:
        """Every key point of the attempts the person corrected, judged by `scorer`: labelled data."""
        with self._sessions() as session:
            reviewed = select(KeyPointResultRow.attempt_id).where(KeyPointResultRow.override.is_not(None)).distinct()
            rows = session.execute(
                select(
                    KeyPointResultRow.attempt_id,
                    KeyPointResultRow.score,
                    KeyPointResultRow.auto_covered,
                    KeyPointResultRow.override,
                )
                .join(AttemptRow, AttemptRow.id == KeyPointResultRow.attempt_id)
                .where(KeyPointResultRow.attempt_id.in_(reviewed), AttemptRow.settings["scorer"].as_string() == scorer)
                .order_by(KeyPointResultRow.attempt_id, KeyPointResultRow.position)
            )
            return [
                Judgement(attempt_id, float(score), bool(auto if override is None else override), override is not None)
                for attempt_id, score, auto, override in rows
            ]

    def attempt_with_audio(self, audio_path: Path) -> int | None:
        """The attempt stored with this recording, if any: recovery uses it to never store an answer twice."""
        with self.engine.connect() as connection:
            return connection.execute(
                select(AttemptRow.id).where(AttemptRow.audio_path == self.data_dir.relative(audio_path)).limit(1)
            ).scalar()

    def delete_attempt(self, attempt_id: int) -> None:
        """Delete the row, then its recording (a failed delete of the file leaves no dangling row)."""
        with self._sessions.begin() as session:
            row = session.get(AttemptRow, attempt_id)
            if row is None:
                raise KeyError(f"no attempt {attempt_id}")
            audio = self.data_dir.absolute(row.audio_path) if row.audio_path else None
            session.delete(row)
        if audio is not None:
            audio.unlink(missing_ok=True)

    def question_stats(self, pack_id: str) -> dict[str, QuestionStats]:
        """Per question id of a pack: attempts, last and best coverage, last duration (kept until the next commit)."""
        return dict(self._cache.get(("question_stats", pack_id), lambda: self._read_question_stats(pack_id)))

    def _read_question_stats(self, pack_id: str) -> dict[str, QuestionStats]:
        a = AttemptRow
        questions = self._questions()
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(a.question_row_id, a.coverage, a.duration_s, type_coerce(a.created_at, String))
                .where(_of_questions(_matching(questions, pack_id, None)))
                .order_by(a.created_at, a.id)
            ).all()
        totals: dict[str, tuple[int, float]] = {}
        last: dict[str, tuple[float, float, str]] = {}
        for row_id, coverage, duration, created in rows:
            question_id = questions[row_id].question_id
            count, best = totals.get(question_id, (0, 0.0))
            totals[question_id] = (count + 1, max(best, coverage))
            last[question_id] = (coverage, duration, created)
        return {
            question_id: QuestionStats(
                question_id, count, last[question_id][0], last[question_id][1], _utc(last[question_id][2]), best
            )
            for question_id, (count, best) in totals.items()
        }

    # -- interview plans (issue 19) ------------------------------------------------------------------
    def get_plan(self, pack_id: str | None) -> PlanSettings | None:
        """The plan of a pack, or the plan for all packs (None)."""
        from app.core.records import PlanSettings

        with self._sessions() as session:
            query = select(PlanRow).where(PlanRow.pack_id.is_(None) if pack_id is None else PlanRow.pack_id == pack_id)
            row = session.scalar(query)
            if row is None:
                return None
            return PlanSettings(
                row.interview_date, row.pack_id, row.daily_load, frozenset(row.easy_days or ()), row.desired_retention
            )

    def set_plan(self, plan: PlanSettings) -> None:
        """Store (or replace) the plan of its pack, or the plan for all packs."""
        with self._sessions.begin() as session:
            query = select(PlanRow).where(
                PlanRow.pack_id.is_(None) if plan.pack_id is None else PlanRow.pack_id == plan.pack_id
            )
            row = session.scalar(query) or PlanRow(pack_id=plan.pack_id)
            row.interview_date, row.daily_load = plan.interview_date, plan.daily_load
            row.easy_days, row.desired_retention, row.updated_at = (
                sorted(plan.easy_days),
                plan.desired_retention,
                utcnow(),
            )
            session.add(row)

    def clear_plan(self, pack_id: str | None) -> bool:
        with self._sessions.begin() as session:
            query = delete(PlanRow).where(PlanRow.pack_id.is_(None) if pack_id is None else PlanRow.pack_id == pack_id)
            return bool(cast("CursorResult[Any]", session.execute(query)).rowcount)

    def count_attempts(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count(AttemptRow.id))) or 0

    def voice_baseline(self, limit: int = 20) -> Baseline:
        """The speaker's usual pitch variation and pace, from their latest answers with voice figures
        (read from the delivery JSON by SQLite, so the stored contours are not parsed)."""
        from app.core.scoring.voice import Baseline

        a = AttemptRow
        variation = func.json_extract(a.delivery, "$.voice.pitch_variation_st")
        query = (
            select(variation, a.words_per_minute)
            .where(variation.is_not(None))
            .order_by(a.created_at.desc(), a.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return Baseline.from_deliveries({"voice": {"pitch_variation_st": v}, "words_per_minute": w} for v, w in rows)

    def delivery_figures(
        self, *, pack_id: str | None = None, question_id: str | None = None
    ) -> dict[int, dict[str, Any]]:
        """The issue-18 figures of each scored attempt that has them (attempt id -> figures), for the
        progress charts; older attempts have none and are left out."""
        return dict(
            self._cache.get(
                ("delivery_figures", pack_id, question_id),
                lambda: self._read_delivery_figures(pack_id, question_id, SCORED_STATUSES),
            )
        )

    def _read_delivery_figures(
        self, pack_id: str | None, question_id: str | None, statuses: Iterable[str]
    ) -> dict[int, dict[str, Any]]:
        a = AttemptRow
        paths = {
            "pitch_variation_st": "$.voice.pitch_variation_st",
            "trailing_count": "$.voice.trailing_count",
            "rate_change": "$.voice.rate_change",
            "hedges_per_minute": "$.hedges_per_minute",
            "first_point_s": "$.shape.first_point_s",
            "direct_opening": "$.shape.direct_opening",
        }
        columns: list[ColumnElement[Any]] = [func.json_extract(a.delivery, path) for path in paths.values()]
        # Pace change only where it was counted in syllables: older answers hold a change in words per
        # minute, which moves with word length alone, so one line mixing both would show a false trend.
        in_syllables = func.json_extract(a.delivery, "$.voice.rate_start_spm").is_not(None)
        rate = list(paths).index("rate_change")
        columns[rate] = case((in_syllables, columns[rate]))
        query = (
            select(a.id, *columns)
            .where(a.status.in_(sorted(statuses)))
            .where(func.json_extract(a.delivery, "$.hedge_count").is_not(None))
        )
        questions = self._questions()
        if pack_id or question_id:
            query = query.where(_of_questions(_matching(questions, pack_id, question_id)))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return {r[0]: dict(zip(paths, r[1:])) for r in rows}

    def delete_all(self) -> None:
        """'Delete all my data': every row and every recording."""
        with self._sessions.begin() as session:
            for model in (KeyPointResultRow, AttemptRow, PracticeSessionRow, QuestionRow, PackRow, PlanRow):
                session.execute(delete(model))
        recordings = self.data_dir.recordings
        if recordings.exists():
            for path in sorted(recordings.rglob("*"), reverse=True):
                if path.is_file():
                    path.unlink(missing_ok=True)
                elif path.is_dir() and path != self.data_dir.incoming:
                    with suppress(OSError):  # not empty: something else lives there
                        os.rmdir(path)


def _point_result(row: KeyPointResultRow) -> PointResult:
    detail = row.detail or {}
    words = detail.get("evidence_words")
    return PointResult.from_dict(
        {
            "point": row.point,
            "auto_covered": row.auto_covered,
            "override": row.override,
            "score": row.score,
            "threshold": row.threshold,
            "evidence": row.evidence,
            "evidence_words": words,
            "evidence_start_s": detail.get("evidence_start_s"),
            "evidence_end_s": detail.get("evidence_end_s"),
            "matched_cues": detail.get("matched_cues", []),
            "missing_words": detail.get("missing_words", []),
        }
    )
