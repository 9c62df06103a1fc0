"""Write a pack back to YAML in the pack format (questions/README.md), for the pack editor and exports.

`yaml.safe_dump` with a dumper that keeps the file readable by a person: keys in the order the
format documents them, reference answers as literal blocks (`|`), term lists in flow style
(`[SHAP, LIME]`). What this writes, `load_pack` reads back to an equal `Pack`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from app.core.packs.model import FollowUp, KeyPoint, Pack, Question


class _Block(str):
    """Text written as a literal block: reference answers keep their lines."""


class _Flow(list[str]):
    """A short list of terms written on one line."""


class _Dumper(yaml.SafeDumper):
    pass


def _block(dumper: yaml.SafeDumper, value: _Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=True)


_Dumper.add_representer(_Block, _block)
_Dumper.add_representer(_Flow, _flow)


def block(text: str) -> str:
    """Mark text to be written as a literal block (used by the editor's drafts)."""
    return _Block(text)


def flow(items: list[str]) -> list[str]:
    return _Flow(items)


def key_point_data(point: KeyPoint) -> Any:
    """A bare string when the point is only a claim, else a mapping with what it has."""
    if not (point.cues or point.examples):
        return point.text
    data: dict[str, Any] = {"point": point.text}
    if point.cues:
        data["cues"] = _Flow(point.cues)
    if point.examples:
        data["examples"] = list(point.examples)
    return data


def question_data(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id, "text": question.text}
    if question.category:
        data["category"] = question.category
    data["prep_seconds"] = question.prep_seconds
    data["answer_seconds"] = question.answer_seconds
    if question.glossary:
        data["glossary"] = _Flow(question.glossary)
    if question.reference_answer:
        data["reference_answer"] = _Block(question.reference_answer)
    data["key_points"] = [key_point_data(kp) for kp in question.key_points]
    if question.follow_ups:
        data["follow_ups"] = [follow_up_data(f) for f in question.follow_ups]
    return data


def follow_up_data(follow_up: FollowUp) -> Any:
    """A bare question when it is general, else a mapping (`about` as the pack file numbers points: from 1)."""
    if follow_up.about is None and not follow_up.key_points:
        return follow_up.text
    data: dict[str, Any] = {"ask": follow_up.text}
    if follow_up.about is not None:
        data["about"] = follow_up.about + 1 if isinstance(follow_up.about, int) else follow_up.about
    if follow_up.key_points:
        data["key_points"] = [key_point_data(kp) for kp in follow_up.key_points]
    return data


def pack_data(pack: Pack) -> dict[str, Any]:
    """The pack as plain YAML data, in the documented key order."""
    data: dict[str, Any] = {"id": pack.id, "title": pack.title}
    if pack.language and pack.language != "en":
        data["language"] = pack.language
    if pack.description:
        data["description"] = pack.description
    if pack.glossary:
        data["glossary"] = _Flow(pack.glossary)
    data["questions"] = [question_data(q) for q in pack.questions]
    return data


def dump_pack(pack: Pack | dict[str, Any]) -> str:
    """YAML text for a pack, or for a draft dict of the same shape (which may not be valid yet)."""
    data = pack_data(pack) if isinstance(pack, Pack) else pack
    text = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False, indent=2
    )
    # A blank line between questions, as in the built-in packs.
    return text.replace("\n- id: ", "\n\n- id: ")


def write_text_atomically(text: str, path: Path, mode: int | None = None) -> Path:
    """Write UTF-8 text through a temporary file, so a crash never leaves half a pack.

    `mode` (e.g. 0o600 for reports of someone's answers) is set on the file whatever the umask.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    # 0o666 and the umask when no mode is asked for, as open() would do
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666 if mode is None else mode)
    if mode is not None:
        os.fchmod(fd, mode)  # a leftover .tmp keeps its old mode through O_CREAT; the umask only narrows
    with open(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def write_pack(pack: Pack, path: Path) -> Path:
    return write_text_atomically(dump_pack(pack), path)


def inside(folder: Path, path: Path) -> bool:
    """True when `path` (resolved, links followed) lies inside `folder`: writes never leave it."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def user_pack_path(folder: Path, pack_id: str) -> Path:
    """Where the user's pack with this id is saved; refuses anything that would land outside the folder."""
    path = folder / f"{pack_id}.yaml"
    if path.name != f"{pack_id}.yaml" or not inside(folder, path) or path.resolve().parent != folder.resolve():
        raise ValueError(f"'{pack_id}' cannot be used as a pack file name inside {folder}")
    return path
