"""The history schema. Changes to it go through an Alembic migration in app/db/migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class PackRow(Base):
    __tablename__ = "packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    source_path: Mapped[str | None] = mapped_column(Text)

    questions: Mapped[list[QuestionRow]] = relationship(back_populates="pack")


class QuestionRow(Base):
    """A question as it was when practised; an edited question gets a new row (new content hash)."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("pack_row_id", "question_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_row_id: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(64), index=True)
    content_hash: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(64))
    prep_seconds: Mapped[int] = mapped_column(Integer)
    answer_seconds: Mapped[int] = mapped_column(Integer)
    reference_answer: Mapped[str | None] = mapped_column(Text)
    key_points: Mapped[list[Any]] = mapped_column(JSON)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    pack: Mapped[PackRow] = relationship(back_populates="questions")


class PracticeSessionRow(Base):
    __tablename__ = "practice_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_row_id: Mapped[int | None] = mapped_column(ForeignKey("packs.id", ondelete="SET NULL"))
    mode: Mapped[str] = mapped_column(String(32), default="in-order")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AttemptRow(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_question_created", "question_row_id", "created_at"),
        # Every column the history view, the charts and the start page list, in date order: those
        # reads never touch the rows with their transcript JSON (migration 0002).
        Index(
            "ix_attempts_summary",
            "created_at",
            "id",
            "question_row_id",
            "status",
            "duration_s",
            "target_s",
            "speech_start_s",
            "words_per_minute",
            "filler_count",
            "long_pause_count",
            "coverage",
            "covered_count",
            "point_count",
            "session_id",
            "audio_path",
            "note",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_row_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("practice_sessions.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(32), default="complete")
    audio_path: Mapped[str | None] = mapped_column(Text)
    duration_s: Mapped[float] = mapped_column(Float)
    target_s: Mapped[float | None] = mapped_column(Float)
    speech_start_s: Mapped[float | None] = mapped_column(Float)
    words_per_minute: Mapped[float | None] = mapped_column(Float)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    filler_count: Mapped[int] = mapped_column(Integer, default=0)
    long_pause_count: Mapped[int] = mapped_column(Integer, default=0)
    coverage: Mapped[float] = mapped_column(Float, default=0.0)
    covered_count: Mapped[int] = mapped_column(Integer, default=0)
    point_count: Mapped[int] = mapped_column(Integer, default=0)
    transcript: Mapped[str] = mapped_column(Text, default="")
    raw_transcript: Mapped[str] = mapped_column(Text, default="")
    transcript_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # words with times, corrections
    delivery: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # model, scorer, threshold, device
    note: Mapped[str | None] = mapped_column(Text)
    # A follow-up answer points at the answer it followed (migration 0003).
    parent_attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"), index=True)

    question: Mapped[QuestionRow] = relationship()
    point_results: Mapped[list[KeyPointResultRow]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="KeyPointResultRow.position"
    )


class KeyPointResultRow(Base):
    __tablename__ = "key_point_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    point: Mapped[str] = mapped_column(Text)
    auto_covered: Mapped[bool] = mapped_column(Boolean)
    override: Mapped[bool | None] = mapped_column(Boolean)
    score: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # span word indices, times, cues, missing words
    overridden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    attempt: Mapped[AttemptRow] = relationship(back_populates="point_results")


class PlanRow(Base):
    """Practice toward an interview date: one per pack, or for all packs when pack_id is NULL."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    interview_date: Mapped[date] = mapped_column(Date)
    daily_load: Mapped[int] = mapped_column(Integer)
    easy_days: Mapped[list[Any]] = mapped_column(JSON, default=list)  # weekday numbers, Monday 0
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BookmarkRow(Base):
    """A moment of a recording, with the person's note."""

    __tablename__ = "bookmarks"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    at_s: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
