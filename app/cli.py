"""`rehearse`: the desktop app by default, and headless commands for packs, scoring and history.

Exit status: 0 success, 1 a check found problems, 2 bad input (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import __version__

if TYPE_CHECKING:
    import numpy as np

    from app.core.packs import Pack, Question
    from app.services.attempts import SavedAttempt
    from app.services.workspace import Workspace

log = logging.getLogger(__name__)


class UsageError(Exception):
    """Bad input from the person at the terminal: printed as one line, exit status 2."""


def _workspace(args: argparse.Namespace) -> Workspace:
    from app.services.workspace import Workspace

    return Workspace(args.data_dir, model_setting=getattr(args, "model", None))


def _log_to_data_folder(workspace: Workspace) -> None:
    """Commands that write keep a record in the data folder's log, as the desktop app does."""
    from app.logs import setup_logging

    setup_logging(workspace.data_dir.root)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


# -- commands -----------------------------------------------------------------------------------


def cmd_packs(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    sources = workspace.library.scan()
    if args.json:
        _print_json(
            [
                {
                    "id": s.pack.id if s.pack else None,
                    "title": s.pack.title if s.pack else None,
                    "questions": len(s.pack.questions) if s.pack else 0,
                    "categories": s.pack.categories if s.pack else [],
                    "path": str(s.path),
                    "builtin": s.builtin,
                    "error": str(s.error) if s.error else None,
                }
                for s in sources
            ]
        )
        return 0
    if not sources:
        print("No question packs found.")
    for s in sources:
        if s.pack:
            print(f"{s.pack.id:28} {len(s.pack.questions):3} questions  {s.pack.title}  ({s.path})")
        else:
            print(f"{'(broken)':28}   - questions  {s.error}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from app.core.packs import PackError, load_pack

    failed = 0
    for ref in args.packs:
        try:
            pack = load_pack(ref)
        except PackError as exc:
            failed += 1
            for issue in exc.issues + exc.warnings:
                print(issue, file=sys.stderr)
            continue
        for warning in pack.warnings:
            print(warning, file=sys.stderr)
        print(f"{ref}: ok, {len(pack.questions)} questions")
    return 1 if failed else 0


def _resolve_question(workspace: Workspace, pack_ref: str, question_id: str) -> tuple[Pack, Question]:
    from app.core.packs import PackError

    try:
        pack = workspace.library.resolve(pack_ref)
    except PackError as exc:
        raise UsageError(str(exc).splitlines()[0]) from None
    except LookupError as exc:
        raise UsageError(str(exc)) from None
    try:
        return pack, pack.question(question_id)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None


def cmd_score(args: argparse.Namespace) -> int:
    from app.core.analysis import analyse_answer
    from app.core.audio import AudioFileError
    from app.core.audio.files import load_audio
    from app.core.transcribe import ModelLoadError

    workspace = _workspace(args)
    if args.save:
        _log_to_data_folder(workspace)
    pack, question = _resolve_question(workspace, args.pack, args.question)
    try:
        audio = load_audio(args.audio)
    except AudioFileError as exc:
        raise UsageError(str(exc)) from None
    try:
        transcriber = workspace.transcriber()
    except ModelLoadError as exc:
        raise UsageError(str(exc)) from None
    if transcriber.info.fallback_reason:
        print(f"warning: {transcriber.info.fallback_reason}", file=sys.stderr)
    if args.save:
        saved = _save_answer(workspace, pack, question, audio, args.audio)
        analysis, attempt_id = saved.analysis, saved.attempt_id
    else:
        from app.core.scoring.star import is_story_question

        story_judge = workspace.story_judge() if is_story_question(question) else None
        analysis, attempt_id = (
            analyse_answer(audio, pack, question, transcriber, workspace.scorer(), story_judge=story_judge),
            None,
        )
    if not analysis.transcript.has_speech:
        kept = f" (kept as attempt {attempt_id})" if attempt_id is not None else ""
        raise UsageError(f"{args.audio}: no speech was heard in this recording{kept}")
    result = analysis.to_dict()
    if attempt_id is not None:
        result["attempt_id"] = attempt_id
    if args.json:
        _print_json(result)
    else:
        _print_analysis(result)
    return 0


def _save_answer(workspace: Workspace, pack: Pack, question: Question, audio: np.ndarray, source: Path) -> SavedAttempt:
    """The app's own save path: the FLAC and a journal first, so a crash here is recovered by the app."""
    import uuid

    from app.core.audio.pending import pending_from_audio
    from app.services.attempts import save_recording_as_attempt

    context = {"pack_id": pack.id, "question_id": question.id, "pack_path": str(pack.source) if pack.source else None}
    pending = pending_from_audio(workspace.data_dir.create().incoming, uuid.uuid4().hex, audio, context)
    return save_recording_as_attempt(workspace, pack, question, pending, settings={"source": str(source)})


def cmd_import(args: argparse.Namespace) -> int:
    """A recorded answer (any format the app reads) stored as an attempt, through the app's save path."""
    from app.core.audio import AudioFileError
    from app.core.transcribe import ModelLoadError
    from app.services.answers_in import import_answer

    workspace = _workspace(args)
    _log_to_data_folder(workspace)
    pack, question = _resolve_question(workspace, args.pack, args.question)
    try:
        workspace.transcriber()
    except ModelLoadError as exc:
        raise UsageError(str(exc)) from None
    try:
        saved = import_answer(workspace, pack, question, args.audio)
    except AudioFileError as exc:
        raise UsageError(f"{exc} (nothing was saved)") from None
    result = {**saved.analysis.to_dict(), "attempt_id": saved.attempt_id, "audio_path": str(saved.audio_path)}
    if saved.error:
        result["error"] = saved.error
    if args.json:
        _print_json(result)
    else:
        _print_analysis(result)
        if saved.error:
            print(saved.error, file=sys.stderr)
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    """Set, change or show the plan toward an interview date (per pack, or for all packs)."""
    from dataclasses import replace
    from datetime import date

    from app.core.records import PlanSettings
    from app.core.review.plan import interview_plan, parse_easy_days

    workspace = _workspace(args)
    pack_id = _resolve_pack_id(workspace, args.pack) if args.pack else None
    history = workspace.history
    if args.clear:
        removed = history.clear_plan(pack_id)
        print("Plan removed." if removed else "There was no plan to remove.")
        return 0
    current = history.get_plan(pack_id)
    if args.date or args.load is not None or args.easy_days is not None:
        _log_to_data_folder(workspace)
        try:
            when = date.fromisoformat(args.date) if args.date else None
        except ValueError:
            raise UsageError(f"--date: '{args.date}' is not a date like 2026-12-10") from None
        if current is None and when is None:
            raise UsageError("--date is needed to start a plan: the day of the interview")
        if args.load is not None and not 1 <= args.load <= 100:
            raise UsageError(f"--load: {args.load} questions a day; choose 1 to 100")
        try:
            easy = parse_easy_days(args.easy_days) if args.easy_days is not None else None
        except ValueError as exc:
            raise UsageError(f"--easy-days: {exc}") from None
        if current is not None:
            settings = current
        else:
            assert when is not None  # a new plan without --date was refused above
            settings = PlanSettings(when, pack_id)
        changes: dict[str, Any] = {
            k: v for k, v in (("interview_date", when), ("daily_load", args.load), ("easy_days", easy)) if v is not None
        }
        settings = replace(settings, **changes)
        history.set_plan(settings)
        log.info("Plan for %s set: %s", pack_id or "all packs", settings)
    plan = interview_plan(workspace, pack_id)
    if plan is None:
        raise UsageError(
            f"no plan for {pack_id or 'all packs'} yet: rehearse plan --date YYYY-MM-DD"
            + (f" --pack {pack_id}" if pack_id else "")
        )
    if args.json:
        _print_json(
            {
                "pack_id": plan.settings.pack_id,
                "interview_date": plan.settings.interview_date.isoformat(),
                "daily_load": plan.settings.daily_load,
                "easy_days": sorted(plan.settings.easy_days),
                "days_left": plan.days_left,
                "notes": list(plan.notes),
                "days": [
                    {
                        "day": d.day.isoformat(),
                        "capacity": d.capacity,
                        "easy": d.easy,
                        "questions": [
                            {"pack_id": i.pack_id, "question_id": i.question.id, "reason": i.reason, "new": i.new}
                            for i in d.items
                        ],
                    }
                    for d in plan.days
                ],
                "ready": [{"pack_id": i.pack_id, "question_id": i.question.id, "reason": i.reason} for i in plan.ready],
            }
        )
        return 0
    print(plan.headline())
    for note in plan.notes:
        print(f"note: {note}")
    for day in plan.days[: args.days]:
        easy_day = " (easy day)" if day.easy else ""
        print(f"\n{day.day:%a %d %b}{easy_day}: {len(day.items)} of {day.capacity}")
        for item in day.items:
            print(f"  {item.pack_id}/{item.question.id}: {item.reason}")
    return 0


def _resolve_pack_id(workspace: Workspace, ref: str) -> str:
    from app.core.packs import PackError

    try:
        return workspace.library.resolve(ref).id
    except PackError as exc:
        raise UsageError(str(exc).splitlines()[0]) from None
    except LookupError as exc:
        raise UsageError(str(exc)) from None


def _print_analysis(result: dict[str, Any]) -> None:
    print(f"Transcript: {result['transcript']}")
    covered = sum(kp["covered"] for kp in result["key_points"])
    print(f"\nKey points covered: {covered}/{len(result['key_points'])} ({result['coverage']:.0%})")
    for kp in result["key_points"]:
        mark = "x" if kp["covered"] else " "
        print(f"  [{mark}] {kp['point']}  (score {kp['score']:.2f})")
    wpm = result["words_per_minute"]
    target = f" / target {result['target_s']} s ({result['length_verdict']})" if result["target_s"] else ""
    print(f"\nLength: {result['duration_s']:.1f} s{target}")
    print(f"Pace: {wpm:.0f} words per minute" if wpm else "Pace: -")
    print(f"First word after: {result['speech_start_s']} s")
    fillers = ", ".join(f"{f['word']} @{f['start_s']:.1f}s" for f in result["fillers"]) or "none"
    print(f"Fillers: {fillers}")
    pauses = ", ".join(f"{p['start_s']:.1f}-{p['end_s']:.1f}s" for p in result["long_pauses"]) or "none"
    print(f"Long pauses: {pauses}")
    if "attempt_id" in result:
        print(f"\nSaved as attempt {result['attempt_id']}.")


def cmd_history(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    attempts = workspace.history.attempt_summaries(pack_id=args.pack, question_id=args.question, limit=args.limit)
    if args.json:
        _print_json(
            [
                {
                    "id": a.id,
                    "created_at": a.created_at.isoformat(),
                    "pack_id": a.pack_id,
                    "question_id": a.question_id,
                    "duration_s": round(a.duration_s, 2),
                    "target_s": a.target_s,
                    "words_per_minute": None if a.words_per_minute is None else round(a.words_per_minute, 1),
                    "filler_count": a.filler_count,
                    "long_pause_count": a.long_pause_count,
                    "coverage": round(a.coverage, 4),
                    "covered": a.covered_count,
                    "points": a.point_count,
                    "audio_path": str(a.audio_path) if a.audio_path else None,
                    "status": a.status,
                    "note": a.note,
                }
                for a in attempts
            ]
        )
        return 0
    if not attempts:
        print("No attempts yet.")
    for a in attempts:
        wpm = f"{a.words_per_minute:5.0f}" if a.words_per_minute else "    -"
        print(
            f"{a.id:5}  {a.created_at.astimezone():%Y-%m-%d %H:%M}  {a.pack_id}/{a.question_id:30}  "
            f"{a.duration_s:6.1f}s  {wpm} wpm  {a.covered_count}/{a.point_count} points  {a.filler_count} fillers"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.core.review import reports

    workspace = _workspace(args)
    _log_to_data_folder(workspace)
    history = workspace.history
    try:
        if args.kind == "csv":
            text, count = reports.csv_report(history, args.pack, args.question)
            what = f"{count} attempts"
        elif args.kind == "attempt":
            text, what = reports.attempt_report(history, args.id, args.format), f"attempt {args.id}"
        elif args.kind == "mock":
            text, what = reports.mock_report(history, args.session, args.format), "mock interview"
        else:
            charts: reports.ChartRenderer | None = None
            if args.format == "html" and not args.no_charts:
                from app.gui.charts import render_chart_pngs  # Qt draws the charts, offscreen

                charts = render_chart_pngs
            text = reports.question_report(history, workspace.library, args.pack, args.question, args.format, charts)
            what = f"history of {args.pack}/{args.question}"
        where = reports.save(text, args.output)
    except reports.ReportError as exc:
        raise UsageError(str(exc)) from None
    log.info("Exported %s to %s", what, where)
    print(f"Exported {what} to {where}.", file=sys.stderr)
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from app.gui.application import run

    return run(data_dir=args.data_dir)


# -- parser -------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rehearse", description="Practise interview answers out loud, offline.")
    parser.add_argument("--version", action="version", version=f"rehearse {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="data folder (default: REHEARSE_DATA_DIR or the platform's user data folder)",
    )
    parser.add_argument(
        "--self-test", action="store_true", help="check the model, scoring and data folder work, then exit"
    )
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("packs", help="list the question packs found")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_packs)

    p = sub.add_parser("check", help="validate pack files")
    p.add_argument("packs", nargs="+", metavar="PACK")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("score", help="transcribe and score one recorded answer")
    p.add_argument("--pack", required=True, help="pack id or file")
    p.add_argument("--question", required=True, help="question id")
    p.add_argument("--model", default=None, help="Whisper model: tiny.en (built in), base, or a CTranslate2 folder")
    p.add_argument("--json", action="store_true")
    p.add_argument("--save", action="store_true", help="store the result as an attempt")
    p.add_argument("audio", type=Path)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("import", help="store a recorded answer (any audio format) as an attempt for a question")
    p.add_argument("--pack", required=True, help="pack id or file")
    p.add_argument("--question", required=True, help="question id")
    p.add_argument("--model", default=None, help="Whisper model: tiny.en (built in), base, or a CTranslate2 folder")
    p.add_argument("--json", action="store_true")
    p.add_argument("audio", type=Path)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "plan", help="practise toward an interview date: set the date, daily load and easy days, see what is due"
    )
    p.add_argument("--pack", default=None, help="pack id or file (default: a plan for all packs)")
    p.add_argument("--date", default=None, help="the interview date, YYYY-MM-DD")
    p.add_argument("--load", type=int, default=None, help="questions a day at most (default 5)")
    p.add_argument("--easy-days", default=None, help="lighter days, e.g. sat,sun (half the load); '' for none")
    p.add_argument("--days", type=int, default=7, help="days of the plan to print (default 7)")
    p.add_argument("--clear", action="store_true", help="remove the plan")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("history", help="list attempts")
    p.add_argument("--pack", default=None)
    p.add_argument("--question", default=None)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("export", help="write a report (HTML or Markdown) or all attempts as CSV")
    kinds = p.add_subparsers(dest="kind", required=True)
    for name, text in (
        ("attempt", "one attempt"),
        ("mock", "a mock interview (default: the last)"),
        ("question", "a question's history"),
        ("csv", "all attempts as CSV"),
    ):
        k = kinds.add_parser(name, help=text)
        k.add_argument("--output", "-o", required=True, help="file to write ('-' for standard output)")
        if name != "csv":
            k.add_argument("--format", choices=("html", "md"), default="html")
        if name == "attempt":
            k.add_argument("id", type=int)
        if name == "mock":
            k.add_argument("--session", type=int, default=None, help="practice session id")
        if name in ("question", "csv"):
            k.add_argument("--pack", required=name == "question", default=None, help="pack id or file")
            k.add_argument("--question", required=name == "question", default=None, help="question id")
        if name == "question":
            k.add_argument("--no-charts", action="store_true", help="leave the charts out of the HTML")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("gui", help="open the desktop app (the default)")
    p.set_defaults(func=cmd_gui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Everything written from here on (data folder, settings, logs, reports) is the person's own:
    # recordings and transcripts are private, so nothing is created readable by other users.
    if os.name == "posix":
        os.umask(0o077)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from app.selftest import run_self_test

        return run_self_test(args.data_dir)
    func = getattr(args, "func", cmd_gui)
    try:
        return func(args)
    except UsageError as exc:
        print(f"rehearse: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: a message, not a traceback
        from app.db.engine import DatabaseError

        logging.getLogger("app.cli").exception("rehearse %s failed", getattr(args, "command", None) or "gui")
        if isinstance(exc, DatabaseError | OSError):
            print(f"rehearse: error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
