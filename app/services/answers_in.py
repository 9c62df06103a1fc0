"""Answers that do not come from the microphone: an imported recording, or a typed answer.

An imported file takes the live answer's save path (`pending_from_audio` then
`save_recording_as_attempt`), so it is transcribed, judged and stored the same way and a crash
mid-way is recovered the same way. The file is decoded before anything is written: a file the
app cannot read leaves nothing behind. A typed answer is judged by the same key-point scorer on
the typed words; it has no audio, so no delivery figures, and its status is "typed".
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.analysis import AnswerAnalysis
from app.core.audio.errors import AudioFileError
from app.core.audio.files import SAMPLE_RATE, load_audio
from app.core.packs.model import Pack, Question
from app.core.scoring.delivery import Delivery
from app.core.scoring.star import check_story, is_story_question
from app.core.transcribe.transcript import Transcript, Word

if TYPE_CHECKING:
    from app.core.scoring.entailment import EntailmentJudge
    from app.core.scoring.keypoints import KeyPointScorer
    from app.services.attempts import SavedAttempt
    from app.services.workspace import Workspace

log = logging.getLogger(__name__)

TYPED_STATUS = "typed"
MIN_IMPORT_SECONDS = 0.5
MAX_TYPED_CHARS = 20_000
_WORD = re.compile(r"\S+")


def import_answer(
    workspace: Workspace,
    pack: Pack,
    question: Question,
    path: str | Path,
    *,
    session_id: int | None = None,
    progress: Callable[[str, float], None] | None = None,
    cancel: threading.Event | None = None,
    parent_attempt_id: int | None = None,
) -> SavedAttempt:
    """Transcribe, judge and store a recorded answer from a file, as if it had just been spoken.

    Raises AudioFileError (nothing written) when the file cannot be used.
    """
    from app.core.audio.pending import pending_from_audio
    from app.services.attempts import save_recording_as_attempt

    path = Path(path)
    try:
        samples = load_audio(path)
    except AudioFileError as exc:  # the person's input, not a fault: logged, and said in one line
        log.info("import refused: %s", exc)
        raise
    if samples.size < MIN_IMPORT_SECONDS * SAMPLE_RATE:
        log.info("import of %s refused: %d samples", path, samples.size)
        raise AudioFileError(
            f"{path}: only {samples.size / SAMPLE_RATE:.2f} s of audio; an answer needs at least {MIN_IMPORT_SECONDS} s"
        )
    context = {
        "pack_id": pack.id,
        "question_id": question.id,
        "session_id": session_id,
        "pack_path": str(pack.source) if pack.source else None,
        "imported_from": str(path),
    }
    pending = pending_from_audio(workspace.data_dir.create().incoming, uuid.uuid4().hex, samples, context)
    log.info("importing %s for %s/%s as recording %s", path, pack.id, question.id, pending.recording_id)
    return save_recording_as_attempt(
        workspace,
        pack,
        question,
        pending,
        session_id=session_id,
        settings={"source": "import", "file": path.name},
        progress=progress,
        cancel=cancel,
        parent_attempt_id=parent_attempt_id,
    )


def typed_transcript(text: str) -> Transcript:
    """The typed words as a transcript without times (there is no audio to time them against)."""
    words = [Word(token, 0.0, 0.0) for token in _WORD.findall(text)]
    return Transcript(words=words, raw_words=list(words), duration_s=0.0, model="typed")


def judge_typed(
    pack: Pack, question: Question, text: str, scorer: KeyPointScorer, story_judge: EntailmentJudge | None = None
) -> AnswerAnalysis:
    """Key points (and a story's STAR parts) judged on the typed words; no delivery figures."""
    text = text.strip()
    if not text:
        raise ValueError("The answer is empty: type what you would say.")
    if len(text) > MAX_TYPED_CHARS:
        raise ValueError(f"The answer is {len(text):,} characters long; the limit is {MAX_TYPED_CHARS:,}.")
    transcript = typed_transcript(text)
    delivery = Delivery(
        duration_s=0.0,
        target_s=None,
        speech_start_s=None,
        speech_end_s=None,
        word_count=len(transcript.words),
        words_per_minute=None,
    )
    return AnswerAnalysis(
        pack_id=pack.id,
        question_id=question.id,
        transcript=transcript,
        delivery=delivery,
        key_points=scorer.score(question.key_points, transcript.words),
        scorer=scorer.name,
        star=check_story(story_judge, transcript.words)
        if story_judge is not None and is_story_question(question)
        else None,
    )


def save_typed_answer(
    workspace: Workspace,
    pack: Pack,
    question: Question,
    text: str,
    *,
    session_id: int | None = None,
    parent_attempt_id: int | None = None,
) -> SavedAttempt:
    """Judge and store a typed answer (status "typed", no audio). Raises ValueError for an empty answer."""
    from app.services.attempts import SavedAttempt

    story_judge = workspace.story_judge() if is_story_question(question) else None
    analysis = judge_typed(pack, question, text, workspace.scorer(), story_judge)
    attempt_id = workspace.history.save_attempt(
        pack,
        question,
        analysis,
        None,
        session_id=session_id,
        settings={"source": "typed"},
        status=TYPED_STATUS,
        parent_attempt_id=parent_attempt_id,
    )
    log.info("typed answer to %s/%s saved as attempt %s", pack.id, question.id, attempt_id)
    return SavedAttempt(attempt_id, analysis, None, None)
