"""Reports from the history, by what a person asks for: an attempt, a mock interview, a question, everything.

Shared by `rehearse export` and the app's Export buttons. Charts are drawn by a callable the
caller passes in (the GUI's chart code), so this module stays Qt-free.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.practice import Mode
from app.core.review import export
from app.core.review.progress import Progress, progress_points, question_series, with_manner

if TYPE_CHECKING:
    from app.core.packs import PackLibrary
    from app.core.ports import HistoryStore

ChartRenderer = Callable[[Progress], Mapping[str, bytes]]
FORMATS = ("html", "md")


class ReportError(Exception):
    """A report that cannot be made from what was asked (unknown attempt, no attempts yet)."""


def attempt_report(history: HistoryStore, attempt_id: int, fmt: str) -> str:
    try:
        detail = history.get_attempt(attempt_id)
    except KeyError:
        raise ReportError(f"no attempt with id {attempt_id} (see `rehearse history`)") from None
    return export.attempt_html(detail) if fmt == "html" else export.attempt_markdown(detail)


def mock_report(history: HistoryStore, session_id: int | None, fmt: str) -> str:
    if session_id is None:
        session_id = history.last_session_id(Mode.MOCK.value)
        if session_id is None:
            raise ReportError("no mock interview has been recorded yet")
    summaries = history.attempt_summaries(session_id=session_id, descending=False)
    if not summaries:
        raise ReportError(f"practice session {session_id} has no attempts")
    details = [history.get_attempt(s.id) for s in summaries]
    title = f"Mock interview, {details[0].summary.created_at.astimezone():%Y-%m-%d}"
    return export.mock_html(details, title) if fmt == "html" else export.mock_markdown(details, title)


def question_report(
    history: HistoryStore,
    library: PackLibrary,
    pack_ref: str,
    question_id: str,
    fmt: str,
    render_charts: ChartRenderer | None = None,
) -> str:
    from app.core.packs import PackError

    try:
        pack = library.resolve(pack_ref)
        question = pack.question(question_id)
    except PackError as exc:
        raise ReportError(str(exc).splitlines()[0]) from None
    except LookupError as exc:  # KeyError too
        raise ReportError(exc.args[0]) from None
    summaries = history.attempt_summaries(pack_id=pack.id, question_id=question.id)
    if not summaries:
        raise ReportError(f"no attempts at '{pack.id}/{question.id}' yet")
    points = progress_points(summaries)
    progress = with_manner(
        question_series(points), points, history.delivery_figures(pack_id=pack.id, question_id=question.id)
    )
    if fmt == "md":
        return export.question_markdown(question, pack.title, summaries, progress)
    charts = dict(render_charts(progress)) if render_charts and not progress.empty else None
    return export.question_html(question, pack.title, summaries, progress, charts)


def csv_report(history: HistoryStore, pack_id: str | None = None, question_id: str | None = None) -> tuple[str, int]:
    out = io.StringIO()
    count = export.write_attempts_csv(
        history.attempt_summaries(pack_id=pack_id, question_id=question_id, descending=False),
        out,
        history.delivery_figures(pack_id=pack_id, question_id=question_id),
    )
    return out.getvalue(), count


def save(text: str, output: str | Path) -> str:
    """Write a report (UTF-8) to a file, or to stdout for '-'; returns where it went.

    The file is 0600 like the data folder's: a report holds what the person said in their answers.
    """
    if str(output) == "-":
        sys.stdout.write(text)
        return "standard output"
    from app.core.packs.writer import write_text_atomically

    path = Path(output).expanduser()
    if path.is_dir():
        raise ReportError(f"{path} is a folder; give a file name")
    if not path.parent.exists():
        raise ReportError(f"{path.parent}: no such folder")
    try:
        write_text_atomically(text, path, mode=0o600)
    except OSError as exc:
        raise ReportError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    return str(path)
