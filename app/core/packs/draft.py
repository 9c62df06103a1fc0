"""The pack editor's form as plain text fields, and back: what a person types into "My packs"
becomes the pack format (app.core.packs.writer), valid or not, so the checker can say what is wrong.

Kept apart from the widgets so that the round trip form -> YAML -> form is testable without a window.
"""

from __future__ import annotations

from typing import Any

from app.core.packs.model import DEFAULT_ANSWER_SECONDS, DEFAULT_PREP_SECONDS, Question
from app.core.packs.writer import block, dump_pack, flow


def _terms(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _examples(text: str) -> list[str]:
    return [t.strip() for t in text.split(";") if t.strip()]


def parse_key_points(text: str) -> list[Any]:
    """One key point per line: the claim, then cue words after a '|' (commas between them), then
    examples after a second '|' (semicolons between them, as an example may hold a comma)."""
    points: list[Any] = []
    for line in text.splitlines():
        point, _, rest = line.partition("|")
        cues, _, examples = rest.partition("|")
        point = point.strip()
        if not point and not rest.strip():
            continue
        cue_list, example_list = _terms(cues), _examples(examples)
        if not (cue_list or example_list):
            points.append(point)
            continue
        item: dict[str, Any] = {"point": point}
        if cue_list:
            item["cues"] = flow(cue_list)
        if example_list:
            item["examples"] = example_list
        points.append(item)
    return points


def key_points_text(question: Question) -> str:
    """The key points as the form shows them, the inverse of `parse_key_points`."""
    lines = []
    for kp in question.key_points:
        line = kp.text
        if kp.cues or kp.examples:
            line += f" | {', '.join(kp.cues)}"
        if kp.examples:
            line += f" | {'; '.join(kp.examples)}"
        lines.append(line)
    return "\n".join(lines)


def parse_follow_ups(text: str) -> list[Any]:
    """One follow-up per line: the question, then after a '|' what it is about (a key point's number
    or a STAR part), then after a second '|' the points its answer should make (semicolons between)."""
    items: list[Any] = []
    for line in text.splitlines():
        ask, _, rest = line.partition("|")
        about, _, points = rest.partition("|")
        ask, about = ask.strip(), about.strip()
        if not ask and not rest.strip():
            continue
        if not about and not points.strip():
            items.append(ask)
            continue
        item: dict[str, Any] = {"ask": ask}
        if about:
            item["about"] = int(about) if about.isdigit() else about
        if _examples(points):
            item["key_points"] = _examples(points)
        items.append(item)
    return items


def follow_ups_text(question: Question) -> str:
    """The follow-ups as the form shows them, the inverse of `parse_follow_ups`."""
    lines = []
    for f in question.follow_ups:
        line = f.text
        if f.about is not None or f.key_points:
            about = "" if f.about is None else str(f.about + 1) if isinstance(f.about, int) else f.about
            line += f" | {about}"
        if f.key_points:
            line += f" | {'; '.join(kp.text for kp in f.key_points)}"
        lines.append(line)
    return "\n".join(lines)


def question_draft(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "text": question.text,
        "category": question.category or "",
        "prep_seconds": question.prep_seconds,
        "answer_seconds": question.answer_seconds,
        "reference_answer": question.reference_answer or "",
        "key_points": key_points_text(question),
        "glossary": ", ".join(question.glossary),
        "follow_ups": follow_ups_text(question),
    }


def empty_question(number: int) -> dict[str, Any]:
    return {
        "id": f"question-{number}",
        "text": "",
        "category": "",
        "prep_seconds": DEFAULT_PREP_SECONDS,
        "answer_seconds": DEFAULT_ANSWER_SECONDS,
        "reference_answer": "",
        "key_points": "",
        "glossary": "",
        "follow_ups": "",
    }


def draft_yaml(pack: dict[str, Any], questions: list[dict[str, Any]]) -> str:
    """The pack format for what the form holds, valid or not (the checker then says what is wrong)."""
    data: dict[str, Any] = {"id": pack["id"], "title": pack["title"]}
    if pack.get("description"):
        data["description"] = pack["description"]
    if _terms(pack.get("glossary", "")):
        data["glossary"] = flow(_terms(pack["glossary"]))
    items = []
    for q in questions:
        item: dict[str, Any] = {"id": q["id"], "text": q["text"]}
        if q["category"]:
            item["category"] = q["category"]
        item["prep_seconds"] = q["prep_seconds"]
        item["answer_seconds"] = q["answer_seconds"]
        if _terms(q["glossary"]):
            item["glossary"] = flow(_terms(q["glossary"]))
        if q["reference_answer"].strip():
            item["reference_answer"] = block(q["reference_answer"].strip())
        item["key_points"] = parse_key_points(q["key_points"])
        if parse_follow_ups(q.get("follow_ups", "")):
            item["follow_ups"] = parse_follow_ups(q["follow_ups"])
        items.append(item)
    data["questions"] = items
    return dump_pack(data)
